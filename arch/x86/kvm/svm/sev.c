// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV, SEV-ES and SEV-SNP VMs: KVM_MEMORY_ENCRYPT_OP (KVM_SEV_INIT2, KVM_SEV_SNP_LAUNCH_START,
 * _UPDATE, _FINISH; SEV and SEV-ES launch in sev_launch.c), the VMSA of each vCPU, and the
 * teardown that gives every page back.
 *
 * Locking: every command runs under kvm->lock; LAUNCH_UPDATE also takes kvm->slots_lock to
 * look up memslots and attributes (kvm->lock -> slots_lock, as everywhere).
 *
 * kvm-coco is stricter than upstream 6.12 here (README, "Where kvm-coco deliberately
 * differs"): every pad must be zero; LAUNCH_UPDATE refuses len 0 and an unaligned uaddr and
 * keeps a per-page errno (EFAULT unreadable source, EEXIST already assigned, EINVAL not
 * private) instead of a blanket EIO; START, UPDATE and FINISH after FINISH are refused by
 * KVM's own state check.
 */
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>
#include <asm/sev.h>
#include <asm/snp_digest.h>
#include <asm/snp_fw.h>

#include "sev.h"
#include "svm.h"
#include "vmsa.h"

#define GHCB_VERSION_MAX	2
#define GHCB_VERSION_DEFAULT	2

/* SNP policy bits KVM accepts (bits 0-20, as upstream's SNP_POLICY_MASK_VALID). */
#define KVM_SNP_POLICY_VALID	(SNP_POLICY_ABI_MINOR_MASK | SNP_POLICY_ABI_MAJOR_MASK | \
				 SNP_POLICY_SMT | SNP_POLICY_RSVD_MBO | SNP_POLICY_MIGRATE_MA | \
				 SNP_POLICY_DEBUG | SNP_POLICY_SINGLE_SOCKET)

static DEFINE_MUTEX(sev_asid_lock);
static unsigned long sev_asid_used[(SEV_ASID_MAX + 1 + BITS_PER_LONG - 1) / BITS_PER_LONG];

static int sev_asid_new(bool es)
{
	unsigned int asid, min = es ? 1 : SEV_ES_ASID_MAX + 1;
	unsigned int max = es ? SEV_ES_ASID_MAX : SEV_ASID_MAX;
	int r = -EBUSY;

	BUILD_BUG_ON(SEV_ES_ASID_MAX != SNP_FW_MAX_ASID);

	mutex_lock(&sev_asid_lock);
	for (asid = min; asid <= max; asid++) {
		if (!(sev_asid_used[asid / BITS_PER_LONG] & BIT(asid % BITS_PER_LONG))) {
			sev_asid_used[asid / BITS_PER_LONG] |= BIT(asid % BITS_PER_LONG);
			r = asid;
			break;
		}
	}
	mutex_unlock(&sev_asid_lock);
	return r;
}

static void sev_asid_free(unsigned int asid)
{
	mutex_lock(&sev_asid_lock);
	sev_asid_used[asid / BITS_PER_LONG] &= ~BIT(asid % BITS_PER_LONG);
	mutex_unlock(&sev_asid_lock);
}

/*
 * A firmware command on behalf of a VM goes through the PSP descriptor the VMM handed to
 * LAUNCH_START, as upstream's sev_issue_cmd(): a closed or foreign descriptor is -EBADF.
 */
static struct file *sev_get_psp_file(int fd)
{
	struct file *file = fget(fd);

	if (!file)
		return ERR_PTR(-EBADF);
	if (!sev_is_psp_file(file)) {
		fput(file);
		return ERR_PTR(-EBADF);
	}
	return file;
}

int sev_issue_cmd(struct kvm *kvm, int fd, int id, void *data, int *error)
{
	struct file *file = sev_get_psp_file(fd);
	int r;

	if (IS_ERR(file))
		return PTR_ERR(file);
	r = sev_do_cmd(id, data, error);
	fput(file);
	return r;
}

