// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET_SUPPORTED_CPUID on the system device, as upstream answers it (asked of upstream
 * 6.12: E2BIG with nent untouched when nent cannot hold every entry, else all of them and nent
 * set, a larger nent fine, EFAULT for a bad pointer); what it offers is the CPU the engine
 * runs (AMD, 64-bit mode, SSE2, NX, KVM's signature and KVM_HC_MAP_GPA_RANGE), and a guest
 * given it sees it.  KVM_GET/SET_TSC_KHZ and their capabilities.
 */
#include <linux/kvm_coco.h>
#include <linux/kvm_para.h>

#include "guest.h"
#include "kvm_util.h"

#define MAX_ENTRIES	300
#define LM		(1u << 29)		/* CPUID 0x80000001 EDX */
#define NX		(1u << 20)
#define SSE2		(1u << 26)		/* CPUID 1 EDX */

static struct kvm_cpuid2 *cpuid_alloc(void)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + MAX_ENTRIES * sizeof(c->entries[0]));

	TEST_ASSERT(c, "calloc");
	return c;
}

static int get_supported(int kvm, struct kvm_cpuid2 *c, uint32_t nent)
{
	c->nent = nent;
	return kvm_coco_ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c);
}

static const struct kvm_cpuid_entry2 *leaf(const struct kvm_cpuid2 *c, uint32_t function)
{
	uint32_t i;

	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == function)
			return &c->entries[i];
	TEST_ASSERT(0, "no leaf %#x", function);
	return NULL;
}

static void test_supported_cpuid_sizes(void)
{
	struct kvm_cpuid2 *c = cpuid_alloc();
	int kvm = kvm_open();
	uint32_t n;

	TEST_ASSERT_ERRNO(get_supported(kvm, c, 0), E2BIG);
	TEST_ASSERT_EQ(c->nent, 0);
	TEST_ASSERT_ERRNO(get_supported(kvm, c, 1), E2BIG);
	TEST_ASSERT_EQ(c->nent, 1);
	TEST_ASSERT_EQ(get_supported(kvm, c, 256), 0);
	n = c->nent;
	TEST_ASSERT(n > 1 && n < 256, "%u entries", n);
	/* Exactly enough, and more than the most KVM_SET_CPUID2 takes: both fine. */
	TEST_ASSERT_EQ(get_supported(kvm, c, n), 0);
	TEST_ASSERT_EQ(c->nent, n);
	TEST_ASSERT_ERRNO(get_supported(kvm, c, n - 1), E2BIG);
	TEST_ASSERT_EQ(get_supported(kvm, c, 257), 0);
	TEST_ASSERT_EQ(c->nent, n);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(kvm, KVM_GET_SUPPORTED_CPUID, NULL), EFAULT);
	kvm_close(kvm);
	free(c);
}

static void test_supported_cpuid_is_the_engine_cpu(void)
{
	struct kvm_cpuid2 *c = cpuid_alloc();
	int kvm = kvm_open();
	uint32_t types;

	TEST_ASSERT_EQ(get_supported(kvm, c, MAX_ENTRIES), 0);
	/* "AuthenticAMD", as EBX, EDX, ECX spell it */
	TEST_ASSERT_EQ(leaf(c, 0)->ebx, 0x68747541);
	TEST_ASSERT_EQ(leaf(c, 0)->edx, 0x69746e65);
	TEST_ASSERT_EQ(leaf(c, 0)->ecx, 0x444d4163);
	TEST_ASSERT(leaf(c, 1)->edx & SSE2, "SSE2");
	TEST_ASSERT(leaf(c, 0x80000000)->eax >= 0x80000008, "extended leaves");
	TEST_ASSERT_EQ(leaf(c, 0x80000001)->edx & (LM | NX), LM | NX);
	TEST_ASSERT_EQ(leaf(c, 0x80000008)->eax & 0xff, 40);
	/* SEV, SEV-ES, SEV-SNP, as KVM_CAP_VM_TYPES offers them; the C-bit at 51; no VMPLs. */
	TEST_ASSERT(leaf(c, 0x80000000)->eax >= 0x8000001f, "the SEV leaf");
	TEST_ASSERT_EQ(leaf(c, 0x8000001f)->eax, (1u << 1) | (1u << 3) | (1u << 4));
	TEST_ASSERT_EQ(leaf(c, 0x8000001f)->ebx, 51);
	types = (1u << KVM_X86_SEV_VM) | (1u << KVM_X86_SEV_ES_VM) | (1u << KVM_X86_SNP_VM);
	TEST_ASSERT_EQ(kvm_coco_ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES) & types, types);
	/* "KVMKVMKVM" */
	TEST_ASSERT_EQ(leaf(c, KVM_CPUID_SIGNATURE)->ebx, 0x4b4d564b);
	TEST_ASSERT_EQ(leaf(c, KVM_CPUID_SIGNATURE)->eax, KVM_CPUID_FEATURES);
	TEST_ASSERT(leaf(c, KVM_CPUID_FEATURES)->eax & (1u << KVM_FEATURE_HC_MAP_GPA_RANGE),
		    "MAP_GPA_RANGE offered");
	kvm_close(kvm);
	free(c);
}

