// SPDX-License-Identifier: GPL-2.0-only
/*
 * The model vCPU engine: KVM_RUN without guest code.  The hardware events a guest would
 * cause are handed in by userspace (KVM_COCO_VCPU_INJECT_*: an access, a nested page fault,
 * VMMCALL, VMGEXIT, TDG.VP.VMCALL) and returned as the exits the hardware would deliver.  An
 * access is walked against the nested page table as the hardware would walk it; a fault KVM
 * or the VMM must resolve stays pending, so the guest "re-executes" the access on the next
 * entry; with nothing pending the guest halts.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include <linux/kvm_coco.h>
#include <asm/sev.h>

#include "../mmu/npt.h"
#include "exec.h"

/* What the hardware can put in an error code: the #PF bits, and on AMD the NPF bits. */
#define NPF_HW_PF_BITS	(PFERR_PRESENT_MASK | PFERR_WRITE_MASK | PFERR_USER_MASK | \
			 PFERR_RSVD_MASK | PFERR_FETCH_MASK | PFERR_PK_MASK | PFERR_SGX_MASK)
#define NPF_HW_AMD_BITS	(PFERR_GUEST_RMP_MASK | PFERR_GUEST_FINAL_MASK | \
			 PFERR_GUEST_PAGE_MASK | PFERR_GUEST_ENC_MASK | \
			 PFERR_GUEST_SIZEM_MASK | PFERR_GUEST_VMPL_MASK)
#define NPF_GPA_LIMIT	BIT_ULL(52)

static int model_check_npf(struct kvm_vcpu *vcpu, const struct kvm_coco_npf *npf)
{
	u64 hw = NPF_HW_PF_BITS | (vcpu->kvm->arch.hw.amd ? NPF_HW_AMD_BITS : 0);

	if (npf->flags || npf->pad || memchr_inv(npf->reserved, 0, sizeof(npf->reserved)))
		return -EINVAL;
	/* Synthetic bits (PFERR_PRIVATE_ACCESS among them) are KVM's to set, never hardware's. */
	if (npf->error_code & ~hw)
		return -EINVAL;
	if (npf->gpa >= NPF_GPA_LIMIT)
		return -EINVAL;
	return 0;
}

/* One event at a time: the guest is stopped at the instruction that caused it. */
static int model_queue(struct kvm_vcpu *vcpu, enum kvm_model_event e)
{
	if (vcpu->arch.event.pending)
		return -EBUSY;
	vcpu->arch.event.pending = e;
	return 0;
}

static long kvm_model_inject_npf(struct kvm_vcpu *vcpu, void __user *argp)
{
	struct kvm_coco_npf npf;
	int r;

	if (copy_from_user(&npf, argp, sizeof(npf)))
		return -EFAULT;
	r = model_check_npf(vcpu, &npf);
	if (r)
		return r;
	r = model_queue(vcpu, KVM_MODEL_NPF);
	if (r)
		return r;
	vcpu->arch.event.gpa = npf.gpa;
	vcpu->arch.event.error_code = npf.error_code;
	return 0;
}

static long kvm_model_inject_access(struct kvm_vcpu *vcpu, void __user *argp)
{
	u32 valid = KVM_COCO_ACCESS_WRITE | KVM_COCO_ACCESS_EXEC;
	struct kvm_coco_access a;
	int r;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	if (vcpu->kvm->arch.hw.c_bit)
		valid |= KVM_COCO_ACCESS_ENCRYPTED;
	if ((a.flags & ~valid) || a.pad || memchr_inv(a.reserved, 0, sizeof(a.reserved)) ||
	    a.gpa >= NPF_GPA_LIMIT)
		return -EINVAL;
	r = model_queue(vcpu, KVM_MODEL_ACCESS);
	if (r)
		return r;
	vcpu->arch.event.gpa = a.gpa;
	vcpu->arch.event.error_code = a.flags;
	return 0;
}

