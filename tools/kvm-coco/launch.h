/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVM_COCO_LAUNCH_H
#define KVM_COCO_LAUNCH_H

#include <linux/kvm_coco.h>

#include "launch_args.h"

struct launch_result {
	unsigned char digest[48];
	unsigned long long pages;		/* pages launched, VMSAs included */
	double seconds;
	struct kvm_coco_trace_entry *trace;	/* the VM's RMP transitions, oldest first */
	unsigned int nr_trace;
	unsigned long long trace_dropped;
};

/* Launch an SNP guest as described, through the ioctl ABI; 0 or 1 (error printed). */
int launch_run(const struct launch_args *a, struct launch_result *res);

const char *launch_rmp_op_name(unsigned int op);
void launch_print_trace(FILE *out, const struct launch_result *res);

#endif
