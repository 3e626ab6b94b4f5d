/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/engine.h edge cases that deliberately broken copies of the engine
 * (tests/mutation/mutate.py) survived in tests/unit/test_engine.c: which
 * path a command goes through, when budgets (retries, resizes) are reset,
 * exact re-poll times on the failure paths of a transition, the arguments
 * of every log event, init validation, activations decided again after
 * their STPG was abandoned.  Scripted against the fake array of
 * tests/lib/engine_harness.h (whose path slots and RTPG buffer end at a
 * guard page), in both completion modes where a mode can express the case.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "salua/salua.h"
#include "salua_test.h"
#include "engine_harness.h"

static char mode_name[160];

static void tcase(bool async, const char *what)
{
	snprintf(mode_name, sizeof(mode_name), "%s: %s",
		 async ? "async" : "sync", what);
	T_CASE(mode_name);
}

static struct salua_engine_config cfg_default(void)
{
	struct salua_engine_config c;

	salua_engine_config_default(&c);
	return c;
}

/* Add @n paths (path i through port i), run the first scan to idle. */
static void setup(struct eh *h, bool async, const struct salua_engine_config *c,
		  unsigned n)
{
	unsigned i;

	eh_init(h, c, async);
	h->fake.latency_ms = async ? 10 : 0;
	for (i = 0; i < n; i++)
		CHECK_EQ(eh_add(h, i, i), 0);
	CHECK(eh_settle(h, 100000));
	CHECK_EQ(h->violations, 0);
}

static void script_n(struct eh *h, int kind, int path, struct eh_resp r,
		     unsigned n)
{
	while (n--)
		eh_script(h, kind, path, &r);
}

/* Submit number @i (0-based, since the harness was set up). */
static const struct eh_sub *sub(const struct eh *h, unsigned i)
{
	return i < h->nlog ? &h->log[i % EH_LOG] : NULL;
}

/*
 * arm_after(): once the next command of @kind is answered, script @n
 * answers @r for what follows (works inside submit() too).
 */
static int arm_kind = -1;
static unsigned arm_n;
static struct eh_resp arm_r;

static void arm_after(int kind, struct eh_resp r, unsigned n)
{
	arm_kind = kind;
	arm_r = r;
	arm_n = n;
}

static void arm_pre(struct eh *h, const struct eh_pending *p)
{
	if (arm_kind >= 0 && (int)p->kind == arm_kind) {
		arm_kind = -1;
		while (arm_n--)
			eh_script(h, -1, -1, &arm_r);
	}
}

/* ---- which path a command goes through -------------------------------- */

static void test_add_path_asks_new_path(bool async)
{
	struct eh h;
	unsigned n0;

	tcase(async, "first RTPG after add_path goes through the new path");
	setup(&h, async, NULL, 1);
	CHECK_EQ(eh_last(&h, 0)->path, 0);
	n0 = h.nlog;
	CHECK_EQ(eh_add(&h, 1, 1), 0);        /* group 0x0200: unknown */
	CHECK(!h.known[1]);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog, n0 + 1);
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);

	tcase(async, "add_path of a known group keeps the path in use");
	n0 = h.nlog;
	CHECK_EQ(eh_add(&h, 2, 0), 0);        /* group 0x0100: copied */
	CHECK(h.known[2]);
	CHECK_EQ(h.st[2], SALUA_STATE_AO);
	CHECK(h.pref[2]);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog, n0 + 1);
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK_EQ(h.violations, 0);

	if (!async)
		return;
	tcase(async, "add_path while a command is out does not redirect it");
	setup(&h, async, NULL, 1);
	salua_engine_rescan(&h.e);
	eh_run_for(&h, 6);                    /* RTPG out on path 0 */
	CHECK_EQ(eh_last(&h, 0)->path, 0);
	{
		unsigned i;

		/* the fake answered at submit: make that answer a failure */
		for (i = 0; i < EH_QUEUE; i++)
			if (h.q[i].used)
				h.q[i].c.xfer = SALUA_XFER_TRANSPORT;
	}
	n0 = h.logs;
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK(eh_ev(&h, n0, SALUA_EV_SIBLING, 0) != NULL);
	if (eh_ev(&h, n0, SALUA_EV_SIBLING, 0)) {
		CHECK_EQ(eh_ev(&h, n0, SALUA_EV_SIBLING, 0)->a, 0);
		CHECK_EQ(eh_ev(&h, n0, SALUA_EV_SIBLING, 0)->b, 1);
	}
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.violations, 0);
}

/*
 * Sibling order: the next usable slot after the failed one in ring order,
 * wrapping past the last slot (slots 0, 1 and 7 of 8 in use).
 */
static void test_sibling_order(bool async)
{
	static const unsigned slot[3] = { 0, 1, 7 };
	static const unsigned next[3] = { 1, 7, 0 };
	struct eh h;
	struct eh_resp tr = eh_xfer(SALUA_XFER_TRANSPORT);
	unsigned f, k, n0;

	for (f = 0; f < 3; f++) {
		tcase(async, f == 0 ? "sibling after slot 0 is slot 1"
			   : f == 1 ? "sibling after slot 1 is slot 7, not 0"
				    : "sibling after slot 7 wraps to slot 0");
		eh_init(&h, NULL, async);
		h.fake.latency_ms = async ? 10 : 0;
		for (k = 0; k < 3; k++)      /* slot[f] first: runs start there */
			CHECK_EQ(eh_add(&h, slot[(f + k) % 3], slot[(f + k) % 3]),
				 0);
		CHECK(eh_settle(&h, 10000));
		CHECK_EQ(h.nlog, 1);
		CHECK_EQ(eh_last(&h, 0)->path, slot[f]);
		eh_script(&h, SALUA_CMD_RTPG, (int)slot[f], &tr);
		n0 = h.nlog;
		salua_engine_rescan(&h.e);
		CHECK(eh_settle(&h, 10000));
		CHECK_EQ(h.nlog - n0, 2);
		CHECK_EQ(eh_last(&h, 1)->path, slot[f]);
		CHECK_EQ(eh_last(&h, 0)->path, next[f]);
		CHECK_EQ(h.fake.nscript, 0);
		CHECK_EQ(salua_engine_get_counters(&h.e)->siblings, 1);
		CHECK_EQ(h.violations, 0);
	}
}

/* A failed TUR is replaced by an RTPG on the sibling; a failed STPG is
 * sent again, as an STPG, on the sibling. */
static void test_sibling_kinds(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_resp tr = eh_xfer(SALUA_XFER_TRANSPORT);
	struct eh_act *a;
	const struct eh_sub *s;

	tcase(async, "TUR fails on its path: RTPG on the sibling");
	eh_init(&h, &c, async);
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	eh_script(&h, SALUA_CMD_TUR, -1, &tr);
	eh_run_for(&h, 5 + 100);              /* RTPG, then the first TUR */
	s = eh_last(&h, 1);
	CHECK_EQ(s->kind, SALUA_CMD_TUR);
	s = eh_last(&h, 0);
	CHECK_EQ(s->kind, SALUA_CMD_RTPG);
	CHECK(s->path != eh_last(&h, 1)->path);
	CHECK_EQ(h.fake.nscript, 0);
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.violations, 0);

	tcase(async, "STPG fails on its path: STPG again on the sibling");
	setup(&h, async, NULL, 2);
	eh_script(&h, SALUA_CMD_STPG, 1, &tr);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_count(&h, 0, SALUA_CMD_STPG), 2);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(h.fake.stpg_last_id, 0x0200);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

/* The activation's own path carries the STPG even when the RTPG of the
 * run had to leave it for a sibling. */
static void test_stpg_on_own_path(bool async)
{
	struct eh h;
	struct eh_resp tr = eh_xfer(SALUA_XFER_TRANSPORT);
	struct eh_act *a;
	unsigned n0;

	tcase(async, "RTPG failed on the activation's path: STPG still on it");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = async ? 10 : 0;
	CHECK_EQ(eh_add(&h, 1, 1), 0);        /* first added: runs start here */
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	eh_script(&h, SALUA_CMD_RTPG, 1, &tr);
	n0 = h.nlog;
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(sub(&h, n0)->path, 1);
	CHECK_EQ(sub(&h, n0 + 1)->path, 0);   /* sibling answered */
	CHECK_EQ(sub(&h, n0 + 2)->kind, SALUA_CMD_STPG);
	CHECK_EQ(sub(&h, n0 + 2)->path, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.violations, 0);
}

/* ---- budgets ---------------------------------------------------------- */

static void test_retry_budgets(bool async)
{
	struct eh h;
	struct eh_resp ua = eh_check(SALUA_SK_UNIT_ATTENTION, 0x2900);
	struct eh_resp tr = eh_xfer(SALUA_XFER_TRANSPORT);
	struct eh_act *a;
	unsigned n0;

	tcase(async, "sibling switch resets the retry budget");
	setup(&h, async, NULL, 2);
	CHECK_EQ(eh_last(&h, 0)->path, 0);    /* the first added path */
	script_n(&h, SALUA_CMD_RTPG, 0, ua, 3);
	eh_script(&h, SALUA_CMD_RTPG, 0, &tr);
	script_n(&h, SALUA_CMD_RTPG, 1, ua, 5); /* a full budget on path 1 */
	h.fake.state[0] = SALUA_STATE_ANO;
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 4 + 6);
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_ANO);   /* the 6th answer applied */
	CHECK_EQ(h.violations, 0);

	tcase(async, "a failed run does not eat the next run's retries");
	setup(&h, async, NULL, 1);
	script_n(&h, SALUA_CMD_RTPG, -1, ua, 6);
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 6);             /* 1 + 5 retries, run failed */
	script_n(&h, SALUA_CMD_RTPG, -1, ua, 5);
	h.fake.state[0] = SALUA_STATE_ANO;
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 6);             /* 5 retries again, then ANO */
	CHECK_EQ(h.st[0], SALUA_STATE_ANO);
	CHECK_EQ(h.violations, 0);

	tcase(async, "STPG after the RTPG gets the full retry budget");
	setup(&h, async, NULL, 2);
	script_n(&h, SALUA_CMD_RTPG, -1, ua, 2);
	script_n(&h, SALUA_CMD_STPG, -1, ua, 5);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_count(&h, 0, SALUA_CMD_STPG), 6);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);

	if (!async)
		return;
	tcase(async, "coalesced follow-up RTPG gets the full retry budget");
	setup(&h, async, NULL, 1);
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	eh_run_for(&h, 6);                    /* the RTPG is out */
	CHECK_EQ(h.nlog, n0 + 1);
	script_n(&h, SALUA_CMD_RTPG, -1, ua, 5);
	h.fake.state[0] = SALUA_STATE_ANO;
	salua_engine_rescan(&h.e);            /* -> one follow-up */
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 1 + 6);
	CHECK_EQ(h.st[0], SALUA_STATE_ANO);
	CHECK_EQ(h.violations, 0);
}

/* RETURN DATA LENGTH growing between runs: max_resizes is per run. */
static void test_resize_budget(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_resp tr = eh_xfer(SALUA_XFER_TRANSPORT);
	unsigned n0;

	c.max_resizes = 1;
	tcase(async, "resize budget: a good answer ends the run's count");
	setup(&h, async, &c, 1);
	CHECK_EQ(eh_last(&h, 0)->din_len, 128);
	h.fake.pad_groups = 40;               /* 376 bytes */
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_last(&h, 0)->din_len, 376);
	h.fake.pad_groups = 100;              /* 856 bytes */
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 2);
	CHECK_EQ(eh_last(&h, 0)->din_len, 856);
	CHECK_EQ(salua_engine_get_counters(&h.e)->resizes, 2);
	CHECK_EQ(h.violations, 0);

	tcase(async, "resize budget: a failed run does not eat the next one's");
	setup(&h, async, &c, 2);
	h.fake.pad_groups = 40;
	/* 128 -> 376 (resize), then the 376 one fails on both paths */
	arm_after(SALUA_CMD_RTPG, tr, 2);
	h.pre = arm_pre;
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	h.pre = NULL;
	CHECK_EQ(h.nlog - n0, 3);
	CHECK_EQ(eh_last(&h, 0)->din_len, 376);
	CHECK_EQ(h.fake.nscript, 0);
	h.fake.pad_groups = 100;
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 2);
	CHECK_EQ(eh_last(&h, 0)->din_len, 856);
	CHECK_EQ(h.violations, 0);
}

/*
 * One path (slot 0, group 0x0100) whose group is TRANSITIONING, the first
 * RTPG answered: the window is open.  Return its start.
 */
static uint64_t one_path_in_t(struct eh *h, bool async,
			      const struct salua_engine_config *c, uint8_t itt)
{
	unsigned lat = async ? 10 : 0;

	eh_init(h, c, async);
	h->fake.latency_ms = lat;
	h->fake.state[0] = SALUA_STATE_TRANSITIONING;
	h->fake.itt = itt;
	CHECK_EQ(eh_add(h, 0, 0), 0);
	eh_run_for(h, 5 + lat);
	CHECK(salua_engine_transitioning(&h->e));
	return h->e.trans_start;
}

/* Every TRANSITION_TIMEOUT since event @from was logged at @t. */
static void check_timeout_at(const struct eh *h, unsigned from, uint64_t t)
{
	unsigned i, n = 0;

	for (i = from; i < h->logs; i++)
		if (h->ev[i % EH_EVLOG].code == SALUA_EV_TRANSITION_TIMEOUT) {
			CHECK_EQ(h->ev_at[i % EH_EVLOG], t);
			n++;
		}
	CHECK_EQ(n, 1);
}

