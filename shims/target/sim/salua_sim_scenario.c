/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_sim_scenario.c - the scenario language (see docs/sim.md):
 *
 *   [at TIME] lun SEL group SEL (state ST | transition TIME | pref on|off)...
 *   [at TIME] port N group G
 *   [at TIME] fault port SEL [lun SEL] [op OPC] (drop|transport|busy|task-set-full) COUNT
 *   [at TIME] fault port SEL [lun SEL] [op OPC] slow COUNT TIME
 *   [at TIME] fault ext-hdr (normal|illegal|illegal-00|ignore)
 *   [at TIME] fault (rtpg-pad|rtpg-overclaim) N
 *   [at TIME] fault clear
 *   [at TIME] quirk (lio-short-rdl|lio-skip-group) (on|off)
 *   [at TIME] ua lun SEL [port N|*] [sense AA/QQ]
 *
 * A line is parsed whole before anything is scheduled, and a scenario is
 * parsed whole before any of its lines is.
 */
#include <stdarg.h>
#include <stdio.h>

#include "salua_sim_int.h"

#define MAX_TOK 24
#define TOK_LEN 32

struct line {
	char tok[MAX_TOK][TOK_LEN];
	unsigned n, i;
	unsigned no;
};

struct ctx {
	struct salua_sim *s;
	struct line ln;
	struct salua_sim__event ev[SALUA_SIM_MAX_EVENTS];
	unsigned nev;
	bool full;
};

static int fail(struct ctx *x, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(x->s->err, sizeof(x->s->err), "line %u: ", x->ln.no);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(x->s->err))
		vsnprintf(x->s->err + n, sizeof(x->s->err) - (size_t)n, fmt,
			  ap);
	va_end(ap);
	x->s->err_line = x->ln.no;
	return -SALUA_EMALFORMED;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Split one line into tokens; '#' starts a comment. */
static int tokenize(struct ctx *x, const char *p, const char *end)
{
	struct line *l = &x->ln;

	l->n = l->i = 0;
	while (p < end) {
		size_t k = 0;

		while (p < end && is_space(*p))
			p++;
		if (p == end || *p == '#')
			break;
		if (l->n == MAX_TOK)
			return fail(x, "too many words");
		while (p < end && !is_space(*p) && *p != '#') {
			if (k + 1 == TOK_LEN)
				return fail(x, "word too long");
			l->tok[l->n][k++] = *p++;
		}
		l->tok[l->n++][k] = '\0';
	}
	return 0;
}

static const char *peek(const struct ctx *x)
{
	return x->ln.i < x->ln.n ? x->ln.tok[x->ln.i] : NULL;
}

static const char *next(struct ctx *x)
{
	return x->ln.i < x->ln.n ? x->ln.tok[x->ln.i++] : NULL;
}

static bool eq(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

/* Unsigned decimal or 0x-hex, the whole token, no overflow past @max. */
static bool num(const char *t, uint64_t max, uint64_t *out, const char **rest)
{
	uint64_t v = 0;
	unsigned base = 10, d, digits = 0;

	if (!t)
		return false;
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		base = 16;
		t += 2;
	}
	for (;; t++, digits++) {
		if (*t >= '0' && *t <= '9')
			d = (unsigned)(*t - '0');
		else if (base == 16 && *t >= 'a' && *t <= 'f')
			d = (unsigned)(*t - 'a' + 10);
		else if (base == 16 && *t >= 'A' && *t <= 'F')
			d = (unsigned)(*t - 'A' + 10);
		else
			break;
		if (d > max || v > (max - d) / base)
			return false;
		v = v * base + d;
	}
	if (!digits)
		return false;
	*out = v;
	if (rest)
		*rest = t;
	else if (*t)
		return false;
	return true;
}

/* TIME: a number with ms (default), s or m; result in ms. */
static int get_time(struct ctx *x, const char *what, uint32_t *ms)
{
	const char *t = next(x), *u;
	uint64_t v, mul = 1;

	if (!num(t, UINT32_MAX, &v, &u))
		return fail(x, "expected a time after '%s', got '%s'", what,
			    t ? t : "end of line");
	if (!*u || strcmp(u, "ms") == 0)
		mul = 1;
	else if (strcmp(u, "s") == 0)
		mul = 1000;
	else if (strcmp(u, "m") == 0 || strcmp(u, "min") == 0)
		mul = 60000;
	else
		return fail(x, "unknown time unit in '%s' (ms, s, m)", t);
	if (v > UINT32_MAX / mul)
		return fail(x, "time '%s' too large", t);
	*ms = (uint32_t)(v * mul);
	return 0;
}

