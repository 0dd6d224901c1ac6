/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_LINUX_KVM_H
#define _UAPI_LINUX_KVM_H

/*
 * The KVM userspace ABI that kvm-coco implements (upstream include/uapi/linux/kvm.h; the x86
 * half is <asm/kvm.h>).  Numbers, layouts and padding are upstream 6.12's, restated, so that
 * a VMM written against upstream's headers builds unchanged against ours and ports by
 * swapping ioctl() for kvm_coco_ioctl() (or not at all, under the preload shim).  What only
 * another architecture can use (s390, PowerPC, Arm, RISC-V, MIPS ioctls and their structs) is
 * left out; their exit reasons, capability numbers and kvm_run members stay, since they fix
 * numbering and layout.  TDX's uapi is upstream's from 6.16.
 */

#include <linux/const.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/ioctl.h>
#include <asm/kvm.h>

#define KVM_API_VERSION	12

#define __KVM_HAVE_GUEST_DEBUG

/* for KVM_SET_USER_MEMORY_REGION; slot bits 16-31 select the address space */
struct kvm_userspace_memory_region {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;	/* bytes */
	__u64 userspace_addr;	/* start of the userspace allocated memory */
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

/* Memslot flags. */
#define KVM_MEM_LOG_DIRTY_PAGES	(1UL << 0)
#define KVM_MEM_READONLY	(1UL << 1)
#define KVM_MEM_GUEST_MEMFD	(1UL << 2)

/* for KVM_IRQ_LINE(_STATUS): in, the line and level; out (STATUS), the delivery status */
struct kvm_irq_level {
	union {
		__u32 irq;
		__s32 status;
	};
	__u32 level;
};

/* for KVM_GET/SET_IRQCHIP */
struct kvm_irqchip {
	__u32 chip_id;
	__u32 pad;
	union {
		char dummy[512];
		struct kvm_pic_state pic;
		struct kvm_ioapic_state ioapic;
	} chip;
};

/* for KVM_CREATE_PIT2 */
struct kvm_pit_config {
	__u32 flags;
	__u32 pad[15];
};

#define KVM_PIT_SPEAKER_DUMMY	1

/* KVM_EXIT_HYPERV */
#define KVM_EXIT_HYPERV_SYNIC		1
#define KVM_EXIT_HYPERV_HCALL		2
#define KVM_EXIT_HYPERV_SYNDBG		3

struct kvm_hyperv_exit {
	__u32 type;
	__u32 pad1;
	union {
		struct {
			__u32 msr;
			__u32 pad2;
			__u64 control;
			__u64 evt_page;
			__u64 msg_page;
		} synic;
		struct {
			__u64 input;
			__u64 result;
			__u64 params[2];
		} hcall;
		struct {
			__u32 msr;
			__u32 pad2;
			__u64 control;
			__u64 status;
			__u64 send_page;
			__u64 recv_page;
			__u64 pending_page;
		} syndbg;
	} u;
};

/* KVM_EXIT_XEN */
#define KVM_EXIT_XEN_HCALL	1

/* KVM_EXIT_SNP_REQ_CERTS (upstream 7.0): an SNP guest's certificate pages, RAX and RBX. */
struct kvm_exit_snp_req_certs {
	__u64 gpa;
	__u64 npages;
	__u64 ret;		/* the VMM's answer: 0, ENOSPC (with npages), EAGAIN or EIO */
};

struct kvm_xen_exit {
	__u32 type;
	union {
		struct {
			__u32 longmode;
			__u32 cpl;
			__u64 input;
			__u64 result;
			__u64 params[6];
		} hcall;
	} u;
};

#define KVM_S390_GET_SKEYS_NONE		1
#define KVM_S390_SKEYS_MAX		1048576

/* Exit reasons (struct kvm_run::exit_reason). */
#define KVM_EXIT_UNKNOWN		0
#define KVM_EXIT_EXCEPTION		1
#define KVM_EXIT_IO			2
#define KVM_EXIT_HYPERCALL		3
#define KVM_EXIT_DEBUG			4
#define KVM_EXIT_HLT			5
#define KVM_EXIT_MMIO			6
#define KVM_EXIT_IRQ_WINDOW_OPEN	7
#define KVM_EXIT_SHUTDOWN		8
#define KVM_EXIT_FAIL_ENTRY		9
#define KVM_EXIT_INTR			10
#define KVM_EXIT_SET_TPR		11
#define KVM_EXIT_TPR_ACCESS		12
#define KVM_EXIT_S390_SIEIC		13
#define KVM_EXIT_S390_RESET		14
#define KVM_EXIT_DCR			15	/* deprecated */
#define KVM_EXIT_NMI			16
#define KVM_EXIT_INTERNAL_ERROR		17
#define KVM_EXIT_OSI			18
#define KVM_EXIT_PAPR_HCALL		19
#define KVM_EXIT_S390_UCONTROL		20
#define KVM_EXIT_WATCHDOG		21
#define KVM_EXIT_S390_TSCH		22
#define KVM_EXIT_EPR			23
#define KVM_EXIT_SYSTEM_EVENT		24
#define KVM_EXIT_S390_STSI		25
#define KVM_EXIT_IOAPIC_EOI		26
#define KVM_EXIT_HYPERV			27
#define KVM_EXIT_ARM_NISV		28
#define KVM_EXIT_X86_RDMSR		29
#define KVM_EXIT_X86_WRMSR		30
#define KVM_EXIT_DIRTY_RING_FULL	31
#define KVM_EXIT_AP_RESET_HOLD		32
#define KVM_EXIT_X86_BUS_LOCK		33
#define KVM_EXIT_XEN			34
#define KVM_EXIT_RISCV_SBI		35
#define KVM_EXIT_RISCV_CSR		36
#define KVM_EXIT_NOTIFY			37
#define KVM_EXIT_LOONGARCH_IOCSR	38
#define KVM_EXIT_MEMORY_FAULT		39
#define KVM_EXIT_SNP_REQ_CERTS		43	/* 7.0 (40-42: exits we never raise) */

/* For KVM_EXIT_INTERNAL_ERROR: emulation failed. */
#define KVM_INTERNAL_ERROR_EMULATION	1
/* For KVM_EXIT_INTERNAL_ERROR: an exception while delivering an exception. */
#define KVM_INTERNAL_ERROR_SIMUL_EX	2
/* For KVM_EXIT_INTERNAL_ERROR: an exception the guest could not be given (data[0]: vector). */
#define KVM_INTERNAL_ERROR_DELIVERY_EV	3
/* For KVM_EXIT_INTERNAL_ERROR: an exit KVM has no handler for (data[0]: the reason). */
#define KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON	4

/* kvm_run.emulation_failure.flags: the instruction bytes are valid. */
#define KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES	(1ULL << 0)

/* kvm_run.io.direction */
#define KVM_EXIT_IO_IN		0
#define KVM_EXIT_IO_OUT		1

/* kvm_run.system_event.type */
#define KVM_SYSTEM_EVENT_SHUTDOWN	1
#define KVM_SYSTEM_EVENT_RESET		2
#define KVM_SYSTEM_EVENT_CRASH		3
#define KVM_SYSTEM_EVENT_WAKEUP		4
#define KVM_SYSTEM_EVENT_SUSPEND	5
/* an SEV-ES/SNP guest asked to be terminated (GHCB) */
#define KVM_SYSTEM_EVENT_SEV_TERM	6

/* kvm_run.msr.reason */
#define KVM_MSR_EXIT_REASON_INVAL	(1 << 0)
#define KVM_MSR_EXIT_REASON_UNKNOWN	(1 << 1)
#define KVM_MSR_EXIT_REASON_FILTER	(1 << 2)
#define KVM_MSR_EXIT_REASON_VALID_MASK	(KVM_MSR_EXIT_REASON_INVAL | \
					 KVM_MSR_EXIT_REASON_UNKNOWN | \
					 KVM_MSR_EXIT_REASON_FILTER)

