// SPDX-License-Identifier: GPL-2.0-only
/*
 * TDX VMs: KVM_MEMORY_ENCRYPT_OP's KVM_TDX_INIT_VM, INIT_VCPU, INIT_MEM_REGION and
 * FINALIZE_VM over the TDX module (arch/x86/virt/vmx/tdx/), which KVM reaches only through
 * its SEAMCALLs, and the teardown that takes every page back from the module.
 *
 *   KVM_CREATE_VM(TDX) -> INIT_VM (TDR, TDCS, HKID: MNG.CREATE, ADDCX, INIT) -> vCPUs,
 *   INIT_VCPU (VP.CREATE, VP.INIT) -> INIT_MEM_REGION (PAGE.ADD, 16 MR.EXTEND if measured)
 *   -> FINALIZE_VM (MR.FINALIZE) -> KVM_COCO_TDX_GET_MRTD.
 *
 * Locking, in upstream's order (kvm->lock -> vcpu->mutex -> kvm->slots_lock): VM commands run
 * under kvm->lock; vCPU commands, whose caller holds vcpu->mutex, under kvm->slots_lock (it
 * also guards the memslots and attributes INIT_MEM_REGION reads), which FINALIZE_VM takes
 * too to move the TD on.  The pages the TD holds (tdx->private) change under slots_lock.
 *
 * Where this differs from upstream (6.16): INIT_MEM_REGION copies each source page into a
 * bounce page the module adds from (user memory has no physical address the model can
 * read).  The TD's CPUID (CAPABILITIES' configurable leaves, INIT_VM's entries, GET_CPUID) is
 * tdx_cpuid.c's, over the module model's small CPUID (arch/x86/virt/vmx/tdx/tdx_cpuid.c).
 */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <linux/kvm_host.h>
#include <asm/processor-flags.h>
#include <asm/tdx.h>

#include "../mmu.h"
#include "tdx.h"

/* TD attributes KVM accepts: DEBUG, SEPT_VE_DISABLE. */
#define TDX_ATTR_SUPPORTED	(BIT_ULL(0) | TDX_ATTR_SEPT_VE_DISABLE)
/* XFAM: x87 and SSE always; AVX, AVX-512, PKRU and AMX may be added. */
#define TDX_XFAM_FIXED1		0x3ULL
#define TDX_XFAM_SUPPORTED	0x602e7ULL

static DEFINE_MUTEX(tdx_hkid_lock);
static unsigned long tdx_hkid_used;		/* bit n: HKID TDX_MIN_HKID + n */

static int tdx_hkid_new(void)
{
	int r = -EBUSY, i;

	mutex_lock(&tdx_hkid_lock);
	for (i = 0; i <= TDX_MAX_HKID - TDX_MIN_HKID; i++) {
		if (!(tdx_hkid_used & BIT(i))) {
			tdx_hkid_used |= BIT(i);
			r = TDX_MIN_HKID + i;
			break;
		}
	}
	mutex_unlock(&tdx_hkid_lock);
	return r;
}

static void tdx_hkid_free(u16 hkid)
{
	mutex_lock(&tdx_hkid_lock);
	tdx_hkid_used &= ~BIT(hkid - TDX_MIN_HKID);
	mutex_unlock(&tdx_hkid_lock);
}

static u64 page_pa(struct page *page)
{
	return (u64)page_to_pfn(page) << PAGE_SHIFT;
}

/*
 * A SEAMCALL's failure: its status for the VMM in hw_error; EBUSY when the module was busy
 * (worth retrying, as upstream answers), EIO otherwise.
 */
static int tdx_seamcall_err(struct kvm_tdx_cmd *cmd, u64 status)
{
	cmd->hw_error = status;
	if (!status)
		return 0;
	return (status & TDX_SEAMCALL_STATUS_MASK) == TDX_OPERAND_BUSY ? -EBUSY : -EIO;
}

static atomic_long_t tdx_nr_leaked;	/* every TD's, since the start */

/* A page the module would not give back stays out of every allocator, counted. */
static void tdx_leak(struct kvm *kvm, unsigned long pfn)
{
	pr_warn("TDX: leaking pfn %#lx: the module did not give it back\n", pfn);
	kvm->arch.tdx_info.nr_leaked++;
	atomic_long_inc(&tdx_nr_leaked);
}

unsigned long tdx_leaked_pages(void)
{
	return atomic_long_read(&tdx_nr_leaked);
}

