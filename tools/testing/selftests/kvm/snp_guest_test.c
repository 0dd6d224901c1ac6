// SPDX-License-Identifier: GPL-2.0
/*
 * An SNP guest's own instructions on the TCG engine.  The guest image (page tables with the
 * C-bit, code) goes in through LAUNCH_UPDATE, so it is private and validated; the guest then
 * reads SEV_STATUS, PVALIDATEs a page the fault path hands it, writes and reads it back, asks
 * for a page to become shared with the GHCB MSR protocol's page-state change, and finally
 * touches a private page it never validated (#VC).  It reports through the MSR protocol's
 * termination request (KVM_EXIT_SYSTEM_EVENT), a value in the reason code.  Its #VC handler
 * (through its IDT) reports the error code, validates the page and returns with IRETQ, and the
 * access goes on.  A second guest
 * makes each kind of private/shared mismatch with its own instructions: each exits with
 * KVM_EXIT_MEMORY_FAULT for its page, and goes on once the VMM converts.  A third sends
 * guest messages (SNP Guest Request) through the GHCB page: attestation reports checked with
 * OpenSSL against the VCEK certificate of the chip's chain, derived keys, and the refusals; and
 * the VMM's part in the extended request's certificates (KVM_EXIT_SNP_REQ_CERTS).
 */
#include <sys/mman.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <linux/kvm_para.h>

#include "sev.h"
#include "kvm-coco-test.h"

#define MEM		(4ul << 20)
#define IMAGE		0x10000			/* launched: [0, IMAGE) */
#define C_BIT		(1ull << 51)		/* the model CPU's C-bit position */
#define GDT		0x4000
#define IDT		0x5000
#define CODE		0x8000
#define VC_HANDLER	0x9000
#define STACK_TOP	0xf000
#define VALIDATED	0x100000		/* the page the guest validates */
#define TO_SHARED	0x101000		/* the page it asks to share */
#define UNVALIDATED	0x102000		/* the page it never validates */
#define GHCB_MSR	0xc0010130
#define SEV_STATUS	0xc0010131
#define SHARED_ALIAS	0x200000		/* gva + this: the same gpa, no C-bit */
#define MISMATCH_PRIV	0x110000		/* shared, validated via the private alias */
#define MISMATCH_SHARED	0x120000		/* private, read through the shared alias */
#define GHCB_GPA	0x130000		/* the GHCB page (shared) */
#define SECRETS		0x11000			/* the secrets page (launched) */
#define KEYS		0x131000		/* where the guest copies its VMPCKs (shared) */
#define REQ		0x132000		/* a guest message (shared) */
#define RESP		0x133000		/* the answer (shared) */
#define CERTS		0x134000		/* the certificate pages (shared, 2) */
#define GHCB_EXIT_CODE	0x390
#define GHCB_EXIT_INFO_1	0x398
#define GHCB_EXIT_INFO_2	0x3a0
#define GHCB_RAX		0x1f8
#define GHCB_RBX		0x318
#define GHCB_SCRATCH	0x3a8
#define GHCB_BITMAP	0x3f0
#define GHCB_BUFFER	0x800
#define VMGEXIT_PSC	0x80000010ull
#define VMGEXIT_TERM	0x8000fffeull
#define VMGEXIT_GUEST_REQ	0x80000011ull
#define VMGEXIT_EXT_GUEST_REQ	0x80000012ull
#define NR_PSC		6
#define PSC_ENTRY(gfn, op, cur, big)	((uint64_t)(cur) | (uint64_t)(gfn) << 12 |	\
					 (uint64_t)(op) << 52 | (uint64_t)(big) << 56)

static uint8_t *emit(uint8_t *p, const void *b, size_t n)
{
	memcpy(p, b, n);
	return p + n;
}

static uint8_t *emit_imm32(uint8_t *p, uint8_t op, uint32_t imm)
{
	*p++ = op;
	return emit(p, &imm, 4);
}

/* PVALIDATE(@gva, 4 KiB, validate): the result in RAX. */
static uint8_t *emit_pvalidate(uint8_t *p, uint32_t gva)
{
	static const uint8_t xor_ecx[] = { 0x31, 0xc9 };
	static const uint8_t pvalidate[] = { 0xf2, 0x0f, 0x01, 0xff };

	p = emit_imm32(p, 0xb8, gva);
	p = emit(p, xor_ecx, sizeof(xor_ecx));
	p = emit_imm32(p, 0xba, 1);
	return emit(p, pvalidate, sizeof(pvalidate));
}

/* RMPADJUST(@gva, @page_2m, @attrs): the result in RAX. */
static uint8_t *emit_rmpadjust(uint8_t *p, uint32_t gva, uint32_t page_2m, uint32_t attrs)
{
	static const uint8_t rmpadjust[] = { 0xf3, 0x0f, 0x01, 0xfe };

	p = emit_imm32(p, 0xb8, gva);
	p = emit_imm32(p, 0xb9, page_2m);
	p = emit_imm32(p, 0xba, attrs);
	return emit(p, rmpadjust, sizeof(rmpadjust));
}

/* mov eax, [@gva] */
static uint8_t *emit_load(uint8_t *p, uint32_t gva)
{
	static const uint8_t load[] = { 0x8b, 0x04, 0x25 };

	p = emit(p, load, sizeof(load));
	return emit(p, &gva, 4);
}

/* Terminate (GHCB MSR 0x100) with EAX's low 16 bits from the reason code up, then go on. */
static uint8_t *emit_report(uint8_t *p)
{
	static const uint8_t report[] = {
		0xc1, 0xe0, 0x10,			/* shl eax, 16 */
		0x0d, 0x00, 0x01, 0x00, 0x00,		/* or eax, 0x100 */
		0x31, 0xd2,				/* xor edx, edx */
		0xb9, 0x30, 0x01, 0x01, 0xc0,		/* mov ecx, GHCB_MSR */
		0x0f, 0x30,				/* wrmsr */
		0xf3, 0x0f, 0x01, 0xd9,			/* vmgexit */
	};

	return emit(p, report, sizeof(report));
}

