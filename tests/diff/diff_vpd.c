/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Differential test: our VPD page 0x83 designator walk (salua/vpd.h)
 * against libsgutils2's sg_vpd_dev_id_iter() on the same bytes.
 *
 * Inputs: the vectors in tests/data/vpd, every truncation of each, and
 * generated pages (deterministic PRNG; seed printed, or given as argv[1])
 * built from random designators of all types and lengths with our encoder,
 * then mutated by byte flips, length corruptions, truncations and junk
 * after the page.
 *
 * sg3_utils trusts PAGE LENGTH; we also bound by the bytes received.  Both
 * are therefore given the same min(received, 4 + PAGE LENGTH) bytes,
 * placed right before a PROT_NONE page.  Every outcome is put in a class;
 * the intended differences are the classes documented in
 * docs/differences-vpd.md.  Anything else fails the test.
 */
#include <scsi/sg_lib.h>

#include "salua/vpd.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

#define MAXD 64

enum cls {
	C_SAME_CLEAN,      /* same offsets, both clean end */
	C_EMPTY,           /* no designators: sg says -2, we say end/ETRUNC */
	C_OVERRUN_MAL,     /* designator overruns PAGE LENGTH: sg yields it */
	C_OVERRUN_CUT,     /* designator cut by a short transfer: sg yields it */
	C_STRAY_MAL,       /* < 4 bytes left at the end of the page */
	C_STRAY_CUT,       /* < 4 bytes left, page cut short */
	C_BOUNDARY_CUT,    /* cut on a boundary: sg sees a clean end */
	C_UNEXPLAINED,
	C_NCLASS
};

static const char *const cls_name[C_NCLASS] = {
	"same offsets, clean end on both sides",
	"empty designator list (sg -2, ours 0 / ETRUNC)",
	"overrun of PAGE LENGTH (sg yields it then -2, ours EMALFORMED)",
	"designator cut by short transfer (sg yields it then -2, ours ETRUNC)",
	"1..3 stray bytes at page end (sg -2, ours EMALFORMED)",
	"1..3 bytes of a cut header (sg -2, ours ETRUNC)",
	"cut on a descriptor boundary (sg -1, ours ETRUNC)",
	"UNEXPLAINED",
};

static unsigned long n_cls[C_NCLASS];
static unsigned long n_pages, n_desig, n_field_checks, n_port_checks;
static unsigned long n_port_found, n_problem_desig, n_skipped_short;

static uint64_t rng_state;

static uint64_t rnd(void)
{
	return t_splitmix64(&rng_state);
}

