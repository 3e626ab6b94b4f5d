/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * ThreadSanitizer test of the user-space selector publisher
 * (shims/host/salua_selector_atomic.h): three threads pick (every policy,
 * with live atomic in-flight counters and latency averages they update on
 * completion) while a writer flips path states, enabled flags, marginal
 * marks, latency weights, the policy and cfg.sample (so queue-depth and
 * service-time run both exact and sampled) and republishes the map, for a
 * few seconds.
 * Checks: every pick is a path usable in the map it read; no map is
 * rebuilt while a reader holds it (its generation is unchanged after the
 * pick); the counters return to zero; both exact and sampled queue-depth /
 * service-time picks happened; and TSan reports no race.  Before the threads
 * start, one thread checks that the shim's picks (exact, sampled and
 * latency) equal the core's for the same cursor, counter and average
 * values.
 *
 * Usage: tsan_selector [seconds]   (default 3)
 */
#define SALUA_STATIC
#include "salua/salua.h"
#include "salua_selector_atomic.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "salua_test.h"
#include "vectors.h"

#define NPATHS 16
#define NNODES 2
#define NREADERS 3

static struct salua_sel sel;
static struct salua_sel_path paths[NPATHS];
static struct salua_sel_map maps[2];
static struct salua_sel_slot slots[2][NPATHS];
static uint16_t wheel[2][NPATHS * SALUA_SEL_LAT_WMAX];
static _Atomic uint32_t lat[NPATHS];
static uint16_t numa_tab[2][NNODES];
static struct salua_selpub pub;
static struct salua_selpub_reader rd[NREADERS];
static _Atomic uint32_t ios[NPATHS];
static _Atomic uint64_t bytes[NPATHS];
static atomic_int stop;

struct reader_stats {
	unsigned long picks, paths, queued, failed, bad, torn, exact, sampled;
};
static struct reader_stats stats[NREADERS];

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void *reader(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;
	struct salua_selpub_reader *r = &rd[id];
	struct reader_stats *st = &stats[id];
	unsigned k = 0;

	salua_selpub_online(&pub, r);
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		const struct salua_sel_map *m = salua_selpub_map(&pub);
		uint32_t gen = m->gen;
		int p = (k & 15) == 15 ? salua_selpub_pick_rr_shared(&pub, m)
				       : salua_selpub_pick_map(&pub, m, r,
							       k & 1, 4096);

		st->picks++;
		if ((k & 15) != 15 && (m->policy == SALUA_SEL_QUEUE_DEPTH ||
				       m->policy == SALUA_SEL_SERVICE_TIME)) {
			if (m->sample)
				st->sampled++;
			else
				st->exact++;
		}
		if (p >= 0) {
			st->paths++;
			if (!salua_sel_map_usable(m, (unsigned)p))
				st->bad++;
			salua_selpub_io_start(&pub, (unsigned)p, 4096);
			salua_selpub_io_end(&pub, (unsigned)p, 4096);
			(void)salua_selpub_lat_sample(&pub, (unsigned)p,
						      100u + (k & 255u) *
								     (unsigned)p);
		} else if (p == SALUA_SEL_QUEUE) {
			st->queued++;
		} else if (p == SALUA_SEL_FAIL) {
			st->failed++;
		} else {
			st->bad++;
		}
		if (m->gen != gen)
			st->torn++;
		if ((++k & 63) == 0)
			salua_selpub_quiescent(&pub, r);
		if ((k & 1023) == 0) {
			/* More threads than cores: let the writer run. */
			salua_selpub_offline(&pub, r);
			sched_yield();
			salua_selpub_online(&pub, r);
		}
	}
	salua_selpub_offline(&pub, r);
	return NULL;
}

