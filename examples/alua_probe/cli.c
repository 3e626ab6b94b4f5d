/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - the command-line parser: getopt_long over the entries of
 * probe_cli_opts[] that belong to the command family ("decode" or the
 * device modes), one set of rules for all of them:
 *
 * - long options as "--name VALUE" or "--name=VALUE", short as "-x VALUE"
 *   or "-xVALUE", flags bundled ("-Hv"), options and operands in any order
 *   ("--" ends the options);
 * - a value option given twice, two options of one exclusion group, an
 *   option outside its mode, a value out of range or with trailing
 *   characters: usage errors;
 * - --json[=JO] and -j[=JO] as sg3_utils 1.48 spell them (-jH is -j -H).
 *
 * Parsing continues after an error so that --json given later still
 * selects the JSON error object; the first error is the one reported.
 */
#include "cli.h"
#include "probe.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct parse {
	struct probe_cli *c;
	unsigned family; /* PROBE_M_DECODE or PROBE_M_DEVICES */
	char *msg;
	size_t cap;
	bool failed;
	bool short_j; /* the value came with -j, not --json */
};

PROBE_PRINTF(2, 3)
static void fail(struct parse *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	va_start(ap, fmt);
	vsnprintf(ps->msg, ps->cap, fmt, ap);
	va_end(ap);
}

static unsigned canon(unsigned i)
{
	const struct probe_opt *o = &probe_cli_opts[i];
	unsigned j;

	if (!o->alias_of)
		return i;
	for (j = 0; j < probe_cli_nopts; j++)
		if (!probe_cli_opts[j].alias_of &&
		    strcmp(probe_cli_opts[j].name, o->alias_of) == 0 &&
		    (probe_cli_opts[j].modes & o->modes))
			return j;
	return i;
}

const struct probe_opt *probe_cli_find(const char *name, unsigned modes)
{
	unsigned i;

	for (i = 0; i < probe_cli_nopts; i++)
		if ((probe_cli_opts[i].modes & modes) &&
		    strcmp(probe_cli_opts[i].name, name) == 0)
			return &probe_cli_opts[canon(i)];
	return NULL;
}

bool probe_cli_given(const struct probe_cli *c, const char *name)
{
	const struct probe_opt *o = probe_cli_find(name, c->mode);

	return o && c->given[o - probe_cli_opts];
}

const char *probe_cli_mode_name(unsigned mode)
{
	unsigned i;

	for (i = 0; i < probe_cli_nmodes; i++)
		if (probe_cli_modes[i].mode == mode)
			return probe_cli_modes[i].name;
	return "?";
}

static void *member(struct probe_cli *c, const struct probe_opt *o)
{
	return (char *)c + o->off;
}

int probe_parse_json_opts(const char *jo, struct probe_json_style *st,
			  char *msg, size_t cap)
{
	const char *p = jo;
	bool neg = false;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '=')
		p++;
	for (; *p; p++) {
		switch (*p) {
		case '-': case '!': case '~':
			neg = !neg;
			continue;
		case '0': case '2': st->indent = 2u; break;
		case '3': st->indent = 3u; break;
		case '4': st->indent = 4u; break;
		case '8': st->indent = 8u; break;
		case 'p': st->single_line = neg; break;
		case 'k': st->packed = !neg; break;
		/* accepted, nothing to change (see the man page) */
		case 'e': case 'g': case 'h': case 'l': case 'n': case 'o':
		case 'q': case 's': case 'v': case 'y': case 'z':
			break;
		default:
			snprintf(msg, cap,
				 "--json: unknown control character '%c' in '%s' (p, k, 0/2/3/4/8, e, h, l, n, o, s, v; - negates)",
				 *p, jo);
			return PROBE_EXIT_USAGE;
		}
		neg = false;
	}
	return PROBE_EXIT_OK;
}

