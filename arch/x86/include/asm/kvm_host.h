/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_KVM_HOST_H
#define _ASM_X86_KVM_HOST_H

/* x86 parts of the VM and vCPU objects. */

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/kvm.h>
#include <linux/kvm_types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/xarray.h>

struct page;
struct sev_trace_ring;

/*
 * Page-fault error code: the hardware #PF bits, then KVM's synthetic bits above the 32 the
 * hardware defines (AMD's NPF bits 31-36 are in asm/sev.h).  PFERR_PRIVATE_ACCESS is set by
 * vendor code, never by hardware: it says the access was to the guest's private memory.
 */
#define PFERR_PRESENT_MASK		BIT_ULL(0)
#define PFERR_WRITE_MASK		BIT_ULL(1)
#define PFERR_USER_MASK			BIT_ULL(2)
#define PFERR_RSVD_MASK			BIT_ULL(3)
#define PFERR_FETCH_MASK		BIT_ULL(4)
#define PFERR_PK_MASK			BIT_ULL(5)
#define PFERR_SGX_MASK			BIT_ULL(15)
#define PFERR_IMPLICIT_ACCESS		BIT_ULL(48)
#define PFERR_PRIVATE_ACCESS		BIT_ULL(49)
#define PFERR_SYNTHETIC_MASK		(PFERR_IMPLICIT_ACCESS | PFERR_PRIVATE_ACCESS)

#define KVM_MAX_CPUID_ENTRIES		256	/* as upstream */

/* SEV, SEV-ES and SNP state of a VM (upstream struct kvm_sev_info); under kvm->lock. */
struct kvm_sev_info {
	bool active;			/* KVM_SEV_INIT2 done */
	bool es_active;			/* SEV-ES or SNP: protected vCPU state */
	bool snp_active;
	bool snp_finished;		/* KVM_SEV_SNP_LAUNCH_FINISH done */
	bool snp_certs_enabled;		/* KVM_SEV_SNP_ENABLE_REQ_CERTS done */
	u32 handle;			/* SEV, SEV-ES: the firmware's, from LAUNCH_START */
	bool launch_finished;		/* SEV, SEV-ES: KVM_SEV_LAUNCH_FINISH done */
	struct list_head regions;	/* KVM_MEMORY_ENCRYPT_REG_REGION's, under kvm->lock */
	/* KVM_CAP_VM_COPY_ENC_CONTEXT_FROM (sev_migrate.c), under sev_migrate_lock */
	struct kvm *mirror_owner;	/* a mirror: the VM whose context it shares (a ref) */
	struct list_head mirrors;	/* an owner: its mirrors */
	struct list_head mirror_entry;	/* a mirror: in its owner's mirrors */
	u32 asid;
	int fd;				/* the PSP descriptor given to LAUNCH_START */
	u64 policy;
	u64 vmsa_features;
	u16 ghcb_version;
	struct page *snp_context;	/* the firmware's guest context page */
	unsigned long nr_leaked;	/* pages that could not be reclaimed */
	struct sev_trace_ring *trace;	/* RMP transitions, for KVM_COCO_GET_TRACE */
};

enum kvm_tdx_state {
	TD_STATE_UNINITIALIZED,
	TD_STATE_INITIALIZED,		/* KVM_TDX_INIT_VM done: the TD is being built */
	TD_STATE_RUNNABLE,		/* KVM_TDX_FINALIZE_VM done: the MRTD is final */
};

#define KVM_TDX_TDCS_PAGES	4

/* TDX state of a VM (upstream struct kvm_tdx); under kvm->lock. */
struct kvm_tdx_info {
	enum kvm_tdx_state state;
	bool key_freed;			/* TDH.MNG.KEY.FREEID done: pages can be reclaimed */
	u16 hkid;
	unsigned int gpaw;		/* 48 or 52: the shared bit is gpaw - 1 */
	struct page *tdr;
	struct page *tdcs[KVM_TDX_TDCS_PAGES];
	struct xarray private;		/* pfn -> gfn (a value entry): pages the TD holds;
					 * under kvm->slots_lock */
	unsigned long nr_leaked;	/* pages the module would not give back */
};

struct kvm;
struct kvm_vcpu;
struct kvm_exec_exit;
struct kvm_exec_ops;

/*
 * What differs between the VM kinds, chosen once when the VM is created (upstream's
 * kvm_x86_ops): SVM serves default, software-protected and SEV-type VMs, VT (vmx/) serves TDs.
 * Exit handlers return 1 to resume the guest, 0 to exit to userspace, -errno to fail KVM_RUN.
 */
