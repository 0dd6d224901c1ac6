// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_coco_fuzz: a libFuzzer target over the library's front door.
 *
 * An input is a program: a sequence of operations over a small table of handles (VMs of every
 * type, vCPUs, guest_memfds, the PSP device), each operation's arguments read from the bytes
 * that follow it.  Values are mostly drawn near the interesting ones (a few pages, the gpas a
 * memslot covers, the attribute bit) and sometimes raw, so an input reaches deep states (an
 * SNP launch, a TD build, a conversion after a fault) and still probes every validation.
 * Every user pointer an operation passes points into a buffer that ends at a guard page: a
 * copy past its end is -EFAULT, as in the kernel, never a write into the fuzzer.
 *
 * After each input everything is closed, in an order the input chose for what it closed
 * itself, and the library must be back where it started: no WARN, the RMP and PAMT
 * invariants hold, every object and page freed but those counted as leaked.  Any difference
 * is a crash for libFuzzer.
 *
 * The vCPUs use the MODEL engine: KVM_RUN delivers the events the input injects (faults,
 * accesses, VMMCALL, VMGEXIT, TDVMCALL) to the vendor's exit handlers, and the input answers
 * the exits it gets back (a conversion for a hypercall or a memory fault).
 *
 * Built with clang's -fsanitize=fuzzer by `make fuzz`; `make check` replays the corpus in
 * tools/testing/fuzz/corpus through replay.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/falloc.h>
#include <linux/kvm.h>
#include <linux/kvm_coco.h>
#include <linux/kvm_para.h>
#include <linux/psp-sev.h>

#include "kvm-coco.h"
#include "kvm-coco-test.h"
#include "fuzz.h"

#define FUZZ_VMS		3
#define FUZZ_VCPUS		4
#define FUZZ_GMEMS		3
#define FUZZ_MAX_OPS		64
#define FUZZ_PAGES		64		/* the gpa window most values fall in */
#define FUZZ_PAGE		4096ull
#define FUZZ_BUF_SIZE		(256 << 10)	/* all user memory: shared, sources, args */
#define FUZZ_RUNS		4		/* KVM_RUNs an operation answers exits for */
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

enum fuzz_op {
	FUZZ_VM_CREATE,
	FUZZ_VCPU_CREATE,
	FUZZ_GMEM_CREATE,
	FUZZ_MEMSLOT,
	FUZZ_ATTRIBUTES,
	FUZZ_PUNCH,
	FUZZ_SNP,
	FUZZ_TDX,
	FUZZ_RUN,
	FUZZ_DIRTY_LOG,
	FUZZ_CLOSE,
	FUZZ_RAW_IOCTL,
	FUZZ_FAIL,
	FUZZ_NR_OPS,
};

struct fuzz_vcpu {
	int fd;
	struct kvm_run *run;
};

struct fuzz {
	const uint8_t *p;
	size_t left;
	int kvm, sev;
	int vm[FUZZ_VMS];
	struct fuzz_vcpu vcpu[FUZZ_VCPUS];
	int gmem[FUZZ_GMEMS];
	uint8_t *buf;		/* FUZZ_BUF_SIZE bytes, then a guard page */
};

void fuzz_fail(const char *why)
{
	fprintf(stderr, "kvm_coco_fuzz: %s\n", why);
	abort();
}

/* FUZZ_VERBOSE=1 in the environment: every call and its result on stderr, to read a finding. */
static int fuzz_verbose = -1;

static int logged(const char *what, unsigned long req, int r)
{
	int err = errno;

	if (fuzz_verbose < 0)
		fuzz_verbose = !!getenv("FUZZ_VERBOSE");
	if (fuzz_verbose)
		fprintf(stderr, "%s %#lx = %d%s%s\n", what, req, r, r < 0 ? " " : "",
			r < 0 ? strerror(err) : "");
	errno = err;
	return r;
}

static int ioctl_fd(int fd, unsigned long req, uint64_t arg)
{
	return logged("ioctl", req, kvm_coco_ioctl(fd, req, arg));
}

/* The input's next @bytes bytes as a number; zeros once it is used up. */
static uint64_t take(struct fuzz *f, unsigned int bytes)
{
	uint64_t v = 0;

	if (bytes > f->left)
		bytes = f->left;
	memcpy(&v, f->p, bytes);
	f->p += bytes;
	f->left -= bytes;
	return v;
}

static uint8_t take8(struct fuzz *f)
{
	return take(f, 1);
}

/* A page count: mostly a few, sometimes anything that fits 32 bits. */
static uint64_t take_pages(struct fuzz *f)
{
	uint8_t b = take8(f);

	return b & 0x80 ? take(f, 4) : b % (FUZZ_PAGES / 2);
}

/* A byte address or size: a page multiple in the window, or raw (misaligned, huge, wrapping). */
static uint64_t take_addr(struct fuzz *f)
{
	uint8_t b = take8(f);

	if (!(b & 0x80))
		return (b % FUZZ_PAGES) * FUZZ_PAGE;
	return b & 0x40 ? take(f, 8) : (take(f, 2) * FUZZ_PAGE) + (b & 1);
}

