// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: descriptors (the front door that uses them is lib/front_door.c).
 *
 * anon_inode_getfd() backs each object with an empty, sealed memfd: a real descriptor with an
 * inode of its own, so dup(), close() and poll() behave and a descriptor number reused for an
 * unrelated file is never mistaken for ours.  The registry maps that inode to the struct file.
 * The descriptors together hold one reference on the file; once no descriptor of the process
 * is left on the inode (dups included), kvm_coco_close() drops that reference, and the last
 * fput() calls ->release(), as the kernel does on the last close.  A file closed with plain
 * close(2) is reaped by the next kvm_coco_close() (host_file_reap()).
 *
 * The kernel tells when the last descriptor went: an inotify watch on each memfd reports
 * IN_IGNORED once its inode is freed, which is when its last descriptor closes.  So a close
 * costs one read of the inotify descriptor, however many files are open (upstream's
 * kvm_create_max_vcpus has thousands).  A file that could not be watched (the watch limit) is
 * found the slow way, by looking at every descriptor of the process.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
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
	int wd;			/* the inotify watch on the inode, or -1 */
	bool foreign;		/* a stand-in for a descriptor that is not ours (fget only) */
	const char *name;	/* anon_inode's name: what a leak report says */
	struct list_head live;	/* in live_files (ours, until the last fput) */
	struct host_file *next;		/* in its inode's bucket */
	struct host_file *wd_next;	/* in its watch's bucket */
};

#define REGISTRY_BUCKETS	1024

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct host_file *registry[REGISTRY_BUCKETS];	/* by inode */
static struct host_file *watched[REGISTRY_BUCKETS];	/* by watch */
static long nr_unwatched;	/* registered, but found only by a scan */
static int reap_fd = -1;	/* the inotify instance of the watches */

static const struct file_operations host_foreign_fops;
static LIST_HEAD(live_files);
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

static struct host_file **registry_bucket(ino_t ino)
{
	return &registry[ino % REGISTRY_BUCKETS];
}

static struct host_file **watched_bucket(int wd)
{
	return &watched[(unsigned int)wd % REGISTRY_BUCKETS];
}

static struct host_file *registry_find_locked(dev_t dev, ino_t ino)
{
	struct host_file *hf;

	for (hf = *registry_bucket(ino); hf; hf = hf->next)
		if (hf->ino == ino && hf->dev == dev)
			return hf;
	return NULL;
}

static void registry_remove_locked(struct host_file *victim)
{
	struct host_file **pp;

	for (pp = registry_bucket(victim->ino); *pp; pp = &(*pp)->next) {
		if (*pp == victim) {
			*pp = victim->next;
			break;
		}
	}
	if (victim->wd < 0) {
		nr_unwatched--;
		return;
	}
	for (pp = watched_bucket(victim->wd); *pp; pp = &(*pp)->wd_next) {
		if (*pp == victim) {
			*pp = victim->wd_next;
			return;
		}
	}
}

/* Watch @fd's inode for its end (IN_IGNORED comes with any mask); -1 if it cannot be. */
static int registry_watch_locked(int fd)
{
	char path[32];

	if (reap_fd < 0)
		reap_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (reap_fd < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return inotify_add_watch(reap_fd, path, IN_DELETE_SELF);
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
	hf->file.f_mode = (flags & O_ACCMODE) == O_RDONLY ? FMODE_READ : FMODE_READ | FMODE_WRITE;
	hf->file.f_inode.i_mode = 0600;
	refcount_set(&hf->file.f_count, 1);
	hf->name = name;
	pthread_mutex_lock(&live_lock);
	list_add_tail(&hf->live, &live_files);
	pthread_mutex_unlock(&live_lock);
	__atomic_add_fetch(&host_nr_files, 1, __ATOMIC_RELAXED);
	return &hf->file;
}

/* Tests: every file not yet released, with its name, references and descriptor state. */
void host_dump_files(void)
{
	struct host_file *hf;

	pthread_mutex_lock(&live_lock);
	list_for_each_entry(hf, &live_files, live)
		fprintf(stderr, "live file %s: %u references, %s\n", hf->name,
			refcount_read(&hf->file.f_count), hf->ino ? "installed" : "no descriptor");
	pthread_mutex_unlock(&live_lock);
}

struct file *anon_inode_getfile(const char *name, const struct file_operations *fops,
			       void *priv, int flags)
{
	return anon_inode_create_getfile(name, fops, priv, flags, NULL);
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
	hf->next = *registry_bucket(hf->ino);
	*registry_bucket(hf->ino) = hf;
	hf->wd = registry_watch_locked((int)fd);
	if (hf->wd < 0) {
		nr_unwatched++;
	} else {
		hf->wd_next = *watched_bucket(hf->wd);
		*watched_bucket(hf->wd) = hf;
	}
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
		pthread_mutex_lock(&live_lock);
		list_del(&hf->live);
		pthread_mutex_unlock(&live_lock);
		__atomic_sub_fetch(&host_nr_files, 1, __ATOMIC_RELAXED);
	}
	free(hf);
}

/* Move the watched files whose inode the kernel freed (no descriptor left) onto @dead. */
static struct host_file *registry_reap_watched_locked(struct host_file *dead)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	struct host_file *hf;
	ssize_t n, off;

	while (reap_fd >= 0 && (n = read(reap_fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(buf + off);
			if (!(ev->mask & IN_IGNORED))
				continue;
			for (hf = *watched_bucket(ev->wd); hf && hf->wd != ev->wd;)
				hf = hf->wd_next;
			if (!hf)
				continue;
			registry_remove_locked(hf);
			hf->next = dead;
			dead = hf;
		}
	}
	return dead;
}

/* The same for files with no watch: every descriptor of the process is looked at. */
static struct host_file *registry_reap_unwatched_locked(struct host_file *dead)
{
	struct host_file *hf, *next;
	struct dirent *de;
	struct stat st;
	unsigned int b;
	DIR *dir;

	for (b = 0; b < REGISTRY_BUCKETS; b++)
		for (hf = registry[b]; hf; hf = hf->next)
			hf->file.f_mode &= ~FMODE_OPEN_SEEN;
	dir = opendir("/proc/self/fd");
	if (!dir)
		return dead;	/* cannot tell: keep everything */
	while ((de = readdir(dir))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] == '.' || fd == dirfd(dir) || fstat(fd, &st))
			continue;
		hf = registry_find_locked(st.st_dev, st.st_ino);
		if (hf)
			hf->file.f_mode |= FMODE_OPEN_SEEN;
	}
	closedir(dir);

	for (b = 0; b < REGISTRY_BUCKETS; b++) {
		for (hf = registry[b]; hf; hf = next) {
			next = hf->next;
			if (hf->wd >= 0 || (hf->file.f_mode & FMODE_OPEN_SEEN))
				continue;
			registry_remove_locked(hf);
			hf->next = dead;
			dead = hf;
		}
	}
	return dead;
}

/*
 * Every registered file with no descriptor left in the process.  A file whose inode still has
 * a descriptor (a dup, or one not yet closed) stays.
 */
static struct host_file *registry_reap_locked(void)
{
	struct host_file *dead = registry_reap_watched_locked(NULL);

	return nr_unwatched ? registry_reap_unwatched_locked(dead) : dead;
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
