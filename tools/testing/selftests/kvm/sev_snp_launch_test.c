// SPDX-License-Identifier: GPL-2.0
/*
 * SNP launch through KVM_MEMORY_ENCRYPT_OP: the whole flow (its digest equals the one
 * kvm_coco_snp_measure predicts), bad input on every field of INIT2, LAUNCH_START, _UPDATE
 * and _FINISH, wrong order and repeats, failures in the middle of a multi-page update (exact
 * progress, exact rollback, a continued launch gives the undisturbed digest), VMSAs built
 * from vCPU state, teardown that returns every page.  The RMP invariants are checked after
 * every operation.
 */
#include <sys/mman.h>

#include "sev.h"
#include "tdx.h"
#include "kvm-coco-test.h"

#define MEM		(4ul << 20)
#define PAGE		PAGE_SIZE
#define NORMAL		KVM_SEV_SNP_PAGE_TYPE_NORMAL
#define ZERO		KVM_SEV_SNP_PAGE_TYPE_ZERO
#define UNMEASURED	KVM_SEV_SNP_PAGE_TYPE_UNMEASURED
#define SECRETS		KVM_SEV_SNP_PAGE_TYPE_SECRETS
#define CPUID		KVM_SEV_SNP_PAGE_TYPE_CPUID
#define VMSA_GPA	0xFFFFFFFFF000ull
#define RACE_PAGES	512

static uint8_t src[8 * PAGE] __attribute__((aligned(4096)));

/* Predict a digest: NORMAL pages of src at gfn 0x100.., @nzero ZERO pages, reset VMSAs. */
static void predict(uint8_t out[48], unsigned int nnormal, unsigned int nzero,
		    unsigned int vcpus)
{
	struct kvm_coco_snp_measure *m = kvm_coco_snp_measure_new();
	uint8_t vmsa[PAGE];
	unsigned int i;

	TEST_ASSERT(m, "measure");
	for (i = 0; i < nnormal; i++)
		TEST_ASSERT(!kvm_coco_snp_measure_page(m, NORMAL, (0x100 + i) * PAGE,
						       src + i * PAGE), "measure");
	for (i = 0; i < nzero; i++)
		TEST_ASSERT(!kvm_coco_snp_measure_page(m, ZERO, (0x200 + i) * PAGE, NULL), "zero");
	kvm_coco_snp_reset_vmsa(vmsa, 1);
	for (i = 0; i < vcpus; i++)
		TEST_ASSERT(!kvm_coco_snp_measure_page(m, 2, VMSA_GPA, vmsa), "vmsa");
	kvm_coco_snp_measure_digest(m, out);
	kvm_coco_snp_measure_free(m);
}

static void fill_src(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + i / PAGE);
}

static void test_launch_flow(void)
{
	uint8_t digest[48], want[48];
	struct snp_vm v;

	fill_src();
	snp_vm_create(&v, MEM, 2);
	TEST_ASSERT_ERRNO(__snp_get_digest(v.vm, digest), EINVAL);	/* not finished */
	snp_launch_start(&v);
	snp_launch_update(&v, 0x100, src, 4 * PAGE, NORMAL);
	snp_launch_update(&v, 0x200, NULL, 2 * PAGE, ZERO);
	INSPECT(TEST_ASSERT(gfn_rmp(v.vm, 0x100) & RMP_VALIDATED, "launched page not guest-valid"));
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, 0x104), 0));
	snp_launch_finish(&v);
	snp_get_digest(v.vm, digest);
	predict(want, 4, 2, 2);
	TEST_ASSERT(!memcmp(digest, want, 48), "launch digest differs from the prediction");
	snp_vm_destroy(&v);
}

