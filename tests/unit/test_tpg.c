/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * REPORT / SET TARGET PORT GROUPS codecs (salua/tpg.h): exact decodes of
 * real answers (sg3_utils' test buffer, scsi_debug, istgt, LIO's short
 * extended header), every truncation length behind a guard page, large
 * groups, randomized encode/decode round trips at every allocation length
 * with a canary, and the STPG parameter list both ways.
 */
#include "salua/tpg.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

/* A decode fully expanded, to compare whole answers at once. */
struct xgroup {
	uint8_t byte0, supported, status, vendor, nports;
	uint16_t tpg;
	uint16_t ports[255];
};

/* xorshift32: deterministic, seed fixed so failures reproduce. */
static uint32_t rng_state = 0x2545f491u;
static uint32_t rnd(void)
{
	return t_xorshift32(&rng_state);
}

/* Decode @len bytes placed before a guard page into @g (up to @cap). */
static int decode_guarded(const uint8_t *data, size_t len,
			  enum salua_rtpg_format req,
			  struct salua_rtpg_info *info, struct xgroup *g,
			  size_t cap, size_t *got)
{
	struct guard gd;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	const uint8_t *p = guard_place(&gd, data, len);
	size_t n = 0;
	unsigned k;
	int rc = salua_rtpg_parse(p, len, req, info, &it);

	if (rc == 0) {
		while (salua_rtpg_next(&it, &d) == 1) {
			if (n < cap) {
				g[n].byte0 = d.byte0;
				g[n].supported = d.supported;
				g[n].status = d.status;
				g[n].vendor = d.vendor;
				g[n].nports = d.port_count;
				g[n].tpg = d.tpg_id;
				CHECK_EQ(d.state, d.byte0 & 0x0f);
				CHECK_EQ(d.pref, (d.byte0 & 0x80) != 0);
				for (k = 0; k < d.port_count; k++)
					g[n].ports[k] = salua_tpg_desc_port(&d, k);
				CHECK_EQ(salua_tpg_desc_port(&d, d.port_count), 0);
			}
			n++;
		}
	}
	guard_free(&gd);
	*got = n;
	return rc;
}

static struct xgroup xg[64], xg2[64];

static int xg_eq(const struct xgroup *a, const struct xgroup *b)
{
	return a->byte0 == b->byte0 && a->supported == b->supported &&
	       a->status == b->status && a->vendor == b->vendor &&
	       a->nports == b->nports && a->tpg == b->tpg &&
	       memcmp(a->ports, b->ports, 2u * a->nports) == 0;
}

static void test_vector(void)
{
	uint8_t b[64];
	struct salua_rtpg_info info;
	size_t n, got;
	char s[8];

	T_CASE("vector rtpg_sg3utils_testcode_dummy");
	n = t_load_hex(b, sizeof(b), "%s/%s", SALUA_VECTORS_DIR,
		       "rtpg/rtpg_sg3utils_testcode_dummy.hex");
	CHECK_EQ(n, 32);
	CHECK_EQ(decode_guarded(b, n, SALUA_RTPG_AUTO, &info, xg, 64, &got), 0);
	CHECK_EQ(info.format, SALUA_RTPG_CLASSIC);
	CHECK_EQ(info.return_data_length, 28);
	CHECK_EQ(info.hdr_len, 4);
	CHECK_EQ(info.received, 32);
	CHECK_EQ(info.needed, 32);
	CHECK_EQ(info.truncated, 0);
	CHECK_EQ(info.ngroups, 2);
	CHECK_EQ(info.complete_len, 32);
	CHECK_EQ(info.implicit_transition_time, 0);
	CHECK_EQ(got, 2);
	/* TPG 0x0001: AO, PREF=1, supported 0x03, status 2, 2 ports 1, 2 */
	CHECK_EQ(xg[0].tpg, 1);
	CHECK_EQ(xg[0].byte0, 0x80);
	CHECK_EQ(xg[0].supported, 0x03);
	CHECK_EQ(xg[0].status, SALUA_TPG_STATUS_BY_IMPLICIT);
	CHECK_EQ(xg[0].vendor, 0);
	CHECK_EQ(xg[0].nports, 2);
	CHECK_EQ(xg[0].ports[0], 1);
	CHECK_EQ(xg[0].ports[1], 2);
	/* TPG 0x0002: ANO, PREF=0, supported 0x03, status 0, 1 port 3 */
	CHECK_EQ(xg[1].tpg, 2);
	CHECK_EQ(xg[1].byte0, 0x01);
	CHECK_EQ(xg[1].supported, 0x03);
	CHECK_EQ(xg[1].status, SALUA_TPG_STATUS_NONE);
	CHECK_EQ(xg[1].nports, 1);
	CHECK_EQ(xg[1].ports[0], 3);
	CHECK_EQ(salua_rtpg_supported_str(xg[0].supported, s, sizeof(s)), 7);
	CHECK_STR(s, "tolusNA");
}

