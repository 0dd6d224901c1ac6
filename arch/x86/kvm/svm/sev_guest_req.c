// SPDX-License-Identifier: GPL-2.0-only
/*
 * An SNP guest's messages to the firmware (GHCB spec: SNP Guest Request, SNP Extended Guest
 * Request): SW_EXITINFO1 is the gpa of the request page, SW_EXITINFO2 of the response page,
 * both shared.  KVM copies the request into a page of its own, has the firmware answer into a
 * firmware page (SNP_GUEST_REQUEST with the guest's context), and copies the answer to the
 * response page; the firmware's status goes back in SW_EXITINFO2's low half, KVM's own in its
 * high half, as upstream encodes them.  The extended request of a report also names pages
 * (RAX, RBX: gpa and count) for the certificates.  KVM has none of its own: it writes the
 * empty table (24 zero bytes) there, as 6.12 does, unless the VMM asked for the pages with
 * KVM_SEV_SNP_ENABLE_REQ_CERTS (upstream 7.0): then the request waits in KVM_EXIT_SNP_REQ_CERTS
 * while the VMM writes the table, and the VMM's answer decides how it goes on: sent to the
 * firmware, or refused with the number of pages the table needs, busy, or failed.
 *
 * Stricter than upstream 6.12: a request or response page that is private, or in no memslot,
 * is refused to the guest (SW_EXITINFO1 2, INVALID_INPUT); upstream reads the page's shared
 * backing, or fails KVM_RUN with EIO.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>

#include "sev.h"
#include "svm.h"

#define GHCB_RESP_ERROR			2
#define GHCB_ERR_INVALID_INPUT		5
#define SNP_GUEST_VMM_ERR_SHIFT		32
#define MSG_TYPE_OFFSET			0x34
#define MSG_REPORT_REQ			5
#define CERT_TABLE_END			24		/* a zero GUID, offset and length */
/* SW_EXITINFO2's high half: the VMM's own errors (GHCB spec; the last is KVM's choice). */
#define SNP_GUEST_VMM_ERR_INVALID_LEN	1ULL
#define SNP_GUEST_VMM_ERR_BUSY		2ULL
#define SNP_GUEST_VMM_ERR_GENERIC	0xffffffffULL

/* The request: a shared page of guest memory, within a memslot. */
static bool guest_req_page_ok(struct kvm *kvm, u64 gpa)
{
	gfn_t gfn = gpa >> PAGE_SHIFT;
	bool ok;

	if (!PAGE_ALIGNED(gpa))
		return false;
	mutex_lock(&kvm->slots_lock);
	ok = kvm_gfn_to_memslot(kvm, 0, gfn) && !kvm_mem_is_private(kvm, gfn);
	mutex_unlock(&kvm->slots_lock);
	return ok;
}

/* The firmware's answer in the response page, its status in *info2; or KVM_RUN's error. */
static int guest_req(struct kvm *kvm, u64 req_gpa, u64 resp_gpa, u64 *info2)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_snp_guest_request data = {};
	struct page *req, *resp;
	int r, fw_err = 0;

	req = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	resp = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	r = -ENOMEM;
	if (!req || !resp)
		goto out;
	r = -EFAULT;
	if (kvm_read_guest(kvm, req_gpa, page_address(req), PAGE_SIZE))
		goto out;
	r = -EIO;
	if (snp_make_firmware(kvm, page_to_pfn(resp)))
		goto out;
	data.gctx_paddr = sev_context_paddr(sev);
	data.req_paddr = (u64)page_to_pfn(req) << PAGE_SHIFT;
	data.res_paddr = (u64)page_to_pfn(resp) << PAGE_SHIFT;
	r = sev_issue_cmd(kvm, sev->fd, SEV_CMD_SNP_GUEST_REQUEST, &data, &fw_err);
	/* Firmware refusals are the guest's to hear; anything else is KVM_RUN's error. */
	if (r && !fw_err)
		goto reclaim;
	r = kvm_write_guest(kvm, resp_gpa, page_address(resp), PAGE_SIZE) ? -EFAULT : 0;
	*info2 = (u32)fw_err;
reclaim:
	if (snp_page_reclaim(kvm, page_to_pfn(resp)))
		resp = NULL;			/* leaked: counted with the VM */
