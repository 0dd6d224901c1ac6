/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library host: TRACE_EVENT() becomes a USDT probe (provider kvm_coco, probe named after the
 * event, arguments as in TP_ARGS), so perf and bpftrace see every event:
 *
 *   perf probe -x libkvm-coco.so sdt_kvm_coco:kvm_snp_rmp
 *   bpftrace -e 'usdt:./build/libkvm-coco.so:kvm_coco:kvm_snp_rmp { printf("%lx\n", arg1); }'
 *
 * The kernel host instantiates the same header as real tracepoints (CREATE_TRACE_POINTS).
 */
#ifndef _HOST_USER_LINUX_TRACEPOINT_H
#define _HOST_USER_LINUX_TRACEPOINT_H

#define SDT_USE_VARIADIC
#include <sys/sdt.h>

#define TP_PROTO(...)		__VA_ARGS__
#define TP_ARGS(...)		__VA_ARGS__
#define TP_STRUCT__entry(...)
#define TP_fast_assign(...)
#define TP_printk(...)

#define TRACE_EVENT(name, proto, args, tstruct, assign, print)			\
	static inline void trace_##name(proto)					\
	{									\
		STAP_PROBEV(kvm_coco, name, args);				\
	}

#endif
