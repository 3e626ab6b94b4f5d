/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/engine.h against a scripted fake array (tests/lib/engine_harness.h),
 * every required behaviour in both completion modes: synchronous (the
 * completion arrives inside submit(), as SG_IO) and asynchronous (later,
 * as the kernel or libiscsi).
 */
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

/* Standard setup: 2 paths (path i through port i), settled. */
static void setup2(struct eh *h, bool async, const struct salua_engine_config *cfg)
{
	eh_init(h, cfg, async);
	h->fake.latency_ms = async ? 10 : 0;
	CHECK_EQ(eh_add(h, 0, 0), 0);
	CHECK_EQ(eh_add(h, 1, 1), 0);
	CHECK(eh_settle(h, 10000));
}

static void test_first_rtpg(bool async)
{
	struct eh h;
	const struct eh_sub *s;
	static const uint8_t cdb[12] = { 0xa3, 0x2a, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0 };

	tcase(async, "first RTPG after a short delay, updates every path");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = async ? 10 : 0;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK_EQ(h.nlog, 0);             /* nothing sent at once */
	CHECK(h.timer_armed);
	CHECK_EQ(h.timer_at, 1005);      /* 5 ms, Linux ALUA_RTPG_DELAY_MSECS */
	eh_run_until(&h, 1004);
	CHECK_EQ(h.nlog, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 1);             /* two adds coalesce into one RTPG */
	s = eh_last(&h, 0);
	CHECK_EQ(s->at, 1005);
	CHECK_EQ(s->kind, SALUA_CMD_RTPG);
	CHECK_MEM(s->cdb, cdb, 12);
	CHECK_EQ(s->din_len, 128);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK(h.pref[0]);
	CHECK_EQ(h.sup[0], 0xcf);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK(!h.pref[1]);
	CHECK_EQ(h.notifies, 2);
	CHECK(!h.timer_armed);
	CHECK(salua_engine_idle(&h.e));
	CHECK_EQ(salua_engine_get_counters(&h.e)->rtpg, 1);
	CHECK_EQ(h.violations, 0);

	tcase(async, "new path copies its group's state, then confirms");
	h.present[2] = true;
	h.port[2] = 2;
	CHECK_EQ(salua_engine_add_path(&h.e, 2, 3, 0x0100, true), 0);
	CHECK(h.known[2]);
	CHECK_EQ(h.st[2], SALUA_STATE_AO);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->rtpg, 2);
	CHECK_EQ(salua_engine_add_path(&h.e, 2, 3, 0x0100, true), -SALUA_EBUSY);
	CHECK_EQ(salua_engine_add_path(&h.e, EH_MAX_PATHS, 3, 1, true), -SALUA_EINVAL);
	CHECK_EQ(h.violations, 0);
}

static void test_coalesce(bool async)
{
	struct eh h;
	unsigned i, n0;
	const struct eh_sub *s;
	uint64_t t_last;

	tcase(async, "rescans coalesce into exactly one follow-up");
	setup2(&h, async, NULL);
	n0 = h.nlog;
	for (i = 0; i < 10; i++)
		salua_engine_rescan(&h.e);
	CHECK_EQ(h.nlog, n0);            /* still waiting for the delay */
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, n0 + 1);
	if (async) {
		/* Requests while the RTPG is in flight. */
		salua_engine_rescan(&h.e);
		eh_run_for(&h, 6);       /* RTPG submitted at +5, in flight */
		CHECK_EQ(h.nlog, n0 + 2);
		CHECK_EQ(h.inflight_rtpg, 1);
		for (i = 0; i < 7; i++) {
			salua_engine_rescan(&h.e);
			eh_run_for(&h, 1);
		}
		t_last = h.now;
		CHECK_EQ(h.nlog, n0 + 2);  /* not a second one in flight */
		CHECK(eh_settle(&h, 1000));
		CHECK_EQ(h.nlog, n0 + 3);  /* exactly one follow-up */
		s = eh_last(&h, 0);
		CHECK(s->at >= t_last);    /* starts after the last request */
		CHECK_EQ(h.max_inflight_rtpg, 1);
	}
	CHECK(salua_engine_get_counters(&h.e)->coalesced >= 9);
	CHECK_EQ(h.violations, 0);
}

static void test_ext_fallback(bool async)
{
	struct eh h;
	const struct eh_sub *s;

	tcase(async, "extended header refused: classic, remembered");
	eh_init(&h, NULL, async);
	h.fake.ext_refuse = true;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(eh_last(&h, 1)->cdb[1], 0x2a);
	CHECK_EQ(eh_last(&h, 0)->cdb[1], 0x0a);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(salua_engine_get_counters(&h.e)->ext_fallbacks, 1);
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 3);
	s = eh_last(&h, 0);
	CHECK_EQ(s->cdb[1], 0x0a);
	CHECK_EQ(salua_engine_get_counters(&h.e)->ext_fallbacks, 1);

	tcase(async, "ILLEGAL REQUEST with ASC 00 also falls back");
	eh_init(&h, NULL, async);
	{
		struct eh_resp r = eh_check(SALUA_SK_ILLEGAL_REQUEST, 0x0000);
		eh_script(&h, SALUA_CMD_RTPG, -1, &r);
	}
	eh_add(&h, 0, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(eh_last(&h, 0)->cdb[1], 0x0a);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	tcase(async, "target ignoring the extended bit (scsi_debug) decodes");
	eh_init(&h, NULL, async);
	h.fake.ext_ignore = true;
	h.fake.itt = 9;
	eh_add(&h, 0, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.e.trans_s, 255); /* classic header: no transition time */
	CHECK_EQ(h.violations, 0);
}