/* ---- transitions: exact re-poll times on the failure paths ------------- */

/*
 * One path, its group TRANSITIONING, RTPG re-polls (no TUR pre-check):
 * the first RTPG opens the window at t0; polls at t0+100, +300, +700...
 * (adaptive).  The poll at t0+100 fails with @r: the next poll must come
 * one interval (200 ms) after that failure, not two (400 ms).
 */
static void poll_fail_case(bool async, const char *what, struct eh_resp r,
			   uint8_t max_retries)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	uint64_t t0, tf;
	unsigned lat = async ? 10 : 0, n0;

	tcase(async, what);
	c.flags = 0;
	c.max_retries = max_retries;
	t0 = one_path_in_t(&h, async, &c, 0);
	CHECK_EQ(t0, 1005 + lat);
	arm_after(SALUA_CMD_RTPG, r, 1);
	eh_script(&h, SALUA_CMD_RTPG, -1, &r);
	n0 = h.nlog;
	eh_run_until(&h, t0 + 100 + lat);     /* the poll fails */
	CHECK_EQ(h.nlog - n0, 1);
	CHECK_EQ(eh_last(&h, 0)->at, t0 + 100);
	tf = t0 + 100 + lat;
	CHECK(h.timer_armed);
	CHECK_EQ(h.timer_at, tf + 200);
	eh_run_until(&h, tf + 200 + lat);
	CHECK_EQ(h.nlog - n0, 2);
	CHECK_EQ(eh_last(&h, 0)->at, tf + 200);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK(salua_engine_transitioning(&h.e));
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

static void test_poll_failures(bool async)
{
	poll_fail_case(async, "transition: poll fails on the only path, next poll one interval on",
		       eh_xfer(SALUA_XFER_TRANSPORT), 5);
	poll_fail_case(async, "transition: poll out of retries, next poll one interval on",
		       eh_check(SALUA_SK_UNIT_ATTENTION, 0x2900), 0);
	poll_fail_case(async, "transition: poll refused (HARDWARE ERROR), next poll one interval on",
		       eh_check(SALUA_SK_HARDWARE_ERROR, 0x4400), 5);
}

/* A delayed retry (BUSY) inside the window: poll_min_ms later, but never
 * past the transition deadline. */
static void test_busy_in_window(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_resp busy = eh_status(SALUA_STATUS_BUSY);
	unsigned lat = async ? 10 : 0, n0;
	uint64_t t0;

	tcase(async, "BUSY early in the window: retried poll_min_ms later");
	c.flags = 0;
	t0 = one_path_in_t(&h, async, &c, 0);
	eh_script(&h, SALUA_CMD_RTPG, -1, &busy);
	n0 = h.nlog;
	eh_run_until(&h, t0 + 100 + lat + 100 + lat);
	CHECK_EQ(h.nlog - n0, 2);
	CHECK_EQ(sub(&h, n0)->at, t0 + 100);
	CHECK_EQ(sub(&h, n0 + 1)->at, t0 + 100 + lat + 100);
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.violations, 0);

	tcase(async, "BUSY just before the deadline: retried at the deadline");
	c.poll_min_ms = 950;
	t0 = one_path_in_t(&h, async, &c, 1);
	CHECK_EQ(h.e.trans_end, t0 + 1000);
	eh_script(&h, SALUA_CMD_RTPG, -1, &busy);
	n0 = h.logs;
	CHECK(eh_settle(&h, 10000));
	check_timeout_at(&h, n0, t0 + 1000);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.violations, 0);
}

/*
 * The target shortens its implicit transition time while the LU is
 * transitioning: an answer arriving after the new deadline ends the
 * window at once (STANDBY, activations TIMEOUT) and nothing more is
 * polled; a rescan that arrived meanwhile still gets its RTPG 5 ms on.
 */
static void test_itt_shrinks(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_act *a;
	unsigned lat = async ? 10 : 0, n0;
	uint64_t t0, tp;

	tcase(async, "implicit transition time shrinks: expired at the answer");
	c.flags = 0;
	t0 = one_path_in_t(&h, async, &c, 0);
	CHECK_EQ(h.e.trans_end, t0 + 255000);
	a = eh_activate(&h, 0);
	eh_run_until(&h, t0 + 1200);          /* polls at +100, +300, +700 */
	CHECK_EQ(a->calls, 0);
	h.fake.itt = 1;                       /* now: deadline t0 + 1000 */
	tp = h.timer_at;                      /* the next poll */
	n0 = h.nlog;
	eh_run_until(&h, tp);
	CHECK_EQ(h.nlog - n0, 1);
	if (async)
		salua_engine_rescan(&h.e);    /* arrives while it is out */
	eh_run_until(&h, tp + lat);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_TIMEOUT);
	if (async) {
		CHECK(h.timer_armed);
		CHECK_EQ(h.timer_at, tp + lat + 5);
		eh_run_until(&h, tp + lat + 5);
		CHECK_EQ(h.nlog - n0, 2);
		CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	}
	CHECK(eh_settle(&h, 10000));
	n0 = h.nlog;
	eh_run_for(&h, 60000);
	CHECK_EQ(h.nlog, n0);                 /* no more polling */
	CHECK(salua_engine_idle(&h.e));
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.violations, 0);
}

/*
 * Rescans while the LU is transitioning and a poll is out: after a TUR
 * still saying 04/0A the RTPG goes at once; after an RTPG still showing T
 * the follow-up RTPG goes 5 ms later (not the next, TUR, poll).
 */
static void test_rescan_during_poll(void)
{
	struct eh h;
	unsigned n0;
	uint64_t tp;

	T_CASE("async: rescan while a poll is out: an RTPG follows its answer");
	eh_init(&h, NULL, true);
	h.fake.latency_ms = 10;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	eh_run_for(&h, 15);
	tp = h.timer_at;                      /* first poll: a TUR */
	n0 = h.nlog;
	eh_run_until(&h, tp);
	CHECK_EQ(h.nlog - n0, 1);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_TUR);
	salua_engine_rescan(&h.e);
	eh_run_until(&h, tp + 10);            /* TUR: 04/0A; RTPG at once */
	CHECK_EQ(h.nlog - n0, 2);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(eh_last(&h, 0)->at, tp + 10);
	salua_engine_rescan(&h.e);            /* while that RTPG is out */
	eh_run_until(&h, tp + 20);            /* RTPG: still T */
	CHECK_EQ(h.nlog - n0, 2);
	CHECK(h.timer_armed);
	CHECK_EQ(h.timer_at, tp + 25);
	eh_run_until(&h, tp + 25);
	CHECK_EQ(h.nlog - n0, 3);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(eh_last(&h, 0)->at, tp + 25);
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.violations, 0);
}

/* ---- after a transition timeout ---------------------------------------- */

static void test_standby_poll_edges(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	unsigned n0;

	c.standby_poll_ms = 10000;
	tcase(async, "standby poll: not while slot 0 is usable (ANO)");
	eh_init(&h, &c, async);
	h.fake.latency_ms = async ? 10 : 0;
	h.fake.state[0] = SALUA_STATE_ANO;
	h.fake.state[1] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 2;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK(salua_engine_idle(&h.e));
	CHECK(!h.timer_armed);
	CHECK_EQ(h.violations, 0);

	tcase(async, "standby poll: a path of unknown state is not usable");
	eh_init(&h, &c, async);
	h.fake.latency_ms = async ? 10 : 0;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	h.fake.port_group[1] = 2;             /* group 0x0300: never reported */
	h.fake.id[2] = 0x0300;
	h.fake.itt = 2;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	eh_run_for(&h, 3000);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK(!h.known[1]);
	CHECK(!salua_engine_idle(&h.e));
	CHECK(h.timer_armed);
	n0 = h.nlog;
	eh_run_for(&h, 10000 + 20);
	CHECK_EQ(eh_count(&h, n0, SALUA_CMD_RTPG), 1);
	CHECK_EQ(h.violations, 0);
}

/*
 * After a timeout the window latches EXPIRED until an answer shows no
 * group transitioning; then a 04/0A on I/O opens a new one.
 */
static void test_expired_reset(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	unsigned n0;

	tcase(async, "expired window ends with an answer out of T; 04/0A reopens");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = async ? 10 : 0;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 1;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	/* still expired: 04/0A is not believed */
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK(eh_settle(&h, 10000));
	h.fake.state[0] = SALUA_STATE_AO;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	n0 = salua_engine_get_counters(&h.e)->transitions;
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	CHECK_EQ(h.st[0], SALUA_STATE_TRANSITIONING);
	CHECK(salua_engine_transitioning(&h.e));
	CHECK_EQ(salua_engine_get_counters(&h.e)->transitions, n0 + 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK(!salua_engine_transitioning(&h.e));
	CHECK_EQ(h.violations, 0);

	tcase(async, "expired window ends with a standby-poll answer out of T");
	c.standby_poll_ms = 1000;
	eh_init(&h, &c, async);
	h.fake.latency_ms = async ? 10 : 0;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 1;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	eh_run_for(&h, 1500);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK(!salua_engine_idle(&h.e));      /* the standby poll is due */
	h.fake.state[0] = SALUA_STATE_AO;
	n0 = h.nlog;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 1);             /* the poll, no rescan */
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	n0 = salua_engine_get_counters(&h.e)->transitions;
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	CHECK_EQ(h.st[0], SALUA_STATE_TRANSITIONING);
	CHECK_EQ(salua_engine_get_counters(&h.e)->transitions, n0 + 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.violations, 0);
}

/* ---- sense on ordinary I/O ---------------------------------------------- */

static void test_sense_groups(bool async)
{
	struct eh h;
	unsigned n0;

	tcase(async, "04/0A on I/O: every path of the group, PREF kept");
	setup(&h, async, NULL, 3);            /* slots 0, 2: 0x0100; 1: 0x0200 */
	CHECK(h.pref[0] && h.pref[2] && !h.pref[1]);
	n0 = h.notifies;
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	CHECK_EQ(h.st[0], SALUA_STATE_TRANSITIONING);
	CHECK_EQ(h.st[2], SALUA_STATE_TRANSITIONING);
	CHECK(h.pref[0]);
	CHECK(h.pref[2]);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.notifies, n0 + 2);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	tcase(async, "04/0C on I/O of the last slot's group: that group only");
	n0 = h.notifies;
	eh_sense(&h, 1, SALUA_SK_NOT_READY, 0x040c);
	CHECK_EQ(h.st[1], SALUA_STATE_UNAVAILABLE);
	CHECK(!h.pref[1]);
	CHECK_EQ(h.sup[1], 0xcf);
	CHECK_EQ(h.notifies, n0 + 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.violations, 0);

	tcase(async, "a path without TPG designator is its own group for sense");
	eh_init(&h, NULL, async);
	h.present[0] = h.present[1] = true;
	CHECK_EQ(salua_engine_add_path(&h.e, 0, 99, 0, false), 0);
	CHECK_EQ(salua_engine_add_path(&h.e, 1, 98, 0x0000, true), 0);
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040b);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK(!h.known[1]);
	eh_sense(&h, 1, SALUA_SK_NOT_READY, 0x040c);
	CHECK_EQ(h.st[1], SALUA_STATE_UNAVAILABLE);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.violations, 0);
}

/* struct salua_engine_path @gen: bumped on every add and remove. */
static void test_slot_gen(void)
{
	struct eh h;
	uint8_t g;

	T_CASE("path slot gen: bumped by every add and remove, not otherwise");
	setup(&h, false, NULL, 2);
	g = h.paths[1].gen;
	CHECK_EQ(g, 1);
	CHECK_EQ(eh_remove(&h, 1), 0);
	CHECK_EQ(h.paths[1].gen, (uint8_t)(g + 1));
	CHECK_EQ(eh_remove(&h, 1), -SALUA_ENOENT);
	CHECK_EQ(h.paths[1].gen, (uint8_t)(g + 1));
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK_EQ(h.paths[1].gen, (uint8_t)(g + 2));
	CHECK_EQ(eh_add(&h, 1, 1), -SALUA_EBUSY);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.paths[1].gen, (uint8_t)(g + 2));
	CHECK_EQ(h.paths[0].gen, 1);
}

/*
 * A slot used again starts without the old path's state: until an RTPG
 * (or a known path of the same group) says otherwise, path_get() gives
 * state 0 and no supported-state bits, not the removed path's.
 */
static void test_readd_forgets(bool async)
{
	struct eh h;
	uint8_t st, sup;
	bool pref;

	tcase(async, "a re-added path without a group reports no state and no supported bits");
	setup(&h, async, NULL, 2);
	CHECK_EQ(salua_engine_path_get(&h.e, 1, &st, &pref, &sup), 1);
	CHECK_EQ(sup, h.fake.sup);
	CHECK(sup != 0);
	CHECK_EQ(eh_remove(&h, 1), 0);
	h.present[1] = true;
	CHECK_EQ(salua_engine_add_path(&h.e, 1, 2, 0, false), 0);
	st = 0xff;
	sup = 0xff;
	CHECK_EQ(salua_engine_path_get(&h.e, 1, &st, &pref, &sup), 0);
	CHECK_EQ(st, 0);
	CHECK_EQ(sup, 0);
	CHECK(!pref);
	CHECK(eh_settle(&h, 100000));
	CHECK_EQ(h.violations, 0);
}

