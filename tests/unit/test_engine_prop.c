/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Randomized property test of the engine against the simulated array with
 * faults: 100 000 random event sequences (paths added/removed, the path of
 * a command in flight removed, rescans, implicit state changes with and
 * without transitions, ordinary I/O whose sense goes to the engine,
 * activations (several per group), dropped / failed / busy commands in
 * runs long enough to exhaust the retry budget, extended-header quirks,
 * oversized and lying RTPG data, time passing), in both completion modes,
 * with path arrays and RTPG buffers of random size that end at a guard
 * page and a random retry / resize budget.  After every step:
 *   P1 at most one RTPG in flight per LU;
 *   P2 every rescan request is followed by an RTPG that starts after it
 *      (checked whenever the engine is idle, and at the end);
 *   P3 no timer armed while the engine is idle;
 *   P4 after an RTPG completes, every path shows what it said (state and
 *      PREF; STANDBY for a group still transitioning after a timeout);
 *   P5 every activation completes exactly once (never twice; all done
 *      once idle);
 *   P6 a transition ends no later than its timeout + one poll interval;
 *   P7 an activation ends FAILED only after an STPG naming its group was
 *      answered since it was requested (not one abandoned with its path);
 *   P8 the first command after a path of unknown state is added to an
 *      idle engine goes through that path;
 *   P9 an activation ends IO only when the engine had to give up: a
 *      refused RTPG, max_retries + 1 retryable answers in a row (the
 *      budget restarts with every sibling switch), every present path
 *      failed, or the path's state unknown after a good RTPG;
 *   P10 a command re-issued after a path failure goes to the next usable
 *      path in ring order;
 *   P11 the allocation length grows at most max_resizes times in a row,
 *      never beyond the buffer or 64 KiB;
 *   P12 RTPGs use the extended header until a fallback is logged, the
 *      classic one after; a fallback follows an ILLEGAL REQUEST to an
 *      extended RTPG or an answer shorter than its own descriptors (LIO's
 *      RETURN DATA LENGTH, or any length claim short of the data);
 *   P13 salua_engine_init() accepts exactly the documented arguments
 *      (random ops tables with members missing, random configs).
 * One sequence in ten ends with salua_engine_shutdown() mid-run instead
 * (idle, no timer, every activation completed once); one in four polls
 * slowly after a transition timeout (standby_poll_ms).
 * Also: the notified view equals the engine's own view; the harness
 * invariants (engine_harness.h: well-formed log events, data-in only into
 * the caller's buffer, no command on a removed path).
 *
 * Usage: test_engine_prop [count [seed]]; a failing sequence prints its
 * seed, and "test_engine_prop 1 SEED" replays it verbosely.  Without a
 * count: 100 000 scaled by t_scaled() ($SALUA_TEST_SCALE percent; the
 * emulated and sanitizer builds set it, tests/engine.cmake).
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
static struct salua_engine_config ec;

/* P7: when an STPG naming each group was last answered. */
#define NGID 8
static uint64_t stpg_answered[NGID];
static bool stpg_ever[NGID];
/* P8: the submit index that must go through expect_path. */
static int expect_path = -1;
static unsigned expect_n;
/* P9: why the engine may give up. */
static unsigned streak;    /* retryable answers in a row */
static bool refused;       /* an RTPG answered "fail" */
static uint8_t failed_mask; /* paths that failed since the last good RTPG */
/* P10: the path the re-issue must take (-1: none pending, -2: none). */
static int sib_expect = -1;
static unsigned sib_n;
/* P11 */
static unsigned grow;
static unsigned checked_subs;

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

	for (i = 0; i < h.npaths; i++)
		n += h.present[i];
	return n;
}

/* How the engine must read one answer (as salua__complete does). */
static enum salua_cmd_verdict verdict(const struct eh_pending *p)
{
	struct salua_sense s;
	const struct salua_sense *sp = NULL;

	if (p->aborted || p->c.xfer != SALUA_XFER_OK)
		return SALUA_CV_SIBLING;
	if (p->c.sense && p->c.sense_len &&
	    salua_sense_normalize(p->c.sense, p->c.sense_len, &s) == 0)
		sp = &s;
	return salua_cmd_disposition(p->kind, (p->cdb1 & 0xe0u) == 0x20u,
				     p->c.status, sp);
}

/* P10: the next usable slot after @from in ring order, from the flags. */
static int ring_next(const struct salua_engine_path *snap, unsigned from)
{
	unsigned k, i;

	for (k = 1; k < h.npaths; k++) {
		i = (from + k) % h.npaths;
		if ((snap[i].flags & (SALUA_PATH_USED | SALUA_PATH_DISABLED)) ==
		    SALUA_PATH_USED)
			return (int)i;
	}
	return -2;
}

