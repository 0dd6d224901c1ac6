// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV and SEV-ES guests' launch (KVM_MEMORY_ENCRYPT_OP): LAUNCH_START (a firmware context,
 * bound to the VM's ASID; with a guest owner's DH certificate and session, the owner's
 * transport keys), LAUNCH_UPDATE_DATA, LAUNCH_UPDATE_VMSA (SEV-ES), LAUNCH_MEASURE,
 * LAUNCH_SECRET, LAUNCH_FINISH, GUEST_STATUS; and the context's end with the VM.  Under
 * kvm->lock.
 *
 * Guest memory is the memslots' userspace memory (SEV has no guest_memfd): the firmware reads
 * a page at a time from a bounce page KVM copies the VMM's data into, and what it leaves there
 * (on silicon: the ciphertext) goes back to the VMM's memory.  Upstream pins the VMM's pages
 * and hands them to the firmware in place.
 *
 * Blobs (a certificate, a session, a secret's header and data) go to the firmware in pages of
 * their own, as upstream's copies do; LAUNCH_SECRET's plaintext comes back through a bounce
 * buffer to the VMM's memory at guest_uaddr.
 *
 * Stricter than upstream 6.12: a second LAUNCH_START, and the launch commands before
 * LAUNCH_START or after LAUNCH_FINISH, are KVM's own EINVAL; so is a LAUNCH_SECRET of more than
 * 16 KiB (upstream pins that much guest memory, for a packet that cannot be longer).  The
 * pads are ignored, as upstream ignores them: its own selftests leave LAUNCH_MEASURE's
 * uninitialised.
 */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>

#include "sev.h"
#include "vmsa.h"


static bool sev_launching(struct kvm_sev_info *sev)
{
	return sev->handle && !sev->launch_finished;
}

/* Firmware-visible pages, physically contiguous, for @len bytes. */
struct sev_blob {
	struct page *page;
	unsigned int order;
};

static int sev_blob_alloc(struct sev_blob *b, u32 len)
{
	b->page = sev_fw_alloc(len, &b->order);
	return b->page ? 0 : -ENOMEM;
}

/* A copy of the VMM's blob at @uaddr; none if @uaddr is 0. */
static int sev_blob_get(struct sev_blob *b, u64 uaddr, u32 len)
{
	b->page = NULL;
	if (!uaddr)
		return 0;
	if (sev_blob_alloc(b, len))
		return -ENOMEM;
	if (copy_from_user(page_address(b->page), u64_to_user_ptr(uaddr), len)) {
		__free_pages(b->page, b->order);
		b->page = NULL;
		return -EFAULT;
	}
	return 0;
}

/* Its physical address, 0 for none. */
static u64 sev_blob_pa(const struct sev_blob *b)
{
	return b->page ? (u64)page_to_pfn(b->page) << PAGE_SHIFT : 0;
}

/* Cleared first: a blob may be a secret or a key. */
static void sev_blob_put(struct sev_blob *b)
{
	if (!b->page)
		return;
	memzero_explicit(page_address(b->page), PAGE_SIZE << b->order);
	__free_pages(b->page, b->order);
	b->page = NULL;
}

int sev_launch_start(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_launch_start start = {};
	struct sev_data_activate activate = {};
	struct sev_data_decommission gone = {};
	struct kvm_sev_launch_start params;
	struct sev_blob dh, session;
	int r;

	lockdep_assert_held(&kvm->lock);
	if (sev->handle)
		return -EINVAL;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data), sizeof(params)))
		return -EFAULT;
	if ((params.dh_uaddr && (!params.dh_len || params.dh_len > SEV_FW_BLOB_MAX_SIZE)) ||
	    (params.session_uaddr &&
	     (!params.session_len || params.session_len > SEV_FW_BLOB_MAX_SIZE)))
		return -EINVAL;
	r = sev_blob_get(&dh, params.dh_uaddr, params.dh_len);
	if (r)
		return r;
	r = sev_blob_get(&session, params.session_uaddr, params.session_len);
	if (r)
		goto out_dh;
	start.dh_cert_address = sev_blob_pa(&dh);
	start.session_address = sev_blob_pa(&session);
	start.dh_cert_len = params.dh_uaddr ? params.dh_len : 0;
	start.session_len = params.session_uaddr ? params.session_len : 0;
	start.handle = params.handle;
	start.policy = params.policy;
	r = sev_issue_cmd(kvm, argp->sev_fd, SEV_CMD_LAUNCH_START, &start, (int *)&argp->error);
	sev_blob_put(&session);
