// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SET_MEMORY_ATTRIBUTES: per-gfn attributes of a VM, today only PRIVATE.  The attribute
 * is the source of truth for whether a fault is served from guest_memfd (private) or from the
 * memslot's userspace mapping (shared); conversions copy nothing.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>

u64 kvm_supported_mem_attributes(struct kvm *kvm)
{
	if (!kvm || kvm_arch_has_private_mem(kvm))
		return KVM_MEMORY_ATTRIBUTE_PRIVATE;
	return 0;
}

int kvm_vm_ioctl_set_mem_attributes(struct kvm *kvm, const struct kvm_memory_attributes *attrs)
{
	u64 end;
	int r;

	if (attrs->flags)
		return -EINVAL;
	if (attrs->attributes & ~kvm_supported_mem_attributes(kvm))
		return -EINVAL;
	if (!attrs->size || check_add_overflow(attrs->address, attrs->size, &end))
		return -EINVAL;
	if (!PAGE_ALIGNED(attrs->address) || !PAGE_ALIGNED(attrs->size))
		return -EINVAL;

	mutex_lock(&kvm->slots_lock);
	r = kvm_range_map_set(&kvm->mem_attr_map, attrs->address >> PAGE_SHIFT,
			      end >> PAGE_SHIFT, attrs->attributes);
	/*
	 * No translation may outlive the attribute it was made for, and a migration must send
	 * the page again under its new status (dirty_log.c).
	 */
	if (!r) {
		kvm_arch_zap_gfn_range(kvm, attrs->address >> PAGE_SHIFT, end >> PAGE_SHIFT);
		kvm_mark_range_dirty(kvm, attrs->address >> PAGE_SHIFT, end >> PAGE_SHIFT);
	}
	mutex_unlock(&kvm->slots_lock);
	return r;
}

/* KVM_COCO_GET_MEMORY_ATTRIBUTES: the attributes at address and the length of their run. */
int kvm_vm_ioctl_get_mem_attributes(struct kvm *kvm, struct kvm_memory_attributes *attrs)
{
	u64 end, start;

	if (attrs->flags || attrs->attributes)
		return -EINVAL;
	if (!attrs->size || check_add_overflow(attrs->address, attrs->size, &end))
		return -EINVAL;
	if (!PAGE_ALIGNED(attrs->address) || !PAGE_ALIGNED(attrs->size))
		return -EINVAL;

	start = attrs->address >> PAGE_SHIFT;
	mutex_lock(&kvm->slots_lock);
	attrs->attributes = kvm_range_map_get(&kvm->mem_attr_map, start);
	end = kvm_range_map_run_end(&kvm->mem_attr_map, start, end >> PAGE_SHIFT);
	mutex_unlock(&kvm->slots_lock);
	attrs->size = (end - start) << PAGE_SHIFT;
	return 0;
}

unsigned long kvm_get_memory_attributes(struct kvm *kvm, gfn_t gfn)
{
	lockdep_assert_held(&kvm->slots_lock);
	return kvm_range_map_get(&kvm->mem_attr_map, gfn);
}

bool kvm_range_has_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
				     unsigned long attrs)
{
	lockdep_assert_held(&kvm->slots_lock);
	return kvm_range_map_all(&kvm->mem_attr_map, start, end, attrs);
}
