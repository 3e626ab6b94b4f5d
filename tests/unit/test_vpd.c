/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * VPD pages 0x00, 0x80 and 0x83 (salua/vpd.h).
 *
 * The 0x83 vectors are the public sg3_utils inhex captures copied to
 * tests/data/vpd (see its README.md); the expected decodes below are the
 * ones published in shared/vectors/vectors.json, transcribed designator by
 * designator.  Every input is placed right before a PROT_NONE page, and
 * every truncation of every vector is walked, so an over-read faults.
 */
#include "salua/vpd.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

struct exp_desig {
	unsigned off, code_set, piv, assoc, type, len, proto;
	const char *value; /* hex */
	unsigned problems;
	int id; /* -1: no 16-bit id */
};

struct exp_vec {
	const char *name;
	size_t total;
	unsigned page_len;
	const struct exp_desig *d;
	size_t n;
	int end_rc;        /* result after the last designator */
	size_t end_off;    /* iterator offset then */
	const char *lu_name; /* NULL: lu_name fails with lu_rc */
	int lu_prio;         /* or lu_rc when lu_name is NULL */
	int port_rc;
	int rel_port, tpg; /* -1 = absent */
	size_t mal_min;    /* malformed vectors: shortest cut giving EMALFORMED */
};

#define P(x) SALUA_VPD83_P_##x

static const struct exp_desig seagate[] = {
	{ 4, 1, 0, 0, 3, 8, 0, "5000c5003011cb2b", 0, -1 },
	{ 16, 1, 1, 1, 3, 8, 6, "5000c5003011cb29", 0, -1 },
	{ 28, 1, 1, 1, 4, 4, 6, "00000001", 0, 1 },
	{ 36, 1, 1, 2, 3, 8, 6, "5000c5003011cb28", 0, -1 },
	{ 48, 3, 0, 2, 8, 24, 0,
	  "6e61612e35303030433530303330313143423238 00000000", 0, -1 },
};

static const struct exp_desig sdeb[] = {
	{ 4, 2, 0, 0, 1, 28, 0,
	  "4c696e7578202020736373695f6465627567202020202020 32303030", 0, -1 },
	{ 36, 1, 0, 0, 3, 8, 0, "33333330000007d0", 0, -1 },
	{ 48, 1, 1, 1, 4, 4, 6, "00000001", 0, 1 },
	{ 56, 1, 1, 1, 3, 8, 6, "32222220000007ce", 0, -1 },
	{ 68, 1, 1, 1, 5, 4, 6, "00000100", 0, 0x100 },
	{ 76, 1, 1, 2, 3, 8, 6, "32222220000007cd", 0, -1 },
	{ 88, 3, 1, 2, 8, 24, 6,
	  "6e61612e33323232323232303030303030374344 00000000", 0, -1 },
};

static const struct exp_desig dmx[] = {
	{ 4, 1, 0, 0, 3, 16, 0, "60060480000190103189533030343834", 0, -1 },
};

#define ALL_HEAD(t10, t10_problems)                                           \
	{ 4, 1, 0, 0, 0, 22, 0,                                                \
	  "112233445566778899aabbccddeeffedcba987654321", 0, -1 },             \
	{ 30, 2, 0, 0, 1, 20, 0, t10, t10_problems, -1 },                      \
	{ 54, 1, 0, 0, 2, 8, 0, "1122334455667788", 0, -1 },                   \
	{ 66, 1, 0, 0, 2, 12, 0, "112233445566778800000123", 0, -1 },          \
	{ 82, 1, 0, 0, 2, 16, 0, "0123456789abcdef1122334455667788", 0, -1 },  \
	{ 102, 1, 0, 0, 3, 8, 0, "5122334455667788", 0, -1 },                  \
	{ 114, 1, 0, 0, 3, 16, 0, "6122334455667788aabbccddeeffeedd", 0, -1 }, \
	{ 134, 1, 0, 1, 4, 4, 0, "00000002", 0, 2 },                           \
	{ 142, 1, 0, 1, 5, 4, 0, "00000003", 0, 3 },                           \
	{ 150, 1, 0, 0, 6, 4, 0, "00000004", 0, 4 },                           \
	{ 158, 1, 0, 0, 7, 16, 0, "ffeeddccbbaa99887766554433221100", 0, -1 }

/* "iqn.5886.com.acme.diskarrays-sn-a8675309" */
#define IQN_HEX "69716e2e353838362e636f6d2e61636d652e6469736b6172726179732d736e2d6138363735333039"

static const struct exp_desig all_types[] = {
	ALL_HEAD("4142432020202020 58595a313233343536373839", 0),
	{ 178, 3, 0, 2, 8, 40, 0, IQN_HEX, P(NAME_NUL), -1 },
	{ 222, 1, 1, 1, 9, 4, 9, "04000200", 0, -1 },
	{ 230, 1, 1, 1, 9, 8, 0xa, "0123000000000000", 0, -1 },
	{ 242, 1, 0, 0, 0xa, 18, 0, "1000112233445566778899aabbccddeefedc", 0,
	  -1 },
};

static const struct exp_desig ctrl[] = {
	ALL_HEAD("414243202020200a 58595a313233343536373839", P(CHARS)),
	{ 178, 3, 0, 2, 8, 44, 0, IQN_HEX "0a626f6f",
	  P(NAME_NUL) | P(CHARS), -1 },
	{ 226, 1, 1, 1, 9, 4, 9, "04000200", 0, -1 },
	{ 234, 1, 1, 1, 9, 8, 0xa, "0123000000000000", 0, -1 },
	{ 246, 1, 0, 0, 0xa, 18, 0, "1000112233445566778899aabbccddeefedc", 0,
	  -1 },
};

