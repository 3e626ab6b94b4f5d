/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Standard INQUIRY data (SPC-5 §6.7.2): decode whatever arrived, check the
 * views lie inside the input, then decode -> encode -> decode must keep
 * every field, and every allocation length must give a prefix of the full
 * encoding.
 */
#include "fuzz.h"

/* A re-decoded field is the original view followed by space padding. */
static void same_field(const uint8_t *a, size_t alen, const uint8_t *b,
		       size_t blen)
{
	size_t i;

	FUZZ_CHECK(alen <= blen);
	if (alen)
		FUZZ_CHECK(memcmp(a, b, alen) == 0);
	for (i = alen; i < blen; i++)
		FUZZ_CHECK(b[i] == ' ');
}

static void in_input(const uint8_t *v, size_t vlen, const uint8_t *data,
		     size_t size)
{
	if (!v) {
		FUZZ_CHECK(vlen == 0);
		return;
	}
	FUZZ_CHECK(v >= data && vlen <= size && (size_t)(v - data) <= size - vlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct salua_inquiry q, r;
	uint8_t enc[SALUA_INQ_STD_LEN], part[SALUA_INQ_STD_LEN];
	size_t a;
	int rc, tp;

	rc = salua_inquiry_decode(data, size, &q);
	tp = salua_inquiry_tpgs(data, size);
	if (size == 0) {
		FUZZ_CHECK(rc == -SALUA_ETRUNC);
		return 0;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(q.len <= size && q.len >= 1);
	FUZZ_CHECK(q.tpgs >= -1 && q.tpgs <= 3);
	if (q.tpgs >= 0 && data[4] >= 1)
		FUZZ_CHECK(tp == q.tpgs);
	in_input(q.vendor, q.vendor_len, data, size);
	in_input(q.product, q.product_len, data, size);
	in_input(q.revision, q.revision_len, data, size);
	FUZZ_CHECK(q.vendor_len <= SALUA_INQ_VENDOR_LEN);
	FUZZ_CHECK(q.product_len <= SALUA_INQ_PRODUCT_LEN);
	FUZZ_CHECK(q.revision_len <= SALUA_INQ_REVISION_LEN);
	/* a field began to arrive but is cut <=> its partial bit */
	FUZZ_CHECK(((q.partial & SALUA_INQ_PARTIAL_VENDOR) != 0) ==
		   (q.vendor && q.vendor_len < SALUA_INQ_VENDOR_LEN));
	FUZZ_CHECK(((q.partial & SALUA_INQ_PARTIAL_PRODUCT) != 0) ==
		   (q.product && q.product_len < SALUA_INQ_PRODUCT_LEN));
	FUZZ_CHECK(((q.partial & SALUA_INQ_PARTIAL_REVISION) != 0) ==
		   (q.revision && q.revision_len < SALUA_INQ_REVISION_LEN));
	FUZZ_CHECK((q.partial & ~7u) == 0);
	{
		const uint8_t *p = q.vendor;
		size_t n = q.vendor_len;

		salua_ascii_trim(&p, &n);
		FUZZ_CHECK(n <= q.vendor_len);
	}

	if (q.tpgs < 0) {
		FUZZ_CHECK(salua_inquiry_encode(&q, enc, sizeof(enc)) ==
			   -SALUA_EINVAL);
		return 0;
	}
	rc = salua_inquiry_encode(&q, enc, sizeof(enc));
	FUZZ_CHECK(rc == (int)SALUA_INQ_STD_LEN);
	rc = salua_inquiry_decode(enc, sizeof(enc), &r);
	FUZZ_CHECK(rc == 0 && !r.truncated && r.add_len == 31);
	FUZZ_CHECK(r.pq == q.pq && r.pdt == q.pdt);
	/* Bytes 1..7 the input did not carry decode as zero, as re-encoded. */
	FUZZ_CHECK(r.rmb == q.rmb && r.lu_cong == q.lu_cong);
	FUZZ_CHECK(r.version == q.version);
	FUZZ_CHECK(r.normaca == q.normaca && r.hisup == q.hisup);
	FUZZ_CHECK(r.rdf == q.rdf && r.tpgs == q.tpgs);
	FUZZ_CHECK(r.sccs == q.sccs && r.acc == q.acc && r.tpc == q.tpc);
	FUZZ_CHECK(r.protect == q.protect && r.encserv == q.encserv);
	FUZZ_CHECK(r.multip == q.multip && r.cmdque == q.cmdque);
	same_field(q.vendor, q.vendor_len, r.vendor, r.vendor_len);
	same_field(q.product, q.product_len, r.product, r.product_len);
	same_field(q.revision, q.revision_len, r.revision, r.revision_len);
	/* Encoding the re-decode is a fixed point. */
	FUZZ_CHECK(salua_inquiry_encode(&r, part, sizeof(part)) ==
		   (int)SALUA_INQ_STD_LEN);
	FUZZ_CHECK(memcmp(part, enc, sizeof(enc)) == 0);

	/* Short allocation lengths: a prefix, nothing written past it. */
	a = size % (SALUA_INQ_STD_LEN + 1);
	memset(part, 0xa5, sizeof(part));
	rc = salua_inquiry_encode(&q, part, a);
	FUZZ_CHECK(rc == (int)a);
	if (a)
		FUZZ_CHECK(memcmp(part, enc, a) == 0);
	for (; a < sizeof(part); a++)
		FUZZ_CHECK(part[a] == 0xa5);
	return 0;
}
