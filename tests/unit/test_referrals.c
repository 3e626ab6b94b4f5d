/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Logical block dependent ALUA (salua/referrals.h, salua/cdb.h): REPORT
 * REFERRALS CDB both ways, its parameter data decoded and encoded (round
 * trips at every allocation length with a canary, every cut behind a
 * guard page), the user data segment referral sense descriptor (the
 * sg3_utils vector, and built sense cut at every length), the LBA map and
 * salua_cdb_lba_range() for every block command it knows.
 */
#include "salua/salua.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

static const struct salua_uds_tpg g_a[] = {
	{ 1, SALUA_STATE_AO }, { 2, SALUA_STATE_STANDBY }
};
static const struct salua_uds_tpg g_b[] = {
	{ 1, SALUA_STATE_STANDBY }, { 2, SALUA_STATE_AO },
	{ 3, SALUA_STATE_ANO }
};
static const struct salua_uds_tpg g_c[] = {
	{ 2, SALUA_STATE_UNAVAILABLE }
};
static const struct salua_uds_entry segs[] = {
	{ 0, 0x3ff, 2, g_a },
	{ 0x400, 0x7ff, 3, g_b },
	{ 0x1000, 0xffffffffffffffffull, 1, g_c },
};

static void test_cdb(void)
{
	uint8_t c[16];
	struct salua_cdb p;

	T_CASE("REPORT REFERRALS CDB: build and parse");
	CHECK_EQ(salua_cdb_report_referrals(c, sizeof(c), 0x0102030405060708ull,
					    512, true), 16);
	CHECK_EQ(c[0], 0x9e);
	CHECK_EQ(c[1], 0x13);
	CHECK_EQ(c[14], 1);
	CHECK_EQ(salua_cdb_parse(c, 16, &p), 0);
	CHECK_EQ(p.opcode, 0x9e);
	CHECK_EQ(p.cdb_len, 16);
	CHECK_EQ(p.service_action, SALUA_SAI_REPORT_REFERRALS);
	CHECK_EQ(p.lba, 0x0102030405060708ull);
	CHECK_EQ(p.alloc_len, 512);
	CHECK(p.one_seg);
	CHECK_EQ(salua_cdb_report_referrals(c, 15, 0, 0, false), -SALUA_ENOSPC);
	CHECK_EQ(salua_cdb_report_referrals(NULL, 16, 0, 0, false),
		 -SALUA_EINVAL);

	T_CASE("REPORT REFERRALS CDB: what a target refuses");
	salua_cdb_report_referrals(c, sizeof(c), 0, 64, false);
	CHECK_EQ(salua_cdb_parse(c, 15, &p), -SALUA_ETRUNC);
	c[1] = 0x10; /* READ CAPACITY(16): another service action */
	CHECK_EQ(salua_cdb_parse(c, 16, &p), -SALUA_ENOTSUP);
	CHECK_EQ(p.service_action, 0x10);
	CHECK_EQ(p.err_byte, 1);
	CHECK_EQ(p.err_bit, 4);
	c[1] = 0x33; /* reserved bit 5 */
	CHECK_EQ(salua_cdb_parse(c, 16, &p), -SALUA_EMALFORMED);
	CHECK_EQ(p.err_byte, 1);
	CHECK_EQ(p.err_bit, 5);
	c[1] = 0x13;
	c[14] = 0x81;
	CHECK_EQ(salua_cdb_parse(c, 16, &p), -SALUA_EMALFORMED);
	CHECK_EQ(p.err_byte, 14);
	CHECK_EQ(p.err_bit, 7);
	CHECK(p.one_seg);
	c[14] = 0;
	c[15] = 0x04; /* NACA */
	CHECK_EQ(salua_cdb_parse(c, 16, &p), -SALUA_EMALFORMED);
	CHECK_EQ(p.err_byte, 15);
}

