/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Sense data (salua/sense.h): the public sense vectors with their expected
 * decode (vectors/README.md), every truncation of them behind a guard
 * page, response codes, ADDITIONAL SENSE LENGTH against received bytes,
 * descriptor walks that overrun, build -> normalize round trips, names.
 */
#include "salua/sense.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

/* Normalize @len bytes of @src placed right before a PROT_NONE page. */
static int norm_guarded(const uint8_t *src, size_t len, struct salua_sense *s)
{
	struct guard g;
	const uint8_t *p = guard_place(&g, src, len);
	int rc = salua_sense_normalize(p, len, s);
	/* Views must not outlive the mapping: re-point them into @src. */
	if (s->desc)
		s->desc = src + (s->desc - p);
	guard_free(&g);
	return rc;
}

static void test_vector_fixed(void)
{
	uint8_t b[64];
	struct salua_sense s;
	size_t n, len;

	T_CASE("vector sense_real_fixed_not_ready_tray_open");
	n = t_load_hex(b, sizeof(b), "%s/%s", SALUA_VECTORS_DIR,
		       "sense/sense_real_fixed_not_ready_tray_open.hex");
	CHECK_EQ(n, 18);
	CHECK_EQ(norm_guarded(b, n, &s), 0);
	CHECK_EQ(s.response_code, 0x70);
	CHECK(!s.descriptor);
	CHECK(!s.deferred);
	CHECK_EQ(s.key, SALUA_SK_NOT_READY);
	CHECK(s.has_asc);
	CHECK_EQ(s.asc, 0x3a);
	CHECK_EQ(s.ascq, 0x02);
	CHECK_EQ(salua_sense_asc(&s), 0x3a02);
	CHECK(!s.has_info);
	CHECK(!s.has_sks);
	CHECK(!s.sdat_ovfl);
	CHECK(!s.truncated);
	CHECK_EQ(s.add_len, 10);
	CHECK_EQ(s.len, 18);
	CHECK(s.desc == NULL);
	CHECK_EQ(s.desc_len, 0);
	CHECK_STR(salua_sense_key_name(s.key), "Not Ready");
	CHECK_STR(salua_asc_name(s.asc, s.ascq), "Medium not present - tray open");

	T_CASE("fixed vector: every truncation");
	for (len = 0; len <= n; len++) {
		int rc = norm_guarded(b, len, &s);

		if (len < 3) {
			CHECK_EQ(rc, -SALUA_ETRUNC);
			continue;
		}
		CHECK_EQ(rc, 0);
		CHECK_EQ(s.key, SALUA_SK_NOT_READY);
		CHECK_EQ(s.has_asc, len >= 14);
		CHECK_EQ(salua_sense_asc(&s), len >= 14 ? 0x3a02 : 0xffff);
		CHECK_EQ(s.truncated, len < 18);
		CHECK_EQ(s.len, len);
		CHECK_EQ(s.add_len, len >= 8 ? 10 : 0);
	}
}

