// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel host: kvm_coco.ko.  Registers /dev/kvm-coco (the system device: the same
 * file_operations the library front door uses) and /dev/kvm-coco-sev (the PSP device), after
 * bringing the core up; the core's ioctls then reach the same dispatch as in the library.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/memblock.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>

/*
 * The platform model sizes its per-PFN tables (RMP, PAMT) by max_pfn, which the kernel does
 * not export to modules: the module keeps its own, from the online nodes' spans.
 */
unsigned long max_pfn;

static struct miscdevice kvm_coco_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "kvm-coco",
	.fops	= &kvm_chardev_ops,
};

static struct miscdevice kvm_coco_sev_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "kvm-coco-sev",
	.fops	= &sev_misc_fops,
};

static unsigned long host_max_pfn(void)
{
	unsigned long end = 0;
	int nid;

	for_each_online_node(nid)
		end = max(end, node_end_pfn(nid));
	return end;
}

static int __init kvm_coco_module_init(void)
{
	int r;

	max_pfn = host_max_pfn();
	r = kvm_coco_init();
	if (r)
		return r;
	r = misc_register(&kvm_coco_dev);
	if (r)
		goto err_exit;
	r = misc_register(&kvm_coco_sev_dev);
	if (r)
		goto err_dereg;
	return 0;

err_dereg:
	misc_deregister(&kvm_coco_dev);
err_exit:
	kvm_coco_exit();
	return r;
}

static void __exit kvm_coco_module_exit(void)
{
	misc_deregister(&kvm_coco_sev_dev);
	misc_deregister(&kvm_coco_dev);
	kvm_coco_exit();
}

module_init(kvm_coco_module_init);
module_exit(kvm_coco_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kvm-coco: private memory for confidential VMs, with SNP and TDX models");
