// SPDX-License-Identifier: GPL-2.0
/*
 * SEV and SEV-ES launch through KVM_MEMORY_ENCRYPT_OP: the flow and its guest states, the
 * measurement (checked here with OpenSSL against the firmware's TIK: HMAC-SHA-256 of the API
 * version, policy, the SHA-256 of everything launched, and the nonce), each command before
 * LAUNCH_START, after LAUNCH_FINISH and twice, bad ranges, the firmware's refusals with
 * their status codes and nothing left behind, SEV-ES's VMSAs, and
 * KVM_MEMORY_ENCRYPT_REG_REGION / UNREG_REGION.  (A guest owner's session and LAUNCH_SECRET:
 * sev_secret_test.)
 */
#include <errno.h>
#include <sys/mman.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <linux/psp-sev.h>

#include "sev.h"
#include "kvm-coco-test.h"

#define PAGE		PAGE_SIZE
#define POLICY_ES	(1u << 2)
#define STATE_LUPDATE	1
#define STATE_LSECRET	2
#define STATE_RUNNING	3
#define BLOB		48		/* measurement, then MNONCE */

struct sev_vm {
	int sev, vm, vcpu;
	uint32_t handle;
};

static uint8_t data[3 * PAGE] __attribute__((aligned(4096)));

static void sev_vm_create(struct sev_vm *v, unsigned long type)
{
	struct kvm_sev_init init = {};

	memset(v, 0, sizeof(*v));
	v->sev = kvm_coco_open_sev();
	TEST_ASSERT(v->sev >= 0, "kvm_coco_open_sev: %s", strerror(errno));
	v->vm = vm_create(type);
	TEST_ASSERT(!__snp_cmd(v->vm, v->sev, KVM_SEV_INIT2, &init, NULL), "INIT2: %s",
		    strerror(errno));
	v->vcpu = vm_create_vcpu(v->vm, 0);
}

static void sev_vm_destroy(struct sev_vm *v)
{
	kvm_close(v->vcpu);
	kvm_close(v->vm);
	kvm_close(v->sev);
}

static int cmd(struct sev_vm *v, uint32_t id, void *p, uint32_t *error)
{
	return __snp_cmd(v->vm, v->sev, id, p, error);
}

static void launch_start(struct sev_vm *v, uint32_t policy)
{
	struct kvm_sev_launch_start s = { .policy = policy };
	uint32_t error = 0;

	TEST_ASSERT(!cmd(v, KVM_SEV_LAUNCH_START, &s, &error), "LAUNCH_START: %s (%#x)",
		    strerror(errno), error);
	TEST_ASSERT(s.handle, "no handle");
	v->handle = s.handle;
}

static void update(struct sev_vm *v, const void *p, uint32_t len)
{
	struct kvm_sev_launch_update_data u = { .uaddr = (uintptr_t)p, .len = len };
	uint32_t error = 0;

	TEST_ASSERT(!cmd(v, KVM_SEV_LAUNCH_UPDATE_DATA, &u, &error), "UPDATE_DATA: %s (%#x)",
		    strerror(errno), error);
}

static uint32_t state(struct sev_vm *v, uint32_t *policy)
{
	struct kvm_sev_guest_status s = {};

	TEST_ASSERT(!cmd(v, KVM_SEV_GUEST_STATUS, &s, NULL), "GUEST_STATUS: %s",
		    strerror(errno));
	TEST_ASSERT_EQ(s.handle, v->handle);
	if (policy)
		*policy = s.policy;
	return s.state;
}

static void measure(struct sev_vm *v, uint8_t blob[BLOB])
{
	struct kvm_sev_launch_measure m = { .uaddr = (uintptr_t)blob, .len = BLOB };

	TEST_ASSERT(!cmd(v, KVM_SEV_LAUNCH_MEASURE, &m, NULL), "MEASURE: %s", strerror(errno));
	TEST_ASSERT_EQ(m.len, BLOB);
}

