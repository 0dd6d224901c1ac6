/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_LINUX_KVM_COCO_H
#define _UAPI_LINUX_KVM_COCO_H

/*
 * kvm-coco's own extensions to the KVM ABI.  They use ioctl numbers upstream KVM does not
 * (KVMIO 0xf0 and up), so they can never be mistaken for an upstream request.
 */

#include <linux/kvm.h>

/*
 * Read back memory attributes.  In: address (page aligned), size (non-zero, page aligned, the
 * most to scan), attributes and flags zero.  Out: attributes of the page at address, and in
 * size the length of the run of pages from address with those same attributes, at most the
 * size passed in.  Walking the map is a loop of these calls.
 */
#define KVM_COCO_GET_MEMORY_ATTRIBUTES	_IOWR(KVMIO, 0xf0, struct kvm_memory_attributes)

/*
 * What executes a VM's vCPUs.  KVM_CHECK_EXTENSION: a mask of the engines this host has (bit
 * N: engine N).  KVM_ENABLE_CAP on a VM before its first vCPU: args[0] the engine.  MODEL runs
 * no guest code (the KVM_COCO_VCPU_INJECT_* events); TCG runs the guest's own instructions
 * (library host only, and its default; the kernel host has only MODEL).
 */
#define KVM_CAP_COCO_ENGINE		0xc0c0
#define KVM_COCO_ENGINE_MODEL		0
#define KVM_COCO_ENGINE_TCG		1

/*
 * The launch digest of an SNP VM after KVM_SEV_SNP_LAUNCH_FINISH (what the guest's attestation
 * report will carry as MEASUREMENT), read without a guest.  EINVAL before FINISH.
 */
struct kvm_coco_snp_launch_digest {
	__u8 digest[48];
	__u64 flags;		/* must be 0 */
	__u64 reserved[4];	/* must be 0 */
};

#define KVM_COCO_SNP_GET_LAUNCH_DIGEST	_IOWR(KVMIO, 0xf1, struct kvm_coco_snp_launch_digest)

/*
 * The MRTD of a TDX VM after KVM_TDX_FINALIZE_VM (what the guest's TDREPORT will carry), read
 * without a guest.  EINVAL before FINALIZE_VM.
 */
struct kvm_coco_tdx_mrtd {
	__u8 mrtd[48];
	__u64 flags;		/* must be 0 */
	__u64 reserved[4];	/* must be 0 */
};

#define KVM_COCO_TDX_GET_MRTD		_IOWR(KVMIO, 0xf3, struct kvm_coco_tdx_mrtd)

/*
 * The per-VM trace: every RMP transition of an SNP VM's pages, in order, in a ring of the last
 * KVM_COCO_TRACE_RING entries.  In: entries (user array of nr entries), seq (the first
 * sequence number wanted; 0 for the oldest kept).  Out: nr (entries copied, oldest first),
 * seq (the sequence number to ask for next), dropped (entries lost to the ring's size).
 */
enum kvm_coco_rmp_op {
	KVM_COCO_RMP_MAKE_PRIVATE = 1,	/* KVM: RMPUPDATE to assigned */
	KVM_COCO_RMP_MAKE_SHARED = 2,	/* KVM: RMPUPDATE to shared */
	KVM_COCO_RMP_FW_LAUNCH = 3,	/* firmware: LAUNCH_UPDATE made the page guest-valid */
	KVM_COCO_RMP_FW_RECLAIM = 4,	/* firmware: PAGE_RECLAIM released the page */
	KVM_COCO_RMP_LEAK = 5,		/* KVM: page leaked, its state could not be undone */
	KVM_COCO_RMP_MAKE_FIRMWARE = 6,	/* KVM: RMPUPDATE to the firmware's (context page) */
};

struct kvm_coco_trace_entry {
	__u64 seq;
	__u64 ts_ns;		/* CLOCK_MONOTONIC */
	__u32 op;		/* enum kvm_coco_rmp_op */
	__s32 ret;		/* 0, or the -errno of a refused change */
	__u64 pfn;
	__u64 old_rmp;		/* RMP entry, low word: assigned 0, size 1, immutable 2, */
	__u64 new_rmp;		/* gpa 12-50, asid 51-60, vmsa 61, validated 62 */
};

#define KVM_COCO_TRACE_RING	16384

struct kvm_coco_trace {
	__u64 entries;
	__u32 nr;
	__u32 flags;		/* must be 0 */
	__u64 seq;
	__u64 dropped;
	__u64 reserved[2];	/* must be 0 */
};

#define KVM_COCO_GET_TRACE	_IOWR(KVMIO, 0xf2, struct kvm_coco_trace)

/*
 * The model vCPU engine: no guest code runs, so a test (or a VMM exercising its fault
 * handling) hands the vCPU the nested page fault its guest would cause.  The next KVM_RUN
 * delivers it to the vendor's exit handler exactly as a hardware exit: AMD's NPF with the
 * EXITINFO1 error code, Intel's EPT violation with the GPA's shared bit.  An event the VMM
 * must resolve first (KVM_EXIT_MEMORY_FAULT) stays pending, so the next KVM_RUN faults again,
 * as a guest re-executing the access would.  With no event pending the guest halts:
 * KVM_RUN returns with KVM_EXIT_HLT.
 *
 * In: gpa (the faulting guest-physical address, below 2^52), error_code (hardware bits only:
 * the x86 #PF bits and AMD's NPF bits 31-36; KVM's synthetic bits 48 and 49 are EINVAL),
 * flags and reserved zero.  EBUSY while an earlier event is still pending.
 */
