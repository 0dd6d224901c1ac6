// SPDX-License-Identifier: GPL-2.0
/*
 * The PSP model's P-384 engine against OpenSSL's: the same public key for a private key, the
 * same ECDH secret from either side, signatures OpenSSL's group arithmetic verifies (the
 * verification equation done here with OpenSSL's points, not with the code under test), and
 * refusals of off-curve points and out-of-range scalars.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <asm/psp_ecc.h>

#include "test_util.h"

static EC_GROUP *group;
static BN_CTX *bn;

/* OpenSSL's d * G as X || Y. */
static void ossl_public(const u8 *priv, u8 *pub)
{
	BIGNUM *d = BN_bin2bn(priv, P384_BYTES, NULL), *x = BN_new(), *y = BN_new();
	EC_POINT *q = EC_POINT_new(group);

	TEST_ASSERT(d && x && y && q && EC_POINT_mul(group, q, d, NULL, NULL, bn) &&
		    EC_POINT_get_affine_coordinates(group, q, x, y, bn), "OpenSSL d * G");
	BN_bn2binpad(x, pub, P384_BYTES);
	BN_bn2binpad(y, pub + P384_BYTES, P384_BYTES);
	BN_free(d);
	BN_free(x);
	BN_free(y);
	EC_POINT_free(q);
}

static EC_POINT *ossl_point(const u8 *pub)
{
	BIGNUM *x = BN_bin2bn(pub, P384_BYTES, NULL), *y = BN_bin2bn(pub + P384_BYTES,
								     P384_BYTES, NULL);
	EC_POINT *q = EC_POINT_new(group);

	TEST_ASSERT(EC_POINT_set_affine_coordinates(group, q, x, y, bn), "OpenSSL point");
	BN_free(x);
	BN_free(y);
	return q;
}

static void test_public_keys_match_openssl(void)
{
	u8 priv[P384_BYTES], pub[2 * P384_BYTES], want[2 * P384_BYTES];
	int i;

	for (i = 0; i < 8; i++) {
		TEST_ASSERT_EQ(p384_keygen(priv, pub), 0);
		ossl_public(priv, want);
		TEST_ASSERT(!memcmp(pub, want, sizeof(pub)), "public key %d differs", i);
		TEST_ASSERT(p384_point_valid(pub), "own public key %d invalid", i);
	}
	/* d = 1 gives G; d = n - 1 gives -G. */
	memset(priv, 0, sizeof(priv));
	priv[P384_BYTES - 1] = 1;
	TEST_ASSERT_EQ(p384_public_key(priv, pub), 0);
	ossl_public(priv, want);
	TEST_ASSERT(!memcmp(pub, want, sizeof(pub)), "1 * G");
	BN_bn2binpad(EC_GROUP_get0_order(group), priv, P384_BYTES);
	priv[P384_BYTES - 1] -= 1;
	TEST_ASSERT_EQ(p384_public_key(priv, pub), 0);
	ossl_public(priv, want);
	TEST_ASSERT(!memcmp(pub, want, sizeof(pub)), "(n - 1) * G");
}

static void test_ecdh_agrees(void)
{
	u8 a[P384_BYTES], apub[2 * P384_BYTES], b[P384_BYTES], bpub[2 * P384_BYTES];
	u8 ab[P384_BYTES], ba[P384_BYTES], want[2 * P384_BYTES];
	BIGNUM *bd, *x = BN_new();
	EC_POINT *q, *s = EC_POINT_new(group);

	TEST_ASSERT_EQ(p384_keygen(a, apub), 0);
	TEST_ASSERT_EQ(p384_keygen(b, bpub), 0);
	TEST_ASSERT_EQ(p384_ecdh(a, bpub, ab), 0);
	TEST_ASSERT_EQ(p384_ecdh(b, apub, ba), 0);
	TEST_ASSERT(!memcmp(ab, ba, sizeof(ab)), "the two sides differ");
	/* OpenSSL: b * A */
	bd = BN_bin2bn(b, P384_BYTES, NULL);
	q = ossl_point(apub);
	TEST_ASSERT(EC_POINT_mul(group, s, NULL, q, bd, bn) &&
		    EC_POINT_get_affine_coordinates(group, s, x, NULL, bn), "OpenSSL b * A");
	BN_bn2binpad(x, want, P384_BYTES);
	TEST_ASSERT(!memcmp(ab, want, P384_BYTES), "ECDH differs from OpenSSL's");
	BN_free(bd);
	BN_free(x);
	EC_POINT_free(q);
	EC_POINT_free(s);
}

