/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Activation as dm-multipath needs it (docs/engine.md "Activate",
 * docs/kernel-module.md for the SCSI_DH_* mapping), both completion modes:
 *  - a path that can carry I/O (AO, ANO, LBA-dependent) is never refused:
 *    implicit-only ANO, STPG refused but ANO, LBD all complete OK;
 *  - standby/unavailable that cannot be activated: NOTSUP / FAILED, no
 *    STPG where none is possible;
 *  - array_hold_ms: after the array itself made a group A/O, activating
 *    another group's standby path is DEFERRED (no STPG) while the hold
 *    lasts and that group stays A/O; ANO completes OK; our own STPG never
 *    starts a hold; 0 keeps the kernel's behaviour;
 *  - a 04/0B / 04/0C that only repeats the known state requests no RTPG
 *    (path checkers poll standby ports);
 *  - salua_engine_set_flags() (set_params) changes optimize-STPG live;
 *  - salua_engine_io_waiting(): polls every poll_min_ms while I/O waits.
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

/* Two paths, path i through port i; group 0x0100 (port 0), 0x0200 (port 1). */
static void setup(struct eh *h, bool async, const struct salua_engine_config *cfg,
		  uint8_t st0, uint8_t st1)
{
	eh_init(h, cfg, async);
	h->fake.latency_ms = async ? 10 : 0;
	h->fake.state[0] = st0;
	h->fake.state[1] = st1;
	CHECK_EQ(eh_add(h, 0, 0), 0);
	CHECK_EQ(eh_add(h, 1, 1), 0);
	CHECK(eh_settle(h, 10000));
	CHECK_EQ(h->st[0], st0);
	CHECK_EQ(h->st[1], st1);
}

static unsigned stpgs(const struct eh *h)
{
	return salua_engine_get_counters(&h->e)->stpg;
}

static void test_usable_never_refused(bool async)
{
	struct salua_engine_config cfg;
	struct eh h;
	struct eh_act *a, *b;

	salua_engine_config_default(&cfg);
	cfg.tpgs = SALUA_TPGS_IMPLICIT;

	tcase(async, "implicit-only, ANO: OK without STPG (Linux: RETRY, RTPG, OK)");
	setup(&h, async, &cfg, SALUA_STATE_STANDBY, SALUA_STATE_ANO);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(stpgs(&h), 0);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "implicit-only, standby: NOTSUP, no STPG");
	b = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(b->calls, 1);
	CHECK_EQ(b->result, SALUA_ACTIVATE_NOTSUP);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "implicit-only, unavailable: NOTSUP; AO: OK");
	setup(&h, async, &cfg, SALUA_STATE_AO, SALUA_STATE_UNAVAILABLE);
	a = eh_activate(&h, 1);
	b = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_NOTSUP);
	CHECK_EQ(b->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(a->calls + b->calls, 2);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "LBA-dependent: OK (I/O allowed), no STPG");
	setup(&h, async, NULL, SALUA_STATE_AO, SALUA_STATE_LBA_DEPENDENT);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "STPG refused, the RTPG after it says ANO: OK");
	setup(&h, async, NULL, SALUA_STATE_AO, SALUA_STATE_ANO);
	{
		struct eh_resp r = eh_check(SALUA_SK_ILLEGAL_REQUEST, 0x2000);
		eh_script(&h, SALUA_CMD_STPG, -1, &r);
	}
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(stpgs(&h), 1);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);
	CHECK_EQ(h.st[1], SALUA_STATE_ANO);

	tcase(async, "STPG refused, still standby: NOTSUP");
	setup(&h, async, NULL, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	{
		struct eh_resp r = eh_check(SALUA_SK_ILLEGAL_REQUEST, 0x2000);
		eh_script(&h, SALUA_CMD_STPG, -1, &r);
	}
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_NOTSUP);

	tcase(async, "STPG done, the array makes the path ANO instead: OK");
	setup(&h, async, NULL, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	{
		struct eh_resp r = eh_status(SALUA_STATUS_GOOD);
		eh_script(&h, SALUA_CMD_STPG, -1, &r); /* not applied by the fake */
	}
	a = eh_activate(&h, 1);
	eh_run_for(&h, 2); /* first RTPG after 5 ms: change the array before */
	h.fake.state[1] = SALUA_STATE_ANO;
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(stpgs(&h), 1);

	tcase(async, "STPG done, still standby: FAILED");
	setup(&h, async, NULL, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	{
		struct eh_resp r = eh_status(SALUA_STATUS_GOOD);
		eh_script(&h, SALUA_CMD_STPG, -1, &r);
	}
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_FAILED);
	CHECK_EQ(h.violations, 0);
}

