// SPDX-License-Identifier: GPL-2.0-only
/*
 * The model vCPU engine: KVM_RUN without guest code.  The hardware events a guest would
 * cause are handed in by userspace (KVM_COCO_VCPU_INJECT_*: a nested page fault, VMMCALL,
 * VMGEXIT, TDG.VP.VMCALL) and delivered to the vendor's exit handler as the hardware would
 * deliver them.  A fault the VMM must resolve stays pending, so the guest "re-executes" the
 * access on the next KVM_RUN; with nothing pending the guest halts.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include <linux/kvm_coco.h>
#include <asm/sev.h>

#include "../mmu.h"
#include "../x86.h"
#include "../svm/sev.h"
#include "../svm/svm.h"
#include "../vmx/tdx.h"
#include "model.h"

/* What the hardware can put in an error code: the #PF bits, and on AMD the NPF bits. */
#define NPF_HW_PF_BITS	(PFERR_PRESENT_MASK | PFERR_WRITE_MASK | PFERR_USER_MASK | \
			 PFERR_RSVD_MASK | PFERR_FETCH_MASK | PFERR_PK_MASK | PFERR_SGX_MASK)
#define NPF_HW_AMD_BITS	(PFERR_GUEST_RMP_MASK | PFERR_GUEST_FINAL_MASK | \
			 PFERR_GUEST_PAGE_MASK | PFERR_GUEST_ENC_MASK | \
			 PFERR_GUEST_SIZEM_MASK | PFERR_GUEST_VMPL_MASK)
#define NPF_GPA_LIMIT	BIT_ULL(52)

static bool vcpu_is_tdx(struct kvm_vcpu *vcpu)
{
	return vcpu->kvm->arch.vm_type == KVM_X86_TDX_VM;
}

static int model_check_npf(struct kvm_vcpu *vcpu, const struct kvm_coco_npf *npf)
{
	u64 hw = NPF_HW_PF_BITS | (vcpu_is_tdx(vcpu) ? 0 : NPF_HW_AMD_BITS);

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
	if (sev_vm_type(vcpu->kvm))
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
	if (!sev_ghcb_msr_request_valid(vcpu, msr))
		return -EINVAL;
	r = model_queue(vcpu, KVM_MODEL_VMGEXIT_MSR);
	if (!r)
		vcpu->arch.ghcb_msr = msr;
	return r;
}

static long kvm_model_get_ghcb_msr(struct kvm_vcpu *vcpu, void __user *argp)
{
	if (!vcpu->kvm->arch.sev_info.es_active)
		return -EINVAL;
	return copy_to_user(argp, &vcpu->arch.ghcb_msr, sizeof(u64)) ? -EFAULT : 0;
}

static long kvm_model_inject_tdvmcall(struct kvm_vcpu *vcpu, void __user *argp)
{
	struct kvm_coco_tdvmcall c;
	int r;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	if (!vcpu_is_tdx(vcpu) || c.r10 || c.flags || c.pad ||
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

	if (!vcpu_is_tdx(vcpu))
		return -EINVAL;
	return copy_to_user(argp, &c, sizeof(c)) ? -EFAULT : 0;
}

long kvm_model_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl, unsigned long arg)
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

/* The vendor's NPF / EPT-violation exit: 1 resolved, 0 exit to userspace, -errno. */
static int model_deliver_npf(struct kvm_vcpu *vcpu)
{
	u64 gpa = vcpu->arch.event.gpa, error_code = vcpu->arch.event.error_code;

	if (vcpu_is_tdx(vcpu))
		return tdx_handle_ept_violation(vcpu, gpa, error_code);
	return svm_npf_interception(vcpu, gpa, error_code);
}

/*
 * The hardware's walk of the nested page table for an access.  0: a translation of the
 * right kind satisfies it.  1: it faults; the event becomes the NPF the hardware reports
 * (TDX: the EPT violation, the gpa keeping its shared bit).
 */
