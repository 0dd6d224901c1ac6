/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __PSP_SEV_H__
#define __PSP_SEV_H__

/*
 * The SEV-SNP firmware interface inside the kernel: command ids and command buffers in the
 * SNP firmware ABI's layouts (upstream include/linux/psp-sev.h), and the driver entry point
 * KVM calls (drivers/crypto/ccp/sev-dev.c).  Addresses are system physical addresses.
 */

#include <linux/types.h>
#include <uapi/linux/psp-sev.h>

/* The longest blob (certificate, session, packet) KVM and /dev/sev hand the firmware. */
#define SEV_FW_BLOB_MAX_SIZE	0x4000

enum sev_cmd {
	/* SEV platform management (the SEV firmware API) */
	SEV_CMD_PDH_CERT_EXPORT		= 0x008,
	/* SEV and SEV-ES guests */
	SEV_CMD_DECOMMISSION		= 0x020,
	SEV_CMD_ACTIVATE		= 0x021,
	SEV_CMD_DEACTIVATE		= 0x022,
	SEV_CMD_GUEST_STATUS		= 0x023,
	SEV_CMD_LAUNCH_START		= 0x030,
	SEV_CMD_LAUNCH_UPDATE_DATA	= 0x031,
	SEV_CMD_LAUNCH_UPDATE_VMSA	= 0x032,
	SEV_CMD_LAUNCH_MEASURE		= 0x033,
	SEV_CMD_LAUNCH_UPDATE_SECRET	= 0x034,
	SEV_CMD_LAUNCH_FINISH		= 0x035,
	/* SEV-SNP */
	SEV_CMD_SNP_INIT		= 0x081,
	SEV_CMD_SNP_SHUTDOWN		= 0x082,
	SEV_CMD_SNP_PLATFORM_STATUS	= 0x083,
	SEV_CMD_SNP_DF_FLUSH		= 0x084,
	SEV_CMD_SNP_INIT_EX		= 0x085,
	SEV_CMD_SNP_SHUTDOWN_EX		= 0x086,
	SEV_CMD_SNP_DECOMMISSION	= 0x090,
	SEV_CMD_SNP_ACTIVATE		= 0x091,
	SEV_CMD_SNP_GUEST_STATUS	= 0x092,
	SEV_CMD_SNP_GCTX_CREATE		= 0x093,
	SEV_CMD_SNP_GUEST_REQUEST	= 0x094,
	SEV_CMD_SNP_ACTIVATE_EX		= 0x095,
	SEV_CMD_SNP_LAUNCH_START	= 0x0A0,
	SEV_CMD_SNP_LAUNCH_UPDATE	= 0x0A1,
	SEV_CMD_SNP_LAUNCH_FINISH	= 0x0A2,
	SEV_CMD_SNP_DBG_DECRYPT		= 0x0B0,
	SEV_CMD_SNP_DBG_ENCRYPT		= 0x0B1,
	SEV_CMD_SNP_PAGE_RECLAIM	= 0x0C7,
	SEV_CMD_SNP_CONFIG		= 0x0C9,
	SEV_CMD_SNP_COMMIT		= 0x0CB,
};

/* SEV (and SEV-ES) guest policy bits (SEV firmware API, "Guest Policy"). */
#define SEV_POLICY_NODBG		(1U << 0)
#define SEV_POLICY_NOKS			(1U << 1)
#define SEV_POLICY_ES			(1U << 2)
#define SEV_POLICY_NOSEND		(1U << 3)
#define SEV_POLICY_DOMAIN		(1U << 4)
#define SEV_POLICY_SEV			(1U << 5)
#define SEV_POLICY_API_MAJOR_SHIFT	16
#define SEV_POLICY_API_MINOR_SHIFT	24

/* SEV guest states (SEV firmware API, GUEST_STATUS). */
#define SEV_GUEST_STATE_UNINIT		0
#define SEV_GUEST_STATE_LUPDATE		1
#define SEV_GUEST_STATE_LSECRET		2
#define SEV_GUEST_STATE_RUNNING		3

