// SPDX-License-Identifier: GPL-2.0
/*
 * A program written for the kernel's KVM, run with LD_PRELOAD=libkvm-coco-preload.so: nothing
 * here knows kvm-coco (no <kvm-coco.h>, no library link), only open(2), ioctl(2) and friends
 * on /dev/kvm.  Each test checks that one kind of call reaches the library through the shim,
 * with the kernel's answer, and that calls on other descriptors still reach the kernel.  A
 * signal the vCPU thread does not block ends its KVM_RUN with EINTR, as the kernel's does.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

static int failed;

#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			printf("# %s:%d: %s: ", __FILE__, __LINE__, #cond);	\
			printf(__VA_ARGS__);					\
			printf("\n");						\
			failed = 1;						\
			return;							\
		}								\
	} while (0)

#define CHECK_ERRNO(call, err)	\
	CHECK((call) == -1 && errno == (err), "errno %d, want %d", errno, err)

static int kvm_open(void)
{
	return open("/dev/kvm", O_RDWR | O_CLOEXEC);
}

/* The device opens, and is not the host's: kvm-coco's own capability answers. */
static void test_open_and_ioctl(void)
{
	int kvm = kvm_open();

	CHECK(kvm >= 0, "open(/dev/kvm): errno %d", errno);
	CHECK(ioctl(kvm, KVM_GET_API_VERSION, 0) == KVM_API_VERSION, "api version");
	CHECK(ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD) == 1, "guest_memfd cap");
	/* KVM_CAP_COCO_ENGINE (kvm-coco's engine choice, 0xc0c0): 0 on a kernel's KVM. */
	CHECK(ioctl(kvm, KVM_CHECK_EXTENSION, 0xc0c0) > 0, "not kvm-coco's /dev/kvm");
	CHECK_ERRNO(ioctl(kvm, _IO(KVMIO, 0xff), 0), ENOTTY);
	CHECK(close(kvm) == 0, "close");
	CHECK_ERRNO(ioctl(kvm, KVM_GET_API_VERSION, 0), EBADF);
}

/* A guest_memfd: fstat's size, no read or write, fallocate through, dups are the same file. */
static void test_guest_memfd(void)
{
	struct kvm_create_guest_memfd g = { .size = 0x30000 };
	int kvm = kvm_open(), vm, fd, dup_fd;
	struct stat st;
	char buf[16];

	vm = ioctl(kvm, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);
	CHECK(vm >= 0, "KVM_CREATE_VM: errno %d", errno);
	fd = ioctl(vm, KVM_CREATE_GUEST_MEMFD, &g);
	CHECK(fd >= 0, "KVM_CREATE_GUEST_MEMFD: errno %d", errno);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0x30000 && S_ISREG(st.st_mode),
	      "size %ld mode %o", (long)st.st_size, st.st_mode);
	CHECK_ERRNO(read(fd, buf, sizeof(buf)), EINVAL);
	CHECK_ERRNO(write(fd, buf, sizeof(buf)), EINVAL);
	CHECK_ERRNO(pread(fd, buf, sizeof(buf), 0), ESPIPE);
	CHECK_ERRNO(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0,
		    ENODEV);
	CHECK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 0x10000) == 0, "errno %d", errno);
	CHECK_ERRNO(fallocate(fd, FALLOC_FL_KEEP_SIZE, 1, 0x1000), EINVAL);
	dup_fd = dup(fd);
	CHECK(dup_fd >= 0 && close(fd) == 0, "dup");
	CHECK(fstat(dup_fd, &st) == 0 && st.st_size == 0x30000, "the dup is the guest_memfd");
	CHECK(close(dup_fd) == 0 && close(vm) == 0 && close(kvm) == 0, "close");
}

/* The vCPU's run structure maps, as KVM_GET_VCPU_MMAP_SIZE says. */
static void test_vcpu_mmap(void)
{
	int kvm = kvm_open(), vm, vcpu, size;
	struct kvm_run *run;

	vm = ioctl(kvm, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	CHECK(vm >= 0 && vcpu >= 0 && size >= 4096, "vm %d vcpu %d size %d", vm, vcpu, size);
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	CHECK(run != MAP_FAILED, "mmap: errno %d", errno);
	run->immediate_exit = 1;
	CHECK_ERRNO(ioctl(vcpu, KVM_RUN, 0), EINTR);
	CHECK(munmap(run, size) == 0, "munmap");
	CHECK(close(vcpu) == 0 && close(vm) == 0 && close(kvm) == 0, "close");
}

static int read_param(const char *path, char *buf, int len)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n;
}