u64 sev_context_paddr(struct kvm_sev_info *sev)
{
	return (u64)page_to_pfn(sev->snp_context) << PAGE_SHIFT;
}

/* KVM_SEV_INIT2, and KVM_SEV_INIT / KVM_SEV_ES_INIT on a default VM (the VM's kind is theirs) */

static int __sev_guest_init(struct kvm *kvm, const struct kvm_sev_init *data, bool es, bool snp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	int asid;

	if (sev->active || kvm->created_vcpus)
		return -EINVAL;
	asid = sev_asid_new(es);
	if (asid < 0)
		return asid;
	sev->asid = asid;
	sev->active = true;
	sev->es_active = es;
	sev->snp_active = snp;
	kvm->arch.hw.c_bit = true;
	kvm->arch.hw.ghcb = es;
	kvm->arch.hw.rmp = snp;
	kvm->arch.hw.asid = asid;
	kvm->arch.has_protected_state |= es;
	sev->fd = -1;
	sev->vmsa_features = data->vmsa_features | (snp ? SVM_SEV_FEAT_SNP_ACTIVE : 0);
	sev->ghcb_version = data->ghcb_version ? data->ghcb_version :
			    (snp ? GHCB_VERSION_DEFAULT : (es ? 1 : 0));
	return 0;
}

static int sev_guest_init2(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	unsigned long type = kvm->arch.vm_type;
	struct kvm_sev_init data;
	bool es, snp;

	lockdep_assert_held(&kvm->lock);
	if (!sev_vm_type(kvm))
		return -EINVAL;
	if (copy_from_user(&data, u64_to_user_ptr(argp->data), sizeof(data)))
		return -EFAULT;
	es = type != KVM_X86_SEV_VM;
	snp = type == KVM_X86_SNP_VM;

	if (data.flags || data.pad1 || memchr_inv(data.pad2, 0, sizeof(data.pad2)))
		return -EINVAL;
	if (data.vmsa_features & ~(es ? SVM_SEV_FEAT_DEBUG_SWAP : 0))	/* as the attribute */
		return -EINVAL;
	if (data.ghcb_version > GHCB_VERSION_MAX || (!es && data.ghcb_version) ||
	    (snp && data.ghcb_version && data.ghcb_version < 2))
		return -EINVAL;
	return __sev_guest_init(kvm, &data, es, snp);
}

/* As upstream: no parameters (data is not read), GHCB version 1, no VMSA features. */
static int sev_guest_init(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_init data = {};

	lockdep_assert_held(&kvm->lock);
	if (kvm->arch.vm_type != KVM_X86_DEFAULT_VM)
		return -EINVAL;
	return __sev_guest_init(kvm, &data, argp->id == KVM_SEV_ES_INIT, false);
}

/* KVM_SEV_SNP_LAUNCH_START */

static struct page *snp_context_create(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_snp_addr data;
	struct page *page;
	int r;

	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page)
		return ERR_PTR(-ENOMEM);
	if (snp_make_firmware(kvm, page_to_pfn(page))) {
		__free_page(page);
		return ERR_PTR(-EIO);
	}
	data.address = (u64)page_to_pfn(page) << PAGE_SHIFT;
	r = sev_issue_cmd(kvm, argp->sev_fd, SEV_CMD_SNP_GCTX_CREATE, &data, (int *)&argp->error);
	if (r) {
		if (!snp_page_reclaim(kvm, page_to_pfn(page)))
			__free_page(page);
		return ERR_PTR(r);
	}
	return page;
}

/*
 * Decommission the context and give its page back (or leak it).  false if the firmware
 * refused: its guest lives on there, with the context page and the ASID.
 */
static bool snp_context_destroy(struct kvm *kvm)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_snp_decommission data;
	bool gone = true;
	int error;

	if (!sev->snp_context)
		return true;
	data.gctx_paddr = sev_context_paddr(sev);
	if (sev_do_cmd(SEV_CMD_SNP_DECOMMISSION, &data, &error)) {
		pr_err("SNP_DECOMMISSION failed: firmware status %#x\n", error);
		snp_leak_page(kvm, page_to_pfn(sev->snp_context));
		gone = false;
	} else if (!snp_page_reclaim(kvm, page_to_pfn(sev->snp_context))) {
		__free_page(sev->snp_context);
	}
	sev->snp_context = NULL;
	return gone;
}

