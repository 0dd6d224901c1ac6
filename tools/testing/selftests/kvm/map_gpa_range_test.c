// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-requested conversions: KVM never converts on its own.  A KVM_HC_MAP_GPA_RANGE
 * hypercall (VMMCALL) or an SNP page-state change through the GHCB MSR protocol exits to the
 * VMM as KVM_EXIT_HYPERCALL when the VMM enabled KVM_CAP_EXIT_HYPERCALL; the VMM converts
 * with KVM_SET_MEMORY_ATTRIBUTES and answers in run->hypercall.ret, which the next KVM_RUN
 * hands to the guest (RAX, or the GHCB MSR response).  TDX's MapGPA (TDG.VP.VMCALL) exits the
 * same way, 2 MiB at a time.  Without the capability, or with bad arguments, the guest gets
 * an error and no exit.  KVM_ENABLE_CAP's checks.
 */
#include <sys/mman.h>

#include <linux/kvm_coco.h>
#include <linux/kvm_para.h>

#include "kvm_util.h"
#include "sev.h"
#include "tdx.h"

#define MEM		(64 * PAGE_SIZE)
#define GPA		(0x10 * PAGE_SIZE)
#define MAP_GPA_RANGE	KVM_HC_MAP_GPA_RANGE
#define ENCRYPTED	KVM_MAP_GPA_RANGE_ENCRYPTED
#define PSC_REQ(gpa, op) ((gpa) | ((uint64_t)(op) << 52) | 0x014)
#define PSC_RESP	0x015ull
#define PSC_RESP_ERROR	((1ull << 63) | PSC_RESP)
#define TD_MEM		(4ul << 20)
#define TDVMCALL_MAP_GPA		0x10001
#define TDVMCALL_RETRY			1ull
#define TDVMCALL_INVALID_OPERAND	0x8000000000000000ull
#define TDVMCALL_ALIGN_ERROR		0x8000000000000002ull
#define TDVMCALL_UNSUPPORTED		0x8000000000000003ull

struct guest {
	int vm, gmem, vcpu;
	void *shared;
	struct kvm_run *run;
};

static int __enable_cap(int vm, struct kvm_enable_cap *cap)
{
	return kvm_coco_ioctl(vm, KVM_ENABLE_CAP, cap);
}

static void enable_exit_hypercall(int vm)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_EXIT_HYPERCALL,
				      .args[0] = 1ull << MAP_GPA_RANGE };

	TEST_ASSERT(!__enable_cap(vm, &cap), "KVM_ENABLE_CAP: %s", strerror(errno));
}

static struct kvm_run *map_run(int vcpu)
{
	struct kvm_run *run = kvm_coco_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
					    vcpu, 0);

	TEST_ASSERT(run != MAP_FAILED, "mmap vCPU: %s", strerror(errno));
	return run;
}

/* A software-protected VM whose vCPU is in 64-bit mode at CPL 0. */
static void guest_create(struct guest *g)
{
	g->vm = vm_create_model(KVM_X86_SW_PROTECTED_VM);
	g->gmem = vm_create_guest_memfd(g->vm, MEM, 0);
	g->shared = test_alloc_mem(MEM);
	vm_set_user_memory_region2(g->vm, 0, KVM_MEM_GUEST_MEMFD, 0, MEM, g->shared, g->gmem, 0);
	g->vcpu = vm_create_vcpu(g->vm, 0);
	g->run = map_run(g->vcpu);
	vcpu_set_long_mode(g->vcpu, 0);
}

static void guest_destroy(struct guest *g)
{
	munmap(g->run, PAGE_SIZE);
	kvm_close(g->vcpu);
	kvm_close(g->gmem);
	kvm_close(g->vm);
	munmap(g->shared, MEM);
}

/* The guest executes VMMCALL with @nr and three arguments; returns its RIP before. */
static uint64_t vmmcall(struct guest *g, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct kvm_regs r;

	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_GET_REGS, &r), 0);
	r.rax = nr;
	r.rbx = a0;
	r.rcx = a1;
	r.rdx = a2;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_SET_REGS, &r), 0);
	TEST_ASSERT(!kvm_coco_ioctl(g->vcpu, KVM_COCO_VCPU_INJECT_VMMCALL, 0), "inject: %s",
		    strerror(errno));
	return r.rip;
}

