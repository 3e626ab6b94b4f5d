/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * bench_host - the user-space host layer (shims/host): what it costs per
 * I/O, and what its selector policies do with one slow path.
 *
 * 1. Cost per I/O at 2, 8 and 32 paths, every path active/optimized:
 *    - "host": the selection and accounting the LU does for each I/O: load
 *      the published map, pick (salua_selpub_pick_map), in-flight count
 *      and bytes up and down (single-writer atomics), the completion
 *      latency folded into the path's average, the path's health record,
 *      and the GOOD completion's status check (non-GOOD completions go
 *      through salua_engine_sense() / the disposition table, measured by
 *      bench_codecs);
 *    - "LU": salua_lu_submit() to done() through the whole LU object over
 *      a transport that completes at once (GOOD, synchronous), on a fake
 *      clock: queues, re-entrancy guard, timers, the above;
 *    - "direct": the same transport called directly (submit, done): the
 *      peer, what any caller pays without the host layer.
 * 2. One slow path, simulated (shims/transport/sim on a fake clock: the
 *    simulated array behind links with a delay and optionally a
 *    bandwidth), queue depth 32, for numa, round-robin, queue-depth,
 *    service-time and latency: throughput and each path's share.
 *    A: latency-bound links, 1 ms and 31 ms (the slow one +30 ms), 4 KiB
 *       I/O, no bandwidth limit: throughput is in-flight / latency.
 *    B: bandwidth-bound links, 200 MiB/s each, 0.5 ms and 30.5 ms, 64 KiB
 *       I/O: the fast link saturates, the slow one adds what it can.
 *    Simulated time, so the figures are exact and repeatable; the
 *    published NVMe figures with one throttled path are queue-depth
 *    230 MiB/s against latency 350 MiB/s.
 *
 * Usage: bench_host [-q] [--rows FILE]   (-q: fewer sizes, shorter runs;
 * --rows: append the summary rows bench/run.sh prints)
 */
#include "bench.h"

#include "salua_iogen.h"
#include "salua_loop.h"
#include "salua_lu.h"
#include "salua_selector_atomic.h"
#include "salua_simx.h"

#include <errno.h>

/* ---- a transport that completes GOOD at once ---------------------- */

static int nop_submit(void *t, const struct salua_xport_cmd *cmd,
		      salua_xport_done_fn done, void *arg)
{
	struct salua_xport_result r;

	(void)t;
	memset(&r, 0, sizeof(r));
	r.data_len = cmd->data_len;
	done(arg, &r);
	return 0;
}

static const struct salua_transport_ops nop_ops = {
	.name = "nop",
	.submit = nop_submit,
};

/* ---- 1a. direct --------------------------------------------------- */

struct chain {
	uint64_t left, done;
	struct salua_transport t;
	struct salua_xport_cmd cmd;
	uint8_t cdb[10];
	uint8_t buf[512];
};

static void direct_done(void *arg, const struct salua_xport_result *r)
{
	struct chain *c = (struct chain *)arg;

	c->done += r->data_len != 0;
}

static uint64_t direct_body(void *vc, uint64_t iters)
{
	struct chain *c = (struct chain *)vc;
	uint64_t i;

	c->done = 0;
	for (i = 0; i < iters; i++) {
		salua_xport_submit(&c->t, &c->cmd, direct_done, c);
		BENCH_BARRIER();
	}
	return c->done;
}

/* ---- 1b. the LU ---------------------------------------------------- */

struct lub {
	struct salua_loop *loop;
	struct salua_lu *lu;
	struct salua_lu_io io;
	uint8_t cdb[10];
	uint8_t buf[512];
	uint64_t left;
};

static void lu_done(struct salua_lu_io *io)
{
	struct lub *b = (struct lub *)io->priv;

	if (--b->left)
		salua_lu_submit(b->lu, io); /* from done: sent at once */
}

static bool lu_busy(void *ctx)
{
	return ((struct lub *)ctx)->left != 0;
}

static uint64_t lu_body(void *vc, uint64_t iters)
{
	struct lub *b = (struct lub *)vc;

	b->left = iters;
	salua_lu_submit(b->lu, &b->io);
	salua_loop_run_while(b->loop, lu_busy, b, UINT64_MAX);
	return b->io.data_len;
}

