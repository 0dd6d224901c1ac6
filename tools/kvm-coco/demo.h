/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVM_COCO_DEMO_H
#define KVM_COCO_DEMO_H

#include <linux/kvm.h>

struct demo_vcpu {
	int fd;
	struct kvm_run *run;
};

/* demo.c: the VMM's side of a KVM_HC_MAP_GPA_RANGE exit (print, convert, answer 0). */
int demo_convert(int vm, struct kvm_run *run);

/* demo_guest.c: a real guest program on the TCG engine, its memory the shared side @mem. */
int demo_guest_run(int vm, struct demo_vcpu *v, unsigned char *mem);

#endif
