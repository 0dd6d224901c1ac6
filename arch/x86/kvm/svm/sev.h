/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __KVM_SVM_SEV_H
#define __KVM_SVM_SEV_H

#include <linux/kvm_host.h>

/* sev.c: KVM_MEMORY_ENCRYPT_OP and the SEV/SNP VM lifecycle */
int sev_mem_enc_ioctl(struct kvm *kvm, void __user *argp);
int sev_snp_get_launch_digest(struct kvm *kvm, void __user *argp);
int sev_vcpu_create(struct kvm_vcpu *vcpu);
int sev_dev_get_attr(u32 group, u64 attr, u64 *val);
void sev_free_vcpu(struct kvm_vcpu *vcpu);
void sev_vm_destroy(struct kvm *kvm);
int sev_issue_cmd(struct kvm *kvm, int fd, int id, void *data, int *error);
u64 sev_context_paddr(struct kvm_sev_info *sev);
/*
 * sev_guest_req.c: 0 with the guest's SW_EXITINFO1/2, or KVM_RUN's error; or, for an extended
 * request, SNP_REQ_CERTS_EXIT: KVM_EXIT_SNP_REQ_CERTS is prepared, and the answer comes from
 * snp_complete_req_certs() on the next KVM_RUN (with the RBX the guest gets, if any).
 */
#define SNP_REQ_CERTS_EXIT	1
int snp_handle_guest_req(struct kvm_vcpu *vcpu, u64 req_gpa, u64 resp_gpa, u64 *info1,
			 u64 *info2);
int snp_handle_ext_guest_req(struct kvm_vcpu *vcpu, u64 req_gpa, u64 resp_gpa, bool have_regs,
			     u64 certs_gpa, u64 npages, u64 *info1, u64 *info2);
int snp_complete_req_certs(struct kvm_vcpu *vcpu, u64 req_gpa, u64 resp_gpa, u64 *info1,
			   u64 *info2, u64 *rbx);

/* sev_launch.c: SEV and SEV-ES launch */
int sev_launch_start(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_update_data(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_update_vmsa(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_measure(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_secret(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_finish(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_guest_status(struct kvm *kvm, struct kvm_sev_cmd *argp);
bool sev_launch_destroy(struct kvm *kvm);
unsigned long sev_leaked_contexts(void);
int sev_mem_enc_register_region(struct kvm *kvm, void __user *argp);
int sev_mem_enc_unregister_region(struct kvm *kvm, void __user *argp);
void sev_free_regions(struct kvm *kvm);
int sev_gmem_invalidate(struct kvm *kvm, unsigned long pfn);
int sev_gmem_prepare(struct kvm *kvm, gfn_t gfn, unsigned long pfn);

/* sev_trace.c: RMP transitions to the trace event and the VM's ring */
void sev_trace_rmp(struct kvm *kvm, unsigned int op, unsigned long pfn, u64 old_rmp,
		   u64 new_rmp, int ret);
void sev_trace_fw(struct kvm *kvm, unsigned int op, unsigned long pfn, u64 old_rmp);
int sev_get_trace(struct kvm *kvm, void __user *argp);
void sev_trace_free(struct kvm *kvm);

/* sev_rmp.c: the one checked way to change a page's RMP entry */
int snp_make_private(struct kvm *kvm, unsigned long pfn, u64 gpa, u32 asid, bool immutable);
int snp_make_shared(struct kvm *kvm, unsigned long pfn);
int snp_make_firmware(struct kvm *kvm, unsigned long pfn);
bool snp_page_assigned(unsigned long pfn);
u64 snp_rmp_lo(unsigned long pfn);
int snp_page_reclaim(struct kvm *kvm, unsigned long pfn);
void snp_leak_page(struct kvm *kvm, unsigned long pfn);

/* sev_migrate.c: KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM and KVM_CAP_VM_COPY_ENC_CONTEXT_FROM */
int sev_vm_move_enc_context_from(struct kvm *kvm, unsigned int source_fd);
int sev_vm_copy_enc_context_from(struct kvm *kvm, unsigned int source_fd);
bool sev_mirror_destroy(struct kvm *kvm);

static inline bool sev_is_mirror(struct kvm *kvm)
{
	return kvm->arch.sev_info.mirror_owner;
}

/* A VM created as SEV, SEV-ES or SNP (whether or not KVM_SEV_INIT2 has run). */
static inline bool sev_vm_type(struct kvm *kvm)
{
	unsigned long type = kvm->arch.vm_type;

	return type == KVM_X86_SEV_VM || type == KVM_X86_SEV_ES_VM || type == KVM_X86_SNP_VM;
}

static inline bool sev_guest(struct kvm *kvm)
{
	return kvm->arch.sev_info.active;
}

static inline bool sev_snp_guest(struct kvm *kvm)
{
	return kvm->arch.sev_info.snp_active;
}

#endif
