/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - reporting errors, once for every subcommand: a line on
 * standard error always, and with --json an object of type "error" on
 * standard output (one compact line in a --watch stream), so a script
 * that asked for JSON always gets JSON, whatever went wrong.
 */
#include "probe.h"

#include <stdarg.h>
#include <string.h>

static struct {
	bool json;
	bool lines;          /* JSON Lines stream (--watch) */
	const char *command; /* "decode", "probe", ...; NULL before parsing */
} out;

void probe_out_init(bool json, bool lines, const char *command)
{
	out.json = json;
	out.lines = lines;
	out.command = command;
}

bool probe_out_json(void)
{
	return out.json;
}

void probe_json_error(int exit_status, const struct probe_err *e)
{
	struct jw w;

	if (out.lines)
		jw_init_compact(&w, stdout);
	else
		jw_init(&w, stdout);
	jw_head(&w, "error", true, e);
	jw_key(&w, "command");
	jw_str(&w, out.command);
	jw_key(&w, "exit_status");
	jw_uint(&w, (uint64_t)exit_status);
	jw_obj_end(&w);
	jw_finish(&w);
	fflush(stdout);
}

int probe_fail_err(int exit_status, const struct probe_err *e)
{
	struct probe_err u;

	fprintf(stderr, "alua_probe: %s\n", e->message);
	if (exit_status == PROBE_EXIT_USAGE) {
		fputs("Try 'alua_probe --help' for more information.\n", stderr);
		/* one code for every usage error, whatever found it */
		u = *e;
		u.code = "eusage";
		e = &u;
	}
	if (out.json)
		probe_json_error(exit_status, e);
	return exit_status;
}

int probe_fail(int exit_status, const char *code, const char *fmt, ...)
{
	struct probe_err e;
	va_list ap;

	e.code = code;
	e.offset = -1;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof(e.message), fmt, ap);
	va_end(ap);
	return probe_fail_err(exit_status, &e);
}

int probe_usage_error(const char *fmt, ...)
{
	struct probe_err e;
	va_list ap;

	e.code = "eusage";
	e.offset = -1;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof(e.message), fmt, ap);
	va_end(ap);
	return probe_fail_err(PROBE_EXIT_USAGE, &e);
}

int probe_flush_stdout(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "alua_probe: write error on standard output\n");
		return PROBE_EXIT_IO;
	}
	return rc;
}
