// SPDX-License-Identifier: GPL-2.0
/*
 * A TD's own instructions on the TCG engine.  The TD is built as a VMM builds one (INIT_VM,
 * INIT_VCPU, INIT_MEM_REGION of its boot page at the reset vector, page tables, GDT, IDT and
 * code, FINALIZE_VM), and starts where TDH.VP.INIT leaves a vCPU: at 0xfffffff0, in 32-bit
 * protected mode with paging off.  Its boot code enters long mode; its 64-bit code then asks
 * TDG.VP.INFO, accepts a page the host never gave it (an EPT violation first: KVM AUGs it),
 * writes it, accepts it again and with bad operands, touches a page the host AUG'd that it
 * never accepted (#VE: its handler asks TDG.VP.VEINFO.GET and accepts the page), converts a
 * page to shared with MapGPA and writes it through its shared alias (the VMM reads it in the
 * memslot), converts it back with the KVM hypercall and accepts it again, reads it through
 * the shared alias (KVM_EXIT_MEMORY_FAULT: the VMM converts it implicitly), reads a port,
 * executes an OUT, a CPUID and an RDMSR of the APIC base (each #VE: the handler skips it),
 * asks the VMM for the CPUID leaf and the MSR with TDG.VP.VMCALL, reads EFER (its CPU's own:
 * no #VE) and halts.  Then it extends RTMR 2 (TDG.MR.RTMR.EXTEND), asks for its report
 * (TDG.MR.REPORT, and both with bad operands) and hands the report over, which the test checks
 * field by field with libcrypto and with the platform's MAC check.  It reports every value
 * through TDG.VP.VMCALL<Instruction.IO>: KVM_EXIT_IO.
 */
#include <sys/mman.h>

#include <openssl/sha.h>

#include <linux/kvm_para.h>
#include <kvm-coco.h>

#include "guest.h"
#include "kvm_util.h"
#include "tdx.h"

#define MEM		(4ul << 20)
#define BOOT_GPA	0xfffff000ul		/* the reset vector's page */
#define PML4		0x10000
#define PT_PAGES	7			/* PML4, PDPT, 2 PDs, 3 PTs */
#define GDT		0x17000
#define GDTR		0x17100
#define IDTR		0x17200
#define IDT		0x17800
#define CODE		0x18000
#define STACK_TOP	0x1b000
#define IMAGE_END	STACK_TOP		/* [PML4, IMAGE_END) goes in measured */
#define ACCEPT_GPA	0x100000		/* never given: accepted by the TD */
#define PENDING_GPA	0x101000		/* touched before it is accepted: #VE */
#define CONVERT_GPA	0x102000		/* private -> shared -> private */
#define SHARED_VA	0x200000		/* CONVERT_GPA's shared alias */
#define TDREPORT_GPA	0x104000		/* TDG.MR.REPORT's output, 1 KiB */
#define NEVER_GPA	0x150000		/* never given, never accepted */
#define REPORTDATA_GPA	0x104400		/* its input, 64 bytes */
#define EXTEND_GPA	0x104440		/* TDG.MR.RTMR.EXTEND's input, 48 bytes */
#define REPORT_PORT	0x80			/* low 32 bits; the high ones at + 4 */
#define INPUT_PORT	0x81
#define VE_VECTOR	20
#define PTE		3			/* present, writable */
/* The TDX module's status codes (its ABI) and the VM exit a #VE names. */
#define TDX_SUCCESS			0ull
#define TDX_OPERAND_INVALID		0xC000010000000000ull
#define TDX_OPERAND_INVALID_RCX		(TDX_OPERAND_INVALID | 1)
#define TDX_PAGE_ALREADY_ACCEPTED	0x00000B0A00000000ull
#define TDX_PAGE_SIZE_MISMATCH_RCX	0xC0000B0B00000001ull
#define TDX_NO_VALID_VE_INFO		0xC000070400000000ull
#define EXIT_REASON_CPUID		10
#define EXIT_REASON_IO_INSTRUCTION	30
#define EXIT_REASON_MSR_READ		31
#define TDVMCALL_STATUS_INVALID_OPERAND	0x8000000000000000ull
#define EXIT_REASON_EPT_VIOLATION	48
#define SEPT_VE_DISABLE			(1ull << 28)	/* TD_PARAMS.ATTRIBUTES */

#define STR_(x)		#x
#define STR(x)		STR_(x)

/*
 * The boot page: at 0xff0 the reset vector jumps back to its start, which loads the GDT,
 * enables PAE, points CR3 at the page tables, sets EFER.LME, turns paging on and jumps to
 * the 64-bit code.  INIT_VCPU's RCX is kept in EDI.
 */
