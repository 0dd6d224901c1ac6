/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_USER_TCG_H
#define _HOST_USER_TCG_H

/*
 * The TCG engine's per-vCPU state and what its files share: tcg.c runs the guest and walks
 * its page tables; tcg_event.c delivers exceptions through the guest's IDT; tcg_mmio.c
 * emulates an MMIO access; tcg_tdx.c is a TD vCPU's TDCALL and S-EPT check; tcg_tlb.c keeps
 * track of what Unicorn's TLB holds; tcg_legacy.c loads real and protected mode.
 */
#include <unicorn/unicorn.h>

#include <linux/kvm_host.h>
#include <asm/sev.h>

#include "../../arch/x86/kvm/exec/exec.h"
#include "../../arch/x86/kvm/mmu/npt.h"

/*
 * Unicorn's physical addresses: guest memory is TCG_HOST plus the host address of its page
 * (shared: the memslot's; private: the guest_memfd frame's), registered with Unicorn a
 * TCG_CHUNK at a time.  Below TCG_HOST, the addresses the engine uses to stop the guest.
 */
#define TCG_HOST		BIT_ULL(47)
#define TCG_CHUNK		(2ul << 20)
#define TCG_POISON		BIT_ULL(46)	/* a translation that must stop the guest */
#define TCG_SIGNAL_CHECK	4096		/* instructions between looks for a signal */
#define TCG_TABLES		16		/* the walk's cache of page-table pages */
#define TCG_ITLB		8		/* code pages the code hook reads through */
#define TCG_FILLS		64		/* guest pages noted in Unicorn's TLB */
#define TCG_FAULT		BIT_ULL(44)	/* ... for an exception (bits 27:12: which) */
#define TCG_MMIO		BIT_ULL(43)	/* the page an MMIO access is emulated through */
#define TCG_C_BIT		SEV_C_BIT_POS	/* CPUID 0x8000001F says where */
#define X86_DE_VECTOR		0
#define X86_UD_VECTOR		6
#define X86_DF_VECTOR		8
#define X86_TS_VECTOR		10
#define X86_NP_VECTOR		11
#define X86_SS_VECTOR		12
#define X86_GP_VECTOR		13
#define X86_NMI_VECTOR		2
#define X86_PF_VECTOR		14
#define X86_AC_VECTOR		17
#define X86_VE_VECTOR		20
#define X86_CP_VECTOR		21
#define X86_VC_VECTOR		29
/* #VC error codes: the SVM exit code the hardware would have taken. */
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_NOT_VALIDATED	0x404		/* a private page not PVALIDATEd */
#define PTE_P			BIT_ULL(0)
#define PTE_W			BIT_ULL(1)
#define PTE_U			BIT_ULL(2)
#define PTE_PS			BIT_ULL(7)
#define PTE_NX			BIT_ULL(63)
#define PTE_ADDR		GENMASK_ULL(51, 12)

/* An exception on its way into the guest (the hardware's EXITINTINFO, in effect). */
struct tcg_event {
	bool pending;
	bool has_error;
	u8 vector;
	u32 error_code;
	bool external;			/* an interrupt or NMI: no error code */
	u64 cr2;			/* #PF: the faulting address */
	u16 seq;			/* a TLB fill's: which one */
};

