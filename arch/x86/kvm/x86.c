// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 KVM: architecture set-up, VM and vCPU types, the architectural vCPU state that
 * KVM_{GET,SET}_{REGS,SREGS} expose, and dispatch of the x86 VM and vCPU ioctls.
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/sched.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/sev.h>
#include <asm/tdx.h>
#include <asm/tsc.h>

#include "exec/exec.h"
#include "mmu.h"
#include "x86.h"
#include "svm/svm.h"
#include "vmx/vmx.h"

int kvm_arch_init(void)
{
	int r, err;

	r = snp_rmptable_init();
	if (r)
		return r;
	/* As kvm-amd does at load: bring up the SNP firmware. */
	r = sev_platform_init(&err);
	if (r) {
		pr_err("SNP_INIT failed: firmware status %#x\n", err);
		goto err_rmp;
	}
	/* As kvm-intel does: the TDX module and its PAMT. */
	r = tdx_module_init();
	if (r)
		goto err_sev;
	return 0;

err_sev:
	sev_platform_shutdown();
err_rmp:
	snp_rmptable_exit();
	return r;
}

void kvm_arch_exit(void)
{
	tdx_module_exit();
	sev_platform_shutdown();
	snp_rmptable_exit();
}

static const struct kvm_exec_ops *kvm_engines[] = {
	[KVM_COCO_ENGINE_MODEL] = &kvm_exec_model_ops,
	[KVM_COCO_ENGINE_TCG] = NULL,
};

/* What a new VM's vCPUs run on unless its VMM chooses (KVM_CAP_COCO_ENGINE). */
static unsigned int kvm_default_engine = KVM_COCO_ENGINE_MODEL;

void kvm_exec_register(unsigned int id, const struct kvm_exec_ops *ops, bool dflt)
{
	if (WARN_ON(id >= ARRAY_SIZE(kvm_engines)))
		return;
	kvm_engines[id] = ops;
	if (dflt)
		kvm_default_engine = id;
}

unsigned long kvm_arch_engines(void)
{
	unsigned long mask = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kvm_engines); i++)
		if (kvm_engines[i])
			mask |= BIT(i);
	return mask;
}

/* Like a TLB shootdown: the engine makes sure no vCPU still holds a stale translation. */
void kvm_flush_remote_tlbs(struct kvm *kvm)
{
	const struct kvm_exec_ops *engine = kvm_engines[kvm->arch.engine];

	/* Every caller holds slots_lock: the statistic's lock. */
	lockdep_assert_held(&kvm->slots_lock);
	kvm_stat_inc(kvm->stat.remote_tlb_flush);
	if (engine->flush_remote_tlbs)
		engine->flush_remote_tlbs(kvm);
}

/* The engine for a VM's vCPUs: only before the first, and only one this host has. */
static int kvm_vm_set_engine(struct kvm *kvm, u64 id)
{
	int r = -EINVAL;

	mutex_lock(&kvm->lock);
	if (id < ARRAY_SIZE(kvm_engines) && kvm_engines[id] && !kvm->created_vcpus) {
		kvm->arch.engine = id;
		r = 0;
	}
	mutex_unlock(&kvm->lock);
	return r;
}

/* TDs are VT's; every other VM type runs on SVM, as the model's default CPU is AMD's. */
static const struct kvm_x86_ops *kvm_x86_ops_for(unsigned long type)
{
	return type == KVM_X86_TDX_VM ? &vt_x86_ops : &svm_x86_ops;
}

void kvm_arch_init_vm(struct kvm *kvm, unsigned long type)
{
	kvm->arch.vm_type = type;
	kvm->arch.ops = kvm_x86_ops_for(type);
	kvm->arch.engine = kvm_default_engine;
	kvm->arch.has_private_mem = type == KVM_X86_SW_PROTECTED_VM ||
				    type == KVM_X86_SNP_VM || type == KVM_X86_TDX_VM;
	kvm->arch.has_protected_state = type == KVM_X86_SEV_ES_VM ||
					type == KVM_X86_SNP_VM || type == KVM_X86_TDX_VM;
	xa_init(&kvm->arch.npt);
	mutex_init(&kvm->arch.mmu_lock);
	kvm->arch.ops->vm_init(kvm);
}