out_dh:
	sev_blob_put(&dh);
	if (r)
		return r;

	/* From here the context is the VM's: if it cannot go now, the VM's end tries again. */
	sev->handle = start.handle;
	sev->fd = argp->sev_fd;
	activate.handle = start.handle;
	activate.asid = sev->asid;
	r = sev_issue_cmd(kvm, argp->sev_fd, SEV_CMD_ACTIVATE, &activate, (int *)&argp->error);
	if (r)
		goto err_decommission;
	params.handle = start.handle;
	if (copy_to_user(u64_to_user_ptr(argp->data), &params, sizeof(params))) {
		r = -EFAULT;
		goto err_deactivate;
	}
	sev->policy = params.policy;
	return 0;

err_deactivate:
	if (sev_do_cmd(SEV_CMD_DEACTIVATE, &activate, NULL))
		return r;
err_decommission:
	gone.handle = start.handle;
	if (!sev_do_cmd(SEV_CMD_DECOMMISSION, &gone, NULL))
		sev->handle = 0;
	return r;
}

int sev_launch_update_data(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_launch_update_data fw = {};
	struct kvm_sev_launch_update_data params;
	unsigned long off, n;
	struct page *bounce;
	u64 uaddr, end;
	u8 *buf;
	int r = 0;

	lockdep_assert_held(&kvm->lock);
	if (!sev_launching(sev))
		return -EINVAL;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data), sizeof(params)))
		return -EFAULT;
	if (!params.len || check_add_overflow(params.uaddr, (u64)params.len, &end))
		return -EINVAL;
	bounce = alloc_page(GFP_KERNEL_ACCOUNT);
	if (!bounce)
		return -ENOMEM;
	buf = page_address(bounce);
	fw.handle = sev->handle;
	for (uaddr = params.uaddr; !r && uaddr < end; uaddr += n) {
		off = uaddr & ~PAGE_MASK;
		n = min_t(u64, end - uaddr, PAGE_SIZE - off);
		if (copy_from_user(buf + off, u64_to_user_ptr(uaddr), n)) {
			r = -EFAULT;
			break;
		}
		fw.address = ((u64)page_to_pfn(bounce) << PAGE_SHIFT) + off;
		fw.len = n;
		r = sev_issue_cmd(kvm, sev->fd, SEV_CMD_LAUNCH_UPDATE_DATA, &fw,
				  (int *)&argp->error);
		if (!r && copy_to_user(u64_to_user_ptr(uaddr), buf + off, n))
			r = -EFAULT;
	}
	__free_page(bounce);
	return r;
}

/* One vCPU's VMSA, from its state, measured (vcpu->mutex held). */
static int sev_launch_update_one_vmsa(struct kvm *kvm, struct kvm_vcpu *vcpu,
				      struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_launch_update_data fw = {};
	int r;

	lockdep_assert_held(&vcpu->mutex);
	if (vcpu->arch.guest_state_protected)
		return -EINVAL;
	sev_es_fill_vmsa(page_address(vcpu->arch.vmsa), &vcpu->arch, sev->vmsa_features);
	fw.handle = sev->handle;
	fw.address = (u64)page_to_pfn(vcpu->arch.vmsa) << PAGE_SHIFT;
	fw.len = PAGE_SIZE;
	r = sev_issue_cmd(kvm, sev->fd, SEV_CMD_LAUNCH_UPDATE_VMSA, &fw, (int *)&argp->error);
	if (!r)
		vcpu->arch.guest_state_protected = true;
	return r;
}

int sev_launch_update_vmsa(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct kvm_vcpu *vcpu;
	unsigned long i;
	int r = 0;

	lockdep_assert_held(&kvm->lock);
	if (!sev->es_active)
		return -ENOTTY;
	if (!sev_launching(sev) || argp->data)
		return -EINVAL;
	kvm_for_each_vcpu(i, vcpu, kvm) {
		mutex_lock(&vcpu->mutex);
		r = sev_launch_update_one_vmsa(kvm, vcpu, argp);
		mutex_unlock(&vcpu->mutex);
		if (r)
			break;
	}
	return r;
}

