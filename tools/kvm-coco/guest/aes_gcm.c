// SPDX-License-Identifier: GPL-2.0
/*
 * AES-256 (FIPS 197) and GCM (NIST SP 800-38D) in plain C for guest code.  The S-box is
 * computed at first use from its definition (the inverse in GF(2^8), then the affine map)
 * rather than typed in; GHASH multiplies bit by bit.  Small and slow, with table lookups that
 * depend on the data: good for a test guest's few messages, not a side-channel-safe cipher.
 */
#include "aes_gcm.h"
#include "lib.h"

static uint8_t sbox[256];

static uint8_t xtime(uint8_t a)
{
	return (uint8_t)(a << 1) ^ (a & 0x80 ? 0x1b : 0);
}

/* Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
static uint8_t gf8_mul(uint8_t a, uint8_t b)
{
	uint8_t p = 0;

	for (; b; b >>= 1, a = xtime(a))
		if (b & 1)
			p ^= a;
	return p;
}

static uint8_t rotl8(uint8_t x, unsigned int n)
{
	return (uint8_t)(x << n | x >> (8 - n));
}

static void sbox_init(void)
{
	unsigned int x, i;
	uint8_t inv, sq;

	for (x = 0; x < 256; x++) {
		/* x^254 = x^-1 (and 0 for 0): the product of x^2, x^4, ..., x^128. */
		inv = 1;
		sq = x;
		for (i = 1; i < 8; i++) {
			sq = gf8_mul(sq, sq);
			inv = gf8_mul(inv, sq);
		}
		sbox[x] = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^
			  0x63;
	}
}

static void aes256_expand(uint8_t rk[240], const uint8_t key[32])
{
	uint8_t t[4], rcon = 1, b;
	unsigned int i, j;

	memcpy(rk, key, 32);
	for (i = 8; i < 60; i++) {
		memcpy(t, rk + 4 * (i - 1), 4);
		if (i % 8 == 0) {
			b = t[0];
			t[0] = sbox[t[1]] ^ rcon;
			t[1] = sbox[t[2]];
			t[2] = sbox[t[3]];
			t[3] = sbox[b];
			rcon = xtime(rcon);
		} else if (i % 8 == 4) {
			for (j = 0; j < 4; j++)
				t[j] = sbox[t[j]];
		}
		for (j = 0; j < 4; j++)
			rk[4 * i + j] = rk[4 * (i - 8) + j] ^ t[j];
	}
}

/* SubBytes and ShiftRows together: byte r of column c comes from column c + r. */
static void sub_shift(uint8_t s[16])
{
	uint8_t t[16];
	unsigned int r, c;

	for (c = 0; c < 4; c++)
		for (r = 0; r < 4; r++)
			t[4 * c + r] = sbox[s[4 * ((c + r) % 4) + r]];
	memcpy(s, t, 16);
}

static void mix_columns(uint8_t s[16])
{
	uint8_t a0, a1, a2, a3, *col;
	unsigned int c;

	for (c = 0; c < 4; c++) {
		col = s + 4 * c;
		a0 = col[0];
		a1 = col[1];
		a2 = col[2];
		a3 = col[3];
		col[0] = xtime(a0) ^ xtime(a1) ^ a1 ^ a2 ^ a3;
		col[1] = a0 ^ xtime(a1) ^ xtime(a2) ^ a2 ^ a3;
		col[2] = a0 ^ a1 ^ xtime(a2) ^ xtime(a3) ^ a3;
		col[3] = xtime(a0) ^ a0 ^ a1 ^ a2 ^ xtime(a3);
	}
}

static void xor16(uint8_t *d, const uint8_t *s)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		d[i] ^= s[i];
}

static void aes256_encrypt(const uint8_t rk[240], const uint8_t in[16], uint8_t out[16])
{
	uint8_t s[16];
	unsigned int round;

	memcpy(s, in, 16);
	xor16(s, rk);
	for (round = 1; round < 14; round++) {
		sub_shift(s);
		mix_columns(s);
		xor16(s, rk + 16 * round);
	}
	sub_shift(s);
	xor16(s, rk + 16 * 14);
	memcpy(out, s, 16);
}

