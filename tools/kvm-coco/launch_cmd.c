// SPDX-License-Identifier: GPL-2.0
/* kvm-coco launch: options, and the digest, trace and JSON output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "launch.h"

const char *launch_rmp_op_name(unsigned int op)
{
	static const char *const names[] = {
		[KVM_COCO_RMP_MAKE_PRIVATE] = "make_private",
		[KVM_COCO_RMP_MAKE_SHARED] = "make_shared",
		[KVM_COCO_RMP_FW_LAUNCH] = "fw_launch",
		[KVM_COCO_RMP_FW_RECLAIM] = "fw_reclaim",
		[KVM_COCO_RMP_LEAK] = "leak",
		[KVM_COCO_RMP_MAKE_FIRMWARE] = "make_firmware",
	};

	return op < sizeof(names) / sizeof(names[0]) && names[op] ? names[op] : "unknown";
}

/* The RMP entry's low word, decoded: "shared" or "asid N gpa G [flags]". */
static void rmp_decode(unsigned long long lo, char *buf, size_t len)
{
	if (!(lo & 1)) {
		snprintf(buf, len, "shared");
		return;
	}
	snprintf(buf, len, "asid %llu gpa 0x%llx%s%s%s%s", (lo >> 51) & 0x3ff,
		 lo & 0x7fffffffff000ull, lo & 2 ? " 2M" : "", lo & 4 ? " immutable" : "",
		 lo & (1ull << 61) ? " vmsa" : "", lo & (1ull << 62) ? " validated" : "");
}

/* ftrace's text format, as /sys/kernel/tracing/trace prints it. */
void launch_print_trace(FILE *out, const struct launch_result *res)
{
	unsigned int i;
	char old[128], new[128];

	fprintf(out, "# tracer: nop\n#\n# entries-in-buffer/entries-written: %u/%llu   #P:1\n#\n",
		res->nr_trace, res->nr_trace + res->trace_dropped);
	fprintf(out, "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n");
	fprintf(out, "#              | |         |   |||||     |         |\n");
	for (i = 0; i < res->nr_trace; i++) {
		const struct kvm_coco_trace_entry *e = &res->trace[i];

		rmp_decode(e->old_rmp, old, sizeof(old));
		rmp_decode(e->new_rmp, new, sizeof(new));
		fprintf(out, "%16s-%-7d [000] ..... %6llu.%06llu: kvm_snp_rmp: %s pfn 0x%llx: "
			"%s -> %s ret %d\n", "kvm-coco", (int)getpid(), e->ts_ns / 1000000000ull,
			(e->ts_ns / 1000) % 1000000, launch_rmp_op_name(e->op),
			(unsigned long long)e->pfn, old, new, e->ret);
	}
}

static void print_hex(FILE *out, const unsigned char *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		fprintf(out, "%02x", b[i]);
}

static void print_json(const struct launch_args *a, const struct launch_result *res,
		       bool trace)
{
	unsigned long long per_op[8] = {};
	unsigned int i;

	if (a->tdx) {
		printf("{\"type\": \"tdx\", \"mrtd\": \"");
		print_hex(stdout, res->digest, sizeof(res->digest));
		printf("\", \"vcpus\": %u, \"pages\": %llu, \"seconds\": %.6f}\n", a->vcpus,
		       res->pages, res->seconds);
		return;
	}
	for (i = 0; i < res->nr_trace; i++)
		per_op[res->trace[i].op & 7]++;
	printf("{\"type\": \"snp\", \"launch_digest\": \"");
	print_hex(stdout, res->digest, sizeof(res->digest));
	printf("\", \"vcpus\": %u, \"pages\": %llu, \"seconds\": %.6f, \"rmp_transitions\": %u, "
	       "\"rmp_transitions_by_op\": {", a->vcpus, res->pages, res->seconds,
	       res->nr_trace);
	for (i = 1; i <= KVM_COCO_RMP_MAKE_FIRMWARE; i++)
		printf("%s\"%s\": %llu", i > 1 ? ", " : "", launch_rmp_op_name(i), per_op[i]);
	printf("}, \"leaked_pages\": %llu", per_op[KVM_COCO_RMP_LEAK]);
	if (trace) {
		printf(", \"trace\": [");
		for (i = 0; i < res->nr_trace; i++) {
			const struct kvm_coco_trace_entry *e = &res->trace[i];

			printf("%s{\"seq\": %llu, \"ts_ns\": %llu, \"op\": \"%s\", \"pfn\": %llu, "
			       "\"old_rmp\": %llu, \"new_rmp\": %llu, \"ret\": %d}", i ? ", " : "",
			       (unsigned long long)e->seq, (unsigned long long)e->ts_ns,
			       launch_rmp_op_name(e->op), (unsigned long long)e->pfn,
			       (unsigned long long)e->old_rmp, (unsigned long long)e->new_rmp,
			       e->ret);
		}
		printf("]");
	}
	printf("}\n");
}

int cmd_launch(int argc, char **argv)
{
	bool trace = false, json = false;
	struct launch_result res;
	struct launch_args a;
	char **rest;
	int i, n = 0, r;

	/* --trace and --json take no value; the rest is measure's description. */
	rest = calloc(argc + 1, sizeof(*rest));
	if (!rest)
		return cli_error("out of memory");
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--trace"))
			trace = true;
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else
			rest[n++] = argv[i];
	}
	r = launch_args_parse(&a, n, rest, "launch");
	free(rest);
	if (r)
		return 1;
	if (trace && a.tdx) {
		launch_args_free(&a);
		return cli_error("launch: --trace is an SNP VM's RMP transitions; a TD has none");
	}
	r = launch_run(&a, &res);
	if (!r) {
		if (json) {
			print_json(&a, &res, trace);
		} else {
			/* The line `kvm-coco measure` prints for the same description. */
			printf("%s: ", a.tdx ? "MRTD" : "launch digest");
			print_hex(stdout, res.digest, sizeof(res.digest));
			printf("\n");
			if (trace)
				launch_print_trace(stdout, &res);
		}
	}
	free(res.trace);
	launch_args_free(&a);
	return r;
}
