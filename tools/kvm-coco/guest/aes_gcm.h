/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AES-256-GCM for guest code with no crypto library under it (the attestation guest seals its
 * messages to the firmware with it).  Freestanding: no libc, general registers only.
 */
#ifndef KVM_COCO_GUEST_AES_GCM_H
#define KVM_COCO_GUEST_AES_GCM_H

#include <stddef.h>
#include <stdint.h>

struct aes_gcm {
	uint8_t rk[15 * 16];		/* AES-256's round keys */
	uint8_t h[16];			/* GHASH's key: the cipher of the zero block */
};

void aes_gcm_setkey(struct aes_gcm *c, const uint8_t key[32]);
/* Seal @len bytes of @in into @out (they may be the same), with 16 bytes of @tag. */
void aes_gcm_seal(const struct aes_gcm *c, const uint8_t iv[12], const uint8_t *aad,
		  size_t aad_len, const uint8_t *in, uint8_t *out, size_t len, uint8_t tag[16]);
/* Open: 0 and the plaintext in @out if @tag holds, else -1 and @out untouched. */
int aes_gcm_open(const struct aes_gcm *c, const uint8_t iv[12], const uint8_t *aad,
		 size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
		 const uint8_t tag[16]);

#endif
