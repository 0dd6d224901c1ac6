// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions in C guests: the guest's GDT (64-bit code and data, a TSS), its IDT (an interrupt
 * gate per exception vector, #DF on its own IST stack), and the entry stubs that save the
 * registers into a struct ex_regs and call the handler the test installed.
 */
#include "guest.h"

#define GDT_CODE64	0x00af9b000000ffffull
#define GDT_DATA	0x00cf93000000ffffull
#define TSS_LIMIT	0x67
#define TSS_IST1	0x24
#define DF_VECTOR	8

/* The handlers: only the guest's copy of the array is written (vm_install_exception_handler). */
void (*guest_exception_handlers[GUEST_NR_VECTORS])(struct ex_regs *regs);

/* Called by the stubs with the frame they built. */
GUEST_CODE void guest_route_exception(struct ex_regs *regs)
{
	void (*handler)(struct ex_regs *regs) = guest_exception_handlers[regs->vector];

	if (handler)
		return handler(regs);
	ucall(UCALL_ABORT, (uint64_t)__FILE__, __LINE__, (uint64_t)"an unhandled exception",
	      regs->vector, regs->rip);
}

/*
 * One 16-byte stub per vector: a 0 where the CPU pushes no error code, the vector, then the
 * common entry: the registers (struct ex_regs, RAX lowest), the call, and back with IRETQ.
 */
#define STUB(v, err)							\
	".align 16\n"							\
	err								\
	"push $" #v "\n"						\
	"jmp guest_exception_entry\n"
#define NOERR	"push $0\n"
#define ERR	""

asm(".pushsection .text\n"
    ".globl guest_exception_stubs\n"
    ".align 16\n"
    "guest_exception_stubs:\n"
    STUB(0, NOERR) STUB(1, NOERR) STUB(2, NOERR) STUB(3, NOERR)
    STUB(4, NOERR) STUB(5, NOERR) STUB(6, NOERR) STUB(7, NOERR)
    STUB(8, ERR) STUB(9, NOERR) STUB(10, ERR) STUB(11, ERR)
    STUB(12, ERR) STUB(13, ERR) STUB(14, ERR) STUB(15, NOERR)
    STUB(16, NOERR) STUB(17, ERR) STUB(18, NOERR) STUB(19, NOERR)
    STUB(20, NOERR) STUB(21, ERR) STUB(22, NOERR) STUB(23, NOERR)
    STUB(24, NOERR) STUB(25, NOERR) STUB(26, NOERR) STUB(27, NOERR)
    STUB(28, NOERR) STUB(29, ERR) STUB(30, ERR) STUB(31, NOERR)
    "guest_exception_entry:\n"
    "push %r15\n push %r14\n push %r13\n push %r12\n push %r11\n push %r10\n"
    "push %r9\n push %r8\n push %rdi\n push %rsi\n push %rbp\n push %rbx\n"
    "push %rdx\n push %rcx\n push %rax\n"
    "mov %rsp, %rdi\n"
    "call guest_route_exception\n"
    "pop %rax\n pop %rcx\n pop %rdx\n pop %rbx\n pop %rbp\n pop %rsi\n pop %rdi\n"
    "pop %r8\n pop %r9\n pop %r10\n pop %r11\n pop %r12\n pop %r13\n pop %r14\n pop %r15\n"
    "add $16, %rsp\n"
    "iretq\n"
    ".popsection\n");

extern const char guest_exception_stubs[];

/* A 64-bit interrupt gate (present, DPL 0) to @handler through selector 8. */
static void guest_set_gate(uint64_t *gate, uint64_t handler, unsigned int ist)
{
	gate[0] = (handler & 0xffff) | (8ull << 16) | ((uint64_t)ist << 32) | (0x8eull << 40) |
		  ((handler >> 16 & 0xffff) << 48);
	gate[1] = handler >> 32;
}

/* The GDT (with the TSS descriptor at 24), IDT, TSS and #DF stack, in the lib's own pages. */
void guest_descriptor_tables_create(struct guest_vm *g)
{
	uint64_t *gdt, *idt, tss_base, ist1;
	unsigned int v;

	g->gdt = guest_alloc_page(g);
	g->idt = guest_alloc_page(g);
	tss_base = guest_alloc_page(g);
	g->df_stack = guest_alloc_page(g);
	guest_map_page(g, g->gdt, g->gdt);
	guest_map_page(g, g->idt, g->idt);
	guest_map_page(g, tss_base, tss_base);
	guest_map_page(g, g->df_stack, g->df_stack);
	gdt = guest_gpa_hva(g, g->gdt);
	gdt[1] = GDT_CODE64;
	gdt[2] = GDT_DATA;
	/* A 64-bit available TSS (type 9), 16 bytes. */
	gdt[3] = TSS_LIMIT | (tss_base & 0xffffff) << 16 | 0x89ull << 40 |
		 (tss_base >> 24 & 0xff) << 56;
	gdt[4] = tss_base >> 32;
	ist1 = g->df_stack + PAGE_SIZE;
	/* The TSS is packed: IST1 is 4-byte aligned. */
	memcpy((uint8_t *)guest_gpa_hva(g, tss_base) + TSS_IST1, &ist1, sizeof(ist1));
	g->tss = tss_base;
	idt = guest_gpa_hva(g, g->idt);
	for (v = 0; v < GUEST_NR_VECTORS; v++)
		guest_set_gate(idt + 2 * v, (uint64_t)guest_exception_stubs + 16 * v,
			       v == DF_VECTOR);
}

/* The vCPU's segments, descriptor tables and task register, as guest_vm_create() built them. */
void guest_vcpu_set_tables(struct guest_vm *g, int vcpu)
{
	struct kvm_sregs s;

	vcpu_set_descriptor_tables(vcpu, g->gdt, 5 * 8 - 1, g->idt, GUEST_NR_VECTORS * 16 - 1);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_SREGS, &s), 0);
	s.tr = (struct kvm_segment){ .base = g->tss, .limit = TSS_LIMIT, .selector = 24,
				     .type = 11, .present = 1 };
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_SREGS, &s), 0);
}

void vm_install_exception_handler(struct guest_vm *g, unsigned int vector,
				  void (*handler)(struct ex_regs *regs))
{
	TEST_ASSERT(vector < GUEST_NR_VECTORS, "vector %u", vector);
	guest_write_to(g, &guest_exception_handlers[vector], &handler, sizeof(handler));
}