/* "--a, --b and --c" for the documented options of exclusion group @g. */
static void excl_list(unsigned g, unsigned family, char *buf, size_t cap)
{
	size_t o = 0;
	unsigned i, n = 0, k = 0;

	for (i = 0; i < probe_cli_nopts; i++)
		if (probe_cli_opts[i].excl == g &&
		    (probe_cli_opts[i].modes & family))
			n++;
	buf[0] = '\0';
	for (i = 0; i < probe_cli_nopts && o < cap; i++) {
		const struct probe_opt *e = &probe_cli_opts[i];

		if (e->excl != g || !(e->modes & family))
			continue;
		k++;
		o += (size_t)snprintf(buf + o, cap - o, "%s--%s",
				      k == 1 ? "" : k == n ? " and " : ", ",
				      e->name);
	}
}

static void apply(struct parse *ps, unsigned idx, const char *val);

/* -jXYZ: the letters after -j are more short flags (sg3_utils' rule). */
static void short_flags(struct parse *ps, const char *s)
{
	unsigned i;

	for (; *s; s++) {
		for (i = 0; i < probe_cli_nopts; i++) {
			const struct probe_opt *o = &probe_cli_opts[i];

			if (o->shrt == *s && (o->modes & ps->family))
				break;
		}
		if (i == probe_cli_nopts) {
			fail(ps, "unknown option '-%c'", *s);
			return;
		}
		if (probe_cli_opts[i].kind != PROBE_K_FLAG &&
		    probe_cli_opts[i].kind != PROBE_K_HELP &&
		    probe_cli_opts[i].kind != PROBE_K_VERSION &&
		    probe_cli_opts[i].kind != PROBE_K_JSON) {
			fail(ps, "option '-%c' takes a value: give it apart from -j",
			     *s);
			return;
		}
		apply(ps, i, NULL);
	}
}

static void apply(struct parse *ps, unsigned idx, const char *val)
{
	struct probe_cli *c = ps->c;
	unsigned ci = canon(idx), i;
	const struct probe_opt *o = &probe_cli_opts[ci];
	const struct probe_opt *as = &probe_cli_opts[idx];
	char why[160], list[200];
	uint64_t v;

	if (o->kind == PROBE_K_JSON) {
		c->json = true;
		c->given[ci] = true;
		if (!val || !*val)
			return;
		if (ps->short_j && val[0] != '=') {
			/* short form without '=': more flags, not JO */
			short_flags(ps, val);
			return;
		}
		if (probe_parse_json_opts(val, &c->jstyle, why, sizeof(why)))
			fail(ps, "%s", why);
		return;
	}
	if (c->given[ci] && o->kind != PROBE_K_FLAG &&
	    o->kind != PROBE_K_HELP && o->kind != PROBE_K_VERSION) {
		fail(ps, "option '--%s' given twice", o->name);
		return;
	}
	if (o->excl) {
		for (i = 0; i < probe_cli_nopts; i++) {
			if (i != ci && c->given[i] &&
			    probe_cli_opts[i].excl == o->excl) {
				excl_list(o->excl, ps->family, list,
					  sizeof(list));
				fail(ps, "only one of %s may be given", list);
				return;
			}
		}
	}
	c->given[ci] = true;
	switch (o->kind) {
	case PROBE_K_FLAG:
	case PROBE_K_HELP:
	case PROBE_K_VERSION:
		*(bool *)member(c, o) = true;
		break;
	case PROBE_K_STR:
		if (!*val)
			fail(ps, "option '--%s' needs a non-empty %s", as->name,
			     as->meta);
		else
			*(const char **)member(c, o) = val;
		break;
	case PROBE_K_UINT:
		if (!probe_parse_u64(val, o->min, o->max, &v, why, sizeof(why)))
			fail(ps, "--%s '%s': %s", as->name, val, why);
		else
			*(uint64_t *)member(c, o) = v;
		break;
	case PROBE_K_MS:
		if (!probe_parse_ms(val, 1000u, o->min, o->max, &v, why,
				    sizeof(why)))
			fail(ps, "--%s '%s': %s", as->name, val, why);
		else
			*(uint64_t *)member(c, o) = v;
		break;
	case PROBE_K_ENUM: {
		const struct probe_opt_choice *ch;
		size_t n = 0;

		for (ch = o->choices; ch->name; ch++) {
			if (strcmp(ch->name, val) == 0) {
				*(int *)member(c, o) = ch->value;
				return;
			}
		}
		list[0] = '\0';
		for (ch = o->choices; ch->name && n < sizeof(list); ch++)
			if (ch->doc)
				n += (size_t)snprintf(list + n, sizeof(list) - n,
						      "%s%s", n ? ", " : "",
						      ch->name);
		fail(ps, "--%s: unknown %s '%s' (%s)", as->name, as->meta, val,
		     list);
		break;
	}
	case PROBE_K_JSON:
		break;
	}
}

