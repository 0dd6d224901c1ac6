// SPDX-License-Identifier: GPL-2.0
/*
 * The GHCB specification's certificate table for SNP Extended Guest Requests, built by the
 * VMM from the model chip's chain and read back by a relying party.  The GUIDs are AMD's:
 * the ARK, the ASK and the VCEK (a VLEK's is known but the model signs with VCEKs alone).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include <kvm-coco.h>

#include "snp_cert_table.h"

struct cert_entry {
	uint8_t guid[16];
	uint32_t offset;
	uint32_t length;
} __attribute__((packed));

static const uint8_t cert_guids[SNP_NR_CERTS][16] = {
	/* c0b406a4-a803-4952-9743-3fb6014cd0ae */
	[SNP_CERT_ARK] = { 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
			   0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae },
	/* 4ab7b379-bbac-4fe4-a02f-05aef327c782 */
	[SNP_CERT_ASK] = { 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
			   0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 },
	/* 63da758d-e664-4564-adc5-f4b93be8accd */
	[SNP_CERT_VCEK] = { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
			    0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd },
};

static X509 *pem_to_x509(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	return x;
}

/* Each certificate of the chain in DER, after the table (SNP_NR_CERTS entries and the end). */
static int table_fill(char *pem[SNP_NR_CERTS], uint8_t **blob, size_t *len)
{
	struct cert_entry e[SNP_NR_CERTS + 1] = {};
	unsigned char *der[SNP_NR_CERTS] = {};
	size_t off = sizeof(e);
	int i, n, r = -EINVAL;
	X509 *x;

	for (i = 0; i < SNP_NR_CERTS; i++) {
		x = pem_to_x509(pem[i]);
		n = x ? i2d_X509(x, &der[i]) : -1;
		X509_free(x);
		if (n <= 0)
			goto out;
		memcpy(e[i].guid, cert_guids[i], 16);
		e[i].offset = off;
		e[i].length = n;
		off += n;
	}
	r = -ENOMEM;
	*blob = calloc(1, off);
	if (!*blob)
		goto out;
	memcpy(*blob, e, sizeof(e));
	for (i = 0; i < SNP_NR_CERTS; i++)
		memcpy(*blob + e[i].offset, der[i], e[i].length);
	*len = off;
	r = 0;
out:
	for (i = 0; i < SNP_NR_CERTS; i++)
		OPENSSL_free(der[i]);
	return r;
}

int snp_cert_table_build(uint64_t tcb, uint8_t **blob, size_t *len)
{
	char *pem[SNP_NR_CERTS] = {};
	int i, r;

	r = kvm_coco_snp_cert_chain(tcb, &pem[SNP_CERT_ARK], &pem[SNP_CERT_ASK],
				    &pem[SNP_CERT_VCEK]);
	if (!r)
		r = table_fill(pem, blob, len);
	for (i = 0; i < SNP_NR_CERTS; i++)
		free(pem[i]);
	return r;
}

static X509 *cert_at(const uint8_t *p, uint32_t length)
{
	const unsigned char *d = p;
	X509 *x = d2i_X509(NULL, &d, length);
	BIO *bio;

	if (x)
		return x;
	bio = BIO_new_mem_buf(p, length);
	x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	return x;
}

int snp_cert_table_parse(const uint8_t *blob, size_t len, X509 *certs[SNP_NR_CERTS])
{
	static const uint8_t end[sizeof(struct cert_entry)];
	struct cert_entry e;
	size_t pos;
	int i;

	memset(certs, 0, SNP_NR_CERTS * sizeof(*certs));
	for (pos = 0; ; pos += sizeof(e)) {
		if (pos + sizeof(e) > len)
			goto bad;			/* no end entry */
		memcpy(&e, blob + pos, sizeof(e));
		if (!memcmp(&e, end, sizeof(e)))
			break;
		if (e.offset > len || e.length > len - e.offset)
			goto bad;
		for (i = 0; i < SNP_NR_CERTS; i++)
			if (!memcmp(e.guid, cert_guids[i], 16) && !certs[i])
				certs[i] = cert_at(blob + e.offset, e.length);
	}
	for (i = 0; i < SNP_NR_CERTS; i++)
		if (!certs[i])
			goto bad;
	return 0;
bad:
	for (i = 0; i < SNP_NR_CERTS; i++) {
		X509_free(certs[i]);
		certs[i] = NULL;
	}
	return -EINVAL;
}
