/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: the file objects behind every descriptor kvm-coco hands out.  Each is a real
 * descriptor of the process (an empty, sealed memfd, so close/dup/poll behave); host/user/file.c
 * maps the descriptor's inode to the struct file below and calls its file_operations.
 */
#ifndef _HOST_USER_LINUX_FS_H
#define _HOST_USER_LINUX_FS_H

#include <linux/types.h>
#include <linux/refcount.h>

struct inode {
	unsigned long i_ino;
	unsigned int i_mode;
	loff_t i_size;		/* kept; fstat(2) sees the memfd (host/user/file.c) */
};

static inline void i_size_write(struct inode *inode, loff_t size)
{
	inode->i_size = size;
}

#ifndef S_IFREG
#define S_IFREG		0100000
#endif

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_pgoff;
	unsigned long vm_flags;
};

struct file;

struct file_operations {
	void *owner;
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	long (*compat_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	ssize_t (*read)(struct file *file, char __user *buf, size_t size, loff_t *pos);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	long (*fallocate)(struct file *file, int mode, loff_t offset, loff_t len);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
};

struct file {
	const struct file_operations *f_op;
	void *private_data;
	refcount_t f_count;
	struct inode f_inode;
	unsigned int f_flags;
	unsigned int f_mode;
	loff_t f_pos;			/* read(2)'s position */
};

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define FMODE_PREAD	0x8
#define FMODE_OPEN_SEEN	0x80000000u	/* library host: reap bookkeeping */

#define noop_llseek		NULL	/* no lseek(2) through the front door */

#ifndef O_RDONLY
#define O_RDONLY	00
#endif
#ifndef O_RDWR
#define O_RDWR		02
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC	02000000
#endif

static inline struct inode *file_inode(const struct file *f)
{
	return (struct inode *)&f->f_inode;
}

struct file *fget(unsigned int fd);
void fput(struct file *file);
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
void fd_install(unsigned int fd, struct file *file);

static inline struct file *get_file(struct file *f)
{
	refcount_inc(&f->f_count);
	return f;
}

#define THIS_MODULE	((void *)0)

#endif
