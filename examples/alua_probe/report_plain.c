/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - plain-text reports, for people: compact, aligned, and safe
 * to paste into a ticket (device strings are escaped, never printed raw).
 */
#include "probe.h"

#include <stdlib.h>
#include <string.h>

static const char *status_name(unsigned st)
{
	switch (st) {
	case SALUA_TPG_STATUS_NONE: return "-";
	case SALUA_TPG_STATUS_BY_STPG: return "stpg";
	case SALUA_TPG_STATUS_BY_IMPLICIT: return "implicit";
	default: return "reserved";
	}
}

static void print_error(FILE *f, const struct probe_err *e)
{
	fprintf(f, "error: %s (%s", e->message, e->code);
	if (e->offset >= 0)
		fprintf(f, " at offset %ld", e->offset);
	fputs(")\n", f);
}

static int plain_rtpg(const uint8_t *buf, size_t len, FILE *f)
{
	struct probe_err err = { NULL, "", -1 };
	struct probe_rtpg r;
	struct salua_tpg_desc d;
	const struct salua_rtpg_info *in = &r.info;
	char sup[8];
	unsigned i;
	int rc = probe_decode_rtpg(buf, len, &r, &err);

	if (rc) {
		print_error(f, &err);
		return rc;
	}
	fprintf(f, "REPORT TARGET PORT GROUPS: %s header, return data length %lu, %zu bytes",
		probe_rtpg_format_name(in->format),
		(unsigned long)in->return_data_length, in->received);
	if (in->format == SALUA_RTPG_EXTENDED)
		fprintf(f, ", implicit transition time %u s",
			(unsigned)in->implicit_transition_time);
	fputc('\n', f);
	if (in->truncated)
		fprintf(f, "warning: truncated: %zu of %lu bytes received; %zu complete group(s) shown; allocation length %lu would hold all\n",
			in->received, (unsigned long)in->needed, in->ngroups,
			(unsigned long)in->needed);
	if (in->ngroups == 0) {
		fputs("no target port groups\n", f);
		return PROBE_EXIT_OK;
	}
	fprintf(f, "%-6s  %-20s  %-4s  %-7s  %-8s  %-4s  %s\n", "TPG",
		"STATE", "PREF", "SUP", "STATUS", "VS", "PORTS");
	while (salua_rtpg_next(&r.it, &d) == 1) {
		if (salua_rtpg_supported_str(d.supported, sup, sizeof(sup)) < 0)
			sup[0] = '\0';
		fprintf(f, "0x%04x  %-20s  %-4s  %-7s  %-8s  0x%02x  ",
			(unsigned)d.tpg_id, salua_state_name(d.state),
			d.pref ? "yes" : "no", sup, status_name(d.status),
			(unsigned)d.vendor);
		if (d.port_count == 0)
			fputs("(none)", f);
		for (i = 0; i < d.port_count; i++)
			fprintf(f, "%s%u", i ? "," : "",
				(unsigned)salua_tpg_desc_port(&d, i));
		fputc('\n', f);
	}
	return PROBE_EXIT_OK;
}

static int plain_stpg(const uint8_t *buf, size_t len, FILE *f)
{
	struct probe_err err = { NULL, "", -1 };
	struct probe_stpg r;
	size_t i;
	int rc = probe_decode_stpg(buf, len, &r, &err);

	if (rc) {
		print_error(f, &err);
		free(r.d);
		return rc;
	}
	fprintf(f, "SET TARGET PORT GROUPS: parameter list length %zu, %zu descriptor(s)\n",
		len, r.n);
	if (r.n)
		fprintf(f, "%-4s  %-20s  %s\n", "#", "STATE", "ID");
	for (i = 0; i < r.n; i++)
		fprintf(f, "%-4zu  %-20s  0x%04x%s\n", i + 1u,
			salua_state_name(r.d[i].state), (unsigned)r.d[i].id,
			r.d[i].state == SALUA_STATE_OFFLINE ?
				" (relative target port)" : "");
	free(r.d);
	return PROBE_EXIT_OK;
}

