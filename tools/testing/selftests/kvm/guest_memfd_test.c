// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd through the ABI: creation rules, fallocate (allocate and PUNCH_HOLE) rules,
 * what a plain read/write/mmap of the descriptor gets, and lifetime (the memory goes when the
 * last reference does, with the VM outliving its VM fd while a guest_memfd holds it).
 */
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvm-coco-test.h"

#define KEEP	FALLOC_FL_KEEP_SIZE
#define PUNCH	(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)

static void test_create_rules(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	struct kvm_create_guest_memfd args = { .size = PAGE_SIZE };
	unsigned int bit;
	int fd;

	TEST_ASSERT_ERRNO(__vm_create_guest_memfd(vm, 0, 0), EINVAL);
	TEST_ASSERT_ERRNO(__vm_create_guest_memfd(vm, 1, 0), EINVAL);
	TEST_ASSERT_ERRNO(__vm_create_guest_memfd(vm, PAGE_SIZE + 1, 0), EINVAL);
	TEST_ASSERT_ERRNO(__vm_create_guest_memfd(vm, -PAGE_SIZE, 0), EINVAL);
	/* Every flag bit alone is unknown. */
	for (bit = 0; bit < 64; bit++)
		TEST_ASSERT_ERRNO(__vm_create_guest_memfd(vm, PAGE_SIZE, 1ull << bit), EINVAL);
	/* kvm-coco refuses non-zero reserved words (upstream ignores them). */
	for (bit = 0; bit < 6; bit++) {
		args.reserved[bit] = 1;
		TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &args), EINVAL);
		args.reserved[bit] = 0;
	}
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_CREATE_GUEST_MEMFD, NULL), EFAULT);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_CREATE_GUEST_MEMFD, test_mem_at_end(32)), EFAULT);
	/* The size is virtual: a huge file costs nothing until it is allocated. */
	fd = vm_create_guest_memfd(vm, 1ull << 62, 0);
	kvm_close(fd);
	kvm_close(vm);
}

static void test_fallocate_rules(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	int fd = vm_create_guest_memfd(vm, 0x100000, 0);

	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, 0, 0, PAGE_SIZE), EOPNOTSUPP);
	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, PAGE_SIZE), EOPNOTSUPP);
	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, FALLOC_FL_ZERO_RANGE | KEEP, 0, PAGE_SIZE),
			  EOPNOTSUPP);
	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, -1, 0, PAGE_SIZE), EOPNOTSUPP);
	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, KEEP, 1, PAGE_SIZE), EINVAL);
	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, KEEP, 0, PAGE_SIZE - 1), EINVAL);
	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, KEEP, 0, 0), EINVAL);
	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, KEEP, -PAGE_SIZE, PAGE_SIZE), EINVAL);
	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, KEEP, 0x100000, PAGE_SIZE), EINVAL);
	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, KEEP, 0xff000, 0x2000), EINVAL);
	TEST_ASSERT_ERRNO(__gmem_fallocate(fd, PUNCH, 0x7ffffffffffff000ll, 0x2000), EFBIG);
	gmem_fallocate(fd, KEEP, 0, 0x100000);
	gmem_fallocate(fd, KEEP, 0, 0x100000);		/* already allocated: a no-op */
	gmem_fallocate(fd, PUNCH, 0, PAGE_SIZE);
	gmem_fallocate(fd, PUNCH, 0, PAGE_SIZE);	/* already a hole */
	gmem_fallocate(fd, PUNCH, 0xff000, 0x2000);	/* partly past EOF */
	gmem_fallocate(fd, PUNCH, 0x200000, PAGE_SIZE);	/* wholly past EOF */

	/* Not a guest_memfd: no fallocate there. */
	TEST_ASSERT_ERRNO(__gmem_fallocate(vm, KEEP, 0, PAGE_SIZE), ENODEV);
	TEST_ASSERT_ERRNO(__gmem_fallocate(0x7fff, KEEP, 0, PAGE_SIZE), EBADF);
	kvm_close(fd);
	kvm_close(vm);
}

static void test_allocation_is_accounted(void)
{
	struct host_counters before, after;
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	int fd = vm_create_guest_memfd(vm, 64 * PAGE_SIZE, 0);

	host_get_counters(&before);
	gmem_fallocate(fd, KEEP, 0, 16 * PAGE_SIZE);
	host_get_counters(&after);
	INSPECT(TEST_ASSERT_EQ(after.pages - before.pages, 16));
	gmem_fallocate(fd, PUNCH, 4 * PAGE_SIZE, 8 * PAGE_SIZE);
	host_get_counters(&after);
	INSPECT(TEST_ASSERT_EQ(after.pages - before.pages, 8));
	/* Closing the file frees the rest. */
	kvm_close(fd);
	host_get_counters(&after);
	INSPECT(TEST_ASSERT_EQ(after.pages, before.pages));
	kvm_close(vm);
}

