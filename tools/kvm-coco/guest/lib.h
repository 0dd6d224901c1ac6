/* SPDX-License-Identifier: GPL-2.0 */
/* What guest code has instead of libc (the compiler may call these itself). */
#ifndef KVM_COCO_GUEST_LIB_H
#define KVM_COCO_GUEST_LIB_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

#endif