struct tcg_vcpu {
	uc_engine *uc;
	struct kvm_vcpu *vcpu;
	struct list_head entry;		/* on tcg_vcpus */
	/*
	 * From the gen check to leaving Unicorn (atomic): TCG_IN_GUEST, or TCG_IN_MMIO while
	 * one MMIO instruction is emulated, which is waited for but never kicked (a kick would
	 * leave the instruction half done).
	 */
	int in_guest;
	struct kvm_exec_exit *exit;	/* the exit being filled (one run) */
	bool stopped;			/* a hook filled @exit and stopped the guest */
	struct tcg_npf {		/* the NPF a page walk met last */
		bool pending;
		u64 gpa, error_code;
	} npf;
	struct tcg_event fill_fault;	/* the last TLB fill's exception */
	u16 fault_seq;			/* TLB fills that raised one */
	bool stale;			/* a translation went between TLB fill and use */
	enum tcg_insn {			/* an instruction the engine carries out itself */
		TCG_INSN_NONE,
		TCG_INSN_RDMSR,
		TCG_INSN_WRMSR,
		TCG_INSN_PVALIDATE,
		TCG_INSN_RMPADJUST,
		TCG_INSN_TDCALL,
	} insn;
	struct tcg_event event;		/* raised, not yet delivered */
	u64 npt_gen;			/* the npt this TLB and map reflect (atomic) */
	unsigned long insn_count;	/* instructions the code hook saw */
	struct kvm_sregs loaded;	/* the sregs Unicorn holds, to load only changes */
	struct tcg_mmio {		/* emulating one instruction's MMIO access */
		bool active;
		bool bad;		/* an access the emulation cannot report */
		unsigned int insns;	/* instructions begun */
		unsigned int consumed;	/* bytes of the VMM's answer read */
		u64 page;		/* the gpa page no memory backs */
		const u8 *ro_host;	/* a read-only memslot's page: reads come from it */
		struct kvm_exec_mmio *m;
	} mmio;
	struct tcg_itlb {		/* code pages read, by virtual page % TCG_ITLB */
		u64 vpage;
		u8 *host;		/* NULL: the slot is empty */
	} itlb[TCG_ITLB];
	struct tcg_code_page {		/* pages Unicorn has translated code from */
		gfn_t gfn;
		bool private;
		void *host;
	} *code;
	size_t nr_code, max_code;
	bool code_untracked;		/* one could not be noted */
	struct tcg_table {		/* page-table pages the walk read, by gfn % TCG_TABLES */
		u64 gpa;		/* as the walk named it (TDX: with the shared bit) */
		bool enc;
		u64 *host;		/* NULL: the slot is empty */
	} tables[TCG_TABLES];
	bool fresh;			/* Unicorn's state is still its reset state */
	/*
	 * A segment selector going into Unicorn in protected mode: its descriptor, from KVM's
	 * hidden segment state, at TCG_SEG_VA (tcg_load_segs()).
	 */
	bool seg_loading;
	u64 *seg_page;
	/* Real and protected mode (tcg_legacy.c): the stub that loads segments, and its end. */
	u8 *stub_page;
	uc_context *reset_ctx;		/* Unicorn's state when opened */
	bool seg_halted, seg_failed;
	u64 cs_pc;			/* the last instruction the code hook saw (linear) */
	/*
	 * The guest pages Unicorn's TLB may hold since its last full flush, each with the gfn
	 * it maps (tcg_tlb.c); fills_lost: one could not be noted.
	 */
	struct tcg_fill {
		u64 vpage;
		gfn_t gfn;
	} fills[TCG_FILLS];
	unsigned int nr_fills;
	bool fills_lost;
	u64 fill_gpa;			/* the last access's gpa (no shared bit) */
	/* Pages to take out at the next entry, by INVLPG; the stub's progress, while it runs. */
	u64 invlpg[TCG_FILLS];
	unsigned int nr_invlpg, stub_next;
	bool stub_entry;
	u64 stub_rax, stub_rip;		/* the guest's, which the stub stands in front of */
	bool regs_held;			/* KVM's copy of the registers is behind Unicorn's */
	bool tdvmcall;			/* a TDG.VP.VMCALL is out with KVM */
	struct tcg_ve {			/* the last #VE, for TDG.VP.VEINFO.GET */
		bool valid;
		u32 reason;		/* the VM exit the TD would have taken */
		u32 insn_len;
		u64 qual, gla, gpa;
	} ve;
};

/* A virtual page the guest's tables do not decide while selectors load (canonical). */
#define TCG_SEG_VA		0xffffff8000000000ULL
/* Where the engine's INVLPG runs: no canonical address, so no guest access reaches it. */
#define TCG_STUB_VA		0x8000000000000000ULL
#define TCG_STUB_INVLPG		0xf00		/* INVLPG [RAX], then HLT: its offset */