/* Decode @p/@n and compare the complete segments with @want[0..k). */
static size_t check_decode(const uint8_t *p, size_t n,
			   const struct salua_uds_entry *want, size_t nwant,
			   struct salua_referrals_info *info)
{
	struct salua_referrals_iter it;
	struct salua_uds_desc d;
	size_t k = 0;
	unsigned i;
	uint16_t tpg;
	uint8_t st;

	if (salua_referrals_parse(p, n, info, &it) < 0)
		return 0;
	while (salua_referrals_next(&it, &d) == 1) {
		CHECK(k < nwant);
		if (k >= nwant)
			break;
		CHECK_EQ(d.first_lba, want[k].first_lba);
		CHECK_EQ(d.last_lba, want[k].last_lba);
		CHECK_EQ(d.ntpg, want[k].ntpg);
		CHECK_EQ(d.problems, 0);
		for (i = 0; i < d.ntpg; i++) {
			CHECK_EQ(salua_uds_desc_tpg(&d, i, &st, &tpg), 0);
			CHECK_EQ(tpg, want[k].tpgs[i].tpg_id);
			CHECK_EQ(st, want[k].tpgs[i].state);
		}
		CHECK_EQ(salua_uds_desc_tpg(&d, d.ntpg, &st, &tpg),
			 -SALUA_EINVAL);
		k++;
	}
	CHECK_EQ(k, info->nsegs);
	return k;
}

static void test_round_trip(void)
{
	uint8_t full[256], buf[260];
	struct salua_referrals_info info;
	struct guard g;
	const uint8_t *p;
	size_t alloc, total, k, ends[4];
	int n;

	T_CASE("REPORT REFERRALS: encode, decode, every allocation length");
	n = salua_referrals_encoded_len(segs, 3);
	/* 4 + (20 + 8) + (20 + 12) + (20 + 4) */
	CHECK_EQ(n, 4 + 28 + 32 + 24);
	total = (size_t)n;
	CHECK_EQ(salua_referrals_encode(full, sizeof(full), segs, 3), n);
	CHECK_EQ(salua_get_be16(full + 2), total - 4u);
	CHECK_EQ(check_decode(full, total, segs, 3, &info), 3);
	CHECK(!info.truncated && !info.overrun);
	CHECK_EQ(info.needed, total);
	CHECK_EQ(info.complete_len, total);
	ends[0] = 4;
	ends[1] = 4 + 28;
	ends[2] = 4 + 28 + 32;
	ends[3] = total;
	for (alloc = 0; alloc <= total + 4; alloc++) {
		memset(buf, 0xa5, sizeof(buf));
		CHECK_EQ(salua_referrals_encode(buf, alloc, segs, 3),
			 (int)(alloc < total ? alloc : total));
		CHECK_EQ(buf[alloc < total ? alloc : total], 0xa5);
		CHECK_MEM(buf, full, alloc < total ? alloc : total);
		/* the same cut, decoded behind a guard page */
		p = guard_place(&g, full, alloc < total ? alloc : total);
		if (alloc < 4) {
			CHECK_EQ(salua_referrals_parse(p, alloc, &info, NULL),
				 -SALUA_ETRUNC);
			CHECK(info.truncated);
		} else {
			size_t m = alloc < total ? alloc : total;

			k = check_decode(p, m, segs, 3, &info);
			CHECK_EQ(k, m >= ends[3] ? 3u : m >= ends[2] ? 2u :
				    m >= ends[1] ? 1u : 0u);
			CHECK_EQ(info.truncated, m < total);
			CHECK(!info.overrun);
			CHECK_EQ(info.needed, total);
		}
		guard_free(&g);
	}
	CHECK_EQ(salua_referrals_encode(NULL, 0, segs, 3), 0);
	CHECK_EQ(salua_referrals_encode(NULL, 4, segs, 3), -SALUA_EINVAL);
}

