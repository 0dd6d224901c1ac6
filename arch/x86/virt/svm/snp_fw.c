// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV-SNP firmware, modelled: platform state, guest contexts, ASID activation and the
 * launch commands, with the SNP firmware ABI's status codes and state rules.
 *
 *   platform   UNINIT --SNP_INIT--> INIT (needs the RMP)
 *   guest      GCTX_CREATE (a firmware-state page) -> INIT --LAUNCH_START--> LAUNCH
 *              --LAUNCH_UPDATE*--> LAUNCH --LAUNCH_FINISH--> RUNNING;  DECOMMISSION from any
 *              state; ACTIVATE binds an ASID (needed before LAUNCH_UPDATE); GUEST_REQUEST
 *              (RUNNING) answers the guest's messages (snp_guest_msg.c)
 *   pages      the firmware reads the RMP: LAUNCH_UPDATE needs a pre-guest page (assigned to
 *              the guest's ASID, immutable, 4K) and leaves it guest-valid; PAGE_RECLAIM gives
 *              back firmware pages, pre-guest pages and pages of decommissioned guests
 *
 * Where the model stops short of the firmware: ID-block signatures (ID_AUTH) are not
 * verified, only the ID block's launch digest and policy; 2M LAUNCH_UPDATE, IMI pages and VMPL
 * permissions are refused as UNSUPPORTED/INVALID_PAGE_SIZE; CPUID pages are checked for their
 * count and reserved fields only.  Firmware data is written straight into pages: the firmware
 * is not subject to the RMP.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/psp-sev.h>
#include <crypto/hash.h>
#include <asm/sev.h>
#include <asm/snp_digest.h>
#include <asm/snp_fw.h>

#include "sev_fw.h"
#include "snp_guest_msg.h"

struct snp_guest_ctx {
	unsigned long gctx_pfn;
	u32 asid;			/* 0 until ACTIVATE */
	u8 state;
	bool decommissioned;		/* context page still firmware-owned until reclaimed */
	u64 policy;
	u8 gosvw[16];
	struct snp_guest_keys keys;	/* VMPCK0..3 (random), sequence numbers */
	struct snp_guest_identity id;	/* what its reports say */
	struct snp_digest digest;
	struct list_head entry;
};

static DEFINE_MUTEX(fw_lock);
static int fw_platform_state;		/* 0 UNINIT, 1 INIT */
static struct snp_platform_config fw_config = { .reported_tcb = SNP_FW_TCB_VERSION };
static LIST_HEAD(fw_guests);		/* live and decommissioned contexts */
static unsigned int fw_nr_live;

/* SNP CPUID page (SNP firmware ABI, "CPUID Reporting"). */
#define SNP_CPUID_COUNT_MAX	64

struct snp_cpuid_fn {
	u32 eax_in, ecx_in;
	u64 xcr0_in, xss_in;
	u32 eax, ebx, ecx, edx;
	u64 reserved;
} __packed;

struct snp_cpuid_table {
	u32 count;
	u32 reserved1;
	u64 reserved2;
	struct snp_cpuid_fn fn[SNP_CPUID_COUNT_MAX];
} __packed;

static struct snp_guest_ctx *fw_find_guest(u64 gctx_paddr)
{
	struct snp_guest_ctx *g;

	lockdep_assert_held(&fw_lock);
	list_for_each_entry(g, &fw_guests, entry)
		if (!g->decommissioned && (u64)g->gctx_pfn << PAGE_SHIFT == gctx_paddr)
			return g;
	return NULL;
}

static bool fw_page_is_firmware(unsigned long pfn)
{
	struct rmpentry e;

	return !snp_lookup_rmpentry_raw(pfn, &e) && rmpentry_assigned(&e) &&
	       !rmpentry_asid(&e) && rmpentry_immutable(&e);
}

static bool fw_page_is_context(unsigned long pfn)
{
	struct snp_guest_ctx *g;

	lockdep_assert_held(&fw_lock);
	list_for_each_entry(g, &fw_guests, entry)
		if (g->gctx_pfn == pfn)
			return true;
	return false;
}

static int fw_snp_init(void)
{
	if (fw_platform_state)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (!snp_rmp_pfn_valid(max_pfn - 1))
		return SEV_RET_RMP_INIT_REQUIRED;
	fw_platform_state = 1;
	return 0;
}

static int fw_snp_shutdown(void)
{
	if (fw_nr_live)
		return SEV_RET_ACTIVE;
	fw_platform_state = 0;
	return 0;
}

static int fw_platform_status(struct sev_data_snp_addr *d)
{
	unsigned long pfn = d->address >> PAGE_SHIFT;
	struct sev_user_data_snp_status *st;

	if (!PAGE_ALIGNED(d->address) || !fw_page_is_firmware(pfn) || fw_page_is_context(pfn))
		return SEV_RET_INVALID_PAGE_STATE;
	st = page_address(pfn_to_page(pfn));
	memset(st, 0, sizeof(*st));
	st->api_major = SNP_FW_API_MAJOR;
	st->api_minor = SNP_FW_API_MINOR;
	st->state = fw_platform_state;
	st->is_rmp_initialized = 1;
	st->build_id = SNP_FW_BUILD_ID;
	st->guest_count = fw_nr_live;
	st->current_tcb_version = SNP_FW_TCB_VERSION;
	st->reported_tcb_version = fw_config.reported_tcb;
	/* The page moves to the reclaim state: the hypervisor may take it back. */
	snp_rmp_fw_reclaim(pfn);
	return 0;
}

static int fw_gctx_create(struct sev_data_snp_addr *d)
{
	unsigned long pfn = d->address >> PAGE_SHIFT;
	struct snp_guest_ctx *g;

	if (!fw_platform_state)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (!PAGE_ALIGNED(d->address))
		return SEV_RET_INVALID_ADDRESS;
	if (!fw_page_is_firmware(pfn) || fw_page_is_context(pfn))
		return SEV_RET_INVALID_PAGE_STATE;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return SEV_RET_RESOURCE_LIMIT;
	if (snp_digest_init(&g->digest)) {
		kfree(g);
		return SEV_RET_RESOURCE_LIMIT;
	}
	g->gctx_pfn = pfn;
	g->state = SNP_GUEST_STATE_INIT;
	/* Keys no host can predict or recompute: only the guest (its secrets page) learns them. */
	get_random_bytes(g->keys.vmpck, sizeof(g->keys.vmpck));
	clear_page(page_address(pfn_to_page(pfn)));
	list_add_tail(&g->entry, &fw_guests);
	fw_nr_live++;
	return 0;
}

static int fw_check_policy(u64 policy)
{
	u64 abi = (SNP_FW_API_MAJOR << SNP_POLICY_ABI_MAJOR_SHIFT) | SNP_FW_API_MINOR;

	if (policy & ~SNP_POLICY_VALID_MASK)
		return SEV_RET_POLICY_FAILURE;
	if (!(policy & SNP_POLICY_RSVD_MBO))
		return SEV_RET_POLICY_FAILURE;
	/* The guest's minimum ABI version must not exceed the firmware's. */
	if ((policy & (SNP_POLICY_ABI_MAJOR_MASK | SNP_POLICY_ABI_MINOR_MASK)) > abi)
		return SEV_RET_POLICY_FAILURE;
	/* SMT is enabled on the modelled platform: a guest that forbids it cannot run. */
	if (!(policy & SNP_POLICY_SMT))
		return SEV_RET_POLICY_FAILURE;
	return 0;
}

static int fw_launch_start(struct sev_data_snp_launch_start *d)
{
	struct snp_guest_ctx *g = fw_find_guest(d->gctx_paddr);
	int r;

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != SNP_GUEST_STATE_INIT)
		return SEV_RET_INVALID_GUEST_STATE;
	if (d->ma_en || d->rsvd)
		return SEV_RET_INVALID_PARAM;	/* no migration agents in the model */
	r = fw_check_policy(d->policy);
	if (r)
		return r;
	g->policy = d->policy;
	memcpy(g->gosvw, d->gosvw, sizeof(g->gosvw));
	get_random_bytes(g->id.report_id, sizeof(g->id.report_id));
	memset(g->id.report_id_ma, 0xff, sizeof(g->id.report_id_ma));	/* no agent */
	g->state = SNP_GUEST_STATE_LAUNCH;
	return 0;
}

