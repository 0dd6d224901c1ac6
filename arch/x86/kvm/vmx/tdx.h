/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_VMX_TDX_H
#define __KVM_VMX_TDX_H

#include <linux/kvm_host.h>
#include <asm/tdx.h>

/* tdx.c: KVM_MEMORY_ENCRYPT_OP on TDX VMs and vCPUs, and the TD's lifecycle */
int tdx_vm_ioctl(struct kvm *kvm, void __user *argp);

/* The GPA bit that selects a TD's shared alias (the module's tdx_gpa_shared_bit()). */
static inline u64 kvm_tdx_shared_bit(struct kvm *kvm)
{
	return tdx_gpa_shared_bit(kvm->arch.tdx_info.gpaw);
}

int tdx_vcpu_ioctl(struct kvm_vcpu *vcpu, void __user *argp);
int tdx_get_mrtd(struct kvm *kvm, void __user *argp);
void tdx_vm_init(struct kvm *kvm);
void tdx_td_free(struct kvm *kvm);
unsigned long tdx_leaked_pages(void);
void tdx_vcpu_free(struct kvm_vcpu *vcpu);
int tdx_gmem_invalidate(struct kvm *kvm, unsigned long pfn);
void tdx_zap_private(struct kvm *kvm, unsigned long pfn);
int tdx_gmem_prepare(struct kvm *kvm, gfn_t gfn, unsigned long pfn);
int tdx_vcpu_pre_run(struct kvm_vcpu *vcpu);
int tdx_handle_ept_violation(struct kvm_vcpu *vcpu, u64 gpa, u64 error_code);

/* tdx_cpuid.c: the TD's CPUID (CPUID_CONFIG, INIT_VM's entries, KVM_TDX_GET_CPUID) */
void tdx_cpuid_configs_to(struct kvm_cpuid_entry2 *e);
int tdx_cpuid_to_params(const struct kvm_cpuid_entry2 *e, u32 nent,
			struct tdx_td_params *params);
int tdx_get_cpuid(struct kvm_vcpu *vcpu, struct kvm_tdx_cmd *cmd);

/* tdx_vmcall.c: TDG.VP.VMCALL with the TD's R10-R15 in vcpu->arch.tdvmcall */
int tdx_handle_tdvmcall(struct kvm_vcpu *vcpu);

#endif
