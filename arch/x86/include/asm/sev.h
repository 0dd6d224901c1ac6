/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_SEV_H
#define _ASM_X86_SEV_H

/*
 * The SEV-SNP silicon model: the RMP table and the instructions that touch it (AMD APM
 * volume 3: RMPUPDATE, PSMASH, PVALIDATE), with the hardware's return codes.  KVM changes RMP
 * state only through these functions, as it must on silicon.
 */

#include <linux/types.h>
#include <linux/kernel.h>

/* RMPUPDATE return codes (RAX). */
/* The C-bit's position in a guest PTE, as the modelled CPU reports it (CPUID 0x8000001F EBX). */
#define SEV_C_BIT_POS			51
/*
 * The modelled platform's encrypted-guest ASIDs (CPUID 0x8000001F ECX and EDX): SEV-ES and
 * SNP guests take 1..SEV_ES_ASID_MAX (the SNP firmware's limit), plain SEV ones the rest.
 */
#define SEV_ES_ASID_MAX			99
#define SEV_ASID_MAX			509

#define RMPUPDATE_SUCCESS		0
#define RMPUPDATE_FAIL_INPUT		1
#define RMPUPDATE_FAIL_PERMISSION	2
#define RMPUPDATE_FAIL_INUSE		3
#define RMPUPDATE_FAIL_OVERLAP		4

/* PSMASH return codes. */
#define PSMASH_FAIL_INPUT		1
#define PSMASH_FAIL_PERMISSION		2
#define PSMASH_FAIL_INUSE		3
#define PSMASH_FAIL_BADADDR		4

/* PVALIDATE return codes; NOUPDATE is CF=1, which Linux reports as 255. */
#define PVALIDATE_FAIL_INPUT		1
#define PVALIDATE_FAIL_SIZEMISMATCH	6
#define PVALIDATE_FAIL_NOUPDATE		255
/* Not a return code: PVALIDATE raised #NPF; the error code is in *npf_error. */
#define PVALIDATE_NPF			0x1000
/* RMPADJUST return codes (FAIL_PERMISSION: the target VMPL is not below the caller's). */
#define RMPADJUST_FAIL_INPUT		1
#define RMPADJUST_FAIL_PERMISSION	2
#define RMPADJUST_FAIL_SIZEMISMATCH	6
/* RMPADJUST's RDX: the target VMPL, its permission mask, and "this page is a VMSA". */
#define RMPADJUST_VMPL(attrs)		((attrs) & 0xff)
#define RMPADJUST_PERMS(attrs)		(((attrs) >> 8) & 0xff)
#define RMPADJUST_VMSA			BIT_ULL(16)
#define RMPADJUST_PERMS_MASK		0xf	/* read, write, user exec, supervisor exec */
#define SNP_MAX_VMPL			3

/* AMD nested page fault error-code bits (kvm_host.h PFERR_GUEST_*). */
#define PFERR_GUEST_RMP_MASK		BIT_ULL(31)
#define PFERR_GUEST_FINAL_MASK		BIT_ULL(32)
#define PFERR_GUEST_PAGE_MASK		BIT_ULL(33)
#define PFERR_GUEST_ENC_MASK		BIT_ULL(34)
#define PFERR_GUEST_SIZEM_MASK		BIT_ULL(35)
#define PFERR_GUEST_VMPL_MASK		BIT_ULL(36)

/* The GHCB MSR (GHCB spec): a protocol request's code in bits 11:0, or a GHCB page's gpa. */
#define GHCB_MSR_INFO_MASK		0xfffULL

#define RMP_PG_SIZE_4K			0
#define RMP_PG_SIZE_2M			1
#define RMP_2M_PAGES			512

/* RMPUPDATE's input (upstream struct rmp_state). */
struct rmp_state {
	u64 gpa;
	u8 assigned;
	u8 pagesize;
	u8 immutable;
	u8 rsvd;
	u32 asid;
} __packed;

/*
 * One RMP entry, 16 bytes as in hardware.  Low word: assigned 0, page size 1, immutable 2,
 * gpa 12-50, asid 51-60, vmsa 61, validated 62.  High word: VMPL1-3 permissions in bits 8-31
 * (kept, not interpreted yet) and bit 63, the entry lock hardware holds while an entry is in
 * use (a running VMSA): RMPUPDATE and PSMASH on a locked entry fail with FAIL_INUSE.
 */
struct rmpentry {
	u64 lo;
	u64 hi;
};

#define RMPENTRY_ASSIGNED		BIT_ULL(0)
#define RMPENTRY_PAGESIZE		BIT_ULL(1)
#define RMPENTRY_IMMUTABLE		BIT_ULL(2)
#define RMPENTRY_GPA_MASK		GENMASK_ULL(50, 12)
#define RMPENTRY_ASID_SHIFT		51
#define RMPENTRY_ASID_MASK		GENMASK_ULL(60, 51)
#define RMPENTRY_VMSA			BIT_ULL(61)
#define RMPENTRY_VALIDATED		BIT_ULL(62)
#define RMPENTRY_HI_INUSE		BIT_ULL(63)
/* The permissions VMPL 1..3 have on the page (VMPL 0 has all): a byte each. */
#define RMPENTRY_HI_VMPL_SHIFT(vmpl)	(8 * (vmpl))
#define RMPENTRY_HI_VMPL_MASK(vmpl)	(0xffULL << RMPENTRY_HI_VMPL_SHIFT(vmpl))
#define SNP_MAX_ASID			((1u << 10) - 1)

