/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: there is no scheduler to yield to.  A signal is pending for KVM_RUN when the
 * mask sigprocmask() set (linux/signal.h) leaves it unblocked; no signal is fatal inside a
 * call (the process dies in the kernel's way, not ours).
 */
#ifndef _HOST_USER_LINUX_SCHED_H
#define _HOST_USER_LINUX_SCHED_H

#include <linux/types.h>

#define cond_resched()			do { } while (0)
#define current				((void *)0)
#define signal_pending(task)		host_signal_pending()
#define fatal_signal_pending(task)	0

bool host_signal_pending(void);
/* The process's id (the stats files' id string says whose VM it is). */
int host_getpid(void);
#define task_pid_nr(task)		host_getpid()

#endif
