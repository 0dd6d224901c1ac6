// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: one "NAME VALUE UNIT" line per figure.  Every figure is a ratio against a limit
 * measured in the same run, never a bare time: the median of per-batch ratios, the limit and
 * the path timed back to back in each batch.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <crypto/hash.h>
#include <asm/sev.h>
#include <asm/snp_digest.h>
#include <asm/tdx.h>

#include <kvm-coco.h>
#include "test_util.h"
#include "bench.h"

#define BATCHES		25

/* Seconds per KVM_SET_MEMORY_ATTRIBUTES of @size bytes (a private/shared pair, halved). */
static double attr_time(int vm, unsigned long long size, unsigned int iters)
{
	double best = 1e9;
	unsigned int b, i;

	for (b = 0; b < BATCHES; b++) {
		double t0 = bench_now();

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
		double t = (bench_now() - t0) / iters;

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

/*
 * A VM with @n one-page memslots at every other gfn (their pages all alias one host page, as
 * upstream allows), the gap in the middle left for the timed slot.
 */
static int memslot_vm(int sys, unsigned int n, void *page)
{
	struct kvm_userspace_memory_region r = { .memory_size = PAGE_SIZE,
						 .userspace_addr = (unsigned long)page };
	int vm = kvm_coco_ioctl(sys, KVM_CREATE_VM, KVM_X86_DEFAULT_VM);
	unsigned int i;

	for (i = 0; i < n; i++) {
		r.slot = i;
		r.guest_phys_addr = 2ull * i * PAGE_SIZE;
		if (vm < 0 || kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r)) {
			perror("memslot_vm");
			exit(1);
		}
	}
	return vm;
}

/* Seconds per insert of one slot into the middle gap of @vm's @n (and its delete, halved). */
static double memslot_insert_time(int vm, unsigned int n, void *page)
{
	struct kvm_userspace_memory_region r = {
		.slot = n, .guest_phys_addr = (2ull * (n / 2) + 1) * PAGE_SIZE,
		.userspace_addr = (unsigned long)page,
	};
	unsigned int i, iters = 2000;
	double t0 = bench_now();

	for (i = 0; i < iters; i++) {
		r.memory_size = i & 1 ? 0 : PAGE_SIZE;
		if (kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r)) {
			perror("memslot insert");
			exit(1);
		}
	}
	return (bench_now() - t0) / iters;
}

/* One memslot insert with 32,764 slots (upstream's limit) over one with 1,024 (target <= 2). */
static void bench_memslot_insert_32k_vs_1k(void)
{
	void *page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	int sys = kvm_coco_open(), small, big;
	double ratio[BATCHES];
	unsigned int b;

	small = memslot_vm(sys, 1024, page);
	big = memslot_vm(sys, 32764 - 1, page);
	for (b = 0; b < BATCHES; b++)
		ratio[b] = memslot_insert_time(big, 32764 - 1, page) /
			   memslot_insert_time(small, 1024, page);
	printf("memslot_insert_32k_vs_1k %.2f ratio\n", bench_median(ratio, BATCHES));
	kvm_coco_close(big);
	kvm_coco_close(small);
	kvm_coco_close(sys);
	free(page);
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
	double raw, chain, ratio[BATCHES];
	struct snp_digest d;
	u8 out[48];
	unsigned int b, i;

	for (i = 0; i < DIGEST_PAGES; i++)
		memset(buf[i], i, PAGE_SIZE);
	for (b = 0; b < BATCHES; b++) {
		double t0 = bench_now(), t;

		for (i = 0; i < DIGEST_PAGES; i++)
			crypto_shash_tfm_digest(tfm, buf[i], PAGE_SIZE, out);
		t = bench_now() - t0;
		raw = t;

		snp_digest_init(&d);
		t0 = bench_now();
		for (i = 0; i < DIGEST_PAGES; i++)
			snp_digest_add_page(&d, SNP_PAGE_TYPE_NORMAL, (u64)i << PAGE_SHIFT, buf[i]);
		t = bench_now() - t0;
		chain = t;
		ratio[b] = raw / chain;
		snp_digest_destroy(&d);
	}
	crypto_free_shash(tfm);
	printf("digest_vs_sha384 %.3f ratio\n", bench_median(ratio, BATCHES));
}