static void assemble(uint8_t *p)
{
	static const uint8_t rdmsr[] = { 0x0f, 0x32 }, wrmsr[] = { 0x0f, 0x30 };
	static const uint8_t vmgexit[] = { 0xf3, 0x0f, 0x01, 0xd9 };
	static const uint8_t store[] = { 0xc7, 0x04, 0x25 };	/* mov dword [disp32], imm32 */
	uint32_t v;

	/* 1: SEV_STATUS */
	p = emit_imm32(p, 0xb9, SEV_STATUS);
	p = emit(p, rdmsr, sizeof(rdmsr));
	p = emit_report(p);
	/* 2: PVALIDATE(VALIDATED, 4K, validate): RAX */
	p = emit_pvalidate(p, VALIDATED);
	p = emit_report(p);
	/* 3: write and read back the validated page */
	p = emit(p, store, sizeof(store));
	v = VALIDATED;
	p = emit(p, &v, 4);
	v = 0x5a5a5a5a;
	p = emit(p, &v, 4);
	p = emit_load(p, VALIDATED);
	p = emit_report(p);
	/* 4: page-state change of TO_SHARED to shared (MSR protocol), then the answer */
	p = emit_imm32(p, 0xb8, (TO_SHARED >> 12) << 12 | 0x014);
	p = emit_imm32(p, 0xba, 2 << 20);			/* op 2 (shared), bits 55:52 */
	p = emit_imm32(p, 0xb9, GHCB_MSR);
	p = emit(p, wrmsr, sizeof(wrmsr));
	p = emit(p, vmgexit, sizeof(vmgexit));
	p = emit_imm32(p, 0xb9, GHCB_MSR);
	p = emit(p, rdmsr, sizeof(rdmsr));
	p = emit_report(p);
	/* 5: a private page never validated: #VC, and again once the handler validated it */
	p = emit_load(p, UNVALIDATED);
	p = emit_report(p);
	*p = 0xf4;						/* hlt */
}

/* #VC: report the error code, validate the page (the only one that faults), report, return. */
static void assemble_vc_handler(uint8_t *p)
{
	static const uint8_t pop_rax[] = { 0x58 }, iretq[] = { 0x48, 0xcf };

	p = emit(p, pop_rax, sizeof(pop_rax));
	p = emit_report(p);
	p = emit_pvalidate(p, UNVALIDATED);
	p = emit_report(p);
	emit(p, iretq, sizeof(iretq));
}

/*
 * RMPADJUST at VMPL 0: VMPL 1 gets read and write; VMPL 0 itself, VMPL 4, a 2 MiB adjust of
 * 4 KiB entries are refused; VMPL 2 gets execute and the page becomes a VMSA.
 */
static void assemble_rmpadjust(uint8_t *p)
{
	p = emit_pvalidate(p, VALIDATED);
	p = emit_report(p);
	p = emit_rmpadjust(p, VALIDATED, 0, 1 | 0x3 << 8);
	p = emit_report(p);
	p = emit_rmpadjust(p, VALIDATED, 0, 0 | 0x3 << 8);
	p = emit_report(p);
	p = emit_rmpadjust(p, VALIDATED, 0, 4 | 0x3 << 8);
	p = emit_report(p);
	p = emit_rmpadjust(p, 0, 1, 1 | 0x3 << 8);
	p = emit_report(p);
	p = emit_rmpadjust(p, VALIDATED, 0, 2 | 0xc << 8 | 1 << 16);
	p = emit_report(p);
	*p = 0xf4;						/* hlt */
}

/* PVALIDATE a page the VMM left shared; then read a private page through the shared alias. */
static void assemble_mismatches(uint8_t *p)
{
	p = emit_pvalidate(p, MISMATCH_PRIV);
	p = emit_report(p);
	p = emit_load(p, SHARED_ALIAS + MISMATCH_SHARED);
	p = emit_report(p);
	*p = 0xf4;						/* hlt */
}

/*
 * The GHCB page protocol, again and again: VMGEXIT with the GHCB MSR holding GHCB_GPA (the
 * request is in the page already), then report SW_EXITINFO2 (its high half ORed into its low
 * one) and the PSC header's cur_entry.
 */
static void assemble_ghcb_loop(uint8_t *p)
{
	static const uint8_t xor_edx[] = { 0x31, 0xd2 }, wrmsr[] = { 0x0f, 0x30 };
	static const uint8_t vmgexit[] = { 0xf3, 0x0f, 0x01, 0xd9 };
	static const uint8_t load_rax[] = { 0x48, 0x8b, 0x04, 0x25 };	/* mov rax, [disp32] */
	static const uint8_t fold[] = {
		0x48, 0x89, 0xc2,				/* mov rdx, rax */
		0x48, 0xc1, 0xea, 0x20,				/* shr rdx, 32 */
		0x09, 0xd0,					/* or eax, edx */
	};
	static const uint8_t load_u16[] = { 0x0f, 0xb7, 0x04, 0x25 };	/* movzx eax, [] */
	uint8_t *loop = p;
	uint32_t a;
	int32_t rel;

	p = emit_imm32(p, 0xb9, GHCB_MSR);
	p = emit_imm32(p, 0xb8, GHCB_GPA);
	p = emit(p, xor_edx, sizeof(xor_edx));
	p = emit(p, wrmsr, sizeof(wrmsr));
	p = emit(p, vmgexit, sizeof(vmgexit));
	p = emit(p, load_rax, sizeof(load_rax));
	a = SHARED_ALIAS + GHCB_GPA + GHCB_EXIT_INFO_2;
	p = emit(p, &a, 4);
	p = emit(p, fold, sizeof(fold));
	p = emit_report(p);
	p = emit(p, load_u16, sizeof(load_u16));
	a = SHARED_ALIAS + GHCB_GPA + GHCB_BUFFER;
	p = emit(p, &a, 4);
	p = emit_report(p);
	rel = loop - (p + 5);
	p = emit_imm32(p, 0xe9, rel);				/* jmp loop */
}

/* First the guest's VMPCKs from its secrets page to a shared page (a test plays its kernel). */
static void assemble_keys_then_ghcb_loop(uint8_t *p)
{
	static const uint8_t mov_rsi[] = { 0x48, 0xc7, 0xc6 }, mov_rdi[] = { 0x48, 0xc7, 0xc7 };
	static const uint8_t rep_movsb[] = { 0xf3, 0xa4 };
	uint32_t a;

	p = emit(p, mov_rsi, sizeof(mov_rsi));
	a = SECRETS + 0x20;
	p = emit(p, &a, 4);
	p = emit(p, mov_rdi, sizeof(mov_rdi));
	a = SHARED_ALIAS + KEYS;
	p = emit(p, &a, 4);
	p = emit_imm32(p, 0xb9, 4 * 32);			/* mov ecx, 128 */
	p = emit(p, rep_movsb, sizeof(rep_movsb));
	assemble_ghcb_loop(p);
}

/*
 * Page tables at 0x1000-0x3000, read privately: the first 2 MiB 1:1 with the C-bit (the
 * private alias), and again at SHARED_ALIAS without it.  A GDT with 64-bit code and data
 * segments (selectors 8, 16), an IDT whose #VC gate leads to VC_HANDLER.
 */
