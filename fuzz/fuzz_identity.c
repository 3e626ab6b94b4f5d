/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_ident_compare() (salua/identity.h) on any two sets of VPD 0x80 /
 * 0x83 answers: never reads outside them, reflexive (the same answers are
 * never another LU), symmetric (verdict and reasons), the verdict follows
 * its reason bits, and a kernel LU name that differs always counts.
 *
 * Input: four length-prefixed pieces (before 0x80, before 0x83, after
 * 0x80, after 0x83; a length byte 0xff means "absent").
 */
#include "fuzz.h"

static void piece(struct fz *f, const uint8_t **p, size_t *n)
{
	uint8_t l = fz_u8(f);

	if (l == 0xff) {
		*p = NULL;
		*n = 0;
		return;
	}
	*p = fz_bytes(f, l, n);
}

static void check_pair(const struct salua_ident *a,
		       const struct salua_ident *b)
{
	unsigned w1, w2;
	int v1, v2;
	struct salua_vpd83_desig da, db;

	v1 = salua_ident_compare(a, b, &w1);
	v2 = salua_ident_compare(b, a, &w2);
	FUZZ_CHECK(v1 == v2 && w1 == w2);
	FUZZ_CHECK(v1 == SALUA_IDENT_SAME || v1 == SALUA_IDENT_DIFFERENT ||
		   v1 == SALUA_IDENT_UNKNOWN);
	FUZZ_CHECK((v1 == SALUA_IDENT_DIFFERENT) ==
		   ((w1 & (SALUA_IDENT_DIFF_NAME | SALUA_IDENT_DIFF_DESIG |
			   SALUA_IDENT_DIFF_SERIAL)) != 0));
	FUZZ_CHECK((v1 == SALUA_IDENT_UNKNOWN) == (w1 == 0));
	/* a DIFF bit only where that thing was compared */
	if (w1 & SALUA_IDENT_DIFF_NAME)
		FUZZ_CHECK(w1 & SALUA_IDENT_CMP_NAME);
	if (w1 & SALUA_IDENT_DIFF_DESIG)
		FUZZ_CHECK(w1 & SALUA_IDENT_CMP_DESIG);
	if (w1 & SALUA_IDENT_DIFF_SERIAL)
		FUZZ_CHECK(w1 & SALUA_IDENT_CMP_SERIAL);
	/* two names the kernel gives that differ: never the same LU */
	if (w1 & SALUA_IDENT_CMP_NAME) {
		FUZZ_CHECK(salua_vpd83_lu_desig(a->vpd83, a->vpd83_len, 0,
						&da) > 0);
		FUZZ_CHECK(salua_vpd83_lu_desig(b->vpd83, b->vpd83_len, 0,
						&db) > 0);
		if (da.len != db.len || da.type != db.type ||
		    memcmp(da.value, db.value, da.len) != 0)
			FUZZ_CHECK(v1 == SALUA_IDENT_DIFFERENT);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct salua_ident a, b;
	unsigned w;
	int v;
	struct fz f;

	fz_init(&f, data, size);
	piece(&f, &a.vpd80, &a.vpd80_len);
	piece(&f, &a.vpd83, &a.vpd83_len);
	piece(&f, &b.vpd80, &b.vpd80_len);
	piece(&f, &b.vpd83, &b.vpd83_len);

	v = salua_ident_compare(&a, &a, &w);
	FUZZ_CHECK(v == SALUA_IDENT_SAME || v == SALUA_IDENT_UNKNOWN);
	FUZZ_CHECK((w & ~7u) == 0);
	v = salua_ident_compare(&b, &b, &w);
	FUZZ_CHECK(v != SALUA_IDENT_DIFFERENT);
	check_pair(&a, &b);
	FUZZ_CHECK(salua_ident_compare(NULL, &b, &w) == -SALUA_EINVAL &&
		   w == 0);
	return 0;
}