static void test_vector_descriptor(void)
{
	/* Descriptor offsets of sense_sg3_descriptor_many (README.md). */
	static const struct {
		uint8_t type;
		size_t off, len;
	} descs[] = {
		{ 0x00, 8, 12 },  { 0x01, 20, 12 }, { 0x02, 32, 8 },
		{ 0x03, 40, 4 },  { 0x0a, 44, 8 },  { 0x05, 52, 4 },
		{ 0x0b, 56, 28 },
	};
	uint8_t b[128];
	struct salua_sense s;
	const uint8_t *d;
	size_t n, dl, len, i;

	T_CASE("vector sense_sg3_descriptor_many");
	n = t_load_hex(b, sizeof(b), "%s/%s", SALUA_VECTORS_DIR,
		       "sense/sense_sg3_descriptor_many.hex");
	CHECK_EQ(n, 84);
	CHECK_EQ(norm_guarded(b, n, &s), 0);
	CHECK_EQ(s.response_code, 0x72);
	CHECK(s.descriptor);
	CHECK(!s.deferred);
	CHECK_EQ(s.key, SALUA_SK_RECOVERED_ERROR);
	CHECK(s.has_asc);
	CHECK_EQ(salua_sense_asc(&s), 0x0302);
	CHECK_STR(salua_asc_name(s.asc, s.ascq), "Excessive write errors");
	CHECK_STR(salua_sense_key_name(s.key), "Recovered Error");
	CHECK(s.sdat_ovfl);
	CHECK(!s.truncated);
	CHECK_EQ(s.add_len, 0x4c);
	CHECK_EQ(s.len, 84);
	CHECK(s.desc == b + 8);
	CHECK_EQ(s.desc_len, 76);
	CHECK(s.has_info);
	CHECK(s.information == 0x11223344556677bbull);
	CHECK(s.has_sks);
	CHECK_EQ(s.sks[0], 0x80);
	/* actual retry count 257 */
	CHECK_EQ(salua_get_be16(s.sks + 1), 257);
	for (i = 0; i < SALUA_ARRAY_SIZE(descs); i++) {
		CHECK_EQ(salua_sense_find_desc(&s, descs[i].type, &d, &dl), 0);
		CHECK(d == b + descs[i].off);
		CHECK_EQ(dl, descs[i].len);
	}
	CHECK_EQ(salua_sense_find_desc(&s, 0x06, &d, &dl), -SALUA_ENOENT);
	/* FRU code 0x45; UDS referral: TPG 0x1234 in standby (state 2). */
	CHECK_EQ(salua_sense_find_desc(&s, SALUA_SDESC_FRU, &d, &dl), 0);
	CHECK_EQ(d[3], 0x45);
	CHECK_EQ(salua_sense_find_desc(&s, 0x0b, &d, &dl), 0);
	CHECK_EQ(d[2] & 1, 1);
	CHECK(salua_get_be64(d + 8) == 0x0102030405060708ull);
	CHECK(salua_get_be64(d + 16) == 0x0102030455060708ull);
	CHECK_EQ(d[24] & 0x0f, SALUA_STATE_STANDBY);
	CHECK_EQ(salua_get_be16(d + 26), 0x1234);

	T_CASE("descriptor vector: every truncation");
	for (len = 0; len <= n; len++) {
		int rc = norm_guarded(b, len, &s);

		if (len < 2) {
			CHECK_EQ(rc, -SALUA_ETRUNC);
			continue;
		}
		CHECK_EQ(rc, 0);
		CHECK_EQ(s.key, SALUA_SK_RECOVERED_ERROR);
		CHECK_EQ(s.has_asc, len >= 4);
		CHECK_EQ(s.sdat_ovfl, len >= 5);
		CHECK_EQ(s.truncated, len < 84);
		CHECK_EQ(s.len, len);
		CHECK_EQ(s.desc_len, len > 8 ? len - 8 : 0);
		CHECK_EQ(s.desc != NULL, len > 8);
		CHECK_EQ(s.has_info, len >= 20);
		CHECK_EQ(s.has_sks, len >= 40);
		for (i = 0; i < SALUA_ARRAY_SIZE(descs); i++) {
			size_t end = descs[i].off + descs[i].len;
			int want;

			size_t k;
			bool boundary = len <= 8 || len == n;

			for (k = 0; k < SALUA_ARRAY_SIZE(descs); k++)
				if (len == descs[k].off)
					boundary = true;
			/*
			 * Found when whole; the walk stops cleanly at a
			 * descriptor boundary (ENOENT); any other cut is
			 * ETRUNC since the header announces more.
			 */
			if (len >= end)
				want = 0;
			else if (boundary)
				want = -SALUA_ENOENT;
			else
				want = -SALUA_ETRUNC;
			CHECK_EQ(salua_sense_find_desc(&s, descs[i].type, &d,
						       &dl),
				 want);
		}
	}
}

