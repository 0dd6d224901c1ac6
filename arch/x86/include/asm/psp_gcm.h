/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_PSP_GCM_H
#define _ASM_X86_PSP_GCM_H

/*
 * AES-GCM with a 96-bit IV and a 128-bit tag (psp_gcm.c), for the firmware model's guest
 * messages.  Keys of 16, 24 or 32 bytes; out may be in.  Decryption of a message whose tag
 * does not hold is -EBADMSG, with out cleared.
 */
#include <linux/types.h>

#define PSP_GCM_IV	12
#define PSP_GCM_TAG	16

int psp_gcm_encrypt(const u8 *key, unsigned int klen, const u8 iv[PSP_GCM_IV], const u8 *aad,
		    unsigned int alen, const u8 *in, u8 *out, unsigned int len,
		    u8 tag[PSP_GCM_TAG]);
int psp_gcm_decrypt(const u8 *key, unsigned int klen, const u8 iv[PSP_GCM_IV], const u8 *aad,
		    unsigned int alen, const u8 *in, u8 *out, unsigned int len,
		    const u8 tag[PSP_GCM_TAG]);

#endif
