// SPDX-License-Identifier: GPL-2.0
/*
 * The front door of a kernel-module run: each kvm_coco_*() is the system call itself, on the
 * /dev/kvm-coco and /dev/kvm-coco-sev that kvm_coco.ko registers.  The selftests link this in
 * place of the library host's front door and run unchanged inside a kernel.  From user space
 * the platform model cannot be inspected there: host_is_library() is false, the checks that
 * look inside are skipped and counted (test_util.h: INSPECT), and a hook called regardless
 * aborts the test rather than answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kvm-coco.h>
#include "kvm-coco-test.h"

int kvm_coco_open(void)
{
	return open("/dev/kvm-coco", O_RDWR | O_CLOEXEC);
}

int kvm_coco_open_sev(void)
{
	return open("/dev/kvm-coco-sev", O_RDWR | O_CLOEXEC);
}

int kvm_coco_ioctl(int fd, unsigned long request, ...)
{
	unsigned long arg;
	va_list ap;

	va_start(ap, request);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	return ioctl(fd, request, arg);
}

int kvm_coco_close(int fd)
{
	return close(fd);
}

int kvm_coco_fallocate(int fd, int mode, off_t offset, off_t len)
{
	return fallocate(fd, mode, offset, len);
}

void *kvm_coco_mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	return mmap(addr, length, prot, flags, fd, offset);
}

ssize_t kvm_coco_read(int fd, void *buf, size_t count)
{
	return read(fd, buf, count);
}

ssize_t kvm_coco_write(int fd, const void *buf, size_t count)
{
	return write(fd, buf, count);
}

ssize_t kvm_coco_pread(int fd, void *buf, size_t count, off_t offset)
{
	return pread(fd, buf, count, offset);
}

ssize_t kvm_coco_pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	return pwrite(fd, buf, count, offset);
}

int kvm_coco_fstat(int fd, struct stat *st)
{
	return fstat(fd, st);
}

/* Every descriptor of a module run is a kernel file; none is the library's. */
int kvm_coco_owns(int fd)
{
	return 0;
}

/* The kernel delivers signals itself: nothing to tell it. */
void kvm_coco_signal_arrived(void)
{
}

bool host_is_library(void)
{
	return false;
}

/* Taken unconditionally around the checks; only INSPECT()ed checks read them. */
void host_get_counters(struct host_counters *c)
{
	memset(c, 0, sizeof(*c));
}

static void no_inspection(const char *hook)
{
	printf("# %s: the platform cannot be inspected in a kernel-module run\n", hook);
	abort();
}

int host_snp_rmp_check(char *why, unsigned int len)
{
	no_inspection(__func__);
	return -1;
}

int host_snp_rmp_of_gfn(int vm_fd, unsigned long long gfn, unsigned long long *rmp_lo)
{
	no_inspection(__func__);
	return -1;
}

int host_tdx_pamt_check(char *why, unsigned int len)
{
	no_inspection(__func__);
	return -1;
}

void host_fail_alloc_after(long n)
{
	no_inspection(__func__);
}

void host_snp_fw_fail(int cmd, unsigned int nth, int status)
{
	no_inspection(__func__);
}

unsigned long host_tdx_leaked_pages(void)
{
	no_inspection(__func__);
	return 0;
}

void host_tdx_fail(unsigned int nth, unsigned long long status)
{
	no_inspection(__func__);
}

int host_tdx_failed(void)
{
	no_inspection(__func__);
	return 0;
}

int host_snp_fw_failed_cmd(void)
{
	no_inspection(__func__);
	return 0;
}

unsigned long host_snp_leaked_pages(void)
{
	no_inspection(__func__);
	return 0;
}

int host_sev_guest_tik(unsigned int handle, unsigned char tik[16])
{
	no_inspection(__func__);
	return -ENOSYS;
}

/* The chain is the library host's model chip's: not this kernel's. */
int kvm_coco_snp_cert_chain(unsigned long long tcb, char **ark, char **ask, char **vcek)
{
	*ark = *ask = *vcek = NULL;
	return -ENOSYS;
}

void host_dump_files(void)
{
	no_inspection(__func__);
}

void host_snp_chip_id(unsigned char id[64])
{
	no_inspection(__func__);
	memset(id, 0, 64);
}

int host_snp_vcek_public(unsigned long long tcb, unsigned char pub[96])
{
	no_inspection(__func__);
	return -ENOSYS;
}

unsigned long host_sev_leaked_contexts(void)
{
	no_inspection(__func__);
	return 0;
}

int host_gmem_page_is_zero(int vm_fd, unsigned long long gfn)
{
	no_inspection(__func__);
	return -1;
}
