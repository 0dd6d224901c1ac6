// SPDX-License-Identifier: GPL-2.0
/*
 * The attestation guest: asks the SNP firmware for a report with the REPORT_DATA its VMM
 * handed over, as a guest kernel's sev-guest driver does.  It takes VMPCK0 from its secrets
 * page, seals MSG_REPORT_REQ (AES-256-GCM, the header from ALGO on as AAD, the sequence number
 * as IV), sends it with the GHCB's SNP Extended Guest Request (the request and response pages
 * and the certificate pages shared), opens the answer and checks its header, and leaves the
 * opened MSG_REPORT_RSP in the IO page (the certificate table is in its pages).  The first
 * request offers one certificate page, too few: the VMM answers with the number needed
 * (SW_EXITINFO2 INVALID_LEN, RBX), and the same message goes again with that many.  Then the
 * guest asks to be terminated (the GHCB MSR protocol), its result in the IO page.
 */
#include <stdbool.h>

#include "aes_gcm.h"
#include "lib.h"
#include "snp_attest.h"

#define MSR_GHCB		0xc0010130
#define GHCB_MSR_TERM_REQ	0x100
#define GHCB_RAX		0x1f8
#define GHCB_RBX		0x318
#define GHCB_EXIT_CODE		0x390
#define GHCB_EXIT_INFO_1	0x398
#define GHCB_EXIT_INFO_2	0x3a0
#define GHCB_VALID_BITMAP	0x3f0
#define GHCB_VERSION		0xffa
#define SVM_VMGEXIT_EXT_GUEST_REQ	0x80000012u
#define SECRETS_VMPCK0		0x20
#define MSG_REPORT_REQ		5
#define VMM_ERR_INVALID_LEN	(1ull << 32)	/* SW_EXITINFO2: too few certificate pages */
#define MSG_REPORT_RSP		6

/* The SNP firmware ABI's guest message header; the message follows it. */
struct msg_hdr {
	uint8_t authtag[32];
	uint64_t seqno;
	uint8_t rsvd1[8];
	uint8_t algo;			/* the AAD starts here */
	uint8_t hdr_version;
	uint16_t hdr_sz;
	uint8_t type;
	uint8_t version;
	uint16_t size;
	uint32_t rsvd2;
	uint8_t vmpck;
	uint8_t rsvd3[35];
} __attribute__((packed));

#define MSG_AAD_LEN	(sizeof(struct msg_hdr) - 48)

struct report_req {
	uint8_t report_data[64];
	uint32_t vmpl;
	uint32_t key_sel;
	uint8_t rsvd[24];
} __attribute__((packed));

static void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static void vmgexit(void)
{
	asm volatile("rep; vmmcall" : : : "memory");
}

static void __attribute__((noreturn)) terminate(void)
{
	wrmsr(MSR_GHCB, GHCB_MSR_TERM_REQ);
	vmgexit();
	for (;;)
		asm volatile("hlt");
}

static void ghcb_set(uint8_t *ghcb, unsigned int off, uint64_t v)
{
	memcpy(ghcb + off, &v, 8);
	ghcb[GHCB_VALID_BITMAP + off / 64] |= 1 << (off / 8 % 8);
}

static uint64_t ghcb_get(const uint8_t *ghcb, unsigned int off)
{
	uint64_t v;

	memcpy(&v, ghcb + off, 8);
	return v;
}

static void iv_of(uint8_t iv[12], uint64_t seqno)
{
	memset(iv, 0, 12);
	memcpy(iv, &seqno, 8);
}