static void test_bad(void)
{
	static const struct salua_uds_tpg bad_state[] = {
		{ 1, SALUA_STATE_LBA_DEPENDENT }
	};
	struct salua_uds_entry e[2];
	struct salua_referrals_info info;
	struct salua_referrals_iter it;
	struct salua_uds_desc d;
	uint8_t buf[128];
	int n;

	T_CASE("REPORT REFERRALS: the encoder refuses impossible segments");
	e[0] = segs[0];
	e[0].first_lba = 9;
	e[0].last_lba = 8;
	CHECK_EQ(salua_referrals_encode(buf, sizeof(buf), e, 1), -SALUA_EINVAL);
	e[0] = segs[0];
	e[0].tpgs = NULL;
	CHECK_EQ(salua_referrals_encoded_len(e, 1), -SALUA_EINVAL);

	T_CASE("REPORT REFERRALS: a descriptor overrunning the length");
	n = salua_referrals_encode(buf, sizeof(buf), segs, 2);
	salua_put_be16(buf + 2, (uint16_t)(n - 4 - 2)); /* 2 bytes short */
	CHECK_EQ(salua_referrals_parse(buf, (size_t)n, &info, &it), 0);
	CHECK(info.overrun);
	CHECK(!info.truncated);
	CHECK_EQ(info.bad_off, 4u + 28u);
	CHECK_EQ(info.nsegs, 1);
	/* the same, with the transfer also cut inside it */
	CHECK_EQ(salua_referrals_parse(buf, 40, &info, &it), 0);
	CHECK(info.overrun);
	/* stray bytes: 8 after the last descriptor */
	n = salua_referrals_encode(buf, sizeof(buf), segs, 1);
	salua_put_be16(buf + 2, (uint16_t)(n - 4 + 8));
	memset(buf + n, 0, 8);
	CHECK_EQ(salua_referrals_parse(buf, (size_t)n + 8, &info, &it), 0);
	CHECK(info.overrun);
	CHECK_EQ(info.bad_off, (size_t)n);

	T_CASE("REPORT REFERRALS: problems of a segment");
	e[0] = segs[1];
	e[1] = segs[0]; /* before the previous one */
	n = salua_referrals_encode(buf, sizeof(buf), e, 2);
	CHECK_EQ(salua_referrals_parse(buf, (size_t)n, &info, &it), 0);
	CHECK_EQ(salua_referrals_next(&it, &d), 1);
	CHECK_EQ(d.problems, 0);
	CHECK_EQ(salua_referrals_next(&it, &d), 1);
	CHECK_EQ(d.problems, SALUA_UDS_P_ORDER);
	CHECK_EQ(salua_referrals_next(&it, &d), 0);
	buf[4 + 4 + 7] = 0x09; /* first LBA 0x400 -> 0x909, above 0x7ff */
	buf[4 + 4 + 6] = 0x09;
	CHECK_EQ(salua_referrals_parse(buf, (size_t)n, &info, &it), 0);
	CHECK_EQ(salua_referrals_next(&it, &d), 1);
	CHECK_EQ(d.problems, SALUA_UDS_P_RANGE);
	e[0] = segs[0];
	e[0].ntpg = 1;
	e[0].tpgs = bad_state;
	n = salua_referrals_encode(buf, sizeof(buf), e, 1);
	CHECK_EQ(salua_referrals_parse(buf, (size_t)n, &info, &it), 0);
	CHECK_EQ(salua_referrals_next(&it, &d), 1);
	CHECK_EQ(d.problems, SALUA_UDS_P_STATE);
}

/* The segments a referral iterator yields equal segs[0..k); returns k. */
static size_t check_decode_sense(struct salua_referrals_iter *it)
{
	struct salua_uds_desc d;
	size_t k = 0;

	while (salua_referrals_next(it, &d) == 1) {
		CHECK(k < 2);
		if (k >= 2)
			break;
		CHECK_EQ(d.first_lba, segs[k].first_lba);
		CHECK_EQ(d.last_lba, segs[k].last_lba);
		CHECK_EQ(d.ntpg, segs[k].ntpg);
		k++;
	}
	return k;
}

