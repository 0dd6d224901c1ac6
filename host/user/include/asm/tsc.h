/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_ASM_TSC_H
#define _HOST_USER_ASM_TSC_H

/* The host's TSC rate in kHz, as the kernel's (host/user/tsc.c measures it at start-up). */
extern unsigned int tsc_khz;

#endif
