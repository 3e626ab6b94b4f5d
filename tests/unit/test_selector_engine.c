/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Selector driven by the engine on the simulated array (issue #4): the
 * engine's notify callback calls salua_sel_set_state() and, on a change,
 * salua_sel_build() into the spare of two maps, which is then published;
 * eight I/O contexts pick from the published map every few ms of virtual
 * time, send READ(10) through the sim, feed every non-GOOD answer to the
 * engine (salua_engine_sense) and requeue it; a path checker sends TUR on
 * every path every 5 s as multipathd would.
 *
 * Scenarios (sim built-ins and one scripted): failover, failback, a 200 s
 * transition, and a transition timeout (target says 5 s, array takes
 * 20 s); every policy; synchronous and asynchronous engine completions.
 *
 * For every pick: the path is one the engine last reported active
 * (optimized or non-optimized) and a member of the published map; if the
 * sim's *real* state is not active the pick is stale (the engine has not
 * seen the change yet), counted, and the I/O must come back NOT READY or
 * UNIT ATTENTION with a disposition of retry / requeue / failover, never
 * fail.  With no usable path and a path transitioning the verdict is
 * SALUA_SEL_QUEUE; I/O resumes on the new active/optimized group after the
 * transition.  Summary figures are printed per run.
 *
 * The same scenarios run again with cfg.sample (the O(1) "power of two
 * choices" queue-depth and service-time picks), and a first section checks
 * those sampled picks on their own: exact draws, coverage, balance.
 */
#define EH_WITH_SIM
#include "salua/salua.h"
#include "salua_test.h"
#include "engine_harness.h"

#define NPATHS 4    /* ports 0,1 in group 0 (AO, PREF); 2,3 in group 1 (S) */
#define NCTX 8      /* I/O contexts */
#define THINK_MS 2  /* between one I/O's completion and the next */
#define CHECKER_MS 5000u
#define IO_BYTES 4096u

enum { IO_IDLE, IO_QUEUED, IO_INFLIGHT };

struct ioctx {
	int st;
	uint64_t at;     /* idle: next issue; in flight: completion */
	uint64_t qsince; /* first queued (valid while queued) */
	unsigned path;
	bool queued;
};

struct stats {
	unsigned long picks, ok, queue_verdicts, queued_ios, fail_verdicts;
	unsigned long stale, stale_nr, stale_ua, check_cond, requeued;
	unsigned long disp[SALUA_DISP_FAIL + 1];
	unsigned long on_path[NPATHS];
	uint64_t q_total_ms, q_max_ms;
	unsigned rebuilds;
	uint64_t first_ok_after; /* first GOOD I/O at/after resume_from */
	unsigned first_ok_path;
	uint64_t last_fail_at;
};

static struct salua_sim sim;
static struct eh h;
static struct salua_sel sel;
static struct salua_sel_path spath[NPATHS];
static struct salua_sel_slot slots[2][NPATHS];
static uint16_t numa_tab[2][2];
static struct salua_sel_map maps[2];
static const struct salua_sel_map *pub;
static unsigned pub_idx;
static struct salua_sel_cursor cur;
static uint32_t ios[NPATHS];
static uint64_t bytes[NPATHS];
static struct salua_sel_load load;
static struct ioctx ctx[NCTX];
static struct stats S;
static uint64_t next_check, resume_from;
static char name[128];
static uint8_t sample_cfg;

static bool is_active(uint8_t st)
{
	st &= SALUA_STATE_MASK;
	return st == SALUA_STATE_AO || st == SALUA_STATE_ANO;
}

/* Build the spare map and publish it (what an RCU publisher would do). */
static void rebuild(uint64_t now)
{
	unsigned nx = pub_idx ^ 1u;

	CHECK_EQ(salua_sel_build(&sel, &maps[nx], now), 0);
	pub = &maps[nx];
	pub_idx = nx;
	S.rebuilds++;
}

/* The engine's notify: record (harness) and feed the selector. */
static void on_notify(void *c, unsigned path, uint8_t state, bool pref,
		      uint8_t supported)
{
	eh_notify_op(c, path, state, pref, supported);
	if (salua_sel_set_state(&sel, path, state, pref) == 1)
		rebuild(((struct eh *)c)->now);
}

static void setup(bool async, unsigned policy, uint8_t nopath,
		  uint8_t itt)
{
	struct salua_sim_config sc;
	struct salua_sel_cfg cfg;
	unsigned i;

	salua_sim_config_default(&sc);
	sc.ports = NPATHS;
	sc.latency_ms = async ? 1 : 0;
	sc.implicit_transition_secs = itt;
	CHECK_EQ(salua_sim_init(&sim, &sc), 0);
	eh_init(&h, NULL, async);
	h.ops.notify = on_notify; /* the engine keeps ops by pointer */
	eh_use_sim(&h, &sim, 0);

	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = (uint8_t)policy;
	cfg.nopath = nopath;
	cfg.nnodes = 2;
	cfg.sample = sample_cfg;
	CHECK_EQ(salua_sel_init(&sel, &cfg, spath, NPATHS), 0);
	for (i = 0; i < NPATHS; i++) {
		CHECK_EQ(salua_sel_set_node(&sel, i, i & 1u), 1);
		CHECK(salua_sel_set_tp(&sel, i, 1u + (i & 1u)) >= 0);
	}
	for (i = 0; i < 2; i++)
		CHECK_EQ(salua_sel_map_init(&maps[i], slots[i], NPATHS,
					    numa_tab[i], 2), 0);
	memset(&S, 0, sizeof(S));
	pub_idx = 0;
	pub = &maps[0];
	rebuild(h.now);
	/* Nothing known yet: every path transitioning, so queue. */
	CHECK_EQ(salua_sel_pick(pub, &cur, 0, &load, IO_BYTES),
		 SALUA_SEL_QUEUE);
	memset(ios, 0, sizeof(ios));
	memset(bytes, 0, sizeof(bytes));
	load.ios = ios;
	load.bytes = bytes;
	cur.next = 0;
	for (i = 0; i < NPATHS; i++)
		CHECK_EQ(eh_add(&h, i, i), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK_EQ(h.st[2], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[3], SALUA_STATE_STANDBY);
	CHECK_EQ(pub->n, 2);
	CHECK_EQ(pub->cls, SALUA_SEL_CLASS_AO);
	memset(ctx, 0, sizeof(ctx));
	for (i = 0; i < NCTX; i++)
		ctx[i].at = h.now + i % 3u;
	next_check = h.now + CHECKER_MS;
	resume_from = UINT64_MAX;
	S.first_ok_after = UINT64_MAX;
	S.rebuilds = 0;
}

/* Latency of a READ on path p: paths differ so the load policies differ. */
static uint64_t latency(unsigned p)
{
	return 2u + 2u * p;
}

/* Checks on one pick that returned a path. */
static void check_pick(int p, bool *stale)
{
	uint8_t real;
	uint32_t k, lo = ~0u;

	CHECK(p >= 0 && p < NPATHS);
	if (p < 0 || p >= NPATHS)
		return;
	/* Never a path the engine reported standby / unavailable / T. */
	CHECK(h.known[p]);
	CHECK(is_active(h.st[p]));
	CHECK(is_active(sel.path[p].state));
	CHECK(salua_sel_map_usable(pub, (unsigned)p));
	if (pub->policy == SALUA_SEL_FAILOVER)
		CHECK_EQ(p, pub->fo);
	if (pub->policy == SALUA_SEL_QUEUE_DEPTH && !pub->sample) {
		for (k = 0; k < pub->n; k++)
			if (ios[pub->slot[k].path] < lo)
				lo = ios[pub->slot[k].path];
		CHECK_EQ(ios[p], lo);
	}
	real = salua_sim_path_state(&sim, (unsigned)p, 0);
	*stale = !is_active(real);
	if (*stale)
		S.stale++;
}

/* No path: queue while a path is (known to be) transitioning. */
static void check_nopath(int v)
{
	unsigned i;
	bool trans = false;

	CHECK_EQ(pub->n, 0);
	for (i = 0; i < NPATHS; i++) {
		CHECK(!is_active(sel.path[i].state));
		if ((sel.path[i].state & SALUA_STATE_MASK) ==
		    SALUA_STATE_TRANSITIONING)
			trans = true;
	}
	if (trans)
		CHECK_EQ(v, SALUA_SEL_QUEUE);
}

static void io_issue(struct ioctx *c, unsigned node)
{
	static const uint8_t read10[10] = { 0x28, 0, 0, 0, 0x10, 0, 0, 0, 8, 0 };
	uint8_t data[IO_BYTES];
	struct salua_sim_result sr;
	struct salua_sense sn;
	struct salua_verdict v, ev;
	bool stale = false;
	int p;

	p = salua_sel_pick(pub, &cur, node, &load, IO_BYTES);
	S.picks++;
	if (p < 0) {
		check_nopath(p);
		if (p == SALUA_SEL_QUEUE) {
			S.queue_verdicts++;
			if (!c->queued) {
				c->queued = true;
				c->qsince = h.now;
				S.queued_ios++;
			}
			c->st = IO_QUEUED;
		} else {
			S.fail_verdicts++;
			S.last_fail_at = h.now;
			c->queued = false;
			c->st = IO_IDLE;
			c->at = h.now + THINK_MS;
		}
		return;
	}
	check_pick(p, &stale);
	if (p < 0 || p >= NPATHS)
		return;
	memset(&sr, 0, sizeof(sr));
	salua_sim_set_time(&sim, h.now);
	CHECK_EQ(salua_sim_command(&sim, (unsigned)p, 0, read10,
				   sizeof(read10), NULL, 0, data, sizeof(data),
				   &sr), 0);
	if (stale)
		CHECK_EQ(sr.status, SALUA_STATUS_CHECK_CONDITION);
	if (sr.status == SALUA_STATUS_GOOD) {
		CHECK_EQ(sr.data_len, IO_BYTES);
		S.ok++;
		S.on_path[p]++;
		salua_sel_io_start(&load, (unsigned)p, IO_BYTES);
		if (c->queued) {
			uint64_t w = h.now - c->qsince;

			S.q_total_ms += w;
			if (w > S.q_max_ms)
				S.q_max_ms = w;
		}
		if (h.now >= resume_from && S.first_ok_after == UINT64_MAX) {
			S.first_ok_after = h.now;
			S.first_ok_path = (unsigned)p;
		}
		c->queued = false;
		c->st = IO_INFLIGHT;
		c->path = (unsigned)p;
		c->at = h.now + latency((unsigned)p);
		return;
	}
	/* A non-GOOD answer: what a multipath driver's check_sense does. */
	CHECK_EQ(sr.status, SALUA_STATUS_CHECK_CONDITION);
	S.check_cond++;
	CHECK_EQ(salua_sense_normalize(sr.sense, sr.sense_len, &sn), 0);
	v = salua_io_disposition(sr.status, &sn);
	CHECK(v.disp == SALUA_DISP_RETRY || v.disp == SALUA_DISP_DELAYED_RETRY ||
	      v.disp == SALUA_DISP_REQUEUE || v.disp == SALUA_DISP_FAILOVER);
	if (stale) {
		CHECK(sn.key == SALUA_SK_NOT_READY ||
		      sn.key == SALUA_SK_UNIT_ATTENTION);
		if (sn.key == SALUA_SK_NOT_READY)
			S.stale_nr++;
		else
			S.stale_ua++;
	}
	if ((unsigned)v.disp <= SALUA_DISP_FAIL)
		S.disp[v.disp]++;
	ev = salua_engine_sense(&h.e, (unsigned)p, sr.status, sr.sense,
				sr.sense_len);
	CHECK_EQ(ev.disp, v.disp);
	S.requeued++;
	if (!c->queued) {
		c->queued = true;
		c->qsince = h.now;
		S.queued_ios++;
	}
	c->st = IO_QUEUED;
}

/* multipathd's TUR checker: every path, sense to the engine. */
static void checker(void)
{
	static const uint8_t tur[6] = { 0 };
	struct salua_sim_result sr;
	unsigned p;

	for (p = 0; p < NPATHS; p++) {
		memset(&sr, 0, sizeof(sr));
		salua_sim_set_time(&sim, h.now);
		CHECK_EQ(salua_sim_command(&sim, p, 0, tur, sizeof(tur), NULL,
					   0, NULL, 0, &sr), 0);
		if (sr.status != SALUA_STATUS_GOOD)
			(void)salua_engine_sense(&h.e, p, sr.status, sr.sense,
						 sr.sense_len);
	}
	if (!pub->n && pub->verdict == SALUA_SEL_QUEUE &&
	    salua_sel_tick(&sel, h.now))
		rebuild(h.now);
}

static void run_until(uint64_t end)
{
	unsigned i, node = 0;

	while (h.now < end) {
		eh_run_until(&h, h.now + 1);
		for (i = 0; i < NCTX; i++)
			if (ctx[i].st == IO_INFLIGHT && ctx[i].at <= h.now) {
				salua_sel_io_end(&load, ctx[i].path, IO_BYTES);
				ctx[i].st = IO_IDLE;
				ctx[i].at = h.now + THINK_MS;
			}
		if (h.now >= next_check) {
			checker();
			next_check = h.now + CHECKER_MS;
		}
		for (i = 0; i < NCTX; i++)
			if (ctx[i].st == IO_QUEUED ||
			    (ctx[i].st == IO_IDLE && ctx[i].at <= h.now))
				io_issue(&ctx[i], node++ & 1u);
	}
}

static void print_stats(const char *what)
{
	printf("  %-34s picks %7lu ok %6lu queued-picks %6lu queued-io %4lu "
	       "stale %3lu (NR %lu UA %lu) fail %lu q-max %5llu ms "
	       "q-mean %4llu ms resume %+lld ms maps %u\n",
	       what, S.picks, S.ok, S.queue_verdicts, S.queued_ios, S.stale,
	       S.stale_nr, S.stale_ua, S.fail_verdicts,
	       (unsigned long long)S.q_max_ms,
	       (unsigned long long)(S.queued_ios ? S.q_total_ms / S.queued_ios
						 : 0),
	       S.first_ok_after == UINT64_MAX
		       ? -1LL
		       : (long long)(S.first_ok_after - resume_from),
	       S.rebuilds);
}

/* The good path set at the end: every recent GOOD I/O on @grp's ports. */
static void check_final(unsigned grp)
{
	unsigned long before[NPATHS];
	unsigned i;

	memcpy(before, S.on_path, sizeof(before));
	run_until(h.now + 500);
	for (i = 0; i < NPATHS; i++) {
		if (i / 2u == grp)
			CHECK(S.on_path[i] > before[i] ||
			      pub->policy == SALUA_SEL_FAILOVER ||
			      pub->policy == SALUA_SEL_NUMA);
		else
			CHECK_EQ(S.on_path[i], before[i]);
	}
	CHECK(S.on_path[grp * 2u] + S.on_path[grp * 2u + 1u] >
	      before[grp * 2u] + before[grp * 2u + 1u]);
	CHECK_EQ(pub->cls, SALUA_SEL_CLASS_AO);
	CHECK_EQ(pub->n, 2);
}

static void tcase(bool async, unsigned policy, const char *what)
{
	snprintf(name, sizeof(name), "%s %s%s: %s", async ? "async" : "sync",
		 salua_sel_policy_name(policy), sample_cfg ? "/2" : "", what);
	T_CASE(name);
}

/* Built-in "failover": both groups transitioning 2 s, then 0 S, 1 AO. */
static void test_failover(bool async, unsigned policy)
{
	uint64_t t0;

	tcase(async, policy, "failover");
	setup(async, policy, SALUA_SEL_NOPATH_QUEUE_IF_RETURNING, 60);
	run_until(h.now + 100);
	CHECK(S.ok > 0);
	t0 = h.now;
	CHECK(salua_sim_load_scenario(&sim, "failover") > 0);
	resume_from = t0 + 2000;
	run_until(t0 + 2000);
	CHECK(salua_engine_transitioning(&h.e));
	CHECK_EQ(pub->n, 0);
	CHECK_EQ(pub->verdict, SALUA_SEL_QUEUE);
	run_until(t0 + 5000);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[2], SALUA_STATE_AO);
	check_final(1);
	CHECK_EQ(S.fail_verdicts, 0);
	CHECK(S.queued_ios >= NCTX);
	/* Queued across the whole transition, resumed within one poll. */
	CHECK(S.q_max_ms >= 1900 && S.q_max_ms <= 2000 + 2100);
	CHECK(S.first_ok_after - resume_from <= 2100);
	CHECK(S.first_ok_path / 2u == 1u);
	CHECK_EQ(h.violations, 0);
	print_stats(name);
}

/* Built-in "failback": failover at 0 s, back at 30 s. */
static void test_failback(bool async, unsigned policy)
{
	uint64_t t0;

	tcase(async, policy, "failback");
	setup(async, policy, SALUA_SEL_NOPATH_QUEUE_IF_RETURNING, 60);
	t0 = h.now;
	CHECK(salua_sim_load_scenario(&sim, "failback") > 0);
	run_until(t0 + 6000);
	check_final(1);
	resume_from = t0 + 32000;
	run_until(t0 + 36000);
	check_final(0);
	CHECK(S.first_ok_after - resume_from <= 2100);
	CHECK(S.first_ok_path / 2u == 0u);
	CHECK(h.pref[0] && !h.pref[2]);
	CHECK_EQ(S.fail_verdicts, 0);
	CHECK_EQ(h.violations, 0);
	print_stats(name);
}

/* Built-in "long-transition": 200 s, under the engine's 255 s default. */
static void test_long(bool async, unsigned policy)
{
	uint64_t t0;

	tcase(async, policy, "200 s transition");
	setup(async, policy, SALUA_SEL_NOPATH_QUEUE_IF_RETURNING, 0);
	t0 = h.now;
	CHECK(salua_sim_load_scenario(&sim, "long-transition") > 0);
	resume_from = t0 + 200000;
	run_until(t0 + 100000);
	CHECK_EQ(pub->n, 0);
	CHECK_EQ(pub->verdict, SALUA_SEL_QUEUE);
	run_until(t0 + 204000);
	check_final(1);
	CHECK_EQ(S.fail_verdicts, 0);
	CHECK(S.q_max_ms >= 199000 && S.q_max_ms <= 202100);
	CHECK(S.first_ok_after - resume_from <= 2100);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 0);
	CHECK_EQ(h.violations, 0);
	print_stats(name);
}

