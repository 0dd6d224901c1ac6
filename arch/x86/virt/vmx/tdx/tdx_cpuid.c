// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TDX module model's CPUID for a TD: what TDH.MNG.RD reads of its CPUID_VALUES (and
 * KVM_TDX_GET_CPUID reports).  A real module virtualises most leaves from the CPU's own
 * values, with some bits the VMM configures in TD_PARAMS; the model has no CPU of its own to
 * copy, so its TD's CPUID is small and fixed by TD_PARAMS alone:
 *
 *   0x0          max basic leaf 0xd, "GenuineIntel"
 *   0x1          configured: every bit of EAX..EDX
 *   0x7.0        configured: EBX, ECX, EDX (EAX, the last subleaf, is 0)
 *   0xd.0        from XFAM: the features (EAX, EDX) and the XSAVE area they need (EBX, ECX),
 *                in the standard format's layout
 *   0x80000000   max extended leaf 0x80000008
 *   0x80000001   configured: ECX, EDX
 *   0x80000008   configured: EAX bits 15:0 (physical and linear address widths)
 *
 * A configured leaf the VMM left out reads as zeros.  The guest's CPUID instruction is not
 * answered from here: the model virtualises no leaf, so a TD's CPUID is #VE and the VMM
 * answers it (from KVM_SET_CPUID2, which a VMM fills from KVM_TDX_GET_CPUID).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/tdx.h>

#define XSAVE_LEGACY_SIZE	576		/* the x87/SSE area and the XSAVE header */

const struct tdx_cpuid_value tdx_cpuid_configs[TDX_NR_CPUID_CONFIG] = {
	{ 0x1, TDX_CPUID_NO_SUBLEAF, ~0U, ~0U, ~0U, ~0U },
	{ 0x7, 0, 0, ~0U, ~0U, ~0U },
	{ 0x80000001, TDX_CPUID_NO_SUBLEAF, 0, 0, ~0U, ~0U },
	{ 0x80000008, TDX_CPUID_NO_SUBLEAF, 0xffff, 0, 0, 0 },
};

/* The standard-format offset and size of the XSAVE state components XFAM may enable. */
static const struct {
	unsigned int bit, offset, size;
} xsave_layout[] = {
	{ 2, 576, 256 },		/* AVX */
	{ 5, 1088, 64 },		/* AVX-512 opmask */
	{ 6, 1152, 512 },		/* AVX-512 ZMM_Hi256 */
	{ 7, 1664, 1024 },		/* AVX-512 Hi16_ZMM */
	{ 9, 2688, 8 },			/* PKRU */
	{ 17, 2752, 64 },		/* AMX TILECFG */
	{ 18, 2816, 8192 },		/* AMX TILEDATA */
};

bool tdx_td_cpuid_valid(const struct tdx_td_params *params)
{
	const struct tdx_cpuid_value *c = tdx_cpuid_configs, *v = params->cpuid;
	unsigned int i;

	for (i = 0; i < TDX_NR_CPUID_CONFIG; i++)
		if ((v[i].eax & ~c[i].eax) || (v[i].ebx & ~c[i].ebx) ||
		    (v[i].ecx & ~c[i].ecx) || (v[i].edx & ~c[i].edx))
			return false;
	return true;
}

static u32 xsave_size(u64 xfam)
{
	u32 size = XSAVE_LEGACY_SIZE;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xsave_layout); i++)
		if (xfam & BIT_ULL(xsave_layout[i].bit))
			size = max(size, xsave_layout[i].offset + xsave_layout[i].size);
	return size;
}

static void set(struct tdx_cpuid_value *out, u32 eax, u32 ebx, u32 ecx, u32 edx)
{
	out->eax = eax;
	out->ebx = ebx;
	out->ecx = ecx;
	out->edx = edx;
}

/* The leaves the module fills itself; false if @leaf/@subleaf is not one of them. */
static bool fixed_leaf(const struct tdx_td_params *p, u32 leaf, u32 subleaf,
		       struct tdx_cpuid_value *out)
{
	switch (leaf) {
	case 0x0:
		if (subleaf != TDX_CPUID_NO_SUBLEAF)
			return false;
		set(out, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);	/* Genu ntel ineI */
		return true;
	case 0xd:
		if (subleaf != 0)
			return false;
		set(out, (u32)p->xfam, xsave_size(p->xfam), xsave_size(p->xfam),
		    (u32)(p->xfam >> 32));
		return true;
	case 0x80000000:
		if (subleaf != TDX_CPUID_NO_SUBLEAF)
			return false;
		set(out, 0x80000008, 0, 0, 0);
		return true;
	}
	return false;
}

bool tdx_td_cpuid(const struct tdx_td_params *params, u32 leaf, u32 subleaf,
		  struct tdx_cpuid_value *out)
{
	unsigned int i;

	out->leaf = leaf;
	out->subleaf = subleaf;
	if (fixed_leaf(params, leaf, subleaf, out))
		return true;
	for (i = 0; i < TDX_NR_CPUID_CONFIG; i++) {
		if (tdx_cpuid_configs[i].leaf != leaf || tdx_cpuid_configs[i].subleaf != subleaf)
			continue;
		*out = params->cpuid[i];
		out->leaf = leaf;
		out->subleaf = subleaf;
		return true;
	}
	return false;
}
