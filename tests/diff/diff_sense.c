/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Differential test: salua_sense_normalize() against sg3_utils'
 * sg_scsi_normalize_sense() and sg_get_sense_info_fld() (libsgutils2), on
 * the public vectors at every truncation and on generated and mutated
 * inputs from a deterministic PRNG (seed printed; SALUA_DIFF_SEED and
 * SALUA_DIFF_N override).  Compared wherever both decoders consider a
 * field present: response code, sense key, ASC, ASCQ, INFORMATION.  Every
 * difference must fall into a class listed in docs/differences-sense.md;
 * anything else fails the test.  Also compares salua_asc_name() with
 * sg_get_asc_ascq_str() for every pair in our table, and the sense key
 * names with sg_get_sense_key_str().
 *
 * Descriptor format, on the same inputs: our descriptor walk
 * (salua_sense_desc_next()) against sg_scsi_sense_desc_find() (the first
 * descriptor of every type 0..255 at the same offset), and every user data
 * segment referral descriptor (0Bh) decoded by salua_referrals_sense_parse()
 * against sg_get_sense_descriptors_str()'s text: NOT_ALL_R, each segment's
 * first and last LBA, its groups and their states, and where sg3 says
 * "truncated descriptor".  Generated referral sense (our builder, cut and
 * mutated) makes sure the 0Bh path is exercised.
 */
#include <stdbool.h>
#include <scsi/sg_lib.h>

#include "salua/referrals.h"
#include "salua/sense.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

enum diff_class {
	DC_SHORT_NO_KEY,    /* sg3 accepts before the key arrived */
	DC_ASC_NO_ASCQ,     /* fixed: ASC inside, ASCQ cut */
	DC_DESC_BIT7,       /* descriptor search ignores byte 0 bit 7 = 1 */
	DC_INFO_DESC_CUT,   /* sg3 uses an information descriptor that overruns */
	DC_INFO_DESC_LONG,  /* information descriptor ADDITIONAL LENGTH > 10 */
	DC_UDS_TAIL,        /* 1..4 bytes after the last whole segment */
	DC_DESC_CLAMPED,    /* a cut or overrunning descriptor, decoded silently */
	DC_NCLASSES
};

static const char *const class_name[DC_NCLASSES] = {
	"short-no-key", "asc-without-ascq", "desc-byte0-bit7",
	"info-desc-overruns", "info-desc-longer", "uds-tail-ignored",
	"desc-cut-silent"
};

static unsigned long n_inputs, n_agree, n_unexplained;
static unsigned long n_class[DC_NCLASSES];
static unsigned long n_sg3_reject, n_both_have_asc;
static unsigned long n_walks, n_walk_types, n_uds, n_uds_segs, n_uds_trunc;

static uint64_t rng_state;

static uint64_t rnd(void)
{
	return t_splitmix64(&rng_state);
}

static unsigned rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* The one guard mapping every input of ours is placed in front of. */
static struct guard g_guard;
static uint8_t *g_end;

static void report(const uint8_t *b, size_t len, const char *why)
{
	size_t i;

	n_unexplained++;
	if (n_unexplained > 20)
		return;
	fprintf(stderr, "UNEXPLAINED (%s): len %zu:", why, len);
	for (i = 0; i < len; i++)
		fprintf(stderr, " %02x", b[i]);
	fprintf(stderr, "\n");
}

/* sg_lib's access state words (decode_tpgs_state()) back to the code. */
static int sg_state(const char *s)
{
	static const struct { const char *name; int st; } names[] = {
		{ "active/optimized", 0 }, { "active/non optimized", 1 },
		{ "standby", 2 }, { "unavailable", 3 }, { "offline", 14 },
		{ "transitioning between states", 15 },
	};
	unsigned i, v;

	for (i = 0; i < SALUA_ARRAY_SIZE(names); i++)
		if (strncmp(s, names[i].name, strlen(names[i].name)) == 0 &&
		    (s[strlen(names[i].name)] == '\n' ||
		     s[strlen(names[i].name)] == '\0'))
			return names[i].st;
	if (sscanf(s, "unknown: 0x%x", &v) == 1)
		return (int)v;
	return -1;
}