static void test_init2_bad_input(void)
{
	struct kvm_sev_init init = {};
	struct snp_vm v;
	int sev = kvm_coco_open_sev(), vm, i;
	struct kvm_sev_cmd cmd = { .id = KVM_SEV_INIT2, .data = (uintptr_t)&init, .sev_fd = sev };

	/* VM types without SEV: INIT2 is EINVAL, any other command ENOTTY. */
	vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_SNP_LAUNCH_START, &init, NULL), ENOTTY);
	kvm_close(vm);
	vm = vm_create(KVM_X86_DEFAULT_VM);
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
	kvm_close(vm);

	vm = vm_create(KVM_X86_SNP_VM);
	/* Before INIT2, SNP commands are unknown to KVM. */
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_SNP_LAUNCH_START, &init, NULL), ENOTTY);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_MEMORY_ENCRYPT_OP, NULL), EFAULT);
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, NULL, NULL), EFAULT);
	cmd.pad0 = 1;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_MEMORY_ENCRYPT_OP, &cmd), EINVAL);
	init.flags = 1;
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
	init.flags = 0;
	init.pad1 = 1;
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
	init.pad1 = 0;
	for (i = 0; i < 8; i++) {
		init.pad2[i] = 1;
		TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
		init.pad2[i] = 0;
	}
	for (i = 0; i < 64; i++) {
		init.vmsa_features = 1ull << i;
		if (init.vmsa_features != SVM_SEV_FEAT_DEBUG_SWAP)
			TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
	}
	init.vmsa_features = 0;
	init.ghcb_version = 1;		/* SNP needs GHCB v2 */
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
	init.ghcb_version = 3;
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
	init.ghcb_version = 2;
	/* After a vCPU exists it is too late. */
	i = vm_create_vcpu(vm, 0);
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
	kvm_close(i);
	kvm_close(vm);

	snp_vm_create(&v, MEM, 0);
	/* Twice, or any pre-SNP command id, on an SNP VM: EPERM (upstream); an unknown id. */
	TEST_ASSERT_ERRNO(__snp_cmd(v.vm, sev, KVM_SEV_INIT2, &init, NULL), EPERM);
	TEST_ASSERT_ERRNO(__snp_cmd(v.vm, sev, 0, &init, NULL), EPERM);
	TEST_ASSERT_ERRNO(__snp_cmd(v.vm, sev, KVM_SEV_NR_MAX, &init, NULL), EINVAL);
	snp_vm_destroy(&v);

	/* Plain SEV and SEV-ES VMs initialise too; SNP commands are not theirs. */
	vm = vm_create(KVM_X86_SEV_VM);
	init.ghcb_version = 0;
	TEST_ASSERT(!__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), "SEV INIT2");
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), EINVAL);
	TEST_ASSERT_ERRNO(__snp_cmd(vm, sev, KVM_SEV_SNP_LAUNCH_START, &init, NULL), ENOTTY);
	kvm_close(vm);
	vm = vm_create(KVM_X86_SEV_ES_VM);
	init.vmsa_features = SVM_SEV_FEAT_DEBUG_SWAP;
	TEST_ASSERT(!__snp_cmd(vm, sev, KVM_SEV_INIT2, &init, NULL), "SEV-ES INIT2");
	kvm_close(vm);
	kvm_close(sev);
	check_rmp();
}

static void test_launch_start_bad_input(void)
{
	struct kvm_sev_snp_launch_start s = { .policy = SNP_POLICY_DEFAULT };
	struct kvm_sev_snp_launch_update u = { .gfn_start = 0, .uaddr = (uintptr_t)src,
					       .len = PAGE, .type = NORMAL };
	struct kvm_sev_snp_launch_finish f = {};
	uint32_t error = 0;
	struct snp_vm v;
	int i, other;

	snp_vm_create(&v, MEM, 1);
	/* Out of order: nothing but START before START. */
	TEST_ASSERT_ERRNO(__snp_launch_update(&v, &u, NULL), EINVAL);
	TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, NULL), EINVAL);

	TEST_ASSERT_ERRNO(__snp_cmd(v.vm, v.sev, KVM_SEV_SNP_LAUNCH_START, NULL, NULL), EFAULT);
	s.flags = 1;
	TEST_ASSERT_ERRNO(__snp_cmd(v.vm, v.sev, KVM_SEV_SNP_LAUNCH_START, &s, NULL), EINVAL);
	s.flags = 0;
	for (i = 0; i < 6; i++) {
		s.pad0[i] = 1;
		TEST_ASSERT_ERRNO(__snp_cmd(v.vm, v.sev, KVM_SEV_SNP_LAUNCH_START, &s, NULL),
				  EINVAL);
		s.pad0[i] = 0;
	}
	for (i = 0; i < 4; i++) {
		s.pad1[i] = 1;
		TEST_ASSERT_ERRNO(__snp_cmd(v.vm, v.sev, KVM_SEV_SNP_LAUNCH_START, &s, NULL),
				  EINVAL);
		s.pad1[i] = 0;
	}
	/* KVM's own policy checks: must-be-one, SMT, SINGLE_SOCKET, bits above 20. */
	TEST_ASSERT_ERRNO(__snp_launch_start(&v, 1ull << 16, NULL), EINVAL);
	TEST_ASSERT_ERRNO(__snp_launch_start(&v, 1ull << 17, NULL), EINVAL);
	TEST_ASSERT_ERRNO(__snp_launch_start(&v, SNP_POLICY_DEFAULT | (1ull << 20), NULL), EINVAL);
	TEST_ASSERT_ERRNO(__snp_launch_start(&v, SNP_POLICY_DEFAULT | (1ull << 21), NULL), EINVAL);
	/* The firmware's: an ABI newer than it speaks (1.56) -- EIO and its status. */
	TEST_ASSERT_ERRNO(__snp_launch_start(&v, SNP_POLICY_DEFAULT | (1ull << 8) | 56, &error),
			  EIO);
	TEST_ASSERT_EQ(error, 0x07);	/* POLICY_FAILURE */
	check_rmp();
	/* The PSP descriptor must be the PSP's. */
	other = vm_create(KVM_X86_DEFAULT_VM);
	TEST_ASSERT_ERRNO(__snp_cmd(v.vm, other, KVM_SEV_SNP_LAUNCH_START, &s, NULL), EBADF);
	TEST_ASSERT_ERRNO(__snp_cmd(v.vm, 0x7fff, KVM_SEV_SNP_LAUNCH_START, &s, NULL), EBADF);
	kvm_close(other);
	check_rmp();

	snp_launch_start(&v);
	TEST_ASSERT_ERRNO(__snp_launch_start(&v, SNP_POLICY_DEFAULT, NULL), EINVAL);
	snp_launch_finish(&v);
	/* After FINISH: no START, no UPDATE, no second FINISH. */
	TEST_ASSERT_ERRNO(__snp_launch_start(&v, SNP_POLICY_DEFAULT, NULL), EINVAL);
	TEST_ASSERT_ERRNO(__snp_launch_update(&v, &u, NULL), EINVAL);
	TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, NULL), EINVAL);
	snp_vm_destroy(&v);
}