static void seal_report_req(const struct aes_gcm *key, const struct snp_attest_io *io)
{
	struct msg_hdr *h = (struct msg_hdr *)SNP_ATTEST_REQ;
	struct report_req rq;
	uint8_t iv[12];

	memset(&rq, 0, sizeof(rq));
	memcpy(rq.report_data, io->report_data, 64);
	rq.vmpl = io->vmpl;
	memset(h, 0, 4096);
	h->seqno = 1;
	h->algo = 1;				/* AES-256-GCM */
	h->hdr_version = 1;
	h->hdr_sz = sizeof(*h);
	h->type = MSG_REPORT_REQ;
	h->version = 1;
	h->size = sizeof(rq);
	h->vmpck = 0;
	iv_of(iv, h->seqno);
	aes_gcm_seal(key, iv, &h->algo, MSG_AAD_LEN, (const uint8_t *)&rq, (uint8_t *)(h + 1),
		     sizeof(rq), h->authtag);
}

/*
 * SNP Extended Guest Request through the GHCB page, @npages certificate pages offered: true if
 * KVM, the VMM or the firmware refused (io->exit_info says how).
 */
static bool ext_guest_request(struct snp_attest_io *io, uint64_t npages, uint64_t *rbx)
{
	uint8_t *ghcb = (uint8_t *)SNP_ATTEST_GHCB;

	memset(ghcb, 0, 4096);
	ghcb_set(ghcb, GHCB_EXIT_CODE, SVM_VMGEXIT_EXT_GUEST_REQ);
	ghcb_set(ghcb, GHCB_EXIT_INFO_1, SNP_ATTEST_REQ);
	ghcb_set(ghcb, GHCB_EXIT_INFO_2, SNP_ATTEST_RESP);
	ghcb_set(ghcb, GHCB_RAX, SNP_ATTEST_CERTS);
	ghcb_set(ghcb, GHCB_RBX, npages);
	*(uint16_t *)(ghcb + GHCB_VERSION) = 2;
	wrmsr(MSR_GHCB, SNP_ATTEST_GHCB);
	vmgexit();
	*rbx = ghcb_get(ghcb, GHCB_RBX);
	io->exit_info[0] = ghcb_get(ghcb, GHCB_EXIT_INFO_1);
	io->exit_info[1] = ghcb_get(ghcb, GHCB_EXIT_INFO_2);
	return io->exit_info[0] || io->exit_info[1];
}

/* One page first; then as many as the VMM said the table needs, if the guest has them. */
static bool send_report_req(struct snp_attest_io *io)
{
	uint64_t needed;

	if (!ext_guest_request(io, 1, &needed))
		return false;
	if (io->exit_info[0] || io->exit_info[1] != VMM_ERR_INVALID_LEN ||
	    needed > SNP_ATTEST_CERT_PAGES)
		return true;
	io->cert_pages_needed = needed;
	return ext_guest_request(io, needed, &needed);
}

static enum snp_attest_result open_report_rsp(const struct aes_gcm *key,
					      struct snp_attest_io *io)
{
	const struct msg_hdr *h = (const struct msg_hdr *)SNP_ATTEST_RESP;
	uint8_t iv[12];

	if (h->seqno != 2 || h->type != MSG_REPORT_RSP || h->vmpck != 0 || h->algo != 1 ||
	    h->size != SNP_ATTEST_REPORT_RSP_SIZE)
		return SNP_ATTEST_BAD_HEADER;
	iv_of(iv, h->seqno);
	if (aes_gcm_open(key, iv, &h->algo, MSG_AAD_LEN, (const uint8_t *)(h + 1), io->response,
			 h->size, h->authtag))
		return SNP_ATTEST_BAD_TAG;
	return SNP_ATTEST_OK;
}

void __attribute__((section(".text.entry"), noreturn)) guest_entry(void)
{
	struct snp_attest_io *io = (struct snp_attest_io *)SNP_ATTEST_IO;
	struct aes_gcm key;

	aes_gcm_setkey(&key, (const uint8_t *)SNP_ATTEST_SECRETS + SECRETS_VMPCK0);
	seal_report_req(&key, io);
	if (send_report_req(io))
		io->result = SNP_ATTEST_REFUSED;
	else
		io->result = open_report_rsp(&key, io);
	memset(&key, 0, sizeof(key));
	terminate();
}
