// SPDX-License-Identifier: GPL-2.0-only
/*
 * RMP transition tracing for SNP VMs: each transition fires the kvm_snp_rmp trace event
 * (this file instantiates arch/x86/kvm/trace.h) and is appended to the VM's own ring, which
 * KVM_COCO_GET_TRACE reads.  The ring keeps the last KVM_COCO_TRACE_RING entries; sequence
 * numbers start at 1 and never repeat, so a reader that falls behind sees how many it lost.
 */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/kvm_host.h>
#include <asm/sev.h>

#define CREATE_TRACE_POINTS
#include "../trace.h"

#include "sev.h"

#define SEV_TRACE_MAX_READ	4096

struct sev_trace_ring {
	spinlock_t lock;
	u64 next_seq;				/* the sequence number of the next entry */
	struct kvm_coco_trace_entry e[KVM_COCO_TRACE_RING];
};

static u64 sev_rmp_lo(unsigned long pfn)
{
	struct rmpentry e;

	return snp_lookup_rmpentry_raw(pfn, &e) ? 0 : e.lo;
}

/* The ring appears with the first transition; VMs that never launch do not pay for one. */
static struct sev_trace_ring *sev_trace_ring(struct kvm *kvm)
{
	struct kvm_sev_info *sev = &kvm->arch.sev_info;
	struct sev_trace_ring *ring = READ_ONCE(sev->trace);

	if (ring)
		return ring;
	ring = kvzalloc(sizeof(*ring), GFP_KERNEL_ACCOUNT);
	if (!ring)
		return NULL;
	spin_lock_init(&ring->lock);
	ring->next_seq = 1;
	/* Two first transitions may race: one ring wins, the other is freed. */
	if (!cmpxchg(&sev->trace, NULL, ring))
		return ring;
	kvfree(ring);
	return READ_ONCE(sev->trace);
}

void sev_trace_rmp(struct kvm *kvm, unsigned int op, unsigned long pfn, u64 old_rmp,
		   u64 new_rmp, int ret)
{
	struct sev_trace_ring *ring;
	struct kvm_coco_trace_entry *e;

	trace_kvm_snp_rmp(kvm->arch.sev_info.asid, op, pfn, old_rmp, new_rmp, ret);
	ring = sev_trace_ring(kvm);
	if (!ring)
		return;
	spin_lock(&ring->lock);
	e = &ring->e[(ring->next_seq - 1) % KVM_COCO_TRACE_RING];
	e->seq = ring->next_seq++;
	e->ts_ns = ktime_get_ns();
	e->op = op;
	e->ret = ret;
	e->pfn = pfn;
	e->old_rmp = old_rmp;
	e->new_rmp = new_rmp;
	spin_unlock(&ring->lock);
}

/* Trace a transition the firmware made to @pfn, given the entry before it. */
void sev_trace_fw(struct kvm *kvm, unsigned int op, unsigned long pfn, u64 old_rmp)
{
	sev_trace_rmp(kvm, op, pfn, old_rmp, sev_rmp_lo(pfn), 0);
}

int sev_get_trace(struct kvm *kvm, void __user *argp)
{
	struct kvm_coco_trace_entry *buf = NULL;
	struct sev_trace_ring *ring;
	struct kvm_coco_trace t;
	u64 oldest, seq, n = 0;

	if (copy_from_user(&t, argp, sizeof(t)))
		return -EFAULT;
	if (t.flags || t.reserved[0] || t.reserved[1])
		return -EINVAL;
	if (t.nr > SEV_TRACE_MAX_READ)
		t.nr = SEV_TRACE_MAX_READ;
	if (t.nr) {
		buf = kvcalloc(t.nr, sizeof(*buf), GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}

	ring = READ_ONCE(kvm->arch.sev_info.trace);
	t.dropped = 0;
	seq = t.seq;
	if (ring) {
		spin_lock(&ring->lock);
		oldest = ring->next_seq > KVM_COCO_TRACE_RING ?
			 ring->next_seq - KVM_COCO_TRACE_RING : 1;
		t.dropped = oldest - 1;
		seq = max(t.seq, oldest);
		for (; seq < ring->next_seq && n < t.nr; seq++, n++)
			buf[n] = ring->e[(seq - 1) % KVM_COCO_TRACE_RING];
		spin_unlock(&ring->lock);
	}
	t.seq = seq;
	t.nr = n;
	if ((n && copy_to_user(u64_to_user_ptr(t.entries), buf, n * sizeof(*buf))) ||
	    copy_to_user(argp, &t, sizeof(t))) {
		kvfree(buf);
		return -EFAULT;
	}
	kvfree(buf);
	return 0;
}

void sev_trace_free(struct kvm *kvm)
{
	kvfree(kvm->arch.sev_info.trace);
	kvm->arch.sev_info.trace = NULL;
}
