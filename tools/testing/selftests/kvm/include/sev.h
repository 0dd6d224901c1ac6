/* SPDX-License-Identifier: GPL-2.0 */
/* SNP VM helpers for selftests: two tiers, as kvm_util.h. */
#ifndef SELFTEST_KVM_SEV_H
#define SELFTEST_KVM_SEV_H

#include <linux/kvm_coco.h>

#include "kvm_util.h"

#define SNP_POLICY_DEFAULT	((1ull << 17) | (1ull << 16))	/* MBO | SMT */
#define SNP_MAX_VCPUS		8
/* SEV_FEATURES' DebugSwap: not in the uapi, so defined here, as upstream's selftests do. */
#define SVM_SEV_FEAT_DEBUG_SWAP	(1ull << 5)

struct snp_vm {
	int sev;		/* the PSP descriptor */
	int vm;
	int gmem;
	uint64_t mem;		/* bytes of guest memory, one guest_memfd slot at gpa 0 */
	uint8_t *shared;	/* its shared side (the TCG engine only; else none) */
	int vcpus[SNP_MAX_VCPUS];
	int nr_vcpus;
};

/* An SNP VM with @mem bytes of private memory and @nr_vcpus vCPUs, after KVM_SEV_INIT2. */
void snp_vm_create(struct snp_vm *v, uint64_t mem, int nr_vcpus);
/* The same on the vCPU engine @engine (KVM_COCO_ENGINE_*). */
void __snp_vm_create(struct snp_vm *v, uint64_t mem, int nr_vcpus, unsigned int engine);
void snp_vm_destroy(struct snp_vm *v);

int __snp_cmd(int vm, int sev_fd, uint32_t id, void *data, uint32_t *error);
int __snp_launch_start(struct snp_vm *v, uint64_t policy, uint32_t *error);
void snp_launch_start(struct snp_vm *v);
int __snp_launch_update(struct snp_vm *v, struct kvm_sev_snp_launch_update *p,
			uint32_t *error);
/* Whole range, calling again while the kernel reports progress with len left. */
void snp_launch_update(struct snp_vm *v, uint64_t gfn, const void *src, uint64_t len,
		       uint8_t type);
int __snp_launch_finish(struct snp_vm *v, struct kvm_sev_snp_launch_finish *p,
			uint32_t *error);
void snp_launch_finish(struct snp_vm *v);
/* snp_vm_create(), then an empty launch: a guest whose vCPUs can run. */
void snp_vm_create_launched(struct snp_vm *v, uint64_t mem, int nr_vcpus);
int __snp_get_digest(int vm, uint8_t digest[48]);
void snp_get_digest(int vm, uint8_t digest[48]);

/* The RMP invariants hold (every test calls this after every operation). */
void check_rmp(void);
/* The RMP entry (low word) behind a gfn; 0 if shared or not backed. */
uint64_t gfn_rmp(int vm, uint64_t gfn);
/* The permissions VMPL @vmpl (1 to 3) has on @gfn's page (RMPADJUST), and the raw low half. */
uint8_t gfn_vmpl_perms(int vm, uint64_t gfn, unsigned int vmpl, uint64_t *lo);

#define RMP_ASSIGNED	(1ull << 0)
#define RMP_VALIDATED	(1ull << 62)

#endif