static void test_launch_update_bad_input(void)
{
	static const struct {
		const char *what;
		struct kvm_sev_snp_launch_update u;
		int err;
	} bad[] = {
		{ "flags", { 0x100, 0, PAGE, NORMAL, .flags = 1 }, EINVAL },
		{ "pad0", { 0x100, 0, PAGE, NORMAL, .pad0 = 1 }, EINVAL },
		{ "pad1", { 0x100, 0, PAGE, NORMAL, .pad1 = 1 }, EINVAL },
		{ "pad2[3]", { 0x100, 0, PAGE, NORMAL, .pad2[3] = 1 }, EINVAL },
		{ "type 0", { 0x100, 0, PAGE, 0 }, EINVAL },
		{ "type VMSA (firmware only)", { 0x100, 0, PAGE, 2 }, EINVAL },
		{ "type 7", { 0x100, 0, PAGE, 7 }, EINVAL },
		{ "len 0", { 0x100, 0, 0, NORMAL }, EINVAL },
		{ "len not page aligned", { 0x100, 0, PAGE + 1, NORMAL }, EINVAL },
		{ "uaddr not page aligned", { 0x100, 8, PAGE, NORMAL }, EINVAL },
		{ "gfn range wraps", { -1ull, 0, 2 * PAGE, NORMAL }, EINVAL },
		{ "uaddr range wraps", { 0x100, -PAGE, 2 * PAGE, NORMAL }, EINVAL },
		{ "gfn outside any slot", { MEM / PAGE, 0, PAGE, ZERO }, EINVAL },
		{ "gfn far outside any slot", { 1ull << 36, 0, PAGE, ZERO }, EINVAL },
	};
	struct kvm_sev_snp_launch_update u;
	char *mem = test_alloc_mem(PAGE);
	struct snp_vm v;
	unsigned int i;

	fill_src();
	snp_vm_create(&v, MEM, 0);
	snp_launch_start(&v);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		u = bad[i].u;
		if (!u.uaddr)
			u.uaddr = (uintptr_t)src;
		errno = 0;
		TEST_ASSERT(__snp_launch_update(&v, &u, NULL) == -1 && errno == bad[i].err,
			    "%s: errno %d", bad[i].what, errno);
		check_rmp();
	}
	TEST_ASSERT_ERRNO(__snp_cmd(v.vm, v.sev, KVM_SEV_SNP_LAUNCH_UPDATE, NULL, NULL), EFAULT);

	/* A gfn in a slot that is not guest_memfd-backed. */
	vm_set_user_memory_region2(v.vm, 1, 0, MEM, PAGE, mem, 0, 0);
	u = (struct kvm_sev_snp_launch_update){ MEM / PAGE, (uintptr_t)src, PAGE, NORMAL };
	TEST_ASSERT_ERRNO(__snp_launch_update(&v, &u, NULL), EINVAL);
	/* A shared gfn. */
	vm_mem_set_shared(v.vm, 0x300 * PAGE, PAGE);
	u = (struct kvm_sev_snp_launch_update){ 0x300, (uintptr_t)src, PAGE, NORMAL };
	TEST_ASSERT_ERRNO(__snp_launch_update(&v, &u, NULL), EINVAL);
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, 0x300), 0));
	/* An unreadable source. */
	u = (struct kvm_sev_snp_launch_update){ 0x301, (uintptr_t)test_mem_at_end(0), PAGE,
						NORMAL };
	TEST_ASSERT_ERRNO(__snp_launch_update(&v, &u, NULL), EFAULT);
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, 0x301), 0));
	/* The same gfn twice. */
	snp_launch_update(&v, 0x302, src, PAGE, NORMAL);
	u = (struct kvm_sev_snp_launch_update){ 0x302, (uintptr_t)src, PAGE, NORMAL };
	TEST_ASSERT_ERRNO(__snp_launch_update(&v, &u, NULL), EEXIST);
	u.type = ZERO;
	TEST_ASSERT_ERRNO(__snp_launch_update(&v, &u, NULL), EEXIST);
	check_rmp();
	snp_vm_destroy(&v);
}

