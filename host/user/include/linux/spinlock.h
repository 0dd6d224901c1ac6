/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: spinlocks that spin, as the kernel's do.  A kernel spinlock is held for a few
 * instructions with preemption off; here the holder can be preempted, so a waiter that has
 * spun for a while yields the CPU instead of burning its slice (host_spin_wait()).  The
 * uncontended cost is one atomic exchange and one store, where a pthread mutex costs two
 * atomic read-modify-writes and a call each way: the RMP and trace paths take these locks
 * several times per page.
 */
#ifndef _HOST_USER_LINUX_SPINLOCK_H
#define _HOST_USER_LINUX_SPINLOCK_H

typedef struct {
	int locked;
} spinlock_t;

#define DEFINE_SPINLOCK(x)	spinlock_t x = { .locked = 0 }

void host_spin_wait(int *locked);

static inline void spin_lock_init(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELAXED);
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		host_spin_wait(&l->locked);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
