/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_LINUX_KVM_H
#define _UAPI_LINUX_KVM_H

/*
 * The KVM userspace ABI that kvm-coco implements.  Numbers, layouts and padding are those of
 * upstream Linux (include/uapi/linux/kvm.h and arch/x86/include/uapi/asm/kvm.h), restated
 * here so that a VMM written for upstream KVM ports by swapping ioctl() for kvm_coco_ioctl().
 */

#include <linux/types.h>
#include <linux/ioctl.h>

#define KVM_API_VERSION	12

#define KVMIO	0xAE

/* VM types (KVM_CREATE_VM argument, bits of KVM_CAP_VM_TYPES). */
#define KVM_X86_DEFAULT_VM	0
#define KVM_X86_SW_PROTECTED_VM	1
#define KVM_X86_SEV_VM		2
#define KVM_X86_SEV_ES_VM	3
#define KVM_X86_SNP_VM		4
#define KVM_X86_TDX_VM		5

/* System ioctls. */
#define KVM_GET_API_VERSION	_IO(KVMIO, 0x00)
#define KVM_CREATE_VM		_IO(KVMIO, 0x01)
#define KVM_CHECK_EXTENSION	_IO(KVMIO, 0x03)
#define KVM_GET_VCPU_MMAP_SIZE	_IO(KVMIO, 0x04)
#define KVM_GET_MSR_INDEX_LIST	_IOWR(KVMIO, 0x02, struct kvm_msr_list)
#define KVM_GET_SUPPORTED_CPUID	_IOWR(KVMIO, 0x05, struct kvm_cpuid2)

/* Device attributes: on the system fd, x86's groups (asm/kvm.h upstream). */
struct kvm_device_attr {
	__u32	flags;
	__u32	group;
	__u64	attr;
	__u64	addr;		/* a __u64 */
};

#define KVM_SET_DEVICE_ATTR	_IOW(KVMIO, 0xe1, struct kvm_device_attr)
#define KVM_GET_DEVICE_ATTR	_IOW(KVMIO, 0xe2, struct kvm_device_attr)
#define KVM_HAS_DEVICE_ATTR	_IOW(KVMIO, 0xe3, struct kvm_device_attr)
#define KVM_X86_GRP_SYSTEM		0
#define   KVM_X86_XCOMP_GUEST_SUPP	0
#define KVM_X86_GRP_SEV			1
#define   KVM_X86_SEV_VMSA_FEATURES	0

/* Capabilities (KVM_CHECK_EXTENSION). */
#define KVM_CAP_IRQCHIP			0
#define KVM_CAP_USER_MEMORY		3
#define KVM_CAP_NR_VCPUS		9
#define KVM_CAP_MP_STATE		14
#define KVM_CAP_NR_MEMSLOTS		10
#define KVM_CAP_TSC_CONTROL		60
#define KVM_CAP_GET_TSC_KHZ		61
#define KVM_CAP_MAX_VCPUS		66
#define KVM_CAP_IMMEDIATE_EXIT		136
#define KVM_CAP_MAX_VCPU_ID		128
#define KVM_CAP_VM_COPY_ENC_CONTEXT_FROM	197
#define KVM_CAP_EXIT_HYPERCALL		201
#define KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM	206
#define KVM_CAP_USER_MEMORY2		231
#define KVM_CAP_MEMORY_FAULT_INFO	232
#define KVM_CAP_MEMORY_ATTRIBUTES	233
#define KVM_CAP_GUEST_MEMFD		234
#define KVM_CAP_VM_TYPES		235
#define KVM_CAP_BINARY_STATS_FD		203
#define KVM_CAP_VCPU_EVENTS		41
#define KVM_CAP_DEBUGREGS		50
#define KVM_CAP_SYNC_REGS		74

