// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TCG vCPU engine (library host): the guest's own x86-64 instructions on Unicorn 2.1.
 *
 * Unicorn runs with a virtual TLB (UC_TLB_VIRTUAL): every TLB miss comes to tcg_tlb_fill(),
 * which walks the guest's page tables itself, reading each entry through the nested page
 * table KVM's fault path filled (kvm->arch.npt), as the hardware's two-dimensional walk does.
 * A gpa with no translation of the right kind stops the guest with the NPF the hardware would
 * report.  A translation names the host page itself (TCG_HOST plus its address: a private and
 * a shared page of one gfn are different pages), so nothing is remapped when KVM zaps or
 * write-protects a translation (kvm->arch.npt_gen): the TLB is emptied, and the code Unicorn
 * translated from a page that went.
 *
 * Instructions that need the hypervisor (IN/OUT, HLT, VMMCALL) are stopped before they run by
 * a code hook (Unicorn's instruction hooks fire after the instruction, too late for IN), and
 * returned as exits; KVM carries them out.  An exception the guest raises (Unicorn's, or one
 * the engine raises: #PF and #VC from its page walk, #UD, #VC) goes to the guest's IDT
 * (tcg_event.c).
 *
 * A zap on another thread is a TLB shootdown (tcg_flush_remote_tlbs()): it kicks every vCPU of
 * the VM that is inside the guest and waits until each has dropped its mappings, so a page a
 * conversion or punch takes away is never touched again through a stale one.
 *
 * A VMM takes a running vCPU back as it does from upstream KVM: it sets run->immediate_exit
 * (a watcher thread notices within a millisecond and kicks the vCPU, whose KVM_RUN then fails
 * with EINTR), or sends a signal KVM_SET_SIGNAL_MASK lets through (the code hook looks for one
 * every TCG_SIGNAL_CHECK instructions).
 *
 * SNP guests (kvm->arch.hw.rmp): instruction fetches and page-table reads are private, as on
 * silicon; a private access needs the page validated in the RMP (else #VC); PVALIDATE and
 * RMPADJUST run the platform model's instructions; RDMSR/WRMSR of SEV_STATUS and the GHCB MSR
 * are the CPU's; VMGEXIT exits (KVM reads the GHCB MSR, or the GHCB page it names).  An
 * SEV-ES/SNP guest's port I/O and other MSRs are #VC, as the hardware intercepts them.
 *
 * TDs (kvm->arch.hw.tdx) start where TDH.VP.INIT leaves them, in 32-bit protected mode with
 * paging off, and enter long mode with their own instructions; TDCALL goes to tcg_tdx.c, and a
 * private access to a page the TD has not accepted is #VE.
 *
 * Real mode and protected mode with paging off run from any state KVM_SET_SREGS gives (the
 * reset state's included): tcg_legacy.c loads their segments.  Not yet: 32-bit and PAE
 * paging, virtual-8086 mode, and event delivery outside long mode (an emulation failure).
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/kvm_host.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/sev.h>
#include <asm/tdx.h>

#include "host_user.h"
#include "tcg.h"

/* Every TCG vCPU, for shootdowns; vCPUs come and go under tcg_lock. */
static LIST_HEAD(tcg_vcpus);
static pthread_mutex_t tcg_lock = PTHREAD_MUTEX_INITIALIZER;
static bool tcg_watcher_started;	/* under tcg_lock */

/* Stop the guest at the current instruction with the exception just raised. */
static void tcg_stop_event(struct tcg_vcpu *t)
{
	t->stopped = true;
	uc_emu_stop(t->uc);
}

static void tcg_stop(struct tcg_vcpu *t, enum kvm_exec_exit_reason reason)
{
	t->exit->reason = reason;
	t->stopped = true;
	uc_emu_stop(t->uc);
}

/* Stop the guest at the current instruction with an exception to deliver. */
static void tcg_stop_raise(struct tcg_vcpu *t, unsigned int vector, u32 error_code)
{
	tcg_raise(t, vector, false, error_code);
	tcg_stop_event(t);
}

static void *tcg_host_page(const struct kvm_npt_entry *e)
{
	if (e->private)
		return page_address(pfn_to_page(e->pfn));
	return (void *)(e->pfn << PAGE_SHIFT);
}

/* tcg_translate() under kvm->arch.mmu_lock. */
void *__tcg_translate(struct tcg_vcpu *t, u64 gpa, bool enc, bool write,
		      struct kvm_npt_entry *e, bool *private)
{
	struct kvm *kvm = t->vcpu->kvm;
	gfn_t gfn;
	int kind = kvm_hw_access_kind(&kvm->arch.hw, gpa, enc, &gfn);

	lockdep_assert_held(&kvm->arch.mmu_lock);
	*e = kvm_npt_lookup(kvm, gfn);
	*private = kind < 0 ? e->private : kind;
	if (!e->present || e->private != *private || (write && !e->writable))
		return NULL;
	return tcg_host_page(e);
}

/* The host page an access to @gpa may use, or NULL (and the translation there, in *e). */
void *tcg_translate(struct tcg_vcpu *t, u64 gpa, bool enc, bool write,
		    struct kvm_npt_entry *e, bool *private)
{
	struct mutex *lock = &t->vcpu->kvm->arch.mmu_lock;
	void *host;

	mutex_lock(lock);
	host = __tcg_translate(t, gpa, enc, write, e, private);
	mutex_unlock(lock);
	return host;
}

/* The NPF the hardware reports for an access the nested page table does not allow. */
void tcg_npf(struct tcg_vcpu *t, u64 gpa, bool enc, u64 pf_err, bool final,
	     const struct kvm_npt_entry *e)
{
	const struct kvm_x86_hw *hw = &t->vcpu->kvm->arch.hw;
	u64 err = pf_err & (PFERR_WRITE_MASK | PFERR_USER_MASK | PFERR_FETCH_MASK);

	if (e->present)
		err |= PFERR_PRESENT_MASK;
	/* On SNP a translation of the other kind is the RMP check failing. */
	if (hw->rmp && e->present && e->private != enc)
		err |= PFERR_GUEST_RMP_MASK;
	if (hw->amd) {
		err |= final ? PFERR_GUEST_FINAL_MASK : PFERR_GUEST_PAGE_MASK;
		if (enc)
			err |= PFERR_GUEST_ENC_MASK;
	}
	t->npf = (struct tcg_npf){ .pending = true, .gpa = gpa, .error_code = err };
}

/* The NPF recorded last is the exit. */
void tcg_take_npf(struct tcg_vcpu *t)
{
	t->exit->reason = KVM_EXEC_EXIT_NPF;
	t->exit->gpa = t->npf.gpa;
	t->exit->error_code = t->npf.error_code;
	t->npf.pending = false;
}

/* SNP: a private page the guest has not validated (PVALIDATE) raises #VC when touched. */
static bool tcg_rmp_unvalidated(struct tcg_vcpu *t, const struct kvm_npt_entry *e)
{
	struct rmpentry r;

	if (!t->vcpu->kvm->arch.hw.rmp || !e->private)
		return false;
	return snp_lookup_rmpentry_raw(e->pfn, &r) || !rmpentry_validated(&r);
}

/* An address as a page-table entry names it: AMD's C-bit is not part of it. */
static u64 tcg_pte_gpa(struct tcg_vcpu *t, u64 pte, bool *enc)
{
	const struct kvm_x86_hw *hw = &t->vcpu->kvm->arch.hw;

	*enc = hw->c_bit && (pte & BIT_ULL(TCG_C_BIT));
	return pte & PTE_ADDR & ~(hw->c_bit ? BIT_ULL(TCG_C_BIT) : 0);
}

/*
 * The paging the guest has on: none (a TD's start: the linear address is the gpa), or
 * 4-level; false for 32-bit and PAE paging, which the engine does not walk.
 */
static bool tcg_paging(struct tcg_vcpu *t, bool *on)
{
	uc_x86_msr efer = { .rid = MSR_EFER };
	u64 cr0;

	uc_reg_read(t->uc, UC_X86_REG_CR0, &cr0);
	*on = cr0 & X86_CR0_PG;
	if (!*on)
		return true;
	uc_reg_read(t->uc, UC_X86_REG_MSR, &efer);
	return efer.value & EFER_LMA;
}

static struct tcg_table *tcg_table_slot(struct tcg_vcpu *t, u64 gpa)
{
	return &t->tables[gpa_to_gfn(gpa) % TCG_TABLES];
}

/*
 * A page-table page the walk read before, as a guest access (its checks passed), whose
 * translation has not gone since (tcg_flush()).
 */
static u64 *tcg_table_cached(struct tcg_vcpu *t, u64 gpa, bool enc)
{
	struct tcg_table *c = tcg_table_slot(t, gpa);

	gpa &= PAGE_MASK;
	return c->host && c->gpa == gpa && c->enc == enc ? c->host : NULL;
}

static void tcg_table_cache(struct tcg_vcpu *t, u64 gpa, bool enc, u64 *host)
{
	*tcg_table_slot(t, gpa) = (struct tcg_table){ .gpa = gpa & PAGE_MASK, .enc = enc,
						      .host = host };
}

/*
 * The guest's walk of @vaddr, each table read through the nested page table (the page-table
 * pages it read last, from the walk's cache).  TCG_WALK_OK
 * with the final gpa; TCG_WALK_PF if an entry is not present; TCG_WALK_OTHER if (@npf_err not
 * 0: the walk is a guest access) a table's page stopped it: the NPF recorded (t->npf), #VC or
 * #VE raised, or the guest stopped for paging the engine does not walk.
 */
static int __tcg_walk(struct tcg_vcpu *t, u64 vaddr, u64 npf_err, u64 *gpa, bool *enc,
		      u64 *pte_bits)
{
	u64 cr3, table, pte = 0, acc = PTE_W | PTE_U;
	struct kvm_npt_entry e;
	bool private, paging;
	int level;
	u64 *pt;

	/* An SEV guest's page tables are always read privately, whatever their C-bits say. */
	bool table_enc = t->vcpu->kvm->arch.hw.c_bit, tenc;

	lockdep_assert_held(&t->vcpu->kvm->arch.mmu_lock);
	if (!tcg_paging(t, &paging)) {
		if (!npf_err)
			return TCG_WALK_PF;
		/* A state the engine cannot run: KVM's emulation failure. */
		tcg_stop(t, KVM_EXEC_EXIT_UNSUPPORTED);
		return TCG_WALK_OTHER;
	}
	if (!paging) {
		*gpa = (u32)vaddr & PAGE_MASK;
		*enc = table_enc;
		*pte_bits = acc;
		return TCG_WALK_OK;
	}
	uc_reg_read(t->uc, UC_X86_REG_CR3, &cr3);
	table = tcg_pte_gpa(t, cr3, enc);
	for (level = 4; level >= 1; level--) {
		unsigned int idx = (vaddr >> (12 + 9 * (level - 1))) & 511;

		tenc = table_enc || *enc;
		pt = tcg_table_cached(t, table, tenc);
		if (pt)
			goto read;
		pt = __tcg_translate(t, table, tenc, false, &e, &private);
		if (!pt) {
			if (!npf_err)
				return TCG_WALK_PF;
			tcg_npf(t, table, tenc, npf_err & PFERR_USER_MASK, false, &e);
			return TCG_WALK_OTHER;
		}
		/* A probe (no @npf_err) checks less than a guest access: it does not cache. */
		if (!npf_err)
			goto read;
		if (tcg_rmp_unvalidated(t, &e)) {
			tcg_raise(t, X86_VC_VECTOR, true, SVM_EXIT_NOT_VALIDATED);
			return TCG_WALK_OTHER;
		}
		if (tcg_tdx_pending(t, vaddr, table, npf_err & PFERR_USER_MASK, false, &e))
			return TCG_WALK_OTHER;
		tcg_table_cache(t, table, tenc, pt);
read:
		pte = READ_ONCE(pt[idx]);
		if (!(pte & PTE_P))
			return TCG_WALK_PF;
		acc &= pte & (PTE_W | PTE_U);
		acc |= pte & PTE_NX;
		table = tcg_pte_gpa(t, pte, enc);
		if (level <= 3 && level >= 2 && (pte & PTE_PS)) {
			u64 mask = BIT_ULL(12 + 9 * (level - 1)) - 1;

			*gpa = (table & ~mask) | (vaddr & mask & PAGE_MASK);
			*pte_bits = acc;
			return TCG_WALK_OK;
		}
	}
	*gpa = table;
	*pte_bits = acc;
	return TCG_WALK_OK;
}

/* One lock for the whole walk: the tables it reads are one snapshot of the NPT. */
int tcg_walk(struct tcg_vcpu *t, u64 vaddr, u64 npf_err, u64 *gpa, bool *enc, u64 *pte_bits)
{
	struct mutex *lock = &t->vcpu->kvm->arch.mmu_lock;
	int r;

	mutex_lock(lock);
	r = __tcg_walk(t, vaddr, npf_err, gpa, enc, pte_bits);
	mutex_unlock(lock);
	return r;
}

/* A page the guest executes from: Unicorn's translated code for it must go with it. */
static void tcg_note_code_page(struct tcg_vcpu *t, u64 gpa, bool private, void *host)
{
	struct tcg_code_page *c;
	size_t i;

	for (i = 0; i < t->nr_code; i++)
		if (t->code[i].host == host)
			return;
	if (t->nr_code == t->max_code) {
		size_t n = t->max_code ? 2 * t->max_code : 16;

		c = realloc(t->code, n * sizeof(*c));
		if (!c) {
			/* Untracked, it cannot be found stale: drop every translation instead. */
			t->code_untracked = true;
			return;
		}
		t->code = c;
		t->max_code = n;
	}
	t->code[t->nr_code++] = (struct tcg_code_page){ .gfn = gpa_to_gfn(gpa),
							.private = private, .host = host };
}

/*
 * The page-level protection the walk gathered in @bits, for an access at the CPU's CPL
 * (@implicit: an event delivery's, always supervisor).  false: a #PF, its error bits added
 * to *@pf_err.
 */
static bool tcg_pte_allows(struct tcg_vcpu *t, u64 bits, uc_mem_type type, bool implicit,
			   u32 *pf_err)
{
	bool user = false;
	u64 cs = 0, cr0;

	if (!implicit && (!(bits & PTE_U) || (type == UC_MEM_WRITE && !(bits & PTE_W)))) {
		uc_reg_read(t->uc, UC_X86_REG_CS, &cs);
		user = (cs & 3) == 3;
	}
	if (user)
		*pf_err |= PFERR_USER_MASK;
	if (user && !(bits & PTE_U))
		return false;
	if (type == UC_MEM_FETCH && (bits & PTE_NX))
		return false;
	if (type == UC_MEM_WRITE && !(bits & PTE_W)) {
		/* A supervisor write to a read-only page faults only under CR0.WP. */
		uc_reg_read(t->uc, UC_X86_REG_CR0, &cr0);
		return !user && !(cr0 & X86_CR0_WP);
	}
	return true;
}

/* 4-level paging's canonical addresses (the engine walks no other; below 4 GiB outside it). */
static bool tcg_canonical(u64 vaddr)
{
	return (u64)((s64)(vaddr << 16) >> 16) == vaddr;
}

/*
 * The guest's access to @vaddr, of @type, as the CPU makes it: the host page, and (@res not
 * NULL) Unicorn's physical address and permissions for the page.  NULL if it cannot be made:
 * a guest exception is raised (t->event), or an NPF for KVM is recorded (t->npf).
 */
static void *__tcg_access(struct tcg_vcpu *t, u64 vaddr, uc_mem_type type, bool implicit,
			  uc_tlb_entry *res)
{
	const struct kvm_x86_hw *hw = &t->vcpu->kvm->arch.hw;
	bool write = type == UC_MEM_WRITE, fetch = type == UC_MEM_FETCH;
	u64 npf_err = PFERR_USER_MASK, gpa, bits;
	u32 pf_err = 0;
	struct kvm_npt_entry e;
	bool enc, private;
	void *host;

	if (!tcg_canonical(vaddr)) {
		tcg_raise(t, X86_GP_VECTOR, true, 0);
		return NULL;
	}
	if (write)
		pf_err |= PFERR_WRITE_MASK;
	if (fetch)
		pf_err |= PFERR_FETCH_MASK;
	npf_err |= pf_err;
	switch (__tcg_walk(t, vaddr, npf_err, &gpa, &enc, &bits)) {
	case TCG_WALK_PF:
		tcg_raise_pf(t, vaddr, pf_err);
		return NULL;
	case TCG_WALK_OTHER:
		return NULL;
	}
	if (!tcg_pte_allows(t, bits, type, implicit, &pf_err)) {
		tcg_raise_pf(t, vaddr, pf_err | PFERR_PRESENT_MASK);
		return NULL;
	}
	/* An SEV guest's instruction fetches are always private. */
	if (fetch && hw->c_bit)
		enc = true;
	host = __tcg_translate(t, gpa, enc, write, &e, &private);
	if (!host) {
		tcg_npf(t, gpa, enc, npf_err, true, &e);
		return NULL;
	}
	if (tcg_rmp_unvalidated(t, &e)) {
		tcg_raise(t, X86_VC_VECTOR, true, SVM_EXIT_NOT_VALIDATED);
		return NULL;
	}
	if (tcg_tdx_pending(t, vaddr, gpa, npf_err, true, &e))
		return NULL;
	t->fill_gpa = gpa & ~hw->shared_mask;
	if (res) {
		res->paddr = TCG_HOST | (uintptr_t)host;
		if (fetch)
			tcg_note_code_page(t, gpa & ~hw->shared_mask, private, host);
		res->perms = UC_PROT_READ;
		if (e.writable && (write || (bits & PTE_W)))
			res->perms |= UC_PROT_WRITE;
		if (!(bits & PTE_NX))
			res->perms |= UC_PROT_EXEC;
	}
	return host;
}

/* One lock for the walk and the access: one snapshot of the nested page table. */
void *tcg_access(struct tcg_vcpu *t, u64 vaddr, uc_mem_type type, bool implicit,
		 uc_tlb_entry *res)
{
	struct mutex *lock = &t->vcpu->kvm->arch.mmu_lock;
	void *host;

	mutex_lock(lock);
	host = __tcg_access(t, vaddr, type, implicit, res);
	mutex_unlock(lock);
	return host;
}

/*
 * The code hook reads each instruction through a small TLB of its own.  An entry lives until
 * Unicorn misses on a fetch from its page (the fill refreshes it) or the engine flushes:
 * whatever empties Unicorn's TLB (a CR3 write, INVLPG) makes the next fetch from a page miss,
 * and a fetch fill comes before the code hook sees any instruction of that page.
 */
void tcg_itlb_flush(struct tcg_vcpu *t)
{
	memset(t->itlb, 0, sizeof(t->itlb));
}

static struct tcg_itlb *tcg_itlb_slot(struct tcg_vcpu *t, u64 vaddr)
{
	return &t->itlb[(vaddr >> PAGE_SHIFT) % TCG_ITLB];
}

static void tcg_itlb_set(struct tcg_vcpu *t, u64 vaddr, void *host)
{
	*tcg_itlb_slot(t, vaddr) = (struct tcg_itlb){ .vpage = vaddr & PAGE_MASK, .host = host };
}

/*
 * A TLB miss.  Unicorn also fills for addresses the guest never touches (its code cache
 * asks about physical addresses), so what a fill finds counts only once an access stops on
 * it.  An access that needs KVM fails the fill: Unicorn caches nothing and stops at the
 * instruction with UC_ERR_EXCEPTION, and the last NPF recorded is the exit.  One that raises
 * an exception goes to an address nothing maps (tcg_unmapped(): the access gives the byte a
 * #PF's CR2 needs), which carries the fault's number.
 */
static bool tcg_tlb_fill(uc_engine *uc, uint64_t vaddr, uc_mem_type type,
			 uc_tlb_entry *result, void *opaque)
{
	struct tcg_vcpu *t = opaque;
	struct tcg_event saved = t->event;
	struct tcg_npf npf = t->npf;
	void *host;

	/* The engine's own instructions (tcg_legacy.c, tcg_tlb.c) and descriptor table. */
	if (unlikely(t->seg_loading || t->stub_entry)) {
		if (type == UC_MEM_FETCH) {
			result->paddr = TCG_HOST | (uintptr_t)t->stub_page;
			result->perms = UC_PROT_EXEC;
		} else {
			result->paddr = TCG_HOST | (uintptr_t)t->seg_page;
			result->perms = UC_PROT_READ | UC_PROT_WRITE;
		}
		return true;
	}
	t->npf.pending = false;
	host = tcg_access(t, vaddr, type, false, result);
	if (type == UC_MEM_FETCH)
		tcg_itlb_set(t, vaddr, host);
	if (host) {
		tcg_tlb_note(t, vaddr, t->fill_gpa);
		t->npf = npf;
		return true;
	}
	if (t->npf.pending && t->mmio.active && tcg_mmio_fill(t, result)) {
		/* No gfn to note: only a full flush takes it out. */
		t->fills_lost = true;
		t->npf = npf;
		return true;
	}
	if (t->npf.pending || t->stopped)
		return false;
	t->npf = npf;
	t->fill_fault = t->event;
	t->fill_fault.seq = ++t->fault_seq;
	t->event = saved;
	result->paddr = TCG_POISON | TCG_FAULT | (u64)t->fault_seq << PAGE_SHIFT;
	result->perms = UC_PROT_ALL;
	return true;
}

/*
 * An access lands on a host page Unicorn has no region for yet: register the TCG_CHUNK of
 * host memory around it (a fill handed out its address, so the page itself is guest memory).
 * Regions stay until the vCPU goes: registering one costs Unicorn a rebuild of its whole
 * physical map, which a conversion per page would pay twice.
 */
static bool tcg_map_chunk(struct tcg_vcpu *t, u64 addr)
{
	u64 chunk = addr & ~(TCG_CHUNK - 1);

	return !uc_mem_map_ptr(t->uc, chunk, TCG_CHUNK, UC_PROT_ALL,
			       (void *)(uintptr_t)(chunk & ~TCG_HOST));
}

static bool tcg_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
			 int64_t value, void *opaque)
{
	struct tcg_vcpu *t = opaque;

	if (addr & TCG_HOST)
		return tcg_map_chunk(t, addr);
	if (unlikely(t->seg_loading))
		return false;
	if (!(addr & TCG_POISON))
		return false;
	/* The poison of a fill that was not this access's: walk again. */
	if (!t->fill_fault.pending || (u16)(addr >> PAGE_SHIFT) != t->fill_fault.seq) {
		t->stale = true;
		return false;
	}
	/* The fill saw the page; the access gives the byte (CR2). */
	t->event = t->fill_fault;
	t->fill_fault.pending = false;
	if (t->event.vector == X86_PF_VECTOR)
		t->event.cr2 |= addr & ~PAGE_MASK;
	return false;
}

/*
 * Whether @gfn's translation went since generation t->npt_gen, as KVM's log of the last
 * generations says (@known: it covers them all; else anything may have gone).
 */
bool tcg_zapped(struct tcg_vcpu *t, gfn_t gfn, bool known)
{
	struct kvm *kvm = t->vcpu->kvm;
	u64 g;

	lockdep_assert_held(&kvm->arch.mmu_lock);
	if (!known)
		return true;
	for (g = t->npt_gen + 1; g <= kvm->arch.npt_gen; g++)
		if (kvm->arch.npt_zapped[g % KVM_NPT_ZAP_LOG] == gfn)
			return true;
	return false;
}

/* Is the code page still the guest's, with the translation it had? (under mmu_lock) */
static bool tcg_code_kept(struct tcg_vcpu *t, const struct tcg_code_page *c, bool known)
{
	struct kvm_npt_entry e;

	if (known)
		return !tcg_zapped(t, c->gfn, true);
	e = kvm_npt_lookup(t->vcpu->kvm, c->gfn);
	return e.present && e.private == c->private && tcg_host_page(&e) == c->host;
}

/*
 * The nested page table changed (or @all: something the TLB must not keep): drop the cached
 * translations that went (tcg_tlb.c; all of them if it cannot tell), the walk's page-table
 * pages that went, and Unicorn's translated code if a page it came from is no longer the
 * guest's there.
 */
static void tcg_flush(struct tcg_vcpu *t, bool all)
{
	const gfn_t shared = gpa_to_gfn(t->vcpu->kvm->arch.hw.shared_mask);
	struct kvm *kvm = t->vcpu->kvm;
	bool stale_code = t->code_untracked, known, tables_went = false, targeted;
	struct tcg_table *c;
	size_t i, kept = 0;

	tcg_itlb_flush(t);
	mutex_lock(&kvm->arch.mmu_lock);
	known = !all && kvm->arch.npt_gen - t->npt_gen <= KVM_NPT_ZAP_LOG;
	for (i = 0; i < t->nr_code; i++) {
		if (tcg_code_kept(t, &t->code[i], known))
			t->code[kept++] = t->code[i];
		else
			stale_code = true;
	}
	for (c = t->tables; c < t->tables + TCG_TABLES; c++) {
		if (c->host && tcg_zapped(t, gpa_to_gfn(c->gpa) & ~shared, known)) {
			c->host = NULL;
			tables_went = true;
		}
	}
	/* A page-table page that went may have changed any translation. */
	targeted = tcg_tlb_zapped(t, known && !tables_went);
	mutex_unlock(&kvm->arch.mmu_lock);
	t->nr_code = kept;
	t->code_untracked = false;
	if (stale_code)
		uc_ctl_flush_tb(t->uc);
	if (!targeted)
		tcg_tlb_flush_all(t);
}

/*
 * Read guest memory at @vaddr (Unicorn's uc_mem_read() takes physical addresses).  @code: the
 * instruction Unicorn just fetched, through the instruction TLB; otherwise (the GDT entry of
 * a CS the guest just loaded) a walk each time, since nothing refreshes a data page there.
 */
static int tcg_read_virt(struct tcg_vcpu *t, u64 vaddr, u8 *buf, unsigned int len, bool code)
{
	struct tcg_itlb *slot;
	struct kvm_npt_entry e;
	unsigned int n;
	bool enc, private;
	u64 gpa, bits;
	u8 *host;

	while (len) {
		n = min_t(u64, len, PAGE_SIZE - (vaddr & ~PAGE_MASK));
		slot = tcg_itlb_slot(t, vaddr);
		if (code && slot->host && slot->vpage == (vaddr & PAGE_MASK)) {
			host = slot->host;
		} else {
			if (tcg_walk(t, vaddr, 0, &gpa, &enc, &bits))
				return -EFAULT;
			host = tcg_translate(t, gpa, enc, false, &e, &private);
			if (!host)
				return -EFAULT;
			if (code)
				tcg_itlb_set(t, vaddr, host);
		}
		memcpy(buf, host + (vaddr & ~PAGE_MASK), n);
		vaddr += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * A segment the guest loaded in protected or long mode, as its GDT describes it (Unicorn does
 * not give out the hidden part).  Only the selector if the descriptor cannot be read (one in
 * an LDT, which the engine does not keep).
 */
static void tcg_read_segment(struct tcg_vcpu *t, u16 sel, struct kvm_segment *seg)
{
	u64 d;

	seg->selector = sel;
	if (!(sel & ~3)) {
		seg->unusable = 1;
		seg->present = 0;
		return;
	}
	if ((sel & 4) || (sel | 7) > t->vcpu->arch.sregs.gdt.limit ||
	    tcg_read_virt(t, t->vcpu->arch.sregs.gdt.base + (sel & ~7), (u8 *)&d, sizeof(d),
			  false))
		return;
	seg->base = ((d >> 16) & 0xffffff) | (d >> 56) << 24;
	seg->limit = (d & 0xffff) | ((d >> 48) & 0xf) << 16;
	seg->g = (d >> 55) & 1;
	if (seg->g)
		seg->limit = seg->limit << 12 | 0xfff;
	seg->type = (d >> 40) & 0xf;
	seg->s = (d >> 44) & 1;
	seg->dpl = (d >> 45) & 3;
	seg->present = (d >> 47) & 1;
	seg->avl = (d >> 52) & 1;
	seg->l = (d >> 53) & 1;
	seg->db = (d >> 54) & 1;
	seg->unusable = 0;
}

/*
 * Whether the code running is 16-bit (for the operand size the 0x66 prefix flips): the code
 * segment's D bit, from the descriptor the selector names if the guest loaded another CS since
 * the entry; never in long mode.
 */
static bool tcg_code16(struct tcg_vcpu *t)
{
	struct kvm_segment cs = t->vcpu->arch.sregs.cs;
	u64 cr0, sel = 0;

	uc_reg_read(t->uc, UC_X86_REG_CR0, &cr0);
	uc_reg_read(t->uc, UC_X86_REG_CS, &sel);
	if ((cr0 & X86_CR0_PE) && sel != cs.selector)
		tcg_read_segment(t, sel, &cs);
	return !cs.l && !cs.db;
}

/* Stop before the instructions KVM carries out. */
static void tcg_code(uc_engine *uc, uint64_t addr, uint32_t size, void *opaque)
{
	struct tcg_vcpu *t = opaque;
	const struct kvm_x86_hw *hw = &t->vcpu->kvm->arch.hw;
	struct kvm_exec_exit *exit = t->exit;
	u8 b[4], *p = b, opsize = 4;
	u64 reg;		/* RDX (a port), RCX (an MSR) */

	if (unlikely(t->stub_entry))
		return tcg_tlb_stub_step(t, addr);
	/* The engine's own instructions end at a HLT. */
	if (unlikely(t->seg_loading)) {
		if (t->stub_page[addr & ~PAGE_MASK] == 0xf4) {
			t->seg_halted = true;
			uc_emu_stop(uc);
		}
		return;
	}
	/* The engine's INVLPG stub stays in the TLB: no guest fetch from it (tcg_tlb.c). */
	if (unlikely(!tcg_canonical(addr))) {
		tcg_raise(t, X86_GP_VECTOR, true, 0);
		return tcg_stop_event(t);
	}
	/* Outside long mode, where CS's base may be (tcg_save_segs()). */
	t->cs_pc = addr;
	/* Emulating one instruction's MMIO access: stop before the next one. */
	if (t->mmio.active) {
		if (t->mmio.insns++)
			uc_emu_stop(uc);
		return;
	}
	/* Now and then, a signal KVM_RUN's mask lets through (linux/signal.h) takes it back. */
	if (!(++t->insn_count % TCG_SIGNAL_CHECK) && signal_pending(current))
		return tcg_stop(t, KVM_EXEC_EXIT_INTR);
	if (size > sizeof(b) || tcg_read_virt(t, addr, b, size, true))
		return;
	/* IRET (IRETQ) ends an NMI handler: the next NMI may come. */
	if (unlikely(t->vcpu->arch.queued.nmi_masked) &&
	    ((size == 1 && b[0] == 0xcf) || (size == 2 && b[1] == 0xcf && (b[0] & 0xf8) == 0x48)))
		t->vcpu->arch.queued.nmi_masked = false;
	if (*p == 0x66 && size > 1) {
		opsize = 2;
		p++;
	}
	/* 16-bit code swaps the sizes the prefix chooses between. */
	if ((*p & 0xf4) == 0xe4 && tcg_code16(t))
		opsize ^= 6;
	exit->insn_len = size;
	switch (*p) {
	case 0xf4:
		/* A TD asks for HLT and port I/O with TDG.VP.VMCALL: the instructions are #VE. */
		if (hw->tdx) {
			tcg_tdx_ve(t, EXIT_REASON_HLT, 0, 0, 0, size);
			return tcg_stop_event(t);
		}
		return tcg_stop(t, KVM_EXEC_EXIT_HLT);
	case 0x0f:
		/*
		 * CPUID: KVM answers (an SEV-ES/SNP guest's is #VC: it asks through the GHCB; a
		 * TD's is #VE, the TDX module virtualising no leaf: it asks with TDG.VP.VMCALL).
		 */
		if (size == 2 && p[1] == 0xa2) {
			if (hw->tdx) {
				tcg_tdx_ve(t, EXIT_REASON_CPUID, 0, 0, 0, size);
				return tcg_stop_event(t);
			}
			if (!t->vcpu->kvm->arch.hw.ghcb)
				return tcg_stop(t, KVM_EXEC_EXIT_CPUID);
			return tcg_stop_raise(t, X86_VC_VECTOR, SVM_EXIT_CPUID);
		}
		/* A TD's RDMSR/WRMSR of an MSR its CPU does not hold: #VE, asked of the VMM. */
		if (size == 2 && (p[1] == 0x32 || p[1] == 0x30) && hw->tdx) {
			uc_reg_read(uc, UC_X86_REG_RCX, &reg);
			if (kvm_msr_is_cpus(reg))
				return;
			tcg_tdx_ve(t, p[1] == 0x32 ? EXIT_REASON_MSR_READ : EXIT_REASON_MSR_WRITE,
				   0, 0, 0, size);
			return tcg_stop_event(t);
		}
		/*
		 * RDMSR and WRMSR of an SEV-ES/SNP guest: the CPU's own MSRs, or #VC; an SEV
		 * guest's read of SEV_STATUS, an MSR Unicorn does not know.
		 */
		if (size == 2 && p[1] == 0x32 && hw->c_bit && !hw->ghcb) {
			uc_reg_read(uc, UC_X86_REG_RCX, &reg);
			if ((u32)reg != MSR_AMD64_SEV)
				return;
		} else if (size != 2 || (p[1] != 0x32 && p[1] != 0x30) || !hw->ghcb) {
			return;
		}
		t->insn = p[1] == 0x32 ? TCG_INSN_RDMSR : TCG_INSN_WRMSR;
		t->stopped = true;
		uc_emu_stop(uc);
		return;
	case 0xe4: case 0xe5: case 0xe6: case 0xe7:
	case 0xec: case 0xed: case 0xee: case 0xef:
		/* The hardware intercepts an SEV-ES/SNP guest's port I/O as #VC. */
		if (t->vcpu->kvm->arch.hw.ghcb)
			return tcg_stop_raise(t, X86_VC_VECTOR, SVM_EXIT_IOIO);
		exit->io.in = !(*p & 2);
		exit->io.size = (*p & 1) ? opsize : 1;
		if (*p & 8) {
			uc_reg_read(uc, UC_X86_REG_RDX, &reg);
			exit->io.port = reg;
		} else {
			exit->io.port = p[1];
		}
		if (hw->tdx) {
			/* The I/O exit qualification: size - 1, IN, immediate port, the port. */
			tcg_tdx_ve(t, EXIT_REASON_IO_INSTRUCTION,
				   (exit->io.size - 1) | exit->io.in << 3 | !(*p & 8) << 6 |
				   (u64)exit->io.port << 16, 0, 0, size);
			return tcg_stop_event(t);
		}
		uc_reg_read(uc, UC_X86_REG_EAX, &exit->io.data);
		return tcg_stop(t, KVM_EXEC_EXIT_IO);
	}
}

/* An exception Unicorn raised (RIP: at the instruction for a fault, past it for a trap). */
static void tcg_intr(uc_engine *uc, uint32_t vector, void *opaque)
{
	struct tcg_vcpu *t = opaque;

	if (unlikely(t->seg_loading || t->stub_entry)) {
		t->seg_failed = true;
		uc_emu_stop(uc);
		return;
	}
	tcg_stop_raise(opaque, vector, 0);
}

static bool tcg_insn_is(struct tcg_vcpu *t, u64 rip, const u8 *insn, unsigned int len)
{
	u8 b[4];

	return !tcg_read_virt(t, rip, b, len, true) && !memcmp(b, insn, len);
}

/*
 * An instruction Unicorn cannot decode (VMMCALL, VMGEXIT, PVALIDATE, RMPADJUST) never reaches
 * the code hook: it lands here, RIP at the instruction.
 */
static bool tcg_invalid(uc_engine *uc, void *opaque)
{
	static const u8 vmmcall[] = { 0x0f, 0x01, 0xd9 };
	static const u8 vmgexit[] = { 0xf3, 0x0f, 0x01, 0xd9 };
	static const u8 pvalidate[] = { 0xf2, 0x0f, 0x01, 0xff };
	static const u8 rmpadjust[] = { 0xf3, 0x0f, 0x01, 0xfe };
	static const u8 tdcall[] = { 0x66, 0x0f, 0x01, 0xcc };
	const struct kvm_x86_hw *hw = &((struct tcg_vcpu *)opaque)->vcpu->kvm->arch.hw;
	struct tcg_vcpu *t = opaque;
	u64 rip;

	if (unlikely(t->seg_loading || t->stub_entry)) {
		t->seg_failed = true;
		uc_emu_stop(uc);
		return false;
	}
	uc_reg_read(uc, UC_X86_REG_RIP, &rip);
	if (tcg_insn_is(t, rip, vmmcall, sizeof(vmmcall))) {
		t->exit->insn_len = sizeof(vmmcall);
		tcg_stop(t, KVM_EXEC_EXIT_VMMCALL);
	} else if (hw->ghcb && tcg_insn_is(t, rip, vmgexit, sizeof(vmgexit))) {
		t->exit->insn_len = sizeof(vmgexit);
		tcg_stop(t, KVM_EXEC_EXIT_VMGEXIT);
	} else if (hw->rmp && tcg_insn_is(t, rip, pvalidate, sizeof(pvalidate))) {
		t->insn = TCG_INSN_PVALIDATE;
		t->stopped = true;
		uc_emu_stop(uc);
	} else if (hw->rmp && tcg_insn_is(t, rip, rmpadjust, sizeof(rmpadjust))) {
		t->insn = TCG_INSN_RMPADJUST;
		t->stopped = true;
		uc_emu_stop(uc);
	} else if (hw->tdx && tcg_insn_is(t, rip, tdcall, sizeof(tdcall))) {
		t->insn = TCG_INSN_TDCALL;
		t->stopped = true;
		uc_emu_stop(uc);
	} else {
		/* Any other instruction the CPU does not know is #UD. */
		tcg_stop_raise(t, X86_UD_VECTOR, 0);
	}
	return false;
}

/* RDMSR/WRMSR of the MSRs an SEV-ES/SNP guest's CPU answers itself; any other is #VC. */
static bool tcg_emulate_msr(struct tcg_vcpu *t, bool write)
{
	struct kvm_vcpu_arch *a = &t->vcpu->arch;
	const struct kvm_x86_hw *hw = &t->vcpu->kvm->arch.hw;
	u64 v;

	switch ((u32)a->regs.rcx) {
	case MSR_AMD64_SEV:
		if (write)
			return false;
		v = MSR_AMD64_SEV_ENABLED | (hw->ghcb ? MSR_AMD64_SEV_ES_ENABLED : 0) |
		    (hw->rmp ? MSR_AMD64_SEV_SNP_ENABLED : 0);
		break;
	case MSR_AMD64_SEV_ES_GHCB:
		if (write)
			a->ghcb_msr = (a->regs.rdx << 32) | (u32)a->regs.rax;
		v = a->ghcb_msr;
		break;
	default:
		return false;
	}
	if (!write) {
		a->regs.rax = (u32)v;
		a->regs.rdx = v >> 32;
	}
	a->regs.rip += 2;
	return true;
}

/*
 * PVALIDATE and RMPADJUST (RAX the page's virtual address, ECX 1 for 2 MiB; EDX 1 to validate,
 * or RDX RMPADJUST's attributes) through the platform model, as the guest at VMPL 0.  A page
 * with no private translation yet is an NPF first (the fault path assigns it), then the
 * instruction runs again.  0: done, or an exception raised; 1: an exit is in t->exit.
 */
static int tcg_emulate_rmp_insn(struct tcg_vcpu *t, bool adjust)
{
	struct kvm_vcpu_arch *a = &t->vcpu->arch;
	struct kvm *kvm = t->vcpu->kvm;
	struct kvm_npt_entry e;
	u64 gpa, bits, npf_err = PFERR_GUEST_ENC_MASK;
	bool enc, private;
	int r;

	switch (tcg_walk(t, a->regs.rax, PFERR_USER_MASK, &gpa, &enc, &bits)) {
	case TCG_WALK_PF:
		tcg_raise_pf(t, a->regs.rax, 0);
		return 0;
	case TCG_WALK_OTHER:
		if (t->event.pending)
			return 0;
		tcg_take_npf(t);
		return 1;
	}
	gpa &= PAGE_MASK;
	/* The instruction's own access is private, whatever the C-bit of its mapping says. */
	r = PVALIDATE_NPF;
	if (tcg_translate(t, gpa, true, false, &e, &private))
		r = adjust ? rmpadjust(kvm->arch.hw.asid, gpa, e.pfn, a->regs.rcx & 1, a->regs.rdx,
				       &npf_err) :
			     pvalidate(kvm->arch.hw.asid, gpa, e.pfn, a->regs.rcx & 1,
				       a->regs.rdx & 1, &npf_err);
	if (r == PVALIDATE_NPF) {
		tcg_npf(t, gpa, true, PFERR_WRITE_MASK, true, &e);
		tcg_take_npf(t);
		t->exit->error_code |= npf_err;
		return 1;
	}
	a->regs.rflags &= ~X86_EFLAGS_CF;
	if (r == PVALIDATE_FAIL_NOUPDATE) {
		a->regs.rflags |= X86_EFLAGS_CF;
		r = 0;
	}
	a->regs.rax = r;
	a->regs.rip += 4;
	return 0;
}

/*
 * The instruction a hook stopped at for the engine: 0 the guest goes on (perhaps into an
 * exception handler), 1 an exit.
 */
static int tcg_emulate(struct tcg_vcpu *t)
{
	enum tcg_insn insn = t->insn;

	t->insn = TCG_INSN_NONE;
	if (insn == TCG_INSN_PVALIDATE || insn == TCG_INSN_RMPADJUST)
		return tcg_emulate_rmp_insn(t, insn == TCG_INSN_RMPADJUST);
	if (insn == TCG_INSN_TDCALL)
		return tcg_tdcall(t);
	if (!tcg_emulate_msr(t, insn == TCG_INSN_WRMSR))
		tcg_raise(t, X86_VC_VECTOR, true, SVM_EXIT_MSR);
	return 0;
}

/* Unicorn's registers, struct kvm_regs's order; one batch each way per entry. */
static int tcg_gprs[] = {
	UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RSI,
	UC_X86_REG_RDI, UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_R8, UC_X86_REG_R9,
	UC_X86_REG_R10, UC_X86_REG_R11, UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14,
	UC_X86_REG_R15, UC_X86_REG_RIP, UC_X86_REG_RFLAGS,
};

static void tcg_regs_slots(struct kvm_regs *r, void **slots)
{
	u64 *p = &r->rax;
	unsigned int i;

	BUILD_BUG_ON(sizeof(*r) != ARRAY_SIZE(tcg_gprs) * sizeof(u64));
	for (i = 0; i < ARRAY_SIZE(tcg_gprs); i++)
		slots[i] = p + i;
}

static bool tcg_long_mode(const struct kvm_sregs *s)
{
	return (s->efer & EFER_LMA) && (s->cr0 & X86_CR0_PG) && s->cs.l;
}

static bool tcg_load_sregs(struct tcg_vcpu *t);

/*
 * Whether Unicorn can take the vCPU's sregs: they are what it holds, or 64-bit mode (the
 * selectors load from the guest's GDT), or real or protected mode with paging off whose
 * segments load (tried here, tcg_legacy.c).  Not virtual-8086 mode, nor 32-bit or PAE
 * paging, which the walk does not know.
 */
static bool tcg_sregs_loadable(struct tcg_vcpu *t)
{
	const struct kvm_sregs *s = &t->vcpu->arch.sregs;

	if (!memcmp(s, &t->loaded, sizeof(*s)) || tcg_long_mode(s))
		return true;
	if ((s->cr0 & X86_CR0_PG) || (s->efer & EFER_LMA) ||
	    (t->vcpu->arch.regs.rflags & X86_EFLAGS_VM))
		return false;
	return tcg_load_sregs(t);
}

static const int tcg_segs[] = {
	UC_X86_REG_CS, UC_X86_REG_DS, UC_X86_REG_ES, UC_X86_REG_FS, UC_X86_REG_GS, UC_X86_REG_SS,
};

static struct kvm_segment *tcg_seg_slot(struct kvm_sregs *s, unsigned int i)
{
	struct kvm_segment *slots[] = { &s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss };

	return slots[i];
}

/* The descriptor that loads @seg's hidden part (tcg_read_segment() reads one back). */
u64 tcg_seg_desc(const struct kvm_segment *seg)
{
	u32 limit = seg->g ? seg->limit >> 12 : seg->limit;

	return (limit & 0xffff) | (u64)(seg->base & 0xffffff) << 16 | (u64)seg->type << 40 |
	       (u64)seg->s << 44 | (u64)seg->dpl << 45 | (u64)seg->present << 47 |
	       (u64)(limit >> 16 & 0xf) << 48 | (u64)seg->avl << 52 | (u64)seg->l << 53 |
	       (u64)seg->db << 54 | (u64)seg->g << 55 | (u64)(seg->base >> 24 & 0xff) << 56;
}

/*
 * One selector into Unicorn, which loads its hidden part from a descriptor table, as a MOV
 * to a segment register does.  KVM_SET_SREGS gave the hidden part, and the guest's GDT may
 * not even be mapped yet (VMRUN reads none): the selector loads from a table the engine
 * makes of its descriptor alone, at a virtual page the TLB fill serves from seg_page while
 * seg_loading, and which the TLB drops afterwards.  The caller puts the guest's GDTR back.
 */
static bool tcg_load_seg_desc(struct tcg_vcpu *t, int reg, const struct kvm_segment *seg)
{
	uc_x86_mmr table = { .limit = 0xffff };
	u64 sel = seg->selector & ~4;		/* from the one-entry GDT, not an LDT */
	uc_err err;

	t->seg_page[0] = tcg_seg_desc(seg);
	table.base = TCG_SEG_VA - (sel & ~7);
	uc_reg_write(t->uc, UC_X86_REG_GDTR, &table);
	t->seg_loading = true;
	err = uc_reg_write(t->uc, reg, &sel);
	t->seg_loading = false;
	return !err;
}

/* Long mode's selectors (only FS's and GS's hidden parts take: 64-bit mode's rule). */
static void tcg_load_segs(struct tcg_vcpu *t, struct kvm_sregs *s, const uc_x86_mmr *gdt)
{
	unsigned int i;

	uc_ctl_flush_tlb(t->uc);
	for (i = 0; i < ARRAY_SIZE(tcg_segs); i++)
		tcg_load_seg_desc(t, tcg_segs[i], tcg_seg_slot(s, i));
	uc_reg_write(t->uc, UC_X86_REG_GDTR, gdt);
	uc_ctl_flush_tlb(t->uc);
}

/* A real-mode segment as a real-mode load leaves it: the base the selector names. */
static bool tcg_seg_real(const struct kvm_segment *seg)
{
	return seg->base == (u64)seg->selector << 4 && seg->limit == 0xffff;
}

/*
 * FS and GS outside long mode (a register write loads them whole, as a MOV would): in real
 * mode from the selector where that gives their base, else from a one-entry table with PE
 * set for the while.  Called with CR0 the guest's.
 */
static bool tcg_load_fs_gs(struct tcg_vcpu *t, const struct kvm_sregs *s,
			   const uc_x86_mmr *gdt)
{
	const struct kvm_segment *segs[] = { &s->fs, &s->gs };
	static const int regs[] = { UC_X86_REG_FS, UC_X86_REG_GS };
	bool real = !(s->cr0 & X86_CR0_PE), ok = true;
	u64 cr0 = s->cr0 | X86_CR0_PE, sel;
	unsigned int i;

	uc_ctl_flush_tlb(t->uc);
	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		sel = segs[i]->selector;
		if (real && tcg_seg_real(segs[i])) {
			ok &= !uc_reg_write(t->uc, regs[i], &sel);
			continue;
		}
		if (real)
			uc_reg_write(t->uc, UC_X86_REG_CR0, &cr0);
		ok &= tcg_load_seg_desc(t, regs[i], segs[i]);
		if (real)
			uc_reg_write(t->uc, UC_X86_REG_CR0, &s->cr0);
	}
	uc_reg_write(t->uc, UC_X86_REG_GDTR, gdt);
	uc_ctl_flush_tlb(t->uc);
	return ok;
}

/*
 * Control registers, descriptor tables and selectors go into Unicorn only when they changed
 * since the last entry: a CR3 write empties Unicorn's TLB.  (In 64-bit mode only the
 * selectors matter: bases and limits are flat, FS and GS bases aside.)  false: a state
 * outside long mode whose segments no CPU would load (tcg_legacy.c); nothing runs.
 */
static bool tcg_load_sregs(struct tcg_vcpu *t)
{
	struct kvm_sregs *s = &t->vcpu->arch.sregs;
	uc_x86_mmr gdt = { .base = s->gdt.base, .limit = s->gdt.limit };
	uc_x86_mmr idt = { .base = s->idt.base, .limit = s->idt.limit };
	uc_x86_mmr tr = { .selector = s->tr.selector, .base = s->tr.base, .limit = s->tr.limit };
	uc_x86_msr efer = { .rid = MSR_EFER, .value = s->efer };
	bool long_mode = tcg_long_mode(s);

	if (!memcmp(s, &t->loaded, sizeof(*s)))
		return true;
	/* Outside long mode the segments first: their loader leaves long mode itself. */
	if (!long_mode && !tcg_load_legacy_segs(t, s))
		goto refused;
	if (long_mode)
		uc_reg_write(t->uc, UC_X86_REG_MSR, &efer);
	uc_reg_write(t->uc, UC_X86_REG_CR4, &s->cr4);
	/* Unicorn 2.1.1's CR2 write also sets CR3: CR2 first. */
	uc_reg_write(t->uc, UC_X86_REG_CR2, &s->cr2);
	uc_reg_write(t->uc, UC_X86_REG_CR3, &s->cr3);
	uc_reg_write(t->uc, UC_X86_REG_CR0, &s->cr0);
	uc_reg_write(t->uc, UC_X86_REG_GDTR, &gdt);
	uc_reg_write(t->uc, UC_X86_REG_IDTR, &idt);
	uc_reg_write(t->uc, UC_X86_REG_TR, &tr);
	t->fresh = false;
	t->loaded = *s;
	if (!long_mode) {
		uc_reg_write(t->uc, UC_X86_REG_MSR, &efer);
		if (!tcg_load_fs_gs(t, s, &gdt))
			goto refused;
		return true;
	}
	tcg_load_segs(t, s, &gdt);
	uc_reg_write(t->uc, UC_X86_REG_FS_BASE, &s->fs.base);
	uc_reg_write(t->uc, UC_X86_REG_GS_BASE, &s->gs.base);
	return true;

refused:
	/* Not what Unicorn holds: the next entry tries again. */
	t->loaded.cr0 = ~0ull;
	return false;
}

void tcg_load(struct tcg_vcpu *t)
{
	void *slots[ARRAY_SIZE(tcg_gprs)];

	tcg_regs_slots(&t->vcpu->arch.regs, slots);
	uc_reg_write_batch(t->uc, tcg_gprs, slots, ARRAY_SIZE(tcg_gprs));
	tcg_load_sregs(t);
	tcg_load_cpu_state(t);
}

/*
 * The selectors the guest loaded itself, with the hidden parts those loads gave them: in
 * real mode the base the selector names, else the descriptor.  In real mode a far jump may
 * keep CS's selector and still move its base (the reset state's 0xffff0000 goes with the
 * BIOS's first jump to 0xf000:...): the last instruction the code hook saw tells, its linear
 * address less RIP being the selector's base.
 */
static void tcg_save_segs(struct tcg_vcpu *t, struct kvm_sregs *s)
{
	struct kvm_segment *seg;
	unsigned int i;
	u64 sel, rip;

	for (i = 0; i < ARRAY_SIZE(tcg_segs); i++) {
		seg = tcg_seg_slot(s, i);
		sel = 0;		/* Unicorn writes the selector's 16 bits only */
		uc_reg_read(t->uc, tcg_segs[i], &sel);
		if (sel == seg->selector)
			continue;
		if (s->cr0 & X86_CR0_PE) {
			tcg_read_segment(t, sel, seg);
			continue;
		}
		seg->selector = sel;
		seg->base = sel << 4;
		seg->limit = 0xffff;
	}
	if (s->cr0 & X86_CR0_PE)
		return;
	/* (RIP may be past the last instruction the hook saw: a base that is no load's.) */
	uc_reg_read(t->uc, UC_X86_REG_RIP, &rip);
	if (t->cs_pc - rip == (u32)s->cs.selector << 4)
		s->cs.base = s->cs.selector << 4;
}

static void tcg_save_gprs(struct tcg_vcpu *t)
{
	void *slots[ARRAY_SIZE(tcg_gprs)];

	tcg_regs_slots(&t->vcpu->arch.regs, slots);
	uc_reg_read_batch(t->uc, tcg_gprs, slots, ARRAY_SIZE(tcg_gprs));
}

/* The system registers the guest changes itself without an exit: back in, and as loaded. */
static void tcg_save_sregs(struct tcg_vcpu *t)
{
	struct kvm_vcpu_arch *a = &t->vcpu->arch;
	uc_x86_msr efer = { .rid = MSR_EFER };
	uc_x86_mmr gdt, idt;

	uc_reg_read(t->uc, UC_X86_REG_CR0, &a->sregs.cr0);
	uc_reg_read(t->uc, UC_X86_REG_CR2, &a->sregs.cr2);
	uc_reg_read(t->uc, UC_X86_REG_CR3, &a->sregs.cr3);
	uc_reg_read(t->uc, UC_X86_REG_CR4, &a->sregs.cr4);
	uc_reg_read(t->uc, UC_X86_REG_MSR, &efer);
	uc_reg_read(t->uc, UC_X86_REG_GDTR, &gdt);
	uc_reg_read(t->uc, UC_X86_REG_IDTR, &idt);
	a->sregs.efer = efer.value;
	a->sregs.gdt.base = gdt.base;
	a->sregs.gdt.limit = gdt.limit;
	a->sregs.idt.base = idt.base;
	a->sregs.idt.limit = idt.limit;
	tcg_save_segs(t, &a->sregs);
	/* Unicorn holds exactly this now. */
	t->loaded = a->sregs;
}

/* What the guest changes itself without an exit: back into the vCPU. */
void tcg_save(struct tcg_vcpu *t)
{
	tcg_save_gprs(t);
	tcg_save_sregs(t);
}

/*
 * About to run guest instructions (a stretch of the guest, or one MMIO instruction emulated).
 * in_guest is set before the generation is read, and a shootdown bumps the generation before
 * it reads in_guest: either this vCPU sees the new generation and drops what went (the TLB,
 * the walk's page-table pages, code), or the shootdown sees it inside and kicks it until it
 * has.  tcg_guest_end() once Unicorn returned.
 */
void tcg_guest_begin(struct tcg_vcpu *t, int how, bool flush)
{
	u64 gen;

	__atomic_store_n(&t->in_guest, how, __ATOMIC_SEQ_CST);
	gen = __atomic_load_n(&t->vcpu->kvm->arch.npt_gen, __ATOMIC_SEQ_CST);
	/* A translation that went, or one the TLB must not keep. */
	if (gen != t->npt_gen || flush) {
		tcg_flush(t, flush);
		__atomic_store_n(&t->npt_gen, gen, __ATOMIC_SEQ_CST);
	}
	/* Only a guest entry starts at the stub that takes pages out (tcg_tlb.c). */
	if (how != TCG_IN_GUEST && t->nr_invlpg)
		tcg_tlb_flush_all(t);
}

void tcg_guest_end(struct tcg_vcpu *t)
{
	__atomic_store_n(&t->in_guest, 0, __ATOMIC_SEQ_CST);
}

/*
 * Run the guest.  An NPF that stopped it in 64-bit mode needs none of its general registers:
 * KVM resolves it and resumes (or returns to userspace through tcg_sync_regs()), so they
 * stay in Unicorn (regs_held) and the resumed entry loads nothing (the system registers,
 * which the engine itself reads while the guest runs, are saved as ever; nothing changed
 * them).  Not with an event on its way in, whose delivery starts from KVM's copy.
 */
static uc_err tcg_enter(struct tcg_vcpu *t, bool flush)
{
	uc_err err;
	u64 rip;

	tcg_guest_begin(t, TCG_IN_GUEST, flush);
	if (t->regs_held) {
		uc_reg_read(t->uc, UC_X86_REG_RIP, &rip);
		/* The stub stands in front of KVM's RIP: not there (tcg_tlb.c). */
		if (t->nr_invlpg)
			tcg_tlb_flush_all(t);
	} else {
		tcg_load(t);
		t->cs_pc = ~0ull;
		rip = tcg_tlb_entry(t);
	}
	err = uc_emu_start(t->uc, rip, 0, 0, 0);
	tcg_tlb_exit(t);
	tcg_guest_end(t);
	tcg_save_sregs(t);
	t->regs_held = err == UC_ERR_EXCEPTION && t->npf.pending && !t->event.pending &&
		       !t->insn && !t->stale && tcg_long_mode(&t->vcpu->arch.sregs);
	if (!t->regs_held)
		tcg_save_gprs(t);
	return err;
}

/* KVM's copy of the registers, from Unicorn if the last exit left them there. */
void tcg_sync_regs(struct kvm_vcpu *vcpu)
{
	struct tcg_vcpu *t = vcpu->arch.engine_data;

	if (t && t->regs_held) {
		t->regs_held = false;
		tcg_save_gprs(t);
	}
}

/*
 * One stretch of guest execution ended (@err from Unicorn).  0: the guest goes on; 1: @exit
 * is filled for KVM; -1: Unicorn stopped for no reason of the engine's.
 */
static int tcg_after_enter(struct tcg_vcpu *t, uc_err err, bool *flush)
{
	struct kvm_vcpu *vcpu = t->vcpu;
	struct kvm_exec_exit *exit = t->exit;

	*flush = t->stale || t->event.pending;
	if (t->insn) {
		/* PVALIDATE changes what the TLB may hold. */
		*flush |= t->insn == TCG_INSN_PVALIDATE;
		return tcg_emulate(t);
	}
	if (err == UC_ERR_EXCEPTION && t->npf.pending) {
		tcg_take_npf(t);
		return 1;
	}
	if (t->event.pending)
		return 0;
	if (t->stopped) {
		/* HLT and VMGEXIT leave the guest after the instruction, as on silicon. */
		if (exit->reason == KVM_EXEC_EXIT_HLT || exit->reason == KVM_EXEC_EXIT_VMGEXIT)
			vcpu->arch.regs.rip += exit->insn_len;
		return 1;
	}
	if (READ_ONCE(vcpu->run->immediate_exit)) {
		exit->reason = KVM_EXEC_EXIT_INTR;
		return 1;
	}
	/*
	 * Stopped with no exit of its own: a kick (a shootdown, or one that landed late in this
	 * entry); back in with the current translations.
	 */
	if (!t->stale && err != UC_ERR_OK)
		return -1;
	return 0;
}

/*
 * The vCPU's Unicorn, made at its first KVM_RUN: a VMM may create thousands of vCPUs it never
 * runs (upstream's kvm_create_max_vcpus), and an instance costs a megabyte and a millisecond.
 */
static int tcg_uc_open(struct tcg_vcpu *t)
{
	uc_hook h;

	t->seg_page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!t->seg_page)
		return -ENOMEM;
	if (uc_open(UC_ARCH_X86, UC_MODE_64, &t->uc))
		goto err_page;
	/* No "until" address (uc_emu_start's 0 would stop a guest that jumps to 0). */
	if (uc_ctl_tlb_mode(t->uc, UC_TLB_VIRTUAL) || uc_ctl_exits_enable(t->uc) ||
	    uc_hook_add(t->uc, &h, UC_HOOK_TLB_FILL, tcg_tlb_fill, t, 1, 0) ||
	    uc_hook_add(t->uc, &h, UC_HOOK_MEM_UNMAPPED, tcg_unmapped, t, 1, 0) ||
	    uc_hook_add(t->uc, &h, UC_HOOK_CODE, tcg_code, t, 1, 0) ||
	    uc_hook_add(t->uc, &h, UC_HOOK_INTR, tcg_intr, t, 1, 0) ||
	    uc_hook_add(t->uc, &h, UC_HOOK_INSN_INVALID, tcg_invalid, t, 1, 0) ||
	    tcg_mmio_init(t) || tcg_legacy_init(t))
		goto err_uc;
	return 0;

err_uc:
	tcg_legacy_free(t);
	uc_close(t->uc);
	t->uc = NULL;
err_page:
	free(t->seg_page);
	t->seg_page = NULL;
	return -ENOMEM;
}

static int __tcg_run(struct kvm_vcpu *vcpu, struct kvm_exec_exit *exit)
{
	struct tcg_vcpu *t = vcpu->arch.engine_data;
	bool flush = false;
	uc_err err;
	int r;

	memset(exit, 0, sizeof(*exit));
	if (!t->uc) {
		r = tcg_uc_open(t);
		if (r)
			return r;
	}
	tcg_td_vmcall_done(t);
	if (!tcg_sregs_loadable(t)) {
		exit->reason = KVM_EXEC_EXIT_UNSUPPORTED;
		return 0;
	}
	t->exit = exit;
	for (;;) {
		t->npf.pending = false;
		/* An exception raised, or one whose delivery an NPF interrupted: long mode. */
		if (t->event.pending && !tcg_long_mode(&vcpu->arch.sregs)) {
			exit->reason = KVM_EXEC_EXIT_UNSUPPORTED;
			return 0;
		}
		if (t->event.pending) {
			tcg_load_sregs(t);
			if (tcg_deliver(t))
				return 0;
		}
		t->stopped = false;
		t->fill_fault.pending = false;
		t->stale = false;
		err = tcg_enter(t, flush);
		r = tcg_after_enter(t, err, &flush);
		if (r > 0)
			return 0;
		if (r < 0)
			break;
	}
	pr_debug("tcg: stopped at %#llx: %s\n", vcpu->arch.regs.rip, uc_strerror(err));
	exit->reason = KVM_EXEC_EXIT_UNSUPPORTED;
	return 0;
}

/*
 * KVM's queued event (the VMM's, or one whose delivery the last exit interrupted) becomes
 * the engine's to deliver: an exception first, then an NMI, then an interrupt, as the CPU
 * ranks them.  An NMI masks the next until the guest's IRET (tcg_code()).
 */
static void tcg_take_queued(struct tcg_vcpu *t)
{
	struct kvm_queued_event *q = &t->vcpu->arch.queued;

	if (t->event.pending)
		return;
	if (q->exception) {
		tcg_raise(t, q->vector, q->has_error_code, q->error_code);
		/* A #PF the VMM injects leaves CR2 as KVM_SET_SREGS gave it. */
		t->event.cr2 = q->has_payload ? q->payload : t->vcpu->arch.sregs.cr2;
		q->exception = false;
	} else if (q->nmi_injected || (q->nmi_pending && !q->nmi_masked)) {
		tcg_raise(t, X86_NMI_VECTOR, false, 0);
		t->event.external = true;
		if (q->nmi_injected)
			q->nmi_injected = false;
		else
			q->nmi_pending = false;
		q->nmi_masked = true;
	} else if (q->interrupt) {
		tcg_raise(t, q->irq, false, 0);
		t->event.external = true;
		q->interrupt = false;
	}
}

/* An event whose delivery an exit interrupted goes back to KVM, as EXITINTINFO does. */
static void tcg_queue_pending(struct tcg_vcpu *t)
{
	struct kvm_queued_event *q = &t->vcpu->arch.queued;
	struct tcg_event *ev = &t->event;

	if (!ev->pending)
		return;
	ev->pending = false;
	if (ev->external && ev->vector == X86_NMI_VECTOR) {
		q->nmi_injected = true;
	} else if (ev->external) {
		q->interrupt = true;
		q->irq = ev->vector;
	} else {
		q->exception = true;
		q->vector = ev->vector;
		q->has_error_code = ev->has_error;
		q->error_code = ev->error_code;
		q->has_payload = ev->vector == X86_PF_VECTOR;
		q->payload = ev->cr2;
	}
}

static int tcg_run(struct kvm_vcpu *vcpu, struct kvm_exec_exit *exit, bool resumed)
{
	struct tcg_vcpu *t = vcpu->arch.engine_data;
	int r;

	tcg_take_queued(t);
	r = __tcg_run(vcpu, exit);
	tcg_queue_pending(t);
	return r;
}

/* Wait until every vCPU of @kvm inside the guest has seen the current generation. */
static void tcg_flush_remote_tlbs(struct kvm *kvm)
{
	u64 gen = __atomic_load_n(&kvm->arch.npt_gen, __ATOMIC_SEQ_CST);
	struct tcg_vcpu *t;
	int in;

	pthread_mutex_lock(&tcg_lock);
	list_for_each_entry(t, &tcg_vcpus, entry) {
		if (t->vcpu->kvm != kvm)
			continue;
		while ((in = __atomic_load_n(&t->in_guest, __ATOMIC_SEQ_CST)) &&
		       __atomic_load_n(&t->npt_gen, __ATOMIC_SEQ_CST) != gen) {
			/* Lost if it lands before Unicorn starts: so, again until seen. */
			if (in == TCG_IN_GUEST)
				uc_emu_stop(t->uc);
			sched_yield();
		}
	}
	pthread_mutex_unlock(&tcg_lock);
}

/* Kick every vCPU inside the guest whose VMM wants it back (run->immediate_exit). */
static void *tcg_watch(void *unused)
{
	const struct timespec tick = { .tv_nsec = 1000 * 1000 };
	struct tcg_vcpu *t;

	for (;;) {
		nanosleep(&tick, NULL);
		pthread_mutex_lock(&tcg_lock);
		list_for_each_entry(t, &tcg_vcpus, entry) {
			if (__atomic_load_n(&t->in_guest, __ATOMIC_SEQ_CST) == TCG_IN_GUEST &&
			    READ_ONCE(t->vcpu->run->immediate_exit)) {
				uc_emu_stop(t->uc);
			}
		}
		pthread_mutex_unlock(&tcg_lock);
	}
	return NULL;
}

/* The watcher starts with the first vCPU and lives as long as the process. */
static int tcg_watcher_start(void)
{
	pthread_t thread;

	if (tcg_watcher_started)
		return 0;
	if (pthread_create(&thread, NULL, tcg_watch, NULL))
		return -EAGAIN;
	pthread_detach(thread);
	tcg_watcher_started = true;
	return 0;
}

static int tcg_vcpu_create(struct kvm_vcpu *vcpu)
{
	struct tcg_vcpu *t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	int r;

	if (!t)
		return -ENOMEM;
	t->vcpu = vcpu;
	t->fresh = true;
	pthread_mutex_lock(&tcg_lock);
	r = tcg_watcher_start();
	if (!r)
		list_add_tail(&t->entry, &tcg_vcpus);
	pthread_mutex_unlock(&tcg_lock);
	if (r) {
		kfree(t);
		return r;
	}
	vcpu->arch.engine_data = t;
	return 0;
}

static void tcg_vcpu_free(struct kvm_vcpu *vcpu)
{
	struct tcg_vcpu *t = vcpu->arch.engine_data;

	if (!t)
		return;
	pthread_mutex_lock(&tcg_lock);
	list_del(&t->entry);
	pthread_mutex_unlock(&tcg_lock);
	tcg_legacy_free(t);
	if (t->uc)
		uc_close(t->uc);
	free(t->code);
	free(t->seg_page);
	kfree(t);
	vcpu->arch.engine_data = NULL;
}

static long tcg_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl, unsigned long arg)
{
	tcg_sync_regs(vcpu);
	return -ENOTTY;
}

static const struct kvm_exec_ops tcg_ops = {
	.name = "tcg",
	.run = tcg_run,
	.vcpu_create = tcg_vcpu_create,
	.vcpu_free = tcg_vcpu_free,
	.flush_remote_tlbs = tcg_flush_remote_tlbs,
	.emulate_mmio = tcg_emulate_mmio,
	.sync_state = tcg_sync_state,
	.sync_regs = tcg_sync_regs,
	.vcpu_ioctl = tcg_vcpu_ioctl,
};

void host_tcg_register(void)
{
	kvm_exec_register(KVM_COCO_ENGINE_TCG, &tcg_ops, true);
}
