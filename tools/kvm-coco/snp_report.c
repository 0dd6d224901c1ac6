// SPDX-License-Identifier: GPL-2.0
/*
 * An SNP attestation report (SNP firmware ABI, version 3) checked with OpenSSL's libcrypto,
 * independently of the firmware model that made it: the chain the guest got with it (the
 * extended request's certificate table) from the ARK a relying party pins, the ECDSA P-384
 * signature over the first 0x2A0 bytes (r and s stored little-endian in 72-byte fields), and
 * the fields the guest's launch and request fix.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <kvm-coco.h>

#include "attest.h"
#include "cli.h"
#include "snp_report.h"

#define R_POLICY		0x008
#define R_FAMILY_ID		0x010
#define R_IMAGE_ID		0x020
#define R_VMPL			0x030
#define R_SIG_ALGO		0x034
#define R_CURRENT_TCB		0x038
#define R_PLATFORM_INFO		0x040
#define R_FLAGS			0x048
#define R_REPORT_DATA		0x050
#define R_MEASUREMENT		0x090
#define R_HOST_DATA		0x0c0
#define R_ID_KEY_DIGEST		0x0e0
#define R_AUTHOR_KEY_DIGEST	0x110
#define R_REPORT_ID		0x140
#define R_REPORTED_TCB		0x180
#define R_CHIP_ID		0x1a0
#define R_COMMITTED_TCB		0x1e0
#define R_LAUNCH_TCB		0x1f0
#define R_SIGNATURE		0x2a0
#define SIG_FIELD		72
#define P384_BYTES		48

static const char *const cert_files[SNP_NR_CERTS] = { "ark.pem", "ask.pem", "vcek.pem" };

static uint64_t get64(const uint8_t *r, unsigned int off)
{
	uint64_t v;

	memcpy(&v, r + off, 8);
	return v;
}

static uint32_t get32(const uint8_t *r, unsigned int off)
{
	uint32_t v;

	memcpy(&v, r + off, 4);
	return v;
}

/* The ARK the relying party trusts: the model chip's (AMD publishes a real chip's). */
static X509 *pinned_ark(void)
{
	char *pem[SNP_NR_CERTS] = {};
	X509 *x = NULL;
	BIO *bio;
	int i;

	if (kvm_coco_snp_cert_chain(kvm_coco_snp_current_tcb(), &pem[SNP_CERT_ARK],
				    &pem[SNP_CERT_ASK], &pem[SNP_CERT_VCEK]))
		return NULL;
	bio = BIO_new_mem_buf(pem[SNP_CERT_ARK], -1);
	if (bio)
		x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	for (i = 0; i < SNP_NR_CERTS; i++)
		free(pem[i]);
	return x;
}

/*
 * The pinned ARK (its self-signature checked too) -> ASK -> VCEK, the chain's ARK with the
 * pinned one's key.  The key is what is pinned: the model issues its certificates afresh.
 */
static bool chain_verifies(X509 *ark, X509 *const c[SNP_NR_CERTS])
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	bool ok = false;

	if (EVP_PKEY_eq(X509_get0_pubkey(ark), X509_get0_pubkey(c[SNP_CERT_ARK])) != 1)
		goto out;
	if (store && ctx && untrusted && X509_STORE_add_cert(store, ark) &&
	    sk_X509_push(untrusted, c[SNP_CERT_ASK]) &&
	    X509_STORE_CTX_init(ctx, store, c[SNP_CERT_VCEK], untrusted)) {
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_CHECK_SS_SIGNATURE);
		ok = X509_verify_cert(ctx) == 1;
	}
out:
	sk_X509_free(untrusted);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return ok;
}

/* A little-endian number of the report as a BIGNUM. */
static BIGNUM *le_bn(const uint8_t *p)
{
	uint8_t be[P384_BYTES];
	int i;

	for (i = 0; i < P384_BYTES; i++)
		be[i] = p[P384_BYTES - 1 - i];
	return BN_bin2bn(be, P384_BYTES, NULL);
}

static bool signature_verifies(const uint8_t *report, X509 *vcek)
{
	EVP_PKEY *key = X509_get_pubkey(vcek);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = le_bn(report + R_SIGNATURE);
	BIGNUM *s = le_bn(report + R_SIGNATURE + SIG_FIELD);
	unsigned char *der = NULL;
	bool ok = false;
	int len;

	if (!key || !md || !sig || !r || !s || !ECDSA_SIG_set0(sig, r, s))
		goto out;
	r = s = NULL;				/* the signature's now */
	len = i2d_ECDSA_SIG(sig, &der);
	ok = len > 0 && EVP_DigestVerifyInit(md, NULL, EVP_sha384(), NULL, key) == 1 &&
	     EVP_DigestVerify(md, der, len, report, R_SIGNATURE) == 1;
out:
	OPENSSL_free(der);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	return ok;
}

