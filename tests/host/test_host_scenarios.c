/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Every scenario of the simulated array under verified I/O through the
 * host layer, with each selector policy, on a fake clock (links 4 ms away,
 * queue depth 4, 4 KiB I/O on a 2 MiB region; writes every unit, then a
 * random mix of reads checked against what was written and rewrites):
 *
 *   failover, failback, long transition (200 s: the engine's transition
 *   timeout (5 s here) passes, activations are tried, the I/O waits for
 *   the array within the 300 s bound), explicit activation (every group
 *   standby), BUSY, dropped
 *   commands, command timeouts, transport errors, a flaky path (demoted as
 *   marginal, then probed back), a LU unmapped from one port (05/25/00),
 *   a path that goes down and comes back:
 *     zero errors and zero mismatches: some path could always serve, or
 *     come back within the no-path bound;
 *   every path down, longer than the bound; a transition that never ends
 *   (the engine gives up after its timeout, but the array keeps reporting
 *   TRANSITIONING, so no activation can succeed):
 *     I/O fails, but none before the bound, each with the no-path text.
 *
 * Besides the counts, each scenario checks that what it provoked did
 * happen (state changes, requeues, the path failure, the demotion...).
 */
#include "host_fixture.h"

#define SPEC2 "luns=1,ports=2,groups=2,itt=5"
#define SPEC4 "luns=1,ports=4,groups=2,itt=5"

struct scen {
	const char *name;
	const char *spec;
	unsigned np;
	const char *text;        /* loaded at start_ms */
	uint64_t start_ms;
	uint64_t run_ms;
	uint32_t queue_ms;
	void (*setup)(struct hf *h); /* links, timers */
	void (*check)(struct hf *h, const struct salua_iogen_stats *st);
	bool fails;              /* nothing can serve: errors after the bound */
};

static struct salua_simx_link lnk[HF_MAX_PATHS];

static void link_default(void)
{
	unsigned i;

	memset(lnk, 0, sizeof(lnk));
	for (i = 0; i < HF_MAX_PATHS; i++) {
		lnk[i].delay_us = 4000;
		lnk[i].svc_us = 50;
	}
}

/* ---- checks --------------------------------------------------------- */

static void moved_to(struct hf *h, const struct salua_iogen_stats *st,
		     unsigned from, unsigned to)
{
	(void)h;
	CHECK(st->path_ios[from] > 0);
	CHECK(st->path_ios[to] > 0);
}

static void chk_failover(struct hf *h, const struct salua_iogen_stats *st)
{
	moved_to(h, st, 0, 1);
	CHECK(h->ev_path[SALUA_LU_EV_STATE][0] >= 2); /* AO -> T -> S */
	CHECK(h->ev_path[SALUA_LU_EV_STATE][1] >= 2); /* S -> T -> AO */
	/* The pause is the transition (2 s) plus a re-poll, not more. */
	CHECK(st->max_pause_us >= 1900000u && st->max_pause_us < 4500000u);
}

static void chk_failback(struct hf *h, const struct salua_iogen_stats *st)
{
	chk_failover(h, st);
	CHECK(h->ev_path[SALUA_LU_EV_STATE][0] >= 4);
}

static void chk_timeout(struct hf *h, const struct salua_iogen_stats *st)
{
	(void)st;
	CHECK(salua_lu_engine(h->lu)->cnt.timeouts >= 1);
	CHECK(h->ev[SALUA_LU_EV_ACTIVATE] >= 1);
	CHECK(h->ev[SALUA_LU_EV_QUEUE_END] >= 1);
}

static void chk_activate(struct hf *h, const struct salua_iogen_stats *st)
{
	(void)st;
	CHECK(h->ev[SALUA_LU_EV_ACTIVATE] >= 1);
	CHECK(salua_lu_engine(h->lu)->cnt.stpg >= 1);
}

static void chk_port0_failed(struct hf *h, const struct salua_iogen_stats *st)
{
	CHECK(h->ev_path[SALUA_LU_EV_PATH_DOWN][0] >= 1);
	CHECK(st->path_ios[1] > 0);
}