static int lu_setup(struct lub *b, unsigned np, unsigned policy)
{
	struct salua_lu_config c;
	unsigned i;

	memset(b, 0, sizeof(*b));
	b->loop = salua_loop_new(true, 1000000u);
	salua_lu_config_default(&c);
	c.sel.policy = (uint8_t)policy;
	/* No ALUA: every path active/optimized from the start. */
	b->lu = b->loop ? salua_lu_new(b->loop, "bench", &c, np, 0) : NULL;
	if (!b->lu)
		return -1;
	for (i = 0; i < np; i++) {
		struct salua_lu_path_desc d;

		memset(&d, 0, sizeof(d));
		d.name = "nop";
		d.xport.ops = &nop_ops;
		d.node = SALUA_SEL_NO_NODE;
		if (salua_lu_add_path(b->lu, &d) < 0)
			return -1;
	}
	b->cdb[0] = 0x28;
	b->cdb[8] = 1;
	b->io.cdb = b->cdb;
	b->io.cdb_len = 10;
	b->io.dir = SALUA_XPORT_IN;
	b->io.data = b->buf;
	b->io.len = sizeof(b->buf);
	b->io.done = lu_done;
	b->io.priv = b;
	/* Settle: the engine's first RTPG (refused by nop: GOOD, no data). */
	salua_loop_run_until(b->loop, salua_loop_now(b->loop) + 100000u);
	return salua_lu_map(b->lu)->n == np ? 0 : -1;
}

static void lu_teardown(struct lub *b)
{
	salua_lu_free(b->lu);
	salua_loop_free(b->loop);
}

/* ---- 1c. the host's per-I/O selection and accounting ---------------- */

struct core {
	struct salua_selpub *pub;
	struct salua_selpub_reader *r;
	struct salua_sel_health h[64];
	struct salua_sel_health_cfg hc;
};

static uint64_t core_body(void *vc, uint64_t iters)
{
	struct core *c = (struct core *)vc;
	uint64_t i, s = 0;

	for (i = 0; i < iters; i++) {
		const struct salua_sel_map *m = salua_selpub_map(c->pub);
		int p = salua_selpub_pick_map(c->pub, m, c->r, 0, 4096);
		uint8_t status = (uint8_t)(i >> 40); /* 0: GOOD, opaque */

		salua_selpub_io_start_1w(c->pub, (unsigned)p, 4096);
		BENCH_BARRIER();
		salua_selpub_io_end_1w(c->pub, (unsigned)p, 4096);
		s += salua_selpub_lat_sample(c->pub, (unsigned)p,
					     100u + (uint32_t)(i & 63u));
		if (status == SALUA_STATUS_GOOD)
			s += (uint64_t)salua_sel_health_io(&c->hc, &c->h[p], true,
							    i >> 10);
		BENCH_BARRIER();
	}
	return s;
}

/* ---- 2. one slow path ---------------------------------------------- */

struct model {
	const char *name;
	uint32_t delay_fast_us, delay_slow_us, mib_s, bs;
};

static const struct model models[] = {
	{ "A: latency-bound, 1 ms / 31 ms, 4 KiB", 1000, 31000, 0, 4096 },
	{ "B: 200 MiB/s links, 0.5 ms / 30.5 ms, 64 KiB", 500, 30500, 200,
	  65536 },
};

struct result {
	double mib_s;
	uint64_t ios[2];
};

static int run_model(const struct model *md, unsigned policy, uint64_t ms,
		     struct result *out)
{
	struct salua_loop *loop = salua_loop_new(true, 1000000u);
	struct salua_sim *sim = (struct salua_sim *)calloc(1, sizeof(*sim));
	struct salua_simx px[2];
	struct salua_lu_config c;
	struct salua_iogen_cfg gc;
	struct salua_iogen *g = NULL;
	struct salua_lu *lu = NULL;
	const struct salua_iogen_stats *st;
	unsigned i;
	int rc = -1;

