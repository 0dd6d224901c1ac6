// SPDX-License-Identifier: GPL-2.0
/*
 * TDX build through KVM_MEMORY_ENCRYPT_OP: the whole flow (its MRTD equals the one
 * kvm_coco_tdx_measure predicts), bad input on every field of INIT_VM, INIT_VCPU,
 * INIT_MEM_REGION and FINALIZE_VM, wrong order and repeats, an unreadable source in the
 * middle of a region (exact progress; the rest added after gives the undisturbed MRTD), a
 * page taken back from a live TD, and teardown that returns every page.
 */
#include <sys/mman.h>

#include <linux/kvm_coco.h>

#include "kvm_util.h"
#include "tdx.h"
#include "kvm-coco-test.h"

#define MEM		(4ul << 20)
#define PAGE		PAGE_SIZE
#define MEASURE		KVM_TDX_MEASURE_MEMORY_REGION
#define RACE_PAGES	256

static uint8_t src[4 * PAGE] __attribute__((aligned(4096)));

static int add_region(struct td *t, uint64_t gpa, const void *from, uint64_t n, uint32_t flags,
		      struct kvm_tdx_init_mem_region *out)
{
	struct kvm_tdx_init_mem_region r = { .source_addr = (uintptr_t)from, .gpa = gpa,
					     .nr_pages = n };
	int ret = tdx_cmd(t->vcpu, KVM_TDX_INIT_MEM_REGION, flags, (uintptr_t)&r, NULL);

	if (out)
		*out = r;
	check_pamt();
	return ret;
}

static void get_mrtd(int vm, uint8_t out[48])
{
	struct kvm_coco_tdx_mrtd m = {};

	TEST_ASSERT_EQ(kvm_coco_ioctl(vm, KVM_COCO_TDX_GET_MRTD, &m), 0);
	memcpy(out, m.mrtd, 48);
}

/* Two measured pages of src at 0x100000, one unmeasured at 0x200000, as measure computes. */
static void predict(uint8_t out[48])
{
	struct kvm_coco_tdx_measure *m = kvm_coco_tdx_measure_new();

	TEST_ASSERT(m, "measure");
	TEST_ASSERT(!kvm_coco_tdx_measure_page(m, 0x100000, src, 1), "page 0");
	TEST_ASSERT(!kvm_coco_tdx_measure_page(m, 0x101000, src + PAGE, 1), "page 1");
	TEST_ASSERT(!kvm_coco_tdx_measure_page(m, 0x200000, src + 2 * PAGE, 0), "page 2");
	TEST_ASSERT(!kvm_coco_tdx_measure_digest(m, out), "digest");
	kvm_coco_tdx_measure_free(m);
}

static void fill_src(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 13 + i / PAGE);
}

static void test_build_flow(void)
{
	struct kvm_tdx_init_mem_region r;
	uint8_t mrtd[48], want[48];
	struct td t;

	fill_src();
	td_create(MEM, &t);
	TEST_ASSERT_EQ(add_region(&t, 0x100000, src, 2, MEASURE, &r), 0);
	/* The progress: everything done. */
	TEST_ASSERT_EQ(r.nr_pages, 0);
	TEST_ASSERT_EQ(r.gpa, 0x102000);
	TEST_ASSERT_EQ(r.source_addr, (uintptr_t)src + 2 * PAGE);
	TEST_ASSERT_EQ(add_region(&t, 0x200000, src + 2 * PAGE, 1, 0, NULL), 0);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(t.vm, KVM_COCO_TDX_GET_MRTD,
					 &(struct kvm_coco_tdx_mrtd){}), EINVAL);
	TEST_ASSERT_EQ(tdx_cmd(t.vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), 0);
	get_mrtd(t.vm, mrtd);
	predict(want);
	TEST_ASSERT(!memcmp(mrtd, want, 48), "MRTD differs from kvm_coco_tdx_measure's");
	td_destroy(&t);
}

