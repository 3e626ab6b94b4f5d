/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Standard INQUIRY (salua/inquiry.h): the public vectors with their
 * expected decode (vectors/README.md), every truncation behind a guard
 * page, ADDITIONAL LENGTH against received bytes, the TPGS helper, the
 * trim helper, and encode -> decode round trips honouring the allocation
 * length with the output placed before a guard page.
 */
#include "salua/inquiry.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

/* Decode behind a guard page; views are re-pointed into @src. */
static int dec_guarded(const uint8_t *src, size_t len, struct salua_inquiry *q)
{
	struct guard g;
	const uint8_t *p = guard_place(&g, src, len);
	int rc = salua_inquiry_decode(p, len, q);

	if (q->vendor)
		q->vendor = src + (q->vendor - p);
	if (q->product)
		q->product = src + (q->product - p);
	if (q->revision)
		q->revision = src + (q->revision - p);
	guard_free(&g);
	return rc;
}

static int tpgs_guarded(const uint8_t *src, size_t len)
{
	struct guard g;
	const uint8_t *p = guard_place(&g, src, len);
	int t = salua_inquiry_tpgs(p, len);

	guard_free(&g);
	return t;
}

static bool view_is(const uint8_t *v, size_t n, const char *s)
{
	return n == strlen(s) && (n == 0 || memcmp(v, s, n) == 0);
}

static void check_prefix_fields(const struct salua_inquiry *q, size_t m,
				const uint8_t *b)
{
	CHECK_EQ(q->tpgs, m > 5 ? (b[5] >> 4) & 3 : -1);
	CHECK_EQ(q->cmdque, m > 7 ? (b[7] & 2) != 0 : 0);
	CHECK_EQ(q->multip, m > 6 ? (b[6] & 0x10) != 0 : 0);
	CHECK_EQ(q->version, m > 2 ? b[2] : 0);
	CHECK_EQ(q->rdf, m > 3 ? b[3] & 0xf : 0);
	CHECK_EQ(q->vendor_len, m <= 8 ? 0 : (m - 8 < 8 ? m - 8 : 8));
	CHECK_EQ(q->product_len, m <= 16 ? 0 : (m - 16 < 16 ? m - 16 : 16));
	CHECK_EQ(q->revision_len, m <= 32 ? 0 : (m - 32 < 4 ? m - 32 : 4));
	CHECK_EQ(q->vendor != NULL, m > 8);
	CHECK_EQ(q->product != NULL, m > 16);
	CHECK_EQ(q->revision != NULL, m > 32);
	if (q->vendor)
		CHECK(q->vendor == b + 8);
	if (q->revision)
		CHECK(q->revision == b + 32);
}

static void test_emc(void)
{
	uint8_t b[64];
	struct salua_inquiry q;
	size_t n, len;

	T_CASE("vector inq_emc_symmetrix_trailing_bytes");
	n = t_load_hex(b, sizeof(b), "%s/%s", SALUA_VECTORS_DIR,
		       "inquiry/inq_emc_symmetrix_trailing_bytes.hex");
	CHECK_EQ(n, 40);
	CHECK_EQ(dec_guarded(b, n, &q), 0);
	CHECK_EQ(q.add_len, 31);
	CHECK_EQ(q.len, 36); /* the 4 trailing spaces are outside */
	CHECK(!q.truncated);
	CHECK_EQ(q.pq, 0);
	CHECK_EQ(q.pdt, 0);
	CHECK(!q.rmb);
	CHECK_EQ(q.version, 0x05);
	CHECK(!q.normaca);
	CHECK(!q.hisup);
	CHECK_EQ(q.rdf, 2);
	CHECK(!q.sccs && !q.acc && !q.tpc && !q.protect);
	CHECK_EQ(q.tpgs, SALUA_TPGS_NONE);
	CHECK(!q.multip && !q.encserv);
	CHECK(q.cmdque);
	CHECK(view_is(q.vendor, q.vendor_len, "EMC     "));
	CHECK(view_is(q.product, q.product_len, "SYMMETRIX       "));
	CHECK(view_is(q.revision, q.revision_len, "5876"));
	CHECK_EQ(salua_inquiry_tpgs(b, n), 0);

	T_CASE("EMC: every truncation");
	for (len = 0; len <= n; len++) {
		int rc = dec_guarded(b, len, &q);

		if (len == 0) {
			CHECK_EQ(rc, -SALUA_ETRUNC);
			CHECK_EQ(q.tpgs, -1);
			continue;
		}
		CHECK_EQ(rc, 0);
		CHECK_EQ(q.len, len < 36 ? len : 36);
		CHECK_EQ(q.truncated, len < 36);
		check_prefix_fields(&q, q.len, b);
		CHECK_EQ(tpgs_guarded(b, len), len > 5 ? 0 : -1);
	}
}

