// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <time.h>

#include "test_util.h"
#include "kvm-coco-test.h"

struct ksft_count ksft_cnt;
unsigned int inspect_skipped;
static const char *current_test;
static const char *skip_reason;
static long expected_warnings;

void test_expect_warnings(long n)
{
	expected_warnings += n;
}

/* The library host's WARN count (a WARN is a kernel bug: no test may cause one unasked). */
static long host_warnings(void)
{
	struct host_counters c;

	if (!host_is_library())
		return 0;
	host_get_counters(&c);
	return c.warnings;
}

void test_skip(const char *why)
{
	skip_reason = why;
}

void test_assert(bool exp, const char *exp_str, const char *file, unsigned int line,
		 const char *fmt, ...)
{
	va_list ap;

	if (exp)
		return;
	printf("# ==== Test Assertion Failure ====\n#   %s:%u: %s\n#   ", file, line, exp_str);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	ksft_test_result(0, "%s", current_test ? current_test : "setup");
	ksft_cnt.run = ksft_cnt.planned;	/* the plan is void after a failure */
	ksft_finished();
}

int ksft_run(const struct ksft_test *tests, unsigned int n)
{
	unsigned int i;

	ksft_print_header();
	ksft_set_plan(n);
	for (i = 0; i < n; i++) {
		long warnings = host_warnings();

		current_test = tests[i].name;
		skip_reason = NULL;
		expected_warnings = 0;
		tests[i].fn();
		TEST_ASSERT(host_warnings() - warnings == expected_warnings,
			    "%ld WARNs during the test, %ld expected", host_warnings() - warnings,
			    expected_warnings);
		if (skip_reason)
			ksft_test_result_skip("%s: %s", tests[i].name, skip_reason);
		else
			ksft_test_result(1, "%s", tests[i].name);
	}
	current_test = NULL;
	if (inspect_skipped)
		ksft_print_msg("%u platform-inspection checks skipped: not the library host\n",
			       inspect_skipped);
	return ksft_finished();
}

static uint64_t rng_state;

uint64_t test_seed(void)
{
	const char *env = getenv("TEST_SEED");
	uint64_t seed;

	if (env) {
		seed = strtoull(env, NULL, 0);
	} else {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000000007ull + (uint64_t)ts.tv_nsec;
	}
	rng_state = seed ? seed : 1;
	ksft_print_msg("random seed %llu (replay with TEST_SEED=%llu)\n",
		       (unsigned long long)seed, (unsigned long long)seed);
	return seed;
}

/* xorshift64*: small, fast, reproducible from the printed seed. */
uint64_t test_rand(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}
