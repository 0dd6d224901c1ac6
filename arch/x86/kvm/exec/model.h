/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_X86_EXEC_MODEL_H
#define __KVM_X86_EXEC_MODEL_H

#include <linux/kvm_host.h>

/* model.c: the vCPU engine without guest code (KVM_RUN is kvm_arch_vcpu_run) */
long kvm_model_inject_npf(struct kvm_vcpu *vcpu, void __user *argp);
long kvm_model_inject_vmmcall(struct kvm_vcpu *vcpu, unsigned long arg);
long kvm_model_inject_vmgexit_msr(struct kvm_vcpu *vcpu, void __user *argp);
long kvm_model_get_ghcb_msr(struct kvm_vcpu *vcpu, void __user *argp);
long kvm_model_inject_tdvmcall(struct kvm_vcpu *vcpu, void __user *argp);
long kvm_model_get_tdvmcall(struct kvm_vcpu *vcpu, void __user *argp);

#endif