struct kvm_x86_ops {
	const char *name;
	void (*vm_init)(struct kvm *kvm);
	void (*vm_destroy)(struct kvm *kvm);
	int (*vcpu_create)(struct kvm_vcpu *vcpu);
	void (*vcpu_free)(struct kvm_vcpu *vcpu);
	/* KVM_RUN's checks: whether this vCPU may enter the guest now. */
	int (*vcpu_pre_run)(struct kvm_vcpu *vcpu);
	int (*handle_exit)(struct kvm_vcpu *vcpu, const struct kvm_exec_exit *exit);
	/* KVM_MEMORY_ENCRYPT_OP on the VM and on a vCPU; NULL: -ENOTTY. */
	int (*mem_enc_ioctl)(struct kvm *kvm, void __user *argp);
	/* KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM / _COPY_: the VM fd whose context this VM takes. */
	int (*vm_move_enc_context_from)(struct kvm *kvm, unsigned int source_fd);
	int (*vm_copy_enc_context_from)(struct kvm *kvm, unsigned int source_fd);
	int (*vcpu_mem_enc_ioctl)(struct kvm_vcpu *vcpu, void __user *argp);
	/* The vendor's own VM ioctls (kvm_coco.h); -ENOTTY for any other. */
	long (*vm_ioctl)(struct kvm *kvm, unsigned int ioctl, void __user *argp);
	/* guest_memfd: a page handed to the guest by a private fault, and a page being freed. */
	int (*gmem_prepare)(struct kvm *kvm, gfn_t gfn, unsigned long pfn);
	int (*gmem_invalidate)(struct kvm *kvm, unsigned long pfn);
	/* A private translation of @pfn was zapped: take the page out of the guest. */
	void (*remove_private_spte)(struct kvm *kvm, unsigned long pfn);
	/* The system fd's device attributes of the vendor's groups; -ENXIO: not one. */
	int (*dev_get_attr)(u32 group, u64 attr, u64 *val);
};

/*
 * What the modelled CPU does with this VM's accesses and instructions: written by vendor code
 * as the VM is created and initialised, before any vCPU runs; read by the vCPU engines.
 */
#define KVM_NPT_ZAP_LOG		16
#define KVM_NR_CPU_MSRS		9

struct kvm_x86_hw {
	bool amd;			/* AMD's exit formats (NPF bits 32+), else Intel's */
	bool c_bit;			/* SEV-type: a guest access can carry the C-bit */
	bool rmp;			/* SNP: RMP-checked accesses; the C-bit is the kind */
	bool ghcb;			/* SEV-ES, SNP: VMGEXIT and the GHCB MSR */
	bool tdx;			/* a TD: TDCALL */
	u32 asid;			/* SEV: the guest's ASID (its RMP entries name it) */
	u64 shared_mask;		/* TDX: the gpa bit of the shared alias (from INIT_VM) */
	u64 td_attributes;		/* TDX: TD_PARAMS.ATTRIBUTES (from INIT_VM) */
	u64 tdr_pa;			/* TDX: the TD's TDR, which its vCPUs' TDCALLs name */
};

struct kvm_arch {
	const struct kvm_x86_ops *ops;
	struct kvm_x86_hw hw;
	unsigned int engine;		/* KVM_COCO_ENGINE_*: what runs its vCPUs */
	unsigned long vm_type;
	u64 hypercall_exit_enabled;	/* KVM_CAP_EXIT_HYPERCALL: hypercalls that exit */
	u32 max_vcpu_ids;		/* KVM_CAP_MAX_VCPU_ID (0: KVM_MAX_VCPU_IDS); under lock */
	unsigned long n_requested_mmu_pages;	/* KVM_SET_NR_MMU_PAGES; under slots_lock */
	bool irqchip_in_kernel;		/* KVM_CREATE_IRQCHIP (irq.c); under lock */
	/*
	 * The model's nested page table: gfn -> a value entry (mmu/npt.h), what the fault path
	 * installed and conversions, punches, memslot changes and dirty logging zap or
	 * write-protect; under kvm->slots_lock.
	 */
	struct xarray npt;
	struct mutex mmu_lock;		/* npt's entries; inside slots_lock */
	u64 npt_gen;			/* bumped when a translation goes or loses rights */
	/*
	 * The gfn whose translation generation g took away: npt_zapped[g % KVM_NPT_ZAP_LOG],
	 * under mmu_lock.  An engine that is a few generations behind drops only those.
	 */
	gfn_t npt_zapped[KVM_NPT_ZAP_LOG];
	bool has_private_mem;		/* SW_PROTECTED, SNP, TDX */
	bool has_protected_state;	/* SEV-ES, SNP, TDX: no emulated MMIO, no RO slots */
	struct kvm_sev_info sev_info;
	struct kvm_tdx_info tdx_info;
};

