// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: the launch-digest calculators of <kvm-coco.h> over the core's digest code, and
 * the check of a TD's report.
 */
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/snp_digest.h>
#include <asm/tdx.h>
#include <crypto/hash.h>

#include "../arch/x86/kvm/svm/vmsa.h"
#include "../include/kvm-coco.h"

struct kvm_coco_snp_measure {
	struct snp_digest d;
};

struct kvm_coco_snp_measure *kvm_coco_snp_measure_new(void)
{
	struct kvm_coco_snp_measure *m = calloc(1, sizeof(*m));

	if (m && snp_digest_init(&m->d)) {
		free(m);
		m = NULL;
	}
	return m;
}

int kvm_coco_snp_measure_page(struct kvm_coco_snp_measure *m, unsigned int page_type,
			      unsigned long long gpa, const void *page)
{
	if (page_type > U8_MAX)
		return -EINVAL;
	return snp_digest_add_page(&m->d, (u8)page_type, gpa, page);
}

void kvm_coco_snp_reset_vmsa(void *page, unsigned long long sev_features)
{
	sev_es_init_vmsa(page, NULL, NULL, sev_features);
}

void kvm_coco_snp_vmsa(void *page, const struct kvm_regs *regs, const struct kvm_sregs *sregs,
		       unsigned long long sev_features)
{
	sev_es_init_vmsa(page, regs, sregs, sev_features);
}

void kvm_coco_snp_measure_digest(const struct kvm_coco_snp_measure *m, unsigned char out[48])
{
	memcpy(out, m->d.digest, SNP_DIGEST_SIZE);
}

void kvm_coco_snp_measure_free(struct kvm_coco_snp_measure *m)
{
	if (!m)
		return;
	snp_digest_destroy(&m->d);
	free(m);
}

struct kvm_coco_tdx_measure {
	struct crypto_shash *tfm;
	struct tdx_mrtd *mrtd;
};

struct kvm_coco_tdx_measure *kvm_coco_tdx_measure_new(void)
{
	struct kvm_coco_tdx_measure *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->tfm = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(m->tfm))
		goto err_free;
	m->mrtd = tdx_mrtd_start(m->tfm);
	if (!m->mrtd)
		goto err_tfm;
	return m;

err_tfm:
	crypto_free_shash(m->tfm);
err_free:
	free(m);
	return NULL;
}

int kvm_coco_tdx_measure_page(struct kvm_coco_tdx_measure *m, unsigned long long gpa,
			      const void *page, int measured)
{
	unsigned int off;
	int r;

	if (!PAGE_ALIGNED(gpa))
		return -EINVAL;
	r = tdx_mrtd_page_add(m->mrtd, gpa);
	for (off = 0; !r && measured && off < PAGE_SIZE; off += MR_EXTEND_CHUNK)
		r = tdx_mrtd_extend(m->mrtd, gpa + off, (const u8 *)page + off);
	return r;
}

int kvm_coco_tdx_measure_digest(struct kvm_coco_tdx_measure *m, unsigned char out[48])
{
	return tdx_mrtd_final(m->mrtd, out);
}

void kvm_coco_tdx_measure_free(struct kvm_coco_tdx_measure *m)
{
	if (!m)
		return;
	tdx_mrtd_free(m->mrtd);
	crypto_free_shash(m->tfm);
	free(m);
}

int kvm_coco_tdx_report_verify(const void *report)
{
	return tdx_report_verify(report);
}
