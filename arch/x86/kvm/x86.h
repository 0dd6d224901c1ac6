/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_X86_X86_H
#define __KVM_X86_X86_H

#include <linux/kvm_host.h>
#include <linux/kvm_para.h>

/* Hypercalls that exit to userspace (KVM_CAP_EXIT_HYPERCALL); only MAP_GPA_RANGE may. */
#define KVM_EXIT_HYPERCALL_VALID_MASK	BIT_ULL(KVM_HC_MAP_GPA_RANGE)

static inline bool user_exit_on_hypercall(struct kvm *kvm, unsigned long nr)
{
	return nr < 64 && (kvm->arch.hypercall_exit_enabled & BIT_ULL(nr));
}

/*
 * hypercall.c: the exit KVM_HC_MAP_GPA_RANGE becomes (the VMM converts, then answers in
 * run->hypercall.ret), and VMMCALL itself.  Handlers return 1 to resume the guest, 0 to exit.
 */
void kvm_prepare_map_gpa_range_exit(struct kvm_vcpu *vcpu, u64 gpa, u64 npages, u64 attrs,
				    bool long_mode);
int kvm_emulate_hypercall(struct kvm_vcpu *vcpu);
/* Hypercall @nr: 1 with its result in *@ret, or 0 for an exit that @complete finishes. */
int __kvm_emulate_hypercall(struct kvm_vcpu *vcpu, u64 nr, u64 a0, u64 a1, u64 a2,
			    bool op_64_bit, u64 *ret, int (*complete)(struct kvm_vcpu *vcpu));

/* cpuid.c: KVM_{SET,GET}_CPUID2 and the CPUID exit */
int kvm_vcpu_ioctl_set_cpuid2(struct kvm_vcpu *vcpu, struct kvm_cpuid2 __user *argp);
int kvm_vcpu_ioctl_get_cpuid2(struct kvm_vcpu *vcpu, struct kvm_cpuid2 __user *argp);
void kvm_vcpu_free_cpuid(struct kvm_vcpu *vcpu);
int kvm_emulate_cpuid(struct kvm_vcpu *vcpu);
void kvm_cpuid(struct kvm_vcpu *vcpu, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx);
int kvm_dev_ioctl_get_supported_cpuid(struct kvm_cpuid2 __user *argp);
unsigned int kvm_vcpu_maxphyaddr(struct kvm_vcpu *vcpu);

/* msr.c: KVM_GET/SET_MSRS, and KVM's copy of the state an engine holds */
long kvm_vcpu_ioctl_msrs(struct kvm_vcpu *vcpu, void __user *argp, bool write);
long kvm_dev_ioctl_get_msr_index_list(struct kvm_msr_list __user *argp);
void kvm_cpu_state_sync(struct kvm_vcpu *vcpu);

/* events.c: KVM_GET/SET_VCPU_EVENTS */
void kvm_get_vcpu_events(struct kvm_vcpu *vcpu, struct kvm_vcpu_events *ev);
int kvm_set_vcpu_events(struct kvm_vcpu *vcpu, const struct kvm_vcpu_events *ev);
long kvm_vcpu_ioctl_events(struct kvm_vcpu *vcpu, void __user *argp, bool write);

/* vcpu_state.c: KVM_GET/SET_XSAVE and _DEBUGREGS, and KVM_CAP_SYNC_REGS's kvm_run->s */
long kvm_vcpu_ioctl_xsave(struct kvm_vcpu *vcpu, void __user *argp, bool write);
long kvm_vcpu_ioctl_debugregs(struct kvm_vcpu *vcpu, void __user *argp, bool write);
bool kvm_is_valid_sregs(struct kvm_vcpu *vcpu, const struct kvm_sregs *s);
int kvm_sync_regs_from_run(struct kvm_vcpu *vcpu);
void kvm_store_regs_to_run(struct kvm_vcpu *vcpu);

/* x86.c: exits every vendor handles alike */
struct kvm_exec_exit;
int kvm_handle_common_exit(struct kvm_vcpu *vcpu, const struct kvm_exec_exit *exit);
void kvm_prepare_pio_exit(struct kvm_vcpu *vcpu, u16 port, u8 size, bool in, u32 data);
u32 kvm_pio_in_data(struct kvm_vcpu *vcpu);

/*
 * irq.c: KVM_CREATE_IRQCHIP.  Accepted as upstream accepts it, for the programs that create the
 * in-kernel interrupt controllers unconditionally; they are not modelled (KVM_CAP_IRQCHIP is 0).
 */
int kvm_vm_ioctl_create_irqchip(struct kvm *kvm);

#endif
