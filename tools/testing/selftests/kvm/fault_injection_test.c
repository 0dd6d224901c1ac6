// SPDX-License-Identifier: GPL-2.0
/*
 * Fault-injection sweeps over whole flows, in the library host: the n-th allocation, or the
 * n-th RMPUPDATE, from the flow's start fails, for n = 1, 2, ... until the flow no longer
 * reaches an n-th.  The flows are what a VMM does: an SNP launch with faults and a
 * conversion, a TD build with faults and a conversion, a software-protected VM's faults,
 * conversions and punches, each torn down at the end.  A flow stops at the first step that
 * fails (that is the VMM's error) and tears down what it made.  After each run: nothing
 * warned, the RMP and PAMT invariants hold, and every descriptor, object and page is freed,
 * but pages counted as leaked (a page whose RMP entry could not be undone).
 * (The firmware's and the TDX module's failures are swept in snp_leak_test and
 * tdx_launch_test.)
 */
#include <sys/mman.h>

#include <linux/kvm_coco.h>
#include <linux/kvm_para.h>

#include "kvm_util.h"
#include "sev.h"
#include "tdx.h"
#include "kvm-coco-test.h"

#define MEM		(16 * PAGE_SIZE)
#define SOURCE_PAGES	2
#define ENC		KVM_COCO_ACCESS_ENCRYPTED
#define WRITE		KVM_COCO_ACCESS_WRITE

/* What a flow made, to tear down whatever step it stopped at. */
struct flow {
	int vm, gmem, vcpu, sev;
	struct kvm_run *run;
	uint8_t *shared;
};

static uint8_t source[SOURCE_PAGES * PAGE_SIZE] __attribute__((aligned(4096)));

static bool flow_vm(struct flow *f, unsigned long type)
{
	struct kvm_enable_cap engine = { .cap = KVM_CAP_COCO_ENGINE,
					 .args = { KVM_COCO_ENGINE_MODEL } };
	struct kvm_enable_cap hc = { .cap = KVM_CAP_EXIT_HYPERCALL,
				     .args = { 1 << KVM_HC_MAP_GPA_RANGE } };
	int kvm = kvm_coco_open();

	*f = (struct flow){ .vm = -1, .gmem = -1, .vcpu = -1, .sev = -1 };
	f->shared = test_alloc_mem(MEM);
	if (kvm < 0)
		return false;
	f->vm = kvm_coco_ioctl(kvm, KVM_CREATE_VM, type);
	kvm_coco_close(kvm);
	if (f->vm < 0 || kvm_coco_ioctl(f->vm, KVM_ENABLE_CAP, &engine) ||
	    kvm_coco_ioctl(f->vm, KVM_ENABLE_CAP, &hc))
		return false;
	f->gmem = __vm_create_guest_memfd(f->vm, MEM, 0);
	return f->gmem >= 0 &&
	       !__vm_set_user_memory_region2(f->vm, 0, KVM_MEM_GUEST_MEMFD, 0, MEM, f->shared,
					     f->gmem, 0) &&
	       !__vm_set_memory_attributes(f->vm, 0, MEM, KVM_MEMORY_ATTRIBUTE_PRIVATE);
}

static bool flow_vcpu(struct flow *f)
{
	f->vcpu = __vm_create_vcpu(f->vm, 0);
	if (f->vcpu < 0)
		return false;
	f->run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, f->vcpu, 0);
	if (f->run == MAP_FAILED)
		f->run = NULL;
	return f->run;
}

static void flow_teardown(struct flow *f)
{
	if (f->run)
		munmap(f->run, PAGE_SIZE);
	if (f->vcpu >= 0)
		kvm_coco_close(f->vcpu);
	if (f->gmem >= 0)
		kvm_coco_close(f->gmem);
	if (f->vm >= 0)
		kvm_coco_close(f->vm);
	if (f->sev >= 0)
		kvm_coco_close(f->sev);
	munmap(f->shared, MEM);
}

/*
 * KVM_RUN until the guest halts, converting as the VMM does for each hypercall or memory
 * fault exit (at most a few); false at the first failure.
 */
