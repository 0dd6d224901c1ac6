// SPDX-License-Identifier: GPL-2.0
/*
 * Private/shared conversions driven by guest code, in the spirit of upstream's
 * private_mem_conversions_test: each vCPU of a software-protected VM owns a chunk of memory
 * and, turn after turn, writes a pattern through the shared view (the host must see it), asks
 * with KVM_HC_MAP_GPA_RANGE for the chunk to become private (the host converts), writes
 * another pattern privately (the host's shared view must not change), checks it reads its
 * private data back, converts to shared again and must then read what the host wrote.  Beside
 * that, every vCPU writes a private scratch page that a host thread keeps punching.
 */
#include <pthread.h>
#include <sched.h>

#include <linux/kvm_coco.h>
#include <linux/kvm_para.h>

#include "guest.h"

#define NR_VCPUS	4
#define CHUNK		(16 * PAGE_SIZE)
#define SCRATCH_GPA	(GUEST_DATA_GPA + (16ul << 20))
#define NR_TURNS	8

enum { STAGE_SHARED_WRITTEN = 1, STAGE_PRIVATE_WRITTEN };

static GUEST_CODE uint64_t pattern(uint64_t id, uint64_t turn, uint64_t which)
{
	return 0x0101010101010101ull * (0x10 * which + turn) ^ (id << 56);
}

static GUEST_CODE void guest_fill(uint64_t gpa, uint64_t size, uint64_t v)
{
	volatile uint64_t *p = (volatile uint64_t *)gpa;
	uint64_t i;

	for (i = 0; i < size / 8; i++)
		p[i] = v;
}

/* The first word that differs from @v, or size / 8. */
static GUEST_CODE uint64_t guest_check(uint64_t gpa, uint64_t size, uint64_t v)
{
	volatile uint64_t *p = (volatile uint64_t *)gpa;
	uint64_t i;

	for (i = 0; i < size / 8; i++)
		if (p[i] != v)
			break;
	return i;
}

static GUEST_CODE void guest_map(uint64_t gpa, uint64_t size, bool private)
{
	uint64_t attrs = private ? KVM_MAP_GPA_RANGE_ENCRYPTED : KVM_MAP_GPA_RANGE_DECRYPTED;

	GUEST_ASSERT_EQ(kvm_hypercall(KVM_HC_MAP_GPA_RANGE, gpa, size / PAGE_SIZE, attrs), 0);
}

static GUEST_CODE void guest_code(uint64_t id)
{
	uint64_t base = GUEST_DATA_GPA + id * CHUNK, turn;

	for (turn = 0; turn < NR_TURNS; turn++) {
		guest_fill(base, CHUNK, pattern(id, turn, 1));
		GUEST_SYNC_ARGS(STAGE_SHARED_WRITTEN, base, pattern(id, turn, 1),
				pattern(id, turn, 2));
		GUEST_ASSERT_EQ(guest_check(base, CHUNK, pattern(id, turn, 2)), CHUNK / 8);

		guest_map(base, CHUNK, true);
		guest_fill(base, CHUNK, pattern(id, turn, 3));
		GUEST_SYNC_ARGS(STAGE_PRIVATE_WRITTEN, base, pattern(id, turn, 2),
				pattern(id, turn, 4));
		GUEST_ASSERT_EQ(guest_check(base, CHUNK, pattern(id, turn, 3)), CHUNK / 8);

		guest_map(base, CHUNK, false);
		GUEST_ASSERT_EQ(guest_check(base, CHUNK, pattern(id, turn, 4)), CHUNK / 8);

		/* Private writes to a page the host keeps punching: only that nothing breaks. */
		guest_fill(SCRATCH_GPA + id * PAGE_SIZE, PAGE_SIZE, turn);
	}
	GUEST_DONE();
}

struct vcpu_thread {
	pthread_t thread;
	struct guest_vm *g;
	struct guest_vcpu v;
	unsigned int syncs, conversions;
};

/* The host's view of the chunk must hold @want; then it writes @next there. */
static void host_check_and_fill(struct guest_vm *g, uint64_t gpa, uint64_t want, uint64_t next)
{
	uint64_t *p = guest_gpa_hva(g, gpa), i;

	for (i = 0; i < CHUNK / 8; i++)
		TEST_ASSERT(p[i] == want, "gpa %#llx: %#llx, the host should see %#llx",
			    (unsigned long long)(gpa + 8 * i), (unsigned long long)p[i],
			    (unsigned long long)want);
	for (i = 0; i < CHUNK / 8; i++)
		p[i] = next;
}

