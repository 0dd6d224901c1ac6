// SPDX-License-Identifier: GPL-2.0
/*
 * The preload shim: LD_PRELOAD=libkvm-coco-preload.so runs an unmodified, dynamically linked
 * program (a VMM, upstream's KVM selftests) against the library as if it were the kernel.
 *
 * open() of /dev/kvm and /dev/sev returns a kvm-coco descriptor; ioctl(), mmap(), close(),
 * fallocate(), fstat() and read()/write() (plain and positioned) on kvm-coco descriptors go to
 * the front door; everything else reaches libc untouched.  dup(), fcntl() and poll() need no
 * wrapper: a kvm-coco descriptor is a real one, and the front door knows its dups by inode.
 * The module parameters a program reads under /sys/module/kvm{,_amd,_intel}/parameters answer
 * as kvm-coco is configured (upstream's defaults where it behaves as upstream does).
 *
 * Signal handlers the program installs (sigaction(), signal()) run behind a trampoline that
 * first calls kvm_coco_signal_arrived(): a signal the thread does not block then ends a
 * KVM_RUN in progress with EINTR, as the kernel ends it to deliver the signal.  The program
 * reads back its own handlers and flags.
 *
 * The library makes the same calls itself (the core's host below it is made of them), and
 * they bind to these wrappers too: a per-thread depth marks a call made from inside the
 * library, which goes straight to libc.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../include/kvm-coco.h"

static __thread int kc_depth;
static bool kc_opened;		/* nothing is ours until a device was opened */

#define KC_CALL(expr) ({ typeof(expr) __r; kc_depth++; __r = (expr); kc_depth--; __r; })

/* libc's definition of @name, found once. */
#define REAL(ret, name, ...)							\
	static ret (*real_##name)(__VA_ARGS__);					\
	static ret (*libc_##name(void))(__VA_ARGS__)				\
	{									\
		if (!real_##name)						\
			real_##name = (ret (*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name); \
		return real_##name;						\
	}

REAL(int, openat, int, const char *, int, ...)
REAL(int, ioctl, int, unsigned long, ...)
REAL(int, close, int)
REAL(ssize_t, read, int, void *, size_t)
REAL(ssize_t, write, int, const void *, size_t)
REAL(ssize_t, pread, int, void *, size_t, off_t)
REAL(ssize_t, pwrite, int, const void *, size_t, off_t)
REAL(int, fstat, int, struct stat *)
REAL(void *, mmap, void *, size_t, int, int, int, off_t)
REAL(int, fallocate, int, int, off_t, off_t)
REAL(int, sigaction, int, const struct sigaction *, struct sigaction *)

static bool kc_ours(int fd)
{
	return fd >= 0 && !kc_depth && __atomic_load_n(&kc_opened, __ATOMIC_ACQUIRE) &&
	       KC_CALL(kvm_coco_owns(fd));
}

/*
 * The parameters a program may read: kvm's, and the vendor module's of the host CPU's vendor
 * (the one a kernel on this machine would load; upstream's selftests pick it by CPUID).
 */
struct kc_param {
	const char *module, *name, *value;
};

static const struct kc_param kc_params[] = {
	{ "kvm", "enable_pmu", "N\n" },			/* kvm-coco exposes no PMU */
	{ "kvm", "force_emulation_prefix", "0\n" },
	{ "kvm", "tdp_mmu", "Y\n" },
	{ "kvm", "eager_page_split", "Y\n" },
	{ "kvm", "enable_vmware_backdoor", "N\n" },
	{ "kvm", "ignore_msrs", "N\n" },
	{ "kvm_amd", "npt", "Y\n" },
	{ "kvm_amd", "nested", "0\n" },
	{ "kvm_amd", "sev", "Y\n" },
	{ "kvm_amd", "sev_es", "Y\n" },
	{ "kvm_amd", "sev_snp", "Y\n" },
	{ "kvm_intel", "ept", "Y\n" },
	{ "kvm_intel", "unrestricted_guest", "Y\n" },
	{ "kvm_intel", "nested", "N\n" },
	{ "kvm_intel", "tdx", "Y\n" },
};

static const char *kc_vendor_module(void)
{
	unsigned int a = 0, b, c, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return b == 0x756e6547 ? "kvm_intel" : "kvm_amd";	/* "Genu"ineIntel */
}

/* -1 with errno, or a descriptor reading the parameter's value; -2: not a parameter path. */
static int kc_open_param(const char *path)
{
	static const char prefix[] = "/sys/module/";
	const char *mod = path + sizeof(prefix) - 1, *slash;
	const struct kc_param *p;
	size_t len;
	int fd;

	if (strncmp(path, prefix, sizeof(prefix) - 1))
		return -2;
	slash = strchr(mod, '/');
	if (!slash || strncmp(slash, "/parameters/", 12))
		return -2;
	len = slash - mod;
	if (strncmp(mod, "kvm", len) && strncmp(mod, kc_vendor_module(), len))
		return -2;
	for (p = kc_params; p < kc_params + sizeof(kc_params) / sizeof(*p); p++) {
		if (strlen(p->module) != len || strncmp(p->module, mod, len) ||
		    strcmp(p->name, slash + 12))
			continue;
		fd = memfd_create(p->name, MFD_CLOEXEC);
		if (fd < 0)
			return -1;
		if (pwrite(fd, p->value, strlen(p->value), 0) < 0) {
			libc_close()(fd);
			return -1;
		}
		return fd;
	}
	errno = ENOENT;
	return -1;
}

/* The descriptor @path opens here, or -2 if it is not one of the paths above. */
static int kc_open(const char *path)
{
	int fd;

	/* openat(2)'s relative paths (NULL here is EFAULT from libc) are never ours. */
	if (kc_depth || !path || path[0] != '/')
		return -2;
	if (!strcmp(path, "/dev/kvm"))
		fd = KC_CALL(kvm_coco_open());
	else if (!strcmp(path, "/dev/sev"))
		fd = KC_CALL(kvm_coco_open_sev());
	else
		return KC_CALL(kc_open_param(path));
	if (fd >= 0)
		__atomic_store_n(&kc_opened, true, __ATOMIC_RELEASE);
	return fd;
}

static mode_t kc_mode(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
}

int openat(int dirfd, const char *path, int flags, ...)
{
	int fd = kc_open(path);
	va_list ap;
	mode_t mode;

	if (fd != -2)
		return fd;
	va_start(ap, flags);
	mode = kc_mode(flags, ap);
	va_end(ap);
	return libc_openat()(dirfd, path, flags, mode);
}

/* open(2) is openat(2) from the working directory. */
int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = kc_mode(flags, ap);
	va_end(ap);
	return openat(AT_FDCWD, path, flags, mode);
}

int ioctl(int fd, unsigned long request, ...)
{
	unsigned long arg;
	va_list ap;

	va_start(ap, request);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	if (kc_ours(fd))
		return KC_CALL(kvm_coco_ioctl(fd, request, arg));
	return libc_ioctl()(fd, request, arg);
}

int close(int fd)
{
	if (kc_ours(fd))
		return KC_CALL(kvm_coco_close(fd));
	return libc_close()(fd);
}

ssize_t read(int fd, void *buf, size_t count)
{
	if (kc_ours(fd))
		return KC_CALL(kvm_coco_read(fd, buf, count));
	return libc_read()(fd, buf, count);
}

ssize_t write(int fd, const void *buf, size_t count)
{
	if (kc_ours(fd))
		return KC_CALL(kvm_coco_write(fd, buf, count));
	return libc_write()(fd, buf, count);
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
	if (kc_ours(fd))
		return KC_CALL(kvm_coco_pread(fd, buf, count, offset));
	return libc_pread()(fd, buf, count, offset);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	if (kc_ours(fd))
		return KC_CALL(kvm_coco_pwrite(fd, buf, count, offset));
	return libc_pwrite()(fd, buf, count, offset);
}

int fstat(int fd, struct stat *st)
{
	if (kc_ours(fd))
		return KC_CALL(kvm_coco_fstat(fd, st));
	return libc_fstat()(fd, st);
}

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	if (!(flags & MAP_ANONYMOUS) && kc_ours(fd))
		return KC_CALL(kvm_coco_mmap(addr, length, prot, flags, fd, offset));
	return libc_mmap()(addr, length, prot, flags, fd, offset);
}

int fallocate(int fd, int mode, off_t offset, off_t len)
{
	if (kc_ours(fd))
		return KC_CALL(kvm_coco_fallocate(fd, mode, offset, len));
	return libc_fallocate()(fd, mode, offset, len);
}

/* The large-file names: the same calls on a 64-bit host. */
int open64(const char *path, int flags, ...) __attribute__((alias("open")));
int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));
ssize_t pread64(int fd, void *buf, size_t count, off_t offset) __attribute__((alias("pread")));
ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset)
	__attribute__((alias("pwrite")));
