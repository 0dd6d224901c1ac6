// SPDX-License-Identifier: GPL-2.0
/*
 * A conversion takes every translation of its page out of the TCG engine's TLB, whichever
 * virtual pages map it, whether the engine takes out only those pages (it keeps a table of
 * what its TLB holds) or, the table overflowing, everything; and the address the engine runs
 * its own INVLPG at is no guest's: a non-canonical access is #GP, as on hardware.
 */
#include "guest.h"

#define DATA		GUEST_DATA_GPA		/* identity-mapped, like all data */
#define ALIAS		0x200000000000ull	/* a second mapping of its page */
#define SPREAD		(2 * 64)		/* more than the engine's table holds */
#define MARK		0x6d61726b6d61726bull
#define NON_CANONICAL	0x8000000000000f00ull

static uint64_t spread;		/* pages the guest touches before each conversion */
static uint64_t gp_count, gp_err, gp_rip;

static GUEST_CODE uint64_t peek(uint64_t gva)
{
	return *(volatile uint64_t *)gva;
}

/* Touch @n data pages after DATA's, so that the engine's TLB (and its table) holds them. */
static GUEST_CODE void touch(uint64_t n)
{
	uint64_t i;

	for (i = 1; i <= n; i++)
		peek(DATA + i * 4096);
}

static GUEST_CODE void guest_aliases(unsigned int id)
{
	touch(spread);
	GUEST_ASSERT_EQ(peek(DATA), MARK);
	GUEST_ASSERT_EQ(peek(ALIAS), MARK);
	GUEST_SYNC(1);		/* the host makes the page private */

	touch(spread);
	GUEST_ASSERT_EQ(peek(ALIAS), 0);
	GUEST_ASSERT_EQ(peek(DATA), 0);
	*(volatile uint64_t *)DATA = 7;
	GUEST_ASSERT_EQ(peek(ALIAS), 7);
	GUEST_SYNC(2);		/* and shared again */

	GUEST_ASSERT_EQ(peek(DATA), MARK);
	GUEST_ASSERT_EQ(peek(ALIAS), MARK);
	GUEST_DONE();
}

static void convert(struct guest_vm *g, struct guest_vcpu *v, uint64_t stage, uint64_t attr)
{
	struct ucall uc;

	vcpu_run(v);
	assert_ucall(g, v, &uc, UCALL_SYNC);
	TEST_ASSERT_EQ(uc.args[0], stage);
	vm_set_memory_attributes(g->vm, DATA, PAGE_SIZE, attr);
}

static void run_aliases(uint64_t pages)
{
	struct guest_vcpu v;
	struct guest_vm g;
	struct ucall uc;

	guest_vm_create(&g, KVM_X86_SW_PROTECTED_VM);
	guest_map_page(&g, ALIAS, DATA);
	*(uint64_t *)guest_gpa_hva(&g, DATA) = MARK;
	spread = pages;
	sync_global_to_guest(&g, spread);
	guest_vcpu_add(&g, &v, 0, guest_aliases);
	convert(&g, &v, 1, KVM_MEMORY_ATTRIBUTE_PRIVATE);
	convert(&g, &v, 2, 0);
	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_DONE);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

/* Both mappings of the page see each conversion: two pages taken out of the TLB at once. */
static void test_conversion_reaches_every_mapping(void)
{
	if (!have_guest_code()) {
		test_skip("no TCG engine in this host");
		return;
	}
	run_aliases(2);
}

/* The same with more pages in the TLB than the engine can name: the whole TLB goes. */
static void test_conversion_with_full_table(void)
{
	if (!have_guest_code()) {
		test_skip("no TCG engine in this host");
		return;
	}
	run_aliases(SPREAD);
}

static GUEST_CODE void guest_gp(struct ex_regs *regs)
{
	gp_count++;
	gp_err = regs->error_code;
	gp_rip = regs->rip;
	regs->rip += 3;				/* mov (%rbx), %rax */
}

static GUEST_CODE void guest_non_canonical(unsigned int id)
{
	uint64_t rax = 0;

	/* A conversion first: the engine's INVLPG has run, its page is in the TLB. */
	peek(DATA);
	GUEST_SYNC(1);
	peek(DATA);
	asm volatile("mov (%%rbx), %%rax" : "+a"(rax) : "b"(NON_CANONICAL) : "memory");
	GUEST_ASSERT_EQ(gp_count, 1);
	GUEST_ASSERT_EQ(gp_err, 0);
	GUEST_ASSERT_EQ(rax, 0);
	GUEST_DONE();
}

/* A read of the page the engine runs INVLPG at is #GP(0), its RIP the instruction's. */
static void test_non_canonical_is_gp(void)
{
	struct guest_vcpu v;
	struct guest_vm g;
	struct ucall uc;

	if (!have_guest_code()) {
		test_skip("no TCG engine in this host");
		return;
	}
	guest_vm_create(&g, KVM_X86_SW_PROTECTED_VM);
	vm_install_exception_handler(&g, 13, guest_gp);
	guest_vcpu_add(&g, &v, 0, guest_non_canonical);
	convert(&g, &v, 1, KVM_MEMORY_ATTRIBUTE_PRIVATE);
	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_DONE);
	sync_global_from_guest(&g, gp_rip);
	TEST_ASSERT(gp_rip >= (uint64_t)guest_non_canonical &&
		    gp_rip < (uint64_t)guest_non_canonical + 256, "#GP at %#lx", gp_rip);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_conversion_reaches_every_mapping),
		KSFT_TEST(test_conversion_with_full_table),
		KSFT_TEST(test_non_canonical_is_gp),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
