// SPDX-License-Identifier: GPL-2.0
/*
 * The host's side of guests written in C (guest.h): guest memory, the test binary's segments
 * copied into it, page tables, vCPUs in 64-bit mode, and ucalls.
 */
#include <link.h>
#include <sys/mman.h>

#include <linux/kvm_coco.h>

#include "guest.h"

#define PTE_P		(1ull << 0)
#define PTE_W		(1ull << 1)
#define PTE_U		(1ull << 2)
#define PTE_ADDR	0x000ffffffffff000ull

void *guest_gpa_hva(struct guest_vm *g, uint64_t gpa)
{
	TEST_ASSERT(gpa < GUEST_MEM_SIZE, "gpa %#llx outside guest memory",
		    (unsigned long long)gpa);
	return g->mem + gpa;
}

uint64_t guest_alloc_page(struct guest_vm *g)
{
	uint64_t gpa = g->next_gpa;

	TEST_ASSERT(gpa + PAGE_SIZE <= GUEST_DATA_GPA, "the lib's guest memory is full");
	g->next_gpa += PAGE_SIZE;
	memset(guest_gpa_hva(g, gpa), 0, PAGE_SIZE);
	return gpa;
}

/* The page-table entry for @gva at @level (4: the PML4), its table made on the way. */
static uint64_t *guest_pte(struct guest_vm *g, uint64_t gva, int level, bool make)
{
	uint64_t table = g->pml4, *pte;
	int l;

	for (l = 4; ; l--) {
		pte = (uint64_t *)guest_gpa_hva(g, table) + ((gva >> (12 + 9 * (l - 1))) & 511);
		if (l == level)
			return pte;
		if (!(*pte & PTE_P)) {
			if (!make)
				return NULL;
			*pte = guest_alloc_page(g) | PTE_P | PTE_W | PTE_U;
		}
		table = *pte & PTE_ADDR;
	}
}

void guest_map_page(struct guest_vm *g, uint64_t gva, uint64_t gpa)
{
	*guest_pte(g, gva, 1, true) = gpa | PTE_P | PTE_W | PTE_U;
}

static uint64_t guest_gva2gpa(struct guest_vm *g, uint64_t gva)
{
	uint64_t *pte = guest_pte(g, gva, 1, false);

	TEST_ASSERT(pte && (*pte & PTE_P), "gva %#llx is not mapped", (unsigned long long)gva);
	return (*pte & PTE_ADDR) | (gva & (PAGE_SIZE - 1));
}

/*
 * A whole page of the program image, the sanitizers' red zones between its globals included
 * (a word loop the compiler cannot turn into a checked memcpy).
 */
__attribute__((no_sanitize("address")))
static void guest_copy_image_page(void *dst, const void *src)
{
	const volatile uint64_t *s = src;
	uint64_t *d = dst;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / 8; i++)
		d[i] = s[i];
}