void *mmap64(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
	__attribute__((alias("mmap")));
int fallocate64(int fd, int mode, off_t offset, off_t len) __attribute__((alias("fallocate")));

int fstat64(int fd, struct stat64 *st)
{
	return fstat(fd, (struct stat *)st);
}

/*
 * The program's own action for each signal whose handler runs behind kc_trampoline().  It is
 * written before the trampoline goes in, so a signal in between finds the new handler.
 */
static struct sigaction kc_actions[NSIG];
static volatile sig_atomic_t kc_wrapped[NSIG];

static void kc_trampoline(int sig, siginfo_t *info, void *ucontext)
{
	const struct sigaction *a = &kc_actions[sig];
	int saved = errno;

	kvm_coco_signal_arrived();
	errno = saved;
	/* The kernel put SIG_DFL back already. */
	if (a->sa_flags & SA_RESETHAND)
		kc_wrapped[sig] = 0;
	if (a->sa_flags & SA_SIGINFO)
		a->sa_sigaction(sig, info, ucontext);
	else
		a->sa_handler(sig);
}

static bool kc_is_handler(const struct sigaction *act)
{
	return (act->sa_flags & SA_SIGINFO) ||
	       (act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN);
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct sigaction real, prev;
	bool was_wrapped, wrap;

	if (sig <= 0 || sig >= NSIG)
		return libc_sigaction()(sig, act, old);
	was_wrapped = kc_wrapped[sig];
	prev = kc_actions[sig];
	wrap = act && kc_is_handler(act);
	if (wrap) {
		real = *act;
		real.sa_sigaction = kc_trampoline;
		real.sa_flags |= SA_SIGINFO;
		kc_actions[sig] = *act;
		act = &real;
	}
	if (libc_sigaction()(sig, act, old)) {
		kc_actions[sig] = prev;
		return -1;
	}
	if (act)
		kc_wrapped[sig] = wrap;
	if (old && was_wrapped)
		*old = prev;
	return 0;
}

/* glibc's signal(): BSD semantics (SA_RESTART), through the wrapper above. */
sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;

	sigemptyset(&act.sa_mask);
	sigaddset(&act.sa_mask, sig);
	if (sigaction(sig, &act, &old))
		return SIG_ERR;
	return old.sa_handler;
}
