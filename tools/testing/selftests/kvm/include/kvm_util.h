/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Selftest wrappers over the kvm_coco_* front door, two tiers per ioctl: __name() returns the
 * raw result (-1 and errno) for negative tests, name() asserts success so a test reads as a
 * story.
 */
#ifndef SELFTEST_KVM_UTIL_H
#define SELFTEST_KVM_UTIL_H

#include <pthread.h>
#include <linux/falloc.h>
#include <kvm-coco.h>

#include "test_util.h"

#define PAGE_SIZE	4096ul


int kvm_open(void);
int kvm_check_cap(long cap);

int __vm_create(unsigned long type);
int vm_create(unsigned long type);
int vm_check_cap(int vm, long cap);
/* 64-bit mode at CPL 0 with 4-level paging from @cr3 (KVM_SET_SREGS). */
void vcpu_set_long_mode(int vcpu, uint64_t cr3);
void vcpu_set_descriptor_tables(int vcpu, uint64_t gdt, uint16_t gdt_limit, uint64_t idt,
				uint16_t idt_limit);
/* The vCPU engine (KVM_CAP_COCO_ENGINE), before the first vCPU. */
void vm_set_engine(int vm, unsigned int engine);
/* A VM on the model engine: its tests hand in the guest's events (KVM_COCO_VCPU_INJECT_*). */
int vm_create_model(unsigned long type);

int __vm_create_vcpu(int vm, unsigned long id);
int vm_create_vcpu(int vm, unsigned long id);

int __vm_set_user_memory_region(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
				uint64_t size, void *hva);
int __vm_set_user_memory_region2(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
				 uint64_t size, void *hva, uint32_t gmem_fd, uint64_t gmem_off);
void vm_set_user_memory_region2(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
				uint64_t size, void *hva, uint32_t gmem_fd, uint64_t gmem_off);

int __vm_create_guest_memfd(int vm, uint64_t size, uint64_t flags);
int vm_create_guest_memfd(int vm, uint64_t size, uint64_t flags);
int __gmem_fallocate(int gmem, int mode, uint64_t offset, uint64_t len);
void gmem_fallocate(int gmem, int mode, uint64_t offset, uint64_t len);

int __vm_set_memory_attributes(int vm, uint64_t gpa, uint64_t size, uint64_t attributes);
void vm_set_memory_attributes(int vm, uint64_t gpa, uint64_t size, uint64_t attributes);

static inline void vm_mem_set_private(int vm, uint64_t gpa, uint64_t size)
{
	vm_set_memory_attributes(vm, gpa, size, KVM_MEMORY_ATTRIBUTE_PRIVATE);
}

static inline void vm_mem_set_shared(int vm, uint64_t gpa, uint64_t size)
{
	vm_set_memory_attributes(vm, gpa, size, 0);
}

void kvm_close(int fd);

/* Every live object (file, allocation, page, vmalloc) back to @base, and no WARN fired. */
struct host_counters;
void assert_nothing_leaked(const struct host_counters *base);

/* A thread punching [offset, offset + len) of a guest_memfd over and over, to race with. */
struct gmem_puncher {
	pthread_t thread;
	int gmem;
	uint64_t offset, len;
	bool stop;			/* atomic */
	unsigned long punches;		/* atomic: read once the thread runs */
};

/* Returns once the thread has punched once: it is running when the caller goes on. */
void gmem_puncher_start(struct gmem_puncher *p, int gmem, uint64_t len);
void __gmem_puncher_start(struct gmem_puncher *p, int gmem, uint64_t offset, uint64_t len);
void gmem_puncher_stop(struct gmem_puncher *p);

/* Anonymous memory for a memslot's userspace side. */
void *test_alloc_mem(size_t size);
/* @n readable bytes followed by an unmapped page: a struct that runs off the end faults. */
void *test_mem_at_end(size_t n);

#endif