/* One byte of @a (@n bytes) the input names, set to what it says. */
static void poke(struct fuzz *f, void *a, size_t n)
{
	uint8_t i = take8(f);

	((uint8_t *)a)[i % n] = take8(f);
}

/* @len bytes that end where the buffer does: the byte after them is the guard page. */
static void *user_buf(struct fuzz *f, size_t len)
{
	if (len > FUZZ_BUF_SIZE)
		len = FUZZ_BUF_SIZE;
	return f->buf + FUZZ_BUF_SIZE - len;
}

/* A pointer the kernel reads or writes @len bytes at: or, as the input says, a page short. */
static void *user_ptr(struct fuzz *f, size_t len)
{
	if (take8(f) == 0xff)
		len = len > FUZZ_PAGE ? len - FUZZ_PAGE : 0;
	return user_buf(f, len);
}

/* The @i-th handle of a table of @n, as the input names it. */
static int *slot_of(struct fuzz *f, int *table, unsigned int n)
{
	return &table[take8(f) % n];
}

static int vm_fd(struct fuzz *f)
{
	return *slot_of(f, f->vm, FUZZ_VMS);
}

static struct fuzz_vcpu *vcpu_of(struct fuzz *f)
{
	return &f->vcpu[take8(f) % FUZZ_VCPUS];
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		kvm_coco_close(*fd);
	*fd = -1;
}

static void close_vcpu(struct fuzz_vcpu *v)
{
	if (v->run)
		munmap(v->run, FUZZ_PAGE);
	v->run = NULL;
	close_fd(&v->fd);
}

static void op_vm_create(struct fuzz *f)
{
	int *slot = slot_of(f, f->vm, FUZZ_VMS);
	uint8_t b = take8(f);
	unsigned long type = b & 0x80 ? take(f, 8) : b % (KVM_X86_TDX_VM + 1);
	struct kvm_enable_cap engine = { .cap = KVM_CAP_COCO_ENGINE,
					 .args = { KVM_COCO_ENGINE_MODEL } };
	struct kvm_enable_cap hc = { .cap = KVM_CAP_EXIT_HYPERCALL,
				     .args = { 1 << KVM_HC_MAP_GPA_RANGE } };

	close_fd(slot);
	*slot = ioctl_fd(f->kvm, KVM_CREATE_VM, type);
	/* Never the TCG engine: a guest running the buffer's bytes would write anywhere. */
	if (*slot >= 0 && ioctl_fd(*slot, KVM_ENABLE_CAP, (uintptr_t)&engine))
		close_fd(slot);
	/* Conversions exit to the VMM, as every confidential VMM asks. */
	if (*slot >= 0 && !(b & 0x40))
		ioctl_fd(*slot, KVM_ENABLE_CAP, (uintptr_t)&hc);
}

