/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: whole pages come from one contiguous arena of "physical memory" (see
 * host/user/physmem.c), so PFNs are dense, start at HOST_PHYS_BASE_PFN and end below max_pfn
 * as on a machine, and a table indexed by PFN (the RMP) covers them all.  A struct page is
 * the frame itself: page_address() is the identity.
 */
#ifndef _HOST_USER_LINUX_MM_H
#define _HOST_USER_LINUX_MM_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/memblock.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGNED(a)	(((unsigned long)(a) & (PAGE_SIZE - 1)) == 0)

struct page;

struct page *alloc_page(gfp_t gfp);
void __free_page(struct page *page);
/* 2^order physically contiguous frames; freed with the same order. */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);

static inline void *page_address(const struct page *page)
{
	return (void *)page;
}

/* The arena (host/user/physmem.c): PFN HOST_PHYS_BASE_PFN is its first frame. */
#define HOST_PHYS_BASE_PFN	0x100UL
extern char *host_phys_arena;

static inline unsigned long page_to_pfn(const struct page *page)
{
	return HOST_PHYS_BASE_PFN + (((const char *)page - host_phys_arena) >> PAGE_SHIFT);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return (struct page *)(host_phys_arena + ((pfn - HOST_PHYS_BASE_PFN) << PAGE_SHIFT));
}

static inline bool pfn_valid(unsigned long pfn)
{
	return host_phys_arena && pfn >= HOST_PHYS_BASE_PFN && pfn < max_pfn;
}

static inline struct page *virt_to_page(const void *addr)
{
	return (struct page *)((unsigned long)addr & PAGE_MASK);
}

/* Physical address of a frame address, and back. */
static inline u64 __pa(const void *addr)
{
	return ((u64)page_to_pfn(virt_to_page(addr)) << PAGE_SHIFT) |
	       ((unsigned long)addr & ~PAGE_MASK);
}

static inline void *__va(u64 pa)
{
	return (char *)page_address(pfn_to_page(pa >> PAGE_SHIFT)) + (pa & ~PAGE_MASK);
}

static inline void clear_page(void *addr)
{
	__builtin_memset(addr, 0, PAGE_SIZE);
}

#endif
