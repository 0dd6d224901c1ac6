/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: the kernel's AES library interface (lib/crypto/aes.c: expand a key, encrypt
 * or decrypt one block), over OpenSSL's libcrypto.  The kernel host has the real one.
 */
#ifndef _HOST_USER_CRYPTO_AES_H
#define _HOST_USER_CRYPTO_AES_H

#include <linux/types.h>

#define AES_MIN_KEY_SIZE	16
#define AES_MAX_KEY_SIZE	32
#define AES_KEYSIZE_128		16
#define AES_KEYSIZE_192		24
#define AES_KEYSIZE_256		32
#define AES_BLOCK_SIZE		16
#define AES_MAX_KEYLENGTH	(15 * 16)
#define AES_MAX_KEYLENGTH_U32	(AES_MAX_KEYLENGTH / sizeof(u32))

/* The kernel's layout; here the two schedules hold OpenSSL's encryption and decryption keys. */
struct crypto_aes_ctx {
	u32 key_enc[AES_MAX_KEYLENGTH_U32];
	u32 key_dec[AES_MAX_KEYLENGTH_U32];
	u32 key_length;
};

int aes_expandkey(struct crypto_aes_ctx *ctx, const u8 *in_key, unsigned int key_len);
void aes_encrypt(const struct crypto_aes_ctx *ctx, u8 *out, const u8 *in);
void aes_decrypt(const struct crypto_aes_ctx *ctx, u8 *out, const u8 *in);

#endif
