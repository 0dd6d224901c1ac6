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
#include <linux/lockdep.h>

struct mutex {
	int state;
	const void *owner;	/* the holder's host_current(), or NULL */
	struct lockdep_map dep_map;
};

#define DEFINE_MUTEX(m)	struct mutex m = { .state = 0, .dep_map = LOCKDEP_MAP_INIT(m) }

/* Each call site a class of its own, as the kernel's mutex_init() has a static key. */
#define mutex_init(m) do {							\
	static const char __key;						\
	__mutex_init((m), #m, &__key);						\
} while (0)

void __mutex_init(struct mutex *m, const char *name, const void *key);
void mutex_destroy(struct mutex *m);
void mutex_lock(struct mutex *m);
/*
 * The second lock of a class held at once (the kernel's lockdep subclass); the library's
 * lockdep does not track same-class nesting, so it is mutex_lock().
 */
#define SINGLE_DEPTH_NESTING	1
#define mutex_lock_nested(m, subclass)	mutex_lock(m)
void mutex_unlock(struct mutex *m);

#endif
