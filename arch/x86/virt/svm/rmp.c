// SPDX-License-Identifier: GPL-2.0-only
/*
 * The RMP table and RMPUPDATE / PSMASH / PVALIDATE, as the silicon behaves (AMD APM volume 3).
 *
 * The table is flat and indexed by PFN over all of (model) physical memory, 16 bytes per
 * 4 KiB page like the hardware's.  One lock serialises the instructions, which hardware makes
 * atomic per entry; the entry lock (RMPENTRY_HI_INUSE) is what a running VMSA holds.
 *
 * The rules, as this model reads the APM:
 *  RMPUPDATE  FAIL_INPUT       pfn outside the RMP; a 2M update of a pfn or gpa that is not
 *                              2M aligned; reserved input; an unassigned entry with fields set
 *             FAIL_PERMISSION  an entry in the range is immutable
 *             FAIL_INUSE       an entry in the range is locked (in use)
 *             FAIL_OVERLAP     a 4K update inside an assigned 2M page, or a 2M update over
 *                              assigned 4K pages
 *             Every update clears Validated and VMSA; a 2M update writes all 512 entries.
 *  PSMASH     FAIL_INPUT (pfn not 2M aligned or outside), FAIL_BADADDR (not an assigned 2M
 *             page), FAIL_PERMISSION (immutable), FAIL_INUSE; splits into 512 4K entries that
 *             keep owner, gpa and Validated.
 *  PVALIDATE  FAIL_INPUT (misaligned), #NPF(RMP) when the page is not this guest's at this gpa
 *             or is immutable, #NPF(SIZEM) for a 4K validate inside a 2M entry,
 *             FAIL_SIZEMISMATCH for a 2M validate of 4K entries, NOUPDATE when Validated
 *             already has the requested value.
 *  RMPADJUST  (by the guest at VMPL 0) FAIL_INPUT (misaligned, a target VMPL above 3, a
 *             permission bit beyond the four), FAIL_PERMISSION (target VMPL 0), #NPF(RMP) as
 *             PVALIDATE's, FAIL_SIZEMISMATCH for a page size other than the entry's; sets the
 *             target VMPL's permissions in each entry, and the VMSA bit as RDX asks.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/sev.h>

static struct rmpentry *rmptable;
static unsigned long rmp_base_pfn, rmp_nr;
/* The window of PFNs any instruction has written, so the checker scans only that. */
static unsigned long rmp_touched_lo = ULONG_MAX, rmp_touched_hi;
static unsigned long rmp_host_faults;
static DEFINE_SPINLOCK(rmp_lock);

int snp_rmptable_init(void)
{
	if (rmptable)
		return 0;
	rmp_base_pfn = 0;
	rmp_nr = max_pfn;
	rmptable = kvcalloc(rmp_nr, sizeof(*rmptable), GFP_KERNEL);
	return rmptable ? 0 : -ENOMEM;
}

void snp_rmptable_exit(void)
{
	kvfree(rmptable);
	rmptable = NULL;
	rmp_nr = 0;
}

bool snp_rmp_pfn_valid(unsigned long pfn)
{
	return rmptable && pfn >= rmp_base_pfn && pfn - rmp_base_pfn < rmp_nr;
}

static struct rmpentry *rmp_get(unsigned long pfn)
{
	return &rmptable[pfn - rmp_base_pfn];
}

/* The entries [pfn, pfn + n) are about to change (rmp_lock held). */
static void rmp_touch(unsigned long pfn, unsigned long n)
{
	lockdep_assert_held(&rmp_lock);
	if (pfn < rmp_touched_lo)
		rmp_touched_lo = pfn;
	if (pfn + n > rmp_touched_hi)
		rmp_touched_hi = pfn + n;
}

unsigned long snp_rmptable_bytes(void)
{
	return rmp_nr * sizeof(*rmptable);
}

unsigned long snp_rmptable_pages(void)
{
	return rmp_nr;
}

int snp_lookup_rmpentry_raw(unsigned long pfn, struct rmpentry *e)
{
	if (!snp_rmp_pfn_valid(pfn))
		return -EINVAL;
	spin_lock(&rmp_lock);
	*e = *rmp_get(pfn);
	spin_unlock(&rmp_lock);
	return 0;
}

