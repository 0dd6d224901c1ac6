// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU state a VMM saves and restores beyond the registers: KVM_GET/SET_XSAVE (x87 and
 * SSE, the only XSAVE components offered, in the standard format), KVM_GET/SET_DEBUGREGS,
 * and KVM_CAP_SYNC_REGS, the registers, segments and events kvm_run->s carries both ways
 * around a KVM_RUN, as upstream's x86.c does.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include "x86.h"

/* The XSAVE area's legacy region and header, as the SDM lays them out. */
#define XSAVE_FCW		0
#define XSAVE_FSW		2
#define XSAVE_FTW		4
#define XSAVE_FOP		6
#define XSAVE_FIP		8
#define XSAVE_FDP		16
#define XSAVE_MXCSR		24
#define XSAVE_MXCSR_MASK	28
#define XSAVE_ST		32
#define XSAVE_XMM		160
#define XSAVE_HDR		512
#define XSAVE_HDR_XCOMP		(XSAVE_HDR + 8)
#define XSAVE_HDR_RSVD		(XSAVE_HDR + 16)
#define XSAVE_HDR_END		576

#define XFEATURE_FP		BIT_ULL(0)
#define XFEATURE_SSE		BIT_ULL(1)

/* MXCSR's defined bits, and the x87 state XRSTOR gives a component it finds not in use. */
#define MXCSR_VALID		0xffff
#define X87_FCW_INIT		0x37f

static void xsave_from_fpu(u8 *x, const struct kvm_fpu *f)
{
	u32 mask = MXCSR_VALID;
	u64 bv = XFEATURE_FP | XFEATURE_SSE;

	memcpy(x + XSAVE_FCW, &f->fcw, 2);
	memcpy(x + XSAVE_FSW, &f->fsw, 2);
	x[XSAVE_FTW] = f->ftwx;
	memcpy(x + XSAVE_FOP, &f->last_opcode, 2);
	memcpy(x + XSAVE_FIP, &f->last_ip, 8);
	memcpy(x + XSAVE_FDP, &f->last_dp, 8);
	memcpy(x + XSAVE_MXCSR, &f->mxcsr, 4);
	memcpy(x + XSAVE_MXCSR_MASK, &mask, 4);
	memcpy(x + XSAVE_ST, f->fpr, sizeof(f->fpr));
	memcpy(x + XSAVE_XMM, f->xmm, sizeof(f->xmm));
	memcpy(x + XSAVE_HDR, &bv, 8);
}

/*
 * As XRSTOR takes the area (and upstream's checks before it): components not in XSTATE_BV
 * are given their initial state, MXCSR comes with either.  false: a header or MXCSR that
 * XRSTOR would refuse.
 */
static bool xsave_to_fpu(const u8 *x, struct kvm_fpu *f)
{
	u64 bv, xcomp;
	u32 mxcsr;

	memcpy(&bv, x + XSAVE_HDR, 8);
	memcpy(&xcomp, x + XSAVE_HDR_XCOMP, 8);
	memcpy(&mxcsr, x + XSAVE_MXCSR, 4);
	if ((bv & ~(XFEATURE_FP | XFEATURE_SSE)) || xcomp ||
	    memchr_inv(x + XSAVE_HDR_RSVD, 0, XSAVE_HDR_END - XSAVE_HDR_RSVD))
		return false;
	if (!bv)
		goto x87_init;
	if (mxcsr & ~MXCSR_VALID)
		return false;
	f->mxcsr = mxcsr;
	if (bv & XFEATURE_SSE)
		memcpy(f->xmm, x + XSAVE_XMM, sizeof(f->xmm));
	else
		memset(f->xmm, 0, sizeof(f->xmm));
	if (!(bv & XFEATURE_FP))
		goto x87_init;
	memcpy(&f->fcw, x + XSAVE_FCW, 2);
	memcpy(&f->fsw, x + XSAVE_FSW, 2);
	f->ftwx = x[XSAVE_FTW];
	memcpy(&f->last_opcode, x + XSAVE_FOP, 2);
	memcpy(&f->last_ip, x + XSAVE_FIP, 8);
	memcpy(&f->last_dp, x + XSAVE_FDP, 8);
	memcpy(f->fpr, x + XSAVE_ST, sizeof(f->fpr));
	return true;

x87_init:
	if (!(bv & XFEATURE_SSE))
		memset(f->xmm, 0, sizeof(f->xmm));
	f->fcw = X87_FCW_INIT;
	f->fsw = 0;
	f->ftwx = 0;
	f->last_opcode = 0;
	f->last_ip = 0;
	f->last_dp = 0;
	memset(f->fpr, 0, sizeof(f->fpr));
	return true;
}

