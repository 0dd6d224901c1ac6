/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attestation guest of `kvm-coco attest --type snp` and its VMM: the guest-physical
 * layout both sides build on, and the page through which the VMM hands over the request and
 * takes the answer.
 *
 * The first 2 MiB are private, mapped 1:1 with the C-bit; the second 2 MiB are shared, mapped
 * 1:1 without it.  Launched (measured): the page tables, GDT and stack, [PML4, SECRETS); the
 * secrets page; the program, linked at TEXT (guest.lds).
 */
#ifndef KVM_COCO_GUEST_SNP_ATTEST_H
#define KVM_COCO_GUEST_SNP_ATTEST_H

#include <stdint.h>

#define SNP_ATTEST_MEM		0x400000ul
#define SNP_ATTEST_PML4		0x1000ul	/* PML4, PDPT, PD */
#define SNP_ATTEST_GDT		0x4000ul
#define SNP_ATTEST_STACK_TOP	0xe000ul
#define SNP_ATTEST_SECRETS	0xf000ul
#define SNP_ATTEST_TEXT		0x10000ul	/* guest.lds links the program here */
#define SNP_ATTEST_SHARED	0x200000ul
#define SNP_ATTEST_GHCB		(SNP_ATTEST_SHARED + 0x0000)
#define SNP_ATTEST_REQ		(SNP_ATTEST_SHARED + 0x1000)
#define SNP_ATTEST_RESP		(SNP_ATTEST_SHARED + 0x2000)
#define SNP_ATTEST_IO		(SNP_ATTEST_SHARED + 0x3000)
#define SNP_ATTEST_CERTS	(SNP_ATTEST_SHARED + 0x4000)
#define SNP_ATTEST_CERT_PAGES	8		/* the most the guest offers */
#define SNP_ATTEST_C_BIT	(1ull << 51)	/* the model CPU's C-bit position */

/* The guest's result: what went wrong, if anything. */
enum snp_attest_result {
	SNP_ATTEST_OK,
	SNP_ATTEST_REFUSED,		/* SW_EXITINFO1 or 2 non-zero: see exit_info */
	SNP_ATTEST_BAD_HEADER,		/* the response's header is not the answer's */
	SNP_ATTEST_BAD_TAG,		/* the response does not open under VMPCK0 */
};

#define SNP_ATTEST_REPORT_RSP_SIZE	0x4c0	/* status, size, reserved, the report */

/* The IO page (shared).  The VMM writes the request; the guest the rest. */
struct snp_attest_io {
	uint8_t report_data[64];
	uint32_t vmpl;
	uint32_t result;		/* enum snp_attest_result */
	uint64_t exit_info[2];		/* SW_EXITINFO1 and 2 after the request */
	uint64_t cert_pages_needed;	/* RBX after a first request with one page: too few */
	uint8_t rsvd[32];
	uint8_t response[SNP_ATTEST_REPORT_RSP_SIZE];	/* MSG_REPORT_RSP's payload, opened */
};

#endif