/* The launch of test_partial_failure_and_retry: 8 pages at 0x300 (punched later), 4 at 0x100. */
static void predict_after_punched(uint8_t out[48])
{
	struct kvm_coco_snp_measure *m = kvm_coco_snp_measure_new();
	uint8_t vmsa[PAGE];
	unsigned int i;

	for (i = 0; i < 8; i++)
		kvm_coco_snp_measure_page(m, NORMAL, (0x300 + i) * PAGE, src + i * PAGE);
	for (i = 0; i < 4; i++)
		kvm_coco_snp_measure_page(m, NORMAL, (0x100 + i) * PAGE, src + i * PAGE);
	kvm_coco_snp_reset_vmsa(vmsa, 1);
	kvm_coco_snp_measure_page(m, 2, VMSA_GPA, vmsa);
	kvm_coco_snp_measure_digest(m, out);
	kvm_coco_snp_measure_free(m);
}

/* Page i of an update is unreadable: pages before it launch, it and after stay shared. */
static void test_partial_failure_and_retry(void)
{
	struct kvm_sev_snp_launch_update u;
	uint8_t digest[48], want[48];
	uint8_t *buf = test_alloc_mem(4 * PAGE);
	struct snp_vm v;
	uint32_t error = 0;

	fill_src();
	memcpy(buf, src, 4 * PAGE);
	TEST_ASSERT(!mprotect(buf + 2 * PAGE, PAGE, PROT_NONE), "mprotect");
	snp_vm_create(&v, MEM, 1);
	snp_launch_start(&v);
	/* Leave frames with old contents on the free list: the next pages may reuse them. */
	snp_launch_update(&v, 0x300, src, 8 * PAGE, NORMAL);
	gmem_fallocate(v.gmem, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0x300 * PAGE,
		       8 * PAGE);

	u = (struct kvm_sev_snp_launch_update){ 0x100, (uintptr_t)buf, 4 * PAGE, NORMAL };
	TEST_ASSERT(!__snp_launch_update(&v, &u, &error), "partial update: %s", strerror(errno));
	check_rmp();
	/* Progress: exactly the two pages done, as upstream reports it. */
	TEST_ASSERT_EQ(u.gfn_start, 0x102);
	TEST_ASSERT_EQ(u.len, 2 * PAGE);
	TEST_ASSERT_EQ(u.uaddr, (uintptr_t)buf + 2 * PAGE);
	INSPECT(TEST_ASSERT(gfn_rmp(v.vm, 0x100) & RMP_VALIDATED, "page 0 not launched"));
	INSPECT(TEST_ASSERT(gfn_rmp(v.vm, 0x101) & RMP_VALIDATED, "page 1 not launched"));
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, 0x102), 0));
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, 0x103), 0));
	/* Calling again fails on the bad page itself, with nothing done and nothing left. */
	TEST_ASSERT_ERRNO(__snp_launch_update(&v, &u, &error), EFAULT);
	TEST_ASSERT_EQ(u.gfn_start, 0x102);
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, 0x102), 0));
	/* The page the failed step allocated holds nothing stale: zeros. */
	INSPECT(TEST_ASSERT_EQ(host_gmem_page_is_zero(v.vm, 0x102), 1));
	check_rmp();
	/* Repair the source and continue where the kernel said: the undisturbed digest. */
	TEST_ASSERT(!mprotect(buf + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE), "mprotect");
	snp_launch_update(&v, u.gfn_start, (void *)(uintptr_t)u.uaddr, u.len, NORMAL);
	snp_launch_finish(&v);
	snp_get_digest(v.vm, digest);
	predict_after_punched(want);
	TEST_ASSERT(!memcmp(digest, want, 48), "a retried launch must give the same digest");
	snp_vm_destroy(&v);
}

