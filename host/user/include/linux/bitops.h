/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_BITOPS_H
#define _HOST_USER_LINUX_BITOPS_H

#define hweight64(w)	((unsigned int)__builtin_popcountll(w))

/* The index of the lowest set bit; @word must not be zero. */
static inline unsigned long __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}

/* The non-atomic bit set of the kernel: the caller holds the lock that guards @addr. */
static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[nr / (8 * sizeof(long))] |= 1UL << (nr % (8 * sizeof(long)));
}

#endif