/* Check every prefix of @full: complete groups only, exact flags. */
static void check_truncations(const char *name, const uint8_t *full,
			      size_t flen, enum salua_rtpg_format req,
			      const size_t *ends, size_t nends, uint32_t needed,
			      size_t hdr)
{
	struct salua_rtpg_info info, ref;
	size_t L, k, got, want;
	int rc;

	T_CASE(name);
	CHECK_EQ(decode_guarded(full, flen, req, &ref, xg2, 64, &got), 0);
	for (L = 0; L <= flen; L++) {
		rc = decode_guarded(full, L, req, &info, xg, 64, &got);
		if (L < 4 || (hdr == 8 && L < 8 && L > 4)) {
			CHECK_EQ(rc, -SALUA_ETRUNC);
			CHECK_EQ(info.truncated, 1);
			CHECK_EQ(info.ngroups, 0);
			continue;
		}
		CHECK_EQ(rc, 0);
		want = 0;
		for (k = 0; k < nends; k++)
			if (ends[k] <= L)
				want = k + 1;
		CHECK_EQ(info.ngroups, want);
		CHECK_EQ(got, want);
		CHECK_EQ(info.needed, needed);
		CHECK_EQ(info.received, L);
		CHECK_EQ(info.truncated, L < needed);
		CHECK_EQ(info.complete_len, L == 4 && hdr == 8 ? 4 : (want ? ends[want - 1] : hdr));
		for (k = 0; k < want; k++)
			CHECK(xg_eq(&xg[k], &xg2[k]));
	}
}

static void test_scsi_debug(void)
{
	/* scsi_debug host 2 (ALUA-FACTS §2): classic header, 28 bytes. */
	uint8_t b[28];
	struct salua_rtpg_info info;
	size_t got;
	size_t ends[2] = {16, 28};
	char s[8];
	size_t i = 0;

	T_CASE("scsi_debug answer");
	b[i++] = 0x00; b[i++] = 0x00; b[i++] = 0x00; b[i++] = 0x18; /* RDL 24 */
	b[i++] = 0x02;			/* standby, PREF=0 */
	b[i++] = 0x0f;			/* U S AN AO supported */
	b[i++] = 0x03; b[i++] = 0x00;	/* TPG 0x0300 */
	b[i++] = 0x00;			/* reserved */
	b[i++] = 0x00;			/* status */
	b[i++] = 0x00;			/* vendor */
	b[i++] = 0x01;			/* one port */
	b[i++] = 0x00; b[i++] = 0x00; b[i++] = 0x00; b[i++] = 0x01; /* RTPI 1 */
	b[i++] = 0x03;			/* unavailable */
	b[i++] = 0x08;			/* U supported */
	b[i++] = 0x03; b[i++] = 0x80;	/* TPG 0x0380 */
	b[i++] = 0x00; b[i++] = 0x00; b[i++] = 0x00; b[i++] = 0x01;
	b[i++] = 0x00; b[i++] = 0x00; b[i++] = 0x00; b[i++] = 0x02; /* RTPI 2 */
	CHECK_EQ(i, 28);
	/* asked for the extended header, answered classic: branch on byte 4 */
	CHECK_EQ(decode_guarded(b, 28, SALUA_RTPG_EXTENDED, &info, xg, 64, &got), 0);
	CHECK_EQ(info.format, SALUA_RTPG_CLASSIC);
	CHECK_EQ(info.hdr_len, 4);
	CHECK_EQ(info.return_data_length, 24);
	CHECK_EQ(info.ngroups, 2);
	CHECK_EQ(info.truncated, 0);
	CHECK_EQ(info.implicit_transition_time, 0);
	CHECK_EQ(xg[0].tpg, 0x0300);
	CHECK_EQ(xg[0].byte0 & 0x0f, SALUA_STATE_STANDBY);
	CHECK_EQ(xg[0].byte0 & 0x80, 0);
	CHECK_EQ(xg[0].supported, 0x0f);
	CHECK_EQ(xg[0].nports, 1);
	CHECK_EQ(xg[0].ports[0], 1);
	CHECK_EQ(xg[1].tpg, 0x0380);
	CHECK_EQ(xg[1].byte0, SALUA_STATE_UNAVAILABLE);
	CHECK_EQ(xg[1].supported, 0x08);
	CHECK_EQ(xg[1].ports[0], 2);
	salua_rtpg_supported_str(xg[0].supported, s, sizeof(s));
	CHECK_STR(s, "tolUSNA");
	salua_rtpg_supported_str(xg[1].supported, s, sizeof(s));
	CHECK_STR(s, "tolUsna");
	check_truncations("scsi_debug every truncation", b, 28,
			  SALUA_RTPG_EXTENDED, ends, 2, 28, 4);
	check_truncations("scsi_debug every truncation (auto)", b, 28,
			  SALUA_RTPG_AUTO, ends, 2, 28, 4);
}

