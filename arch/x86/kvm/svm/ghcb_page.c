// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMGEXIT through the GHCB page (GHCB spec v2): the GHCB MSR holds the GPA of a shared page
 * the guest filled (the exit code, its information and, for larger requests, a buffer), and
 * KVM answers in the same page.  KVM reads the page with the guest's shared memory accessors
 * and writes back only the fields it answers, as the guest expects nothing else to change.
 *
 * The request that matters is the page-state change (SVM_VMGEXIT_PSC) a Linux guest sends
 * with many entries at once: each run of contiguous entries with the same operation becomes
 * one KVM_HC_MAP_GPA_RANGE exit to the VMM, the header's cur_entry and each entry's cur_page
 * record the progress (so a guest, or a VMM that stops midway, sees how far it got), and the
 * guest gets 0 or upstream's error in SW_EXITINFO2.  Like 6.12: PSMASH and UNSMASH complete
 * without an exit (there are no 2 MiB RMP entries to split or join here).  Termination is the
 * system event the MSR protocol's is; guest requests go to the firmware (sev_guest_req.c); any
 * other exit code is refused as an invalid event.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/kvm_host.h>
#include <asm/sev.h>

#include "../x86.h"
#include "sev.h"
#include "svm.h"

/* GHCB layout (offsets in the page), and the valid bitmap's bit of a save-area field. */
#define GHCB_RAX			0x1f8
#define GHCB_RBX			0x318
#define GHCB_SW_EXIT_CODE		0x390
#define GHCB_SW_EXIT_INFO_1		0x398
#define GHCB_SW_EXIT_INFO_2		0x3a0
#define GHCB_SW_SCRATCH			0x3a8
#define GHCB_VALID_BITMAP		0x3f0
#define GHCB_SHARED_BUFFER		0x800
#define GHCB_SHARED_BUFFER_SIZE		2032
#define GHCB_USAGE			0xffc
#define GHCB_VALID_BIT(offset)		((offset) / 8)

#define SVM_VMGEXIT_PSC			0x80000010ULL
#define SVM_VMGEXIT_GUEST_REQUEST	0x80000011ULL
#define SVM_VMGEXIT_EXT_GUEST_REQUEST	0x80000012ULL
#define SVM_VMGEXIT_TERM_REQUEST	0x8000fffeULL

/* SW_EXITINFO1 2: SW_EXITINFO2 says what was wrong with the request. */
#define GHCB_RESP_ERROR			2
#define GHCB_ERR_INVALID_USAGE		2
#define GHCB_ERR_INVALID_SCRATCH_AREA	3
#define GHCB_ERR_MISSING_INPUT		4
#define GHCB_ERR_INVALID_EVENT		6

/* The PSC buffer: a header, then entries; the errors go in SW_EXITINFO2. */
struct psc_hdr {
	u16 cur_entry;
	u16 end_entry;
	u32 reserved;
} __packed;

#define VMGEXIT_PSC_MAX_ENTRY		253
#define PSC_CUR_PAGE(e)			((e) & GENMASK_ULL(11, 0))
#define PSC_GFN(e)			(((e) & GENMASK_ULL(51, 12)) >> 12)
#define PSC_OP(e)			(((e) & GENMASK_ULL(55, 52)) >> 52)
#define PSC_2M				BIT_ULL(56)
#define PSC_OP_PRIVATE			1
#define PSC_OP_SHARED			2
#define PSC_OP_PSMASH			3
#define PSC_OP_UNSMASH			4
#define VMGEXIT_PSC_ERROR_GENERIC	(0x100ULL << 32)
#define VMGEXIT_PSC_ERROR_INVALID_HDR	((1ULL << 32) | 1)
#define VMGEXIT_PSC_ERROR_INVALID_ENTRY	((1ULL << 32) | 2)

/* A page-state change on its way through the VMM (vcpu->arch.psc). */
struct sev_psc {
	u64 ghcb_gpa, scratch_gpa;
	unsigned int len;		/* bytes of @buf the request covers */
	unsigned int run_first, run_last;	/* the entries of the exit in flight */
	union {				/* entries 8-byte aligned, as in the GHCB */
		struct psc_hdr hdr;
		u8 buf[GHCB_SHARED_BUFFER_SIZE];
	} __aligned(8);
};

static u64 *psc_entries(struct sev_psc *psc)
{
	return (u64 *)(psc->buf + sizeof(struct psc_hdr));
}

