// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TDX module, modelled: TD objects (TDR, TDCS pages, TDVPR pages) tracked in a PAMT,
 * private key IDs, a secure EPT per TD, the MRTD, and the SEAMCALLs that build, extend,
 * finalize and tear a TD down, with the module's status codes.
 *
 *   TD     MNG.CREATE (TDR + HKID) -> CREATED --MNG.ADDCX*, MNG.INIT--> INITIALIZED
 *          --VP.CREATE/INIT, MEM.PAGE.ADD, MR.EXTEND--> --MR.FINALIZE--> FINALIZED
 *          --MEM.PAGE.AUG, RANGE.BLOCK, TRACK, PAGE.REMOVE--> --MNG.KEY.FREEID--> TEARDOWN,
 *          then PHYMEM.PAGE.RECLAIM of every page, the TDR last.
 *   PAMT   one entry per 4 KiB page: type, owning TDR, and for a private page its GFN.  A
 *          page not in the NDA state belongs to exactly one TD; adding it to another fails.
 *   S-EPT  GFN -> page, PRESENT (added), PENDING (AUG'd, not yet accepted) or BLOCKED; a page
 *          leaves only by BLOCK, then TRACK (a new TLB epoch), then REMOVE.
 *
 * One lock serialises the SEAMCALLs (the module's own contention returns OPERAND_BUSY on
 * silicon; the model never needs to).  A SEAMCALL runs to completion in SEAM mode, never
 * sleeping, and KVM issues the S-EPT ones under its mmu_lock: so the lock is a spinlock and
 * nothing inside sleeps.  What a call needs once per TD (its tracking, its MRTD stream) is
 * allocated by the wrapper before the call and handed in; a per-page S-EPT entry is taken
 * without waiting, and failing that the call is OPERAND_BUSY, which the host retries.
 *
 * Where the model chooses: an HKID already in use is OPERAND_BUSY; MNG.INIT wants
 * TDX_TDCS_PAGES pages added first; the TD's vCPUs need not be initialised before
 * MR.FINALIZE.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <crypto/hash.h>
#include <asm/tdx.h>

#define TDX_TDCS_PAGES		4

enum tdx_td_state {
	TD_CREATED,
	TD_INITIALIZED,
	TD_FINALIZED,
	TD_TEARDOWN,
};

enum sept_state {
	SEPT_PRESENT = 1,
	SEPT_PENDING,
	SEPT_BLOCKED,
};

struct sept_entry {
	unsigned long pfn;
	u8 state;
	u64 blocked_epoch;
};

struct tdx_td {
	unsigned long tdr_pfn;
	u16 hkid;
	enum tdx_td_state state;
	unsigned int gpaw;
	unsigned int nr_tdcx, nr_tdvpr;
	unsigned long nr_pages;		/* PT_REG pages the PAMT gives this TD */
	u64 epoch;			/* TLB epoch, advanced by MEM.TRACK */
	struct xarray sept;		/* gfn -> struct sept_entry */
	struct sept_entry *last;	/* the last S-EPT entry looked up (or mapped) */
	u64 last_gfn;
	struct tdx_mrtd *mrtd;		/* the stream, until MR.FINALIZE */
	u8 mrtd_value[TDX_MR_SIZE];
	struct tdx_td_params params;	/* from MNG.INIT */
	u8 rtmr[TDX_NR_RTMRS][TDX_MR_SIZE];
	struct list_head entry;
};

/* PAMT entry: info = type | owner TDR pfn << 8 | VP-initialised bit 4; gfn for PT_REG. */
struct pamt_entry {
	u64 info;
	u64 gfn;
};

#define PAMT_TYPE_MASK		0xfULL
#define PAMT_VP_INIT		BIT_ULL(4)
#define PAMT_OWNER_SHIFT	8

static DEFINE_SPINLOCK(tdx_lock);
static LIST_HEAD(tdx_tds);
static struct pamt_entry *pamt;
static unsigned long pamt_nr, pamt_lo = ULONG_MAX, pamt_hi;
static struct crypto_shash *tdx_sha384;
static unsigned long hkid_used;		/* bit n: HKID TDX_MIN_HKID + n */

int tdx_module_init(void)
{
	if (pamt)
		return 0;
	tdx_sha384 = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(tdx_sha384)) {
		int r = PTR_ERR(tdx_sha384);

		tdx_sha384 = NULL;
		return r;
	}
	tdx_report_init(tdx_sha384);
	pamt_nr = max_pfn;
	pamt = kvcalloc(pamt_nr, sizeof(*pamt), GFP_KERNEL);
	if (!pamt) {
		crypto_free_shash(tdx_sha384);
		tdx_sha384 = NULL;
		return -ENOMEM;
	}
	return 0;
}