/* The firmware refuses CPUID page 1 of 3: rollback of that page, corrected table returned. */
static void test_firmware_failure_mid_update(void)
{
	struct kvm_sev_snp_launch_update u;
	uint32_t *page1 = (uint32_t *)(src + PAGE), error = 0;
	struct snp_vm v;

	memset(src, 0, 3 * PAGE);
	page1[0] = 99;			/* CPUID count over 64 */
	snp_vm_create(&v, MEM, 0);
	snp_launch_start(&v);
	u = (struct kvm_sev_snp_launch_update){ 0x380, (uintptr_t)src, 3 * PAGE, CPUID };
	TEST_ASSERT(!__snp_launch_update(&v, &u, &error), "partial: %s", strerror(errno));
	TEST_ASSERT_EQ(u.gfn_start, 0x381);
	TEST_ASSERT_EQ(u.len, 2 * PAGE);
	INSPECT(TEST_ASSERT(gfn_rmp(v.vm, 0x380) & RMP_VALIDATED, "page 0 not launched"));
	/* Rolled back through the firmware. */
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, 0x381), 0));
	/* The firmware's correction is returned to the VMM. */
	TEST_ASSERT_EQ(page1[0], 64);
	check_rmp();
	/* Failing on the first page of a call: EIO and the firmware's status, no progress. */
	page1[0] = 99;
	TEST_ASSERT_ERRNO(__snp_launch_update(&v, &u, &error), EIO);
	TEST_ASSERT_EQ(error, 0x16);			/* INVALID_PARAM */
	TEST_ASSERT_EQ(u.gfn_start, 0x381);
	TEST_ASSERT_EQ(page1[0], 64);
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, 0x381), 0));
	check_rmp();
	/* The corrected table is accepted. */
	snp_launch_update(&v, u.gfn_start, (void *)(uintptr_t)u.uaddr, u.len, CPUID);
	INSPECT(TEST_ASSERT_EQ(host_snp_leaked_pages(), 0));
	snp_vm_destroy(&v);
}

/*
 * Each vCPU's VMSA is built from the state its VMM set: vCPU 0 in 64-bit mode, vCPU 1 in
 * protected mode elsewhere.  The prediction: kvm_coco_snp_vmsa() from the same state, checked
 * against the reset VMSA patched by hand at the VMSA's offsets.
 */
