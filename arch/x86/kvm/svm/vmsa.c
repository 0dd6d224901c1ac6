// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMSA of an SEV-ES/SNP vCPU, built from its architectural state as KVM does before
 * LAUNCH_FINISH measures it (upstream sev_es_sync_vmsa()).  The state is what
 * KVM_SET_REGS/KVM_SET_SREGS set; the hardware view differs from it where SVM does:
 *
 *   CR0   without CD and NW (KVM clears them while the guest runs)
 *   CR4   with MCE (KVM runs SVM guests with the host's CR4.MCE)
 *   EFER  with SVME
 *   segment attributes in the VMCB format: type | S<<4 | DPL<<5 | P<<7 | AVL<<8 | L<<9 |
 *         DB<<10 | G<<11
 *   x87/SSE: the reset FPU state, MXCSR 0x1f80 and FCW 0x37f
 *
 * So a vCPU in its reset state gives the built-in VMSA of `kvm-coco measure`:
 *
 *   CS      selector 0xf000, base 0xffff0000, limit 0xffff, attributes 0x9b
 *   DS ES FS GS SS   selector 0, base 0, limit 0xffff, attributes 0x93
 *   GDTR IDTR        base 0, limit 0xffff
 *   LDTR    limit 0xffff, attributes 0x82 (LDT);  TR limit 0xffff, attributes 0x83 (16-bit TSS)
 *   RIP 0xfff0  RFLAGS 0x2  RDX 0x600 (KVM's reset signature)
 *   CR0 0x10 (ET)  CR4 0x40 (MCE)  EFER 0x1000 (SVME)
 *   DR6 0xffff0ff0  DR7 0x400  G_PAT 0x0007040600070406  XCR0 0x1
 *   MXCSR 0x1f80  x87 FCW 0x37f
 *   SEV_FEATURES: as given (SNP_ACTIVE, bit 0, for an SNP guest)
 *
 * and every other field zero.
 */
#include <linux/string.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <linux/kvm_host.h>

#include "vmsa.h"

static void vmcb_seg_from(struct vmcb_seg *seg, const struct kvm_segment *s)
{
	seg->selector = s->selector;
	seg->base = s->base;
	seg->limit = s->limit;
	seg->attrib = (s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
		      (s->present & 1) << 7 | (s->avl & 1) << 8 | (s->l & 1) << 9 |
		      (s->db & 1) << 10 | (s->g & 1) << 11;
}

static void vmcb_dtable_from(struct vmcb_seg *seg, const struct kvm_dtable *d)
{
	memset(seg, 0, sizeof(*seg));
	seg->base = d->base;
	seg->limit = d->limit;
}

void sev_es_fill_vmsa(struct sev_es_save_area *save, const struct kvm_vcpu_arch *a,
		      u64 sev_features)
{
	const struct kvm_regs *r = &a->regs;
	const struct kvm_sregs *s = &a->sregs;

	sev_es_save_area_layout_checks();
	memset(save, 0, sizeof(*save));

	vmcb_seg_from(&save->es, &s->es);
	vmcb_seg_from(&save->cs, &s->cs);
	vmcb_seg_from(&save->ss, &s->ss);
	vmcb_seg_from(&save->ds, &s->ds);
	vmcb_seg_from(&save->fs, &s->fs);
	vmcb_seg_from(&save->gs, &s->gs);
	vmcb_seg_from(&save->ldtr, &s->ldt);
	vmcb_seg_from(&save->tr, &s->tr);
	vmcb_dtable_from(&save->gdtr, &s->gdt);
	vmcb_dtable_from(&save->idtr, &s->idt);

	save->efer = s->efer | EFER_SVME;
	save->cr0 = s->cr0 & ~(X86_CR0_CD | X86_CR0_NW);
	save->cr2 = s->cr2;
	save->cr3 = s->cr3;
	save->cr4 = s->cr4 | X86_CR4_MCE;
	save->dr6 = a->dr6;
	save->dr7 = a->dr7;
	save->rflags = r->rflags;
	save->rip = r->rip;
	save->rsp = r->rsp;
	save->rax = r->rax;
	save->rbx = r->rbx;
	save->rcx = r->rcx;
	save->rdx = r->rdx;
	save->rbp = r->rbp;
	save->rsi = r->rsi;
	save->rdi = r->rdi;
	save->r8 = r->r8;
	save->r9 = r->r9;
	save->r10 = r->r10;
	save->r11 = r->r11;
	save->r12 = r->r12;
	save->r13 = r->r13;
	save->r14 = r->r14;
	save->r15 = r->r15;
	save->g_pat = a->pat;
	save->xcr0 = a->xcr0;
	save->mxcsr = 0x1f80;
	save->x87_fcw = 0x37f;
	save->sev_features = sev_features;
}

/* A vCPU's VMSA at launch: its state as at reset, then what the VMM set (if it did). */
void sev_es_init_vmsa(struct sev_es_save_area *save, const struct kvm_regs *regs,
		      const struct kvm_sregs *sregs, u64 sev_features)
{
	struct kvm_vcpu_arch arch = {};

	kvm_vcpu_arch_reset(&arch, true);
	if (regs)
		arch.regs = *regs;
	if (sregs)
		arch.sregs = *sregs;
	sev_es_fill_vmsa(save, &arch, sev_features);
}