/*
 * CAPABILITIES: the configurable CPUID leaves (E2BIG without room for them all), what INIT_VM
 * then accepts, and refuses one bit beyond.
 */
static void test_capabilities(void)
{
	static struct {
		struct kvm_tdx_capabilities caps;
		struct kvm_cpuid_entry2 e[6];
	} a;
	struct kvm_tdx_capabilities caps;
	struct kvm_tdx_init_vm p = {};
	int vm = vm_create(KVM_X86_TDX_VM);
	unsigned int i;

	memset(&a, 0xff, sizeof(a));
	a.caps.cpuid.nent = 3;
	TEST_ASSERT_ERRNO(tdx_cmd(vm, KVM_TDX_CAPABILITIES, 0, (uintptr_t)&a, NULL), E2BIG);
	a.caps.cpuid.nent = 6;
	TEST_ASSERT_EQ(tdx_cmd(vm, KVM_TDX_CAPABILITIES, 0, (uintptr_t)&a, NULL), 0);
	caps = a.caps;
	TEST_ASSERT_EQ(caps.supported_xfam & 0x3, 0x3);
	TEST_ASSERT_EQ(caps.cpuid.nent, 4);
	TEST_ASSERT(a.e[0].function == 1 && !a.e[0].flags && a.e[0].eax == ~0u &&
		    a.e[0].edx == ~0u, "leaf 1: every bit");
	TEST_ASSERT(a.e[1].function == 7 && !a.e[1].index &&
		    a.e[1].flags == KVM_CPUID_FLAG_SIGNIFCANT_INDEX && !a.e[1].eax &&
		    a.e[1].ebx == ~0u, "leaf 7.0: EBX-EDX");
	TEST_ASSERT(a.e[2].function == 0x80000001 && !a.e[2].eax && a.e[2].ecx == ~0u,
		    "leaf 0x80000001: ECX, EDX");
	TEST_ASSERT(a.e[3].function == 0x80000008 && a.e[3].eax == 0xffff && !a.e[3].ebx,
		    "leaf 0x80000008: the address widths");
	TEST_ASSERT_EQ(a.e[4].function, ~0u);		/* room left untouched */
	for (i = 0; i < 250; i++)
		TEST_ASSERT_EQ(caps.reserved[i], 0);
	/* Every supported bit at once is accepted... */
	p.attributes = caps.supported_attrs;
	p.xfam = caps.supported_xfam;
	p.attributes |= 1ull << 63;		/* ...and a bit outside is not */
	TEST_ASSERT_ERRNO(tdx_init_vm(vm, &p, 0), EINVAL);
	p.attributes = caps.supported_attrs;
	TEST_ASSERT_EQ(tdx_init_vm(vm, &p, 0), 0);
	kvm_close(vm);
}