static void plain_segments(FILE *f, struct salua_referrals_iter it,
			   size_t base, const char *pfx)
{
	struct salua_uds_desc d;
	unsigned k, bit;
	uint16_t tpg;
	uint8_t st;

	while (salua_referrals_next(&it, &d) == 1) {
		fprintf(f, "%s@%zu LBA 0x%llx..0x%llx:", pfx, base + d.off,
			(unsigned long long)d.first_lba,
			(unsigned long long)d.last_lba);
		if (!d.ntpg)
			fputs(" (no groups)", f);
		for (k = 0; k < d.ntpg; k++) {
			salua_uds_desc_tpg(&d, k, &st, &tpg);
			fprintf(f, "%s TPG 0x%04x %s", k ? "," : "",
				(unsigned)tpg, salua_state_name(st));
		}
		for (bit = 1; bit <= SALUA_UDS_P_ALL; bit <<= 1)
			if (d.problems & bit)
				fprintf(f, "  [invalid: %s]",
					probe_uds_problem_name(bit));
		fputc('\n', f);
	}
}

/* Descriptor-format sense: every descriptor, whole or not. */
static void plain_sense_descs(FILE *f, const struct probe_sense *r)
{
	struct salua_sense_desc_iter it;
	struct salua_sense_desc d;
	struct salua_referrals_info info;
	struct salua_referrals_iter rit;

	salua_sense_desc_first(&it, &r->s);
	while (salua_sense_desc_next(&it, &d) == 1) {
		fprintf(f, "  descriptor   @%zu type 0x%02x %s, ", d.off,
			(unsigned)d.type, salua_sense_desc_name(d.type));
		if (d.status == SALUA_SDESC_ST_COMPLETE)
			fprintf(f, "%zu bytes\n", d.len);
		else if (d.status == SALUA_SDESC_ST_CUT)
			fprintf(f, "cut: %zu of %zu bytes received\n", d.avail,
				d.len ? d.len : (size_t)2);
		else
			fprintf(f, "overruns ADDITIONAL SENSE LENGTH: needs %zu bytes, %zu left\n",
				d.len ? d.len : (size_t)2, d.avail);
		if (d.type == SALUA_SDESC_UDS_REFERRAL &&
		    salua_referrals_sense_parse(&d, &info, &rit) == 0) {
			fprintf(f, "               NOT_ALL_R %d%s\n",
				info.not_all_r ? 1 : 0,
				info.truncated ? ", segments cut" : "");
			plain_segments(f, rit, d.off, "               ");
		}
	}
}

static int plain_sense(const uint8_t *buf, size_t len, FILE *f)
{
	struct probe_err err = { NULL, "", -1 };
	struct probe_sense r;
	const struct salua_sense *s = &r.s;
	const char *name;
	int rc = probe_decode_sense(buf, len, &r, &err);

	if (!r.ok) {
		print_error(f, &err);
		return rc;
	}
	fprintf(f, "sense data: %s format, %s (response code 0x%02x)\n",
		s->descriptor ? "descriptor" : "fixed",
		s->deferred ? "deferred" : "current",
		(unsigned)s->response_code);
	fprintf(f, "  sense key    0x%x %s\n", (unsigned)s->key,
		salua_sense_key_name(s->key));
	if (s->has_asc) {
		name = salua_asc_name(s->asc, s->ascq);
		fprintf(f, "  asc/ascq     0x%02x/0x%02x%s%s\n",
			(unsigned)s->asc, (unsigned)s->ascq, name ? " " : "",
			name ? name : "");
	} else {
		fputs("  asc/ascq     (not present)\n", f);
	}
	if (s->has_info)
		fprintf(f, "  information  0x%llx\n",
			(unsigned long long)s->information);
	if (s->has_sks)
		fprintf(f, "  key-specific %02x %02x %02x\n", (unsigned)s->sks[0],
			(unsigned)s->sks[1], (unsigned)s->sks[2]);
	plain_sense_descs(f, &r);
	if (s->truncated) {
		if (len < 8)
			fprintf(f, "warning: truncated: %zu byte(s), the 8-byte header is incomplete\n",
				len);
		else
			fprintf(f, "warning: truncated: %zu of %u bytes received (8 + ADDITIONAL SENSE LENGTH %u); fields after byte %zu are missing\n",
				len, 8u + s->add_len, (unsigned)s->add_len,
				len);
	}
	if (rc) {
		print_error(f, &err);
		return rc;
	}
	return PROBE_EXIT_OK;
}

static void plain_field(FILE *f, const char *label, const uint8_t *p,
			size_t n, size_t whole, bool partial)
{
	fprintf(f, "  %-9s ", label);
	if (!p) {
		fputs("(not received)\n", f);
		return;
	}
	if (partial) {
		fprintf(f, "(cut: %zu of %zu bytes received)\n", n, whole);
		return;
	}
	fputc('"', f);
	probe_put_escaped(f, p, probe_trim_len(p, n));
	fputs("\"\n", f);
}

