/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_COCO_KVM_HOST_H
#define __KVM_COCO_KVM_HOST_H

/*
 * Generic KVM objects: the VM, its vCPUs, memslots, guest_memfd bindings and memory
 * attributes.  Lock order (outermost first):
 *
 *   kvm->lock          vCPU creation, VM-wide SEV/TDX commands
 *   vcpu->mutex        every vCPU ioctl (KVM_RUN, its state, TDX vCPU commands); a VM
 *                      command that reads a vCPU's state takes it inside kvm->lock
 *   kvm->slots_lock    memslots, guest_memfd bindings, memory attributes, a TD's pages
 *   gmem->lock         a guest_memfd's pages
 *   kvm->arch.mmu_lock the nested page table's entries (writers also hold slots_lock; the
 *                      vCPU engines read under mmu_lock alone, while the guest runs)
 *
 * as upstream's (Documentation/virt/kvm/locking.rst).  The library host checks it: its
 * mutexes report an inversion between any two classes as a WARN (host/user/lockdep.c).
 *
 * A guest_memfd holds a reference on its VM, so a VM is destroyed only after every
 * guest_memfd it created is gone; a memslot points at its guest_memfd without a reference,
 * and the guest_memfd's release clears that pointer under slots_lock.
 */

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/kvm_types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rbtree.h>
#include <linux/xarray.h>
#include <linux/signal.h>
#include <linux/kvm.h>
#include <linux/kvm_coco.h>
#include <asm/kvm_host.h>

#include "kvm_range_map.h"


#define KVM_MAX_VCPUS			4096
#define KVM_MAX_VCPU_IDS		(KVM_MAX_VCPUS * 4)
#define KVM_MEM_SLOTS_NUM		SHRT_MAX
#define KVM_INTERNAL_MEM_SLOTS		3
#define KVM_USER_MEM_SLOTS		(KVM_MEM_SLOTS_NUM - KVM_INTERNAL_MEM_SLOTS)
#define KVM_MAX_NR_ADDRESS_SPACES	2
#define KVM_MEM_MAX_NR_PAGES		((1UL << 31) - 1)
/* The modelled CPU has MAXPHYADDR 52: no memslot reaches past it. */
#define KVM_MAX_GFN			((1ULL << (52 - 12)) - 1)
#define KVM_SUPPORTED_VM_TYPES		(BIT(KVM_X86_DEFAULT_VM) | \
					 BIT(KVM_X86_SW_PROTECTED_VM) | \
					 BIT(KVM_X86_SEV_VM) | BIT(KVM_X86_SEV_ES_VM) | \
					 BIT(KVM_X86_SNP_VM) | BIT(KVM_X86_TDX_VM))

static inline gfn_t gpa_to_gfn(gpa_t gpa)
{
	return gpa >> 12;
}

struct kvm;

struct kvm_memory_slot {
	gfn_t base_gfn;
	unsigned long npages;
	unsigned long userspace_addr;
	u32 flags;
	u16 id;
	u16 as_id;
	unsigned long *dirty_bitmap;		/* KVM_MEM_LOG_DIRTY_PAGES; under slots_lock */
	struct rb_node gfn_node;		/* in the address space's gfn_tree */
	struct {
		/* NULL once the guest_memfd is released; written under slots_lock */
		struct file *file;
		pgoff_t pgoff;
		struct list_head entry;		/* on the guest_memfd's bindings list */
	} gmem;
};

struct kvm_memslots {
	struct xarray slots;			/* id -> struct kvm_memory_slot */
	struct rb_root gfn_tree;		/* the same slots, by base_gfn (disjoint) */
};

struct kvm_vcpu {
	struct kvm *kvm;
	u32 vcpu_id;
	int vcpu_idx;
	struct kvm_run *run;
	struct mutex mutex;
	bool sigset_active;		/* KVM_SET_SIGNAL_MASK: KVM_RUN runs under @sigset */
	sigset_t sigset;
	struct kvm_vcpu_stat stat;
	struct kvm_vcpu_arch arch;
};

