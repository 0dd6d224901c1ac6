/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_TDX_H
#define _ASM_X86_TDX_H

/*
 * The TDX module, modelled: the SEAMCALLs the host uses to build, run and tear down a TD,
 * with the module's status codes (upstream asm/shared/tdx_errno.h).  KVM changes TD, S-EPT
 * and PAMT state only through these functions.  Physical addresses are host PFN << 12.
 */

#include <linux/types.h>

/* SEAMCALL status codes */
#define TDX_SUCCESS				0ULL
#define TDX_OPERAND_INVALID			0xC000010000000000ULL
#define TDX_OPERAND_BUSY			0x8000020000000000ULL
#define TDX_PAGE_METADATA_INCORRECT		0xC000030000000000ULL
#define TDX_OP_STATE_INCORRECT			0xC000060000000000ULL
#define TDX_KEY_STATE_INCORRECT			0xC000081100000000ULL
#define TDX_EPT_WALK_FAILED			0xC0000B0000000000ULL
#define TDX_EPT_ENTRY_NOT_FREE			0xC0000B0200000000ULL
#define TDX_TLB_TRACKING_NOT_DONE		0xC0000B0800000000ULL
#define TDX_EPT_ENTRY_STATE_INCORRECT		0xC0000B0D00000000ULL
#define TDX_PAGE_ALREADY_ACCEPTED		0x00000B0A00000000ULL
#define TDX_PAGE_SIZE_MISMATCH			0xC0000B0B00000000ULL
#define TDX_NO_VALID_VE_INFO			0xC000070400000000ULL
#define TDX_METADATA_FIELD_NOT_READABLE		0xC0000C0200000000ULL
#define TDX_SEAMCALL_STATUS_MASK		0xFFFFFFFF00000000ULL

/* Operand ids in bits 31:0 of an error status */
#define TDX_OPERAND_ID_RCX			0x01
#define TDX_OPERAND_ID_RDX			0x02
#define TDX_OPERAND_ID_R8			0x08
#define TDX_OPERAND_ID_TDR			0x80
#define TDX_OPERAND_ID_SEPT			0x92

/* Host key IDs the model hands out to TDs (the private KeyID range). */
#define TDX_MIN_HKID				32
#define TDX_MAX_HKID				63

/* PAMT page types */
enum tdx_pamt_type {
	PT_NDA = 0,		/* not assigned to the module: the host's */
	PT_TDR,
	PT_TDCX,
	PT_TDVPR,
	PT_REG,			/* a TD's private page */
};

#define MR_EXTEND_CHUNK		256
#define TDX_MR_SIZE		48

/* The GPA shared bit: bit 47 with GPAW 48, bit 51 with GPAW 52. */
static inline u64 tdx_gpa_shared_bit(unsigned int gpaw)
{
	return 1ULL << (gpaw - 1);
}

int tdx_module_init(void);
void tdx_module_exit(void);

u64 tdh_mng_create(u64 tdr_pa, u16 hkid);
u64 tdh_mng_addcx(u64 tdr_pa, u64 tdcx_pa);
/* The TD_PARAMS of TDH.MNG.INIT the module model keeps (the rest KVM checks). */
/*
 * CPUID: the leaves whose values the VMM configures in TD_PARAMS (the module's CPUID_CONFIG,
 * with the bits it may set), and the values themselves, in the same order.
 */
#define TDX_CPUID_NO_SUBLEAF		0xffffffffU
#define TDX_NR_CPUID_CONFIG		4

struct tdx_cpuid_value {
	u32 leaf, subleaf;
	u32 eax, ebx, ecx, edx;
};

extern const struct tdx_cpuid_value tdx_cpuid_configs[TDX_NR_CPUID_CONFIG];

struct tdx_td_params {
	unsigned int gpaw;
	u64 attributes, xfam;
	u8 mrconfigid[TDX_MR_SIZE], mrowner[TDX_MR_SIZE], mrownerconfig[TDX_MR_SIZE];
	struct tdx_cpuid_value cpuid[TDX_NR_CPUID_CONFIG];	/* tdx_cpuid_configs' order */
};

/* tdx_cpuid.c: TD_PARAMS' values within the configurable bits; the TD's value of a leaf. */
bool tdx_td_cpuid_valid(const struct tdx_td_params *params);
bool tdx_td_cpuid(const struct tdx_td_params *params, u32 leaf, u32 subleaf,
		  struct tdx_cpuid_value *out);

