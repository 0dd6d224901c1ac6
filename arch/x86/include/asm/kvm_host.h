/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_KVM_HOST_H
#define _ASM_X86_KVM_HOST_H

/* x86 parts of the VM and vCPU objects. */

#include <linux/types.h>
#include <linux/kvm.h>

struct page;
struct sev_trace_ring;

/* SEV, SEV-ES and SNP state of a VM (upstream struct kvm_sev_info); under kvm->lock. */
struct kvm_sev_info {
	bool active;			/* KVM_SEV_INIT2 done */
	bool es_active;			/* SEV-ES or SNP: protected vCPU state */
	bool snp_active;
	bool snp_finished;		/* KVM_SEV_SNP_LAUNCH_FINISH done */
	u32 asid;
	int fd;				/* the PSP descriptor given to LAUNCH_START */
	u64 policy;
	u64 vmsa_features;
	u16 ghcb_version;
	struct page *snp_context;	/* the firmware's guest context page */
	unsigned long nr_leaked;	/* pages that could not be reclaimed */
	struct sev_trace_ring *trace;	/* RMP transitions, for KVM_COCO_GET_TRACE */
};

struct kvm_arch {
	unsigned long vm_type;
	bool has_private_mem;		/* SW_PROTECTED, SNP, TDX */
	bool has_protected_state;	/* SEV-ES, SNP, TDX: no emulated MMIO, no RO slots */
	struct kvm_sev_info sev_info;
};

struct kvm_vcpu_arch {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	u64 dr6, dr7;
	u64 xcr0;
	u64 pat;
	bool guest_state_protected;	/* the VMSA is the guest's: KVM can no longer see it */
	struct page *vmsa;		/* SEV-ES/SNP: the VMSA page */
};

#endif
