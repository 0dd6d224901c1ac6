// SPDX-License-Identifier: GPL-2.0
/*
 * The model chip's certificate chain (kvm_coco_snp_cert_chain()), checked with OpenSSL as a
 * relying party would: the ARK signs itself and the ASK, the ASK the VCEK, all RSASSA-PSS;
 * the VCEK's key is the one the firmware signs reports with; its AMD extensions carry the
 * TCB's patch levels and the chip id; the ARK is the same from one call to the next (the
 * cached keys); `openssl verify` accepts the chain.  A chip seed ($KVM_COCO_SNP_CHIP_SEED)
 * makes the chip's identity the same each time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "kvm_util.h"
#include "kvm-coco-test.h"

static X509 *parse(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	TEST_ASSERT(x, "not a PEM certificate");
	return x;
}

/* The value of the extension @oid (for an INTEGER, its value; else its bytes in @buf). */
static long amd_ext(X509 *x, const char *oid, uint8_t *buf, int *len)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	int i = X509_get_ext_by_OBJ(x, obj, -1);
	const ASN1_OCTET_STRING *v;
	const uint8_t *p;
	ASN1_INTEGER *n;
	long r = -1;

	ASN1_OBJECT_free(obj);
	TEST_ASSERT(i >= 0, "no extension %s", oid);
	v = X509_EXTENSION_get_data(X509_get_ext(x, i));
	p = ASN1_STRING_get0_data(v);
	if (buf) {
		*len = ASN1_STRING_length(v);
		memcpy(buf, p, *len);
		return 0;
	}
	n = d2i_ASN1_INTEGER(NULL, &p, ASN1_STRING_length(v));
	TEST_ASSERT(n, "extension %s is not an INTEGER", oid);
	r = ASN1_INTEGER_get(n);
	ASN1_INTEGER_free(n);
	return r;
}

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	TEST_ASSERT(f && fputs(s, f) >= 0 && !fclose(f), "write %s", path);
}

