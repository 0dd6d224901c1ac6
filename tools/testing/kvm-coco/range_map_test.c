// SPDX-License-Identifier: GPL-2.0
/*
 * The memory-attribute range map against a naive per-page reference, on random sequences of
 * set operations (seed printed), plus its structural invariants after every operation.
 */
#include <linux/kernel.h>
#include <linux/kvm_range_map.h>

#include "test_util.h"
#include "host_user.h"

#define NR_PAGES	2048
#define NR_OPS		20000
#define RANGE_MAP_TEST_FILL	8

static unsigned long ref[NR_PAGES];

static void check_invariants(const struct kvm_range_map *map)
{
	unsigned int i;

	TEST_ASSERT(map->nr <= map->cap, "nr %u > cap %u", map->nr, map->cap);
	for (i = 0; i < map->nr; i++) {
		const struct kvm_range *r = &map->ranges[i];

		TEST_ASSERT(r->start < r->end, "empty run %u", i);
		TEST_ASSERT(r->value, "zero-valued run %u", i);
		if (i) {
			const struct kvm_range *p = &map->ranges[i - 1];

			TEST_ASSERT(p->end <= r->start, "runs %u and %u overlap", i - 1, i);
			TEST_ASSERT(p->end < r->start || p->value != r->value,
				    "runs %u and %u touch with equal value: not maximal", i - 1, i);
		}
	}
}

static void check_against_reference(const struct kvm_range_map *map)
{
	unsigned long i;

	for (i = 0; i < NR_PAGES; i++)
		TEST_ASSERT(kvm_range_map_get(map, i) == ref[i], "page %lu: map %lu, reference %lu",
			    i, kvm_range_map_get(map, i), ref[i]);
}

static bool ref_all(unsigned long start, unsigned long end, unsigned long value)
{
	for (; start < end; start++)
		if (ref[start] != value)
			return false;
	return true;
}

static void test_random_against_reference(void)
{
	struct kvm_range_map map;
	int op;

	test_seed();
	memset(ref, 0, sizeof(ref));
	kvm_range_map_init(&map);
	for (op = 0; op < NR_OPS; op++) {
		unsigned long start = test_rand() % NR_PAGES;
		unsigned long len = 1 + test_rand() % (test_rand() % 4 ? 16 : NR_PAGES);
		unsigned long end = start + len > NR_PAGES ? NR_PAGES : start + len;
		/* mostly the one real attribute, sometimes others to test coalescing */
		unsigned long value = test_rand() % 3 ? (test_rand() % 2) << 3 : test_rand() % 4;
		unsigned long i;

		TEST_ASSERT(!kvm_range_map_set(&map, start, end, value), "set failed");
		for (i = start; i < end; i++)
			ref[i] = value;
		check_invariants(&map);
		if (op % 64 == 0)
			check_against_reference(&map);
		start = test_rand() % NR_PAGES;
		end = start + 1 + test_rand() % 64;
		if (end > NR_PAGES)
			end = NR_PAGES;
		value = ref[start];
		TEST_ASSERT(kvm_range_map_all(&map, start, end, value) ==
			    ref_all(start, end, value),
			    "all(%lu, %lu, %lu) disagrees with the reference", start, end, value);
	}
	check_against_reference(&map);
	kvm_range_map_destroy(&map);
}

static void test_huge_ranges_cost_runs_not_pages(void)
{
	struct kvm_range_map map;

	kvm_range_map_init(&map);
	/* A whole 64-bit gfn space, then a hole punched in the middle: three runs, not 2^52. */
	TEST_ASSERT(!kvm_range_map_set(&map, 0, ~0ull, 8), "set all");
	TEST_ASSERT(!kvm_range_map_set(&map, 1ull << 40, (1ull << 40) + 1, 0), "punch");
	TEST_ASSERT_EQ(map.nr, 2u);
	TEST_ASSERT_EQ(kvm_range_map_get(&map, (1ull << 40) - 1), 8ul);
	TEST_ASSERT_EQ(kvm_range_map_get(&map, 1ull << 40), 0ul);
	TEST_ASSERT_EQ(kvm_range_map_get(&map, ~0ull - 1), 8ul);
	TEST_ASSERT(!kvm_range_map_set(&map, 1ull << 40, (1ull << 40) + 1, 8), "refill");
	TEST_ASSERT_EQ(map.nr, 1u);
	check_invariants(&map);
	kvm_range_map_destroy(&map);
}

static void test_enomem_leaves_map_unchanged(void)
{
	struct kvm_range_map map;
	unsigned long i;

	kvm_range_map_init(&map);
	/* Fill to capacity with alternating runs so the next split must grow the array. */
	for (i = 0; map.nr < RANGE_MAP_TEST_FILL; i += 2)
		TEST_ASSERT(!kvm_range_map_set(&map, i, i + 1, 8), "fill");
	for (; map.nr < map.cap; i += 2)
		TEST_ASSERT(!kvm_range_map_set(&map, i, i + 1, 8), "fill");
	host_fail_alloc_after(1);
	TEST_ASSERT_EQ(kvm_range_map_set(&map, i, i + 1, 8), -ENOMEM);
	host_fail_alloc_after(0);
	TEST_ASSERT_EQ(kvm_range_map_get(&map, i), 0ul);
	TEST_ASSERT_EQ(kvm_range_map_get(&map, i - 2), 8ul);
	check_invariants(&map);
	kvm_range_map_destroy(&map);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_random_against_reference),
		KSFT_TEST(test_huge_ranges_cost_runs_not_pages),
		KSFT_TEST(test_enomem_leaves_map_unchanged),
	};

	return ksft_run(tests, ARRAY_SIZE(tests));
}