static GUEST_CODE void guest_cpuid(uint64_t id)
{
	uint32_t a, b, c, d;

	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001), "c"(0));
	GUEST_SYNC_ARGS(0, d, c, 0);
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(KVM_CPUID_SIGNATURE),
		     "c"(0));
	GUEST_SYNC_ARGS(1, b, c, d);
	GUEST_DONE();
}

/* A VMM that gives its vCPU the supported CPUID: the guest's CPUID instruction reads it. */
static void test_guest_sees_supported_cpuid(void)
{
	struct kvm_cpuid2 *c = cpuid_alloc();
	struct guest_vcpu v;
	struct guest_vm g;
	struct ucall uc;
	int kvm;

	if (!(kvm_check_cap(KVM_CAP_COCO_ENGINE) & (1 << KVM_COCO_ENGINE_TCG)))
		return test_skip("no TCG engine in this host");
	kvm = kvm_open();
	TEST_ASSERT_EQ(get_supported(kvm, c, MAX_ENTRIES), 0);
	kvm_close(kvm);
	guest_vm_create(&g, KVM_X86_DEFAULT_VM);
	guest_vcpu_add(&g, &v, 0, guest_cpuid);
	TEST_ASSERT_EQ(kvm_coco_ioctl(v.fd, KVM_SET_CPUID2, c), 0);
	vcpu_run(&v);
	TEST_ASSERT_EQ(get_ucall(&g, &v, &uc), UCALL_SYNC);
	TEST_ASSERT_EQ(uc.args[1], leaf(c, 0x80000001)->edx);
	TEST_ASSERT_EQ(uc.args[2], leaf(c, 0x80000001)->ecx);
	vcpu_run(&v);
	TEST_ASSERT_EQ(get_ucall(&g, &v, &uc), UCALL_SYNC);
	TEST_ASSERT_EQ(uc.args[1], 0x4b4d564b);
	TEST_ASSERT_EQ(uc.args[2], 0x564b4d56);
	TEST_ASSERT_EQ(uc.args[3], 0x4d);
	vcpu_run(&v);
	TEST_ASSERT_EQ(get_ucall(&g, &v, &uc), UCALL_DONE);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
	free(c);
}

/*
 * The TSC rate: the host's, on a VM and on a vCPU; no scaling (KVM_CAP_TSC_CONTROL 0), so
 * only that rate or 0 (the default) may be set.
 */
static void test_tsc_khz(void)
{
	int kvm = kvm_open(), vm, vcpu, khz;

	TEST_ASSERT_EQ(kvm_check_cap(KVM_CAP_GET_TSC_KHZ), 1);
	TEST_ASSERT_EQ(kvm_check_cap(KVM_CAP_TSC_CONTROL), 0);
	vm = vm_create(KVM_X86_DEFAULT_VM);
	vcpu = vm_create_vcpu(vm, 0);
	khz = kvm_coco_ioctl(vcpu, KVM_GET_TSC_KHZ, 0);
	TEST_ASSERT(khz > 100000, "a TSC of %d kHz", khz);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vm, KVM_GET_TSC_KHZ, 0), khz);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_TSC_KHZ, 0), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_TSC_KHZ, khz), 0);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_TSC_KHZ, khz / 2), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_SET_TSC_KHZ, khz + 1000), EINVAL);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_TSC_KHZ, 0), khz);
	kvm_close(vcpu);
	kvm_close(vm);
	kvm_close(kvm);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_supported_cpuid_sizes),
		KSFT_TEST(test_supported_cpuid_is_the_engine_cpu),
		KSFT_TEST(test_guest_sees_supported_cpuid),
		KSFT_TEST(test_tsc_khz),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
