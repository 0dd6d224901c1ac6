/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_LINUX_KVM_COCO_H
#define _UAPI_LINUX_KVM_COCO_H

/*
 * kvm-coco's own extensions to the KVM ABI.  They use ioctl numbers upstream KVM does not
 * (KVMIO 0xf0 and up), so they can never be mistaken for an upstream request.
 */

#include <linux/kvm.h>

/*
 * Read back memory attributes.  In: address (page aligned), size (non-zero, page aligned, the
 * most to scan), attributes and flags zero.  Out: attributes of the page at address, and in
 * size the length of the run of pages from address with those same attributes, at most the
 * size passed in.  Walking the map is a loop of these calls.
 */
#define KVM_COCO_GET_MEMORY_ATTRIBUTES	_IOWR(KVMIO, 0xf0, struct kvm_memory_attributes)

/*
 * The launch digest of an SNP VM after KVM_SEV_SNP_LAUNCH_FINISH (what the guest's attestation
 * report will carry as MEASUREMENT), read without a guest.  EINVAL before FINISH.
 */
struct kvm_coco_snp_launch_digest {
	__u8 digest[48];
	__u64 flags;		/* must be 0 */
	__u64 reserved[4];	/* must be 0 */
};

#define KVM_COCO_SNP_GET_LAUNCH_DIGEST	_IOWR(KVMIO, 0xf1, struct kvm_coco_snp_launch_digest)

#endif
