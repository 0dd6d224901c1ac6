// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MRTD stream: one SHA-384 over 128-byte blocks the TDX module appends as a TD is built.
 * TDH.MEM.PAGE.ADD appends "MEM.PAGE.ADD" with the GPA at offset 16; TDH.MR.EXTEND appends
 * "MR.EXTEND" with the GPA at offset 16, then the 256 bytes it measures.  The module model
 * and `kvm-coco measure --type tdx` share these two functions.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <crypto/hash.h>
#include <asm/tdx.h>

#define MRTD_BLOCK	128

static void mrtd_block(u8 *b, const char *tag, u64 gpa)
{
	unsigned int i;

	memset(b, 0, MRTD_BLOCK);
	memcpy(b, tag, strlen(tag));
	for (i = 0; i < 8; i++)
		b[16 + i] = (u8)(gpa >> (8 * i));	/* little endian */
}

int tdx_mrtd_page_add(struct shash_desc *desc, u64 gpa)
{
	u8 b[MRTD_BLOCK];

	mrtd_block(b, "MEM.PAGE.ADD", gpa);
	return crypto_shash_update(desc, b, sizeof(b));
}

int tdx_mrtd_extend(struct shash_desc *desc, u64 gpa, const u8 *chunk)
{
	u8 b[MRTD_BLOCK + MR_EXTEND_CHUNK];

	/* One update of header and data: three whole SHA-512 blocks, no partial buffering. */
	mrtd_block(b, "MR.EXTEND", gpa);
	memcpy(b + MRTD_BLOCK, chunk, MR_EXTEND_CHUNK);
	return crypto_shash_update(desc, b, sizeof(b));
}
