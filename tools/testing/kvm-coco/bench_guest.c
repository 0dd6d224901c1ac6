// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, the guest-code figures (the TCG engine), one "NAME VALUE UNIT" line each:
 *
 *   conversion_vs_io_exit   a guest's KVM_HC_MAP_GPA_RANGE round trip (the exit, the VMM
 *                           converting 4 KiB, the guest touching the page) over a plain OUT
 *                           round trip, same engine, same run (target <= 3)
 *   io_exit_round_trip_ns   one OUT from the guest to userspace and back into the guest
 *   guest_loop_vs_native    a tight loop in the guest over the same loop run natively
 *
 * Ratios are the median of per-batch ratios, both sides timed back to back in each batch.
 */

#include <linux/kvm_coco.h>
#include <linux/kvm_para.h>

#include "guest.h"
#include "bench.h"

#define BATCHES		15
#define ROUNDS		2000
#define SPIN		(1ul << 22)
#define PAGE_GPA	GUEST_DATA_GPA

static GUEST_CODE void guest_out_loop(uint64_t id)
{
	for (;;)
		asm volatile("out %%al, %%dx" : : "a"(0), "d"(0x10));
}

/* Each turn: convert the page to the other kind, then write it. */
static GUEST_CODE void guest_convert_loop(uint64_t id)
{
	uint64_t i;

	for (i = 0; ; i++) {
		kvm_hypercall(KVM_HC_MAP_GPA_RANGE, PAGE_GPA, 1,
			      i & 1 ? KVM_MAP_GPA_RANGE_DECRYPTED : KVM_MAP_GPA_RANGE_ENCRYPTED);
		*(volatile uint64_t *)PAGE_GPA = i;
	}
}

/* The loop both sides run: the compiler must keep every turn. */
static GUEST_CODE uint64_t spin(uint64_t n)
{
	uint64_t x = 0;

	while (n--)
		asm volatile("add %1, %0" : "+r"(x) : "r"(n));
	return x;
}

static GUEST_CODE void guest_spin(uint64_t id)
{
	for (;;) {
		spin(SPIN);
		GUEST_SYNC(0);
	}
}

struct bench_guest {
	struct guest_vm g;
	struct guest_vcpu v;
};

static void bench_guest_create(struct bench_guest *b, void *code)
{
	struct kvm_enable_cap hc = { .cap = KVM_CAP_EXIT_HYPERCALL,
				     .args = { 1 << KVM_HC_MAP_GPA_RANGE } };

	guest_vm_create(&b->g, KVM_X86_SW_PROTECTED_VM);
	TEST_ASSERT_EQ(kvm_coco_ioctl(b->g.vm, KVM_ENABLE_CAP, &hc), 0);
	guest_vcpu_add(&b->g, &b->v, 0, code);
}

static void bench_guest_destroy(struct bench_guest *b)
{
	guest_vcpu_destroy(&b->v);
	guest_vm_destroy(&b->g);
}

/* Seconds per OUT round trip, over @rounds. */
static double out_rounds(struct bench_guest *b, unsigned int rounds)
{
	double t0 = bench_now();
	unsigned int i;

	for (i = 0; i < rounds; i++) {
		vcpu_run(&b->v);
		TEST_ASSERT_EQ(b->v.run->exit_reason, KVM_EXIT_IO);
	}
	return (bench_now() - t0) / rounds;
}

/* Seconds per conversion round trip: the exit, the VMM's conversion, the guest's write. */
static double conversion_rounds(struct bench_guest *b, unsigned int rounds)
{
	struct kvm_run *run = b->v.run;
	double t0 = bench_now();
	unsigned int i;

	for (i = 0; i < rounds; i++) {
		vcpu_run(&b->v);
		TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_HYPERCALL);
		vm_set_memory_attributes(b->g.vm, run->hypercall.args[0], PAGE_SIZE,
					 run->hypercall.args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED ?
					 KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
		run->hypercall.ret = 0;
	}
	return (bench_now() - t0) / rounds;
}

static void bench_exits(void)
{
	double ratio[BATCHES], ns[BATCHES], out;
	struct bench_guest io, conv;
	unsigned int b;

	bench_guest_create(&io, guest_out_loop);
	bench_guest_create(&conv, guest_convert_loop);
	/* Warm: the code translated, the pages faulted in. */
	out_rounds(&io, 100);
	conversion_rounds(&conv, 100);
	for (b = 0; b < BATCHES; b++) {
		out = out_rounds(&io, ROUNDS);
		ratio[b] = conversion_rounds(&conv, ROUNDS) / out;
		ns[b] = out * 1e9;
	}
	printf("conversion_vs_io_exit %.2f ratio\n", bench_median(ratio, BATCHES));
	printf("io_exit_round_trip_ns %.0f ns\n", bench_median(ns, BATCHES));
	bench_guest_destroy(&io);
	bench_guest_destroy(&conv);
}

static void bench_guest_loop_vs_native(void)
{
	volatile uint64_t sink;
	double ratio[BATCHES], t0, native;
	struct bench_guest s;
	struct ucall uc;
	unsigned int b;

	bench_guest_create(&s, guest_spin);
	vcpu_run(&s.v);				/* warm */
	for (b = 0; b < BATCHES; b++) {
		t0 = bench_now();
		sink = spin(SPIN);
		native = bench_now() - t0;
		t0 = bench_now();
		vcpu_run(&s.v);
		assert_ucall(&s.g, &s.v, &uc, UCALL_SYNC);
		ratio[b] = (bench_now() - t0) / native;
	}
	(void)sink;
	printf("guest_loop_vs_native %.1f ratio\n", bench_median(ratio, BATCHES));
	bench_guest_destroy(&s);
}

int main(void)
{
	const char *only = getenv("BENCH");

	if (!(kvm_check_cap(KVM_CAP_COCO_ENGINE) & (1 << KVM_COCO_ENGINE_TCG))) {
		fprintf(stderr, "bench_guest: no TCG engine\n");
		return 1;
	}
	if (!only || !strcmp(only, "conversion_vs_io_exit") ||
	    !strcmp(only, "io_exit_round_trip_ns"))
		bench_exits();
	if (!only || !strcmp(only, "guest_loop_vs_native"))
		bench_guest_loop_vs_native();
	return 0;
}
