// SPDX-License-Identifier: GPL-2.0
/*
 * The SNP firmware model through sev_do_cmd(), as KVM drives it: platform status, guest
 * contexts, LAUNCH_START policy checks, ACTIVATE, LAUNCH_UPDATE for every page type,
 * LAUNCH_FINISH with an ID block, DECOMMISSION and PAGE_RECLAIM -- each wrong order, wrong
 * state, bad ASID and wrong page state with its status code, and the RMP invariants checked
 * after every command.  A launch through the firmware reproduces the known-answer digest, and
 * the report its guest then asks for (SNP_GUEST_REQUEST) carries its ID block's fields and
 * the digests of its ID and author keys.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>
#include <asm/sev.h>
#include <asm/snp_digest.h>
#include <asm/snp_fw.h>
#include <asm/psp_gcm.h>
#include <crypto/hash.h>

#include "test_util.h"
#include "vectors.h"

#define POLICY	(SNP_POLICY_RSVD_MBO | SNP_POLICY_SMT)

static bool asid_live(u32 asid, void *data)
{
	return snp_fw_asid_live(asid);
}

static bool fw_owned(unsigned long pfn, void *data)
{
	return snp_fw_page_owned(pfn);
}

static const struct snp_rmp_owners owners = { asid_live, fw_owned, NULL, NULL };

#define CHECK_RMP() do {							\
	char __why[200];							\
	TEST_ASSERT(!snp_rmp_check(&owners, __why, sizeof(__why)), "RMP: %s", __why); \
} while (0)

/* Issue a command; return the firmware status (checking the errno mapping on the way). */
static int fw(int cmd, void *data)
{
	int err = -1, r = sev_do_cmd(cmd, data, &err);

	TEST_ASSERT(err ? r == -EIO : r == 0, "cmd %#x: status %#x but return %d", cmd, err, r);
	CHECK_RMP();
	return err;
}

static unsigned long new_pfn(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	TEST_ASSERT(page, "alloc_page");
	return page_to_pfn(page);
}

static u64 pa(unsigned long pfn)
{
	return (u64)pfn << PAGE_SHIFT;
}

static void free_shared(unsigned long pfn)
{
	struct rmpentry e;

	TEST_ASSERT(!snp_lookup_rmpentry_raw(pfn, &e) && !e.lo, "freeing an assigned page");
	__free_page(pfn_to_page(pfn));
}

struct guest {
	unsigned long gctx;
	u32 asid;
};

static struct guest new_guest(u32 asid)
{
	struct guest g = { new_pfn(), asid };
	struct sev_data_snp_addr create = { pa(g.gctx) };
	struct sev_data_snp_launch_start start = { .gctx_paddr = pa(g.gctx), .policy = POLICY };
	struct sev_data_snp_activate act = { pa(g.gctx), asid };

	TEST_ASSERT(!snp_mark_page_firmware(g.gctx), "mark firmware");
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_GCTX_CREATE, &create), 0);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_START, &start), 0);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_ACTIVATE, &act), 0);
	return g;
}

/* Make @pfn a pre-guest page of @g at @gpa, as KVM's rmp_make_private does. */
static void pre_guest(const struct guest *g, unsigned long pfn, u64 gpa)
{
	struct rmp_state s = { gpa, 1, RMP_PG_SIZE_4K, 1, 0, g->asid };

	TEST_ASSERT_EQ(rmpupdate(pfn, &s), 0);
}

static int launch_page(const struct guest *g, unsigned long pfn, u8 type)
{
	struct sev_data_snp_launch_update u = {
		.gctx_paddr = pa(g->gctx), .page_type = type, .address = pa(pfn),
	};

	return fw(SEV_CMD_SNP_LAUNCH_UPDATE, &u);
}

/*
 * Tear a guest down in KVM's order: its guest_memfd pages go back to shared first (they hold
 * the VM), then the context is decommissioned and its page reclaimed.
 */
static void destroy_guest(struct guest *g, unsigned long *pfns, unsigned int n)
{
	struct sev_data_snp_decommission d = { pa(g->gctx) };
	struct rmp_state shared = {};
	unsigned int i;

	for (i = 0; i < n; i++) {
		TEST_ASSERT_EQ(rmpupdate(pfns[i], &shared), 0);
		free_shared(pfns[i]);
	}
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_DECOMMISSION, &d), 0);
	TEST_ASSERT(!snp_reclaim_page(g->gctx), "reclaim the context page");
	CHECK_RMP();
	free_shared(g->gctx);
}