/*
 * One 0Bh descriptor: @txt is sg3's text for it (from its "Descriptor
 * type: " to the next).  Returns false on a difference.
 */
static bool compare_uds(const struct salua_sense_desc *d, const char *txt,
			bool *tail)
{
	struct salua_referrals_info info;
	struct salua_referrals_iter it;
	struct salua_uds_desc u;
	const char *p;
	unsigned long long first, last;
	unsigned nar, k;
	size_t rest;
	int rc;

	rc = salua_referrals_sense_parse(d, &info, &it);
	p = strstr(txt, "Not all referrals: ");
	if (rc != 0)
		return p == NULL && strstr(txt, "descriptor too short") != NULL;
	if (!p || sscanf(p, "Not all referrals: %u", &nar) != 1 ||
	    nar != (unsigned)info.not_all_r)
		return false;
	n_uds++;
	while (salua_referrals_next(&it, &u) == 1) {
		p = strstr(p, "first uds LBA: 0x");
		if (!p || sscanf(p, "first uds LBA: 0x%llx", &first) != 1 ||
		    first != u.first_lba)
			return false;
		p = strstr(p, "last uds LBA:  0x");
		if (!p || sscanf(p, "last uds LBA:  0x%llx", &last) != 1 ||
		    last != u.last_lba)
			return false;
		for (k = 0; k < u.ntpg; k++) {
			uint16_t tpg;
			uint8_t st;
			unsigned sg_tpg;
			const char *s;

			salua_uds_desc_tpg(&u, k, &st, &tpg);
			p = strstr(p, "tpg: ");
			if (!p || sscanf(p, "tpg: %u", &sg_tpg) != 1 ||
			    sg_tpg != tpg)
				return false;
			s = strstr(p, "state: ");
			if (!s || sg_state(s + 7) != st)
				return false;
			p = s;
		}
		n_uds_segs++;
	}
	/* nothing more listed by sg3, unless it says it stopped */
	if (strstr(p, "first uds LBA") != NULL)
		return false;
	rest = d->avail - info.complete_len;
	if (rest > 4u) {
		/* sg3 stops at a descriptor that does not fit; so do we */
		n_uds_trunc++;
		return strstr(p, "truncated descriptor, stop") != NULL &&
		       (info.truncated || info.overrun);
	}
	if (strstr(p, "truncated descriptor") != NULL)
		return false;
	if (rest > 0) {
		/* sg3 ignores a tail too short for a header; we flag it */
		*tail = true;
		return info.truncated || info.overrun;
	}
	/* whole segments only: flagged exactly when the sense walk cut it */
	return (info.truncated || info.overrun) ==
	       (d->status != SALUA_SDESC_ST_COMPLETE);
}

/*
 * Descriptor format only (byte 0 is 72h or 73h, which is all sg3's walk
 * takes): our walk's offsets against sg_scsi_sense_desc_find() for every
 * type, and the 0Bh descriptors against sg_get_sense_descriptors_str().
 */
static bool compare_walk(const uint8_t *in, const uint8_t *sgbuf, size_t len,
			 const struct salua_sense *s, bool *tail,
			 bool *clamped)
{
	static char txt[65536];
	struct salua_sense_desc_iter it;
	struct salua_sense_desc d[130];
	const char *blk[131];
	const uint8_t *sgd;
	size_t nd = 0, nb = 0, i;
	unsigned t;
	int depth = 0;
	char *q;

	if ((in[0] != 0x72 && in[0] != 0x73) || len < 8)
		return true;
	n_walks++;
	salua_sense_desc_first(&it, s);
	while (nd < SALUA_ARRAY_SIZE(d) && salua_sense_desc_next(&it, &d[nd]) == 1)
		nd++;
	for (t = 0; t < 256; t++) {
		sgd = sg_scsi_sense_desc_find(sgbuf, (int)len, (int)t);
		for (i = 0; i < nd && d[i].type != t; i++)
			;
		if ((sgd == NULL) != (i == nd) ||
		    (sgd && (size_t)(sgd - sgbuf) != d[i].off))
			return false;
		n_walk_types++;
	}
	sg_get_sense_descriptors_str("", sgbuf, (int)len, (int)sizeof(txt),
				     txt);
	/* top-level descriptors only: a forwarded sense (0Ch) is decoded
	 * again between "vvvv..." and "^^^^..." lines */
	for (q = txt; *q && nb < SALUA_ARRAY_SIZE(blk);) {
		char *eol = strchr(q, '\n');

		if (strstr(q, " vvvvvvvvvvvvvvvv") == q)
			depth++;
		else if (strstr(q, " ^^^^^^^^^^^^^^^^") == q)
			depth--;
		else if (depth == 0 && strncmp(q, "  Descriptor type: ", 19) == 0)
			blk[nb++] = q;
		if (!eol)
			break;
		q = eol + 1;
	}
	if (nb != nd)
		return false;
	for (i = 0; i < nd; i++) {
		if (i + 1 < nb)
			*(char *)(uintptr_t)(blk[i + 1] - 1) = '\0';
		if (d[i].status != SALUA_SDESC_ST_COMPLETE)
			*clamped = true;
		if (d[i].type == SALUA_SDESC_UDS_REFERRAL &&
		    !compare_uds(&d[i], blk[i], tail))
			return false;
	}
	return true;
}