static void test_sense(void)
{
	uint8_t raw[128], s[300];
	struct salua_sense ss;
	struct salua_sense_desc_iter it;
	struct salua_sense_desc d;
	struct salua_referrals_info info;
	struct salua_referrals_iter rit;
	struct salua_uds_desc u;
	struct guard g;
	const uint8_t *p;
	size_t n, cut;
	unsigned seen;
	uint16_t tpg;
	uint8_t st;
	int len;

	T_CASE("UDS referral descriptor of the sg3_utils vector");
	n = t_load_hex(raw, sizeof(raw), "%s/sense/%s.hex", SALUA_VECTORS_DIR,
		       "sense_sg3_descriptor_many");
	CHECK_EQ(salua_sense_normalize(raw, n, &ss), 0);
	salua_sense_desc_first(&it, &ss);
	seen = 0;
	while (salua_sense_desc_next(&it, &d) == 1) {
		CHECK_EQ(d.status, SALUA_SDESC_ST_COMPLETE);
		if (d.type != SALUA_SDESC_UDS_REFERRAL) {
			CHECK_EQ(salua_referrals_sense_parse(&d, &info, &rit),
				 -SALUA_ENOENT);
			continue;
		}
		seen++;
		CHECK_EQ(d.off, 56);
		CHECK_EQ(salua_referrals_sense_parse(&d, &info, &rit), 0);
		CHECK(info.not_all_r);
		CHECK(!info.truncated && !info.overrun);
		CHECK_EQ(salua_referrals_next(&rit, &u), 1);
		CHECK_EQ(u.first_lba, 0x0102030405060708ull);
		CHECK_EQ(u.last_lba, 0x0102030455060708ull);
		CHECK_EQ(u.ntpg, 1);
		CHECK_EQ(salua_uds_desc_tpg(&u, 0, &st, &tpg), 0);
		CHECK_EQ(tpg, 0x1234);
		CHECK_EQ(st, SALUA_STATE_STANDBY);
		CHECK_EQ(salua_referrals_next(&rit, &u), 0);
	}
	CHECK_EQ(seen, 1);

	T_CASE("referral sense: built, then cut at every length");
	len = salua_referrals_build_sense(s, sizeof(s), SALUA_SK_NOT_READY, 4,
					  0x0b, true, segs, 2);
	CHECK_EQ(len, 8 + 4 + 28 + 32);
	CHECK_EQ(salua_referrals_build_sense(s, (size_t)len - 1,
					     SALUA_SK_NOT_READY, 4, 0x0b,
					     false, segs, 2),
		 -SALUA_ENOSPC);
	for (cut = 0; cut <= (size_t)len; cut++) {
		p = guard_place(&g, s, cut);
		if (salua_sense_normalize(p, cut, &ss) != 0) {
			CHECK(cut < 2);
			guard_free(&g);
			continue;
		}
		CHECK_EQ(ss.truncated, cut < (size_t)len);
		salua_sense_desc_first(&it, &ss);
		if (salua_sense_desc_next(&it, &d) == 1) {
			CHECK_EQ(d.type, SALUA_SDESC_UDS_REFERRAL);
			CHECK_EQ(d.status, cut < (size_t)len ?
					   SALUA_SDESC_ST_CUT :
					   SALUA_SDESC_ST_COMPLETE);
			if (salua_referrals_sense_parse(&d, &info, &rit) == 0) {
				CHECK(info.not_all_r);
				CHECK_EQ(info.truncated, cut < (size_t)len);
				CHECK(!info.overrun);
				CHECK_EQ(check_decode_sense(&rit), info.nsegs);
				CHECK_EQ(info.nsegs,
					 cut >= 12u + 28u + 32u ? 2u :
					 cut >= 12u + 28u ? 1u : 0u);
			} else {
				CHECK(cut < 12);
			}
		} else {
			CHECK(cut <= 8);
		}
		guard_free(&g);
	}
}