/* params.len 0: a query of the blob's size (the firmware's INVALID_LEN, and the size). */
int sev_launch_measure(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_launch_measure fw = {};
	struct kvm_sev_launch_measure params;
	struct page *blob = NULL;
	int r;

	lockdep_assert_held(&kvm->lock);
	if (!sev_launching(sev))
		return -EINVAL;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data), sizeof(params)))
		return -EFAULT;
	if ((params.len && !params.uaddr) || params.len > SEV_FW_BLOB_MAX_SIZE)
		return -EINVAL;
	if (params.len) {
		blob = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!blob)
			return -ENOMEM;
		fw.address = (u64)page_to_pfn(blob) << PAGE_SHIFT;
		fw.len = min_t(u32, params.len, PAGE_SIZE);
	}
	fw.handle = sev->handle;
	r = sev_issue_cmd(kvm, sev->fd, SEV_CMD_LAUNCH_MEASURE, &fw, (int *)&argp->error);
	if (!r && copy_to_user(u64_to_user_ptr(params.uaddr), page_address(blob), fw.len))
		r = -EFAULT;
	if (blob)
		__free_page(blob);
	if (r && r != -EIO)
		return r;
	params.len = fw.len;
	if (copy_to_user(u64_to_user_ptr(argp->data), &params, sizeof(params)))
		return -EFAULT;
	return r;
}

/*
 * LAUNCH_SECRET: the firmware checks the packet (header, then data) against the owner's TIK and
 * the measurement, and leaves the plaintext at the guest address, which here is a bounce buffer
 * whose bytes then go to the VMM's memory at guest_uaddr.
 */
int sev_launch_secret(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_launch_secret fw = { .handle = sev->handle };
	struct kvm_sev_launch_secret params;
	struct sev_blob hdr, trans, guest;
	u32 offset;
	u64 end;
	int r;

	lockdep_assert_held(&kvm->lock);
	if (!sev_launching(sev))
		return -EINVAL;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data), sizeof(params)))
		return -EFAULT;
	if (!params.hdr_uaddr || !params.hdr_len || params.hdr_len > SEV_FW_BLOB_MAX_SIZE ||
	    !params.trans_uaddr || !params.trans_len || params.trans_len > SEV_FW_BLOB_MAX_SIZE ||
	    !params.guest_len || params.guest_len > SEV_FW_BLOB_MAX_SIZE ||
	    check_add_overflow(params.guest_uaddr, (u64)params.guest_len, &end))
		return -EINVAL;
	offset = params.guest_uaddr & ~PAGE_MASK;
	r = sev_blob_alloc(&guest, offset + params.guest_len);
	if (r)
		return r;
	r = sev_blob_get(&hdr, params.hdr_uaddr, params.hdr_len);
	if (r)
		goto out_guest;
	r = sev_blob_get(&trans, params.trans_uaddr, params.trans_len);
	if (r)
		goto out_hdr;
	fw.hdr_address = sev_blob_pa(&hdr);
	fw.trans_address = sev_blob_pa(&trans);
	fw.hdr_len = params.hdr_len;
	fw.trans_len = params.trans_len;
	fw.guest_address = ((u64)page_to_pfn(guest.page) << PAGE_SHIFT) + offset;
	fw.guest_len = params.guest_len;
	r = sev_issue_cmd(kvm, sev->fd, SEV_CMD_LAUNCH_UPDATE_SECRET, &fw, (int *)&argp->error);
	if (!r && copy_to_user(u64_to_user_ptr(params.guest_uaddr),
			       (u8 *)page_address(guest.page) + offset, params.guest_len))
		r = -EFAULT;
	sev_blob_put(&trans);
out_hdr:
	sev_blob_put(&hdr);
out_guest:
	sev_blob_put(&guest);
	return r;
}

