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

/* The first problem of a referral list, as an error (offset in @base). */
static int referral_problems(struct salua_referrals_iter it, size_t base,
			     const struct salua_referrals_info *info,
			     const char *what, struct probe_err *err)
{
	struct salua_uds_desc d;
	unsigned n = 0, bit;

	if (info->overrun)
		return fail(err, -SALUA_EMALFORMED, (long)(base + info->bad_off),
			    "%s: the segment descriptor at offset %zu does not fit the %u bytes announced",
			    what, base + info->bad_off,
			    (unsigned)info->desc_length);
	while (salua_referrals_next(&it, &d) == 1) {
		n++;
		if (!d.problems)
			continue;
		for (bit = 1; !(d.problems & bit); bit <<= 1)
			;
		return fail(err, -SALUA_EMALFORMED, (long)(base + d.off),
			    "%s: segment %u at offset %zu: %s", what, n,
			    base + d.off, probe_uds_problem_name(bit));
	}
	return PROBE_EXIT_OK;
}

int probe_decode_sense(const uint8_t *buf, size_t len, struct probe_sense *r,
		       struct probe_err *err)
{
	struct salua_sense_desc_iter it;
	struct salua_sense_desc d;
	struct salua_referrals_info info;
	struct salua_referrals_iter rit;
	int rc;

	memset(r, 0, sizeof(*r));
	r->received = len;
	rc = salua_sense_normalize(buf, len, &r->s);
	if (rc == -SALUA_EPAGE)
		return fail(err, rc, 0,
			    "response code 0x%02x is not sense data (0x70..0x73)",
			    len ? buf[0] & 0x7fu : 0u);
	if (rc < 0)
		return fail(err, rc, 0, "sense data too short: %zu bytes", len);
	r->ok = true;
	/* A descriptor past ADDITIONAL SENSE LENGTH contradicts the header. */
	salua_sense_desc_first(&it, &r->s);
	while (salua_sense_desc_next(&it, &d) == 1) {
		if (d.status == SALUA_SDESC_ST_CUT)
			r->cut = true;
		if (d.status == SALUA_SDESC_ST_OVERRUN)
			return fail(err, -SALUA_EMALFORMED, (long)d.off,
				    "descriptor at offset %zu (type 0x%02x) needs %zu bytes, %zu left inside ADDITIONAL SENSE LENGTH %u",
				    d.off, (unsigned)d.type,
				    d.len ? d.len : (size_t)2, d.avail,
				    (unsigned)r->s.add_len);
		if (d.type == SALUA_SDESC_UDS_REFERRAL &&
		    salua_referrals_sense_parse(&d, &info, &rit) == 0) {
			rc = referral_problems(rit, d.off, &info,
					       "user data segment referral",
					       err);
			if (rc)
				return rc;
		} else if (d.type == SALUA_SDESC_UDS_REFERRAL &&
			   d.status == SALUA_SDESC_ST_COMPLETE) {
			return fail(err, -SALUA_EMALFORMED, (long)d.off,
				    "user data segment referral descriptor at offset %zu: ADDITIONAL LENGTH %zu is under 2",
				    d.off, d.len - 2u);
		}
	}
	return PROBE_EXIT_OK;
}

