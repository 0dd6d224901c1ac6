// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memslots: KVM_SET_USER_MEMORY_REGION(2).  The rules are upstream's: page-aligned sizes and
 * addresses, no wrap, no overlap inside an address space (-EEXIST), a guest_memfd slot can be
 * created and deleted but never modified.  kvm-coco additionally refuses non-zero padding in
 * the v2 struct.  All of it runs under kvm->slots_lock.
 *
 * Each address space keeps its slots twice: by id (an xarray) and by base gfn (a search tree;
 * slots never overlap).  Finding the slot of a gfn and checking a new slot for overlap each
 * look at one slot found in O(log n), as upstream's gfn tree does: a VM with 32,764 slots
 * adds one as fast as a VM with a handful.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>

enum kvm_mr_change {
	KVM_MR_CREATE,
	KVM_MR_DELETE,
	KVM_MR_MOVE,
	KVM_MR_FLAGS_ONLY,
};

void kvm_init_memslots(struct kvm *kvm)
{
	int i;

	for (i = 0; i < KVM_MAX_NR_ADDRESS_SPACES; i++) {
		xa_init(&kvm->memslots[i].slots);
		kvm->memslots[i].gfn_tree = RB_ROOT;
	}
}

static struct kvm_memory_slot *kvm_gfn_node_slot(struct rb_node *node)
{
	return node ? rb_entry(node, struct kvm_memory_slot, gfn_node) : NULL;
}

/* The slot with the highest base below @end, @skip aside; NULL if there is none. */
static struct kvm_memory_slot *kvm_memslot_below(struct kvm_memslots *slots, gfn_t end,
						 const struct kvm_memory_slot *skip)
{
	struct rb_node *node = slots->gfn_tree.rb_node, *best = NULL;

	while (node) {
		if (kvm_gfn_node_slot(node)->base_gfn < end) {
			best = node;
			node = node->rb_right;
		} else {
			node = node->rb_left;
		}
	}
	if (best && kvm_gfn_node_slot(best) == skip)
		best = rb_prev(best);
	return kvm_gfn_node_slot(best);
}

static void kvm_memslot_link(struct kvm_memslots *slots, struct kvm_memory_slot *slot)
{
	struct rb_node **link = &slots->gfn_tree.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (slot->base_gfn < kvm_gfn_node_slot(parent)->base_gfn)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&slot->gfn_node, parent, link);
	rb_insert_color(&slot->gfn_node, &slots->gfn_tree);
}

static void kvm_free_memslot(struct kvm_memory_slot *slot)
{
	if (slot->flags & KVM_MEM_GUEST_MEMFD)
		kvm_gmem_unbind(slot);
	kvm_free_dirty_bitmap(slot);
	kfree(slot);
}

void kvm_free_memslots(struct kvm *kvm)
{
	struct kvm_memory_slot *slot;
	unsigned long id;
	int i;

	for (i = 0; i < KVM_MAX_NR_ADDRESS_SPACES; i++) {
		xa_for_each(&kvm->memslots[i].slots, id, slot)
			kvm_free_memslot(slot);
		xa_destroy(&kvm->memslots[i].slots);
	}
}

struct kvm_memory_slot *kvm_gfn_to_memslot(struct kvm *kvm, int as_id, gfn_t gfn)
{
	struct kvm_memory_slot *slot;

	lockdep_assert_held(&kvm->slots_lock);
	slot = kvm_memslot_below(&kvm->memslots[as_id], gfn + 1, NULL);
	return slot && gfn - slot->base_gfn < slot->npages ? slot : NULL;
}

/*
 * Whether [@start, @end) overlaps a slot other than @id: only the slot with the highest base
 * below @end can (the slots are disjoint, so it ends last among them).
 */
static bool kvm_check_memslot_overlap(struct kvm *kvm, int as_id, u16 id, gfn_t start,
				      gfn_t end)
{
	struct kvm_memslots *slots = &kvm->memslots[as_id];
	struct kvm_memory_slot *slot;

	slot = kvm_memslot_below(slots, end, xa_load(&slots->slots, id));
	return slot && slot->base_gfn + slot->npages > start;
}

static int check_memory_region_flags(struct kvm *kvm,
				     const struct kvm_userspace_memory_region2 *mem)
{
	u32 valid_flags = KVM_MEM_LOG_DIRTY_PAGES;

	if (kvm_arch_has_private_mem(kvm))
		valid_flags |= KVM_MEM_GUEST_MEMFD;

	/* Dirty logging of private memory is not supported. */
	if (mem->flags & KVM_MEM_GUEST_MEMFD)
		valid_flags &= ~KVM_MEM_LOG_DIRTY_PAGES;

	/*
	 * Writes to a read-only slot are emulated MMIO, which neither private memory nor a VM
	 * with protected state can have.
	 */
	if (!kvm->arch.has_protected_state && !(mem->flags & KVM_MEM_GUEST_MEMFD))
		valid_flags |= KVM_MEM_READONLY;

	return mem->flags & ~valid_flags ? -EINVAL : 0;
}

