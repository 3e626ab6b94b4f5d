/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - devices: SG_IO nodes, iSCSI sessions and simulated arrays,
 * each path behind one struct salua_transport; identification (standard
 * INQUIRY, VPD 0x83); grouping of paths into logical units by LU name; and
 * the host layer's LU object (shims/host/salua_lu.h) over them, the only
 * engine wiring alua_probe has.
 */
#include "dev.h"
#ifdef SALUA_PROBE_ISCSI
#include "salua_iscsi.h"
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A new path slot; the array grows, so there is no limit but memory. */
static struct pd_path *new_path(struct pd_ctx *c, struct probe_err *err)
{
	struct pd_path *p;

	if (c->npaths == c->cap_paths) {
		unsigned ncap = c->cap_paths ? 2u * c->cap_paths : 16u;

		p = ncap > c->cap_paths ?
			    (struct pd_path *)realloc(c->paths,
						      (size_t)ncap * sizeof(*p)) :
			    NULL;
		if (!p) {
			err->code = "enomem";
			snprintf(err->message, sizeof(err->message),
				 "out of memory for %u paths", c->npaths + 1u);
			return NULL;
		}
		c->paths = p;
		c->cap_paths = ncap;
	}
	p = &c->paths[c->npaths];
	memset(p, 0, sizeof(*p));
	p->io.fd = -1;
	return p;
}

/* The sim's scenario starts now (its times count from here). */
static void load_scenario(struct salua_timer *t)
{
	struct pd_sim *s = (struct pd_sim *)t->arg;

	salua_sim_set_time(&s->sim, salua_loop_now(s->loop) / 1000u);
	s->scenario_loaded = true;
	/* Checked when the device was added. */
	(void)salua_sim_load_scenario(&s->sim, s->scenario);
}

