// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SNP firmware's guest messages (SNP firmware ABI, "Guest Messages"; SNP_GUEST_REQUEST):
 * a page with a 96-byte header and an AES-256-GCM payload under the VMPCK the header names,
 * the header's bytes from ALGO on its AAD, the sequence number (little-endian, zero-padded to
 * 12 bytes) its IV.  Each key's requests must come in order: a request's sequence number is
 * one more than the last response's, the response's one more than the request's.  A request
 * out of order, or one whose tag does not hold, is refused (INVALID_PARAM) and answered with
 * nothing, so no IV is used twice under a key.
 *
 *   MSG_REPORT_REQ  the ATTESTATION_REPORT (version 3): the guest, its launch, the TCBs, the
 *                   chip id and the guest's REPORT_DATA, signed by the VCEK (ECDSA P-384 over
 *                   SHA-384 of the first 0x2A0 bytes; r and s little-endian, 72 bytes each)
 *   MSG_KEY_REQ     a 32-byte key derived from the chip's secret, the VMPL and the launch
 *                   parameters the request selects
 *
 * The chip's secret is the model's fuse: random at first use unless the host set a seed
 * (snp_fw_set_chip_seed()), so a cached identity survives restarts.  All of it runs under the
 * firmware's lock (snp_fw.c).  The VCEK of a TCB is
 * derived from it and the TCB, as on silicon: a new TCB, a new VCEK.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/psp-sev.h>
#include <crypto/hash.h>
#include <asm/psp_ecc.h>
#include <asm/psp_gcm.h>
#include <asm/snp_fw.h>

#include "sev_fw.h"
#include "snp_guest_msg.h"

#define MSG_HDR_SIZE		0x60
#define MSG_AAD_OFFSET		0x30
#define MSG_PAYLOAD_MAX		(PAGE_SIZE - MSG_HDR_SIZE)
#define AEAD_AES_256_GCM	1

enum { MSG_KEY_REQ = 3, MSG_KEY_RSP, MSG_REPORT_REQ, MSG_REPORT_RSP };

/* Status codes of the response payloads. */
#define MSG_STATUS_INVALID_PARAMETERS	0x16
#define MSG_STATUS_INVALID_KEY_SEL	0x27

struct msg_hdr {
	u8 authtag[32];
	u64 msg_seqno;
	u8 rsvd1[8];
	u8 algo;
	u8 hdr_version;
	u16 hdr_sz;
	u8 msg_type;
	u8 msg_version;
	u16 msg_sz;
	u32 rsvd2;
	u8 msg_vmpck;
	u8 rsvd3[35];
} __packed;

struct report_req {
	u8 report_data[64];
	u32 vmpl;
	u32 key_sel;		/* 0, 1: the VCEK; 2: a VLEK (the model has none) */
	u8 rsvd[24];
} __packed;

struct report {
	u32 version;
	u32 guest_svn;
	u64 policy;
	u8 family_id[16];
	u8 image_id[16];
	u32 vmpl;
	u32 signature_algo;
	u64 current_tcb;
	u64 platform_info;
	u32 flags;		/* bit 0 AUTHOR_KEY_EN, 1 MASK_CHIP_KEY, 4:2 SIGNING_KEY */
	u32 rsvd0;
	u8 report_data[64];
	u8 measurement[48];
	u8 host_data[32];
	u8 id_key_digest[48];
	u8 author_key_digest[48];
	u8 report_id[32];
	u8 report_id_ma[32];
	u64 reported_tcb;
	u8 cpuid_fam_id;
	u8 cpuid_mod_id;
	u8 cpuid_step;
	u8 rsvd1[21];
	u8 chip_id[64];
	u64 committed_tcb;
	u8 current_build, current_minor, current_major, rsvd2;
	u8 committed_build, committed_minor, committed_major, rsvd3;
	u64 launch_tcb;
	u8 rsvd4[168];
	u8 sig_r[72];
	u8 sig_s[72];
	u8 sig_rsvd[368];
} __packed;

struct report_rsp {
	u32 status;
	u32 report_size;
	u8 rsvd[24];
	struct report report;
} __packed;

struct key_req {
	u32 root_key_select;	/* bit 0: the VMRK (the model has none) */
	u32 rsvd;
	u64 guest_field_select;	/* bits: policy, image, family, measurement, SVN, TCB */
	u32 vmpl;
	u32 guest_svn;
	u64 tcb_version;
} __packed;

