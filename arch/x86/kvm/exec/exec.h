/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_X86_EXEC_EXEC_H
#define __KVM_X86_EXEC_EXEC_H

/*
 * The vCPU engine interface: what executes a guest.  KVM_RUN (x86.c) enters the vCPU's engine,
 * which runs the guest until something needs the hypervisor and returns that as an exit, in
 * the form the hardware reports it (an NPF's error code and gpa, the instruction's length).
 * x86 KVM hands the exit to the VM's vendor ops, then enters the engine again or returns to
 * userspace.  An engine never calls up into KVM: it reads the vCPU's state and the nested page
 * table that the fault path fills (kvm->arch.npt), and writes the vCPU's state.
 */
#include <linux/kvm_host.h>
#include <asm/msr-index.h>

/* vcpu->arch.cpu_msrs[i] is MSR kvm_cpu_msrs[i]: what KVM_GET/SET_MSRS and an engine share. */
static const u32 kvm_cpu_msrs[KVM_NR_CPU_MSRS] __maybe_unused = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK, MSR_KERNEL_GS_BASE,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP, MSR_TSC_AUX,
};

/*
 * Whether the modelled CPU holds MSR @index itself: the ones above, EFER, the FS and GS
 * bases and PAT.  A TD reads and writes these without the TDX module's help; any other is #VE.
 */
static const u32 kvm_sregs_msrs[] __maybe_unused = {
	MSR_EFER, MSR_FS_BASE, MSR_GS_BASE, MSR_IA32_CR_PAT,	/* sregs' and PAT: KVM's copy */
};

static inline bool kvm_msr_is_cpus(u32 index)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kvm_sregs_msrs); i++)
		if (kvm_sregs_msrs[i] == index)
			return true;
	for (i = 0; i < KVM_NR_CPU_MSRS; i++)
		if (kvm_cpu_msrs[i] == index)
			return true;
	return false;
}

enum kvm_exec_exit_reason {
	KVM_EXEC_EXIT_HLT,		/* the guest halted (the model: nothing left to do) */
	KVM_EXEC_EXIT_NPF,		/* AMD nested page fault / Intel EPT violation */
	KVM_EXEC_EXIT_VMMCALL,		/* VMMCALL (AMD) */
	KVM_EXEC_EXIT_VMGEXIT,		/* VMGEXIT, GHCB MSR protocol (AMD SEV-ES/SNP) */
	KVM_EXEC_EXIT_TDVMCALL,		/* TDG.VP.VMCALL (Intel TDX), R10-R15 in the vCPU */
	KVM_EXEC_EXIT_IO,		/* IN or OUT, not yet executed */
	KVM_EXEC_EXIT_CPUID,		/* CPUID, not yet executed */
	KVM_EXEC_EXIT_SHUTDOWN,		/* a triple fault */
	KVM_EXEC_EXIT_UNSUPPORTED,	/* guest state or an instruction the engine cannot run */
	KVM_EXEC_EXIT_INTR,		/* userspace asked for the vCPU (immediate_exit) */
};

struct kvm_exec_exit {
	enum kvm_exec_exit_reason reason;
	u64 gpa;			/* NPF: as the hardware reports it (TDX: shared bit) */
	u64 error_code;			/* NPF: the hardware's */
	struct {
		u16 port;
		u8 size;		/* 1, 2 or 4 */
		bool in;
		u32 data;		/* OUT: what the guest writes */
	} io;
	u8 insn_len;			/* IO, VMMCALL: the instruction's length */
};

/* An access no memory backs, as the engine's emulation of its instruction found it. */
struct kvm_exec_mmio {
	u64 gpa;
	u8 len;				/* 0: nothing for the VMM: the insn is done */
	bool write;
	bool has_data;			/* in: a read's answer from the VMM is in @data */
	u8 data[8];
};

struct kvm_exec_ops {
	const char *name;
	/*
	 * Run @vcpu until it needs the hypervisor; fill @exit and return 0, or return -errno.
	 * @resumed: KVM handled the previous exit itself and resumes the guest (VMRUN after an
	 * exit), as opposed to an entry from userspace's KVM_RUN.
	 */
	int (*run)(struct kvm_vcpu *vcpu, struct kvm_exec_exit *exit, bool resumed);
	/* Optional: the engine's per-vCPU state (vcpu->arch.engine_data). */
	int (*vcpu_create)(struct kvm_vcpu *vcpu);
	void (*vcpu_free)(struct kvm_vcpu *vcpu);
	/*
	 * Optional: a translation went (kvm->arch.npt_gen moved on); return only once no vCPU
	 * of @kvm can still use it.  Called under kvm->slots_lock, never under mmu_lock.
	 */
	void (*flush_remote_tlbs)(struct kvm *kvm);
	/*
	 * Optional: carry out the instruction at RIP, whose access to @mmio->gpa's page no
	 * memory backs (MMIO).  A write: fill @mmio with it and complete the instruction.  A
	 * read with no data yet: fill @mmio, leave the instruction undone.  With
	 * @mmio->has_data: complete the read with it, and fill @mmio with a write that follows
	 * (a read-modify-write), else set its len to 0.  -errno: it cannot emulate the
	 * instruction (it stays undone).
	 */
	int (*emulate_mmio)(struct kvm_vcpu *vcpu, struct kvm_exec_mmio *mmio);
	/*
	 * Optional, for an engine that holds the CPU's state itself: refresh vcpu->arch's
	 * cpu_msrs and fpu from it (the guest may have changed them without an exit).  KVM
	 * marks them cpu_state_dirty when the VMM sets them; the engine loads them before its
	 * next entry.
	 */
	void (*sync_state)(struct kvm_vcpu *vcpu);
	/*
	 * Optional, for an engine that may keep the guest's registers to itself across an exit
	 * KVM handles without them and resumes from (an NPF): put them back in vcpu->arch.regs
	 * and sregs.  KVM calls it before KVM_RUN returns, and nothing in between reads them.
	 */
	void (*sync_regs)(struct kvm_vcpu *vcpu);
	/* The engine's own vCPU ioctls; -ENOTTY for any other. */
	long (*vcpu_ioctl)(struct kvm_vcpu *vcpu, unsigned int ioctl, unsigned long arg);
};

/* model.c: exits injected by userspace (KVM_COCO_VCPU_INJECT_*), no guest code */
extern const struct kvm_exec_ops kvm_exec_model_ops;

/*
 * The engines a host offers, indexed by KVM_COCO_ENGINE_*, and (@dflt) the one new VMs get; a
 * host registers those it has before kvm_coco_init() (the library host: TCG, the default,
 * host/user/tcg.c).  Without one, VMs run on the model.
 */
void kvm_exec_register(unsigned int id, const struct kvm_exec_ops *ops, bool dflt);

#endif
