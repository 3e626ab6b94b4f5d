/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * VPD pages 0x00, 0x80 and 0x83 (SPC-5 §7.7): every decoder over the same
 * received bytes.  Page 0x83: the designator walk (each view inside the
 * page), per-designator checks and rendering into a small and a large
 * buffer (display and kernel forms), the strict LU-name and port/TPG
 * helpers against the walk, the kernel-rule helpers against the strict
 * ones and each other, the legacy (SCSI-2) reading, and decode -> encode
 * -> decode giving the same designators.  Pages 0x00 and 0x80 re-encode to
 * the bytes received.
 */
#include "fuzz.h"

#define MAX_DESIG 128
#define BIG 1200 /* 255 designator bytes, each at most "\xHH" */

static void render_both(const struct salua_vpd83_desig *d, size_t small_cap)
{
	char big[BIG], small[BIG];
	size_t need_big = 0, need_small = 0, sl;
	int rb, rs;

	rb = salua_vpd83_render(d, big, sizeof(big), &need_big);
	if (rb == -SALUA_ENOTSUP) {
		FUZZ_CHECK(salua_vpd83_render(d, small, small_cap, NULL) ==
			   -SALUA_ENOTSUP);
		return;
	}
	FUZZ_CHECK(rb >= 0);
	FUZZ_CHECK(strlen(big) == (size_t)rb && need_big == (size_t)rb + 1u);
	memset(small, 0x5a, sizeof(small));
	rs = salua_vpd83_render(d, small, small_cap, &need_small);
	FUZZ_CHECK(need_small == need_big);
	if (rs >= 0) {
		FUZZ_CHECK(rs == rb && small_cap > (size_t)rb);
		FUZZ_CHECK(strcmp(small, big) == 0);
	} else {
		FUZZ_CHECK(rs == -SALUA_ENOSPC && small_cap <= (size_t)rb);
		if (small_cap) {
			sl = strlen(small);
			FUZZ_CHECK(sl < small_cap);
			FUZZ_CHECK(memcmp(small, big, sl) == 0);
		}
	}
	/* Nothing is written past the capacity. */
	if (small_cap < sizeof(small))
		FUZZ_CHECK((uint8_t)small[small_cap] == 0x5a);
	/* Size query. */
	need_small = 0;
	rs = salua_vpd83_render(d, NULL, 0, &need_small);
	FUZZ_CHECK(need_small == need_big);
	FUZZ_CHECK(rs == -SALUA_ENOSPC);

	/* The kernel's form: raw bytes may hold NULs, so compare lengths. */
	rb = salua_vpd83_render_kernel(d, big, sizeof(big), &need_big);
	if (rb < 0) {
		FUZZ_CHECK(rb == -SALUA_ENOTSUP);
		return;
	}
	FUZZ_CHECK(need_big == (size_t)rb + 1u && big[rb] == '\0');
	if (d->type == SALUA_DESIG_SCSI_NAME)
		FUZZ_CHECK(rb == d->len && memcmp(big, d->value, d->len) == 0);
	memset(small, 0x5a, sizeof(small));
	rs = salua_vpd83_render_kernel(d, small, small_cap, &need_small);
	FUZZ_CHECK(need_small == need_big);
	if (rs >= 0)
		FUZZ_CHECK(rs == rb && memcmp(small, big, (size_t)rb + 1u) == 0);
	else
		FUZZ_CHECK(rs == -SALUA_ENOSPC && small_cap <= (size_t)rb);
	if (small_cap < sizeof(small))
		FUZZ_CHECK((uint8_t)small[small_cap] == 0x5a);
}

static void same_desig(const struct salua_vpd83_desig *a,
		       const struct salua_vpd83_desig *b)
{
	FUZZ_CHECK(a->off == b->off && a->len == b->len);
	FUZZ_CHECK(a->proto == b->proto && a->code_set == b->code_set);
	FUZZ_CHECK(a->piv == b->piv && a->assoc == b->assoc);
	FUZZ_CHECK(a->type == b->type && a->problems == b->problems);
	FUZZ_CHECK(a->naa == b->naa && a->uuid_type == b->uuid_type);
	FUZZ_CHECK(a->has_id == b->has_id && a->id == b->id);
	if (a->len)
		FUZZ_CHECK(memcmp(a->value, b->value, a->len) == 0);
}

