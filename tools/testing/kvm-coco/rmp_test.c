// SPDX-License-Identifier: GPL-2.0
/*
 * The RMP model: every RMPUPDATE / PSMASH / PVALIDATE rule and return code, the host-write
 * check, and the RMP invariants (checked after every operation).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/kvm_host.h>
#include <asm/sev.h>

#include "test_util.h"
#include "../../../arch/x86/kvm/svm/sev.h"

/* A 2M-aligned region nobody allocates (8 GiB into model memory) for RMP-only tests. */
#define BIG	0x200000ul
#define GPA_2M	0x40000000ull

static bool live[SNP_MAX_ASID + 1];
static unsigned long fw_pages[8];

static bool asid_live(u32 asid, void *data)
{
	return live[asid];
}

static bool fw_page_owned(unsigned long pfn, void *data)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fw_pages); i++)
		if (fw_pages[i] == pfn)
			return true;
	return false;
}

static const struct snp_rmp_owners owners = { asid_live, fw_page_owned, NULL };

#define CHECK_RMP() do {							\
	char __why[200];							\
	TEST_ASSERT(!snp_rmp_check(&owners, __why, sizeof(__why)), "RMP: %s", __why); \
} while (0)

static int update(unsigned long pfn, bool assigned, int size, bool immutable, u64 gpa,
		  u32 asid)
{
	struct rmp_state s = { gpa, assigned, (u8)size, immutable, 0, asid };
	int r = rmpupdate(pfn, &s);

	CHECK_RMP();
	return r;
}

static int make_shared(unsigned long pfn, int size)
{
	return update(pfn, false, size, false, 0, 0);
}

static struct rmpentry entry(unsigned long pfn)
{
	struct rmpentry e;

	TEST_ASSERT(!snp_lookup_rmpentry_raw(pfn, &e), "lookup %#lx", pfn);
	return e;
}

static void test_rmpupdate_4k(void)
{
	unsigned long pfn = page_to_pfn(alloc_page(GFP_KERNEL));
	struct rmpentry e;

	live[5] = live[6] = true;
	TEST_ASSERT_EQ(update(pfn, true, RMP_PG_SIZE_4K, false, 0x1000, 5), 0);
	e = entry(pfn);
	TEST_ASSERT(rmpentry_assigned(&e) && rmpentry_asid(&e) == 5 && rmpentry_gpa(&e) == 0x1000 &&
		    !rmpentry_validated(&e) && !rmpentry_immutable(&e), "entry %#llx", e.lo);
	/* Re-assignment is not refused by the instruction (KVM's helper refuses it). */
	TEST_ASSERT_EQ(update(pfn, true, RMP_PG_SIZE_4K, false, 0x1000, 5), 0);
	/* Immutable: nothing may change it, not even back to shared. */
	TEST_ASSERT_EQ(update(pfn, true, RMP_PG_SIZE_4K, true, 0x1000, 5), 0);
	TEST_ASSERT_EQ(make_shared(pfn, RMP_PG_SIZE_4K), RMPUPDATE_FAIL_PERMISSION);
	TEST_ASSERT_EQ(update(pfn, true, RMP_PG_SIZE_4K, false, 0x2000, 6),
		       RMPUPDATE_FAIL_PERMISSION);
	snp_rmp_fw_reclaim(pfn);
	TEST_ASSERT_EQ(make_shared(pfn, RMP_PG_SIZE_4K), 0);
	e = entry(pfn);
	TEST_ASSERT_EQ(e.lo, 0);
	__free_page(pfn_to_page(pfn));
}