static int add_sim(struct pd_ctx *c, const char *arg, struct probe_err *err)
{
	char spec[256], rest[256], why[96], *tok, *save = NULL;
	struct pd_sim *s;
	unsigned port, lun, luns, ports;
	uint64_t n;
	size_t rl = 0;
	int rc;

	if (c->nsims >= PD_MAX_SIMS) {
		err->code = "enospc";
		snprintf(err->message, sizeof(err->message),
			 "at most %u simulated arrays", PD_MAX_SIMS);
		return PROBE_EXIT_USAGE;
	}
	s = (struct pd_sim *)calloc(1, sizeof(*s));
	if (!s) {
		err->code = "enomem";
		snprintf(err->message, sizeof(err->message), "out of memory");
		return PROBE_EXIT_IO;
	}
	s->index = c->nsims;
	s->delay_ms = c->watch ? 2000u : 0u;
	s->link_us = c->io ? 1000u : 0u;
	snprintf(spec, sizeof(spec), "%s", arg + 4);
	rest[0] = '\0';
	luns = 1;
	ports = 2;
	/* scenario= and delay= are ours: the scenario starts after delay. */
	for (tok = strtok_r(spec, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (strncmp(tok, "scenario=", 9) == 0) {
			snprintf(s->scenario, sizeof(s->scenario), "%s", tok + 9);
			if (!salua_sim_builtin(s->scenario)) {
				free(s);
				err->code = "emalformed";
				snprintf(err->message, sizeof(err->message),
					 "%s: unknown scenario '%s' (failover, failback, long-transition, flap, lu-group-move)",
					 arg, tok + 9);
				return PROBE_EXIT_USAGE;
			}
			continue;
		}
		if (strncmp(tok, "link=", 5) == 0) {
			uint64_t ms;

			if (!probe_parse_ms(tok + 5, 1u, 0, 60000u, &ms, why,
					    sizeof(why))) {
				free(s);
				err->code = "eusage";
				snprintf(err->message, sizeof(err->message),
					 "%.64s: link '%.32s': %s", arg,
					 tok + 5, why);
				return PROBE_EXIT_USAGE;
			}
			s->link_us = 1000u * ms;
			s->link_given = true;
			continue;
		}
		if (strncmp(tok, "delay=", 6) == 0) {
			if (!probe_parse_ms(tok + 6, 1000u, 0, 86400000u,
					    &s->delay_ms, why, sizeof(why))) {
				free(s);
				err->code = "eusage";
				snprintf(err->message, sizeof(err->message),
					 "%.64s: delay '%.32s': %s", arg,
					 tok + 6, why);
				return PROBE_EXIT_USAGE;
			}
			continue;
		}
		/* How many paths to create; salua_sim_open() checks ranges. */
		if ((strncmp(tok, "luns=", 5) == 0 &&
		     !probe_parse_u64(tok + 5, 1, SALUA_SIM_MAX_LUNS, &n, why,
				      sizeof(why))) ||
		    (strncmp(tok, "ports=", 6) == 0 &&
		     !probe_parse_u64(tok + 6, 1, SALUA_SIM_MAX_PORTS, &n, why,
				      sizeof(why)))) {
			free(s);
			err->code = "eusage";
			snprintf(err->message, sizeof(err->message),
				 "%.64s: '%.32s': %s", arg, tok, why);
			return PROBE_EXIT_USAGE;
		}
		if (strncmp(tok, "luns=", 5) == 0)
			luns = (unsigned)n;
		if (strncmp(tok, "ports=", 6) == 0)
			ports = (unsigned)n;
		rl += (size_t)snprintf(rest + rl, sizeof(rest) - rl, "%s%s",
				       rl ? "," : "", tok);
		if (rl >= sizeof(rest))
			rl = sizeof(rest) - 1;
	}
	snprintf(s->spec, sizeof(s->spec), "%s", arg);
	rc = salua_sim_open(&s->sim, rest);
	if (rc < 0) {
		err->code = salua_errname(rc);
		snprintf(err->message, sizeof(err->message), "%s: %s", arg,
			 salua_sim_error(&s->sim)[0] ? salua_sim_error(&s->sim) :
						       "invalid simulator options");
		free(s);
		return PROBE_EXIT_USAGE;
	}
	c->sims[c->nsims++] = s;
	for (lun = 0; lun < luns; lun++) {
		for (port = 0; port < ports; port++) {
			struct pd_path *p = new_path(c, err);

			if (!p)
				return PROBE_EXIT_IO;
			p->kind = PD_SIM;
			p->sim = s;
			p->port = port;
			p->lun = lun;
			if (s->index)
				snprintf(p->dev, sizeof(p->dev), "sim%u:p%u/l%u",
					 s->index, port, lun);
			else
				snprintf(p->dev, sizeof(p->dev), "sim:p%u/l%u",
					 port, lun);
			snprintf(p->hctl, sizeof(p->hctl), "s%u:0:%u:%u",
				 s->index, port, lun);
			c->npaths++;
		}
	}
	return PROBE_EXIT_OK;
}

static int add_sgio(struct pd_ctx *c, const char *path, bool strict,
		    struct probe_err *err)
{
	struct pd_path *p = new_path(c, err);
	int rc;

	if (!p)
		return PROBE_EXIT_IO;
	p->kind = PD_SGIO;
	rc = salua_sgio_open(&p->io, path, err->message, sizeof(err->message));
	if (rc < 0) {
		bool nodev = rc == -ENOENT || rc == -ENOTTY;

		err->code = nodev ? "enodev" : "eio";
		return strict ? (nodev ? PROBE_EXIT_NODEV : PROBE_EXIT_IO) :
				PROBE_EXIT_OK;
	}
	snprintf(p->dev, sizeof(p->dev), "%s", path);
	if (salua_sgio_lookup(NULL, path, &p->sys, NULL, 0) == 0) {
		p->have_sys = true;
		snprintf(p->hctl, sizeof(p->hctl), "%s", p->sys.hctl);
		snprintf(p->blk, sizeof(p->blk), "%s", p->sys.sd);
	} else {
		snprintf(p->hctl, sizeof(p->hctl), "-");
	}
	c->npaths++;
	return PROBE_EXIT_OK;
}

static int add_iscsi(struct pd_ctx *c, const char *url,
		     struct probe_err *err)
{
	struct pd_path *p = new_path(c, err);
	int rc;

	if (!p)
		return PROBE_EXIT_IO;
	p->kind = PD_ISCSI;
	rc = pd_iscsi_open(p, url, c->timeout_ms, err);
	if (rc == PROBE_EXIT_OK)
		c->npaths++;
	return rc;
}

int pd_add_device(struct pd_ctx *c, const char *arg, struct probe_err *err)
{
	if (strncmp(arg, "iscsi://", 8) == 0)
		return add_iscsi(c, arg, err);
	if (strncmp(arg, "sim:", 4) == 0 || strcmp(arg, "sim") == 0)
		return add_sim(c, strcmp(arg, "sim") == 0 ? "sim:" : arg, err);
	return add_sgio(c, arg, true, err);
}

int pd_add_all(struct pd_ctx *c, struct probe_err *err)
{
	struct salua_sgio_info *in = NULL;
	size_t n = 0, cap = 64u, i;
	char node[64];
	int rc;

	/* As many as sysfs lists: grow and scan again while it has more. */
	for (;;) {
		struct salua_sgio_info *ni = (struct salua_sgio_info *)realloc(
			in, cap * sizeof(*in));

		if (!ni) {
			free(in);
			err->code = "enomem";
			snprintf(err->message, sizeof(err->message),
				 "out of memory for %zu SCSI devices", cap);
			return PROBE_EXIT_IO;
		}
		in = ni;
		rc = salua_sgio_scan(pd_sysfs(), in, cap, &n);
		if (rc != -ENOSPC && n <= cap)
			break;
		cap = n > cap ? n : 2u * cap;
	}
	if (rc < 0) {
		err->code = "eio";
		snprintf(err->message, sizeof(err->message),
			 "cannot list %s/class/scsi_device: %s", pd_sysfs(),
			 strerror(-rc));
		free(in);
		return PROBE_EXIT_IO;
	}
	for (i = 0; i < n; i++) {
		if (in[i].sg[0])
			snprintf(node, sizeof(node), "/dev/%s", in[i].sg);
		else if (in[i].sd[0])
			snprintf(node, sizeof(node), "/dev/%s", in[i].sd);
		else
			continue;
		rc = add_sgio(c, node, false, err);
		if (rc != PROBE_EXIT_OK) {
			free(in);
			return rc;
		}
		if (err->message[0]) {
			fprintf(stderr, "alua_probe: %s (skipped)\n",
				err->message);
			err->message[0] = '\0';
			err->code = NULL;
		}
	}
	free(in);
	if (c->npaths == 0) {
		err->code = "enodev";
		snprintf(err->message, sizeof(err->message),
			 "no SCSI devices found (nothing in %s/class/scsi_device); try 'alua_probe sim:' for the simulated array",
			 pd_sysfs());
		return PROBE_EXIT_NODEV;
	}
	return PROBE_EXIT_OK;
}

void pd_describe_sense(const uint8_t *sense, size_t len, char *buf,
		       size_t cap)
{
	struct salua_sense s;

	if (!len || salua_sense_normalize(sense, len, &s) < 0) {
		snprintf(buf, cap, "no valid sense");
		return;
	}
	if (s.has_asc)
		snprintf(buf, cap, "%s, asc/ascq %02x/%02x %s",
			 salua_sense_key_name(s.key), s.asc, s.ascq,
			 salua_asc_name(s.asc, s.ascq));
	else
		snprintf(buf, cap, "%s", salua_sense_key_name(s.key));
}

static void vhex(const char *tag, const uint8_t *p, size_t n)
{
	size_t i;

	fprintf(stderr, "%s", tag);
	for (i = 0; i < n; i++)
		fprintf(stderr, " %02x", p[i]);
	fputc('\n', stderr);
}

/* -v: a command as it is sent, then its outcome (pd_exec and the LU's). */
static void trace_cmd(const struct pd_path *p, const struct salua_xport_cmd *xc)
{
	fprintf(stderr, "alua_probe: %s: cdb", p->dev);
	vhex("", xc->cdb, xc->cdb_len);
	if (xc->dir == SALUA_XPORT_OUT && xc->data)
		vhex("alua_probe:   data-out", (const uint8_t *)xc->data,
		     xc->data_len);
}

static void trace_result(const struct pd_path *p,
			 const struct salua_xport_result *xr)
{
	char what[160], d[160];

	if (xr->xfer != SALUA_XFER_OK) {
		salua_xport_text(&p->x, xr, what, sizeof(what));
		fprintf(stderr, "alua_probe:   -> %s\n", what);
	} else {
		fprintf(stderr, "alua_probe:   -> status 0x%02x, %u bytes in\n",
			xr->status, (unsigned)xr->data_len);
	}
	if (xr->sense && xr->sense_len) {
		vhex("alua_probe:   sense", xr->sense, xr->sense_len);
		pd_describe_sense(xr->sense, xr->sense_len, d, sizeof(d));
		fprintf(stderr, "alua_probe:   sense: %s\n", d);
	}
}

/*
 * -v: the path's transport with every command traced, for the commands
 * the LU object sends (the engine's RTPG/STPG/TUR, I/O).
 */
struct trace_wait {
	const struct pd_path *p;
	salua_xport_done_fn done;
	void *arg;
};

static void traced_done(void *arg, const struct salua_xport_result *r)
{
	struct trace_wait w = *(struct trace_wait *)arg;

	free(arg);
	trace_result(w.p, r);
	w.done(w.arg, r);
}

static int traced_submit(void *t, const struct salua_xport_cmd *cmd,
			 salua_xport_done_fn done, void *arg)
{
	const struct pd_path *p = (const struct pd_path *)t;
	struct trace_wait *w = (struct trace_wait *)malloc(sizeof(*w));
	int rc;

	if (!w)
		return -ENOMEM;
	w->p = p;
	w->done = done;
	w->arg = arg;
	trace_cmd(p, cmd);
	rc = salua_xport_submit(&p->x, cmd, traced_done, w);
	if (rc < 0) {
		free(w);
		fprintf(stderr, "alua_probe:   -> not sent (%d)\n", rc);
	}
	return rc;
}

/* The loop services p->x itself (salua_loop_add_transport()) and the LU
 * keeps the path open: the LU only submits, and asks for text. */
static size_t traced_describe(void *t, int32_t native, char *buf, size_t cap)
{
	return salua_xport_describe(&((const struct pd_path *)t)->x, native,
				    buf, cap);
}

static const char *traced_error(void *t)
{
	return salua_xport_error(&((const struct pd_path *)t)->x);
}

static const struct salua_transport_ops traced_ops = {
	.name = "traced",
	.submit = traced_submit,
	.describe = traced_describe,
	.error = traced_error,
};

struct exec_wait {
	struct pd_res *r;
	bool done;
};

static void exec_done(void *arg, const struct salua_xport_result *xr)
{
	struct exec_wait *w = (struct exec_wait *)arg;
	struct pd_res *r = w->r;

	r->xfer = xr->xfer;
	r->status = xr->status;
	r->sense_len = xr->sense_len < sizeof(r->sense) ? xr->sense_len
							: sizeof(r->sense);
	if (r->sense_len)
		memcpy(r->sense, xr->sense, r->sense_len);
	r->data_len = xr->data_len;
	w->done = true;
}

int pd_exec(struct pd_ctx *c, struct pd_path *p, const uint8_t *cdb,
	    size_t cdb_len, enum salua_xport_dir dir, void *buf, uint32_t len,
	    uint32_t timeout_ms, struct pd_res *r)
{
	struct salua_xport_cmd xc;
	struct salua_xport_result xr;
	struct exec_wait w;
	int rc;

	memset(r, 0, sizeof(*r));
	if (c->timeout_ms)
		timeout_ms = c->timeout_ms;
	if (!p->x.ops) {
		snprintf(p->err, sizeof(p->err), "%s: not open", p->dev);
		return -ENOTCONN;
	}
	memset(&xc, 0, sizeof(xc));
	xc.cdb = cdb;
	xc.cdb_len = (uint8_t)cdb_len;
	xc.dir = (uint8_t)dir;
	xc.data = dir == SALUA_XPORT_NONE ? NULL : buf;
	xc.data_len = dir == SALUA_XPORT_NONE ? 0 : len;
	xc.timeout_ms = timeout_ms;
	if (dir == SALUA_XPORT_IN && buf && len)
		memset(buf, 0, len);
	if (c->verbose)
		trace_cmd(p, &xc);
	w.r = r;
	w.done = false;
	rc = salua_xport_submit(&p->x, &xc, exec_done, &w);
	if (rc < 0) {
		snprintf(p->err, sizeof(p->err), "%s",
			 salua_xport_error(&p->x)[0]
				 ? salua_xport_error(&p->x)
				 : "the command could not be sent");
		return rc;
	}
	/* Asynchronous transports complete from the loop. */
	while (!w.done)
		if (salua_loop_run_once(c->loop, UINT64_MAX) < 0)
			break;
	if (!w.done) {
		snprintf(p->err, sizeof(p->err), "%s: no completion", p->dev);
		return -EIO;
	}
	memset(&xr, 0, sizeof(xr));
	xr.xfer = r->xfer;
	xr.status = r->status;
	xr.sense = r->sense_len ? r->sense : NULL;
	xr.sense_len = (uint32_t)r->sense_len;
	xr.data_len = r->data_len;
	salua_xport_text(&p->x, &xr, r->what, sizeof(r->what));
	if (c->verbose)
		trace_result(p, &xr);
	return 0;
}

/* One INQUIRY; true when it completed GOOD. */
static bool inquiry(struct pd_ctx *c, struct pd_path *p, bool evpd,
		    uint8_t page, uint8_t *buf, uint32_t len, size_t *got)
{
	uint8_t cdb[6];
	struct pd_res r;

	*got = 0;
	if (salua_cdb_inquiry(cdb, sizeof(cdb), evpd, page, (uint16_t)len) < 0)
		return false;
	if (pd_exec(c, p, cdb, sizeof(cdb), SALUA_XPORT_IN, buf, len,
		    PD_INQUIRY_TMO_MS, &r) < 0)
		return false;
	if (r.xfer != SALUA_XFER_OK || r.status != SALUA_STATUS_GOOD) {
		char d[160];

		pd_describe_sense(r.sense, r.sense_len, d, sizeof(d));
		p->timed_out = r.xfer == SALUA_XFER_TIMEOUT;
		if (p->timed_out)
			snprintf(p->err, sizeof(p->err),
				 "%s: INQUIRY%s timed out after %u ms", p->dev,
				 evpd ? " VPD" : "",
				 c->timeout_ms ? c->timeout_ms : PD_INQUIRY_TMO_MS);
		else if (r.xfer != SALUA_XFER_OK)
			snprintf(p->err, sizeof(p->err),
				 "%.100s: INQUIRY%s failed at transport level (%.100s)",
				 p->dev, evpd ? " VPD" : "", r.what);
		else
			snprintf(p->err, sizeof(p->err),
				 "%.100s: INQUIRY%s: status 0x%02x (%.120s)", p->dev,
				 evpd ? " VPD" : "", r.status, d);
		return false;
	}
	*got = r.data_len;
	return true;
}

void pd_identify(struct pd_ctx *c, struct pd_path *p)
{
	struct salua_vpd83_ids ids;
	struct salua_vpd_page pg;
	size_t got;
	uint32_t want;

	if (inquiry(c, p, false, 0, p->inq, PD_INQ_LEN, &got)) {
		p->inq_len = got;
		p->inq_ok = salua_inquiry_decode(p->inq, got, &p->inqd) == 0;
	}
	if (!inquiry(c, p, true, 0x83, p->vpd83, 252u, &got))
		return;
	if (salua_vpd_page_decode(p->vpd83, got, 0x83, &pg) == 0) {
		want = 4u + salua_get_be16(p->vpd83 + 2);
		if (want > PD_VPD_MAX) {
			/* no quiet cut: say what is left out */
			fprintf(stderr,
				"alua_probe: %s: warning: VPD page 0x83 has %u bytes; only the first %u are read\n",
				p->dev, want, PD_VPD_MAX);
			want = PD_VPD_MAX;
		}
		if (want > got &&
		    !inquiry(c, p, true, 0x83, p->vpd83, want, &got))
			return;
	}
	p->vpd83_len = got;
	p->vpd83_ok = true;
	/* Port, group and LU name in one walk, as the kernel reads them (its
	 * wwid; displayed escaped); a page the kernel could not read gives
	 * neither. */
	if (salua_vpd83_summary(p->vpd83, got, 0, &ids) < 0 ||
	    !ids.lu_prio ||
	    salua_vpd83_render(&ids.lu, p->lu_name, sizeof(p->lu_name),
			       NULL) < 0)
		p->lu_name[0] = '\0';
	p->port_info = ids.port;
	p->tpg = p->port_info.tpg;
	p->have_tpg = p->port_info.has_tpg;
}

/* Group paths into LUs by LU name (paths without a name stand alone). */
int pd_group(struct pd_ctx *c)
{
	unsigned i, j;

	c->lus = (struct pd_lu *)calloc(c->npaths ? c->npaths : 1,
					sizeof(*c->lus));
	if (!c->lus)
		return PROBE_EXIT_IO;
	c->nlus = 0;
	for (i = 0; i < c->npaths; i++) {
		struct pd_path *p = &c->paths[i];
		struct pd_lu *lu = NULL;

		/* A sim's LUs are distinct even if two sims share a name. */
		for (j = 0; p->lu_name[0] && j < c->nlus; j++) {
			struct pd_path *q = &c->paths[c->lus[j].paths[0]];

			if (strcmp(c->lus[j].name, p->lu_name) == 0 &&
			    q->sim == p->sim)
				lu = &c->lus[j];
		}
		if (!lu) {
			lu = &c->lus[c->nlus++];
			snprintf(lu->name, sizeof(lu->name), "%s", p->lu_name);
			lu->paths = (unsigned *)calloc(c->npaths,
						       sizeof(unsigned));
			if (!lu->paths)
				return PROBE_EXIT_IO;
			lu->tpgs = p->inq_ok ? p->inqd.tpgs : -1;
		}
		p->lu = (unsigned)(lu - c->lus);
		lu->paths[lu->n++] = i;
		if (p->inq_ok && p->inqd.tpgs > 0)
			lu->alua = true;
		if (p->have_tpg)
			lu->alua = true;
	}
	return PROBE_EXIT_OK;
}

void pd_free(struct pd_ctx *c)
{
	unsigned i;

	for (i = 0; i < c->npaths; i++) {
		struct pd_path *p = &c->paths[i];

		if (p->simx && c->loop)
			salua_loop_remove_transport(c->loop, p->simx);
		if (p->isc && c->loop)
			salua_loop_remove_transport(c->loop, p->isc);
		salua_simx_close(p->simx);
		free(p->simx);
		salua_sgio_close(&p->io);
		pd_iscsi_close(p);
	}
	for (i = 0; i < c->nlus; i++)
		free(c->lus[i].paths);
	free(c->lus);
	for (i = 0; i < c->nsims; i++) {
		if (c->loop)
			salua_timer_cancel(c->loop, &c->sims[i]->tm);
		free(c->sims[i]);
	}
	free(c->paths);
	salua_loop_free(c->loop);
	c->loop = NULL;
}

int pd_start(struct pd_ctx *c, unsigned speed, bool instant,
	     struct probe_err *err)
{
	bool all_sim = c->npaths > 0;
	unsigned i;

	for (i = 0; i < c->npaths; i++)
		if (c->paths[i].kind != PD_SIM)
			all_sim = false;
	if (all_sim && instant)
		c->loop = salua_loop_new(true, 1000000u);
	else if (all_sim)
		c->loop = salua_loop_new_scaled(speed ? speed : 1u);
	else
		c->loop = salua_loop_new(false, 0);
	c->speed = all_sim ? speed : 1u;
	if (!c->loop)
		goto oom;
	c->start_us = salua_loop_now(c->loop);
	for (i = 0; i < c->npaths; i++) {
		struct pd_path *p = &c->paths[i];

		switch (p->kind) {
		case PD_SGIO:
			salua_sgio_transport(&p->io, &p->x);
			break;
		case PD_ISCSI:
#ifdef SALUA_PROBE_ISCSI
			salua_iscsi_transport(p->isc, &p->x);
#endif
			break;
		case PD_SIM: {
			struct salua_simx_link lk;

			memset(&lk, 0, sizeof(lk));
			lk.delay_us = (uint32_t)p->sim->link_us;
			p->simx = (struct salua_simx *)calloc(1, sizeof(*p->simx));
			if (!p->simx ||
			    salua_simx_open(p->simx, &p->sim->sim,
					    salua_loop_clock(c->loop), p->port,
					    p->lun, &lk, &p->x) < 0)
				goto oom;
			break;
		}
		}
		if (p->x.ops && salua_loop_add_transport(c->loop, &p->x) < 0)
			goto oom;
	}
	for (i = 0; i < c->nsims; i++) {
		struct pd_sim *s = c->sims[i];

		s->loop = c->loop;
		salua_timer_init(&s->tm, load_scenario, s);
		salua_sim_set_time(&s->sim, salua_loop_now(c->loop) / 1000u);
		if (!s->scenario[0])
			continue;
		if (s->delay_ms)
			salua_timer_arm(c->loop, &s->tm,
					salua_loop_now(c->loop) +
						1000u * s->delay_ms);
		else
			load_scenario(&s->tm);
	}
	return PROBE_EXIT_OK;
oom:
	err->code = "enomem";
	snprintf(err->message, sizeof(err->message), "out of memory");
	return PROBE_EXIT_IO;
}

struct pd_sim *pd_lu_sim(struct pd_ctx *c, const struct pd_lu *lu)
{
	return lu->n ? c->paths[lu->paths[0]].sim : NULL;
}

uint64_t pd_now_ms(struct pd_ctx *c)
{
	/* Starts at 1 s so that "[+0.000s]" is the start. */
	return (salua_loop_now(c->loop) - c->start_us) / 1000u + 1000u;
}

/* ---- the host layer's LU over the paths ------------------------------ */

/* Look up @tpg in an RTPG answer: status code, and fill state if asked. */
static bool find_group(const uint8_t *buf, size_t len, uint16_t tpg,
		       struct salua_tpg_desc *out)
{
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;

	if (salua_rtpg_parse(buf, len, SALUA_RTPG_AUTO, &info, &it) < 0)
		return false;
	while (salua_rtpg_next(&it, &d) == 1) {
		if (d.tpg_id == tpg) {
			*out = d;
			return true;
		}
	}
	return false;
}

/* The path's group from an RTPG port list, when VPD 0x83 had none. */
static bool group_of_port(const uint8_t *buf, size_t len, uint16_t rel_port,
			  uint16_t *tpg)
{
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	unsigned i;

	if (salua_rtpg_parse(buf, len, SALUA_RTPG_AUTO, &info, &it) < 0)
		return false;
	while (salua_rtpg_next(&it, &d) == 1) {
		for (i = 0; i < d.port_count; i++) {
			if (salua_tpg_desc_port(&d, i) == rel_port) {
				*tpg = d.tpg_id;
				return true;
			}
		}
	}
	return false;
}

void pd_watch_time(struct pd_ctx *c, char *buf, size_t cap, uint64_t now)
{
	(void)c;
	now -= 1000u;
	snprintf(buf, cap, "[+%4llu.%03llus]", (unsigned long long)(now / 1000u),
		 (unsigned long long)(now % 1000u));
}

/*
 * What every LU of alua_probe does with its events: the path's view
 * (state, PREF, supported states, its last good RTPG) for the reports,
 * engine events on stdout when watching or -v, then the caller's hooks.
 */
void pd_lu_event(void *ctx, const struct salua_lu_event *e)
{
	struct pd_host *h = (struct pd_host *)ctx;
	struct pd_ctx *c = h->c;
	struct pd_path *p = e->path < h->n ? &c->paths[h->map[e->path]] : NULL;
	char line[256], ts[32];

	switch (e->kind) {
	case SALUA_LU_EV_STATE:
		if (p) {
			uint8_t sup = p->supported, old;
			bool changed;

			(void)salua_engine_path_get(salua_lu_engine(h->slu),
						    e->path, NULL, NULL, &sup);
			/* News against what this run already showed. */
			old = p->known ? p->state : 0xffu;
			changed = !p->known || p->state != (uint8_t)e->a ||
				  p->pref != (e->c != 0);
			p->known = true;
			p->state = (uint8_t)e->a;
			p->pref = e->c != 0;
			p->supported = sup;
			if (changed) {
				h->changes++;
				if (h->on_change)
					h->on_change(h, e->path, old);
			}
		}
		break;
	case SALUA_LU_EV_COMMAND:
		if (p && e->a == SALUA_CMD_RTPG &&
		    (e->b >> 8) == SALUA_XFER_OK &&
		    (e->b & 0xffu) == SALUA_STATUS_GOOD && e->data) {
			size_t n = e->c < sizeof(p->rtpg) ? e->c : sizeof(p->rtpg);

			memcpy(p->rtpg, e->data, n);
			p->rtpg_len = n;
			p->rtpg_ok = true;
			h->good_rtpg++;
		}
		break;
	case SALUA_LU_EV_ENGINE:
		if (!h->log_events && !c->verbose)
			break;
		salua_engine_log_format(e->log, line, sizeof(line));
		pd_watch_time(c, ts, sizeof(ts), pd_now_ms(c));
		printf("%s engine: %s%s%s\n", ts, line, p ? " via " : "",
		       p ? p->dev : "");
		fflush(stdout);
		break;
	default:
		break;
	}
	if (h->on_event)
		h->on_event(h, e);
}

struct pd_host *pd_lu_open(struct pd_ctx *c, struct pd_lu *lu,
			   unsigned *map, unsigned n,
			   const struct salua_lu_config *cfg)
{
	struct salua_lu_config lc;
	struct pd_host *h;
	unsigned i;

	h = (struct pd_host *)calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->c = c;
	h->lu = lu;
	h->map = map;
	h->n = n;
	if (cfg)
		lc = *cfg;
	else
		salua_lu_config_default(&lc);
	if (!lc.on_event) {
		lc.on_event = pd_lu_event;
		lc.event_ctx = h;
	}
	if (c->verbose) /* the engine's transitions too (docs/engine.md) */
		lc.engine.flags |= SALUA_ENGINE_F_LOG_STATE;
	if (c->timeout_ms) {
		lc.engine.cmd_timeout_ms = c->timeout_ms;
		lc.io_timeout_ms = c->timeout_ms;
	}
	h->slu = salua_lu_new(c->loop, lu->name, &lc, n,
			      (unsigned)(lu->tpgs > 0 ? lu->tpgs : 0));
	if (!h->slu) {
		free(h);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		struct pd_path *p = &c->paths[map[i]];
		struct salua_lu_path_desc d;

		memset(&d, 0, sizeof(d));
		d.name = p->dev;
		d.xport = p->x;
		if (c->verbose && p->x.ops) {
			p->vx.ops = &traced_ops;
			p->vx.ctx = p;
			d.xport = p->vx;
		}
		d.rel_port = p->port_info.rel_port;
		d.tpg = p->port_info.tpg;
		d.has_tpg = p->port_info.has_tpg;
		d.node = SALUA_SEL_NO_NODE;
		d.keep_open = true; /* alua_probe closes its paths itself */
		if (!p->x.ops || salua_lu_add_path(h->slu, &d) < 0) {
			pd_lu_close(h);
			return NULL;
		}
	}
	return h;
}

static bool lu_busy(void *ctx)
{
	struct pd_host *h = (struct pd_host *)ctx;
	unsigned i;

	for (i = 0; i < h->n; i++) {
		const struct salua_transport *x = &h->c->paths[h->map[i]].x;

		if (x->ops->inflight && x->ops->inflight(x->ctx))
			return true;
	}
	return false;
}

/* Free the LU once nothing is in flight on its (kept open) transports. */
void pd_lu_close(struct pd_host *h)
{
	if (!h)
		return;
	if (h->slu) {
		salua_loop_run_while(h->c->loop, lu_busy, h,
				     salua_loop_now(h->c->loop) + 600000000u);
		salua_lu_free(h->slu);
	}
	free(h);
}

static bool probe_running(void *ctx)
{
	struct pd_host *h = (struct pd_host *)ctx;

	return !h->good_rtpg && !salua_lu_engine_idle(h->slu);
}

/*
 * Probe one LU: each path gets a one-path LU, so every path shows what
 * its own target port reports (as sg_rtpg on that device would); an
 * array whose ports report different group sets (scsi_debug) is shown as
 * it is.  Runs until the first good RTPG, or the engine gives up.
 */
void pd_probe_lu(struct pd_ctx *c, struct pd_lu *lu)
{
	unsigned i;

	if (!lu->alua)
		return;
	for (i = 0; i < lu->n; i++) {
		struct pd_path *p = &c->paths[lu->paths[i]];
		struct salua_tpg_desc d;
		struct salua_lu_config lc;
		struct pd_host *h;

		salua_lu_config_default(&lc);
		lc.auto_activate = false; /* look, do not touch */
		lc.health.errors = 0;
		h = pd_lu_open(c, lu, &lu->paths[i], 1, &lc);
		if (h) {
			salua_loop_run_while(c->loop, probe_running, h,
					     salua_loop_now(c->loop) +
						     600000000u);
			pd_lu_close(h);
		}
		if (!p->have_tpg && p->rtpg_ok &&
		    group_of_port(p->rtpg, p->rtpg_len,
				  p->port_info.rel_port, &p->tpg))
			p->have_tpg = true;
		if (p->rtpg_ok && p->have_tpg &&
		    find_group(p->rtpg, p->rtpg_len, p->tpg, &d))
			p->status_code = d.status;
		if (!p->rtpg_ok && !p->err[0])
			snprintf(p->err, sizeof(p->err),
				 "%s: REPORT TARGET PORT GROUPS failed",
				 p->dev);
	}
}

/* ---- selector ------------------------------------------------------- */

static const char *short_dev(const struct pd_path *p)
{
	const char *b = strrchr(p->dev, '/');

	return p->kind == PD_SGIO && b ? b + 1 : p->dev;
}

const char *pd_short_dev(const struct pd_path *p)
{
	return short_dev(p);
}

void pd_picks_free(struct pd_picks out[SALUA_SEL_NPOLICIES])
{
	unsigned pol;

	for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
		free(out[pol].path);
		out[pol].path = NULL;
		out[pol].n = 0;
	}
}