/* LAUNCH_MEASURE's output: the measurement, then the firmware's nonce. */
#define SEV_MEASURE_SIZE		32
#define SEV_MNONCE_SIZE			16

struct sev_data_decommission {
	u32 handle;
} __packed;

struct sev_data_activate {
	u32 handle;
	u32 asid;
} __packed;

struct sev_data_deactivate {
	u32 handle;
} __packed;

struct sev_data_guest_status {
	u32 handle;
	u32 policy;
	u32 asid;
	u8 state;
} __packed;

struct sev_data_launch_start {
	u32 handle;			/* in/out: 0 for a new guest */
	u32 policy;
	u64 dh_cert_address;
	u32 dh_cert_len;
	u32 reserved;
	u64 session_address;
	u32 session_len;
} __packed;

/* LAUNCH_UPDATE_DATA and LAUNCH_UPDATE_VMSA */
struct sev_data_launch_update_data {
	u32 handle;
	u32 reserved;
	u64 address;
	u32 len;
} __packed;

struct sev_data_launch_measure {
	u32 handle;
	u32 reserved;
	u64 address;
	u32 len;			/* in/out */
} __packed;

struct sev_data_launch_finish {
	u32 handle;
} __packed;

/* LAUNCH_UPDATE_SECRET: a packet from the guest owner, decrypted into guest memory. */
struct sev_data_launch_secret {
	u32 handle;
	u32 reserved1;
	u64 hdr_address;
	u32 hdr_len;
	u32 reserved2;
	u64 guest_address;
	u32 guest_len;
	u32 reserved3;
	u64 trans_address;
	u32 trans_len;
} __packed;

struct sev_data_pdh_cert_export {
	u64 pdh_cert_address;
	u32 pdh_cert_len;		/* in/out */
	u32 reserved;
	u64 cert_chain_address;
	u32 cert_chain_len;		/* in/out */
} __packed;

/*
 * The SEV firmware's certificate (SEV API, appendix C): a public key, two signatures.  ECDH
 * and ECDSA keys are the curve id, then X and Y little-endian in 72-byte fields; an ECDSA
 * signature is r, then s, the same way.  Signatures cover the bytes before sig1_usage.
 */
#define SEV_CERT_SIZE			0x824
#define SEV_CERT_SIGNED_SIZE		0x414
#define SEV_CERT_PUBKEY_OFFSET		0x010
#define SEV_CERT_SIG1_OFFSET		0x414
#define SEV_CERT_SIG2_OFFSET		0x61c
#define SEV_CERT_CHAIN_SIZE		(3 * SEV_CERT_SIZE)	/* PEK, OCA, CEK */

#define SEV_USAGE_ARK			0x0
#define SEV_USAGE_ASK			0x13
#define SEV_USAGE_INVALID		0x1000
#define SEV_USAGE_OCA			0x1001
#define SEV_USAGE_PEK			0x1002
#define SEV_USAGE_PDH			0x1003
#define SEV_USAGE_CEK			0x1004

#define SEV_ALGO_INVALID		0x0
#define SEV_ALGO_ECDSA_SHA256		0x2
#define SEV_ALGO_ECDH_SHA256		0x3
#define SEV_ALGO_ECDSA_SHA384		0x102
#define SEV_ALGO_ECDH_SHA384		0x103

#define SEV_EC_P384			2

/* LAUNCH_START's session: nonce, the wrapped TEK || TIK, its IV, their MAC, the policy MAC. */
struct sev_session {
	u8 nonce[16];
	u8 wrap_tk[32];
	u8 wrap_iv[16];
	u8 wrap_mac[32];
	u8 policy_mac[32];
} __packed;

/* LAUNCH_SECRET's packet header: flags, the AES-128-CTR IV, HMAC-SHA-256 under the TIK. */
struct sev_secret_hdr {
	u32 flags;
	u8 iv[16];
	u8 mac[32];
} __packed;