static void test_rmpupdate_bad_input(void)
{
	struct rmp_state s = { .assigned = 1, .asid = 5, .gpa = 0x1000 };

	live[5] = true;
	TEST_ASSERT_EQ(rmpupdate(max_pfn, &s), RMPUPDATE_FAIL_INPUT);
	TEST_ASSERT_EQ(rmpupdate(ULONG_MAX, &s), RMPUPDATE_FAIL_INPUT);
	s.rsvd = 1;
	TEST_ASSERT_EQ(rmpupdate(BIG, &s), RMPUPDATE_FAIL_INPUT);
	s.rsvd = 0;
	s.pagesize = 2;
	TEST_ASSERT_EQ(rmpupdate(BIG, &s), RMPUPDATE_FAIL_INPUT);
	s.pagesize = RMP_PG_SIZE_2M;
	TEST_ASSERT_EQ(rmpupdate(BIG + 1, &s), RMPUPDATE_FAIL_INPUT);	/* pfn misaligned */
	TEST_ASSERT_EQ(rmpupdate(BIG, &s), RMPUPDATE_FAIL_INPUT);	/* gpa misaligned */
	s = (struct rmp_state){ .assigned = 1, .asid = SNP_MAX_ASID + 1, .gpa = 0x1000 };
	TEST_ASSERT_EQ(rmpupdate(BIG, &s), RMPUPDATE_FAIL_INPUT);
	s = (struct rmp_state){ .assigned = 1, .asid = 5, .gpa = 1ull << 51 };
	TEST_ASSERT_EQ(rmpupdate(BIG, &s), RMPUPDATE_FAIL_INPUT);
	s = (struct rmp_state){ .assigned = 0, .asid = 5 };
	TEST_ASSERT_EQ(rmpupdate(BIG, &s), RMPUPDATE_FAIL_INPUT);
	s = (struct rmp_state){ .assigned = 0, .immutable = 1 };
	TEST_ASSERT_EQ(rmpupdate(BIG, &s), RMPUPDATE_FAIL_INPUT);
	CHECK_RMP();
}

static void test_2m_overlap_and_psmash(void)
{
	struct rmpentry e;
	unsigned long i;

	live[7] = true;
	/* 4K pages assigned inside the range: a 2M assignment overlaps them. */
	TEST_ASSERT_EQ(update(BIG + 3, true, RMP_PG_SIZE_4K, false, GPA_2M + 0x3000, 7), 0);
	TEST_ASSERT_EQ(update(BIG, true, RMP_PG_SIZE_2M, false, GPA_2M, 7),
		       RMPUPDATE_FAIL_OVERLAP);
	TEST_ASSERT_EQ(make_shared(BIG + 3, RMP_PG_SIZE_4K), 0);
	TEST_ASSERT_EQ(update(BIG, true, RMP_PG_SIZE_2M, false, GPA_2M, 7), 0);
	for (i = 0; i < RMP_2M_PAGES; i += 97) {
		bool assigned;
		int level;

		TEST_ASSERT(!snp_lookup_rmpentry(BIG + i, &assigned, &level), "lookup");
		TEST_ASSERT(assigned && level == 2, "pfn +%lu: assigned %d level %d", i, assigned,
			    level);
	}
	/* A 4K update inside the 2M page overlaps it: PSMASH first. */
	TEST_ASSERT_EQ(make_shared(BIG + 5, RMP_PG_SIZE_4K), RMPUPDATE_FAIL_OVERLAP);
	TEST_ASSERT_EQ(make_shared(BIG, RMP_PG_SIZE_4K), RMPUPDATE_FAIL_OVERLAP);

	TEST_ASSERT_EQ(psmash(BIG + 1), PSMASH_FAIL_INPUT);
	TEST_ASSERT_EQ(psmash(max_pfn), PSMASH_FAIL_INPUT);
	TEST_ASSERT_EQ(psmash(BIG + RMP_2M_PAGES), PSMASH_FAIL_BADADDR);	/* not assigned */
	snp_rmp_set_inuse(BIG + 9, true);
	TEST_ASSERT_EQ(psmash(BIG), PSMASH_FAIL_INUSE);
	TEST_ASSERT_EQ(make_shared(BIG, RMP_PG_SIZE_2M), RMPUPDATE_FAIL_INUSE);
	snp_rmp_set_inuse(BIG + 9, false);
	TEST_ASSERT_EQ(psmash(BIG), 0);
	CHECK_RMP();
	e = entry(BIG + 5);
	TEST_ASSERT(rmpentry_assigned(&e) && rmpentry_pagesize(&e) == RMP_PG_SIZE_4K &&
		    rmpentry_gpa(&e) == GPA_2M + 0x5000 && rmpentry_asid(&e) == 7, "split entry");
	/* A 4K page is no 2M page any more. */
	TEST_ASSERT_EQ(psmash(BIG), PSMASH_FAIL_BADADDR);
	TEST_ASSERT_EQ(make_shared(BIG + 5, RMP_PG_SIZE_4K), 0);
	/* ...and the 2M range now holds 4K assignments: a 2M update overlaps them. */
	TEST_ASSERT_EQ(make_shared(BIG, RMP_PG_SIZE_2M), RMPUPDATE_FAIL_OVERLAP);
	for (i = 0; i < RMP_2M_PAGES; i++)
		if (i != 5)
			TEST_ASSERT_EQ(make_shared(BIG + i, RMP_PG_SIZE_4K), 0);
	TEST_ASSERT_EQ(make_shared(BIG, RMP_PG_SIZE_2M), 0);

	/* An immutable 2M page cannot be smashed. */
	TEST_ASSERT_EQ(update(BIG, true, RMP_PG_SIZE_2M, true, GPA_2M, 7), 0);
	TEST_ASSERT_EQ(psmash(BIG), PSMASH_FAIL_PERMISSION);
	for (i = 0; i < RMP_2M_PAGES; i++)
		snp_rmp_fw_reclaim(BIG + i);
	TEST_ASSERT_EQ(make_shared(BIG, RMP_PG_SIZE_2M), 0);
	CHECK_RMP();
}

