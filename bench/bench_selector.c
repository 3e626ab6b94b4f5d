/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * bench_selector - ns per pick of the salua path selector for 2, 8, 64 and
 * 1024 paths, per policy, single-threaded (core API, plain counters) and
 * with 2 threads (shims/host publisher: atomic map pointer, atomic
 * counters, a quiescent state every 64 picks), beside a naive selector
 * that scans every path per pick (as dm's queue-length and NVMe's
 * __nvme_find_path do) measured in the same run.
 *
 * Path set: of each 8 paths, 6 active/optimized (every 16th preferred),
 * 1 active/non-optimized, 1 standby; paths on 4 NUMA nodes (SLIT-like
 * table); relative throughput 1..3.  queue-depth and service-time rows
 * include the in-flight accounting (start on the picked path, end on the
 * path picked 2n picks earlier), so every path of the class stays busy
 * and the early exit at an idle path never fires: the worst case.
 * Rows "queue-depth/2" and "service-time/2" are the opt-in sampled picks
 * (cfg.sample: better of two drawn members, O(1), not exact) against the
 * same exact naive scan; their 2-thread figures are the publisher's sampled
 * picks (it honours map->sample as salua_sel_pick() does).
 *
 * Usage: bench_selector [-q]   (-q: fewer sizes, for a smoke run)
 */
#define SALUA_STATIC
#include "salua/salua.h"
#include "salua_selector_atomic.h"

#include <pthread.h>

#include "bench.h"

#define NNODES 4
#define NTHREADS 2
#define MAXP 1024

#ifndef BENCH_FLAGS
#define BENCH_FLAGS "?"
#endif

static const uint8_t dist[NNODES * NNODES] = {
	10, 16, 22, 22,
	16, 10, 22, 22,
	22, 22, 10, 16,
	22, 22, 16, 10,
};

struct thr {
	struct salua_selpub_reader *r;
	uint16_t ring[2 * MAXP];
	unsigned ring_len, ring_pos;
	uint32_t naive_last;
	unsigned tid;
};

struct ctx {
	unsigned n, policy, sample;
	struct salua_sel_cfg cfg;
	struct salua_sel sel;
	struct salua_sel_path paths[MAXP];
	struct salua_sel_slot slots[2][MAXP];
	uint16_t numa[2][NNODES];
	struct salua_sel_map map[2];
	struct salua_sel_map *cur_map;
	struct salua_sel_cursor cur;
	/* plain counters (1 thread) */
	uint32_t ios[MAXP];
	uint64_t bytes[MAXP];
	struct salua_sel_load load;
	/* atomic counters and publisher (2 threads) */
	_Atomic uint32_t aios[MAXP];
	_Atomic uint64_t abytes[MAXP];
	struct salua_selpub pub;
	struct salua_selpub_reader rd[NTHREADS];
	struct thr thr[NTHREADS + 1]; /* [NTHREADS] = the 1-thread runs */
	/* 2-thread runs */
	pthread_barrier_t bar;
	uint64_t iters;
	int naive;
	double t_ns[BENCH_REPS][NTHREADS];
};

static struct ctx C;

/* ---- the naive selector: every pick scans every path ------------------- */

static unsigned naive_dist(unsigned from, unsigned to)
{
	return to >= NNODES ? SALUA_SEL_LOCAL_DISTANCE : dist[from * NNODES + to];
}

/* Circular position of @i after @start in @n paths. */
static unsigned naive_pos(unsigned i, unsigned start, unsigned n)
{
	return i >= start ? i - start : i + n - start;
}

