// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 KVM: architecture set-up.  The platform pieces a real kernel finds at boot (the RMP
 * table) are set up here, once, before the first VM.
 */
#include <linux/kernel.h>
#include <linux/kvm_host.h>
#include <asm/sev.h>

int kvm_arch_init(void)
{
	return snp_rmptable_init();
}

void kvm_arch_exit(void)
{
	snp_rmptable_exit();
}