/* Which option, in which family, a bad argument names ("--x=1" -> x). */
static const struct probe_opt *named(const char *arg, unsigned family)
{
	char name[64];
	size_t n;
	unsigned i;

	if (strncmp(arg, "--", 2) == 0) {
		n = strcspn(arg + 2, "=");
		if (n >= sizeof(name))
			return NULL;
		memcpy(name, arg + 2, n);
		name[n] = '\0';
		return probe_cli_find(name, family);
	}
	if (arg[0] == '-' && arg[1]) {
		for (i = 0; i < probe_cli_nopts; i++)
			if (probe_cli_opts[i].shrt == arg[1] &&
			    (probe_cli_opts[i].modes & family))
				return &probe_cli_opts[canon(i)];
	}
	return NULL;
}

/* The option that selects @mode ("--watch"), or NULL. */
static const struct probe_opt *selector_of(unsigned mode)
{
	unsigned i;

	for (i = 0; i < probe_cli_nopts; i++)
		if (probe_cli_opts[i].selects == mode)
			return &probe_cli_opts[i];
	return NULL;
}

static void check_mode(struct parse *ps)
{
	struct probe_cli *c = ps->c;
	const struct probe_mode_doc *md = NULL;
	const struct probe_opt *o, *sel;
	unsigned i;

	for (i = 0; i < probe_cli_nmodes; i++)
		if (probe_cli_modes[i].mode == c->mode)
			md = &probe_cli_modes[i];
	for (i = 0; i < probe_cli_nopts; i++) {
		o = &probe_cli_opts[i];
		if (!c->given[i] || (o->modes & c->mode))
			continue;
		sel = selector_of(o->modes);
		if (o->selects) {
			/* Two modes asked for: --set-state with --io. */
			sel = selector_of(c->mode);
			fail(ps, "option '--%s' cannot be used with --%s",
			     o->name, sel ? sel->name : probe_cli_mode_name(c->mode));
		} else if (sel) {
			fail(ps, "option '--%s' needs --%s", o->name, sel->name);
		} else {
			/* Several modes: "needs --watch or --io". */
			char alt[96];
			size_t k = 0;
			unsigned j;

			alt[0] = '\0';
			for (j = 0; j < probe_cli_nopts && k < sizeof(alt); j++) {
				const struct probe_opt *s2 = &probe_cli_opts[j];
				int w;

				if (!s2->selects || !(o->modes & s2->selects))
					continue;
				w = snprintf(alt + k, sizeof(alt) - k, "%s--%s",
					     k ? " or " : "", s2->name);
				k += w > 0 ? (size_t)w : 0;
			}
			if (alt[0] && !(o->modes & PROBE_M_PROBE))
				fail(ps, "option '--%s' needs %s", o->name, alt);
			else
				fail(ps, "option '--%s' does not apply to %s",
				     o->name, probe_cli_mode_name(c->mode));
		}
	}
	for (i = 0; md && md->requires && md->requires[i]; i++) {
		o = probe_cli_find(md->requires[i], c->mode);
		if (o && !c->given[o - probe_cli_opts]) {
			sel = selector_of(c->mode);
			fail(ps, "%s%s needs --%s %s", sel ? "--" : "",
			     sel ? sel->name : md->name, o->name, o->meta);
		}
	}
	if (md && !md->operands && c->noperands)
		fail(ps, "unexpected argument '%s'", c->operands[0]);
}