/* kvm_run.notify.flags */
#define KVM_NOTIFY_CONTEXT_INVALID	(1 << 0)

/* kvm_run.memory_fault.flags */
#define KVM_MEMORY_EXIT_FLAG_PRIVATE	(1ULL << 3)

/* The size kvm_run reserves for the synchronised registers (kvm_run.s). */
#define SYNC_REGS_SIZE_BYTES	2048

/* Upstream marks fields KVM must read only once; here the mark is the name. */
#define HINT_UNSAFE_IN_KVM(_symbol)	_symbol

/* for KVM_RUN: the page shared with userspace through mmap of the vCPU fd */
struct kvm_run {
	/* in */
	__u8 request_interrupt_window;
	__u8 HINT_UNSAFE_IN_KVM(immediate_exit);
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
		/* KVM_EXIT_UNKNOWN */
		struct {
			__u64 hardware_exit_reason;
		} hw;
		/* KVM_EXIT_FAIL_ENTRY */
		struct {
			__u64 hardware_entry_failure_reason;
			__u32 cpu;
		} fail_entry;
		/* KVM_EXIT_EXCEPTION */
		struct {
			__u32 exception;
			__u32 error_code;
		} ex;
		/* KVM_EXIT_IO: the data is at data_offset from the start of struct kvm_run */
		struct {
			__u8 direction;
			__u8 size;		/* bytes */
			__u16 port;
			__u32 count;
			__u64 data_offset;
		} io;
		/* KVM_EXIT_DEBUG */
		struct {
			struct kvm_debug_exit_arch arch;
		} debug;
		/* KVM_EXIT_MMIO: a write's data, or a read's answer, in data[0..len) */
		struct {
			__u64 phys_addr;
			__u8 data[8];
			__u32 len;
			__u8 is_write;
		} mmio;
		/* KVM_EXIT_LOONGARCH_IOCSR */
		struct {
			__u64 phys_addr;
			__u8 data[8];
			__u32 len;
			__u8 is_write;
		} iocsr_io;
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
		/* KVM_EXIT_TPR_ACCESS */
		struct {
			__u64 rip;
			__u32 is_write;
			__u32 pad;
		} tpr_access;
		/* KVM_EXIT_S390_SIEIC */
		struct {
			__u8 icptcode;
			__u16 ipa;
			__u32 ipb;
		} s390_sieic;
		/* KVM_EXIT_S390_RESET */
		__u64 s390_reset_flags;
		/* KVM_EXIT_S390_UCONTROL */
		struct {
			__u64 trans_exc_code;
			__u32 pgm_code;
		} s390_ucontrol;
		/* KVM_EXIT_DCR (deprecated) */
		struct {
			__u32 dcrn;
			__u32 data;
			__u8 is_write;
		} dcr;
		/* KVM_EXIT_INTERNAL_ERROR */
		struct {
			__u32 suberror;
			__u32 ndata;
			__u64 data[16];
		} internal;
		/* KVM_EXIT_INTERNAL_ERROR, suberror KVM_INTERNAL_ERROR_EMULATION */
		struct {
			__u32 suberror;
			__u32 ndata;
			__u64 flags;
			union {
				struct {
					__u8 insn_size;
					__u8 insn_bytes[15];
				};
			};
		} emulation_failure;
		/* KVM_EXIT_OSI */
		struct {
			__u64 gprs[32];
		} osi;
		/* KVM_EXIT_PAPR_HCALL */
		struct {
			__u64 nr;
			__u64 ret;
			__u64 args[9];
		} papr_hcall;
		/* KVM_EXIT_S390_TSCH */
		struct {
			__u16 subchannel_id;
			__u16 subchannel_nr;
			__u32 io_int_parm;
			__u32 io_int_word;
			__u32 ipb;
			__u8 dequeued;
		} s390_tsch;
		/* KVM_EXIT_EPR */
		struct {
			__u32 epr;
		} epr;
		/* KVM_EXIT_SYSTEM_EVENT */
		struct {
			__u32 type;
			__u32 ndata;
			union {
				__u64 flags;
				__u64 data[16];
			};
		} system_event;
		/* KVM_EXIT_S390_STSI */
		struct {
			__u64 addr;
			__u8 ar;
			__u8 reserved;
			__u8 fc;
			__u8 sel1;
			__u16 sel2;
		} s390_stsi;
		/* KVM_EXIT_IOAPIC_EOI */
		struct {
			__u8 vector;
		} eoi;
		/* KVM_EXIT_HYPERV */
		struct kvm_hyperv_exit hyperv;
		/* KVM_EXIT_ARM_NISV */
		struct {
			__u64 esr_iss;
			__u64 fault_ipa;
		} arm_nisv;
		/* KVM_EXIT_X86_RDMSR, KVM_EXIT_X86_WRMSR */
		struct {
			__u8 error;	/* user -> kernel */
			__u8 pad[7];
			__u32 reason;	/* kernel -> user */
			__u32 index;	/* kernel -> user */
			__u64 data;	/* kernel <-> user */
		} msr;
		/* KVM_EXIT_XEN */
		struct kvm_xen_exit xen;
		/* KVM_EXIT_RISCV_SBI */
		struct {
			unsigned long extension_id;
			unsigned long function_id;
			unsigned long args[6];
			unsigned long ret[2];
		} riscv_sbi;
		/* KVM_EXIT_RISCV_CSR */
		struct {
			unsigned long csr_num;
			unsigned long new_value;
			unsigned long write_mask;
			unsigned long ret_value;
		} riscv_csr;
		/* KVM_EXIT_NOTIFY */
		struct {
			__u32 flags;
		} notify;
		/* KVM_EXIT_MEMORY_FAULT */
		struct {
			__u64 flags;
			__u64 gpa;
			__u64 size;
		} memory_fault;
		/* KVM_EXIT_SNP_REQ_CERTS */
		struct kvm_exit_snp_req_certs snp_req_certs;
		/* Fix the size of the union. */
		char padding[256];
	};

	/* KVM_CAP_SYNC_REGS: the sets KVM fills at each exit, and those it loads at entry. */
	__u64 kvm_valid_regs;
	__u64 kvm_dirty_regs;
	union {
		struct kvm_sync_regs regs;
		char padding[SYNC_REGS_SIZE_BYTES];
	} s;
};

/* for KVM_(UN)REGISTER_COALESCED_MMIO */
struct kvm_coalesced_mmio_zone {
	__u64 addr;
	__u32 size;
	union {
		__u32 pad;
		__u32 pio;
	};
};

