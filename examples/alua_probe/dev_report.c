/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - the per-LU device report: aligned text for a ticket, or one
 * JSON object using the field names of the decode reports.
 */
#include "dev.h"

#include <string.h>

const char *pd_tpgs_name(int tpgs)
{
	switch (tpgs) {
	case 0: return "none";
	case 1: return "implicit";
	case 2: return "explicit";
	case 3: return "implicit+explicit";
	default: return "unknown";
	}
}

const char *pd_state_short(uint8_t state)
{
	switch (state & 0x0fu) {
	case SALUA_STATE_AO: return "AO";
	case SALUA_STATE_ANO: return "ANO";
	case SALUA_STATE_STANDBY: return "S";
	case SALUA_STATE_UNAVAILABLE: return "U";
	case SALUA_STATE_LBA_DEPENDENT: return "LBD";
	case SALUA_STATE_OFFLINE: return "O";
	case SALUA_STATE_TRANSITIONING: return "T";
	default: return "?";
	}
}

static const char *status_name(uint8_t s)
{
	switch (s) {
	case 0: return "none";
	case 1: return "by-stpg";
	case 2: return "implicit";
	default: return "reserved";
	}
}

/* Trimmed INQUIRY field into @buf. */
static void field(const uint8_t *p, size_t n, char *buf, size_t cap)
{
	size_t i, k = 0;

	if (p)
		salua_ascii_trim(&p, &n);
	for (i = 0; p && i < n && k + 1 < cap; i++)
		buf[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	buf[k] = '\0';
}

static const struct pd_path *first_ok(const struct pd_ctx *c,
				      const struct pd_lu *lu)
{
	unsigned i;

	for (i = 0; i < lu->n; i++)
		if (c->paths[lu->paths[i]].inq_ok)
			return &c->paths[lu->paths[i]];
	return &c->paths[lu->paths[0]];
}

static const char *blk_of(const struct pd_path *p, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s", p->blk[0] ? p->blk : "-");
	return buf;
}

#define NCOL 10

static void row_cells(const struct pd_ctx *c, const struct pd_path *p,
		      char cell[NCOL][136])
{
	char sup[16];

	(void)c;
	snprintf(cell[0], 136, "%s", p->dev);
	blk_of(p, cell[1], 136);
	snprintf(cell[2], 136, "%s", p->hctl[0] ? p->hctl : "-");
	if (p->port_info.has_rel_port)
		snprintf(cell[3], 136, "%u", p->port_info.rel_port);
	else
		snprintf(cell[3], 136, "-");
	if (p->have_tpg)
		snprintf(cell[4], 136, "0x%04x", p->tpg);
	else
		snprintf(cell[4], 136, "-");
	if (p->known) {
		snprintf(cell[5], 136, "%s", salua_state_name(p->state));
		snprintf(cell[6], 136, "%s", p->pref ? "yes" : "no");
		salua_rtpg_supported_str(p->supported, sup, sizeof(sup));
		snprintf(cell[7], 136, "%s", sup);
		snprintf(cell[8], 136, "%s", status_name(p->status_code));
	} else {
		snprintf(cell[5], 136, "unknown");
		snprintf(cell[6], 136, "-");
		snprintf(cell[7], 136, "-");
		snprintf(cell[8], 136, "-");
	}
	snprintf(cell[9], 136, "%s",
		 p->have_sys && p->sys.access_state[0] ? p->sys.access_state :
							  "-");
}

static void put_hex_line(FILE *f, const char *tag, const uint8_t *p, size_t n)
{
	fprintf(f, "    %-8s", tag);
	probe_put_hex(f, p, n);
	fputc('\n', f);
}

void pd_report_text(struct pd_ctx *c, FILE *f)
{
	static const char *const head[NCOL] = {
		"DEVICE", "BLOCK", "H:C:T:L", "PORT", "TPG", "STATE", "PREF",
		"SUPPORTED", "STATUS", "KERNEL"
	};
	struct pd_picks sel[SALUA_SEL_NPOLICIES];
	char cell[NCOL][136], v[24], m[32], r[12];
	size_t w[NCOL];
	unsigned l, i, k, pol;
	bool kernel;

	for (l = 0; l < c->nlus; l++) {
		const struct pd_lu *lu = &c->lus[l];
		const struct pd_path *q = first_ok(c, lu);

		field(q->inqd.vendor, q->inqd.vendor_len, v, sizeof(v));
		field(q->inqd.product, q->inqd.product_len, m, sizeof(m));
		field(q->inqd.revision, q->inqd.revision_len, r, sizeof(r));
		if (l)
			fputc('\n', f);
		fprintf(f, "LU %s\n", lu->name[0] ? lu->name : "(no LU name)");
		fprintf(f, "  %s %s %s  TPGS %d (%s)  %u path%s\n",
			v[0] ? v : "-", m[0] ? m : "-", r[0] ? r : "-",
			lu->tpgs, pd_tpgs_name(lu->tpgs), lu->n,
			lu->n == 1 ? "" : "s");
		kernel = false;
		for (i = 0; i < NCOL; i++)
			w[i] = strlen(head[i]);
		for (k = 0; k < lu->n; k++) {
			const struct pd_path *p = &c->paths[lu->paths[k]];

			row_cells(c, p, cell);
			for (i = 0; i < NCOL; i++)
				if (strlen(cell[i]) > w[i])
					w[i] = strlen(cell[i]);
			if (p->have_sys && p->sys.access_state[0])
				kernel = true;
		}
		fputs(" ", f);
		for (i = 0; i < (kernel ? NCOL : NCOL - 1u); i++)
			fprintf(f, " %-*s",
				i + 1u < (kernel ? NCOL : NCOL - 1u) ? (int)w[i] : 0,
				head[i]);
		fputc('\n', f);
		for (k = 0; k < lu->n; k++) {
			const struct pd_path *p = &c->paths[lu->paths[k]];

			row_cells(c, p, cell);
			fputs(" ", f);
			for (i = 0; i < (kernel ? NCOL : NCOL - 1u); i++)
				fprintf(f, " %-*s",
					i + 1u < (kernel ? NCOL : NCOL - 1u) ?
						(int)w[i] :
						0,
					cell[i]);
			fputc('\n', f);
			if (p->err[0] && (!p->rtpg_ok || !p->inq_ok))
				fprintf(f, "    error: %s\n", p->err);
			if (c->hex) {
				if (p->inq_len)
					put_hex_line(f, "inquiry", p->inq,
						     p->inq_len);
				if (p->vpd83_len)
					put_hex_line(f, "vpd83", p->vpd83,
						     p->vpd83_len);
				if (p->rtpg_ok)
					put_hex_line(f, "rtpg", p->rtpg,
						     p->rtpg_len);
			}
		}
		if (!lu->alua) {
			fprintf(f, "  no ALUA: TPGS 0 and no target port group designator\n");
			continue;
		}
		pd_selector(c, lu, sel);
		fputs("  selector:", f);
		for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
			fprintf(f, "%s %s ", pol ? " |" : "",
				salua_sel_policy_name(pol));
			pd_put_picks(f, c, &sel[pol]);
		}
		fputc('\n', f);
		pd_picks_free(sel);
	}
}

