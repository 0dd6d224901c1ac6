// SPDX-License-Identifier: GPL-2.0-only
/*
 * AES-GCM (NIST SP 800-38D) for the platform security processor model: the SNP firmware's
 * guest messages are AES-256-GCM under a VMPCK.  Built on the AES block library both hosts
 * have; GHASH multiplies bit by bit (messages are at most a page).  96-bit IVs only.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <crypto/aes.h>
#include <crypto/utils.h>
#include <asm/psp_gcm.h>

struct gf128 {
	u64 hi, lo;		/* block bit 0 (byte 0's MSB) is hi's MSB */
};

static u64 load_be64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void store_be64(u8 *p, u64 v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = v;
}

/* x = x * h in GF(2^128), GCM's bit order and polynomial (R = 0xe1 || 0^120). */
static void gf_mul(struct gf128 *x, const struct gf128 *h)
{
	struct gf128 z = { 0, 0 }, v = *h;
	u64 bit;
	int i;

	for (i = 0; i < 128; i++) {
		bit = i < 64 ? x->hi >> (63 - i) & 1 : x->lo >> (127 - i) & 1;
		if (bit) {
			z.hi ^= v.hi;
			z.lo ^= v.lo;
		}
		bit = v.lo & 1;
		v.lo = v.lo >> 1 | v.hi << 63;
		v.hi >>= 1;
		if (bit)
			v.hi ^= 0xe1ULL << 56;
	}
	*x = z;
}

/* Absorb @len bytes, the last block zero-padded. */
static void ghash(struct gf128 *y, const struct gf128 *h, const u8 *p, unsigned int len)
{
	u8 block[AES_BLOCK_SIZE];
	unsigned int n;

	while (len) {
		n = min_t(unsigned int, len, AES_BLOCK_SIZE);
		memset(block, 0, sizeof(block));
		memcpy(block, p, n);
		y->hi ^= load_be64(block);
		y->lo ^= load_be64(block + 8);
		gf_mul(y, h);
		p += n;
		len -= n;
	}
}

/* The counter block's low 32 bits, big-endian, plus one. */
static void inc32(u8 *ctr)
{
	int i;

	for (i = AES_BLOCK_SIZE - 1; i >= AES_BLOCK_SIZE - 4 && !++ctr[i]; i--)
		;
}

static int gcm(const u8 *key, unsigned int klen, const u8 *iv, const u8 *aad,
	       unsigned int alen, const u8 *in, u8 *out, unsigned int len, u8 *tag,
	       bool encrypt)
{
	struct crypto_aes_ctx ctx;
	u8 j0[AES_BLOCK_SIZE], ctr[AES_BLOCK_SIZE], ks[AES_BLOCK_SIZE], want[PSP_GCM_TAG];
	struct gf128 h, y = { 0, 0 };
	unsigned int off, i;
	int r = 0;

	if (aes_expandkey(&ctx, key, klen))
		return -EINVAL;
	memset(ks, 0, sizeof(ks));
	aes_encrypt(&ctx, ks, ks);
	h.hi = load_be64(ks);
	h.lo = load_be64(ks + 8);
	memcpy(j0, iv, PSP_GCM_IV);
	memset(j0 + PSP_GCM_IV, 0, 3);
	j0[AES_BLOCK_SIZE - 1] = 1;

	ghash(&y, &h, aad, alen);
	if (!encrypt)
		ghash(&y, &h, in, len);
	memcpy(ctr, j0, sizeof(ctr));
	for (off = 0; off < len; off += AES_BLOCK_SIZE) {
		inc32(ctr);
		aes_encrypt(&ctx, ks, ctr);
		for (i = 0; i < AES_BLOCK_SIZE && off + i < len; i++)
			out[off + i] = in[off + i] ^ ks[i];
	}
	if (encrypt)
		ghash(&y, &h, out, len);
	store_be64(ks, (u64)alen * 8);
	store_be64(ks + 8, (u64)len * 8);
	ghash(&y, &h, ks, AES_BLOCK_SIZE);
	aes_encrypt(&ctx, ks, j0);
	store_be64(want, y.hi ^ load_be64(ks));
	store_be64(want + 8, y.lo ^ load_be64(ks + 8));
	if (encrypt) {
		memcpy(tag, want, PSP_GCM_TAG);
	} else if (crypto_memneq(want, tag, PSP_GCM_TAG)) {
		memset(out, 0, len);		/* nothing of a forgery leaves */
		r = -EBADMSG;
	}
	memzero_explicit(&ctx, sizeof(ctx));
	memzero_explicit(ks, sizeof(ks));
	return r;
}

int psp_gcm_encrypt(const u8 *key, unsigned int klen, const u8 iv[PSP_GCM_IV], const u8 *aad,
		    unsigned int alen, const u8 *in, u8 *out, unsigned int len,
		    u8 tag[PSP_GCM_TAG])
{
	return gcm(key, klen, iv, aad, alen, in, out, len, tag, true);
}

int psp_gcm_decrypt(const u8 *key, unsigned int klen, const u8 iv[PSP_GCM_IV], const u8 *aad,
		    unsigned int alen, const u8 *in, u8 *out, unsigned int len,
		    const u8 tag[PSP_GCM_TAG])
{
	return gcm(key, klen, iv, aad, alen, in, out, len, (u8 *)tag, false);
}
