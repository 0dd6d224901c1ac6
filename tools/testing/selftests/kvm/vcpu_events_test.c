// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU state a VMM saves and restores beyond the registers, as upstream takes it:
 * KVM_GET/SET_VCPU_EVENTS (what is accepted, what is refused, what reads back), an injected
 * exception, interrupt and NMI reaching the guest's handlers (an NMI masking the next until
 * its handler's IRET), KVM_GET/SET_XSAVE in the standard format (components not in use take
 * their initial state; a header or MXCSR XRSTOR would refuse is EINVAL), KVM_GET/SET_DEBUGREGS
 * (the guest reads the DR0 the VMM set), and KVM_CAP_SYNC_REGS's checks: invalid sets in
 * kvm_valid_regs or kvm_dirty_regs, or dirty sregs KVM_SET_SREGS would refuse, fail KVM_RUN
 * with EINVAL and change nothing.  The guest-code tests are skipped where the host has no TCG
 * engine (the kernel module).
 */
#include <sys/mman.h>

#include "guest.h"

#define GP_VECTOR	13
#define UD_VECTOR	6
#define NMI_VECTOR	2
#define IRQ_VECTOR	31
#define X87_FCW_INIT	0x37f

#define XSAVE_MXCSR	24
#define XSAVE_XMM0	160
#define XSAVE_BV	512
#define XSAVE_XCOMP	520
#define XSAVE_RSVD	528

static uint64_t ud_count, ud_rip, irq_count, nmi_count;

static GUEST_CODE void guest_ud(struct ex_regs *regs)
{
	ud_count++;
	ud_rip = regs->rip;
}

static GUEST_CODE void guest_irq(struct ex_regs *regs)
{
	irq_count++;
}

static GUEST_CODE void guest_nmi(struct ex_regs *regs)
{
	nmi_count++;
}

/* Each stop lets the VMM inject; the next one reports what the handlers saw. */
static GUEST_CODE void guest_events(unsigned int id)
{
	uint64_t dr0;

	GUEST_SYNC(0);
	GUEST_SYNC_ARGS(1, ud_count, ud_rip, 0);
	GUEST_SYNC_ARGS(2, irq_count, 0, 0);
	GUEST_SYNC_ARGS(3, nmi_count, 0, 0);
	asm volatile("mov %%dr0, %0" : "=r"(dr0));
	GUEST_SYNC_ARGS(4, dr0, 0, 0);
	GUEST_DONE();
}

static int vcpu_fd(int *vm)
{
	*vm = vm_create_model(KVM_X86_DEFAULT_VM);
	return vm_create_vcpu(*vm, 0);
}

static void get_events(int vcpu, struct kvm_vcpu_events *ev)
{
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_VCPU_EVENTS, ev), 0);
}