static void test_platform(void)
{
	unsigned long pfn = new_pfn();
	struct sev_data_snp_addr st = { pa(pfn) };
	struct sev_user_data_snp_status *s = page_address(pfn_to_page(pfn));

	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_INIT, NULL), SEV_RET_INVALID_PLATFORM_STATE);
	/* The status page must be the firmware's. */
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_PLATFORM_STATUS, &st), SEV_RET_INVALID_PAGE_STATE);
	TEST_ASSERT(!snp_mark_page_firmware(pfn), "mark");
	/* Raw: the page is in the reclaim state until the next step. */
	TEST_ASSERT_EQ(snp_fw_command(SEV_CMD_SNP_PLATFORM_STATUS, &st), 0);
	TEST_ASSERT(s->api_major == SNP_FW_API_MAJOR && s->api_minor == SNP_FW_API_MINOR &&
		    s->state == 1 && s->is_rmp_initialized && s->guest_count == 0, "status");
	TEST_ASSERT(!snp_reclaim_page(pfn), "reclaim");
	TEST_ASSERT_EQ(fw(0x1ff, NULL), SEV_RET_INVALID_COMMAND);
	free_shared(pfn);
}

/*
 * The PSP driver's firmware pages go through the checked RMPUPDATE helpers: never assigned
 * twice (to the firmware again, or to a guest), and every call, refused ones too, counted and
 * traced.
 */
static void test_firmware_pages_are_checked(void)
{
	unsigned long pfn = new_pfn(), guest = new_pfn();
	unsigned long fw0 = snp_rmpupdate_count(SNP_RMP_MAKE_FIRMWARE);
	unsigned long pr0 = snp_rmpupdate_count(SNP_RMP_MAKE_PRIVATE);
	unsigned long sh0 = snp_rmpupdate_count(SNP_RMP_MAKE_SHARED);
	struct rmpentry e, now;

	TEST_ASSERT_EQ(snp_mark_page_firmware(pfn), 0);
	TEST_ASSERT_EQ(snp_lookup_rmpentry_raw(pfn, &e), 0);
	TEST_ASSERT(rmpentry_assigned(&e) && rmpentry_immutable(&e) && !rmpentry_asid(&e),
		    "firmware page %#llx", e.lo);
	TEST_ASSERT_EQ(snp_mark_page_firmware(pfn), -EEXIST);
	TEST_ASSERT_EQ(rmp_make_private(pfn, 0x1000, 1, false), -EEXIST);
	TEST_ASSERT_EQ(snp_lookup_rmpentry_raw(pfn, &now), 0);
	TEST_ASSERT_EQ(now.lo, e.lo);
	TEST_ASSERT_EQ(rmp_make_private(guest, 0x1000, 1, false), 0);
	TEST_ASSERT_EQ(snp_mark_page_firmware(guest), -EEXIST);
	TEST_ASSERT_EQ(snp_rmpupdate_count(SNP_RMP_MAKE_FIRMWARE), fw0 + 3);
	TEST_ASSERT_EQ(snp_rmpupdate_count(SNP_RMP_MAKE_PRIVATE), pr0 + 2);
	TEST_ASSERT(!snp_reclaim_page(pfn), "reclaim");
	TEST_ASSERT_EQ(rmp_make_shared(guest), 0);
	TEST_ASSERT_EQ(snp_rmpupdate_count(SNP_RMP_MAKE_SHARED), sh0 + 2);
	CHECK_RMP();
	free_shared(pfn);
	free_shared(guest);
}

static void test_guest_context(void)
{
	unsigned long pfn = new_pfn();
	struct sev_data_snp_addr c = { pa(pfn) };
	struct sev_data_snp_launch_start start = { .gctx_paddr = pa(pfn), .policy = POLICY };
	struct sev_data_snp_decommission d = { pa(pfn) };

	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_GCTX_CREATE, &c), SEV_RET_INVALID_PAGE_STATE);
	c.address += 8;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_GCTX_CREATE, &c), SEV_RET_INVALID_ADDRESS);
	c.address = pa(pfn);
	TEST_ASSERT(!snp_mark_page_firmware(pfn), "mark");
	/* Commands on a context that does not exist yet. */
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_START, &start), SEV_RET_INVALID_GUEST);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_DECOMMISSION, &d), SEV_RET_INVALID_GUEST);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_GCTX_CREATE, &c), 0);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_GCTX_CREATE, &c), SEV_RET_INVALID_PAGE_STATE);
	TEST_ASSERT_EQ(snp_fw_guest_count(), 1);
	/* A live context page cannot be reclaimed; the host cannot write it either. */
	TEST_ASSERT_EQ(snp_reclaim_page(pfn), -EIO);
	TEST_ASSERT_EQ(snp_host_copy_to_pfn(pfn, 0, "x", 1), -EFAULT);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_DECOMMISSION, &d), 0);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_DECOMMISSION, &d), SEV_RET_INVALID_GUEST);
	TEST_ASSERT_EQ(snp_fw_guest_count(), 0);
	TEST_ASSERT(!snp_reclaim_page(pfn), "reclaim after decommission");
	free_shared(pfn);
}