asm(".pushsection .rodata.td_boot, \"a\"\n"
    ".balign 4096\n"
    "td_boot:\n"
    ".code32\n"
    "	mov %ecx, %edi\n"
    "	lgdt " STR(GDTR) "\n"
    "	mov %cr4, %eax\n"
    "	or $0x20, %eax\n"
    "	mov %eax, %cr4\n"
    "	mov $" STR(PML4) ", %eax\n"
    "	mov %eax, %cr3\n"
    "	mov $0xc0000080, %ecx\n"
    "	rdmsr\n"
    "	or $0x100, %eax\n"
    "	wrmsr\n"
    "	mov %cr0, %eax\n"
    "	or $0x80000000, %eax\n"
    "	mov %eax, %cr0\n"
    "	ljmp $8, $" STR(CODE) "\n"
    ".org td_boot + 0xff0\n"
    "	jmp td_boot\n"
    ".org td_boot + 0x1000\n"
    ".code64\n"
    ".popsection\n");

/*
 * The 64-bit code, copied to CODE.  report: RDI's value out to REPORT_PORT (low half) and
 * REPORT_PORT + 4 (high half), every register kept.  The #VE handler reports TDG.VP.VEINFO.GET's
 * status, exit reason, qualification, GLA and GPA, accepts the GPA, reports that status, and
 * returns to the access.
 */
