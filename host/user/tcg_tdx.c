// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TCG engine's TD vCPUs: TDCALL, which a TD's CPU hands to the TDX module, and the S-EPT
 * check the CPU makes on each private access, whose pending page (AUG'd by the host, not yet
 * accepted by the TD) is #VE, with the exit information TDG.VP.VEINFO.GET gives once.
 *
 *   TDG.VP.VMCALL        the exposed R10-R15 (RCX's mask) go to KVM as the TDVMCALL exit
 *                        (vcpu->arch.tdvmcall); its answer is back in them on the next entry
 *   TDG.VP.INFO          GPAW, ATTRIBUTES, the vCPU count and this vCPU's index
 *   TDG.VP.VEINFO.GET    the last #VE's exit reason, qualification, GLA and GPA
 *   TDG.MEM.PAGE.ACCEPT  the module's tdg_mem_page_accept(); a GPA with no S-EPT entry yet is
 *                        an EPT violation, whose fault KVM answers by AUG, then TDCALL again
 *   TDG.MR.RTMR.EXTEND   the 48 bytes at RCX into RTMR[RDX]
 *   TDG.MR.REPORT        the module's TDREPORT_STRUCT with the REPORTDATA at RDX, to RCX;
 *                        both private pages the TD accepted (else an operand error)
 *
 * A TD whose ATTRIBUTES ask for no #VE on a pending page (SEPT_VE_DISABLE) takes the EPT
 * violation to KVM instead.  The instructions a TD asks the VMM for instead (IN/OUT, HLT,
 * CPUID, RDMSR/WRMSR of an MSR its CPU does not hold) are #VE too (tcg.c's code hook).
 */
#include <stddef.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <asm/tdx.h>

#include "tcg.h"

#define TDCALL_LEN		4	/* 66 0f 01 cc */
/* EPT violation exit qualification: the access, and a linear address that caused it. */
#define EPT_QUAL_READ		BIT_ULL(0)
#define EPT_QUAL_WRITE		BIT_ULL(1)
#define EPT_QUAL_FETCH		BIT_ULL(2)
#define EPT_QUAL_GLA_VALID	BIT_ULL(7)
#define EPT_QUAL_GLA_FINAL	BIT_ULL(8)

/*
 * #VE, with what TDG.VP.VEINFO.GET will say about it (@insn_len: the instruction's, for a
 * handler that emulates it and moves on; 0 for an EPT violation, as the engine does not
 * decode the access's instruction).
 */
void tcg_tdx_ve(struct tcg_vcpu *t, u32 reason, u64 qual, u64 gla, u64 gpa, u32 insn_len)
{
	t->ve = (struct tcg_ve){ .valid = true, .reason = reason, .qual = qual, .gla = gla,
				 .gpa = gpa, .insn_len = insn_len };
	tcg_raise(t, X86_VE_VECTOR, false, 0);
}

/*
 * A private access (@npf_err: the NPF's bits; @final: to the page itself, not a page table)
 * found @gpa's page pending: #VE raised, or the EPT violation recorded.  false if it is not.
 */
bool tcg_tdx_pending(struct tcg_vcpu *t, u64 vaddr, u64 gpa, u64 npf_err, bool final,
		     const struct kvm_npt_entry *e)
{
	const struct kvm_x86_hw *hw = &t->vcpu->kvm->arch.hw;
	u64 qual = EPT_QUAL_GLA_VALID | (final ? EPT_QUAL_GLA_FINAL : 0);

	if (!hw->tdx || !e->private || !tdx_sept_pending(hw->tdr_pa, gpa & PAGE_MASK))
		return false;
	/*
	 * No #VE when the TD asked for none, or while the last one's information is still
	 * unread (a #VE while delivering a #VE, say): the module exits to the host instead.
	 */
	if ((hw->td_attributes & TDX_ATTR_SEPT_VE_DISABLE) || t->ve.valid) {
		tcg_npf(t, gpa, true, npf_err, final, e);
		return true;
	}
	if (npf_err & PFERR_FETCH_MASK)
		qual |= EPT_QUAL_FETCH;
	else if (npf_err & PFERR_WRITE_MASK)
		qual |= EPT_QUAL_WRITE;
	else
		qual |= EPT_QUAL_READ;
	tcg_tdx_ve(t, EXIT_REASON_EPT_VIOLATION, qual, vaddr, gpa, 0);
	return true;
}

/* R10-R15, in struct kvm_regs and in the TDVMCALL block alike. */
static u64 *tcg_td_vmcall_reg(struct kvm_vcpu_arch *a, bool kvm_side, unsigned int i)
{
	BUILD_BUG_ON(offsetof(struct kvm_regs, r15) - offsetof(struct kvm_regs, r10) != 5 * 8);
	BUILD_BUG_ON(sizeof(a->tdvmcall) != 6 * 8);
	return (kvm_side ? &a->tdvmcall.r10 : &a->regs.r10) + i;
}

/* TDG.VP.VMCALL: the registers RCX exposes go to KVM, the others it sees as 0. */
static int tcg_td_vmcall(struct tcg_vcpu *t)
{
	struct kvm_vcpu_arch *a = &t->vcpu->arch;
	unsigned int i;

	for (i = 0; i < 6; i++)
		*tcg_td_vmcall_reg(a, true, i) = (a->regs.rcx & BIT_ULL(10 + i)) ?
						 *tcg_td_vmcall_reg(a, false, i) : 0;
	t->tdvmcall = true;
	t->exit->reason = KVM_EXEC_EXIT_TDVMCALL;
	t->exit->insn_len = TDCALL_LEN;
	return 1;
}

/* KVM answered the TDG.VP.VMCALL: its exposed registers back to the TD, the TDCALL done. */
void tcg_td_vmcall_done(struct tcg_vcpu *t)
{
	struct kvm_vcpu_arch *a = &t->vcpu->arch;
	unsigned int i;

	if (!t->tdvmcall)
		return;
	t->tdvmcall = false;
	for (i = 0; i < 6; i++)
		if (a->regs.rcx & BIT_ULL(10 + i))
			*tcg_td_vmcall_reg(a, false, i) = *tcg_td_vmcall_reg(a, true, i);
	a->regs.rax = TDX_SUCCESS;
	a->regs.rip += TDCALL_LEN;
}

static u64 tcg_td_info(struct tcg_vcpu *t)
{
	struct kvm_vcpu *vcpu = t->vcpu;
	struct kvm_regs *r = &vcpu->arch.regs;
	u64 nr = vcpu->kvm->created_vcpus;

	r->rcx = vcpu->kvm->arch.tdx_info.gpaw;
	r->rdx = vcpu->kvm->arch.hw.td_attributes;
	r->r8 = nr | nr << 32;
	r->r9 = vcpu->vcpu_idx;
	r->r10 = 0;
	r->r11 = 0;
	return TDX_SUCCESS;
}

static u64 tcg_td_veinfo(struct tcg_vcpu *t)
{
	struct kvm_regs *r = &t->vcpu->arch.regs;

	if (!t->ve.valid)
		return TDX_NO_VALID_VE_INFO;
	t->ve.valid = false;
	r->rcx = t->ve.reason;
	r->rdx = t->ve.qual;
	r->r8 = t->ve.gla;
	r->r9 = t->ve.gpa;
	r->r10 = t->ve.insn_len;
	return TDX_SUCCESS;
}

/* TDG.MEM.PAGE.ACCEPT; 1 if it is an EPT violation for KVM first. */
static int tcg_td_accept(struct tcg_vcpu *t, u64 *status)
{
	struct kvm_regs *r = &t->vcpu->arch.regs;
	u64 tdr = t->vcpu->kvm->arch.hw.tdr_pa, gpa = r->rcx & PAGE_MASK;
	struct kvm_npt_entry e;
	bool ept_violation, private;

	*status = tdg_mem_page_accept(tdr, r->rcx, &ept_violation);
	if (!ept_violation)
		return 0;
	/* The page the module will take: the fault path gives it to the TD, AUG'd. */
	tcg_translate(t, gpa, true, true, &e, &private);
	tcg_npf(t, gpa, true, PFERR_WRITE_MASK, true, &e);
	tcg_take_npf(t);
	return 1;
}

/*
 * @len bytes at the TD's private @gpa, within one page it has accepted, copied in or out
 * under mmu_lock (a punch cannot take the page meanwhile).  false if the TD cannot name it.
 */
static bool tcg_td_copy(struct tcg_vcpu *t, u64 gpa, void *buf, unsigned int len, bool write)
{
	struct kvm *kvm = t->vcpu->kvm;
	struct kvm_npt_entry e;
	bool private, ok = false;
	u8 *host;

	if ((gpa & kvm->arch.hw.shared_mask) || (gpa & ~PAGE_MASK) + len > PAGE_SIZE)
		return false;
	mutex_lock(&kvm->arch.mmu_lock);
	host = __tcg_translate(t, gpa, true, write, &e, &private);
	if (host && private && !tdx_sept_pending(kvm->arch.hw.tdr_pa, gpa & PAGE_MASK)) {
		if (write)
			memcpy(host + (gpa & ~PAGE_MASK), buf, len);
		else
			memcpy(buf, host + (gpa & ~PAGE_MASK), len);
		ok = true;
	}
	mutex_unlock(&kvm->arch.mmu_lock);
	return ok;
}

/* TDG.MR.RTMR.EXTEND: RCX the 48 bytes' GPA (64-byte aligned), RDX the RTMR. */
static u64 tcg_td_rtmr_extend(struct tcg_vcpu *t)
{
	struct kvm_regs *r = &t->vcpu->arch.regs;
	u8 data[TDX_MR_SIZE];

	if (!IS_ALIGNED(r->rcx, TDX_EXTEND_ALIGN) ||
	    !tcg_td_copy(t, r->rcx, data, sizeof(data), false))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	return tdg_mr_rtmr_extend(t->vcpu->kvm->arch.hw.tdr_pa, r->rdx, data);
}

/* TDG.MR.REPORT: RCX the TDREPORT's GPA, RDX REPORTDATA's, R8 the subtype (0). */
static u64 tcg_td_report(struct tcg_vcpu *t)
{
	struct kvm_regs *r = &t->vcpu->arch.regs;
	u8 data[TDX_REPORTDATA_SIZE], report[TDX_REPORT_SIZE];
	u64 status;

	if (!IS_ALIGNED(r->rcx, TDX_REPORT_ALIGN))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (!IS_ALIGNED(r->rdx, TDX_REPORTDATA_ALIGN) ||
	    !tcg_td_copy(t, r->rdx, data, sizeof(data), false))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	if (r->r8)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_R8;
	status = tdg_mr_report(t->vcpu->kvm->arch.hw.tdr_pa, data, report);
	if (status)
		return status;
	if (!tcg_td_copy(t, r->rcx, report, sizeof(report), true))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	return TDX_SUCCESS;
}

/* The TDCALL at RIP, leaf in RAX: 0 done (RAX the status), 1 an exit for KVM. */
int tcg_tdcall(struct tcg_vcpu *t)
{
	struct kvm_regs *r = &t->vcpu->arch.regs;
	u64 status;

	switch (r->rax) {
	case TDG_VP_VMCALL:
		return tcg_td_vmcall(t);
	case TDG_VP_INFO:
		status = tcg_td_info(t);
		break;
	case TDG_VP_VEINFO_GET:
		status = tcg_td_veinfo(t);
		break;
	case TDG_MR_RTMR_EXTEND:
		status = tcg_td_rtmr_extend(t);
		break;
	case TDG_MR_REPORT:
		status = tcg_td_report(t);
		break;
	case TDG_MEM_PAGE_ACCEPT:
		if (tcg_td_accept(t, &status))
			return 1;
		break;
	default:
		status = TDX_OPERAND_INVALID;
		break;
	}
	r->rax = status;
	r->rip += TDCALL_LEN;
	return 0;
}