static const struct exp_desig name_inject[] = {
	/* "iqn.2026-05.sg3\nX_SG3_PROBE=1", 29 bytes */
	{ 4, 3, 0, 0, 8, 29, 0,
	  "69716e2e323032362d30352e7367330a585f5347335f50524f42453d31",
	  P(NAME_MULT4) | P(NAME_NUL) | P(CHARS), -1 },
};

#define NAA6_ALL "naa.6122334455667788aabbccddeeffeedd"

static const struct exp_vec vecs[] = {
	{ "vpd83_seagate_sas_hdd", 76, 72, seagate, 5, 0, 76,
	  "naa.5000c5003011cb2b", 5, SALUA_VPD83_FOUND_REL_PORT, 1, -1, 0 },
	{ "vpd83_scsi_debug", 116, 112, sdeb, 7, 0, 116,
	  "naa.33333330000007d0", 1,
	  SALUA_VPD83_FOUND_REL_PORT | SALUA_VPD83_FOUND_TPG, 1, 0x100, 0 },
	{ "vpd83_emc_dmx", 24, 20, dmx, 1, 0, 24,
	  "naa.60060480000190103189533030343834", 8, 0, -1, -1, 0 },
	/* Name strings are association "target device": not LU names. */
	{ "vpd83_sg3_all_designator_types", 264, 260, all_types, 15, 0, 264,
	  NAA6_ALL, 8, SALUA_VPD83_FOUND_REL_PORT | SALUA_VPD83_FOUND_TPG, 2,
	  3, 0 },
	{ "vpd83_sg3_ctrl_char_in_strings", 268, 264, ctrl, 15, 0, 268,
	  NAA6_ALL, 8, SALUA_VPD83_FOUND_REL_PORT | SALUA_VPD83_FOUND_TPG, 2,
	  3, 0 },
	/*
	 * Header at 4: length 0x80 overruns the 16-byte page.  The kernel's
	 * walks read only bytes 5 and 7 (type 6: no rank, no port) and step
	 * out: no name, no port, and nothing read outside the page.
	 */
	{ "vpd83_emc_symmetrix_legacy_no_desc_header", 20, 16, NULL, 0,
	  -SALUA_EMALFORMED, 4, NULL, -SALUA_ENOENT, 0, -1, -1, 8 },
	/*
	 * 3 stray bytes at 37 cannot hold a descriptor header; the kernel
	 * would read byte 40 (d[3]) past the page.
	 */
	{ "vpd83_sg3_name_len_not_mult4", 40, 36, name_inject, 1,
	  -SALUA_EMALFORMED, 37, NULL, -SALUA_EMALFORMED, -SALUA_EMALFORMED,
	  -1, -1, 38 },
};

static void check_desig(const struct exp_desig *e,
			const struct salua_vpd83_desig *d)
{
	uint8_t v[256];
	size_t n = t_hex(e->value, v, sizeof(v));

	CHECK_EQ(d->off, e->off);
	CHECK_EQ(d->code_set, e->code_set);
	CHECK_EQ(d->piv, e->piv);
	CHECK_EQ(d->assoc, e->assoc);
	CHECK_EQ(d->type, e->type);
	CHECK_EQ(d->len, e->len);
	CHECK_EQ(n, e->len);
	CHECK_EQ(d->proto, e->proto);
	CHECK_MEM(d->value, v, n);
	CHECK_EQ(d->problems, e->problems);
	CHECK_EQ(d->has_id, e->id >= 0);
	if (e->id >= 0)
		CHECK_EQ(d->id, e->id);
}

/* Walk the whole (possibly cut) buffer; returns designators seen. */
static size_t walk(const uint8_t *p, size_t len, int *rc, size_t *off,
		   struct salua_vpd83_desig *out, size_t cap)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	size_t n = 0;

	*rc = salua_vpd83_iter_init(&it, p, len);
	*off = 0;
	if (*rc < 0)
		return 0;
	while ((*rc = salua_vpd83_next(&it, &d)) > 0) {
		if (n < cap)
			out[n] = d;
		n++;
	}
	*off = it.off;
	/* Errors are sticky. */
	if (*rc < 0)
		CHECK_EQ(salua_vpd83_next(&it, &d), *rc);
	return n;
}