static void run_vcpu(int vcpu, struct kvm_run *run, uint32_t exit_reason)
{
	TEST_ASSERT(!kvm_coco_ioctl(vcpu, KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
	TEST_ASSERT_EQ(run->exit_reason, exit_reason);
}

/* After the guest's VMMCALL at @rip: RAX holds @ret and RIP is past the instruction. */
static void assert_returned(struct guest *g, uint64_t rip, uint64_t ret)
{
	struct kvm_regs r;

	TEST_ASSERT_EQ(kvm_coco_ioctl(g->vcpu, KVM_GET_REGS, &r), 0);
	TEST_ASSERT_EQ(r.rax, ret);
	TEST_ASSERT_EQ(r.rip, rip + 3);
}

static void test_enable_cap(void)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_EXIT_HYPERCALL };
	int sys = kvm_open(), vm = vm_create_model(KVM_X86_SW_PROTECTED_VM);

	TEST_ASSERT_EQ(kvm_coco_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_EXIT_HYPERCALL),
		       1 << MAP_GPA_RANGE);
	TEST_ASSERT_EQ(vm_check_cap(vm, KVM_CAP_EXIT_HYPERCALL), 1 << MAP_GPA_RANGE);
	cap.args[0] = 1ull << 11;
	TEST_ASSERT_ERRNO(__enable_cap(vm, &cap), EINVAL);
	cap.args[0] = 1ull << MAP_GPA_RANGE;
	cap.flags = 1;
	TEST_ASSERT_ERRNO(__enable_cap(vm, &cap), EINVAL);
	cap.flags = 0;
	cap.args[3] = 1;
	TEST_ASSERT_ERRNO(__enable_cap(vm, &cap), EINVAL);
	cap.args[3] = 0;
	cap.pad[63] = 1;
	TEST_ASSERT_ERRNO(__enable_cap(vm, &cap), EINVAL);
	cap.pad[63] = 0;
	cap.cap = 12345;
	TEST_ASSERT_ERRNO(__enable_cap(vm, &cap), EINVAL);
	cap.cap = KVM_CAP_EXIT_HYPERCALL;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_ENABLE_CAP, test_mem_at_end(8)), EFAULT);
	TEST_ASSERT_EQ(__enable_cap(vm, &cap), 0);
	cap.args[0] = 0;
	TEST_ASSERT_EQ(__enable_cap(vm, &cap), 0);
	kvm_close(vm);
	kvm_close(sys);
}

/*
 * The whole round trip: the exit carries the guest's arguments, the VMM converts, and its
 * answer reaches RAX; the converted page then faults in as private.
 */
static void test_map_gpa_range_round_trip(void)
{
	struct kvm_memory_attributes a = { .address = GPA, .size = 4 * PAGE_SIZE };
	struct kvm_coco_npf npf = { .gpa = GPA + PAGE_SIZE };
	struct guest g;
	uint64_t rip;

	guest_create(&g);
	enable_exit_hypercall(g.vm);
	rip = vmmcall(&g, MAP_GPA_RANGE, GPA, 4, ENCRYPTED);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(g.run->hypercall.nr, MAP_GPA_RANGE);
	TEST_ASSERT_EQ(g.run->hypercall.args[0], GPA);
	TEST_ASSERT_EQ(g.run->hypercall.args[1], 4);
	TEST_ASSERT_EQ(g.run->hypercall.args[2], ENCRYPTED);
	TEST_ASSERT_EQ(g.run->hypercall.flags, KVM_EXIT_HYPERCALL_LONG_MODE);
	/* Nothing converted behind the VMM's back. */
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vm, KVM_COCO_GET_MEMORY_ATTRIBUTES, &a), 0);
	TEST_ASSERT_EQ(a.attributes, 0);

	vm_mem_set_private(g.vm, GPA, 4 * PAGE_SIZE);
	g.run->hypercall.ret = 0;
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);
	assert_returned(&g, rip, 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_COCO_VCPU_INJECT_NPF, &npf), 0);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);

	/* The VMM refuses: its answer is what the guest sees. */
	rip = vmmcall(&g, MAP_GPA_RANGE, GPA, 1, 0);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HYPERCALL);
	g.run->hypercall.ret = -KVM_EINVAL;
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);
	assert_returned(&g, rip, -KVM_EINVAL);
	guest_destroy(&g);
}

