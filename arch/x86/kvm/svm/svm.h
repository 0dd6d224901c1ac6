/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_SVM_SVM_H
#define __KVM_SVM_SVM_H

#include <linux/kvm_host.h>

/* svm.c: AMD's exits as the model engine delivers them */
int svm_vcpu_pre_run(struct kvm_vcpu *vcpu);
int svm_npf_interception(struct kvm_vcpu *vcpu, u64 gpa, u64 error_code);

/* ghcb.c: VMGEXIT with a GHCB MSR protocol request in vcpu->arch.ghcb_msr */
bool sev_ghcb_msr_request_valid(struct kvm_vcpu *vcpu, u64 msr);
int sev_handle_vmgexit_msr(struct kvm_vcpu *vcpu);

#endif
