/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: WARN_ON() prints and counts (tests assert the count stays zero, as a kernel
 * test run fails on a WARNING in dmesg); BUG_ON() aborts.
 */
#ifndef _HOST_USER_LINUX_BUG_H
#define _HOST_USER_LINUX_BUG_H

#include <linux/compiler.h>

void host_warn(const char *file, int line, const char *cond);
void host_bug(const char *file, int line, const char *cond) __attribute__((noreturn));

#define WARN_ON(c) ({ int __c = !!(c); if (unlikely(__c)) host_warn(__FILE__, __LINE__, #c); \
		     unlikely(__c); })
#define WARN_ON_ONCE(c)	WARN_ON(c)
#define BUG_ON(c)	do { if (unlikely(c)) host_bug(__FILE__, __LINE__, #c); } while (0)
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)
#define static_assert(e, ...)	_Static_assert(e, #e)

#endif