void tdx_module_exit(void)
{
	kvfree(pamt);
	pamt = NULL;
	if (tdx_sha384)
		crypto_free_shash(tdx_sha384);
	tdx_sha384 = NULL;
}

static bool pa_ok(u64 pa)
{
	return PAGE_ALIGNED(pa) && (pa >> PAGE_SHIFT) < pamt_nr && pfn_valid(pa >> PAGE_SHIFT);
}

static struct pamt_entry *pamt_get(u64 pa)
{
	return &pamt[pa >> PAGE_SHIFT];
}

static enum tdx_pamt_type pamt_type(u64 pa)
{
	return pamt_get(pa)->info & PAMT_TYPE_MASK;
}

static void pamt_set(u64 pa, enum tdx_pamt_type type, unsigned long owner_pfn, u64 gfn)
{
	unsigned long pfn = pa >> PAGE_SHIFT;

	lockdep_assert_held(&tdx_lock);
	pamt[pfn].info = type ? type | ((u64)owner_pfn << PAMT_OWNER_SHIFT) : 0;
	pamt[pfn].gfn = gfn;
	if (pfn < pamt_lo)
		pamt_lo = pfn;
	if (pfn + 1 > pamt_hi)
		pamt_hi = pfn + 1;
}

static struct tdx_td *td_of(u64 tdr_pa)
{
	struct tdx_td *td;

	lockdep_assert_held(&tdx_lock);
	if (!pa_ok(tdr_pa) || pamt_type(tdr_pa) != PT_TDR)
		return NULL;
	list_for_each_entry(td, &tdx_tds, entry)
		if (td->tdr_pfn == tdr_pa >> PAGE_SHIFT)
			return td;
	return NULL;
}

static u64 td_gpa_check(struct tdx_td *td, u64 gpa)
{
	if (!PAGE_ALIGNED(gpa) || gpa >> td->gpaw || (gpa & tdx_gpa_shared_bit(td->gpaw)))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	return 0;
}

static u64 __tdh_mng_create(u64 tdr_pa, u16 hkid, struct tdx_td **new_td)
{
	struct tdx_td *td = *new_td;

	if (!pa_ok(tdr_pa))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (pamt_type(tdr_pa) != PT_NDA)
		return TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX;
	if (hkid < TDX_MIN_HKID || hkid > TDX_MAX_HKID)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	if (hkid_used & BIT(hkid - TDX_MIN_HKID))
		return TDX_OPERAND_BUSY | TDX_OPERAND_ID_RDX;
	if (!td)
		return TDX_OPERAND_BUSY;
	*new_td = NULL;
	td->tdr_pfn = tdr_pa >> PAGE_SHIFT;
	td->hkid = hkid;
	td->state = TD_CREATED;
	xa_init(&td->sept);
	list_add_tail(&td->entry, &tdx_tds);
	hkid_used |= BIT(hkid - TDX_MIN_HKID);
	pamt_set(tdr_pa, PT_TDR, td->tdr_pfn, 0);
	return TDX_SUCCESS;
}

/* Give the module a control page (TDCX, TDVPR) of the TD at @tdr_pa, in TD state @state. */
static u64 td_take_page(u64 tdr_pa, u64 pa, enum tdx_pamt_type type, enum tdx_td_state state)
{
	struct tdx_td *td = td_of(tdr_pa);

	if (!td)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (td->state != state)
		return TDX_OP_STATE_INCORRECT;
	if (!pa_ok(pa))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	if (pamt_type(pa) != PT_NDA)
		return TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RDX;
	pamt_set(pa, type, td->tdr_pfn, 0);
	if (type == PT_TDCX)
		td->nr_tdcx++;
	else
		td->nr_tdvpr++;
	return TDX_SUCCESS;
}