#define NAIVE_PICK(NAME, IOS, BYTES)                                           \
	static int NAME(struct ctx *c, struct thr *t, unsigned node,           \
			uint64_t nbytes)                                       \
	{                                                                      \
		const struct salua_sel_path *p = c->paths;                     \
		unsigned n = c->n, i, bc = SALUA_SEL_CLASS_NONE, cl;           \
		unsigned start = t->naive_last + 1 >= n ? 0 : t->naive_last + 1; \
		unsigned bk = 0, k;                                            \
		uint64_t bv = 0, v;                                            \
		int best = -1;                                                 \
                                                                               \
		for (i = 0; i < n; i++) {                                      \
			cl = salua_sel_class_of(&c->cfg, &p[i]);               \
			if (cl == SALUA_SEL_CLASS_NONE || cl > bc)             \
				continue;                                      \
			switch (c->policy) {                                   \
			case SALUA_SEL_NUMA:                                   \
				k = naive_dist(node, p[i].node) * 2u +         \
				    (p[i].pref ? 0u : 1u);                     \
				if (cl < bc || k < bk) {                       \
					bc = cl, bk = k, best = (int)i;        \
				}                                              \
				break;                                         \
			case SALUA_SEL_ROUND_ROBIN:                            \
				k = naive_pos(i, start, n);                    \
				if (cl < bc || k < bk) {                       \
					bc = cl, bk = k, best = (int)i;        \
				}                                              \
				break;                                         \
			case SALUA_SEL_QUEUE_DEPTH:                            \
				v = IOS(i);                                    \
				k = naive_pos(i, start, n);                    \
				if (cl < bc || v < bv || (v == bv && k < bk)) { \
					bc = cl, bv = v, bk = k, best = (int)i; \
				}                                              \
				break;                                         \
			case SALUA_SEL_SERVICE_TIME:                           \
				v = BYTES(i) + nbytes;                         \
				k = naive_pos(i, start, n);                    \
				if (cl < bc ||                                 \
				    salua_sel_st_less(v, p[i].tp, bv,          \
						      p[best].tp) ||           \
				    (!salua_sel_st_less(bv, p[best].tp, v,     \
							p[i].tp) &&            \
				     k < bk)) {                                \
					bc = cl, bv = v, bk = k, best = (int)i; \
				}                                              \
				break;                                         \
			default: /* failover: class, then PREF, then index */  \
				k = p[i].pref ? 0u : 1u;                       \
				if (cl < bc || k < bk) {                       \
					bc = cl, bk = k, best = (int)i;        \
				}                                              \
				break;                                         \
			}                                                      \
		}                                                              \
		if (best >= 0)                                                 \
			t->naive_last = (uint32_t)best;                        \
		return best >= 0 ? best : SALUA_SEL_FAIL;                      \
	}

#define PLAIN_IOS(i) c->ios[i]
#define PLAIN_BYTES(i) c->bytes[i]
#define ATOMIC_IOS(i) atomic_load_explicit(&c->aios[i], memory_order_relaxed)
#define ATOMIC_BYTES(i) atomic_load_explicit(&c->abytes[i], memory_order_relaxed)
NAIVE_PICK(naive_pick_plain, PLAIN_IOS, PLAIN_BYTES)
NAIVE_PICK(naive_pick_atomic, ATOMIC_IOS, ATOMIC_BYTES)

static int has_load(unsigned policy)
{
	return policy == SALUA_SEL_QUEUE_DEPTH ||
	       policy == SALUA_SEL_SERVICE_TIME;
}

/* ---- single-threaded bodies -------------------------------------------- */

static uint64_t ours_1t(void *vc, uint64_t iters)
{
	struct ctx *c = vc;
	struct thr *t = &c->thr[NTHREADS];
	const struct salua_sel_map *m = c->cur_map;
	uint64_t i, s = 0;
	int p;

	switch (c->policy) {
	case SALUA_SEL_NUMA:
		for (i = 0; i < iters; i++) {
			s += (uint64_t)salua_sel_pick_numa(m, (unsigned)i & 3);
			BENCH_BARRIER();
		}
		break;
	case SALUA_SEL_ROUND_ROBIN:
		for (i = 0; i < iters; i++) {
			s += (uint64_t)salua_sel_pick_rr(m, &c->cur);
			BENCH_BARRIER();
		}
		break;
	case SALUA_SEL_FAILOVER:
		for (i = 0; i < iters; i++) {
			s += (uint64_t)salua_sel_pick_failover(m);
			BENCH_BARRIER();
		}
		break;
	default:
		for (i = 0; i < iters; i++) {
			unsigned old = t->ring[t->ring_pos];

			if (c->sample)
				p = c->policy == SALUA_SEL_QUEUE_DEPTH
					    ? salua_sel_pick_qd2(m, &c->cur,
								 c->ios)
					    : salua_sel_pick_st2(m, &c->cur,
								 c->bytes, 4096);
			else
				p = c->policy == SALUA_SEL_QUEUE_DEPTH
					    ? salua_sel_pick_qd(m, &c->cur,
								c->ios)
					    : salua_sel_pick_st(m, &c->cur,
								c->bytes, 4096);
			salua_sel_io_start(&c->load, (unsigned)p, 4096);
			salua_sel_io_end(&c->load, old, 4096);
			t->ring[t->ring_pos] = (uint16_t)p;
			if (++t->ring_pos == t->ring_len)
				t->ring_pos = 0;
			s += (uint64_t)p;
			BENCH_BARRIER();
		}
		break;
	}
	return s;
}

