// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dirty logging (KVM_MEM_LOG_DIRTY_PAGES, KVM_GET_DIRTY_LOG): one bit per page of a logging
 * memslot, set by guest writes and read-and-cleared by the VMM as it migrates.
 *
 * A page whose private/shared status changes is dirty too (DESIGN.md: ours, upstream does
 * not).  A migration that sends pages from the dirty log then always sends such a page again
 * after the change, so the destination can never keep it under its old status.
 *
 * Bitmaps live under kvm->slots_lock.  guest_memfd slots cannot log (private memory is not
 * migrated through the dirty log), so only shared memory is ever marked.
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>

/* As upstream: whole longs, so a 64-bit VMM and the kernel agree on the size. */
static unsigned long kvm_dirty_bitmap_bytes(const struct kvm_memory_slot *slot)
{
	return ALIGN(slot->npages, BITS_PER_LONG) / 8;
}

int kvm_alloc_dirty_bitmap(struct kvm_memory_slot *slot)
{
	slot->dirty_bitmap = kvzalloc(kvm_dirty_bitmap_bytes(slot), GFP_KERNEL_ACCOUNT);
	return slot->dirty_bitmap ? 0 : -ENOMEM;
}

void kvm_free_dirty_bitmap(struct kvm_memory_slot *slot)
{
	kvfree(slot->dirty_bitmap);
	slot->dirty_bitmap = NULL;
}

void kvm_mark_page_dirty(struct kvm *kvm, gfn_t gfn)
{
	struct kvm_memory_slot *slot = kvm_gfn_to_memslot(kvm, 0, gfn);

	if (slot && slot->dirty_bitmap)
		__set_bit(gfn - slot->base_gfn, slot->dirty_bitmap);
}

void kvm_mark_range_dirty(struct kvm *kvm, gfn_t start, gfn_t end)
{
	struct kvm_memory_slot *slot;
	unsigned long id;
	gfn_t first, last, gfn;

	lockdep_assert_held(&kvm->slots_lock);
	xa_for_each(&kvm->memslots[0].slots, id, slot) {
		if (!slot->dirty_bitmap)
			continue;
		first = max(start, slot->base_gfn);
		last = min(end, slot->base_gfn + slot->npages);
		for (gfn = first; gfn < last; gfn++)
			__set_bit(gfn - slot->base_gfn, slot->dirty_bitmap);
	}
}

/* Cleared pages are write-protected again, so the next write to each is logged. */
static void kvm_clear_dirty_bitmap(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	unsigned long i, mask;

	for (i = 0; i < kvm_dirty_bitmap_bytes(slot) / sizeof(long); i++) {
		mask = slot->dirty_bitmap[i];
		if (!mask)
			continue;
		slot->dirty_bitmap[i] = 0;
		kvm_arch_mmu_write_protect_masked(kvm, slot, i * BITS_PER_LONG, mask);
	}
}

/* KVM_GET_DIRTY_LOG: the slot's bitmap to userspace, then cleared. */
int kvm_vm_ioctl_get_dirty_log(struct kvm *kvm, const struct kvm_dirty_log *log)
{
	u16 as_id = log->slot >> 16, id = (u16)log->slot;
	struct kvm_memory_slot *slot;
	int r = -ENOENT;

	/* Ours: the padding must be zero (upstream ignores it). */
	if (log->padding1)
		return -EINVAL;
	if (as_id >= kvm_arch_nr_memslot_as_ids(kvm) || id >= KVM_USER_MEM_SLOTS)
		return -EINVAL;
	mutex_lock(&kvm->slots_lock);
	slot = xa_load(&kvm->memslots[as_id].slots, id);
	if (slot && slot->dirty_bitmap) {
		r = 0;
		if (copy_to_user(u64_to_user_ptr(log->padding2), slot->dirty_bitmap,
				 kvm_dirty_bitmap_bytes(slot)))
			r = -EFAULT;
		else
			kvm_clear_dirty_bitmap(kvm, slot);
	}
	mutex_unlock(&kvm->slots_lock);
	return r;
}
