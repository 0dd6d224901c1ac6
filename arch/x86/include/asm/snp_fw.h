/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_SNP_FW_H
#define _ASM_X86_SNP_FW_H

/*
 * The SEV-SNP firmware model (the PSP's side of the SNP firmware ABI).  Only the PSP driver
 * (drivers/crypto/ccp/sev-dev.c) calls snp_fw_command(); everyone else goes through
 * sev_do_cmd().  The queries below serve the RMP invariant checker.
 */

#include <linux/types.h>

#define SNP_FW_API_MAJOR	1
#define SNP_FW_API_MINOR	55
#define SNP_FW_BUILD_ID		21
#define SNP_FW_TCB_VERSION	0x1500000000000003ULL	/* microcode 0x15, bootloader 3 */
#define SNP_FW_MAX_ASID		99			/* SNP guests use ASIDs 1..99 */

int snp_fw_command(int cmd, void *data);
/*
 * Fault injection for tests: the @nth command @cmd (SNP_FW_ANY_CMD: of any kind) from now
 * (1: the next) fails with firmware status @status, doing nothing; @nth 0 disarms.  What a
 * firmware error would leave KVM to clean up, on demand (a PAGE_RECLAIM that fails is a page
 * KVM must leak).  snp_fw_injected_cmd(): the command the last injected failure hit, once
 * (0: none since the last call).
 */
#define SNP_FW_ANY_CMD		(-1)
void snp_fw_inject_failure(int cmd, unsigned int nth, int status);
int snp_fw_injected_cmd(void);
bool snp_fw_asid_live(u32 asid);
bool snp_fw_page_owned(unsigned long pfn);
unsigned int snp_fw_guest_count(void);
int snp_fw_launch_digest(u64 gctx_paddr, u8 out[48]);
int snp_fw_sev_guest_tik(u32 handle, u8 *tik);	/* tests: an SEV guest's TIK (16 bytes) */
/*
 * The chip (snp_guest_msg.c): its secret from a host's seed (before any key is derived, or it
 * is random), its id, and the VCEK public key (X || Y, big-endian) for a TCB, which on silicon
 * AMD's key server certifies.
 */
int snp_fw_set_chip_seed(const u8 *seed, unsigned int len);
void snp_fw_chip_id(u8 id[64]);
int snp_fw_vcek_public(u64 tcb, u8 pub[96]);

#endif
