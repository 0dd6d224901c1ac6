// SPDX-License-Identifier: GPL-2.0
/* Library host: mutexes with owner tracking, WARN/BUG and printk. */
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/printk.h>
#include <linux/ktime.h>

long host_nr_warnings;

void host_warn(const char *file, int line, const char *cond)
{
	__atomic_add_fetch(&host_nr_warnings, 1, __ATOMIC_RELAXED);
	fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
}

void host_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, cond);
	abort();
}

void host_printk(int level, const char *fmt, ...)
{
	static int max_level = -1;
	va_list ap;

	if (max_level < 0) {
		const char *e = getenv("KVM_COCO_LOGLEVEL");

		max_level = e ? atoi(e) : 4;
	}
	if (level > max_level)
		return;
	va_start(ap, fmt);
	fputs("kvm-coco: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* A per-thread token: the address of a thread-local, cheaper than pthread_self(). */
__thread char host_self;

static long futex(int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

void __mutex_init(struct mutex *m, const char *name, const void *key)
{
	m->state = 0;
	m->owner = NULL;
	m->dep_map = (struct lockdep_map){ .key = key, .name = name };
}

void mutex_destroy(struct mutex *m)
{
	WARN_ON(m->state);
}

void mutex_lock(struct mutex *m)
{
	int c = 0;

	/* Checked before it is taken: an inversion is reported even if it would deadlock. */
	lockdep_acquire(&m->dep_map, false);
	if (!__atomic_compare_exchange_n(&m->state, &c, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED)) {
		/* Contended: mark it so, and sleep until the holder hands it over. */
		if (c != 2)
			c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
		while (c) {
			futex(&m->state, FUTEX_WAIT_PRIVATE, 2);
			c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
		}
	}
	__atomic_store_n(&m->owner, host_current(), __ATOMIC_RELAXED);
}

void mutex_unlock(struct mutex *m)
{
	WARN_ON(!mutex_is_locked_by_me(m));
	lockdep_release(&m->dep_map, false);
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2)
		futex(&m->state, FUTEX_WAKE_PRIVATE, 1);
}

bool mutex_is_locked_by_me(struct mutex *m)
{
	return __atomic_load_n(&m->state, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == host_current();
}

bool spin_is_locked_by_me(struct spinlock *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == host_current();
}

/* Wait until a spinlock looks free: spin a little, then let its (preempted) holder run. */
void host_spin_wait(int *locked)
{
	unsigned int spins = 0;

	while (__atomic_load_n(locked, __ATOMIC_RELAXED)) {
		if (++spins < 1000)
			__builtin_ia32_pause();
		else
			sched_yield();
	}
}

u64 ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}
