// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 KVM: architecture set-up, VM and vCPU types, the architectural vCPU state that
 * KVM_{GET,SET}_{REGS,SREGS} expose, and dispatch of the x86 VM and vCPU ioctls.
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/sev.h>
#include <asm/tdx.h>

#include "exec/model.h"
#include "x86.h"
#include "svm/sev.h"
#include "vmx/tdx.h"

int kvm_arch_init(void)
{
	int r, err;

	r = snp_rmptable_init();
	if (r)
		return r;
	/* As kvm-amd does at load: bring up the SNP firmware. */
	r = sev_platform_init(&err);
	if (r) {
		pr_err("SNP_INIT failed: firmware status %#x\n", err);
		goto err_rmp;
	}
	/* As kvm-intel does: the TDX module and its PAMT. */
	r = tdx_module_init();
	if (r)
		goto err_sev;
	return 0;

err_sev:
	sev_platform_shutdown();
err_rmp:
	snp_rmptable_exit();
	return r;
}

void kvm_arch_exit(void)
{
	tdx_module_exit();
	sev_platform_shutdown();
	snp_rmptable_exit();
}

void kvm_arch_init_vm(struct kvm *kvm, unsigned long type)
{
	kvm->arch.vm_type = type;
	kvm->arch.has_private_mem = type == KVM_X86_SW_PROTECTED_VM ||
				    type == KVM_X86_SNP_VM || type == KVM_X86_TDX_VM;
	kvm->arch.has_protected_state = type == KVM_X86_SEV_ES_VM ||
					type == KVM_X86_SNP_VM || type == KVM_X86_TDX_VM;
	xa_init(&kvm->arch.npt);
	tdx_vm_init(kvm);
}

void kvm_arch_destroy_vm(struct kvm *kvm)
{
	xa_destroy(&kvm->arch.npt);
	sev_vm_destroy(kvm);
	tdx_td_free(kvm);
}

int kvm_arch_vcpu_create(struct kvm_vcpu *vcpu)
{
	kvm_vcpu_arch_reset(&vcpu->arch, !vcpu->vcpu_id);
	return sev_vcpu_create(vcpu);
}

void kvm_arch_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	sev_free_vcpu(vcpu);
	tdx_vcpu_free(vcpu);
}

int kvm_arch_gmem_invalidate(struct kvm *kvm, unsigned long pfn)
{
	if (kvm->arch.vm_type == KVM_X86_TDX_VM)
		return tdx_gmem_invalidate(kvm, pfn);
	return sev_gmem_invalidate(kvm, pfn);
}

/* A private fault's page goes to the guest through its vendor. */
int kvm_arch_gmem_prepare(struct kvm *kvm, gfn_t gfn, unsigned long pfn)
{
	if (kvm->arch.vm_type == KVM_X86_TDX_VM)
		return tdx_gmem_prepare(kvm, gfn, pfn);
	return sev_gmem_prepare(kvm, gfn, pfn);
}

/* KVM_ENABLE_CAP on a VM: flags, unused arguments and pad must be zero (ours: strict). */
static int kvm_vm_ioctl_enable_cap(struct kvm *kvm, void __user *argp)
{
	struct kvm_enable_cap cap;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	if (cap.flags || memchr_inv(&cap.args[1], 0, sizeof(cap.args) - sizeof(cap.args[0])) ||
	    memchr_inv(cap.pad, 0, sizeof(cap.pad)))
		return -EINVAL;
	switch (cap.cap) {
	case KVM_CAP_EXIT_HYPERCALL:
		if (cap.args[0] & ~KVM_EXIT_HYPERCALL_VALID_MASK)
			return -EINVAL;
		WRITE_ONCE(kvm->arch.hypercall_exit_enabled, cap.args[0]);
		return 0;
	default:
		return -EINVAL;
	}
}

