/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Encode -> decode round trips: the input is read as structured values
 * (byte 0 picks the codec), the target-side or initiator-side encoder
 * builds the wire bytes, the decoder must give back exactly those values.
 * Codecs: RTPG tables (both headers, cut allocation lengths), STPG lists,
 * VPD 0x83 designator lists, VPD 0x00/0x80, sense (both formats), CDBs,
 * standard INQUIRY.  Encoded bytes are copied into an exact-size heap
 * buffer before decoding, so ASan sees any over-read.
 */
#include "fuzz.h"

#define RT_GROUPS 32
#define RT_PORTS 16

/* The decoders read a heap copy of exactly the bytes the encoder wrote. */
static uint8_t *exact(const uint8_t *p, size_t n)
{
	uint8_t *c = (uint8_t *)malloc(n ? n : 1);

	FUZZ_CHECK(c != NULL);
	if (n)
		memcpy(c, p, n);
	return c;
}

static void rt_rtpg(struct fz *f)
{
	static struct salua_tpg_entry g[RT_GROUPS];
	static uint16_t ports[RT_GROUPS][RT_PORTS];
	static uint8_t enc[8 + RT_GROUPS * (8 + 4 * RT_PORTS)];
	enum salua_rtpg_format fmt = (fz_u8(f) & 1) ? SALUA_RTPG_EXTENDED :
						      SALUA_RTPG_CLASSIC;
	uint8_t itt = fz_u8(f);
	size_t n = fz_u8(f) % (RT_GROUPS + 1), i, cut, got;
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	unsigned p, pass;
	int len, w;
	uint8_t *c;

	for (i = 0; i < n; i++) {
		uint8_t b = fz_u8(f);

		g[i].tpg_id = fz_u16(f);
		g[i].state = (uint8_t)(b & 0x0fu);
		g[i].pref = (b & 0x80u) != 0;
		g[i].supported = fz_u8(f);
		g[i].status = fz_u8(f);
		g[i].vendor = fz_u8(f);
		g[i].nports = (uint8_t)(fz_u8(f) % (RT_PORTS + 1));
		for (p = 0; p < g[i].nports; p++)
			ports[i][p] = fz_u16(f);
		g[i].ports = ports[i];
	}
	len = salua_rtpg_encoded_len(fmt, g, n);
	FUZZ_CHECK(len >= 4 && (size_t)len <= sizeof(enc));
	w = salua_rtpg_encode(enc, sizeof(enc), fmt, itt, g, n);
	FUZZ_CHECK(w == len);
	FUZZ_CHECK(salua_rtpg_encode(NULL, 0, fmt, itt, g, n) == 0);

	/* Whole data, then cut at an allocation length from the input. */
	memset(&it, 0, sizeof(it));
	cut = fz_u16(f) % ((size_t)len + 1);
	for (pass = 0; pass < 2; pass++) {
		size_t l = pass ? cut : (size_t)len;
		int req;

		memset(enc, 0xa5, sizeof(enc));
		FUZZ_CHECK(salua_rtpg_encode(enc, l, fmt, itt, g, n) == (int)l);
		FUZZ_CHECK(l == sizeof(enc) || enc[l] == 0xa5);
		c = exact(enc, l);
		for (req = SALUA_RTPG_AUTO; req <= SALUA_RTPG_EXTENDED; req++) {
			int rc;

			if (req == SALUA_RTPG_CLASSIC && fmt != SALUA_RTPG_CLASSIC)
				continue;
			rc = salua_rtpg_parse(c, l, (enum salua_rtpg_format)req,
					      &info, &it);
			if (l < 4 || (fmt == SALUA_RTPG_EXTENDED && l < 8 &&
				      l > 4)) {
				FUZZ_CHECK(rc == -SALUA_ETRUNC);
				continue;
			}
			FUZZ_CHECK(rc == 0);
			FUZZ_CHECK(info.return_data_length == (uint32_t)len - 4u);
			FUZZ_CHECK(info.needed == (uint32_t)len);
			FUZZ_CHECK(info.truncated == (l < (size_t)len));
			if (l > 4)
				FUZZ_CHECK(info.format == fmt);
			if (fmt == SALUA_RTPG_EXTENDED && l > 5)
				FUZZ_CHECK(info.implicit_transition_time == itt);
			got = 0;
			while (salua_rtpg_next(&it, &d) == 1) {
				FUZZ_CHECK(got < n);
				FUZZ_CHECK(d.tpg_id == g[got].tpg_id &&
					   d.state == g[got].state &&
					   d.pref == g[got].pref);
				FUZZ_CHECK(d.supported == g[got].supported &&
					   d.status == g[got].status &&
					   d.vendor == g[got].vendor);
				FUZZ_CHECK(d.port_count == g[got].nports);
				for (p = 0; p < d.port_count; p++)
					FUZZ_CHECK(salua_tpg_desc_port(&d, p) ==
						   ports[got][p]);
				got++;
			}
			FUZZ_CHECK(got == info.ngroups);
			if (l == (size_t)len)
				FUZZ_CHECK(got == n);
			else /* only whole groups before the cut */
				FUZZ_CHECK(got <= n);
		}
		free(c);
	}
}

