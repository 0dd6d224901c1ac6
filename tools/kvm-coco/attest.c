// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-coco attest --type snp|tdx: launch a small guest that asks for its attestation report
 * with the REPORT_DATA given, print the report as JSON and verify it as a relying party would.
 * The SNP guest is attest_snp.c's, the TD attest_tdx.c's.  Exit status 0 only if the report
 * verifies.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "attest.h"
#include "cli.h"

#define SNP_POLICY_DEFAULT	0x30000ull	/* MBO (bit 17) and SMT allowed (bit 16) */

void attest_hex(FILE *f, const uint8_t *b, unsigned int n)
{
	while (n--)
		fprintf(f, "%02x", *b++);
}

/* @opt's value: up to @max bytes in hex, the rest zero. */
static int parse_hex(const char *opt, const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s), i;
	unsigned int b;

	if (n % 2 || n > 2 * max)
		return cli_error("--%s: up to %zu bytes in hex", opt, max);
	for (i = 0; i < n / 2; i++) {
		if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &b) != 1)
			return cli_error("--%s: not hex: %s", opt, s);
		out[i] = b;
	}
	return 0;
}

static int parse_number(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || !*s || *end || *s == '-' || *out > max)
		return cli_error("--%s: not a number up to %#llx: %s", opt,
				 (unsigned long long)max, s);
	return 0;
}

static int parse_opt(struct attest_opts *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 'd':
		return parse_hex("report-data", arg, o->report_data, sizeof(o->report_data));
	case 'h':
		return parse_hex("host-data", arg, o->host_data, sizeof(o->host_data));
	case 'p':
		return parse_number("policy", arg, ~0ull, &o->policy);
	case 'v':
		if (parse_number("vmpl", arg, 3, &v))
			return 1;
		o->vmpl = v;
		return 0;
	case 'o':
		o->out = arg;
		return 0;
	}
	return cli_error("attest: see kvm-coco --help");
}

int cmd_attest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "report-data", required_argument, NULL, 'd' },
		{ "host-data", required_argument, NULL, 'h' },
		{ "policy", required_argument, NULL, 'p' },
		{ "vmpl", required_argument, NULL, 'v' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct attest_opts o = { .policy = SNP_POLICY_DEFAULT };
	bool snp_only = false;
	const char *type = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 't') {
			type = optarg;
			continue;
		}
		if (parse_opt(&o, c, optarg))
			return 1;
		snp_only |= c == 'h' || c == 'p' || c == 'v';
	}
	if (optind < argc)
		return cli_error("attest: unexpected argument %s", argv[optind]);
	if (type && !strcmp(type, "snp"))
		return attest_snp(&o);
	if (type && !strcmp(type, "tdx") && !snp_only)
		return attest_tdx(&o);
	if (type && !strcmp(type, "tdx"))
		return cli_error("attest: --host-data, --policy and --vmpl are SNP's");
	return cli_error("attest: --type snp or --type tdx");
}