static int snp_check_launch_start(const struct kvm_sev_snp_launch_start *p)
{
	if (p->flags || memchr_inv(p->pad0, 0, sizeof(p->pad0)) ||
	    memchr_inv(p->pad1, 0, sizeof(p->pad1)))
		return -EINVAL;
	if (p->policy & ~KVM_SNP_POLICY_VALID)
		return -EINVAL;
	if (!(p->policy & SNP_POLICY_RSVD_MBO) || !(p->policy & SNP_POLICY_SMT))
		return -EINVAL;
	if (p->policy & SNP_POLICY_SINGLE_SOCKET)
		return -EINVAL;
	return 0;
}

static int snp_launch_start(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_snp_launch_start start = {};
	struct sev_data_snp_activate activate = {};
	struct kvm_sev_snp_launch_start params;
	int r;

	lockdep_assert_held(&kvm->lock);
	if (sev->snp_context || sev->snp_finished)
		return -EINVAL;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data), sizeof(params)))
		return -EFAULT;
	r = snp_check_launch_start(&params);
	if (r)
		return r;

	sev->snp_context = snp_context_create(kvm, argp);
	if (IS_ERR(sev->snp_context)) {
		r = PTR_ERR(sev->snp_context);
		sev->snp_context = NULL;
		return r;
	}

	start.gctx_paddr = sev_context_paddr(sev);
	start.policy = params.policy;
	memcpy(start.gosvw, params.gosvw, sizeof(start.gosvw));
	r = sev_issue_cmd(kvm, argp->sev_fd, SEV_CMD_SNP_LAUNCH_START, &start,
			  (int *)&argp->error);
	if (r)
		goto err_context;

	activate.gctx_paddr = start.gctx_paddr;
	activate.asid = sev->asid;
	r = sev_issue_cmd(kvm, argp->sev_fd, SEV_CMD_SNP_ACTIVATE, &activate,
			  (int *)&argp->error);
	if (r)
		goto err_context;

	sev->policy = params.policy;
	sev->fd = argp->sev_fd;
	return 0;

err_context:
	snp_context_destroy(kvm);
	return r;
}

/* KVM_SEV_SNP_LAUNCH_UPDATE */

struct snp_update {
	struct kvm_sev_snp_launch_update params;
	struct kvm_memory_slot *slot;
	void __user *src;		/* this page's source; NULL for ZERO pages */
	int fw_error;
};

static bool snp_update_type_valid(u8 type)
{
	return type == KVM_SEV_SNP_PAGE_TYPE_NORMAL || type == KVM_SEV_SNP_PAGE_TYPE_ZERO ||
	       type == KVM_SEV_SNP_PAGE_TYPE_UNMEASURED ||
	       type == KVM_SEV_SNP_PAGE_TYPE_SECRETS || type == KVM_SEV_SNP_PAGE_TYPE_CPUID;
}

static int snp_check_launch_update(const struct kvm_sev_snp_launch_update *p)
{
	u64 end;

	if (p->flags || p->pad0 || p->pad1 || memchr_inv(p->pad2, 0, sizeof(p->pad2)))
		return -EINVAL;
	if (!snp_update_type_valid(p->type))
		return -EINVAL;
	if (!p->len || !PAGE_ALIGNED(p->len) || !PAGE_ALIGNED(p->uaddr))
		return -EINVAL;
	if (check_add_overflow(p->gfn_start, p->len >> PAGE_SHIFT, &end) ||
	    (p->type != KVM_SEV_SNP_PAGE_TYPE_ZERO && check_add_overflow(p->uaddr, p->len, &end)))
		return -EINVAL;
	return 0;
}