static int plain_inquiry(const uint8_t *buf, size_t len, FILE *f)
{
	static const char *const tpgs_name[] = {
		"no ALUA", "implicit ALUA", "explicit ALUA",
		"implicit and explicit ALUA"
	};
	struct probe_err err = { NULL, "", -1 };
	struct probe_inquiry r;
	const struct salua_inquiry *q = &r.inq;
	int rc = probe_decode_inquiry(buf, len, &r, &err);

	if (rc) {
		print_error(f, &err);
		return rc;
	}
	fprintf(f, "standard INQUIRY: %zu bytes, additional length %u%s\n",
		len, (unsigned)q->add_len,
		q->truncated ? " (truncated)" : "");
	fprintf(f, "  PQ %u  PDT 0x%02x (%s)  ", (unsigned)q->pq,
		(unsigned)q->pdt, probe_pdt_name(q->pdt));
	if (q->tpgs >= 0)
		fprintf(f, "TPGS %d (%s)\n", q->tpgs, tpgs_name[q->tpgs & 3]);
	else
		fputs("TPGS unknown (byte 5 not received)\n", f);
	plain_field(f, "vendor", q->vendor, q->vendor_len, SALUA_INQ_VENDOR_LEN,
		    q->partial & SALUA_INQ_PARTIAL_VENDOR);
	plain_field(f, "product", q->product, q->product_len,
		    SALUA_INQ_PRODUCT_LEN, q->partial & SALUA_INQ_PARTIAL_PRODUCT);
	plain_field(f, "revision", q->revision, q->revision_len,
		    SALUA_INQ_REVISION_LEN,
		    q->partial & SALUA_INQ_PARTIAL_REVISION);
	return PROBE_EXIT_OK;
}

static void plain_desig(FILE *f, size_t i, const struct salua_vpd83_desig *d)
{
	unsigned bit;
	bool first = true;

	fprintf(f, "%3zu  %4zu  %-6s  %-10s  %-8s  %-5s  %3u  ", i + 1u,
		d->off, probe_assoc_name(d->assoc),
		probe_desig_type_name(d->type), probe_codeset_name(d->code_set),
		d->piv && (d->assoc == SALUA_ASSOC_TARGET_PORT ||
			   d->assoc == SALUA_ASSOC_TARGET_DEVICE) ?
			probe_proto_name(d->proto) : "-",
		(unsigned)d->len);
	if (d->code_set == SALUA_CODESET_ASCII ||
	    d->code_set == SALUA_CODESET_UTF8) {
		fputc('"', f);
		probe_put_escaped(f, d->value, probe_desig_text_len(d));
		fputc('"', f);
	} else if (d->has_id) {
		fprintf(f, "%u (0x%x)", (unsigned)d->id, (unsigned)d->id);
	} else {
		fputs("0x", f);
		probe_put_hex(f, d->value, d->len);
	}
	for (bit = 1; bit <= SALUA_VPD83_P_ALL; bit <<= 1) {
		if (!(d->problems & bit))
			continue;
		fprintf(f, "%s%s", first ? "  [invalid: " : ",",
			salua_vpd83_problem_name((uint16_t)bit));
		first = false;
	}
	fputs(first ? "\n" : "]\n", f);
}

static void plain_port(FILE *f, const char *label, bool have, uint16_t v)
{
	if (have)
		fprintf(f, "%-19s%u (0x%x)\n", label, (unsigned)v, (unsigned)v);
	else
		fprintf(f, "%-19s(none)\n", label);
}