static void test_events_rules(void)
{
	struct kvm_vcpu_events ev = {}, got;
	int vm, vcpu = vcpu_fd(&vm);

	get_events(vcpu, &got);
	TEST_ASSERT_EQ(got.flags, KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW |
				  KVM_VCPUEVENT_VALID_SMM);
	TEST_ASSERT_EQ(got.exception.injected, 0);

	ev.flags = 0x40;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), EINVAL);
	/* No KVM_CAP_EXCEPTION_PAYLOAD, no triple-fault event, no SMM. */
	ev.flags = KVM_VCPUEVENT_VALID_PAYLOAD;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), EINVAL);
	ev.flags = KVM_VCPUEVENT_VALID_TRIPLE_FAULT;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), EINVAL);
	ev.flags = KVM_VCPUEVENT_VALID_SMM;
	ev.smi.smm = 1;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), EINVAL);
	ev.smi.smm = 0;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), 0);
	/* Only vectors 0-31 but NMI's are exceptions. */
	ev.flags = 0;
	ev.exception.injected = 1;
	ev.exception.nr = 32;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), EINVAL);
	ev.exception.nr = NMI_VECTOR;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), EINVAL);
	/* "pending" without the payload ABI is dropped, whatever its vector. */
	ev.exception.injected = 0;
	ev.exception.pending = 1;
	ev.exception.nr = 255;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), 0);
	get_events(vcpu, &got);
	TEST_ASSERT_EQ(got.exception.injected, 0);
	TEST_ASSERT_EQ(got.exception.pending, 0);

	/* What is queued reads back. */
	memset(&ev, 0, sizeof(ev));
	ev.flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW;
	ev.exception.injected = 1;
	ev.exception.nr = GP_VECTOR;
	ev.exception.has_error_code = 1;
	ev.exception.error_code = 0x10;
	ev.interrupt.injected = 1;
	ev.interrupt.nr = 0x40;
	ev.interrupt.shadow = KVM_X86_SHADOW_INT_STI | 0x80;
	ev.nmi.pending = 1;
	ev.nmi.masked = 1;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), 0);
	get_events(vcpu, &got);
	TEST_ASSERT_EQ(got.exception.injected, 1);
	TEST_ASSERT_EQ(got.exception.nr, GP_VECTOR);
	TEST_ASSERT_EQ(got.exception.has_error_code, 1);
	TEST_ASSERT_EQ(got.exception.error_code, 0x10);
	TEST_ASSERT_EQ(got.interrupt.injected, 1);
	TEST_ASSERT_EQ(got.interrupt.nr, 0x40);
	TEST_ASSERT_EQ(got.interrupt.shadow, KVM_X86_SHADOW_INT_STI);
	TEST_ASSERT_EQ(got.nmi.pending, 1);
	TEST_ASSERT_EQ(got.nmi.masked, 1);
	/* Without VALID_NMI_PENDING the pending NMI stays. */
	ev.flags = 0;
	ev.nmi.pending = 0;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), 0);
	get_events(vcpu, &got);
	TEST_ASSERT_EQ(got.nmi.pending, 1);
	kvm_close(vcpu);
	kvm_close(vm);
}

static void set_events(struct guest_vcpu *v, const struct kvm_vcpu_events *ev)
{
	TEST_ASSERT_EQ(kvm_coco_ioctl(v->fd, KVM_SET_VCPU_EVENTS, ev), 0);
}

/* Inject @ev; the guest's next stop is @stage, its handler having run once; then KVM's view. */
static void deliver(struct guest_vm *g, struct guest_vcpu *v, const struct kvm_vcpu_events *ev,
		    uint64_t stage, struct kvm_vcpu_events *got)
{
	struct ucall uc;

	set_events(v, ev);
	vcpu_run(v);
	assert_ucall(g, v, &uc, UCALL_SYNC);
	TEST_ASSERT_EQ(uc.args[0], stage);
	TEST_ASSERT_EQ(uc.args[1], 1);
	get_events(v->fd, got);
}

static void test_injected_events_delivered(void)
{
	struct kvm_debugregs dr = { .db = { 0x1234000 }, .dr6 = 0xffff0ff0, .dr7 = 0x400 };
	struct kvm_vcpu_events ev = {}, got;
	struct guest_vcpu v;
	struct guest_vm g;
	struct ucall uc;

	if (!have_guest_code())
		return test_skip("no TCG engine in this host");
	guest_vm_create(&g, KVM_X86_DEFAULT_VM);
	vm_install_exception_handler(&g, UD_VECTOR, guest_ud);
	vm_install_exception_handler(&g, IRQ_VECTOR, guest_irq);
	vm_install_exception_handler(&g, NMI_VECTOR, guest_nmi);
	guest_vcpu_add(&g, &v, 0, guest_events);
	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_SYNC);

	/* An exception: its handler runs before the guest's next instruction. */
	ev.exception.injected = 1;
	ev.exception.nr = UD_VECTOR;
	deliver(&g, &v, &ev, 1, &got);
	TEST_ASSERT_EQ(got.exception.injected, 0);

	/* An interrupt. */
	memset(&ev, 0, sizeof(ev));
	ev.interrupt.injected = 1;
	ev.interrupt.nr = IRQ_VECTOR;
	deliver(&g, &v, &ev, 2, &got);
	TEST_ASSERT_EQ(got.interrupt.injected, 0);

	/* An NMI: masked while its handler runs, unmasked by the handler's IRET. */
	memset(&ev, 0, sizeof(ev));
	ev.nmi.injected = 1;
	deliver(&g, &v, &ev, 3, &got);
	TEST_ASSERT_EQ(got.nmi.injected, 0);
	TEST_ASSERT_EQ(got.nmi.masked, 0);

	/* The debug registers the VMM sets are the guest's. */
	TEST_ASSERT_EQ(kvm_coco_ioctl(v.fd, KVM_SET_DEBUGREGS, &dr), 0);
	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_SYNC);
	TEST_ASSERT_EQ(uc.args[0], 4);
	TEST_ASSERT_EQ(uc.args[1], 0x1234000);
	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_DONE);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

