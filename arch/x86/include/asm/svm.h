/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_SVM_H
#define _ASM_X86_SVM_H

/*
 * The SEV-ES/SNP VMSA: a vCPU's encrypted save area, in the AMD APM's layout (volume 2,
 * "VMCB Layout, State Save Area" for SEV-ES guests).  Offsets are checked at build time.
 */

#include <linux/types.h>
#include <linux/kernel.h>

struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
} __packed;

struct sev_es_save_area {
	struct vmcb_seg es, cs, ss, ds, fs, gs;
	struct vmcb_seg gdtr, ldtr, idtr, tr;
	u64 vmpl0_ssp, vmpl1_ssp, vmpl2_ssp, vmpl3_ssp;
	u64 u_cet;
	u8 reserved_0xc8[2];
	u8 vmpl;
	u8 cpl;
	u8 reserved_0xcc[4];
	u64 efer;
	u8 reserved_0xd8[104];
	u64 xss;
	u64 cr4, cr3, cr0, dr7, dr6, rflags, rip;
	u64 dr0, dr1, dr2, dr3;
	u64 dr0_addr_mask, dr1_addr_mask, dr2_addr_mask, dr3_addr_mask;
	u8 reserved_0x1c0[24];
	u64 rsp, s_cet, ssp, isst_addr, rax;
	u64 star, lstar, cstar, sfmask, kernel_gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip, cr2;
	u8 reserved_0x248[32];
	u64 g_pat, dbgctl, br_from, br_to, last_excp_from, last_excp_to;
	u8 reserved_0x298[80];
	u32 pkru, tsc_aux;
	u8 reserved_0x2f0[24];
	u64 rcx, rdx, rbx;
	u64 reserved_0x320;		/* rsp lives at 0x1d8 */
	u64 rbp, rsi, rdi;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u8 reserved_0x380[16];
	u64 guest_exit_info_1, guest_exit_info_2, guest_exit_int_info, guest_nrip;
	u64 sev_features, vintr_ctrl, guest_exit_code, virtual_tom, tlb_id, pcpu_id;
	u64 event_inj, xcr0;
	u8 reserved_0x3f0[16];
	/* x87 / SSE / AVX state */
	u64 x87_dp;
	u32 mxcsr;
	u16 x87_ftw, x87_fsw, x87_fcw, x87_fop, x87_ds, x87_cs;
	u64 x87_rip;
	u8 fpreg_x87[80];
	u8 fpreg_xmm[256];
	u8 fpreg_ymm[256];
	u8 reserved_0x670[2448];	/* to the end of the page */
} __packed;

#define SVM_SEV_FEAT_SNP_ACTIVE		BIT_ULL(0)
/* What a VMM may ask for in kvm_sev_init.vmsa_features (not uapi, as upstream's). */
#define SVM_SEV_FEAT_DEBUG_SWAP		BIT_ULL(5)

static inline void sev_es_save_area_layout_checks(void)
{
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, vmpl) != 0xca);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, efer) != 0xd0);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, cr4) != 0x148);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, rip) != 0x178);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, rsp) != 0x1d8);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, g_pat) != 0x268);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, pkru) != 0x2e8);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, rcx) != 0x308);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, r15) != 0x378);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, sev_features) != 0x3b0);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, xcr0) != 0x3e8);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, x87_dp) != 0x400);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, fpreg_ymm) != 0x570);
	BUILD_BUG_ON(sizeof(struct sev_es_save_area) != 4096);
}

#endif