static void rt_stpg(struct fz *f)
{
	struct salua_stpg_desc d[64], r[64];
	uint8_t enc[4 + 4 * 64];
	size_t n = fz_u8(f) % 65, i, m;
	uint8_t sup = 0;
	int bad = -1, w;
	uint8_t *c;

	memset(d, 0, sizeof(d));
	for (i = 0; i < n; i++) {
		d[i].state = (uint8_t)(fz_u8(f) & 0x0fu);
		d[i].id = fz_u16(f);
		if (bad < 0 && (d[i].state == SALUA_STATE_TRANSITIONING ||
				!salua_state_sup_bit(d[i].state)))
			bad = (int)i;
		sup = (uint8_t)(sup | salua_state_sup_bit(d[i].state));
	}
	w = salua_stpg_encode(enc, sizeof(enc), d, n);
	if (bad >= 0) {
		FUZZ_CHECK(w == -SALUA_EINVAL);
		return;
	}
	FUZZ_CHECK(w == (int)(4 + 4 * n));
	if (w > 0)
		FUZZ_CHECK(salua_stpg_encode(enc, (size_t)w - 1u, d, n) ==
			   -SALUA_ENOSPC);
	c = exact(enc, (size_t)w);
	m = 64;
	FUZZ_CHECK(salua_stpg_decode(c, (size_t)w, 0, r, &m) == 0 && m == n);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(r[i].state == d[i].state && r[i].id == d[i].id);
	m = 64;
	FUZZ_CHECK(salua_stpg_decode(c, (size_t)w, sup ? sup : SALUA_SUP_ALL,
				     r, &m) == 0);
	/* A target missing one requested state refuses the whole list. */
	if (n) {
		uint8_t miss = salua_state_sup_bit(d[n - 1].state);

		m = 64;
		if ((uint8_t)(sup & ~miss))
			FUZZ_CHECK(salua_stpg_decode(c, (size_t)w,
						     (uint8_t)(sup & ~miss), r,
						     &m) == -SALUA_ENOTSUP);
	}
	free(c);
}

