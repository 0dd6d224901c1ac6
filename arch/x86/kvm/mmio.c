// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO: a guest access to a gpa no memory backs (no memslot, or a write to a read-only one).
 * As upstream, KVM emulates the instruction and the VMM carries out the access: a write exits
 * KVM_EXIT_MMIO with its data, and the guest goes on after the instruction when KVM_RUN is
 * next called; a read exits KVM_EXIT_MMIO, the VMM puts the answer in run->mmio.data, and the
 * next KVM_RUN completes the instruction with it.  An instruction that reads and then writes
 * (a read-modify-write) exits twice.
 *
 * The engine is what can run one instruction of the guest (kvm_exec_ops.emulate_mmio); one
 * without it, or a guest whose state KVM cannot see (SEV-ES, SNP, TDX: those guests ask for
 * MMIO through the GHCB or a TDVMCALL), gets the emulation-failure exit.
 */
#include <linux/kvm_host.h>
#include <linux/string.h>

#include "exec/exec.h"
#include "mmu.h"

static int kvm_mmio_emulation_failure(struct kvm_vcpu *vcpu, gpa_t gpa, u64 error_code)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	run->internal.ndata = 2;
	run->internal.data[0] = gpa;
	run->internal.data[1] = error_code;
	return 0;
}

static int kvm_complete_mmio_read(struct kvm_vcpu *vcpu);

/* What the engine's emulation left to do: nothing (resume), or an exit for the VMM. */
static int kvm_mmio_exit(struct kvm_vcpu *vcpu, const struct kvm_exec_mmio *m)
{
	struct kvm_run *run = vcpu->run;

	if (!m->len)
		return 1;
	kvm_stat_inc(vcpu->stat.mmio_exits);
	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = m->gpa;
	run->mmio.len = m->len;
	run->mmio.is_write = m->write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (m->write) {
		memcpy(run->mmio.data, m->data, m->len);
		return 0;
	}
	vcpu->arch.mmio.gpa = m->gpa;
	vcpu->arch.mmio.len = m->len;
	vcpu->arch.complete_userspace_io = kvm_complete_mmio_read;
	return 0;
}

/* KVM_RUN after a read's exit: the VMM's answer completes the instruction. */
static int kvm_complete_mmio_read(struct kvm_vcpu *vcpu)
{
	struct kvm_exec_mmio m = { .gpa = vcpu->arch.mmio.gpa, .len = vcpu->arch.mmio.len,
				   .has_data = true };

	memcpy(m.data, vcpu->run->mmio.data, m.len);
	if (vcpu->arch.engine->emulate_mmio(vcpu, &m))
		return kvm_mmio_emulation_failure(vcpu, m.gpa, 0);
	return kvm_mmio_exit(vcpu, &m);
}

int kvm_emulate_mmio(struct kvm_vcpu *vcpu, gpa_t gpa, u64 error_code)
{
	const struct kvm_x86_hw *hw = &vcpu->kvm->arch.hw;
	struct kvm_exec_mmio m = { .gpa = gpa };

	if (!vcpu->arch.engine->emulate_mmio || hw->ghcb || hw->tdx)
		return kvm_mmio_emulation_failure(vcpu, gpa, error_code);
	if (vcpu->arch.engine->emulate_mmio(vcpu, &m))
		return kvm_mmio_emulation_failure(vcpu, gpa, error_code);
	return kvm_mmio_exit(vcpu, &m);
}
