/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_ERR_H
#define _HOST_USER_LINUX_ERR_H

#include <linux/compiler.h>

#define MAX_ERRNO	4095

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return unlikely((unsigned long)ptr >= (unsigned long)-MAX_ERRNO);
}

#endif