/* Errors the guest gets without any exit. */
static void test_map_gpa_range_refused(void)
{
	struct kvm_sregs s;
	struct guest g;
	uint64_t rip;

	guest_create(&g);
	/* The VMM did not ask for the exit. */
	rip = vmmcall(&g, MAP_GPA_RANGE, GPA, 1, ENCRYPTED);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);
	assert_returned(&g, rip, -KVM_ENOSYS);

	enable_exit_hypercall(g.vm);
	rip = vmmcall(&g, MAP_GPA_RANGE, GPA + 1, 1, 0);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);
	assert_returned(&g, rip, -KVM_EINVAL);
	rip = vmmcall(&g, MAP_GPA_RANGE, GPA, 0, 0);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);
	assert_returned(&g, rip, -KVM_EINVAL);
	rip = vmmcall(&g, MAP_GPA_RANGE, GPA, -1ull, 0);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);
	assert_returned(&g, rip, -KVM_EINVAL);
	rip = vmmcall(&g, 0x7777, 0, 0, 0);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);
	assert_returned(&g, rip, -KVM_ENOSYS);

	/* One event at a time. */
	vmmcall(&g, 0x7777, 0, 0, 0);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_COCO_VCPU_INJECT_VMMCALL, 0), EBUSY);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_COCO_VCPU_INJECT_VMMCALL, 1), EINVAL);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);

	/* CPL 3. */
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_GET_SREGS, &s), 0);
	s.ss.dpl = 3;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_SET_SREGS, &s), 0);
	rip = vmmcall(&g, MAP_GPA_RANGE, GPA, 1, 0);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);
	assert_returned(&g, rip, -KVM_EPERM);

	/* Outside 64-bit mode only the low 32 bits of each register count, and of RAX after. */
	s.ss.dpl = 0;
	s.cs.l = 0;
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vcpu, KVM_SET_SREGS, &s), 0);
	rip = vmmcall(&g, (1ull << 32) | MAP_GPA_RANGE, (1ull << 40) | GPA, 2, 0);
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(g.run->hypercall.args[0], GPA);
	TEST_ASSERT_EQ(g.run->hypercall.flags, 0);
	g.run->hypercall.ret = -KVM_EINVAL;
	run_vcpu(g.vcpu, g.run, KVM_EXIT_HLT);
	assert_returned(&g, rip, (uint32_t)-KVM_EINVAL);
	guest_destroy(&g);
}

static uint64_t ghcb_msr(int vcpu)
{
	uint64_t msr;

	TEST_ASSERT_EQ(kvm_coco_ioctl(vcpu, KVM_COCO_VCPU_GET_GHCB_MSR, &msr), 0);
	return msr;
}

static int __vmgexit(int vcpu, uint64_t msr)
{
	return kvm_coco_ioctl(vcpu, KVM_COCO_VCPU_INJECT_VMGEXIT_MSR, &msr);
}

