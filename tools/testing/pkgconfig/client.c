// SPDX-License-Identifier: GPL-2.0
/* A minimal VMM-side client, built only with `pkg-config --cflags --libs kvm-coco`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <kvm-coco.h>

int main(void)
{
	int sys = kvm_coco_open();
	int vm = sys < 0 ? -1 : kvm_coco_ioctl(sys, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);
	struct kvm_memory_attributes attr = {
		.address = 0, .size = 1ull << 40, .attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE,
	};

	if (vm < 0 || kvm_coco_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &attr)) {
		printf("not ok 1 pkg-config client: %s\n", strerror(errno));
		return 1;
	}
	kvm_coco_close(vm);
	kvm_coco_close(sys);
	printf("ok 1 pkg-config client\n");
	return 0;
}
