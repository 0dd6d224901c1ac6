// SPDX-License-Identifier: GPL-2.0
/*
 * The TCG engine runs a guest's own instructions: a 64-bit guest on 4-level paging talks port
 * I/O with the VMM (OUT's data, IN's answer), writes private memory that the shared view does
 * not see, asks for a conversion with VMMCALL KVM_HC_MAP_GPA_RANGE, reads a page the VMM
 * converted back to shared while the guest was stopped (the engine's stale translation must
 * go), halts, and raises an exception the engine cannot deliver.  Then two vCPUs loop in the
 * guest without ever exiting while the VMM converts and punches under them: once a conversion
 * returns, no vCPU writes through the translation it took away.  Skipped where the host has
 * no TCG engine (the kernel module).
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <sys/mman.h>

#include <linux/kvm_coco.h>
#include <linux/kvm_para.h>

#include "kvm_util.h"

#define MEM		(2ul << 20)
#define CODE		0x8000
#define PRIV		0x10000ull

#define NR_VCPUS	2

struct guest {
	int vm, gmem, vcpu;
	uint8_t *shared;
	struct kvm_run *run;
	int vcpus[NR_VCPUS];
	struct kvm_run *runs[NR_VCPUS];
};

/*
 * The guest.  Each OUT is an exit the test checks; the comments give the port.
 */
static const uint8_t guest_code[] = {
	0xb0, 0x41,					/* mov al, 0x41 */
	0xe6, 0x10,					/* out 0x10, al */
	0x66, 0xba, 0x34, 0x12,				/* mov dx, 0x1234 */
	0xed,						/* in eax, dx */
	0x89, 0x04, 0x25, 0x00, 0x90, 0x00, 0x00,	/* mov [0x9000], eax */
	0xe6, 0x11,					/* out 0x11, al */
	0xc7, 0x04, 0x25, 0x00, 0x00, 0x01, 0x00,	/* mov dword [0x10000], */
	0x78, 0x56, 0x34, 0x12,				/*     0x12345678 */
	0x8b, 0x04, 0x25, 0x00, 0x00, 0x01, 0x00,	/* mov eax, [0x10000] */
	0xe7, 0x12,					/* out 0x12, eax */
	0xb8, 0x0c, 0x00, 0x00, 0x00,			/* mov eax, KVM_HC_MAP_GPA_RANGE */
	0xbb, 0x00, 0x00, 0x02, 0x00,			/* mov ebx, 0x20000 */
	0xb9, 0x01, 0x00, 0x00, 0x00,			/* mov ecx, 1 */
	0xba, 0x10, 0x00, 0x00, 0x00,			/* mov edx, ENCRYPTED */
	0x0f, 0x01, 0xd9,				/* vmmcall */
	0xe7, 0x13,					/* out 0x13, eax */
	0x8b, 0x04, 0x25, 0x00, 0x00, 0x01, 0x00,	/* mov eax, [0x10000] */
	0xe7, 0x14,					/* out 0x14, eax */
	0xf4,						/* hlt */
	0x0f, 0x0b,					/* ud2 */
};

static bool have_tcg(void)
{
	return kvm_check_cap(KVM_CAP_COCO_ENGINE) & (1 << KVM_COCO_ENGINE_TCG);
}

/*
 * A guest that loops until the VMM sets the byte at 0x9100, writing an ever larger RAX to
 * the private page and to [RBX] (its progress, in shared memory) on every turn.
 */
static const uint8_t loop_code[] = {
	0x48, 0xff, 0xc0,				/* 1: inc rax */
	0x48, 0x89, 0x04, 0x25, 0x00, 0x00, 0x01, 0x00,	/* mov [0x10000], rax */
	0x48, 0x89, 0x03,				/* mov [rbx], rax */
	0x80, 0x3c, 0x25, 0x00, 0x91, 0x00, 0x00, 0x00,	/* cmp byte [0x9100], 0 */
	0x74, 0xe8,					/* je 1b */
	0xf4,						/* hlt */
};
#define PROGRESS	0x9000		/* vCPU i's at PROGRESS + 8 * i */

/* A vCPU in 64-bit mode at CPL 0, about to run the code at CODE. */
static int vcpu_create_64(struct guest *g, unsigned int id, struct kvm_run **run)
{
	int vcpu = vm_create_vcpu(g->vm, id);
	struct kvm_regs r = {};

	*run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	TEST_ASSERT(*run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
	vcpu_set_long_mode(vcpu, 0x1000);
	r.rip = CODE;
	r.rsp = 0x7000;
	r.rbx = PROGRESS + 8 * id;
	r.rflags = 2;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_REGS, &r), 0);
	return vcpu;
}