static void rt_vpd83(struct fz *f)
{
	static struct salua_vpd83_desig d[16];
	static uint8_t enc[4 + 16 * 259];
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig r;
	uint8_t periph = fz_u8(f);
	size_t n = fz_u8(f) % 17, i, vl;
	int w;
	uint8_t *c;

	for (i = 0; i < n; i++) {
		uint8_t a = fz_u8(f), b = fz_u8(f), want = fz_u8(f);

		salua_vpd83_desig_set(&d[i], (uint8_t)(b & 0x0fu),
				      (uint8_t)(a & 0x0fu),
				      (uint8_t)((b >> 4) & 3u), NULL, 0);
		d[i].proto = (uint8_t)(a >> 4);
		d[i].piv = (b & 0x80u) != 0;
		d[i].value = fz_bytes(f, want, &vl);
		d[i].len = (uint8_t)vl;
	}
	w = salua_vpd83_encode(enc, sizeof(enc), periph, d, n);
	FUZZ_CHECK(w >= 4 && (size_t)w <= sizeof(enc));
	c = exact(enc, (size_t)w);
	FUZZ_CHECK(salua_vpd83_iter_init(&it, c, (size_t)w) == 0);
	FUZZ_CHECK(it.pg.pq == periph >> 5 && it.pg.pdt == (periph & 0x1fu));
	FUZZ_CHECK(!it.pg.truncated && it.pg.len == (size_t)w);
	for (i = 0; i < n; i++) {
		struct salua_vpd83_desig chk = d[i];

		FUZZ_CHECK(salua_vpd83_next(&it, &r) == 1);
		FUZZ_CHECK(r.proto == d[i].proto && r.code_set == d[i].code_set);
		FUZZ_CHECK(r.piv == d[i].piv && r.assoc == d[i].assoc);
		FUZZ_CHECK(r.type == d[i].type && r.len == d[i].len);
		if (r.len)
			FUZZ_CHECK(memcmp(r.value, d[i].value, r.len) == 0);
		FUZZ_CHECK(salua_vpd83_check(&chk) == r.problems);
	}
	FUZZ_CHECK(salua_vpd83_next(&it, &r) == 0);
	free(c);
}

static void rt_vpd00_80(struct fz *f)
{
	uint8_t pages[64], enc[4 + 255], periph = fz_u8(f);
	size_t n = 0, i, sl;
	struct salua_vpd_page pg;
	const uint8_t *sn, *s;
	unsigned last = 0;
	int w;
	uint8_t *c;

	/* Strictly ascending list from increments. */
	for (i = fz_u8(f) % 65; i > 0; i--) {
		last += 1u + (fz_u8(f) & 7u);
		if (last > 0xff)
			break;
		pages[n++] = (uint8_t)last;
	}
	w = salua_vpd00_encode(enc, sizeof(enc), periph, pages, n);
	FUZZ_CHECK(w == (int)(4 + n));
	c = exact(enc, (size_t)w);
	FUZZ_CHECK(salua_vpd00_decode(c, (size_t)w, &pg) == (int)n);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(salua_vpd_supports(&pg, pages[i]));
	if (n)
		FUZZ_CHECK(memcmp(pg.p + 4, pages, n) == 0);
	free(c);

	s = fz_bytes(f, fz_u8(f), &sl);
	w = salua_vpd80_encode(enc, sizeof(enc), periph, s, sl);
	FUZZ_CHECK(w == (int)(4 + sl));
	c = exact(enc, (size_t)w);
	FUZZ_CHECK(salua_vpd80_serial(c, (size_t)w, &sn, &sl) == 0);
	FUZZ_CHECK(sl + 4u == (size_t)w && (sl == 0 || memcmp(sn, s, sl) == 0));
	/* One byte short: a partial serial number is never returned. */
	FUZZ_CHECK(salua_vpd80_serial(c, (size_t)w - 1u, &sn, &sl) ==
		   -SALUA_ETRUNC);
	free(c);
}

