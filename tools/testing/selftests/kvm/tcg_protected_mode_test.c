// SPDX-License-Identifier: GPL-2.0
/*
 * The TCG engine runs a guest that sets up protected mode itself, as boot code does: from
 * flat 32-bit protected mode (a TD's first state) it loads a GDT, far-jumps to a code segment
 * of it, loads data segments, talks 32-bit port I/O, then far-jumps to a 16-bit code segment
 * whose IN without a prefix is 2 bytes wide.  At each exit KVM_GET_SREGS reports the segments
 * the guest loaded, hidden parts as its GDT gave them.  Skipped where the host has no TCG
 * engine (the kernel module).
 */
#include <sys/mman.h>

#include <linux/kvm_coco.h>

#include "kvm_util.h"

#define MEM		(1ul << 20)
#define BOOT		0x7c00
#define GDT		0x7e00
#define CR0_PE		1ull

struct guest {
	int vm, vcpu;
	uint8_t *mem;
	struct kvm_run *run;
};

/* At BOOT, 32-bit code on Unicorn's flat segments. */
static const uint8_t boot_code[] = {
	0x0f, 0x01, 0x15, 0x00, 0x7e, 0x00, 0x00,	/* lgdt [0x7e00] */
	0xea, 0x0e, 0x7c, 0x00, 0x00, 0x08, 0x00,	/* jmp far 0x08:0x7c0e */
	0x66, 0xb8, 0x10, 0x00,				/* mov ax, 0x10 */
	0x8e, 0xd8,					/* mov ds, ax */
	0x8e, 0xd0,					/* mov ss, ax */
	0xc7, 0x05, 0x00, 0x00, 0x02, 0x00,		/* mov dword [0x20000], */
	0x44, 0x33, 0x22, 0x11,				/*     0x11223344 */
	0x66, 0xba, 0x78, 0x56,				/* mov dx, 0x5678 */
	0xed,						/* in eax, dx */
	0xa3, 0x04, 0x00, 0x02, 0x00,			/* mov [0x20004], eax */
	0xe6, 0x12,					/* out 0x12, al */
	0xea, 0x40, 0x7c, 0x00, 0x00, 0x18, 0x00,	/* jmp far 0x18:0x7c40 */
};

/* At BOOT + 0x40, in the 16-bit code segment. */
static const uint8_t code16[] = {
	0xba, 0x34, 0x12,				/* mov dx, 0x1234 */
	0xed,						/* in ax, dx */
	0xe6, 0x13,					/* out 0x13, al */
	0xf4,						/* hlt */
};

/* GDTR at GDT; null, flat 32-bit code, flat data, 16-bit code (64 KiB at 0). */
static const uint64_t gdt[] = {
	0x7e08001full,
	0,
	0x00cf9a000000ffffull,
	0x00cf92000000ffffull,
	0x00009a000000ffffull,
};

static bool have_tcg(void)
{
	return kvm_check_cap(KVM_CAP_COCO_ENGINE) & (1 << KVM_COCO_ENGINE_TCG);
}

/* Flat 32-bit protected mode with paging off, null selectors (TDH.VP.INIT's state). */
static void set_flat32(struct guest *g)
{
	struct kvm_segment code = { .limit = 0xffffffff, .type = 0xb, .present = 1, .s = 1,
				    .db = 1, .g = 1 };
	struct kvm_segment data = code;
	struct kvm_regs r = { .rip = BOOT, .rflags = 2, .rsp = 0x7000 };
	struct kvm_sregs s;

	data.type = 3;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_GET_SREGS, &s), 0);
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

static void guest_create(struct guest *g)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_COCO_ENGINE,
				      .args = { KVM_COCO_ENGINE_TCG } };

	g->vm = vm_create(KVM_X86_DEFAULT_VM);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vm, KVM_ENABLE_CAP, &cap), 0);
	g->mem = test_alloc_mem(MEM);
	TEST_ASSERT_EQ(__vm_set_user_memory_region(g->vm, 0, 0, 0, MEM, g->mem), 0);
	memcpy(g->mem + BOOT, boot_code, sizeof(boot_code));
	memcpy(g->mem + BOOT + 0x40, code16, sizeof(code16));
	memcpy(g->mem + GDT, gdt, sizeof(gdt));
	g->vcpu = vm_create_vcpu(g->vm, 0);
	g->run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	TEST_ASSERT(g->run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
	set_flat32(g);
}

static void guest_destroy(struct guest *g)
{
	munmap(g->run, PAGE_SIZE);
	kvm_close(g->vcpu);
	kvm_close(g->vm);
	munmap(g->mem, MEM);
}

/* An I/O exit: its port, size and direction; the data the guest gave, or @data for it. */
static void run_io(struct guest *g, uint16_t port, uint8_t size, bool in, uint32_t *data)
{
	uint8_t *p = (uint8_t *)g->run + g->run->io.data_offset;

	TEST_ASSERT(!kvm_coco_ioctl(g->vcpu, KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(g->run->exit_reason, KVM_EXIT_IO);
	TEST_ASSERT_EQ(g->run->io.port, port);
	TEST_ASSERT_EQ(g->run->io.size, size);
	TEST_ASSERT_EQ(g->run->io.direction, in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT);
	p = (uint8_t *)g->run + g->run->io.data_offset;
	if (in)
		memcpy(p, data, size);
	else
		memcpy(data, p, size);
}

static void test_guest_enters_protected_mode(void)
{
	uint32_t data = 0x9abcdef0;
	struct kvm_sregs s;
	struct guest g;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	guest_create(&g);
	run_io(&g, 0x5678, 4, true, &data);
	run_io(&g, 0x12, 1, false, &data);
	TEST_ASSERT_EQ(data & 0xff, 0xf0);
	TEST_ASSERT_EQ(*(uint32_t *)(g.mem + 0x20000), 0x11223344);
	TEST_ASSERT_EQ(*(uint32_t *)(g.mem + 0x20004), 0x9abcdef0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_GET_SREGS, &s), 0);
	TEST_ASSERT_EQ(s.gdt.base, GDT + 8);
	TEST_ASSERT_EQ(s.gdt.limit, 0x1f);
	TEST_ASSERT_EQ(s.cs.selector, 8);
	TEST_ASSERT_EQ(s.cs.base, 0);
	TEST_ASSERT_EQ(s.cs.limit, 0xffffffff);
	TEST_ASSERT_EQ(s.cs.db, 1);
	TEST_ASSERT_EQ(s.cs.type & 0xa, 0xa);		/* code, readable */
	TEST_ASSERT_EQ(s.ds.selector, 0x10);
	TEST_ASSERT_EQ(s.ds.type & 0xa, 0x2);		/* data, writable */
	TEST_ASSERT_EQ(s.ss.selector, 0x10);
	TEST_ASSERT_EQ(s.ss.limit, 0xffffffff);

	/* The 16-bit segment: IN without a prefix is 2 bytes. */
	data = 0x5678;
	run_io(&g, 0x1234, 2, true, &data);
	run_io(&g, 0x13, 1, false, &data);
	TEST_ASSERT_EQ(data & 0xff, 0x78);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_GET_SREGS, &s), 0);
	TEST_ASSERT_EQ(s.cs.selector, 0x18);
	TEST_ASSERT_EQ(s.cs.db, 0);
	TEST_ASSERT_EQ(s.cs.limit, 0xffff);
	TEST_ASSERT(!kvm_coco_ioctl(g.vcpu, KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(g.run->exit_reason, KVM_EXIT_HLT);
	guest_destroy(&g);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_guest_enters_protected_mode),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
