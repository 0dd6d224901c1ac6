/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_ASM_PROCESSOR_FLAGS_H
#define _HOST_USER_ASM_PROCESSOR_FLAGS_H

#define X86_EFLAGS_CF	(1UL << 0)
#define X86_EFLAGS_FIXED	(1UL << 1)
#define X86_EFLAGS_TF	(1UL << 8)
#define X86_EFLAGS_IF	(1UL << 9)
#define X86_EFLAGS_NT	(1UL << 14)
#define X86_EFLAGS_RF	(1UL << 16)
#define X86_EFLAGS_VM	(1UL << 17)
#define X86_CR0_PE	(1UL << 0)
#define X86_CR0_NE	(1UL << 5)
#define X86_CR0_WP	(1UL << 16)
#define X86_CR0_NW	(1UL << 29)
#define X86_CR0_CD	(1UL << 30)
#define X86_CR0_PG	(1UL << 31)
#define X86_CR4_PAE	(1UL << 5)
#define X86_CR4_MCE	(1UL << 6)

#endif
