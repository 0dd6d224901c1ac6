/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_LINUX_KVM_PARA_H
#define _UAPI_LINUX_KVM_PARA_H

/*
 * The guest-visible hypercall ABI (upstream's linux/kvm_para.h and x86's asm/kvm_para.h in
 * one file): the number in RAX, arguments in RBX, RCX, RDX, RSI, the result in RAX.
 */

/* Hypercall results, negated in RAX. */
#define KVM_ENOSYS		1000
#define KVM_EFAULT		14
#define KVM_EINVAL		22
#define KVM_E2BIG		7
#define KVM_EPERM		1
#define KVM_EOPNOTSUPP		95

#define KVM_HC_MAP_GPA_RANGE	12

/* KVM's CPUID leaves: the signature ("KVMKVMKVM") and the paravirtual features. */
#define KVM_CPUID_SIGNATURE		0x40000000
#define KVM_CPUID_FEATURES		0x40000001
#define KVM_FEATURE_HC_MAP_GPA_RANGE	16

/* KVM_HC_MAP_GPA_RANGE's third argument: the page size and the encryption status. */
#define KVM_MAP_GPA_RANGE_PAGE_SZ_4K	0
#define KVM_MAP_GPA_RANGE_PAGE_SZ_2M	(1 << 0)
#define KVM_MAP_GPA_RANGE_PAGE_SZ_1G	(1 << 1)
#define KVM_MAP_GPA_RANGE_ENC_STAT(n)	((n) << 4)
#define KVM_MAP_GPA_RANGE_ENCRYPTED	KVM_MAP_GPA_RANGE_ENC_STAT(1)
#define KVM_MAP_GPA_RANGE_DECRYPTED	KVM_MAP_GPA_RANGE_ENC_STAT(0)

#endif