static void test_launch_start_policy(void)
{
	static const struct {
		u64 policy;
		int status;
	} cases[] = {
		/* no must-be-one bit 17; SMT forbidden; reserved bits; ABI above 1.55 */
		{ SNP_POLICY_SMT, SEV_RET_POLICY_FAILURE },
		{ SNP_POLICY_RSVD_MBO, SEV_RET_POLICY_FAILURE },
		{ POLICY | (1ull << 25), SEV_RET_POLICY_FAILURE },
		{ POLICY | (1ull << 63), SEV_RET_POLICY_FAILURE },
		{ POLICY | (2ull << 8), SEV_RET_POLICY_FAILURE },
		{ POLICY | (1ull << 8) | 56, SEV_RET_POLICY_FAILURE },
		/* ABI 1.55 exactly, with DEBUG: accepted */
		{ POLICY | (1ull << 8) | 55 | SNP_POLICY_DEBUG, 0 },
	};
	unsigned long pfn = new_pfn();
	struct sev_data_snp_addr c = { pa(pfn) };
	struct sev_data_snp_launch_start s = { .gctx_paddr = pa(pfn) };
	struct sev_data_snp_decommission d = { pa(pfn) };
	unsigned int i;

	TEST_ASSERT(!snp_mark_page_firmware(pfn), "mark");
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_GCTX_CREATE, &c), 0);
	s.policy = POLICY;
	s.ma_en = 1;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_START, &s), SEV_RET_INVALID_PARAM);
	s.ma_en = 0;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		s.policy = cases[i].policy;
		TEST_ASSERT(fw(SEV_CMD_SNP_LAUNCH_START, &s) == cases[i].status,
			    "policy %#llx: expected status %#x", (unsigned long long)s.policy,
			    cases[i].status);
	}
	/* A second START: wrong state. */
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_START, &s), SEV_RET_INVALID_GUEST_STATE);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_DECOMMISSION, &d), 0);
	TEST_ASSERT(!snp_reclaim_page(pfn), "reclaim");
	free_shared(pfn);
}

static void test_activate(void)
{
	struct guest a = new_guest(3);
	unsigned long pfn = new_pfn();
	struct sev_data_snp_addr c = { pa(pfn) };
	struct sev_data_snp_activate act = { pa(pfn), 0 };
	struct sev_data_snp_decommission d = { pa(pfn) };

	TEST_ASSERT(!snp_mark_page_firmware(pfn), "mark");
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_GCTX_CREATE, &c), 0);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_ACTIVATE, &act), SEV_RET_INVALID_ASID);
	act.asid = SNP_FW_MAX_ASID + 1;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_ACTIVATE, &act), SEV_RET_INVALID_ASID);
	act.asid = 3;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_ACTIVATE, &act), SEV_RET_ASID_OWNED);
	act.asid = 4;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_ACTIVATE, &act), 0);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_ACTIVATE, &act), SEV_RET_INVALID_GUEST_STATE);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_DECOMMISSION, &d), 0);
	TEST_ASSERT(!snp_reclaim_page(pfn), "reclaim");
	free_shared(pfn);
	destroy_guest(&a, NULL, 0);
	/* The ASID is free again once its guest is gone. */
	a = new_guest(3);
	destroy_guest(&a, NULL, 0);
}