static void test_pvalidate(void)
{
	u64 npf;

	live[8] = true;
	TEST_ASSERT_EQ(update(BIG + 1, true, RMP_PG_SIZE_4K, false, 0x5000, 8), 0);
	TEST_ASSERT_EQ(pvalidate(8, 0x5001, BIG + 1, false, true, &npf), PVALIDATE_FAIL_INPUT);
	TEST_ASSERT_EQ(pvalidate(8, 0x5000, max_pfn, false, true, &npf), PVALIDATE_FAIL_INPUT);
	TEST_ASSERT_EQ(pvalidate(8, 0x200000, BIG + 1, true, true, &npf), PVALIDATE_FAIL_INPUT);
	/* Someone else's page, or the right page at the wrong gpa: #NPF with the RMP bit. */
	TEST_ASSERT_EQ(pvalidate(9, 0x5000, BIG + 1, false, true, &npf), PVALIDATE_NPF);
	TEST_ASSERT(npf & PFERR_GUEST_RMP_MASK, "npf %#llx", (unsigned long long)npf);
	TEST_ASSERT_EQ(pvalidate(8, 0x6000, BIG + 1, false, true, &npf), PVALIDATE_NPF);
	TEST_ASSERT_EQ(pvalidate(8, 0x5000, BIG + 2, false, true, &npf), PVALIDATE_NPF);
	/* Validate, validate again (no update), rescind, rescind again. */
	TEST_ASSERT_EQ(pvalidate(8, 0x5000, BIG + 1, false, true, &npf), 0);
	TEST_ASSERT(rmpentry_validated(&(struct rmpentry){ entry(BIG + 1).lo }), "validated");
	TEST_ASSERT_EQ(pvalidate(8, 0x5000, BIG + 1, false, true, &npf), PVALIDATE_FAIL_NOUPDATE);
	TEST_ASSERT_EQ(pvalidate(8, 0x5000, BIG + 1, false, false, &npf), 0);
	TEST_ASSERT_EQ(pvalidate(8, 0x5000, BIG + 1, false, false, &npf),
		       PVALIDATE_FAIL_NOUPDATE);
	/* RMPUPDATE clears Validated. */
	TEST_ASSERT_EQ(pvalidate(8, 0x5000, BIG + 1, false, true, &npf), 0);
	TEST_ASSERT_EQ(update(BIG + 1, true, RMP_PG_SIZE_4K, false, 0x5000, 8), 0);
	TEST_ASSERT(!rmpentry_validated(&(struct rmpentry){ entry(BIG + 1).lo }), "validated");
	/* Immutable pages cannot be validated by the guest. */
	TEST_ASSERT_EQ(update(BIG + 1, true, RMP_PG_SIZE_4K, true, 0x5000, 8), 0);
	TEST_ASSERT_EQ(pvalidate(8, 0x5000, BIG + 1, false, true, &npf), PVALIDATE_NPF);
	snp_rmp_fw_reclaim(BIG + 1);
	TEST_ASSERT_EQ(make_shared(BIG + 1, RMP_PG_SIZE_4K), 0);

	/* Size mismatches: 2M on 4K entries fails; 4K inside a 2M entry is an #NPF(SIZEM). */
	TEST_ASSERT_EQ(update(BIG + 7, true, RMP_PG_SIZE_4K, false, GPA_2M, 8), 0);
	TEST_ASSERT_EQ(pvalidate(8, GPA_2M, BIG, true, true, &npf), PVALIDATE_NPF);
	TEST_ASSERT_EQ(make_shared(BIG + 7, RMP_PG_SIZE_4K), 0);
	TEST_ASSERT_EQ(update(BIG, true, RMP_PG_SIZE_4K, false, GPA_2M, 8), 0);
	TEST_ASSERT_EQ(pvalidate(8, GPA_2M, BIG, true, true, &npf), PVALIDATE_FAIL_SIZEMISMATCH);
	TEST_ASSERT_EQ(make_shared(BIG, RMP_PG_SIZE_4K), 0);
	TEST_ASSERT_EQ(update(BIG, true, RMP_PG_SIZE_2M, false, GPA_2M, 8), 0);
	TEST_ASSERT_EQ(pvalidate(8, GPA_2M + 0x1000, BIG + 1, false, true, &npf), PVALIDATE_NPF);
	TEST_ASSERT(npf & PFERR_GUEST_SIZEM_MASK, "npf %#llx", (unsigned long long)npf);
	TEST_ASSERT_EQ(pvalidate(8, GPA_2M, BIG, true, true, &npf), 0);
	TEST_ASSERT(rmpentry_validated(&(struct rmpentry){ entry(BIG + 511).lo }), "2M validate");
	TEST_ASSERT_EQ(make_shared(BIG, RMP_PG_SIZE_2M), 0);
	CHECK_RMP();
}