static void rt_sense(struct fz *f)
{
	struct salua_sense_spec sp;
	struct salua_sense s;
	uint8_t b[SALUA_SENSE_MAX_BUILD], flags = fz_u8(f);
	int w;
	uint8_t *c;

	memset(&sp, 0, sizeof(sp));
	sp.descriptor = (flags & 1) != 0;
	sp.deferred = (flags & 2) != 0;
	sp.has_info = (flags & 4) != 0;
	sp.has_sks = (flags & 8) != 0;
	sp.key = (uint8_t)(fz_u8(f) & 0x0fu);
	sp.asc = fz_u8(f);
	sp.ascq = fz_u8(f);
	sp.information = (uint64_t)fz_u32(f) << 32 | fz_u32(f);
	if (!sp.descriptor)
		sp.information &= 0xffffffffu;
	sp.sks[0] = (uint8_t)(fz_u8(f) | SALUA_SKS_SKSV);
	sp.sks[1] = fz_u8(f);
	sp.sks[2] = fz_u8(f);
	w = salua_sense_build(b, sizeof(b), &sp);
	FUZZ_CHECK(w > 0);
	c = exact(b, (size_t)w);
	FUZZ_CHECK(salua_sense_normalize(c, (size_t)w, &s) == 0);
	FUZZ_CHECK(!s.truncated && s.len == (size_t)w);
	FUZZ_CHECK(s.descriptor == sp.descriptor && s.deferred == sp.deferred);
	FUZZ_CHECK(s.key == sp.key && s.has_asc && s.asc == sp.asc &&
		   s.ascq == sp.ascq);
	FUZZ_CHECK(s.has_info == sp.has_info);
	if (sp.has_info)
		FUZZ_CHECK(s.information == sp.information);
	FUZZ_CHECK(s.has_sks == sp.has_sks);
	if (sp.has_sks)
		FUZZ_CHECK(memcmp(s.sks, sp.sks, 3) == 0);
	free(c);
	/* The short builders. */
	w = sp.descriptor ? salua_sense_build_desc(b, sizeof(b), sp.key,
						   sp.asc, sp.ascq) :
			    salua_sense_build_fixed(b, sizeof(b), sp.key,
						    sp.asc, sp.ascq);
	FUZZ_CHECK(w == (sp.descriptor ? 8 : 18));
	c = exact(b, (size_t)w);
	FUZZ_CHECK(salua_sense_normalize(c, (size_t)w, &s) == 0);
	FUZZ_CHECK(salua_sense_asc(&s) == SALUA_ASCQ(sp.asc, sp.ascq) &&
		   s.key == sp.key && !s.has_info && !s.has_sks);
	free(c);
}

static void rt_cdb(struct fz *f)
{
	uint8_t b[SALUA_CDB12_LEN], kind = fz_u8(f) & 3u;
	struct salua_cdb c;
	uint32_t v = fz_u32(f);
	bool evpd = (v & 0x100u) != 0;
	uint8_t page = evpd ? (uint8_t)v : 0;
	int w = -1;
	uint8_t *h;

	switch (kind) {
	case 0:
		w = salua_cdb_tur(b, sizeof(b));
		break;
	case 1:
		w = salua_cdb_inquiry(b, sizeof(b), evpd, page,
				      (uint16_t)(v >> 16));
		break;
	case 2:
		w = salua_cdb_rtpg(b, sizeof(b), (v >> 31) ? 1u : 0u, v);
		break;
	default:
		w = salua_cdb_stpg(b, sizeof(b), v);
		break;
	}
	FUZZ_CHECK(w == 6 || w == 12);
	FUZZ_CHECK((unsigned)w == salua_cdb_len(b[0]));
	h = exact(b, (size_t)w);
	FUZZ_CHECK(salua_cdb_parse(h, (size_t)w, &c) == 0);
	FUZZ_CHECK(c.cdb_len == w && c.control == 0 && c.err_asc == 0);
	switch (kind) {
	case 0:
		FUZZ_CHECK(c.opcode == SALUA_OP_TEST_UNIT_READY);
		break;
	case 1:
		FUZZ_CHECK(c.opcode == SALUA_OP_INQUIRY && c.evpd == evpd &&
			   c.page == page && c.alloc_len == v >> 16);
		break;
	case 2:
		FUZZ_CHECK(c.opcode == SALUA_OP_MAINTENANCE_IN &&
			   c.pdf == (v >> 31) && c.alloc_len == v &&
			   c.service_action == SALUA_SA_REPORT_TPGS);
		break;
	default:
		FUZZ_CHECK(c.opcode == SALUA_OP_MAINTENANCE_OUT &&
			   c.param_len == v &&
			   c.service_action == SALUA_SA_SET_TPGS);
		break;
	}
	/* One byte short is refused as truncated, without over-reading. */
	FUZZ_CHECK(salua_cdb_parse(h, (size_t)w - 1u, &c) == -SALUA_ETRUNC);
	free(h);
	FUZZ_CHECK(salua_cdb_inquiry(b, sizeof(b), false, 1, 0) ==
		   -SALUA_EINVAL);
}

