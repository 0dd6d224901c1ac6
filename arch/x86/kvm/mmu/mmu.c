// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MMU fault path: where every vendor's nested-page-fault exit ends up.  Whether an access
 * was private is decided before it gets here, by vendor code, and arrives as the synthetic
 * PFERR_PRIVATE_ACCESS bit: SNP from the hardware's ENC bit, TDX from the GPA's shared bit,
 * software-protected VMs (below) from the memory attributes.  This file only compares that
 * with the gfn's attribute.  A mismatch is the VMM's business, never KVM's: it exits with
 * KVM_EXIT_MEMORY_FAULT and the VMM converts (KVM_SET_MEMORY_ATTRIBUTES) or refuses.
 *
 * A resolved fault installs its translation in the model's nested page table (kvm->arch.npt),
 * which conversions, punches and memslot changes zap, as upstream zaps its TDP MMU; what it
 * does to the platform is real: a private fault takes the gfn's guest_memfd page and hands it
 * to the guest through the vendor (RMPUPDATE for SNP, TDH.MEM.PAGE.AUG for TDX).
 *
 * Return values follow KVM's exit handlers: 1 resume the guest, 0 exit to userspace with
 * kvm_run filled in, -errno fail KVM_RUN (-EFAULT with KVM_EXIT_MEMORY_FAULT filled in).
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <linux/kvm_host.h>

#include "../mmu.h"
#include "npt.h"

struct kvm_page_fault {
	gpa_t addr;
	u64 error_code;
	gfn_t gfn;
	bool write;
	bool exec;
	bool is_private;
	struct kvm_memory_slot *slot;
	unsigned long pfn;
	unsigned long hva;		/* shared: the memslot's userspace page */
};

static int kvm_mmu_install(struct kvm *kvm, gfn_t gfn, unsigned long e)
{
	void *old;
	int r;

	lockdep_assert_held(&kvm->slots_lock);
	mutex_lock(&kvm->arch.mmu_lock);
	old = xa_store(&kvm->arch.npt, gfn, xa_mk_value(e), GFP_KERNEL_ACCOUNT);
	r = xa_err(old);
	if (!r && !old)
		kvm_stat_inc(kvm->stat.pages_4k);
	mutex_unlock(&kvm->arch.mmu_lock);
	return r;
}

/*
 * Install the translation a resolved fault found.  A shared page of a logging memslot becomes
 * writable only through a write fault, which is what marks it dirty.
 */
static int kvm_mmu_map(struct kvm *kvm, struct kvm_page_fault *fault)
{
	struct kvm_memory_slot *slot = fault->slot;
	unsigned long e = (fault->hva >> PAGE_SHIFT) << NPT_PFN_SHIFT | NPT_WRITABLE;

	if (fault->is_private)
		return kvm_mmu_map_private(kvm, fault->gfn, fault->pfn);
	if ((slot->flags & KVM_MEM_READONLY) || (slot->dirty_bitmap && !fault->write))
		e &= ~NPT_WRITABLE;
	return kvm_mmu_install(kvm, fault->gfn, e);
}

int kvm_mmu_map_private(struct kvm *kvm, gfn_t gfn, unsigned long pfn)
{
	return kvm_mmu_install(kvm, gfn, pfn << NPT_PFN_SHIFT | NPT_PRIVATE | NPT_WRITABLE);
}

/* Undo a translation no vCPU has used yet (a TD page that never went in): no flush. */
void kvm_mmu_unmap(struct kvm *kvm, gfn_t gfn)
{
	lockdep_assert_held(&kvm->slots_lock);
	mutex_lock(&kvm->arch.mmu_lock);
	if (xa_erase(&kvm->arch.npt, gfn))
		kvm_stat_dec(kvm->stat.pages_4k);
	mutex_unlock(&kvm->arch.mmu_lock);
}

/*
 * Every translation that went is out of every vCPU's hands before the page is reused: @gfn's
 * is gone (or lost its write right) as of the next generation.
 */