static void test_launch_update_rules(void)
{
	unsigned long pfn = new_pfn(), pfns[1] = { pfn };
	struct guest g = new_guest(5);
	struct sev_data_snp_launch_update u = {
		.gctx_paddr = pa(g.gctx), .page_type = SNP_PAGE_TYPE_NORMAL, .address = pa(pfn),
	};
	struct rmp_state s = { 0x1000, 1, 0, 0, 0, 5 };

	/* Shared page; guest page that is not immutable; another guest's page. */
	TEST_ASSERT_EQ(launch_page(&g, pfn, SNP_PAGE_TYPE_NORMAL), SEV_RET_INVALID_PAGE_STATE);
	TEST_ASSERT_EQ(rmpupdate(pfn, &s), 0);
	TEST_ASSERT_EQ(launch_page(&g, pfn, SNP_PAGE_TYPE_NORMAL), SEV_RET_INVALID_PAGE_STATE);
	/* Another ASID's pre-guest page (no guest owns ASID 6: skip the RMP check here). */
	s.asid = 6;
	s.immutable = 1;
	TEST_ASSERT_EQ(rmpupdate(pfn, &s), 0);
	TEST_ASSERT_EQ(snp_fw_command(SEV_CMD_SNP_LAUNCH_UPDATE, &u), SEV_RET_INVALID_PAGE_STATE);
	TEST_ASSERT(!snp_reclaim_page(pfn), "reclaim");		/* pre-guest page */
	pre_guest(&g, pfn, 0x1000);
	u.page_type = 0;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_UPDATE, &u), SEV_RET_INVALID_PARAM);
	u.page_type = 7;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_UPDATE, &u), SEV_RET_INVALID_PARAM);
	u.page_type = SNP_PAGE_TYPE_NORMAL;
	u.page_size = 1;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_UPDATE, &u), SEV_RET_INVALID_PAGE_SIZE);
	u.page_size = 0;
	u.vmpl1_perms = 1;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_UPDATE, &u), SEV_RET_UNSUPPORTED);
	u.vmpl1_perms = 0;
	u.address |= 8;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_UPDATE, &u), SEV_RET_INVALID_ADDRESS);
	u.address = pa(pfn);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_UPDATE, &u), 0);
	/* The page is now guest-valid, mutable, and cannot be launched twice. */
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_UPDATE, &u), SEV_RET_INVALID_PAGE_STATE);
	destroy_guest(&g, pfns, 1);
}

static void test_launch_order(void)
{
	unsigned long pfn = new_pfn(), pfns[1] = { pfn };
	unsigned long gctx = new_pfn();
	struct guest g = { gctx, 7 };
	struct sev_data_snp_addr c = { pa(gctx) };
	struct sev_data_snp_launch_start start = { .gctx_paddr = pa(gctx), .policy = POLICY };
	struct sev_data_snp_activate act = { pa(gctx), 7 };
	struct sev_data_snp_launch_finish fin = { .gctx_paddr = pa(gctx) };

	TEST_ASSERT(!snp_mark_page_firmware(gctx), "mark");
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_GCTX_CREATE, &c), 0);
	/* Before START: UPDATE and FINISH are in the wrong state; ACTIVATE is allowed. */
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_FINISH, &fin), SEV_RET_INVALID_GUEST_STATE);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_START, &start), 0);
	/* Not yet activated. */
	pre_guest(&g, pfn, 0x2000);
	TEST_ASSERT_EQ(snp_fw_command(SEV_CMD_SNP_LAUNCH_UPDATE,
				      &(struct sev_data_snp_launch_update){
					      .gctx_paddr = pa(gctx), .page_type = 1,
					      .address = pa(pfn) }), SEV_RET_INACTIVE);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_ACTIVATE, &act), 0);
	TEST_ASSERT_EQ(launch_page(&g, pfn, SNP_PAGE_TYPE_NORMAL), 0);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_FINISH, &fin), 0);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_FINISH, &fin), SEV_RET_INVALID_GUEST_STATE);
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_START, &start), SEV_RET_INVALID_GUEST_STATE);
	destroy_guest(&g, pfns, 1);
}

static unsigned long fill_pfn(const struct vector_step *s, unsigned int p)
{
	unsigned long pfn = new_pfn();
	u8 page[PAGE_SIZE];

	vector_fill(s, p, page);
	TEST_ASSERT(!snp_host_copy_to_pfn(pfn, 0, page, PAGE_SIZE), "host copy");
	return pfn;
}

static u8 type_of(const char *kind)
{
	static const char *const names[] = { "", "normal", "vmsa", "zero", "unmeasured",
					     "secrets", "cpuid" };
	u8 i;

	for (i = 1; i < ARRAY_SIZE(names); i++)
		if (!strcmp(kind, names[i]))
			return i;
	return 0;
}

static void sha384(const u8 *p, unsigned int len, u8 out[48])
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha384", 0, 0);

	TEST_ASSERT(!IS_ERR(tfm) && !crypto_shash_tfm_digest(tfm, p, len, out), "sha384");
	crypto_free_shash(tfm);
}