static bool flow_run(struct flow *f)
{
	int i, r;

	for (i = 0; i < 4; i++) {
		r = kvm_coco_ioctl(f->vcpu, KVM_RUN, 0);
		if (r && errno != EFAULT)
			return false;
		switch (f->run->exit_reason) {
		case KVM_EXIT_HLT:
			return !r;
		case KVM_EXIT_HYPERCALL:
			if (__vm_set_memory_attributes(f->vm, f->run->hypercall.args[0],
						       f->run->hypercall.args[1] * PAGE_SIZE,
						       f->run->hypercall.args[2] &
						       KVM_MAP_GPA_RANGE_ENCRYPTED ?
						       KVM_MEMORY_ATTRIBUTE_PRIVATE : 0))
				return false;
			f->run->hypercall.ret = 0;
			break;
		case KVM_EXIT_MEMORY_FAULT:
			if (__vm_set_memory_attributes(f->vm, f->run->memory_fault.gpa,
						       f->run->memory_fault.size,
						       f->run->memory_fault.flags &
						       KVM_MEMORY_EXIT_FLAG_PRIVATE ?
						       KVM_MEMORY_ATTRIBUTE_PRIVATE : 0))
				return false;
			break;
		default:
			return false;
		}
	}
	return false;
}

/* The guest touches @gpa; then KVM_RUN to a halt. */
static bool flow_access(struct flow *f, uint64_t gpa, uint32_t flags)
{
	struct kvm_coco_access a = { .gpa = gpa, .flags = flags };

	return !kvm_coco_ioctl(f->vcpu, KVM_COCO_VCPU_INJECT_ACCESS, &a) && flow_run(f);
}

static bool snp_cmd(struct flow *f, uint32_t id, void *data)
{
	uint32_t error;

	return !__snp_cmd(f->vm, f->sev, id, data, &error);
}

/*
 * An SNP launch, a private fault, a page-state change to shared and a shared access.  Each
 * flow returns whether it got to its end.
 */
static bool snp_flow(void)
{
	struct kvm_sev_snp_launch_update u = {
		.uaddr = (uintptr_t)source, .len = sizeof(source),
		.type = KVM_SEV_SNP_PAGE_TYPE_NORMAL,
	};
	struct kvm_sev_snp_launch_start start = { .policy = SNP_POLICY_DEFAULT };
	struct kvm_sev_snp_launch_finish finish = {};
	uint64_t psc = 0x014 | 9ull << 12 | 2ull << 52;	/* gfn 9 to shared */
	struct kvm_sev_init init = {};
	struct flow f;
	bool done;

	done = flow_vm(&f, KVM_X86_SNP_VM) && (f.sev = kvm_coco_open_sev()) >= 0 &&
	       snp_cmd(&f, KVM_SEV_INIT2, &init) && flow_vcpu(&f) &&
	       snp_cmd(&f, KVM_SEV_SNP_LAUNCH_START, &start) &&
	       snp_cmd(&f, KVM_SEV_SNP_LAUNCH_UPDATE, &u) &&
	       snp_cmd(&f, KVM_SEV_SNP_LAUNCH_FINISH, &finish) &&
	       flow_access(&f, 8 * PAGE_SIZE, ENC | WRITE) &&
	       flow_access(&f, 9 * PAGE_SIZE, ENC | WRITE) &&
	       !kvm_coco_ioctl(f.vcpu, KVM_COCO_VCPU_INJECT_VMGEXIT_MSR, &psc) && flow_run(&f) &&
	       flow_access(&f, 9 * PAGE_SIZE, WRITE);
	flow_teardown(&f);
	return done;
}

static bool tdx_mem(struct flow *f)
{
	struct kvm_tdx_init_mem_region r = {
		.source_addr = (uintptr_t)source, .gpa = 0, .nr_pages = SOURCE_PAGES,
	};

	return !tdx_cmd(f->vcpu, KVM_TDX_INIT_MEM_REGION, KVM_TDX_MEASURE_MEMORY_REGION,
			(uintptr_t)&r, NULL);
}

/* A TD build, a private fault (PAGE.AUG), MapGPA to shared and a shared access. */
static bool td_flow(void)
{
	struct kvm_coco_tdvmcall map = { .r11 = 0x10001, .r12 = 9 * PAGE_SIZE | SHARED_BIT,
					 .r13 = PAGE_SIZE };
	struct flow f;
	bool done;

	done = flow_vm(&f, KVM_X86_TDX_VM) && !tdx_init_vm(f.vm, NULL, 1) && flow_vcpu(&f) &&
	       !tdx_cmd(f.vcpu, KVM_TDX_INIT_VCPU, 0, 0x1234, NULL) && tdx_mem(&f) &&
	       !tdx_cmd(f.vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL) &&
	       flow_access(&f, 8 * PAGE_SIZE, WRITE) && flow_access(&f, 9 * PAGE_SIZE, WRITE) &&
	       !kvm_coco_ioctl(f.vcpu, KVM_COCO_VCPU_INJECT_TDVMCALL, &map) && flow_run(&f) &&
	       flow_access(&f, 9 * PAGE_SIZE | SHARED_BIT, WRITE);
	flow_teardown(&f);
	return done;
}

