// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: the signal mask KVM_RUN runs under (KVM_SET_SIGNAL_MASK), kept per thread
 * beside the thread's real one rather than in it: changing the real mask costs two system
 * calls per KVM_RUN, and a signal the thread's own mask unblocks is delivered to the VMM's
 * handler at once wherever the thread is, so it can never be seen pending anyway.  What the
 * emulated mask can see is a signal the thread blocks and KVM_RUN's mask does not: pending,
 * it makes signal_pending() true, and KVM_RUN returns EINTR, as upstream.  The signal stays
 * pending for the VMM (sigwait, or unblocking it).
 *
 * A signal the thread does not block runs its handler at once, inside KVM_RUN; the front door
 * hears of it only if the handler says so (kvm_coco_signal_arrived(), which the preload shim's
 * handlers call): then signal_pending() is true until that KVM_RUN returns, with EINTR.
 */
#include <signal.h>
#include <unistd.h>
#include <stdbool.h>

struct host_sigset {
	unsigned long sig[1];
};

static __thread bool emulated;		/* a mask of sigprocmask()'s is in force */
static __thread volatile sig_atomic_t arrived;	/* a handler ran during this KVM_RUN */
static __thread unsigned long mask;

static unsigned long host_real_mask(void)
{
	unsigned long m = 0;
	sigset_t cur;
	int sig;

	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	for (sig = 1; sig <= 64; sig++)
		if (sigismember(&cur, sig) == 1)
			m |= 1UL << (sig - 1);
	return m;
}

/* SIG_SETMASK only: the kernel's callers here set a whole mask and put the old one back. */
int host_sigprocmask(int how, struct host_sigset *set, struct host_sigset *oldset)
{
	unsigned long real;

	if (how != SIG_SETMASK)
		return -22;
	real = host_real_mask();
	if (oldset)
		oldset->sig[0] = emulated ? mask : real;
	if (set) {
		mask = set->sig[0];
		emulated = mask != real;
	}
	return 0;
}

/* Async-signal-safe: from a handler that interrupted KVM_RUN on this thread. */
void host_signal_arrived(void)
{
	arrived = 1;
}

/* KVM_RUN returned: a handler that runs from now on did not interrupt it. */
void host_signal_clear(void)
{
	arrived = 0;
}

bool host_signal_pending(void)
{
	sigset_t pending;
	int sig;

	if (arrived)
		return true;
	if (!emulated || sigpending(&pending))
		return false;
	for (sig = 1; sig <= 64; sig++)
		if (sigismember(&pending, sig) == 1 && !(mask & (1UL << (sig - 1))))
			return true;
	return false;
}

int host_getpid(void)
{
	return getpid();
}
