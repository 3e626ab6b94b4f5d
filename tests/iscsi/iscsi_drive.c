/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * iscsi_drive - test driver for shims/transport/iscsi against real targets.
 *
 *   iscsi_drive cmds URL
 *	INQUIRY, VPD 0x83, RTPG (full and allocation length 16), STPG
 *	through the shim; prints one "key=value" line per fact for the
 *	test scripts to assert.
 *   iscsi_drive engine [--duration MS] [--interval MS] URL...
 *	the host layer's LU (shims/host/salua_lu.h) over all URLs (one
 *	path each, the shim as its transport) on a real-time loop: every
 *	interval its checker sends TEST UNIT READY on each path (news in
 *	the sense goes to the engine) and the driver asks for a rescan.
 *	Prints state changes; exits 3 with "error: ..." as soon as every
 *	path has failed, 0 at the end of the duration.
 */
#include "salua_iscsi.h"
#include "salua_loop.h"
#include "salua_lu.h"

#include <errno.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex(const char *tag, const uint8_t *p, size_t n)
{
	size_t i;

	printf("%s=", tag);
	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", p[i]);
	putchar('\n');
}

static void show_sense(const char *what, const struct salua_iscsi_resp *r)
{
	struct salua_sense s;

	printf("%s.xfer=%d\n%s.status=0x%02x\n", what, (int)r->xfer, what,
	       r->status);
	if (!r->sense_len)
		return;
	hex("sense.raw", r->sense, r->sense_len);
	if (salua_sense_normalize(r->sense, r->sense_len, &s) == 0)
		printf("%s.sense=%x/%02x/%02x %s\n", what, s.key, s.asc, s.ascq,
		       salua_asc_name(s.asc, s.ascq));
}

static void show_groups(const char *what, const uint8_t *b, size_t n)
{
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	int rc = salua_rtpg_parse(b, n, SALUA_RTPG_CLASSIC, &info, &it);

	printf("%s.parse=%s\n", what, rc < 0 ? salua_errname(rc) : "ok");
	if (rc < 0)
		return;
	printf("%s.return_data_length=%u\n%s.received=%zu\n%s.truncated=%d\n",
	       what, (unsigned)info.return_data_length, what, info.received,
	       what, info.truncated ? 1 : 0);
	while (salua_rtpg_next(&it, &d) == 1) {
		unsigned i;

		printf("%s.group=tpg %u state %s pref %d sup 0x%02x status %u ports",
		       what, d.tpg_id, salua_state_name(d.state), d.pref ? 1 : 0,
		       d.supported, d.status);
		for (i = 0; i < d.port_count; i++)
			printf(" %u", salua_tpg_desc_port(&d, i));
		putchar('\n');
	}
}

static int cmd(struct salua_iscsi *s, const uint8_t *cdb, size_t cl,
	       enum salua_iscsi_dir dir, void *buf, uint32_t len,
	       struct salua_iscsi_resp *r)
{
	struct salua_iscsi_req rq;
	int rc = 0, tries;

	memset(&rq, 0, sizeof(rq));
	rq.cdb = cdb;
	rq.cdb_len = cl;
	rq.dir = dir;
	rq.data = buf;
	rq.data_len = len;
	for (tries = 0; tries < 3; tries++) {
		struct salua_sense ss;

		rc = salua_iscsi_exec(s, &rq, r);
		/* A pending UNIT ATTENTION (29/00 after login) is reported
		 * once; send again as an initiator would. */
		if (rc < 0 || r->xfer != SALUA_XFER_OK ||
		    r->status != SALUA_STATUS_CHECK_CONDITION ||
		    salua_sense_normalize(r->sense, r->sense_len, &ss) != 0 ||
		    ss.key != SALUA_SK_UNIT_ATTENTION)
			break;
		printf("ua=%02x/%02x\n", ss.asc, ss.ascq);
	}
	if (rc < 0)
		printf("error=%s\n", salua_iscsi_error(s));
	return rc;
}