void kvm_arch_destroy_vm(struct kvm *kvm)
{
	xa_destroy(&kvm->arch.npt);
	mutex_destroy(&kvm->arch.mmu_lock);
	kvm->arch.ops->vm_destroy(kvm);
}

int kvm_arch_vcpu_create(struct kvm_vcpu *vcpu)
{
	const struct kvm_exec_ops *engine = kvm_engines[vcpu->kvm->arch.engine];
	int r;

	kvm_vcpu_arch_reset(&vcpu->arch, !vcpu->vcpu_id);
	vcpu->arch.engine = engine;
	r = vcpu->kvm->arch.ops->vcpu_create(vcpu);
	if (r || !engine->vcpu_create)
		return r;
	r = engine->vcpu_create(vcpu);
	if (r)
		vcpu->kvm->arch.ops->vcpu_free(vcpu);
	return r;
}

void kvm_arch_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	if (vcpu->arch.engine->vcpu_free)
		vcpu->arch.engine->vcpu_free(vcpu);
	vcpu->kvm->arch.ops->vcpu_free(vcpu);
	kvm_vcpu_free_cpuid(vcpu);
}

int kvm_arch_gmem_invalidate(struct kvm *kvm, unsigned long pfn)
{
	return kvm->arch.ops->gmem_invalidate(kvm, pfn);
}

/* A private fault's page goes to the guest through its vendor. */
int kvm_arch_gmem_prepare(struct kvm *kvm, gfn_t gfn, unsigned long pfn)
{
	return kvm->arch.ops->gmem_prepare(kvm, gfn, pfn);
}

/*
 * KVM_CAP_MAX_VCPU_ID: a lower bound than KVM's on the vCPU ids, set once (the same value
 * again is fine), as upstream.
 */
static int kvm_vm_set_max_vcpu_id(struct kvm *kvm, u64 max)
{
	int r = -EINVAL;

	if (max > KVM_MAX_VCPU_IDS)
		return -EINVAL;
	mutex_lock(&kvm->lock);
	if (kvm->arch.max_vcpu_ids == max || !kvm->arch.max_vcpu_ids) {
		kvm->arch.max_vcpu_ids = max;
		r = 0;
	}
	mutex_unlock(&kvm->lock);
	return r;
}

int kvm_arch_vcpu_precreate(struct kvm *kvm, unsigned int id)
{
	lockdep_assert_held(&kvm->lock);
	if (kvm->arch.max_vcpu_ids && id >= kvm->arch.max_vcpu_ids)
		return -EINVAL;
	return 0;
}

/* KVM_ENABLE_CAP on a VM: flags, unused arguments and pad must be zero (ours: strict). */
static int kvm_vm_ioctl_enable_cap(struct kvm *kvm, void __user *argp)
{
	struct kvm_enable_cap cap;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	if (cap.flags || memchr_inv(&cap.args[1], 0, sizeof(cap.args) - sizeof(cap.args[0])) ||
	    memchr_inv(cap.pad, 0, sizeof(cap.pad)))
		return -EINVAL;
	switch (cap.cap) {
	case KVM_CAP_EXIT_HYPERCALL:
		if (cap.args[0] & ~KVM_EXIT_HYPERCALL_VALID_MASK)
			return -EINVAL;
		WRITE_ONCE(kvm->arch.hypercall_exit_enabled, cap.args[0]);
		return 0;
	case KVM_CAP_COCO_ENGINE:
		return kvm_vm_set_engine(kvm, cap.args[0]);
	case KVM_CAP_MAX_VCPU_ID:
		return kvm_vm_set_max_vcpu_id(kvm, cap.args[0]);
	case KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM:
		if (!kvm->arch.ops->vm_move_enc_context_from)
			return -EINVAL;
		return kvm->arch.ops->vm_move_enc_context_from(kvm, cap.args[0]);
	case KVM_CAP_VM_COPY_ENC_CONTEXT_FROM:
		if (!kvm->arch.ops->vm_copy_enc_context_from)
			return -EINVAL;
		return kvm->arch.ops->vm_copy_enc_context_from(kvm, cap.args[0]);
	default:
		return -EINVAL;
	}
}