struct kvm_coalesced_mmio {
	__u64 phys_addr;
	__u32 len;
	union {
		__u32 pad;
		__u32 pio;
	};
	__u8 data[8];
};

/* The ring at KVM_COALESCED_MMIO_PAGE_OFFSET of the vCPU mapping. */
struct kvm_coalesced_mmio_ring {
	__u32 first, last;
	struct kvm_coalesced_mmio coalesced_mmio[];
};

/* for KVM_TRANSLATE */
struct kvm_translation {
	/* in */
	__u64 linear_address;

	/* out */
	__u64 physical_address;
	__u8 valid;
	__u8 writeable;
	__u8 usermode;
	__u8 pad[5];
};

/* for KVM_INTERRUPT */
struct kvm_interrupt {
	/* in */
	__u32 irq;
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

/* for KVM_CLEAR_DIRTY_LOG: num_pages bits from first_page, first_page a multiple of 64 */
struct kvm_clear_dirty_log {
	__u32 slot;
	__u32 num_pages;
	__u64 first_page;
	union {
		void *dirty_bitmap;
		__u64 padding2;
	};
};

/* for KVM_SET_SIGNAL_MASK: the signals blocked while KVM_RUN runs the guest */
struct kvm_signal_mask {
	__u32 len;		/* the kernel's sigset_t: 8 bytes */
	__u8 sigset[];
};

/* for KVM_TPR_ACCESS_REPORTING */
struct kvm_tpr_access_ctl {
	__u32 enabled;
	__u32 flags;
	__u32 reserved[8];
};

/* for KVM_SET_VAPIC_ADDR */
struct kvm_vapic_addr {
	__u64 vapic_addr;
};

/* KVM_GET/SET_MP_STATE: the vCPU's multiprocessing state. */
#define KVM_MP_STATE_RUNNABLE		0
#define KVM_MP_STATE_UNINITIALIZED	1
#define KVM_MP_STATE_INIT_RECEIVED	2
#define KVM_MP_STATE_HALTED		3
#define KVM_MP_STATE_SIPI_RECEIVED	4
#define KVM_MP_STATE_STOPPED		5
#define KVM_MP_STATE_CHECK_STOP		6
#define KVM_MP_STATE_OPERATING		7
#define KVM_MP_STATE_LOAD		8
#define KVM_MP_STATE_AP_RESET_HOLD	9
#define KVM_MP_STATE_SUSPENDED		10

struct kvm_mp_state {
	__u32 mp_state;
};

/* for KVM_SET_GUEST_DEBUG */
#define KVM_GUESTDBG_ENABLE		0x00000001
#define KVM_GUESTDBG_SINGLESTEP		0x00000002

struct kvm_guest_debug {
	__u32 control;
	__u32 pad;
	struct kvm_guest_debug_arch arch;
};

/* for KVM_IOEVENTFD */
enum {
	kvm_ioeventfd_flag_nr_datamatch,
	kvm_ioeventfd_flag_nr_pio,
	kvm_ioeventfd_flag_nr_deassign,
	kvm_ioeventfd_flag_nr_virtio_ccw_notify,
	kvm_ioeventfd_flag_nr_fast_mmio,
	kvm_ioeventfd_flag_nr_max,
};

#define KVM_IOEVENTFD_FLAG_DATAMATCH	(1 << kvm_ioeventfd_flag_nr_datamatch)
#define KVM_IOEVENTFD_FLAG_PIO		(1 << kvm_ioeventfd_flag_nr_pio)
#define KVM_IOEVENTFD_FLAG_DEASSIGN	(1 << kvm_ioeventfd_flag_nr_deassign)
#define KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY \
	(1 << kvm_ioeventfd_flag_nr_virtio_ccw_notify)
#define KVM_IOEVENTFD_VALID_FLAG_MASK	((1 << kvm_ioeventfd_flag_nr_max) - 1)

struct kvm_ioeventfd {
	__u64 datamatch;
	__u64 addr;		/* a PIO or MMIO address */
	__u32 len;		/* 1, 2, 4 or 8 bytes; 0: any length */
	__s32 fd;
	__u32 flags;
	__u8 pad[36];
};

/* KVM_CAP_X86_DISABLE_EXITS */
#define KVM_X86_DISABLE_EXITS_MWAIT	(1 << 0)
#define KVM_X86_DISABLE_EXITS_HLT	(1 << 1)
#define KVM_X86_DISABLE_EXITS_PAUSE	(1 << 2)
#define KVM_X86_DISABLE_EXITS_CSTATE	(1 << 3)
#define KVM_X86_DISABLE_VALID_EXITS	(KVM_X86_DISABLE_EXITS_MWAIT | \
					 KVM_X86_DISABLE_EXITS_HLT | \
					 KVM_X86_DISABLE_EXITS_PAUSE | \
					 KVM_X86_DISABLE_EXITS_CSTATE)

/* for KVM_ENABLE_CAP */
struct kvm_enable_cap {
	__u32 cap;
	__u32 flags;
	__u64 args[4];
	__u8 pad[64];
};

#define KVMIO	0xAE

/* System ioctls. */
#define KVM_GET_API_VERSION		_IO(KVMIO, 0x00)
#define KVM_CREATE_VM			_IO(KVMIO, 0x01)	/* a VM fd */
#define KVM_GET_MSR_INDEX_LIST		_IOWR(KVMIO, 0x02, struct kvm_msr_list)
#define KVM_CHECK_EXTENSION		_IO(KVMIO, 0x03)
#define KVM_GET_VCPU_MMAP_SIZE		_IO(KVMIO, 0x04)	/* bytes */
#define KVM_GET_SUPPORTED_CPUID		_IOWR(KVMIO, 0x05, struct kvm_cpuid2)
#define KVM_S390_ENABLE_SIE		_IO(KVMIO, 0x06)
#define KVM_GET_EMULATED_CPUID		_IOWR(KVMIO, 0x09, struct kvm_cpuid2)
#define KVM_GET_MSR_FEATURE_INDEX_LIST	_IOWR(KVMIO, 0x0a, struct kvm_msr_list)

