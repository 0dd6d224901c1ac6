/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_X86_MMU_H
#define __KVM_X86_MMU_H

#include <linux/kvm_host.h>

/*
 * mmu/mmu.c: the fault path every vendor's exit handler enters.  @error_code carries the
 * hardware bits plus PFERR_PRIVATE_ACCESS, which the vendor sets from what its hardware says
 * about the access; @gpa has no shared bit.  As an exit handler returns: 1: resolved, the
 * guest goes on; 0: an exit for userspace is prepared (KVM_EXIT_MMIO, an emulation failure).
 * -EFAULT with KVM_EXIT_MEMORY_FAULT prepared: userspace must act (convert, or back the gfn).
 * Other -errnos: the fault could not be handled now (allocation) and may be retried.
 */
int kvm_mmu_page_fault(struct kvm_vcpu *vcpu, gpa_t gpa, u64 error_code);

/* The fault path's verdict for an access no memory backs (mmio.c emulates it). */
#define RET_PF_EMULATE	2

/*
 * mmio.c: an access to @gpa no memory backs (no memslot, or a write to a read-only one):
 * the engine emulates its instruction and the VMM answers KVM_EXIT_MMIO.
 */
int kvm_emulate_mmio(struct kvm_vcpu *vcpu, gpa_t gpa, u64 error_code);

/*
 * A private translation made without a fault (a TD's build maps each page it adds, as
 * upstream maps before PAGE.ADD), and its undoing if the page never went in.
 */
int kvm_mmu_map_private(struct kvm *kvm, gfn_t gfn, unsigned long pfn);
void kvm_mmu_unmap(struct kvm *kvm, gfn_t gfn);

/* KVM_SET_NR_MMU_PAGES (mmu/mmu.c). */
#define KVM_MIN_ALLOC_MMU_PAGES		64UL
int kvm_vm_ioctl_set_nr_mmu_pages(struct kvm *kvm, unsigned long nr);

#endif