/* SNP's page-state change through the GHCB MSR protocol, both answers and the refusals. */
static void test_snp_psc_msr(void)
{
	struct kvm_run *run;
	struct snp_vm v;
	int vcpu;

	snp_vm_create_launched(&v, MEM, 1);
	vcpu = v.vcpus[0];
	run = map_run(vcpu);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vcpu, KVM_COCO_VCPU_INJECT_VMMCALL, 0), EINVAL);
	TEST_ASSERT_ERRNO(__vmgexit(vcpu, GPA), EINVAL);	/* a GHCB page, not modelled */

	/* No exit enabled: the guest is told it failed. */
	TEST_ASSERT_EQ(__vmgexit(vcpu, PSC_REQ(GPA, 2)), 0);
	run_vcpu(vcpu, run, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(ghcb_msr(vcpu), PSC_RESP_ERROR);

	enable_exit_hypercall(v.vm);
	TEST_ASSERT_EQ(__vmgexit(vcpu, PSC_REQ(GPA, 2)), 0);
	TEST_ASSERT_ERRNO(__vmgexit(vcpu, PSC_REQ(GPA, 2)), EBUSY);
	run_vcpu(vcpu, run, KVM_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(run->hypercall.nr, MAP_GPA_RANGE);
	TEST_ASSERT_EQ(run->hypercall.args[0], GPA);
	TEST_ASSERT_EQ(run->hypercall.args[1], 1);
	TEST_ASSERT_EQ(run->hypercall.args[2], KVM_MAP_GPA_RANGE_DECRYPTED |
		       KVM_MAP_GPA_RANGE_PAGE_SZ_4K);
	vm_mem_set_shared(v.vm, GPA, PAGE_SIZE);
	run->hypercall.ret = 0;
	run_vcpu(vcpu, run, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(ghcb_msr(vcpu), PSC_RESP);

	TEST_ASSERT_EQ(__vmgexit(vcpu, PSC_REQ(GPA, 1)), 0);
	run_vcpu(vcpu, run, KVM_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(run->hypercall.args[2], ENCRYPTED);
	run->hypercall.ret = -KVM_EINVAL;
	run_vcpu(vcpu, run, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(ghcb_msr(vcpu), PSC_RESP_ERROR);

	/* Operations other than private and shared: refused without an exit. */
	TEST_ASSERT_EQ(__vmgexit(vcpu, PSC_REQ(GPA, 3)), 0);
	run_vcpu(vcpu, run, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(ghcb_msr(vcpu), PSC_RESP_ERROR);
	munmap(run, PAGE_SIZE);
	snp_vm_destroy(&v);
}

/* The rest of the GHCB MSR protocol KVM answers: GHCB GPAs, termination, unknown requests. */
static void test_snp_ghcb_msr_protocol(void)
{
	struct kvm_run *run;
	struct snp_vm v;
	int vcpu;

	snp_vm_create_launched(&v, MEM, 1);
	vcpu = v.vcpus[0];
	run = map_run(vcpu);

	TEST_ASSERT_EQ(__vmgexit(vcpu, GPA | 0x012), 0);		/* register a GHCB */
	run_vcpu(vcpu, run, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(ghcb_msr(vcpu), GPA | 0x013);
	TEST_ASSERT_EQ(__vmgexit(vcpu, 0x010), 0);			/* preferred GHCB GPA */
	run_vcpu(vcpu, run, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(ghcb_msr(vcpu), (0xfffffffffffffull << 12) | 0x011);
	TEST_ASSERT_EQ(__vmgexit(vcpu, 0xabc), 0);			/* unknown: untouched */
	run_vcpu(vcpu, run, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(ghcb_msr(vcpu), 0xabc);

	/* Termination, reason set 1 code 3: the VMM sees a system event. */
	TEST_ASSERT_EQ(__vmgexit(vcpu, (3 << 16) | (1 << 12) | 0x100), 0);
	run_vcpu(vcpu, run, KVM_EXIT_SYSTEM_EVENT);
	TEST_ASSERT_EQ(run->system_event.type, KVM_SYSTEM_EVENT_SEV_TERM);
	TEST_ASSERT_EQ(run->system_event.ndata, 1);
	TEST_ASSERT_EQ(run->system_event.data[0], (3 << 16) | (1 << 12) | 0x100);
	munmap(run, PAGE_SIZE);
	snp_vm_destroy(&v);
}

static void test_vendor_calls_only_where_they_exist(void)
{
	struct kvm_coco_tdvmcall c = { .r11 = TDVMCALL_MAP_GPA };
	struct guest g;
	uint64_t msr;

	guest_create(&g);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_COCO_VCPU_GET_GHCB_MSR, &msr), EINVAL);
	TEST_ASSERT_ERRNO(__vmgexit(g.vcpu, PSC_REQ(GPA, 1)), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_COCO_VCPU_INJECT_TDVMCALL, &c), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(g.vcpu, KVM_COCO_VCPU_GET_TDVMCALL, &c), EINVAL);
	guest_destroy(&g);
}

/* The TD's R10 (status) and R11 after TDG.VP.VMCALL<@leaf>(@r12, @r13) completes. */
static void tdvmcall(struct td *t, struct kvm_run *run, uint64_t leaf, uint64_t r12,
		     uint64_t r13, uint64_t r10, uint64_t r11)
{
	struct kvm_coco_tdvmcall c = { .r11 = leaf, .r12 = r12, .r13 = r13 };

	TEST_ASSERT_EQ(kvm_coco_ioctl(t->vcpu, KVM_COCO_VCPU_INJECT_TDVMCALL, &c), 0);
	run_vcpu(t->vcpu, run, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(kvm_coco_ioctl(t->vcpu, KVM_COCO_VCPU_GET_TDVMCALL, &c), 0);
	TEST_ASSERT_EQ(c.r10, r10);
	TEST_ASSERT_EQ(c.r11, r11);
}

/* One KVM_HC_MAP_GPA_RANGE exit of MapGPA, answered with @ret. */
static void map_gpa_exit(int vcpu, struct kvm_run *run, uint64_t gpa, uint64_t pages,
			 uint64_t attrs, int64_t ret)
{
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(run->hypercall.nr, MAP_GPA_RANGE);
	TEST_ASSERT_EQ(run->hypercall.args[0], gpa);
	TEST_ASSERT_EQ(run->hypercall.args[1], pages);
	TEST_ASSERT_EQ(run->hypercall.args[2], attrs);
	TEST_ASSERT_EQ(run->hypercall.flags, KVM_EXIT_HYPERCALL_LONG_MODE);
	run->hypercall.ret = ret;
	TEST_ASSERT(!kvm_coco_ioctl(vcpu, KVM_RUN, 0), "KVM_RUN: %s", strerror(errno));
}

/*
 * TDX MapGPA: the shared bit says which way; the range goes to the VMM 2 MiB at a time
 * without the bit; the VMM's -EAGAIN becomes RETRY with R11 where it stopped; bad ranges and
 * a VMM that did not ask for the exit are answered without one.
 */
static void test_tdx_map_gpa(void)
{
	struct kvm_coco_tdvmcall c = { .r10 = 1, .r11 = TDVMCALL_MAP_GPA };
	struct kvm_run *run;
	struct td t;

	td_create(TD_MEM, &t);
	TEST_ASSERT_EQ(tdx_cmd(t.vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), 0);
	run = map_run(t.vcpu);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(t.vcpu, KVM_COCO_VCPU_INJECT_TDVMCALL, &c), EINVAL);
	tdvmcall(&t, run, TDVMCALL_MAP_GPA, SHARED_BIT | GPA, PAGE_SIZE, TDVMCALL_UNSUPPORTED,
		 SHARED_BIT | GPA);

	enable_exit_hypercall(t.vm);
	c = (struct kvm_coco_tdvmcall){ .r11 = TDVMCALL_MAP_GPA, .r12 = SHARED_BIT | GPA,
					.r13 = 3 << 20 };
	TEST_ASSERT_EQ(kvm_coco_ioctl(t.vcpu, KVM_COCO_VCPU_INJECT_TDVMCALL, &c), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(t.vcpu, KVM_RUN, 0), 0);
	map_gpa_exit(t.vcpu, run, GPA, 512, KVM_MAP_GPA_RANGE_DECRYPTED, 0);
	map_gpa_exit(t.vcpu, run, GPA + (2 << 20), 256, KVM_MAP_GPA_RANGE_DECRYPTED, 0);
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(kvm_coco_ioctl(t.vcpu, KVM_COCO_VCPU_GET_TDVMCALL, &c), 0);
	TEST_ASSERT_EQ(c.r10, 0);

	c = (struct kvm_coco_tdvmcall){ .r11 = TDVMCALL_MAP_GPA, .r12 = GPA, .r13 = 3 << 20 };
	TEST_ASSERT_EQ(kvm_coco_ioctl(t.vcpu, KVM_COCO_VCPU_INJECT_TDVMCALL, &c), 0);
	TEST_ASSERT_EQ(kvm_coco_ioctl(t.vcpu, KVM_RUN, 0), 0);
	map_gpa_exit(t.vcpu, run, GPA, 512, ENCRYPTED, 0);
	map_gpa_exit(t.vcpu, run, GPA + (2 << 20), 256, ENCRYPTED, -EAGAIN);
	TEST_ASSERT_EQ(run->exit_reason, KVM_EXIT_HLT);
	TEST_ASSERT_EQ(kvm_coco_ioctl(t.vcpu, KVM_COCO_VCPU_GET_TDVMCALL, &c), 0);
	TEST_ASSERT_EQ(c.r10, TDVMCALL_RETRY);
	TEST_ASSERT_EQ(c.r11, GPA + (2 << 20));

	/* Both aliases in one range, an empty or wrapping or too-high range, misalignment. */
	tdvmcall(&t, run, TDVMCALL_MAP_GPA, SHARED_BIT - PAGE_SIZE, 2 * PAGE_SIZE,
		 TDVMCALL_INVALID_OPERAND, SHARED_BIT - PAGE_SIZE);
	tdvmcall(&t, run, TDVMCALL_MAP_GPA, GPA, 0, TDVMCALL_INVALID_OPERAND, GPA);
	tdvmcall(&t, run, TDVMCALL_MAP_GPA, GPA, -GPA, TDVMCALL_INVALID_OPERAND, GPA);
	tdvmcall(&t, run, TDVMCALL_MAP_GPA, 1ull << 48, PAGE_SIZE, TDVMCALL_INVALID_OPERAND,
		 1ull << 48);
	tdvmcall(&t, run, TDVMCALL_MAP_GPA, GPA + 8, PAGE_SIZE, TDVMCALL_ALIGN_ERROR, GPA + 8);
	tdvmcall(&t, run, TDVMCALL_MAP_GPA, GPA, 8, TDVMCALL_ALIGN_ERROR, GPA);
	/* Leaves not modelled. */
	tdvmcall(&t, run, 0x10002, 0, 0, TDVMCALL_UNSUPPORTED, 0x10002);
	munmap(run, PAGE_SIZE);
	td_destroy(&t);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_enable_cap),
		KSFT_TEST(test_map_gpa_range_round_trip),
		KSFT_TEST(test_map_gpa_range_refused),
		KSFT_TEST(test_snp_psc_msr),
		KSFT_TEST(test_snp_ghcb_msr_protocol),
		KSFT_TEST(test_vendor_calls_only_where_they_exist),
		KSFT_TEST(test_tdx_map_gpa),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