static unsigned rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static void dump(const char *why, const uint8_t *p, size_t len)
{
	size_t i;

	fprintf(stderr, "%s (%zu bytes):", why, len);
	for (i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ", p[i]);
	fprintf(stderr, "\n");
}

/* sg3_utils' own search for a port designator, as sg_stpg filters it. */
static int sg_find_id(const uint8_t *dd, int plen, int type, int limit)
{
	int off = -1;

	while (sg_vpd_dev_id_iter(dd, plen, &off, 1, type, 1) == 0) {
		if (off >= limit)
			break;
		if (dd[off + 3] == 4 && off + 8 <= plen)
			return (dd[off + 6] << 8) | dd[off + 7];
	}
	return -1;
}

/* Compare both walks over @len received bytes at @raw. */
static void compare(const uint8_t *raw, size_t len, const char *what)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	struct salua_vpd83_port port;
	size_t ours[MAXD + 1], n = 0, usable, e, i;
	int sg[MAXD + 2], ns = 0, send, rc, off, plen, prev, k, cls;
	struct guard g;
	const uint8_t *p;

	n_pages++;
	rc = salua_vpd83_iter_init(&it, raw, len);
	if (rc < 0) {
		/* No 4-byte header or not page 0x83: nothing for sg to walk. */
		n_skipped_short++;
		return;
	}
	usable = it.pg.len;
	p = guard_place(&g, raw, usable);
	/* Same outcome as on all @len bytes: nothing past usable counts. */
	CHECK_EQ(salua_vpd83_iter_init(&it, p, usable), 0);
	while ((rc = salua_vpd83_next(&it, &d)) > 0) {
		if (n < MAXD)
			ours[n] = d.off;
		n++;
		n_desig++;
		if (d.problems)
			n_problem_desig++;
	}
	e = it.off;

	plen = (int)usable - 4;
	off = -1;
	while ((send = sg_vpd_dev_id_iter(p + 4, plen, &off, -1, -1, -1)) ==
	       0) {
		if (ns <= MAXD)
			sg[ns] = off + 4;
		ns++;
		if (ns > MAXD + 1)
			break;
	}

	cls = C_UNEXPLAINED;
	if (n > MAXD || ns > MAXD + 1) {
		cls = C_UNEXPLAINED;
	} else if (plen == 0 && n == 0 && ns == 0 && send == -2 &&
		   (rc == 0 || rc == -SALUA_ETRUNC)) {
		cls = C_EMPTY;
	} else {
		int same = 1;

		for (i = 0; i < n && (int)i < ns; i++)
			if ((int)ours[i] != sg[i])
				same = 0;
		if (rc == 0 && same && (int)n == ns && send == -1)
			cls = C_SAME_CLEAN;
		else if (rc < 0 && e + 4 <= usable && same &&
			 ns == (int)n + 1 && sg[n] == (int)e && send == -2)
			cls = rc == -SALUA_EMALFORMED ? C_OVERRUN_MAL :
							C_OVERRUN_CUT;
		else if (rc < 0 && e < usable && e + 4 > usable && same &&
			 ns == (int)n && send == -2)
			cls = rc == -SALUA_EMALFORMED ? C_STRAY_MAL :
							C_STRAY_CUT;
		else if (rc == -SALUA_ETRUNC && e == usable && same &&
			 ns == (int)n && send == -1)
			cls = C_BOUNDARY_CUT;
	}
	n_cls[cls]++;
	if (cls == C_UNEXPLAINED) {
		fprintf(stderr,
			"%s: unexplained: ours n=%zu rc=%d off=%zu; sg n=%d "
			"rc=%d\n",
			what, n, rc, e, ns, send);
		dump("page", p, usable);
		CHECK(0);
	} else {
		t_pass++;
	}

	/* Field check: sg's filtered walk finds each of our designators. */
	CHECK_EQ(salua_vpd83_iter_init(&it, p, usable), 0);
	prev = -1;
	for (k = 0; salua_vpd83_next(&it, &d) > 0; k++) {
		off = prev;
		rc = sg_vpd_dev_id_iter(p + 4, plen, &off, d.assoc, d.type,
					d.code_set);
		n_field_checks++;
		if (rc != 0 || off + 4 != (int)d.off) {
			fprintf(stderr,
				"%s: sg filtered walk (assoc %u type %u cs %u) "
				"gave rc %d off %d, ours %zu\n",
				what, d.assoc, d.type, d.code_set, rc, off + 4,
				d.off);
			dump("page", p, usable);
			CHECK(0);
		}
		prev = (int)d.off - 4;
	}

	/* Port: first RTP / TPG (target port, binary, length 4). */
	/* sg_stpg's rule is the SPC-5 reading: find_port_strict() */
	rc = salua_vpd83_find_port_strict(p, usable, &port);
	{
		int limit = rc < 0 ? (int)e - 4 : plen;
		int srtp = sg_find_id(p + 4, plen, SALUA_DESIG_REL_PORT, limit);
		int stpg = sg_find_id(p + 4, plen, SALUA_DESIG_TPG, limit);

		n_port_checks++;
		CHECK_EQ(port.has_rel_port ? port.rel_port : -1, srtp);
		CHECK_EQ(port.has_tpg ? port.tpg : -1, stpg);
		if (srtp >= 0 || stpg >= 0)
			n_port_found++;
	}
	guard_free(&g);
}

static const char *const vec_names[] = {
	"vpd83_seagate_sas_hdd",
	"vpd83_scsi_debug",
	"vpd83_emc_dmx",
	"vpd83_sg3_all_designator_types",
	"vpd83_sg3_ctrl_char_in_strings",
	"vpd83_emc_symmetrix_legacy_no_desc_header",
	"vpd83_sg3_name_len_not_mult4",
};

/* A random designator of any type; lengths mostly those the type uses. */
static void gen_desig(struct salua_vpd83_desig *d, uint8_t *val)
{
	static const uint8_t naa_nib[] = { 2, 3, 5, 6, 1, 0xf };
	unsigned type = rndn(20) < 18 ? rndn(11) : rndn(16), i, len, cs;

	switch (type) {
	case SALUA_DESIG_EUI64: len = 8 + 4 * rndn(3); break;
	case SALUA_DESIG_NAA: len = rndn(4) ? 8 : 16; break;
	case SALUA_DESIG_REL_PORT:
	case SALUA_DESIG_TPG:
	case SALUA_DESIG_LU_GROUP: len = 4; break;
	case SALUA_DESIG_MD5: len = 16; break;
	case SALUA_DESIG_UUID: len = 18; break;
	case SALUA_DESIG_SCSI_NAME: len = 4 * (1 + rndn(16)); break;
	case SALUA_DESIG_T10: len = 8 + rndn(24); break;
	default: len = rndn(32); break;
	}
	if (rndn(8) == 0)
		len = rndn(rndn(4) ? 24 : 256);
	for (i = 0; i < len; i++)
		val[i] = (uint8_t)rnd();
	if (type == SALUA_DESIG_NAA && len)
		val[0] = (uint8_t)(naa_nib[rndn(sizeof(naa_nib))] << 4 |
				   (val[0] & 0xf));
	if (type == SALUA_DESIG_SCSI_NAME || type == SALUA_DESIG_T10)
		for (i = 0; i < len; i++)
			val[i] = (uint8_t)(0x20 + rndn(0x5f));
	if (type == SALUA_DESIG_SCSI_NAME && len && rndn(4))
		val[len - 1] = 0;
	switch (type) {
	case SALUA_DESIG_T10: cs = SALUA_CODESET_ASCII; break;
	case SALUA_DESIG_SCSI_NAME: cs = SALUA_CODESET_UTF8; break;
	default: cs = SALUA_CODESET_BINARY; break;
	}
	if (rndn(4) == 0)
		cs = rndn(16);
	salua_vpd83_desig_set(d, (uint8_t)type, (uint8_t)cs,
			      (uint8_t)(rndn(8) ? rndn(3) : 3), val,
			      (uint8_t)len);
	d->piv = rndn(2) != 0;
	d->proto = (uint8_t)rndn(16);
	if (type == SALUA_DESIG_REL_PORT || type == SALUA_DESIG_TPG) {
		if (rndn(4)) {
			d->assoc = SALUA_ASSOC_TARGET_PORT;
			d->code_set = SALUA_CODESET_BINARY;
		}
	}
}

