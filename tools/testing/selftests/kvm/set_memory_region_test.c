// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SET_USER_MEMORY_REGION(2): upstream's rules, one table row per bad field, plus create,
 * move, flags-only, delete, overlap and guest_memfd binding, on every VM type it matters for.
 */
#include "kvm_util.h"

#define GMEM_SIZE	0x100000ul

struct region_case {
	const char *what;
	struct kvm_userspace_memory_region2 r;
	int err;
};

static void run_cases(int vm, const struct region_case *c, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct kvm_userspace_memory_region2 r = c[i].r;
		int ret;

		errno = 0;
		ret = kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &r);
		TEST_ASSERT(c[i].err ? ret == -1 && errno == c[i].err : ret == 0,
			    "%s: expected %s, got %d errno %d (%s)", c[i].what,
			    c[i].err ? strerror(c[i].err) : "success", ret, errno, strerror(errno));
	}
}

static void test_bad_fields(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	char *mem = test_alloc_mem(0x10000);
	uint64_t hva = (uintptr_t)mem;
	int gmem = vm_create_guest_memfd(vm, GMEM_SIZE, 0);
	const struct region_case cases[] = {
		{ "unknown flag bit 3", { 0, 1u << 3, 0, 0x1000, hva }, EINVAL },
		{ "unknown flag bit 31", { 0, 1u << 31, 0, 0x1000, hva }, EINVAL },
		{ "misaligned gpa", { 0, 0, 0x800, 0x1000, hva }, EINVAL },
		{ "misaligned size", { 0, 0, 0, 0x1800, hva }, EINVAL },
		{ "misaligned hva", { 0, 0, 0, 0x1000, hva + 8 }, EINVAL },
		{ "hva past the user limit", { 0, 0, 0, 0x1000, 0x800000000000ull }, EINVAL },
		{ "hva + size past the user limit", { 0, 0, 0, 0x2000, 0x7ffffffff000ull },
		  EINVAL },
		{ "kernel hva", { 0, 0, 0, 0x1000, 0xffff800000000000ull }, EINVAL },
		{ "gpa wraps", { 0, 0, -0x1000ull, 0x2000, hva }, EINVAL },
		{ "too many pages", { 0, 0, 0, 1ull << 43, 0x1000 }, EINVAL },
		{ "gpa past MAXPHYADDR", { 0, 0, 1ull << 52, 0x1000, hva }, EINVAL },
		{ "gpa straddles MAXPHYADDR", { 0, 0, (1ull << 52) - 0x1000, 0x2000, hva },
		  EINVAL },
		{ "slot id 32764", { 32764, 0, 0, 0x1000, hva }, EINVAL },
		{ "slot id 0xffff", { 0xffff, 0, 0, 0x1000, hva }, EINVAL },
		{ "address space 1 on a private-memory VM", { 0x10000, 0, 0, 0x1000, hva },
		  EINVAL },
		{ "delete a slot that does not exist", { 3, 0, 0, 0, hva }, EINVAL },
		{ "non-zero pad1", { .slot = 0, .memory_size = 0x1000, .userspace_addr = hva,
				     .pad1 = 1 }, EINVAL },
		{ "non-zero pad2[13]", { .slot = 0, .memory_size = 0x1000, .userspace_addr = hva,
					 .pad2[13] = 1 }, EINVAL },
		{ "guest_memfd offset misaligned", { 0, KVM_MEM_GUEST_MEMFD, 0, 0x1000, hva, 0x800,
						     gmem }, EINVAL },
		{ "guest_memfd range past EOF", { 0, KVM_MEM_GUEST_MEMFD, 0, 0x2000, hva,
						  GMEM_SIZE - 0x1000, gmem }, EINVAL },
		{ "guest_memfd offset wraps", { 0, KVM_MEM_GUEST_MEMFD, 0, 0x2000, hva,
						-0x1000ull, gmem }, EINVAL },
		{ "guest_memfd not open", { 0, KVM_MEM_GUEST_MEMFD, 0, 0x1000, hva, 0, 0x7fff },
		  EBADF },
		{ "guest_memfd is a VM fd", { 0, KVM_MEM_GUEST_MEMFD, 0, 0x1000, hva, 0, vm },
		  EINVAL },
		{ "guest_memfd is stdin", { 0, KVM_MEM_GUEST_MEMFD, 0, 0x1000, hva, 0, 0 },
		  EINVAL },
		{ "guest_memfd with LOG_DIRTY_PAGES", { 0, KVM_MEM_GUEST_MEMFD |
							KVM_MEM_LOG_DIRTY_PAGES, 0, 0x1000, hva,
							0, gmem }, EINVAL },
		{ "guest_memfd with READONLY", { 0, KVM_MEM_GUEST_MEMFD | KVM_MEM_READONLY, 0,
						 0x1000, hva, 0, gmem }, EINVAL },
		/* The boundaries themselves are fine. */
		{ "the guard page below 2^47", { 1, 0, 0x100000, 0x1000, 0x7ffffffff000ull },
		  EINVAL },
		{ "last user page", { 1, 0, 0x100000, 0x1000, 0x7fffffffe000ull }, 0 },
		{ "slot id 32763", { 32763, 0, 0x200000, 0x1000, hva }, 0 },
		{ "gpa ends exactly at 2^52", { 2, 0, (1ull << 52) - 0x1000, 0x1000, hva }, 0 },
	};

	run_cases(vm, cases, sizeof(cases) / sizeof(cases[0]));
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, NULL), EFAULT);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, test_mem_at_end(32)),
			  EFAULT);
	kvm_close(gmem);
	kvm_close(vm);
}