long kvm_arch_vm_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct kvm *kvm = filp->private_data;

	switch (ioctl) {
	case KVM_ENABLE_CAP:
		return kvm_vm_ioctl_enable_cap(kvm, (void __user *)arg);
	case KVM_MEMORY_ENCRYPT_OP:
		if (kvm->arch.vm_type == KVM_X86_TDX_VM)
			return tdx_vm_ioctl(kvm, (void __user *)arg);
		return sev_mem_enc_ioctl(kvm, (void __user *)arg);
	case KVM_COCO_TDX_GET_MRTD:
		return tdx_get_mrtd(kvm, (void __user *)arg);
	case KVM_COCO_SNP_GET_LAUNCH_DIGEST:
		return sev_snp_get_launch_digest(kvm, (void __user *)arg);
	case KVM_COCO_GET_TRACE:
		return sev_get_trace(kvm, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

/* The architectural state at INIT/RESET (SDM/APM), as KVM establishes it. */
void kvm_vcpu_arch_reset(struct kvm_vcpu_arch *a, bool bsp)
{
	struct kvm_segment data = { .limit = 0xffff, .type = 3, .present = 1, .s = 1 };

	memset(&a->regs, 0, sizeof(a->regs));
	memset(&a->sregs, 0, sizeof(a->sregs));
	a->regs.rdx = 0x600;
	a->regs.rip = 0xfff0;
	a->regs.rflags = 0x2;
	a->sregs.cs = (struct kvm_segment){ .base = 0xffff0000, .limit = 0xffff,
					    .selector = 0xf000, .type = 0xb, .present = 1,
					    .s = 1 };
	a->sregs.ds = data;
	a->sregs.es = data;
	a->sregs.fs = data;
	a->sregs.gs = data;
	a->sregs.ss = data;
	a->sregs.ldt = (struct kvm_segment){ .limit = 0xffff, .type = 2, .present = 1 };
	a->sregs.tr = (struct kvm_segment){ .limit = 0xffff, .type = 3, .present = 1 };
	a->sregs.gdt.limit = 0xffff;
	a->sregs.idt.limit = 0xffff;
	a->sregs.cr0 = 0x60000010;		/* CD | NW | ET */
	a->sregs.apic_base = 0xfee00000 | BIT(11) | (bsp ? BIT(8) : 0);
	a->dr6 = 0xffff0ff0;
	a->dr7 = 0x400;
	a->xcr0 = 0x1;
	a->pat = 0x0007040600070406ULL;
}

static bool kvm_is_valid_sregs(const struct kvm_sregs *s)
{
	unsigned int i, pending = 0;

	if ((s->cr0 & X86_CR0_PG) && !(s->cr0 & X86_CR0_PE))
		return false;
	if ((s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG) && !(s->cr4 & X86_CR4_PAE))
		return false;
	/* At most one pending interrupt can be injected. */
	for (i = 0; i < ARRAY_SIZE(s->interrupt_bitmap); i++)
		pending += hweight64(s->interrupt_bitmap[i]);
	return pending <= 1;
}

static long kvm_vcpu_ioctl_regs(struct kvm_vcpu *vcpu, unsigned int ioctl,
				void __user *argp)
{
	/* Once the VMSA is the guest's, KVM cannot see or change the registers. */
	if (vcpu->arch.guest_state_protected)
		return -EINVAL;

	switch (ioctl) {
	case KVM_GET_REGS:
		return copy_to_user(argp, &vcpu->arch.regs, sizeof(vcpu->arch.regs)) ?
		       -EFAULT : 0;
	case KVM_SET_REGS: {
		struct kvm_regs regs;

		if (copy_from_user(&regs, argp, sizeof(regs)))
			return -EFAULT;
		vcpu->arch.regs = regs;
		return 0;
	}
	case KVM_GET_SREGS:
		return copy_to_user(argp, &vcpu->arch.sregs, sizeof(vcpu->arch.sregs)) ?
		       -EFAULT : 0;
	case KVM_SET_SREGS: {
		struct kvm_sregs sregs;

		if (copy_from_user(&sregs, argp, sizeof(sregs)))
			return -EFAULT;
		if (!kvm_is_valid_sregs(&sregs))
			return -EINVAL;
		vcpu->arch.sregs = sregs;
		return 0;
	}
	}
	return -ENOTTY;
}

long kvm_arch_vcpu_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct kvm_vcpu *vcpu = filp->private_data;

	switch (ioctl) {
	case KVM_GET_REGS:
	case KVM_SET_REGS:
	case KVM_GET_SREGS:
	case KVM_SET_SREGS:
		return kvm_vcpu_ioctl_regs(vcpu, ioctl, (void __user *)arg);
	case KVM_MEMORY_ENCRYPT_OP:
		return tdx_vcpu_ioctl(vcpu, (void __user *)arg);
	case KVM_RUN:
		return kvm_arch_vcpu_run(vcpu, arg);
	default:
		/* The model engine's own: the events a guest would cause. */
		return kvm_model_vcpu_ioctl(vcpu, ioctl, arg);
	}
}