static void compare(const uint8_t *in, size_t len)
{
	uint8_t sgbuf[512];
	struct sg_scsi_sense_hdr h;
	struct salua_sense s;
	const uint8_t *p;
	bool ok, sg_info, cls[DC_NCLASSES];
	bool sg_asc_in, sg_ascq_in, differ = false;
	uint64_t sg_infov = 0;
	size_t clamp;
	int rc, k;

	memset(cls, 0, sizeof(cls));
	n_inputs++;
	/* sg3 reads byte 4 of descriptor sense whatever the length, and may
	 * read an information descriptor past the data: give it room. */
	memset(sgbuf, 0, sizeof(sgbuf));
	memcpy(sgbuf, in, len);
	ok = sg_scsi_normalize_sense(sgbuf, (int)len, &h);
	sg_info = sg_get_sense_info_fld(sgbuf, (int)len, &sg_infov);

	p = g_end - len;
	memcpy((uint8_t *)(uintptr_t)p, in, len);
	rc = salua_sense_normalize(p, len, &s);
	if (rc == 0) {
		bool tail = false, clamped = false;

		if (!compare_walk(in, sgbuf, len, &s, &tail, &clamped)) {
			report(in, len, "descriptor walk or referral");
			return;
		}
		if (tail)
			n_class[DC_UDS_TAIL]++;
		if (clamped)
			n_class[DC_DESC_CLAMPED]++;
	}

	if (!ok) {
		n_sg3_reject++;
		if (rc == -SALUA_EPAGE || (len == 0 && rc == -SALUA_ETRUNC))
			n_agree++;
		else
			report(in, len, "sg3 rejects, salua accepts");
		return;
	}
	if (rc == -SALUA_ETRUNC) {
		bool desc = (in[0] & 0x7f) >= 0x72;

		if (len < (desc ? 2u : 3u) && h.sense_key == 0) {
			n_class[DC_SHORT_NO_KEY]++;
		} else {
			report(in, len, "salua ETRUNC");
		}
		return;
	}
	if (rc != 0) {
		report(in, len, "salua rejects, sg3 accepts");
		return;
	}
	if (h.response_code != s.response_code) {
		report(in, len, "response code");
		return;
	}
	if (h.sense_key != s.key) {
		report(in, len, "sense key");
		return;
	}

	/* Where sg3 considers ASC and ASCQ present (its rules). */
	if (s.descriptor) {
		sg_asc_in = len > 2;
		sg_ascq_in = len > 3;
	} else {
		clamp = len;
		if (len > 7 && (size_t)in[7] + 8 < clamp)
			clamp = (size_t)in[7] + 8;
		sg_asc_in = len > 7 && clamp > 12;
		sg_ascq_in = len > 7 && clamp > 13;
	}
	if ((!sg_asc_in && h.asc) || (!sg_ascq_in && h.ascq)) {
		report(in, len, "model of sg3 presence");
		return;
	}
	if (s.has_asc) {
		if (!sg_asc_in || !sg_ascq_in || h.asc != s.asc ||
		    h.ascq != s.ascq) {
			report(in, len, "asc/ascq");
			return;
		}
		n_both_have_asc++;
	} else if (sg_asc_in && !sg_ascq_in) {
		cls[DC_ASC_NO_ASCQ] = true;
		differ = true;
	} else if (sg_asc_in) {
		report(in, len, "asc presence");
		return;
	}

	/* INFORMATION. */
	if (sg_info != s.has_info ||
	    (sg_info && sg_infov != s.information)) {
		const uint8_t *d = NULL;
		size_t area = 0, off;

		if (s.descriptor) {
			area = len > 8 ? len - 8 : 0;
			if (len > 7 && in[7] < area)
				area = in[7];
		}
		if (s.descriptor && (in[0] & 0x80) && s.has_info && !sg_info) {
			cls[DC_DESC_BIT7] = true;
		} else if (s.descriptor && sg_info && !s.has_info &&
			   (d = sg_scsi_sense_desc_find(sgbuf, (int)len, 0)) &&
			   (off = (size_t)(d - sgbuf) - 8, off + 12 > area)) {
			cls[DC_INFO_DESC_CUT] = true;
		} else if (s.descriptor && s.has_info && !sg_info &&
			   salua_sense_find_desc(&s, 0, &d, &off) == 0 &&
			   d[1] > 0x0a) {
			cls[DC_INFO_DESC_LONG] = true;
		} else {
			report(in, len, "information");
			return;
		}
		differ = true;
	}

	if (!differ) {
		n_agree++;
		return;
	}
	for (k = 0; k < DC_NCLASSES; k++)
		if (cls[k])
			n_class[k]++;
}

