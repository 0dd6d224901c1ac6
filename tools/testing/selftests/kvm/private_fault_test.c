// SPDX-License-Identifier: GPL-2.0
/*
 * The private/shared fault path through KVM_RUN and the model engine: a nested page fault
 * whose private-ness (SNP's ENC bit, TDX's shared bit, a software-protected VM's attribute)
 * disagrees with the gfn's attribute exits with KVM_EXIT_MEMORY_FAULT and stays pending; the
 * VMM converts with KVM_SET_MEMORY_ATTRIBUTES and the retried fault is resolved, handing the
 * guest its guest_memfd page (RMP-assigned for SNP, PAGE.AUG for TDX).  SEV's ENC bit never
 * means private.
 * Bad input to KVM_RUN and to the injection ioctl, and vCPUs that may not run yet.
 */
#include <sys/mman.h>

#include <linux/kvm_coco.h>

#include "kvm_util.h"
#include "sev.h"
#include "tdx.h"
#include "kvm-coco-test.h"

#define MEM		(64 * PAGE_SIZE)
#define GFN		0x10ull
#define GPA		(GFN * PAGE_SIZE)
#define PF_WRITE	(1ull << 1)
#define NPF_ENC		(1ull << 34)		/* AMD PFERR_GUEST_ENC */
#define PRIVATE		KVM_MEMORY_EXIT_FLAG_PRIVATE

struct vcpu {
	int fd;
	struct kvm_run *run;
};