/* @x = @x * @h in GCM's GF(2^128): bit 0 is the top bit of byte 0. */
static void gf128_mul(uint8_t x[16], const uint8_t h[16])
{
	uint8_t z[16] = { 0 }, v[16], lsb;
	unsigned int i, j;

	memcpy(v, h, 16);
	for (i = 0; i < 128; i++) {
		if (x[i / 8] & (0x80 >> (i % 8)))
			xor16(z, v);
		lsb = v[15] & 1;
		for (j = 15; j > 0; j--)
			v[j] = (uint8_t)(v[j] >> 1 | v[j - 1] << 7);
		v[0] >>= 1;
		if (lsb)
			v[0] ^= 0xe1;
	}
	memcpy(x, z, 16);
}

/* Fold @len bytes into the GHASH state @x, the last block padded with zeros. */
static void ghash(const struct aes_gcm *c, uint8_t x[16], const uint8_t *p, size_t len)
{
	uint8_t block[16];
	size_t n;

	for (; len; p += n, len -= n) {
		n = len < 16 ? len : 16;
		memset(block, 0, 16);
		memcpy(block, p, n);
		xor16(x, block);
		gf128_mul(x, c->h);
	}
}

static void put_be64(uint8_t *p, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* The tag over @aad and the ciphertext @ct. */
static void gcm_tag(const struct aes_gcm *c, const uint8_t j0[16], const uint8_t *aad,
		    size_t aad_len, const uint8_t *ct, size_t len, uint8_t tag[16])
{
	uint8_t x[16] = { 0 }, lens[16];

	ghash(c, x, aad, aad_len);
	ghash(c, x, ct, len);
	put_be64(lens, (uint64_t)aad_len * 8);
	put_be64(lens + 8, (uint64_t)len * 8);
	ghash(c, x, lens, 16);
	aes256_encrypt(c->rk, j0, tag);
	xor16(tag, x);
}

/* CTR mode from inc32(J0). */
static void gcm_ctr(const struct aes_gcm *c, const uint8_t j0[16], const uint8_t *in,
		    uint8_t *out, size_t len)
{
	uint8_t cb[16], ks[16];
	uint32_t ctr = 1;
	size_t i, n;

	memcpy(cb, j0, 16);
	for (; len; in += n, out += n, len -= n) {
		ctr++;
		cb[12] = (uint8_t)(ctr >> 24);
		cb[13] = (uint8_t)(ctr >> 16);
		cb[14] = (uint8_t)(ctr >> 8);
		cb[15] = (uint8_t)ctr;
		aes256_encrypt(c->rk, cb, ks);
		n = len < 16 ? len : 16;
		for (i = 0; i < n; i++)
			out[i] = in[i] ^ ks[i];
	}
}

static void gcm_j0(uint8_t j0[16], const uint8_t iv[12])
{
	memcpy(j0, iv, 12);
	j0[12] = j0[13] = j0[14] = 0;
	j0[15] = 1;
}

void aes_gcm_setkey(struct aes_gcm *c, const uint8_t key[32])
{
	static const uint8_t zero[16];

	if (!sbox[0])
		sbox_init();
	aes256_expand(c->rk, key);
	aes256_encrypt(c->rk, zero, c->h);
}

void aes_gcm_seal(const struct aes_gcm *c, const uint8_t iv[12], const uint8_t *aad,
		  size_t aad_len, const uint8_t *in, uint8_t *out, size_t len, uint8_t tag[16])
{
	uint8_t j0[16];

	gcm_j0(j0, iv);
	gcm_ctr(c, j0, in, out, len);
	gcm_tag(c, j0, aad, aad_len, out, len, tag);
}

int aes_gcm_open(const struct aes_gcm *c, const uint8_t iv[12], const uint8_t *aad,
		 size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
		 const uint8_t tag[16])
{
	uint8_t j0[16], want[16], diff = 0;
	unsigned int i;

	gcm_j0(j0, iv);
	gcm_tag(c, j0, aad, aad_len, in, len, want);
	for (i = 0; i < 16; i++)
		diff |= want[i] ^ tag[i];
	if (diff)
		return -1;
	gcm_ctr(c, j0, in, out, len);
	return 0;
}
