// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercalls (VMMCALL with the number in RAX).  The one that matters for private memory is
 * KVM_HC_MAP_GPA_RANGE, a guest asking for a range to become private or shared: KVM never
 * converts on its own, it exits to the VMM (when the VMM asked for it with
 * KVM_CAP_EXIT_HYPERCALL), which calls KVM_SET_MEMORY_ATTRIBUTES and answers in
 * run->hypercall.ret; the next KVM_RUN hands the answer to the guest.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "x86.h"

#define VMMCALL_LEN	3		/* 0f 01 d9 */

void kvm_prepare_map_gpa_range_exit(struct kvm_vcpu *vcpu, u64 gpa, u64 npages, u64 attrs,
				    bool long_mode)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_HYPERCALL;
	run->hypercall.nr = KVM_HC_MAP_GPA_RANGE;
	run->hypercall.args[0] = gpa;
	run->hypercall.args[1] = npages;
	run->hypercall.args[2] = attrs;
	run->hypercall.flags = long_mode ? KVM_EXIT_HYPERCALL_LONG_MODE : 0;
	run->hypercall.ret = 0;
}

static bool is_64_bit_hypercall(struct kvm_vcpu *vcpu)
{
	const struct kvm_sregs *s = &vcpu->arch.sregs;

	return (s->efer & EFER_LMA) && s->cs.l;
}

/* SVM's CPL is SS.DPL; real mode is CPL 0. */
static unsigned int kvm_cpl(struct kvm_vcpu *vcpu)
{
	const struct kvm_sregs *s = &vcpu->arch.sregs;

	return (s->cr0 & X86_CR0_PE) ? s->ss.dpl : 0;
}

/* The result in RAX (32 bits outside 64-bit mode), and on to the next instruction. */
static int kvm_finish_hypercall(struct kvm_vcpu *vcpu, u64 ret)
{
	struct kvm_regs *regs = &vcpu->arch.regs;

	regs->rax = is_64_bit_hypercall(vcpu) ? ret : (u32)ret;
	regs->rip += VMMCALL_LEN;
	return 1;
}

static int complete_hypercall_exit(struct kvm_vcpu *vcpu)
{
	return kvm_finish_hypercall(vcpu, vcpu->run->hypercall.ret);
}

/* MAP_GPA_RANGE: 1 with the answer in *@ret, or 0 and the exit, which @complete finishes. */
static int kvm_map_gpa_range(struct kvm_vcpu *vcpu, u64 gpa, u64 npages, u64 attrs,
			     bool op_64_bit, u64 *ret, int (*complete)(struct kvm_vcpu *vcpu))
{
	*ret = -KVM_ENOSYS;
	if (!user_exit_on_hypercall(vcpu->kvm, KVM_HC_MAP_GPA_RANGE))
		return 1;
	*ret = -KVM_EINVAL;
	if (!PAGE_ALIGNED(gpa) || !npages || gpa_to_gfn(gpa) + npages <= gpa_to_gfn(gpa))
		return 1;
	kvm_prepare_map_gpa_range_exit(vcpu, gpa, npages, attrs, op_64_bit);
	vcpu->arch.complete_userspace_io = complete;
	return 0;
}

int __kvm_emulate_hypercall(struct kvm_vcpu *vcpu, u64 nr, u64 a0, u64 a1, u64 a2,
			    bool op_64_bit, u64 *ret, int (*complete)(struct kvm_vcpu *vcpu))
{
	kvm_stat_inc(vcpu->stat.hypercalls);
	if (nr == KVM_HC_MAP_GPA_RANGE)
		return kvm_map_gpa_range(vcpu, a0, a1, a2, op_64_bit, ret, complete);
	*ret = -KVM_ENOSYS;
	return 1;
}

int kvm_emulate_hypercall(struct kvm_vcpu *vcpu)
{
	const struct kvm_regs *regs = &vcpu->arch.regs;
	u64 nr = regs->rax, a0 = regs->rbx, a1 = regs->rcx, a2 = regs->rdx, ret;
	bool op_64_bit = is_64_bit_hypercall(vcpu);

	if (!op_64_bit) {
		nr = (u32)nr;
		a0 = (u32)a0;
		a1 = (u32)a1;
		a2 = (u32)a2;
	}
	if (kvm_cpl(vcpu))
		return kvm_finish_hypercall(vcpu, -KVM_EPERM);
	if (!__kvm_emulate_hypercall(vcpu, nr, a0, a1, a2, op_64_bit, &ret,
				     complete_hypercall_exit))
		return 0;
	return kvm_finish_hypercall(vcpu, ret);
}