/* The SEV firmware API's measurement, computed here from what was launched. */
static void expect_measurement(struct sev_vm *v, uint32_t policy, const uint8_t blob[BLOB],
			       const void *launched, size_t len)
{
	uint8_t msg[4 + 4 + 32 + 16], tik[16], mac[32];
	unsigned int maclen = 0;

	if (host_sev_guest_tik(v->handle, tik))
		return;
	msg[0] = 0x04;
	msg[1] = 1;		/* API 1.55, build 21 (SNP_FW_API_*) */
	msg[2] = 55;
	msg[3] = 21;
	memcpy(msg + 4, &policy, 4);
	SHA256(launched, len, msg + 8);
	memcpy(msg + 40, blob + 32, 16);
	HMAC(EVP_sha256(), tik, sizeof(tik), msg, sizeof(msg), mac, &maclen);
	TEST_ASSERT_EQ(maclen, 32);
	TEST_ASSERT(!memcmp(mac, blob, 32), "the measurement is not the HMAC of the launch");
}

static void fill(void)
{
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 7);
}

/* The whole flow; the data launched is the data the VMM gave (the model does not encrypt). */
static void test_launch_flow(void)
{
	uint8_t blob[BLOB], copy[sizeof(data)];
	struct host_counters base;
	uint32_t policy = 1;	/* NODBG */
	struct sev_vm v;

	fill();
	kvm_close(kvm_open());
	host_get_counters(&base);
	sev_vm_create(&v, KVM_X86_SEV_VM);
	launch_start(&v, policy);
	TEST_ASSERT_EQ(state(&v, &policy), STATE_LUPDATE);
	TEST_ASSERT_EQ(policy, 1);
	/* A page and a half from one call, then an unaligned-in-page rest: one digest. */
	update(&v, data, PAGE + PAGE / 2);
	update(&v, data + PAGE + PAGE / 2, sizeof(data) - PAGE - PAGE / 2);
	memcpy(copy, data, sizeof(data));
	measure(&v, blob);
	TEST_ASSERT_EQ(state(&v, NULL), STATE_LSECRET);
	INSPECT(expect_measurement(&v, policy, blob, copy, sizeof(copy)));
	TEST_ASSERT(!cmd(&v, KVM_SEV_LAUNCH_FINISH, NULL, NULL), "FINISH: %s", strerror(errno));
	TEST_ASSERT_EQ(state(&v, NULL), STATE_RUNNING);
	TEST_ASSERT(!memcmp(data, copy, sizeof(data)), "launched memory changed");
	sev_vm_destroy(&v);
	INSPECT(assert_nothing_leaked(&base));
}

/* Two launches of the same data give different nonces, hence measurements. */
static void test_measurement_nonce(void)
{
	uint8_t a[BLOB], b[BLOB];
	struct sev_vm v, w;

	fill();
	sev_vm_create(&v, KVM_X86_SEV_VM);
	sev_vm_create(&w, KVM_X86_SEV_VM);
	launch_start(&v, 0);
	launch_start(&w, 0);
	TEST_ASSERT(v.handle != w.handle, "one handle for two guests");
	update(&v, data, PAGE);
	update(&w, data, PAGE);
	measure(&v, a);
	measure(&w, b);
	TEST_ASSERT(memcmp(a + 32, b + 32, 16), "the same nonce twice");
	TEST_ASSERT(memcmp(a, b, 32), "the same measurement twice");
	INSPECT(expect_measurement(&v, 0, a, data, PAGE));
	INSPECT(expect_measurement(&w, 0, b, data, PAGE));
	sev_vm_destroy(&v);
	sev_vm_destroy(&w);
}

