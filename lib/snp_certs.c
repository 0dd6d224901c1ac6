// SPDX-License-Identifier: LGPL-2.1
/*
 * The model chip's certificates, laid out as AMD's key server lays out a real chip's: the ARK
 * (self-signed) and the ASK it signs, RSA-4096 with RSASSA-PSS over SHA-384 (salt 48, MGF1
 * SHA-384), and the VCEK of a TCB, an ECDSA P-384 key the ASK signs, with AMD's extensions
 * (1.3.6.1.4.1.3704.1.*: structure version, product name, the TCB's security patch levels, the
 * chip id as hwID).  The VCEK's key is the firmware model's (snp_fw_vcek_public()); the ARK and
 * ASK keys are made with libcrypto at first use and kept in the cache directory, so a relying
 * party can pin the model ARK across runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <asm/snp_fw.h>
#include "kvm-coco.h"

#define AMD_OID		"1.3.6.1.4.1.3704.1."
#define CERT_YEARS	25

/* $KVM_COCO_SNP_CERT_DIR, else $XDG_CACHE_HOME (or ~/.cache)/kvm-coco/snp-model, made. */
static int cert_dir(char *dir, size_t len)
{
	const char *env = getenv("KVM_COCO_SNP_CERT_DIR"), *base = getenv("XDG_CACHE_HOME");
	char *p;

	if (env)
		snprintf(dir, len, "%s", env);
	else if (base)
		snprintf(dir, len, "%s/kvm-coco/snp-model", base);
	else
		snprintf(dir, len, "%s/.cache/kvm-coco/snp-model",
			 getenv("HOME") ? getenv("HOME") : "/tmp");
	for (p = strchr(dir + 1, '/'); ; p = strchr(p + 1, '/')) {
		if (p)
			*p = 0;
		if (mkdir(dir, 0700) && errno != EEXIST)
			return -errno;
		if (!p)
			return 0;
		*p = '/';
	}
}

/* The RSA-4096 key in @dir/@name: read, or made and stored (first writer wins a race). */
static EVP_PKEY *cached_key(const char *dir, const char *name)
{
	char path[4200], tmp[4300];
	EVP_PKEY *key = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f) {
		key = EVP_RSA_gen(4096);
		snprintf(tmp, sizeof(tmp), "%s.%d", path, getpid());
		f = key ? fopen(tmp, "w") : NULL;
		if (f && fchmod(fileno(f), 0600) == 0 &&
		    PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL)) {
			fclose(f);
			f = NULL;
			if (link(tmp, path) && errno == EEXIST) {	/* another process's */
				EVP_PKEY_free(key);
				key = NULL;
			}
		}
		if (f)
			fclose(f);
		unlink(tmp);
		if (key)
			return key;
		f = fopen(path, "r");
		if (!f)
			return NULL;
	}
	key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	return key;
}

static int add_name(X509_NAME *n, const char *cn)
{
	return X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const u8 *)"US", -1, -1, 0) &&
	       X509_NAME_add_entry_by_txt(n, "ST", MBSTRING_ASC, (const u8 *)"CA", -1, -1, 0) &&
	       X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
					  (const u8 *)"Advanced Micro Devices", -1, -1, 0) &&
	       X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_ASC,
					  (const u8 *)"kvm-coco model", -1, -1, 0) &&
	       X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const u8 *)cn, -1, -1, 0);
}

/* An extension of AMD's arc whose value is @der (already DER, or raw bytes for hwID). */
static int add_amd_ext(X509 *x, const char *oid, const u8 *der, int len)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *val = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext = NULL;
	int ok;

	ok = obj && val && ASN1_OCTET_STRING_set(val, der, len) &&
	     (ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, val)) && X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(val);
	ASN1_OBJECT_free(obj);
	return ok;
}

static int add_amd_int(X509 *x, const char *oid, long v)
{
	ASN1_INTEGER *i = ASN1_INTEGER_new();
	u8 *der = NULL;
	int len, ok;

	len = i && ASN1_INTEGER_set(i, v) ? i2d_ASN1_INTEGER(i, &der) : -1;
	ok = len > 0 && add_amd_ext(x, oid, der, len);
	OPENSSL_free(der);
	ASN1_INTEGER_free(i);
	return ok;
}

