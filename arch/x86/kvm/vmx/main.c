// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel VT: the vendor ops of TDs (the model has no VMX guests of its own), and their exits:
 * the EPT violation, whose gpa carries the shared bit, and TDG.VP.VMCALL.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/kvm_host.h>

#include "../exec/exec.h"
#include "../x86.h"
#include "tdx.h"
#include "vmx.h"

static int vt_handle_exit(struct kvm_vcpu *vcpu, const struct kvm_exec_exit *exit)
{
	switch (exit->reason) {
	case KVM_EXEC_EXIT_NPF:
		return tdx_handle_ept_violation(vcpu, exit->gpa, exit->error_code);
	case KVM_EXEC_EXIT_TDVMCALL:
		return tdx_handle_tdvmcall(vcpu);
	default:
		return kvm_handle_common_exit(vcpu, exit);
	}
}

static int vt_vcpu_create(struct kvm_vcpu *vcpu)
{
	/* The TDVPR comes with KVM_TDX_INIT_VCPU. */
	return 0;
}

/* Ours: what a TD offers beyond upstream (kvm_coco.h). */
static long vt_vm_ioctl(struct kvm *kvm, unsigned int ioctl, void __user *argp)
{
	if (ioctl == KVM_COCO_TDX_GET_MRTD)
		return tdx_get_mrtd(kvm, argp);
	return -ENOTTY;
}

const struct kvm_x86_ops vt_x86_ops = {
	.name = "vt",
	.vm_init = tdx_vm_init,
	.vm_destroy = tdx_td_free,
	.vcpu_create = vt_vcpu_create,
	.vcpu_free = tdx_vcpu_free,
	.vcpu_pre_run = tdx_vcpu_pre_run,
	.handle_exit = vt_handle_exit,
	.mem_enc_ioctl = tdx_vm_ioctl,
	.vcpu_mem_enc_ioctl = tdx_vcpu_ioctl,
	.vm_ioctl = vt_vm_ioctl,
	.gmem_prepare = tdx_gmem_prepare,
	.gmem_invalidate = tdx_gmem_invalidate,
	/* A TD's private translation is its S-EPT entry: zapping it takes the page out. */
	.remove_private_spte = tdx_zap_private,
};
