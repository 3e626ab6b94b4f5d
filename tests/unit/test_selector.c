/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Path selector (salua/selector.h): exact picks per policy on hand-built
 * path sets, rotation fairness, NUMA distance choice, live counters for
 * queue-depth and service-time, failover order and failback, and every
 * no-path verdict with its time and retry bounds; the latency policy
 * (weights from the averages, the rotation, the fastest path's arm, the
 * average and aging helpers), marginal demotion and the health tracker.
 */
#include "salua/salua.h"
#include "salua_test.h"

#define NP 8
#define NN 4

static struct salua_sel_path paths[NP];
static struct salua_sel_slot slots[NP];
static uint16_t numa[NN];
static struct salua_sel sel;
static struct salua_sel_map map;

static void setup(const struct salua_sel_cfg *cfg, unsigned np)
{
	CHECK_EQ(salua_sel_init(&sel, cfg, paths, np), 0);
	CHECK_EQ(salua_sel_map_init(&map, slots, NP, numa, NN), 0);
}

static int build(uint64_t now)
{
	return salua_sel_build(&sel, &map, now);
}

/* Path states by index, with the PREF bit as the RTPG byte carries it. */
static void states(const uint8_t *st, unsigned np)
{
	unsigned i;

	for (i = 0; i < np; i++)
		CHECK(salua_sel_set_state(&sel, i, st[i], (st[i] & 0x80) != 0) >= 0);
}

static unsigned distance_cb_calls;
static unsigned distance_cb(void *ctx, unsigned from, unsigned to)
{
	(void)ctx;
	distance_cb_calls++;
	/* Node 3 is far from everything, the rest are a line. */
	if (to == 3 || from == 3)
		return from == to ? 10 : 90;
	return 10 + 10 * (from > to ? from - to : to - from);
}

static void test_init_and_setters(void)
{
	struct salua_sel_cfg cfg;
	unsigned i;

	T_CASE("init validates and resets paths");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_NPOLICIES;
	CHECK_EQ(salua_sel_init(&sel, &cfg, paths, NP), -SALUA_EINVAL);
	cfg.policy = SALUA_SEL_ROUND_ROBIN;
	cfg.lbd = 4;
	CHECK_EQ(salua_sel_init(&sel, &cfg, paths, NP), -SALUA_EINVAL);
	cfg.lbd = 0;
	cfg.nopath = 3;
	CHECK_EQ(salua_sel_init(&sel, &cfg, paths, NP), -SALUA_EINVAL);
	cfg.nopath = 0;
	CHECK_EQ(salua_sel_init(&sel, &cfg, NULL, 1), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_init(&sel, &cfg, paths, 0xffff), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_init(NULL, &cfg, paths, NP), -SALUA_EINVAL);
	memset(paths, 0x5a, sizeof(paths));
	setup(&cfg, NP);
	for (i = 0; i < NP; i++) {
		CHECK_EQ(paths[i].state, SALUA_STATE_TRANSITIONING);
		CHECK_EQ(paths[i].enabled, 1);
		CHECK_EQ(paths[i].tp, 1);
		CHECK_EQ(paths[i].node, SALUA_SEL_NO_NODE);
		CHECK_EQ(paths[i].pref, 0);
	}
	CHECK_EQ(map.n, 0);
	CHECK_EQ(map.verdict, SALUA_SEL_FAIL);

	T_CASE("set_* report change, no change, bad input");
	CHECK_EQ(salua_sel_set_state(&sel, 0, SALUA_STATE_AO, false), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 0, SALUA_STATE_AO, false), 0);
	CHECK_EQ(salua_sel_set_state(&sel, 0, SALUA_STATE_AO, true), 1);
	/* Raw RTPG byte 0: PREF | state; only the nibble is kept. */
	CHECK_EQ(salua_sel_set_state(&sel, 1, 0x81, true), 1);
	CHECK_EQ(paths[1].state, SALUA_STATE_ANO);
	CHECK_EQ(paths[1].pref, 1);
	CHECK_EQ(salua_sel_set_state(&sel, 1, 0x5, false), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_set_state(&sel, 1, 0xd, false), -SALUA_EINVAL);
	CHECK_EQ(paths[1].state, SALUA_STATE_ANO);
	CHECK_EQ(salua_sel_set_state(&sel, NP, SALUA_STATE_AO, false), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_set_enabled(&sel, 2, false), 1);
	CHECK_EQ(salua_sel_set_enabled(&sel, 2, false), 0);
	CHECK_EQ(salua_sel_set_enabled(&sel, NP, true), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_set_node(&sel, 2, 1), 1);
	CHECK_EQ(salua_sel_set_node(&sel, 2, 1), 0);
	CHECK_EQ(salua_sel_set_node(&sel, 2, 0x10000), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_set_tp(&sel, 2, 100), 1);
	CHECK_EQ(salua_sel_set_tp(&sel, 2, 101), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_set_policy(&sel, SALUA_SEL_ROUND_ROBIN), 0);
	CHECK_EQ(salua_sel_set_policy(&sel, SALUA_SEL_FAILOVER), 1);
	CHECK_EQ(salua_sel_set_policy(&sel, 9), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_set_may_return(&sel, true), 1);
	CHECK_EQ(salua_sel_set_may_return(&sel, true), 0);

	T_CASE("policy names");
	CHECK_STR(salua_sel_policy_name(SALUA_SEL_NUMA), "numa");
	CHECK_STR(salua_sel_policy_name(SALUA_SEL_ROUND_ROBIN), "round-robin");
	CHECK_STR(salua_sel_policy_name(SALUA_SEL_QUEUE_DEPTH), "queue-depth");
	CHECK_STR(salua_sel_policy_name(SALUA_SEL_SERVICE_TIME), "service-time");
	CHECK_STR(salua_sel_policy_name(SALUA_SEL_FAILOVER), "failover");
	CHECK_STR(salua_sel_policy_name(7), "?");
}