/*
 * A report request sealed with VMPCK0 (from the guest's secrets page), answered by the
 * firmware into a firmware page, opened: the report (0x4a0 bytes) into @report.
 */
static void request_report(const struct guest *g, const u8 *vmpck0, u8 *report)
{
	unsigned long req = new_pfn(), res = new_pfn();
	u8 *q = page_address(pfn_to_page(req)), *a = page_address(pfn_to_page(res));
	struct sev_data_snp_guest_request d = { pa(g->gctx), pa(req), pa(res) };
	u8 payload[96] = { 0x42 }, iv[12] = { 1 }, out[0x4c0];

	q[0x20] = 1;					/* sequence number 1 */
	q[0x30] = 1;					/* AES-256-GCM */
	q[0x31] = 1;
	q[0x32] = 0x60;
	q[0x34] = 5;					/* MSG_REPORT_REQ, version 1 */
	q[0x35] = 1;
	q[0x36] = sizeof(payload);
	TEST_ASSERT_EQ(psp_gcm_encrypt(vmpck0, 32, iv, q + 0x30, 0x30, payload, q + 0x60,
				       sizeof(payload), q), 0);
	TEST_ASSERT(!snp_mark_page_firmware(res), "mark firmware");
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_GUEST_REQUEST, &d), 0);
	iv[0] = 2;
	TEST_ASSERT(a[0x20] == 2 && a[0x34] == 6, "response header");
	TEST_ASSERT_EQ(psp_gcm_decrypt(vmpck0, 32, iv, a + 0x30, 0x30, a + 0x60, out,
				       sizeof(out), a), 0);
	TEST_ASSERT_EQ(*(u32 *)out, 0);
	memcpy(report, out + 0x20, 0x4a0);
	TEST_ASSERT(!snp_reclaim_page(res), "reclaim");
	free_shared(res);
	free_shared(req);
}

/* The mixed vector, launched page by page through the firmware, then FINISH with ID block. */
static void test_launch_reproduces_vector(void)
{
	struct vector_file *f = vector_load("snp-launch-digest.txt");
	const struct vector_case *c = &f->cases[f->nr_cases - 1];
	unsigned long pfns[32], idpfn = new_pfn(), authpfn = new_pfn();
	struct sev_id_block *id = page_address(pfn_to_page(idpfn));
	u8 *auth = page_address(pfn_to_page(authpfn)), report[0x4a0], want[48];
	struct sev_data_snp_launch_finish fin = {};
	struct guest g = new_guest(9);
	unsigned int i, p, n = 0;
	char hex[97];
	u8 digest[48];

	TEST_ASSERT(strstr(c->name, "mixed"), "last vector is %s", c->name);
	for (i = 0; i < c->nr_steps; i++) {
		const struct vector_step *s = &c->steps[i];
		u8 type = type_of(s->kind);

		for (p = 0; p < s->pages; p++) {
			u64 gpa = type == SNP_PAGE_TYPE_VMSA ? SNP_VMSA_GPA : s->gpa + p * 4096;

			pfns[n] = fill_pfn(s, p);
			pre_guest(&g, pfns[n], gpa);
			TEST_ASSERT_EQ(launch_page(&g, pfns[n], type), 0);
			n++;
		}
	}
	TEST_ASSERT(!snp_fw_launch_digest(pa(g.gctx), digest), "digest");
	for (i = 0; i < 48; i++)
		sprintf(hex + 2 * i, "%02x", digest[i]);
	TEST_ASSERT(!strcmp(hex, c->digest), "firmware digest %s, vector %s", hex, c->digest);

	/* The ID block must carry this digest and policy. */
	fin.gctx_paddr = pa(g.gctx);
	fin.id_block_en = 1;
	fin.id_block_paddr = pa(idpfn);
	id->policy = POLICY;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_FINISH, &fin), SEV_RET_BAD_MEASUREMENT);
	memcpy(id->ld, digest, 48);
	id->policy = POLICY | SNP_POLICY_DEBUG;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_FINISH, &fin), SEV_RET_POLICY_FAILURE);
	id->policy = POLICY;
	memset(id->family_id, 0xf1, sizeof(id->family_id));
	memset(id->image_id, 0x1e, sizeof(id->image_id));
	id->guest_svn = 7;
	for (i = 0; i < PAGE_SIZE; i++)			/* two different public keys */
		auth[i] = i * 7;
	fin.id_auth_paddr = pa(authpfn);
	fin.auth_key_en = 1;
	TEST_ASSERT_EQ(fw(SEV_CMD_SNP_LAUNCH_FINISH, &fin), 0);

	/* The guest's report: ID block fields, the keys' digests, AUTHOR_KEY_EN, the digest. */
	request_report(&g, (u8 *)page_address(pfn_to_page(pfns[5])) + 0x20, report);
	TEST_ASSERT(!memcmp(report + 0x90, digest, 48), "MEASUREMENT");
	TEST_ASSERT(report[0x10] == 0xf1 && report[0x20] == 0x1e && report[4] == 7, "ID block");
	TEST_ASSERT_EQ(report[0x48] & 1, 1);
	sha384(auth + 0x240, 0x404, want);
	TEST_ASSERT(!memcmp(report + 0xe0, want, 48), "ID_KEY_DIGEST");
	sha384(auth + 0x880, 0x404, want);
	TEST_ASSERT(!memcmp(report + 0x110, want, 48), "AUTHOR_KEY_DIGEST");
	__free_page(pfn_to_page(authpfn));
	__free_page(pfn_to_page(idpfn));
	destroy_guest(&g, pfns, n);
	vector_free(f);
}

