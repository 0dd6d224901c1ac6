// SPDX-License-Identifier: GPL-2.0
/*
 * Intra-host migration of SEV guests: KVM_SEV_INIT / KVM_SEV_ES_INIT on a default VM,
 * KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM (the guest's status follows, the source is dead: EIO) and
 * KVM_CAP_VM_COPY_ENC_CONTEXT_FROM (a mirror sees the guest's status and nothing else), each
 * refused where upstream refuses, and nothing left behind: every context, ASID and object
 * goes with the last VM that holds it.
 */
#include <errno.h>

#include "sev.h"
#include "kvm-coco-test.h"

#define STATE_LUPDATE	1

static int sev_cmd(int vm, int sev, uint32_t id, void *data)
{
	return __snp_cmd(vm, sev, id, data, NULL);
}

/* A default VM made SEV (or SEV-ES) the old way, launch started, @vcpus vCPUs. */
static int legacy_sev_vm(int sev, bool es, int vcpus, uint32_t *handle)
{
	struct kvm_sev_launch_start s = { .policy = es ? 1u << 2 : 0 };
	int vm = vm_create(KVM_X86_DEFAULT_VM), i;

	TEST_ASSERT(!sev_cmd(vm, sev, es ? KVM_SEV_ES_INIT : KVM_SEV_INIT, NULL), "INIT: %s",
		    strerror(errno));
	for (i = 0; i < vcpus; i++)
		kvm_close(vm_create_vcpu(vm, i));
	TEST_ASSERT(!sev_cmd(vm, sev, KVM_SEV_LAUNCH_START, &s), "LAUNCH_START: %s",
		    strerror(errno));
	if (handle)
		*handle = s.handle;
	return vm;
}

static int enable_cap(int vm, uint32_t cap, uint64_t arg)
{
	struct kvm_enable_cap c = { .cap = cap, .args = { arg } };

	return kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &c);
}

static uint32_t guest_state(int vm, int sev, uint32_t *handle)
{
	struct kvm_sev_guest_status st = {};

	TEST_ASSERT(!sev_cmd(vm, sev, KVM_SEV_GUEST_STATUS, &st), "GUEST_STATUS: %s",
		    strerror(errno));
	if (handle)
		*handle = st.handle;
	return st.state;
}

static void test_legacy_init(void)
{
	int sev = kvm_coco_open_sev(), vm;

	vm = vm_create(KVM_X86_SEV_VM);
	TEST_ASSERT_ERRNO(sev_cmd(vm, sev, KVM_SEV_INIT, NULL), EINVAL);	/* INIT2's kind */
	kvm_close(vm);
	vm = vm_create(KVM_X86_DEFAULT_VM);
	kvm_close(vm_create_vcpu(vm, 0));
	TEST_ASSERT_ERRNO(sev_cmd(vm, sev, KVM_SEV_INIT, NULL), EINVAL);	/* has a vCPU */
	kvm_close(vm);
	vm = vm_create(KVM_X86_DEFAULT_VM);
	TEST_ASSERT(!sev_cmd(vm, sev, KVM_SEV_ES_INIT, NULL), "ES_INIT: %s", strerror(errno));
	TEST_ASSERT_ERRNO(sev_cmd(vm, sev, KVM_SEV_INIT, NULL), EINVAL);	/* twice */
	kvm_close(vm);
	kvm_close(sev);
}

static void test_move(void)
{
	struct host_counters base;
	uint32_t handle, moved;
	int sev, src, dst, other, r;

	kvm_close(kvm_open());
	host_get_counters(&base);
	sev = kvm_coco_open_sev();
	src = legacy_sev_vm(sev, false, 2, &handle);
	dst = vm_create(KVM_X86_DEFAULT_VM);
	other = vm_create(KVM_X86_DEFAULT_VM);
	TEST_ASSERT_ERRNO(enable_cap(dst, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, sev), EBADF);
	TEST_ASSERT_ERRNO(enable_cap(dst, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, dst), EINVAL);
	TEST_ASSERT_ERRNO(enable_cap(dst, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, other), EINVAL);
	r = enable_cap(dst, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, src);
	TEST_ASSERT(!r, "MOVE: %s", strerror(errno));
	/* The guest is here now, where it was; the source can do nothing more. */
	TEST_ASSERT_EQ(guest_state(dst, sev, &moved), STATE_LUPDATE);
	TEST_ASSERT_EQ(moved, handle);
	TEST_ASSERT_ERRNO(sev_cmd(src, sev, KVM_SEV_GUEST_STATUS, NULL), EIO);
	TEST_ASSERT_ERRNO(__vm_create_vcpu(src, 5), EIO);
	/* A VM that is SEV already takes no other guest. */
	TEST_ASSERT_ERRNO(enable_cap(dst, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, other), EINVAL);
	kvm_close(src);
	kvm_close(dst);
	kvm_close(other);
	kvm_close(sev);
	INSPECT(assert_nothing_leaked(&base));
}

