/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Engine scenario tests on the simulated array (shims/target/sim): failover,
 * failback, long transition, transition timeout, explicit activate, UA
 * storm, target quirks and faults; in both completion modes.  Then the
 * failover detection measurements, adaptive vs fixed 2 s re-poll, printed
 * (not asserted as timings) for docs/engine.md.
 */
#define EH_WITH_SIM
#include "salua/salua.h"
#include "salua_test.h"
#include "engine_harness.h"

static struct salua_sim sim;
static struct eh h;
static char name[96];

static void tcase(bool async, const char *what)
{
	snprintf(name, sizeof(name), "%s: %s", async ? "async" : "sync", what);
	T_CASE(name);
}

static void setup(bool async, const struct salua_sim_config *sc,
		  const struct salua_engine_config *ec)
{
	struct salua_sim_config d;

	if (!sc) {
		salua_sim_config_default(&d);
		d.latency_ms = async ? 1 : 0;
		sc = &d;
	}
	CHECK_EQ(salua_sim_init(&sim, sc), 0);
	eh_init(&h, ec, async);
	eh_use_sim(&h, &sim, 0);
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK(h.pref[0]);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.sup[0], 0xcf);
}

/* I/O on every path until @until, every @every ms (0: once now). */
static void io_all(uint64_t every, uint64_t until)
{
	unsigned p;

	do {
		for (p = 0; p < 2; p++)
			if (h.present[p])
				(void)eh_sim_io(&h, p);
		if (!every)
			break;
		eh_run_until(&h, h.now + every);
	} while (h.now < until);
}

static void test_failover_failback(bool async)
{
	uint64_t t0;

	tcase(async, "failover: UA 2A/06, transition, every path final");
	setup(async, NULL, NULL);
	t0 = h.now;
	CHECK(salua_sim_load_scenario(&sim, "failback") > 0);
	io_all(0, 0);                    /* the host sees 2A/06 on path 0 */
	eh_run_for(&h, 50);
	CHECK_EQ(h.st[0], SALUA_STATE_TRANSITIONING);
	CHECK_EQ(h.st[1], SALUA_STATE_TRANSITIONING);
	CHECK(salua_engine_transitioning(&h.e));
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK(h.pref[0]);                /* PREF stays with group 0 */
	CHECK(h.now < t0 + 2000 + 2000);
	CHECK(!h.timer_armed);

	tcase(async, "failback at 30 s");
	eh_run_until(&h, t0 + 30000);
	io_all(100, t0 + 30000 + 3000);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.max_inflight_rtpg, 1);
	CHECK_EQ(h.violations, 0);
}

static void test_long_transition(bool async, bool fixed)
{
	struct salua_sim_config sc;
	struct salua_engine_config ec;
	uint64_t t0;
	const struct salua_engine_counters *c;

	tcase(async, fixed ? "long transition (200 s), fixed 2 s"
			   : "long transition (200 s), adaptive");
	salua_sim_config_default(&sc);
	sc.latency_ms = async ? 1 : 0;
	sc.implicit_transition_secs = 0; /* target gives none: 255 s default */
	salua_engine_config_default(&ec);
	if (fixed)
		ec.poll_mode = SALUA_POLL_FIXED;
	setup(async, &sc, &ec);
	t0 = h.now;
	CHECK(salua_sim_load_scenario(&sim, "long-transition") > 0);
	io_all(0, 0);
	eh_run_for(&h, 100000);
	CHECK(salua_engine_transitioning(&h.e));
	CHECK_EQ(h.st[1], SALUA_STATE_TRANSITIONING);
	CHECK(eh_settle(&h, 200000));
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK(h.now <= t0 + 200000 + 2000 + 10);
	c = salua_engine_get_counters(&h.e);
	printf("  long transition %s %s: %u TUR %u RTPG\n", async ? "async" : "sync",
	       fixed ? "fixed" : "adaptive", c->tur, c->rtpg);
	CHECK_EQ(c->timeouts, 0);
	/* ~1 poll per 2 s either way: adaptive costs at most 4 more. */
	/* ~1 TUR per 2 s either way; the adaptive ramp costs 4 more. */
	CHECK_EQ(c->tur, fixed ? 100u : 104u);
	CHECK_EQ(c->rtpg, 5);
	CHECK_EQ(h.violations, 0);
}

