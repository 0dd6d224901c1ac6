/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_SORT_H
#define _HOST_USER_LINUX_SORT_H

#include <stdlib.h>

/* The kernel's sort() with a NULL swap function: qsort() has the same contract. */
static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *), void *swap_func)
{
	qsort(base, num, size, cmp);
}

#endif