static void test_istgt(void)
{
	/* istgt 0.4 capture (USERSPACE-FACTS §4), 2 portal groups. */
	uint8_t b[64];
	struct salua_rtpg_info info;
	size_t got, n;
	size_t ends[2] = {16, 32};

	T_CASE("istgt answer");
	n = t_hex("00 00 00 1c 80 03 00 01 00 02 00 01 00 00 00 01 "
		  "80 03 00 02 00 02 00 02 00 00 00 02 00 00 00 03", b, sizeof(b));
	CHECK_EQ(n, 32);
	CHECK_EQ(decode_guarded(b, n, SALUA_RTPG_CLASSIC, &info, xg, 64, &got), 0);
	CHECK_EQ(info.ngroups, 2);
	CHECK_EQ(info.truncated, 0);
	CHECK_EQ(xg[0].tpg, 1);
	CHECK_EQ(xg[0].byte0, 0x80);
	CHECK_EQ(xg[0].supported, 0x03);
	CHECK_EQ(xg[0].status, 2);
	CHECK_EQ(xg[0].nports, 1);
	CHECK_EQ(xg[0].ports[0], 1);
	CHECK_EQ(xg[1].tpg, 2);
	CHECK_EQ(xg[1].byte0, 0x80);
	CHECK_EQ(xg[1].status, 2);
	CHECK_EQ(xg[1].nports, 2);
	CHECK_EQ(xg[1].ports[0], 2);
	CHECK_EQ(xg[1].ports[1], 3);

	T_CASE("istgt answer cut at allocation length 16");
	CHECK_EQ(decode_guarded(b, 16, SALUA_RTPG_AUTO, &info, xg, 64, &got), 0);
	CHECK_EQ(info.return_data_length, 28);
	CHECK_EQ(info.needed, 32);
	CHECK_EQ(info.truncated, 1);
	CHECK_EQ(info.ngroups, 1);
	CHECK_EQ(info.complete_len, 16);
	CHECK_EQ(got, 1);
	CHECK_EQ(xg[0].tpg, 1);
	check_truncations("istgt every truncation", b, 32, SALUA_RTPG_AUTO,
			  ends, 2, 32, 4);
}

static const uint16_t lio_p1[2] = {1, 2}, lio_p2[1] = {3};

static void lio_groups(struct salua_tpg_entry *g)
{
	memset(g, 0, 2 * sizeof(*g));
	g[0].tpg_id = 0x10;
	g[0].state = SALUA_STATE_AO;
	g[0].pref = true;
	g[0].supported = 0xcf; /* LIO's default */
	g[0].status = SALUA_TPG_STATUS_BY_STPG;
	g[0].nports = 2;
	g[0].ports = lio_p1;
	g[1].tpg_id = 0x20;
	g[1].state = SALUA_STATE_STANDBY;
	g[1].supported = 0xcf;
	g[1].nports = 1;
	g[1].ports = lio_p2;
}

static void test_extended_and_lio(void)
{
	struct salua_tpg_entry g[2];
	uint8_t b[64], want[64];
	struct salua_rtpg_info info;
	size_t got, n;
	size_t ends[2] = {24, 36};
	size_t qends[2] = {24, 36};

	lio_groups(g);
	T_CASE("extended header encode, byte-exact");
	n = t_hex("00 00 00 20 10 3c 00 00 "
		  "80 cf 00 10 00 01 00 02 00 00 00 01 00 00 00 02 "
		  "02 cf 00 20 00 00 00 01 00 00 00 03", want, sizeof(want));
	CHECK_EQ(n, 36);
	CHECK_EQ(salua_rtpg_encoded_len(SALUA_RTPG_EXTENDED, g, 2), 36);
	CHECK_EQ(salua_rtpg_encode(b, sizeof(b), SALUA_RTPG_EXTENDED, 60, g, 2), 36);
	CHECK_MEM(b, want, 36);
	CHECK_EQ(decode_guarded(b, 36, SALUA_RTPG_EXTENDED, &info, xg, 64, &got), 0);
	CHECK_EQ(info.format, SALUA_RTPG_EXTENDED);
	CHECK_EQ(info.hdr_len, 8);
	CHECK_EQ(info.implicit_transition_time, 60);
	CHECK_EQ(info.return_data_length, 32);
	CHECK_EQ(info.ngroups, 2);
	CHECK_EQ(info.truncated, 0);
	CHECK_EQ(xg[0].byte0, 0x80);
	CHECK_EQ(xg[0].status, 1);
	CHECK_EQ(xg[1].ports[0], 3);
	check_truncations("extended every truncation", b, 36,
			  SALUA_RTPG_EXTENDED, ends, 2, 36, 8);
	check_truncations("extended every truncation (auto)", b, 36,
			  SALUA_RTPG_AUTO, ends, 2, 36, 8);

	T_CASE("extended data decoded as classic when classic was requested");
	CHECK_EQ(decode_guarded(b, 36, SALUA_RTPG_CLASSIC, &info, xg, 64, &got), 0);
	CHECK_EQ(info.format, SALUA_RTPG_CLASSIC);
	CHECK_EQ(info.hdr_len, 4);
	/* header bytes 4..11 read as a descriptor whose port count is 0x10 */
	CHECK_EQ(info.ngroups, 0);
	CHECK_EQ(info.truncated, 1);
	CHECK_EQ(info.complete_len, 4);

	T_CASE("LIO 6.1 quirk: RDL leaves out the extended header, 4 bytes short");
	memcpy(b, want, 36);
	salua_put_be32(b, 28);
	CHECK_EQ(decode_guarded(b, 32, SALUA_RTPG_EXTENDED, &info, xg, 64, &got), 0);
	CHECK_EQ(info.format, SALUA_RTPG_EXTENDED);
	CHECK_EQ(info.implicit_transition_time, 60);
	CHECK_EQ(info.return_data_length, 28);
	CHECK_EQ(info.needed, 32);
	CHECK_EQ(info.received, 32);
	CHECK_EQ(info.ngroups, 1);
	CHECK_EQ(info.truncated, 1);
	CHECK_EQ(info.complete_len, 24);
	CHECK_EQ(got, 1);
	CHECK_EQ(xg[0].tpg, 0x10);
	CHECK_EQ(xg[0].nports, 2);
	CHECK_EQ(xg[0].ports[1], 2);
	/* every prefix of the quirky transfer: never more than group 1 */
	qends[1] = 1000; /* group 2 never completes inside 32 bytes */
	{
		size_t L;

		T_CASE("LIO quirk every truncation");
		for (L = 8; L <= 32; L++) {
			CHECK_EQ(decode_guarded(b, L, SALUA_RTPG_AUTO, &info, xg, 64, &got), 0);
			CHECK_EQ(info.ngroups, L >= qends[0] ? 1 : 0);
			CHECK_EQ(info.truncated, 1);
			CHECK_EQ(info.needed, 32);
		}
	}
}