/* A plausible descriptor chain at b[8..len), sometimes subtly wrong. */
static void gen_descriptors(uint8_t *b, size_t len)
{
	static const uint8_t types[] = { 0x00, 0x01, 0x02, 0x03, 0x05,
					 0x0a, 0x0b, 0x80 };
	size_t off = 8;

	while (off + 2 <= len) {
		uint8_t t = types[rndn(sizeof(types))];
		uint8_t al;

		switch (t) {
		case 0x00: al = 0x0a; break;
		case 0x01: al = 0x0a; break;
		case 0x02: al = 0x06; break;
		case 0x03: al = 0x02; break;
		default: al = (uint8_t)rndn(24); break;
		}
		if (rndn(8) == 0)
			al = (uint8_t)(al + rndn(5) - 2);
		b[off] = t;
		b[off + 1] = al;
		off += 2u + al;
	}
}

static size_t generate(uint8_t *b)
{
	size_t len = rndn(65), i;
	unsigned kind = rndn(20);

	for (i = 0; i < 64; i++)
		b[i] = (uint8_t)rnd();
	if (kind < 9)
		b[0] = (uint8_t)(0x70 + rndn(2) + (rndn(2) ? 0x80 : 0));
	else if (kind < 18)
		b[0] = (uint8_t)(0x72 + rndn(2) + (rndn(10) == 0 ? 0x80 : 0));
	switch (rndn(5)) {
	case 0:
	case 1:
		b[7] = (uint8_t)rnd();
		break;
	case 2:
	case 3: {
		int al = (int)len - 8 + (int)rndn(7) - 3;

		b[7] = (uint8_t)(al < 0 ? 0 : al);
		break;
	}
	default:
		b[7] = (uint8_t)rndn(17);
		break;
	}
	if ((b[0] & 0x7e) == 0x72 && rndn(2))
		gen_descriptors(b, len);
	return len;
}

static void mutate(uint8_t *b, size_t *len, size_t cap)
{
	unsigned n = 1 + rndn(4), i;

	for (i = 0; i < n; i++) {
		switch (rndn(5)) {
		case 0:
			if (*len)
				b[rndn((unsigned)*len)] ^= (uint8_t)(1u << rndn(8));
			break;
		case 1:
			if (*len)
				b[rndn((unsigned)*len)] = (uint8_t)rnd();
			break;
		case 2:
			if (*len > 7)
				b[7] = (uint8_t)(b[7] + rndn(9) - 4);
			break;
		case 3:
			*len = rndn((unsigned)*len + 1);
			break;
		default: {
			size_t grow = rndn(9), k;

			for (k = 0; k < grow && *len < cap; k++)
				b[(*len)++] = (uint8_t)rnd();
			break;
		}
		}
	}
}