static int get_count(struct ctx *x, const char *what, uint64_t max,
		     uint32_t *v)
{
	const char *t = next(x);
	uint64_t n;

	if (!num(t, max, &n, NULL))
		return fail(x, "expected a number after '%s', got '%s'", what,
			    t ? t : "end of line");
	*v = (uint32_t)n;
	return 0;
}

/* SEL: '*', N, N-M, and for LUs also 'even' / 'odd'. */
static int get_sel(struct ctx *x, const char *what, unsigned limit,
		   bool parity, uint8_t *lo, uint8_t *hi, uint8_t *step)
{
	const char *t = next(x), *r;
	uint64_t a, b;

	*step = 1;
	if (!t)
		return fail(x, "expected a %s after '%s'", what, what);
	if (eq(t, "*")) {
		*lo = 0;
		*hi = (uint8_t)(limit - 1);
		return 0;
	}
	if (parity && (eq(t, "even") || eq(t, "odd"))) {
		*lo = eq(t, "odd") ? 1 : 0;
		*hi = (uint8_t)(limit - 1);
		*step = 2;
		if (*lo > *hi)
			return fail(x, "no %s selected by '%s'", what, t);
		return 0;
	}
	if (!num(t, 0xffff, &a, &r))
		return fail(x, "bad %s '%s'", what, t);
	b = a;
	if (*r == '-' && !num(r + 1, 0xffff, &b, NULL))
		return fail(x, "bad %s range '%s'", what, t);
	if (*r && *r != '-')
		return fail(x, "bad %s '%s'", what, t);
	if (a > b)
		return fail(x, "empty %s range '%s'", what, t);
	if (b >= limit)
		return fail(x, "%s %u out of range (%ss=%u)", what,
			    (unsigned)b, what, limit);
	*lo = (uint8_t)a;
	*hi = (uint8_t)b;
	return 0;
}

/* One index or '*' (-1). */
static int get_one(struct ctx *x, const char *what, unsigned limit, int *out)
{
	const char *t = next(x);
	uint64_t v;

	if (eq(t, "*")) {
		*out = -1;
		return 0;
	}
	if (!num(t, 0xffff, &v, NULL))
		return fail(x, "expected a %s number or '*', got '%s'", what,
			    t ? t : "end of line");
	if (v >= limit)
		return fail(x, "%s %u out of range (%ss=%u)", what,
			    (unsigned)v, what, limit);
	*out = (int)v;
	return 0;
}

static bool state_of(const char *t, uint8_t *st)
{
	static const struct {
		const char *name;
		uint8_t st;
	} map[] = {
		{ "ao", SALUA_STATE_AO },
		{ "an", SALUA_STATE_ANO },
		{ "ano", SALUA_STATE_ANO },
		{ "s", SALUA_STATE_STANDBY },
		{ "standby", SALUA_STATE_STANDBY },
		{ "u", SALUA_STATE_UNAVAILABLE },
		{ "unavailable", SALUA_STATE_UNAVAILABLE },
		{ "lbd", SALUA_STATE_LBA_DEPENDENT },
		{ "o", SALUA_STATE_OFFLINE },
		{ "offline", SALUA_STATE_OFFLINE },
		{ "t", SALUA_STATE_TRANSITIONING },
		{ "transitioning", SALUA_STATE_TRANSITIONING },
	};
	unsigned i;

	for (i = 0; i < SALUA_ARRAY_SIZE(map); i++)
		if (eq(t, map[i].name)) {
			*st = map[i].st;
			return true;
		}
	return false;
}

static bool onoff(const char *t, bool *v)
{
	if (eq(t, "on") || eq(t, "1")) {
		*v = true;
		return true;
	}
	if (eq(t, "off") || eq(t, "0")) {
		*v = false;
		return true;
	}
	return false;
}