static void test_response_codes(void)
{
	uint8_t b[18] = { 0x70, 0, 0x06, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x2a, 0x06 };
	struct salua_sense s;
	unsigned v;

	T_CASE("response codes: only 0x70..0x73 (bit 7 ignored)");
	for (v = 0; v < 256; v++) {
		unsigned rc7 = v & 0x7f;
		int rc;

		b[0] = (uint8_t)v;
		rc = salua_sense_normalize(b, sizeof(b), &s);
		if (rc7 < 0x70 || rc7 > 0x73) {
			CHECK_EQ(rc, -SALUA_EPAGE);
			continue;
		}
		CHECK_EQ(rc, 0);
		CHECK_EQ(s.response_code, rc7);
		CHECK_EQ(s.descriptor, rc7 >= 0x72);
		CHECK_EQ(s.deferred, rc7 == 0x71 || rc7 == 0x73);
	}
	T_CASE("deferred fixed");
	b[0] = 0x71;
	CHECK_EQ(salua_sense_normalize(b, sizeof(b), &s), 0);
	CHECK(s.deferred && !s.descriptor);
	CHECK_EQ(salua_sense_asc(&s), SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED);

	T_CASE("arguments");
	CHECK_EQ(salua_sense_normalize(b, sizeof(b), NULL), -SALUA_EINVAL);
	CHECK_EQ(salua_sense_normalize(NULL, 4, &s), -SALUA_EINVAL);
	CHECK_EQ(salua_sense_normalize(NULL, 0, &s), -SALUA_ETRUNC);
	CHECK_EQ(salua_sense_find_desc(NULL, 0, NULL, NULL), -SALUA_EINVAL);
}

static void test_additional_length(void)
{
	uint8_t b[32];
	struct salua_sense s;
	unsigned al;

	T_CASE("fixed: ASC/ASCQ need 8 + ADDITIONAL SENSE LENGTH >= 14");
	for (al = 0; al < 256; al++) {
		memset(b, 0, sizeof(b));
		b[0] = 0xf0; /* VALID + 0x70 */
		b[2] = SALUA_SK_UNIT_ATTENTION;
		salua_put_be32(b + 3, 0xdeadbeef);
		b[7] = (uint8_t)al;
		b[12] = 0x29;
		b[13] = 0x04;
		b[15] = 0x80;
		b[16] = 0x12;
		b[17] = 0x34;
		CHECK_EQ(salua_sense_normalize(b, 18, &s), 0);
		CHECK_EQ(s.has_asc, al >= 6);
		CHECK_EQ(s.len, al + 8 < 18 ? al + 8 : 18);
		CHECK_EQ(s.truncated, al + 8 > 18);
		/* INFORMATION sits in the 8-byte header. */
		CHECK(s.has_info && s.information == 0xdeadbeef);
		CHECK_EQ(s.has_sks, al >= 10);
		if (al >= 10)
			CHECK_EQ(salua_get_be16(s.sks + 1), 0x1234);
	}
	T_CASE("fixed: SKSV clear -> no sks; VALID clear -> no information");
	b[0] = 0x70;
	b[7] = 10;
	b[15] = 0x7f;
	CHECK_EQ(salua_sense_normalize(b, 18, &s), 0);
	CHECK(!s.has_sks);
	CHECK(!s.has_info);
	CHECK_EQ(salua_sense_normalize(b, 6, &s), 0);
	CHECK(!s.has_info);

	T_CASE("descriptor: ADDITIONAL SENSE LENGTH smaller than received");
	memset(b, 0, sizeof(b));
	b[0] = 0x72;
	b[1] = SALUA_SK_NOT_READY;
	b[2] = 0x04;
	b[3] = 0x0b;
	b[7] = 12; /* Information descriptor only */
	b[8] = 0x00;
	b[9] = 0x0a;
	b[10] = 0x80;
	salua_put_be64(b + 12, 0x0102030405060708ull);
	b[20] = 0x02; /* SKS descriptor beyond the claimed length */
	b[21] = 0x06;
	b[24] = 0x80;
	CHECK_EQ(salua_sense_normalize(b, 28, &s), 0);
	CHECK_EQ(s.len, 20);
	CHECK_EQ(s.desc_len, 12);
	CHECK(!s.truncated);
	CHECK(s.has_info && s.information == 0x0102030405060708ull);
	CHECK(!s.has_sks);
	CHECK_EQ(salua_sense_asc(&s), SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY);

	T_CASE("descriptor: information descriptor without VALID");
	b[10] = 0;
	CHECK_EQ(salua_sense_normalize(b, 28, &s), 0);
	CHECK(!s.has_info);

	T_CASE("descriptor: ADDITIONAL SENSE LENGTH larger than received");
	b[7] = 0xf4;
	CHECK_EQ(salua_sense_normalize(b, 28, &s), 0);
	CHECK(s.truncated);
	CHECK_EQ(s.len, 28);
	CHECK_EQ(s.desc_len, 20);
	CHECK(s.has_sks);
	CHECK_EQ(s.add_len, 0xf4);
}