static void page83(const uint8_t *data, size_t size)
{
	static struct salua_vpd83_desig ds[MAX_DESIG], rs[MAX_DESIG];
	static uint8_t enc[4 + 0xffff];
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d, lu;
	struct salua_vpd83_port port;
	size_t n = 0, i, small_cap = size % 23u;
	bool want_rel = true, want_tpg = true;
	struct salua_vpd83_port exp;
	int rc, walk, r2, k;
	char name[BIG];
	size_t need = 0;

	memset(&exp, 0, sizeof(exp));
	rc = salua_vpd83_iter_init(&it, data, size);
	if (rc != 0) {
		FUZZ_CHECK(rc == -SALUA_ETRUNC || rc == -SALUA_EPAGE);
		FUZZ_CHECK(salua_vpd83_find_port(data, size, &port) == rc);
		FUZZ_CHECK(salua_vpd83_find_port_strict(data, size, &port) ==
			   rc);
		FUZZ_CHECK(salua_vpd83_lu_name(data, size, name, sizeof(name),
					       NULL) == rc);
		FUZZ_CHECK(salua_vpd83_lu_name_strict(data, size, name,
						      sizeof(name), NULL) == rc);
		FUZZ_CHECK(salua_vpd83_legacy(data, size, &lu) == rc);
		return;
	}
	FUZZ_CHECK(it.pg.len <= size && it.pg.page == 0x83);
	while ((walk = salua_vpd83_next(&it, &d)) == 1) {
		uint16_t p = d.problems;

		FUZZ_CHECK(d.off >= SALUA_VPD_HDR_LEN);
		FUZZ_CHECK(d.off + SALUA_DESIG_HDR_LEN + d.len <= it.pg.len);
		FUZZ_CHECK(d.value == data + d.off + SALUA_DESIG_HDR_LEN);
		FUZZ_CHECK((p & ~SALUA_VPD83_P_ALL) == 0);
		FUZZ_CHECK(salua_vpd83_check(&d) == p);
		for (k = 0; k < 11; k++)
			if (p & (1u << k))
				FUZZ_CHECK(strcmp(salua_vpd83_problem_name(
						(uint16_t)(1u << k)),
						  "unknown") != 0);
		k = salua_vpd83_lu_prio(&d);
		FUZZ_CHECK(k >= 0 && k <= 9);
		/* strict ranks only valid designators, as the kernel but NAA 2 */
		k = salua_vpd83_lu_prio_strict(&d);
		FUZZ_CHECK(k >= 0 && k <= 9);
		if (k && !(d.type == SALUA_DESIG_NAA &&
			   d.naa == SALUA_NAA_IEEE_EXT))
			FUZZ_CHECK(k == salua_vpd83_lu_prio(&d));
		if (d.has_id)
			FUZZ_CHECK(d.len == 4 &&
				   d.id == salua_get_be16(d.value + 2));
		if (d.assoc == SALUA_ASSOC_TARGET_PORT &&
		    d.code_set == SALUA_CODESET_BINARY && d.len == 4) {
			if (d.type == SALUA_DESIG_REL_PORT && want_rel) {
				exp.has_rel_port = true;
				exp.rel_port = salua_get_be16(d.value + 2);
				want_rel = false;
			}
			if (d.type == SALUA_DESIG_TPG && want_tpg) {
				exp.has_tpg = true;
				exp.tpg = salua_get_be16(d.value + 2);
				want_tpg = false;
			}
		}
		render_both(&d, small_cap);
		if (n < MAX_DESIG)
			ds[n] = d;
		n++;
	}
	FUZZ_CHECK(walk == 0 || walk == -SALUA_EMALFORMED ||
		   walk == -SALUA_ETRUNC);
	/* Errors are sticky. */
	FUZZ_CHECK(salua_vpd83_next(&it, &d) == walk);

	rc = salua_vpd83_find_port_strict(data, size, &port);
	FUZZ_CHECK(port.has_rel_port == exp.has_rel_port &&
		   port.has_tpg == exp.has_tpg);
	FUZZ_CHECK(port.rel_port == exp.rel_port && port.tpg == exp.tpg);
	if (walk == 0)
		FUZZ_CHECK(rc == ((exp.has_rel_port ? SALUA_VPD83_FOUND_REL_PORT : 0) |
				  (exp.has_tpg ? SALUA_VPD83_FOUND_TPG : 0)));
	else
		FUZZ_CHECK(rc == walk);

	/* The kernel's reading: whatever SPC-5 finds, it finds too. */
	rc = salua_vpd83_find_port(data, size, &port);
	if (it.pg.truncated) {
		FUZZ_CHECK(rc == -SALUA_ETRUNC);
	} else if (rc >= 0) {
		FUZZ_CHECK(!exp.has_rel_port || port.has_rel_port);
		FUZZ_CHECK(!exp.has_tpg || port.has_tpg);
	} else {
		FUZZ_CHECK(rc == -SALUA_EMALFORMED);
	}

	rc = salua_vpd83_lu_desig(data, size, 0, &lu);
	r2 = salua_vpd83_lu_name(data, size, name, sizeof(name), &need);
	if (it.pg.truncated) {
		FUZZ_CHECK(rc == -SALUA_ETRUNC && r2 == -SALUA_ETRUNC);
	} else if (rc == -SALUA_ENOENT || rc == -SALUA_EMALFORMED) {
		FUZZ_CHECK(r2 == rc);
		/* a page that walks cleanly is read inside its bounds */
		FUZZ_CHECK(walk != 0 || rc == -SALUA_ENOENT);
	} else {
		FUZZ_CHECK(rc >= 1 && rc <= 9);
		FUZZ_CHECK(lu.value >= data + SALUA_VPD_HDR_LEN + 4u &&
			   lu.value + lu.len <= data + it.pg.len);
		FUZZ_CHECK(r2 >= 0 && need == (size_t)r2 + 1u);
		FUZZ_CHECK(name[r2] == '\0');
		{
			char k2[BIG];

			FUZZ_CHECK(salua_vpd83_render_kernel(&lu, k2,
							     sizeof(k2),
							     NULL) == r2);
			FUZZ_CHECK(memcmp(k2, name, (size_t)r2) == 0);
		}
		/* The size query reports the same need. */
		need = 0;
		FUZZ_CHECK(salua_vpd83_lu_name(data, size, NULL, 0, &need) ==
			   -SALUA_ENOSPC);
		FUZZ_CHECK(need == (size_t)r2 + 1u);
		/* A small buffer gets the same name, or ENOSPC. */
		r2 = salua_vpd83_lu_name(data, size, name, small_cap, &need);
		if (r2 >= 0)
			FUZZ_CHECK((size_t)r2 < small_cap);
		else
			FUZZ_CHECK(r2 == -SALUA_ENOSPC);
	}
	{
		struct salua_vpd83_ids ids;
		unsigned b;

		rc = salua_vpd83_summary(data, size, 0, &ids);
		FUZZ_CHECK((ids.quirks & ~SALUA_VPD83_Q_ALL) == 0);
		for (b = 1; b <= SALUA_VPD83_Q_ALL; b <<= 1)
			if (ids.quirks & b)
				FUZZ_CHECK(strcmp(salua_vpd83_quirk_name(
							  (uint16_t)b),
						  "unknown") != 0);
		if (rc >= 0)
			FUZZ_CHECK(((rc & SALUA_VPD83_FOUND_LU) != 0) ==
				   (ids.lu_prio != 0));
	}
	r2 = salua_vpd83_lu_name_strict(data, size, name, sizeof(name), &need);
	if (walk != 0)
		FUZZ_CHECK(r2 == walk);
	else if (r2 >= 0)
		FUZZ_CHECK(strlen(name) == (size_t)r2 && need == (size_t)r2 + 1u);
	else
		FUZZ_CHECK(r2 == -SALUA_ENOENT);

	/* The SCSI-2 layout: only when the SPC-2 walk fails. */
	rc = salua_vpd83_legacy(data, size, &lu);
	if (rc == 1) {
		FUZZ_CHECK(walk == -SALUA_EMALFORMED && data[6] != 0);
		FUZZ_CHECK(lu.value == data + SALUA_VPD_HDR_LEN && lu.off == 4u);
		FUZZ_CHECK(lu.type == SALUA_DESIG_NAA && lu.len ==
			   (it.pg.len - 4u > 255u ? 255u : it.pg.len - 4u));
		render_both(&lu, small_cap);
	} else {
		FUZZ_CHECK(rc == 0 || (rc == -SALUA_ETRUNC && it.pg.truncated));
	}

	/* decode -> encode -> decode, when the whole page walked cleanly. */
	if (walk != 0 || it.pg.truncated || n > MAX_DESIG)
		return;
	rc = salua_vpd83_encode(enc, sizeof(enc), data[0], ds, n);
	FUZZ_CHECK(rc == (int)it.pg.len);
	FUZZ_CHECK(salua_vpd83_encode(NULL, 0, data[0], ds, n) == rc);
	FUZZ_CHECK(salua_vpd83_iter_init(&it, enc, (size_t)rc) == 0);
	FUZZ_CHECK(!it.pg.truncated && it.pg.pq == data[0] >> 5);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(salua_vpd83_next(&it, &rs[i]) == 1);
		same_desig(&ds[i], &rs[i]);
	}
	FUZZ_CHECK(salua_vpd83_next(&it, &d) == 0);
	/* Re-encoding the re-decode is a fixed point. */
	{
		static uint8_t enc2[4 + 0xffff];

		FUZZ_CHECK(salua_vpd83_encode(enc2, sizeof(enc2), data[0], rs,
					      n) == rc);
		FUZZ_CHECK(memcmp(enc, enc2, (size_t)rc) == 0);
	}
}

