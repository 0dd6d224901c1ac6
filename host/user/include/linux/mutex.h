/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: sleeping locks over pthreads.  The owner is recorded so that
 * lockdep_assert_held() is a real check here, as it is under lockdep.
 */
#ifndef _HOST_USER_LINUX_MUTEX_H
#define _HOST_USER_LINUX_MUTEX_H

#include <pthread.h>
#include <linux/types.h>
#include <linux/bug.h>

struct mutex {
	pthread_mutex_t lock;
	pthread_t owner;
	bool held;
};

#define DEFINE_MUTEX(m)	struct mutex m = { .lock = PTHREAD_MUTEX_INITIALIZER }

void mutex_init(struct mutex *m);
void mutex_destroy(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_locked_by_me(struct mutex *m);

#define lockdep_assert_held(m)	WARN_ON(!mutex_is_locked_by_me(m))

#endif