static void test_vector(const struct exp_vec *v)
{
	uint8_t raw[512], enc[512];
	struct salua_vpd83_desig got[32];
	struct salua_vpd83_port port;
	struct salua_vpd_page pg;
	struct guard g;
	const uint8_t *p;
	size_t n, i, L, off, need, ends;
	char name[128];
	int rc;

	T_CASE(v->name);
	n = t_load_hex(raw, sizeof(raw), "%s/vpd/%s.hex", SALUA_TEST_DATA_DIR,
		       v->name);
	CHECK_EQ(n, v->total);

	p = guard_place(&g, raw, n);
	CHECK_EQ(salua_vpd_page_decode(p, n, SALUA_VPD_DEVICE_ID, &pg), 0);
	CHECK_EQ(pg.page_len, v->page_len);
	CHECK_EQ(pg.len, v->total);
	CHECK_EQ(pg.pq, 0);
	CHECK_EQ(pg.pdt, 0);
	CHECK(!pg.truncated);
	CHECK_EQ(salua_vpd_page_decode(p, n, SALUA_VPD_UNIT_SERIAL, &pg),
		 -SALUA_EPAGE);

	/* Full decode, designator by designator. */
	CHECK_EQ(walk(p, n, &rc, &off, got, 32), v->n);
	CHECK_EQ(rc, v->end_rc);
	CHECK_EQ(off, v->end_off);
	for (i = 0; i < v->n && i < 32; i++)
		check_desig(&v->d[i], &got[i]);

	/* Relative port and TPG of the addressed port. */
	rc = salua_vpd83_find_port(p, n, &port);
	CHECK_EQ(rc, v->port_rc);
	CHECK_EQ(port.has_rel_port, v->rel_port >= 0);
	CHECK_EQ(port.has_tpg, v->tpg >= 0);
	if (v->rel_port >= 0)
		CHECK_EQ(port.rel_port, v->rel_port);
	if (v->tpg >= 0)
		CHECK_EQ(port.tpg, v->tpg);

	/* LU name in the kernel's priority order. */
	rc = salua_vpd83_lu_name(p, n, name, sizeof(name), &need);
	if (v->lu_name) {
		CHECK_EQ(rc, (int)strlen(v->lu_name));
		CHECK_STR(name, v->lu_name);
		CHECK_EQ(need, strlen(v->lu_name) + 1);
		CHECK_EQ(salua_vpd83_lu_desig(p, n, 0, &got[0]), v->lu_prio);
	} else {
		CHECK_EQ(rc, v->lu_prio);
		CHECK_STR(name, "");
	}
	guard_free(&g);

	/* Every cut of the vector: never an over-read, exact outcome. */
	for (L = 0; L < n; L++) {
		p = guard_place(&g, raw, L);
		size_t cnt = walk(p, L, &rc, &off, got, 32);
		for (ends = 0, i = 0; i < v->n; i++)
			if (v->d[i].off + 4 + v->d[i].len <= L)
				ends++;
		if (L < 4) {
			CHECK_EQ(rc, -SALUA_ETRUNC);
			CHECK_EQ(cnt, 0);
		} else {
			CHECK_EQ(cnt, ends);
			for (i = 0; i < cnt && i < 32; i++)
				CHECK_EQ(got[i].off, v->d[i].off);
			if (v->mal_min && L >= v->mal_min)
				CHECK_EQ(rc, -SALUA_EMALFORMED);
			else
				CHECK_EQ(rc, -SALUA_ETRUNC);
		}
		rc = salua_vpd83_find_port(p, L, &port);
		CHECK(rc == -SALUA_ETRUNC || rc == -SALUA_EMALFORMED);
		rc = salua_vpd83_lu_name(p, L, name, sizeof(name), &need);
		CHECK(rc == -SALUA_ETRUNC || rc == -SALUA_EMALFORMED);
		for (i = 0; i < cnt && i < 32; i++)
			(void)salua_vpd83_render(&got[i], name, sizeof(name),
						 NULL);
		guard_free(&g);
	}

	/* Bytes beyond PAGE LENGTH are not part of the page. */
	memcpy(enc, raw, n);
	memset(enc + n, 0x61, 8);
	p = guard_place(&g, enc, n + 8);
	CHECK_EQ(walk(p, n + 8, &rc, &off, got, 32), v->n);
	CHECK_EQ(rc, v->end_rc);
	CHECK_EQ(off, v->end_off);
	guard_free(&g);

	/* encode(decode(vector)) gives the vector back, at every cap. */
	if (v->end_rc == 0) {
		size_t cap;

		CHECK_EQ(walk(raw, n, &rc, &off, got, 32), v->n);
		CHECK_EQ(salua_vpd83_encode(NULL, 0, raw[0], got, v->n),
			 (int)n);
		for (cap = 0; cap <= n + 4; cap++) {
			memset(enc, 0xa5, sizeof(enc));
			rc = salua_vpd83_encode(enc, cap, raw[0], got, v->n);
			CHECK_EQ(rc, (int)n);
			CHECK_MEM(enc, raw, cap < n ? cap : n);
			CHECK_EQ(enc[cap], 0xa5);
		}
	}
}

static void test_port_edge_cases(void)
{
	static const uint8_t short_rtp[] = {
		0x00, 0x83, 0x00, 0x06, 0x61, 0x94, 0x00, 0x02, 0x00, 0x01,
	};
	/* ASCII-coded RTP 5, then TPG 7 and TPG 9. */
	static const uint8_t two_tpg[] = {
		0x00, 0x83, 0x00, 0x18, 0x02, 0x14, 0x00, 0x04, 0x00, 0x00,
		0x00, 0x05, 0x01, 0x15, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07,
		0x01, 0x15, 0x00, 0x04, 0x00, 0x00, 0x00, 0x09,
	};
	/* A TPG designator with LU association. */
	static const uint8_t tpg_lu[] = {
		0x00, 0x83, 0x00, 0x08, 0x01, 0x05, 0x00, 0x04, 0x00, 0x00,
		0x00, 0x05,
	};
	struct salua_vpd83_port port;
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	struct guard g;
	const uint8_t *p;

	T_CASE("short relative port designator is never read past byte 1");
	p = guard_place(&g, short_rtp, sizeof(short_rtp));
	/* the kernel reads bytes 10..11, past the page: no answer */
	CHECK_EQ(salua_vpd83_find_port(p, sizeof(short_rtp), &port),
		 -SALUA_EMALFORMED);
	CHECK(!port.has_rel_port);
	CHECK_EQ(salua_vpd83_find_port_strict(p, sizeof(short_rtp), &port), 0);
	CHECK(!port.has_rel_port);
	CHECK_EQ(salua_vpd83_iter_init(&it, p, sizeof(short_rtp)), 0);
	CHECK_EQ(salua_vpd83_next(&it, &d), 1);
	CHECK_EQ(d.problems, SALUA_VPD83_P_LENGTH);
	CHECK(!d.has_id);
	CHECK_EQ(salua_vpd83_next(&it, &d), 0);
	guard_free(&g);

	T_CASE("strict: first TPG wins, wrong code set ignored; kernel: last");
	p = guard_place(&g, two_tpg, sizeof(two_tpg));
	CHECK_EQ(salua_vpd83_find_port_strict(p, sizeof(two_tpg), &port),
		 SALUA_VPD83_FOUND_TPG);
	CHECK_EQ(port.tpg, 7);
	CHECK(!port.has_rel_port);
	CHECK_EQ(salua_vpd83_find_port(p, sizeof(two_tpg), &port),
		 SALUA_VPD83_FOUND_TPG | SALUA_VPD83_FOUND_REL_PORT);
	CHECK_EQ(port.tpg, 9);
	CHECK_EQ(port.rel_port, 5);
	CHECK_EQ(salua_vpd83_iter_init(&it, p, sizeof(two_tpg)), 0);
	CHECK_EQ(salua_vpd83_next(&it, &d), 1);
	CHECK_EQ(d.problems, SALUA_VPD83_P_CODE_SET | SALUA_VPD83_P_CHARS);
	CHECK_EQ(d.id, 5);
	guard_free(&g);

	T_CASE("TPG with LU association");
	p = guard_place(&g, tpg_lu, sizeof(tpg_lu));
	CHECK_EQ(salua_vpd83_find_port_strict(p, sizeof(tpg_lu), &port), 0);
	CHECK_EQ(salua_vpd83_find_port(p, sizeof(tpg_lu), &port),
		 SALUA_VPD83_FOUND_TPG);
	CHECK_EQ(port.tpg, 5);
	CHECK_EQ(salua_vpd83_iter_init(&it, p, sizeof(tpg_lu)), 0);
	CHECK_EQ(salua_vpd83_next(&it, &d), 1);
	CHECK_EQ(d.problems, SALUA_VPD83_P_ASSOC);
	guard_free(&g);
}

