// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PSP driver: KVM's way to the SEV-SNP firmware (sev_do_cmd) and userspace's (/dev/sev,
 * SEV_ISSUE_CMD).  A firmware status other than success becomes -EIO here, and the raw status
 * goes back to the caller in *psp_ret / sev_issue_cmd.error.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/psp-sev.h>
#include <asm/sev.h>
#include <asm/snp_fw.h>

static DEFINE_MUTEX(sev_cmd_mutex);
static bool snp_initialized;

int sev_do_cmd(int cmd, void *data, int *psp_ret)
{
	int status;

	mutex_lock(&sev_cmd_mutex);
	status = snp_fw_command(cmd, data);
	mutex_unlock(&sev_cmd_mutex);
	if (psp_ret)
		*psp_ret = status;
	return status ? -EIO : 0;
}

int sev_platform_init(int *error)
{
	int r = 0;

	if (!READ_ONCE(snp_initialized)) {
		r = sev_do_cmd(SEV_CMD_SNP_INIT, NULL, error);
		if (!r)
			WRITE_ONCE(snp_initialized, true);
	}
	return r;
}

void sev_platform_shutdown(void)
{
	if (snp_initialized && !sev_do_cmd(SEV_CMD_SNP_SHUTDOWN, NULL, NULL))
		snp_initialized = false;
}

/* Hand a page to the firmware, through the checked helper (upstream: rmp_mark_pages_firmware). */
int snp_mark_page_firmware(unsigned long pfn)
{
	return rmp_make_firmware(pfn);
}

/*
 * Take a page back from the firmware: PAGE_RECLAIM, then make it shared.  On failure the
 * page's state is unknown and the caller must leak it, never reuse it.
 */
int snp_reclaim_page(unsigned long pfn)
{
	struct sev_data_snp_page_reclaim data = { .paddr = (u64)pfn << PAGE_SHIFT };
	int err;

	if (sev_do_cmd(SEV_CMD_SNP_PAGE_RECLAIM, &data, &err))
		return -EIO;
	return rmp_make_shared(pfn);
}

static int sev_ioctl_snp_platform_status(struct sev_issue_cmd *argp)
{
	struct sev_data_snp_addr buf;
	struct sev_user_data_snp_status status;
	struct page *page;
	unsigned long pfn;
	int r, err;

	if (!argp->data)
		return -EINVAL;
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	pfn = page_to_pfn(page);
	/* The firmware writes the status only into a page it owns. */
	if (snp_mark_page_firmware(pfn)) {
		__free_page(page);
		return -EFAULT;
	}
	buf.address = (u64)pfn << PAGE_SHIFT;
	err = 0;
	r = sev_do_cmd(SEV_CMD_SNP_PLATFORM_STATUS, &buf, &err);
	argp->error = err;
	if (snp_reclaim_page(pfn)) {
		/* Its state is unknown: never free it, and say so (the RMP check knows). */
		pr_warn("leaking pfn %#lx: the status page could not be reclaimed\n", pfn);
		snp_leak_pages(pfn, 1);
		return -EFAULT;
	}
	memcpy(&status, page_address(page), sizeof(status));
	__free_page(page);
	if (r)
		return r;
	if (copy_to_user(u64_to_user_ptr(argp->data), &status, sizeof(status)))
		return -EFAULT;
	return 0;
}

struct page *sev_fw_alloc(u32 len, unsigned int *order)
{
	*order = 0;
	while ((PAGE_SIZE << *order) < len)
		(*order)++;
	return alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO, *order);
}

/*
 * SEV_PDH_CERT_EXPORT.  As upstream: any length or address 0 asks for the lengths (the
 * firmware's INVALID_LEN, -EIO, with them); lengths above 16 KiB are -EFAULT.
 */