static void test_vmsa_follows_vcpu_state(void)
{
	struct kvm_coco_snp_measure *m = kvm_coco_snp_measure_new();
	uint8_t vmsa[PAGE], vmsa1[PAGE], digest[48], want[48];
	struct kvm_regs regs, regs0 = { .rip = 0x8000, .rsp = 0xf000, .rflags = 2 };
	struct kvm_sregs sregs, sregs0;
	struct snp_vm v;

	snp_vm_create(&v, MEM, 2);
	snp_launch_start(&v);
	vcpu_set_long_mode(v.vcpus[0], 0x1000);
	vcpu_set_descriptor_tables(v.vcpus[0], 0x4000, 23, 0x5000, 0xfff);
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[0], KVM_SET_REGS, &regs0), "SET_REGS");
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[0], KVM_GET_SREGS, &sregs0), "GET_SREGS");
	/* vCPU 1 starts elsewhere, in protected mode. */
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[1], KVM_GET_REGS, &regs), "GET_REGS");
	TEST_ASSERT_EQ(regs.rip, 0xfff0);
	regs.rip = 0x1234;
	regs.rax = 0xabcdef;
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[1], KVM_SET_REGS, &regs), "SET_REGS");
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[1], KVM_GET_SREGS, &sregs), "GET_SREGS");
	sregs.cr0 |= 1;
	TEST_ASSERT(!kvm_coco_ioctl(v.vcpus[1], KVM_SET_SREGS, &sregs), "SET_SREGS");
	kvm_coco_snp_vmsa(vmsa1, &regs, &sregs, 1);
	sregs.cr0 |= 1u << 31;
	sregs.cr0 &= ~1ull;		/* paging without protection */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vcpus[1], KVM_SET_SREGS, &sregs), EINVAL);
	snp_launch_finish(&v);

	kvm_coco_snp_vmsa(vmsa, &regs0, &sregs0, 1);
	TEST_ASSERT_EQ(*(uint64_t *)(vmsa + 0x150), 0x1000);			/* cr3 */
	TEST_ASSERT_EQ(*(uint64_t *)(vmsa + 0xd0), (1 << 8) | (1 << 10) | (1 << 12));
	TEST_ASSERT_EQ(*(uint16_t *)(vmsa + 0x10 + 2), 0x29b);	/* CS: code, L */
	TEST_ASSERT(!kvm_coco_snp_measure_page(m, 2, VMSA_GPA, vmsa), "vmsa 0");
	kvm_coco_snp_reset_vmsa(vmsa, 1);
	*(uint64_t *)(vmsa + 0x178) = 0x1234;	/* rip */
	*(uint64_t *)(vmsa + 0x1f8) = 0xabcdef;	/* rax */
	*(uint64_t *)(vmsa + 0x158) |= 1;	/* cr0.PE */
	TEST_ASSERT(!memcmp(vmsa, vmsa1, PAGE), "kvm_coco_snp_vmsa() is not the reset VMSA");
	TEST_ASSERT(!kvm_coco_snp_measure_page(m, 2, VMSA_GPA, vmsa), "vmsa 1");
	kvm_coco_snp_measure_digest(m, want);
	kvm_coco_snp_measure_free(m);
	snp_get_digest(v.vm, digest);
	TEST_ASSERT(!memcmp(digest, want, 48), "VMSA not built from the vCPU's state");
	/* The state is the guest's now. */
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vcpus[1], KVM_GET_REGS, &regs), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vcpus[1], KVM_SET_SREGS, &sregs), EINVAL);
	snp_vm_destroy(&v);
}

static void test_launch_finish_bad_input(void)
{
	struct kvm_sev_snp_launch_finish f = {};
	uint8_t id_block[96] = {}, digest[48];
	static uint8_t id_auth[4096];
	uint32_t error = 0;
	struct snp_vm v;
	int i;

	snp_vm_create(&v, MEM, 1);
	snp_launch_start(&v);
	f.flags = 1;
	TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, NULL), EINVAL);
	f.flags = 0;
	for (i = 0; i < 3; i++) {
		f.pad0[i] = 1;
		TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, NULL), EINVAL);
		f.pad0[i] = 0;
	}
	f.pad1[2] = 1;
	TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, NULL), EINVAL);
	f.pad1[2] = 0;
	f.id_block_en = 2;
	TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, NULL), EINVAL);
	f.id_block_en = 0;
	f.auth_key_en = 1;		/* a key with nothing to sign */
	TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, NULL), EINVAL);
	f.auth_key_en = 0;
	f.id_block_en = 1;
	f.id_block_uaddr = (uintptr_t)id_block;
	TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, NULL), EINVAL);	/* no ID auth */
	f.id_auth_uaddr = (uintptr_t)id_auth;
	f.id_block_uaddr = 8;
	TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, NULL), EFAULT);
	f.id_block_uaddr = (uintptr_t)id_block;
	f.id_auth_uaddr = 8;
	TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, NULL), EFAULT);
	f.id_auth_uaddr = (uintptr_t)id_auth;
	TEST_ASSERT_ERRNO(__snp_cmd(v.vm, v.sev, KVM_SEV_SNP_LAUNCH_FINISH, NULL, NULL), EFAULT);
	check_rmp();

	/* An ID block with the wrong digest: the firmware refuses; the VMSA stays measured. */
	f.id_block_uaddr = (uintptr_t)id_block;
	*(uint64_t *)(id_block + 88) = SNP_POLICY_DEFAULT;
	TEST_ASSERT_ERRNO(__snp_launch_finish(&v, &f, &error), EIO);
	TEST_ASSERT_EQ(error, 0x0b);	/* BAD_MEASUREMENT */
	check_rmp();
	/* With the right digest (one reset VMSA, nothing else) it finishes. */
	predict(digest, 0, 0, 1);
	memcpy(id_block, digest, 48);
	TEST_ASSERT(!__snp_launch_finish(&v, &f, &error), "FINISH with ID block: %s, fw %#x",
		    strerror(errno), error);
	snp_vm_destroy(&v);
}

