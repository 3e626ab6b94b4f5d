/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_sel_pick_lba() (salua/selector.h): for an LU whose groups are
 * logical block dependent, the path whose group is active/optimized for
 * the I/O's LBA range wins, then active/non-optimized, then a group the
 * segment does not list; standby/unavailable groups are skipped; ties
 * rotate with the reader's cursor; without a usable answer the
 * round-robin pick is the fallback.
 */
#include "salua/salua.h"
#include "salua_test.h"

static const struct salua_uds_tpg s0[] = {
	{ 1, SALUA_STATE_AO }, { 2, SALUA_STATE_STANDBY }
};
static const struct salua_uds_tpg s1[] = {
	{ 1, SALUA_STATE_STANDBY }, { 2, SALUA_STATE_ANO }
};
static const struct salua_uds_tpg s2[] = {
	{ 1, SALUA_STATE_ANO }, { 2, SALUA_STATE_AO }
};
static const struct salua_uds_tpg s3[] = {
	{ 1, SALUA_STATE_UNAVAILABLE }, { 2, SALUA_STATE_STANDBY }
};
static const struct salua_uds_entry segs[] = {
	{ 0, 99, 2, s0 }, { 100, 199, 2, s1 }, { 200, 299, 2, s2 },
	{ 400, 499, 2, s3 }
};

int main(void)
{
	struct salua_sel sel;
	struct salua_sel_cfg cfg;
	struct salua_sel_path paths[5];
	struct salua_sel_slot slots[5];
	struct salua_sel_map map;
	struct salua_sel_cursor cur = { 0 };
	struct salua_lba_seg sg[4];
	struct salua_uds_tpg tg[8];
	struct salua_lba_map lm;
	static const uint16_t tpg[5] = { 1, 1, 2, 2, 3 };
	uint8_t buf[256];
	unsigned i, hits[5];
	int n, pick;

	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = SALUA_SEL_ROUND_ROBIN;
	cfg.lbd = SALUA_SEL_LBD_AS_AO;
	CHECK_EQ(salua_sel_init(&sel, &cfg, paths, 4), 0);
	CHECK_EQ(salua_sel_map_init(&map, slots, 5, NULL, 0), 0);
	for (i = 0; i < 4; i++)
		CHECK(salua_sel_set_state(&sel, i, SALUA_STATE_LBA_DEPENDENT,
					  false) >= 0);
	CHECK_EQ(salua_sel_build(&sel, &map, 0), 0);
	CHECK_EQ(map.n, 4);
	salua_lba_map_init(&lm, sg, 4, tg, 8);
	n = salua_referrals_encode(buf, sizeof(buf), segs, 4);
	CHECK_EQ(salua_lba_map_load(&lm, buf, (size_t)n, NULL, NULL), 4);

	T_CASE("AO for the range wins; ties rotate");
	memset(hits, 0, sizeof(hits));
	for (i = 0; i < 100; i++) {
		pick = salua_sel_pick_lba(&map, &lm, tpg, 50, &cur);
		CHECK(pick == 0 || pick == 1);
		if (pick >= 0 && pick < 5)
			hits[pick]++;
	}
	CHECK(hits[0] > 0 && hits[1] > 0);

	T_CASE("ANO when no group is AO for the range");
	for (i = 0; i < 10; i++) {
		pick = salua_sel_pick_lba(&map, &lm, tpg, 150, &cur);
		CHECK(pick == 2 || pick == 3);
	}
	T_CASE("AO beats ANO");
	for (i = 0; i < 10; i++) {
		pick = salua_sel_pick_lba(&map, &lm, tpg, 299, &cur);
		CHECK(pick == 2 || pick == 3);
	}
	T_CASE("no segment, or every group skipped: round-robin");
	memset(hits, 0, sizeof(hits));
	for (i = 0; i < 40; i++) {
		switch (i % 4) {
		case 0:
			pick = salua_sel_pick_lba(&map, &lm, tpg, 350, &cur);
			break;
		case 1:
			pick = salua_sel_pick_lba(&map, &lm, tpg, 450, &cur);
			break;
		case 2:
			pick = salua_sel_pick_lba(&map, NULL, tpg, 50, &cur);
			break;
		default:
			pick = salua_sel_pick_lba(&map, &lm, NULL, 50, &cur);
			break;
		}
		CHECK(pick >= 0 && pick < 4);
		if (pick >= 0 && pick < 4)
			hits[pick]++;
	}
	/* the plain rotation: each path 10 times */
	CHECK(hits[0] == 10 && hits[1] == 10 && hits[2] == 10 &&
	      hits[3] == 10);

	T_CASE("a group the segment does not list ranks after ANO");
	CHECK_EQ(salua_sel_init(&sel, &cfg, paths, 5), 0);
	for (i = 0; i < 5; i++)
		CHECK(salua_sel_set_state(&sel, i, SALUA_STATE_LBA_DEPENDENT,
					  false) >= 0);
	CHECK_EQ(salua_sel_build(&sel, &map, 0), 0);
	for (i = 0; i < 10; i++) {
		/* group 3 unlisted everywhere; range 100..199: 2/3 ANO */
		pick = salua_sel_pick_lba(&map, &lm, tpg, 100, &cur);
		CHECK(pick == 2 || pick == 3);
		/* 400..499: 1 U, 2 S; only the unlisted group 3 is left */
		CHECK_EQ(salua_sel_pick_lba(&map, &lm, tpg, 400, &cur), 4);
	}

	T_CASE("nothing usable: the map's verdict");
	for (i = 0; i < 5; i++)
		CHECK(salua_sel_set_state(&sel, i, SALUA_STATE_STANDBY,
					  false) >= 0);
	CHECK_EQ(salua_sel_build(&sel, &map, 0), 0);
	CHECK_EQ(map.n, 0);
	CHECK_EQ(salua_sel_pick_lba(&map, &lm, tpg, 50, &cur), map.verdict);
	return t_done("selector_lba");
}
