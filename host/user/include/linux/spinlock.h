/* SPDX-License-Identifier: GPL-2.0 */
/* Library host: spinlocks over pthread mutexes (no preemption to disable here). */
#ifndef _HOST_USER_LINUX_SPINLOCK_H
#define _HOST_USER_LINUX_SPINLOCK_H

#include <pthread.h>

typedef struct {
	pthread_mutex_t lock;
} spinlock_t;

#define DEFINE_SPINLOCK(x)	spinlock_t x = { .lock = PTHREAD_MUTEX_INITIALIZER }

static inline void spin_lock_init(spinlock_t *l)
{
	pthread_mutex_init(&l->lock, NULL);
}

static inline void spin_lock(spinlock_t *l)
{
	pthread_mutex_lock(&l->lock);
}

static inline void spin_unlock(spinlock_t *l)
{
	pthread_mutex_unlock(&l->lock);
}

#endif
