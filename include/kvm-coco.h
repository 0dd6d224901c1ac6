/* SPDX-License-Identifier: LGPL-2.1 */
#ifndef _KVM_COCO_H
#define _KVM_COCO_H

/*
 * The library front door.  A VMM written for upstream KVM ports by replacing open("/dev/kvm")
 * with kvm_coco_open() and ioctl(), fallocate() and mmap() on the descriptors it hands out
 * with the calls below; they have the system calls' semantics (-1 and errno).  Every
 * descriptor is a real descriptor of the process; close it with kvm_coco_close() so the object
 * behind it is released when its last descriptor goes.
 */

#include <sys/types.h>
#include <linux/kvm.h>
#include <linux/psp-sev.h>

#ifdef __cplusplus
extern "C" {
#endif

int kvm_coco_open(void);
/* The PSP device (/dev/sev upstream): SEV_ISSUE_CMD requests of <linux/psp-sev.h>. */
int kvm_coco_open_sev(void);
int kvm_coco_ioctl(int fd, unsigned long request, ...);
int kvm_coco_close(int fd);
int kvm_coco_fallocate(int fd, int mode, off_t offset, off_t len);
void *kvm_coco_mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
/* As the system calls on the same descriptors: a guest_memfd's st_size is its length. */
ssize_t kvm_coco_read(int fd, void *buf, size_t count);
ssize_t kvm_coco_write(int fd, const void *buf, size_t count);
ssize_t kvm_coco_pread(int fd, void *buf, size_t count, off_t offset);
ssize_t kvm_coco_pwrite(int fd, const void *buf, size_t count, off_t offset);
struct stat;
int kvm_coco_fstat(int fd, struct stat *st);
/* 1 if @fd is a kvm-coco descriptor (any dup of one), else 0. */
int kvm_coco_owns(int fd);
/*
 * For a VMM's signal handlers (the preload shim's call it for every handler): a KVM_RUN this
 * thread is in returns EINTR with KVM_EXIT_INTR, as a kernel returns it to deliver a signal
 * the thread does not block.  Outside KVM_RUN it does nothing.  Async-signal-safe.
 */
void kvm_coco_signal_arrived(void);

/*
 * Launch-digest calculators: the firmware model's own measurement code with no VM behind it,
 * for guest owners who predict a launch digest (what sev-snp-measure does).  SNP page types
 * are the firmware's: 1 NORMAL, 2 VMSA, 3 ZERO, 4 UNMEASURED, 5 SECRETS, 6 CPUID; pages are
 * 4 KiB; functions return 0 or a negative errno.
 */
struct kvm_coco_snp_measure;

struct kvm_coco_snp_measure *kvm_coco_snp_measure_new(void);
int kvm_coco_snp_measure_page(struct kvm_coco_snp_measure *m, unsigned int page_type,
			      unsigned long long gpa, const void *page);
/* The built-in VMSA: a vCPU in KVM's reset state (arch/x86/kvm/svm/vmsa.c documents it). */
void kvm_coco_snp_reset_vmsa(void *page, unsigned long long sev_features);
/*
 * The VMSA of a vCPU whose VMM set @regs and @sregs (KVM_SET_REGS, KVM_SET_SREGS) before
 * LAUNCH_FINISH, everything else as at reset: what LAUNCH_FINISH measures for it.
 */
void kvm_coco_snp_vmsa(void *page, const struct kvm_regs *regs, const struct kvm_sregs *sregs,
		      unsigned long long sev_features);
void kvm_coco_snp_measure_digest(const struct kvm_coco_snp_measure *m, unsigned char out[48]);
void kvm_coco_snp_measure_free(struct kvm_coco_snp_measure *m);

#define KVM_COCO_SNP_VMSA_GPA	0xFFFFFFFFF000ULL

/*
 * TDX: the MRTD of a TD built page by page: each page is added (TDH.MEM.PAGE.ADD) and, if
 * @measured, extended in 256-byte chunks (TDH.MR.EXTEND).  _digest() finalizes: call it once,
 * last.
 */
struct kvm_coco_tdx_measure;

struct kvm_coco_tdx_measure *kvm_coco_tdx_measure_new(void);
int kvm_coco_tdx_measure_page(struct kvm_coco_tdx_measure *m, unsigned long long gpa,
			      const void *page, int measured);
int kvm_coco_tdx_measure_digest(struct kvm_coco_tdx_measure *m, unsigned char out[48]);
void kvm_coco_tdx_measure_free(struct kvm_coco_tdx_measure *m);

/*
 * TDX: whether a TDREPORT_STRUCT (1024 bytes, as TDG.MR.REPORT wrote it) carries this
 * platform's MAC, and the hashes it covers match the report: what a quoting enclave asks of
 * the CPU (EVERIFYREPORT2).  The model's MAC key is the TDX module model's in this process:
 * the library host only.
 */
int kvm_coco_tdx_report_verify(const void *report);

/*
 * SNP: the model chip's certificate chain, as AMD's key server serves a chip's: the ARK
 * (self-signed) and the ASK (RSA-4096, RSASSA-PSS with SHA-384), and the VCEK of @tcb (ECDSA
 * P-384; AMD's extensions carry the TCB's patch levels and the chip id as hwID).  Each PEM,
 * malloc'd (free() them).  The ARK and ASK keys are made at first use and kept in
 * $KVM_COCO_SNP_CERT_DIR, else $XDG_CACHE_HOME/kvm-coco/snp-model.  The library host only;
 * 0 or a negative errno.  kvm_coco_snp_current_tcb(): the firmware's current TCB, which
 * reports carry unless SNP_SET_CONFIG chose an older one (SNP_PLATFORM_STATUS says which).
 */
int kvm_coco_snp_cert_chain(unsigned long long tcb, char **ark, char **ask, char **vcek);
unsigned long long kvm_coco_snp_current_tcb(void);

#ifdef __cplusplus
}
#endif

#endif