/*
 * The firmware refused a CPUID page and corrected it in place: give the VMM the corrected
 * table (upstream does the same), so it can see what the platform supports.
 */
static void snp_return_cpuid(unsigned long pfn, void __user *src)
{
	if (copy_to_user(src, page_address(pfn_to_page(pfn)), PAGE_SIZE))
		pr_debug("cannot write the corrected CPUID page back\n");
}

/*
 * One 4 KiB page, under the guest_memfd lock (kvm_gmem_populate): copy the source, make it
 * private and immutable, let the firmware measure it.  A new page is not zeroed twice: the
 * source or the firmware's ZERO fills all of it.  On failure undo exactly what this step
 * changed: a page made private goes back to shared through the firmware (or is leaked),
 * nothing else is touched.
 */
static int snp_launch_update_page(struct kvm *kvm, gfn_t gfn, unsigned long pfn, bool fresh,
				  void *opaque)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_snp_launch_update fw = {};
	struct snp_update *u = opaque;
	void __user *src = u->src;
	u64 old;
	int r;

	lockdep_assert_held(&kvm->slots_lock);
	/* Launched already (or otherwise assigned): never reassign, never overwrite. */
	if (snp_page_assigned(pfn))
		return -EEXIST;
	/* The source goes into the (still shared) page as a host write: RMP-checked. */
	if (src) {
		r = snp_host_copy_from_user_to_pfn(pfn, src);
		if (r)
			goto err_clear;
	}
	r = snp_make_private(kvm, pfn, (u64)gfn << PAGE_SHIFT, sev->asid, true);
	if (r)
		goto err_clear;

	fw.gctx_paddr = sev_context_paddr(sev);
	fw.page_type = u->params.type;
	fw.address = (u64)pfn << PAGE_SHIFT;
	/* The caller holds the PSP file for the whole call (upstream re-checks per command). */
	old = snp_rmp_lo(pfn);
	r = sev_do_cmd(SEV_CMD_SNP_LAUNCH_UPDATE, &fw, &u->fw_error);
	if (!r) {
		sev_trace_fw(kvm, KVM_COCO_RMP_FW_LAUNCH, pfn, old);
		return 0;
	}

	if (snp_page_reclaim(kvm, pfn))
		return r;			/* leaked: nobody will see it again */
	if (src && u->params.type == KVM_SEV_SNP_PAGE_TYPE_CPUID &&
	    u->fw_error == SEV_RET_INVALID_PARAM)
		snp_return_cpuid(pfn, src);
err_clear:
	/* A page this step allocated must not keep what it was before: zero it. */
	if (fresh && !snp_page_assigned(pfn))
		clear_page(page_address(pfn_to_page(pfn)));
	return r;
}

static int snp_launch_update(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct snp_update u = {};
	unsigned long i = 0, npages;
	struct file *psp;
	gfn_t gfn;
	u8 __user *src;
	int r;

	lockdep_assert_held(&kvm->lock);
	if (!sev->snp_context || sev->snp_finished)
		return -EINVAL;
	if (copy_from_user(&u.params, u64_to_user_ptr(argp->data), sizeof(u.params)))
		return -EFAULT;
	r = snp_check_launch_update(&u.params);
	if (r)
		return r;
	psp = sev_get_psp_file(sev->fd);
	if (IS_ERR(psp))
		return PTR_ERR(psp);

	mutex_lock(&kvm->slots_lock);
	u.slot = kvm_gfn_to_memslot(kvm, 0, u.params.gfn_start);
	if (!u.slot || !(u.slot->flags & KVM_MEM_GUEST_MEMFD) || !u.slot->gmem.file) {
		r = -EINVAL;
		goto out_unlock;
	}
	/* As upstream: work to the end of this slot; the VMM calls again for the rest. */
	npages = min_t(u64, u.params.len >> PAGE_SHIFT,
		       u.slot->base_gfn + u.slot->npages - u.params.gfn_start);
	src = u.params.type == KVM_SEV_SNP_PAGE_TYPE_ZERO ? NULL : u64_to_user_ptr(u.params.uaddr);
	for (i = 0; i < npages; i++) {
		if (fatal_signal_pending(current)) {
			r = -EINTR;
			break;
		}
		gfn = u.params.gfn_start + i;
		u.src = src ? src + i * PAGE_SIZE : NULL;
		r = kvm_mem_is_private(kvm, gfn) ?
		    kvm_gmem_populate(kvm, u.slot, gfn, snp_launch_update_page, &u) : -EINVAL;
		if (r)
			break;
		cond_resched();
	}
	mutex_unlock(&kvm->slots_lock);
	fput(psp);

	argp->error = u.fw_error;
	/* Nothing done: the error.  Some pages done: report the progress, as upstream. */
	if (r && !i)
		return r;
	u.params.gfn_start += i;
	u.params.len -= i << PAGE_SHIFT;
	if (src)
		u.params.uaddr += i << PAGE_SHIFT;
	if (copy_to_user(u64_to_user_ptr(argp->data), &u.params, sizeof(u.params)))
		return -EFAULT;
	return 0;

out_unlock:
	mutex_unlock(&kvm->slots_lock);
	fput(psp);
	return r;
}

