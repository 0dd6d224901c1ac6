/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_COCO_KVM_RANGE_MAP_H
#define __KVM_COCO_KVM_RANGE_MAP_H

/*
 * A map from gfn to an attribute word, stored as sorted, disjoint, maximal runs of equal
 * non-zero value.  Every operation costs O(log n + n) in the number n of runs and nothing in
 * the number of pages, so setting a terabyte costs what setting a page costs.  Upstream keeps
 * one xarray entry per page instead; a 1 TiB KVM_SET_MEMORY_ATTRIBUTES takes minutes there.
 * No internal lock: the owner serialises (kvm->slots_lock for memory attributes).
 */

#include <linux/types.h>

struct kvm_range {
	u64 start;		/* first gfn */
	u64 end;		/* one past the last gfn; start < end */
	unsigned long value;	/* never 0: gaps mean 0 */
};

struct kvm_range_map {
	struct kvm_range *ranges;	/* sorted by start, disjoint, neighbours differ or gap */
	unsigned int nr;
	unsigned int cap;
};

void kvm_range_map_init(struct kvm_range_map *map);
void kvm_range_map_destroy(struct kvm_range_map *map);
int kvm_range_map_set(struct kvm_range_map *map, u64 start, u64 end, unsigned long value);
unsigned long kvm_range_map_get(const struct kvm_range_map *map, u64 index);
u64 kvm_range_map_run_end(const struct kvm_range_map *map, u64 index, u64 limit);
bool kvm_range_map_all(const struct kvm_range_map *map, u64 start, u64 end,
		       unsigned long value);

#endif