/* Page tables at 0x1000-0x3000 map the first 2 MiB 1:1 with one large page. */
static void guest_create(struct guest *g, const uint8_t *code, size_t len)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_COCO_ENGINE,
				      .args = { KVM_COCO_ENGINE_TCG } };
	uint64_t *pml4, *pdpt, *pd;

	g->vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vm, KVM_ENABLE_CAP, &cap), 0);
	g->gmem = vm_create_guest_memfd(g->vm, MEM, 0);
	g->shared = test_alloc_mem(MEM);
	vm_set_user_memory_region2(g->vm, 0, KVM_MEM_GUEST_MEMFD, 0, MEM, g->shared, g->gmem, 0);
	pml4 = (uint64_t *)(g->shared + 0x1000);
	pdpt = (uint64_t *)(g->shared + 0x2000);
	pd = (uint64_t *)(g->shared + 0x3000);
	pml4[0] = 0x2000 | 3;
	pdpt[0] = 0x3000 | 3;
	pd[0] = 0x83;					/* P | W | PS */
	memcpy(g->shared + CODE, code, len);
	g->vcpu = vcpu_create_64(g, 0, &g->run);
}

static void guest_destroy(struct guest *g)
{
	munmap(g->run, PAGE_SIZE);
	kvm_close(g->vcpu);
	kvm_close(g->gmem);
	kvm_close(g->vm);
	munmap(g->shared, MEM);
}

static void run(struct guest *g, uint32_t exit_reason)
{
	TEST_ASSERT(!kvm_coco_ioctl(g->vcpu, KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT(g->run->exit_reason == exit_reason, "exit %u (want %u), internal %u %#llx",
		    g->run->exit_reason, exit_reason, g->run->internal.suberror,
		    (unsigned long long)g->run->internal.data[0]);
}

static void *io_data(struct guest *g)
{
	return (uint8_t *)g->run + g->run->io.data_offset;
}

/* The guest's next exit is port I/O: @dir on @port, @size bytes. */
static void run_to_io(struct guest *g, uint8_t dir, uint16_t port, uint8_t size)
{
	run(g, KVM_EXIT_IO);
	TEST_ASSERT_EQ(g->run->io.direction, dir);
	TEST_ASSERT_EQ(g->run->io.port, port);
	TEST_ASSERT_EQ(g->run->io.size, size);
	TEST_ASSERT_EQ(g->run->io.count, 1);
	TEST_ASSERT(g->run->io.data_offset >= sizeof(*g->run) &&
		    g->run->io.data_offset + size <= PAGE_SIZE, "data_offset %llu",
		    (unsigned long long)g->run->io.data_offset);
}

static uint32_t out_data(struct guest *g, uint16_t port, uint8_t size)
{
	uint32_t v = 0;

	run_to_io(g, KVM_EXIT_IO_OUT, port, size);
	memcpy(&v, io_data(g), size);
	return v;
}

static void test_guest_code(void)
{
	struct kvm_enable_cap hc = { .cap = KVM_CAP_EXIT_HYPERCALL,
				     .args = { 1 << KVM_HC_MAP_GPA_RANGE } };
	uint32_t answer = 0xdeadbeef;
	struct kvm_regs r;
	struct guest g;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g, guest_code, sizeof(guest_code));
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vm, KVM_ENABLE_CAP, &hc), 0);
	vm_mem_set_private(g.vm, PRIV, PAGE_SIZE);

	TEST_ASSERT_EQ(out_data(&g, 0x10, 1), 0x41);
	/* IN: the VMM's answer reaches EAX, which the guest stores to shared memory. */
	run_to_io(&g, KVM_EXIT_IO_IN, 0x1234, 4);
	memcpy(io_data(&g), &answer, 4);
	TEST_ASSERT_EQ(out_data(&g, 0x11, 1), 0xef);
	TEST_ASSERT_EQ(*(uint32_t *)(g.shared + 0x9000), 0xdeadbeef);

	/* The private write landed in guest_memfd: the shared view is untouched. */
	TEST_ASSERT_EQ(out_data(&g, 0x12, 4), 0x12345678);
	TEST_ASSERT_EQ(*(uint32_t *)(g.shared + PRIV), 0);

	/* VMMCALL MAP_GPA_RANGE exits; the VMM converts and answers in RAX. */
	run(&g, KVM_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(g.run->hypercall.nr, KVM_HC_MAP_GPA_RANGE);
	TEST_ASSERT_EQ(g.run->hypercall.args[0], 0x20000);
	TEST_ASSERT_EQ(g.run->hypercall.args[1], 1);
	TEST_ASSERT_EQ(g.run->hypercall.args[2], KVM_MAP_GPA_RANGE_ENCRYPTED);
	vm_mem_set_private(g.vm, 0x20000, PAGE_SIZE);
	/* Meanwhile the private page goes back to shared: the guest must see the shared page. */
	vm_mem_set_shared(g.vm, PRIV, PAGE_SIZE);
	*(uint32_t *)(g.shared + PRIV) = 0xcafe;
	g.run->hypercall.ret = 0;
	TEST_ASSERT_EQ(out_data(&g, 0x13, 4), 0);
	TEST_ASSERT_EQ(out_data(&g, 0x14, 4), 0xcafe);

	/*
	 * HLT exits after the instruction; the next instruction is UD2, and the IDT (at reset:
	 * base 0, limit 0xffff) holds no gate for it: #GP, #DF, a triple fault.
	 */
	run(&g, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_GET_REGS, &r), 0);
	TEST_ASSERT_EQ(r.rip, CODE + sizeof(guest_code) - 2);
	run(&g, KVM_EXIT_SHUTDOWN);
	guest_destroy(&g);
}