static void xsave_get(int vcpu, uint8_t *x)
{
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_XSAVE, x), 0);
}

static void test_xsave(void)
{
	uint8_t *x = calloc(1, sizeof(struct kvm_xsave));
	uint8_t *bad = calloc(1, sizeof(struct kvm_xsave));
	struct kvm_fpu fpu = { .fcw = 0x27f, .fsw = 0x100, .ftwx = 0x81, .mxcsr = 0x1fa0 };
	int vm, vcpu = vcpu_fd(&vm);
	uint64_t bv;
	uint32_t u;

	memset(fpu.xmm[0], 0xab, 16);
	memset(fpu.fpr[7], 0x3c, 10);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_FPU, &fpu), 0);
	xsave_get(vcpu, x);
	TEST_ASSERT_EQ(*(uint16_t *)x, 0x27f);
	TEST_ASSERT_EQ(*(uint16_t *)(x + 2), 0x100);
	TEST_ASSERT_EQ(x[4], 0x81);
	TEST_ASSERT_EQ(*(uint32_t *)(x + XSAVE_MXCSR), 0x1fa0);
	TEST_ASSERT_EQ(x[XSAVE_XMM0], 0xab);
	TEST_ASSERT_EQ(x[32 + 7 * 16], 0x3c);
	TEST_ASSERT_EQ(*(uint64_t *)(x + XSAVE_BV), 3);

	/* A restore: what it sets is the vCPU's. */
	x[XSAVE_XMM0] = 0x11;
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_XSAVE, x), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_FPU, &fpu), 0);
	TEST_ASSERT_EQ(fpu.xmm[0][0], 0x11);
	TEST_ASSERT_EQ(fpu.fcw, 0x27f);

	/* What XRSTOR refuses: other components, the compacted format, the header's rest, MXCSR. */
	memcpy(bad, x, sizeof(struct kvm_xsave));
	bad[XSAVE_BV] = 7;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_XSAVE, bad), EINVAL);
	memcpy(bad, x, sizeof(struct kvm_xsave));
	bad[XSAVE_XCOMP + 7] = 0x80;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_XSAVE, bad), EINVAL);
	memcpy(bad, x, sizeof(struct kvm_xsave));
	bad[XSAVE_RSVD + 20] = 1;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_XSAVE, bad), EINVAL);
	memcpy(bad, x, sizeof(struct kvm_xsave));
	u = 1 << 16;
	memcpy(bad + XSAVE_MXCSR, &u, 4);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_XSAVE, bad), EINVAL);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_FPU, &fpu), 0);
	TEST_ASSERT_EQ(fpu.xmm[0][0], 0x11);
	TEST_ASSERT_EQ(fpu.mxcsr, 0x1fa0);

	/* SSE only: x87 takes its initial state. */
	bv = 2;
	memcpy(x + XSAVE_BV, &bv, 8);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_XSAVE, x), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_FPU, &fpu), 0);
	TEST_ASSERT_EQ(fpu.fcw, X87_FCW_INIT);
	TEST_ASSERT_EQ(fpu.ftwx, 0);
	TEST_ASSERT_EQ(fpu.fpr[7][0], 0);
	TEST_ASSERT_EQ(fpu.xmm[0][0], 0x11);
	/* x87 only: the XMM registers are zero. */
	bv = 1;
	memcpy(x + XSAVE_BV, &bv, 8);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_XSAVE, x), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_FPU, &fpu), 0);
	TEST_ASSERT_EQ(fpu.fcw, 0x27f);
	TEST_ASSERT_EQ(fpu.xmm[0][0], 0);
	free(x);
	free(bad);
	kvm_close(vcpu);
	kvm_close(vm);
}

