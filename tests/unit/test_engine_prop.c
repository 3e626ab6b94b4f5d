/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Randomized property test of the engine against the simulated array with
 * faults: 100 000 random event sequences (paths added/removed, rescans,
 * implicit state changes with and without transitions, ordinary I/O whose
 * sense goes to the engine, activations, dropped / failed / busy commands,
 * extended-header quirks, oversized and lying RTPG data, time passing), in
 * both completion modes.  After every step:
 *   P1 at most one RTPG in flight per LU;
 *   P2 every rescan request is followed by an RTPG that starts after it
 *      (checked whenever the engine is idle, and at the end);
 *   P3 no timer armed while the engine is idle;
 *   P4 after an RTPG completes, every path shows what it said (state and
 *      PREF; STANDBY for a group still transitioning after a timeout);
 *   P5 every activation completes exactly once (never twice; all done
 *      once idle);
 *   P6 a transition ends no later than its timeout + one poll interval.
 * Also: the notified view equals the engine's own view.
 *
 * Usage: test_engine_prop [count [seed]]; a failing sequence prints its
 * seed, and "test_engine_prop 1 SEED" replays it verbosely.
 */
#define EH_WITH_SIM
#include "salua/salua.h"
#include "salua_test.h"
#include "engine_harness.h"

static struct salua_sim sim;
static struct eh h;
static unsigned long req_seq; /* seq of the last rescan request */
static unsigned fails_here;
static uint64_t rng;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static void fail(const char *what)
{
	if (fails_here++ < 3)
		fprintf(stderr, "  property %s violated at t=%llu\n", what,
			(unsigned long long)h.now);
	t_fail++;
}

static unsigned n_present(void)
{
	unsigned i, n = 0;

	for (i = 0; i < EH_MAX_PATHS; i++)
		n += h.present[i];
	return n;
}

/* P4: compare every path with the RTPG data just delivered. */
static struct salua_engine_counters before;

static void pre(struct eh *hh, const struct eh_pending *p)
{
	(void)p;
	before = *salua_engine_get_counters(&hh->e);
}

static void post(struct eh *hh, const struct eh_pending *p, int rc)
{
	const struct salua_engine_counters *c = salua_engine_get_counters(&hh->e);
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	unsigned i;

	if (rc != 0 || p->kind != SALUA_CMD_RTPG || p->aborted ||
	    p->c.xfer != SALUA_XFER_OK || p->c.status != SALUA_STATUS_GOOD)
		return;
	if (c->resizes != before.resizes || c->retries != before.retries ||
	    c->ext_fallbacks != before.ext_fallbacks)
		return; /* re-issued, not applied */
	if (salua_rtpg_parse(p->data, p->data_len,
			     (p->cdb1 & 0xe0u) == 0x20u ? SALUA_RTPG_EXTENDED
							: SALUA_RTPG_CLASSIC,
			     &info, &it) < 0)
		return;
	while (salua_rtpg_next(&it, &d) == 1) {
		for (i = 0; i < EH_MAX_PATHS; i++) {
			uint8_t want = d.state;

			if (!hh->present[i] || hh->paths[i].tpg_id != d.tpg_id ||
			    !(hh->paths[i].flags & SALUA_PATH_HAS_TPG))
				continue;
			if (want == SALUA_STATE_TRANSITIONING &&
			    hh->e.trans == 2u /* expired */)
				want = SALUA_STATE_STANDBY;
			if (!hh->known[i] || hh->st[i] != want ||
			    hh->pref[i] != d.pref)
				fail("P4 path shows the latest RTPG");
		}
	}
}

static void check_step(void)
{
	unsigned i;
	const struct salua_engine *e = &h.e;

	if (h.violations) {
		fail("P1/P3 harness invariant (RTPG in flight, idle timer, removed path)");
		h.violations = 0;
	}
	if (h.inflight_rtpg > 1)
		fail("P1 one RTPG in flight");
	if (salua_engine_idle(e)) {
		if (h.timer_armed)
			fail("P3 no timer when idle");
		if (n_present() && req_seq > h.last_rtpg_seq)
			fail("P2 rescan followed by an RTPG");
		if (e->act_head)
			fail("P5 activation left pending while idle");
	}
	for (i = 0; i < h.nacts && i < EH_ACTS; i++)
		if (h.acts[i].calls > 1)
			fail("P5 activation completed twice");
	if (salua_engine_transitioning(e) &&
	    h.now > e->trans_start + (uint64_t)e->trans_s * 1000u +
			    e->cfg.poll_max_ms)
		fail("P6 transition bounded by timeout + one poll");
	for (i = 0; i < EH_MAX_PATHS; i++) {
		uint8_t st;
		bool pref;

		if (!h.present[i])
			continue;
		if (salua_engine_path_get(e, i, &st, &pref, NULL) == 1 &&
		    (!h.known[i] || h.st[i] != st || h.pref[i] != pref))
			fail("notify view equals engine view");
	}
}

static void run_for(uint64_t ms)
{
	uint64_t end = h.now + ms;

	while (eh_step(&h, end))
		check_step();
	eh_run_until(&h, end);
	check_step();
}

static void request(void)
{
	req_seq = ++h.seq;
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
	(void)salua_sim_inject(&sim, &f);
}

static const uint8_t states[] = { SALUA_STATE_AO, SALUA_STATE_ANO,
				  SALUA_STATE_STANDBY,
				  SALUA_STATE_UNAVAILABLE };
