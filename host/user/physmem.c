// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: "physical memory".  alloc_page() hands out 4 KiB frames of one arena reserved
 * at first use (virtual, MAP_NORESERVE: untouched frames cost nothing), so PFNs are dense
 * like a machine's and the RMP can be a flat table indexed by PFN as in hardware.  Freed
 * frames stay resident and are reused first, lowest address first: a buddy allocator hands
 * out a freed run in address order too, and a VM's pages in ascending order are cheaper to
 * walk and fill than the reverse a last-freed-first stack gives.  __GFP_ZERO clears a reused
 * frame.  The arena is set up by a constructor, before anything sizes a table by max_pfn
 * (linux/mm.h inlines the PFN maths).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/spinlock.h>

#include "host_user.h"

/* RAM starts at 1 MiB, above the legacy hole: HOST_PHYS_BASE_PFN (linux/mm.h). */
#define HOST_PHYS_BYTES		(16UL << 30)

unsigned long max_pfn;
long host_nr_pages;

char *host_phys_arena;
static unsigned long next_frame, nr_frames;
static unsigned long *free_map;		/* a bit per frame below next_frame: freed */
static unsigned long nr_free, free_lo;	/* no free frame in the words below free_lo */
static DEFINE_SPINLOCK(physmem_lock);
static pthread_once_t physmem_once = PTHREAD_ONCE_INIT;

static void physmem_init(void)
{
	void *p = mmap(NULL, HOST_PHYS_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return;
	nr_frames = HOST_PHYS_BYTES >> PAGE_SHIFT;
	free_map = calloc(DIV_ROUND_UP(nr_frames, BITS_PER_LONG), sizeof(*free_map));
	if (!free_map) {
		munmap(p, HOST_PHYS_BYTES);
		return;
	}
	host_phys_arena = p;
	max_pfn = HOST_PHYS_BASE_PFN + nr_frames;
}

/* "Boot": max_pfn is known before any code that sizes tables by it runs. */
__attribute__((constructor)) void host_physmem_init(void)
{
	pthread_once(&physmem_once, physmem_init);
}

struct page *alloc_page(gfp_t gfp)
{
	unsigned long frame;
	bool reused = false;

	host_physmem_init();
	if (!host_phys_arena || host_should_fail_alloc())
		return NULL;
	spin_lock(&physmem_lock);
	if (nr_free) {
		while (!free_map[free_lo])
			free_lo++;
		frame = free_lo * BITS_PER_LONG + __builtin_ctzl(free_map[free_lo]);
		free_map[free_lo] &= free_map[free_lo] - 1;
		nr_free--;
		reused = true;
	} else if (next_frame < nr_frames) {
		frame = next_frame++;
	} else {
		spin_unlock(&physmem_lock);
		return NULL;
	}
	spin_unlock(&physmem_lock);
	__atomic_add_fetch(&host_nr_pages, 1, __ATOMIC_RELAXED);
	if ((gfp & __GFP_ZERO) && reused)
		memset(host_phys_arena + (frame << PAGE_SHIFT), 0, PAGE_SIZE);
	return (struct page *)(host_phys_arena + (frame << PAGE_SHIFT));
}

/*
 * More than one frame: fresh frames from the top of what was handed out, so they are
 * contiguous (freed ones go back one by one, for alloc_page()).  Firmware buffers only.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned long frame, n = 1UL << order;

	if (!order)
		return alloc_page(gfp);
	host_physmem_init();
	if (!host_phys_arena || host_should_fail_alloc())
		return NULL;
	spin_lock(&physmem_lock);
	if (next_frame + n > nr_frames) {
		spin_unlock(&physmem_lock);
		return NULL;
	}
	frame = next_frame;
	next_frame += n;
	spin_unlock(&physmem_lock);
	__atomic_add_fetch(&host_nr_pages, n, __ATOMIC_RELAXED);
	return (struct page *)(host_phys_arena + (frame << PAGE_SHIFT));
}

void __free_pages(struct page *page, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < 1UL << order; i++)
		__free_page((struct page *)((char *)page + (i << PAGE_SHIFT)));
}

void __free_page(struct page *page)
{
	unsigned long frame = ((char *)page - host_phys_arena) >> PAGE_SHIFT;

	spin_lock(&physmem_lock);
	free_map[frame / BITS_PER_LONG] |= 1UL << (frame % BITS_PER_LONG);
	if (frame / BITS_PER_LONG < free_lo || !nr_free)
		free_lo = frame / BITS_PER_LONG;
	nr_free++;
	spin_unlock(&physmem_lock);
	__atomic_sub_fetch(&host_nr_pages, 1, __ATOMIC_RELAXED);
}
