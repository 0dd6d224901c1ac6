// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: crypto_shash and the AES block library over OpenSSL's libcrypto.  SHA-384
 * and SHA-256 use the low-level init/update/final functions on a stack context: a PAGE_INFO
 * digest is two compression blocks (~0.6 us), and OpenSSL 3's one-shot and EVP paths add
 * ~0.8 us of set-up per call.
 */
#define OPENSSL_SUPPRESS_DEPRECATED	/* the low-level SHA API is what we want here */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <openssl/aes.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/random.h>
#include <crypto/aes.h>
#include <crypto/hash.h>
#include <crypto/utils.h>

struct crypto_shash {
	const EVP_MD *md;
};

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type, u32 mask)
{
	struct crypto_shash *tfm;
	const EVP_MD *md = NULL;

	if (!strcmp(alg_name, "sha384"))
		md = EVP_sha384();
	else if (!strcmp(alg_name, "sha256"))
		md = EVP_sha256();
	if (!md)
		return ERR_PTR(-ENOENT);
	tfm = malloc(sizeof(*tfm));
	if (!tfm)
		return ERR_PTR(-ENOMEM);
	tfm->md = md;
	return tfm;
}

void crypto_free_shash(struct crypto_shash *tfm)
{
	if (!IS_ERR(tfm))
		free(tfm);
}

unsigned int crypto_shash_digestsize(struct crypto_shash *tfm)
{
	return (unsigned int)EVP_MD_get_size(tfm->md);
}

int crypto_shash_tfm_digest(struct crypto_shash *tfm, const u8 *data, unsigned int len,
			    u8 *out)
{
	if (tfm->md == EVP_sha384()) {
		SHA512_CTX c;

		return SHA384_Init(&c) && SHA384_Update(&c, data, len) && SHA384_Final(out, &c) ?
		       0 : -EIO;
	}
	if (tfm->md == EVP_sha256()) {
		SHA256_CTX c;

		return SHA256_Init(&c) && SHA256_Update(&c, data, len) && SHA256_Final(out, &c) ?
		       0 : -EIO;
	}
	return EVP_Digest(data, len, out, NULL, tfm->md, NULL) == 1 ? 0 : -EIO;
}

/* Streaming SHA-384 (the TDX MRTD) and SHA-256 (the SEV launch digest). */
unsigned int crypto_shash_descsize(struct crypto_shash *tfm)
{
	return tfm->md == EVP_sha256() ? sizeof(SHA256_CTX) : sizeof(SHA512_CTX);
}

int crypto_shash_init(struct shash_desc *desc)
{
	if (desc->tfm->md == EVP_sha256())
		return SHA256_Init((SHA256_CTX *)desc->__ctx) ? 0 : -EIO;
	if (desc->tfm->md != EVP_sha384())
		return -ENOENT;
	return SHA384_Init((SHA512_CTX *)desc->__ctx) ? 0 : -EIO;
}

int crypto_shash_update(struct shash_desc *desc, const u8 *data, unsigned int len)
{
	if (desc->tfm->md == EVP_sha256())
		return SHA256_Update((SHA256_CTX *)desc->__ctx, data, len) ? 0 : -EIO;
	return SHA384_Update((SHA512_CTX *)desc->__ctx, data, len) ? 0 : -EIO;
}

int crypto_shash_final(struct shash_desc *desc, u8 *out)
{
	if (desc->tfm->md == EVP_sha256())
		return SHA256_Final(out, (SHA256_CTX *)desc->__ctx) ? 0 : -EIO;
	return SHA384_Final(out, (SHA512_CTX *)desc->__ctx) ? 0 : -EIO;
}

/* The kernel's get_random_bytes(): the host kernel's random source, which never fails. */
void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;
	ssize_t n;

	while (len) {
		n = getrandom(p, len, 0);
		if (n < 0) {
			BUG_ON(errno != EINTR);
			continue;
		}
		p += n;
		len -= n;
	}
}

int crypto_memneq(const void *a, const void *b, size_t size)
{
	const u8 *x = a, *y = b;
	u8 diff = 0;
	size_t i;

	for (i = 0; i < size; i++)
		diff |= x[i] ^ y[i];
	return diff != 0;
}

/*
 * The AES library: OpenSSL's round keys kept in the kernel's context (60 words each way, as
 * the kernel's are); a block rebuilds OpenSSL's key around them and costs one AES_encrypt().
 */
static_assert(sizeof(((AES_KEY *)0)->rd_key) == sizeof(((struct crypto_aes_ctx *)0)->key_enc));

int aes_expandkey(struct crypto_aes_ctx *ctx, const u8 *in_key, unsigned int key_len)
{
	AES_KEY enc, dec;

	if (key_len != AES_KEYSIZE_128 && key_len != AES_KEYSIZE_192 &&
	    key_len != AES_KEYSIZE_256)
		return -EINVAL;
	if (AES_set_encrypt_key(in_key, key_len * 8, &enc) ||
	    AES_set_decrypt_key(in_key, key_len * 8, &dec))
		return -EINVAL;
	memcpy(ctx->key_enc, enc.rd_key, sizeof(ctx->key_enc));
	memcpy(ctx->key_dec, dec.rd_key, sizeof(ctx->key_dec));
	ctx->key_length = key_len;
	return 0;
}

static void aes_key_of(AES_KEY *key, const u32 *rd_key, u32 key_length)
{
	memcpy(key->rd_key, rd_key, sizeof(key->rd_key));
	key->rounds = key_length / 4 + 6;
}

void aes_encrypt(const struct crypto_aes_ctx *ctx, u8 *out, const u8 *in)
{
	AES_KEY key;

	aes_key_of(&key, ctx->key_enc, ctx->key_length);
	AES_encrypt(in, out, &key);
}

void aes_decrypt(const struct crypto_aes_ctx *ctx, u8 *out, const u8 *in)
{
	AES_KEY key;

	aes_key_of(&key, ctx->key_dec, ctx->key_length);
	AES_decrypt(in, out, &key);
}
