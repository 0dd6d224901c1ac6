// SPDX-License-Identifier: GPL-2.0
/*
 * Replays a fuzz corpus without libFuzzer (a gcc build, plain or sanitized): each file in the
 * directories given is one input to kvm_coco_fuzz.c, in name order; TAP, one line per file.
 * A finding aborts, so make check fails with the file's name the last thing printed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The whole file, or NULL. */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data = NULL;
	long n;

	if (!fp)
		return NULL;
	if (!fseek(fp, 0, SEEK_END) && (n = ftell(fp)) >= 0 && !fseek(fp, 0, SEEK_SET)) {
		data = malloc(n + 1);
		if (data && fread(data, 1, n, fp) != (size_t)n) {
			free(data);
			data = NULL;
		}
		*len = n;
	}
	fclose(fp);
	return data;
}

int main(int argc, char **argv)
{
	unsigned int planned = 0, done = 0;
	struct dirent **names[argc];
	int counts[argc], i, j;
	char path[4096];

	printf("TAP version 13\n");
	for (i = 1; i < argc; i++) {
		counts[i] = scandir(argv[i], &names[i], NULL, by_name);
		if (counts[i] < 0) {
			printf("Bail out! cannot read %s\n", argv[i]);
			return 1;
		}
		for (j = 0; j < counts[i]; j++)
			planned += names[i][j]->d_name[0] != '.';
	}
	printf("1..%u\n", planned);
	for (i = 1; i < argc; i++) {
		for (j = 0; j < counts[i]; j++) {
			const char *name = names[i][j]->d_name;
			uint8_t *data;
			size_t len;

			if (name[0] == '.') {
				free(names[i][j]);
				continue;
			}
			snprintf(path, sizeof(path), "%s/%s", argv[i], name);
			data = slurp(path, &len);
			if (!data) {
				printf("not ok %u %s: cannot read it\n", ++done, name);
				return 1;
			}
			printf("# %s\n", name);
			fflush(stdout);
			LLVMFuzzerTestOneInput(data, len);
			printf("ok %u %s\n", ++done, name);
			free(data);
			free(names[i][j]);
		}
		free(names[i]);
	}
	printf("# Totals: pass:%u fail:0\n", done);
	return 0;
}