static void test_escapes_and_names(void)
{
	uint8_t raw[512];
	struct salua_vpd83_desig got[32];
	struct salua_vpd83_desig d;
	struct guard g;
	const uint8_t *p;
	size_t n, off, need;
	char name[128];
	int rc;

	T_CASE("control characters are escaped (ctrl-char vector)");
	n = t_load_hex(raw, sizeof(raw), "%s/vpd/vpd83_sg3_ctrl_char_in_strings.hex",
		       SALUA_TEST_DATA_DIR);
	CHECK_EQ(walk(raw, n, &rc, &off, got, 32), 15);
	CHECK_EQ(salua_vpd83_render(&got[1], name, sizeof(name), &need), 27);
	CHECK_STR(name, "t10.ABC    \\x0aXYZ123456789");
	CHECK_EQ(need, 28);
	CHECK_EQ(salua_vpd83_render(&got[11], name, sizeof(name), &need), 47);
	CHECK_STR(name, "iqn.5886.com.acme.diskarrays-sn-a8675309\\x0aboo");
	CHECK_EQ(salua_vpd83_render(&got[2], name, sizeof(name), NULL), 20);
	CHECK_STR(name, "eui.1122334455667788");
	CHECK_EQ(salua_vpd83_render(&got[3], name, sizeof(name), NULL), 28);
	CHECK_STR(name, "eui.112233445566778800000123");
	CHECK_EQ(salua_vpd83_render(&got[7], name, sizeof(name), NULL),
		 -SALUA_ENOTSUP);

	T_CASE("ctrl-char name made an LU designator: raw in the kernel's name");
	raw[179] = 0x08; /* association LU, type SCSI name string */
	p = guard_place(&g, raw, n);
	CHECK_EQ(salua_vpd83_lu_name(p, n, name, sizeof(name), &need), 44);
	CHECK_STR(name, "iqn.5886.com.acme.diskarrays-sn-a8675309\nboo");
	CHECK_EQ(salua_vpd83_lu_desig(p, n, 0, &d), 9);
	CHECK_EQ(d.off, 178);
	/* SPC-5: a name with an LF and no NUL is invalid; NAA-6 names it */
	CHECK_EQ(salua_vpd83_lu_name_strict(p, n, name, sizeof(name), &need),
		 36);
	CHECK_STR(name, NAA6_ALL);
	guard_free(&g);

	T_CASE("all-types name made an LU designator wins (rank 9)");
	n = t_load_hex(raw, sizeof(raw), "%s/vpd/vpd83_sg3_all_designator_types.hex",
		       SALUA_TEST_DATA_DIR);
	raw[179] = 0x08;
	p = guard_place(&g, raw, n);
	CHECK_EQ(salua_vpd83_lu_name(p, n, name, sizeof(name), &need), 40);
	CHECK_STR(name, "iqn.5886.com.acme.diskarrays-sn-a8675309");
	CHECK_EQ(need, 41);
	/*
	 * The output size never changes the choice (the wwid's id buffer is
	 * 4096 bytes); an id buffer of 38 (scsi_dh_alua-like) demotes the
	 * 40-byte name to rank 2, below NAA-6, as the kernel does.
	 */
	CHECK_EQ(salua_vpd83_lu_name(p, n, name, 38, &need), -SALUA_ENOSPC);
	CHECK_EQ(need, 41);
	CHECK_EQ(salua_vpd83_lu_desig(p, n, 38, &d), 8);
	CHECK_EQ(salua_vpd83_lu_desig(p, n, 40, &d), 9);
	CHECK_EQ(salua_vpd83_lu_desig(p, n, 20, &d), -SALUA_EINVAL);
	CHECK_EQ(salua_vpd83_lu_name(p, n, NULL, 0, &need), -SALUA_ENOSPC);
	CHECK_EQ(need, 41);
	/* Too small: ENOSPC, needed size, NUL-terminated. */
	memset(name, 'Z', sizeof(name));
	CHECK_EQ(salua_vpd83_lu_name(p, n, name, 6, &need), -SALUA_ENOSPC);
	CHECK_STR(name, "iqn.5");
	CHECK_EQ(name[6], 'Z');
	CHECK_EQ(need, 41);
	CHECK_EQ(salua_vpd83_lu_name(p, n, name, 1, &need), -SALUA_ENOSPC);
	CHECK_STR(name, "");
	CHECK_EQ(salua_vpd83_lu_name(p, n, name, 41, &need), 40);
	guard_free(&g);

	T_CASE("LF in the injected name: escaped for display, raw as the kernel");
	n = t_load_hex(raw, sizeof(raw), "%s/vpd/vpd83_sg3_name_len_not_mult4.hex",
		       SALUA_TEST_DATA_DIR);
	CHECK_EQ(walk(raw, n, &rc, &off, got, 32), 1);
	CHECK_EQ(rc, -SALUA_EMALFORMED);
	CHECK_EQ(off, 37);
	CHECK_EQ(salua_vpd83_render(&got[0], name, sizeof(name), NULL), 32);
	CHECK_STR(name, "iqn.2026-05.sg3\\x0aX_SG3_PROBE=1");
	/* With the stray bytes gone (PAGE LENGTH 33) the page is clean and
	 * the name, though flagged, is the LU name as the kernel takes it:
	 * its 29 bytes, the LF included. */
	raw[3] = 33;
	p = guard_place(&g, raw, 37);
	CHECK_EQ(salua_vpd83_lu_name(p, 37, name, sizeof(name), NULL), 29);
	CHECK_STR(name, "iqn.2026-05.sg3\nX_SG3_PROBE=1");
	CHECK_EQ(salua_vpd83_lu_name_strict(p, 37, name, sizeof(name), NULL),
		 -SALUA_ENOENT);
	guard_free(&g);
}

