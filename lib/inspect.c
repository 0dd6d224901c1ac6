// SPDX-License-Identifier: GPL-2.0
/* Library host: read-only views of the platform model for tests (see host_user.h). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <asm/sev.h>
#include <asm/snp_fw.h>
#include <asm/tdx.h>

#include "../arch/x86/kvm/svm/sev.h"
#include "../arch/x86/kvm/vmx/tdx.h"
#include "../host/user/host_user.h"

static bool owner_asid_live(u32 asid, void *data)
{
	return snp_fw_asid_live(asid);
}

static bool owner_fw_page(unsigned long pfn, void *data)
{
	return snp_fw_page_owned(pfn);
}

static bool owner_leak_list(unsigned long pfn, void *data)
{
	return snp_page_leaked(pfn);
}

/* The library host sees the platform model it runs. */
bool host_is_library(void)
{
	return true;
}

/* The PAMT invariants of the TDX module model (asm/tdx.h). */
int host_tdx_pamt_check(char *why, unsigned int len)
{
	why[0] = 0;
	return tdx_pamt_check(why, len);
}

int host_snp_rmp_check(char *why, unsigned int len)
{
	static const struct snp_rmp_owners owners = { owner_asid_live, owner_fw_page,
						      owner_leak_list, NULL };

	why[0] = 0;
	return snp_rmp_check(&owners, why, len);
}

/* The guest_memfd page behind a VM's gfn, if there is one (never allocates). */
static int host_gfn_to_pfn(int vm_fd, unsigned long long gfn, unsigned long *pfn)
{
	struct kvm *kvm = host_file_private(vm_fd);
	struct kvm_memory_slot *slot;
	int r = -ENOENT;

	if (!kvm)
		return -EBADF;
	mutex_lock(&kvm->slots_lock);
	slot = kvm_gfn_to_memslot(kvm, 0, gfn);
	if (slot && (slot->flags & KVM_MEM_GUEST_MEMFD))
		r = kvm_gmem_peek_pfn(kvm, slot, gfn, pfn);
	mutex_unlock(&kvm->slots_lock);
	return r;
}

int host_snp_rmp_of_gfn(int vm_fd, unsigned long long gfn, unsigned long long *rmp_lo)
{
	unsigned char perms;

	return host_snp_rmp_perms_of_gfn(vm_fd, gfn, 1, rmp_lo, &perms);
}

int host_snp_rmp_perms_of_gfn(int vm_fd, unsigned long long gfn, unsigned int vmpl,
			      unsigned long long *rmp_lo, unsigned char *perms)
{
	struct rmpentry e;
	unsigned long pfn;
	int r;

	r = host_gfn_to_pfn(vm_fd, gfn, &pfn);
	if (r)
		return r;
	r = snp_lookup_rmpentry_raw(pfn, &e);
	if (!r) {
		*rmp_lo = e.lo;
		*perms = rmpentry_vmpl_perms(&e, vmpl);
	}
	return r;
}

/* 1 if the TDX module holds the page behind @gfn as a private page of the VM's TD, else 0. */
unsigned long host_tdx_leaked_pages(void)
{
	return tdx_leaked_pages();
}

void host_tdx_fail(unsigned int nth, unsigned long long status)
{
	tdx_module_inject_failure(nth, status);
}

int host_tdx_failed(void)
{
	return tdx_module_injected();
}

int host_tdx_gfn_is_td_private(int vm_fd, unsigned long long gfn)
{
	struct kvm *kvm = host_file_private(vm_fd);
	enum tdx_pamt_type type;
	unsigned long pfn;
	u64 owner;

	if (!kvm || !kvm->arch.tdx_info.tdr || host_gfn_to_pfn(vm_fd, gfn, &pfn) ||
	    tdx_pamt_read((u64)pfn << PAGE_SHIFT, &type, &owner))
		return 0;
	return type == PT_REG && owner == (u64)page_to_pfn(kvm->arch.tdx_info.tdr) << PAGE_SHIFT;
}

/* 1 if the guest_memfd page behind @gfn is all zeros, 0 if not, -errno if there is none. */
int host_gmem_page_is_zero(int vm_fd, unsigned long long gfn)
{
	unsigned long pfn, i;
	const u64 *p;
	int r;

	r = host_gfn_to_pfn(vm_fd, gfn, &pfn);
	if (r)
		return r;
	p = page_address(pfn_to_page(pfn));
	for (i = 0; i < PAGE_SIZE / sizeof(*p); i++)
		if (p[i])
			return 0;
	return 1;
}

void host_snp_fw_fail(int cmd, unsigned int nth, int status)
{
	snp_fw_inject_failure(cmd, nth, status);
}

int host_snp_fw_failed_cmd(void)
{
	return snp_fw_injected_cmd();
}

void host_snp_rmpupdate_fail(unsigned int nth)
{
	rmpupdate_inject_failure(nth);
}

bool host_snp_rmpupdate_failed(void)
{
	return rmpupdate_injected();
}

unsigned long host_snp_leaked_pages(void)
{
	return snp_leaked_pages();
}

int host_sev_guest_tik(unsigned int handle, unsigned char tik[16])
{
	return snp_fw_sev_guest_tik(handle, tik);
}

void host_snp_chip_id(unsigned char id[64])
{
	snp_fw_chip_id(id);
}

int host_snp_vcek_public(unsigned long long tcb, unsigned char pub[96])
{
	return snp_fw_vcek_public(tcb, pub);
}

unsigned long host_sev_leaked_contexts(void)
{
	return sev_leaked_contexts();
}
