// SPDX-License-Identifier: GPL-2.0
/*
 * The kvm-coco CLI as a user runs it: `measure` reproduces the known-answer vectors from
 * files on disk, pads short files, uses the documented built-in VMSA, and every bad argument
 * gets one line on stderr and a non-zero exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "test_util.h"
#include "vectors.h"

/* Our own vector: the built-in VMSA of one vCPU and nothing else. */
#define BUILTIN_VMSA_ONE_VCPU_DIGEST \
	"bce323fcaa4011e43d69e5b1981127d16416dd16acce2b29b38152b311bbd18b" \
	"a368089b6962ce2c14980e0820baf903"

static char dir[] = "/tmp/kvm-coco-cli-XXXXXX";
static char out[8192], err[8192];

/* What the last command wrote to @name in the work directory, as a string. */
static void read_capture(const char *name, char *buf, size_t size)
{
	char path[512];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = 0;
}

/* Run the CLI with @args; capture stdout and stderr; return the exit code. */
static int cli(const char *args)
{
	char cmd[4096];
	int status;

	snprintf(cmd, sizeof(cmd), "cd %s && %s %s >out 2>err", dir, KVM_COCO_CLI, args);
	status = system(cmd);
	read_capture("out", out, sizeof(out));
	read_capture("err", err, sizeof(err));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void write_file(const char *name, int fill, size_t len)
{
	char path[512];
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	TEST_ASSERT(f, "create %s", path);
	for (i = 0; i < len; i++)
		fputc(fill < 0 ? (int)(i % 256) : fill, f);
	fclose(f);
}

static void expect_digest(const char *args, const char *want)
{
	char line[200];

	TEST_ASSERT(!cli(args), "kvm-coco %s failed: %s", args, err);
	snprintf(line, sizeof(line), "launch digest: %s\n", want);
	TEST_ASSERT(!strcmp(out, line), "kvm-coco %s\n#   printed %s#   want    %s", args, out,
		    line);
}

static const char *vector_digest(const char *name_prefix)
{
	static struct vector_file *f;
	unsigned int i;

	if (!f)
		f = vector_load("snp-launch-digest.txt");
	for (i = 0; i < f->nr_cases; i++)
		if (!strncmp(f->cases[i].name, name_prefix, strlen(name_prefix)))
			return f->cases[i].digest;
	TEST_ASSERT(0, "no vector '%s'", name_prefix);
	return NULL;
}

static void test_measure_reproduces_vectors(void)
{
	write_file("ramp8k", -1, 8192);
	write_file("5a", 0x5a, 4096);
	write_file("ab", 0xab, 4096);
	write_file("zero4k", 0, 4096);
	expect_digest("measure --type snp --mem 16M --vcpus 2 --vmsa ab --load 0x100000:ramp8k "
		      "--zero 0x200000:0x2000 --unmeasured 0x300000:4096 --secrets 0x400000 "
		      "--cpuid 0x401000 --load 0x500000:5a", vector_digest("mixed launch"));
	expect_digest("measure --type snp --mem 1G --vcpus 1 --vmsa ab",
		      vector_digest("one VMSA page"));
}

static void test_short_files_are_zero_padded(void)
{
	char padded[sizeof(out)];

	write_file("short", 0x5a, 5000);
	TEST_ASSERT(!cli("measure --type snp --mem 1M --vmsa ab --load 0:short"), "%s", err);
	memcpy(padded, out, sizeof(out));
	/* The same bytes, padded by hand to two pages. */
	{
		char path[512];
		FILE *f;
		int i;

		snprintf(path, sizeof(path), "%s/padded", dir);
		f = fopen(path, "wb");
		for (i = 0; i < 8192; i++)
			fputc(i < 5000 ? 0x5a : 0, f);
		fclose(f);
	}
	TEST_ASSERT(!cli("measure --type snp --mem 1M --vmsa ab --load 0:padded"), "%s", err);
	TEST_ASSERT(!strcmp(out, padded), "padding differs: %s vs %s", out, padded);
}

static void test_builtin_vmsa(void)
{
	/* Derived by kvm-coco from the documented reset state (arch/x86/kvm/svm/vmsa.c). */
	expect_digest("measure --type snp --mem 1M --vcpus 1",
		      BUILTIN_VMSA_ONE_VCPU_DIGEST);
	/* Two vCPUs measure two VMSAs. */
	TEST_ASSERT(!cli("measure --type snp --mem 1M --vcpus 2"), "%s", err);
	TEST_ASSERT(strcmp(out, "launch digest: " BUILTIN_VMSA_ONE_VCPU_DIGEST "\n"),
		    "two vCPUs measured like one");
}

static void test_launch_agrees_with_measure(void)
{
	static const char desc[] = "--type snp --mem 16M --vcpus 3 --load 0x100000:ramp8k "
				   "--zero 0x200000:0x2000 --unmeasured 0x300000:4096 "
				   "--secrets 0x400000 --cpuid 0x401000 --load 0x500000:short";
	char cmd[512], measured[sizeof(out)];

	write_file("ramp8k", -1, 8192);
	write_file("short", 0x5a, 5000);
	snprintf(cmd, sizeof(cmd), "measure %s", desc);
	TEST_ASSERT(!cli(cmd), "measure: %s", err);
	memcpy(measured, out, sizeof(out));
	TEST_ASSERT(!strncmp(measured, "launch digest: ", 15), "measure printed %s", measured);
	snprintf(cmd, sizeof(cmd), "launch %s", desc);
	TEST_ASSERT(!cli(cmd), "launch: %s", err);
	TEST_ASSERT(!strcmp(out, measured), "launch and measure disagree:\n#   %s#   %s", out,
		    measured);

	/* --json: the same digest, every transition accounted for, nothing leaked. */
	snprintf(cmd, sizeof(cmd), "launch --json %s", desc);
	TEST_ASSERT(!cli(cmd), "launch --json: %s", err);
	measured[15 + 96] = 0;
	TEST_ASSERT(strstr(out, measured + 15), "--json digest differs: %s", out);
	/*
	 * The context page handed to the firmware; 2 + 2 + 1 + 1 + 1 + 2 pages and 3 VMSAs:
	 * each made private, then launched.
	 */
	TEST_ASSERT(strstr(out, "\"rmp_transitions\": 25") &&
		    strstr(out, "\"make_firmware\": 1") && strstr(out, "\"leaked_pages\": 0"),
		    "--json summary: %s", out);
}

static void test_launch_trace(void)
{
	unsigned int lines = 0;
	char *p;

	write_file("ab", 0xab, 4096);
	TEST_ASSERT(!cli("launch --trace --type snp --mem 1M --vcpus 1 --load 0:ab"), "%s", err);
	TEST_ASSERT(strstr(out, "# tracer: nop\n"), "no ftrace header: %s", out);
	for (p = out; (p = strstr(p, ": kvm_snp_rmp: ")); p++)
		lines++;
	/* The context page to the firmware, the page and the VMSA in, each launched. */
	TEST_ASSERT_EQ(lines, 5);
	TEST_ASSERT(strstr(out, "make_firmware pfn 0x") && strstr(out, "make_private pfn 0x") &&
		    strstr(out, "fw_launch pfn 0x") &&
		    strstr(out, "-> asid 1 gpa 0xfffffffff000 vmsa validated ret 0"), "%s", out);
}

/*
 * measure reproduces the TDX vectors, and a TD built through the KVM ioctls (launch) has the
 * MRTD measure predicts: the same lines for the same descriptions.
 */
static void test_tdx_vectors_measure_and_launch(void)
{
	static const char *const verbs[] = { "measure", "launch" };
	static struct vector_file *f;
	char cmd[256], line[200];
	unsigned int v;

	f = vector_load("tdx-mrtd.txt");
	write_file("ramp8k", -1, 8192);
	write_file("5a", 0x5a, 4096);
	write_file("ab", 0xab, 4096);
	write_file("zero4k", 0, 4096);
	for (v = 0; v < 2; v++) {
		snprintf(cmd, sizeof(cmd), "%s --type tdx --mem 16M --vcpus 2 --load "
			 "0x100000:ramp8k --load 0x200000:5a:unmeasured --load 0x800000:ab",
			 verbs[v]);
		TEST_ASSERT(!cli(cmd), "%s", err);
		snprintf(line, sizeof(line), "MRTD: %s\n", f->cases[3].digest);
		TEST_ASSERT(!strcmp(out, line), "%s: MRTD %s, want %s", verbs[v], out, line);
		snprintf(cmd, sizeof(cmd), "%s --type tdx --mem 1M --load 0:zero4k:unmeasured",
			 verbs[v]);
		TEST_ASSERT(!cli(cmd), "%s", err);
		snprintf(line, sizeof(line), "MRTD: %s\n", f->cases[0].digest);
		TEST_ASSERT(!strcmp(out, line), "%s: MRTD %s, want %s", verbs[v], out, line);
	}
	TEST_ASSERT(!cli("launch --json --type tdx --mem 16M --load 0x100000:ramp8k"), "%s", err);
	TEST_ASSERT(strstr(out, "\"type\": \"tdx\"") && strstr(out, "\"pages\": 2"),
		    "--json: %s", out);
	vector_free(f);
}

static void test_bad_arguments(void)
{
	static const char *const bad[] = {
		"measure",
		"measure --type snp",
		"measure --mem 1M",
		"measure --type snp --mem 0",
		"measure --type snp --mem 4095",
		"measure --type snp --mem 1M --vcpus 0",
		"measure --type snp --mem 1M --vcpus x",
		"measure --type snp --mem 1M --load 0x1001:ab",
		"measure --type snp --mem 1M --load 0x100000:ab",
		"measure --type snp --mem 1M --load 0xff000:ramp8k",
		"measure --type snp --mem 1M --load 0:nonexistent",
		"measure --type snp --mem 1M --load 0",
		"measure --type snp --mem 1M --zero 0:0",
		"measure --type snp --mem 1M --zero 0:100",
		"measure --type snp --mem 1M --load 0:ab --zero 0:4096",
		"measure --type snp --mem 1M --secrets 0x1000 --cpuid 0x1000",
		"measure --type snp --mem 1M --vmsa ramp8k",
		"measure --type snp --mem 1M --vmsa nonexistent",
		"measure --type snp --mem 1M --bogus 1",
		"measure --type snp --mem 1M --load",
		"measure --type tdx --mem 1M --zero 0:4096",
		"measure --type tdx --mem 1M --secrets 0",
		"measure --type tdx --mem 1M --vmsa ab",
		"measure --type tdx --mem 1M --load 0:nonexistent:unmeasured",
		"measure --type tdx --type snp --mem 1M",
		"measure --load 0:ab --type tdx --mem 1M",
		"launch --trace --type tdx --mem 1M --load 0:ab",
		"launch --type tdx --mem 1M --load 0x200000:ab",
		"launch",
		"launch --type snp --mem 1M --vmsa ab",
		"launch --json --type snp",
		"launch --type snp --mem 1M --zero 0:100",
		"nosuchcommand",
		"",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = cli(bad[i]);
		char *nl = strchr(err, '\n');

		TEST_ASSERT(rc != 0, "'kvm-coco %s' succeeded", bad[i]);
		TEST_ASSERT(!strncmp(err, "kvm-coco: ", 10) && nl && !nl[1],
			    "'kvm-coco %s': expected one 'kvm-coco: ' line, got '%s'", bad[i], err);
		TEST_ASSERT(!out[0], "'kvm-coco %s' printed to stdout: %s", bad[i], out);
	}
}

static void test_help_and_caps(void)
{
	TEST_ASSERT(!cli("--help"), "--help failed");
	TEST_ASSERT(strstr(out, "measure --type snp"), "--help does not document measure");
	TEST_ASSERT(!cli("caps"), "caps failed: %s", err);
	TEST_ASSERT(strstr(out, "SW_PROTECTED(1)") && strstr(out, "SNP(4)") &&
		    strstr(out, "GUEST_MEMFD          1") &&
		    strstr(out, "EXIT_HYPERCALL       4096") &&
		    strstr(out, "COCO_ENGINE (ours)   3"), "caps: %s", out);
	TEST_ASSERT(cli("caps extra") != 0, "caps accepted an argument");
}

/*
 * The progress bar: on stderr only, ending at 100% and a newline, for SNP and TDX launches
 * that take longer than KVM_COCO_PROGRESS_AFTER seconds (1 by default: none for a short one).
 */
static void test_progress_bar(void)
{
	static const char *const launches[] = {
		"launch --type snp --mem 16M --zero 0:8M",
		"launch --type tdx --mem 16M --load 0:ab8m",
	};
	static const char tail[] = "] 100% 2048/2048 pages\n";
	size_t n;
	unsigned int i;

	write_file("ab8m", 0xab, 8 << 20);
	for (i = 0; i < 2; i++) {
		TEST_ASSERT(!setenv("KVM_COCO_PROGRESS_AFTER", "0", 1), "setenv");
		TEST_ASSERT(!cli(launches[i]), "%s", err);
		n = strlen(err);
		TEST_ASSERT(!strncmp(err, "\rlaunch [", 9) && n > sizeof(tail) &&
			    !strcmp(err + n - (sizeof(tail) - 1), tail),
			    "%s: bar '%s'", launches[i], err);
		TEST_ASSERT(!strncmp(out, i ? "MRTD: " : "launch digest: ", i ? 6 : 15) &&
			    !strchr(out, '\r'), "%s: stdout '%s'", launches[i], out);
		TEST_ASSERT(!unsetenv("KVM_COCO_PROGRESS_AFTER"), "unsetenv");
		TEST_ASSERT(!cli(launches[i]), "%s", err);
		TEST_ASSERT(!err[0], "%s: a short launch drew a bar: '%s'", launches[i], err);
	}
}

/*
 * make run: a real guest prints on the debug port, four of its requests exit from KVM_RUN and
 * are converted (the map shows them), and both launches done through KVM agree with what
 * measure predicts.
 */
static void test_demo(void)
{
	char *second, *p = out;
	int exits = 0;

	TEST_ASSERT(!cli("demo"), "demo failed: %s", err);
	while ((p = strstr(p, "KVM_EXIT_HYPERCALL MAP_GPA_RANGE")) && ++exits)
		p++;
	TEST_ASSERT_EQ(exits, 4);
	/* The library host runs a real guest: its port output, and its private write kept. */
	TEST_ASSERT(strstr(out, "the guest prints \"hello from the guest: converting memory\"") &&
		    strstr(out, "which it made private: the shared side reads 0 there"),
		    "demo guest: %s", out);
	TEST_ASSERT(strstr(out, "  [0x00200000, 0x00210000) shared\n") &&
		    strstr(out, "  [0x00210000, 0x00500000) private\n"), "demo map: %s", out);
	second = strstr(out, "predicted by measure: yes, identical");
	TEST_ASSERT(second && strstr(second + 1, "predicted by measure: yes, identical") &&
		    strstr(out, "launch digest: ") && strstr(out, "MRTD: "), "demo: %s", out);
}

/*
 * attest: a TD's report, verified by the CLI (MAC, MRTD, REPORTDATA); the raw report's
 * structure checked here with libcrypto (the MAC's key is the CLI process's platform's).
 */
static void test_attest_tdx(void)
{
	uint8_t report[1024], h[48];
	char path[512], mrtd[97] = {}, *p;
	FILE *f;
	int i;

	TEST_ASSERT(!cli("attest --type tdx --report-data 0a0b0c --out rep.bin"),
		    "attest failed: %s", err);
	TEST_ASSERT(strstr(out, "\"verified\": true") && strstr(out, "\"mac_valid\": true") &&
		    strstr(out, "\"mrtd_matches\": true"), "attest: %s", out);
	p = strstr(out, "\"report_data\": \"0a0b0c");
	TEST_ASSERT(p && !strncmp(p + 23, "000000", 6), "attest report data: %s", out);
	p = strstr(out, "\"mrtd_predicted\": \"");
	TEST_ASSERT(p, "attest: %s", out);
	memcpy(mrtd, p + 19, 96);

	snprintf(path, sizeof(path), "%s/rep.bin", dir);
	f = fopen(path, "rb");
	TEST_ASSERT(f && fread(report, 1, sizeof(report), f) == sizeof(report), "rep.bin");
	fclose(f);
	TEST_ASSERT_EQ(report[0], 0x81);
	TEST_ASSERT(report[128] == 0x0a && report[129] == 0x0b && report[130] == 0x0c &&
		    !report[131], "REPORTDATA");
	for (i = 0; i < 48; i++) {
		unsigned int b;

		TEST_ASSERT_EQ(sscanf(mrtd + 2 * i, "%2x", &b), 1);
		TEST_ASSERT_EQ(report[528 + i], b);
	}
	SHA384(report + 256, 239, h);
	TEST_ASSERT_EQ(memcmp(report + 32, h, 48), 0);
	SHA384(report + 512, 512, h);
	TEST_ASSERT_EQ(memcmp(report + 80, h, 48), 0);

	TEST_ASSERT_EQ(cli("attest --type sev"), 1);
	TEST_ASSERT(strstr(err, "--type snp or --type tdx"), "attest --type sev: %s", err);
	TEST_ASSERT_EQ(cli("attest --type tdx --vmpl 1"), 1);
	TEST_ASSERT(strstr(err, "SNP's"), "attest --type tdx --vmpl: %s", err);
	TEST_ASSERT_EQ(cli("attest --type tdx --report-data 0g"), 1);
	TEST_ASSERT_EQ(cli("attest --type tdx --report-data 123"), 1);
	/* 65 bytes of REPORTDATA: one too many. */
	memcpy(path, "attest --type tdx --report-data ", 32);
	memset(path + 32, '0', 130);
	path[32 + 130] = 0;
	TEST_ASSERT_EQ(cli(path), 1);
}

/* @n bytes of hex after "@name": " in the last JSON printed. */
static void json_bytes(const char *name, uint8_t *b, unsigned int n)
{
	char key[64], *p;
	unsigned int i, v;

	snprintf(key, sizeof(key), "\"%s\": \"", name);
	p = strstr(out, key);
	TEST_ASSERT(p, "no %s in %s", name, out);
	p += strlen(key);
	for (i = 0; i < n; i++) {
		TEST_ASSERT_EQ(sscanf(p + 2 * i, "%2x", &v), 1);
		b[i] = v;
	}
}

static void read_report(const char *name, uint8_t *report, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	TEST_ASSERT(f && fread(report, 1, len, f) == len, "%s", path);
	fclose(f);
}

static int system_in_dir(const char *cmd)
{
	char line[1024];

	snprintf(line, sizeof(line), "cd %s && %s", dir, cmd);
	return system(line);
}

static void write_report(const char *name, const uint8_t *report, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	TEST_ASSERT(f && fwrite(report, len, 1, f) == 1 && !fclose(f), "%s", path);
}

static int verify_with_openssl(const char *sub)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/verify-snp-report.sh %s/%s 2>/dev/null", KVM_COCO_SCRIPTS,
		 dir, sub);
	return system(cmd);
}

