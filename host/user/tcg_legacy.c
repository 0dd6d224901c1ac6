// SPDX-License-Identifier: GPL-2.0-only
/*
 * Real and protected mode (paging off) into the TCG engine: the hidden segment state
 * KVM_SET_SREGS gives, loaded the only way Unicorn 2.1.1 takes it.
 *
 * In 64-bit mode (every vCPU's Unicorn is opened so) a register write of CS, DS, ES or SS sets
 * the selector alone; only an instruction loads a hidden part.  So the engine runs a few
 * instructions of its own, from the state Unicorn had when it was opened (a CPU context saved
 * then: CPL 0, flat 32-bit code once paging is off): MOV DS, ES and SS from a descriptor
 * table made of KVM's hidden parts, then a far jump to the descriptor made of CS's.  The TLB
 * fill serves the stub page to every fetch while seg_loading, and the table (at TCG_SEG_VA)
 * to every other access; the far jump lands in a run of HLTs, wherever CS's base puts it, and
 * the code hook stops at the first HLT.
 *
 * The selectors the stub used become the guest's with register writes (the selector alone).
 * CR0 then takes the guest's value: clearing PE keeps the hidden parts, as on a CPU, so real
 * mode may start with any base (the reset state's CS at 0xffff0000, "unreal" limits).  The
 * x87/SSE state, MSRs and debug registers the context restore overwrote go back in from KVM's
 * copy before the entry (cpu_state_dirty).
 *
 * What a CPU could not load at CPL 0 is refused: CS or SS of another privilege level, an SS
 * that is not writable data, CS that is not code.  DS and ES that are not usable load as
 * usable data with their base and limit (the guest cannot tell until it uses them).
 */
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "tcg.h"

#define STUB_LOAD	0xe00		/* below it, HLTs */
#define STUB_LOAD_FAR	0xe40		/* the same, landing STUB_FAR_SKIP further */
#define STUB_FAR_SKIP	0x200
#define SEL_CODE	0x08		/* the stub's descriptor table: CS, DS, ES, SS */
#define SEL_DS		0x10
#define SEL_ES		0x18
#define SEL_SS		0x20
#define STUB_INSNS	16		/* the stub runs at most this many */
#define SEG_TYPE_CODE	0x8
#define SEG_TYPE_WRITE	0x2

static const u8 stub_load[] = {
	0x66, 0xb8, 0x10, 0x00, 0x8e, 0xd8,		/* mov ax, 0x10; mov ds, ax */
	0x66, 0xb8, 0x18, 0x00, 0x8e, 0xc0,		/* mov ax, 0x18; mov es, ax */
	0x66, 0xb8, 0x20, 0x00, 0x8e, 0xd0,		/* mov ax, 0x20; mov ss, ax */
	0xea, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00,	/* jmp far 8:0 */
};

static const u8 stub_invlpg[] = { 0x0f, 0x01, 0x38 };	/* invlpg [rax] (tcg_tlb.c) */

/* Called once Unicorn is open, before it ran anything: its reset state is the stub's. */
int tcg_legacy_init(struct tcg_vcpu *t)
{
	u32 far = STUB_FAR_SKIP;
	u8 *p;

	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!p)
		return -ENOMEM;
	if (uc_context_alloc(t->uc, &t->reset_ctx) || uc_context_save(t->uc, t->reset_ctx)) {
		free(p);
		return -ENOMEM;
	}
	memset(p, 0xf4, PAGE_SIZE);			/* hlt */
	memcpy(p + STUB_LOAD, stub_load, sizeof(stub_load));
	memcpy(p + STUB_LOAD_FAR, stub_load, sizeof(stub_load));
	memcpy(p + STUB_LOAD_FAR + sizeof(stub_load) - 6, &far, sizeof(far));
	memcpy(p + TCG_STUB_INVLPG, stub_invlpg, sizeof(stub_invlpg));
	t->stub_page = p;
	return 0;
}

void tcg_legacy_free(struct tcg_vcpu *t)
{
	if (t->reset_ctx)
		uc_context_free(t->reset_ctx);
	t->reset_ctx = NULL;
	free(t->stub_page);
	t->stub_page = NULL;
}