static u64 __tdh_mng_addcx(u64 tdr_pa, u64 tdcx_pa)
{
	return td_take_page(tdr_pa, tdcx_pa, PT_TDCX, TD_CREATED);
}

static u64 __tdh_mng_init(u64 tdr_pa, const struct tdx_td_params *params,
			  struct tdx_mrtd **mrtd)
{
	struct tdx_td *td = td_of(tdr_pa);

	if (!td)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (td->state != TD_CREATED || td->nr_tdcx < TDX_TDCS_PAGES)
		return TDX_OP_STATE_INCORRECT;
	if (params->gpaw != 48 && params->gpaw != 52)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	/* A CPUID value with a bit CPUID_CONFIG does not let the VMM set. */
	if (!tdx_td_cpuid_valid(params))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	if (!*mrtd)
		return TDX_OPERAND_BUSY;
	td->mrtd = *mrtd;
	*mrtd = NULL;
	td->params = *params;
	td->gpaw = params->gpaw;
	td->state = TD_INITIALIZED;
	return TDX_SUCCESS;
}

static u64 __tdh_vp_create(u64 tdr_pa, u64 tdvpr_pa)
{
	return td_take_page(tdr_pa, tdvpr_pa, PT_TDVPR, TD_INITIALIZED);
}

static u64 __tdh_vp_init(u64 tdvpr_pa, u64 rcx)
{
	if (!pa_ok(tdvpr_pa) || pamt_type(tdvpr_pa) != PT_TDVPR)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (pamt_get(tdvpr_pa)->info & PAMT_VP_INIT)
		return TDX_OP_STATE_INCORRECT;
	pamt_get(tdvpr_pa)->info |= PAMT_VP_INIT;
	return TDX_SUCCESS;
}

/* Map @gfn to @page_pa in the S-EPT in @state and give the page to the TD in the PAMT. */
/*
 * The S-EPT entry for @gfn, or NULL.  MR.EXTEND comes sixteen times per page, right after the
 * page's ADD: the TD remembers its last entry, so those walks cost a compare.
 */
static struct sept_entry *td_sept_lookup(struct tdx_td *td, u64 gfn)
{
	struct sept_entry *e;

	lockdep_assert_held(&tdx_lock);
	if (td->last && td->last_gfn == gfn)
		return td->last;
	e = xa_load(&td->sept, gfn);
	if (e) {
		td->last = e;
		td->last_gfn = gfn;
	}
	return e;
}

static u64 td_map(struct tdx_td *td, u64 gfn, u64 page_pa, u8 state)
{
	struct sept_entry *e;

	if (td_sept_lookup(td, gfn))
		return TDX_EPT_ENTRY_NOT_FREE | TDX_OPERAND_ID_SEPT;
	if (!pa_ok(page_pa))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_R8;
	if (pamt_type(page_pa) != PT_NDA)
		return TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_R8;
	e = kzalloc(sizeof(*e), GFP_NOWAIT);
	if (!e)
		return TDX_OPERAND_BUSY;
	e->pfn = page_pa >> PAGE_SHIFT;
	e->state = state;
	if (xa_is_err(xa_store(&td->sept, gfn, e, GFP_NOWAIT))) {
		kfree(e);
		return TDX_OPERAND_BUSY;
	}
	pamt_set(page_pa, PT_REG, td->tdr_pfn, gfn);
	td->last = e;
	td->last_gfn = gfn;
	td->nr_pages++;
	return TDX_SUCCESS;
}

