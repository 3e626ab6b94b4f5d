/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe --io: a verified READ/WRITE load through each logical unit,
 * carried by the host layer (shims/host): the LU object picks the path of
 * every I/O with the selector, sends errors through the disposition and
 * holds I/O while no path is usable; salua_iogen writes known data and
 * checks every read.  Prints I/Os, errors, mismatches, each path's share
 * and the longest pause; --watch interleaves the state changes, --json
 * gives one "io" object, --timeline FILE the per-I/O timeline.
 */
#include "cli.h"
#include "dev.h"
#include "salua_iogen.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define IO_DEFAULT_MS 10000u
#define IO_PROGRESS_US 1000000u

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

struct io_lu {
	struct pd_ctx *c;
	struct pd_lu *lu;
	struct pd_host *h;
	struct salua_iogen *g;
	uint8_t *store;             /* a sim LU's backing store */
	uint32_t block_size;
	uint32_t unit_blocks;       /* blocks per I/O */
	uint64_t lba0;
	uint64_t last_ios;
	void (*prev_event)(struct pd_host *h, const struct salua_lu_event *e);
	char skip[512];             /* why no I/O ran on it */
};

static FILE *tl, *tle;          /* --timeline FILE, FILE.events */
static bool watching;

/* ---- the timeline ------------------------------------------------- */

static void tl_io(void *ctx, const struct salua_iogen_rec *r)
{
	struct io_lu *x = (struct io_lu *)ctx;
	struct salua_lu_path_info pi;

	if (!tl)
		return;
	if (salua_lu_path_info(x->h->slu, r->path, &pi) < 0)
		pi.name = "-";
	fprintf(tl, "%llu %c %llu %llu %s%s %s\n",
		(unsigned long long)r->t_us, r->write ? 'W' : 'R',
		(unsigned long long)((r->lba - x->lba0) / x->unit_blocks),
		(unsigned long long)r->lat_us,
		r->mismatch ? "mismatch"
		: r->result == SALUA_LU_OK ? "ok"
					   : "err=",
		r->mismatch || r->result == SALUA_LU_OK
			? ""
			: salua_lu_result_name((enum salua_lu_result)r->result),
		pi.name);
}

/* What the I/O path itself saw: path failures, demotions, queueing. */
#define IO_PATH_EVENTS                                                         \
	(1u << SALUA_LU_EV_PATH_DOWN | 1u << SALUA_LU_EV_PATH_UP |             \
	 1u << SALUA_LU_EV_DISCONNECTED | 1u << SALUA_LU_EV_MARGINAL |         \
	 1u << SALUA_LU_EV_PROBATION | 1u << SALUA_LU_EV_HEALTHY |             \
	 1u << SALUA_LU_EV_QUEUE_START | 1u << SALUA_LU_EV_QUEUE_END |         \
	 1u << SALUA_LU_EV_NOPATH | 1u << SALUA_LU_EV_ACTIVATE |               \
	 1u << SALUA_LU_EV_ACTIVATED)

static bool io_path_event(unsigned kind)
{
	return kind < 32u && ((IO_PATH_EVENTS >> kind) & 1u);
}

/* The events file: state, ua, cmd, mark (plot_timeline.py's kinds). */
static void tl_event(const struct salua_lu_event *e)
{
	const char *kind;
	char line[256];

	if (e->kind == SALUA_LU_EV_STATE)
		kind = "state";
	else if (e->kind == SALUA_LU_EV_SENSE || e->kind == SALUA_LU_EV_CHECK)
		kind = (e->a >> 16) == SALUA_SK_UNIT_ATTENTION ? "ua" : "mark";
	else if (e->kind == SALUA_LU_EV_COMMAND)
		kind = "cmd";
	else if (io_path_event(e->kind))
		kind = "mark";
	else
		return;
	salua_lu_event_format(e, line, sizeof(line));
	fprintf(tle, "%llu %s %s\n", (unsigned long long)e->t_us, kind, line);
}