static int ghcb_write_u64(struct kvm_vcpu *vcpu, u64 ghcb_gpa, unsigned int offset, u64 v)
{
	return kvm_write_guest(vcpu->kvm, ghcb_gpa + offset, &v, sizeof(v));
}

/* Mark the field at @offset valid in the GHCB's bitmap, as an answer that sets it does. */
static int ghcb_set_valid(struct kvm_vcpu *vcpu, u64 ghcb_gpa, unsigned int offset)
{
	u64 byte_gpa = ghcb_gpa + GHCB_VALID_BITMAP + GHCB_VALID_BIT(offset) / 8;
	u8 b;

	if (kvm_read_guest(vcpu->kvm, byte_gpa, &b, 1))
		return -EFAULT;
	b |= BIT(GHCB_VALID_BIT(offset) % 8);
	return kvm_write_guest(vcpu->kvm, byte_gpa, &b, 1);
}

/* The answer in SW_EXITINFO1/2; the guest goes on. */
static int ghcb_answer(struct kvm_vcpu *vcpu, u64 ghcb_gpa, u64 info1, u64 info2)
{
	if (ghcb_write_u64(vcpu, ghcb_gpa, GHCB_SW_EXIT_INFO_1, info1) ||
	    ghcb_write_u64(vcpu, ghcb_gpa, GHCB_SW_EXIT_INFO_2, info2))
		return -EFAULT;
	return 1;
}

/* The entry's pages: 1 or 512; 0 if it is malformed. */
static unsigned int psc_entry_pages(u64 e)
{
	unsigned int npages = (e & PSC_2M) ? 512 : 1;

	if (PSC_OP(e) < PSC_OP_PRIVATE || PSC_OP(e) > PSC_OP_UNSMASH ||
	    PSC_CUR_PAGE(e) > npages || !IS_ALIGNED(PSC_GFN(e), npages))
		return 0;
	return npages;
}

/* Done: the buffer's progress back into the GHCB, and the answer. */
static int snp_psc_finish(struct kvm_vcpu *vcpu, u64 error)
{
	struct sev_psc *psc = vcpu->arch.psc;
	int r;

	vcpu->arch.psc = NULL;
	r = kvm_write_guest(vcpu->kvm, psc->scratch_gpa, psc->buf, psc->len);
	if (!r)
		r = ghcb_answer(vcpu, psc->ghcb_gpa, 0, error);
	kfree(psc);
	return r;
}

static int snp_complete_psc(struct kvm_vcpu *vcpu);

/* The next run of entries to the VMM, or the answer when none is left. */
static int snp_psc_next(struct kvm_vcpu *vcpu)
{
	struct sev_psc *psc = vcpu->arch.psc;
	u64 *e = psc_entries(psc), gfn = 0, count = 0;
	unsigned int i = psc->hdr.cur_entry, npages, op = 0;

	for (; i <= psc->hdr.end_entry; i++) {
		npages = psc_entry_pages(e[i]);
		/* A bad entry ends the run before it; with none, the guest learns which. */
		if (!npages && !count)
			return snp_psc_finish(vcpu, VMGEXIT_PSC_ERROR_INVALID_ENTRY);
		if (count) {
			/* The run goes on while the next entry continues it. */
			if (!npages || PSC_OP(e[i]) != op ||
			    PSC_GFN(e[i]) + PSC_CUR_PAGE(e[i]) != gfn + count)
				break;
			count += npages - PSC_CUR_PAGE(e[i]);
			continue;
		}
		op = PSC_OP(e[i]);
		if (PSC_CUR_PAGE(e[i]) == npages || op == PSC_OP_PSMASH || op == PSC_OP_UNSMASH) {
			e[i] = (e[i] & ~GENMASK_ULL(11, 0)) | npages;
			psc->hdr.cur_entry = i + 1;
			continue;
		}
		psc->run_first = i;
		gfn = PSC_GFN(e[i]) + PSC_CUR_PAGE(e[i]);
		count = npages - PSC_CUR_PAGE(e[i]);
	}
	if (!count)
		return snp_psc_finish(vcpu, 0);
	psc->run_last = i - 1;
	kvm_prepare_map_gpa_range_exit(vcpu, gfn << PAGE_SHIFT, count,
				       op == PSC_OP_PRIVATE ? KVM_MAP_GPA_RANGE_ENCRYPTED :
							      KVM_MAP_GPA_RANGE_DECRYPTED, true);
	vcpu->arch.complete_userspace_io = snp_complete_psc;
	return 0;
}

