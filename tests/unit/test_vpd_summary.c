/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_vpd83_summary() and the lazy validation of salua_vpd83_find_port()
 * and salua_vpd83_lu_desig() (salua/vpd.h).
 *
 * The walks now check designator types only for what they return.  Checked
 * here: (1) exact answers on scsi_debug's page; (2) on every vector, every
 * truncation of it, and 20 000 random pages (random headers, lengths, NAA
 * nibbles, characters), find_port, lu_desig and summary equal a reference
 * built only from the eager public walk (salua_vpd83_next(), which checks
 * every designator, + salua_vpd83_lu_prio() + salua_vpd83_render()), i.e.
 * the old algorithm; (3) the returned LU designator carries exactly the
 * problems salua_vpd83_check() finds.  Inputs sit before a PROT_NONE page.
 */
#include "salua/vpd.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

struct ref {
	int port_rc, lu_rc;
	struct salua_vpd83_port port;
	struct salua_vpd83_desig lu;
};

/* The eager algorithm: every designator through salua_vpd83_next(). */
static void reference(const uint8_t *p, size_t n, size_t cap, struct ref *r)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	int rc, prio, best = 0, found = 0;
	size_t need;

	memset(r, 0, sizeof(*r));
	rc = salua_vpd83_iter_init(&it, p, n);
	if (rc < 0) {
		r->port_rc = r->lu_rc = rc;
		return;
	}
	while ((rc = salua_vpd83_next(&it, &d)) > 0) {
		if (d.assoc == SALUA_ASSOC_TARGET_PORT &&
		    d.code_set == SALUA_CODESET_BINARY && d.len == 4) {
			if (d.type == SALUA_DESIG_REL_PORT &&
			    !r->port.has_rel_port) {
				r->port.has_rel_port = true;
				r->port.rel_port = d.id;
				found |= SALUA_VPD83_FOUND_REL_PORT;
			} else if (d.type == SALUA_DESIG_TPG && !r->port.has_tpg) {
				r->port.has_tpg = true;
				r->port.tpg = d.id;
				found |= SALUA_VPD83_FOUND_TPG;
			}
		}
		prio = salua_vpd83_lu_prio(&d);
		if (!prio)
			continue;
		if (d.type == SALUA_DESIG_SCSI_NAME) {
			salua_vpd83_render(&d, NULL, 0, &need);
			if (need <= 1)
				continue;
			if (cap && need > cap)
				prio = 2;
		}
		if (prio >= best) {
			best = prio;
			r->lu = d;
		}
	}
	r->port_rc = rc < 0 ? rc : found;
	if (rc < 0) {
		memset(&r->lu, 0, sizeof(r->lu));
		r->lu_rc = rc;
	} else {
		r->lu_rc = best ? best : -SALUA_ENOENT;
	}
}

static void check_desig(const struct salua_vpd83_desig *a,
			const struct salua_vpd83_desig *b)
{
	CHECK_EQ(a->off, b->off);
	CHECK(a->value == b->value);
	CHECK_EQ(a->problems, b->problems);
	CHECK_EQ(a->id, b->id);
	CHECK_EQ(a->proto, b->proto);
	CHECK_EQ(a->code_set, b->code_set);
	CHECK_EQ(a->assoc, b->assoc);
	CHECK_EQ(a->type, b->type);
	CHECK_EQ(a->len, b->len);
	CHECK_EQ(a->naa, b->naa);
	CHECK_EQ(a->uuid_type, b->uuid_type);
	CHECK_EQ(a->piv, b->piv);
	CHECK_EQ(a->has_id, b->has_id);
}

static void check_port(const struct salua_vpd83_port *a,
		       const struct salua_vpd83_port *b)
{
	CHECK_EQ(a->has_rel_port, b->has_rel_port);
	CHECK_EQ(a->rel_port, b->rel_port);
	CHECK_EQ(a->has_tpg, b->has_tpg);
	CHECK_EQ(a->tpg, b->tpg);
}

