/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Corpus replay without libFuzzer: feeds every file named on the command
 * line (directories are walked one level) to LLVMFuzzerTestOneInput(),
 * each input placed right before a PROT_NONE page (tests/lib/guard.h) so
 * an over-read faults under any compiler.  A failed property aborts, so a
 * failing file stops the run; the name is printed first.
 *
 *   replay_<target> [-v] FILE|DIR...
 *
 * Prints "fuzz.<target>: N passed, 0 failed" like the unit tests; a crash
 * names the file that caused it.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "guard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_TARGET_NAME
#define FUZZ_TARGET_NAME "target"
#endif

static unsigned long n_files;
static int verbose;
static const char *current = "(empty input)";

/* Name the input that crashed, then die of the same signal. */
static void on_crash(int sig)
{
	fputs("\nfuzz replay: crash on ", stderr);
	fputs(current, stderr);
	fputs("\n", stderr);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int run_file(const char *path)
{
	static uint8_t buf[1 << 20];
	struct guard g;
	const uint8_t *p;
	size_t len;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return -1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	if (ferror(f)) {
		perror(path);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (verbose)
		fprintf(stderr, "replay %s (%zu bytes)\n", path, len);
	current = path;
	p = guard_place(&g, buf, len);
	LLVMFuzzerTestOneInput(p, len);
	guard_free(&g);
	n_files++;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int run_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char *full;
		size_t l;

		if (e->d_name[0] == '.')
			continue;
		l = strlen(path) + strlen(e->d_name) + 2;
		full = (char *)malloc(l);
		if (!full)
			abort();
		snprintf(full, l, "%s/%s", path, e->d_name);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = (char **)realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[n++] = full;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		struct stat fst;

		if (stat(names[i], &fst) == 0 && S_ISREG(fst.st_mode) &&
		    run_file(names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int i, rc = 0;

	signal(SIGABRT, on_crash);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGILL, on_crash);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
			continue;
		}
		if (run_path(argv[i]) != 0)
			rc = 1;
	}
	/* Also the empty input, which no corpus directory holds. */
	{
		struct guard g;
		const uint8_t *p = guard_place(&g, "", 0);

		current = "(empty input)";
		LLVMFuzzerTestOneInput(p, 0);
		guard_free(&g);
	}
	if (n_files == 0) {
		fprintf(stderr, "fuzz.%s: no corpus files\n", FUZZ_TARGET_NAME);
		rc = 1;
	}
	printf("fuzz.%s: %lu passed, %d failed\n", FUZZ_TARGET_NAME, n_files,
	       rc);
	return rc;
}