/* Upstream's query: is the 4K entry assigned, and at what level is its 2M-aligned entry. */
int snp_lookup_rmpentry(unsigned long pfn, bool *assigned, int *level)
{
	struct rmpentry e, large;

	if (!snp_rmp_pfn_valid(pfn) || !snp_rmp_pfn_valid(ALIGN_DOWN(pfn, RMP_2M_PAGES)))
		return -EINVAL;
	spin_lock(&rmp_lock);
	e = *rmp_get(pfn);
	large = *rmp_get(ALIGN_DOWN(pfn, RMP_2M_PAGES));
	spin_unlock(&rmp_lock);
	*assigned = rmpentry_assigned(&e);
	*level = rmpentry_pagesize(&large) == RMP_PG_SIZE_2M ? 2 : 1;
	return 0;
}

static u64 rmp_make_lo(bool assigned, int pagesize, bool immutable, u64 gpa, u32 asid)
{
	if (!assigned)
		return 0;
	return RMPENTRY_ASSIGNED | (pagesize ? RMPENTRY_PAGESIZE : 0) |
	       (immutable ? RMPENTRY_IMMUTABLE : 0) | (gpa & RMPENTRY_GPA_MASK) |
	       ((u64)asid << RMPENTRY_ASID_SHIFT);
}

static int rmpupdate_check_input(unsigned long pfn, const struct rmp_state *s,
				 unsigned long npages)
{
	if (!snp_rmp_pfn_valid(pfn) || !snp_rmp_pfn_valid(pfn + npages - 1))
		return RMPUPDATE_FAIL_INPUT;
	if (s->pagesize > RMP_PG_SIZE_2M || s->rsvd || s->asid > SNP_MAX_ASID)
		return RMPUPDATE_FAIL_INPUT;
	if (s->gpa & ~RMPENTRY_GPA_MASK)
		return RMPUPDATE_FAIL_INPUT;
	if (s->pagesize == RMP_PG_SIZE_2M &&
	    (!IS_ALIGNED(pfn, RMP_2M_PAGES) || !IS_ALIGNED(s->gpa, RMP_2M_PAGES * PAGE_SIZE)))
		return RMPUPDATE_FAIL_INPUT;
	if (!s->assigned && (s->gpa || s->asid || s->immutable))
		return RMPUPDATE_FAIL_INPUT;
	return 0;
}

static int rmpupdate_check_range(unsigned long pfn, const struct rmp_state *s,
				 unsigned long npages)
{
	const struct rmpentry *large = rmp_get(ALIGN_DOWN(pfn, RMP_2M_PAGES));
	unsigned long i;

	lockdep_assert_held(&rmp_lock);
	for (i = 0; i < npages; i++) {
		const struct rmpentry *e = rmp_get(pfn + i);

		if (rmpentry_immutable(e))
			return RMPUPDATE_FAIL_PERMISSION;
		if (e->hi & RMPENTRY_HI_INUSE)
			return RMPUPDATE_FAIL_INUSE;
	}
	if (s->pagesize == RMP_PG_SIZE_4K) {
		/* Inside an assigned 2M page: PSMASH it first. */
		if (snp_rmp_pfn_valid(ALIGN_DOWN(pfn, RMP_2M_PAGES)) && rmpentry_assigned(large) &&
		    rmpentry_pagesize(large) == RMP_PG_SIZE_2M)
			return RMPUPDATE_FAIL_OVERLAP;
		return 0;
	}
	/* A 2M update over 4K assignments. */
	for (i = 0; i < npages; i++) {
		const struct rmpentry *e = rmp_get(pfn + i);

		if (rmpentry_assigned(e) && rmpentry_pagesize(e) == RMP_PG_SIZE_4K)
			return RMPUPDATE_FAIL_OVERLAP;
	}
	return 0;
}

/* Tests' fault injection: RMPUPDATEs left before one fails (0: none); under rmp_lock. */
static unsigned int rmpupdate_countdown;
static bool rmpupdate_inject_hit;