/* VM ioctls. */
#define KVM_CREATE_VCPU			_IO(KVMIO, 0x41)
#define KVM_ENABLE_CAP			_IOW(KVMIO, 0xa3, struct kvm_enable_cap)
/* On a VM (the default for its vCPUs) or a vCPU: the guest TSC rate in kHz. */
#define KVM_SET_TSC_KHZ			_IO(KVMIO, 0xa2)
#define KVM_GET_TSC_KHZ			_IO(KVMIO, 0xa3)
#define KVM_GET_DIRTY_LOG		_IOW(KVMIO, 0x42, struct kvm_dirty_log)
#define KVM_GET_STATS_FD		_IO(KVMIO, 0xce)
#define KVM_SET_NR_MMU_PAGES		_IO(KVMIO, 0x44)
#define KVM_GET_NR_MMU_PAGES		_IO(KVMIO, 0x45)
#define KVM_CREATE_IRQCHIP		_IO(KVMIO, 0x60)
#define KVM_SET_USER_MEMORY_REGION	_IOW(KVMIO, 0x46, struct kvm_userspace_memory_region)
#define KVM_SET_USER_MEMORY_REGION2	_IOW(KVMIO, 0x49, struct kvm_userspace_memory_region2)
#define KVM_SET_MEMORY_ATTRIBUTES	_IOW(KVMIO, 0xd2, struct kvm_memory_attributes)
#define KVM_CREATE_GUEST_MEMFD		_IOWR(KVMIO, 0xd4, struct kvm_create_guest_memfd)

/* vCPU ioctls. */
#define KVM_RUN			_IO(KVMIO, 0x80)
#define KVM_SET_SIGNAL_MASK	_IOW(KVMIO, 0x8b, struct kvm_signal_mask)
#define KVM_SET_CPUID2		_IOW(KVMIO, 0x90, struct kvm_cpuid2)
#define KVM_GET_CPUID2		_IOWR(KVMIO, 0x91, struct kvm_cpuid2)
#define KVM_GET_REGS		_IOR(KVMIO, 0x81, struct kvm_regs)
#define KVM_SET_REGS		_IOW(KVMIO, 0x82, struct kvm_regs)
#define KVM_GET_SREGS		_IOR(KVMIO, 0x83, struct kvm_sregs)
#define KVM_SET_SREGS		_IOW(KVMIO, 0x84, struct kvm_sregs)
#define KVM_GET_MSRS		_IOWR(KVMIO, 0x88, struct kvm_msrs)
#define KVM_SET_MSRS		_IOW(KVMIO, 0x89, struct kvm_msrs)
#define KVM_GET_FPU		_IOR(KVMIO, 0x8c, struct kvm_fpu)
#define KVM_GET_MP_STATE	_IOR(KVMIO, 0x98, struct kvm_mp_state)
#define KVM_SET_MP_STATE	_IOW(KVMIO, 0x99, struct kvm_mp_state)
#define KVM_SET_FPU		_IOW(KVMIO, 0x8d, struct kvm_fpu)
#define KVM_GET_VCPU_EVENTS	_IOR(KVMIO, 0x9f, struct kvm_vcpu_events)
#define KVM_SET_VCPU_EVENTS	_IOW(KVMIO, 0xa0, struct kvm_vcpu_events)
#define KVM_GET_DEBUGREGS	_IOR(KVMIO, 0xa1, struct kvm_debugregs)
#define KVM_SET_DEBUGREGS	_IOW(KVMIO, 0xa2, struct kvm_debugregs)
#define KVM_GET_XSAVE		_IOR(KVMIO, 0xa4, struct kvm_xsave)
#define KVM_SET_XSAVE		_IOW(KVMIO, 0xa5, struct kvm_xsave)

/* VM ioctl for confidential-computing commands (SEV, SNP). */
#define KVM_MEMORY_ENCRYPT_OP	_IOWR(KVMIO, 0xba, unsigned long)

struct kvm_enc_region {
	__u64 addr;
	__u64 size;
};

