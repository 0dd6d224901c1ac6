// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET_STATS_FD on VMs and vCPUs, in the KVM API's binary format: the header's offsets
 * (id, descriptors, data, none overlapping), the id string ("kvm-<pid>", "kvm-<pid>/vcpu-<id>"),
 * the descriptors (names, types, one u64 each), reads at any offset and length giving the same
 * bytes as one read of the whole file, the file position of read(2), the errors (write,
 * a negative offset), and that the file keeps the VM alive.  The counters count: a guest's
 * port I/O and hypercalls, its page faults and the translations they leave, a conversion's
 * TLB shootdown.
 */
#include <unistd.h>

#include <linux/kvm_para.h>

#include "guest.h"

#define NAME_SIZE	48

struct stats {
	struct kvm_stats_header h;
	uint8_t *file;		/* the whole file */
	size_t size;
};

static void stats_read(int fd, struct stats *s)
{
	uint8_t buf[4096];
	ssize_t n;

	n = kvm_coco_pread(fd, buf, sizeof(buf), 0);
	TEST_ASSERT(n > (ssize_t)sizeof(s->h) && n < (ssize_t)sizeof(buf), "pread: %zd", n);
	memcpy(&s->h, buf, sizeof(s->h));
	free(s->file);
	s->file = malloc(n);
	TEST_ASSERT(s->file, "malloc");
	memcpy(s->file, buf, n);
	s->size = n;
}

static struct kvm_stats_desc *desc(struct stats *s, unsigned int i)
{
	size_t size = sizeof(struct kvm_stats_desc) + NAME_SIZE;

	return (void *)(s->file + s->h.desc_offset + i * size);
}

/* The value of the statistic @name, read afresh. */
static uint64_t stat(int fd, const char *name)
{
	struct stats s = {};
	uint64_t v;
	unsigned int i;

	stats_read(fd, &s);
	for (i = 0; i < s.h.num_desc; i++) {
		if (strcmp(desc(&s, i)->name, name))
			continue;
		memcpy(&v, s.file + s.h.data_offset + desc(&s, i)->offset, sizeof(v));
		free(s.file);
		return v;
	}
	TEST_ASSERT(0, "no statistic %s", name);
	return 0;
}

static void check_layout(int fd, const char *id, const char *const *names, unsigned int nr)
{
	struct stats s = {};
	unsigned int i;

	stats_read(fd, &s);
	TEST_ASSERT_EQ(s.h.flags, 0);
	TEST_ASSERT_EQ(s.h.name_size, NAME_SIZE);
	TEST_ASSERT_EQ(s.h.num_desc, nr);
	TEST_ASSERT_EQ(s.h.id_offset, sizeof(s.h));
	TEST_ASSERT(s.h.desc_offset >= s.h.id_offset + NAME_SIZE, "id and descriptors overlap");
	TEST_ASSERT_EQ(s.h.data_offset, s.h.desc_offset +
		       nr * (sizeof(struct kvm_stats_desc) + NAME_SIZE));
	TEST_ASSERT_EQ(s.size, s.h.data_offset + nr * sizeof(uint64_t));
	TEST_ASSERT(!strcmp((char *)s.file + s.h.id_offset, id), "id %s, want %s",
		    (char *)s.file + s.h.id_offset, id);
	for (i = 0; i < nr; i++) {
		TEST_ASSERT(!strcmp(desc(&s, i)->name, names[i]), "descriptor %u: %s, want %s", i,
			    desc(&s, i)->name, names[i]);
		TEST_ASSERT((desc(&s, i)->flags & KVM_STATS_TYPE_MASK) <= KVM_STATS_TYPE_INSTANT,
			    "%s: flags %#x", names[i], desc(&s, i)->flags);
		TEST_ASSERT_EQ(desc(&s, i)->size, 1);
		TEST_ASSERT_EQ(desc(&s, i)->offset, i * sizeof(uint64_t));
		TEST_ASSERT_EQ(desc(&s, i)->bucket_size, 0);
		TEST_ASSERT_EQ(desc(&s, i)->exponent, 0);
	}
	free(s.file);
}

static const char *const vm_stats[] = { "remote_tlb_flush", "pages_4k" };
static const char *const vcpu_stats[] = {
	"exits", "io_exits", "mmio_exits", "halt_exits", "signal_exits", "hypercalls", "pf_taken",
};

static void test_layout(void)
{
	int vm = vm_create(KVM_X86_SW_PROTECTED_VM), vcpu = vm_create_vcpu(vm, 7);
	int kvm = kvm_open(), vm_stats_fd, vcpu_stats_fd;
	char id[64];

	TEST_ASSERT_EQ(kvm_coco_ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD), 1);
	vm_stats_fd = kvm_coco_ioctl(vm, KVM_GET_STATS_FD, 0);
	vcpu_stats_fd = kvm_coco_ioctl(vcpu, KVM_GET_STATS_FD, 0);
	TEST_ASSERT(vm_stats_fd >= 0 && vcpu_stats_fd >= 0, "KVM_GET_STATS_FD: errno %d", errno);
	snprintf(id, sizeof(id), "kvm-%d", getpid());
	check_layout(vm_stats_fd, id, vm_stats, 2);
	snprintf(id, sizeof(id), "kvm-%d/vcpu-7", getpid());
	check_layout(vcpu_stats_fd, id, vcpu_stats, 7);
	TEST_ASSERT_EQ(stat(vcpu_stats_fd, "exits"), 0);
	TEST_ASSERT_EQ(stat(vm_stats_fd, "pages_4k"), 0);
	TEST_ASSERT_ERRNO(kvm_coco_ioctl(kvm, KVM_GET_STATS_FD, 0), ENOTTY);
	kvm_close(vm_stats_fd);
	kvm_close(vcpu_stats_fd);
	kvm_close(vcpu);
	kvm_close(vm);
	kvm_close(kvm);
}