static uint64_t naive_1t(void *vc, uint64_t iters)
{
	struct ctx *c = vc;
	struct thr *t = &c->thr[NTHREADS];
	uint64_t i, s = 0;
	int lo = has_load(c->policy);

	for (i = 0; i < iters; i++) {
		int p = naive_pick_plain(c, t, (unsigned)i & 3, 4096);

		if (lo) {
			unsigned old = t->ring[t->ring_pos];

			salua_sel_io_start(&c->load, (unsigned)p, 4096);
			salua_sel_io_end(&c->load, old, 4096);
			t->ring[t->ring_pos] = (uint16_t)p;
			if (++t->ring_pos == t->ring_len)
				t->ring_pos = 0;
		}
		s += (uint64_t)p;
		BENCH_BARRIER();
	}
	return s;
}

/* ---- two-thread bodies ---------------------------------------------- */

static uint64_t mt_body(struct ctx *c, struct thr *t, uint64_t iters)
{
	uint64_t i, s = 0;
	int lo = has_load(c->policy);

	for (i = 0; i < iters; i++) {
		int p;

		if (c->naive) {
			p = naive_pick_atomic(c, t, (unsigned)(i + t->tid) & 3,
					      4096);
		} else {
			const struct salua_sel_map *m = salua_selpub_map(&c->pub);

			p = salua_selpub_pick_map(&c->pub, m, t->r,
						  (unsigned)(i + t->tid) & 3,
						  4096);
		}
		if (lo) {
			unsigned old = t->ring[t->ring_pos];

			salua_selpub_io_start(&c->pub, (unsigned)p, 4096);
			salua_selpub_io_end(&c->pub, old, 4096);
			t->ring[t->ring_pos] = (uint16_t)p;
			if (++t->ring_pos == t->ring_len)
				t->ring_pos = 0;
		}
		if (!c->naive && (i & 63) == 63)
			salua_selpub_quiescent(&c->pub, t->r);
		s += (uint64_t)p;
		BENCH_BARRIER();
	}
	return s;
}

static void *mt_thread(void *arg)
{
	struct thr *t = arg;
	struct ctx *c = &C;
	unsigned r;

	salua_selpub_online(&c->pub, t->r);
	bench_sink += mt_body(c, t, c->iters / 8 + 1); /* warm-up */
	for (r = 0; r < BENCH_REPS; r++) {
		uint64_t t0;

		pthread_barrier_wait(&c->bar);
		t0 = bench_now_ns();
		bench_sink += mt_body(c, t, c->iters);
		c->t_ns[r][t->tid] =
			(double)(bench_now_ns() - t0) / (double)c->iters;
	}
	salua_selpub_offline(&c->pub, t->r);
	return NULL;
}

/* Fill the in-flight windows: 2n I/Os per ring, every class path busy. */
static void fill_rings(struct ctx *c, int mt)
{
	unsigned k, j, n = c->n;
	struct salua_sel_cursor cur = { 0 };

	memset(c->ios, 0, sizeof(c->ios));
	memset(c->bytes, 0, sizeof(c->bytes));
	for (k = 0; k < n; k++) {
		atomic_store(&c->aios[k], 0);
		atomic_store(&c->abytes[k], 0);
	}
	for (j = 0; j <= NTHREADS; j++) {
		struct thr *t = &c->thr[j];

		t->ring_len = 2 * n;
		t->ring_pos = 0;
		t->naive_last = 0;
		for (k = 0; k < t->ring_len; k++) {
			int p = salua_sel_pick_rr(c->cur_map, &cur);

			t->ring[k] = (uint16_t)p;
			if (j == NTHREADS)
				salua_sel_io_start(&c->load, (unsigned)p, 4096);
			else if (mt)
				salua_selpub_io_start(&c->pub, (unsigned)p, 4096);
		}
	}
}

