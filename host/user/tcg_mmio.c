// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO emulation for the TCG engine (kvm_exec_ops.emulate_mmio; arch/x86/kvm/mmio.c drives
 * it).  The instruction that touched a gpa no memory backs runs once more, alone, with that
 * gpa's page translated to TCG_MMIO, a Unicorn MMIO region whose callbacks see the access:
 * a write is recorded and the instruction completes; a read with no answer yet is recorded and
 * the instruction is undone (its registers were never saved back: the next entry loads the
 * vCPU's as they were), and runs again with the VMM's answer.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/kvm_host.h>

#include "tcg.h"

/*
 * Record an access at @offset of the page: a new one, or the next part of one Unicorn splits
 * (its MMIO regions take at most 4 bytes at a time).  false: a second access.
 */
static bool tcg_mmio_record(struct tcg_vcpu *t, uint64_t offset, unsigned int size, bool write)
{
	struct kvm_exec_mmio *m = t->mmio.m;
	u64 gpa = t->mmio.page + offset;

	if (!m->len) {
		m->gpa = gpa;
		m->write = write;
	} else if (m->write != write || gpa != m->gpa + m->len) {
		return false;
	}
	if (m->len + size > sizeof(m->data))
		return false;
	m->len += size;
	return true;
}

static uint64_t tcg_mmio_read(uc_engine *uc, uint64_t offset, unsigned int size, void *opaque)
{
	struct tcg_vcpu *t = opaque;
	struct kvm_exec_mmio *m = t->mmio.m;
	u64 v = 0, pos;

	if (t->mmio.ro_host) {
		memcpy(&v, t->mmio.ro_host + offset, min_t(u64, size, sizeof(v)));
		return v;
	}
	if (m->has_data) {
		/* The VMM's answer, part by part. */
		pos = t->mmio.page + offset - m->gpa;
		if (pos != t->mmio.consumed || pos + size > m->len) {
			t->mmio.bad = true;
			return 0;
		}
		memcpy(&v, m->data + pos, size);
		t->mmio.consumed += size;
		if (t->mmio.consumed == m->len) {
			m->has_data = false;
			m->len = 0;
		}
		return v;
	}
	if (!tcg_mmio_record(t, offset, size, false))
		t->mmio.bad = true;
	/* The instruction finishes, with 0; it is undone. */
	uc_emu_stop(uc);
	return 0;
}

static void tcg_mmio_write(uc_engine *uc, uint64_t offset, unsigned int size, uint64_t value,
			   void *opaque)
{
	struct tcg_vcpu *t = opaque;
	struct kvm_exec_mmio *m = t->mmio.m;
	u8 pos = m->len;

	if (!tcg_mmio_record(t, offset, size, true)) {
		t->mmio.bad = true;
		return;
	}
	memcpy(m->data + pos, &value, size);
}

int tcg_mmio_init(struct tcg_vcpu *t)
{
	return uc_mmio_map(t->uc, TCG_MMIO, PAGE_SIZE, tcg_mmio_read, t, tcg_mmio_write, t) ?
	       -ENOMEM : 0;
}

/*
 * A TLB fill found no translation (the NPF in t->npf): if that is the page being emulated,
 * the access goes to TCG_MMIO.
 */
bool tcg_mmio_fill(struct tcg_vcpu *t, uc_tlb_entry *res)
{
	struct kvm_npt_entry e;
	bool private;

	if ((t->npf.gpa & PAGE_MASK) != t->mmio.page)
		return false;
	/* A read-only memslot: reads come from its memory, only writes are MMIO. */
	t->mmio.ro_host = tcg_translate(t, t->mmio.page, false, false, &e, &private);
	res->paddr = TCG_MMIO;
	res->perms = UC_PROT_READ | UC_PROT_WRITE;
	return true;
}

int tcg_emulate_mmio(struct kvm_vcpu *vcpu, struct kvm_exec_mmio *m)
{
	struct tcg_vcpu *t = vcpu->arch.engine_data;
	struct kvm_exec_exit scratch = {};
	bool read_data = m->has_data;
	uc_err err;

	tcg_sync_regs(vcpu);
	t->exit = &scratch;
	t->mmio = (struct tcg_mmio){ .active = true, .page = m->gpa & PAGE_MASK, .m = m };
	if (!read_data)
		m->len = 0;
	t->npf.pending = false;
	t->stopped = false;
	/*
	 * As any entry: translations that went since the exit (a memslot deleted under the
	 * VMM's answer) must not be used, and a shootdown must wait for this one instruction.
	 */
	tcg_guest_begin(t, TCG_IN_MMIO, false);
	tcg_load(t);
	/* The access's poisoned translation goes; the MMIO one goes after. */
	uc_ctl_flush_tlb(t->uc);
	err = uc_emu_start(t->uc, vcpu->arch.regs.rip, 0, 0, 0);
	tcg_guest_end(t);
	t->mmio.active = false;
	uc_ctl_flush_tlb(t->uc);
	tcg_itlb_flush(t);
	/* A read waiting for its data: the instruction is undone. */
	if (!t->mmio.bad && m->len && !m->write && !read_data)
		return 0;
	/*
	 * Anything else the instruction met (another NPF, a stop of the code hook's) is not
	 * emulated here; an exception is the guest's (delivered on the next entry).
	 */
	if (t->mmio.bad || (read_data && m->has_data) ||
	    (!t->event.pending && (err != UC_ERR_OK || t->stopped)))
		return -EOPNOTSUPP;
	tcg_save(t);
	if (!m->write)
		m->len = 0;
	return 0;
}
