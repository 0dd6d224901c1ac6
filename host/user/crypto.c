// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: crypto_shash over OpenSSL's libcrypto.  SHA-384 and SHA-256 use the low-level
 * init/update/final functions on a stack context: a PAGE_INFO digest is two compression
 * blocks (~0.6 us), and OpenSSL 3's one-shot and EVP paths add ~0.8 us of set-up per call.
 */
#define OPENSSL_SUPPRESS_DEPRECATED	/* the low-level SHA API is what we want here */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/random.h>
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