/* KVM_SEV_SNP_LAUNCH_FINISH */

/* Build each vCPU's VMSA from its state, make it private and have the firmware measure it. */
/* One vCPU's VMSA, filled from its state, made private and measured (vcpu->mutex held). */
static int snp_launch_update_one_vmsa(struct kvm *kvm, struct kvm_vcpu *vcpu,
				      struct sev_es_save_area *save, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_snp_launch_update fw = {};
	unsigned long pfn;
	u64 old;
	int r;

	lockdep_assert_held(&vcpu->mutex);
	/* Measured by an earlier FINISH that the firmware then refused: done. */
	if (vcpu->arch.guest_state_protected)
		return 0;
	pfn = page_to_pfn(vcpu->arch.vmsa);
	sev_es_fill_vmsa(save, &vcpu->arch, sev->vmsa_features);
	r = snp_host_copy_to_pfn(pfn, 0, save, sizeof(*save));
	if (r)
		return r;
	r = snp_make_private(kvm, pfn, SNP_VMSA_GPA, sev->asid, true);
	if (r)
		return r;
	fw.gctx_paddr = sev_context_paddr(sev);
	fw.page_type = SNP_PAGE_TYPE_VMSA;
	fw.address = (u64)pfn << PAGE_SHIFT;
	old = snp_rmp_lo(pfn);
	r = sev_issue_cmd(kvm, sev->fd, SEV_CMD_SNP_LAUNCH_UPDATE, &fw, (int *)&argp->error);
	if (r) {
		snp_page_reclaim(kvm, pfn);
		return r;
	}
	sev_trace_fw(kvm, KVM_COCO_RMP_FW_LAUNCH, pfn, old);
	vcpu->arch.guest_state_protected = true;
	return 0;
}

static int snp_launch_update_vmsa(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_es_save_area *save;
	struct kvm_vcpu *vcpu;
	unsigned long i;
	int r = 0;

	lockdep_assert_held(&kvm->lock);
	save = kmalloc(sizeof(*save), GFP_KERNEL);
	if (!save)
		return -ENOMEM;
	kvm_for_each_vcpu(i, vcpu, kvm) {
		/* Its state stays still while it is measured (KVM_SET_REGS takes the mutex). */
		mutex_lock(&vcpu->mutex);
		r = snp_launch_update_one_vmsa(kvm, vcpu, save, argp);
		mutex_unlock(&vcpu->mutex);
		if (r)
			break;
	}
	kfree(save);
	return r;
}

