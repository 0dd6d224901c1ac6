// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic KVM front: the system device, VM and vCPU file objects and their ioctl
 * dispatch.  Every handler follows one order: check the object's state, copy the argument
 * from user memory, reject malformed fields, take the lock, work, copy results back.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/kvm_host.h>
#include <linux/kvm_para.h>

static const struct file_operations kvm_vm_fops;
static const struct file_operations kvm_vcpu_fops;

static DEFINE_MUTEX(kvm_init_lock);
static bool kvm_initialized;

/* Module init (the kernel host) or first use (the library host); idempotent. */
int kvm_coco_init(void)
{
	int r = 0;

	mutex_lock(&kvm_init_lock);
	if (!kvm_initialized) {
		r = kvm_arch_init();
		kvm_initialized = !r;
	}
	mutex_unlock(&kvm_init_lock);
	return r;
}

void kvm_coco_exit(void)
{
	mutex_lock(&kvm_init_lock);
	if (kvm_initialized)
		kvm_arch_exit();
	kvm_initialized = false;
	mutex_unlock(&kvm_init_lock);
}

void kvm_get_kvm(struct kvm *kvm)
{
	refcount_inc(&kvm->users_count);
}

static void kvm_destroy_vcpus(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	xa_for_each(&kvm->vcpu_array, i, vcpu) {
		kvm_arch_vcpu_destroy(vcpu);
		vfree(vcpu->run);
		mutex_destroy(&vcpu->mutex);
		kfree(vcpu);
	}
	xa_destroy(&kvm->vcpu_array);
}

static void kvm_destroy_vm(struct kvm *kvm)
{
	kvm_destroy_vcpus(kvm);
	kvm_arch_destroy_vm(kvm);
	kvm_free_memslots(kvm);
	kvm_range_map_destroy(&kvm->mem_attr_map);
	mutex_destroy(&kvm->slots_lock);
	mutex_destroy(&kvm->lock);
	kfree(kvm);
}

void kvm_put_kvm(struct kvm *kvm)
{
	if (refcount_dec_and_test(&kvm->users_count))
		kvm_destroy_vm(kvm);
}

static bool kvm_is_vm_type_supported(unsigned long type)
{
	return type < BITS_PER_LONG && (KVM_SUPPORTED_VM_TYPES & BIT(type));
}

long kvm_arch_dev_ioctl_check_extension(struct kvm *kvm, long ext)
{
	switch (ext) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_USER_MEMORY2:
	case KVM_CAP_MEMORY_FAULT_INFO:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_GET_TSC_KHZ:
	case KVM_CAP_BINARY_STATS_FD:
	case KVM_CAP_VCPU_EVENTS:
	case KVM_CAP_DEBUGREGS:
		return 1;
	case KVM_CAP_SYNC_REGS:
		return KVM_SYNC_X86_VALID_FIELDS;
	case KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM:
	case KVM_CAP_VM_COPY_ENC_CONTEXT_FROM:
		return !kvm || kvm->arch.ops->vm_move_enc_context_from;
	case KVM_CAP_NR_MEMSLOTS:
		return KVM_USER_MEM_SLOTS;
	case KVM_CAP_MAX_VCPUS:
		return KVM_MAX_VCPUS;
	case KVM_CAP_MAX_VCPU_ID:
		return KVM_MAX_VCPU_IDS;
	case KVM_CAP_MEMORY_ATTRIBUTES:
		return kvm_supported_mem_attributes(kvm);
	case KVM_CAP_GUEST_MEMFD:
		return !kvm || kvm_arch_has_private_mem(kvm);
	case KVM_CAP_VM_TYPES:
		return KVM_SUPPORTED_VM_TYPES;
	case KVM_CAP_EXIT_HYPERCALL:
		return BIT(KVM_HC_MAP_GPA_RANGE);
	case KVM_CAP_COCO_ENGINE:
		return kvm_arch_engines();
	default:
		return 0;
	}
}