static void test_chain(void)
{
	unsigned long long tcb = kvm_coco_snp_current_tcb();
	char *ark, *ask, *vcek, *ark2, *ask2, *vcek2, dir[] = "/tmp/snp-certs-XXXXXX", cmd[512];
	uint8_t pub[1 + 96] = { 4 }, got[1 + 96], chip[64], hwid[64];
	X509 *a, *s, *v, *a2, *v2;
	size_t n = 0;
	int len, r;

	r = kvm_coco_snp_cert_chain(tcb, &ark, &ask, &vcek);
	if (r == -ENOSYS)
		return test_skip("the chain is the library host's chip's");
	TEST_ASSERT(!r, "kvm_coco_snp_cert_chain: %d", r);
	a = parse(ark);
	s = parse(ask);
	v = parse(vcek);
	TEST_ASSERT(X509_verify(a, X509_get0_pubkey(a)) == 1, "the ARK is not self-signed");
	TEST_ASSERT(X509_verify(s, X509_get0_pubkey(a)) == 1, "the ARK did not sign the ASK");
	TEST_ASSERT(X509_verify(v, X509_get0_pubkey(s)) == 1, "the ASK did not sign the VCEK");
	TEST_ASSERT(X509_verify(v, X509_get0_pubkey(a)) != 1, "the ARK signed the VCEK");
	TEST_ASSERT(X509_get_signature_nid(s) == NID_rsassaPss &&
		    X509_get_signature_nid(v) == NID_rsassaPss, "not RSASSA-PSS");
	TEST_ASSERT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(a)), 4096);
	TEST_ASSERT(X509_check_ca(s) && !X509_check_ca(v), "CA bits");

	/* The VCEK is the key the firmware signs with; its extensions, the chip and TCB. */
	TEST_ASSERT(EVP_PKEY_get_octet_string_param(X509_get0_pubkey(v),
						    OSSL_PKEY_PARAM_PUB_KEY, got, sizeof(got),
						    &n) && n == sizeof(got), "the VCEK's point");
	if (!host_snp_vcek_public(tcb, pub + 1))
		TEST_ASSERT(!memcmp(got, pub, sizeof(pub)), "not the firmware's VCEK");
	TEST_ASSERT_EQ(amd_ext(v, "1.3.6.1.4.1.3704.1.3.1", NULL, NULL), tcb & 0xff);
	TEST_ASSERT_EQ(amd_ext(v, "1.3.6.1.4.1.3704.1.3.3", NULL, NULL), tcb >> 48 & 0xff);
	TEST_ASSERT_EQ(amd_ext(v, "1.3.6.1.4.1.3704.1.3.8", NULL, NULL), tcb >> 56);
	amd_ext(v, "1.3.6.1.4.1.3704.1.4", hwid, &len);
	host_snp_chip_id(chip);
	TEST_ASSERT(len == 64 && !memcmp(hwid, chip, 64), "hwID is not the chip id");

	/* The cached keys: the same ARK key next time; another TCB, another VCEK. */
	TEST_ASSERT(!kvm_coco_snp_cert_chain(tcb + 1, &ark2, &ask2, &vcek2), "second chain");
	a2 = parse(ark2);
	v2 = parse(vcek2);
	TEST_ASSERT(EVP_PKEY_eq(X509_get0_pubkey(a), X509_get0_pubkey(a2)) == 1,
		    "the ARK changed");
	TEST_ASSERT(EVP_PKEY_eq(X509_get0_pubkey(v), X509_get0_pubkey(v2)) != 1,
		    "a new TCB kept the VCEK");

	/* The openssl command line accepts the chain, and refuses the VCEK without the ASK. */
	TEST_ASSERT(mkdtemp(dir), "mkdtemp");
	snprintf(cmd, sizeof(cmd), "%s/ark.pem", dir);
	write_file(cmd, ark);
	snprintf(cmd, sizeof(cmd), "%s/ask.pem", dir);
	write_file(cmd, ask);
	snprintf(cmd, sizeof(cmd), "%s/vcek.pem", dir);
	write_file(cmd, vcek);
	snprintf(cmd, sizeof(cmd), "cd %s && openssl verify -CAfile ark.pem -untrusted ask.pem "
		 "vcek.pem >/dev/null 2>&1", dir);
	TEST_ASSERT(system(cmd) == 0, "openssl verify refused the chain");
	snprintf(cmd, sizeof(cmd), "cd %s && openssl verify -CAfile ark.pem vcek.pem "
		 ">/dev/null 2>&1", dir);
	TEST_ASSERT(system(cmd) != 0, "openssl verify accepted the VCEK without the ASK");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	TEST_ASSERT(system(cmd) == 0, "rm");
	X509_free(a);
	X509_free(s);
	X509_free(v);
	X509_free(a2);
	X509_free(v2);
	free(ark);
	free(ask);
	free(vcek);
	free(ark2);
	free(ask2);
	free(vcek2);
}

static void chip_with_seed(const char *seed, uint8_t id[64], uint8_t vcek[96])
{
	setenv("KVM_COCO_SNP_CHIP_SEED", seed, 1);
	kvm_close(kvm_open());
	host_snp_chip_id(id);
	TEST_ASSERT_EQ(host_snp_vcek_public(kvm_coco_snp_current_tcb(), vcek), 0);
}

static void test_chip_seed(void)
{
	uint8_t a[64], b[64], a2[64], va[96], vb[96], va2[96];
	char *ark, *ask, *vcek;

	if (kvm_coco_snp_cert_chain(0, &ark, &ask, &vcek) == -ENOSYS)
		return test_skip("the chip is the library host's");
	free(ark);
	free(ask);
	free(vcek);
	chip_with_seed("kvm-coco test chip A", a, va);
	chip_with_seed("kvm-coco test chip B", b, vb);
	chip_with_seed("kvm-coco test chip A", a2, va2);
	unsetenv("KVM_COCO_SNP_CHIP_SEED");
	TEST_ASSERT(memcmp(a, b, 64) && memcmp(va, vb, 96), "two seeds, one chip");
	TEST_ASSERT(!memcmp(a, a2, 64) && !memcmp(va, va2, 96), "one seed, two chips");
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_chain),
		KSFT_TEST(test_chip_seed),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