static void test_page_types(void)
{
	unsigned long zero = new_pfn(), secrets = new_pfn(), cpuid = new_pfn();
	unsigned long pfns[3] = { zero, secrets, cpuid };
	struct guest g = new_guest(11);
	u8 *z = page_address(pfn_to_page(zero)), *sp = page_address(pfn_to_page(secrets));
	u32 *cp = page_address(pfn_to_page(cpuid));
	u8 junk[64], vmpcks[4][32];

	memset(junk, 0x77, sizeof(junk));
	TEST_ASSERT(!snp_host_copy_to_pfn(zero, 100, junk, sizeof(junk)), "copy");
	pre_guest(&g, zero, 0x10000);
	TEST_ASSERT_EQ(launch_page(&g, zero, SNP_PAGE_TYPE_ZERO), 0);
	TEST_ASSERT(!z[100] && !z[163], "ZERO page not zeroed by the firmware");

	pre_guest(&g, secrets, 0x11000);
	TEST_ASSERT_EQ(launch_page(&g, secrets, SNP_PAGE_TYPE_SECRETS), 0);
	TEST_ASSERT(*(u32 *)sp == 3 && memcmp(sp + 0x20, sp + 0x40, 32), "secrets page");
	memcpy(vmpcks, sp + 0x20, sizeof(vmpcks));

	/* A CPUID page with a bad count: refused, and corrected in place. */
	cp[0] = 65;
	pre_guest(&g, cpuid, 0x12000);
	TEST_ASSERT_EQ(launch_page(&g, cpuid, SNP_PAGE_TYPE_CPUID), SEV_RET_INVALID_PARAM);
	TEST_ASSERT_EQ(cp[0], 64);
	TEST_ASSERT(!snp_reclaim_page(cpuid), "reclaim the refused CPUID page");
	cp[0] = 2;
	pre_guest(&g, cpuid, 0x12000);
	TEST_ASSERT_EQ(launch_page(&g, cpuid, SNP_PAGE_TYPE_CPUID), 0);
	destroy_guest(&g, pfns, 3);

	/*
	 * The VMPCKs are the firmware's secret: the same launch, page for page, at the same
	 * addresses, gets other keys (nothing a host knows determines them).
	 */
	g = new_guest(11);
	pre_guest(&g, secrets, 0x11000);
	TEST_ASSERT_EQ(launch_page(&g, secrets, SNP_PAGE_TYPE_SECRETS), 0);
	TEST_ASSERT(memcmp(sp + 0x20, vmpcks, sizeof(vmpcks)), "the VMPCKs came out the same");
	destroy_guest(&g, &secrets, 1);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_platform),
		KSFT_TEST(test_firmware_pages_are_checked),
		KSFT_TEST(test_guest_context),
		KSFT_TEST(test_launch_start_policy),
		KSFT_TEST(test_activate),
		KSFT_TEST(test_launch_update_rules),
		KSFT_TEST(test_launch_order),
		KSFT_TEST(test_launch_reproduces_vector),
		KSFT_TEST(test_page_types),
	};

	TEST_ASSERT(!kvm_coco_init(), "platform init");
	return ksft_run(tests, ARRAY_SIZE(tests));
}
