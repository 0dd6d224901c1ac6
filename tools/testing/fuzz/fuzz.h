/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KVM_COCO_FUZZ_H
#define _KVM_COCO_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point: one input, run and checked (kvm_coco_fuzz.c). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A finding: the reason on stderr, then abort() (a crash to libFuzzer, a failure to replay). */
void fuzz_fail(const char *why) __attribute__((noreturn));

#endif