static void test_resize(bool async)
{
	struct eh h;
	struct salua_engine_config cfg;

	tcase(async, "RETURN DATA LENGTH > allocation: re-issue once, remembered");
	eh_init(&h, NULL, async);
	h.fake.pad_groups = 40; /* 8 + 2*(8+16) + 40*8 = 376 bytes */
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(eh_last(&h, 1)->din_len, 128);
	CHECK_EQ(eh_last(&h, 0)->din_len, 376);
	CHECK_EQ(salua_engine_get_counters(&h.e)->resizes, 1);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 3);
	CHECK_EQ(eh_last(&h, 0)->din_len, 376);

	tcase(async, "capped by the caller's buffer, bounded, complete groups only");
	salua_engine_config_default(&cfg);
	memset(&h, 0, sizeof(h));
	eh_init(&h, &cfg, async);
	/* re-init with a 100-byte buffer */
	CHECK_EQ(salua_engine_init(&h.e, &cfg, &h.ops, &h, h.paths, EH_MAX_PATHS,
				   h.buf, 100), 0);
	h.fake.pad_groups = 40;
	h.fake.state[1] = SALUA_STATE_ANO;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 1);   /* 100 < 128: started at the cap, cannot grow */
	CHECK_EQ(eh_last(&h, 0)->din_len, 100);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);   /* both real groups fit in 56 */
	CHECK_EQ(h.st[1], SALUA_STATE_ANO);
	CHECK_EQ(salua_engine_get_counters(&h.e)->resizes, 0);

	tcase(async, "cap at 4 KiB buffer: one resize, then truncated data applied");
	eh_init(&h, NULL, async);
	h.fake.pad_groups = 600; /* 4856 bytes > 4096 */
	eh_add(&h, 0, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(eh_last(&h, 0)->din_len, 4096);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

static void test_transition(bool async, bool fixed)
{
	struct eh h;
	struct salua_engine_config cfg;
	unsigned i, n0;
	uint64_t t0;
	static const uint64_t adaptive[] = { 100, 200, 400, 800, 1600, 2000, 2000 };

	tcase(async, fixed ? "transition: fixed 2 s re-poll with TUR pre-check"
			   : "transition: adaptive re-poll 100 ms doubling to 2 s");
	salua_engine_config_default(&cfg);
	if (fixed)
		cfg.poll_mode = SALUA_POLL_FIXED;
	eh_init(&h, &cfg, async);
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	eh_run_for(&h, 5);
	t0 = h.now;
	CHECK_EQ(h.nlog, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_TRANSITIONING);
	CHECK(salua_engine_transitioning(&h.e));
	CHECK_EQ(h.e.trans_end - h.e.trans_start, 255000); /* default */
	n0 = h.nlog;
	for (i = 0; i < SALUA_ARRAY_SIZE(adaptive); i++) {
		uint64_t want = fixed ? 2000 : adaptive[i];
		CHECK(h.timer_armed);
		CHECK_EQ(h.timer_at - h.now, want);
		eh_run_until(&h, h.timer_at);
		CHECK_EQ(h.nlog, n0 + i + 1);
		CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_TUR); /* pre-check */
	}
	CHECK_EQ(salua_engine_get_counters(&h.e)->rtpg, 1);
	/* The transition ends: the next TUR passes and an RTPG follows. */
	h.fake.state[0] = SALUA_STATE_STANDBY;
	h.fake.state[1] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_last(&h, 1)->kind, SALUA_CMD_TUR);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK(!salua_engine_transitioning(&h.e));
	CHECK(!h.timer_armed);
	CHECK(h.now > t0);
	CHECK_EQ(h.violations, 0);
}

static void test_transition_timeout(bool async)
{
	struct eh h;
	struct eh_act *a;
	uint64_t start;

	tcase(async, "transition timeout from the extended header: STANDBY + error");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = async ? 20 : 0;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 3;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	eh_run_for(&h, 5 + h.fake.latency_ms);
	CHECK(salua_engine_transitioning(&h.e));
	start = h.e.trans_start;
	CHECK_EQ(h.e.trans_end - start, 3000);
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 10000));
	CHECK(h.now <= start + 3000);   /* no later than the timeout */
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_TIMEOUT);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);  /* the terminal state */
	CHECK(h.pref[0]);                        /* PREF kept */
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);  /* untouched group */
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK(!h.timer_armed);
	CHECK(salua_engine_idle(&h.e));
	/* A later RTPG still saying T does not reopen the expired window... */
	h.fake.latency_ms = 0;
	{
		struct eh_resp r = eh_check(SALUA_SK_NOT_READY, 0x040a);
		salua_engine_sense(&h.e, 0, r.status, r.sense, r.sense_len);
	}
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	/* ...but a forced rescan (UA 2A/06) does. */
	eh_sense(&h, 1, SALUA_SK_UNIT_ATTENTION, 0x2a06);
	eh_run_for(&h, 10);
	CHECK_EQ(h.st[0], SALUA_STATE_TRANSITIONING);
	CHECK(salua_engine_transitioning(&h.e));
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);

	tcase(async, "transition timeout does not wait for a dropped command");
	eh_init(&h, NULL, async);
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 1;
	eh_add(&h, 0, 0);
	eh_run_for(&h, 5);
	start = h.e.trans_start;
	{
		struct eh_resp r = eh_xfer(SALUA_XFER_OK);
		r.drop = true; /* 30 s command timeout */
		eh_script(&h, SALUA_CMD_TUR, -1, &r);
	}
	if (async) {
		eh_run_until(&h, start + 1000);
		CHECK_EQ(h.st[0], SALUA_STATE_STANDBY); /* at expiry, not +30 s */
		CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	}
	CHECK(eh_settle(&h, 60000));
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK(!h.timer_armed);
	CHECK_EQ(h.violations, 0);
}

static void test_standby_poll(bool async)
{
	struct eh h;
	struct salua_engine_config cfg;
	uint64_t start, t0;
	unsigned n0, notifies, i;

	tcase(async, "standby_poll_ms: after the timeout, a slow RTPG re-poll");
	salua_engine_config_default(&cfg);
	CHECK_EQ(cfg.standby_poll_ms, 0);    /* off by default */
	cfg.standby_poll_ms = 10000;
	eh_init(&h, &cfg, async);
	h.fake.latency_ms = async ? 20 : 0;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING; /* stuck for good */
	h.fake.itt = 3;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	eh_run_for(&h, 5 + h.fake.latency_ms);
	start = h.e.trans_start;
	eh_run_until(&h, start + 3000 + 100);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK(!salua_engine_idle(&h.e));
	CHECK(h.timer_armed);
	CHECK_EQ(h.timer_at, start + 3000 + 10000);
	n0 = h.nlog;
	notifies = h.notifies;
	t0 = h.timer_at;
	eh_run_until(&h, t0 + 3 * 10000 - 1);
	CHECK_EQ(eh_count(&h, n0, -1), 3);   /* one RTPG per 10 s, no TURs */
	CHECK_EQ(eh_count(&h, n0, SALUA_CMD_RTPG), 3);
	for (i = 0; i < 3; i++)
		CHECK_EQ(h.log[(n0 + i) % EH_LOG].at,
			 t0 + i * (10000u + h.fake.latency_ms));
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY); /* still T: still shown S */
	CHECK_EQ(h.notifies, notifies);
	CHECK(!salua_engine_transitioning(&h.e));

	tcase(async, "standby_poll_ms: the recovery is seen, then idle");
	h.fake.state[0] = SALUA_STATE_AO;
	n0 = h.nlog;
	CHECK(eh_settle(&h, 20000));
	CHECK_EQ(eh_count(&h, n0, -1), 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK(h.pref[0]);
	CHECK(salua_engine_idle(&h.e));
	CHECK(!h.timer_armed);
	eh_run_for(&h, 60000);
	CHECK_EQ(eh_count(&h, n0, -1), 1);
	CHECK_EQ(h.violations, 0);

	tcase(async, "standby_poll_ms: not while another group is usable");
	eh_init(&h, &cfg, async);
	h.fake.latency_ms = async ? 20 : 0;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	h.fake.state[1] = SALUA_STATE_ANO;
	h.fake.itt = 3;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[1], SALUA_STATE_ANO);
	CHECK(!h.timer_armed);
	CHECK_EQ(h.violations, 0);

	tcase(async, "standby_poll_ms off: idle after the timeout, nothing sent");
	eh_init(&h, NULL, async);
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	h.fake.itt = 3;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	n0 = h.nlog;
	eh_run_for(&h, 120000);
	CHECK_EQ(h.nlog, n0);
	CHECK(salua_engine_idle(&h.e));
	CHECK_EQ(h.violations, 0);
}

