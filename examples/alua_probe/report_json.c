/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - the --json reports (a stable contract for scripts).
 *
 * Every report is one object with "type" and "error" first; every other
 * member is always present, null when it could not be decoded, so a
 * script never has to test for a missing key.  All numbers are integers.
 */
#include "probe.h"

#include <stdlib.h>
#include <string.h>

static void head(struct jw *w, enum probe_type t, const struct probe_err *e)
{
	jw_head(w, probe_type_name(t), true, e);
}

/*
 * Members of one target port group descriptor (SPC-5 table 210), inside
 * an object the caller opened; the device report adds its own after them.
 */
void probe_json_tpg_desc(struct jw *w, const struct salua_tpg_desc *d)
{
	unsigned i;

	jw_key(w, "tpg_id");
	jw_uint(w, d->tpg_id);
	jw_key(w, "state");
	jw_uint(w, d->state);
	jw_key(w, "state_name");
	jw_str(w, salua_state_name(d->state));
	jw_key(w, "preferred");
	jw_bool(w, d->pref);
	jw_key(w, "supported");
	jw_uint(w, d->supported);
	jw_key(w, "status_code");
	jw_uint(w, d->status);
	jw_key(w, "vendor_specific");
	jw_uint(w, d->vendor);
	jw_key(w, "port_count");
	jw_uint(w, d->port_count);
	jw_key(w, "ports");
	jw_arr(w, true);
	for (i = 0; i < d->port_count; i++)
		jw_uint(w, salua_tpg_desc_port(d, i));
	jw_arr_end(w);
}