/*
 * The statistics KVM_GET_STATS_FD reads (stats.c describes them): u64s only, each written by
 * one side under its lock with WRITE_ONCE, read at any time.
 */
struct kvm_vm_stat {
	u64 remote_tlb_flush;		/* TLB shootdowns of the VM's vCPUs */
	u64 pages_4k;			/* translations in the nested page table now */
};

struct kvm_vcpu_stat {
	u64 exits;			/* exits from the guest, whoever handled them */
	u64 io_exits;			/* ... to userspace: KVM_EXIT_IO */
	u64 mmio_exits;			/* ... KVM_EXIT_MMIO */
	u64 halt_exits;			/* HLT */
	u64 signal_exits;		/* KVM_RUN ended for a signal (EINTR) */
	u64 hypercalls;			/* hypercalls KVM saw */
	u64 pf_taken;			/* nested page faults the MMU handled */
};

struct kvm_vcpu_arch {
	const struct kvm_exec_ops *engine;	/* what executes the guest (exec/exec.h) */
	void *engine_data;			/* the engine's own per-vCPU state */
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	u64 db[4];				/* DR0-DR3 */
	u64 dr6, dr7;
	u64 xcr0;
	u64 pat;
	/* The MSRs the CPU holds for the guest beyond sregs and PAT (msr.c: which). */
	u64 cpu_msrs[KVM_NR_CPU_MSRS];
	struct kvm_fpu fpu;		/* the x87/SSE state, FXSAVE's layout */
	/*
	 * cpu_msrs and fpu as KVM last saw them: an engine that holds them itself loads them
	 * when KVM_SET_* marked them dirty, and refreshes KVM's copy on sync_state().
	 */
	bool cpu_state_dirty;
	bool guest_state_protected;	/* the VMSA is the guest's: KVM can no longer see it */
	bool has_run;			/* KVM_RUN entered the guest once */
	struct kvm_cpuid_entry2 *cpuid_entries;	/* KVM_SET_CPUID2 (cpuid.c) */
	u32 cpuid_nent;
	struct page *vmsa;		/* SEV-ES/SNP: the VMSA page */
	struct page *tdvpr;		/* TDX: the TD vCPU root page (KVM_TDX_INIT_VCPU) */
	/*
	 * The event delivered before the guest's next instruction (events.c): one the VMM
	 * injected, or one an engine raised whose delivery an exit interrupted.
	 */
	struct kvm_queued_event {
		bool exception;
		u8 vector;
		bool has_error_code;
		u32 error_code;
		bool has_payload;		/* #PF: the CR2 it loads */
		u64 payload;
		bool interrupt;			/* an external interrupt, vector irq */
		u8 irq;
		u8 shadow;			/* KVM_X86_SHADOW_INT_* */
		bool nmi_injected, nmi_pending, nmi_masked;
	} queued;
	/* The model engine's pending guest event (KVM_COCO_VCPU_INJECT_*). */
	struct {
		enum kvm_model_event {
			KVM_MODEL_NONE,
			KVM_MODEL_ACCESS,
			KVM_MODEL_NPF,
			KVM_MODEL_VMMCALL,
			KVM_MODEL_VMGEXIT_MSR,
			KVM_MODEL_TDVMCALL,
		} pending;
		u64 gpa;
		u64 error_code;		/* NPF: the hardware's; ACCESS: KVM_COCO_ACCESS_* */
	} event;
	u64 ghcb_msr;			/* SEV-ES/SNP: the GHCB MSR (the MSR protocol) */
	struct sev_psc *psc;		/* SNP: a GHCB page-state change in flight */
	/* SNP: an extended guest request waiting for KVM_EXIT_SNP_REQ_CERTS's answer */
	struct {
		u64 ghcb_gpa, req_gpa, resp_gpa;
	} snp_ext_req;
	/* TDX: the TDVMCALL registers, and the MapGPA range still to go to userspace. */
	struct {
		u64 r10, r11, r12, r13, r14, r15;
	} tdvmcall;
	u64 map_gpa_next, map_gpa_end;
	u8 pio_insn_len;		/* an IN waiting for its data: the length to skip */
	struct {			/* an MMIO read waiting for its data (mmio.c) */
		u64 gpa;
		u8 len;
	} mmio;
	/* An exit to userspace that the next KVM_RUN finishes (upstream's name). */
	int (*complete_userspace_io)(struct kvm_vcpu *vcpu);
};

#endif