static int do_cmds(const char *url)
{
	static struct salua_iscsi s;
	struct salua_iscsi_resp r;
	struct salua_inquiry inq;
	struct salua_vpd83_port port;
	uint8_t cdb[16], buf[1024], param[16];
	char name[256];
	struct salua_stpg_desc d;
	int plen;

	if (salua_iscsi_open(&s, url, NULL, 5000u) < 0) {
		printf("error=%s\n", salua_iscsi_error(&s));
		return 3;
	}
	printf("url=%s\nportal=%s\nlun=%d\n", s.url, s.portal, s.lun);
	salua_cdb_inquiry(cdb, 6, false, 0, 96);
	if (cmd(&s, cdb, 6, SALUA_ISCSI_IN, buf, 96, &r) == 0 &&
	    r.xfer == SALUA_XFER_OK && r.status == 0 &&
	    salua_inquiry_decode(buf, r.data_len, &inq) == 0)
		printf("inquiry.len=%u\ninquiry.tpgs=%d\ninquiry.residual=%u\n",
		       (unsigned)r.data_len, inq.tpgs, (unsigned)r.residual);
	salua_cdb_inquiry(cdb, 6, true, 0x83, 1024);
	if (cmd(&s, cdb, 6, SALUA_ISCSI_IN, buf, 1024, &r) == 0 &&
	    r.xfer == SALUA_XFER_OK && r.status == 0) {
		printf("vpd83.len=%u\n", (unsigned)r.data_len);
		hex("vpd83.raw", buf, r.data_len);
		if (salua_vpd83_lu_name(buf, r.data_len, name, sizeof(name),
					NULL) >= 0)
			printf("vpd83.lu_name=[%s]\n", name);
		salua_vpd83_find_port(buf, r.data_len, &port);
		printf("vpd83.rel_port=%d:%u\nvpd83.tpg=%d:%u\n",
		       port.has_rel_port ? 1 : 0, port.rel_port,
		       port.has_tpg ? 1 : 0, port.tpg);
	}
	salua_cdb_rtpg(cdb, 12, SALUA_RTPG_PDF_CLASSIC, 1024);
	if (cmd(&s, cdb, 12, SALUA_ISCSI_IN, buf, 1024, &r) == 0) {
		show_sense("rtpg", &r);
		printf("rtpg.data_len=%u\nrtpg.residual=%u\n",
		       (unsigned)r.data_len, (unsigned)r.residual);
		if (r.xfer == SALUA_XFER_OK && r.status == 0) {
			hex("rtpg.raw", buf, r.data_len);
			show_groups("rtpg", buf, r.data_len);
		}
	}
	salua_cdb_rtpg(cdb, 12, SALUA_RTPG_PDF_CLASSIC, 16);
	if (cmd(&s, cdb, 12, SALUA_ISCSI_IN, buf, 16, &r) == 0 &&
	    r.xfer == SALUA_XFER_OK && r.status == 0) {
		printf("rtpg16.data_len=%u\nrtpg16.residual=%u\nrtpg16.overflow=%d\n",
		       (unsigned)r.data_len, (unsigned)r.residual,
		       r.overflow ? 1 : 0);
		hex("rtpg16.raw", buf, r.data_len);
		show_groups("rtpg16", buf, r.data_len);
	}
	/* STPG of this port's group to active/optimized. */
	d.state = SALUA_STATE_AO;
	d.id = port.has_tpg ? port.tpg : 1u;
	plen = salua_stpg_encode(param, sizeof(param), &d, 1);
	salua_cdb_stpg(cdb, 12, (uint32_t)plen);
	if (cmd(&s, cdb, 12, SALUA_ISCSI_OUT, param, (uint32_t)plen, &r) == 0)
		show_sense("stpg", &r);
	salua_iscsi_close(&s);
	return 0;
}

/* ---- the host layer's LU over several sessions ------------------------ */

#define MAXP 8

/*
 * A transport decorator: counts the completions that arrive after
 * submit() returned (libiscsi's are all asynchronous).
 */
struct counted {
	struct salua_transport inner;
	struct drv *d;
	bool in_submit;
};

struct cdone {
	salua_xport_done_fn done;
	void *arg;
	struct counted *c;
};

struct drv {
	struct salua_iscsi *s[MAXP];
	struct counted cx[MAXP];
	unsigned n;
	struct salua_loop *loop;
	struct salua_lu *lu;
	uint64_t t0;
	bool dead[MAXP];
	unsigned ndead;
	unsigned async_done;
	struct salua_timer rescan;
	uint64_t interval_ms;
};

static void counted_done(void *arg, const struct salua_xport_result *r)
{
	struct cdone *cd = (struct cdone *)arg;
	struct cdone keep = *cd;

	if (!keep.c->in_submit)
		keep.c->d->async_done++;
	free(cd);
	keep.done(keep.arg, r);
}

static int counted_submit(void *t, const struct salua_xport_cmd *cmd,
			  salua_xport_done_fn done, void *arg)
{
	struct counted *c = (struct counted *)t;
	struct cdone *cd = (struct cdone *)malloc(sizeof(*cd));
	int rc;

	if (!cd)
		return -ENOMEM;
	cd->done = done;
	cd->arg = arg;
	cd->c = c;
	c->in_submit = true;
	rc = salua_xport_submit(&c->inner, cmd, counted_done, cd);
	c->in_submit = false;
	if (rc < 0)
		free(cd);
	return rc;
}

