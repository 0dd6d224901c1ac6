// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET/SET_MSRS, KVM_GET/SET_FPU and KVM_GET/SET_MP_STATE: the reset values, a round
 * trip of every MSR KVM knows, the values it refuses (processing stops there, the count done
 * is the answer), E2BIG and EFAULT, EFER and the FS base shared with KVM_GET/SET_SREGS, the
 * FPU's MXCSR check, the one MP state there is; KVM_SET_SREGS's CR4 and APIC base checks;
 * KVM_GET_MSR_INDEX_LIST, which names exactly the MSRs KVM_GET/SET_MSRS take.
 * On the TCG engine, what the VMM sets is what the guest's RDMSR and SSE registers see, and
 * what the guest writes is what the VMM reads back.
 */
#include <linux/kvm_coco.h>

#include "guest.h"
#include "kvm_util.h"

#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SYSCALL_MASK	0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103
#define MSR_IA32_SYSENTER_CS	0x174
#define MSR_IA32_SYSENTER_ESP	0x175
#define MSR_IA32_SYSENTER_EIP	0x176
#define MSR_IA32_CR_PAT		0x277
#define MAX_IO_MSRS		256

struct msrs {
	struct kvm_msrs h;
	struct kvm_msr_entry e[MAX_IO_MSRS];
};

static const struct kvm_msr_entry values[] = {
	{ .index = MSR_STAR, .data = 0x0023001000000000ull },
	{ .index = MSR_LSTAR, .data = 0xffffffff81000000ull },
	{ .index = MSR_CSTAR, .data = 0xffffffff81000100ull },
	{ .index = MSR_SYSCALL_MASK, .data = 0x47700 },
	{ .index = MSR_KERNEL_GS_BASE, .data = 0xffff888000000000ull },
	{ .index = MSR_IA32_SYSENTER_CS, .data = 0x10 },
	{ .index = MSR_IA32_SYSENTER_ESP, .data = 0xffffffff82000000ull },
	{ .index = MSR_IA32_SYSENTER_EIP, .data = 0xffffffff81000200ull },
	{ .index = MSR_TSC_AUX, .data = 3 },
	{ .index = MSR_IA32_CR_PAT, .data = 0x0007010600070106ull },
	{ .index = MSR_GS_BASE, .data = 0x7f0000001000ull },
};

/* KVM_GET_MSRS or KVM_SET_MSRS of @n entries; the ioctl's answer. */
static int msrs_io(int vcpu, bool set, struct msrs *m, unsigned int n)
{
	m->h.nmsrs = n;
	m->h.pad = 0;
	return kvm_coco_ioctl(vcpu, set ? KVM_SET_MSRS : KVM_GET_MSRS, m);
}

static uint64_t get_msr(int vcpu, uint32_t index)
{
	struct msrs m = { .e[0].index = index };

	TEST_ASSERT_EQ(msrs_io(vcpu, false, &m, 1), 1);
	return m.e[0].data;
}

static int set_msr(int vcpu, uint32_t index, uint64_t v)
{
	struct msrs m = { .e[0] = { .index = index, .data = v } };

	return msrs_io(vcpu, true, &m, 1);
}