/* Take a page back from the module and free it, or leak it. */
static void tdx_reclaim_page(struct kvm *kvm, struct page *page)
{
	if (tdh_phymem_page_reclaim(page_pa(page))) {
		tdx_leak(kvm, page_to_pfn(page));
		return;
	}
	__free_page(page);
}

/* Free the TD's key, once: from then on its pages can only be reclaimed. */
static void tdx_free_key(struct kvm *kvm)
{
	struct kvm_tdx_info *tdx = &kvm->arch.tdx_info;

	u64 err;

	if (!tdx->tdr || tdx->key_freed)
		return;
	/*
	 * Refused: the key stays the TD's, so its pages cannot be reclaimed (they leak) and
	 * the HKID is never handed out again.
	 */
	err = tdh_mng_key_freeid(page_pa(tdx->tdr));
	if (err) {
		pr_err("TDX: TDH.MNG.KEY.FREEID failed (%#llx): HKID %u leaked\n", err, tdx->hkid);
		return;
	}
	tdx->key_freed = true;
	tdx_hkid_free(tdx->hkid);
}

/* The guest's physical address width, from its CPUID 0x80000008 (48 if it says nothing). */
static unsigned int tdx_gpaw(const struct kvm_cpuid_entry2 *e, u32 nent)
{
	u32 i;

	for (i = 0; i < nent; i++)
		if (e[i].function == 0x80000008 && !e[i].index)
			return (e[i].eax & 0xff) > 48 ? 52 : 48;
	return 48;
}

static int tdx_check_init_vm(const struct kvm_tdx_init_vm *p)
{
	if (memchr_inv(p->reserved, 0, sizeof(p->reserved)) || p->cpuid.padding)
		return -EINVAL;
	if (p->cpuid.nent > KVM_MAX_CPUID_ENTRIES)
		return -E2BIG;
	if (p->attributes & ~TDX_ATTR_SUPPORTED)
		return -EINVAL;
	if ((p->xfam & TDX_XFAM_FIXED1) != TDX_XFAM_FIXED1 || (p->xfam & ~TDX_XFAM_SUPPORTED))
		return -EINVAL;
	return 0;
}

/* The TD's control pages and key: MNG.CREATE, ADDCX for each TDCS page, MNG.INIT. */
static int tdx_td_create(struct kvm *kvm, struct kvm_tdx_cmd *cmd,
			 const struct tdx_td_params *params)
{
	struct kvm_tdx_info *tdx = &kvm->arch.tdx_info;
	unsigned int i;
	int r, hkid;
	u64 err;

	hkid = tdx_hkid_new();
	if (hkid < 0)
		return hkid;
	tdx->hkid = hkid;
	tdx->tdr = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!tdx->tdr)
		goto err_hkid;
	err = tdh_mng_create(page_pa(tdx->tdr), hkid);
	if (err) {
		__free_page(tdx->tdr);
		tdx->tdr = NULL;
		r = tdx_seamcall_err(cmd, err);
		goto err_hkid_r;
	}
	for (i = 0; i < KVM_TDX_TDCS_PAGES; i++) {
		r = -ENOMEM;
		tdx->tdcs[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!tdx->tdcs[i])
			goto err_td;
		err = tdh_mng_addcx(page_pa(tdx->tdr), page_pa(tdx->tdcs[i]));
		if (err) {
			__free_page(tdx->tdcs[i]);
			tdx->tdcs[i] = NULL;
			r = tdx_seamcall_err(cmd, err);
			goto err_td;
		}
	}
	err = tdh_mng_init(page_pa(tdx->tdr), params);
	if (err) {
		r = tdx_seamcall_err(cmd, err);
		goto err_td;
	}
	return 0;

err_td:
	/* The TD holds its TDR and TDCS pages: the full teardown gives them back. */
	tdx_td_free(kvm);
	return r;
err_hkid:
	r = -ENOMEM;
err_hkid_r:
	tdx_hkid_free(hkid);
	return r;
}

