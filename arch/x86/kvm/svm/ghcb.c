// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMGEXIT through the GHCB MSR protocol (GHCB spec): the request in bits 11:0 of the MSR,
 * its data above.  The one that matters here is the page-state change (0x014) an SNP guest
 * sends before it PVALIDATEs or releases a page.  KVM does not convert: it exits to the VMM
 * as the KVM_HC_MAP_GPA_RANGE hypercall would, and answers the guest (0x015, an error in bits
 * 63:32) with what the VMM answered.  Also: GHCB GPA registration and the preferred GPA, and
 * termination, which the VMM sees as a system event.  The GHCB page protocol: ghcb_page.c.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <asm/sev.h>

#include "../x86.h"
#include "sev.h"
#include "svm.h"

#define GHCB_MSR_PREF_GPA_REQ		0x010
#define GHCB_MSR_PREF_GPA_RESP		0x011
#define GHCB_MSR_PREF_GPA_NONE		0xfffffffffffffULL
#define GHCB_MSR_REG_GPA_REQ		0x012
#define GHCB_MSR_REG_GPA_RESP		0x013
#define GHCB_MSR_TERM_REQ		0x100
#define GHCB_MSR_GPA_VALUE(msr)		((msr) >> 12)
#define GHCB_MSR_PSC_REQ		0x014
#define GHCB_MSR_PSC_RESP		0x015
/* Upstream's answer for every failure: the top bit, as a generic error. */
#define GHCB_MSR_PSC_RESP_ERROR		(BIT_ULL(63) | GHCB_MSR_PSC_RESP)
#define GHCB_MSR_PSC_GFN(msr)		(((msr) & GENMASK_ULL(51, 12)) >> 12)
#define GHCB_MSR_PSC_OP(msr)		(((msr) & GENMASK_ULL(55, 52)) >> 52)
#define SNP_PAGE_STATE_PRIVATE		1
#define SNP_PAGE_STATE_SHARED		2

/*
 * The guest asked to be terminated, or asked what only an SNP guest may: the VMM decides.
 * @data: the GHCB MSR (MSR protocol) or the GHCB's gpa (page protocol).
 */
int sev_terminate_exit(struct kvm_vcpu *vcpu, u64 data)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = KVM_SYSTEM_EVENT_SEV_TERM;
	run->system_event.ndata = 1;
	run->system_event.data[0] = data;
	return 0;
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
	u64 msr = vcpu->arch.ghcb_msr, req = msr & GHCB_MSR_INFO_MASK;

	if (!vcpu->kvm->arch.sev_info.es_active)
		return -EINVAL;
	/* No request code: the MSR is the GPA of the GHCB page. */
	if (!req)
		return sev_handle_vmgexit_ghcb(vcpu, msr);
	/* SNP's requests: upstream terminates an SEV-ES guest that makes one. */
	if (!sev_snp_guest(vcpu->kvm) && (req == GHCB_MSR_PSC_REQ ||
					  req == GHCB_MSR_REG_GPA_REQ ||
					  req == GHCB_MSR_PREF_GPA_REQ))
		return sev_terminate_exit(vcpu, msr);
	switch (req) {
	case GHCB_MSR_PSC_REQ:
		return snp_begin_psc_msr(vcpu, msr);
	case GHCB_MSR_REG_GPA_REQ:
		/* Acknowledged; a VMGEXIT may name any shared page as its GHCB. */
		vcpu->arch.ghcb_msr = GHCB_MSR_GPA_VALUE(msr) << 12 | GHCB_MSR_REG_GPA_RESP;
		return 1;
	case GHCB_MSR_PREF_GPA_REQ:
		vcpu->arch.ghcb_msr = GHCB_MSR_PREF_GPA_NONE << 12 | GHCB_MSR_PREF_GPA_RESP;
		return 1;
	case GHCB_MSR_TERM_REQ:
		return sev_terminate_exit(vcpu, msr);
	default:
		/* As upstream: an unknown request is answered by leaving the MSR as it was. */
		return 1;
	}
}
