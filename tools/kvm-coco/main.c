// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-coco: the command-line front end.  One function per subcommand; each uses the ioctl ABI
 * through the library front door, exactly as a VMM would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "caps", "print the supported VM types and capabilities", cmd_caps },
	{ "demo", "convert ranges of an SW_PROTECTED VM, launch an SNP guest, build a TD",
	  cmd_demo },
	{ "measure", "predict a launch digest or MRTD (see below)", cmd_measure },
	{ "launch", "launch an SNP guest or build a TD through the KVM ioctls (see below)",
	  cmd_launch },
	{ "attest", "run a guest that asks for its report, print and verify it (see below)",
	  cmd_attest },
};

static const char measure_help[] =
	"\n  kvm-coco measure --type snp --mem SIZE [--vcpus N] [--vmsa FILE]\n"
	"                   [--load GPA:FILE] [--zero GPA:LEN] [--unmeasured GPA:LEN]\n"
	"                   [--secrets GPA] [--cpuid GPA] ...\n"
	"      prints 'launch digest: <96 hex digits>'.  Pages are measured in the order\n"
	"      given, 4 KiB each (a FILE is zero-padded to whole pages), then one VMSA per\n"
	"      vCPU at gpa 0xfffffffff000: FILE (4096 bytes) or the built-in reset-state\n"
	"      VMSA (arch/x86/kvm/svm/vmsa.c).  SIZE, GPA, LEN: numbers, 0x.. hex, K/M/G.\n"
	"\n  kvm-coco measure --type tdx --mem SIZE [--vcpus N] --load GPA:FILE[:unmeasured] ...\n"
	"      prints 'MRTD: <96 hex digits>': each page TDH.MEM.PAGE.ADDed in order, then,\n"
	"      unless ':unmeasured', its sixteen 256-byte TDH.MR.EXTENDs.\n"
	"\n  kvm-coco launch [--trace] [--json] <the description measure takes>\n"
	"      performs that launch through the KVM ioctls, as a VMM would, and prints the\n"
	"      same line: 'launch digest:' (SNP) or 'MRTD:' (TDX).  Each SNP VMSA is built\n"
	"      from its vCPU's reset state (no --vmsa).  --trace: an SNP VM's RMP transitions\n"
	"      in ftrace's text format.  --json: a summary as JSON (with --trace: the\n"
	"      transitions too).  A launch that takes over a second shows a progress bar on\n"
	"      stderr.\n"
	"\n  kvm-coco attest --type tdx [--report-data HEX] [--out FILE]\n"
	"      builds a small TD, runs it (TCG engine) until it has asked the TDX module for\n"
	"      its TDREPORT_STRUCT with REPORTDATA HEX (up to 64 bytes, zero-padded), prints\n"
	"      the report as JSON and verifies it: its MAC (the platform's check), the MRTD\n"
	"      against measure's prediction, REPORTDATA.  Exit status 0 only if all hold.\n"
	"      --out: the raw 1024-byte report.\n"
	"\n  kvm-coco attest --type snp [--report-data HEX] [--host-data HEX] [--vmpl N]\n"
	"                  [--policy POLICY] [--out DIR]\n"
	"      launches a small SNP guest (LAUNCH_START with POLICY, default 0x30000;\n"
	"      LAUNCH_FINISH with HOST_DATA, up to 32 bytes) and runs it (TCG engine) until it\n"
	"      has asked the firmware for an attestation report at VMPL N (default 0) with\n"
	"      REPORT_DATA HEX, sealing the request itself under VMPCK0; prints the report as\n"
	"      JSON and verifies it: the chain (ARK, ASK, VCEK), the VCEK's signature, the\n"
	"      measurement against measure's prediction, REPORT_DATA, HOST_DATA.  Exit status\n"
	"      0 only if all hold.  --out: report.bin, ark.pem, ask.pem and vcek.pem in DIR\n"
	"      (scripts/verify-snp-report.sh DIR checks them with the openssl command line).\n";

static void usage(FILE *out)
{
	unsigned int i;

	fprintf(out, "usage: kvm-coco <command> [options]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fputs(measure_help, out);
	fprintf(out, "\n  kvm-coco --help      this text\n");
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2) {
		fprintf(stderr, "kvm-coco: missing command (try 'kvm-coco --help')\n");
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "kvm-coco: unknown command '%s' (try 'kvm-coco --help')\n", argv[1]);
	return 2;
}