/* VMMCALL reads the guest's registers: only where KVM can see them. */
static long kvm_model_inject_vmmcall(struct kvm_vcpu *vcpu, unsigned long arg)
{
	if (arg || vcpu->kvm->arch.has_protected_state)
		return -EINVAL;
	return model_queue(vcpu, KVM_MODEL_VMMCALL);
}

static long kvm_model_inject_vmgexit_msr(struct kvm_vcpu *vcpu, void __user *argp)
{
	u64 msr;
	int r;

	if (copy_from_user(&msr, argp, sizeof(msr)))
		return -EFAULT;
	/* An SNP guest's MSR protocol; a GHCB page address (no request code) is not modelled. */
	if (!vcpu->kvm->arch.hw.rmp || !(msr & GHCB_MSR_INFO_MASK))
		return -EINVAL;
	r = model_queue(vcpu, KVM_MODEL_VMGEXIT_MSR);
	if (!r)
		vcpu->arch.ghcb_msr = msr;
	return r;
}

static long kvm_model_get_ghcb_msr(struct kvm_vcpu *vcpu, void __user *argp)
{
	if (!vcpu->kvm->arch.hw.ghcb)
		return -EINVAL;
	return copy_to_user(argp, &vcpu->arch.ghcb_msr, sizeof(u64)) ? -EFAULT : 0;
}

static long kvm_model_inject_tdvmcall(struct kvm_vcpu *vcpu, void __user *argp)
{
	struct kvm_coco_tdvmcall c;
	int r;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	if (!vcpu->kvm->arch.hw.tdx || c.r10 || c.flags || c.pad ||
	    memchr_inv(c.reserved, 0, sizeof(c.reserved)))
		return -EINVAL;
	r = model_queue(vcpu, KVM_MODEL_TDVMCALL);
	if (r)
		return r;
	vcpu->arch.tdvmcall.r10 = c.r10;
	vcpu->arch.tdvmcall.r11 = c.r11;
	vcpu->arch.tdvmcall.r12 = c.r12;
	vcpu->arch.tdvmcall.r13 = c.r13;
	vcpu->arch.tdvmcall.r14 = c.r14;
	vcpu->arch.tdvmcall.r15 = c.r15;
	return 0;
}

static long kvm_model_get_tdvmcall(struct kvm_vcpu *vcpu, void __user *argp)
{
	struct kvm_coco_tdvmcall c = {
		.r10 = vcpu->arch.tdvmcall.r10, .r11 = vcpu->arch.tdvmcall.r11,
		.r12 = vcpu->arch.tdvmcall.r12, .r13 = vcpu->arch.tdvmcall.r13,
		.r14 = vcpu->arch.tdvmcall.r14, .r15 = vcpu->arch.tdvmcall.r15,
	};

	if (!vcpu->kvm->arch.hw.tdx)
		return -EINVAL;
	return copy_to_user(argp, &c, sizeof(c)) ? -EFAULT : 0;
}

static long model_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_COCO_VCPU_INJECT_NPF:
		return kvm_model_inject_npf(vcpu, argp);
	case KVM_COCO_VCPU_INJECT_ACCESS:
		return kvm_model_inject_access(vcpu, argp);
	case KVM_COCO_VCPU_INJECT_VMMCALL:
		return kvm_model_inject_vmmcall(vcpu, arg);
	case KVM_COCO_VCPU_INJECT_VMGEXIT_MSR:
		return kvm_model_inject_vmgexit_msr(vcpu, argp);
	case KVM_COCO_VCPU_GET_GHCB_MSR:
		return kvm_model_get_ghcb_msr(vcpu, argp);
	case KVM_COCO_VCPU_INJECT_TDVMCALL:
		return kvm_model_inject_tdvmcall(vcpu, argp);
	case KVM_COCO_VCPU_GET_TDVMCALL:
		return kvm_model_get_tdvmcall(vcpu, argp);
	default:
		return -ENOTTY;
	}
}

