/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The logical unit name and port/group as the Linux kernel reads page
 * 0x83: one row per rule of scsi_vpd_lun_id() + designator_prio() and
 * scsi_vpd_tpg_id() (drivers/scsi/scsi_lib.c; the text is the same in
 * Debian's 6.1.0-57 and 6.12.95 sources).  The rules are written out in
 * docs/differences-vpd.md ("The kernel's LU name, rule by rule") with the
 * same ids (K1..K16, P1..P4); every rule has at least one row here, and
 * the row says which.
 *
 * Each row builds a page from designators (header fields + hex value),
 * places it before a guard page and checks: salua_vpd83_lu_name() bytes
 * and return value (the kernel's id and id_size), the rank, the quirk
 * bits salua_vpd83_summary() reports, the SPC-5 reading
 * (salua_vpd83_lu_name_strict()), and for port rows find_port() and
 * find_port_strict().
 */
#include "salua/vpd.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

#define LU SALUA_ASSOC_LU
#define TP SALUA_ASSOC_TARGET_PORT
#define TD SALUA_ASSOC_TARGET_DEVICE
#define BIN SALUA_CODESET_BINARY
#define ASC SALUA_CODESET_ASCII
#define UTF SALUA_CODESET_UTF8
#define T10 SALUA_DESIG_T10
#define EUI SALUA_DESIG_EUI64
#define NAA SALUA_DESIG_NAA
#define RTP SALUA_DESIG_REL_PORT
#define TPG SALUA_DESIG_TPG
#define NAME SALUA_DESIG_SCSI_NAME
#define Q(x) SALUA_VPD83_Q_##x

struct dspec {
	uint8_t code_set, assoc, type;
	const char *hex; /* value bytes; "" for a zero-length designator */
	uint8_t piv, proto;
};

struct row {
	const char *rule; /* K1.. / P1.. (docs/differences-vpd.md) */
	const char *what;
	struct dspec d[6];
	size_t nd;
	/* expected kernel LU name: NULL => rc is an error */
	const char *name;
	int name_len; /* bytes of @name (it may hold NULs); -1: strlen */
	int rc;       /* error when @name is NULL; else the rank */
	uint16_t quirks;      /* bits that must be set (LU part) */
	const char *strict;   /* SPC-5 name, NULL: none (ENOENT) */
	int rel, tpg;         /* kernel port/group, -1 none, -2 EMALFORMED */
	int srel, stpg;       /* strict, -1 none */
};

/* hex helpers for the table */
#define NAA6_16 "6001405d1a2b3c4d5e6f708192a3b4c5"
#define NAA6_8 "6001405d1a2b3c4d"
#define NAA5_8 "5000c5003011cb2b"
#define NAA5_16 "5000c5003011cb2b0102030405060708"
#define NAA3_8 "3333333000000001"
#define NAA2_8 "2001001b32a1b2c3"
#define NAA4_8 "4001001b32a1b2c3"
#define NAA1_8 "1001001b32a1b2c3"
#define NAA6_12 "6001405d1a2b3c4d5e6f7081"
#define EUI8 "0011223344556677"
#define EUI12 "001122334455667788990011"
#define EUI16 "00112233445566778899aabbccddeeff"
/* "VENDOR01" + "SERIAL0001" */
#define T10_18 "56454e444f5230315345524941 4c30303031"
/* "VENDOR01" + "S1" */
#define T10_10 "56454e444f5230315331"
/* "iqn.2026-01.org.example:lu0\0" (28 bytes) */
#define IQN28 "69716e2e323032362d30312e6f72672e6578616d706c653a6c753000"
/* "iqn.x:a\0" (8 bytes) */
#define IQN8 "69716e2e783a6100"
#define PORT(id) "0000" id
#define D(cs, assoc, type, hex) { cs, assoc, type, hex, 0, 0 }
#define DP(cs, assoc, type, hex, piv, proto) { cs, assoc, type, hex, piv, proto }

static const struct row rows[] = {
	{ "K1", "association target port / target device is not the LU's",
	  { D(BIN, TP, NAA, NAA6_16), D(BIN, TD, NAA, NAA5_8),
	    D(BIN, LU, NAA, NAA3_8) }, 3,
	  "naa." NAA3_8, -1, 1, 0, "naa." NAA3_8, -1, -1, -1, -1 },
	{ "K2", "a zero-length designator is never a candidate",
	  { D(UTF, LU, NAME, ""), D(BIN, LU, NAA, NAA5_8) }, 2,
	  "naa." NAA5_8, -1, 5, 0, "naa." NAA5_8, -1, -1, -1, -1 },
	{ "K3", "rank: SCSI name (9) over NAA-6 (8) over EUI-64/16 (7)",
	  { D(BIN, LU, EUI, EUI16), D(UTF, LU, NAME, IQN28),
	    D(BIN, LU, NAA, NAA6_16) }, 3,
	  "iqn.2026-01.org.example:lu0\0", 28, 9, Q(RAW),
	  "iqn.2026-01.org.example:lu0", -1, -1, -1, -1 },
	{ "K3", "rank: EUI-64/12 (6) over NAA-5 (5) over EUI-64/8 (3)",
	  { D(BIN, LU, EUI, EUI8), D(BIN, LU, EUI, EUI12),
	    D(BIN, LU, NAA, NAA5_8) }, 3,
	  "eui." EUI12, -1, 6, 0, "eui." EUI12, -1, -1, -1, -1 },
	{ "K3", "rank: NAA 2 (IEEE Extended) has none; EUI-64/8 names",
	  { D(BIN, LU, NAA, NAA2_8), D(BIN, LU, EUI, EUI8) }, 2,
	  "eui." EUI8, -1, 3, Q(NAA2_IGNORED), "naa." NAA2_8, -1, -1, -1, -1 },
	{ "K3", "rank: reserved NAA 4 is ranked 4, above EUI-64/8",
	  { D(BIN, LU, EUI, EUI8), D(BIN, LU, NAA, NAA4_8) }, 2,
	  "naa." NAA4_8, -1, 4, Q(NAA4_RANKED), "eui." EUI8, -1, -1, -1, -1 },
	{ "K3", "rank: NAA 1 and an EUI-64 of 10 bytes have none",
	  { D(BIN, LU, NAA, NAA1_8), D(BIN, LU, EUI, "00112233445566778899") },
	  2, NULL, 0, -SALUA_ENOENT, 0, NULL, -1, -1, -1, -1 },
	{ "K4", "NAA-6 with 8 bytes: ranked 8 by its nibble, 8 bytes printed",
	  { D(BIN, LU, NAA, NAA5_8), D(BIN, LU, NAA, NAA6_8) }, 2,
	  "naa." NAA6_8, -1, 8, Q(NAA_LENGTH), "naa." NAA5_8, -1, -1, -1,
	  -1 },
	{ "K4", "NAA-5 with 16 bytes: ranked 5, 16 bytes printed",
	  { D(BIN, LU, NAA, NAA5_16) }, 1,
	  "naa." NAA5_16, -1, 5, Q(NAA_LENGTH), NULL, -1, -1, -1, -1 },
	{ "K5", "a lower rank after a higher one is skipped",
	  { D(BIN, LU, NAA, NAA6_16), D(BIN, LU, NAA, NAA5_8) }, 2,
	  "naa." NAA6_16, -1, 8, 0, "naa." NAA6_16, -1, -1, -1, -1 },
	{ "K6", "a SCSI name shorter than the NAA-6 candidate is skipped",
	  { D(BIN, LU, NAA, NAA6_16), D(UTF, LU, NAME, IQN8) }, 2,
	  "naa." NAA6_16, -1, 8, Q(SHORTER_SKIPPED), "iqn.x:a", -1, -1, -1,
	  -1 },
	{ "K6", "a T10 id shorter than the previous T10 id is skipped",
	  { D(ASC, LU, T10, T10_18), D(ASC, LU, T10, T10_10) }, 2,
	  "t10.VENDOR01SERIAL0001", -1, 1, Q(SHORTER_SKIPPED),
	  "t10.VENDOR01S1", -1, -1, -1, -1 },
	{ "K6", "a T10 id shorter than an NAA-3 (8) is not: equal lengths win",
	  { D(BIN, LU, NAA, NAA3_8), D(ASC, LU, T10, "5645 4e44 4f52 3031") },
	  2, "t10.VENDOR01", -1, 1, 0, "t10.VENDOR01", -1, -1, -1, -1 },
	{ "K7", "equal rank: the later designator wins (T10 after NAA-3)",
	  { D(BIN, LU, NAA, NAA3_8), D(ASC, LU, T10, T10_18) }, 2,
	  "t10.VENDOR01SERIAL0001", -1, 1, 0, "t10.VENDOR01SERIAL0001", -1,
	  -1, -1, -1 },
	{ "K7", "equal rank: the later designator wins (NAA-3 after T10)",
	  { D(ASC, LU, T10, T10_18), D(BIN, LU, NAA, NAA3_8) }, 2,
	  "naa." NAA3_8, -1, 1, 0, "naa." NAA3_8, -1, -1, -1, -1 },
	{ "K8", "T10 text through %pE: LF, BEL, ESC, NUL, DEL, 0x80 and 0xe9",
	  { D(ASC, LU, T10, "41420a07 1b007f80 e95c22") }, 1,
	  "t10.AB\\n\\a\\e\\0\\177\\200\xe9\\\"", -1, 1, 0, NULL, -1, -1,
	  -1, -1 },
	{ "K8", "a SCSI name string is copied raw: LF and NUL padding kept",
	  { D(UTF, LU, NAME, "69716e2e0a410000") }, 1,
	  "iqn.\nA\0\0", 8, 9, Q(RAW), NULL, -1, -1, -1, -1 },
	{ "K8", "EUI-64/16 as lowercase hex",
	  { D(BIN, LU, EUI, EUI16) }, 1,
	  "eui." EUI16, -1, 7, 0, "eui." EUI16, -1, -1, -1, -1 },
	{ "K9", "NAA-6 of 12 bytes: candidate, no text: T10's text stays",
	  { D(ASC, LU, T10, T10_10), D(BIN, LU, NAA, NAA6_12) }, 2,
	  "t10.VENDOR01S1", -1, 1, Q(NAA_LENGTH) | Q(NAA_NO_TEXT),
	  "t10.VENDOR01S1", -1, -1, -1, -1 },
	{ "K9", "... and it still blocks lower ranks after it",
	  { D(BIN, LU, NAA, NAA6_12), D(BIN, LU, NAA, NAA5_8) }, 2,
	  NULL, 0, -SALUA_ENOENT, Q(NAA_NO_TEXT), "naa." NAA5_8, -1, -1, -1,
	  -1 },
	{ "K9", "... and its length counts against a shorter T10 id",
	  { D(BIN, LU, NAA, NAA3_8), D(BIN, LU, NAA, "3333333000000001aabb"),
	    D(ASC, LU, T10, "56454e444f523031") }, 3,
	  "naa." NAA3_8, -1, 1, Q(NAA_NO_TEXT) | Q(SHORTER_SKIPPED),
	  "t10.VENDOR01", -1, -1, -1, -1 },
	{ "K12", "code set, PIV and protocol are ignored (NAA-6 in ASCII)",
	  { DP(ASC, LU, NAA, NAA6_16, 1, 5) }, 1,
	  "naa." NAA6_16, -1, 8, Q(CODE_SET), NULL, -1, -1, -1, -1 },
	{ "K13", "a designator overrunning the page is harmless if unread",
	  { D(BIN, LU, NAA, NAA5_8), D(BIN, TP, NAA, NAA6_16) }, 2,
	  "naa." NAA5_8, -1, 5, Q(OVERRUN), NULL, -1, -1, -1, -1 },
	{ "K14", "no candidate ever written: the kernel's -EINVAL",
	  { D(BIN, TP, NAA, NAA6_16) }, 1,
	  NULL, 0, -SALUA_ENOENT, 0, NULL, -1, -1, -1, -1 },
	{ "P1", "port and group in any association and code set",
	  { D(ASC, LU, RTP, PORT("0003")), D(UTF, TD, TPG, PORT("0102")) },
	  2, NULL, 0, -SALUA_ENOENT, Q(PORT_ASSOC) | Q(PORT_CODE_SET), NULL,
	  3, 0x102, -1, -1 },
	{ "P2", "a 2-byte TPG designator: bytes 6..7 are the next header",
	  { D(BIN, TP, TPG, "0007"), D(BIN, TP, RTP, PORT("0001")) }, 2,
	  NULL, 0, -SALUA_ENOENT, Q(PORT_LENGTH), NULL, 1, 0x0114, 1, -1 },
	{ "P3", "the last port and the last group win",
	  { D(BIN, TP, TPG, PORT("0007")), D(BIN, TP, RTP, PORT("0001")),
	    D(BIN, TP, TPG, PORT("0009")), D(BIN, TP, RTP, PORT("0002")) },
	  4, NULL, 0, -SALUA_ENOENT, Q(PORT_REPEAT), NULL, 2, 9, 1, 7 },
	{ "P4", "a short TPG designator last: bytes 6..7 past the page",
	  { D(BIN, TP, RTP, PORT("0001")), D(BIN, TP, TPG, "07") }, 2,
	  NULL, 0, -SALUA_ENOENT, 0, NULL, -2, -2, 1, -1 },
};

/* Build the page for @r (K13's row is cut by the caller). */
static size_t build(const struct row *r, uint8_t *page, size_t cap,
		    uint8_t vals[][64])
{
	struct salua_vpd83_desig d[6];
	size_t i;
	int n;

	for (i = 0; i < r->nd; i++) {
		size_t len = t_hex(r->d[i].hex, vals[i], 64);

		salua_vpd83_desig_set(&d[i], r->d[i].type, r->d[i].code_set,
				      r->d[i].assoc, vals[i], (uint8_t)len);
		d[i].piv = r->d[i].piv != 0;
		d[i].proto = r->d[i].proto;
	}
	n = salua_vpd83_encode(page, cap, 0, d, r->nd);
	CHECK(n > 0 && (size_t)n <= cap);
	return (size_t)n;
}

static void test_rows(void)
{
	static uint8_t page[1024], vals[6][64];
	struct salua_vpd83_ids ids;
	struct salua_vpd83_desig lu;
	struct salua_vpd83_port port;
	struct guard g;
	const uint8_t *p;
	char name[1100];
	size_t i, n, need;
	int rc, want;

	for (i = 0; i < SALUA_ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];

		T_CASE(r->what);
		n = build(r, page, sizeof(page), vals);
		if (strcmp(r->rule, "K13") == 0) {
			/* the last designator's last 4 bytes fall outside
			 * PAGE LENGTH, and are not received either */
			salua_put_be16(page + 2, (uint16_t)(n - 8u));
			n -= 4u;
		}
		p = guard_place(&g, page, n);
		rc = salua_vpd83_lu_name(p, n, name, sizeof(name), &need);
		if (r->name) {
			want = r->name_len >= 0 ? r->name_len :
						  (int)strlen(r->name);
			CHECK_EQ(rc, want);
			CHECK_MEM(name, r->name, (size_t)want);
			CHECK_EQ(need, (size_t)want + 1u);
			CHECK_EQ(salua_vpd83_lu_desig(p, n, 0, &lu), r->rc);
		} else {
			CHECK_EQ(rc, r->rc);
		}
		rc = salua_vpd83_summary(p, n, 0, &ids);
		CHECK_EQ(ids.quirks & r->quirks, r->quirks);
		rc = salua_vpd83_lu_name_strict(p, n, name, sizeof(name), NULL);
		if (r->strict) {
			CHECK_EQ(rc, (int)strlen(r->strict));
			CHECK_STR(name, r->strict);
		} else {
			CHECK(rc < 0);
		}
		rc = salua_vpd83_find_port(p, n, &port);
		if (r->rel == -2) {
			CHECK_EQ(rc, -SALUA_EMALFORMED);
		} else {
			CHECK(rc >= 0);
			CHECK_EQ(port.has_rel_port ? port.rel_port : -1, r->rel);
			CHECK_EQ(port.has_tpg ? port.tpg : -1, r->tpg);
		}
		if (strcmp(r->rule, "K13") != 0) {
			CHECK(salua_vpd83_find_port_strict(p, n, &port) >= 0);
			CHECK_EQ(port.has_rel_port ? port.rel_port : -1,
				 r->srel);
			CHECK_EQ(port.has_tpg ? port.tpg : -1, r->stpg);
		}
		guard_free(&g);
	}
}

/* K10, K11: the id buffer size (scsi_dh_alua's 256; small ones). */
static void test_id_len(void)
{
	static uint8_t val[255], page[600];
	struct salua_vpd83_desig d[2], lu;
	int n;

	T_CASE("K10: a SCSI name longer than id_len ranks 2");
	memset(val, 'a', sizeof(val));
	memcpy(val, "iqn.", 4);
	val[39] = 0;
	salua_vpd83_desig_set(&d[0], NAA, BIN, LU, (const uint8_t *)"\x50\x01\x02\x03\x04\x05\x06\x07", 8);
	salua_vpd83_desig_set(&d[1], NAME, UTF, LU, val, 40);
	n = salua_vpd83_encode(page, sizeof(page), 0, d, 2);
	CHECK_EQ(salua_vpd83_lu_desig(page, (size_t)n, 0, &lu), 9);
	CHECK_EQ(salua_vpd83_lu_desig(page, (size_t)n, 40, &lu), 9);
	/* 40 > 39: rank 2, below the NAA-5 (5) already taken */
	CHECK_EQ(salua_vpd83_lu_desig(page, (size_t)n, 39, &lu), 5);
	CHECK_EQ(lu.type, NAA);
	/* alone, it is taken at rank 2 */
	n = salua_vpd83_encode(page, sizeof(page), 0, &d[1], 1);
	CHECK_EQ(salua_vpd83_lu_desig(page, (size_t)n, 39, &lu), 2);
	CHECK_EQ(salua_vpd83_lu_desig(page, (size_t)n, 20, &lu),
		 -SALUA_EINVAL); /* the kernel wants >= 21 */

	T_CASE("K11: a T10 id longer than id_len - 4 compares cut");
	/* T10 of 30 with id_len 24: kept as 20; a later T10 of 25 wins */
	memset(val, 'B', sizeof(val));
	salua_vpd83_desig_set(&d[0], T10, ASC, LU, val, 30);
	salua_vpd83_desig_set(&d[1], T10, ASC, LU, val, 25);
	n = salua_vpd83_encode(page, sizeof(page), 0, d, 2);
	CHECK_EQ(salua_vpd83_lu_desig(page, (size_t)n, 24, &lu), 1);
	CHECK_EQ(lu.len, 25);
	/* with the wwid's buffer the 30-byte one stays (25 < 30) */
	CHECK_EQ(salua_vpd83_lu_desig(page, (size_t)n, 0, &lu), 1);
	CHECK_EQ(lu.len, 30);
}

/* K13, K15, K16: the walk's bounds. */
static void test_bounds(void)
{
	/* NAA LU designator whose d[4] is past the page: 4 header bytes only */
	static const uint8_t naa_head[] = { 0, 0x83, 0, 4, 0x01, 0x03, 0, 8 };
	/* the kernel reads d[3] of a 2-byte tail: outside */
	static const uint8_t tail2[] = { 0, 0x83, 0, 14, 0x01, 0x03, 0, 8,
					 0x50, 1, 2, 3, 4, 5, 6, 7, 0, 0x03 };
	static const uint8_t empty[] = { 0, 0x83, 0, 0 };
	static const uint8_t cut[] = { 0, 0x83, 0, 24, 0x01, 0x03, 0, 8,
				       0x50, 1, 2, 3, 4, 5, 6, 7 };
	char name[64];
	struct guard g;
	const uint8_t *p;

	T_CASE("K13: the kernel would read d[4] past the page");
	p = guard_place(&g, naa_head, sizeof(naa_head));
	CHECK_EQ(salua_vpd83_lu_name(p, sizeof(naa_head), name, sizeof(name),
				     NULL), -SALUA_EMALFORMED);
	guard_free(&g);
	T_CASE("K13: a 2-byte tail: d[3] past the page");
	p = guard_place(&g, tail2, sizeof(tail2));
	CHECK_EQ(salua_vpd83_lu_name(p, sizeof(tail2), name, sizeof(name),
				     NULL), -SALUA_EMALFORMED);
	guard_free(&g);
	T_CASE("K15: PAGE LENGTH 0: the kernel keeps no page");
	CHECK_EQ(salua_vpd83_lu_name(empty, sizeof(empty), name, sizeof(name),
				     NULL), -SALUA_ENOENT);
	T_CASE("K16: a page cut by the transfer");
	CHECK_EQ(salua_vpd83_lu_name(cut, sizeof(cut), name, sizeof(name),
				     NULL), -SALUA_ETRUNC);
}

/* The public vectors: the names Linux shows for them. */
static void test_vectors(void)
{
	static const struct {
		const char *file, *wwid;
	} v[] = {
		{ "vpd83_seagate_sas_hdd", "naa.5000c5003011cb2b" },
		{ "vpd83_scsi_debug", "naa.33333330000007d0" },
		{ "vpd83_emc_dmx", "naa.60060480000190103189533030343834" },
		{ "vpd83_sg3_all_designator_types",
		  "naa.6122334455667788aabbccddeeffeedd" },
		{ "vpd83_sg3_ctrl_char_in_strings",
		  "naa.6122334455667788aabbccddeeffeedd" },
		{ "vpd83_emc_symmetrix_legacy_no_desc_header", NULL },
	};
	uint8_t raw[512];
	char name[256];
	size_t i, n;

	for (i = 0; i < SALUA_ARRAY_SIZE(v); i++) {
		T_CASE(v[i].file);
		n = t_load_hex(raw, sizeof(raw), "%s/%s/%s.hex",
			       SALUA_VECTORS_DIR, "vpd83", v[i].file);
		if (v[i].wwid) {
			CHECK_EQ(salua_vpd83_lu_name(raw, n, name,
						     sizeof(name), NULL),
				 (int)strlen(v[i].wwid));
			CHECK_STR(name, v[i].wwid);
		} else {
			CHECK_EQ(salua_vpd83_lu_name(raw, n, name,
						     sizeof(name), NULL),
				 -SALUA_ENOENT);
		}
	}
}

int main(void)
{
	test_rows();
	test_id_len();
	test_bounds();
	test_vectors();
	return t_done("lu_name_kernel");
}
