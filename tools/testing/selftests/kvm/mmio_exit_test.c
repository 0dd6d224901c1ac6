// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_EXIT_MMIO from a guest's own instructions, as upstream: an access to a gpa no memslot
 * backs exits with the gpa, length and (a write) the data, the guest going on after the
 * instruction; a read's answer, put in run->mmio.data, is what the guest's instruction gets on
 * the next KVM_RUN; a read-modify-write exits twice; a write to a read-only memslot is MMIO,
 * a read of it is memory.
 */
#include <sys/mman.h>

#include "guest.h"

#define MMIO_GPA	0x100000000ull		/* 4 GiB: no memslot */
#define RO_GPA		0x200000000ull		/* a read-only memslot's one page */
#define RO_SLOT		1

static GUEST_CODE void guest_mmio(unsigned int id)
{
	volatile uint8_t *mmio = (volatile uint8_t *)MMIO_GPA;
	volatile uint32_t *ro = (volatile uint32_t *)RO_GPA;
	uint64_t v;

	*(volatile uint8_t *)(mmio + 1) = 0x11;
	*(volatile uint16_t *)(mmio + 2) = 0x2222;
	*(volatile uint32_t *)(mmio + 4) = 0x44444444;
	*(volatile uint64_t *)(mmio + 8) = 0x8888888888888888ull;
	v = *(volatile uint32_t *)(mmio + 0x10);
	GUEST_ASSERT_EQ(v, 0x12345678);
	v = *(volatile uint64_t *)(mmio + 0x18);
	GUEST_ASSERT_EQ(v, 0x0102030405060708ull);
	/* Read-modify-write: the read's answer plus 5 is written. */
	asm volatile("addl $5, (%0)" : : "r"(mmio + 0x20) : "memory");
	/* The read-only slot: memory to read, MMIO to write. */
	GUEST_ASSERT_EQ(*ro, 0xabcd);
	*ro = 0xdcba;
	GUEST_ASSERT_EQ(*ro, 0xabcd);
	GUEST_DONE();
}

static void expect_mmio(struct guest_vcpu *v, uint64_t gpa, uint32_t len, bool write)
{
	vcpu_run(v);
	TEST_ASSERT(v->run->exit_reason == KVM_EXIT_MMIO, "exit %u (internal %u %#llx %#llx)",
		    v->run->exit_reason, v->run->internal.suberror,
		    (unsigned long long)v->run->internal.data[0],
		    (unsigned long long)v->run->internal.data[1]);
	TEST_ASSERT_EQ(v->run->mmio.phys_addr, gpa);
	TEST_ASSERT_EQ(v->run->mmio.len, len);
	TEST_ASSERT_EQ(v->run->mmio.is_write, write);
}

static uint64_t mmio_data(struct guest_vcpu *v)
{
	uint64_t d = 0;

	memcpy(&d, v->run->mmio.data, v->run->mmio.len);
	return d;
}

static void test_mmio_exits(void)
{
	uint64_t answer;
	struct guest_vcpu v;
	struct guest_vm g;
	struct ucall uc;
	void *ro;

	if (!have_guest_code())
		return test_skip("no TCG engine in this host");
	guest_vm_create(&g, KVM_X86_DEFAULT_VM);
	guest_map_page(&g, MMIO_GPA, MMIO_GPA);
	guest_map_page(&g, RO_GPA, RO_GPA);
	ro = test_alloc_mem(PAGE_SIZE);
	*(uint32_t *)ro = 0xabcd;
	vm_set_user_memory_region2(g.vm, RO_SLOT, KVM_MEM_READONLY, RO_GPA, PAGE_SIZE, ro, -1, 0);
	guest_vcpu_add(&g, &v, 0, guest_mmio);

	expect_mmio(&v, MMIO_GPA + 1, 1, true);
	TEST_ASSERT_EQ(mmio_data(&v), 0x11);
	expect_mmio(&v, MMIO_GPA + 2, 2, true);
	TEST_ASSERT_EQ(mmio_data(&v), 0x2222);
	expect_mmio(&v, MMIO_GPA + 4, 4, true);
	TEST_ASSERT_EQ(mmio_data(&v), 0x44444444);
	expect_mmio(&v, MMIO_GPA + 8, 8, true);
	TEST_ASSERT_EQ(mmio_data(&v), 0x8888888888888888ull);

	expect_mmio(&v, MMIO_GPA + 0x10, 4, false);
	answer = 0x12345678;
	memcpy(v.run->mmio.data, &answer, 4);
	expect_mmio(&v, MMIO_GPA + 0x18, 8, false);
	answer = 0x0102030405060708ull;
	memcpy(v.run->mmio.data, &answer, 8);

	expect_mmio(&v, MMIO_GPA + 0x20, 4, false);
	answer = 10;
	memcpy(v.run->mmio.data, &answer, 4);
	expect_mmio(&v, MMIO_GPA + 0x20, 4, true);
	TEST_ASSERT_EQ(mmio_data(&v), 15);

	expect_mmio(&v, RO_GPA, 4, true);
	TEST_ASSERT_EQ(mmio_data(&v), 0xdcba);
	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_DONE);
	TEST_ASSERT_EQ(*(uint32_t *)ro, 0xabcd);

	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
	munmap(ro, PAGE_SIZE);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_mmio_exits),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
