/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_PSP_ECC_H
#define _ASM_X86_PSP_ECC_H

/*
 * The platform security processor's elliptic-curve engine, NIST P-384 (psp_ecc.c): the keys
 * the SEV firmware model holds (the PDH for a guest owner's Diffie-Hellman), ECDH and ECDSA.
 * Scalars and coordinates are 48-byte big-endian strings, a public key X || Y (96 bytes).
 */
#include <linux/types.h>

#define P384_BYTES	48

/* A private key from the kernel's random source (1 <= d < n) and its public key d * G. */
int p384_keygen(u8 priv[P384_BYTES], u8 pub[2 * P384_BYTES]);
int p384_public_key(const u8 priv[P384_BYTES], u8 pub[2 * P384_BYTES]);

/* Is X || Y a point of the curve (coordinates below p, not the point at infinity)? */
bool p384_point_valid(const u8 pub[2 * P384_BYTES]);

/* The X coordinate of priv * peer: -EINVAL for a peer off the curve. */
int p384_ecdh(const u8 priv[P384_BYTES], const u8 peer[2 * P384_BYTES], u8 x[P384_BYTES]);

/* An ECDSA signature (r, s) of a digest (its leftmost 384 bits), with a random nonce. */
int p384_ecdsa_sign(const u8 priv[P384_BYTES], const u8 *digest, unsigned int len,
		    u8 r[P384_BYTES], u8 s[P384_BYTES]);

/* AMD's layout of a P-384 number: little-endian in a 72-byte field (SEV certificates, reports). */
#define P384_AMD_FIELD	72
void p384_to_amd_field(u8 field[P384_AMD_FIELD], const u8 be[P384_BYTES]);
bool p384_from_amd_field(u8 be[P384_BYTES], const u8 field[P384_AMD_FIELD]);

#endif
