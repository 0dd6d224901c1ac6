/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_REFCOUNT_H
#define _HOST_USER_LINUX_REFCOUNT_H

#include <linux/types.h>
#include <linux/bug.h>

typedef struct {
	int refs;
} refcount_t;

static inline void refcount_set(refcount_t *r, int n)
{
	__atomic_store_n(&r->refs, n, __ATOMIC_RELEASE);
}

static inline void refcount_inc(refcount_t *r)
{
	WARN_ON(__atomic_fetch_add(&r->refs, 1, __ATOMIC_RELAXED) <= 0);
}

static inline bool refcount_dec_and_test(refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs, 1, __ATOMIC_ACQ_REL);

	WARN_ON(old <= 0);
	return old == 1;
}

static inline int refcount_read(const refcount_t *r)
{
	return __atomic_load_n(&r->refs, __ATOMIC_RELAXED);
}

#endif