static void check_sibling(void)
{
	if (sib_expect == -1 || h.nlog <= sib_n)
		return;
	if (sib_expect == -2)
		fail("P10 nothing re-issued when no path is left");
	else if (h.log[sib_n % EH_LOG].path != (unsigned)sib_expect)
		fail("P10 re-issue on the next usable path");
	sib_expect = -1;
}

/* P4 and the bookkeeping of P7, P9, P10, P12: around every completion. */
static struct salua_engine_counters before;
static struct salua_engine_path snap[EH_MAX_PATHS];
static unsigned fb_before;

static void pre(struct eh *hh, const struct eh_pending *p)
{
	enum salua_cmd_verdict v = verdict(p);
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;

	check_sibling();
	before = *salua_engine_get_counters(&hh->e);
	memcpy(snap, hh->paths, hh->npaths * sizeof(snap[0]));
	fb_before = hh->ev_count[SALUA_EV_EXT_FALLBACK];
	sib_expect = -1;
	if (p->aborted)
		return; /* stale: the engine ignores it */
	/* P9: what this answer does to the budget (activations may complete
	 * inside salua_engine_complete(), before post()). */
	if (v == SALUA_CV_RETRY || v == SALUA_CV_RETRY_DELAYED ||
	    (p->kind == SALUA_CMD_RTPG && v == SALUA_CV_DONE &&
	     salua_rtpg_parse(p->data, p->data_len,
			      (p->cdb1 & 0xe0u) == 0x20u ? SALUA_RTPG_EXTENDED
							 : SALUA_RTPG_CLASSIC,
			      &info, &it) < 0))
		streak++;
	else if (v == SALUA_CV_SIBLING)
		streak = 0;
	if (v == SALUA_CV_SIBLING)
		failed_mask = (uint8_t)(failed_mask | (1u << p->path));
	if (p->kind == SALUA_CMD_RTPG && v == SALUA_CV_FAIL)
		refused = true;
}

