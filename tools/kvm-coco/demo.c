// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-coco demo: what `make run` shows.  Create a software-protected VM, back 16 MiB of guest
 * memory with a guest_memfd, and let its vCPU ask for conversions with the
 * KVM_HC_MAP_GPA_RANGE hypercall: each one exits from KVM_RUN, and the demo, as the VMM,
 * converts and answers; then print the resulting attribute map.  Where the host has the TCG
 * engine the vCPU runs a real guest program (demo_guest.c); elsewhere (the kernel module)
 * the demo plays the guest's hypercalls on the model engine.  Then launch an SNP guest and
 * build a TD through KVM_MEMORY_ENCRYPT_OP, each checked against what `measure` predicts.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <kvm-coco.h>
#include <linux/kvm_coco.h>
#include <linux/kvm_para.h>

#include "cli.h"
#include "demo.h"
#include "launch.h"

#define DEMO_MEM	(16ul << 20)

/* The VMM's side of a KVM_HC_MAP_GPA_RANGE exit: convert, and answer 0. */
int demo_convert(int vm, struct kvm_run *run)
{
	unsigned long gpa = run->hypercall.args[0], size = run->hypercall.args[1] << 12;
	bool private = run->hypercall.args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED;
	struct kvm_memory_attributes attr = {
		.address = gpa,
		.size = size,
		.attributes = private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0,
	};

	printf("  KVM_EXIT_HYPERCALL MAP_GPA_RANGE [0x%08lx, 0x%08lx) %-7s -> converted\n",
	       gpa, gpa + size, private ? "private" : "shared");
	if (kvm_coco_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &attr))
		return cli_error("KVM_SET_MEMORY_ATTRIBUTES: %s", strerror(errno));
	run->hypercall.ret = 0;
	return 0;
}

/* The guest asks for [gpa, gpa + size) to become private or shared; KVM_RUN until it halts. */
static int demo_guest_map(int vm, struct demo_vcpu *v, unsigned long gpa, unsigned long size,
			  bool private)
{
	struct kvm_regs regs;

	if (kvm_coco_ioctl(v->fd, KVM_GET_REGS, &regs))
		return cli_error("KVM_GET_REGS: %s", strerror(errno));
	regs.rax = KVM_HC_MAP_GPA_RANGE;
	regs.rbx = gpa;
	regs.rcx = size >> 12;
	regs.rdx = private ? KVM_MAP_GPA_RANGE_ENCRYPTED : KVM_MAP_GPA_RANGE_DECRYPTED;
	if (kvm_coco_ioctl(v->fd, KVM_SET_REGS, &regs) ||
	    kvm_coco_ioctl(v->fd, KVM_COCO_VCPU_INJECT_VMMCALL, 0))
		return cli_error("guest VMMCALL: %s", strerror(errno));
	for (;;) {
		if (kvm_coco_ioctl(v->fd, KVM_RUN, 0))
			return cli_error("KVM_RUN: %s", strerror(errno));
		if (v->run->exit_reason == KVM_EXIT_HLT)
			break;
		if (v->run->exit_reason != KVM_EXIT_HYPERCALL || demo_convert(vm, v->run))
			return cli_error("unexpected exit %u", v->run->exit_reason);
	}
	if (kvm_coco_ioctl(v->fd, KVM_GET_REGS, &regs) || regs.rax)
		return cli_error("the guest's hypercall failed: %lld", (long long)regs.rax);
	return 0;
}

/* vCPU 0 in 64-bit mode, and the VMM asks for MAP_GPA_RANGE exits. */
static int demo_vcpu_create(int vm, struct demo_vcpu *v)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_EXIT_HYPERCALL,
				      .args[0] = 1ull << KVM_HC_MAP_GPA_RANGE };
	struct kvm_sregs s;

	v->fd = kvm_coco_ioctl(vm, KVM_CREATE_VCPU, 0);
	if (v->fd < 0)
		return cli_error("KVM_CREATE_VCPU: %s", strerror(errno));
	v->run = kvm_coco_mmap(NULL, sizeof(*v->run), PROT_READ | PROT_WRITE, MAP_SHARED, v->fd,
			       0);
	if (v->run == MAP_FAILED) {
		kvm_coco_close(v->fd);
		return cli_error("mmap vCPU: %s", strerror(errno));
	}
	if (kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &cap) || kvm_coco_ioctl(v->fd, KVM_GET_SREGS, &s))
		return cli_error("vCPU set-up: %s", strerror(errno));
	s.cr0 |= 0x80000001;			/* PG | PE */
	s.cr4 |= 1 << 5;			/* PAE */
	s.efer |= (1 << 8) | (1 << 10);		/* LME | LMA */
	s.cs.l = 1;
	s.cs.db = 0;
	if (kvm_coco_ioctl(v->fd, KVM_SET_SREGS, &s))
		return cli_error("KVM_SET_SREGS: %s", strerror(errno));
	return 0;
}