/*
 * A path added with a group copies the state and PREF of a known path of
 * that group at once (before any RTPG), whatever its slot: here the only
 * such path is slot 1 and slot 0 is unused.
 */
static void test_add_copies_sibling(bool async)
{
	struct eh h;
	uint8_t st1, st, sup;
	bool pref;

	tcase(async, "a path added to a known group copies its state and PREF at once");
	setup(&h, async, NULL, 2);
	CHECK_EQ(salua_engine_path_get(&h.e, 1, &st1, &pref, NULL), 1);
	CHECK(!pref);                     /* group 1 has no PREF */
	CHECK_EQ(eh_remove(&h, 0), 0);
	CHECK(eh_settle(&h, 100000));
	CHECK_EQ(eh_add(&h, 2, 1), 0);    /* slot 2, port 1: group 1 */
	pref = true;
	CHECK_EQ(salua_engine_path_get(&h.e, 2, &st, &pref, &sup), 1);
	CHECK_EQ(st, st1);
	CHECK(!pref);
	CHECK_EQ(sup, h.fake.sup);
	CHECK_EQ(eh_add(&h, 0, 0), 0);    /* group 0: PREF, no known path */
	CHECK_EQ(salua_engine_path_get(&h.e, 0, NULL, NULL, NULL), 0);
	CHECK(eh_settle(&h, 100000));
	CHECK_EQ(salua_engine_path_get(&h.e, 0, NULL, &pref, NULL), 1);
	CHECK(pref);
	CHECK_EQ(h.violations, 0);
}

/*
 * salua_engine_io_waiting(): a poll scheduled later is pulled in to
 * poll_min_ms; nothing is armed while a command is out (the deadline
 * stays armed), outside a window (a slow standby poll keeps its time) or
 * for a NULL engine; a new window after the last path left starts on the
 * normal schedule.  A transition timeout keeps the other engine flags
 * (classic RTPG after a fallback).
 */
static void test_io_waiting_edges(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_resp drop = eh_xfer(SALUA_XFER_OK);
	unsigned lat = async ? 10 : 0, n0, k;
	uint64_t at, ts;

	tcase(async, "io_waiting: a poll due later is pulled in to poll_min_ms");
	salua_engine_io_waiting(NULL);
	(void)one_path_in_t(&h, async, NULL, 0);
	for (k = 0; k < 5000 && !(eh_waiting(&h) &&
				  h.timer_at > h.now + 150); k++)
		eh_run_for(&h, 1);
	CHECK(h.timer_at > h.now + 150);
	n0 = h.nlog;
	salua_engine_io_waiting(&h.e);
	CHECK_EQ(h.timer_at, h.now + 100);
	at = h.timer_at;
	salua_engine_io_waiting(&h.e);        /* again: nothing new */
	CHECK_EQ(h.timer_at, at);
	eh_run_until(&h, at + lat);
	CHECK_EQ(h.nlog - n0, 1);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_TUR);
	CHECK_EQ(eh_last(&h, 0)->at, at);

	tcase(async, "io_waiting: after the last path left, the next window polls as usual");
	CHECK_EQ(eh_remove(&h, 0), 0);
	CHECK(!salua_engine_transitioning(&h.e));
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	eh_run_for(&h, 5 + lat);
	CHECK(salua_engine_transitioning(&h.e));
	n0 = h.nlog;
	eh_run_for(&h, 1000);
	CHECK(eh_count(&h, n0, SALUA_CMD_TUR) <= 4);  /* +100, +300, +700 */
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 100000));
	CHECK_EQ(h.violations, 0);

	if (async) {
		tcase(async, "io_waiting while an RTPG hangs: timeout at the deadline");
		c.transition_s = 2;
		drop.drop = true;
		setup(&h, true, &c, 1);
		eh_script(&h, SALUA_CMD_RTPG, -1, &drop);
		salua_engine_rescan(&h.e);
		eh_run_for(&h, 10);
		ts = h.now;
		eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
		salua_engine_io_waiting(&h.e);
		CHECK(h.timer_armed);
		CHECK_EQ(h.timer_at, ts + 2000);
		eh_run_until(&h, ts + 2000);
		CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
		CHECK(eh_settle(&h, 100000));
		CHECK_EQ(h.violations, 0);
	}

	tcase(async, "io_waiting after a timeout: the standby poll keeps its time; flags kept");
	c = cfg_default();
	c.transition_s = 1;
	c.standby_poll_ms = 10000;
	eh_init(&h, &c, async);
	h.fake.latency_ms = lat;
	h.fake.ext_refuse = true;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	eh_run_for(&h, 1500);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK_EQ(salua_engine_get_counters(&h.e)->ext_fallbacks, 1);
	CHECK(!salua_engine_transitioning(&h.e));
	CHECK(h.timer_armed);
	at = h.timer_at;
	CHECK(at > h.now + 5000);
	salua_engine_io_waiting(&h.e);
	CHECK_EQ(h.timer_at, at);
	n0 = h.nlog;
	eh_run_until(&h, at + lat);
	CHECK_EQ(h.nlog - n0, 1);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(salua_engine_get_counters(&h.e)->ext_fallbacks, 1);
	h.fake.state[0] = SALUA_STATE_AO;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 100000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->ext_fallbacks, 1);
	CHECK_EQ(h.violations, 0);
}

static void test_no_paths(bool async)
{
	struct eh h;
	struct eh_act *a;
	unsigned n0;

	tcase(async, "every path removed: rescan and sense do nothing");
	setup(&h, async, NULL, 2);
	CHECK_EQ(eh_remove(&h, 0), 0);
	CHECK_EQ(eh_remove(&h, 1), 0);
	CHECK(salua_engine_idle(&h.e));
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	CHECK(salua_engine_idle(&h.e));
	CHECK(!h.timer_armed);
	eh_sense(&h, 0, SALUA_SK_UNIT_ATTENTION, 0x2a06);
	CHECK(salua_engine_idle(&h.e));
	CHECK(!h.timer_armed);
	a = eh_activate(&h, 0);
	CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);
	eh_run_for(&h, 60000);
	CHECK_EQ(h.nlog, n0);
	CHECK_EQ(h.violations, 0);
}

/* ---- activation decisions ----------------------------------------------- */

static void test_activation_decisions(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_act *a, *b;

	tcase(async, "activate a path whose group the answer omits: IO");
	eh_init(&h, NULL, async);
	h.fake.ngroups = 1;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_IO);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 0);

	tcase(async, "ANO, optimize_stpg, explicit-only TPGS: STPG");
	c.flags |= SALUA_ENGINE_F_OPTIMIZE_STPG;
	c.tpgs = SALUA_TPGS_EXPLICIT;
	eh_init(&h, &c, async);
	h.fake.state[1] = SALUA_STATE_ANO;
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 1);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);

	tcase(async, "known STANDBY path without a TPG designator: NOTSUP");
	eh_init(&h, NULL, async);
	h.present[0] = true;
	CHECK_EQ(salua_engine_add_path(&h.e, 0, 99, 0, false), 0);
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040b);
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_NOTSUP);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 0);

	tcase(async, "group learned from the port list: STPG names it");
	eh_init(&h, NULL, async);
	h.present[1] = true;
	h.port[1] = 1;
	CHECK_EQ(salua_engine_add_path(&h.e, 1, 2, 0, false), 0);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(h.fake.stpg_last_id, 0x0200);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);

	tcase(async, "activations in two groups: one STPG each, both OK");
	eh_init(&h, NULL, async);
	h.fake.ngroups = 3;
	h.fake.id[2] = 0x0300;
	h.fake.state[2] = SALUA_STATE_STANDBY;
	h.fake.port_group[2] = 2;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK_EQ(eh_add(&h, 2, 2), 0);
	CHECK(eh_settle(&h, 10000));
	a = eh_activate(&h, 1);
	b = eh_activate(&h, 2);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(b->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 2);
	CHECK_EQ(h.fake.stpg_last_id, 0x0300);
	CHECK_EQ(h.st[2], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

/*
 * Issue #18: the path of an in-flight STPG is removed while another
 * activation of the same group waits: that one is decided again after an
 * RTPG (STPG on its own path), not failed as if its STPG had run.
 */
static void test_remove_stpg_inflight(void)
{
	struct eh h;
	struct eh_act *a, *b;
	struct eh_resp drop = eh_xfer(SALUA_XFER_OK);
	unsigned i;

	T_CASE("async: STPG's path removed in flight, the group's other activation re-decided");
	drop.drop = true;                     /* the array never sees it */
	eh_init(&h, NULL, true);
	h.fake.latency_ms = 10;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);        /* 0x0200 */
	CHECK_EQ(eh_add(&h, 2, 3), 0);        /* 0x0200 */
	CHECK(eh_settle(&h, 10000));
	eh_script(&h, SALUA_CMD_STPG, 1, &drop);
	a = eh_activate(&h, 1);
	b = eh_activate(&h, 2);
	for (i = 0; i < 100 && eh_count(&h, 0, SALUA_CMD_STPG) == 0; i++)
		eh_step(&h, h.now + 1000);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_STPG);
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK_EQ(eh_remove(&h, 1), 0);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);
	CHECK_EQ(b->calls, 0);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK(eh_settle(&h, 100000));
	CHECK_EQ(b->calls, 1);
	CHECK_EQ(b->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(h.fake.stpg_last_id, 0x0200);
	CHECK_EQ(eh_count(&h, 0, SALUA_CMD_STPG), 2);
	CHECK_EQ(h.st[2], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

/* A window opened by sense while a command is out still ends on time. */
static void test_window_by_sense_inflight(void)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_resp drop = eh_xfer(SALUA_XFER_OK);
	uint64_t ts;
	unsigned n0;

	T_CASE("async: 04/0A on I/O while an RTPG hangs: timeout at the deadline");
	c.transition_s = 2;
	drop.drop = true;
	setup(&h, true, &c, 1);
	eh_script(&h, SALUA_CMD_RTPG, -1, &drop);
	salua_engine_rescan(&h.e);
	eh_run_for(&h, 10);                   /* out for 30 s */
	ts = h.now;
	n0 = h.logs;
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	CHECK(h.timer_armed);
	CHECK_EQ(h.timer_at, ts + 2000);
	eh_run_until(&h, ts + 2000);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	check_timeout_at(&h, n0, ts + 2000);
	CHECK(eh_settle(&h, 100000));
	CHECK_EQ(h.violations, 0);
}

/* ---- RTPG answers that are not data ------------------------------------- */

static void test_rtpg_not_data(bool async)
{
	struct eh h;
	struct eh_act *a;
	struct eh_resp hw = eh_check(SALUA_SK_HARDWARE_ERROR, 0x4400);
	struct eh_resp empty = eh_status(SALUA_STATUS_GOOD);
	unsigned n0;

	tcase(async, "extended header refused: no transition seen meanwhile");
	eh_init(&h, NULL, async);
	h.fake.ext_refuse = true;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.notifies, 2);
	CHECK_EQ(salua_engine_get_counters(&h.e)->transitions, 0);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_TRANSITION_START), 0);
	CHECK_EQ(salua_engine_get_counters(&h.e)->ext_fallbacks, 1);

	tcase(async, "RTPG refused (HARDWARE ERROR): run fails, activation IO");
	setup(&h, async, NULL, 2);
	eh_script(&h, SALUA_CMD_RTPG, -1, &hw);
	n0 = h.nlog;
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 1);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_IO);
	CHECK(salua_engine_idle(&h.e));
	eh_run_for(&h, 60000);
	CHECK_EQ(h.nlog - n0, 1);

	tcase(async, "RTPG GOOD without data: one immediate retry");
	setup(&h, async, NULL, 2);
	eh_script(&h, SALUA_CMD_RTPG, -1, &empty);
	h.fake.state[1] = SALUA_STATE_ANO;
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 2);
	CHECK_EQ(sub(&h, n0 + 1)->at, sub(&h, n0)->at + (async ? 10u : 0u));
	CHECK_EQ(salua_engine_get_counters(&h.e)->retries, 1);
	CHECK_EQ(h.st[1], SALUA_STATE_ANO);
	CHECK_EQ(h.violations, 0);
}

/* ---- the clock at 0 ------------------------------------------------------ */

