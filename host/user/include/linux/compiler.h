/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_COMPILER_H
#define _HOST_USER_LINUX_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
#define fallthrough	__attribute__((__fallthrough__))
#define noinline	__attribute__((noinline))

#endif
