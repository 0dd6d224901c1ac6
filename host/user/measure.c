// SPDX-License-Identifier: GPL-2.0
/* Library host: the launch-digest calculators of <kvm-coco.h> over the core's digest code. */
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/snp_digest.h>

#include "../../arch/x86/kvm/svm/vmsa.h"
#include "../../include/kvm-coco.h"

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
	sev_es_init_reset_vmsa(page, sev_features);
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
