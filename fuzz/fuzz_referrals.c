/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * REPORT REFERRALS parameter data (SBC-4; salua/referrals.h): the decoder
 * over whatever arrived against a naive count of complete descriptors,
 * every view inside the bytes, decode -> encode -> decode giving the same
 * segments at every allocation length, the LBA map (load, find, state,
 * range state) against linear scans, and the LBA-range pick of the
 * selector against the map.
 */
#include "fuzz.h"

#define MAXSEG 64
#define MAXTPG 256

/* Complete descriptors in [4, min(size, 4 + length)), counted naively. */
static size_t naive(const uint8_t *d, size_t size, bool *tiles)
{
	size_t lim, off = 4, n = 0;

	*tiles = false;
	if (size < 4)
		return 0;
	lim = 4u + salua_get_be16(d + 2);
	if (lim > size)
		lim = size;
	while (off + 20 <= lim && off + 20 + 4u * d[off + 3] <= lim) {
		off += 20 + 4u * d[off + 3];
		n++;
	}
	*tiles = off == lim;
	return n;
}

static struct salua_uds_entry ent[MAXSEG];
static struct salua_uds_tpg tpg[MAXTPG];
static uint8_t enc[4 + 0x10000];

static void round_trip(const uint8_t *data, size_t size, size_t nsegs)
{
	struct salua_referrals_info info, i2;
	struct salua_referrals_iter it, it2;
	struct salua_uds_desc d, d2;
	size_t k = 0, t = 0, alloc;
	unsigned i;
	int full, rc;

	if (nsegs > MAXSEG)
		return;
	salua_referrals_parse(data, size, &info, &it);
	while (salua_referrals_next(&it, &d) == 1) {
		if (d.problems & SALUA_UDS_P_RANGE)
			return; /* the encoder refuses first > last */
		if (t + d.ntpg > MAXTPG)
			return;
		ent[k].first_lba = d.first_lba;
		ent[k].last_lba = d.last_lba;
		ent[k].ntpg = d.ntpg;
		ent[k].tpgs = tpg + t;
		for (i = 0; i < d.ntpg; i++)
			salua_uds_desc_tpg(&d, i, &tpg[t + i].state,
					   &tpg[t + i].tpg_id);
		t += d.ntpg;
		k++;
	}
	full = salua_referrals_encode(enc, sizeof(enc), ent, k);
	FUZZ_CHECK(full == salua_referrals_encoded_len(ent, k));
	FUZZ_CHECK(full >= 4 && (size_t)full == info.complete_len);
	/* the complete part comes back, reserved bits aside */
	FUZZ_CHECK(salua_referrals_parse(enc, (size_t)full, &i2, &it2) == 0);
	FUZZ_CHECK(!i2.truncated && !i2.overrun && i2.nsegs == k);
	salua_referrals_parse(data, size, &info, &it);
	while (salua_referrals_next(&it, &d) == 1) {
		FUZZ_CHECK(salua_referrals_next(&it2, &d2) == 1);
		FUZZ_CHECK(d.first_lba == d2.first_lba &&
			   d.last_lba == d2.last_lba && d.ntpg == d2.ntpg &&
			   d.problems == d2.problems && d.off == d2.off);
		for (i = 0; i < 4u * d.ntpg; i += 4)
			FUZZ_CHECK((d.tpgs[i] & 0xf) == d2.tpgs[i] &&
				   d.tpgs[i + 2] == d2.tpgs[i + 2] &&
				   d.tpgs[i + 3] == d2.tpgs[i + 3]);
	}
	/* every allocation length: a prefix, truncated exactly when short */
	for (alloc = 0; alloc <= (size_t)full; alloc += 1u + alloc / 8u) {
		static uint8_t part[4 + 0x10000];

		rc = salua_referrals_encode(part, alloc, ent, k);
		FUZZ_CHECK(rc == (int)alloc);
		FUZZ_CHECK(memcmp(part, enc, alloc) == 0);
		if (alloc >= 4) {
			FUZZ_CHECK(salua_referrals_parse(part, alloc, &i2,
							 NULL) == 0);
			FUZZ_CHECK(i2.truncated == (alloc < (size_t)full));
			FUZZ_CHECK(!i2.overrun);
		}
	}
}

