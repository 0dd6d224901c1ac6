// SPDX-License-Identifier: GPL-2.0
/*
 * VM ioctls VMMs and upstream's selftests issue on every VM, with upstream 6.12's rules:
 * KVM_CREATE_IRQCHIP (once per VM, EEXIST after; EINVAL once a vCPU exists; kvm-coco models
 * no interrupt controller and KVM_CAP_IRQCHIP says so), KVM_SET_NR_MMU_PAGES (at least 64;
 * KVM_GET_NR_MMU_PAGES is gone from 6.12: ENOTTY).
 */
#include "kvm_util.h"

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

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_create_irqchip),
		KSFT_TEST(test_nr_mmu_pages),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
