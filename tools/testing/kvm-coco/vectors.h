/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reader for the known-answer vector files in vectors/ (SNP launch digests, TDX MRTDs).
 * A case is "case: NAME", step lines "KIND [GPA] [fill=0xXX|ramp] [pages=N] [measured|
 * unmeasured]", and result lines "page_info: HEX", "digest: HEX" or "mrtd: HEX".
 */
#ifndef KVM_COCO_TEST_VECTORS_H
#define KVM_COCO_TEST_VECTORS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define VECTOR_MAX_STEPS	16
#define VECTOR_MAX_CASES	32

struct vector_step {
	char kind[16];
	unsigned long long gpa;
	int fill;		/* 0..255, or -1 for ramp */
	unsigned int pages;
	int measured;		/* TDX: 1 measured, 0 unmeasured */
};

struct vector_case {
	char name[256];
	struct vector_step steps[VECTOR_MAX_STEPS];
	unsigned int nr_steps;
	char page_info[2 * 0x70 + 1];
	char digest[97];
};

struct vector_file {
	struct vector_case cases[VECTOR_MAX_CASES];
	unsigned int nr_cases;
};

static inline void vector_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
}

/* Byte j of page p of a step's run. */
static inline void vector_fill(const struct vector_step *s, unsigned int p, unsigned char *page)
{
	unsigned int j;

	for (j = 0; j < 4096; j++)
		page[j] = s->fill < 0 ? (unsigned char)((p * 4096ul + j) % 256) :
					(unsigned char)s->fill;
}

static inline void vector_parse_step(struct vector_case *c, char *line)
{
	struct vector_step *s = &c->steps[c->nr_steps++];
	char *tok = strtok(line, " \t\n");

	TEST_ASSERT(c->nr_steps <= VECTOR_MAX_STEPS, "too many steps in %s", c->name);
	memset(s, 0, sizeof(*s));
	vector_copy(s->kind, sizeof(s->kind), tok);
	s->pages = 1;
	s->measured = 1;
	while ((tok = strtok(NULL, " \t\n"))) {
		if (!strncmp(tok, "0x", 2))
			s->gpa = strtoull(tok, NULL, 16);
		else if (!strncmp(tok, "fill=", 5))
			s->fill = (int)strtoul(tok + 5, NULL, 16);
		else if (!strcmp(tok, "ramp"))
			s->fill = -1;
		else if (!strncmp(tok, "pages=", 6))
			s->pages = (unsigned int)strtoul(tok + 6, NULL, 0);
		else if (!strcmp(tok, "unmeasured"))
			s->measured = 0;
		else if (!strcmp(tok, "measured"))
			s->measured = 1;
		else
			TEST_ASSERT(0, "unknown token '%s' in %s", tok, c->name);
	}
}

static inline struct vector_file *vector_load(const char *name)
{
	struct vector_file *f = calloc(1, sizeof(*f));
	struct vector_case *c = NULL;
	char path[512], line[1024];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", VECTOR_DIR, name);
	fp = fopen(path, "r");
	TEST_ASSERT(f && fp, "cannot open %s", path);
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		if (!strncmp(line, "case: ", 6)) {
			TEST_ASSERT(f->nr_cases < VECTOR_MAX_CASES, "too many cases");
			c = &f->cases[f->nr_cases++];
			vector_copy(c->name, sizeof(c->name), line + 6);
		} else if (!c) {
			TEST_ASSERT(0, "%s: line before the first case: %s", path, line);
		} else if (!strncmp(line, "page_info: ", 11)) {
			vector_copy(c->page_info, sizeof(c->page_info), line + 11);
		} else if (!strncmp(line, "digest: ", 8)) {
			vector_copy(c->digest, sizeof(c->digest), line + 8);
		} else if (!strncmp(line, "mrtd: ", 6)) {
			vector_copy(c->digest, sizeof(c->digest), line + 6);
		} else {
			vector_parse_step(c, line);
		}
	}
	fclose(fp);
	return f;
}

static inline void vector_free(struct vector_file *f)
{
	free(f);
}

#endif
