// SPDX-License-Identifier: GPL-2.0
/*
 * The TDX module model: every state rule and status code of the SEAMCALLs, the MRTD against
 * the known-answer vectors (vectors/tdx-mrtd.txt) built through PAGE.ADD and MR.EXTEND, and
 * the PAMT invariants after every call.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <asm/tdx.h>

#include "host_user.h"
#include "test_util.h"
#include "vectors.h"

#define S(x)	((x) & TDX_SEAMCALL_STATUS_MASK)


/* TDH.MNG.INIT with TD_PARAMS naming only the GPAW. */
static u64 mng_init(u64 tdr, unsigned int gpaw)
{
	return tdh_mng_init(tdr, &(struct tdx_td_params){ .gpaw = gpaw });
}

static void check_pamt(void)
{
	char why[200];

	TEST_ASSERT(!tdx_pamt_check(why, sizeof(why)), "PAMT: %s", why);
}

/* A SEAMCALL and the PAMT invariants after it; returns the status class. */
#define CALL(expr) ({ u64 __r = (expr); check_pamt(); S(__r); })

static u64 new_pa(void)
{
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO);

	TEST_ASSERT(p, "alloc_page");
	return (u64)page_to_pfn(p) << PAGE_SHIFT;
}

static void free_pa(u64 pa)
{
	enum tdx_pamt_type type;
	u64 owner;

	TEST_ASSERT(!tdx_pamt_read(pa, &type, &owner) && type == PT_NDA,
		    "freeing a page the module still holds");
	__free_page(pfn_to_page(pa >> PAGE_SHIFT));
}

struct td {
	u64 tdr, tdcx[4], vp;
	u16 hkid;
};

static void td_create(struct td *td, u16 hkid, unsigned int gpaw)
{
	unsigned int i;

	td->tdr = new_pa();
	td->hkid = hkid;
	TEST_ASSERT_EQ(CALL(tdh_mng_create(td->tdr, hkid)), TDX_SUCCESS);
	for (i = 0; i < 4; i++) {
		td->tdcx[i] = new_pa();
		TEST_ASSERT_EQ(CALL(tdh_mng_addcx(td->tdr, td->tdcx[i])), TDX_SUCCESS);
	}
	TEST_ASSERT_EQ(CALL(mng_init(td->tdr, gpaw)), TDX_SUCCESS);
	td->vp = new_pa();
	TEST_ASSERT_EQ(CALL(tdh_vp_create(td->tdr, td->vp)), TDX_SUCCESS);
	TEST_ASSERT_EQ(CALL(tdh_vp_init(td->vp, 0)), TDX_SUCCESS);
}

/* Teardown in the module's order: free the key, reclaim every page, the TDR last. */
static void td_destroy(struct td *td, const u64 *pages, unsigned int n)
{
	unsigned int i;

	TEST_ASSERT_EQ(CALL(tdh_mng_key_freeid(td->tdr)), TDX_SUCCESS);
	TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(td->tdr)), TDX_OP_STATE_INCORRECT);
	for (i = 0; i < n; i++) {
		TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(pages[i])), TDX_SUCCESS);
		free_pa(pages[i]);
	}
	for (i = 0; i < 4; i++) {
		TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(td->tdcx[i])), TDX_SUCCESS);
		free_pa(td->tdcx[i]);
	}
	TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(td->vp)), TDX_SUCCESS);
	free_pa(td->vp);
	TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(td->tdr)), TDX_SUCCESS);
	TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(td->tdr)), TDX_PAGE_METADATA_INCORRECT);
	free_pa(td->tdr);
}

static u64 add_page(struct td *td, u64 gpa, const u8 *content, bool measured)
{
	u64 page = new_pa(), src = new_pa(), off;

	memcpy(__va(src), content, PAGE_SIZE);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(td->tdr, gpa, page, src)), TDX_SUCCESS);
	for (off = 0; measured && off < PAGE_SIZE; off += MR_EXTEND_CHUNK)
		TEST_ASSERT_EQ(CALL(tdh_mr_extend(td->tdr, gpa + off)), TDX_SUCCESS);
	free_pa(src);
	return page;
}

