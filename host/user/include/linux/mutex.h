/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: sleeping locks on a futex (0 free, 1 held, 2 held with sleepers), the
 * kernel's own fast path: one atomic each way when nobody waits.  The owner is recorded so
 * that lockdep_assert_held() is a real check here, as it is under lockdep.
 */
#ifndef _HOST_USER_LINUX_MUTEX_H
#define _HOST_USER_LINUX_MUTEX_H

#include <linux/types.h>
#include <linux/bug.h>

struct mutex {
	int state;
	const void *owner;	/* the holder's host_current(), or NULL */
};

#define DEFINE_MUTEX(m)	struct mutex m = { .state = 0 }

void mutex_init(struct mutex *m);
void mutex_destroy(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_locked_by_me(struct mutex *m);

#define lockdep_assert_held(m)	WARN_ON(!mutex_is_locked_by_me(m))

#endif