/* SEV-ES moves with its measured VMSAs, onto as many vCPUs. */
static void test_move_es(void)
{
	int sev = kvm_coco_open_sev(), src, dst, few;

	src = legacy_sev_vm(sev, true, 2, NULL);
	dst = vm_create(KVM_X86_DEFAULT_VM);
	kvm_close(vm_create_vcpu(dst, 0));
	kvm_close(vm_create_vcpu(dst, 1));
	few = vm_create(KVM_X86_DEFAULT_VM);
	/* VMSAs not yet measured. */
	TEST_ASSERT_ERRNO(enable_cap(dst, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, src), EINVAL);
	TEST_ASSERT(!sev_cmd(src, sev, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL), "UPDATE_VMSA: %s",
		    strerror(errno));
	TEST_ASSERT_ERRNO(enable_cap(few, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, src), EINVAL);
	TEST_ASSERT(!enable_cap(dst, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, src), "MOVE: %s",
		    strerror(errno));
	TEST_ASSERT_EQ(guest_state(dst, sev, NULL), STATE_LUPDATE);
	kvm_close(src);
	kvm_close(dst);
	kvm_close(few);
	kvm_close(sev);
}

static void test_mirror(void)
{
	struct kvm_sev_launch_start s = {};
	int sev, owner, mirror, moved, vcpu;
	struct host_counters base;
	uint32_t handle, seen;

	kvm_close(kvm_open());
	host_get_counters(&base);
	sev = kvm_coco_open_sev();
	owner = legacy_sev_vm(sev, false, 1, &handle);
	mirror = vm_create(KVM_X86_DEFAULT_VM);
	vcpu = vm_create_vcpu(mirror, 0);
	TEST_ASSERT_ERRNO(enable_cap(mirror, KVM_CAP_VM_COPY_ENC_CONTEXT_FROM, owner), EINVAL);
	kvm_close(vcpu);
	kvm_close(mirror);
	mirror = vm_create(KVM_X86_DEFAULT_VM);
	TEST_ASSERT(!enable_cap(mirror, KVM_CAP_VM_COPY_ENC_CONTEXT_FROM, owner), "COPY: %s",
		    strerror(errno));
	/* A mirror asks the guest's status, and adds vCPUs; nothing else. */
	TEST_ASSERT_EQ(guest_state(mirror, sev, &seen), STATE_LUPDATE);
	TEST_ASSERT_EQ(seen, handle);
	kvm_close(vm_create_vcpu(mirror, 0));
	TEST_ASSERT_ERRNO(sev_cmd(mirror, sev, KVM_SEV_LAUNCH_START, &s), EINVAL);
	TEST_ASSERT_ERRNO(sev_cmd(mirror, sev, KVM_SEV_LAUNCH_FINISH, NULL), EINVAL);
	TEST_ASSERT_ERRNO(sev_cmd(mirror, sev, KVM_SEV_INIT2, NULL), EINVAL);
	/* No mirror of a mirror; a mirror moves, and stays its owner's. */
	moved = vm_create(KVM_X86_DEFAULT_VM);
	TEST_ASSERT_ERRNO(enable_cap(moved, KVM_CAP_VM_COPY_ENC_CONTEXT_FROM, mirror), EINVAL);
	TEST_ASSERT(!enable_cap(moved, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, mirror), "MOVE: %s",
		    strerror(errno));
	TEST_ASSERT_EQ(guest_state(moved, sev, &seen), STATE_LUPDATE);
	TEST_ASSERT_EQ(seen, handle);
	/* The owner goes first: the mirror keeps the guest until it goes too. */
	kvm_close(owner);
	TEST_ASSERT_EQ(guest_state(moved, sev, NULL), STATE_LUPDATE);
	kvm_close(mirror);
	kvm_close(moved);
	kvm_close(sev);
	INSPECT(assert_nothing_leaked(&base));
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_legacy_init),
		KSFT_TEST(test_move),
		KSFT_TEST(test_move_es),
		KSFT_TEST(test_mirror),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