static int kvm_dev_ioctl_create_vm(unsigned long type)
{
	struct kvm *kvm;
	int fd;

	if (!kvm_is_vm_type_supported(type))
		return -EINVAL;

	kvm = kzalloc(sizeof(*kvm), GFP_KERNEL_ACCOUNT);
	if (!kvm)
		return -ENOMEM;
	refcount_set(&kvm->users_count, 1);
	mutex_init(&kvm->lock);
	mutex_init(&kvm->slots_lock);
	kvm_init_memslots(kvm);
	kvm_range_map_init(&kvm->mem_attr_map);
	xa_init(&kvm->vcpu_array);
	kvm_arch_init_vm(kvm, type);

	fd = anon_inode_getfd("kvm-vm", &kvm_vm_fops, kvm, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		kvm_put_kvm(kvm);
	return fd;
}

static long kvm_dev_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	switch (ioctl) {
	case KVM_GET_API_VERSION:
		return arg ? -EINVAL : KVM_API_VERSION;
	case KVM_CREATE_VM:
		return kvm_dev_ioctl_create_vm(arg);
	case KVM_CHECK_EXTENSION:
		return kvm_arch_dev_ioctl_check_extension(NULL, arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : PAGE_SIZE;
	default:
		return kvm_arch_dev_ioctl(filp, ioctl, arg);
	}
}

const struct file_operations kvm_chardev_ops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= kvm_dev_ioctl,
	.compat_ioctl	= kvm_dev_ioctl,
};

/* vCPUs */

static int kvm_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kvm_vcpu *vcpu = file->private_data;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start > PAGE_SIZE)
		return -EINVAL;
	return remap_vmalloc_range(vma, vcpu->run, 0);
}

static int kvm_vcpu_release(struct inode *inode, struct file *file)
{
	struct kvm_vcpu *vcpu = file->private_data;

	kvm_put_kvm(vcpu->kvm);
	return 0;
}

void kvm_sigset_activate(struct kvm_vcpu *vcpu, sigset_t *saved)
{
	if (vcpu->sigset_active)
		sigprocmask(SIG_SETMASK, &vcpu->sigset, saved);
}

void kvm_sigset_deactivate(struct kvm_vcpu *vcpu, sigset_t *saved)
{
	if (vcpu->sigset_active)
		sigprocmask(SIG_SETMASK, saved, NULL);
}

/*
 * KVM_SET_SIGNAL_MASK: the mask KVM_RUN runs under (a signal it leaves unblocked interrupts
 * KVM_RUN with EINTR), or none (a NULL argument).  As upstream: @len must be the kernel's
 * sigset_t, and SIGKILL and SIGSTOP cannot be blocked.
 */
static long kvm_vcpu_ioctl_set_sigmask(struct kvm_vcpu *vcpu, void __user *argp)
{
	struct kvm_signal_mask __user *user = argp;
	struct kvm_signal_mask head;
	sigset_t set;

	if (!argp) {
		vcpu->sigset_active = false;
		return 0;
	}
	if (copy_from_user(&head, user, sizeof(head)))
		return -EFAULT;
	if (head.len != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, user->sigset, sizeof(set)))
		return -EFAULT;
	sigdelsetmask(&set, sigmask(SIGKILL) | sigmask(SIGSTOP));
	vcpu->sigset = set;
	vcpu->sigset_active = true;
	return 0;
}

static long kvm_vcpu_ioctl(struct file *file, unsigned int ioctl, unsigned long arg)
{
	struct kvm_vcpu *vcpu = file->private_data;
	long r;

	if (READ_ONCE(vcpu->kvm->vm_dead))
		return -EIO;
	mutex_lock(&vcpu->mutex);
	if (ioctl == KVM_SET_SIGNAL_MASK)
		r = kvm_vcpu_ioctl_set_sigmask(vcpu, (void __user *)arg);
	else if (ioctl == KVM_GET_STATS_FD)
		r = kvm_vcpu_stats_fd(vcpu);
	else
		r = kvm_arch_vcpu_ioctl(file, ioctl, arg);
	mutex_unlock(&vcpu->mutex);
	return r;
}

static const struct file_operations kvm_vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= kvm_vcpu_release,
	.unlocked_ioctl	= kvm_vcpu_ioctl,
	.mmap		= kvm_vcpu_mmap,
};

static bool kvm_vcpu_id_taken(struct kvm *kvm, unsigned long id)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	xa_for_each(&kvm->vcpu_array, i, vcpu)
		if (vcpu->vcpu_id == id)
			return true;
	return false;
}

