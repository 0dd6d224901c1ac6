/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_MEMBLOCK_H
#define _HOST_USER_LINUX_MEMBLOCK_H

/* One past the highest PFN of (model) physical memory; host/user/physmem.c sets it. */
extern unsigned long max_pfn;

#endif
