/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * CDBs (salua/cdb.h): exact bytes of every builder (sg_rtpg's and
 * sg_stpg's CDBs as observed in USERSPACE-FACTS.md), build -> parse round
 * trips, every truncation behind a guard page, target-side validation with
 * the field pointer, and the ILLEGAL REQUEST sense built from it.
 */
#include "salua/cdb.h"
#include "salua_test.h"
#include "guard.h"

static int parse_guarded(const uint8_t *src, size_t len, struct salua_cdb *c)
{
	struct guard g;
	const uint8_t *p = guard_place(&g, src, len);
	int rc = salua_cdb_parse(p, len, c);

	guard_free(&g);
	return rc;
}

static void test_exact_bytes(void)
{
	static const uint8_t rtpg_ext128[12] = { 0xa3, 0x2a, 0, 0, 0, 0,
						 0,    0,    0, 0x80, 0, 0 };
	static const uint8_t rtpg_sg[12] = { 0xa3, 0x0a, 0, 0, 0, 0,
					     0,    0,    4, 0, 0, 0 };
	static const uint8_t stpg12[12] = { 0xa4, 0x0a, 0, 0, 0, 0,
					    0,    0,    0, 0x0c, 0, 0 };
	static const uint8_t inq_std36[6] = { 0x12, 0, 0, 0, 36, 0 };
	static const uint8_t inq_83[6] = { 0x12, 0x01, 0x83, 0, 0xfc, 0 };
	static const uint8_t inq_big[6] = { 0x12, 0x01, 0x00, 0xff, 0xff, 0 };
	static const uint8_t tur[6] = { 0, 0, 0, 0, 0, 0 };
	uint8_t b[16];

	T_CASE("RTPG extended, allocation length 128");
	memset(b, 0xee, sizeof(b));
	CHECK_EQ(salua_cdb_rtpg(b, sizeof(b), SALUA_RTPG_PDF_EXTENDED, 128), 12);
	CHECK_MEM(b, rtpg_ext128, 12);
	CHECK_EQ(b[12], 0xee);
	T_CASE("RTPG classic, 1024 (sg_rtpg's CDB)");
	CHECK_EQ(salua_cdb_rtpg(b, 12, SALUA_RTPG_PDF_CLASSIC, 1024), 12);
	CHECK_MEM(b, rtpg_sg, 12);
	T_CASE("STPG, parameter list length 12 (sg_stpg's CDB)");
	CHECK_EQ(salua_cdb_stpg(b, 12, 12), 12);
	CHECK_MEM(b, stpg12, 12);
	T_CASE("INQUIRY standard 36, VPD 0x83 252 (sg_stpg's), 65535");
	CHECK_EQ(salua_cdb_inquiry(b, 6, false, 0, 36), 6);
	CHECK_MEM(b, inq_std36, 6);
	CHECK_EQ(salua_cdb_inquiry(b, 6, true, 0x83, 0xfc), 6);
	CHECK_MEM(b, inq_83, 6);
	CHECK_EQ(salua_cdb_inquiry(b, 6, true, 0, 0xffff), 6);
	CHECK_MEM(b, inq_big, 6);
	T_CASE("TEST UNIT READY");
	memset(b, 0xee, sizeof(b));
	CHECK_EQ(salua_cdb_tur(b, 6), 6);
	CHECK_MEM(b, tur, 6);
	CHECK_EQ(b[6], 0xee);

	T_CASE("builders: capacity and arguments, nothing written on error");
	memset(b, 0xee, sizeof(b));
	CHECK_EQ(salua_cdb_rtpg(b, 11, 1, 1), -SALUA_ENOSPC);
	CHECK_EQ(salua_cdb_stpg(b, 11, 1), -SALUA_ENOSPC);
	CHECK_EQ(salua_cdb_inquiry(b, 5, false, 0, 1), -SALUA_ENOSPC);
	CHECK_EQ(salua_cdb_tur(b, 5), -SALUA_ENOSPC);
	CHECK_EQ(b[0], 0xee);
	CHECK_EQ(salua_cdb_inquiry(b, 6, false, 0x83, 1), -SALUA_EINVAL);
	CHECK_EQ(salua_cdb_rtpg(b, 12, 8, 1), -SALUA_EINVAL);
	CHECK_EQ(salua_cdb_rtpg(NULL, 12, 0, 1), -SALUA_EINVAL);
	CHECK_EQ(salua_cdb_stpg(NULL, 12, 1), -SALUA_EINVAL);
	CHECK_EQ(salua_cdb_tur(NULL, 6), -SALUA_EINVAL);
	CHECK_EQ(salua_cdb_inquiry(NULL, 6, true, 0, 1), -SALUA_EINVAL);
	CHECK_EQ(b[0], 0xee);

	T_CASE("salua_cdb_len by group code");
	CHECK_EQ(salua_cdb_len(0x00), 6);
	CHECK_EQ(salua_cdb_len(0x12), 6);
	CHECK_EQ(salua_cdb_len(0x28), 10);
	CHECK_EQ(salua_cdb_len(0x5a), 10);
	CHECK_EQ(salua_cdb_len(0x7f), 0);
	CHECK_EQ(salua_cdb_len(0x88), 16);
	CHECK_EQ(salua_cdb_len(0xa3), 12);
	CHECK_EQ(salua_cdb_len(0xc0), 0);
}

static void test_round_trips(void)
{
	static const uint32_t lens[] = { 0,	 1,	     4,		8,
					 36,	 255,	     256,	1024,
					 65535, 65536,	     0x01020304u, 0xffffffffu };
	uint8_t b[12];
	struct salua_cdb c;
	size_t i, cut;
	unsigned pdf, page;

	T_CASE("RTPG build -> parse, both formats, every truncation");
	for (i = 0; i < SALUA_ARRAY_SIZE(lens); i++)
		for (pdf = 0; pdf < 2; pdf++) {
			CHECK_EQ(salua_cdb_rtpg(b, 12, pdf, lens[i]), 12);
			CHECK_EQ(parse_guarded(b, 12, &c), 0);
			CHECK_EQ(c.opcode, SALUA_OP_MAINTENANCE_IN);
			CHECK_EQ(c.cdb_len, 12);
			CHECK_EQ(c.service_action, SALUA_SA_REPORT_TPGS);
			CHECK_EQ(c.pdf, pdf);
			CHECK(c.alloc_len == lens[i]);
			CHECK_EQ(c.err_asc, 0);
			for (cut = 0; cut < 12; cut++)
				CHECK_EQ(parse_guarded(b, cut, &c), -SALUA_ETRUNC);
		}
	T_CASE("STPG build -> parse, every truncation");
	for (i = 0; i < SALUA_ARRAY_SIZE(lens); i++) {
		CHECK_EQ(salua_cdb_stpg(b, 12, lens[i]), 12);
		CHECK_EQ(parse_guarded(b, 12, &c), 0);
		CHECK_EQ(c.opcode, SALUA_OP_MAINTENANCE_OUT);
		CHECK_EQ(c.service_action, SALUA_SA_SET_TPGS);
		CHECK(c.param_len == lens[i]);
		CHECK_EQ(c.alloc_len, 0);
		for (cut = 0; cut < 12; cut++)
			CHECK_EQ(parse_guarded(b, cut, &c), -SALUA_ETRUNC);
	}
	T_CASE("INQUIRY build -> parse, every page, every truncation");
	for (page = 0; page < 256; page++)
		for (i = 0; i < 9; i++) {
			uint16_t al = (uint16_t)lens[i];
			bool evpd = page != 0 || (i & 1);

			CHECK_EQ(salua_cdb_inquiry(b, 6, evpd, (uint8_t)page, al), 6);
			CHECK_EQ(parse_guarded(b, 6, &c), 0);
			CHECK_EQ(c.opcode, SALUA_OP_INQUIRY);
			CHECK_EQ(c.cdb_len, 6);
			CHECK_EQ(c.evpd, evpd);
			CHECK_EQ(c.page, page);
			CHECK_EQ(c.alloc_len, al);
			for (cut = 0; cut < 6; cut++)
				CHECK_EQ(parse_guarded(b, cut, &c), -SALUA_ETRUNC);
		}
	T_CASE("TUR build -> parse; a 16-byte padded CDB is fine");
	{
		uint8_t pad[16];

		memset(pad, 0x5a, sizeof(pad));
		CHECK_EQ(salua_cdb_tur(pad, 16), 6);
		CHECK_EQ(parse_guarded(pad, 16, &c), 0);
		CHECK_EQ(c.opcode, 0);
		CHECK_EQ(c.cdb_len, 6);
	}
}

struct bad_case {
	const char *what;
	uint8_t cdb[12];
	int rc;
	uint16_t asc;
	uint8_t byte;
	int8_t bit;
};

static void test_validation(void)
{
	static const struct bad_case cases[] = {
		{ "unknown opcode", { 0x28 }, -SALUA_ENOTSUP, 0x2000, 0, -1 },
		{ "TUR reserved byte 3", { 0x00, 0, 0, 0x10 }, -SALUA_EMALFORMED,
		  0x2400, 3, 4 },
		{ "TUR NACA", { 0x00, 0, 0, 0, 0, 0x04 }, -SALUA_EMALFORMED,
		  0x2400, 5, 2 },
		{ "INQUIRY CMDDT", { 0x12, 0x02 }, -SALUA_EMALFORMED, 0x2400, 1,
		  1 },
		{ "INQUIRY reserved byte 1 bit 7 (old LUN field)", { 0x12, 0xa1 },
		  -SALUA_EMALFORMED, 0x2400, 1, 7 },
		{ "INQUIRY page without EVPD", { 0x12, 0x00, 0x83, 0, 0xff },
		  -SALUA_EMALFORMED, 0x2400, 2, -1 },
		{ "INQUIRY control reserved bit 5", { 0x12, 1, 0x80, 0, 4, 0x20 },
		  -SALUA_EMALFORMED, 0x2400, 5, 5 },
		{ "INQUIRY control obsolete LINK", { 0x12, 0, 0, 0, 36, 0x01 },
		  -SALUA_EMALFORMED, 0x2400, 5, 0 },
		{ "RTPG other service action (REPORT SUPPORTED OPCODES)",
		  { 0xa3, 0x0c }, -SALUA_ENOTSUP, 0x2400, 1, 4 },
		{ "RTPG reserved PDF 010b", { 0xa3, 0x4a, 0, 0, 0, 0, 0, 0, 1 },
		  -SALUA_EMALFORMED, 0x2400, 1, 7 },
		{ "RTPG reserved byte 4", { 0xa3, 0x0a, 0, 0, 0x01 },
		  -SALUA_EMALFORMED, 0x2400, 4, 0 },
		{ "RTPG reserved byte 10", { 0xa3, 0x2a, 0, 0, 0, 0, 0, 0, 4, 0,
					     0x80 },
		  -SALUA_EMALFORMED, 0x2400, 10, 7 },
		{ "RTPG NACA", { 0xa3, 0x2a, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0x04 },
		  -SALUA_EMALFORMED, 0x2400, 11, 2 },
		{ "STPG other service action", { 0xa4, 0x06 }, -SALUA_ENOTSUP,
		  0x2400, 1, 4 },
		{ "STPG reserved bits 7:5 of byte 1", { 0xa4, 0x2a },
		  -SALUA_EMALFORMED, 0x2400, 1, 5 },
		{ "STPG reserved byte 2", { 0xa4, 0x0a, 0xff }, -SALUA_EMALFORMED,
		  0x2400, 2, 7 },
	};
	struct salua_cdb c;
	size_t i;

	for (i = 0; i < SALUA_ARRAY_SIZE(cases); i++) {
		T_CASE(cases[i].what);
		CHECK_EQ(parse_guarded(cases[i].cdb, 12, &c), cases[i].rc);
		CHECK_EQ(c.opcode, cases[i].cdb[0]);
		CHECK_EQ(c.err_asc, cases[i].asc);
		CHECK(c.err_has_field);
		CHECK_EQ(c.err_byte, cases[i].byte);
		CHECK_EQ(c.err_bit, cases[i].bit);
	}

	T_CASE("vendor-specific CONTROL bits 7:6 are accepted");
	{
		uint8_t b[12];

		salua_cdb_rtpg(b, 12, 1, 64);
		b[11] = 0xc0;
		CHECK_EQ(salua_cdb_parse(b, 12, &c), 0);
		CHECK_EQ(c.control, 0xc0);
	}
	T_CASE("fields decoded before the error are kept");
	CHECK_EQ(salua_cdb_parse(cases[5].cdb, 6, &c), -SALUA_EMALFORMED);
	CHECK_EQ(c.page, 0x83);
	CHECK_EQ(c.alloc_len, 0xff);
	CHECK(!c.evpd);
	CHECK_EQ(salua_cdb_parse(cases[8].cdb, 12, &c), -SALUA_ENOTSUP);
	CHECK_EQ(c.service_action, 0x0c);

	T_CASE("short CDB and arguments");
	CHECK_EQ(salua_cdb_parse(cases[10].cdb, 11, &c), -SALUA_ETRUNC);
	CHECK_EQ(c.err_asc, SALUA_ASC_INVALID_FIELD_IN_CDB);
	CHECK(!c.err_has_field);
	CHECK_EQ(salua_cdb_parse(cases[10].cdb, 0, &c), -SALUA_ETRUNC);
	CHECK_EQ(salua_cdb_parse(NULL, 0, &c), -SALUA_ETRUNC);
	CHECK_EQ(salua_cdb_parse(NULL, 6, &c), -SALUA_EINVAL);
	CHECK_EQ(salua_cdb_parse(cases[0].cdb, 6, NULL), -SALUA_EINVAL);
}

static void test_sense_for_target(void)
{
	static const uint8_t want_fixed[18] = { 0x70, 0,    0x05, 0, 0, 0,
						0,    0x0a, 0,    0, 0, 0,
						0x24, 0,    0,    0xc8, 0, 0x02 };
	static const uint8_t want_desc[16] = { 0x72, 0x05, 0x24, 0, 0, 0, 0, 8,
					       0x02, 0x06, 0,    0, 0xc0, 0, 0x02,
					       0 };
	static const uint8_t want_op[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 0x0a,
					     0,    0, 0,    0, 0x20, 0, 0, 0xc0,
					     0,    0 };
	uint8_t cdb[12] = { 0xa3, 0x4a };
	uint8_t b[SALUA_SENSE_MAX_BUILD];
	struct salua_cdb c;
	struct salua_sense s;

	T_CASE("reserved PDF -> ILLEGAL REQUEST 24/00, pointer byte 1 bit 7");
	CHECK_EQ(salua_cdb_parse(cdb, 12, &c), -SALUA_EMALFORMED);
	CHECK_EQ(salua_cdb_build_sense(&c, false, b, sizeof(b)), 18);
	CHECK_EQ(b[15], 0xcf);
	T_CASE("INQUIRY page without EVPD -> pointer byte 2, no bit pointer");
	cdb[0] = 0x12;
	cdb[1] = 0;
	cdb[2] = 0x80;
	CHECK_EQ(salua_cdb_parse(cdb, 6, &c), -SALUA_EMALFORMED);
	CHECK_EQ(salua_cdb_build_sense(&c, false, b, sizeof(b)), 18);
	CHECK_EQ(b[15], 0xc0);
	CHECK_EQ(b[17], 0x02);
	CHECK_EQ(salua_cdb_build_sense(&c, true, b, sizeof(b)), 16);
	CHECK_MEM(b, want_desc, 16);
	CHECK_EQ(salua_sense_normalize(b, 16, &s), 0);
	CHECK_EQ(salua_sense_asc(&s), SALUA_ASC_INVALID_FIELD_IN_CDB);
	CHECK(s.has_sks);
	CHECK_EQ(salua_get_be16(s.sks + 1), 2);
	T_CASE("CMDDT -> pointer byte 1 bit 1");
	cdb[1] = 0x02;
	cdb[2] = 0;
	CHECK_EQ(salua_cdb_parse(cdb, 6, &c), -SALUA_EMALFORMED);
	CHECK_EQ(salua_cdb_build_sense(&c, false, b, sizeof(b)), 18);
	CHECK_EQ(b[15], 0xc9);
	CHECK_EQ(b[17], 0x01);
	T_CASE("TUR control bit 3 -> pointer byte 5 bit 3");
	memset(cdb, 0, sizeof(cdb));
	cdb[5] = 0x08;
	CHECK_EQ(salua_cdb_parse(cdb, 6, &c), -SALUA_EMALFORMED);
	CHECK_EQ(salua_cdb_build_sense(&c, false, b, sizeof(b)), 18);
	CHECK_EQ(b[15], 0xcb);
	CHECK_EQ(b[17], 0x05);
	T_CASE("STPG other SA -> byte 1 bit 4; fixed bytes");
	cdb[0] = 0xa4;
	cdb[1] = 0x1f;
	cdb[5] = 0;
	CHECK_EQ(salua_cdb_parse(cdb, 12, &c), -SALUA_ENOTSUP);
	CHECK_EQ(salua_cdb_build_sense(&c, false, b, sizeof(b)), 18);
	CHECK_EQ(b[15], 0xcc);
	CHECK_EQ(b[17], 0x01);
	T_CASE("INQUIRY reserved byte 1 bit 3 -> exact fixed sense");
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = 0x12;
	cdb[1] = 0x09;
	cdb[3] = 0x02;
	CHECK_EQ(salua_cdb_parse(cdb, 6, &c), -SALUA_EMALFORMED);
	CHECK_EQ(c.err_byte, 1);
	CHECK_EQ(c.err_bit, 3);
	CHECK_EQ(salua_cdb_build_sense(&c, false, b, sizeof(b)), 18);
	{
		uint8_t w[18];

		memcpy(w, want_fixed, 18);
		w[15] = 0xcb;
		w[17] = 0x01;
		CHECK_MEM(b, w, 18);
	}
	T_CASE("unknown opcode -> 20/00, pointer byte 0");
	cdb[0] = 0x2a;
	CHECK_EQ(salua_cdb_parse(cdb, 10, &c), -SALUA_ENOTSUP);
	CHECK_EQ(salua_cdb_build_sense(&c, false, b, sizeof(b)), 18);
	CHECK_MEM(b, want_op, 18);
	T_CASE("short CDB -> 24/00 without SKS");
	cdb[0] = 0xa3;
	CHECK_EQ(salua_cdb_parse(cdb, 10, &c), -SALUA_ETRUNC);
	CHECK_EQ(salua_cdb_build_sense(&c, false, b, sizeof(b)), 18);
	CHECK_EQ(b[12], 0x24);
	CHECK_EQ(b[15], 0);
	T_CASE("no error -> EINVAL; small buffer -> ENOSPC");
	salua_cdb_tur(cdb, 6);
	CHECK_EQ(salua_cdb_parse(cdb, 6, &c), 0);
	CHECK_EQ(salua_cdb_build_sense(&c, false, b, sizeof(b)), -SALUA_EINVAL);
	CHECK_EQ(salua_cdb_build_sense(NULL, false, b, sizeof(b)), -SALUA_EINVAL);
	cdb[1] = 1;
	CHECK_EQ(salua_cdb_parse(cdb, 6, &c), -SALUA_EMALFORMED);
	CHECK_EQ(salua_cdb_build_sense(&c, true, b, 15), -SALUA_ENOSPC);
	CHECK_EQ(salua_cdb_build_sense(&c, true, b, 16), 16);
}

int main(void)
{
	test_exact_bytes();
	test_round_trips();
	test_validation();
	test_sense_for_target();
	return t_done("cdb");
}