static void test_lu_priority(void)
{
	static const uint8_t naa3[8] = { 0x30, 1, 2, 3, 4, 5, 6, 7 };
	static const uint8_t naa2[8] = { 0x20, 1, 2, 3, 4, 5, 6, 0xab };
	static const uint8_t naa5[8] = { 0x50, 1, 2, 3, 4, 5, 6, 7 };
	static const uint8_t naa1[8] = { 0x10, 1, 2, 3, 4, 5, 6, 7 };
	static const uint8_t eui8[8] = { 0xee, 1, 2, 3, 4, 5, 6, 7 };
	static const uint8_t t10a[9] = "VENDOR01a";
	static const uint8_t t10b[9] = "VENDOR01b";
	static const uint8_t nul_name[4] = { 0, 0, 0, 0 };
	struct salua_vpd83_desig d[4];
	uint8_t page[128];
	char name[64];
	int len;

	T_CASE("equal rank: later wins (NAA-3 then T10)");
	salua_vpd83_desig_set(&d[0], SALUA_DESIG_NAA, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_LU, naa3, 8);
	salua_vpd83_desig_set(&d[1], SALUA_DESIG_T10, SALUA_CODESET_ASCII,
			      SALUA_ASSOC_LU, t10a, 9);
	len = salua_vpd83_encode(page, sizeof(page), 0, d, 2);
	CHECK_EQ(len, 4 + 12 + 13);
	CHECK_EQ(salua_vpd83_lu_name(page, (size_t)len, name, sizeof(name),
				     NULL), 13);
	CHECK_STR(name, "t10.VENDOR01a");

	T_CASE("equal rank: later wins (T10 then T10)");
	salua_vpd83_desig_set(&d[0], SALUA_DESIG_T10, SALUA_CODESET_ASCII,
			      SALUA_ASSOC_LU, t10b, 9);
	len = salua_vpd83_encode(page, sizeof(page), 0, d, 2);
	CHECK_EQ(salua_vpd83_lu_name(page, (size_t)len, name, sizeof(name),
				     NULL), 13);
	CHECK_STR(name, "t10.VENDOR01a");

	T_CASE("kernel: NAA-2 has no rank, EUI-64/8 (3) names; strict: NAA-2 (4)");
	salua_vpd83_desig_set(&d[0], SALUA_DESIG_NAA, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_LU, naa2, 8);
	salua_vpd83_desig_set(&d[1], SALUA_DESIG_EUI64, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_LU, eui8, 8);
	len = salua_vpd83_encode(page, sizeof(page), 0, d, 2);
	CHECK_EQ(salua_vpd83_lu_desig(page, (size_t)len, 0, &d[3]), 3);
	CHECK_EQ(salua_vpd83_lu_name(page, (size_t)len, name, sizeof(name),
				     NULL), 20);
	CHECK_STR(name, "eui.ee01020304050607");
	CHECK_EQ(salua_vpd83_lu_name_strict(page, (size_t)len, name,
					    sizeof(name), NULL), 20);
	CHECK_STR(name, "naa.20010203040506ab");
	salua_vpd83_desig_set(&d[2], SALUA_DESIG_NAA, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_LU, naa5, 8);
	len = salua_vpd83_encode(page, sizeof(page), 0, d, 3);
	CHECK_EQ(salua_vpd83_lu_desig(page, (size_t)len, 0, &d[3]), 5);

	T_CASE("reserved NAA 1, NUL name, target-port NAA: kernel takes the NULs");
	salua_vpd83_desig_set(&d[0], SALUA_DESIG_NAA, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_LU, naa1, 8);
	salua_vpd83_desig_set(&d[1], SALUA_DESIG_SCSI_NAME, SALUA_CODESET_UTF8,
			      SALUA_ASSOC_LU, nul_name, 4);
	salua_vpd83_desig_set(&d[2], SALUA_DESIG_NAA, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_TARGET_PORT, naa5, 8);
	len = salua_vpd83_encode(page, sizeof(page), 0, d, 3);
	/* the kernel's id is the name string's 4 NUL bytes, length 4 */
	memset(name, 'Z', sizeof(name));
	CHECK_EQ(salua_vpd83_lu_name(page, (size_t)len, name, sizeof(name),
				     NULL), 4);
	CHECK_MEM(name, "\0\0\0\0\0Z", 6);
	CHECK_EQ(salua_vpd83_lu_desig(page, (size_t)len, 0, &d[3]), 9);
	CHECK_EQ(salua_vpd83_lu_name_strict(page, (size_t)len, name,
					    sizeof(name), NULL),
		 -SALUA_ENOENT);
	CHECK_STR(name, "");
}