static void test_teardown_returns_everything(void)
{
	struct host_counters before;
	struct snp_vm v;

	fill_src();
	kvm_close(kvm_open());
	host_get_counters(&before);
	snp_vm_create(&v, MEM, 3);
	snp_launch_start(&v);
	snp_launch_update(&v, 0x100, src, 8 * PAGE, NORMAL);
	snp_launch_update(&v, 0x200, NULL, 4 * PAGE, UNMEASURED);
	/* Punching a launched page hands it back to the host, shared. */
	gmem_fallocate(v.gmem, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0x100 * PAGE, PAGE);
	INSPECT(TEST_ASSERT_EQ(gfn_rmp(v.vm, 0x100), 0));
	check_rmp();
	snp_launch_finish(&v);
	/* Close the VM first: the guest_memfd and vCPUs keep it alive until they go. */
	kvm_close(v.vm);
	check_rmp();
	kvm_close(v.gmem);
	check_rmp();
	kvm_close(v.vcpus[0]);
	kvm_close(v.vcpus[1]);
	kvm_close(v.vcpus[2]);
	kvm_close(v.sev);
	check_rmp();
	assert_nothing_leaked(&before);
	INSPECT(TEST_ASSERT_EQ(host_snp_leaked_pages(), 0));
}

/*
 * Punching the range a LAUNCH_UPDATE is filling, from another thread: each page is either
 * launched and then handed back by the punch, or launched after it into a new page, never
 * launched into a page the punch already freed (which would leave a freed page assigned to
 * the guest: the RMP check after teardown finds such an entry with no owner).
 */
static void test_punch_races_launch(void)
{
	struct kvm_sev_snp_launch_update u;
	struct gmem_puncher p;
	struct snp_vm v;
	int round;

	for (round = 0; round < 8; round++) {
		snp_vm_create(&v, MEM, 1);
		snp_launch_start(&v);
		gmem_puncher_start(&p, v.gmem, RACE_PAGES * PAGE);
		u = (struct kvm_sev_snp_launch_update){ .len = RACE_PAGES * PAGE, .type = ZERO };
		while (u.len && !__snp_launch_update(&v, &u, NULL))
			;
		TEST_ASSERT(!u.len, "LAUNCH_UPDATE stopped with %llu bytes left: %s",
			    (unsigned long long)u.len, strerror(errno));
		gmem_puncher_stop(&p);
		check_rmp();
		snp_vm_destroy(&v);
		check_rmp();
	}
	INSPECT(TEST_ASSERT_EQ(host_snp_leaked_pages(), 0));
}

static void test_asids_run_out_and_come_back(void)
{
	static int vms[100];
	struct kvm_sev_init init = {};
	int sev = kvm_coco_open_sev(), i, n = 0;

	for (i = 0; i < 100; i++) {
		vms[i] = vm_create(KVM_X86_SNP_VM);
		if (__snp_cmd(vms[i], sev, KVM_SEV_INIT2, &init, NULL))
			break;
		n++;
	}
	TEST_ASSERT(n == 99 && errno == EBUSY, "%d SNP ASIDs, then errno %d", n, errno);
	kvm_close(vms[0]);
	TEST_ASSERT(!__snp_cmd(vms[n], sev, KVM_SEV_INIT2, &init, NULL), "freed ASID reused");
	for (i = 1; i <= n; i++)
		kvm_close(vms[i]);
	kvm_close(sev);
}

static unsigned int read_trace(int vm, struct kvm_coco_trace_entry *e, unsigned int nr,
			       uint64_t *seq)
{
	struct kvm_coco_trace t = { .entries = (uintptr_t)e, .nr = nr, .seq = *seq };

	TEST_ASSERT(!kvm_coco_ioctl(vm, KVM_COCO_GET_TRACE, &t), "GET_TRACE: %s",
		    strerror(errno));
	TEST_ASSERT_EQ(t.dropped, 0);
	*seq = t.seq;
	return t.nr;
}

/*
 * Lock order, as upstream: kvm->lock -> vcpu->mutex -> kvm->slots_lock.  SNP's LAUNCH_FINISH
 * (under kvm->lock) takes each vCPU's mutex while it measures the vCPU's state; a TD's vCPU
 * commands (under vcpu->mutex) take slots_lock, never kvm->lock.  Both in one process: the
 * library's lockdep reports an inversion as a WARN.
 */
static void test_lock_order_snp_and_tdx(void)
{
	struct host_counters base, now;
	struct snp_vm v;
	struct td t;

	host_get_counters(&base);
	td_create(MEM, &t);
	snp_vm_create(&v, MEM, 1);
	snp_launch_start(&v);
	snp_launch_finish(&v);
	snp_vm_destroy(&v);
	td_destroy(&t);
	host_get_counters(&now);
	INSPECT(TEST_ASSERT_EQ(now.warnings, base.warnings));
}

