/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The host layer's LU object on the simulated array, fake clock:
 *  - wiring: the engine's first RTPG reaches every path through its sim
 *    transport; its notifies become the selector's states and a published
 *    map (AO paths usable, standby not);
 *  - verified I/O under every policy, with asynchronous and synchronous
 *    (SG_IO-like) completions: zero errors, zero mismatches, I/O only on
 *    the usable paths, in-flight accounting back to zero;
 *  - the null transport (the template): a LU whose paths reach nothing
 *    fails every I/O, but only once the no-path bound has passed, and says
 *    why; without queueing it fails at once;
 *  - bad requests are refused; the LU never completes an I/O inside
 *    salua_lu_submit(); paths beyond the LU's slots are refused (ENOSPC);
 *  - with no usable path and none expected back (implicit ALUA only,
 *    every group unavailable) I/O fails at once, but the checker polls
 *    every path and the LU serves again once the array does;
 *  - once the no-path bound has passed, I/O fails at once and says so,
 *    until news comes: a failed path answering its checker again starts
 *    the bound anew (I/O waits for the transition to end).
 */
#include "host_fixture.h"
#include "salua_null.h"
#include "salua_selector_atomic.h"

#include <errno.h>

static void test_wiring(void)
{
	struct hf h;
	struct salua_lu_path_info pi;
	const struct salua_sel_map *m;

	T_CASE("wiring: engine notify -> selector map");
	CHECK_EQ(hf_init(&h, "luns=1,ports=4,groups=2", 4, NULL, NULL), 0);
	m = salua_lu_map(h.lu);
	CHECK_EQ(m->n, 2); /* ports 0,1 in group 0 (AO), 2,3 standby */
	CHECK(salua_sel_map_usable(m, 0) && salua_sel_map_usable(m, 1));
	CHECK(!salua_sel_map_usable(m, 2) && !salua_sel_map_usable(m, 3));
	CHECK_EQ(salua_lu_path_info(h.lu, 2, &pi), 0);
	CHECK(pi.known && pi.state == SALUA_STATE_STANDBY && !pi.failed);
	CHECK_EQ(h.ev[SALUA_LU_EV_STATE], 4);
	CHECK(salua_lu_engine(h.lu)->cnt.rtpg >= 1);
	CHECK_EQ(salua_lu_path_info(h.lu, 4, &pi), -EINVAL);
	hf_fini(&h);
}

static void test_policies(bool sync)
{
	struct salua_simx_link links[4];
	unsigned pol, i;

	memset(links, 0, sizeof(links));
	for (i = 0; i < 4; i++) {
		links[i].delay_us = 200;
		links[i].svc_us = 20;
		links[i].sync = sync;
	}
	for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
		struct salua_lu_config c;
		struct salua_iogen *g;
		const struct salua_iogen_stats *st;
		struct hf h;
		char name[96];

		snprintf(name, sizeof(name), "verified I/O, %s, %s completions",
			 salua_sel_policy_name(pol), sync ? "synchronous" : "async");
		T_CASE(name);
		salua_lu_config_default(&c);
		c.sel.policy = (uint8_t)pol;
		CHECK_EQ(hf_init(&h, "luns=1,ports=4,groups=2", 4, &c, links), 0);
		g = hf_io(&h, SALUA_IOGEN_VERIFY, 8, 4000, 0, 60000);
		CHECK(g != NULL);
		if (!g) {
			hf_fini(&h);
			continue;
		}
		st = salua_iogen_stats(g);
		CHECK_EQ(st->ios, 4000);
		CHECK_EQ(st->errors, 0);
		CHECK_EQ(st->mismatches, 0);
		CHECK(st->reads > 1000 && st->writes > 1000);
		/* Only the AO paths (0 and 1) carry I/O. */
		CHECK_EQ(st->path_ios[0] + st->path_ios[1], 4000);
		CHECK_EQ(st->path_ios[2] + st->path_ios[3], 0);
		if (pol == SALUA_SEL_NUMA || pol == SALUA_SEL_FAILOVER)
			CHECK_EQ(st->path_ios[0], 4000);
		else if (!sync)
			CHECK(st->path_ios[0] > 1000 && st->path_ios[1] > 1000);
		CHECK_EQ(salua_lu_inflight(h.lu), 0);
		CHECK_EQ(atomic_load(&salua_lu_pub(h.lu)->ios[0]), 0);
		CHECK_EQ(atomic_load(&salua_lu_pub(h.lu)->bytes[1]), 0);
		if (st->errors)
			fprintf(stderr, "  first error: %s\n", st->first_error);
		salua_iogen_free(g);
		hf_fini(&h);
	}
}

struct one {
	struct salua_lu_io io;
	uint8_t cdb[10];
	uint8_t buf[512];
	unsigned calls;
	bool in_submit;
	bool done_in_submit;
};

static void one_done(struct salua_lu_io *io)
{
	struct one *o = (struct one *)io->priv;

	o->calls++;
	if (o->in_submit)
		o->done_in_submit = true;
}