static void test_overrunning_descriptors(void)
{
	uint8_t b[32];
	struct salua_sense s;
	const uint8_t *d;
	size_t dl;

	T_CASE("descriptor overruns the ADDITIONAL SENSE LENGTH: malformed");
	memset(b, 0, sizeof(b));
	b[0] = 0x72;
	b[1] = 0x05;
	b[7] = 10;
	b[8] = 0x03; /* FRU, 4 bytes, fine */
	b[9] = 0x02;
	b[12] = 0x00; /* information: claims 12 bytes, 6 left */
	b[13] = 0x0a;
	b[14] = 0x80;
	CHECK_EQ(salua_sense_normalize(b, 32, &s), 0);
	CHECK(!s.has_info);
	CHECK_EQ(salua_sense_find_desc(&s, SALUA_SDESC_FRU, &d, &dl), 0);
	CHECK_EQ(dl, 4);
	CHECK_EQ(salua_sense_find_desc(&s, SALUA_SDESC_INFORMATION, &d, &dl),
		 -SALUA_EMALFORMED);
	CHECK_EQ(salua_sense_find_desc(&s, 0x7f, &d, &dl), -SALUA_EMALFORMED);

	T_CASE("lone trailing byte: malformed");
	b[7] = 5; /* FRU + 1 byte */
	CHECK_EQ(salua_sense_normalize(b, 32, &s), 0);
	CHECK_EQ(salua_sense_find_desc(&s, SALUA_SDESC_FRU, &d, &dl), 0);
	CHECK_EQ(salua_sense_find_desc(&s, 0x7f, &d, &dl), -SALUA_EMALFORMED);

	T_CASE("descriptor cut by the end of the received bytes: truncated");
	b[7] = 0xff;
	CHECK_EQ(norm_guarded(b, 14, &s), 0);
	CHECK_EQ(salua_sense_find_desc(&s, SALUA_SDESC_FRU, &d, &dl), 0);
	CHECK_EQ(salua_sense_find_desc(&s, SALUA_SDESC_INFORMATION, &d, &dl),
		 -SALUA_ETRUNC);

	T_CASE("descriptor length 0xff inside a full 255-byte area");
	{
		uint8_t big[8 + 255];

		memset(big, 0, sizeof(big));
		big[0] = 0x73;
		big[1] = 0x06;
		big[7] = 0xff;
		big[8] = 0x80; /* vendor descriptor, 2 + 0xfd = 255 bytes */
		big[9] = 0xfd;
		CHECK_EQ(norm_guarded(big, sizeof(big), &s), 0);
		CHECK(s.deferred && s.descriptor);
		CHECK_EQ(salua_sense_find_desc(&s, 0x80, &d, &dl), 0);
		CHECK_EQ(dl, 255);
		big[9] = 0xfe; /* one byte too long */
		CHECK_EQ(norm_guarded(big, sizeof(big), &s), 0);
		CHECK_EQ(salua_sense_find_desc(&s, 0x80, &d, &dl),
			 -SALUA_EMALFORMED);
	}

	T_CASE("fixed format has no descriptors");
	b[0] = 0x70;
	CHECK_EQ(salua_sense_normalize(b, 18, &s), 0);
	CHECK_EQ(salua_sense_find_desc(&s, 0, &d, &dl), -SALUA_ENOENT);
}