static void test_checks(void)
{
	static const uint8_t z[32] = { 0 };
	static const uint8_t uuid2[18] = { 0x20 };
	static const uint8_t naa6_short[8] = { 0x60 };
	static const uint8_t name_pad[8] = { 'a', 'b', 0, 'c', 0, 0, 0, 0 };
	static const uint8_t name_ok[8] = { 'a', 'b', 'c', 0, 0, 0, 0, 0 };
	struct salua_vpd83_desig d;

	T_CASE("per-type validation");
	salua_vpd83_desig_set(&d, SALUA_DESIG_EUI64, 1, 0, z, 10);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_LENGTH);
	salua_vpd83_desig_set(&d, SALUA_DESIG_NAA, 1, 0, naa6_short, 8);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_LENGTH);
	CHECK_EQ(d.naa, 6);
	/* the kernel ranks NAA by its value alone; SPC-5 wants 16 bytes */
	CHECK_EQ(salua_vpd83_lu_prio(&d), 8);
	CHECK_EQ(salua_vpd83_lu_prio_strict(&d), 0);
	salua_vpd83_desig_set(&d, SALUA_DESIG_NAA, 1, 0, z, 0);
	CHECK_EQ(salua_vpd83_check(&d),
		 SALUA_VPD83_P_LENGTH | SALUA_VPD83_P_NAA);
	salua_vpd83_desig_set(&d, SALUA_DESIG_NAA, 1, 0, z, 8);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_NAA);
	salua_vpd83_desig_set(&d, SALUA_DESIG_UUID, 1, 0, uuid2, 18);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_UUID_TYPE);
	CHECK_EQ(d.uuid_type, 2);
	salua_vpd83_desig_set(&d, SALUA_DESIG_UUID, 1, 0, uuid2, 17);
	CHECK_EQ(salua_vpd83_check(&d),
		 SALUA_VPD83_P_UUID_TYPE | SALUA_VPD83_P_LENGTH);
	salua_vpd83_desig_set(&d, SALUA_DESIG_MD5, 1, 1, z, 16);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_ASSOC);
	salua_vpd83_desig_set(&d, SALUA_DESIG_MD5, 1, 0, z, 15);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_LENGTH);
	salua_vpd83_desig_set(&d, SALUA_DESIG_T10, 2, 0, (const uint8_t *)"ABCDEFG", 7);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_LENGTH);
	salua_vpd83_desig_set(&d, SALUA_DESIG_LU_GROUP, 1, 0, z, 3);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_LENGTH);
	CHECK(!d.has_id);
	salua_vpd83_desig_set(&d, SALUA_DESIG_TPG, 1, 1, z, 5);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_LENGTH);
	CHECK(!d.has_id);
	salua_vpd83_desig_set(&d, 0xb, 1, 0, z, 4);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_TYPE);
	salua_vpd83_desig_set(&d, SALUA_DESIG_VENDOR, 0, 3, z, 4);
	CHECK_EQ(salua_vpd83_check(&d),
		 SALUA_VPD83_P_CODE_SET | SALUA_VPD83_P_ASSOC);
	salua_vpd83_desig_set(&d, SALUA_DESIG_SCSI_NAME, 3, 0, name_pad, 8);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_NAME_PAD);
	salua_vpd83_desig_set(&d, SALUA_DESIG_SCSI_NAME, 3, 0, name_ok, 8);
	CHECK_EQ(salua_vpd83_check(&d), 0);
	salua_vpd83_desig_set(&d, SALUA_DESIG_SCSI_NAME, 2, 0, name_ok, 8);
	CHECK_EQ(salua_vpd83_check(&d), SALUA_VPD83_P_CODE_SET);
	CHECK_STR(salua_vpd83_problem_name(SALUA_VPD83_P_NAME_NUL),
		  "name-not-nul-terminated");
	CHECK_STR(salua_vpd83_problem_name(0x8000), "unknown");
}

