// SPDX-License-Identifier: GPL-2.0-only
/*
 * The statistics x86 KVM keeps (struct kvm_vm_stat, struct kvm_vcpu_stat), as the
 * descriptors of KVM_GET_STATS_FD name them: upstream's names where upstream keeps the same
 * count, in the structures' order.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/kvm_host.h>

const struct kvm_stat_def kvm_vm_stats_defs[] = {
	KVM_STAT_COUNTER(remote_tlb_flush),
	KVM_STAT_GAUGE(pages_4k),
};
const u32 kvm_vm_stats_nr = ARRAY_SIZE(kvm_vm_stats_defs);

const struct kvm_stat_def kvm_vcpu_stats_defs[] = {
	KVM_STAT_COUNTER(exits),
	KVM_STAT_COUNTER(io_exits),
	KVM_STAT_COUNTER(mmio_exits),
	KVM_STAT_COUNTER(halt_exits),
	KVM_STAT_COUNTER(signal_exits),
	KVM_STAT_COUNTER(hypercalls),
	KVM_STAT_COUNTER(pf_taken),
};
const u32 kvm_vcpu_stats_nr = ARRAY_SIZE(kvm_vcpu_stats_defs);

/* The tables follow the structures, entry for entry. */
static_assert(ARRAY_SIZE(kvm_vm_stats_defs) == sizeof(struct kvm_vm_stat) / sizeof(u64));
static_assert(ARRAY_SIZE(kvm_vcpu_stats_defs) == sizeof(struct kvm_vcpu_stat) / sizeof(u64));
