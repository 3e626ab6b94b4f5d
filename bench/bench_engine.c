/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * bench_engine - the per-LU engine at scale and through a failover, on the
 * simulated array (shims/target/sim) with a virtual clock.
 *
 * Scale: N logical units x 8 paths (8 target ports, 2 port groups of 4),
 * one struct salua_engine per LU.  After discovery every LU fails over at
 * once (group 0 AO -> STANDBY, group 1 STANDBY -> AO, no transition time)
 * and every path reports UNIT ATTENTION 2A/06 (the first UA the sim queued
 * on that nexus; the others are drained unseen).  The storm is run to
 * idle.  Counted: RTPGs issued per LU (must be exactly 1), every path's
 * final state (checked), and the CPU time spent inside the engine's entry
 * points (salua_engine_sense / _timer / _complete; the sim's work and the
 * event loop are outside the timed batches), per event and per LU.
 * Completions are asynchronous (1 ms of virtual latency), so submit() only
 * records the command.  Memory: the caller-owned structs the engine needs
 * (struct salua_engine per LU, struct salua_engine_path per path); the
 * RTPG data-in buffer is reported separately.
 *
 * Failover: one LU, 2 paths (tests/lib/engine_harness.h, the engine's own
 * test harness, routed to the sim), the target takes T in {0.2, 2, 20, 200}
 * s to transition; the host sees 2A/06 once and sends no other I/O (the
 * worst case: only the engine's re-polls can notice the end).  Measured:
 * virtual time from that UA to the last path showing its final state, and
 * RTPG / TUR commands issued, for the adaptive schedule (100 ms doubling to
 * 2 s) and the fixed 2 s re-poll (Linux).  Virtual time is deterministic,
 * so one run per case; a sweep T + j * 97 ms (j = 0..9) gives the mean
 * over the phase between the transition and the poll schedule.
 *
 * Usage: bench_engine [-q] [--rows FILE]
 *   -q          only 1024 LUs, fewer repetitions (smoke run)
 *   --rows FILE append summary rows (Markdown) to FILE for bench/run.sh
 */
#define SALUA_STATIC
#define EH_WITH_SIM
#include "salua/salua.h"
#include "salua_sim.h"
#include "engine_harness.h"

#include "bench.h"

#ifndef BENCH_FLAGS
#define BENCH_FLAGS "?"
#endif

#define NPATHS 8
#define LUS_PER_SIM 64u
#define RTPG_BUF 128u
#define LATENCY_MS 1u

/* ---- scale: one LU ---------------------------------------------------- */

struct lu {
	/* what the library needs from the caller */
	struct salua_engine e;
	struct salua_engine_path paths[NPATHS];
	uint8_t buf[RTPG_BUF];
	/* bench bookkeeping: the one command in flight, the one timer */
	uint64_t timer_at; /* 0: not armed */
	uint64_t due;      /* completion time of the command in flight */
	uint32_t tag;
	uint32_t din_len;
	uint8_t *din;
	const uint8_t *dout;
	uint32_t dout_len;
	uint8_t cdb[SALUA_CDB12_LEN];
	uint8_t cdb_len;
	uint8_t path;
	bool pend;
	unsigned notifies;
	struct salua_sim *sim;
	unsigned lun;
};

static uint64_t g_now;
static unsigned g_violations;
static struct lu *L;
static struct salua_sim *S;
static struct salua_sim_result *R; /* per LU: the completion being delivered */
static uint8_t (*SENSE)[NPATHS][32];
static uint8_t (*SENSE_LEN)[NPATHS];

static int sc_submit(void *ctx, unsigned path, const struct salua_engine_cmd *c)
{
	struct lu *l = (struct lu *)ctx;

	if (l->pend || path >= NPATHS)
		g_violations++; /* at most one command in flight per LU */
	l->pend = true;
	l->due = g_now + LATENCY_MS;
	l->tag = c->tag;
	l->path = (uint8_t)path;
	memcpy(l->cdb, c->cdb, sizeof(l->cdb));
	l->cdb_len = c->cdb_len;
	l->din = c->din;
	l->din_len = c->din_len;
	l->dout = c->dout;
	l->dout_len = c->dout_len;
	return 0;
}

static void sc_arm(void *ctx, uint64_t at)
{
	((struct lu *)ctx)->timer_at = at ? at : 1;
}

static void sc_cancel(void *ctx)
{
	((struct lu *)ctx)->timer_at = 0;
}

static uint64_t sc_now(void *ctx)
{
	(void)ctx;
	return g_now;
}

static void sc_notify(void *ctx, unsigned path, uint8_t state, bool pref,
		      uint8_t supported)
{
	(void)path, (void)state, (void)pref, (void)supported;
	((struct lu *)ctx)->notifies++;
}

static const struct salua_engine_ops sc_ops = {
	sc_submit, sc_arm, sc_cancel, sc_now, sc_notify, NULL
};

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* CPU ns spent in the engine per kind of event, and the event counts. */
struct tally {
	uint64_t ns[3], n[3]; /* 0 sense, 1 timer, 2 completion */
};

static void sc_setup(unsigned n)
{
	struct salua_sim_config sc;
	unsigned i, p, nsim = (n + LUS_PER_SIM - 1) / LUS_PER_SIM;

	salua_sim_config_default(&sc);
	sc.luns = LUS_PER_SIM;
	sc.ports = NPATHS;
	sc.groups = 2;
	sc.latency_ms = LATENCY_MS;
	for (i = 0; i < nsim; i++)
		if (salua_sim_init(&S[i], &sc) != 0)
			g_violations++;
	g_now = 1000;
	memset(L, 0, (size_t)n * sizeof(*L));
	for (i = 0; i < n; i++) {
		struct lu *l = &L[i];

		l->sim = &S[i / LUS_PER_SIM];
		l->lun = i % LUS_PER_SIM;
		if (salua_engine_init(&l->e, NULL, &sc_ops, l, l->paths, NPATHS,
				      l->buf, sizeof(l->buf)))
			g_violations++;
		for (p = 0; p < NPATHS; p++)
			if (salua_engine_add_path(
				    &l->e, p, (uint16_t)(p + 1),
				    (uint16_t)(salua_sim_group_of_port(l->sim, p) +
					       1u),
				    true))
				g_violations++;
	}
}

/* Run every LU's events to idle; time the engine calls into @t. */
static void sc_run(unsigned n, struct tally *t)
{
	for (;;) {
		uint64_t next = UINT64_MAX, t0;
		unsigned i, k;

		for (i = 0; i < n; i++) {
			if (L[i].pend && L[i].due < next)
				next = L[i].due;
			if (L[i].timer_at && L[i].timer_at < next)
				next = L[i].timer_at;
		}
		if (next == UINT64_MAX)
			return;
		if (next > g_now)
			g_now = next;
		/* the array answers (not timed) */
		for (i = 0; i < n; i++) {
			struct lu *l = &L[i];

			if (!l->pend || l->due > g_now)
				continue;
			salua_sim_set_time(l->sim, g_now);
			memset(&R[i], 0, sizeof(R[i]));
			if (salua_sim_command(l->sim, l->path, l->lun, l->cdb,
					      l->cdb_len, l->dout, l->dout_len,
					      l->din, l->din_len, &R[i]) < 0)
				g_violations++;
		}
		/* the engine takes the completions (timed) */
		k = 0;
		t0 = cpu_ns();
		for (i = 0; i < n; i++) {
			struct lu *l = &L[i];
			struct salua_engine_completion c;

			if (!l->pend || l->due > g_now)
				continue;
			l->pend = false;
			c.xfer = SALUA_XFER_OK;
			c.status = R[i].status;
			c.sense = R[i].sense_len ? R[i].sense : NULL;
			c.sense_len = R[i].sense_len;
			c.data_len = R[i].data_len;
			if (salua_engine_complete(&l->e, l->tag, &c) < 0)
				g_violations++;
			k++;
		}
		t->ns[2] += cpu_ns() - t0;
		t->n[2] += k;
		/* timers (timed) */
		k = 0;
		t0 = cpu_ns();
		for (i = 0; i < n; i++) {
			struct lu *l = &L[i];

			if (!l->timer_at || l->timer_at > g_now)
				continue;
			l->timer_at = 0;
			salua_engine_timer(&l->e);
			k++;
		}
		t->ns[1] += cpu_ns() - t0;
		t->n[1] += k;
	}
}

struct scale_res {
	double cpu_ms, ns_event, ns_kind[3];
	uint64_t events, n_kind[3];
	unsigned rtpg_min, rtpg_max, tur, bad_state;
	uint64_t rtpg;
};

static void sc_storm(unsigned n, struct scale_res *r)
{
	static const uint8_t tur[6] = { 0 };
	struct tally t;
	unsigned i, p;
	uint64_t t0;
	uint32_t *rt0 = calloc(n, sizeof(*rt0)), *tu0 = calloc(n, sizeof(*tu0));

	memset(&t, 0, sizeof(t));
	memset(r, 0, sizeof(*r));
	sc_setup(n);
	sc_run(n, &t); /* discovery */
	memset(&t, 0, sizeof(t));
	for (i = 0; i < n; i++) {
		rt0[i] = salua_engine_get_counters(&L[i].e)->rtpg;
		tu0[i] = salua_engine_get_counters(&L[i].e)->tur;
	}
	/* Every LU fails over at once; collect each nexus' first UA. */
	for (i = 0; i < n; i++) {
		struct lu *l = &L[i];

		salua_sim_set_time(l->sim, g_now);
		if (salua_sim_set_state(l->sim, l->lun, 0, SALUA_STATE_STANDBY,
					0) ||
		    salua_sim_set_state(l->sim, l->lun, 1, SALUA_STATE_AO, 0))
			g_violations++;
		for (p = 0; p < NPATHS; p++) {
			struct salua_sim_result sr;
			bool first = true;

			SENSE_LEN[i][p] = 0;
			do {
				memset(&sr, 0, sizeof(sr));
				(void)salua_sim_command(l->sim, p, l->lun, tur,
							sizeof(tur), NULL, 0,
							NULL, 0, &sr);
				if (first && sr.sense_len) {
					memcpy(SENSE[i][p], sr.sense,
					       sr.sense_len);
					SENSE_LEN[i][p] = sr.sense_len;
				}
				first = false;
			} while (salua_sim_ua_pending(l->sim, p, l->lun));
			if (!SENSE_LEN[i][p])
				g_violations++;
		}
	}
	/* The storm: 8 x N senses, then the engine runs to idle. */
	t0 = cpu_ns();
	for (i = 0; i < n; i++)
		for (p = 0; p < NPATHS; p++)
			(void)salua_engine_sense(&L[i].e, p,
						 SALUA_STATUS_CHECK_CONDITION,
						 SENSE[i][p], SENSE_LEN[i][p]);
	t.ns[0] = cpu_ns() - t0;
	t.n[0] = (uint64_t)n * NPATHS;
	sc_run(n, &t);

	r->rtpg_min = UINT32_MAX;
	for (i = 0; i < n; i++) {
		const struct salua_engine_counters *c =
			salua_engine_get_counters(&L[i].e);
		unsigned d = c->rtpg - rt0[i];

		r->rtpg += d;
		r->tur += c->tur - tu0[i];
		if (d < r->rtpg_min)
			r->rtpg_min = d;
		if (d > r->rtpg_max)
			r->rtpg_max = d;
		for (p = 0; p < NPATHS; p++) {
			uint8_t st = 0xff;

			if (salua_engine_path_get(&L[i].e, p, &st, NULL, NULL) !=
				    1 ||
			    st != (p < NPATHS / 2 ? SALUA_STATE_STANDBY
						  : SALUA_STATE_AO))
				r->bad_state++;
		}
	}
	for (i = 0; i < 3; i++) {
		r->events += t.n[i];
		r->n_kind[i] = t.n[i];
		r->ns_kind[i] = t.n[i] ? (double)t.ns[i] / (double)t.n[i] : 0;
		r->cpu_ms += (double)t.ns[i] / 1e6;
	}
	r->ns_event = r->cpu_ms * 1e6 / (double)r->events;
	free(rt0);
	free(tu0);
}

/* ---- failover (engine_harness.h + sim) -------------------------------- */

static struct salua_sim fsim;
static struct eh h;

struct fo {
	uint64_t ua_to_final_ms;
	unsigned rtpg, tur, retries;
};

static struct fo fo_run(bool fixed, uint32_t t_ms)
{
	struct salua_sim_config sc;
	struct salua_engine_config ec;
	const struct salua_engine_counters *c;
	struct fo f;
	uint64_t t0, tend;
	unsigned r0, u0, q0;

	memset(&f, 0, sizeof(f));
	salua_sim_config_default(&sc);
	sc.latency_ms = LATENCY_MS;
	sc.implicit_transition_secs = 0; /* engine default timeout, 255 s */
	salua_engine_config_default(&ec);
	if (fixed)
		ec.poll_mode = SALUA_POLL_FIXED;
	if (salua_sim_init(&fsim, &sc))
		g_violations++;
	eh_init(&h, &ec, true);
	eh_use_sim(&h, &fsim, 0);
	if (eh_add(&h, 0, 0) || eh_add(&h, 1, 1) || !eh_settle(&h, 10000))
		g_violations++;
	c = salua_engine_get_counters(&h.e);
	r0 = c->rtpg;
	u0 = c->tur;
	q0 = c->retries;
	t0 = h.now;
	tend = t0 + t_ms;
	if (salua_sim_set_state(&fsim, 0, 0, SALUA_STATE_STANDBY, t_ms) ||
	    salua_sim_set_state(&fsim, 0, 1, SALUA_STATE_AO, t_ms))
		g_violations++;
	(void)eh_sim_io(&h, 0); /* the one 2A/06 the host sees */
	while (!(h.st[0] == SALUA_STATE_STANDBY && h.st[1] == SALUA_STATE_AO &&
		 h.now >= tend))
		if (!eh_step(&h, t0 + 600000))
			break;
	f.ua_to_final_ms = h.last_notify_at - t0;
	(void)eh_settle(&h, 600000);
	f.rtpg = c->rtpg - r0;
	f.tur = c->tur - u0;
	f.retries = c->retries - q0;
	if (h.st[0] != SALUA_STATE_STANDBY || h.st[1] != SALUA_STATE_AO ||
	    h.violations || h.max_inflight_rtpg != 1)
		g_violations++;
	return f;
}

/* ---- output ----------------------------------------------------------- */

static FILE *rows;

static const char *fmt(char *buf, double v)
{
	snprintf(buf, 32, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
	return buf;
}

static int cmp_res(const void *a, const void *b)
{
	double x = ((const struct scale_res *)a)->cpu_ms;
	double y = ((const struct scale_res *)b)->cpu_ms;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const unsigned sizes[] = { 1024, 4096, 16384 };
	static const unsigned reps_of[] = { 11, 7, 5 };
	static const uint32_t ts[] = { 200, 2000, 20000, 200000 };
	const size_t eng = sizeof(struct salua_engine);
	const size_t pth = sizeof(struct salua_engine_path);
	unsigned nsizes = 3, si, i, m;
	int quick = 0, a;
	char b[12][32], cell[3][160];

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-q"))
			quick = 1;
		else if (!strcmp(argv[a], "--rows") && a + 1 < argc) {
			rows = fopen(argv[++a], "a");
			if (!rows) {
				perror(argv[a]);
				return 2;
			}
		}
	}
	if (quick)
		nsizes = 1;
	L = calloc(16384, sizeof(*L));
	S = calloc(16384 / LUS_PER_SIM, sizeof(*S));
	R = calloc(16384, sizeof(*R));
	SENSE = calloc(16384, sizeof(*SENSE));
	SENSE_LEN = calloc(16384, sizeof(*SENSE_LEN));
	if (!L || !S || !R || !SENSE || !SENSE_LEN)
		return 2;

	printf("## Engine: UA storm at scale, failover timing (simulated "
	       "array, virtual clock)\n\n");
	bench_machine(stdout, BENCH_FLAGS);
	printf("- Scale method: median (by total CPU) of 11 / 7 / 5 storms for "
	       "1 024 / 4 096 / 16 384 LUs; CPU = CLOCK_PROCESS_CPUTIME_ID "
	       "around batches of engine calls only\n\n");

	printf("| LUs x paths | RTPGs (per LU min-max) | TURs | events | "
	       "engine CPU ms | ns/event | ns/sense | ns/timer | ns/completion "
	       "| CPU us per LU | engine + paths memory |\n");
	bench_rule(stdout, 11);
	for (si = 0; si < nsizes; si++) {
		unsigned n = sizes[si], reps = quick ? 3 : reps_of[si];
		struct scale_res res[11], *r;
		double kib = (double)n * (double)(eng + NPATHS * pth) / 1024.0;

		for (i = 0; i < reps; i++)
			sc_storm(n, &res[i]);
		qsort(res, reps, sizeof(res[0]), cmp_res);
		r = &res[reps / 2];
		snprintf(b[0], 32, "%u x %d", n, NPATHS);
		snprintf(b[1], 32, "%llu (%u-%u)", (unsigned long long)r->rtpg,
			 r->rtpg_min, r->rtpg_max);
		snprintf(b[2], 32, "%u", r->tur);
		snprintf(b[3], 32, "%llu", (unsigned long long)r->events);
		snprintf(b[9], 32, "%.0f KiB", kib);
		bench_row(stdout, 11, b[0], b[1], b[2], b[3], fmt(b[4], r->cpu_ms),
			  fmt(b[5], r->ns_event), fmt(b[6], r->ns_kind[0]),
			  fmt(b[7], r->ns_kind[1]), fmt(b[8], r->ns_kind[2]),
			  fmt(b[10], r->cpu_ms * 1000.0 / n), b[9]);
		if (r->bad_state)
			g_violations++;
		if (rows) {
			char what[64];

			snprintf(what, sizeof(what),
				 "UA storm, %u LUs x 8 paths", n);
			snprintf(cell[0], sizeof(cell[0]),
				 "%llu RTPGs (%u-%u per LU), %s ns/event, "
				 "%s ms CPU", (unsigned long long)r->rtpg,
				 r->rtpg_min, r->rtpg_max,
				 fmt(b[5], r->ns_event), fmt(b[4], r->cpu_ms));
			bench_row(rows, 7, "engine scale", what, cell[0], "-",
				  "-", "1 RTPG per LU",
				  r->rtpg_min == 1 && r->rtpg_max == 1 &&
						  !r->bad_state
					  ? "yes"
					  : "**no**");
		}
	}
	printf("\nMemory (caller-owned, per LU): struct salua_engine %zu B + "
	       "%d x struct salua_engine_path %zu B = %zu B per LU (targets: "
	       "<= 256 B per LU, <= 64 B per path: %s); RTPG data-in buffer "
	       "%u B per LU (not counted; the engine's first allocation length "
	       "is 128, this layout needs 56).  Grows linearly: %zu B x N.\n",
	       eng, NPATHS, pth, eng + NPATHS * pth,
	       eng <= 256 && pth <= 64 ? "met" : "NOT met", RTPG_BUF,
	       eng + NPATHS * pth);
	if (rows) {
		snprintf(cell[0], sizeof(cell[0]), "%zu B per LU, %zu B per path",
			 eng, pth);
		bench_row(rows, 7, "engine memory",
			  "caller-owned structs (RTPG buffer excluded)", cell[0],
			  "-", "-", "<= 256 B / LU, <= 64 B / path",
			  eng <= 256 && pth <= 64 ? "yes" : "**no**");
	}

	printf("\n### Failover: UA -> last path final (virtual ms), RTPG + TUR "
	       "issued\n\n");
	printf("One LU, 2 paths, latency 1 ms, TUR pre-check on, no host I/O "
	       "after the single 2A/06; T exact, and the mean over T + j x 97 ms "
	       "(j = 0..9).  Re-issued: commands repeated after a UNIT "
	       "ATTENTION still queued on the nexus (the sim queues 2A/06 on "
	       "every nexus as each group enters and leaves TRANSITIONING).\n\n");
	printf("| T | adaptive: UA->final | RTPG + TUR | mean (sweep) | fixed 2 s: "
	       "UA->final | RTPG + TUR | mean (sweep) | fixed/adaptive (mean "
	       "detection delay) |\n");
	bench_rule(stdout, 8);
	for (i = 0; i < (quick ? 2u : 4u); i++) {
		struct fo f[2];
		double mean[2], late[2];
		unsigned j;

		for (m = 0; m < 2; m++) {
			uint64_t sum = 0;

			f[m] = fo_run(m != 0, ts[i]);
			for (j = 0; j < 10; j++)
				sum += fo_run(m != 0, ts[i] + j * 97u)
					       .ua_to_final_ms -
				       (ts[i] + j * 97u);
			late[m] = (double)sum / 10.0; /* after the end of T */
			mean[m] = late[m] + ts[i] + 4.5 * 97.0;
		}
		snprintf(b[0], 32, "%g s", ts[i] / 1000.0);
		for (m = 0; m < 2; m++) {
			snprintf(b[1 + 3 * m], 32, "%llu ms",
				 (unsigned long long)f[m].ua_to_final_ms);
			snprintf(b[2 + 3 * m], 32, "%u + %u (%u re-issued)",
				 f[m].rtpg, f[m].tur, f[m].retries);
			snprintf(b[3 + 3 * m], 32, "%.0f ms (+%.0f)", mean[m],
				 late[m]);
		}
		snprintf(b[7], 32, "%.1fx", late[1] / (late[0] > 0 ? late[0] : 1));
		bench_row(stdout, 8, b[0], b[1], b[2], b[3], b[4], b[5], b[6],
			  b[7]);
		if (rows) {
			char what[64];

			snprintf(what, sizeof(what),
				 "failover T = %g s: UA -> final; RTPG + TUR",
				 ts[i] / 1000.0);
			snprintf(cell[0], sizeof(cell[0]), "adaptive %s; %s",
				 b[1], b[2]);
			snprintf(cell[1], sizeof(cell[1]), "fixed 2 s %s; %s",
				 b[4], b[5]);
			snprintf(cell[2], sizeof(cell[2]),
				 "%s (delay after T, sweep mean %.0f vs %.0f ms)",
				 b[7], late[1], late[0]);
			bench_row(rows, 7, "failover", what, cell[0], cell[1],
				  cell[2], "-", "-");
		}
	}
	printf("\n%u violation(s) (wrong final state, more than one command "
	       "in flight, harness invariant)\n", g_violations);
	if (rows)
		fclose(rows);
	free(L);
	free(S);
	free(R);
	free(SENSE);
	free(SENSE_LEN);
	return g_violations ? 1 : 0;
}