static void test_clock_zero(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();

	tcase(async, "a deadline at time 0 is armed as 1 (0 means not armed)");
	c.first_delay_ms = 0;
	eh_init(&h, &c, async);
	h.now = 0;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK(h.timer_armed);
	CHECK_EQ(h.timer_at, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 1);
	CHECK_EQ(eh_last(&h, 0)->at, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

/* ---- init ------------------------------------------------------------- */

static void test_init(void)
{
	static struct salua_engine_path many[SALUA_ENGINE_MAX_PATHS + 1];
	struct salua_engine e;
	struct salua_engine_ops full, o;
	struct salua_engine_path p[2];
	struct salua_engine_config c;
	uint8_t buf[16];
	unsigned k;

	T_CASE("init: each required op alone missing is refused");
	eh_nop_ops(&full);
	CHECK_EQ(salua_engine_init(&e, NULL, &full, NULL, p, 2, buf, 8), 0);
	for (k = 0; k < 4; k++) {
		o = full;
		if (k == 0)
			o.submit = NULL;
		else if (k == 1)
			o.arm = NULL;
		else if (k == 2)
			o.cancel = NULL;
		else
			o.now = NULL;
		CHECK_EQ(salua_engine_init(&e, NULL, &o, NULL, p, 2, buf, 8),
			 -SALUA_EINVAL);
	}
	CHECK_EQ(salua_engine_init(NULL, NULL, &full, NULL, p, 2, buf, 8),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_engine_init(&e, NULL, NULL, NULL, p, 2, buf, 8),
		 -SALUA_EINVAL);

	T_CASE("init: path array and buffer bounds");
	CHECK_EQ(salua_engine_init(&e, NULL, &full, NULL, NULL, 0, buf, 8), 0);
	CHECK(salua_engine_idle(&e));
	CHECK_EQ(salua_engine_add_path(&e, 0, 1, 1, true), -SALUA_EINVAL);
	CHECK_EQ(salua_engine_init(&e, NULL, &full, NULL, NULL, 1, buf, 8),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_engine_init(&e, NULL, &full, NULL, p, 2, NULL, 8),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_engine_init(&e, NULL, &full, NULL, many,
				   SALUA_ENGINE_MAX_PATHS + 1, buf, 8),
		 -SALUA_EINVAL);
	many[SALUA_ENGINE_MAX_PATHS - 1].flags = 0xff;
	CHECK_EQ(salua_engine_init(&e, NULL, &full, NULL, many,
				   SALUA_ENGINE_MAX_PATHS, buf, 8), 0);
	CHECK_EQ(many[SALUA_ENGINE_MAX_PATHS - 1].flags, 0); /* zeroed */
	CHECK_EQ(salua_engine_add_path(&e, SALUA_ENGINE_MAX_PATHS - 1, 1, 1,
				       true), 0);
	CHECK_EQ(salua_engine_add_path(&e, SALUA_ENGINE_MAX_PATHS, 1, 1, true),
		 -SALUA_EINVAL);

	T_CASE("init: config edges accepted");
	salua_engine_config_default(&c);
	c.poll_max_ms = c.poll_min_ms;
	c.poll_mode = SALUA_POLL_FIXED;
	c.transition_s = 1;
	c.cmd_timeout_ms = 1;
	c.poll_min_ms = c.poll_max_ms = 1;
	CHECK_EQ(salua_engine_init(&e, &c, &full, NULL, p, 2, buf, 8), 0);
}

/* First allocation length: initial_alloc clamped to [8, buffer]. */
static void test_initial_alloc(void)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();

	T_CASE("init: initial_alloc below 8 starts at 8");
	c.initial_alloc = 4;
	eh_init(&h, &c, false);
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(sub(&h, 0)->din_len, 8);
	CHECK_EQ(sub(&h, 1)->din_len, 56);    /* then what the header said */
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	T_CASE("init: initial_alloc beyond the buffer starts at the buffer");
	c.initial_alloc = 100000;
	eh_init(&h, &c, false);
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(sub(&h, 0)->din_len, EH_BUF);
	CHECK_EQ(h.nlog, 1);
	CHECK_EQ(h.violations, 0);
}

/* ---- log events and their arguments --------------------------------------- */

/* Every submit has its SUBMIT event: path, kind, tag, allocation. */
static void check_submit_events(const struct eh *h)
{
	unsigned i, k = 0;

	for (i = 0; i < h->logs && i < EH_EVLOG; i++) {
		const struct salua_engine_log *ev = &h->ev[i];
		const struct eh_sub *s = sub(h, k);

		if (ev->code != SALUA_EV_SUBMIT)
			continue;
		k++;
		CHECK(s != NULL);
		if (!s)
			return;
		CHECK_EQ(ev->path, s->path);
		CHECK_EQ(ev->a, s->kind);
		CHECK_EQ(ev->b, s->tag);
		CHECK_EQ(ev->c, s->kind == SALUA_CMD_RTPG ? s->din_len : 0u);
	}
	CHECK_EQ(k, h->nlog);
}

static bool ev_is(const struct salua_engine_log *ev, unsigned path, uint32_t a,
		  uint32_t b, uint32_t c)
{
	if (!ev) {
		fprintf(stderr, "  event missing\n");
		return false;
	}
	if (ev->path == path && ev->a == a && ev->b == b && ev->c == c)
		return true;
	fprintf(stderr, "  event %u: path %u a %u b %u c %u\n", ev->code,
		ev->path, ev->a, ev->b, ev->c);
	return false;
}

/* LIO: RETURN DATA LENGTH leaves the 4 extended-header bytes out. */
static void lio_pre(struct eh *h, const struct eh_pending *p)
{
	if (p->kind == SALUA_CMD_RTPG && p->cdb1 == 0x2a && p->data_len >= 8)
		salua_put_be32(h->buf, salua_get_be32(h->buf) - 4u);
}

/* When the first event @code was logged. */
static uint64_t ev_time(const struct eh *h, unsigned code)
{
	unsigned i;

	for (i = 0; i < h->logs && i < EH_EVLOG; i++)
		if (h->ev[i].code == code)
			return h->ev_at[i];
	return 0;
}

static void test_log_events(bool async)
{
	struct eh h;
	struct eh_act *a;
	struct eh_resp r;
	unsigned n0;
	uint32_t tag;

	tcase(async, "log: SUBMIT and GROUP on the first scan");
	setup(&h, async, NULL, 2);
	check_submit_events(&h);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_GROUP), 2);
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_GROUP, 0), 0, 0x0100,
		    SALUA_STATE_AO | 0x80u, 0xcf));
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_GROUP, 1), 1, 0x0200,
		    SALUA_STATE_STANDBY, 0xcf));

	tcase(async, "log: GROUP only for what changed");
	n0 = h.logs;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_nev(&h, n0, SALUA_EV_GROUP), 0);
	h.fake.pref[1] = true;
	n0 = h.logs;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_nev(&h, n0, SALUA_EV_GROUP), 1);
	CHECK(ev_is(eh_ev(&h, n0, SALUA_EV_GROUP, 0), 1, 0x0200,
		    SALUA_STATE_STANDBY | 0x80u, 0xcf));
	CHECK(h.pref[1]);
	h.fake.pref[1] = false;
	n0 = h.logs;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_nev(&h, n0, SALUA_EV_GROUP), 1);
	CHECK(ev_is(eh_ev(&h, n0, SALUA_EV_GROUP, 0), 1, 0x0200,
		    SALUA_STATE_STANDBY, 0xcf));
	h.fake.sup = 0xdf;
	n0 = h.logs;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_nev(&h, n0, SALUA_EV_GROUP), 2);
	CHECK(ev_is(eh_ev(&h, n0, SALUA_EV_GROUP, 1), 1, 0x0200,
		    SALUA_STATE_STANDBY, 0xdf));
	CHECK_EQ(h.sup[1], 0xdf);
	h.fake.state[0] = SALUA_STATE_ANO;
	n0 = h.logs;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_nev(&h, n0, SALUA_EV_GROUP), 1);
	CHECK(ev_is(eh_ev(&h, n0, SALUA_EV_GROUP, 0), 0, 0x0100,
		    SALUA_STATE_ANO | 0x80u, 0xdf));
	check_submit_events(&h);

	tcase(async, "log: SIBLING, CMD_ERROR (transport and status)");
	setup(&h, async, NULL, 2);
	r = eh_xfer(SALUA_XFER_TRANSPORT);
	eh_script(&h, SALUA_CMD_RTPG, 0, &r);
	r = eh_check(SALUA_SK_UNIT_ATTENTION, 0x2a06);
	eh_script(&h, SALUA_CMD_RTPG, 1, &r);
	r = eh_status(SALUA_STATUS_BUSY);
	eh_script(&h, SALUA_CMD_RTPG, 1, &r);
	n0 = h.logs;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_nev(&h, n0, SALUA_EV_SIBLING), 1);
	CHECK(ev_is(eh_ev(&h, n0, SALUA_EV_SIBLING, 0), 0, 0, 1, 0));
	CHECK_EQ(eh_nev(&h, n0, SALUA_EV_CMD_ERROR), 3);
	CHECK(ev_is(eh_ev(&h, n0, SALUA_EV_CMD_ERROR, 0), 0, SALUA_CMD_RTPG,
		    SALUA_XFER_TRANSPORT << 8, 0));
	CHECK(ev_is(eh_ev(&h, n0, SALUA_EV_CMD_ERROR, 1), 1, SALUA_CMD_RTPG,
		    SALUA_STATUS_CHECK_CONDITION, 0x2a06));
	CHECK(ev_is(eh_ev(&h, n0, SALUA_EV_CMD_ERROR, 2), 1, SALUA_CMD_RTPG,
		    SALUA_STATUS_BUSY, 0xffff));
	check_submit_events(&h);

	tcase(async, "log: TRANSITION_START, _END, ACTIVATED");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = async ? 10 : 0;
	h.fake.state[1] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 7;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	a = eh_activate(&h, 0);
	eh_run_for(&h, 1000);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_TRANSITION_START), 1);
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_TRANSITION_START, 0),
		    SALUA_ENGINE_NO_PATH, 7, 0, 0));
	CHECK_EQ(salua_engine_get_counters(&h.e)->transitions, 1);
	CHECK_EQ(a->calls, 0);
	h.fake.state[1] = SALUA_STATE_STANDBY;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_TRANSITION_END), 1);
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_TRANSITION_END, 0),
		    SALUA_ENGINE_NO_PATH,
		    (uint32_t)(ev_time(&h, SALUA_EV_TRANSITION_END) -
			       ev_time(&h, SALUA_EV_TRANSITION_START)),
		    0, 0));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_ACTIVATED), 1);
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_ACTIVATED, 0), 0, SALUA_ACTIVATE_OK,
		    0, 0));
	check_submit_events(&h);

	tcase(async, "log: TRANSITION_TIMEOUT, ACTIVATED with TIMEOUT");
	eh_init(&h, NULL, async);
	h.fake.state[1] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 2;
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_TRANSITION_TIMEOUT, 0),
		    SALUA_ENGINE_NO_PATH, 2, 0, 0));
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_ACTIVATED, 0), 1,
		    SALUA_ACTIVATE_TIMEOUT, 0, 0));
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_TRANSITION_END), 0);

	tcase(async, "log: GROUP for a path first seen AO, no PREF, no bits");
	eh_init(&h, NULL, async);
	h.fake.pref[0] = false;
	h.fake.sup = 0;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_GROUP), 1);
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_GROUP, 0), 0, 0x0100, SALUA_STATE_AO,
		    0));
	CHECK(h.known[0]);

	tcase(async, "log: EXT_FALLBACK 1 for LIO's short answer, counted once");
	eh_init(&h, NULL, async);
	h.pre = lio_pre;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->ext_fallbacks, 1);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_EXT_FALLBACK), 1);
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_EXT_FALLBACK, 0), 0, 1, 0, 0));
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(sub(&h, 1)->cdb[1], 0x0a);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	tcase(async, "log: RESIZE and TRUNCATED");
	eh_init(&h, NULL, async);
	h.fake.pad_groups = 600;              /* 4856 bytes */
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_RESIZE, 0), 0, 4856, 4096, 0));
	CHECK(ev_is(eh_ev(&h, 0, SALUA_EV_TRUNCATED, 0), 0, 4856, 4096, 0));
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_RESIZE), 1);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_TRUNCATED), 1);
	check_submit_events(&h);
	CHECK_EQ(h.violations, 0);

	if (!async)
		return;
	tcase(async, "log: STALE names the tag");
	setup(&h, async, NULL, 2);
	salua_engine_rescan(&h.e);
	eh_run_for(&h, 6);
	tag = eh_last(&h, 0)->tag;
	n0 = h.logs;
	CHECK_EQ(eh_remove(&h, eh_last(&h, 0)->path), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK(ev_is(eh_ev(&h, n0, SALUA_EV_STALE, 0), SALUA_ENGINE_NO_PATH, tag,
		    0, 0));
	CHECK_EQ(h.violations, 0);
}

/*
 * A forced rescan while an STPG retry is due inside a transition window:
 * when that STPG then fails on every path, the next poll is the RTPG the
 * rescan asked for, not a TUR.
 */
static void test_forced_after_stpg(bool async)
{
	struct eh h;
	struct eh_act *a;
	struct eh_resp busy = eh_status(SALUA_STATUS_BUSY);
	struct eh_resp tr = eh_xfer(SALUA_XFER_TRANSPORT);
	unsigned n0, i;

	tcase(async, "forced rescan during an STPG retry in a window: RTPG poll");
	setup(&h, async, NULL, 2);
	eh_script(&h, SALUA_CMD_STPG, -1, &busy);
	a = eh_activate(&h, 1);
	for (i = 0; i < 100 && !(salua_engine_state(&h.e) == SALUA_ES_WAIT_STPG); i++)
		eh_step(&h, h.now + 1000);
	CHECK_EQ(eh_count(&h, 0, SALUA_CMD_STPG), 1);
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);  /* window opens */
	CHECK(salua_engine_transitioning(&h.e));
	salua_engine_rescan(&h.e);
	eh_script(&h, SALUA_CMD_STPG, -1, &tr);
	eh_script(&h, SALUA_CMD_STPG, -1, &tr);
	n0 = h.nlog;
	eh_run_for(&h, 10 + (async ? 20 : 0));        /* both STPGs fail */
	CHECK_EQ(h.nlog - n0, 2);
	CHECK_EQ(eh_count(&h, n0, SALUA_CMD_STPG), 2);
	CHECK(h.timer_armed);
	eh_run_until(&h, h.timer_at);
	CHECK(h.nlog - n0 >= 3);
	CHECK_EQ(sub(&h, n0 + 2)->kind, SALUA_CMD_RTPG);
	/* Regression: the lost STPG is sent again once the window is over,
	 * not judged as if it had run (was: FAILED, no STPG ever seen). */
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

