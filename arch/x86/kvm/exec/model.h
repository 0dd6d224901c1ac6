/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_X86_EXEC_MODEL_H
#define __KVM_X86_EXEC_MODEL_H

#include <linux/kvm_host.h>

/* model.c: the vCPU engine without guest code (KVM_RUN is kvm_arch_vcpu_run) */
long kvm_model_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl, unsigned long arg);

#endif