static int snp_check_launch_finish(const struct kvm_sev_snp_launch_finish *p)
{
	if (p->flags || memchr_inv(p->pad0, 0, sizeof(p->pad0)) ||
	    memchr_inv(p->pad1, 0, sizeof(p->pad1)))
		return -EINVAL;
	if (p->id_block_en > 1 || p->auth_key_en > 1 || p->vcek_disabled > 1)
		return -EINVAL;
	/* An author key signs an ID block: one without the other means nothing. */
	if (p->auth_key_en && !p->id_block_en)
		return -EINVAL;
	/* An ID block comes with its authentication (the keys, their signatures), as upstream. */
	if (p->id_block_en && (!p->id_block_uaddr || !p->id_auth_uaddr))
		return -EINVAL;
	return 0;
}

/* Copy the ID block and ID auth into pages the firmware can read: the block, then the auth. */
static struct page *snp_copy_id(const struct kvm_sev_snp_launch_finish *p,
				struct sev_data_snp_launch_finish *fw, unsigned int *order)
{
	struct page *page = sev_fw_alloc(2 * PAGE_SIZE, order);
	u8 *buf;

	if (!page)
		return ERR_PTR(-ENOMEM);
	buf = page_address(page);
	if (copy_from_user(buf, u64_to_user_ptr(p->id_block_uaddr), KVM_SEV_SNP_ID_BLOCK_SIZE) ||
	    copy_from_user(buf + PAGE_SIZE, u64_to_user_ptr(p->id_auth_uaddr),
			   KVM_SEV_SNP_ID_AUTH_SIZE)) {
		__free_pages(page, *order);
		return ERR_PTR(-EFAULT);
	}
	fw->id_block_en = 1;
	fw->id_block_paddr = (u64)page_to_pfn(page) << PAGE_SHIFT;
	fw->id_auth_paddr = fw->id_block_paddr + PAGE_SIZE;
	/* The model checks the ID block, not the signatures; it reports the keys' digests. */
	fw->auth_key_en = p->auth_key_en;
	return page;
}

static int snp_launch_finish(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_data_snp_launch_finish fw = {};
	struct kvm_sev_snp_launch_finish params;
	struct page *id = NULL;
	unsigned int order = 0;
	int r;

	lockdep_assert_held(&kvm->lock);
	if (!sev->snp_context || sev->snp_finished)
		return -EINVAL;
	if (copy_from_user(&params, u64_to_user_ptr(argp->data), sizeof(params)))
		return -EFAULT;
	r = snp_check_launch_finish(&params);
	if (r)
		return r;
	if (params.id_block_en) {
		id = snp_copy_id(&params, &fw, &order);
		if (IS_ERR(id))
			return PTR_ERR(id);
	}

	r = snp_launch_update_vmsa(kvm, argp);
	if (r)
		goto out;

	fw.gctx_paddr = sev_context_paddr(sev);
	fw.vcek_disabled = params.vcek_disabled;
	memcpy(fw.host_data, params.host_data, sizeof(fw.host_data));
	r = sev_issue_cmd(kvm, sev->fd, SEV_CMD_SNP_LAUNCH_FINISH, &fw, (int *)&argp->error);
	if (!r)
		sev->snp_finished = true;
out:
	if (id)
		__free_pages(id, order);
	return r;
}

/*
 * KVM_SEV_SNP_ENABLE_REQ_CERTS (7.0): report requests' certificate pages go to the VMM
 * (KVM_EXIT_SNP_REQ_CERTS).  Only before the first vCPU, so no request is in flight while
 * the answer's source changes.
 */
static int snp_enable_req_certs(struct kvm *kvm)
{
	if (kvm->created_vcpus)
		return -EINVAL;
	kvm->arch.sev_info.snp_certs_enabled = true;
	return 0;
}

