/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_KTIME_H
#define _HOST_USER_LINUX_KTIME_H

#include <linux/types.h>

/* CLOCK_MONOTONIC in nanoseconds, as the kernel's ktime_get_ns(). */
u64 ktime_get_ns(void);

#endif