static void test_classes(void)
{
	struct salua_sel_cfg cfg;
	/* 0 ANO, 1 AO, 2 S, 3 AO+PREF, 4 AO (disabled), 5 U, 6 O, 7 T */
	static const uint8_t st[NP] = { 0x01, 0x00, 0x02, 0x80, 0x00,
					0x03, 0x0e, 0x0f };

	T_CASE("best class: AO, preferred first, disabled excluded");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_ROUND_ROBIN;
	setup(&cfg, NP);
	states(st, NP);
	CHECK_EQ(salua_sel_set_enabled(&sel, 4, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 2);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_AO);
	CHECK_EQ(map.slot[0].path, 3);
	CHECK_EQ(map.slot[1].path, 1);
	CHECK_EQ(map.gen, 1);
	CHECK(salua_sel_map_usable(&map, 3));
	CHECK(salua_sel_map_usable(&map, 1));
	CHECK(!salua_sel_map_usable(&map, 0));
	CHECK(!salua_sel_map_usable(&map, 4));
	CHECK(!salua_sel_map_usable(&map, 7));

	T_CASE("AO gone: active/non-optimized class");
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_STANDBY, false), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 3, SALUA_STATE_UNAVAILABLE, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 1);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_ANO);
	CHECK_EQ(map.slot[0].path, 0);
	CHECK_EQ(map.gen, 2);

	T_CASE("enabling the AO path brings the AO class back");
	CHECK_EQ(salua_sel_set_enabled(&sel, 4, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 1);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_AO);
	CHECK_EQ(map.slot[0].path, 4);
}

static void test_lbd(void)
{
	struct salua_sel_cfg cfg;
	/* 0 LBD, 1 ANO, 2 S, 3 LBD+PREF */
	static const uint8_t st[4] = { 0x04, 0x01, 0x02, 0x84 };

	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_ROUND_ROBIN;

	T_CASE("lba-dependent never");
	cfg.lbd = SALUA_SEL_LBD_NEVER;
	setup(&cfg, 4);
	states(st, 4);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 1);
	CHECK_EQ(map.slot[0].path, 1);
	CHECK_EQ(salua_sel_class_of(&sel.cfg, &paths[0]), SALUA_SEL_CLASS_NONE);

	T_CASE("lba-dependent as AO");
	cfg.lbd = SALUA_SEL_LBD_AS_AO;
	setup(&cfg, 4);
	states(st, 4);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 2);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_AO);
	CHECK_EQ(map.slot[0].path, 3);
	CHECK_EQ(map.slot[1].path, 0);

	T_CASE("lba-dependent as ANO");
	cfg.lbd = SALUA_SEL_LBD_AS_ANO;
	setup(&cfg, 4);
	states(st, 4);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 3);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_ANO);
	CHECK_EQ(map.slot[0].path, 3);
	CHECK_EQ(map.slot[1].path, 0);
	CHECK_EQ(map.slot[2].path, 1);

	T_CASE("lba-dependent last: only after ANO");
	cfg.lbd = SALUA_SEL_LBD_LAST;
	setup(&cfg, 4);
	states(st, 4);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 1);
	CHECK_EQ(map.slot[0].path, 1);
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_OFFLINE, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 2);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_LBD);
	CHECK_EQ(map.slot[0].path, 3);
	CHECK_EQ(map.slot[1].path, 0);
}

static void test_round_robin(void)
{
	struct salua_sel_cfg cfg;
	struct salua_sel_cursor cur = { 0 };
	/* 5 AO (path 4 preferred), 1 ANO, 1 standby, 1 transitioning */
	static const uint8_t st[NP] = { 0x00, 0x00, 0x01, 0x00, 0x80,
					0x02, 0x00, 0x0f };
	static const int seq[] = { 4, 0, 1, 3, 6, 4, 0, 1, 3, 6, 4 };
	unsigned cnt[NP] = { 0 };
	unsigned i;

	T_CASE("round-robin: exact rotation, preferred first");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_ROUND_ROBIN;
	setup(&cfg, NP);
	states(st, NP);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 5);
	for (i = 0; i < SALUA_ARRAY_SIZE(seq); i++)
		CHECK_EQ(salua_sel_pick_rr(&map, &cur), seq[i]);

	T_CASE("round-robin: fairness over 1000 picks");
	cur.next = 0;
	for (i = 0; i < 1000; i++) {
		int p = salua_sel_pick(&map, &cur, 0, NULL, 0);
		CHECK(p >= 0 && p < NP);
		if (p >= 0 && p < NP)
			cnt[p]++;
	}
	CHECK_EQ(cnt[0], 200);
	CHECK_EQ(cnt[1], 200);
	CHECK_EQ(cnt[3], 200);
	CHECK_EQ(cnt[4], 200);
	CHECK_EQ(cnt[6], 200);
	CHECK_EQ(cnt[2] + cnt[5] + cnt[7], 0);

	T_CASE("round-robin: cursor past a shrunken class wraps");
	cur.next = 4;
	CHECK_EQ(salua_sel_set_state(&sel, 6, SALUA_STATE_STANDBY, false), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 3, SALUA_STATE_STANDBY, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 3);
	CHECK_EQ(salua_sel_pick_rr(&map, &cur), 4);
	CHECK_EQ(salua_sel_pick_rr(&map, &cur), 0);
	CHECK_EQ(salua_sel_pick_rr(&map, &cur), 1);
	CHECK_EQ(salua_sel_pick_rr(&map, &cur), 4);
	cur.next = 0xffffffffu;
	CHECK_EQ(salua_sel_pick_rr(&map, &cur), 4);
}

