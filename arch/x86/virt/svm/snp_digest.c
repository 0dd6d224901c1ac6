// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV-SNP launch digest: the PAGE_INFO chain of the SNP firmware ABI (see
 * asm/snp_digest.h).  Pages are measured in the order the firmware adds them, 4 KiB each.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <crypto/hash.h>
#include <asm/snp_digest.h>

int snp_digest_init(struct snp_digest *d)
{
	BUILD_BUG_ON(sizeof(struct snp_page_info) != 0x70);

	memset(d->digest, 0, sizeof(d->digest));
	d->tfm = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(d->tfm)) {
		int r = PTR_ERR(d->tfm);

		d->tfm = NULL;
		return r;
	}
	return 0;
}

void snp_digest_destroy(struct snp_digest *d)
{
	if (d->tfm)
		crypto_free_shash(d->tfm);
	d->tfm = NULL;
}

bool snp_page_type_valid(u8 page_type)
{
	return page_type >= SNP_PAGE_TYPE_NORMAL && page_type <= SNP_PAGE_TYPE_CPUID;
}

static bool snp_page_type_measured(u8 page_type)
{
	return page_type == SNP_PAGE_TYPE_NORMAL || page_type == SNP_PAGE_TYPE_VMSA;
}

/* PAGE_INFO for a page of @page_type at @gpa, without its contents digest. */
void snp_page_info_fill(const struct snp_digest *d, struct snp_page_info *info, u8 page_type,
			u64 gpa)
{
	memset(info, 0, sizeof(*info));
	memcpy(info->digest_cur, d->digest, sizeof(info->digest_cur));
	info->length = sizeof(*info);
	info->page_type = page_type;
	info->gpa = gpa;
}

/*
 * Extend the digest with one 4 KiB page.  @page is read only for NORMAL and VMSA pages; the
 * other types are measured by type and gpa alone.
 */
int snp_digest_add_page(struct snp_digest *d, u8 page_type, u64 gpa, const void *page)
{
	struct snp_page_info info;
	int r;

	if (!snp_page_type_valid(page_type) || !PAGE_ALIGNED(gpa))
		return -EINVAL;

	snp_page_info_fill(d, &info, page_type, gpa);
	if (snp_page_type_measured(page_type)) {
		r = crypto_shash_tfm_digest(d->tfm, page, PAGE_SIZE, info.contents);
		if (r)
			return r;
	}
	return crypto_shash_tfm_digest(d->tfm, (const u8 *)&info, sizeof(info), d->digest);
}