#define LAUNCH_PAGES	2048
#define ZERO_PAGES	65536

struct bench_vm {
	int sys, sev, vm, gmem;
};

static int bench_cmd(struct bench_vm *b, unsigned int id, void *data)
{
	struct kvm_sev_cmd cmd = { .id = id, .data = (uintptr_t)data, .sev_fd = b->sev };

	return kvm_coco_ioctl(b->vm, KVM_MEMORY_ENCRYPT_OP, &cmd);
}

/* An SNP VM with @pages of private guest_memfd memory, after LAUNCH_START. */
static void bench_vm_create(struct bench_vm *b, unsigned long pages)
{
	struct kvm_create_guest_memfd g = { .size = pages * PAGE_SIZE };
	struct kvm_userspace_memory_region2 r = { .flags = KVM_MEM_GUEST_MEMFD,
						  .memory_size = pages * PAGE_SIZE };
	struct kvm_memory_attributes a = { .size = pages * PAGE_SIZE,
					   .attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE };
	struct kvm_sev_snp_launch_start start = { .policy = (1ull << 17) | (1ull << 16) };
	struct kvm_sev_init init = {};

	b->sys = kvm_coco_open();
	b->sev = kvm_coco_open_sev();
	b->vm = kvm_coco_ioctl(b->sys, KVM_CREATE_VM, KVM_X86_SNP_VM);
	b->gmem = kvm_coco_ioctl(b->vm, KVM_CREATE_GUEST_MEMFD, &g);
	r.guest_memfd = b->gmem;
	if (kvm_coco_ioctl(b->vm, KVM_SET_USER_MEMORY_REGION2, &r) ||
	    kvm_coco_ioctl(b->vm, KVM_SET_MEMORY_ATTRIBUTES, &a) ||
	    bench_cmd(b, KVM_SEV_INIT2, &init) || bench_cmd(b, KVM_SEV_SNP_LAUNCH_START, &start)) {
		perror("bench: SNP VM set-up");
		exit(1);
	}
}

static void bench_vm_destroy(struct bench_vm *b)
{
	kvm_coco_close(b->gmem);
	kvm_coco_close(b->vm);
	kvm_coco_close(b->sev);
	kvm_coco_close(b->sys);
}

/* Seconds for one LAUNCH_UPDATE of @pages pages of @type from @src (a fresh VM each time). */
static double launch_time(unsigned long pages, unsigned int type, const void *src)
{
	struct kvm_sev_snp_launch_update u = { .uaddr = (uintptr_t)src, .len = pages * PAGE_SIZE,
					       .type = type };
	struct bench_vm b;
	double t0, t;

	bench_vm_create(&b, pages);
	t0 = bench_now();
	while (u.len)
		if (bench_cmd(&b, KVM_SEV_SNP_LAUNCH_UPDATE, &u)) {
			perror("bench: LAUNCH_UPDATE");
			exit(1);
		}
	t = bench_now() - t0;
	bench_vm_destroy(&b);
	return t;
}

/*
 * The least any launch can do per NORMAL page, with no KVM and no model: copy the source into
 * a separate page (unless @dst is NULL), hash it, hash its 0x70-byte PAGE_INFO.  Its ratio
 * over the raw SHA-384 is the ceiling for launch_vs_sha384 on this machine; without the copy,
 * the ceiling of the measurement math alone.
 */