/*
 * A system device attribute: the x86 group's (no XSAVE state components beyond x87 and SSE
 * are offered, so none a guest must ask for), or a vendor's.  KVM_HAS_DEVICE_ATTR is the same
 * without the value.  Flags must be zero (upstream ignores them).
 */
static long kvm_x86_dev_attr(struct kvm_device_attr __user *argp, bool get)
{
	static const struct kvm_x86_ops *const vendors[] = { &svm_x86_ops, &vt_x86_ops };
	struct kvm_device_attr attr;
	unsigned int i;
	int r = -ENXIO;
	u64 val = 0;

	if (copy_from_user(&attr, argp, sizeof(attr)))
		return -EFAULT;
	if (attr.flags)
		return -EINVAL;
	if (attr.group == KVM_X86_GRP_SYSTEM) {
		r = attr.attr == KVM_X86_XCOMP_GUEST_SUPP ? 0 : -ENXIO;
	} else {
		for (i = 0; i < ARRAY_SIZE(vendors) && r == -ENXIO; i++)
			if (vendors[i]->dev_get_attr)
				r = vendors[i]->dev_get_attr(attr.group, attr.attr, &val);
	}
	if (r || !get)
		return r;
	return copy_to_user(u64_to_user_ptr(attr.addr), &val, sizeof(val)) ? -EFAULT : 0;
}

/* The system device's x86 ioctls. */
long kvm_arch_dev_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	switch (ioctl) {
	case KVM_GET_SUPPORTED_CPUID:
		return kvm_dev_ioctl_get_supported_cpuid((void __user *)arg);
	case KVM_GET_MSR_INDEX_LIST:
		return kvm_dev_ioctl_get_msr_index_list((void __user *)arg);
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		return kvm_x86_dev_attr((void __user *)arg, ioctl == KVM_GET_DEVICE_ATTR);
	default:
		return -ENOTTY;
	}
}

/*
 * KVM_GET/SET_TSC_KHZ, on a VM or a vCPU.  There is no TSC scaling (KVM_CAP_TSC_CONTROL is
 * 0): the guest's TSC runs at the host's rate, and setting a rate is accepted only for that
 * one (or 0, the default).  Upstream records a rate it refuses; here a refusal changes nothing.
 */
static long kvm_tsc_khz_ioctl(unsigned int ioctl, unsigned long arg)
{
	if (ioctl == KVM_GET_TSC_KHZ)
		return tsc_khz ?: -EIO;
	return arg && arg != tsc_khz ? -EINVAL : 0;
}

long kvm_arch_vm_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct kvm *kvm = filp->private_data;

	switch (ioctl) {
	case KVM_ENABLE_CAP:
		return kvm_vm_ioctl_enable_cap(kvm, (void __user *)arg);
	case KVM_GET_TSC_KHZ:
	case KVM_SET_TSC_KHZ:
		return kvm_tsc_khz_ioctl(ioctl, arg);
	case KVM_SET_NR_MMU_PAGES:
		return kvm_vm_ioctl_set_nr_mmu_pages(kvm, arg);
	case KVM_CREATE_IRQCHIP:
		return kvm_vm_ioctl_create_irqchip(kvm);
	case KVM_MEMORY_ENCRYPT_OP:
		if (!kvm->arch.ops->mem_enc_ioctl)
			return -ENOTTY;
		return kvm->arch.ops->mem_enc_ioctl(kvm, (void __user *)arg);
	default:
		return kvm->arch.ops->vm_ioctl(kvm, ioctl, (void __user *)arg);
	}
}

