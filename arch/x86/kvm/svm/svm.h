/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_SVM_SVM_H
#define __KVM_SVM_SVM_H

#include <linux/kvm_host.h>

/* svm.c: the vendor ops of every VM type but TDX */
extern const struct kvm_x86_ops svm_x86_ops;

/* ghcb.c: VMGEXIT with a GHCB MSR protocol request in vcpu->arch.ghcb_msr */
int sev_handle_vmgexit_msr(struct kvm_vcpu *vcpu);

#endif