static void kvm_mmu_changed(struct kvm *kvm, gfn_t gfn)
{
	u64 gen = kvm->arch.npt_gen + 1;

	lockdep_assert_held(&kvm->arch.mmu_lock);
	kvm->arch.npt_zapped[gen % KVM_NPT_ZAP_LOG] = gfn;
	WRITE_ONCE(kvm->arch.npt_gen, gen);
}

#define KVM_ZAP_BATCH	64

void kvm_arch_zap_gfn_range(struct kvm *kvm, gfn_t start, gfn_t end)
{
	void (*remove_private)(struct kvm *kvm, unsigned long pfn);
	unsigned long gfn = start, pfns[KVM_ZAP_BATCH];
	unsigned int i, n;
	void *e;

	lockdep_assert_held(&kvm->slots_lock);
	remove_private = kvm->arch.ops->remove_private_spte;
	while (gfn < end) {
		n = 0;
		mutex_lock(&kvm->arch.mmu_lock);
		e = xa_find(&kvm->arch.npt, &gfn, end - 1, XA_PRESENT);
		for (; e && n < KVM_ZAP_BATCH; e = xa_find_after(&kvm->arch.npt, &gfn, end - 1,
								  XA_PRESENT)) {
			xa_erase(&kvm->arch.npt, gfn);
			kvm_stat_dec(kvm->stat.pages_4k);
			if ((xa_to_value(e) & NPT_PRIVATE) && remove_private)
				pfns[n++] = xa_to_value(e) >> NPT_PFN_SHIFT;
			kvm_mmu_changed(kvm, gfn);
		}
		mutex_unlock(&kvm->arch.mmu_lock);
		kvm_flush_remote_tlbs(kvm);
		/* Where a private translation is the guest's hold on the page (a TD's S-EPT). */
		for (i = 0; i < n; i++)
			remove_private(kvm, pfns[i]);
		if (!e)
			break;
	}
}

/*
 * Dirty logging reported and cleared @mask's pages (bit i: @slot's page @offset + i): the next
 * write to each must fault again to be logged.
 */
void kvm_arch_mmu_write_protect_masked(struct kvm *kvm, struct kvm_memory_slot *slot,
				       gfn_t offset, unsigned long mask)
{
	unsigned long v;
	gfn_t gfn;
	void *e;

	lockdep_assert_held(&kvm->slots_lock);
	mutex_lock(&kvm->arch.mmu_lock);
	for (; mask; mask &= mask - 1) {
		gfn = slot->base_gfn + offset + __ffs(mask);
		e = xa_load(&kvm->arch.npt, gfn);
		v = e ? xa_to_value(e) : 0;
		if (!(v & NPT_WRITABLE))
			continue;
		/* Replacing a present entry allocates nothing: it cannot fail. */
		xa_store(&kvm->arch.npt, gfn, xa_mk_value(v & ~NPT_WRITABLE), GFP_KERNEL_ACCOUNT);
		kvm_mmu_changed(kvm, gfn);
	}
	mutex_unlock(&kvm->arch.mmu_lock);
	kvm_flush_remote_tlbs(kvm);
}

/* Upstream's exit: the page, its size, and whether the access was private. */
static int kvm_mmu_memory_fault_exit(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_MEMORY_FAULT;
	run->memory_fault.gpa = (u64)fault->gfn << PAGE_SHIFT;
	run->memory_fault.size = PAGE_SIZE;
	run->memory_fault.flags = fault->is_private ? KVM_MEMORY_EXIT_FLAG_PRIVATE : 0;
	return -EFAULT;
}

