/* SPDX-License-Identifier: GPL-2.0 */
/* TD helpers for selftests. */
#ifndef SELFTEST_KVM_TDX_H
#define SELFTEST_KVM_TDX_H

#include <linux/kvm_coco.h>

#include "kvm_util.h"

#define SHARED_BIT	(1ull << 47)		/* GPAW 48: what tdx_init_vm() asks for */

struct td {
	int vm, gmem, vcpu;
};

/* The module's PAMT invariants: every page owned once, every owner alive. */
void check_pamt(void);
int tdx_cmd(int fd, uint32_t id, uint32_t flags, uint64_t data, uint64_t *hw_error);
/* INIT_VM with @nent CPUID entries (the first says MAXPHYADDR 46); @over replaces defaults. */
int tdx_init_vm(int vm, struct kvm_tdx_init_vm *over, uint32_t nent);
/* The same with these CPUID entries (at most 4), and the module's status in *@hw_error. */
int __tdx_init_vm(int vm, const struct kvm_tdx_init_vm *over,
		  const struct kvm_cpuid_entry2 *e, uint32_t nent, uint64_t *hw_error);
/* A TD after INIT_VM with @mem bytes of private memory at gpa 0 and one initialised vCPU. */
void td_create(uint64_t mem, struct td *t);
void td_destroy(struct td *t);

#endif
