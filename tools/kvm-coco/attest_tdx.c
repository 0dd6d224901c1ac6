// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-coco attest --type tdx: a TD asks the TDX module for its report, and the CLI checks it
 * as a relying party's verifier would.
 *
 * The TD is built through the KVM ioctls as a VMM builds one: its boot page at the reset
 * vector and its image (page tables, GDT, code) added and measured, a data page added
 * unmeasured with the REPORTDATA the user gave.  Its code enters long mode, calls
 * TDG.MR.REPORT, and hands the 1024-byte TDREPORT_STRUCT over with TDG.VP.VMCALL
 * <Instruction.IO>, 8 bytes at a time; then it halts.  The CLI prints the report as JSON and
 * verifies it: the MAC (the platform's check, what a quoting enclave asks the CPU for), the
 * MRTD against `measure`'s prediction of the same pages, and REPORTDATA.  Exit status 0 only
 * if all three hold.  Needs the TCG engine (the library host).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <kvm-coco.h>
#include <linux/kvm_coco.h>

#include "attest.h"
#include "cli.h"

#define MEM		(1ul << 20)
#define BOOT_GPA	0xfffff000ul
#define PML4		0x10000			/* PML4, PDPT, PD0, PD3, PT3 */
#define GDT		0x15000
#define GDTR		0x15100
#define CODE		0x16000
#define STACK_TOP	0x18000
#define IMAGE_END	STACK_TOP		/* [PML4, IMAGE_END) is measured */
#define DATA_GPA	0x20000			/* the report at 0, REPORTDATA at 0x400 */
#define REPORTDATA_OFF	0x400
#define REPORT_PORT	0x80
#define PTE		3
#define SHARED_BIT	(1ul << 47)

#define STR_(x)		#x
#define STR(x)		STR_(x)

/*
 * The boot page: 32-bit code from the reset vector (which jumps back to its start) into long
 * mode; then the 64-bit code at CODE: TDG.MR.REPORT, its status and the report out through
 * Instruction.IO (each 8 bytes as two 4-byte OUTs), and Instruction.HLT.
 */
asm(".pushsection .rodata.attest_td, \"a\"\n"
    ".balign 4096\n"
    "attest_boot:\n"
    ".code32\n"
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
    ".org attest_boot + 0xff0\n"
    "	jmp attest_boot\n"
    ".org attest_boot + 0x1000\n"
    ".code64\n"
    "attest_code:\n"
    "	mov $" STR(STACK_TOP) ", %rsp\n"
    "	mov $" STR(DATA_GPA) ", %rcx\n"
    "	mov $" STR(DATA_GPA) " + " STR(REPORTDATA_OFF) ", %rdx\n"
    "	xor %r8d, %r8d\n"
    "	mov $4, %eax\n"				/* TDG.MR.REPORT */
    "	.byte 0x66, 0x0f, 0x01, 0xcc\n"
    "	mov %rax, %rdi\n"
    "	call 2f\n"
    "	mov $" STR(DATA_GPA) ", %rsi\n"
    "	mov $128, %ebx\n"
    "1:	mov (%rsi), %rdi\n"
    "	call 2f\n"
    "	add $8, %rsi\n"
    "	dec %ebx\n"
    "	jnz 1b\n"
    "	xor %r10d, %r10d\n"			/* Instruction.HLT */
    "	mov $12, %r11d\n"
    "	mov $0xfc00, %ecx\n"
    "	xor %eax, %eax\n"
    "	.byte 0x66, 0x0f, 0x01, 0xcc\n"
    "	ud2\n"
    "2:	mov %rdi, %r15\n"			/* RDI out, low half first */
    "	call 3f\n"
    "	mov %rdi, %r15\n"
    "	shr $32, %r15\n"
    "3:	xor %r10d, %r10d\n"			/* Instruction.IO: OUT, 4 bytes */
    "	mov $30, %r11d\n"
    "	mov $4, %r12d\n"
    "	mov $1, %r13d\n"
    "	mov $" STR(REPORT_PORT) ", %r14d\n"
    "	mov $0xfc00, %ecx\n"
    "	xor %eax, %eax\n"
    "	.byte 0x66, 0x0f, 0x01, 0xcc\n"
    "	ret\n"
    "attest_code_end:\n"
    ".code64\n"
    ".popsection\n");

extern const uint8_t attest_boot[], attest_code[], attest_code_end[];

struct attest_td {
	int sys, vm, gmem, vcpu;
	uint8_t *shared;
	struct kvm_run *run;
};

static int td_cmd(int fd, unsigned int id, unsigned int flags, void *data)
{
	struct kvm_tdx_cmd cmd = { .id = id, .flags = flags, .data = (unsigned long)data };
	int r = kvm_coco_ioctl(fd, KVM_MEMORY_ENCRYPT_OP, &cmd);

	if (r)
		cli_error("TDX command %u: %s (TDX module %#llx)", id, strerror(errno),
			  (unsigned long long)cmd.hw_error);
	return r;
}

/* Page tables (the first 2 MiB 1:1 by one large page, the boot page 1:1), GDT and code. */
static void attest_image(uint8_t *image)
{
	uint64_t *pml4 = (uint64_t *)image, *pdpt = pml4 + 512, *pd0 = pml4 + 1024;
	uint64_t *pd3 = pml4 + 1536, *pt3 = pml4 + 2048;
	uint64_t *gdt = (uint64_t *)(image + GDT - PML4);

	memset(image, 0, IMAGE_END - PML4);
	pml4[0] = PML4 + 0x1000 + PTE;
	pdpt[0] = PML4 + 0x2000 + PTE;
	pdpt[3] = PML4 + 0x3000 + PTE;
	pd0[0] = 0x80 | PTE;				/* a 2 MiB page at 0 */
	pd3[511] = PML4 + 0x4000 + PTE;
	pt3[511] = BOOT_GPA | PTE;
	gdt[1] = 0x00af9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	memcpy(image + GDTR - PML4, &(uint16_t){ 23 }, 2);
	memcpy(image + GDTR - PML4 + 2, &(uint32_t){ GDT }, 4);
	memcpy(image + CODE - PML4, attest_code, attest_code_end - attest_code);
}

static int add_pages(struct attest_td *td, uint64_t gpa, const void *src, uint64_t n,
		     bool measured)
{
	struct kvm_tdx_init_mem_region r = { .source_addr = (uintptr_t)src, .gpa = gpa,
					     .nr_pages = n };

	return td_cmd(td->vcpu, KVM_TDX_INIT_MEM_REGION,
		      measured ? KVM_TDX_MEASURE_MEMORY_REGION : 0, &r);
}

static int set_private(struct attest_td *td, uint64_t gpa, uint64_t size)
{
	struct kvm_memory_attributes a = { .address = gpa, .size = size,
					   .attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE };

	return kvm_coco_ioctl(td->vm, KVM_SET_MEMORY_ATTRIBUTES, &a);
}

static int attest_td_create(struct attest_td *td, const uint8_t *image, const uint8_t *data)
{
	struct kvm_enable_cap engine = { .cap = KVM_CAP_COCO_ENGINE,
					 .args = { KVM_COCO_ENGINE_TCG } };
	struct kvm_tdx_init_vm init_vm = { .xfam = 0x3 };
	struct kvm_create_guest_memfd gmem = { .size = MEM + 4096 };
	struct kvm_userspace_memory_region2 slot = { .flags = KVM_MEM_GUEST_MEMFD,
						     .memory_size = MEM };

	td->sys = kvm_coco_open();
	if (td->sys < 0)
		return cli_error("/dev/kvm: %s", strerror(errno));
	if (!(kvm_coco_ioctl(td->sys, KVM_CHECK_EXTENSION, KVM_CAP_COCO_ENGINE) &
	      (1 << KVM_COCO_ENGINE_TCG)))
		return cli_error("attest runs the TD's code: this host has no TCG engine");
	td->vm = kvm_coco_ioctl(td->sys, KVM_CREATE_VM, KVM_X86_TDX_VM);
	if (td->vm < 0 || kvm_coco_ioctl(td->vm, KVM_ENABLE_CAP, &engine))
		return cli_error("a TD on the TCG engine: %s", strerror(errno));
	td->gmem = kvm_coco_ioctl(td->vm, KVM_CREATE_GUEST_MEMFD, &gmem);
	td->shared = mmap(NULL, MEM + 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (td->gmem < 0 || td->shared == MAP_FAILED)
		return cli_error("guest memory: %s", strerror(errno));
	slot.userspace_addr = (uintptr_t)td->shared;
	slot.guest_memfd = td->gmem;
	if (kvm_coco_ioctl(td->vm, KVM_SET_USER_MEMORY_REGION2, &slot))
		return cli_error("memslot: %s", strerror(errno));
	slot = (struct kvm_userspace_memory_region2){ .slot = 1, .flags = KVM_MEM_GUEST_MEMFD,
		.guest_phys_addr = BOOT_GPA, .memory_size = 4096,
		.userspace_addr = (uintptr_t)td->shared + MEM, .guest_memfd = td->gmem,
		.guest_memfd_offset = MEM };
	if (kvm_coco_ioctl(td->vm, KVM_SET_USER_MEMORY_REGION2, &slot) ||
	    set_private(td, 0, MEM) || set_private(td, BOOT_GPA, 4096))
		return cli_error("memslots: %s", strerror(errno));
	if (td_cmd(td->vm, KVM_TDX_INIT_VM, 0, &init_vm))
		return 1;
	td->vcpu = kvm_coco_ioctl(td->vm, KVM_CREATE_VCPU, 0);
	if (td->vcpu < 0 || td_cmd(td->vcpu, KVM_TDX_INIT_VCPU, 0, NULL))
		return cli_error("the vCPU: %s", strerror(errno));
	if (add_pages(td, PML4, image, (IMAGE_END - PML4) / 4096, true) ||
	    add_pages(td, BOOT_GPA, attest_boot, 1, true) ||
	    add_pages(td, DATA_GPA, data, 1, false) ||
	    td_cmd(td->vm, KVM_TDX_FINALIZE_VM, 0, NULL))
		return 1;
	td->run = kvm_coco_mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, td->vcpu, 0);
	return td->run == MAP_FAILED ? cli_error("mmap vCPU: %s", strerror(errno)) : 0;
}

static void attest_td_destroy(struct attest_td *td)
{
	if (td->run && td->run != MAP_FAILED)
		munmap(td->run, 4096);
	if (td->vcpu >= 0)
		kvm_coco_close(td->vcpu);
	if (td->gmem >= 0)
		kvm_coco_close(td->gmem);
	if (td->vm >= 0)
		kvm_coco_close(td->vm);
	if (td->sys >= 0)
		kvm_coco_close(td->sys);
	if (td->shared && td->shared != MAP_FAILED)
		munmap(td->shared, MEM + 4096);
}

/* The TD's next 8 bytes: two OUTs to REPORT_PORT. */
static int td_word(struct attest_td *td, uint64_t *v)
{
	uint32_t half[2];
	int i;

	for (i = 0; i < 2; i++) {
		if (kvm_coco_ioctl(td->vcpu, KVM_RUN, 0))
			return cli_error("KVM_RUN: %s", strerror(errno));
		if (td->run->exit_reason != KVM_EXIT_IO || td->run->io.port != REPORT_PORT ||
		    td->run->io.size != 4)
			return cli_error("the TD stopped unexpectedly (exit %u)",
					 td->run->exit_reason);
		memcpy(&half[i], (uint8_t *)td->run + td->run->io.data_offset, 4);
	}
	*v = half[0] | (uint64_t)half[1] << 32;
	return 0;
}

static int td_report(struct attest_td *td, uint8_t report[1024])
{
	uint64_t status, v;
	int i;

	if (td_word(td, &status))
		return 1;
	if (status)
		return cli_error("TDG.MR.REPORT: TDX module status %#llx",
				 (unsigned long long)status);
	for (i = 0; i < 128; i++) {
		if (td_word(td, &v))
			return 1;
		memcpy(report + 8 * i, &v, 8);
	}
	if (kvm_coco_ioctl(td->vcpu, KVM_RUN, 0) || td->run->exit_reason != KVM_EXIT_HLT)
		return cli_error("the TD did not halt");
	return 0;
}

static int predict_mrtd(const uint8_t *image, uint8_t out[48])
{
	struct kvm_coco_tdx_measure *m = kvm_coco_tdx_measure_new();
	unsigned int i;
	int r = -ENOMEM;

	if (!m)
		return r;
	for (i = 0, r = 0; !r && i < (IMAGE_END - PML4) / 4096; i++)
		r = kvm_coco_tdx_measure_page(m, PML4 + i * 4096ull, image + i * 4096, 1);
	r = r ?: kvm_coco_tdx_measure_page(m, BOOT_GPA, attest_boot, 1);
	r = r ?: kvm_coco_tdx_measure_page(m, DATA_GPA, NULL, 0);
	r = r ?: kvm_coco_tdx_measure_digest(m, out);
	kvm_coco_tdx_measure_free(m);
	return r;
}

static void print_json(const uint8_t *report, const uint8_t *mrtd, bool mac, bool mrtd_ok,
		       bool data_ok)
{
	uint64_t attributes, xfam;
	int i;

	memcpy(&attributes, report + 512, 8);
	memcpy(&xfam, report + 520, 8);
	printf("{\"type\": \"tdx\", \"report_type\": %u, \"report_data\": \"", report[0]);
	attest_hex(stdout, report + 128, 64);
	printf("\", \"attributes\": \"%#llx\", \"xfam\": \"%#llx\", \"mrtd\": \"",
	       (unsigned long long)attributes, (unsigned long long)xfam);
	attest_hex(stdout, report + 528, 48);
	printf("\", \"mrtd_predicted\": \"");
	attest_hex(stdout, mrtd, 48);
	printf("\", \"rtmr\": [");
	for (i = 0; i < 4; i++) {
		printf("%s\"", i ? ", " : "");
		attest_hex(stdout, report + 720 + 48 * i, 48);
		printf("\"");
	}
	printf("], \"mrseam\": \"");
	attest_hex(stdout, report + 256 + 24, 48);
	printf("\", \"mac_valid\": %s, \"mrtd_matches\": %s, \"report_data_matches\": %s, "
	       "\"verified\": %s}\n", mac ? "true" : "false", mrtd_ok ? "true" : "false",
	       data_ok ? "true" : "false", mac && mrtd_ok && data_ok ? "true" : "false");
}

int attest_tdx(const struct attest_opts *o)
{
	static uint8_t image[IMAGE_END - PML4] __attribute__((aligned(4096)));
	static uint8_t data[4096] __attribute__((aligned(4096)));
	struct attest_td td = { .sys = -1, .vm = -1, .gmem = -1, .vcpu = -1 };
	uint8_t report[1024], mrtd[48];
	bool mac, mrtd_ok, data_ok;
	FILE *f;
	int r;

	memcpy(data + REPORTDATA_OFF, o->report_data, sizeof(o->report_data));
	attest_image(image);
	r = attest_td_create(&td, image, data) || td_report(&td, report);
	attest_td_destroy(&td);
	if (r)
		return 1;
	if (predict_mrtd(image, mrtd))
		return cli_error("cannot compute the MRTD");
	mac = kvm_coco_tdx_report_verify(report);
	mrtd_ok = !memcmp(report + 528, mrtd, 48);
	data_ok = !memcmp(report + 128, data + REPORTDATA_OFF, 64);
	print_json(report, mrtd, mac, mrtd_ok, data_ok);
	if (o->out) {
		f = fopen(o->out, "wb");
		if (!f || fwrite(report, sizeof(report), 1, f) != 1 || fclose(f))
			return cli_error("%s: %s", o->out, strerror(errno));
	}
	return mac && mrtd_ok && data_ok ? 0 : 1;
}