static void build_image(uint8_t *image, void (*assemble_code)(uint8_t *p))
{
	uint64_t *pml4 = (uint64_t *)(image + 0x1000), *pdpt = (uint64_t *)(image + 0x2000);
	uint64_t *pd = (uint64_t *)(image + 0x3000), *gdt = (uint64_t *)(image + GDT);
	uint64_t *vc_gate = (uint64_t *)(image + IDT + 29 * 16);

	memset(image, 0, IMAGE);
	pml4[0] = C_BIT | 0x2000 | 3;
	pdpt[0] = C_BIT | 0x3000 | 3;
	pd[0] = C_BIT | 0x83;
	pd[1] = 0x83;
	gdt[1] = 0x00af9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	/* Present, DPL 0, 64-bit interrupt gate, selector 8, the handler's address. */
	vc_gate[0] = (VC_HANDLER & 0xffff) | (8ull << 16) | (0x8eull << 40) |
		     ((uint64_t)(VC_HANDLER >> 16) << 48);
	assemble_code(image + CODE);
	assemble_vc_handler(image + VC_HANDLER);
}

static struct kvm_run *map_run(int vcpu)
{
	struct kvm_run *run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
					    vcpu, 0);

	TEST_ASSERT(run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
	return run;
}

/*
 * The guest's next exit is a termination request: the low 16 bits of the guest's EAX, which
 * emit_report() put in the reason code and the bits above it.
 */
static uint32_t run_to_report(int vcpu, struct kvm_run *run)
{
	TEST_ASSERT(!kvm_coco_ioctl(vcpu, KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT(run->exit_reason == KVM_EXIT_SYSTEM_EVENT, "exit %u (internal %u %#llx)",
		    run->exit_reason, run->internal.suberror,
		    (unsigned long long)run->internal.data[0]);
	TEST_ASSERT_EQ(run->system_event.type, KVM_SYSTEM_EVENT_SEV_TERM);
	TEST_ASSERT_EQ(run->system_event.data[0] & 0xfff, 0x100);
	return (run->system_event.data[0] >> 16) & 0xffff;
}

/*
 * An SNP guest on the TCG engine, its image launched, its vCPU about to run it; with @certs,
 * its VMM serves certificates (KVM_SEV_SNP_ENABLE_REQ_CERTS, before the vCPU).
 */
static struct kvm_run *__snp_guest_launch(struct snp_vm *v, void (*assemble_code)(uint8_t *p),
					  bool certs)
{
	struct kvm_enable_cap hc = { .cap = KVM_CAP_EXIT_HYPERCALL,
				     .args = { 1 << KVM_HC_MAP_GPA_RANGE } };
	static uint8_t image[IMAGE] __attribute__((aligned(4096)));

	__snp_vm_create(v, MEM, 0, KVM_COCO_ENGINE_TCG);
	TEST_ASSERT(!certs || !__snp_cmd(v->vm, v->sev, KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, NULL),
		    "KVM_SEV_SNP_ENABLE_REQ_CERTS: %s", strerror(errno));
	v->vcpus[v->nr_vcpus++] = vm_create_vcpu(v->vm, 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(v->vm, KVM_ENABLE_CAP, &hc), 0);
	build_image(image, assemble_code);
	snp_launch_start(v);
	snp_launch_update(v, 0, image, IMAGE, KVM_SEV_SNP_PAGE_TYPE_NORMAL);
	memset(image, 0, PAGE_SIZE);
	snp_launch_update(v, SECRETS >> 12, image, PAGE_SIZE, KVM_SEV_SNP_PAGE_TYPE_SECRETS);
	vcpu_set_long_mode(v->vcpus[0], C_BIT | 0x1000);
	vcpu_set_descriptor_tables(v->vcpus[0], GDT, 23, IDT, 0xfff);
	TEST_ASSERT_EQ(kvm_coco_ioctl(v->vcpus[0], KVM_SET_REGS,
				      &(struct kvm_regs){ .rip = CODE, .rsp = STACK_TOP,
							  .rflags = 2 }), 0);
	snp_launch_finish(v);
	return map_run(v->vcpus[0]);
}

static struct kvm_run *snp_guest_launch(struct snp_vm *v, void (*assemble_code)(uint8_t *p))
{
	return __snp_guest_launch(v, assemble_code, false);
}

static bool have_tcg(void)
{
	return kvm_check_cap(KVM_CAP_COCO_ENGINE) & (1 << KVM_COCO_ENGINE_TCG);
}

static void test_snp_guest_code(void)
{
	struct kvm_run *run;
	struct snp_vm v;
	uint64_t rmp;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	run = snp_guest_launch(&v, assemble);

	/* SEV, SEV-ES and SNP enabled. */
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 7);
	/* PVALIDATE succeeded on the page the private fault assigned. */
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);
	INSPECT(rmp = gfn_rmp(v.vm, VALIDATED >> 12);
		TEST_ASSERT((rmp & RMP_ASSIGNED) && (rmp & RMP_VALIDATED), "rmp %#llx",
			    (unsigned long long)rmp));
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0x5a5a);

	/* The page-state change exits as the MAP_GPA_RANGE hypercall; the VMM converts. */
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[0], KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(run->hypercall.args[0], TO_SHARED);
	TEST_ASSERT_EQ(run->hypercall.args[1], 1);
	TEST_ASSERT_EQ(run->hypercall.args[2], KVM_MAP_GPA_RANGE_DECRYPTED);
	vm_mem_set_shared(v.vm, TO_SHARED, PAGE_SIZE);
	run->hypercall.ret = 0;
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0x15);	/* the PSC response */

	/*
	 * A private page the guest never validated: #VC with the error code 0x404 (not
	 * validated), delivered to its handler, which validates it; the load goes on.
	 */
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0x404);
	INSPECT(rmp = gfn_rmp(v.vm, UNVALIDATED >> 12);
		TEST_ASSERT((rmp & RMP_ASSIGNED) && !(rmp & RMP_VALIDATED), "rmp %#llx",
			    (unsigned long long)rmp));
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);	/* PVALIDATE's RAX */
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);	/* the page's zeroes */
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[0], KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_HLT);
	INSPECT(rmp = gfn_rmp(v.vm, UNVALIDATED >> 12);
		TEST_ASSERT(rmp & RMP_VALIDATED, "rmp %#llx", (unsigned long long)rmp));
	check_rmp();
	munmap(run, PAGE_SIZE);
	snp_vm_destroy(&v);
}

/* KVM_RUN must fail with EFAULT and KVM_EXIT_MEMORY_FAULT for @gpa's page, @flags. */
static void run_to_memory_fault(int vcpu, struct kvm_run *run, uint64_t gpa, uint64_t flags)
{
	TEST_ASSERT(kvm_coco_ioctl(vcpu, KVM_RUN, 0) == -1 && errno == EFAULT,
		    "KVM_RUN should fail with EFAULT: errno %d, exit %u", errno, run->exit_reason);
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_MEMORY_FAULT);
	TEST_ASSERT_EQ(run->memory_fault.gpa, gpa);
	TEST_ASSERT_EQ(run->memory_fault.size, PAGE_SIZE);
	TEST_ASSERT_EQ(run->memory_fault.flags, flags);
}

