/* SPDX-License-Identifier: LGPL-2.1 */
#ifndef _KVM_COCO_TEST_H
#define _KVM_COCO_TEST_H

/*
 * kvm-coco's hooks for tests (not for VMMs): live-object counters and failure injection, to
 * prove that nothing leaks and that error paths work, and read-only views of the platform
 * model.  The library host answers them (host/user/, lib/inspect.c); a kernel-module run's
 * front door (tools/testing/kvm-coco/module/front_door_dev.c) says host_is_library() false and
 * the tests skip what needs them.
 */

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct host_counters {
	long allocs;		/* live kmalloc objects */
	long pages;		/* live alloc_page frames */
	long vmallocs;		/* live vmalloc_user areas */
	long files;		/* live struct file objects */
	long warnings;		/* WARN_ON hits since start */
};

void host_get_counters(struct host_counters *c);

/* Make the allocation @n calls from now fail (1 = the next one); 0 disables. */
void host_fail_alloc_after(long n);
bool host_alloc_failed(void);		/* whether it fired since, once */

/* The private_data of kvm-coco's file behind @fd, or NULL (unit tests reach the core). */
void *host_file_private(int fd);

/*
 * Platform inspection for tests (host_is_library(): false in a kernel-module run, whose
 * front door is plain system calls): the RMP invariants (every assigned entry has a live owner:
 * a live guest, the firmware, or the leak list), and the raw RMP entry behind a VM's gfn
 * (-ENOENT if no guest_memfd page backs it yet).
 */
bool host_is_library(void);
int host_snp_rmp_check(char *why, unsigned int len);
int host_tdx_pamt_check(char *why, unsigned int len);
int host_snp_rmp_of_gfn(int vm_fd, unsigned long long gfn, unsigned long long *rmp_lo);
/* ... and the permissions VMPL @vmpl (1 to 3) has on the page (RMPADJUST). */
int host_snp_rmp_perms_of_gfn(int vm_fd, unsigned long long gfn, unsigned int vmpl,
			      unsigned long long *rmp_lo, unsigned char *perms);
unsigned long host_snp_leaked_pages(void);
/* An SEV guest's transport integrity key (the firmware's), to check LAUNCH_MEASURE's HMAC. */
int host_sev_guest_tik(unsigned int handle, unsigned char tik[16]);
/* Every file not yet released, on stderr (a leak report's detail). */
void host_dump_files(void);
/* The model chip's id, and its VCEK's public key (X || Y, big-endian) for a TCB. */
void host_snp_chip_id(unsigned char id[64]);
int host_snp_vcek_public(unsigned long long tcb, unsigned char pub[96]);
/* SEV guest contexts the firmware kept when their VMs went (it refused DECOMMISSION). */
unsigned long host_sev_leaked_contexts(void);
/* The @nth SNP firmware command @cmd from now fails with @status (snp_fw_inject_failure()). */
void host_snp_fw_fail(int cmd, unsigned int nth, int status);
/* The command the last injected failure hit (snp_fw_injected_cmd()), once; 0: none. */
int host_snp_fw_failed_cmd(void);
/* The @nth RMPUPDATE from now fails (FAIL_INUSE, as if the entry were in use); 0 disables. */
void host_snp_rmpupdate_fail(unsigned int nth);
bool host_snp_rmpupdate_failed(void);	/* whether it fired since, once */
int host_gmem_page_is_zero(int vm_fd, unsigned long long gfn);
int host_tdx_gfn_is_td_private(int vm_fd, unsigned long long gfn);
/* Pages TDs leaked (the module kept them); the @nth SEAMCALL from now fails with @status. */
unsigned long host_tdx_leaked_pages(void);
void host_tdx_fail(unsigned int nth, unsigned long long status);
int host_tdx_failed(void);		/* whether it fired, once */

#ifdef __cplusplus
}
#endif

#endif