/*
 * Regression (cf54b9c): after a transition timeout the engine sits idle
 * because another group is still usable (ANO or AO); when that group's
 * last path is removed, the standby re-poll must start from the removal,
 * not wait for some unrelated event.
 */
static void test_standby_poll_after_remove(bool async)
{
	static const uint8_t usable[2] = { SALUA_STATE_ANO, SALUA_STATE_AO };
	struct eh h;
	struct salua_engine_config cfg;
	const struct eh_sub *s;
	uint64_t tr;
	unsigned n0, v, i;

	salua_engine_config_default(&cfg);
	cfg.standby_poll_ms = 10000;
	for (v = 0; v < 2; v++) {
		tcase(async, v ? "standby_poll_ms: starts when the last AO path is removed"
			       : "standby_poll_ms: starts when the last ANO path is removed");
		/* paths 0 and 2 in group 0x0100 (stuck T), path 1 in 0x0200 */
		eh_init(&h, &cfg, async);
		h.fake.latency_ms = async ? 20 : 0;
		h.fake.state[0] = SALUA_STATE_TRANSITIONING;
		h.fake.state[1] = usable[v];
		h.fake.pref[0] = false;
		h.fake.itt = 3;
		CHECK_EQ(eh_add(&h, 0, 0), 0);
		CHECK_EQ(eh_add(&h, 1, 1), 0);
		CHECK_EQ(eh_add(&h, 2, 2), 0);
		CHECK(eh_settle(&h, 10000));
		CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
		CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
		CHECK_EQ(h.st[2], SALUA_STATE_STANDBY);
		CHECK_EQ(h.st[1], usable[v]);   /* the last usable path */
		CHECK(salua_engine_idle(&h.e));  /* no poll: 0x0200 is usable */
		CHECK(!h.timer_armed);
		n0 = h.nlog;
		eh_run_for(&h, 1234);            /* off any earlier boundary */
		CHECK_EQ(h.nlog, n0);

		tr = h.now;
		CHECK_EQ(eh_remove(&h, 1), 0);
		CHECK_EQ(h.nlog, n0);            /* nothing sent at once */
		CHECK(!salua_engine_idle(&h.e));
		CHECK(h.timer_armed);
		CHECK_EQ(h.timer_at, tr + 10000);
		eh_run_until(&h, tr + 10000 - 1);
		CHECK_EQ(h.nlog, n0);
		eh_run_until(&h, tr + 10000);
		CHECK_EQ(eh_count(&h, n0, -1), 1);
		s = eh_last(&h, 0);
		CHECK(s != NULL);
		if (s) {
			CHECK_EQ(s->at, tr + 10000);
			CHECK_EQ(s->kind, SALUA_CMD_RTPG);
			CHECK(s->path == 0 || s->path == 2);
		}
		/* ...and every standby_poll_ms after each answer, RTPG only. */
		eh_run_until(&h, tr + 10000 + 4 * (10000u + h.fake.latency_ms) - 1);
		CHECK_EQ(eh_count(&h, n0, -1), 4);
		CHECK_EQ(eh_count(&h, n0, SALUA_CMD_RTPG), 4);
		for (i = 0; i < 4; i++) {
			s = &h.log[(n0 + i) % EH_LOG];
			CHECK_EQ(s->at, tr + 10000 + i * (10000u + h.fake.latency_ms));
			CHECK(s->path == 0 || s->path == 2);
		}
		CHECK_EQ(h.st[0], SALUA_STATE_STANDBY); /* still T: shown S */
		CHECK_EQ(h.st[2], SALUA_STATE_STANDBY);
		CHECK(h.timer_armed);           /* the fifth, one period on */
		CHECK_EQ(h.timer_at, tr + 10000 + 4 * (10000u + h.fake.latency_ms));

		/* Group 0x0100 becomes usable: seen by the next poll, then idle. */
		h.fake.state[0] = usable[v];
		n0 = h.nlog;
		CHECK(eh_settle(&h, 20000));
		CHECK_EQ(eh_count(&h, n0, -1), 1);
		CHECK_EQ(eh_count(&h, n0, SALUA_CMD_RTPG), 1);
		CHECK_EQ(eh_last(&h, 0)->at,
			 tr + 10000 + 4 * (10000u + h.fake.latency_ms));
		CHECK_EQ(h.st[0], usable[v]);
		CHECK_EQ(h.st[2], usable[v]);
		CHECK(salua_engine_idle(&h.e));
		CHECK(!h.timer_armed);
		eh_run_for(&h, 60000);
		CHECK_EQ(h.nlog, n0 + 1);
		CHECK_EQ(h.violations, 0);
	}
}

static void test_sibling(bool async)
{
	struct eh h;
	struct eh_resp r;
	struct eh_act *a;

	tcase(async, "transport failure: retry through a sibling path");
	eh_init(&h, NULL, async);
	r = eh_xfer(SALUA_XFER_TRANSPORT);
	eh_script(&h, SALUA_CMD_RTPG, 0, &r);
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(eh_last(&h, 1)->path, 0);
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(salua_engine_get_counters(&h.e)->siblings, 1);

	tcase(async, "command timeout: sibling after the command timeout");
	eh_init(&h, NULL, async);
	r = eh_xfer(SALUA_XFER_OK);
	r.drop = true;
	eh_script(&h, SALUA_CMD_RTPG, 0, &r);
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 100000));
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK_EQ(eh_last(&h, 0)->at, 1005 + 30000);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);

	tcase(async, "NOT READY on RTPG (port refuses): sibling");
	eh_init(&h, NULL, async);
	r = eh_check(SALUA_SK_NOT_READY, 0x040c);
	eh_script(&h, SALUA_CMD_RTPG, 0, &r);
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	tcase(async, "every path fails: run fails, activation IO, idle");
	eh_init(&h, NULL, async);
	r = eh_xfer(SALUA_XFER_TRANSPORT);
	eh_script(&h, SALUA_CMD_RTPG, -1, &r);
	eh_script(&h, SALUA_CMD_RTPG, -1, &r);
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_IO);
	CHECK(!h.timer_armed);
	CHECK(!h.known[0]);
	CHECK_EQ(h.violations, 0);
}