#define KVM_MEMORY_ENCRYPT_REG_REGION	_IOR(KVMIO, 0xbb, struct kvm_enc_region)
#define KVM_MEMORY_ENCRYPT_UNREG_REGION	_IOR(KVMIO, 0xbc, struct kvm_enc_region)

/* x86 register state (arch/x86/include/uapi/asm/kvm.h) */
/* for KVM_ENABLE_CAP */
/* for KVM_SET_SIGNAL_MASK: the signals blocked while KVM_RUN runs the guest */
struct kvm_signal_mask {
	__u32 len;		/* the kernel's sigset_t: 8 bytes */
	__u8  sigset[];
};

struct kvm_enable_cap {
	__u32 cap;
	__u32 flags;
	__u64 args[4];
	__u8 pad[64];
};

struct kvm_regs {
	__u64 rax, rbx, rcx, rdx;
	__u64 rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11;
	__u64 r12, r13, r14, r15;
	__u64 rip, rflags;
};

struct kvm_segment {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u8 type;
	__u8 present, dpl, db, s, l, g, avl;
	__u8 unusable;
	__u8 padding;
};

struct kvm_dtable {
	__u64 base;
	__u16 limit;
	__u16 padding[3];
};

struct kvm_msr_entry {
	__u32 index;
	__u32 reserved;
	__u64 data;
};

/* KVM_GET_MSR_INDEX_LIST: in, room for @nmsrs; out, how many there are, and them. */
struct kvm_msr_list {
	__u32 nmsrs;
	__u32 indices[];
};

/* KVM_GET_MSRS, KVM_SET_MSRS: @nmsrs entries follow; both answer how many were done. */
struct kvm_msrs {
	__u32 nmsrs;
	__u32 pad;
	struct kvm_msr_entry entries[];
};

/* The x87 and SSE state, FXSAVE's layout (ftwx its abridged tag word). */
struct kvm_fpu {
	__u8 fpr[8][16];
	__u16 fcw;
	__u16 fsw;
	__u8 ftwx;
	__u8 pad1;
	__u16 last_opcode;
	__u64 last_ip;
	__u64 last_dp;
	__u8 xmm[16][16];
	__u32 mxcsr;
	__u32 pad2;
};

/* KVM_GET/SET_MP_STATE: the vCPU's multiprocessing state. */
#define KVM_MP_STATE_RUNNABLE		0
#define KVM_MP_STATE_UNINITIALIZED	1
#define KVM_MP_STATE_INIT_RECEIVED	2
#define KVM_MP_STATE_HALTED		3
#define KVM_MP_STATE_SIPI_RECEIVED	4

struct kvm_mp_state {
	__u32 mp_state;
};

/* KVM_GET/SET_VCPU_EVENTS: the events a vCPU has queued; flags say which fields count. */
#define KVM_VCPUEVENT_VALID_NMI_PENDING		0x00000001
#define KVM_VCPUEVENT_VALID_SIPI_VECTOR		0x00000002
#define KVM_VCPUEVENT_VALID_SHADOW		0x00000004
#define KVM_VCPUEVENT_VALID_SMM			0x00000008
#define KVM_VCPUEVENT_VALID_PAYLOAD		0x00000010
#define KVM_VCPUEVENT_VALID_TRIPLE_FAULT	0x00000020

#define KVM_X86_SHADOW_INT_MOV_SS	0x01
#define KVM_X86_SHADOW_INT_STI		0x02

struct kvm_vcpu_events {
	struct {
		__u8 injected;
		__u8 nr;
		__u8 has_error_code;
		__u8 pending;
		__u32 error_code;
	} exception;
	struct {
		__u8 injected;
		__u8 nr;
		__u8 soft;
		__u8 shadow;
	} interrupt;
	struct {
		__u8 injected;
		__u8 pending;
		__u8 masked;
		__u8 pad;
	} nmi;
	__u32 sipi_vector;
	__u32 flags;
	struct {
		__u8 smm;
		__u8 pending;
		__u8 smm_inside_nmi;
		__u8 latched_init;
	} smi;
	struct {
		__u8 pending;
	} triple_fault;
	__u8 reserved[26];
	__u8 exception_has_payload;
	__u64 exception_payload;
};

