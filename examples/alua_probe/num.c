/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - the one number parser: every number alua_probe reads (option
 * values, sim: keys, environment variables) goes through these two, so each
 * is checked to its end and against its range, and overflow is an error.
 */
#include "probe.h"

#include <string.h>

/* Seconds with up to three decimals, for messages: 1500 -> "1.5". */
void probe_fmt_secs(char *buf, size_t cap, uint64_t ms)
{
	unsigned frac = (unsigned)(ms % 1000u);

	if (frac == 0)
		snprintf(buf, cap, "%llu", (unsigned long long)(ms / 1000u));
	else if (frac % 100u == 0)
		snprintf(buf, cap, "%llu.%u", (unsigned long long)(ms / 1000u),
			 frac / 100u);
	else if (frac % 10u == 0)
		snprintf(buf, cap, "%llu.%02u", (unsigned long long)(ms / 1000u),
			 frac / 10u);
	else
		snprintf(buf, cap, "%llu.%03u", (unsigned long long)(ms / 1000u),
			 frac);
}

/* Decimal digits into *v; false on overflow.  *p ends after the digits. */
static bool digits(const char **p, uint64_t *v)
{
	*v = 0;
	for (; **p >= '0' && **p <= '9'; (*p)++) {
		unsigned d = (unsigned)(**p - '0');

		if (*v > (UINT64_MAX - d) / 10u)
			return false;
		*v = *v * 10u + d;
	}
	return true;
}

bool probe_parse_u64(const char *s, uint64_t min, uint64_t max,
		     uint64_t *out, char *why, size_t cap)
{
	const char *p = s;
	uint64_t v;

	if (!s || !*s) {
		snprintf(why, cap, "empty number");
		return false;
	}
	if (*p < '0' || *p > '9') {
		snprintf(why, cap, "not a number");
		return false;
	}
	if (!digits(&p, &v)) {
		snprintf(why, cap, "too large (at most %llu)",
			 (unsigned long long)max);
		return false;
	}
	if (*p) {
		snprintf(why, cap, "unexpected '%c' after the number", *p);
		return false;
	}
	if (v < min || v > max) {
		snprintf(why, cap, "out of range (%llu..%llu)",
			 (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	*out = v;
	return true;
}

bool probe_parse_ms(const char *s, uint64_t unit_ms, uint64_t min,
		    uint64_t max, uint64_t *out, char *why, size_t cap)
{
	const char *p = s, *frac_at;
	uint64_t whole, frac = 0, scale = 1000u, unit = unit_ms, v;
	char lo[32], hi[32];
	unsigned nfrac = 0;

	if (!s || !*s || ((*p < '0' || *p > '9') && *p != '.')) {
		snprintf(why, cap, "not a duration");
		return false;
	}
	if (!digits(&p, &whole))
		goto range;
	frac_at = p;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, nfrac++) {
			scale /= 10u;
			if (scale == 0 && *p != '0') {
				snprintf(why, cap,
					 "finer than a millisecond");
				return false;
			}
			frac += (uint64_t)(*p - '0') * scale;
		}
		if (nfrac == 0 && p == frac_at + 1 && frac_at == s) {
			snprintf(why, cap, "not a duration");
			return false;
		}
	}
	if (strcmp(p, "ms") == 0) {
		unit = 1u;
	} else if (strcmp(p, "s") == 0) {
		unit = 1000u;
	} else if (strcmp(p, "m") == 0) {
		unit = 60000u;
	} else if (*p) {
		snprintf(why, cap, "unexpected '%s' after the number (units: ms, s, m)",
			 p);
		return false;
	}
	/* The fraction is in thousandths of @unit: only whole ms survive. */
	if (frac && (frac * unit) % 1000u) {
		snprintf(why, cap, "finer than a millisecond");
		return false;
	}
	if (whole > UINT64_MAX / unit)
		goto range;
	v = whole * unit + frac * unit / 1000u;
	if (v < min || v > max)
		goto range;
	*out = v;
	return true;
range:
	probe_fmt_secs(lo, sizeof(lo), min);
	probe_fmt_secs(hi, sizeof(hi), max);
	snprintf(why, cap, "out of range (%s..%s s)", lo, hi);
	return false;
}