static int submit_refuse_path0(void *ctx, unsigned path,
			       const struct salua_engine_cmd *cmd)
{
	if (path == 0)
		return -1;
	return eh_submit_op(ctx, path, cmd);
}

static void test_submit_error(bool async)
{
	struct eh h;

	tcase(async, "submit() refusing: transport failure, sibling");
	eh_init(&h, NULL, async);
	h.ops.submit = submit_refuse_path0;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(salua_engine_get_counters(&h.e)->siblings, 1);
	CHECK_EQ(salua_engine_get_counters(&h.e)->rtpg, 2);
}

static void test_retry(bool async)
{
	struct eh h;
	struct eh_resp r;
	unsigned i;

	tcase(async, "UNIT ATTENTION on RTPG: retried at once");
	eh_init(&h, NULL, async);
	r = eh_check(SALUA_SK_UNIT_ATTENTION, 0x2a06);
	eh_script(&h, SALUA_CMD_RTPG, -1, &r);
	eh_add(&h, 0, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(eh_last(&h, 0)->path, 0);
	CHECK_EQ(eh_last(&h, 0)->at, eh_last(&h, 1)->at + (async ? 0u : 0u));
	CHECK_EQ(salua_engine_get_counters(&h.e)->retries, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	tcase(async, "BUSY on RTPG: retried after 100 ms");
	eh_init(&h, NULL, async);
	r = eh_status(SALUA_STATUS_BUSY);
	eh_script(&h, SALUA_CMD_RTPG, -1, &r);
	eh_add(&h, 0, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 2);
	CHECK_EQ(eh_last(&h, 0)->at - eh_last(&h, 1)->at, 100);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	tcase(async, "endless UA: bounded by max_retries, then idle");
	eh_init(&h, NULL, async);
	r = eh_check(SALUA_SK_UNIT_ATTENTION, 0x2900);
	for (i = 0; i < 10; i++)
		eh_script(&h, SALUA_CMD_RTPG, -1, &r);
	eh_add(&h, 0, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, 6); /* 1 + 5 retries */
	CHECK(!h.known[0]);
	CHECK(!h.timer_armed);

	tcase(async, "04/0A on RTPG: transitioning without parsing");
	eh_init(&h, NULL, async);
	r = eh_check(SALUA_SK_NOT_READY, 0x040a);
	eh_script(&h, SALUA_CMD_RTPG, -1, &r);
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	eh_run_for(&h, 6);
	CHECK_EQ(h.st[0], SALUA_STATE_TRANSITIONING);
	CHECK(!h.known[1]);
	CHECK(salua_engine_transitioning(&h.e));
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO); /* fake says AO once asked again */
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.violations, 0);
}

static void test_activate(bool async)
{
	struct eh h;
	struct eh_act *a, *b;
	const struct eh_sub *s;
	struct salua_engine_config cfg;
	static const uint8_t stpg_cdb[12] = { 0xa4, 0x0a, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0 };
	static const uint8_t stpg_list[8] = { 0, 0, 0, 0, 0, 0, 0x02, 0x00 };

	tcase(async, "activate AO path: OK, no STPG");
	setup2(&h, async, NULL);
	a = eh_activate(&h, 0);
	CHECK_EQ(a->calls, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 0);

	tcase(async, "activate standby path: RTPG, STPG own group only, RTPG");
	setup2(&h, async, NULL);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(eh_last(&h, 2)->kind, SALUA_CMD_RTPG);
	s = eh_last(&h, 1);
	CHECK_EQ(s->kind, SALUA_CMD_STPG);
	CHECK_EQ(s->path, 1);
	CHECK_MEM(s->cdb, stpg_cdb, 12);
	CHECK_EQ(s->dout_len, 8);
	CHECK_MEM(s->dout, stpg_list, 8);
	CHECK_EQ(h.fake.stpg_last_n, 1);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);

	tcase(async, "two activations of one group: one STPG, both complete once");
	setup2(&h, async, NULL);
	a = eh_activate(&h, 1);
	b = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(b->calls, 1);
	CHECK_EQ(b->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 1);

	tcase(async, "ANO with optimize_stpg, no PREF, implicit: no STPG");
	salua_engine_config_default(&cfg);
	cfg.flags |= SALUA_ENGINE_F_OPTIMIZE_STPG;
	eh_init(&h, &cfg, async);
	h.fake.state[1] = SALUA_STATE_ANO;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 1000));
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 0);
	tcase(async, "ANO with optimize_stpg but PREF: STPG");
	h.fake.pref[1] = true;
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 1);
	tcase(async, "ANO without optimize_stpg: STPG");
	eh_init(&h, NULL, async);
	h.fake.state[1] = SALUA_STATE_ANO;
	eh_add(&h, 1, 1);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 1);
	tcase(async, "ANO, optimize_stpg, implicit-only TPGS: no STPG");
	cfg.tpgs = SALUA_TPGS_IMPLICIT;
	eh_init(&h, &cfg, async);
	h.fake.state[1] = SALUA_STATE_ANO;
	eh_add(&h, 1, 1);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 0);

	tcase(async, "no explicit TPGS: standby cannot be activated, no STPG");
	salua_engine_config_default(&cfg);
	cfg.tpgs = SALUA_TPGS_IMPLICIT;
	eh_init(&h, &cfg, async);
	eh_add(&h, 1, 1);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_NOTSUP);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 0);

	tcase(async, "offline: OFFLINE; LBA-dependent: OK (carries I/O); no STPG");
	eh_init(&h, NULL, async);
	h.fake.state[0] = SALUA_STATE_OFFLINE;
	h.fake.state[1] = SALUA_STATE_LBA_DEPENDENT;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	a = eh_activate(&h, 0);
	b = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OFFLINE);
	CHECK_EQ(b->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(a->calls + b->calls, 2);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 0);

	tcase(async, "STPG refused: NOTSUP after the RTPG");
	setup2(&h, async, NULL);
	{
		struct eh_resp r = eh_check(SALUA_SK_ILLEGAL_REQUEST, 0x2000);
		eh_script(&h, SALUA_CMD_STPG, -1, &r);
	}
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_NOTSUP);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG); /* RTPG after STPG */

	tcase(async, "STPG accepted but array keeps it standby: FAILED");
	setup2(&h, async, NULL);
	{
		struct eh_resp r = eh_status(SALUA_STATUS_GOOD);
		eh_script(&h, SALUA_CMD_STPG, -1, &r);
	}
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_FAILED);

	tcase(async, "BUSY on STPG, rescan during the retry delay: STPG still sent");
	setup2(&h, async, NULL);
	{
		struct eh_resp r = eh_status(SALUA_STATUS_BUSY);
		eh_script(&h, SALUA_CMD_STPG, -1, &r);
	}
	a = eh_activate(&h, 1);
	eh_run_for(&h, 50);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_STPG);
	CHECK_EQ(a->calls, 0);
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 2);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);

	tcase(async, "activate on a path never added: REMOVED at once");
	setup2(&h, async, NULL);
	a = eh_activate(&h, 5);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);

	tcase(async, "path removed while its activation waits: REMOVED once");
	setup2(&h, async, NULL);
	h.fake.latency_ms = 10;
	a = eh_activate(&h, 1);
	b = eh_activate(&h, 0);
	if (async)
		eh_run_for(&h, 7); /* RTPG in flight */
	CHECK_EQ(eh_remove(&h, 1), 0);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(b->calls, 1);
	CHECK_EQ(b->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.violations, 0);

	tcase(async, "activation during a transition waits for its end");
	eh_init(&h, NULL, async);
	h.fake.state[1] = SALUA_STATE_TRANSITIONING;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	a = eh_activate(&h, 1);
	eh_run_for(&h, 500);
	CHECK_EQ(a->calls, 0);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 0);
	h.fake.state[1] = SALUA_STATE_STANDBY;
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 1);
	CHECK_EQ(h.violations, 0);
}