static void test_scsi_debug(void)
{
	uint8_t b[128];
	struct salua_inquiry q;
	size_t n, len;

	T_CASE("vector inq_scsi_debug");
	n = t_load_hex(b, sizeof(b), "%s/%s", SALUA_VECTORS_DIR,
		       "inquiry/inq_scsi_debug.hex");
	CHECK_EQ(n, 96);
	CHECK_EQ(dec_guarded(b, n, &q), 0);
	CHECK_EQ(q.add_len, 91);
	CHECK_EQ(q.len, 96);
	CHECK(!q.truncated);
	CHECK_EQ(q.pq, 0);
	CHECK_EQ(q.pdt, 0);
	CHECK_EQ(q.version, 0x07);
	CHECK_EQ(q.rdf, 2);
	CHECK_EQ(q.tpgs, 0);
	CHECK(q.multip);
	CHECK(!q.encserv);
	CHECK(q.cmdque);
	CHECK(view_is(q.vendor, q.vendor_len, "Linux   "));
	CHECK(view_is(q.product, q.product_len, "scsi_debug      "));
	CHECK(view_is(q.revision, q.revision_len, "0191"));

	T_CASE("scsi_debug: every truncation (36-byte allocation is normal)");
	for (len = 1; len <= n; len++) {
		CHECK_EQ(dec_guarded(b, len, &q), 0);
		CHECK_EQ(q.len, len);
		CHECK_EQ(q.truncated, len < 96);
		CHECK_EQ(q.add_len, len > 4 ? 91 : 0);
		check_prefix_fields(&q, len, b);
	}
}

static void test_additional_length(void)
{
	uint8_t b[40];
	struct salua_inquiry q;
	unsigned al;

	T_CASE("ADDITIONAL LENGTH limits what is decoded");
	memset(b, 'x', sizeof(b));
	b[0] = 0x7f; /* PQ 3, PDT 0x1f: no LU */
	b[1] = 0xc0;
	b[2] = 0x06;
	b[3] = 0x32;
	b[5] = 0xb9; /* SCCS, TPGS 3, 3PC, PROTECT */
	b[6] = 0x50;
	b[7] = 0x02;
	for (al = 0; al < 40; al++) {
		b[4] = (uint8_t)al;
		CHECK_EQ(salua_inquiry_decode(b, sizeof(b), &q), 0);
		CHECK_EQ(q.len, al + 5 < 40 ? al + 5 : 40);
		CHECK_EQ(q.truncated, al + 5 > 40);
		CHECK_EQ(q.pq, 3);
		CHECK_EQ(q.pdt, 0x1f);
		CHECK_EQ(q.tpgs, al >= 1 ? 3 : -1);
		CHECK_EQ(salua_inquiry_tpgs(b, sizeof(b)), al >= 1 ? 3 : -1);
		CHECK_EQ(q.sccs, al >= 1);
		CHECK_EQ(q.tpc, al >= 1);
		CHECK_EQ(q.protect, al >= 1);
		CHECK(!q.acc);
		CHECK_EQ(q.encserv, al >= 2);
		CHECK_EQ(q.multip, al >= 2);
		CHECK_EQ(q.cmdque, al >= 3);
		CHECK(q.rmb && q.lu_cong);
		CHECK(q.normaca && q.hisup);
		CHECK_EQ(q.rdf, 2);
		check_prefix_fields(&q, q.len, b);
	}
	T_CASE("every TPGS value");
	for (al = 0; al < 4; al++) {
		b[4] = 31;
		b[5] = (uint8_t)(al << 4);
		CHECK_EQ(salua_inquiry_tpgs(b, 36), (int)al);
		CHECK_EQ(salua_inquiry_decode(b, 36, &q), 0);
		CHECK_EQ(q.tpgs, (int)al);
	}
	T_CASE("arguments");
	CHECK_EQ(salua_inquiry_decode(b, 36, NULL), -SALUA_EINVAL);
	CHECK_EQ(salua_inquiry_decode(NULL, 36, &q), -SALUA_EINVAL);
	CHECK_EQ(salua_inquiry_decode(NULL, 0, &q), -SALUA_ETRUNC);
	CHECK_EQ(salua_inquiry_tpgs(NULL, 36), -1);
}

