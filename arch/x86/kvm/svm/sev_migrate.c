// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intra-host migration of an SEV or SEV-ES guest's encryption context between VMs, as upstream:
 *
 *   KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM  this VM (not yet SEV) takes the source's context: its
 *       ASID and firmware handle, launch state, registered regions and mirrors, and (SEV-ES)
 *       each vCPU's VMSA, which needs as many vCPUs here and every source VMSA measured.  The
 *       source is dead afterwards: every ioctl on it is EIO.
 *   KVM_CAP_VM_COPY_ENC_CONTEXT_FROM  this VM (not SEV, no vCPUs) becomes a mirror: it shares
 *       the source's ASID and handle, holds a reference on it, and may only add vCPUs, launch
 *       their VMSAs and ask the guest's status.
 *
 * Every move and copy runs under sev_migrate_lock, then the destination's kvm->lock, then the
 * source's: only these take two VMs' locks, so the order cannot invert.  The mirror lists
 * change only under sev_migrate_lock.  SNP contexts do not move (upstream: EINVAL).
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/kvm_host.h>

#include "sev.h"

static DEFINE_MUTEX(sev_migrate_lock);

/* The VM behind @fd, locked after @kvm; NULL (and *r) if it is none. */
static struct file *sev_lock_source(struct kvm *kvm, unsigned int fd, struct kvm **source,
				    int *r)
{
	struct file *file = fget(fd);

	*r = -EBADF;
	if (!file)
		return NULL;
	if (!file_is_kvm(file)) {
		fput(file);
		return NULL;
	}
	*source = file->private_data;
	*r = -EINVAL;
	if (*source == kvm) {
		fput(file);
		return NULL;
	}
	mutex_lock(&kvm->lock);
	mutex_lock_nested(&(*source)->lock, SINGLE_DEPTH_NESTING);
	*r = 0;
	return file;
}

static void sev_unlock_source(struct kvm *kvm, struct kvm *source, struct file *file)
{
	mutex_unlock(&source->lock);
	mutex_unlock(&kvm->lock);
	fput(file);
}

/* The context both kinds share: ASID, handle, the guest's kind and launch state. */
static void sev_take_context(struct kvm *dst, struct kvm *src)
{
	struct kvm_sev_info *d = &dst->arch.sev_info, *s = &src->arch.sev_info;

	d->active = true;
	d->es_active = s->es_active;
	d->asid = s->asid;
	d->handle = s->handle;
	d->launch_finished = s->launch_finished;
	d->fd = s->fd;
	d->policy = s->policy;
	d->vmsa_features = s->vmsa_features;
	d->ghcb_version = s->ghcb_version;
	dst->arch.hw = src->arch.hw;
	dst->arch.has_protected_state = src->arch.has_protected_state;
}

/* SEV-ES: as many vCPUs, each source VMSA measured. */
static int sev_check_vcpus(struct kvm *dst, struct kvm *src)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	if (!src->arch.sev_info.es_active)
		return 0;
	if (dst->created_vcpus != src->created_vcpus)
		return -EINVAL;
	kvm_for_each_vcpu(i, vcpu, src)
		if (!vcpu->arch.guest_state_protected)
			return -EINVAL;
	return 0;
}

/* Each vCPU's protected state (its VMSA and what KVM knows of it) to the same index here. */
static void sev_move_vcpus(struct kvm *dst, struct kvm *src)
{
	struct kvm_vcpu *d, *s;
	struct page *vmsa;
	unsigned long i;

	kvm_for_each_vcpu(i, s, src) {
		d = kvm_get_vcpu(dst, i);
		mutex_lock(&d->mutex);
		mutex_lock_nested(&s->mutex, SINGLE_DEPTH_NESTING);
		vmsa = d->arch.vmsa;
		d->arch.vmsa = s->arch.vmsa;
		s->arch.vmsa = vmsa;
		d->arch.regs = s->arch.regs;
		d->arch.sregs = s->arch.sregs;
		d->arch.ghcb_msr = s->arch.ghcb_msr;
		d->arch.guest_state_protected = true;
		s->arch.guest_state_protected = false;
		mutex_unlock(&s->mutex);
		mutex_unlock(&d->mutex);
	}
}

