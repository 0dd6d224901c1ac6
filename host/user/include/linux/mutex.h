/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: sleeping locks on a futex (0 free, 1 held, 2 held with sleepers), the
 * kernel's own fast path: one atomic each way when nobody waits.  The owner is recorded so
 * that lockdep_assert_held() is a real check here, as it is under lockdep, and the order in
 * which each thread takes them is checked for inversions (host/user/lockdep.c).
 */
#ifndef _HOST_USER_LINUX_MUTEX_H
#define _HOST_USER_LINUX_MUTEX_H

#include <linux/types.h>
#include <linux/bug.h>

struct mutex {
	int state;
	const void *owner;	/* the holder's host_current(), or NULL */
	/* lockdep (host/user/lockdep.c): the lock's class, as the kernel's lockdep keys it */
	const void *key;	/* DEFINE_MUTEX's lock, or mutex_init()'s call site */
	const char *name;
	unsigned int class;	/* 1-based, given the first time it is taken */
};

#define DEFINE_MUTEX(m)	struct mutex m = { .state = 0, .key = &m, .name = #m }

/* Each call site a class of its own, as the kernel's mutex_init() has a static key. */
#define mutex_init(m) do {							\
	static const char __key;						\
	__mutex_init((m), #m, &__key);						\
} while (0)

void __mutex_init(struct mutex *m, const char *name, const void *key);
void lockdep_acquire(struct mutex *m);
void lockdep_release(struct mutex *m);
unsigned int lockdep_class_of(struct mutex *m);	/* for tests: its class, 1-based */
void mutex_destroy(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_locked_by_me(struct mutex *m);

#define lockdep_assert_held(m)	WARN_ON(!mutex_is_locked_by_me(m))

#endif