/*
 * The other ways an STPG is given up inside a window: BUSY until the
 * retries run out, or its retry due with its path gone and the rest
 * disabled.  Each activation is decided again after the window.
 */
static void test_stpg_lost_in_window(bool async)
{
	struct salua_engine_config c = cfg_default();
	struct eh h;
	struct eh_act *a;
	struct eh_resp busy = eh_status(SALUA_STATUS_BUSY);
	struct eh_resp tr = eh_xfer(SALUA_XFER_TRANSPORT);
	unsigned i;

	tcase(async, "STPG BUSY until out of retries in a window: decided again");
	c.max_retries = 1;
	setup(&h, async, &c, 2);
	script_n(&h, SALUA_CMD_STPG, -1, busy, 2);
	a = eh_activate(&h, 1);
	for (i = 0; i < 100 && !(salua_engine_state(&h.e) == SALUA_ES_WAIT_STPG); i++)
		eh_step(&h, h.now + 1000);
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);  /* window opens */
	CHECK(salua_engine_transitioning(&h.e));
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_count(&h, 0, SALUA_CMD_STPG), 3);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(h.violations, 0);

	tcase(async, "STPG retry due, its path gone, the other disabled: decided again");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = async ? 10 : 0;
	CHECK_EQ(eh_add(&h, 1, 1), 0);        /* 0x0200 */
	CHECK_EQ(eh_add(&h, 2, 3), 0);        /* 0x0200 */
	CHECK(eh_settle(&h, 10000));
	eh_script(&h, SALUA_CMD_STPG, 1, &tr); /* -> sibling 2 */
	eh_script(&h, SALUA_CMD_STPG, 2, &busy);
	{
		struct eh_act *b = eh_activate(&h, 1);

		a = eh_activate(&h, 2);
		for (i = 0; i < 100 && !(salua_engine_state(&h.e) == SALUA_ES_WAIT_STPG);
		     i++)
			eh_step(&h, h.now + 1000);
		CHECK_EQ(eh_count(&h, 0, SALUA_CMD_STPG), 2);
		eh_sense(&h, 1, SALUA_SK_NOT_READY, 0x040a);
		CHECK(salua_engine_transitioning(&h.e));
		CHECK_EQ(eh_remove(&h, 2), 0);    /* the retry's path */
		CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);
		CHECK(eh_settle(&h, 10000));
		CHECK_EQ(b->calls, 1);
		CHECK_EQ(b->result, SALUA_ACTIVATE_OK);
		CHECK_EQ(h.fake.stpg_seen, 1);
		CHECK_EQ(h.st[1], SALUA_STATE_AO);
	}
	CHECK_EQ(h.violations, 0);
}

/*
 * A rescan arriving while the activation's RTPG is out: the activation is
 * decided on the follow-up RTPG's answer, not on the stale one.
 */
static void test_activation_waits_followup(void)
{
	struct eh h;
	struct eh_act *a;
	unsigned n0;

	T_CASE("async: rescan during the activation's RTPG: decided on the follow-up");
	setup(&h, true, NULL, 2);
	n0 = h.nlog;
	a = eh_activate(&h, 1);
	eh_run_for(&h, 6);                    /* the RTPG is out: 1 is S */
	CHECK_EQ(h.nlog - n0, 1);
	h.fake.state[1] = SALUA_STATE_AO;     /* the array moves meanwhile */
	h.fake.state[0] = SALUA_STATE_STANDBY;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 0);
	CHECK_EQ(h.nlog - n0, 2);
	CHECK_EQ(h.violations, 0);
}

/*
 * RETURN DATA LENGTH growing with every answer inside one run: at most
 * max_resizes re-issues, then the complete groups of what arrived.
 */
static uint32_t grow_claim;

static void grow_pre(struct eh *h, const struct eh_pending *p)
{
	if (p->kind != SALUA_CMD_RTPG || p->aborted || p->data_len < 8)
		return;
	grow_claim += 100;
	salua_put_be32(h->buf, salua_get_be32(h->buf) + grow_claim);
}

static void test_resize_cap_in_run(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	unsigned m;

	for (m = 0; m <= 2; m++) {
		tcase(async, m == 0 ? "claims growing within a run: no resize with max_resizes 0"
			   : m == 1 ? "claims growing within a run: one resize with max_resizes 1"
				    : "claims growing within a run: two resizes with max_resizes 2");
		c.max_resizes = (uint8_t)m;
		eh_init(&h, &c, async);
		h.fake.latency_ms = async ? 10 : 0;
		h.pre = grow_pre;
		grow_claim = 0;
		CHECK_EQ(eh_add(&h, 0, 0), 0);
		CHECK_EQ(eh_add(&h, 1, 1), 0);
		CHECK(eh_settle(&h, 10000));
		CHECK_EQ(h.nlog, m + 1);
		CHECK_EQ(salua_engine_get_counters(&h.e)->resizes, m);
		CHECK_EQ(eh_nev(&h, 0, SALUA_EV_RESIZE), m);
		CHECK_EQ(eh_nev(&h, 0, SALUA_EV_TRUNCATED), 1);
		CHECK_EQ(h.st[0], SALUA_STATE_AO);   /* complete groups applied */
		CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
		CHECK_EQ(h.violations, 0);
	}
}

/* A good answer gives the rest of the run (STPG, RTPG) a new resize budget. */
static void grow_after_stpg(struct eh *h, const struct eh_pending *p)
{
	if (p->kind == SALUA_CMD_STPG)
		h->fake.pad_groups = 100;     /* 856 bytes */
}

static void test_resize_after_good(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_act *a;

	tcase(async, "resize budget renewed by a good answer within the run");
	c.max_resizes = 1;
	setup(&h, async, &c, 2);
	h.fake.pad_groups = 40;               /* 376 bytes */
	h.pre = grow_after_stpg;
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->resizes, 2);
	CHECK_EQ(eh_last(&h, 0)->din_len, 856);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_TRUNCATED), 0);
	CHECK_EQ(h.violations, 0);
}

/* Every re-poll starts with the full retry budget. */
static void test_poll_retry_budget(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_resp ua = eh_check(SALUA_SK_UNIT_ATTENTION, 0x2900);
	unsigned lat = async ? 10 : 0, n0;
	uint64_t t1;

	tcase(async, "transition: the poll after an exhausted one has its retries");
	c.flags = 0;
	c.max_retries = 1;
	(void)one_path_in_t(&h, async, &c, 0);
	script_n(&h, SALUA_CMD_RTPG, -1, ua, 3);
	n0 = h.nlog;
	t1 = h.timer_at;
	eh_run_until(&h, t1 + 2 * lat);       /* UA, retry, UA: given up */
	CHECK_EQ(h.nlog - n0, 2);
	eh_run_until(&h, h.timer_at + 2 * lat);  /* UA, retry: T */
	CHECK_EQ(h.nlog - n0, 4);
	CHECK_EQ(sub(&h, n0 + 3)->at, sub(&h, n0 + 2)->at + lat);
	CHECK_EQ(h.fake.nscript, 0);
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.violations, 0);
}

/*
 * The answer arrives exactly at the (shortened) deadline with a rescan
 * pending: the window ends there, and the rescan's RTPG follows 5 ms on.
 */
static void test_answer_at_deadline(void)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	uint64_t t0;
	unsigned n0;

	T_CASE("async: an answer exactly at the deadline ends the window");
	c.flags = 0;
	c.poll_mode = SALUA_POLL_FIXED;
	c.poll_max_ms = 990;
	eh_init(&h, &c, true);
	h.fake.latency_ms = 10;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	eh_run_for(&h, 15);
	t0 = h.e.trans_start;
	CHECK_EQ(h.timer_at, t0 + 990);
	h.fake.itt = 1;                       /* deadline: t0 + 1000 */
	n0 = h.nlog;
	eh_run_until(&h, t0 + 990);
	CHECK_EQ(h.nlog - n0, 1);
	salua_engine_rescan(&h.e);
	eh_run_until(&h, t0 + 1000);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK(h.timer_armed);
	CHECK_EQ(h.timer_at, t0 + 1005);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 2);
	CHECK_EQ(eh_last(&h, 0)->at, t0 + 1005);
	CHECK_EQ(h.violations, 0);
}

/*
 * The array hold (array_hold_ms, docs/engine.md "Array hold"): its exact
 * end, the array's group seen through slot 0 or a PREF path, and no hold
 * before the array ever made a group A/O (a group with id 0, a clock still
 * inside the hold period).
 */
static uint64_t array_makes_ao(struct eh *h, unsigned from, unsigned to)
{
	h->fake.state[from] = SALUA_STATE_STANDBY;
	h->fake.state[to] = SALUA_STATE_AO;
	salua_engine_rescan(&h->e);
	CHECK(eh_settle(h, 10000));
	CHECK_EQ(h->st[to], SALUA_STATE_AO);
	return eh_last(h, 0)->at + h->fake.latency_ms; /* when it was seen */
}

static void test_array_hold_edges(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_act *a;
	unsigned lat = async ? 10 : 0;
	uint64_t at;

	c.array_hold_ms = 15000;
	tcase(async, "array hold: still on 1 ms before its end");
	setup(&h, async, &c, 2);
	at = array_makes_ao(&h, 0, 1);
	eh_run_until(&h, at + 15000 - 1 - 5 - lat);
	a = eh_activate(&h, 0);               /* decided at at + 14999 */
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_last(&h, 0)->at + lat, at + 14999);
	CHECK_EQ(a->result, SALUA_ACTIVATE_DEFERRED);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "array hold: over exactly array_hold_ms after the change");
	setup(&h, async, &c, 2);
	at = array_makes_ao(&h, 0, 1);
	eh_run_until(&h, at + 15000 - 5 - lat);
	a = eh_activate(&h, 0);               /* decided at at + 15000 */
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_last(&h, 2)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(eh_last(&h, 2)->at + lat, at + 15000);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);

	tcase(async, "array hold: the array's group seen through slot 0, PREF");
	eh_init(&h, &c, async);
	h.fake.latency_ms = lat;
	h.fake.state[0] = SALUA_STATE_STANDBY; /* 0x0100, PREF */
	h.fake.state[1] = SALUA_STATE_AO;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 10000));
	(void)array_makes_ao(&h, 1, 0);       /* failback to the PREF group */
	CHECK(h.pref[0]);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_DEFERRED);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "array hold: none before the array made a group A/O (group id 0)");
	eh_init(&h, &c, async);
	h.fake.latency_ms = lat;
	h.fake.id[0] = 0x0000;                /* LIO's default group */
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	a = eh_activate(&h, 1);               /* clock 1000 < hold */
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(h.fake.stpg_last_id, 0x0200);
	CHECK_EQ(h.violations, 0);

	tcase(async, "a reserved access state cannot be activated: NOTSUP");
	eh_init(&h, NULL, async);
	h.fake.state[1] = 0x5;
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_NOTSUP);
	CHECK_EQ(h.fake.stpg_seen, 0);
	CHECK_EQ(h.violations, 0);
}

/* Once an STPG is answered without a retry: 5 UAs for the RTPG after it. */
static void stpg_then_ua5(struct eh *h, const struct eh_pending *p)
{
	struct eh_resp ua = eh_check(SALUA_SK_UNIT_ATTENTION, 0x2900);
	unsigned i;

	if (p->kind != SALUA_CMD_STPG || p->c.status != SALUA_STATUS_GOOD)
		return;
	for (i = 0; i < 5; i++)
		eh_script(h, SALUA_CMD_RTPG, -1, &ua);
}

/* ---- the STPG's own answers -------------------------------------------- */