static int fw_activate(struct sev_data_snp_activate *d)
{
	struct snp_guest_ctx *g = fw_find_guest(d->gctx_paddr), *o;

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (!d->asid || d->asid > SNP_FW_MAX_ASID)
		return SEV_RET_INVALID_ASID;
	if (g->asid)
		return SEV_RET_INVALID_GUEST_STATE;
	list_for_each_entry(o, &fw_guests, entry)
		if (!o->decommissioned && o->asid == d->asid)
			return SEV_RET_ASID_OWNED;
	/* SEV-ES guests (sev_fw.c) share the range. */
	if (sev_fw_asid_live(d->asid))
		return SEV_RET_ASID_OWNED;
	g->asid = d->asid;
	return 0;
}

/* The firmware's secrets page: a version, the guest's GOSVW and its four VMPCKs. */
static int fw_fill_secrets(struct snp_guest_ctx *g, u8 *page)
{
	clear_page(page);
	*(u32 *)page = 3;				/* secrets page version */
	memcpy(page + 0x10, g->gosvw, sizeof(g->gosvw));
	memcpy(page + 0x20, g->keys.vmpck, sizeof(g->keys.vmpck));	/* VMPCK0..3 */
	return 0;
}

/* Check a CPUID page; on failure write the corrected table back, as the firmware does. */
static int fw_check_cpuid(u8 *page)
{
	struct snp_cpuid_table *t = (struct snp_cpuid_table *)page;
	bool bad = false;
	unsigned int i;

	BUILD_BUG_ON(sizeof(struct snp_cpuid_fn) != 48);
	if (t->count > SNP_CPUID_COUNT_MAX) {
		t->count = SNP_CPUID_COUNT_MAX;
		bad = true;
	}
	if (t->reserved1 || t->reserved2) {
		t->reserved1 = 0;
		t->reserved2 = 0;
		bad = true;
	}
	for (i = 0; i < t->count; i++) {
		if (t->fn[i].reserved) {
			t->fn[i].reserved = 0;
			bad = true;
		}
	}
	return bad ? SEV_RET_INVALID_PARAM : 0;
}