static void test_transition_timeout(bool async)
{
	struct salua_sim_config sc;
	struct eh_act *a;
	uint64_t t0;

	tcase(async, "transition timeout (target says 5 s, array takes 20 s)");
	salua_sim_config_default(&sc);
	sc.latency_ms = async ? 1 : 0;
	sc.implicit_transition_secs = 5;
	setup(async, &sc, NULL);
	t0 = h.now;
	CHECK_EQ(salua_sim_set_state(&sim, 0, 0, SALUA_STATE_STANDBY, 20000), 0);
	CHECK_EQ(salua_sim_set_state(&sim, 0, 1, SALUA_STATE_AO, 20000), 0);
	io_all(0, 0);
	eh_run_for(&h, 10);
	CHECK(salua_engine_transitioning(&h.e));
	CHECK_EQ(h.e.trans_end - h.e.trans_start, 5000);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 30000));
	CHECK(h.now <= t0 + 10 + 5000);
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_TIMEOUT);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(salua_engine_get_counters(&h.e)->timeouts, 1);
	/* The array finishes at 20 s and says so with 2A/06. */
	eh_run_until(&h, t0 + 20001);
	io_all(0, 0);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

static void test_activate(bool async)
{
	struct eh_act *a;
	const struct eh_sub *s;

	tcase(async, "explicit activate of the standby path");
	setup(async, NULL, NULL);
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_OK);
	CHECK_EQ(salua_engine_get_counters(&h.e)->stpg, 1);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY); /* the sim demotes the other */
	CHECK_EQ(salua_sim_state(&sim, 0, 1), SALUA_STATE_AO);
	s = eh_last(&h, 0);
	CHECK_EQ(s->kind, SALUA_CMD_RTPG);
	CHECK_EQ(h.violations, 0);

	tcase(async, "explicit ALUA disabled: STPG refused -> NOTSUP");
	{
		struct salua_sim_config sc;
		salua_sim_config_default(&sc);
		sc.explicit_alua = false;
		sc.latency_ms = async ? 1 : 0;
		setup(async, &sc, NULL);
	}
	a = eh_activate(&h, 1);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(a->calls, 1);
	CHECK_EQ(a->result, SALUA_ACTIVATE_NOTSUP);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	CHECK_EQ(h.violations, 0);
}

static void test_ua_storm(bool async)
{
	unsigned i, rescans0, rtpg0;
	const struct salua_engine_counters *c;

	tcase(async, "UA storm: 40 state changes, I/O on both paths every ms");
	setup(async, NULL, NULL);
	c = salua_engine_get_counters(&h.e);
	rescans0 = c->rescans;
	rtpg0 = c->rtpg;
	for (i = 0; i < 40; i++) {
		CHECK_EQ(salua_sim_set_pref(&sim, 0, i & 1u, true), 0);
		CHECK_EQ(salua_sim_set_state(&sim, 0, 0,
					     (i & 1u) ? SALUA_STATE_AO
						      : SALUA_STATE_ANO, 0), 0);
		io_all(1, h.now + 3);
	}
	io_all(1, h.now + 20);
	CHECK(eh_settle(&h, 10000));
	CHECK(c->rescans - rescans0 >= 40);
	CHECK(c->rtpg - rtpg0 <= c->rescans - rescans0);
	CHECK(c->coalesced > 0);
	CHECK_EQ(h.max_inflight_rtpg, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);  /* the last change (i = 39) */
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);
	printf("  %s UA storm: %u rescan requests -> %u RTPGs (%u coalesced)\n",
	       async ? "async" : "sync", c->rescans - rescans0, c->rtpg - rtpg0,
	       c->coalesced);
	CHECK_EQ(h.violations, 0);
}

static void inject(enum salua_sim_inj kind, int port, int opcode,
		   uint32_t count, uint32_t value)
{
	struct salua_sim_fault_spec f;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.port = port;
	f.lun = -1;
	f.opcode = opcode;
	f.count = count;
	f.value = value;
	CHECK_EQ(salua_sim_inject(&sim, &f), 0);
}