static void test_stpg_answers(bool async)
{
	struct eh h;
	struct eh_act *a, *b;
	struct eh_resp ua = eh_check(SALUA_SK_UNIT_ATTENTION, 0x2900);
	struct eh_resp nr = eh_check(SALUA_SK_NOT_READY, 0x0403);
	struct eh_resp refused = eh_check(SALUA_SK_ILLEGAL_REQUEST, 0x2600);
	struct eh_resp good = eh_status(SALUA_STATUS_GOOD);
	unsigned lat = async ? 10 : 0, n0;

	tcase(async, "STPG: UNIT ATTENTION retried at once");
	setup(&h, async, NULL, 2);
	eh_script(&h, SALUA_CMD_STPG, -1, &ua);
	n0 = h.nlog;
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(sub(&h, n0 + 1)->kind, SALUA_CMD_STPG);
	CHECK_EQ(sub(&h, n0 + 2)->kind, SALUA_CMD_STPG);
	CHECK_EQ(sub(&h, n0 + 2)->at, sub(&h, n0 + 1)->at + lat);

	tcase(async, "STPG: NOT READY (not a transition) moves it to the sibling");
	setup(&h, async, NULL, 3);            /* slots 1: 0x0200, 2: 0x0100 */
	eh_script(&h, SALUA_CMD_STPG, 1, &nr);
	n0 = h.nlog;
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(sub(&h, n0 + 1)->kind, SALUA_CMD_STPG);
	CHECK_EQ(sub(&h, n0 + 1)->path, 1);
	CHECK_EQ(sub(&h, n0 + 2)->kind, SALUA_CMD_STPG);
	CHECK_EQ(sub(&h, n0 + 2)->path, 2);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(h.fake.stpg_last_id, 0x0200);

	tcase(async, "STPG: one group refused (NOTSUP), another without effect (FAILED)");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = lat;
	h.fake.ngroups = 3;
	h.fake.id[2] = 0x0300;
	h.fake.state[2] = SALUA_STATE_STANDBY;
	h.fake.port_group[2] = 2;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK_EQ(eh_add(&h, 2, 2), 0);
	CHECK(eh_settle(&h, 10000));
	eh_script(&h, SALUA_CMD_STPG, 1, &refused);
	eh_script(&h, SALUA_CMD_STPG, 2, &good); /* accepted, nothing moves */
	a = eh_activate(&h, 1);
	b = eh_activate(&h, 2);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_NOTSUP);
	CHECK_EQ(b->result, SALUA_ACTIVATE_FAILED);
	CHECK_EQ(eh_count(&h, 0, SALUA_CMD_STPG), 2);

	tcase(async, "STPG retries do not eat the RTPG's that follows");
	setup(&h, async, NULL, 2);
	script_n(&h, SALUA_CMD_STPG, -1, ua, 3);
	a = eh_activate(&h, 1);
	n0 = h.nlog;
	/* the RTPG after the STPG: 5 UAs, then its answer */
	h.pre = stpg_then_ua5;
	CHECK(eh_settle(&h, 10000));
	h.pre = NULL;
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(eh_count(&h, n0, SALUA_CMD_STPG), 4);
	CHECK_EQ(eh_count(&h, n0, SALUA_CMD_RTPG), 1 + 6);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);

	tcase(async, "STPG retry due, its path removed, another group waits: no STPG for the removed group");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = lat;
	h.fake.ngroups = 3;
	h.fake.id[2] = 0x0300;
	h.fake.state[2] = SALUA_STATE_STANDBY;
	h.fake.port_group[2] = 2;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK_EQ(eh_add(&h, 2, 2), 0);
	CHECK(eh_settle(&h, 10000));
	{
		struct eh_resp busy = eh_status(SALUA_STATUS_BUSY);
		unsigned i;

		eh_script(&h, SALUA_CMD_STPG, 1, &busy);
		a = eh_activate(&h, 1);       /* 0x0200: its STPG first */
		b = eh_activate(&h, 2);       /* 0x0300: waits its turn */
		for (i = 0; i < 100 && !(salua_engine_state(&h.e) == SALUA_ES_WAIT_STPG);
		     i++)
			eh_step(&h, h.now + 1000);
		CHECK_EQ(eh_remove(&h, 1), 0);
		CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);
		CHECK(eh_settle(&h, 10000));
		CHECK_EQ(b->result, SALUA_ACTIVATE_OK);
		CHECK_EQ(h.fake.stpg_seen, 1);        /* only 0x0300's */
		CHECK_EQ(h.fake.stpg_last_id, 0x0300);
		CHECK_EQ(h.fake.state[1], SALUA_STATE_STANDBY);
	}
	CHECK_EQ(h.violations, 0);
}

/*
 * A TUR still answering 04/0A after the window expired under it (the
 * timer fired while it was out): one timeout, and the RTPG that follows
 * every TUR answer.
 */
static void test_tur_after_expiry(void)
{
	struct eh h;
	struct eh_resp slow;
	uint64_t t0;
	unsigned n0;

	T_CASE("async: a slow TUR answers 04/0A after the deadline: one timeout, then an RTPG");
	eh_init(&h, NULL, true);
	h.fake.latency_ms = 10;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 1;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	eh_run_for(&h, 15);
	t0 = h.e.trans_start;
	slow = eh_check(SALUA_SK_NOT_READY, 0x040a);
	slow.latency_ms = 950;                /* the TUR at +100 ends at +1050 */
	eh_script(&h, SALUA_CMD_TUR, -1, &slow);
	n0 = h.nlog;
	eh_run_until(&h, t0 + 1000);
	CHECK_EQ(eh_count(&h, n0, SALUA_CMD_TUR), 1);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1); /* the timer */
	CHECK_EQ(eh_count(&h, n0, -1), 1);   /* the TUR still out */
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_TRANSITION_TIMEOUT), 1);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.violations, 0);
}

/*
 * A good RTPG inside the window restarts the retry budget for the
 * coalesced follow-up RTPG it schedules.
 */
static void test_followup_budget_in_window(void)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_resp ua = eh_check(SALUA_SK_UNIT_ATTENTION, 0x2900);
	unsigned n0;
	uint64_t tp;

	T_CASE("async: in the window, the follow-up RTPG after retried poll gets its retries");
	c.flags = 0;
	(void)one_path_in_t(&h, true, &c, 0);
	tp = h.timer_at;                      /* the next poll (RTPG) */
	n0 = h.nlog;
	script_n(&h, SALUA_CMD_RTPG, -1, ua, 2);
	eh_run_until(&h, tp + 20);            /* UA, UA: the third is out */
	CHECK_EQ(h.nlog - n0, 3);
	salua_engine_rescan(&h.e);            /* -> a follow-up after it */
	eh_run_until(&h, tp + 30);            /* T: follow-up at +35 */
	script_n(&h, SALUA_CMD_RTPG, -1, ua, 5);
	eh_run_until(&h, tp + 35 + 6 * 10);
	CHECK_EQ(h.nlog - n0, 3 + 6);
	CHECK_EQ(sub(&h, n0 + 8)->at, tp + 35 + 5 * 10); /* the 6th, at once */
	CHECK_EQ(h.fake.nscript, 0);
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.violations, 0);
}

/* became_ao(): who made the group A/O (array hold). */
static void test_array_hold_origin(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_resp good = eh_status(SALUA_STATUS_GOOD);
	struct eh_act *a;

	c.array_hold_ms = 15000;
	tcase(async, "array hold: our STPG for another group does not hide the array's failover");
	eh_init(&h, &c, async);
	h.fake.latency_ms = async ? 10 : 0;
	h.fake.ngroups = 3;
	h.fake.id[2] = 0x0300;
	h.fake.state[2] = SALUA_STATE_STANDBY;
	h.fake.port_group[2] = 2;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK_EQ(eh_add(&h, 2, 2), 0);
	CHECK(eh_settle(&h, 10000));
	eh_script(&h, SALUA_CMD_STPG, -1, &good);
	a = eh_activate(&h, 2);               /* STPG 0x0300: nothing moves */
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_FAILED);
	eh_run_for(&h, 1000);
	(void)array_makes_ao(&h, 0, 1);       /* the array: 0x0200 A/O */
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_DEFERRED);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "array hold: the array back on the group our STPG once named");
	setup(&h, async, &c, 2);
	a = eh_activate(&h, 1);               /* ours: 0x0200 A/O */
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	eh_run_for(&h, 20000);                /* past any hold */
	(void)array_makes_ao(&h, 1, 0);       /* the array: 0x0100 */
	eh_run_for(&h, 20000);
	(void)array_makes_ao(&h, 0, 1);       /* the array: 0x0200 again */
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_DEFERRED);
	CHECK_EQ(h.fake.stpg_seen, 1);

	tcase(async, "array hold: measured from the change, late in the clock");
	setup(&h, async, &c, 2);
	eh_run_for(&h, 40000);
	(void)array_makes_ao(&h, 0, 1);
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_DEFERRED);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "array hold: only the group that went A/O (first of two descriptors)");
	h.verbose = false;
	eh_init(&h, &c, async);
	h.fake.latency_ms = async ? 10 : 0;
	h.fake.state[0] = SALUA_STATE_STANDBY;
	h.fake.state[1] = SALUA_STATE_AO;
	h.fake.pref[0] = false;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 10000));
	h.fake.state[0] = SALUA_STATE_AO;     /* 0x0100 (listed first) A/O */
	h.fake.state[1] = SALUA_STATE_STANDBY;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_DEFERRED);
	CHECK_EQ(h.fake.stpg_seen, 0);
	CHECK_EQ(h.violations, 0);
}

/*
 * The path of the command in flight is removed and every other path has
 * already failed in this run: the run fails (IO) and the RTPG the removal
 * asked for comes poll_max_ms later, not at once.
 */
static void test_remove_last_usable(void)
{
	struct eh h;
	struct eh_resp tr = eh_xfer(SALUA_XFER_TRANSPORT);
	struct eh_act *a;
	uint64_t tr_at;
	unsigned n0;

	T_CASE("async: in-flight path removed, the rest failed: IO, RTPG poll_max_ms later");
	setup(&h, true, NULL, 2);
	eh_script(&h, SALUA_CMD_RTPG, 0, &tr);
	h.fake.latency_ms = 50;
	n0 = h.nlog;
	a = eh_activate(&h, 0);
	eh_run_for(&h, 60);                   /* path 0 failed; 1 is out */
	CHECK_EQ(h.nlog - n0, 2);
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK_EQ(a->calls, 0);
	tr_at = h.now;
	CHECK_EQ(eh_remove(&h, 1), 0);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_IO);
	CHECK(h.timer_armed);
	CHECK_EQ(h.timer_at, tr_at + 2000);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 3);
	CHECK_EQ(eh_last(&h, 0)->at, tr_at + 2000);
	CHECK_EQ(eh_last(&h, 0)->path, 0);
	CHECK_EQ(h.violations, 0);
}

/* ---- requests: what each one counts, and what it schedules -------------- */

static void test_request_counters(bool async)
{
	struct eh h;
	const struct salua_engine_counters *k;
	uint32_t r0, c0;

	tcase(async, "counters: a rescan while idle is not coalesced");
	setup(&h, async, NULL, 2);
	k = salua_engine_get_counters(&h.e);
	r0 = k->rescans;
	c0 = k->coalesced;
	salua_engine_rescan(&h.e);
	CHECK_EQ(k->rescans, r0 + 1);
	CHECK_EQ(k->coalesced, c0);

	tcase(async, "counters: one more while it waits on the timer: coalesced once");
	salua_engine_rescan(&h.e);
	CHECK_EQ(k->rescans, r0 + 2);
	CHECK_EQ(k->coalesced, c0 + 1);
	if (async) {
		tcase(async, "counters: one while the RTPG is out: coalesced once");
		eh_run_for(&h, 6);
		CHECK_EQ(h.inflight_rtpg, 1);
		salua_engine_rescan(&h.e);
		CHECK_EQ(k->rescans, r0 + 3);
		CHECK_EQ(k->coalesced, c0 + 2);
	}
	CHECK(eh_settle(&h, 10000));

	tcase(async, "counters: 04/0A on I/O while a poll is due: coalesced once each");
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);   /* opens the window */
	eh_run_for(&h, 20);                           /* RTPG: T, a poll due */
	CHECK(salua_engine_transitioning(&h.e));
	CHECK(eh_waiting(&h));
	r0 = k->rescans;
	c0 = k->coalesced;
	eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	eh_sense(&h, 0, SALUA_SK_UNIT_ATTENTION, 0x040a);
	CHECK_EQ(k->rescans, r0 + 2);
	CHECK_EQ(k->coalesced, c0 + 2);
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.violations, 0);
}

/* A forced rescan while a TUR poll is due turns it into an RTPG 5 ms on. */
static void test_rescan_over_tur_poll(bool async)
{
	struct eh h;
	unsigned lat = async ? 10 : 0, n0;

	tcase(async, "rescan while a TUR poll is due: an RTPG 5 ms later instead");
	(void)one_path_in_t(&h, async, NULL, 0);
	CHECK(h.timer_armed);
	CHECK_EQ(salua_engine_state(&h.e), SALUA_ES_WAIT_TUR); /* a TUR poll */
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	CHECK_EQ(h.timer_at, h.now + 5);
	eh_run_until(&h, h.now + 5);
	CHECK_EQ(h.nlog - n0, 1);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	(void)lat;
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.violations, 0);
}

/*
 * SALUA_ENGINE_F_LOG_STATE: one SALUA_EV_STATE per transition (a request
 * absorbed by the RTPG already due moves nothing), none with it off.
 */
static void test_state_log(bool async)
{
	struct eh h;
	unsigned n0;

	tcase(async, "state log: one event per transition of a run");
	setup(&h, async, NULL, 1);
	n0 = h.fsm_events;
	salua_engine_rescan(&h.e);            /* IDLE -> WAIT_RTPG */
	CHECK_EQ(h.fsm_events, n0 + 1);
	salua_engine_rescan(&h.e);            /* absorbed: same state, timer */
	CHECK_EQ(h.fsm_events, n0 + 1);
	CHECK(eh_settle(&h, 10000));          /* DUE_RTPG, RTPG, IDLE */
	CHECK_EQ(h.fsm_events, n0 + 4);
	CHECK_EQ(salua_engine_state(&h.e), SALUA_ES_IDLE);

	tcase(async, "state log off: no SALUA_EV_STATE");
	salua_engine_set_flags(&h.e, SALUA_ENGINE_F_LOG_STATE, 0);
	n0 = h.fsm_events;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.fsm_events, n0);
	CHECK_EQ(h.violations, 0);
}

