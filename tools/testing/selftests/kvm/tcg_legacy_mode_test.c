// SPDX-License-Identifier: GPL-2.0
/*
 * The TCG engine runs a guest from the reset vector in real mode, as firmware starts: the
 * first instruction fetched at 0xfffffff0 through the reset state's CS (selector 0xf000,
 * base 0xffff0000), the BIOS's far jump that keeps the selector and moves the base, 16-bit
 * port I/O, a data segment loaded in real mode, then the guest's own switch into 32-bit
 * protected mode (LGDT, CR0.PE, a far jump), each exit's segments as KVM_GET_SREGS reports
 * them; from flat 32-bit protected mode (a TD's start) the guest's own GDT, and a 16-bit code
 * segment whose I/O is 2 bytes wide.  A VMM may also enter protected mode with segments of
 * its own (a null SS with a usable hidden part among them); what the engine cannot load (CS
 * that is not code, CPL 3, virtual-8086 mode) exits KVM_EXIT_INTERNAL_ERROR.  Skipped where
 * the host has no TCG engine (the kernel module).
 */
#include <sys/mman.h>

#include <linux/kvm_coco.h>

#include "kvm_util.h"

#define LOW_MEM		(1ul << 20)
#define BIOS_GPA	0xffff0000ull
#define BIOS_SIZE	0x10000ul
#define BOOT		0x7c00
#define GDT		0x7e00

#define CR0_PE		1ull			/* protection enabled */
#define EFLAGS_VM	(1ull << 17)		/* virtual-8086 mode */

struct guest {
	int vm, vcpu;
	uint8_t *low, *bios;
	struct kvm_run *run;
};

/* At 0xfffffff0, the reset vector: the BIOS's jump to its entry, same selector. */
static const uint8_t reset_vector[] = {
	0xea, 0x5b, 0xe0, 0x00, 0xf0,			/* jmp far 0xf000:0xe05b */
};

/* At 0xfe05b (0xf000:0xe05b). */
static const uint8_t bios_entry[] = {
	0xb0, 0x41,					/* mov al, 0x41 */
	0xe6, 0x10,					/* out 0x10, al */
	0xea, 0x00, 0x7c, 0x00, 0x00,			/* jmp far 0x0000:0x7c00 */
};

/* At 0x7c00: a real-mode data segment, 16-bit IN (AX), OUT. */
static const uint8_t real_code[] = {
	0xb8, 0x00, 0x10,				/* mov ax, 0x1000 */
	0x8e, 0xd8,					/* mov ds, ax */
	0xc7, 0x06, 0x04, 0x00, 0xef, 0xbe,		/* mov word [4], 0xbeef */
	0xba, 0x34, 0x12,				/* mov dx, 0x1234 */
	0xed,						/* in ax, dx */
	0xa3, 0x06, 0x00,				/* mov [6], ax */
	0xe6, 0x11,					/* out 0x11, al */
	0xf4,						/* hlt */
};

/* At 0x7c00: into 32-bit protected mode, and to the 32-bit code at PROTECTED. */
#define PROTECTED	0x7c20
#define CODE16		0x7dc0
static const uint8_t to_protected[] = {
	0x0f, 0x01, 0x16, 0x00, 0x7e,			/* lgdt [0x7e00] */
	0x0f, 0x20, 0xc0,				/* mov eax, cr0 */
	0x66, 0x83, 0xc8, 0x01,				/* or eax, 1 */
	0x0f, 0x22, 0xc0,				/* mov cr0, eax */
	0x66, 0xea, 0x20, 0x7c, 0x00, 0x00, 0x08, 0x00,	/* jmp far dword 0x08:0x7c20 */
};

/* At PROTECTED: data segments, 32-bit I/O, then the 16-bit code segment's code at CODE16. */
static const uint8_t protected_code[] = {
	0x66, 0xb8, 0x10, 0x00,				/* mov ax, 0x10 */
	0x8e, 0xd8,					/* mov ds, ax */
	0x8e, 0xd0,					/* mov ss, ax */
	0xc7, 0x05, 0x00, 0x00, 0x02, 0x00,		/* mov dword [0x20000], */
	0x44, 0x33, 0x22, 0x11,				/*     0x11223344 */
	0x66, 0xba, 0x78, 0x56,				/* mov dx, 0x5678 */
	0xed,						/* in eax, dx */
	0xa3, 0x04, 0x00, 0x02, 0x00,			/* mov [0x20004], eax */
	0xe6, 0x12,					/* out 0x12, al */
	0xea, 0xc0, 0x7d, 0x00, 0x00, 0x18, 0x00,	/* jmp far 0x18:0x7dc0 */
};
static const uint8_t code16[] = {
	0xba, 0x34, 0x12,				/* mov dx, 0x1234 */
	0xed,						/* in ax, dx: 2 bytes wide */
	0xe6, 0x13,					/* out 0x13, al */
	0xf4,						/* hlt */
};