/* The architectural state at INIT/RESET (SDM/APM), as KVM establishes it. */
void kvm_vcpu_arch_reset(struct kvm_vcpu_arch *a, bool bsp)
{
	struct kvm_segment data = { .limit = 0xffff, .type = 3, .present = 1, .s = 1 };

	memset(&a->regs, 0, sizeof(a->regs));
	memset(&a->sregs, 0, sizeof(a->sregs));
	a->regs.rdx = 0x600;
	a->regs.rip = 0xfff0;
	a->regs.rflags = 0x2;
	a->sregs.cs = (struct kvm_segment){ .base = 0xffff0000, .limit = 0xffff,
					    .selector = 0xf000, .type = 0xb, .present = 1,
					    .s = 1 };
	a->sregs.ds = data;
	a->sregs.es = data;
	a->sregs.fs = data;
	a->sregs.gs = data;
	a->sregs.ss = data;
	a->sregs.ldt = (struct kvm_segment){ .limit = 0xffff, .type = 2, .present = 1 };
	a->sregs.tr = (struct kvm_segment){ .limit = 0xffff, .type = 3, .present = 1 };
	a->sregs.gdt.limit = 0xffff;
	a->sregs.idt.limit = 0xffff;
	a->sregs.cr0 = 0x60000010;		/* CD | NW | ET */
	a->sregs.apic_base = 0xfee00000 | BIT(11) | (bsp ? BIT(8) : 0);
	a->dr6 = 0xffff0ff0;
	a->dr7 = 0x400;
	a->xcr0 = 0x1;
	a->pat = 0x0007040600070406ULL;
	memset(a->cpu_msrs, 0, sizeof(a->cpu_msrs));
	memset(&a->fpu, 0, sizeof(a->fpu));
	a->fpu.fcw = 0x37f;
	a->fpu.mxcsr = 0x1f80;
	a->cpu_state_dirty = true;
}

/*
 * The CR4 bits a guest may have: the architectural ones of every x86-64 CPU (VME through
 * OSXMMEXCPT).  Each later bit (UMIP, LA57, VMXE, SMXE, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP,
 * PKE, ...) belongs to a feature KVM_GET_SUPPORTED_CPUID does not offer, the engine CPU lacking
 * it, so it is reserved whatever the guest's CPUID says, as upstream's on such a host.
 */
#define KVM_CR4_SUPPORTED	GENMASK_ULL(10, 0)

/* IA32_APIC_BASE's x2APIC-mode bit: reserved here (no x2APIC in KVM_GET_SUPPORTED_CPUID). */
#define KVM_APIC_BASE_X2APIC	BIT_ULL(10)

/*
 * As upstream's kvm_set_apic_base() from KVM_SET_SREGS: no reserved bit (0-7, 9, x2APIC
 * mode, and the bits from the guest's MAXPHYADDR up).
 */
static bool kvm_is_valid_apic_base(struct kvm_vcpu *vcpu, u64 apic_base)
{
	u64 reserved = 0x2ff | KVM_APIC_BASE_X2APIC |
		       GENMASK_ULL(63, kvm_vcpu_maxphyaddr(vcpu));

	return !(apic_base & reserved);
}

/* As upstream's kvm_is_valid_sregs() and the CR4 and APIC base checks of KVM_SET_SREGS. */
bool kvm_is_valid_sregs(struct kvm_vcpu *vcpu, const struct kvm_sregs *s)
{
	unsigned int i, pending = 0;

	if (s->cr0 & GENMASK_ULL(63, 32))
		return false;
	if (s->cr4 & ~KVM_CR4_SUPPORTED)
		return false;
	if (!kvm_is_valid_apic_base(vcpu, s->apic_base))
		return false;
	if ((s->cr0 & X86_CR0_NW) && !(s->cr0 & X86_CR0_CD))
		return false;
	if ((s->cr0 & X86_CR0_PG) && !(s->cr0 & X86_CR0_PE))
		return false;
	/* Long mode is active exactly when enabled with paging on; 64-bit code needs it. */
	if ((s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG)) {
		if (!(s->cr4 & X86_CR4_PAE) || !(s->efer & EFER_LMA))
			return false;
	} else if ((s->efer & EFER_LMA) || s->cs.l) {
		return false;
	}
	/* At most one pending interrupt can be injected. */
	for (i = 0; i < ARRAY_SIZE(s->interrupt_bitmap); i++)
		pending += hweight64(s->interrupt_bitmap[i]);
	return pending <= 1;
}

/* MXCSR's defined bits (a restore with any other set is #GP). */
#define MXCSR_VALID	0xffff