static void test_known_answers(void)
{
	struct vector_file *f = vector_load("tdx-mrtd.txt");
	unsigned int c, i, p, n;
	u8 content[PAGE_SIZE], mrtd[48];
	char hex[97];
	u64 pages[16];

	TEST_ASSERT(f->nr_cases >= 4, "%u TDX vectors", f->nr_cases);
	for (c = 0; c < f->nr_cases; c++) {
		struct td td;

		td_create(&td, TDX_MIN_HKID + c, 48);
		for (i = n = 0; i < f->cases[c].nr_steps; i++) {
			const struct vector_step *s = &f->cases[c].steps[i];

			for (p = 0; p < s->pages; p++) {
				vector_fill(s, p, content);
				pages[n++] = add_page(&td, s->gpa + p * PAGE_SIZE, content,
						      s->measured);
			}
		}
		TEST_ASSERT_EQ(CALL(tdx_td_mrtd(td.tdr, mrtd)), TDX_OP_STATE_INCORRECT);
		TEST_ASSERT_EQ(CALL(tdh_mr_finalize(td.tdr)), TDX_SUCCESS);
		TEST_ASSERT_EQ(CALL(tdx_td_mrtd(td.tdr, mrtd)), TDX_SUCCESS);
		for (i = 0; i < 48; i++)
			sprintf(hex + 2 * i, "%02x", mrtd[i]);
		TEST_ASSERT(!strcmp(hex, f->cases[c].digest), "%s:\n#   got  %s\n#   want %s",
			    f->cases[c].name, hex, f->cases[c].digest);
		ksft_print_msg("vector ok: %s\n", f->cases[c].name);
		td_destroy(&td, pages, n);
	}
	vector_free(f);
	TEST_ASSERT_EQ(tdx_nr_tds(), 0);
}

static void test_create_and_init_rules(void)
{
	u64 tdr = new_pa(), tdr2 = new_pa(), cx = new_pa();
	unsigned int i;
	struct td td;

	TEST_ASSERT_EQ(CALL(tdh_mng_create(tdr + 8, 40)), TDX_OPERAND_INVALID);
	TEST_ASSERT_EQ(CALL(tdh_mng_create(tdr, TDX_MIN_HKID - 1)), TDX_OPERAND_INVALID);
	TEST_ASSERT_EQ(CALL(tdh_mng_create(tdr, TDX_MAX_HKID + 1)), TDX_OPERAND_INVALID);
	TEST_ASSERT_EQ(CALL(tdh_mng_create(tdr, 40)), TDX_SUCCESS);
	/* The same TDR page again, or the same HKID for another TD. */
	TEST_ASSERT_EQ(CALL(tdh_mng_create(tdr, 41)), TDX_PAGE_METADATA_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_mng_create(tdr2, 40)), TDX_OPERAND_BUSY);
	/* INIT wants its TDCS pages first; then no more TDCS pages. */
	TEST_ASSERT_EQ(CALL(mng_init(tdr, 48)), TDX_OP_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_mng_addcx(tdr, tdr)), TDX_PAGE_METADATA_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_mng_addcx(tdr2, cx)), TDX_OPERAND_INVALID);	/* not a TD */
	TEST_ASSERT_EQ(CALL(tdh_mng_key_freeid(tdr)), TDX_SUCCESS);
	TEST_ASSERT_EQ(CALL(tdh_mng_key_freeid(tdr)), TDX_KEY_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(tdr)), TDX_SUCCESS);
	free_pa(tdr);

	td_create(&td, 40, 52);			/* the HKID is free again */
	TEST_ASSERT_EQ(CALL(mng_init(td.tdr, 48)), TDX_OP_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_mng_addcx(td.tdr, cx)), TDX_OP_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_vp_init(td.vp, 0)), TDX_OP_STATE_INCORRECT);	/* twice */
	TEST_ASSERT_EQ(CALL(tdh_vp_init(cx, 0)), TDX_OPERAND_INVALID);	/* not a TDVPR */
	TEST_ASSERT_EQ(CALL(tdh_vp_create(td.tdr, td.tdcx[0])), TDX_PAGE_METADATA_INCORRECT);
	td_destroy(&td, NULL, 0);

	td.tdr = new_pa();
	TEST_ASSERT_EQ(CALL(tdh_mng_create(td.tdr, 42)), TDX_SUCCESS);
	for (i = 0; i < 4; i++) {
		td.tdcx[i] = new_pa();
		TEST_ASSERT_EQ(CALL(tdh_mng_addcx(td.tdr, td.tdcx[i])), TDX_SUCCESS);
	}
	TEST_ASSERT_EQ(CALL(mng_init(td.tdr, 50)), TDX_OPERAND_INVALID);	/* GPAW */
	TEST_ASSERT_EQ(CALL(tdh_mng_key_freeid(td.tdr)), TDX_SUCCESS);
	for (i = 0; i < 4; i++) {
		TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(td.tdcx[i])), TDX_SUCCESS);
		free_pa(td.tdcx[i]);
	}
	TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(td.tdr)), TDX_SUCCESS);
	free_pa(td.tdr);
	free_pa(tdr2);
	free_pa(cx);
}

