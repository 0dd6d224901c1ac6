// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exception delivery for the TCG engine: what the CPU does between an instruction raising an
 * exception and the first instruction of its handler, in 64-bit mode (Unicorn reports an
 * exception to the engine instead of delivering it).
 *
 * The gate comes from the guest's IDT, the stack from RSP (or the TSS's IST slot or RSP0), the
 * frame is SS, RSP, RFLAGS, CS, RIP and the error code, and each of those accesses is the
 * guest's like any other: through its page tables and the nested page table.  An access the
 * nested page table does not allow yet is an NPF exit; the event stays pending and is
 * delivered when KVM resumes the vCPU, as the hardware's EXITINTINFO does.  An exception
 * while delivering another becomes #DF, or the next one, by the SDM's table of classes; one
 * while delivering #DF is a triple fault: KVM_EXIT_SHUTDOWN.
 *
 * Unicorn does not tell which error code it would push for an exception it raises itself
 * (#GP from a privileged instruction, say): those push 0.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/kvm_host.h>
#include <asm/processor-flags.h>

#include "tcg.h"

#define IDT_GATE_SIZE		16
#define IDT_TYPE_INTR		0xe
#define IDT_TYPE_TRAP		0xf
#define TSS_RSP0		4
#define TSS_IST1		0x24
/* An error code's "external event" and "the selector is an IDT index" bits. */
#define ERR_EXT			BIT(0)
#define ERR_IDT			BIT(1)

void tcg_raise(struct tcg_vcpu *t, unsigned int vector, bool has_error, u32 error_code)
{
	t->event = (struct tcg_event){ .pending = true, .vector = vector,
				       .has_error = has_error, .error_code = error_code };
}

void tcg_raise_pf(struct tcg_vcpu *t, u64 vaddr, u32 error_code)
{
	tcg_raise(t, X86_PF_VECTOR, true, error_code);
	t->event.cr2 = vaddr;
}

/* The exceptions that push an error code (the SDM's table 6-1). */
static bool tcg_vector_has_error(unsigned int vector)
{
	switch (vector) {
	case X86_DF_VECTOR: case X86_TS_VECTOR: case X86_NP_VECTOR: case X86_SS_VECTOR:
	case X86_GP_VECTOR: case X86_PF_VECTOR: case X86_AC_VECTOR: case X86_CP_VECTOR:
	case X86_VC_VECTOR:
		return true;
	}
	return false;
}

static bool tcg_contributory(unsigned int vector)
{
	return vector == X86_DE_VECTOR || (vector >= X86_TS_VECTOR && vector <= X86_GP_VECTOR);
}

/*
 * An event delivery's own access to guest memory (supervisor, implicit).  0: done; 1: an NPF
 * exit is in t->exit; -1: a guest exception, in *@fault.
 */
static int tcg_event_access(struct tcg_vcpu *t, u64 gva, void *buf, unsigned int len,
			    bool write, struct tcg_event *fault)
{
	struct tcg_event saved = t->event;
	unsigned int n;
	u8 *host;

	while (len) {
		n = min_t(u64, len, PAGE_SIZE - (gva & ~PAGE_MASK));
		t->npf.pending = false;
		host = tcg_access(t, gva, write ? UC_MEM_WRITE : UC_MEM_READ, true, NULL);
		if (!host && t->npf.pending) {
			tcg_take_npf(t);
			return 1;
		}
		if (!host) {
			/* tcg_access() raised into t->event: hand it back as the nested fault. */
			*fault = t->event;
			t->event = saved;
			return -1;
		}
		if (write)
			memcpy(host + (gva & ~PAGE_MASK), buf, n);
		else
			memcpy(buf, host + (gva & ~PAGE_MASK), n);
		gva += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/* The stack the handler gets: IST slot @ist of the TSS, RSP0 on a CPL change, else RSP. */
static int tcg_event_stack(struct tcg_vcpu *t, unsigned int ist, u64 *rsp,
			   struct tcg_event *fault)
{
	uc_x86_mmr tr;
	u64 cs = 0;		/* Unicorn writes the selector's 16 bits only */

	uc_reg_read(t->uc, UC_X86_REG_CS, &cs);
	if (!ist && !(cs & 3))
		return 0;
	uc_reg_read(t->uc, UC_X86_REG_TR, &tr);
	return tcg_event_access(t, tr.base + (ist ? TSS_IST1 + 8 * (ist - 1) : TSS_RSP0), rsp,
				sizeof(*rsp), false, fault);
}

/* Push t->event's frame and enter its handler.  0, 1 and -1 as tcg_event_access(). */
static int tcg_push_event(struct tcg_vcpu *t, struct tcg_event *fault)
{
	struct kvm_vcpu_arch *a = &t->vcpu->arch;
	struct tcg_event *ev = &t->event;
	u32 sel_err = ev->vector * 8 + ERR_IDT + ERR_EXT;
	u64 gate[2], frame[6], *f = frame, rsp, cs = 0, ss = 0, handler;
	unsigned int type, n;
	uc_x86_mmr idt;
	int r;

	uc_reg_read(t->uc, UC_X86_REG_IDTR, &idt);
	if (ev->vector * IDT_GATE_SIZE + IDT_GATE_SIZE - 1 > idt.limit)
		goto gp;
	r = tcg_event_access(t, idt.base + ev->vector * IDT_GATE_SIZE, gate, sizeof(gate), false,
			     fault);
	if (r)
		return r;
	type = (gate[0] >> 40) & 0xf;
	if (type != IDT_TYPE_INTR && type != IDT_TYPE_TRAP)
		goto gp;
	if (!(gate[0] & BIT_ULL(47))) {
		*fault = (struct tcg_event){ .pending = true, .vector = X86_NP_VECTOR,
					     .has_error = true, .error_code = sel_err };
		return -1;
	}
	handler = (gate[0] & 0xffff) | ((gate[0] >> 32) & 0xffff0000) | (gate[1] << 32);

	rsp = a->regs.rsp;
	r = tcg_event_stack(t, (gate[0] >> 32) & 7, &rsp, fault);
	if (r)
		return r;
	uc_reg_read(t->uc, UC_X86_REG_CS, &cs);
	uc_reg_read(t->uc, UC_X86_REG_SS, &ss);
	/* The frame, lowest address first; the CPU aligns the new stack to 16 bytes. */
	if (ev->has_error)
		*f++ = ev->error_code;
	*f++ = a->regs.rip;
	*f++ = cs;
	*f++ = a->regs.rflags;
	*f++ = a->regs.rsp;
	*f++ = ss;
	n = f - frame;
	rsp = (rsp & ~15ull) - n * sizeof(u64);
	r = tcg_event_access(t, rsp, frame, n * sizeof(u64), true, fault);
	if (r)
		return r;

	a->regs.rsp = rsp;
	a->regs.rip = handler;
	a->regs.rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF | X86_EFLAGS_VM);
	if (type == IDT_TYPE_INTR)
		a->regs.rflags &= ~X86_EFLAGS_IF;
	a->sregs.cs.selector = (gate[0] >> 16) & 0xffff;
	if (cs & 3)
		a->sregs.ss.selector = 0;	/* to CPL 0: a null SS */
	if (ev->vector == X86_PF_VECTOR)
		a->sregs.cr2 = ev->cr2;
	return 0;

gp:
	*fault = (struct tcg_event){ .pending = true, .vector = X86_GP_VECTOR, .has_error = true,
				     .error_code = sel_err };
	return -1;
}

/*
 * Deliver t->event.  0: the guest goes on in its handler; 1: an exit is in t->exit (an NPF
 * on the way, the event still pending; or a triple fault).
 */
int tcg_deliver(struct tcg_vcpu *t)
{
	struct tcg_event *ev = &t->event, fault;
	unsigned int first;
	int r;

	if (!ev->has_error && !ev->external && tcg_vector_has_error(ev->vector))
		ev->has_error = true;	/* one Unicorn raised: its code is not known, 0 */
	for (;;) {
		r = tcg_push_event(t, &fault);
		if (r >= 0) {
			ev->pending = r;
			return r;
		}
		first = ev->vector;
		if (first == X86_DF_VECTOR) {
			ev->pending = false;
			t->exit->reason = KVM_EXEC_EXIT_SHUTDOWN;
			return 1;
		}
		if ((tcg_contributory(first) || first == X86_PF_VECTOR) &&
		    (tcg_contributory(fault.vector) || fault.vector == X86_PF_VECTOR) &&
		    !(tcg_contributory(first) && fault.vector == X86_PF_VECTOR))
			fault = (struct tcg_event){ .pending = true, .vector = X86_DF_VECTOR,
						    .has_error = true };
		*ev = fault;
	}
}
