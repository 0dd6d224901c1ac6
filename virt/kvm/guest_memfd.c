// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_memfd: a file of private guest memory that userspace can size, allocate and punch but
 * never read, write or map.  Pages live in an xarray indexed by file page offset and are
 * zeroed when allocated, so a punched page reads back as zero when it is next allocated.
 *
 * The file holds a reference on the VM that created it; a memslot bound to the file points
 * back at it without a reference, and release clears that pointer under kvm->slots_lock, so
 * a slot never sees a freed file.  gmem->lock protects the page array and is taken inside
 * slots_lock; punching takes both, so the guest's translations of a page go before the page.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/kvm_host.h>

struct kvm_gmem {
	struct kvm *kvm;
	loff_t size;			/* bytes, page aligned, fixed at creation */
	u64 flags;
	struct mutex lock;
	struct xarray pages;		/* pgoff -> struct page, under lock */
	struct list_head bindings;	/* memslots, under kvm->slots_lock */
};

static const struct file_operations kvm_gmem_fops;

static void kvm_gmem_free_range(struct kvm_gmem *gmem, pgoff_t start, pgoff_t last)
{
	struct page *page;
	unsigned long index;

	lockdep_assert_held(&gmem->lock);
	xa_for_each_range(&gmem->pages, index, page, start, last) {
		xa_erase(&gmem->pages, index);
		/* The platform takes the page back first (SNP: make it shared); or leaks it. */
		if (!kvm_arch_gmem_invalidate(gmem->kvm, page_to_pfn(page)))
			__free_page(page);
		cond_resched();
	}
}

/* Zap every translation of file pages [start, last] through the memslots bound to them. */
static void kvm_gmem_zap_bindings(struct kvm_gmem *gmem, pgoff_t start, pgoff_t last)
{
	struct kvm_memory_slot *slot;
	pgoff_t first, end;

	lockdep_assert_held(&gmem->kvm->slots_lock);
	list_for_each_entry(slot, &gmem->bindings, gmem.entry) {
		first = max(start, slot->gmem.pgoff);
		end = min_t(u64, last, slot->gmem.pgoff + slot->npages - 1);
		if (first <= end)
			kvm_arch_zap_gfn_range(gmem->kvm,
					       slot->base_gfn + (first - slot->gmem.pgoff),
					       slot->base_gfn + (end - slot->gmem.pgoff) + 1);
	}
}

static int kvm_gmem_allocate(struct kvm_gmem *gmem, pgoff_t start, pgoff_t end)
{
	struct page *page;
	pgoff_t index;
	int r = 0;

	mutex_lock(&gmem->lock);
	for (index = start; index < end; index++) {
		if (xa_load(&gmem->pages, index))
			continue;
		if (fatal_signal_pending(current)) {
			r = -EINTR;
			break;
		}
		page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!page) {
			r = -ENOMEM;
			break;
		}
		r = xa_err(xa_store(&gmem->pages, index, page, GFP_KERNEL_ACCOUNT));
		if (r) {
			__free_page(page);
			break;
		}
		cond_resched();
	}
	mutex_unlock(&gmem->lock);
	return r;
}

