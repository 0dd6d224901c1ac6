/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_ATOMIC_H
#define _HOST_USER_LINUX_ATOMIC_H

/* The kernel's cmpxchg(): store @new if *@ptr is @old; returns what *@ptr was. */
#define cmpxchg(ptr, old, new) ({						\
	typeof(*(ptr)) __old = (old);						\
	__atomic_compare_exchange_n(ptr, &__old, new, false, __ATOMIC_SEQ_CST,	\
				    __ATOMIC_SEQ_CST);				\
	__old;									\
})

typedef struct {
	long counter;
} atomic_long_t;

static inline void atomic_long_inc(atomic_long_t *v)
{
	__atomic_add_fetch(&v->counter, 1, __ATOMIC_RELAXED);
}

static inline long atomic_long_read(const atomic_long_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

#endif
