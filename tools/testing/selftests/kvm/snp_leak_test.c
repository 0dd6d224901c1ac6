// SPDX-License-Identifier: GPL-2.0
/*
 * What KVM does when the SNP firmware fails it, with the failures injected into the platform
 * model (host_snp_fw_fail()): a page the firmware will not give back (PAGE_RECLAIM fails) is
 * leaked, counted, and never handed out again (the RMP invariants: the leak list owns it);
 * a LAUNCH_UPDATE the firmware refuses reaches the VMM with the firmware's status, and its
 * page comes back.  Its own binary: the leak count never goes down, and the other SNP tests
 * check that nothing leaked.
 */
#include "sev.h"
#include "kvm-coco-test.h"

#define SNP_FW_ANY_CMD		(-1)	/* host_snp_fw_fail(): a command of any kind */

#define MEM			(2ul << 20)
#define CMD_LAUNCH_UPDATE	0x0a1		/* SEV_CMD_SNP_LAUNCH_UPDATE */
#define CMD_PAGE_RECLAIM	0x0c7		/* SEV_CMD_SNP_PAGE_RECLAIM */
#define CMD_DECOMMISSION	0x090		/* SEV_CMD_SNP_DECOMMISSION */

static bool can_inject(void)
{
	if (host_is_library())
		return true;
	test_skip("fault injection needs the library host");
	return false;
}

/* An SNP VM after LAUNCH_START (its context page the firmware's); the leak count now. */
static unsigned long launching_vm(struct snp_vm *v)
{
	snp_vm_create(v, MEM, 1);
	snp_launch_start(v);
	return host_snp_leaked_pages();
}

/* The context page's reclaim fails at teardown: leaked, and the teardown completes. */
static void test_context_reclaim_failure_leaks(void)
{
	unsigned long before;
	struct snp_vm v;

	if (!can_inject())
		return;
	before = launching_vm(&v);
	host_snp_fw_fail(CMD_PAGE_RECLAIM, 1, SEV_RET_INVALID_PAGE_STATE);
	snp_vm_destroy(&v);
	TEST_ASSERT_EQ(host_snp_leaked_pages(), before + 1);
	check_rmp();
}

/*
 * The PSP's own firmware page: SNP_PLATFORM_STATUS's status page, which the firmware will not
 * give back, is leaked and counted (a fuzz finding: it was kept but not recorded, and the
 * RMP check found a firmware page with no owner).
 */
static void test_status_page_reclaim_failure_leaks(void)
{
	struct sev_user_data_snp_status st;
	struct sev_issue_cmd arg = { .cmd = SNP_PLATFORM_STATUS, .data = (uintptr_t)&st };
	unsigned long before;
	int sev;

	if (!can_inject())
		return;
	before = host_snp_leaked_pages();
	sev = kvm_coco_open_sev();
	host_snp_fw_fail(CMD_PAGE_RECLAIM, 1, SEV_RET_INVALID_PARAM);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sev, SEV_ISSUE_CMD, &arg), EFAULT);
	TEST_ASSERT_EQ(host_snp_leaked_pages(), before + 1);
	check_rmp();
	TEST_ASSERT(!kvm_coco_ioctl(sev, SEV_ISSUE_CMD, &arg), "status: %s", strerror(errno));
	TEST_ASSERT_EQ(host_snp_leaked_pages(), before + 1);
	kvm_close(sev);
}

static int launch_update_page(struct snp_vm *v, uint64_t gfn, uint32_t *error)
{
	static uint8_t page[PAGE_SIZE] __attribute__((aligned(4096)));
	struct kvm_sev_snp_launch_update p = {
		.gfn_start = gfn, .uaddr = (uint64_t)page, .len = PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
	};

	return __snp_launch_update(v, &p, error);
}

/* The firmware refuses LAUNCH_UPDATE of @gfn: the VMM sees EIO and the firmware's status. */
static void refused_launch_update(struct snp_vm *v, uint64_t gfn)
{
	uint32_t error = 0;

	host_snp_fw_fail(CMD_LAUNCH_UPDATE, 1, SEV_RET_INVALID_PARAM);
	TEST_ASSERT(launch_update_page(v, gfn, &error) == -1 && errno == EIO,
		    "LAUNCH_UPDATE should fail with EIO: errno %d", errno);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_PARAM);
}