static void test_trim(void)
{
	const uint8_t *p;
	size_t n;

	T_CASE("salua_ascii_trim");
	p = (const uint8_t *)"  EMC  \0\0";
	n = 9;
	salua_ascii_trim(&p, &n);
	CHECK(view_is(p, n, "EMC"));
	p = (const uint8_t *)"SYMMETRIX       ";
	n = 16;
	salua_ascii_trim(&p, &n);
	CHECK(view_is(p, n, "SYMMETRIX"));
	p = (const uint8_t *)"a b";
	n = 3;
	salua_ascii_trim(&p, &n);
	CHECK(view_is(p, n, "a b"));
	p = (const uint8_t *)"        ";
	n = 8;
	salua_ascii_trim(&p, &n);
	CHECK_EQ(n, 0);
	p = NULL;
	n = 0;
	salua_ascii_trim(&p, &n);
	CHECK_EQ(n, 0);
}

static void test_encode(void)
{
	static const uint8_t want[36] = {
		0x00, 0x00, 0x07, 0x02, 0x1f, 0x30, 0x10, 0x02,
		'S',  'A',  'L',  'U',  'A',  ' ',  ' ',  ' ',
		's',  'i',  'm',  ' ',  ' ',  ' ',  ' ',  ' ',
		' ',  ' ',  ' ',  ' ',  ' ',  ' ',  ' ',  ' ',
		'0',  '.',  '1',  ' '
	};
	struct salua_inquiry in, q;
	struct guard g;
	uint8_t full[36];
	size_t alloc;
	unsigned pq, pdt, tpgs, bits;

	T_CASE("encode: exact bytes of a simulated ALUA LU");
	memset(&in, 0, sizeof(in));
	in.version = 7;
	in.rdf = SALUA_INQ_RDF_SPC;
	in.tpgs = SALUA_TPGS_BOTH;
	in.multip = true;
	in.cmdque = true;
	in.vendor = (const uint8_t *)"SALUA";
	in.vendor_len = 5;
	in.product = (const uint8_t *)"sim";
	in.product_len = 3;
	in.revision = (const uint8_t *)"0.1";
	in.revision_len = 3;
	CHECK_EQ(salua_inquiry_encode(&in, full, sizeof(full)), 36);
	CHECK_MEM(full, want, 36);

	T_CASE("encode: every allocation length, output before a guard page");
	for (alloc = 0; alloc <= 40; alloc++) {
		uint8_t zero[40];
		uint8_t *out;

		memset(zero, 0, sizeof(zero));
		out = (uint8_t *)(uintptr_t)guard_place(&g, zero, alloc);
		CHECK_EQ(salua_inquiry_encode(&in, out, alloc),
			 alloc < 36 ? alloc : 36);
		CHECK_MEM(out, want, alloc < 36 ? alloc : 36);
		guard_free(&g);
	}
	CHECK_EQ(salua_inquiry_encode(&in, NULL, 0), 0);

	T_CASE("encode -> decode round trip over PQ, PDT, TPGS and flag bits");
	for (pq = 0; pq < 8; pq += 3)
		for (pdt = 0; pdt < 32; pdt += 5)
			for (tpgs = 0; tpgs < 4; tpgs++)
				for (bits = 0; bits < 1024; bits += 7) {
					int rc;

					in.pq = (uint8_t)pq;
					in.pdt = (uint8_t)pdt;
					in.tpgs = (int)tpgs;
					in.rmb = bits & 1;
					in.lu_cong = (bits >> 1) & 1;
					in.normaca = (bits >> 2) & 1;
					in.hisup = (bits >> 3) & 1;
					in.sccs = (bits >> 4) & 1;
					in.acc = (bits >> 5) & 1;
					in.tpc = (bits >> 6) & 1;
					in.protect = (bits >> 7) & 1;
					in.encserv = (bits >> 8) & 1;
					in.multip = (bits >> 9) & 1;
					in.cmdque = (bits & 3) == 1;
					in.version = (uint8_t)bits;
					rc = salua_inquiry_encode(&in, full,
								  sizeof(full));
					CHECK_EQ(rc, 36);
					CHECK_EQ(dec_guarded(full, 36, &q), 0);
					CHECK_EQ(q.pq, pq);
					CHECK_EQ(q.pdt, pdt);
					CHECK_EQ(q.tpgs, (int)tpgs);
					CHECK_EQ(q.rmb, in.rmb);
					CHECK_EQ(q.lu_cong, in.lu_cong);
					CHECK_EQ(q.normaca, in.normaca);
					CHECK_EQ(q.hisup, in.hisup);
					CHECK_EQ(q.sccs, in.sccs);
					CHECK_EQ(q.acc, in.acc);
					CHECK_EQ(q.tpc, in.tpc);
					CHECK_EQ(q.protect, in.protect);
					CHECK_EQ(q.encserv, in.encserv);
					CHECK_EQ(q.multip, in.multip);
					CHECK_EQ(q.cmdque, in.cmdque);
					CHECK_EQ(q.version, in.version);
					CHECK_EQ(q.rdf, 2);
					CHECK_EQ(q.add_len, 31);
					CHECK(!q.truncated);
					CHECK(view_is(q.vendor, 8, "SALUA   "));
					CHECK(view_is(q.product, 16,
						      "sim             "));
					CHECK(view_is(q.revision, 4, "0.1 "));
				}

	T_CASE("encode: invalid values");
	in.tpgs = -1;
	CHECK_EQ(salua_inquiry_encode(&in, full, 36), -SALUA_EINVAL);
	in.tpgs = 4;
	CHECK_EQ(salua_inquiry_encode(&in, full, 36), -SALUA_EINVAL);
	in.tpgs = 1;
	in.pq = 8;
	CHECK_EQ(salua_inquiry_encode(&in, full, 36), -SALUA_EINVAL);
	in.pq = 0;
	in.pdt = 32;
	CHECK_EQ(salua_inquiry_encode(&in, full, 36), -SALUA_EINVAL);
	in.pdt = 0;
	in.rdf = 16;
	CHECK_EQ(salua_inquiry_encode(&in, full, 36), -SALUA_EINVAL);
	in.rdf = 2;
	in.vendor_len = 9;
	CHECK_EQ(salua_inquiry_encode(&in, full, 36), -SALUA_EINVAL);
	in.vendor_len = 5;
	in.product = NULL;
	CHECK_EQ(salua_inquiry_encode(&in, full, 36), -SALUA_EINVAL);
	in.product_len = 0;
	CHECK_EQ(salua_inquiry_encode(&in, full, 36), 36);
	CHECK_MEM(full + 16, "                ", 16);
	CHECK_EQ(salua_inquiry_encode(NULL, full, 36), -SALUA_EINVAL);
	CHECK_EQ(salua_inquiry_encode(&in, NULL, 36), -SALUA_EINVAL);
}

