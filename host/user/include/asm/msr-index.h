/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_ASM_MSR_INDEX_H
#define _HOST_USER_ASM_MSR_INDEX_H

#define MSR_EFER		0xc0000080
#define MSR_AMD64_SEV_ES_GHCB	0xc0010130
#define MSR_AMD64_SEV		0xc0010131
#define MSR_AMD64_SEV_ENABLED		(1UL << 0)
#define MSR_AMD64_SEV_ES_ENABLED	(1UL << 1)
#define MSR_AMD64_SEV_SNP_ENABLED	(1UL << 2)

#define EFER_LME	(1UL << 8)
#define EFER_LMA	(1UL << 10)
#define EFER_SVME	(1UL << 12)

#endif
