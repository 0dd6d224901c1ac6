// SPDX-License-Identifier: GPL-2.0
/* Library host: kmalloc, pages and vmalloc_user areas, counted, with failure injection. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "host_user.h"

static long nr_allocs, nr_vmallocs, fail_countdown;
static int fail_fired;
extern long host_nr_pages;
extern long host_nr_files, host_nr_warnings;

bool host_should_fail_alloc(void)
{
	long left = __atomic_load_n(&fail_countdown, __ATOMIC_RELAXED);

	if (left <= 0 || __atomic_sub_fetch(&fail_countdown, 1, __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&fail_fired, 1, __ATOMIC_RELAXED);
	return true;
}

void host_fail_alloc_after(long n)
{
	__atomic_store_n(&fail_countdown, n, __ATOMIC_RELAXED);
	__atomic_store_n(&fail_fired, 0, __ATOMIC_RELAXED);
}

bool host_alloc_failed(void)
{
	return __atomic_exchange_n(&fail_fired, 0, __ATOMIC_RELAXED);
}

void host_get_counters(struct host_counters *c)
{
	c->allocs = __atomic_load_n(&nr_allocs, __ATOMIC_RELAXED);
	c->pages = __atomic_load_n(&host_nr_pages, __ATOMIC_RELAXED);
	c->vmallocs = __atomic_load_n(&nr_vmallocs, __ATOMIC_RELAXED);
	c->files = __atomic_load_n(&host_nr_files, __ATOMIC_RELAXED);
	c->warnings = __atomic_load_n(&host_nr_warnings, __ATOMIC_RELAXED);
}

void *kmalloc(size_t size, gfp_t flags)
{
	void *p;

	if (host_should_fail_alloc())
		return NULL;
	p = (flags & __GFP_ZERO) ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	if (p)
		__atomic_add_fetch(&nr_allocs, 1, __ATOMIC_RELAXED);
	return p;
}

void kfree(const void *p)
{
	if (!p)
		return;
	__atomic_sub_fetch(&nr_allocs, 1, __ATOMIC_RELAXED);
	free((void *)p);
}

/* vmalloc_user(): each area is its own memfd mapping so it can be mapped again. */
struct vmalloc_area {
	void *addr;
	unsigned long size;
	int memfd;
	struct vmalloc_area *next;
};

static pthread_mutex_t vmalloc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vmalloc_area *vmalloc_areas;

void *vmalloc_user(unsigned long size)
{
	struct vmalloc_area *a;

	if (host_should_fail_alloc())
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->size = ALIGN(size, PAGE_SIZE);
	a->memfd = memfd_create("kvm-coco-vmalloc", MFD_CLOEXEC);
	if (a->memfd < 0)
		goto err_free;
	if (ftruncate(a->memfd, a->size))
		goto err_close;
	a->addr = mmap(NULL, a->size, PROT_READ | PROT_WRITE, MAP_SHARED, a->memfd, 0);
	if (a->addr == MAP_FAILED)
		goto err_close;

	pthread_mutex_lock(&vmalloc_lock);
	a->next = vmalloc_areas;
	vmalloc_areas = a;
	pthread_mutex_unlock(&vmalloc_lock);
	__atomic_add_fetch(&nr_vmallocs, 1, __ATOMIC_RELAXED);
	return a->addr;

err_close:
	close(a->memfd);
err_free:
	free(a);
	return NULL;
}

static struct vmalloc_area **vmalloc_find_locked(const void *addr)
{
	struct vmalloc_area **pp;

	for (pp = &vmalloc_areas; *pp; pp = &(*pp)->next)
		if ((*pp)->addr == addr)
			return pp;
	return NULL;
}

void vfree(const void *addr)
{
	struct vmalloc_area **pp, *a;

	if (!addr)
		return;
	pthread_mutex_lock(&vmalloc_lock);
	pp = vmalloc_find_locked(addr);
	a = pp ? *pp : NULL;
	if (a)
		*pp = a->next;
	pthread_mutex_unlock(&vmalloc_lock);
	if (WARN_ON(!a))
		return;
	munmap(a->addr, a->size);
	close(a->memfd);
	free(a);
	__atomic_sub_fetch(&nr_vmallocs, 1, __ATOMIC_RELAXED);
}

int remap_vmalloc_range(struct vm_area_struct *vma, void *addr, unsigned long pgoff)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	struct vmalloc_area **pp;
	int prot = (int)vma->vm_flags;
	void *p;
	int r = -EINVAL;

	pthread_mutex_lock(&vmalloc_lock);
	pp = vmalloc_find_locked(addr);
	if (pp && (pgoff << PAGE_SHIFT) + len <= (*pp)->size) {
		p = mmap((void *)vma->vm_start, len, prot, MAP_SHARED | MAP_FIXED, (*pp)->memfd,
			 pgoff << PAGE_SHIFT);
		r = p == MAP_FAILED ? -ENOMEM : 0;
	}
	pthread_mutex_unlock(&vmalloc_lock);
	return r;
}
