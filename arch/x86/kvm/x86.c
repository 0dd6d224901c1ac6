// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 KVM: architecture set-up.  The platform pieces a real kernel finds at boot (the RMP
 * table) are set up here, once, before the first VM.
 */
#include <linux/kernel.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>
#include <asm/sev.h>

int kvm_arch_init(void)
{
	int r, err;

	r = snp_rmptable_init();
	if (r)
		return r;
	/* As kvm-amd does at load: bring up the SNP firmware. */
	r = sev_platform_init(&err);
	if (r) {
		pr_err("SNP_INIT failed: firmware status %#x\n", err);
		snp_rmptable_exit();
	}
	return r;
}

void kvm_arch_exit(void)
{
	sev_platform_shutdown();
	snp_rmptable_exit();
}
