/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_USER_H
#define _HOST_USER_H

/*
 * Library host internals shared by its files (and lib/'s); the hooks it offers tests are
 * <kvm-coco-test.h>.
 */

#include <stdbool.h>
#include <stddef.h>

#include "../../include/kvm-coco-test.h"

bool host_should_fail_alloc(void);

void host_physmem_init(void);
void host_tsc_init(void);		/* tsc_khz, measured once */
/* tcg.c: offer the TCG engine (KVM_COCO_ENGINE_TCG) */
void host_tcg_register(void);

/*
 * The front door (lib/): kvm-coco's file behind @fd with a reference (fput() it), or NULL if
 * @fd is not ours; and, after a close, releasing the files no descriptor names any more.
 */
struct file;
struct file *host_fget(int fd);
void host_file_reap(void);
/* signal.c: a handler ran during KVM_RUN on this thread (async-signal-safe); KVM_RUN is over. */
void host_signal_arrived(void);
void host_signal_clear(void);

#endif
