// SPDX-License-Identifier: GPL-2.0
/*
 * The library front door: descriptors are real (dup, close, poll, reuse of a number), a
 * descriptor that is not ours is EBADF, unknown requests are ENOTTY on every kind, vCPU
 * creation and the kvm_run mapping, concurrent ioctls from two threads, and no leak at the end.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_util.h"
#include "kvm-coco-test.h"

static struct host_counters base;

static void test_system_ioctls(void)
{
	int sys;

	/* The baseline is taken after the one-time platform set-up (the RMP table). */
	kvm_close(kvm_open());
	host_get_counters(&base);
	sys = kvm_open();
	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, KVM_GET_API_VERSION, 0), KVM_API_VERSION);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sys, KVM_GET_API_VERSION, 1), EINVAL);
	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0), (int)PAGE_SIZE);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 1), EINVAL);
	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES), 0x3f);
	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD), 1);
	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY2), 1);
	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_FAULT_INFO), 1);
	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS), 32764);
	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID), 16384);
	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, 0x7fffffff), 0);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sys, KVM_CREATE_VM, 6), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sys, KVM_CREATE_VM, 64), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sys, KVM_CREATE_VM, -1ul), EINVAL);
	kvm_close(sys);
}

static void test_unknown_requests(void)
{
	int sys = kvm_open();
	int vm = vm_create(KVM_X86_SNP_VM);
	int vcpu = vm_create_vcpu(vm, 0);
	int gmem = vm_create_guest_memfd(vm, PAGE_SIZE, 0);
	int fds[] = { sys, vm, vcpu, gmem };
	unsigned int i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		TEST_ASSERT_ERRNO(kvm_coco_ioctl(fds[i], _IO(KVMIO, 0x7f)), ENOTTY);
		TEST_ASSERT_ERRNO(kvm_coco_ioctl(fds[i], _IO('X', 1)), ENOTTY);
	}
	/* As ioctl(2): the request is 32 bits; the kernel drops the bits above them. */
	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, (1ul << 32) | KVM_GET_API_VERSION, 0), KVM_API_VERSION);
	/* Each request on the wrong kind of descriptor. */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_CREATE_VM, 0), ENOTTY);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_CREATE_VCPU, 1), ENOTTY);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sys, KVM_CREATE_VCPU, 1), ENOTTY);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(gmem, KVM_CREATE_GUEST_MEMFD, NULL), ENOTTY);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sys, KVM_CREATE_GUEST_MEMFD, NULL), ENOTTY);
	kvm_close(gmem);
	kvm_close(vcpu);
	kvm_close(vm);
	kvm_close(sys);
}

static void test_not_our_descriptor(void)
{
	int null, sys, stale;

	/* Through the system calls, the VFS answers for files that are not KVM's. */
	TEST_SKIP_UNLESS(host_is_library(), "the library front door's own rule");
	null = open("/dev/null", O_RDWR);
	sys = kvm_open();

	TEST_ASSERT_ERRNO(kvm_coco_ioctl(null, KVM_GET_API_VERSION, 0), EBADF);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(-1, KVM_GET_API_VERSION, 0), EBADF);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(0x7fff, KVM_GET_API_VERSION, 0), EBADF);
	TEST_ASSERT_ERRNO(kvm_coco_close(null), EBADF);
	TEST_ASSERT_ERRNO(kvm_coco_fallocate(null, FALLOC_FL_KEEP_SIZE, 0, 4096), EBADF);
	TEST_ASSERT(kvm_coco_mmap(NULL, 4096, PROT_READ, MAP_SHARED, null, 0) == MAP_FAILED &&
		    errno == EBADF, "kvm_coco_mmap on /dev/null: errno %d", errno);
	/* A number reused by an unrelated file after close is not mistaken for ours. */
	stale = sys;
	kvm_close(sys);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(stale, KVM_GET_API_VERSION, 0), EBADF);
	TEST_ASSERT_EQ(open("/dev/null", O_RDONLY), stale);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(stale, KVM_GET_API_VERSION, 0), EBADF);
	close(stale);
	close(null);
}

