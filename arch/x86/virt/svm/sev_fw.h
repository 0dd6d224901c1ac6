/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ARCH_X86_VIRT_SVM_SEV_FW_H
#define _ARCH_X86_VIRT_SVM_SEV_FW_H

/*
 * The SEV firmware's guest commands (sev_fw.c), which snp_fw.c's command dispatch hands on,
 * under its lock, with the platform initialised.
 */
#include <linux/types.h>

#define SEV_KEY_SIZE		16	/* TEK, TIK, KEK, KIK: AES-128 and HMAC keys */

struct crypto_shash;
struct sev_data_pdh_cert_export;
struct sev_session;
struct sev_secret_hdr;

/* A piece of a message to MAC. */
struct sev_part {
	const void *p;
	unsigned int n;
};

int sev_fw_command(int cmd, void *data);
struct crypto_shash *psp_shash(struct crypto_shash **slot, const char *alg);
struct crypto_shash *sev_fw_sha256(void);
void *sev_fw_ptr(u64 address);
bool sev_fw_asid_live(u32 asid);
int sev_fw_guest_tik(u32 handle, u8 *tik);
bool snp_fw_asid_live_locked(u32 asid);		/* snp_fw.c */

/* sev_channel.c: the guest owner's channel (firmware status codes, 0 on success) */
int sev_hmac_sha256(const u8 *key, unsigned int klen, const struct sev_part *parts, int nr,
		    u8 out[32]);
int sev_channel_pdh_export(struct sev_data_pdh_cert_export *d);
int sev_channel_open(const u8 *cert, const struct sev_session *session, u32 policy,
		     u8 tek[SEV_KEY_SIZE], u8 tik[SEV_KEY_SIZE]);
int sev_channel_secret(const u8 *tek, const u8 *tik, const u8 *measurement,
		       const struct sev_secret_hdr *hdr, const u8 *trans, u32 len, u8 *guest);

#endif
