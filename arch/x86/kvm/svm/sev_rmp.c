// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM's RMP helpers: the one way KVM assigns a page to a guest (snp_make_private), the one
 * way back (snp_make_shared), handing a page to the firmware, reclaiming from it, and leaking
 * what cannot be reclaimed.  Each goes through the platform's checked RMPUPDATE helpers
 * (arch/x86/virt/svm/rmp_update.c: a page already assigned is refused, never silently
 * reassigned) and lands in the VM's own trace ring.
 *
 * A page that cannot be given back is leaked on purpose: kept out of every allocator
 * forever (the platform's list, arch/x86/virt/svm/leak.c), counted per VM, and reported,
 * because its state is unknown and handing it back to the host could expose or corrupt a
 * guest.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <asm/sev.h>

#include "sev.h"

u64 snp_rmp_lo(unsigned long pfn)
{
	struct rmpentry e;

	return snp_lookup_rmpentry_raw(pfn, &e) ? 0 : e.lo;
}

bool snp_page_assigned(unsigned long pfn)
{
	return snp_rmp_lo(pfn) & RMPENTRY_ASSIGNED;
}

int snp_make_private(struct kvm *kvm, unsigned long pfn, u64 gpa, u32 asid, bool immutable)
{
	u64 old = snp_rmp_lo(pfn);
	int ret = rmp_make_private(pfn, gpa, asid, immutable);

	sev_trace_rmp(kvm, KVM_COCO_RMP_MAKE_PRIVATE, pfn, old, snp_rmp_lo(pfn), ret);
	return ret;
}

int snp_make_shared(struct kvm *kvm, unsigned long pfn)
{
	u64 old = snp_rmp_lo(pfn);
	int ret = rmp_make_shared(pfn);

	sev_trace_rmp(kvm, KVM_COCO_RMP_MAKE_SHARED, pfn, old, snp_rmp_lo(pfn), ret);
	return ret;
}

/* A page of the VM's that only the firmware touches (the SNP context page). */
int snp_make_firmware(struct kvm *kvm, unsigned long pfn)
{
	u64 old = snp_rmp_lo(pfn);
	int ret = rmp_make_firmware(pfn);

	sev_trace_rmp(kvm, KVM_COCO_RMP_MAKE_FIRMWARE, pfn, old, snp_rmp_lo(pfn), ret);
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
	if (snp_make_shared(kvm, pfn))
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
	snp_leak_pages(pfn, 1);
	if (kvm) {
		kvm->arch.sev_info.nr_leaked++;
		sev_trace_rmp(kvm, KVM_COCO_RMP_LEAK, pfn, snp_rmp_lo(pfn), snp_rmp_lo(pfn),
			      -EIO);
	}
}