/* Capabilities (KVM_CHECK_EXTENSION). */
#define KVM_CAP_IRQCHIP			0
#define KVM_CAP_HLT			1
#define KVM_CAP_MMU_SHADOW_CACHE_CONTROL	2
#define KVM_CAP_USER_MEMORY		3
#define KVM_CAP_SET_TSS_ADDR		4
#define KVM_CAP_VAPIC			6
#define KVM_CAP_EXT_CPUID		7
#define KVM_CAP_CLOCKSOURCE		8
#define KVM_CAP_NR_VCPUS		9
#define KVM_CAP_NR_MEMSLOTS		10
#define KVM_CAP_PIT			11
#define KVM_CAP_NOP_IO_DELAY		12
#define KVM_CAP_PV_MMU			13
#define KVM_CAP_MP_STATE		14
#define KVM_CAP_COALESCED_MMIO		15
#define KVM_CAP_SYNC_MMU		16
#define KVM_CAP_IOMMU			18
#define KVM_CAP_DESTROY_MEMORY_REGION_WORKS	21
#define KVM_CAP_USER_NMI		22
#define KVM_CAP_SET_GUEST_DEBUG		23
#define KVM_CAP_REINJECT_CONTROL	24
#define KVM_CAP_IRQ_ROUTING		25
#define KVM_CAP_IRQ_INJECT_STATUS	26
#define KVM_CAP_ASSIGN_DEV_IRQ		29
#define KVM_CAP_JOIN_MEMORY_REGIONS_WORKS	30
#define KVM_CAP_MCE			31
#define KVM_CAP_IRQFD			32
#define KVM_CAP_PIT2			33
#define KVM_CAP_SET_BOOT_CPU_ID		34
#define KVM_CAP_PIT_STATE2		35
#define KVM_CAP_IOEVENTFD		36
#define KVM_CAP_SET_IDENTITY_MAP_ADDR	37
#define KVM_CAP_XEN_HVM			38
#define KVM_CAP_ADJUST_CLOCK		39
#define KVM_CAP_INTERNAL_ERROR_DATA	40
#define KVM_CAP_VCPU_EVENTS		41
#define KVM_CAP_S390_PSW		42
#define KVM_CAP_PPC_SEGSTATE		43
#define KVM_CAP_HYPERV			44
#define KVM_CAP_HYPERV_VAPIC		45
#define KVM_CAP_HYPERV_SPIN		46
#define KVM_CAP_PCI_SEGMENT		47
#define KVM_CAP_PPC_PAIRED_SINGLES	48
#define KVM_CAP_INTR_SHADOW		49
#define KVM_CAP_DEBUGREGS		50
#define KVM_CAP_X86_ROBUST_SINGLESTEP	51
#define KVM_CAP_PPC_OSI			52
#define KVM_CAP_PPC_UNSET_IRQ		53
#define KVM_CAP_ENABLE_CAP		54
#define KVM_CAP_XSAVE			55
#define KVM_CAP_XCRS			56
#define KVM_CAP_PPC_GET_PVINFO		57
#define KVM_CAP_PPC_IRQ_LEVEL		58
#define KVM_CAP_ASYNC_PF		59
#define KVM_CAP_TSC_CONTROL		60
#define KVM_CAP_GET_TSC_KHZ		61
#define KVM_CAP_PPC_BOOKE_SREGS		62
#define KVM_CAP_SPAPR_TCE		63
#define KVM_CAP_PPC_SMT			64
#define KVM_CAP_PPC_RMA			65
#define KVM_CAP_MAX_VCPUS		66
#define KVM_CAP_PPC_HIOR		67
#define KVM_CAP_PPC_PAPR		68
#define KVM_CAP_SW_TLB			69
#define KVM_CAP_ONE_REG			70
#define KVM_CAP_S390_GMAP		71
#define KVM_CAP_TSC_DEADLINE_TIMER	72
#define KVM_CAP_S390_UCONTROL		73
#define KVM_CAP_SYNC_REGS		74
#define KVM_CAP_PCI_2_3			75
#define KVM_CAP_KVMCLOCK_CTRL		76
#define KVM_CAP_SIGNAL_MSI		77
#define KVM_CAP_PPC_GET_SMMU_INFO	78
#define KVM_CAP_S390_COW		79
#define KVM_CAP_PPC_ALLOC_HTAB		80
#define KVM_CAP_READONLY_MEM		81
#define KVM_CAP_IRQFD_RESAMPLE		82
#define KVM_CAP_PPC_BOOKE_WATCHDOG	83
#define KVM_CAP_PPC_HTAB_FD		84
#define KVM_CAP_S390_CSS_SUPPORT	85
#define KVM_CAP_PPC_EPR			86
#define KVM_CAP_ARM_PSCI		87
#define KVM_CAP_ARM_SET_DEVICE_ADDR	88
#define KVM_CAP_DEVICE_CTRL		89
#define KVM_CAP_IRQ_MPIC		90
#define KVM_CAP_PPC_RTAS		91
#define KVM_CAP_IRQ_XICS		92
#define KVM_CAP_ARM_EL1_32BIT		93
#define KVM_CAP_SPAPR_MULTITCE		94
#define KVM_CAP_EXT_EMUL_CPUID		95
#define KVM_CAP_HYPERV_TIME		96
#define KVM_CAP_IOAPIC_POLARITY_IGNORED	97
#define KVM_CAP_ENABLE_CAP_VM		98
#define KVM_CAP_S390_IRQCHIP		99
#define KVM_CAP_IOEVENTFD_NO_LENGTH	100
#define KVM_CAP_VM_ATTRIBUTES		101
#define KVM_CAP_ARM_PSCI_0_2		102
#define KVM_CAP_PPC_FIXUP_HCALL		103
#define KVM_CAP_PPC_ENABLE_HCALL	104
#define KVM_CAP_CHECK_EXTENSION_VM	105
#define KVM_CAP_S390_USER_SIGP		106
#define KVM_CAP_S390_VECTOR_REGISTERS	107
#define KVM_CAP_S390_MEM_OP		108
#define KVM_CAP_S390_USER_STSI		109
#define KVM_CAP_S390_SKEYS		110
#define KVM_CAP_MIPS_FPU		111
#define KVM_CAP_MIPS_MSA		112
#define KVM_CAP_S390_INJECT_IRQ		113
#define KVM_CAP_S390_IRQ_STATE		114
#define KVM_CAP_PPC_HWRNG		115
#define KVM_CAP_DISABLE_QUIRKS		116
#define KVM_CAP_X86_SMM			117
#define KVM_CAP_MULTI_ADDRESS_SPACE	118
#define KVM_CAP_GUEST_DEBUG_HW_BPS	119
#define KVM_CAP_GUEST_DEBUG_HW_WPS	120
#define KVM_CAP_SPLIT_IRQCHIP		121
#define KVM_CAP_IOEVENTFD_ANY_LENGTH	122
#define KVM_CAP_HYPERV_SYNIC		123
#define KVM_CAP_S390_RI			124
#define KVM_CAP_SPAPR_TCE_64		125
#define KVM_CAP_ARM_PMU_V3		126
#define KVM_CAP_VCPU_ATTRIBUTES		127
#define KVM_CAP_MAX_VCPU_ID		128
#define KVM_CAP_X2APIC_API		129
#define KVM_CAP_S390_USER_INSTR0	130
#define KVM_CAP_MSI_DEVID		131
#define KVM_CAP_PPC_HTM			132
#define KVM_CAP_SPAPR_RESIZE_HPT	133
#define KVM_CAP_PPC_MMU_RADIX		134
#define KVM_CAP_PPC_MMU_HASH_V3		135
#define KVM_CAP_IMMEDIATE_EXIT		136
#define KVM_CAP_MIPS_VZ			137
#define KVM_CAP_MIPS_TE			138
#define KVM_CAP_MIPS_64BIT		139
#define KVM_CAP_S390_GS			140
#define KVM_CAP_S390_AIS		141
#define KVM_CAP_SPAPR_TCE_VFIO		142
#define KVM_CAP_X86_DISABLE_EXITS	143
#define KVM_CAP_ARM_USER_IRQ		144
#define KVM_CAP_S390_CMMA_MIGRATION	145
#define KVM_CAP_PPC_FWNMI		146
#define KVM_CAP_PPC_SMT_POSSIBLE	147
#define KVM_CAP_HYPERV_SYNIC2		148
#define KVM_CAP_HYPERV_VP_INDEX		149
#define KVM_CAP_S390_AIS_MIGRATION	150
#define KVM_CAP_PPC_GET_CPU_CHAR	151
#define KVM_CAP_S390_BPB		152
#define KVM_CAP_GET_MSR_FEATURES	153
#define KVM_CAP_HYPERV_EVENTFD		154
#define KVM_CAP_HYPERV_TLBFLUSH		155
#define KVM_CAP_S390_HPAGE_1M		156
#define KVM_CAP_NESTED_STATE		157
#define KVM_CAP_ARM_INJECT_SERROR_ESR	158
#define KVM_CAP_MSR_PLATFORM_INFO	159
#define KVM_CAP_PPC_NESTED_HV		160
#define KVM_CAP_HYPERV_SEND_IPI		161
#define KVM_CAP_COALESCED_PIO		162
#define KVM_CAP_HYPERV_ENLIGHTENED_VMCS	163
#define KVM_CAP_EXCEPTION_PAYLOAD	164
#define KVM_CAP_ARM_VM_IPA_SIZE		165
#define KVM_CAP_MANUAL_DIRTY_LOG_PROTECT	166
#define KVM_CAP_HYPERV_CPUID		167
#define KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2	168
#define KVM_CAP_PPC_IRQ_XIVE		169
#define KVM_CAP_ARM_SVE			170
#define KVM_CAP_ARM_PTRAUTH_ADDRESS	171
#define KVM_CAP_ARM_PTRAUTH_GENERIC	172
#define KVM_CAP_PMU_EVENT_FILTER	173
#define KVM_CAP_ARM_IRQ_LINE_LAYOUT_2	174
#define KVM_CAP_HYPERV_DIRECT_TLBFLUSH	175
#define KVM_CAP_PPC_GUEST_DEBUG_SSTEP	176
#define KVM_CAP_ARM_NISV_TO_USER	177
#define KVM_CAP_ARM_INJECT_EXT_DABT	178
#define KVM_CAP_S390_VCPU_RESETS	179
#define KVM_CAP_S390_PROTECTED		180
#define KVM_CAP_PPC_SECURE_GUEST	181
#define KVM_CAP_HALT_POLL		182
#define KVM_CAP_ASYNC_PF_INT		183
#define KVM_CAP_LAST_CPU		184
#define KVM_CAP_SMALLER_MAXPHYADDR	185
#define KVM_CAP_S390_DIAG318		186
#define KVM_CAP_STEAL_TIME		187
#define KVM_CAP_X86_USER_SPACE_MSR	188
#define KVM_CAP_X86_MSR_FILTER		189
#define KVM_CAP_ENFORCE_PV_FEATURE_CPUID	190
#define KVM_CAP_SYS_HYPERV_CPUID	191
#define KVM_CAP_DIRTY_LOG_RING		192
#define KVM_CAP_X86_BUS_LOCK_EXIT	193
#define KVM_CAP_PPC_DAWR1		194
#define KVM_CAP_SET_GUEST_DEBUG2	195
#define KVM_CAP_SGX_ATTRIBUTE		196
#define KVM_CAP_VM_COPY_ENC_CONTEXT_FROM	197
#define KVM_CAP_PTP_KVM			198
#define KVM_CAP_HYPERV_ENFORCE_CPUID	199
#define KVM_CAP_SREGS2			200
#define KVM_CAP_EXIT_HYPERCALL		201
#define KVM_CAP_PPC_RPT_INVALIDATE	202
#define KVM_CAP_BINARY_STATS_FD		203
#define KVM_CAP_EXIT_ON_EMULATION_FAILURE	204
#define KVM_CAP_ARM_MTE			205
#define KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM	206
#define KVM_CAP_VM_GPA_BITS		207
#define KVM_CAP_XSAVE2			208
#define KVM_CAP_SYS_ATTRIBUTES		209
#define KVM_CAP_PPC_AIL_MODE_3		210
#define KVM_CAP_S390_MEM_OP_EXTENSION	211
#define KVM_CAP_PMU_CAPABILITY		212
#define KVM_CAP_DISABLE_QUIRKS2		213
#define KVM_CAP_VM_TSC_CONTROL		214
#define KVM_CAP_SYSTEM_EVENT_DATA	215
#define KVM_CAP_ARM_SYSTEM_SUSPEND	216
#define KVM_CAP_S390_PROTECTED_DUMP	217
#define KVM_CAP_X86_TRIPLE_FAULT_EVENT	218
#define KVM_CAP_X86_NOTIFY_VMEXIT	219
#define KVM_CAP_VM_DISABLE_NX_HUGE_PAGES	220
#define KVM_CAP_S390_ZPCI_OP		221
#define KVM_CAP_S390_CPU_TOPOLOGY	222
#define KVM_CAP_DIRTY_LOG_RING_ACQ_REL	223
#define KVM_CAP_S390_PROTECTED_ASYNC_DISABLE	224
#define KVM_CAP_DIRTY_LOG_RING_WITH_BITMAP	225
#define KVM_CAP_PMU_EVENT_MASKED_EVENTS	226
#define KVM_CAP_COUNTER_OFFSET		227
#define KVM_CAP_ARM_EAGER_SPLIT_CHUNK_SIZE	228
#define KVM_CAP_ARM_SUPPORTED_BLOCK_SIZES	229
#define KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES	230
#define KVM_CAP_USER_MEMORY2		231
#define KVM_CAP_MEMORY_FAULT_INFO	232
#define KVM_CAP_MEMORY_ATTRIBUTES	233
#define KVM_CAP_GUEST_MEMFD		234
#define KVM_CAP_VM_TYPES		235
#define KVM_CAP_PRE_FAULT_MEMORY	236
#define KVM_CAP_X86_APIC_BUS_CYCLES_NS	237
#define KVM_CAP_X86_GUEST_MODE		238

