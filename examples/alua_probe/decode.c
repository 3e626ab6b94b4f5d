/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - calls into the salua core, shared by both output formats.
 *
 * Only public API is used.  A core return code becomes a probe_err whose
 * code is salua_errname() of it, and whose offset is the start of the
 * structure that could not be decoded (header, descriptor).
 */
#include "probe.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int fail(struct probe_err *err, int rc, long offset, const char *fmt,
		...)
{
	va_list ap;

	err->code = salua_errname(rc);
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return PROBE_EXIT_DECODE;
}

int probe_decode_rtpg(const uint8_t *buf, size_t len, struct probe_rtpg *r,
		      struct probe_err *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = salua_rtpg_parse(buf, len, SALUA_RTPG_AUTO, &r->info, &r->it);
	if (rc < 0)
		return fail(err, rc, 0,
			    "REPORT TARGET PORT GROUPS header incomplete: %zu of %u bytes (%s)",
			    len, SALUA_RTPG_HDR_CLASSIC, salua_strerror(rc));
	r->have_info = true;
	return PROBE_EXIT_OK;
}

int probe_decode_stpg(const uint8_t *buf, size_t len, struct probe_stpg *r,
		      struct probe_err *err)
{
	size_t cap = len / SALUA_STPG_DESC_LEN + 1u;
	int rc;

	memset(r, 0, sizeof(*r));
	r->d = calloc(cap, sizeof(*r->d));
	if (!r->d)
		return fail(err, -SALUA_ENOSPC, -1, "out of memory");
	r->n = cap;
	rc = salua_stpg_decode(buf, len, 0, r->d, &r->n);
	if (rc == 0)
		return PROBE_EXIT_OK;
	switch (-rc) {
	case SALUA_ETRUNC:
		r->n = 0;
		return fail(err, rc, 0,
			    "SET TARGET PORT GROUPS header incomplete: %zu of %u bytes",
			    len, SALUA_STPG_HDR_LEN);
	case SALUA_EMALFORMED:
		r->n = 0;
		return fail(err, rc,
			    (long)(len - (len - SALUA_STPG_HDR_LEN) %
					     SALUA_STPG_DESC_LEN),
			    "parameter list length %zu is not 4 + 4 * n: partial descriptor",
			    len);
	case SALUA_ENOTSUP: {
		size_t bad = r->n, off;
		unsigned st;

		/* nothing is stored when one descriptor is rejected */
		r->n = 0;
		off = SALUA_STPG_HDR_LEN + bad * SALUA_STPG_DESC_LEN;
		st = off < len ? buf[off] & SALUA_STATE_MASK : 0u;
		return fail(err, rc, (long)off,
			    "descriptor %zu requests state 0x%x (%s), which SET TARGET PORT GROUPS cannot set",
			    bad + 1u, st, salua_state_name(st));
	}
	default:
		r->n = 0;
		return fail(err, rc, -1, "%s", salua_strerror(rc));
	}
}

int probe_decode_sense(const uint8_t *buf, size_t len, struct probe_sense *r,
		       struct probe_err *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = salua_sense_normalize(buf, len, &r->s);
	if (rc == -SALUA_EPAGE)
		return fail(err, rc, 0,
			    "response code 0x%02x is not sense data (0x70..0x73)",
			    len ? buf[0] & 0x7fu : 0u);
	if (rc < 0)
		return fail(err, rc, 0, "sense data too short: %zu bytes", len);
	r->ok = true;
	return PROBE_EXIT_OK;
}
int probe_decode_inquiry(const uint8_t *buf, size_t len, struct probe_inquiry *r, struct probe_err *err)
{ (void)buf; (void)len; (void)r; return fail(err, -SALUA_ENOTSUP, -1, "x"); }
int probe_decode_vpd83(const uint8_t *buf, size_t len, struct probe_vpd83 *r, struct probe_err *err)
{ (void)buf; (void)len; (void)r; return fail(err, -SALUA_ENOTSUP, -1, "x"); }
void probe_vpd83_free(struct probe_vpd83 *r) { (void)r; }
