// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal VMM-side client, built only with `pkg-config --cflags --libs kvm-coco`: a 1 TiB
 * conversion, then README's conversion loop on a running SNP guest.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <kvm-coco.h>
#include <linux/kvm_coco.h>

#define MEM	(16 * 4096)
#define GPA	0x3000

static int snp_cmd(int vm, int sev, unsigned int id, void *data)
{
	struct kvm_sev_cmd cmd = { .id = id, .data = (unsigned long)data, .sev_fd = sev };

	return kvm_coco_ioctl(vm, KVM_MEMORY_ENCRYPT_OP, &cmd);
}

/* An SNP guest with MEM bytes of guest_memfd memory, all shared, launched, one vCPU. */
static int snp_guest(int sys, int sev, void *shared, int *vcpu)
{
	struct kvm_create_guest_memfd g = { .size = MEM };
	struct kvm_userspace_memory_region2 r = { .flags = KVM_MEM_GUEST_MEMFD, .memory_size = MEM,
						  .userspace_addr = (unsigned long)shared };
	struct kvm_sev_snp_launch_start start = { .policy = (1ull << 17) | (1ull << 16) };
	struct kvm_sev_snp_launch_finish finish = {};
	struct kvm_enable_cap model = { .cap = KVM_CAP_COCO_ENGINE,
					.args = { KVM_COCO_ENGINE_MODEL } };
	struct kvm_sev_init init = {};
	int vm = kvm_coco_ioctl(sys, KVM_CREATE_VM, KVM_X86_SNP_VM);

	/* The model engine: the test plays the guest (KVM_COCO_VCPU_INJECT_ACCESS). */
	if (vm < 0 || kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &model))
		return -1;
	r.guest_memfd = kvm_coco_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &g);
	if ((int)r.guest_memfd < 0 ||
	    kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &r) ||
	    snp_cmd(vm, sev, KVM_SEV_INIT2, &init))
		return -1;
	*vcpu = kvm_coco_ioctl(vm, KVM_CREATE_VCPU, 0);
	if (*vcpu < 0 || snp_cmd(vm, sev, KVM_SEV_SNP_LAUNCH_START, &start) ||
	    snp_cmd(vm, sev, KVM_SEV_SNP_LAUNCH_FINISH, &finish))
		return -1;
	return vm;
}

/* README's loop: the guest touches GPA privately; each memory-fault exit is converted. */
static int conversion_loop(int vm, int vcpu, struct kvm_run *run)
{
	struct kvm_coco_access a = { .gpa = GPA, .flags = KVM_COCO_ACCESS_ENCRYPTED };
	struct kvm_memory_attributes q = { .address = GPA, .size = 4096 };
	int exits = 0;

	if (kvm_coco_ioctl(vcpu, KVM_COCO_VCPU_INJECT_ACCESS, &a))
		return -1;
	while (kvm_coco_ioctl(vcpu, KVM_RUN, 0)) {
		if (errno != EFAULT || run->exit_reason != KVM_EXIT_MEMORY_FAULT)
			return -1;
		struct kvm_memory_attributes m = {
			.address = run->memory_fault.gpa, .size = run->memory_fault.size,
			.attributes = run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE ?
				      KVM_MEMORY_ATTRIBUTE_PRIVATE : 0,
		};
		if (kvm_coco_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &m))
			return -1;
		exits++;
	}
	if (run->exit_reason != KVM_EXIT_HLT || exits != 1 ||
	    kvm_coco_ioctl(vm, KVM_COCO_GET_MEMORY_ATTRIBUTES, &q) ||
	    q.attributes != KVM_MEMORY_ATTRIBUTE_PRIVATE)
		return -1;
	return 0;
}

static int test_conversion_loop(void)
{
	int sys = kvm_coco_open(), sev = kvm_coco_open_sev(), vm, vcpu = -1, r = -1;
	void *shared = mmap(NULL, MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct kvm_run *run;

	if (sys < 0 || sev < 0 || shared == MAP_FAILED)
		return -1;
	vm = snp_guest(sys, sev, shared, &vcpu);
	run = vcpu < 0 ? MAP_FAILED : kvm_coco_mmap(NULL, sizeof(*run), PROT_READ | PROT_WRITE,
						    MAP_SHARED, vcpu, 0);
	if (vm >= 0 && run != MAP_FAILED) {
		r = conversion_loop(vm, vcpu, run);
		munmap(run, sizeof(*run));
	}
	/* The guest_memfd goes with the process: its descriptor was not kept. */
	if (vcpu >= 0)
		kvm_coco_close(vcpu);
	if (vm >= 0)
		kvm_coco_close(vm);
	kvm_coco_close(sev);
	kvm_coco_close(sys);
	munmap(shared, MEM);
	return r;
}

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
	if (test_conversion_loop()) {
		printf("not ok 2 README's conversion loop: %s\n", strerror(errno));
		return 1;
	}
	printf("ok 2 README's conversion loop\n");
	return 0;
}