static void lba_map(const uint8_t *data, size_t size, bool clean)
{
	static struct salua_lba_seg sg[MAXSEG];
	static struct salua_uds_tpg tg[MAXTPG];
	struct salua_lba_map m;
	struct salua_sel sel;
	struct salua_sel_cfg cfg;
	struct salua_sel_path paths[4];
	struct salua_sel_slot slots[4];
	struct salua_sel_map map;
	struct salua_sel_cursor cur = { 0 };
	static const uint16_t ptpg[4] = { 0, 1, 2, 3 };
	size_t ns = 0, nt = 0, i;
	uint64_t lba;
	long seg;
	int rc, st, pick, want;

	salua_lba_map_init(&m, sg, MAXSEG, tg, MAXTPG);
	rc = salua_lba_map_load(&m, data, size, &ns, &nt);
	if (rc < 0) {
		FUZZ_CHECK(rc == -SALUA_ETRUNC || rc == -SALUA_EMALFORMED ||
			   rc == -SALUA_ENOSPC);
		FUZZ_CHECK(m.nseg == 0);
		if (rc == -SALUA_ENOSPC)
			FUZZ_CHECK(ns > MAXSEG || nt > MAXTPG);
		return;
	}
	FUZZ_CHECK(clean && (size_t)rc == ns && m.nseg == ns && m.ntpg == nt);
	for (i = 1; i < m.nseg; i++)
		FUZZ_CHECK(m.seg[i].first > m.seg[i - 1].last);
	/* probe LBAs around every boundary */
	for (i = 0; i < m.nseg * 3u + 1u; i++) {
		size_t j = i / 3;
		long lin = -1;

		lba = j < m.nseg ? (i % 3 == 0 ? m.seg[j].first :
				    i % 3 == 1 ? m.seg[j].last :
				    m.seg[j].last + 1u) : 0;
		for (size_t q = 0; q < m.nseg; q++)
			if (m.seg[q].first <= lba && lba <= m.seg[q].last)
				lin = (long)q;
		seg = salua_lba_map_find(&m, lba);
		FUZZ_CHECK(seg == (lin < 0 ? -SALUA_ENOENT : lin));
		st = salua_lba_map_range_state(&m, lba, 1, 1, &seg);
		FUZZ_CHECK(st >= 0 && st <= 15);
		want = salua_lba_map_state(&m, lba, 1);
		if (want == SALUA_STATE_AO || want == SALUA_STATE_ANO ||
		    want == SALUA_STATE_STANDBY ||
		    want == SALUA_STATE_TRANSITIONING)
			FUZZ_CHECK(st == want);
		else
			FUZZ_CHECK(st == SALUA_STATE_UNAVAILABLE ||
				   st == want);
	}
	/* the selector's LBA pick against the map, 4 LBD paths */
	memset(&cfg, 0, sizeof(cfg));
	cfg.lbd = SALUA_SEL_LBD_AS_AO;
	cfg.policy = SALUA_SEL_ROUND_ROBIN;
	FUZZ_CHECK(salua_sel_init(&sel, &cfg, paths, 4) == 0);
	FUZZ_CHECK(salua_sel_map_init(&map, slots, 4, NULL, 0) == 0);
	for (i = 0; i < 4; i++)
		salua_sel_set_state(&sel, (unsigned)i,
				    SALUA_STATE_LBA_DEPENDENT, false);
	FUZZ_CHECK(salua_sel_build(&sel, &map, 0) == 0);
	for (i = 0; i < m.nseg; i++) {
		bool ao = false;

		pick = salua_sel_pick_lba(&map, &m, ptpg, m.seg[i].first, &cur);
		FUZZ_CHECK(pick >= 0 && pick < 4);
		for (unsigned g = 0; g < 4; g++)
			if (salua_lba_map_seg_state(&m, (long)i, (uint16_t)g) ==
			    SALUA_STATE_AO)
				ao = true;
		if (ao)
			FUZZ_CHECK(salua_lba_map_seg_state(&m, (long)i,
							   (uint16_t)pick) ==
				   SALUA_STATE_AO);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct salua_referrals_info info;
	struct salua_referrals_iter it;
	struct salua_uds_desc d;
	size_t n = 0, want;
	bool tiles, bad = false;
	int rc;

	rc = salua_referrals_parse(data, size, &info, &it);
	if (rc < 0) {
		FUZZ_CHECK(rc == -SALUA_ETRUNC && size < 4 && info.truncated);
		return 0;
	}
	want = naive(data, size, &tiles);
	FUZZ_CHECK(info.nsegs == want);
	FUZZ_CHECK(info.needed == 4u + info.desc_length);
	FUZZ_CHECK(info.truncated == (size < info.needed || (!tiles &&
							    !info.overrun)));
	FUZZ_CHECK(!(info.truncated && info.overrun) ||
		   size < info.needed);
	if (info.overrun)
		FUZZ_CHECK(!tiles && info.bad_off == info.complete_len);
	while (salua_referrals_next(&it, &d) == 1) {
		FUZZ_CHECK(d.off >= 4 &&
			   d.off + 20u + 4u * d.ntpg <= info.complete_len);
		FUZZ_CHECK(d.tpgs == data + d.off + 20);
		if (d.problems)
			bad = true;
		n++;
	}
	FUZZ_CHECK(n == info.nsegs);
	round_trip(data, size, n);
	lba_map(data, size, !info.truncated && !info.overrun && !bad);
	return 0;
}
