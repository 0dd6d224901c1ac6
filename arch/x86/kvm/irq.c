// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel interrupt controllers (PIC, IOAPIC, a LAPIC per vCPU) that KVM_CREATE_IRQCHIP
 * asks for.  kvm-coco models none of them: no guest of its engines takes an external
 * interrupt yet, and KVM_CAP_IRQCHIP says so.  The ioctl is still accepted, with upstream's
 * rules, because VMMs and upstream's selftests issue it unconditionally while the guests they
 * run need nothing from it: once per VM (EEXIST after), and only before the first vCPU (EINVAL),
 * whose LAPIC would otherwise be missing.
 */
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/kvm_host.h>

#include "x86.h"

int kvm_vm_ioctl_create_irqchip(struct kvm *kvm)
{
	int r;

	mutex_lock(&kvm->lock);
	r = -EEXIST;
	if (kvm->arch.irqchip_in_kernel)
		goto out;
	r = -EINVAL;
	if (kvm->created_vcpus)
		goto out;
	kvm->arch.irqchip_in_kernel = true;
	r = 0;
out:
	mutex_unlock(&kvm->lock);
	return r;
}