static void vcpu_open(struct vcpu *c, int fd)
{
	c->fd = fd;
	c->run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	TEST_ASSERT(c->run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
}

static void vcpu_close(struct vcpu *c)
{
	munmap(c->run, PAGE_SIZE);
	kvm_close(c->fd);
}

static int __inject(struct vcpu *c, uint64_t gpa, uint64_t error_code)
{
	struct kvm_coco_npf npf = { .gpa = gpa, .error_code = error_code };

	return kvm_coco_ioctl(c->fd, KVM_COCO_VCPU_INJECT_NPF, &npf);
}

static void inject(struct vcpu *c, uint64_t gpa, uint64_t error_code)
{
	TEST_ASSERT(!__inject(c, gpa, error_code), "inject NPF: %s", strerror(errno));
}

static int __access(struct vcpu *c, uint64_t gpa, uint32_t flags)
{
	struct kvm_coco_access a = { .gpa = gpa, .flags = flags };

	return kvm_coco_ioctl(c->fd, KVM_COCO_VCPU_INJECT_ACCESS, &a);
}

static void access(struct vcpu *c, uint64_t gpa, uint32_t flags)
{
	TEST_ASSERT(!__access(c, gpa, flags), "inject access: %s", strerror(errno));
}

/* KVM_RUN must come back with the guest halted: every pending fault was resolved. */
static void run_to_halt(struct vcpu *c)
{
	TEST_ASSERT(!kvm_coco_ioctl(c->fd, KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(c->run->exit_reason, KVM_EXIT_HLT);
}

/* KVM_RUN must fail with EFAULT and KVM_EXIT_MEMORY_FAULT for @gpa's page. */
static void run_to_memory_fault(struct vcpu *c, uint64_t gpa, uint64_t flags)
{
	TEST_ASSERT(kvm_coco_ioctl(c->fd, KVM_RUN, 0) == -1 && errno == EFAULT,
		    "KVM_RUN should fail with EFAULT: errno %d", errno);
	TEST_ASSERT_EQ(c->run->exit_reason, KVM_EXIT_MEMORY_FAULT);
	TEST_ASSERT_EQ(c->run->memory_fault.gpa, gpa & ~(PAGE_SIZE - 1));
	TEST_ASSERT_EQ(c->run->memory_fault.size, PAGE_SIZE);
	TEST_ASSERT_EQ(c->run->memory_fault.flags, flags);
}

/*
 * A software-protected VM: one slot, guest_memfd behind it and anonymous memory in front,
 * and a vCPU.  Destroying it checks that everything came back.
 */
struct sw_guest {
	struct host_counters before;
	int vm, gmem;
	void *shared;
	struct vcpu c;
};

static void sw_guest_create(struct sw_guest *g)
{
	kvm_close(kvm_open());
	host_get_counters(&g->before);
	g->vm = vm_create_model(KVM_X86_SW_PROTECTED_VM);
	g->gmem = vm_create_guest_memfd(g->vm, MEM, 0);
	g->shared = test_alloc_mem(MEM);
	vm_set_user_memory_region2(g->vm, 0, KVM_MEM_GUEST_MEMFD, 0, MEM, g->shared, g->gmem, 0);
	vcpu_open(&g->c, vm_create_vcpu(g->vm, 0));
}

static void sw_guest_destroy(struct sw_guest *g)
{
	vcpu_close(&g->c);
	kvm_close(g->gmem);
	kvm_close(g->vm);
	munmap(g->shared, MEM);
	assert_nothing_leaked(&g->before);
}

/*
 * Software-protected: the attribute decides, so an ordinary access never mismatches.  A
 * private access takes the gfn's guest_memfd page (zeroed); a shared one takes none.
 */
static void test_sw_protected_follows_attributes(void)
{
	struct sw_guest g;
	struct vcpu *c = &g.c;

	sw_guest_create(&g);
	run_to_halt(c);

	inject(c, GPA + 0x123, PF_WRITE);
	run_to_halt(c);
	INSPECT(TEST_ASSERT(host_gmem_page_is_zero(g.vm, GFN) < 0, "a shared fault took a page"));

	vm_mem_set_private(g.vm, GPA, PAGE_SIZE);
	inject(c, GPA, PF_WRITE);
	run_to_halt(c);
	INSPECT(TEST_ASSERT_EQ(host_gmem_page_is_zero(g.vm, GFN), 1));

	/* Outside every memslot: MMIO, which the model cannot emulate; it stays pending. */
	inject(c, 2 * MEM, 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(c->fd, KVM_RUN, 0), 0);
	TEST_ASSERT_EQ(c->run->exit_reason, KVM_EXIT_INTERNAL_ERROR);
	TEST_ASSERT_EQ(c->run->internal.suberror, KVM_INTERNAL_ERROR_EMULATION);
	TEST_ASSERT_EQ(c->run->internal.data[0], 2 * MEM);
	TEST_ASSERT(__inject(c, GPA, 0) == -1 && errno == EBUSY, "a second event: %d", errno);
	TEST_ASSERT_EQ(kvm_coco_ioctl(c->fd, KVM_RUN, 0), 0);
	TEST_ASSERT_EQ(c->run->exit_reason, KVM_EXIT_INTERNAL_ERROR);

	sw_guest_destroy(&g);
}

/* A private gfn in a slot with no guest_memfd: nothing can back it; the VMM is told. */
static void test_private_without_guest_memfd(void)
{
	void *shared = test_alloc_mem(MEM);
	int vm = vm_create_model(KVM_X86_SW_PROTECTED_VM);
	struct vcpu c;

	vm_set_user_memory_region2(vm, 0, 0, 0, MEM, shared, 0, 0);
	vm_mem_set_private(vm, GPA, PAGE_SIZE);
	vcpu_open(&c, vm_create_vcpu(vm, 0));
	inject(&c, GPA + 8, 0);
	run_to_memory_fault(&c, GPA, PRIVATE);
	vm_mem_set_shared(vm, GPA, PAGE_SIZE);
	run_to_halt(&c);
	vcpu_close(&c);
	kvm_close(vm);
	munmap(shared, MEM);
}

static void snp_running_vm(struct snp_vm *v, struct vcpu *c)
{
	snp_vm_create(v, MEM, 1);
	snp_launch_start(v);
	snp_launch_update(v, 0, NULL, PAGE_SIZE, KVM_SEV_SNP_PAGE_TYPE_ZERO);
	vcpu_open(c, v->vcpus[0]);
	/* Protected state runs only once it is the guest's. */
	TEST_ASSERT(kvm_coco_ioctl(c->fd, KVM_RUN, 0) == -1 && errno == EINVAL,
		    "KVM_RUN before LAUNCH_FINISH: errno %d", errno);
	snp_launch_finish(v);
}

/* GFN's page is the guest's: mutable, at its gpa, with the VM's ASID, not yet validated. */
static void check_faulted_in(int vm)
{
	uint64_t rmp = gfn_rmp(vm, GFN);

	TEST_ASSERT(rmp & RMP_ASSIGNED, "the faulted page is not the guest's");
	TEST_ASSERT_EQ(rmp & ((1ull << 51) - (1ull << 12)), GPA);
	TEST_ASSERT(!(rmp & ((1ull << 2) | RMP_VALIDATED)), "rmp %#llx", (unsigned long long)rmp);
	TEST_ASSERT(rmp >> 51, "no ASID in rmp %#llx", (unsigned long long)rmp);
}

/*
 * SNP: the ENC bit against the attribute, both ways; the pending fault repeats until the VMM
 * converts; the resolved private fault assigns the page to the guest; a launched page is not
 * touched again.
 */
static void test_snp_conversion_on_fault(void)
{
	uint64_t launched = 0;
	struct snp_vm v;
	struct vcpu c;

	snp_running_vm(&v, &c);
	vm_mem_set_shared(v.vm, GPA, PAGE_SIZE);
	inject(&c, GPA + 0x40, NPF_ENC | PF_WRITE);
	run_to_memory_fault(&c, GPA, PRIVATE);
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, GFN), 0));
	run_to_memory_fault(&c, GPA, PRIVATE);

	vm_mem_set_private(v.vm, GPA, PAGE_SIZE);
	run_to_halt(&c);
	check_rmp();
	INSPECT(check_faulted_in(v.vm));

	/* Without ENC the same private page is a shared access: the VMM decides. */
	inject(&c, GPA, 0);
	run_to_memory_fault(&c, GPA, 0);
	vm_mem_set_shared(v.vm, GPA, PAGE_SIZE);
	run_to_halt(&c);
	check_rmp();

	INSPECT(launched = gfn_rmp(v.vm, 0));
	inject(&c, 0, NPF_ENC);
	run_to_halt(&c);
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, 0), launched));
	check_rmp();
	munmap(c.run, PAGE_SIZE);		/* the vCPU itself is the snp_vm's */
	snp_vm_destroy(&v);
	INSPECT(TEST_ASSERT_EQ(host_snp_leaked_pages(), 0));
}