/* KVM_GET_FPU / KVM_SET_FPU (FXSAVE's layout; the pads read as 0). */
static long kvm_vcpu_ioctl_fpu(struct kvm_vcpu *vcpu, void __user *argp, bool write)
{
	struct kvm_fpu fpu;

	if (vcpu->arch.guest_state_protected)
		return -EINVAL;
	if (!write) {
		kvm_cpu_state_sync(vcpu);
		return copy_to_user(argp, &vcpu->arch.fpu, sizeof(fpu)) ? -EFAULT : 0;
	}
	if (copy_from_user(&fpu, argp, sizeof(fpu)))
		return -EFAULT;
	if (fpu.mxcsr & ~MXCSR_VALID)
		return -EINVAL;
	/* The MSRs stay as the guest left them: KVM's copy of them first. */
	kvm_cpu_state_sync(vcpu);
	fpu.pad1 = 0;
	fpu.pad2 = 0;
	vcpu->arch.fpu = fpu;
	vcpu->arch.cpu_state_dirty = true;
	return 0;
}

/*
 * KVM_GET/SET_MP_STATE.  With no local APIC in KVM (no KVM_CREATE_IRQCHIP) every vCPU is
 * runnable, and runnable is the only state the VMM may set (EINVAL else), as upstream.
 */
static long kvm_vcpu_ioctl_mp_state(struct kvm_vcpu *vcpu, void __user *argp, bool write)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	if (!write)
		return copy_to_user(argp, &mp, sizeof(mp)) ? -EFAULT : 0;
	if (copy_from_user(&mp, argp, sizeof(mp)))
		return -EFAULT;
	return mp.mp_state == KVM_MP_STATE_RUNNABLE ? 0 : -EINVAL;
}

static long kvm_vcpu_ioctl_regs(struct kvm_vcpu *vcpu, unsigned int ioctl,
				void __user *argp)
{
	/* Once the VMSA is the guest's, KVM cannot see or change the registers. */
	if (vcpu->arch.guest_state_protected)
		return -EINVAL;

	switch (ioctl) {
	case KVM_GET_REGS:
		return copy_to_user(argp, &vcpu->arch.regs, sizeof(vcpu->arch.regs)) ?
		       -EFAULT : 0;
	case KVM_SET_REGS: {
		struct kvm_regs regs;

		if (copy_from_user(&regs, argp, sizeof(regs)))
			return -EFAULT;
		vcpu->arch.regs = regs;
		return 0;
	}
	case KVM_GET_SREGS:
		/* The FS and GS bases the guest may have written itself. */
		kvm_cpu_state_sync(vcpu);
		return copy_to_user(argp, &vcpu->arch.sregs, sizeof(vcpu->arch.sregs)) ?
		       -EFAULT : 0;
	case KVM_SET_SREGS: {
		struct kvm_sregs sregs;

		if (copy_from_user(&sregs, argp, sizeof(sregs)))
			return -EFAULT;
		if (!kvm_is_valid_sregs(vcpu, &sregs))
			return -EINVAL;
		vcpu->arch.sregs = sregs;
		return 0;
	}
	}
	return -ENOTTY;
}