static bool memory_region_pads_zero(const struct kvm_userspace_memory_region2 *mem)
{
	return !mem->pad1 && !memchr_inv(mem->pad2, 0, sizeof(mem->pad2));
}

static int check_memory_region(struct kvm *kvm, const struct kvm_userspace_memory_region2 *mem)
{
	u64 end;

	if (check_memory_region_flags(kvm, mem) || !memory_region_pads_zero(mem))
		return -EINVAL;
	if (!PAGE_ALIGNED(mem->memory_size) || !PAGE_ALIGNED(mem->guest_phys_addr))
		return -EINVAL;
	if (!PAGE_ALIGNED(mem->userspace_addr) ||
	    !access_ok(u64_to_user_ptr(mem->userspace_addr), mem->memory_size))
		return -EINVAL;
	if ((mem->flags & KVM_MEM_GUEST_MEMFD) &&
	    (!PAGE_ALIGNED(mem->guest_memfd_offset) ||
	     check_add_overflow(mem->guest_memfd_offset, mem->memory_size, &end)))
		return -EINVAL;
	if ((mem->slot >> 16) >= (u32)kvm_arch_nr_memslot_as_ids(kvm) ||
	    (u16)mem->slot >= KVM_USER_MEM_SLOTS)
		return -EINVAL;
	if (check_add_overflow(mem->guest_phys_addr, mem->memory_size, &end))
		return -EINVAL;
	if ((mem->memory_size >> PAGE_SHIFT) > KVM_MEM_MAX_NR_PAGES)
		return -EINVAL;
	return 0;
}

static int kvm_delete_memslot(struct kvm *kvm, struct kvm_memory_slot *old)
{
	if (!old)
		return -EINVAL;
	if (WARN_ON(kvm->nr_memslot_pages < old->npages))
		return -EIO;

	xa_erase(&kvm->memslots[old->as_id].slots, old->id);
	rb_erase(&old->gfn_node, &kvm->memslots[old->as_id].gfn_tree);
	kvm_arch_zap_gfn_range(kvm, old->base_gfn, old->base_gfn + old->npages);
	kvm->nr_memslot_pages -= old->npages;
	kvm_free_memslot(old);
	return 0;
}

/* Classify a change to an existing slot, or return a negative errno. */
static int kvm_memslot_change(const struct kvm_memory_slot *old,
			      const struct kvm_userspace_memory_region2 *mem)
{
	/* guest_memfd slots are immutable, in either direction: delete and re-create. */
	if ((mem->flags | old->flags) & KVM_MEM_GUEST_MEMFD)
		return -EINVAL;
	if (mem->userspace_addr != old->userspace_addr ||
	    (mem->memory_size >> PAGE_SHIFT) != old->npages ||
	    ((mem->flags ^ old->flags) & KVM_MEM_READONLY))
		return -EINVAL;
	if ((mem->guest_phys_addr >> PAGE_SHIFT) != old->base_gfn)
		return KVM_MR_MOVE;
	return mem->flags != old->flags ? KVM_MR_FLAGS_ONLY : -EEXIST;
}

static int kvm_create_memslot(struct kvm *kvm, const struct kvm_userspace_memory_region2 *mem)
{
	u16 as_id = mem->slot >> 16, id = (u16)mem->slot;
	struct kvm_memory_slot *slot;
	gfn_t base_gfn = mem->guest_phys_addr >> PAGE_SHIFT;
	u64 npages = mem->memory_size >> PAGE_SHIFT;
	int r;

	if (kvm->nr_memslot_pages + npages < kvm->nr_memslot_pages)
		return -EINVAL;
	if (base_gfn + npages - 1 > KVM_MAX_GFN)
		return -EINVAL;
	if (kvm_check_memslot_overlap(kvm, as_id, id, base_gfn, base_gfn + npages))
		return -EEXIST;

	slot = kzalloc(sizeof(*slot), GFP_KERNEL_ACCOUNT);
	if (!slot)
		return -ENOMEM;
	slot->base_gfn = base_gfn;
	slot->npages = npages;
	slot->userspace_addr = mem->userspace_addr;
	slot->flags = mem->flags;
	slot->id = id;
	slot->as_id = as_id;
	INIT_LIST_HEAD(&slot->gmem.entry);

	if (mem->flags & KVM_MEM_LOG_DIRTY_PAGES) {
		r = kvm_alloc_dirty_bitmap(slot);
		if (r)
			goto out_free;
	}
	if (mem->flags & KVM_MEM_GUEST_MEMFD) {
		r = kvm_gmem_bind(kvm, slot, mem->guest_memfd, mem->guest_memfd_offset);
		if (r)
			goto out_free;
	}

	r = xa_err(xa_store(&kvm->memslots[as_id].slots, id, slot, GFP_KERNEL_ACCOUNT));
	if (r)
		goto out_unbind;
	kvm_memslot_link(&kvm->memslots[as_id], slot);
	kvm->nr_memslot_pages += npages;
	return 0;

out_unbind:
	if (mem->flags & KVM_MEM_GUEST_MEMFD)
		kvm_gmem_unbind(slot);
out_free:
	kvm_free_dirty_bitmap(slot);
	kfree(slot);
	return r;
}

