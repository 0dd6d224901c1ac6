/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ARCH_X86_VIRT_SVM_SNP_GUEST_MSG_H
#define _ARCH_X86_VIRT_SVM_SNP_GUEST_MSG_H

/*
 * The SNP firmware's guest messages (snp_guest_msg.c): what SNP_GUEST_REQUEST needs of a guest
 * context, which snp_fw.c keeps.
 */
#include <linux/types.h>

#define SNP_VMPCK_SIZE		32
#define SNP_NR_VMPCK		4

/* What an attestation report says about its guest (fixed at LAUNCH_FINISH). */
struct snp_guest_identity {
	u64 policy;
	u8 family_id[16];
	u8 image_id[16];
	u32 guest_svn;
	bool author_key_en;
	u8 measurement[48];
	u8 host_data[32];
	u8 id_key_digest[48];
	u8 author_key_digest[48];
	u8 report_id[32];
	u8 report_id_ma[32];
	u64 launch_tcb;
};

/* The guest's message keys and, per key, the last sequence number the firmware sent. */
struct snp_guest_keys {
	u8 vmpck[SNP_NR_VMPCK][SNP_VMPCK_SIZE];
	u64 last_seqno[SNP_NR_VMPCK];
};

/* The platform's configuration (SNP_CONFIG): the TCB reports carry, what they leave out. */
struct snp_platform_config {
	u64 reported_tcb;
	bool mask_chip_id;
	bool mask_chip_key;
};

/* One request page in, one response page out; a firmware status (0: a response was written). */
int snp_guest_msg(struct snp_guest_keys *keys, const struct snp_guest_identity *id,
		  const struct snp_platform_config *cfg, const u8 *req, u8 *resp);

/* ID_AUTH's public keys (0x404 bytes each), and their SHA-384 digest for the report. */
#define SNP_ID_AUTH_ID_KEY	0x240
#define SNP_ID_AUTH_AUTHOR_KEY	0x880
#define SNP_ID_KEY_SIZE		0x404
void snp_key_digest(const u8 *key, u8 digest[48]);

/* The chip: its identity, and the VCEK of a TCB (the firmware's keys, derived, never stored). */
int snp_chip_set_seed(const u8 *seed, unsigned int len);
void snp_chip_id(u8 id[64]);
int snp_vcek_public(u64 tcb, u8 pub[96]);

#endif