/* Each mismatch a guest's own instructions make reaches the VMM, which converts. */
static void test_snp_mismatches_exit(void)
{
	struct kvm_run *run;
	struct snp_vm v;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	run = snp_guest_launch(&v, assemble_mismatches);
	vm_mem_set_shared(v.vm, MISMATCH_PRIV, PAGE_SIZE);
	v.shared[MISMATCH_SHARED] = 0x77;

	/* PVALIDATE of a shared gfn: the private access it makes does not match. */
	run_to_memory_fault(v.vcpus[0], run, MISMATCH_PRIV, KVM_MEMORY_EXIT_FLAG_PRIVATE);
	run_to_memory_fault(v.vcpus[0], run, MISMATCH_PRIV, KVM_MEMORY_EXIT_FLAG_PRIVATE);
	vm_mem_set_private(v.vm, MISMATCH_PRIV, PAGE_SIZE);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);

	/* A read through the shared alias of a private gfn. */
	run_to_memory_fault(v.vcpus[0], run, MISMATCH_SHARED, 0);
	vm_mem_set_shared(v.vm, MISMATCH_SHARED, PAGE_SIZE);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0x77);
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[0], KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_HLT);
	check_rmp();
	munmap(run, PAGE_SIZE);
	snp_vm_destroy(&v);
}

static void test_snp_rmpadjust(void)
{
	struct kvm_run *run;
	struct snp_vm v;
	uint64_t lo;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	run = snp_guest_launch(&v, assemble_rmpadjust);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);	/* PVALIDATE */
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);
	TEST_ASSERT_EQ(gfn_vmpl_perms(v.vm, VALIDATED >> 12, 1, &lo), 0x3);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 2);	/* FAIL_PERMISSION */
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 1);	/* FAIL_INPUT */
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 6);	/* FAIL_SIZEMISMATCH */
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);
	TEST_ASSERT_EQ(gfn_vmpl_perms(v.vm, VALIDATED >> 12, 2, &lo), 0xc);
	TEST_ASSERT(lo & (1ull << 61), "no VMSA bit: %#llx", (unsigned long long)lo);
	TEST_ASSERT_EQ(gfn_vmpl_perms(v.vm, VALIDATED >> 12, 1, &lo), 0x3);
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[0], KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_HLT);
	munmap(run, PAGE_SIZE);
	snp_vm_destroy(&v);
}

/* A request in the GHCB page, as the guest would write it: exit code, scratch, valid bits. */
static void ghcb_request(struct snp_vm *v, uint64_t code, bool scratch_valid, uint16_t cur,
			 uint16_t end, const uint64_t *entries, unsigned int n)
{
	uint8_t *ghcb = v->shared + GHCB_GPA;
	uint16_t hdr[4] = { cur, end };
	unsigned int bit;

	memset(ghcb, 0, PAGE_SIZE);
	*(uint64_t *)(ghcb + GHCB_EXIT_CODE) = code;
	*(uint64_t *)(ghcb + GHCB_SCRATCH) = GHCB_GPA + GHCB_BUFFER;
	for (bit = GHCB_EXIT_CODE / 8; bit <= GHCB_SCRATCH / 8 - !scratch_valid; bit++)
		ghcb[GHCB_BITMAP + bit / 8] |= 1 << (bit % 8);
	memcpy(ghcb + GHCB_BUFFER, hdr, sizeof(hdr));
	memcpy(ghcb + GHCB_BUFFER + 8, entries, n * sizeof(*entries));
}

/* The next exit is MAP_GPA_RANGE(@gpa, @npages, @attrs): convert (or refuse with @ret). */
static void expect_psc_exit(struct snp_vm *v, struct kvm_run *run, uint64_t gpa,
			    uint64_t npages, uint64_t attrs, uint64_t ret)
{
	TEST_ASSERT(!kvm_coco_ioctl(v->vcpus[0], KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT(run->exit_reason == KVM_EXIT_HYPERCALL, "exit %u", run->exit_reason);
	TEST_ASSERT_EQ(run->hypercall.args[0], gpa);
	TEST_ASSERT_EQ(run->hypercall.args[1], npages);
	TEST_ASSERT_EQ(run->hypercall.args[2], attrs);
	if (!ret && attrs == KVM_MAP_GPA_RANGE_ENCRYPTED)
		vm_mem_set_private(v->vm, gpa, npages * PAGE_SIZE);
	else if (!ret)
		vm_mem_set_shared(v->vm, gpa, npages * PAGE_SIZE);
	run->hypercall.ret = ret;
}

/*
 * A Linux-style page-state change through the GHCB page: runs of entries become one exit
 * each, PSMASH completes without one, the progress and the answer come back in the page; a
 * bad header, a bad entry, the VMM's refusal, a missing input each get upstream's error;
 * termination through the page is a system event.
 */
static void test_snp_ghcb_page_psc(void)
{
	const uint64_t psc[NR_PSC] = {
		PSC_ENTRY(0x140, 2, 0, 0), PSC_ENTRY(0x141, 2, 0, 0), PSC_ENTRY(0x142, 2, 0, 0),
		PSC_ENTRY(0x150, 1, 0, 0), PSC_ENTRY(0x200, 3, 0, 1),
		PSC_ENTRY(0x200, 2, 0x100, 1),
	};
	const uint64_t bad_entry[] = { PSC_ENTRY(0x160, 2, 0, 0), PSC_ENTRY(0x161, 7, 0, 0) };
	uint64_t *done;
	struct kvm_run *run;
	struct snp_vm v;
	unsigned int i;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	run = snp_guest_launch(&v, assemble_ghcb_loop);
	vm_mem_set_shared(v.vm, GHCB_GPA, PAGE_SIZE);

	ghcb_request(&v, VMGEXIT_PSC, true, 0, NR_PSC - 1, psc, NR_PSC);
	expect_psc_exit(&v, run, 0x140000, 3, KVM_MAP_GPA_RANGE_DECRYPTED, 0);
	expect_psc_exit(&v, run, 0x150000, 1, KVM_MAP_GPA_RANGE_ENCRYPTED, 0);
	expect_psc_exit(&v, run, 0x300000, 256, KVM_MAP_GPA_RANGE_DECRYPTED, 0);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);		/* SW_EXITINFO2 */
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), NR_PSC);	/* cur_entry */
	done = (uint64_t *)(v.shared + GHCB_GPA + GHCB_BUFFER + 8);
	for (i = 0; i < NR_PSC; i++)
		TEST_ASSERT_EQ(done[i] & 0xfff, (psc[i] >> 56) ? 512 : 1);

	/* end_entry past the 253 a GHCB holds: the header is refused, nothing exits. */
	ghcb_request(&v, VMGEXIT_PSC, true, 0, 253, psc, 1);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 1);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);

	/* A bad entry after a good one: the good one converts, then the error at the bad. */
	ghcb_request(&v, VMGEXIT_PSC, true, 0, 1, bad_entry, 2);
	expect_psc_exit(&v, run, 0x160000, 1, KVM_MAP_GPA_RANGE_DECRYPTED, 0);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 3);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 1);

	/* The VMM refuses: the generic error, the entry left undone. */
	ghcb_request(&v, VMGEXIT_PSC, true, 0, 0, psc, 1);
	expect_psc_exit(&v, run, 0x140000, 1, KVM_MAP_GPA_RANGE_DECRYPTED, 1);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0x100);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);

	/* SW_SCRATCH not marked valid: missing input (SW_EXITINFO1 2, SW_EXITINFO2 4). */
	ghcb_request(&v, VMGEXIT_PSC, false, 0, 0, psc, 1);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 4);
	TEST_ASSERT_EQ(run_to_report(v.vcpus[0], run), 0);

	/* Termination through the page. */
	ghcb_request(&v, VMGEXIT_TERM, true, 0, 0, psc, 0);
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[0], KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_SYSTEM_EVENT);
	TEST_ASSERT_EQ(run->system_event.type, KVM_SYSTEM_EVENT_SEV_TERM);
	TEST_ASSERT_EQ(run->system_event.data[0], GHCB_GPA);
	check_rmp();
	munmap(run, PAGE_SIZE);
	snp_vm_destroy(&v);
}

