/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The target side of ALUA (salua/target.h, salua/cdb.h): the access-state
 * gate on any CDB in every state (its answers nested: what transitioning
 * allows, unavailable allows, and standby too), the LBA dependent state
 * against the LBA map's own answer, the referral sense a target then
 * builds decoding back to the segment that decided, and the REPORT
 * REFERRALS CDB build -> parse round trip.
 *
 * Input: byte 0 the port's group, byte 1 CDB length (mod 17), the CDB,
 * then REPORT REFERRALS data for the LBA map.
 */
#include "fuzz.h"

#define MAXSEG 32
#define MAXTPG 128

static bool allowed_ascq(uint16_t r)
{
	return r == 0 || r == SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY ||
	       r == SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE ||
	       r == SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION ||
	       r == SALUA_ASC_LU_NOT_READY_OFFLINE ||
	       r == SALUA_ASC_LU_NOT_READY_CAUSE_NOT_REPORTABLE;
}

/* A refusal's referral sense decodes back to the deciding segment. */
static void referral_sense(const struct salua_lba_map *m, long seg,
			   uint16_t ascq)
{
	struct salua_uds_entry e;
	struct salua_sense s;
	struct salua_sense_desc_iter it;
	struct salua_sense_desc d;
	struct salua_referrals_info info;
	struct salua_referrals_iter rit;
	struct salua_uds_desc u;
	uint8_t b[300];
	int n;

	e.first_lba = m->seg[seg].first;
	e.last_lba = m->seg[seg].last;
	e.ntpg = m->seg[seg].ntpg;
	e.tpgs = m->tpg + m->seg[seg].tpg;
	n = salua_referrals_build_sense(b, sizeof(b), SALUA_SK_NOT_READY,
					(uint8_t)(ascq >> 8), (uint8_t)ascq,
					m->nseg > 1, &e, 1);
	if (n == -SALUA_EINVAL) {
		/* more groups than one sense descriptor holds */
		FUZZ_CHECK(4u + 20u + 4u * e.ntpg > 0xffu);
		return;
	}
	FUZZ_CHECK(n > 0);
	FUZZ_CHECK(salua_sense_normalize(b, (size_t)n, &s) == 0);
	FUZZ_CHECK(!s.truncated && s.key == SALUA_SK_NOT_READY &&
		   salua_sense_asc(&s) == ascq);
	FUZZ_CHECK(salua_io_disposition(SALUA_STATUS_CHECK_CONDITION, &s)
			   .disp == (ascq == SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION ?
					     SALUA_DISP_DELAYED_RETRY :
					     SALUA_DISP_FAILOVER));
	salua_sense_desc_first(&it, &s);
	FUZZ_CHECK(salua_sense_desc_next(&it, &d) == 1);
	FUZZ_CHECK(d.status == SALUA_SDESC_ST_COMPLETE);
	FUZZ_CHECK(salua_referrals_sense_parse(&d, &info, &rit) == 0);
	FUZZ_CHECK(info.not_all_r == (m->nseg > 1) && info.nsegs == 1);
	FUZZ_CHECK(salua_referrals_next(&rit, &u) == 1);
	FUZZ_CHECK(u.first_lba == e.first_lba && u.last_lba == e.last_lba &&
		   u.ntpg == e.ntpg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct salua_lba_seg sg[MAXSEG];
	static struct salua_uds_tpg tg[MAXTPG];
	struct salua_lba_map m;
	struct salua_gate_lba gl;
	struct salua_cdb p;
	struct fz f;
	const uint8_t *cdb, *ref;
	size_t clen, rlen;
	uint16_t r, rt, ru, rs;
	uint64_t lba;
	uint32_t nb;
	unsigned st;
	long seg;
	int rc, lr, state;
	uint8_t c[16];

	fz_init(&f, data, size);
	gl.tpg_id = fz_u8(&f);
	clen = fz_u8(&f) % 17u;
	cdb = fz_bytes(&f, clen, &clen);
	ref = fz_bytes(&f, fz_left(&f), &rlen);

	/* the plain states */
	for (st = 0; st < 16; st++) {
		r = salua_target_gate((uint8_t)st, cdb, clen, NULL, &seg);
		FUZZ_CHECK(allowed_ascq(r));
		if (st != SALUA_STATE_LBA_DEPENDENT)
			FUZZ_CHECK(seg == -1);
		/* high bits (PREF) ignored */
		FUZZ_CHECK(salua_target_gate((uint8_t)(st | 0xf0u), cdb, clen,
					     NULL, NULL) == r);
		if (!clen)
			FUZZ_CHECK(r == 0);
	}
	FUZZ_CHECK(salua_target_gate(SALUA_STATE_AO, cdb, clen, NULL, NULL) ==
		   0);
	FUZZ_CHECK(salua_target_gate(SALUA_STATE_ANO, cdb, clen, NULL, NULL) ==
		   0);
	rt = salua_target_gate(SALUA_STATE_TRANSITIONING, cdb, clen, NULL,
			       NULL);
	ru = salua_target_gate(SALUA_STATE_UNAVAILABLE, cdb, clen, NULL, NULL);
	rs = salua_target_gate(SALUA_STATE_STANDBY, cdb, clen, NULL, NULL);
	if (clen) {
		FUZZ_CHECK(salua_target_gate(SALUA_STATE_OFFLINE, cdb, clen,
					     NULL, NULL) ==
			   SALUA_ASC_LU_NOT_READY_OFFLINE);
		FUZZ_CHECK(rt == 0 || rt == SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION);
		FUZZ_CHECK(ru == 0 ||
			   ru == SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE);
		FUZZ_CHECK(rs == 0 || rs == SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY);
	}
	/* nested: transitioning allows a subset of unavailable, of standby */
	if (rt == 0)
		FUZZ_CHECK(ru == 0);
	if (ru == 0)
		FUZZ_CHECK(rs == 0);
	/* a well-formed RTPG or INQUIRY gets through every primary state */
	if (clen && salua_cdb_parse(cdb, clen, &p) == 0 &&
	    (p.opcode == SALUA_OP_INQUIRY ||
	     p.opcode == SALUA_OP_MAINTENANCE_IN ||
	     p.opcode == SALUA_OP_SERVICE_ACTION_IN16))
		FUZZ_CHECK(rt == 0);

	/* LBA dependent, through the map the rest of the input makes */
	salua_lba_map_init(&m, sg, MAXSEG, tg, MAXTPG);
	if (salua_lba_map_load(&m, ref, rlen, NULL, NULL) >= 0) {
		gl.map = &m;
		r = salua_target_gate(SALUA_STATE_LBA_DEPENDENT, cdb, clen,
				      &gl, &seg);
		lr = clen ? salua_cdb_lba_range(cdb, clen, &lba, &nb) : 0;
		if (lr != 1) {
			FUZZ_CHECK(r == 0 && seg == -1);
		} else {
			state = salua_lba_map_range_state(&m, lba, nb,
							  gl.tpg_id, NULL);
			if (state == -SALUA_EINVAL)
				state = SALUA_STATE_UNAVAILABLE;
			switch (state) {
			case SALUA_STATE_AO:
			case SALUA_STATE_ANO:
				FUZZ_CHECK(r == 0 && seg == -1);
				break;
			case SALUA_STATE_STANDBY:
				FUZZ_CHECK(r == SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY);
				break;
			case SALUA_STATE_TRANSITIONING:
				FUZZ_CHECK(r == SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION);
				break;
			default:
				FUZZ_CHECK(r == SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE);
				break;
			}
			if (r) {
				FUZZ_CHECK(seg >= -1 && seg < (long)m.nseg);
				if (seg >= 0)
					referral_sense(&m, seg, r);
			}
		}
	}

	/* REPORT REFERRALS CDB: build -> parse */
	fz_init(&f, data, size);
	lba = (uint64_t)fz_u32(&f) << 32 | fz_u32(&f);
	nb = fz_u32(&f);
	rc = salua_cdb_report_referrals(c, sizeof(c), lba, nb,
					(fz_u8(&f) & 1u) != 0);
	FUZZ_CHECK(rc == 16);
	FUZZ_CHECK(salua_cdb_parse(c, 16, &p) == 0);
	FUZZ_CHECK(p.lba == lba && p.alloc_len == nb &&
		   p.service_action == SALUA_SAI_REPORT_REFERRALS);
	FUZZ_CHECK(salua_target_gate(SALUA_STATE_TRANSITIONING, c, 16, NULL,
				     NULL) == 0);
	return 0;
}