static void test_every_rmp_transition_is_traced(void)
{
	struct kvm_coco_trace_entry e[16];
	struct kvm_coco_trace bad = {};
	struct kvm_sev_snp_launch_update u;
	uint64_t seq = 0;
	struct snp_vm v;
	unsigned int n, i;

	fill_src();
	snp_vm_create(&v, MEM, 0);
	TEST_ASSERT_EQ(read_trace(v.vm, e, 16, &seq), 0);
	snp_launch_start(&v);
	/* The guest's context page goes to the firmware: assigned, immutable, ASID 0. */
	TEST_ASSERT_EQ(read_trace(v.vm, e, 16, &seq), 1);
	TEST_ASSERT_EQ(e[0].op, KVM_COCO_RMP_MAKE_FIRMWARE);
	TEST_ASSERT(!e[0].old_rmp && (e[0].new_rmp & 5) == 5 && !(e[0].new_rmp >> 51),
		    "firmware page %#llx", (unsigned long long)e[0].new_rmp);
	snp_launch_update(&v, 0x100, src, 2 * PAGE, NORMAL);
	/* Per page: KVM makes it private (immutable), then the firmware makes it guest-valid. */
	n = read_trace(v.vm, e, 16, &seq);
	TEST_ASSERT_EQ(n, 4);
	for (i = 0; i < 4; i++) {
		TEST_ASSERT_EQ(e[i].seq, i + 2);
		TEST_ASSERT_EQ(e[i].op, i % 2 ? KVM_COCO_RMP_FW_LAUNCH : KVM_COCO_RMP_MAKE_PRIVATE);
		TEST_ASSERT_EQ(e[i].ret, 0);
		TEST_ASSERT(!i || e[i].ts_ns >= e[i - 1].ts_ns, "time went backwards");
	}
	TEST_ASSERT(e[0].old_rmp == 0 && (e[0].new_rmp & 5) == 5, "private+immutable %#llx",
		    (unsigned long long)e[0].new_rmp);
	TEST_ASSERT_EQ(e[1].pfn, e[0].pfn);
	TEST_ASSERT_EQ(e[1].old_rmp, e[0].new_rmp);
	TEST_ASSERT((e[1].new_rmp & RMP_VALIDATED) && !(e[1].new_rmp & 4), "guest-valid");
	TEST_ASSERT_EQ((e[1].new_rmp >> 12) & ((1ull << 39) - 1), 0x100);	/* the gpa */
	/* Reading again from the returned cursor gives nothing new. */
	TEST_ASSERT_EQ(read_trace(v.vm, e, 16, &seq), 0);

	/* A refused launch changes no entry: nothing traced.  Punching makes a page shared. */
	u = (struct kvm_sev_snp_launch_update){ 0x100, 0, PAGE, ZERO };
	TEST_ASSERT_ERRNO(__snp_launch_update(&v, &u, NULL), EEXIST);
	gmem_fallocate(v.gmem, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0x101 * PAGE, PAGE);
	n = read_trace(v.vm, e, 16, &seq);
	TEST_ASSERT_EQ(n, 1);
	TEST_ASSERT(e[0].op == KVM_COCO_RMP_MAKE_SHARED && !e[0].new_rmp && !e[0].ret, "punch");

	bad.flags = 1;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vm, KVM_COCO_GET_TRACE, &bad), EINVAL);
	bad.flags = 0;
	bad.reserved[1] = 1;
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vm, KVM_COCO_GET_TRACE, &bad), EINVAL);
	bad = (struct kvm_coco_trace){ .entries = 8, .nr = 4 };
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(v.vm, KVM_COCO_GET_TRACE, &bad), EFAULT);
	snp_vm_destroy(&v);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_every_rmp_transition_is_traced),
		KSFT_TEST(test_lock_order_snp_and_tdx),
		KSFT_TEST(test_launch_flow),
		KSFT_TEST(test_init2_bad_input),
		KSFT_TEST(test_launch_start_bad_input),
		KSFT_TEST(test_launch_update_bad_input),
		KSFT_TEST(test_partial_failure_and_retry),
		KSFT_TEST(test_firmware_failure_mid_update),
		KSFT_TEST(test_vmsa_follows_vcpu_state),
		KSFT_TEST(test_launch_finish_bad_input),
		KSFT_TEST(test_teardown_returns_everything),
		KSFT_TEST(test_asids_run_out_and_come_back),
		KSFT_TEST(test_punch_races_launch),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