/* A guest message's header (SNP firmware ABI), restated from the guest's side. */
struct msg_hdr {
	uint8_t authtag[32];
	uint64_t seqno;
	uint8_t rsvd1[8];
	uint8_t algo, hdr_version;
	uint16_t hdr_sz;
	uint8_t type, version;
	uint16_t size;
	uint32_t rsvd2;
	uint8_t vmpck;
	uint8_t rsvd3[35];
} __attribute__((packed));

#define MSG_KEY_REQ	3
#define MSG_REPORT_REQ	5
#define REPORT_SIZE	0x4a0

static void gcm(bool seal, const uint8_t *key, uint64_t seqno, const uint8_t *aad,
		const uint8_t *in, uint8_t *out, int len, uint8_t *tag, bool *ok)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t iv[12] = {};
	int n;

	memcpy(iv, &seqno, 8);
	TEST_ASSERT(c && EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, iv, seal) &&
		    EVP_CipherUpdate(c, NULL, &n, aad, 0x30) &&
		    EVP_CipherUpdate(c, out, &n, in, len),
		    "OpenSSL AES-256-GCM");
	if (seal) {
		TEST_ASSERT(EVP_CipherFinal_ex(c, out + n, &n) &&
			    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag), "seal");
	} else {
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag);
		*ok = EVP_CipherFinal_ex(c, out + n, &n) == 1;
	}
	EVP_CIPHER_CTX_free(c);
}

/* A message into the request page, sealed with VMPCK @vmpck as the guest's kernel does. */
static void put_msg(struct snp_vm *v, uint8_t vmpck, uint64_t seqno, uint8_t type,
		    const void *payload, uint16_t len)
{
	uint8_t *page = v->shared + REQ;
	struct msg_hdr *h = (struct msg_hdr *)page;

	memset(page, 0, PAGE_SIZE);
	h->seqno = seqno;
	h->algo = 1;
	h->hdr_version = 1;
	h->hdr_sz = sizeof(*h);
	h->type = type;
	h->version = 1;
	h->size = len;
	h->vmpck = vmpck;
	gcm(true, v->shared + KEYS + 32 * vmpck, seqno, &h->algo, payload, page + sizeof(*h),
	    len, h->authtag, NULL);
}

/* The answer to a message of @type sent as @seqno: opened, its payload (@len bytes) out. */
static void get_msg(struct snp_vm *v, uint8_t vmpck, uint64_t seqno, uint8_t type, void *out,
		    uint16_t len)
{
	const uint8_t *page = v->shared + RESP;
	const struct msg_hdr *h = (const struct msg_hdr *)page;
	bool ok = false;

	TEST_ASSERT(h->seqno == seqno + 1 && h->type == type + 1 && h->size == len &&
		    h->vmpck == vmpck, "response header: seqno %llu type %u size %u",
		    (unsigned long long)h->seqno, h->type, h->size);
	gcm(false, v->shared + KEYS + 32 * vmpck, h->seqno, &h->algo, page + sizeof(*h), out,
	    len, (uint8_t *)h->authtag, &ok);
	TEST_ASSERT(ok, "the response's tag does not hold under the VMPCK");
}

/* The GHCB of VMGEXIT(@code): the request and response pages (and, extended, RAX/RBX). */
static void ghcb_put_request(struct snp_vm *v, uint64_t code, uint64_t req, uint64_t resp,
			     int ext_valid, uint64_t certs, uint64_t npages)
{
	uint8_t *ghcb = v->shared + GHCB_GPA;
	unsigned int off;

	memset(ghcb, 0, PAGE_SIZE);
	*(uint64_t *)(ghcb + GHCB_EXIT_CODE) = code;
	*(uint64_t *)(ghcb + GHCB_EXIT_INFO_1) = req;
	*(uint64_t *)(ghcb + GHCB_EXIT_INFO_2) = resp;
	*(uint64_t *)(ghcb + GHCB_RAX) = certs;
	*(uint64_t *)(ghcb + GHCB_RBX) = npages;
	for (off = GHCB_EXIT_CODE; off <= GHCB_EXIT_INFO_2; off += 8)
		ghcb[GHCB_BITMAP + off / 64] |= 1 << (off / 8 % 8);
	for (off = ext_valid ? GHCB_RAX : 0; off; off = off == GHCB_RAX ? GHCB_RBX : 0)
		ghcb[GHCB_BITMAP + off / 64] |= 1 << (off / 8 % 8);
}

/* The guest's VMGEXIT(@code) as ghcb_put_request() has it: SW_EXITINFO2, folded. */
static uint32_t guest_request(struct snp_vm *v, struct kvm_run *run, uint64_t code,
			      uint64_t req, uint64_t resp, int ext_valid, uint64_t certs,
			      uint64_t npages)
{
	uint32_t info2;

	ghcb_put_request(v, code, req, resp, ext_valid, certs, npages);
	info2 = run_to_report(v->vcpus[0], run);
	run_to_report(v->vcpus[0], run);			/* the PSC progress: unused */
	return info2;
}

struct report_req {
	uint8_t data[64];
	uint32_t vmpl, key_sel;
	uint8_t rsvd[24];
} __attribute__((packed));

struct report_rsp {
	uint32_t status, size;
	uint8_t rsvd[24];
	uint8_t report[REPORT_SIZE];
} __attribute__((packed));