void rmpupdate_inject_failure(unsigned int nth)
{
	spin_lock(&rmp_lock);
	rmpupdate_countdown = nth;
	rmpupdate_inject_hit = false;
	spin_unlock(&rmp_lock);
}

bool rmpupdate_injected(void)
{
	bool hit;

	spin_lock(&rmp_lock);
	hit = rmpupdate_inject_hit;
	rmpupdate_inject_hit = false;
	spin_unlock(&rmp_lock);
	return hit;
}

/* Whether this RMPUPDATE is the one a test asked to fail (under rmp_lock). */
static bool rmpupdate_inject(void)
{
	lockdep_assert_held(&rmp_lock);
	if (!rmpupdate_countdown || --rmpupdate_countdown)
		return false;
	rmpupdate_inject_hit = true;
	return true;
}

int rmpupdate(unsigned long pfn, const struct rmp_state *s)
{
	unsigned long i, npages = s->pagesize == RMP_PG_SIZE_2M ? RMP_2M_PAGES : 1;
	int r;

	r = rmpupdate_check_input(pfn, s, npages);
	if (r)
		return r;

	spin_lock(&rmp_lock);
	/* As if another CPU held an entry of the range. */
	r = rmpupdate_inject() ? RMPUPDATE_FAIL_INUSE : rmpupdate_check_range(pfn, s, npages);
	if (!r) {
		rmp_touch(pfn, npages);
		for (i = 0; i < npages; i++) {
			struct rmpentry *e = rmp_get(pfn + i);

			e->lo = rmp_make_lo(s->assigned, s->pagesize, s->immutable,
					    s->gpa + i * PAGE_SIZE, s->asid);
			/* No lower VMPL keeps a permission (the entry is not in use: checked). */
			e->hi = 0;
		}
	}
	spin_unlock(&rmp_lock);
	return r;
}

int psmash(unsigned long pfn)
{
	struct rmpentry *base;
	unsigned long i;
	int r = 0;

	if (!IS_ALIGNED(pfn, RMP_2M_PAGES) || !snp_rmp_pfn_valid(pfn) ||
	    !snp_rmp_pfn_valid(pfn + RMP_2M_PAGES - 1))
		return PSMASH_FAIL_INPUT;

	spin_lock(&rmp_lock);
	base = rmp_get(pfn);
	if (!rmpentry_assigned(base) || rmpentry_pagesize(base) != RMP_PG_SIZE_2M) {
		r = PSMASH_FAIL_BADADDR;
		goto out;
	}
	for (i = 0; i < RMP_2M_PAGES; i++) {
		const struct rmpentry *e = rmp_get(pfn + i);

		if (rmpentry_immutable(e)) {
			r = PSMASH_FAIL_PERMISSION;
			goto out;
		}
		if (e->hi & RMPENTRY_HI_INUSE) {
			r = PSMASH_FAIL_INUSE;
			goto out;
		}
	}
	rmp_touch(pfn, RMP_2M_PAGES);
	for (i = 0; i < RMP_2M_PAGES; i++)
		rmp_get(pfn + i)->lo &= ~RMPENTRY_PAGESIZE;
out:
	spin_unlock(&rmp_lock);
	return r;
}

/*
 * The entry a guest's PVALIDATE or RMPADJUST names, under rmp_lock: the guest's own at @gpa
 * and not immutable, else #NPF(RMP) (PVALIDATE_NPF, the error in *@npf_error).
 */
static int rmp_guest_entry(unsigned long pfn, u32 asid, u64 gpa, struct rmpentry **entry,
			   u64 *npf_error)
{
	struct rmpentry *e = rmp_get(pfn);

	lockdep_assert_held(&rmp_lock);
	*entry = e;
	if (rmpentry_assigned(e) && rmpentry_asid(e) == asid && rmpentry_gpa(e) == gpa &&
	    !rmpentry_immutable(e))
		return 0;
	*npf_error = PFERR_GUEST_RMP_MASK | PFERR_GUEST_ENC_MASK;
	return PVALIDATE_NPF;
}

