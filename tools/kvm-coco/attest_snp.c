// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-coco attest --type snp: an SNP guest asks the firmware for its attestation report, and
 * the CLI checks the report as a relying party would (snp_report.c).
 *
 * The guest is guest/snp_attest.c, a freestanding program built with the CLI and carried in
 * it as a flat image (snp_attest_guest[]).  This VMM builds its VM through the KVM ioctls:
 * page tables, GDT and stack, the secrets page and the program go in with SNP_LAUNCH_UPDATE
 * (guest/snp_attest.h has the layout), the vCPU starts in 64-bit mode at the program, and
 * LAUNCH_FINISH seals it with the HOST_DATA given.  The REPORT_DATA goes to the guest in a
 * shared page; the vCPU runs (pages converted as the guest's accesses ask, with
 * KVM_EXIT_MEMORY_FAULT) until the guest asks to be terminated, and the opened report is in
 * that page.  As a VMM that serves certificates (KVM_SEV_SNP_ENABLE_REQ_CERTS), it answers
 * KVM_EXIT_SNP_REQ_CERTS with the chip's chain for the TCB the firmware reports, as the GHCB's
 * certificate table, or with the pages it needs; the relying party takes the chain from the
 * guest's pages.  The measurement the report should carry is predicted from the same pages
 * and vCPU state with the launch-digest calculator (what `kvm-coco measure` runs).  Needs the
 * TCG engine.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <kvm-coco.h>
#include <linux/kvm_coco.h>

#include "attest.h"
#include "cli.h"
#include "guest/snp_attest.h"
#include "snp_cert_table.h"
#include "snp_report.h"

#define PAGE		4096ul
#define PTE		3
#define PTE_LARGE	0x80
#define LOW_PAGES	((SNP_ATTEST_SECRETS - SNP_ATTEST_PML4) / PAGE)
#define MAX_EXITS	64
#define SNP_PAGE_TYPE_VMSA	2		/* the firmware's (KVM has no VMSA type) */

/* The guest program (the Makefile builds it from guest/ and links it in). */
extern const uint8_t snp_attest_guest[], snp_attest_guest_end[];

struct attest_vm {
	int sys, sev, vm, gmem, vcpu;
	uint8_t *mem;			/* the shared side */
	struct kvm_run *run;
	struct kvm_regs regs;		/* the vCPU's state at launch */
	struct kvm_sregs sregs;
	uint8_t *certs;			/* the certificate table the VMM serves */
	size_t certs_len;
};

struct attest_image {
	/* Page tables, GDT, stack. */
	uint8_t low[LOW_PAGES * PAGE] __attribute__((aligned(4096)));
	uint8_t *program;		/* the guest program, whole pages */
	unsigned long program_len;
};

static int snp_cmd(struct attest_vm *v, unsigned int id, void *data, const char *what)
{
	struct kvm_sev_cmd cmd = { .id = id, .data = (uintptr_t)data, .sev_fd = v->sev };

	if (!kvm_coco_ioctl(v->vm, KVM_MEMORY_ENCRYPT_OP, &cmd))
		return 0;
	return cli_error("%s: %s (firmware %#x)", what, strerror(errno), cmd.error);
}

/*
 * The private 2 MiB 1:1 with the C-bit, the shared 2 MiB 1:1 without it, by large pages; a
 * GDT with 64-bit code (8) and data (16).
 */
static int attest_image_build(struct attest_image *img)
{
	uint64_t *pml4 = (uint64_t *)img->low, *pdpt = pml4 + 512, *pd = pml4 + 1024;
	uint64_t *gdt = (uint64_t *)(img->low + SNP_ATTEST_GDT - SNP_ATTEST_PML4);
	unsigned long len = snp_attest_guest_end - snp_attest_guest;

	memset(img->low, 0, sizeof(img->low));
	pml4[0] = SNP_ATTEST_C_BIT | (SNP_ATTEST_PML4 + PAGE) | PTE;
	pdpt[0] = SNP_ATTEST_C_BIT | (SNP_ATTEST_PML4 + 2 * PAGE) | PTE;
	pd[0] = SNP_ATTEST_C_BIT | PTE_LARGE | PTE;
	pd[1] = SNP_ATTEST_SHARED | PTE_LARGE | PTE;
	gdt[1] = 0x00af9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	img->program_len = (len + PAGE - 1) & ~(PAGE - 1);
	if (SNP_ATTEST_TEXT + img->program_len > SNP_ATTEST_SHARED)
		return cli_error("the guest program does not fit below the shared memory");
	img->program = aligned_alloc(PAGE, img->program_len);
	if (!img->program)
		return cli_error("out of memory");
	memset(img->program, 0, img->program_len);
	memcpy(img->program, snp_attest_guest, len);
	return 0;
}

