// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions a guest's own instructions raise reach its handlers through its IDT, as on
 * hardware: faults with RIP at the instruction, traps after it, the error code and CR2 a #PF
 * reports, registers kept across IRETQ; a fault while delivering a fault is #DF (on its own
 * IST stack), and a fault while delivering #DF is a triple fault: KVM_EXIT_SHUTDOWN.
 */
#include "guest.h"

#define UNMAPPED	0x100000000000ull	/* no guest page table maps it */
#define PF_WRITE	2

static uint64_t ud_count, ud_cs, ud_ss, bp_rip, de_count, pf_cr2[2], pf_err[2], pf_count;

static GUEST_CODE void guest_ud(struct ex_regs *regs)
{
	ud_count++;
	ud_cs = regs->cs;
	ud_ss = regs->ss;
	regs->rip += 2;				/* ud2 */
}

static GUEST_CODE void guest_bp(struct ex_regs *regs)
{
	bp_rip = regs->rip;
}

static GUEST_CODE void guest_de(struct ex_regs *regs)
{
	de_count++;
	regs->rax = 0xde;
	regs->rip += 3;				/* div %rcx */
}

static GUEST_CODE void guest_pf(struct ex_regs *regs)
{
	uint64_t cr2;

	asm volatile("mov %%cr2, %0" : "=r"(cr2));
	pf_cr2[pf_count] = cr2;
	pf_err[pf_count++] = regs->error_code;
	regs->rip += 3;				/* mov (%rbx), %rax / mov %rax, (%rbx) */
}

static GUEST_CODE void guest_faults(unsigned int id)
{
	uint64_t r12 = 0x1212121212121212ull, rax = 1, rdx = 0, after_int3;

	/* A fault, its handler skips the instruction; the registers come back intact. */
	asm volatile("ud2" : "+r"(r12) : : "memory");
	GUEST_ASSERT_EQ(r12, 0x1212121212121212ull);
	GUEST_ASSERT_EQ(ud_count, 1);
	/* The frame's selector slots: the selectors, zero-extended. */
	GUEST_ASSERT_EQ(ud_cs, 8);
	GUEST_ASSERT_EQ(ud_ss, 16);

	/* A trap: the frame's RIP is the next instruction's. */
	asm volatile("lea 1f(%%rip), %0\n int3\n 1:" : "=r"(after_int3) : : "memory");
	GUEST_ASSERT_EQ(bp_rip, after_int3);

	/* #DE: the handler's RAX is what the guest sees. */
	asm volatile("div %%rcx" : "+a"(rax), "+d"(rdx) : "c"(0ull) : "memory");
	GUEST_ASSERT_EQ(de_count, 1);
	GUEST_ASSERT_EQ(rax, 0xde);

	/* #PF: CR2 and the error code of a read, then of a write, to an unmapped page. */
	asm volatile("mov (%%rbx), %%rax" : "=a"(rax) : "b"(UNMAPPED + 8) : "memory");
	asm volatile("mov %%rax, (%%rbx)" : : "a"(0ull), "b"(UNMAPPED + 16) : "memory");
	GUEST_ASSERT_EQ(pf_count, 2);
	GUEST_ASSERT_EQ(pf_cr2[0], UNMAPPED + 8);
	GUEST_ASSERT_EQ(pf_err[0], 0);
	GUEST_ASSERT_EQ(pf_cr2[1], UNMAPPED + 16);
	GUEST_ASSERT_EQ(pf_err[1], PF_WRITE);
	GUEST_DONE();
}

/* Create a VM running @code on vCPU 0 (after @setup), and run it to its first exit. */
static bool run_guest(void *code, void (*setup)(struct guest_vm *g), struct guest_vm *g,
		      struct guest_vcpu *v)
{
	if (!have_guest_code()) {
		test_skip("no TCG engine in this host");
		return false;
	}
	guest_vm_create(g, KVM_X86_DEFAULT_VM);
	if (setup)
		setup(g);
	guest_vcpu_add(g, v, 0, code);
	vcpu_run(v);
	return true;
}

static void install_fault_handlers(struct guest_vm *g)
{
	vm_install_exception_handler(g, 6, guest_ud);
	vm_install_exception_handler(g, 3, guest_bp);
	vm_install_exception_handler(g, 0, guest_de);
	vm_install_exception_handler(g, 14, guest_pf);
}

static void test_faults_reach_handlers(void)
{
	struct guest_vcpu v;
	struct guest_vm g;
	struct ucall uc;

	if (!run_guest(guest_faults, install_fault_handlers, &g, &v))
		return;
	assert_ucall(&g, &v, &uc, UCALL_DONE);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

static GUEST_CODE void guest_ud2(unsigned int id)
{
	asm volatile("ud2");
	GUEST_DONE();
}

/* No handler for the vector: the lib's router fails the test, naming it. */
static void test_unhandled_exception_aborts(void)
{
	struct guest_vcpu v;
	struct guest_vm g;
	struct ucall uc;

	if (!run_guest(guest_ud2, NULL, &g, &v))
		return;
	TEST_ASSERT_EQ(get_ucall(&g, &v, &uc), UCALL_ABORT);
	TEST_ASSERT_EQ(uc.args[3], 6);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

static GUEST_CODE void guest_df(struct ex_regs *regs)
{
	GUEST_SYNC_ARGS(1, regs->vector, regs->error_code, regs->rsp);
	for (;;)
		asm volatile("hlt");
}

/* #UD with RSP on an unmapped page: its frame cannot be pushed (#PF), nor #PF's: #DF. */
static GUEST_CODE void guest_bad_stack(unsigned int id)
{
	asm volatile("mov %0, %%rsp\n ud2" : : "r"(UNMAPPED + 0x800) : "memory");
}

static void install_df_handler(struct guest_vm *g)
{
	vm_install_exception_handler(g, 6, guest_ud);
	vm_install_exception_handler(g, 14, guest_pf);
	vm_install_exception_handler(g, 8, guest_df);
}

static void test_double_fault_on_ist(void)
{
	struct guest_vcpu v;
	struct guest_vm g;
	struct ucall uc;

	if (!run_guest(guest_bad_stack, install_df_handler, &g, &v))
		return;
	assert_ucall(&g, &v, &uc, UCALL_SYNC);
	TEST_ASSERT_EQ(uc.args[1], 8);
	TEST_ASSERT_EQ(uc.args[2], 0);
	/* The interrupted RSP, in the frame the CPU pushed on the IST stack. */
	TEST_ASSERT_EQ(uc.args[3], UNMAPPED + 0x800);
	sync_global_from_guest(&g, ud_count);
	sync_global_from_guest(&g, pf_count);
	TEST_ASSERT_EQ(ud_count, 0);
	TEST_ASSERT_EQ(pf_count, 0);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

/* With an IDT too small for #UD, #GP, and #DF: a triple fault. */
static GUEST_CODE void guest_no_idt(unsigned int id)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { 0, 0 };

	asm volatile("lidt %0\n ud2" : : "m"(idtr) : "memory");
	GUEST_DONE();
}

static void test_triple_fault_is_shutdown(void)
{
	struct guest_vcpu v;
	struct guest_vm g;

	if (!run_guest(guest_no_idt, NULL, &g, &v))
		return;
	TEST_ASSERT_EQ(v.run->exit_reason, KVM_EXIT_SHUTDOWN);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_faults_reach_handlers),
		KSFT_TEST(test_unhandled_exception_aborts),
		KSFT_TEST(test_double_fault_on_ist),
		KSFT_TEST(test_triple_fault_is_shutdown),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