asm(".pushsection .rodata.td_code, \"a\"\n"
    ".macro tdcall_\n"
    "	.byte 0x66, 0x0f, 0x01, 0xcc\n"
    ".endm\n"
    ".macro accept gpa\n"
    "	mov \\gpa, %rcx\n"
    "	mov $6, %eax\n"
    "	tdcall_\n"
    "	mov %rax, %rdi\n"
    "	call td_report\n"
    ".endm\n"
    /* TDG.VP.VMCALL with R10-R15 exposed; the status to report. */
    ".macro vmcall\n"
    "	mov $0xfc00, %ecx\n"
    "	xor %eax, %eax\n"
    "	tdcall_\n"
    ".endm\n"
    ".balign 4096\n"
    "td_code:\n"
    "	mov $" STR(STACK_TOP) ", %rsp\n"
    "	lidt " STR(IDTR) "\n"
    "	call td_report\n"				/* INIT_VCPU's RCX */
    "	mov $1, %eax\n"
    "	tdcall_\n"					/* TDG.VP.INFO */
    "	mov %rcx, %rdi\n"
    "	call td_report\n"
    "	accept $" STR(ACCEPT_GPA) "\n"
    "	movabs $0x1122334455667788, %rax\n"
    "	mov %rax, " STR(ACCEPT_GPA) "\n"
    "	mov " STR(ACCEPT_GPA) ", %rdi\n"
    "	call td_report\n"
    "	accept $" STR(ACCEPT_GPA) "\n"		/* again: already accepted */
    "	accept $" STR(ACCEPT_GPA) " | 1\n"	/* 2 MiB: size mismatch */
    "	movabs $(1 << 47) | " STR(ACCEPT_GPA) ", %rcx\n"
    "	accept %rcx\n"				/* the shared alias: invalid */
    "	mov $3, %eax\n"
    "	tdcall_\n"					/* no #VE yet */
    "	mov %rax, %rdi\n"
    "	call td_report\n"
    "	mov $99, %eax\n"
    "	tdcall_\n"					/* no such leaf */
    "	mov %rax, %rdi\n"
    "	call td_report\n"
    "	mov " STR(PENDING_GPA) ", %rdi\n"		/* #VE, then 0 */
    "	call td_report\n"
    "	movabs $(1 << 47) | " STR(CONVERT_GPA) ", %r12\n"
    "	mov $4096, %r13\n"
    "	mov $0x10001, %r11\n"				/* MapGPA, to shared */
    "	xor %r10, %r10\n"
    "	vmcall\n"
    "	mov %r10, %rdi\n"
    "	call td_report\n"
    "	movabs $0xc0ffee0000c0ffee, %rax\n"
    "	mov %rax, " STR(SHARED_VA) "\n"
    "	mov " STR(SHARED_VA) ", %rdi\n"
    "	call td_report\n"
    "	mov $" STR(KVM_HC_MAP_GPA_RANGE) ", %r10\n"	/* and back, by hypercall */
    "	mov $" STR(CONVERT_GPA) ", %r11\n"
    "	mov $1, %r12\n"
    "	mov $0x10, %r13\n"				/* KVM_MAP_GPA_RANGE_ENCRYPTED */
    "	vmcall\n"
    "	mov %r10, %rdi\n"
    "	call td_report\n"
    "	accept $" STR(CONVERT_GPA) "\n"
    "	mov " STR(CONVERT_GPA) ", %rdi\n"		/* zeroed by the accept */
    "	call td_report\n"
    "	mov " STR(SHARED_VA) ", %rdi\n"		/* implicitly shared */
    "	call td_report\n"
    "	xor %r10, %r10\n"				/* Instruction.IO: IN */
    "	mov $30, %r11\n"
    "	mov $4, %r12\n"
    "	xor %r13, %r13\n"
    "	mov $" STR(INPUT_PORT) ", %r14\n"
    "	vmcall\n"
    "	mov %r11, %rdi\n"
    "	call td_report\n"
    "	outb %al, $" STR(REPORT_PORT) "\n"		/* #VE, skipped by the handler */
    "	mov $0x40000000, %eax\n"
    "	xor %ecx, %ecx\n"
    "	cpuid\n"					/* #VE, skipped too */
    "	xor %r10, %r10\n"				/* Instruction.CPUID */
    "	mov $10, %r11\n"
    "	mov $0x40000000, %r12\n"
    "	xor %r13, %r13\n"
    "	vmcall\n"
    "	mov %r12, %rdi\n"				/* EAX */
    "	call td_report\n"
    "	mov %r13, %rdi\n"				/* EBX */
    "	call td_report\n"
    "	mov $0x1b, %ecx\n"
    "	rdmsr\n"					/* IA32_APIC_BASE: #VE, skipped */
    "	xor %r10, %r10\n"				/* Instruction.RDMSR */
    "	mov $31, %r11\n"
    "	mov $0x1b, %r12\n"
    "	vmcall\n"
    "	mov %r11, %rdi\n"
    "	call td_report\n"
    "	xor %r10, %r10\n"				/* Instruction.WRMSR: refused */
    "	mov $32, %r11\n"
    "	mov $0x1b, %r12\n"
    "	vmcall\n"
    "	mov %r10, %rdi\n"
    "	call td_report\n"
    "	mov $0xc0000080, %ecx\n"
    "	rdmsr\n"					/* EFER: the CPU's own */
    "	mov %rax, %rdi\n"
    "	call td_report\n"
    "	xor %r10, %r10\n"				/* HLT */
    "	mov $12, %r11\n"
    "	vmcall\n"
    "	mov $0xd0e, %rdi\n"
    "	call td_report\n"
    "	accept $" STR(TDREPORT_GPA) "\n"
    "	mov $" STR(REPORTDATA_GPA) ", %rdi\n"		/* REPORTDATA: 64 x 0x5a */
    "	mov $64, %ecx\n"
    "	mov $0x5a, %al\n"
    "	rep stosb\n"
    "	mov $48, %ecx\n"				/* then the RTMR data: 48 x 0xa5 */
    "	mov $0xa5, %al\n"
    "	rep stosb\n"
    "	mov $" STR(EXTEND_GPA) ", %rcx\n"		/* TDG.MR.RTMR.EXTEND, RTMR 2 */
    "	mov $2, %edx\n"
    "	mov $2, %eax\n"
    "	tdcall_\n"
    "	mov %rax, %rdi\n"
    "	call td_report\n"
    "	mov $4, %edx\n"				/* no RTMR 4 */
    "	mov $2, %eax\n"
    "	tdcall_\n"
    "	mov %rax, %rdi\n"
    "	call td_report\n"
    "	mov $" STR(TDREPORT_GPA) ", %rcx\n"		/* TDG.MR.REPORT */
    "	mov $" STR(REPORTDATA_GPA) ", %rdx\n"
    "	xor %r8d, %r8d\n"
    "	mov $4, %eax\n"
    "	tdcall_\n"
    "	mov %rax, %rdi\n"
    "	call td_report\n"
    "	mov $" STR(TDREPORT_GPA) " + 64, %rcx\n"	/* not 1024-byte aligned */
    "	mov $4, %eax\n"
    "	tdcall_\n"
    "	mov %rax, %rdi\n"
    "	call td_report\n"
    "	mov $" STR(TDREPORT_GPA) ", %rcx\n"
    "	mov $1, %r8d\n"				/* no subtype 1 */
    "	mov $4, %eax\n"
    "	tdcall_\n"
    "	mov %rax, %rdi\n"
    "	call td_report\n"
    "	mov $" STR(TDREPORT_GPA) ", %rsi\n"		/* the report, 8 bytes at a time */
    "	mov $128, %ebx\n"
    "1:	mov (%rsi), %rdi\n"
    "	call td_report\n"
    "	add $8, %rsi\n"
    "	dec %ebx\n"
    "	jnz 1b\n"
    "	ud2\n"
    "td_report:\n"
    "	push %rax\n"
    "	push %rcx\n"
    "	push %r10\n"
    "	push %r11\n"
    "	push %r12\n"
    "	push %r13\n"
    "	push %r14\n"
    "	push %r15\n"
    "	mov $" STR(REPORT_PORT) ", %r14\n"
    "	mov %rdi, %r15\n"
    "	call td_out32\n"
    "	mov $" STR(REPORT_PORT) " + 4, %r14\n"
    "	mov %rdi, %r15\n"
    "	shr $32, %r15\n"
    "	call td_out32\n"
    "	pop %r15\n"
    "	pop %r14\n"
    "	pop %r13\n"
    "	pop %r12\n"
    "	pop %r11\n"
    "	pop %r10\n"
    "	pop %rcx\n"
    "	pop %rax\n"
    "	ret\n"
    "td_out32:\n"					/* Instruction.IO: OUT */
    "	xor %r10, %r10\n"
    "	mov $30, %r11\n"
    "	mov $4, %r12\n"
    "	mov $1, %r13\n"
    "	vmcall\n"
    "	ret\n"
    "td_ve:\n"
    "	push %rax\n"
    "	push %rcx\n"
    "	push %rdx\n"
    "	push %rdi\n"
    "	push %r8\n"
    "	push %r9\n"
    "	push %r10\n"
    "	mov $3, %eax\n"
    "	tdcall_\n"					/* TDG.VP.VEINFO.GET */
    "	mov %rax, %rdi\n"
    "	call td_report\n"
    "	mov %rcx, %rdi\n"
    "	call td_report\n"
    "	mov %rdx, %rdi\n"
    "	call td_report\n"
    "	mov %r8, %rdi\n"
    "	call td_report\n"
    "	mov %r9, %rdi\n"
    "	call td_report\n"
    "	cmp $48, %rcx\n"				/* EPT violation: accept the page */
    "	jne 1f\n"
    "	accept %r9\n"
    "	jmp 2f\n"
    "1:	mov %r10, %rdi\n"				/* an instruction: skip it */
    "	call td_report\n"
    "	add %r10, 56(%rsp)\n"
    "2:	pop %r10\n"
    "	pop %r9\n"
    "	pop %r8\n"
    "	pop %rdi\n"
    "	pop %rdx\n"
    "	pop %rcx\n"
    "	pop %rax\n"
    "	iretq\n"
    "td_code_end:\n"
    ".popsection\n");

