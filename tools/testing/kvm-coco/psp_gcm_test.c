// SPDX-License-Identifier: GPL-2.0
/*
 * The PSP model's AES-GCM against OpenSSL's: the same ciphertext and tag for AES-256 and
 * AES-128 keys, lengths around the block size and up to a page, with and without AAD; a
 * message OpenSSL sealed opens; a flipped bit of ciphertext, AAD or tag is -EBADMSG with
 * nothing left in the output.
 */
#include <errno.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <asm/psp_gcm.h>

#include "test_util.h"

#define MAX	4096

static void ossl_seal(const u8 *key, int klen, const u8 *iv, const u8 *aad, int alen,
		      const u8 *in, u8 *out, int len, u8 *tag)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n;

	TEST_ASSERT(c && EVP_EncryptInit_ex(c, klen == 32 ? EVP_aes_256_gcm() :
					    EVP_aes_128_gcm(), NULL, key, iv) &&
		    (!alen || EVP_EncryptUpdate(c, NULL, &n, aad, alen)) &&
		    EVP_EncryptUpdate(c, out, &n, in, len) &&
		    EVP_EncryptFinal_ex(c, out + n, &n) &&
		    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag), "OpenSSL GCM");
	EVP_CIPHER_CTX_free(c);
}

static void test_matches_openssl(void)
{
	static const unsigned int lens[] = { 0, 1, 15, 16, 17, 96, 1184, MAX };
	static u8 in[MAX], out[MAX], want[MAX], back[MAX];
	u8 key[32], iv[12], aad[48], tag[16], want_tag[16];
	unsigned int i, k, alen;

	for (k = 16; k <= 32; k += 16) {
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			alen = i % 2 ? sizeof(aad) : 0;
			RAND_bytes(key, sizeof(key));
			RAND_bytes(iv, sizeof(iv));
			RAND_bytes(aad, sizeof(aad));
			RAND_bytes(in, lens[i]);
			ossl_seal(key, k, iv, aad, alen, in, want, lens[i], want_tag);
			TEST_ASSERT_EQ(psp_gcm_encrypt(key, k, iv, aad, alen, in, out, lens[i],
						       tag), 0);
			TEST_ASSERT(!memcmp(out, want, lens[i]) && !memcmp(tag, want_tag, 16),
				    "key %u, length %u: differs from OpenSSL", k, lens[i]);
			TEST_ASSERT_EQ(psp_gcm_decrypt(key, k, iv, aad, alen, want, back, lens[i],
						       want_tag), 0);
			TEST_ASSERT(!memcmp(back, in, lens[i]), "OpenSSL's message, opened");
		}
	}
}

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void test_forgeries_refused(void)
{
	static u8 in[100], ct[100], out[100];
	u8 key[32], iv[12], aad[48], tag[16];

	RAND_bytes(key, sizeof(key));
	RAND_bytes(iv, sizeof(iv));
	RAND_bytes(aad, sizeof(aad));
	RAND_bytes(in, sizeof(in));
	TEST_ASSERT_EQ(psp_gcm_encrypt(key, 32, iv, aad, sizeof(aad), in, ct, sizeof(in), tag), 0);
	ct[50] ^= 1;
	memset(out, 0xaa, sizeof(out));
	TEST_ASSERT_EQ(psp_gcm_decrypt(key, 32, iv, aad, sizeof(aad), ct, out, sizeof(ct), tag),
		       -EBADMSG);
	TEST_ASSERT(all_zero(out, sizeof(out)), "a forgery's plaintext left");
	ct[50] ^= 1;
	aad[0] ^= 1;
	TEST_ASSERT_EQ(psp_gcm_decrypt(key, 32, iv, aad, sizeof(aad), ct, out, sizeof(ct), tag),
		       -EBADMSG);
	aad[0] ^= 1;
	tag[15] ^= 1;
	TEST_ASSERT_EQ(psp_gcm_decrypt(key, 32, iv, aad, sizeof(aad), ct, out, sizeof(ct), tag),
		       -EBADMSG);
	tag[15] ^= 1;
	iv[0] ^= 1;
	TEST_ASSERT_EQ(psp_gcm_decrypt(key, 32, iv, aad, sizeof(aad), ct, out, sizeof(ct), tag),
		       -EBADMSG);
	iv[0] ^= 1;
	TEST_ASSERT_EQ(psp_gcm_decrypt(key, 32, iv, aad, sizeof(aad), ct, out, sizeof(ct), tag),
		       0);
	TEST_ASSERT(!memcmp(out, in, sizeof(in)), "the genuine message");
	TEST_ASSERT_EQ(psp_gcm_encrypt(key, 20, iv, aad, 0, in, ct, 16, tag), -EINVAL);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_matches_openssl),
		KSFT_TEST(test_forgeries_refused),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
