/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_X86_MMU_H
#define __KVM_X86_MMU_H

#include <linux/kvm_host.h>

/*
 * mmu/mmu.c: the fault path every vendor's exit handler enters.  @error_code carries the
 * hardware bits plus PFERR_PRIVATE_ACCESS, which the vendor sets from what its hardware says
 * about the access; @gpa has no shared bit.  0: resolved, the guest goes on.  -EFAULT with
 * KVM_EXIT_MEMORY_FAULT prepared: userspace must act (convert, or back the gfn).  Other
 * -errnos: the fault could not be handled now (allocation, emulation) and may be retried.
 */
int kvm_mmu_page_fault(struct kvm_vcpu *vcpu, gpa_t gpa, u64 error_code);

/*
 * A private translation made without a fault (a TD's build maps each page it adds, as
 * upstream maps before PAGE.ADD), and its undoing if the page never went in.
 */
int kvm_mmu_map_private(struct kvm *kvm, gfn_t gfn, unsigned long pfn);
void kvm_mmu_unmap(struct kvm *kvm, gfn_t gfn);

#endif
