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

/*
 * As x86-64 6.12 with 4-level paging: USER_PTR_MAX is TASK_SIZE_MAX, 2^47 less the guard page,
 * and a range is fine when its end is at most that (a range of at most a page, known at
 * compile time, only needs its start there: the guard page catches the rest).  So the last
 * page below 2^47 cannot be named; kvm_coco.ko in a 6.12 kernel answers the same.
 */
#define USER_PTR_MAX	((1UL << 47) - 4096)

static inline bool access_ok(const void __user *addr, unsigned long size)
{
	unsigned long a = (unsigned long)addr, end = a + size;

	if (__builtin_constant_p(size <= 4096) && size <= 4096)
		return a <= USER_PTR_MAX;
	return end <= USER_PTR_MAX && end >= a;
}

#endif