#define RACE_VCPUS	2
#define RACE_PAGES	32		/* per vCPU */
#define RACE_FAULTS	2000		/* per vCPU */

struct racer {
	struct snp_vm *v;
	int idx;
	uint64_t rng;
	unsigned long exits;
};

static uint64_t racer_rand(struct racer *r)
{
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	return r->rng;
}

/*
 * A vCPU thread as a VMM runs it: random private and shared accesses to its own pages; a
 * mismatch exits, the thread converts the page the way the access wanted, and runs again.
 */
static void *race_vcpu(void *arg)
{
	struct racer *r = arg;
	struct vcpu c;
	int i;

	vcpu_open(&c, r->v->vcpus[r->idx]);
	for (i = 0; i < RACE_FAULTS; i++) {
		uint64_t gpa = (r->idx * RACE_PAGES + racer_rand(r) % RACE_PAGES) * PAGE_SIZE;
		bool private = racer_rand(r) & 1;

		inject(&c, gpa, private ? NPF_ENC : 0);
		while (kvm_coco_ioctl(c.fd, KVM_RUN, 0)) {
			TEST_ASSERT(errno == EFAULT && c.run->exit_reason == KVM_EXIT_MEMORY_FAULT,
				    "KVM_RUN: %s", strerror(errno));
			vm_set_memory_attributes(r->v->vm, c.run->memory_fault.gpa, PAGE_SIZE,
						 private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
			r->exits++;
		}
		TEST_ASSERT_EQ(c.run->exit_reason, KVM_EXIT_HLT);
	}
	munmap(c.run, PAGE_SIZE);
	return NULL;
}

/*
 * vCPUs faulting and converting concurrently while another thread punches the whole
 * guest_memfd: no deadlock, every fault resolved, and afterwards every RMP entry has its
 * owner and every page comes back.
 */
static void test_snp_faults_race_conversions_and_punches(void)
{
	struct racer racers[RACE_VCPUS];
	pthread_t threads[RACE_VCPUS];
	struct host_counters before;
	struct gmem_puncher p;
	struct snp_vm v;
	int i;

	kvm_close(kvm_open());
	host_get_counters(&before);
	snp_vm_create_launched(&v, RACE_VCPUS * RACE_PAGES * PAGE_SIZE, RACE_VCPUS);
	gmem_puncher_start(&p, v.gmem, RACE_VCPUS * RACE_PAGES * PAGE_SIZE);
	for (i = 0; i < RACE_VCPUS; i++) {
		racers[i] = (struct racer){ .v = &v, .idx = i, .rng = test_seed() + i + 1 };
		TEST_ASSERT(!pthread_create(&threads[i], NULL, race_vcpu, &racers[i]), "thread");
	}
	for (i = 0; i < RACE_VCPUS; i++) {
		pthread_join(threads[i], NULL);
		TEST_ASSERT(racers[i].exits, "vCPU %d never had to convert", i);
	}
	gmem_puncher_stop(&p);
	check_rmp();
	snp_vm_destroy(&v);
	assert_nothing_leaked(&before);
	INSPECT(TEST_ASSERT_EQ(host_snp_leaked_pages(), 0));
}

#define ENC		KVM_COCO_ACCESS_ENCRYPTED
#define WRITE		KVM_COCO_ACCESS_WRITE

/*
 * SNP: an access through a translation of the right kind needs no fault; one of the wrong
 * kind is an RMP fault the VMM resolves.  A conversion the VMM makes on its own zaps the
 * translation (the next private access exits instead of using it), and so does a punch
 * (the next private access takes a new page).
 */
static void test_snp_translations_are_zapped(void)
{
	struct snp_vm v;
	struct vcpu c;

	snp_running_vm(&v, &c);
	access(&c, GPA, ENC | WRITE);
	run_to_halt(&c);
	INSPECT(check_faulted_in(v.vm));
	access(&c, GPA, ENC);
	run_to_halt(&c);
	access(&c, GPA, 0);
	run_to_memory_fault(&c, GPA, 0);
	vm_mem_set_shared(v.vm, GPA, PAGE_SIZE);
	run_to_halt(&c);
	vm_mem_set_private(v.vm, GPA, PAGE_SIZE);

	/* The VMM converts without being asked: the private translation must not survive. */
	access(&c, GPA, ENC);
	run_to_halt(&c);
	vm_mem_set_shared(v.vm, GPA, PAGE_SIZE);
	access(&c, GPA, ENC);
	run_to_memory_fault(&c, GPA, PRIVATE);
	vm_mem_set_private(v.vm, GPA, PAGE_SIZE);
	run_to_halt(&c);

	/* A punched page takes its translation with it. */
	gmem_fallocate(v.gmem, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, GPA, PAGE_SIZE);
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, GFN), 0));
	access(&c, GPA, ENC);
	run_to_halt(&c);
	INSPECT(check_faulted_in(v.vm));
	check_rmp();
	munmap(c.run, PAGE_SIZE);		/* the vCPU itself is the snp_vm's */
	snp_vm_destroy(&v);
}