/* The VMM converted a run (or refused: upstream's generic error, the rest left undone). */
static int snp_complete_psc(struct kvm_vcpu *vcpu)
{
	struct sev_psc *psc = vcpu->arch.psc;
	u64 *e = psc_entries(psc);
	unsigned int i;

	if (vcpu->run->hypercall.ret)
		return snp_psc_finish(vcpu, VMGEXIT_PSC_ERROR_GENERIC);
	for (i = psc->run_first; i <= psc->run_last; i++)
		e[i] = (e[i] & ~GENMASK_ULL(11, 0)) | psc_entry_pages(e[i]);
	psc->hdr.cur_entry = psc->run_last + 1;
	return snp_psc_next(vcpu);
}

/* SVM_VMGEXIT_PSC: the buffer at SW_SCRATCH, which must lie in the GHCB's shared buffer. */
static int snp_begin_psc(struct kvm_vcpu *vcpu, u64 ghcb_gpa, u64 scratch)
{
	u64 buf_gpa = ghcb_gpa + GHCB_SHARED_BUFFER, off = scratch - buf_gpa;
	struct sev_psc *psc;
	struct psc_hdr hdr;

	if (scratch < buf_gpa || off + sizeof(hdr) > GHCB_SHARED_BUFFER_SIZE)
		return ghcb_answer(vcpu, ghcb_gpa, GHCB_RESP_ERROR, GHCB_ERR_INVALID_SCRATCH_AREA);
	if (kvm_read_guest(vcpu->kvm, scratch, &hdr, sizeof(hdr)))
		return -EFAULT;
	if (hdr.end_entry >= VMGEXIT_PSC_MAX_ENTRY || hdr.cur_entry > hdr.end_entry ||
	    off + sizeof(hdr) + (hdr.end_entry + 1) * sizeof(u64) > GHCB_SHARED_BUFFER_SIZE)
		return ghcb_answer(vcpu, ghcb_gpa, 0, VMGEXIT_PSC_ERROR_INVALID_HDR);
	/* Without the VMM's consent to MAP_GPA_RANGE exits there is no one to convert. */
	if (!user_exit_on_hypercall(vcpu->kvm, KVM_HC_MAP_GPA_RANGE))
		return ghcb_answer(vcpu, ghcb_gpa, 0, VMGEXIT_PSC_ERROR_GENERIC);
	psc = kzalloc(sizeof(*psc), GFP_KERNEL_ACCOUNT);
	if (!psc)
		return -ENOMEM;
	psc->ghcb_gpa = ghcb_gpa;
	psc->scratch_gpa = scratch;
	psc->len = sizeof(hdr) + (hdr.end_entry + 1) * sizeof(u64);
	if (kvm_read_guest(vcpu->kvm, scratch, psc->buf, psc->len)) {
		kfree(psc);
		return -EFAULT;
	}
	vcpu->arch.psc = psc;
	return snp_psc_next(vcpu);
}

static bool ghcb_valid(const u8 *bitmap, unsigned int offset)
{
	return bitmap[GHCB_VALID_BIT(offset) / 8] & BIT(GHCB_VALID_BIT(offset) % 8);
}

static int ghcb_read_u64(struct kvm_vcpu *vcpu, u64 ghcb_gpa, unsigned int offset, u64 *v)
{
	return kvm_read_guest(vcpu->kvm, ghcb_gpa + offset, v, sizeof(*v));
}

/* The VMM answered KVM_EXIT_SNP_REQ_CERTS: the request goes on, or the guest hears why not. */
static int snp_complete_ext_req(struct kvm_vcpu *vcpu)
{
	u64 ghcb_gpa = vcpu->arch.snp_ext_req.ghcb_gpa, info1, info2, rbx = 0;
	int r;

	r = snp_complete_req_certs(vcpu, vcpu->arch.snp_ext_req.req_gpa,
				   vcpu->arch.snp_ext_req.resp_gpa, &info1, &info2, &rbx);
	if (r)
		return r;
	/* RBX back to the guest, marked valid, as upstream's GHCB sync marks it. */
	if (rbx && (ghcb_write_u64(vcpu, ghcb_gpa, GHCB_RBX, rbx) ||
		    ghcb_set_valid(vcpu, ghcb_gpa, GHCB_RBX)))
		return -EFAULT;
	return ghcb_answer(vcpu, ghcb_gpa, info1, info2);
}