static void test_big(void)
{
	static uint16_t ports[255];
	static uint8_t b[2048];
	static struct salua_tpg_entry g[32];
	struct salua_rtpg_info info;
	size_t got, k;
	unsigned i;
	int len;

	T_CASE("one group of 255 ports");
	for (i = 0; i < 255; i++)
		ports[i] = (uint16_t)(0xff00u + i);
	memset(g, 0, sizeof(g));
	g[0].tpg_id = 0xbeef;
	g[0].state = SALUA_STATE_LBA_DEPENDENT;
	g[0].supported = SALUA_SUP_ALL;
	g[0].nports = 255;
	g[0].ports = ports;
	len = salua_rtpg_encode(b, sizeof(b), SALUA_RTPG_CLASSIC, 0, g, 1);
	CHECK_EQ(len, 4 + 8 + 1020);
	CHECK_EQ(salua_get_be32(b), 1028);
	CHECK_EQ(b[11], 255);
	CHECK_EQ(decode_guarded(b, (size_t)len, SALUA_RTPG_AUTO, &info, xg, 64, &got), 0);
	CHECK_EQ(info.ngroups, 1);
	CHECK_EQ(xg[0].nports, 255);
	CHECK_EQ(xg[0].tpg, 0xbeef);
	CHECK_EQ(xg[0].byte0, 0x04);
	CHECK_MEM(xg[0].ports, ports, sizeof(ports));
	CHECK_EQ(decode_guarded(b, (size_t)len - 1, SALUA_RTPG_AUTO, &info, xg, 64, &got), 0);
	CHECK_EQ(info.ngroups, 0);
	CHECK_EQ(info.truncated, 1);
	CHECK_EQ(info.needed, 1032);

	T_CASE("32 groups");
	for (i = 0; i < 32; i++) {
		g[i].tpg_id = (uint16_t)(i * 3 + 1);
		g[i].state = (uint8_t)(i % 5);
		g[i].pref = (i & 1) != 0;
		g[i].supported = (uint8_t)(0x1f ^ i);
		g[i].status = (uint8_t)(i % 3);
		g[i].vendor = (uint8_t)(0xa0 + i);
		g[i].nports = (uint8_t)(i % 4);
		g[i].ports = ports + i;
	}
	len = salua_rtpg_encode(b, sizeof(b), SALUA_RTPG_EXTENDED, 255, g, 32);
	CHECK_EQ(len, 8 + 32 * 8 + 4 * (8 * (0 + 1 + 2 + 3)));
	CHECK_EQ(decode_guarded(b, (size_t)len, SALUA_RTPG_AUTO, &info, xg, 64, &got), 0);
	CHECK_EQ(info.ngroups, 32);
	CHECK_EQ(info.implicit_transition_time, 255);
	CHECK_EQ(info.truncated, 0);
	for (k = 0; k < 32; k++) {
		CHECK_EQ(xg[k].tpg, k * 3 + 1);
		CHECK_EQ(xg[k].byte0, ((k & 1) ? 0x80 : 0) | (k % 5));
		CHECK_EQ(xg[k].supported, 0x1f ^ k);
		CHECK_EQ(xg[k].status, k % 3);
		CHECK_EQ(xg[k].vendor, 0xa0 + k);
		CHECK_EQ(xg[k].nports, k % 4);
		if (k % 4)
			CHECK_EQ(xg[k].ports[k % 4 - 1], 0xff00 + k + k % 4 - 1);
	}
}