int pvalidate(u32 asid, u64 gpa, unsigned long pfn, bool page_2m, bool validate,
	      u64 *npf_error)
{
	unsigned long i, npages = page_2m ? RMP_2M_PAGES : 1;
	struct rmpentry *e;
	int r = 0;

	*npf_error = 0;
	if (!asid || !IS_ALIGNED(gpa, npages * PAGE_SIZE) || !IS_ALIGNED(pfn, npages) ||
	    !snp_rmp_pfn_valid(pfn) || !snp_rmp_pfn_valid(pfn + npages - 1))
		return PVALIDATE_FAIL_INPUT;

	spin_lock(&rmp_lock);
	r = rmp_guest_entry(pfn, asid, gpa, &e, npf_error);
	if (r)
		goto out;
	if (page_2m != (rmpentry_pagesize(e) == RMP_PG_SIZE_2M)) {
		if (page_2m) {
			r = PVALIDATE_FAIL_SIZEMISMATCH;
		} else {
			*npf_error = PFERR_GUEST_SIZEM_MASK | PFERR_GUEST_ENC_MASK;
			r = PVALIDATE_NPF;
		}
		goto out;
	}
	if (rmpentry_validated(e) == validate) {
		r = PVALIDATE_FAIL_NOUPDATE;
		goto out;
	}
	rmp_touch(pfn, npages);
	for (i = 0; i < npages; i++) {
		if (validate)
			rmp_get(pfn + i)->lo |= RMPENTRY_VALIDATED;
		else
			rmp_get(pfn + i)->lo &= ~RMPENTRY_VALIDATED;
	}
out:
	spin_unlock(&rmp_lock);
	return r;
}

int rmpadjust(u32 asid, u64 gpa, unsigned long pfn, bool page_2m, u64 attrs, u64 *npf_error)
{
	unsigned long i, npages = page_2m ? RMP_2M_PAGES : 1;
	unsigned int vmpl = RMPADJUST_VMPL(attrs);
	struct rmpentry *e;
	int r = 0;

	*npf_error = 0;
	if (!asid || !IS_ALIGNED(gpa, npages * PAGE_SIZE) || !snp_rmp_pfn_valid(pfn) ||
	    vmpl > SNP_MAX_VMPL || (RMPADJUST_PERMS(attrs) & ~RMPADJUST_PERMS_MASK) ||
	    (attrs & ~(RMPADJUST_VMSA | GENMASK_ULL(15, 0))))
		return RMPADJUST_FAIL_INPUT;
	if (!vmpl)
		return RMPADJUST_FAIL_PERMISSION;

	spin_lock(&rmp_lock);
	r = rmp_guest_entry(pfn, asid, gpa, &e, npf_error);
	if (r)
		goto out;
	/* A 2 MiB adjust needs a 2 MiB entry (whose pfn is 2 MiB aligned), and 4 KiB a 4 KiB. */
	if (page_2m != (rmpentry_pagesize(e) == RMP_PG_SIZE_2M) || !IS_ALIGNED(pfn, npages)) {
		r = RMPADJUST_FAIL_SIZEMISMATCH;
		goto out;
	}
	rmp_touch(pfn, npages);
	for (i = 0; i < npages; i++) {
		e = rmp_get(pfn + i);
		e->hi = (e->hi & ~RMPENTRY_HI_VMPL_MASK(vmpl)) |
			(u64)RMPADJUST_PERMS(attrs) << RMPENTRY_HI_VMPL_SHIFT(vmpl);
		if (attrs & RMPADJUST_VMSA)
			e->lo |= RMPENTRY_VMSA;
		else
			e->lo &= ~RMPENTRY_VMSA;
	}
out:
	spin_unlock(&rmp_lock);
	return r;
}

/* SNP_LAUNCH_UPDATE done: the firmware makes the page guest-valid (and a VMSA if it is one). */
void snp_rmp_fw_launch(unsigned long pfn, bool vmsa)
{
	struct rmpentry *e = rmp_get(pfn);

	spin_lock(&rmp_lock);
	rmp_touch(pfn, 1);
	e->lo &= ~RMPENTRY_IMMUTABLE;
	e->lo |= RMPENTRY_VALIDATED | (vmsa ? RMPENTRY_VMSA : 0);
	spin_unlock(&rmp_lock);
}