/* KVM_CREATE_VM's type for other architectures' hosts; x86's are in <asm/kvm.h>. */
#define KVM_VM_TYPE_ARM_IPA_SIZE_MASK	0xffULL
#define KVM_VM_TYPE_ARM_IPA_SIZE(x)	((x) & KVM_VM_TYPE_ARM_IPA_SIZE_MASK)

/* KVM_SET_GSI_ROUTING: the routes of global system interrupts. */
struct kvm_irq_routing_irqchip {
	__u32 irqchip;
	__u32 pin;
};

struct kvm_irq_routing_msi {
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
	union {
		__u32 pad;
		__u32 devid;
	};
};

struct kvm_irq_routing_s390_adapter {
	__u64 ind_addr;
	__u64 summary_addr;
	__u64 ind_offset;
	__u32 summary_offset;
	__u32 adapter_id;
};

struct kvm_irq_routing_hv_sint {
	__u32 vcpu;
	__u32 sint;
};

struct kvm_irq_routing_xen_evtchn {
	__u32 port;
	__u32 vcpu;
	__u32 priority;
};

#define KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL	((__u32)(-1))

#define KVM_IRQ_ROUTING_IRQCHIP		1
#define KVM_IRQ_ROUTING_MSI		2
#define KVM_IRQ_ROUTING_S390_ADAPTER	3
#define KVM_IRQ_ROUTING_HV_SINT		4
#define KVM_IRQ_ROUTING_XEN_EVTCHN	5