struct vcpu_thread {
	pthread_t thread;
	int vcpu;
	struct kvm_run *run;
	int r, err;			/* what KVM_RUN returned */
};

static void *vcpu_thread(void *arg)
{
	struct vcpu_thread *v = arg;

	v->r = kvm_coco_ioctl(v->vcpu, KVM_RUN, 0);
	v->err = errno;
	return NULL;
}

static void vcpu_thread_start(struct vcpu_thread *v)
{
	TEST_ASSERT(!pthread_create(&v->thread, NULL, vcpu_thread, v), "vCPU thread");
}

/* The vCPU's KVM_RUN must come back (within a minute) with @exit_reason. */
static void vcpu_thread_join(struct vcpu_thread *v, uint32_t exit_reason)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 60;
	TEST_ASSERT(!pthread_timedjoin_np(v->thread, NULL, &deadline), "KVM_RUN never returned");
	TEST_ASSERT_EQ(v->run->exit_reason, exit_reason);
}

static uint64_t load(struct guest *g, uint64_t gpa)
{
	return __atomic_load_n((uint64_t *)(g->shared + gpa), __ATOMIC_SEQ_CST);
}

/*
 * Let each of the first @nr vCPUs run @turns more turns of its loop.  The wait yields: on a
 * machine with fewer cores than threads (two here, under TSan), spinning would take the CPU
 * from the vCPUs it waits for.
 */
static void wait_turns(struct guest *g, unsigned int nr, uint64_t turns)
{
	uint64_t start[NR_VCPUS];
	time_t deadline = time(NULL) + 60;
	unsigned int i;

	for (i = 0; i < nr; i++)
		start[i] = load(g, PROGRESS + 8 * i);
	for (i = 0; i < nr; i++) {
		while (load(g, PROGRESS + 8 * i) - start[i] < turns) {
			TEST_ASSERT(time(NULL) < deadline, "vCPU %u stopped making progress", i);
			sched_yield();
		}
	}
}

/*
 * Conversions and punches under vCPUs that never exit: a conversion to private must take the
 * shared page out of their hands before it returns (the shared copy then never changes
 * again), and a conversion to shared must let them reach the shared page.
 */
static void test_shootdown_under_running_vcpus(void)
{
	struct vcpu_thread v[NR_VCPUS];
	struct gmem_puncher puncher;
	struct guest g;
	uint64_t before;
	unsigned int i;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g, loop_code, sizeof(loop_code));
	vm_mem_set_private(g.vm, PRIV, PAGE_SIZE);
	g.vcpus[0] = g.vcpu;
	g.runs[0] = g.run;
	for (i = 1; i < NR_VCPUS; i++)
		g.vcpus[i] = vcpu_create_64(&g, i, &g.runs[i]);
	for (i = 0; i < NR_VCPUS; i++) {
		v[i].vcpu = g.vcpus[i];
		v[i].run = g.runs[i];
		vcpu_thread_start(&v[i]);
	}
	wait_turns(&g, NR_VCPUS, 1000);
	for (i = 0; i < 20; i++) {
		vm_mem_set_shared(g.vm, PRIV, PAGE_SIZE);
		before = load(&g, PRIV);
		wait_turns(&g, NR_VCPUS, 1000);
		TEST_ASSERT(load(&g, PRIV) != before, "the guests never reached the shared page");

		vm_mem_set_private(g.vm, PRIV, PAGE_SIZE);
		before = load(&g, PRIV);
		wait_turns(&g, NR_VCPUS, 1000);
		TEST_ASSERT_EQ(load(&g, PRIV), before);
	}
	/* Private pages punched away while the guests write them. */
	gmem_puncher_start(&puncher, g.gmem, MEM);
	wait_turns(&g, NR_VCPUS, 10000);
	gmem_puncher_stop(&puncher);

	__atomic_store_n(g.shared + 0x9100, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < NR_VCPUS; i++) {
		vcpu_thread_join(&v[i], KVM_EXIT_HLT);
		TEST_ASSERT_EQ(v[i].r, 0);
	}
	for (i = 1; i < NR_VCPUS; i++) {
		munmap(g.runs[i], PAGE_SIZE);
		kvm_close(g.vcpus[i]);
	}
	guest_destroy(&g);
}