static void post(struct eh *hh, const struct eh_pending *p, int rc)
{
	const struct salua_engine_counters *c = salua_engine_get_counters(&hh->e);
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	enum salua_cmd_verdict v = verdict(p);
	bool applied;
	unsigned i;

	if (rc != 0)
		return;
	/* P12: why a fallback happened. */
	if (hh->ev_count[SALUA_EV_EXT_FALLBACK] != fb_before) {
		const struct salua_engine_log *ev = NULL;

		for (i = hh->logs; i-- > 0 && hh->logs - i <= EH_EVLOG;)
			if (hh->ev[i % EH_EVLOG].code == SALUA_EV_EXT_FALLBACK) {
				ev = &hh->ev[i % EH_EVLOG];
				break;
			}

		if (p->kind != SALUA_CMD_RTPG || (p->cdb1 & 0xe0u) != 0x20u)
			fail("P12 fallback after an extended RTPG only");
		else if (ev && ev->a == 0 && v != SALUA_CV_EXT_FALLBACK)
			fail("P12 fallback (a = 0) after ILLEGAL REQUEST only");
		else if (ev && ev->a == 1 &&
			 (p->c.status != SALUA_STATUS_GOOD ||
			  salua_rtpg_parse(p->data, p->data_len,
					   SALUA_RTPG_EXTENDED, &info, &it) < 0 ||
			  !info.truncated || info.needed > p->data_len))
			fail("P12 fallback (a = 1) after an answer shorter than its descriptors only");
	}
	/* P10: a failure of the path moves the command to the next one. */
	if (v == SALUA_CV_SIBLING) {
		sib_expect = ring_next(snap, p->path);
		sib_n = hh->nlog;
		check_sibling();
	}
	/* P7 */
	if (p->kind == SALUA_CMD_STPG && p->c.xfer == SALUA_XFER_OK) {
		const struct eh_sub *s = NULL;

		for (i = 0; i < EH_LOG && i < hh->nlog; i++) {
			s = &hh->log[(hh->nlog - 1 - i) % EH_LOG];
			if (s->tag == p->tag)
				break;
			s = NULL;
		}
		if (s && s->dout_len >= 8) {
			uint16_t id = salua_get_be16(s->dout + 6);

			if (id < NGID) {
				stpg_answered[id] = hh->now;
				stpg_ever[id] = true;
			}
		}
	}
	/* P9: the engine's retry budget, as it must count it. */
	applied = p->kind == SALUA_CMD_RTPG && v == SALUA_CV_DONE &&
		  c->resizes == before.resizes && c->retries == before.retries &&
		  c->ext_fallbacks == before.ext_fallbacks;
	if (applied || (p->kind == SALUA_CMD_STPG && v != SALUA_CV_SIBLING &&
			v != SALUA_CV_RETRY && v != SALUA_CV_RETRY_DELAYED))
		streak = 0;
	if (applied) {
		failed_mask = 0;
		refused = false;
	}
	/* P4 */
	if (p->kind != SALUA_CMD_RTPG || p->aborted ||
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
		for (i = 0; i < hh->npaths; i++) {
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

/* P7, P9: is the activation's result one the engine may give? */
static void act_hook(struct eh *hh, struct eh_act *a)
{
	uint8_t present = 0;
	unsigned i;

	for (i = 0; i < hh->npaths; i++)
		if (hh->present[i])
			present = (uint8_t)(present | (1u << i));
	if (a->result == SALUA_ACTIVATE_FAILED) {
		uint16_t id = a->path < hh->npaths ? hh->paths[a->path].tpg_id
						   : 0xffffu;

		if (id >= NGID || !stpg_ever[id] || stpg_answered[id] < a->at)
			fail("P7 FAILED only after its group's STPG was answered");
	}
	if (a->result == SALUA_ACTIVATE_IO &&
	    !(refused || streak > ec.max_retries ||
	      (present & ~failed_mask) == 0 ||
	      (a->path < hh->npaths &&
	       salua_engine_path_get(&hh->e, a->path, NULL, NULL, NULL) == 0)))
		fail("P9 IO only when the engine had to give up");
}

/* P8, P11, P12 on the commands submitted since the last check. */
static void check_subs(void)
{
	const struct salua_engine_config *cfg = &h.e.cfg;
	static uint32_t prev_din;

	for (; checked_subs < h.nlog; checked_subs++) {
		const struct eh_sub *s = &h.log[checked_subs % EH_LOG];

		if (expect_path >= 0 && checked_subs == expect_n) {
			if (s->path != (unsigned)expect_path)
				fail("P8 first command through the added path");
			expect_path = -1;
		}
		if (s->kind != SALUA_CMD_RTPG)
			continue;
		if (s->din_len > prev_din && prev_din)
			grow++;
		else if (s->din_len <= prev_din)
			grow = 0;
		prev_din = s->din_len;
		if (grow > cfg->max_resizes)
			fail("P11 at most max_resizes re-allocations in a row");
		if (((s->cdb[1] & 0xe0u) == 0x20u) != (s->fallbacks == 0))
			fail("P12 extended header until the fallback");
	}
	if (h.nlog == 0)
		prev_din = 0;
}

static void check_step(void)
{
	unsigned i;
	const struct salua_engine *e = &h.e;

	check_sibling();
	sib_expect = -1; /* only a re-issue within the same event counts */
	check_subs();
	if (h.violations) {
		fail("P1/P3 harness invariant (RTPG in flight, idle timer, removed path, log event, buffer)");
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
		streak = 0;
		failed_mask = 0;
		refused = false;
	}
	for (i = 0; i < h.nacts && i < EH_ACTS; i++)
		if (h.acts[i].calls > 1)
			fail("P5 activation completed twice");
	if (salua_engine_transitioning(e) &&
	    h.now > e->trans_start + (uint64_t)e->trans_s * 1000u +
			    e->cfg.poll_max_ms)
		fail("P6 transition bounded by timeout + one poll");
	for (i = 0; i < h.npaths; i++) {
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

static void add(unsigned p)
{
	bool idle = salua_engine_idle(&h.e);

	request();
	eh_add(&h, p, p);
	if (idle && salua_engine_path_get(&h.e, p, NULL, NULL, NULL) == 0) {
		expect_path = (int)p;
		expect_n = h.nlog;
	}
}

static void remove_path(unsigned p)
{
	if (expect_path == (int)p)
		expect_path = -1;
	eh_remove(&h, p);
	check_step();
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

/* P13: a random init either succeeds or is refused, as documented. */
static void init_property(void)
{
	static struct salua_engine e;
	static struct salua_engine_path slots[4];
	static uint8_t buf[16];
	struct salua_engine_ops o;
	struct salua_engine_config c;
	unsigned miss = below(8), bad = below(12);
	size_t npaths = below(5), cap = 6 + below(4);
	bool paths_null = below(8) == 0, buf_null = below(8) == 0;
	bool ok;
	int rc;

	eh_nop_ops(&o);
	if (miss == 0)
		o.submit = NULL;
	else if (miss == 1)
		o.arm = NULL;
	else if (miss == 2)
		o.cancel = NULL;
	else if (miss == 3)
		o.now = NULL;
	salua_engine_config_default(&c);
	switch (bad) {
	case 0: c.poll_min_ms = 0; break;
	case 1: c.poll_max_ms = c.poll_min_ms - 1u; break;
	case 2: c.poll_mode = (uint8_t)(2 + below(250)); break;
	case 3: c.transition_s = 0; break;
	case 4: c.cmd_timeout_ms = 0; break;
	case 5: c.poll_max_ms = c.poll_min_ms; break;              /* valid */
	case 6: c.poll_mode = SALUA_POLL_FIXED; break;             /* valid */
	case 7: c.transition_s = 1; c.cmd_timeout_ms = 1; break;   /* valid */
	default: break;
	}
	ok = miss >= 4 && (bad >= 5) && !(paths_null && npaths) &&
	     !buf_null && cap >= SALUA_ENGINE_MIN_BUF;
	rc = salua_engine_init(&e, bad >= 5 && below(4) == 0 ? NULL : &c, &o,
			       NULL, paths_null ? NULL : slots, npaths,
			       buf_null ? NULL : buf, cap);
	if (rc != (ok ? 0 : -SALUA_EINVAL))
		fail("P13 init accepts exactly the documented arguments");
	if (ok && !salua_engine_idle(&e))
		fail("P13 a fresh engine is idle");
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
	unsigned nports, npaths, steps, s, i;
	size_t buf_cap;

	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	init_property();
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
	if (below(4) == 0)
		ec.standby_poll_ms = 500 + below(3000);
	if (below(4) == 0) {
		ec.max_retries = (uint8_t)below(4);
		ec.max_resizes = (uint8_t)below(4);
		ec.initial_alloc = 4 + below(300);
	}
	/* no spare slots (often), and sometimes a small RTPG buffer */
	npaths = below(2) ? nports : nports + below(EH_MAX_PATHS - nports + 1);
	buf_cap = below(4) ? EH_BUF : 8 + below(256);
	eh_init_n(&h, &ec, below(2) != 0, npaths, buf_cap);
	h.verbose = verbose;
	h.pre = pre;
	h.post = post;
	h.act_hook = act_hook;
	eh_use_sim(&h, &sim, 0);
	req_seq = 0;
	fails_here = 0;
	memset(stpg_answered, 0, sizeof(stpg_answered));
	memset(stpg_ever, 0, sizeof(stpg_ever));
	expect_path = -1;
	streak = 0;
	refused = false;
	failed_mask = 0;
	sib_expect = -1;
	grow = 0;
	checked_subs = 0;
	check_subs();
	for (i = 0; i < nports; i++)
		if (below(4))
			add(i);
	check_step();
	steps = 4 + below(12);
	for (s = 0; s < steps; s++) {
		unsigned p = below(nports);
		unsigned op = below(100);

		if (op < 8) {
			if (!h.present[p])
				add(p);
			else
				remove_path(p);
		} else if (op < 11) {
			/* the path of a command in flight goes away */
			struct eh_pending *q = NULL;

			for (i = 0; i < EH_QUEUE; i++)
				if (h.q[i].used && !h.q[i].aborted &&
				    h.present[h.q[i].path] &&
				    (!q || h.q[i].kind == SALUA_CMD_STPG))
					q = &h.q[i];
			if (q)
				remove_path(q->path);
		} else if (op < 19) {
			request();
			salua_engine_rescan(&h.e);
		} else if (op < 32) {
			(void)salua_sim_set_state(&sim, 0, below(2),
						  states[below(4)],
						  below(3) ? below(4000) : 0);
		} else if (op < 50) {
			if (h.present[p]) {
				struct salua_verdict v;
				unsigned long s0 = ++h.seq;

				v = eh_sim_io(&h, p);
				if (v.actions & SALUA_ACT_RESCAN)
					req_seq = s0;
			}
		} else if (op < 60) {
			unsigned n = 1 + below(2);

			/* sometimes two activations of one group at once */
			while (n-- && h.nacts < EH_ACTS - 1) {
				if (h.present[p])
					request();
				eh_activate(&h, p);
				p ^= 1u;
			}
		} else if (op < 73) {
			static const enum salua_sim_inj k[] = {
				SALUA_SIM_INJ_DROP, SALUA_SIM_INJ_TRANSPORT,
				SALUA_SIM_INJ_BUSY, SALUA_SIM_INJ_BUSY
			};
			inject(k[below(4)], below(2) ? -1 : (int)p,
			       opcodes[below(4)],
			       1 + below(below(4) ? 3 : ec.max_retries + 3u), 0);
		} else if (op < 78) {
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
	if (below(10) == 0) {
		/* The LU goes away mid-run: everything ends at once. */
		salua_engine_shutdown(&h.e);
		if (!salua_engine_idle(&h.e) || h.timer_armed)
			fail("shutdown leaves the engine idle, no timer armed");
		for (i = 0; i < h.nacts; i++)
			if (h.acts[i].calls != 1)
				fail("P5 activation completed exactly once "
				     "(shutdown)");
		if (h.violations)
			fail("harness invariants (shutdown)");
		return;
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