extern const uint8_t td_boot[], td_code[], td_ve[], td_code_end[];

struct td_guest {
	int vm, gmem, vcpu;
	uint8_t *shared;			/* the memslot's shared side, gpa 0 */
	struct kvm_run *run;
};

/* A 64-bit interrupt gate to @handler: present, DPL 0, selector 8. */
static void set_gate(uint64_t *gate, uint64_t handler)
{
	gate[0] = (handler & 0xffff) | (8ull << 16) | (0x8eull << 40) |
		  ((handler >> 16) & 0xffff) << 48;
	gate[1] = handler >> 32;
}

/*
 * From PML4 on: page tables mapping [0, 2 MiB) 1:1, SHARED_VA to CONVERT_GPA's shared alias
 * and the boot page 1:1; the GDT (64-bit code 8, data 16) and its GDTR; the IDT (#VE) and its
 * IDTR; the code.
 */
static void build_image(uint8_t *image, uint64_t idt_base)
{
	uint64_t *pt = (uint64_t *)image;	/* PML4, PDPT, PD0, PD3, PT0, PT1, PT3 */
	uint64_t *pml4 = pt, *pdpt = pt + 512, *pd0 = pt + 1024, *pd3 = pt + 1536;
	uint64_t *pt0 = pt + 2048, *pt1 = pt + 2560, *pt3 = pt + 3072;
	uint64_t *gdt = (uint64_t *)(image + GDT - PML4);
	uint64_t ve = CODE + (td_ve - td_code);
	unsigned int i;

	memset(image, 0, IMAGE_END - PML4);
	pml4[0] = PML4 + 0x1000 + PTE;
	pdpt[0] = PML4 + 0x2000 + PTE;
	pdpt[3] = PML4 + 0x3000 + PTE;
	pd0[0] = PML4 + 0x4000 + PTE;
	pd0[1] = PML4 + 0x5000 + PTE;
	pd3[511] = PML4 + 0x6000 + PTE;
	for (i = 0; i < 512; i++)
		pt0[i] = i * 4096ul + PTE;
	pt1[0] = SHARED_BIT | CONVERT_GPA | PTE;
	pt3[511] = BOOT_GPA | PTE;
	gdt[1] = 0x00af9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	/* Pseudo-descriptors: a 16-bit limit, then the base, unaligned. */
	memcpy(image + GDTR - PML4, &(uint16_t){ 23 }, 2);
	memcpy(image + GDTR - PML4 + 2, &(uint32_t){ GDT }, 4);
	memcpy(image + IDTR - PML4, &(uint16_t){ 32 * 16 - 1 }, 2);
	memcpy(image + IDTR - PML4 + 2, &idt_base, 8);
	set_gate((uint64_t *)(image + IDT - PML4) + 2 * VE_VECTOR, ve);
	memcpy(image + CODE - PML4, td_code, td_code_end - td_code);
}