out:
	if (req)
		__free_page(req);
	if (resp)
		__free_page(resp);
	return r;
}

int snp_handle_guest_req(struct kvm_vcpu *vcpu, u64 req_gpa, u64 resp_gpa, u64 *info1,
			 u64 *info2)
{
	struct kvm *kvm = vcpu->kvm;

	*info1 = 0;
	*info2 = 0;
	if (!guest_req_page_ok(kvm, req_gpa) || !guest_req_page_ok(kvm, resp_gpa)) {
		*info1 = GHCB_RESP_ERROR;
		*info2 = GHCB_ERR_INVALID_INPUT;
		return 0;
	}
	return guest_req(kvm, req_gpa, resp_gpa, info2);
}

/* The certificate pages to the VMM: the exit, answered in snp_complete_req_certs(). */
static int snp_exit_req_certs(struct kvm_vcpu *vcpu, u64 certs_gpa, u64 npages)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_SNP_REQ_CERTS;
	run->snp_req_certs.gpa = certs_gpa;
	run->snp_req_certs.npages = npages;
	run->snp_req_certs.ret = 0;
	return SNP_REQ_CERTS_EXIT;
}

int snp_handle_ext_guest_req(struct kvm_vcpu *vcpu, u64 req_gpa, u64 resp_gpa, bool have_regs,
			     u64 certs_gpa, u64 npages, u64 *info1, u64 *info2)
{
	struct kvm *kvm = vcpu->kvm;
	u8 type;

	*info1 = 0;
	*info2 = 0;
	if (!guest_req_page_ok(kvm, req_gpa) ||
	    kvm_read_guest(kvm, req_gpa + MSG_TYPE_OFFSET, &type, 1))
		goto invalid;
	/* Only a report request has certificate pages: RAX and RBX must say where, as upstream. */
	if (type == MSG_REPORT_REQ) {
		if (!have_regs || !PAGE_ALIGNED(certs_gpa))
			goto invalid;
		/* The VMM's pages to fill: like upstream, KVM checks no more than alignment. */
		if (kvm->arch.sev_info.snp_certs_enabled)
			return snp_exit_req_certs(vcpu, certs_gpa, npages);
		if (npages && !guest_req_page_ok(kvm, certs_gpa))
			goto invalid;
		if (npages && kvm_write_guest(kvm, certs_gpa, &(u8[CERT_TABLE_END]){},
					      CERT_TABLE_END))
			return -EFAULT;
	}
	return snp_handle_guest_req(vcpu, req_gpa, resp_gpa, info1, info2);

invalid:
	*info1 = GHCB_RESP_ERROR;
	*info2 = GHCB_ERR_INVALID_INPUT;
	return 0;
}

/*
 * The VMM's answer to KVM_EXIT_SNP_REQ_CERTS, on the next KVM_RUN: 0 sends the request to the
 * firmware; ENOSPC tells the guest the pages the table needs (*rbx); EAGAIN and EIO refuse it.
 * Any other answer is the VMM's mistake: KVM_RUN fails with EINVAL, as upstream.
 */
int snp_complete_req_certs(struct kvm_vcpu *vcpu, u64 req_gpa, u64 resp_gpa, u64 *info1,
			   u64 *info2, u64 *rbx)
{
	struct kvm_exit_snp_req_certs *c = &vcpu->run->snp_req_certs;

	*info1 = 0;
	switch (READ_ONCE(c->ret)) {
	case 0:
		return snp_handle_guest_req(vcpu, req_gpa, resp_gpa, info1, info2);
	case ENOSPC:
		*rbx = READ_ONCE(c->npages);
		*info2 = SNP_GUEST_VMM_ERR_INVALID_LEN << SNP_GUEST_VMM_ERR_SHIFT;
		return 0;
	case EAGAIN:
		*info2 = SNP_GUEST_VMM_ERR_BUSY << SNP_GUEST_VMM_ERR_SHIFT;
		return 0;
	case EIO:
		*info2 = SNP_GUEST_VMM_ERR_GENERIC << SNP_GUEST_VMM_ERR_SHIFT;
		return 0;
	}
	return -EINVAL;
}