/* The array fails over by itself: group 0x0100 AO -> S, 0x0200 S -> AO. */
static void array_failover(struct eh *h, bool through_t)
{
	if (through_t) {
		h->fake.state[0] = SALUA_STATE_TRANSITIONING;
		h->fake.state[1] = SALUA_STATE_TRANSITIONING;
		salua_engine_rescan(&h->e); /* UA 2A/06 */
		eh_run_for(h, 50);
		CHECK(salua_engine_transitioning(&h->e));
	}
	h->fake.state[0] = SALUA_STATE_STANDBY;
	h->fake.state[1] = SALUA_STATE_AO;
	salua_engine_rescan(&h->e);
	CHECK(eh_settle(h, 10000));
	CHECK_EQ(h->st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h->st[1], SALUA_STATE_AO);
}

static void test_array_hold(bool async)
{
	struct salua_engine_config cfg;
	struct eh h;
	struct eh_act *a;
	uint64_t t0;

	salua_engine_config_default(&cfg);
	cfg.array_hold_ms = 15000;

	tcase(async, "hold: array failover, then activate the old group: DEFERRED, no STPG");
	setup(&h, async, &cfg, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	array_failover(&h, false);
	t0 = h.now;
	eh_run_for(&h, 1000);
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_DEFERRED);
	CHECK_EQ(stpgs(&h), 0);
	CHECK_EQ(h.fake.state[1], SALUA_STATE_AO); /* the array's choice stands */

	tcase(async, "hold: the new group's own path: OK");
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(stpgs(&h), 0);

	tcase(async, "hold over (array_hold_ms after the change): STPG as Linux");
	eh_run_until(&h, t0 + 15000);
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(stpgs(&h), 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	tcase(async, "hold: a failover through TRANSITIONING counts too");
	setup(&h, async, &cfg, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	array_failover(&h, true);
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_DEFERRED);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "hold: ANO path of the other group: OK without STPG");
	setup(&h, async, &cfg, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	h.fake.state[0] = SALUA_STATE_ANO;
	h.fake.state[1] = SALUA_STATE_AO;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 1000));
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "hold ends when the array's group is no longer A/O");
	setup(&h, async, &cfg, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	array_failover(&h, false);
	h.fake.state[1] = SALUA_STATE_UNAVAILABLE;
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 1000));
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);

	tcase(async, "hold: our own STPG never starts one");
	setup(&h, async, &cfg, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	a = eh_activate(&h, 0); /* e.g. switch_group straight back */
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 2);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	tcase(async, "hold forever: still DEFERRED an hour later");
	cfg.array_hold_ms = SALUA_ENGINE_HOLD_FOREVER;
	setup(&h, async, &cfg, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	array_failover(&h, false);
	eh_run_for(&h, 3600000);
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_DEFERRED);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "hold forever ends when the array's group loses its last path");
	CHECK_EQ(eh_remove(&h, 1), 0);
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	cfg.array_hold_ms = 15000;

	tcase(async, "array_hold_ms 0 (default): STPG at once, as Linux");
	setup(&h, async, NULL, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	array_failover(&h, false);
	a = eh_activate(&h, 0);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);
	CHECK_EQ(h.violations, 0);
}