static void add_region(struct td_guest *g, uint64_t gpa, const void *src, uint64_t n)
{
	struct kvm_tdx_init_mem_region r = { .source_addr = (uintptr_t)src, .gpa = gpa,
					     .nr_pages = n };

	TEST_ASSERT_EQ(tdx_cmd(g->vcpu, KVM_TDX_INIT_MEM_REGION, KVM_TDX_MEASURE_MEMORY_REGION,
			       (uintptr_t)&r, NULL), 0);
}

/* A TD on the TCG engine, built and finalized, with @attributes (TD_PARAMS), its IDT at @idt. */
static void td_guest_create(struct td_guest *g, uint64_t attributes, uint64_t idt)
{
	static uint8_t image[IMAGE_END - PML4] __attribute__((aligned(4096)));
	struct kvm_enable_cap hc = { .cap = KVM_CAP_EXIT_HYPERCALL,
				     .args = { 1 << KVM_HC_MAP_GPA_RANGE } };
	struct kvm_tdx_init_vm p = { .attributes = attributes, .xfam = 0x3 };

	g->vm = vm_create(KVM_X86_TDX_VM);
	vm_set_engine(g->vm, KVM_COCO_ENGINE_TCG);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vm, KVM_ENABLE_CAP, &hc), 0);
	g->gmem = vm_create_guest_memfd(g->vm, MEM + PAGE_SIZE, 0);
	g->shared = mmap(NULL, MEM + PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(g->shared != MAP_FAILED, "mmap: %s", strerror(errno));
	vm_set_user_memory_region2(g->vm, 0, KVM_MEM_GUEST_MEMFD, 0, MEM, g->shared, g->gmem, 0);
	vm_set_user_memory_region2(g->vm, 1, KVM_MEM_GUEST_MEMFD, BOOT_GPA, PAGE_SIZE,
				   g->shared + MEM, g->gmem, MEM);
	vm_mem_set_private(g->vm, 0, MEM);
	vm_mem_set_private(g->vm, BOOT_GPA, PAGE_SIZE);
	TEST_ASSERT_EQ(tdx_init_vm(g->vm, &p, 1), 0);
	g->vcpu = vm_create_vcpu(g->vm, 0);
	TEST_ASSERT_EQ(tdx_cmd(g->vcpu, KVM_TDX_INIT_VCPU, 0, 0x1234, NULL), 0);
	build_image(image, idt);
	add_region(g, PML4, image, sizeof(image) / PAGE_SIZE);
	add_region(g, BOOT_GPA, td_boot, 1);
	TEST_ASSERT_EQ(tdx_cmd(g->vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), 0);
	g->run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	TEST_ASSERT(g->run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
}

static void td_guest_destroy(struct td_guest *g)
{
	munmap(g->run, PAGE_SIZE);
	kvm_close(g->vcpu);
	kvm_close(g->vm);
	kvm_close(g->gmem);
	munmap(g->shared, MEM + PAGE_SIZE);
	check_pamt();
}

static void td_run(struct td_guest *g)
{
	TEST_ASSERT(!kvm_coco_ioctl(g->vcpu, KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
}

static uint32_t td_out(struct td_guest *g, uint16_t port)
{
	struct kvm_run *run = g->run;
	uint32_t v;

	td_run(g);
	TEST_ASSERT(run->exit_reason == KVM_EXIT_IO, "exit %u (internal %u, %#llx)",
		    run->exit_reason, run->internal.suberror,
		    (unsigned long long)run->internal.data[1]);
	TEST_ASSERT_EQ(run->io.direction, KVM_EXIT_IO_OUT);
	TEST_ASSERT_EQ(run->io.port, port);
	TEST_ASSERT_EQ(run->io.size, 4);
	TEST_ASSERT_EQ(run->io.count, 1);
	memcpy(&v, (uint8_t *)run + run->io.data_offset, 4);
	return v;
}

/* The guest's next report: two port writes. */
static uint64_t td_report(struct td_guest *g)
{
	uint64_t lo = td_out(g, REPORT_PORT);

	return lo | (uint64_t)td_out(g, REPORT_PORT + 4) << 32;
}

/* The next exit is MAP_GPA_RANGE of CONVERT_GPA, to @attrs: the VMM converts it. */
static void td_convert(struct td_guest *g, uint64_t attrs)
{
	struct kvm_run *run = g->run;

	td_run(g);
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(run->hypercall.nr, KVM_HC_MAP_GPA_RANGE);
	TEST_ASSERT_EQ(run->hypercall.args[0], CONVERT_GPA);
	TEST_ASSERT_EQ(run->hypercall.args[1], 1);
	TEST_ASSERT_EQ(run->hypercall.args[2], attrs);
	if (attrs == KVM_MAP_GPA_RANGE_DECRYPTED)
		vm_mem_set_shared(g->vm, CONVERT_GPA, PAGE_SIZE);
	else
		vm_mem_set_private(g->vm, CONVERT_GPA, PAGE_SIZE);
	run->hypercall.ret = 0;
}

/* The guest's reports up to its touch of a page it has not accepted. */
static void td_run_to_pending(struct td_guest *g)
{
	/* Long mode reached: INIT_VCPU's RCX, and TDG.VP.INFO's GPAW. */
	TEST_ASSERT_EQ(td_report(g), 0x1234);
	TEST_ASSERT_EQ(td_report(g), 48);
	/* A page the host never gave: the EPT violation, KVM's AUG, then the accept. */
	TEST_ASSERT_EQ(td_report(g), TDX_SUCCESS);
	TEST_ASSERT_EQ(td_report(g), 0x1122334455667788ull);
	TEST_ASSERT_EQ(td_report(g), TDX_PAGE_ALREADY_ACCEPTED);
	TEST_ASSERT_EQ(td_report(g), TDX_PAGE_SIZE_MISMATCH_RCX);
	TEST_ASSERT_EQ(td_report(g), TDX_OPERAND_INVALID_RCX);
	TEST_ASSERT_EQ(td_report(g), TDX_NO_VALID_VE_INFO);
	TEST_ASSERT_EQ(td_report(g), TDX_OPERAND_INVALID);
}

/*
 * The TD extends RTMR 2, then asks for its TDREPORT_STRUCT, and hands it over 8 bytes at a
 * time.  Checked here with libcrypto, independently of the module's code: the TDINFO (XFAM,
 * MRTD as KVM reports it, RTMR 2 as SHA-384(0 || data), the others zero), REPORTDATA, the two
 * hashes the MAC covers; then the MAC with the platform's check, which a changed REPORTDATA,
 * TDINFO or MAC fails.
 */
static void check_td_report(struct td_guest *g)
{
	uint8_t report[1024], bad[1024], ext[96] = {}, rtmr2[48], zero[48] = {}, h[48];
	struct kvm_coco_tdx_mrtd mrtd = {};
	uint64_t v;
	int i;

	TEST_ASSERT_EQ(td_report(g), TDX_SUCCESS);			/* the accept */
	TEST_ASSERT_EQ(td_report(g), TDX_SUCCESS);			/* RTMR.EXTEND */
	TEST_ASSERT_EQ(td_report(g), TDX_OPERAND_INVALID | 2);	/* RDX: RTMR 4 */
	TEST_ASSERT_EQ(td_report(g), TDX_SUCCESS);			/* MR.REPORT */
	TEST_ASSERT_EQ(td_report(g), TDX_OPERAND_INVALID_RCX);
	TEST_ASSERT_EQ(td_report(g), TDX_OPERAND_INVALID | 8);	/* R8: subtype */
	for (i = 0; i < 128; i++) {
		v = td_report(g);
		memcpy(report + 8 * i, &v, 8);
	}

	TEST_ASSERT_EQ(report[0], 0x81);				/* TDX */
	for (i = 0; i < 64; i++)
		TEST_ASSERT_EQ(report[128 + i], 0x5a);
	memcpy(&v, report + 512, 8);
	TEST_ASSERT_EQ(v, 0);						/* ATTRIBUTES */
	memcpy(&v, report + 520, 8);
	TEST_ASSERT_EQ(v, 3);						/* XFAM */
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vm, KVM_COCO_TDX_GET_MRTD, &mrtd), 0);
	TEST_ASSERT_EQ(memcmp(report + 528, mrtd.mrtd, 48), 0);
	memset(ext + 48, 0xa5, 48);
	SHA384(ext, sizeof(ext), rtmr2);
	TEST_ASSERT_EQ(memcmp(report + 720 + 2 * 48, rtmr2, 48), 0);
	TEST_ASSERT_EQ(memcmp(report + 720, zero, 48), 0);
	TEST_ASSERT_EQ(memcmp(report + 720 + 3 * 48, zero, 48), 0);
	SHA384(report + 256, 239, h);					/* TEE_TCB_INFO */
	TEST_ASSERT_EQ(memcmp(report + 32, h, 48), 0);
	SHA384(report + 512, 512, h);					/* TDINFO_STRUCT */
	TEST_ASSERT_EQ(memcmp(report + 80, h, 48), 0);

	TEST_ASSERT(kvm_coco_tdx_report_verify(report), "the TD's report does not verify");
	memcpy(bad, report, sizeof(bad));
	bad[130] ^= 1;
	TEST_ASSERT(!kvm_coco_tdx_report_verify(bad), "a changed REPORTDATA verifies");
	memcpy(bad, report, sizeof(bad));
	bad[720 + 100] ^= 1;
	TEST_ASSERT(!kvm_coco_tdx_report_verify(bad), "a changed RTMR verifies");
	memcpy(bad, report, sizeof(bad));
	bad[224] ^= 1;
	TEST_ASSERT(!kvm_coco_tdx_report_verify(bad), "a changed MAC verifies");
}

static void test_td_guest_code(void)
{
	struct {
		struct kvm_cpuid2 h;
		struct kvm_cpuid_entry2 e[1];
	} kvm_leaf = {
		.h.nent = 1,
		.e[0] = { .function = KVM_CPUID_SIGNATURE, .eax = KVM_CPUID_FEATURES,
			  .ebx = 0x4b4d564b },
	};
	uint64_t v, apic_base;
	struct kvm_sregs sregs;
	struct td_guest g;
	uint32_t in = 0xabcd1234;

	TEST_SKIP_UNLESS(have_guest_code(), "no TCG engine in this host");
	td_guest_create(&g, 0, IDT);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_SET_CPUID2, &kvm_leaf), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_GET_SREGS, &sregs), 0);
	apic_base = sregs.apic_base;
	td_run_to_pending(&g);

	/* A pending page: #VE, its information once, the handler's accept; then it reads 0. */
	TEST_ASSERT_EQ(td_report(&g), TDX_SUCCESS);
	TEST_ASSERT_EQ(td_report(&g), EXIT_REASON_EPT_VIOLATION);
	TEST_ASSERT_EQ(td_report(&g), 0x181);		/* read, GLA valid, final */
	TEST_ASSERT_EQ(td_report(&g), PENDING_GPA);
	TEST_ASSERT_EQ(td_report(&g), PENDING_GPA);
	TEST_ASSERT_EQ(td_report(&g), TDX_SUCCESS);
	TEST_ASSERT_EQ(td_report(&g), 0);

	/* MapGPA to shared; the write through the shared alias lands in the memslot. */
	td_convert(&g, KVM_MAP_GPA_RANGE_DECRYPTED);
	TEST_ASSERT_EQ(td_report(&g), 0);
	TEST_ASSERT_EQ(td_report(&g), 0xc0ffee0000c0ffeeull);
	memcpy(&v, g.shared + CONVERT_GPA, sizeof(v));
	TEST_ASSERT_EQ(v, 0xc0ffee0000c0ffeeull);

	/* Back by the KVM hypercall (R10 = its number); private again needs the accept. */
	td_convert(&g, KVM_MAP_GPA_RANGE_ENCRYPTED);
	TEST_ASSERT_EQ(td_report(&g), 0);
	TEST_ASSERT_EQ(td_report(&g), TDX_SUCCESS);
	TEST_ASSERT_EQ(td_report(&g), 0);

	/* Private to shared implicitly: the shared alias's access exits; the VMM converts. */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_RUN, 0), EFAULT);
	TEST_ASSERT_EQ(g.run->exit_reason, KVM_EXIT_MEMORY_FAULT);
	TEST_ASSERT_EQ(g.run->memory_fault.gpa, CONVERT_GPA);
	TEST_ASSERT_EQ(g.run->memory_fault.size, PAGE_SIZE);
	TEST_ASSERT_EQ(g.run->memory_fault.flags, 0);
	vm_mem_set_shared(g.vm, CONVERT_GPA, PAGE_SIZE);
	memcpy(g.shared + CONVERT_GPA, &(uint64_t){ 0x5a5a }, 8);
	TEST_ASSERT_EQ(td_report(&g), 0x5a5a);

	/* An IN through TDG.VP.VMCALL: the VMM's data in R11. */
	td_run(&g);
	TEST_ASSERT_EQ(g.run->exit_reason, KVM_EXIT_IO);
	TEST_ASSERT_EQ(g.run->io.direction, KVM_EXIT_IO_IN);
	TEST_ASSERT_EQ(g.run->io.port, INPUT_PORT);
	memcpy((uint8_t *)g.run + g.run->io.data_offset, &in, 4);
	TEST_ASSERT_EQ(td_report(&g), in);

	/* OUT itself is #VE: Instruction.IO's qualification and the length to skip. */
	TEST_ASSERT_EQ(td_report(&g), TDX_SUCCESS);
	TEST_ASSERT_EQ(td_report(&g), EXIT_REASON_IO_INSTRUCTION);
	TEST_ASSERT_EQ(td_report(&g), (REPORT_PORT << 16) | (1 << 6));	/* out imm8, 1 byte */
	TEST_ASSERT_EQ(td_report(&g), 0);
	TEST_ASSERT_EQ(td_report(&g), 0);
	TEST_ASSERT_EQ(td_report(&g), 2);

	/*
	 * CPUID is #VE (the module virtualises no leaf), and so is RDMSR of an MSR the CPU does
	 * not hold; TDG.VP.VMCALL gets the leaf from KVM_SET_CPUID2's table and the APIC base
	 * from KVM, which refuses to write it; EFER is the CPU's.
	 */
	TEST_ASSERT_EQ(td_report(&g), TDX_SUCCESS);
	TEST_ASSERT_EQ(td_report(&g), EXIT_REASON_CPUID);
	TEST_ASSERT_EQ(td_report(&g), 0);
	TEST_ASSERT_EQ(td_report(&g), 0);
	TEST_ASSERT_EQ(td_report(&g), 0);
	TEST_ASSERT_EQ(td_report(&g), 2);
	TEST_ASSERT_EQ(td_report(&g), KVM_CPUID_FEATURES);
	TEST_ASSERT_EQ(td_report(&g), 0x4b4d564b);
	TEST_ASSERT_EQ(td_report(&g), TDX_SUCCESS);
	TEST_ASSERT_EQ(td_report(&g), EXIT_REASON_MSR_READ);
	TEST_ASSERT_EQ(td_report(&g), 0);
	TEST_ASSERT_EQ(td_report(&g), 0);
	TEST_ASSERT_EQ(td_report(&g), 0);
	TEST_ASSERT_EQ(td_report(&g), 2);
	TEST_ASSERT_EQ(td_report(&g), apic_base);
	TEST_ASSERT_EQ(td_report(&g), TDVMCALL_STATUS_INVALID_OPERAND);
	TEST_ASSERT(td_report(&g) & (1 << 10), "EFER.LMA");

	/* HLT, and the guest goes on after it. */
	td_run(&g);
	TEST_ASSERT_EQ(g.run->exit_reason, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(td_report(&g), 0xd0e);
	check_td_report(&g);
	td_guest_destroy(&g);
}

