// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV firmware's channel to a guest owner (SEV API: "Establishing a secure channel",
 * LAUNCH_SECRET; appendix C, certificates): the platform's keys and certificates, the transport
 * keys a LAUNCH_START session carries, and the secret packets LAUNCH_SECRET opens.
 *
 *   PDH_CERT_EXPORT  the platform Diffie-Hellman key (PDH, P-384) signed by the PEK, and the
 *                    chain PEK (signed by the OCA and the CEK), OCA (self-signed), CEK.  The
 *                    model's keys come from the kernel's random source at first use; its CEK
 *                    is self-signed, as the model has no AMD signing key above it.
 *   session          Z = ECDH(PDH, the owner's key), X big-endian; master secret =
 *                    KDF(Z, "sev-master-secret", nonce); KEK = KDF(master, "sev-kek"), KIK =
 *                    KDF(master, "sev-kik"); TEK || TIK = AES-128-CTR(KEK, wrap_iv) of wrap_tk,
 *                    which HMAC(KIK) must match wrap_mac; HMAC(TIK, policy) must be policy_mac.
 *   secret           HMAC(TIK, 0x01 || flags || IV || guest_len || trans_len || data ||
 *                    measurement) must be the header's MAC; the data is AES-128-CTR(TEK, IV).
 *
 * KDF is NIST SP 800-108 in counter mode with HMAC-SHA-256: one block of HMAC(key, i ||
 * label || 0x00 || context || L), i and L (bits) 32-bit little-endian.  A MAC that does not
 * match is BAD_MEASUREMENT; a certificate the firmware cannot use, INVALID_CERTIFICATE.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/psp-sev.h>
#include <crypto/aes.h>
#include <crypto/hash.h>
#include <crypto/utils.h>
#include <asm/psp_ecc.h>
#include <asm/snp_fw.h>

#include "sev_fw.h"

#define SHA256_SIZE	32
#define SHA256_BLOCK	64

enum { KEY_PDH, KEY_PEK, KEY_OCA, KEY_CEK, NR_KEYS };

struct sev_key {
	u8 priv[P384_BYTES];
	u8 pub[2 * P384_BYTES];
};

static struct sev_key sev_keys[NR_KEYS];
static bool sev_keys_ready;

/* HMAC-SHA-256 (RFC 2104) of the concatenated parts; keys up to a block. */
int sev_hmac_sha256(const u8 *key, unsigned int klen, const struct sev_part *parts, int nr,
		    u8 out[SHA256_SIZE])
{
	struct crypto_shash *tfm = sev_fw_sha256();
	u8 ipad[SHA256_BLOCK], opad[SHA256_BLOCK], inner[SHA256_SIZE];
	struct shash_desc *d;
	int i, r;

	if (!tfm || WARN_ON(klen > SHA256_BLOCK))
		return -EINVAL;
	d = kzalloc(sizeof(*d) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->tfm = tfm;
	memset(ipad, 0, sizeof(ipad));
	memcpy(ipad, key, klen);
	for (i = 0; i < SHA256_BLOCK; i++) {
		opad[i] = ipad[i] ^ 0x5c;
		ipad[i] ^= 0x36;
	}
	r = crypto_shash_init(d) ?: crypto_shash_update(d, ipad, sizeof(ipad));
	for (i = 0; i < nr && !r; i++)
		r = crypto_shash_update(d, parts[i].p, parts[i].n);
	r = r ?: crypto_shash_final(d, inner);
	r = r ?: crypto_shash_init(d) ?: crypto_shash_update(d, opad, sizeof(opad)) ?:
		 crypto_shash_update(d, inner, sizeof(inner)) ?: crypto_shash_final(d, out);
	kfree(d);
	memzero_explicit(ipad, sizeof(ipad));
	memzero_explicit(opad, sizeof(opad));
	return r;
}

/* One 128-bit key of the SP 800-108 counter-mode KDF. */
static int sev_kdf(const u8 *key, unsigned int klen, const char *label, const u8 *context,
		   unsigned int clen, u8 out[SEV_KEY_SIZE])
{
	static const u8 counter[4] = { 1 }, zero, bits[4] = { 128 };
	const struct sev_part parts[] = {
		{ counter, 4 }, { label, strlen(label) }, { &zero, 1 }, { context, clen },
		{ bits, 4 },
	};
	u8 block[SHA256_SIZE];
	int r = sev_hmac_sha256(key, klen, parts, ARRAY_SIZE(parts), block);

	memcpy(out, block, SEV_KEY_SIZE);
	memzero_explicit(block, sizeof(block));
	return r;
}

/* AES-128-CTR, the counter block the IV, incremented big-endian (NIST SP 800-38A). */
static int aes128_ctr(const u8 *key, const u8 *iv, const u8 *in, u8 *out, unsigned int len)
{
	struct crypto_aes_ctx ctx;
	u8 ctr[AES_BLOCK_SIZE], ks[AES_BLOCK_SIZE];
	unsigned int off, i;
	int j;

	if (aes_expandkey(&ctx, key, AES_KEYSIZE_128))
		return -EINVAL;
	memcpy(ctr, iv, sizeof(ctr));
	for (off = 0; off < len; off += AES_BLOCK_SIZE) {
		aes_encrypt(&ctx, ks, ctr);
		for (i = 0; i < AES_BLOCK_SIZE && off + i < len; i++)
			out[off + i] = in[off + i] ^ ks[i];
		for (j = AES_BLOCK_SIZE - 1; j >= 0 && !++ctr[j]; j--)
			;
	}
	memzero_explicit(&ctx, sizeof(ctx));
	memzero_explicit(ks, sizeof(ks));
	return 0;
}

static void put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static u32 get_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static void cert_init(u8 *cert, u32 usage, u32 algo, const u8 *pub)
{
	u8 *key = cert + SEV_CERT_PUBKEY_OFFSET;

	memset(cert, 0, SEV_CERT_SIZE);
	put_le32(cert, 1);				/* version */
	cert[4] = SNP_FW_API_MAJOR;
	cert[5] = SNP_FW_API_MINOR;
	put_le32(cert + 8, usage);
	put_le32(cert + 12, algo);
	put_le32(key, SEV_EC_P384);
	p384_to_amd_field(key + 4, pub);
	p384_to_amd_field(key + 4 + P384_AMD_FIELD, pub + P384_BYTES);
	put_le32(cert + SEV_CERT_SIG1_OFFSET, SEV_USAGE_INVALID);
	put_le32(cert + SEV_CERT_SIG2_OFFSET, SEV_USAGE_INVALID);
}

/* ECDSA-SHA256 by @signer over the signed part, into signature slot @off. */
static int cert_sign(u8 *cert, unsigned int off, u32 signer_usage, const struct sev_key *signer)
{
	u8 digest[SHA256_SIZE], r[P384_BYTES], s[P384_BYTES];
	int ret;

	ret = crypto_shash_tfm_digest(sev_fw_sha256(), cert, SEV_CERT_SIGNED_SIZE, digest);
	ret = ret ?: p384_ecdsa_sign(signer->priv, digest, sizeof(digest), r, s);
	if (ret)
		return ret;
	put_le32(cert + off, signer_usage);
	put_le32(cert + off + 4, SEV_ALGO_ECDSA_SHA256);
	p384_to_amd_field(cert + off + 8, r);
	p384_to_amd_field(cert + off + 8 + P384_AMD_FIELD, s);
	return 0;
}

static int sev_keys_init(void)
{
	int i;

	if (sev_keys_ready)
		return 0;
	if (!sev_fw_sha256())
		return -ENOMEM;
	for (i = 0; i < NR_KEYS; i++)
		if (p384_keygen(sev_keys[i].priv, sev_keys[i].pub))
			return -EIO;
	sev_keys_ready = true;
	return 0;
}

static int build_chain(u8 *pdh, u8 *chain)
{
	u8 *pek = chain, *oca = chain + SEV_CERT_SIZE, *cek = chain + 2 * SEV_CERT_SIZE;

	cert_init(pdh, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, sev_keys[KEY_PDH].pub);
	cert_init(pek, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256, sev_keys[KEY_PEK].pub);
	cert_init(oca, SEV_USAGE_OCA, SEV_ALGO_ECDSA_SHA256, sev_keys[KEY_OCA].pub);
	cert_init(cek, SEV_USAGE_CEK, SEV_ALGO_ECDSA_SHA256, sev_keys[KEY_CEK].pub);
	return cert_sign(pdh, SEV_CERT_SIG1_OFFSET, SEV_USAGE_PEK, &sev_keys[KEY_PEK]) ?:
	       cert_sign(pek, SEV_CERT_SIG1_OFFSET, SEV_USAGE_OCA, &sev_keys[KEY_OCA]) ?:
	       cert_sign(pek, SEV_CERT_SIG2_OFFSET, SEV_USAGE_CEK, &sev_keys[KEY_CEK]) ?:
	       cert_sign(oca, SEV_CERT_SIG1_OFFSET, SEV_USAGE_OCA, &sev_keys[KEY_OCA]) ?:
	       cert_sign(cek, SEV_CERT_SIG1_OFFSET, SEV_USAGE_CEK, &sev_keys[KEY_CEK]);
}

int sev_channel_pdh_export(struct sev_data_pdh_cert_export *d)
{
	if (d->pdh_cert_len < SEV_CERT_SIZE || d->cert_chain_len < SEV_CERT_CHAIN_SIZE) {
		d->pdh_cert_len = SEV_CERT_SIZE;
		d->cert_chain_len = SEV_CERT_CHAIN_SIZE;
		return SEV_RET_INVALID_LEN;
	}
	if (!d->pdh_cert_address || !d->cert_chain_address)
		return SEV_RET_INVALID_ADDRESS;
	if (sev_keys_init() || build_chain(sev_fw_ptr(d->pdh_cert_address),
					   sev_fw_ptr(d->cert_chain_address)))
		return SEV_RET_HWSEV_RET_PLATFORM;
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->cert_chain_len = SEV_CERT_CHAIN_SIZE;
	return 0;
}

/* The guest owner's Diffie-Hellman key from its certificate (the GODH: a PDH-usage cert). */
static int owner_key(const u8 *cert, u8 pub[2 * P384_BYTES])
{
	const u8 *key = cert + SEV_CERT_PUBKEY_OFFSET;
	u32 algo = get_le32(cert + 12);

	if (get_le32(cert) != 1 || get_le32(cert + 8) != SEV_USAGE_PDH ||
	    (algo != SEV_ALGO_ECDH_SHA256 && algo != SEV_ALGO_ECDH_SHA384) ||
	    get_le32(key) != SEV_EC_P384 || !p384_from_amd_field(pub, key + 4) ||
	    !p384_from_amd_field(pub + P384_BYTES, key + 4 + P384_AMD_FIELD) ||
	    !p384_point_valid(pub))
		return SEV_RET_INVALID_CERTIFICATE;
	return 0;
}

int sev_channel_open(const u8 *cert, const struct sev_session *session, u32 policy,
		     u8 tek[SEV_KEY_SIZE], u8 tik[SEV_KEY_SIZE])
{
	u8 pub[2 * P384_BYTES], z[P384_BYTES], master[SEV_KEY_SIZE], kek[SEV_KEY_SIZE];
	u8 kik[SEV_KEY_SIZE], tk[2 * SEV_KEY_SIZE], mac[SHA256_SIZE];
	const struct sev_part wrapped = { session->wrap_tk, sizeof(session->wrap_tk) };
	const struct sev_part pol = { &policy, sizeof(policy) };	/* little-endian */
	int r;

	r = owner_key(cert, pub);
	if (r)
		return r;
	r = SEV_RET_HWSEV_RET_PLATFORM;
	if (sev_keys_init() || p384_ecdh(sev_keys[KEY_PDH].priv, pub, z) ||
	    sev_kdf(z, sizeof(z), "sev-master-secret", session->nonce, sizeof(session->nonce),
		    master) ||
	    sev_kdf(master, sizeof(master), "sev-kek", NULL, 0, kek) ||
	    sev_kdf(master, sizeof(master), "sev-kik", NULL, 0, kik) ||
	    sev_hmac_sha256(kik, sizeof(kik), &wrapped, 1, mac))
		goto out;
	r = SEV_RET_BAD_MEASUREMENT;
	if (crypto_memneq(mac, session->wrap_mac, sizeof(mac)))
		goto out;
	r = SEV_RET_HWSEV_RET_PLATFORM;
	if (aes128_ctr(kek, session->wrap_iv, session->wrap_tk, tk, sizeof(tk)) ||
	    sev_hmac_sha256(tk + SEV_KEY_SIZE, SEV_KEY_SIZE, &pol, 1, mac))
		goto out;
	r = SEV_RET_BAD_MEASUREMENT;
	if (crypto_memneq(mac, session->policy_mac, sizeof(mac)))
		goto out;
	memcpy(tek, tk, SEV_KEY_SIZE);
	memcpy(tik, tk + SEV_KEY_SIZE, SEV_KEY_SIZE);
	r = 0;
out:
	memzero_explicit(z, sizeof(z));
	memzero_explicit(master, sizeof(master));
	memzero_explicit(kek, sizeof(kek));
	memzero_explicit(kik, sizeof(kik));
	memzero_explicit(tk, sizeof(tk));
	return r;
}

int sev_channel_secret(const u8 *tek, const u8 *tik, const u8 *measurement,
		       const struct sev_secret_hdr *hdr, const u8 *trans, u32 len, u8 *guest)
{
	static const u8 context = 0x01;
	const struct sev_part parts[] = {
		{ &context, 1 }, { &hdr->flags, sizeof(hdr->flags) }, { hdr->iv, sizeof(hdr->iv) },
		{ &len, sizeof(len) }, { &len, sizeof(len) }, { trans, len },
		{ measurement, SEV_MEASURE_SIZE },
	};
	u8 mac[SHA256_SIZE];

	if (hdr->flags)			/* COMPRESSED, or bits the API does not define */
		return SEV_RET_INVALID_PARAM;
	if (sev_hmac_sha256(tik, SEV_KEY_SIZE, parts, ARRAY_SIZE(parts), mac))
		return SEV_RET_HWSEV_RET_PLATFORM;
	if (crypto_memneq(mac, hdr->mac, sizeof(mac)))
		return SEV_RET_BAD_MEASUREMENT;
	return aes128_ctr(tek, hdr->iv, trans, guest, len) ? SEV_RET_HWSEV_RET_PLATFORM : 0;
}
