// SPDX-License-Identifier: GPL-2.0
/*
 * The SNP launch digest against the known-answer vectors (vectors/snp-launch-digest.txt: the
 * first PAGE_INFO and the final digest of each case), plus properties the vectors do not pin:
 * order matters, gpa matters, contents matter only for measured types.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <crypto/hash.h>
#include <asm/snp_digest.h>

#include "test_util.h"
#include "vectors.h"

static void hex(const u8 *b, unsigned int n, char *out)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static u8 page_type_of(const char *kind)
{
	if (!strcmp(kind, "normal"))
		return SNP_PAGE_TYPE_NORMAL;
	if (!strcmp(kind, "zero"))
		return SNP_PAGE_TYPE_ZERO;
	if (!strcmp(kind, "unmeasured"))
		return SNP_PAGE_TYPE_UNMEASURED;
	if (!strcmp(kind, "secrets"))
		return SNP_PAGE_TYPE_SECRETS;
	if (!strcmp(kind, "cpuid"))
		return SNP_PAGE_TYPE_CPUID;
	if (!strcmp(kind, "vmsa"))
		return SNP_PAGE_TYPE_VMSA;
	return 0;
}

static void check_case(const struct vector_case *c)
{
	char got[2 * sizeof(struct snp_page_info) + 1];
	struct snp_page_info first;
	struct snp_digest d;
	unsigned int i, p;
	bool have_first = false;

	TEST_ASSERT(!snp_digest_init(&d), "snp_digest_init");
	for (i = 0; i < c->nr_steps; i++) {
		const struct vector_step *s = &c->steps[i];
		u8 type = page_type_of(s->kind);
		u8 page[PAGE_SIZE];

		TEST_ASSERT(type, "%s: unknown step '%s'", c->name, s->kind);
		for (p = 0; p < s->pages; p++) {
			u64 gpa = type == SNP_PAGE_TYPE_VMSA ? SNP_VMSA_GPA :
						s->gpa + p * PAGE_SIZE;

			vector_fill(s, p, page);
			if (!have_first) {
				snp_page_info_fill(&d, &first, type, gpa);
				if (type == SNP_PAGE_TYPE_NORMAL || type == SNP_PAGE_TYPE_VMSA)
					TEST_ASSERT(!crypto_shash_tfm_digest(d.tfm, page, PAGE_SIZE,
									     first.contents),
						    "sha384");
				have_first = true;
			}
			TEST_ASSERT(!snp_digest_add_page(&d, type, gpa, page), "add_page");
		}
	}
	if (c->page_info[0]) {
		hex((const u8 *)&first, sizeof(first), got);
		TEST_ASSERT(!strcmp(got, c->page_info),
			    "%s: first PAGE_INFO\n#   got  %s\n#   want %s", c->name, got,
			    c->page_info);
	}
	hex(d.digest, sizeof(d.digest), got);
	TEST_ASSERT(!strcmp(got, c->digest), "%s: digest\n#   got  %s\n#   want %s", c->name, got,
		    c->digest);
	snp_digest_destroy(&d);
}

static void test_known_answers(void)
{
	struct vector_file *f = vector_load("snp-launch-digest.txt");
	unsigned int i;

	TEST_ASSERT(f->nr_cases >= 8, "only %u cases in the vector file", f->nr_cases);
	for (i = 0; i < f->nr_cases; i++) {
		check_case(&f->cases[i]);
		ksft_print_msg("vector ok: %s\n", f->cases[i].name);
	}
	vector_free(f);
}

static void digest_of(u8 out[SNP_DIGEST_SIZE], const u8 types[], const u64 gpas[],
		      const u8 fill[], unsigned int n)
{
	struct snp_digest d;
	u8 page[PAGE_SIZE];
	unsigned int i;

	TEST_ASSERT(!snp_digest_init(&d), "init");
	for (i = 0; i < n; i++) {
		memset(page, fill[i], sizeof(page));
		TEST_ASSERT(!snp_digest_add_page(&d, types[i], gpas[i], page), "add");
	}
	memcpy(out, d.digest, SNP_DIGEST_SIZE);
	snp_digest_destroy(&d);
}

static void test_properties(void)
{
	const u8 t2[] = { SNP_PAGE_TYPE_NORMAL, SNP_PAGE_TYPE_ZERO };
	const u8 t2r[] = { SNP_PAGE_TYPE_ZERO, SNP_PAGE_TYPE_NORMAL };
	const u64 g2[] = { 0x1000, 0x2000 }, g2r[] = { 0x2000, 0x1000 };
	const u8 f2[] = { 1, 0 }, f2r[] = { 0, 1 }, f2z[] = { 1, 7 };
	u8 a[48], b[48];
	struct snp_digest d;

	digest_of(a, t2, g2, f2, 2);
	digest_of(b, t2r, g2r, f2r, 2);
	TEST_ASSERT(memcmp(a, b, 48), "order must matter");
	/* A ZERO page's contents are not measured. */
	digest_of(b, t2, g2, f2z, 2);
	TEST_ASSERT(!memcmp(a, b, 48), "ZERO page contents must not be measured");
	/* The gpa is measured. */
	digest_of(b, t2, g2r, f2, 2);
	TEST_ASSERT(memcmp(a, b, 48), "gpa must matter");
	/* Bad input. */
	TEST_ASSERT(!snp_digest_init(&d), "init");
	TEST_ASSERT_EQ(snp_digest_add_page(&d, 0, 0, a), -EINVAL);
	TEST_ASSERT_EQ(snp_digest_add_page(&d, 7, 0, a), -EINVAL);
	TEST_ASSERT_EQ(snp_digest_add_page(&d, SNP_PAGE_TYPE_ZERO, 0x800, a), -EINVAL);
	snp_digest_destroy(&d);
}

int main(void)
{
	static const struct ksft_test tests[] = {
		KSFT_TEST(test_known_answers),
		KSFT_TEST(test_properties),
	};

	return ksft_run(tests, ARRAY_SIZE(tests));
}
