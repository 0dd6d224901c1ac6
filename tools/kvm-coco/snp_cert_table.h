/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The certificate table of the GHCB's SNP Extended Guest Request: entries of a GUID (in the
 * order its string is written), an offset and a length into the blob, ended by an all-zero
 * entry; the certificates (DER) follow.  The VMM builds it; the relying party reads it.
 */
#ifndef KVM_COCO_SNP_CERT_TABLE_H
#define KVM_COCO_SNP_CERT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

enum snp_cert { SNP_CERT_ARK, SNP_CERT_ASK, SNP_CERT_VCEK, SNP_NR_CERTS };

/* The model chip's chain for @tcb as a table: a malloc'd blob of *@len bytes; 0 or -errno. */
int snp_cert_table_build(uint64_t tcb, uint8_t **blob, size_t *len);
/*
 * The certificates a table of at most @len bytes names (each entry inside @len, each DER or
 * PEM); 0, or -EINVAL for a malformed table or a certificate missing.  X509_free() them.
 */
int snp_cert_table_parse(const uint8_t *blob, size_t len, X509 *certs[SNP_NR_CERTS]);

#endif