static void test_numa(void)
{
	struct salua_sel_cfg cfg;
	/*
	 * SLIT-style table: nodes 0-1 close (12), 2-3 close (12), the two
	 * pairs far apart (30).
	 */
	static const uint8_t dist[NN * NN] = {
		10, 12, 30, 30,
		12, 10, 30, 30,
		30, 30, 10, 12,
		30, 30, 12, 10,
	};
	/* paths 0..5 AO on nodes 0,1,2,3,2,no-node; 6 ANO on node 0 */
	static const uint16_t nodes[7] = { 0, 1, 2, 3, 2, SALUA_SEL_NO_NODE, 0 };
	unsigned i;

	T_CASE("numa: nearest by table");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_NUMA;
	cfg.nnodes = NN;
	cfg.distance = dist;
	setup(&cfg, 7);
	for (i = 0; i < 7; i++) {
		CHECK_EQ(salua_sel_set_state(&sel, i, i == 6 ? 1u : 0u, false), 1);
		CHECK(salua_sel_set_node(&sel, i, nodes[i]) >= 0);
	}
	/* Path 5 (no node) must not win on distance alone: make it standby. */
	CHECK_EQ(salua_sel_set_state(&sel, 5, SALUA_STATE_STANDBY, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.nnodes, NN);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 1), 1);
	CHECK_EQ(salua_sel_pick_numa(&map, 2), 2); /* 2 and 4 tie: index */
	CHECK_EQ(salua_sel_pick_numa(&map, 3), 3);
	CHECK_EQ(salua_sel_pick_numa(&map, 99), 0); /* unknown node: first */

	T_CASE("numa: local path gone -> next nearest");
	CHECK_EQ(salua_sel_set_state(&sel, 3, SALUA_STATE_TRANSITIONING, false), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_OFFLINE, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 3), 2);
	CHECK_EQ(salua_sel_pick_numa(&map, 1), 0);

	T_CASE("numa: preferred breaks a distance tie");
	CHECK_EQ(salua_sel_set_state(&sel, 4, SALUA_STATE_AO, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 2), 4);
	CHECK_EQ(salua_sel_pick_numa(&map, 3), 4);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 77), 4); /* slot 0 = preferred */

	T_CASE("numa: a no-node path is local everywhere");
	CHECK_EQ(salua_sel_set_state(&sel, 5, SALUA_STATE_AO, true), 1);
	CHECK_EQ(build(0), 0);
	/* slot order: 4 (pref), 5 (pref), 0, 2; 5 is at 10 from node 1 */
	CHECK_EQ(salua_sel_pick_numa(&map, 1), 5);
	CHECK_EQ(salua_sel_pick_numa(&map, 2), 4);

	T_CASE("numa: only ANO left -> nearest ANO");
	for (i = 0; i < 6; i++)
		CHECK(salua_sel_set_state(&sel, i, SALUA_STATE_STANDBY, false) >= 0);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_ANO);
	for (i = 0; i < NN; i++)
		CHECK_EQ(salua_sel_pick_numa(&map, i), 6);

	T_CASE("numa: callback overrides the table, used only at build");
	cfg.distance_fn = distance_cb;
	setup(&cfg, 4);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(salua_sel_set_state(&sel, i, SALUA_STATE_AO, false), 1);
		CHECK_EQ(salua_sel_set_node(&sel, i, i), 1);
	}
	CHECK_EQ(salua_sel_set_state(&sel, 3, SALUA_STATE_STANDBY, false), 1);
	distance_cb_calls = 0;
	CHECK_EQ(build(0), 0);
	CHECK_EQ(distance_cb_calls, NN * 3);
	CHECK_EQ(salua_sel_pick_numa(&map, 3), 0); /* all at 90: first */
	CHECK_EQ(salua_sel_pick_numa(&map, 2), 2);
	CHECK_EQ(salua_sel_set_state(&sel, 2, SALUA_STATE_STANDBY, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 2), 1); /* 20 beats 30 */
	for (i = 0; i < 100; i++)
		(void)salua_sel_pick_numa(&map, i & 3);
	CHECK_EQ(distance_cb_calls, NN * 3 + NN * 2);

	T_CASE("numa: default distances 10/20 without table");
	cfg.distance_fn = NULL;
	cfg.distance = NULL;
	setup(&cfg, 3);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(salua_sel_set_state(&sel, i, SALUA_STATE_AO, false), 1);
		CHECK_EQ(salua_sel_set_node(&sel, i, 2 - i), 1);
	}
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), 2);
	CHECK_EQ(salua_sel_pick_numa(&map, 1), 1);
	CHECK_EQ(salua_sel_pick_numa(&map, 2), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 3), 0); /* no path there: first */
}

static void test_queue_depth(void)
{
	struct salua_sel_cfg cfg;
	struct salua_sel_cursor cur = { 0 };
	uint32_t ios[NP] = { 0 };
	uint64_t bytes[NP] = { 0 };
	struct salua_sel_load load;
	unsigned i, cnt[NP] = { 0 };
	int p;

	load.ios = ios;
	load.lat = NULL;
	load.bytes = bytes;
	T_CASE("queue-depth: fewest in-flight in the best class");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_QUEUE_DEPTH;
	setup(&cfg, 5);
	for (i = 0; i < 4; i++)
		CHECK_EQ(salua_sel_set_state(&sel, i, SALUA_STATE_AO, false), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 4, SALUA_STATE_ANO, false), 1);
	CHECK_EQ(build(0), 0);
	ios[0] = 3;
	ios[1] = 1;
	ios[2] = 2;
	ios[3] = 1;
	ios[4] = 0; /* idle, but non-optimized: never chosen */
	CHECK_EQ(salua_sel_pick_qd(&map, &cur, ios), 1); /* scan 0,1,2,3 */
	CHECK_EQ(salua_sel_pick_qd(&map, &cur, ios), 1); /* scan 1,2,3,0 */
	CHECK_EQ(salua_sel_pick_qd(&map, &cur, ios), 3); /* scan 2,3,0,1 */
	CHECK_EQ(salua_sel_pick_qd(&map, &cur, ios), 3); /* scan 3,0,1,2 */
	CHECK_EQ(salua_sel_pick_qd(&map, &cur, ios), 1);

	T_CASE("queue-depth: live counters spread and follow completions");
	memset(ios, 0, sizeof(ios));
	cur.next = 0;
	for (i = 0; i < 8; i++) {
		p = salua_sel_pick(&map, &cur, 0, &load, 512);
		CHECK_EQ(p, (int)(i % 4));
		salua_sel_io_start(&load, (unsigned)p, 512);
	}
	CHECK_EQ(ios[0], 2);
	CHECK_EQ(ios[3], 2);
	CHECK_EQ(bytes[2], 1024);
	salua_sel_io_end(&load, 2, 512);
	CHECK_EQ(ios[2], 1);
	CHECK_EQ(bytes[2], 512);
	CHECK_EQ(salua_sel_pick(&map, &cur, 0, &load, 512), 2);
	CHECK_EQ(salua_sel_pick(&map, &cur, 0, &load, 512), 2);
	salua_sel_io_end(&load, 4, 512); /* never below zero */
	CHECK_EQ(ios[4], 0);
	CHECK_EQ(bytes[4], 0);

	T_CASE("queue-depth: balance under steady load");
	memset(ios, 0, sizeof(ios));
	memset(bytes, 0, sizeof(bytes));
	for (i = 0; i < 4000; i++) {
		p = salua_sel_pick_qd(&map, &cur, ios);
		CHECK(p >= 0 && p < 4);
		if (p < 0 || p >= 4)
			break;
		cnt[p]++;
		salua_sel_io_start(&load, (unsigned)p, 4096);
		if (i % 3 == 2) /* complete on path 0 only: it gets more */
			salua_sel_io_end(&load, 0, 4096);
	}
	CHECK(cnt[0] > cnt[1] && cnt[0] > cnt[2] && cnt[0] > cnt[3]);
	CHECK(ios[0] <= ios[1] + 1 && ios[1] <= ios[2] + 1 &&
	      ios[2] <= ios[3] + 1 && ios[3] <= ios[1] + 1);
}

