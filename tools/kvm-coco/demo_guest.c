// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's guest, when the host has the TCG engine: a small x86-64 program, assembled here
 * byte by byte, that prints a greeting on the debug port (0xe9), asks for the demo's four
 * conversions with VMMCALL KVM_HC_MAP_GPA_RANGE, writes a word into memory it made private,
 * and halts.  Every port write, every hypercall and the halt is an exit from KVM_RUN that the
 * demo, as the VMM, answers and prints.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <kvm-coco.h>
#include <linux/kvm_para.h>

#include "cli.h"
#include "demo.h"

#define DEBUG_PORT	0xe9
#define CODE_GPA	0x8000
#define TEXT_GPA	0x9000
#define SECRET_GPA	0x100000ul
#define SECRET		0x600dcafeu

static const char greeting[] = "hello from the guest: converting memory\n";

static const struct {
	uint32_t gpa, size;
	bool private;
} conversions[] = {
	{ 0x100000, 0x400000, true },		/* kernel image */
	{ 0x200000, 0x10000, false },		/* a bounce buffer */
	{ 0x800000, 0x800000, true },		/* the rest of RAM */
	{ 0xf00000, 0x1000, false },		/* a shared ring page */
};

static uint8_t *emit(uint8_t *p, const void *bytes, size_t n)
{
	memcpy(p, bytes, n);
	return p + n;
}

static uint8_t *emit_imm32(uint8_t *p, uint8_t op, uint32_t imm)
{
	*p++ = op;
	return emit(p, &imm, 4);
}

/* The guest: RSI points at the greeting. */
static void demo_assemble(uint8_t *p)
{
	static const uint8_t print[] = {
		0xac,			/* 1: lodsb */
		0x84, 0xc0,		/* test al, al */
		0x74, 0x04,		/* jz 2f */
		0xe6, DEBUG_PORT,	/* out DEBUG_PORT, al */
		0xeb, 0xf7,		/* jmp 1b; 2: */
	};
	static const uint8_t vmmcall[] = { 0x0f, 0x01, 0xd9 };
	static const uint8_t store[] = { 0xc7, 0x04, 0x25 };	/* mov dword [disp32], imm32 */
	uint32_t secret = SECRET, gpa = SECRET_GPA;
	unsigned int i;

	p = emit(p, print, sizeof(print));
	for (i = 0; i < sizeof(conversions) / sizeof(conversions[0]); i++) {
		p = emit_imm32(p, 0xb8, KVM_HC_MAP_GPA_RANGE);		/* mov eax */
		p = emit_imm32(p, 0xbb, conversions[i].gpa);		/* mov ebx */
		p = emit_imm32(p, 0xb9, conversions[i].size >> 12);	/* mov ecx */
		p = emit_imm32(p, 0xba, conversions[i].private ?	/* mov edx */
			       KVM_MAP_GPA_RANGE_ENCRYPTED : KVM_MAP_GPA_RANGE_DECRYPTED);
		p = emit(p, vmmcall, sizeof(vmmcall));
	}
	p = emit(p, store, sizeof(store));
	p = emit(p, &gpa, 4);
	p = emit(p, &secret, 4);
	*p = 0xf4;						/* hlt */
}

/* 64-bit mode, the first 2 MiB mapped 1:1 by one large page. */
static int demo_guest_setup(struct demo_vcpu *v, unsigned char *mem)
{
	uint64_t *pml4 = (uint64_t *)(mem + 0x1000), *pdpt = (uint64_t *)(mem + 0x2000);
	uint64_t *pd = (uint64_t *)(mem + 0x3000);
	struct kvm_regs r = { .rip = CODE_GPA, .rsi = TEXT_GPA, .rsp = 0x7000, .rflags = 2 };
	struct kvm_sregs s;

	pml4[0] = 0x2000 | 3;
	pdpt[0] = 0x3000 | 3;
	pd[0] = 0x83;
	demo_assemble(mem + CODE_GPA);
	memcpy(mem + TEXT_GPA, greeting, sizeof(greeting));
	if (kvm_coco_ioctl(v->fd, KVM_GET_SREGS, &s))
		return cli_error("KVM_GET_SREGS: %s", strerror(errno));
	s.cr3 = 0x1000;
	if (kvm_coco_ioctl(v->fd, KVM_SET_SREGS, &s) || kvm_coco_ioctl(v->fd, KVM_SET_REGS, &r))
		return cli_error("vCPU state: %s", strerror(errno));
	return 0;
}

/* The debug port's bytes, a line at a time. */
static void demo_port_write(struct kvm_run *run, char *line, size_t *len, size_t max)
{
	char c = *((char *)run + run->io.data_offset);

	if (c != '\n' && *len + 1 < max) {
		line[(*len)++] = c;
		return;
	}
	line[*len] = 0;
	printf("  KVM_EXIT_IO port 0x%x x%zu: the guest prints \"%s\"\n", DEBUG_PORT, *len + 1,
	       line);
	*len = 0;
}

int demo_guest_run(int vm, struct demo_vcpu *v, unsigned char *mem)
{
	struct kvm_run *run = v->run;
	char line[128];
	size_t len = 0;

	if (demo_guest_setup(v, mem))
		return 1;
	for (;;) {
		if (kvm_coco_ioctl(v->fd, KVM_RUN, 0))
			return cli_error("KVM_RUN: %s", strerror(errno));
		if (run->exit_reason == KVM_EXIT_HLT)
			break;
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == DEBUG_PORT &&
		    run->io.direction == KVM_EXIT_IO_OUT && run->io.size == 1)
			demo_port_write(run, line, &len, sizeof(line));
		else if (run->exit_reason != KVM_EXIT_HYPERCALL || demo_convert(vm, run))
			return cli_error("unexpected exit %u", run->exit_reason);
	}
	printf("  KVM_EXIT_HLT: the guest wrote %#x at 0x%lx, which it made private: the "
	       "shared side reads %#x there\n", SECRET, SECRET_GPA,
	       *(uint32_t *)(mem + SECRET_GPA));
	return *(uint32_t *)(mem + SECRET_GPA) ? cli_error("private data leaked out") : 0;
}
