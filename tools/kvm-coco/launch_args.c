// SPDX-License-Identifier: GPL-2.0
/* Parsing and checking of a launch description (see launch_args.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kvm-coco.h>

#include "cli.h"
#include "launch_args.h"

#define PAGE	4096ull

/* A number with an optional K/M/G suffix (binary); 0x... is hex. */
static int parse_size(const char *s, unsigned long long *out)
{
	unsigned long long v, mult = 1;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'K': case 'k': mult = 1ull << 10; end++; break;
	case 'M': case 'm': mult = 1ull << 20; end++; break;
	case 'G': case 'g': mult = 1ull << 30; end++; break;
	}
	if (*end || (v && mult > ~0ull / v))
		return -1;
	*out = v * mult;
	return 0;
}

static int read_file(const char *path, unsigned char **data, unsigned long long *len)
{
	FILE *f = fopen(path, "rb");
	long size;

	if (!f)
		return cli_error("cannot open '%s': %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return cli_error("cannot read '%s': %s", path, strerror(errno));
	}
	*len = ((unsigned long long)size + PAGE - 1) & ~(PAGE - 1);
	/* Page aligned: it is the uaddr of a LAUNCH_UPDATE. */
	*data = aligned_alloc(PAGE, *len ? *len : PAGE);
	if (*data)
		memset(*data, 0, *len ? *len : PAGE);
	if (!*data || fread(*data, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		return cli_error("cannot read '%s'", path);
	}
	fclose(f);
	if (!*len)
		return cli_error("'%s' is empty", path);
	return 0;
}

static struct launch_step *add_step(struct launch_args *a, unsigned int type)
{
	struct launch_step *s = realloc(a->steps, (a->nr_steps + 1) * sizeof(*s));

	if (!s)
		return NULL;
	a->steps = s;
	s = &a->steps[a->nr_steps++];
	memset(s, 0, sizeof(*s));
	s->type = type;
	return s;
}

/* TDX: FILE or FILE:unmeasured (the page is added but not extended into the MRTD). */
static int parse_tdx_load(struct launch_step *s, const char *val)
{
	static const char suffix[] = ":unmeasured";
	size_t n = strlen(val);
	char *path;
	int r;

	if (n > strlen(suffix) && !strcmp(val + n - strlen(suffix), suffix)) {
		s->type = LAUNCH_PAGE_UNMEASURED;
		n -= strlen(suffix);
	}
	path = strndup(val, n);
	if (!path)
		return cli_error("out of memory");
	r = read_file(path, &s->data, &s->len);
	free(path);
	return r;
}

/* GPA:REST for --load (REST a file) and --zero/--unmeasured (REST a length). */
static int parse_step(struct launch_args *a, unsigned int type, const char *opt, const char *val)
{
	struct launch_step *s = add_step(a, type);
	char *colon = strchr(val, ':');
	char gpa[64];

	if (!s)
		return cli_error("out of memory");
	if (type == LAUNCH_PAGE_SECRETS || type == LAUNCH_PAGE_CPUID) {
		s->len = PAGE;
		if (parse_size(val, &s->gpa))
			return cli_error("%s: bad gpa '%s'", opt, val);
		return 0;
	}
	if (!colon || colon == val || (size_t)(colon - val) >= sizeof(gpa))
		return cli_error("%s: expected GPA:%s, got '%s'", opt,
				 type == LAUNCH_PAGE_NORMAL ? "FILE" : "LEN", val);
	memcpy(gpa, val, colon - val);
	gpa[colon - val] = 0;
	if (parse_size(gpa, &s->gpa))
		return cli_error("%s: bad gpa '%s'", opt, gpa);
	if (type == LAUNCH_PAGE_NORMAL && a->tdx)
		return parse_tdx_load(s, colon + 1);
	if (type == LAUNCH_PAGE_NORMAL)
		return read_file(colon + 1, &s->data, &s->len);
	if (parse_size(colon + 1, &s->len) || !s->len || s->len % PAGE)
		return cli_error("%s: length '%s' is not a non-zero multiple of 4096", opt,
				 colon + 1);
	return 0;
}

static int read_vmsa(struct launch_args *a, const char *path)
{
	unsigned long long len;
	unsigned char *data;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return cli_error("--vmsa: cannot open '%s': %s", path, strerror(errno));
	fclose(f);
	if (read_file(path, &data, &len))
		return 1;
	if (len != PAGE) {
		free(data);
		return cli_error("--vmsa: '%s' must be exactly 4096 bytes", path);
	}
	memcpy(a->vmsa, data, PAGE);
	free(data);
	a->vmsa_given = true;
	return 0;
}

/* Every page inside guest memory, page aligned, and no page measured twice. */
static int check_steps(const struct launch_args *a)
{
	unsigned int i, j;

	for (i = 0; i < a->nr_steps; i++) {
		const struct launch_step *s = &a->steps[i];

		if (s->gpa % PAGE)
			return cli_error("gpa %#llx is not 4 KiB aligned", s->gpa);
		if (s->gpa >= a->mem || s->len > a->mem - s->gpa)
			return cli_error("[%#llx, %#llx) is outside guest memory (--mem %#llx)",
					 s->gpa, s->gpa + s->len, a->mem);
		for (j = 0; j < i; j++) {
			const struct launch_step *t = &a->steps[j];

			if (s->gpa >= t->gpa + t->len || t->gpa >= s->gpa + s->len)
				continue;
			return cli_error("[%#llx, %#llx) overlaps [%#llx, %#llx): a page can be "
					 "launched only once", s->gpa, s->gpa + s->len, t->gpa,
					 t->gpa + t->len);
		}
	}
	return 0;
}

static int parse_one(struct launch_args *a, const char *opt, const char *val, bool *have_type)
{
	static const struct {
		const char *name;
		unsigned int type;
	} steps[] = {
		{ "--load", LAUNCH_PAGE_NORMAL }, { "--zero", LAUNCH_PAGE_ZERO },
		{ "--unmeasured", LAUNCH_PAGE_UNMEASURED }, { "--secrets", LAUNCH_PAGE_SECRETS },
		{ "--cpuid", LAUNCH_PAGE_CPUID },
	};
	unsigned long long v;
	unsigned int i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (strcmp(opt, steps[i].name))
			continue;
		if (!*have_type)
			return cli_error("%s: give --type first", opt);
		if (a->tdx && steps[i].type != LAUNCH_PAGE_NORMAL)
			return cli_error("%s: TDX pages are --load GPA:FILE[:unmeasured]", opt);
		return parse_step(a, steps[i].type, opt, val);
	}
	if (!strcmp(opt, "--type")) {
		if (*have_type)
			return cli_error("--type given twice");
		if (!strcmp(val, "tdx"))
			a->tdx = true;
		else if (strcmp(val, "snp"))
			return cli_error("--type: unsupported type '%s' (snp or tdx)", val);
		*have_type = true;
		return 0;
	}
	if (!strcmp(opt, "--mem")) {
		if (parse_size(val, &a->mem) || !a->mem || a->mem % PAGE)
			return cli_error("--mem: '%s' is not a non-zero multiple of 4096", val);
		return 0;
	}
	if (!strcmp(opt, "--vcpus")) {
		if (parse_size(val, &v) || !v || v > 4096)
			return cli_error("--vcpus: '%s' is not a number from 1 to 4096", val);
		a->vcpus = (unsigned int)v;
		return 0;
	}
	if (!strcmp(opt, "--vmsa")) {
		if (a->tdx)
			return cli_error("--vmsa: TDX measures no VMSA");
		return read_vmsa(a, val);
	}
	return cli_error("unknown option '%s' (try 'kvm-coco --help')", opt);
}