static bool opcode_of(const char *t, int *op)
{
	static const struct {
		const char *name;
		int op;
	} map[] = {
		{ "tur", SALUA_OP_TEST_UNIT_READY },
		{ "request-sense", SALUA_OP_REQUEST_SENSE },
		{ "inquiry", SALUA_OP_INQUIRY },
		{ "rtpg", SALUA_OP_MAINTENANCE_IN },
		{ "stpg", SALUA_OP_MAINTENANCE_OUT },
		{ "read", SALUA_SIM_OP_READ10 },
		{ "write", SALUA_SIM_OP_WRITE10 },
		{ "report-luns", SALUA_SIM_OP_REPORT_LUNS },
	};
	uint64_t v;
	unsigned i;

	for (i = 0; i < SALUA_ARRAY_SIZE(map); i++)
		if (eq(t, map[i].name)) {
			*op = map[i].op;
			return true;
		}
	if (!num(t, 0xff, &v, NULL))
		return false;
	*op = (int)v;
	return true;
}

static int parse_state_line(struct ctx *x, struct salua_sim__event *e)
{
	const struct salua_sim_config *c = &x->s->cfg;
	uint8_t step, gstep;
	const char *t;
	bool any = false, pref;
	int rc;

	e->kind = SALUA_SIM__EV_STATE;
	e->state = 0xff;
	rc = get_sel(x, "lun", c->luns, true, &e->lun_lo, &e->lun_hi, &step);
	if (rc)
		return rc;
	e->lun_step = step;
	if (!eq(next(x), "group"))
		return fail(x, "expected 'group' after the LU selector");
	rc = get_sel(x, "group", c->groups, false, &e->grp_lo, &e->grp_hi,
		     &gstep);
	if (rc)
		return rc;
	while ((t = next(x)) != NULL) {
		if (eq(t, "state")) {
			t = next(x);
			if (!state_of(t, &e->state))
				return fail(x, "unknown state '%s'",
					    t ? t : "");
			if (!(c->supported & salua_state_sup_bit(e->state)))
				return fail(x, "state '%s' not in the "
					    "supported set 0x%02x", t,
					    c->supported);
		} else if (eq(t, "transition")) {
			rc = get_time(x, "transition", &e->transition_ms);
			if (rc)
				return rc;
			e->has_transition = true;
		} else if (eq(t, "pref")) {
			if (!onoff(next(x), &pref))
				return fail(x, "expected on or off after "
					    "'pref'");
			e->pref = pref ? 1 : 2;
		} else {
			return fail(x, "unknown word '%s'", t);
		}
		any = true;
	}
	if (!any || (e->state == 0xff && !e->pref))
		return fail(x, "nothing to change (state or pref)");
	if (e->has_transition && e->state == 0xff)
		return fail(x, "'transition' needs a 'state'");
	return 0;
}

static int parse_port_line(struct ctx *x, struct salua_sim__event *e)
{
	const struct salua_sim_config *c = &x->s->cfg;
	uint32_t p = 0, g = 0;
	int rc;

	e->kind = SALUA_SIM__EV_PORT_GROUP;
	rc = get_count(x, "port", c->ports - 1u, &p);
	if (rc)
		return rc;
	if (!eq(next(x), "group"))
		return fail(x, "expected 'group' after the port");
	rc = get_count(x, "group", c->groups - 1u, &g);
	if (rc)
		return rc;
	e->lun_lo = (uint8_t)p;
	e->grp_lo = (uint8_t)g;
	return peek(x) ? fail(x, "unexpected '%s'", peek(x)) : 0;
}

