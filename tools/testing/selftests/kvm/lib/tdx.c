// SPDX-License-Identifier: GPL-2.0
#include "tdx.h"
#include "kvm-coco-test.h"

void check_pamt(void)
{
	char why[256];

	INSPECT(TEST_ASSERT(!host_tdx_pamt_check(why, sizeof(why)), "PAMT: %s", why));
}

int tdx_cmd(int fd, uint32_t id, uint32_t flags, uint64_t data, uint64_t *hw_error)
{
	struct kvm_tdx_cmd cmd = { .id = id, .flags = flags, .data = data };
	int r = kvm_coco_ioctl(fd, KVM_MEMORY_ENCRYPT_OP, &cmd);

	if (hw_error)
		*hw_error = cmd.hw_error;
	return r;
}

int __tdx_init_vm(int vm, const struct kvm_tdx_init_vm *over,
		  const struct kvm_cpuid_entry2 *e, uint32_t nent, uint64_t *hw_error)
{
	static struct {
		struct kvm_tdx_init_vm p;
		struct kvm_cpuid_entry2 e[4];
	} a;

	memset(&a, 0, sizeof(a));
	a.p.xfam = 0x3;
	if (over)
		a.p = *over;
	a.p.cpuid.nent = nent;
	memcpy(a.e, e, (nent < 4 ? nent : 4) * sizeof(*e));
	return tdx_cmd(vm, KVM_TDX_INIT_VM, 0, (uintptr_t)&a, hw_error);
}

int tdx_init_vm(int vm, struct kvm_tdx_init_vm *over, uint32_t nent)
{
	static const struct kvm_cpuid_entry2 e[4] = {
		{ .function = 0x80000008, .eax = 46 },
	};

	return __tdx_init_vm(vm, over, e, nent, NULL);
}

void td_create(uint64_t mem, struct td *t)
{
	/* The TCG engine runs no TD yet: its tests hand in the guest's events. */
	t->vm = vm_create_model(KVM_X86_TDX_VM);
	t->gmem = vm_create_guest_memfd(t->vm, mem, 0);
	vm_set_user_memory_region2(t->vm, 0, KVM_MEM_GUEST_MEMFD, 0, mem, NULL, t->gmem, 0);
	vm_mem_set_private(t->vm, 0, mem);
	TEST_ASSERT_EQ(tdx_init_vm(t->vm, NULL, 1), 0);
	t->vcpu = vm_create_vcpu(t->vm, 0);
	TEST_ASSERT_EQ(tdx_cmd(t->vcpu, KVM_TDX_INIT_VCPU, 0, 0x1234, NULL), 0);
}

void td_destroy(struct td *t)
{
	kvm_close(t->vcpu);
	kvm_close(t->vm);
	kvm_close(t->gmem);
	check_pamt();
}