static int counted_fd(void *t)
{
	return salua_xport_fd(&((struct counted *)t)->inner);
}

static short counted_events(void *t)
{
	struct counted *c = (struct counted *)t;

	return c->inner.ops->events(c->inner.ctx);
}

static uint64_t counted_deadline(void *t)
{
	return salua_xport_deadline(&((struct counted *)t)->inner);
}

static void counted_service(void *t, short revents)
{
	struct counted *c = (struct counted *)t;

	c->inner.ops->service(c->inner.ctx, revents);
}

static unsigned counted_inflight(void *t)
{
	struct counted *c = (struct counted *)t;

	return c->inner.ops->inflight(c->inner.ctx);
}

static size_t counted_describe(void *t, int32_t native, char *buf, size_t cap)
{
	return salua_xport_describe(&((struct counted *)t)->inner, native, buf,
				    cap);
}

static const char *counted_error(void *t)
{
	return salua_xport_error(&((struct counted *)t)->inner);
}

static void counted_close(void *t)
{
	struct counted *c = (struct counted *)t;

	c->inner.ops->close(c->inner.ctx);
}

static const struct salua_transport_ops counted_ops = {
	.name = "iscsi",
	.submit = counted_submit,
	.fd = counted_fd,
	.events = counted_events,
	.deadline_us = counted_deadline,
	.service = counted_service,
	.inflight = counted_inflight,
	.describe = counted_describe,
	.error = counted_error,
	.close = counted_close,
};

static unsigned long long rel_ms(const struct drv *d)
{
	return (unsigned long long)(salua_iscsi_now_ms() - d->t0);
}

static void ua_line(struct drv *d, unsigned path, const char *what,
		    const uint8_t *sense, uint32_t len)
{
	struct salua_sense ss;

	if (!len || salua_sense_normalize(sense, len, &ss) != 0 ||
	    ss.key != SALUA_SK_UNIT_ATTENTION)
		return;
	printf("[%6llu ms] path %u %s: %s UNIT ATTENTION %02x/%02x %s\n",
	       rel_ms(d), path, d->s[path]->portal, what, ss.asc, ss.ascq,
	       salua_asc_name(ss.asc, ss.ascq));
}

static void on_event(void *ctx, const struct salua_lu_event *e)
{
	struct drv *d = (struct drv *)ctx;
	char line[200];
	uint8_t sup = 0;

	switch (e->kind) {
	case SALUA_LU_EV_STATE:
		(void)salua_engine_path_get(salua_lu_engine(d->lu), e->path,
					    NULL, NULL, &sup);
		printf("[%6llu ms] path %u %s: %s pref %d sup 0x%02x\n",
		       rel_ms(d), e->path, d->s[e->path]->portal,
		       salua_state_name((uint8_t)e->a), e->c ? 1 : 0, sup);
		break;
	case SALUA_LU_EV_COMMAND:
		ua_line(d, e->path, "engine command", e->sense, e->sense_len);
		break;
	case SALUA_LU_EV_CHECK:
		ua_line(d, e->path, "TUR", e->sense, e->sense_len);
		break;
	case SALUA_LU_EV_ENGINE:
		if (e->log->code == SALUA_EV_SUBMIT)
			break;
		salua_engine_log_format(e->log, line, sizeof(line));
		printf("[%6llu ms] engine: %s\n", rel_ms(d), line);
		break;
	case SALUA_LU_EV_PATH_DOWN:
		if (e->path < d->n && !d->dead[e->path]) {
			d->dead[e->path] = true;
			d->ndead++;
			printf("[%6llu ms] path %u failed: %s\n", rel_ms(d),
			       e->path, salua_iscsi_error(d->s[e->path]));
		}
		break;
	case SALUA_LU_EV_PATH_UP:
		if (e->path < d->n && d->dead[e->path]) {
			d->dead[e->path] = false;
			d->ndead--;
		}
		break;
	default:
		break;
	}
	fflush(stdout);
}

/* A rescan every interval, as the old driver asked for one. */
static void rescan_fire(struct salua_timer *t)
{
	struct drv *d = (struct drv *)t->arg;

	salua_lu_rescan(d->lu);
	salua_timer_arm(d->loop, t,
			salua_loop_now(d->loop) + 1000u * d->interval_ms);
}