static void test_host_writes_to_assigned_pages_fault(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	unsigned long pfn = page_to_pfn(page), faults = snp_rmp_host_write_faults();
	const char msg[] = "hello";
	u8 *p = page_address(page);

	live[5] = true;
	TEST_ASSERT_EQ(snp_host_copy_to_pfn(pfn, 8, msg, sizeof(msg)), 0);
	TEST_ASSERT(!memcmp(p + 8, msg, sizeof(msg)), "shared write lost");
	TEST_ASSERT_EQ(update(pfn, true, RMP_PG_SIZE_4K, false, 0x1000, 5), 0);
	TEST_ASSERT_EQ(snp_host_copy_to_pfn(pfn, 0, "XXXXXXXXXXXXX", 13), -EFAULT);
	TEST_ASSERT_EQ(snp_rmp_host_write_faults(), faults + 1);
	TEST_ASSERT(!memcmp(p + 8, msg, sizeof(msg)) && !p[0], "a refused write wrote");
	TEST_ASSERT_EQ(snp_host_copy_to_pfn(pfn, 4000, msg, 200), -EINVAL);
	TEST_ASSERT_EQ(make_shared(pfn, RMP_PG_SIZE_4K), 0);
	__free_page(page);
}

static void test_checker_catches_violations(void)
{
	char why[200];

	/* An ASID with no live guest. */
	live[11] = false;
	TEST_ASSERT_EQ(rmpupdate(BIG + 20, &(struct rmp_state){ 0x9000, 1, 0, 0, 0, 11 }), 0);
	TEST_ASSERT(snp_rmp_check(&owners, why, sizeof(why)) == -EINVAL && strstr(why, "asid 11"),
		    "dead owner not caught: %s", why);
	live[11] = true;
	CHECK_RMP();
	/* The same guest gpa backed by two pages. */
	TEST_ASSERT_EQ(rmpupdate(BIG + 21, &(struct rmp_state){ 0x9000, 1, 0, 0, 0, 11 }), 0);
	TEST_ASSERT(snp_rmp_check(&owners, why, sizeof(why)) == -EINVAL && strstr(why, "backed"),
		    "double backing not caught: %s", why);
	TEST_ASSERT_EQ(rmpupdate(BIG + 21, &(struct rmp_state){ 0 }), 0);
	/* A firmware page (ASID 0) that no firmware object owns. */
	TEST_ASSERT_EQ(rmpupdate(BIG + 22, &(struct rmp_state){ 0, 1, 0, 1, 0, 0 }), 0);
	TEST_ASSERT(snp_rmp_check(&owners, why, sizeof(why)) == -EINVAL, "orphan firmware page");
	fw_pages[0] = BIG + 22;
	CHECK_RMP();
	snp_rmp_fw_reclaim(BIG + 22);
	TEST_ASSERT_EQ(make_shared(BIG + 22, RMP_PG_SIZE_4K), 0);
	TEST_ASSERT_EQ(make_shared(BIG + 20, RMP_PG_SIZE_4K), 0);
	fw_pages[0] = 0;
}