long kvm_arch_vcpu_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct kvm_vcpu *vcpu = filp->private_data;

	switch (ioctl) {
	case KVM_GET_REGS:
	case KVM_SET_REGS:
	case KVM_GET_SREGS:
	case KVM_SET_SREGS:
		return kvm_vcpu_ioctl_regs(vcpu, ioctl, (void __user *)arg);
	case KVM_GET_MSRS:
	case KVM_SET_MSRS:
		return kvm_vcpu_ioctl_msrs(vcpu, (void __user *)arg, ioctl == KVM_SET_MSRS);
	case KVM_GET_FPU:
	case KVM_SET_FPU:
		return kvm_vcpu_ioctl_fpu(vcpu, (void __user *)arg, ioctl == KVM_SET_FPU);
	case KVM_GET_VCPU_EVENTS:
	case KVM_SET_VCPU_EVENTS:
		return kvm_vcpu_ioctl_events(vcpu, (void __user *)arg,
					     ioctl == KVM_SET_VCPU_EVENTS);
	case KVM_GET_XSAVE:
	case KVM_SET_XSAVE:
		return kvm_vcpu_ioctl_xsave(vcpu, (void __user *)arg, ioctl == KVM_SET_XSAVE);
	case KVM_GET_DEBUGREGS:
	case KVM_SET_DEBUGREGS:
		return kvm_vcpu_ioctl_debugregs(vcpu, (void __user *)arg,
						ioctl == KVM_SET_DEBUGREGS);
	case KVM_GET_MP_STATE:
	case KVM_SET_MP_STATE:
		return kvm_vcpu_ioctl_mp_state(vcpu, (void __user *)arg,
					       ioctl == KVM_SET_MP_STATE);
	case KVM_SET_CPUID2:
		return kvm_vcpu_ioctl_set_cpuid2(vcpu, (void __user *)arg);
	case KVM_GET_CPUID2:
		return kvm_vcpu_ioctl_get_cpuid2(vcpu, (void __user *)arg);
	case KVM_GET_TSC_KHZ:
	case KVM_SET_TSC_KHZ:
		return kvm_tsc_khz_ioctl(ioctl, arg);
	case KVM_MEMORY_ENCRYPT_OP:
		if (!vcpu->kvm->arch.ops->vcpu_mem_enc_ioctl)
			return -ENOTTY;
		return vcpu->kvm->arch.ops->vcpu_mem_enc_ioctl(vcpu, (void __user *)arg);
	case KVM_RUN:
		return kvm_arch_vcpu_run(vcpu, arg);
	default:
		/* The engine's own (the model's: the events a guest would cause). */
		return vcpu->arch.engine->vcpu_ioctl(vcpu, ioctl, arg);
	}
}

static int kvm_emulate_halt(struct kvm_vcpu *vcpu)
{
	kvm_stat_inc(vcpu->stat.halt_exits);
	vcpu->run->exit_reason = KVM_EXIT_HLT;
	return 0;
}

/* An engine's exit the vendor has no handler for: userspace learns which. */
static int kvm_unexpected_exit(struct kvm_vcpu *vcpu, unsigned int reason)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON;
	run->internal.ndata = 1;
	run->internal.data[0] = reason;
	return 0;
}

/* What userspace supplied for an IN (run->io), at io.data_offset in the run page. */
u32 kvm_pio_in_data(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	u32 data = 0;

	memcpy(&data, (u8 *)run + run->io.data_offset, run->io.size);
	return data;
}

/* IN's data reaches the guest's RAX (its low bytes) when userspace has supplied it. */
static int complete_fast_pio_in(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	u64 *rax = &vcpu->arch.regs.rax;
	u32 data = kvm_pio_in_data(vcpu);

	if (run->io.size == 4)
		*rax = data;		/* a 32-bit write zero-extends */
	else
		*rax = (*rax & ~GENMASK_ULL(run->io.size * 8 - 1, 0)) | data;
	vcpu->arch.regs.rip += vcpu->arch.pio_insn_len;
	return 1;
}

/* Port I/O: every port goes to userspace, one item at a time, as upstream lays out the exit. */
void kvm_prepare_pio_exit(struct kvm_vcpu *vcpu, u16 port, u8 size, bool in, u32 data)
{
	struct kvm_run *run = vcpu->run;

	kvm_stat_inc(vcpu->stat.io_exits);
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
	run->io.size = size;
	run->io.port = port;
	run->io.count = 1;
	/* The data follows struct kvm_run in the page userspace maps. */
	run->io.data_offset = ALIGN(sizeof(*run), 8);
	if (!in)
		memcpy((u8 *)run + run->io.data_offset, &data, size);
}

static int kvm_fast_pio(struct kvm_vcpu *vcpu, const struct kvm_exec_exit *exit)
{
	kvm_prepare_pio_exit(vcpu, exit->io.port, exit->io.size, exit->io.in, exit->io.data);
	if (exit->io.in) {
		vcpu->arch.pio_insn_len = exit->insn_len;
		vcpu->arch.complete_userspace_io = complete_fast_pio_in;
		return 0;
	}
	vcpu->arch.regs.rip += exit->insn_len;
	return 0;
}

/* What the guest did that neither the engine nor KVM can carry out. */
static int kvm_engine_failure_exit(struct kvm_vcpu *vcpu, const struct kvm_exec_exit *exit)
{
	struct kvm_run *run = vcpu->run;

	if (exit->reason == KVM_EXEC_EXIT_SHUTDOWN) {
		run->exit_reason = KVM_EXIT_SHUTDOWN;
		return 0;
	}
	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.ndata = 2;
	run->internal.data[1] = vcpu->arch.regs.rip;
	run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	run->internal.data[0] = 0;
	return 0;
}