u64 tdh_mng_init(u64 tdr_pa, const struct tdx_td_params *params);
u64 tdh_vp_create(u64 tdr_pa, u64 tdvpr_pa);
u64 tdh_vp_init(u64 tdvpr_pa, u64 rcx);
u64 tdh_mem_page_add(u64 tdr_pa, u64 gpa, u64 page_pa, u64 source_pa);
u64 tdh_mr_extend(u64 tdr_pa, u64 gpa);
u64 tdh_mr_finalize(u64 tdr_pa);
u64 tdh_mem_page_aug(u64 tdr_pa, u64 gpa, u64 page_pa);
u64 tdh_mem_range_block(u64 tdr_pa, u64 gpa);
u64 tdh_mem_track(u64 tdr_pa);
u64 tdh_mem_page_remove(u64 tdr_pa, u64 gpa);
u64 tdh_mng_key_freeid(u64 tdr_pa);
u64 tdh_phymem_page_reclaim(u64 page_pa);
/* TDH.MNG.RD of the TD's CPUID_VALUES: one leaf (subleaf or TDX_CPUID_NO_SUBLEAF). */
u64 tdh_mng_rd_cpuid(u64 tdr_pa, u32 leaf, u32 subleaf, struct tdx_cpuid_value *out);

/* TDCALL leaves (the guest's side of the module) and what they take. */
#define TDG_VP_VMCALL			0
#define TDG_VP_INFO			1
#define TDG_VP_VEINFO_GET		3
#define TDG_MR_RTMR_EXTEND		2
#define TDG_MR_REPORT			4
#define TDG_MEM_PAGE_ACCEPT		6
#define TDX_ACCEPT_LEVEL_MASK		0x7ULL
#define TDX_ATTR_SEPT_VE_DISABLE	(1ULL << 28)
/* The VM exits a TD's #VE (and TDG.VP.VMCALL) names. */
#define EXIT_REASON_CPUID		10
#define EXIT_REASON_HLT			12
#define EXIT_REASON_IO_INSTRUCTION	30
#define EXIT_REASON_MSR_READ		31
#define EXIT_REASON_MSR_WRITE		32
#define EXIT_REASON_EPT_VIOLATION	48

u64 tdg_mem_page_accept(u64 tdr_pa, u64 rcx, bool *ept_violation);

/*
 * TDG.MR.RTMR.EXTEND and TDG.MR.REPORT, the guest's operands already read: the module
 * extends RTMR @index with 48 bytes of @data; it writes a TDREPORT_STRUCT with @reportdata
 * to @report (TDX_REPORT_SIZE bytes).  tdx_report_verify(): whether @report's MAC is this
 * platform's (what EVERIFYREPORT2 tells a quoting enclave).
 */
#define TDX_NR_RTMRS			4
#define TDX_REPORT_SIZE			1024
#define TDX_REPORTDATA_SIZE		64
#define TDX_REPORT_ALIGN		1024
#define TDX_REPORTDATA_ALIGN		64
#define TDX_EXTEND_ALIGN		64

u64 tdg_mr_rtmr_extend(u64 tdr_pa, u64 index, const u8 data[TDX_MR_SIZE]);
u64 tdg_mr_report(u64 tdr_pa, const u8 reportdata[TDX_REPORTDATA_SIZE],
		  u8 report[TDX_REPORT_SIZE]);
bool tdx_report_verify(const u8 report[TDX_REPORT_SIZE]);
bool tdx_sept_pending(u64 tdr_pa, u64 gpa);

/*
 * Fault injection for tests: the @nth SEAMCALL from now (1: the next, of any kind) fails with
 * @status, doing nothing; 0 disarms.  tdx_module_injected(): whether it fired, once.
 */
void tdx_module_inject_failure(unsigned int nth, u64 status);
bool tdx_module_injected(void);

/* Reads the module answers as TDH.MNG.RD / TDH.PHYMEM.PAGE.RDMD would. */
u64 tdx_td_mrtd(u64 tdr_pa, u8 out[TDX_MR_SIZE]);
u64 tdx_pamt_read(u64 page_pa, enum tdx_pamt_type *type, u64 *owner_tdr_pa);
int tdx_pamt_check(char *why, unsigned int len);
unsigned int tdx_nr_tds(void);

/* The MRTD stream, shared by the module and `kvm-coco measure --type tdx`. */
#define TDX_MRTD_BATCH		16384

struct crypto_shash;
struct tdx_mrtd;

struct tdx_mrtd *tdx_mrtd_start(struct crypto_shash *tfm);
void tdx_mrtd_free(struct tdx_mrtd *m);
int tdx_mrtd_page_add(struct tdx_mrtd *m, u64 gpa);
int tdx_mrtd_extend(struct tdx_mrtd *m, u64 gpa, const u8 *chunk);
int tdx_mrtd_final(struct tdx_mrtd *m, u8 out[TDX_MR_SIZE]);

/* TDREPORT_STRUCT (tdx_report.c): what the module reports of a TD, and its MAC. */
struct tdx_report_src {
	const struct tdx_td_params *params;
	const u8 *mrtd;
	const u8 (*rtmr)[TDX_MR_SIZE];
};

int tdx_report_init(struct crypto_shash *tfm);
int tdx_report_build(struct crypto_shash *tfm, const struct tdx_report_src *src,
		     const u8 *reportdata, u8 *report);

#endif
