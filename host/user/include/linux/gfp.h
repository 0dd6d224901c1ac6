/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_GFP_H
#define _HOST_USER_LINUX_GFP_H

#include <linux/types.h>

#define __GFP_ZERO		0x100u
#define __GFP_ACCOUNT		0x400u
#define __GFP_NOFAIL		0x8000u	/* small allocations that must not fail */
#define GFP_KERNEL		0x0cc0u
#define GFP_NOWAIT		0x0800u
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)

#endif
