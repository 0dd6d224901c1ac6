/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_LINUX_KVM_COCO_H
#define _UAPI_LINUX_KVM_COCO_H

/*
 * kvm-coco's own extensions to the KVM ABI.  They use ioctl numbers upstream KVM does not
 * (KVMIO 0xf0 and up), so they can never be mistaken for an upstream request.
 */

#include <linux/kvm.h>

/*
 * Read back memory attributes.  In: address (page aligned), size (non-zero, page aligned, the
 * most to scan), attributes and flags zero.  Out: attributes of the page at address, and in
 * size the length of the run of pages from address with those same attributes, at most the
 * size passed in.  Walking the map is a loop of these calls.
 */
#define KVM_COCO_GET_MEMORY_ATTRIBUTES	_IOWR(KVMIO, 0xf0, struct kvm_memory_attributes)

#endif
