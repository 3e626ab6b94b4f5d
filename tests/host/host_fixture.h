/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Host-layer test fixture: a simulated array (shims/target/sim) with a
 * backing store, one LU of the host layer (shims/host/salua_lu.h) whose
 * paths are sim transports (shims/transport/sim) behind chosen links, all
 * on a fake-clock loop; a verified I/O load (salua_iogen.h) and a record
 * of the LU's events.  HOST_TEST_VERBOSE=1 prints every event.
 */
#ifndef HOST_FIXTURE_H
#define HOST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salua_iogen.h"
#include "salua_lu.h"
#include "salua_simx.h"
#include "salua_test.h"

#define HF_MAX_PATHS 8
#define HF_STORE_BLOCKS 4096u
#define HF_T0 1000000u /* the fake clock starts at 1 s */

struct hf {
	struct salua_loop *loop;
	struct salua_sim sim;
	uint8_t *store;
	struct salua_simx px[HF_MAX_PATHS];
	struct salua_lu *lu;
	unsigned np;
	unsigned ev[SALUA_LU_EV_CHECK + 1];
	unsigned ev_path[SALUA_LU_EV_CHECK + 1][HF_MAX_PATHS];
	bool verbose;
	uint64_t t0;
};

static __attribute__((unused)) void hf_event(void *ctx,
					     const struct salua_lu_event *e)
{
	struct hf *h = (struct hf *)ctx;
	char line[256];

	if (e->kind <= SALUA_LU_EV_CHECK) {
		h->ev[e->kind]++;
		if (e->path < HF_MAX_PATHS)
			h->ev_path[e->kind][e->path]++;
	}
	if (h->verbose && e->kind != SALUA_LU_EV_MAP &&
	    e->kind != SALUA_LU_EV_COMMAND) {
		salua_lu_event_format(e, line, sizeof(line));
		printf("  [%9.3f ms] %s\n",
		       (double)(e->t_us - h->t0) / 1000.0, line);
	}
}

/*
 * A sim from @spec ("luns=1,ports=2,..."), a LU over LU 0's @np paths
 * (port i = path i) with @links (NULL: ideal links), config @cfg (NULL:
 * defaults plus the fixture's event hook).  Runs until the first RTPG has
 * told every path's state.
 */
static __attribute__((unused)) int hf_init(struct hf *h, const char *spec,
					   unsigned np,
					   const struct salua_lu_config *cfg,
					   const struct salua_simx_link *links)
{
	struct salua_lu_config c;
	unsigned i;

	memset(h, 0, sizeof(*h));
	h->verbose = getenv("HOST_TEST_VERBOSE") != NULL;
	h->loop = salua_loop_new(true, HF_T0);
	h->store = (uint8_t *)calloc(HF_STORE_BLOCKS, 512u);
	if (!h->loop || !h->store)
		return -1;
	h->t0 = HF_T0;
	if (salua_sim_open(&h->sim, spec) < 0)
		return -2;
	salua_sim_set_store(&h->sim, 0, h->store, HF_STORE_BLOCKS * 512u);
	salua_sim_set_time(&h->sim, HF_T0 / 1000u);
	if (cfg)
		c = *cfg;
	else
		salua_lu_config_default(&c);
	c.on_event = hf_event;
	c.event_ctx = h;
	h->lu = salua_lu_new(h->loop, "sim LU 0", &c, np,
			     (h->sim.cfg.implicit ? SALUA_TPGS_IMPLICIT : 0u) |
				     (h->sim.cfg.explicit_alua ? SALUA_TPGS_EXPLICIT
							       : 0u));
	if (!h->lu)
		return -3;
	for (i = 0; i < np; i++) {
		struct salua_lu_path_desc d;
		char name[32];

		memset(&d, 0, sizeof(d));
		snprintf(name, sizeof(name), "sim:p%u/l0", i);
		if (salua_simx_open(&h->px[i], &h->sim,
				    salua_loop_clock(h->loop), i, 0,
				    links ? &links[i] : NULL, &d.xport) < 0)
			return -4;
		d.name = name;
		d.rel_port = (uint16_t)(i + 1u);
		d.tpg = (uint16_t)(salua_sim_group_of_port(&h->sim, i) + 1u);
		d.has_tpg = true;
		d.node = SALUA_SEL_NO_NODE;
		if (salua_lu_add_path(h->lu, &d) != (int)i)
			return -5;
	}
	h->np = np;
	salua_loop_run_until(h->loop, salua_loop_now(h->loop) + 50000u);
	return 0;
}

