/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The user-space host's LU object (shims/host/salua_lu.h) as a whole: the
 * engine, the selector and its publisher, the I/O path through the
 * core's disposition, the no-path queue, the checker and marginal-path
 * demotion, over sim transports (shims/transport/sim) into a simulated
 * array (shims/target/sim), on a fake clock so every run is
 * deterministic.  A verified I/O load (salua_iogen.h, READ/WRITE of
 * known data) runs throughout while the input drives the array and the
 * links: access-state changes with or without transitions, built-in
 * scenarios (failover, failback, flap, 200 s transition, group move),
 * links going down and up, slow and flaky links (command timeouts,
 * transport errors), the LU unmapped from a port (05/25/00), injected
 * faults (dropped commands, transport errors, BUSY, slow answers) on any
 * opcode, policy switches, rescans, and time passing.
 *
 * Checked:
 *   - no read ever returns data other than what was written (a failed
 *     write may have landed or not), whatever happened;
 *   - every failed I/O says why; results, paths and attempt counts are
 *     in range; the LU's in-flight count is never below its no-path
 *     queue;
 *   - after the array heals (faults off, links up, one group
 *     active/optimized) every I/O in flight completes within the bounds
 *     (no-path queue plus the I/O deadline), nothing stays in flight on
 *     any path, a path becomes usable, and a new load runs with zero
 *     errors and zero mismatches.
 *
 * Input: 4 bytes of configuration (paths, groups, ALUA modes, policy,
 * queue bound, timeouts, queue depth, marginal detection), 2 per path
 * (link delay, flakiness), then 3-byte operations.  FUZZ_LU_TRACE=1
 * prints the LU's events.
 *
 * Unlike the other targets this one links the host layer (C11) and the
 * core as a library (src/salua.c) besides the private copy fuzz.h makes.
 */
#include "fuzz.h"

#include "salua_iogen.h"
#include "salua_lu.h"
#include "salua_simx.h"

#define MAXP 4
#define BLOCKS 64u
#define MAX_OPS 48
#define RUN_BUDGET_MS 30000u /* simulated time the operations may use */
#define T0_US 1000000u

struct fl {
	struct salua_loop *loop;
	struct salua_sim sim;
	uint8_t store[BLOCKS * 512u];
	struct salua_simx px[MAXP];
	struct salua_simx_link link[MAXP];
	struct salua_lu *lu;
	unsigned np, ng;
	uint32_t queue_ms, deadline_ms;
	bool trace;
};

static void ev_hook(void *ctx, const struct salua_lu_event *e)
{
	struct fl *f = (struct fl *)ctx;
	char line[320];

	FUZZ_CHECK(e->kind >= SALUA_LU_EV_STATE &&
		   e->kind <= SALUA_LU_EV_CHECK);
	FUZZ_CHECK(e->path < f->np || e->path == SALUA_SEL_NO_PATH);
	if (f->trace) {
		salua_lu_event_format(e, line, sizeof(line));
		fprintf(stderr, "  [%9.3f] %s\n",
			(double)(e->t_us - T0_US) / 1e6, line);
	}
}

static void io_hook(void *ctx, const struct salua_iogen_rec *r)
{
	struct fl *f = (struct fl *)ctx;

	FUZZ_CHECK(r->result <= SALUA_LU_SHUTDOWN);
	FUZZ_CHECK(r->result != SALUA_LU_INVALID &&
		   r->result != SALUA_LU_SHUTDOWN);
	FUZZ_CHECK(r->path < f->np || r->path == SALUA_SEL_NO_PATH);
	FUZZ_CHECK(r->lba < BLOCKS);
	FUZZ_CHECK(!r->mismatch);
}

static void check_lu(struct fl *f)
{
	unsigned i, sum = 0;

	FUZZ_CHECK(salua_lu_waiting(f->lu) <= salua_lu_inflight(f->lu));
	for (i = 0; i < f->np; i++) {
		struct salua_lu_path_info pi;

		FUZZ_CHECK(salua_lu_path_info(f->lu, i, &pi) == 0);
		FUZZ_CHECK(pi.good <= pi.ios);
		sum += pi.inflight;
	}
	FUZZ_CHECK(sum <= salua_lu_inflight(f->lu));
}

static void run_for(struct fl *f, uint64_t ms)
{
	salua_loop_run_until(f->loop, salua_loop_now(f->loop) + ms * 1000u);
	check_lu(f);
}