/*
 * The PSP writes memory through the memory controller, not through a core's caches, and so
 * does the model: non-temporal stores.  A ZERO page is not first read into this core's cache
 * only to be written back, which halves the memory traffic of a cached clear.
 */
static void fw_clear_page(void *page)
{
	u64 *p = page;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(u64); i += 4)
		asm volatile("movnti %1, 0(%0)\n\t"
			     "movnti %1, 8(%0)\n\t"
			     "movnti %1, 16(%0)\n\t"
			     "movnti %1, 24(%0)"
			     : : "r" (p + i), "r" (0ull) : "memory");
	/* Ordered before the RMP update and the digest that follow. */
	asm volatile("sfence" : : : "memory");
}

static int fw_launch_update_page(struct snp_guest_ctx *g, unsigned long pfn, u8 type,
				 u64 gpa)
{
	u8 *page = page_address(pfn_to_page(pfn));
	int r;

	switch (type) {
	case SNP_PAGE_TYPE_ZERO:
		fw_clear_page(page);
		break;
	case SNP_PAGE_TYPE_SECRETS:
		if (fw_fill_secrets(g, page))
			return SEV_RET_HWSEV_RET_PLATFORM;
		break;
	case SNP_PAGE_TYPE_CPUID:
		r = fw_check_cpuid(page);
		if (r)
			return r;
		break;
	}
	if (snp_digest_add_page(&g->digest, type, gpa, page))
		return SEV_RET_HWSEV_RET_PLATFORM;
	snp_rmp_fw_launch(pfn, type == SNP_PAGE_TYPE_VMSA);
	return 0;
}