/* KVM_GET/SET_DEBUGREGS */
struct kvm_debugregs {
	__u64 db[4];
	__u64 dr6;
	__u64 dr7;
	__u64 flags;
	__u64 reserved[9];
};

/* KVM_GET/SET_XSAVE: an XSAVE area, standard format (the legacy region, then the header). */
struct kvm_xsave {
	__u32 region[1024];
	__u32 extra[];
};

#define KVM_NR_INTERRUPTS	256

struct kvm_sregs {
	struct kvm_segment cs, ds, es, fs, gs, ss;
	struct kvm_segment tr, ldt;
	struct kvm_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;
	__u64 interrupt_bitmap[(KVM_NR_INTERRUPTS + 63) / 64];
};

/* KVM_MEMORY_ENCRYPT_OP: SEV and SNP commands (arch/x86/include/uapi/asm/kvm.h) */
enum sev_cmd_id {
	KVM_SEV_INIT = 0,
	KVM_SEV_ES_INIT,
	KVM_SEV_LAUNCH_START,
	KVM_SEV_LAUNCH_UPDATE_DATA,
	KVM_SEV_LAUNCH_UPDATE_VMSA,
	KVM_SEV_LAUNCH_SECRET,
	KVM_SEV_LAUNCH_MEASURE,
	KVM_SEV_LAUNCH_FINISH,
	KVM_SEV_SEND_START,
	KVM_SEV_SEND_UPDATE_DATA,
	KVM_SEV_SEND_UPDATE_VMSA,
	KVM_SEV_SEND_FINISH,
	KVM_SEV_RECEIVE_START,
	KVM_SEV_RECEIVE_UPDATE_DATA,
	KVM_SEV_RECEIVE_UPDATE_VMSA,
	KVM_SEV_RECEIVE_FINISH,
	KVM_SEV_GUEST_STATUS,
	KVM_SEV_DBG_DECRYPT,
	KVM_SEV_DBG_ENCRYPT,
	KVM_SEV_CERT_EXPORT,
	KVM_SEV_GET_ATTESTATION_REPORT,
	KVM_SEV_SEND_CANCEL,
	KVM_SEV_INIT2,
	KVM_SEV_SNP_LAUNCH_START = 100,
	KVM_SEV_SNP_LAUNCH_UPDATE,
	KVM_SEV_SNP_LAUNCH_FINISH,
	KVM_SEV_NR_MAX,
};

struct kvm_sev_cmd {
	__u32 id;
	__u32 pad0;
	__u64 data;
	__u32 error;		/* out: the firmware status */
	__u32 sev_fd;		/* the PSP device (kvm_coco_open_sev()) */
};

struct kvm_sev_init {
	__u64 vmsa_features;
	__u32 flags;
	__u16 ghcb_version;
	__u16 pad1;
	__u32 pad2[8];
};

struct kvm_sev_launch_start {
	__u32 handle;
	__u32 policy;
	__u64 dh_uaddr;
	__u32 dh_len;
	__u32 pad0;
	__u64 session_uaddr;
	__u32 session_len;
	__u32 pad1;
};

struct kvm_sev_launch_update_data {
	__u64 uaddr;
	__u32 len;
	__u32 pad0;
};

struct kvm_sev_launch_secret {
	__u64 hdr_uaddr;
	__u32 hdr_len;
	__u32 pad0;
	__u64 guest_uaddr;
	__u32 guest_len;
	__u32 pad1;
	__u64 trans_uaddr;
	__u32 trans_len;
	__u32 pad2;
};