/*
 * The memslot moves while its guest_memfd keeps a page the guest has at its old gpa: the
 * private fault at the new gpa is refused (EEXIST, the page's RMP entry names the old gpa)
 * with a memory-fault exit, and, as userspace caused it, without a WARN in the host log.
 */
static void test_snp_moved_slot_refused_quietly(void)
{
	struct host_counters before, after;
	uint64_t moved = 0x100000;
	struct snp_vm v;
	struct vcpu c;

	snp_running_vm(&v, &c);
	host_get_counters(&before);
	access(&c, GPA, ENC | WRITE);
	run_to_halt(&c);
	vm_set_user_memory_region2(v.vm, 0, KVM_MEM_GUEST_MEMFD, 0, 0, NULL, v.gmem, 0);
	vm_set_user_memory_region2(v.vm, 0, KVM_MEM_GUEST_MEMFD, moved, MEM, NULL, v.gmem, 0);
	vm_mem_set_private(v.vm, moved, MEM);
	access(&c, moved + GPA, ENC);
	TEST_ASSERT(kvm_coco_ioctl(c.fd, KVM_RUN, 0) == -1 && errno == EEXIST,
		    "KVM_RUN should fail with EEXIST: errno %d", errno);
	TEST_ASSERT_EQ(c.run->exit_reason, KVM_EXIT_MEMORY_FAULT);
	TEST_ASSERT_EQ(c.run->memory_fault.gpa, moved + GPA);
	host_get_counters(&after);
	INSPECT(TEST_ASSERT_EQ(after.warnings, before.warnings));
	check_rmp();
	munmap(c.run, PAGE_SIZE);
	snp_vm_destroy(&v);
}

/*
 * Software-protected: a shared translation dies with a conversion to private (the next
 * access takes the guest_memfd page) and with its memslot (the next access finds no memory).
 */