static u64 __tdh_mem_page_add(u64 tdr_pa, u64 gpa, u64 page_pa, u64 source_pa)
{
	struct tdx_td *td = td_of(tdr_pa);
	u64 r;

	if (!td)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	if (td->state != TD_INITIALIZED)
		return TDX_OP_STATE_INCORRECT;
	r = td_gpa_check(td, gpa);
	if (r)
		return r;
	if (!pa_ok(source_pa) || pamt_type(source_pa) != PT_NDA)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_R8;
	r = td_map(td, gpa >> PAGE_SHIFT, page_pa, SEPT_PRESENT);
	if (r)
		return r;
	/* The module copies the source in, encrypted with the TD's key. */
	memcpy(__va(page_pa), __va(source_pa), PAGE_SIZE);
	if (tdx_mrtd_page_add(td->mrtd, gpa))
		return TDX_OPERAND_BUSY;
	return TDX_SUCCESS;
}

static u64 __tdh_mr_extend(u64 tdr_pa, u64 gpa)
{
	struct tdx_td *td = td_of(tdr_pa);
	struct sept_entry *e;

	if (!td)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	if (td->state != TD_INITIALIZED)
		return TDX_OP_STATE_INCORRECT;
	if (!IS_ALIGNED(gpa, MR_EXTEND_CHUNK) || td_gpa_check(td, ALIGN_DOWN(gpa, PAGE_SIZE)))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	e = td_sept_lookup(td, gpa >> PAGE_SHIFT);
	if (!e || e->state != SEPT_PRESENT)
		return TDX_EPT_WALK_FAILED | TDX_OPERAND_ID_SEPT;
	if (tdx_mrtd_extend(td->mrtd, gpa,
			    (u8 *)page_address(pfn_to_page(e->pfn)) + (gpa & ~PAGE_MASK)))
		return TDX_OPERAND_BUSY;
	return TDX_SUCCESS;
}

static u64 __tdh_mr_finalize(u64 tdr_pa)
{
	struct tdx_td *td = td_of(tdr_pa);

	if (!td)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (td->state != TD_INITIALIZED)
		return TDX_OP_STATE_INCORRECT;
	if (tdx_mrtd_final(td->mrtd, td->mrtd_value))
		return TDX_OPERAND_BUSY;
	tdx_mrtd_free(td->mrtd);
	td->mrtd = NULL;
	td->state = TD_FINALIZED;
	return TDX_SUCCESS;
}

static u64 __tdh_mem_page_aug(u64 tdr_pa, u64 gpa, u64 page_pa)
{
	struct tdx_td *td = td_of(tdr_pa);
	u64 r;

	if (!td)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	if (td->state != TD_FINALIZED)
		return TDX_OP_STATE_INCORRECT;
	r = td_gpa_check(td, gpa);
	if (r)
		return r;
	r = td_map(td, gpa >> PAGE_SHIFT, page_pa, SEPT_PENDING);
	if (!r)
		clear_page(__va(page_pa));
	return r;
}

/* The TD at @tdr_pa and its S-EPT entry for @gpa, for the runtime S-EPT SEAMCALLs. */
static u64 td_sept_walk(u64 tdr_pa, u64 gpa, struct tdx_td **tdp, struct sept_entry **ep)
{
	struct tdx_td *td = td_of(tdr_pa);

	if (!td)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	if (td->state == TD_CREATED || td_gpa_check(td, gpa))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	*ep = td_sept_lookup(td, gpa >> PAGE_SHIFT);
	if (!*ep)
		return TDX_EPT_WALK_FAILED | TDX_OPERAND_ID_SEPT;
	*tdp = td;
	return TDX_SUCCESS;
}

static u64 __tdh_mem_range_block(u64 tdr_pa, u64 gpa)
{
	struct sept_entry *e;
	struct tdx_td *td;
	u64 r;

	r = td_sept_walk(tdr_pa, gpa, &td, &e);
	if (r)
		return r;
	if (e->state == SEPT_BLOCKED)
		return TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_SEPT;
	e->state = SEPT_BLOCKED;
	e->blocked_epoch = td->epoch;
	return TDX_SUCCESS;
}

static u64 __tdh_mem_track(u64 tdr_pa)
{
	struct tdx_td *td = td_of(tdr_pa);

	if (!td)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (td->state == TD_CREATED)
		return TDX_OP_STATE_INCORRECT;
	td->epoch++;
	return TDX_SUCCESS;
}