/* The module parameters upstream's selftests read, and nothing else under /sys/module. */
static void test_module_params(void)
{
	unsigned int a = 0, b, c, d;
	char buf[8] = {};
	char path[96];

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	CHECK(read_param("/sys/module/kvm/parameters/tdp_mmu", buf, sizeof(buf)) == 2 &&
	      !memcmp(buf, "Y\n", 2), "tdp_mmu: %s", buf);
	CHECK(read_param("/sys/module/kvm/parameters/force_emulation_prefix", buf,
			 sizeof(buf)) == 2 && !memcmp(buf, "0\n", 2), "force_emulation_prefix");
	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s",
		 b == 0x756e6547 ? "kvm_intel" : "kvm_amd", b == 0x756e6547 ? "ept" : "npt");
	CHECK(read_param(path, buf, sizeof(buf)) == 2 && buf[0] == 'Y', "%s", path);
	CHECK_ERRNO(read_param("/sys/module/kvm/parameters/no_such_parameter", buf, 8), ENOENT);
}

/* Descriptors that are not kvm-coco's reach the kernel untouched. */
static void test_other_descriptors_pass_through(void)
{
	int kvm = kvm_open(), p[2], n;
	char buf[8];
	struct stat st;

	CHECK(kvm >= 0 && pipe(p) == 0, "pipe");
	CHECK(write(p[1], "abc", 3) == 3, "write to a pipe");
	n = read(p[0], buf, sizeof(buf));
	CHECK(n == 3 && !memcmp(buf, "abc", 3), "read from a pipe: %d", n);
	CHECK(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat of a pipe");
	CHECK_ERRNO(ioctl(p[0], KVM_GET_API_VERSION, 0), ENOTTY);
	CHECK(close(p[0]) == 0 && close(p[1]) == 0 && close(kvm) == 0, "close");
	CHECK_ERRNO(close(p[0]), EBADF);
}

static volatile sig_atomic_t handled, handled_info;

static void on_usr1(int sig)
{
	handled = sig;
}

static void on_usr2(int sig, siginfo_t *info, void *uc)
{
	handled_info = info->si_signo == sig ? sig : -1;
}

/* The program's handlers run, and read back as the program installed them. */
static void test_signal_handlers(void)
{
	struct sigaction act = { .sa_sigaction = on_usr2, .sa_flags = SA_SIGINFO | SA_RESTART };
	struct sigaction old;

	CHECK(signal(SIGUSR1, on_usr1) != SIG_ERR, "signal");
	CHECK(signal(SIGUSR1, on_usr1) == on_usr1, "signal() returns the program's handler");
	CHECK(raise(SIGUSR1) == 0 && handled == SIGUSR1, "handler: %d", (int)handled);
	sigemptyset(&act.sa_mask);
	CHECK(sigaction(SIGUSR2, &act, NULL) == 0, "sigaction");
	CHECK(sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_sigaction == on_usr2 &&
	      (old.sa_flags & (SA_SIGINFO | SA_RESTART)) == (SA_SIGINFO | SA_RESTART),
	      "reads back %p flags %#x", (void *)old.sa_sigaction, old.sa_flags);
	CHECK(raise(SIGUSR2) == 0 && handled_info == SIGUSR2, "siginfo handler");
	act.sa_handler = SIG_IGN;
	act.sa_flags = 0;
	CHECK(sigaction(SIGUSR2, &act, &old) == 0 && old.sa_sigaction == on_usr2,
	      "the old handler, again");
	CHECK(sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_handler == SIG_IGN, "SIG_IGN");
	CHECK(signal(SIGUSR1, SIG_DFL) == on_usr1 && signal(SIGUSR2, SIG_DFL) == SIG_IGN, "reset");
}

struct runner {
	int vcpu;
	int r, err;
	pthread_t thread;
};

static void *run_vcpu(void *arg)
{
	struct runner *rn = arg;

	rn->r = ioctl(rn->vcpu, KVM_RUN, 0);
	rn->err = errno;
	return NULL;
}

/* A flat 32-bit protected-mode vCPU at @rip, paging off. */
static int set_flat32(int vcpu, unsigned long rip)
{
	struct kvm_segment code = { .limit = 0xffffffff, .selector = 8, .type = 11, .present = 1,
				    .s = 1, .db = 1, .g = 1 };
	struct kvm_segment data = code;
	struct kvm_regs regs = { .rip = rip, .rflags = 2 };
	struct kvm_sregs s;

	data.type = 3;
	data.selector = 16;
	if (ioctl(vcpu, KVM_GET_SREGS, &s))
		return -1;
	s.cr0 = 1;		/* PE */
	s.cs = code;
	s.ds = s.es = s.fs = s.gs = s.ss = data;
	return ioctl(vcpu, KVM_SET_SREGS, &s) || ioctl(vcpu, KVM_SET_REGS, &regs);
}

/*
 * A guest that never exits (jmp $), a SIGUSR1 handler, the vCPU thread not blocking SIGUSR1:
 * pthread_kill() ends KVM_RUN with EINTR and KVM_EXIT_INTR.
 */
static void test_signal_ends_kvm_run(void)
{
	int kvm = kvm_open(), vm, size;
	struct kvm_userspace_memory_region r = { .memory_size = 0x2000 };
	struct timespec deadline;
	struct runner rn = {};
	struct kvm_run *run;
	unsigned char *mem;
	bool joined = false;
	int i;

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	mem = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(vm >= 0 && mem != MAP_FAILED, "vm");
	mem[0x1000] = 0xeb;		/* jmp $ */
	mem[0x1001] = 0xfe;
	r.userspace_addr = (unsigned long)mem;
	CHECK(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) == 0, "memslot: errno %d", errno);
	rn.vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, rn.vcpu, 0);
	CHECK(rn.vcpu >= 0 && run != MAP_FAILED && set_flat32(rn.vcpu, 0x1000) == 0,
	      "vcpu: errno %d", errno);
	CHECK(signal(SIGUSR1, on_usr1) != SIG_ERR, "signal");
	CHECK(pthread_create(&rn.thread, NULL, run_vcpu, &rn) == 0, "pthread_create");
	/*
	 * A signal sent before KVM_RUN starts only runs the handler: send one every 10 ms until
	 * the thread is back.  The 30 s are a hang guard, not a timing check.
	 */
	for (i = 0; i < 3000 && !joined; i++) {
		pthread_kill(rn.thread, SIGUSR1);
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += 10 * 1000 * 1000;
		if (deadline.tv_nsec >= 1000000000) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000;
		}
		joined = !pthread_timedjoin_np(rn.thread, NULL, &deadline);
	}
	if (!joined) {
		run->immediate_exit = 1;
		pthread_join(rn.thread, NULL);
		CHECK(0, "signals did not end KVM_RUN");
	}
	CHECK(rn.r == -1 && rn.err == EINTR && run->exit_reason == KVM_EXIT_INTR,
	      "KVM_RUN: %d errno %d exit %u", rn.r, rn.err, run->exit_reason);
	signal(SIGUSR1, SIG_DFL);
	CHECK(close(rn.vcpu) == 0 && close(vm) == 0 && close(kvm) == 0, "close");
}

