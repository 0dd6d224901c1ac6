// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_GET_STATS_FD: a VM's or a vCPU's statistics as a read-only file, in the binary format
 * of the KVM API: a header, an id string, a descriptor per statistic (each followed by its
 * name), then the values, a u64 each.  All but the values is fixed once the file opens, so it
 * is laid out then, once (the "meta" block); a read copies whatever part of meta-then-values
 * its range covers, the values as they are at that moment.  The file holds a reference on the
 * VM, whose vCPUs (and their statistics) live as long as it does.
 */
#include <linux/kernel.h>
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>

struct kvm_stats_file {
	struct kvm *kvm;
	const u64 *values;		/* live, in the descriptors' order */
	u32 nr;
	size_t meta_len;
	u8 meta[];			/* header, id, descriptors and names */
};

static size_t kvm_stats_desc_len(void)
{
	return sizeof(struct kvm_stats_desc) + KVM_STATS_NAME_SIZE;
}

static void kvm_stats_layout(struct kvm_stats_file *f, const char *id,
			     const struct kvm_stat_def *defs)
{
	struct kvm_stats_header *h = (void *)f->meta;
	struct kvm_stats_desc *d;
	u32 i;

	h->name_size = KVM_STATS_NAME_SIZE;
	h->num_desc = f->nr;
	h->id_offset = sizeof(*h);
	h->desc_offset = h->id_offset + KVM_STATS_NAME_SIZE;
	h->data_offset = h->desc_offset + f->nr * kvm_stats_desc_len();
	memcpy(f->meta + h->id_offset, id, strlen(id));
	for (i = 0; i < f->nr; i++) {
		d = (void *)(f->meta + h->desc_offset + i * kvm_stats_desc_len());
		d->flags = defs[i].flags;
		d->size = 1;
		d->offset = i * sizeof(u64);
		memcpy(d->name, defs[i].name, strlen(defs[i].name));
	}
}

/* Copy the part of [@src, @src + @len), which sits at @start in the file, that @pos.. covers. */
static ssize_t kvm_stats_copy(char __user *buf, size_t size, loff_t pos, const void *src,
			      size_t start, size_t len)
{
	size_t skip, n;

	if (pos >= start + len || pos + size <= start)
		return 0;
	skip = pos > start ? pos - start : 0;
	n = min(len - skip, size - (start > pos ? start - pos : 0));
	if (copy_to_user(buf + (start > pos ? start - pos : 0), (const u8 *)src + skip, n))
		return -EFAULT;
	return n;
}

static ssize_t kvm_stats_read(struct file *file, char __user *buf, size_t size, loff_t *ppos)
{
	struct kvm_stats_file *f = file->private_data;
	u64 values[KVM_STATS_MAX];
	size_t total = f->meta_len + f->nr * sizeof(u64);
	ssize_t a, b;
	loff_t pos = *ppos;
	u32 i;

	if (pos < 0)
		return -EINVAL;
	if (pos >= total || !size)
		return 0;
	size = min_t(size_t, size, total - pos);
	for (i = 0; i < f->nr; i++)
		values[i] = READ_ONCE(f->values[i]);
	a = kvm_stats_copy(buf, size, pos, f->meta, 0, f->meta_len);
	b = kvm_stats_copy(buf, size, pos, values, f->meta_len, f->nr * sizeof(u64));
	if (a < 0 || b < 0)
		return -EFAULT;
	*ppos = pos + size;
	return size;
}

static int kvm_stats_release(struct inode *inode, struct file *file)
{
	struct kvm_stats_file *f = file->private_data;

	kvm_put_kvm(f->kvm);
	kfree(f);
	return 0;
}

static const struct file_operations kvm_stats_fops = {
	.owner		= THIS_MODULE,
	.read		= kvm_stats_read,
	.release	= kvm_stats_release,
	.llseek		= noop_llseek,
};

/*
 * A statistics file for @kvm or one of its vCPUs: @nr statistics described by @defs, whose
 * values are the u64s at @values.  Returns the descriptor or a -errno.
 */
int kvm_stats_fd_create(struct kvm *kvm, const char *id, const struct kvm_stat_def *defs,
			u32 nr, const u64 *values)
{
	size_t meta_len = sizeof(struct kvm_stats_header) + KVM_STATS_NAME_SIZE +
			  nr * kvm_stats_desc_len();
	struct kvm_stats_file *f;
	struct file *file;
	int fd, r;

	if (WARN_ON(nr > KVM_STATS_MAX))
		return -EINVAL;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	r = -ENOMEM;
	f = kzalloc(sizeof(*f) + meta_len, GFP_KERNEL_ACCOUNT);
	if (!f)
		goto err_fd;
	f->kvm = kvm;
	f->values = values;
	f->nr = nr;
	f->meta_len = meta_len;
	kvm_stats_layout(f, id, defs);
	file = anon_inode_getfile("kvm-stats", &kvm_stats_fops, f, O_RDONLY);
	if (IS_ERR(file)) {
		r = PTR_ERR(file);
		goto err_free;
	}
	file->f_mode |= FMODE_PREAD;
	kvm_get_kvm(kvm);
	fd_install(fd, file);
	return fd;

err_free:
	kfree(f);
err_fd:
	put_unused_fd(fd);
	return r;
}

int kvm_vm_stats_fd(struct kvm *kvm)
{
	char id[KVM_STATS_NAME_SIZE];

	snprintf(id, sizeof(id), "kvm-%d", task_pid_nr(current));
	return kvm_stats_fd_create(kvm, id, kvm_vm_stats_defs, kvm_vm_stats_nr,
				   (const u64 *)&kvm->stat);
}

int kvm_vcpu_stats_fd(struct kvm_vcpu *vcpu)
{
	char id[KVM_STATS_NAME_SIZE];

	snprintf(id, sizeof(id), "kvm-%d/vcpu-%u", task_pid_nr(current), vcpu->vcpu_id);
	return kvm_stats_fd_create(vcpu->kvm, id, kvm_vcpu_stats_defs, kvm_vcpu_stats_nr,
				   (const u64 *)&vcpu->stat);
}
