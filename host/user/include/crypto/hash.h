/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: the synchronous-hash API subset the core uses (one-shot digests), over
 * OpenSSL's libcrypto.  The kernel host has the real crypto API.
 */
#ifndef _HOST_USER_CRYPTO_HASH_H
#define _HOST_USER_CRYPTO_HASH_H

#include <linux/types.h>
#include <linux/err.h>

struct crypto_shash;

/* A hash in progress: allocate sizeof(struct shash_desc) + crypto_shash_descsize(tfm). */
struct shash_desc {
	struct crypto_shash *tfm;
	void *__ctx[] __aligned(16);
};

unsigned int crypto_shash_descsize(struct crypto_shash *tfm);
int crypto_shash_init(struct shash_desc *desc);
int crypto_shash_update(struct shash_desc *desc, const u8 *data, unsigned int len);
int crypto_shash_final(struct shash_desc *desc, u8 *out);

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type, u32 mask);
void crypto_free_shash(struct crypto_shash *tfm);
unsigned int crypto_shash_digestsize(struct crypto_shash *tfm);
int crypto_shash_tfm_digest(struct crypto_shash *tfm, const u8 *data, unsigned int len,
			    u8 *out);

#endif