/* SNP_PAGE_RECLAIM: the firmware releases the page; the hypervisor may RMPUPDATE it again. */
void snp_rmp_fw_reclaim(unsigned long pfn)
{
	struct rmpentry *e = rmp_get(pfn);

	spin_lock(&rmp_lock);
	rmp_touch(pfn, 1);
	e->lo &= ~(RMPENTRY_IMMUTABLE | RMPENTRY_VALIDATED | RMPENTRY_VMSA);
	spin_unlock(&rmp_lock);
}

void snp_rmp_set_inuse(unsigned long pfn, bool inuse)
{
	struct rmpentry *e = rmp_get(pfn);

	spin_lock(&rmp_lock);
	rmp_touch(pfn, 1);
	if (inuse)
		e->hi |= RMPENTRY_HI_INUSE;
	else
		e->hi &= ~RMPENTRY_HI_INUSE;
	spin_unlock(&rmp_lock);
}

/*
 * The host writes into a page: on silicon a write to an assigned page takes an RMP #PF and
 * nothing is written.  Every host copy into a page that may be private goes through here.
 */
int snp_host_copy_to_pfn(unsigned long pfn, unsigned int offset, const void *src,
			 unsigned int len)
{
	bool assigned;

	if (!snp_rmp_pfn_valid(pfn) || offset > PAGE_SIZE || len > PAGE_SIZE - offset)
		return -EINVAL;
	spin_lock(&rmp_lock);
	assigned = rmpentry_assigned(rmp_get(pfn));
	if (assigned)
		rmp_host_faults++;
	else
		memcpy((u8 *)page_address(pfn_to_page(pfn)) + offset, src, len);
	spin_unlock(&rmp_lock);
	if (assigned) {
		pr_err("RMP #PF: host write to assigned pfn %#lx refused\n", pfn);
		return -EFAULT;
	}
	return 0;
}

/* The host fills a page from user memory: the same RMP check, then one copy. */
int snp_host_copy_from_user_to_pfn(unsigned long pfn, const void __user *src)
{
	bool assigned;

	if (!snp_rmp_pfn_valid(pfn))
		return -EINVAL;
	spin_lock(&rmp_lock);
	assigned = rmpentry_assigned(rmp_get(pfn));
	if (assigned)
		rmp_host_faults++;
	spin_unlock(&rmp_lock);
	if (assigned) {
		pr_err("RMP #PF: host write to assigned pfn %#lx refused\n", pfn);
		return -EFAULT;
	}
	return copy_from_user(page_address(pfn_to_page(pfn)), src, PAGE_SIZE) ? -EFAULT : 0;
}

unsigned long snp_rmp_host_write_faults(void)
{
	return READ_ONCE(rmp_host_faults);
}

/* rmp_check: the invariants tests assert after every operation. */

struct rmp_owner_key {
	u32 asid;
	u64 gpa;
	unsigned long pfn;
};

static int rmp_owner_key_cmp(const void *a, const void *b)
{
	const struct rmp_owner_key *x = a, *y = b;

	if (x->asid != y->asid)
		return x->asid < y->asid ? -1 : 1;
	if (x->gpa != y->gpa)
		return x->gpa < y->gpa ? -1 : 1;
	return 0;
}

/* The architectural gpa of every vCPU's initial VMSA (KVM's INITIAL_VMSA_GPA). */
#define SNP_VMSA_GPA_RMP	0xFFFFFFFFF000ULL

#define RMP_CHECK_FAIL(...) do { snprintf(why, len, __VA_ARGS__); r = -EINVAL; goto out; } while (0)