static void io_event(struct pd_host *h, const struct salua_lu_event *e)
{
	struct io_lu *x = (struct io_lu *)h->priv;
	struct pd_ctx *c = h->c;
	char line[256], ts[32];

	if (x->prev_event)
		x->prev_event(h, e);
	if (tle)
		tl_event(e);
	/* --watch: what the I/O path saw, beside the state changes. */
	if (!watching || c->json ||
	    !(io_path_event(e->kind) || e->kind == SALUA_LU_EV_SENSE))
		return;
	salua_lu_event_format(e, line, sizeof(line));
	pd_watch_time(c, ts, sizeof(ts), pd_now_ms(c));
	printf("%s io: %s\n", ts, line);
	fflush(stdout);
}

/* ---- set-up per LU ------------------------------------------------- */

struct cap_io {
	struct salua_lu_io io;
	uint8_t cdb[10];
	uint8_t buf[8];
	bool done;
};

static void cap_done(struct salua_lu_io *io)
{
	((struct cap_io *)io->priv)->done = true;
}

static bool cap_pending(void *ctx)
{
	return !((struct cap_io *)ctx)->done;
}

/*
 * READ CAPACITY(10) through the LU itself: whatever path the selector
 * picks, waiting out a transition like any I/O.
 */
static int capacity(struct io_lu *x, uint32_t *bsz, uint64_t *blocks)
{
	struct salua_loop *loop = x->c->loop;
	struct cap_io ci;

	memset(&ci, 0, sizeof(ci));
	ci.cdb[0] = 0x25;
	ci.io.cdb = ci.cdb;
	ci.io.cdb_len = sizeof(ci.cdb);
	ci.io.dir = SALUA_XPORT_IN;
	ci.io.data = ci.buf;
	ci.io.len = sizeof(ci.buf);
	ci.io.done = cap_done;
	ci.io.priv = &ci;
	if (salua_lu_submit(x->h->slu, &ci.io) < 0) {
		snprintf(x->skip, sizeof(x->skip), "%.200s: READ CAPACITY(10) refused",
			 x->lu->name);
		return -1;
	}
	salua_loop_run_while(loop, cap_pending, &ci, UINT64_MAX);
	if (ci.io.result != SALUA_LU_OK || ci.io.data_len < 8) {
		snprintf(x->skip, sizeof(x->skip), "%.200s: READ CAPACITY(10): %.250s",
			 x->lu->name,
			 ci.io.why[0] ? ci.io.why : salua_lu_result_name(ci.io.result));
		return -1;
	}
	*bsz = salua_get_be32(ci.buf + 4);
	*blocks = (uint64_t)salua_get_be32(ci.buf) + 1u;
	if (*bsz < 512u || *bsz > 65536u) {
		snprintf(x->skip, sizeof(x->skip), "%.200s: block size %u not supported",
			 x->lu->name, *bsz);
		return -1;
	}
	return 0;
}