/* At 0x7d00, entered in protected mode with DS based at 0x30000. */
static const uint8_t ds_code[] = {
	0xc7, 0x05, 0x00, 0x01, 0x00, 0x00,		/* mov dword [0x100], */
	0x78, 0x56, 0x34, 0x12,				/*     0x12345678 */
	0xf4,						/* hlt */
};

/* GDTR at GDT; null, flat 32-bit code, flat data, 16-bit code (64 KiB at 0). */
static const uint64_t gdt[] = {
	0x7e08001full,					/* limit 0x1f, base 0x7e08 */
	0,
	0x00cf9a000000ffffull,
	0x00cf92000000ffffull,
	0x00009a000000ffffull,
};

/* At 0x7d80, 32-bit code on flat segments with null selectors (TDH.VP.INIT's state). */
#define FLAT_BOOT	0x7d80
static const uint8_t flat_boot[] = {
	0x0f, 0x01, 0x15, 0x00, 0x7e, 0x00, 0x00,	/* lgdt [0x7e00] */
	0xea, 0x20, 0x7c, 0x00, 0x00, 0x08, 0x00,	/* jmp far 0x08:0x7c20 */
};

static bool have_tcg(void)
{
	return kvm_check_cap(KVM_CAP_COCO_ENGINE) & (1 << KVM_COCO_ENGINE_TCG);
}

/* A VM with 1 MiB at 0 and the 64 KiB below 4 GiB, a vCPU in the reset state. */
static void guest_create(struct guest *g)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_COCO_ENGINE,
				      .args = { KVM_COCO_ENGINE_TCG } };

	g->vm = vm_create(KVM_X86_DEFAULT_VM);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vm, KVM_ENABLE_CAP, &cap), 0);
	g->low = test_alloc_mem(LOW_MEM);
	g->bios = test_alloc_mem(BIOS_SIZE);
	TEST_ASSERT_EQ(__vm_set_user_memory_region(g->vm, 0, 0, 0, LOW_MEM, g->low), 0);
	TEST_ASSERT_EQ(__vm_set_user_memory_region(g->vm, 1, 0, BIOS_GPA, BIOS_SIZE, g->bios), 0);
	memcpy(g->low + GDT, gdt, sizeof(gdt));
	g->vcpu = vm_create_vcpu(g->vm, 0);
	g->run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	TEST_ASSERT(g->run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
}

static void guest_destroy(struct guest *g)
{
	munmap(g->run, PAGE_SIZE);
	kvm_close(g->vcpu);
	kvm_close(g->vm);
	munmap(g->low, LOW_MEM);
	munmap(g->bios, BIOS_SIZE);
}

static void run(struct guest *g, uint32_t exit_reason)
{
	TEST_ASSERT(!kvm_coco_ioctl(g->vcpu, KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT(g->run->exit_reason == exit_reason, "exit %u (want %u), internal %u",
		    g->run->exit_reason, exit_reason, g->run->internal.suberror);
}

/* An I/O exit: its port, size and direction; the data the guest gave or @in for it. */
static void run_io(struct guest *g, uint16_t port, uint8_t size, bool in, uint32_t *data)
{
	uint8_t *p;

	run(g, KVM_EXIT_IO);
	TEST_ASSERT_EQ(g->run->io.port, port);
	TEST_ASSERT_EQ(g->run->io.size, size);
	TEST_ASSERT_EQ(g->run->io.direction, in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT);
	p = (uint8_t *)g->run + g->run->io.data_offset;
	if (in)
		memcpy(p, data, size);
	else
		memcpy(data, p, size);
}

static void get_sregs(struct guest *g, struct kvm_sregs *s)
{
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_GET_SREGS, s), 0);
}

/* Real mode at CS:IP 0:@ip, the other segments at 0. */
static void set_real_mode(struct guest *g, uint64_t ip)
{
	struct kvm_regs r = { .rip = ip, .rflags = 2, .rsp = 0x7000 };
	struct kvm_sregs s;

	get_sregs(g, &s);
	s.cs.selector = 0;
	s.cs.base = 0;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_SET_SREGS, &s), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_SET_REGS, &r), 0);
}