static void test_debugregs(void)
{
	struct kvm_debugregs d = { .db = { 1, 2, 3, 4 }, .dr6 = 0xffff4ff0, .dr7 = 0x701 }, got;
	int vm, vcpu = vcpu_fd(&vm);

	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_DEBUGREGS, &got), 0);
	TEST_ASSERT_EQ(got.dr6, 0xffff0ff0);
	TEST_ASSERT_EQ(got.dr7, 0x400);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_SET_DEBUGREGS, &d), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_DEBUGREGS, &got), 0);
	TEST_ASSERT_EQ(memcmp(got.db, d.db, sizeof(d.db)), 0);
	TEST_ASSERT_EQ(got.dr6, d.dr6);
	TEST_ASSERT_EQ(got.dr7, d.dr7);
	TEST_ASSERT_EQ(got.flags, 0);

	got = d;
	got.flags = 1;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_DEBUGREGS, &got), EINVAL);
	got = d;
	got.dr6 |= 1ull << 32;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_DEBUGREGS, &got), EINVAL);
	got = d;
	got.dr7 |= 1ull << 40;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_SET_DEBUGREGS, &got), EINVAL);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_DEBUGREGS, &got), 0);
	TEST_ASSERT_EQ(got.dr7, d.dr7);
	kvm_close(vcpu);
	kvm_close(vm);
}

/* KVM_RUN refuses bad sync sets before anything runs, and takes nothing of them. */
static void test_sync_regs_rules(void)
{
	int vm, vcpu = vcpu_fd(&vm);
	struct kvm_sregs sregs, now;
	struct kvm_regs regs;
	struct kvm_run *run;

	TEST_ASSERT_EQ(kvm_check_cap(KVM_CAP_SYNC_REGS), KVM_SYNC_X86_VALID_FIELDS);
	run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	TEST_ASSERT(run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_SREGS, &sregs), 0);

	run->kvm_valid_regs = 1ull << 31;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_RUN, 0), EINVAL);
	run->kvm_valid_regs = 0;
	run->kvm_dirty_regs = KVM_SYNC_X86_REGS | (1ull << 3);
	run->s.regs.regs.rbx = 0xbad;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_RUN, 0), EINVAL);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_REGS, &regs), 0);
	TEST_ASSERT(regs.rbx != 0xbad, "rbx %#llx", (unsigned long long)regs.rbx);

	/* Dirty sregs KVM_SET_SREGS would refuse (NW without CD). */
	run->s.regs.sregs = sregs;
	run->s.regs.sregs.cr0 = (sregs.cr0 | (1u << 29)) & ~(1u << 30);
	run->kvm_dirty_regs = KVM_SYNC_X86_SREGS;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_RUN, 0), EINVAL);
	TEST_ASSERT_EQ(run->kvm_dirty_regs, KVM_SYNC_X86_SREGS);
	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_GET_SREGS, &now), 0);
	TEST_ASSERT_EQ(now.cr0, sregs.cr0);
	/* Dirty events KVM_SET_VCPU_EVENTS would refuse. */
	run->kvm_dirty_regs = KVM_SYNC_X86_EVENTS;
	run->s.regs.events.flags = KVM_VCPUEVENT_VALID_PAYLOAD;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_RUN, 0), EINVAL);

	/* The valid sets are filled even when KVM_RUN fails. */
	run->kvm_dirty_regs = 0;
	run->kvm_valid_regs = KVM_SYNC_X86_SREGS | (1ull << 5);
	memset(&run->s.regs.sregs, 0, sizeof(run->s.regs.sregs));
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_RUN, 0), EINVAL);
	TEST_ASSERT_EQ(run->s.regs.sregs.cr0, sregs.cr0);
	TEST_ASSERT_EQ(run->s.regs.sregs.cs.selector, sregs.cs.selector);
	munmap(run, PAGE_SIZE);
	kvm_close(vcpu);
	kvm_close(vm);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_events_rules),
		KSFT_TEST(test_injected_events_delivered),
		KSFT_TEST(test_xsave),
		KSFT_TEST(test_debugregs),
		KSFT_TEST(test_sync_regs_rules),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