/* Step until an STPG retry is due on the timer (phase TIMER, kind STPG). */
static bool wait_stpg_retry(struct eh *h)
{
	unsigned guard;

	for (guard = 0; guard < 1000; guard++) {
		if (salua_engine_state(&h->e) == SALUA_ES_WAIT_STPG &&
		    eh_count(h, 0, SALUA_CMD_STPG) == 1)
			return true;
		if (!eh_step(h, h->now + 100000))
			return false;
	}
	return false;
}

static void test_stpg_removed(bool async)
{
	struct eh h;
	struct eh_act *a, *b;
	struct eh_resp busy = eh_status(SALUA_STATUS_BUSY);
	const struct eh_sub *s;

	tcase(async, "STPG retry due, its path removed: RTPG instead, A/O stays");
	setup2(&h, async, NULL);
	eh_script(&h, SALUA_CMD_STPG, 1, &busy);
	a = eh_activate(&h, 1);
	CHECK(wait_stpg_retry(&h));
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK_EQ(eh_last(&h, 0)->dout[7], 0x00); /* naming group 0x0200 */
	CHECK_EQ(eh_last(&h, 0)->dout[6], 0x02);
	CHECK_EQ(a->calls, 0);
	CHECK_EQ(eh_remove(&h, 1), 0);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_count(&h, 0, SALUA_CMD_STPG), 1); /* only the BUSY one */
	CHECK_EQ(h.fake.stpg_seen, 0);
	s = eh_last(&h, 0);
	CHECK_EQ(s->kind, SALUA_CMD_RTPG);
	CHECK_EQ(s->path, 0);
	CHECK_EQ(h.fake.state[0], SALUA_STATE_AO);
	CHECK_EQ(h.fake.state[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(h.violations, 0);

	tcase(async, "STPG retry due, another activation of the group remains");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = async ? 10 : 0;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK_EQ(eh_add(&h, 2, 3), 0); /* port 3: group 0x0200 too */
	CHECK(eh_settle(&h, 10000));
	eh_script(&h, SALUA_CMD_STPG, 1, &busy);
	a = eh_activate(&h, 1);
	b = eh_activate(&h, 2);
	CHECK(wait_stpg_retry(&h));
	CHECK_EQ(eh_remove(&h, 1), 0);
	CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_count(&h, 0, SALUA_CMD_STPG), 2);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(h.fake.stpg_last_id, 0x0200);
	CHECK_EQ(b->calls, 1);
	CHECK_EQ(b->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.st[2], SALUA_STATE_AO);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(h.violations, 0);
}

static void test_shutdown(bool async)
{
	struct eh h;
	struct eh_act *a, *b, *c;
	struct eh_resp busy = eh_status(SALUA_STATUS_BUSY);
	struct salua_verdict v;
	unsigned n0, notifies;
	uint32_t stale0;

	tcase(async, "shutdown: activations REMOVED once, timer cancelled, idle");
	setup2(&h, async, NULL);
	eh_script(&h, SALUA_CMD_STPG, 1, &busy);
	a = eh_activate(&h, 1);
	b = eh_activate(&h, 0);
	CHECK(wait_stpg_retry(&h)); /* b done (AO), a waits for the retry */
	CHECK_EQ(b->calls, 1);
	CHECK_EQ(b->result, SALUA_ACTIVATE_OK);
	CHECK(h.timer_armed);
	n0 = h.nlog;
	salua_engine_shutdown(&h.e);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);
	CHECK_EQ(b->calls, 1);
	CHECK(!h.timer_armed);
	CHECK(salua_engine_idle(&h.e));
	CHECK(!salua_engine_transitioning(&h.e));
	salua_engine_shutdown(&h.e); /* twice: nothing more */
	CHECK_EQ(a->calls, 1);

	tcase(async, "after shutdown every call is a no-op");
	notifies = h.notifies;
	salua_engine_rescan(&h.e);
	salua_engine_timer(&h.e);
	v = eh_sense(&h, 0, SALUA_SK_UNIT_ATTENTION, 0x2a06);
	CHECK_EQ(v.disp, SALUA_DISP_REQUEUE);  /* verdict still given */
	v = eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	CHECK_EQ(v.disp, SALUA_DISP_DELAYED_RETRY);
	CHECK(!salua_engine_transitioning(&h.e));
	c = eh_activate(&h, 0);
	CHECK_EQ(c->calls, 1);
	CHECK_EQ(c->result, SALUA_ACTIVATE_REMOVED);
	h.present[2] = true;
	CHECK_EQ(salua_engine_add_path(&h.e, 2, 3, 0x0200, true), -SALUA_ESTATE);
	CHECK_EQ(salua_engine_remove_path(&h.e, 0), -SALUA_ESTATE);
	CHECK_EQ(salua_engine_path_get(&h.e, 0, NULL, NULL, NULL), 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.nlog, n0);             /* nothing submitted */
	CHECK_EQ(h.notifies, notifies);
	CHECK(!h.timer_armed);
	CHECK_EQ(h.violations, 0);

	if (!async)
		return; /* SG_IO: nothing is ever in flight between calls */
	tcase(async, "shutdown with a command in flight: its completion is stale");
	setup2(&h, async, NULL);
	h.fake.latency_ms = 50;
	salua_engine_rescan(&h.e);
	a = eh_activate(&h, 1);
	eh_run_for(&h, 10);               /* RTPG submitted at +5 */
	n0 = h.nlog;
	stale0 = salua_engine_get_counters(&h.e)->stale;
	CHECK_EQ(h.inflight_rtpg, 1);
	salua_engine_shutdown(&h.e);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_REMOVED);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, n0);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stale, stale0 + 1);
	CHECK_EQ(a->calls, 1);
	CHECK(salua_engine_idle(&h.e));
	CHECK_EQ(h.violations, 0);

	tcase(async, "init after shutdown starts afresh");
	CHECK_EQ(salua_engine_init(&h.e, NULL, &h.ops, &h, h.paths, EH_MAX_PATHS,
				   h.buf, h.buf_cap), 0);
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, n0 + 1);
	CHECK_EQ(salua_engine_path_get(&h.e, 0, NULL, NULL, NULL), 1);
	CHECK_EQ(h.violations, 0);
}