static int sev_ioctl_pdh_export(struct sev_issue_cmd *argp)
{
	struct sev_user_data_pdh_cert_export in;
	struct sev_data_pdh_cert_export fw = {};
	struct page *pdh = NULL, *chain = NULL;
	unsigned int pdh_order = 0, chain_order = 0;
	int r, err = 0;

	if (copy_from_user(&in, u64_to_user_ptr(argp->data), sizeof(in)))
		return -EFAULT;
	if (in.pdh_cert_address && in.pdh_cert_len && in.cert_chain_address &&
	    in.cert_chain_len) {
		if (in.pdh_cert_len > SEV_FW_BLOB_MAX_SIZE ||
		    in.cert_chain_len > SEV_FW_BLOB_MAX_SIZE)
			return -EFAULT;
		pdh = sev_fw_alloc(in.pdh_cert_len, &pdh_order);
		chain = sev_fw_alloc(in.cert_chain_len, &chain_order);
		r = -ENOMEM;
		if (!pdh || !chain)
			goto out;
		fw.pdh_cert_address = (u64)page_to_pfn(pdh) << PAGE_SHIFT;
		fw.pdh_cert_len = in.pdh_cert_len;
		fw.cert_chain_address = (u64)page_to_pfn(chain) << PAGE_SHIFT;
		fw.cert_chain_len = in.cert_chain_len;
	}
	r = sev_platform_init(&err) ?: sev_do_cmd(SEV_CMD_PDH_CERT_EXPORT, &fw, &err);
	argp->error = err;
	in.pdh_cert_len = fw.pdh_cert_len;
	in.cert_chain_len = fw.cert_chain_len;
	if (copy_to_user(u64_to_user_ptr(argp->data), &in, sizeof(in)))
		r = -EFAULT;
	if (r || !pdh)
		goto out;
	if (copy_to_user(u64_to_user_ptr(in.pdh_cert_address), page_address(pdh),
			 in.pdh_cert_len) ||
	    copy_to_user(u64_to_user_ptr(in.cert_chain_address), page_address(chain),
			 in.cert_chain_len))
		r = -EFAULT;
out:
	if (pdh)
		__free_pages(pdh, pdh_order);
	if (chain)
		__free_pages(chain, chain_order);
	return r;
}

/* SNP_SET_CONFIG: the reported TCB and masks (the descriptor must be writable, as upstream). */
static int sev_ioctl_snp_set_config(struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_snp_config config;
	int err = 0, r;

	if (!argp->data)
		return -EINVAL;
	if (!writable)
		return -EPERM;
	if (copy_from_user(&config, u64_to_user_ptr(argp->data), sizeof(config)))
		return -EFAULT;
	r = sev_platform_init(&err) ?: sev_do_cmd(SEV_CMD_SNP_CONFIG, &config, &err);
	argp->error = err;
	return r;
}

static int sev_ioctl_snp_commit(struct sev_issue_cmd *argp)
{
	struct sev_data_snp_commit buf = { .len = sizeof(buf) };
	int err = 0, r;

	r = sev_platform_init(&err) ?: sev_do_cmd(SEV_CMD_SNP_COMMIT, &buf, &err);
	argp->error = err;
	return r;
}

static long sev_ioctl(struct file *file, unsigned int ioctl, unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	struct sev_issue_cmd input;
	int r;

	if (ioctl != SEV_ISSUE_CMD)
		return -ENOTTY;
	if (copy_from_user(&input, argp, sizeof(input)))
		return -EFAULT;
	if (input.cmd >= SEV_MAX)
		return -EINVAL;

	input.error = 0;
	switch (input.cmd) {
	case SNP_PLATFORM_STATUS:
		r = sev_ioctl_snp_platform_status(&input);
		break;
	case SEV_PDH_CERT_EXPORT:
		r = sev_ioctl_pdh_export(&input);
		break;
	case SNP_SET_CONFIG:
		r = sev_ioctl_snp_set_config(&input, file->f_mode & FMODE_WRITE);
		break;
	case SNP_COMMIT:
		r = sev_ioctl_snp_commit(&input);
		break;
	default:
		/* The model has no other SEV key management or SNP configuration commands. */
		r = -EINVAL;
		break;
	}
	if (copy_to_user(argp, &input, sizeof(input)))
		r = -EFAULT;
	return r;
}

const struct file_operations sev_misc_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= sev_ioctl,
};

bool sev_is_psp_file(const void *file)
{
	return file && ((const struct file *)file)->f_op == &sev_misc_fops;
}
