/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_COCO_KVM_TYPES_H
#define __KVM_COCO_KVM_TYPES_H

#include <linux/types.h>

typedef u64 gfn_t;
typedef u64 gpa_t;
typedef u64 hva_t;

#endif