static void test_remove_inflight(void)
{
	struct eh h;
	int rc;

	T_CASE("async: remove path with RTPG in flight: stale completion ignored");
	eh_init(&h, NULL, true);
	h.fake.latency_ms = 50;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	eh_run_for(&h, 10);
	CHECK_EQ(h.nlog, 1);
	CHECK_EQ(eh_last(&h, 0)->path, 0);
	CHECK_EQ(eh_remove(&h, 0), 0);
	CHECK_EQ(h.nlog, 2);              /* re-issued on the sibling */
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->stale, 1);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.max_inflight_rtpg, 1);
	CHECK_EQ(eh_remove(&h, 0), -SALUA_ENOENT);
	rc = salua_engine_complete(&h.e, 12345, NULL);
	CHECK_EQ(rc, -SALUA_EINVAL);
	CHECK_EQ(h.violations, 0);

	T_CASE("async: remove the last path with a command in flight");
	eh_init(&h, NULL, true);
	h.fake.latency_ms = 50;
	eh_add(&h, 0, 0);
	eh_run_for(&h, 10);
	CHECK_EQ(eh_remove(&h, 0), 0);
	CHECK(!h.timer_armed);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(salua_engine_get_counters(&h.e)->stale, 1);
	CHECK(salua_engine_idle(&h.e));
	CHECK_EQ(h.violations, 0);
}

static void test_sense(bool async)
{
	struct eh h;
	struct salua_verdict v;
	unsigned n0;

	tcase(async, "04/0A on I/O marks the group transitioning and polls");
	setup2(&h, async, NULL);
	n0 = h.notifies;
	v = eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	CHECK_EQ(v.disp, SALUA_DISP_DELAYED_RETRY);
	CHECK_EQ(h.st[0], SALUA_STATE_TRANSITIONING);
	CHECK_EQ(h.notifies, n0 + 1);
	CHECK(salua_engine_transitioning(&h.e));
	CHECK(h.timer_armed);
	/* A storm of 04/0A while a poll is scheduled adds nothing. */
	eh_run_for(&h, 20);
	n0 = h.nlog;
	{
		unsigned i;
		for (i = 0; i < 50; i++)
			eh_sense(&h, 0, SALUA_SK_UNIT_ATTENTION, 0x040a);
	}
	CHECK_EQ(h.nlog, n0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO); /* fake array never moved */

	tcase(async, "2A/06 on I/O: requeue + rescan");
	n0 = h.nlog;
	v = eh_sense(&h, 1, SALUA_SK_UNIT_ATTENTION, 0x2a06);
	CHECK_EQ(v.disp, SALUA_DISP_REQUEUE);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, n0 + 1);

	tcase(async, "04/0B on I/O: failover, group standby, rescan");
	h.fake.state[0] = SALUA_STATE_STANDBY;
	h.fake.state[1] = SALUA_STATE_AO;
	v = eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040b);
	CHECK_EQ(v.disp, SALUA_DISP_FAILOVER);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.st[1], SALUA_STATE_AO);

	tcase(async, "29/04 on I/O: requeue, no rescan");
	n0 = h.nlog;
	v = eh_sense(&h, 1, SALUA_SK_UNIT_ATTENTION, 0x2904);
	CHECK_EQ(v.disp, SALUA_DISP_REQUEUE);
	CHECK(!h.timer_armed);
	CHECK_EQ(h.nlog, n0);
	CHECK_EQ(h.violations, 0);
}

/*
 * A one-path loop where the target answers every command (RTPG and TUR)
 * with NOT READY 04/0A, completions 1 ms after submit.  @feed 1: each of
 * the engine's own answers is also fed to salua_engine_sense() before its
 * completion (Linux 6.1 scsi_check_sense calls the handler's check_sense
 * for the handler's own commands); @feed 2: ordinary I/O on the path sees
 * 04/0A every 10 ms.
 */
struct lp {
	struct salua_engine e;
	struct salua_engine_ops ops;
	struct salua_engine_path paths[2];
	uint8_t buf[256];
	uint8_t sense[18];
	uint64_t now, timer_at, last_at, min_gap;
	bool armed, have;
	uint32_t tag;
	unsigned nsub;
	unsigned path[4];
	uint8_t *din[4];
	uint32_t tags[4];
};

static int lp_submit(void *ctx, unsigned path, const struct salua_engine_cmd *cmd)
{
	struct lp *l = (struct lp *)ctx;

	if (l->nsub && l->now - l->last_at < l->min_gap)
		l->min_gap = l->now - l->last_at;
	l->last_at = l->now;
	if (l->nsub < 4) {
		l->path[l->nsub] = path;
		l->din[l->nsub] = cmd->din;
		l->tags[l->nsub] = cmd->tag;
	}
	l->nsub++;
	l->tag = cmd->tag;
	l->have = true;
	return 0;
}

static void lp_arm(void *ctx, uint64_t at)
{
	((struct lp *)ctx)->timer_at = at;
	((struct lp *)ctx)->armed = true;
}

static void lp_cancel(void *ctx)
{
	((struct lp *)ctx)->armed = false;
}

static uint64_t lp_now(void *ctx)
{
	return ((struct lp *)ctx)->now;
}