static void test_msrs(void)
{
	int vm = vm_create_model(KVM_X86_DEFAULT_VM), vcpu = vm_create_vcpu(vm, 0);
	unsigned int i, n = sizeof(values) / sizeof(values[0]);
	struct kvm_sregs s;
	struct msrs m;

	/* The reset values. */
	TEST_ASSERT_EQ(get_msr(vcpu, MSR_IA32_CR_PAT), 0x0007040600070406ull);
	TEST_ASSERT_EQ(get_msr(vcpu, MSR_EFER), 0);
	TEST_ASSERT_EQ(get_msr(vcpu, MSR_LSTAR), 0);

	/* A round trip of each. */
	memcpy(m.e, values, sizeof(values));
	TEST_ASSERT_EQ(msrs_io(vcpu, true, &m, n), n);
	memset(&m, 0, sizeof(m));
	for (i = 0; i < n; i++)
		m.e[i].index = values[i].index;
	TEST_ASSERT_EQ(msrs_io(vcpu, false, &m, n), n);
	for (i = 0; i < n; i++)
		TEST_ASSERT(m.e[i].data == values[i].data, "MSR %#x: %#llx", values[i].index,
			    (unsigned long long)m.e[i].data);

	/* Processing stops at the first MSR KVM does not know; the rest stay as they were. */
	m.e[0] = (struct kvm_msr_entry){ .index = MSR_LSTAR, .data = 0x1000 };
	m.e[1] = (struct kvm_msr_entry){ .index = 0x12345678, .data = 1 };
	m.e[2] = (struct kvm_msr_entry){ .index = MSR_STAR, .data = 0 };
	TEST_ASSERT_EQ(msrs_io(vcpu, true, &m, 3), 1);
	TEST_ASSERT_EQ(get_msr(vcpu, MSR_LSTAR), 0x1000);
	TEST_ASSERT_EQ(get_msr(vcpu, MSR_STAR), values[0].data);
	m.e[0].index = 0x12345678;
	TEST_ASSERT_EQ(msrs_io(vcpu, false, &m, 1), 0);

	/* Values a WRMSR would #GP on. */
	TEST_ASSERT_EQ(set_msr(vcpu, MSR_EFER, 1ull << 1), 0);
	TEST_ASSERT_EQ(set_msr(vcpu, MSR_LSTAR, 0x0000800000000000ull), 0);
	TEST_ASSERT_EQ(set_msr(vcpu, MSR_FS_BASE, 0x8000000000000000ull), 0);
	TEST_ASSERT_EQ(set_msr(vcpu, MSR_IA32_CR_PAT, 0x0000000000000002ull), 0);
	TEST_ASSERT_EQ(set_msr(vcpu, MSR_IA32_CR_PAT, 0x0000000000000800ull), 0);
	TEST_ASSERT_EQ(set_msr(vcpu, MSR_TSC_AUX, 1ull << 32), 0);
	TEST_ASSERT_EQ(get_msr(vcpu, MSR_LSTAR), 0x1000);

	/* EFER and the FS base are KVM_GET/SET_SREGS's too. */
	TEST_ASSERT_EQ(set_msr(vcpu, MSR_EFER, 1ull << 0), 1);	/* SCE */
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_SREGS, &s), 0);
	TEST_ASSERT_EQ(s.efer, 1);
	TEST_ASSERT_EQ(s.gs.base, 0x7f0000001000ull);
	s.fs.base = 0x7f0000002000ull;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), 0);
	TEST_ASSERT_EQ(get_msr(vcpu, MSR_FS_BASE), 0x7f0000002000ull);

	/* Sizes and addresses. */
	TEST_ASSERT_EQ(msrs_io(vcpu, false, &m, 0), 0);
	TEST_ASSERT_ERRNO(msrs_io(vcpu, false, &m, MAX_IO_MSRS), E2BIG);
	TEST_ASSERT_ERRNO(msrs_io(vcpu, true, &m, MAX_IO_MSRS), E2BIG);
	for (i = 0; i < MAX_IO_MSRS - 1; i++)
		m.e[i].index = MSR_LSTAR;
	TEST_ASSERT_EQ(msrs_io(vcpu, false, &m, MAX_IO_MSRS - 1), MAX_IO_MSRS - 1);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_GET_MSRS, NULL), EFAULT);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_MSRS, (void *)8), EFAULT);
	kvm_close(vcpu);
	kvm_close(vm);
}

/*
 * The system fd's list of MSRs to save: E2BIG with the count written back if the room is too
 * small (as upstream), then every MSR of the round trip above and EFER, each readable.
 */
static void test_msr_index_list(void)
{
	struct {
		struct kvm_msr_list h;
		uint32_t indices[64];
	} l = { .h.nmsrs = 2 };
	int kvm = kvm_open(), vm = vm_create(KVM_X86_DEFAULT_VM), vcpu = vm_create_vcpu(vm, 0);
	unsigned int i, j, n;

	TEST_ASSERT_ERRNO(kvm_coco_ioctl(kvm, KVM_GET_MSR_INDEX_LIST, &l), E2BIG);
	n = l.h.nmsrs;
	TEST_ASSERT(n > 2 && n <= 64, "nmsrs %u", n);
	l.h.nmsrs = 64;
	TEST_ASSERT_EQ(kvm_coco_ioctl(kvm, KVM_GET_MSR_INDEX_LIST, &l), 0);
	TEST_ASSERT_EQ(l.h.nmsrs, n);
	for (j = 0; j < sizeof(values) / sizeof(values[0]); j++) {
		for (i = 0; i < n && l.indices[i] != values[j].index; i++)
			;
		TEST_ASSERT(i < n, "MSR %#x not listed", values[j].index);
	}
	for (i = 0; i < n && l.indices[i] != MSR_EFER; i++)
		;
	TEST_ASSERT(i < n, "EFER not listed");
	for (i = 0; i < n; i++)
		get_msr(vcpu, l.indices[i]);		/* each one KVM_GET_MSRS takes */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(kvm, KVM_GET_MSR_INDEX_LIST, test_mem_at_end(2)), EFAULT);
	kvm_close(vcpu);
	kvm_close(vm);
	kvm_close(kvm);
}

