// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-coco demo: what `make run` shows.  Create a software-protected VM, back 16 MiB of guest
 * memory with a guest_memfd, convert some ranges between private and shared as a VMM answering
 * guest requests would, and print the resulting attribute map.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <kvm-coco.h>
#include <linux/kvm_coco.h>

#include "cli.h"

#define DEMO_MEM	(16ul << 20)

static int demo_convert(int vm, unsigned long gpa, unsigned long size, bool private)
{
	struct kvm_memory_attributes attr = {
		.address = gpa,
		.size = size,
		.attributes = private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0,
	};

	printf("  convert [0x%08lx, 0x%08lx) to %s\n", gpa, gpa + size,
	       private ? "private" : "shared");
	if (kvm_coco_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &attr))
		return cli_error("KVM_SET_MEMORY_ATTRIBUTES: %s", strerror(errno));
	return 0;
}

static int demo_print_map(int vm)
{
	unsigned long gpa = 0;

	printf("attribute map of [0, %#lx):\n", DEMO_MEM);
	while (gpa < DEMO_MEM) {
		struct kvm_memory_attributes q = { .address = gpa, .size = DEMO_MEM - gpa };

		if (kvm_coco_ioctl(vm, KVM_COCO_GET_MEMORY_ATTRIBUTES, &q))
			return cli_error("KVM_COCO_GET_MEMORY_ATTRIBUTES: %s", strerror(errno));
		printf("  [0x%08lx, 0x%08lx) %s\n", gpa, gpa + (unsigned long)q.size,
		       q.attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE ? "private" : "shared");
		gpa += q.size;
	}
	return 0;
}

static int demo_setup(int vm, void *shared)
{
	struct kvm_create_guest_memfd gmem = { .size = DEMO_MEM };
	struct kvm_userspace_memory_region2 region = {
		.slot = 0,
		.flags = KVM_MEM_GUEST_MEMFD,
		.guest_phys_addr = 0,
		.memory_size = DEMO_MEM,
		.userspace_addr = (unsigned long)shared,
	};
	int fd = kvm_coco_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &gmem);

	if (fd < 0)
		return cli_error("KVM_CREATE_GUEST_MEMFD: %s", strerror(errno));
	region.guest_memfd = fd;
	if (kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &region))
		return cli_error("KVM_SET_USER_MEMORY_REGION2: %s", strerror(errno));
	printf("SW_PROTECTED VM: slot 0 = %lu MiB at gpa 0, shared side at %p, private side "
	       "guest_memfd %d\n", DEMO_MEM >> 20, shared, fd);
	return fd;
}

int cmd_demo(int argc, char **argv)
{
	void *shared;
	int sys, vm, gmem, r = 1;

	if (argc > 1)
		return cli_error("demo: unexpected argument '%s'", argv[1]);
	shared = mmap(NULL, DEMO_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return cli_error("mmap: %s", strerror(errno));
	sys = kvm_coco_open();
	if (sys < 0)
		return cli_error("cannot open kvm-coco: %s", strerror(errno));
	vm = kvm_coco_ioctl(sys, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);
	if (vm < 0) {
		cli_error("KVM_CREATE_VM: %s", strerror(errno));
		goto out_sys;
	}
	gmem = demo_setup(vm, shared);
	if (gmem < 0)
		goto out_vm;

	printf("guest requests, as the VMM converts them:\n");
	if (demo_convert(vm, 0x100000, 0x400000, true) ||	/* kernel image */
	    demo_convert(vm, 0x200000, 0x10000, false) ||	/* a shared bounce buffer */
	    demo_convert(vm, 0x800000, 0x800000, true) ||	/* the rest of RAM */
	    demo_convert(vm, 0xf00000, 0x1000, false))		/* a shared ring page */
		goto out_gmem;
	r = demo_print_map(vm);
out_gmem:
	kvm_coco_close(gmem);
out_vm:
	kvm_coco_close(vm);
out_sys:
	kvm_coco_close(sys);
	munmap(shared, DEMO_MEM);
	return r;
}
