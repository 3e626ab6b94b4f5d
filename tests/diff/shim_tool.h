/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Helpers of the differential drivers that run an sg3_utils tool on a fake
 * device through sgio_preload.so (tests/diff/sgio_preload.c): write the
 * data the shim serves, run the tool with the shim preloaded and the
 * shim's SALUA_SHIM_* variables, read what it printed.
 */
#ifndef SALUA_SHIM_TOOL_H
#define SALUA_SHIM_TOOL_H

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "salua/port.h"

extern char **environ;

/* @b as hex text in @path (what the shim's SALUA_SHIM_* files hold). */
static SALUA_MAYBE_UNUSED void shim_write_hex(const char *path,
					       const uint8_t *b, size_t n)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f) {
		perror(path);
		exit(2);
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%02x%c", b[i], (i % 16 == 15) ? '\n' : ' ');
	fprintf(f, "\n");
	fclose(f);
}

/* The whole file (up to 1 MiB) as a string; "" when it cannot be read. */
static SALUA_MAYBE_UNUSED char *shim_slurp(const char *path)
{
	static char text[1 << 20];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	text[0] = '\0';
	if (!f)
		return text;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return text;
}

/*
 * Run @argv with @shim preloaded, the "K=V" strings of @env (NULL
 * terminated) added and every other LD_PRELOAD / SALUA_SHIM_ variable
 * removed; stdout to @out, stderr to @err; @log (the shim's command log)
 * is emptied first.  posix_spawn (vfork-like in glibc) keeps a sanitizer
 * build fast.  Returns the exit status, 128 for a signal.
 */
static SALUA_MAYBE_UNUSED int shim_run(const char *shim, char *const argv[],
				       const char *const env[],
				       const char *log, const char *out,
				       const char *err)
{
	static char e_pre[512], e_log[400];
	char *envp[256];
	size_t ne = 0, i;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, rc;

	unlink(log);
	snprintf(e_pre, sizeof(e_pre), "LD_PRELOAD=%s", shim);
	snprintf(e_log, sizeof(e_log), "SALUA_SHIM_LOG=%s", log);
	envp[ne++] = e_pre;
	envp[ne++] = e_log;
	for (i = 0; env && env[i] && ne < 64; i++)
		envp[ne++] = (char *)(uintptr_t)env[i];
	for (i = 0; environ[i] && ne < 255; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) &&
		    strncmp(environ[i], "SALUA_SHIM_", 11))
			envp[ne++] = environ[i];
	envp[ne] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, err,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "posix_spawn %s: %s\n", argv[0], strerror(rc));
		exit(2);
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		exit(2);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

#endif /* SALUA_SHIM_TOOL_H */
