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
 * LAUNCH_START with the guest owner's DH certificate and session takes the owner's TEK and
 * TIK (sev_channel.c), so the owner can check the measurement and send LAUNCH_SECRET packets
 * (LSECRET only: after LAUNCH_MEASURE, before LAUNCH_FINISH); without them the TEK and TIK are
 * the firmware's own random keys, and nobody else can check or use them.  PDH_CERT_EXPORT
 * gives the platform's certificates.
 *
 * Where the model stops short of the firmware: memory is not encrypted (the pages keep their
 * plaintext, as the SNP model's do); a secret lands in plaintext.
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
#define SEV_POLICY_RESERVED	0xffc0u		/* bits 15:6 */

struct sev_guest_ctx {
	u32 handle;
	u32 policy;
	u32 asid;			/* 0: not active */
	u8 state;
	u8 tek[SEV_KEY_SIZE];
	u8 tik[SEV_KEY_SIZE];
	u8 measurement[SEV_MEASURE_SIZE];	/* from LAUNCH_MEASURE, for LAUNCH_SECRET's MAC */
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

/* A hash engine of the firmware's in *@slot, allocated at first use and kept; NULL if none. */
struct crypto_shash *psp_shash(struct crypto_shash **slot, const char *alg)
{
	struct crypto_shash *tfm;

	if (!*slot) {
		tfm = crypto_alloc_shash(alg, 0, 0);
		if (IS_ERR(tfm))
			return NULL;
		*slot = tfm;
	}
	return *slot;
}

struct crypto_shash *sev_fw_sha256(void)
{
	return psp_shash(&sev_tfm, "sha256");
}

/* System memory at a physical address (the model's frames: a direct map). */
void *sev_fw_ptr(u64 address)
{
	return (u8 *)page_address(pfn_to_page(address >> PAGE_SHIFT)) + (address & ~PAGE_MASK);
}

static int sev_ld_start(struct sev_guest_ctx *g)
{
	if (!sev_fw_sha256())
		return SEV_RET_RESOURCE_LIMIT;
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

/* Both the owner's certificate and the session, or neither; each whole, within its page. */
static int fw_check_session(struct sev_data_launch_start *d)
{
	if (!d->dh_cert_len && !d->session_len && !d->dh_cert_address && !d->session_address)
		return 0;
	if (d->dh_cert_len != SEV_CERT_SIZE || d->session_len != sizeof(struct sev_session))
		return SEV_RET_INVALID_LEN;
	if (!d->dh_cert_address || !d->session_address ||
	    (d->dh_cert_address & ~PAGE_MASK) + SEV_CERT_SIZE > PAGE_SIZE ||
	    (d->session_address & ~PAGE_MASK) + sizeof(struct sev_session) > PAGE_SIZE)
		return SEV_RET_INVALID_ADDRESS;
	return 0;
}

static int fw_launch_start(struct sev_data_launch_start *d)
{
	u32 major = d->policy >> SEV_POLICY_API_MAJOR_SHIFT & 0xff;
	u32 minor = d->policy >> SEV_POLICY_API_MINOR_SHIFT & 0xff;
	struct sev_guest_ctx *g;
	int r;

	/* A context to join (migration): not modelled. */
	if (d->handle)
		return SEV_RET_INVALID_GUEST;
	if ((d->policy & SEV_POLICY_RESERVED) || major > SNP_FW_API_MAJOR ||
	    (major == SNP_FW_API_MAJOR && minor > SNP_FW_API_MINOR))
		return SEV_RET_POLICY_FAILURE;
	r = fw_check_session(d);
	if (r)
		return r;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return SEV_RET_RESOURCE_LIMIT;
	r = sev_ld_start(g);
	if (!r && d->session_len)
		r = sev_channel_open(sev_fw_ptr(d->dh_cert_address),
				     sev_fw_ptr(d->session_address), d->policy, g->tek, g->tik);
	if (r) {
		kfree(g->ld);
		kfree(g);
		return r;
	}
	if (!d->session_len) {
		get_random_bytes(g->tek, sizeof(g->tek));
		get_random_bytes(g->tik, sizeof(g->tik));
	}
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
		if (crypto_shash_update(g->ld, sev_fw_ptr(address), n))
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
	out = sev_fw_ptr(d->address);
	if (sev_hmac_sha256(g->tik, SEV_KEY_SIZE, &(struct sev_part){ msg, sizeof(msg) }, 1,
			    g->measurement))
		return SEV_RET_HWSEV_RET_PLATFORM;
	memcpy(out, g->measurement, SEV_MEASURE_SIZE);
	memcpy(out + SEV_MEASURE_SIZE, msg + 8 + SEV_LD_SIZE, SEV_MNONCE_SIZE);
	d->len = SEV_MEASURE_SIZE + SEV_MNONCE_SIZE;
	g->state = SEV_GUEST_STATE_LSECRET;
	return 0;
}

/*
 * The guest owner's secret into guest memory: trans_len bytes of ciphertext, as many of
 * plaintext at a 16-byte aligned guest address.
 */
static int fw_launch_secret(struct sev_data_launch_secret *d)
{
	struct sev_guest_ctx *g = sev_find_guest(d->handle);

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != SEV_GUEST_STATE_LSECRET)
		return SEV_RET_INVALID_GUEST_STATE;
	if (!g->asid)
		return SEV_RET_INACTIVE;
	if (d->hdr_len != sizeof(struct sev_secret_hdr) || !d->guest_len ||
	    d->guest_len != d->trans_len)
		return SEV_RET_INVALID_LEN;
	if (!d->hdr_address || !d->trans_address || !d->guest_address ||
	    (d->guest_address & 15))
		return SEV_RET_INVALID_ADDRESS;
	return sev_channel_secret(g->tek, g->tik, g->measurement, sev_fw_ptr(d->hdr_address),
				  sev_fw_ptr(d->trans_address), d->trans_len,
				  sev_fw_ptr(d->guest_address));
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
	case SEV_CMD_LAUNCH_UPDATE_SECRET:
		return fw_launch_secret(data);
	case SEV_CMD_LAUNCH_FINISH:
		return fw_launch_finish(data);
	case SEV_CMD_PDH_CERT_EXPORT:
		return sev_channel_pdh_export(data);
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