static double launch_ideal(struct crypto_shash *tfm, u8 (*src)[PAGE_SIZE], u8 (*dst)[PAGE_SIZE])
{
	struct snp_page_info info = { .length = sizeof(info) };
	double t0 = bench_now();
	unsigned int i;
	u8 *page;

	for (i = 0; i < LAUNCH_PAGES; i++) {
		page = src[i];
		if (dst) {
			memcpy(dst[i], src[i], PAGE_SIZE);
			page = dst[i];
		}
		crypto_shash_tfm_digest(tfm, page, PAGE_SIZE, info.contents);
		crypto_shash_tfm_digest(tfm, (u8 *)&info, sizeof(info), info.digest_cur);
	}
	return bench_now() - t0;
}

/* NORMAL-page LAUNCH_UPDATE throughput over raw SHA-384 of the same 4 KiB buffers. */
static void bench_launch_vs_sha384(void)
{
	static u8 buf[LAUNCH_PAGES][PAGE_SIZE] __attribute__((aligned(4096)));
	static u8 dst[LAUNCH_PAGES][PAGE_SIZE] __attribute__((aligned(4096)));
	struct crypto_shash *tfm = crypto_alloc_shash("sha384", 0, 0);
	double raw, launch, t0, ratio[BATCHES], ideal[BATCHES], hash_only[BATCHES];
	unsigned int b, i;
	u8 out[48];

	for (i = 0; i < LAUNCH_PAGES; i++)
		memset(buf[i], i * 3, PAGE_SIZE);
	memset(dst, 0, sizeof(dst));
	for (b = 0; b < BATCHES; b++) {
		t0 = bench_now();
		for (i = 0; i < LAUNCH_PAGES; i++)
			crypto_shash_tfm_digest(tfm, buf[i], PAGE_SIZE, out);
		raw = bench_now() - t0;
		launch = launch_time(LAUNCH_PAGES, KVM_SEV_SNP_PAGE_TYPE_NORMAL, buf);
		ratio[b] = raw / launch;
		ideal[b] = raw / launch_ideal(tfm, buf, dst);
		hash_only[b] = raw / launch_ideal(tfm, buf, NULL);
	}
	crypto_free_shash(tfm);
	printf("launch_vs_sha384 %.3f ratio\n", bench_median(ratio, BATCHES));
	printf("launch_ideal_vs_sha384 %.3f ratio\n", bench_median(ideal, BATCHES));
	printf("launch_hash_only_vs_sha384 %.3f ratio\n", bench_median(hash_only, BATCHES));
}

/* ZERO pages launched per second on one core. */
static void bench_zero_pages_per_s(void)
{
	double best = 1e9, t;
	unsigned int b;

	/* The first run also faults the host's frames in; the best of the rest counts. */
	for (b = 0; b < BATCHES; b++) {
		t = launch_time(ZERO_PAGES, KVM_SEV_SNP_PAGE_TYPE_ZERO, NULL);
		best = t < best ? t : best;
	}
	printf("zero_pages_per_s %.3g pages/s\n", ZERO_PAGES / best);
}

#define MRTD_PAGES	1024

static u64 new_page_pa(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page) {
		fprintf(stderr, "bench: out of pages\n");
		exit(1);
	}
	return (u64)page_to_pfn(page) << PAGE_SHIFT;
}

/*
 * Measured-page TD build throughput (TDH.MEM.PAGE.ADD + 16 TDH.MR.EXTEND per page, through
 * the module model) over raw SHA-384 of the same stream bytes, one SHA-384 over all of them.
 */