static int lu_setup(struct io_lu *x, const struct probe_cli *cli,
		    const struct salua_lu_config *lc)
{
	struct pd_ctx *c = x->c;
	struct pd_lu *lu = x->lu;
	struct salua_iogen_cfg gc;
	uint64_t blocks = 0, need;
	uint32_t bsz = 512;

	x->h = watching ? probe_watch_open(c, lu, cli->interval_ms, lc)
			: pd_lu_open(c, lu, lu->paths, lu->n, lc);
	if (!x->h) {
		snprintf(x->skip, sizeof(x->skip),
			 "%.200s: cannot set up the host layer's LU", lu->name);
		return -1;
	}
	if (capacity(x, &bsz, &blocks) < 0)
		return -1;
	if (cli->bs % bsz) {
		snprintf(x->skip, sizeof(x->skip),
			 "%.200s: --bs %llu is not a multiple of the block size %u",
			 lu->name, (unsigned long long)cli->bs, bsz);
		return -1;
	}
	need = cli->offset + cli->size / bsz;
	if (cli->size / bsz < cli->bs / bsz || need > blocks) {
		snprintf(x->skip, sizeof(x->skip),
			 "%.200s: the region (offset %llu, %llu bytes) does not fit %llu blocks of %u bytes",
			 lu->name, (unsigned long long)cli->offset,
			 (unsigned long long)cli->size,
			 (unsigned long long)blocks, bsz);
		return -1;
	}
	x->block_size = bsz;
	x->unit_blocks = (uint32_t)(cli->bs / bsz);
	x->lba0 = cli->offset;
	/* A simulated LU keeps what is written: give it the region. */
	if (pd_lu_sim(c, lu)) {
		const struct pd_path *p = &c->paths[lu->paths[0]];

		x->store = (uint8_t *)calloc((size_t)need, bsz);
		if (!x->store) {
			snprintf(x->skip, sizeof(x->skip), "out of memory");
			return -1;
		}
		salua_sim_set_store(&p->sim->sim, p->lun, x->store,
				    (size_t)need * bsz);
	}
	x->prev_event = x->h->on_event;
	x->h->on_event = io_event;
	x->h->priv = x;
	memset(&gc, 0, sizeof(gc));
	gc.rw = (uint8_t)(probe_cli_given(cli, "rw") ? cli->rw
						     : SALUA_IOGEN_VERIFY);
	gc.bs = (uint32_t)cli->bs;
	gc.block_size = bsz;
	gc.iodepth = (uint32_t)cli->iodepth;
	gc.lba0 = cli->offset;
	gc.blocks = (uint32_t)(cli->size / bsz);
	gc.duration_us = 1000u * (cli->duration_ms ? cli->duration_ms
						   : IO_DEFAULT_MS);
	gc.seed = 0x5a1a0000u ^ (uint32_t)(lu - c->lus);
	gc.timeout_ms = c->timeout_ms;
	gc.on_io = tl_io;
	gc.ctx = x;
	x->g = salua_iogen_new(x->h->slu, &gc);
	if (!x->g) {
		snprintf(x->skip, sizeof(x->skip),
			 "%.200s: cannot set up the I/O load", lu->name);
		return -1;
	}
	return 0;
}

static bool any_running(struct io_lu *x, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (x[i].g && salua_iogen_running(x[i].g))
			return true;
	return false;
}

/* --watch, text: one line per second per LU with the I/O so far. */
static void progress(struct io_lu *x, unsigned n)
{
	unsigned i;
	char ts[32];

	for (i = 0; i < n; i++) {
		const struct salua_iogen_stats *st;

		if (!x[i].g)
			continue;
		st = salua_iogen_stats(x[i].g);
		pd_watch_time(x[i].c, ts, sizeof(ts), pd_now_ms(x[i].c));
		printf("%s io %s: %llu I/Os (+%llu), %llu errors, %llu mismatches, longest pause %llu ms\n",
		       ts, x[i].lu->name, (unsigned long long)st->ios,
		       (unsigned long long)(st->ios - x[i].last_ios),
		       (unsigned long long)st->errors,
		       (unsigned long long)st->mismatches,
		       (unsigned long long)(st->max_pause_us / 1000u));
		x[i].last_ios = st->ios;
	}
	fflush(stdout);
}

/* ---- results ------------------------------------------------------- */

static double mib_s(const struct salua_iogen_stats *st)
{
	uint64_t us = st->end_us > st->start_us ? st->end_us - st->start_us : 0;

	return us ? (double)st->bytes / 1048576.0 / ((double)us / 1e6) : 0.0;
}