/* (r, s) verifies: x(e s^-1 G + r s^-1 Q) = r mod n, in OpenSSL's arithmetic. */
static bool ossl_verify(const u8 *pub, const u8 *digest, unsigned int len, const u8 *rb,
			const u8 *sb)
{
	const BIGNUM *n = EC_GROUP_get0_order(group);
	BIGNUM *r = BN_bin2bn(rb, P384_BYTES, NULL), *s = BN_bin2bn(sb, P384_BYTES, NULL);
	BIGNUM *e = BN_bin2bn(digest, len, NULL), *w = BN_new(), *u1 = BN_new();
	BIGNUM *u2 = BN_new(), *x = BN_new();
	EC_POINT *q = ossl_point(pub), *p = EC_POINT_new(group);
	bool ok = false;

	if (BN_is_zero(r) || BN_is_zero(s) || BN_cmp(r, n) >= 0 || BN_cmp(s, n) >= 0)
		goto out;
	TEST_ASSERT(BN_mod_inverse(w, s, n, bn) && BN_mod_mul(u1, e, w, n, bn) &&
		    BN_mod_mul(u2, r, w, n, bn) && EC_POINT_mul(group, p, u1, q, u2, bn) &&
		    EC_POINT_get_affine_coordinates(group, p, x, NULL, bn) &&
		    BN_nnmod(x, x, n, bn), "OpenSSL verification arithmetic");
	ok = !BN_cmp(x, r);
out:
	BN_free(r);
	BN_free(s);
	BN_free(e);
	BN_free(w);
	BN_free(u1);
	BN_free(u2);
	BN_free(x);
	EC_POINT_free(q);
	EC_POINT_free(p);
	return ok;
}

static void test_ecdsa_verifies(void)
{
	u8 priv[P384_BYTES], pub[2 * P384_BYTES], r[P384_BYTES], s[P384_BYTES];
	u8 r2[P384_BYTES], s2[P384_BYTES], d384[SHA384_DIGEST_LENGTH], d256[32];
	static const char msg[] = "kvm-coco";

	SHA384((const u8 *)msg, sizeof(msg), d384);
	SHA256((const u8 *)msg, sizeof(msg), d256);
	TEST_ASSERT_EQ(p384_keygen(priv, pub), 0);
	TEST_ASSERT_EQ(p384_ecdsa_sign(priv, d384, sizeof(d384), r, s), 0);
	TEST_ASSERT(ossl_verify(pub, d384, sizeof(d384), r, s), "SHA-384 signature rejected");
	TEST_ASSERT_EQ(p384_ecdsa_sign(priv, d256, sizeof(d256), r2, s2), 0);
	TEST_ASSERT(ossl_verify(pub, d256, sizeof(d256), r2, s2), "SHA-256 signature rejected");
	TEST_ASSERT(memcmp(r, r2, sizeof(r)), "the nonce repeated");
	/* A different digest, or a flipped bit of s, does not verify. */
	d384[0] ^= 1;
	TEST_ASSERT(!ossl_verify(pub, d384, sizeof(d384), r, s), "wrong digest verified");
	d384[0] ^= 1;
	s[P384_BYTES - 1] ^= 1;
	TEST_ASSERT(!ossl_verify(pub, d384, sizeof(d384), r, s), "tampered s verified");
}

static void test_refusals(void)
{
	u8 priv[P384_BYTES], pub[2 * P384_BYTES], bad[2 * P384_BYTES], x[P384_BYTES];

	TEST_ASSERT_EQ(p384_keygen(priv, pub), 0);
	memcpy(bad, pub, sizeof(bad));
	bad[2 * P384_BYTES - 1] ^= 1;				/* Y + 1: off the curve */
	TEST_ASSERT(!p384_point_valid(bad), "off-curve point accepted");
	TEST_ASSERT_EQ(p384_ecdh(priv, bad, x), -EINVAL);
	memset(bad, 0, sizeof(bad));				/* (0, 0): not a point */
	TEST_ASSERT(!p384_point_valid(bad), "(0, 0) accepted");
	memset(bad, 0xff, sizeof(bad));				/* coordinates >= p */
	TEST_ASSERT(!p384_point_valid(bad), "coordinates above p accepted");
	memset(priv, 0, sizeof(priv));				/* d = 0 */
	TEST_ASSERT_EQ(p384_public_key(priv, pub), -EINVAL);
	BN_bn2binpad(EC_GROUP_get0_order(group), priv, P384_BYTES);	/* d = n */
	TEST_ASSERT_EQ(p384_public_key(priv, pub), -EINVAL);
	TEST_ASSERT_EQ(p384_ecdsa_sign(priv, x, sizeof(x), x, x), -EINVAL);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_public_keys_match_openssl),
		KSFT_TEST(test_ecdh_agrees),
		KSFT_TEST(test_ecdsa_verifies),
		KSFT_TEST(test_refusals),
	};

	group = EC_GROUP_new_by_curve_name(NID_secp384r1);
	bn = BN_CTX_new();
	TEST_ASSERT(group && bn, "OpenSSL P-384");
	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