static void demo_vcpu_destroy(struct demo_vcpu *v)
{
	if (v->run && v->run != MAP_FAILED)
		munmap(v->run, sizeof(*v->run));
	if (v->fd >= 0)
		kvm_coco_close(v->fd);
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

static bool demo_has_tcg(int sys)
{
	return kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_COCO_ENGINE) &
	       (1 << KVM_COCO_ENGINE_TCG);
}

static int demo_setup(int vm, void *shared, bool real_guest)
{
	struct kvm_create_guest_memfd gmem = { .size = DEMO_MEM };
	struct kvm_userspace_memory_region2 region = {
		.slot = 0,
		.flags = KVM_MEM_GUEST_MEMFD,
		.guest_phys_addr = 0,
		.memory_size = DEMO_MEM,
		.userspace_addr = (unsigned long)shared,
	};
	struct kvm_enable_cap model = { .cap = KVM_CAP_COCO_ENGINE,
					.args = { KVM_COCO_ENGINE_MODEL } };
	int fd;

	/* Without TCG the demo plays the guest's hypercalls (KVM_COCO_VCPU_INJECT_VMMCALL). */
	if (!real_guest && kvm_coco_ioctl(vm, KVM_ENABLE_CAP, &model))
		return cli_error("KVM_CAP_COCO_ENGINE: %s", strerror(errno));
	fd = kvm_coco_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &gmem);
	if (fd < 0)
		return cli_error("KVM_CREATE_GUEST_MEMFD: %s", strerror(errno));
	region.guest_memfd = fd;
	if (kvm_coco_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &region))
		return cli_error("KVM_SET_USER_MEMORY_REGION2: %s", strerror(errno));
	printf("SW_PROTECTED VM: slot 0 = %lu MiB at gpa 0, shared side at %p, private side "
	       "guest_memfd %d\n", DEMO_MEM >> 20, shared, fd);
	return fd;
}

/* Part 2: an SNP guest launched through the ioctls, its digest checked against a prediction. */
/* The digest KVM reported, and whether `measure`'s prediction is the same. */
static void demo_report(const char *label, const unsigned char got[48],
			const unsigned char want[48])
{
	unsigned int i;

	printf("%s: ", label);
	for (i = 0; i < 48; i++)
		printf("%02x", got[i]);
	printf("\npredicted by measure: %s\n", memcmp(want, got, 48) ? "NO (mismatch)" :
							       "yes, identical");
}

static int demo_snp(void)
{
	static unsigned char image[16 * 4096] __attribute__((aligned(4096)));
	struct launch_step steps[] = {
		{ LAUNCH_PAGE_NORMAL, 0x100000, sizeof(image), image },
		{ LAUNCH_PAGE_ZERO, 0x200000, 4 * 4096, NULL },
		{ LAUNCH_PAGE_SECRETS, 0x300000, 4096, NULL },
		{ LAUNCH_PAGE_CPUID, 0x301000, 4096, NULL },
	};
	struct launch_args a = { .mem = 16ul << 20, .vcpus = 2, .steps = steps,
				 .nr_steps = sizeof(steps) / sizeof(steps[0]) };
	unsigned long long per_op[8] = {};
	struct kvm_coco_snp_measure *m;
	struct launch_result res;
	unsigned char want[48], vmsa[4096];
	unsigned int i, p;

	for (i = 0; i < sizeof(image); i++)
		image[i] = (unsigned char)(i * 31 + 7);	/* a stand-in for a firmware image */
	printf("\nSNP guest: 16 MiB, 2 vCPUs; launching a 64 KiB image at 0x100000, 4 ZERO pages,\n"
	       "a secrets page and a CPUID page through KVM_MEMORY_ENCRYPT_OP\n");
	if (launch_run(&a, &res))
		return 1;

	/* What a guest owner would predict with `kvm-coco measure` for the same launch. */
	m = kvm_coco_snp_measure_new();
	if (!m)
		return cli_error("cannot set up SHA-384");
	for (i = 0; i < a.nr_steps; i++)
		for (p = 0; p < steps[i].len / 4096; p++)
			kvm_coco_snp_measure_page(m, steps[i].type, steps[i].gpa + p * 4096ull,
						  steps[i].data ? steps[i].data + p * 4096 : NULL);
	kvm_coco_snp_reset_vmsa(vmsa, 1);
	for (i = 0; i < a.vcpus; i++)
		kvm_coco_snp_measure_page(m, LAUNCH_PAGE_VMSA, KVM_COCO_SNP_VMSA_GPA, vmsa);
	kvm_coco_snp_measure_digest(m, want);
	kvm_coco_snp_measure_free(m);

	demo_report("launch digest", res.digest, want);
	for (i = 0; i < res.nr_trace; i++)
		per_op[res.trace[i].op & 7]++;
	printf("RMP trace: %u transitions:", res.nr_trace);
	for (i = 1; i <= KVM_COCO_RMP_MAKE_FIRMWARE; i++)
		printf(" %s %llu", launch_rmp_op_name(i), per_op[i]);
	printf("\nfirst transitions (kvm-coco launch --trace prints them all):\n");
	/* The header counts the transitions not printed as written. */
	if (res.nr_trace > 4) {
		res.trace_dropped += res.nr_trace - 4;
		res.nr_trace = 4;
	}
	launch_print_trace(stdout, &res);
	free(res.trace);
	return memcmp(want, res.digest, 48) ? 1 : 0;
}