struct key_rsp {
	u32 status;
	u8 rsvd[28];
	u8 derived_key[32];
} __packed;

static_assert(sizeof(struct msg_hdr) == MSG_HDR_SIZE);
static_assert(offsetof(struct msg_hdr, algo) == MSG_AAD_OFFSET);
static_assert(offsetof(struct report, report_data) == 0x50);
static_assert(offsetof(struct report, reported_tcb) == 0x180);
static_assert(offsetof(struct report, chip_id) == 0x1a0);
static_assert(offsetof(struct report, sig_r) == 0x2a0);
static_assert(sizeof(struct report) == 0x4a0);

#define REPORT_SIGNED	offsetof(struct report, sig_r)
#define KEY_FIELDS_MASK	0x3fULL

static u8 chip_seed[48];
static bool chip_seed_ready;

static struct crypto_shash *sha384(void)
{
	static struct crypto_shash *tfm;

	return psp_shash(&tfm, "sha384");
}

int snp_chip_set_seed(const u8 *seed, unsigned int len)
{
	struct crypto_shash *tfm = sha384();

	if (!tfm || crypto_shash_tfm_digest(tfm, seed, len, chip_seed))
		return -ENOMEM;
	chip_seed_ready = true;
	return 0;
}

static int chip_ready(void)
{
	if (!sha384())
		return -ENOMEM;
	if (!chip_seed_ready) {
		get_random_bytes(chip_seed, sizeof(chip_seed));
		chip_seed_ready = true;
	}
	return 0;
}