/*
 * Target says 5 s (implicit transition time), array takes 20 s.  At 5 s the
 * engine ends the window with both groups STANDBY (terminal).  The
 * checker's next TUR meets 04/0A and re-opens a window, which the 5 s bound
 * ends again, and so on until the array finishes at 20 s.  With
 * queue-if-returning nothing may come back while the engine says STANDBY,
 * so picks fail in those gaps (and only then: check_nopath() asserts QUEUE
 * whenever a path is known transitioning); with queue_if_no_path bounded
 * at 60 s (dm's no_path_retry) no I/O ever fails.  Either way I/O resumes
 * on group 1 within a checker interval of the array's change.
 */
static void test_timeout(bool async, unsigned policy, uint8_t nopath)
{
	uint64_t t0;
	unsigned to;

	tcase(async, policy, nopath == SALUA_SEL_NOPATH_QUEUE
				     ? "transition timeout, queue_if_no_path"
				     : "transition timeout, queue-if-returning");
	setup(async, policy, nopath, 5);
	if (nopath == SALUA_SEL_NOPATH_QUEUE) {
		sel.cfg.queue_ms = 60000;
		rebuild(h.now);
	}
	t0 = h.now;
	CHECK_EQ(salua_sim_set_state(&sim, 0, 0, SALUA_STATE_STANDBY, 20000), 0);
	CHECK_EQ(salua_sim_set_state(&sim, 0, 1, SALUA_STATE_AO, 20000), 0);
	resume_from = t0 + 20000;
	run_until(t0 + 4900);
	CHECK_EQ(pub->verdict, SALUA_SEL_QUEUE);
	CHECK_EQ(S.fail_verdicts, 0);
	run_until(t0 + 24000);
	to = salua_engine_get_counters(&h.e)->timeouts;
	CHECK(to >= 1 && to <= 4);
	check_final(1);
	CHECK(S.first_ok_after - resume_from <= CHECKER_MS + 2100);
	if (nopath == SALUA_SEL_NOPATH_QUEUE) {
		CHECK_EQ(S.fail_verdicts, 0);
	} else {
		CHECK(S.fail_verdicts > 0);
		CHECK(S.last_fail_at >= t0 + 5000);
		CHECK(S.last_fail_at < S.first_ok_after);
	}
	CHECK_EQ(h.violations, 0);
	print_stats(name);
	printf("  %-34s engine transition timeouts %u\n", "", to);
}

