/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests written in C, as upstream's selftests write them: a guest is an ordinary function of
 * the test binary, run in the VM on the TCG engine.  guest_vm_create() copies the binary's
 * loaded segments into guest memory at the addresses they have in the test process (so code,
 * string constants and globals are where the compiler put them), builds 4-level page tables
 * for them, an identity map of the guest's own pages (page tables, stacks) and of the data
 * region, and a stack per vCPU.  Guest and host talk through ucalls: an OUT to UCALL_PIO_PORT
 * with RDI the guest address of a struct ucall, which the host reads back with get_ucall().
 *
 * Guest code runs without the test process's runtime: mark every function it runs with
 * GUEST_CODE (no sanitizer checks, no stack protector: their shadow memory and canary are
 * not in the guest), and call only other GUEST_CODE functions (no libc).
 */
#ifndef SELFTEST_KVM_GUEST_H
#define SELFTEST_KVM_GUEST_H

#include <stdint.h>
#include <linux/kvm.h>

#include "kvm_util.h"

#define GUEST_CODE	__attribute__((noinline,					\
				       no_sanitize("address", "undefined", "thread"),	\
				       no_stack_protector))

/* The guest-physical layout: the lib's pages first, the test's data from GUEST_DATA_GPA. */
#define GUEST_MEM_SIZE		(64ul << 20)
#define GUEST_DATA_GPA		(32ul << 20)
#define GUEST_DATA_SIZE		(GUEST_MEM_SIZE - GUEST_DATA_GPA)
#define GUEST_STACK_PAGES	4
#define GUEST_MAX_VCPUS		8
#define UCALL_PIO_PORT		0x1000
#define GUEST_NR_VECTORS	32

enum {
	UCALL_NONE,
	UCALL_SYNC,
	UCALL_ABORT,
	UCALL_DONE,
};

/* ABORT: args[0] file, [1] line, [2] expression (pointers valid in the host too), [3..4]. */
struct ucall {
	uint64_t cmd;
	uint64_t args[5];
};

struct guest_vm {
	int vm, gmem;
	uint8_t *mem;			/* the shared side of the one memslot */
	uint64_t next_gpa;		/* page allocator for the lib's own pages */
	uint64_t pml4;
	uint64_t gdt, idt, tss, df_stack;	/* guest_descriptor_tables_create() */
};

struct guest_vcpu {
	int fd;
	unsigned int id;
	struct kvm_run *run;
};

/* What an exception handler gets: the registers at the exception, as its stub saved them. */
struct ex_regs {
	uint64_t rax, rcx, rdx, rbx, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;	/* the CPU's frame: IRETQ returns to it */
};

/* Guest side. */
GUEST_CODE void ucall(uint64_t cmd, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		      uint64_t a4);

/*
 * VMMCALL: the number in RAX, the arguments in RBX, RCX, RDX; the result in RAX.  Inline in
 * its caller, as a Linux guest's kvm_hypercall3() is.
 */
static inline __attribute__((always_inline)) uint64_t kvm_hypercall(uint64_t nr, uint64_t a0,
								    uint64_t a1, uint64_t a2)
{
	uint64_t ret;

	asm volatile("vmmcall"
		     : "=a"(ret) : "a"(nr), "b"(a0), "c"(a1), "d"(a2) : "memory");
	return ret;
}

#define GUEST_SYNC(stage)		ucall(UCALL_SYNC, (stage), 0, 0, 0, 0)
#define GUEST_SYNC_ARGS(s, a, b, c)	ucall(UCALL_SYNC, (s), (a), (b), (c), 0)
#define GUEST_DONE()			ucall(UCALL_DONE, 0, 0, 0, 0, 0)
#define GUEST_ASSERT_EQ(a, b) do {						\
	uint64_t __a = (a), __b = (b);						\
	if (__a != __b)								\
		ucall(UCALL_ABORT, (uint64_t)__FILE__, __LINE__,		\
		      (uint64_t)(#a " == " #b), __a, __b);			\
} while (0)
#define GUEST_ASSERT(e)		GUEST_ASSERT_EQ(!!(e), 1)

/* Host side. */
bool have_guest_code(void);		/* the host offers the TCG engine */
void guest_vm_create(struct guest_vm *g, unsigned long type);
void guest_vm_destroy(struct guest_vm *g);
void guest_vcpu_add(struct guest_vm *g, struct guest_vcpu *v, unsigned int id,
		    void *guest_code);
void guest_vcpu_destroy(struct guest_vcpu *v);
void *guest_gpa_hva(struct guest_vm *g, uint64_t gpa);
/*
 * Run @handler (guest code) for exception @vector: it may change the registers, RIP included,
 * that the guest goes on with.  A vector without a handler fails the test (a ucall ABORT).
 * #DF runs on a stack of its own (IST 1).
 */
void vm_install_exception_handler(struct guest_vm *g, unsigned int vector,
				  void (*handler)(struct ex_regs *regs));
/* Copy a variable of the test process to the guest's copy of it, or back. */
void guest_write(struct guest_vm *g, const void *var, size_t size);
/* Write @size bytes from @src into the guest's copy of @var (the test's stays as it is). */
void guest_write_to(struct guest_vm *g, const void *var, const void *src, size_t size);
void guest_read(struct guest_vm *g, void *var, size_t size);
#define sync_global_to_guest(g, var)	guest_write((g), &(var), sizeof(var))
#define sync_global_from_guest(g, var)	guest_read((g), &(var), sizeof(var))
/* KVM_RUN; then, if the exit is a ucall, the guest's struct ucall (else UCALL_NONE). */
void vcpu_run(struct guest_vcpu *v);
uint64_t get_ucall(struct guest_vm *g, struct guest_vcpu *v, struct ucall *uc);
/* A ucall that must be @cmd; an ABORT fails the test with the guest's assertion. */
void assert_ucall(struct guest_vm *g, struct guest_vcpu *v, struct ucall *uc, uint64_t cmd);

/* The lib's own: pages below GUEST_DATA_GPA, mapped 1:1 by guest_map_page(). */
uint64_t guest_alloc_page(struct guest_vm *g);
void guest_map_page(struct guest_vm *g, uint64_t gva, uint64_t gpa);
void guest_descriptor_tables_create(struct guest_vm *g);
void guest_vcpu_set_tables(struct guest_vm *g, int vcpu);

#endif
