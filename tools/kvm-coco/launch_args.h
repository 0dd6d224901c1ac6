/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVM_COCO_LAUNCH_ARGS_H
#define KVM_COCO_LAUNCH_ARGS_H

/*
 * The launch description shared by `kvm-coco measure` and `kvm-coco launch`:
 * --type snp --mem SIZE --vcpus N [--vmsa FILE] then, in order, --load GPA:FILE,
 * --zero GPA:LEN, --unmeasured GPA:LEN, --secrets GPA, --cpuid GPA;
 * or --type tdx --mem SIZE --vcpus N then --load GPA:FILE[:unmeasured] ...
 */

#include <stdbool.h>

/* SNP firmware page types. */
enum {
	LAUNCH_PAGE_NORMAL = 1,
	LAUNCH_PAGE_VMSA = 2,
	LAUNCH_PAGE_ZERO = 3,
	LAUNCH_PAGE_UNMEASURED = 4,
	LAUNCH_PAGE_SECRETS = 5,
	LAUNCH_PAGE_CPUID = 6,
};

struct launch_step {
	unsigned int type;
	unsigned long long gpa;
	unsigned long long len;		/* bytes, a whole number of pages */
	unsigned char *data;		/* NORMAL: the file, zero-padded to len */
};

struct launch_args {
	bool tdx;			/* --type tdx: pages are PAGE.ADDed, NORMAL = measured */
	unsigned long long mem;
	unsigned int vcpus;
	bool vmsa_given;		/* --vmsa: a file, not the built-in reset-state VMSA */
	unsigned char vmsa[4096];	/* every vCPU's VMSA page */
	struct launch_step *steps;
	unsigned int nr_steps;
};

int launch_args_parse(struct launch_args *a, int argc, char **argv, const char *cmd);
void launch_args_free(struct launch_args *a);
void launch_step_page(const struct launch_step *s, unsigned long long off, unsigned char *page);

#endif
