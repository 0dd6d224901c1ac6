/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_STRING_H
#define _HOST_USER_LINUX_STRING_H

#include <linux/types.h>

#define memcpy(d, s, n)		__builtin_memcpy(d, s, n)
#define memset(d, c, n)		__builtin_memset(d, c, n)
#define memcmp(a, b, n)		__builtin_memcmp(a, b, n)
#define memmove(d, s, n)	__builtin_memmove(d, s, n)
#define strlen(s)		__builtin_strlen(s)

/* The first byte of @p[0..n) that is not @c, or NULL (the kernel's lib/string.c). */
static inline void *memchr_inv(const void *p, int c, size_t n)
{
	const u8 *b = p;

	for (; n; n--, b++)
		if (*b != (u8)c)
			return (void *)b;
	return NULL;
}

/* Clear a secret where the compiler cannot prove the store dead and drop it. */
static inline void memzero_explicit(void *p, size_t n)
{
	__builtin_memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

#endif
