// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TCG engine's share of the vCPU state that KVM_GET/SET_MSRS, KVM_GET/SET_FPU (and _XSAVE)
 * and KVM_GET/SET_DEBUGREGS reach: Unicorn holds the guest's MSRs, x87/SSE and debug
 * registers, which the guest changes without an exit.  KVM's copy (vcpu->arch.cpu_msrs, fpu,
 * db, dr6, dr7) goes in before an entry when the VMM set it (cpu_state_dirty), and comes
 * back when KVM asks (sync_state), as do the FS and GS bases KVM_GET_SREGS shows.
 */
#include <string.h>

#include <linux/kernel.h>
#include <linux/kvm_host.h>
#include <asm/msr-index.h>

#include "tcg.h"

#define X87_TAG_EMPTY		3

static int tcg_msr(struct tcg_vcpu *t, u32 index, u64 *v, bool write)
{
	uc_x86_msr msr = { .rid = index, .value = *v };
	int r;

	if (write)
		return uc_reg_write(t->uc, UC_X86_REG_MSR, &msr);
	r = uc_reg_read(t->uc, UC_X86_REG_MSR, &msr);
	*v = msr.value;
	return r;
}

static void tcg_cpu_msrs(struct tcg_vcpu *t, bool write)
{
	u64 *m = t->vcpu->arch.cpu_msrs;
	unsigned int i;

	for (i = 0; i < KVM_NR_CPU_MSRS; i++)
		tcg_msr(t, kvm_cpu_msrs[i], &m[i], write);
}

/* FXSAVE's abridged tag word (bit i: register i holds a value) and the x87's full one. */
static u64 tcg_full_tags(u8 ftwx)
{
	u64 tags = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (!(ftwx & BIT(i)))
			tags |= (u64)X87_TAG_EMPTY << (2 * i);
	return tags;
}

static u8 tcg_abridged_tags(u64 tags)
{
	unsigned int i;
	u8 ftwx = 0;

	for (i = 0; i < 8; i++)
		if (((tags >> (2 * i)) & 3) != X87_TAG_EMPTY)
			ftwx |= BIT(i);
	return ftwx;
}

/* Unicorn writes a register's own width into *@v: the caller's zero-extends. */
static void tcg_reg(struct tcg_vcpu *t, int id, void *v, bool write)
{
	if (write)
		uc_reg_write(t->uc, id, v);
	else
		uc_reg_read(t->uc, id, v);
}

static void tcg_fpu(struct tcg_vcpu *t, bool write)
{
	struct kvm_fpu *f = &t->vcpu->arch.fpu;
	u64 fcw = f->fcw, fsw = f->fsw, tags = tcg_full_tags(f->ftwx), fop = f->last_opcode;
	u64 mxcsr = f->mxcsr;
	unsigned int i;

	tcg_reg(t, UC_X86_REG_FPCW, &fcw, write);
	tcg_reg(t, UC_X86_REG_FPSW, &fsw, write);
	tcg_reg(t, UC_X86_REG_FPTAG, &tags, write);
	tcg_reg(t, UC_X86_REG_FOP, &fop, write);
	tcg_reg(t, UC_X86_REG_FIP, &f->last_ip, write);
	tcg_reg(t, UC_X86_REG_FDP, &f->last_dp, write);
	tcg_reg(t, UC_X86_REG_MXCSR, &mxcsr, write);
	for (i = 0; i < 8; i++)
		tcg_reg(t, UC_X86_REG_ST0 + i, f->fpr[i], write);
	for (i = 0; i < 16; i++)
		tcg_reg(t, UC_X86_REG_XMM0 + i, f->xmm[i], write);
	if (write)
		return;
	f->fcw = fcw;
	f->fsw = fsw;
	f->ftwx = tcg_abridged_tags(tags);
	f->last_opcode = fop;
	f->mxcsr = mxcsr;
}

/* DR0-DR3, DR6 and DR7. */
static void tcg_debugregs(struct tcg_vcpu *t, bool write)
{
	struct kvm_vcpu_arch *a = &t->vcpu->arch;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(a->db); i++)
		tcg_reg(t, UC_X86_REG_DR0 + i, &a->db[i], write);
	tcg_reg(t, UC_X86_REG_DR6, &a->dr6, write);
	tcg_reg(t, UC_X86_REG_DR7, &a->dr7, write);
}

/* KVM's copy into Unicorn, before an entry, when the VMM set it. */
void tcg_load_cpu_state(struct tcg_vcpu *t)
{
	if (!t->vcpu->arch.cpu_state_dirty)
		return;
	tcg_cpu_msrs(t, true);
	tcg_fpu(t, true);
	tcg_debugregs(t, true);
	t->vcpu->arch.cpu_state_dirty = false;
}

/* Unicorn's state into KVM's copy; a base the VMM set since the last entry stays the VMM's. */
void tcg_sync_state(struct kvm_vcpu *vcpu)
{
	struct tcg_vcpu *t = vcpu->arch.engine_data;
	struct kvm_sregs *s = &vcpu->arch.sregs;
	u64 fs = 0, gs = 0;

	if (!t->uc)
		return;		/* never ran: KVM's copy is the state */
	tcg_sync_regs(vcpu);
	tcg_cpu_msrs(t, false);
	tcg_fpu(t, false);
	tcg_debugregs(t, false);
	tcg_msr(t, MSR_FS_BASE, &fs, false);
	tcg_msr(t, MSR_GS_BASE, &gs, false);
	if (s->fs.base == t->loaded.fs.base)
		s->fs.base = t->loaded.fs.base = fs;
	if (s->gs.base == t->loaded.gs.base)
		s->gs.base = t->loaded.gs.base = gs;
}
