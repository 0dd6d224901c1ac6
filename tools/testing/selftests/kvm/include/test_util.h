/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test assertions.  TEST_ASSERT reports file, line, the expression and errno, then fails the
 * whole test binary; a test binary is a list of small test functions run by ksft_run().
 */
#ifndef SELFTEST_KVM_TEST_UTIL_H
#define SELFTEST_KVM_TEST_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"

void test_assert(bool exp, const char *exp_str, const char *file, unsigned int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * The expression is evaluated before the message's arguments (errno, say) are, and they only
 * when it fails: a strerror() per passing call would be most of a benchmark's loop.
 */
#define TEST_ASSERT(e, fmt, ...) do {						\
	if (!(e))								\
		test_assert(false, #e, __FILE__, __LINE__, fmt, ##__VA_ARGS__);	\
} while (0)

#define TEST_ASSERT_EQ(a, b) do {						\
	typeof(a) __a = (a);							\
	typeof(b) __b = (b);							\
	test_assert(__a == __b, #a " == " #b, __FILE__, __LINE__,		\
		    "%#llx != %#llx", (unsigned long long)__a,			\
		    (unsigned long long)__b);					\
} while (0)

/* A raw call that must fail with @err. */
#define TEST_ASSERT_ERRNO(call, err) do {					\
	errno = 0;								\
	long __r = (long)(call);						\
	int __e = errno;							\
	test_assert(__r == -1 && __e == (err), #call " fails with " #err,	\
		    __FILE__, __LINE__, "returned %ld, errno %d (%s)", __r, __e,	\
		    strerror(__e));						\
} while (0)

#define TEST_REQUIRE(e) do {							\
	if (!(e)) {								\
		ksft_print_msg("SKIP: requirement not met: %s\n", #e);		\
		exit(KSFT_SKIP);						\
	}									\
} while (0)

/*
 * A check that looks inside the platform (RMP entries, live-object counters) through the
 * library host's inspection hooks.  A kernel-module run cannot look: there the check is
 * counted as skipped (and reported), never passed.
 */
extern unsigned int inspect_skipped;
bool host_is_library(void);
#define INSPECT(check) do {							\
	if (host_is_library()) {						\
		check;								\
	} else {								\
		inspect_skipped++;						\
	}									\
} while (0)

struct ksft_test {
	const char *name;
	void (*fn)(void);
};

#define KSFT_TEST(fn)	{ #fn, fn }

/* End the current test as skipped, with the reason (e.g. library-host semantics only). */
#define TEST_SKIP_UNLESS(cond, why) do {					\
	if (!(cond)) {								\
		test_skip(why);							\
		return;								\
	}									\
} while (0)
void test_skip(const char *why);
/* The test makes @n WARNs on purpose; ksft_run() fails a test that makes any other. */
void test_expect_warnings(long n);

/* Run each test in order (a failed assertion ends the binary), with TAP output. */
int ksft_run(const struct ksft_test *tests, unsigned int n);

/* Random numbers for randomized tests: the seed comes from TEST_SEED or the clock, printed. */
uint64_t test_seed(void);
uint64_t test_rand(void);

#endif