static void test_reset_vector(void)
{
	struct kvm_sregs s;
	struct guest g;
	uint32_t data = 0;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g);
	memcpy(g.bios + BIOS_SIZE - 16, reset_vector, sizeof(reset_vector));
	memcpy(g.low + 0xfe05b, bios_entry, sizeof(bios_entry));
	memcpy(g.low + BOOT, real_code, sizeof(real_code));
	run_io(&g, 0x10, 1, false, &data);
	TEST_ASSERT_EQ(data, 0x41);
	/* The far jump kept the selector and moved the base. */
	get_sregs(&g, &s);
	TEST_ASSERT_EQ(s.cs.selector, 0xf000);
	TEST_ASSERT_EQ(s.cs.base, 0xf0000);
	TEST_ASSERT_EQ(s.cr0 & CR0_PE, 0);
	data = 0x5678;
	run_io(&g, 0x1234, 2, true, &data);
	data = 0;
	run_io(&g, 0x11, 1, false, &data);
	TEST_ASSERT_EQ(data, 0x78);
	run(&g, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(*(uint16_t *)(g.low + 0x10004), 0xbeef);
	TEST_ASSERT_EQ(*(uint16_t *)(g.low + 0x10006), 0x5678);
	get_sregs(&g, &s);
	TEST_ASSERT_EQ(s.cs.selector, 0);
	TEST_ASSERT_EQ(s.cs.base, 0);
	TEST_ASSERT_EQ(s.ds.selector, 0x1000);
	TEST_ASSERT_EQ(s.ds.base, 0x10000);
	guest_destroy(&g);
}

/*
 * The guest's protected-mode code, reached whichever way: its exits, and each one's segments
 * as its GDT gave them.
 */
static void run_protected_code(struct guest *g)
{
	uint32_t data = 0x9abcdef0;
	struct kvm_sregs s;

	/* 32-bit code: IN without a prefix is 4 bytes wide. */
	run_io(g, 0x5678, 4, true, &data);
	run_io(g, 0x12, 1, false, &data);
	TEST_ASSERT_EQ(data & 0xff, 0xf0);
	TEST_ASSERT_EQ(*(uint32_t *)(g->low + 0x20000), 0x11223344);
	TEST_ASSERT_EQ(*(uint32_t *)(g->low + 0x20004), 0x9abcdef0);
	get_sregs(g, &s);
	TEST_ASSERT(s.cr0 & CR0_PE, "cr0 %#llx", (unsigned long long)s.cr0);
	TEST_ASSERT_EQ(s.gdt.base, GDT + 8);
	TEST_ASSERT_EQ(s.gdt.limit, 0x1f);
	TEST_ASSERT_EQ(s.cs.selector, 8);
	TEST_ASSERT_EQ(s.cs.base, 0);
	TEST_ASSERT_EQ(s.cs.limit, 0xffffffff);
	TEST_ASSERT_EQ(s.cs.db, 1);
	TEST_ASSERT_EQ(s.cs.type & 0xa, 0xa);		/* code, readable */
	TEST_ASSERT_EQ(s.ds.selector, 0x10);
	TEST_ASSERT_EQ(s.ds.type & 0xa, 0x2);		/* data, writable */
	TEST_ASSERT_EQ(s.ds.db, 1);
	TEST_ASSERT_EQ(s.ss.selector, 0x10);
	TEST_ASSERT_EQ(s.ss.limit, 0xffffffff);

	/* The 16-bit code segment: IN without a prefix is 2 bytes wide. */
	data = 0x5678;
	run_io(g, 0x1234, 2, true, &data);
	data = 0;
	run_io(g, 0x13, 1, false, &data);
	TEST_ASSERT_EQ(data, 0x78);
	get_sregs(g, &s);
	TEST_ASSERT_EQ(s.cs.selector, 0x18);
	TEST_ASSERT_EQ(s.cs.db, 0);
	TEST_ASSERT_EQ(s.cs.limit, 0xffff);
	run(g, KVM_EXIT_HLT);
}

static void load_protected_code(struct guest *g)
{
	memcpy(g->low + PROTECTED, protected_code, sizeof(protected_code));
	memcpy(g->low + CODE16, code16, sizeof(code16));
}

static void test_real_to_protected(void)
{
	struct guest g;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g);
	memcpy(g.low + BOOT, to_protected, sizeof(to_protected));
	load_protected_code(&g);
	set_real_mode(&g, BOOT);
	run_protected_code(&g);
	guest_destroy(&g);
}

