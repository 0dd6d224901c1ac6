/* SPDX-License-Identifier: LGPL-2.1 */
#ifndef _KVM_COCO_H
#define _KVM_COCO_H

/*
 * The library front door.  A VMM written for upstream KVM ports by replacing open("/dev/kvm")
 * with kvm_coco_open() and ioctl(), fallocate() and mmap() on the descriptors it hands out
 * with the calls below; they have the system calls' semantics (-1 and errno).  Every
 * descriptor is a real descriptor of the process; close it with kvm_coco_close() so the object
 * behind it is released when its last descriptor goes.
 */

#include <sys/types.h>
#include <linux/kvm.h>

#ifdef __cplusplus
extern "C" {
#endif

int kvm_coco_open(void);
int kvm_coco_ioctl(int fd, unsigned long request, ...);
int kvm_coco_close(int fd);
int kvm_coco_fallocate(int fd, int mode, off_t offset, off_t len);
void *kvm_coco_mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);

#ifdef __cplusplus
}
#endif

#endif
