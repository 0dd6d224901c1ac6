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

/* x86-64 with 4-level paging: a user range must end at or below 2^47 (as 6.12 answers). */
#define USER_ADDR_LIMIT	(1UL << 47)

static inline bool access_ok(const void __user *addr, unsigned long size)
{
	unsigned long a = (unsigned long)addr;

	return size <= USER_ADDR_LIMIT && a <= USER_ADDR_LIMIT - size;
}

#endif