static bool gen_running(void *ctx)
{
	return salua_iogen_running((const struct salua_iogen *)ctx);
}

static bool lu_unusable(void *ctx)
{
	return salua_lu_map((const struct salua_lu *)ctx)->n == 0;
}

static struct salua_iogen *load(struct fl *f, unsigned depth, uint32_t seed,
				uint64_t max_ios)
{
	struct salua_iogen_cfg gc;
	struct salua_iogen *g;

	memset(&gc, 0, sizeof(gc));
	gc.rw = SALUA_IOGEN_VERIFY;
	gc.bs = 512;
	gc.iodepth = depth;
	gc.blocks = BLOCKS;
	gc.max_ios = max_ios;
	gc.seed = seed;
	gc.on_io = io_hook;
	gc.ctx = f;
	g = salua_iogen_new(f->lu, &gc);
	FUZZ_CHECK(g != NULL);
	FUZZ_CHECK(salua_iogen_start(g) == 0);
	return g;
}

static const uint8_t states[] = {
	SALUA_STATE_AO, SALUA_STATE_ANO, SALUA_STATE_STANDBY,
	SALUA_STATE_UNAVAILABLE, SALUA_STATE_LBA_DEPENDENT, SALUA_STATE_OFFLINE,
	SALUA_STATE_AO, SALUA_STATE_STANDBY
};

static void set_link(struct fl *f, unsigned p, uint8_t a, uint8_t b)
{
	static const uint32_t fail_every[] = { 0, 0, 0, 2, 3, 5, 17, 100 };
	struct salua_simx_link *l = &f->link[p];

	memset(l, 0, sizeof(*l));
	/* 1..16 ms, or now and then far beyond the I/O timeout. */
	l->delay_us = (a & 0x0fu) * 1000u + 1000u;
	if ((a & 0xf0u) == 0xf0u)
		l->delay_us = 5000000u;
	l->svc_us = 20;
	l->fail_every = fail_every[b & 7u];
	salua_simx_set_link(&f->px[p], l);
}

static void inject(struct fl *f, uint8_t a, uint8_t b)
{
	static const int opcodes[] = { -1, 0x28, 0x2a, 0x00, 0xa3, 0xa4, -1, -1 };
	static const enum salua_sim_inj kinds[] = {
		SALUA_SIM_INJ_DROP, SALUA_SIM_INJ_TRANSPORT, SALUA_SIM_INJ_BUSY,
		SALUA_SIM_INJ_SLOW
	};
	struct salua_sim_fault_spec fs;

	memset(&fs, 0, sizeof(fs));
	fs.kind = kinds[a & 3u];
	fs.port = (a >> 2) & 1u ? -1 : (int)((a >> 3) % f->np);
	fs.lun = -1;
	fs.opcode = opcodes[(a >> 5) & 7u];
	fs.count = (b & 15u) + 1u;
	fs.value = (uint32_t)(b >> 4) * 500u; /* SLOW: 0..7.5 s */
	(void)salua_sim_inject(&f->sim, &fs); /* may be full: -ENOSPC */
}

/* The sim's clock follows the loop's (as alua_probe's sim devices do). */
static void sync_sim(struct fl *f)
{
	salua_sim_set_time(&f->sim, salua_loop_now(f->loop) / 1000u);
}

