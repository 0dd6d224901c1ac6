// SPDX-License-Identifier: GPL-2.0
/*
 * The library host's locks: a mutex and a spinlock each keep a counter exact under threads
 * that all want it at once (so the contended paths, futex sleeps and spin-then-yield, run),
 * lockdep_assert_held() knows who holds a mutex or a spinlock, and the small lockdep catches
 * lock-order inversions (spinlocks too) and a mutex taken under a spinlock.
 */
#include <pthread.h>

#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "host_user.h"
#include "test_util.h"

#define THREADS		4
#define ROUNDS		500000

static DEFINE_MUTEX(test_mutex);
static DEFINE_SPINLOCK(test_spin);
static unsigned long counter;
static pthread_barrier_t start;	/* all threads contend from the first round */

static void *mutex_worker(void *arg)
{
	unsigned int i;

	pthread_barrier_wait(&start);
	for (i = 0; i < ROUNDS; i++) {
		mutex_lock(&test_mutex);
		/* A non-atomic read-modify-write: a second holder would lose updates. */
		counter = READ_ONCE(counter) + 1;
		mutex_unlock(&test_mutex);
	}
	return NULL;
}

static void *spin_worker(void *arg)
{
	unsigned int i;

	pthread_barrier_wait(&start);
	for (i = 0; i < ROUNDS; i++) {
		spin_lock(&test_spin);
		counter = READ_ONCE(counter) + 1;
		spin_unlock(&test_spin);
	}
	return NULL;
}

static void run_threads(void *(*fn)(void *))
{
	pthread_t t[THREADS];
	unsigned int i;

	counter = 0;
	pthread_barrier_init(&start, NULL, THREADS);
	for (i = 0; i < THREADS; i++)
		TEST_ASSERT(!pthread_create(&t[i], NULL, fn, NULL), "pthread_create");
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	TEST_ASSERT_EQ(counter, (unsigned long)THREADS * ROUNDS);
}

static void test_mutex_excludes(void)
{
	run_threads(mutex_worker);
	TEST_ASSERT_EQ(test_mutex.state, 0);
}

static void test_spinlock_excludes(void)
{
	run_threads(spin_worker);
	TEST_ASSERT_EQ(test_spin.locked, 0);
}

static long warnings(void)
{
	struct host_counters c;

	host_get_counters(&c);
	return c.warnings;
}

static void *held_elsewhere(void *arg)
{
	return (void *)(uintptr_t)mutex_is_locked_by_me(arg);
}

static void test_owner_is_known(void)
{
	struct mutex m;
	pthread_t t;
	void *r;

	mutex_init(&m);
	TEST_ASSERT(!mutex_is_locked_by_me(&m), "a free mutex is nobody's");
	mutex_lock(&m);
	TEST_ASSERT(mutex_is_locked_by_me(&m), "the holder knows");
	TEST_ASSERT(!pthread_create(&t, NULL, held_elsewhere, &m), "pthread_create");
	pthread_join(t, &r);
	TEST_ASSERT(!r, "another thread is not the holder");
	mutex_unlock(&m);
	TEST_ASSERT(!mutex_is_locked_by_me(&m), "released");
	mutex_destroy(&m);
}

static void *spin_held_elsewhere(void *arg)
{
	return (void *)(uintptr_t)spin_is_locked_by_me(arg);
}

static void test_spinlock_owner_is_known(void)
{
	long w = warnings();
	spinlock_t l;
	pthread_t t;
	void *r;

	spin_lock_init(&l);
	TEST_ASSERT(!spin_is_locked_by_me(&l), "a free spinlock is nobody's");
	spin_lock(&l);
	lockdep_assert_held(&l);
	TEST_ASSERT_EQ(warnings(), w);
	TEST_ASSERT(!pthread_create(&t, NULL, spin_held_elsewhere, &l), "pthread_create");
	pthread_join(t, &r);
	TEST_ASSERT(!r, "another thread is not the holder");
	spin_unlock(&l);
	TEST_ASSERT(!spin_is_locked_by_me(&l), "released");
	test_expect_warnings(1);
	lockdep_assert_held(&l);
	TEST_ASSERT_EQ(warnings(), w + 1);
}

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);
static DEFINE_MUTEX(lock_c);