static void test_sw_translations_are_zapped(void)
{
	struct sw_guest g;
	struct vcpu *c = &g.c;

	sw_guest_create(&g);
	TEST_ASSERT_ERRNO(__access(c, GPA, ENC), EINVAL);
	TEST_ASSERT_ERRNO(__access(c, GPA, 1u << 3), EINVAL);
	TEST_ASSERT_ERRNO(__access(c, 1ull << 52, 0), EINVAL);

	access(c, GPA, WRITE);
	run_to_halt(c);
	vm_mem_set_private(g.vm, GPA, PAGE_SIZE);
	access(c, GPA, 0);
	run_to_halt(c);
	INSPECT(TEST_ASSERT_EQ(host_gmem_page_is_zero(g.vm, GFN), 1));

	access(c, GPA + PAGE_SIZE, 0);
	run_to_halt(c);
	vm_set_user_memory_region2(g.vm, 0, KVM_MEM_GUEST_MEMFD, 0, 0, g.shared, g.gmem, 0);
	access(c, GPA + PAGE_SIZE, 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(c->fd, KVM_RUN, 0), 0);
	TEST_ASSERT_EQ(c->run->exit_reason, KVM_EXIT_INTERNAL_ERROR);

	sw_guest_destroy(&g);
}

/*
 * A read-only memslot: a read installs a translation a write cannot use; the write needs
 * emulation (an MMIO write upstream), which the model does not do.
 */
static void test_readonly_slot_refuses_writes(void)
{
	void *mem = test_alloc_mem(MEM);
	struct vcpu c;
	int vm;

	vm = vm_create_model(KVM_X86_DEFAULT_VM);
	vm_set_user_memory_region2(vm, 0, KVM_MEM_READONLY, 0, MEM, mem, 0, 0);
	vcpu_open(&c, vm_create_vcpu(vm, 0));
	access(&c, GPA, 0);
	run_to_halt(&c);
	access(&c, GPA, WRITE);
	TEST_ASSERT_EQ(kvm_coco_ioctl(c.fd, KVM_RUN, 0), 0);
	TEST_ASSERT_EQ(c.run->exit_reason, KVM_EXIT_INTERNAL_ERROR);
	TEST_ASSERT_EQ(c.run->internal.suberror, KVM_INTERNAL_ERROR_EMULATION);
	TEST_ASSERT_EQ(c.run->internal.data[0], GPA);
	vcpu_close(&c);
	kvm_close(vm);
	munmap(mem, MEM);
}

/* SEV has encrypted memory but no private memory: ENC is an ordinary access. */
static void test_sev_enc_is_not_private(void)
{
	struct kvm_sev_init init = {};
	void *shared = test_alloc_mem(MEM);
	int sev = kvm_coco_open_sev();
	int vm = vm_create_model(KVM_X86_SEV_VM);
	struct vcpu c;

	/* Without KVM_SEV_INIT2 (which must come before any vCPU) nothing runs. */
	vcpu_open(&c, vm_create_vcpu(vm, 0));
	TEST_ASSERT(kvm_coco_ioctl(c.fd, KVM_RUN, 0) == -1 && errno == EINVAL,
		    "KVM_RUN before KVM_SEV_INIT2: errno %d", errno);
	vcpu_close(&c);
	kvm_close(vm);

	vm = vm_create_model(KVM_X86_SEV_VM);
	vm_set_user_memory_region2(vm, 0, 0, 0, MEM, shared, 0, 0);
	TEST_ASSERT(!__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), "KVM_SEV_INIT2: %s",
		    strerror(errno));
	vcpu_open(&c, vm_create_vcpu(vm, 0));
	inject(&c, GPA, NPF_ENC | PF_WRITE);
	run_to_halt(&c);
	vcpu_close(&c);
	kvm_close(vm);
	kvm_close(sev);
	munmap(shared, MEM);
}

/*
 * TDX: the GPA's shared bit says which alias the guest used.  Nothing runs before
 * FINALIZE_VM; then a shared-alias access to a private gfn exits with the bit stripped, and a
 * private fault on a page the build did not add is mapped by TDH.MEM.PAGE.AUG (zeroed, the
 * TD's in the PAMT); a conversion or a punch takes it out of the TD again.  AMD's NPF bits do
 * not exist here.
 */
#define BUILT_GPA	(GPA + 4 * PAGE_SIZE)