static int tdx_init_vm(struct kvm *kvm, struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx_info *tdx = &kvm->arch.tdx_info;
	struct kvm_cpuid_entry2 *entries = NULL;
	struct tdx_td_params params;
	struct kvm_tdx_init_vm p;
	void __user *argp = u64_to_user_ptr(cmd->data);
	int r;

	lockdep_assert_held(&kvm->lock);
	if (cmd->flags)
		return -EINVAL;
	/* Before any vCPU: TD_PARAMS fix what the module virtualises for every one of them. */
	if (tdx->state != TD_STATE_UNINITIALIZED || kvm->created_vcpus)
		return -EINVAL;
	if (copy_from_user(&p, argp, sizeof(p)))
		return -EFAULT;
	r = tdx_check_init_vm(&p);
	if (r)
		return r;
	if (p.cpuid.nent) {
		entries = kcalloc(p.cpuid.nent, sizeof(*entries), GFP_KERNEL);
		if (!entries)
			return -ENOMEM;
		if (copy_from_user(entries, argp + sizeof(p), p.cpuid.nent * sizeof(*entries))) {
			kfree(entries);
			return -EFAULT;
		}
	}
	tdx->gpaw = tdx_gpaw(entries, p.cpuid.nent);
	r = tdx_cpuid_to_params(entries, p.cpuid.nent, &params);
	kfree(entries);
	if (r)
		return r;

	params.gpaw = tdx->gpaw;
	params.attributes = p.attributes;
	params.xfam = p.xfam;
	memcpy(params.mrconfigid, p.mrconfigid, sizeof(params.mrconfigid));
	memcpy(params.mrowner, p.mrowner, sizeof(params.mrowner));
	memcpy(params.mrownerconfig, p.mrownerconfig, sizeof(params.mrownerconfig));
	r = tdx_td_create(kvm, cmd, &params);
	if (r)
		return r;
	tdx->state = TD_STATE_INITIALIZED;
	kvm->arch.hw.shared_mask = kvm_tdx_shared_bit(kvm);
	kvm->arch.hw.td_attributes = p.attributes;
	kvm->arch.hw.tdr_pa = page_pa(tdx->tdr);
	return 0;
}

/*
 * What INIT_VM accepts.  In: cpuid.nent, the room for entries (E2BIG, as upstream, if it is
 * less than the module's CPUID_CONFIG); out: the configurable leaves, each with the bits the
 * VMM may set.
 */
static int tdx_get_capabilities(struct kvm_tdx_cmd *cmd)
{
	void __user *argp = u64_to_user_ptr(cmd->data);
	void __user *cpuid = argp + offsetof(struct kvm_tdx_capabilities, cpuid);
	struct kvm_cpuid_entry2 e[TDX_NR_CPUID_CONFIG];
	struct kvm_tdx_capabilities *caps;
	int r = 0;

	if (cmd->flags)
		return -EINVAL;
	caps = kzalloc(sizeof(*caps), GFP_KERNEL);
	if (!caps)
		return -ENOMEM;
	if (copy_from_user(&caps->cpuid, cpuid, sizeof(caps->cpuid))) {
		r = -EFAULT;
		goto out;
	}
	r = -E2BIG;
	if (caps->cpuid.nent < TDX_NR_CPUID_CONFIG)
		goto out;
	caps->supported_attrs = TDX_ATTR_SUPPORTED;
	caps->supported_xfam = TDX_XFAM_SUPPORTED;
	caps->cpuid.nent = TDX_NR_CPUID_CONFIG;
	caps->cpuid.padding = 0;
	tdx_cpuid_configs_to(e);
	r = 0;
	if (copy_to_user(argp, caps, sizeof(*caps)) ||
	    copy_to_user(argp + sizeof(*caps), e, sizeof(e)))
		r = -EFAULT;
out:
	kfree(caps);
	return r;
}

static int tdx_finalize_vm(struct kvm *kvm, struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx_info *tdx = &kvm->arch.tdx_info;
	int r;

	lockdep_assert_held(&kvm->lock);
	if (cmd->flags || cmd->data)
		return -EINVAL;
	if (tdx->state != TD_STATE_INITIALIZED)
		return -EINVAL;
	/* Serialised with the vCPU commands, which build the TD under slots_lock. */
	mutex_lock(&kvm->slots_lock);
	r = tdx_seamcall_err(cmd, tdh_mr_finalize(page_pa(tdx->tdr)));
	if (!r)
		tdx->state = TD_STATE_RUNNABLE;
	mutex_unlock(&kvm->slots_lock);
	return r;
}

static int tdx_get_cmd(void __user *argp, struct kvm_tdx_cmd *cmd)
{
	if (copy_from_user(cmd, argp, sizeof(*cmd)))
		return -EFAULT;
	/* hw_error is an output only. */
	return cmd->hw_error ? -EINVAL : 0;
}