static void take_in_order(struct mutex *first, struct mutex *second)
{
	mutex_lock(first);
	mutex_lock(second);
	mutex_unlock(second);
	mutex_unlock(first);
}

static void *take_b_then_a(void *unused)
{
	take_in_order(&lock_b, &lock_a);
	return NULL;
}

/*
 * lockdep: the same order every time is fine; the reverse order, even on another thread and
 * without a deadlock happening, is an inversion (one WARN, once); so is a cycle through a third
 * class; two mutexes of one mutex_init() site share a class.
 */
static void test_lock_order_inversions_are_caught(void)
{
	long w = warnings();
	struct mutex m[2];
	pthread_t t;
	int i;

	test_expect_warnings(2);
	take_in_order(&lock_a, &lock_b);
	take_in_order(&lock_a, &lock_b);
	TEST_ASSERT_EQ(warnings(), w);
	TEST_ASSERT(!pthread_create(&t, NULL, take_b_then_a, NULL), "pthread_create");
	pthread_join(t, NULL);
	TEST_ASSERT_EQ(warnings(), w + 1);
	take_b_then_a(NULL);
	TEST_ASSERT_EQ(warnings(), w + 1);

	/* b -> c, then c -> a: a -> b -> c -> a. */
	take_in_order(&lock_b, &lock_c);
	TEST_ASSERT_EQ(warnings(), w + 1);
	take_in_order(&lock_c, &lock_a);
	TEST_ASSERT_EQ(warnings(), w + 2);

	for (i = 0; i < 2; i++)
		mutex_init(&m[i]);
	TEST_ASSERT_EQ(lockdep_map_class(&m[0].dep_map), lockdep_map_class(&m[1].dep_map));
	TEST_ASSERT(lockdep_map_class(&m[0].dep_map) != lockdep_map_class(&lock_a.dep_map),
		    "own class");
	take_in_order(&m[0], &m[1]);
	TEST_ASSERT_EQ(warnings(), w + 2);
}

static DEFINE_SPINLOCK(spin_a);
static DEFINE_SPINLOCK(spin_b);
static DEFINE_MUTEX(sleeper);

/*
 * Spinlocks have classes too: a -> b then b -> a is an inversion; and a mutex taken while a
 * spinlock is held is a WARN (it may sleep), even when it happens not to.
 */
static void test_spinlock_order_and_sleeping_under_spin(void)
{
	long w = warnings();

	test_expect_warnings(3);
	spin_lock(&spin_a);
	spin_lock(&spin_b);
	spin_unlock(&spin_b);
	spin_unlock(&spin_a);
	TEST_ASSERT_EQ(warnings(), w);
	spin_lock(&spin_b);
	spin_lock(&spin_a);
	spin_unlock(&spin_a);
	spin_unlock(&spin_b);
	TEST_ASSERT_EQ(warnings(), w + 1);

	/*
	 * A spinlock under a mutex is fine; the other way round is not: a WARN for sleeping
	 * under a spinlock, and one for the order (sleeper -> spin_a -> spin_b -> sleeper).
	 */
	mutex_lock(&sleeper);
	spin_lock(&spin_a);
	spin_unlock(&spin_a);
	mutex_unlock(&sleeper);
	TEST_ASSERT_EQ(warnings(), w + 1);
	spin_lock(&spin_b);
	mutex_lock(&sleeper);
	mutex_unlock(&sleeper);
	spin_unlock(&spin_b);
	TEST_ASSERT_EQ(warnings(), w + 3);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_mutex_excludes),
		KSFT_TEST(test_spinlock_excludes),
		KSFT_TEST(test_owner_is_known),
		KSFT_TEST(test_spinlock_owner_is_known),
		KSFT_TEST(test_lock_order_inversions_are_caught),
		KSFT_TEST(test_spinlock_order_and_sleeping_under_spin),
	};

	return ksft_run(tests, ARRAY_SIZE(tests));
}