/* LAUNCH_UPDATE refused: the VMM gets the status, the page is reclaimed, a retry works. */
static void test_launch_update_failure_reclaims(void)
{
	unsigned long before;
	uint32_t error = 0;
	struct snp_vm v;

	if (!can_inject())
		return;
	before = launching_vm(&v);
	refused_launch_update(&v, 0);
	TEST_ASSERT_EQ(gfn_rmp(v.vm, 0) & RMP_ASSIGNED, 0);
	check_rmp();
	TEST_ASSERT_EQ(launch_update_page(&v, 0, &error), 0);
	TEST_ASSERT(gfn_rmp(v.vm, 0) & RMP_VALIDATED, "rmp %#llx",
		    (unsigned long long)gfn_rmp(v.vm, 0));
	snp_vm_destroy(&v);
	TEST_ASSERT_EQ(host_snp_leaked_pages(), before);
	check_rmp();
}

/* ... and its page cannot be reclaimed either: leaked, the rest of the VM torn down. */
static void test_launch_update_and_reclaim_failure_leaks(void)
{
	unsigned long before;
	struct snp_vm v;

	if (!can_inject())
		return;
	before = launching_vm(&v);
	host_snp_fw_fail(CMD_PAGE_RECLAIM, 1, SEV_RET_INVALID_PAGE_STATE);
	refused_launch_update(&v, 1);
	TEST_ASSERT_EQ(host_snp_leaked_pages(), before + 1);
	check_rmp();
	snp_vm_destroy(&v);
	TEST_ASSERT_EQ(host_snp_leaked_pages(), before + 1);
	check_rmp();
}

/* A launch with a page and a vCPU, stopping at the first step KVM refuses. */
static void launch_flow(struct snp_vm *v)
{
	static uint8_t pages[2 * PAGE_SIZE] __attribute__((aligned(4096)));
	struct kvm_sev_snp_launch_update u = {
		.uaddr = (uint64_t)pages, .len = sizeof(pages),
		.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
	};
	struct kvm_sev_snp_launch_finish f = {};
	uint32_t error = 0;

	if (__snp_launch_start(v, SNP_POLICY_DEFAULT, &error) ||
	    __snp_launch_update(v, &u, &error) || __snp_launch_finish(v, &f, &error))
		TEST_ASSERT(errno == EIO && error == SEV_RET_INVALID_PARAM,
			    "a refused command: errno %d, firmware %#x", errno, error);
	check_rmp();
}

/*
 * Each firmware command of a whole launch and teardown fails in turn (the n-th command from
 * the VM's creation on, of any kind).  After each: KVM reported it (EIO with the firmware's
 * status) or cleaned up after it, the RMP invariants hold, the teardown completes, the pages
 * leaked are exactly the one the firmware kept (its reclaim failed, or the guest was never
 * decommissioned), and nothing else is left behind.  A guest the firmware kept also keeps its
 * ASID: KVM never hands it out again (else the next VM's LAUNCH_START would fail).
 */
static void test_every_firmware_failure_in_a_launch(void)
{
	struct host_counters before, now;
	unsigned long leaked;
	unsigned int n, hits = 0;
	struct snp_vm v;
	bool lost;
	int hit;

	if (!can_inject())
		return;
	launching_vm(&v);		/* the platform initialised once, outside the sweep */
	snp_vm_destroy(&v);
	for (n = 1; ; n++) {
		host_get_counters(&before);
		leaked = host_snp_leaked_pages();
		snp_vm_create(&v, MEM, 1);
		host_snp_fw_fail(SNP_FW_ANY_CMD, n, SEV_RET_INVALID_PARAM);
		launch_flow(&v);
		snp_vm_destroy(&v);
		host_snp_fw_fail(SNP_FW_ANY_CMD, 0, 0);
		hit = host_snp_fw_failed_cmd();
		/* The flow has fewer than n commands: all were tried. */
		if (!hit)
			break;
		hits++;
		check_rmp();
		/* A page the firmware kept: its reclaim failed, or the guest was never
		 * decommissioned, so its context page cannot be reclaimed. */
		lost = hit == CMD_PAGE_RECLAIM || hit == CMD_DECOMMISSION;
		TEST_ASSERT_EQ(host_snp_leaked_pages() - leaked, lost);
		host_get_counters(&now);
		TEST_ASSERT_EQ(now.files, before.files);
		TEST_ASSERT_EQ(now.vmallocs, before.vmallocs);
		TEST_ASSERT_EQ(now.pages, before.pages + lost);
		TEST_ASSERT_EQ(now.warnings, before.warnings);
	}
	ksft_print_msg("%u firmware commands in a launch and teardown, each failed once\n", hits);
	TEST_ASSERT(hits >= 8, "only %u commands", hits);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_context_reclaim_failure_leaks),
		KSFT_TEST(test_status_page_reclaim_failure_leaks),
		KSFT_TEST(test_launch_update_failure_reclaims),
		KSFT_TEST(test_launch_update_and_reclaim_failure_leaks),
		KSFT_TEST(test_every_firmware_failure_in_a_launch),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