static int plain_vpd83(const uint8_t *buf, size_t len, FILE *f)
{
	struct probe_err err = { NULL, "", -1 };
	struct probe_vpd83 r;
	unsigned bit;
	size_t i;
	bool first = true;
	int rc = probe_decode_vpd83(buf, len, &r, &err);

	if (r.have_page)
		fprintf(f, "Device Identification VPD page%s: page length %u, %zu designator(s)%s\n",
			r.legacy ? " (SCSI-2 layout: one identifier, no designator header)" : "",
			(unsigned)r.pg.page_len, r.n,
			r.pg.truncated ? ", truncated" : "");
	if (r.n)
		fprintf(f, "%3s  %4s  %-6s  %-10s  %-8s  %-5s  %3s  %s\n", "#",
			"OFF", "ASSOC", "TYPE", "CODE SET", "PROTO", "LEN",
			"VALUE");
	for (i = 0; i < r.n; i++)
		plain_desig(f, i, &r.d[i]);
	if (!r.have_page) {
		print_error(f, &err);
		return rc;
	}
	/* The kernel's reading (its wwid) first; SPC-5's where it differs. */
	fputs("LU name            ", f);
	if (r.lu_rc > 0) {
		probe_put_escaped(f, (const uint8_t *)r.lu_name, r.lu_len);
		fprintf(f, "  (rank %d)\n", r.lu_rc);
	} else {
		fprintf(f, "(none: %s)\n",
			r.lu_rc == -SALUA_ENOENT &&
			(r.quirks & SALUA_VPD83_Q_NAA_NO_TEXT) ?
			"the kernel chose an NAA designator it writes no text for" :
			r.lu_rc == -SALUA_ENOENT ?
			"no LU designator the kernel ranks" :
			r.lu_rc == -SALUA_EMALFORMED ?
			"the kernel would read outside the page" :
			r.lu_rc == -SALUA_ETRUNC ?
			"the page is cut; the kernel reads it whole" :
			salua_strerror(r.lu_rc));
	}
	if (r.lu_strict_rc >= 0 &&
	    (r.lu_rc <= 0 || strcmp(r.lu_strict, r.lu_name) != 0 ||
	     strlen(r.lu_name) != r.lu_len))
	{
		fputs("LU name (SPC-5)    ", f);
		probe_put_escaped(f, (const uint8_t *)r.lu_strict,
				  strlen(r.lu_strict));
		fputc('\n', f);
	}
	else if (r.lu_strict_rc < 0 && r.lu_rc > 0)
		fputs("LU name (SPC-5)    (none)\n", f);
	plain_port(f, "relative port", r.port_rc >= 0 && r.port.has_rel_port,
		   r.port.rel_port);
	plain_port(f, "target port group", r.port_rc >= 0 && r.port.has_tpg,
		   r.port.tpg);
	if (r.port_strict_rc >= 0 &&
	    (r.port_strict.has_rel_port != (r.port_rc >= 0 && r.port.has_rel_port) ||
	     r.port_strict.rel_port != r.port.rel_port ||
	     r.port_strict.has_tpg != (r.port_rc >= 0 && r.port.has_tpg) ||
	     r.port_strict.tpg != r.port.tpg)) {
		plain_port(f, "  (SPC-5) rel port", r.port_strict.has_rel_port,
			   r.port_strict.rel_port);
		plain_port(f, "  (SPC-5) group", r.port_strict.has_tpg,
			   r.port_strict.tpg);
	}
	for (bit = 1; bit <= SALUA_VPD83_Q_ALL; bit <<= 1) {
		if (!(r.quirks & bit))
			continue;
		fprintf(f, "%s%s", first ? "kernel quirks      " : ", ",
			salua_vpd83_quirk_name((uint16_t)bit));
		first = false;
	}
	if (!first)
		fputc('\n', f);
	if (r.legacy && r.n == 1) {
		fputs("legacy id          3", f);
		probe_put_hex(f, r.d[0].value, r.d[0].len);
		fputs("  (udev ID_SERIAL, multipath-tools WWID)\n", f);
	}
	if (rc)
		print_error(f, &err);
	probe_vpd83_free(&r);
	return rc;
}

static int plain_referrals(const uint8_t *buf, size_t len, FILE *f)
{
	struct probe_err err = { NULL, "", -1 };
	struct probe_referrals r;
	const struct salua_referrals_info *in = &r.info;
	int rc = probe_decode_referrals(buf, len, &r, &err);

	if (!r.have_info) {
		print_error(f, &err);
		return rc;
	}
	fprintf(f, "REPORT REFERRALS: descriptor length %u, %zu bytes, %zu complete segment(s)\n",
		(unsigned)in->desc_length, in->received, in->nsegs);
	if (in->truncated)
		fprintf(f, "warning: truncated: %zu of %lu bytes received; allocation length %lu would hold all\n",
			in->received, (unsigned long)in->needed,
			(unsigned long)in->needed);
	if (!in->nsegs)
		fputs("no user data segments\n", f);
	plain_segments(f, r.it, 0, "");
	if (rc)
		print_error(f, &err);
	return rc;
}

int probe_plain(enum probe_type t, const uint8_t *buf, size_t len, FILE *f)
{
	switch (t) {
	case PROBE_T_RTPG: return plain_rtpg(buf, len, f);
	case PROBE_T_STPG: return plain_stpg(buf, len, f);
	case PROBE_T_SENSE: return plain_sense(buf, len, f);
	case PROBE_T_INQUIRY: return plain_inquiry(buf, len, f);
	case PROBE_T_VPD83: return plain_vpd83(buf, len, f);
	case PROBE_T_REFERRALS: return plain_referrals(buf, len, f);
	}
	return PROBE_EXIT_USAGE;
}