static void test_service_time(void)
{
	struct salua_sel_cfg cfg;
	struct salua_sel_cursor cur = { 0 };
	uint64_t bytes[NP] = { 0 };
	uint32_t ios[NP] = { 0 };
	struct salua_sel_load load;
	int p;

	load.ios = ios;
	load.lat = NULL;
	load.bytes = bytes;
	T_CASE("service-time comparison (dm-service-time rules)");
	CHECK(salua_sel_st_less(100, 1, 300, 2));  /* 200 < 300 */
	CHECK(!salua_sel_st_less(200, 1, 300, 2)); /* 400 > 300 */
	CHECK(!salua_sel_st_less(150, 1, 300, 2)); /* equal: not less */
	CHECK(salua_sel_st_less(10, 5, 20, 5));
	CHECK(!salua_sel_st_less(20, 5, 20, 5));
	CHECK(salua_sel_st_less(20, 6, 20, 5)); /* equal load: larger tp */
	CHECK(salua_sel_st_less(1u << 30, 1, 0, 0)); /* tp 0 loses */
	CHECK(!salua_sel_st_less(0, 0, 1u << 30, 1));
	/* Near overflow both sides scale by 2^7: 2^62*3 vs (2^62+2^61)*2 */
	CHECK(salua_sel_st_less((uint64_t)1 << 62, 2, ((uint64_t)3) << 61, 3) ==
	      false); /* 2^62/2 = 2^61 vs 1.5*2^62/3 = 2^61: equal */
	CHECK(salua_sel_st_less((uint64_t)1 << 62, 3, ((uint64_t)3) << 61, 3));
	CHECK(salua_sel_st_less(((uint64_t)1 << 62) - 1024, 2,
				((uint64_t)3) << 61, 3));

	T_CASE("service-time: bytes weighted by throughput");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_SERVICE_TIME;
	setup(&cfg, 4);
	CHECK_EQ(salua_sel_set_state(&sel, 0, SALUA_STATE_AO, false), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_AO, false), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 2, SALUA_STATE_AO, false), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 3, SALUA_STATE_ANO, false), 1);
	CHECK_EQ(salua_sel_set_tp(&sel, 0, 10), 1);
	CHECK_EQ(salua_sel_set_tp(&sel, 1, 30), 1);
	CHECK_EQ(salua_sel_set_tp(&sel, 2, 0), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.tp_max, 30);
	/* (8192+4096)/10 = 1228.8 vs (32768+4096)/30 = 1228.8: tie, start */
	bytes[0] = 8192;
	bytes[1] = 32768;
	CHECK_EQ(salua_sel_pick_st(&map, &cur, bytes, 4096), 0);
	CHECK_EQ(salua_sel_pick_st(&map, &cur, bytes, 4096), 1);
	bytes[1] = 36864; /* now 0 is better from any start */
	CHECK_EQ(salua_sel_pick_st(&map, &cur, bytes, 4096), 0);
	CHECK_EQ(salua_sel_pick_st(&map, &cur, bytes, 4096), 0);
	/* All idle: the largest throughput wins; tp 0 only if alone */
	bytes[0] = bytes[1] = 0;
	CHECK_EQ(salua_sel_pick_st(&map, &cur, bytes, 4096), 1);
	CHECK_EQ(salua_sel_pick_st(&map, &cur, bytes, 4096), 1);

	T_CASE("service-time: live counters, 3:1 throughput gives 3:1 bytes");
	CHECK_EQ(salua_sel_set_tp(&sel, 0, 10), 0);
	CHECK_EQ(salua_sel_set_state(&sel, 2, SALUA_STATE_STANDBY, false), 1);
	CHECK_EQ(build(0), 0);
	{
		unsigned i, cnt[2] = { 0, 0 };

		for (i = 0; i < 400; i++) {
			p = salua_sel_pick(&map, &cur, 0, &load, 4096);
			CHECK(p == 0 || p == 1);
			if (p != 0 && p != 1)
				break;
			cnt[p]++;
			salua_sel_io_start(&load, (unsigned)p, 4096);
		}
		CHECK_EQ(cnt[0], 100);
		CHECK_EQ(cnt[1], 300);
		CHECK_EQ(bytes[1], 3 * bytes[0]);
	}
}