/*
 * The state TDH.VP.INIT gives a TD's vCPU, which KVM mirrors: the reset vector in 32-bit
 * protected mode with paging off and flat segments (the guest's own code enters long mode);
 * RCX the host's value, RDX the vCPU's id, RBX the GPAW, RSI the vCPU's index.
 */
static void tdx_vcpu_reset(struct kvm_vcpu *vcpu, u64 rcx)
{
	struct kvm_segment code = { .limit = 0xffffffff, .type = 0xb, .present = 1, .s = 1,
				    .db = 1, .g = 1 };
	struct kvm_segment data = code;
	struct kvm_vcpu_arch *a = &vcpu->arch;

	data.type = 3;
	memset(&a->regs, 0, sizeof(a->regs));
	a->regs.rip = 0xfffffff0;
	a->regs.rflags = X86_EFLAGS_FIXED;
	a->regs.rcx = rcx;
	a->regs.rdx = vcpu->vcpu_id;
	a->regs.rbx = vcpu->kvm->arch.tdx_info.gpaw;
	a->regs.rsi = vcpu->vcpu_idx;
	a->sregs.cs = code;
	a->sregs.ds = data;
	a->sregs.es = data;
	a->sregs.fs = data;
	a->sregs.gs = data;
	a->sregs.ss = data;
	a->sregs.cr0 = X86_CR0_PE | X86_CR0_NE;
	a->sregs.cr4 = X86_CR4_MCE;
	a->sregs.efer = 0;
}

static int tdx_init_vcpu(struct kvm_vcpu *vcpu, struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx_info *tdx = &vcpu->kvm->arch.tdx_info;
	struct page *tdvpr;
	u64 err;

	lockdep_assert_held(&vcpu->mutex);
	lockdep_assert_held(&vcpu->kvm->slots_lock);
	if (cmd->flags)
		return -EINVAL;
	if (tdx->state != TD_STATE_INITIALIZED || vcpu->arch.tdvpr)
		return -EINVAL;
	tdvpr = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!tdvpr)
		return -ENOMEM;
	err = tdh_vp_create(page_pa(tdx->tdr), page_pa(tdvpr));
	if (err) {
		__free_page(tdvpr);
		return tdx_seamcall_err(cmd, err);
	}
	/* The TD owns the page now, initialised or not: teardown reclaims it. */
	vcpu->arch.tdvpr = tdvpr;
	/* The initial RCX the guest's vCPU starts with. */
	err = tdh_vp_init(page_pa(tdvpr), cmd->data);
	if (!err)
		tdx_vcpu_reset(vcpu, cmd->data);
	return tdx_seamcall_err(cmd, err);
}

static bool tdx_gpa_is_private(struct kvm *kvm, u64 gpa)
{
	return gpa < kvm_tdx_shared_bit(kvm);
}

/* Only a TD that is built and a vCPU the module knows can enter the guest. */
int tdx_vcpu_pre_run(struct kvm_vcpu *vcpu)
{
	if (vcpu->kvm->arch.tdx_info.state != TD_STATE_RUNNABLE || !vcpu->arch.tdvpr)
		return -EINVAL;
	return 0;
}

/*
 * An EPT violation: the GPA's shared bit says which alias the guest used.  The fault path
 * sees the gfn without it, and PFERR_PRIVATE_ACCESS when it was clear.
 */
int tdx_handle_ept_violation(struct kvm_vcpu *vcpu, u64 gpa, u64 error_code)
{
	u64 shared = kvm_tdx_shared_bit(vcpu->kvm);

	if (gpa & shared)
		return kvm_mmu_page_fault(vcpu, gpa & ~shared, error_code);
	/*
	 * A TD with SEPT_VE_DISABLE touched a page it has not accepted: its mapping is there,
	 * so no fault KVM can fix would help.  Fail KVM_RUN, as upstream does.
	 */
	if ((error_code & PFERR_PRESENT_MASK) &&
	    tdx_sept_pending(vcpu->kvm->arch.hw.tdr_pa, gpa & PAGE_MASK))
		return -EIO;
	return kvm_mmu_page_fault(vcpu, gpa, error_code | PFERR_PRIVATE_ACCESS);
}

/*
 * A private fault after the build: the module maps the gfn's page, zeroed and pending until
 * the guest accepts it (TDH.MEM.PAGE.AUG).  Tracked first, as tdx_add_page() does.
 */