static void json_field(struct jw *w, const char *key, const uint8_t *p,
		       size_t n)
{
	jw_key(w, key);
	if (!p) {
		jw_null(w);
		return;
	}
	salua_ascii_trim(&p, &n);
	jw_bytes(w, p, n);
}

static void json_groups(struct jw *w, const struct pd_ctx *c,
			const struct pd_lu *lu)
{
	uint8_t seen[65536u / 8u]; /* every TPG id: no cap */
	unsigned k;

	memset(seen, 0, sizeof(seen));

	jw_key(w, "groups");
	jw_arr(w, false);
	for (k = 0; k < lu->n; k++) {
		const struct pd_path *p = &c->paths[lu->paths[k]];
		struct salua_rtpg_info info;
		struct salua_rtpg_iter it;
		struct salua_tpg_desc d;

		if (!p->rtpg_ok ||
		    salua_rtpg_parse(p->rtpg, p->rtpg_len, SALUA_RTPG_AUTO, &info, &it) < 0)
			continue;
		while (salua_rtpg_next(&it, &d) == 1) {
			if (seen[d.tpg_id >> 3] & (1u << (d.tpg_id & 7u)))
				continue;
			seen[d.tpg_id >> 3] |= (uint8_t)(1u << (d.tpg_id & 7u));
			jw_obj(w);
			probe_json_tpg_desc(w, &d);
			jw_key(w, "reported_by");
			jw_str(w, p->dev);
			jw_key(w, "format");
			jw_str(w, probe_rtpg_format_name(info.format));
			jw_key(w, "truncated");
			jw_bool(w, info.truncated);
			jw_obj_end(w);
		}
	}
	jw_arr_end(w);
}

