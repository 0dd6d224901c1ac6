/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: spinlocks that spin, as the kernel's do.  A kernel spinlock is held for a few
 * instructions with preemption off; here the holder can be preempted, so a waiter that has
 * spun for a while yields the CPU instead of burning its slice (host_spin_wait()).  The
 * uncontended cost is one atomic exchange and one store, where a pthread mutex costs two
 * atomic read-modify-writes and a call each way: the RMP and trace paths take these locks
 * several times per page.  Like the mutexes, they record their holder (lockdep_assert_held())
 * and their class: taking one is checked for lock order, and a sleeping lock taken while one
 * is held is a WARN (host/user/lockdep.c).
 */
#ifndef _HOST_USER_LINUX_SPINLOCK_H
#define _HOST_USER_LINUX_SPINLOCK_H

#include <linux/lockdep.h>

typedef struct spinlock {
	int locked;
	const void *owner;	/* the holder's host_current(), or NULL */
	struct lockdep_map dep_map;
} spinlock_t;

#define DEFINE_SPINLOCK(x)	spinlock_t x = { .locked = 0, .dep_map = LOCKDEP_MAP_INIT(x) }

void host_spin_wait(int *locked);

/* Each call site a class of its own, as the kernel's spin_lock_init() has a static key. */
#define spin_lock_init(l) do {							\
	static const char __key;						\
	*(l) = (spinlock_t){ .dep_map = { .key = &__key, .name = #l } };	\
} while (0)

static inline void spin_lock(spinlock_t *l)
{
	lockdep_acquire(&l->dep_map, true);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		host_spin_wait(&l->locked);
	__atomic_store_n(&l->owner, host_current(), __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, NULL, __ATOMIC_RELAXED);
	lockdep_release(&l->dep_map, true);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