/* Referral sense from our builder, then cut, bent or moved. */
static size_t generate_referral(uint8_t *b, size_t cap)
{
	struct salua_uds_tpg g[5][4];
	struct salua_uds_entry e[5];
	size_t n = 1 + rndn(5), i, k, len;
	uint64_t lba = rnd() % 1000;
	int rc;

	for (i = 0; i < n; i++) {
		e[i].first_lba = lba;
		e[i].last_lba = lba + rndn(5000);
		lba = e[i].last_lba + 1 + rndn(3);
		e[i].ntpg = (uint8_t)rndn(5);
		for (k = 0; k < e[i].ntpg; k++) {
			g[i][k].tpg_id = (uint16_t)rnd();
			g[i][k].state = (uint8_t)rndn(16);
		}
		e[i].tpgs = g[i];
	}
	if (rndn(8) == 0)
		e[0].last_lba = (uint64_t)-1;
	rc = salua_referrals_build_sense(b, cap, (uint8_t)rndn(16),
					 (uint8_t)rnd(), (uint8_t)rnd(),
					 rndn(2) != 0, e, n);
	if (rc < 0) {
		/* states above 15 or too many groups: not expected here */
		return 0;
	}
	len = (size_t)rc;
	if (rndn(3) == 0 && len + 12 <= cap && b[7] <= 255 - 12) {
		/* an information descriptor in front of the referral */
		memmove(b + 20, b + 8, len - 8);
		memset(b + 8, 0, 12);
		b[8] = 0x00;
		b[9] = 0x0a;
		b[10] = 0x80;
		b[7] = (uint8_t)(b[7] + 12);
		len += 12;
	}
	switch (rndn(6)) {
	case 0:
		len = rndn((unsigned)len + 1);
		break;
	case 1:
		b[7] = (uint8_t)(b[7] - rndn(9));
		break;
	case 2: {
		/* bend the 0Bh ADDITIONAL LENGTH */
		size_t at = b[8] == 0x0b ? 9 : 21;

		if (at < len)
			b[at] = (uint8_t)(b[at] + rndn(9) - 4);
		break;
	}
	case 3: {
		/* bend one segment's group count */
		size_t at = (b[8] == 0x0b ? 8 : 20) + 4 + 3;

		if (at < len)
			b[at] = (uint8_t)(b[at] + rndn(5) - 2);
		break;
	}
	case 4:
		mutate(b, &len, cap);
		break;
	default:
		break;
	}
	return len;
}

static void check_names(void)
{
	char buf[256];
	const char *prefix = "Additional sense: ";
	size_t plen = strlen(prefix);
	unsigned a, q, pairs = 0, same = 0, k;

	T_CASE("salua_asc_name() vs sg_get_asc_ascq_str()");
	for (a = 0; a < 256; a++)
		for (q = 0; q < 256; q++) {
			const char *ours = salua_asc_name((uint8_t)a, (uint8_t)q);

			if (!ours)
				continue;
			pairs++;
			sg_get_asc_ascq_str((int)a, (int)q, sizeof(buf), buf);
			if (strncmp(buf, prefix, plen) == 0 &&
			    strcmp(buf + plen, ours) == 0) {
				same++;
			} else {
				fprintf(stderr, "%02x/%02x: salua \"%s\" sg3 \"%s\"\n",
					a, q, ours, buf);
			}
		}
	CHECK(pairs >= 19);
	CHECK_EQ(same, pairs);
	printf("asc names: %u pairs in table, %u identical to sg3_utils\n",
	       pairs, same);
	T_CASE("salua_sense_key_name() vs sg_get_sense_key_str()");
	for (k = 0; k < 16; k++)
		CHECK_STR(salua_sense_key_name(k),
			  sg_get_sense_key_str((int)k, sizeof(buf), buf));
}