static void test_header_and_truncation(void)
{
	/* PAGE LENGTH 16 claims 20 bytes; 12 arrive: a cut at a boundary. */
	static const uint8_t cut[] = {
		0x00, 0x83, 0x00, 0x10, 0x01, 0x14, 0x00, 0x04,
		0x00, 0x00, 0x00, 0x01,
	};
	static const uint8_t empty[] = { 0x7f, 0x83, 0x00, 0x00 };
	struct salua_vpd_page pg;
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	struct guard g;
	const uint8_t *p;

	T_CASE("page header");
	p = guard_place(&g, empty, sizeof(empty));
	CHECK_EQ(salua_vpd_page_decode(p, 4, -1, &pg), 0);
	CHECK_EQ(pg.pq, 3);
	CHECK_EQ(pg.pdt, 0x1f);
	CHECK_EQ(pg.page, 0x83);
	CHECK_EQ(pg.len, 4);
	CHECK_EQ(salua_vpd_page_decode(p + 1, 3, -1, &pg), -SALUA_ETRUNC);
	CHECK_EQ(salua_vpd_page_decode(NULL, 4, -1, &pg), -SALUA_EINVAL);
	CHECK_EQ(salua_vpd_page_decode(p, 4, -1, NULL), -SALUA_EINVAL);
	CHECK_EQ(salua_vpd83_iter_init(&it, p, 4), 0);
	CHECK_EQ(salua_vpd83_next(&it, &d), 0);
	CHECK_EQ(salua_vpd83_next(&it, NULL), -SALUA_EINVAL);
	guard_free(&g);

	T_CASE("cut on a descriptor boundary is ETRUNC");
	p = guard_place(&g, cut, sizeof(cut));
	CHECK_EQ(salua_vpd83_iter_init(&it, p, sizeof(cut)), 0);
	CHECK(it.pg.truncated);
	CHECK_EQ(it.pg.len, 12);
	CHECK_EQ(salua_vpd83_next(&it, &d), 1);
	CHECK_EQ(d.id, 1);
	CHECK_EQ(salua_vpd83_next(&it, &d), -SALUA_ETRUNC);
	CHECK_EQ(it.off, 12);
	guard_free(&g);
}

static void test_pages_00_80(void)
{
	static const uint8_t list[] = { 0x00, 0x80, 0x83, 0xb0 };
	static const uint8_t bad_list[] = { 0x00, 0x83, 0x80 };
	static const char sn[] = "  ZA1B2C3D";
	uint8_t buf[64];
	struct salua_vpd_page pg;
	struct guard g;
	const uint8_t *p, *view;
	size_t cap, vlen;
	int rc;

	T_CASE("page 0x00 round trip");
	rc = salua_vpd00_encode(buf, sizeof(buf), 0x00, list, 4);
	CHECK_EQ(rc, 8);
	CHECK_MEM(buf, "\x00\x00\x00\x04\x00\x80\x83\xb0", 8);
	p = guard_place(&g, buf, 8);
	CHECK_EQ(salua_vpd00_decode(p, 8, &pg), 4);
	CHECK(salua_vpd_supports(&pg, SALUA_VPD_DEVICE_ID));
	CHECK(salua_vpd_supports(&pg, 0xb0));
	CHECK(!salua_vpd_supports(&pg, 0x86));
	CHECK_EQ(salua_vpd00_decode(p, 6, &pg), 2);
	CHECK(pg.truncated);
	CHECK(salua_vpd_supports(&pg, SALUA_VPD_UNIT_SERIAL));
	CHECK(!salua_vpd_supports(&pg, SALUA_VPD_DEVICE_ID));
	CHECK_EQ(salua_vpd80_serial(p, 8, &view, &vlen), -SALUA_EPAGE);
	guard_free(&g);
	CHECK_EQ(salua_vpd00_encode(buf, sizeof(buf), 0, bad_list, 3),
		 -SALUA_EINVAL);
	memcpy(buf, "\x00\x00\x00\x03\x00\x83\x80", 7);
	CHECK_EQ(salua_vpd00_decode(buf, 7, &pg), -SALUA_EMALFORMED);
	for (cap = 0; cap < 10; cap++) {
		memset(buf, 0xa5, sizeof(buf));
		CHECK_EQ(salua_vpd00_encode(buf, cap, 0x00, list, 4), 8);
		CHECK_EQ(buf[cap], 0xa5);
	}

	T_CASE("page 0x80 round trip");
	rc = salua_vpd80_encode(buf, sizeof(buf), 0x00, sn, 10);
	CHECK_EQ(rc, 14);
	CHECK_MEM(buf, "\x00\x80\x00\x0a  ZA1B2C3D", 14);
	p = guard_place(&g, buf, 14);
	CHECK_EQ(salua_vpd80_serial(p, 14, &view, &vlen), 0);
	CHECK_EQ(vlen, 10);
	CHECK(view == p + 4);
	CHECK_MEM(view, sn, 10);
	CHECK_EQ(salua_vpd80_serial(p, 13, &view, &vlen), -SALUA_ETRUNC);
	CHECK(view == NULL);
	CHECK_EQ(salua_vpd80_serial(p, 3, &view, &vlen), -SALUA_ETRUNC);
	guard_free(&g);
	for (cap = 0; cap < 16; cap++) {
		memset(buf, 0xa5, sizeof(buf));
		CHECK_EQ(salua_vpd80_encode(buf, cap, 0x00, sn, 10), 14);
		CHECK_EQ(buf[cap], 0xa5);
	}
	CHECK_EQ(salua_vpd80_encode(NULL, 1, 0, sn, 10), -SALUA_EINVAL);
}