static void test_roundtrip(void)
{
	static uint16_t ports[16][255];
	static struct salua_tpg_entry g[16];
	static uint8_t full[4 + 8 + 16 * 1028], buf[sizeof(full) + 16];
	struct salua_rtpg_info info;
	unsigned iter, i, k;
	size_t ends[16], a, got;
	unsigned long bad_canary = 0, bad_prefix = 0, bad_decode = 0;

	T_CASE("randomized round trips at every allocation length");
	for (iter = 0; iter < 300; iter++) {
		enum salua_rtpg_format fmt = (rnd() & 1) ? SALUA_RTPG_EXTENDED
							 : SALUA_RTPG_CLASSIC;
		size_t ng = rnd() % 7, off, flen;
		int len;
		uint8_t itt = (uint8_t)rnd();

		off = fmt == SALUA_RTPG_EXTENDED ? 8 : 4;
		for (i = 0; i < ng; i++) {
			uint32_t r = rnd();
			g[i].tpg_id = (uint16_t)rnd();
			g[i].state = (uint8_t)(r & 0x0f);
			g[i].pref = (r >> 4) & 1;
			g[i].supported = (uint8_t)(r >> 8);
			g[i].status = (uint8_t)(r >> 16);
			g[i].vendor = (uint8_t)(r >> 24);
			g[i].nports = (uint8_t)((iter % 50 == 7 && i == 0) ? 255 : rnd() % 5);
			for (k = 0; k < g[i].nports; k++)
				ports[i][k] = (uint16_t)rnd();
			g[i].ports = g[i].nports ? ports[i] : NULL;
			off += 8 + 4u * g[i].nports;
			ends[i] = off;
		}
		flen = off;
		len = salua_rtpg_encode(full, sizeof(full), fmt, itt, g, ng);
		CHECK_EQ(len, flen);
		CHECK_EQ(salua_rtpg_encoded_len(fmt, g, ng), flen);
		CHECK_EQ(salua_get_be32(full), flen - 4);
		for (a = 0; a <= flen; a++) {
			size_t j;

			memset(buf, 0xa5, sizeof(buf));
			len = salua_rtpg_encode(buf, a, fmt, itt, g, ng);
			if (len != (int)a)
				bad_prefix++;
			for (j = a; j < flen + 16; j++)
				if (buf[j] != 0xa5) {
					bad_canary++;
					break;
				}
			if (memcmp(buf, full, a) != 0)
				bad_prefix++;
			/* decode the prefix as the initiator would see it */
			{
				int rc = decode_guarded(buf, a, (a & 1) ? SALUA_RTPG_AUTO : fmt,
							&info, xg, 64, &got);
				size_t want = 0;

				for (k = 0; k < ng; k++)
					if (ends[k] <= a)
						want = k + 1;
				if (a < 4 || (fmt == SALUA_RTPG_EXTENDED && a > 4 && a < 8)) {
					if (rc != -SALUA_ETRUNC)
						bad_decode++;
					continue;
				}
				if (rc != 0 || info.ngroups != want || got != want ||
				    info.needed != flen || info.truncated != (a < flen) ||
				    (a >= 8 && info.format != fmt) ||
				    (a >= 8 && fmt == SALUA_RTPG_EXTENDED &&
				     info.implicit_transition_time != itt))
					bad_decode++;
				for (k = 0; k < want; k++) {
					unsigned p;

					if (xg[k].tpg != g[k].tpg_id ||
					    xg[k].byte0 != ((g[k].pref ? 0x80 : 0) | g[k].state) ||
					    xg[k].supported != g[k].supported ||
					    xg[k].status != g[k].status ||
					    xg[k].vendor != g[k].vendor ||
					    xg[k].nports != g[k].nports)
						bad_decode++;
					for (p = 0; p < g[k].nports; p++)
						if (xg[k].ports[p] != g[k].ports[p])
							bad_decode++;
				}
			}
		}
	}
	CHECK_EQ(bad_canary, 0);
	CHECK_EQ(bad_prefix, 0);
	CHECK_EQ(bad_decode, 0);
}

