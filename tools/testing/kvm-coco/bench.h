/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every make-bench figure is made of: a clock, and the median of per-batch ratios (each
 * batch measures the limit and the path back to back, so a frequency or load change between
 * batches moves both, not the ratio).
 */
#ifndef KVM_COCO_BENCH_H
#define KVM_COCO_BENCH_H

#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static inline double bench_median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
