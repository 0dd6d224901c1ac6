// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV firmware's guest commands, for SEV and SEV-ES guests (the SEV firmware API), beside
 * the SNP firmware in snp_fw.c, whose lock and platform state they run under.
 *
 *   guest   LAUNCH_START (a handle) -> LUPDATE --LAUNCH_UPDATE_DATA/_VMSA*--> LUPDATE
 *           --LAUNCH_MEASURE--> LSECRET --LAUNCH_FINISH--> RUNNING;  ACTIVATE binds an ASID
 *           (SEV-ES policies take the SNP/SEV-ES range, the others the rest), DEACTIVATE
 *           unbinds it, DECOMMISSION (of an inactive guest) ends it
 *
 * The launch digest (GCTX.LD) is SHA-256 over every byte LAUNCH_UPDATE_DATA and
 * LAUNCH_UPDATE_VMSA took, in order; LAUNCH_MEASURE's measurement is HMAC-SHA-256 under the
 * guest's TIK of 0x04 || API major || API minor || build || policy (LE) || LD || MNONCE.
 *
 * Where the model stops short of the firmware: memory is not encrypted (the pages keep their
 * plaintext, as the SNP model's do); LAUNCH_START takes no DH certificate or session (a guest
 * owner's transport keys): TIK and TEK are the firmware's own random keys, so the measurement
 * is the firmware's and nobody else can check it, and LAUNCH_SECRET, which needs the owner's
 * TEK, is not offered.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/psp-sev.h>
#include <crypto/hash.h>
#include <asm/sev.h>
#include <asm/snp_fw.h>

#include "sev_fw.h"

#define SEV_LD_SIZE		32
#define SEV_KEY_SIZE		16
#define SHA256_BLOCK		64
#define SEV_POLICY_RESERVED	0xffc0u		/* bits 15:6 */

struct sev_guest_ctx {
	u32 handle;
	u32 policy;
	u32 asid;			/* 0: not active */
	u8 state;
	u8 tik[SEV_KEY_SIZE];
	struct shash_desc *ld;		/* the launch digest, until LAUNCH_MEASURE */
	struct list_head entry;
};

static LIST_HEAD(sev_guests);
static u32 sev_next_handle = 1;
static struct crypto_shash *sev_tfm;

static struct sev_guest_ctx *sev_find_guest(u32 handle)
{
	struct sev_guest_ctx *g;

	list_for_each_entry(g, &sev_guests, entry)
		if (g->handle == handle)
			return g;
	return NULL;
}

bool sev_fw_asid_live(u32 asid)
{
	struct sev_guest_ctx *g;

	list_for_each_entry(g, &sev_guests, entry)
		if (g->asid == asid)
			return true;
	return false;
}

static int sev_ld_start(struct sev_guest_ctx *g)
{
	if (!sev_tfm) {
		struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);

		if (IS_ERR(tfm))
			return SEV_RET_RESOURCE_LIMIT;
		sev_tfm = tfm;
	}
	g->ld = kzalloc(sizeof(*g->ld) + crypto_shash_descsize(sev_tfm), GFP_KERNEL);
	if (!g->ld)
		return SEV_RET_RESOURCE_LIMIT;
	g->ld->tfm = sev_tfm;
	return crypto_shash_init(g->ld) ? SEV_RET_RESOURCE_LIMIT : 0;
}

static void sev_guest_free(struct sev_guest_ctx *g)
{
	list_del(&g->entry);
	kfree(g->ld);
	kfree(g);
}

static int fw_launch_start(struct sev_data_launch_start *d)
{
	u32 major = d->policy >> SEV_POLICY_API_MAJOR_SHIFT & 0xff;
	u32 minor = d->policy >> SEV_POLICY_API_MINOR_SHIFT & 0xff;
	struct sev_guest_ctx *g;
	int r;

	/* A context to join (migration) or a guest owner's session: not modelled. */
	if (d->handle)
		return SEV_RET_INVALID_GUEST;
	if (d->dh_cert_address || d->dh_cert_len || d->session_address || d->session_len)
		return SEV_RET_UNSUPPORTED;
	if ((d->policy & SEV_POLICY_RESERVED) || major > SNP_FW_API_MAJOR ||
	    (major == SNP_FW_API_MAJOR && minor > SNP_FW_API_MINOR))
		return SEV_RET_POLICY_FAILURE;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return SEV_RET_RESOURCE_LIMIT;
	r = sev_ld_start(g);
	if (r) {
		kfree(g->ld);
		kfree(g);
		return r;
	}
	get_random_bytes(g->tik, sizeof(g->tik));
	g->handle = sev_next_handle++;
	g->policy = d->policy;
	g->state = SEV_GUEST_STATE_LUPDATE;
	list_add_tail(&g->entry, &sev_guests);
	d->handle = g->handle;
	return 0;
}