static void test_failover(void)
{
	struct salua_sel_cfg cfg;
	/* 0 ANO, 1 AO, 2 AO+PREF, 3 ANO+PREF, 4 standby */
	static const uint8_t st[5] = { 0x01, 0x00, 0x80, 0x81, 0x02 };

	T_CASE("failover: highest priority first, sticky");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_FAILOVER;
	setup(&cfg, 5);
	states(st, 5);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 2);
	CHECK_EQ(salua_sel_pick(&map, NULL, 0, NULL, 0), 2);

	T_CASE("failover: order AO+pref, AO, ANO+pref, ANO");
	CHECK_EQ(salua_sel_set_state(&sel, 2, SALUA_STATE_OFFLINE, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_TRANSITIONING, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 3);
	CHECK_EQ(salua_sel_set_enabled(&sel, 3, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 0);
	CHECK(salua_sel_map_usable(&map, 0));

	T_CASE("failover: failback immediate returns to the better path");
	CHECK_EQ(salua_sel_set_enabled(&sel, 3, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 3); /* pref beats non-pref */
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_AO, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 2, SALUA_STATE_AO, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 1); /* equal rank: stay */
	CHECK_EQ(salua_sel_set_state(&sel, 2, SALUA_STATE_AO, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 2); /* now preferred */

	T_CASE("failover: failback manual stays until asked");
	cfg.failback = SALUA_SEL_FAILBACK_MANUAL;
	setup(&cfg, 5);
	states(st, 5);
	CHECK_EQ(salua_sel_set_state(&sel, 2, SALUA_STATE_STANDBY, true), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_STANDBY, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 3);
	CHECK_EQ(salua_sel_set_state(&sel, 2, SALUA_STATE_AO, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_AO);
	CHECK_EQ(salua_sel_pick_failover(&map), 3); /* ANO, still usable */
	CHECK(salua_sel_map_usable(&map, 3));
	CHECK(salua_sel_map_usable(&map, 2));
	CHECK(!salua_sel_map_usable(&map, 0));
	salua_sel_failback(&sel);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 2);
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_AO, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 2);
	CHECK_EQ(salua_sel_set_state(&sel, 2, SALUA_STATE_UNAVAILABLE, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 1);
}

static void test_no_path(void)
{
	struct salua_sel_cfg cfg;
	struct salua_sel_cursor cur = { 0 };
	uint32_t ios[2] = { 0, 0 };
	uint64_t bytes[2] = { 0, 0 };
	struct salua_sel_load load;
	unsigned pol;

	load.ios = ios;
	load.lat = NULL;
	load.bytes = bytes;
	memset(&cfg, 0, sizeof(cfg));

	T_CASE("no path: nothing may return -> fail, every policy");
	cfg.nnodes = 2;
	setup(&cfg, 2);
	CHECK_EQ(salua_sel_set_state(&sel, 0, SALUA_STATE_STANDBY, false), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_UNAVAILABLE, false), 1);
	for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
		CHECK(salua_sel_set_policy(&sel, pol) >= 0);
		CHECK_EQ(build(0), 0);
		CHECK_EQ(map.n, 0);
		CHECK_EQ(salua_sel_pick(&map, &cur, 1, &load, 512), SALUA_SEL_FAIL);
	}
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_FAIL);
	CHECK_EQ(salua_sel_pick_rr(&map, &cur), SALUA_SEL_FAIL);
	CHECK_EQ(salua_sel_pick_qd(&map, &cur, ios), SALUA_SEL_FAIL);
	CHECK_EQ(salua_sel_pick_st(&map, &cur, bytes, 1), SALUA_SEL_FAIL);
	CHECK_EQ(salua_sel_pick_failover(&map), SALUA_SEL_FAIL);
	CHECK(!salua_sel_map_usable(&map, 0));

	T_CASE("no path: transitioning -> queue, every policy");
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_TRANSITIONING, false), 1);
	for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
		CHECK(salua_sel_set_policy(&sel, pol) >= 0);
		CHECK_EQ(build(0), 0);
		CHECK_EQ(salua_sel_pick(&map, &cur, 1, &load, 512), SALUA_SEL_QUEUE);
	}

	T_CASE("no path: a disabled transitioning path does not count");
	CHECK_EQ(salua_sel_set_enabled(&sel, 1, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), SALUA_SEL_FAIL);

	T_CASE("no path: the caller says a path may return -> queue");
	CHECK_EQ(salua_sel_set_may_return(&sel, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), SALUA_SEL_QUEUE);
	CHECK_EQ(salua_sel_set_may_return(&sel, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), SALUA_SEL_FAIL);

	T_CASE("no path: queue_if_no_path queues with nothing coming back");
	cfg.nopath = SALUA_SEL_NOPATH_QUEUE;
	setup(&cfg, 2);
	CHECK_EQ(salua_sel_set_state(&sel, 0, SALUA_STATE_OFFLINE, false), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_STANDBY, false), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_QUEUE);
	CHECK_EQ(salua_sel_tick(&sel, 1000000), 0); /* unbounded */
	CHECK_EQ(build(1000000), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_QUEUE);

	T_CASE("no path: no_path_retry fail never queues");
	cfg.nopath = SALUA_SEL_NOPATH_FAIL;
	setup(&cfg, 2); /* both transitioning after init */
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_FAIL);

	T_CASE("no path: bounded by time");
	cfg.nopath = SALUA_SEL_NOPATH_QUEUE_IF_RETURNING;
	cfg.queue_ms = 30000;
	setup(&cfg, 2);
	CHECK_EQ(salua_sel_set_state(&sel, 0, SALUA_STATE_AO, false), 1);
	CHECK_EQ(build(500), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), 0);
	CHECK_EQ(salua_sel_set_state(&sel, 0, SALUA_STATE_TRANSITIONING, false), 1);
	CHECK_EQ(build(1000), 0); /* episode starts at 1000 */
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_QUEUE);
	CHECK_EQ(salua_sel_tick(&sel, 20000), 0);
	CHECK_EQ(build(20000), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_QUEUE);
	CHECK_EQ(salua_sel_tick(&sel, 30999), 0);
	CHECK_EQ(salua_sel_tick(&sel, 31000), 1);
	CHECK_EQ(build(31000), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_FAIL);
	CHECK_EQ(salua_sel_tick(&sel, 40000), 0); /* already expired */
	CHECK_EQ(build(40000), 0); /* still transitioning: still fail */
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_FAIL);
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_ANO, false), 1);
	CHECK_EQ(build(41000), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), 1);
	CHECK_EQ(salua_sel_set_state(&sel, 1, SALUA_STATE_TRANSITIONING, false), 1);
	CHECK_EQ(build(50000), 0); /* a new episode queues again */
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_QUEUE);
	CHECK_EQ(build(79999), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_QUEUE);
	CHECK_EQ(build(80000), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_FAIL);

	T_CASE("no path: rearm after the bound (a path reinstated)");
	CHECK_EQ(salua_sel_rearm(NULL), 0);
	CHECK_EQ(salua_sel_rearm(&sel), 1);
	CHECK_EQ(salua_sel_rearm(&sel), 0); /* nothing expired any more */
	CHECK_EQ(build(85000), 0); /* a fresh episode from 85000 */
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_QUEUE);
	CHECK_EQ(salua_sel_tick(&sel, 114999), 0);
	CHECK_EQ(build(114999), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_QUEUE);
	CHECK_EQ(salua_sel_tick(&sel, 115000), 1);
	CHECK_EQ(build(115000), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_FAIL);
	CHECK_EQ(salua_sel_set_state(&sel, 0, SALUA_STATE_AO, false), 1);
	CHECK_EQ(build(116000), 0);
	CHECK_EQ(salua_sel_rearm(&sel), 0); /* usable: not expired */
	CHECK_EQ(salua_sel_pick_numa(&map, 0), 0);

	T_CASE("no path: bounded by retries (no_path_retry 3)");
	cfg.queue_ms = 0;
	cfg.queue_retries = 3;
	setup(&cfg, 2);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_QUEUE);
	CHECK_EQ(salua_sel_tick(&sel, 5000), 0);
	CHECK_EQ(salua_sel_tick(&sel, 10000), 0);
	CHECK_EQ(build(10000), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_QUEUE);
	CHECK_EQ(salua_sel_tick(&sel, 15000), 1);
	CHECK_EQ(build(15000), 0);
	CHECK_EQ(salua_sel_pick_numa(&map, 0), SALUA_SEL_FAIL);
}