static void test_init_vm_bad_input(void)
{
	struct kvm_tdx_init_vm p = { .xfam = 0x3 };
	struct kvm_tdx_cmd cmd = { .id = KVM_TDX_INIT_VM, .hw_error = 1 };
	int vm = vm_create(KVM_X86_TDX_VM), vcpu;

	TEST_ASSERT_ERRNO(kvm_coco_ioctl(vm, KVM_MEMORY_ENCRYPT_OP, &cmd), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vm, KVM_TDX_INIT_VM, 1, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vm, KVM_TDX_INIT_VM, 0, 0, NULL), EFAULT);
	TEST_ASSERT_ERRNO(tdx_cmd(vm, KVM_TDX_CMD_NR_MAX, 0, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vm, KVM_TDX_CAPABILITIES, 0, 0, NULL), EFAULT);
	TEST_ASSERT_ERRNO(tdx_cmd(vm, KVM_TDX_CAPABILITIES, 1, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_init_vm(vm, NULL, 257), E2BIG);
	p.reserved[11] = 1;
	TEST_ASSERT_ERRNO(tdx_init_vm(vm, &p, 1), EINVAL);
	p.reserved[11] = 0;
	p.attributes = 1ull << 1;
	TEST_ASSERT_ERRNO(tdx_init_vm(vm, &p, 1), EINVAL);
	p.attributes = 0;
	p.xfam = 0x1;				/* without SSE */
	TEST_ASSERT_ERRNO(tdx_init_vm(vm, &p, 1), EINVAL);
	p.xfam = 0x3 | (1ull << 8);
	TEST_ASSERT_ERRNO(tdx_init_vm(vm, &p, 1), EINVAL);
	/* Not before INIT_VM: vCPU commands, FINALIZE. */
	vcpu = vm_create_vcpu(vm, 0);
	/* Each command on its own kind of descriptor only. */
	TEST_ASSERT_ERRNO(tdx_cmd(vcpu, KVM_TDX_INIT_VM, 0, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vcpu, KVM_TDX_FINALIZE_VM, 0, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vm, KVM_TDX_INIT_VCPU, 0, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vm, KVM_TDX_INIT_MEM_REGION, 0, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vcpu, KVM_TDX_GET_CPUID, 0, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vcpu, KVM_TDX_INIT_VCPU, 0, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), EINVAL);
	/* And INIT_VM comes before any vCPU. */
	TEST_ASSERT_ERRNO(tdx_init_vm(vm, NULL, 1), EINVAL);
	kvm_close(vcpu);
	kvm_close(vm);

	vm = vm_create(KVM_X86_TDX_VM);
	TEST_ASSERT_EQ(tdx_init_vm(vm, NULL, 0), 0);
	TEST_ASSERT_ERRNO(tdx_init_vm(vm, NULL, 1), EINVAL);	/* twice */
	kvm_close(vm);

	/* Another VM type: the vCPU has no such ioctl. */
	vm = vm_create(KVM_X86_SW_PROTECTED_VM);
	vcpu = vm_create_vcpu(vm, 0);
	TEST_ASSERT_ERRNO(tdx_cmd(vcpu, KVM_TDX_INIT_VCPU, 0, 0, NULL), ENOTTY);
	kvm_close(vcpu);
	kvm_close(vm);
}

/* INIT_VM with these CPUID entries (and XFAM x87, SSE, AVX). */
static int init_vm_cpuid(int vm, const struct kvm_cpuid_entry2 *e, uint32_t nent,
			 uint64_t *hw_error)
{
	const struct kvm_tdx_init_vm p = { .xfam = 0x7 };

	return __tdx_init_vm(vm, &p, e, nent, hw_error);
}

static const struct kvm_cpuid_entry2 *find(const struct kvm_cpuid_entry2 *e, uint32_t n,
					   uint32_t function, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (e[i].function == function && e[i].index == index)
			return &e[i];
	TEST_ASSERT(false, "GET_CPUID: no leaf %#x.%u", function, index);
	return NULL;
}

/*
 * INIT_VM's CPUID entries: only the configurable leaves, only their configurable bits.
 * GET_CPUID, on a vCPU, while the TD is built: the room it needs (E2BIG), then the leaves the
 * module holds: the fixed ones, the configured ones, XSAVE's sizes from XFAM, the guest
 * physical address width from the TD's shared bit.
 */
