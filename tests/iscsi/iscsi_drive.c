/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * iscsi_drive - test driver for shims/transport/iscsi against real targets.
 *
 *   iscsi_drive cmds URL
 *	INQUIRY, VPD 0x83, RTPG (full and allocation length 16), STPG
 *	through the shim; prints one "key=value" line per fact for the
 *	test scripts to assert.
 *   iscsi_drive engine [--duration MS] [--interval MS] URL...
 *	one salua engine over all URLs (one LU, one path each) with
 *	asynchronous completions from the shim's poll loop; every interval
 *	a TEST UNIT READY on each path (sense fed to the engine) and a
 *	rescan.  Prints state changes; exits 3 with "error: ..." as soon
 *	as every path has failed, 0 at the end of the duration.
 */
#include "salua_iscsi.h"

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

/* ---- engine over several sessions ----------------------------------- */

#define MAXP 8
struct drv {
	struct salua_iscsi *s[MAXP];
	unsigned n;
	struct salua_engine e;
	struct salua_engine_path slots[MAXP];
	uint8_t buf[4096];
	uint64_t deadline, t0;
	bool armed;
	bool dead[MAXP];
	unsigned ndead;
	unsigned async_done; /* completions delivered after submit returned */
	bool in_submit;
};

static void on_done(struct salua_iscsi *s, void *arg,
		    const struct salua_iscsi_resp *r)
{
	struct drv *d = (struct drv *)arg;
	struct salua_engine_completion c;

	if (r->xfer == SALUA_XFER_OK &&
	    r->status == SALUA_STATUS_CHECK_CONDITION && r->sense_len) {
		struct salua_sense ss;
		unsigned i;

		for (i = 0; i < d->n && d->s[i] != s; i++)
			;
		/* Show the UNIT ATTENTIONs that reach the engine itself. */
		if (salua_sense_normalize(r->sense, r->sense_len, &ss) == 0 &&
		    ss.key == SALUA_SK_UNIT_ATTENTION)
			printf("[%6llu ms] path %u %s: engine command UNIT ATTENTION %02x/%02x %s\n",
			       (unsigned long long)(salua_iscsi_now_ms() - d->t0),
			       i, s->portal, ss.asc, ss.ascq,
			       salua_asc_name(ss.asc, ss.ascq));
	}
	memset(&c, 0, sizeof(c));
	c.xfer = r->xfer;
	c.status = r->status;
	c.sense = r->sense_len ? r->sense : NULL;
	c.sense_len = r->sense_len;
	c.data_len = r->data_len;
	if (!d->in_submit)
		d->async_done++;
	salua_engine_complete(&d->e, r->tag, &c);
}

static int op_submit(void *ctx, unsigned path,
		     const struct salua_engine_cmd *c)
{
	struct drv *d = (struct drv *)ctx;
	struct salua_iscsi_req rq;
	int rc;

	if (d->dead[path])
		return -1;
	memset(&rq, 0, sizeof(rq));
	rq.cdb = c->cdb;
	rq.cdb_len = c->cdb_len;
	if (c->din) {
		rq.dir = SALUA_ISCSI_IN;
		rq.data = c->din;
		rq.data_len = c->din_len;
	} else if (c->dout) {
		rq.dir = SALUA_ISCSI_OUT;
		rq.data = (void *)(uintptr_t)c->dout;
		rq.data_len = c->dout_len;
	}
	rq.timeout_ms = c->timeout_ms;
	d->in_submit = true;
	rc = salua_iscsi_submit(d->s[path], &rq, c->tag, on_done, d);
	d->in_submit = false;
	return rc < 0 ? -1 : 0;
}

static void op_arm(void *ctx, uint64_t t)
{
	struct drv *d = (struct drv *)ctx;

	d->deadline = t;
	d->armed = true;
}

static void op_cancel(void *ctx)
{
	((struct drv *)ctx)->armed = false;
}

static uint64_t op_now(void *ctx)
{
	(void)ctx;
	return salua_iscsi_now_ms();
}

static void op_notify(void *ctx, unsigned path, uint8_t state, bool pref,
		      uint8_t sup)
{
	struct drv *d = (struct drv *)ctx;

	printf("[%6llu ms] path %u %s: %s pref %d sup 0x%02x\n",
	       (unsigned long long)(salua_iscsi_now_ms() - d->t0), path,
	       d->s[path]->portal, salua_state_name(state), pref ? 1 : 0, sup);
	fflush(stdout);
}