static void test_build_errors(void)
{
	struct salua_sel_cfg cfg;
	struct salua_sel_map small;

	T_CASE("build: caller arrays too small -> ENOSPC, map untouched");
	memset(&cfg, 0, sizeof(cfg));
	cfg.nnodes = NN;
	setup(&cfg, NP);
	CHECK_EQ(salua_sel_map_init(&small, slots, NP - 1, numa, NN), 0);
	CHECK_EQ(salua_sel_build(&sel, &small, 0), -SALUA_ENOSPC);
	CHECK_EQ(small.gen, 0);
	CHECK_EQ(salua_sel_map_init(&small, slots, NP, numa, NN - 1), 0);
	CHECK_EQ(salua_sel_build(&sel, &small, 0), -SALUA_ENOSPC);
	CHECK_EQ(salua_sel_map_init(&small, NULL, 1, NULL, 0), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_map_init(&small, slots, NP, NULL, 1), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_build(NULL, &map, 0), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_build(&sel, NULL, 0), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_map_init(&small, slots, NP, numa, NN), 0);
	CHECK_EQ(salua_sel_build(&sel, &small, 0), 0);
	CHECK_EQ(small.gen, 1);
}

/* The engine's notify callback feeds the selector directly. */
struct notify_ctx {
	uint64_t now;
	unsigned rebuilds;
};

static void on_notify(void *ctx, unsigned path, uint8_t state, bool pref,
		      uint8_t supported)
{
	struct notify_ctx *nc = (struct notify_ctx *)ctx;

	(void)supported;
	if (salua_sel_set_state(&sel, path, state, pref) == 1 &&
	    salua_sel_build(&sel, &map, nc->now) == 0)
		nc->rebuilds++;
}

static void test_engine_notify(void)
{
	struct salua_sel_cfg cfg;
	struct salua_engine_ops ops;
	struct notify_ctx nc = { 0, 0 };

	T_CASE("engine notify -> selector: an implicit failover");
	memset(&ops, 0, sizeof(ops));
	ops.notify = on_notify; /* the signatures line up */
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_FAILOVER;
	cfg.queue_ms = 60000;
	setup(&cfg, 3);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), SALUA_SEL_QUEUE); /* unknown */
	/* First RTPG: TPG A (paths 0, 2) AO+PREF, TPG B (path 1) ANO. */
	ops.notify(&nc, 0, SALUA_STATE_AO, true, SALUA_SUP_ALL);
	ops.notify(&nc, 1, SALUA_STATE_ANO, false, SALUA_SUP_ALL);
	ops.notify(&nc, 2, SALUA_STATE_AO, true, SALUA_SUP_ALL);
	CHECK_EQ(nc.rebuilds, 3);
	CHECK_EQ(salua_sel_pick_failover(&map), 0);
	ops.notify(&nc, 2, SALUA_STATE_AO, true, SALUA_SUP_ALL);
	CHECK_EQ(nc.rebuilds, 3); /* no change, no rebuild */
	/* The array moves: A transitioning, then B AO, A ANO. */
	nc.now = 1000;
	ops.notify(&nc, 0, SALUA_STATE_TRANSITIONING, true, SALUA_SUP_ALL);
	ops.notify(&nc, 2, SALUA_STATE_TRANSITIONING, true, SALUA_SUP_ALL);
	CHECK_EQ(salua_sel_pick_failover(&map), 1); /* ANO still usable */
	ops.notify(&nc, 1, SALUA_STATE_TRANSITIONING, false, SALUA_SUP_ALL);
	CHECK_EQ(salua_sel_pick_failover(&map), SALUA_SEL_QUEUE);
	nc.now = 3000;
	ops.notify(&nc, 1, SALUA_STATE_AO, false, SALUA_SUP_ALL);
	CHECK_EQ(salua_sel_pick_failover(&map), 1);
	ops.notify(&nc, 0, SALUA_STATE_ANO, true, SALUA_SUP_ALL);
	ops.notify(&nc, 2, SALUA_STATE_ANO, true, SALUA_SUP_ALL);
	CHECK_EQ(salua_sel_pick_failover(&map), 1);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_AO);
	CHECK_EQ(nc.rebuilds, 9);
}

static unsigned wheel_count(unsigned path)
{
	unsigned k, c = 0;

	for (k = 0; k < map.wheel_n; k++)
		c += map.wheel[k] == path;
	return c;
}

