/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_LINUX_KVM_PARA_H
#define _UAPI_LINUX_KVM_PARA_H

/*
 * The guest-visible hypercall ABI (upstream's linux/kvm_para.h; x86's half is
 * <asm/kvm_para.h>): the number in RAX, arguments in RBX, RCX, RDX, RSI, the result in RAX.
 */

/* Hypercall results, negated in RAX: the Linux errno values (ENOSYS aside). */
#define KVM_ENOSYS		1000
#define KVM_EFAULT		14
#define KVM_EINVAL		22
#define KVM_E2BIG		7
#define KVM_EPERM		1
#define KVM_EOPNOTSUPP		95

#define KVM_HC_VAPIC_POLL_IRQ		1
#define KVM_HC_MMU_OP			2
#define KVM_HC_FEATURES			3
#define KVM_HC_PPC_MAP_MAGIC_PAGE	4
#define KVM_HC_KICK_CPU			5
#define KVM_HC_MIPS_GET_CLOCK_FREQ	6
#define KVM_HC_MIPS_EXIT_VM		7
#define KVM_HC_MIPS_CONSOLE_OUTPUT	8
#define KVM_HC_CLOCK_PAIRING		9
#define KVM_HC_SEND_IPI			10
#define KVM_HC_SCHED_YIELD		11
#define KVM_HC_MAP_GPA_RANGE		12

#include <asm/kvm_para.h>

#endif
