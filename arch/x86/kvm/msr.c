// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_GET_MSRS and KVM_SET_MSRS: the guest's MSRs as the VMM sees them (host-initiated
 * accesses).  EFER and the FS and GS bases are the ones KVM_GET/SET_SREGS show; PAT is KVM's;
 * the SYSCALL and SYSENTER MSRs, KERNEL_GS_BASE and TSC_AUX are the CPU's (vcpu->arch.cpu_msrs,
 * which an engine that holds them loads and gives back).  As upstream: at most KVM_MAX_IO_MSRS
 * in one call (else E2BIG), done in order until one is refused (an MSR KVM does not know, or a
 * value it does not take), and the answer is how many were done.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include <asm/msr-index.h>

#include "exec/exec.h"
#include "x86.h"

#define KVM_MAX_IO_MSRS		256
#define EFER_VALID		(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)

/* KVM's copy of the CPU's state is current: an engine that holds it gives it back first. */
void kvm_cpu_state_sync(struct kvm_vcpu *vcpu)
{
	if (!vcpu->arch.cpu_state_dirty && vcpu->arch.engine->sync_state)
		vcpu->arch.engine->sync_state(vcpu);
}

static u64 *kvm_msr_slot(struct kvm_vcpu *vcpu, u32 index)
{
	struct kvm_vcpu_arch *a = &vcpu->arch;
	unsigned int i;

	switch (index) {
	case MSR_EFER:
		return &a->sregs.efer;
	case MSR_FS_BASE:
		return &a->sregs.fs.base;
	case MSR_GS_BASE:
		return &a->sregs.gs.base;
	case MSR_IA32_CR_PAT:
		return &a->pat;
	}
	for (i = 0; i < KVM_NR_CPU_MSRS; i++)
		if (kvm_cpu_msrs[i] == index)
			return &a->cpu_msrs[i];
	return NULL;
}

static bool kvm_canonical(u64 v)
{
	return (u64)((s64)(v << 16) >> 16) == v;
}

/* Each byte a memory type: UC, WC, WT, WP, WB or UC- (2 and 3 are reserved). */
static bool kvm_pat_valid(u64 pat)
{
	unsigned int i;
	u8 type;

	for (i = 0; i < 8; i++) {
		type = pat >> (8 * i);
		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

/* What a WRMSR of @v would take (a #GP on silicon), host-initiated. */
static bool kvm_msr_value_ok(u32 index, u64 v)
{
	switch (index) {
	case MSR_EFER:
		return !(v & ~EFER_VALID);
	case MSR_IA32_CR_PAT:
		return kvm_pat_valid(v);
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		return kvm_canonical(v);
	case MSR_TSC_AUX:
		return !(v >> 32);
	default:
		return true;
	}
}

/* One MSR, read or written; false if KVM refuses it. */
static bool kvm_do_msr(struct kvm_vcpu *vcpu, struct kvm_msr_entry *e, bool write)
{
	u64 *slot = kvm_msr_slot(vcpu, e->index);

	if (!slot)
		return false;
	if (!write) {
		e->data = *slot;
		return true;
	}
	if (!kvm_msr_value_ok(e->index, e->data))
		return false;
	*slot = e->data;
	vcpu->arch.cpu_state_dirty = true;
	return true;
}

/*
 * KVM_GET_MSR_INDEX_LIST on the system fd: the MSRs KVM_GET/SET_MSRS take, which a VMM saves
 * and restores.  As upstream: the count is written back in any case, then E2BIG if the room
 * the caller gave is smaller, else the indices.
 */
long kvm_dev_ioctl_get_msr_index_list(struct kvm_msr_list __user *argp)
{
	struct kvm_msr_list list;
	u32 room;

	if (copy_from_user(&list, argp, sizeof(list)))
		return -EFAULT;
	room = list.nmsrs;
	list.nmsrs = ARRAY_SIZE(kvm_sregs_msrs) + KVM_NR_CPU_MSRS;
	if (copy_to_user(argp, &list, sizeof(list)))
		return -EFAULT;
	if (room < list.nmsrs)
		return -E2BIG;
	if (copy_to_user(argp->indices, kvm_sregs_msrs, sizeof(kvm_sregs_msrs)) ||
	    copy_to_user(argp->indices + ARRAY_SIZE(kvm_sregs_msrs), kvm_cpu_msrs,
			 sizeof(kvm_cpu_msrs)))
		return -EFAULT;
	return 0;
}

long kvm_vcpu_ioctl_msrs(struct kvm_vcpu *vcpu, void __user *argp, bool write)
{
	struct kvm_msrs __user *user = argp;
	struct kvm_msr_entry *entries;
	struct kvm_msrs msrs;
	size_t size;
	long n;

	if (copy_from_user(&msrs, user, sizeof(msrs)))
		return -EFAULT;
	if (msrs.nmsrs >= KVM_MAX_IO_MSRS)
		return -E2BIG;
	size = msrs.nmsrs * sizeof(*entries);
	entries = kmalloc(size ?: 1, GFP_KERNEL_ACCOUNT);
	if (!entries)
		return -ENOMEM;
	n = -EFAULT;
	if (copy_from_user(entries, user->entries, size))
		goto out;
	kvm_cpu_state_sync(vcpu);
	for (n = 0; n < msrs.nmsrs; n++)
		if (!kvm_do_msr(vcpu, &entries[n], write))
			break;
	if (!write && copy_to_user(user->entries, entries, size))
		n = -EFAULT;
out:
	kfree(entries);
	return n;
}
