// SPDX-License-Identifier: GPL-2.0
/*
 * The PSP device (/dev/sev equivalent) through the front door: SNP_PLATFORM_STATUS in
 * upstream's layout, SNP_SET_CONFIG (the reported TCB) and SNP_COMMIT, and the bad inputs of
 * SEV_ISSUE_CMD.
 */
#include <linux/psp-sev.h>

#include "kvm_util.h"

static int __sev_issue(int sev, uint32_t cmd, void *data, uint32_t *error)
{
	struct sev_issue_cmd arg = { .cmd = cmd, .data = (uintptr_t)data, .error = 0xdead };
	int r = kvm_coco_ioctl(sev, SEV_ISSUE_CMD, &arg);

	if (error)
		*error = arg.error;
	return r;
}

static void test_layouts(void)
{
	TEST_ASSERT_EQ(sizeof(struct sev_issue_cmd), 16);
	TEST_ASSERT_EQ(sizeof(struct sev_user_data_snp_status), 32);
	TEST_ASSERT_EQ(SEV_ISSUE_CMD, 0xc0105300ul);
	TEST_ASSERT_EQ(SNP_PLATFORM_STATUS, 9);
}

static void test_snp_platform_status(void)
{
	struct sev_user_data_snp_status st;
	int sev = kvm_coco_open_sev();
	uint32_t error;

	TEST_ASSERT(sev >= 0, "kvm_coco_open_sev: %s", strerror(errno));
	memset(&st, 0xff, sizeof(st));
	TEST_ASSERT(!__sev_issue(sev, SNP_PLATFORM_STATUS, &st, &error), "status: %s",
		    strerror(errno));
	TEST_ASSERT_EQ(error, 0);
	TEST_ASSERT(st.api_major == 1 && st.api_minor == 55, "api %u.%u", st.api_major,
		    st.api_minor);
	TEST_ASSERT(st.state == 1 && st.is_rmp_initialized && !st.rsvd, "state %u", st.state);
	TEST_ASSERT(st.current_tcb_version && st.reported_tcb_version == st.current_tcb_version,
		    "tcb");
	kvm_close(sev);
}

static void test_bad_input(void)
{
	int sev = kvm_coco_open_sev(), vm = vm_create(KVM_X86_SNP_VM);
	struct sev_issue_cmd arg = { .cmd = SNP_PLATFORM_STATUS };

	TEST_ASSERT_ERRNO(__sev_issue(sev, SNP_PLATFORM_STATUS, NULL, NULL), EINVAL);
	TEST_ASSERT_ERRNO(__sev_issue(sev, SNP_PLATFORM_STATUS, (void *)8, NULL), EFAULT);
	TEST_ASSERT_ERRNO(__sev_issue(sev, SNP_PLATFORM_STATUS, test_mem_at_end(16), NULL),
			  EFAULT);
	TEST_ASSERT_ERRNO(__sev_issue(sev, SEV_PEK_GEN, &arg, NULL), EINVAL);
	TEST_ASSERT_ERRNO(__sev_issue(sev, SEV_MAX, &arg, NULL), EINVAL);
	TEST_ASSERT_ERRNO(__sev_issue(sev, 0xffffffff, &arg, NULL), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sev, SEV_ISSUE_CMD, NULL), EFAULT);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sev, _IOWR('S', 1, struct sev_issue_cmd), &arg), ENOTTY);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(sev, KVM_CREATE_VM, 0), ENOTTY);
	/* The PSP request on a KVM descriptor is nothing KVM knows. */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, SEV_ISSUE_CMD, &arg), ENOTTY);
	kvm_close(vm);
	kvm_close(sev);
}

static uint64_t reported_tcb(int sev)
{
	struct sev_user_data_snp_status st;

	TEST_ASSERT(!__sev_issue(sev, SNP_PLATFORM_STATUS, &st, NULL), "status");
	return st.reported_tcb_version;
}

/* A reported TCB not newer than the current one, in every level; reserved fields zero. */
static void test_snp_config(void)
{
	int sev = kvm_coco_open_sev();
	uint64_t cur = reported_tcb(sev);
	/* the boot loader's level one lower */
	struct sev_user_data_snp_config c = { .reported_tcb = cur - 1 };
	uint32_t error;

	TEST_ASSERT_EQ(sizeof(c), 64);
	TEST_ASSERT_ERRNO(__sev_issue(sev, SNP_SET_CONFIG, NULL, NULL), EINVAL);
	c.rsvd1[51] = 1;
	TEST_ASSERT_ERRNO(__sev_issue(sev, SNP_SET_CONFIG, &c, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_PARAM);
	c.rsvd1[51] = 0;
	c.reported_tcb = cur + (1ull << 56);				/* microcode + 1 */
	TEST_ASSERT_ERRNO(__sev_issue(sev, SNP_SET_CONFIG, &c, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_PARAM);
	c.reported_tcb = cur | (1ull << 24);				/* a reserved byte */
	TEST_ASSERT_ERRNO(__sev_issue(sev, SNP_SET_CONFIG, &c, &error), EIO);
	TEST_ASSERT_EQ(reported_tcb(sev), cur);
	c.reported_tcb = cur - 1;
	TEST_ASSERT(!__sev_issue(sev, SNP_SET_CONFIG, &c, &error), "SET_CONFIG: %#x", error);
	TEST_ASSERT_EQ(reported_tcb(sev), cur - 1);
	TEST_ASSERT(!__sev_issue(sev, SNP_COMMIT, NULL, &error), "COMMIT: %#x", error);
	c.reported_tcb = cur;
	TEST_ASSERT(!__sev_issue(sev, SNP_SET_CONFIG, &c, NULL), "restore");
	kvm_close(sev);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_layouts),
		KSFT_TEST(test_snp_platform_status),
		KSFT_TEST(test_bad_input),
		KSFT_TEST(test_snp_config),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