/* "sg1,sg2", "(queue)", "(fail)" or "-" (not computed). */
void pd_put_picks(FILE *f, const struct pd_ctx *c, const struct pd_picks *pk)
{
	unsigned i;

	if (pk->verdict == SALUA_SEL_QUEUE || pk->verdict == SALUA_SEL_FAIL) {
		fputs(pk->verdict == SALUA_SEL_QUEUE ? "(queue)" : "(fail)", f);
		return;
	}
	if (pk->verdict != 0 || pk->n == 0) {
		fputc('-', f);
		return;
	}
	for (i = 0; i < pk->n; i++)
		fprintf(f, "%s%s", i ? "," : "", short_dev(&c->paths[pk->path[i]]));
}

/*
 * The distinct paths each policy picks for 2n I/Os in flight at once, in
 * pick order: every path of the LU can appear, however many there are.
 */
void pd_selector(struct pd_ctx *c, const struct pd_lu *lu,
		 struct pd_picks out[SALUA_SEL_NPOLICIES])
{
	struct salua_sel_path *sp;
	struct salua_sel_slot *slots;
	struct salua_sel_cfg cfg;
	struct salua_sel sel;
	struct salua_sel_map map;
	struct salua_sel_cursor cur;
	struct salua_sel_load load;
	uint32_t *ios;
	uint64_t *bytes;
	bool *seen;
	unsigned pol, i, k;

