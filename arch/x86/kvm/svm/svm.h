/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_SVM_SVM_H
#define __KVM_SVM_SVM_H

#include <linux/kvm_host.h>

/* svm.c: AMD's exits as the model engine delivers them */
int svm_vcpu_pre_run(struct kvm_vcpu *vcpu);
int svm_npf_interception(struct kvm_vcpu *vcpu, u64 gpa, u64 error_code);

#endif