static void chk_busy(struct hf *h, const struct salua_iogen_stats *st)
{
	(void)h;
	/* BUSY is requeued, never a path failure. */
	CHECK(h->ev[SALUA_LU_EV_PATH_DOWN] == 0);
	CHECK(st->path_ios[0] > 0);
}

static void chk_flaky(struct hf *h, const struct salua_iogen_stats *st)
{
	struct salua_lu_path_info pi;

	CHECK_EQ(salua_lu_path_info(h->lu, 0, &pi), 0);
	/* failover leaves the path at its first failure and stays away. */
	if (salua_lu_map(h->lu)->policy != SALUA_SEL_FAILOVER) {
		CHECK(h->ev_path[SALUA_LU_EV_MARGINAL][0] >= 1);
		CHECK(h->ev_path[SALUA_LU_EV_PROBATION][0] >= 1);
		CHECK(pi.demotions >= 1);
	}
	/* Demoted: the healthy AO path carried most of the I/O. */
	CHECK(st->path_ios[1] > st->path_ios[0]);
}

static void chk_unmapped(struct hf *h, const struct salua_iogen_stats *st)
{
	CHECK(h->ev_path[SALUA_LU_EV_DISCONNECTED][0] >= 1);
	CHECK(h->ev_path[SALUA_LU_EV_PATH_UP][0] >= 1);
	CHECK(st->path_ios[1] > 0);
}

static void chk_down_up(struct hf *h, const struct salua_iogen_stats *st)
{
	(void)st;
	CHECK(h->ev_path[SALUA_LU_EV_PATH_DOWN][0] >= 1);
	CHECK(h->ev_path[SALUA_LU_EV_PATH_UP][0] >= 1);
	CHECK(h->ev[SALUA_LU_EV_QUEUE_START] >= 1);
}

/* ---- setups --------------------------------------------------------- */

static void set_down(struct hf *h, int arg)
{
	unsigned i;

	for (i = 0; i < h->np; i++)
		if (arg < 0 || (unsigned)arg == i)
			salua_simx_set_down(&h->px[i], true);
}

static void set_up(struct hf *h, int arg)
{
	unsigned i;

	for (i = 0; i < h->np; i++)
		if (arg < 0 || (unsigned)arg == i)
			salua_simx_set_down(&h->px[i], false);
}

static void unmap0(struct hf *h, int arg)
{
	(void)arg;
	salua_simx_set_lun(&h->px[0], 7); /* the sim has 1 LU */
}

static void remap0(struct hf *h, int arg)
{
	(void)arg;
	salua_simx_set_lun(&h->px[0], 0);
}

static void setup_flaky(struct hf *h)
{
	lnk[0].fail_every = 5;
	salua_simx_set_link(&h->px[0], &lnk[0]);
}

static void setup_unmap(struct hf *h)
{
	hf_at(h, 1000, unmap0, 0);
	hf_at(h, 4000, remap0, 0);
}

static void setup_down_up(struct hf *h)
{
	hf_at(h, 1000, set_down, -1);
	hf_at(h, 4000, set_up, -1);
}