static void host_convert(struct vcpu_thread *t)
{
	struct kvm_run *run = t->v.run;

	TEST_ASSERT_EQ(run->hypercall.nr, KVM_HC_MAP_GPA_RANGE);
	vm_set_memory_attributes(t->g->vm, run->hypercall.args[0],
				 run->hypercall.args[1] * PAGE_SIZE,
				 run->hypercall.args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED ?
				 KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
	run->hypercall.ret = 0;
	t->conversions++;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu_thread *t = arg;
	struct ucall uc;

	for (;;) {
		vcpu_run(&t->v);
		if (t->v.run->exit_reason == KVM_EXIT_HYPERCALL) {
			host_convert(t);
			continue;
		}
		if (get_ucall(t->g, &t->v, &uc) == UCALL_DONE)
			return NULL;
		assert_ucall(t->g, &t->v, &uc, UCALL_SYNC);
		host_check_and_fill(t->g, uc.args[1], uc.args[2], uc.args[3]);
		t->syncs++;
	}
}

static void test_conversions_by_guest_code(void)
{
	struct kvm_enable_cap hc = { .cap = KVM_CAP_EXIT_HYPERCALL,
				     .args = { 1 << KVM_HC_MAP_GPA_RANGE } };
	struct vcpu_thread t[NR_VCPUS];
	struct gmem_puncher p;
	struct guest_vm g;
	unsigned int i;

	if (!(kvm_check_cap(KVM_CAP_COCO_ENGINE) & (1 << KVM_COCO_ENGINE_TCG)))
		return test_skip("no TCG engine in this host");
	guest_vm_create(&g, KVM_X86_SW_PROTECTED_VM);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vm, KVM_ENABLE_CAP, &hc), 0);
	vm_mem_set_private(g.vm, SCRATCH_GPA, NR_VCPUS * PAGE_SIZE);
	for (i = 0; i < NR_VCPUS; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].g = &g;
		guest_vcpu_add(&g, &t[i].v, i, guest_code);
	}
	__gmem_puncher_start(&p, g.gmem, SCRATCH_GPA, NR_VCPUS * PAGE_SIZE);
	for (i = 0; i < NR_VCPUS; i++)
		TEST_ASSERT(!pthread_create(&t[i].thread, NULL, vcpu_thread, &t[i]), "vCPU");
	for (i = 0; i < NR_VCPUS; i++)
		pthread_join(t[i].thread, NULL);
	gmem_puncher_stop(&p);
	for (i = 0; i < NR_VCPUS; i++) {
		TEST_ASSERT_EQ(t[i].syncs, 2 * NR_TURNS);
		TEST_ASSERT_EQ(t[i].conversions, 2 * NR_TURNS);
		guest_vcpu_destroy(&t[i].v);
	}
	ksft_print_msg("%u vCPUs, %u conversions each, %lu punches\n", NR_VCPUS,
		       2 * NR_TURNS, p.punches);
	guest_vm_destroy(&g);
}

/* A guest's globals are its own copy: the host syncs them in and out explicitly. */
static uint64_t shared_counter;

static GUEST_CODE void guest_globals(uint64_t id)
{
	GUEST_ASSERT_EQ(shared_counter, 41);
	shared_counter++;
	GUEST_SYNC(1);
	GUEST_ASSERT_EQ(id, 0);
	GUEST_ASSERT_EQ(shared_counter, 100);
	GUEST_DONE();
}

static void test_globals_and_asserts(void)
{
	struct guest_vcpu v;
	struct guest_vm g;
	struct ucall uc;

	if (!(kvm_check_cap(KVM_CAP_COCO_ENGINE) & (1 << KVM_COCO_ENGINE_TCG)))
		return test_skip("no TCG engine in this host");
	guest_vm_create(&g, KVM_X86_DEFAULT_VM);
	guest_vcpu_add(&g, &v, 0, guest_globals);
	shared_counter = 41;
	sync_global_to_guest(&g, shared_counter);
	shared_counter = 0;
	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_SYNC);
	TEST_ASSERT_EQ(uc.args[0], 1);
	sync_global_from_guest(&g, shared_counter);
	TEST_ASSERT_EQ(shared_counter, 42);
	/* A failed guest assertion reaches the host with its file, line and values. */
	shared_counter = 7;
	sync_global_to_guest(&g, shared_counter);
	vcpu_run(&v);
	TEST_ASSERT_EQ(get_ucall(&g, &v, &uc), UCALL_ABORT);
	TEST_ASSERT(strstr((const char *)uc.args[0], "private_mem_conversions_test.c") &&
		    !strcmp((const char *)uc.args[2], "shared_counter == 100"),
		    "abort at %s: %s", (const char *)uc.args[0], (const char *)uc.args[2]);
	TEST_ASSERT_EQ(uc.args[3], 7);
	TEST_ASSERT_EQ(uc.args[4], 100);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_globals_and_asserts),
		KSFT_TEST(test_conversions_by_guest_code),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
