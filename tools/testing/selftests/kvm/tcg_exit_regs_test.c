// SPDX-License-Identifier: GPL-2.0
/*
 * The registers a VMM sees at an exit the guest's access caused are the guest's at that
 * access, and what the VMM sets before the next KVM_RUN is what the guest goes on with; also
 * where the engine kept them to itself across the NPF KVM handled first.
 */
#include <errno.h>

#include "guest.h"

#define EXTRA_GPA	GUEST_MEM_SIZE		/* its own memslot, no guest_memfd */
#define EXTRA_SLOT	1
#define MARK_RBX	0x6262626262626262ull
#define MARK_R12	0x1212121212121212ull
#define NEW_RBX		0x4242424242424242ull

static GUEST_CODE void guest_write_extra(unsigned int id)
{
	register uint64_t r12 asm("r12") = MARK_R12;
	uint64_t rbx = MARK_RBX;

	/* Private without a guest_memfd: KVM_EXIT_MEMORY_FAULT, until the VMM makes it shared. */
	asm volatile("movq $1, (%%rdx)" : "+b"(rbx), "+r"(r12) : "d"(EXTRA_GPA) : "memory");
	GUEST_SYNC_ARGS(1, rbx, r12, *(volatile uint64_t *)EXTRA_GPA);
	GUEST_DONE();
}

static void test_regs_at_memory_fault(void)
{
	struct guest_vcpu v;
	struct guest_vm g;
	struct kvm_regs regs;
	struct ucall uc;

	if (!have_guest_code()) {
		test_skip("no TCG engine in this host");
		return;
	}
	guest_vm_create(&g, KVM_X86_SW_PROTECTED_VM);
	vm_set_user_memory_region2(g.vm, EXTRA_SLOT, 0, EXTRA_GPA, PAGE_SIZE,
				   test_alloc_mem(PAGE_SIZE), 0, 0);
	guest_map_page(&g, EXTRA_GPA, EXTRA_GPA);
	vm_mem_set_private(g.vm, EXTRA_GPA, PAGE_SIZE);
	guest_vcpu_add(&g, &v, 0, guest_write_extra);

	TEST_ASSERT_EQ(kvm_coco_ioctl(v.fd, KVM_RUN, 0), -1);
	TEST_ASSERT_EQ(errno, EFAULT);
	TEST_ASSERT_EQ(v.run->exit_reason, KVM_EXIT_MEMORY_FAULT);
	TEST_ASSERT_EQ(v.run->memory_fault.gpa, EXTRA_GPA);
	TEST_ASSERT_EQ(kvm_coco_ioctl(v.fd, KVM_GET_REGS, &regs), 0);
	TEST_ASSERT_EQ(regs.rbx, MARK_RBX);
	TEST_ASSERT_EQ(regs.r12, MARK_R12);
	TEST_ASSERT_EQ(regs.rdx, EXTRA_GPA);
	TEST_ASSERT(regs.rip >= (uint64_t)guest_write_extra &&
		    regs.rip < (uint64_t)guest_write_extra + 256, "RIP %#llx", regs.rip);

	/* The VMM's RBX is the guest's from the retried write on. */
	regs.rbx = NEW_RBX;
	TEST_ASSERT_EQ(kvm_coco_ioctl(v.fd, KVM_SET_REGS, &regs), 0);
	vm_mem_set_shared(g.vm, EXTRA_GPA, PAGE_SIZE);
	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_SYNC);
	TEST_ASSERT_EQ(uc.args[1], NEW_RBX);
	TEST_ASSERT_EQ(uc.args[2], MARK_R12);
	TEST_ASSERT_EQ(uc.args[3], 1);
	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_DONE);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_regs_at_memory_fault),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
