// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MRTD stream: one SHA-384 over 128-byte blocks the TDX module appends as a TD is built.
 * TDH.MEM.PAGE.ADD appends "MEM.PAGE.ADD" with the GPA at offset 16; TDH.MR.EXTEND appends
 * "MR.EXTEND" with the GPA at offset 16, then the 256 bytes it measures.  The module model
 * and `kvm-coco measure --type tdx` share these functions.
 *
 * The stream is hashed in 4 KiB batches: one EXTEND is three SHA-512 blocks, and hashing them
 * three at a time costs the SHA code its multi-block speed.  The digest is the same.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/hash.h>
#include <asm/tdx.h>

#define MRTD_BLOCK	128

struct tdx_mrtd {
	unsigned int len;			/* bytes waiting in buf */
	u8 buf[TDX_MRTD_BATCH];
	struct shash_desc desc;			/* last: the hash state follows it */
};

struct tdx_mrtd *tdx_mrtd_start(struct crypto_shash *tfm)
{
	struct tdx_mrtd *m;

	m = kzalloc(sizeof(*m) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!m)
		return NULL;
	m->desc.tfm = tfm;
	if (crypto_shash_init(&m->desc)) {
		kfree(m);
		return NULL;
	}
	return m;
}

void tdx_mrtd_free(struct tdx_mrtd *m)
{
	kfree(m);
}

static int mrtd_flush(struct tdx_mrtd *m)
{
	int r = m->len ? crypto_shash_update(&m->desc, m->buf, m->len) : 0;

	m->len = 0;
	return r;
}

/* Room for @n more bytes at the end of the batch (flushing it if need be). */
static u8 *mrtd_reserve(struct tdx_mrtd *m, unsigned int n, int *r)
{
	u8 *p;

	*r = 0;
	if (m->len + n > sizeof(m->buf))
		*r = mrtd_flush(m);
	p = m->buf + m->len;
	m->len += n;
	return p;
}

static const u8 mrtd_page_add_tag[MRTD_BLOCK] = "MEM.PAGE.ADD";
static const u8 mrtd_extend_tag[MRTD_BLOCK] = "MR.EXTEND";

/* A 128-byte block: the tag (zero padded), then the GPA, little endian, at offset 16. */
static void mrtd_block(u8 *b, const u8 *tag, u64 gpa)
{
	unsigned int i;

	memcpy(b, tag, MRTD_BLOCK);
	for (i = 0; i < 8; i++)
		b[16 + i] = (u8)(gpa >> (8 * i));
}

int tdx_mrtd_page_add(struct tdx_mrtd *m, u64 gpa)
{
	int r;
	u8 *b = mrtd_reserve(m, MRTD_BLOCK, &r);

	mrtd_block(b, mrtd_page_add_tag, gpa);
	return r;
}

int tdx_mrtd_extend(struct tdx_mrtd *m, u64 gpa, const u8 *chunk)
{
	int r;
	u8 *b = mrtd_reserve(m, MRTD_BLOCK + MR_EXTEND_CHUNK, &r);

	mrtd_block(b, mrtd_extend_tag, gpa);
	memcpy(b + MRTD_BLOCK, chunk, MR_EXTEND_CHUNK);
	return r;
}

int tdx_mrtd_final(struct tdx_mrtd *m, u8 out[TDX_MR_SIZE])
{
	int r = mrtd_flush(m);

	return r ? r : crypto_shash_final(&m->desc, out);
}
