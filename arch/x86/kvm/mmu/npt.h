/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_X86_MMU_NPT_H
#define __KVM_X86_MMU_NPT_H

/*
 * The model's nested page table (kvm->arch.npt), as the hardware sees it: gfn -> a value entry.
 * The MMU writes it (mmu.c), under kvm->slots_lock and kvm->arch.mmu_lock; the vCPU engines
 * only read it, under mmu_lock, as the hardware walks the page table KVM built.  Whatever
 * removes a translation or its write right bumps kvm->arch.npt_gen and, before the page can
 * be reused, waits until no vCPU can still use it (kvm_flush_remote_tlbs()).  A private
 * translation holds the guest_memfd page's pfn, a shared one the memslot's userspace address.
 * A translation without NPT_WRITABLE faults on a write (a read-only memslot, or a page dirty
 * logging watches).
 */
#include <linux/kvm_host.h>
#include <linux/xarray.h>

#define NPT_PRIVATE		BIT(0)
#define NPT_WRITABLE		BIT(1)
#define NPT_PFN_SHIFT		2

struct kvm_npt_entry {
	bool present;
	bool private;
	bool writable;
	unsigned long pfn;		/* private: the page; shared: userspace address >> 12 */
};

/*
 * The gfn an access to @gpa names, and its kind as the hardware sees it: a TD's from the
 * gpa's shared bit, an SNP guest's from the C-bit (@enc); other VMs' accesses have no kind
 * (-1: a translation of either satisfies them).
 */
static inline int kvm_hw_access_kind(const struct kvm_x86_hw *hw, u64 gpa, bool enc,
				     gfn_t *gfn)
{
	*gfn = gpa_to_gfn(gpa & ~hw->shared_mask);
	if (hw->tdx)
		return !(gpa & hw->shared_mask);
	if (hw->rmp)
		return enc;
	return -1;
}

static inline struct kvm_npt_entry kvm_npt_lookup(struct kvm *kvm, gfn_t gfn)
{
	void *e = xa_load(&kvm->arch.npt, gfn);
	unsigned long v = e ? xa_to_value(e) : 0;

	lockdep_assert_held(&kvm->arch.mmu_lock);
	return (struct kvm_npt_entry){
		.present = e,
		.private = v & NPT_PRIVATE,
		.writable = v & NPT_WRITABLE,
		.pfn = v >> NPT_PFN_SHIFT,
	};
}

#endif