struct kvm_sev_launch_measure {
	__u64 uaddr;
	__u32 len;
	__u32 pad0;
};

struct kvm_sev_guest_status {
	__u32 handle;
	__u32 policy;
	__u32 state;
};

struct kvm_sev_snp_launch_start {
	__u64 policy;
	__u8 gosvw[16];
	__u16 flags;
	__u8 pad0[6];
	__u64 pad1[4];
};

/* Kept in sync with the SNP firmware's page types. */
#define KVM_SEV_SNP_PAGE_TYPE_NORMAL		0x1
#define KVM_SEV_SNP_PAGE_TYPE_ZERO		0x3
#define KVM_SEV_SNP_PAGE_TYPE_UNMEASURED	0x4
#define KVM_SEV_SNP_PAGE_TYPE_SECRETS		0x5
#define KVM_SEV_SNP_PAGE_TYPE_CPUID		0x6

struct kvm_sev_snp_launch_update {
	__u64 gfn_start;
	__u64 uaddr;
	__u64 len;
	__u8 type;
	__u8 pad0;
	__u16 flags;
	__u32 pad1;
	__u64 pad2[4];
};

#define KVM_SEV_SNP_ID_BLOCK_SIZE	96
#define KVM_SEV_SNP_ID_AUTH_SIZE	4096
#define KVM_SEV_SNP_FINISH_DATA_SIZE	32

struct kvm_sev_snp_launch_finish {
	__u64 id_block_uaddr;
	__u64 id_auth_uaddr;
	__u8 id_block_en;
	__u8 auth_key_en;
	__u8 vcek_disabled;
	__u8 host_data[KVM_SEV_SNP_FINISH_DATA_SIZE];
	__u8 pad0[3];
	__u16 flags;
	__u64 pad1[4];
};

/* x86 CPUID entries (arch/x86/include/uapi/asm/kvm.h). */
struct kvm_cpuid_entry2 {
	__u32 function;
	__u32 index;
	__u32 flags;
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
	__u32 padding[3];
};

struct kvm_cpuid2 {
	__u32 nent;
	__u32 padding;
	struct kvm_cpuid_entry2 entries[];
};

/*
 * KVM_MEMORY_ENCRYPT_OP on a TDX VM (INIT_VM, FINALIZE_VM) or on one of its vCPUs (INIT_VCPU,
 * INIT_MEM_REGION): upstream from 6.16, arch/x86/include/uapi/asm/kvm.h.
 */
enum kvm_tdx_cmd_id {
	KVM_TDX_CAPABILITIES = 0,
	KVM_TDX_INIT_VM,
	KVM_TDX_INIT_VCPU,
	KVM_TDX_INIT_MEM_REGION,
	KVM_TDX_FINALIZE_VM,
	KVM_TDX_GET_CPUID,

	KVM_TDX_CMD_NR_MAX,
};

struct kvm_tdx_cmd {
	__u32 id;		/* enum kvm_tdx_cmd_id */
	__u32 flags;		/* per command; 0 where unused */
	__u64 data;		/* an immediate or a user pointer, per command */
	__u64 hw_error;		/* in: 0; out: the SEAMCALL status behind an EIO */
};

struct kvm_tdx_capabilities {
	__u64 supported_attrs;
	__u64 supported_xfam;
	/* TDG.VP.VMCALLs handled in the kernel, and those forwarded to userspace */
	__u64 kernel_tdvmcallinfo_1_r11;
	__u64 user_tdvmcallinfo_1_r11;
	__u64 kernel_tdvmcallinfo_1_r12;
	__u64 user_tdvmcallinfo_1_r12;
	__u64 reserved[250];
	/* in: room for nent entries; out: the CPUID bits userspace may configure */
	struct kvm_cpuid2 cpuid;
};

