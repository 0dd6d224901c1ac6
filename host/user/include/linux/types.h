/* SPDX-License-Identifier: GPL-2.0 */
/* Library host: the kernel's fixed-width and core types. */
#ifndef _HOST_USER_LINUX_TYPES_H
#define _HOST_USER_LINUX_TYPES_H

#include_next <linux/types.h>	/* the uapi __u8 .. __u64 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef long loff_t;		/* glibc's on x86-64; the same width as the kernel's */
typedef long ssize_t;		/* glibc's on x86-64 */
typedef unsigned int gfp_t;
#define pgoff_t unsigned long		/* as the kernel's linux/types.h */

#define __user
#define __must_check	__attribute__((warn_unused_result))
#define __always_unused	__attribute__((unused))
#define __maybe_unused	__attribute__((unused))
#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))

#endif