static void test_encode_83(void)
{
	uint8_t v1[4], v2[4], page[64];
	static const uint8_t naa[8] = { 0x60, 0x0a, 0x09, 0x80, 1, 2, 3, 4 };
	struct salua_vpd83_desig d[3], got[3];
	struct salua_vpd83_port port;
	size_t off;
	int rc, len;

	T_CASE("page 0x83 builder: port designators round trip");
	salua_vpd83_port_id_value(v1, 0x0102);
	salua_vpd83_port_id_value(v2, 0x8001);
	salua_vpd83_desig_set(&d[0], SALUA_DESIG_NAA, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_LU, naa, 8);
	salua_vpd83_desig_set(&d[1], SALUA_DESIG_REL_PORT,
			      SALUA_CODESET_BINARY, SALUA_ASSOC_TARGET_PORT,
			      v1, 4);
	d[1].piv = true;
	d[1].proto = SALUA_PROTO_ISCSI;
	salua_vpd83_desig_set(&d[2], SALUA_DESIG_TPG, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_TARGET_PORT, v2, 4);
	len = salua_vpd83_encode(page, sizeof(page), 0x00, d, 3);
	CHECK_EQ(len, 4 + 12 + 8 + 8);
	CHECK_MEM(page, "\x00\x83\x00\x1c\x01\x03\x00\x08", 8);
	CHECK_MEM(page + 16, "\x51\x94\x00\x04\x00\x00\x01\x02", 8);
	CHECK_MEM(page + 24, "\x01\x15\x00\x04\x00\x00\x80\x01", 8);
	CHECK_EQ(walk(page, (size_t)len, &rc, &off, got, 3), 3);
	CHECK_EQ(rc, 0);
	CHECK_EQ(got[1].proto, SALUA_PROTO_ISCSI);
	CHECK(got[1].piv);
	CHECK_EQ(got[2].id, 0x8001);
	CHECK_EQ(salua_vpd83_find_port(page, (size_t)len, &port),
		 SALUA_VPD83_FOUND_REL_PORT | SALUA_VPD83_FOUND_TPG);
	CHECK_EQ(port.rel_port, 0x0102);
	CHECK_EQ(port.tpg, 0x8001);

	T_CASE("page 0x83 builder: bad fields");
	d[1].assoc = 4;
	CHECK_EQ(salua_vpd83_encode(page, sizeof(page), 0, d, 3),
		 -SALUA_EINVAL);
	d[1].assoc = 1;
	d[1].value = NULL;
	CHECK_EQ(salua_vpd83_encode(page, sizeof(page), 0, d, 3),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_vpd83_encode(NULL, 0, 0, NULL, 0), 4);
}

/* salua_utf8_seq(): RFC 3629 Table 3, row by row and every 2-byte pair. */
static void test_utf8_seq(void)
{
	static const struct {
		const char *what;
		uint8_t b[4];
		size_t n, len;
		uint32_t cp;
	} rows[] = {
		{ "ASCII", { 0x41 }, 1, 1, 0x41 },
		{ "NUL", { 0x00 }, 1, 1, 0 },
		{ "U+00FC", { 0xc3, 0xbc }, 2, 2, 0xfc },
		{ "U+0800 (first 3-byte)", { 0xe0, 0xa0, 0x80 }, 3, 3, 0x800 },
		{ "U+D7FF (below the surrogates)", { 0xed, 0x9f, 0xbf }, 3, 3,
		  0xd7ff },
		{ "U+E000", { 0xee, 0x80, 0x80 }, 3, 3, 0xe000 },
		{ "U+10000", { 0xf0, 0x90, 0x80, 0x80 }, 4, 4, 0x10000 },
		{ "U+10FFFF", { 0xf4, 0x8f, 0xbf, 0xbf }, 4, 4, 0x10ffff },
		{ "overlong NUL", { 0xc0, 0x80 }, 2, 0, 0 },
		{ "overlong 2-byte", { 0xc1, 0xbf }, 2, 0, 0 },
		{ "overlong 3-byte", { 0xe0, 0x9f, 0xbf }, 3, 0, 0 },
		{ "surrogate U+D800", { 0xed, 0xa0, 0x80 }, 3, 0, 0 },
		{ "overlong 4-byte", { 0xf0, 0x8f, 0xbf, 0xbf }, 4, 0, 0 },
		{ "above U+10FFFF", { 0xf4, 0x90, 0x80, 0x80 }, 4, 0, 0 },
		{ "F5", { 0xf5, 0x80, 0x80, 0x80 }, 4, 0, 0 },
		{ "lone continuation", { 0x80 }, 1, 0, 0 },
		{ "cut 3-byte", { 0xe2, 0x82 }, 2, 0, 0 },
		{ "bad continuation", { 0xe2, 0x41, 0x80 }, 3, 0, 0 },
		{ "nothing", { 0x41 }, 0, 0, 0 },
	};
	unsigned i, c, d, ok2 = 0;
	uint32_t cp;

	T_CASE("salua_utf8_seq(): RFC 3629 rows");
	for (i = 0; i < SALUA_ARRAY_SIZE(rows); i++) {
		cp = 0xffffffffu;
		CHECK_EQ(salua_utf8_seq(rows[i].b, rows[i].n, &cp), rows[i].len);
		if (rows[i].len)
			CHECK_EQ(cp, rows[i].cp);
	}
	T_CASE("salua_utf8_seq(): every 2-byte pair");
	for (c = 0xc0; c < 0xe0; c++)
		for (d = 0; d < 0x100; d++) {
			uint8_t b[2] = { (uint8_t)c, (uint8_t)d };
			bool valid = c >= 0xc2 && d >= 0x80 && d <= 0xbf;
			size_t k = salua_utf8_seq(b, 2, &cp);

			CHECK_EQ(k, valid ? 2u : 0u);
			if (valid) {
				ok2++;
				CHECK_EQ(cp, (c & 0x1fu) << 6 | (d & 0x3fu));
			}
		}
	CHECK_EQ(ok2, 30u * 64u); /* U+0080..U+07FF */
}

int main(void)
{
	size_t i;

	for (i = 0; i < SALUA_ARRAY_SIZE(vecs); i++)
		test_vector(&vecs[i]);
	test_port_edge_cases();
	test_escapes_and_names();
	test_lu_priority();
	test_checks();
	test_header_and_truncation();
	test_pages_00_80();
	test_encode_83();
	test_utf8_seq();
	return t_done("vpd");
}