static void test_rtpg_errors(void)
{
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	struct salua_tpg_entry g[2];
	uint8_t b[16];

	T_CASE("RTPG argument errors");
	memset(b, 0, sizeof(b));
	CHECK_EQ(salua_rtpg_parse(b, 8, SALUA_RTPG_AUTO, NULL, NULL), -SALUA_EINVAL);
	CHECK_EQ(salua_rtpg_parse(NULL, 8, SALUA_RTPG_AUTO, &info, NULL), -SALUA_EINVAL);
	CHECK_EQ(salua_rtpg_parse(b, 8, (enum salua_rtpg_format)7, &info, NULL),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_rtpg_parse(NULL, 0, SALUA_RTPG_AUTO, &info, &it), -SALUA_ETRUNC);
	CHECK_EQ(salua_rtpg_next(&it, &d), 0);
	CHECK_EQ(salua_rtpg_parse(b, 3, SALUA_RTPG_AUTO, &info, &it), -SALUA_ETRUNC);
	CHECK_EQ(info.received, 3);
	CHECK_EQ(info.truncated, 1);

	T_CASE("RTPG empty answer, and extra bytes past the announced length");
	CHECK_EQ(salua_rtpg_parse(b, 4, SALUA_RTPG_EXTENDED, &info, &it), 0);
	CHECK_EQ(info.ngroups, 0);
	CHECK_EQ(info.truncated, 0);
	CHECK_EQ(info.needed, 4);
	CHECK_EQ(salua_rtpg_next(&it, &d), 0);
	b[4] = 0x10; /* outside RDL + 4 = 4: not read, so classic */
	CHECK_EQ(salua_rtpg_parse(b, 16, SALUA_RTPG_EXTENDED, &info, &it), 0);
	CHECK_EQ(info.format, SALUA_RTPG_CLASSIC);
	CHECK_EQ(info.ngroups, 0);
	CHECK_EQ(info.truncated, 0);
	CHECK_EQ(info.complete_len, 4);

	T_CASE("RTPG length field saturates needed");
	memset(b, 0xff, 4);
	b[4] = 0;
	CHECK_EQ(salua_rtpg_parse(b, 8, SALUA_RTPG_AUTO, &info, &it), 0);
	CHECK(info.needed == 0xffffffffu);
	CHECK_EQ(info.truncated, 1);
	CHECK_EQ(info.ngroups, 0);

	T_CASE("RTPG cut extended header");
	t_hex("00 00 00 08 10 05 00 00", b, 8);
	CHECK_EQ(salua_rtpg_parse(b, 6, SALUA_RTPG_AUTO, &info, NULL), -SALUA_ETRUNC);
	CHECK_EQ(info.format, SALUA_RTPG_EXTENDED);
	CHECK_EQ(info.implicit_transition_time, 5);
	CHECK_EQ(info.needed, 12);
	t_hex("00 00 00 02 10 05 00 00", b, 8); /* RDL too short for the header */
	CHECK_EQ(salua_rtpg_parse(b, 8, SALUA_RTPG_AUTO, &info, NULL), -SALUA_ETRUNC);

	T_CASE("RTPG encoder argument errors");
	lio_groups(g);
	CHECK_EQ(salua_rtpg_encode(b, 16, (enum salua_rtpg_format)-1, 0, g, 2), -SALUA_EINVAL);
	CHECK_EQ(salua_rtpg_encode(b, 16, SALUA_RTPG_CLASSIC, 0, NULL, 2), -SALUA_EINVAL);
	CHECK_EQ(salua_rtpg_encode(NULL, 16, SALUA_RTPG_CLASSIC, 0, g, 2), -SALUA_EINVAL);
	CHECK_EQ(salua_rtpg_encode(NULL, 0, SALUA_RTPG_CLASSIC, 0, g, 2), 0);
	CHECK_EQ(salua_rtpg_encode(b, 16, SALUA_RTPG_CLASSIC, 0, NULL, 0), 4);
	CHECK_EQ(salua_get_be32(b), 0);
	g[1].state = 0x10;
	CHECK_EQ(salua_rtpg_encode(b, 16, SALUA_RTPG_CLASSIC, 0, g, 2), -SALUA_EINVAL);
	g[1].state = 0;
	g[1].ports = NULL;
	CHECK_EQ(salua_rtpg_encode(b, 16, SALUA_RTPG_CLASSIC, 0, g, 2), -SALUA_EINVAL);
	CHECK_EQ(salua_rtpg_encoded_len(SALUA_RTPG_CLASSIC, g, 2), -SALUA_EINVAL);
}

static void test_supported_str(void)
{
	char s[8];

	T_CASE("supported bits as kernel log letters");
	CHECK_EQ(salua_rtpg_supported_str(0x0f, s, sizeof(s)), 7);
	CHECK_STR(s, "tolUSNA");
	salua_rtpg_supported_str(0xdf, s, sizeof(s));
	CHECK_STR(s, "TOLUSNA");
	salua_rtpg_supported_str(0x20, s, sizeof(s));
	CHECK_STR(s, "tolusna");
	salua_rtpg_supported_str(0xcf, s, sizeof(s));
	CHECK_STR(s, "TOlUSNA");
	salua_rtpg_supported_str(SALUA_SUP_LBD, s, sizeof(s));
	CHECK_STR(s, "toLusna");
	memset(s, 'x', sizeof(s));
	CHECK_EQ(salua_rtpg_supported_str(0x0f, s, 7), -SALUA_ENOSPC);
	CHECK_EQ(s[0], 'x');
	CHECK_EQ(salua_rtpg_supported_str(0x0f, NULL, 8), -SALUA_EINVAL);
}

