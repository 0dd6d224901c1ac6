// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: descriptors (the front door that uses them is lib/front_door.c).
 *
 * anon_inode_getfd() backs each object with an empty, sealed memfd: a real descriptor with an
 * inode of its own, so dup(), close() and poll() behave and a descriptor number reused for an
 * unrelated file is never mistaken for ours.  The registry maps that inode to the struct file.
 * The descriptors together hold one reference on the file; when kvm_coco_close() finds no
 * descriptor of the process left on the inode (dups included), it drops that reference, and
 * the last fput() calls ->release(), as the kernel does on the last close.  A file closed with
 * plain close(2) is reaped by the next kvm_coco_close() (host_file_reap()).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>

#include "host_user.h"

long host_nr_files;

struct host_file {
	struct file file;
	dev_t dev;
	ino_t ino;
	bool foreign;		/* a stand-in for a descriptor that is not ours (fget only) */
	struct host_file *next;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct host_file *registry;

static const struct file_operations host_foreign_fops;

static struct host_file *registry_find_locked(dev_t dev, ino_t ino)
{
	struct host_file *hf;

	for (hf = registry; hf; hf = hf->next)
		if (hf->ino == ino && hf->dev == dev)
			return hf;
	return NULL;
}

static void registry_remove_locked(struct host_file *victim)
{
	struct host_file **pp;

	for (pp = &registry; *pp; pp = &(*pp)->next) {
		if (*pp == victim) {
			*pp = victim->next;
			return;
		}
	}
}

/* A descriptor number for a file to come: here, the empty sealed memfd that will carry it. */
int get_unused_fd_flags(unsigned int flags)
{
	int fd = memfd_create("kvm-coco", MFD_ALLOW_SEALING |
					  ((flags & O_CLOEXEC) ? MFD_CLOEXEC : 0));

	if (fd < 0)
		return -errno;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_WRITE)) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

void put_unused_fd(unsigned int fd)
{
	close((int)fd);
}

/* Every file here has an inode of its own (the memfd's), as anon_inode_create_getfile()'s. */
struct file *anon_inode_create_getfile(const char *name, const struct file_operations *fops,
				       void *priv, int flags, const struct inode *context_inode)
{
	struct host_file *hf;

	if (host_should_fail_alloc())
		return ERR_PTR(-ENOMEM);
	hf = calloc(1, sizeof(*hf));
	if (!hf)
		return ERR_PTR(-ENOMEM);
	hf->file.f_op = fops;
	hf->file.private_data = priv;
	hf->file.f_flags = flags;
	hf->file.f_mode = FMODE_READ | FMODE_WRITE;
	hf->file.f_inode.i_mode = 0600;
	refcount_set(&hf->file.f_count, 1);
	__atomic_add_fetch(&host_nr_files, 1, __ATOMIC_RELAXED);
	return &hf->file;
}

/* The descriptor now names @file: register the memfd's inode for it. */
void fd_install(unsigned int fd, struct file *file)
{
	struct host_file *hf = container_of(file, struct host_file, file);
	struct stat st;

	if (WARN_ON(fstat((int)fd, &st)))
		return;
	hf->file.f_inode.i_ino = st.st_ino;
	hf->dev = st.st_dev;
	hf->ino = st.st_ino;
	pthread_mutex_lock(&registry_lock);
	hf->next = registry;
	registry = hf;
	pthread_mutex_unlock(&registry_lock);
}

int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     int flags)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(flags);
	if (fd < 0)
		return fd;
	file = anon_inode_create_getfile(name, fops, priv, flags, NULL);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

/* Our file behind @fd with a reference taken, or NULL if @fd is not one of ours. */
struct file *host_fget(int fd)
{
	struct host_file *hf;
	struct stat st;

	if (fd < 0 || fstat(fd, &st))
		return NULL;
	pthread_mutex_lock(&registry_lock);
	hf = registry_find_locked(st.st_dev, st.st_ino);
	if (hf)
		refcount_inc(&hf->file.f_count);
	pthread_mutex_unlock(&registry_lock);
	return hf ? &hf->file : NULL;
}

void *host_file_private(int fd)
{
	struct file *file = host_fget(fd);
	void *priv;

	if (!file)
		return NULL;
	priv = file->private_data;
	fput(file);
	return priv;
}

/* As the kernel's: NULL only when @fd is not open; a foreign file gets a stand-in. */
struct file *fget(unsigned int fd)
{
	struct file *file = host_fget((int)fd);
	struct host_file *hf;

	if (file)
		return file;
	if (fcntl((int)fd, F_GETFD) < 0)
		return NULL;
	hf = calloc(1, sizeof(*hf));
	if (!hf)
		return NULL;
	hf->foreign = true;
	hf->file.f_op = &host_foreign_fops;
	refcount_set(&hf->file.f_count, 1);
	return &hf->file;
}

void fput(struct file *file)
{
	struct host_file *hf = container_of(file, struct host_file, file);

	if (!refcount_dec_and_test(&file->f_count))
		return;
	if (!hf->foreign) {
		if (file->f_op->release)
			file->f_op->release(file_inode(file), file);
		__atomic_sub_fetch(&host_nr_files, 1, __ATOMIC_RELAXED);
	}
	free(hf);
}

/*
 * Move every registered file with no descriptor left in the process onto @dead.  A file whose
 * inode still has a descriptor (a dup, or one not yet closed) stays.
 */
static struct host_file *registry_reap_locked(void)
{
	struct host_file *hf, *next, *dead = NULL;
	struct dirent *de;
	struct stat st;
	DIR *dir;

	for (hf = registry; hf; hf = hf->next)
		hf->file.f_mode &= ~FMODE_OPEN_SEEN;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return NULL;	/* cannot tell: keep everything */
	while ((de = readdir(dir))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] == '.' || fd == dirfd(dir) || fstat(fd, &st))
			continue;
		hf = registry_find_locked(st.st_dev, st.st_ino);
		if (hf)
			hf->file.f_mode |= FMODE_OPEN_SEEN;
	}
	closedir(dir);

	for (hf = registry; hf; hf = next) {
		next = hf->next;
		if (!(hf->file.f_mode & FMODE_OPEN_SEEN)) {
			registry_remove_locked(hf);
			hf->next = dead;
			dead = hf;
		}
	}
	return dead;
}

/*
 * A descriptor of @file was closed: release every file of ours that has no descriptor left in
 * the process (this one, or one an earlier plain close(2) dropped).
 */
void host_file_reap(void)
{
	struct host_file *dead, *next;

	pthread_mutex_lock(&registry_lock);
	dead = registry_reap_locked();
	pthread_mutex_unlock(&registry_lock);

	for (; dead; dead = next) {
		next = dead->next;
		fput(&dead->file);
	}
}