static void test_builders(void)
{
	static const uint8_t fixed_ir[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 0x0a,
					      0,    0, 0,    0, 0x24, 0, 0,
					      0xcc, 0, 0x01 };
	static const uint8_t desc_ir[16] = { 0x72, 0x05, 0x24, 0, 0, 0, 0, 0x08,
					     0x02, 0x06, 0,    0, 0xcc, 0, 0x01,
					     0 };
	static const uint8_t desc_ua[8] = { 0x72, 0x06, 0x2a, 0x06, 0, 0, 0, 0 };
	static const uint8_t fixed_nr[18] = { 0x70, 0, 0x02, 0, 0, 0, 0, 0x0a,
					      0,    0, 0,    0, 0x04, 0x0a };
	uint8_t b[SALUA_SENSE_MAX_BUILD + 4];
	struct salua_sense_spec sp;
	size_t i;

	T_CASE("exact bytes: fixed ILLEGAL REQUEST 24/00, field pointer CDB byte 1 bit 4");
	memset(&sp, 0, sizeof(sp));
	sp.key = SALUA_SK_ILLEGAL_REQUEST;
	sp.asc = 0x24;
	sp.has_sks = true;
	salua_sks_field_pointer(sp.sks, true, 1, 4);
	CHECK_EQ(sp.sks[0], 0xcc);
	CHECK_EQ(salua_sense_build(b, sizeof(b), &sp), 18);
	CHECK_MEM(b, fixed_ir, 18);
	T_CASE("exact bytes: the same in descriptor format");
	sp.descriptor = true;
	CHECK_EQ(salua_sense_build(b, sizeof(b), &sp), 16);
	CHECK_MEM(b, desc_ir, 16);
	T_CASE("exact bytes: simple builders");
	CHECK_EQ(salua_sense_build_desc(b, 8, 6, 0x2a, 0x06), 8);
	CHECK_MEM(b, desc_ua, 8);
	CHECK_EQ(salua_sense_build_fixed(b, 18, 2, 0x04, 0x0a), 18);
	CHECK_MEM(b, fixed_nr, 18);

	T_CASE("field pointer without bit pointer, parameter data");
	salua_sks_field_pointer(sp.sks, false, 0x0104, -1);
	CHECK_EQ(sp.sks[0], 0x80);
	CHECK_EQ(sp.sks[1], 0x01);
	CHECK_EQ(sp.sks[2], 0x04);

	T_CASE("builders: capacity and arguments; nothing written on error");
	memset(b, 0xa5, sizeof(b));
	CHECK_EQ(salua_sense_build_fixed(b, 17, 2, 4, 0xa), -SALUA_ENOSPC);
	CHECK_EQ(salua_sense_build_desc(b, 7, 2, 4, 0xa), -SALUA_ENOSPC);
	sp.descriptor = true;
	sp.has_info = true;
	CHECK_EQ(salua_sense_build(b, 27, &sp), -SALUA_ENOSPC);
	for (i = 0; i < sizeof(b); i++)
		CHECK_EQ(b[i], 0xa5);
	CHECK_EQ(salua_sense_build(b, 28, &sp), 28);
	CHECK_EQ(b[28], 0xa5);
	CHECK_EQ(salua_sense_build_fixed(b, 18, 16, 0, 0), -SALUA_EINVAL);
	CHECK_EQ(salua_sense_build_fixed(NULL, 18, 1, 0, 0), -SALUA_EINVAL);
	CHECK_EQ(salua_sense_build(b, sizeof(b), NULL), -SALUA_EINVAL);
	sp.descriptor = false;
	sp.information = 0x100000000ull;
	CHECK_EQ(salua_sense_build(b, sizeof(b), &sp), -SALUA_EINVAL);
	sp.information = 0;
	sp.sks[0] = 0x40; /* no SKSV */
	CHECK_EQ(salua_sense_build(b, sizeof(b), &sp), -SALUA_EINVAL);
}

