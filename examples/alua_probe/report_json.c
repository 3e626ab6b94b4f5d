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

static void json_sense(struct jw *w, const struct probe_sense *r)
{
	const struct salua_sense *s = &r->s;

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
}

static void json_field(struct jw *w, const char *key, const uint8_t *p,
		       size_t n)
{
	jw_key(w, key);
	if (!p)
		jw_null(w);
	else
		jw_bytes(w, p, probe_trim_len(p, n));
}

static void json_inquiry(struct jw *w, const struct probe_inquiry *r)
{
	const struct salua_inquiry *q = &r->inq;

	jw_key(w, "peripheral_qualifier");
	jw_uint_or_null(w, r->ok, q->pq);
	jw_key(w, "peripheral_device_type");
	jw_uint_or_null(w, r->ok, q->pdt);
	jw_key(w, "tpgs");
	jw_uint_or_null(w, r->ok && q->tpgs >= 0, (uint64_t)q->tpgs);
	json_field(w, "vendor", r->ok ? q->vendor : NULL, q->vendor_len);
	json_field(w, "product", r->ok ? q->product : NULL, q->product_len);
	json_field(w, "revision", r->ok ? q->revision : NULL, q->revision_len);
}

static void json_desig(struct jw *w, const struct salua_vpd83_desig *d)
{
	unsigned bit;

	jw_obj(w);
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
	if (d->code_set == SALUA_CODESET_ASCII ||
	    d->code_set == SALUA_CODESET_UTF8)
		jw_bytes(w, d->value, probe_desig_text_len(d));
	else
		jw_null(w);
	jw_key(w, "problems");
	jw_arr(w, true);
	for (bit = 1; bit <= SALUA_VPD83_P_ALL; bit <<= 1)
		if (d->problems & bit)
			jw_str(w, salua_vpd83_problem_name((uint16_t)bit));
	jw_arr_end(w);
	jw_obj_end(w);
}

static void json_vpd83(struct jw *w, const struct probe_vpd83 *r)
{
	size_t i;

	jw_key(w, "page_length");
	jw_uint_or_null(w, r->have_page, r->pg.page_len);
	jw_key(w, "designators");
	jw_arr(w, false);
	for (i = 0; i < r->n; i++)
		json_desig(w, &r->d[i]);
	jw_arr_end(w);
	jw_key(w, "lu_name");
	if (r->lu_name[0])
		jw_str(w, r->lu_name);
	else
		jw_null(w);
	jw_key(w, "relative_port");
	jw_uint_or_null(w, r->port.has_rel_port, r->port.rel_port);
	jw_key(w, "tpg_id");
	jw_uint_or_null(w, r->port.has_tpg, r->port.tpg);
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
