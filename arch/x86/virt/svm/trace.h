/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SNP platform's trace event: every RMPUPDATE the host issues, through the checked
 * helpers (rmp_update.c, which instantiates it with CREATE_TRACE_POINTS in the kernel host; a
 * USDT probe in the library host, as arch/x86/kvm/trace.h's).
 */
#if !defined(_TRACE_SNP_RMP_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_SNP_RMP_H

#include <linux/tracepoint.h>

#undef TRACE_SYSTEM
#define TRACE_SYSTEM snp

/*
 * One host RMPUPDATE: which helper (op: enum snp_rmp_op), the page, the raw RMP entry before
 * and after, and the outcome (0, or the -errno of a refused change).
 */
TRACE_EVENT(snp_rmpupdate,
	TP_PROTO(unsigned int op, unsigned long pfn, u64 old_rmp, u64 new_rmp, int ret),
	TP_ARGS(op, pfn, old_rmp, new_rmp, ret),

	TP_STRUCT__entry(
		__field(unsigned int, op)
		__field(unsigned long, pfn)
		__field(u64, old_rmp)
		__field(u64, new_rmp)
		__field(int, ret)
	),

	TP_fast_assign(
		__entry->op = op;
		__entry->pfn = pfn;
		__entry->old_rmp = old_rmp;
		__entry->new_rmp = new_rmp;
		__entry->ret = ret;
	),

	TP_printk("op %u pfn 0x%lx rmp 0x%llx -> 0x%llx ret %d", __entry->op, __entry->pfn,
		  __entry->old_rmp, __entry->new_rmp, __entry->ret)
);

#endif /* _TRACE_SNP_RMP_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH ../../arch/x86/virt/svm
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace

#include <trace/define_trace.h>