static const struct scen scens[] = {
	{ .name = "failover", .spec = SPEC2, .np = 2, .text = "failover",
	  .start_ms = 1000, .run_ms = 8000, .queue_ms = 30000,
	  .check = chk_failover },
	{ .name = "failback", .spec = SPEC2, .np = 2, .text = "failback",
	  .start_ms = 1000, .run_ms = 36000, .queue_ms = 30000,
	  .check = chk_failback },
	{ .name = "long transition", .spec = SPEC2, .np = 2,
	  .text = "long-transition", .start_ms = 1000, .run_ms = 16000,
	  .queue_ms = 300000, .check = chk_timeout },
	{ .name = "stuck transition", .spec = SPEC2, .np = 2,
	  .text = "at 0 lun * group 0 state t\n"
		  "at 0 lun * group 1 state s transition 0\n",
	  .start_ms = 1000, .run_ms = 16000, .queue_ms = 8000,
	  .check = chk_timeout, .fails = true },
	{ .name = "explicit activation", .spec = SPEC2, .np = 2,
	  .text = "at 0 lun * group 0 state s transition 0\n", .start_ms = 1000,
	  .run_ms = 6000, .queue_ms = 30000, .check = chk_activate },
	{ .name = "BUSY", .spec = SPEC4, .np = 4,
	  .text = "at 0 fault port 0 busy 200\n", .start_ms = 1000,
	  .run_ms = 4000, .queue_ms = 30000, .check = chk_busy },
	{ .name = "dropped commands", .spec = SPEC4, .np = 4,
	  .text = "at 0 fault port 0 op read drop 3\n", .start_ms = 1000,
	  .run_ms = 8000, .queue_ms = 30000, .check = chk_port0_failed },
	{ .name = "command timeouts", .spec = SPEC4, .np = 4,
	  .text = "at 0 fault port 0 slow 3 5000\n", .start_ms = 1000,
	  .run_ms = 8000, .queue_ms = 30000, .check = chk_port0_failed },
	{ .name = "transport errors", .spec = SPEC4, .np = 4,
	  .text = "at 0 fault port 0 transport 10\n", .start_ms = 1000,
	  .run_ms = 4000, .queue_ms = 30000, .check = chk_port0_failed },
	{ .name = "flaky path", .spec = SPEC4, .np = 4, .run_ms = 12000,
	  .queue_ms = 30000, .setup = setup_flaky, .check = chk_flaky },
	{ .name = "LU unmapped from a port", .spec = SPEC4, .np = 4,
	  .run_ms = 7000, .queue_ms = 30000, .setup = setup_unmap,
	  .check = chk_unmapped },
	{ .name = "all paths down for 3 s", .spec = SPEC2, .np = 2,
	  .run_ms = 7000, .queue_ms = 5000, .setup = setup_down_up,
	  .check = chk_down_up },
};

static void run(const struct scen *sc, unsigned pol)
{
	struct salua_lu_config c;
	struct salua_iogen *g;
	const struct salua_iogen_stats *st;
	struct hf h;
	char name[160];

	snprintf(name, sizeof(name), "%s / %s", sc->name,
		 salua_sel_policy_name(pol));
	T_CASE(name);
	link_default();
	salua_lu_config_default(&c);
	c.sel.policy = (uint8_t)pol;
	c.sel.queue_ms = sc->queue_ms;
	c.io_timeout_ms = 1000;
	c.engine.cmd_timeout_ms = 1000;
	/* Marginal detection: 3 failures within 10 s demote for 2 s. */
	c.health.errors = 3;
	c.health.window_ms = 10000;
	c.health.demote_ms = 2000;
	c.health.demote_max_ms = 8000;
	c.health.probe_ios = 8;
	if (hf_init(&h, sc->spec, sc->np, &c, lnk) != 0) {
		CHECK(0);
		return;
	}
	if (sc->setup)
		sc->setup(&h);
	{
		struct salua_iogen_cfg gc;

		memset(&gc, 0, sizeof(gc));
		gc.rw = SALUA_IOGEN_VERIFY;
		gc.bs = 4096;
		gc.iodepth = 4;
		gc.blocks = HF_STORE_BLOCKS;
		gc.duration_us = sc->run_ms * 1000u;
		gc.seed = 0x5a1a + pol;
		g = salua_iogen_new(h.lu, &gc);
		CHECK(g != NULL);
		if (!g) {
			hf_fini(&h);
			return;
		}
		CHECK_EQ(salua_iogen_start(g), 0);
		if (sc->text) {
			salua_loop_run_until(h.loop, salua_loop_now(h.loop) +
							    sc->start_ms * 1000u);
			CHECK(hf_scenario(&h, sc->text) >= 0);
		}
		salua_loop_run_while(h.loop, hf_gen_running, g,
				     salua_loop_now(h.loop) + 600000000u);
	}
	st = salua_iogen_stats(g);
	CHECK(st->ios > 100);
	if (sc->fails) {
		/* Stalled at start_ms: the first failure only at the bound. */
		CHECK(st->errors > 0);
		CHECK(strstr(st->first_error, "no usable path") != NULL);
		CHECK(st->max_pause_us >= 1000u * (uint64_t)sc->queue_ms);
	} else {
		CHECK_EQ(st->errors, 0);
	}
	CHECK_EQ(st->mismatches, 0);
	CHECK(!salua_iogen_running(g));
	if ((st->errors && !sc->fails) || st->mismatches)
		fprintf(stderr, "  %s: first error: %s; first mismatch: %s\n",
			name, st->first_error, st->first_mismatch);
	if (sc->check)
		sc->check(&h, st);
	if (h.verbose)
		printf("%-40s ios %llu pause %.3f s shares %llu/%llu\n", name,
		       (unsigned long long)st->ios,
		       (double)st->max_pause_us / 1e6,
		       (unsigned long long)st->path_ios[0],
		       (unsigned long long)st->path_ios[1]);
	salua_iogen_free(g);
	hf_fini(&h);
}