/* ---- sampled picks (cfg.sample) on their own ------------------------- */

#define SP 8
static struct salua_sel_path s_path[SP];
static struct salua_sel_slot s_slot[SP];
static struct salua_sel s_sel;
static struct salua_sel_map s_map;

static void s_setup(unsigned policy, unsigned np, unsigned nao)
{
	struct salua_sel_cfg cfg;
	unsigned i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = (uint8_t)policy;
	cfg.sample = 1;
	CHECK_EQ(salua_sel_init(&s_sel, &cfg, s_path, np), 0);
	CHECK_EQ(salua_sel_map_init(&s_map, s_slot, SP, NULL, 0), 0);
	for (i = 0; i < np; i++)
		CHECK_EQ(salua_sel_set_state(&s_sel, i,
					     i < nao ? SALUA_STATE_AO
						     : SALUA_STATE_STANDBY,
					     false), 1);
	CHECK_EQ(salua_sel_build(&s_sel, &s_map, 0), 0);
	CHECK_EQ(s_map.n, nao);
	CHECK_EQ(s_map.sample, 1);
}

/* The generator as documented: LCG mod 2^32, scaled by multiply-high. */
static void s_draw(uint32_t *state, uint32_t n, uint32_t *a, uint32_t *b)
{
	uint32_t x = *state * 1664525u + 1013904223u;
	uint32_t y = x * 1664525u + 1013904223u;

	*state = y;
	*a = (uint32_t)(((uint64_t)x * n) >> 32);
	*b = (uint32_t)(((uint64_t)y * (n - 1u)) >> 32);
	if (*b >= *a)
		(*b)++;
}