static int model_walk(struct kvm_vcpu *vcpu)
{
	u64 gpa = vcpu->arch.event.gpa, flags = vcpu->arch.event.error_code, err;
	struct kvm *kvm = vcpu->kvm;
	bool mapped, mapped_private = false, private = false;
	gfn_t gfn = gpa_to_gfn(gpa);

	if (vcpu_is_tdx(vcpu)) {
		u64 shared = kvm_tdx_shared_bit(kvm);

		private = !(gpa & shared);
		gfn = gpa_to_gfn(gpa & ~shared);
	} else if (sev_snp_guest(kvm)) {
		private = flags & KVM_COCO_ACCESS_ENCRYPTED;
	}
	mutex_lock(&kvm->slots_lock);
	mapped = kvm_mmu_lookup(kvm, gfn, &mapped_private);
	/* Without SNP's C-bit or TDX's shared bit an access has no kind: any translation does. */
	if (!vcpu_is_tdx(vcpu) && !sev_snp_guest(kvm))
		private = mapped_private;
	/* A write through a shared translation is what dirty logging records. */
	if (mapped && mapped_private == private && !private && (flags & KVM_COCO_ACCESS_WRITE))
		kvm_mark_page_dirty(kvm, gfn);
	mutex_unlock(&kvm->slots_lock);
	if (mapped && mapped_private == private)
		return 0;

	err = PFERR_USER_MASK;
	if (flags & KVM_COCO_ACCESS_WRITE)
		err |= PFERR_WRITE_MASK;
	if (flags & KVM_COCO_ACCESS_EXEC)
		err |= PFERR_FETCH_MASK;
	if (flags & KVM_COCO_ACCESS_ENCRYPTED)
		err |= PFERR_GUEST_ENC_MASK;
	if (mapped)
		err |= PFERR_PRESENT_MASK | (vcpu_is_tdx(vcpu) ? 0 : PFERR_GUEST_RMP_MASK);
	vcpu->arch.event.pending = KVM_MODEL_NPF;
	vcpu->arch.event.error_code = err;
	return 1;
}

/*
 * A fault is not consumed until it is resolved: the guest re-executes the access.  A
 * VMMCALL or VMGEXIT is consumed when delivered: its exit, if any, is finished by
 * complete_userspace_io on the next KVM_RUN.
 */
static int model_deliver(struct kvm_vcpu *vcpu)
{
	enum kvm_model_event e = vcpu->arch.event.pending;
	int r;

	if (e == KVM_MODEL_ACCESS) {
		if (!model_walk(vcpu)) {
			vcpu->arch.event.pending = KVM_MODEL_NONE;
			return 1;
		}
		e = KVM_MODEL_NPF;
	}
	if (e == KVM_MODEL_NPF) {
		r = model_deliver_npf(vcpu);
		if (r > 0)
			vcpu->arch.event.pending = KVM_MODEL_NONE;
		return r;
	}
	vcpu->arch.event.pending = KVM_MODEL_NONE;
	if (e == KVM_MODEL_VMMCALL)
		return kvm_emulate_hypercall(vcpu);
	if (e == KVM_MODEL_TDVMCALL)
		return tdx_handle_tdvmcall(vcpu);
	return sev_handle_vmgexit_msr(vcpu);
}

long kvm_arch_vcpu_run(struct kvm_vcpu *vcpu, unsigned long arg)
{
	struct kvm_run *run = vcpu->run;
	int (*complete)(struct kvm_vcpu *vcpu);
	int r;

	if (arg)
		return -EINVAL;
	r = vcpu_is_tdx(vcpu) ? tdx_vcpu_pre_run(vcpu) : svm_vcpu_pre_run(vcpu);
	if (r)
		return r;
	/* The exit userspace just handled comes back first, as upstream. */
	complete = vcpu->arch.complete_userspace_io;
	if (complete) {
		vcpu->arch.complete_userspace_io = NULL;
		r = complete(vcpu);
		if (r <= 0)
			return r;
	}
	run->exit_reason = KVM_EXIT_UNKNOWN;
	if (READ_ONCE(run->immediate_exit)) {
		run->exit_reason = KVM_EXIT_INTR;
		return -EINTR;
	}
	if (vcpu->arch.event.pending) {
		r = model_deliver(vcpu);
		if (r <= 0)
			return r;
	}
	run->exit_reason = KVM_EXIT_HLT;
	return 0;
}