static void op_vcpu_create(struct fuzz *f)
{
	struct fuzz_vcpu *v = vcpu_of(f);
	int vm = vm_fd(f);
	uint8_t id = take8(f);

	close_vcpu(v);
	v->fd = ioctl_fd(vm, KVM_CREATE_VCPU, id & 0x80 ? take(f, 8) : id % 8);
	if (v->fd < 0)
		return;
	v->run = kvm_coco_mmap(NULL, FUZZ_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		v->run = NULL;
}

static void op_gmem_create(struct fuzz *f)
{
	int *slot = slot_of(f, f->gmem, FUZZ_GMEMS);
	int vm = vm_fd(f);
	struct kvm_create_guest_memfd g = { .size = take_pages(f) * FUZZ_PAGE };

	if (take8(f) == 0xff) {
		g.size = take(f, 8);
		g.flags = take(f, 8);
		poke(f, g.reserved, sizeof(g.reserved));
	}
	close_fd(slot);
	*slot = ioctl_fd(vm, KVM_CREATE_GUEST_MEMFD, (uintptr_t)&g);
}

static void op_memslot(struct fuzz *f)
{
	static const uint32_t flags[] = { KVM_MEM_GUEST_MEMFD, 0, KVM_MEM_LOG_DIRTY_PAGES,
					  KVM_MEM_GUEST_MEMFD | KVM_MEM_LOG_DIRTY_PAGES,
					  KVM_MEM_READONLY };
	struct kvm_userspace_memory_region2 r = {};
	int vm = vm_fd(f);
	uint8_t s = take8(f), raw;

	/* One statement each: the input is read in this order under any compiler. */
	r.slot = s & 0x80 ? take(f, 4) : s % 4;
	r.flags = flags[take8(f) % 5];
	r.guest_phys_addr = take_addr(f);
	r.memory_size = take_addr(f);
	r.guest_memfd = *slot_of(f, f->gmem, FUZZ_GMEMS);
	r.guest_memfd_offset = take_addr(f);
	raw = take8(f);

	r.userspace_addr = (uintptr_t)f->buf + (take8(f) % 16) * FUZZ_PAGE;
	if (raw == 0xff) {
		r.flags = take(f, 4);
		r.userspace_addr = take(f, 8);
		r.pad1 = take8(f);
		poke(f, r.pad2, sizeof(r.pad2));
	}
	if (raw == 0xfe)
		ioctl_fd(vm, KVM_SET_USER_MEMORY_REGION, (uintptr_t)&r);
	else
		ioctl_fd(vm, KVM_SET_USER_MEMORY_REGION2, (uintptr_t)&r);
}

static void set_attributes(int vm, uint64_t gpa, uint64_t size, uint64_t attrs)
{
	struct kvm_memory_attributes a = { .address = gpa, .size = size, .attributes = attrs };

	ioctl_fd(vm, KVM_SET_MEMORY_ATTRIBUTES, (uintptr_t)&a);
}

static void op_attributes(struct fuzz *f)
{
	int vm = vm_fd(f);
	uint64_t gpa = take_addr(f), size = take_addr(f);
	uint8_t b = take8(f);
	struct kvm_memory_attributes a = {
		.address = gpa,
		.size = size,
		.attributes = b & 1 ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0,
	};

	if (b == 0xff) {
		a.attributes = take(f, 8);
		a.flags = take(f, 8);
	}
	ioctl_fd(vm, b == 0xfe ? KVM_COCO_GET_MEMORY_ATTRIBUTES : KVM_SET_MEMORY_ATTRIBUTES,
		 (uintptr_t)&a);
}

static void op_punch(struct fuzz *f)
{
	int gmem = *slot_of(f, f->gmem, FUZZ_GMEMS);
	uint8_t b = take8(f);
	int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
	uint64_t offset;

	if (b & 1)
		mode = 0;
	if (b == 0xff)
		mode = take(f, 4);
	offset = take_addr(f);
	logged("fallocate", mode, kvm_coco_fallocate(gmem, mode, offset, take_addr(f)));
}

static int snp_cmd(struct fuzz *f, int vm, uint32_t id, void *data)
{
	struct kvm_sev_cmd cmd = { .id = id, .data = (uintptr_t)data, .sev_fd = f->sev };

	if (take8(f) == 0xff) {
		cmd.sev_fd = take(f, 4);
		cmd.pad0 = take(f, 4);
	}
	return ioctl_fd(vm, KVM_MEMORY_ENCRYPT_OP, (uintptr_t)&cmd);
}

/*
 * The PSP device: a command of the few it knows (status, PDH export, SNP config and commit)
 * with a buffer of the input's bytes; lengths and TCBs mostly near the right ones.
 */
static void op_psp(struct fuzz *f, uint8_t what)
{
	static const uint32_t cmds[] = { SNP_PLATFORM_STATUS, SEV_PDH_CERT_EXPORT, SNP_SET_CONFIG,
					 SNP_COMMIT, SEV_PEK_GEN };
	struct sev_issue_cmd arg = { .cmd = cmds[what % ARRAY_SIZE(cmds)] };
	uint8_t *buf = user_buf(f, 4 * FUZZ_PAGE);
	struct sev_user_data_pdh_cert_export e = {
		.pdh_cert_address = (uintptr_t)buf, .pdh_cert_len = take(f, 2),
		.cert_chain_address = (uintptr_t)buf + FUZZ_PAGE, .cert_chain_len = take(f, 2),
	};
	struct sev_user_data_snp_config c = {
		.reported_tcb = kvm_coco_snp_current_tcb() - take8(f),
		.mask_chip_id = take8(f), .mask_chip_key = take8(f),
	};

	if (arg.cmd == SEV_PDH_CERT_EXPORT)
		arg.data = (uintptr_t)&e;
	else if (arg.cmd == SNP_SET_CONFIG)
		arg.data = (uintptr_t)&c;
	else
		arg.data = (uintptr_t)user_ptr(f, 64);
	ioctl_fd(f->sev, SEV_ISSUE_CMD, (uintptr_t)&arg);
}

/* SEV and SEV-ES launch, on a default VM (legacy INIT) or an SEV-type one. */
static void op_sev(struct fuzz *f, int vm, uint8_t what, uint8_t raw)
{
	switch (what) {
	case 0: {
		struct kvm_sev_launch_start s = { .policy = raw & 4 };

		snp_cmd(f, vm, raw & 1 ? KVM_SEV_ES_INIT : KVM_SEV_INIT, NULL);
		if (raw == 0xff) {
			s.policy = take(f, 4);
			s.session_uaddr = (uintptr_t)user_ptr(f, 64);
			s.session_len = take(f, 4);
		} else if (raw == 0xfe) {	/* an owner's certificate and session, of bytes */
			s.dh_uaddr = (uintptr_t)user_ptr(f, 0x824);
			s.dh_len = 0x824;
			s.session_uaddr = (uintptr_t)user_ptr(f, 0x80);
			s.session_len = 0x80;
		}
		snp_cmd(f, vm, KVM_SEV_LAUNCH_START, &s);
		break;
	}
	case 1: {
		struct kvm_sev_launch_update_data u = { .len = take_pages(f) * FUZZ_PAGE };

		u.uaddr = (uintptr_t)user_ptr(f, u.len);
		if (raw == 0xff) {
			u.uaddr += take8(f);
			u.len = take(f, 4);
		}
		snp_cmd(f, vm, KVM_SEV_LAUNCH_UPDATE_DATA, &u);
		break;
	}
	case 2: {
		struct kvm_sev_launch_measure m = { .len = raw & 0x80 ? 48 : take8(f) };
		struct kvm_sev_guest_status st;

		struct kvm_sev_launch_secret sec = { .hdr_len = 52, .guest_len = take8(f) + 1 };

		m.uaddr = (uintptr_t)user_ptr(f, 64);
		sec.hdr_uaddr = (uintptr_t)user_ptr(f, 64);
		sec.guest_uaddr = (uintptr_t)user_ptr(f, 2 * FUZZ_PAGE) + take8(f) % 128 * 16;
		sec.trans_uaddr = (uintptr_t)user_ptr(f, 256);
		sec.trans_len = raw & 0x40 ? take(f, 4) : sec.guest_len;
		snp_cmd(f, vm, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL);
		snp_cmd(f, vm, KVM_SEV_LAUNCH_MEASURE, &m);
		snp_cmd(f, vm, KVM_SEV_LAUNCH_SECRET, &sec);	/* the MAC cannot hold */
		snp_cmd(f, vm, KVM_SEV_GUEST_STATUS, &st);
		snp_cmd(f, vm, raw & 1 ? KVM_SEV_LAUNCH_FINISH : take8(f), NULL);
		break;
	}
	default: {
		struct kvm_enable_cap cap = { .cap = raw & 1 ? KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM :
							   KVM_CAP_VM_COPY_ENC_CONTEXT_FROM,
					      .args = { vm_fd(f) } };
		struct kvm_enc_region r = { .addr = (uintptr_t)user_ptr(f, FUZZ_PAGE),
					    .size = raw == 0xff ? take(f, 8) : FUZZ_PAGE };

		if ((raw & 0x18) == 0x18)
			op_psp(f, raw >> 5);
		else if (raw & 2)
			ioctl_fd(vm, raw & 4 ? KVM_MEMORY_ENCRYPT_REG_REGION :
					       KVM_MEMORY_ENCRYPT_UNREG_REGION, (uintptr_t)&r);
		else
			ioctl_fd(vm, KVM_ENABLE_CAP, (uintptr_t)&cap);
		break;
	}
	}
}

/* SNP (and the SEV INIT2 it starts with): mostly well-formed, fields raw now and then. */
static void op_snp(struct fuzz *f)
{
	int vm = vm_fd(f);
	uint8_t what = take8(f), raw = take8(f);

	if (what & 4)
		return op_sev(f, vm, what & 3, raw);
	switch (what % 4) {
	case 0: {
		struct kvm_sev_init init = { .vmsa_features = raw == 0xff ? take(f, 8) : 0 };

		if (raw == 0xfd)
			snp_cmd(f, vm, KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL);
		else
			snp_cmd(f, vm, raw == 0xfe ? take(f, 4) : KVM_SEV_INIT2, &init);
		break;
	}
	case 1: {
		struct kvm_sev_snp_launch_start s = { .policy = 0x30000 };

		if (raw == 0xff) {
			s.policy = take(f, 8);
			s.flags = take(f, 2);
			poke(f, s.pad1, sizeof(s.pad1));
		}
		snp_cmd(f, vm, KVM_SEV_SNP_LAUNCH_START, &s);
		break;
	}
	case 2: {
		struct kvm_sev_snp_launch_update u = { .len = take_pages(f) * FUZZ_PAGE };

		u.gfn_start = take_addr(f) / FUZZ_PAGE;
		u.type = take8(f) % 7;
		u.uaddr = (uintptr_t)user_ptr(f, u.len);
		if (raw == 0xff) {
			u.len = take(f, 8);
			u.flags = take(f, 2);
			poke(f, u.pad2, sizeof(u.pad2));
			u.type = take8(f);
		}
		snp_cmd(f, vm, KVM_SEV_SNP_LAUNCH_UPDATE, &u);
		break;
	}
	case 3: {
		struct kvm_sev_snp_launch_finish fin = { .host_data = { take8(f) } };

		if (raw == 0xff) {
			fin.id_block_en = take8(f);
			fin.auth_key_en = take8(f);
			fin.id_block_uaddr = (uintptr_t)user_ptr(f, KVM_SEV_SNP_ID_BLOCK_SIZE);
			fin.id_auth_uaddr = (uintptr_t)user_ptr(f, KVM_SEV_SNP_ID_AUTH_SIZE);
			fin.flags = take(f, 2);
		}
		snp_cmd(f, vm, KVM_SEV_SNP_LAUNCH_FINISH, &fin);
		break;
	}
	}
}

static int tdx_cmd(struct fuzz *f, int fd, uint32_t id, uint32_t flags, uint64_t data)
{
	struct kvm_tdx_cmd cmd = { .id = id, .flags = flags, .data = data };

	if (take8(f) == 0xff)
		cmd.hw_error = take(f, 8);
	return ioctl_fd(fd, KVM_MEMORY_ENCRYPT_OP, (uintptr_t)&cmd);
}

/* INIT_VM's struct and CPUID entries, at the end of the buffer. */
static void *tdx_init_vm_arg(struct fuzz *f)
{
	uint8_t nent = take8(f);
	size_t len = sizeof(struct kvm_tdx_init_vm) + 4 * sizeof(struct kvm_cpuid_entry2);
	struct kvm_tdx_init_vm *p = user_buf(f, len);

	memset(p, 0, len);
	p->xfam = 0x3;
	p->cpuid.nent = nent & 0x80 ? take(f, 4) : nent % 5;
	p->cpuid.entries[0] = (struct kvm_cpuid_entry2){ .function = 0x80000008, .eax = 46 };
	/* The other configurable leaves; the last with a bit the module refuses. */
	p->cpuid.entries[1] = (struct kvm_cpuid_entry2){ .function = 1, .ecx = 1u << 31 };
	p->cpuid.entries[2] = (struct kvm_cpuid_entry2){ .function = 7, .ebx = 1 };
	p->cpuid.entries[3] = (struct kvm_cpuid_entry2){ .function = 0x80000001, .eax = 1 };
	if (take8(f) == 0xff) {
		p->attributes = take(f, 8);
		p->xfam = take(f, 8);
		poke(f, p->reserved, sizeof(p->reserved));
	}
	return p;
}

static void op_tdx(struct fuzz *f)
{
	uint8_t what = take8(f);
	uint32_t id, flags;
	int fd;

	switch (what % 6) {
	case 0:
		fd = vm_fd(f);
		tdx_cmd(f, fd, KVM_TDX_INIT_VM, 0, (uintptr_t)tdx_init_vm_arg(f));
		break;
	case 1:
		fd = vcpu_of(f)->fd;
		tdx_cmd(f, fd, KVM_TDX_INIT_VCPU, 0, take(f, 8));
		break;
	case 2: {
		struct kvm_tdx_init_mem_region *r = user_buf(f, sizeof(*r));

		r->nr_pages = take_pages(f);
		r->gpa = take_addr(f);
		r->source_addr = (uintptr_t)user_ptr(f, r->nr_pages * FUZZ_PAGE);
		fd = vcpu_of(f)->fd;
		flags = take8(f) & 1 ? KVM_TDX_MEASURE_MEMORY_REGION : 0;
		tdx_cmd(f, fd, KVM_TDX_INIT_MEM_REGION, flags, (uintptr_t)r);
		break;
	}
	case 3:
		tdx_cmd(f, vm_fd(f), KVM_TDX_FINALIZE_VM, 0, 0);
		break;
	case 4: {
		size_t len = sizeof(struct kvm_tdx_capabilities) +
			     8 * sizeof(struct kvm_cpuid_entry2);
		struct kvm_tdx_capabilities *c = user_buf(f, len);
		struct kvm_cpuid2 *out = (struct kvm_cpuid2 *)c;

		memset(c, 0, len);
		/* GET_CPUID on a vCPU (room for 0-9 entries), or CAPABILITIES. */
		if (what & 0x80) {
			out->nent = take8(f) % 10;
			tdx_cmd(f, vcpu_of(f)->fd, KVM_TDX_GET_CPUID, 0, (uintptr_t)out);
			break;
		}
		c->cpuid.nent = take8(f) % 10;
		tdx_cmd(f, vm_fd(f), KVM_TDX_CAPABILITIES, 0, (uintptr_t)c);
		break;
	}
	default:
		/* Any command id and flags, on either kind of descriptor. */
		fd = what & 0x80 ? vm_fd(f) : vcpu_of(f)->fd;
		id = take(f, 4);
		flags = take(f, 4);
		tdx_cmd(f, fd, id, flags, take(f, 8));
	}
}

/* Hand the vCPU an event, as the guest would cause it. */
static void inject(struct fuzz *f, int vcpu)
{
	uint8_t what = take8(f);

	switch (what % 5) {
	case 0: {
		struct kvm_coco_npf n = { .gpa = take_addr(f) };

		n.error_code = take(f, 8);
		/* Mostly the bits an NPF has (#PF low bits, AMD's 31-36). */
		if (!(what & 0x80))
			n.error_code &= 0x1f00000001full;
		ioctl_fd(vcpu, KVM_COCO_VCPU_INJECT_NPF, (uintptr_t)&n);
		break;
	}
	case 1: {
		struct kvm_coco_access a = { .gpa = take_addr(f) };

		a.flags = take8(f);
		if (!(what & 0x80))
			a.flags &= 7;
		ioctl_fd(vcpu, KVM_COCO_VCPU_INJECT_ACCESS, (uintptr_t)&a);
		break;
	}
	case 2: {
		struct kvm_regs regs = { .rflags = 2 };

		regs.rax = what & 0x80 ? take8(f) : KVM_HC_MAP_GPA_RANGE;
		regs.rbx = take_addr(f);
		regs.rcx = take_pages(f);
		regs.rdx = take8(f) & 1 ? KVM_MAP_GPA_RANGE_ENCRYPTED : 0;
		ioctl_fd(vcpu, KVM_SET_REGS, (uintptr_t)&regs);
		ioctl_fd(vcpu, KVM_COCO_VCPU_INJECT_VMMCALL, 0);
		break;
	}
	case 3: {
		/* A page-state change (0x014: gfn in 51:12, op in 55:52), or anything. */
		uint64_t msr = 0x014 | (take_addr(f) & ~0xfffull);

		msr |= (uint64_t)(take8(f) % 3) << 52;
		if (what & 0x80)
			msr = take(f, 8);
		ioctl_fd(vcpu, KVM_COCO_VCPU_INJECT_VMGEXIT_MSR, (uintptr_t)&msr);
		break;
	}
	default: {
		struct kvm_coco_tdvmcall c = { .r11 = 0x10001, .r12 = take_addr(f) };

		c.r12 |= take8(f) & 1 ? 1ull << 47 : 0;
		c.r13 = take_addr(f);
		if (what & 0x80) {
			c.r10 = take(f, 8);
			c.r11 = take(f, 8);
			c.flags = take(f, 4);
		}
		ioctl_fd(vcpu, KVM_COCO_VCPU_INJECT_TDVMCALL, (uintptr_t)&c);
	}
	}
}

/*
 * Answer what the VMM must, as the input's byte @how says: bit 0 converts for a hypercall or
 * a memory fault, the rest is the hypercall's result; for certificates, one of the answers
 * (a wrong one too) and the pages it needs.
 */
static void answer(int vm, struct kvm_run *run, uint8_t how)
{
	static const uint64_t certs_ret[] = { 0, ENOSPC, EAGAIN, EIO, ENOENT };
	bool convert = how & 1;

	switch (run->exit_reason) {
	case KVM_EXIT_HYPERCALL:
		if (convert)
			set_attributes(vm, run->hypercall.args[0],
				       run->hypercall.args[1] * FUZZ_PAGE,
				       run->hypercall.args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED ?
				       KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
		run->hypercall.ret = how >> 1;
		break;
	case KVM_EXIT_MEMORY_FAULT:
		if (convert)
			set_attributes(vm, run->memory_fault.gpa, run->memory_fault.size,
				       run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE ?
				       KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
		break;
	case KVM_EXIT_SNP_REQ_CERTS:
		run->snp_req_certs.ret = certs_ret[(how >> 1) % 5];
		run->snp_req_certs.npages = how >> 4;
		break;
	}
}

/*
 * An event, then KVM_RUN until the guest halts (no event left), at most FUZZ_RUNS times.  The
 * answers are read first, a fixed number of bytes, so what follows parses the same whatever
 * the exits were.
 */
/* KVM_CAP_SYNC_REGS: the sets to fill and to take (any bits), some of them from the input. */
static void sync_regs(struct fuzz *f, struct kvm_run *run)
{
	uint8_t *s = (uint8_t *)&run->s.regs, n = take8(f);

	run->kvm_valid_regs = take8(f) & 0x0f;
	run->kvm_dirty_regs = take8(f) & 0x0f;
	while (n-- && f->left)
		s[take(f, 2) % sizeof(run->s.regs)] = take8(f);
}

static void op_run(struct fuzz *f)
{
	struct fuzz_vcpu *v = vcpu_of(f);
	uint8_t how[FUZZ_RUNS];
	int vm = vm_fd(f);
	int i;

	inject(f, v->fd);
	for (i = 0; i < FUZZ_RUNS; i++)
		how[i] = take8(f);
	for (i = 0; i < FUZZ_RUNS; i++) {
		/* An immediate exit is its own answer: nothing else is read from it. */
		if (v->run)
			v->run->immediate_exit = how[i] == 0xff;
		if (v->run && how[i] == 0xfe)
			sync_regs(f, v->run);
		/* A memory fault is -EFAULT with its exit filled in, as upstream. */
		if ((ioctl_fd(v->fd, KVM_RUN, 0) && errno != EFAULT) || !v->run)
			return;
		logged("exit", v->run->exit_reason, 0);
		if (v->run->exit_reason == KVM_EXIT_HLT)
			return;
		answer(vm, v->run, how[i]);
	}
}

static void op_dirty_log(struct fuzz *f)
{
	struct kvm_dirty_log log = { .slot = take8(f) % 5 };

	/* The bitmap may be larger than the buffer: the copy then faults, -EFAULT. */
	log.dirty_bitmap = user_ptr(f, FUZZ_BUF_SIZE);
	if (take8(f) == 0xff)
		log.padding1 = take(f, 4);
	ioctl_fd(vm_fd(f), KVM_GET_DIRTY_LOG, (uintptr_t)&log);
}

static void op_close(struct fuzz *f)
{
	switch (take8(f) % 4) {
	case 0:
		close_fd(slot_of(f, f->vm, FUZZ_VMS));
		break;
	case 1:
		close_vcpu(vcpu_of(f));
		break;
	case 2:
		close_fd(slot_of(f, f->gmem, FUZZ_GMEMS));
		break;
	default:
		close_fd(&f->sev);
	}
}

/* Requests whose argument holds no pointer: any bytes at all may go in. */
static const unsigned long fuzz_raw_requests[] = {
	KVM_CHECK_EXTENSION, KVM_ENABLE_CAP, KVM_GET_REGS, KVM_SET_REGS, KVM_GET_SREGS,
	KVM_SET_SREGS, KVM_GET_MSRS, KVM_SET_MSRS, KVM_GET_FPU, KVM_SET_FPU, KVM_GET_MP_STATE,
	KVM_SET_MP_STATE, KVM_SET_SIGNAL_MASK, KVM_SET_CPUID2, KVM_GET_CPUID2,
	KVM_SET_USER_MEMORY_REGION, KVM_SET_USER_MEMORY_REGION2, KVM_SET_MEMORY_ATTRIBUTES,
	KVM_COCO_GET_MEMORY_ATTRIBUTES, KVM_COCO_SNP_GET_LAUNCH_DIGEST, KVM_COCO_TDX_GET_MRTD,
	KVM_COCO_VCPU_INJECT_NPF, KVM_COCO_VCPU_INJECT_ACCESS, KVM_COCO_VCPU_GET_GHCB_MSR,
	KVM_COCO_VCPU_INJECT_TDVMCALL, KVM_COCO_VCPU_GET_TDVMCALL, KVM_GET_VCPU_MMAP_SIZE,
	KVM_GET_API_VERSION, KVM_GET_SUPPORTED_CPUID, KVM_GET_TSC_KHZ, KVM_SET_TSC_KHZ,
	KVM_SET_NR_MMU_PAGES, KVM_CREATE_IRQCHIP, KVM_HAS_DEVICE_ATTR, KVM_GET_STATS_FD,
	KVM_GET_VCPU_EVENTS, KVM_SET_VCPU_EVENTS, KVM_GET_XSAVE, KVM_SET_XSAVE,
	KVM_GET_DEBUGREGS, KVM_SET_DEBUGREGS,
};

/* A statistics file a raw KVM_GET_STATS_FD made: some of it read, then closed. */
static void read_stats(struct fuzz *f, int fd)
{
	uint8_t *buf = user_buf(f, FUZZ_PAGE);
	uint64_t off = take(f, 2), len = take(f, 2) % (FUZZ_PAGE + 64);

	logged("stats", fd, kvm_coco_pread(fd, buf + FUZZ_PAGE - len % FUZZ_PAGE, len, off));
	logged("stats", fd, kvm_coco_read(fd, buf, take8(f)));
	kvm_coco_close(fd);
}

static void op_raw_ioctl(struct fuzz *f)
{
	uint8_t which = take8(f), len = take8(f);
	unsigned long req = fuzz_raw_requests[which % ARRAY_SIZE(fuzz_raw_requests)];
	uint8_t *arg = user_buf(f, FUZZ_PAGE);
	int fd, r;

	/* The struct's first bytes from the input, the rest zero (counts stay small). */
	memset(arg, 0, FUZZ_PAGE);
	while (len-- && f->left)
		arg[len % FUZZ_PAGE] = take8(f);
	switch (take8(f) % 4) {
	case 0:
		fd = f->kvm;
		break;
	case 1:
		fd = vm_fd(f);
		break;
	case 2:
		fd = vcpu_of(f)->fd;
		break;
	default:
		fd = *slot_of(f, f->gmem, FUZZ_GMEMS);
	}
	if (which & 0x80)
		req ^= take(f, 4);
	/* The engine stays MODEL (see op_vm_create()). */
	if (req == KVM_ENABLE_CAP && ((struct kvm_enable_cap *)arg)->cap == KVM_CAP_COCO_ENGINE)
		((struct kvm_enable_cap *)arg)->args[0] = KVM_COCO_ENGINE_MODEL;
	r = ioctl_fd(fd, req, req == KVM_CHECK_EXTENSION ? take(f, 4) : (uintptr_t)arg);
	if (req == KVM_GET_STATS_FD && r >= 0)
		read_stats(f, r);
}

/* Make the n-th allocation, SNP firmware command or SEAMCALL from now fail. */
static void op_fail(struct fuzz *f)
{
	uint8_t what = take8(f), nth = take8(f) % 16 + 1;

	logged("fail", what % 3, nth);
	switch (what % 3) {
	case 0:
		host_fail_alloc_after(nth);
		break;
	case 1:
		host_snp_fw_fail(-1, nth, what & 0x80 ? SEV_RET_INVALID_PAGE_STATE :
							 SEV_RET_INVALID_PARAM);
		break;
	default:
		host_tdx_fail(nth, 0xC000010000000000ull);	/* TDX_OPERAND_INVALID */
	}
}

static void (*const fuzz_ops[FUZZ_NR_OPS])(struct fuzz *f) = {
	[FUZZ_VM_CREATE] = op_vm_create,
	[FUZZ_VCPU_CREATE] = op_vcpu_create,
	[FUZZ_GMEM_CREATE] = op_gmem_create,
	[FUZZ_MEMSLOT] = op_memslot,
	[FUZZ_ATTRIBUTES] = op_attributes,
	[FUZZ_PUNCH] = op_punch,
	[FUZZ_SNP] = op_snp,
	[FUZZ_TDX] = op_tdx,
	[FUZZ_RUN] = op_run,
	[FUZZ_DIRTY_LOG] = op_dirty_log,
	[FUZZ_CLOSE] = op_close,
	[FUZZ_RAW_IOCTL] = op_raw_ioctl,
	[FUZZ_FAIL] = op_fail,
};

/* The whole buffer and its guard page, once: inputs only ever write inside it. */
static uint8_t *fuzz_buffer(void)
{
	static uint8_t *buf;

	if (!buf) {
		buf = mmap(NULL, FUZZ_BUF_SIZE + FUZZ_PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED || mprotect(buf + FUZZ_BUF_SIZE, FUZZ_PAGE, PROT_NONE))
			fuzz_fail("no buffer");
	}
	return buf;
}

static void fuzz_teardown(struct fuzz *f)
{
	struct sev_user_data_snp_config c = { .reported_tcb = kvm_coco_snp_current_tcb() };
	struct sev_issue_cmd arg = { .cmd = SNP_SET_CONFIG, .data = (uintptr_t)&c };
	int i;

	host_fail_alloc_after(0);
	host_snp_fw_fail(-1, 0, 0);
	host_tdx_fail(0, 0);
	/* The platform's configuration is the next input's too: back to the default. */
	kvm_coco_ioctl(f->sev, SEV_ISSUE_CMD, &arg);
	for (i = 0; i < FUZZ_VCPUS; i++)
		close_vcpu(&f->vcpu[i]);
	for (i = 0; i < FUZZ_GMEMS; i++)
		close_fd(&f->gmem[i]);
	for (i = 0; i < FUZZ_VMS; i++)
		close_fd(&f->vm[i]);
	close_fd(&f->sev);
	close_fd(&f->kvm);
}

/*
 * The library is back where it was: nothing warned, leaked or broke an invariant.  Pages the
 * firmware or the TDX module would not give back are leaked on purpose and counted.  An input
 * that leaked pages may leave objects too: the records of the leak (the SNP leak list's
 * nodes), and a TD whose key the module kept keeps the module's records of it; an SEV guest
 * context the firmware would not decommission keeps the firmware's records of it.
 */
static void fuzz_check(const struct host_counters *base, unsigned long snp_leaked,
		       unsigned long tdx_leaked, unsigned long sev_leaked)
{
	unsigned long leaked = host_snp_leaked_pages() - snp_leaked +
			       host_tdx_leaked_pages() - tdx_leaked;
	bool kept = leaked || host_sev_leaked_contexts() != sev_leaked;
	struct host_counters now;
	char why[256];

	host_get_counters(&now);
	if (now.warnings != base->warnings)
		fuzz_fail("a WARN fired");
	if (host_snp_rmp_check(why, sizeof(why)))
		fuzz_fail(why);
	if (host_tdx_pamt_check(why, sizeof(why)))
		fuzz_fail(why);
	snprintf(why, sizeof(why), "left over: %ld files, %ld objects, %ld vmalloc areas, "
		 "%ld pages (%lu of them counted as leaked)", now.files - base->files,
		 now.allocs - base->allocs, now.vmallocs - base->vmallocs,
		 now.pages - base->pages, leaked);
	if (now.files != base->files)
		host_dump_files();
	if (now.files != base->files || (now.allocs != base->allocs && !kept) ||
	    now.vmallocs != base->vmallocs || now.pages != base->pages + (long)leaked)
		fuzz_fail(why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz f = { .p = data, .left = size, .buf = fuzz_buffer() };
	unsigned long snp_leaked = host_snp_leaked_pages(), tdx_leaked = host_tdx_leaked_pages();
	unsigned long sev_leaked = host_sev_leaked_contexts();
	struct host_counters base;
	int i, ops;

	memset(f.vm, -1, sizeof(f.vm));
	memset(f.gmem, -1, sizeof(f.gmem));
	for (i = 0; i < FUZZ_VCPUS; i++)
		f.vcpu[i] = (struct fuzz_vcpu){ .fd = -1 };
	f.kvm = kvm_coco_open();
	f.sev = kvm_coco_open_sev();
	if (f.kvm < 0 || f.sev < 0)
		fuzz_fail("cannot open the devices");
	host_get_counters(&base);
	/* The two device files are part of the baseline until they are closed. */
	base.files -= 2;
	for (ops = 0; ops < FUZZ_MAX_OPS && f.left; ops++) {
		enum fuzz_op op = take8(&f) % FUZZ_NR_OPS;

		logged("op", op, 0);
		fuzz_ops[op](&f);
	}
	fuzz_teardown(&f);
	fuzz_check(&base, snp_leaked, tdx_leaked, sev_leaked);
	return 0;
}