static void test_stpg(void)
{
	struct salua_stpg_desc d[8], o[8];
	uint8_t b[64], want[64];
	size_t n, wn;
	struct guard gd;
	const uint8_t *p;
	unsigned i;

	T_CASE("STPG encode: sg_stpg --tp=0x102,0x101 --state=ao,s");
	d[0].state = SALUA_STATE_AO;
	d[0].id = 0x102;
	d[1].state = SALUA_STATE_STANDBY;
	d[1].id = 0x101;
	wn = t_hex("00 00 00 00 00 00 01 02 02 00 01 01", want, sizeof(want));
	memset(b, 0xa5, sizeof(b));
	CHECK_EQ(salua_stpg_encode(b, sizeof(b), d, 2), 12);
	CHECK_MEM(b, want, wn);
	CHECK_EQ(b[12], 0xa5);

	T_CASE("STPG encode: Linux scsi_dh_alua's own-group list");
	d[0].state = SALUA_STATE_AO;
	d[0].id = 0x0300;
	memset(b, 0xa5, sizeof(b));
	CHECK_EQ(salua_stpg_encode(b, 8, d, 1), 8);
	wn = t_hex("00 00 00 00 00 00 03 00", want, sizeof(want));
	CHECK_MEM(b, want, wn);

	T_CASE("STPG encode: offline addresses a relative port");
	d[0].state = SALUA_STATE_OFFLINE;
	d[0].id = 2;
	CHECK_EQ(salua_stpg_encode(b, 8, d, 1), 8);
	wn = t_hex("00 00 00 00 0e 00 00 02", want, sizeof(want));
	CHECK_MEM(b, want, wn);
	d[0].state = SALUA_STATE_LBA_DEPENDENT;
	CHECK_EQ(salua_stpg_encode(b, 8, d, 1), 8);
	CHECK_EQ(b[4], 0x04);

	T_CASE("STPG encode errors");
	CHECK_EQ(salua_stpg_encode(b, 4, NULL, 0), 4);
	CHECK_MEM(b, "\0\0\0\0", 4);
	d[0].state = SALUA_STATE_AO;
	d[1].state = SALUA_STATE_TRANSITIONING;
	CHECK_EQ(salua_stpg_encode(b, sizeof(b), d, 2), -SALUA_EINVAL);
	for (i = 5; i <= 0xd; i++) {
		d[1].state = (uint8_t)i;
		CHECK_EQ(salua_stpg_encode(b, sizeof(b), d, 2), -SALUA_EINVAL);
	}
	d[1].state = 0x12;
	CHECK_EQ(salua_stpg_encode(b, sizeof(b), d, 2), -SALUA_EINVAL);
	d[1].state = SALUA_STATE_UNAVAILABLE;
	memset(b, 0xa5, sizeof(b));
	CHECK_EQ(salua_stpg_encode(b, 11, d, 2), -SALUA_ENOSPC);
	CHECK_EQ(b[0], 0xa5);
	CHECK_EQ(salua_stpg_encode(NULL, 0, d, 2), -SALUA_ENOSPC);
	CHECK_EQ(salua_stpg_encode(b, 12, NULL, 2), -SALUA_EINVAL);
	CHECK_EQ(salua_stpg_encode(NULL, 12, d, 2), -SALUA_EINVAL);

	T_CASE("STPG decode: sg_stpg's list");
	wn = t_hex("00 00 00 00 00 00 01 02 02 00 01 01", want, sizeof(want));
	p = guard_place(&gd, want, wn);
	n = 8;
	CHECK_EQ(salua_stpg_decode(p, wn, SALUA_SUP_ALL, o, &n), 0);
	CHECK_EQ(n, 2);
	CHECK_EQ(o[0].state, SALUA_STATE_AO);
	CHECK_EQ(o[0].id, 0x102);
	CHECK_EQ(o[1].state, SALUA_STATE_STANDBY);
	CHECK_EQ(o[1].id, 0x101);
	n = 8;
	CHECK_EQ(salua_stpg_decode(p, wn, SALUA_SUP_AO | SALUA_SUP_S, o, &n), 0);
	n = 8;
	CHECK_EQ(salua_stpg_decode(p, wn, SALUA_SUP_AO | SALUA_SUP_ANO, o, &n),
		 -SALUA_ENOTSUP);
	CHECK_EQ(n, 1);
	n = 8;
	CHECK_EQ(salua_stpg_decode(p, wn, 0, o, &n), 0);
	CHECK_EQ(n, 2);
	n = 1;
	CHECK_EQ(salua_stpg_decode(p, wn, 0, o, &n), -SALUA_ENOSPC);
	CHECK_EQ(n, 2);
	guard_free(&gd);

	T_CASE("STPG decode: length must be 4 + 4k");
	memset(want, 0, sizeof(want));
	for (i = 0; i < 4; i++) {
		p = guard_place(&gd, want, i);
		n = 8;
		CHECK_EQ(salua_stpg_decode(p, i, 0, o, &n), -SALUA_ETRUNC);
		guard_free(&gd);
	}
	for (i = 4; i <= 13; i++) {
		p = guard_place(&gd, want, i);
		n = 8;
		CHECK_EQ(salua_stpg_decode(p, i, 0, o, &n),
			 (i % 4) ? -SALUA_EMALFORMED : 0);
		if (i % 4 == 0)
			CHECK_EQ(n, (i - 4) / 4);
		guard_free(&gd);
	}
	n = 0;
	CHECK_EQ(salua_stpg_decode(want, 4, 0, NULL, &n), 0);
	CHECK_EQ(n, 0);

	T_CASE("STPG decode: transitioning, reserved, offline");
	wn = t_hex("00 00 00 00 00 00 00 01 0f 00 00 02", want, sizeof(want));
	n = 8;
	CHECK_EQ(salua_stpg_decode(want, wn, 0, o, &n), -SALUA_ENOTSUP);
	CHECK_EQ(n, 1);
	for (i = 5; i <= 0xd; i++) {
		want[8] = (uint8_t)i;
		n = 8;
		CHECK_EQ(salua_stpg_decode(want, wn, 0, o, &n), -SALUA_ENOTSUP);
		CHECK_EQ(n, 1);
	}
	want[8] = 0xfe; /* reserved bits 7:4 ignored: offline */
	n = 8;
	CHECK_EQ(salua_stpg_decode(want, wn, 0, o, &n), 0);
	CHECK_EQ(o[1].state, SALUA_STATE_OFFLINE);
	CHECK_EQ(o[1].id, 2);
	n = 8;
	CHECK_EQ(salua_stpg_decode(want, wn, 0xcf & ~SALUA_SUP_O, o, &n), -SALUA_ENOTSUP);
	CHECK_EQ(n, 1);

	T_CASE("STPG decode: sg_stpg 1.46's list with offline and transitioning");
	wn = t_hex("00 00 00 00 02 00 01 01 00 00 01 02 02 00 01 03 "
		   "0e 00 01 04 0f 00 01 05", want, sizeof(want));
	n = 8;
	CHECK_EQ(salua_stpg_decode(want, wn, SALUA_SUP_ALL, o, &n), -SALUA_ENOTSUP);
	CHECK_EQ(n, 4);
	n = 8;
	CHECK_EQ(salua_stpg_decode(want, wn - 4, SALUA_SUP_ALL, o, &n), 0);
	CHECK_EQ(n, 4);
	CHECK_EQ(o[3].state, SALUA_STATE_OFFLINE);
	CHECK_EQ(o[3].id, 0x104);
	CHECK_EQ(salua_stpg_decode(want, wn, 0, o, NULL), -SALUA_EINVAL);
	n = 2;
	CHECK_EQ(salua_stpg_decode(want, wn, 0, NULL, &n), -SALUA_EINVAL);

	T_CASE("STPG round trip");
	for (i = 0; i < 8; i++) {
		static const uint8_t st[6] = {0, 1, 2, 3, 4, 0xe};
		d[i].state = st[i % 6];
		d[i].id = (uint16_t)(0x1111u * i + 7);
	}
	CHECK_EQ(salua_stpg_encode(b, sizeof(b), d, 8), 36);
	n = 8;
	CHECK_EQ(salua_stpg_decode(b, 36, SALUA_SUP_ALL, o, &n), 0);
	CHECK_EQ(n, 8);
	for (i = 0; i < 8; i++) {
		CHECK_EQ(o[i].state, d[i].state);
		CHECK_EQ(o[i].id, d[i].id);
	}
}

