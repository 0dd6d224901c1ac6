// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMSA of a vCPU in its architectural reset state, as KVM loads it for an SEV-ES/SNP
 * guest: the state at which KVM_CREATE_VCPU leaves a vCPU (APM volume 2, "Processor
 * Initialization State", as KVM's SVM code programs it into the VMCB).  This is the built-in
 * VMSA of `kvm-coco measure`; every field not listed is zero.
 *
 *   CS      selector 0xf000, base 0xffff0000, limit 0xffff, attributes 0x9b
 *   DS ES FS GS SS   selector 0, base 0, limit 0xffff, attributes 0x93
 *   GDTR IDTR        base 0, limit 0xffff
 *   LDTR    limit 0xffff, attributes 0x82 (LDT);  TR limit 0xffff, attributes 0x83 (16-bit TSS)
 *   RIP 0xfff0  RFLAGS 0x2  RDX 0x600 (KVM's reset signature)
 *   CR0 0x10 (ET)  CR4 0x40 (MCE, as KVM runs SVM guests)  EFER 0x1000 (SVME)
 *   DR6 0xffff0ff0  DR7 0x400  G_PAT 0x0007040600070406  XCR0 0x1
 *   MXCSR 0x1f80  x87 FCW 0x37f
 *   SEV_FEATURES: as given (SNP_ACTIVE, bit 0, for an SNP guest)
 */
#include <linux/string.h>

#include "vmsa.h"

static void vmcb_seg_set(struct vmcb_seg *seg, u16 selector, u16 attrib, u32 limit, u64 base)
{
	seg->selector = selector;
	seg->attrib = attrib;
	seg->limit = limit;
	seg->base = base;
}

void sev_es_init_reset_vmsa(struct sev_es_save_area *save, u64 sev_features)
{
	sev_es_save_area_layout_checks();
	memset(save, 0, sizeof(*save));

	vmcb_seg_set(&save->cs, 0xf000, 0x9b, 0xffff, 0xffff0000);
	vmcb_seg_set(&save->ds, 0, 0x93, 0xffff, 0);
	vmcb_seg_set(&save->es, 0, 0x93, 0xffff, 0);
	vmcb_seg_set(&save->fs, 0, 0x93, 0xffff, 0);
	vmcb_seg_set(&save->gs, 0, 0x93, 0xffff, 0);
	vmcb_seg_set(&save->ss, 0, 0x93, 0xffff, 0);
	vmcb_seg_set(&save->gdtr, 0, 0, 0xffff, 0);
	vmcb_seg_set(&save->idtr, 0, 0, 0xffff, 0);
	vmcb_seg_set(&save->ldtr, 0, 0x82, 0xffff, 0);
	vmcb_seg_set(&save->tr, 0, 0x83, 0xffff, 0);

	save->rip = 0xfff0;
	save->rflags = 0x2;
	save->rdx = 0x600;
	save->cr0 = 0x10;
	save->cr4 = 0x40;
	save->efer = 0x1000;
	save->dr6 = 0xffff0ff0;
	save->dr7 = 0x400;
	save->g_pat = 0x0007040600070406ULL;
	save->xcr0 = 0x1;
	save->mxcsr = 0x1f80;
	save->x87_fcw = 0x37f;
	save->sev_features = sev_features;
}