static void test_cpuid(void)
{
	const struct kvm_cpuid_entry2 cfg[3] = {
		{ .function = 1, .eax = 0x806f8, .ecx = 1u << 31, .edx = 1 },
		{ .function = 7, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .ebx = 0x1234 },
		{ .function = 0x80000008, .eax = 0x00ff3034 },	/* 52 bits: shared bit 51 */
	};
	const struct kvm_cpuid_entry2 *e;
	struct kvm_cpuid_entry2 bad[2] = { cfg[0], cfg[0] };
	static struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[16];
	} out;
	uint64_t hw_error = 0;
	int vm, vcpu;

	vm = vm_create_model(KVM_X86_TDX_VM);
	TEST_ASSERT_ERRNO(init_vm_cpuid(vm, (struct kvm_cpuid_entry2[]){ { .function = 2 } }, 1,
					NULL), EINVAL);
	TEST_ASSERT_ERRNO(init_vm_cpuid(vm, bad, 2, NULL), EINVAL);	/* one leaf twice */
	bad[0] = (struct kvm_cpuid_entry2){ .function = 0x80000001, .eax = 1 };
	TEST_ASSERT_ERRNO(init_vm_cpuid(vm, bad, 1, &hw_error), EIO);	/* not configurable */
	TEST_ASSERT_EQ(hw_error, 0xC000010000000002ull);	/* TDX_OPERAND_INVALID, RDX */
	TEST_ASSERT_EQ(init_vm_cpuid(vm, cfg, 3, NULL), 0);
	vcpu = vm_create_vcpu(vm, 0);
	TEST_ASSERT_EQ(tdx_cmd(vcpu, KVM_TDX_INIT_VCPU, 0, 0, NULL), 0);

	TEST_ASSERT_ERRNO(tdx_cmd(vm, KVM_TDX_GET_CPUID, 0, (uintptr_t)&out, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vcpu, KVM_TDX_GET_CPUID, 1, (uintptr_t)&out, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(vcpu, KVM_TDX_GET_CPUID, 0, 0, NULL), EFAULT);
	memset(&out, 0xff, sizeof(out));
	out.c.nent = 2;
	TEST_ASSERT_ERRNO(tdx_cmd(vcpu, KVM_TDX_GET_CPUID, 0, (uintptr_t)&out, NULL), E2BIG);
	TEST_ASSERT_EQ(out.c.nent, 7);
	TEST_ASSERT_EQ(out.e[0].function, ~0u);			/* nothing written */
	out.c.nent = 16;
	TEST_ASSERT_EQ(tdx_cmd(vcpu, KVM_TDX_GET_CPUID, 0, (uintptr_t)&out, NULL), 0);
	TEST_ASSERT_EQ(out.c.nent, 7);
	e = find(out.e, 7, 0, 0);
	TEST_ASSERT(e->eax == 0xd && e->ebx == 0x756e6547 && !e->flags, "leaf 0");
	e = find(out.e, 7, 1, 0);
	TEST_ASSERT(e->eax == cfg[0].eax && e->ecx == cfg[0].ecx && e->edx == 1, "leaf 1");
	e = find(out.e, 7, 7, 0);
	TEST_ASSERT(e->ebx == 0x1234 && e->flags == KVM_CPUID_FLAG_SIGNIFCANT_INDEX, "leaf 7");
	e = find(out.e, 7, 0xd, 0);
	TEST_ASSERT(e->eax == 0x7 && e->ebx == 832 && e->ecx == 832 && !e->edx, "leaf 0xd");
	e = find(out.e, 7, 0x80000000, 0);
	TEST_ASSERT_EQ(e->eax, 0x80000008);
	e = find(out.e, 7, 0x80000001, 0);
	TEST_ASSERT(!e->eax && !e->ecx && !e->edx, "leaf 0x80000001: not configured");
	e = find(out.e, 7, 0x80000008, 0);
	TEST_ASSERT_EQ(e->eax, 0x00343034);

	TEST_ASSERT_EQ(tdx_cmd(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), 0);
	TEST_ASSERT_ERRNO(tdx_cmd(vcpu, KVM_TDX_GET_CPUID, 0, (uintptr_t)&out, NULL), EINVAL);
	kvm_close(vcpu);
	kvm_close(vm);
	check_pamt();
}