static double measure_mt(struct ctx *c, int naive, uint64_t iters)
{
	pthread_t th[NTHREADS];
	double v[BENCH_REPS];
	unsigned j, r;

	c->naive = naive;
	c->iters = iters;
	fill_rings(c, 1);
	pthread_barrier_init(&c->bar, NULL, NTHREADS);
	for (j = 0; j < NTHREADS; j++) {
		c->thr[j].r = &c->rd[j];
		c->thr[j].tid = j;
		pthread_create(&th[j], NULL, mt_thread, &c->thr[j]);
	}
	for (j = 0; j < NTHREADS; j++)
		pthread_join(th[j], NULL);
	pthread_barrier_destroy(&c->bar);
	for (r = 0; r < BENCH_REPS; r++) {
		v[r] = 0;
		for (j = 0; j < NTHREADS; j++)
			v[r] += c->t_ns[r][j] / NTHREADS;
	}
	return bench_median(v, BENCH_REPS);
}

/* ---- rebuild cost ------------------------------------------------------ */

static uint64_t rebuild_body(void *vc, uint64_t iters)
{
	struct ctx *c = vc;
	uint64_t i, s = 0;

	for (i = 0; i < iters; i++) {
		(void)salua_sel_set_state(&c->sel, 0,
					  (i & 1) ? SALUA_STATE_ANO
						  : SALUA_STATE_AO,
					  true);
		s += (uint64_t)salua_sel_build(&c->sel, &c->map[1], 0);
		BENCH_BARRIER();
	}
	return s;
}

static void setup(struct ctx *c, unsigned n, unsigned policy,
		  unsigned sample)
{
	unsigned i;

	memset(&c->cfg, 0, sizeof(c->cfg));
	c->n = n;
	c->policy = policy;
	c->sample = sample;
	c->cfg.policy = (uint8_t)policy;
	c->cfg.sample = (uint8_t)sample;
	c->cfg.nnodes = NNODES;
	c->cfg.distance = dist;
	if (salua_sel_init(&c->sel, &c->cfg, c->paths, n) != 0)
		abort();
	for (i = 0; i < n; i++) {
		unsigned st = i % 8 == 7   ? SALUA_STATE_STANDBY
			      : i % 8 == 6 ? SALUA_STATE_ANO
					   : SALUA_STATE_AO;

		(void)salua_sel_set_state(&c->sel, i, st, i % 16 == 3);
		(void)salua_sel_set_node(&c->sel, i, i % NNODES);
		(void)salua_sel_set_tp(&c->sel, i, 1 + i % 3);
	}
	for (i = 0; i < 2; i++)
		if (salua_sel_map_init(&c->map[i], c->slots[i], MAXP,
				       c->numa[i], NNODES) != 0)
			abort();
	if (salua_sel_build(&c->sel, &c->map[0], 0) != 0)
		abort();
	c->cur_map = &c->map[0];
	c->cur.next = 0;
	c->load.ios = c->ios;
	c->load.lat = NULL;
	c->load.bytes = c->bytes;
	salua_selpub_init(&c->pub, c->rd, NTHREADS, c->aios, c->abytes, n);
	(void)salua_selpub_publish(&c->pub, &c->map[0]);
	fill_rings(c, 0);
}