/* tests/data/rtpg and tests/data/stpg files decode as their README says. */
static void test_data_files(void)
{
	static const struct {
		const char *file;
		size_t len;
		enum salua_rtpg_format fmt;
		size_t ngroups;
		int truncated;
		uint32_t needed;
		uint16_t first_tpg, last_tpg;
	} r[] = {
		{"scsi_debug_host2.hex", 28, SALUA_RTPG_CLASSIC, 2, 0, 28, 0x0300, 0x0380},
		{"istgt_two_portal_groups.hex", 32, SALUA_RTPG_CLASSIC, 2, 0, 32, 1, 2},
		{"istgt_alloc16.hex", 16, SALUA_RTPG_CLASSIC, 1, 1, 32, 1, 1},
		{"lio61_ext_short.hex", 32, SALUA_RTPG_EXTENDED, 1, 1, 32, 0x10, 0x10},
		{"ext_two_groups.hex", 36, SALUA_RTPG_EXTENDED, 2, 0, 36, 0x10, 0x20},
	};
	static const struct {
		const char *file;
		int rc;
		size_t n;
		uint8_t state0;
		uint16_t id0;
	} st[] = {
		{"sg_stpg_ao_s.hex", 0, 2, SALUA_STATE_AO, 0x102},
		{"linux_dh_alua_ao.hex", 0, 1, SALUA_STATE_AO, 0x0300},
		{"offline_rtp2.hex", 0, 1, SALUA_STATE_OFFLINE, 2},
		{"sg_stpg_auto_with_transitioning.hex", -SALUA_ENOTSUP, 4, 0, 0},
	};
	uint8_t b[256];
	struct salua_rtpg_info info;
	struct salua_stpg_desc d[8];
	size_t i, n, got;

	for (i = 0; i < SALUA_ARRAY_SIZE(r); i++) {
		T_CASE(r[i].file);
		n = t_load_hex(b, sizeof(b), "%s/rtpg/%s", SALUA_TEST_DATA_DIR,
			       r[i].file);
		CHECK_EQ(n, r[i].len);
		CHECK_EQ(decode_guarded(b, n, SALUA_RTPG_AUTO, &info, xg, 64, &got), 0);
		CHECK_EQ(info.format, r[i].fmt);
		CHECK_EQ(info.ngroups, r[i].ngroups);
		CHECK_EQ(info.truncated, r[i].truncated);
		CHECK_EQ(info.needed, r[i].needed);
		CHECK_EQ(xg[0].tpg, r[i].first_tpg);
		CHECK_EQ(xg[got ? got - 1 : 0].tpg, r[i].last_tpg);
	}
	for (i = 0; i < SALUA_ARRAY_SIZE(st); i++) {
		T_CASE(st[i].file);
		n = t_load_hex(b, sizeof(b), "%s/stpg/%s", SALUA_TEST_DATA_DIR,
			       st[i].file);
		got = 8;
		CHECK_EQ(salua_stpg_decode(b, n, SALUA_SUP_ALL, d, &got), st[i].rc);
		CHECK_EQ(got, st[i].n);
		if (st[i].rc == 0) {
			CHECK_EQ(d[0].state, st[i].state0);
			CHECK_EQ(d[0].id, st[i].id0);
		}
	}
}

int main(void)
{
	test_vector();
	test_scsi_debug();
	test_istgt();
	test_extended_and_lio();
	test_big();
	test_roundtrip();
	test_rtpg_errors();
	test_supported_str();
	test_stpg();
	test_data_files();
	return t_done("tpg");
}
