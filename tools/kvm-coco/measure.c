// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-coco measure: predict a launch digest from the pages a VMM will load, with the firmware
 * model's own measurement code and no VM (what sev-snp-measure does for guest owners).
 * Pages are measured in command-line order, 4 KiB each; the VMSAs come last, one per vCPU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kvm-coco.h>

#include "cli.h"
#include "launch_args.h"

static int measure_snp_page(struct kvm_coco_snp_measure *m, unsigned int type,
			    unsigned long long gpa, const void *page)
{
	int r = kvm_coco_snp_measure_page(m, type, gpa, page);

	if (r)
		return cli_error("measure: page at %#llx: %s", gpa, strerror(-r));
	return 0;
}

static int measure_snp_step(struct kvm_coco_snp_measure *m, const struct launch_step *s)
{
	unsigned char page[4096];
	unsigned long long off;

	for (off = 0; off < s->len; off += sizeof(page)) {
		launch_step_page(s, off, page);
		if (measure_snp_page(m, s->type, s->gpa + off, page))
			return 1;
	}
	return 0;
}

static void print_digest(const char *label, const unsigned char *d, unsigned int n)
{
	unsigned int i;

	printf("%s: ", label);
	for (i = 0; i < n; i++)
		printf("%02x", d[i]);
	printf("\n");
}

static int measure_snp(const struct launch_args *a)
{
	struct kvm_coco_snp_measure *m = kvm_coco_snp_measure_new();
	unsigned char digest[48];
	unsigned int i;
	int r = 1;

	if (!m)
		return cli_error("measure: cannot set up SHA-384");
	for (i = 0; i < a->nr_steps; i++)
		if (measure_snp_step(m, &a->steps[i]))
			goto out;
	for (i = 0; i < a->vcpus; i++)
		if (measure_snp_page(m, LAUNCH_PAGE_VMSA, KVM_COCO_SNP_VMSA_GPA, a->vmsa))
			goto out;
	kvm_coco_snp_measure_digest(m, digest);
	print_digest("launch digest", digest, sizeof(digest));
	r = 0;
out:
	kvm_coco_snp_measure_free(m);
	return r;
}

/* TDX: each page added, then (unless unmeasured) its sixteen 256-byte extends. */
static int measure_tdx(const struct launch_args *a)
{
	struct kvm_coco_tdx_measure *m = kvm_coco_tdx_measure_new();
	unsigned char page[4096], mrtd[48];
	unsigned long long off;
	unsigned int i;
	int r = 1;

	if (!m)
		return cli_error("measure: cannot set up SHA-384");
	for (i = 0; i < a->nr_steps; i++) {
		const struct launch_step *s = &a->steps[i];

		for (off = 0; off < s->len; off += sizeof(page)) {
			launch_step_page(s, off, page);
			if (kvm_coco_tdx_measure_page(m, s->gpa + off, page,
						      s->type == LAUNCH_PAGE_NORMAL)) {
				cli_error("measure: page at %#llx failed", s->gpa + off);
				goto out;
			}
		}
	}
	if (kvm_coco_tdx_measure_digest(m, mrtd)) {
		cli_error("measure: SHA-384 failed");
		goto out;
	}
	print_digest("MRTD", mrtd, sizeof(mrtd));
	r = 0;
out:
	kvm_coco_tdx_measure_free(m);
	return r;
}

int cmd_measure(int argc, char **argv)
{
	struct launch_args a;
	int r;

	if (launch_args_parse(&a, argc, argv, "measure"))
		return 1;
	r = a.tdx ? measure_tdx(&a) : measure_snp(&a);
	launch_args_free(&a);
	return r;
}