static void lp_run(struct lp *l, int feed, uint64_t ms)
{
	struct salua_engine_completion c;
	uint64_t end, next_io;

	memset(l, 0, sizeof(*l));
	l->ops.submit = lp_submit;
	l->ops.arm = lp_arm;
	l->ops.cancel = lp_cancel;
	l->ops.now = lp_now;
	l->now = 1000;
	l->min_gap = UINT64_MAX;
	CHECK_EQ(salua_engine_init(&l->e, NULL, &l->ops, l, l->paths, 2, l->buf,
				   sizeof(l->buf)), 0);
	CHECK_EQ(salua_engine_add_path(&l->e, 0, 1, 0x0100, true), 0);
	salua_sense_build_fixed(l->sense, sizeof(l->sense), SALUA_SK_NOT_READY,
				0x04, 0x0a);
	salua_engine_sense(&l->e, 0, SALUA_STATUS_CHECK_CONDITION, l->sense,
			   sizeof(l->sense));
	end = l->now + ms;
	next_io = l->now + 10;
	while (l->now < end) {
		uint64_t t = l->have ? l->last_at + 1 : UINT64_MAX;

		if (l->armed && l->timer_at < t)
			t = l->timer_at;
		if (feed == 2 && next_io < t)
			t = next_io;
		if (t == UINT64_MAX || t >= end)
			break;
		if (t > l->now)
			l->now = t;
		if (feed == 2 && t == next_io) {
			salua_engine_sense(&l->e, 0, SALUA_STATUS_CHECK_CONDITION,
					   l->sense, sizeof(l->sense));
			next_io += 10;
		} else if (l->have && t == l->last_at + 1) {
			l->have = false;
			if (feed == 1)
				salua_engine_sense(&l->e, 0,
						   SALUA_STATUS_CHECK_CONDITION,
						   l->sense, sizeof(l->sense));
			memset(&c, 0, sizeof(c));
			c.status = SALUA_STATUS_CHECK_CONDITION;
			c.sense = l->sense;
			c.sense_len = sizeof(l->sense);
			CHECK_EQ(salua_engine_complete(&l->e, l->tag, &c), 0);
		} else {
			l->armed = false;
			salua_engine_timer(&l->e);
		}
	}
}

static void test_soft_inflight(void)
{
	static struct lp l;
	const struct salua_engine_counters *k = salua_engine_get_counters(&l.e);
	int feed;

	for (feed = 0; feed < 3; feed++) {
		T_CASE(feed == 0 ? "04/0A loop: poll schedule, nothing fed back"
		       : feed == 1 ? "04/0A loop: own answers fed to sense(): same schedule"
				   : "04/0A loop: I/O sees 04/0A every 10 ms: same schedule");
		lp_run(&l, feed, 10000);
		/* RTPG at 1005; TURs at 1106, 1307, 1708, 2509, 4110, 6111, 8112, 10113. */
		CHECK_EQ(k->rtpg, 1);
		CHECK_EQ(k->tur, 8);
		CHECK_EQ(l.nsub, 9);
		CHECK(l.min_gap >= 100);
		CHECK(salua_engine_transitioning(&l.e));
	}
}

/*
 * The contract behind struct salua_engine_cmd @din: after remove_path the
 * re-issue goes into the very same buffer, so the abandoned command must
 * not write to it any more; its completion is refused as stale.
 */
static void test_reissue_same_buffer(void)
{
	static struct lp l;
	struct salua_engine_completion c;

	T_CASE("remove_path: re-issue into the same din buffer, old tag stale");
	memset(&l, 0, sizeof(l));
	l.ops.submit = lp_submit;
	l.ops.arm = lp_arm;
	l.ops.cancel = lp_cancel;
	l.ops.now = lp_now;
	l.now = 1000;
	l.min_gap = UINT64_MAX;
	CHECK_EQ(salua_engine_init(&l.e, NULL, &l.ops, &l, l.paths, 2, l.buf,
				   sizeof(l.buf)), 0);
	CHECK_EQ(salua_engine_add_path(&l.e, 0, 1, 0x0100, true), 0);
	CHECK_EQ(salua_engine_add_path(&l.e, 1, 2, 0x0200, true), 0);
	l.now = l.timer_at;
	l.armed = false;
	salua_engine_timer(&l.e);
	CHECK_EQ(l.nsub, 1);
	CHECK_EQ(l.path[0], 0);
	CHECK(l.din[0] == l.buf);
	CHECK_EQ(salua_engine_remove_path(&l.e, 0), 0);
	CHECK_EQ(l.nsub, 2);              /* re-issued at once ... */
	CHECK_EQ(l.path[1], 1);
	CHECK(l.din[1] == l.din[0]);      /* ... into the same buffer */
	CHECK(l.tags[1] != l.tags[0]);
	memset(&c, 0, sizeof(c));
	c.data_len = 8;
	CHECK_EQ(salua_engine_complete(&l.e, l.tags[0], &c), -SALUA_ENOENT);
	CHECK_EQ(salua_engine_get_counters(&l.e)->stale, 1);
	CHECK_EQ(l.nsub, 2);
}

static char fb_text[128];
static uint32_t fb_a;
static unsigned fb_n;

static void fb_log(void *ctx, const struct salua_engine_log *ev)
{
	eh_log_op(ctx, ev);
	if (ev->code == SALUA_EV_EXT_FALLBACK) {
		fb_n++;
		fb_a = ev->a;
		salua_engine_log_format(ev, fb_text, sizeof(fb_text));
	}
}

/* LIO: RETURN DATA LENGTH leaves the 4 extended-header bytes out. */
static void lio_short(struct eh *h, const struct eh_pending *p)
{
	uint32_t rdl;

	if (p->kind != SALUA_CMD_RTPG || p->cdb1 != 0x2a || p->data_len < 8)
		return;
	rdl = salua_get_be32(h->buf);
	salua_put_be32(h->buf, rdl - 4u);
}

static void test_fallback_log(bool async)
{
	struct eh h;

	tcase(async, "fallback log: LIO's short extended answer, a = 1");
	eh_init(&h, NULL, async);
	h.ops.log = fb_log;
	h.pre = lio_short;
	fb_n = 0;
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(fb_n, 1);
	CHECK_EQ(fb_a, 1);
	CHECK_STR(fb_text, "extended answer shorter than its descriptors "
			   "(RETURN DATA LENGTH), using classic RTPG");
	CHECK_EQ(eh_last(&h, 0)->cdb[1], 0x0a);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);

	tcase(async, "fallback log: ILLEGAL REQUEST, a = 0");
	eh_init(&h, NULL, async);
	h.ops.log = fb_log;
	h.fake.ext_refuse = true;
	fb_n = 0;
	eh_add(&h, 0, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(fb_n, 1);
	CHECK_EQ(fb_a, 0);
	CHECK_STR(fb_text, "extended header refused, using classic RTPG");
	CHECK_EQ(h.violations, 0);
}

