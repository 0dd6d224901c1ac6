/* SPDX-License-Identifier: GPL-2.0 */
/* TAP output in the kselftest format, and its exit codes (0 pass, 1 fail, 4 skip). */
#ifndef __KSELFTEST_H
#define __KSELFTEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

struct ksft_count {
	unsigned int pass, fail, skip, planned, run;
};

extern struct ksft_count ksft_cnt;

static inline void ksft_print_header(void)
{
	printf("TAP version 13\n");
}

static inline void ksft_set_plan(unsigned int plan)
{
	ksft_cnt.planned = plan;
	printf("1..%u\n", plan);
}

static inline void ksft_test_result(int ok, const char *fmt, ...)
{
	va_list ap;

	ksft_cnt.run++;
	ok ? ksft_cnt.pass++ : ksft_cnt.fail++;
	printf("%s %u ", ok ? "ok" : "not ok", ksft_cnt.run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline void ksft_test_result_skip(const char *fmt, ...)
{
	va_list ap;

	ksft_cnt.run++;
	ksft_cnt.skip++;
	printf("ok %u # SKIP ", ksft_cnt.run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline void ksft_print_msg(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static inline int ksft_finished(void)
{
	printf("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:0\n", ksft_cnt.pass,
	       ksft_cnt.fail, ksft_cnt.skip);
	if (ksft_cnt.fail || ksft_cnt.run != ksft_cnt.planned)
		exit(KSFT_FAIL);
	exit(KSFT_PASS);
}

#endif