static void test_flags_per_vm_type(void)
{
	static const struct {
		unsigned long type;
		bool gmem, readonly;
	} types[] = {
		{ KVM_X86_DEFAULT_VM, false, true },
		{ KVM_X86_SW_PROTECTED_VM, true, true },
		{ KVM_X86_SEV_VM, false, true },
		{ KVM_X86_SEV_ES_VM, false, false },
		{ KVM_X86_SNP_VM, true, false },
		{ KVM_X86_TDX_VM, true, false },
	};
	char *mem = test_alloc_mem(0x1000);
	unsigned int i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int vm = vm_create(types[i].type);
		int gmem = vm_create_guest_memfd(vm, 0x1000, 0);
		int r;

		TEST_ASSERT_EQ(vm_check_cap(vm, KVM_CAP_GUEST_MEMFD), types[i].gmem);
		r = __vm_set_user_memory_region2(vm, 0, KVM_MEM_GUEST_MEMFD, 0, 0x1000, mem, gmem,
						 0);
		TEST_ASSERT(types[i].gmem ? !r : r == -1 && errno == EINVAL,
			    "type %lu: guest_memfd slot gave %d errno %d", types[i].type, r, errno);
		r = __vm_set_user_memory_region2(vm, 1, KVM_MEM_READONLY, 0x1000, 0x1000, mem, 0,
						 0);
		TEST_ASSERT(types[i].readonly ? !r : r == -1 && errno == EINVAL,
			    "type %lu: read-only slot gave %d errno %d", types[i].type, r, errno);
		/* Address space 1 (SMM) exists only without private memory. */
		r = __vm_set_user_memory_region2(vm, 0x10002, 0, 0, 0x1000, mem, 0, 0);
		TEST_ASSERT(!types[i].gmem ? !r : r == -1 && errno == EINVAL,
			    "type %lu: address space 1 gave %d errno %d", types[i].type, r, errno);
		kvm_close(gmem);
		kvm_close(vm);
	}
}

static void test_create_move_flags_delete(void)
{
	int vm = vm_create(KVM_X86_DEFAULT_VM);
	char *mem = test_alloc_mem(0x4000);

	vm_set_user_memory_region2(vm, 0, 0, 0x100000, 0x2000, mem, 0, 0);
	/* Overlaps, partial or total, in the same address space: EEXIST. */
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 1, 0, 0x101000, 0x2000, mem, 0, 0),
			  EEXIST);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 1, 0, 0xff000, 0x2000, mem, 0, 0),
			  EEXIST);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 1, 0, 0x80000, 0x100000, mem, 0, 0),
			  EEXIST);
	/* Adjacent is fine; so is the same range in the other address space. */
	vm_set_user_memory_region2(vm, 1, 0, 0x102000, 0x1000, mem, 0, 0);
	vm_set_user_memory_region2(vm, 0x10000, 0, 0x100000, 0x2000, mem, 0, 0);

	/* Modify: same hva and size; move, flags-only, and a repeat that changes nothing. */
	vm_set_user_memory_region2(vm, 0, 0, 0x200000, 0x2000, mem, 0, 0);
	vm_set_user_memory_region2(vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 0x200000, 0x2000, mem, 0, 0);
	vm_set_user_memory_region2(vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 0x200000, 0x2000, mem, 0, 0);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 0, 0, 0x200000, 0x1000, mem, 0, 0),
			  EINVAL);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 0, 0, 0x200000, 0x2000, mem + 0x1000,
						       0, 0), EINVAL);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 0, KVM_MEM_READONLY, 0x200000, 0x2000,
						       mem, 0, 0), EINVAL);
	/* Moving onto another slot: EEXIST. */
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 0, 0, 0x101000, 0x2000, mem, 0, 0),
			  EEXIST);

	/* Delete, then the range is free again; a second delete fails. */
	vm_set_user_memory_region2(vm, 0, 0, 0, 0, NULL, 0, 0);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 0, 0, 0, 0, NULL, 0, 0), EINVAL);
	vm_set_user_memory_region2(vm, 2, 0, 0x200000, 0x2000, mem, 0, 0);
	kvm_close(vm);
}