static void test_tdx_shared_bit(void)
{
	static uint8_t page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
	struct kvm_tdx_init_mem_region built = { .source_addr = (uintptr_t)page,
						 .gpa = BUILT_GPA, .nr_pages = 1 };
	struct host_counters before;
	struct vcpu c;
	struct td t;

	kvm_close(kvm_open());
	host_get_counters(&before);
	td_create(MEM, &t);
	vcpu_open(&c, t.vcpu);
	TEST_ASSERT(kvm_coco_ioctl(c.fd, KVM_RUN, 0) == -1 && errno == EINVAL,
		    "KVM_RUN before FINALIZE_VM: errno %d", errno);
	TEST_ASSERT_EQ(tdx_cmd(t.vcpu, KVM_TDX_INIT_MEM_REGION, 0, (uintptr_t)&built, NULL), 0);
	TEST_ASSERT_EQ(tdx_cmd(t.vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), 0);
	/* A page the build added is mapped, so converting it takes it out of the TD. */
	INSPECT(TEST_ASSERT_EQ(host_tdx_gfn_is_td_private(t.vm, BUILT_GPA / PAGE_SIZE), 1));
	vm_mem_set_shared(t.vm, BUILT_GPA, PAGE_SIZE);
	INSPECT(TEST_ASSERT_EQ(host_tdx_gfn_is_td_private(t.vm, BUILT_GPA / PAGE_SIZE), 0));
	check_pamt();
	TEST_ASSERT(__inject(&c, GPA, NPF_ENC) == -1 && errno == EINVAL, "ENC on TDX");

	inject(&c, SHARED_BIT | GPA | 0x10, PF_WRITE);
	run_to_memory_fault(&c, GPA, 0);
	vm_mem_set_shared(t.vm, GPA, PAGE_SIZE);
	run_to_halt(&c);
	inject(&c, GPA, 0);
	run_to_memory_fault(&c, GPA, PRIVATE);
	INSPECT(TEST_ASSERT_EQ(host_tdx_gfn_is_td_private(t.vm, GFN), 0));
	vm_mem_set_private(t.vm, GPA, PAGE_SIZE);
	run_to_halt(&c);
	check_pamt();
	INSPECT(TEST_ASSERT_EQ(host_tdx_gfn_is_td_private(t.vm, GFN), 1));
	INSPECT(TEST_ASSERT_EQ(host_gmem_page_is_zero(t.vm, GFN), 1));

	/* The S-EPT entry is the translation: a conversion takes the page out of the TD. */
	vm_mem_set_shared(t.vm, GPA, PAGE_SIZE);
	check_pamt();
	INSPECT(TEST_ASSERT_EQ(host_tdx_gfn_is_td_private(t.vm, GFN), 0));
	vm_mem_set_private(t.vm, GPA, PAGE_SIZE);
	access(&c, GPA, 0);
	run_to_halt(&c);
	INSPECT(TEST_ASSERT_EQ(host_tdx_gfn_is_td_private(t.vm, GFN), 1));
	access(&c, GPA, WRITE);
	run_to_halt(&c);
	/* So does a punch, and the next private access adds a new page. */
	gmem_fallocate(t.gmem, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, GPA, PAGE_SIZE);
	check_pamt();
	access(&c, GPA, 0);
	run_to_halt(&c);
	INSPECT(TEST_ASSERT_EQ(host_tdx_gfn_is_td_private(t.vm, GFN), 1));
	check_pamt();

	munmap(c.run, PAGE_SIZE);		/* the vCPU itself is the td's */
	td_destroy(&t);
	assert_nothing_leaked(&before);
}

