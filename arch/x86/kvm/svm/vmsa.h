/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_SVM_VMSA_H
#define __KVM_SVM_VMSA_H

#include <asm/svm.h>
#include <asm/kvm_host.h>

void sev_es_fill_vmsa(struct sev_es_save_area *save, const struct kvm_vcpu_arch *arch,
		      u64 sev_features);
void sev_es_init_vmsa(struct sev_es_save_area *save, const struct kvm_regs *regs,
		      const struct kvm_sregs *sregs, u64 sev_features);

#endif
