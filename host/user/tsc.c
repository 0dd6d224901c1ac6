// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: the kernel's tsc_khz, measured once when the core comes up: the TSC against
 * CLOCK_MONOTONIC over a few milliseconds (the kernel calibrates its own the same way when the
 * CPU does not say).  Rounded to 1 MHz, as a rate a VMM would compare against.
 */
#include <time.h>
#include <x86intrin.h>

#include <linux/types.h>
#include <asm/tsc.h>

#include "host_user.h"

#define TSC_CALIBRATE_NS	5000000ull

unsigned int tsc_khz;

static u64 host_tsc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void host_tsc_init(void)
{
	u64 t0, t1, c0, c1;

	if (__atomic_load_n(&tsc_khz, __ATOMIC_RELAXED))
		return;
	t0 = host_tsc_now_ns();
	c0 = __rdtsc();
	do
		t1 = host_tsc_now_ns();
	while (t1 - t0 < TSC_CALIBRATE_NS);
	c1 = __rdtsc();
	/* cycles per ms, to the nearest 1000 kHz */
	__atomic_store_n(&tsc_khz, (unsigned int)(((c1 - c0) * 1000000 / (t1 - t0) + 500) /
						  1000 * 1000), __ATOMIC_RELAXED);
}