/* tcg.c */
enum {
	TCG_WALK_OK,
	TCG_WALK_PF,		/* a not-present entry: the guest's #PF */
	TCG_WALK_OTHER,		/* an exit or exception recorded */
};
int tcg_walk(struct tcg_vcpu *t, u64 vaddr, u64 npf_err, u64 *gpa, bool *enc, u64 *pte_bits);
void *tcg_access(struct tcg_vcpu *t, u64 vaddr, uc_mem_type type, bool implicit,
		 uc_tlb_entry *res);
void tcg_take_npf(struct tcg_vcpu *t);
void tcg_npf(struct tcg_vcpu *t, u64 gpa, bool enc, u64 pf_err, bool final,
	     const struct kvm_npt_entry *e);
void *tcg_translate(struct tcg_vcpu *t, u64 gpa, bool enc, bool write,
		    struct kvm_npt_entry *e, bool *private);
void *__tcg_translate(struct tcg_vcpu *t, u64 gpa, bool enc, bool write,
		      struct kvm_npt_entry *e, bool *private);	/* under mmu_lock */
void tcg_itlb_flush(struct tcg_vcpu *t);
bool tcg_zapped(struct tcg_vcpu *t, gfn_t gfn, bool known);	/* under mmu_lock */
enum { TCG_IN_GUEST = 1, TCG_IN_MMIO };
void tcg_guest_begin(struct tcg_vcpu *t, int how, bool flush);
void tcg_guest_end(struct tcg_vcpu *t);
void tcg_sync_regs(struct kvm_vcpu *vcpu);

/* tcg_mmio.c */
int tcg_mmio_init(struct tcg_vcpu *t);
bool tcg_mmio_fill(struct tcg_vcpu *t, uc_tlb_entry *res);
int tcg_emulate_mmio(struct kvm_vcpu *vcpu, struct kvm_exec_mmio *m);
void tcg_load(struct tcg_vcpu *t);
void tcg_save(struct tcg_vcpu *t);

/* tcg_state.c */
void tcg_load_cpu_state(struct tcg_vcpu *t);
void tcg_sync_state(struct kvm_vcpu *vcpu);

/* tcg_tdx.c */
bool tcg_tdx_pending(struct tcg_vcpu *t, u64 vaddr, u64 gpa, u64 npf_err, bool final,
		     const struct kvm_npt_entry *e);
void tcg_tdx_ve(struct tcg_vcpu *t, u32 reason, u64 qual, u64 gla, u64 gpa, u32 insn_len);
int tcg_tdcall(struct tcg_vcpu *t);
void tcg_td_vmcall_done(struct tcg_vcpu *t);

/* tcg_legacy.c */
int tcg_legacy_init(struct tcg_vcpu *t);
void tcg_legacy_free(struct tcg_vcpu *t);
bool tcg_load_legacy_segs(struct tcg_vcpu *t, const struct kvm_sregs *s);
u64 tcg_seg_desc(const struct kvm_segment *seg);

/* tcg_tlb.c */
void tcg_tlb_note(struct tcg_vcpu *t, u64 vaddr, u64 gpa);
bool tcg_tlb_zapped(struct tcg_vcpu *t, bool targeted);	/* under mmu_lock */
void tcg_tlb_flush_all(struct tcg_vcpu *t);
u64 tcg_tlb_entry(struct tcg_vcpu *t);
void tcg_tlb_stub_step(struct tcg_vcpu *t, u64 addr);
void tcg_tlb_exit(struct tcg_vcpu *t);

/* tcg_event.c */
void tcg_raise(struct tcg_vcpu *t, unsigned int vector, bool has_error, u32 error_code);
void tcg_raise_pf(struct tcg_vcpu *t, u64 vaddr, u32 error_code);
int tcg_deliver(struct tcg_vcpu *t);

#endif