static int setup(struct fl *f, struct fz *z)
{
	static const uint32_t queue_ms[] = { 0, 300, 1000, 3000 };
	uint8_t c0 = fz_u8(z), c1 = fz_u8(z), c2 = fz_u8(z), c3 = fz_u8(z);
	struct salua_sim_config sc;
	struct salua_lu_config c;
	unsigned i;

	f->np = 2u + c0 % 3u;
	f->ng = (c0 & 0x10u) ? f->np : 2u;
	salua_sim_config_default(&sc);
	sc.luns = 1;
	sc.ports = f->np;
	sc.groups = f->ng;
	sc.implicit = !(c1 & 1u) || !(c1 & 2u);
	sc.explicit_alua = (c1 & 2u) != 0;
	sc.implicit_transition_secs = 3;
	sc.transition_ms = 500u + (uint32_t)(c1 >> 6) * 500u;
	sc.ua_group_ports_only = (c0 & 0x20u) != 0;
	if (salua_sim_init(&f->sim, &sc) < 0)
		return -1;
	salua_sim_set_store(&f->sim, 0, f->store, sizeof(f->store));

	salua_lu_config_default(&c);
	c.sel.policy = (uint8_t)(((c1 >> 2) & 15u) % SALUA_SEL_NPOLICIES);
	c.sel.queue_ms = queue_ms[c2 & 3u];
	c.check_ms = 200u + (uint32_t)((c2 >> 2) & 3u) * 300u;
	c.check_all = (c2 & 0x10u) != 0;
	if (c2 & 0x20u)
		c.health.errors = 0; /* marginal detection off */
	c.io_timeout_ms = 300u + (uint32_t)(c3 & 7u) * 200u;
	c.engine.cmd_timeout_ms = 500u + (uint32_t)((c3 >> 3) & 3u) * 500u;
	c.reweight_ms = 250;
	c.on_event = ev_hook;
	c.event_ctx = f;
	f->queue_ms = c.sel.queue_ms;
	f->deadline_ms = (c.max_retries + 1u) * c.io_timeout_ms;

	f->loop = salua_loop_new(true, T0_US);
	FUZZ_CHECK(f->loop != NULL);
	sync_sim(f);
	f->lu = salua_lu_new(f->loop, "fuzz LU", &c, f->np,
			     (sc.implicit ? SALUA_TPGS_IMPLICIT : 0u) |
				     (sc.explicit_alua ? SALUA_TPGS_EXPLICIT
						       : 0u));
	FUZZ_CHECK(f->lu != NULL);
	for (i = 0; i < f->np; i++) {
		struct salua_lu_path_desc d;
		char name[24];
		uint8_t a = fz_u8(z), b = fz_u8(z);

		memset(&d, 0, sizeof(d));
		snprintf(name, sizeof(name), "sim:p%u", i);
		FUZZ_CHECK(salua_simx_open(&f->px[i], &f->sim,
					   salua_loop_clock(f->loop), i, 0,
					   NULL, &d.xport) == 0);
		set_link(f, i, (uint8_t)(a & 0x0fu), b); /* not dead at start */
		d.name = name;
		d.rel_port = (uint16_t)(i + 1u);
		d.tpg = (uint16_t)(salua_sim_group_of_port(&f->sim, i) + 1u);
		d.has_tpg = true;
		d.node = SALUA_SEL_NO_NODE;
		FUZZ_CHECK(salua_lu_add_path(f->lu, &d) == (int)i);
	}
	return (int)(1u + (c3 >> 5)); /* queue depth 1..8 */
}

/*
 * The array heals: no fault, no pending scenario event, every link up and
 * clean, group 0 active/optimized for good and every other group standby.
 */
