/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: the lock classes the small lockdep of host/user/lockdep.c keys its checks on.
 * Every mutex and spinlock carries a map of its class (the kernel's struct lockdep_map): the
 * lock itself for DEFINE_MUTEX/DEFINE_SPINLOCK, the call site's static key for mutex_init()
 * and spin_lock_init().  Both kinds record who holds them, so lockdep_assert_held() is a real
 * check for either, as it is under the kernel's lockdep.
 */
#ifndef _HOST_USER_LINUX_LOCKDEP_H
#define _HOST_USER_LINUX_LOCKDEP_H

#include <linux/types.h>
#include <linux/bug.h>

struct lockdep_map {
	const void *key;
	const char *name;
	unsigned int class;	/* 1-based, given the first time a lock of it is taken */
};

#define LOCKDEP_MAP_INIT(lock)	{ .key = &(lock), .name = #lock }

/* @spin: a spinlock (a sleeping lock taken while one is held is a WARN). */
void lockdep_acquire(struct lockdep_map *map, bool spin);
void lockdep_release(struct lockdep_map *map, bool spin);
unsigned int lockdep_map_class(struct lockdep_map *map);	/* for tests */

/* A per-thread token naming the holder: the address of a thread-local. */
extern __thread char host_self;
#define host_current()	((const void *)&host_self)

struct mutex;
struct spinlock;
bool mutex_is_locked_by_me(struct mutex *m);
bool spin_is_locked_by_me(struct spinlock *l);

#define lockdep_assert_held(l)							\
	WARN_ON(!_Generic((l),							\
			  struct mutex *: mutex_is_locked_by_me,			\
			  struct spinlock *: spin_is_locked_by_me)(l))

#endif
