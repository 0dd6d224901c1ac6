// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM's RMP helpers: the one way KVM assigns a page to a guest (rmp_make_private), the one
 * way back (rmp_make_shared), reclaiming from the firmware, and leaking what cannot be
 * reclaimed.  rmp_make_private() refuses a page whose entry is already assigned: assigning a
 * page to two guests, or twice to one, must fail loudly, never silently reassign.
 *
 * A page that cannot be given back is leaked on purpose: kept out of every allocator
 * forever, counted per VM and globally, and reported, because its state is unknown and
 * handing it back to the host could expose or corrupt a guest.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <linux/psp-sev.h>
#include <asm/sev.h>

#include "sev.h"

static DEFINE_MUTEX(snp_leak_lock);
static DEFINE_XARRAY(snp_leaked);	/* pfn -> (void *)1, never shrinks */
static unsigned long snp_nr_leaked;

u64 snp_rmp_lo(unsigned long pfn)
{
	struct rmpentry e;

	return snp_lookup_rmpentry_raw(pfn, &e) ? 0 : e.lo;
}

bool snp_page_assigned(unsigned long pfn)
{
	return snp_rmp_lo(pfn) & RMPENTRY_ASSIGNED;
}

int rmp_make_private(struct kvm *kvm, unsigned long pfn, u64 gpa, u32 asid, bool immutable)
{
	struct rmp_state state = { .gpa = gpa, .assigned = 1, .asid = asid,
				   .immutable = immutable };
	u64 old = snp_rmp_lo(pfn);
	int ret = -EEXIST;

	if (old & RMPENTRY_ASSIGNED) {
		pr_debug("pfn %#lx is already assigned (rmp %#llx)\n", pfn, old);
		goto out;
	}
	ret = rmpupdate(pfn, &state) ? -EFAULT : 0;
out:
	sev_trace_rmp(kvm, KVM_COCO_RMP_MAKE_PRIVATE, pfn, old, snp_rmp_lo(pfn), ret);
	return ret;
}

int rmp_make_shared(struct kvm *kvm, unsigned long pfn)
{
	struct rmp_state state = {};
	u64 old = snp_rmp_lo(pfn);
	int ret;

	ret = rmpupdate(pfn, &state) ? -EFAULT : 0;
	sev_trace_rmp(kvm, KVM_COCO_RMP_MAKE_SHARED, pfn, old, snp_rmp_lo(pfn), ret);
	return ret;
}

/* Take a page back from the firmware and make it shared; leak it if that fails. */
int snp_page_reclaim(struct kvm *kvm, unsigned long pfn)
{
	struct sev_data_snp_page_reclaim data = { .paddr = (u64)pfn << PAGE_SHIFT };
	u64 old = snp_rmp_lo(pfn);
	int err;

	if (sev_do_cmd(SEV_CMD_SNP_PAGE_RECLAIM, &data, &err))
		goto leak;
	sev_trace_fw(kvm, KVM_COCO_RMP_FW_RECLAIM, pfn, old);
	if (rmp_make_shared(kvm, pfn))
		goto leak;
	return 0;
leak:
	snp_leak_page(kvm, pfn);
	return -EIO;
}

void snp_leak_page(struct kvm *kvm, unsigned long pfn)
{
	pr_warn("leaking pfn %#lx: its RMP state cannot be undone (rmp %#llx)\n", pfn,
		snp_rmp_lo(pfn));
	mutex_lock(&snp_leak_lock);
	if (!xa_is_err(xa_store(&snp_leaked, pfn, (void *)1, GFP_KERNEL)))
		snp_nr_leaked++;
	mutex_unlock(&snp_leak_lock);
	if (kvm) {
		kvm->arch.sev_info.nr_leaked++;
		sev_trace_rmp(kvm, KVM_COCO_RMP_LEAK, pfn, snp_rmp_lo(pfn), snp_rmp_lo(pfn),
			      -EIO);
	}
}

bool snp_page_leaked(unsigned long pfn)
{
	bool leaked;

	mutex_lock(&snp_leak_lock);
	leaked = xa_load(&snp_leaked, pfn);
	mutex_unlock(&snp_leak_lock);
	return leaked;
}

unsigned long snp_leaked_pages(void)
{
	return READ_ONCE(snp_nr_leaked);
}