static void test_v1_region(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	char *mem = test_alloc_mem(0x1000);

	TEST_ASSERT_ERRNO(__vm_set_user_memory_region(vm, 0, KVM_MEM_GUEST_MEMFD, 0, 0x1000, mem),
			  EINVAL);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region(vm, 0, 1u << 3, 0, 0x1000, mem), EINVAL);
	TEST_ASSERT(!__vm_set_user_memory_region(vm, 0, KVM_MEM_READONLY, 0, 0x1000, mem),
		    "v1 read-only slot: %s", strerror(errno));
	/* v1 and v2 name the same slots. */
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 1, 0, 0, 0x1000, mem, 0, 0), EEXIST);
	TEST_ASSERT(!__vm_set_user_memory_region(vm, 0, 0, 0, 0, NULL), "v1 delete: %s",
		    strerror(errno));
	kvm_close(vm);
}

static void test_guest_memfd_binding(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	int other = vm_create(KVM_X86_SW_PROTECTED_VM);
	int gmem = vm_create_guest_memfd(vm, GMEM_SIZE, 0);
	int foreign = vm_create_guest_memfd(other, GMEM_SIZE, 0);
	char *mem = test_alloc_mem(0x4000);

	/* Another VM's guest_memfd: refused. */
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 0, KVM_MEM_GUEST_MEMFD, 0, 0x1000,
						       mem, foreign, 0), EINVAL);
	/* hva 0 is fine for a guest_memfd slot that is only ever private. */
	vm_set_user_memory_region2(vm, 0, KVM_MEM_GUEST_MEMFD, 0, 0x2000, NULL, gmem, 0);
	/* A file range bound to one slot cannot be bound to another. */
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 1, KVM_MEM_GUEST_MEMFD, 0x100000,
						       0x1000, mem, gmem, 0x1000), EINVAL);
	vm_set_user_memory_region2(vm, 1, KVM_MEM_GUEST_MEMFD, 0x100000, 0x1000, mem, gmem,
				   0x2000);
	/* A guest_memfd slot cannot be modified, in either direction, only deleted. */
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 1, KVM_MEM_GUEST_MEMFD, 0x200000,
						       0x1000, mem, gmem, 0x2000), EINVAL);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 1, 0, 0x100000, 0x1000, mem, 0, 0),
			  EINVAL);
	vm_set_user_memory_region2(vm, 2, 0, 0x300000, 0x1000, mem, 0, 0);
	TEST_ASSERT_ERRNO(__vm_set_user_memory_region2(vm, 2, KVM_MEM_GUEST_MEMFD, 0x300000,
						       0x1000, mem, gmem, 0x3000), EINVAL);
	/* Deleting a slot frees its file range for another slot. */
	vm_set_user_memory_region2(vm, 1, 0, 0, 0, NULL, 0, 0);
	vm_set_user_memory_region2(vm, 3, KVM_MEM_GUEST_MEMFD, 0x400000, 0x1000, mem, gmem,
				   0x2000);

	/* Closing the guest_memfd leaves the slots; they can still be deleted. */
	kvm_close(gmem);
	vm_set_user_memory_region2(vm, 3, 0, 0, 0, NULL, 0, 0);
	vm_set_user_memory_region2(vm, 0, 0, 0, 0, NULL, 0, 0);
	kvm_close(foreign);
	kvm_close(other);
	kvm_close(vm);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_bad_fields),
		KSFT_TEST(test_flags_per_vm_type),
		KSFT_TEST(test_create_move_flags_delete),
		KSFT_TEST(test_v1_region),
		KSFT_TEST(test_guest_memfd_binding),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