static void td_unmap(struct tdx_td *td, u64 gfn, struct sept_entry *e)
{
	lockdep_assert_held(&tdx_lock);
	pamt_set((u64)e->pfn << PAGE_SHIFT, PT_NDA, 0, 0);
	xa_erase(&td->sept, gfn);
	if (td->last == e)
		td->last = NULL;
	kfree(e);
	td->nr_pages--;
}

static u64 __tdh_mem_page_remove(u64 tdr_pa, u64 gpa)
{
	struct sept_entry *e;
	struct tdx_td *td;
	u64 r;

	r = td_sept_walk(tdr_pa, gpa, &td, &e);
	if (r)
		return r;
	if (e->state != SEPT_BLOCKED)
		return TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_SEPT;
	/* Every vCPU must have left the epoch in which the page was still mapped. */
	if (td->epoch <= e->blocked_epoch)
		return TDX_TLB_TRACKING_NOT_DONE;
	td_unmap(td, gpa >> PAGE_SHIFT, e);
	return TDX_SUCCESS;
}

static u64 __tdh_mng_key_freeid(u64 tdr_pa)
{
	struct tdx_td *td = td_of(tdr_pa);

	if (!td)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (td->state == TD_TEARDOWN)
		return TDX_KEY_STATE_INCORRECT;
	hkid_used &= ~BIT(td->hkid - TDX_MIN_HKID);
	td->state = TD_TEARDOWN;
	return TDX_SUCCESS;
}

static void td_free(struct tdx_td *td)
{
	lockdep_assert_held(&tdx_lock);
	list_del(&td->entry);
	xa_destroy(&td->sept);
	tdx_mrtd_free(td->mrtd);
	kfree(td);
}

static u64 __tdh_phymem_page_reclaim(u64 page_pa)
{
	struct pamt_entry *p;
	struct tdx_td *td;
	struct sept_entry *e;

	if (!pa_ok(page_pa))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	p = pamt_get(page_pa);
	if (pamt_type(page_pa) == PT_NDA)
		return TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX;
	td = td_of((p->info >> PAMT_OWNER_SHIFT) << PAGE_SHIFT);
	if (WARN_ON(!td))
		return TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX;
	if (td->state != TD_TEARDOWN)
		return TDX_OP_STATE_INCORRECT;

	switch (pamt_type(page_pa)) {
	case PT_REG:
		e = xa_load(&td->sept, p->gfn);
		if (WARN_ON(!e))
			return TDX_PAGE_METADATA_INCORRECT;
		td_unmap(td, p->gfn, e);
		return TDX_SUCCESS;
	case PT_TDCX:
		td->nr_tdcx--;
		break;
	case PT_TDVPR:
		td->nr_tdvpr--;
		break;
	case PT_TDR:
		/* The TDR goes last: it is the TD. */
		if (td->nr_pages || td->nr_tdcx || td->nr_tdvpr)
			return TDX_OP_STATE_INCORRECT;
		td_free(td);
		break;
	default:
		return TDX_PAGE_METADATA_INCORRECT | TDX_OPERAND_ID_RCX;
	}
	pamt_set(page_pa, PT_NDA, 0, 0);
	return TDX_SUCCESS;
}

/* The failure a test asked for (tdx_module_inject_failure()), under tdx_lock. */
static unsigned int seam_countdown;
static u64 seam_status;
static bool seam_hit;

/* An injected failure of this SEAMCALL: its status, else 0 (tdx_lock held). */
static u64 seam_injected(void)
{
	lockdep_assert_held(&tdx_lock);
	if (!seam_countdown || --seam_countdown)
		return 0;
	seam_hit = true;
	return seam_status;
}

void tdx_module_inject_failure(unsigned int nth, u64 status)
{
	spin_lock(&tdx_lock);
	seam_countdown = nth;
	seam_status = status;
	seam_hit = false;
	spin_unlock(&tdx_lock);
}

bool tdx_module_injected(void)
{
	bool hit;

	spin_lock(&tdx_lock);
	hit = seam_hit;
	seam_hit = false;
	spin_unlock(&tdx_lock);
	return hit;
}