static void test_round_trip(void)
{
	static const uint8_t ascs[] = { 0x00, 0x04, 0x24, 0x29, 0x2a,
					0x3a, 0x3f, 0x67, 0x80, 0xff };
	static const uint8_t ascqs[] = { 0x00, 0x01, 0x06, 0x0a, 0x0b,
					 0x0c, 0x7f, 0xff };
	uint8_t b[SALUA_SENSE_MAX_BUILD];
	struct salua_sense_spec sp;
	struct salua_sense s;
	unsigned key, ia, iq, v, n = 0;

	T_CASE("build -> normalize round trip: keys x ASC x ASCQ x variants");
	for (key = 0; key < 16; key++)
		for (ia = 0; ia < sizeof(ascs); ia++)
			for (iq = 0; iq < sizeof(ascqs); iq++)
				for (v = 0; v < 16; v++) {
					int len;

					memset(&sp, 0, sizeof(sp));
					sp.descriptor = (v & 1) != 0;
					sp.deferred = (v & 2) != 0;
					sp.has_info = (v & 4) != 0;
					sp.has_sks = (v & 8) != 0;
					sp.key = (uint8_t)key;
					sp.asc = ascs[ia];
					sp.ascq = ascqs[iq];
					sp.information = sp.descriptor ?
						0x8000000000000001ull * (key + 1) :
						0x80000001u * (key + 1);
					salua_sks_field_pointer(sp.sks, key & 1,
								(uint16_t)(ia * 7),
								(int)iq % 9 - 1);
					len = salua_sense_build(b, sizeof(b), &sp);
					CHECK(len > 0);
					if (len <= 0)
						continue;
					CHECK_EQ(norm_guarded(b, (size_t)len, &s), 0);
					CHECK_EQ(s.descriptor, sp.descriptor);
					CHECK_EQ(s.deferred, sp.deferred);
					CHECK_EQ(s.key, key);
					CHECK(s.has_asc);
					CHECK_EQ(s.asc, sp.asc);
					CHECK_EQ(s.ascq, sp.ascq);
					CHECK_EQ(s.has_info, sp.has_info);
					if (sp.has_info)
						CHECK(s.information == sp.information);
					CHECK_EQ(s.has_sks, sp.has_sks);
					if (sp.has_sks)
						CHECK_MEM(s.sks, sp.sks, 3);
					CHECK(!s.truncated);
					CHECK_EQ(s.len, (size_t)len);
					n++;
				}
	CHECK_EQ(n, 16u * sizeof(ascs) * sizeof(ascqs) * 16u);
}

static void test_names(void)
{
	static const uint16_t alua[] = {
		SALUA_ASC_LU_NOT_READY_CAUSE_NOT_REPORTABLE,
		SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION,
		SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY,
		SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE,
		SALUA_ASC_LU_NOT_READY_OFFLINE,
		SALUA_ASC_INVALID_OPCODE,
		SALUA_ASC_INVALID_FIELD_IN_CDB,
		SALUA_ASC_LU_NOT_SUPPORTED,
		SALUA_ASC_INVALID_FIELD_IN_PARAM_LIST,
		SALUA_ASC_PARAM_LIST_LENGTH_ERROR,
		SALUA_ASC_INVALID_RELEASE_OF_PR,
		SALUA_ASC_POWER_ON_RESET,
		SALUA_ASC_DEVICE_INTERNAL_RESET,
		SALUA_ASC_MODE_PARAMETERS_CHANGED,
		SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED,
		SALUA_ASC_IMPLICIT_TRANSITION_FAILED,
		SALUA_ASC_INQUIRY_DATA_CHANGED,
		SALUA_ASC_REPORTED_LUNS_CHANGED,
		SALUA_ASC_SET_TARGET_PORT_GROUPS_FAILED,
	};
	size_t i;

	T_CASE("sense key names (sg3_utils wording)");
	CHECK_STR(salua_sense_key_name(0), "No Sense");
	CHECK_STR(salua_sense_key_name(2), "Not Ready");
	CHECK_STR(salua_sense_key_name(5), "Illegal Request");
	CHECK_STR(salua_sense_key_name(6), "Unit Attention");
	CHECK_STR(salua_sense_key_name(9), "Vendor specific(9)");
	CHECK_STR(salua_sense_key_name(0xb), "Aborted Command");
	CHECK_STR(salua_sense_key_name(0xf), "Completed");
	CHECK_STR(salua_sense_key_name(16), "Reserved");

	T_CASE("every SALUA_ASC_* has a name");
	for (i = 0; i < SALUA_ARRAY_SIZE(alua); i++)
		CHECK(salua_asc_name((uint8_t)(alua[i] >> 8),
				     (uint8_t)alua[i]) != NULL);
	CHECK_STR(salua_asc_name(0x04, 0x0a),
		  "Logical unit not accessible, asymmetric access state transition");
	CHECK_STR(salua_asc_name(0x04, 0x0b),
		  "Logical unit not accessible, target port in standby state");
	CHECK_STR(salua_asc_name(0x04, 0x0c),
		  "Logical unit not accessible, target port in unavailable state");
	CHECK_STR(salua_asc_name(0x2a, 0x06), "Asymmetric access state changed");
	CHECK_STR(salua_asc_name(0x2a, 0x07),
		  "Implicit asymmetric access state transition failed");
	CHECK_STR(salua_asc_name(0x3f, 0x0e), "Reported luns data has changed");
	CHECK_STR(salua_asc_name(0x3f, 0x03), "Inquiry data has changed");
	CHECK_STR(salua_asc_name(0x3a, 0x00), "Medium not present");
	CHECK_STR(salua_asc_name(0x3a, 0x01), "Medium not present - tray closed");
	CHECK_STR(salua_asc_name(0x00, 0x00), "No additional sense information");
	CHECK_STR(salua_asc_name(0x68, 0x00), "Logical unit not configured");
	CHECK(salua_asc_name(0x04, 0x0d) == NULL);
	CHECK(salua_asc_name(0xff, 0xff) == NULL);
	CHECK(salua_asc_name(0x00, 0x01) == NULL);
}

