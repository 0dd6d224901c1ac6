// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMGEXIT through the GHCB MSR protocol (GHCB spec): the request in bits 11:0 of the MSR,
 * its data above.  Modelled: the page-state change (0x014) an SNP guest sends before it
 * PVALIDATEs or releases a page.  KVM does not convert: it exits to the VMM as the
 * KVM_HC_MAP_GPA_RANGE hypercall would, and answers the guest (0x015, an error in bits 63:32)
 * with what the VMM answered.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>

#include "../x86.h"
#include "sev.h"
#include "svm.h"

#define GHCB_MSR_INFO_MASK		0xfffULL
#define GHCB_MSR_PSC_REQ		0x014
#define GHCB_MSR_PSC_RESP		0x015
/* Upstream's answer for every failure: the top bit, as a generic error. */
#define GHCB_MSR_PSC_RESP_ERROR		(BIT_ULL(63) | GHCB_MSR_PSC_RESP)
#define GHCB_MSR_PSC_GFN(msr)		(((msr) & GENMASK_ULL(51, 12)) >> 12)
#define GHCB_MSR_PSC_OP(msr)		(((msr) & GENMASK_ULL(55, 52)) >> 52)
#define SNP_PAGE_STATE_PRIVATE		1
#define SNP_PAGE_STATE_SHARED		2

bool sev_ghcb_msr_request_valid(struct kvm_vcpu *vcpu, u64 msr)
{
	return sev_snp_guest(vcpu->kvm) && (msr & GHCB_MSR_INFO_MASK) == GHCB_MSR_PSC_REQ;
}

static int snp_complete_psc_msr(struct kvm_vcpu *vcpu)
{
	vcpu->arch.ghcb_msr = vcpu->run->hypercall.ret ? GHCB_MSR_PSC_RESP_ERROR :
						       GHCB_MSR_PSC_RESP;
	return 1;
}

static int snp_begin_psc_msr(struct kvm_vcpu *vcpu, u64 msr)
{
	u64 op = GHCB_MSR_PSC_OP(msr);

	if ((op != SNP_PAGE_STATE_PRIVATE && op != SNP_PAGE_STATE_SHARED) ||
	    !user_exit_on_hypercall(vcpu->kvm, KVM_HC_MAP_GPA_RANGE)) {
		vcpu->arch.ghcb_msr = GHCB_MSR_PSC_RESP_ERROR;
		return 1;
	}
	kvm_prepare_map_gpa_range_exit(vcpu, GHCB_MSR_PSC_GFN(msr) << PAGE_SHIFT, 1,
				       KVM_MAP_GPA_RANGE_PAGE_SZ_4K |
				       (op == SNP_PAGE_STATE_PRIVATE ? KVM_MAP_GPA_RANGE_ENCRYPTED :
								       KVM_MAP_GPA_RANGE_DECRYPTED),
				       true);
	vcpu->arch.complete_userspace_io = snp_complete_psc_msr;
	return 0;
}

int sev_handle_vmgexit_msr(struct kvm_vcpu *vcpu)
{
	u64 msr = vcpu->arch.ghcb_msr;

	if (WARN_ON_ONCE(!sev_ghcb_msr_request_valid(vcpu, msr)))
		return -EINVAL;
	return snp_begin_psc_msr(vcpu, msr);
}
