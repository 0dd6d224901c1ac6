// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SET_SIGNAL_MASK and signals during KVM_RUN, as upstream: a signal the vCPU thread
 * blocks but KVM_RUN's mask lets through takes KVM_RUN back (EINTR, KVM_EXIT_INTR) while the
 * guest runs and before it enters, and stays pending for the VMM; one KVM_RUN's mask blocks
 * too leaves the guest running.  The ioctl's argument is checked as upstream checks it.
 */
#include <pthread.h>
#include <signal.h>

#include "guest.h"

#define PROGRESS_GPA	GUEST_DATA_GPA

static GUEST_CODE void guest_spin(unsigned int id)
{
	volatile uint64_t *progress = (volatile uint64_t *)PROGRESS_GPA;

	for (;;)
		(*progress)++;
}

/* The kernel's sigset_t: one 64-bit word, bit (signal - 1). */
struct test_sigmask {
	uint32_t len;
	uint64_t set;
} __attribute__((packed));

static int set_signal_mask(int vcpu, uint64_t set)
{
	struct test_sigmask m = { .len = 8, .set = set };

	return kvm_coco_ioctl(vcpu, KVM_SET_SIGNAL_MASK, &m);
}

static void test_set_signal_mask_checks(void)
{
	struct test_sigmask m = { .len = 8 };
	int vm = vm_create(KVM_X86_DEFAULT_VM), vcpu = vm_create_vcpu(vm, 0);

	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SIGNAL_MASK, &m), 0);
	m.len = 4;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SIGNAL_MASK, &m), EINVAL);
	m.len = 128;				/* libc's sigset_t is not the kernel's */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SIGNAL_MASK, &m), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_SIGNAL_MASK, (void *)8), EFAULT);
	/* No argument: no mask of KVM_RUN's own. */
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SIGNAL_MASK, NULL), 0);
	kvm_close(vcpu);
	kvm_close(vm);
}

struct runner {
	struct guest_vcpu *v;
	bool signal_first;			/* SIGUSR1 pending before KVM_RUN */
	pthread_t thread;
	int state;			/* atomic: 1 about to run; 2 KVM_RUN returned */
	int r, err;
	bool still_pending;			/* SIGUSR1 was pending after KVM_RUN */
};

static void *runner(void *opaque)
{
	struct runner *rn = opaque;
	sigset_t usr1;

	/* The thread blocks SIGUSR1 outside KVM_RUN, as a VMM that uses the ioctl does. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	if (rn->signal_first)
		pthread_kill(pthread_self(), SIGUSR1);
	__atomic_store_n(&rn->state, 1, __ATOMIC_RELEASE);
	rn->r = kvm_coco_ioctl(rn->v->fd, KVM_RUN, 0);
	rn->err = errno;
	__atomic_store_n(&rn->state, 2, __ATOMIC_RELEASE);
	rn->still_pending = sigtimedwait(&usr1, NULL, &(struct timespec){}) == SIGUSR1;
	return NULL;
}

/* Wait until the guest has made @n more turns of its loop. */
static void wait_progress(struct guest_vm *g, uint64_t n)
{
	volatile uint64_t *progress = guest_gpa_hva(g, PROGRESS_GPA);
	uint64_t start = *progress;

	while (*progress - start < n)
		sched_yield();
}

static void test_signal_interrupts_kvm_run(void)
{
	struct guest_vcpu v;
	struct guest_vm g;
	struct runner rn = { .v = &v };
	sigset_t usr1;

	if (!have_guest_code())
		return test_skip("no TCG engine in this host");
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	/* This thread too: a SIGUSR1 sent to the process must not land here. */
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	guest_vm_create(&g, KVM_X86_DEFAULT_VM);
	guest_vcpu_add(&g, &v, 0, guest_spin);

	/* KVM_RUN's mask blocks SIGUSR1 too: the guest runs on with it pending. */
	TEST_ASSERT_EQ(set_signal_mask(v.fd, 1ull << (SIGUSR1 - 1)), 0);
	TEST_ASSERT_EQ(pthread_create(&rn.thread, NULL, runner, &rn), 0);
	wait_progress(&g, 1000);
	TEST_ASSERT_EQ(pthread_kill(rn.thread, SIGUSR1), 0);
	wait_progress(&g, 100000);
	TEST_ASSERT_EQ(__atomic_load_n(&rn.state, __ATOMIC_ACQUIRE), 1);
	v.run->immediate_exit = 1;
	TEST_ASSERT_EQ(pthread_join(rn.thread, NULL), 0);
	TEST_ASSERT(rn.r == -1 && rn.err == EINTR, "KVM_RUN: %d errno %d", rn.r, rn.err);
	TEST_ASSERT(rn.still_pending, "SIGUSR1 lost");
	v.run->immediate_exit = 0;

	/* Now only the thread blocks it: the signal takes KVM_RUN back from the running guest. */
	TEST_ASSERT_EQ(set_signal_mask(v.fd, 0), 0);
	__atomic_store_n(&rn.state, 0, __ATOMIC_RELEASE);
	TEST_ASSERT_EQ(pthread_create(&rn.thread, NULL, runner, &rn), 0);
	wait_progress(&g, 1000);
	TEST_ASSERT_EQ(pthread_kill(rn.thread, SIGUSR1), 0);
	TEST_ASSERT_EQ(pthread_join(rn.thread, NULL), 0);
	TEST_ASSERT(rn.r == -1 && rn.err == EINTR, "KVM_RUN: %d errno %d", rn.r, rn.err);
	TEST_ASSERT_EQ(v.run->exit_reason, KVM_EXIT_INTR);
	TEST_ASSERT(rn.still_pending, "SIGUSR1 lost");

	/* Pending before KVM_RUN: it does not enter the guest. */
	rn = (struct runner){ .v = &v, .signal_first = true };
	v.run->exit_reason = KVM_EXIT_UNKNOWN;
	TEST_ASSERT_EQ(pthread_create(&rn.thread, NULL, runner, &rn), 0);
	TEST_ASSERT_EQ(pthread_join(rn.thread, NULL), 0);
	TEST_ASSERT(rn.r == -1 && rn.err == EINTR, "KVM_RUN: %d errno %d", rn.r, rn.err);
	TEST_ASSERT_EQ(v.run->exit_reason, KVM_EXIT_INTR);
	TEST_ASSERT(rn.still_pending, "SIGUSR1 lost");

	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_set_signal_mask_checks),
		KSFT_TEST(test_signal_interrupts_kvm_run),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
