/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: copies to and from "user" memory fault-safely, so a bad pointer from a client
 * is -EFAULT as in the kernel, never a crash.  Both return the number of bytes NOT copied.
 */
#ifndef _HOST_USER_LINUX_UACCESS_H
#define _HOST_USER_LINUX_UACCESS_H

#include <linux/types.h>

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);

/* The x86-64 user address limit (TASK_SIZE_MAX with 4-level paging). */
#define TASK_SIZE_MAX	((1UL << 47) - PAGE_SIZE_USER)
#define PAGE_SIZE_USER	4096UL

static inline bool access_ok(const void __user *addr, unsigned long size)
{
	unsigned long a = (unsigned long)addr;

	return size <= TASK_SIZE_MAX && a <= TASK_SIZE_MAX - size;
}

#endif