/* A SEAMCALL: the module's lock, and a failure a test asked for instead of the call. */
#define SEAMCALL(expr) ({ u64 __r; spin_lock(&tdx_lock); __r = seam_injected(); \
			  __r = __r ?: (expr); spin_unlock(&tdx_lock); __r; })
/* A TDCALL: the guest's side, which the injection leaves alone. */
#define TDCALL(expr) ({ u64 __r; spin_lock(&tdx_lock); __r = (expr); \
			spin_unlock(&tdx_lock); __r; })

u64 tdh_mng_create(u64 tdr_pa, u16 hkid)
{
	struct tdx_td *td = kzalloc(sizeof(*td), GFP_KERNEL);
	u64 r = SEAMCALL(__tdh_mng_create(tdr_pa, hkid, &td));

	kfree(td);			/* NULL if the TD took it */
	return r;
}

u64 tdh_mng_addcx(u64 tdr_pa, u64 pa)
{
	return SEAMCALL(__tdh_mng_addcx(tdr_pa, pa));
}

u64 tdh_mng_init(u64 tdr_pa, const struct tdx_td_params *params)
{
	struct tdx_mrtd *mrtd = tdx_mrtd_start(tdx_sha384);
	u64 r = SEAMCALL(__tdh_mng_init(tdr_pa, params, &mrtd));

	tdx_mrtd_free(mrtd);		/* NULL if the TD took it */
	return r;
}

static u64 __tdh_mng_rd_cpuid(u64 tdr_pa, u32 leaf, u32 subleaf, struct tdx_cpuid_value *out)
{
	struct tdx_td *td = td_of(tdr_pa);

	if (!td)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (td->state < TD_INITIALIZED)
		return TDX_OP_STATE_INCORRECT;
	return tdx_td_cpuid(&td->params, leaf, subleaf, out) ? TDX_SUCCESS :
							       TDX_METADATA_FIELD_NOT_READABLE;
}

u64 tdh_mng_rd_cpuid(u64 tdr_pa, u32 leaf, u32 subleaf, struct tdx_cpuid_value *out)
{
	return SEAMCALL(__tdh_mng_rd_cpuid(tdr_pa, leaf, subleaf, out));
}

u64 tdh_vp_create(u64 tdr_pa, u64 pa)
{
	return SEAMCALL(__tdh_vp_create(tdr_pa, pa));
}

u64 tdh_vp_init(u64 tdvpr_pa, u64 rcx)
{
	return SEAMCALL(__tdh_vp_init(tdvpr_pa, rcx));
}

u64 tdh_mr_extend(u64 tdr_pa, u64 gpa)
{
	return SEAMCALL(__tdh_mr_extend(tdr_pa, gpa));
}

u64 tdh_mr_finalize(u64 tdr_pa)
{
	return SEAMCALL(__tdh_mr_finalize(tdr_pa));
}

u64 tdh_mem_track(u64 tdr_pa)
{
	return SEAMCALL(__tdh_mem_track(tdr_pa));
}

u64 tdh_mng_key_freeid(u64 tdr_pa)
{
	return SEAMCALL(__tdh_mng_key_freeid(tdr_pa));
}

u64 tdh_phymem_page_reclaim(u64 pa)
{
	return SEAMCALL(__tdh_phymem_page_reclaim(pa));
}


u64 tdh_mem_page_add(u64 tdr_pa, u64 gpa, u64 page_pa, u64 source_pa)
{
	return SEAMCALL(__tdh_mem_page_add(tdr_pa, gpa, page_pa, source_pa));
}

u64 tdh_mem_page_aug(u64 tdr_pa, u64 gpa, u64 page_pa)
{
	return SEAMCALL(__tdh_mem_page_aug(tdr_pa, gpa, page_pa));
}

u64 tdh_mem_range_block(u64 tdr_pa, u64 gpa)
{
	return SEAMCALL(__tdh_mem_range_block(tdr_pa, gpa));
}

u64 tdh_mem_page_remove(u64 tdr_pa, u64 gpa)
{
	return SEAMCALL(__tdh_mem_page_remove(tdr_pa, gpa));
}

