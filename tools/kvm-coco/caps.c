// SPDX-License-Identifier: GPL-2.0
/* kvm-coco caps: what this kvm-coco supports, asked through KVM_CHECK_EXTENSION. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <kvm-coco.h>
#include <linux/kvm_coco.h>

#include "cli.h"

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kvm-coco: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static const char *const vm_type_names[] = {
	[KVM_X86_DEFAULT_VM]		= "DEFAULT",
	[KVM_X86_SW_PROTECTED_VM]	= "SW_PROTECTED",
	[KVM_X86_SEV_VM]		= "SEV",
	[KVM_X86_SEV_ES_VM]		= "SEV_ES",
	[KVM_X86_SNP_VM]		= "SNP",
	[KVM_X86_TDX_VM]		= "TDX",
};

static const struct {
	int cap;
	const char *name;
} caps[] = {
	{ KVM_CAP_USER_MEMORY2,		"USER_MEMORY2" },
	{ KVM_CAP_MEMORY_FAULT_INFO,	"MEMORY_FAULT_INFO" },
	{ KVM_CAP_MEMORY_ATTRIBUTES,	"MEMORY_ATTRIBUTES" },
	{ KVM_CAP_GUEST_MEMFD,		"GUEST_MEMFD" },
	{ KVM_CAP_VM_TYPES,		"VM_TYPES" },
	{ KVM_CAP_NR_MEMSLOTS,		"NR_MEMSLOTS" },
	{ KVM_CAP_MAX_VCPUS,		"MAX_VCPUS" },
	{ KVM_CAP_EXIT_HYPERCALL,	"EXIT_HYPERCALL" },
	{ KVM_CAP_IMMEDIATE_EXIT,	"IMMEDIATE_EXIT" },
	{ KVM_CAP_COCO_ENGINE,		"COCO_ENGINE (ours)" },
};

int cmd_caps(int argc, char **argv)
{
	int sys, types;
	unsigned int i;

	if (argc > 1)
		return cli_error("caps: unexpected argument '%s'", argv[1]);
	sys = kvm_coco_open();
	if (sys < 0)
		return cli_error("cannot open kvm-coco: %s", strerror(errno));

	types = kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES);
	printf("vm types:");
	for (i = 0; i < sizeof(vm_type_names) / sizeof(vm_type_names[0]); i++)
		if (types & (1 << i))
			printf(" %s(%u)", vm_type_names[i], i);
	printf("\n");
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		printf("%-20s %d\n", caps[i].name,
		       kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, caps[i].cap));
	kvm_coco_close(sys);
	return 0;
}