static void test_build_rules(void)
{
	static u8 content[PAGE_SIZE];
	struct td a, b;
	u64 pa[4], page = new_pa(), src = new_pa();
	u8 mrtd[48];

	td_create(&a, 50, 48);
	td_create(&b, 51, 52);
	pa[0] = add_page(&a, 0x1000, content, true);
	/* The same gfn twice; the same page in a second TD; a TD page as the source. */
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(a.tdr, 0x1000, page, src)), TDX_EPT_ENTRY_NOT_FREE);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(b.tdr, 0x1000, pa[0], src)),
		       TDX_PAGE_METADATA_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(b.tdr, 0x1000, page, pa[0])), TDX_OPERAND_INVALID);
	/* GPAs: misaligned, the shared bit (47 with GPAW 48, 51 with 52), beyond GPAW. */
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(a.tdr, 0x1800, page, src)), TDX_OPERAND_INVALID);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(a.tdr, 1ull << 47, page, src)), TDX_OPERAND_INVALID);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(a.tdr, 1ull << 48, page, src)), TDX_OPERAND_INVALID);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(b.tdr, 1ull << 51, page, src)), TDX_OPERAND_INVALID);
	pa[1] = add_page(&b, 1ull << 47, content, false);	/* private with GPAW 52 */
	/* EXTEND: misaligned, or a gpa nothing was added at. */
	TEST_ASSERT_EQ(CALL(tdh_mr_extend(a.tdr, 0x1080)), TDX_OPERAND_INVALID);
	TEST_ASSERT_EQ(CALL(tdh_mr_extend(a.tdr, 0x5000)), TDX_EPT_WALK_FAILED);
	/* AUG is for after FINALIZE. */
	TEST_ASSERT_EQ(CALL(tdh_mem_page_aug(a.tdr, 0x2000, page)), TDX_OP_STATE_INCORRECT);

	TEST_ASSERT_EQ(CALL(tdh_mr_finalize(a.tdr)), TDX_SUCCESS);
	TEST_ASSERT_EQ(CALL(tdh_mr_finalize(a.tdr)), TDX_OP_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(a.tdr, 0x3000, page, src)), TDX_OP_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_mr_extend(a.tdr, 0x1000)), TDX_OP_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_vp_create(a.tdr, page)), TDX_OP_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdx_td_mrtd(a.tdr, mrtd)), TDX_SUCCESS);

	/* Runtime: AUG a page; it takes block, track, remove to get it back. */
	TEST_ASSERT_EQ(CALL(tdh_mem_page_aug(a.tdr, 0x2000, page)), TDX_SUCCESS);
	pa[2] = page;
	TEST_ASSERT_EQ(CALL(tdh_mem_page_remove(a.tdr, 0x2000)), TDX_EPT_ENTRY_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_remove(a.tdr, 0x7000)), TDX_EPT_WALK_FAILED);
	TEST_ASSERT_EQ(CALL(tdh_mem_range_block(a.tdr, 0x2000)), TDX_SUCCESS);
	TEST_ASSERT_EQ(CALL(tdh_mem_range_block(a.tdr, 0x2000)), TDX_EPT_ENTRY_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_remove(a.tdr, 0x2000)), TDX_TLB_TRACKING_NOT_DONE);
	TEST_ASSERT_EQ(CALL(tdh_mem_track(a.tdr)), TDX_SUCCESS);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_remove(a.tdr, 0x2000)), TDX_SUCCESS);
	/* Removed: the page is the host's again, and can go to another TD. */
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(b.tdr, 0x9000, page, src)), TDX_SUCCESS);
	pa[2] = page;
	/* Reclaim is for TDs being torn down. */
	TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(pa[0])), TDX_OP_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(tdh_phymem_page_reclaim(src)), TDX_PAGE_METADATA_INCORRECT);
	free_pa(src);
	td_destroy(&a, pa, 1);
	pa[0] = pa[1];
	pa[1] = pa[2];
	td_destroy(&b, pa, 2);
	TEST_ASSERT_EQ(tdx_nr_tds(), 0);
}

