/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_COMPILER_H
#define _HOST_USER_LINUX_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
/*
 * The kernel's: one access the compiler neither tears nor repeats.  Here relaxed atomics,
 * which compile to the same plain moves and tell ThreadSanitizer the race is meant.
 */
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define fallthrough	__attribute__((__fallthrough__))
#define noinline	__attribute__((noinline))

#endif