int tdx_gmem_prepare(struct kvm *kvm, gfn_t gfn, unsigned long pfn)
{
	struct kvm_tdx_info *tdx = &kvm->arch.tdx_info;
	u64 err;
	int r;

	lockdep_assert_held(&kvm->slots_lock);
	if (xa_load(&tdx->private, pfn))
		return 0;
	r = xa_err(xa_store(&tdx->private, pfn, xa_mk_value(gfn), GFP_KERNEL));
	if (r)
		return r;
	err = tdh_mem_page_aug(page_pa(tdx->tdr), (u64)gfn << PAGE_SHIFT, (u64)pfn << PAGE_SHIFT);
	if (!err)
		return 0;
	xa_erase(&tdx->private, pfn);
	return (err & TDX_SEAMCALL_STATUS_MASK) == TDX_OPERAND_BUSY ? -EBUSY : -EIO;
}

static int tdx_check_mem_region(struct kvm *kvm, const struct kvm_tdx_init_mem_region *p)
{
	u64 end;

	if (!PAGE_ALIGNED(p->source_addr) || !PAGE_ALIGNED(p->gpa) || !p->nr_pages)
		return -EINVAL;
	if (p->nr_pages > (U64_MAX >> PAGE_SHIFT) ||
	    check_add_overflow(p->gpa, p->nr_pages << PAGE_SHIFT, &end) ||
	    check_add_overflow(p->source_addr, p->nr_pages << PAGE_SHIFT, &end))
		return -EINVAL;
	if (!tdx_gpa_is_private(kvm, p->gpa) ||
	    !tdx_gpa_is_private(kvm, p->gpa + (p->nr_pages << PAGE_SHIFT) - 1))
		return -EINVAL;
	return 0;
}

struct tdx_add {
	struct kvm_tdx_cmd *cmd;
	struct page *bounce;		/* this page's source, copied in */
};

/*
 * PAGE.ADD of the bounce page into @gfn's page, then EXTENDs, under the guest_memfd lock
 * (kvm_gmem_populate).  A new page is not zeroed: PAGE.ADD writes all of it.
 */
static int tdx_add_page(struct kvm *kvm, gfn_t gfn, unsigned long pfn, bool fresh,
			void *opaque)
{
	struct kvm_tdx_info *tdx = &kvm->arch.tdx_info;
	struct tdx_add *a = opaque;
	u64 gpa = (u64)gfn << PAGE_SHIFT;
	enum tdx_pamt_type type;
	unsigned int i;
	u64 owner, err;
	int r;

	lockdep_assert_held(&kvm->slots_lock);
	/* Added already (as upstream's populate: EEXIST), or some other TD's. */
	if (tdx_pamt_read((u64)pfn << PAGE_SHIFT, &type, &owner) || type != PT_NDA)
		return -EEXIST;
	/*
	 * Track the page before the module takes it: freeing it later must find it here, or
	 * guest_memfd would hand the allocator a page the TD still holds.
	 */
	r = xa_err(xa_store(&tdx->private, pfn, xa_mk_value(gfn), GFP_KERNEL));
	if (r)
		goto err_clear;
	/* The S-EPT entry PAGE.ADD makes is a translation: a conversion must find it. */
	r = kvm_mmu_map_private(kvm, gfn, pfn);
	if (r)
		goto err_untrack;
	err = tdh_mem_page_add(page_pa(tdx->tdr), gpa, (u64)pfn << PAGE_SHIFT,
			       page_pa(a->bounce));
	if (err) {
		r = tdx_seamcall_err(a->cmd, err);
		goto err_unmap;
	}
	for (i = 0; (a->cmd->flags & KVM_TDX_MEASURE_MEMORY_REGION) && i < PAGE_SIZE;
	     i += MR_EXTEND_CHUNK) {
		err = tdh_mr_extend(page_pa(tdx->tdr), gpa + i);
		if (err)
			return tdx_seamcall_err(a->cmd, err);
	}
	return 0;

err_unmap:
	kvm_mmu_unmap(kvm, gfn);
err_untrack:
	xa_erase(&tdx->private, pfn);
err_clear:
	/* A page this step allocated must not keep what it was before. */
	if (fresh)
		clear_page(page_address(pfn_to_page(pfn)));
	return r;
}

