// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: one "NAME VALUE UNIT" line per figure.  Every figure is a ratio against a limit
 * measured in the same run, never a bare time.  Each timing is the best of several batches so
 * a descheduled batch does not skew a ratio.
 */
#include <time.h>

#include <kvm-coco.h>
#include "test_util.h"

#define BATCHES		7

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds per KVM_SET_MEMORY_ATTRIBUTES of @size bytes (a private/shared pair, halved). */
static double attr_time(int vm, unsigned long long size, unsigned int iters)
{
	double best = 1e9;
	unsigned int b, i;

	for (b = 0; b < BATCHES; b++) {
		double t0 = now();

		for (i = 0; i < iters; i++) {
			struct kvm_memory_attributes a = {
				.address = 1ull << 30, .size = size,
				.attributes = i & 1 ? 0 : KVM_MEMORY_ATTRIBUTE_PRIVATE,
			};

			if (kvm_coco_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &a)) {
				perror("KVM_SET_MEMORY_ATTRIBUTES");
				exit(1);
			}
		}
		double t = (now() - t0) / iters;

		if (t < best)
			best = t;
	}
	return best;
}

static void bench_attr_1tib_vs_4kib(void)
{
	int sys = kvm_coco_open();
	int vm = kvm_coco_ioctl(sys, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);
	struct kvm_memory_attributes a = { .size = 1ull << 30 };
	double t4k, t1t;
	unsigned int i;

	/* A fragmented map around the range, so both calls work on a realistic map. */
	for (i = 0; i < 256; i++) {
		a.address = (2ull << 40) + i * 0x2000;
		a.size = 0x1000;
		a.attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE;
		kvm_coco_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &a);
	}
	t4k = attr_time(vm, 4096, 2000);
	t1t = attr_time(vm, 1ull << 40, 2000);
	printf("attr_1tib_vs_4kib %.2f ratio\n", t1t / t4k);
	kvm_coco_close(vm);
	kvm_coco_close(sys);
}

int main(void)
{
	bench_attr_1tib_vs_4kib();
	return 0;
}