int probe_decode_referrals(const uint8_t *buf, size_t len,
			   struct probe_referrals *r, struct probe_err *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = salua_referrals_parse(buf, len, &r->info, &r->it);
	if (rc < 0)
		return fail(err, rc, 0,
			    "REPORT REFERRALS header incomplete: %zu of %u bytes",
			    len, SALUA_REFERRALS_HDR_LEN);
	r->have_info = true;
	return referral_problems(r->it, 0, &r->info, "REPORT REFERRALS", err);
}
int probe_decode_inquiry(const uint8_t *buf, size_t len,
			 struct probe_inquiry *r, struct probe_err *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->received = len;
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

/* Problem names of a designator, comma-separated, into @buf. */
static void problem_list(uint16_t problems, char *buf, size_t cap)
{
	unsigned bit;
	size_t pos = 0;

	buf[0] = '\0';
	for (bit = 1; bit <= SALUA_VPD83_P_ALL; bit <<= 1)
		if ((problems & bit) && pos < cap)
			pos += (size_t)snprintf(buf + pos, cap - pos, "%s%s",
						pos ? ", " : "",
						salua_vpd83_problem_name(
							(uint16_t)bit));
}

/* The kernel's and the SPC-5 readings of LU name, port and group. */
static void vpd83_names(const uint8_t *buf, size_t len, struct probe_vpd83 *r)
{
	struct salua_vpd83_desig lu;
	struct salua_vpd83_ids ids;
	int rc;

	(void)salua_vpd83_summary(buf, len, 0, &ids);
	r->quirks = ids.quirks;
	r->lu_rc = salua_vpd83_lu_desig(buf, len, 0, &lu);
	if (r->lu_rc > 0) {
		rc = salua_vpd83_render_kernel(&lu, r->lu_name,
					       sizeof(r->lu_name), NULL);
		if (rc < 0)
			r->lu_rc = rc;
		else
			r->lu_len = (size_t)rc;
	}
	r->lu_strict_rc = salua_vpd83_lu_name_strict(buf, len, r->lu_strict,
						     sizeof(r->lu_strict),
						     NULL);
	r->port_rc = salua_vpd83_find_port(buf, len, &r->port);
	r->port_strict_rc = salua_vpd83_find_port_strict(buf, len,
							 &r->port_strict);
}

int probe_decode_vpd83(const uint8_t *buf, size_t len, struct probe_vpd83 *r,
		       struct probe_err *err)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	size_t cap = 0, i;
	char pr[160];
	int rc;

	memset(r, 0, sizeof(*r));
	r->lu_rc = r->lu_strict_rc = -SALUA_ENOENT;
	r->port_rc = r->port_strict_rc = -SALUA_ENOENT;
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
	vpd83_names(buf, len, r);
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
	if (rc == -SALUA_EMALFORMED &&
	    salua_vpd83_legacy(buf, len, &d) == 1) {
		/* The SCSI-2 layout: one bare identifier, decoded as such. */
		r->legacy = true;
		if (!r->d && !(r->d = malloc(sizeof(*r->d))))
			return fail(err, -SALUA_ENOSPC, -1, "out of memory");
		r->d[0] = d;
		r->n = 1;
		rc = 0;
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
	/* Every designator is listed; the first invalid one is the error. */
	for (i = 0; i < r->n; i++) {
		if (!r->d[i].problems)
			continue;
		problem_list(r->d[i].problems, pr, sizeof(pr));
		return fail(err, -SALUA_EMALFORMED, (long)r->d[i].off,
			    "designator %zu at offset %zu (%s) is invalid: %s",
			    i + 1u, r->d[i].off,
			    probe_desig_type_name(r->d[i].type), pr);
	}
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

const char *probe_sdesc_status_name(unsigned status)
{
	switch (status) {
	case SALUA_SDESC_ST_COMPLETE: return "complete";
	case SALUA_SDESC_ST_CUT: return "cut";
	default: return "overrun";
	}
}

const char *probe_uds_problem_name(unsigned bit)
{
	switch (bit) {
	case SALUA_UDS_P_RANGE: return "first LBA above last LBA";
	case SALUA_UDS_P_ORDER: return "overlaps or precedes the previous segment";
	case SALUA_UDS_P_STATE: return "a group in a state a segment cannot have";
	default: return "unknown";
	}
}

/* Text designators: the value without trailing NULs (padding). */
size_t probe_desig_text_len(const struct salua_vpd83_desig *d)
{
	size_t n = d->len;

	while (n > 0 && d->value[n - 1] == 0)
		n--;
	return n;
}