int main(void)
{
	static const char *const vecs[] = {
		"sense/sense_real_fixed_not_ready_tray_open.hex",
		"sense/sense_sg3_descriptor_many.hex",
	};
	uint8_t corpus[64][SALUA_SENSE_MAX_BUILD + 96];
	size_t corpus_len[64], ncorpus = 0;
	uint8_t b[SALUA_SENSE_MAX_BUILD + 96];
	unsigned long n_gen = 150000, n_mut = 50000, i;
	uint64_t seed = 0x53414c5541ull;
	const char *env;
	size_t v, len;

	env = getenv("SALUA_DIFF_SEED");
	if (env)
		seed = strtoull(env, NULL, 0);
	env = getenv("SALUA_DIFF_N");
	if (env) {
		n_gen = strtoul(env, NULL, 0);
		n_mut = n_gen / 3;
	}
	rng_state = seed;
	printf("diff.sense: seed 0x%llx\n", (unsigned long long)seed);

	{
		uint8_t dummy[1] = { 0 };

		guard_place(&g_guard, dummy, 1);
		g_end = g_guard.base + g_guard.page;
	}

	T_CASE("vectors, every truncation");
	for (v = 0; v < SALUA_ARRAY_SIZE(vecs); v++) {
		size_t n = t_load_hex(b, sizeof(b), "%s/%s",
				      SALUA_VECTORS_DIR, vecs[v]);

		for (len = 0; len <= n; len++)
			compare(b, len);
		memcpy(corpus[ncorpus], b, n);
		corpus_len[ncorpus++] = n;
	}
	/* Seed corpus: our own builder's output, both formats. */
	for (i = 0; ncorpus < SALUA_ARRAY_SIZE(corpus); i++) {
		struct salua_sense_spec sp;
		int n;

		memset(&sp, 0, sizeof(sp));
		sp.descriptor = i & 1;
		sp.deferred = (i >> 1) & 1;
		sp.has_info = (i >> 2) & 1;
		sp.has_sks = (i >> 3) & 1;
		sp.key = (uint8_t)(i % 16);
		sp.asc = (uint8_t)(0x04 + i);
		sp.ascq = (uint8_t)(i * 3);
		sp.information = 0x1122334455667788ull >> (sp.descriptor ? 0 : 32);
		salua_sks_field_pointer(sp.sks, true, (uint16_t)i, (int)(i % 9) - 1);
		n = salua_sense_build(corpus[ncorpus], sizeof(corpus[0]), &sp);
		if (n > 0) {
			compare(corpus[ncorpus], (size_t)n);
			corpus_len[ncorpus++] = (size_t)n;
		}
	}

	T_CASE("generated");
	for (i = 0; i < n_gen; i++) {
		len = generate(b);
		compare(b, len);
	}
	T_CASE("referral sense");
	for (i = 0; i < n_gen / 4; i++) {
		len = generate_referral(b, sizeof(b));
		if (len)
			compare(b, len);
	}
	T_CASE("mutated");
	for (i = 0; i < n_mut; i++) {
		size_t c = rndn((unsigned)ncorpus);

		memcpy(b, corpus[c], corpus_len[c]);
		len = corpus_len[c];
		mutate(b, &len, sizeof(b));
		compare(b, len);
	}
	guard_free(&g_guard);

	printf("inputs %lu, agree %lu (sg3 rejects too: %lu; ASC/ASCQ "
	       "compared equal: %lu), intended differences:",
	       n_inputs, n_agree, n_sg3_reject, n_both_have_asc);
	for (i = 0; i < DC_NCLASSES; i++)
		printf(" %s %lu%s", class_name[i], n_class[i],
		       i + 1 < DC_NCLASSES ? "," : "");
	printf("; unexplained %lu\n", n_unexplained);
	printf("descriptor walks compared %lu (%lu type lookups); referral "
	       "descriptors %lu, segments %lu, cut where sg3 stops too %lu\n",
	       n_walks, n_walk_types, n_uds, n_uds_segs, n_uds_trunc);
	T_CASE("no unexplained difference");
	CHECK_EQ(n_unexplained, 0);
	CHECK(n_inputs >= 100000);
	T_CASE("the descriptor and referral comparisons ran");
	CHECK(n_walks >= 10000);
	CHECK(n_uds >= 10000);
	CHECK(n_uds_segs >= 20000);
	CHECK(n_uds_trunc >= 100);
	CHECK(n_class[DC_UDS_TAIL] >= 10);

	check_names();
	return t_done("diff.sense");
}