static void print_text(struct io_lu *x, unsigned n, const struct probe_cli *cli,
		       const char *policy)
{
	unsigned i, k;

	for (i = 0; i < n; i++) {
		const struct salua_iogen_stats *st;
		uint64_t good = 0;

		if (!x[i].g) {
			if (x[i].skip[0])
				printf("\nLU %s: no I/O: %s\n", x[i].lu->name,
				       x[i].skip);
			continue;
		}
		st = salua_iogen_stats(x[i].g);
		printf("\nLU %s: I/O %s, bs %llu, iodepth %llu, policy %s\n",
		       x[i].lu->name[0] ? x[i].lu->name : "(no name)",
		       salua_iogen_rw_name(probe_cli_given(cli, "rw")
						   ? (unsigned)cli->rw
						   : SALUA_IOGEN_VERIFY),
		       (unsigned long long)cli->bs,
		       (unsigned long long)cli->iodepth, policy);
		printf("  %llu I/Os (%llu reads, %llu writes), %llu errors, %llu mismatches, %.1f MiB/s, longest pause %llu.%03llu s\n",
		       (unsigned long long)st->ios,
		       (unsigned long long)st->reads,
		       (unsigned long long)st->writes,
		       (unsigned long long)st->errors,
		       (unsigned long long)st->mismatches, mib_s(st),
		       (unsigned long long)(st->max_pause_us / 1000000u),
		       (unsigned long long)(st->max_pause_us / 1000u % 1000u));
		for (k = 0; k < st->npaths; k++)
			good += st->path_ios[k];
		for (k = 0; k < st->npaths; k++) {
			struct salua_lu_path_info pi;

			if (salua_lu_path_info(x[i].h->slu, k, &pi) < 0)
				continue;
			printf("  %-24s %10llu I/Os  %5.1f%%\n", pi.name,
			       (unsigned long long)st->path_ios[k],
			       good ? 100.0 * (double)st->path_ios[k] /
					      (double)good
				    : 0.0);
		}
		if (st->errors)
			printf("  first error: %s\n", st->first_error);
		if (st->mismatches)
			printf("  first mismatch: %s\n", st->first_mismatch);
	}
}