/*
 * Memory the module cannot get inside a SEAMCALL (it never waits for memory there): the call
 * is OPERAND_BUSY, nothing changed, and the retry succeeds.
 */
static void test_busy_without_memory(void)
{
	u64 tdr = new_pa(), page = new_pa(), src = new_pa(), cx[4];
	enum tdx_pamt_type type;
	unsigned int i;
	u64 owner;
	struct td td;

	host_fail_alloc_after(1);		/* the TD's tracking */
	TEST_ASSERT_EQ(CALL(tdh_mng_create(tdr, 45)), TDX_OPERAND_BUSY);
	TEST_ASSERT_EQ(tdx_nr_tds(), 0);
	TEST_ASSERT_EQ(CALL(tdh_mng_create(tdr, 45)), TDX_SUCCESS);	/* the HKID is free */
	for (i = 0; i < 4; i++) {
		cx[i] = new_pa();
		TEST_ASSERT_EQ(CALL(tdh_mng_addcx(tdr, cx[i])), TDX_SUCCESS);
	}
	host_fail_alloc_after(1);		/* the MRTD stream */
	TEST_ASSERT_EQ(CALL(mng_init(tdr, 48)), TDX_OPERAND_BUSY);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(tdr, 0, page, src)), TDX_OP_STATE_INCORRECT);
	TEST_ASSERT_EQ(CALL(mng_init(tdr, 48)), TDX_SUCCESS);

	host_fail_alloc_after(1);		/* the S-EPT entry */
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(tdr, 0, page, src)), TDX_OPERAND_BUSY);
	TEST_ASSERT(!tdx_pamt_read(page, &type, &owner) && type == PT_NDA, "page taken");
	TEST_ASSERT_EQ(CALL(tdh_mr_extend(tdr, 0)), TDX_EPT_WALK_FAILED);
	TEST_ASSERT_EQ(CALL(tdh_mem_page_add(tdr, 0, page, src)), TDX_SUCCESS);
	host_fail_alloc_after(0);

	td.tdr = tdr;
	memcpy(td.tdcx, cx, sizeof(cx));
	td.vp = new_pa();
	TEST_ASSERT_EQ(CALL(tdh_vp_create(td.tdr, td.vp)), TDX_SUCCESS);
	free_pa(src);
	td_destroy(&td, &page, 1);
	TEST_ASSERT_EQ(tdx_nr_tds(), 0);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_known_answers),
		KSFT_TEST(test_create_and_init_rules),
		KSFT_TEST(test_build_rules),
		KSFT_TEST(test_busy_without_memory),
	};

	TEST_ASSERT(!kvm_coco_init(), "platform init");
	return ksft_run(tests, ARRAY_SIZE(tests));
}