struct key_req {
	uint32_t root_key_select, rsvd;
	uint64_t fields;
	uint32_t vmpl, svn;
	uint64_t tcb;
} __attribute__((packed));

struct key_rsp {
	uint32_t status;
	uint8_t rsvd[28];
	uint8_t key[32];
} __attribute__((packed));

/* The VCEK certificate of @tcb, from the chip's chain (what a relying party fetches). */
static EVP_PKEY *vcek_of(uint64_t tcb)
{
	char *ark, *ask, *vcek;
	EVP_PKEY *key;
	BIO *bio;
	X509 *x;

	TEST_ASSERT(!kvm_coco_snp_cert_chain(tcb, &ark, &ask, &vcek), "the chip's chain");
	bio = BIO_new_mem_buf(vcek, -1);
	x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	TEST_ASSERT(x, "the VCEK certificate");
	key = X509_get_pubkey(x);
	X509_free(x);
	BIO_free(bio);
	free(ark);
	free(ask);
	free(vcek);
	return key;
}

/* The report's signature (r, s little-endian at 0x2a0) under the VCEK of @tcb. */
static bool report_verifies_tcb(const uint8_t *report, uint64_t tcb)
{
	uint8_t be[2][48], der[128], *d = der;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	ECDSA_SIG *sig = ECDSA_SIG_new();
	EVP_PKEY *key = vcek_of(tcb);
	int i, len, ok;

	for (i = 0; i < 48; i++) {
		be[0][i] = report[0x2a0 + 47 - i];
		be[1][i] = report[0x2a0 + 72 + 47 - i];
	}
	ECDSA_SIG_set0(sig, BN_bin2bn(be[0], 48, NULL), BN_bin2bn(be[1], 48, NULL));
	len = i2d_ECDSA_SIG(sig, &d);
	TEST_ASSERT(md && len > 0 && EVP_DigestVerifyInit(md, NULL, EVP_sha384(), NULL, key) > 0,
		    "OpenSSL");
	ok = EVP_DigestVerify(md, der, len, report, 0x2a0) == 1;
	EVP_MD_CTX_free(md);
	ECDSA_SIG_free(sig);
	EVP_PKEY_free(key);
	return ok;
}

/* ... under the VCEK of the TCB the report says it was made at. */
static bool report_verifies(const uint8_t *report)
{
	uint64_t tcb;

	memcpy(&tcb, report + 0x180, 8);
	return report_verifies_tcb(report, tcb);
}

static void set_config(struct snp_vm *v, uint64_t tcb, bool mask_id, bool mask_key)
{
	struct sev_user_data_snp_config c = { .reported_tcb = tcb, .mask_chip_id = mask_id,
					      .mask_chip_key = mask_key };
	struct sev_issue_cmd arg = { .cmd = SNP_SET_CONFIG, .data = (uintptr_t)&c };

	TEST_ASSERT(!kvm_coco_ioctl(v->sev, SEV_ISSUE_CMD, &arg), "SNP_SET_CONFIG: %#x",
		    arg.error);
}

/*
 * The report and the chip's chain in files, checked with the openssl command line alone
 * (scripts/verify-snp-report.sh, the README's flow): 0 if it verifies.
 */
static int openssl_verifies(const uint8_t *report)
{
	char dir[] = "/tmp/snp-report-XXXXXX", path[256], cmd[512];
	char *pem[3], *names[3] = { "ark.pem", "ask.pem", "vcek.pem" };
	uint64_t tcb;
	FILE *f;
	int i, r;

	memcpy(&tcb, report + 0x180, 8);
	TEST_ASSERT(mkdtemp(dir) && !kvm_coco_snp_cert_chain(tcb, &pem[0], &pem[1], &pem[2]),
		    "files");
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "w");
		TEST_ASSERT(f && fputs(pem[i], f) >= 0 && !fclose(f), "%s", path);
		free(pem[i]);
	}
	snprintf(path, sizeof(path), "%s/report.bin", dir);
	f = fopen(path, "w");
	TEST_ASSERT(f && fwrite(report, REPORT_SIZE, 1, f) == 1 && !fclose(f), "%s", path);
	snprintf(cmd, sizeof(cmd), "%s/verify-snp-report.sh %s 2>/dev/null", KVM_COCO_SCRIPTS,
		 dir);
	r = system(cmd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	TEST_ASSERT(system(cmd) == 0, "rm");
	return r;
}

/* The report's fields against the guest: its launch, the request, the chip. */
static void check_report(struct snp_vm *v, const uint8_t *r, const struct report_req *req)
{
	uint8_t digest[48], chip[64], copy[REPORT_SIZE];
	uint32_t u32;
	uint64_t u64;

	memcpy(&u32, r, 4);
	TEST_ASSERT_EQ(u32, 3);					/* version */
	memcpy(&u64, r + 0x08, 8);
	TEST_ASSERT_EQ(u64, SNP_POLICY_DEFAULT);
	memcpy(&u32, r + 0x30, 4);
	TEST_ASSERT_EQ(u32, req->vmpl);
	memcpy(&u32, r + 0x34, 4);
	TEST_ASSERT_EQ(u32, 1);					/* ECDSA P-384, SHA-384 */
	TEST_ASSERT(!memcmp(r + 0x50, req->data, 64), "REPORT_DATA");
	snp_get_digest(v->vm, digest);
	TEST_ASSERT(!memcmp(r + 0x90, digest, 48), "MEASUREMENT is not the launch digest");
	host_snp_chip_id(chip);
	TEST_ASSERT(!memcmp(r + 0x1a0, chip, 64), "CHIP_ID");
	TEST_ASSERT(report_verifies(r), "the VCEK's signature does not verify");
	TEST_ASSERT(openssl_verifies(r) == 0, "the openssl command line refused the report");
	memcpy(copy, r, REPORT_SIZE);
	copy[0x50] ^= 1;
	TEST_ASSERT(!report_verifies(copy), "a tampered report verified");
	TEST_ASSERT(openssl_verifies(copy) != 0, "openssl accepted a tampered report");
}

/*
 * Guest messages through the GHCB page: a report (fields, signature), a replayed sequence
 * number, a forged tag, bad VMPL and key selection, derived keys, the extended request's empty
 * certificate table and its missing RAX/RBX, and request pages that are private or nowhere.
 */