/* Any offset and length reads the same bytes as the whole file; read(2) moves along it. */
static void test_reads(void)
{
	int vm = vm_create(KVM_X86_DEFAULT_VM), fd = kvm_coco_ioctl(vm, KVM_GET_STATS_FD, 0);
	struct stats s = {};
	uint8_t buf[512];
	size_t off, len;
	ssize_t n;

	stats_read(fd, &s);
	for (off = 0; off <= s.size + 8; off += 5) {
		for (len = 1; len < 40; len += 13) {
			memset(buf, 0xa5, sizeof(buf));
			n = kvm_coco_pread(fd, buf, len, off);
			if (off >= s.size) {
				TEST_ASSERT_EQ(n, 0);
				continue;
			}
			TEST_ASSERT_EQ(n, (ssize_t)(len < s.size - off ? len : s.size - off));
			TEST_ASSERT(!memcmp(buf, s.file + off, n), "bytes %zu+%zu differ", off,
				    len);
			TEST_ASSERT_EQ(buf[n], 0xa5);
		}
	}
	/* read(2): from the file position, which it advances. */
	TEST_ASSERT_EQ(kvm_coco_read(fd, buf, 10), 10);
	TEST_ASSERT_EQ(kvm_coco_read(fd, buf + 10, 20), 20);
	TEST_ASSERT(!memcmp(buf, s.file, 30), "read(2) runs along the file");
	TEST_ASSERT_ERRNO(kvm_coco_write(fd, buf, 8), EBADF);
	TEST_ASSERT_ERRNO(kvm_coco_pread(fd, buf, 8, -1), EINVAL);
	TEST_ASSERT_ERRNO(kvm_coco_pread(fd, test_mem_at_end(4), 8, 0), EFAULT);
	/* The file keeps the VM: its statistics still read once the VM's fd is gone. */
	kvm_close(vm);
	TEST_ASSERT_EQ(kvm_coco_pread(fd, buf, 8, 0), 8);
	kvm_close(fd);
	free(s.file);
}

static GUEST_CODE void guest_counts(unsigned int id)
{
	volatile uint64_t *p = (volatile uint64_t *)GUEST_DATA_GPA;

	*p = 1;
	kvm_hypercall(KVM_HC_MAP_GPA_RANGE, GUEST_DATA_GPA, 1, KVM_MAP_GPA_RANGE_ENCRYPTED);
	GUEST_SYNC(1);
	GUEST_DONE();
}

static void test_counters(void)
{
	struct kvm_enable_cap hc = { .cap = KVM_CAP_EXIT_HYPERCALL,
				     .args = { 1ull << KVM_HC_MAP_GPA_RANGE } };
	int vm_fd, vcpu_fd;
	uint64_t flushes, pages;
	struct guest_vcpu v;
	struct guest_vm g;
	struct ucall uc;

	if (!have_guest_code())
		return test_skip("no TCG engine in this host");
	guest_vm_create(&g, KVM_X86_SW_PROTECTED_VM);
	TEST_ASSERT_EQ(kvm_coco_ioctl(g.vm, KVM_ENABLE_CAP, &hc), 0);
	guest_vcpu_add(&g, &v, 0, guest_counts);
	vm_fd = kvm_coco_ioctl(g.vm, KVM_GET_STATS_FD, 0);
	vcpu_fd = kvm_coco_ioctl(v.fd, KVM_GET_STATS_FD, 0);

	/* The guest's first instructions fault its code, stack and data in. */
	vcpu_run(&v);
	TEST_ASSERT_EQ(v.run->exit_reason, KVM_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(stat(vcpu_fd, "hypercalls"), 1);
	TEST_ASSERT(stat(vcpu_fd, "pf_taken") >= 3, "pf_taken %lu",
		    (unsigned long)stat(vcpu_fd, "pf_taken"));
	pages = stat(vm_fd, "pages_4k");
	TEST_ASSERT(pages >= 3 && pages <= stat(vcpu_fd, "pf_taken"), "pages_4k %lu",
		    (unsigned long)pages);
	TEST_ASSERT_EQ(stat(vcpu_fd, "io_exits"), 0);

	/* The conversion takes the data page's translation away: one fewer, one shootdown. */
	flushes = stat(vm_fd, "remote_tlb_flush");
	vm_set_memory_attributes(g.vm, GUEST_DATA_GPA, PAGE_SIZE, KVM_MEMORY_ATTRIBUTE_PRIVATE);
	v.run->hypercall.ret = 0;
	TEST_ASSERT_EQ(stat(vm_fd, "pages_4k"), pages - 1);
	TEST_ASSERT(stat(vm_fd, "remote_tlb_flush") > flushes, "no shootdown counted");

	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_SYNC);
	TEST_ASSERT_EQ(stat(vcpu_fd, "io_exits"), 1);
	vcpu_run(&v);
	assert_ucall(&g, &v, &uc, UCALL_DONE);
	TEST_ASSERT_EQ(stat(vcpu_fd, "io_exits"), 2);
	TEST_ASSERT(stat(vcpu_fd, "exits") >= 3, "exits");
	TEST_ASSERT_EQ(stat(vcpu_fd, "halt_exits"), 0);
	TEST_ASSERT_EQ(stat(vcpu_fd, "mmio_exits"), 0);
	kvm_close(vm_fd);
	kvm_close(vcpu_fd);
	guest_vcpu_destroy(&v);
	guest_vm_destroy(&g);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_layout),
		KSFT_TEST(test_reads),
		KSFT_TEST(test_counters),
	};

	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