static int fw_launch_update(struct sev_data_snp_launch_update *d)
{
	struct snp_guest_ctx *g = fw_find_guest(d->gctx_paddr);
	unsigned long pfn = d->address >> PAGE_SHIFT;
	struct rmpentry e;

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != SNP_GUEST_STATE_LAUNCH)
		return SEV_RET_INVALID_GUEST_STATE;
	if (!g->asid)
		return SEV_RET_INACTIVE;
	if (d->page_size)
		return SEV_RET_INVALID_PAGE_SIZE;
	if (d->imi_page || d->vmpl1_perms || d->vmpl2_perms || d->vmpl3_perms)
		return SEV_RET_UNSUPPORTED;
	if (!snp_page_type_valid(d->page_type) || d->rsvd || d->rsvd2 || d->rsvd3 || d->rsvd4)
		return SEV_RET_INVALID_PARAM;
	if (!PAGE_ALIGNED(d->address) || snp_lookup_rmpentry_raw(pfn, &e))
		return SEV_RET_INVALID_ADDRESS;
	/* A pre-guest page: the hypervisor assigned it to this guest and made it immutable. */
	if (!rmpentry_assigned(&e) || rmpentry_asid(&e) != g->asid || !rmpentry_immutable(&e) ||
	    rmpentry_validated(&e) || rmpentry_pagesize(&e) != RMP_PG_SIZE_4K)
		return SEV_RET_INVALID_PAGE_STATE;
	return fw_launch_update_page(g, pfn, d->page_type, rmpentry_gpa(&e));
}

/* What the guest's reports will say: its launch, the host's data, the ID block's fields. */
static void fw_fix_identity(struct snp_guest_ctx *g, const struct sev_id_block *id,
			    const struct sev_data_snp_launch_finish *d)
{
	struct snp_guest_identity *gi = &g->id;

	gi->policy = g->policy;
	memcpy(gi->measurement, g->digest.digest, sizeof(gi->measurement));
	memcpy(gi->host_data, d->host_data, sizeof(gi->host_data));
	gi->launch_tcb = SNP_FW_TCB_VERSION;
	if (!id)
		return;
	memcpy(gi->family_id, id->family_id, sizeof(gi->family_id));
	memcpy(gi->image_id, id->image_id, sizeof(gi->image_id));
	gi->guest_svn = id->guest_svn;
	gi->author_key_en = d->auth_key_en;
	if (!d->id_auth_paddr || !pfn_valid(d->id_auth_paddr >> PAGE_SHIFT))
		return;
	/* The digests of the public keys in ID_AUTH: the ID key, and the author key if used. */
	snp_key_digest(__va(d->id_auth_paddr) + SNP_ID_AUTH_ID_KEY, gi->id_key_digest);
	if (d->auth_key_en)
		snp_key_digest(__va(d->id_auth_paddr) + SNP_ID_AUTH_AUTHOR_KEY,
			       gi->author_key_digest);
}

static int fw_launch_finish(struct sev_data_snp_launch_finish *d)
{
	struct snp_guest_ctx *g = fw_find_guest(d->gctx_paddr);
	const struct sev_id_block *id;

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != SNP_GUEST_STATE_LAUNCH)
		return SEV_RET_INVALID_GUEST_STATE;
	if (d->rsvd)
		return SEV_RET_INVALID_PARAM;
	if (d->id_block_en) {
		if (!d->id_block_paddr || !pfn_valid(d->id_block_paddr >> PAGE_SHIFT))
			return SEV_RET_INVALID_ADDRESS;
		id = __va(d->id_block_paddr);
		if (memcmp(id->ld, g->digest.digest, sizeof(id->ld)))
			return SEV_RET_BAD_MEASUREMENT;
		if (id->policy != g->policy)
			return SEV_RET_POLICY_FAILURE;
	} else if (d->auth_key_en) {
		return SEV_RET_INVALID_PARAM;	/* an author key signs an ID block */
	}
	fw_fix_identity(g, d->id_block_en ? id : NULL, d);
	g->state = SNP_GUEST_STATE_RUNNING;
	return 0;
}