int launch_args_parse(struct launch_args *a, int argc, char **argv, const char *cmd)
{
	bool have_type = false;
	int i;

	memset(a, 0, sizeof(*a));
	a->vcpus = 1;
	kvm_coco_snp_reset_vmsa(a->vmsa, 1);	/* SEV_FEATURES: SNP_ACTIVE */
	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc) {
			cli_error("%s: option '%s' needs a value", cmd, argv[i]);
			goto err;
		}
		if (parse_one(a, argv[i], argv[i + 1], &have_type))
			goto err;
	}
	if (!have_type) {
		cli_error("%s: --type is required (snp or tdx)", cmd);
		goto err;
	}
	if (!a->mem) {
		cli_error("%s: --mem is required", cmd);
		goto err;
	}
	if (check_steps(a))
		goto err;
	return 0;
err:
	launch_args_free(a);
	return 1;
}

void launch_args_free(struct launch_args *a)
{
	unsigned int i;

	for (i = 0; i < a->nr_steps; i++)
		free(a->steps[i].data);
	free(a->steps);
	a->steps = NULL;
	a->nr_steps = 0;
}

void launch_step_page(const struct launch_step *s, unsigned long long off, unsigned char *page)
{
	if (s->data)
		memcpy(page, s->data + off, PAGE);
	else
		memset(page, 0, PAGE);
}