/*
 * A VMM takes back a vCPU that never exits by setting immediate_exit: KVM_RUN fails with
 * EINTR, and the next KVM_RUN goes on where the guest was.
 */
static void test_immediate_exit(void)
{
	struct vcpu_thread v;
	struct guest g;
	uint64_t where;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g, loop_code, sizeof(loop_code));
	v.vcpu = g.vcpu;
	v.run = g.run;
	vcpu_thread_start(&v);
	wait_turns(&g, 1, 1000);
	g.run->immediate_exit = 1;
	vcpu_thread_join(&v, KVM_EXIT_INTR);
	TEST_ASSERT(v.r == -1 && v.err == EINTR, "KVM_RUN: %d, errno %d", v.r, v.err);
	where = load(&g, PROGRESS);
	/* Still set: KVM_RUN does not even enter. */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_RUN, 0), EINTR);
	TEST_ASSERT_EQ(load(&g, PROGRESS), where);

	g.run->immediate_exit = 0;
	vcpu_thread_start(&v);
	wait_turns(&g, 1, 1000);
	TEST_ASSERT(load(&g, PROGRESS) > where, "the guest started over");
	__atomic_store_n(g.shared + 0x9100, 1, __ATOMIC_SEQ_CST);
	vcpu_thread_join(&v, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(v.r, 0);
	guest_destroy(&g);
}

static const uint8_t cpuid_code[] = {
	0xb8, 0x00, 0x00, 0x00, 0x40,			/* mov eax, 0x40000000 */
	0x31, 0xc9,					/* xor ecx, ecx */
	0x0f, 0xa2,					/* cpuid */
	0x89, 0xd8,					/* mov eax, ebx */
	0xe7, 0x10,					/* out 0x10, eax */
	0xb8, 0x45, 0x23, 0x01, 0x00,			/* mov eax, 0x12345 */
	0x0f, 0xa2,					/* cpuid */
	0x09, 0xd8, 0x09, 0xc8, 0x09, 0xd0,		/* or eax, ebx / ecx / edx */
	0xe7, 0x11,					/* out 0x11, eax */
	0xf4,						/* hlt */
};

#define NENT	2

struct cpuid_table {
	struct kvm_cpuid2 c;
	struct kvm_cpuid_entry2 e[NENT];
};

/*
 * CPUID answers from the table KVM_SET_CPUID2 gave (a leaf it lacks reads as zeros); the table
 * reads back; bad sizes and pointers fail as upstream; after the first KVM_RUN only the same
 * table may be set again.
 */
static void test_cpuid(void)
{
	struct cpuid_table t = { .c.nent = NENT, .e = {
		{ .function = 0, .eax = 0x40000000 },
		{ .function = 0x40000000, .ebx = 0x6f63206d },
	} }, back = { .c.nent = NENT };
	struct kvm_cpuid2 big = { .nent = 257 }, small = { .nent = 1 }, *edge;
	struct guest g;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g, cpuid_code, sizeof(cpuid_code));
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_SET_CPUID2, &big), E2BIG);
	/* The header cut short; then a header whose one entry is not there. */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_SET_CPUID2, test_mem_at_end(4)), EFAULT);
	edge = test_mem_at_end(sizeof(*edge));
	edge->nent = 1;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_SET_CPUID2, edge), EFAULT);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_SET_CPUID2, &t), 0);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_GET_CPUID2, &small), E2BIG);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_GET_CPUID2, &back), 0);
	TEST_ASSERT(back.c.nent == NENT && !memcmp(back.e, t.e, sizeof(t.e)), "GET_CPUID2");

	TEST_ASSERT_EQ(out_data(&g, 0x10, 4), 0x6f63206d);
	TEST_ASSERT_EQ(out_data(&g, 0x11, 4), 0);
	run(&g, KVM_EXIT_HLT);
	/* It has run: the same table again is fine, another is not. */
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_SET_CPUID2, &t), 0);
	t.e[1].ebx++;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_SET_CPUID2, &t), EINVAL);
	guest_destroy(&g);
}