static void hf_at_clear(struct hf *h);

static __attribute__((unused)) void hf_fini(struct hf *h)
{
	unsigned i;

	hf_at_clear(h);
	salua_lu_free(h->lu);
	for (i = 0; i < h->np; i++)
		salua_simx_close(&h->px[i]);
	salua_loop_free(h->loop);
	free(h->store);
}

/* Now on the fake clock, ms since the fixture started. */
static __attribute__((unused)) uint64_t hf_ms(struct hf *h)
{
	return (salua_loop_now(h->loop) - h->t0) / 1000u;
}

static __attribute__((unused)) bool hf_gen_running(void *ctx)
{
	return salua_iogen_running((const struct salua_iogen *)ctx);
}

/*
 * Run a verified load of @ios I/Os (or @duration_ms) at @depth and return
 * its generator (stats inside); the caller frees it.  Bounded by
 * @limit_ms of simulated time.
 */
static __attribute__((unused)) struct salua_iogen *
hf_io(struct hf *h, unsigned rw, unsigned depth, uint64_t ios,
      uint64_t duration_ms, uint64_t limit_ms)
{
	struct salua_iogen_cfg gc;
	struct salua_iogen *g;

	memset(&gc, 0, sizeof(gc));
	gc.rw = (uint8_t)rw;
	gc.bs = 4096;
	gc.iodepth = depth;
	gc.blocks = HF_STORE_BLOCKS;
	gc.max_ios = ios;
	gc.duration_us = duration_ms * 1000u;
	gc.seed = 0x5a1a;
	g = salua_iogen_new(h->lu, &gc);
	if (!g || salua_iogen_start(g) < 0)
		return g;
	salua_loop_run_while(h->loop, hf_gen_running, g,
			     salua_loop_now(h->loop) + limit_ms * 1000u);
	return g;
}

/* Load a scenario (built-in name or text) now: its times count from now. */
static __attribute__((unused)) int hf_scenario(struct hf *h, const char *text)
{
	salua_sim_set_time(&h->sim, salua_loop_now(h->loop) / 1000u);
	return salua_sim_load_scenario(&h->sim, text);
}

/* A callback at @ms from now on the fixture's loop (up to 8 pending). */
struct hf_at {
	struct salua_timer t;
	struct hf *h;
	void (*fn)(struct hf *h, int arg);
	int arg;
};

static struct hf_at hf_ats[8];

static __attribute__((unused)) void hf_at_fire(struct salua_timer *t)
{
	struct hf_at *a = (struct hf_at *)t->arg;

	a->fn(a->h, a->arg);
}

static __attribute__((unused)) void hf_at(struct hf *h, uint64_t ms,
					  void (*fn)(struct hf *h, int arg),
					  int arg)
{
	unsigned i;

	for (i = 0; i < 8; i++) {
		if (!salua_timer_armed(&hf_ats[i].t)) {
			salua_timer_init(&hf_ats[i].t, hf_at_fire, &hf_ats[i]);
			hf_ats[i].h = h;
			hf_ats[i].fn = fn;
			hf_ats[i].arg = arg;
			salua_timer_arm(h->loop, &hf_ats[i].t,
					salua_loop_now(h->loop) + ms * 1000u);
			return;
		}
	}
}

/* Cancel what hf_at() left pending (before the loop goes away). */
static __attribute__((unused)) void hf_at_clear(struct hf *h)
{
	unsigned i;

	for (i = 0; i < 8; i++)
		salua_timer_cancel(h->loop, &hf_ats[i].t);
}

#endif /* HOST_FIXTURE_H */