/*
 * Mean over 100000 picks of (max - min) in-flight count over the 6 AO
 * paths, 48 I/Os in flight, each completion freeing the oldest: two
 * choices (salua_sel_pick_qd2) or one random choice (the first draw).
 */
static double qd_spread(bool two, struct salua_sel_cursor *c)
{
	uint32_t q[SP], a, b, mn, mx;
	uint16_t ring[48];
	unsigned long long sum = 0;
	unsigned i, j, k;
	int p;

	memset(q, 0, sizeof(q));
	for (i = 0; i < 48; i++) {
		ring[i] = (uint16_t)(i % 6u);
		q[i % 6u]++;
	}
	for (i = 0; i < 100000; i++) {
		k = i % 48u;
		q[ring[k]]--;
		if (two) {
			p = salua_sel_pick_qd2(&s_map, c, q);
		} else {
			s_draw(&c->next, 6, &a, &b);
			p = (int)s_map.slot[a].path;
		}
		CHECK(p >= 0 && p < 6);
		if (p < 0 || p >= 6)
			return 0;
		ring[k] = (uint16_t)p;
		q[p]++;
		mn = ~0u;
		mx = 0;
		for (j = 0; j < 6; j++) {
			mn = q[j] < mn ? q[j] : mn;
			mx = q[j] > mx ? q[j] : mx;
		}
		sum += mx - mn;
	}
	return (double)sum / 100000.0;
}