static void test_standby_sense(bool async)
{
	struct eh h;
	struct salua_verdict v;
	unsigned n0, i;

	tcase(async, "04/0B on a path known standby: failover, no RTPG");
	setup(&h, async, NULL, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	n0 = h.nlog;
	for (i = 0; i < 20; i++) {
		v = eh_sense(&h, 1, SALUA_SK_NOT_READY, 0x040b);
		CHECK_EQ(v.disp, SALUA_DISP_FAILOVER);
		CHECK_EQ(v.actions, SALUA_ACT_PATH_STATE);
		eh_run_for(&h, 100);
	}
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, n0);
	CHECK(salua_engine_idle(&h.e));

	tcase(async, "04/0C on a standby path: the state changed: one RTPG");
	v = eh_sense(&h, 1, SALUA_SK_NOT_READY, 0x040c);
	CHECK_EQ(v.actions, SALUA_ACT_PATH_STATE | SALUA_ACT_RESCAN);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(eh_count(&h, n0, SALUA_CMD_RTPG), 1);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY); /* the RTPG's answer */

	tcase(async, "04/0B on the AO path: news: one RTPG");
	n0 = h.nlog;
	v = eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040b);
	CHECK_EQ(v.actions, SALUA_ACT_PATH_STATE | SALUA_ACT_RESCAN);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(eh_count(&h, n0, SALUA_CMD_RTPG), 1);

	tcase(async, "04/0C on a path known unavailable: no RTPG");
	setup(&h, async, NULL, SALUA_STATE_AO, SALUA_STATE_UNAVAILABLE);
	n0 = h.nlog;
	v = eh_sense(&h, 1, SALUA_SK_NOT_READY, 0x040c);
	CHECK_EQ(v.actions, SALUA_ACT_PATH_STATE);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.nlog, n0);

	tcase(async, "04/0B before the first RTPG answered: rescan kept");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = async ? 10 : 0;
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	v = eh_sense(&h, 1, SALUA_SK_NOT_READY, 0x040b);
	CHECK_EQ(v.actions, SALUA_ACT_PATH_STATE | SALUA_ACT_RESCAN);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(h.violations, 0);
}

static void test_io_waiting(bool async)
{
	struct eh h;
	unsigned n0, i, turs;
	uint64_t t0;

	tcase(async, "io_waiting: polls every poll_min_ms until the window closes");
	setup(&h, async, NULL, SALUA_STATE_AO, SALUA_STATE_STANDBY);
	salua_engine_io_waiting(&h.e); /* no window: nothing */
	CHECK(salua_engine_idle(&h.e));
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	(void)eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	t0 = h.now;
	salua_engine_io_waiting(&h.e);
	n0 = h.nlog;
	eh_run_until(&h, t0 + 2000);
	turs = eh_count(&h, n0, SALUA_CMD_TUR);
	/* adaptive would be 100, 300, 700, 1500: 4; hurried: one per 100 ms */
	CHECK(turs >= 18 && turs <= 21);
	for (i = n0 + 1; i < h.nlog; i++)
		if (h.log[i % EH_LOG].kind == SALUA_CMD_TUR &&
		    h.log[(i - 1) % EH_LOG].kind == SALUA_CMD_TUR)
			CHECK(h.log[i % EH_LOG].at - h.log[(i - 1) % EH_LOG].at <=
			      101 + h.fake.latency_ms);
	h.fake.state[0] = SALUA_STATE_STANDBY;
	h.fake.state[1] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 1000));
	CHECK(h.now - t0 <= 2000 + 101 + 4 * h.fake.latency_ms + 10);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);

	tcase(async, "io_waiting: the next window starts on the normal schedule");
	h.fake.state[1] = SALUA_STATE_TRANSITIONING;
	(void)eh_sense(&h, 1, SALUA_SK_NOT_READY, 0x040a);
	n0 = h.nlog;
	t0 = h.now;
	eh_run_until(&h, t0 + 2000);
	turs = eh_count(&h, n0, SALUA_CMD_TUR);
	CHECK(turs >= 3 && turs <= 5);
	h.fake.state[1] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 5000));
	CHECK_EQ(h.violations, 0);

	tcase(async, "io_waiting: pulls in a poll the ramp put later");
	h.fake.state[1] = SALUA_STATE_TRANSITIONING;
	(void)eh_sense(&h, 1, SALUA_SK_NOT_READY, 0x040a);
	t0 = h.now;
	/* ramp: polls at about 100, 300, 700; the next one ~800 ms later */
	eh_run_until(&h, t0 + 750);
	n0 = h.nlog;
	salua_engine_io_waiting(&h.e);
	eh_run_until(&h, h.now + 101 + 2 * h.fake.latency_ms);
	CHECK(eh_count(&h, n0, SALUA_CMD_TUR) >= 1);
	h.fake.state[1] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 5000));

	tcase(async, "io_waiting: ends with the window when the last path goes");
	h.fake.state[1] = SALUA_STATE_TRANSITIONING;
	(void)eh_sense(&h, 1, SALUA_SK_NOT_READY, 0x040a);
	salua_engine_io_waiting(&h.e);
	eh_run_until(&h, h.now + 300);
	CHECK_EQ(eh_remove(&h, 0), 0);
	CHECK_EQ(eh_remove(&h, 1), 0);
	h.fake.state[0] = SALUA_STATE_AO;
	h.fake.state[1] = SALUA_STATE_STANDBY;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 5000));
	/* a new window, nobody waiting: the ramp again (3-5 TURs in 2 s) */
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	(void)eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	n0 = h.nlog;
	t0 = h.now;
	eh_run_until(&h, t0 + 2000);
	turs = eh_count(&h, n0, SALUA_CMD_TUR);
	CHECK(turs >= 3 && turs <= 5);
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 5000));
	CHECK_EQ(h.violations, 0);
}