/*
 * SNP_GUEST_REQUEST: the guest's message from a hypervisor page, the answer into a firmware
 * page (the hypervisor reads it from there).
 */
static int fw_guest_request(struct sev_data_snp_guest_request *d)
{
	struct snp_guest_ctx *g = fw_find_guest(d->gctx_paddr);
	unsigned long req = d->req_paddr >> PAGE_SHIFT, res = d->res_paddr >> PAGE_SHIFT;
	struct rmpentry e;

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != SNP_GUEST_STATE_RUNNING)
		return SEV_RET_INVALID_GUEST_STATE;
	if (!PAGE_ALIGNED(d->req_paddr) || !PAGE_ALIGNED(d->res_paddr) ||
	    snp_lookup_rmpentry_raw(req, &e) || !snp_rmp_pfn_valid(res))
		return SEV_RET_INVALID_ADDRESS;
	if (rmpentry_assigned(&e) || !fw_page_is_firmware(res) || fw_page_is_context(res))
		return SEV_RET_INVALID_PAGE_STATE;
	return snp_guest_msg(&g->keys, &g->id, &fw_config, page_address(pfn_to_page(req)),
			     page_address(pfn_to_page(res)));
}

/* Is every security patch level of @tcb at most the current TCB's (bytes 0, 1, 6 and 7)? */
static bool fw_tcb_not_newer(u64 tcb)
{
	static const int spl[] = { 0, 1, 6, 7 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(spl); i++)
		if ((tcb >> (8 * spl[i]) & 0xff) > (SNP_FW_TCB_VERSION >> (8 * spl[i]) & 0xff))
			return false;
	return !(tcb & 0x0000ffffffff0000ULL);		/* the reserved bytes */
}

/* SNP_CONFIG: what reports say from now on (a TCB not newer than the current one). */
static int fw_config_set(struct sev_user_data_snp_config *c)
{
	if (c->rsvd || memchr_inv(c->rsvd1, 0, sizeof(c->rsvd1)) ||
	    !fw_tcb_not_newer(c->reported_tcb))
		return SEV_RET_INVALID_PARAM;
	fw_config.reported_tcb = c->reported_tcb;
	fw_config.mask_chip_id = c->mask_chip_id;
	fw_config.mask_chip_key = c->mask_chip_key;
	return 0;
}

/*
 * SNP_COMMIT: the current firmware and TCB become the committed ones (no rollback below them).
 * The model's firmware never changes, so they already are.
 */
static int fw_commit(struct sev_data_snp_commit *c)
{
	return c->len == sizeof(*c) ? 0 : SEV_RET_INVALID_LEN;
}

static int fw_guest_status(struct sev_data_snp_guest_status *d)
{
	struct snp_guest_ctx *g = fw_find_guest(d->gctx_paddr);
	unsigned long pfn = d->address >> PAGE_SHIFT;
	struct snp_guest_status *st;

	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (!PAGE_ALIGNED(d->address) || !fw_page_is_firmware(pfn) || fw_page_is_context(pfn))
		return SEV_RET_INVALID_PAGE_STATE;
	st = page_address(pfn_to_page(pfn));
	memset(st, 0, sizeof(*st));
	st->policy = g->policy;
	st->asid = g->asid;
	st->state = g->state;
	snp_rmp_fw_reclaim(pfn);
	return 0;
}

static int fw_decommission(struct sev_data_snp_decommission *d)
{
	struct snp_guest_ctx *g = fw_find_guest(d->gctx_paddr);

	if (!g)
		return SEV_RET_INVALID_GUEST;
	g->decommissioned = true;
	g->asid = 0;
	snp_digest_destroy(&g->digest);
	fw_nr_live--;
	return 0;
}

/* A decommissioned guest's page, or one the firmware holds but no longer needs. */
static bool fw_asid_live(u32 asid)
{
	struct snp_guest_ctx *g;

	lockdep_assert_held(&fw_lock);
	list_for_each_entry(g, &fw_guests, entry)
		if (!g->decommissioned && g->asid == asid)
			return true;
	return false;
}

