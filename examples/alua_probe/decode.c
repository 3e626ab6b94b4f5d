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

PROBE_PRINTF(4, 5)
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
int probe_decode_inquiry(const uint8_t *buf, size_t len,
			 struct probe_inquiry *r, struct probe_err *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = salua_inquiry_decode(buf, len, &r->inq);
	if (rc < 0)
		return fail(err, rc, 0, "no INQUIRY data (%zu bytes)", len);
	r->ok = true;
	return PROBE_EXIT_OK;
}

void probe_vpd83_free(struct probe_vpd83 *r)
{
	free(r->d);
	r->d = NULL;
	r->n = 0;
}

int probe_decode_vpd83(const uint8_t *buf, size_t len, struct probe_vpd83 *r,
		       struct probe_err *err)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	struct salua_vpd83_ids ids;
	size_t cap = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = salua_vpd83_iter_init(&it, buf, len);
	if (rc == -SALUA_EPAGE)
		return fail(err, rc, 1,
			    "page code 0x%02x is not Device Identification (0x83)",
			    buf[1]);
	if (rc < 0)
		return fail(err, rc, 0,
			    "VPD page header incomplete: %zu of %u bytes", len,
			    SALUA_VPD_HDR_LEN);
	r->have_page = true;
	r->pg = it.pg;
	while ((rc = salua_vpd83_next(&it, &d)) == 1) {
		if (r->n == cap) {
			struct salua_vpd83_desig *nd;

			cap = cap ? 2u * cap : 16u;
			nd = realloc(r->d, cap * sizeof(*nd));
			if (!nd)
				return fail(err, -SALUA_ENOSPC, -1,
					    "out of memory");
			r->d = nd;
		}
		r->d[r->n++] = d;
	}
	if (rc < 0) {
		size_t left = it.off < it.pg.len ? it.pg.len - it.off : 0;

		if (rc == -SALUA_ETRUNC)
			return fail(err, rc, (long)it.off,
				    "page cut short: %zu of %u bytes received; the descriptor at offset %zu is missing",
				    len, (unsigned)it.pg.page_len + SALUA_VPD_HDR_LEN,
				    it.off);
		if (left >= SALUA_DESIG_HDR_LEN)
			return fail(err, rc, (long)it.off,
				    "designator at offset %zu claims %u bytes, %zu left in the page",
				    it.off, (unsigned)buf[it.off + 3u],
				    left - SALUA_DESIG_HDR_LEN);
		return fail(err, rc, (long)it.off,
			    "%zu stray byte(s) at offset %zu cannot hold a designator header",
			    left, it.off);
	}
	/* Port, group and LU name in one walk; a walk error gives neither. */
	rc = salua_vpd83_summary(buf, len, sizeof(r->lu_name), &ids);
	if (rc < 0 || !ids.lu_prio ||
	    salua_vpd83_render(&ids.lu, r->lu_name, sizeof(r->lu_name),
			       NULL) < 0)
		r->lu_name[0] = '\0';
	if (rc < 0)
		memset(&ids.port, 0, sizeof(ids.port));
	r->port = ids.port;
	return PROBE_EXIT_OK;
}

const char *probe_assoc_name(unsigned a)
{
	static const char *const n[] = { "lu", "port", "device", "reserved" };

	return n[a & 3u];
}

const char *probe_codeset_name(unsigned c)
{
	switch (c) {
	case SALUA_CODESET_BINARY: return "binary";
	case SALUA_CODESET_ASCII: return "ascii";
	case SALUA_CODESET_UTF8: return "utf8";
	default: return "reserved";
	}
}

const char *probe_desig_type_name(unsigned t)
{
	static const char *const n[] = {
		"vendor", "t10", "eui64", "naa", "rel-port", "tpg",
		"lu-group", "md5", "name", "proto-port", "uuid"
	};

	return t < sizeof(n) / sizeof(n[0]) ? n[t] : "reserved";
}

const char *probe_proto_name(unsigned p)
{
	static const char *const n[] = {
		"fcp", "spi", "ssa", "sbp", "srp", "iscsi", "sas", "adt",
		"ata", "uas", "sop", "pcie"
	};

	if (p == SALUA_PROTO_NONE)
		return "none";
	return p < sizeof(n) / sizeof(n[0]) ? n[p] : "reserved";
}

const char *probe_pdt_name(unsigned pdt)
{
	switch (pdt) {
	case 0x00: return "disk";
	case 0x01: return "tape";
	case 0x05: return "cd/dvd";
	case 0x07: return "optical";
	case 0x08: return "changer";
	case 0x0c: return "storage array";
	case 0x0d: return "enclosure";
	case 0x0e: return "simplified disk";
	case 0x1e: return "well known lu";
	case 0x1f: return "unknown";
	default: return "other";
	}
}

/* RTPG parameter data format as decoded (SPC-5 §6.36 table 208). */
const char *probe_rtpg_format_name(enum salua_rtpg_format format)
{
	return format == SALUA_RTPG_EXTENDED ? "extended" : "classic";
}

/* Text designators: the value without trailing NULs (padding). */
size_t probe_desig_text_len(const struct salua_vpd83_desig *d)
{
	size_t n = d->len;

	while (n > 0 && d->value[n - 1] == 0)
		n--;
	return n;
}