/*
 * The hardware's walk of the nested page table for an access.  0: a translation of the right
 * kind (and writable, for a write) satisfies it.  1: it faults; the event becomes the NPF the
 * hardware reports (TDX: the EPT violation, the gpa keeping its shared bit).
 */
static int model_walk(struct kvm_vcpu *vcpu)
{
	u64 gpa = vcpu->arch.event.gpa, flags = vcpu->arch.event.error_code, err;
	const struct kvm_x86_hw *hw = &vcpu->kvm->arch.hw;
	bool write = flags & KVM_COCO_ACCESS_WRITE, private;
	struct kvm *kvm = vcpu->kvm;
	struct kvm_npt_entry e;
	gfn_t gfn;
	int kind;

	kind = kvm_hw_access_kind(hw, gpa, flags & KVM_COCO_ACCESS_ENCRYPTED, &gfn);
	mutex_lock(&kvm->arch.mmu_lock);
	e = kvm_npt_lookup(kvm, gfn);
	mutex_unlock(&kvm->arch.mmu_lock);
	private = kind < 0 ? e.private : kind;
	if (e.present && e.private == private && (e.writable || !write))
		return 0;

	err = PFERR_USER_MASK;
	if (write)
		err |= PFERR_WRITE_MASK;
	if (flags & KVM_COCO_ACCESS_EXEC)
		err |= PFERR_FETCH_MASK;
	if (flags & KVM_COCO_ACCESS_ENCRYPTED)
		err |= PFERR_GUEST_ENC_MASK;
	if (e.present) {
		err |= PFERR_PRESENT_MASK;
		/* On SNP a translation of the other kind is the RMP check failing. */
		if (hw->rmp && e.private != private)
			err |= PFERR_GUEST_RMP_MASK;
	}
	vcpu->arch.event.pending = KVM_MODEL_NPF;
	vcpu->arch.event.error_code = err;
	return 1;
}

static int model_exit(struct kvm_exec_exit *exit, enum kvm_exec_exit_reason reason)
{
	exit->reason = reason;
	return 0;
}

/*
 * A fault is not consumed until it is resolved: the guest re-executes the access, so a fault
 * that KVM resolved is gone when the guest resumes, and one that went to userspace is taken
 * again on the next KVM_RUN.  A VMMCALL, VMGEXIT or TDVMCALL is consumed when delivered: its
 * exit to userspace, if any, is finished by complete_userspace_io on the next KVM_RUN.
 */
static int model_run(struct kvm_vcpu *vcpu, struct kvm_exec_exit *exit, bool resumed)
{
	enum kvm_model_event e = vcpu->arch.event.pending;

	if (e == KVM_MODEL_NPF && resumed)
		e = KVM_MODEL_NONE;
	if (e == KVM_MODEL_ACCESS && !model_walk(vcpu))
		e = KVM_MODEL_NONE;
	vcpu->arch.event.pending = e == KVM_MODEL_ACCESS ? KVM_MODEL_NPF : e;
	switch (vcpu->arch.event.pending) {
	case KVM_MODEL_NONE:
		return model_exit(exit, KVM_EXEC_EXIT_HLT);
	case KVM_MODEL_NPF:
		exit->gpa = vcpu->arch.event.gpa;
		exit->error_code = vcpu->arch.event.error_code;
		return model_exit(exit, KVM_EXEC_EXIT_NPF);
	default:
		break;
	}
	vcpu->arch.event.pending = KVM_MODEL_NONE;
	if (e == KVM_MODEL_VMMCALL)
		return model_exit(exit, KVM_EXEC_EXIT_VMMCALL);
	if (e == KVM_MODEL_TDVMCALL)
		return model_exit(exit, KVM_EXEC_EXIT_TDVMCALL);
	return model_exit(exit, KVM_EXEC_EXIT_VMGEXIT);
}

const struct kvm_exec_ops kvm_exec_model_ops = {
	.name = "model",
	.run = model_run,
	.vcpu_ioctl = model_vcpu_ioctl,
};