static void test_fpu(void)
{
	int vm = vm_create_model(KVM_X86_DEFAULT_VM), vcpu = vm_create_vcpu(vm, 0);
	struct kvm_fpu f, g;

	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_FPU, &f), 0);
	TEST_ASSERT_EQ(f.fcw, 0x37f);
	TEST_ASSERT_EQ(f.mxcsr, 0x1f80);
	TEST_ASSERT_EQ(f.ftwx, 0);

	memset(&f, 0, sizeof(f));
	f.fcw = 0x27f;
	f.mxcsr = 0x1fa0;
	f.ftwx = 0x80;
	f.fpr[7][0] = 0x55;
	f.xmm[3][15] = 0xaa;
	f.pad1 = 1;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_FPU, &f), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_FPU, &g), 0);
	f.pad1 = 0;
	TEST_ASSERT(!memcmp(&f, &g, sizeof(f)), "KVM_GET_FPU differs from KVM_SET_FPU's");

	/* MXCSR's reserved bits would #GP the restore. */
	g.mxcsr = 1u << 16;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_FPU, &g), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_GET_FPU, NULL), EFAULT);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_FPU, NULL), EFAULT);
	kvm_close(vcpu);
	kvm_close(vm);
}

/* No in-kernel local APIC: every vCPU is runnable, the only state the VMM may set. */
static void test_mp_state(void)
{
	int vm = vm_create_model(KVM_X86_DEFAULT_VM), vcpus[2], i;
	struct kvm_mp_state m;
	uint32_t s;

	TEST_ASSERT_EQ(kvm_check_cap(KVM_CAP_MP_STATE), 1);
	for (i = 0; i < 2; i++) {
		vcpus[i] = vm_create_vcpu(vm, i);
		m.mp_state = 77;
		TEST_ASSERT_EQ(kvm_coco_ioctl(vcpus[i], KVM_GET_MP_STATE, &m), 0);
		TEST_ASSERT_EQ(m.mp_state, KVM_MP_STATE_RUNNABLE);
	}
	m.mp_state = KVM_MP_STATE_RUNNABLE;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpus[1], KVM_SET_MP_STATE, &m), 0);
	for (s = KVM_MP_STATE_UNINITIALIZED; s <= 10; s++) {
		m.mp_state = s;
		TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpus[1], KVM_SET_MP_STATE, &m), EINVAL);
	}
	m.mp_state = 0xffffffff;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpus[1], KVM_SET_MP_STATE, &m), EINVAL);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpus[1], KVM_GET_MP_STATE, &m), 0);
	TEST_ASSERT_EQ(m.mp_state, KVM_MP_STATE_RUNNABLE);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpus[1], KVM_GET_MP_STATE, NULL), EFAULT);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpus[1], KVM_SET_MP_STATE, NULL), EFAULT);
	for (i = 0; i < 2; i++)
		kvm_close(vcpus[i]);
	kvm_close(vm);
}

/* The VMM's LSTAR and XMM8 as the guest reads them; then its own STAR and XMM15. */
static GUEST_CODE void guest_state(uint64_t id)
{
	uint32_t lo, hi;
	uint64_t x;

	asm volatile("movq %%xmm8, %0" : "=r"(x));
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_LSTAR));
	GUEST_SYNC_ARGS(1, (uint64_t)hi << 32 | lo, x, 0);
	asm volatile("wrmsr" : : "c"(MSR_STAR), "a"(0x11112222), "d"(0x00230010));
	asm volatile("movq %0, %%xmm15" : : "r"(0x5566778899aabbccull) : "xmm15");
	GUEST_SYNC(2);
	GUEST_DONE();
}

/* The vCPU's CPUID: the 0x80000000 leaves up to 0x80000008, which says MAXPHYADDR @bits. */
static void set_maxphyaddr(int vcpu, unsigned int bits)
{
	struct {
		struct kvm_cpuid2 h;
		struct kvm_cpuid_entry2 e[2];
	} c = {
		.h.nent = 2,
		.e = { { .function = 0x80000000, .eax = 0x80000008 },
		       { .function = 0x80000008, .eax = bits } },
	};

	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_CPUID2, &c), 0);
}

