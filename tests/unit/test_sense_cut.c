/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Sense data that did not arrive whole (salua/sense.h, salua/engine.h):
 * salua_sense_desc_next() returns every descriptor and says which one was
 * cut by the transfer or overruns ADDITIONAL SENSE LENGTH (every cut of
 * the sg3_utils vector behind a guard page, hand-made overruns), and
 * salua_engine_sense() passes truncation on in its verdict.
 */
#include "salua/salua.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

/* Descriptor offsets (in the sense data) of sense_sg3_descriptor_many. */
static const size_t desc_off[] = { 8, 20, 32, 40, 44, 52, 56, 84 };

static void test_vector_cuts(void)
{
	uint8_t raw[128];
	struct salua_sense s;
	struct salua_sense_desc_iter it;
	struct salua_sense_desc d;
	struct guard g;
	const uint8_t *p;
	size_t n, cut, k, sum;
	unsigned seen;

	n = t_load_hex(raw, sizeof(raw), "%s/sense/%s.hex", SALUA_VECTORS_DIR,
		       "sense_sg3_descriptor_many");
	CHECK_EQ(n, 84);
	T_CASE("every cut of the descriptor-sense vector");
	for (cut = 2; cut <= n; cut++) {
		p = guard_place(&g, raw, cut);
		CHECK_EQ(salua_sense_normalize(p, cut, &s), 0);
		CHECK_EQ(s.truncated, cut < n);
		salua_sense_desc_first(&it, &s);
		seen = 0;
		sum = 0;
		while (salua_sense_desc_next(&it, &d) == 1) {
			CHECK(seen < 7);
			CHECK_EQ(d.off, desc_off[seen]);
			CHECK(d.p == p + d.off);
			CHECK(d.avail >= 1 && d.off + d.avail <= cut);
			sum += d.avail;
			if (d.status == SALUA_SDESC_ST_COMPLETE) {
				CHECK_EQ(d.len, desc_off[seen + 1] -
						desc_off[seen]);
				CHECK_EQ(d.avail, d.len);
			} else {
				CHECK_EQ(d.status, SALUA_SDESC_ST_CUT);
				CHECK_EQ(d.off + d.avail, cut);
				CHECK(d.avail < desc_off[seen + 1] -
						desc_off[seen]);
				CHECK_EQ(d.len, d.avail >= 2 ?
						desc_off[seen + 1] -
						desc_off[seen] : 0u);
			}
			seen++;
		}
		/* every byte after the header belongs to one descriptor */
		CHECK_EQ(sum, cut > 8 ? cut - 8 : 0);
		for (k = 0; k < 8 && desc_off[k] < cut; k++)
			;
		CHECK_EQ(seen, cut > 8 ? k : 0u);
		CHECK_EQ(salua_sense_desc_next(&it, &d), 0);
		guard_free(&g);
	}
}

static void test_overrun(void)
{
	/* information descriptor (12) inside ADDITIONAL SENSE LENGTH 6 */
	static const uint8_t over[] = { 0x72, 6, 0x2a, 6, 0, 0, 0, 6,
					0, 0x0a, 0x80, 0, 1, 2 };
	/* a stray byte after a complete descriptor, inside the length */
	static const uint8_t stray[] = { 0x72, 6, 0x2a, 6, 0, 0, 0, 5,
					 3, 2, 0, 0x45, 0x80 };
	/* the same byte, but the length announces more: cut, not stray */
	static const uint8_t cut1[] = { 0x72, 6, 0x2a, 6, 0, 0, 0, 8,
					3, 2, 0, 0x45, 0x80 };
	static const uint8_t fixed[18] = { 0x70, 0, 6, 0, 0, 0, 0, 10,
					   0, 0, 0, 0, 0x2a, 6 };
	struct salua_sense s;
	struct salua_sense_desc_iter it;
	struct salua_sense_desc d;
	const uint8_t *x;
	size_t xl;

	T_CASE("a descriptor overrunning ADDITIONAL SENSE LENGTH");
	CHECK_EQ(salua_sense_normalize(over, sizeof(over), &s), 0);
	CHECK(!s.truncated);
	salua_sense_desc_first(&it, &s);
	CHECK_EQ(salua_sense_desc_next(&it, &d), 1);
	CHECK_EQ(d.status, SALUA_SDESC_ST_OVERRUN);
	CHECK_EQ(d.len, 12);
	CHECK_EQ(d.avail, 6);
	CHECK_EQ(salua_sense_desc_next(&it, &d), 0);
	/* find_desc never hands it out */
	CHECK_EQ(salua_sense_find_desc(&s, 0, &x, &xl), -SALUA_EMALFORMED);

	T_CASE("a stray byte: overrun; the same byte announced: cut");
	CHECK_EQ(salua_sense_normalize(stray, sizeof(stray), &s), 0);
	salua_sense_desc_first(&it, &s);
	CHECK_EQ(salua_sense_desc_next(&it, &d), 1);
	CHECK_EQ(d.status, SALUA_SDESC_ST_COMPLETE);
	CHECK_EQ(salua_sense_desc_next(&it, &d), 1);
	CHECK_EQ(d.status, SALUA_SDESC_ST_OVERRUN);
	CHECK_EQ(d.off, 12);
	CHECK_EQ(d.avail, 1);
	CHECK_EQ(d.len, 0);
	CHECK_EQ(d.type, 0x80);
	CHECK_EQ(salua_sense_normalize(cut1, sizeof(cut1), &s), 0);
	CHECK(s.truncated);
	salua_sense_desc_first(&it, &s);
	CHECK_EQ(salua_sense_desc_next(&it, &d), 1);
	CHECK_EQ(salua_sense_desc_next(&it, &d), 1);
	CHECK_EQ(d.status, SALUA_SDESC_ST_CUT);

	T_CASE("fixed format: no descriptors; names");
	CHECK_EQ(salua_sense_normalize(fixed, sizeof(fixed), &s), 0);
	salua_sense_desc_first(&it, &s);
	CHECK_EQ(salua_sense_desc_next(&it, &d), 0);
	salua_sense_desc_first(&it, NULL);
	CHECK_EQ(salua_sense_desc_next(&it, &d), 0);
	CHECK_EQ(salua_sense_desc_next(NULL, &d), 0);
	CHECK_STR(salua_sense_desc_name(0x0b), "user-data-segment-referral");
	CHECK_STR(salua_sense_desc_name(0x02), "sense-key-specific");
	CHECK_STR(salua_sense_desc_name(0x80), "vendor-specific");
	CHECK_STR(salua_sense_desc_name(0x20), "reserved");
}