static void test_sampled(void)
{
	double spread1, spread2;
	struct salua_sel_cfg cfg;
	struct salua_sel_cursor c;
	uint32_t q[SP], st, a, b;
	uint64_t by[SP] = {0};
	struct salua_sel_load ld;
	unsigned long cnt[SP];
	unsigned i, k;
	int p;

	T_CASE("sampled: cfg.sample validated, default exact");
	memset(&cfg, 0, sizeof(cfg));
	cfg.sample = 2;
	CHECK_EQ(salua_sel_init(&s_sel, &cfg, s_path, SP), -SALUA_EINVAL);
	cfg.sample = 0;
	CHECK_EQ(salua_sel_init(&s_sel, &cfg, s_path, SP), 0);
	CHECK_EQ(salua_sel_map_init(&s_map, s_slot, SP, NULL, 0), 0);
	CHECK_EQ(salua_sel_build(&s_sel, &s_map, 0), 0);
	CHECK_EQ(s_map.sample, 0);

	T_CASE("sampled: no path -> verdict, one path -> it");
	s_setup(SALUA_SEL_QUEUE_DEPTH, 4, 0);
	memset(q, 0, sizeof(q));
	c.next = 0;
	CHECK_EQ(salua_sel_pick_qd2(&s_map, &c, q), SALUA_SEL_FAIL);
	CHECK_EQ(salua_sel_pick_st2(&s_map, &c, by, 1), SALUA_SEL_FAIL);
	s_setup(SALUA_SEL_QUEUE_DEPTH, 4, 1);
	CHECK_EQ(salua_sel_pick_qd2(&s_map, &c, q), 0);
	CHECK_EQ(salua_sel_pick_st2(&s_map, &c, by, 1), 0);
	CHECK_EQ(c.next, 0); /* no draw */

	T_CASE("sampled queue-depth: the lesser of the two documented draws");
	s_setup(SALUA_SEL_QUEUE_DEPTH, SP, 6);
	for (i = 0; i < SP; i++)
		q[i] = (i * 7u) % 5u;
	c.next = 12345;
	st = 12345;
	ld.ios = q;
	ld.lat = NULL;
	ld.bytes = by;
	for (i = 0; i < 1000; i++) {
		s_draw(&st, 6, &a, &b);
		CHECK(a < 6 && b < 6 && a != b);
		p = salua_sel_pick(&s_map, &c, 0, &ld, 0);
		CHECK_EQ(p, q[b] < q[a] ? (int)b : (int)a);
		CHECK_EQ(c.next, st);
		q[i % 6u] = (q[i % 6u] + 3u) % 7u;
	}

	T_CASE("sampled queue-depth: equal loads, every member drawn first");
	memset(q, 0, sizeof(q));
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < 60000; i++) {
		p = salua_sel_pick_qd2(&s_map, &c, q);
		CHECK(p >= 0 && p < 6);
		if (p >= 0 && p < SP)
			cnt[p]++;
	}
	for (i = 0; i < 6; i++)
		CHECK(cnt[i] > 9000 && cnt[i] < 11000);
	CHECK_EQ(cnt[6] + cnt[7], 0); /* ANO / standby never */

	T_CASE("sampled queue-depth: 48 in flight over 6 paths stay balanced");
	spread2 = qd_spread(true, &c);
	spread1 = qd_spread(false, &c);
	printf("  48 I/Os in flight on 6 paths, 100000 picks: mean spread "
	       "(max - min in flight) %.2f with two choices, %.2f with one "
	       "random choice\n", spread2, spread1);
	CHECK(spread2 < 4.0);
	CHECK(spread2 * 2.0 < spread1);

	T_CASE("sampled service-time: better of the two by dm's rule");
	s_setup(SALUA_SEL_SERVICE_TIME, SP, 6);
	for (i = 0; i < 6; i++)
		CHECK(salua_sel_set_tp(&s_sel, i, 1u + i % 3u) >= 0);
	CHECK_EQ(salua_sel_build(&s_sel, &s_map, 0), 0);
	st = c.next;
	for (i = 0; i < 1000; i++) {
		uint64_t va, vb;

		for (k = 0; k < SP; k++)
			by[k] = (uint64_t)((i * 31u + k * 17u) % 9u) * 4096u;
		s_draw(&st, 6, &a, &b);
		va = by[a] + 4096u;
		vb = by[b] + 4096u;
		p = salua_sel_pick(&s_map, &c, 0, &ld, 4096u);
		CHECK_EQ(p, salua_sel_st_less(vb, 1u + b % 3u, va, 1u + a % 3u)
				    ? (int)b : (int)a);
	}
	/* Two members: both are always drawn, so the pick is exact. */
	s_setup(SALUA_SEL_SERVICE_TIME, 2, 2);
	CHECK_EQ(salua_sel_set_tp(&s_sel, 1, 3), 1);
	CHECK_EQ(salua_sel_build(&s_sel, &s_map, 0), 0);
	memset(by, 0, sizeof(by));
	for (i = 0; i < 4000; i++) {
		p = salua_sel_pick_st2(&s_map, &c, by, 4096u);
		CHECK(p == 0 || p == 1);
		if (p == 0 || p == 1)
			by[p] += 4096u;
	}
	/* 3:1 throughput gives 3:1 bytes, to one I/O. */
	CHECK(by[1] >= 3u * by[0] - 3u * 4096u && by[1] <= 3u * by[0] + 4096u);
}

int main(void)
{
	unsigned m, pol, smp;

	test_sampled();
	for (smp = 0; smp < 2; smp++)
	for (m = 0; m < 2; m++) {
		bool async = m != 0;

		sample_cfg = (uint8_t)smp;
		for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
			if (smp && pol != SALUA_SEL_QUEUE_DEPTH &&
			    pol != SALUA_SEL_SERVICE_TIME)
				continue;
			test_failover(async, pol);
			test_failback(async, pol);
			test_long(async, pol);
			test_timeout(async, pol, SALUA_SEL_NOPATH_QUEUE);
			test_timeout(async, pol,
				     SALUA_SEL_NOPATH_QUEUE_IF_RETURNING);
		}
	}
	return t_done("selector_engine");
}