static void test_alua_samples(void)
{
	static const struct {
		const char *file;
		size_t len;
		bool descriptor;
		uint8_t key;
		uint16_t asc;
		bool has_sks;
		bool truncated;
	} cases[] = {
		{ "sense/ua_asymmetric_access_state_changed_fixed.hex", 18, false,
		  SALUA_SK_UNIT_ATTENTION,
		  SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED, false, false },
		{ "sense/not_ready_transition_desc.hex", 8, true,
		  SALUA_SK_NOT_READY, SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION,
		  false, false },
		{ "sense/not_ready_standby_fixed.hex", 18, false,
		  SALUA_SK_NOT_READY, SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY, false,
		  false },
		{ "sense/illegal_request_rtpg_pdf_field_pointer_fixed.hex", 18,
		  false, SALUA_SK_ILLEGAL_REQUEST, SALUA_ASC_INVALID_FIELD_IN_CDB,
		  true, false },
		{ "sense/illegal_request_invalid_opcode_desc.hex", 8, true,
		  SALUA_SK_ILLEGAL_REQUEST, SALUA_ASC_INVALID_OPCODE, false,
		  false },
		{ "sense/not_ready_transition_fixed_cut_14.hex", 14, false,
		  SALUA_SK_NOT_READY, SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION,
		  false, true },
	};
	uint8_t b[64];
	struct salua_sense s;
	size_t i, n;

	for (i = 0; i < SALUA_ARRAY_SIZE(cases); i++) {
		T_CASE(cases[i].file);
		n = t_load_hex(b, sizeof(b), "%s/%s", SALUA_TEST_DATA_DIR,
			       cases[i].file);
		CHECK_EQ(n, cases[i].len);
		CHECK_EQ(norm_guarded(b, n, &s), 0);
		CHECK_EQ(s.descriptor, cases[i].descriptor);
		CHECK(!s.deferred);
		CHECK_EQ(s.key, cases[i].key);
		CHECK_EQ(salua_sense_asc(&s), cases[i].asc);
		CHECK_EQ(s.has_sks, cases[i].has_sks);
		CHECK_EQ(s.truncated, cases[i].truncated);
		CHECK(!s.has_info);
		CHECK(salua_asc_name(s.asc, s.ascq) != NULL);
	}
	/* Field pointer: C/D = 1, BPV, bit 7 of CDB byte 1. */
	n = t_load_hex(b, sizeof(b), "%s/%s", SALUA_TEST_DATA_DIR,
		       cases[3].file);
	CHECK_EQ(salua_sense_normalize(b, n, &s), 0);
	CHECK_EQ(s.sks[0], 0xcf);
	CHECK_EQ(salua_get_be16(s.sks + 1), 1);
}

int main(void)
{
	test_vector_fixed();
	test_vector_descriptor();
	test_response_codes();
	test_additional_length();
	test_overrunning_descriptors();
	test_builders();
	test_round_trip();
	test_names();
	test_alua_samples();
	return t_done("sense");
}
