/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_ASM_MSR_INDEX_H
#define _HOST_USER_ASM_MSR_INDEX_H

#define EFER_LME	(1UL << 8)
#define EFER_LMA	(1UL << 10)
#define EFER_SVME	(1UL << 12)

#endif
