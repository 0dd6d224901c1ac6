// SPDX-License-Identifier: GPL-2.0
#include <sys/mman.h>

#include "sev.h"
#include "kvm-coco-test.h"

void check_rmp(void)
{
	char why[256];

	INSPECT(TEST_ASSERT(!host_snp_rmp_check(why, sizeof(why)), "RMP invariant broken: %s",
			    why));
}

uint64_t gfn_rmp(int vm, uint64_t gfn)
{
	unsigned long long lo = 0;

	return host_snp_rmp_of_gfn(vm, gfn, &lo) ? 0 : lo;
}

uint8_t gfn_vmpl_perms(int vm, uint64_t gfn, unsigned int vmpl, uint64_t *lo)
{
	unsigned long long raw = 0;
	unsigned char perms = 0;

	TEST_ASSERT_EQ(host_snp_rmp_perms_of_gfn(vm, gfn, vmpl, &raw, &perms), 0);
	*lo = raw;
	return perms;
}

void snp_vm_create(struct snp_vm *v, uint64_t mem, int nr_vcpus)
{
	/* Most SNP tests hand in the guest's events themselves. */
	__snp_vm_create(v, mem, nr_vcpus, KVM_COCO_ENGINE_MODEL);
}

void __snp_vm_create(struct snp_vm *v, uint64_t mem, int nr_vcpus, unsigned int engine)
{
	struct kvm_sev_init init = {};
	int i;

	TEST_ASSERT(nr_vcpus <= SNP_MAX_VCPUS, "too many vCPUs");
	memset(v, 0, sizeof(*v));
	v->mem = mem;
	v->sev = kvm_coco_open_sev();
	TEST_ASSERT(v->sev >= 0, "kvm_coco_open_sev: %s", strerror(errno));
	v->vm = vm_create(KVM_X86_SNP_VM);
	vm_set_engine(v->vm, engine);
	v->gmem = vm_create_guest_memfd(v->vm, mem, 0);
	/* A guest that runs its own code has a shared side too. */
	if (engine != KVM_COCO_ENGINE_MODEL)
		v->shared = test_alloc_mem(mem);
	vm_set_user_memory_region2(v->vm, 0, KVM_MEM_GUEST_MEMFD, 0, mem, v->shared, v->gmem, 0);
	vm_mem_set_private(v->vm, 0, mem);
	TEST_ASSERT(!__snp_cmd(v->vm, v->sev, KVM_SEV_INIT2, &init, NULL), "KVM_SEV_INIT2: %s",
		    strerror(errno));
	for (i = 0; i < nr_vcpus; i++)
		v->vcpus[v->nr_vcpus++] = vm_create_vcpu(v->vm, i);
	check_rmp();
}

void snp_vm_destroy(struct snp_vm *v)
{
	int i;

	for (i = 0; i < v->nr_vcpus; i++)
		kvm_close(v->vcpus[i]);
	kvm_close(v->gmem);
	kvm_close(v->vm);
	kvm_close(v->sev);
	if (v->shared)
		munmap(v->shared, v->mem);
	check_rmp();
}

int __snp_cmd(int vm, int sev_fd, uint32_t id, void *data, uint32_t *error)
{
	struct kvm_sev_cmd cmd = { .id = id, .data = (uintptr_t)data, .sev_fd = sev_fd };
	int r = kvm_coco_ioctl(vm, KVM_MEMORY_ENCRYPT_OP, &cmd);
	int e = errno;

	if (error)
		*error = cmd.error;
	errno = e;
	return r;
}

int __snp_launch_start(struct snp_vm *v, uint64_t policy, uint32_t *error)
{
	struct kvm_sev_snp_launch_start s = { .policy = policy };

	return __snp_cmd(v->vm, v->sev, KVM_SEV_SNP_LAUNCH_START, &s, error);
}

void snp_launch_start(struct snp_vm *v)
{
	uint32_t error = 0;

	TEST_ASSERT(!__snp_launch_start(v, SNP_POLICY_DEFAULT, &error),
		    "LAUNCH_START: %s, firmware %#x", strerror(errno), error);
	check_rmp();
}

int __snp_launch_update(struct snp_vm *v, struct kvm_sev_snp_launch_update *p,
			uint32_t *error)
{
	return __snp_cmd(v->vm, v->sev, KVM_SEV_SNP_LAUNCH_UPDATE, p, error);
}

void snp_launch_update(struct snp_vm *v, uint64_t gfn, const void *src, uint64_t len,
		       uint8_t type)
{
	struct kvm_sev_snp_launch_update p = {
		.gfn_start = gfn, .uaddr = (uintptr_t)src, .len = len, .type = type,
	};
	uint32_t error = 0;

	while (p.len) {
		uint64_t before = p.len;

		TEST_ASSERT(!__snp_launch_update(v, &p, &error),
			    "LAUNCH_UPDATE(gfn %#lx, type %u): %s, firmware %#x",
			    (unsigned long)p.gfn_start, type, strerror(errno), error);
		TEST_ASSERT(p.len < before, "LAUNCH_UPDATE made no progress");
		check_rmp();
	}
}

int __snp_launch_finish(struct snp_vm *v, struct kvm_sev_snp_launch_finish *p,
			uint32_t *error)
{
	return __snp_cmd(v->vm, v->sev, KVM_SEV_SNP_LAUNCH_FINISH, p, error);
}

void snp_launch_finish(struct snp_vm *v)
{
	struct kvm_sev_snp_launch_finish f = {};
	uint32_t error = 0;

	TEST_ASSERT(!__snp_launch_finish(v, &f, &error), "LAUNCH_FINISH: %s, firmware %#x",
		    strerror(errno), error);
	check_rmp();
}

int __snp_get_digest(int vm, uint8_t digest[48])
{
	struct kvm_coco_snp_launch_digest d = {};
	int r = kvm_coco_ioctl(vm, KVM_COCO_SNP_GET_LAUNCH_DIGEST, &d);

	memcpy(digest, d.digest, 48);
	return r;
}

void snp_get_digest(int vm, uint8_t digest[48])
{
	TEST_ASSERT(!__snp_get_digest(vm, digest), "KVM_COCO_SNP_GET_LAUNCH_DIGEST: %s",
		    strerror(errno));
}

void snp_vm_create_launched(struct snp_vm *v, uint64_t mem, int nr_vcpus)
{
	snp_vm_create(v, mem, nr_vcpus);
	snp_launch_start(v);
	snp_launch_finish(v);
}