static void test_mem_region_bad_input(void)
{
	struct kvm_tdx_init_mem_region r;
	uint8_t *end = test_alloc_mem(2 * PAGE);
	struct td t;

	fill_src();
	td_create(MEM, &t);
	TEST_ASSERT_ERRNO(tdx_cmd(t.vcpu, KVM_TDX_INIT_VCPU, 0, 0, NULL), EINVAL);  /* twice */
	TEST_ASSERT_ERRNO(add_region(&t, 0x100000, src, 1, 2, NULL), EINVAL);
	TEST_ASSERT_ERRNO(add_region(&t, 0x100000, src + 8, 1, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(add_region(&t, 0x100800, src, 1, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(add_region(&t, 0x100000, src, 0, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(add_region(&t, 0x100000, src, 1ull << 52, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(add_region(&t, -0x1000ull, src, 2, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(add_region(&t, SHARED_BIT, src, 1, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(add_region(&t, SHARED_BIT - PAGE, src, 2, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(add_region(&t, MEM, src, 1, 0, NULL), EINVAL);	/* no slot */
	TEST_ASSERT_ERRNO(tdx_cmd(t.vcpu, KVM_TDX_INIT_MEM_REGION, 0, 0, NULL), EFAULT);
	vm_mem_set_shared(t.vm, 0x300000, PAGE);
	TEST_ASSERT_ERRNO(add_region(&t, 0x300000, src, 1, 0, NULL), EINVAL);	/* shared */

	/* An unreadable second source page: the first is added and reported done. */
	memcpy(end, src, PAGE);
	TEST_ASSERT(!mprotect(end + PAGE, PAGE, PROT_NONE), "mprotect");
	TEST_ASSERT_ERRNO(add_region(&t, 0x100000, end, 2, MEASURE, &r), EFAULT);
	TEST_ASSERT_EQ(r.nr_pages, 1);
	TEST_ASSERT_EQ(r.gpa, 0x101000);
	TEST_ASSERT_EQ(r.source_addr, (uintptr_t)end + PAGE);
	/* The same page twice. */
	TEST_ASSERT_ERRNO(add_region(&t, 0x100000, src, 1, 0, NULL), EEXIST);
	/* Continue where KVM said: the MRTD of an undisturbed build. */
	TEST_ASSERT_EQ(add_region(&t, 0x101000, src + PAGE, 1, MEASURE, NULL), 0);
	TEST_ASSERT_EQ(add_region(&t, 0x200000, src + 2 * PAGE, 1, 0, NULL), 0);

	TEST_ASSERT_ERRNO(tdx_cmd(t.vm, KVM_TDX_FINALIZE_VM, 1, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(t.vm, KVM_TDX_FINALIZE_VM, 0, 1, NULL), EINVAL);
	TEST_ASSERT_EQ(tdx_cmd(t.vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), 0);
	{
		uint8_t mrtd[48], want[48];

		get_mrtd(t.vm, mrtd);
		predict(want);
		TEST_ASSERT(!memcmp(mrtd, want, 48), "a continued build's MRTD differs");
	}
	/* After FINALIZE: no more pages, no second FINALIZE. */
	TEST_ASSERT_ERRNO(add_region(&t, 0x300000, src, 1, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(tdx_cmd(t.vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(t.vm, KVM_COCO_TDX_GET_MRTD,
					 &(struct kvm_coco_tdx_mrtd){ .flags = 1 }), EINVAL);
	td_destroy(&t);
}

static void test_teardown_returns_everything(void)
{
	struct host_counters before;
	struct td t;

	fill_src();
	kvm_close(kvm_open());
	host_get_counters(&before);
	td_create(MEM, &t);
	TEST_ASSERT_EQ(add_region(&t, 0x100000, src, 4, MEASURE, NULL), 0);
	/* Punching a page of a live TD takes it back: BLOCK, TRACK, REMOVE. */
	gmem_fallocate(t.gmem, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0x101000, PAGE);
	TEST_ASSERT_EQ(add_region(&t, 0x101000, src, 1, 0, NULL), 0);	/* a new page */
	TEST_ASSERT_EQ(tdx_cmd(t.vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), 0);
	/* The VM first, then the guest_memfd that holds it: all comes back either way. */
	kvm_close(t.vcpu);
	kvm_close(t.vm);
	kvm_close(t.gmem);
	check_pamt();
	assert_nothing_leaked(&before);
}

/*
 * Memory running out at each allocation of INIT_MEM_REGION in turn: the call fails cleanly
 * (ENOMEM, or EBUSY when the module could not get memory; progress exact), the PAMT stays
 * consistent, a retry finishes the region with the undisturbed MRTD, and teardown returns
 * every page.
 */
static void test_out_of_memory_loses_nothing(void)
{
	struct host_counters before;
	struct kvm_tdx_init_mem_region r;
	uint8_t mrtd[48], want[48];
	unsigned int n;
	struct td t;
	int ret;

	TEST_SKIP_UNLESS(host_is_library(), "allocation failures are injected in the library host");
	fill_src();
	kvm_close(kvm_open());
	host_get_counters(&before);
	for (n = 1; n < 12; n++) {
		td_create(MEM, &t);
		host_fail_alloc_after(n);
		ret = add_region(&t, 0x100000, src, 2, MEASURE, &r);
		host_fail_alloc_after(0);
		/* Our allocations: ENOMEM; the module's own: OPERAND_BUSY, EBUSY. */
		TEST_ASSERT(!ret || errno == ENOMEM || errno == EBUSY, "allocation %u: %s", n,
			    strerror(errno));
		if (r.nr_pages)
			TEST_ASSERT_EQ(add_region(&t, r.gpa, (void *)(uintptr_t)r.source_addr,
						  r.nr_pages, MEASURE, NULL), 0);
		TEST_ASSERT_EQ(add_region(&t, 0x200000, src + 2 * PAGE, 1, 0, NULL), 0);
		TEST_ASSERT_EQ(tdx_cmd(t.vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), 0);
		get_mrtd(t.vm, mrtd);
		predict(want);
		TEST_ASSERT(!memcmp(mrtd, want, 48), "allocation %u: the MRTD differs", n);
		td_destroy(&t);
	}
	assert_nothing_leaked(&before);
}

/* A TD built on the model engine, stopping at the first step KVM refuses (EIO). */
static void td_build_flow(void)
{
	int vm = vm_create_model(KVM_X86_TDX_VM), gmem, vcpu = -1;

	gmem = vm_create_guest_memfd(vm, MEM, 0);
	vm_set_user_memory_region2(vm, 0, KVM_MEM_GUEST_MEMFD, 0, MEM, NULL, gmem, 0);
	vm_mem_set_private(vm, 0, MEM);
	if (tdx_init_vm(vm, NULL, 1))
		goto refused;
	vcpu = vm_create_vcpu(vm, 0);
	if (tdx_cmd(vcpu, KVM_TDX_INIT_VCPU, 0, 0, NULL) ||
	    add_region(&(struct td){ .vm = vm, .gmem = gmem, .vcpu = vcpu }, 0x100000, src, 2,
		       MEASURE, NULL) ||
	    tdx_cmd(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL))
		goto refused;
	goto out;
refused:
	TEST_ASSERT(errno == EIO, "a refused SEAMCALL: errno %d", errno);
out:
	if (vcpu >= 0)
		kvm_close(vcpu);
	kvm_close(vm);
	kvm_close(gmem);
	check_pamt();
}

/*
 * Each SEAMCALL of a whole TD build and teardown fails in turn.  After each: KVM reported it
 * (EIO) or cleaned up after it, the PAMT is consistent, nothing warns, and every page not
 * given back is one the module kept, counted as leaked (a refused KEY.FREEID keeps them all,
 * and the HKID).
 */
static void test_every_seamcall_failure_in_a_build(void)
{
	struct host_counters before, now;
	unsigned long leaked;
	unsigned int n, hits;
	bool hit;

	TEST_SKIP_UNLESS(host_is_library(), "SEAMCALL failures are injected in the library host");
	fill_src();
	for (n = 1, hits = 0; ; n++, hits++) {
		host_get_counters(&before);
		leaked = host_tdx_leaked_pages();
		host_tdx_fail(n, 0xC000010000000000ull);	/* TDX_OPERAND_INVALID */
		td_build_flow();
		hit = host_tdx_failed();
		host_tdx_fail(0, 0);
		/* The flow has fewer than n SEAMCALLs: all were tried. */
		if (!hit)
			break;
		host_get_counters(&now);
		TEST_ASSERT_EQ(now.files, before.files);
		TEST_ASSERT_EQ(now.vmallocs, before.vmallocs);
		TEST_ASSERT(now.pages - before.pages == host_tdx_leaked_pages() - leaked,
			    "SEAMCALL %u: %ld pages kept, %lu counted as leaked", n,
			    now.pages - before.pages, host_tdx_leaked_pages() - leaked);
		TEST_ASSERT_EQ(now.warnings, before.warnings);
	}
	ksft_print_msg("%u SEAMCALLs in a TD build and teardown, each failed once\n", hits);
	TEST_ASSERT(hits >= 20, "only %u SEAMCALLs", hits);
}

/*
 * Punching the range INIT_MEM_REGION is adding, from another thread: a page the punch freed
 * is never added to the TD afterwards (the TD would hold a page the host allocator hands out
 * again, here to the next gfn, which then fails with EEXIST).  Every add completes and every
 * page goes back at teardown.
 */
static void test_punch_races_add(void)
{
	struct kvm_tdx_init_mem_region r;
	struct host_counters before;
	struct gmem_puncher p;
	void *from = test_alloc_mem(RACE_PAGES * PAGE);
	struct td t;
	int round;

	kvm_close(kvm_open());
	host_get_counters(&before);
	for (round = 0; round < 8; round++) {
		td_create(MEM, &t);
		gmem_puncher_start(&p, t.gmem, RACE_PAGES * PAGE);
		r = (struct kvm_tdx_init_mem_region){ .source_addr = (uintptr_t)from,
						      .nr_pages = RACE_PAGES };
		while (r.nr_pages && !tdx_cmd(t.vcpu, KVM_TDX_INIT_MEM_REGION, 0, (uintptr_t)&r,
					      NULL))
			;
		/* A page freed under the add would come back as another gfn's: EEXIST. */
		TEST_ASSERT(!r.nr_pages, "INIT_MEM_REGION stopped with %llu pages left: %s",
			    (unsigned long long)r.nr_pages, strerror(errno));
		gmem_puncher_stop(&p);
		check_pamt();
		td_destroy(&t);
	}
	munmap(from, RACE_PAGES * PAGE);
	assert_nothing_leaked(&before);
}

static void test_hkids_run_out_and_come_back(void)
{
	static int vms[33];
	unsigned int i;

	/* 32 HKIDs (32..63): the 33rd TD cannot get a key until one is freed. */
	for (i = 0; i < 32; i++) {
		vms[i] = vm_create(KVM_X86_TDX_VM);
		TEST_ASSERT_EQ(tdx_init_vm(vms[i], NULL, 0), 0);
	}
	vms[32] = vm_create(KVM_X86_TDX_VM);
	TEST_ASSERT_ERRNO(tdx_init_vm(vms[32], NULL, 0), EBUSY);
	kvm_close(vms[0]);
	TEST_ASSERT_EQ(tdx_init_vm(vms[32], NULL, 0), 0);
	for (i = 1; i < 33; i++)
		kvm_close(vms[i]);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_build_flow),
		KSFT_TEST(test_capabilities),
		KSFT_TEST(test_cpuid),
		KSFT_TEST(test_init_vm_bad_input),
		KSFT_TEST(test_mem_region_bad_input),
		KSFT_TEST(test_teardown_returns_everything),
		KSFT_TEST(test_out_of_memory_loses_nothing),
		KSFT_TEST(test_every_seamcall_failure_in_a_build),
		KSFT_TEST(test_hkids_run_out_and_come_back),
		KSFT_TEST(test_punch_races_add),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