static int parse_fault_line(struct ctx *x, struct salua_sim__event *e)
{
	const struct salua_sim_config *c = &x->s->cfg;
	struct salua_sim_fault_spec *f = &e->fault;
	const char *t = next(x);
	bool on;
	int rc;

	e->kind = SALUA_SIM__EV_FAULT;
	f->port = f->lun = f->opcode = -1;
	if (eq(t, "ext-hdr")) {
		f->kind = SALUA_SIM_INJ_EXT_HDR;
		t = next(x);
		if (eq(t, "normal"))
			f->value = SALUA_SIM_EXT_NORMAL;
		else if (eq(t, "illegal"))
			f->value = SALUA_SIM_EXT_ILLEGAL;
		else if (eq(t, "illegal-00"))
			f->value = SALUA_SIM_EXT_ILLEGAL_00;
		else if (eq(t, "ignore"))
			f->value = SALUA_SIM_EXT_IGNORE;
		else
			return fail(x, "ext-hdr takes normal, illegal, "
				    "illegal-00 or ignore");
	} else if (eq(t, "rtpg-pad")) {
		f->kind = SALUA_SIM_INJ_RTPG_PAD;
		rc = get_count(x, t, SALUA_SIM_MAX_PAD_GROUPS, &f->value);
		if (rc)
			return rc;
	} else if (eq(t, "rtpg-overclaim")) {
		f->kind = SALUA_SIM_INJ_RTPG_OVERCLAIM;
		rc = get_count(x, t, 0xffffffu, &f->value);
		if (rc)
			return rc;
	} else if (eq(t, "clear")) {
		f->kind = SALUA_SIM_INJ_CLEAR;
	} else if (eq(t, "lio-short-rdl")) {
		f->kind = SALUA_SIM_INJ_LIO_SHORT_RDL;
		if (!onoff(next(x), &on))
			return fail(x, "expected on or off");
		f->value = on;
	} else if (eq(t, "port")) {
		rc = get_one(x, "port", c->ports, &f->port);
		while (!rc && (t = next(x)) != NULL) {
			enum salua_sim_inj k = (enum salua_sim_inj)0;

			if (eq(t, "lun")) {
				rc = get_one(x, "lun", c->luns, &f->lun);
				continue;
			}
			if (eq(t, "op")) {
				t = next(x);
				if (!opcode_of(t, &f->opcode))
					rc = fail(x, "unknown opcode '%s'",
						  t ? t : "");
				continue;
			}
			if (eq(t, "drop"))
				k = SALUA_SIM_INJ_DROP;
			else if (eq(t, "transport"))
				k = SALUA_SIM_INJ_TRANSPORT;
			else if (eq(t, "busy"))
				k = SALUA_SIM_INJ_BUSY;
			else if (eq(t, "task-set-full") || eq(t, "qfull"))
				k = SALUA_SIM_INJ_TASK_SET_FULL;
			else if (eq(t, "slow"))
				k = SALUA_SIM_INJ_SLOW;
			else
				return fail(x, "unknown fault '%s'", t);
			if (f->kind)
				return fail(x, "one fault kind per line");
			f->kind = k;
			rc = get_count(x, t, 0xffffffu, &f->count);
			if (!rc && k == SALUA_SIM_INJ_SLOW)
				rc = get_time(x, "slow", &f->value);
		}
		if (rc)
			return rc;
		if (!f->kind)
			return fail(x, "missing fault kind (drop, transport, "
				    "busy, task-set-full, slow)");
		return 0;
	} else {
		return fail(x, "unknown fault '%s'", t ? t : "");
	}
	return peek(x) ? fail(x, "unexpected '%s'", peek(x)) : 0;
}

/* hex byte, the whole token */
static bool hex_byte(const char *t, size_t n, uint8_t *v)
{
	unsigned i, d = 0;

	if (n < 1 || n > 2)
		return false;
	for (i = 0; i < n; i++) {
		char c = t[i];

		d <<= 4;
		if (c >= '0' && c <= '9')
			d |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d |= (unsigned)(c - 'A' + 10);
		else
			return false;
	}
	*v = (uint8_t)d;
	return true;
}

/* ua lun SEL [port N|*] [sense AA/QQ]: a UNIT ATTENTION, nothing changed. */
static int parse_ua_line(struct ctx *x, struct salua_sim__event *e)
{
	const struct salua_sim_config *c = &x->s->cfg;
	const char *t, *slash;
	uint8_t asc, ascq, gstep;
	int rc;

	e->kind = SALUA_SIM__EV_UA;
	e->fault.port = -1;
	e->fault.value = SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED;
	if (!eq(next(x), "lun"))
		return fail(x, "expected 'lun' after 'ua'");
	rc = get_sel(x, "lun", c->luns, true, &e->lun_lo, &e->lun_hi, &gstep);
	if (rc)
		return rc;
	e->lun_step = gstep;
	while ((t = next(x)) != NULL) {
		if (eq(t, "port")) {
			rc = get_one(x, "port", c->ports, &e->fault.port);
			if (rc)
				return rc;
		} else if (eq(t, "sense")) {
			t = next(x);
			slash = t ? strchr(t, '/') : NULL;
			if (!slash || !hex_byte(t, (size_t)(slash - t), &asc) ||
			    !hex_byte(slash + 1, strlen(slash + 1), &ascq))
				return fail(x, "expected ASC/ASCQ in hex after "
					    "'sense', e.g. 2a/06");
			e->fault.value = (uint32_t)asc << 8 | ascq;
		} else {
			return fail(x, "unknown word '%s'", t);
		}
	}
	return 0;
}