/* A rescan while the RTPG is out: its follow-up 5 ms after the answer. */
static void test_followup_delay(bool async)
{
	struct eh h;
	unsigned n0;
	uint64_t t0;

	if (!async)
		return; /* a synchronous RTPG is answered inside submit() */
	tcase(async, "rescan during an RTPG: the follow-up 5 ms after its answer");
	setup(&h, async, NULL, 1);
	salua_engine_rescan(&h.e);
	eh_run_for(&h, 5);                    /* the RTPG is out */
	CHECK_EQ(salua_engine_state(&h.e), SALUA_ES_RTPG);
	n0 = h.nlog;
	t0 = h.now;
	salua_engine_rescan(&h.e);            /* owed: one follow-up */
	eh_run_for(&h, 10);                   /* answered at t0 + 10 */
	CHECK_EQ(h.nlog, n0);
	CHECK_EQ(salua_engine_state(&h.e), SALUA_ES_WAIT_RTPG);
	CHECK_EQ(h.timer_at, t0 + 15);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog, n0 + 1);
	CHECK_EQ(eh_last(&h, 0)->at, t0 + 15);
	CHECK_EQ(h.violations, 0);
}

/* salua_engine_config_default() sets every field, whatever was there. */
static void test_config_default(void)
{
	struct salua_engine_config c;

	T_CASE("config_default: every field, over garbage");
	memset(&c, 0xa5, sizeof(c));
	salua_engine_config_default(&c);
	CHECK_EQ(c.first_delay_ms, SALUA_ENGINE_FIRST_DELAY_MS);
	CHECK_EQ(c.poll_min_ms, SALUA_ENGINE_POLL_MIN_MS);
	CHECK_EQ(c.poll_max_ms, SALUA_ENGINE_POLL_MAX_MS);
	CHECK_EQ(c.cmd_timeout_ms, SALUA_ENGINE_CMD_TIMEOUT_MS);
	CHECK_EQ(c.initial_alloc, SALUA_ENGINE_INITIAL_ALLOC);
	CHECK_EQ(c.standby_poll_ms, SALUA_ENGINE_STANDBY_POLL_MS);
	CHECK_EQ(c.array_hold_ms, SALUA_ENGINE_ARRAY_HOLD_MS);
	CHECK_EQ(c.transition_s, SALUA_ENGINE_TRANSITION_S);
	CHECK_EQ(c.poll_mode, SALUA_POLL_ADAPTIVE);
	CHECK_EQ(c.max_retries, SALUA_ENGINE_MAX_RETRIES);
	CHECK_EQ(c.max_resizes, SALUA_ENGINE_MAX_RESIZES);
	CHECK_EQ(c.tpgs, SALUA_TPGS_BOTH);
	CHECK_EQ(c.flags, SALUA_ENGINE_F_TUR_PRECHECK);
}

/* After a transition polled with TURs the next run starts with an RTPG. */
static void test_run_after_polls(bool async)
{
	struct eh h;
	unsigned n0;

	tcase(async, "the first command of a run after TUR polls is an RTPG");
	(void)one_path_in_t(&h, async, NULL, 0);
	eh_run_for(&h, 1000);                 /* TUR polls */
	CHECK(eh_count(&h, 0, SALUA_CMD_TUR) >= 2);
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK(!salua_engine_transitioning(&h.e));
	n0 = h.nlog;
	eh_sense(&h, 0, SALUA_SK_UNIT_ATTENTION, 0x2a06);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 1);
	CHECK_EQ(sub(&h, n0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(h.violations, 0);
}

/* Once the window is over, a command runs without a timer armed. */
static void test_no_timer_after_window(void)
{
	struct eh h;
	struct eh_act *a;

	T_CASE("async: the STPG after the window ended runs without a timer");
	eh_init(&h, NULL, true);
	h.fake.latency_ms = 10;
	h.fake.state[1] = SALUA_STATE_TRANSITIONING;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	a = eh_activate(&h, 1);
	eh_run_for(&h, 15);
	CHECK(salua_engine_transitioning(&h.e));
	h.fake.state[1] = SALUA_STATE_STANDBY;
	while (eh_count(&h, 0, SALUA_CMD_STPG) == 0 && eh_step(&h, h.now + 10000))
		;
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_STPG);
	CHECK(!salua_engine_transitioning(&h.e));
	CHECK(!h.timer_armed);                /* out, no window: no timer */
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.violations, 0);
}

/* ---- every entry point's argument checks ---------------------------------- */

static void test_entry_guards(void)
{
	static struct salua_engine zero;      /* never initialised */
	struct eh h;
	struct eh_act *a;
	struct salua_verdict v;
	struct eh_resp r = eh_check(SALUA_SK_NOT_READY, 0x040b);
	unsigned n0, c0;

	T_CASE("entry points: NULL engine, slot out of range, unused slot");
	salua_engine_shutdown(NULL);
	salua_engine_shutdown(&zero);         /* no ops: nothing to call */
	salua_engine_timer(NULL);
	v = salua_engine_sense(NULL, 0, r.status, r.sense, r.sense_len);
	CHECK_EQ(v.disp, SALUA_DISP_FAILOVER);
	CHECK_EQ(salua_engine_remove_path(NULL, 0), -SALUA_EINVAL);
	CHECK_EQ(salua_engine_add_path(NULL, 0, 1, 1, true), -SALUA_EINVAL);
	CHECK_EQ(salua_engine_complete(NULL, 1, NULL), -SALUA_EINVAL);
	CHECK_EQ(salua_engine_path_get(NULL, 0, NULL, NULL, NULL), -SALUA_EINVAL);

	setup(&h, false, NULL, 2);
	n0 = h.nlog;
	CHECK_EQ(salua_engine_remove_path(&h.e, EH_MAX_PATHS), -SALUA_EINVAL);
	CHECK_EQ(salua_engine_remove_path(&h.e, 5), -SALUA_ENOENT);
	v = salua_engine_sense(&h.e, EH_MAX_PATHS, r.status, r.sense,
			       r.sense_len);
	CHECK_EQ(v.disp, SALUA_DISP_FAILOVER);
	v = salua_engine_sense(&h.e, 5, r.status, r.sense, r.sense_len);
	CHECK_EQ(v.disp, SALUA_DISP_FAILOVER);
	CHECK(salua_engine_idle(&h.e));       /* nothing requested */
	CHECK(!h.known[5]);
	CHECK_EQ(salua_engine_path_get(&h.e, 5, NULL, NULL, NULL), -SALUA_ENOENT);
	a = eh_activate(&h, EH_MAX_PATHS);
	CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog, n0);

	T_CASE("shutdown: a second one calls nothing");
	c0 = h.cancels;
	salua_engine_shutdown(&h.e);
	CHECK_EQ(h.cancels, c0 + 1);
	salua_engine_shutdown(&h.e);
	CHECK_EQ(h.cancels, c0 + 1);
	CHECK_EQ(h.violations, 0);
}

static void test_remove_more(bool async)
{
	struct eh h;
	unsigned n0;

	tcase(async, "removing a path while idle leaves the engine idle");
	setup(&h, async, NULL, 2);
	n0 = h.nlog;
	CHECK_EQ(eh_remove(&h, 1), 0);
	CHECK(salua_engine_idle(&h.e));
	CHECK(!h.timer_armed);
	eh_run_for(&h, 60000);
	CHECK_EQ(h.nlog, n0);

	tcase(async, "shutdown inside a transition window: not transitioning");
	(void)one_path_in_t(&h, async, NULL, 0);
	salua_engine_shutdown(&h.e);
	CHECK(!salua_engine_transitioning(&h.e));
	CHECK(salua_engine_idle(&h.e));

	tcase(async, "UNIT ATTENTION 2A/06 on I/O changes no path's state");
	setup(&h, async, NULL, 2);
	h.fake.state[1] = SALUA_STATE_AO;     /* the RTPG will say so */
	n0 = h.notifies;
	eh_sense(&h, 1, SALUA_SK_UNIT_ATTENTION, 0x2a06);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.notifies, n0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

/* Removal while a command is out: which path the re-issue takes, and the
 * old completion stays stale even after the engine started afresh. */
static void test_remove_inflight_more(void)
{
	struct eh h;
	unsigned n0;

	T_CASE("async: in-flight slot 1 removed: re-issued on slot 2, the next in the ring");
	eh_init(&h, NULL, true);
	h.fake.latency_ms = 50;
	CHECK_EQ(eh_add(&h, 1, 1), 0);        /* runs start on slot 1 */
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 2, 2), 0);
	eh_run_for(&h, 10);
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	n0 = h.nlog;
	CHECK_EQ(eh_remove(&h, 1), 0);
	CHECK_EQ(h.nlog, n0 + 1);
	CHECK_EQ(eh_last(&h, 0)->path, 2);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.violations, 0);

	T_CASE("async: last path removed in flight and added again: the old answer is stale");
	eh_init(&h, NULL, true);
	h.fake.latency_ms = 50;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	eh_run_for(&h, 10);                   /* RTPG out until +55 */
	CHECK_EQ(eh_remove(&h, 0), 0);
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	eh_run_for(&h, 10);                   /* a new RTPG out */
	CHECK_EQ(h.nlog, 2);
	CHECK(eh_settle(&h, 10000));
	/* the new RTPG's tag is not the old one's: its answer is the one used */
	CHECK(h.log[1].tag != h.log[0].tag);
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_CMD_ERROR), 0);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stale, 1);
	CHECK_EQ(salua_engine_get_counters(&h.e)->siblings, 0);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

/* A TUR answering 04/0A exactly at the deadline: expired first, then the
 * RTPG that follows every TUR answer. */
static void test_tur_at_deadline(void)
{
	struct eh h;
	struct eh_resp slow = eh_check(SALUA_SK_NOT_READY, 0x040a);
	uint64_t t0;

	T_CASE("async: a TUR answers 04/0A exactly at the deadline: timeout, then an RTPG");
	eh_init(&h, NULL, true);
	h.fake.latency_ms = 10;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 1;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	eh_run_for(&h, 15);
	t0 = h.e.trans_start;
	slow.latency_ms = 900;                /* the TUR at +100 ends at +1000 */
	eh_script(&h, SALUA_CMD_TUR, -1, &slow);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	check_timeout_at(&h, 0, t0 + 1000);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(eh_last(&h, 0)->at, t0 + 1000);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.violations, 0);
}

/* ---- the timer at the deadline -------------------------------------------- */

/*
 * A rescan just before the deadline while the last poll is due at it: the
 * window expires at the deadline and the rescan's RTPG follows 5 ms on.
 */
static void test_rescan_before_deadline(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	uint64_t t0;
	unsigned n0;

	tcase(async, "rescan just before the deadline: expiry there, the RTPG 5 ms on");
	c.poll_mode = SALUA_POLL_FIXED;       /* one poll: at the deadline */
	t0 = one_path_in_t(&h, async, &c, 1);
	CHECK_EQ(h.timer_at, t0 + 1000);
	eh_run_until(&h, t0 + 997);
	n0 = h.nlog;
	salua_engine_rescan(&h.e);            /* +5 is past the deadline */
	CHECK_EQ(h.timer_at, t0 + 1000);
	eh_run_until(&h, t0 + 1000);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK_EQ(h.nlog, n0);
	CHECK(h.timer_armed);
	CHECK_EQ(h.timer_at, t0 + 1005);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog - n0, 1);
	CHECK_EQ(sub(&h, n0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(sub(&h, n0)->at, t0 + 1005);
	CHECK_EQ(h.violations, 0);
}

/*
 * The transitioning paths were removed before the deadline: at it the
 * window closes (no timeout); a TUR poll due then becomes an RTPG, an STPG
 * retry due then stays an STPG.
 */
static void test_deadline_without_t(bool async)
{
	struct eh h;
	struct salua_engine_config c = cfg_default();
	struct eh_act *a;
	struct eh_resp busy = eh_status(SALUA_STATUS_BUSY);
	uint64_t t0;
	unsigned lat = async ? 10 : 0, n0, i;

	tcase(async, "deadline with no path left transitioning: the TUR poll becomes an RTPG");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = lat;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 1;
	CHECK_EQ(eh_add(&h, 0, 0), 0);        /* 0x0100: T */
	CHECK_EQ(eh_add(&h, 1, 1), 0);        /* 0x0200: S */
	eh_run_for(&h, 5 + lat);
	t0 = h.e.trans_start;
	eh_run_until(&h, t0 + 900);           /* TUR polls, the next at +1000 */
	CHECK_EQ(h.timer_at, t0 + 1000);
	CHECK_EQ(salua_engine_state(&h.e), SALUA_ES_WAIT_TUR);
	CHECK_EQ(eh_remove(&h, 0), 0);
	n0 = h.nlog;
	eh_run_until(&h, t0 + 1000);
	CHECK_EQ(h.nlog - n0, 1);
	CHECK_EQ(sub(&h, n0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(sub(&h, n0)->path, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 0);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_TRANSITION_END), 1);
	CHECK(!salua_engine_transitioning(&h.e));

	tcase(async, "deadline with no path left transitioning: an STPG retry stays an STPG");
	c.transition_s = 1;
	c.poll_min_ms = 2000;                 /* the BUSY retry after the deadline */
	setup(&h, async, &c, 3);              /* slots 0, 2: 0x0100; 1: 0x0200 */
	eh_script(&h, SALUA_CMD_STPG, -1, &busy);
	a = eh_activate(&h, 1);
	for (i = 0; i < 100 && !(salua_engine_state(&h.e) == SALUA_ES_WAIT_STPG); i++)
		eh_step(&h, h.now + 1000);
	CHECK_EQ(eh_count(&h, 0, SALUA_CMD_STPG), 1);
	CHECK_EQ(eh_remove(&h, 0), 0);
	eh_sense(&h, 2, SALUA_SK_NOT_READY, 0x040a);   /* window: 1 s */
	CHECK(salua_engine_transitioning(&h.e));
	t0 = h.e.trans_start;
	CHECK_EQ(h.timer_at, t0 + 1000);      /* the retry pulled in */
	CHECK_EQ(eh_remove(&h, 2), 0);        /* no T path left */
	n0 = h.nlog;
	eh_run_until(&h, t0 + 1000);
	CHECK(h.nlog - n0 >= 1);
	CHECK_EQ(sub(&h, n0)->kind, SALUA_CMD_STPG);
	CHECK_EQ(sub(&h, n0)->at, t0 + 1000);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 0);
	CHECK_EQ(h.violations, 0);
}