/* find_port, lu_desig and summary against the reference, three caps. */
static void compare(const uint8_t *p, size_t n)
{
	static const size_t caps[3] = { 0, 8, 24 };
	struct salua_vpd83_port port;
	struct salua_vpd83_desig d, chk;
	struct salua_vpd83_ids s;
	struct ref r;
	unsigned k;
	int rc;

	for (k = 0; k < 3; k++) {
		reference(p, n, caps[k], &r);
		if (k == 0) {
			CHECK_EQ(salua_vpd83_find_port(p, n, &port), r.port_rc);
			check_port(&port, &r.port);
		}
		CHECK_EQ(salua_vpd83_lu_desig(p, n, caps[k], &d), r.lu_rc);
		check_desig(&d, &r.lu);
		rc = salua_vpd83_summary(p, n, caps[k], &s);
		check_port(&s.port, &r.port);
		if (r.port_rc < 0) {
			CHECK_EQ(rc, r.port_rc);
			CHECK_EQ(s.lu_prio, 0);
		} else {
			CHECK_EQ(rc, r.port_rc | (r.lu_rc > 0 ?
						  SALUA_VPD83_FOUND_LU : 0));
			CHECK_EQ(s.lu_prio, r.lu_rc > 0 ? r.lu_rc : 0);
		}
		check_desig(&s.lu, &r.lu);
		if (s.lu_prio) {
			chk = s.lu;
			CHECK_EQ(salua_vpd83_check(&chk), s.lu.problems);
		}
	}
}

static void test_scsi_debug(void)
{
	uint8_t raw[512];
	struct salua_vpd83_ids s;
	struct guard g;
	const uint8_t *p;
	size_t n;

	T_CASE("summary: scsi_debug page, exact answer");
	n = t_load_hex(raw, sizeof(raw), "%s/vpd/vpd83_scsi_debug.hex",
		       SALUA_TEST_DATA_DIR);
	p = guard_place(&g, raw, n);
	CHECK_EQ(salua_vpd83_summary(p, n, 0, &s),
		 SALUA_VPD83_FOUND_REL_PORT | SALUA_VPD83_FOUND_TPG |
			 SALUA_VPD83_FOUND_LU);
	CHECK_EQ(s.port.has_rel_port, true);
	CHECK_EQ(s.port.rel_port, 1);
	CHECK_EQ(s.port.has_tpg, true);
	CHECK_EQ(s.port.tpg, 0x100);
	CHECK_EQ(s.lu_prio, 1); /* NAA 3, later than the T10 id (both 1) */
	CHECK_EQ(s.lu.off, 36);
	CHECK_EQ(s.lu.type, SALUA_DESIG_NAA);
	CHECK_EQ(s.lu.naa, SALUA_NAA_LOCAL);
	CHECK_EQ(s.lu.len, 8);
	CHECK_EQ(s.lu.problems, 0);
	CHECK_EQ(s.ndesig, 7);
	CHECK_MEM(s.lu.value, "\x33\x33\x33\x30\x00\x00\x07\xd0", 8);

	T_CASE("summary: cut inside the TPG designator");
	/* 70 bytes: the TPG designator (offset 68, 8 bytes) is cut. */
	CHECK_EQ(salua_vpd83_summary(p, 70, 0, &s), -SALUA_ETRUNC);
	CHECK_EQ(s.port.has_rel_port, true);
	CHECK_EQ(s.port.has_tpg, false);
	CHECK_EQ(s.lu_prio, 0);
	CHECK(s.lu.value == NULL);

	T_CASE("summary: NULL result, bad page");
	CHECK_EQ(salua_vpd83_summary(p, n, 0, NULL), -SALUA_EINVAL);
	CHECK_EQ(salua_vpd83_summary(p, 3, 0, &s), -SALUA_ETRUNC);
	CHECK_EQ(salua_vpd83_summary(NULL, 5, 0, &s), -SALUA_EINVAL);
	guard_free(&g);
}