static int parse_line(struct ctx *x)
{
	struct salua_sim__event e;
	uint32_t at = 0;
	const char *t;
	bool on;
	int rc;

	if (!x->ln.n)
		return 0;
	memset(&e, 0, sizeof(e));
	if (eq(peek(x), "at")) {
		next(x);
		rc = get_time(x, "at", &at);
		if (rc)
			return rc;
	}
	t = next(x);
	if (eq(t, "lun")) {
		rc = parse_state_line(x, &e);
	} else if (eq(t, "port")) {
		rc = parse_port_line(x, &e);
	} else if (eq(t, "fault")) {
		rc = parse_fault_line(x, &e);
	} else if (eq(t, "ua")) {
		rc = parse_ua_line(x, &e);
	} else if (eq(t, "quirk")) {
		e.kind = SALUA_SIM__EV_FAULT;
		e.fault.port = e.fault.lun = e.fault.opcode = -1;
		t = next(x);
		if (eq(t, "lio-short-rdl"))
			e.fault.kind = SALUA_SIM_INJ_LIO_SHORT_RDL;
		else if (eq(t, "lio-skip-group"))
			e.fault.kind = SALUA_SIM_INJ_LIO_SKIP_GROUP;
		else
			return fail(x, "unknown quirk (lio-short-rdl, "
				    "lio-skip-group)");
		if (!onoff(next(x), &on))
			return fail(x, "expected on or off");
		e.fault.value = on;
		rc = peek(x) ? fail(x, "unexpected '%s'", peek(x)) : 0;
	} else {
		rc = fail(x, "unknown action '%s' (lun, port, fault, ua, quirk)",
			  t ? t : "");
	}
	if (rc)
		return rc;
	if (x->nev == SALUA_SIM_MAX_EVENTS) {
		x->full = true;
		return fail(x, "more than %u events", SALUA_SIM_MAX_EVENTS);
	}
	e.at = x->s->now + at;
	x->ev[x->nev++] = e;
	return 0;
}

/* Insert keeping time order; equal times keep their text order. */
static void schedule(struct salua_sim *s, const struct salua_sim__event *e)
{
	unsigned i = s->nev;

	while (i > 0 && s->ev[i - 1].at > e->at) {
		s->ev[i] = s->ev[i - 1];
		i--;
	}
	s->ev[i] = *e;
	s->nev++;
}

void salua_sim__run_event(struct salua_sim *s)
{
	struct salua_sim__event e = s->ev[0];
	unsigned l, g;

	s->nev--;
	memmove(&s->ev[0], &s->ev[1], s->nev * sizeof(s->ev[0]));
	switch (e.kind) {
	case SALUA_SIM__EV_STATE:
		for (l = e.lun_lo; l <= e.lun_hi && l < s->cfg.luns;
		     l += e.lun_step ? e.lun_step : 1u) {
			for (g = e.grp_lo; g <= e.grp_hi && g < s->cfg.groups;
			     g++) {
				if (e.state != 0xff)
					salua_sim__change(
						s, l, g, e.state,
						e.has_transition
							? e.transition_ms
							: s->cfg.transition_ms,
						SALUA_TPG_STATUS_BY_IMPLICIT);
				if (e.pref)
					salua_sim_set_pref(s, l, g,
							   e.pref == 1);
			}
		}
		break;
	case SALUA_SIM__EV_FAULT:
		(void)salua_sim_inject(s, &e.fault);
		break;
	case SALUA_SIM__EV_PORT_GROUP:
		(void)salua_sim_set_port_group(s, e.lun_lo, e.grp_lo);
		break;
	case SALUA_SIM__EV_UA:
		for (l = e.lun_lo; l <= e.lun_hi && l < s->cfg.luns;
		     l += e.lun_step ? e.lun_step : 1u)
			(void)salua_sim_queue_ua(s, (int)l, e.fault.port,
						 (uint16_t)e.fault.value);
		break;
	default:
		break;
	}
}

