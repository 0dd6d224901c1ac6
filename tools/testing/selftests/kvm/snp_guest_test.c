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
 * KVM_EXIT_MEMORY_FAULT for its page, and goes on once the VMM converts.
 */
#include <sys/mman.h>

#include <linux/kvm_para.h>

#include "sev.h"

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
#define GHCB_EXIT_CODE	0x390
#define GHCB_EXIT_INFO_2	0x3a0
#define GHCB_SCRATCH	0x3a8
#define GHCB_BITMAP	0x3f0
#define GHCB_BUFFER	0x800
#define VMGEXIT_PSC	0x80000010ull
#define VMGEXIT_TERM	0x8000fffeull
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

/* An SNP guest on the TCG engine, its image launched, its vCPU about to run it. */
static struct kvm_run *snp_guest_launch(struct snp_vm *v, void (*assemble_code)(uint8_t *p))
{
	struct kvm_enable_cap hc = { .cap = KVM_CAP_EXIT_HYPERCALL,
				     .args = { 1 << KVM_HC_MAP_GPA_RANGE } };
	static uint8_t image[IMAGE] __attribute__((aligned(4096)));

	__snp_vm_create(v, MEM, 1, KVM_COCO_ENGINE_TCG);
	TEST_ASSERT_EQ(kvm_coco_ioctl(v->vm, KVM_ENABLE_CAP, &hc), 0);
	build_image(image, assemble_code);
	snp_launch_start(v);
	snp_launch_update(v, 0, image, IMAGE, KVM_SEV_SNP_PAGE_TYPE_NORMAL);
	vcpu_set_long_mode(v->vcpus[0], C_BIT | 0x1000);
	vcpu_set_descriptor_tables(v->vcpus[0], GDT, 23, IDT, 0xfff);
	TEST_ASSERT_EQ(kvm_coco_ioctl(v->vcpus[0], KVM_SET_REGS,
				      &(struct kvm_regs){ .rip = CODE, .rsp = STACK_TOP,
							  .rflags = 2 }), 0);
	snp_launch_finish(v);
	return map_run(v->vcpus[0]);
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

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_snp_guest_code),
		KSFT_TEST(test_snp_mismatches_exit),
		KSFT_TEST(test_snp_ghcb_page_psc),
		KSFT_TEST(test_snp_rmpadjust),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
