// SPDX-License-Identifier: GPL-2.0-only
/*
 * TDG.VP.VMCALL: a TD's requests to the VMM, in R10-R15 (GHCI).  The one that matters for
 * private memory is MapGPA, a TD asking for a range to become private or shared (the shared
 * bit of its GPA says which).  KVM does not convert: it exits to the VMM as the
 * KVM_HC_MAP_GPA_RANGE hypercall would, at most 2 MiB at a time, and reports back to the TD
 * in R10 (status) and R11 (where it stopped).  A TD's port I/O, HLT, CPUID and the MSRs its
 * CPU does not hold are requests too (the instructions themselves are #VE in a TD), and R10
 * other than 0 is a KVM hypercall, R10 its number, R11-R13 its arguments, its result back in
 * R10, as upstream.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/kvm_host.h>
#include <asm/msr-index.h>

#include "../x86.h"
#include "tdx.h"

#define TDVMCALL_MAP_GPA			0x10001
#define TDVMCALL_STATUS_SUCCESS			0x0000000000000000ULL
#define TDVMCALL_STATUS_RETRY			0x0000000000000001ULL
#define TDVMCALL_STATUS_INVALID_OPERAND		0x8000000000000000ULL
#define TDVMCALL_STATUS_ALIGN_ERROR		0x8000000000000002ULL
#define TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED	0x8000000000000003ULL
#define TDX_MAP_GPA_MAX_LEN			SZ_2M

static bool tdx_gpa_legal(struct kvm_vcpu *vcpu, u64 gpa)
{
	return gpa < BIT_ULL(vcpu->kvm->arch.tdx_info.gpaw);
}

/* The next chunk of the range to userspace, without the shared bit. */
static void tdx_map_gpa_exit(struct kvm_vcpu *vcpu)
{
	u64 gpa = vcpu->arch.map_gpa_next, shared = kvm_tdx_shared_bit(vcpu->kvm);
	u64 size = min_t(u64, vcpu->arch.map_gpa_end - gpa, TDX_MAP_GPA_MAX_LEN);

	kvm_prepare_map_gpa_range_exit(vcpu, gpa & ~shared, size >> PAGE_SHIFT,
				       (gpa & shared) ? KVM_MAP_GPA_RANGE_DECRYPTED :
							KVM_MAP_GPA_RANGE_ENCRYPTED, true);
}

static int tdx_complete_map_gpa(struct kvm_vcpu *vcpu)
{
	s64 ret = vcpu->run->hypercall.ret;

	if (ret) {
		/* The VMM may ask the TD to try the rest again later. */
		vcpu->arch.tdvmcall.r10 = ret == -EAGAIN ? TDVMCALL_STATUS_RETRY :
					  TDVMCALL_STATUS_INVALID_OPERAND;
		vcpu->arch.tdvmcall.r11 = vcpu->arch.map_gpa_next;
		return 1;
	}
	vcpu->arch.map_gpa_next += TDX_MAP_GPA_MAX_LEN;
	if (vcpu->arch.map_gpa_next >= vcpu->arch.map_gpa_end)
		return 1;
	tdx_map_gpa_exit(vcpu);
	vcpu->arch.complete_userspace_io = tdx_complete_map_gpa;
	return 0;
}

static int tdx_map_gpa(struct kvm_vcpu *vcpu)
{
	u64 gpa = vcpu->arch.tdvmcall.r12, size = vcpu->arch.tdvmcall.r13;
	u64 shared = kvm_tdx_shared_bit(vcpu->kvm), status;

	if (!user_exit_on_hypercall(vcpu->kvm, KVM_HC_MAP_GPA_RANGE)) {
		status = TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED;
		goto error;
	}
	/* One alias for the whole range, inside the guest's physical address space. */
	if (gpa + size <= gpa || !tdx_gpa_legal(vcpu, gpa + size - 1) ||
	    (gpa & shared) != ((gpa + size - 1) & shared)) {
		status = TDVMCALL_STATUS_INVALID_OPERAND;
		goto error;
	}
	if (!PAGE_ALIGNED(gpa) || !PAGE_ALIGNED(size)) {
		status = TDVMCALL_STATUS_ALIGN_ERROR;
		goto error;
	}
	vcpu->arch.tdvmcall.r10 = TDVMCALL_STATUS_SUCCESS;
	vcpu->arch.map_gpa_next = gpa;
	vcpu->arch.map_gpa_end = gpa + size;
	tdx_map_gpa_exit(vcpu);
	vcpu->arch.complete_userspace_io = tdx_complete_map_gpa;
	return 0;

error:
	vcpu->arch.tdvmcall.r10 = status;
	vcpu->arch.tdvmcall.r11 = gpa;
	return 1;
}

