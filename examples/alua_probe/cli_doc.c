/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - documentation from the tables of cli_table.c: the --help
 * text, and the generated regions of alua_probe.8 (written by the
 * alua_probe_man tool, checked by the probe.manpage_sync test).  Ranges,
 * defaults and the words of an enumerated option are printed from the
 * table, so the text cannot drift from what the parser accepts.
 */
#include "cli.h"
#include "probe.h"

#include "alua_probe_version.h"

#include <string.h>

const char *probe_cli_version(void)
{
	return PROBE_VERSION;
}

/* ---- --help ---------------------------------------------------------- */

#define HELP_WIDTH 79u
#define HELP_COL 24u

/* Length of the word at @p: up to a space, or one "[...]" group whole. */
static size_t word_len(const char *p, bool groups)
{
	size_t n = 0;
	int depth = 0;

	for (; p[n] && (depth > 0 || p[n] != ' '); n++) {
		if (!groups)
			continue;
		depth += p[n] == '[';
		depth -= p[n] == ']';
	}
	return n;
}

/*
 * Word-wrap @text from column @col (the cursor is at @at) to HELP_WIDTH;
 * with @groups a bracketed group is not split ("[--timeout S]").
 */
static void wrap_words(FILE *f, const char *text, unsigned col, unsigned at,
		       bool groups)
{
	const char *p = text;

	while (*p) {
		size_t n = word_len(p, groups);

		if (at > col && at + 1u + n > HELP_WIDTH) {
			fprintf(f, "\n%*s", (int)col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", (int)n, p);
		at += (unsigned)n;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

static void wrap(FILE *f, const char *text, unsigned col, unsigned at)
{
	wrap_words(f, text, col, at, false);
}

static void tag_plain(const struct probe_opt *o, char *buf, size_t cap)
{
	size_t n;

	if (o->shrt)
		n = (size_t)snprintf(buf, cap, "  -%c, --%s", o->shrt, o->name);
	else
		n = (size_t)snprintf(buf, cap, "      --%s", o->name);
	if (n >= cap)
		return;
	if (o->kind == PROBE_K_JSON)
		snprintf(buf + n, cap - n, "[=%s]", o->meta);
	else if (o->meta)
		snprintf(buf + n, cap - n, " %s", o->meta);
}

/* "(S: 0.1 to 86400; default 1)" and the words of an enum, for --help. */
static void facts_plain(const struct probe_opt *o, char *buf, size_t cap)
{
	char lo[32], hi[32], d[32];
	size_t n = 0;

	buf[0] = '\0';
	if (o->kind == PROBE_K_MS) {
		probe_fmt_secs(lo, sizeof(lo), o->min);
		probe_fmt_secs(hi, sizeof(hi), o->max);
		probe_fmt_secs(d, sizeof(d), o->def);
		n = (size_t)snprintf(buf, cap, " (%s: %s to %s%s%s)", o->meta,
				     lo, hi, o->def ? "; default " : "",
				     o->def ? d : "");
	} else if (o->kind == PROBE_K_UINT) {
		n = (size_t)snprintf(buf, cap, " (%s: %llu to %llu", o->meta,
				     (unsigned long long)o->min,
				     (unsigned long long)o->max);
		if (o->def && n < cap)
			n += (size_t)snprintf(buf + n, cap - n, "; default %llu",
					      (unsigned long long)o->def);
		if (n < cap)
			snprintf(buf + n, cap - n, ")");
	} else if (o->kind == PROBE_K_ENUM) {
		const struct probe_opt_choice *ch;
		bool first = true;

		n = (size_t)snprintf(buf, cap, " (%s:", o->meta);
		for (ch = o->choices; ch->name && n < cap; ch++) {
			if (!ch->doc)
				continue;
			n += (size_t)snprintf(buf + n, cap - n, "%s %s",
					      first ? "" : ",", ch->name);
			first = false;
		}
		if (n < cap)
			snprintf(buf + n, cap - n, ")");
	}
}

static void help_usage(FILE *f)
{
	unsigned i;

	for (i = 0; i < probe_cli_nmodes; i++) {
		fprintf(f, "%s alua_probe ", i ? "      " : "Usage:");
		wrap_words(f, probe_cli_modes[i].synopsis, 18u, 18u, true);
	}
	fprintf(f, "       alua_probe --help | --version\n");
}

static void help_items(FILE *f, const char *title,
		       const struct probe_doc_item *it, unsigned col)
{
	fprintf(f, "\n%s:\n", title);
	for (; it->tag; it++) {
		unsigned n = (unsigned)strlen(it->tag) + 2u;

		if (n + 2u <= col) {
			fprintf(f, "  %s%*s", it->tag, (int)(col - n), "");
		} else {
			fputs("  ", f);
			wrap(f, it->tag, 4u, 2u);
			fprintf(f, "%*s", (int)col, "");
		}
		wrap(f, it->help, col, col);
	}
}

void probe_cli_help(FILE *f)
{
	char tag[96], facts[256], text[1024];
	unsigned s, i;

	help_usage(f);
	fputc('\n', f);
	wrap(f, probe_cli_about, 0, 0);
	help_items(f, "DEVICE", probe_cli_devices, 8u);
	for (s = 0; s < PROBE_S_COUNT; s++) {
		fprintf(f, "\n%s:\n", probe_cli_section_title[s]);
		for (i = 0; i < probe_cli_nopts; i++) {
			const struct probe_opt *o = &probe_cli_opts[i];
			unsigned n;

			if (o->section != s || o->alias_of)
				continue;
			tag_plain(o, tag, sizeof(tag));
			n = (unsigned)strlen(tag);
			fputs(tag, f);
			if (n + 2u > HELP_COL) {
				fprintf(f, "\n%*s", (int)HELP_COL, "");
			} else {
				fprintf(f, "%*s", (int)(HELP_COL - n), "");
			}
			facts_plain(o, facts, sizeof(facts));
			snprintf(text, sizeof(text), "%s%s", o->help, facts);
			wrap(f, text, HELP_COL, HELP_COL);
		}
		if (probe_cli_notes[s].help) {
			fputc('\n', f);
			wrap(f, probe_cli_notes[s].help, 0, 0);
		}
	}
	help_items(f, "Environment", probe_cli_env, 8u);
	help_items(f, "Exit status", probe_cli_exit, 5u);
}

/* ---- man page regions ------------------------------------------------ */

/* Plain text as roff: '-' and '\' escaped, no line starts with '.'. */
static void roff_plain(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '-')
			fputs("\\-", f);
		else if (*s == '\\')
			fputs("\\e", f);
		else
			fputc(*s, f);
	}
}

/* --help text as a man sentence: capital first letter, full stop. */
static void roff_sentence(FILE *f, const char *s)
{
	char first[2] = { s[0], '\0' };

	if (first[0] >= 'a' && first[0] <= 'z')
		first[0] = (char)(first[0] - 'a' + 'A');
	roff_plain(f, first);
	roff_plain(f, s + 1);
	fputs(".\n", f);
}

static void roff_word(FILE *f, const char *font, const char *s, size_t n)
{
	size_t i;

	fprintf(f, "\\f%s", font);
	for (i = 0; i < n; i++) {
		if (s[i] == '-')
			fputs("\\-", f);
		else
			fputc(s[i], f);
	}
	fputs("\\fR", f);
}

/*
 * One usage line in roff: "--opt" and literal words bold, UPPER-case
 * words italic, brackets, bars and "..." roman.
 */
static void roff_synopsis(FILE *f, const char *syn)
{
	const char *p = syn;

	fputs("\\fBalua_probe\\fR ", f);
	while (*p) {
		size_t n;

		if (*p == ' ') {
			fputc(' ', f);
			p++;
			continue;
		}
		if (*p == '[' || *p == ']' || *p == '|' || *p == '=') {
			fputc(*p++, f);
			continue;
		}
		if (strncmp(p, "...", 3) == 0) {
			fputs("\\&...", f);
			p += 3;
			continue;
		}
		n = strcspn(p, " []|=.");
		if (n == 0)
			n = 1;
		if (*p == '-' || (*p >= 'a' && *p <= 'z'))
			roff_word(f, "B", p, n);
		else
			roff_word(f, "I", p, n);
		p += n;
	}
	fputc('\n', f);
}

static void man_synopsis(FILE *f)
{
	unsigned i;

	for (i = 0; i < probe_cli_nmodes; i++) {
		if (i)
			fputs(".br\n", f);
		roff_synopsis(f, probe_cli_modes[i].synopsis);
	}
	fputs(".br\n", f);
	roff_synopsis(f, "--help | --version");
}

static void man_tag(FILE *f, const struct probe_opt *o)
{
	fputs(".TP\n", f);
	if (o->shrt)
		fprintf(f, "\\fB\\-%c\\fR, ", o->shrt);
	fputs("\\fB\\-\\-", f);
	roff_plain(f, o->name);
	fputs("\\fR", f);
	if (o->kind == PROBE_K_JSON)
		fprintf(f, "[\\fB=\\fI%s\\fR]", o->meta);
	else if (o->meta)
		fprintf(f, " \\fI%s\\fR", o->meta);
	fputc('\n', f);
}

/* The range, default and words of an option, from the table. */
static void man_facts(FILE *f, const struct probe_opt *o)
{
	const struct probe_opt_choice *ch;
	char lo[32], hi[32], d[32];
	unsigned n = 0, k = 0;

	switch (o->kind) {
	case PROBE_K_MS:
		probe_fmt_secs(lo, sizeof(lo), o->min);
		probe_fmt_secs(hi, sizeof(hi), o->max);
		probe_fmt_secs(d, sizeof(d), o->def);
		fprintf(f, ".I %s\nis in seconds, or with a unit\n"
			"(\\fBms\\fR, \\fBs\\fR, \\fBm\\fR),\n"
			"from %s to %s s", o->meta, lo, hi);
		break;
	case PROBE_K_UINT:
		snprintf(d, sizeof(d), "%llu", (unsigned long long)o->def);
		fprintf(f, ".I %s\nis from %llu to %llu", o->meta,
			(unsigned long long)o->min, (unsigned long long)o->max);
		break;
	case PROBE_K_ENUM:
		for (ch = o->choices; ch->name; ch++)
			n += ch->doc;
		fprintf(f, ".I %s\nis one of", o->meta);
		for (ch = o->choices; ch->name; ch++) {
			if (!ch->doc)
				continue;
			k++;
			fputs(k == 1 ? " " : k == n ? " or " : ", ", f);
			roff_word(f, "B", ch->name, strlen(ch->name));
		}
		fputs(".\n", f);
		return;
	case PROBE_K_FLAG:
	case PROBE_K_STR:
	case PROBE_K_JSON:
	case PROBE_K_HELP:
	case PROBE_K_VERSION:
		return;
	}
	if (o->def)
		fprintf(f, "; the default is %s", d);
	fputs(".\n", f);
}

static void man_options(FILE *f)
{
	unsigned s, i;

	for (s = 0; s < PROBE_S_COUNT; s++) {
		if (s)
			fprintf(f, ".SS \"%s\"\n", probe_cli_section_title[s]);
		for (i = 0; i < probe_cli_nopts; i++) {
			const struct probe_opt *o = &probe_cli_opts[i];

			if (o->section != s || o->alias_of)
				continue;
			man_tag(f, o);
			if (o->man) {
				fputs(o->man, f);
				fputc('\n', f);
			} else {
				roff_sentence(f, o->help);
			}
			man_facts(f, o);
		}
		if (probe_cli_notes[s].man)
			fprintf(f, ".PP\n%s\n", probe_cli_notes[s].man);
	}
}

/* "A, B" -> "\fBA\fR, \fBB\fR" */
static void man_tag_list(FILE *f, const char *tag)
{
	const char *p = tag;

	while (*p) {
		size_t n = strcspn(p, ",");

		roff_word(f, "B", p, n);
		p += n;
		if (*p == ',') {
			fputs(", ", f);
			p++;
			while (*p == ' ')
				p++;
		}
	}
	fputc('\n', f);
}

static void man_items(FILE *f, const struct probe_doc_item *it, bool tagged)
{
	for (; it->tag; it++) {
		if (tagged) {
			fputs(".TP\n", f);
			man_tag_list(f, it->tag);
		} else {
			fputs(".PP\n", f);
		}
		if (it->man) {
			fputs(it->man, f);
			fputc('\n', f);
		} else {
			roff_sentence(f, it->help);
		}
	}
}

int probe_cli_man_region(FILE *f, const char *region)
{
	if (strcmp(region, "synopsis") == 0)
		man_synopsis(f);
	else if (strcmp(region, "devices") == 0)
		man_items(f, probe_cli_devices, false);
	else if (strcmp(region, "options") == 0)
		man_options(f);
	else if (strcmp(region, "environment") == 0)
		man_items(f, probe_cli_env, true);
	else if (strcmp(region, "exit-status") == 0)
		man_items(f, probe_cli_exit, true);
	else
		return -1;
	return 0;
}