/* 64-bit mode at the program's entry, the page tables' root read privately. */
static int attest_vcpu_state(struct attest_vm *v)
{
	struct kvm_sregs *s = &v->sregs;

	if (kvm_coco_ioctl(v->vcpu, KVM_GET_SREGS, s))
		return cli_error("KVM_GET_SREGS: %s", strerror(errno));
	s->cr0 |= 0x80000001;				/* PG, PE */
	s->cr3 = SNP_ATTEST_C_BIT | SNP_ATTEST_PML4;
	s->cr4 |= 1 << 5;				/* PAE */
	s->efer |= (1 << 8) | (1 << 10);		/* LME, LMA */
	s->cs.l = 1;
	s->cs.db = 0;
	s->cs.selector = 8;
	s->ds.selector = s->es.selector = s->ss.selector = 16;
	s->gdt.base = SNP_ATTEST_GDT;
	s->gdt.limit = 23;
	v->regs = (struct kvm_regs){ .rip = SNP_ATTEST_TEXT, .rflags = 2,
				     .rsp = SNP_ATTEST_STACK_TOP - 8 };	/* as after a call */
	if (kvm_coco_ioctl(v->vcpu, KVM_SET_SREGS, s) ||
	    kvm_coco_ioctl(v->vcpu, KVM_SET_REGS, &v->regs))
		return cli_error("the vCPU's state: %s", strerror(errno));
	return 0;
}

static int set_attributes(struct attest_vm *v, uint64_t gpa, uint64_t size, bool private)
{
	struct kvm_memory_attributes a = {
		.address = gpa, .size = size,
		.attributes = private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0,
	};

	if (!kvm_coco_ioctl(v->vm, KVM_SET_MEMORY_ATTRIBUTES, &a))
		return 0;
	return cli_error("KVM_SET_MEMORY_ATTRIBUTES(%#llx): %s", (unsigned long long)gpa,
			 strerror(errno));
}