static void test_quirks(bool async)
{
	const struct salua_engine_counters *c;

	tcase(async, "sim: ILLEGAL REQUEST 00/00 on the extended header");
	setup(async, NULL, NULL);
	c = salua_engine_get_counters(&h.e);
	inject(SALUA_SIM_INJ_EXT_HDR, -1, -1, 0, SALUA_SIM_EXT_ILLEGAL_00);
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(c->ext_fallbacks, 1);
	CHECK_EQ(eh_last(&h, 0)->cdb[1], 0x0a);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	tcase(async, "sim: 60 phantom groups: one resize to the needed length");
	setup(async, NULL, NULL);
	c = salua_engine_get_counters(&h.e);
	inject(SALUA_SIM_INJ_RTPG_PAD, -1, -1, 0, 60);
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(c->resizes, 1);
	CHECK_EQ(eh_last(&h, 0)->din_len, 8 + 2 * 12 + 60 * 8);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);

	tcase(async, "sim: lying RETURN DATA LENGTH: resizes bounded");
	setup(async, NULL, NULL);
	c = salua_engine_get_counters(&h.e);
	inject(SALUA_SIM_INJ_RTPG_OVERCLAIM, -1, -1, 0, 1000);
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK(c->resizes <= 2);
	CHECK_EQ(c->rtpg, 2 + c->resizes);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.st[1], SALUA_STATE_STANDBY);

	tcase(async, "sim: LIO short RETURN DATA LENGTH quirk");
	setup(async, NULL, NULL);
	inject(SALUA_SIM_INJ_LIO_SHORT_RDL, -1, -1, 0, 1);
	CHECK_EQ(salua_sim_set_state(&sim, 0, 1, SALUA_STATE_ANO, 0), 0);
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(h.st[1], SALUA_STATE_ANO);

	tcase(async, "sim: transport fault on port 0: sibling path");
	setup(async, NULL, NULL);
	c = salua_engine_get_counters(&h.e);
	inject(SALUA_SIM_INJ_TRANSPORT, 0, SALUA_OP_MAINTENANCE_IN, 1, 0);
	CHECK_EQ(salua_sim_set_state(&sim, 0, 1, SALUA_STATE_ANO, 0), 0);
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(c->siblings, 1);
	CHECK_EQ(eh_last(&h, 0)->path, 1);
	CHECK_EQ(h.st[1], SALUA_STATE_ANO);

	tcase(async, "sim: dropped RTPG: command timeout, sibling");
	setup(async, NULL, NULL);
	c = salua_engine_get_counters(&h.e);
	inject(SALUA_SIM_INJ_DROP, 0, SALUA_OP_MAINTENANCE_IN, 1, 0);
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 100000));
	CHECK_EQ(c->siblings, 1);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);

	tcase(async, "sim: BUSY on RTPG: delayed retry");
	setup(async, NULL, NULL);
	c = salua_engine_get_counters(&h.e);
	inject(SALUA_SIM_INJ_BUSY, -1, SALUA_OP_MAINTENANCE_IN, 2, 0);
	salua_engine_rescan(&h.e);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(c->retries, 2);
	CHECK_EQ(h.st[0], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
}

/* ---- measurements ------------------------------------------------------ */

struct fig {
	uint64_t delay_ms;
	unsigned rtpg, tur, total;
};

/*
 * Failover: group 0 AO -> S and group 1 S -> AO through T lasting @t_ms;
 * the host sees 2A/06 once (on path 0), then (io_every == 0) no more I/O,
 * or I/O on both paths every @io_every ms.  Delay: end of the transition to
 * every path showing its final state.
 */
static struct fig measure(bool fixed, uint32_t t_ms, uint32_t io_every)
{
	struct salua_sim_config sc;
	struct salua_engine_config ec;
	struct fig f;
	uint64_t t0, tend, next_io;
	unsigned r0, u0;
	const struct salua_engine_counters *c;

