// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pages whose RMP state cannot be undone (a reclaim the firmware refused, an RMPUPDATE that
 * failed half-way): kept out of every allocator forever and remembered, so that nothing
 * hands them out again and the RMP check knows why they are still assigned (upstream's
 * snp_leak_pages()).  KVM leaks through snp_leak_page(), which also counts per VM; the PSP
 * driver leaks its own firmware pages here directly.
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <asm/sev.h>

static DEFINE_MUTEX(snp_leak_lock);
static DEFINE_XARRAY(snp_leaked);	/* pfn -> (void *)1, never shrinks */
static unsigned long snp_nr_leaked;

void snp_leak_pages(unsigned long pfn, unsigned int npages)
{
	mutex_lock(&snp_leak_lock);
	/* A leak must be recorded whatever memory is short: the page is never used again. */
	for (; npages; npages--, pfn++)
		if (!xa_is_err(xa_store(&snp_leaked, pfn, (void *)1,
					GFP_KERNEL | __GFP_NOFAIL)))
			snp_nr_leaked++;
	mutex_unlock(&snp_leak_lock);
}

bool snp_page_leaked(unsigned long pfn)
{
	bool leaked;

	mutex_lock(&snp_leak_lock);
	leaked = xa_load(&snp_leaked, pfn);
	mutex_unlock(&snp_leak_lock);
	return leaked;
}

unsigned long snp_leaked_pages(void)
{
	return READ_ONCE(snp_nr_leaked);
}