static void test_descriptors_are_real(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	int dup_vm = dup(vm);
	struct pollfd pfd = { .fd = vm, .events = POLLIN };
	struct host_counters c0, c1;

	TEST_ASSERT(dup_vm >= 0, "dup: %s", strerror(errno));
	TEST_ASSERT(fcntl(vm, F_GETFD) & FD_CLOEXEC, "VM fd without FD_CLOEXEC");
	TEST_ASSERT(poll(&pfd, 1, 0) == 1 && !(pfd.revents & POLLNVAL), "poll %#x", pfd.revents);
	/* The dup names the same VM, and keeps it alive after the original closes. */
	vm_mem_set_private(vm, 0, PAGE_SIZE);
	host_get_counters(&c0);
	kvm_close(vm);
	host_get_counters(&c1);
	INSPECT(TEST_ASSERT_EQ(c1.files, c0.files));
	vm_mem_set_shared(dup_vm, 0, PAGE_SIZE);
	kvm_close(dup_vm);
	host_get_counters(&c1);
	INSPECT(TEST_ASSERT_EQ(c1.files, c0.files - 1));

	/* A descriptor closed with plain close(2) is reaped by the next kvm_coco_close(). */
	vm = vm_create(KVM_X86_DEFAULT_VM);
	host_get_counters(&c0);
	close(vm);
	kvm_close(kvm_open());
	host_get_counters(&c1);
	INSPECT(TEST_ASSERT_EQ(c1.files, c0.files - 1));
}

static void test_vcpus(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	int vcpu = vm_create_vcpu(vm, 0);
	struct kvm_run *run, *run2;
	int last;

	TEST_ASSERT_ERRNO(__vm_create_vcpu(vm, 0), EEXIST);
	TEST_ASSERT_ERRNO(__vm_create_vcpu(vm, 16384), EINVAL);
	TEST_ASSERT_ERRNO(__vm_create_vcpu(vm, -1ul), EINVAL);
	last = vm_create_vcpu(vm, 16383);

	/* The kvm_run page: one page at offset 0, shared between mappings. */
	run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	TEST_ASSERT(run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
	run2 = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, vcpu, 0);
	TEST_ASSERT(run2 != MAP_FAILED, "second mmap vCPU: %s", strerror(errno));
	run->immediate_exit = 1;
	TEST_ASSERT_EQ(run2->immediate_exit, 1);
	TEST_ASSERT(kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, vcpu, PAGE_SIZE) ==
		    MAP_FAILED && errno == EINVAL, "mmap past kvm_run: errno %d", errno);
	TEST_ASSERT(kvm_coco_mmap(NULL, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, vcpu, 0) ==
		    MAP_FAILED && errno == EINVAL, "mmap of two pages: errno %d", errno);
	TEST_ASSERT(kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, vm, 0) == MAP_FAILED &&
		    errno == ENODEV, "mmap of a VM fd: errno %d", errno);
	munmap(run, PAGE_SIZE);
	munmap(run2, PAGE_SIZE);
	kvm_close(last);
	kvm_close(vcpu);
	kvm_close(vm);
}

#define THREAD_OPS	2000

struct thread_arg {
	int vm;
	unsigned int id;
	char *mem;
};

/* Each thread owns its own slot and gfn range; both hammer the same VM and its locks. */
static void *worker(void *p)
{
	struct thread_arg *a = p;
	uint64_t base = (uint64_t)(a->id + 1) << 30;
	unsigned int i;

	for (i = 0; i < THREAD_OPS; i++) {
		vm_set_memory_attributes(a->vm, base + (i % 64) * PAGE_SIZE, PAGE_SIZE,
					 i & 1 ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
		vm_set_user_memory_region2(a->vm, a->id, 0, base, PAGE_SIZE, a->mem, 0, 0);
		vm_set_user_memory_region2(a->vm, a->id, 0, base, 0, NULL, 0, 0);
		if (i % 100 == 0) {
			int vcpu = vm_create_vcpu(a->vm, a->id * THREAD_OPS + i);

			kvm_close(vcpu);
		}
	}
	return NULL;
}

static void test_concurrent_ioctls(void)
{
	struct thread_arg args[2];
	pthread_t threads[2];
	char *mem = test_alloc_mem(PAGE_SIZE);
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	unsigned int i;

	for (i = 0; i < 2; i++) {
		args[i] = (struct thread_arg){ vm, i, mem };
		TEST_ASSERT(!pthread_create(&threads[i], NULL, worker, &args[i]), "thread");
	}
	for (i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	/* Both slots were deleted, so overlapping both ranges now succeeds. */
	vm_set_user_memory_region2(vm, 5, 0, 1ull << 30, 1ull << 31, NULL, 0, 0);
	kvm_close(vm);
}

static void test_nothing_leaks(void)
{
	assert_nothing_leaked(&base);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_system_ioctls),
		KSFT_TEST(test_unknown_requests),
		KSFT_TEST(test_not_our_descriptor),
		KSFT_TEST(test_descriptors_are_real),
		KSFT_TEST(test_vcpus),
		KSFT_TEST(test_concurrent_ioctls),
		KSFT_TEST(test_nothing_leaks),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