/* The source's mirrors follow its context here (each holds its reference on this VM now). */
static void sev_move_mirrors(struct kvm *dst, struct kvm *src)
{
	struct kvm_sev_info *d = &dst->arch.sev_info, *s = &src->arch.sev_info;
	struct kvm_sev_info *m;

	lockdep_assert_held(&sev_migrate_lock);
	list_for_each_entry(m, &s->mirrors, mirror_entry) {
		kvm_get_kvm(dst);
		m->mirror_owner = dst;
		kvm_put_kvm(src);	/* the caller's file keeps the source */
	}
	list_splice_init(&s->mirrors, &d->mirrors);
	/* A mirror that moves leaves its place in its owner's list to this VM. */
	if (s->mirror_owner) {
		d->mirror_owner = s->mirror_owner;
		list_replace_init(&s->mirror_entry, &d->mirror_entry);
		s->mirror_owner = NULL;
	}
}

/* Under every lock: the source's context moves here, and the source is dead. */
static int sev_move_from(struct kvm *kvm, struct kvm *source)
{
	struct kvm_sev_info *dst = &kvm->arch.sev_info, *src = &source->arch.sev_info;
	int r;

	if (dst->active || !src->active || src->snp_active ||
	    kvm->arch.vm_type != source->arch.vm_type)
		return -EINVAL;
	r = sev_check_vcpus(kvm, source);
	if (r)
		return r;
	sev_take_context(kvm, source);
	list_splice_init(&src->regions, &dst->regions);
	sev_move_mirrors(kvm, source);
	if (src->es_active)
		sev_move_vcpus(kvm, source);
	/* Nothing of the guest is left there: its teardown gives back nothing. */
	src->active = false;
	src->handle = 0;
	kvm_vm_dead(source);
	return 0;
}

/* Under every lock: this VM becomes a mirror of the source. */
static int sev_copy_from(struct kvm *kvm, struct kvm *source)
{
	struct kvm_sev_info *dst = &kvm->arch.sev_info, *src = &source->arch.sev_info;

	if (dst->active || kvm->created_vcpus || !src->active || src->snp_active ||
	    src->mirror_owner)
		return -EINVAL;
	sev_take_context(kvm, source);
	kvm_get_kvm(source);
	dst->mirror_owner = source;
	list_add_tail(&dst->mirror_entry, &src->mirrors);
	return 0;
}

/* @op on this VM and the live VM behind @fd, under sev_migrate_lock and both VMs' locks. */
static int sev_with_source(struct kvm *kvm, unsigned int fd,
			   int (*op)(struct kvm *kvm, struct kvm *source))
{
	struct kvm *source;
	struct file *file;
	int r;

	mutex_lock(&sev_migrate_lock);
	file = sev_lock_source(kvm, fd, &source, &r);
	if (file) {
		r = READ_ONCE(source->vm_dead) ? -EINVAL : op(kvm, source);
		sev_unlock_source(kvm, source, file);
	}
	mutex_unlock(&sev_migrate_lock);
	return r;
}

int sev_vm_move_enc_context_from(struct kvm *kvm, unsigned int source_fd)
{
	return sev_with_source(kvm, source_fd, sev_move_from);
}

int sev_vm_copy_enc_context_from(struct kvm *kvm, unsigned int source_fd)
{
	return sev_with_source(kvm, source_fd, sev_copy_from);
}

/*
 * A mirror goes: it leaves its owner (whose context it never owned) and lets go of it.
 * false if @kvm is no mirror.
 */
bool sev_mirror_destroy(struct kvm *kvm)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct kvm *owner;

	mutex_lock(&sev_migrate_lock);
	owner = sev->mirror_owner;
	if (owner) {
		list_del(&sev->mirror_entry);
		sev->mirror_owner = NULL;
	}
	mutex_unlock(&sev_migrate_lock);
	if (!owner)
		return false;
	sev->active = false;
	kvm_put_kvm(owner);
	return true;
}
