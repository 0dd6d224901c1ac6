// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd contents, seen from inside the core (no ABI reads them): a page written through
 * its pfn survives until punched, and a punched page reads back as zero when next allocated.
 * Also: allocation failure in the middle of fallocate leaves no stray page.
 */
#include <linux/kernel.h>
#include <linux/falloc.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>

#include <kvm-coco.h>
#include "test_util.h"
#include "host_user.h"

static unsigned char *gmem_page(struct kvm *kvm, struct kvm_memory_slot *slot, u64 gfn)
{
	unsigned long pfn;

	mutex_lock(&kvm->slots_lock);
	TEST_ASSERT(!kvm_gmem_get_pfn(kvm, slot, gfn, &pfn), "get_pfn(%llu)",
		    (unsigned long long)gfn);
	mutex_unlock(&kvm->slots_lock);
	return page_address(pfn_to_page(pfn));
}

static void test_punched_pages_read_back_zero(void)
{
	struct kvm_create_guest_memfd args = { .size = 16 * PAGE_SIZE };
	struct kvm_userspace_memory_region2 region = {
		.slot = 0, .flags = KVM_MEM_GUEST_MEMFD, .memory_size = 16 * PAGE_SIZE,
	};
	int sys = kvm_coco_open();
	int vm = kvm_coco_ioctl(sys, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);
	int fd = kvm_coco_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &args);
	struct kvm *kvm = host_file_private(vm);
	struct kvm_memory_slot *slot;
	unsigned char *p;
	unsigned int i;

	TEST_ASSERT(fd >= 0 && kvm, "set-up: %s", strerror(errno));
	region.guest_memfd = fd;
	TEST_ASSERT(!kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &region), "slot");
	mutex_lock(&kvm->slots_lock);
	slot = kvm_gfn_to_memslot(kvm, 0, 3);
	mutex_unlock(&kvm->slots_lock);
	TEST_ASSERT(slot, "no slot for gfn 3");

	for (i = 0; i < 16; i++)
		memset(gmem_page(kvm, slot, i), 0xa0 + i, PAGE_SIZE);
	TEST_ASSERT(!kvm_coco_fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					4 * PAGE_SIZE, 2 * PAGE_SIZE), "punch");
	for (i = 0; i < 16; i++) {
		unsigned char want = (i == 4 || i == 5) ? 0 : 0xa0 + i;
		unsigned int j;

		p = gmem_page(kvm, slot, i);
		for (j = 0; j < PAGE_SIZE; j++)
			TEST_ASSERT(p[j] == want, "page %u byte %u: %#x, expected %#x", i, j, p[j],
				    want);
	}
	kvm_coco_close(fd);
	/* The slot stays but no longer maps anything. */
	mutex_lock(&kvm->slots_lock);
	TEST_ASSERT_EQ(kvm_gmem_get_pfn(kvm, slot, 0, &(unsigned long){ 0 }), -EFAULT);
	mutex_unlock(&kvm->slots_lock);
	kvm_coco_close(vm);
	kvm_coco_close(sys);
}

static void test_enomem_mid_fallocate(void)
{
	struct kvm_create_guest_memfd args = { .size = 16 * PAGE_SIZE };
	struct host_counters base, before, after;
	int sys, vm, fd, r;

	kvm_coco_close(kvm_coco_open());
	host_get_counters(&base);
	sys = kvm_coco_open();
	vm = kvm_coco_ioctl(sys, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);
	fd = kvm_coco_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &args);
	host_get_counters(&before);
	host_fail_alloc_after(5);
	r = kvm_coco_fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 16 * PAGE_SIZE);
	host_fail_alloc_after(0);
	TEST_ASSERT(r == -1 && errno == ENOMEM, "fallocate under ENOMEM: %d errno %d", r, errno);
	/* Pages allocated before the failure stay allocated (as the kernel's page cache). */
	host_get_counters(&after);
	TEST_ASSERT(after.pages - before.pages < 16, "pages %ld", after.pages - before.pages);
	kvm_coco_close(fd);
	kvm_coco_close(vm);
	kvm_coco_close(sys);
	host_get_counters(&after);
	TEST_ASSERT_EQ(after.pages, 0);
	TEST_ASSERT_EQ(after.allocs, base.allocs);
	TEST_ASSERT_EQ(after.files, 0);
	TEST_ASSERT_EQ(after.warnings, 0);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_punched_pages_read_back_zero),
		KSFT_TEST(test_enomem_mid_fallocate),
	};

	return ksft_run(tests, ARRAY_SIZE(tests));
}
