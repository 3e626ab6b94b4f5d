/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - a small streaming JSON writer and text escaping helpers.
 *
 * Objects are printed one member per line with two-space indentation;
 * arrays opened with inline_items put their items on one line.  A compact
 * writer (jw_init_compact) prints the whole value on one line without
 * spaces, for streams of one object per line (JSON Lines).  Strings
 * are escaped per RFC 8259.  Device strings are bytes, not text: a valid
 * UTF-8 sequence (RFC 3629: no overlong form, no surrogate, at most
 * U+10FFFF) is written as UTF-8, except control characters (C0, DEL, C1,
 * U+2028, U+2029), which become \uXXXX; a byte that is not part of valid
 * UTF-8 becomes \udcXX, the lone low surrogate U+DC00 + byte (Python's
 * "surrogateescape"): no valid UTF-8 decodes to it, so a reader can tell it
 * from a real character and recover the byte, and the report says so
 * (jw_text()).  Nothing can inject a line break into a log or an export.
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

/* A JSON string of bytes; returns true if some byte was not UTF-8. */
static bool put_string(FILE *f, const uint8_t *p, size_t n)
{
	bool bad = false;
	uint32_t cp;
	size_t i, k;

	fputc('"', f);
	for (i = 0; i < n; i += k) {
		k = salua_utf8_seq(p + i, n - i, &cp);
		if (k == 0) {
			fprintf(f, "\\udc%02x", (unsigned)p[i]);
			bad = true;
			k = 1;
		} else if (cp == '"' || cp == '\\') {
			fprintf(f, "\\%c", (char)cp);
		} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
			   cp == 0x2028 || cp == 0x2029) {
			fprintf(f, "\\u%04x", (unsigned)cp);
		} else {
			fwrite(p + i, 1, k, f);
		}
	}
	fputc('"', f);
	return bad;
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

bool jw_text(struct jw *w, const uint8_t *p, size_t n)
{
	before_item(w);
	return put_string(w->f, p, n);
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

/*
 * Plain text: printable ASCII and valid UTF-8 characters as they are; the
 * backslash, the double quote, control characters (C0, DEL, C1, U+2028,
 * U+2029) and bytes that are not valid UTF-8 as \xHH per byte.
 */
void probe_put_escaped(FILE *f, const uint8_t *p, size_t n)
{
	uint32_t cp;
	size_t i, k, j;

	for (i = 0; i < n; i += k) {
		k = salua_utf8_seq(p + i, n - i, &cp);
		if (k && cp == '\\') {
			fputs("\\\\", f);
		} else if (k == 0 || cp < 0x20 || cp == '"' ||
			   (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
			   cp == 0x2029) {
			if (k == 0)
				k = 1;
			for (j = 0; j < k; j++)
				fprintf(f, "\\x%02x", (unsigned)p[i + j]);
		} else {
			fwrite(p + i, 1, k, f);
		}
	}
}

void probe_put_hex(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", (unsigned)p[i]);
}