static void test_table_is_16_bytes_per_page(void)
{
	TEST_ASSERT_EQ(sizeof(struct rmpentry), 16);
	TEST_ASSERT_EQ(snp_rmptable_bytes() / snp_rmptable_pages(), 16);
	TEST_ASSERT(snp_rmptable_pages() >= max_pfn, "the RMP covers all memory");
}

/*
 * KVM's one way to assign a page refuses a page already assigned, to another guest or again
 * to the same one, and leaves the entry as it was (its callers check first: so must it).
 */
static void test_make_private_refuses_assigned(void)
{
	struct kvm *kvm = kzalloc(sizeof(*kvm), GFP_KERNEL);
	unsigned long pfn = page_to_pfn(alloc_page(GFP_KERNEL));
	struct rmpentry e;

	live[7] = live[8] = true;
	TEST_ASSERT_EQ(snp_make_private(kvm, pfn, 0x1000, 7, false), 0);
	e = entry(pfn);
	TEST_ASSERT_EQ(snp_make_private(kvm, pfn, 0x1000, 7, false), -EEXIST);
	TEST_ASSERT_EQ(snp_make_private(kvm, pfn, 0x2000, 8, true), -EEXIST);
	TEST_ASSERT_EQ(entry(pfn).lo, e.lo);
	CHECK_RMP();
	TEST_ASSERT_EQ(snp_make_shared(kvm, pfn), 0);
	TEST_ASSERT_EQ(entry(pfn).lo, 0);
	CHECK_RMP();
	live[7] = live[8] = false;
	__free_page(pfn_to_page(pfn));
	sev_trace_free(kvm);
	kfree(kvm);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_rmpupdate_4k),
		KSFT_TEST(test_make_private_refuses_assigned),
		KSFT_TEST(test_rmpupdate_bad_input),
		KSFT_TEST(test_2m_overlap_and_psmash),
		KSFT_TEST(test_pvalidate),
		KSFT_TEST(test_host_writes_to_assigned_pages_fault),
		KSFT_TEST(test_checker_catches_violations),
		KSFT_TEST(test_table_is_16_bytes_per_page),
	};

	TEST_ASSERT(!kvm_coco_init(), "platform init");
	return ksft_run(tests, ARRAY_SIZE(tests));
}