/* Private: the gfn's guest_memfd page, given to the guest by the vendor. */
static int kvm_mmu_faultin_private(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	int r;

	if (!fault->slot || !(fault->slot->flags & KVM_MEM_GUEST_MEMFD))
		return kvm_mmu_memory_fault_exit(vcpu, fault);
	/* The page comes back already the guest's (RMPUPDATE, PAGE.AUG): see kvm_gmem_get_pfn. */
	r = kvm_gmem_get_pfn(vcpu->kvm, fault->slot, fault->gfn, &fault->pfn);
	if (r) {
		/* As upstream: the VMM learns which page, and KVM_RUN fails with the cause. */
		kvm_mmu_memory_fault_exit(vcpu, fault);
		return r;
	}
	r = kvm_mmu_map(vcpu->kvm, fault);
	if (!r)
		return 1;
	/*
	 * The guest has the page but no translation of it: where the translation is the guest's
	 * hold on the page (a TD's S-EPT), take the page back out, or a later conversion, which
	 * finds such pages by their translations, would leave it in.
	 */
	if (vcpu->kvm->arch.ops->remove_private_spte)
		vcpu->kvm->arch.ops->remove_private_spte(vcpu->kvm, fault->pfn);
	return r;
}

/* Shared: the memslot's userspace mapping, if it has one where the guest looked. */
static int kvm_mmu_faultin_shared(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	struct kvm_memory_slot *slot = fault->slot;
	unsigned long hva;
	int r;

	/* No memory there, or none to write: MMIO, which needs the instruction emulated. */
	if (!slot || (fault->write && (slot->flags & KVM_MEM_READONLY)))
		return RET_PF_EMULATE;
	hva = slot->userspace_addr + ((fault->gfn - slot->base_gfn) << PAGE_SHIFT);
	fault->hva = hva;
	if (!access_ok((void __user *)hva, PAGE_SIZE))
		return kvm_mmu_memory_fault_exit(vcpu, fault);
	r = kvm_mmu_map(vcpu->kvm, fault);
	if (r)
		return r;
	if (fault->write)
		kvm_mark_page_dirty(vcpu->kvm, fault->gfn);
	return 1;
}

int kvm_mmu_page_fault(struct kvm_vcpu *vcpu, gpa_t gpa, u64 error_code)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_page_fault fault = {
		.addr = gpa,
		.error_code = error_code,
		.gfn = gpa_to_gfn(gpa),
		.write = error_code & PFERR_WRITE_MASK,
		.exec = error_code & PFERR_FETCH_MASK,
	};
	int r;

	kvm_stat_inc(vcpu->stat.pf_taken);
	if (WARN_ON_ONCE(error_code & PFERR_IMPLICIT_ACCESS))
		return -EINVAL;
	mutex_lock(&kvm->slots_lock);
	/*
	 * Software-protected VMs have no hardware to say: the attribute decides, as upstream.
	 * Reserved-bit (MMIO) faults are shared-only.
	 */
	if (kvm->arch.vm_type == KVM_X86_SW_PROTECTED_VM && !(error_code & PFERR_RSVD_MASK) &&
	    kvm_mem_is_private(kvm, fault.gfn))
		fault.error_code |= PFERR_PRIVATE_ACCESS;
	fault.is_private = fault.error_code & PFERR_PRIVATE_ACCESS;
	fault.slot = kvm_gfn_to_memslot(kvm, 0, fault.gfn);
	if (fault.is_private != kvm_mem_is_private(kvm, fault.gfn))
		r = kvm_mmu_memory_fault_exit(vcpu, &fault);
	else if (fault.is_private)
		r = kvm_mmu_faultin_private(vcpu, &fault);
	else
		r = kvm_mmu_faultin_shared(vcpu, &fault);
	mutex_unlock(&kvm->slots_lock);
	if (r == RET_PF_EMULATE)
		r = kvm_emulate_mmio(vcpu, gpa, error_code);
	return r;
}

/*
 * KVM_SET_NR_MMU_PAGES caps the pages of shadow page tables.  The model's nested page table is
 * two-dimensional paging, which upstream's TDP MMU does not count against the cap either, so
 * the number is kept but limits nothing.  (6.12 has no KVM_GET_NR_MMU_PAGES any more.)
 */
int kvm_vm_ioctl_set_nr_mmu_pages(struct kvm *kvm, unsigned long nr)
{
	if (nr < KVM_MIN_ALLOC_MMU_PAGES)
		return -EINVAL;
	mutex_lock(&kvm->slots_lock);
	kvm->arch.n_requested_mmu_pages = nr;
	mutex_unlock(&kvm->slots_lock);
	return 0;
}