struct kvm_tdx_init_vm {
	__u64 attributes;
	__u64 xfam;
	__u64 mrconfigid[6];	/* SHA-384 digests */
	__u64 mrowner[6];
	__u64 mrownerconfig[6];
	__u64 reserved[12];	/* TD_PARAMS before the CPUID entries: 256 bytes */
	struct kvm_cpuid2 cpuid;
};

#define KVM_TDX_MEASURE_MEMORY_REGION	(1ULL << 0)

struct kvm_tdx_init_mem_region {
	__u64 source_addr;
	__u64 gpa;
	__u64 nr_pages;
};

/* Memslot flags. */
#define KVM_MEM_LOG_DIRTY_PAGES	(1UL << 0)
#define KVM_MEM_READONLY	(1UL << 1)
#define KVM_MEM_GUEST_MEMFD	(1UL << 2)

/* for KVM_SET_USER_MEMORY_REGION; slot bits 16-31 select the address space */
struct kvm_userspace_memory_region {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;	/* bytes */
	__u64 userspace_addr;	/* start of the userspace allocated memory */
};

/* for KVM_GET_DIRTY_LOG: one bit per page of the slot, a long-aligned bitmap */
struct kvm_dirty_log {
	__u32 slot;
	__u32 padding1;
	union {
		void *dirty_bitmap;
		__u64 padding2;
	};
};

/* for KVM_SET_USER_MEMORY_REGION2; the first 32 bytes are those of the v1 struct */
struct kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};

/* for KVM_SET_MEMORY_ATTRIBUTES */
#define KVM_MEMORY_ATTRIBUTE_PRIVATE	(1ULL << 3)

struct kvm_memory_attributes {
	__u64 address;
	__u64 size;
	__u64 attributes;
	__u64 flags;
};

/* for KVM_CREATE_GUEST_MEMFD */
struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};

/* Exit reasons (struct kvm_run::exit_reason). */
#define KVM_EXIT_UNKNOWN	0
#define KVM_EXIT_IO		2
#define KVM_EXIT_HYPERCALL	3
#define KVM_EXIT_HLT		5
#define KVM_EXIT_MMIO		6
#define KVM_EXIT_SHUTDOWN	8
#define KVM_EXIT_INTR		10
#define KVM_EXIT_INTERNAL_ERROR	17
#define KVM_EXIT_SYSTEM_EVENT	24
#define KVM_EXIT_MEMORY_FAULT	39

/* kvm_run.hypercall.flags */
#define KVM_EXIT_HYPERCALL_LONG_MODE	(1ULL << 0)

/* kvm_run.io.direction */
#define KVM_EXIT_IO_IN		0
#define KVM_EXIT_IO_OUT		1

/* For KVM_EXIT_INTERNAL_ERROR: emulation failed. */
#define KVM_INTERNAL_ERROR_EMULATION	1
/* For KVM_EXIT_INTERNAL_ERROR: an exception the guest could not be given (data[0]: vector). */
#define KVM_INTERNAL_ERROR_DELIVERY_EV	3
/* For KVM_EXIT_INTERNAL_ERROR: an exit KVM has no handler for (data[0]: the reason). */
#define KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON	4

/* For KVM_EXIT_SYSTEM_EVENT: an SEV-ES/SNP guest asked to be terminated (GHCB). */
#define KVM_SYSTEM_EVENT_SEV_TERM	6

#define KVM_MEMORY_EXIT_FLAG_PRIVATE	(1ULL << 3)

/* KVM_CAP_SYNC_REGS: the register sets kvm_run->s carries. */
#define KVM_SYNC_X86_REGS		(1UL << 0)
#define KVM_SYNC_X86_SREGS		(1UL << 1)
#define KVM_SYNC_X86_EVENTS		(1UL << 2)
#define KVM_SYNC_X86_VALID_FIELDS \
	(KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS)

struct kvm_sync_regs {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_vcpu_events events;
};