	memset(&f, 0, sizeof(f));
	salua_sim_config_default(&sc);
	sc.latency_ms = 1;
	sc.implicit_transition_secs = 0;
	salua_engine_config_default(&ec);
	if (fixed)
		ec.poll_mode = SALUA_POLL_FIXED;
	setup(true, &sc, &ec);
	c = salua_engine_get_counters(&h.e);
	r0 = c->rtpg;
	u0 = c->tur;
	t0 = h.now;
	tend = t0 + t_ms;
	CHECK_EQ(salua_sim_set_state(&sim, 0, 0, SALUA_STATE_STANDBY, t_ms), 0);
	CHECK_EQ(salua_sim_set_state(&sim, 0, 1, SALUA_STATE_AO, t_ms), 0);
	(void)eh_sim_io(&h, 0);
	next_io = t0 + io_every;
	while (!(h.st[0] == SALUA_STATE_STANDBY && h.st[1] == SALUA_STATE_AO &&
		 h.now >= tend)) {
		uint64_t lim = io_every ? next_io : t0 + 600000;

		if (!eh_step(&h, lim)) {
			if (!io_every)
				break;
			eh_run_until(&h, next_io);
			(void)eh_sim_io(&h, 0);
			(void)eh_sim_io(&h, 1);
			next_io += io_every;
		}
	}
	f.delay_ms = h.last_notify_at - tend;
	(void)eh_settle(&h, 600000);
	f.rtpg = c->rtpg - r0;
	f.tur = c->tur - u0;
	f.total = f.rtpg + f.tur;
	CHECK_EQ(h.st[0], SALUA_STATE_STANDBY);
	CHECK_EQ(h.st[1], SALUA_STATE_AO);
	CHECK_EQ(h.violations, 0);
	CHECK_EQ(h.max_inflight_rtpg, 1);
	return f;
}

static void measurements(void)
{
	static const uint32_t ts[] = { 200, 2000, 20000 };
	static const uint32_t ios[] = { 0, 100 };
	enum { PHASES = 20 };
	unsigned i, k, j, m;

	T_CASE("measurements");
	printf("failover detection on the sim: end of transition -> every path "
	       "final\n(latency 1 ms, TUR pre-check on; T + j*97 ms for j = 0..%d; "
	       "mean/max delay, mean commands)\n", PHASES - 1);
	printf("%-7s %-7s | %-31s | %-31s\n", "T", "host IO",
	       "adaptive 100 ms doubling to 2 s", "fixed 2 s (Linux)");
	printf("%-7s %-7s | %6s %6s %5s %5s %5s | %6s %6s %5s %5s %5s\n", "", "",
	       "mean", "max", "RTPG", "TUR", "all", "mean", "max", "RTPG",
	       "TUR", "all");
	for (k = 0; k < SALUA_ARRAY_SIZE(ios); k++)
		for (i = 0; i < SALUA_ARRAY_SIZE(ts); i++) {
			uint64_t sum[2] = { 0, 0 }, mx[2] = { 0, 0 };
			unsigned rt[2] = { 0, 0 }, tu[2] = { 0, 0 };

			for (m = 0; m < 2; m++)
				for (j = 0; j < PHASES; j++) {
					struct fig f = measure(m != 0,
							       ts[i] + j * 97u,
							       ios[k]);
					sum[m] += f.delay_ms;
					if (f.delay_ms > mx[m])
						mx[m] = f.delay_ms;
					rt[m] += f.rtpg;
					tu[m] += f.tur;
				}
			printf("%5.1f s %-7s | %6llu %6llu %5.1f %5.1f %5.1f | "
			       "%6llu %6llu %5.1f %5.1f %5.1f\n",
			       ts[i] / 1000.0, ios[k] ? "100 ms" : "none",
			       (unsigned long long)(sum[0] / PHASES),
			       (unsigned long long)mx[0], rt[0] / (double)PHASES,
			       tu[0] / (double)PHASES,
			       (rt[0] + tu[0]) / (double)PHASES,
			       (unsigned long long)(sum[1] / PHASES),
			       (unsigned long long)mx[1], rt[1] / (double)PHASES,
			       tu[1] / (double)PHASES,
			       (rt[1] + tu[1]) / (double)PHASES);
			/* Logical, not timing: the ramp costs at most 5
			 * commands per transition over the fixed schedule. */
			CHECK(rt[0] + tu[0] <= rt[1] + tu[1] + 5u * PHASES);
		}
}

int main(void)
{
	int m;

	for (m = 0; m < 2; m++) {
		bool async = m != 0;

		test_failover_failback(async);
		test_long_transition(async, false);
		test_long_transition(async, true);
		test_transition_timeout(async);
		test_activate(async);
		test_ua_storm(async);
		test_quirks(async);
	}
	measurements();
	return t_done("engine_sim");
}