static void bench_mrtd_vs_sha384(void)
{
	static u8 stream[MRTD_PAGES][128 + 16 * (128 + 256)];
	struct crypto_shash *tfm = crypto_alloc_shash("sha384", 0, 0);
	struct shash_desc *desc = calloc(1, sizeof(*desc) + crypto_shash_descsize(tfm));
	double raw, build, t0, t, ratio[BATCHES];
	u64 tdr, cx[4], src, *pages = calloc(MRTD_PAGES, sizeof(u64));
	unsigned int b, i, j;
	u8 out[48], mrtd[48];

	desc->tfm = tfm;
	/* The very bytes the module hashes: each page's ADD block, then 16 EXTEND blocks + data. */
	for (i = 0; i < MRTD_PAGES; i++) {
		u8 *p = stream[i];
		u64 gpa = (u64)i << PAGE_SHIFT;

		memset(p, 0, sizeof(stream[i]));
		memcpy(p, "MEM.PAGE.ADD", 12);
		memcpy(p + 16, &gpa, 8);
		for (j = 0, p += 128; j < 16; j++, p += 384) {
			u64 g = gpa + j * 256;

			memcpy(p, "MR.EXTEND", 9);
			memcpy(p + 16, &g, 8);
		}
	}
	for (b = 0; b < BATCHES; b++) {
		t0 = bench_now();
		crypto_shash_init(desc);
		for (i = 0; i < MRTD_PAGES; i++)
			crypto_shash_update(desc, stream[i], sizeof(stream[i]));
		crypto_shash_final(desc, out);
		t = bench_now() - t0;
		raw = t;

		tdr = new_page_pa();
		src = new_page_pa();
		tdh_mng_create(tdr, TDX_MIN_HKID);
		for (j = 0; j < 4; j++) {
			cx[j] = new_page_pa();
			tdh_mng_addcx(tdr, cx[j]);
		}
		tdh_mng_init(tdr, &(struct tdx_td_params){ .gpaw = 48 });
		for (i = 0; i < MRTD_PAGES; i++)
			pages[i] = new_page_pa();
		t0 = bench_now();
		for (i = 0; i < MRTD_PAGES; i++) {
			if (tdh_mem_page_add(tdr, (u64)i << PAGE_SHIFT, pages[i], src)) {
				fprintf(stderr, "bench: PAGE.ADD failed\n");
				exit(1);
			}
			for (j = 0; j < 16; j++)
				tdh_mr_extend(tdr, ((u64)i << PAGE_SHIFT) + j * 256);
		}
		tdh_mr_finalize(tdr);
		t = bench_now() - t0;
		build = t;
		ratio[b] = raw / build;
		/* The limit hashed the same bytes: the MRTD must equal its digest. */
		tdx_td_mrtd(tdr, mrtd);
		if (memcmp(mrtd, out, sizeof(out))) {
			fprintf(stderr, "bench: the MRTD differs from SHA-384 of its stream\n");
			exit(1);
		}

		tdh_mng_key_freeid(tdr);
		for (i = 0; i < MRTD_PAGES; i++) {
			tdh_phymem_page_reclaim(pages[i]);
			__free_page(pfn_to_page(pages[i] >> PAGE_SHIFT));
		}
		for (j = 0; j < 4; j++) {
			tdh_phymem_page_reclaim(cx[j]);
			__free_page(pfn_to_page(cx[j] >> PAGE_SHIFT));
		}
		tdh_phymem_page_reclaim(tdr);
		__free_page(pfn_to_page(tdr >> PAGE_SHIFT));
		__free_page(pfn_to_page(src >> PAGE_SHIFT));
	}
	free(pages);
	free(desc);
	crypto_free_shash(tfm);
	printf("mrtd_vs_sha384 %.3f ratio\n", bench_median(ratio, BATCHES));
}

int main(void)
{
	const char *only;

	if (kvm_coco_init()) {
		fprintf(stderr, "bench: platform init failed\n");
		return 1;
	}
	/* BENCH=name runs one figure (for profiling); by default all run. */
	only = getenv("BENCH");
#define RUN(name) do { if (!only || !strcmp(only, #name)) bench_##name(); } while (0)
	RUN(attr_1tib_vs_4kib);
	RUN(rmp_bytes_per_page);
	RUN(digest_vs_sha384);
	RUN(launch_vs_sha384);
	RUN(zero_pages_per_s);
	RUN(mrtd_vs_sha384);
	RUN(memslot_insert_32k_vs_1k);
	return 0;
}
