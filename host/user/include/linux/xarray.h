/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: the part of the kernel's xarray API kvm-coco uses, over a 64-way radix tree.
 * Like the kernel's, it has no internal lock: callers serialise with their own.
 */
#ifndef _HOST_USER_LINUX_XARRAY_H
#define _HOST_USER_LINUX_XARRAY_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/errno.h>

struct xarray {
	void *xa_head;
	unsigned int xa_height;
};

#define DEFINE_XARRAY(name)	struct xarray name = { NULL, 0 }

#define XA_PRESENT	0
#define XA_ERROR_TAG	2UL

static inline void xa_init(struct xarray *xa)
{
	xa->xa_head = NULL;
	xa->xa_height = 0;
}

static inline bool xa_empty(const struct xarray *xa)
{
	return xa->xa_head == NULL;
}

/* An integer stored as an entry (below LONG_MAX), tagged in bit 0 as the kernel's. */
static inline void *xa_mk_value(unsigned long v)
{
	return (void *)((v << 1) | 1);
}

static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

static inline void *xa_mk_err(int err)
{
	return (void *)(((unsigned long)(long)err << 2) | XA_ERROR_TAG);
}

static inline bool xa_is_err(const void *entry)
{
	return ((unsigned long)entry & 3) == XA_ERROR_TAG && (long)entry < 0;
}

static inline int xa_err(const void *entry)
{
	return xa_is_err(entry) ? (int)((long)entry >> 2) : 0;
}

void *xa_load(struct xarray *xa, unsigned long index);
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max, unsigned int filter);
void *xa_find_after(struct xarray *xa, unsigned long *index, unsigned long max,
		    unsigned int filter);
void xa_destroy(struct xarray *xa);

#define xa_for_each_range(xa, index, entry, start, last)			\
	for (index = start, entry = xa_find(xa, &index, last, XA_PRESENT);	\
	     entry; entry = xa_find_after(xa, &index, last, XA_PRESENT))

#define xa_for_each(xa, index, entry) \
	xa_for_each_range(xa, index, entry, 0, ULONG_MAX)

#endif