/* SHA-384 of the chip's secret, a label and @len bytes of @data. */
static int chip_hash(const char *label, const void *data, unsigned int len, u8 out[48])
{
	struct crypto_shash *tfm = sha384();
	struct shash_desc *d;
	int r;

	if (chip_ready())
		return -ENOMEM;
	d = kzalloc(sizeof(*d) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->tfm = tfm;
	r = crypto_shash_init(d) ?: crypto_shash_update(d, chip_seed, sizeof(chip_seed)) ?:
	    crypto_shash_update(d, (const u8 *)label, strlen(label) + 1) ?:
	    crypto_shash_update(d, data, len) ?: crypto_shash_final(d, out);
	kfree(d);
	return r;
}

void snp_key_digest(const u8 *key, u8 digest[48])
{
	if (!sha384() || crypto_shash_tfm_digest(sha384(), key, SNP_ID_KEY_SIZE, digest))
		memset(digest, 0, 48);
}

void snp_chip_id(u8 id[64])
{
	u8 h[48];

	if (chip_hash("chip-id", NULL, 0, h))
		memset(h, 0, sizeof(h));
	memcpy(id, h, 48);
	if (chip_hash("chip-id-2", NULL, 0, h))
		memset(h, 0, sizeof(h));
	memcpy(id + 48, h, 16);
}

/* The VCEK's private scalar for @tcb: the first of a counted series of hashes below n. */
static int vcek_private(u64 tcb, u8 priv[P384_BYTES])
{
	u8 pub[2 * P384_BYTES];
	u64 in[2] = { tcb, 0 };

	for (; in[1] < 16; in[1]++) {
		if (chip_hash("vcek", in, sizeof(in), priv))
			return -ENOMEM;
		if (!p384_public_key(priv, pub))	/* 1 <= d < n */
			return 0;
	}
	return -EIO;
}

int snp_vcek_public(u64 tcb, u8 pub[96])
{
	u8 priv[P384_BYTES];
	int r = vcek_private(tcb, priv) ?: p384_public_key(priv, pub);

	memzero_explicit(priv, sizeof(priv));
	return r;
}

static int sign_report(struct report *r)
{
	u8 priv[P384_BYTES], digest[48], sr[P384_BYTES], ss[P384_BYTES];
	int ret;

	ret = vcek_private(r->reported_tcb, priv) ?:
	      crypto_shash_tfm_digest(sha384(), (u8 *)r, REPORT_SIGNED, digest) ?:
	      p384_ecdsa_sign(priv, digest, sizeof(digest), sr, ss);
	memzero_explicit(priv, sizeof(priv));
	if (ret)
		return ret;
	p384_to_amd_field(r->sig_r, sr);
	p384_to_amd_field(r->sig_s, ss);
	return 0;
}

static u32 report(const struct snp_guest_identity *id, const struct snp_platform_config *cfg,
		  unsigned int key_vmpl, const struct report_req *req, struct report_rsp *rsp)
{
	struct report *r = &rsp->report;

	if (req->vmpl > 3 || req->vmpl < key_vmpl || memchr_inv(req->rsvd, 0, sizeof(req->rsvd)))
		return MSG_STATUS_INVALID_PARAMETERS;
	if (req->key_sel > 1)
		return MSG_STATUS_INVALID_KEY_SEL;
	r->version = 3;
	r->guest_svn = id->guest_svn;
	r->policy = id->policy;
	memcpy(r->family_id, id->family_id, sizeof(r->family_id));
	memcpy(r->image_id, id->image_id, sizeof(r->image_id));
	r->vmpl = req->vmpl;
	r->signature_algo = 1;				/* ECDSA P-384 with SHA-384 */
	r->current_tcb = SNP_FW_TCB_VERSION;
	/* bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY; signed by the VCEK: 0 in 4:2 */
	r->flags = id->author_key_en | (cfg->mask_chip_key ? 2 : 0);
	memcpy(r->report_data, req->report_data, sizeof(r->report_data));
	memcpy(r->measurement, id->measurement, sizeof(r->measurement));
	memcpy(r->host_data, id->host_data, sizeof(r->host_data));
	memcpy(r->id_key_digest, id->id_key_digest, sizeof(r->id_key_digest));
	memcpy(r->author_key_digest, id->author_key_digest, sizeof(r->author_key_digest));
	memcpy(r->report_id, id->report_id, sizeof(r->report_id));
	memcpy(r->report_id_ma, id->report_id_ma, sizeof(r->report_id_ma));
	r->reported_tcb = cfg->reported_tcb;
	r->cpuid_fam_id = 0x19;
	r->cpuid_mod_id = 0x11;
	r->cpuid_step = 1;
	if (!cfg->mask_chip_id)
		snp_chip_id(r->chip_id);
	r->committed_tcb = SNP_FW_TCB_VERSION;
	r->current_build = r->committed_build = SNP_FW_BUILD_ID;
	r->current_minor = r->committed_minor = SNP_FW_API_MINOR;
	r->current_major = r->committed_major = SNP_FW_API_MAJOR;
	r->launch_tcb = id->launch_tcb;
	if (!cfg->mask_chip_key && sign_report(r))
		return MSG_STATUS_INVALID_PARAMETERS;
	rsp->report_size = sizeof(*r);
	return 0;
}

static u32 derive_key(const struct snp_guest_identity *id, unsigned int key_vmpl,
		      const struct key_req *req, struct key_rsp *rsp)
{
	struct {
		u32 vmpl;
		u64 fields;
		u64 policy;
		u8 image_id[16], family_id[16], measurement[48];
		u32 guest_svn;
		u64 tcb;
	} __packed in = { .vmpl = req->vmpl, .fields = req->guest_field_select };
	u64 sel = req->guest_field_select;
	u8 key[48];

	if (req->vmpl > 3 || req->vmpl < key_vmpl || (sel & ~KEY_FIELDS_MASK) || req->rsvd ||
	    (req->root_key_select & ~1u))
		return MSG_STATUS_INVALID_PARAMETERS;
	if (req->root_key_select)			/* the VMRK: no migration agent here */
		return MSG_STATUS_INVALID_KEY_SEL;
	if (req->guest_svn > id->guest_svn || req->tcb_version > SNP_FW_TCB_VERSION)
		return MSG_STATUS_INVALID_PARAMETERS;	/* keys of the future are not given */
	if (sel & BIT(0))
		in.policy = id->policy;
	if (sel & BIT(1))
		memcpy(in.image_id, id->image_id, sizeof(in.image_id));
	if (sel & BIT(2))
		memcpy(in.family_id, id->family_id, sizeof(in.family_id));
	if (sel & BIT(3))
		memcpy(in.measurement, id->measurement, sizeof(in.measurement));
	if (sel & BIT(4))
		in.guest_svn = req->guest_svn;
	if (sel & BIT(5))
		in.tcb = req->tcb_version;
	if (chip_hash("guest-key", &in, sizeof(in), key))
		return MSG_STATUS_INVALID_PARAMETERS;
	memcpy(rsp->derived_key, key, sizeof(rsp->derived_key));
	memzero_explicit(key, sizeof(key));
	return 0;
}

static void msg_iv(u8 iv[PSP_GCM_IV], u64 seqno)
{
	memset(iv, 0, PSP_GCM_IV);
	memcpy(iv, &seqno, sizeof(seqno));
}

static int check_hdr(const struct msg_hdr *h, const struct snp_guest_keys *keys)
{
	if (h->algo != AEAD_AES_256_GCM || h->hdr_version != 1 || h->hdr_sz != MSG_HDR_SIZE ||
	    h->msg_vmpck >= SNP_NR_VMPCK || h->msg_sz > MSG_PAYLOAD_MAX || h->msg_version != 1)
		return SEV_RET_INVALID_PARAM;
	if (keys->last_seqno[h->msg_vmpck] >= U64_MAX - 1)
		return SEV_RET_AEAD_OFLOW;
	if (h->msg_seqno != keys->last_seqno[h->msg_vmpck] + 1)
		return SEV_RET_INVALID_PARAM;		/* replayed or out of order */
	return 0;
}

int snp_guest_msg(struct snp_guest_keys *keys, const struct snp_guest_identity *id,
		  const struct snp_platform_config *cfg, const u8 *req, u8 *resp)
{
	const struct msg_hdr *h = (const struct msg_hdr *)req;
	struct msg_hdr *rh = (struct msg_hdr *)resp;
	u8 *in = NULL, *out = NULL, iv[PSP_GCM_IV];
	const u8 *key;
	u32 len = 0;
	int r;

	r = check_hdr(h, keys);
	if (r)
		return r;
	key = keys->vmpck[h->msg_vmpck];
	in = kzalloc(MSG_PAYLOAD_MAX, GFP_KERNEL);
	out = kzalloc(MSG_PAYLOAD_MAX, GFP_KERNEL);
	r = SEV_RET_RESOURCE_LIMIT;
	if (!in || !out)
		goto out;
	msg_iv(iv, h->msg_seqno);
	r = SEV_RET_INVALID_PARAM;
	if (psp_gcm_decrypt(key, SNP_VMPCK_SIZE, iv, req + MSG_AAD_OFFSET,
			    MSG_HDR_SIZE - MSG_AAD_OFFSET, req + MSG_HDR_SIZE, in, h->msg_sz,
			    h->authtag))
		goto out;
	switch (h->msg_type) {
	case MSG_REPORT_REQ:
		if (h->msg_sz != sizeof(struct report_req))
			goto out;
		len = sizeof(struct report_rsp);
		((struct report_rsp *)out)->status =
			report(id, cfg, h->msg_vmpck, (void *)in, (void *)out);
		break;
	case MSG_KEY_REQ:
		if (h->msg_sz != sizeof(struct key_req))
			goto out;
		len = sizeof(struct key_rsp);
		((struct key_rsp *)out)->status =
			derive_key(id, h->msg_vmpck, (void *)in, (void *)out);
		break;
	default:
		goto out;
	}
	memset(resp, 0, PAGE_SIZE);
	memcpy(resp + MSG_AAD_OFFSET, req + MSG_AAD_OFFSET, MSG_HDR_SIZE - MSG_AAD_OFFSET);
	rh->msg_seqno = h->msg_seqno + 1;
	rh->msg_type = h->msg_type + 1;
	rh->msg_sz = len;
	msg_iv(iv, rh->msg_seqno);
	r = SEV_RET_HWSEV_RET_PLATFORM;
	if (psp_gcm_encrypt(key, SNP_VMPCK_SIZE, iv, resp + MSG_AAD_OFFSET,
			    MSG_HDR_SIZE - MSG_AAD_OFFSET, out, resp + MSG_HDR_SIZE, len,
			    rh->authtag))
		goto out;
	keys->last_seqno[h->msg_vmpck] = rh->msg_seqno;
	r = 0;
out:
	if (in)
		memzero_explicit(in, MSG_PAYLOAD_MAX);
	if (out)
		memzero_explicit(out, MSG_PAYLOAD_MAX);
	kfree(in);
	kfree(out);
	return r;
}
