// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SET_MEMORY_ATTRIBUTES: the accepted attribute set per VM type, a table of bad inputs for
 * every field, conversions read back through KVM_COCO_GET_MEMORY_ATTRIBUTES, and the same
 * random operation sequence checked against a naive per-page model (seed printed).
 */
#include <linux/kvm_coco.h>

#include "kvm_util.h"

#define PRIVATE	KVM_MEMORY_ATTRIBUTE_PRIVATE

static int __vm_get_memory_attributes(int vm, uint64_t gpa, uint64_t limit, uint64_t *attrs,
				      uint64_t *run)
{
	struct kvm_memory_attributes q = { .address = gpa, .size = limit };
	int r = kvm_coco_ioctl(vm, KVM_COCO_GET_MEMORY_ATTRIBUTES, &q);

	*attrs = q.attributes;
	*run = q.size;
	return r;
}

static uint64_t vm_get_memory_attributes(int vm, uint64_t gpa, uint64_t limit, uint64_t *run)
{
	uint64_t attrs;

	TEST_ASSERT(!__vm_get_memory_attributes(vm, gpa, limit, &attrs, run),
		    "KVM_COCO_GET_MEMORY_ATTRIBUTES(%#lx): %s", (unsigned long)gpa,
		    strerror(errno));
	return attrs;
}

static void test_cap_per_vm_type(void)
{
	static const struct {
		unsigned long type;
		int attrs;
	} types[] = {
		{ KVM_X86_DEFAULT_VM, 0 },
		{ KVM_X86_SW_PROTECTED_VM, PRIVATE },
		{ KVM_X86_SEV_VM, 0 },
		{ KVM_X86_SEV_ES_VM, 0 },
		{ KVM_X86_SNP_VM, PRIVATE },
		{ KVM_X86_TDX_VM, PRIVATE },
	};
	unsigned int i;

	TEST_ASSERT_EQ(kvm_check_cap(KVM_CAP_MEMORY_ATTRIBUTES), PRIVATE);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int vm = vm_create(types[i].type);

		TEST_ASSERT_EQ(vm_check_cap(vm, KVM_CAP_MEMORY_ATTRIBUTES), types[i].attrs);
		if (types[i].attrs) {
			vm_mem_set_private(vm, 0, PAGE_SIZE);
		} else {
			/* No private memory: PRIVATE is refused, clearing is a no-op. */
			TEST_ASSERT_ERRNO(__vm_set_memory_attributes(vm, 0, PAGE_SIZE, PRIVATE),
					  EINVAL);
			vm_mem_set_shared(vm, 0, PAGE_SIZE);
		}
		kvm_close(vm);
	}
}

static void test_bad_inputs(void)
{
	static const struct {
		const char *what;
		struct kvm_memory_attributes a;
	} bad[] = {
		{ "unknown attribute bit 0", { 0, PAGE_SIZE, 1, 0 } },
		{ "unknown attribute bit 63", { 0, PAGE_SIZE, 1ull << 63, 0 } },
		{ "PRIVATE plus an unknown bit", { 0, PAGE_SIZE, PRIVATE | 4, 0 } },
		{ "non-zero flags", { 0, PAGE_SIZE, PRIVATE, 1 } },
		{ "flags bit 63", { 0, PAGE_SIZE, 0, 1ull << 63 } },
		{ "zero size", { 0, 0, PRIVATE, 0 } },
		{ "misaligned address", { 1, PAGE_SIZE, PRIVATE, 0 } },
		{ "misaligned size", { 0, PAGE_SIZE + 1, PRIVATE, 0 } },
		{ "sub-page size", { 0, 512, PRIVATE, 0 } },
		{ "wrap-around", { -PAGE_SIZE, 2 * PAGE_SIZE, PRIVATE, 0 } },
		{ "ends exactly at 2^64", { -PAGE_SIZE, PAGE_SIZE, PRIVATE, 0 } },
		{ "huge wrap-around", { 1ull << 63, 1ull << 63, PRIVATE, 0 } },
	};
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	uint64_t run;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kvm_memory_attributes a = bad[i].a;

		errno = 0;
		TEST_ASSERT(kvm_coco_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &a) == -1 &&
			    errno == EINVAL, "%s: expected EINVAL, got errno %d", bad[i].what,
			    errno);
	}
	/* A refused call changes nothing. */
	TEST_ASSERT_EQ(vm_get_memory_attributes(vm, 0, 1ull << 52, &run), 0);
	TEST_ASSERT_EQ(run, 1ull << 52);

	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, NULL), EFAULT);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, (void *)8), EFAULT);
	/* The wrong size encoded in the request is a different (unknown) ioctl. */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, _IOW(KVMIO, 0xd2, __u64[3]), &run), ENOTTY);
	kvm_close(vm);
}