int probe_cli_parse(int argc, char **argv, struct probe_cli *c, char *msg,
		    size_t cap)
{
	struct option lo[PROBE_MAX_OPTS + 1];
	char so[3u * PROBE_MAX_OPTS + 2u];
	struct parse ps;
	size_t ns = 0;
	unsigned i, nl = 0;
	int ch, li;

	memset(c, 0, sizeof(*c));
	memset(&ps, 0, sizeof(ps));
	ps.c = c;
	ps.msg = msg;
	ps.cap = cap;
	msg[0] = '\0';
	c->jstyle.indent = 2u;
	c->set_state = -1;
	c->type = -1;
	ps.family = PROBE_M_DEVICES;
	if (argc >= 2 && strcmp(argv[1], "decode") == 0) {
		ps.family = PROBE_M_DECODE;
		argc--;
		argv++;
	}
	c->operands = (const char **)calloc((size_t)argc + 1u,
					    sizeof(*c->operands));
	if (!c->operands) {
		snprintf(msg, cap, "out of memory");
		return PROBE_EXIT_IO;
	}
	so[ns++] = ':';
	for (i = 0; i < probe_cli_nopts && i + 1u < PROBE_MAX_OPTS; i++) {
		const struct probe_opt *o = &probe_cli_opts[i];
		int has = o->kind == PROBE_K_JSON ? optional_argument :
			  o->meta ? required_argument : no_argument;

		if (o->def)
			*(uint64_t *)member(c, o) = o->def;
		if (!(o->modes & ps.family))
			continue;
		lo[nl].name = o->name;
		lo[nl].has_arg = has;
		lo[nl].flag = NULL;
		lo[nl].val = 256 + (int)i;
		nl++;
		if (o->shrt) {
			so[ns++] = o->shrt;
			if (has == required_argument)
				so[ns++] = ':';
			if (has == optional_argument) {
				so[ns++] = ':';
				so[ns++] = ':';
			}
		}
	}
	memset(&lo[nl], 0, sizeof(lo[nl]));
	so[ns] = '\0';

	opterr = 0;
	optind = 0; /* full re-initialisation (glibc) */
	while ((ch = getopt_long(argc, argv, so, lo, &li)) != -1) {
		const char *arg = argv[optind - 1];
		char sh[3] = { '-', (char)optopt, '\0' };

		if (ch == ':') {
			/* a short option's letter, or the long option word */
			fail(&ps, "option '%s' needs a value",
			     optopt > 0 && optopt < 256 ? sh : arg);
			continue;
		}
		if (ch == '?') {
			if (optopt >= 256)
				fail(&ps, "option '--%s' takes no value",
				     probe_cli_opts[optopt - 256].name);
			else if (optopt && named(sh, PROBE_M_ALL & ~ps.family))
				fail(&ps, "option '%s' %s", sh,
				     ps.family == PROBE_M_DECODE ?
					     "is not a decode option" :
					     "belongs to decode");
			else if (optopt)
				fail(&ps, "unknown option '%s'", sh);
			else if (named(arg, PROBE_M_ALL & ~ps.family))
				fail(&ps, "option '%s' %s", arg,
				     ps.family == PROBE_M_DECODE ?
					     "is not a decode option" :
					     "belongs to decode");
			else
				fail(&ps, "unknown or ambiguous option '%s'",
				     arg);
			continue;
		}
		if (ch >= 256) {
			ps.short_j = false;
			apply(&ps, (unsigned)(ch - 256), optarg);
			continue;
		}
		for (i = 0; i < probe_cli_nopts; i++)
			if (probe_cli_opts[i].shrt == ch &&
			    (probe_cli_opts[i].modes & ps.family))
				break;
		if (i < probe_cli_nopts) {
			ps.short_j = true;
			apply(&ps, i, optarg);
		}
	}
	for (; optind < argc; optind++)
		c->operands[c->noperands++] = argv[optind];
	/* the mode as far as argv said, also for the error's "command" */
	c->mode = ps.family == PROBE_M_DECODE ? PROBE_M_DECODE : PROBE_M_PROBE;
	for (i = 0; i < probe_cli_nopts; i++)
		if (c->given[i] && probe_cli_opts[i].selects)
			c->mode = probe_cli_opts[i].selects;
	if (ps.failed)
		return PROBE_EXIT_USAGE;
	if (c->help || c->version)
		return PROBE_EXIT_OK;
	check_mode(&ps);
	return ps.failed ? PROBE_EXIT_USAGE : PROBE_EXIT_OK;
}

void probe_cli_free(struct probe_cli *c)
{
	free(c->operands);
	c->operands = NULL;
	c->noperands = 0;
}