/* SNP (Extended) Guest Request: the pages in SW_EXITINFO1/2 (and RAX, RBX). */
static int snp_guest_request(struct kvm_vcpu *vcpu, u64 ghcb_gpa, const u8 *bitmap, bool ext)
{
	u64 req, resp, certs = 0, npages = 0, info1, info2;
	bool have_regs;
	int r;

	if (!sev_snp_guest(vcpu->kvm))
		return ghcb_answer(vcpu, ghcb_gpa, GHCB_RESP_ERROR, GHCB_ERR_INVALID_EVENT);
	if (ghcb_read_u64(vcpu, ghcb_gpa, GHCB_SW_EXIT_INFO_1, &req) ||
	    ghcb_read_u64(vcpu, ghcb_gpa, GHCB_SW_EXIT_INFO_2, &resp) ||
	    (ext && (ghcb_read_u64(vcpu, ghcb_gpa, GHCB_RAX, &certs) ||
		     ghcb_read_u64(vcpu, ghcb_gpa, GHCB_RBX, &npages))))
		return -EFAULT;
	have_regs = ghcb_valid(bitmap, GHCB_RAX) && ghcb_valid(bitmap, GHCB_RBX);
	r = ext ? snp_handle_ext_guest_req(vcpu, req, resp, have_regs, certs, npages, &info1,
					   &info2) :
		  snp_handle_guest_req(vcpu, req, resp, &info1, &info2);
	if (r == SNP_REQ_CERTS_EXIT) {
		vcpu->arch.snp_ext_req.ghcb_gpa = ghcb_gpa;
		vcpu->arch.snp_ext_req.req_gpa = req;
		vcpu->arch.snp_ext_req.resp_gpa = resp;
		vcpu->arch.complete_userspace_io = snp_complete_ext_req;
		return 0;
	}
	return r ?: ghcb_answer(vcpu, ghcb_gpa, info1, info2);
}

int sev_handle_vmgexit_ghcb(struct kvm_vcpu *vcpu, u64 ghcb_gpa)
{
	u8 bitmap[16] = {};
	u64 code, scratch;
	u32 usage;

	if (kvm_read_guest(vcpu->kvm, ghcb_gpa + GHCB_USAGE, &usage, sizeof(usage)) ||
	    kvm_read_guest(vcpu->kvm, ghcb_gpa + GHCB_VALID_BITMAP, bitmap, sizeof(bitmap)) ||
	    kvm_read_guest(vcpu->kvm, ghcb_gpa + GHCB_SW_EXIT_CODE, &code, sizeof(code)) ||
	    kvm_read_guest(vcpu->kvm, ghcb_gpa + GHCB_SW_SCRATCH, &scratch, sizeof(scratch)))
		return sev_terminate_exit(vcpu, ghcb_gpa);
	/* As upstream: the fields are the guest's once read; the next request marks them anew. */
	if (kvm_write_guest(vcpu->kvm, ghcb_gpa + GHCB_VALID_BITMAP, &(u8[16]){}, 16))
		return -EFAULT;
	if (usage)
		return ghcb_answer(vcpu, ghcb_gpa, GHCB_RESP_ERROR, GHCB_ERR_INVALID_USAGE);
	if (!ghcb_valid(bitmap, GHCB_SW_EXIT_CODE) || !ghcb_valid(bitmap, GHCB_SW_EXIT_INFO_1) ||
	    !ghcb_valid(bitmap, GHCB_SW_EXIT_INFO_2))
		return ghcb_answer(vcpu, ghcb_gpa, GHCB_RESP_ERROR, GHCB_ERR_MISSING_INPUT);
	switch (code) {
	case SVM_VMGEXIT_PSC:
		if (!ghcb_valid(bitmap, GHCB_SW_SCRATCH))
			return ghcb_answer(vcpu, ghcb_gpa, GHCB_RESP_ERROR,
					   GHCB_ERR_MISSING_INPUT);
		return snp_begin_psc(vcpu, ghcb_gpa, scratch);
	case SVM_VMGEXIT_GUEST_REQUEST:
	case SVM_VMGEXIT_EXT_GUEST_REQUEST:
		return snp_guest_request(vcpu, ghcb_gpa, bitmap,
					 code == SVM_VMGEXIT_EXT_GUEST_REQUEST);
	case SVM_VMGEXIT_TERM_REQUEST:
		return sev_terminate_exit(vcpu, ghcb_gpa);
	default:
		return ghcb_answer(vcpu, ghcb_gpa, GHCB_RESP_ERROR, GHCB_ERR_INVALID_EVENT);
	}
}

void sev_free_psc(struct kvm_vcpu *vcpu)
{
	kfree(vcpu->arch.psc);
	vcpu->arch.psc = NULL;
}
