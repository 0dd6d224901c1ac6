/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ARCH_X86_VIRT_SVM_SEV_FW_H
#define _ARCH_X86_VIRT_SVM_SEV_FW_H

/*
 * The SEV firmware's guest commands (sev_fw.c), which snp_fw.c's command dispatch hands on,
 * under its lock, with the platform initialised.
 */
#include <linux/types.h>

int sev_fw_command(int cmd, void *data);
bool sev_fw_asid_live(u32 asid);
int sev_fw_guest_tik(u32 handle, u8 *tik);
bool snp_fw_asid_live_locked(u32 asid);		/* snp_fw.c */

#endif
