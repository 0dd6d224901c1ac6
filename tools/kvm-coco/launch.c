// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-coco launch: the launch `kvm-coco measure` predicts, performed through the KVM ioctl
 * ABI alone, as a VMM would, in a VM with one guest_memfd slot covering --mem, all of it
 * private.  SNP: KVM_SEV_INIT2, LAUNCH_START, a LAUNCH_UPDATE per step (called again while
 * the kernel reports progress), LAUNCH_FINISH (which measures each vCPU's VMSA, built from
 * its reset state), then the digest.  TDX: KVM_TDX_INIT_VM, INIT_VCPU for each vCPU,
 * INIT_MEM_REGION per step (measured unless :unmeasured), FINALIZE_VM, then the MRTD.
 * --trace prints an SNP VM's RMP transitions in ftrace's text format; --json prints a
 * machine-readable summary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <kvm-coco.h>
#include <linux/kvm_coco.h>

#include "cli.h"
#include "launch.h"

/* Policy: the must-be-one bit and SMT allowed.  Pages per ioctl: the progress granularity. */
#define SNP_POLICY	((1ull << 17) | (1ull << 16))
#define CHUNK_PAGES	256

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct launch_vm {
	int sys, sev, vm, gmem;
	int vcpus[4096];
	unsigned int nr_vcpus;
};

static int snp_cmd(struct launch_vm *v, unsigned int id, void *data, unsigned int *error)
{
	struct kvm_sev_cmd cmd = { .id = id, .data = (unsigned long)data, .sev_fd = v->sev };
	int r = kvm_coco_ioctl(v->vm, KVM_MEMORY_ENCRYPT_OP, &cmd);

	*error = cmd.error;
	return r;
}

static void launch_vm_close(struct launch_vm *v)
{
	unsigned int i;

	for (i = 0; i < v->nr_vcpus; i++)
		kvm_coco_close(v->vcpus[i]);
	if (v->gmem >= 0)
		kvm_coco_close(v->gmem);
	if (v->vm >= 0)
		kvm_coco_close(v->vm);
	if (v->sev >= 0)
		kvm_coco_close(v->sev);
	if (v->sys >= 0)
		kvm_coco_close(v->sys);
}

static int tdx_cmd(int fd, unsigned int id, unsigned int flags, void *data,
		   unsigned long long *hw_error)
{
	struct kvm_tdx_cmd cmd = { .id = id, .flags = flags, .data = (unsigned long)data };
	int r = kvm_coco_ioctl(fd, KVM_MEMORY_ENCRYPT_OP, &cmd);

	*hw_error = cmd.hw_error;
	return r;
}

/* SNP: INIT2.  TDX: INIT_VM (x87 and SSE, no CPUID entries: GPAW 48), before any vCPU. */
static int launch_vm_init(struct launch_vm *v, const struct launch_args *a)
{
	struct kvm_tdx_init_vm init_vm = { .xfam = 0x3 };
	struct kvm_sev_init init = {};
	unsigned long long hw_error;
	unsigned int error;

	if (!a->tdx) {
		if (snp_cmd(v, KVM_SEV_INIT2, &init, &error))
			return cli_error("KVM_SEV_INIT2: %s", strerror(errno));
		return 0;
	}
	if (tdx_cmd(v->vm, KVM_TDX_INIT_VM, 0, &init_vm, &hw_error))
		return cli_error("KVM_TDX_INIT_VM: %s (TDX module %#llx)", strerror(errno),
				 hw_error);
	return 0;
}

static int launch_vm_create(struct launch_vm *v, const struct launch_args *a)
{
	struct kvm_create_guest_memfd g = { .size = a->mem };
	struct kvm_userspace_memory_region2 r = { .flags = KVM_MEM_GUEST_MEMFD,
						  .memory_size = a->mem };
	struct kvm_memory_attributes attr = { .size = a->mem,
					      .attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE };
	unsigned long long hw_error;

	v->sys = kvm_coco_open();
	if (!a->tdx)
		v->sev = kvm_coco_open_sev();
	if (v->sys < 0 || (!a->tdx && v->sev < 0))
		return cli_error("cannot open kvm-coco: %s", strerror(errno));
	v->vm = kvm_coco_ioctl(v->sys, KVM_CREATE_VM, a->tdx ? KVM_X86_TDX_VM : KVM_X86_SNP_VM);
	if (v->vm < 0)
		return cli_error("KVM_CREATE_VM: %s", strerror(errno));
	v->gmem = kvm_coco_ioctl(v->vm, KVM_CREATE_GUEST_MEMFD, &g);
	if (v->gmem < 0)
		return cli_error("KVM_CREATE_GUEST_MEMFD: %s", strerror(errno));
	r.guest_memfd = v->gmem;
	if (kvm_coco_ioctl(v->vm, KVM_SET_USER_MEMORY_REGION2, &r))
		return cli_error("KVM_SET_USER_MEMORY_REGION2: %s", strerror(errno));
	if (kvm_coco_ioctl(v->vm, KVM_SET_MEMORY_ATTRIBUTES, &attr))
		return cli_error("KVM_SET_MEMORY_ATTRIBUTES: %s", strerror(errno));
	if (launch_vm_init(v, a))
		return 1;
	for (; v->nr_vcpus < a->vcpus; v->nr_vcpus++) {
		v->vcpus[v->nr_vcpus] = kvm_coco_ioctl(v->vm, KVM_CREATE_VCPU, v->nr_vcpus);
		if (v->vcpus[v->nr_vcpus] < 0)
			return cli_error("KVM_CREATE_VCPU: %s", strerror(errno));
		if (a->tdx && tdx_cmd(v->vcpus[v->nr_vcpus], KVM_TDX_INIT_VCPU, 0, NULL, &hw_error))
			return cli_error("KVM_TDX_INIT_VCPU: %s (TDX module %#llx)",
					 strerror(errno), hw_error);
	}
	return 0;
}

