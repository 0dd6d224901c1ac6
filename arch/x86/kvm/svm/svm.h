/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_SVM_SVM_H
#define __KVM_SVM_SVM_H

#include <linux/kvm_host.h>

/* svm.c: the vendor ops of every VM type but TDX */
extern const struct kvm_x86_ops svm_x86_ops;

/* ghcb.c: VMGEXIT with a GHCB MSR protocol request in vcpu->arch.ghcb_msr */
int sev_handle_vmgexit_msr(struct kvm_vcpu *vcpu);
int sev_terminate_exit(struct kvm_vcpu *vcpu, u64 data);

/* ghcb_page.c: VMGEXIT with the GHCB page at @ghcb_gpa; a request in flight, freed */
int sev_handle_vmgexit_ghcb(struct kvm_vcpu *vcpu, u64 ghcb_gpa);
void sev_free_psc(struct kvm_vcpu *vcpu);

#endif