/* A field not wholly received is flagged partial (every cut length). */
static void test_partial(void)
{
	uint8_t raw[96];
	struct salua_inquiry q;
	size_t n, m;
	unsigned want;

	T_CASE("partial identification fields at every cut");
	n = t_load_hex(raw, sizeof(raw), "%s/inquiry/%s.hex",
		       SALUA_VECTORS_DIR, "inq_scsi_debug");
	for (m = 1; m <= n; m++) {
		CHECK_EQ(salua_inquiry_decode(raw, m, &q), 0);
		want = 0;
		if (m > 8 && m < 16)
			want |= SALUA_INQ_PARTIAL_VENDOR;
		if (m > 16 && m < 32)
			want |= SALUA_INQ_PARTIAL_PRODUCT;
		if (m > 32 && m < 36)
			want |= SALUA_INQ_PARTIAL_REVISION;
		CHECK_EQ(q.partial, want);
		CHECK_EQ(q.vendor != NULL, m > 8);
		CHECK_EQ(q.product != NULL, m > 16);
		CHECK_EQ(q.revision != NULL, m > 32);
	}
	T_CASE("a field cut by the device's own ADDITIONAL LENGTH");
	raw[4] = 20; /* 25 bytes: the product ends at 25 */
	CHECK_EQ(salua_inquiry_decode(raw, n, &q), 0);
	CHECK(!q.truncated);
	CHECK_EQ(q.partial, SALUA_INQ_PARTIAL_PRODUCT);
	CHECK_EQ(q.product_len, 9);
	CHECK(q.revision == NULL);
}

int main(void)
{
	test_partial();
	test_emc();
	test_scsi_debug();
	test_additional_length();
	test_trim();
	test_encode();
	return t_done("inquiry");
}