static int demo_tdx(void)
{
	static unsigned char image[8 * 4096] __attribute__((aligned(4096)));
	struct launch_step steps[] = {
		{ LAUNCH_PAGE_NORMAL, 0x100000, sizeof(image) / 2, image },
		{ LAUNCH_PAGE_UNMEASURED, 0x200000, sizeof(image) / 2, image + sizeof(image) / 2 },
	};
	struct launch_args a = { .tdx = true, .mem = 16ul << 20, .vcpus = 2, .steps = steps,
				 .nr_steps = sizeof(steps) / sizeof(steps[0]) };
	struct kvm_coco_tdx_measure *m;
	struct launch_result res;
	unsigned char want[48];
	unsigned int i, p;

	for (i = 0; i < sizeof(image); i++)
		image[i] = (unsigned char)(i * 17 + 3);	/* a stand-in for a TDVF image */
	printf("\nTD: 16 MiB, 2 vCPUs; adding 16 KiB measured at 0x100000 and 16 KiB unmeasured\n"
	       "at 0x200000 through KVM_TDX_INIT_MEM_REGION\n");
	if (launch_run(&a, &res))
		return 1;
	m = kvm_coco_tdx_measure_new();
	if (!m)
		return cli_error("cannot set up SHA-384");
	for (i = 0; i < a.nr_steps; i++)
		for (p = 0; p < steps[i].len / 4096; p++)
			kvm_coco_tdx_measure_page(m, steps[i].gpa + p * 4096ull,
						  steps[i].data + p * 4096,
						  steps[i].type == LAUNCH_PAGE_NORMAL);
	i = kvm_coco_tdx_measure_digest(m, want);
	kvm_coco_tdx_measure_free(m);
	if (i)
		return cli_error("cannot compute the MRTD");
	demo_report("MRTD", res.digest, want);
	return memcmp(want, res.digest, 48) ? 1 : 0;
}

int cmd_demo(int argc, char **argv)
{
	struct demo_vcpu vcpu = { .fd = -1 };
	bool real_guest;
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
	real_guest = demo_has_tcg(sys);
	gmem = demo_setup(vm, shared, real_guest);
	if (gmem < 0)
		goto out_vm;

	printf("the guest asks (KVM_HC_MAP_GPA_RANGE), KVM_RUN exits, the VMM answers%s:\n",
	       real_guest ? " (a real guest program on the TCG engine)" :
			    " (the model engine: the demo plays the guest)");
	if (demo_vcpu_create(vm, &vcpu))
		goto out_vcpu;
	if (real_guest ? demo_guest_run(vm, &vcpu, shared) :
	    demo_guest_map(vm, &vcpu, 0x100000, 0x400000, true) ||	/* kernel image */
	    demo_guest_map(vm, &vcpu, 0x200000, 0x10000, false) ||	/* a bounce buffer */
	    demo_guest_map(vm, &vcpu, 0x800000, 0x800000, true) ||	/* the rest of RAM */
	    demo_guest_map(vm, &vcpu, 0xf00000, 0x1000, false))	/* a shared ring page */
		goto out_vcpu;
	r = demo_print_map(vm);
	if (!r)
		r = demo_snp();
	if (!r)
		r = demo_tdx();
out_vcpu:
	demo_vcpu_destroy(&vcpu);
	kvm_coco_close(gmem);
out_vm:
	kvm_coco_close(vm);
out_sys:
	kvm_coco_close(sys);
	munmap(shared, DEMO_MEM);
	return r;
}