static void test_io_on_the_descriptor_is_refused(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	int fd = vm_create_guest_memfd(vm, 0x10000, 0);
	char buf[64] = { 1 };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	gmem_fallocate(fd, KEEP, 0, 0x10000);
	/* No data is reachable through the descriptor itself: it has no read or write. */
	TEST_ASSERT_ERRNO(kvm_coco_read(fd, buf, sizeof(buf)), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_write(fd, buf, sizeof(buf)), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_pread(fd, buf, sizeof(buf), 0), ESPIPE);
	TEST_ASSERT_ERRNO(kvm_coco_pwrite(fd, buf, sizeof(buf), 0), ESPIPE);
	TEST_ASSERT_ERRNO(kvm_coco_read(vm, buf, sizeof(buf)), EINVAL);
	TEST_ASSERT(kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
		    errno == ENODEV, "kvm_coco_mmap of a guest_memfd: errno %d", errno);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD), ENOTTY);
	/* ...but it is a real descriptor: poll answers. */
	TEST_ASSERT(poll(&pfd, 1, 0) == 1 && !(pfd.revents & POLLNVAL), "poll: %d", pfd.revents);
	kvm_close(fd);
	kvm_close(vm);
}

/* fstat(2) gives the size the guest_memfd was created with, and a regular file, as upstream's. */
static void test_fstat_reports_the_size(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	int fd = vm_create_guest_memfd(vm, 0x30000, 0);
	struct stat st;

	TEST_ASSERT_EQ(kvm_coco_fstat(fd, &st), 0);
	TEST_ASSERT_EQ(st.st_size, 0x30000);
	TEST_ASSERT(S_ISREG(st.st_mode), "mode %o", st.st_mode);
	TEST_ASSERT_EQ(st.st_blksize, PAGE_SIZE);
	TEST_ASSERT_EQ(kvm_coco_fstat(vm, &st), 0);
	TEST_ASSERT_EQ(st.st_size, 0);
	TEST_ASSERT_ERRNO(kvm_coco_fstat(-1, &st), EBADF);
	kvm_close(fd);
	kvm_close(vm);
}

static void test_vm_outlives_its_fd(void)
{
	struct host_counters base, now;
	char *mem = test_alloc_mem(0x10000);
	int vm, fd;

	host_get_counters(&base);
	vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	fd = vm_create_guest_memfd(vm, 0x10000, 0);
	vm_set_user_memory_region2(vm, 0, KVM_MEM_GUEST_MEMFD, 0, 0x10000, mem, fd, 0);
	gmem_fallocate(fd, KEEP, 0, 0x10000);

	/* The guest_memfd holds the VM: closing the VM fd first frees nothing yet... */
	kvm_close(vm);
	host_get_counters(&now);
	INSPECT(TEST_ASSERT_EQ(now.pages - base.pages, 16));
	gmem_fallocate(fd, PUNCH, 0, PAGE_SIZE);
	/* ...and the last close frees everything: pages, file, VM, slot. */
	kvm_close(fd);
	assert_nothing_leaked(&base);
}

/*
 * A binding must lie inside the file: an offset near 2^63 plus the slot's size wraps as a
 * signed sum (issue 21's finding), and upstream refuses it with EINVAL.
 */
static void test_binding_past_the_end(void)
{
	char *mem = test_alloc_mem(0x10000);
	int vm, fd;

	vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	fd = vm_create_guest_memfd(vm, PAGE_SIZE, 0);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 0, KVM_MEM_GUEST_MEMFD, 0, 0x10000,
						       mem, fd, 0x7ffffffffffff000ull), EINVAL);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 0, KVM_MEM_GUEST_MEMFD, 0, 0x10000,
						       mem, fd, 0xfffffffffffff000ull), EINVAL);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 0, KVM_MEM_GUEST_MEMFD, 0, 0x2000,
						       mem, fd, 0), EINVAL);
	vm_set_user_memory_region2(vm, 0, KVM_MEM_GUEST_MEMFD, 0, PAGE_SIZE, mem, fd, 0);
	kvm_close(fd);
	kvm_close(vm);
	munmap(mem, 0x10000);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_create_rules),
		KSFT_TEST(test_fallocate_rules),
		KSFT_TEST(test_allocation_is_accounted),
		KSFT_TEST(test_io_on_the_descriptor_is_refused),
		KSFT_TEST(test_fstat_reports_the_size),
		KSFT_TEST(test_vm_outlives_its_fd),
		KSFT_TEST(test_binding_past_the_end),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