/* Flat 32-bit protected mode with paging off, null selectors (a TD's first state). */
static void set_flat32(struct guest *g)
{
	struct kvm_segment code = { .limit = 0xffffffff, .type = 0xb, .present = 1, .s = 1,
				    .db = 1, .g = 1 };
	struct kvm_segment data = code;
	struct kvm_regs r = { .rip = FLAT_BOOT, .rflags = 2, .rsp = 0x7000 };
	struct kvm_sregs s;

	data.type = 3;
	get_sregs(g, &s);
	s.cr0 = CR0_PE | (1ull << 4);			/* PE | ET */
	s.cs = code;
	s.ds = data;
	s.es = data;
	s.fs = data;
	s.gs = data;
	s.ss = data;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_SET_SREGS, &s), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_SET_REGS, &r), 0);
}

/*
 * From flat 32-bit protected mode the guest sets up protected mode itself; each exit's
 * segments are what its descriptors gave, a 16-bit code segment's I/O 2 bytes wide.
 */
static void test_guest_enters_protected_mode(void)
{
	struct guest g;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g);
	memcpy(g.low + FLAT_BOOT, flat_boot, sizeof(flat_boot));
	load_protected_code(&g);
	set_flat32(&g);
	run_protected_code(&g);
	guest_destroy(&g);
}

/* Protected mode as the VMM sets it: flat CS and SS, DS based at 0x30000. */
static void set_protected_mode(struct guest *g, struct kvm_sregs *s)
{
	struct kvm_regs r = { .rip = 0x7d00, .rflags = 2, .rsp = 0x7000 };
	struct kvm_segment code = { .limit = 0xffffffff, .selector = 8, .type = 0xb,
				    .present = 1, .s = 1, .db = 1, .g = 1 };
	struct kvm_segment data = code;

	data.selector = 0x10;
	data.type = 3;
	get_sregs(g, s);
	s->cr0 |= CR0_PE;
	s->cs = code;
	s->ss = data;
	s->es = data;
	s->fs = data;
	s->gs = data;
	s->ds = data;
	s->ds.base = 0x30000;
	s->ds.limit = 0xffff;
	s->ds.g = 0;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_SET_REGS, &r), 0);
}

static void test_protected_mode_entry(void)
{
	struct kvm_sregs s;
	struct guest g;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g);
	memcpy(g.low + 0x7d00, ds_code, sizeof(ds_code));
	set_protected_mode(&g, &s);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_SET_SREGS, &s), 0);
	run(&g, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(*(uint32_t *)(g.low + 0x30100), 0x12345678);
	TEST_ASSERT_EQ(*(uint32_t *)(g.low + 0x100), 0);
	get_sregs(&g, &s);
	TEST_ASSERT_EQ(s.ds.base, 0x30000);
	guest_destroy(&g);
}

/*
 * A null SS with a usable hidden part runs, as VMRUN takes it (a TD starts so).  What the
 * engine cannot load is KVM's emulation failure, and nothing runs: a CS that is not code, a
 * CS or SS of another privilege level than 0, virtual-8086 mode.
 */
static void test_loadable_states(void)
{
	struct kvm_regs r;
	struct kvm_sregs s, good;
	struct guest g;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g);
	memcpy(g.low + 0x7d00, ds_code, sizeof(ds_code));
	set_protected_mode(&g, &good);

	s = good;
	s.cs.type = 3;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_SET_SREGS, &s), 0);
	run(&g, KVM_EXIT_INTERNAL_ERROR);
	TEST_ASSERT_EQ(g.run->internal.suberror, KVM_INTERNAL_ERROR_EMULATION);
	s = good;
	s.ss.dpl = 3;
	s.cs.dpl = 3;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_SET_SREGS, &s), 0);
	run(&g, KVM_EXIT_INTERNAL_ERROR);
	TEST_ASSERT_EQ(*(uint32_t *)(g.low + 0x30100), 0);

	s = good;
	s.ss.selector = 0;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_SET_SREGS, &s), 0);
	run(&g, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(*(uint32_t *)(g.low + 0x30100), 0x12345678);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_GET_SREGS, &s), 0);
	TEST_ASSERT_EQ(s.ss.selector, 0);

	/* Virtual-8086 mode. */
	set_real_mode(&g, BOOT);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_GET_REGS, &r), 0);
	r.rflags |= EFLAGS_VM;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_SET_REGS, &r), 0);
	run(&g, KVM_EXIT_INTERNAL_ERROR);
	TEST_ASSERT_EQ(g.run->internal.suberror, KVM_INTERNAL_ERROR_EMULATION);
	guest_destroy(&g);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_reset_vector),
		KSFT_TEST(test_real_to_protected),
		KSFT_TEST(test_guest_enters_protected_mode),
		KSFT_TEST(test_protected_mode_entry),
		KSFT_TEST(test_loadable_states),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