struct progress {
	double start, last, after;
	unsigned long long done, total;
	bool shown;
};

/* The bar appears once a launch has taken a second, or $KVM_COCO_PROGRESS_AFTER seconds. */
static void progress_start(struct progress *p)
{
	const char *e = getenv("KVM_COCO_PROGRESS_AFTER");

	memset(p, 0, sizeof(*p));
	p->start = now();
	p->after = e ? atof(e) : 1.0;
}

/* A bar on stderr, redrawn at most ten times a second and once at the end. */
static void progress_update(struct progress *p, unsigned long long pages)
{
	double t = now();
	unsigned int i, width = 40, filled;

	p->done += pages;
	if (t - p->start < p->after || (t - p->last < 0.1 && p->done < p->total) || !p->total)
		return;
	p->last = t;
	p->shown = true;
	filled = (unsigned int)(width * p->done / p->total);
	fputs("\rlaunch [", stderr);
	for (i = 0; i < width; i++)
		fputc(i < filled ? '#' : '.', stderr);
	fprintf(stderr, "] %3llu%% %llu/%llu pages", 100 * p->done / p->total, p->done, p->total);
}

/* Steps without a file read zeros: one zero chunk serves every call. */
static const unsigned char *zero_source(void)
{
	static unsigned char *zero;

	if (!zero)
		zero = aligned_alloc(4096, CHUNK_PAGES * 4096);
	if (zero)
		memset(zero, 0, CHUNK_PAGES * 4096);
	return zero;
}

static int launch_step(struct launch_vm *v, const struct launch_step *s, struct progress *p)
{
	struct kvm_sev_snp_launch_update u = { .gfn_start = s->gpa >> 12,
					       .uaddr = (unsigned long)s->data,
					       .type = (unsigned char)s->type };
	unsigned long long left = s->len, chunk;
	unsigned int error;

	while (left) {
		chunk = left < CHUNK_PAGES * 4096ull ? left : CHUNK_PAGES * 4096ull;
		/* With a file the kernel advances uaddr; without one, every chunk reads zeros. */
		if (!s->data) {
			u.uaddr = (unsigned long)zero_source();
			if (!u.uaddr)
				return cli_error("out of memory");
		}
		u.len = chunk;
		while (u.len) {
			unsigned long long before = u.len;

			if (snp_cmd(v, KVM_SEV_SNP_LAUNCH_UPDATE, &u, &error))
				return cli_error("LAUNCH_UPDATE at gpa %#llx: %s (firmware %#x)",
						 (unsigned long long)u.gfn_start << 12,
						 strerror(errno), error);
			progress_update(p, (before - u.len) >> 12);
		}
		left -= chunk;
	}
	return 0;
}

static int launch_snp(struct launch_vm *v, const struct launch_args *a,
		      struct launch_result *res)
{
	struct kvm_sev_snp_launch_start start = { .policy = SNP_POLICY };
	struct kvm_sev_snp_launch_finish finish = {};
	struct kvm_coco_snp_launch_digest d = {};
	struct progress p;
	unsigned int i, error;

