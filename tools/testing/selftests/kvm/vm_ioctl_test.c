// SPDX-License-Identifier: GPL-2.0
/*
 * VM ioctls VMMs and upstream's selftests issue on every VM, with upstream 6.12's rules:
 * KVM_CREATE_IRQCHIP (once per VM, EEXIST after; EINVAL once a vCPU exists; kvm-coco models
 * no interrupt controller and KVM_CAP_IRQCHIP says so), KVM_SET_NR_MMU_PAGES (at least 64;
 * KVM_GET_NR_MMU_PAGES is gone from 6.12: ENOTTY); the system fd's device attributes (the
 * VMSA features KVM_SEV_INIT2 takes); KVM_CAP_MAX_VCPU_ID (a lower bound on vCPU ids, once).
 */
#include "kvm_util.h"
#include "sev.h"

static const unsigned long vm_types[] = {
	KVM_X86_DEFAULT_VM, KVM_X86_SW_PROTECTED_VM, KVM_X86_SNP_VM, KVM_X86_TDX_VM,
};

static void test_create_irqchip(void)
{
	unsigned int i;
	int kvm = kvm_open(), vm;

	TEST_ASSERT_EQ(kvm_coco_ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP), 0);
	for (i = 0; i < sizeof(vm_types) / sizeof(vm_types[0]); i++) {
		vm = vm_create(vm_types[i]);
		TEST_ASSERT_EQ(kvm_coco_ioctl(vm, KVM_CREATE_IRQCHIP, 0), 0);
		TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_CREATE_IRQCHIP, 0), EEXIST);
		kvm_close(vm);
	}
	/* The vCPUs' local APICs would come with it: not after the first vCPU. */
	vm = vm_create(KVM_X86_DEFAULT_VM);
	kvm_close(vm_create_vcpu(vm, 0));
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_CREATE_IRQCHIP, 0), EINVAL);
	kvm_close(vm);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(kvm, KVM_CREATE_IRQCHIP, 0), ENOTTY);
	kvm_close(kvm);
}

static void test_nr_mmu_pages(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);

	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_SET_NR_MMU_PAGES, 0), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_SET_NR_MMU_PAGES, 63), EINVAL);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vm, KVM_SET_NR_MMU_PAGES, 64), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vm, KVM_SET_NR_MMU_PAGES, ~0ul), 0);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_GET_NR_MMU_PAGES, 0), ENOTTY);
	kvm_close(vm);
}

static int enable_cap(int vm, uint32_t cap, uint64_t arg)
{
	struct kvm_enable_cap c = { .cap = cap, .args = { arg } };

	return kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &c);
}

static void test_max_vcpu_id(void)
{
	int vm = vm_create(KVM_X86_DEFAULT_VM);
	long max = kvm_coco_ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID);

	TEST_ASSERT(max > 4, "KVM_CAP_MAX_VCPU_ID %ld", max);
	TEST_ASSERT_ERRNO(enable_cap(vm, KVM_CAP_MAX_VCPU_ID, max + 1), EINVAL);
	TEST_ASSERT_EQ(enable_cap(vm, KVM_CAP_MAX_VCPU_ID, 4), 0);
	TEST_ASSERT_EQ(enable_cap(vm, KVM_CAP_MAX_VCPU_ID, 4), 0);	/* the same: fine */
	TEST_ASSERT_ERRNO(enable_cap(vm, KVM_CAP_MAX_VCPU_ID, 5), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_CREATE_VCPU, 4), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_CREATE_VCPU, 1ul << 32), EINVAL);
	kvm_close(vm_create_vcpu(vm, 3));
	kvm_close(vm);
}

static int dev_attr(int fd, unsigned long ioctl, uint32_t group, uint64_t attr, void *addr)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (unsigned long)addr };

	return kvm_coco_ioctl(fd, ioctl, &a);
}

/*
 * KVM_HAS/GET_DEVICE_ATTR on the system fd: KVM_X86_GRP_SEV's VMSA features (DEBUG_SWAP,
 * which KVM_SEV_INIT2 then takes for an SEV-ES VM and refuses for a plain SEV one), the x86
 * group's XSAVE components beyond x87/SSE (none); ENXIO for anything else; flags must be 0.
 */
static void test_device_attrs(void)
{
	struct kvm_device_attr flagged = { .flags = 1, .group = KVM_X86_GRP_SEV };
	struct kvm_sev_init init = {};
	int kvm = kvm_open(), vm, sev;
	uint64_t v = ~0ull;

	TEST_ASSERT_EQ(dev_attr(kvm, KVM_HAS_DEVICE_ATTR, KVM_X86_GRP_SEV,
				KVM_X86_SEV_VMSA_FEATURES, NULL), 0);
	TEST_ASSERT_EQ(dev_attr(kvm, KVM_GET_DEVICE_ATTR, KVM_X86_GRP_SEV,
				KVM_X86_SEV_VMSA_FEATURES, &v), 0);
	TEST_ASSERT_EQ(v, SVM_SEV_FEAT_DEBUG_SWAP);
	TEST_ASSERT_EQ(dev_attr(kvm, KVM_GET_DEVICE_ATTR, KVM_X86_GRP_SYSTEM,
				KVM_X86_XCOMP_GUEST_SUPP, &v), 0);
	TEST_ASSERT_EQ(v, 0);
	TEST_ASSERT_ERRNO(dev_attr(kvm, KVM_HAS_DEVICE_ATTR, KVM_X86_GRP_SEV, 1, NULL), ENXIO);
	TEST_ASSERT_ERRNO(dev_attr(kvm, KVM_HAS_DEVICE_ATTR, KVM_X86_GRP_SYSTEM, 1, NULL), ENXIO);
	TEST_ASSERT_ERRNO(dev_attr(kvm, KVM_GET_DEVICE_ATTR, 2, 0, &v), ENXIO);
	TEST_ASSERT_ERRNO(dev_attr(kvm, KVM_GET_DEVICE_ATTR, KVM_X86_GRP_SEV,
				   KVM_X86_SEV_VMSA_FEATURES, test_mem_at_end(4)), EFAULT);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(kvm, KVM_HAS_DEVICE_ATTR, &flagged), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(kvm, KVM_HAS_DEVICE_ATTR, NULL), EFAULT);

	init.vmsa_features = SVM_SEV_FEAT_DEBUG_SWAP;
	sev = kvm_coco_open_sev();
	vm = vm_create(KVM_X86_SEV_ES_VM);
	TEST_ASSERT_EQ(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), 0);
	kvm_close(vm);
	vm = vm_create(KVM_X86_SEV_VM);
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
	kvm_close(vm);
	kvm_close(sev);
	kvm_close(kvm);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_create_irqchip),
		KSFT_TEST(test_nr_mmu_pages),
		KSFT_TEST(test_device_attrs),
		KSFT_TEST(test_max_vcpu_id),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
