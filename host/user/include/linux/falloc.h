/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_LINUX_FALLOC_H
#define _HOST_USER_LINUX_FALLOC_H

#include_next <linux/falloc.h>	/* the uapi FALLOC_FL_* bits */

#endif