static bool fw_page_reclaimable(unsigned long pfn, const struct rmpentry *e)
{
	struct snp_guest_ctx *g;

	if (!rmpentry_assigned(e))
		return false;
	if (!rmpentry_asid(e)) {
		list_for_each_entry(g, &fw_guests, entry)
			if (g->gctx_pfn == pfn && !g->decommissioned)
				return false;	/* a live guest's context */
		return true;
	}
	/* Pre-guest pages of any guest, and every page of a guest that is gone. */
	return rmpentry_immutable(e) || !fw_asid_live(rmpentry_asid(e));
}

static int fw_page_reclaim(struct sev_data_snp_page_reclaim *d)
{
	unsigned long pfn = d->paddr >> PAGE_SHIFT;
	struct snp_guest_ctx *g, *tmp;
	struct rmpentry e;

	if (d->paddr & 1)
		return SEV_RET_INVALID_PAGE_SIZE;
	if ((d->paddr & ~PAGE_MASK) || snp_lookup_rmpentry_raw(pfn, &e))
		return SEV_RET_INVALID_ADDRESS;
	if (!fw_page_reclaimable(pfn, &e))
		return SEV_RET_INVALID_PAGE_STATE;
	snp_rmp_fw_reclaim(pfn);
	list_for_each_entry_safe(g, tmp, &fw_guests, entry) {
		if (g->gctx_pfn == pfn && g->decommissioned) {
			list_del(&g->entry);
			kfree(g);
		}
	}
	return 0;
}

static int __snp_fw_command(int cmd, void *data)
{
	lockdep_assert_held(&fw_lock);
	if (cmd != SEV_CMD_SNP_INIT && cmd != SEV_CMD_SNP_PLATFORM_STATUS && !fw_platform_state)
		return SEV_RET_INVALID_PLATFORM_STATE;

	switch (cmd) {
	case SEV_CMD_SNP_INIT:
		return fw_snp_init();
	case SEV_CMD_SNP_SHUTDOWN:
		return fw_snp_shutdown();
	case SEV_CMD_SNP_PLATFORM_STATUS:
		return fw_platform_status(data);
	case SEV_CMD_SNP_GCTX_CREATE:
		return fw_gctx_create(data);
	case SEV_CMD_SNP_ACTIVATE:
		return fw_activate(data);
	case SEV_CMD_SNP_LAUNCH_START:
		return fw_launch_start(data);
	case SEV_CMD_SNP_LAUNCH_UPDATE:
		return fw_launch_update(data);
	case SEV_CMD_SNP_LAUNCH_FINISH:
		return fw_launch_finish(data);
	case SEV_CMD_SNP_GUEST_STATUS:
		return fw_guest_status(data);
	case SEV_CMD_SNP_DECOMMISSION:
		return fw_decommission(data);
	case SEV_CMD_SNP_PAGE_RECLAIM:
		return fw_page_reclaim(data);
	case SEV_CMD_SNP_GUEST_REQUEST:
		return fw_guest_request(data);
	case SEV_CMD_SNP_CONFIG:
		return fw_config_set(data);
	case SEV_CMD_SNP_COMMIT:
		return fw_commit(data);
	default:
		return sev_fw_command(cmd, data);
	}
}

/* An ASID an SNP guest runs with (sev_fw.c's ACTIVATE asks too); under the firmware's lock. */
bool snp_fw_asid_live_locked(u32 asid)
{
	lockdep_assert_held(&fw_lock);
	return fw_asid_live(asid);
}

/* The failures a test asked for (snp_fw_inject_failure()): one per command, under fw_lock. */
static struct {
	int cmd;
	unsigned int countdown;
	int status;
} fw_inject[4];

void snp_fw_inject_failure(int cmd, unsigned int nth, int status)
{
	unsigned int i, slot = ARRAY_SIZE(fw_inject);

	mutex_lock(&fw_lock);
	for (i = 0; i < ARRAY_SIZE(fw_inject); i++) {
		if (fw_inject[i].countdown && fw_inject[i].cmd == cmd)
			slot = i;
		else if (!fw_inject[i].countdown && slot == ARRAY_SIZE(fw_inject))
			slot = i;
	}
	if (!WARN_ON(slot == ARRAY_SIZE(fw_inject)))
		fw_inject[slot] = (typeof(fw_inject[0])){ cmd, nth, status };
	mutex_unlock(&fw_lock);
}