struct kvm {
	refcount_t users_count;
	struct mutex lock;
	struct mutex slots_lock;
	struct kvm_memslots memslots[KVM_MAX_NR_ADDRESS_SPACES];
	u64 nr_memslot_pages;
	struct kvm_range_map mem_attr_map;	/* under slots_lock */
	struct xarray vcpu_array;		/* index -> vcpu, under lock */
	int created_vcpus;
	bool vm_dead;				/* every ioctl is EIO (kvm_vm_dead()) */
	struct kvm_vm_stat stat;
	struct kvm_arch arch;
};

/* binary_stats.c: KVM_GET_STATS_FD; a statistic's name and KVM_STATS_* flags. */
#define KVM_STATS_MAX		16
#define KVM_STATS_NAME_SIZE	48	/* each name's room, its NUL included */

struct kvm_stat_def {
	const char *name;
	u32 flags;
};

#define KVM_STAT_COUNTER(n)	{ .name = #n, .flags = KVM_STATS_TYPE_CUMULATIVE }
#define KVM_STAT_GAUGE(n)	{ .name = #n, .flags = KVM_STATS_TYPE_INSTANT }

/* The arch's, in the order of struct kvm_vm_stat and struct kvm_vcpu_stat. */
extern const struct kvm_stat_def kvm_vm_stats_defs[];
extern const u32 kvm_vm_stats_nr;
extern const struct kvm_stat_def kvm_vcpu_stats_defs[];
extern const u32 kvm_vcpu_stats_nr;

int kvm_stats_fd_create(struct kvm *kvm, const char *id, const struct kvm_stat_def *defs,
			u32 nr, const u64 *values);
int kvm_vm_stats_fd(struct kvm *kvm);
int kvm_vcpu_stats_fd(struct kvm_vcpu *vcpu);

/* One more (less): the statistic's owner, under its lock; readers may look at any time. */
#define kvm_stat_inc(s)		WRITE_ONCE(s, (s) + 1)
#define kvm_stat_dec(s)		WRITE_ONCE(s, (s) - 1)

/* kvm_main.c */
int kvm_coco_init(void);
/* KVM_RUN under the vCPU's signal mask, if userspace set one; @saved: the mask before. */
void kvm_sigset_activate(struct kvm_vcpu *vcpu, sigset_t *saved);
void kvm_sigset_deactivate(struct kvm_vcpu *vcpu, sigset_t *saved);
void kvm_coco_exit(void);
extern const struct file_operations kvm_chardev_ops;
void kvm_get_kvm(struct kvm *kvm);
void kvm_put_kvm(struct kvm *kvm);
bool file_is_kvm(struct file *file);

/* The VM can do nothing more (its encryption context went to another VM): ioctls are EIO. */
static inline void kvm_vm_dead(struct kvm *kvm)
{
	WRITE_ONCE(kvm->vm_dead, true);
}
long kvm_arch_dev_ioctl_check_extension(struct kvm *kvm, long ext);

static inline bool kvm_arch_has_private_mem(const struct kvm *kvm)
{
	return kvm->arch.has_private_mem;
}

static inline int kvm_arch_nr_memslot_as_ids(const struct kvm *kvm)
{
	return kvm_arch_has_private_mem(kvm) ? 1 : KVM_MAX_NR_ADDRESS_SPACES;
}