/* One page of INIT_MEM_REGION: the source into the bounce page, then into the TD. */
static int tdx_add_region_page(struct kvm *kvm, struct kvm_tdx_cmd *cmd, u64 gpa,
			       void __user *src, struct page *bounce)
{
	struct tdx_add a = { .cmd = cmd, .bounce = bounce };
	gfn_t gfn = gpa >> PAGE_SHIFT;
	struct kvm_memory_slot *slot;

	slot = kvm_gfn_to_memslot(kvm, 0, gfn);
	if (!slot || !(slot->flags & KVM_MEM_GUEST_MEMFD) || !kvm_mem_is_private(kvm, gfn))
		return -EINVAL;
	if (copy_from_user(page_address(bounce), src, PAGE_SIZE))
		return -EFAULT;
	return kvm_gmem_populate(kvm, slot, gfn, tdx_add_page, &a);
}

static int tdx_init_mem_region(struct kvm_vcpu *vcpu, struct kvm_tdx_cmd *cmd)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_tdx_init_mem_region p;
	void __user *argp = u64_to_user_ptr(cmd->data);
	struct page *bounce;
	int r;

	if (cmd->flags & ~KVM_TDX_MEASURE_MEMORY_REGION)
		return -EINVAL;
	lockdep_assert_held(&kvm->slots_lock);
	if (kvm->arch.tdx_info.state != TD_STATE_INITIALIZED || !vcpu->arch.tdvpr)
		return -EINVAL;
	if (copy_from_user(&p, argp, sizeof(p)))
		return -EFAULT;
	r = tdx_check_mem_region(kvm, &p);
	if (r)
		return r;
	bounce = alloc_page(GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	while (p.nr_pages) {
		if (fatal_signal_pending(current)) {
			r = -EINTR;
			break;
		}
		r = tdx_add_region_page(kvm, cmd, p.gpa, u64_to_user_ptr(p.source_addr), bounce);
		if (r)
			break;
		p.source_addr += PAGE_SIZE;
		p.gpa += PAGE_SIZE;
		p.nr_pages--;
		cond_resched();
	}
	__free_page(bounce);

	/* As upstream: the progress goes back whatever happened. */
	if (copy_to_user(argp, &p, sizeof(p)))
		r = -EFAULT;
	return r;
}

/* VM commands on the VM descriptor, vCPU commands on a vCPU's: the other way is EINVAL. */
static int tdx_cmd_dispatch(struct kvm *kvm, struct kvm_vcpu *vcpu, struct kvm_tdx_cmd *cmd)
{
	switch (cmd->id) {
	case KVM_TDX_INIT_VM:
		return vcpu ? -EINVAL : tdx_init_vm(kvm, cmd);
	case KVM_TDX_FINALIZE_VM:
		return vcpu ? -EINVAL : tdx_finalize_vm(kvm, cmd);
	case KVM_TDX_CAPABILITIES:
		return vcpu ? -EINVAL : tdx_get_capabilities(cmd);
	case KVM_TDX_INIT_VCPU:
		return vcpu ? tdx_init_vcpu(vcpu, cmd) : -EINVAL;
	case KVM_TDX_INIT_MEM_REGION:
		return vcpu ? tdx_init_mem_region(vcpu, cmd) : -EINVAL;
	case KVM_TDX_GET_CPUID:
		return vcpu ? tdx_get_cpuid(vcpu, cmd) : -EINVAL;
	default:
		return -EINVAL;
	}
}

static int tdx_ioctl(struct kvm *kvm, struct kvm_vcpu *vcpu, void __user *argp)
{
	/* VM commands under kvm->lock; vCPU commands (vcpu->mutex held) under slots_lock. */
	struct mutex *lock = vcpu ? &kvm->slots_lock : &kvm->lock;
	struct kvm_tdx_cmd cmd;
	int r;

	r = tdx_get_cmd(argp, &cmd);
	if (r)
		return r;
	mutex_lock(lock);
	r = tdx_cmd_dispatch(kvm, vcpu, &cmd);
	mutex_unlock(lock);
	if (copy_to_user(argp, &cmd, sizeof(cmd)))
		r = -EFAULT;
	return r;
}

int tdx_vm_ioctl(struct kvm *kvm, void __user *argp)
{
	return tdx_ioctl(kvm, NULL, argp);
}

int tdx_vcpu_ioctl(struct kvm_vcpu *vcpu, void __user *argp)
{
	return tdx_ioctl(vcpu->kvm, vcpu, argp);
}

