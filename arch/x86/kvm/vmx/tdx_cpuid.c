// SPDX-License-Identifier: GPL-2.0-only
/*
 * A TD's CPUID through KVM: what CAPABILITIES says the VMM may configure (the TDX module's
 * CPUID_CONFIG: each leaf with the bits it may set), the INIT_VM entries that become TD_PARAMS'
 * CPUID values, and KVM_TDX_GET_CPUID, which reads back what the module holds for the TD, leaf
 * by leaf (TDH.MNG.RD), as upstream (6.16) does: the basic leaves up to leaf 0's EAX, the
 * extended ones up to 0x80000000's, a leaf the module does not hold read again by subleaf
 * until one fails, and the guest physical address width put in 0x80000008.EAX[23:16] by KVM
 * itself, from the TD's shared bit.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include <asm/tdx.h>

#include "tdx.h"

#define GUEST_PHYS_ADDR_BITS	0x00ff0000U		/* CPUID 0x80000008.EAX[23:16] */
#define GUEST_PHYS_ADDR_SHIFT	16
#define MAX_SUBLEAF		64			/* the module's 6-bit subleaf index */

static void entry_of(struct kvm_cpuid_entry2 *e, const struct tdx_cpuid_value *v)
{
	memset(e, 0, sizeof(*e));
	e->function = v->leaf;
	if (v->subleaf != TDX_CPUID_NO_SUBLEAF) {
		e->index = v->subleaf;
		e->flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
	}
	e->eax = v->eax;
	e->ebx = v->ebx;
	e->ecx = v->ecx;
	e->edx = v->edx;
}

void tdx_cpuid_configs_to(struct kvm_cpuid_entry2 *e)
{
	unsigned int i;

	for (i = 0; i < TDX_NR_CPUID_CONFIG; i++)
		entry_of(&e[i], &tdx_cpuid_configs[i]);
}

/*
 * INIT_VM's entries into TD_PARAMS, each in its CPUID_CONFIG slot.  As upstream, an entry for
 * a leaf with no slot is EINVAL (the module could not be told of it), and KVM clears
 * 0x80000008.EAX[23:16], which the module does not take; the module refuses other bits it does
 * not let the VMM set.
 */
int tdx_cpuid_to_params(const struct kvm_cpuid_entry2 *e, u32 nent,
			struct tdx_td_params *params)
{
	const struct tdx_cpuid_value *c;
	unsigned int i, j, copied = 0;

	memset(params->cpuid, 0, sizeof(params->cpuid));
	for (i = 0; i < TDX_NR_CPUID_CONFIG; i++) {
		c = &tdx_cpuid_configs[i];
		params->cpuid[i].leaf = c->leaf;
		params->cpuid[i].subleaf = c->subleaf;
		for (j = 0; j < nent; j++)
			if (e[j].function == c->leaf &&
			    (c->subleaf == TDX_CPUID_NO_SUBLEAF || e[j].index == c->subleaf))
				break;
		if (j == nent)
			continue;
		copied++;
		params->cpuid[i].eax = e[j].eax;
		params->cpuid[i].ebx = e[j].ebx;
		params->cpuid[i].ecx = e[j].ecx;
		params->cpuid[i].edx = e[j].edx;
		if (c->leaf == 0x80000008)
			params->cpuid[i].eax &= ~GUEST_PHYS_ADDR_BITS;
	}
	return copied == nent ? 0 : -EINVAL;
}

/* One leaf as the module has it; -EIO if it has none (or not without a subleaf). */
static int read_leaf(struct kvm *kvm, u32 leaf, u32 subleaf, struct kvm_cpuid_entry2 *e)
{
	struct tdx_cpuid_value v;

	if (tdh_mng_rd_cpuid(kvm->arch.hw.tdr_pa, leaf, subleaf, &v))
		return -EIO;
	entry_of(e, &v);
	if (leaf == 0x80000008)
		e->eax = (e->eax & ~GUEST_PHYS_ADDR_BITS) |
			 kvm->arch.tdx_info.gpaw << GUEST_PHYS_ADDR_SHIFT;
	return 0;
}

/*
 * @leaf into @e[*n...]: without a subleaf, or else subleaf by subleaf until the module has
 * no more.  -EIO if it has the leaf neither way.
 */
static int read_leaves(struct kvm *kvm, u32 leaf, struct kvm_cpuid_entry2 *e, u32 *n)
{
	u32 sub;

	if (*n >= KVM_MAX_CPUID_ENTRIES)
		return -E2BIG;
	if (!read_leaf(kvm, leaf, TDX_CPUID_NO_SUBLEAF, &e[*n])) {
		(*n)++;
		return 0;
	}
	for (sub = 0; sub < MAX_SUBLEAF && *n < KVM_MAX_CPUID_ENTRIES; sub++, (*n)++)
		if (read_leaf(kvm, leaf, sub, &e[*n]))
			break;
	return sub ? 0 : -EIO;
}

/* The basic or extended range from @base: its first leaf says how far it goes. */
static int read_range(struct kvm *kvm, u32 base, struct kvm_cpuid_entry2 *e, u32 *n)
{
	u32 leaf, last;
	int r;

	r = read_leaves(kvm, base, e, n);
	if (r)
		return r;
	last = e[*n - 1].eax;
	for (leaf = base + 1; leaf <= last && leaf - base < KVM_MAX_CPUID_ENTRIES; leaf++) {
		r = read_leaves(kvm, leaf, e, n);
		if (r == -E2BIG)
			return r;
	}
	return 0;
}

/*
 * KVM_TDX_GET_CPUID: the TD's CPUID as the module holds it.  In: cpuid.nent, the room; out:
 * the entries, or E2BIG with nent the number needed.  Only while the TD is being built.
 */
int tdx_get_cpuid(struct kvm_vcpu *vcpu, struct kvm_tdx_cmd *cmd)
{
	void __user *out = u64_to_user_ptr(cmd->data);
	struct kvm *kvm = vcpu->kvm;
	struct kvm_cpuid_entry2 *e;
	struct kvm_cpuid2 hdr;
	u32 n = 0;
	int r;

	if (cmd->flags)
		return -EINVAL;
	if (kvm->arch.tdx_info.state != TD_STATE_INITIALIZED)
		return -EINVAL;
	if (copy_from_user(&hdr, out, sizeof(hdr)))
		return -EFAULT;
	e = kcalloc(KVM_MAX_CPUID_ENTRIES, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	r = read_range(kvm, 0, e, &n) ?: read_range(kvm, 0x80000000, e, &n);
	if (r)
		goto out;
	if (hdr.nent < n)
		r = -E2BIG;
	hdr.nent = n;
	if (copy_to_user(out, &hdr, sizeof(hdr)))
		r = -EFAULT;
	else if (!r && copy_to_user(out + sizeof(hdr), e, n * sizeof(*e)))
		r = -EFAULT;
out:
	kfree(e);
	return r;
}