	progress_start(&p);
	for (i = 0; i < a->nr_steps; i++)
		p.total += a->steps[i].len >> 12;
	if (snp_cmd(v, KVM_SEV_SNP_LAUNCH_START, &start, &error))
		return cli_error("LAUNCH_START: %s (firmware %#x)", strerror(errno), error);
	for (i = 0; i < a->nr_steps; i++)
		if (launch_step(v, &a->steps[i], &p))
			return 1;
	if (p.shown)
		fputc('\n', stderr);
	if (snp_cmd(v, KVM_SEV_SNP_LAUNCH_FINISH, &finish, &error))
		return cli_error("LAUNCH_FINISH: %s (firmware %#x)", strerror(errno), error);
	if (kvm_coco_ioctl(v->vm, KVM_COCO_SNP_GET_LAUNCH_DIGEST, &d))
		return cli_error("KVM_COCO_SNP_GET_LAUNCH_DIGEST: %s", strerror(errno));
	memcpy(res->digest, d.digest, sizeof(res->digest));
	res->pages = p.total + a->vcpus;
	res->seconds = now() - p.start;
	return 0;
}

/* One --load of a TD: INIT_MEM_REGION in chunks (for the bar), measured unless :unmeasured. */
static int launch_tdx_step(struct launch_vm *v, const struct launch_step *s, struct progress *p)
{
	unsigned int flags = s->type == LAUNCH_PAGE_NORMAL ? KVM_TDX_MEASURE_MEMORY_REGION : 0;
	struct kvm_tdx_init_mem_region r = { .source_addr = (unsigned long)s->data,
					     .gpa = s->gpa };
	unsigned long long left = s->len >> 12, chunk, hw_error;

	while (left) {
		chunk = left < CHUNK_PAGES ? left : CHUNK_PAGES;
		r.nr_pages = chunk;
		/* On success the kernel has advanced source_addr and gpa past the chunk. */
		if (tdx_cmd(v->vcpus[0], KVM_TDX_INIT_MEM_REGION, flags, &r, &hw_error))
			return cli_error("KVM_TDX_INIT_MEM_REGION at gpa %#llx: %s "
					 "(TDX module %#llx)", (unsigned long long)r.gpa,
					 strerror(errno), hw_error);
		left -= chunk;
		progress_update(p, chunk);
	}
	return 0;
}

static int launch_tdx(struct launch_vm *v, const struct launch_args *a,
		      struct launch_result *res)
{
	struct kvm_coco_tdx_mrtd m = {};
	unsigned long long hw_error;
	struct progress p;
	unsigned int i;

	progress_start(&p);
	/* INIT_MEM_REGION is a vCPU command: the first vCPU (--vcpus is at least 1) adds. */
	for (i = 0; i < a->nr_steps; i++)
		p.total += a->steps[i].len >> 12;
	for (i = 0; i < a->nr_steps; i++)
		if (launch_tdx_step(v, &a->steps[i], &p))
			return 1;
	if (p.shown)
		fputc('\n', stderr);
	if (tdx_cmd(v->vm, KVM_TDX_FINALIZE_VM, 0, NULL, &hw_error))
		return cli_error("KVM_TDX_FINALIZE_VM: %s (TDX module %#llx)", strerror(errno),
				 hw_error);
	if (kvm_coco_ioctl(v->vm, KVM_COCO_TDX_GET_MRTD, &m))
		return cli_error("KVM_COCO_TDX_GET_MRTD: %s", strerror(errno));
	memcpy(res->digest, m.mrtd, sizeof(res->digest));
	res->pages = p.total;
	res->seconds = now() - p.start;
	return 0;
}

/* Read the VM's whole trace ring into @res (caller frees res->trace). */
static int launch_read_trace(struct launch_vm *v, struct launch_result *res)
{
	struct kvm_coco_trace t = {};
	unsigned int cap = 0;

	res->trace = NULL;
	res->nr_trace = 0;
	do {
		if (res->nr_trace + 4096 > cap) {
			struct kvm_coco_trace_entry *e;

			cap = cap ? cap * 2 : 8192;
			e = realloc(res->trace, cap * sizeof(*e));
			if (!e)
				return cli_error("out of memory");
			res->trace = e;
		}
		t.entries = (unsigned long)(res->trace + res->nr_trace);
		t.nr = 4096;
		if (kvm_coco_ioctl(v->vm, KVM_COCO_GET_TRACE, &t))
			return cli_error("KVM_COCO_GET_TRACE: %s", strerror(errno));
		res->nr_trace += t.nr;
		res->trace_dropped = t.dropped;
	} while (t.nr);
	return 0;
}

int launch_run(const struct launch_args *a, struct launch_result *res)
{
	struct launch_vm v = { .sys = -1, .sev = -1, .vm = -1, .gmem = -1 };
	int r;

	memset(res, 0, sizeof(*res));
	if (a->vmsa_given) {
		return cli_error("launch: --vmsa is for 'measure'; a launch builds each VMSA from "
				 "its vCPU's state");
	}
	r = launch_vm_create(&v, a);
	if (!r)
		r = a->tdx ? launch_tdx(&v, a, res) : launch_snp(&v, a, res);
	if (!r && !a->tdx)
		r = launch_read_trace(&v, res);
	launch_vm_close(&v);
	return r;
}
