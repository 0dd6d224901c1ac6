/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVM_COCO_ATTEST_H
#define KVM_COCO_ATTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* What `kvm-coco attest` was asked for. */
struct attest_opts {
	const char *out;		/* TDX: the report's file; SNP: a directory */
	uint8_t report_data[64];
	uint8_t host_data[32];		/* SNP: LAUNCH_FINISH's HOST_DATA */
	uint64_t policy;		/* SNP: LAUNCH_START's policy */
	uint32_t vmpl;			/* SNP: the VMPL the guest asks the report for */
};

int attest_tdx(const struct attest_opts *o);
int attest_snp(const struct attest_opts *o);

/* @n bytes as lowercase hex. */
void attest_hex(FILE *f, const uint8_t *b, unsigned int n);

#endif