static void json_io(struct jw *w, struct io_lu *x,
		    const struct probe_cli *cli, const char *policy)
{
	const struct salua_iogen_stats *st = salua_iogen_stats(x->g);
	unsigned k;

	jw_key(w, "rw");
	jw_str(w, salua_iogen_rw_name(probe_cli_given(cli, "rw")
					      ? (unsigned)cli->rw
					      : SALUA_IOGEN_VERIFY));
	jw_key(w, "policy");
	jw_str(w, policy);
	jw_key(w, "bs");
	jw_uint(w, cli->bs);
	jw_key(w, "iodepth");
	jw_uint(w, cli->iodepth);
	jw_key(w, "io");
	jw_obj(w);
	jw_key(w, "ios");
	jw_uint(w, st->ios);
	jw_key(w, "reads");
	jw_uint(w, st->reads);
	jw_key(w, "writes");
	jw_uint(w, st->writes);
	jw_key(w, "errors");
	jw_uint(w, st->errors);
	jw_key(w, "mismatches");
	jw_uint(w, st->mismatches);
	jw_key(w, "max_pause_ms");
	jw_uint(w, st->max_pause_us / 1000u);
	jw_key(w, "elapsed_ms");
	jw_uint(w, (st->end_us - st->start_us) / 1000u);
	jw_key(w, "kib_s");
	jw_uint(w, (uint64_t)(mib_s(st) * 1024.0));
	jw_key(w, "lat_avg_us");
	jw_uint(w, st->ios ? st->lat_sum_us / st->ios : 0);
	jw_key(w, "lat_max_us");
	jw_uint(w, st->lat_max_us);
	jw_key(w, "first_error");
	jw_str(w, st->errors ? st->first_error : NULL);
	jw_key(w, "first_mismatch");
	jw_str(w, st->mismatches ? st->first_mismatch : NULL);
	jw_key(w, "paths");
	jw_arr(w, false);
	for (k = 0; k < st->npaths; k++) {
		struct salua_lu_path_info pi;

		if (salua_lu_path_info(x->h->slu, k, &pi) < 0)
			continue;
		jw_obj(w);
		jw_key(w, "device");
		jw_str(w, pi.name);
		jw_key(w, "ios");
		jw_uint(w, st->path_ios[k]);
		jw_key(w, "errors");
		jw_uint(w, pi.errors);
		jw_key(w, "lat_avg_us");
		jw_uint(w, pi.lat_us);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

/* The io_lu members (schema): name, why skipped, and what ran. */
static void json_lu(struct jw *w, struct io_lu *x, const struct probe_cli *cli,
		    const char *policy)
{
	jw_key(w, "lu_name");
	jw_str(w, x->lu->name[0] ? x->lu->name : NULL);
	jw_key(w, "skipped");
	jw_str(w, x->g ? NULL : x->skip);
	if (x->g)
		json_io(w, x, cli, policy);
}

static void print_json(struct io_lu *x, unsigned n,
		       const struct probe_cli *cli, const char *policy,
		       const struct probe_err *err)
{
	struct jw w;
	unsigned i;

	if (watching) {
		/* JSON Lines: one object per LU after the state changes. */
		for (i = 0; i < n; i++) {
			const struct salua_iogen_stats *st =
				x[i].g ? salua_iogen_stats(x[i].g) : NULL;
			struct probe_err e;

			memset(&e, 0, sizeof(e));
			e.offset = -1;
			if (!st || st->errors || st->mismatches) {
				e.code = "eio";
				snprintf(e.message, sizeof(e.message), "%.250s",
					 !st ? x[i].skip
					 : st->errors ? st->first_error
						      : st->first_mismatch);
			}
			jw_init_compact(&w, stdout);
			jw_head(&w, "io", true, e.code ? &e : NULL);
			json_lu(&w, &x[i], cli, policy);
			jw_obj_end(&w);
			jw_finish(&w);
		}
		return;
	}
	jw_init(&w, stdout);
	jw_head(&w, "io", true, err);
	jw_key(&w, "logical_units");
	jw_arr(&w, false);
	for (i = 0; i < n; i++) {
		jw_obj(&w);
		json_lu(&w, &x[i], cli, policy);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_finish(&w);
}

/* ---- the command -------------------------------------------------- */

static void progress_fire(struct salua_timer *t)
{
	struct salua_timer *self = t;
	void **a = (void **)t->arg;

	progress((struct io_lu *)a[0], (unsigned)(uintptr_t)a[1]);
	salua_timer_arm((struct salua_loop *)a[2], self,
			t->at_us + IO_PROGRESS_US);
}

static int run(struct pd_ctx *c, const struct probe_cli *cli)
{
	struct salua_lu_config lc;
	struct io_lu *x;
	struct probe_err err;
	struct sigaction sa;
	struct salua_timer ptm;
	void *parg[3];
	char path2[4096];
	const char *policy;
	unsigned i, n = c->nlus, bad = 0;
	int rc = PROBE_EXIT_OK;

	watching = cli->watch;
	policy = salua_sel_policy_name(probe_cli_given(cli, "policy")
					       ? (unsigned)cli->policy
					       : SALUA_SEL_SERVICE_TIME);
	x = (struct io_lu *)calloc(n ? n : 1u, sizeof(*x));
	if (!x)
		return probe_fail(PROBE_EXIT_IO, "enomem", "out of memory");
	if (cli->timeline) {
		snprintf(path2, sizeof(path2), "%s.events", cli->timeline);
		tl = fopen(cli->timeline, "w");
		tle = tl ? fopen(path2, "w") : NULL;
		if (!tl || !tle) {
			rc = probe_fail(PROBE_EXIT_IO, "eio", "%s: %s",
					tl ? path2 : cli->timeline,
					strerror(errno));
			goto out;
		}
		fprintf(tl, "# alua_probe --io timeline: bs %llu start_us %llu\n"
			    "# t_done_us op block lat_us status path\n",
			(unsigned long long)cli->bs,
			(unsigned long long)salua_loop_now(c->loop));
		fprintf(tle, "# alua_probe --io events\n# t_us kind text\n");
	}
	salua_lu_config_default(&lc);
	lc.sel.policy = (uint8_t)(probe_cli_given(cli, "policy")
					  ? cli->policy
					  : SALUA_SEL_SERVICE_TIME);
	lc.sel.queue_ms = (uint32_t)cli->queue_ms;
	if (!cli->queue_ms)
		lc.sel.nopath = SALUA_SEL_NOPATH_FAIL;
	lc.check_ms = (uint32_t)cli->interval_ms;
	for (i = 0; i < n; i++) {
		x[i].c = c;
		x[i].lu = &c->lus[i];
		if (lu_setup(&x[i], cli, &lc) < 0) {
			fprintf(stderr, "alua_probe: %s\n", x[i].skip);
			bad++;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (i = 0; i < n; i++)
		if (x[i].g)
			(void)salua_iogen_start(x[i].g);
	parg[0] = x;
	parg[1] = (void *)(uintptr_t)n;
	parg[2] = c->loop;
	salua_timer_init(&ptm, progress_fire, parg);
	if (watching && !c->json)
		salua_timer_arm(c->loop, &ptm,
				salua_loop_now(c->loop) + IO_PROGRESS_US);
	while (any_running(x, n)) {
		if (stop_flag) {
			for (i = 0; i < n; i++)
				if (x[i].g)
					salua_iogen_stop(x[i].g);
		}
		if (salua_loop_run_once(c->loop, UINT64_MAX) < 0)
			break;
		for (i = 0; watching && i < n; i++) {
			if (x[i].h && x[i].h->changes) {
				x[i].h->changes = 0;
				probe_watch_selector(c, x[i].lu);
			}
		}
	}
	salua_timer_cancel(c->loop, &ptm);
	for (i = 0; i < n; i++) {
		const struct salua_iogen_stats *st;

		if (!x[i].g)
			continue;
		st = salua_iogen_stats(x[i].g);
		if (st->errors || st->mismatches)
			bad++;
	}
	memset(&err, 0, sizeof(err));
	err.offset = -1;
	if (bad) {
		err.code = "eio";
		snprintf(err.message, sizeof(err.message),
			 "%u logical unit%s with I/O errors, mismatches or no I/O",
			 bad, bad == 1 ? "" : "s");
		rc = PROBE_EXIT_IO;
	}
	if (c->json)
		print_json(x, n, cli, policy, bad ? &err : NULL);
	else
		print_text(x, n, cli, policy);
out:
	for (i = 0; i < n; i++) {
		salua_iogen_free(x[i].g);
		pd_lu_close(x[i].h);
		if (x[i].store) {
			const struct pd_path *p = &c->paths[x[i].lu->paths[0]];

			salua_sim_set_store(&p->sim->sim, p->lun, NULL, 0);
			free(x[i].store);
		}
	}
	free(x);
	if (tl && fclose(tl) != 0 && rc == PROBE_EXIT_OK)
		rc = probe_fail(PROBE_EXIT_IO, "eio", "%s: write error",
				cli->timeline);
	if (tle && fclose(tle) != 0 && rc == PROBE_EXIT_OK)
		rc = probe_fail(PROBE_EXIT_IO, "eio", "%s.events: write error",
				cli->timeline);
	tl = tle = NULL;
	return rc;
}

int probe_cmd_io(const struct probe_cli *cli)
{
	struct pd_ctx c;
	int rc;

	rc = pd_setup(&c, cli);
	if (rc != PROBE_EXIT_OK)
		return rc;
	if (!c.json) {
		pd_report_text(&c, stdout);
		fflush(stdout);
	}
	rc = run(&c, cli);
	return pd_finish(&c, rc, true);
}
