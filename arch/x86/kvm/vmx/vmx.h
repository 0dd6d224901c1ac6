/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_VMX_VMX_H
#define __KVM_VMX_VMX_H

#include <linux/kvm_host.h>

/* main.c: the vendor ops of TDs */
extern const struct kvm_x86_ops vt_x86_ops;

#endif