int sev_launch_finish(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_launch_finish fw = { .handle = sev->handle };
	int r;

	lockdep_assert_held(&kvm->lock);
	if (!sev_launching(sev) || argp->data)
		return -EINVAL;
	r = sev_issue_cmd(kvm, sev->fd, SEV_CMD_LAUNCH_FINISH, &fw, (int *)&argp->error);
	if (!r)
		sev->launch_finished = true;
	return r;
}

int sev_guest_status(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_guest_status fw = { .handle = sev->handle };
	struct kvm_sev_guest_status params = {};
	int r;

	lockdep_assert_held(&kvm->lock);
	if (!sev->handle)
		return -EINVAL;
	r = sev_issue_cmd(kvm, sev->fd, SEV_CMD_GUEST_STATUS, &fw, (int *)&argp->error);
	if (r)
		return r;
	params.handle = sev->handle;
	params.policy = fw.policy;
	params.state = fw.state;
	if (copy_to_user(u64_to_user_ptr(argp->data), &params, sizeof(params)))
		return -EFAULT;
	return 0;
}

static atomic_long_t sev_contexts_leaked;

/* Contexts the firmware kept when their VM went (tests: what a firmware error leaves). */
unsigned long sev_leaked_contexts(void)
{
	return atomic_long_read(&sev_contexts_leaked);
}

/*
 * The VM goes: unbind its ASID and end its context.  false if the firmware kept the guest
 * (the ASID must not be handed out again).
 */
bool sev_launch_destroy(struct kvm *kvm)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_deactivate off = { .handle = sev->handle };
	struct sev_data_decommission gone = { .handle = sev->handle };
	int error;

	if (!sev->handle)
		return true;
	if (sev_do_cmd(SEV_CMD_DEACTIVATE, &off, &error) ||
	    sev_do_cmd(SEV_CMD_DECOMMISSION, &gone, &error)) {
		pr_err("SEV guest %u not decommissioned: firmware status %#x\n", sev->handle,
		       error);
		atomic_long_inc(&sev_contexts_leaked);
		return false;
	}
	sev->handle = 0;
	return true;
}

/*
 * KVM_MEMORY_ENCRYPT_REG_REGION: userspace memory that holds guest pages.  Upstream pins it
 * (the PSP and the CPU must find SEV pages where they were encrypted); the model's pages
 * never move, so KVM only records the range, with upstream's checks, for UNREG_REGION.
 */
struct sev_region {
	struct kvm_enc_region range;
	struct list_head entry;
};

static int sev_copy_region(struct kvm *kvm, void __user *argp, struct kvm_enc_region *range)
{
	u64 end;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(range, argp, sizeof(*range)))
		return -EFAULT;
	if (!range->size || check_add_overflow(range->addr, range->size, &end))
		return -EINVAL;
	return 0;
}

int sev_mem_enc_register_region(struct kvm *kvm, void __user *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct kvm_enc_region range;
	struct sev_region *region;
	int r;

	r = sev_copy_region(kvm, argp, &range);
	if (r)
		return r;
	if (!access_ok(u64_to_user_ptr(range.addr), range.size))
		return -EFAULT;
	region = kzalloc(sizeof(*region), GFP_KERNEL_ACCOUNT);
	if (!region)
		return -ENOMEM;
	region->range = range;
	mutex_lock(&kvm->lock);
	list_add_tail(&region->entry, &sev->regions);
	mutex_unlock(&kvm->lock);
	return 0;
}

int sev_mem_enc_unregister_region(struct kvm *kvm, void __user *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct kvm_enc_region range;
	struct sev_region *region;
	int r;

	r = sev_copy_region(kvm, argp, &range);
	if (r)
		return r;
	r = -EINVAL;
	mutex_lock(&kvm->lock);
	list_for_each_entry(region, &sev->regions, entry) {
		if (!memcmp(&region->range, &range, sizeof(range))) {
			list_del(&region->entry);
			kfree(region);
			r = 0;
			break;
		}
	}
	mutex_unlock(&kvm->lock);
	return r;
}

void sev_free_regions(struct kvm *kvm)
{
	struct sev_region *region, *next;

	list_for_each_entry_safe(region, next, &kvm->arch.sev_info.regions, entry) {
		list_del(&region->entry);
		kfree(region);
	}
}