static void field(struct fz *f, size_t max, const uint8_t **v, size_t *n)
{
	*v = fz_bytes(f, fz_u8(f) % (max + 1), n);
	if (!*n && (fz_u8(f) & 1))
		*v = NULL;
}

static void rt_inquiry(struct fz *f)
{
	struct salua_inquiry q, r;
	uint8_t b[SALUA_INQ_STD_LEN], x = fz_u8(f), y = fz_u8(f);
	size_t a = fz_u8(f) % (SALUA_INQ_STD_LEN + 1), i;
	int w;
	uint8_t *c;

	memset(&q, 0, sizeof(q));
	q.pq = (uint8_t)(x >> 5);
	q.pdt = (uint8_t)(x & 0x1fu);
	q.rmb = (y & 1) != 0;
	q.lu_cong = (y & 2) != 0;
	q.normaca = (y & 4) != 0;
	q.hisup = (y & 8) != 0;
	q.sccs = (y & 16) != 0;
	q.acc = (y & 32) != 0;
	q.tpc = (y & 64) != 0;
	q.protect = (y & 128) != 0;
	y = fz_u8(f);
	q.encserv = (y & 1) != 0;
	q.multip = (y & 2) != 0;
	q.cmdque = (y & 4) != 0;
	q.tpgs = (y >> 4) & 3;
	q.rdf = (uint8_t)(fz_u8(f) & 0x0fu);
	q.version = fz_u8(f);
	field(f, SALUA_INQ_VENDOR_LEN, &q.vendor, &q.vendor_len);
	field(f, SALUA_INQ_PRODUCT_LEN, &q.product, &q.product_len);
	field(f, SALUA_INQ_REVISION_LEN, &q.revision, &q.revision_len);
	w = salua_inquiry_encode(&q, b, a);
	FUZZ_CHECK(w == (int)a);
	if (!a)
		return;
	c = exact(b, a);
	FUZZ_CHECK(salua_inquiry_decode(c, a, &r) == 0);
	FUZZ_CHECK(r.pq == q.pq && r.pdt == q.pdt);
	FUZZ_CHECK(r.truncated == (a < SALUA_INQ_STD_LEN));
	if (a > 1)
		FUZZ_CHECK(r.rmb == q.rmb && r.lu_cong == q.lu_cong);
	if (a > 2)
		FUZZ_CHECK(r.version == q.version);
	if (a > 3)
		FUZZ_CHECK(r.normaca == q.normaca && r.hisup == q.hisup &&
			   r.rdf == q.rdf);
	if (a > 5)
		FUZZ_CHECK(r.tpgs == q.tpgs && r.sccs == q.sccs &&
			   r.acc == q.acc && r.tpc == q.tpc &&
			   r.protect == q.protect);
	else
		FUZZ_CHECK(r.tpgs == -1);
	if (a > 6)
		FUZZ_CHECK(r.encserv == q.encserv && r.multip == q.multip);
	if (a > 7)
		FUZZ_CHECK(r.cmdque == q.cmdque);
	/* Views: what arrived of each field, value then space padding. */
	for (i = 0; i < r.vendor_len; i++)
		FUZZ_CHECK(r.vendor[i] == (i < q.vendor_len ? q.vendor[i] : ' '));
	for (i = 0; i < r.product_len; i++)
		FUZZ_CHECK(r.product[i] ==
			   (i < q.product_len ? q.product[i] : ' '));
	for (i = 0; i < r.revision_len; i++)
		FUZZ_CHECK(r.revision[i] ==
			   (i < q.revision_len ? q.revision[i] : ' '));
	free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;

	fz_init(&f, data, size);
	switch (fz_u8(&f) % 7u) {
	case 0: rt_rtpg(&f); break;
	case 1: rt_stpg(&f); break;
	case 2: rt_vpd83(&f); break;
	case 3: rt_vpd00_80(&f); break;
	case 4: rt_sense(&f); break;
	case 5: rt_cdb(&f); break;
	default: rt_inquiry(&f); break;
	}
	return 0;
}