int sev_mem_enc_ioctl(struct kvm *kvm, void __user *argp)
{
	struct kvm_sev_cmd cmd;
	int r;

	if (copy_from_user(&cmd, argp, sizeof(cmd)))
		return -EFAULT;
	if (cmd.pad0)
		return -EINVAL;

	mutex_lock(&kvm->lock);
	r = -ENOTTY;
	if (!sev_guest(kvm) && cmd.id != KVM_SEV_INIT2 && cmd.id != KVM_SEV_INIT &&
	    cmd.id != KVM_SEV_ES_INIT)
		goto out;
	/* A mirror (KVM_CAP_VM_COPY_ENC_CONTEXT_FROM) has vCPUs of its own, nothing else. */
	r = -EINVAL;
	if (sev_is_mirror(kvm) && cmd.id != KVM_SEV_LAUNCH_UPDATE_VMSA &&
	    cmd.id != KVM_SEV_GUEST_STATUS && cmd.id != KVM_SEV_DBG_DECRYPT &&
	    cmd.id != KVM_SEV_DBG_ENCRYPT)
		goto out;
	/* Once INIT2 made this an SNP VM, only SNP commands make sense. */
	r = -EPERM;
	if (sev_snp_guest(kvm) && cmd.id < KVM_SEV_SNP_LAUNCH_START)
		goto out;

	cmd.error = 0;
	switch (cmd.id) {
	case KVM_SEV_INIT2:
		r = sev_guest_init2(kvm, &cmd);
		break;
	case KVM_SEV_INIT:
	case KVM_SEV_ES_INIT:
		r = sev_guest_init(kvm, &cmd);
		break;
	case KVM_SEV_LAUNCH_START:
		r = sev_launch_start(kvm, &cmd);
		break;
	case KVM_SEV_LAUNCH_UPDATE_DATA:
		r = sev_launch_update_data(kvm, &cmd);
		break;
	case KVM_SEV_LAUNCH_UPDATE_VMSA:
		r = sev_launch_update_vmsa(kvm, &cmd);
		break;
	case KVM_SEV_LAUNCH_MEASURE:
		r = sev_launch_measure(kvm, &cmd);
		break;
	case KVM_SEV_LAUNCH_SECRET:
		r = sev_launch_secret(kvm, &cmd);
		break;
	case KVM_SEV_LAUNCH_FINISH:
		r = sev_launch_finish(kvm, &cmd);
		break;
	case KVM_SEV_GUEST_STATUS:
		r = sev_guest_status(kvm, &cmd);
		break;
	case KVM_SEV_SNP_LAUNCH_START:
		r = sev_snp_guest(kvm) ? snp_launch_start(kvm, &cmd) : -ENOTTY;
		break;
	case KVM_SEV_SNP_LAUNCH_UPDATE:
		r = sev_snp_guest(kvm) ? snp_launch_update(kvm, &cmd) : -ENOTTY;
		break;
	case KVM_SEV_SNP_LAUNCH_FINISH:
		r = sev_snp_guest(kvm) ? snp_launch_finish(kvm, &cmd) : -ENOTTY;
		break;
	case KVM_SEV_SNP_ENABLE_REQ_CERTS:
		r = sev_snp_guest(kvm) ? snp_enable_req_certs(kvm) : -ENOTTY;
		break;
	default:
		r = -EINVAL;
		break;
	}
	if (copy_to_user(argp, &cmd, sizeof(cmd)))
		r = -EFAULT;
out:
	mutex_unlock(&kvm->lock);
	return r;
}

int sev_snp_get_launch_digest(struct kvm *kvm, void __user *argp)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct kvm_coco_snp_launch_digest d;
	int r = -EINVAL;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	if (d.flags || memchr_inv(d.reserved, 0, sizeof(d.reserved)))
		return -EINVAL;
	mutex_lock(&kvm->lock);
	if (sev_snp_guest(kvm) && sev->snp_finished &&
	    !snp_fw_launch_digest(sev_context_paddr(sev), d.digest))
		r = 0;
	mutex_unlock(&kvm->lock);
	if (!r && copy_to_user(argp, &d, sizeof(d)))
		r = -EFAULT;
	return r;
}

/*
 * The system fd's KVM_X86_GRP_SEV: the VMSA features KVM_SEV_INIT2 takes (SEV-ES, SNP), and
 * whether KVM_EXIT_SNP_REQ_CERTS exists.
 */