/*
 * A TD whose ATTRIBUTES ask for no #VE (SEPT_VE_DISABLE, as Linux TDs run) touches a page it
 * has not accepted: no fault KVM could fix would help, so KVM_RUN fails with EIO, as upstream,
 * every time.
 */
static void test_td_pending_without_ve(void)
{
	struct td_guest g;
	int i;

	TEST_SKIP_UNLESS(have_guest_code(), "no TCG engine in this host");
	td_guest_create(&g, SEPT_VE_DISABLE, IDT);
	td_run_to_pending(&g);
	for (i = 0; i < 2; i++)
		TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_RUN, 0), EIO);
	td_guest_destroy(&g);
}

/*
 * A #VE whose delivery meets a pending page (the TD's IDT is in a page it never accepted):
 * the module does not raise a second #VE while the first one's information is unread, it
 * exits to the host, and KVM_RUN fails with EIO as above, every time (no endless loop).
 */
static void test_td_ve_while_delivering_ve(void)
{
	struct td_guest g;
	int i;

	TEST_SKIP_UNLESS(have_guest_code(), "no TCG engine in this host");
	td_guest_create(&g, 0, NEVER_GPA);
	td_run_to_pending(&g);
	for (i = 0; i < 2; i++)
		TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_RUN, 0), EIO);
	td_guest_destroy(&g);
}