	for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
		out[pol].verdict = 1;
		out[pol].n = 0;
		out[pol].path = (unsigned *)calloc(lu->n ? lu->n : 1u,
						   sizeof(unsigned));
	}
	sp = (struct salua_sel_path *)calloc(lu->n, sizeof(*sp));
	slots = (struct salua_sel_slot *)calloc(lu->n, sizeof(*slots));
	ios = (uint32_t *)calloc(lu->n, sizeof(*ios));
	bytes = (uint64_t *)calloc(lu->n, sizeof(*bytes));
	seen = (bool *)calloc(lu->n, sizeof(*seen));
	if (!sp || !slots || !ios || !bytes || !seen)
		goto out;
	load.ios = ios;
	load.lat = NULL;
	load.bytes = bytes;
	for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
		if (!out[pol].path)
			continue;
		memset(&cfg, 0, sizeof(cfg));
		cfg.policy = (uint8_t)pol;
		if (salua_sel_init(&sel, &cfg, sp, lu->n) < 0 ||
		    salua_sel_map_init(&map, slots, lu->n, NULL, 0) < 0)
			goto out;
		for (i = 0; i < lu->n; i++) {
			const struct pd_path *p = &c->paths[lu->paths[i]];

			if (p->known)
				salua_sel_set_state(&sel, i, p->state, p->pref);
			else
				salua_sel_set_state(&sel, i,
						    SALUA_STATE_UNAVAILABLE,
						    false);
			salua_sel_set_enabled(&sel, i, p->known);
			ios[i] = 0;
			bytes[i] = 0;
			seen[i] = false;
		}
		if (salua_sel_build(&sel, &map, pd_now_ms(c)) < 0)
			goto out;
		cur.next = 0;
		out[pol].verdict = 0;
		for (k = 0; k < 2u * lu->n; k++) {
			int pick = salua_sel_pick(&map, &cur, 0, &load, 4096u);

			if (pick < 0) {
				out[pol].verdict = pick;
				out[pol].n = 0;
				break;
			}
			salua_sel_io_start(&load, (unsigned)pick, 4096u);
			if (!seen[pick]) {
				seen[pick] = true;
				out[pol].path[out[pol].n++] = lu->paths[pick];
			}
		}
	}
out:
	free(sp);
	free(slots);
	free(ios);
	free(bytes);
	free(seen);
}