/*
 * KVM_SET_SREGS takes the CR4 bits of every x86-64 CPU and refuses the rest (their features
 * are not in KVM_GET_SUPPORTED_CPUID), and an APIC base with a reserved bit: 0-7, 9, x2APIC
 * mode, or one from MAXPHYADDR (36 until the CPUID says otherwise) up.  A refusal changes
 * nothing.
 */
static void test_sregs_checks(void)
{
	int vm = vm_create(KVM_X86_DEFAULT_VM), vcpu = vm_create_vcpu(vm, 0);
	struct kvm_sregs s, orig, now;
	unsigned int bit;

	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_SREGS, &orig), 0);
	s = orig;
	s.cr0 = 0;
	s.cr4 = 0x7ff;		/* VME ... OSXMMEXCPT */
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_SREGS, &now), 0);
	TEST_ASSERT_EQ(now.cr4, 0x7ff);
	orig = now;
	for (bit = 11; bit < 64; bit++) {
		s = orig;
		s.cr4 |= 1ull << bit;
		TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), EINVAL);
	}
	for (bit = 0; bit < 10; bit++) {
		s = orig;
		s.apic_base = 0xfee00000 | 1 << 11 | 1 << bit;
		if (bit == 8)		/* BSP */
			continue;
		TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), EINVAL);
	}
	s = orig;
	s.apic_base = 1ull << 36 | 1 << 11;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), EINVAL);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_SREGS, &now), 0);
	TEST_ASSERT(!memcmp(&now, &orig, sizeof(now)), "a refused KVM_SET_SREGS changed sregs");
	set_maxphyaddr(vcpu, 40);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), 0);
	s.apic_base = 1ull << 40 | 1 << 11;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), EINVAL);
	s.apic_base = 1 << 11;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), 0);
	kvm_close(vcpu);
	kvm_close(vm);
}

static void test_state_reaches_guest_code(void)
{
	struct guest_vcpu v;
	struct guest_vm g;
	struct kvm_fpu f;
	struct ucall uc;

	TEST_SKIP_UNLESS(have_guest_code(), "no TCG engine in this host");
	guest_vm_create(&g, KVM_X86_DEFAULT_VM);
	guest_vcpu_add(&g, &v, 0, guest_state);
	TEST_ASSERT_EQ(set_msr(v.fd, MSR_LSTAR, 0xffffffff81234560ull), 1);
	TEST_ASSERT_EQ(kvm_coco_ioctl(v.fd, KVM_GET_FPU, &f), 0);
	memcpy(f.xmm[8], &(uint64_t){ 0x0123456789abcdefull }, 8);
	TEST_ASSERT_EQ(kvm_coco_ioctl(v.fd, KVM_SET_FPU, &f), 0);

	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_SYNC);
	TEST_ASSERT_EQ(uc.args[1], 0xffffffff81234560ull);
	TEST_ASSERT_EQ(uc.args[2], 0x0123456789abcdefull);

	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_SYNC);
	TEST_ASSERT_EQ(uc.args[0], 2);
	TEST_ASSERT_EQ(get_msr(v.fd, MSR_STAR), 0x0023001011112222ull);
	TEST_ASSERT_EQ(get_msr(v.fd, MSR_LSTAR), 0xffffffff81234560ull);
	TEST_ASSERT_EQ(kvm_coco_ioctl(v.fd, KVM_GET_FPU, &f), 0);
	TEST_ASSERT_EQ(*(uint64_t *)f.xmm[15], 0x5566778899aabbccull);
	TEST_ASSERT_EQ(*(uint64_t *)f.xmm[8], 0x0123456789abcdefull);
	TEST_ASSERT_EQ(f.mxcsr, 0x1f80);

	/* A KVM_SET_MSRS now leaves the guest's own STAR and XMM15 as they are. */
	TEST_ASSERT_EQ(set_msr(v.fd, MSR_CSTAR, 0xffffffff81000000ull), 1);
	vcpu_run(&v);
	TEST_ASSERT_EQ(get_ucall(&g, &v, &uc), UCALL_DONE);
	TEST_ASSERT_EQ(get_msr(v.fd, MSR_STAR), 0x0023001011112222ull);
	TEST_ASSERT_EQ(kvm_coco_ioctl(v.fd, KVM_GET_FPU, &f), 0);
	TEST_ASSERT_EQ(*(uint64_t *)f.xmm[15], 0x5566778899aabbccull);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_msrs),
		KSFT_TEST(test_msr_index_list),
		KSFT_TEST(test_fpu),
		KSFT_TEST(test_mp_state),
		KSFT_TEST(test_sregs_checks),
		KSFT_TEST(test_state_reaches_guest_code),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