struct kvm_irq_routing_entry {
	__u32 gsi;
	__u32 type;
	__u32 flags;
	__u32 pad;
	union {
		struct kvm_irq_routing_irqchip irqchip;
		struct kvm_irq_routing_msi msi;
		struct kvm_irq_routing_s390_adapter adapter;
		struct kvm_irq_routing_hv_sint hv_sint;
		struct kvm_irq_routing_xen_evtchn xen_evtchn;
		__u32 pad[8];
	} u;
};

struct kvm_irq_routing {
	__u32 nr;
	__u32 flags;
	struct kvm_irq_routing_entry entries[];
};

/* for KVM_IRQFD */
#define KVM_IRQFD_FLAG_DEASSIGN	(1 << 0)
#define KVM_IRQFD_FLAG_RESAMPLE	(1 << 1)

struct kvm_irqfd {
	__u32 fd;
	__u32 gsi;
	__u32 flags;
	__u32 resamplefd;
	__u8 pad[16];
};

/* for KVM_GET/SET_CLOCK: kvmclock, and which of the extra fields are valid */
#define KVM_CLOCK_TSC_STABLE	2
#define KVM_CLOCK_REALTIME	(1 << 2)
#define KVM_CLOCK_HOST_TSC	(1 << 3)

struct kvm_clock_data {
	__u64 clock;
	__u32 flags;
	__u32 pad0;
	__u64 realtime;
	__u64 host_tsc;
	__u32 pad[4];
};

/* for KVM_CAP_SW_TLB and KVM_DIRTY_TLB */
#define KVM_MMU_FSL_BOOKE_NOHV	0
#define KVM_MMU_FSL_BOOKE_HV	1

struct kvm_config_tlb {
	__u64 params;
	__u64 array;
	__u32 mmu_type;
	__u32 array_len;
};

struct kvm_dirty_tlb {
	__u64 bitmap;
	__u32 num_dirty;
};

/* KVM_GET/SET_ONE_REG register ids: architecture, size, then the architecture's number. */
#define KVM_REG_ARCH_MASK	0xff00000000000000ULL
#define KVM_REG_GENERIC		0x0000000000000000ULL
#define KVM_REG_PPC		0x1000000000000000ULL
#define KVM_REG_X86		0x2000000000000000ULL
#define KVM_REG_IA64		0x3000000000000000ULL
#define KVM_REG_ARM		0x4000000000000000ULL
#define KVM_REG_S390		0x5000000000000000ULL
#define KVM_REG_ARM64		0x6000000000000000ULL
#define KVM_REG_MIPS		0x7000000000000000ULL
#define KVM_REG_RISCV		0x8000000000000000ULL
#define KVM_REG_LOONGARCH	0x9000000000000000ULL

#define KVM_REG_SIZE_SHIFT	52
#define KVM_REG_SIZE_MASK	0x00f0000000000000ULL
#define KVM_REG_SIZE_U8		0x0000000000000000ULL
#define KVM_REG_SIZE_U16	0x0010000000000000ULL
#define KVM_REG_SIZE_U32	0x0020000000000000ULL
#define KVM_REG_SIZE_U64	0x0030000000000000ULL
#define KVM_REG_SIZE_U128	0x0040000000000000ULL
#define KVM_REG_SIZE_U256	0x0050000000000000ULL
#define KVM_REG_SIZE_U512	0x0060000000000000ULL
#define KVM_REG_SIZE_U1024	0x0070000000000000ULL
#define KVM_REG_SIZE_U2048	0x0080000000000000ULL

/* for KVM_GET_REG_LIST */
struct kvm_reg_list {
	__u64 n;
	__u64 reg[];
};

/* for KVM_GET/SET_ONE_REG */
struct kvm_one_reg {
	__u64 id;
	__u64 addr;
};

/* for KVM_SIGNAL_MSI */
#define KVM_MSI_VALID_DEVID	(1U << 0)

struct kvm_msi {
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
	__u32 flags;
	__u32 devid;
	__u8 pad[12];
};

/* for KVM_CREATE_DEVICE */
#define KVM_CREATE_DEVICE_TEST	1

struct kvm_create_device {
	__u32 type;		/* in: KVM_DEV_TYPE_* */
	__u32 fd;		/* out: the device's fd */
	__u32 flags;		/* in: KVM_CREATE_DEVICE_* */
};

/* for KVM_SET/GET/HAS_DEVICE_ATTR: on a device, a vCPU, a VM or (x86) the system fd */
struct kvm_device_attr {
	__u32 flags;		/* none defined: 0 */
	__u32 group;		/* per device */
	__u64 attr;		/* per group */
	__u64 addr;		/* the attribute's data in userspace */
};

/* The VFIO pseudo-device's attributes. */
#define  KVM_DEV_VFIO_FILE			1
#define   KVM_DEV_VFIO_FILE_ADD			1
#define   KVM_DEV_VFIO_FILE_DEL			2
#define  KVM_DEV_VFIO_GROUP			KVM_DEV_VFIO_FILE
#define   KVM_DEV_VFIO_GROUP_ADD		KVM_DEV_VFIO_FILE_ADD
#define   KVM_DEV_VFIO_GROUP_DEL		KVM_DEV_VFIO_FILE_DEL
#define   KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE	3

enum kvm_device_type {
	KVM_DEV_TYPE_FSL_MPIC_20 = 1,
#define KVM_DEV_TYPE_FSL_MPIC_20	KVM_DEV_TYPE_FSL_MPIC_20
	KVM_DEV_TYPE_FSL_MPIC_42,
#define KVM_DEV_TYPE_FSL_MPIC_42	KVM_DEV_TYPE_FSL_MPIC_42
	KVM_DEV_TYPE_XICS,
#define KVM_DEV_TYPE_XICS		KVM_DEV_TYPE_XICS
	KVM_DEV_TYPE_VFIO,
#define KVM_DEV_TYPE_VFIO		KVM_DEV_TYPE_VFIO
	KVM_DEV_TYPE_ARM_VGIC_V2,
#define KVM_DEV_TYPE_ARM_VGIC_V2	KVM_DEV_TYPE_ARM_VGIC_V2
	KVM_DEV_TYPE_FLIC,
#define KVM_DEV_TYPE_FLIC		KVM_DEV_TYPE_FLIC
	KVM_DEV_TYPE_ARM_VGIC_V3,
#define KVM_DEV_TYPE_ARM_VGIC_V3	KVM_DEV_TYPE_ARM_VGIC_V3
	KVM_DEV_TYPE_ARM_VGIC_ITS,
#define KVM_DEV_TYPE_ARM_VGIC_ITS	KVM_DEV_TYPE_ARM_VGIC_ITS
	KVM_DEV_TYPE_XIVE,
#define KVM_DEV_TYPE_XIVE		KVM_DEV_TYPE_XIVE
	KVM_DEV_TYPE_ARM_PV_TIME,
#define KVM_DEV_TYPE_ARM_PV_TIME	KVM_DEV_TYPE_ARM_PV_TIME
	KVM_DEV_TYPE_RISCV_AIA,
#define KVM_DEV_TYPE_RISCV_AIA		KVM_DEV_TYPE_RISCV_AIA
	KVM_DEV_TYPE_MAX,
};