/* The exits every vendor handles alike; any other is one KVM has no handler for. */
int kvm_handle_common_exit(struct kvm_vcpu *vcpu, const struct kvm_exec_exit *exit)
{
	switch (exit->reason) {
	case KVM_EXEC_EXIT_HLT:
		return kvm_emulate_halt(vcpu);
	case KVM_EXEC_EXIT_IO:
		return kvm_fast_pio(vcpu, exit);
	case KVM_EXEC_EXIT_CPUID:
		return kvm_emulate_cpuid(vcpu);
	case KVM_EXEC_EXIT_SHUTDOWN:
	case KVM_EXEC_EXIT_UNSUPPORTED:
		return kvm_engine_failure_exit(vcpu, exit);
	case KVM_EXEC_EXIT_INTR:
		kvm_stat_inc(vcpu->stat.signal_exits);
		vcpu->run->exit_reason = KVM_EXIT_INTR;
		return -EINTR;
	default:
		return kvm_unexpected_exit(vcpu, exit->reason);
	}
}



/*
 * KVM_RUN: the exit userspace just handled is finished first, as upstream; then the engine
 * runs the guest and each exit goes to the vendor, until one needs userspace.
 */
static long __kvm_arch_vcpu_run(struct kvm_vcpu *vcpu, unsigned long arg)
{
	const struct kvm_x86_ops *ops = vcpu->kvm->arch.ops;
	int (*complete)(struct kvm_vcpu *vcpu);
	struct kvm_run *run = vcpu->run;
	struct kvm_exec_exit exit;
	bool resumed = false;
	sigset_t saved;
	int r;

	if (arg)
		return -EINVAL;
	r = ops->vcpu_pre_run(vcpu);
	if (r)
		return r;
	complete = vcpu->arch.complete_userspace_io;
	if (complete) {
		vcpu->arch.complete_userspace_io = NULL;
		r = complete(vcpu);
		if (r <= 0)
			return r;
	}
	/*
	 * immediate_exit: the exit just completed, and the guest does not run.  As upstream's,
	 * exit_reason stays what it was (the selftests' get_ucall() reads the ucall's exit
	 * again after completing it this way).
	 */
	if (READ_ONCE(run->immediate_exit))
		return -EINTR;
	run->exit_reason = KVM_EXIT_UNKNOWN;
	vcpu->arch.has_run = true;
	kvm_sigset_activate(vcpu, &saved);
	for (;;) {
		/* A signal KVM_RUN's mask lets through: back to userspace first, as upstream. */
		if (signal_pending(current)) {
			kvm_stat_inc(vcpu->stat.signal_exits);
			run->exit_reason = KVM_EXIT_INTR;
			r = -EINTR;
			break;
		}
		r = vcpu->arch.engine->run(vcpu, &exit, resumed);
		if (r)
			break;
		kvm_stat_inc(vcpu->stat.exits);
		r = ops->handle_exit(vcpu, &exit);
		if (r <= 0)
			break;
		resumed = true;
	}
	if (vcpu->arch.engine->sync_regs)
		vcpu->arch.engine->sync_regs(vcpu);
	kvm_sigset_deactivate(vcpu, &saved);
	return r;
}

/* KVM_CAP_SYNC_REGS around it: kvm_run->s in first, and back out however KVM_RUN ends. */
long kvm_arch_vcpu_run(struct kvm_vcpu *vcpu, unsigned long arg)
{
	struct kvm_run *run = vcpu->run;
	long r;

	if ((READ_ONCE(run->kvm_valid_regs) | READ_ONCE(run->kvm_dirty_regs)) &
	    ~KVM_SYNC_X86_VALID_FIELDS)
		r = -EINVAL;
	else
		r = kvm_sync_regs_from_run(vcpu) ?: __kvm_arch_vcpu_run(vcpu, arg);
	if (READ_ONCE(run->kvm_valid_regs))
		kvm_store_regs_to_run(vcpu);
	return r;
}