static const char builtin_failover[] =
	"# implicit failover of every LU: group 0 -> standby,\n"
	"# group 1 -> active/optimized, each through 2 s of transitioning\n"
	"at 0ms lun * group 0 state s transition 2s\n"
	"at 0ms lun * group 1 state ao transition 2s\n";

static const char builtin_failback[] =
	"# failover at 0 s, failback at 30 s\n"
	"at 0ms lun * group 0 state s transition 2s\n"
	"at 0ms lun * group 1 state ao transition 2s\n"
	"at 30s lun * group 1 state s transition 2s\n"
	"at 30s lun * group 0 state ao transition 2s\n";

static const char builtin_long[] =
	"# failover whose transition lasts 200 s (longer than Linux's old\n"
	"# 60 s default transition timeout)\n"
	"at 0ms lun * group 0 state s transition 200s\n"
	"at 0ms lun * group 1 state ao transition 200s\n";

static const char builtin_flap[] =
	"# groups 0 and 1 swap roles every 10 s, six times, 1 s transitions\n"
	"at 0s lun * group 0 state s transition 1s\n"
	"at 0s lun * group 1 state ao transition 1s\n"
	"at 10s lun * group 0 state ao transition 1s\n"
	"at 10s lun * group 1 state s transition 1s\n"
	"at 20s lun * group 0 state s transition 1s\n"
	"at 20s lun * group 1 state ao transition 1s\n"
	"at 30s lun * group 0 state ao transition 1s\n"
	"at 30s lun * group 1 state s transition 1s\n"
	"at 40s lun * group 0 state s transition 1s\n"
	"at 40s lun * group 1 state ao transition 1s\n"
	"at 50s lun * group 0 state ao transition 1s\n"
	"at 50s lun * group 1 state s transition 1s\n";

static const char builtin_lu_move[] =
	"# the even LUs move to group 1 (the other controller), PREF too;\n"
	"# the odd LUs stay where they are\n"
	"at 0ms lun even group 0 state s transition 2s pref off\n"
	"at 0ms lun even group 1 state ao transition 2s pref on\n";

static const struct {
	const char *name;
	const char *text;
} builtins[] = {
	{ "failover", builtin_failover },
	{ "failback", builtin_failback },
	{ "long-transition", builtin_long },
	{ "flap", builtin_flap },
	{ "lu-group-move", builtin_lu_move },
};

const char *salua_sim_builtin(const char *name)
{
	unsigned i;

	for (i = 0; name && i < SALUA_ARRAY_SIZE(builtins); i++)
		if (strcmp(name, builtins[i].name) == 0)
			return builtins[i].text;
	return NULL;
}

const char *salua_sim_builtin_name(unsigned i)
{
	return i < SALUA_ARRAY_SIZE(builtins) ? builtins[i].name : NULL;
}

int salua_sim_load_scenario(struct salua_sim *s, const char *text)
{
	struct ctx x;
	const char *p, *e, *b;
	unsigned i;
	int rc;

	if (!s || !text)
		return -SALUA_EINVAL;
	b = salua_sim_builtin(text);
	if (b)
		text = b;
	memset(&x, 0, sizeof(x));
	x.s = s;
	s->err[0] = '\0';
	s->err_line = 0;
	for (p = text; *p; p = *e ? e + 1 : e) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		x.ln.no++;
		rc = tokenize(&x, p, e);
		if (!rc)
			rc = parse_line(&x);
		if (rc)
			return x.full ? -SALUA_ENOSPC : rc;
	}
	if (s->nev + x.nev > SALUA_SIM_MAX_EVENTS) {
		snprintf(s->err, sizeof(s->err),
			 "%u events do not fit (%u already scheduled, max %u)",
			 x.nev, s->nev, SALUA_SIM_MAX_EVENTS);
		return -SALUA_ENOSPC;
	}
	for (i = 0; i < x.nev; i++)
		schedule(s, &x.ev[i]);
	salua_sim_set_time(s, s->now);
	return (int)x.nev;
}

const char *salua_sim_error(const struct salua_sim *s)
{
	return s ? s->err : "";
}

unsigned salua_sim_error_line(const struct salua_sim *s)
{
	return s ? s->err_line : 0;
}

/* ---- salua_sim_open(): "sim:luns=4,ports=4,scenario=failover" ---------- */

static int open_fail(struct salua_sim *s, const char *key, const char *val)
{
	snprintf(s->err, sizeof(s->err), "sim spec: bad %.32s '%.64s'", key, val);
	s->err_line = 0;
	return -SALUA_EMALFORMED;
}