int main(void)
{
	static const struct {
		void (*fn)(void);
		const char *name;
	} tests[] = {
		{ test_open_and_ioctl, "test_open_and_ioctl" },
		{ test_guest_memfd, "test_guest_memfd" },
		{ test_vcpu_mmap, "test_vcpu_mmap" },
		{ test_module_params, "test_module_params" },
		{ test_other_descriptors_pass_through, "test_other_descriptors_pass_through" },
		{ test_signal_handlers, "test_signal_handlers" },
		{ test_signal_ends_kvm_run, "test_signal_ends_kvm_run" },
	};
	int i, bad = 0, kvm;

	printf("TAP version 13\n1..%zu\n", sizeof(tests) / sizeof(tests[0]));
	/* Never run the tests against the host's KVM: without the shim, stop here. */
	kvm = kvm_open();
	if (kvm < 0 || ioctl(kvm, KVM_CHECK_EXTENSION, 0xc0c0) <= 0) {
		printf("Bail out! /dev/kvm is not kvm-coco's: run with LD_PRELOAD\n");
		return 1;
	}
	close(kvm);
	for (i = 0; i < (int)(sizeof(tests) / sizeof(tests[0])); i++) {
		failed = 0;
		tests[i].fn();
		printf("%s %d %s\n", failed ? "not ok" : "ok", i + 1, tests[i].name);
		bad |= failed;
	}
	return bad;
}