static void test_misc(void)
{
	struct eh h;
	struct salua_engine e;
	struct salua_engine_ops ops;
	struct salua_engine_path p[2];
	uint8_t buf[8];
	struct salua_engine_log ev;
	char txt[96];
	uint8_t st;
	bool pref;
	uint8_t sup;

	T_CASE("memory targets: <= 256 bytes per LU, <= 64 per path slot");
	CHECK(sizeof(struct salua_engine) <= 256);
	CHECK(sizeof(struct salua_engine_path) <= 64);
	printf("sizeof(struct salua_engine) = %zu, path slot = %zu\n",
	       sizeof(struct salua_engine), sizeof(struct salua_engine_path));

	T_CASE("init checks required ops and the buffer");
	memset(&ops, 0, sizeof(ops));
	memset(&e, 0, sizeof(e));
	CHECK_EQ(salua_engine_init(&e, NULL, &ops, NULL, p, 2, buf, 8), -SALUA_EINVAL);
	ops.submit = eh_submit_op;
	ops.arm = eh_arm_op;
	ops.cancel = eh_cancel_op;
	ops.now = eh_now_op;
	CHECK_EQ(salua_engine_init(&e, NULL, &ops, NULL, p, 2, buf, 7), -SALUA_EINVAL);
	CHECK_EQ(salua_engine_init(&e, NULL, &ops, NULL, NULL, 2, buf, 8), -SALUA_EINVAL);
	CHECK_EQ(salua_engine_init(&e, NULL, &ops, NULL, p, 2, buf, 8), 0);
	CHECK(salua_engine_idle(&e));

	T_CASE("init rejects transition_s 0 and cmd_timeout_ms 0");
	{
		struct salua_engine_config c;

		salua_engine_config_default(&c);
		c.transition_s = 0;
		CHECK_EQ(salua_engine_init(&e, &c, &ops, NULL, p, 2, buf, 8),
			 -SALUA_EINVAL);
		c.transition_s = 1;
		c.cmd_timeout_ms = 0;
		CHECK_EQ(salua_engine_init(&e, &c, &ops, NULL, p, 2, buf, 8),
			 -SALUA_EINVAL);
		c.cmd_timeout_ms = 1;
		CHECK_EQ(salua_engine_init(&e, &c, &ops, NULL, p, 2, buf, 8), 0);
		c.poll_min_ms = 0;
		CHECK_EQ(salua_engine_init(&e, &c, &ops, NULL, p, 2, buf, 8),
			 -SALUA_EINVAL);
		c.poll_min_ms = 100;
		c.poll_max_ms = 99;
		CHECK_EQ(salua_engine_init(&e, &c, &ops, NULL, p, 2, buf, 8),
			 -SALUA_EINVAL);
		c.poll_max_ms = 100;
		c.poll_mode = 2;
		CHECK_EQ(salua_engine_init(&e, &c, &ops, NULL, p, 2, buf, 8),
			 -SALUA_EINVAL);
	}
	CHECK_EQ(salua_engine_init(&e, NULL, &ops, NULL, p, 2, buf, 8), 0);
	CHECK_EQ(salua_engine_path_get(&e, 0, &st, &pref, &sup), -SALUA_ENOENT);
	CHECK_EQ(salua_engine_path_get(&e, 2, &st, &pref, &sup), -SALUA_EINVAL);

	T_CASE("path_get after a scan");
	eh_init(&h, NULL, false);
	eh_add(&h, 0, 0);
	CHECK_EQ(salua_engine_path_get(&h.e, 0, &st, &pref, &sup), 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(salua_engine_path_get(&h.e, 0, &st, &pref, &sup), 1);
	CHECK_EQ(st, SALUA_STATE_AO);
	CHECK(pref);
	CHECK_EQ(sup, 0xcf);

	T_CASE("path without a TPG designator learns its group by port");
	eh_init(&h, NULL, false);
	h.present[1] = true;
	CHECK_EQ(salua_engine_add_path(&h.e, 1, 2, 0, false), 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.paths[1].tpg_id, 0x0200);

	T_CASE("a group missing from the answer keeps its paths' state");
	eh_init(&h, NULL, false);
	eh_add(&h, 0, 0);
	eh_add(&h, 1, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	h.fake.ngroups = 1;              /* group 0x0200 no longer reported */
	h.fake.state[0] = SALUA_STATE_ANO;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.st[0], SALUA_STATE_ANO);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(salua_engine_path_get(&h.e, 1, &st, NULL, NULL), 1);
	CHECK_EQ(st, SALUA_STATE_STANDBY);

	T_CASE("log format");
	ev.code = SALUA_EV_GROUP;
	ev.path = 0;
	ev.a = 0x0100;
	ev.b = SALUA_STATE_STANDBY;
	ev.c = 0x0f;
	CHECK_EQ(salua_engine_log_format(&ev, txt, sizeof(txt)), 42);
	CHECK_STR(txt, "port group 0x0100 state S supports tolUSNA");
	ev.b = 0x80 | SALUA_STATE_AO;
	ev.c = 0xdf;
	salua_engine_log_format(&ev, txt, sizeof(txt));
	CHECK_STR(txt, "port group 0x0100 state A preferred supports TOLUSNA");
	CHECK_EQ(salua_engine_log_format(&ev, txt, 11), 10);
	CHECK_STR(txt, "port group");
	ev.code = SALUA_EV_RESIZE;
	ev.a = 376;
	ev.b = 376;
	salua_engine_log_format(&ev, txt, sizeof(txt));
	CHECK_STR(txt, "rtpg needs 376 bytes, re-issuing with 376");
	ev.code = SALUA_EV_CMD_ERROR;
	ev.path = 1;
	ev.a = SALUA_CMD_RTPG;
	ev.b = 0x02;
	ev.c = 0x2a06;
	salua_engine_log_format(&ev, txt, sizeof(txt));
	CHECK_STR(txt, "rtpg status 0x02 asc 0x2a06 on path 1");
	ev.code = SALUA_EV_TRANSITION_TIMEOUT;
	ev.a = 255;
	salua_engine_log_format(&ev, txt, sizeof(txt));
	CHECK_STR(txt, "transition timed out after 255 s, groups set to standby");
}

int main(void)
{
	int m;

	for (m = 0; m < 2; m++) {
		bool async = m != 0;

		test_first_rtpg(async);
		test_coalesce(async);
		test_ext_fallback(async);
		test_resize(async);
		test_transition(async, false);
		test_transition(async, true);
		test_transition_timeout(async);
		test_standby_poll(async);
		test_standby_poll_after_remove(async);
		test_sibling(async);
		test_submit_error(async);
		test_retry(async);
		test_activate(async);
		test_sense(async);
		test_stpg_removed(async);
		test_shutdown(async);
		test_fallback_log(async);
	}
	test_remove_inflight();
	test_soft_inflight();
	test_reissue_same_buffer();
	test_misc();
	return t_done("engine");
}