static const char *fmt(char *buf, double v)
{
	snprintf(buf, 32, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
	return buf;
}

int main(int argc, char **argv)
{
	static const unsigned sizes[] = { 2, 8, 64, 1024 };
	static const unsigned pols[] = { SALUA_SEL_NUMA, SALUA_SEL_ROUND_ROBIN,
					 SALUA_SEL_FAILOVER,
					 SALUA_SEL_QUEUE_DEPTH,
					 SALUA_SEL_SERVICE_TIME,
					 SALUA_SEL_QUEUE_DEPTH,
					 SALUA_SEL_SERVICE_TIME };
	/* The last two rows: sampled picks (cfg.sample). */
	static const unsigned smp[] = { 0, 0, 0, 0, 0, 1, 1 };
	int quick = argc > 1 && !strcmp(argv[1], "-q");
	unsigned si, pi, misses = 0;
	double res[4][7][4];

	printf("## salua selector: ns per pick\n\n");
	bench_machine(stdout, BENCH_FLAGS);
	printf("- Path set: per 8 paths 6 AO (every 16th preferred), 1 ANO, "
	       "1 standby; 4 NUMA nodes; qd/st rows include start/end "
	       "accounting with 2n I/Os in flight (no idle path)\n\n");
	bench_row(stdout, 9, "policy", "paths", "class", "ours 1T",
		  "naive 1T", "naive/ours 1T", "ours 2T", "naive 2T",
		  "naive/ours 2T");
	bench_rule(stdout, 9);
	for (pi = 0; pi < SALUA_ARRAY_SIZE(pols); pi++) {
		for (si = 0; si < SALUA_ARRAY_SIZE(sizes); si++) {
			struct ctx *c = &C;
			uint64_t it_o, it_n;
			double o1, n1, o2, n2;
			char b[7][32];

			if (quick && sizes[si] != 64)
				continue;
			setup(c, sizes[si], pols[pi], smp[pi]);
			it_o = bench_calibrate(ours_1t, c);
			o1 = bench_run(ours_1t, c, it_o, BENCH_REPS);
			it_n = bench_calibrate(naive_1t, c);
			n1 = bench_run(naive_1t, c, it_n, BENCH_REPS);
			o2 = measure_mt(c, 0, it_o);
			n2 = measure_mt(c, 1, it_n);
			res[si][pi][0] = o1;
			res[si][pi][1] = n1;
			res[si][pi][2] = o2;
			res[si][pi][3] = n2;
			snprintf(b[4], 32, "%u", sizes[si]);
			snprintf(b[5], 32, "%u", c->cur_map->n);
			{
				char r1[32], r2[32];

				snprintf(r1, 32, "%.1fx", n1 / o1);
				snprintf(r2, 32, "%.1fx", n2 / o2);
				snprintf(b[6], 32, "%s%s",
					 salua_sel_policy_name(pols[pi]),
					 smp[pi] ? "/2" : "");
				bench_row(stdout, 9, b[6], b[4], b[5],
					  fmt(b[0], o1), fmt(b[1], n1), r1,
					  fmt(b[2], o2), fmt(b[3], n2), r2);
			}
			fflush(stdout);
		}
	}

	printf("\nMap rebuild (salua_sel_build, state flip + build, numa "
	       "table for 4 nodes):\n\n");
	bench_row(stdout, 2, "paths", "ns per rebuild");
	bench_rule(stdout, 2);
	for (si = 0; si < SALUA_ARRAY_SIZE(sizes); si++) {
		char b[2][32];

		if (quick && sizes[si] != 64)
			continue;
		setup(&C, sizes[si], SALUA_SEL_NUMA, 0);
		snprintf(b[0], 32, "%u", sizes[si]);
		bench_row(stdout, 2, b[0],
			  fmt(b[1], bench_measure(rebuild_body, &C)));
	}

	printf("\nTargets (single-threaded):\n");
	for (si = 0; si < SALUA_ARRAY_SIZE(sizes) && !quick; si++) {
		for (pi = 0; pi < 3; pi++) {
			int ok = res[si][pi][0] <= 5.0;

			misses += !ok;
			printf("- %s, %u paths: %.2f ns <= 5 ns: %s\n",
			       salua_sel_policy_name(pols[pi]), sizes[si],
			       res[si][pi][0], ok ? "met" : "MISSED");
		}
	}
	if (!quick) {
		int ok = res[2][3][0] <= 20.0;

		misses += !ok;
		printf("- queue-depth, 64 paths: %.2f ns <= 20 ns: %s\n",
		       res[2][3][0], ok ? "met" : "MISSED");
		printf("- queue-depth/2 (sampled), 64 paths: %.2f ns <= 20 ns: "
		       "%s (not counted)\n", res[2][5][0],
		       res[2][5][0] <= 20.0 ? "met" : "MISSED");
		for (pi = 0; pi < SALUA_ARRAY_SIZE(pols); pi++) {
			double r = res[3][pi][1] / res[3][pi][0];

			ok = r >= 10.0;
			/* The exact picks are the targets; sampled is extra. */
			if (!smp[pi])
				misses += !ok;
			printf("- %s%s, 1024 paths: %.0fx faster than naive "
			       "(>= 10x): %s%s\n",
			       salua_sel_policy_name(pols[pi]),
			       smp[pi] ? "/2 (sampled)" : "", r,
			       ok ? "met" : "MISSED",
			       smp[pi] ? " (not counted)" : "");
		}
	}
	printf("\n%u target(s) missed\n", misses);
	return 0;
}