static void test_wrong_fd_kind(void)
{
	struct kvm_memory_attributes a = { 0, PAGE_SIZE, PRIVATE, 0 };
	int sys = kvm_open();
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	int gmem = vm_create_guest_memfd(vm, PAGE_SIZE, 0);
	int vcpu = vm_create_vcpu(vm, 0);

	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sys, KVM_SET_MEMORY_ATTRIBUTES, &a), ENOTTY);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(gmem, KVM_SET_MEMORY_ATTRIBUTES, &a), ENOTTY);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_MEMORY_ATTRIBUTES, &a), ENOTTY);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(0x7fff, KVM_SET_MEMORY_ATTRIBUTES, &a), EBADF);
	kvm_close(vcpu);
	kvm_close(gmem);
	kvm_close(vm);
	kvm_close(sys);
}

static void test_conversions_read_back(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	uint64_t run;

	vm_mem_set_private(vm, 0x100000, 0x400000);
	vm_mem_set_shared(vm, 0x200000, 0x10000);
	/* Repeating a conversion is allowed and changes nothing. */
	vm_mem_set_shared(vm, 0x200000, 0x10000);

	TEST_ASSERT_EQ(vm_get_memory_attributes(vm, 0, 0x1000000, &run), 0);
	TEST_ASSERT_EQ(run, 0x100000);
	TEST_ASSERT_EQ(vm_get_memory_attributes(vm, 0x100000, 0x1000000, &run), PRIVATE);
	TEST_ASSERT_EQ(run, 0x100000);
	TEST_ASSERT_EQ(vm_get_memory_attributes(vm, 0x200000, 0x1000000, &run), 0);
	TEST_ASSERT_EQ(run, 0x10000);
	TEST_ASSERT_EQ(vm_get_memory_attributes(vm, 0x210000, 0x1000000, &run), PRIVATE);
	TEST_ASSERT_EQ(run, 0x2f0000);
	/* The run is capped at the limit asked for. */
	TEST_ASSERT_EQ(vm_get_memory_attributes(vm, 0x210000, 0x1000, &run), PRIVATE);
	TEST_ASSERT_EQ(run, 0x1000);

	/* The whole 64-bit space at once, then back. */
	vm_mem_set_private(vm, 0, -PAGE_SIZE);
	TEST_ASSERT_EQ(vm_get_memory_attributes(vm, 0, -PAGE_SIZE, &run), PRIVATE);
	TEST_ASSERT_EQ(run, -PAGE_SIZE);
	vm_mem_set_shared(vm, 0, -PAGE_SIZE);
	TEST_ASSERT_EQ(vm_get_memory_attributes(vm, 0x100000, 0x1000, &run), 0);
	kvm_close(vm);
}

#define MODEL_PAGES	512

static void test_random_against_per_page_model(void)
{
	static uint8_t model[MODEL_PAGES];
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	unsigned int op, i;

	test_seed();
	memset(model, 0, sizeof(model));
	for (op = 0; op < 3000; op++) {
		uint64_t start = test_rand() % MODEL_PAGES;
		uint64_t n = 1 + test_rand() % (MODEL_PAGES - start);
		bool private = test_rand() & 1;

		if (test_rand() % 4 && n > 8)
			n = 1 + n % 8;
		vm_set_memory_attributes(vm, start * PAGE_SIZE, n * PAGE_SIZE,
					 private ? PRIVATE : 0);
		memset(&model[start], private, n);

		/* Walk the whole model range by runs; every page must agree. */
		for (i = 0; i < MODEL_PAGES;) {
			uint64_t run, j;
			uint64_t attrs = vm_get_memory_attributes(vm, i * PAGE_SIZE,
								  (MODEL_PAGES - i) * PAGE_SIZE,
								  &run);

			TEST_ASSERT(run && run % PAGE_SIZE == 0, "bad run length %#lx",
				    (unsigned long)run);
			for (j = 0; j < run / PAGE_SIZE; j++)
				TEST_ASSERT(model[i + j] == !!(attrs & PRIVATE),
					    "op %u: page %lu: kvm-coco %s, model %s", op,
					    (unsigned long)(i + j), attrs ? "private" : "shared",
					    model[i + j] ? "private" : "shared");
			/* Runs are maximal: the next page differs. */
			i += run / PAGE_SIZE;
			TEST_ASSERT(i >= MODEL_PAGES || model[i] != model[i - 1],
				    "op %u: run ending at page %u is not maximal", op, i);
		}
	}
	kvm_close(vm);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_cap_per_vm_type),
		KSFT_TEST(test_bad_inputs),
		KSFT_TEST(test_wrong_fd_kind),
		KSFT_TEST(test_conversions_read_back),
		KSFT_TEST(test_random_against_per_page_model),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