/* Copy each page of [gva, gva + size) of this process into a new guest page mapped there. */
static void guest_copy_pages(struct guest_vm *g, uint64_t gva, uint64_t size)
{
	uint64_t start = gva & ~(PAGE_SIZE - 1);
	uint64_t end = (gva + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uint64_t *pte, page;

	for (page = start; page < end; page += PAGE_SIZE) {
		pte = guest_pte(g, page, 1, true);
		if (!(*pte & PTE_P))
			*pte = guest_alloc_page(g) | PTE_P | PTE_W | PTE_U;
		guest_copy_image_page(guest_gpa_hva(g, *pte & PTE_ADDR), (void *)page);
	}
}

/* The main program is the first object dl_iterate_phdr reports. */
static int guest_load_segments(struct dl_phdr_info *info, size_t size, void *opaque)
{
	struct guest_vm *g = opaque;
	int i;

	for (i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_LOAD)
			guest_copy_pages(g, info->dlpi_addr + info->dlpi_phdr[i].p_vaddr,
					 info->dlpi_phdr[i].p_memsz);
	return 1;
}

bool have_guest_code(void)
{
	return kvm_check_cap(KVM_CAP_COCO_ENGINE) & (1 << KVM_COCO_ENGINE_TCG);
}

void guest_vm_create(struct guest_vm *g, unsigned long type)
{
	uint64_t gpa;

	memset(g, 0, sizeof(*g));
	g->vm = vm_create(type);
	g->mem = test_alloc_mem(GUEST_MEM_SIZE);
	g->gmem = -1;
	if (vm_check_cap(g->vm, KVM_CAP_GUEST_MEMFD)) {
		g->gmem = vm_create_guest_memfd(g->vm, GUEST_MEM_SIZE, 0);
		vm_set_user_memory_region2(g->vm, 0, KVM_MEM_GUEST_MEMFD, 0, GUEST_MEM_SIZE,
					   g->mem, g->gmem, 0);
	} else {
		vm_set_user_memory_region2(g->vm, 0, 0, 0, GUEST_MEM_SIZE, g->mem, -1, 0);
	}
	g->next_gpa = PAGE_SIZE;
	g->pml4 = guest_alloc_page(g);
	dl_iterate_phdr(guest_load_segments, g);
	guest_descriptor_tables_create(g);
	/* The data region, 1:1. */
	for (gpa = GUEST_DATA_GPA; gpa < GUEST_MEM_SIZE; gpa += PAGE_SIZE)
		guest_map_page(g, gpa, gpa);
}

void guest_vm_destroy(struct guest_vm *g)
{
	if (g->gmem >= 0)
		kvm_close(g->gmem);
	kvm_close(g->vm);
	munmap(g->mem, GUEST_MEM_SIZE);
}

void guest_write_to(struct guest_vm *g, const void *var, const void *src, size_t size)
{
	uint64_t gva = (uint64_t)var;

	TEST_ASSERT((gva & (PAGE_SIZE - 1)) + size <= PAGE_SIZE, "a variable across pages");
	memcpy(guest_gpa_hva(g, guest_gva2gpa(g, gva)), src, size);
}

void guest_write(struct guest_vm *g, const void *var, size_t size)
{
	guest_write_to(g, var, var, size);
}

void guest_read(struct guest_vm *g, void *var, size_t size)
{
	uint64_t gva = (uint64_t)var;

	TEST_ASSERT((gva & (PAGE_SIZE - 1)) + size <= PAGE_SIZE, "a variable across pages");
	memcpy(var, guest_gpa_hva(g, guest_gva2gpa(g, gva)), size);
}

/* A vCPU in 64-bit mode at CPL 0 calling guest_code(id) on a stack of its own. */
void guest_vcpu_add(struct guest_vm *g, struct guest_vcpu *v, unsigned int id,
		    void *guest_code)
{
	struct kvm_regs r = { .rflags = 2 };
	uint64_t stack = 0;
	int i;

	for (i = 0; i < GUEST_STACK_PAGES; i++) {
		stack = guest_alloc_page(g);
		guest_map_page(g, stack, stack);
	}
	v->id = id;
	v->fd = vm_create_vcpu(g->vm, id);
	v->run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	TEST_ASSERT(v->run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
	vcpu_set_long_mode(v->fd, g->pml4);
	guest_vcpu_set_tables(g, v->fd);
	r.rip = (uint64_t)guest_code;
	/* As after a call: the return address slot below a 16-byte aligned top. */
	r.rsp = stack + PAGE_SIZE - 8;
	r.rdi = id;
	TEST_ASSERT_EQ(kvm_coco_ioctl(v->fd, KVM_SET_REGS, &r), 0);
}

void guest_vcpu_destroy(struct guest_vcpu *v)
{
	munmap(v->run, PAGE_SIZE);
	kvm_close(v->fd);
}

void vcpu_run(struct guest_vcpu *v)
{
	TEST_ASSERT(!kvm_coco_ioctl(v->fd, KVM_RUN, 0), "KVM_RUN: %s (exit %u)", strerror(errno),
		    v->run->exit_reason);
}

uint64_t get_ucall(struct guest_vm *g, struct guest_vcpu *v, struct ucall *uc)
{
	struct kvm_regs r;

	uc->cmd = UCALL_NONE;
	if (v->run->exit_reason != KVM_EXIT_IO || v->run->io.port != UCALL_PIO_PORT ||
	    v->run->io.direction != KVM_EXIT_IO_OUT)
		return UCALL_NONE;
	TEST_ASSERT_EQ(kvm_coco_ioctl(v->fd, KVM_GET_REGS, &r), 0);
	/* The guest's stack is mapped 1:1. */
	memcpy(uc, guest_gpa_hva(g, r.rdi), sizeof(*uc));
	return uc->cmd;
}

void assert_ucall(struct guest_vm *g, struct guest_vcpu *v, struct ucall *uc, uint64_t cmd)
{
	struct kvm_run *run = v->run;

	if (get_ucall(g, v, uc) == UCALL_ABORT)
		TEST_ASSERT(false, "vCPU %u: guest assertion at %s:%llu: %s (%#llx, %#llx)", v->id,
			    (const char *)uc->args[0], (unsigned long long)uc->args[1],
			    (const char *)uc->args[2], (unsigned long long)uc->args[3],
			    (unsigned long long)uc->args[4]);
	TEST_ASSERT(uc->cmd == cmd, "vCPU %u: ucall %llu, wanted %llu (exit %u, internal %u "
		    "%#llx %#llx)", v->id, (unsigned long long)uc->cmd, (unsigned long long)cmd,
		    run->exit_reason, run->internal.suberror,
		    (unsigned long long)run->internal.data[0],
		    (unsigned long long)run->internal.data[1]);
}