/*
 * The guest side: what a TD's vCPU reaches through TDCALL, and the S-EPT check the CPU makes on
 * each of its private accesses.  The TD is named by its TDR, as the vCPU's TDVPS names it.
 */

/* TDG.MEM.PAGE.ACCEPT (@rcx: the GPA, level in bits 2:0): a pending page becomes the TD's. */
static u64 __tdg_mem_page_accept(u64 tdr_pa, u64 rcx, bool *ept_violation)
{
	struct tdx_td *td = td_of(tdr_pa);
	u64 gpa = rcx & PAGE_MASK;
	struct sept_entry *e;

	if (!td || td->state != TD_FINALIZED)
		return TDX_OP_STATE_INCORRECT;
	if ((rcx & ~PAGE_MASK & ~TDX_ACCEPT_LEVEL_MASK) || td_gpa_check(td, gpa))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	/* The model maps 4 KiB pages only: a larger accept is the size mismatch. */
	if (rcx & TDX_ACCEPT_LEVEL_MASK)
		return TDX_PAGE_SIZE_MISMATCH | TDX_OPERAND_ID_RCX;
	e = td_sept_lookup(td, gpa >> PAGE_SHIFT);
	/* Nothing there yet, or blocked: an EPT violation to the host, which maps it. */
	if (!e || e->state == SEPT_BLOCKED) {
		*ept_violation = true;
		return TDX_SUCCESS;
	}
	if (e->state == SEPT_PRESENT)
		return TDX_PAGE_ALREADY_ACCEPTED;
	/* Initialised to zero under the TD's key, as the module does. */
	clear_page(__va((u64)e->pfn << PAGE_SHIFT));
	e->state = SEPT_PRESENT;
	return TDX_SUCCESS;
}

u64 tdg_mem_page_accept(u64 tdr_pa, u64 rcx, bool *ept_violation)
{
	*ept_violation = false;
	return TDCALL(__tdg_mem_page_accept(tdr_pa, rcx, ept_violation));
}

/* A running TD's measurement registers: only once it is finalized. */
static struct tdx_td *td_running(u64 tdr_pa)
{
	struct tdx_td *td = td_of(tdr_pa);

	return td && td->state == TD_FINALIZED ? td : NULL;
}

/* RTMR[@index] = SHA-384(RTMR[@index] || @data). */
static u64 __tdg_mr_rtmr_extend(u64 tdr_pa, u64 index, const u8 *data)
{
	struct tdx_td *td = td_running(tdr_pa);
	u8 buf[2 * TDX_MR_SIZE];

	if (!td)
		return TDX_OP_STATE_INCORRECT;
	if (index >= TDX_NR_RTMRS)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	memcpy(buf, td->rtmr[index], TDX_MR_SIZE);
	memcpy(buf + TDX_MR_SIZE, data, TDX_MR_SIZE);
	if (crypto_shash_tfm_digest(tdx_sha384, buf, sizeof(buf), td->rtmr[index]))
		return TDX_OPERAND_BUSY;
	return TDX_SUCCESS;
}

u64 tdg_mr_rtmr_extend(u64 tdr_pa, u64 index, const u8 data[TDX_MR_SIZE])
{
	return TDCALL(__tdg_mr_rtmr_extend(tdr_pa, index, data));
}

static u64 __tdg_mr_report(u64 tdr_pa, const u8 *reportdata, u8 *report)
{
	struct tdx_td *td = td_running(tdr_pa);
	struct tdx_report_src src;

	if (!td)
		return TDX_OP_STATE_INCORRECT;
	src = (struct tdx_report_src){ .params = &td->params, .mrtd = td->mrtd_value,
				       .rtmr = td->rtmr };
	if (tdx_report_build(tdx_sha384, &src, reportdata, report))
		return TDX_OPERAND_BUSY;
	return TDX_SUCCESS;
}

u64 tdg_mr_report(u64 tdr_pa, const u8 reportdata[TDX_REPORTDATA_SIZE],
		  u8 report[TDX_REPORT_SIZE])
{
	return TDCALL(__tdg_mr_report(tdr_pa, reportdata, report));
}

