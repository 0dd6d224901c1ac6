#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the hand-made seeds of the fuzz corpus: whole flows the fuzzer would take long to
find (an SNP launch, a TD build, conversions after faults) and the regressions of issue 21's
findings.  Each is a program in kvm_coco_fuzz.c's encoding; the fuzzer grows the rest.

    tools/testing/fuzz/seeds.py tools/testing/fuzz/corpus
"""
import os
import struct
import sys

(VM_CREATE, VCPU_CREATE, GMEM_CREATE, MEMSLOT, ATTRIBUTES, PUNCH, SNP, TDX, RUN, DIRTY_LOG,
 CLOSE, RAW_IOCTL, FAIL) = range(13)
SW_PROTECTED, SNP_VM, TDX_VM = 1, 4, 5
FLAG_GMEM, FLAG_NONE, FLAG_DIRTY, FLAG_GMEM_DIRTY, FLAG_RO = range(5)
SEV_INIT2, SNP_START, SNP_UPDATE, SNP_FINISH = range(4)
TDX_INIT_VM, TDX_INIT_VCPU, TDX_INIT_MEM, TDX_FINALIZE = range(4)
NPF, ACCESS, VMMCALL, VMGEXIT, TDVMCALL = range(5)


def b(*v):
    return bytes(v)


def pages(n):
    """take_pages(): n < 32."""
    return b(n)


def addr(page):
    """take_addr(): a page of the 64-page window."""
    return b(page)


def raw_addr(v):
    """take_addr(): any 64-bit value."""
    return b(0xc0) + struct.pack("<Q", v)


def vm_create(slot, vm_type):
    return b(VM_CREATE, slot, vm_type)


def vcpu_create(vcpu, vm, vcpu_id=0):
    return b(VCPU_CREATE, vcpu, vm, vcpu_id)


def gmem_create(slot, vm, npages):
    return b(GMEM_CREATE, slot, vm) + pages(npages) + b(0)


def memslot(vm, slot, flags, gpa_page, npages, gmem, offset=addr(0)):
    return (b(MEMSLOT, vm, slot, flags) + addr(gpa_page) + addr(npages) + b(gmem) + offset +
            b(0, 0))


def attributes(vm, page, npages, private):
    return b(ATTRIBUTES, vm) + addr(page) + addr(npages) + b(1 if private else 0)


def punch(gmem, page, npages):
    return b(PUNCH, gmem, 0) + addr(page) + addr(npages)


def sev_init2(vm):
    return b(SNP, vm, SEV_INIT2, 0, 0)


def snp_start(vm):
    return b(SNP, vm, SNP_START, 0, 0)


def snp_update(vm, page, npages, page_type=1):
    return b(SNP, vm, SNP_UPDATE, 0) + pages(npages) + addr(page) + b(page_type, 0, 0)


def snp_finish(vm):
    return b(SNP, vm, SNP_FINISH, 0, 0, 0)


def tdx_init_vm(vm):
    return b(TDX, TDX_INIT_VM, vm, 1, 0, 0)


def tdx_init_vcpu(vcpu):
    return b(TDX, TDX_INIT_VCPU, vcpu) + struct.pack("<Q", 0x1234) + b(0)


def tdx_init_mem(vcpu, page, npages, measure=True):
    return (b(TDX, TDX_INIT_MEM) + pages(npages) + addr(page) + b(0, vcpu) +
            b(1 if measure else 0, 0))


def tdx_finalize(vm):
    return b(TDX, TDX_FINALIZE, vm, 0)


def run(vcpu, vm, event, answers=b(1) * 4):
    """KVM_RUN after @event, each exit answered with a conversion (and a hypercall result
    of 0)."""
    return b(RUN, vcpu, vm) + event + answers


def access(page, write=False, private=False):
    return b(ACCESS) + addr(page) + b((1 if write else 0) | (4 if private else 0))


def vmmcall_map(page, npages, private):
    return b(VMMCALL) + addr(page) + pages(npages) + b(1 if private else 0)


def psc(page, private):
    return b(VMGEXIT) + addr(page) + b(1 if private else 2)


def map_gpa(page, npages, shared):
    return b(TDVMCALL) + addr(page) + b(1 if shared else 0) + addr(npages)


def fail(kind, nth):
    return b(FAIL, kind, nth - 1)


def close(kind, slot):
    return b(CLOSE, kind, slot)


SEEDS = {
    # A software-protected VM: faults both ways, conversions by hypercall, a punch.
    "seed-sw-protected-conversions":
        vm_create(0, SW_PROTECTED) + gmem_create(0, 0, 16) +
        memslot(0, 0, FLAG_GMEM, 0, 16, 0) + vcpu_create(0, 0) +
        attributes(0, 0, 8, True) + run(0, 0, access(1, write=True)) +
        run(0, 0, access(9, write=True)) + run(0, 0, vmmcall_map(2, 4, False)) +
        run(0, 0, access(2)) + punch(0, 0, 4) + b(DIRTY_LOG, 0, 0, 0, 0) +
        run(0, 0, vmmcall_map(0, 16, True)),
    # An SNP launch, then the guest's page-state changes.
    "seed-snp-launch":
        vm_create(0, SNP_VM) + gmem_create(0, 0, 16) +
        memslot(0, 0, FLAG_GMEM, 0, 16, 0) + attributes(0, 0, 16, True) + sev_init2(0) +
        vcpu_create(0, 0) + snp_start(0) + snp_update(0, 0, 4) + snp_update(0, 4, 1, 3) +
        snp_finish(0) + run(0, 0, access(8, write=True, private=True)) +
        run(0, 0, psc(5, False)) + run(0, 0, access(5)) + run(0, 0, psc(5, True)),
    # A TD build: INIT_VM, a vCPU, measured pages, FINALIZE, then MapGPA both ways.
    "seed-td-build":
        vm_create(0, TDX_VM) + gmem_create(0, 0, 16) +
        memslot(0, 0, FLAG_GMEM, 0, 16, 0) + attributes(0, 0, 16, True) + tdx_init_vm(0) +
        vcpu_create(0, 0) + tdx_init_vcpu(0) + tdx_init_mem(0, 0, 4) + tdx_finalize(0) +
        run(0, 0, access(6, write=True)) + run(0, 0, map_gpa(6, 2, True)) +
        run(0, 0, map_gpa(6, 2, False)),
    # Issue 21: a memslot past the end of its guest_memfd by a wrapping offset (EINVAL).
    "regress-memslot-offset-overflow":
        vm_create(0, SW_PROTECTED) + gmem_create(0, 0, 1) +
        memslot(0, 0, FLAG_GMEM, 0, 16, 0, raw_addr(0x7ffffffffffff000)) +
        vcpu_create(0, 0) + attributes(0, 0, 16, True) + run(0, 0, access(5, write=True)),
    # Issue 21: an allocation failure while tracking a TD page, then teardown.
    "regress-td-alloc-failure":
        vm_create(0, TDX_VM) + gmem_create(0, 0, 16) +
        memslot(0, 0, FLAG_GMEM, 0, 16, 0) + attributes(0, 0, 16, True) + tdx_init_vm(0) +
        vcpu_create(0, 0) + tdx_init_vcpu(0) + fail(0, 1) + tdx_init_mem(0, 0, 4) +
        fail(0, 2) + tdx_init_mem(0, 4, 4),
    # Issue 21: the memslot re-created at another gpa over the same guest_memfd offset.
    "regress-snp-memslot-moved":
        vm_create(0, SNP_VM) + gmem_create(0, 0, 16) +
        memslot(0, 0, FLAG_GMEM, 0, 16, 0) + attributes(0, 0, 16, True) + sev_init2(0) +
        vcpu_create(0, 0) + snp_start(0) + snp_finish(0) +
        run(0, 0, access(0, write=True, private=True)) +
        memslot(0, 0, FLAG_GMEM, 0, 0, 0) + memslot(0, 0, FLAG_GMEM, 32, 16, 0) +
        attributes(0, 32, 16, True) + run(0, 0, access(32, write=True, private=True)),
    # Issue 21: the nested-page-table store fails after TDH.MEM.PAGE.AUG, then a conversion.
    "regress-td-aug-then-alloc-failure":
        vm_create(0, TDX_VM) + gmem_create(0, 0, 16) +
        memslot(0, 0, FLAG_GMEM, 0, 16, 0) + attributes(0, 0, 16, True) + tdx_init_vm(0) +
        vcpu_create(0, 0) + tdx_init_vcpu(0) + tdx_finalize(0) + fail(0, 1) +
        run(0, 0, access(3, write=True)) + fail(0, 2) + run(0, 0, access(4, write=True)) +
        attributes(0, 3, 2, False) + run(0, 0, access(3)),
    # Teardown in the reverse order: the VM closed first, its vCPU and guest_memfd after.
    "seed-close-vm-first":
        vm_create(1, SNP_VM) + gmem_create(2, 1, 4) + memslot(1, 0, FLAG_GMEM, 0, 4, 2) +
        attributes(1, 0, 4, True) + sev_init2(1) + vcpu_create(3, 1) + snp_start(1) +
        snp_update(1, 0, 2) + close(0, 1) + run(3, 1, access(0, private=True)) +
        close(2, 2),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