	if (!loop || !sim || salua_sim_open(sim, "luns=1,ports=2,groups=1") < 0)
		goto out;
	salua_sim_set_time(sim, 1000u);
	salua_lu_config_default(&c);
	c.sel.policy = (uint8_t)policy;
	lu = salua_lu_new(loop, "bench", &c, 2, SALUA_TPGS_BOTH);
	if (!lu)
		goto out;
	for (i = 0; i < 2; i++) {
		struct salua_simx_link lk;
		struct salua_lu_path_desc d;

		memset(&lk, 0, sizeof(lk));
		lk.delay_us = i ? md->delay_slow_us : md->delay_fast_us;
		lk.mib_s = md->mib_s;
		memset(&d, 0, sizeof(d));
		d.name = i ? "slow" : "fast";
		if (salua_simx_open(&px[i], sim, salua_loop_clock(loop), i, 0, &lk,
				    &d.xport) < 0)
			goto out;
		d.rel_port = (uint16_t)(i + 1u);
		d.tpg = 1;
		d.has_tpg = true;
		d.node = SALUA_SEL_NO_NODE;
		if (salua_lu_add_path(lu, &d) < 0)
			goto out;
	}
	salua_loop_run_until(loop, salua_loop_now(loop) + 200000u);
	memset(&gc, 0, sizeof(gc));
	gc.rw = SALUA_IOGEN_READ;
	gc.bs = md->bs;
	gc.iodepth = 32;
	gc.blocks = 65536; /* the sim's 32 MiB */
	gc.duration_us = ms * 1000u;
	g = salua_iogen_new(lu, &gc);
	if (!g || salua_iogen_start(g) < 0)
		goto out;
	while (salua_iogen_running(g))
		if (salua_loop_run_once(loop, UINT64_MAX) < 0)
			break;
	st = salua_iogen_stats(g);
	out->mib_s = (double)st->bytes / 1048576.0 /
		     ((double)(st->end_us - st->start_us) / 1e6);
	out->ios[0] = st->path_ios[0];
	out->ios[1] = st->path_ios[1];
	rc = st->errors || st->mismatches ? -2 : 0;
out:
	salua_iogen_free(g);
	salua_lu_free(lu);
	for (i = 0; lu && i < 2; i++)
		salua_simx_close(&px[i]);
	salua_loop_free(loop);
	free(sim);
	return rc;
}

/* ---- main ---------------------------------------------------------- */

static const char *f1(char *b, double v)
{
	snprintf(b, 32, "%.1f", v);
	return b;
}

