/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * bench_codecs - ns per decode of the salua codecs beside libsgutils2 (the
 * sg3_utils library) on the same inputs, in the same run:
 *
 *  - sense, like for like: normalize only (salua_sense_normalize() vs
 *    sg_scsi_normalize_sense()); the same fields (ours: normalize, which
 *    also reports INFORMATION and the sense-key specific bytes; peer:
 *    normalize + sg_get_sense_info_fld() + sg_scsi_sense_desc_find() or
 *    fixed bytes 15..17); ours normalize + salua_io_disposition() beside
 *    the peer's normalize (it has no disposition).  A mix of 8 real and
 *    constructed samples (fixed and descriptor format);
 *  - VPD 0x83: relative target port, target port group and the logical
 *    unit name designator (Linux's ranking) of scsi_debug's page (7
 *    designators): ours salua_vpd83_summary() (one walk),
 *    find_port() + lu_desig() (two walks) and a salua_vpd83_next() walk
 *    (every designator type-checked); peer: one sg_vpd_dev_id_iter() loop
 *    classifying every designator, and the API's filtered calls (three
 *    walks).  Both peers add the designator-fits-the-page check that
 *    sg_vpd_dev_id_iter() leaves to its caller;
 *  - RTPG decode: salua_rtpg_parse() + salua_rtpg_next() over every group
 *    and every port, for 2 groups (scsi_debug's answer), 32 groups and one
 *    group of 255 ports.  libsgutils2 has no RTPG decoder (sg_rtpg decodes
 *    inside its main()), so these rows have no peer.
 *
 * "ours" calls the header-only implementation compiled into this file (the
 * compiler may inline it: that is how the library is meant to be used);
 * "ours, call" goes through a volatile function pointer, i.e. a real call
 * like the peer's call into the shared library.  Results agree with the
 * peer's on every input (checked once, outside timing, before measuring).
 *
 * Usage: bench_codecs [-q] [--rows FILE] [--count NAME N]
 *   -q            fewer repetitions (smoke run)
 *   --rows FILE   append the summary rows (Markdown) to FILE for bench/run.sh
 *   --count NAME N  run body NAME N times untimed, for callgrind
 */
#define SALUA_STATIC
#include "salua/salua.h"

#include <scsi/sg_lib.h>

#include "bench.h"

#ifndef BENCH_FLAGS
#define BENCH_FLAGS "?"
#endif

/* ---- inputs ------------------------------------------------------------ */

/*
 * Sense mix: tests/data/sense/ (constructed ALUA samples) and
 * /work/shared/vectors/sense (a real tray-open sample and sg3_utils'
 * descriptor test buffer).  UA 2A/06 appears twice: it is the sense a
 * multipath host sees most during a failover.
 */
static const char *const sense_hex[] = {
	"700006000000000a000000002a0600000000", /* UA 2A/06 fixed */
	"700002000000000a000000002a0600000000", /* 2A/06, again (current) */
	"700002000000000a00000000040b00000000", /* NOT READY 04/0B standby */
	"7202040a00000000",                     /* NOT READY 04/0A desc */
	"700002000000000a00000000040a",         /* 04/0A fixed cut at 14 */
	"700005000000000a00000000240000cf0001", /* 05/24/00 + field pointer */
	"7205200000000000",                     /* 05/20/00 desc */
	"720103028000004c000a800011223344556677bb010a00003344556677bbccff02"
	"06000080010100030200450a06020102003201050200200b1a0100000000010102"
	"030405060708010203045506070802001234", /* sg3 descriptor_many */
};
#define NSENSE 8

/* sg3_utils inhex/vpd_sdeb.hex: scsi_debug's page 0x83, 7 designators. */
static const char vpd83_hex[] =
	"008300700201001c4c696e7578202020736373695f6465627567202020202020"
	"323030300103000833333330000007d061940004000000016193000832222220"
	"000007ce619500040000010061a3000832222220000007cd63a800186e61612e"
	"3332323232323230303030303037434400000000";

/* scsi_debug host 2's RTPG answer (tests/data/rtpg/scsi_debug_host2.hex). */
static const char rtpg2_hex[] =
	"00000018020f03000000000100000001030803800000000100000002";

struct blob {
	uint8_t b[1100];
	size_t n;
};

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s[0] && s[1] && n < cap) {
		unsigned v;

		if (sscanf(s, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static struct blob sense_in[NSENSE];
static struct blob vpd_in;
static struct blob rtpg_in[3];
static const char *const rtpg_name[3] = {
	"2 groups (scsi_debug)", "32 groups x 2 ports", "1 group x 255 ports"
};

static void build_rtpg(void)
{
	static struct salua_tpg_entry g[32];
	static uint16_t ports[255];
	unsigned i;
	int n;

	rtpg_in[0].n = unhex(rtpg2_hex, rtpg_in[0].b, sizeof(rtpg_in[0].b));
	for (i = 0; i < 255; i++)
		ports[i] = (uint16_t)(i + 1);
	memset(g, 0, sizeof(g));
	for (i = 0; i < 32; i++) {
		g[i].tpg_id = (uint16_t)(i + 1);
		g[i].state = i ? SALUA_STATE_STANDBY : SALUA_STATE_AO;
		g[i].pref = i == 0;
		g[i].supported = 0xcf;
		g[i].nports = 2;
		g[i].ports = ports + 2 * i;
	}
	n = salua_rtpg_encode(rtpg_in[1].b, sizeof(rtpg_in[1].b),
			      SALUA_RTPG_EXTENDED, 60, g, 32);
	rtpg_in[1].n = n > 0 ? (size_t)n : 0;
	g[0].nports = 255;
	g[0].ports = ports;
	n = salua_rtpg_encode(rtpg_in[2].b, sizeof(rtpg_in[2].b),
			      SALUA_RTPG_EXTENDED, 60, g, 1);
	rtpg_in[2].n = n > 0 ? (size_t)n : 0;
}

/* ---- sense ------------------------------------------------------------- */

typedef int (*normalize_fn)(const uint8_t *, size_t, struct salua_sense *);
typedef struct salua_verdict (*disp_fn)(uint8_t, const struct salua_sense *);
static normalize_fn volatile normalize_ptr = salua_sense_normalize;
static disp_fn volatile disp_ptr = salua_io_disposition;

static uint64_t sense_ours(void *ctx, uint64_t iters)
{
	uint64_t i, s = 0;
	struct salua_sense ss;

	(void)ctx;
	for (i = 0; i < iters; i++) {
		const struct blob *b = &sense_in[i & (NSENSE - 1)];

		if (salua_sense_normalize(b->b, b->n, &ss) == 0)
			s += (uint64_t)ss.key + ss.asc + ss.ascq;
		BENCH_BARRIER();
	}
	return s;
}

static uint64_t sense_disp_ours(void *ctx, uint64_t iters)
{
	uint64_t i, s = 0;
	struct salua_sense ss;

	(void)ctx;
	for (i = 0; i < iters; i++) {
		const struct blob *b = &sense_in[i & (NSENSE - 1)];

		if (salua_sense_normalize(b->b, b->n, &ss) == 0) {
			struct salua_verdict v = salua_io_disposition(
				SALUA_STATUS_CHECK_CONDITION, &ss);

			s += (uint64_t)v.disp + v.actions + v.state;
		}
		BENCH_BARRIER();
	}
	return s;
}

static uint64_t sense_call(void *ctx, uint64_t iters)
{
	uint64_t i, s = 0;
	struct salua_sense ss;

	(void)ctx;
	for (i = 0; i < iters; i++) {
		const struct blob *b = &sense_in[i & (NSENSE - 1)];

		if (normalize_ptr(b->b, b->n, &ss) == 0)
			s += (uint64_t)ss.key + ss.asc + ss.ascq;
		BENCH_BARRIER();
	}
	return s;
}

static uint64_t sense_disp_call(void *ctx, uint64_t iters)
{
	uint64_t i, s = 0;
	struct salua_sense ss;

	(void)ctx;
	for (i = 0; i < iters; i++) {
		const struct blob *b = &sense_in[i & (NSENSE - 1)];

		if (normalize_ptr(b->b, b->n, &ss) == 0) {
			struct salua_verdict v =
				disp_ptr(SALUA_STATUS_CHECK_CONDITION, &ss);

			s += (uint64_t)v.disp + v.actions + v.state;
		}
		BENCH_BARRIER();
	}
	return s;
}

/* One sample only (@ctx: its index): no mix, so no branch history churn. */
static uint64_t sense_one_ours(void *ctx, uint64_t iters)
{
	const struct blob *b = &sense_in[*(const unsigned *)ctx];
	uint64_t i, s = 0;
	struct salua_sense ss;

	for (i = 0; i < iters; i++) {
		if (salua_sense_normalize(b->b, b->n, &ss) == 0) {
			struct salua_verdict v = salua_io_disposition(
				SALUA_STATUS_CHECK_CONDITION, &ss);

			s += (uint64_t)v.disp + v.actions + v.state;
		}
		BENCH_BARRIER();
	}
	return s;
}

static uint64_t sense_one_peer(void *ctx, uint64_t iters)
{
	const struct blob *b = &sense_in[*(const unsigned *)ctx];
	uint64_t i, s = 0;
	struct sg_scsi_sense_hdr h;

	for (i = 0; i < iters; i++) {
		if (sg_scsi_normalize_sense(b->b, (int)b->n, &h))
			s += (uint64_t)h.sense_key + h.asc + h.ascq;
		BENCH_BARRIER();
	}
	return s;
}

static uint64_t sense_peer(void *ctx, uint64_t iters)
{
	uint64_t i, s = 0;
	struct sg_scsi_sense_hdr h;

	(void)ctx;
	for (i = 0; i < iters; i++) {
		const struct blob *b = &sense_in[i & (NSENSE - 1)];

		if (sg_scsi_normalize_sense(b->b, (int)b->n, &h))
			s += (uint64_t)h.sense_key + h.asc + h.ascq;
		BENCH_BARRIER();
	}
	return s;
}

/*
 * The peer asked for the fields salua_sense_normalize() reports beyond key,
 * ASC and ASCQ: INFORMATION (sg_get_sense_info_fld()) and the sense-key
 * specific bytes (descriptor type 2 via sg_scsi_sense_desc_find(), fixed
 * bytes 15..17 when they arrived), as a caller of libsgutils2 gets them.
 */
static uint64_t sense_full_peer1(const struct blob *b)
{
	struct sg_scsi_sense_hdr h;
	uint64_t info = 0, s = 0;
	const uint8_t *d;
	int n = (int)b->n;

	if (!sg_scsi_normalize_sense(b->b, n, &h))
		return 0;
	s = (uint64_t)h.sense_key + h.asc + h.ascq;
	if (sg_get_sense_info_fld(b->b, n, &info))
		s += info;
	if (h.response_code >= 0x72) {
		d = sg_scsi_sense_desc_find(b->b, n, 2);
		if (d && d[1] >= 6 && (d[4] & 0x80))
			s += d[5];
	} else if (n >= 18 && b->b[7] >= 10 && (b->b[15] & 0x80)) {
		s += b->b[16];
	}
	return s;
}

static uint64_t sense_full_peer(void *ctx, uint64_t iters)
{
	uint64_t i, s = 0;

	(void)ctx;
	for (i = 0; i < iters; i++) {
		s += sense_full_peer1(&sense_in[i & (NSENSE - 1)]);
		BENCH_BARRIER();
	}
	return s;
}

/* Ours, the same fields (INFORMATION and SKS included), as sense_full_peer. */
static uint64_t sense_full_ours1(const struct blob *b)
{
	struct salua_sense ss;
	uint64_t s;

	if (salua_sense_normalize(b->b, b->n, &ss) != 0)
		return 0;
	s = (uint64_t)ss.key + ss.asc + ss.ascq;
	if (ss.has_info)
		s += ss.information;
	if (ss.has_sks)
		s += ss.sks[1];
	return s;
}

static uint64_t sense_full_ours(void *ctx, uint64_t iters)
{
	uint64_t i, s = 0;

	(void)ctx;
	for (i = 0; i < iters; i++) {
		s += sense_full_ours1(&sense_in[i & (NSENSE - 1)]);
		BENCH_BARRIER();
	}
	return s;
}

/* ---- VPD 0x83 ---------------------------------------------------------- */

struct vpd_res {
	int rel, tpg;
	long lu_off; /* offset of the LU name designator in the page */
};

typedef int (*find_port_fn)(const void *, size_t, struct salua_vpd83_port *);
typedef int (*lu_desig_fn)(const void *, size_t, size_t,
			   struct salua_vpd83_desig *);
static find_port_fn volatile find_port_ptr = salua_vpd83_find_port;
static lu_desig_fn volatile lu_desig_ptr = salua_vpd83_lu_desig;

static void vpd_ours1(const struct blob *b, struct vpd_res *r)
{
	struct salua_vpd83_port p;
	struct salua_vpd83_desig d;

	r->rel = r->tpg = -1;
	r->lu_off = -1;
	if (salua_vpd83_find_port(b->b, b->n, &p) >= 0) {
		if (p.has_rel_port)
			r->rel = p.rel_port;
		if (p.has_tpg)
			r->tpg = p.tpg;
	}
	if (salua_vpd83_lu_desig(b->b, b->n, 0, &d) > 0)
		r->lu_off = (long)d.off;
}

/*
 * The timed loop around one VPD 0x83 decoder, the same for ours and the
 * peer's: a macro, not a function pointer, so each body is inlined alike.
 */
#define VPD_LOOP(name, one)                                                    \
	static uint64_t name(void *ctx, uint64_t iters)                        \
	{                                                                      \
		uint64_t i, s = 0;                                             \
		struct vpd_res r;                                              \
                                                                               \
		(void)ctx;                                                     \
		for (i = 0; i < iters; i++) {                                  \
			one(&vpd_in, &r);                                      \
			s += (uint64_t)(r.rel + r.tpg + r.lu_off);             \
			BENCH_BARRIER();                                       \
		}                                                              \
		return s;                                                      \
	}

VPD_LOOP(vpd_ours, vpd_ours1)

static uint64_t vpd_call(void *ctx, uint64_t iters)
{
	uint64_t i, s = 0;
	struct salua_vpd83_port p;
	struct salua_vpd83_desig d;

	(void)ctx;
	for (i = 0; i < iters; i++) {
		if (find_port_ptr(vpd_in.b, vpd_in.n, &p) >= 0)
			s += (uint64_t)p.rel_port + p.tpg;
		if (lu_desig_ptr(vpd_in.b, vpd_in.n, 0, &d) > 0)
			s += d.off;
		BENCH_BARRIER();
	}
	return s;
}

/*
 * The same answer from one walk with the public iterator (every designator
 * still checked by salua_vpd83_next()), as a caller wanting all three
 * would write it.
 */
static void vpd_walk1(const struct blob *b, struct vpd_res *r)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	int pr, best = 0;

	r->rel = r->tpg = -1;
	r->lu_off = -1;
	if (salua_vpd83_iter_init(&it, b->b, b->n) < 0)
		return;
	while (salua_vpd83_next(&it, &d) > 0) {
		if (d.has_id && d.assoc == SALUA_ASSOC_TARGET_PORT &&
		    d.code_set == SALUA_CODESET_BINARY) {
			if (d.type == SALUA_DESIG_REL_PORT && r->rel < 0)
				r->rel = d.id;
			else if (d.type == SALUA_DESIG_TPG && r->tpg < 0)
				r->tpg = d.id;
		}
		pr = salua_vpd83_lu_prio(&d);
		if (pr && pr >= best) {
			best = pr;
			r->lu_off = (long)d.off;
		}
	}
}

VPD_LOOP(vpd_walk, vpd_walk1)

/* salua_vpd83_summary(): the three answers from one walk. */
static void vpd_sum1(const struct blob *b, struct vpd_res *r)
{
	struct salua_vpd83_ids s;
	int rc = salua_vpd83_summary(b->b, b->n, 0, &s);

	r->rel = rc >= 0 && s.port.has_rel_port ? s.port.rel_port : -1;
	r->tpg = rc >= 0 && s.port.has_tpg ? s.port.tpg : -1;
	r->lu_off = rc >= 0 && s.lu_prio ? (long)s.lu.off : -1;
}

typedef int (*summary_fn)(const void *, size_t, size_t,
			  struct salua_vpd83_ids *);
static summary_fn volatile summary_ptr = salua_vpd83_summary;

VPD_LOOP(vpd_sum, vpd_sum1)

static uint64_t vpd_sum_call(void *ctx, uint64_t iters)
{
	uint64_t i, s = 0;
	struct salua_vpd83_ids r;

	(void)ctx;
	for (i = 0; i < iters; i++) {
		if (summary_ptr(vpd_in.b, vpd_in.n, 0, &r) >= 0)
			s += (uint64_t)r.port.rel_port + r.port.tpg + r.lu.off;
		BENCH_BARRIER();
	}
	return s;
}

/* The kernel's LU name ranking, for the peer loop (designator_prio()). */
static int peer_prio(const uint8_t *d)
{
	unsigned type = d[1] & 0xfu, len = d[3];

	if (((d[1] >> 4) & 3u) != 0 || !len)
		return 0;
	switch (type) {
	case 8:
		return 9;
	case 3:
		switch (d[4] >> 4) {
		case 6:
			return len == 16 ? 8 : 0;
		case 5:
			return len == 8 ? 5 : 0;
		case 2:
			return len == 8 ? 4 : 0;
		case 3:
			return len == 8 ? 1 : 0;
		default:
			return 0;
		}
	case 2:
		return len == 16 ? 7 : len == 12 ? 6 : len == 8 ? 3 : 0;
	case 1:
		return 1;
	default:
		return 0;
	}
}

/*
 * Peer, one loop: sg_vpd_dev_id_iter() unfiltered, classifying each
 * designator.  sg_vpd_dev_id_iter() only checks that a 4-byte header fits
 * the page, so the loop adds the check a careful caller needs before
 * reading a designator: its DESIGNATOR LENGTH bytes fit too.
 */
static void vpd_peer1(const struct blob *b, struct vpd_res *r)
{
	const uint8_t *p = b->b, *d0 = b->b + 4;
	int plen, off = -1, best = 0;

	r->rel = r->tpg = -1;
	r->lu_off = -1;
	if (b->n < 4 || p[1] != 0x83)
		return;
	plen = (p[2] << 8) | p[3];
	if (plen > (int)b->n - 4)
		plen = (int)b->n - 4;
	while (sg_vpd_dev_id_iter(d0, plen, &off, -1, -1, -1) == 0) {
		const uint8_t *d = d0 + off;
		unsigned assoc = (d[1] >> 4) & 3u, type = d[1] & 0xfu;
		int pr;

		if (off + 4 + d[3] > plen)
			break;
		if (assoc == 1 && (d[0] & 0xfu) == 1 && d[3] == 4) {
			if (type == 4 && r->rel < 0)
				r->rel = (d[6] << 8) | d[7];
			else if (type == 5 && r->tpg < 0)
				r->tpg = (d[6] << 8) | d[7];
		}
		pr = peer_prio(d);
		if (pr && pr >= best) {
			best = pr;
			r->lu_off = off + 4;
		}
	}
}

/*
 * Peer, the API's filters: one sg_vpd_dev_id_iter() walk per question
 * (relative port: target port association, type 4, binary; TPG: the same
 * with type 5; LU name: LU association, every type, ranked), as sg3_utils'
 * own tools query a page.  Three walks, each checking fit as above.
 */
static int peer_first_id(const uint8_t *d0, int plen, int assoc, int type)
{
	int off = -1;

	while (sg_vpd_dev_id_iter(d0, plen, &off, assoc, type, 1) == 0) {
		const uint8_t *d = d0 + off;

		if (off + 4 + d[3] > plen)
			return -1;
		if (d[3] == 4)
			return (d[6] << 8) | d[7];
	}
	return -1;
}

static void vpd_peer3_1(const struct blob *b, struct vpd_res *r)
{
	const uint8_t *p = b->b, *d0 = b->b + 4;
	int plen, off = -1, best = 0;

	r->rel = r->tpg = -1;
	r->lu_off = -1;
	if (b->n < 4 || p[1] != 0x83)
		return;
	plen = (p[2] << 8) | p[3];
	if (plen > (int)b->n - 4)
		plen = (int)b->n - 4;
	r->rel = peer_first_id(d0, plen, 1, 4);
	r->tpg = peer_first_id(d0, plen, 1, 5);
	while (sg_vpd_dev_id_iter(d0, plen, &off, 0, -1, -1) == 0) {
		const uint8_t *d = d0 + off;
		int pr;

		if (off + 4 + d[3] > plen)
			break;
		pr = peer_prio(d);
		if (pr && pr >= best) {
			best = pr;
			r->lu_off = off + 4;
		}
	}
}

VPD_LOOP(vpd_peer3, vpd_peer3_1)

VPD_LOOP(vpd_peer, vpd_peer1)

/* ---- RTPG -------------------------------------------------------------- */

static uint64_t rtpg_decode1(const struct blob *b)
{
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	uint64_t s = 0;
	unsigned k;

	if (salua_rtpg_parse(b->b, b->n, SALUA_RTPG_AUTO, &info, &it) != 0)
		return 0;
	while (salua_rtpg_next(&it, &d) == 1) {
		s += (uint64_t)d.tpg_id + d.state + d.pref + d.supported;
		for (k = 0; k < d.port_count; k++)
			s += salua_tpg_desc_port(&d, k);
	}
	return s + info.ngroups;
}

static uint64_t rtpg_ours(void *ctx, uint64_t iters)
{
	const struct blob *b = (const struct blob *)ctx;
	uint64_t i, s = 0;

	for (i = 0; i < iters; i++) {
		s += rtpg_decode1(b);
		BENCH_BARRIER();
	}
	return s;
}

/* ---- instruction counts ------------------------------------------------ */

/*
 * --count NAME N runs one body N times, untimed, for
 * valgrind --tool=callgrind --toggle-collect=NAME (instructions per op =
 * the body's inclusive count / N; see BENCHMARKS.md).
 */
static const struct {
	const char *name;
	bench_fn fn;
} bodies[] = {
	{ "sense_ours", sense_ours },
	{ "sense_disp_ours", sense_disp_ours },
	{ "sense_full_ours", sense_full_ours },
	{ "sense_peer", sense_peer },
	{ "sense_full_peer", sense_full_peer },
	{ "vpd_ours", vpd_ours },
	{ "vpd_walk", vpd_walk },
	{ "vpd_sum", vpd_sum },
	{ "vpd_peer", vpd_peer },
	{ "vpd_peer3", vpd_peer3 },
	{ "sense_one_ours", sense_one_ours }, /* NAME:K, K = sample index */
	{ "sense_one_peer", sense_one_peer },
};

static int count_body(const char *name, uint64_t n)
{
	static unsigned k;
	const char *colon = strchr(name, ':');
	size_t len = colon ? (size_t)(colon - name) : strlen(name);
	unsigned i;

	k = colon ? (unsigned)atoi(colon + 1) % NSENSE : 0;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		if (strlen(bodies[i].name) == len &&
		    !strncmp(bodies[i].name, name, len)) {
			bench_sink += bodies[i].fn(&k, n);
			return 0;
		}
	}
	fprintf(stderr, "bench_codecs: no body '%s'\n", name);
	return 2;
}

/* ---- output ------------------------------------------------------------ */

static FILE *rows;
static unsigned misses;

static const char *fmt(char *buf, double v)
{
	snprintf(buf, 32, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
	return buf;
}

static void summary(const char *bench, const char *what, const char *ours,
		    const char *peer, const char *ratio, const char *target,
		    const char *met)
{
	if (rows)
		bench_row(rows, 7, bench, what, ours, peer, ratio, target, met);
}

/* One row of the codecs table; @oc < 0: no "call" variant. */
static void table_row(const char *what, double o, double oc, double p)
{
	char b[5][32];

	snprintf(b[3], 32, "%.1fx", p / o);
	if (oc < 0) {
		bench_row(stdout, 6, what, fmt(b[0], o), "-", fmt(b[2], p), b[3],
			  "-");
		return;
	}
	snprintf(b[4], 32, "%.1fx", p / oc);
	bench_row(stdout, 6, what, fmt(b[0], o), fmt(b[1], oc), fmt(b[2], p),
		  b[3], b[4]);
}

/*
 * One summary row; @max_ns (0: none) and @min_ratio (0: none) are the
 * issue's targets.
 */
static void summary_target(const char *bench, const char *what, double o,
			   double p, double max_ns, double min_ratio)
{
	char b[4][32], target[48] = "-";
	bool has_ns = max_ns > 0, has_ratio = min_ratio > 0;
	bool met = (!has_ns || o <= max_ns) && (!has_ratio || p / o >= min_ratio);

	snprintf(b[2], 32, "%.1fx", p / o);
	if (has_ns && has_ratio)
		snprintf(target, sizeof(target), "<= %.0f ns, >= %.0fx", max_ns,
			 min_ratio);
	else if (has_ratio)
		snprintf(target, sizeof(target), ">= %.0fx", min_ratio);
	else if (has_ns)
		snprintf(target, sizeof(target), "<= %.0f ns", max_ns);
	if ((has_ns || has_ratio) && !met)
		misses++;
	summary(bench, what, fmt(b[0], o), fmt(b[1], p), b[2], target,
		!has_ns && !has_ratio ? "-" : met ? "yes" : "**no**");
}

static int check_agreement(void)
{
	unsigned i, bad = 0;
	struct vpd_res a, b;

	for (i = 0; i < NSENSE; i++) {
		struct salua_sense ss;
		struct sg_scsi_sense_hdr h;
		int rc = salua_sense_normalize(sense_in[i].b, sense_in[i].n, &ss);
		bool ok = sg_scsi_normalize_sense(sense_in[i].b,
						  (int)sense_in[i].n, &h);

		if ((rc == 0) != ok || (ok && (ss.response_code != h.response_code ||
					       ss.key != h.sense_key ||
					       ss.asc != h.asc ||
					       ss.ascq != h.ascq))) {
			fprintf(stderr, "sense %u: ours and peer disagree\n", i);
			bad++;
		}
		if (sense_full_ours1(&sense_in[i]) !=
		    sense_full_peer1(&sense_in[i])) {
			fprintf(stderr, "sense %u: INFORMATION/SKS disagree\n", i);
			bad++;
		}
	}
	vpd_peer3_1(&vpd_in, &a);
	vpd_peer1(&vpd_in, &b);
	if (a.rel != b.rel || a.tpg != b.tpg || a.lu_off != b.lu_off) {
		fprintf(stderr, "vpd83: the two peer loops disagree\n");
		bad++;
	}
	vpd_walk1(&vpd_in, &a);
	vpd_peer1(&vpd_in, &b);
	if (a.rel != b.rel || a.tpg != b.tpg || a.lu_off != b.lu_off) {
		fprintf(stderr, "vpd83: one walk disagrees with the peer\n");
		bad++;
	}
	vpd_sum1(&vpd_in, &a);
	if (a.rel != b.rel || a.tpg != b.tpg || a.lu_off != b.lu_off) {
		fprintf(stderr, "vpd83: summary disagrees with the peer\n");
		bad++;
	}
	vpd_ours1(&vpd_in, &a);
	if (a.rel != 1 || a.tpg != 0x100 || a.lu_off != 36 || a.rel != b.rel ||
	    a.tpg != b.tpg || a.lu_off != b.lu_off) {
		fprintf(stderr, "vpd83: ours %d/%d/%ld, peer %d/%d/%ld\n", a.rel,
			a.tpg, a.lu_off, b.rel, b.tpg, b.lu_off);
		bad++;
	}
	for (i = 0; i < 3; i++) {
		struct salua_rtpg_info info;
		static const size_t ng[3] = { 2, 32, 1 };

		if (salua_rtpg_parse(rtpg_in[i].b, rtpg_in[i].n, SALUA_RTPG_AUTO,
				     &info, NULL) != 0 ||
		    info.ngroups != ng[i] || info.truncated) {
			fprintf(stderr, "rtpg %u: bad decode\n", i);
			bad++;
		}
	}
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	char b[8][32], cell[128];
	double o, o2, oc, p, p3;
	const char *count = NULL;
	uint64_t count_n = 0;
	unsigned i;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--count") && a + 2 < argc) {
			count = argv[a + 1];
			count_n = strtoull(argv[a + 2], NULL, 10);
			a += 2;
		} else if (!strcmp(argv[a], "--rows") && a + 1 < argc) {
			rows = fopen(argv[++a], "a");
			if (!rows) {
				perror(argv[a]);
				return 2;
			}
		}
	}
	for (i = 0; i < NSENSE; i++)
		sense_in[i].n = unhex(sense_hex[i], sense_in[i].b,
				      sizeof(sense_in[i].b));
	vpd_in.n = unhex(vpd83_hex, vpd_in.b, sizeof(vpd_in.b));
	build_rtpg();
	if (check_agreement()) {
		fprintf(stderr, "bench_codecs: results disagree, not measuring\n");
		return 1;
	}
	if (count)
		return count_body(count, count_n);

	printf("## Codecs: ns per decode, salua vs libsgutils2\n\n");
	bench_machine(stdout, BENCH_FLAGS);
	printf("- libsgutils2: %s\n", sg_lib_version());
	printf("- Agreement: sense key/ASC/ASCQ/response code equal on all %d "
	       "samples; VPD 0x83: both find relative port 1, TPG 0x100 and "
	       "the LU name designator at offset 36\n\n", NSENSE);

	printf("| decode | ours (inlined) | ours (call) | libsgutils2 | "
	       "peer/ours | peer/ours (call) |\n");
	bench_rule(stdout, 6);

	/* Sense, like for like: what each side computes is in the row name. */
	o = bench_measure(sense_ours, NULL);
	oc = bench_measure(sense_call, NULL);
	p = bench_measure(sense_peer, NULL);
	table_row("sense normalize only: key/ASC/ASCQ (peer: "
		  "sg_scsi_normalize_sense)", o, oc, p);
	summary_target("sense", "normalize only vs normalize only, 8-sample "
		       "mix (ns/op)", o, p, 3.0, 3.0);
	o = bench_measure(sense_full_ours, NULL);
	p = bench_measure(sense_full_peer, NULL);
	table_row("sense, the same fields: + INFORMATION + SKS (peer: + "
		  "sg_get_sense_info_fld + sg_scsi_sense_desc_find)", o, -1, p);
	summary_target("sense", "key/ASC/ASCQ + INFORMATION + SKS, both sides "
		       "(ns/op)", o, p, 0, 0);
	o = bench_measure(sense_disp_ours, NULL);
	oc = bench_measure(sense_disp_call, NULL);
	p = bench_measure(sense_peer, NULL);
	table_row("sense normalize + disposition (peer: normalize only, it "
		  "has no disposition)", o, oc, p);
	summary_target("sense", "ours normalize + disposition vs peer normalize "
		       "only, 8-sample mix (ns/op)", o, p, 3.0, 3.0);

	/* VPD 0x83: the same answer; the peer loops check fit, not types. */
	p = bench_measure(vpd_peer, NULL);
	p3 = bench_measure(vpd_peer3, NULL);
	o = bench_measure(vpd_ours, NULL);
	oc = bench_measure(vpd_call, NULL);
	table_row("VPD 0x83 find_port + lu_desig (two walks) vs peer one "
		  "classifying loop", o, oc, p);
	o2 = bench_measure(vpd_walk, NULL);
	table_row("VPD 0x83 one salua_vpd83_next() walk (every designator "
		  "type-checked) vs peer one loop", o2, -1, p);
	table_row("VPD 0x83 find_port + lu_desig vs peer filtered calls "
		  "(three walks)", o, oc, p3);
	o2 = bench_measure(vpd_sum, NULL);
	oc = bench_measure(vpd_sum_call, NULL);
	table_row("VPD 0x83 salua_vpd83_summary() (one walk) vs peer one loop",
		  o2, oc, p);
	table_row("VPD 0x83 salua_vpd83_summary() vs peer filtered calls",
		  o2, oc, p3);
	summary_target("VPD 0x83", "rel. port + TPG + LU name, scsi_debug page: "
		       "salua_vpd83_summary() vs peer's one loop (ns/op)", o2,
		       p, 0, 3.0);
	summary_target("VPD 0x83", "the same: find_port + lu_desig (two walks) "
		       "vs peer's one loop (ns/op)", o, p, 0, 0);

	printf("\n| sense sample alone (normalize + disposition) | bytes | ours "
	       "ns | libsgutils2 ns | peer/ours |\n");
	bench_rule(stdout, 5);
	for (i = 0; i < NSENSE; i++) {
		static const char *const nm[NSENSE] = {
			"UA 2A/06 fixed", "NOT READY 2A/06 fixed",
			"NOT READY 04/0B fixed", "NOT READY 04/0A desc",
			"04/0A fixed, cut at 14", "05/24/00 + SKS fixed",
			"05/20/00 desc", "sg3 descriptor_many (7 desc.)"
		};

		o = bench_measure(sense_one_ours, &i);
		p = bench_measure(sense_one_peer, &i);
		snprintf(b[3], 32, "%zu", sense_in[i].n);
		snprintf(b[4], 32, "%.1fx", p / o);
		bench_row(stdout, 5, nm[i], b[3], fmt(b[0], o), fmt(b[1], p),
			  b[4]);
	}

	printf("\n| RTPG decode (parse + every group + every port) | bytes | "
	       "ns/op | bytes/ns | ns/group |\n");
	bench_rule(stdout, 5);
	for (i = 0; i < 3; i++) {
		static const unsigned ng[3] = { 2, 32, 1 };
		char what[96];

		o = bench_measure(rtpg_ours, &rtpg_in[i]);
		snprintf(b[3], 32, "%zu", rtpg_in[i].n);
		bench_row(stdout, 5, rtpg_name[i], b[3], fmt(b[0], o),
			  fmt(b[1], (double)rtpg_in[i].n / o),
			  fmt(b[2], o / ng[i]));
		snprintf(what, sizeof(what), "RTPG decode, %s (ns/op; bytes/ns)",
			 rtpg_name[i]);
		snprintf(cell, sizeof(cell), "%s; %s", fmt(b[6], o),
			 fmt(b[7], (double)rtpg_in[i].n / o));
		if (i == 0) {
			if (o > 10.0)
				misses++;
			summary("RTPG", what, cell, "no library decoder", "-",
				"<= 10 ns", o <= 10.0 ? "yes" : "**no**");
		} else {
			summary("RTPG", what, cell, "no library decoder", "-",
				"-", "-");
		}
	}
	printf("\n%u codec target(s) missed\n", misses);
	if (rows)
		fclose(rows);
	return 0;
}
