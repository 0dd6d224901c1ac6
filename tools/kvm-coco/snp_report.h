/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVM_COCO_SNP_REPORT_H
#define KVM_COCO_SNP_REPORT_H

#include <stdint.h>

#include "snp_cert_table.h"

#define SNP_REPORT_SIZE		0x4a0

/*
 * Verify an SNP attestation report as a relying party does: the chain that came with it
 * (@certs: ARK, ASK, VCEK) from the pinned ARK (the model chip's, as AMD's would be), the
 * VCEK's signature, the measurement, REPORT_DATA and HOST_DATA against what was expected;
 * print it with the verdicts as JSON.  With @out_dir, also write report.bin, ark.pem, ask.pem
 * and vcek.pem there (scripts/verify-snp-report.sh takes them).  0 only if every check holds.
 */
int snp_report_check(const uint8_t *report, X509 *const certs[SNP_NR_CERTS],
		     const uint8_t measurement[48], const uint8_t report_data[64],
		     const uint8_t host_data[32], const char *out_dir);

#endif