static int kvm_vm_ioctl_create_vcpu(struct kvm *kvm, unsigned long id)
{
	struct kvm_vcpu *vcpu;
	int r;

	if (id >= KVM_MAX_VCPU_IDS)
		return -EINVAL;

	mutex_lock(&kvm->lock);
	r = -EINVAL;
	if (kvm->created_vcpus >= KVM_MAX_VCPUS)
		goto out_unlock;
	r = kvm_arch_vcpu_precreate(kvm, id);
	if (r)
		goto out_unlock;
	r = -EEXIST;
	if (kvm_vcpu_id_taken(kvm, id))
		goto out_unlock;

	r = -ENOMEM;
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		goto out_unlock;
	vcpu->run = vmalloc_user(PAGE_SIZE);
	if (!vcpu->run)
		goto out_free_vcpu;
	vcpu->kvm = kvm;
	vcpu->vcpu_id = id;
	vcpu->vcpu_idx = kvm->created_vcpus;
	mutex_init(&vcpu->mutex);
	r = kvm_arch_vcpu_create(vcpu);
	if (r)
		goto out_free_run;

	r = xa_err(xa_store(&kvm->vcpu_array, vcpu->vcpu_idx, vcpu, GFP_KERNEL_ACCOUNT));
	if (r)
		goto out_arch_destroy;

	/* The fd's reference on the VM; dropped by kvm_vcpu_release(). */
	kvm_get_kvm(kvm);
	r = anon_inode_getfd("kvm-vcpu", &kvm_vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (r < 0)
		goto out_unstore;
	kvm->created_vcpus++;
	mutex_unlock(&kvm->lock);
	return r;

out_unstore:
	kvm_put_kvm(kvm);
	xa_erase(&kvm->vcpu_array, vcpu->vcpu_idx);
out_arch_destroy:
	kvm_arch_vcpu_destroy(vcpu);
out_free_run:
	mutex_destroy(&vcpu->mutex);
	vfree(vcpu->run);
out_free_vcpu:
	kfree(vcpu);
out_unlock:
	mutex_unlock(&kvm->lock);
	return r;
}

/* VMs */

static long kvm_vm_ioctl_set_region(struct kvm *kvm, unsigned int ioctl, void __user *argp)
{
	struct kvm_userspace_memory_region2 mem = {};
	unsigned long size;

	if (ioctl == KVM_SET_USER_MEMORY_REGION)
		size = sizeof(struct kvm_userspace_memory_region);
	else
		size = sizeof(mem);

	if (copy_from_user(&mem, argp, size))
		return -EFAULT;
	/* The v1 struct has no guest_memfd fields, so it cannot ask for one. */
	if (ioctl == KVM_SET_USER_MEMORY_REGION &&
	    (mem.flags & ~(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY)))
		return -EINVAL;
	return kvm_vm_ioctl_set_memory_region(kvm, &mem);
}

static long kvm_vm_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct kvm *kvm = filp->private_data;
	void __user *argp = (void __user *)arg;

	if (READ_ONCE(kvm->vm_dead))
		return -EIO;
	switch (ioctl) {
	case KVM_CREATE_VCPU:
		return kvm_vm_ioctl_create_vcpu(kvm, arg);
	case KVM_CHECK_EXTENSION:
		return kvm_arch_dev_ioctl_check_extension(kvm, arg);
	case KVM_GET_STATS_FD:
		return kvm_vm_stats_fd(kvm);
	case KVM_SET_USER_MEMORY_REGION:
	case KVM_SET_USER_MEMORY_REGION2:
		return kvm_vm_ioctl_set_region(kvm, ioctl, argp);
	case KVM_SET_MEMORY_ATTRIBUTES: {
		struct kvm_memory_attributes attrs;

		if (copy_from_user(&attrs, argp, sizeof(attrs)))
			return -EFAULT;
		return kvm_vm_ioctl_set_mem_attributes(kvm, &attrs);
	}
	case KVM_COCO_GET_MEMORY_ATTRIBUTES: {
		struct kvm_memory_attributes attrs;
		int r;

		if (copy_from_user(&attrs, argp, sizeof(attrs)))
			return -EFAULT;
		r = kvm_vm_ioctl_get_mem_attributes(kvm, &attrs);
		if (!r && copy_to_user(argp, &attrs, sizeof(attrs)))
			return -EFAULT;
		return r;
	}
	case KVM_GET_DIRTY_LOG: {
		struct kvm_dirty_log log;

		if (copy_from_user(&log, argp, sizeof(log)))
			return -EFAULT;
		return kvm_vm_ioctl_get_dirty_log(kvm, &log);
	}
	case KVM_CREATE_GUEST_MEMFD: {
		struct kvm_create_guest_memfd args;

		if (copy_from_user(&args, argp, sizeof(args)))
			return -EFAULT;
		return kvm_gmem_create(kvm, &args);
	}
	default:
		return kvm_arch_vm_ioctl(filp, ioctl, arg);
	}
}

/* Whether @file is a VM's (KVM_CREATE_VM's descriptor). */
bool file_is_kvm(struct file *file)
{
	return file && file->f_op == &kvm_vm_fops;
}

static int kvm_vm_release(struct inode *inode, struct file *filp)
{
	kvm_put_kvm(filp->private_data);
	return 0;
}

static const struct file_operations kvm_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= kvm_vm_release,
	.unlocked_ioctl	= kvm_vm_ioctl,
};