struct kvm_vfio_spapr_tce {
	__s32 groupfd;
	__s32 tablefd;
};

/* VM ioctls. */
#define KVM_CREATE_VCPU			_IO(KVMIO, 0x41)
#define KVM_GET_DIRTY_LOG		_IOW(KVMIO, 0x42, struct kvm_dirty_log)
#define KVM_SET_NR_MMU_PAGES		_IO(KVMIO, 0x44)
#define KVM_GET_NR_MMU_PAGES		_IO(KVMIO, 0x45)	/* deprecated */
#define KVM_SET_USER_MEMORY_REGION	_IOW(KVMIO, 0x46, struct kvm_userspace_memory_region)
#define KVM_SET_TSS_ADDR		_IO(KVMIO, 0x47)
#define KVM_SET_IDENTITY_MAP_ADDR	_IOW(KVMIO, 0x48, __u64)
#define KVM_SET_USER_MEMORY_REGION2	_IOW(KVMIO, 0x49, struct kvm_userspace_memory_region2)

/* Interrupt controllers and the PIT (VM). */
#define KVM_CREATE_IRQCHIP		_IO(KVMIO, 0x60)
#define KVM_IRQ_LINE			_IOW(KVMIO, 0x61, struct kvm_irq_level)
#define KVM_GET_IRQCHIP			_IOWR(KVMIO, 0x62, struct kvm_irqchip)
#define KVM_SET_IRQCHIP			_IOR(KVMIO, 0x63, struct kvm_irqchip)
#define KVM_CREATE_PIT			_IO(KVMIO, 0x64)
#define KVM_GET_PIT			_IOWR(KVMIO, 0x65, struct kvm_pit_state)
#define KVM_SET_PIT			_IOR(KVMIO, 0x66, struct kvm_pit_state)
#define KVM_IRQ_LINE_STATUS		_IOWR(KVMIO, 0x67, struct kvm_irq_level)
#define KVM_REGISTER_COALESCED_MMIO	_IOW(KVMIO, 0x67, struct kvm_coalesced_mmio_zone)
#define KVM_UNREGISTER_COALESCED_MMIO	_IOW(KVMIO, 0x68, struct kvm_coalesced_mmio_zone)
#define KVM_SET_GSI_ROUTING		_IOW(KVMIO, 0x6a, struct kvm_irq_routing)
#define KVM_REINJECT_CONTROL		_IO(KVMIO, 0x71)
#define KVM_IRQFD			_IOW(KVMIO, 0x76, struct kvm_irqfd)
#define KVM_CREATE_PIT2			_IOW(KVMIO, 0x77, struct kvm_pit_config)
#define KVM_SET_BOOT_CPU_ID		_IO(KVMIO, 0x78)
#define KVM_IOEVENTFD			_IOW(KVMIO, 0x79, struct kvm_ioeventfd)
#define KVM_XEN_HVM_CONFIG		_IOW(KVMIO, 0x7a, struct kvm_xen_hvm_config)
#define KVM_SET_CLOCK			_IOW(KVMIO, 0x7b, struct kvm_clock_data)
#define KVM_GET_CLOCK			_IOR(KVMIO, 0x7c, struct kvm_clock_data)
#define KVM_GET_PIT2			_IOR(KVMIO, 0x9f, struct kvm_pit_state2)
#define KVM_SET_PIT2			_IOW(KVMIO, 0xa0, struct kvm_pit_state2)
/* On a VM (the default for its vCPUs) or a vCPU: the guest TSC rate in kHz. */
#define KVM_SET_TSC_KHZ			_IO(KVMIO, 0xa2)
#define KVM_GET_TSC_KHZ			_IO(KVMIO, 0xa3)
#define KVM_SIGNAL_MSI			_IOW(KVMIO, 0xa5, struct kvm_msi)
#define KVM_SET_PMU_EVENT_FILTER	_IOW(KVMIO, 0xb2, struct kvm_pmu_event_filter)

/* Devices: on a VM (CREATE), a device, a vCPU or the system fd (the attributes). */
#define KVM_CREATE_DEVICE		_IOWR(KVMIO, 0xe0, struct kvm_create_device)
#define KVM_SET_DEVICE_ATTR		_IOW(KVMIO, 0xe1, struct kvm_device_attr)
#define KVM_GET_DEVICE_ATTR		_IOW(KVMIO, 0xe2, struct kvm_device_attr)
#define KVM_HAS_DEVICE_ATTR		_IOW(KVMIO, 0xe3, struct kvm_device_attr)

/* vCPU ioctls. */
#define KVM_RUN				_IO(KVMIO, 0x80)
#define KVM_GET_REGS			_IOR(KVMIO, 0x81, struct kvm_regs)
#define KVM_SET_REGS			_IOW(KVMIO, 0x82, struct kvm_regs)
#define KVM_GET_SREGS			_IOR(KVMIO, 0x83, struct kvm_sregs)
#define KVM_SET_SREGS			_IOW(KVMIO, 0x84, struct kvm_sregs)
#define KVM_TRANSLATE			_IOWR(KVMIO, 0x85, struct kvm_translation)
#define KVM_INTERRUPT			_IOW(KVMIO, 0x86, struct kvm_interrupt)
#define KVM_GET_MSRS			_IOWR(KVMIO, 0x88, struct kvm_msrs)
#define KVM_SET_MSRS			_IOW(KVMIO, 0x89, struct kvm_msrs)
#define KVM_SET_CPUID			_IOW(KVMIO, 0x8a, struct kvm_cpuid)
#define KVM_SET_SIGNAL_MASK		_IOW(KVMIO, 0x8b, struct kvm_signal_mask)
#define KVM_GET_FPU			_IOR(KVMIO, 0x8c, struct kvm_fpu)
#define KVM_SET_FPU			_IOW(KVMIO, 0x8d, struct kvm_fpu)
#define KVM_GET_LAPIC			_IOR(KVMIO, 0x8e, struct kvm_lapic_state)
#define KVM_SET_LAPIC			_IOW(KVMIO, 0x8f, struct kvm_lapic_state)
#define KVM_SET_CPUID2			_IOW(KVMIO, 0x90, struct kvm_cpuid2)
#define KVM_GET_CPUID2			_IOWR(KVMIO, 0x91, struct kvm_cpuid2)
#define KVM_TPR_ACCESS_REPORTING	_IOWR(KVMIO, 0x92, struct kvm_tpr_access_ctl)
#define KVM_SET_VAPIC_ADDR		_IOW(KVMIO, 0x93, struct kvm_vapic_addr)
#define KVM_GET_MP_STATE		_IOR(KVMIO, 0x98, struct kvm_mp_state)
#define KVM_SET_MP_STATE		_IOW(KVMIO, 0x99, struct kvm_mp_state)
#define KVM_NMI				_IO(KVMIO, 0x9a)
#define KVM_SET_GUEST_DEBUG		_IOW(KVMIO, 0x9b, struct kvm_guest_debug)
#define KVM_X86_SETUP_MCE		_IOW(KVMIO, 0x9c, __u64)
#define KVM_X86_GET_MCE_CAP_SUPPORTED	_IOR(KVMIO, 0x9d, __u64)
#define KVM_X86_SET_MCE			_IOW(KVMIO, 0x9e, struct kvm_x86_mce)
#define KVM_GET_VCPU_EVENTS		_IOR(KVMIO, 0x9f, struct kvm_vcpu_events)
#define KVM_SET_VCPU_EVENTS		_IOW(KVMIO, 0xa0, struct kvm_vcpu_events)
#define KVM_GET_DEBUGREGS		_IOR(KVMIO, 0xa1, struct kvm_debugregs)
#define KVM_SET_DEBUGREGS		_IOW(KVMIO, 0xa2, struct kvm_debugregs)
#define KVM_ENABLE_CAP			_IOW(KVMIO, 0xa3, struct kvm_enable_cap)
#define KVM_GET_XSAVE			_IOR(KVMIO, 0xa4, struct kvm_xsave)
#define KVM_SET_XSAVE			_IOW(KVMIO, 0xa5, struct kvm_xsave)
#define KVM_GET_XCRS			_IOR(KVMIO, 0xa6, struct kvm_xcrs)
#define KVM_SET_XCRS			_IOW(KVMIO, 0xa7, struct kvm_xcrs)
#define KVM_DIRTY_TLB			_IOW(KVMIO, 0xaa, struct kvm_dirty_tlb)
#define KVM_GET_ONE_REG			_IOW(KVMIO, 0xab, struct kvm_one_reg)
#define KVM_SET_ONE_REG			_IOW(KVMIO, 0xac, struct kvm_one_reg)
#define KVM_KVMCLOCK_CTRL		_IO(KVMIO, 0xad)
#define KVM_GET_REG_LIST		_IOWR(KVMIO, 0xb0, struct kvm_reg_list)
#define KVM_SMI				_IO(KVMIO, 0xb7)