/* Guest code at virtual address 0 runs like any other (Unicorn's "until" address is unused). */
static void test_code_at_address_zero(void)
{
	static const uint8_t jump_to_zero[] = { 0x31, 0xc0, 0xff, 0xe0 };	/* jmp to 0 */
	static const uint8_t at_zero[] = { 0xe6, 0x42, 0xf4 };	/* out 0x42, al; hlt */
	struct guest g;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g, jump_to_zero, sizeof(jump_to_zero));
	memcpy(g.shared, at_zero, sizeof(at_zero));
	run(&g, KVM_EXIT_IO);
	TEST_ASSERT_EQ(g.run->io.port, 0x42);
	run(&g, KVM_EXIT_HLT);
	guest_destroy(&g);
}

/*
 * The reset state runs (real mode, tcg_legacy_mode_test.c), but no memory backs the reset
 * vector here: an instruction fetched from MMIO is an emulation failure, as upstream's.
 */
static void test_fetch_without_memory(void)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_COCO_ENGINE,
				      .args = { KVM_COCO_ENGINE_TCG } };
	struct kvm_run *run;
	int vm, vcpu;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	vm = vm_create(KVM_X86_DEFAULT_VM);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &cap), 0);
	vcpu = vm_create_vcpu(vm, 0);
	/* The engine is chosen before the first vCPU. */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &cap), EINVAL);
	run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	TEST_ASSERT(run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_RUN, 0), 0);
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_INTERNAL_ERROR);
	TEST_ASSERT_EQ(run->internal.suberror, KVM_INTERNAL_ERROR_EMULATION);
	munmap(run, PAGE_SIZE);
	kvm_close(vcpu);
	kvm_close(vm);
}

/*
 * KVM_SET_SREGS refuses what upstream refuses: CR0's high half, NW without CD, LMA or CS.L
 * without long mode enabled under paging, long mode without PAE or LMA.
 */
static void test_sregs_rules(void)
{
	int vm = vm_create(KVM_X86_DEFAULT_VM), vcpu = vm_create_vcpu(vm, 0);
	struct kvm_sregs good, s;

	vcpu_set_long_mode(vcpu, 0x1000);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_SREGS, &good), 0);
	s = good;
	s.cr0 |= 1ull << 32;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), EINVAL);
	s = good;
	s.cr0 = (s.cr0 | (1u << 29)) & ~(1u << 30);		/* NW, no CD */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), EINVAL);
	s = good;
	s.efer &= ~(1u << 10);					/* LME, PG, no LMA */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), EINVAL);
	s = good;
	s.cr4 &= ~(1u << 5);					/* no PAE */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), EINVAL);
	s = good;
	s.cr0 &= ~0x80000000u;					/* no paging: */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), EINVAL);	/* LMA */
	s.efer &= ~(1u << 10);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), EINVAL);	/* CS.L */
	s.cs.l = 0;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), 0);
	/* Compatibility mode: long mode active, CS.L clear. */
	s = good;
	s.cs.l = 0;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), 0);
	kvm_close(vcpu);
	kvm_close(vm);
}

static void test_engine_cap(void)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_COCO_ENGINE, .args = { 2 } };
	int vm = vm_create(KVM_X86_DEFAULT_VM);

	TEST_ASSERT(kvm_check_cap(KVM_CAP_COCO_ENGINE) & (1 << KVM_COCO_ENGINE_MODEL),
		    "the model engine is always there");
	/* run->immediate_exit works on every engine, and says so. */
	TEST_ASSERT_EQ(kvm_check_cap(KVM_CAP_IMMEDIATE_EXIT), 1);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &cap), EINVAL);
	cap.args[0] = KVM_COCO_ENGINE_MODEL;
	cap.args[1] = 1;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &cap), EINVAL);
	cap.args[1] = 0;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &cap), 0);
	kvm_close(vm);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_guest_code),
		KSFT_TEST(test_shootdown_under_running_vcpus),
		KSFT_TEST(test_immediate_exit),
		KSFT_TEST(test_cpuid),
		KSFT_TEST(test_code_at_address_zero),
		KSFT_TEST(test_fetch_without_memory),
		KSFT_TEST(test_engine_cap),
		KSFT_TEST(test_sregs_rules),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
