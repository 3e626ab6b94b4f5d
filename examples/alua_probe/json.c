/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - a small streaming JSON writer and text escaping helpers.
 *
 * Objects are printed one member per line with two-space indentation;
 * arrays opened with inline_items put their items on one line.  A compact
 * writer (jw_init_compact) prints the whole value on one line without
 * spaces, for streams of one object per line (JSON Lines).  Strings
 * are escaped per RFC 8259; every byte outside printable ASCII becomes
 * \u00XX, so device strings (which are bytes, not text) survive exactly
 * and can never inject a line break into a log or a udev-style export.
 */
#include "cli.h"
#include "probe.h"

#include <inttypes.h>
#include <string.h>

/* Set once from --json=JO (cli.c); pretty, 2 spaces by default. */
struct probe_json_style probe_jstyle = { false, false, 2u };

/* A report: pretty, or on one line as --json=-p asks. */
void jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->indent_w = probe_jstyle.indent ? probe_jstyle.indent : 2u;
	w->compact = probe_jstyle.single_line;
	w->spaced = probe_jstyle.single_line && !probe_jstyle.packed;
}

/* A JSON Lines record: always one packed line. */
void jw_init_compact(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->compact = true;
}

static void indent(struct jw *w)
{
	int i;

	fputc('\n', w->f);
	for (i = 0; i < w->depth * (int)w->indent_w; i++)
		fputc(' ', w->f);
}

/* Separator and indentation before a value or a key. */
static void before_item(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		fputs(w->spaced ? ", " : ",", w->f);
	if (w->compact) {
		/* nothing more: no line break */
	} else if (w->inl[w->depth]) {
		if (!w->first[w->depth])
			fputc(' ', w->f);
	} else {
		indent(w);
	}
	w->first[w->depth] = false;
}

static void open_container(struct jw *w, char c, bool inl)
{
	before_item(w);
	fputc(c, w->f);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
	w->inl[w->depth] = inl || (w->depth > 1 && w->inl[w->depth - 1]);
}

static void close_container(struct jw *w, char c)
{
	bool empty = w->first[w->depth], inl = w->inl[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty && !inl && !w->compact)
		indent(w);
	fputc(c, w->f);
}

void jw_obj(struct jw *w)
{
	open_container(w, '{', false);
}

void jw_obj_end(struct jw *w)
{
	close_container(w, '}');
}

void jw_arr(struct jw *w, bool inline_items)
{
	open_container(w, '[', inline_items);
}

void jw_arr_end(struct jw *w)
{
	close_container(w, ']');
}

static void put_string(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", (unsigned)c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void jw_key(struct jw *w, const char *k)
{
	before_item(w);
	put_string(w->f, (const uint8_t *)k, strlen(k));
	fputs(w->compact && !w->spaced ? ":" : ": ", w->f);
	w->after_key = true;
}

void jw_uint(struct jw *w, uint64_t v)
{
	before_item(w);
	fprintf(w->f, "%" PRIu64, v);
}

void jw_bool(struct jw *w, bool v)
{
	before_item(w);
	fputs(v ? "true" : "false", w->f);
}

void jw_null(struct jw *w)
{
	before_item(w);
	fputs("null", w->f);
}

/* Reports keep every member and say null for what was not decoded. */
void jw_uint_or_null(struct jw *w, bool have, uint64_t v)
{
	if (have)
		jw_uint(w, v);
	else
		jw_null(w);
}

void jw_bool_or_null(struct jw *w, bool have, bool v)
{
	if (have)
		jw_bool(w, v);
	else
		jw_null(w);
}

void jw_str(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_bytes(w, (const uint8_t *)s, strlen(s));
}

void jw_bytes(struct jw *w, const uint8_t *p, size_t n)
{
	before_item(w);
	put_string(w->f, p, n);
}

void jw_hex(struct jw *w, const uint8_t *p, size_t n)
{
	before_item(w);
	fputc('"', w->f);
	probe_put_hex(w->f, p, n);
	fputc('"', w->f);
}

void jw_finish(struct jw *w)
{
	fputc('\n', w->f);
}

/*
 * The members every top-level object starts with: "type", then (when
 * @with_error) "error", then "schema_version" (alua_probe.schema.json).
 */
void jw_head(struct jw *w, const char *type, bool with_error,
	     const struct probe_err *e)
{
	jw_obj(w);
	jw_key(w, "type");
	jw_str(w, type);
	if (with_error) {
		jw_key(w, "error");
		jw_error(w, e);
	}
	jw_key(w, "schema_version");
	jw_uint(w, PROBE_JSON_SCHEMA_VERSION);
}

void jw_error(struct jw *w, const struct probe_err *e)
{
	if (!e || !e->code) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_key(w, "code");
	jw_str(w, e->code);
	jw_key(w, "message");
	jw_str(w, e->message);
	jw_key(w, "offset");
	jw_uint_or_null(w, e->offset >= 0, (uint64_t)e->offset);
	jw_obj_end(w);
}

size_t probe_trim_len(const uint8_t *p, size_t n)
{
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\0'))
		n--;
	return n;
}

void probe_put_escaped(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\\')
			fputs("\\\\", f);
		else if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '"')
			fprintf(f, "\\x%02x", (unsigned)p[i]);
		else
			fputc(p[i], f);
	}
}

void probe_put_hex(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", (unsigned)p[i]);
}
