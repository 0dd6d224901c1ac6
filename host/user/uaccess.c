// SPDX-License-Identifier: GPL-2.0
/*
 * Library host: user copies that turn a bad pointer into -EFAULT, as the kernel's exception
 * tables do, instead of a crash.
 *
 * A copy is a plain memcpy under a SIGSEGV/SIGBUS handler that longjmps back when a fault
 * hits inside a user copy; a fault anywhere else goes to whatever handler was there before.
 * If the application has since replaced our handler, copies take the slow path:
 * process_vm_readv/writev on our own pid, which the kernel fails with EFAULT (two system
 * calls, and page pinning: ~1 us for an ioctl's struct, ~3 us for a page).  Under
 * ThreadSanitizer every copy takes the slow path: TSan wraps signal handlers and defers their
 * delivery, so a longjmp out of one would leave its bookkeeping behind.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/uaccess.h>


#ifdef __SANITIZE_THREAD__
#define UACCESS_FAST	0
#else
#define UACCESS_FAST	1
#endif

static __thread sigjmp_buf *uaccess_jmp;
static struct sigaction old_segv, old_bus;
static pthread_once_t uaccess_once = PTHREAD_ONCE_INIT;
static bool uaccess_handler_ok;

static void uaccess_fault(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_bus;

	if (uaccess_jmp)
		siglongjmp(*uaccess_jmp, 1);
	/* Not a user copy: let the previous disposition have it (the access re-faults). */
	sigaction(sig, old, NULL);
}

static void uaccess_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = uaccess_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	uaccess_handler_ok = !sigaction(SIGSEGV, &sa, &old_segv) &&
			     !sigaction(SIGBUS, &sa, &old_bus);
}

/*
 * Is our handler still the one installed?  Asking costs two system calls, so the answer is
 * re-checked every UACCESS_RECHECK fast copies (and on the first).
 */
#define UACCESS_RECHECK	64

static bool uaccess_fast_ok(void)
{
	static __thread unsigned int until_check;
	static __thread bool ok;
	struct sigaction cur;

	pthread_once(&uaccess_once, uaccess_install);
	if (until_check--)
		return ok;
	until_check = UACCESS_RECHECK - 1;
	ok = uaccess_handler_ok && !sigaction(SIGSEGV, NULL, &cur) &&
	     cur.sa_sigaction == uaccess_fault && !sigaction(SIGBUS, NULL, &cur) &&
	     cur.sa_sigaction == uaccess_fault;
	return ok;
}

/*
 * rep movsb: as fast as memcpy on CPUs with ERMS, and no sanitizer interceptor between us and
 * the fault (the copy must fault here, inside the window the handler knows about).
 */
__attribute__((no_sanitize("address"), noinline))
static void uaccess_copy(void *to, const void *from, unsigned long n)
{
	asm volatile("rep movsb" : "+D"(to), "+S"(from), "+c"(n) : : "memory");
}

/* Returns 0, or 1 if the copy faulted (then nothing is known to have been copied). */
static int uaccess_fast(void *to, const void *from, unsigned long n)
{
	sigjmp_buf jb;

	if (sigsetjmp(jb, 0)) {
		uaccess_jmp = NULL;
		return 1;
	}
	uaccess_jmp = &jb;
	uaccess_copy(to, from, n);
	uaccess_jmp = NULL;
	return 0;
}

static unsigned long host_copy(void *local, void *remote, unsigned long n, bool to_remote)
{
	struct iovec l = { .iov_base = local, .iov_len = n };
	struct iovec r = { .iov_base = remote, .iov_len = n };
	ssize_t done;

	if (!n)
		return 0;
	if (!access_ok(remote, n))
		return n;
	if (UACCESS_FAST && uaccess_fast_ok()) {
		int faulted = to_remote ? uaccess_fast(remote, local, n) :
					  uaccess_fast(local, remote, n);

		return faulted ? n : 0;
	}
	done = to_remote ? process_vm_writev(getpid(), &l, 1, &r, 1, 0)
			 : process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	return done < 0 ? n : n - (unsigned long)done;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	return host_copy(to, (void *)from, n, false);
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return host_copy((void *)from, to, n, true);
}
