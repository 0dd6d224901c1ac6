// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CPUID a vCPU's guest sees: the table the VMM hands in with KVM_SET_CPUID2, and the
 * CPUID instruction's exit, answered from it.  As upstream: at most KVM_MAX_CPUID_ENTRIES
 * entries; once the vCPU has run, only the same table again (same leaves and values: EINVAL
 * otherwise); a leaf the table lacks reads as zeros (the AMD behaviour: the model's CPU is
 * AMD's).
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include <asm/sev.h>
#include <linux/kvm_para.h>

#include "x86.h"

#define CPUID_INSN_LEN			2		/* 0f a2 */

static bool kvm_cpuid_same(const struct kvm_vcpu_arch *a, const struct kvm_cpuid_entry2 *e,
			   u32 nent)
{
	const struct kvm_cpuid_entry2 *o = a->cpuid_entries;
	u32 i;

	if (nent != a->cpuid_nent)
		return false;
	for (i = 0; i < nent; i++)
		if (e[i].function != o[i].function || e[i].index != o[i].index ||
		    e[i].eax != o[i].eax || e[i].ebx != o[i].ebx || e[i].ecx != o[i].ecx ||
		    e[i].edx != o[i].edx)
			return false;
	return true;
}

int kvm_vcpu_ioctl_set_cpuid2(struct kvm_vcpu *vcpu, struct kvm_cpuid2 __user *argp)
{
	struct kvm_vcpu_arch *a = &vcpu->arch;
	struct kvm_cpuid_entry2 *e = NULL;
	struct kvm_cpuid2 c;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	if (c.nent > KVM_MAX_CPUID_ENTRIES)
		return -E2BIG;
	if (c.nent) {
		e = kvcalloc(c.nent, sizeof(*e), GFP_KERNEL_ACCOUNT);
		if (!e)
			return -ENOMEM;
		if (copy_from_user(e, argp->entries, c.nent * sizeof(*e))) {
			kvfree(e);
			return -EFAULT;
		}
	}
	/* A guest that has run keeps the CPU it saw. */
	if (a->has_run) {
		int r = kvm_cpuid_same(a, e, c.nent) ? 0 : -EINVAL;

		kvfree(e);
		return r;
	}
	kvfree(a->cpuid_entries);
	a->cpuid_entries = e;
	a->cpuid_nent = c.nent;
	return 0;
}

int kvm_vcpu_ioctl_get_cpuid2(struct kvm_vcpu *vcpu, struct kvm_cpuid2 __user *argp)
{
	struct kvm_vcpu_arch *a = &vcpu->arch;
	size_t bytes = a->cpuid_nent * sizeof(*a->cpuid_entries);
	struct kvm_cpuid2 c;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	if (c.nent < a->cpuid_nent)
		return -E2BIG;
	if (bytes && copy_to_user(argp->entries, a->cpuid_entries, bytes))
		return -EFAULT;
	c.nent = a->cpuid_nent;
	return copy_to_user(argp, &c, sizeof(c)) ? -EFAULT : 0;
}

void kvm_vcpu_free_cpuid(struct kvm_vcpu *vcpu)
{
	kvfree(vcpu->arch.cpuid_entries);
	vcpu->arch.cpuid_entries = NULL;
	vcpu->arch.cpuid_nent = 0;
}

static const struct kvm_cpuid_entry2 *kvm_find_cpuid_entry(struct kvm_vcpu *vcpu, u32 function,
							    u32 index)
{
	const struct kvm_cpuid_entry2 *e;
	u32 i;

	for (i = 0; i < vcpu->arch.cpuid_nent; i++) {
		e = &vcpu->arch.cpuid_entries[i];
		if (e->function == function &&
		    (!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e->index == index))
			return e;
	}
	return NULL;
}

/* The CPUID exit: EAX the leaf, ECX the subleaf; the answer in EAX-EDX, RIP past it. */
/* What CPUID leaf @eax, subleaf @ecx gives the vCPU: its KVM_SET_CPUID2 entry, or zeros. */
void kvm_cpuid(struct kvm_vcpu *vcpu, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	const struct kvm_cpuid_entry2 *e = kvm_find_cpuid_entry(vcpu, *eax, *ecx);

	*eax = e ? e->eax : 0;
	*ebx = e ? e->ebx : 0;
	*ecx = e ? e->ecx : 0;
	*edx = e ? e->edx : 0;
}

int kvm_emulate_cpuid(struct kvm_vcpu *vcpu)
{
	struct kvm_regs *r = &vcpu->arch.regs;
	u32 eax = r->rax, ebx, ecx = r->rcx, edx;

	kvm_cpuid(vcpu, &eax, &ebx, &ecx, &edx);
	r->rax = eax;
	r->rbx = ebx;
	r->rcx = ecx;
	r->rdx = edx;
	r->rip += CPUID_INSN_LEN;
	return 1;
}

/*
 * The guest's physical-address width, as its CPUID gives it (leaf 0x80000008 EAX[7:0]), and
 * 36 while it has none, as upstream's cpuid_query_maxphyaddr() answers.
 */
unsigned int kvm_vcpu_maxphyaddr(struct kvm_vcpu *vcpu)
{
	const struct kvm_cpuid_entry2 *e = kvm_find_cpuid_entry(vcpu, 0x80000000, 0);

	if (!e || e->eax < 0x80000008)
		return 36;
	e = kvm_find_cpuid_entry(vcpu, 0x80000008, 0);
	return e ? e->eax & 0xff : 36;
}

/*
 * KVM_GET_SUPPORTED_CPUID: the CPU the vCPUs can be given.  It is the one the TCG engine
 * executes (Unicorn's default, QEMU's qemu64: an AMD family 15h part with SSE3 and 64-bit
 * mode; no APIC, no XSAVE), so a guest whose CPUID a VMM sets from it uses only instructions
 * the engine runs; KVM's leaves, offering KVM_HC_MAP_GPA_RANGE; and the SEV leaf.
 */
#define CPUID_VENDOR_AMD	.ebx = 0x68747541, .edx = 0x69746e65, .ecx = 0x444d4163
#define CPUID_QEMU64		0x00060fb1	/* family 0xf, model 0x6b, stepping 1 */
/* FPU, DE, PSE, TSC, MSR, PAE, MCE, CX8, SEP, MTRR, PGE, MCA, CMOV, PAT, PSE36, CLFLUSH, MMX,
 * FXSR, SSE, SSE2 */
#define CPUID_1_EDX		(BIT(0) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | \
				 BIT(8) | BIT(11) | BIT(12) | BIT(13) | BIT(14) | BIT(15) | \
				 BIT(16) | BIT(17) | BIT(19) | BIT(23) | BIT(24) | BIT(25) | \
				 BIT(26))
