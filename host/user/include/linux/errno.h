/* SPDX-License-Identifier: GPL-2.0 */
/* Library host: the kernel's errno numbers (the uapi list, plus kernel-internal codes). */
#ifndef _HOST_USER_LINUX_ERRNO_H
#define _HOST_USER_LINUX_ERRNO_H

#include <asm-generic/errno.h>

#define ENOTSUPP	524

#endif
