/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_SNP_DIGEST_H
#define _ASM_X86_SNP_DIGEST_H

/*
 * The SEV-SNP launch digest (SNP firmware ABI, PAGE_INFO): every page the firmware adds to a
 * guest at launch extends digest' = SHA-384(PAGE_INFO), where PAGE_INFO carries the current
 * digest, the page contents' SHA-384 (NORMAL and VMSA pages; zeros for the others), the page
 * type and the gpa.  One code path serves the firmware model and `kvm-coco measure`.
 */

#include <linux/types.h>

#define SNP_DIGEST_SIZE		48
#define SNP_VMSA_GPA		0xFFFFFFFFF000ULL

/* SNP firmware page types (SNP_LAUNCH_UPDATE PAGE_TYPE). */
enum snp_page_type {
	SNP_PAGE_TYPE_NORMAL		= 0x1,
	SNP_PAGE_TYPE_VMSA		= 0x2,
	SNP_PAGE_TYPE_ZERO		= 0x3,
	SNP_PAGE_TYPE_UNMEASURED	= 0x4,
	SNP_PAGE_TYPE_SECRETS		= 0x5,
	SNP_PAGE_TYPE_CPUID		= 0x6,
};

/* PAGE_INFO, 0x70 bytes, little endian. */
struct snp_page_info {
	u8 digest_cur[SNP_DIGEST_SIZE];
	u8 contents[SNP_DIGEST_SIZE];
	u16 length;			/* 0x70 */
	u8 page_type;
	u8 imi_page;
	u8 vmpl3_perms;
	u8 vmpl2_perms;
	u8 vmpl1_perms;
	u8 reserved;
	u64 gpa;
} __packed;

struct crypto_shash;

struct snp_digest {
	u8 digest[SNP_DIGEST_SIZE];
	struct crypto_shash *tfm;
};

int snp_digest_init(struct snp_digest *d);
void snp_digest_destroy(struct snp_digest *d);
bool snp_page_type_valid(u8 page_type);
void snp_page_info_fill(const struct snp_digest *d, struct snp_page_info *info, u8 page_type,
			u64 gpa);
int snp_digest_add_page(struct snp_digest *d, u8 page_type, u64 gpa, const void *page);

#endif
