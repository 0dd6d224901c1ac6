// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty logging: guest writes through shared memory mark their pages, KVM_GET_DIRTY_LOG
 * returns and clears the bitmap, and a page whose private/shared status changes is dirty too
 * (ours), so a migration always sends it again under its new status.  Logging switched on
 * and off by a flags-only change, and the ioctl's bad input.
 */
#include <sys/mman.h>

#include <linux/kvm_coco.h>

#include "kvm_util.h"

#define PAGES		100		/* not a multiple of 64: the last long is partial */
#define MEM		(PAGES * PAGE_SIZE)
#define LOG		KVM_MEM_LOG_DIRTY_PAGES
#define WORDS		((PAGES + 63) / 64)

struct guest {
	int vm, vcpu;
	void *mem;
	struct kvm_run *run;
};

static void guest_create(struct guest *g, uint32_t flags)
{
	g->vm = vm_create_model(KVM_X86_SW_PROTECTED_VM);
	g->mem = test_alloc_mem(MEM);
	vm_set_user_memory_region2(g->vm, 0, flags, 0, MEM, g->mem, 0, 0);
	g->vcpu = vm_create_vcpu(g->vm, 0);
	g->run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	TEST_ASSERT(g->run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
}

static void guest_destroy(struct guest *g)
{
	munmap(g->run, PAGE_SIZE);
	kvm_close(g->vcpu);
	kvm_close(g->vm);
	munmap(g->mem, MEM);
}

/* The guest touches @gfn; the access completes. */
static void guest_access(struct guest *g, uint64_t gfn, bool write)
{
	struct kvm_coco_access a = { .gpa = gfn * PAGE_SIZE,
				     .flags = write ? KVM_COCO_ACCESS_WRITE : 0 };

	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_COCO_VCPU_INJECT_ACCESS, &a), 0);
	TEST_ASSERT(!kvm_coco_ioctl(g->vcpu, KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(g->run->exit_reason, KVM_EXIT_HLT);
}

static int __get_dirty_log(int vm, uint32_t slot, uint64_t *bitmap)
{
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bitmap };

	return kvm_coco_ioctl(vm, KVM_GET_DIRTY_LOG, &log);
}

/* The dirty log must hold exactly the pages in @want (a -1 terminated list). */
static void assert_dirty(int vm, const int *want)
{
	uint64_t got[WORDS + 1], expect[WORDS + 1] = {};

	memset(got, 0xa5, sizeof(got));
	TEST_ASSERT(!__get_dirty_log(vm, 0, got), "KVM_GET_DIRTY_LOG: %s", strerror(errno));
	for (; *want >= 0; want++)
		expect[*want / 64] |= 1ull << (*want % 64);
	expect[WORDS] = got[WORDS];	/* past the bitmap: must be untouched */
	TEST_ASSERT(!memcmp(got, expect, sizeof(got)), "dirty log %#llx %#llx",
		    (unsigned long long)got[0], (unsigned long long)got[1]);
	TEST_ASSERT_EQ(got[WORDS], 0xa5a5a5a5a5a5a5a5ull);
}

static void test_writes_and_conversions_are_dirty(void)
{
	struct guest g;

	guest_create(&g, LOG);
	assert_dirty(g.vm, (int[]){ -1 });
	guest_access(&g, 3, true);
	guest_access(&g, 99, true);
	guest_access(&g, 5, false);
	assert_dirty(g.vm, (int[]){ 3, 99, -1 });
	/* Read and cleared: nothing new since. */
	assert_dirty(g.vm, (int[]){ -1 });
	/* A write through the translation the first write installed counts again. */
	guest_access(&g, 3, true);
	assert_dirty(g.vm, (int[]){ 3, -1 });
	/* A write through the translation a read installed counts too. */
	guest_access(&g, 5, true);
	assert_dirty(g.vm, (int[]){ 5, -1 });

	/* A status change dirties every page it covers, inside the slot only. */
	vm_mem_set_private(g.vm, 64 * PAGE_SIZE, 2 * PAGE_SIZE);
	vm_mem_set_shared(g.vm, 98 * PAGE_SIZE, 4 * PAGE_SIZE);
	assert_dirty(g.vm, (int[]){ 64, 65, 98, 99, -1 });
	guest_destroy(&g);
}

static void test_logging_on_and_off(void)
{
	struct guest g;
	uint64_t bitmap[WORDS];

	guest_create(&g, 0);
	TEST_ASSERT_ERRNO(__get_dirty_log(g.vm, 0, bitmap), ENOENT);
	guest_access(&g, 7, true);
	/* Switched on: it starts clean, earlier writes are not in it. */
	vm_set_user_memory_region2(g.vm, 0, LOG, 0, MEM, g.mem, 0, 0);
	assert_dirty(g.vm, (int[]){ -1 });
	guest_access(&g, 8, true);
	assert_dirty(g.vm, (int[]){ 8, -1 });
	vm_set_user_memory_region2(g.vm, 0, 0, 0, MEM, g.mem, 0, 0);
	TEST_ASSERT_ERRNO(__get_dirty_log(g.vm, 0, bitmap), ENOENT);
	guest_destroy(&g);
}

static void test_bad_input(void)
{
	struct kvm_dirty_log log = { .slot = 0 };
	uint64_t bitmap[WORDS];
	struct guest g;

	guest_create(&g, LOG);
	/* No such slot; an address space this VM has not; beyond the slots; no bitmap. */
	TEST_ASSERT_ERRNO(__get_dirty_log(g.vm, 1, bitmap), ENOENT);
	TEST_ASSERT_ERRNO(__get_dirty_log(g.vm, 1 << 16, bitmap), EINVAL);
	TEST_ASSERT_ERRNO(__get_dirty_log(g.vm, 0xffff, bitmap), EINVAL);
	TEST_ASSERT_ERRNO(__get_dirty_log(g.vm, 0, NULL), EFAULT);
	log.dirty_bitmap = bitmap;
	log.padding1 = 1;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vm, KVM_GET_DIRTY_LOG, &log), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vm, KVM_GET_DIRTY_LOG, test_mem_at_end(8)), EFAULT);
	guest_destroy(&g);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_writes_and_conversions_are_dirty),
		KSFT_TEST(test_logging_on_and_off),
		KSFT_TEST(test_bad_input),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