static void test_lba_map(void)
{
	struct salua_lba_seg sg[4];
	struct salua_uds_tpg tg[8];
	struct salua_lba_map m;
	uint8_t buf[256];
	size_t ns = 0, nt = 0;
	long seg;
	int n;

	T_CASE("LBA map: load, find, state");
	CHECK_EQ(salua_lba_map_init(&m, sg, 4, tg, 8), 0);
	n = salua_referrals_encode(buf, sizeof(buf), segs, 3);
	CHECK_EQ(salua_lba_map_load(&m, buf, (size_t)n, &ns, &nt), 3);
	CHECK_EQ(ns, 3);
	CHECK_EQ(nt, 6);
	CHECK_EQ(salua_lba_map_find(&m, 0), 0);
	CHECK_EQ(salua_lba_map_find(&m, 0x3ff), 0);
	CHECK_EQ(salua_lba_map_find(&m, 0x400), 1);
	CHECK_EQ(salua_lba_map_find(&m, 0x800), -SALUA_ENOENT); /* hole */
	CHECK_EQ(salua_lba_map_find(&m, 0xfff), -SALUA_ENOENT);
	CHECK_EQ(salua_lba_map_find(&m, 0x1000), 2);
	CHECK_EQ(salua_lba_map_find(&m, 0xffffffffffffffffull), 2);
	CHECK_EQ(salua_lba_map_state(&m, 5, 1), SALUA_STATE_AO);
	CHECK_EQ(salua_lba_map_state(&m, 5, 2), SALUA_STATE_STANDBY);
	CHECK_EQ(salua_lba_map_state(&m, 5, 3), -SALUA_ENOENT);
	CHECK_EQ(salua_lba_map_state(&m, 0x500, 3), SALUA_STATE_ANO);
	CHECK_EQ(salua_lba_map_state(&m, 0x900, 1), -SALUA_ENOENT);
	CHECK_EQ(salua_lba_map_seg_state(&m, 1, 2), SALUA_STATE_AO);
	CHECK_EQ(salua_lba_map_seg_state(&m, 3, 2), -SALUA_EINVAL);

	T_CASE("LBA map: the least accessible state of a range");
	CHECK_EQ(salua_lba_map_range_state(&m, 0, 0x400, 1, &seg),
		 SALUA_STATE_AO);
	CHECK_EQ(seg, 0);
	CHECK_EQ(salua_lba_map_range_state(&m, 0x3f0, 0x20, 1, &seg),
		 SALUA_STATE_STANDBY);
	CHECK_EQ(seg, 1);
	CHECK_EQ(salua_lba_map_range_state(&m, 0x3f0, 0x20, 3, &seg),
		 SALUA_STATE_UNAVAILABLE); /* not listed in segment 0 */
	CHECK_EQ(salua_lba_map_range_state(&m, 0x7f0, 0x20, 2, &seg),
		 SALUA_STATE_UNAVAILABLE); /* runs into the hole */
	CHECK_EQ(seg, -1);
	CHECK_EQ(salua_lba_map_range_state(&m, 0x400, 0, 2, &seg),
		 SALUA_STATE_AO); /* 0 blocks: the LBA alone */
	CHECK_EQ(salua_lba_map_range_state(&m, 0xfffffffffffffff0ull, 0x10, 2,
					   &seg),
		 SALUA_STATE_UNAVAILABLE);
	CHECK_EQ(seg, 2);
	CHECK_EQ(salua_lba_map_range_state(&m, 0xfffffffffffffff0ull, 0x11, 2,
					   &seg),
		 -SALUA_EINVAL); /* past 2^64 */

	T_CASE("LBA map: refuses what it cannot trust");
	CHECK_EQ(salua_lba_map_load(&m, buf, (size_t)n - 1, &ns, &nt),
		 -SALUA_ETRUNC);
	CHECK_EQ(m.nseg, 0);
	CHECK_EQ(salua_lba_map_init(&m, sg, 2, tg, 8), 0);
	CHECK_EQ(salua_lba_map_load(&m, buf, (size_t)n, &ns, &nt),
		 -SALUA_ENOSPC);
	CHECK_EQ(ns, 3);
	CHECK_EQ(m.nseg, 0);
	{
		struct salua_uds_entry e[2] = { segs[1], segs[0] };

		CHECK_EQ(salua_lba_map_init(&m, sg, 4, tg, 8), 0);
		n = salua_referrals_encode(buf, sizeof(buf), e, 2);
		CHECK_EQ(salua_lba_map_load(&m, buf, (size_t)n, NULL, NULL),
			 -SALUA_EMALFORMED);
	}
	CHECK_EQ(salua_lba_map_init(NULL, sg, 4, tg, 8), -SALUA_EINVAL);
	CHECK_EQ(salua_lba_map_init(&m, NULL, 4, tg, 8), -SALUA_EINVAL);
}