static void test_order(void)
{
	struct kvm_sev_launch_start s = {};
	struct kvm_sev_launch_measure m = {};
	struct kvm_sev_guest_status st = {};
	uint8_t blob[BLOB];
	uint32_t error = 0;
	struct sev_vm v;

	fill();
	sev_vm_create(&v, KVM_X86_SEV_VM);
	/* Nothing before LAUNCH_START. */
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_GUEST_STATUS, &st, NULL), EINVAL);
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_UPDATE_DATA, &s, NULL), EINVAL);
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_MEASURE, &m, NULL), EINVAL);
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_FINISH, NULL, NULL), EINVAL);
	launch_start(&v, 0);
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_START, &s, NULL), EINVAL);
	/* SEV-ES's command on an SEV guest. */
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, NULL), ENOTTY);
	/* FINISH before MEASURE: the firmware's state rule. */
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_FINISH, NULL, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_GUEST_STATE);
	/* The size query: the firmware's INVALID_LEN, and the size. */
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_MEASURE, &m, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_LEN);
	TEST_ASSERT_EQ(m.len, BLOB);
	TEST_ASSERT_EQ(state(&v, NULL), STATE_LUPDATE);
	measure(&v, blob);
	/* No data after the measurement, and one measurement. */
	m.uaddr = (uintptr_t)blob;
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_MEASURE, &m, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_GUEST_STATE);
	{
		struct kvm_sev_launch_update_data u = { .uaddr = (uintptr_t)data, .len = 16 };

		TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_UPDATE_DATA, &u, &error), EIO);
		TEST_ASSERT_EQ(error, SEV_RET_INVALID_GUEST_STATE);
	}
	TEST_ASSERT(!cmd(&v, KVM_SEV_LAUNCH_FINISH, NULL, NULL), "FINISH: %s", strerror(errno));
	/* Nothing after LAUNCH_FINISH but the status. */
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_FINISH, NULL, NULL), EINVAL);
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_MEASURE, &m, NULL), EINVAL);
	TEST_ASSERT_EQ(state(&v, NULL), STATE_RUNNING);
	sev_vm_destroy(&v);
}

static void test_update_bad_input(void)
{
	struct kvm_sev_launch_update_data u = {};
	uint32_t error = 0;
	struct sev_vm v;
	void *gone;

	sev_vm_create(&v, KVM_X86_SEV_VM);
	launch_start(&v, 0);
	u.uaddr = (uintptr_t)data;
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), EINVAL);	/* len 0 */
	u.uaddr = ~0ull - 8;
	u.len = 16;
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), EINVAL);	/* wraps */
	u.uaddr = (uintptr_t)data + 8;
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_UPDATE_DATA, &u, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_ADDRESS);
	u.uaddr = (uintptr_t)data;
	u.len = 24;
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_UPDATE_DATA, &u, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_LEN);
	gone = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(gone != MAP_FAILED, "mmap");
	u.uaddr = (uintptr_t)gone;
	u.len = PAGE;
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), EFAULT);
	munmap(gone, PAGE);
	/* None of it counted: the launch goes on. */
	TEST_ASSERT_EQ(state(&v, NULL), STATE_LUPDATE);
	sev_vm_destroy(&v);
}

/* The firmware refuses: an error status, and no context or ASID kept. */
static void test_start_refused(void)
{
	struct kvm_sev_launch_start s = {};
	struct host_counters base;
	uint8_t blob[64];
	uint32_t error = 0;
	struct sev_vm v;

	kvm_close(kvm_open());
	host_get_counters(&base);
	sev_vm_create(&v, KVM_X86_SEV_VM);
	s.policy = 1u << 6;		/* reserved */
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_START, &s, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_POLICY_FAILURE);
	s.policy = POLICY_ES;		/* an SEV-ES policy on an SEV guest's ASID */
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_START, &s, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_ASID);
	s.policy = 0;			/* a session without the owner's certificate */
	s.session_uaddr = (uintptr_t)blob;
	s.session_len = sizeof(blob);
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_START, &s, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_LEN);
	s.session_len = 0x4001;		/* bigger than any blob */
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_START, &s, NULL), EINVAL);
	s.session_uaddr = 0;
	s.session_len = 0;
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_START, NULL, NULL), EFAULT);
	/* After all that, a launch works. */
	launch_start(&v, 0);
	sev_vm_destroy(&v);
	INSPECT(assert_nothing_leaked(&base));
}

