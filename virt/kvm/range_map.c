// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sorted run-length map from gfn to an attribute word (see kvm_range_map.h for the invariants).
 * An update replaces the runs it overlaps with at most three pieces (the kept head of the first
 * run, the new run, the kept tail of the last run), coalesces them with equal neighbours, and
 * allocates before it changes anything, so -ENOMEM leaves the map as it was.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/kvm_range_map.h>

#define RANGE_MAP_MIN_CAP	8

void kvm_range_map_init(struct kvm_range_map *map)
{
	map->ranges = NULL;
	map->nr = 0;
	map->cap = 0;
}

void kvm_range_map_destroy(struct kvm_range_map *map)
{
	kvfree(map->ranges);
	kvm_range_map_init(map);
}

/* Index of the first run that ends after @index, or map->nr. */
static unsigned int range_map_lower_bound(const struct kvm_range_map *map, u64 index)
{
	unsigned int lo = 0, hi = map->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (map->ranges[mid].end > index)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int range_map_reserve(struct kvm_range_map *map, unsigned int nr)
{
	struct kvm_range *ranges;
	unsigned int cap;

	if (nr <= map->cap)
		return 0;

	cap = max_t(unsigned int, RANGE_MAP_MIN_CAP, map->cap * 2);
	if (cap < nr)
		cap = nr;
	ranges = kvcalloc(cap, sizeof(*ranges), GFP_KERNEL_ACCOUNT);
	if (!ranges)
		return -ENOMEM;

	if (map->nr)
		memcpy(ranges, map->ranges, map->nr * sizeof(*ranges));
	kvfree(map->ranges);
	map->ranges = ranges;
	map->cap = cap;
	return 0;
}

/* Merge touching pieces of equal value in place; returns the new count. */
static unsigned int range_map_coalesce(struct kvm_range *p, unsigned int k)
{
	unsigned int i, out = 0;

	for (i = 0; i < k; i++) {
		if (out && p[out - 1].end == p[i].start && p[out - 1].value == p[i].value)
			p[out - 1].end = p[i].end;
		else
			p[out++] = p[i];
	}
	return out;
}

int kvm_range_map_set(struct kvm_range_map *map, u64 start, u64 end, unsigned long value)
{
	unsigned int lo, hi, k = 0, nr;
	struct kvm_range p[3];
	int r;

	if (WARN_ON(start >= end))
		return -EINVAL;

	lo = range_map_lower_bound(map, start);
	for (hi = lo; hi < map->nr && map->ranges[hi].start < end; hi++)
		;

	if (lo < hi && map->ranges[lo].start < start)
		p[k++] = (struct kvm_range){ map->ranges[lo].start, start, map->ranges[lo].value };
	if (value)
		p[k++] = (struct kvm_range){ start, end, value };
	if (lo < hi && map->ranges[hi - 1].end > end) {
		const struct kvm_range *last = &map->ranges[hi - 1];

		p[k++] = (struct kvm_range){ end, last->end, last->value };
	}
	k = range_map_coalesce(p, k);

	if (k && lo > 0 && map->ranges[lo - 1].end == p[0].start &&
	    map->ranges[lo - 1].value == p[0].value)
		p[0].start = map->ranges[--lo].start;
	if (k && hi < map->nr && map->ranges[hi].start == p[k - 1].end &&
	    map->ranges[hi].value == p[k - 1].value)
		p[k - 1].end = map->ranges[hi++].end;

	nr = map->nr - (hi - lo) + k;
	r = range_map_reserve(map, nr);
	if (r)
		return r;

	if (hi != lo + k && map->nr > hi)
		memmove(&map->ranges[lo + k], &map->ranges[hi],
			(map->nr - hi) * sizeof(*map->ranges));
	if (k)
		memcpy(&map->ranges[lo], p, k * sizeof(*p));
	map->nr = nr;
	return 0;
}

unsigned long kvm_range_map_get(const struct kvm_range_map *map, u64 index)
{
	unsigned int i = range_map_lower_bound(map, index);

	if (i < map->nr && map->ranges[i].start <= index)
		return map->ranges[i].value;
	return 0;
}

/*
 * End of the run of indices from @index (exclusive) that share @index's value, at most @limit.
 * Runs are maximal, so the run ends at the next run boundary or gap edge.
 */
u64 kvm_range_map_run_end(const struct kvm_range_map *map, u64 index, u64 limit)
{
	unsigned int i = range_map_lower_bound(map, index);
	u64 end;

	if (i == map->nr)
		end = limit;				/* in the gap after the last run */
	else if (map->ranges[i].start > index)
		end = map->ranges[i].start;		/* in a gap before run i */
	else
		end = map->ranges[i].end;
	return min(end, limit);
}

/* True if every index in [start, end) maps to exactly @value. */
bool kvm_range_map_all(const struct kvm_range_map *map, u64 start, u64 end,
		       unsigned long value)
{
	unsigned int i = range_map_lower_bound(map, start);

	if (start >= end)
		return true;
	if (!value)
		return i == map->nr || map->ranges[i].start >= end;
	/* Runs are maximal, so one run must cover the whole range. */
	return i < map->nr && map->ranges[i].start <= start && map->ranges[i].end >= end &&
	       map->ranges[i].value == value;
}