/* A TD's vCPU before KVM_RUN: TDH.VP.INIT's state, not KVM's reset state. */
static void test_td_vcpu_starts_at_reset_vector(void)
{
	struct kvm_sregs s;
	struct kvm_regs r;
	struct td t;

	td_create(MEM, &t);
	TEST_ASSERT_EQ(kvm_coco_ioctl(t.vcpu, KVM_GET_REGS, &r), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(t.vcpu, KVM_GET_SREGS, &s), 0);
	TEST_ASSERT_EQ(r.rip, 0xfffffff0);
	TEST_ASSERT_EQ(r.rcx, 0x1234);
	TEST_ASSERT_EQ(r.rbx, 48);
	TEST_ASSERT_EQ(r.rflags, 2);
	TEST_ASSERT_EQ(s.cr0, 0x21);			/* PE, NE */
	TEST_ASSERT_EQ(s.efer, 0);
	TEST_ASSERT_EQ(s.cs.base, 0);
	TEST_ASSERT_EQ(s.cs.limit, 0xffffffff);
	TEST_ASSERT_EQ(s.cs.db, 1);
	TEST_ASSERT_EQ(s.cs.l, 0);
	td_destroy(&t);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_td_vcpu_starts_at_reset_vector),
		KSFT_TEST(test_td_guest_code),
		KSFT_TEST(test_td_pending_without_ve),
		KSFT_TEST(test_td_ve_while_delivering_ve),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