static void one_init(struct one *o)
{
	memset(o, 0, sizeof(*o));
	o->cdb[0] = 0x28;
	o->cdb[8] = 1;
	o->io.cdb = o->cdb;
	o->io.cdb_len = 10;
	o->io.dir = SALUA_XPORT_IN;
	o->io.data = o->buf;
	o->io.len = sizeof(o->buf);
	o->io.done = one_done;
	o->io.priv = o;
}

static bool one_pending(void *ctx)
{
	return ((struct one *)ctx)->calls == 0;
}

static void test_null(void)
{
	struct salua_loop *loop = salua_loop_new(true, HF_T0);
	struct salua_null nul[2];
	struct salua_lu_config c;
	struct salua_lu *lu;
	struct one o;
	unsigned i;
	uint64_t t0;

	T_CASE("null transport: I/O queues, then fails at the bound");
	salua_lu_config_default(&c);
	c.sel.queue_ms = 5000;
	lu = salua_lu_new(loop, "null LU", &c, 2, SALUA_TPGS_BOTH);
	CHECK(lu != NULL);
	if (!lu)
		return;
	for (i = 0; i < 2; i++) {
		struct salua_lu_path_desc d;

		memset(&d, 0, sizeof(d));
		d.name = i ? "null1" : "null0";
		salua_null_open(&nul[i], &d.xport);
		d.rel_port = (uint16_t)(i + 1);
		d.node = SALUA_SEL_NO_NODE;
		CHECK_EQ(salua_lu_add_path(lu, &d), (int)i);
	}
	t0 = salua_loop_now(loop);
	one_init(&o);
	o.in_submit = true;
	CHECK_EQ(salua_lu_submit(lu, &o.io), 0);
	o.in_submit = false;
	CHECK_EQ(o.calls, 0);
	salua_loop_run_while(loop, one_pending, &o, t0 + 60000000u);
	CHECK_EQ(o.calls, 1);
	CHECK(!o.done_in_submit);
	CHECK_EQ(o.io.result, SALUA_LU_NOPATH);
	/* Not before the bound (5 s), not much after (one checker tick). */
	CHECK(o.io.done_us - t0 >= 5000000u);
	CHECK(o.io.done_us - t0 <= 6100000u);
	CHECK(strstr(o.io.why, "no usable path to null LU") != NULL);
	CHECK(strstr(o.io.why, "null0") != NULL);
	CHECK(strstr(o.io.why, "failed") != NULL);
	if (getenv("HOST_TEST_VERBOSE"))
		printf("  why: %s\n", o.io.why);
	CHECK(nul[0].submitted > 0);

	T_CASE("null transport: without queueing it fails at once");
	salua_lu_free(lu);
	c.sel.nopath = SALUA_SEL_NOPATH_FAIL;
	lu = salua_lu_new(loop, "null LU", &c, 1, SALUA_TPGS_BOTH);
	CHECK(lu != NULL);
	if (!lu)
		return;
	{
		struct salua_lu_path_desc d;

		memset(&d, 0, sizeof(d));
		d.name = "null0";
		salua_null_open(&nul[0], &d.xport);
		CHECK_EQ(salua_lu_add_path(lu, &d), 0);
		CHECK_EQ(salua_lu_add_path(lu, &d), -ENOSPC);
	}
	t0 = salua_loop_now(loop);
	one_init(&o);
	CHECK_EQ(salua_lu_submit(lu, &o.io), 0);
	salua_loop_run_while(loop, one_pending, &o, t0 + 60000000u);
	CHECK_EQ(o.io.result, SALUA_LU_NOPATH);
	CHECK(o.io.done_us - t0 < 1000u);
	CHECK(strstr(o.io.why, "no queueing") != NULL);

	T_CASE("bad requests");
	one_init(&o);
	o.io.cdb_len = 3;
	CHECK_EQ(salua_lu_submit(lu, &o.io), -EINVAL);
	one_init(&o);
	o.io.done = NULL;
	CHECK_EQ(salua_lu_submit(lu, &o.io), -EINVAL);
	one_init(&o);
	o.io.data = NULL;
	CHECK_EQ(salua_lu_submit(lu, &o.io), -EINVAL);
	salua_lu_free(lu);
	salua_loop_free(loop);
}

static void test_free_with_io(void)
{
	struct salua_simx_link links[2];
	struct hf h;
	struct one o[4];
	unsigned i;

	T_CASE("freeing a LU completes every I/O it holds, once");
	memset(links, 0, sizeof(links));
	links[0].delay_us = links[1].delay_us = 50000;
	CHECK_EQ(hf_init(&h, "luns=1,ports=2", 2, NULL, links), 0);
	for (i = 0; i < 4; i++) {
		one_init(&o[i]);
		CHECK_EQ(salua_lu_submit(h.lu, &o[i].io), 0);
	}
	salua_loop_run_until(h.loop, salua_loop_now(h.loop) + 1000u);
	salua_lu_free(h.lu);
	for (i = 0; i < 4; i++)
		CHECK_EQ(o[i].calls, 1);
	h.lu = NULL;
	for (i = 0; i < h.np; i++)
		salua_simx_close(&h.px[i]);
	salua_loop_free(h.loop);
	free(h.store);
}