/* A single entry's own consistency, and its owner.  @snap holds the entries [lo, hi). */
static int rmp_check_entry(const struct snp_rmp_owners *o, const struct rmpentry *snap,
			   unsigned long lo, unsigned long hi, unsigned long pfn, char *why,
			   unsigned int len)
{
	const struct rmpentry *e = &snap[pfn - lo], *large;
	unsigned long base = ALIGN_DOWN(pfn, RMP_2M_PAGES);
	int r = 0;

	if (!rmpentry_assigned(e)) {
		if (e->lo)
			RMP_CHECK_FAIL("pfn %#lx: unassigned entry with state %#llx", pfn, e->lo);
		goto out;
	}
	if (rmpentry_vmsa(e) && !rmpentry_validated(e))
		RMP_CHECK_FAIL("pfn %#lx: VMSA that is not validated", pfn);
	/* An owner: a live guest, the firmware, or the leak list. */
	if (!(o->page_leaked && o->page_leaked(pfn, o->data)) &&
	    (rmpentry_asid(e) ? !o->asid_live(rmpentry_asid(e), o->data) :
				!o->fw_page_owned(pfn, o->data)))
		RMP_CHECK_FAIL("pfn %#lx: assigned to asid %u, which has no live owner", pfn,
			       rmpentry_asid(e));
	if (rmpentry_pagesize(e) == RMP_PG_SIZE_2M) {
		if (base < lo)
			RMP_CHECK_FAIL("pfn %#lx: 2M entry whose 2M page was never written", pfn);
		large = &snap[base - lo];
		if (!rmpentry_assigned(large) || rmpentry_pagesize(large) != RMP_PG_SIZE_2M ||
		    rmpentry_asid(large) != rmpentry_asid(e) ||
		    rmpentry_gpa(large) + (pfn - base) * PAGE_SIZE != rmpentry_gpa(e))
			RMP_CHECK_FAIL("pfn %#lx: 2M entry inconsistent with its 2M page", pfn);
	}
out:
	return r;
}

/*
 * Every assigned entry has a live owner (a live guest's ASID, or the firmware for ASID 0),
 * 2M pages are consistent, and no guest gpa is backed by two pages (VMSAs, which all sit at
 * the architectural VMSA gpa, excepted).  Works on a snapshot, so the owner callbacks may
 * take the firmware's locks.  Returns 0, or -EINVAL with the first violation in @why.
 */
int snp_rmp_check(const struct snp_rmp_owners *o, char *why, unsigned int len)
{
	struct rmp_owner_key *keys = NULL;
	struct rmpentry *snap = NULL;
	unsigned long pfn, lo, hi, n = 0, i;
	int r = 0;

	spin_lock(&rmp_lock);
	lo = rmp_touched_lo;
	hi = rmp_touched_hi;
	if (lo < hi) {
		snap = kvcalloc(hi - lo, sizeof(*snap), GFP_KERNEL);
		if (snap)
			memcpy(snap, rmp_get(lo), (hi - lo) * sizeof(*snap));
	}
	spin_unlock(&rmp_lock);
	if (lo >= hi)
		return 0;
	keys = kvcalloc(hi - lo, sizeof(*keys), GFP_KERNEL);
	if (!snap || !keys) {
		r = -ENOMEM;
		goto out;
	}
	for (pfn = lo; pfn < hi; pfn++) {
		const struct rmpentry *e = &snap[pfn - lo];

		r = rmp_check_entry(o, snap, lo, hi, pfn, why, len);
		if (r)
			goto out;
		if (!rmpentry_assigned(e) || !rmpentry_asid(e) || rmpentry_vmsa(e) ||
		    rmpentry_gpa(e) == SNP_VMSA_GPA_RMP)
			continue;
		keys[n].asid = rmpentry_asid(e);
		keys[n].gpa = rmpentry_gpa(e);
		keys[n++].pfn = pfn;
	}
	sort(keys, n, sizeof(*keys), rmp_owner_key_cmp, NULL);
	for (i = 1; i < n; i++)
		if (!rmp_owner_key_cmp(&keys[i - 1], &keys[i]))
			RMP_CHECK_FAIL("asid %u gpa %#llx is backed by pfn %#lx and pfn %#lx",
				       keys[i].asid, keys[i].gpa, keys[i - 1].pfn, keys[i].pfn);
out:
	kvfree(snap);
	kvfree(keys);
	return r;
}
