// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checked RMPUPDATE helpers: the one way the host changes a page's RMP entry, for KVM's
 * guest pages and the PSP driver's firmware pages alike (nothing else calls rmpupdate();
 * scripts/check-style.sh holds the tree to it).  A page whose entry is assigned is never
 * assigned again, to a guest or to the firmware: the helper refuses (EEXIST) rather than
 * silently reassign it.  Every call, refused ones included, is a trace event (snp_rmpupdate)
 * with the entry before and after, and is counted per helper.
 */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/errno.h>
#include <asm/sev.h>

#define CREATE_TRACE_POINTS
#include "trace.h"

static atomic_long_t snp_rmpupdates[SNP_RMP_OP_NR];

static u64 snp_rmp_entry_lo(unsigned long pfn)
{
	struct rmpentry e;

	return snp_lookup_rmpentry_raw(pfn, &e) ? 0 : e.lo;
}

static int snp_rmpupdate_checked(enum snp_rmp_op op, unsigned long pfn,
				 const struct rmp_state *state)
{
	u64 old = snp_rmp_entry_lo(pfn);
	int ret = -EEXIST;

	if (state->assigned && (old & RMPENTRY_ASSIGNED)) {
		pr_debug("pfn %#lx is already assigned (rmp %#llx)\n", pfn, old);
		goto out;
	}
	ret = rmpupdate(pfn, state) ? -EFAULT : 0;
out:
	trace_snp_rmpupdate(op, pfn, old, snp_rmp_entry_lo(pfn), ret);
	atomic_long_inc(&snp_rmpupdates[op]);
	return ret;
}

/* To a guest: assigned to @asid at @gpa, not yet validated (@immutable: the firmware's). */
int rmp_make_private(unsigned long pfn, u64 gpa, u32 asid, bool immutable)
{
	struct rmp_state state = { .gpa = gpa, .assigned = 1, .asid = asid,
				   .immutable = immutable };

	return snp_rmpupdate_checked(SNP_RMP_MAKE_PRIVATE, pfn, &state);
}

/* Back to the host. */
int rmp_make_shared(unsigned long pfn)
{
	struct rmp_state state = {};

	return snp_rmpupdate_checked(SNP_RMP_MAKE_SHARED, pfn, &state);
}

/* To the firmware: assigned to no guest (ASID 0), immutable (upstream: rmp_mark_pages_firmware). */
int rmp_make_firmware(unsigned long pfn)
{
	struct rmp_state state = { .assigned = 1, .immutable = 1 };

	return snp_rmpupdate_checked(SNP_RMP_MAKE_FIRMWARE, pfn, &state);
}

unsigned long snp_rmpupdate_count(enum snp_rmp_op op)
{
	return atomic_long_read(&snp_rmpupdates[op]);
}