int main(int argc, char **argv)
{
	static const uint8_t states[] = {
		SALUA_STATE_AO, SALUA_STATE_AO, SALUA_STATE_ANO,
		SALUA_STATE_STANDBY, SALUA_STATE_UNAVAILABLE,
		SALUA_STATE_LBA_DEPENDENT, SALUA_STATE_OFFLINE,
		SALUA_STATE_TRANSITIONING
	};
	struct salua_sel_cfg cfg;
	struct salua_sel_map *spare;
	pthread_t th[NREADERS];
	unsigned seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 3u;
	unsigned long updates = 0, picks = 0, got = 0, queued = 0, failed = 0;
	unsigned long exact = 0, sampled = 0;
	uint64_t t0, end;
	uint32_t seed = 12345;
	unsigned i;
	int err = 0;

	T_CASE("setup");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_ROUND_ROBIN;
	cfg.lbd = SALUA_SEL_LBD_LAST;
	cfg.nnodes = NNODES;
	CHECK_EQ(salua_sel_init(&sel, &cfg, paths, NPATHS), 0);
	for (i = 0; i < NPATHS; i++) {
		CHECK(salua_sel_set_state(&sel, i, states[i % 8], i % 5 == 0) >= 0);
		CHECK(salua_sel_set_node(&sel, i, i % NNODES) >= 0);
		CHECK(salua_sel_set_tp(&sel, i, 1 + i % 4) >= 0);
	}
	for (i = 0; i < 2; i++) {
		CHECK_EQ(salua_sel_map_init(&maps[i], slots[i], NPATHS,
					    numa_tab[i], NNODES), 0);
		CHECK_EQ(salua_sel_map_set_wheel(&maps[i], wheel[i],
						 NPATHS * SALUA_SEL_LAT_WMAX), 0);
	}
	salua_selpub_init(&pub, rd, NREADERS, ios, bytes, NPATHS);
	salua_selpub_set_lat(&pub, lat);
	t0 = now_ms();
	spare = salua_selpub_update(&pub, &sel, &maps[0], t0, &err);
	CHECK_EQ(err, 0);
	CHECK(spare == NULL);
	spare = &maps[1];

	T_CASE("shim picks equal core picks (one thread)");
	{
		uint32_t pios[NPATHS];
		uint64_t pbytes[NPATHS];
		struct salua_sel_cursor cc = { 0 };
		unsigned it, j, same = 0;

		rd[0].cur.next = 0;
		for (it = 0; it < 2000; it++) {
			for (j = 0; j < NPATHS; j++) {
				pios[j] = t_xorshift32(&seed) % 4;
				pbytes[j] = (uint64_t)(t_xorshift32(&seed) % 4) * 4096;
				atomic_store(&ios[j], pios[j]);
				atomic_store(&bytes[j], pbytes[j]);
			}
			maps[0].policy = SALUA_SEL_QUEUE_DEPTH;
			same += salua_selpub_pick_map(&pub, &maps[0], &rd[0], 0, 0) ==
				salua_sel_pick_qd(&maps[0], &cc, pios);
			maps[0].policy = SALUA_SEL_SERVICE_TIME;
			same += salua_selpub_pick_map(&pub, &maps[0], &rd[0], 0,
						      4096) ==
				salua_sel_pick_st(&maps[0], &cc, pbytes, 4096);
		}
		maps[0].policy = SALUA_SEL_ROUND_ROBIN;
		CHECK_EQ(same, 4000);
	}

	T_CASE("shim sampled picks equal core sampled picks (one thread)");
	{
		uint32_t pios[NPATHS];
		uint64_t pbytes[NPATHS];
		struct salua_sel_load load;
		struct salua_sel_cursor cc;
		unsigned it, j, same = 0, cur_same = 0, differ = 0;
		int ps, pc, px;

		load.ios = pios;
		load.lat = NULL;
		load.bytes = pbytes;
		/* The class must have two members for a draw. */
		CHECK(maps[0].n >= 2);
		maps[0].sample = 1;
		rd[0].cur.next = 0x9e3779b9u;
		cc.next = rd[0].cur.next;
		for (it = 0; it < 2000; it++) {
			for (j = 0; j < NPATHS; j++) {
				pios[j] = t_xorshift32(&seed) % 4;
				pbytes[j] = (uint64_t)(t_xorshift32(&seed) % 4) * 4096;
				atomic_store(&ios[j], pios[j]);
				atomic_store(&bytes[j], pbytes[j]);
			}
			maps[0].policy = SALUA_SEL_QUEUE_DEPTH;
			/* The exact pick (own cursor) to see sampling differs. */
			{
				struct salua_sel_cursor cx = { it };

				px = salua_sel_pick_qd(&maps[0], &cx, pios);
			}
			ps = salua_selpub_pick_map(&pub, &maps[0], &rd[0], 0, 0);
			pc = salua_sel_pick(&maps[0], &cc, 0, &load, 0);
			same += ps == pc;
			differ += ps != px;
			cur_same += rd[0].cur.next == cc.next;
			maps[0].policy = SALUA_SEL_SERVICE_TIME;
			ps = salua_selpub_pick_map(&pub, &maps[0], &rd[0], 0,
						   4096);
			pc = salua_sel_pick(&maps[0], &cc, 0, &load, 4096);
			same += ps == pc;
			cur_same += rd[0].cur.next == cc.next;
		}
		/* Sampled picks also match salua_sel_pick_qd2/st2 directly. */
		maps[0].policy = SALUA_SEL_QUEUE_DEPTH;
		cc.next = rd[0].cur.next;
		same += salua_selpub_pick_map(&pub, &maps[0], &rd[0], 0, 0) ==
			salua_sel_pick_qd2(&maps[0], &cc, pios);
		maps[0].policy = SALUA_SEL_SERVICE_TIME;
		same += salua_selpub_pick_map(&pub, &maps[0], &rd[0], 0, 4096) ==
			salua_sel_pick_st2(&maps[0], &cc, pbytes, 4096);
		maps[0].policy = SALUA_SEL_ROUND_ROBIN;
		maps[0].sample = 0;
		CHECK_EQ(same, 4002);
		CHECK_EQ(cur_same, 4000);
		CHECK_EQ(rd[0].cur.next, cc.next);
		/* The sampled path is not the exact one: sampling was taken. */
		CHECK(differ > 0);
		rd[0].cur.next = 0;
		for (j = 0; j < NPATHS; j++) {
			atomic_store(&ios[j], 0);
			atomic_store(&bytes[j], 0);
		}
	}

	T_CASE("shim latency picks equal core latency picks (one thread)");
	{
		uint32_t pios[NPATHS], plat[NPATHS];
		struct salua_sel_load load;
		struct salua_sel_cursor cc = { 0 };
		unsigned it, j, same = 0, fast = 0;
		int ps, pc;

		memset(&load, 0, sizeof(load));
		load.ios = pios;
		load.lat = plat;
		for (j = 0; j < NPATHS; j++)
			CHECK(salua_sel_set_latency(&sel, j, 100u + 900u * (j & 1u)) >= 0);
		CHECK_EQ(salua_sel_set_policy(&sel, SALUA_SEL_LATENCY), 1);
		CHECK_EQ(salua_sel_build(&sel, &maps[1], t0), 0);
		CHECK(maps[1].wheel_n > maps[1].n);
		rd[0].cur.next = 0;
		for (it = 0; it < 2000; it++) {
			for (j = 0; j < NPATHS; j++) {
				pios[j] = t_xorshift32(&seed) % 8;
				plat[j] = 50u + t_xorshift32(&seed) % 2000u;
				atomic_store(&ios[j], pios[j]);
				atomic_store(&lat[j], plat[j]);
			}
			ps = salua_selpub_pick_map(&pub, &maps[1], &rd[0], 0, 0);
			pc = salua_sel_pick(&maps[1], &cc, 0, &load, 0);
			same += ps == pc;
			fast += ps == maps[1].fast;
		}
		CHECK_EQ(same, 2000);
		CHECK_EQ(rd[0].cur.next, cc.next);
		/* Both arms were taken: the rotation and the fastest path. */
		CHECK(fast > 0 && fast < 2000);
		CHECK_EQ(salua_sel_set_policy(&sel, SALUA_SEL_ROUND_ROBIN), 1);
		rd[0].cur.next = 0;
		for (j = 0; j < NPATHS; j++) {
			atomic_store(&ios[j], 0);
			atomic_store(&lat[j], 0);
		}
	}

	for (i = 0; i < NREADERS; i++)
		pthread_create(&th[i], NULL, reader, (void *)(uintptr_t)i);

	T_CASE("writer flips states while readers pick");
	end = t0 + 1000u * seconds;
	while (now_ms() < end) {
		uint32_t x = t_xorshift32(&seed);
		unsigned idx = x % NPATHS;

		switch ((x >> 8) & 15) {
		case 0:
			(void)salua_sel_set_enabled(&sel, idx, (x >> 12) & 1);
			break;
		case 1:
			(void)salua_sel_set_policy(&sel, (x >> 12) %
								 SALUA_SEL_NPOLICIES);
			break;
		case 4:
			(void)salua_sel_set_marginal(&sel, idx, (x >> 12) & 1);
			break;
		case 5:
			(void)salua_sel_set_latency(&sel, idx, (x >> 12) & 0xfff);
			break;
		case 3:
			/* The writer owns sel: flip sampled / exact picks. */
			sel.cfg.sample = (uint8_t)((x >> 12) & 1);
			break;
		case 2:
			/* Sometimes take every path away: verdicts. */
			for (i = 0; i < NPATHS; i++)
				(void)salua_sel_set_state(
					&sel, i,
					(x >> 12) & 1 ? SALUA_STATE_STANDBY
						      : SALUA_STATE_TRANSITIONING,
					false);
			break;
		default:
			(void)salua_sel_set_state(&sel, idx,
						  states[(x >> 12) & 7],
						  (x >> 16) & 1);
			break;
		}
		spare = salua_selpub_update(&pub, &sel, spare, now_ms(), &err);
		if (err)
			break;
		updates++;
	}
	atomic_store(&stop, 1);
	for (i = 0; i < NREADERS; i++)
		pthread_join(th[i], NULL);

	T_CASE("results");
	CHECK_EQ(err, 0);
	for (i = 0; i < NREADERS; i++) {
		CHECK_EQ(stats[i].bad, 0);
		CHECK_EQ(stats[i].torn, 0);
		CHECK(stats[i].picks > 0);
		picks += stats[i].picks;
		got += stats[i].paths;
		queued += stats[i].queued;
		failed += stats[i].failed;
		exact += stats[i].exact;
		sampled += stats[i].sampled;
	}
	for (i = 0; i < NPATHS; i++) {
		CHECK_EQ(atomic_load(&ios[i]), 0);
		CHECK_EQ(atomic_load(&bytes[i]), 0);
	}
	CHECK(updates > 100);
	CHECK(got > 0);
	CHECK(queued > 0);
	CHECK(failed > 0);
	CHECK(exact > 0);
	CHECK(sampled > 0);
	printf("tsan_selector: %lu map updates, %lu picks (%lu paths, %lu "
	       "queue, %lu fail; queue-depth/service-time %lu exact, %lu "
	       "sampled) in %u s\n",
	       updates, picks, got, queued, failed, exact, sampled, seconds);
	return t_done("tsan_selector");
}