/* The VCEK's extensions: structure version 1, "Genoa", the SPLs of @tcb, the chip id. */
static int add_vcek_exts(X509 *x, unsigned long long tcb)
{
	static const u8 product[] = { 0x16, 5, 'G', 'e', 'n', 'o', 'a' };	/* IA5String */
	u8 chip[64];

	snp_fw_chip_id(chip);
	return add_amd_int(x, AMD_OID "1", 1) &&
	       add_amd_ext(x, AMD_OID "2", product, sizeof(product)) &&
	       add_amd_int(x, AMD_OID "3.1", tcb & 0xff) &&		/* boot loader */
	       add_amd_int(x, AMD_OID "3.2", tcb >> 8 & 0xff) &&	/* TEE */
	       add_amd_int(x, AMD_OID "3.3", tcb >> 48 & 0xff) &&	/* SNP */
	       add_amd_int(x, AMD_OID "3.8", tcb >> 56 & 0xff) &&	/* microcode */
	       add_amd_ext(x, AMD_OID "4", chip, sizeof(chip));
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ok = ext && X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* RSASSA-PSS, SHA-384, salt 48, MGF1 SHA-384: what AMD's ARK and ASK sign with. */
static int sign_pss(X509 *x, EVP_PKEY *key)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok;

	ok = md && EVP_DigestSignInit(md, &pctx, EVP_sha384(), NULL, key) > 0 &&
	     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) > 0 &&
	     EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) > 0 && X509_sign_ctx(x, md) > 0;
	EVP_MD_CTX_free(md);
	return ok;
}

/* A certificate of @pub named @cn, signed by @signer as @issuer (NULL: self-signed). */
static X509 *make_cert(const char *cn, EVP_PKEY *pub, X509 *issuer, EVP_PKEY *signer,
		       long serial, bool ca, unsigned long long tcb)
{
	X509 *x = X509_new();
	int ok;

	ok = x && X509_set_version(x, 2) && ASN1_INTEGER_set(X509_get_serialNumber(x), serial) &&
	     add_name(X509_get_subject_name(x), cn) &&
	     X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) :
					      X509_get_subject_name(x)) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), 0) &&
	     X509_gmtime_adj(X509_getm_notAfter(x), (long)CERT_YEARS * 365 * 24 * 3600) &&
	     X509_set_pubkey(x, pub) &&
	     add_ext(x, issuer ? issuer : x, NID_basic_constraints,
		     ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
	     add_ext(x, issuer ? issuer : x, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" :
								 "critical,digitalSignature") &&
	     (ca || add_vcek_exts(x, tcb)) && sign_pss(x, signer);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static EVP_PKEY *vcek_key(unsigned long long tcb)
{
	u8 point[1 + 96] = { 4 };
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	OSSL_PARAM *params = NULL;
	EVP_PKEY *key = NULL;

	if (!snp_fw_vcek_public(tcb, point + 1) && b && ctx &&
	    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)) &&
	    (params = OSSL_PARAM_BLD_to_param(b)) && EVP_PKEY_fromdata_init(ctx) > 0)
		EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(ctx);
	return key;
}

static char *pem(X509 *x)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *out = NULL, *data;
	long len;

	if (bio && PEM_write_bio_X509(bio, x)) {
		len = BIO_get_mem_data(bio, &data);
		out = malloc(len + 1);
		if (out) {
			memcpy(out, data, len);
			out[len] = 0;
		}
	}
	BIO_free(bio);
	return out;
}

unsigned long long kvm_coco_snp_current_tcb(void)
{
	return SNP_FW_TCB_VERSION;
}

int kvm_coco_snp_cert_chain(unsigned long long tcb, char **ark_pem, char **ask_pem,
			    char **vcek_pem)
{
	EVP_PKEY *ark_key = NULL, *ask_key = NULL, *vcek = NULL;
	X509 *ark = NULL, *ask = NULL, *cert = NULL;
	char dir[4096];
	int r;

	*ark_pem = *ask_pem = *vcek_pem = NULL;
	r = cert_dir(dir, sizeof(dir));
	if (r)
		return r;
	r = -ENOMEM;
	ark_key = cached_key(dir, "ark.key.pem");
	ask_key = cached_key(dir, "ask.key.pem");
	vcek = vcek_key(tcb);
	if (!ark_key || !ask_key || !vcek)
		goto out;
	ark = make_cert("ARK-Genoa", ark_key, NULL, ark_key, 1, true, 0);
	ask = ark ? make_cert("SEV-Genoa", ask_key, ark, ark_key, 2, true, 0) : NULL;
	cert = ask ? make_cert("SEV-VCEK", vcek, ask, ask_key, 3, false, tcb) : NULL;
	if (!cert)
		goto out;
	*ark_pem = pem(ark);
	*ask_pem = pem(ask);
	*vcek_pem = pem(cert);
	r = *ark_pem && *ask_pem && *vcek_pem ? 0 : -ENOMEM;
	if (r) {
		free(*ark_pem);
		free(*ask_pem);
		free(*vcek_pem);
		*ark_pem = *ask_pem = *vcek_pem = NULL;
	}
out:
	X509_free(ark);
	X509_free(ask);
	X509_free(cert);
	EVP_PKEY_free(ark_key);
	EVP_PKEY_free(ask_key);
	EVP_PKEY_free(vcek);
	return r;
}
