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

enum kvm_exec_exit_reason {
	KVM_EXEC_EXIT_HLT,		/* the guest halted (the model: nothing left to do) */
	KVM_EXEC_EXIT_NPF,		/* AMD nested page fault / Intel EPT violation */
	KVM_EXEC_EXIT_VMMCALL,		/* VMMCALL (AMD) */
	KVM_EXEC_EXIT_VMGEXIT,		/* VMGEXIT, GHCB MSR protocol (AMD SEV-ES/SNP) */
	KVM_EXEC_EXIT_TDVMCALL,		/* TDG.VP.VMCALL (Intel TDX), R10-R15 in the vCPU */
};

struct kvm_exec_exit {
	enum kvm_exec_exit_reason reason;
	u64 gpa;			/* NPF: as the hardware reports it (TDX: shared bit) */
	u64 error_code;			/* NPF: the hardware's error code */
};

struct kvm_exec_ops {
	const char *name;
	/*
	 * Run @vcpu until it needs the hypervisor; fill @exit and return 0, or return -errno.
	 * @resumed: KVM handled the previous exit itself and resumes the guest (VMRUN after an
	 * exit), as opposed to an entry from userspace's KVM_RUN.
	 */
	int (*run)(struct kvm_vcpu *vcpu, struct kvm_exec_exit *exit, bool resumed);
	/* The engine's own vCPU ioctls; -ENOTTY for any other. */
	long (*vcpu_ioctl)(struct kvm_vcpu *vcpu, unsigned int ioctl, unsigned long arg);
};

/* model.c: exits injected by userspace (KVM_COCO_VCPU_INJECT_*), no guest code */
extern const struct kvm_exec_ops kvm_exec_model_ops;

#endif