static int fw_activate(struct sev_data_activate *d)
{
	struct sev_guest_ctx *g = sev_find_guest(d->handle);
	bool es_asid = d->asid <= SEV_ES_ASID_MAX;

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->asid)
		return SEV_RET_ACTIVE;
	if (!d->asid || d->asid > SEV_ASID_MAX || es_asid != !!(g->policy & SEV_POLICY_ES))
		return SEV_RET_INVALID_ASID;
	if (sev_fw_asid_live(d->asid) || snp_fw_asid_live_locked(d->asid))
		return SEV_RET_ASID_OWNED;
	g->asid = d->asid;
	return 0;
}

static int fw_deactivate(struct sev_data_deactivate *d)
{
	struct sev_guest_ctx *g = sev_find_guest(d->handle);

	if (!g)
		return SEV_RET_INVALID_GUEST;
	g->asid = 0;
	return 0;
}

static int fw_decommission(struct sev_data_decommission *d)
{
	struct sev_guest_ctx *g = sev_find_guest(d->handle);

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->asid)
		return SEV_RET_ACTIVE;
	sev_guest_free(g);
	return 0;
}

static int fw_guest_status(struct sev_data_guest_status *d)
{
	struct sev_guest_ctx *g = sev_find_guest(d->handle);

	if (!g)
		return SEV_RET_INVALID_GUEST;
	d->policy = g->policy;
	d->asid = g->asid;
	d->state = g->state;
	return 0;
}

/* The launch state, an ASID bound; and the range, 16-byte aligned. */
static int fw_check_update(struct sev_guest_ctx *g, u64 address, u32 len)
{
	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != SEV_GUEST_STATE_LUPDATE)
		return SEV_RET_INVALID_GUEST_STATE;
	if (!g->asid)
		return SEV_RET_INACTIVE;
	if (!len || (len & 15))
		return SEV_RET_INVALID_LEN;
	if (address & 15)
		return SEV_RET_INVALID_ADDRESS;
	return 0;
}

/* Measure (and, on silicon, encrypt in place) [address, address + len) of system memory. */
static int fw_measure_range(struct sev_guest_ctx *g, u64 address, u32 len)
{
	u32 n;

	while (len) {
		n = min_t(u64, len, PAGE_SIZE - (address & ~PAGE_MASK));
		if (crypto_shash_update(g->ld, (u8 *)page_address(pfn_to_page(address >>
				PAGE_SHIFT)) + (address & ~PAGE_MASK), n))
			return SEV_RET_HWSEV_RET_PLATFORM;
		address += n;
		len -= n;
	}
	return 0;
}

static int fw_launch_update_data(struct sev_data_launch_update_data *d)
{
	struct sev_guest_ctx *g = sev_find_guest(d->handle);
	int r = fw_check_update(g, d->address, d->len);

	return r ?: fw_measure_range(g, d->address, d->len);
}

static int fw_launch_update_vmsa(struct sev_data_launch_update_data *d)
{
	struct sev_guest_ctx *g = sev_find_guest(d->handle);
	int r = fw_check_update(g, d->address, d->len);

	if (r)
		return r;
	if (!(g->policy & SEV_POLICY_ES))
		return SEV_RET_POLICY_FAILURE;
	if (d->len != PAGE_SIZE || (d->address & ~PAGE_MASK))
		return SEV_RET_INVALID_ADDRESS;
	return fw_measure_range(g, d->address, d->len);
}

