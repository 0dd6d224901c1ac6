// SPDX-License-Identifier: GPL-2.0
/*
 * The attestation guest's own AES-256-GCM (tools/kvm-coco/guest/aes_gcm.c, built here for the
 * host) against OpenSSL's: the same ciphertext and tag for random keys, IVs and AAD, lengths
 * around the block size; what OpenSSL sealed opens; a flipped bit of ciphertext, AAD or tag
 * does not, and leaves the output as it was.
 */
#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "test_util.h"
#include "../../kvm-coco/guest/aes_gcm.c"

#define MAX	1300

static void ossl_seal(const uint8_t *key, const uint8_t *iv, const uint8_t *aad, int alen,
		      const uint8_t *in, uint8_t *out, int len, uint8_t *tag)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n;

	TEST_ASSERT(c && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, iv) &&
		    (!alen || EVP_EncryptUpdate(c, NULL, &n, aad, alen)) &&
		    EVP_EncryptUpdate(c, out, &n, in, len) &&
		    EVP_EncryptFinal_ex(c, out + n, &n) &&
		    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag), "OpenSSL GCM");
	EVP_CIPHER_CTX_free(c);
}

/* One key, IV, AAD and message of @len bytes: both ways, then tampered. */
static void check_one(int len, int alen)
{
	static uint8_t in[MAX], ours[MAX], theirs[MAX], back[MAX];
	uint8_t key[32], iv[12], aad[64], tag[16], tag2[16];
	struct aes_gcm c;

	TEST_ASSERT(RAND_bytes(key, 32) && RAND_bytes(iv, 12) && RAND_bytes(aad, 64) &&
		    RAND_bytes(in, MAX), "RAND_bytes");
	aes_gcm_setkey(&c, key);
	aes_gcm_seal(&c, iv, aad, alen, in, ours, len, tag);
	ossl_seal(key, iv, aad, alen, in, theirs, len, tag2);
	TEST_ASSERT(!memcmp(ours, theirs, len) && !memcmp(tag, tag2, 16),
		    "len %d aad %d: not OpenSSL's ciphertext and tag", len, alen);
	memset(back, 0x5a, MAX);
	TEST_ASSERT_EQ(aes_gcm_open(&c, iv, aad, alen, theirs, back, len, tag2), 0);
	TEST_ASSERT(!memcmp(back, in, len), "len %d: opened wrong", len);
	memset(back, 0x5a, MAX);
	if (len) {
		theirs[len / 2] ^= 0x10;
		TEST_ASSERT_EQ(aes_gcm_open(&c, iv, aad, alen, theirs, back, len, tag2), -1);
		theirs[len / 2] ^= 0x10;
	}
	if (alen) {
		aad[alen - 1] ^= 1;
		TEST_ASSERT_EQ(aes_gcm_open(&c, iv, aad, alen, theirs, back, len, tag2), -1);
		aad[alen - 1] ^= 1;
	}
	tag2[15] ^= 0x80;
	TEST_ASSERT_EQ(aes_gcm_open(&c, iv, aad, alen, theirs, back, len, tag2), -1);
	TEST_ASSERT(back[0] == 0x5a && back[len ? len - 1 : 0] == 0x5a, "refused, yet written");
}

static void test_against_openssl(void)
{
	static const int lens[] = { 0, 1, 15, 16, 17, 31, 32, 33, 96, 255, 1216, MAX };
	static const int alens[] = { 0, 1, 16, 48, 64 };
	unsigned int i, j;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		for (j = 0; j < sizeof(alens) / sizeof(alens[0]); j++)
			check_one(lens[i], alens[j]);
}

/* The S-box the guest computes at first use: FIPS 197's first and last entries, and a bijection. */
static void test_sbox(void)
{
	uint8_t seen[256] = { 0 };
	struct aes_gcm c;
	unsigned int i;

	aes_gcm_setkey(&c, (const uint8_t[32]){ 0 });
	TEST_ASSERT(sbox[0] == 0x63 && sbox[1] == 0x7c && sbox[0x53] == 0xed && sbox[0xff] == 0x16,
		    "S-box: %02x %02x %02x %02x", sbox[0], sbox[1], sbox[0x53], sbox[0xff]);
	for (i = 0; i < 256; i++)
		seen[sbox[i]]++;
	for (i = 0; i < 256; i++)
		TEST_ASSERT_EQ(seen[i], 1);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_sbox),
		KSFT_TEST(test_against_openssl),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
