// SPDX-License-Identifier: GPL-2.0
/*
 * The library's front door: the system calls a VMM makes on /dev/kvm, /dev/sev and the
 * descriptors they hand out, as functions (<kvm-coco.h>).  Each one has its system call's
 * semantics: it finds kvm-coco's file behind the descriptor (host/user/file.c), calls the
 * file operation the kernel's VFS would, and returns -1 with errno on failure.  The preload
 * shim (preload.c) sends an unmodified program's calls here.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>
#include <asm/snp_fw.h>

#include "../include/kvm-coco.h"
#include "../host/user/host_user.h"

/* This thread is inside KVM_RUN: a signal handler that runs now interrupts it. */
static __thread volatile sig_atomic_t in_run;

static int host_errno(long r)
{
	if (r >= 0)
		return (int)r;
	errno = (int)-r;
	return -1;
}

/*
 * Opening a device: the core comes up on first use, as the module would at load.  A chip
 * seed in $KVM_COCO_SNP_CHIP_SEED makes the model SNP chip's identity (chip id, VCEKs) the
 * same from one run to the next; without one it is random per process.
 */
static int host_open_device(const char *name, const struct file_operations *fops)
{
	const char *seed = getenv("KVM_COCO_SNP_CHIP_SEED");
	int r;

	if (seed && *seed && snp_fw_set_chip_seed((const unsigned char *)seed, strlen(seed)))
		return host_errno(-ENOMEM);
	host_physmem_init();
	host_tsc_init();
	host_tcg_register();
	r = kvm_coco_init();
	if (r)
		return host_errno(r);
	return host_errno(anon_inode_getfd(name, fops, NULL, O_RDWR | O_CLOEXEC));
}

int kvm_coco_open(void)
{
	return host_open_device("kvm", &kvm_chardev_ops);
}

int kvm_coco_open_sev(void)
{
	return host_open_device("sev", &sev_misc_fops);
}

int kvm_coco_owns(int fd)
{
	struct file *file = host_fget(fd);

	if (!file)
		return 0;
	fput(file);
	return 1;
}

int kvm_coco_ioctl(int fd, unsigned long request, ...)
{
	struct file *file;
	unsigned long arg;
	va_list ap;
	long r;

	va_start(ap, request);
	arg = va_arg(ap, unsigned long);
	va_end(ap);

	file = host_fget(fd);
	if (!file)
		return host_errno(-EBADF);
	/* As ioctl(2): the request is 32 bits, and bits above them are dropped. */
	r = -ENOTTY;
	if ((unsigned int)request == KVM_RUN)
		in_run = 1;
	if (file->f_op->unlocked_ioctl)
		r = file->f_op->unlocked_ioctl(file, (unsigned int)request, arg);
	if ((unsigned int)request == KVM_RUN) {
		in_run = 0;
		host_signal_clear();
	}
	fput(file);
	return host_errno(r);
}

/*
 * A signal handler's call: a KVM_RUN this thread is in returns EINTR (with KVM_EXIT_INTR), as
 * it would return to let the kernel deliver the signal.  A handler running outside KVM_RUN
 * changes nothing.  Async-signal-safe.
 */
void kvm_coco_signal_arrived(void)
{
	if (in_run)
		host_signal_arrived();
}

int kvm_coco_close(int fd)
{
	struct file *file;

	file = host_fget(fd);
	if (!file)
		return host_errno(-EBADF);
	close(fd);
	fput(file);
	host_file_reap();
	return 0;
}

int kvm_coco_fallocate(int fd, int mode, off_t offset, off_t len)
{
	struct file *file = host_fget(fd);
	long r;

	if (!file)
		return host_errno(-EBADF);
	r = file->f_op->fallocate ? file->f_op->fallocate(file, mode, offset, len) : -ENODEV;
	fput(file);
	return host_errno(r);
}

/*
 * read(2)/write(2) and their positioned forms, as the VFS checks them: a file not opened for
 * it is EBADF, one whose operations have no read (no kvm-coco file has a write) EINVAL, and a
 * positioned access needs a file that allows one (ESPIPE: a statistics file does).
 */
static ssize_t host_rw(int fd, void *buf, size_t count, off_t *pos, bool write)
{
	struct file *file = host_fget(fd);
	long r;

	if (!file)
		return host_errno(-EBADF);
	if (pos && *pos < 0)
		r = -EINVAL;
	else if (pos && !(file->f_mode & FMODE_PREAD))
		r = -ESPIPE;
	else if (!(file->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		r = -EBADF;
	else if (write || !file->f_op->read)
		r = -EINVAL;
	else
		r = file->f_op->read(file, buf, count, pos ? (loff_t *)pos : &file->f_pos);
	fput(file);
	return host_errno(r);
}

ssize_t kvm_coco_read(int fd, void *buf, size_t count)
{
	return host_rw(fd, buf, count, NULL, false);
}

ssize_t kvm_coco_write(int fd, const void *buf, size_t count)
{
	return host_rw(fd, (void *)buf, count, NULL, true);
}

ssize_t kvm_coco_pread(int fd, void *buf, size_t count, off_t offset)
{
	return host_rw(fd, buf, count, &offset, false);
}

ssize_t kvm_coco_pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	return host_rw(fd, (void *)buf, count, &offset, true);
}

/* The descriptor's own attributes, with the inode's mode and size (a guest_memfd's length). */
int kvm_coco_fstat(int fd, struct stat *st)
{
	struct file *file = host_fget(fd);

	if (!file)
		return host_errno(-EBADF);
	if (fstat(fd, st)) {
		fput(file);
		return -1;
	}
	st->st_mode = file_inode(file)->i_mode;
	st->st_size = file_inode(file)->i_size;
	st->st_blocks = 0;
	fput(file);
	return 0;
}

void *kvm_coco_mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	struct vm_area_struct vma = {};
	struct file *file = host_fget(fd);
	void *p = MAP_FAILED;
	long r = -ENODEV;

	if (!file) {
		errno = EBADF;
		return MAP_FAILED;
	}
	if (!file->f_op->mmap)
		goto out;
	r = -EINVAL;
	if (!length || (offset & (PAGE_SIZE - 1)) || !(flags & (MAP_SHARED | MAP_PRIVATE)))
		goto out;
	length = ALIGN(length, PAGE_SIZE);
	p = mmap(addr, length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | (flags & MAP_FIXED),
		 -1, 0);
	if (p == MAP_FAILED) {
		r = -errno;
		goto out;
	}
	vma.vm_start = (unsigned long)p;
	vma.vm_end = vma.vm_start + length;
	vma.vm_pgoff = (unsigned long)offset >> PAGE_SHIFT;
	vma.vm_flags = (unsigned long)prot;
	r = file->f_op->mmap(file, &vma);
	if (r) {
		munmap(p, length);
		p = MAP_FAILED;
	}
out:
	fput(file);
	if (r)
		errno = (int)-r;
	return r ? MAP_FAILED : p;
}