static void op_log(void *ctx, const struct salua_engine_log *ev)
{
	struct drv *d = (struct drv *)ctx;
	char line[200];

	if (ev->code == SALUA_EV_SUBMIT)
		return;
	salua_engine_log_format(ev, line, sizeof(line));
	printf("[%6llu ms] engine: %s\n",
	       (unsigned long long)(salua_iscsi_now_ms() - d->t0), line);
	fflush(stdout);
}

static const struct salua_engine_ops ops = { op_submit, op_arm, op_cancel,
					     op_now, op_notify, op_log };

static void tur_done(struct salua_iscsi *s, void *arg,
		     const struct salua_iscsi_resp *r)
{
	struct drv *d = (struct drv *)arg;
	unsigned i;

	for (i = 0; i < d->n && d->s[i] != s; i++)
		;
	if (i == d->n || r->xfer != SALUA_XFER_OK || !r->sense_len)
		return;
	{
		struct salua_sense ss;

		if (salua_sense_normalize(r->sense, r->sense_len, &ss) == 0 &&
		    ss.key == SALUA_SK_UNIT_ATTENTION)
			printf("[%6llu ms] path %u %s: TUR UNIT ATTENTION %02x/%02x %s\n",
			       (unsigned long long)(salua_iscsi_now_ms() - d->t0),
			       i, s->portal, ss.asc, ss.ascq,
			       salua_asc_name(ss.asc, ss.ascq));
	}
	salua_engine_sense(&d->e, i, r->status, r->sense, r->sense_len);
}

static int do_engine(int argc, char **argv)
{
	static struct drv d;
	uint64_t duration = 5000, interval = 500, next_tick, end;
	struct salua_engine_config cfg;
	int i, rc = 0;

	memset(&d, 0, sizeof(d));
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--duration") == 0 && i + 1 < argc)
			duration = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--interval") == 0 && i + 1 < argc)
			interval = strtoull(argv[++i], NULL, 10);
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
	salua_engine_config_default(&cfg);
	cfg.cmd_timeout_ms = 3000u;
	salua_engine_init(&d.e, &cfg, &ops, &d, d.slots, d.n, d.buf,
			  sizeof(d.buf));
	for (i = 0; i < (int)d.n; i++) {
		/* Groups come from the RTPG port lists (relative port = i+1
		 * is not assumed: read VPD 0x83). */
		uint8_t cdb[6], vpd[512];
		struct salua_iscsi_req rq;
		struct salua_iscsi_resp r;
		struct salua_vpd83_port port;

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
		salua_engine_add_path(&d.e, (unsigned)i, port.rel_port,
				      port.tpg, port.has_tpg);
	}
	next_tick = salua_iscsi_now_ms() + interval;
	end = salua_iscsi_now_ms() + duration;
	for (;;) {
		uint64_t now = salua_iscsi_now_ms();
		int wait = (int)(next_tick > now ? next_tick - now : 0);
		unsigned k;

		if (d.armed && d.deadline <= now) {
			d.armed = false;
			salua_engine_timer(&d.e);
			continue;
		}
		if (d.armed && (int)(d.deadline - now) < wait)
			wait = (int)(d.deadline - now);
		salua_iscsi_poll(d.s, d.n, wait);
		for (k = 0; k < d.n; k++) {
			if (!d.dead[k] && d.s[k]->state != SALUA_ISCSI_READY) {
				d.dead[k] = true;
				d.ndead++;
				printf("[%6llu ms] path %u failed: %s\n",
				       (unsigned long long)(salua_iscsi_now_ms() - d.t0),
				       k, salua_iscsi_error(d.s[k]));
				fflush(stdout);
			}
		}
		if (d.ndead == d.n) {
			printf("error: all %u paths failed after %llu ms: %s\n",
			       d.n,
			       (unsigned long long)(salua_iscsi_now_ms() - d.t0),
			       salua_iscsi_error(d.s[0]));
			rc = 3;
			break;
		}
		now = salua_iscsi_now_ms();
		if (now >= end)
			break;
		if (now >= next_tick) {
			uint8_t cdb[6];
			struct salua_iscsi_req rq;

			salua_cdb_tur(cdb, sizeof(cdb));
			memset(&rq, 0, sizeof(rq));
			rq.cdb = cdb;
			rq.cdb_len = 6;
			rq.timeout_ms = 3000u;
			for (k = 0; k < d.n; k++)
				if (!d.dead[k] && salua_iscsi_inflight(d.s[k]) < 4u)
					salua_iscsi_submit(d.s[k], &rq, 0,
							   tur_done, &d);
			salua_engine_rescan(&d.e);
			next_tick = now + interval;
		}
	}
	printf("async_completions=%u\nrtpg_sent=%u\n", d.async_done,
	       (unsigned)salua_engine_get_counters(&d.e)->rtpg);
out:
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