/* arch/x86/kvm/x86.c */
int kvm_arch_init(void);
void kvm_arch_init_vm(struct kvm *kvm, unsigned long type);
void kvm_vcpu_arch_reset(struct kvm_vcpu_arch *arch, bool bsp);
void kvm_arch_exit(void);
void kvm_arch_destroy_vm(struct kvm *kvm);
int kvm_arch_vcpu_precreate(struct kvm *kvm, unsigned int id);	/* under kvm->lock */
int kvm_arch_vcpu_create(struct kvm_vcpu *vcpu);
void kvm_arch_vcpu_destroy(struct kvm_vcpu *vcpu);
long kvm_arch_vm_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg);
long kvm_arch_dev_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg);
long kvm_arch_vcpu_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg);
int kvm_arch_gmem_invalidate(struct kvm *kvm, unsigned long pfn);
int kvm_arch_gmem_prepare(struct kvm *kvm, gfn_t gfn, unsigned long pfn);
void kvm_arch_zap_gfn_range(struct kvm *kvm, gfn_t start, gfn_t end);
void kvm_arch_mmu_write_protect_masked(struct kvm *kvm, struct kvm_memory_slot *slot,
				       gfn_t offset, unsigned long mask);
long kvm_arch_vcpu_run(struct kvm_vcpu *vcpu, unsigned long arg);
unsigned long kvm_arch_engines(void);
void kvm_flush_remote_tlbs(struct kvm *kvm);

static inline struct kvm_vcpu *kvm_get_vcpu(struct kvm *kvm, int i)
{
	return xa_load(&kvm->vcpu_array, i);
}

#define kvm_for_each_vcpu(idx, vcpu, kvm) \
	xa_for_each(&(kvm)->vcpu_array, idx, vcpu)

/* memslot.c */
void kvm_init_memslots(struct kvm *kvm);
void kvm_free_memslots(struct kvm *kvm);
int kvm_vm_ioctl_set_memory_region(struct kvm *kvm,
				   const struct kvm_userspace_memory_region2 *mem);
struct kvm_memory_slot *kvm_gfn_to_memslot(struct kvm *kvm, int as_id, gfn_t gfn);
int kvm_read_guest(struct kvm *kvm, gpa_t gpa, void *data, unsigned long len);
int kvm_write_guest(struct kvm *kvm, gpa_t gpa, const void *data, unsigned long len);

/* dirty_log.c */
int kvm_alloc_dirty_bitmap(struct kvm_memory_slot *slot);
void kvm_free_dirty_bitmap(struct kvm_memory_slot *slot);
void kvm_mark_page_dirty(struct kvm *kvm, gfn_t gfn);
void kvm_mark_range_dirty(struct kvm *kvm, gfn_t start, gfn_t end);
int kvm_vm_ioctl_get_dirty_log(struct kvm *kvm, const struct kvm_dirty_log *log);

/* guest_memfd.c */
int kvm_gmem_create(struct kvm *kvm, const struct kvm_create_guest_memfd *args);
int kvm_gmem_bind(struct kvm *kvm, struct kvm_memory_slot *slot, unsigned int fd,
		  loff_t offset);
void kvm_gmem_unbind(struct kvm_memory_slot *slot);
int kvm_gmem_get_pfn(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
		     unsigned long *pfn);
typedef int (*kvm_gmem_populate_cb)(struct kvm *kvm, gfn_t gfn, unsigned long pfn, bool fresh,
				    void *opaque);
int kvm_gmem_populate(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
		      kvm_gmem_populate_cb fill, void *opaque);
int kvm_gmem_peek_pfn(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
		      unsigned long *pfn);

/* mem_attributes.c */
u64 kvm_supported_mem_attributes(struct kvm *kvm);
int kvm_vm_ioctl_set_mem_attributes(struct kvm *kvm, const struct kvm_memory_attributes *attrs);
int kvm_vm_ioctl_get_mem_attributes(struct kvm *kvm, struct kvm_memory_attributes *attrs);
unsigned long kvm_get_memory_attributes(struct kvm *kvm, gfn_t gfn);
bool kvm_range_has_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
				     unsigned long attrs);

static inline bool kvm_mem_is_private(struct kvm *kvm, gfn_t gfn)
{
	return kvm_get_memory_attributes(kvm, gfn) & KVM_MEMORY_ATTRIBUTE_PRIVATE;
}

#endif /* __KVM_COCO_KVM_HOST_H */