/* HMAC-SHA-256 (RFC 2104) under the guest's TIK. */
static int sev_hmac(const u8 *key, const u8 *msg, unsigned int len, u8 *out)
{
	u8 inner[SHA256_BLOCK + 64], outer[SHA256_BLOCK + SEV_MEASURE_SIZE];
	unsigned int i;
	int r;

	if (WARN_ON(len > 64))
		return -EINVAL;
	memset(inner, 0, SHA256_BLOCK);
	memcpy(inner, key, SEV_KEY_SIZE);
	for (i = 0; i < SHA256_BLOCK; i++) {
		outer[i] = inner[i] ^ 0x5c;
		inner[i] ^= 0x36;
	}
	memcpy(inner + SHA256_BLOCK, msg, len);
	r = crypto_shash_tfm_digest(sev_tfm, inner, SHA256_BLOCK + len, outer + SHA256_BLOCK);
	return r ?: crypto_shash_tfm_digest(sev_tfm, outer, sizeof(outer), out);
}

static int fw_launch_measure(struct sev_data_launch_measure *d)
{
	struct sev_guest_ctx *g = sev_find_guest(d->handle);
	u8 msg[4 + 4 + SEV_LD_SIZE + SEV_MNONCE_SIZE], *out;

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != SEV_GUEST_STATE_LUPDATE)
		return SEV_RET_INVALID_GUEST_STATE;
	if (d->len < SEV_MEASURE_SIZE + SEV_MNONCE_SIZE) {
		d->len = SEV_MEASURE_SIZE + SEV_MNONCE_SIZE;
		return SEV_RET_INVALID_LEN;
	}
	if (!d->address || ((d->address & ~PAGE_MASK) + SEV_MEASURE_SIZE + SEV_MNONCE_SIZE >
			    PAGE_SIZE))
		return SEV_RET_INVALID_ADDRESS;
	msg[0] = 0x04;
	msg[1] = SNP_FW_API_MAJOR;
	msg[2] = SNP_FW_API_MINOR;
	msg[3] = SNP_FW_BUILD_ID;
	memcpy(msg + 4, &g->policy, 4);
	if (crypto_shash_final(g->ld, msg + 8))
		return SEV_RET_HWSEV_RET_PLATFORM;
	get_random_bytes(msg + 8 + SEV_LD_SIZE, SEV_MNONCE_SIZE);
	out = (u8 *)page_address(pfn_to_page(d->address >> PAGE_SHIFT)) +
	      (d->address & ~PAGE_MASK);
	if (sev_hmac(g->tik, msg, sizeof(msg), out))
		return SEV_RET_HWSEV_RET_PLATFORM;
	memcpy(out + SEV_MEASURE_SIZE, msg + 8 + SEV_LD_SIZE, SEV_MNONCE_SIZE);
	d->len = SEV_MEASURE_SIZE + SEV_MNONCE_SIZE;
	g->state = SEV_GUEST_STATE_LSECRET;
	return 0;
}

static int fw_launch_finish(struct sev_data_launch_finish *d)
{
	struct sev_guest_ctx *g = sev_find_guest(d->handle);

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != SEV_GUEST_STATE_LSECRET)
		return SEV_RET_INVALID_GUEST_STATE;
	g->state = SEV_GUEST_STATE_RUNNING;
	return 0;
}

int sev_fw_command(int cmd, void *data)
{
	switch (cmd) {
	case SEV_CMD_LAUNCH_START:
		return fw_launch_start(data);
	case SEV_CMD_ACTIVATE:
		return fw_activate(data);
	case SEV_CMD_DEACTIVATE:
		return fw_deactivate(data);
	case SEV_CMD_DECOMMISSION:
		return fw_decommission(data);
	case SEV_CMD_GUEST_STATUS:
		return fw_guest_status(data);
	case SEV_CMD_LAUNCH_UPDATE_DATA:
		return fw_launch_update_data(data);
	case SEV_CMD_LAUNCH_UPDATE_VMSA:
		return fw_launch_update_vmsa(data);
	case SEV_CMD_LAUNCH_MEASURE:
		return fw_launch_measure(data);
	case SEV_CMD_LAUNCH_FINISH:
		return fw_launch_finish(data);
	default:
		return SEV_RET_INVALID_COMMAND;
	}
}

/* Test-only: the guest's TIK, so a test can check the measurement's HMAC itself. */
int sev_fw_guest_tik(u32 handle, u8 *tik)
{
	struct sev_guest_ctx *g = sev_find_guest(handle);

	if (!g)
		return -ENOENT;
	memcpy(tik, g->tik, SEV_KEY_SIZE);
	return 0;
}
