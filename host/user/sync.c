// SPDX-License-Identifier: GPL-2.0
/* Library host: mutexes with owner tracking, WARN/BUG and printk. */
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/bug.h>
#include <linux/mutex.h>
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

void mutex_init(struct mutex *m)
{
	pthread_mutex_init(&m->lock, NULL);
	m->held = false;
}

void mutex_destroy(struct mutex *m)
{
	WARN_ON(m->held);
	pthread_mutex_destroy(&m->lock);
}

void mutex_lock(struct mutex *m)
{
	pthread_mutex_lock(&m->lock);
	m->owner = pthread_self();
	__atomic_store_n(&m->held, true, __ATOMIC_RELEASE);
}

void mutex_unlock(struct mutex *m)
{
	WARN_ON(!mutex_is_locked_by_me(m));
	__atomic_store_n(&m->held, false, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->lock);
}

bool mutex_is_locked_by_me(struct mutex *m)
{
	return __atomic_load_n(&m->held, __ATOMIC_ACQUIRE) &&
	       pthread_equal(m->owner, pthread_self());
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
