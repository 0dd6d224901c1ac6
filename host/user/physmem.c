// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: "physical memory".  alloc_page() hands out 4 KiB frames of one arena reserved
 * at first use (virtual, MAP_NORESERVE: untouched frames cost nothing), so PFNs are dense
 * like a machine's and the RMP can be a flat table indexed by PFN as in hardware.  Freed
 * frames stay resident and are reused first (last freed, first reused), as a kernel's page
 * allocator keeps its memory; __GFP_ZERO clears a reused frame.  The arena is set up by a
 * constructor, before anything sizes a table by max_pfn (linux/mm.h inlines the PFN maths).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/kernel.h>
#include <linux/mm.h>

#include "host_user.h"

/* RAM starts at 1 MiB, above the legacy hole: HOST_PHYS_BASE_PFN (linux/mm.h). */
#define HOST_PHYS_BYTES		(16UL << 30)

unsigned long max_pfn;
long host_nr_pages;

char *host_phys_arena;
static unsigned long next_frame, nr_frames;
static unsigned long *free_frames;
static unsigned long nr_free, free_cap;
static pthread_mutex_t physmem_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t physmem_once = PTHREAD_ONCE_INIT;

static void physmem_init(void)
{
	void *p = mmap(NULL, HOST_PHYS_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return;
	host_phys_arena = p;
	nr_frames = HOST_PHYS_BYTES >> PAGE_SHIFT;
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
	pthread_mutex_lock(&physmem_lock);
	if (nr_free) {
		frame = free_frames[--nr_free];
		reused = true;
	} else if (next_frame < nr_frames) {
		frame = next_frame++;
	} else {
		pthread_mutex_unlock(&physmem_lock);
		return NULL;
	}
	pthread_mutex_unlock(&physmem_lock);
	__atomic_add_fetch(&host_nr_pages, 1, __ATOMIC_RELAXED);
	if ((gfp & __GFP_ZERO) && reused)
		memset(host_phys_arena + (frame << PAGE_SHIFT), 0, PAGE_SIZE);
	return (struct page *)(host_phys_arena + (frame << PAGE_SHIFT));
}

void __free_page(struct page *page)
{
	unsigned long frame = ((char *)page - host_phys_arena) >> PAGE_SHIFT;

	pthread_mutex_lock(&physmem_lock);
	if (nr_free == free_cap) {
		unsigned long cap = free_cap ? free_cap * 2 : 1024;
		unsigned long *f = realloc(free_frames, cap * sizeof(*f));

		if (!f) {			/* lose the frame, never the bookkeeping */
			pthread_mutex_unlock(&physmem_lock);
			__atomic_sub_fetch(&host_nr_pages, 1, __ATOMIC_RELAXED);
			return;
		}
		free_frames = f;
		free_cap = cap;
	}
	free_frames[nr_free++] = frame;
	pthread_mutex_unlock(&physmem_lock);
	__atomic_sub_fetch(&host_nr_pages, 1, __ATOMIC_RELAXED);
}