static void json_rtpg(struct jw *w, const struct probe_rtpg *r)
{
	const struct salua_rtpg_info *in = &r->info;
	struct salua_rtpg_iter it = r->it;
	struct salua_tpg_desc d;

	jw_key(w, "format");
	if (!r->have_info)
		jw_null(w);
	else
		jw_str(w, probe_rtpg_format_name(in->format));
	jw_key(w, "return_data_length");
	jw_uint_or_null(w, r->have_info, in->return_data_length);
	jw_key(w, "implicit_transition_time");
	jw_uint_or_null(w, r->have_info && in->format == SALUA_RTPG_EXTENDED,
			in->implicit_transition_time);
	jw_key(w, "truncated");
	jw_bool_or_null(w, r->have_info, in->truncated);
	jw_key(w, "groups");
	jw_arr(w, false);
	while (r->have_info && salua_rtpg_next(&it, &d) == 1) {
		jw_obj(w);
		probe_json_tpg_desc(w, &d);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void json_stpg(struct jw *w, const struct probe_stpg *r)
{
	size_t i;

	jw_key(w, "descriptors");
	jw_arr(w, false);
	for (i = 0; i < r->n; i++) {
		jw_obj(w);
		jw_key(w, "state");
		jw_uint(w, r->d[i].state);
		jw_key(w, "state_name");
		jw_str(w, salua_state_name(r->d[i].state));
		jw_key(w, "id");
		jw_uint(w, r->d[i].id);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* Short tokens of the SALUA_UDS_P_* bits. */
static const char *uds_problem_token(unsigned bit)
{
	switch (bit) {
	case SALUA_UDS_P_RANGE: return "range";
	case SALUA_UDS_P_ORDER: return "order";
	case SALUA_UDS_P_STATE: return "state";
	default: return "unknown";
	}
}

/* The complete segments of a referral list (REPORT REFERRALS or 0Bh). */
static void json_segments(struct jw *w, struct salua_referrals_iter it,
			  size_t base)
{
	struct salua_uds_desc d;
	unsigned k, bit;
	uint16_t tpg;
	uint8_t st;

	jw_key(w, "segments");
	jw_arr(w, false);
	while (salua_referrals_next(&it, &d) == 1) {
		jw_obj(w);
		jw_key(w, "offset");
		jw_uint(w, base + d.off);
		jw_key(w, "first_lba");
		jw_uint(w, d.first_lba);
		jw_key(w, "last_lba");
		jw_uint(w, d.last_lba);
		jw_key(w, "problems");
		jw_arr(w, true);
		for (bit = 1; bit <= SALUA_UDS_P_ALL; bit <<= 1)
			if (d.problems & bit)
				jw_str(w, uds_problem_token(bit));
		jw_arr_end(w);
		jw_key(w, "groups");
		jw_arr(w, false);
		for (k = 0; k < d.ntpg; k++) {
			salua_uds_desc_tpg(&d, k, &st, &tpg);
			jw_obj(w);
			jw_key(w, "tpg_id");
			jw_uint(w, tpg);
			jw_key(w, "state");
			jw_uint(w, st);
			jw_key(w, "state_name");
			jw_str(w, salua_state_name(st));
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void json_sense_desc(struct jw *w, const struct salua_sense_desc *d)
{
	struct salua_referrals_info info;
	struct salua_referrals_iter it;

	jw_obj(w);
	jw_key(w, "offset");
	jw_uint(w, d->off);
	jw_key(w, "type");
	jw_uint(w, d->type);
	jw_key(w, "type_name");
	jw_str(w, salua_sense_desc_name(d->type));
	jw_key(w, "length");
	jw_uint_or_null(w, d->len != 0, d->len);
	jw_key(w, "received");
	jw_uint(w, d->avail);
	jw_key(w, "status");
	jw_str(w, probe_sdesc_status_name(d->status));
	jw_key(w, "bytes_hex");
	jw_hex(w, d->p, d->avail);
	jw_key(w, "referral");
	if (d->type == SALUA_SDESC_UDS_REFERRAL &&
	    salua_referrals_sense_parse(d, &info, &it) == 0) {
		jw_obj(w);
		jw_key(w, "not_all_r");
		jw_bool(w, info.not_all_r);
		jw_key(w, "truncated");
		jw_bool(w, info.truncated);
		json_segments(w, it, d->off);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_obj_end(w);
}

static void json_sense(struct jw *w, const struct probe_sense *r)
{
	const struct salua_sense *s = &r->s;
	struct salua_sense_desc_iter it;
	struct salua_sense_desc d;

	jw_key(w, "response_code");
	jw_uint_or_null(w, r->ok, s->response_code);
	jw_key(w, "format");
	if (r->ok)
		jw_str(w, s->descriptor ? "descriptor" : "fixed");
	else
		jw_null(w);
	jw_key(w, "deferred");
	jw_bool_or_null(w, r->ok, s->deferred);
	jw_key(w, "sense_key");
	jw_uint_or_null(w, r->ok, s->key);
	jw_key(w, "sense_key_name");
	jw_str(w, r->ok ? salua_sense_key_name(s->key) : NULL);
	jw_key(w, "asc");
	jw_uint_or_null(w, r->ok && s->has_asc, s->asc);
	jw_key(w, "ascq");
	jw_uint_or_null(w, r->ok && s->has_asc, s->ascq);
	jw_key(w, "additional_sense");
	jw_str(w, r->ok && s->has_asc ? salua_asc_name(s->asc, s->ascq) : NULL);
	jw_key(w, "information");
	jw_uint_or_null(w, r->ok && s->has_info, s->information);
	jw_key(w, "sense_key_specific");
	if (r->ok && s->has_sks)
		jw_hex(w, s->sks, sizeof(s->sks));
	else
		jw_null(w);
	jw_key(w, "sdat_ovfl");
	jw_bool_or_null(w, r->ok, s->sdat_ovfl);
	jw_key(w, "received");
	jw_uint(w, r->received);
	jw_key(w, "additional_sense_length");
	jw_uint_or_null(w, r->ok && r->received >= 8u, s->add_len);
	jw_key(w, "truncated");
	jw_bool_or_null(w, r->ok, s->truncated);
	jw_key(w, "descriptors");
	jw_arr(w, false);
	if (r->ok) {
		salua_sense_desc_first(&it, s);
		while (salua_sense_desc_next(&it, &d) == 1)
			json_sense_desc(w, &d);
	}
	jw_arr_end(w);
}

/* A field not wholly received is null. */
static bool json_field(struct jw *w, const char *key, const uint8_t *p,
		       size_t n, bool partial)
{
	jw_key(w, key);
	if (!p || partial) {
		jw_null(w);
		return false;
	}
	return jw_text(w, p, probe_trim_len(p, n));
}

static void json_inquiry(struct jw *w, const struct probe_inquiry *r)
{
	const struct salua_inquiry *q = &r->inq;
	bool bad = false;

	jw_key(w, "peripheral_qualifier");
	jw_uint_or_null(w, r->ok, q->pq);
	jw_key(w, "peripheral_device_type");
	jw_uint_or_null(w, r->ok, q->pdt);
	jw_key(w, "tpgs");
	jw_uint_or_null(w, r->ok && q->tpgs >= 0, (uint64_t)q->tpgs);
	bad |= json_field(w, "vendor", r->ok ? q->vendor : NULL, q->vendor_len,
			  q->partial & SALUA_INQ_PARTIAL_VENDOR);
	bad |= json_field(w, "product", r->ok ? q->product : NULL,
			  q->product_len, q->partial & SALUA_INQ_PARTIAL_PRODUCT);
	bad |= json_field(w, "revision", r->ok ? q->revision : NULL,
			  q->revision_len,
			  q->partial & SALUA_INQ_PARTIAL_REVISION);
	jw_key(w, "received");
	jw_uint(w, r->received);
	jw_key(w, "additional_length");
	jw_uint_or_null(w, r->ok && r->received > 4u, q->add_len);
	jw_key(w, "truncated");
	jw_bool_or_null(w, r->ok, q->truncated || q->partial);
	jw_key(w, "partial_fields");
	jw_arr(w, true);
	if (q->partial & SALUA_INQ_PARTIAL_VENDOR)
		jw_str(w, "vendor");
	if (q->partial & SALUA_INQ_PARTIAL_PRODUCT)
		jw_str(w, "product");
	if (q->partial & SALUA_INQ_PARTIAL_REVISION)
		jw_str(w, "revision");
	jw_arr_end(w);
	jw_key(w, "invalid_utf8");
	jw_bool(w, bad);
}

/* Returns true when the value text carried bytes that are not UTF-8. */
static bool json_desig(struct jw *w, const struct salua_vpd83_desig *d)
{
	unsigned bit;
	bool bad = false, text;

	jw_obj(w);
	jw_key(w, "offset");
	jw_uint(w, d->off);
	jw_key(w, "protocol_identifier");
	jw_uint(w, d->proto);
	jw_key(w, "code_set");
	jw_uint(w, d->code_set);
	jw_key(w, "piv");
	jw_bool(w, d->piv);
	jw_key(w, "association");
	jw_uint(w, d->assoc);
	jw_key(w, "designator_type");
	jw_uint(w, d->type);
	jw_key(w, "length");
	jw_uint(w, d->len);
	jw_key(w, "value_hex");
	jw_hex(w, d->value, d->len);
	jw_key(w, "value_text");
	text = d->code_set == SALUA_CODESET_ASCII ||
	       d->code_set == SALUA_CODESET_UTF8;
	if (text)
		bad = jw_text(w, d->value, probe_desig_text_len(d));
	else
		jw_null(w);
	jw_key(w, "value_text_invalid_utf8");
	jw_bool_or_null(w, text, bad);
	jw_key(w, "problems");
	jw_arr(w, true);
	for (bit = 1; bit <= SALUA_VPD83_P_ALL; bit <<= 1)
		if (d->problems & bit)
			jw_str(w, salua_vpd83_problem_name((uint16_t)bit));
	jw_arr_end(w);
	jw_obj_end(w);
	return bad;
}

static void json_vpd83(struct jw *w, const struct probe_vpd83 *r)
{
	bool bad = false;
	unsigned bit;
	size_t i;

	jw_key(w, "format");
	if (r->have_page)
		jw_str(w, r->legacy ? "scsi-2" : "spc");
	else
		jw_null(w);
	jw_key(w, "page_length");
	jw_uint_or_null(w, r->have_page, r->pg.page_len);
	jw_key(w, "truncated");
	jw_bool_or_null(w, r->have_page, r->pg.truncated);
	jw_key(w, "designators");
	jw_arr(w, false);
	for (i = 0; i < r->n; i++)
		bad |= json_desig(w, &r->d[i]);
	jw_arr_end(w);
	jw_key(w, "lu_name");
	if (r->lu_rc > 0)
		bad |= jw_text(w, (const uint8_t *)r->lu_name, r->lu_len);
	else
		jw_null(w);
	jw_key(w, "lu_name_rank");
	jw_uint_or_null(w, r->lu_rc > 0, (uint64_t)r->lu_rc);
	jw_key(w, "lu_name_strict");
	if (r->have_page && r->lu_strict_rc >= 0)
		bad |= jw_text(w, (const uint8_t *)r->lu_strict,
			       (size_t)r->lu_strict_rc);
	else
		jw_null(w);
	jw_key(w, "quirks");
	jw_arr(w, true);
	for (bit = 1; bit <= SALUA_VPD83_Q_ALL; bit <<= 1)
		if (r->quirks & bit)
			jw_str(w, salua_vpd83_quirk_name((uint16_t)bit));
	jw_arr_end(w);
	jw_key(w, "relative_port");
	jw_uint_or_null(w, r->have_page && r->port_rc >= 0 &&
				   r->port.has_rel_port,
			r->port.rel_port);
	jw_key(w, "tpg_id");
	jw_uint_or_null(w, r->have_page && r->port_rc >= 0 &&
				   r->port.has_tpg,
			r->port.tpg);
	jw_key(w, "relative_port_strict");
	jw_uint_or_null(w, r->have_page && r->port_strict_rc >= 0 &&
				   r->port_strict.has_rel_port,
			r->port_strict.rel_port);
	jw_key(w, "tpg_id_strict");
	jw_uint_or_null(w, r->have_page && r->port_strict_rc >= 0 &&
				   r->port_strict.has_tpg,
			r->port_strict.tpg);
	jw_key(w, "legacy_id");
	if (r->legacy && r->n == 1) {
		/* udev's ID_SERIAL, multipath-tools' WWID: "3" + hex */
		char id[2u + 2u * 255u];

		id[0] = '3';
		for (i = 0; i < r->d[0].len; i++)
			snprintf(id + 1 + 2 * i, 3, "%02x", r->d[0].value[i]);
		jw_str(w, id);
	} else {
		jw_null(w);
	}
	jw_key(w, "invalid_utf8");
	jw_bool(w, bad);
}

static void json_referrals(struct jw *w, const struct probe_referrals *r)
{
	const struct salua_referrals_info *in = &r->info;

	jw_key(w, "descriptor_length");
	jw_uint_or_null(w, r->have_info, in->desc_length);
	jw_key(w, "received");
	jw_uint(w, in->received);
	jw_key(w, "needed");
	jw_uint_or_null(w, r->have_info, in->needed);
	jw_key(w, "truncated");
	jw_bool_or_null(w, r->have_info, in->truncated);
	if (r->have_info) {
		json_segments(w, r->it, 0);
	} else {
		jw_key(w, "segments");
		jw_arr(w, false);
		jw_arr_end(w);
	}
}

/*
 * Prints the report for @t.  When @in_err is set the input could not be
 * read, nothing is decoded and every member is null (or an empty list).
 */
int probe_json(enum probe_type t, const uint8_t *buf, size_t len,
	       const struct probe_err *in_err, FILE *f)
{
	struct probe_err err = { NULL, "", -1 };
	const struct probe_err *e = in_err;
	struct jw w;
	int rc = PROBE_EXIT_OK;

	jw_init(&w, f);
	switch (t) {
	case PROBE_T_RTPG: {
		struct probe_rtpg r = { 0 };

		if (!in_err && (rc = probe_decode_rtpg(buf, len, &r, &err)))
			e = &err;
		head(&w, t, e);
		json_rtpg(&w, &r);
		break;
	}
	case PROBE_T_STPG: {
		struct probe_stpg r = { 0 };

		if (!in_err && (rc = probe_decode_stpg(buf, len, &r, &err)))
			e = &err;
		head(&w, t, e);
		json_stpg(&w, &r);
		free(r.d);
		break;
	}
	case PROBE_T_SENSE: {
		struct probe_sense r = { 0 };

		if (!in_err && (rc = probe_decode_sense(buf, len, &r, &err)))
			e = &err;
		head(&w, t, e);
		json_sense(&w, &r);
		break;
	}
	case PROBE_T_INQUIRY: {
		struct probe_inquiry r = { 0 };

		if (!in_err && (rc = probe_decode_inquiry(buf, len, &r, &err)))
			e = &err;
		head(&w, t, e);
		json_inquiry(&w, &r);
		break;
	}
	case PROBE_T_REFERRALS: {
		struct probe_referrals r;

		memset(&r, 0, sizeof(r));
		if (!in_err &&
		    (rc = probe_decode_referrals(buf, len, &r, &err)))
			e = &err;
		head(&w, t, e);
		json_referrals(&w, &r);
		break;
	}
	case PROBE_T_VPD83: {
		struct probe_vpd83 r = { 0 };

		if (!in_err && (rc = probe_decode_vpd83(buf, len, &r, &err)))
			e = &err;
		head(&w, t, e);
		json_vpd83(&w, &r);
		probe_vpd83_free(&r);
		break;
	}
	}
	jw_obj_end(&w);
	jw_finish(&w);
	return rc;
}
