/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvm-coco's trace events, defined once.  Exactly one file (arch/x86/kvm/svm/sev_trace.c)
 * includes this with CREATE_TRACE_POINTS to instantiate them in the kernel host; in the
 * library host each event is a USDT probe (host/user/include/linux/tracepoint.h).
 */
#if !defined(_TRACE_KVM_COCO_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_KVM_COCO_H

#include <linux/tracepoint.h>

#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvm_coco

/*
 * One RMP transition of a page of an SNP VM: who caused it (op: enum kvm_coco_rmp_op), the
 * raw RMP entry before and after, and the outcome (0, or the -errno of a refused change).
 */
TRACE_EVENT(kvm_snp_rmp,
	TP_PROTO(unsigned int asid, unsigned int op, unsigned long pfn, u64 old_rmp, u64 new_rmp,
		 int ret),
	TP_ARGS(asid, op, pfn, old_rmp, new_rmp, ret),

	TP_STRUCT__entry(
		__field(unsigned int, asid)
		__field(unsigned int, op)
		__field(unsigned long, pfn)
		__field(u64, old_rmp)
		__field(u64, new_rmp)
		__field(int, ret)
	),

	TP_fast_assign(
		__entry->asid = asid;
		__entry->op = op;
		__entry->pfn = pfn;
		__entry->old_rmp = old_rmp;
		__entry->new_rmp = new_rmp;
		__entry->ret = ret;
	),

	TP_printk("asid %u op %u pfn 0x%lx rmp 0x%llx -> 0x%llx ret %d", __entry->asid,
		  __entry->op, __entry->pfn, __entry->old_rmp, __entry->new_rmp, __entry->ret)
);

#endif /* _TRACE_KVM_COCO_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH ../../arch/x86/kvm
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace

#include <trace/define_trace.h>
