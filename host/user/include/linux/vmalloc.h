/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: vmalloc_user() memory lives in its own shared mapping, so that
 * remap_vmalloc_range() can map the same pages into a client's address space, as the kernel
 * does for the kvm_run page of a vCPU.
 */
#ifndef _HOST_USER_LINUX_VMALLOC_H
#define _HOST_USER_LINUX_VMALLOC_H

#include <linux/fs.h>

void *vmalloc_user(unsigned long size);
void vfree(const void *addr);
int remap_vmalloc_range(struct vm_area_struct *vma, void *addr, unsigned long pgoff);

#endif