static void json_path(struct jw *w, const struct pd_ctx *c,
		      const struct pd_path *p)
{
	char b[64];

	jw_obj(w);
	jw_key(w, "device");
	jw_str(w, p->dev);
	jw_key(w, "block_device");
	if (p->blk[0]) {
		snprintf(b, sizeof(b), "/dev/%s", p->blk);
		jw_str(w, b);
	} else {
		jw_null(w);
	}
	jw_key(w, "hctl");
	jw_str(w, p->hctl[0] && strcmp(p->hctl, "-") ? p->hctl : NULL);
	jw_key(w, "lu_name");
	jw_str(w, p->lu_name[0] ? p->lu_name : NULL);
	jw_key(w, "tpgs");
	jw_uint_or_null(w, p->inq_ok && p->inqd.tpgs >= 0, (uint64_t)p->inqd.tpgs);
	jw_key(w, "relative_port");
	jw_uint_or_null(w, p->port_info.has_rel_port, p->port_info.rel_port);
	jw_key(w, "tpg_id");
	jw_uint_or_null(w, p->have_tpg, p->tpg);
	jw_key(w, "state");
	jw_uint_or_null(w, p->known, p->state);
	jw_key(w, "state_name");
	jw_str(w, p->known ? salua_state_name(p->state) : NULL);
	jw_key(w, "preferred");
	jw_bool_or_null(w, p->known, p->pref);
	jw_key(w, "supported");
	jw_uint_or_null(w, p->known, p->supported);
	jw_key(w, "status_code");
	jw_uint_or_null(w, p->known && p->rtpg_ok, p->status_code);
	jw_key(w, "kernel_access_state");
	jw_str(w, p->have_sys && p->sys.access_state[0] ? p->sys.access_state :
							  NULL);
	jw_key(w, "error");
	jw_str(w, p->err[0] ? p->err : NULL);
	if (c->hex) {
		jw_key(w, "inquiry_hex");
		jw_hex(w, p->inq, p->inq_len);
		jw_key(w, "vpd83_hex");
		jw_hex(w, p->vpd83, p->vpd83_len);
		jw_key(w, "rtpg_hex");
		if (p->rtpg_ok)
			jw_hex(w, p->rtpg, p->rtpg_len);
		else
			jw_null(w);
	}
	jw_obj_end(w);
}

void pd_report_json(struct pd_ctx *c, FILE *f, const struct probe_err *e)
{
	struct pd_picks sel[SALUA_SEL_NPOLICIES];
	struct jw w;
	unsigned l, k, pol;

	jw_init(&w, f);
	jw_head(&w, "probe", true, e);
	jw_key(&w, "logical_units");
	jw_arr(&w, false);
	for (l = 0; l < c->nlus; l++) {
		const struct pd_lu *lu = &c->lus[l];
		const struct pd_path *q = first_ok(c, lu);

		jw_obj(&w);
		jw_key(&w, "lu_name");
		jw_str(&w, lu->name[0] ? lu->name : NULL);
		json_field(&w, "vendor", q->inq_ok ? q->inqd.vendor : NULL,
			   q->inqd.vendor_len);
		json_field(&w, "product", q->inq_ok ? q->inqd.product : NULL,
			   q->inqd.product_len);
		json_field(&w, "revision", q->inq_ok ? q->inqd.revision : NULL,
			   q->inqd.revision_len);
		jw_key(&w, "tpgs");
		jw_uint_or_null(&w, lu->tpgs >= 0, (uint64_t)lu->tpgs);
		jw_key(&w, "tpgs_name");
		jw_str(&w, pd_tpgs_name(lu->tpgs));
		jw_key(&w, "alua");
		jw_bool(&w, lu->alua);
		jw_key(&w, "paths");
		jw_arr(&w, false);
		for (k = 0; k < lu->n; k++)
			json_path(&w, c, &c->paths[lu->paths[k]]);
		jw_arr_end(&w);
		json_groups(&w, c, lu);
		jw_key(&w, "selector");
		jw_obj(&w);
		if (lu->alua)
			pd_selector(c, lu, sel);
		for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
			unsigned i;

			jw_key(&w, salua_sel_policy_name(pol));
			jw_arr(&w, true);
			for (i = 0; lu->alua && sel[pol].verdict == 0 &&
				    i < sel[pol].n;
			     i++)
				jw_str(&w, pd_short_dev(&c->paths[sel[pol].path[i]]));
			jw_arr_end(&w);
		}
		if (lu->alua)
			pd_picks_free(sel);
		jw_obj_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_finish(&w);
}
