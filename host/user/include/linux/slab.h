/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: kmalloc and friends.  Every allocation is counted so tests can prove nothing
 * leaks, and the Nth allocation can be made to fail so error paths get exercised.
 */
#ifndef _HOST_USER_LINUX_SLAB_H
#define _HOST_USER_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>

void *kmalloc(size_t size, gfp_t flags);
void kfree(const void *p);

static inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kzalloc(bytes, flags);
}

#define kvmalloc(s, f)		kmalloc(s, f)
#define kvzalloc(s, f)		kzalloc(s, f)
#define kvcalloc(n, s, f)	kcalloc(n, s, f)
#define kvfree(p)		kfree(p)

#endif
