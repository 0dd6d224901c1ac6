// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_GET/SET_VCPU_EVENTS: the exception, interrupt and NMI a vCPU has queued for its next
 * entry, as upstream's x86.c reports and accepts them.
 *
 * A queued event is one the CPU delivers before the guest's next instruction: one the VMM
 * injects, or one an engine raised whose delivery an exit interrupted (the hardware's
 * EXITINTINFO), which the engine hands back to KVM with the exit and takes again at the next
 * entry.  Without KVM_CAP_EXCEPTION_PAYLOAD (not offered) a pending exception is reported and
 * taken as injected, as upstream conflates them for that ABI; SMM and the triple-fault
 * event do not exist here.  The model engine runs no instructions: what is queued stays
 * queued, and is reported back.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include "x86.h"

#define NMI_VECTOR	2

#define KVM_VCPUEVENT_VALID	(KVM_VCPUEVENT_VALID_NMI_PENDING | \
				 KVM_VCPUEVENT_VALID_SIPI_VECTOR | \
				 KVM_VCPUEVENT_VALID_SHADOW | KVM_VCPUEVENT_VALID_SMM | \
				 KVM_VCPUEVENT_VALID_PAYLOAD | \
				 KVM_VCPUEVENT_VALID_TRIPLE_FAULT)

void kvm_get_vcpu_events(struct kvm_vcpu *vcpu, struct kvm_vcpu_events *ev)
{
	const struct kvm_queued_event *q = &vcpu->arch.queued;

	memset(ev, 0, sizeof(*ev));
	ev->exception.injected = q->exception;
	ev->exception.nr = q->vector;
	ev->exception.has_error_code = q->has_error_code;
	ev->exception.error_code = q->error_code;
	ev->interrupt.injected = q->interrupt;
	ev->interrupt.nr = q->irq;
	ev->interrupt.shadow = q->shadow;
	ev->nmi.injected = q->nmi_injected;
	ev->nmi.pending = q->nmi_pending;
	ev->nmi.masked = q->nmi_masked;
	ev->flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW |
		    KVM_VCPUEVENT_VALID_SMM;
}

/* @ev is KVM's own copy: userspace cannot change it between the checks and the use. */
int kvm_set_vcpu_events(struct kvm_vcpu *vcpu, const struct kvm_vcpu_events *ev)
{
	struct kvm_queued_event *q = &vcpu->arch.queued;

	if (ev->flags & ~KVM_VCPUEVENT_VALID)
		return -EINVAL;
	/* No KVM_CAP_EXCEPTION_PAYLOAD, no SMM, no triple-fault event. */
	if (ev->flags & (KVM_VCPUEVENT_VALID_PAYLOAD | KVM_VCPUEVENT_VALID_TRIPLE_FAULT))
		return -EINVAL;
	if ((ev->flags & KVM_VCPUEVENT_VALID_SMM) &&
	    (ev->smi.smm || ev->smi.pending || ev->smi.smm_inside_nmi))
		return -EINVAL;
	/* "pending" without the payload ABI is dropped, as upstream drops it. */
	if (ev->exception.injected && (ev->exception.nr > 31 || ev->exception.nr == NMI_VECTOR))
		return -EINVAL;

	q->exception = ev->exception.injected;
	q->vector = ev->exception.nr;
	q->has_error_code = ev->exception.has_error_code;
	q->error_code = ev->exception.error_code;
	q->has_payload = false;
	q->interrupt = ev->interrupt.injected;
	q->irq = ev->interrupt.nr;
	if (ev->flags & KVM_VCPUEVENT_VALID_SHADOW)
		q->shadow = ev->interrupt.shadow &
			    (KVM_X86_SHADOW_INT_MOV_SS | KVM_X86_SHADOW_INT_STI);
	q->nmi_injected = ev->nmi.injected;
	if (ev->flags & KVM_VCPUEVENT_VALID_NMI_PENDING)
		q->nmi_pending = !!ev->nmi.pending;
	q->nmi_masked = ev->nmi.masked;
	return 0;
}

long kvm_vcpu_ioctl_events(struct kvm_vcpu *vcpu, void __user *argp, bool write)
{
	struct kvm_vcpu_events ev;

	if (!write) {
		kvm_get_vcpu_events(vcpu, &ev);
		return copy_to_user(argp, &ev, sizeof(ev)) ? -EFAULT : 0;
	}
	if (copy_from_user(&ev, argp, sizeof(ev)))
		return -EFAULT;
	return kvm_set_vcpu_events(vcpu, &ev);
}