static void test_nopath_recovery(void)
{
	struct salua_lu_config c;
	struct hf h;
	struct one o;
	uint64_t t0;

	T_CASE("implicit ALUA only, every group unavailable: fail at once, poll, recover");
	salua_lu_config_default(&c);
	c.check_ms = 500;
	CHECK_EQ(hf_init(&h, "luns=1,ports=2,groups=2,explicit=0", 2, &c, NULL),
		 0);
	CHECK_EQ(salua_sim_set_state(&h.sim, 0, 0, SALUA_STATE_UNAVAILABLE, 0),
		 0);
	one_init(&o);
	CHECK_EQ(salua_lu_submit(h.lu, &o.io), 0);
	t0 = salua_loop_now(h.loop);
	salua_loop_run_while(h.loop, one_pending, &o, t0 + 10000000u);
	CHECK_EQ(o.io.result, SALUA_LU_NOPATH);
	CHECK(strstr(o.io.why, "none expected back") != NULL);
	CHECK_EQ(salua_lu_map(h.lu)->n, 0);
	/* No I/O meanwhile; the array heals 5 s later. */
	salua_loop_run_until(h.loop, salua_loop_now(h.loop) + 5000000u);
	salua_sim_set_time(&h.sim, salua_loop_now(h.loop) / 1000u);
	CHECK_EQ(salua_sim_set_state(&h.sim, 0, 0, SALUA_STATE_AO, 0), 0);
	salua_loop_run_until(h.loop, salua_loop_now(h.loop) + 1100000u);
	CHECK_EQ(salua_lu_map(h.lu)->n, 1);
	CHECK(h.ev[SALUA_LU_EV_CHECK] > 0); /* the UA came through a TUR */
	one_init(&o);
	CHECK_EQ(salua_lu_submit(h.lu, &o.io), 0);
	salua_loop_run_while(h.loop, one_pending, &o,
			     salua_loop_now(h.loop) + 10000000u);
	CHECK_EQ(o.io.result, SALUA_LU_OK);
	hf_fini(&h);

	T_CASE("the no-path bound passed: fail at once; a reinstated path rearms it");
	salua_lu_config_default(&c);
	c.sel.queue_ms = 1000;
	c.check_ms = 200;
	CHECK_EQ(hf_init(&h, "luns=1,ports=2,groups=2,explicit=0", 2, &c, NULL),
		 0);
	salua_simx_set_down(&h.px[0], true);
	one_init(&o);
	CHECK_EQ(salua_lu_submit(h.lu, &o.io), 0);
	t0 = salua_loop_now(h.loop);
	salua_loop_run_while(h.loop, one_pending, &o, t0 + 10000000u);
	CHECK_EQ(o.io.result, SALUA_LU_NOPATH);
	CHECK(o.io.done_us - t0 >= 1000000u && o.io.done_us - t0 < 1500000u);
	one_init(&o);
	CHECK_EQ(salua_lu_submit(h.lu, &o.io), 0);
	t0 = salua_loop_now(h.loop);
	salua_loop_run_while(h.loop, one_pending, &o, t0 + 10000000u);
	CHECK_EQ(o.io.result, SALUA_LU_NOPATH);
	CHECK(o.io.done_us - t0 < 1000u);
	CHECK(strstr(o.io.why, "no-path bound (1000 ms") != NULL);
	if (getenv("HOST_TEST_VERBOSE"))
		printf("  why: %s\n", o.io.why);
	/* The path comes back while its group transitions (0.6 s) to AO. */
	salua_sim_set_time(&h.sim, salua_loop_now(h.loop) / 1000u);
	CHECK_EQ(salua_sim_set_state(&h.sim, 0, 0, SALUA_STATE_UNAVAILABLE, 0),
		 0);
	CHECK_EQ(salua_sim_set_state(&h.sim, 0, 0, SALUA_STATE_AO, 600), 0);
	salua_simx_set_down(&h.px[0], false);
	salua_loop_run_until(h.loop, salua_loop_now(h.loop) + 500000u);
	CHECK(h.ev[SALUA_LU_EV_PATH_UP] >= 1);
	one_init(&o);
	CHECK_EQ(salua_lu_submit(h.lu, &o.io), 0);
	t0 = salua_loop_now(h.loop);
	salua_loop_run_while(h.loop, one_pending, &o, t0 + 10000000u);
	CHECK_EQ(o.io.result, SALUA_LU_OK);
	CHECK(o.io.queued_us > 0);
	hf_fini(&h);
}

int main(void)
{
	test_wiring();
	test_policies(false);
	test_policies(true);
	test_null();
	test_free_with_io();
	test_nopath_recovery();
	return t_done("host_lu");
}
