// SPDX-License-Identifier: GPL-2.0
#include <sched.h>
#include <sys/mman.h>

#include <linux/kvm_coco.h>

#include "kvm_util.h"
#include "kvm-coco-test.h"

int kvm_open(void)
{
	int fd = kvm_coco_open();

	TEST_ASSERT(fd >= 0, "kvm_coco_open: %s", strerror(errno));
	return fd;
}

int kvm_check_cap(long cap)
{
	int sys = kvm_open();
	int r = kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, cap);

	TEST_ASSERT(r >= 0, "KVM_CHECK_EXTENSION(%ld): %s", cap, strerror(errno));
	kvm_close(sys);
	return r;
}

int __vm_create(unsigned long type)
{
	int sys = kvm_open();
	int vm = kvm_coco_ioctl(sys, KVM_CREATE_VM, type);
	int err = errno;

	kvm_close(sys);
	errno = err;
	return vm;
}

int vm_create(unsigned long type)
{
	int vm = __vm_create(type);

	TEST_ASSERT(vm >= 0, "KVM_CREATE_VM(%lu): %s", type, strerror(errno));
	return vm;
}

void vm_set_engine(int vm, unsigned int engine)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_COCO_ENGINE, .args = { engine } };

	TEST_ASSERT(!kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &cap), "KVM_CAP_COCO_ENGINE(%u): %s",
		    engine, strerror(errno));
}

int vm_create_model(unsigned long type)
{
	int vm = vm_create(type);

	vm_set_engine(vm, KVM_COCO_ENGINE_MODEL);
	return vm;
}

void vcpu_set_long_mode(int vcpu, uint64_t cr3)
{
	struct kvm_sregs s;

	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_SREGS, &s), 0);
	s.cr0 |= 0x80000001;				/* PG | PE */
	s.cr3 = cr3;
	s.cr4 |= (1 << 5) | (1 << 9) | (1 << 10);	/* PAE, OSFXSR, OSXMMEXCPT (SSE) */
	s.efer |= (1 << 8) | (1 << 10);			/* LME | LMA */
	s.cs.l = 1;
	s.cs.db = 0;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), 0);
}

/* 64-bit flat segments (code 8, data 16) from the GDT at @gdt, the IDT at @idt. */
void vcpu_set_descriptor_tables(int vcpu, uint64_t gdt, uint16_t gdt_limit, uint64_t idt,
				uint16_t idt_limit)
{
	struct kvm_sregs s;

	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_SREGS, &s), 0);
	s.gdt.base = gdt;
	s.gdt.limit = gdt_limit;
	s.idt.base = idt;
	s.idt.limit = idt_limit;
	s.cs.selector = 8;
	s.ds.selector = s.es.selector = s.ss.selector = 16;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), 0);
}

int vm_check_cap(int vm, long cap)
{
	int r = kvm_coco_ioctl(vm, KVM_CHECK_EXTENSION, cap);

	TEST_ASSERT(r >= 0, "KVM_CHECK_EXTENSION(%ld) on VM: %s", cap, strerror(errno));
	return r;
}

int __vm_create_vcpu(int vm, unsigned long id)
{
	return kvm_coco_ioctl(vm, KVM_CREATE_VCPU, id);
}

int vm_create_vcpu(int vm, unsigned long id)
{
	int fd = __vm_create_vcpu(vm, id);

	TEST_ASSERT(fd >= 0, "KVM_CREATE_VCPU(%lu): %s", id, strerror(errno));
	return fd;
}

int __vm_set_user_memory_region(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
				uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region);
}

int __vm_set_user_memory_region2(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
				 uint64_t size, void *hva, uint32_t gmem_fd, uint64_t gmem_off)
{
	struct kvm_userspace_memory_region2 region = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
		.guest_memfd_offset = gmem_off,
		.guest_memfd = gmem_fd,
	};

	return kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &region);
}

void vm_set_user_memory_region2(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
				uint64_t size, void *hva, uint32_t gmem_fd, uint64_t gmem_off)
{
	int r = __vm_set_user_memory_region2(vm, slot, flags, gpa, size, hva, gmem_fd, gmem_off);

	TEST_ASSERT(!r, "KVM_SET_USER_MEMORY_REGION2(slot %u, gpa %#lx, size %#lx): %s", slot,
		    (unsigned long)gpa, (unsigned long)size, strerror(errno));
}

