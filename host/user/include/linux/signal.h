/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: the kernel's signal masks.  sigprocmask() sets the mask KVM_RUN runs under
 * without changing the thread's (host/user/signal.c): a signal it leaves unblocked makes
 * signal_pending() true while it is pending for the thread, which happens when the thread's
 * own mask blocks it, as a VMM that uses KVM_SET_SIGNAL_MASK does.
 */
#ifndef _HOST_USER_LINUX_SIGNAL_H
#define _HOST_USER_LINUX_SIGNAL_H

#include <signal.h>	/* libc's first, so that no later include redefines its sigset_t */

#include <linux/types.h>

/* Named apart from libc's, which the library host's own files see too. */
typedef struct host_sigset {
	unsigned long sig[1];
} host_sigset_t;
#define sigset_t		host_sigset_t
#define sigprocmask		host_sigprocmask

/* SIGKILL, SIGSTOP and SIG_SETMASK: libc's have the kernel's values. */
#undef sigmask
#define sigmask(sig)		(1UL << ((sig) - 1))

static inline void sigdelsetmask(sigset_t *set, unsigned long mask)
{
	set->sig[0] &= ~mask;
}

int host_sigprocmask(int how, sigset_t *set, sigset_t *oldset);

#endif