/* for KVM_RUN: the page shared with userspace through mmap of the vCPU fd */
struct kvm_run {
	/* in */
	__u8 request_interrupt_window;
	__u8 immediate_exit;
	__u8 padding1[6];

	/* out */
	__u32 exit_reason;
	__u8 ready_for_interrupt_injection;
	__u8 if_flag;
	__u16 flags;

	/* in (pre_kvm_run), out (post_kvm_run) */
	__u64 cr8;
	__u64 apic_base;

	union {
		/* KVM_EXIT_IO: the data is at data_offset from the start of struct kvm_run */
		struct {
			__u8 direction;
			__u8 size;		/* bytes */
			__u16 port;
			__u32 count;
			__u64 data_offset;
		} io;
		/* KVM_EXIT_MMIO: a write's data, or a read's answer, in data[0..len) */
		struct {
			__u64 phys_addr;
			__u8  data[8];
			__u32 len;
			__u8  is_write;
		} mmio;
		/* KVM_EXIT_HYPERCALL */
		struct {
			__u64 nr;
			__u64 args[6];
			__u64 ret;
			union {
				__u32 longmode;
				__u64 flags;
			};
		} hypercall;
		/* KVM_EXIT_INTERNAL_ERROR */
		struct {
			__u32 suberror;
			__u32 ndata;
			__u64 data[16];
		} internal;
		/* KVM_EXIT_SYSTEM_EVENT */
		struct {
			__u32 type;
			__u32 ndata;
			union {
				__u64 flags;
				__u64 data[16];
			};
		} system_event;
		/* KVM_EXIT_MEMORY_FAULT */
		struct {
			__u64 flags;
			__u64 gpa;
			__u64 size;
		} memory_fault;
		/* Fix the size of the union. */
		char padding[256];
	};

	/* KVM_CAP_SYNC_REGS: the sets KVM fills at each exit, and those it loads at entry. */
	__u64 kvm_valid_regs;
	__u64 kvm_dirty_regs;
	union {
		struct kvm_sync_regs regs;
		char padding[2048];
	} s;
};

/*
 * The binary statistics of KVM_GET_STATS_FD (on a VM or a vCPU): this header at offset 0,
 * the id string at id_offset, num_desc descriptors (each followed by its name, name_size
 * bytes) at desc_offset, the values (size __u64 each, at the descriptor's offset) at
 * data_offset.
 */
struct kvm_stats_header {
	__u32 flags;
	__u32 name_size;
	__u32 num_desc;
	__u32 id_offset;
	__u32 desc_offset;
	__u32 data_offset;
};

#define KVM_STATS_TYPE_SHIFT		0
#define KVM_STATS_TYPE_MASK		(0xF << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_CUMULATIVE	(0x0 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_INSTANT		(0x1 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_PEAK		(0x2 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_LINEAR_HIST	(0x3 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_LOG_HIST		(0x4 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_MAX		KVM_STATS_TYPE_LOG_HIST

#define KVM_STATS_UNIT_SHIFT		4
#define KVM_STATS_UNIT_MASK		(0xF << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_NONE		(0x0 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_BYTES		(0x1 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_SECONDS		(0x2 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_CYCLES		(0x3 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_BOOLEAN		(0x4 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_MAX		KVM_STATS_UNIT_BOOLEAN

#define KVM_STATS_BASE_SHIFT		8
#define KVM_STATS_BASE_MASK		(0xF << KVM_STATS_BASE_SHIFT)
#define KVM_STATS_BASE_POW10		(0x0 << KVM_STATS_BASE_SHIFT)
#define KVM_STATS_BASE_POW2		(0x1 << KVM_STATS_BASE_SHIFT)
#define KVM_STATS_BASE_MAX		KVM_STATS_BASE_POW2

struct kvm_stats_desc {
	__u32 flags;
	__s16 exponent;
	__u16 size;
	__u32 offset;
	__u32 bucket_size;
	char name[];
};

#endif /* _UAPI_LINUX_KVM_H */