static void test_verdict(void)
{
	uint8_t b[32];
	struct salua_verdict v;
	int n;

	T_CASE("salua_engine_sense(): truncation passed on");
	n = salua_sense_build_fixed(b, sizeof(b), SALUA_SK_NOT_READY, 0x04,
				    0x0b);
	CHECK_EQ(n, 18);
	v = salua_engine_sense(NULL, 0, SALUA_STATUS_CHECK_CONDITION, b, 18);
	CHECK_EQ(v.disp, SALUA_DISP_FAILOVER);
	CHECK_EQ(v.sense, 0);
	/* ASC/ASCQ arrived, the rest did not: decided, flagged */
	v = salua_engine_sense(NULL, 0, SALUA_STATUS_CHECK_CONDITION, b, 14);
	CHECK_EQ(v.disp, SALUA_DISP_FAILOVER);
	CHECK_EQ(v.sense, SALUA_VSENSE_TRUNCATED);
	/* cut before the ASC: no decision, flagged */
	v = salua_engine_sense(NULL, 0, SALUA_STATUS_CHECK_CONDITION, b, 12);
	CHECK_EQ(v.disp, SALUA_DISP_NOT_HANDLED);
	CHECK_EQ(v.sense, SALUA_VSENSE_TRUNCATED);
	/* too short for the sense key */
	v = salua_engine_sense(NULL, 0, SALUA_STATUS_CHECK_CONDITION, b, 2);
	CHECK_EQ(v.disp, SALUA_DISP_NOT_HANDLED);
	CHECK_EQ(v.sense, SALUA_VSENSE_TRUNCATED);
	/* not sense data */
	b[0] = 0x7f;
	v = salua_engine_sense(NULL, 0, SALUA_STATUS_CHECK_CONDITION, b, 18);
	CHECK_EQ(v.sense, SALUA_VSENSE_INVALID);
	/* no sense at all */
	v = salua_engine_sense(NULL, 0, SALUA_STATUS_CHECK_CONDITION, NULL, 0);
	CHECK_EQ(v.sense, 0);
	v = salua_engine_sense(NULL, 0, SALUA_STATUS_BUSY, NULL, 0);
	CHECK_EQ(v.disp, SALUA_DISP_REQUEUE);
	CHECK_EQ(v.sense, 0);
	/* descriptor format cut inside its header */
	n = salua_sense_build_desc(b, sizeof(b), SALUA_SK_UNIT_ATTENTION, 0x2a,
				   6);
	v = salua_engine_sense(NULL, 0, SALUA_STATUS_CHECK_CONDITION, b, 6);
	CHECK_EQ(v.disp, SALUA_DISP_REQUEUE);
	CHECK_EQ(v.sense, SALUA_VSENSE_TRUNCATED);
	v = salua_engine_sense(NULL, 0, SALUA_STATUS_CHECK_CONDITION, b,
			       (size_t)n);
	CHECK_EQ(v.sense, 0);
	/* salua_io_disposition() itself leaves the bits to its caller */
	CHECK_EQ(salua_io_disposition(SALUA_STATUS_BUSY, NULL).sense, 0);
}

int main(void)
{
	test_vector_cuts();
	test_overrun();
	test_verdict();
	return t_done("sense_cut");
}