static void test_snp_guest_request(void)
{
	struct report_req rq = { .vmpl = 0 };
	struct key_req kq = { .fields = 0 };
	struct report_rsp rr;
	uint8_t key0[32];
	struct key_rsp kr, kr2;
	struct kvm_run *run;
	uint64_t tcb, u64;
	struct snp_vm v;
	unsigned int i;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	run = snp_guest_launch(&v, assemble_keys_then_ghcb_loop);
	vm_mem_set_shared(v.vm, GHCB_GPA, PAGE_SIZE);
	vm_mem_set_shared(v.vm, KEYS, 5 * PAGE_SIZE);
	/* An unknown exit first: the guest has copied its keys by the time it reports. */
	TEST_ASSERT_EQ(guest_request(&v, run, 0x12345, 0, 0, 0, 0, 0), 6);
	for (i = 0; i < 64; i++)
		rq.data[i] = i * 3;

	put_msg(&v, 0, 1, MSG_REPORT_REQ, &rq, sizeof(rq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0), 0);
	get_msg(&v, 0, 1, MSG_REPORT_REQ, &rr, sizeof(rr));
	TEST_ASSERT(rr.status == 0 && rr.size == REPORT_SIZE, "status %#x size %#x", rr.status,
		    rr.size);
	check_report(&v, rr.report, &rq);

	/* Replayed: the firmware refuses (INVALID_PARAM) and answers nothing. */
	memset(v.shared + RESP, 0, PAGE_SIZE);
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0),
		       SEV_RET_INVALID_PARAM);
	TEST_ASSERT(!memcmp(v.shared + RESP, v.shared + RESP + 1, PAGE_SIZE - 1), "answered");
	/* A forged tag: refused too, and the key's sequence goes on where it was. */
	put_msg(&v, 0, 3, MSG_REPORT_REQ, &rq, sizeof(rq));
	v.shared[REQ] ^= 1;
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0),
		       SEV_RET_INVALID_PARAM);
	/* Sealed under another key (VMPCK1's) than the header names: refused the same way. */
	memcpy(key0, v.shared + KEYS, 32);
	memcpy(v.shared + KEYS, v.shared + KEYS + 32, 32);
	put_msg(&v, 0, 3, MSG_REPORT_REQ, &rq, sizeof(rq));
	memcpy(v.shared + KEYS, key0, 32);
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0),
		       SEV_RET_INVALID_PARAM);
	/* VMPL 4 and a VLEK: the payload's status says so. */
	rq.vmpl = 4;
	put_msg(&v, 0, 3, MSG_REPORT_REQ, &rq, sizeof(rq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0), 0);
	get_msg(&v, 0, 3, MSG_REPORT_REQ, &rr, sizeof(rr));
	TEST_ASSERT_EQ(rr.status, 0x16);
	rq.vmpl = 2;
	rq.key_sel = 2;
	put_msg(&v, 0, 5, MSG_REPORT_REQ, &rq, sizeof(rq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0), 0);
	get_msg(&v, 0, 5, MSG_REPORT_REQ, &rr, sizeof(rr));
	TEST_ASSERT_EQ(rr.status, 0x27);

	/* Keys: the same request, the same key; the measurement selected, another one. */
	put_msg(&v, 1, 1, MSG_KEY_REQ, &kq, sizeof(kq));	/* VMPCK1: its own sequence */
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0), 0);
	get_msg(&v, 1, 1, MSG_KEY_REQ, &kr, sizeof(kr));
	TEST_ASSERT_EQ(kr.status, 0x16);			/* VMPL 0 through VMPCK1 */
	kq.vmpl = 1;
	put_msg(&v, 1, 3, MSG_KEY_REQ, &kq, sizeof(kq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0), 0);
	get_msg(&v, 1, 3, MSG_KEY_REQ, &kr, sizeof(kr));
	put_msg(&v, 1, 5, MSG_KEY_REQ, &kq, sizeof(kq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0), 0);
	get_msg(&v, 1, 5, MSG_KEY_REQ, &kr2, sizeof(kr2));
	TEST_ASSERT(!kr.status && !memcmp(kr.key, kr2.key, 32), "keys differ");
	kq.fields = 1 << 3;
	put_msg(&v, 1, 7, MSG_KEY_REQ, &kq, sizeof(kq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0), 0);
	get_msg(&v, 1, 7, MSG_KEY_REQ, &kr2, sizeof(kr2));
	TEST_ASSERT(!kr2.status && memcmp(kr.key, kr2.key, 32), "the measurement changed nothing");

	/* Extended: the (empty) certificate table, then RAX/RBX missing. */
	rq.vmpl = 0;
	rq.key_sel = 0;
	memset(v.shared + CERTS, 0xff, 2 * PAGE_SIZE);
	put_msg(&v, 0, 7, MSG_REPORT_REQ, &rq, sizeof(rq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_EXT_GUEST_REQ, REQ, RESP, 1, CERTS, 2), 0);
	get_msg(&v, 0, 7, MSG_REPORT_REQ, &rr, sizeof(rr));
	TEST_ASSERT(!rr.status && report_verifies(rr.report), "extended report");
	for (i = 0; i < 24; i++)
		TEST_ASSERT_EQ(v.shared[CERTS + i], 0);
	TEST_ASSERT_EQ(v.shared[CERTS + 24], 0xff);
	/* A report request without RAX/RBX: INVALID_INPUT, as upstream. */
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_EXT_GUEST_REQ, REQ, RESP, 0, CERTS, 2), 5);

	/* An older reported TCB: another VCEK signs; a masked chip id; then no signature. */
	memcpy(&tcb, rr.report + 0x180, 8);
	set_config(&v, tcb - 1, true, false);
	put_msg(&v, 0, 9, MSG_REPORT_REQ, &rq, sizeof(rq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0), 0);
	get_msg(&v, 0, 9, MSG_REPORT_REQ, &rr, sizeof(rr));
	memcpy(&u64, rr.report + 0x180, 8);
	TEST_ASSERT_EQ(u64, tcb - 1);
	TEST_ASSERT(report_verifies(rr.report) && !report_verifies_tcb(rr.report, tcb),
		    "the older TCB's VCEK did not sign alone");
	for (i = 0; i < 64; i++)
		TEST_ASSERT_EQ(rr.report[0x1a0 + i], 0);
	set_config(&v, tcb, false, true);
	put_msg(&v, 0, 11, MSG_REPORT_REQ, &rq, sizeof(rq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, RESP, 0, 0, 0), 0);
	get_msg(&v, 0, 11, MSG_REPORT_REQ, &rr, sizeof(rr));
	TEST_ASSERT_EQ(rr.report[0x48] & 2, 2);			/* MASK_CHIP_KEY */
	for (i = 0x2a0; i < REPORT_SIZE; i++)
		TEST_ASSERT_EQ(rr.report[i], 0);
	set_config(&v, tcb, false, false);

	/* The pages: private, or in no memslot: INVALID_INPUT. */
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, SECRETS, RESP, 0, 0, 0), 5);
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ, 1ull << 40, 0, 0, 0), 5);
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_GUEST_REQ, REQ + 8, RESP, 0, 0, 0), 5);
	check_rmp();
	munmap(run, PAGE_SIZE);
	snp_vm_destroy(&v);
}