static void page00(const uint8_t *data, size_t size)
{
	static uint8_t enc[4 + 0xffff];
	struct salua_vpd_page pg;
	int n = salua_vpd00_decode(data, size, &pg);

	if (n < 0) {
		FUZZ_CHECK(n == -SALUA_ETRUNC || n == -SALUA_EPAGE ||
			   n == -SALUA_EMALFORMED);
		return;
	}
	FUZZ_CHECK(pg.len <= size && (size_t)n + 4u == pg.len);
	if (n)
		FUZZ_CHECK(salua_vpd_supports(&pg, data[4]));
	FUZZ_CHECK(salua_vpd00_encode(enc, sizeof(enc), data[0], data + 4,
				      (size_t)n) == n + 4);
	/* Reserved bits aside, the header and list come back unchanged. */
	FUZZ_CHECK(enc[0] == data[0] && enc[1] == 0);
	FUZZ_CHECK(salua_get_be16(enc + 2) == (uint16_t)n);
	FUZZ_CHECK(memcmp(enc + 4, data + 4, (size_t)n) == 0);
}

static void page80(const uint8_t *data, size_t size)
{
	static uint8_t enc[4 + 0xffff];
	const uint8_t *sn;
	size_t sn_len;
	int rc = salua_vpd80_serial(data, size, &sn, &sn_len);

	if (rc != 0) {
		FUZZ_CHECK(rc == -SALUA_ETRUNC || rc == -SALUA_EPAGE);
		return;
	}
	FUZZ_CHECK(sn == data + 4 && sn_len + 4u <= size);
	FUZZ_CHECK(sn_len == salua_get_be16(data + 2));
	rc = salua_vpd80_encode(enc, sizeof(enc), data[0], sn, sn_len);
	FUZZ_CHECK(rc == (int)sn_len + 4);
	FUZZ_CHECK(memcmp(enc, data, 4) == 0 || data[1] != 0x80);
	if (sn_len)
		FUZZ_CHECK(memcmp(enc + 4, sn, sn_len) == 0);
	/* Short allocation length: a prefix. */
	{
		uint8_t part[8];

		memset(part, 0xee, sizeof(part));
		FUZZ_CHECK(salua_vpd80_encode(part, size % 8u, data[0], sn,
					      sn_len) == rc);
		FUZZ_CHECK(memcmp(part, enc, size % 8u < (size_t)rc ?
						     size % 8u :
						     (size_t)rc) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct salua_vpd_page pg;
	int rc;

	rc = salua_vpd_page_decode(data, size, -1, &pg);
	if (rc == 0) {
		FUZZ_CHECK(pg.p == data && pg.len <= size);
		FUZZ_CHECK(pg.len == (size < 4u + pg.page_len ?
						size :
						4u + pg.page_len));
		FUZZ_CHECK(pg.truncated == (size < 4u + pg.page_len));
	} else {
		FUZZ_CHECK(rc == -SALUA_ETRUNC && size < 4);
	}
	page00(data, size);
	page80(data, size);
	page83(data, size);
	return 0;
}