/* The stub from @eip until its HLT.  false if it faulted or did not get there. */
static bool tcg_stub_run(struct tcg_vcpu *t, u64 eip)
{
	uc_err err;

	t->seg_failed = false;
	t->seg_halted = false;
	err = uc_emu_start(t->uc, eip, 0, 0, STUB_INSNS);
	return !err && !t->seg_failed && t->seg_halted;
}

/* A data segment's descriptor; false if SS's could not be loaded at CPL 0. */
static bool tcg_stub_data(struct kvm_segment seg, bool ss, u64 *desc)
{
	if (!seg.present || seg.unusable) {
		seg.present = 1;
		seg.s = 1;
		seg.type = 3;
	}
	if (!seg.s || ((seg.type & SEG_TYPE_CODE) && !(seg.type & SEG_TYPE_WRITE)))
		return false;
	if (ss && (seg.dpl || (seg.type & SEG_TYPE_CODE) || !(seg.type & SEG_TYPE_WRITE)))
		return false;
	seg.dpl = 0;
	*desc = tcg_seg_desc(&seg);
	return true;
}

/* Unicorn as it was opened; what the guest changed of its CPU state first into KVM's copy. */
static void tcg_reset_cpu(struct tcg_vcpu *t)
{
	if (t->fresh)
		return;
	if (!t->vcpu->arch.cpu_state_dirty)
		tcg_sync_state(t->vcpu);
	uc_context_restore(t->uc, t->reset_ctx);
	t->vcpu->arch.cpu_state_dirty = true;
}

/*
 * CS, DS, ES and SS of @s into Unicorn, selectors included.  Leaves protected mode with
 * paging off and GDTR on the stub's table: the caller loads the guest's control registers,
 * tables and FS and GS next.  false: the state cannot be loaded.
 */
bool tcg_load_legacy_segs(struct tcg_vcpu *t, const struct kvm_sregs *s)
{
	uc_x86_mmr table = { .base = TCG_SEG_VA, .limit = SEL_SS + 7 };
	const struct kvm_segment *cs = &s->cs;
	uc_x86_msr efer = { .rid = MSR_EFER };
	u64 pe = X86_CR0_PE, pe_pg = X86_CR0_PE | X86_CR0_PG, eip, sel;
	u64 *d = t->seg_page;
	bool ok = false;

	if (!cs->s || !(cs->type & SEG_TYPE_CODE) || !cs->present || cs->dpl ||
	    !tcg_stub_data(s->ds, false, &d[SEL_DS / 8]) ||
	    !tcg_stub_data(s->es, false, &d[SEL_ES / 8]) ||
	    !tcg_stub_data(s->ss, true, &d[SEL_SS / 8]))
		return false;
	/* Where the jump to CS lands must be HLTs, and within CS's limit. */
	eip = STUB_LOAD;
	if ((cs->base & ~PAGE_MASK) >= STUB_LOAD) {
		if (cs->limit < STUB_FAR_SKIP)
			return false;
		eip = STUB_LOAD_FAR;
	}
	d[SEL_CODE / 8] = tcg_seg_desc(cs);

	tcg_reset_cpu(t);
	uc_ctl_flush_tlb(t->uc);
	t->seg_loading = true;
	/*
	 * Out of long mode, which Unicorn resets into with paging off: paging on, then off,
	 * leaves it.  Flat 32-bit protected mode, CPL 0.
	 */
	uc_reg_write(t->uc, UC_X86_REG_CR0, &pe_pg);
	uc_reg_write(t->uc, UC_X86_REG_CR0, &pe);
	uc_reg_write(t->uc, UC_X86_REG_MSR, &efer);
	uc_reg_write(t->uc, UC_X86_REG_GDTR, &table);
	if (!tcg_stub_run(t, eip))
		goto out;
	/* Each selector as the guest had it (a register write sets the selector alone). */
	sel = cs->selector;
	uc_reg_write(t->uc, UC_X86_REG_CS, &sel);
	sel = s->ds.selector;
	uc_reg_write(t->uc, UC_X86_REG_DS, &sel);
	sel = s->es.selector;
	uc_reg_write(t->uc, UC_X86_REG_ES, &sel);
	sel = s->ss.selector;
	uc_reg_write(t->uc, UC_X86_REG_SS, &sel);
	ok = true;
out:
	t->seg_loading = false;
	uc_ctl_flush_tlb(t->uc);
	return ok;
}