static void test_vectors(void)
{
	static const char *const names[] = {
		"vpd83_seagate_sas_hdd", "vpd83_scsi_debug", "vpd83_emc_dmx",
		"vpd83_sg3_all_designator_types",
		"vpd83_sg3_ctrl_char_in_strings",
		"vpd83_emc_symmetrix_legacy_no_desc_header",
		"vpd83_sg3_name_len_not_mult4"
	};
	uint8_t raw[512];
	struct guard g;
	size_t i, n, cut;

	T_CASE("every vector, every truncation: equal to the eager walk");
	for (i = 0; i < SALUA_ARRAY_SIZE(names); i++) {
		n = t_load_hex(raw, sizeof(raw), "%s/vpd/%s.hex",
			       SALUA_TEST_DATA_DIR, names[i]);
		for (cut = 0; cut <= n; cut++) {
			const uint8_t *p = guard_place(&g, raw, cut);

			compare(p, cut);
			guard_free(&g);
		}
	}
}

/* A random page of up to 12 designators with plausible and odd headers. */
static size_t random_page(uint8_t *b, size_t cap, uint64_t *st)
{
	static const uint8_t lens[] = { 0, 1, 3, 4, 8, 12, 16, 18, 20, 24 };
	size_t off = 4, nd = (size_t)(t_splitmix64(st) % 13u), i, k;

	b[0] = 0;
	b[1] = 0x83;
	for (i = 0; i < nd; i++) {
		uint64_t r = t_splitmix64(st);
		uint8_t len = (r & 7u) == 7u ? (uint8_t)(r >> 56) % 40u :
					       lens[(r >> 3) % sizeof(lens)];
		uint8_t type = (uint8_t)((r >> 8) % 10u);

		if (off + 4u + len > cap)
			break;
		b[off] = (uint8_t)((r >> 12) & 0x3u); /* code set 0..3 */
		if ((r >> 14) & 1u)
			b[off] = (uint8_t)((r >> 16) & 0xffu);
		b[off + 1] = (uint8_t)(((r >> 24) & 0x30u) | type |
				       ((r >> 30) & 0x80u));
		b[off + 2] = 0;
		b[off + 3] = len;
		for (k = 0; k < len; k++) {
			uint64_t c = t_splitmix64(st);

			/* Mostly printable, some NULs and controls. */
			b[off + 4 + k] = (uint8_t)((c & 3u) == 0 ? c >> 8 :
						    (c & 7u) == 1 ? 0 :
						    0x20u + (c >> 8) % 0x5fu);
		}
		if (len && (r >> 40) & 1u) /* an NAA / UUID nibble */
			b[off + 4] = (uint8_t)(((r >> 41) & 0xfu) << 4 |
					       (b[off + 4] & 0xfu));
		off += 4u + len;
	}
	/* Sometimes a stray tail, sometimes a lying PAGE LENGTH. */
	salua_put_be16(b + 2, (uint16_t)(off - 4));
	if ((nd & 3u) == 3u && off + 2 <= cap) {
		b[off] = 0x01;
		b[off + 1] = 0x03;
		off += 2;
		salua_put_be16(b + 2, (uint16_t)(off - 4));
	}
	if ((nd % 5u) == 4u)
		salua_put_be16(b + 2, (uint16_t)(off + 6));
	return off;
}

static void test_random(void)
{
	uint8_t b[600];
	struct guard g;
	uint64_t st = 19;
	unsigned i;

	T_CASE("20000 random pages: equal to the eager walk");
	for (i = 0; i < 20000; i++) {
		size_t n = random_page(b, sizeof(b), &st);
		const uint8_t *p = guard_place(&g, b, n);

		compare(p, n);
		if (n > 4)
			compare(p, n - (size_t)(t_splitmix64(&st) % n));
		guard_free(&g);
	}
}

int main(void)
{
	test_scsi_debug();
	test_vectors();
	test_random();
	return t_done("vpd_summary");
}
