// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: a small lockdep.  Every mutex and spinlock belongs to a class (the place it
 * was initialised: DEFINE_MUTEX's or DEFINE_SPINLOCK's lock, or the init call site, as the
 * kernel's lockdep keys them), and every acquisition while other locks are held records "held
 * before" edges between the classes.  An edge that closes a cycle (B taken under A somewhere,
 * A under B here, directly or through other classes) is a lock-order inversion: a deadlock
 * waiting for the right interleaving.  It is reported once, as a WARN naming both classes,
 * which fails the test that made it (its warnings must stay 0).  A mutex taken while the
 * thread holds a spinlock is a WARN too (the kernel's "sleeping function called from invalid
 * context").  Same-class nesting is not tracked.
 */
#include <pthread.h>
#include <stdio.h>

#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/mutex.h>

#define LOCKDEP_CLASSES		64
#define LOCKDEP_DEPTH		16

static pthread_mutex_t lockdep_lock = PTHREAD_MUTEX_INITIALIZER;
static const void *class_key[LOCKDEP_CLASSES];
static const char *class_name[LOCKDEP_CLASSES];
static unsigned int nr_classes;
/*
 * Bit b of before[a]: class a was held when class b was taken.  Changed under lockdep_lock,
 * read without it (atomically both ways): a bit once set stays.
 */
static u64 before[LOCKDEP_CLASSES];
static bool lockdep_off;		/* out of classes: stop rather than guess (atomic) */

static __thread struct lockdep_map *held[LOCKDEP_DEPTH];
static __thread unsigned int nr_held;
static __thread unsigned int nr_spin;	/* spinlocks this thread holds */

/* @m's class, 1-based (0: none); registered the first time a lock of it is taken. */
static unsigned int lockdep_class(struct lockdep_map *m)
{
	unsigned int c = __atomic_load_n(&m->class, __ATOMIC_RELAXED), i;

	if (c || !m->key)
		return c;		/* never initialised (zeroed memory): not tracked */
	pthread_mutex_lock(&lockdep_lock);
	for (i = 0; i < nr_classes && class_key[i] != m->key; i++)
		;
	if (i == nr_classes) {
		if (nr_classes == LOCKDEP_CLASSES) {
			__atomic_store_n(&lockdep_off, true, __ATOMIC_RELAXED);
			pthread_mutex_unlock(&lockdep_lock);
			return 0;
		}
		class_key[i] = m->key;
		class_name[i] = m->name;
		nr_classes++;
	}
	pthread_mutex_unlock(&lockdep_lock);
	c = i + 1;
	__atomic_store_n(&m->class, c, __ATOMIC_RELAXED);
	return c;
}

/* Is there a path of "held before" edges from class @from to class @to?  (lockdep_lock) */
static bool lockdep_path(unsigned int from, unsigned int to)
{
	u64 seen = BIT_ULL(from), frontier = BIT_ULL(from), next;
	unsigned int c;

	while (frontier) {
		next = 0;
		for (c = 0; c < nr_classes; c++)
			if (frontier & BIT_ULL(c))
				next |= before[c];
		if (next & BIT_ULL(to))
			return true;
		frontier = next & ~seen;
		seen |= next;
	}
	return false;
}

/* Class @a (held) before class @b (being taken): a new edge, checked for a cycle. */
static void lockdep_edge(unsigned int a, unsigned int b)
{
	bool inversion;

	pthread_mutex_lock(&lockdep_lock);
	inversion = !(before[a] & BIT_ULL(b)) && lockdep_path(b, a);
	__atomic_or_fetch(&before[a], BIT_ULL(b), __ATOMIC_RELAXED);
	pthread_mutex_unlock(&lockdep_lock);
	if (inversion) {
		fprintf(stderr, "lockdep: %s taken while %s is held, but %s was taken under %s "
			"before (directly or through other locks): possible deadlock\n",
			class_name[b], class_name[a], class_name[a], class_name[b]);
		WARN_ON(inversion);
	}
}

unsigned int lockdep_map_class(struct lockdep_map *m)
{
	return lockdep_class(m);
}

void lockdep_acquire(struct lockdep_map *m, bool spin)
{
	unsigned int c, a, i;

	if (!spin && nr_spin) {
		fprintf(stderr, "lockdep: %s (a sleeping lock) taken while a spinlock is held\n",
			m->name);
		WARN_ON(nr_spin);
	}
	nr_spin += spin;
	c = lockdep_class(m);
	if (!c || __atomic_load_n(&lockdep_off, __ATOMIC_RELAXED))
		return;
	for (i = 0; i < nr_held; i++) {
		a = __atomic_load_n(&held[i]->class, __ATOMIC_RELAXED);
		if (a && a != c && !(__atomic_load_n(&before[a - 1], __ATOMIC_RELAXED) &
				     BIT_ULL(c - 1)))
			lockdep_edge(a - 1, c - 1);
	}
	if (nr_held < LOCKDEP_DEPTH)
		held[nr_held++] = m;
}

void lockdep_release(struct lockdep_map *m, bool spin)
{
	unsigned int i;

	nr_spin -= spin;
	for (i = nr_held; i-- > 0;) {
		if (held[i] == m) {
			held[i] = held[--nr_held];
			return;
		}
	}
}