/* VM ioctl for confidential-computing commands (SEV, SNP, TDX). */
#define KVM_MEMORY_ENCRYPT_OP		_IOWR(KVMIO, 0xba, unsigned long)

struct kvm_enc_region {
	__u64 addr;
	__u64 size;
};

#define KVM_MEMORY_ENCRYPT_REG_REGION	_IOR(KVMIO, 0xbb, struct kvm_enc_region)
#define KVM_MEMORY_ENCRYPT_UNREG_REGION	_IOR(KVMIO, 0xbc, struct kvm_enc_region)

#define KVM_HYPERV_EVENTFD		_IOW(KVMIO, 0xbd, struct kvm_hyperv_eventfd)
#define KVM_GET_NESTED_STATE		_IOWR(KVMIO, 0xbe, struct kvm_nested_state)
#define KVM_SET_NESTED_STATE		_IOW(KVMIO, 0xbf, struct kvm_nested_state)
#define KVM_CLEAR_DIRTY_LOG		_IOWR(KVMIO, 0xc0, struct kvm_clear_dirty_log)
#define KVM_GET_SUPPORTED_HV_CPUID	_IOWR(KVMIO, 0xc1, struct kvm_cpuid2)
#define KVM_X86_SET_MSR_FILTER		_IOW(KVMIO, 0xc6, struct kvm_msr_filter)
#define KVM_RESET_DIRTY_RINGS		_IO(KVMIO, 0xc7)
#define KVM_XEN_HVM_GET_ATTR		_IOWR(KVMIO, 0xc8, struct kvm_xen_hvm_attr)
#define KVM_XEN_HVM_SET_ATTR		_IOW(KVMIO, 0xc9, struct kvm_xen_hvm_attr)
#define KVM_XEN_VCPU_GET_ATTR		_IOWR(KVMIO, 0xca, struct kvm_xen_vcpu_attr)
#define KVM_XEN_VCPU_SET_ATTR		_IOW(KVMIO, 0xcb, struct kvm_xen_vcpu_attr)
#define KVM_XEN_HVM_EVTCHN_SEND		_IOW(KVMIO, 0xd0, struct kvm_irq_routing_xen_evtchn)
#define KVM_GET_SREGS2			_IOR(KVMIO, 0xcc, struct kvm_sregs2)
#define KVM_SET_SREGS2			_IOW(KVMIO, 0xcd, struct kvm_sregs2)

/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2's flags */
#define KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE	(1 << 0)
#define KVM_DIRTY_LOG_INITIALLY_SET		(1 << 1)

/* The dirty ring (KVM_CAP_DIRTY_LOG_RING): entries at KVM_DIRTY_LOG_PAGE_OFFSET. */
#define KVM_DIRTY_GFN_F_DIRTY		_BITUL(0)
#define KVM_DIRTY_GFN_F_RESET		_BITUL(1)
#define KVM_DIRTY_GFN_F_MASK		0x3

struct kvm_dirty_gfn {
	__u32 flags;
	__u32 slot;
	__u64 offset;
};

/* KVM_CAP_X86_BUS_LOCK_EXIT */
#define KVM_BUS_LOCK_DETECTION_OFF	(1 << 0)
#define KVM_BUS_LOCK_DETECTION_EXIT	(1 << 1)

/* KVM_CAP_PMU_CAPABILITY */
#define KVM_PMU_CAP_DISABLE		(1 << 0)

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

#define KVM_GET_STATS_FD		_IO(KVMIO, 0xce)

/* Like KVM_GET_XSAVE, sized by KVM_CHECK_EXTENSION(KVM_CAP_XSAVE2). */
#define KVM_GET_XSAVE2			_IOR(KVMIO, 0xcf, struct kvm_xsave)

/* KVM_CAP_X86_NOTIFY_VMEXIT */
#define KVM_X86_NOTIFY_VMEXIT_ENABLED	(1ULL << 0)
#define KVM_X86_NOTIFY_VMEXIT_USER	(1ULL << 1)

/* for KVM_SET_MEMORY_ATTRIBUTES */
#define KVM_SET_MEMORY_ATTRIBUTES	_IOW(KVMIO, 0xd2, struct kvm_memory_attributes)

struct kvm_memory_attributes {
	__u64 address;
	__u64 size;
	__u64 attributes;
	__u64 flags;
};

#define KVM_MEMORY_ATTRIBUTE_PRIVATE	(1ULL << 3)

/* for KVM_CREATE_GUEST_MEMFD */
#define KVM_CREATE_GUEST_MEMFD		_IOWR(KVMIO, 0xd4, struct kvm_create_guest_memfd)

struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};

/* for KVM_PRE_FAULT_MEMORY (vCPU): in, the range; out, what is left of it */
#define KVM_PRE_FAULT_MEMORY		_IOWR(KVMIO, 0xd5, struct kvm_pre_fault_memory)

struct kvm_pre_fault_memory {
	__u64 gpa;
	__u64 size;
	__u64 flags;
	__u64 padding[5];
};

#endif /* _UAPI_LINUX_KVM_H */