/*
 * attest --type snp: an SNP guest seals its own report request; the CLI verifies the report
 * (chain, signature, predicted measurement, REPORT_DATA, HOST_DATA).  Checked here apart from
 * the CLI: the raw report's fields, and its files with the openssl command line alone
 * (scripts/verify-snp-report.sh); a tampered copy fails it.  The guest image is the same on
 * every run (so is its measurement); the report id is not.
 */
static void test_attest_snp(void)
{
	uint8_t report[0x4a0], predicted[48], first[48], id[32], id2[32];
	char *p;
	uint32_t u32;
	uint64_t u64;
	unsigned int i;

	TEST_ASSERT(!cli("attest --type snp --report-data c0ffee --host-data 0102 --vmpl 1 "
			 "--out snp"), "attest failed: %s", err);
	TEST_ASSERT(strstr(out, "\"chain_valid\": true") &&
		    strstr(out, "\"signature_valid\": true") &&
		    strstr(out, "\"measurement_matches\": true") &&
		    strstr(out, "\"verified\": true"), "attest: %s", out);
	json_bytes("measurement_predicted", predicted, 48);
	json_bytes("report_id", id, 32);
	read_report("snp/report.bin", report, sizeof(report));
	memcpy(&u32, report, 4);
	TEST_ASSERT_EQ(u32, 3);
	memcpy(&u64, report + 0x08, 8);
	TEST_ASSERT_EQ(u64, 0x30000);
	memcpy(&u32, report + 0x30, 4);
	TEST_ASSERT_EQ(u32, 1);					/* VMPL */
	TEST_ASSERT(report[0x50] == 0xc0 && report[0x51] == 0xff && report[0x52] == 0xee,
		    "REPORT_DATA");
	for (i = 0x53; i < 0x90; i++)
		TEST_ASSERT_EQ(report[i], 0);
	TEST_ASSERT(report[0xc0] == 1 && report[0xc1] == 2 && !report[0xc2], "HOST_DATA");
	TEST_ASSERT(!memcmp(report + 0x90, predicted, 48), "MEASUREMENT");
	TEST_ASSERT_EQ(verify_with_openssl("snp"), 0);
	/* The pin the JSON prints is the ARK key's, as openssl computes it from ark.pem. */
	TEST_ASSERT(!system_in_dir("openssl x509 -in snp/ark.pem -noout -pubkey | openssl pkey "
				   "-pubin -outform DER | openssl dgst -sha384 -r > keyfp"),
		    "openssl");
	read_capture("keyfp", err, sizeof(err));
	p = strstr(out, "\"ark_key_sha384\": \"");
	TEST_ASSERT(p && !strncmp(p + 19, err, 96), "ark_key_sha384: %s vs %s", out, err);
	report[0x90] ^= 1;
	write_report("snp/report.bin", report, sizeof(report));
	TEST_ASSERT(verify_with_openssl("snp") != 0, "a tampered report verified");

	/* Another policy (debugging allowed): the same image, the same measurement. */
	memcpy(first, predicted, 48);
	TEST_ASSERT(!cli("attest --type snp --policy 0xb0000"), "attest: %s", err);
	TEST_ASSERT(strstr(out, "\"policy\": \"0xb0000\"") && strstr(out, "\"verified\": true"),
		    "attest --policy: %s", out);
	json_bytes("measurement_predicted", predicted, 48);
	json_bytes("report_id", id2, 32);
	TEST_ASSERT(!memcmp(first, predicted, 48), "the guest image changed between runs");
	TEST_ASSERT(memcmp(id, id2, 32), "two guests, one report id");

	TEST_ASSERT_EQ(cli("attest --type snp --vmpl 4"), 1);
	TEST_ASSERT(strstr(err, "--vmpl"), "--vmpl 4: %s", err);
	TEST_ASSERT_EQ(cli("attest --type snp --policy 0x10000"), 1);	/* MBO clear */
	TEST_ASSERT(strstr(err, "SNP_LAUNCH_START"), "--policy 0x10000: %s", err);
	TEST_ASSERT_EQ(cli("attest --type snp --policy x"), 1);
	TEST_ASSERT_EQ(cli("attest --type snp --host-data 000102030405060708090a0b0c0d0e0f"
			   "101112131415161718191a1b1c1d1e1f20"), 1);
	TEST_ASSERT(strstr(err, "up to 32 bytes"), "--host-data: %s", err);
	TEST_ASSERT_EQ(cli("attest --type snp extra"), 1);
	TEST_ASSERT_EQ(cli("attest --type snp --out /dev/null/x"), 1);
}

static void remove_dir(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", dir);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_measure_reproduces_vectors),
		KSFT_TEST(test_short_files_are_zero_padded),
		KSFT_TEST(test_builtin_vmsa),
		KSFT_TEST(test_tdx_vectors_measure_and_launch),
		KSFT_TEST(test_launch_agrees_with_measure),
		KSFT_TEST(test_launch_trace),
		KSFT_TEST(test_bad_arguments),
		KSFT_TEST(test_help_and_caps),
		KSFT_TEST(test_progress_bar),
		KSFT_TEST(test_attest_tdx),
		KSFT_TEST(test_attest_snp),
		KSFT_TEST(test_demo),
	};

	TEST_ASSERT(mkdtemp(dir), "mkdtemp");
	atexit(remove_dir);
	return ksft_run(tests, sizeof(tests) / sizeof(tests[0]));
}
