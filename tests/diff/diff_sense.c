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
 */
#include <stdbool.h>
#include <scsi/sg_lib.h>

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
	DC_NCLASSES
};

static const char *const class_name[DC_NCLASSES] = {
	"short-no-key", "asc-without-ascq", "desc-byte0-bit7",
	"info-desc-overruns", "info-desc-longer"
};

static unsigned long n_inputs, n_agree, n_unexplained;
static unsigned long n_class[DC_NCLASSES];
static unsigned long n_sg3_reject, n_both_have_asc;

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
	T_CASE("no unexplained difference");
	CHECK_EQ(n_unexplained, 0);
	CHECK(n_inputs >= 100000);

	check_names();
	return t_done("diff.sense");
}