int sev_dev_get_attr(u32 group, u64 attr, u64 *val)
{
	if (group != KVM_X86_GRP_SEV)
		return -ENXIO;
	switch (attr) {
	case KVM_X86_SEV_VMSA_FEATURES:
		*val = SVM_SEV_FEAT_DEBUG_SWAP;
		return 0;
	case KVM_X86_SEV_SNP_REQ_CERTS:
		*val = 1;
		return 0;
	}
	return -ENXIO;
}

/* vCPUs of SEV-ES and SNP guests carry a VMSA page. */
int sev_vcpu_create(struct kvm_vcpu *vcpu)
{
	if (!vcpu->kvm->arch.sev_info.es_active)
		return 0;
	vcpu->arch.vmsa = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	return vcpu->arch.vmsa ? 0 : -ENOMEM;
}

void sev_free_vcpu(struct kvm_vcpu *vcpu)
{
	unsigned long pfn;

	sev_free_psc(vcpu);
	if (!vcpu->arch.vmsa)
		return;
	pfn = page_to_pfn(vcpu->arch.vmsa);
	/* Leaked when its launch failed: already counted, never freed. */
	if (snp_page_leaked(pfn))
		return;
	/* A measured VMSA is the guest's: make it shared before the host may reuse it. */
	if (snp_page_assigned(pfn) && snp_make_shared(vcpu->kvm, pfn)) {
		snp_leak_page(vcpu->kvm, pfn);
		return;
	}
	__free_page(vcpu->arch.vmsa);
	vcpu->arch.vmsa = NULL;
}

void sev_vm_destroy(struct kvm *kvm)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;

	sev_free_regions(kvm);
	/* A mirror's context is its owner's: it only lets go of the owner. */
	if (!sev->active || sev_mirror_destroy(kvm))
		return;
	/* An ASID the firmware still runs a guest with is never handed out again. */
	if (sev_launch_destroy(kvm) && snp_context_destroy(kvm))
		sev_asid_free(sev->asid);
	else
		pr_warn("ASID %u leaked: the firmware kept its guest\n", sev->asid);
	sev_trace_free(kvm);
	if (sev->nr_leaked)
		pr_warn("VM with ASID %u leaked %lu pages\n", sev->asid, sev->nr_leaked);
	sev->active = false;
}

/*
 * A guest_memfd page is being freed (punched, or its file released): an SNP page goes back
 * to shared first.  Returns non-zero if the page must be leaked instead of freed.
 */
/*
 * A private fault on a page the guest does not have yet: assign it to the guest, mutable,
 * not validated (the guest PVALIDATEs it).  A page already assigned came from the launch or
 * an earlier fault, so its entry names this guest; a different gpa means userspace moved the
 * memslot over the same guest_memfd pages: refuse (upstream maps the page anyway), and quietly,
 * since userspace, not a kernel bug, got here.
 */
int sev_gmem_prepare(struct kvm *kvm, gfn_t gfn, unsigned long pfn)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	u64 gpa = (u64)gfn << PAGE_SHIFT, e;

	lockdep_assert_held(&kvm->slots_lock);
	if (!sev_snp_guest(kvm))
		return 0;
	e = snp_rmp_lo(pfn);
	if (!(e & RMPENTRY_ASSIGNED))
		return snp_make_private(kvm, pfn, gpa, sev->asid, false);
	if ((e & RMPENTRY_GPA_MASK) != gpa ||
	    (e & RMPENTRY_ASID_MASK) >> RMPENTRY_ASID_SHIFT != sev->asid) {
		pr_debug("SNP: pfn %#lx is assigned at gpa %#llx, not %#llx\n", pfn,
			 e & RMPENTRY_GPA_MASK, gpa);
		return -EEXIST;
	}
	return 0;
}

int sev_gmem_invalidate(struct kvm *kvm, unsigned long pfn)
{
	lockdep_assert_held(&kvm->slots_lock);
	if (!sev_snp_guest(kvm) || !snp_page_assigned(pfn))
		return 0;
	if (!snp_make_shared(kvm, pfn))
		return 0;
	/* Immutable (the firmware still holds it): only the firmware can give it back. */
	return snp_page_reclaim(kvm, pfn);
}
