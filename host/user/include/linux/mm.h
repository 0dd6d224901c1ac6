/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: whole pages.  A struct page is the 4 KiB frame itself, so page_address() is
 * the identity and a PFN is the frame's address >> PAGE_SHIFT: unique for the process's
 * lifetime, which is all the platform model needs of a PFN.
 */
#ifndef _HOST_USER_LINUX_MM_H
#define _HOST_USER_LINUX_MM_H

#include <linux/types.h>
#include <linux/gfp.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGNED(a)	(((unsigned long)(a) & (PAGE_SIZE - 1)) == 0)

struct page;

struct page *alloc_page(gfp_t gfp);
void __free_page(struct page *page);

static inline void *page_address(const struct page *page)
{
	return (void *)page;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)page >> PAGE_SHIFT;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return (struct page *)(pfn << PAGE_SHIFT);
}

static inline struct page *virt_to_page(const void *addr)
{
	return (struct page *)((unsigned long)addr & PAGE_MASK);
}

static inline void clear_page(void *addr)
{
	__builtin_memset(addr, 0, PAGE_SIZE);
}

#endif