static int kvm_set_memory_region(struct kvm *kvm, const struct kvm_userspace_memory_region2 *mem)
{
	u16 as_id = mem->slot >> 16, id = (u16)mem->slot;
	struct kvm_memory_slot *old;
	gfn_t base_gfn;
	int change;

	lockdep_assert_held(&kvm->slots_lock);

	change = check_memory_region(kvm, mem);
	if (change)
		return change;

	old = xa_load(&kvm->memslots[as_id].slots, id);
	if (!mem->memory_size)
		return kvm_delete_memslot(kvm, old);
	if (!old)
		return kvm_create_memslot(kvm, mem);

	change = kvm_memslot_change(old, mem);
	if (change == -EEXIST)		/* nothing to change */
		return 0;
	if (change < 0)
		return change;

	base_gfn = mem->guest_phys_addr >> PAGE_SHIFT;
	if (change == KVM_MR_MOVE && base_gfn + old->npages - 1 > KVM_MAX_GFN)
		return -EINVAL;
	if (change == KVM_MR_MOVE &&
	    kvm_check_memslot_overlap(kvm, as_id, id, base_gfn, base_gfn + old->npages))
		return -EEXIST;

	/* Logging starts from a clean bitmap, and a moved slot's old bits mean nothing. */
	if (mem->flags & KVM_MEM_LOG_DIRTY_PAGES && (!old->dirty_bitmap || change == KVM_MR_MOVE)) {
		unsigned long *bitmap = old->dirty_bitmap;
		int r = kvm_alloc_dirty_bitmap(old);

		if (r) {
			old->dirty_bitmap = bitmap;
			return r;
		}
		kvfree(bitmap);
	} else if (!(mem->flags & KVM_MEM_LOG_DIRTY_PAGES)) {
		kvm_free_dirty_bitmap(old);
	}
	/* Translations of the old place (or made under the old flags) go. */
	kvm_arch_zap_gfn_range(kvm, old->base_gfn, old->base_gfn + old->npages);
	if (change == KVM_MR_MOVE) {
		rb_erase(&old->gfn_node, &kvm->memslots[as_id].gfn_tree);
		old->base_gfn = base_gfn;
		kvm_memslot_link(&kvm->memslots[as_id], old);
	}
	old->flags = mem->flags;
	return 0;
}

int kvm_vm_ioctl_set_memory_region(struct kvm *kvm,
				   const struct kvm_userspace_memory_region2 *mem)
{
	int r;

	mutex_lock(&kvm->slots_lock);
	r = kvm_set_memory_region(kvm, mem);
	mutex_unlock(&kvm->slots_lock);
	return r;
}

/*
 * Copy between @data and the guest's shared memory at @gpa (the memslots' userspace side):
 * what KVM reads and writes for the guest (a GHCB, say).  -EFAULT where no memslot backs a
 * byte, or a write meets a read-only one.
 */
static int kvm_guest_copy(struct kvm *kvm, gpa_t gpa, void *data, unsigned long len,
			  bool write)
{
	struct kvm_memory_slot *slot;
	unsigned long hva, n;
	gfn_t gfn;
	int r = 0;

	mutex_lock(&kvm->slots_lock);
	while (len && !r) {
		gfn = gpa_to_gfn(gpa);
		n = min_t(unsigned long, len, PAGE_SIZE - (gpa & ~PAGE_MASK));
		slot = kvm_gfn_to_memslot(kvm, 0, gfn);
		if (!slot || (write && (slot->flags & KVM_MEM_READONLY))) {
			r = -EFAULT;
			break;
		}
		hva = slot->userspace_addr + ((gfn - slot->base_gfn) << PAGE_SHIFT) +
		      (gpa & ~PAGE_MASK);
		if (write ? copy_to_user((void __user *)hva, data, n) :
			    copy_from_user(data, (void __user *)hva, n))
			r = -EFAULT;
		else if (write)
			kvm_mark_page_dirty(kvm, gfn);
		gpa += n;
		data += n;
		len -= n;
	}
	mutex_unlock(&kvm->slots_lock);
	return r;
}

int kvm_read_guest(struct kvm *kvm, gpa_t gpa, void *data, unsigned long len)
{
	return kvm_guest_copy(kvm, gpa, data, len, false);
}

int kvm_write_guest(struct kvm *kvm, gpa_t gpa, const void *data, unsigned long len)
{
	return kvm_guest_copy(kvm, gpa, (void *)data, len, true);
}