static int fw_inject_hit;		/* the command the last injected failure hit */

/* An injected failure of @cmd now: its status, else 0. */
static int fw_injected(int cmd)
{
	unsigned int i;

	lockdep_assert_held(&fw_lock);
	for (i = 0; i < ARRAY_SIZE(fw_inject); i++) {
		if (!fw_inject[i].countdown ||
		    (fw_inject[i].cmd != cmd && fw_inject[i].cmd != SNP_FW_ANY_CMD))
			continue;
		if (!--fw_inject[i].countdown) {
			fw_inject_hit = cmd;
			return fw_inject[i].status;
		}
	}
	return 0;
}

int snp_fw_injected_cmd(void)
{
	int cmd;

	mutex_lock(&fw_lock);
	cmd = fw_inject_hit;
	fw_inject_hit = 0;
	mutex_unlock(&fw_lock);
	return cmd;
}

/* One firmware command; returns the firmware status (SEV_RET_*). */
int snp_fw_command(int cmd, void *data)
{
	int r;

	mutex_lock(&fw_lock);
	r = fw_injected(cmd);
	if (!r)
		r = __snp_fw_command(cmd, data);
	mutex_unlock(&fw_lock);
	return r;
}

bool snp_fw_asid_live(u32 asid)
{
	bool live;

	mutex_lock(&fw_lock);
	live = fw_asid_live(asid) || sev_fw_asid_live(asid);
	mutex_unlock(&fw_lock);
	return live;
}

int snp_fw_set_chip_seed(const u8 *seed, unsigned int len)
{
	int r;

	mutex_lock(&fw_lock);
	r = snp_chip_set_seed(seed, len);
	mutex_unlock(&fw_lock);
	return r;
}

void snp_fw_chip_id(u8 id[64])
{
	mutex_lock(&fw_lock);
	snp_chip_id(id);
	mutex_unlock(&fw_lock);
}

int snp_fw_vcek_public(u64 tcb, u8 pub[96])
{
	int r;

	mutex_lock(&fw_lock);
	r = snp_vcek_public(tcb, pub);
	mutex_unlock(&fw_lock);
	return r;
}

/* Test-only: an SEV guest's TIK (sev_fw.c), so that a test can check its measurement. */
int snp_fw_sev_guest_tik(u32 handle, u8 *tik)
{
	int r;

	mutex_lock(&fw_lock);
	r = sev_fw_guest_tik(handle, tik);
	mutex_unlock(&fw_lock);
	return r;
}

/*
 * Pages the firmware holds: every context page (live or awaiting reclaim) and every page in
 * the firmware state.  A page in the reclaim state belongs to nobody: the hypervisor must
 * make it shared before it does anything else.
 */
bool snp_fw_page_owned(unsigned long pfn)
{
	bool owned;

	mutex_lock(&fw_lock);
	owned = fw_page_is_context(pfn) || fw_page_is_firmware(pfn);
	mutex_unlock(&fw_lock);
	return owned;
}

/*
 * The launch digest of a live guest (what an attestation report's MEASUREMENT carries): the
 * model exposes it directly so KVM and tests can read it without a guest.
 */
int snp_fw_launch_digest(u64 gctx_paddr, u8 out[SNP_DIGEST_SIZE])
{
	struct snp_guest_ctx *g;
	int r = SEV_RET_INVALID_GUEST;

	mutex_lock(&fw_lock);
	g = fw_find_guest(gctx_paddr);
	if (g) {
		memcpy(out, g->digest.digest, SNP_DIGEST_SIZE);
		r = 0;
	}
	mutex_unlock(&fw_lock);
	return r;
}

unsigned int snp_fw_guest_count(void)
{
	return READ_ONCE(fw_nr_live);
}