static void gen_page(unsigned iter)
{
	static uint8_t vals[MAXD][256];
	struct salua_vpd83_desig d[MAXD];
	uint8_t page[4 + MAXD * 260];
	unsigned n = rndn(13), i, m, nflip;
	int total;
	size_t len;
	char what[64];

	for (i = 0; i < n; i++)
		gen_desig(&d[i], vals[i]);
	total = salua_vpd83_encode(page, sizeof(page), (uint8_t)rndn(256), d,
				   n);
	if (total < 0) {
		CHECK_EQ(total, 0);
		return;
	}
	len = (size_t)total;
	m = rndn(8);
	switch (m) {
	case 0: /* as built */
	case 1:
		break;
	case 2: /* byte flips anywhere after the page code */
	case 3:
		for (nflip = 1 + rndn(4); nflip; nflip--)
			if (len > 2)
				page[2 + rndn((unsigned)len - 2)] ^=
					(uint8_t)(1u << rndn(8));
		break;
	case 4: { /* one designator length corrupted */
		struct salua_vpd83_iter it;
		struct salua_vpd83_desig x;
		unsigned pick = n ? rndn(n) : 0, k = 0;

		memset(&x, 0, sizeof(x));
		salua_vpd83_iter_init(&it, page, len);
		while (salua_vpd83_next(&it, &x) > 0 && k++ < pick)
			;
		if (n)
			page[x.off + 3] = (uint8_t)(rndn(2) ? rnd() :
					page[x.off + 3] + rndn(9) - 4);
		break;
	}
	case 5: /* PAGE LENGTH corrupted */
		salua_put_be16(page + 2,
			       (uint16_t)(rndn(2) ? rnd() :
				       (unsigned)total - 4 + rndn(17) - 8));
		break;
	case 6: /* short transfer */
		len = rndn((unsigned)len + 1);
		break;
	case 7: /* junk after the page, then maybe a flip */
		for (i = 0; i < 8 && len < sizeof(page); i++)
			page[len++] = (uint8_t)rnd();
		if (rndn(2))
			page[2 + rndn((unsigned)len - 2)] ^= 0x01;
		break;
	}
	snprintf(what, sizeof(what), "gen #%u (mutation %u)", iter, m);
	compare(page, len, what);
}

int main(int argc, char **argv)
{
	uint8_t raw[512];
	unsigned long iters = 100000, i;
	size_t n, L, v;
	char what[128];
	int c;

	rng_state = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x5a1a2026ull;
	if (argc > 2)
		iters = strtoul(argv[2], NULL, 0);
	printf("diff_vpd: seed 0x%llx, %lu generated pages\n",
	       (unsigned long long)rng_state, iters);

	for (v = 0; v < SALUA_ARRAY_SIZE(vec_names); v++) {
		n = t_load_hex(raw, sizeof(raw), "%s/vpd/%s.hex",
			       SALUA_TEST_DATA_DIR, vec_names[v]);
		for (L = 0; L <= n; L++) {
			snprintf(what, sizeof(what), "%s cut at %zu",
				 vec_names[v], L);
			compare(raw, L, what);
		}
	}
	for (i = 0; i < iters; i++)
		gen_page((unsigned)i);

	printf("pages %lu (vectors + cuts + generated), skipped (< 4 bytes) "
	       "%lu, designators %lu (%lu with problems)\n",
	       n_pages, n_skipped_short, n_desig, n_problem_desig);
	printf("field checks (sg filtered by assoc/type/code set) %lu, port "
	       "checks %lu (%lu with a port/TPG found)\n",
	       n_field_checks, n_port_checks, n_port_found);
	for (c = 0; c < C_NCLASS; c++)
		printf("  %8lu  %s\n", n_cls[c], cls_name[c]);
	return t_done("diff_vpd");
}
