// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's side of ucalls and hypercalls.  Everything here runs in the guest: no libc, no
 * sanitizer, no stack protector (GUEST_CODE).
 */
#include "guest.h"

/* The struct lives on the guest's stack, which the host reads through the identity map. */
GUEST_CODE void ucall(uint64_t cmd, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		      uint64_t a4)
{
	volatile struct ucall uc;

	uc.cmd = cmd;
	uc.args[0] = a0;
	uc.args[1] = a1;
	uc.args[2] = a2;
	uc.args[3] = a3;
	uc.args[4] = a4;
	asm volatile("out %%al, %%dx"
		     : : "a"(0), "d"(UCALL_PIO_PORT), "D"(&uc) : "memory");
}