struct kvm_coco_npf {
	__u64 gpa;
	__u64 error_code;
	__u32 flags;		/* must be 0 */
	__u32 pad;		/* must be 0 */
	__u64 reserved[2];	/* must be 0 */
};

#define KVM_COCO_VCPU_INJECT_NPF	_IOW(KVMIO, 0xf4, struct kvm_coco_npf)

/*
 * The guest accesses @gpa: the model walks its nested page table (what earlier faults
 * installed, less what conversions, punches and memslot changes zapped).  A translation of
 * the right kind satisfies the access without an exit; otherwise the hardware's fault
 * follows, as KVM_COCO_VCPU_INJECT_NPF would give it (for SNP a translation of the wrong
 * kind is an RMP fault: PRESENT and RMP set).  Which kind: SNP and SEV guests say
 * KVM_COCO_ACCESS_ENCRYPTED (the C-bit); a TD's gpa carries the shared bit; other VMs have
 * one kind.  flags: the bits below only; pad and reserved zero; gpa below 2^52.
 */
struct kvm_coco_access {
	__u64 gpa;
	__u32 flags;
	__u32 pad;		/* must be 0 */
	__u64 reserved[2];	/* must be 0 */
};

#define KVM_COCO_ACCESS_WRITE		(1U << 0)
#define KVM_COCO_ACCESS_EXEC		(1U << 1)
#define KVM_COCO_ACCESS_ENCRYPTED	(1U << 2)	/* SEV-type VMs only */

#define KVM_COCO_VCPU_INJECT_ACCESS	_IOW(KVMIO, 0xfa, struct kvm_coco_access)

/*
 * The guest executes VMMCALL with its hypercall in its registers (KVM_SET_REGS; RAX the
 * number): no argument.  Only where KVM can see the registers (not SEV-ES, SNP, TDX: EINVAL).
 * KVM_RUN then handles it as upstream: KVM_HC_MAP_GPA_RANGE exits with KVM_EXIT_HYPERCALL if
 * the VMM enabled KVM_CAP_EXIT_HYPERCALL, and the next KVM_RUN writes run->hypercall.ret to
 * RAX and steps over the instruction; anything else answers -KVM_ENOSYS in RAX.
 */
#define KVM_COCO_VCPU_INJECT_VMMCALL	_IO(KVMIO, 0xf5)

/*
 * An SNP guest writes the GHCB MSR (@value, a GHCB MSR protocol request: bits 11:0 non-zero)
 * and executes VMGEXIT.  Handled as upstream: the page-state change (0x014) exits as
 * KVM_HC_MAP_GPA_RANGE of one 4 KiB page; GHCB GPA registration (0x012) and the preferred
 * GPA (0x010) are answered; termination (0x100) exits with KVM_EXIT_SYSTEM_EVENT
 * (KVM_SYSTEM_EVENT_SEV_TERM, data[0] the MSR); other requests leave the MSR as it was.  A
 * GHCB page address (bits 11:0 zero) is EINVAL: the GHCB page protocol is not modelled.
 * KVM_COCO_VCPU_GET_GHCB_MSR reads the MSR back, with KVM's response after the next KVM_RUN.
 */
#define KVM_COCO_VCPU_INJECT_VMGEXIT_MSR	_IOW(KVMIO, 0xf6, __u64)
#define KVM_COCO_VCPU_GET_GHCB_MSR		_IOR(KVMIO, 0xf7, __u64)

/*
 * A TD executes TDG.VP.VMCALL (a TDCALL) with R10-R15 as given (GHCI: R10 0 for a standard
 * call, R11 the leaf, R12-R15 its operands).  Modelled: MapGPA (leaf 0x10001: R12 the start,
 * shared bit and all, R13 the size), which exits as KVM_HC_MAP_GPA_RANGE in chunks of at most
 * 2 MiB; other leaves answer TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED.  R10 must be 0, flags and
 * reserved zero.  KVM_COCO_VCPU_GET_TDVMCALL reads R10-R15 back as the guest sees them after
 * the call completes (R10 the status, R11 where MapGPA stopped).
 */
struct kvm_coco_tdvmcall {
	__u64 r10, r11, r12, r13, r14, r15;
	__u32 flags;		/* must be 0 */
	__u32 pad;		/* must be 0 */
	__u64 reserved[2];	/* must be 0 */
};

#define KVM_COCO_VCPU_INJECT_TDVMCALL	_IOW(KVMIO, 0xf8, struct kvm_coco_tdvmcall)
#define KVM_COCO_VCPU_GET_TDVMCALL	_IOR(KVMIO, 0xf9, struct kvm_coco_tdvmcall)

#endif