static const int opcodes[] = { -1, SALUA_OP_MAINTENANCE_IN,
			       SALUA_OP_MAINTENANCE_OUT,
			       SALUA_OP_TEST_UNIT_READY };

static void one_sequence(uint64_t seed, bool verbose)
{
	struct salua_sim_config sc;
	struct salua_engine_config ec;
	unsigned nports, steps, s, i;

	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	salua_sim_config_default(&sc);
	nports = 2 + below(3);
	sc.ports = nports;
	sc.groups = 2;
	sc.latency_ms = below(4);
	sc.implicit_transition_secs = (uint8_t)below(4); /* 0 = 255 s */
	sc.transition_ms = 200 + below(3000);
	sc.initial_state[0] = states[below(4)];
	sc.initial_state[1] = states[below(4)];
	sc.explicit_alua = below(4) != 0;
	sc.descriptor_sense = below(2) != 0;
	if (salua_sim_init(&sim, &sc) != 0) {
		fail("sim init");
		return;
	}
	salua_engine_config_default(&ec);
	ec.poll_mode = (uint8_t)below(2);
	if (below(2))
		ec.flags = (uint8_t)(ec.flags & ~SALUA_ENGINE_F_TUR_PRECHECK);
	if (below(2))
		ec.flags = (uint8_t)(ec.flags | SALUA_ENGINE_F_OPTIMIZE_STPG);
	ec.cmd_timeout_ms = 1000 + below(5000);
	eh_init(&h, &ec, below(2) != 0);
	h.verbose = verbose;
	h.pre = pre;
	h.post = post;
	eh_use_sim(&h, &sim, 0);
	req_seq = 0;
	fails_here = 0;
	for (i = 0; i < nports; i++)
		if (below(4)) {
			request();
			eh_add(&h, i, i);
		}
	check_step();
	steps = 4 + below(12);
	for (s = 0; s < steps; s++) {
		unsigned p = below(nports);
		unsigned op = below(100);

		if (op < 10) {
			if (!h.present[p]) {
				request();
				eh_add(&h, p, p);
			} else {
				eh_remove(&h, p);
			}
		} else if (op < 20) {
			request();
			salua_engine_rescan(&h.e);
		} else if (op < 35) {
			(void)salua_sim_set_state(&sim, 0, below(2),
						  states[below(4)],
						  below(3) ? below(4000) : 0);
		} else if (op < 55) {
			if (h.present[p]) {
				struct salua_verdict v;
				unsigned long s0 = ++h.seq;

				v = eh_sim_io(&h, p);
				if (v.actions & SALUA_ACT_RESCAN)
					req_seq = s0;
			}
		} else if (op < 63) {
			if (h.nacts < EH_ACTS - 1) {
				if (h.present[p])
					request();
				eh_activate(&h, p);
			}
		} else if (op < 75) {
			static const enum salua_sim_inj k[] = {
				SALUA_SIM_INJ_DROP, SALUA_SIM_INJ_TRANSPORT,
				SALUA_SIM_INJ_BUSY
			};
			inject(k[below(3)], below(2) ? -1 : (int)p,
			       opcodes[below(4)], 1 + below(3), 0);
		} else if (op < 80) {
			switch (below(4)) {
			case 0:
				inject(SALUA_SIM_INJ_EXT_HDR, -1, -1, 0, below(4));
				break;
			case 1:
				inject(SALUA_SIM_INJ_RTPG_PAD, -1, -1, 0,
				       below(2) ? 0 : below(600));
				break;
			case 2:
				inject(SALUA_SIM_INJ_RTPG_OVERCLAIM, -1, -1, 0,
				       below(2) ? 0 : below(100000));
				break;
			default:
				inject(SALUA_SIM_INJ_LIO_SHORT_RDL, -1, -1, 0,
				       below(2));
				break;
			}
		} else {
			run_for(below(4) ? below(300) : below(6000));
		}
		check_step();
	}
	/* Quiesce: faults off, let everything finish. */
	inject(SALUA_SIM_INJ_CLEAR, -1, -1, 0, 0);
	for (i = 0; i < 400 && (!salua_engine_idle(&h.e) || eh_next_pending(&h));
	     i++)
		run_for(5000);
	if (!salua_engine_idle(&h.e))
		fail("engine reaches idle");
	if (n_present() && req_seq > h.last_rtpg_seq)
		fail("P2 rescan followed by an RTPG (end)");
	for (i = 0; i < h.nacts; i++)
		if (h.acts[i].calls != 1)
			fail("P5 activation completed exactly once (end)");
}

int main(int argc, char **argv)
{
	unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 0) : t_scaled(100000ul);
	uint64_t base = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5a1a2026ull;
	unsigned long i, bad = 0;
	bool replay = argc > 2 && count == 1;

	T_CASE("random sequences");
	printf("engine property test: %lu sequences, base seed 0x%llx\n", count,
	       (unsigned long long)base);
	for (i = 0; i < count; i++) {
		unsigned long f0 = t_fail;
		uint64_t seed = replay ? base : base + i;

		one_sequence(seed, replay);
		if (t_fail != f0) {
			if (bad++ < 10)
				fprintf(stderr, "FAIL seed 0x%llx (replay: %s 1 0x%llx)\n",
					(unsigned long long)seed, argv[0],
					(unsigned long long)seed);
		} else {
			t_pass++;
		}
	}
	printf("%lu sequences, %lu failed\n", count, bad);
	return t_done("engine_prop");
}