static int tdx_complete_pio_in(struct kvm_vcpu *vcpu)
{
	vcpu->arch.tdvmcall.r11 = kvm_pio_in_data(vcpu);
	return 1;
}

/* Instruction.IO: R12 the size, R13 1 for a write, R14 the port, R15 a write's data. */
static int tdx_emulate_io(struct kvm_vcpu *vcpu)
{
	u64 size = vcpu->arch.tdvmcall.r12, write = vcpu->arch.tdvmcall.r13;
	u64 port = vcpu->arch.tdvmcall.r14;

	if ((size != 1 && size != 2 && size != 4) || write > 1 || port > 0xffff) {
		vcpu->arch.tdvmcall.r10 = TDVMCALL_STATUS_INVALID_OPERAND;
		return 1;
	}
	vcpu->arch.tdvmcall.r10 = TDVMCALL_STATUS_SUCCESS;
	kvm_prepare_pio_exit(vcpu, port, size, !write, vcpu->arch.tdvmcall.r15);
	if (!write)
		vcpu->arch.complete_userspace_io = tdx_complete_pio_in;
	return 0;
}

static int tdx_complete_hypercall(struct kvm_vcpu *vcpu)
{
	vcpu->arch.tdvmcall.r10 = vcpu->run->hypercall.ret;
	return 1;
}

static int tdx_emulate_vmcall(struct kvm_vcpu *vcpu)
{
	const typeof(vcpu->arch.tdvmcall) *t = &vcpu->arch.tdvmcall;
	u64 ret;

	if (!__kvm_emulate_hypercall(vcpu, t->r10, t->r11, t->r12, t->r13, true, &ret,
				     tdx_complete_hypercall))
		return 0;
	vcpu->arch.tdvmcall.r10 = ret;
	return 1;
}

/* Instruction.CPUID: R12 the leaf, R13 the subleaf; EAX to EDX come back in R12 to R15. */
static int tdx_emulate_cpuid(struct kvm_vcpu *vcpu)
{
	typeof(vcpu->arch.tdvmcall) *t = &vcpu->arch.tdvmcall;
	u32 eax = t->r12, ebx, ecx = t->r13, edx;

	kvm_cpuid(vcpu, &eax, &ebx, &ecx, &edx);
	t->r12 = eax;
	t->r13 = ebx;
	t->r14 = ecx;
	t->r15 = edx;
	t->r10 = TDVMCALL_STATUS_SUCCESS;
	return 1;
}

/*
 * Instruction.RDMSR (R12 the MSR; its value back in R11) and Instruction.WRMSR (R13 the
 * value).  The MSRs KVM emulates for a TD are those no CPU holds; here the only one is
 * IA32_APIC_BASE, which reads as KVM_SET_SREGS left it and is not written.  Any other is an
 * invalid operand, the TD's #GP.
 */
static int tdx_emulate_msr(struct kvm_vcpu *vcpu, bool write)
{
	typeof(vcpu->arch.tdvmcall) *t = &vcpu->arch.tdvmcall;

	if (write || t->r12 != MSR_IA32_APICBASE) {
		t->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
		return 1;
	}
	t->r11 = vcpu->arch.sregs.apic_base;
	t->r10 = TDVMCALL_STATUS_SUCCESS;
	return 1;
}

int tdx_handle_tdvmcall(struct kvm_vcpu *vcpu)
{
	if (vcpu->arch.tdvmcall.r10)
		return tdx_emulate_vmcall(vcpu);
	switch (vcpu->arch.tdvmcall.r11) {
	case TDVMCALL_MAP_GPA:
		return tdx_map_gpa(vcpu);
	case EXIT_REASON_IO_INSTRUCTION:
		return tdx_emulate_io(vcpu);
	case EXIT_REASON_CPUID:
		return tdx_emulate_cpuid(vcpu);
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:
		return tdx_emulate_msr(vcpu, vcpu->arch.tdvmcall.r11 == EXIT_REASON_MSR_WRITE);
	case EXIT_REASON_HLT:
		vcpu->arch.tdvmcall.r10 = TDVMCALL_STATUS_SUCCESS;
		kvm_stat_inc(vcpu->stat.halt_exits);
		vcpu->run->exit_reason = KVM_EXIT_HLT;
		return 0;
	}
	vcpu->arch.tdvmcall.r10 = TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED;
	return 1;
}