static void test_latency(void)
{
	static uint16_t wheel[NP * SALUA_SEL_LAT_WMAX];
	static const uint8_t ao4[] = { 0x80, 0, 0, 0, 1 };
	static const uint32_t lat4[] = { 100, 100, 400, 3000, 50 };
	struct salua_sel_cfg cfg;
	struct salua_sel_cursor cur = { 0 };
	uint32_t ios[NP], lat[NP];
	unsigned k, run, maxrun, seen[NP];
	int p, prev;

	T_CASE("latency: weights 1/latency, spread rotation, fastest path");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_LATENCY;
	setup(&cfg, 5);
	CHECK_EQ(salua_sel_map_set_wheel(&map, wheel, SALUA_ARRAY_SIZE(wheel)), 0);
	states(ao4, 5);
	for (k = 0; k < 5; k++)
		CHECK_EQ(salua_sel_set_latency(&sel, k, lat4[k]), 1);
	CHECK_EQ(salua_sel_set_latency(&sel, 0, 100), 0);
	CHECK_EQ(salua_sel_set_latency(&sel, NP, 1), -SALUA_EINVAL);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 4); /* path 4 is ANO: not in the class */
	/* 16 x 100 / lat, rounded: 16, 16, 4, 1 (3000: 0.53 -> 1). */
	CHECK_EQ(wheel_count(0), 16);
	CHECK_EQ(wheel_count(1), 16);
	CHECK_EQ(wheel_count(2), 4);
	CHECK_EQ(wheel_count(3), 1);
	CHECK_EQ(wheel_count(4), 0);
	CHECK_EQ(map.wheel_n, 37);
	CHECK_EQ(map.fast, 0); /* PREF first among the fastest */
	/* Spread: the light members never come twice in a row. */
	maxrun = 0;
	for (k = 1, run = 1; k < map.wheel_n; k++) {
		run = map.wheel[k] == map.wheel[k - 1] ? run + 1 : 1;
		if (map.wheel[k] >= 2 && run > maxrun)
			maxrun = run;
	}
	CHECK_EQ(maxrun, 1);

	T_CASE("latency: rotation alone without averages (load.lat NULL)");
	memset(ios, 0, sizeof(ios));
	memset(seen, 0, sizeof(seen));
	for (k = 0; k < 2 * map.wheel_n; k++) {
		p = salua_sel_pick_lat(&map, &cur, ios, NULL);
		CHECK(p >= 0 && p < 4);
		if (p >= 0 && p < NP)
			seen[p]++;
	}
	CHECK_EQ(seen[0], 32);
	CHECK_EQ(seen[2], 8);
	CHECK_EQ(seen[3], 2);

	T_CASE("latency: the fastest path absorbs load until its wait is longer");
	memcpy(lat, lat4, sizeof(lat4));
	memset(seen, 0, sizeof(seen));
	cur.next = 0;
	/* Idle: the slow paths lose every comparison; path 1 ties path 0
	 * (same average) and keeps its share. */
	for (k = 0; k < map.wheel_n; k++) {
		p = salua_sel_pick_lat(&map, &cur, ios, lat);
		if (p >= 0 && p < NP)
			seen[p]++;
	}
	CHECK_EQ(seen[0], 16 + 4 + 1);
	CHECK_EQ(seen[1], 16);
	CHECK_EQ(seen[2] + seen[3], 0);
	/* Path 0 deep in work: (30 + 1) x 100 > 3000 -> path 3 wins its turn. */
	ios[0] = 30;
	memset(seen, 0, sizeof(seen));
	for (k = 0; k < map.wheel_n; k++) {
		p = salua_sel_pick_lat(&map, &cur, ios, lat);
		if (p >= 0 && p < NP)
			seen[p]++;
	}
	CHECK_EQ(seen[3], 1);
	CHECK_EQ(seen[2], 4);
	CHECK_EQ(seen[0], 16);
	/* salua_sel_pick() dispatches to it. */
	{
		struct salua_sel_load ld;

		memset(&ld, 0, sizeof(ld));
		ld.ios = ios;
		ld.lat = lat;
		cur.next = 0;
		prev = salua_sel_pick(&map, &cur, 0, &ld, 4096);
		cur.next = 0;
		CHECK_EQ(prev, salua_sel_pick_lat(&map, &cur, ios, lat));
	}

	T_CASE("latency: unmeasured paths weigh as the fastest; small wheel");
	CHECK_EQ(salua_sel_set_latency(&sel, 3, 0), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(wheel_count(3), 16);
	CHECK_EQ(map.fast, 3 == map.slot[0].path ? 3 : map.fast);
	CHECK_EQ(salua_sel_map_set_wheel(&map, wheel, 8), 0); /* 2 per member */
	CHECK_EQ(salua_sel_set_latency(&sel, 3, 3000), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.wheel_n, 2 + 2 + 1 + 1);
	CHECK_EQ(salua_sel_map_set_wheel(&map, NULL, 0), 0);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.wheel_n, 0);
	memset(seen, 0, sizeof(seen));
	cur.next = 0;
	for (k = 0; k < 8; k++) {
		p = salua_sel_pick_lat(&map, &cur, ios, NULL);
		if (p >= 0 && p < NP)
			seen[p]++;
	}
	CHECK(seen[0] == 2 && seen[1] == 2 && seen[2] == 2 && seen[3] == 2);
	CHECK_EQ(salua_sel_map_set_wheel(&map, NULL, 4), -SALUA_EINVAL);
	CHECK_STR(salua_sel_policy_name(SALUA_SEL_LATENCY), "latency");

	T_CASE("latency: empty class gives the verdict");
	for (k = 0; k < 5; k++)
		CHECK(salua_sel_set_state(&sel, k, SALUA_STATE_TRANSITIONING,
					  false) >= 0);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_lat(&map, &cur, ios, lat), SALUA_SEL_QUEUE);

	T_CASE("latency average and aging");
	CHECK_EQ(salua_sel_lat_ewma(0, 500), 500);
	CHECK_EQ(salua_sel_lat_ewma(0, 0), 1);
	CHECK_EQ(salua_sel_lat_ewma(800, 0), 800 - (799 + 7) / 8);
	CHECK_EQ(salua_sel_lat_ewma(500, 1300), 600);
	CHECK_EQ(salua_sel_lat_ewma(500, 501), 501); /* a step is always taken */
	CHECK_EQ(salua_sel_lat_ewma(500, 499), 499);
	CHECK_EQ(salua_sel_lat_ewma(0xfffffff0u, 0xffffffffu), 0xfffffff2u);
	{
		uint32_t a = 100;

		for (k = 0; k < 128; k++)
			a = salua_sel_lat_ewma(a, 30000);
		CHECK_EQ(a, 30000); /* converges, never overshoots */
		for (k = 0; k < 128; k++)
			a = salua_sel_lat_ewma(a, 100);
		CHECK_EQ(a, 100);
	}
	CHECK_EQ(salua_sel_lat_age(3000, 100), 1550);
	CHECK_EQ(salua_sel_lat_age(100, 100), 100);
	CHECK_EQ(salua_sel_lat_age(50, 100), 50);
	CHECK_EQ(salua_sel_lat_choose(1, 0, 3000, 2, 28, 100), 2);
	CHECK_EQ(salua_sel_lat_choose(1, 0, 3000, 2, 29, 100), 1); /* tie: a */
	CHECK_EQ(salua_sel_lat_choose(1, 0xffffffffu, 0xffffffffu, 2,
				      0xfffffffeu, 0xffffffffu), 2);
}