static long kvm_gmem_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	struct kvm_gmem *gmem = file->private_data;
	loff_t end;

	if (!(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (offset < 0 || len <= 0 || !PAGE_ALIGNED(offset) || !PAGE_ALIGNED(len))
		return -EINVAL;
	if (check_add_overflow(offset, len, &end))
		return -EFBIG;

	if (mode & FALLOC_FL_PUNCH_HOLE) {
		/* Punching past EOF is allowed and punches nothing there. */
		if (offset < gmem->size) {
			pgoff_t last = (min(end, gmem->size) >> PAGE_SHIFT) - 1;

			/* The guest loses its translations before the pages go. */
			mutex_lock(&gmem->kvm->slots_lock);
			mutex_lock(&gmem->lock);
			kvm_gmem_zap_bindings(gmem, offset >> PAGE_SHIFT, last);
			kvm_gmem_free_range(gmem, offset >> PAGE_SHIFT, last);
			mutex_unlock(&gmem->lock);
			mutex_unlock(&gmem->kvm->slots_lock);
		}
		return 0;
	}

	if (end > gmem->size)
		return -EINVAL;
	return kvm_gmem_allocate(gmem, offset >> PAGE_SHIFT, end >> PAGE_SHIFT);
}

static int kvm_gmem_release(struct inode *inode, struct file *file)
{
	struct kvm_gmem *gmem = file->private_data;
	struct kvm_memory_slot *slot, *tmp;
	struct kvm *kvm = gmem->kvm;

	/* Detach every memslot still bound to this file; they stay, but map nothing. */
	mutex_lock(&kvm->slots_lock);
	kvm_gmem_zap_bindings(gmem, 0, ULONG_MAX);
	list_for_each_entry_safe(slot, tmp, &gmem->bindings, gmem.entry) {
		WRITE_ONCE(slot->gmem.file, NULL);
		list_del(&slot->gmem.entry);
		INIT_LIST_HEAD(&slot->gmem.entry);
	}
	/* Inside slots_lock, as a punch: the platform's page tracking is under it. */
	mutex_lock(&gmem->lock);
	kvm_gmem_free_range(gmem, 0, ULONG_MAX);
	mutex_unlock(&gmem->lock);
	mutex_unlock(&kvm->slots_lock);
	xa_destroy(&gmem->pages);
	mutex_destroy(&gmem->lock);
	kfree(gmem);

	kvm_put_kvm(kvm);
	return 0;
}

static const struct file_operations kvm_gmem_fops = {
	.owner		= THIS_MODULE,
	.release	= kvm_gmem_release,
	.fallocate	= kvm_gmem_fallocate,
};

int kvm_gmem_create(struct kvm *kvm, const struct kvm_create_guest_memfd *args)
{
	struct kvm_gmem *gmem;
	struct file *file;
	int fd, r;

	if (args->flags || memchr_inv(args->reserved, 0, sizeof(args->reserved)))
		return -EINVAL;
	if ((s64)args->size <= 0 || !PAGE_ALIGNED(args->size))
		return -EINVAL;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	r = -ENOMEM;
	gmem = kzalloc(sizeof(*gmem), GFP_KERNEL_ACCOUNT);
	if (!gmem)
		goto err_fd;
	gmem->kvm = kvm;
	gmem->size = args->size;
	mutex_init(&gmem->lock);
	xa_init(&gmem->pages);
	INIT_LIST_HEAD(&gmem->bindings);

	/*
	 * An inode of its own, and a regular file: fallocate(2) goes through the VFS, which
	 * refuses anything else with ENODEV (upstream's guest_memfd does the same).
	 */
	file = anon_inode_create_getfile("[kvm-gmem]", &kvm_gmem_fops, gmem, O_RDWR, NULL);
	if (IS_ERR(file)) {
		r = PTR_ERR(file);
		goto err_gmem;
	}
	file_inode(file)->i_mode |= S_IFREG;
	/* fstat(2) reports the size it was created with, as upstream's. */
	i_size_write(file_inode(file), args->size);
	kvm_get_kvm(kvm);
	fd_install(fd, file);
	return fd;

err_gmem:
	mutex_destroy(&gmem->lock);
	kfree(gmem);
err_fd:
	put_unused_fd(fd);
	return r;
}

static bool kvm_gmem_range_bound(struct kvm_gmem *gmem, pgoff_t start, pgoff_t end)
{
	struct kvm_memory_slot *slot;

	list_for_each_entry(slot, &gmem->bindings, gmem.entry) {
		if (start < slot->gmem.pgoff + slot->npages && slot->gmem.pgoff < end)
			return true;
	}
	return false;
}

int kvm_gmem_bind(struct kvm *kvm, struct kvm_memory_slot *slot, unsigned int fd,
		  loff_t offset)
{
	pgoff_t start = offset >> PAGE_SHIFT;
	struct kvm_gmem *gmem;
	struct file *file;
	int r = -EINVAL;
	u64 end;

	lockdep_assert_held(&kvm->slots_lock);

	file = fget(fd);
	if (!file)
		return -EBADF;
	if (file->f_op != &kvm_gmem_fops)
		goto out;

	gmem = file->private_data;
	if (gmem->kvm != kvm)
		goto out;
	/* Unsigned and checked: offset + size must not wrap past the end of the file. */
	if (offset < 0 || !PAGE_ALIGNED(offset) ||
	    check_add_overflow((u64)offset, (u64)slot->npages << PAGE_SHIFT, &end) ||
	    end > gmem->size)
		goto out;
	if (kvm_gmem_range_bound(gmem, start, start + slot->npages))
		goto out;

	slot->gmem.file = file;
	slot->gmem.pgoff = start;
	list_add_tail(&slot->gmem.entry, &gmem->bindings);
	r = 0;
out:
	/* The binding holds no reference: release unbinds under slots_lock. */
	fput(file);
	return r;
}

void kvm_gmem_unbind(struct kvm_memory_slot *slot)
{
	if (!slot->gmem.file)
		return;
	list_del(&slot->gmem.entry);
	INIT_LIST_HEAD(&slot->gmem.entry);
	slot->gmem.file = NULL;
}

/*
 * The page backing @gfn of a guest_memfd slot, allocated on first use (zeroed unless
 * @uninit), given to @use while the guest_memfd is locked: a punch cannot free the page
 * between being found and being handed to the guest.  -EFAULT if the slot's file is gone.
 */
static int kvm_gmem_use_page(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
			     bool uninit, kvm_gmem_populate_cb use, void *opaque)
{
	struct kvm_gmem *gmem;
	struct page *page;
	bool fresh = false;
	pgoff_t index;
	int r = 0;

	lockdep_assert_held(&kvm->slots_lock);
	if (!slot->gmem.file)
		return -EFAULT;
	gmem = slot->gmem.file->private_data;
	index = slot->gmem.pgoff + (gfn - slot->base_gfn);

	mutex_lock(&gmem->lock);
	page = xa_load(&gmem->pages, index);
	if (!page) {
		page = alloc_page(GFP_KERNEL_ACCOUNT | (uninit ? 0 : __GFP_ZERO));
		r = page ? xa_err(xa_store(&gmem->pages, index, page, GFP_KERNEL_ACCOUNT)) :
			   -ENOMEM;
		if (r && page)
			__free_page(page);
		fresh = !r;
	}
	if (!r)
		r = use(kvm, gfn, page_to_pfn(page), fresh, opaque);
	mutex_unlock(&gmem->lock);
	return r;
}

static int kvm_gmem_prepare(struct kvm *kvm, gfn_t gfn, unsigned long pfn, bool fresh,
			    void *pfnp)
{
	*(unsigned long *)pfnp = pfn;
	return kvm_arch_gmem_prepare(kvm, gfn, pfn);
}

/* For a guest fault: the page, zeroed when new, already the guest's (as upstream). */
int kvm_gmem_get_pfn(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
		     unsigned long *pfn)
{
	return kvm_gmem_use_page(kvm, slot, gfn, false, kvm_gmem_prepare, pfn);
}

/*
 * For a launch (SNP LAUNCH_UPDATE, TDX INIT_MEM_REGION), one page at a time, as upstream's
 * kvm_gmem_populate(): @fill gets the page under the guest_memfd lock.  A new page is not
 * zeroed (@fresh says so): @fill writes all of it, or clears it if it cannot.
 */
int kvm_gmem_populate(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
		      kvm_gmem_populate_cb fill, void *opaque)
{
	return kvm_gmem_use_page(kvm, slot, gfn, true, fill, opaque);
}

/* The pfn backing @gfn if the page exists, without allocating it (-ENOENT otherwise). */
int kvm_gmem_peek_pfn(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
		      unsigned long *pfn)
{
	struct kvm_gmem *gmem;
	struct page *page;

	lockdep_assert_held(&kvm->slots_lock);
	if (!slot->gmem.file)
		return -EFAULT;
	gmem = slot->gmem.file->private_data;
	mutex_lock(&gmem->lock);
	page = xa_load(&gmem->pages, slot->gmem.pgoff + (gfn - slot->base_gfn));
	mutex_unlock(&gmem->lock);
	if (!page)
		return -ENOENT;
	*pfn = page_to_pfn(page);
	return 0;
}