/* A private access to @gpa finds its S-EPT entry pending (AUG'd, not yet accepted). */
bool tdx_sept_pending(u64 tdr_pa, u64 gpa)
{
	struct sept_entry *e;
	struct tdx_td *td;
	bool pending = false;

	spin_lock(&tdx_lock);
	td = td_of(tdr_pa);
	if (td) {
		e = td_sept_lookup(td, gpa >> PAGE_SHIFT);
		pending = e && e->state == SEPT_PENDING;
	}
	spin_unlock(&tdx_lock);
	return pending;
}

u64 tdx_td_mrtd(u64 tdr_pa, u8 out[TDX_MR_SIZE])
{
	struct tdx_td *td;
	u64 r = TDX_OP_STATE_INCORRECT;

	spin_lock(&tdx_lock);
	td = td_of(tdr_pa);
	if (!td)
		r = TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	else if (td->state >= TD_FINALIZED && !td->mrtd) {
		memcpy(out, td->mrtd_value, TDX_MR_SIZE);
		r = TDX_SUCCESS;
	}
	spin_unlock(&tdx_lock);
	return r;
}

u64 tdx_pamt_read(u64 page_pa, enum tdx_pamt_type *type, u64 *owner_tdr_pa)
{
	if (!pa_ok(page_pa))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	spin_lock(&tdx_lock);
	*type = pamt_type(page_pa);
	*owner_tdr_pa = (pamt_get(page_pa)->info >> PAMT_OWNER_SHIFT) << PAGE_SHIFT;
	spin_unlock(&tdx_lock);
	return TDX_SUCCESS;
}

unsigned int tdx_nr_tds(void)
{
	struct tdx_td *td;
	unsigned int n = 0;

	spin_lock(&tdx_lock);
	list_for_each_entry(td, &tdx_tds, entry)
		n++;
	spin_unlock(&tdx_lock);
	return n;
}

#define PAMT_FAIL(...) do { snprintf(why, len, __VA_ARGS__); r = -EINVAL; goto out; } while (0)

/*
 * The PAMT invariants: every page the module holds has one live owner whose TDR is its own,
 * every private page is the S-EPT mapping its PAMT entry names, and every S-EPT mapping is a
 * private page of that TD.  Returns 0, or -EINVAL with the first violation in @why.
 */
int tdx_pamt_check(char *why, unsigned int len)
{
	struct sept_entry *e;
	struct tdx_td *td;
	unsigned long pfn, gfn;
	int r = 0;

	spin_lock(&tdx_lock);
	for (pfn = pamt_lo; pfn < pamt_hi; pfn++) {
		u64 info = pamt[pfn].info, owner = info >> PAMT_OWNER_SHIFT;

		if (!(info & PAMT_TYPE_MASK))
			continue;
		td = td_of(owner << PAGE_SHIFT);
		if (!td)
			PAMT_FAIL("pfn %#lx: owner TDR %#llx is not a live TD", pfn, owner);
		if ((info & PAMT_TYPE_MASK) == PT_TDR && owner != pfn)
			PAMT_FAIL("pfn %#lx: a TDR owned by another TDR", pfn);
		if ((info & PAMT_TYPE_MASK) != PT_REG)
			continue;
		e = xa_load(&td->sept, pamt[pfn].gfn);
		if (!e || e->pfn != pfn)
			PAMT_FAIL("pfn %#lx: private page not mapped at gfn %#llx", pfn,
				  pamt[pfn].gfn);
	}
	list_for_each_entry(td, &tdx_tds, entry) {
		xa_for_each(&td->sept, gfn, e) {
			struct pamt_entry *p = &pamt[e->pfn];

			if ((p->info & PAMT_TYPE_MASK) != PT_REG ||
			    p->info >> PAMT_OWNER_SHIFT != td->tdr_pfn || p->gfn != gfn)
				PAMT_FAIL("TD %#lx gfn %#lx maps pfn %#lx, which the PAMT does "
					  "not give it", td->tdr_pfn, gfn, e->pfn);
		}
	}
out:
	spin_unlock(&tdx_lock);
	return r;
}