/*
 * An extended report request with @npages pages at CERTS stops in KVM_EXIT_SNP_REQ_CERTS;
 * the VMM answers @ret (ENOSPC: with @need pages).  SW_EXITINFO2, folded.
 */
static uint32_t certs_request(struct snp_vm *v, struct kvm_run *run, uint64_t npages,
			      uint64_t ret, uint64_t need)
{
	uint32_t info2;

	ghcb_put_request(v, VMGEXIT_EXT_GUEST_REQ, REQ, RESP, 1, CERTS, npages);
	TEST_ASSERT(!kvm_coco_ioctl(v->vcpus[0], KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_SNP_REQ_CERTS);
	TEST_ASSERT(run->snp_req_certs.gpa == CERTS && run->snp_req_certs.npages == npages &&
		    !run->snp_req_certs.ret, "KVM_EXIT_SNP_REQ_CERTS: gpa %#llx npages %llu",
		    (unsigned long long)run->snp_req_certs.gpa,
		    (unsigned long long)run->snp_req_certs.npages);
	run->snp_req_certs.ret = ret;
	run->snp_req_certs.npages = need;
	info2 = run_to_report(v->vcpus[0], run);
	run_to_report(v->vcpus[0], run);			/* the PSC progress: unused */
	return info2;
}

/* Support is a device attribute; the command, before INIT2 or after a vCPU, is refused. */
static void check_req_certs_setup(void)
{
	struct kvm_device_attr attr = { .group = KVM_X86_GRP_SEV,
					.attr = KVM_X86_SEV_SNP_REQ_CERTS };
	uint64_t val = 0;
	struct snp_vm w;
	int sys = kvm_coco_open(), vm;

	attr.addr = (uintptr_t)&val;
	TEST_ASSERT(sys >= 0 && !kvm_coco_ioctl(sys, KVM_GET_DEVICE_ATTR, &attr),
		    "KVM_GET_DEVICE_ATTR: %s", strerror(errno));
	TEST_ASSERT_EQ(val, 1);
	kvm_close(sys);
	snp_vm_create(&w, MEM, 1);
	TEST_ASSERT_ERRNO(__snp_cmd(w.vm, w.sev, KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, NULL),
			  EINVAL);
	vm = vm_create(KVM_X86_SNP_VM);
	TEST_ASSERT_ERRNO(__snp_cmd(vm, w.sev, KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, NULL),
			  ENOTTY);
	kvm_close(vm);
	snp_vm_destroy(&w);
}

/*
 * KVM_EXIT_SNP_REQ_CERTS (KVM_SEV_SNP_ENABLE_REQ_CERTS): a report request's certificate pages
 * go to the VMM first, and its answer decides: too few pages (the guest learns how many in
 * RBX, and the firmware hears nothing), busy, failed, or served (the VMM's table stays, the
 * report comes).  Other requests, and unaligned pages, never reach the VMM; an answer the ABI
 * does not have fails KVM_RUN.
 */
static void test_snp_req_certs(void)
{
	struct report_req rq = { .vmpl = 0 };
	struct key_req kq = { .vmpl = 1 };
	struct report_rsp rr;
	struct kvm_run *run;
	struct snp_vm v;
	uint64_t rbx;

	if (!have_tcg())
		return test_skip("no TCG engine in this host");
	check_req_certs_setup();
	run = __snp_guest_launch(&v, assemble_keys_then_ghcb_loop, true);
	vm_mem_set_shared(v.vm, GHCB_GPA, PAGE_SIZE);
	vm_mem_set_shared(v.vm, KEYS, 5 * PAGE_SIZE);
	TEST_ASSERT_EQ(guest_request(&v, run, 0x12345, 0, 0, 0, 0, 0), 6);

	put_msg(&v, 0, 1, MSG_REPORT_REQ, &rq, sizeof(rq));
	memset(v.shared + RESP, 0, PAGE_SIZE);
	TEST_ASSERT_EQ(certs_request(&v, run, 1, ENOSPC, 3), 1);	/* INVALID_LEN */
	memcpy(&rbx, v.shared + GHCB_GPA + GHCB_RBX, 8);
	TEST_ASSERT_EQ(rbx, 3);
	TEST_ASSERT(v.shared[GHCB_GPA + GHCB_BITMAP + GHCB_RBX / 64] & (1 << (GHCB_RBX / 8 % 8)),
		    "RBX not marked valid");
	TEST_ASSERT(!memcmp(v.shared + RESP, v.shared + RESP + 1, PAGE_SIZE - 1), "answered");
	TEST_ASSERT_EQ(certs_request(&v, run, 3, EAGAIN, 0), 2);		/* BUSY */
	TEST_ASSERT_EQ(certs_request(&v, run, 3, EIO, 0), 0xffff);	/* KVM's generic error */
	memset(v.shared + CERTS, 0xab, 2 * PAGE_SIZE);
	TEST_ASSERT_EQ(certs_request(&v, run, 3, 0, 0), 0);
	get_msg(&v, 0, 1, MSG_REPORT_REQ, &rr, sizeof(rr));	/* seqno 1: nothing used it */
	TEST_ASSERT(!rr.status && report_verifies(rr.report), "the served report");
	TEST_ASSERT_EQ(v.shared[CERTS], 0xab);
	/* No pages offered: still the VMM's to answer, as upstream. */
	put_msg(&v, 0, 3, MSG_REPORT_REQ, &rq, sizeof(rq));
	TEST_ASSERT_EQ(certs_request(&v, run, 0, 0, 0), 0);
	get_msg(&v, 0, 3, MSG_REPORT_REQ, &rr, sizeof(rr));

	/* A key request has no certificates; unaligned pages are refused by KVM itself. */
	put_msg(&v, 1, 1, MSG_KEY_REQ, &kq, sizeof(kq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_EXT_GUEST_REQ, REQ, RESP, 1, CERTS, 3), 0);
	put_msg(&v, 0, 5, MSG_REPORT_REQ, &rq, sizeof(rq));
	TEST_ASSERT_EQ(guest_request(&v, run, VMGEXIT_EXT_GUEST_REQ, REQ, RESP, 1, CERTS + 8,
				     3), 5);
	/* An answer outside the ABI. */
	ghcb_put_request(&v, VMGEXIT_EXT_GUEST_REQ, REQ, RESP, 1, CERTS, 3);
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[0], KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_SNP_REQ_CERTS);
	run->snp_req_certs.ret = ENOENT;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vcpus[0], KVM_RUN, 0), EINVAL);
	check_rmp();
	munmap(run, PAGE_SIZE);
	snp_vm_destroy(&v);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_snp_guest_code),
		KSFT_TEST(test_snp_mismatches_exit),
		KSFT_TEST(test_snp_ghcb_page_psc),
		KSFT_TEST(test_snp_guest_request),
		KSFT_TEST(test_snp_req_certs),
		KSFT_TEST(test_snp_rmpadjust),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
