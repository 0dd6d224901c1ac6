/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
#ifndef __PSP_SEV_USER_H__
#define __PSP_SEV_USER_H__

/*
 * The /dev/sev ABI (upstream include/uapi/linux/psp-sev.h): numbers and layouts restated.
 * kvm_coco_open_sev() returns the descriptor these requests go to.
 */

#include <linux/types.h>
#include <linux/ioctl.h>

/* SEV_ISSUE_CMD command ids */
enum {
	SEV_FACTORY_RESET = 0,
	SEV_PLATFORM_STATUS,
	SEV_PEK_GEN,
	SEV_PEK_CSR,
	SEV_PDH_GEN,
	SEV_PDH_CERT_EXPORT,
	SEV_PEK_CERT_IMPORT,
	SEV_GET_ID,
	SEV_GET_ID2,
	SNP_PLATFORM_STATUS,
	SNP_COMMIT,
	SNP_SET_CONFIG,
	SNP_VLEK_LOAD,

	SEV_MAX,
};

/* Firmware status codes (the SEV and SEV-SNP firmware ABIs). */
typedef enum {
	SEV_RET_NO_FW_CALL = -1,
	SEV_RET_SUCCESS = 0,
	SEV_RET_INVALID_PLATFORM_STATE,
	SEV_RET_INVALID_GUEST_STATE,
	SEV_RET_INAVLID_CONFIG,
	SEV_RET_INVALID_CONFIG = SEV_RET_INAVLID_CONFIG,
	SEV_RET_INVALID_LEN,
	SEV_RET_ALREADY_OWNED,
	SEV_RET_INVALID_CERTIFICATE,
	SEV_RET_POLICY_FAILURE,
	SEV_RET_INACTIVE,
	SEV_RET_INVALID_ADDRESS,
	SEV_RET_BAD_SIGNATURE,
	SEV_RET_BAD_MEASUREMENT,
	SEV_RET_ASID_OWNED,
	SEV_RET_INVALID_ASID,
	SEV_RET_WBINVD_REQUIRED,
	SEV_RET_DFFLUSH_REQUIRED,
	SEV_RET_INVALID_GUEST,
	SEV_RET_INVALID_COMMAND,
	SEV_RET_ACTIVE,
	SEV_RET_HWSEV_RET_PLATFORM,
	SEV_RET_HWSEV_RET_UNSAFE,
	SEV_RET_UNSUPPORTED,
	SEV_RET_INVALID_PARAM,
	SEV_RET_RESOURCE_LIMIT,
	SEV_RET_SECURE_DATA_INVALID,
	SEV_RET_INVALID_PAGE_SIZE,
	SEV_RET_INVALID_PAGE_STATE,
	SEV_RET_INVALID_MDATA_ENTRY,
	SEV_RET_INVALID_PAGE_OWNER,
	SEV_RET_AEAD_OFLOW,
	SEV_RET_EXIT_RING_BUFFER = 0x001F,
	SEV_RET_RMP_INIT_REQUIRED = 0x0020,
	SEV_RET_BAD_SVN,
	SEV_RET_BAD_VERSION,
	SEV_RET_SHUTDOWN_REQUIRED,
	SEV_RET_UPDATE_FAILED,
	SEV_RET_RESTORE_REQUIRED,
	SEV_RET_RMP_INITIALIZATION_FAILED,
	SEV_RET_INVALID_KEY,
	SEV_RET_MAX,
} sev_ret_code;

/*
 * SEV_PDH_CERT_EXPORT: the platform's PDH certificate and its chain (PEK, OCA, CEK), each in
 * the SEV certificate format; lengths 0 (or a buffer too small) ask for the lengths.
 */
struct sev_user_data_pdh_cert_export {
	__u64 pdh_cert_address;		/* In */
	__u32 pdh_cert_len;		/* In/Out */
	__u64 cert_chain_address;	/* In */
	__u32 cert_chain_len;		/* In/Out */
} __attribute__((packed));

/* SNP_PLATFORM_STATUS */
struct sev_user_data_snp_status {
	__u8 api_major;		/* Out */
	__u8 api_minor;		/* Out */
	__u8 state;		/* Out: 0 UNINIT, 1 INIT */
	__u8 is_rmp_initialized:1;	/* Out */
	__u8 rsvd:7;
	__u32 build_id;		/* Out */
	__u32 mask_chip_id:1;	/* Out */
	__u32 mask_chip_key:1;	/* Out */
	__u32 vlek_en:1;	/* Out */
	__u32 feature_info:1;	/* Out */
	__u32 rapl_dis:1;	/* Out */
	__u32 ciphertext_hiding_cap:1;	/* Out */
	__u32 ciphertext_hiding_en:1;	/* Out */
	__u32 rsvd1:25;
	__u32 guest_count;	/* Out */
	__u64 current_tcb_version;	/* Out */
	__u64 reported_tcb_version;	/* Out */
} __attribute__((packed));

/* SNP_SET_CONFIG: the TCB reports carry, and what they leave out. */
struct sev_user_data_snp_config {
	__u64 reported_tcb;		/* In */
	__u32 mask_chip_id:1;		/* In: CHIP_ID zero in reports */
	__u32 mask_chip_key:1;		/* In: reports not signed */
	__u32 rsvd:30;			/* In */
	__u8 rsvd1[52];
} __attribute__((packed));

struct sev_issue_cmd {
	__u32 cmd;	/* In */
	__u64 data;	/* In */
	__u32 error;	/* Out */
} __attribute__((packed));

#define SEV_IOC_TYPE	'S'
#define SEV_ISSUE_CMD	_IOWR(SEV_IOC_TYPE, 0x0, struct sev_issue_cmd)

#endif