int main(int argc, char **argv)
{
	static const unsigned sizes[] = { 2, 8, 32 };
	static const unsigned pols[] = { SALUA_SEL_NUMA, SALUA_SEL_ROUND_ROBIN,
					 SALUA_SEL_QUEUE_DEPTH,
					 SALUA_SEL_SERVICE_TIME,
					 SALUA_SEL_LATENCY };
	FILE *rows = NULL;
	bool quick = false;
	double host8 = 0, lu8 = 0, direct8 = 0;
	struct result res[2][SALUA_SEL_NPOLICIES];
	unsigned si, pi, mi;
	char b[8][32];
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0)
			quick = true;
		else if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc)
			rows = fopen(argv[++i], "a");
	}
	bench_machine(stdout, BENCH_FLAGS);
	printf("\n## Host layer cost per I/O (ns), every path active/optimized\n\n");
	printf("LU: salua_lu_submit() to done() over a transport that "
	       "completes at once (fake clock).  direct: that transport called "
	       "directly (the peer).  LU - direct: the host layer's own cost "
	       "per I/O.  host: the part of it that is pick + in-flight "
	       "accounting + latency average + health + GOOD check.\n\n");
	bench_row(stdout, 7, "policy", "paths", "host", "LU", "direct",
		  "LU - direct", "LU - direct <= 30 @8");
	bench_rule(stdout, 7);
	for (pi = 0; pi < sizeof(pols) / sizeof(pols[0]); pi++) {
		for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
			unsigned np = sizes[si];
			struct lub lb;
			struct chain ch;
			struct core co;
			double th, tl, td;

			if (quick && np == 32)
				continue;
			if (lu_setup(&lb, np, pols[pi]) < 0) {
				fprintf(stderr, "bench_host: LU setup failed\n");
				return 1;
			}
			memset(&ch, 0, sizeof(ch));
			ch.t.ops = &nop_ops;
			ch.cdb[0] = 0x28;
			ch.cmd.cdb = ch.cdb;
			ch.cmd.cdb_len = 10;
			ch.cmd.dir = SALUA_XPORT_IN;
			ch.cmd.data = ch.buf;
			ch.cmd.data_len = sizeof(ch.buf);
			memset(&co, 0, sizeof(co));
			co.pub = salua_lu_pub(lb.lu);
			co.r = &co.pub->rd[0];
			salua_sel_health_config_default(&co.hc);
			th = bench_measure(core_body, &co);
			tl = bench_measure(lu_body, &lb);
			td = bench_measure(direct_body, &ch);
			if (np == 8 && pols[pi] == SALUA_SEL_SERVICE_TIME) {
				host8 = th;
				lu8 = tl;
				direct8 = td;
			}
			snprintf(b[0], 32, "%u", np);
			bench_row(stdout, 7, salua_sel_policy_name(pols[pi]), b[0],
				  f1(b[1], th), f1(b[2], tl), f1(b[3], td),
				  f1(b[4], tl - td),
				  np == 8 ? (tl - td <= 30.0 ? "yes" : "**no**") : "");
			lu_teardown(&lb);
		}
	}

	printf("\n## One slow path (+30 ms): throughput and share per policy\n\n");
	printf("Simulated array, two paths, queue depth 32, reads, %s s of "
	       "simulated time per run (exact, repeatable).\n\n",
	       quick ? "2" : "10");
	for (mi = 0; mi < 2; mi++) {
		printf("%s\n\n", models[mi].name);
		bench_row(stdout, 5, "policy", "MiB/s", "fast share",
			  "slow share", "x round-robin");
		bench_rule(stdout, 5);
		for (pi = 0; pi < sizeof(pols) / sizeof(pols[0]); pi++) {
			struct result *r = &res[mi][pols[pi]];

			if (run_model(&models[mi], pols[pi], quick ? 2000u : 10000u,
				      r) < 0) {
				fprintf(stderr, "bench_host: model run failed\n");
				return 1;
			}
		}
		for (pi = 0; pi < sizeof(pols) / sizeof(pols[0]); pi++) {
			struct result *r = &res[mi][pols[pi]];
			uint64_t tot = r->ios[0] + r->ios[1];

			bench_row(stdout, 5, salua_sel_policy_name(pols[pi]),
				  f1(b[0], r->mib_s),
				  f1(b[1], tot ? 100.0 * (double)r->ios[0] / (double)tot : 0),
				  f1(b[2], tot ? 100.0 * (double)r->ios[1] / (double)tot : 0),
				  f1(b[3], r->mib_s /
						   res[mi][SALUA_SEL_ROUND_ROBIN].mib_s));
		}
		printf("\n");
	}
	if (rows) {
		const struct result *a = res[0];

		fprintf(rows, "| host | cost per I/O, 8 paths, service-time: LU submit-to-done minus a direct transport call (ns/op; of which pick + accounting + latency + health %.1f) | %.1f | %.1f | - | <= 30 ns | %s |\n",
			host8, lu8 - direct8, direct8,
			lu8 - direct8 <= 30.0 ? "yes" : "**no**");
		fprintf(rows, "| host | one slow path (+30 ms), model A: latency policy MiB/s (peer: round-robin; ratio ours/peer) | %.1f | %.1f | %.2f | >= 1.5x round-robin | %s |\n",
			a[SALUA_SEL_LATENCY].mib_s, a[SALUA_SEL_ROUND_ROBIN].mib_s,
			a[SALUA_SEL_LATENCY].mib_s / a[SALUA_SEL_ROUND_ROBIN].mib_s,
			a[SALUA_SEL_LATENCY].mib_s >=
					1.5 * a[SALUA_SEL_ROUND_ROBIN].mib_s
				? "yes"
				: "**no**");
		fprintf(rows, "| host | one slow path (+30 ms), model A: latency policy MiB/s (peer: queue-depth; ratio ours/peer) | %.1f | %.1f | %.2f | >= queue-depth | %s |\n",
			a[SALUA_SEL_LATENCY].mib_s, a[SALUA_SEL_QUEUE_DEPTH].mib_s,
			a[SALUA_SEL_LATENCY].mib_s / a[SALUA_SEL_QUEUE_DEPTH].mib_s,
			a[SALUA_SEL_LATENCY].mib_s >= a[SALUA_SEL_QUEUE_DEPTH].mib_s
				? "yes"
				: "**no**");
		fclose(rows);
	}
	return 0;
}