long kvm_vcpu_ioctl_xsave(struct kvm_vcpu *vcpu, void __user *argp, bool write)
{
	struct kvm_fpu fpu;
	long r = 0;
	u8 *x;

	if (vcpu->arch.guest_state_protected)
		return -EINVAL;
	x = kzalloc(sizeof(struct kvm_xsave), GFP_KERNEL_ACCOUNT);
	if (!x)
		return -ENOMEM;
	/* The state an engine holds comes back first: a restore keeps what it does not set. */
	kvm_cpu_state_sync(vcpu);
	if (!write) {
		xsave_from_fpu(x, &vcpu->arch.fpu);
		if (copy_to_user(argp, x, sizeof(struct kvm_xsave)))
			r = -EFAULT;
		goto out;
	}
	if (copy_from_user(x, argp, sizeof(struct kvm_xsave))) {
		r = -EFAULT;
		goto out;
	}
	fpu = vcpu->arch.fpu;
	if (!xsave_to_fpu(x, &fpu)) {
		r = -EINVAL;
		goto out;
	}
	vcpu->arch.fpu = fpu;
	vcpu->arch.cpu_state_dirty = true;
out:
	kfree(x);
	return r;
}

long kvm_vcpu_ioctl_debugregs(struct kvm_vcpu *vcpu, void __user *argp, bool write)
{
	struct kvm_debugregs d;

	if (vcpu->arch.guest_state_protected)
		return -EINVAL;
	kvm_cpu_state_sync(vcpu);
	if (!write) {
		memset(&d, 0, sizeof(d));
		memcpy(d.db, vcpu->arch.db, sizeof(d.db));
		d.dr6 = vcpu->arch.dr6;
		d.dr7 = vcpu->arch.dr7;
		return copy_to_user(argp, &d, sizeof(d)) ? -EFAULT : 0;
	}
	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	/* DR6's and DR7's upper halves are reserved: a MOV of one set is #GP. */
	if (d.flags || (d.dr6 >> 32) || (d.dr7 >> 32))
		return -EINVAL;
	memcpy(vcpu->arch.db, d.db, sizeof(d.db));
	vcpu->arch.dr6 = d.dr6;
	vcpu->arch.dr7 = d.dr7;
	vcpu->arch.cpu_state_dirty = true;
	return 0;
}

/*
 * KVM_RUN's entry: the sets kvm_run->kvm_dirty_regs names become the vCPU's, each checked as
 * its ioctl checks it.  The run page is userspace's and may change under KVM: each set is
 * copied once, and only the copy is checked and used.
 */
int kvm_sync_regs_from_run(struct kvm_vcpu *vcpu)
{
	struct kvm_sync_regs *s = &vcpu->run->s.regs;
	u64 dirty = READ_ONCE(vcpu->run->kvm_dirty_regs);
	struct kvm_vcpu_events ev;
	struct kvm_sregs sregs;

	if (!dirty)
		return 0;
	if (vcpu->arch.guest_state_protected && (dirty & (KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS)))
		return -EINVAL;
	if (dirty & KVM_SYNC_X86_REGS) {
		memcpy(&vcpu->arch.regs, &s->regs, sizeof(vcpu->arch.regs));
		vcpu->run->kvm_dirty_regs &= ~KVM_SYNC_X86_REGS;
	}
	if (dirty & KVM_SYNC_X86_SREGS) {
		memcpy(&sregs, &s->sregs, sizeof(sregs));
		if (!kvm_is_valid_sregs(vcpu, &sregs))
			return -EINVAL;
		vcpu->arch.sregs = sregs;
		vcpu->run->kvm_dirty_regs &= ~KVM_SYNC_X86_SREGS;
	}
	if (dirty & KVM_SYNC_X86_EVENTS) {
		memcpy(&ev, &s->events, sizeof(ev));
		if (kvm_set_vcpu_events(vcpu, &ev))
			return -EINVAL;
		vcpu->run->kvm_dirty_regs &= ~KVM_SYNC_X86_EVENTS;
	}
	return 0;
}

/* KVM_RUN's return: the sets kvm_run->kvm_valid_regs names, as KVM_GET_* would give them. */
void kvm_store_regs_to_run(struct kvm_vcpu *vcpu)
{
	struct kvm_sync_regs *s = &vcpu->run->s.regs;
	u64 valid = READ_ONCE(vcpu->run->kvm_valid_regs);

	if (!vcpu->arch.guest_state_protected && (valid & KVM_SYNC_X86_REGS))
		s->regs = vcpu->arch.regs;
	if (!vcpu->arch.guest_state_protected && (valid & KVM_SYNC_X86_SREGS)) {
		kvm_cpu_state_sync(vcpu);
		s->sregs = vcpu->arch.sregs;
	}
	if (valid & KVM_SYNC_X86_EVENTS)
		kvm_get_vcpu_events(vcpu, &s->events);
}