static inline bool rmpentry_assigned(const struct rmpentry *e)
{
	return e->lo & RMPENTRY_ASSIGNED;
}

static inline int rmpentry_pagesize(const struct rmpentry *e)
{
	return !!(e->lo & RMPENTRY_PAGESIZE);
}

static inline bool rmpentry_immutable(const struct rmpentry *e)
{
	return e->lo & RMPENTRY_IMMUTABLE;
}

static inline u64 rmpentry_gpa(const struct rmpentry *e)
{
	return e->lo & RMPENTRY_GPA_MASK;
}

static inline u32 rmpentry_asid(const struct rmpentry *e)
{
	return (e->lo & RMPENTRY_ASID_MASK) >> RMPENTRY_ASID_SHIFT;
}

static inline bool rmpentry_vmsa(const struct rmpentry *e)
{
	return e->lo & RMPENTRY_VMSA;
}

static inline bool rmpentry_validated(const struct rmpentry *e)
{
	return e->lo & RMPENTRY_VALIDATED;
}

static inline u8 rmpentry_vmpl_perms(const struct rmpentry *e, unsigned int vmpl)
{
	return vmpl ? (e->hi & RMPENTRY_HI_VMPL_MASK(vmpl)) >> RMPENTRY_HI_VMPL_SHIFT(vmpl) : 0xf;
}

/* rmp.c: the table */
int snp_rmptable_init(void);
void snp_rmptable_exit(void);
bool snp_rmp_pfn_valid(unsigned long pfn);
int snp_lookup_rmpentry_raw(unsigned long pfn, struct rmpentry *e);
int snp_lookup_rmpentry(unsigned long pfn, bool *assigned, int *level);
unsigned long snp_rmptable_bytes(void);
unsigned long snp_rmptable_pages(void);

/* rmp.c: the instructions (RMPUPDATE: the host issues it only through rmp_update.c's) */
int rmpupdate(unsigned long pfn, const struct rmp_state *state);
/* Fault injection for tests: the @nth RMPUPDATE from now fails with FAIL_INUSE (0: none). */
void rmpupdate_inject_failure(unsigned int nth);
bool rmpupdate_injected(void);		/* whether it fired since, once */
int psmash(unsigned long pfn);
int pvalidate(u32 asid, u64 gpa, unsigned long pfn, bool page_2m, bool validate,
	      u64 *npf_error);
int rmpadjust(u32 asid, u64 gpa, unsigned long pfn, bool page_2m, u64 attrs, u64 *npf_error);

/* rmp_update.c: the checked, traced RMPUPDATEs, the host's only way to change an entry */
enum snp_rmp_op {
	SNP_RMP_MAKE_PRIVATE,
	SNP_RMP_MAKE_SHARED,
	SNP_RMP_MAKE_FIRMWARE,
	SNP_RMP_OP_NR,
};
int rmp_make_private(unsigned long pfn, u64 gpa, u32 asid, bool immutable);
int rmp_make_shared(unsigned long pfn);
int rmp_make_firmware(unsigned long pfn);
unsigned long snp_rmpupdate_count(enum snp_rmp_op op);

/* rmp.c: what only the platform (firmware, the running vCPU) does to an entry */
void snp_rmp_fw_launch(unsigned long pfn, bool vmsa);
void snp_rmp_fw_reclaim(unsigned long pfn);
void snp_rmp_set_inuse(unsigned long pfn, bool inuse);

/* rmp.c: the host's view: writes to assigned pages fault */
int snp_host_copy_to_pfn(unsigned long pfn, unsigned int offset, const void *src,
			 unsigned int len);
int snp_host_copy_from_user_to_pfn(unsigned long pfn, const void __user *src);
unsigned long snp_rmp_host_write_faults(void);

/* leak.c: pages whose RMP state cannot be undone, never handed out again */
void snp_leak_pages(unsigned long pfn, unsigned int npages);
bool snp_page_leaked(unsigned long pfn);
unsigned long snp_leaked_pages(void);

/* rmp_check.c: invariants, for tests and debugging */
struct snp_rmp_owners {
	bool (*asid_live)(u32 asid, void *data);
	bool (*fw_page_owned)(unsigned long pfn, void *data);
	/* A page leaked (its RMP state could not be undone), whatever its entry says. */
	bool (*page_leaked)(unsigned long pfn, void *data);	/* NULL: none */
	void *data;
};

int snp_rmp_check(const struct snp_rmp_owners *owners, char *why, unsigned int len);

#endif
