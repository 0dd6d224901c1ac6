/* SPDX-License-Identifier: GPL-2.0 */
/* Library host: the kernel's random source is the host kernel's (getrandom(2)). */
#ifndef _HOST_USER_LINUX_RANDOM_H
#define _HOST_USER_LINUX_RANDOM_H

#include <linux/types.h>

void get_random_bytes(void *buf, size_t len);

#endif
