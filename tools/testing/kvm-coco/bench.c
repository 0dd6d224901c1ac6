// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: one "NAME VALUE UNIT" line per figure.  Every figure is a ratio against a limit
 * measured in the same run, never a bare time.  Each timing is the best of several batches so
 * a descheduled batch does not skew a ratio.
 */
#include <time.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <crypto/hash.h>
#include <asm/sev.h>
#include <asm/snp_digest.h>

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

/* Bytes of RMP per 4 KiB page of memory it covers. */
static void bench_rmp_bytes_per_page(void)
{
	printf("rmp_bytes_per_page %.2f bytes\n",
	       (double)snp_rmptable_bytes() / snp_rmptable_pages());
}

#define DIGEST_PAGES	2048

/* PAGE_INFO-chain throughput for NORMAL pages over raw SHA-384 of the same 4 KiB buffers. */
static void bench_digest_vs_sha384(void)
{
	static u8 buf[DIGEST_PAGES][PAGE_SIZE];
	struct crypto_shash *tfm = crypto_alloc_shash("sha384", 0, 0);
	double raw = 1e9, chain = 1e9;
	struct snp_digest d;
	u8 out[48];
	unsigned int b, i;

	for (i = 0; i < DIGEST_PAGES; i++)
		memset(buf[i], i, PAGE_SIZE);
	for (b = 0; b < BATCHES; b++) {
		double t0 = now(), t;

		for (i = 0; i < DIGEST_PAGES; i++)
			crypto_shash_tfm_digest(tfm, buf[i], PAGE_SIZE, out);
		t = now() - t0;
		raw = t < raw ? t : raw;

		snp_digest_init(&d);
		t0 = now();
		for (i = 0; i < DIGEST_PAGES; i++)
			snp_digest_add_page(&d, SNP_PAGE_TYPE_NORMAL, (u64)i << PAGE_SHIFT, buf[i]);
		t = now() - t0;
		chain = t < chain ? t : chain;
		snp_digest_destroy(&d);
	}
	crypto_free_shash(tfm);
	printf("digest_vs_sha384 %.3f ratio\n", raw / chain);
}

int main(void)
{
	if (kvm_coco_init()) {
		fprintf(stderr, "bench: platform init failed\n");
		return 1;
	}
	bench_attr_1tib_vs_4kib();
	bench_rmp_bytes_per_page();
	bench_digest_vs_sha384();
	return 0;
}