/* ---- activate: the caller's storage -------------------------------------- */

static void act_fn(void *arg, int result)
{
	struct eh_act *x = (struct eh_act *)arg;

	x->calls++;
	x->result = result;
}

static void test_activate_storage(bool async)
{
	struct eh h;
	struct eh_act x, y;

	tcase(async, "activate without storage or callback does nothing");
	setup(&h, async, NULL, 2);
	salua_engine_activate(&h.e, 1, NULL, act_fn, &x);
	memset(&x, 0, sizeof(x));
	salua_engine_activate(&h.e, 1, &x.a, NULL, &x);
	CHECK(salua_engine_idle(&h.e));
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "activate: stale next and flags in reused storage are ignored");
	memset(&x, 0, sizeof(x));
	memset(&y, 0, sizeof(y));
	y.a.done = act_fn;
	y.a.arg = &y;
	y.a.path = 1;
	x.a.next = &y.a;                      /* left over from elsewhere */
	x.a.flags = 0xff;                     /* "STPG sent and refused" */
	salua_engine_activate(&h.e, 1, &x.a, act_fn, &x);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(x.calls, 1);
	CHECK_EQ(x.result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(y.calls, 0);
	CHECK_EQ(h.violations, 0);
}

/* ---- salua_engine_log_format(): every event, every branch ----------------- */

static const char *fmt(unsigned code, unsigned path, uint32_t a, uint32_t b,
		       uint32_t c)
{
	static char txt[160];
	struct salua_engine_log ev;
	size_t n;

	ev.code = (uint16_t)code;
	ev.path = (uint16_t)path;
	ev.a = a;
	ev.b = b;
	ev.c = c;
	memset(txt, 'x', sizeof(txt));
	n = salua_engine_log_format(&ev, txt, sizeof(txt));
	CHECK_EQ(n, strlen(txt));
	return txt;
}

static void test_log_format(void)
{
	static const struct { uint8_t st; char letter; } letters[] = {
		{ SALUA_STATE_AO, 'A' }, { SALUA_STATE_ANO, 'N' },
		{ SALUA_STATE_STANDBY, 'S' }, { SALUA_STATE_UNAVAILABLE, 'U' },
		{ SALUA_STATE_LBA_DEPENDENT, 'L' }, { SALUA_STATE_OFFLINE, 'O' },
		{ SALUA_STATE_TRANSITIONING, 'T' }, { 0x5, 'X' }, { 0xd, 'X' },
	};
	struct salua_engine_log ev;
	char small[8], want[64];
	unsigned i;

	T_CASE("log format: SUBMIT");
	CHECK_STR(fmt(SALUA_EV_SUBMIT, 3, SALUA_CMD_RTPG, 4294967295u, 65536),
		  "rtpg submitted on path 3 tag 4294967295 alloc 65536");
	CHECK_STR(fmt(SALUA_EV_SUBMIT, 0, SALUA_CMD_STPG, 10, 0),
		  "stpg submitted on path 0 tag 10");
	CHECK_STR(fmt(SALUA_EV_SUBMIT, 65534, SALUA_CMD_TUR, 0, 0),
		  "tur submitted on path 65534 tag 0");
	CHECK_STR(fmt(SALUA_EV_SUBMIT, 1, 3, 7, 0),
		  "? submitted on path 1 tag 7");

	T_CASE("log format: GROUP, every state letter and supported bit");
	for (i = 0; i < SALUA_ARRAY_SIZE(letters); i++) {
		snprintf(want, sizeof(want), "port group 0xabcd state %c supports tolusna",
			 letters[i].letter);
		CHECK_STR(fmt(SALUA_EV_GROUP, 0, 0xabcd, letters[i].st, 0), want);
	}
	CHECK_STR(fmt(SALUA_EV_GROUP, 0, 0x0001, 0x80u | SALUA_STATE_ANO,
		      SALUA_SUP_T),
		  "port group 0x0001 state N preferred supports Tolusna");
	CHECK_STR(fmt(SALUA_EV_GROUP, 0, 0x0001, SALUA_STATE_AO, SALUA_SUP_O),
		  "port group 0x0001 state A supports tOlusna");
	CHECK_STR(fmt(SALUA_EV_GROUP, 0, 0x0001, SALUA_STATE_AO, SALUA_SUP_LBD),
		  "port group 0x0001 state A supports toLusna");
	CHECK_STR(fmt(SALUA_EV_GROUP, 0, 0x0001, SALUA_STATE_AO, SALUA_SUP_U),
		  "port group 0x0001 state A supports tolUsna");
	CHECK_STR(fmt(SALUA_EV_GROUP, 0, 0x0001, SALUA_STATE_AO, SALUA_SUP_S),
		  "port group 0x0001 state A supports toluSna");
	CHECK_STR(fmt(SALUA_EV_GROUP, 0, 0x0001, SALUA_STATE_AO, SALUA_SUP_ANO),
		  "port group 0x0001 state A supports tolusNa");
	CHECK_STR(fmt(SALUA_EV_GROUP, 0, 0x0001, SALUA_STATE_AO, SALUA_SUP_AO),
		  "port group 0x0001 state A supports tolusnA");
	CHECK_STR(fmt(SALUA_EV_GROUP, 0, 0xffff, 0x8fu, 0xff),
		  "port group 0xffff state T preferred supports TOLUSNA");

	T_CASE("log format: the other events");
	CHECK_STR(fmt(SALUA_EV_EXT_FALLBACK, 0, 0, 0, 0),
		  "extended header refused, using classic RTPG");
	CHECK_STR(fmt(SALUA_EV_EXT_FALLBACK, 0, 1, 0, 0),
		  "extended answer shorter than its descriptors (RETURN DATA "
		  "LENGTH), using classic RTPG");
	CHECK_STR(fmt(SALUA_EV_EXT_FALLBACK, 0, 2, 0, 0),
		  "extended header refused, using classic RTPG");
	CHECK_STR(fmt(SALUA_EV_RESIZE, 0, 70000, 65536, 0),
		  "rtpg needs 70000 bytes, re-issuing with 65536");
	CHECK_STR(fmt(SALUA_EV_TRUNCATED, 0, 1000, 128, 0),
		  "rtpg data truncated: needs 1000 bytes, got 128");
	CHECK_STR(fmt(SALUA_EV_TRANSITION_START, SALUA_ENGINE_NO_PATH, 60, 0, 0),
		  "transitioning, timeout 60 s");
	CHECK_STR(fmt(SALUA_EV_TRANSITION_END, SALUA_ENGINE_NO_PATH, 1234, 0, 0),
		  "transition ended after 1234 ms");
	CHECK_STR(fmt(SALUA_EV_TRANSITION_TIMEOUT, SALUA_ENGINE_NO_PATH, 9, 0, 0),
		  "transition timed out after 9 s, groups set to standby");
	CHECK_STR(fmt(SALUA_EV_SIBLING, 2, 2, 5, 0),
		  "path 2 failed, retrying on path 5");
	CHECK_STR(fmt(SALUA_EV_CMD_ERROR, 4, SALUA_CMD_TUR,
		      SALUA_XFER_TIMEOUT << 8, 0),
		  "tur timed out on path 4");
	CHECK_STR(fmt(SALUA_EV_CMD_ERROR, 4, SALUA_CMD_STPG,
		      SALUA_XFER_TRANSPORT << 8, 0),
		  "stpg transport error on path 4");
	CHECK_STR(fmt(SALUA_EV_CMD_ERROR, 1, 9, 0x28, 0xffff),
		  "? status 0x28 asc 0xffff on path 1");
	CHECK_STR(fmt(SALUA_EV_CMD_ERROR, 1, 3, 0x28, 0xffff),
		  "? status 0x28 asc 0xffff on path 1");
	CHECK_STR(fmt(SALUA_EV_CMD_ERROR, 1, SALUA_CMD_RTPG, 0x08, 0x0401),
		  "rtpg status 0x08 asc 0x0401 on path 1");
	CHECK_STR(fmt(SALUA_EV_ACTIVATED, 6, SALUA_ACTIVATE_FAILED, 0, 0),
		  "activation of path 6 done: 6");
	CHECK_STR(fmt(SALUA_EV_STALE, SALUA_ENGINE_NO_PATH, 123456, 0, 0),
		  "stale completion tag 123456");
	CHECK_STR(fmt(0, 0, 0, 0, 0), "event 0");
	CHECK_STR(fmt(SALUA_EV_IDENTITY, 2, 1, 0, 0),
		  "path 2 leads to another logical unit: removed");
	CHECK_STR(fmt(SALUA_EV_STATE + 1, 0, 0, 0, 0), "event 15");
	CHECK_STR(fmt(SALUA_EV_STATE, 0, SALUA_ES_IDLE, SALUA_ES_WAIT_RTPG,
		      SALUA_EC_REQUEST),
		  "state IDLE -> WAIT_RTPG (REQUEST)");
	CHECK_STR(fmt(SALUA_EV_STATE, 0, SALUA_ES_COUNT, SALUA_ES_TUR,
		      SALUA_EC_COUNT),
		  "state ? -> TUR (?)");
	CHECK_STR(fmt(65535, 0, 0, 0, 0), "event 65535");

	T_CASE("log format: short buffers, no buffer, no event");
	ev.code = SALUA_EV_STALE;
	ev.path = SALUA_ENGINE_NO_PATH;
	ev.a = 42;
	ev.b = ev.c = 0;
	memset(small, 'x', sizeof(small));
	CHECK_EQ(salua_engine_log_format(&ev, small, sizeof(small)), 7);
	CHECK_STR(small, "stale c");
	memset(small, 'x', sizeof(small));
	CHECK_EQ(salua_engine_log_format(&ev, small, 1), 0);
	CHECK_EQ(small[0], '\0');
	CHECK_EQ(small[1], 'x');
	memset(small, 'x', sizeof(small));
	CHECK_EQ(salua_engine_log_format(&ev, small, 0), 0);
	CHECK_EQ(small[0], 'x');
	CHECK_EQ(salua_engine_log_format(&ev, NULL, 100), 0);
	memset(small, 'x', sizeof(small));
	CHECK_EQ(salua_engine_log_format(NULL, small, sizeof(small)), 0);
	CHECK_EQ(small[0], '\0');
	CHECK_EQ(salua_engine_log_format(NULL, NULL, 0), 0);
}

int main(void)
{
	int m;

	for (m = 0; m < 2; m++) {
		bool async = m != 0;

		test_add_path_asks_new_path(async);
		test_sibling_order(async);
		test_sibling_kinds(async);
		test_stpg_on_own_path(async);
		test_retry_budgets(async);
		test_resize_budget(async);
		test_poll_failures(async);
		test_busy_in_window(async);
		test_itt_shrinks(async);
		test_standby_poll_edges(async);
		test_expired_reset(async);
		test_sense_groups(async);
		test_no_paths(async);
		test_activation_decisions(async);
		test_rtpg_not_data(async);
		test_clock_zero(async);
		test_log_events(async);
		test_forced_after_stpg(async);
		test_stpg_lost_in_window(async);
		test_resize_cap_in_run(async);
		test_poll_retry_budget(async);
		test_resize_after_good(async);
		test_array_hold_edges(async);
		test_stpg_answers(async);
		test_array_hold_origin(async);
		test_request_counters(async);
		test_rescan_over_tur_poll(async);
		test_run_after_polls(async);
		test_remove_more(async);
		test_rescan_before_deadline(async);
		test_deadline_without_t(async);
		test_activate_storage(async);
		test_readd_forgets(async);
		test_add_copies_sibling(async);
		test_io_waiting_edges(async);
		test_state_log(async);
		test_followup_delay(async);
	}
	test_config_default();
	test_entry_guards();
	test_remove_inflight_more();
	test_tur_at_deadline();
	test_no_timer_after_window();
	test_slot_gen();
	test_tur_after_expiry();
	test_remove_last_usable();
	test_followup_budget_in_window();
	test_activation_waits_followup();
	test_answer_at_deadline();
	test_rescan_during_poll();
	test_remove_stpg_inflight();
	test_window_by_sense_inflight();
	test_init();
	test_initial_alloc();
	test_log_format();
	return t_done("engine_edges");
}