#define CPUID_1_ECX		(BIT(0) | BIT(13) | BIT(31))	/* SSE3, CX16, HYPERVISOR */
#define CPUID_EXT_EDX		(BIT(11) | BIT(20) | BIT(29))	/* SYSCALL, NX, LM */
#define CPUID_EXT_ECX		BIT(0)				/* LAHF in 64-bit mode */
/* MAXPHYADDR: the engine CPU's 40 bits; 48 virtual */
#define CPUID_ADDR_BITS		(40 | 48 << 8)

static const struct kvm_cpuid_entry2 kvm_supported_cpuid[] = {
	{ .function = 0, .eax = 7, CPUID_VENDOR_AMD },
	{ .function = 1, .eax = CPUID_QEMU64, .ebx = 0x800, .ecx = CPUID_1_ECX,
	  .edx = CPUID_1_EDX },
	/* Structured extended features: none (no SMEP, SMAP, FSGSBASE...), one subleaf. */
	{ .function = 7, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
	{ .function = KVM_CPUID_SIGNATURE, .eax = KVM_CPUID_FEATURES, .ebx = 0x4b4d564b,
	  .ecx = 0x564b4d56, .edx = 0x4d },
	{ .function = KVM_CPUID_FEATURES, .eax = BIT(KVM_FEATURE_HC_MAP_GPA_RANGE) },
	{ .function = 0x80000000, .eax = 0x8000001f, CPUID_VENDOR_AMD },
	{ .function = 0x80000001, .eax = CPUID_QEMU64, .ecx = CPUID_EXT_ECX,
	  .edx = CPUID_EXT_EDX },
	{ .function = 0x80000008, .eax = CPUID_ADDR_BITS },
	/*
	 * SEV, SEV-ES and SEV-SNP (the VM types KVM_CAP_VM_TYPES offers), where the C-bit is,
	 * no physical-address reduction and no VMPLs (as upstream clears them); the ASIDs:
	 * SEV-ES and SNP guests take 1 to SEV_ES_ASID_MAX, plain SEV ones the rest.
	 */
	{ .function = 0x8000001f, .eax = BIT(1) | BIT(3) | BIT(4), .ebx = SEV_C_BIT_POS,
	  .ecx = SEV_ASID_MAX, .edx = SEV_ES_ASID_MAX + 1 },
};

/*
 * As upstream: E2BIG (nent untouched) if nent cannot hold them all, else every entry and
 * nent set to their number; a larger nent, even past KVM_MAX_CPUID_ENTRIES, is fine.
 */
int kvm_dev_ioctl_get_supported_cpuid(struct kvm_cpuid2 __user *argp)
{
	struct kvm_cpuid2 c;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	if (c.nent < ARRAY_SIZE(kvm_supported_cpuid))
		return -E2BIG;
	if (copy_to_user(argp->entries, kvm_supported_cpuid, sizeof(kvm_supported_cpuid)))
		return -EFAULT;
	c.nent = ARRAY_SIZE(kvm_supported_cpuid);
	return copy_to_user(argp, &c, sizeof(c)) ? -EFAULT : 0;
}