static void heal(struct fl *f)
{
	struct salua_sim_fault_spec fs;
	unsigned i;

	sync_sim(f);
	memset(&fs, 0, sizeof(fs));
	fs.kind = SALUA_SIM_INJ_CLEAR;
	FUZZ_CHECK(salua_sim_inject(&f->sim, &fs) == 0);
	f->sim.nev = 0; /* drop scheduled scenario events (test-only poke) */
	for (i = 0; i < f->np; i++) {
		salua_simx_set_down(&f->px[i], false);
		salua_simx_set_lun(&f->px[i], 0);
		set_link(f, i, 1, 0);
	}
	for (i = 0; i < f->ng; i++)
		FUZZ_CHECK(salua_sim_set_state(&f->sim, 0, i,
					       i ? SALUA_STATE_STANDBY
						 : SALUA_STATE_AO,
					       0) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fl f;
	struct fz z;
	struct salua_iogen *g;
	const struct salua_iogen_stats *st;
	uint64_t used_ms = 0, bound_ms;
	unsigned depth, nops = 0, i;
	int r;

	memset(&f, 0, sizeof(f));
	f.trace = getenv("FUZZ_LU_TRACE") != NULL;
	fz_init(&z, data, size);
	r = setup(&f, &z);
	if (r < 0)
		return 0;
	depth = (unsigned)r;
	run_for(&f, 20);
	g = load(&f, depth, 0x5a1au, 0);

	while (fz_left(&z) >= 3 && nops++ < MAX_OPS &&
	       used_ms < RUN_BUDGET_MS) {
		uint8_t op = fz_u8(&z), a = fz_u8(&z), b = fz_u8(&z);
		unsigned p = a % f.np;
		uint64_t ms;

		sync_sim(&f);
		switch (op % 10u) {
		case 0: /* a group changes state, with or without transition */
			(void)salua_sim_set_state(&f.sim, 0, a % f.ng,
						  states[b & 7u],
						  (uint32_t)(b >> 3) * 250u);
			break;
		case 1:
			salua_simx_set_down(&f.px[p], (b & 1u) != 0);
			break;
		case 2: /* unmapped from the port (05/25/00) and back */
			salua_simx_set_lun(&f.px[p], (b & 1u) ? 1u : 0u);
			break;
		case 3:
			set_link(&f, p, b, (uint8_t)(a >> 4));
			break;
		case 4:
			inject(&f, a, b);
			break;
		case 5:
			FUZZ_CHECK(salua_lu_set_policy(f.lu, a % SALUA_SEL_NPOLICIES) == 0);
			break;
		case 6:
			salua_lu_rescan(f.lu);
			break;
		case 7: {
			const char *name = salua_sim_builtin_name(a % 5u);

			if (name)
				(void)salua_sim_load_scenario(&f.sim, name);
			break;
		}
		case 8:
			(void)salua_sim_set_pref(&f.sim, 0, a % f.ng, b & 1u);
			break;
		default:
			break;
		}
		/* Time passes after every operation: 0..2047 ms. */
		ms = ((uint64_t)(op >> 4) << 7 | (b & 0x7fu)) & 2047u;
		run_for(&f, ms);
		used_ms += ms;
	}

	heal(&f);
	run_for(&f, 3000);
	st = salua_iogen_stats(g);
	if (f.trace)
		fprintf(stderr, "load: %llu I/Os, %llu errors (%s)\n",
			(unsigned long long)st->ios,
			(unsigned long long)st->errors, st->first_error);
	FUZZ_CHECK(st->mismatches == 0);
	FUZZ_CHECK(!st->errors || st->first_error[0]);
	salua_iogen_stop(g);
	/* Everything in flight ends within the no-path bound plus the I/O
	 * deadline (and the requeue back-off), with a margin. */
	bound_ms = f.queue_ms + 2u * f.deadline_ms + 20000u;
	salua_loop_run_while(f.loop, gen_running, g,
			     salua_loop_now(f.loop) + bound_ms * 1000u);
	if (salua_iogen_running(g) && f.trace)
		fprintf(stderr, "I/O still in flight after %llu ms\n",
			(unsigned long long)bound_ms);
	FUZZ_CHECK(!salua_iogen_running(g));
	FUZZ_CHECK(st->mismatches == 0);
	FUZZ_CHECK(salua_lu_inflight(f.lu) == 0);
	for (i = 0; i < f.np; i++) {
		struct salua_lu_path_info pi;

		FUZZ_CHECK(salua_lu_path_info(f.lu, i, &pi) == 0);
		FUZZ_CHECK(pi.inflight == 0);
	}
	salua_iogen_free(g);

	/* The healed array gives the LU a usable path (the checker
	 * reinstates failed paths, an activation the LU started meanwhile
	 * ends), and then serves a new load without one error. */
	salua_loop_run_while(f.loop, lu_unusable, f.lu,
			     salua_loop_now(f.loop) + 60000000u);
	FUZZ_CHECK(salua_lu_map(f.lu)->n > 0);
	/* What the LU knew from before may be stale (a path it still takes
	 * for active answers standby, and it activates another group): let
	 * that settle once. */
	run_for(&f, 5000);
	salua_loop_run_while(f.loop, lu_unusable, f.lu,
			     salua_loop_now(f.loop) + 60000000u);
	FUZZ_CHECK(salua_lu_map(f.lu)->n > 0);
	g = load(&f, depth, 0xa5a5u, 200);
	salua_loop_run_while(f.loop, gen_running, g,
			     salua_loop_now(f.loop) + 60000000u);
	st = salua_iogen_stats(g);
	if (f.trace && (st->errors || salua_iogen_running(g)))
		fprintf(stderr, "after healing: %llu errors (%s), running %d\n",
			(unsigned long long)st->errors, st->first_error,
			salua_iogen_running(g));
	FUZZ_CHECK(!salua_iogen_running(g));
	FUZZ_CHECK(st->ios == 200 && st->errors == 0 && st->mismatches == 0);
	salua_iogen_free(g);

	salua_lu_free(f.lu);
	for (i = 0; i < f.np; i++)
		salua_simx_close(&f.px[i]);
	salua_loop_free(f.loop);
	return 0;
}