int tdx_get_mrtd(struct kvm *kvm, void __user *argp)
{
	struct kvm_tdx_info *tdx = &kvm->arch.tdx_info;
	struct kvm_coco_tdx_mrtd m;
	int r = -EINVAL;

	if (copy_from_user(&m, argp, sizeof(m)))
		return -EFAULT;
	if (m.flags || memchr_inv(m.reserved, 0, sizeof(m.reserved)))
		return -EINVAL;
	mutex_lock(&kvm->lock);
	if (tdx->state == TD_STATE_RUNNABLE &&
	    !tdx_td_mrtd(page_pa(tdx->tdr), m.mrtd))
		r = 0;
	mutex_unlock(&kvm->lock);
	if (!r && copy_to_user(argp, &m, sizeof(m)))
		r = -EFAULT;
	return r;
}

void tdx_vm_init(struct kvm *kvm)
{
	xa_init(&kvm->arch.tdx_info.private);
	kvm->arch.hw.tdx = true;
}

/*
 * Take @pfn out of the TD: BLOCK, TRACK (a new TLB epoch), REMOVE.  -EIO if the module
 * refused; the page is then still the TD's and stays tracked.  (tdx->private changes under
 * slots_lock: both callers, a zap and guest_memfd's free, hold it.)
 */
static int tdx_remove_page(struct kvm *kvm, unsigned long pfn)
{
	struct kvm_tdx_info *tdx = &kvm->arch.tdx_info;
	void *entry;
	u64 gpa, tdr;

	lockdep_assert_held(&kvm->slots_lock);
	entry = xa_load(&tdx->private, pfn);
	if (!entry)
		return 0;
	tdr = page_pa(tdx->tdr);
	gpa = xa_to_value(entry) << PAGE_SHIFT;
	if (tdh_mem_range_block(tdr, gpa) || tdh_mem_track(tdr) ||
	    tdh_mem_page_remove(tdr, gpa))
		return -EIO;
	xa_erase(&tdx->private, pfn);
	return 0;
}

/*
 * guest_memfd frees @pfn: out of the TD first (the TD still has its key: guest_memfd holds the
 * VM until its last page is gone), or leaked.
 */
int tdx_gmem_invalidate(struct kvm *kvm, unsigned long pfn)
{
	if (tdx_remove_page(kvm, pfn)) {
		xa_erase(&kvm->arch.tdx_info.private, pfn);
		tdx_leak(kvm, pfn);
		return -EIO;
	}
	return 0;
}

/*
 * A private translation zapped (a conversion, a memslot change): for a TD the S-EPT entry is
 * the translation, so the page leaves the TD, as upstream's zap removes it.  It stays in
 * guest_memfd; a later private fault adds it back with PAGE.AUG, zeroed.  If the module
 * refuses, the page stays tracked and guest_memfd leaks it when it frees it.
 */
void tdx_zap_private(struct kvm *kvm, unsigned long pfn)
{
	if (tdx_remove_page(kvm, pfn))
		pr_warn("TDX: pfn %#lx could not leave the TD\n", pfn);
}

void tdx_vcpu_free(struct kvm_vcpu *vcpu)
{
	if (!vcpu->arch.tdvpr)
		return;
	/* A TDVPR page comes back only once the TD has no key. */
	tdx_free_key(vcpu->kvm);
	tdx_reclaim_page(vcpu->kvm, vcpu->arch.tdvpr);
	vcpu->arch.tdvpr = NULL;
}

/* Every page the TD still holds back to the host, the TDR last; then the key is free. */
void tdx_td_free(struct kvm *kvm)
{
	struct kvm_tdx_info *tdx = &kvm->arch.tdx_info;
	unsigned int i;

	if (!tdx->tdr)
		return;
	tdx_free_key(kvm);
	/* Private pages left with their guest_memfd, which held the VM until then. */
	WARN_ON(!xa_empty(&tdx->private));
	for (i = 0; i < KVM_TDX_TDCS_PAGES; i++) {
		if (tdx->tdcs[i])
			tdx_reclaim_page(kvm, tdx->tdcs[i]);
		tdx->tdcs[i] = NULL;
	}
	tdx_reclaim_page(kvm, tdx->tdr);
	tdx->tdr = NULL;
	if (tdx->nr_leaked)
		pr_warn("TD with HKID %u leaked %lu pages\n", tdx->hkid, tdx->nr_leaked);
	tdx->state = TD_STATE_UNINITIALIZED;
	tdx->key_freed = false;
}