static void json_hex(const char *name, const uint8_t *b, unsigned int n)
{
	printf("  \"%s\": \"", name);
	attest_hex(stdout, b, n);
	printf("\",\n");
}

static void json_u64(const char *name, uint64_t v)
{
	printf("  \"%s\": \"%#llx\",\n", name, (unsigned long long)v);
}

static void json_bool(const char *name, bool v, bool last)
{
	printf("  \"%s\": %s%s\n", name, v ? "true" : "false", last ? "" : ",");
}

struct snp_verdict {
	bool chain, signature, measurement, report_data, host_data;
};

/* What a relying party pins: SHA-384 of the ARK's SubjectPublicKeyInfo (DER). */
static void json_key_digest(const char *name, X509 *x)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned char *der = NULL;
	unsigned int n = 0;
	int len = i2d_PUBKEY(X509_get0_pubkey(x), &der);

	if (len > 0 && EVP_Digest(der, len, md, &n, EVP_sha384(), NULL))
		json_hex(name, md, n);
	OPENSSL_free(der);
}

static void print_json(const uint8_t *r, const uint8_t *measurement, X509 *ark,
		       const struct snp_verdict *v)
{
	printf("{\n  \"type\": \"snp\",\n  \"version\": %u,\n  \"guest_svn\": %u,\n",
	       get32(r, 0), get32(r, 4));
	json_u64("policy", get64(r, R_POLICY));
	json_hex("family_id", r + R_FAMILY_ID, 16);
	json_hex("image_id", r + R_IMAGE_ID, 16);
	printf("  \"vmpl\": %u,\n  \"signature_algo\": %u,\n", get32(r, R_VMPL),
	       get32(r, R_SIG_ALGO));
	json_u64("current_tcb", get64(r, R_CURRENT_TCB));
	json_u64("platform_info", get64(r, R_PLATFORM_INFO));
	json_u64("flags", get32(r, R_FLAGS));
	json_hex("report_data", r + R_REPORT_DATA, 64);
	json_hex("measurement", r + R_MEASUREMENT, 48);
	json_hex("measurement_predicted", measurement, 48);
	json_hex("host_data", r + R_HOST_DATA, 32);
	json_hex("id_key_digest", r + R_ID_KEY_DIGEST, 48);
	json_hex("author_key_digest", r + R_AUTHOR_KEY_DIGEST, 48);
	json_hex("report_id", r + R_REPORT_ID, 32);
	json_u64("reported_tcb", get64(r, R_REPORTED_TCB));
	json_hex("chip_id", r + R_CHIP_ID, 64);
	json_u64("committed_tcb", get64(r, R_COMMITTED_TCB));
	json_u64("launch_tcb", get64(r, R_LAUNCH_TCB));
	json_key_digest("ark_key_sha384", ark);
	json_bool("chain_valid", v->chain, false);
	json_bool("signature_valid", v->signature, false);
	json_bool("measurement_matches", v->measurement, false);
	json_bool("report_data_matches", v->report_data, false);
	json_bool("host_data_matches", v->host_data, false);
	json_bool("verified", v->chain && v->signature && v->measurement && v->report_data &&
		  v->host_data, true);
	printf("}\n");
}

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, len, 1, f) != 1 || fclose(f))
		return cli_error("%s: %s", path, strerror(errno));
	return 0;
}

static int write_pem(const char *dir, const char *name, X509 *x)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || !PEM_write_X509(f, x) || fclose(f))
		return cli_error("%s: %s", path, strerror(errno));
	return 0;
}

static int write_files(const char *dir, const uint8_t *report, X509 *const c[SNP_NR_CERTS])
{
	int i;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return cli_error("%s: %s", dir, strerror(errno));
	if (write_file(dir, "report.bin", report, SNP_REPORT_SIZE))
		return 1;
	for (i = 0; i < SNP_NR_CERTS; i++)
		if (write_pem(dir, cert_files[i], c[i]))
			return 1;
	return 0;
}

int snp_report_check(const uint8_t *report, X509 *const certs[SNP_NR_CERTS],
		     const uint8_t measurement[48], const uint8_t report_data[64],
		     const uint8_t host_data[32], const char *out_dir)
{
	X509 *ark = pinned_ark();
	struct snp_verdict v;
	int r = 1;

	if (!ark)
		return cli_error("the pinned ARK: the model chip's chain is not there");
	v.chain = chain_verifies(ark, certs);
	v.signature = signature_verifies(report, certs[SNP_CERT_VCEK]);
	v.measurement = !memcmp(report + R_MEASUREMENT, measurement, 48);
	v.report_data = !memcmp(report + R_REPORT_DATA, report_data, 64);
	v.host_data = !memcmp(report + R_HOST_DATA, host_data, 32);
	print_json(report, measurement, ark, &v);
	if (!out_dir || !write_files(out_dir, report, certs))
		r = !(v.chain && v.signature && v.measurement && v.report_data && v.host_data);
	X509_free(ark);
	return r;
}