/* Every path down for longer than the bound: errors, but not early. */
static void run_nopath(unsigned pol)
{
	struct salua_lu_config c;
	struct salua_iogen_cfg gc;
	struct salua_iogen *g;
	const struct salua_iogen_stats *st;
	struct hf h;
	char name[96];
	uint64_t t_down;

	snprintf(name, sizeof(name), "all paths down past the bound / %s",
		 salua_sel_policy_name(pol));
	T_CASE(name);
	link_default();
	salua_lu_config_default(&c);
	c.sel.policy = (uint8_t)pol;
	c.sel.queue_ms = 5000;
	c.io_timeout_ms = 1000;
	c.engine.cmd_timeout_ms = 1000;
	if (hf_init(&h, SPEC2, 2, &c, lnk) != 0) {
		CHECK(0);
		return;
	}
	memset(&gc, 0, sizeof(gc));
	gc.rw = SALUA_IOGEN_VERIFY;
	gc.iodepth = 8;
	gc.blocks = HF_STORE_BLOCKS;
	gc.duration_us = 12000000u;
	g = salua_iogen_new(h.lu, &gc);
	CHECK(g && salua_iogen_start(g) == 0);
	if (!g) {
		hf_fini(&h);
		return;
	}
	salua_loop_run_until(h.loop, salua_loop_now(h.loop) + 1000000u);
	t_down = salua_loop_now(h.loop);
	set_down(&h, -1);
	salua_loop_run_while(h.loop, hf_gen_running, g,
			     salua_loop_now(h.loop) + 600000000u);
	st = salua_iogen_stats(g);
	CHECK(st->errors >= 8);
	CHECK_EQ(st->mismatches, 0);
	CHECK(strstr(st->first_error, "no usable path to sim LU 0") != NULL);
	CHECK(strstr(st->first_error, "bound: 5000 ms") != NULL);
	CHECK(h.ev[SALUA_LU_EV_NOPATH] >= 1);
	/* The first failure came after the bound and not long after. */
	CHECK(st->max_pause_us >= 5000000u);
	CHECK(st->max_pause_at_us - t_down >= 5000000u);
	CHECK(st->max_pause_at_us - t_down < 7100000u);
	if (h.verbose)
		printf("%s: %llu errors; first: %s\n", name,
		       (unsigned long long)st->errors, st->first_error);
	salua_iogen_free(g);
	hf_fini(&h);
}

int main(int argc, char **argv)
{
	unsigned i, pol;

	for (i = 0; i < sizeof(scens) / sizeof(scens[0]); i++) {
		if (argc > 1 && !strstr(scens[i].name, argv[1]))
			continue;
		for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++)
			run(&scens[i], pol);
	}
	if (argc <= 1 || strstr("no-path", argv[1]))
		for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++)
			run_nopath(pol);
	return t_done("host_scenarios");
}