static void test_bad_input(void)
{
	struct kvm_coco_npf npf = {};
	struct sw_guest g;
	struct vcpu *c = &g.c;

	sw_guest_create(&g);
	TEST_ASSERT(kvm_coco_ioctl(c->fd, KVM_RUN, 1) == -1 && errno == EINVAL,
		    "KVM_RUN with an argument: errno %d", errno);
	c->run->immediate_exit = 1;
	c->run->exit_reason = KVM_EXIT_HLT;
	TEST_ASSERT(kvm_coco_ioctl(c->fd, KVM_RUN, 0) == -1 && errno == EINTR,
		    "immediate_exit: errno %d", errno);
	/* As upstream: the last exit's reason stays. */
	TEST_ASSERT_EQ(c->run->exit_reason, KVM_EXIT_HLT);
	c->run->immediate_exit = 0;

	/* Bits only KVM may set, and bits no hardware has. */
	TEST_ASSERT(__inject(c, GPA, 1ull << 49) == -1 && errno == EINVAL, "PRIVATE_ACCESS");
	TEST_ASSERT(__inject(c, GPA, 1ull << 48) == -1 && errno == EINVAL, "IMPLICIT_ACCESS");
	TEST_ASSERT(__inject(c, GPA, 1ull << 40) == -1 && errno == EINVAL, "bit 40");
	TEST_ASSERT(__inject(c, 1ull << 52, 0) == -1 && errno == EINVAL, "gpa beyond 52 bits");
	npf.gpa = GPA;
	npf.flags = 1;
	TEST_ASSERT(kvm_coco_ioctl(c->fd, KVM_COCO_VCPU_INJECT_NPF, &npf) == -1 && errno == EINVAL,
		    "flags");
	npf.flags = 0;
	npf.pad = 1;
	TEST_ASSERT(kvm_coco_ioctl(c->fd, KVM_COCO_VCPU_INJECT_NPF, &npf) == -1 && errno == EINVAL,
		    "pad");
	npf.pad = 0;
	npf.reserved[1] = 1;
	TEST_ASSERT(kvm_coco_ioctl(c->fd, KVM_COCO_VCPU_INJECT_NPF, &npf) == -1 && errno == EINVAL,
		    "reserved");
	TEST_ASSERT(kvm_coco_ioctl(c->fd, KVM_COCO_VCPU_INJECT_NPF, test_mem_at_end(8)) == -1 &&
		    errno == EFAULT, "a struct running off the end: errno %d", errno);
	/* Nothing above left an event behind. */
	run_to_halt(c);
	/* A VM descriptor is not a vCPU. */
	TEST_ASSERT(kvm_coco_ioctl(g.vm, KVM_RUN, 0) == -1 && errno == ENOTTY, "KVM_RUN on a VM");
	sw_guest_destroy(&g);
}

/*
 * A TD's private fault under every allocation failure in turn: when KVM_RUN fails, the page
 * is not left in the TD without a translation (a later conversion, which finds TD pages by
 * their translations, could not take it out), and nothing warns or leaks.
 */
static void test_tdx_fault_allocation_failures(void)
{
	struct host_counters before;
	unsigned int n, failed = 0;
	struct vcpu c;
	struct td t;
	int r;

	TEST_SKIP_UNLESS(host_is_library(), "allocation failures are injected in the library host");
	kvm_close(kvm_open());
	host_get_counters(&before);
	for (n = 1; n < 16; n++) {
		td_create(MEM, &t);
		vcpu_open(&c, t.vcpu);
		TEST_ASSERT_EQ(tdx_cmd(t.vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), 0);
		inject(&c, GPA, 0);
		host_fail_alloc_after(n);
		r = kvm_coco_ioctl(c.fd, KVM_RUN, 0);
		host_fail_alloc_after(0);
		if (r) {
			TEST_ASSERT(errno == ENOMEM || errno == EBUSY, "allocation %u: %s", n,
				    strerror(errno));
			TEST_ASSERT_EQ(host_tdx_gfn_is_td_private(t.vm, GFN), 0);
			failed++;
		} else {
			TEST_ASSERT_EQ(c.run->exit_reason, KVM_EXIT_HLT);
			TEST_ASSERT_EQ(host_tdx_gfn_is_td_private(t.vm, GFN), 1);
		}
		vm_mem_set_shared(t.vm, GPA, PAGE_SIZE);
		TEST_ASSERT_EQ(host_tdx_gfn_is_td_private(t.vm, GFN), 0);
		check_pamt();
		munmap(c.run, PAGE_SIZE);
		td_destroy(&t);
	}
	TEST_ASSERT(failed, "no allocation of the fault path was made to fail");
	assert_nothing_leaked(&before);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_sw_protected_follows_attributes),
		KSFT_TEST(test_private_without_guest_memfd),
		KSFT_TEST(test_snp_conversion_on_fault),
		KSFT_TEST(test_sev_enc_is_not_private),
		KSFT_TEST(test_snp_translations_are_zapped),
		KSFT_TEST(test_sw_translations_are_zapped),
		KSFT_TEST(test_snp_moved_slot_refused_quietly),
		KSFT_TEST(test_readonly_slot_refuses_writes),
		KSFT_TEST(test_snp_faults_race_conversions_and_punches),
		KSFT_TEST(test_tdx_shared_bit),
		KSFT_TEST(test_tdx_fault_allocation_failures),
		KSFT_TEST(test_bad_input),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
