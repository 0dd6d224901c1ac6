// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD SVM: the vendor ops of every VM type but TDX (default, software-protected, SEV, SEV-ES,
 * SNP), and their exits: which vCPUs may run, the nested page fault, whose EXITINFO1 error
 * code says (bit 34, PFERR_GUEST_ENC) whether the guest accessed its memory through the
 * C-bit, VMMCALL and VMGEXIT.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/kvm_host.h>
#include <asm/sev.h>

#include "../exec/exec.h"
#include "../mmu.h"
#include "../x86.h"
#include "sev.h"
#include "svm.h"

static int svm_vcpu_pre_run(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;

	/* As upstream: an SEV-type VM runs nothing before KVM_SEV_INIT2. */
	if (sev_vm_type(kvm) && !sev_guest(kvm))
		return -EINVAL;
	/* Ours: protected state runs only once it is the guest's (LAUNCH_FINISH). */
	if (kvm->arch.has_protected_state && !vcpu->arch.guest_state_protected)
		return -EINVAL;
	return 0;
}

static int svm_npf_interception(struct kvm_vcpu *vcpu, u64 gpa, u64 error_code)
{
	/*
	 * ENC means private only where private memory exists: SEV and SEV-ES guests encrypt
	 * their memory but have none, and their C-bit accesses are ordinary faults.
	 */
	if (sev_snp_guest(vcpu->kvm) && (error_code & PFERR_GUEST_ENC_MASK))
		error_code |= PFERR_PRIVATE_ACCESS;
	return kvm_mmu_page_fault(vcpu, gpa, error_code);
}

static int svm_handle_exit(struct kvm_vcpu *vcpu, const struct kvm_exec_exit *exit)
{
	switch (exit->reason) {
	case KVM_EXEC_EXIT_NPF:
		return svm_npf_interception(vcpu, exit->gpa, exit->error_code);
	case KVM_EXEC_EXIT_VMMCALL:
		return kvm_emulate_hypercall(vcpu);
	case KVM_EXEC_EXIT_VMGEXIT:
		return sev_handle_vmgexit_msr(vcpu);
	default:
		return kvm_handle_common_exit(vcpu, exit);
	}
}

static void svm_vm_init(struct kvm *kvm)
{
	kvm->arch.hw.amd = true;
	kvm->arch.hw.c_bit = sev_vm_type(kvm);
	INIT_LIST_HEAD(&kvm->arch.sev_info.regions);
	INIT_LIST_HEAD(&kvm->arch.sev_info.mirrors);
}

/* Ours: what an SEV-type VM offers beyond upstream (kvm_coco.h). */
static long svm_vm_ioctl(struct kvm *kvm, unsigned int ioctl, void __user *argp)
{
	switch (ioctl) {
	case KVM_COCO_SNP_GET_LAUNCH_DIGEST:
		return sev_snp_get_launch_digest(kvm, argp);
	case KVM_COCO_GET_TRACE:
		return sev_get_trace(kvm, argp);
	case KVM_MEMORY_ENCRYPT_REG_REGION:
		return sev_mem_enc_register_region(kvm, argp);
	case KVM_MEMORY_ENCRYPT_UNREG_REGION:
		return sev_mem_enc_unregister_region(kvm, argp);
	default:
		return -ENOTTY;
	}
}

const struct kvm_x86_ops svm_x86_ops = {
	.name = "svm",
	.vm_init = svm_vm_init,
	.vm_destroy = sev_vm_destroy,
	.vcpu_create = sev_vcpu_create,
	.vcpu_free = sev_free_vcpu,
	.vcpu_pre_run = svm_vcpu_pre_run,
	.handle_exit = svm_handle_exit,
	.mem_enc_ioctl = sev_mem_enc_ioctl,
	.vm_move_enc_context_from = sev_vm_move_enc_context_from,
	.vm_copy_enc_context_from = sev_vm_copy_enc_context_from,
	.vm_ioctl = svm_vm_ioctl,
	.gmem_prepare = sev_gmem_prepare,
	.gmem_invalidate = sev_gmem_invalidate,
	.dev_get_attr = sev_dev_get_attr,
	/* An SNP page stays assigned while guest_memfd holds it: nothing to undo here. */
};
