/* SPDX-License-Identifier: GPL-2.0 */
/* Library host: there is no scheduler to yield to and no signal to honour inside a call. */
#ifndef _HOST_USER_LINUX_SCHED_H
#define _HOST_USER_LINUX_SCHED_H

#define cond_resched()			do { } while (0)
#define current				((void *)0)
#define signal_pending(task)		0
#define fatal_signal_pending(task)	0

#endif
