/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - plain-text reports, for people: compact, aligned, and safe
 * to paste into a ticket (device strings are escaped, never printed raw).
 */
#include "probe.h"

#include <stdlib.h>

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

static int plain_sense(const uint8_t *buf, size_t len, FILE *f)
{
	struct probe_err err = { NULL, "", -1 };
	struct probe_sense r;
	const struct salua_sense *s = &r.s;
	const char *name;
	int rc = probe_decode_sense(buf, len, &r, &err);

	if (rc) {
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
	return PROBE_EXIT_OK;
}

static void plain_field(FILE *f, const char *label, const uint8_t *p,
			size_t n)
{
	fprintf(f, "  %-9s ", label);
	if (!p) {
		fputs("(not received)\n", f);
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
	plain_field(f, "vendor", q->vendor, q->vendor_len);
	plain_field(f, "product", q->product, q->product_len);
	plain_field(f, "revision", q->revision, q->revision_len);
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

static int plain_vpd83(const uint8_t *buf, size_t len, FILE *f)
{
	struct probe_err err = { NULL, "", -1 };
	struct probe_vpd83 r;
	size_t i;
	int rc = probe_decode_vpd83(buf, len, &r, &err);

	if (r.have_page)
		fprintf(f, "Device Identification VPD page: page length %u, %zu designator(s)\n",
			(unsigned)r.pg.page_len, r.n);
	if (r.n)
		fprintf(f, "%3s  %4s  %-6s  %-10s  %-8s  %-5s  %3s  %s\n", "#",
			"OFF", "ASSOC", "TYPE", "CODE SET", "PROTO", "LEN",
			"VALUE");
	for (i = 0; i < r.n; i++)
		plain_desig(f, i, &r.d[i]);
	if (rc) {
		print_error(f, &err);
		probe_vpd83_free(&r);
		return rc;
	}
	fprintf(f, "LU name            %s\n", r.lu_name[0] ? r.lu_name : "(none)");
	if (r.port.has_rel_port)
		fprintf(f, "relative port      %u (0x%x)\n",
			(unsigned)r.port.rel_port, (unsigned)r.port.rel_port);
	else
		fputs("relative port      (none)\n", f);
	if (r.port.has_tpg)
		fprintf(f, "target port group  %u (0x%x)\n",
			(unsigned)r.port.tpg, (unsigned)r.port.tpg);
	else
		fputs("target port group  (none)\n", f);
	probe_vpd83_free(&r);
	return PROBE_EXIT_OK;
}

int probe_plain(enum probe_type t, const uint8_t *buf, size_t len, FILE *f)
{
	switch (t) {
	case PROBE_T_RTPG: return plain_rtpg(buf, len, f);
	case PROBE_T_STPG: return plain_stpg(buf, len, f);
	case PROBE_T_SENSE: return plain_sense(buf, len, f);
	case PROBE_T_INQUIRY: return plain_inquiry(buf, len, f);
	case PROBE_T_VPD83: return plain_vpd83(buf, len, f);
	}
	return PROBE_EXIT_USAGE;
}