/* An SNP VM on the TCG engine: memory private below SNP_ATTEST_SHARED, shared above. */
static int attest_vm_create(struct attest_vm *v)
{
	struct kvm_enable_cap engine = { .cap = KVM_CAP_COCO_ENGINE,
					 .args = { KVM_COCO_ENGINE_TCG } };
	struct kvm_create_guest_memfd gmem = { .size = SNP_ATTEST_MEM };
	struct kvm_userspace_memory_region2 slot = { .flags = KVM_MEM_GUEST_MEMFD,
						     .memory_size = SNP_ATTEST_MEM };
	struct kvm_sev_init init = {};

	v->sys = kvm_coco_open();
	if (v->sys < 0)
		return cli_error("/dev/kvm: %s", strerror(errno));
	if (!(kvm_coco_ioctl(v->sys, KVM_CHECK_EXTENSION, KVM_CAP_COCO_ENGINE) &
	      (1 << KVM_COCO_ENGINE_TCG)))
		return cli_error("attest runs the guest's code: this host has no TCG engine");
	v->sev = kvm_coco_open_sev();
	v->vm = kvm_coco_ioctl(v->sys, KVM_CREATE_VM, KVM_X86_SNP_VM);
	if (v->sev < 0 || v->vm < 0 || kvm_coco_ioctl(v->vm, KVM_ENABLE_CAP, &engine))
		return cli_error("an SNP VM on the TCG engine: %s", strerror(errno));
	v->gmem = kvm_coco_ioctl(v->vm, KVM_CREATE_GUEST_MEMFD, &gmem);
	v->mem = mmap(NULL, SNP_ATTEST_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (v->gmem < 0 || v->mem == MAP_FAILED)
		return cli_error("guest memory: %s", strerror(errno));
	slot.userspace_addr = (uintptr_t)v->mem;
	slot.guest_memfd = v->gmem;
	if (kvm_coco_ioctl(v->vm, KVM_SET_USER_MEMORY_REGION2, &slot))
		return cli_error("memslot: %s", strerror(errno));
	if (set_attributes(v, 0, SNP_ATTEST_SHARED, true) ||
	    snp_cmd(v, KVM_SEV_INIT2, &init, "KVM_SEV_INIT2") ||
	    snp_cmd(v, KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, "KVM_SEV_SNP_ENABLE_REQ_CERTS"))
		return 1;
	v->vcpu = kvm_coco_ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return cli_error("the vCPU: %s", strerror(errno));
	v->run = kvm_coco_mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	return v->run == MAP_FAILED ? cli_error("mmap vCPU: %s", strerror(errno)) : 0;
}

static void attest_vm_destroy(struct attest_vm *v)
{
	if (v->run && v->run != MAP_FAILED)
		munmap(v->run, PAGE);
	if (v->vcpu >= 0)
		kvm_coco_close(v->vcpu);
	if (v->gmem >= 0)
		kvm_coco_close(v->gmem);
	if (v->vm >= 0)
		kvm_coco_close(v->vm);
	if (v->sev >= 0)
		kvm_coco_close(v->sev);
	if (v->sys >= 0)
		kvm_coco_close(v->sys);
	if (v->mem && v->mem != MAP_FAILED)
		munmap(v->mem, SNP_ATTEST_MEM);
	free(v->certs);
}

static int launch_update(struct attest_vm *v, uint64_t gpa, const void *src, uint64_t len,
			 uint8_t type)
{
	struct kvm_sev_snp_launch_update u = { .gfn_start = gpa / PAGE, .len = len,
					       .uaddr = (uintptr_t)src, .type = type };

	while (u.len)
		if (snp_cmd(v, KVM_SEV_SNP_LAUNCH_UPDATE, &u, "SNP_LAUNCH_UPDATE"))
			return 1;
	return 0;
}

static int attest_launch(struct attest_vm *v, const struct attest_image *img,
			 const struct attest_opts *o)
{
	static uint8_t secrets[PAGE] __attribute__((aligned(4096)));
	struct kvm_sev_snp_launch_start start = { .policy = o->policy };
	struct kvm_sev_snp_launch_finish finish = {};

	memcpy(finish.host_data, o->host_data, sizeof(finish.host_data));
	if (snp_cmd(v, KVM_SEV_SNP_LAUNCH_START, &start, "SNP_LAUNCH_START") ||
	    launch_update(v, SNP_ATTEST_PML4, img->low, sizeof(img->low),
			  KVM_SEV_SNP_PAGE_TYPE_NORMAL) ||
	    launch_update(v, SNP_ATTEST_SECRETS, secrets, PAGE, KVM_SEV_SNP_PAGE_TYPE_SECRETS) ||
	    launch_update(v, SNP_ATTEST_TEXT, img->program, img->program_len,
			  KVM_SEV_SNP_PAGE_TYPE_NORMAL) ||
	    attest_vcpu_state(v))
		return 1;
	return snp_cmd(v, KVM_SEV_SNP_LAUNCH_FINISH, &finish, "SNP_LAUNCH_FINISH");
}

/* The certificate table of the TCB the firmware reports now (SNP_PLATFORM_STATUS). */
static int load_certs(struct attest_vm *v)
{
	struct sev_user_data_snp_status st = {};
	struct sev_issue_cmd cmd = { .cmd = SNP_PLATFORM_STATUS, .data = (uintptr_t)&st };
	int r;

	if (kvm_coco_ioctl(v->sev, SEV_ISSUE_CMD, &cmd))
		return cli_error("SNP_PLATFORM_STATUS: %s (firmware %#x)", strerror(errno),
				 cmd.error);
	r = snp_cert_table_build(st.reported_tcb_version, &v->certs, &v->certs_len);
	return r ? cli_error("the certificate table: %s", strerror(-r)) : 0;
}

/*
 * KVM_EXIT_SNP_REQ_CERTS: the table into the guest's pages, or (ENOSPC) the number of pages it
 * needs; pages outside the shared memory are refused (EIO).
 */
static int serve_certs(struct attest_vm *v)
{
	struct kvm_exit_snp_req_certs *c = &v->run->snp_req_certs;
	uint64_t need;

	if (!v->certs && load_certs(v))
		return 1;
	need = (v->certs_len + PAGE - 1) / PAGE;
	if (c->npages < need) {
		c->npages = need;
		c->ret = ENOSPC;
	} else if (c->gpa < SNP_ATTEST_SHARED || c->gpa >= SNP_ATTEST_MEM ||
		   need > (SNP_ATTEST_MEM - c->gpa) / PAGE) {
		c->ret = EIO;
	} else {
		memcpy(v->mem + c->gpa, v->certs, v->certs_len);
		c->ret = 0;
	}
	return 0;
}

/* Run the guest until it asks to be terminated, converting pages as its accesses ask. */
static int attest_run(struct attest_vm *v)
{
	struct kvm_run *run = v->run;
	unsigned int i;

	for (i = 0; i < MAX_EXITS; i++) {
		if (kvm_coco_ioctl(v->vcpu, KVM_RUN, 0))
			return cli_error("KVM_RUN: %s", strerror(errno));
		if (run->exit_reason == KVM_EXIT_SYSTEM_EVENT &&
		    run->system_event.type == KVM_SYSTEM_EVENT_SEV_TERM)
			return 0;
		if (run->exit_reason == KVM_EXIT_SNP_REQ_CERTS) {
			if (serve_certs(v))
				return 1;
			continue;
		}
		if (run->exit_reason != KVM_EXIT_MEMORY_FAULT)
			return cli_error("the guest stopped unexpectedly (exit %u)",
					 run->exit_reason);
		if (set_attributes(v, run->memory_fault.gpa, run->memory_fault.size,
				   run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE))
			return 1;
	}
	return cli_error("the guest did not finish in %u exits", MAX_EXITS);
}

/* The launch digest of the same pages and vCPU state, computed without a VM. */
static int predict_measurement(const struct attest_vm *v, const struct attest_image *img,
			       uint8_t out[48])
{
	static uint8_t zero[PAGE], vmsa[PAGE];
	struct kvm_coco_snp_measure *m = kvm_coco_snp_measure_new();
	unsigned long off;
	int r = 0;

	if (!m)
		return cli_error("cannot set up SHA-384");
	for (off = 0; !r && off < sizeof(img->low); off += PAGE)
		r = kvm_coco_snp_measure_page(m, KVM_SEV_SNP_PAGE_TYPE_NORMAL,
					      SNP_ATTEST_PML4 + off, img->low + off);
	r = r ?: kvm_coco_snp_measure_page(m, KVM_SEV_SNP_PAGE_TYPE_SECRETS, SNP_ATTEST_SECRETS,
					   zero);
	for (off = 0; !r && off < img->program_len; off += PAGE)
		r = kvm_coco_snp_measure_page(m, KVM_SEV_SNP_PAGE_TYPE_NORMAL,
					      SNP_ATTEST_TEXT + off, img->program + off);
	kvm_coco_snp_vmsa(vmsa, &v->regs, &v->sregs, 1);	/* SEV_FEATURES: SNP_ACTIVE */
	r = r ?: kvm_coco_snp_measure_page(m, SNP_PAGE_TYPE_VMSA,
					   KVM_COCO_SNP_VMSA_GPA, vmsa);
	kvm_coco_snp_measure_digest(m, out);
	kvm_coco_snp_measure_free(m);
	return r ? cli_error("measure: %s", strerror(-r)) : 0;
}

static const char *const attest_results[] = {
	[SNP_ATTEST_REFUSED] = "the request was refused",
	[SNP_ATTEST_BAD_HEADER] = "the response's header is not the answer's",
	[SNP_ATTEST_BAD_TAG] = "the response does not open under VMPCK0",
};

/*
 * The guest's answer: the report, after its MSG_REPORT_RSP status and size, and the chain from
 * the certificate table in its pages.
 */
static int attest_take_report(const struct attest_vm *v, uint8_t report[SNP_REPORT_SIZE],
			      X509 *certs[SNP_NR_CERTS])
{
	const struct snp_attest_io *io = (const void *)(v->mem + SNP_ATTEST_IO);
	uint32_t status, size;

	if (io->result >= SNP_ATTEST_REFUSED && io->result <= SNP_ATTEST_BAD_TAG)
		return cli_error("the guest: %s (SW_EXITINFO1 %#llx, SW_EXITINFO2 %#llx)",
				 attest_results[io->result],
				 (unsigned long long)io->exit_info[0],
				 (unsigned long long)io->exit_info[1]);
	if (io->result != SNP_ATTEST_OK)
		return cli_error("the guest's result: %u", io->result);
	memcpy(&status, io->response, 4);
	memcpy(&size, io->response + 4, 4);
	if (status || size != SNP_REPORT_SIZE)
		return cli_error("MSG_REPORT_RSP: status %#x, size %#x", status, size);
	memcpy(report, io->response + 0x20, SNP_REPORT_SIZE);
	if (snp_cert_table_parse(v->mem + SNP_ATTEST_CERTS, SNP_ATTEST_CERT_PAGES * PAGE, certs))
		return cli_error("the guest's certificate table has no ARK, ASK and VCEK");
	return 0;
}

int attest_snp(const struct attest_opts *o)
{
	struct attest_vm v = { .sys = -1, .sev = -1, .vm = -1, .gmem = -1, .vcpu = -1 };
	static struct attest_image img;
	uint8_t report[SNP_REPORT_SIZE], measurement[48];
	X509 *certs[SNP_NR_CERTS] = {};
	struct snp_attest_io *io;
	int i, r;

	r = attest_image_build(&img) || attest_vm_create(&v) || attest_launch(&v, &img, o);
	if (!r) {
		io = (struct snp_attest_io *)(v.mem + SNP_ATTEST_IO);
		memcpy(io->report_data, o->report_data, sizeof(io->report_data));
		io->vmpl = o->vmpl;
		io->result = ~0u;			/* the guest's to set */
		r = attest_run(&v) || attest_take_report(&v, report, certs) ||
		    predict_measurement(&v, &img, measurement);
	}
	attest_vm_destroy(&v);
	free(img.program);
	if (!r)
		r = snp_report_check(report, certs, measurement, o->report_data, o->host_data,
				     o->out);
	for (i = 0; i < SNP_NR_CERTS; i++)
		X509_free(certs[i]);
	return r ? 1 : 0;
}