/* The hurry ends at a transition timeout; what the engine learnt stays. */
static void test_io_waiting_expiry(bool async)
{
	struct salua_engine_config cfg;
	struct eh h;

	tcase(async, "io_waiting: a transition timeout keeps the other flags");
	salua_engine_config_default(&cfg);
	cfg.transition_s = 2;
	eh_init(&h, &cfg, async);
	h.fake.latency_ms = async ? 10 : 0;
	h.fake.ext_refuse = true; /* learnt once: EXT_UNSUPP */
	h.fake.state[0] = SALUA_STATE_AO;
	h.fake.state[1] = SALUA_STATE_STANDBY;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_EXT_FALLBACK), 1);
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	(void)eh_sense(&h, 0, SALUA_SK_NOT_READY, 0x040a);
	salua_engine_io_waiting(&h.e);
	eh_run_until(&h, h.now + 3000);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	/* the array reports again: still the classic RTPG, no new fallback */
	h.fake.state[0] = SALUA_STATE_AO;
	(void)eh_sense(&h, 0, SALUA_SK_UNIT_ATTENTION, 0x2a06);
	CHECK(eh_settle(&h, 5000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(eh_nev(&h, 0, SALUA_EV_EXT_FALLBACK), 1);
	CHECK_EQ(h.violations, 0);
}

static void test_set_flags(bool async)
{
	struct eh h;
	struct eh_act *a;

	tcase(async, "set_flags optimize-STPG on: ANO, no PREF: OK without STPG");
	setup(&h, async, NULL, SALUA_STATE_AO, SALUA_STATE_ANO);
	salua_engine_set_flags(&h.e, SALUA_ENGINE_F_OPTIMIZE_STPG,
			       SALUA_ENGINE_F_OPTIMIZE_STPG);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 0);

	tcase(async, "set_flags optimize-STPG off again: STPG");
	salua_engine_set_flags(&h.e, SALUA_ENGINE_F_OPTIMIZE_STPG, 0);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 1000));
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(h.fake.stpg_seen, 1);

	tcase(async, "set_flags leaves the other flags alone");
	eh_init(&h, NULL, async);
	salua_engine_set_flags(&h.e, SALUA_ENGINE_F_OPTIMIZE_STPG,
			       0xff);
	salua_engine_set_flags(NULL, 0xff, 0xff); /* no-op */
	CHECK_EQ(h.e.cfg.flags & ~SALUA_ENGINE_F_LOG_STATE,
		 SALUA_ENGINE_F_TUR_PRECHECK | SALUA_ENGINE_F_OPTIMIZE_STPG);
	CHECK_EQ(h.violations, 0);
}

int main(void)
{
	int m;

	for (m = 0; m < 2; m++) {
		bool async = m != 0;

		test_usable_never_refused(async);
		test_array_hold(async);
		test_standby_sense(async);
		test_set_flags(async);
		test_io_waiting(async);
		test_io_waiting_expiry(async);
	}
	return t_done("engine_activate");
}