/* SNP policy bits (SNP firmware ABI, "Guest Policy"). */
#define SNP_POLICY_ABI_MINOR_MASK	0xffULL
#define SNP_POLICY_ABI_MAJOR_SHIFT	8
#define SNP_POLICY_ABI_MAJOR_MASK	(0xffULL << SNP_POLICY_ABI_MAJOR_SHIFT)
#define SNP_POLICY_SMT			(1ULL << 16)
#define SNP_POLICY_RSVD_MBO		(1ULL << 17)
#define SNP_POLICY_MIGRATE_MA		(1ULL << 18)
#define SNP_POLICY_DEBUG		(1ULL << 19)
#define SNP_POLICY_SINGLE_SOCKET	(1ULL << 20)
#define SNP_POLICY_CXL_ALLOW		(1ULL << 21)
#define SNP_POLICY_MEM_AES_256_XTS	(1ULL << 22)
#define SNP_POLICY_RAPL_DIS		(1ULL << 23)
#define SNP_POLICY_CIPHERTEXT_HIDING	(1ULL << 24)
#define SNP_POLICY_VALID_MASK		((1ULL << 25) - 1)

/* Guest states (SNP firmware ABI). */
#define SNP_GUEST_STATE_INIT		0
#define SNP_GUEST_STATE_LAUNCH		1
#define SNP_GUEST_STATE_RUNNING		2

struct sev_data_snp_addr {
	u64 address;
} __packed;

struct sev_data_snp_launch_start {
	u64 gctx_paddr;
	u64 policy;
	u64 ma_gctx_paddr;
	u32 ma_en:1;
	u32 imi_en:1;
	u32 rsvd:30;
	u8 gosvw[16];
} __packed;

struct sev_data_snp_launch_update {
	u64 gctx_paddr;
	u32 page_size:1;
	u32 page_type:3;
	u32 imi_page:1;
	u32 rsvd:27;
	u32 rsvd2;
	u64 address;
	u32 rsvd3:8;
	u32 vmpl1_perms:8;
	u32 vmpl2_perms:8;
	u32 vmpl3_perms:8;
	u32 rsvd4;
} __packed;

/* SNP_COMMIT: the buffer's length (4). */
struct sev_data_snp_commit {
	u32 len;
} __packed;

/* SNP_GUEST_REQUEST: a guest message (a hypervisor page), its answer (a firmware page). */
struct sev_data_snp_guest_request {
	u64 gctx_paddr;
	u64 req_paddr;
	u64 res_paddr;
} __packed;

struct sev_data_snp_launch_finish {
	u64 gctx_paddr;
	u64 id_block_paddr;
	u64 id_auth_paddr;
	u8 id_block_en:1;
	u8 auth_key_en:1;
	u8 vcek_disabled:1;
	u64 rsvd:61;
	u8 host_data[32];
} __packed;

struct sev_data_snp_activate {
	u64 gctx_paddr;
	u32 asid;
} __packed;

struct sev_data_snp_decommission {
	u64 gctx_paddr;
} __packed;

struct sev_data_snp_page_reclaim {
	u64 paddr;		/* bit 0: page size (1 = 2M) */
} __packed;

struct sev_data_snp_guest_status {
	u64 gctx_paddr;
	u64 address;		/* a firmware-owned page for struct snp_guest_status */
} __packed;

/* What SNP_GUEST_STATUS writes. */
struct snp_guest_status {
	u64 policy;
	u32 asid;
	u8 state;
	u8 rsvd[3];
	u32 vcek_dis;
	u8 rsvd2[44];
} __packed;

/* The ID block SNP_LAUNCH_FINISH checks (96 bytes). */
struct sev_id_block {
	u8 ld[48];
	u8 family_id[16];
	u8 image_id[16];
	u32 version;
	u32 guest_svn;
	u64 policy;
} __packed;

/* drivers/crypto/ccp/sev-dev.c */
/* Firmware-visible, physically contiguous, zeroed pages for @len bytes; their order out. */
struct page *sev_fw_alloc(u32 len, unsigned int *order);
int sev_do_cmd(int cmd, void *data, int *psp_ret);
int sev_platform_init(int *error);
int snp_mark_page_firmware(unsigned long pfn);
int snp_reclaim_page(unsigned long pfn);
void sev_platform_shutdown(void);
bool sev_is_psp_file(const void *file);
extern const struct file_operations sev_misc_fops;

#endif
