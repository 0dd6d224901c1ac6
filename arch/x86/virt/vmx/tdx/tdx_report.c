// SPDX-License-Identifier: GPL-2.0-only
/*
 * TDREPORT_STRUCT, as TDG.MR.REPORT writes it (the TDX module ABI's layout, 1024 bytes):
 *
 *   0    REPORTMACSTRUCT: REPORTTYPE (0x81, TDX; subtype 0, version 0), CPUSVN at 16,
 *        TEE_TCB_INFO_HASH at 32, TEE_INFO_HASH at 80, REPORTDATA at 128, MAC at 224
 *   256  TEE_TCB_INFO: VALID, TEE_TCB_SVN at 8, MRSEAM at 24, MRSIGNERSEAM at 72, ATTRIBUTES
 *        at 120, TEE_TCB_SVN2 at 128 (239 bytes)
 *   512  TDINFO_STRUCT: ATTRIBUTES, XFAM at 8, MRTD at 16, MRCONFIGID at 64, MROWNER at 112,
 *        MROWNERCONFIG at 160, RTMR[0..3] at 208, SERVTD_HASH at 400 (512 bytes)
 *
 * The two hashes are SHA-384 of TEE_TCB_INFO and of TDINFO_STRUCT, so the MAC over the first
 * 224 bytes of REPORTMACSTRUCT covers the whole report.  On silicon the MAC key never leaves
 * the CPU, and a quoting enclave asks the CPU to check it (EVERIFYREPORT2).  The model's key
 * is the platform's own, drawn from the kernel's random source when the module model starts;
 * the MAC is HMAC-SHA-384 under it, its first 32 bytes; tdx_report_verify() is the check.
 * The model's TCB: MRSEAM is SHA-384 of "kvm-coco TDX module model", MRSIGNERSEAM zero (as
 * for Intel's own module), the module's SVN 1.0, CPUSVN zero.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/random.h>
#include <linux/string.h>
#include <crypto/hash.h>
#include <crypto/utils.h>
#include <asm/tdx.h>

#define REPORT_TYPE_TDX		0x81
#define MAC_COVERS		224		/* REPORTMACSTRUCT up to the MAC */
#define MAC_SIZE		32
#define OFF_TCB_INFO_HASH	32
#define OFF_TEE_INFO_HASH	80
#define OFF_REPORTDATA		128
#define OFF_MAC			224
#define OFF_TCB_INFO		256
#define TCB_INFO_SIZE		239
#define TCB_VALID		0x3f		/* which TEE_TCB_INFO fields count */
#define TCB_SVN_MAJOR		1		/* TEE_TCB_SVN: minor, then major */
#define OFF_MRSEAM		(OFF_TCB_INFO + 24)
#define OFF_TDINFO		512
#define TDINFO_SIZE		512
#define OFF_XFAM		(OFF_TDINFO + 8)
#define OFF_MRTD		(OFF_TDINFO + 16)
#define OFF_MRCONFIGID		(OFF_TDINFO + 64)
#define OFF_MROWNER		(OFF_TDINFO + 112)
#define OFF_MROWNERCONFIG	(OFF_TDINFO + 160)
#define OFF_RTMR		(OFF_TDINFO + 208)
#define SHA384_BLOCK		128

static u8 report_key[TDX_MR_SIZE];
static u8 mrseam[TDX_MR_SIZE];
static struct crypto_shash *report_tfm;

int tdx_report_init(struct crypto_shash *tfm)
{
	static const u8 seam[] = "kvm-coco TDX module model";

	get_random_bytes(report_key, sizeof(report_key));
	report_tfm = tfm;
	return crypto_shash_tfm_digest(tfm, seam, sizeof(seam) - 1, mrseam);
}

/* HMAC-SHA-384 (RFC 2104) under the platform key, of REPORTMACSTRUCT's first bytes. */
static int report_mac(struct crypto_shash *tfm, const u8 *report, u8 *mac)
{
	u8 inner[SHA384_BLOCK + MAC_COVERS], outer[SHA384_BLOCK + TDX_MR_SIZE];
	unsigned int i;
	int r;

	memset(inner, 0, SHA384_BLOCK);
	memcpy(inner, report_key, sizeof(report_key));
	for (i = 0; i < SHA384_BLOCK; i++) {
		outer[i] = inner[i] ^ 0x5c;
		inner[i] ^= 0x36;
	}
	memcpy(inner + SHA384_BLOCK, report, MAC_COVERS);
	r = crypto_shash_tfm_digest(tfm, inner, sizeof(inner), outer + SHA384_BLOCK);
	return r ?: crypto_shash_tfm_digest(tfm, outer, sizeof(outer), mac);
}

int tdx_report_build(struct crypto_shash *tfm, const struct tdx_report_src *src,
		     const u8 *reportdata, u8 *report)
{
	u8 mac[TDX_MR_SIZE];
	int r;

	memset(report, 0, TDX_REPORT_SIZE);
	report[0] = REPORT_TYPE_TDX;
	memcpy(report + OFF_REPORTDATA, reportdata, TDX_REPORTDATA_SIZE);

	report[OFF_TCB_INFO] = TCB_VALID;
	report[OFF_TCB_INFO + 8 + 1] = TCB_SVN_MAJOR;
	memcpy(report + OFF_MRSEAM, mrseam, TDX_MR_SIZE);
	report[OFF_TCB_INFO + 128 + 1] = TCB_SVN_MAJOR;

	memcpy(report + OFF_TDINFO, &src->params->attributes, 8);
	memcpy(report + OFF_XFAM, &src->params->xfam, 8);
	memcpy(report + OFF_MRTD, src->mrtd, TDX_MR_SIZE);
	memcpy(report + OFF_MRCONFIGID, src->params->mrconfigid, TDX_MR_SIZE);
	memcpy(report + OFF_MROWNER, src->params->mrowner, TDX_MR_SIZE);
	memcpy(report + OFF_MROWNERCONFIG, src->params->mrownerconfig, TDX_MR_SIZE);
	memcpy(report + OFF_RTMR, src->rtmr, TDX_NR_RTMRS * TDX_MR_SIZE);

	r = crypto_shash_tfm_digest(tfm, report + OFF_TCB_INFO, TCB_INFO_SIZE,
				    report + OFF_TCB_INFO_HASH);
	r = r ?: crypto_shash_tfm_digest(tfm, report + OFF_TDINFO, TDINFO_SIZE,
					 report + OFF_TEE_INFO_HASH);
	r = r ?: report_mac(tfm, report, mac);
	if (r)
		return r;
	memcpy(report + OFF_MAC, mac, MAC_SIZE);
	return 0;
}

/* The MAC, and the two hashes it covers, as this platform computes them. */
bool tdx_report_verify(const u8 report[TDX_REPORT_SIZE])
{
	u8 mac[TDX_MR_SIZE], tcb[TDX_MR_SIZE], tee[TDX_MR_SIZE];

	if (!report_tfm || report[0] != REPORT_TYPE_TDX ||
	    crypto_shash_tfm_digest(report_tfm, report + OFF_TCB_INFO, TCB_INFO_SIZE, tcb) ||
	    crypto_shash_tfm_digest(report_tfm, report + OFF_TDINFO, TDINFO_SIZE, tee) ||
	    report_mac(report_tfm, report, mac))
		return false;
	return !crypto_memneq(tcb, report + OFF_TCB_INFO_HASH, TDX_MR_SIZE) &&
	       !crypto_memneq(tee, report + OFF_TEE_INFO_HASH, TDX_MR_SIZE) &&
	       !crypto_memneq(mac, report + OFF_MAC, MAC_SIZE);
}