static void test_marginal(void)
{
	static const uint8_t st[] = { 0x80, 0, 1, 0 };
	struct salua_sel_cfg cfg;
	struct salua_sel_cursor cur = { 0 };
	unsigned k, seen[NP];
	int p;

	T_CASE("marginal: demoted below every healthy class");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_ROUND_ROBIN;
	setup(&cfg, 4);
	states(st, 4);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 3);
	CHECK_EQ(salua_sel_set_marginal(&sel, 1, true), 1);
	CHECK_EQ(salua_sel_set_marginal(&sel, 1, true), 0);
	CHECK_EQ(salua_sel_set_marginal(&sel, NP, true), -SALUA_EINVAL);
	CHECK_EQ(salua_sel_class_of(&sel.cfg, &paths[1]), SALUA_SEL_CLASS_MARGINAL);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.n, 2);
	memset(seen, 0, sizeof(seen));
	for (k = 0; k < 4; k++) {
		p = salua_sel_pick_rr(&map, &cur);
		if (p >= 0 && p < NP)
			seen[p]++;
	}
	CHECK(seen[0] == 2 && seen[3] == 2 && seen[1] == 0);
	/* Every AO path marginal: the healthy ANO path wins. */
	CHECK_EQ(salua_sel_set_marginal(&sel, 0, true), 1);
	CHECK_EQ(salua_sel_set_marginal(&sel, 3, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_ANO);
	CHECK_EQ(salua_sel_pick_rr(&map, &cur), 2);
	/* All marginal: still served, from the marginal class (not queued). */
	CHECK_EQ(salua_sel_set_marginal(&sel, 2, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(map.cls, SALUA_SEL_CLASS_MARGINAL);
	CHECK_EQ(map.n, 4);
	/* A marginal standby path stays unusable. */
	CHECK(salua_sel_set_state(&sel, 2, SALUA_STATE_STANDBY, false) >= 0);
	CHECK_EQ(salua_sel_class_of(&sel.cfg, &paths[2]), SALUA_SEL_CLASS_NONE);
	/* The failover path leaves a path that turns marginal. */
	cfg.policy = SALUA_SEL_FAILOVER;
	setup(&cfg, 4);
	states(st, 4);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 0);
	CHECK_EQ(salua_sel_set_marginal(&sel, 0, true), 1);
	CHECK_EQ(build(0), 0);
	CHECK_EQ(salua_sel_pick_failover(&map), 1);
}

static void test_health(void)
{
	struct salua_sel_health_cfg c;
	struct salua_sel_health h;
	uint64_t t = 1000;

	T_CASE("health: defaults, off when errors is 0");
	salua_sel_health_config_default(&c);
	CHECK(c.errors == 4 && c.window_ms == 10000 && c.demote_ms == 5000 &&
	      c.demote_max_ms == 60000 && c.probe_ios == 16);
	memset(&h, 0, sizeof(h));
	c.errors = 0;
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t), 0);
	CHECK_EQ(h.state, SALUA_SEL_HEALTHY);
	CHECK_EQ(salua_sel_health_io(NULL, &h, false, t), 0);

	T_CASE("health: N failures within the window demote");
	c.errors = 3;
	c.window_ms = 1000;
	c.demote_ms = 500;
	c.demote_max_ms = 1500;
	c.probe_ios = 2;
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t), 0);
	CHECK_EQ(salua_sel_health_io(&c, &h, true, t + 10), 0); /* ok: no reset */
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t + 1000), 0); /* window over */
	CHECK_EQ(h.errs, 1);
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t + 1500), 0);
	CHECK_EQ(salua_sel_health_due(&h), ~(uint64_t)0);
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t + 1900), 1);
	CHECK(salua_sel_health_demoted(&h));
	CHECK_EQ(h.demotions, 1);
	CHECK_EQ(salua_sel_health_due(&h), t + 2400);
	/* Completions of I/O sent before the demotion do not count. */
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t + 2000), 0);
	CHECK_EQ(salua_sel_health_io(&c, &h, true, t + 2000), 0);

	T_CASE("health: probed back, relapse doubles, success restores");
	CHECK_EQ(salua_sel_health_tick(&c, &h, t + 2399), 0);
	CHECK_EQ(salua_sel_health_tick(&c, &h, t + 2400), 1);
	CHECK_EQ(h.state, SALUA_SEL_PROBATION);
	CHECK(!salua_sel_health_demoted(&h));
	CHECK_EQ(salua_sel_health_tick(&c, &h, t + 2500), 0);
	CHECK_EQ(salua_sel_health_io(&c, &h, true, t + 2500), 0);
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t + 2600), 1);
	CHECK_EQ(salua_sel_health_due(&h), t + 3600); /* 1000: doubled */
	CHECK_EQ(salua_sel_health_tick(&c, &h, t + 3600), 1);
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t + 3700), 1);
	CHECK_EQ(salua_sel_health_due(&h), t + 5200); /* capped at 1500 */
	CHECK_EQ(salua_sel_health_tick(&c, &h, t + 5200), 1);
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t + 5300), 1);
	CHECK_EQ(salua_sel_health_due(&h), t + 6800);
	CHECK_EQ(salua_sel_health_tick(&c, &h, t + 6800), 1);
	CHECK_EQ(salua_sel_health_io(&c, &h, true, t + 6900), 0);
	CHECK_EQ(salua_sel_health_io(&c, &h, true, t + 6950), 1);
	CHECK_EQ(h.state, SALUA_SEL_HEALTHY);
	CHECK_EQ(h.demotions, 4);
	/* Healthy again: the period starts over at demote_ms. */
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t + 7000), 0);
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t + 7001), 0);
	CHECK_EQ(salua_sel_health_io(&c, &h, false, t + 7002), 1);
	CHECK_EQ(salua_sel_health_due(&h), t + 7502);
}

int main(void)
{
	test_init_and_setters();
	test_classes();
	test_lbd();
	test_round_robin();
	test_numa();
	test_queue_depth();
	test_service_time();
	test_failover();
	test_no_path();
	test_build_errors();
	test_engine_notify();
	test_latency();
	test_marginal();
	test_health();
	return t_done("selector");
}