static bool spec_num(const char *v, uint64_t max, uint64_t *out)
{
	return num(v, max, out, NULL);
}

int salua_sim_open(struct salua_sim *s, const char *spec)
{
	struct salua_sim_config c;
	char buf[256], scen[32] = "";
	char *p, *k, *v, *comma;
	uint64_t n;
	int rc;

	if (!s)
		return -SALUA_EINVAL;
	memset(s, 0, sizeof(*s));
	salua_sim_config_default(&c);
	if (!spec)
		spec = "";
	if (strncmp(spec, "sim:", 4) == 0)
		spec += 4;
	if (strlen(spec) >= sizeof(buf))
		return open_fail(s, "spec", "too long");
	strcpy(buf, spec);
	for (p = buf; *p; p = comma ? comma + 1 : p + strlen(p)) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		k = p;
		v = strchr(p, '=');
		if (!*k)
			continue;
		if (!v)
			return open_fail(s, "key=value", k);
		*v++ = '\0';
		if (strcmp(k, "scenario") == 0) {
			if (strlen(v) >= sizeof(scen))
				return open_fail(s, k, v);
			strcpy(scen, v);
		} else if (strcmp(k, "sense") == 0) {
			if (strcmp(v, "desc") && strcmp(v, "fixed"))
				return open_fail(s, k, v);
			c.descriptor_sense = strcmp(v, "desc") == 0;
		} else if (strcmp(k, "ua-scope") == 0) {
			if (strcmp(v, "all") && strcmp(v, "group"))
				return open_fail(s, k, v);
			c.ua_group_ports_only = strcmp(v, "group") == 0;
		} else if (strcmp(k, "transition") == 0) {
			struct ctx x;
			uint32_t ms;

			memset(&x, 0, sizeof(x));
			x.s = s;
			x.ln.n = 1;
			if (strlen(v) >= TOK_LEN)
				return open_fail(s, k, v);
			strcpy(x.ln.tok[0], v);
			if (get_time(&x, k, &ms))
				return open_fail(s, k, v);
			c.transition_ms = ms;
		} else {
			if (!spec_num(v, UINT32_MAX, &n))
				return open_fail(s, k, v);
			if (strcmp(k, "luns") == 0)
				c.luns = (unsigned)n;
			else if (strcmp(k, "ports") == 0)
				c.ports = (unsigned)n;
			else if (strcmp(k, "groups") == 0)
				c.groups = (unsigned)n;
			else if (strcmp(k, "implicit") == 0 && n <= 1)
				c.implicit = n != 0;
			else if (strcmp(k, "explicit") == 0 && n <= 1)
				c.explicit_alua = n != 0;
			else if (strcmp(k, "lu-base") == 0 && n <= 0xffffffu)
				c.lu_id_base = (uint32_t)n;
			else if (strcmp(k, "tpgs") == 0 && n <= 3) {
				c.implicit = (n & 1u) != 0;
				c.explicit_alua = (n & 2u) != 0;
			}
			else if (strcmp(k, "supported") == 0 && n <= 0xff)
				c.supported = (uint8_t)n;
			else if (strcmp(k, "itt") == 0 && n <= 0xff)
				c.implicit_transition_secs = (uint8_t)n;
			else if (strcmp(k, "latency") == 0)
				c.latency_ms = (uint32_t)n;
			else if (strcmp(k, "nonop") == 0)
				c.nonop_delay_ms = (uint32_t)n;
			else if (strcmp(k, "power-on-ua") == 0 && n <= 1)
				c.power_on_ua = n != 0;
			else
				return open_fail(s, k, v);
		}
	}
	rc = salua_sim_init(s, &c);
	if (rc) {
		snprintf(s->err, sizeof(s->err),
			 "sim spec: luns 1..%u, ports 1..%u, groups 1..%u",
			 SALUA_SIM_MAX_LUNS, SALUA_SIM_MAX_PORTS,
			 SALUA_SIM_MAX_GROUPS);
		return rc;
	}
	if (!scen[0])
		return 0;
	if (!salua_sim_builtin(scen))
		return open_fail(s, "scenario", scen);
	rc = salua_sim_load_scenario(s, scen);
	return rc < 0 ? rc : 0;
}
