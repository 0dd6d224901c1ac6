// SPDX-License-Identifier: GPL-2.0-only
/*
 * What Unicorn's TLB holds, so that a zap takes out only the pages that mapped what went.
 *
 * Unicorn 2.1.1's one TLB control empties the whole TLB (and with it the jump cache of
 * every translated block), after which the guest refills its code, stack and data pages one
 * fill at a time: a conversion per page would pay that each time.  INVLPG, the guest's own
 * per-page flush, is the only way into QEMU's: so the engine runs one.  The fill notes every
 * guest page it hands out and the gfn behind it (tcg_tlb_note()); a zap of a gfn the table
 * names leaves its pages for the next entry, which starts at a stub of the engine's own
 * instead of the guest's RIP: INVLPG [RAX] at TCG_STUB_VA, once per page, the code hook
 * moving RAX on to the next page and at last putting the guest's RAX and RIP back, and the
 * guest goes on in the same uc_emu_start() (a stub run of its own would cost as much as the
 * full flush).  TCG_STUB_VA is not canonical: no guest access can reach it (the walk and the
 * code hook raise #GP for one), so the TLB entry the stub's fetch leaves there changes
 * nothing the guest sees.
 *
 * The table may hold more than the TLB (entries the TLB lost since), never less: when it
 * could not note a page (full, or an MMIO page), when a page-table page went, outside
 * 64-bit mode at CPL 0, or when the stub was stopped before its end, the whole TLB goes.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <asm/processor-flags.h>

#include "tcg.h"

/* The gfn the fill just handed out @vaddr for (@gpa, from tcg_access()). */
void tcg_tlb_note(struct tcg_vcpu *t, u64 vaddr, u64 gpa)
{
	struct tcg_fill f = { .vpage = vaddr & PAGE_MASK, .gfn = gpa_to_gfn(gpa) };
	unsigned int i;

	for (i = 0; i < t->nr_fills; i++)
		if (t->fills[i].vpage == f.vpage)
			break;
	if (i == TCG_FILLS) {
		t->fills_lost = true;
		return;
	}
	t->fills[i] = f;
	if (i == t->nr_fills)
		t->nr_fills++;
}

/*
 * Move the pages that map what the zaps since generation t->npt_gen took away from the table
 * to those the next entry takes out; under mmu_lock, with tcg_zapped()'s view.  false if only
 * a full flush will do (@targeted false: KVM's log does not cover the zaps, or a page-table
 * page went).
 */
bool tcg_tlb_zapped(struct tcg_vcpu *t, bool targeted)
{
	unsigned int i, kept = 0;

	lockdep_assert_held(&t->vcpu->kvm->arch.mmu_lock);
	if (!targeted || t->fills_lost)
		return false;
	for (i = 0; i < t->nr_fills; i++) {
		if (!tcg_zapped(t, t->fills[i].gfn, true))
			t->fills[kept++] = t->fills[i];
		else if (t->nr_invlpg < TCG_FILLS)
			t->invlpg[t->nr_invlpg++] = t->fills[i].vpage;
		else
			return false;
	}
	t->nr_fills = kept;
	return true;
}

void tcg_tlb_flush_all(struct tcg_vcpu *t)
{
	uc_ctl_flush_tlb(t->uc);
	t->nr_fills = 0;
	t->fills_lost = false;
	t->nr_invlpg = 0;
}

/* Whether the stub can run in the state the guest enters with: 64-bit code at CPL 0, no trap. */
static bool tcg_tlb_stub_ok(struct tcg_vcpu *t)
{
	const struct kvm_sregs *s = &t->vcpu->arch.sregs;
	u64 dr7 = ~0ull;

	uc_reg_read(t->uc, UC_X86_REG_DR7, &dr7);
	return (s->efer & EFER_LMA) && s->cs.l && !(s->cs.selector & 3) && !s->cs.dpl &&
	       !(t->vcpu->arch.regs.rflags & X86_EFLAGS_TF) && !(dr7 & 0xff);
}

/* Where the entry starts, the guest's state loaded: the stub, if pages wait for it. */
u64 tcg_tlb_entry(struct tcg_vcpu *t)
{
	u64 rip = t->vcpu->arch.regs.rip;

	if (!t->nr_invlpg)
		return rip;
	if (!tcg_tlb_stub_ok(t)) {
		tcg_tlb_flush_all(t);
		return rip;
	}
	t->stub_rax = t->vcpu->arch.regs.rax;
	t->stub_rip = rip;
	t->stub_next = 1;
	t->stub_entry = true;
	uc_reg_write(t->uc, UC_X86_REG_RAX, &t->invlpg[0]);
	return TCG_STUB_VA + TCG_STUB_INVLPG;
}

/* The code hook, at @addr while the stub runs: after each INVLPG, the next page or the guest. */
void tcg_tlb_stub_step(struct tcg_vcpu *t, u64 addr)
{
	u64 stub = TCG_STUB_VA + TCG_STUB_INVLPG;

	if (addr == stub)
		return;
	if (t->stub_next < t->nr_invlpg) {
		uc_reg_write(t->uc, UC_X86_REG_RAX, &t->invlpg[t->stub_next++]);
		uc_reg_write(t->uc, UC_X86_REG_RIP, &stub);
		return;
	}
	t->stub_entry = false;
	t->nr_invlpg = 0;
	uc_reg_write(t->uc, UC_X86_REG_RAX, &t->stub_rax);
	uc_reg_write(t->uc, UC_X86_REG_RIP, &t->stub_rip);
}

/* Unicorn returned: a stub stopped before its end (a kick) leaves the guest where it was. */
void tcg_tlb_exit(struct tcg_vcpu *t)
{
	if (likely(!t->stub_entry))
		return;
	t->stub_entry = false;
	uc_reg_write(t->uc, UC_X86_REG_RAX, &t->stub_rax);
	uc_reg_write(t->uc, UC_X86_REG_RIP, &t->stub_rip);
	tcg_tlb_flush_all(t);
}