int __vm_create_guest_memfd(int vm, uint64_t size, uint64_t flags)
{
	struct kvm_create_guest_memfd args = { .size = size, .flags = flags };

	return kvm_coco_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &args);
}

int vm_create_guest_memfd(int vm, uint64_t size, uint64_t flags)
{
	int fd = __vm_create_guest_memfd(vm, size, flags);

	TEST_ASSERT(fd >= 0, "KVM_CREATE_GUEST_MEMFD(size %#lx): %s", (unsigned long)size,
		    strerror(errno));
	return fd;
}

int __gmem_fallocate(int gmem, int mode, uint64_t offset, uint64_t len)
{
	return kvm_coco_fallocate(gmem, mode, (off_t)offset, (off_t)len);
}

void gmem_fallocate(int gmem, int mode, uint64_t offset, uint64_t len)
{
	int r = __gmem_fallocate(gmem, mode, offset, len);

	TEST_ASSERT(!r, "fallocate(mode %#x, %#lx, %#lx): %s", mode, (unsigned long)offset,
		    (unsigned long)len, strerror(errno));
}

int __vm_set_memory_attributes(int vm, uint64_t gpa, uint64_t size, uint64_t attributes)
{
	struct kvm_memory_attributes attr = {
		.address = gpa,
		.size = size,
		.attributes = attributes,
	};

	return kvm_coco_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &attr);
}

void vm_set_memory_attributes(int vm, uint64_t gpa, uint64_t size, uint64_t attributes)
{
	int r = __vm_set_memory_attributes(vm, gpa, size, attributes);

	TEST_ASSERT(!r, "KVM_SET_MEMORY_ATTRIBUTES(%#lx, %#lx, %#lx): %s", (unsigned long)gpa,
		    (unsigned long)size, (unsigned long)attributes, strerror(errno));
}

void kvm_close(int fd)
{
	TEST_ASSERT(!kvm_coco_close(fd), "kvm_coco_close(%d): %s", fd, strerror(errno));
}

static void *gmem_punch_loop(void *arg)
{
	struct gmem_puncher *p = arg;

	while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE))
		if (!__gmem_fallocate(p->gmem, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				      p->offset, p->len))
			__atomic_add_fetch(&p->punches, 1, __ATOMIC_RELEASE);
	return NULL;
}

void gmem_puncher_start(struct gmem_puncher *p, int gmem, uint64_t len)
{
	__gmem_puncher_start(p, gmem, 0, len);
}

void __gmem_puncher_start(struct gmem_puncher *p, int gmem, uint64_t offset, uint64_t len)
{
	p->gmem = gmem;
	p->offset = offset;
	p->len = len;
	p->stop = false;
	p->punches = 0;
	TEST_ASSERT(!pthread_create(&p->thread, NULL, gmem_punch_loop, p), "puncher thread");
	while (!__atomic_load_n(&p->punches, __ATOMIC_ACQUIRE))
		sched_yield();
}

void gmem_puncher_stop(struct gmem_puncher *p)
{
	__atomic_store_n(&p->stop, true, __ATOMIC_RELEASE);
	pthread_join(p->thread, NULL);
}

void *test_alloc_mem(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	TEST_ASSERT(p != MAP_FAILED, "mmap(%zu): %s", size, strerror(errno));
	return p;
}

void *test_mem_at_end(size_t n)
{
	char *p = test_alloc_mem(2 * PAGE_SIZE);

	TEST_ASSERT(!munmap(p + PAGE_SIZE, PAGE_SIZE), "munmap: %s", strerror(errno));
	return p + PAGE_SIZE - n;
}

void assert_nothing_leaked(const struct host_counters *base)
{
	struct host_counters now;

	host_get_counters(&now);
	INSPECT(TEST_ASSERT_EQ(now.files, base->files));
	INSPECT(TEST_ASSERT_EQ(now.allocs, base->allocs));
	INSPECT(TEST_ASSERT_EQ(now.pages, base->pages));
	INSPECT(TEST_ASSERT_EQ(now.vmallocs, base->vmallocs));
	INSPECT(TEST_ASSERT_EQ(now.warnings, 0));
}
