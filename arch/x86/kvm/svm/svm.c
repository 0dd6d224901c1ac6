// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD SVM exit handling for the vCPUs the model engine runs: which vCPUs may run, and the
 * nested page fault, whose EXITINFO1 error code says (bit 34, PFERR_GUEST_ENC) whether the
 * guest accessed its memory through the C-bit.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/kvm_host.h>
#include <asm/sev.h>

#include "../mmu.h"
#include "sev.h"
#include "svm.h"

int svm_vcpu_pre_run(struct kvm_vcpu *vcpu)
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

int svm_npf_interception(struct kvm_vcpu *vcpu, u64 gpa, u64 error_code)
{
	/*
	 * ENC means private only where private memory exists: SEV and SEV-ES guests encrypt
	 * their memory but have none, and their C-bit accesses are ordinary faults.
	 */
	if (sev_snp_guest(vcpu->kvm) && (error_code & PFERR_GUEST_ENC_MASK))
		error_code |= PFERR_PRIVATE_ACCESS;
	return kvm_mmu_page_fault(vcpu, gpa, error_code);
}