/* SEV-ES: each vCPU's VMSA once, before the measurement; then its state is the guest's. */
static void test_es_vmsa(void)
{
	struct kvm_regs regs;
	uint8_t blob[BLOB];
	uint32_t error = 0;
	struct sev_vm v;

	sev_vm_create(&v, KVM_X86_SEV_ES_VM);
	launch_start(&v, POLICY_ES);
	TEST_ASSERT(!cmd(&v, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, &error), "UPDATE_VMSA: %s (%#x)",
		    strerror(errno), error);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vcpu, KVM_GET_REGS, &regs), EINVAL);
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, NULL), EINVAL);
	measure(&v, blob);
	TEST_ASSERT(!cmd(&v, KVM_SEV_LAUNCH_FINISH, NULL, NULL), "FINISH: %s", strerror(errno));
	sev_vm_destroy(&v);
}

/* An SEV guest's policy without ES on an SEV-ES VM's ASID: the firmware refuses it. */
static void test_es_needs_es_policy(void)
{
	struct kvm_sev_launch_start s = {};
	uint32_t error = 0;
	struct sev_vm v;

	sev_vm_create(&v, KVM_X86_SEV_ES_VM);
	TEST_ASSERT_ERRNO(cmd(&v, KVM_SEV_LAUNCH_START, &s, &error), EIO);
	TEST_ASSERT_EQ(error, SEV_RET_INVALID_ASID);
	sev_vm_destroy(&v);
}

static void test_regions(void)
{
	struct kvm_enc_region r = { .addr = (uintptr_t)data, .size = sizeof(data) };
	struct kvm_enc_region bad = r;
	struct host_counters base;
	struct sev_vm v;
	int plain;

	kvm_close(kvm_open());
	host_get_counters(&base);
	plain = vm_create(KVM_X86_SW_PROTECTED_VM);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(plain, KVM_MEMORY_ENCRYPT_REG_REGION, &r), ENOTTY);
	kvm_close(plain);
	sev_vm_create(&v, KVM_X86_SEV_VM);
	bad.size = 0;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vm, KVM_MEMORY_ENCRYPT_REG_REGION, &bad), EINVAL);
	bad.addr = ~0ull - 8;
	bad.size = 16;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vm, KVM_MEMORY_ENCRYPT_REG_REGION, &bad), EINVAL);
	TEST_ASSERT(!kvm_coco_ioctl(v.vm, KVM_MEMORY_ENCRYPT_REG_REGION, &r), "REG: %s",
		    strerror(errno));
	TEST_ASSERT(!kvm_coco_ioctl(v.vm, KVM_MEMORY_ENCRYPT_REG_REGION, &r), "REG twice: %s",
		    strerror(errno));
	bad = r;
	bad.size -= PAGE;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vm, KVM_MEMORY_ENCRYPT_UNREG_REGION, &bad), EINVAL);
	TEST_ASSERT(!kvm_coco_ioctl(v.vm, KVM_MEMORY_ENCRYPT_UNREG_REGION, &r), "UNREG: %s",
		    strerror(errno));
	/* The second registration stays until the VM goes (and goes with it). */
	sev_vm_destroy(&v);
	INSPECT(assert_nothing_leaked(&base));
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_launch_flow),
		KSFT_TEST(test_measurement_nonce),
		KSFT_TEST(test_order),
		KSFT_TEST(test_update_bad_input),
		KSFT_TEST(test_start_refused),
		KSFT_TEST(test_es_vmsa),
		KSFT_TEST(test_es_needs_es_policy),
		KSFT_TEST(test_regions),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