static void test_lba_range(void)
{
	static const struct {
		uint8_t cdb[16];
		size_t len;
		int rc;
		uint64_t lba;
		uint32_t n;
	} t[] = {
		{ { 0x08, 0x1f, 0xff, 0xfe, 0x00, 0 }, 6, 1, 0x1ffffe, 256 },
		{ { 0x0a, 0xe0, 0x00, 0x10, 0x08, 0 }, 6, 1, 0x10, 8 },
		{ { 0x28, 0, 0, 0, 1, 0, 0, 0, 8, 0 }, 10, 1, 0x100, 8 },
		{ { 0x2a, 0, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0 }, 10, 1,
		  0xffffffffu, 0xffff },
		{ { 0x2e, 0, 0, 0, 0, 1, 0, 0, 1, 0 }, 10, 1, 1, 1 },
		{ { 0x2f, 0 }, 10, 1, 0, 0 },
		{ { 0x34, 0 }, 10, 1, 0, 0 },
		{ { 0x35, 0, 0, 0, 0, 9, 0, 0, 0, 0 }, 10, 1, 9, 0 },
		{ { 0x41, 0, 0, 0, 0, 2, 0, 0, 4, 0 }, 10, 1, 2, 4 },
		{ { 0xa8, 0, 0, 0, 0, 3, 0, 0, 1, 0, 0, 0 }, 12, 1, 3, 0x100 },
		{ { 0xaa, 0 }, 12, 1, 0, 0 },
		{ { 0xae, 0 }, 12, 1, 0, 0 },
		{ { 0xaf, 0 }, 12, 1, 0, 0 },
		{ { 0x88, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 1, 0, 0, 0 }, 16, 1,
		  0x0102030405060708ull, 0x100 },
		{ { 0x8a, 0 }, 16, 1, 0, 0 },
		{ { 0x8b, 0 }, 16, 1, 0, 0 },
		{ { 0x8e, 0 }, 16, 1, 0, 0 },
		{ { 0x8f, 0 }, 16, 1, 0, 0 },
		{ { 0x90, 0 }, 16, 1, 0, 0 },
		{ { 0x91, 0 }, 16, 1, 0, 0 },
		{ { 0x93, 0 }, 16, 1, 0, 0 },
		{ { 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0xff, 2, 0, 0 }, 16, 1,
		  5, 2 },
		{ { 0x28, 0 }, 9, -SALUA_ETRUNC, 0, 0 },
		{ { 0x88, 0 }, 15, -SALUA_ETRUNC, 0, 0 },
		{ { 0x12, 0 }, 6, 0, 0, 0 },
		{ { 0x9e, 0x10 }, 16, 0, 0, 0 },
		{ { 0 }, 0, -SALUA_ETRUNC, 0, 0 },
	};
	uint64_t lba;
	uint32_t n;
	size_t i;

	T_CASE("salua_cdb_lba_range(): every block command it knows");
	for (i = 0; i < SALUA_ARRAY_SIZE(t); i++) {
		CHECK_EQ(salua_cdb_lba_range(t[i].cdb, t[i].len, &lba, &n),
			 t[i].rc);
		CHECK_EQ(lba, t[i].lba);
		CHECK_EQ(n, t[i].n);
	}
	CHECK_EQ(salua_cdb_lba_range(NULL, 10, &lba, &n), -SALUA_EINVAL);
}

int main(void)
{
	test_cdb();
	test_round_trip();
	test_bad();
	test_sense();
	test_lba_map();
	test_lba_range();
	return t_done("referrals");
}