static int do_engine(int argc, char **argv)
{
	static struct drv d;
	uint64_t duration = 5000, end;
	struct salua_lu_config cfg;
	int i, rc = 0;

	memset(&d, 0, sizeof(d));
	d.interval_ms = 500;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--duration") == 0 && i + 1 < argc)
			duration = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--interval") == 0 && i + 1 < argc)
			d.interval_ms = strtoull(argv[++i], NULL, 10);
		else if (d.n < MAXP) {
			d.s[d.n] = (struct salua_iscsi *)calloc(1, sizeof(*d.s[0]));
			if (!d.s[d.n] ||
			    salua_iscsi_open(d.s[d.n], argv[i], NULL, 3000u) < 0) {
				printf("error: %s\n", d.s[d.n] ?
					salua_iscsi_error(d.s[d.n]) : "oom");
				free(d.s[d.n]);
				rc = 3;
				goto out;
			}
			d.n++;
		}
	}
	d.t0 = salua_iscsi_now_ms();
	d.loop = salua_loop_new(false, 0);
	salua_lu_config_default(&cfg);
	cfg.engine.cmd_timeout_ms = 3000u;
	cfg.check_all = true;                 /* TUR on every path ... */
	cfg.check_ms = (uint32_t)d.interval_ms; /* ... every interval */
	cfg.auto_activate = false;
	cfg.on_event = on_event;
	cfg.event_ctx = &d;
	d.lu = d.loop ? salua_lu_new(d.loop, "iscsi LU", &cfg, d.n,
				     SALUA_TPGS_BOTH)
		      : NULL;
	if (!d.lu) {
		printf("error: cannot set up the LU\n");
		rc = 3;
		goto out;
	}
	for (i = 0; i < (int)d.n; i++) {
		/* Groups from VPD 0x83 (relative port = i+1 is not assumed). */
		uint8_t cdb[6], vpd[512];
		struct salua_iscsi_req rq;
		struct salua_iscsi_resp r;
		struct salua_vpd83_port port;
		struct salua_lu_path_desc pd;

		memset(&port, 0, sizeof(port));
		salua_cdb_inquiry(cdb, 6, true, 0x83, sizeof(vpd));
		memset(&rq, 0, sizeof(rq));
		rq.cdb = cdb;
		rq.cdb_len = 6;
		rq.dir = SALUA_ISCSI_IN;
		rq.data = vpd;
		rq.data_len = sizeof(vpd);
		if (salua_iscsi_exec(d.s[i], &rq, &r) == 0 &&
		    r.xfer == SALUA_XFER_OK && r.status == 0)
			salua_vpd83_find_port(vpd, r.data_len, &port);
		d.cx[i].d = &d;
		salua_iscsi_transport(d.s[i], &d.cx[i].inner);
		memset(&pd, 0, sizeof(pd));
		pd.name = d.s[i]->portal;
		pd.xport.ops = &counted_ops;
		pd.xport.ctx = &d.cx[i];
		pd.rel_port = port.rel_port;
		pd.tpg = port.tpg;
		pd.has_tpg = port.has_tpg;
		pd.node = SALUA_SEL_NO_NODE;
		salua_lu_add_path(d.lu, &pd);
	}
	salua_timer_init(&d.rescan, rescan_fire, &d);
	salua_timer_arm(d.loop, &d.rescan,
			salua_loop_now(d.loop) + 1000u * d.interval_ms);
	end = salua_loop_now(d.loop) + 1000u * duration;
	while (salua_loop_now(d.loop) < end) {
		salua_loop_run_once(d.loop, end);
		if (d.ndead == d.n) {
			printf("error: all %u paths failed after %llu ms: %s\n",
			       d.n, rel_ms(&d), salua_iscsi_error(d.s[0]));
			rc = 3;
			break;
		}
	}
	salua_timer_cancel(d.loop, &d.rescan);
	printf("async_completions=%u\nrtpg_sent=%u\n", d.async_done,
	       (unsigned)salua_lu_engine(d.lu)->cnt.rtpg);
out:
	salua_lu_free(d.lu); /* closes the sessions */
	salua_loop_free(d.loop);
	for (i = 0; i < (int)d.n; i++) {
		salua_iscsi_close(d.s[i]);
		free(d.s[i]);
	}
	return rc;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && strcmp(argv[1], "cmds") == 0)
		return do_cmds(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "engine") == 0)
		return do_engine(argc - 2, argv + 2);
	fprintf(stderr, "usage: iscsi_drive cmds URL | engine [--duration MS] [--interval MS] URL...\n");
	return 2;
}