/* A software-protected VM: private and shared faults, a VMMCALL conversion, a punch. */
static bool sw_flow(void)
{
	struct kvm_regs regs = { .rax = KVM_HC_MAP_GPA_RANGE, .rbx = 4 * PAGE_SIZE, .rcx = 2,
				 .rflags = 2 };
	struct flow f;
	bool done;

	done = flow_vm(&f, KVM_X86_SW_PROTECTED_VM) && flow_vcpu(&f) &&
	       flow_access(&f, 4 * PAGE_SIZE, WRITE) && flow_access(&f, 5 * PAGE_SIZE, 0) &&
	       !kvm_coco_ioctl(f.vcpu, KVM_SET_REGS, &regs) &&
	       !kvm_coco_ioctl(f.vcpu, KVM_COCO_VCPU_INJECT_VMMCALL, 0) && flow_run(&f) &&
	       flow_access(&f, 4 * PAGE_SIZE, WRITE) &&
	       !__gmem_fallocate(f.gmem, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, MEM);
	flow_teardown(&f);
	return done;
}

/* What the sweep fails: arm the n-th (0: disarm), and whether it fired since. */
struct injection {
	const char *what;
	void (*arm)(unsigned int nth);
	bool (*fired)(void);
};

static void arm_alloc(unsigned int nth)
{
	host_fail_alloc_after(nth);
}

static void arm_rmpupdate(unsigned int nth)
{
	host_snp_rmpupdate_fail(nth);
}

static const struct injection alloc_failure = { "allocations", arm_alloc, host_alloc_failed };
static const struct injection rmpupdate_failure = { "RMPUPDATEs", arm_rmpupdate,
						    host_snp_rmpupdate_failed };

/*
 * Run @flow with its n-th @inj failing, for every n it reaches; check after each.  Returns
 * how many there were.
 */
static unsigned int sweep(bool (*flow)(void), const struct injection *inj)
{
	unsigned long leaked_before, leaked;
	struct host_counters before, now;
	unsigned int n;
	bool fired;

	/* Whole, once: the platform brought up outside the sweep. */
	TEST_ASSERT(flow(), "the flow fails with nothing injected");
	for (n = 1; ; n++) {
		host_get_counters(&before);
		leaked_before = host_snp_leaked_pages() + host_tdx_leaked_pages();
		inj->arm(n);
		flow();
		fired = inj->fired();
		inj->arm(0);
		if (!fired)
			break;
		leaked = host_snp_leaked_pages() + host_tdx_leaked_pages() - leaked_before;
		check_rmp();
		check_pamt();
		host_get_counters(&now);
		TEST_ASSERT(now.warnings == before.warnings, "%s %u: a WARN", inj->what, n);
		TEST_ASSERT(now.files == before.files && now.vmallocs == before.vmallocs &&
			    now.pages == before.pages + (long)leaked &&
			    (leaked || now.allocs == before.allocs),
			    "%s %u: %ld files, %ld objects, %ld vmallocs, %ld pages left over "
			    "(%lu counted as leaked)", inj->what, n, now.files - before.files,
			    now.allocs - before.allocs, now.vmallocs - before.vmallocs,
			    now.pages - before.pages, leaked);
	}
	ksft_print_msg("%u %s in the flow, each failed once\n", n - 1, inj->what);
	return n - 1;
}

static void test_snp_flow_allocation_failures(void)
{
	TEST_SKIP_UNLESS(host_is_library(), "failures are injected in the library host");
	TEST_ASSERT(sweep(snp_flow, &alloc_failure) >= 20, "too few allocations");
}

static void test_snp_flow_rmpupdate_failures(void)
{
	TEST_SKIP_UNLESS(host_is_library(), "failures are injected in the library host");
	TEST_ASSERT(sweep(snp_flow, &rmpupdate_failure) >= 6, "too few RMPUPDATEs");
}

static void test_td_flow_allocation_failures(void)
{
	TEST_SKIP_UNLESS(host_is_library(), "failures are injected in the library host");
	TEST_ASSERT(sweep(td_flow, &alloc_failure) >= 20, "too few allocations");
}

static void test_sw_protected_flow_allocation_failures(void)
{
	TEST_SKIP_UNLESS(host_is_library(), "failures are injected in the library host");
	TEST_ASSERT(sweep(sw_flow, &alloc_failure) >= 10, "too few allocations");
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_snp_flow_allocation_failures),
		KSFT_TEST(test_snp_flow_rmpupdate_failures),
		KSFT_TEST(test_td_flow_allocation_failures),
		KSFT_TEST(test_sw_protected_flow_allocation_failures),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
