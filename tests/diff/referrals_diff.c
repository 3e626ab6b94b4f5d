/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Differential test: salua's REPORT REFERRALS decoder (salua/referrals.h)
 * and CDB builder (salua/cdb.h) against sg3_utils' sg_referrals, run on a
 * fake device through the sgio_preload.so SG_IO shim (the tool has no
 * --inhex).
 *
 * Each run serves parameter data (our encoder's, then cut by the
 * allocation length or the transfer, with the header length, a group
 * count or the reserved bytes bent) to `sg_referrals -m LEN [-l LBA] [-s]`
 * and compares, segment by segment, what the tool prints completely
 * (first and last LBA, each group's id and state) with the segments
 * salua_referrals_parse() returns from the bytes received, and the
 * tool's "bad user data segment referral descriptor" with our truncated /
 * overrun flags.  The CDB the tool sent is compared byte for byte with
 * salua_cdb_report_referrals() and parsed back by salua_cdb_parse().
 * Differences must fall into the classes of docs/differences-target.md
 * ("REPORT REFERRALS, host side"); anything else fails.
 *
 * Usage: referrals_diff SHIM.so SG_REFERRALS [N_RANDOM]
 */
#include <inttypes.h>
#include <stdbool.h>

#include "salua/cdb.h"
#include "salua/referrals.h"
#include "salua_test.h"
#include "vectors.h"
#include "shim_tool.h"

#define MAXS 64
#define MAXT 16

struct sg_seg {
	bool head; /* its count and LBA lines were printed */
	unsigned ntpg, listed;
	uint64_t first, last;
	unsigned tpg[MAXT];
	int state[MAXT]; /* -1: "unknown" (a reserved state) */
};

struct sg_out {
	unsigned nseg;
	bool bad;
	struct sg_seg s[MAXS];
};

static char *shim, *tool;
static char dir[256], dev[300], data_file[300], log_file[300], out_file[300],
	err_file[300];

static unsigned long n_runs, n_exact, n_segs_cmp, n_groups_cmp, n_bad_both,
	n_cdb_match, n_resid, n_reserved, n_unexplained;

static uint32_t rng_state = 0x5eed2026u;
static uint32_t rnd(void)
{
	return t_xorshift32(&rng_state);
}

/* Run the tool with the shim serving the data file; exit status. */
static int run(char *const argv[], long xfer)
{
	static char e_data[400], e_xfer[64];
	const char *env[3] = { e_data, NULL, NULL };

	snprintf(e_data, sizeof(e_data), "SALUA_SHIM_REFERRALS=%s", data_file);
	if (xfer >= 0) {
		snprintf(e_xfer, sizeof(e_xfer),
			 "SALUA_SHIM_REFERRALS_XFER=%ld", xfer);
		env[1] = e_xfer;
	}
	return shim_run(shim, argv, env, log_file, out_file, err_file);
}

/* sg_referrals' state words back to the code. */
static int sg_state(const char *s)
{
	static const struct {
		const char *name;
		int st;
	} names[] = {
		{ "active/optimized)", 0 }, { "active/non optimized)", 1 },
		{ "standby)", 2 }, { "unavailable)", 3 },
		{ "logical block dependent)", 4 }, { "offline)", 14 },
		{ "transitioning between states)", 15 }, { "unknown)", -1 },
	};
	unsigned i;

	for (i = 0; i < SALUA_ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].st;
	return -2;
}

static void parse_out(struct sg_out *o)
{
	char *text = shim_slurp(out_file), *line, *save = NULL;
	struct sg_seg *s = NULL;
	unsigned a;
	unsigned long long f, l;
	char st[64];

	memset(o, 0, sizeof(*o));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "  descriptor %u:", &a) == 1) {
			s = o->nseg < MAXS ? &o->s[o->nseg++] : NULL;
		} else if (!s) {
			continue;
		} else if (sscanf(line, "    target port descriptors: %u",
				  &a) == 1) {
			s->ntpg = a;
		} else if (sscanf(line,
				  "    user data segment: first lba %llu, "
				  "last lba %llu", &f, &l) == 2) {
			s->first = f;
			s->last = l;
			s->head = true;
		} else if (sscanf(line, "        port group %x state (%63[^\n]",
				  &a, st) == 2) {
			if (s->listed < MAXT) {
				s->tpg[s->listed] = a;
				s->state[s->listed] = sg_state(st);
			}
			s->listed++;
		}
	}
	o->bad = strstr(shim_slurp(err_file),
			"bad user data segment referral descriptor") != NULL;
}

static bool sg_complete(const struct sg_seg *s)
{
	return s->head && s->listed == s->ntpg;
}

static void report(const uint8_t *b, size_t n, unsigned maxlen, long xfer,
		   const char *why)
{
	size_t i;

	n_unexplained++;
	if (n_unexplained > 10)
		return;
	fprintf(stderr, "UNEXPLAINED (%s): maxlen %u xfer %ld, %zu bytes:",
		why, maxlen, xfer, n);
	for (i = 0; i < n; i++)
		fprintf(stderr, " %02x", b[i]);
	fprintf(stderr, "\n");
}

/*
 * Our complete segments against the first ones sg_referrals listed whole;
 * returns how many matched, or -1 on a difference.
 */
static long compare_prefix(const uint8_t *b, size_t recv,
			   const struct sg_out *o,
			   struct salua_referrals_info *info)
{
	struct salua_referrals_iter it;
	struct salua_uds_desc d;
	unsigned k, i = 0;

	if (salua_referrals_parse(b, recv, info, &it) != 0)
		return recv < 4 ? 0 : -1;
	while (salua_referrals_next(&it, &d) == 1) {
		const struct sg_seg *s = &o->s[i];

		if (i >= o->nseg || !sg_complete(s) || s->ntpg != d.ntpg ||
		    s->first != d.first_lba || s->last != d.last_lba)
			return -1;
		for (k = 0; k < d.ntpg && k < MAXT; k++) {
			uint16_t tpg;
			uint8_t st;
			int want;

			salua_uds_desc_tpg(&d, k, &st, &tpg);
			want = (st >= 5 && st <= 13) ? -1 : st;
			if (s->tpg[k] != tpg || s->state[k] != want)
				return -1;
			n_groups_cmp++;
		}
		n_segs_cmp++;
		i++;
	}
	return (long)i;
}

/*
 * One run: @b (@n bytes) served; the tool asks for @maxlen; the shim
 * transfers at most @xfer (-1: all).
 */
static void one(const uint8_t *b, size_t n, unsigned maxlen, long xfer,
		uint64_t lba, bool one_seg)
{
	char m_opt[32], l_opt[48], s_opt[] = "-s";
	char *argv[8];
	struct sg_out o;
	struct salua_referrals_info info;
	uint8_t cdb[16];
	char want[128];
	size_t recv, announced, region, i, k;
	long matched;
	unsigned argc = 0;
	uint32_t be32;
	bool resid, reserved;

	shim_write_hex(data_file, b, n);
	snprintf(m_opt, sizeof(m_opt), "--maxlen=%u", maxlen);
	snprintf(l_opt, sizeof(l_opt), "--lba=%" PRIu64, lba);
	argv[argc++] = tool;
	argv[argc++] = m_opt;
	argv[argc++] = l_opt;
	if (one_seg)
		argv[argc++] = s_opt;
	argv[argc++] = dev;
	argv[argc] = NULL;
	n_runs++;
	if (run(argv, xfer) != 0) {
		report(b, n, maxlen, xfer, "sg_referrals failed");
		return;
	}
	/* The CDB it sent is ours, byte for byte, and parses back. */
	salua_cdb_report_referrals(cdb, sizeof(cdb), lba, maxlen, one_seg);
	k = (size_t)snprintf(want, sizeof(want), "CDB");
	for (i = 0; i < sizeof(cdb); i++)
		k += (size_t)snprintf(want + k, sizeof(want) - k, " %02x", cdb[i]);
	if (strstr(shim_slurp(log_file), want)) {
		struct salua_cdb c;

		if (salua_cdb_parse(cdb, sizeof(cdb), &c) == 0 &&
		    c.service_action == SALUA_SAI_REPORT_REFERRALS &&
		    c.lba == lba && c.alloc_len == maxlen &&
		    c.one_seg == one_seg)
			n_cdb_match++;
		else
			report(b, n, maxlen, xfer, "CDB does not parse back");
	} else {
		report(b, n, maxlen, xfer, "CDB differs");
	}
	if (maxlen < 4)
		return; /* the tool decodes nothing */

	parse_out(&o);
	recv = n < maxlen ? n : maxlen;
	if (xfer >= 0 && (size_t)xfer < recv)
		recv = (size_t)xfer;
	announced = n >= 4 ? 4u + ((size_t)b[2] << 8 | b[3]) : 0;
	be32 = n >= 4 ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
				(uint32_t)b[2] << 8 | b[3] : 0;
	/* bytes 0..1 are reserved; sg_referrals reads them as length */
	reserved = n >= 2 && (b[0] || b[1]);
	region = announced < maxlen ? announced : maxlen;
	/* the tool decodes up to its region whatever arrived */
	resid = recv < region && !reserved;

	if (recv < 4) {
		/* no header: ours says so; the tool reads it from zero fill */
		if (salua_referrals_parse(b, recv, &info, NULL) !=
		    -SALUA_ETRUNC)
			report(b, n, maxlen, xfer, "header cut");
		n_resid++;
		return;
	}
	if (reserved && be32 > 0x7ffffffbu) {
		/* 4 + that length overflows the tool's int: it lists nothing */
		n_reserved++;
		if (o.nseg != 0)
			report(b, n, maxlen, xfer, "negative length decoded");
		return;
	}
	matched = compare_prefix(b, recv, &o, &info);
	if (matched < 0) {
		report(b, n, maxlen, xfer, "segments");
		return;
	}
	if (reserved) {
		/* a larger length: it decodes on to its allocation length */
		n_reserved++;
		return;
	}
	if (resid) {
		/* it decodes the zero fill past the bytes received */
		n_resid++;
		return;
	}
	/* Same bytes on both sides: the same whole segments, no more. */
	{
		size_t ours = (size_t)matched, whole = 0, left;
		bool flagged = info.truncated || info.overrun;

		for (i = 0; i < o.nseg && sg_complete(&o.s[i]); i++)
			whole++;
		left = region - (info.complete_len ? info.complete_len : 4u);
		if (region < 4)
			left = 0;
		if (whole != ours || o.bad != (left > 0) ||
		    (left > 0 && !flagged) ||
		    info.truncated != (recv < announced)) {
			report(b, n, maxlen, xfer, "end of the list");
			return;
		}
		if (o.bad)
			n_bad_both++;
		n_exact++;
	}
}

/* Random segments through our encoder. */
static size_t gen(uint8_t *buf, size_t cap)
{
	struct salua_uds_tpg g[8][5];
	struct salua_uds_entry e[8];
	size_t n = rnd() % 9, i, k;
	uint64_t lba = rnd() % 4096;
	int len;

	for (i = 0; i < n; i++) {
		e[i].first_lba = lba;
		e[i].last_lba = lba + rnd() % 100000;
		lba = e[i].last_lba + 1 + rnd() % 3;
		e[i].ntpg = (uint8_t)(rnd() % 6);
		for (k = 0; k < e[i].ntpg; k++) {
			g[i][k].tpg_id = (uint16_t)rnd();
			g[i][k].state = (uint8_t)(rnd() % 16);
		}
		e[i].tpgs = g[i];
	}
	if (n && rnd() % 6 == 0)
		e[n - 1].last_lba = UINT64_MAX;
	len = salua_referrals_encode(buf, cap, e, n);
	return len < 0 ? 0 : (size_t)len;
}

static void fixed_cases(void)
{
	static const char *const files[] = {
		"referrals_three_segments", "referrals_cut",
		"referrals_overrun", "referrals_unordered",
		"referrals_header_cut",
	};
	uint8_t b[512];
	size_t i, n;

	T_CASE("the regression vectors, whole and at every cut");
	for (i = 0; i < SALUA_ARRAY_SIZE(files); i++) {
		unsigned m;

		n = t_load_hex(b, sizeof(b), "%s/vectors/referrals/%s.hex",
			       SALUA_TEST_DATA_DIR, files[i]);
		one(b, n, 256, -1, 0, false);
		for (m = 4; m <= n + 1; m += 3)
			one(b, n, m, -1, (uint64_t)m << 20, m & 1);
	}
}

static void random_cases(unsigned count)
{
	uint8_t b[1024];
	unsigned i;

	T_CASE("generated, cut and bent");
	for (i = 0; i < count; i++) {
		size_t n = gen(b, sizeof(b));
		unsigned maxlen = (unsigned)n;
		long xfer = -1;
		/* sg_referrals reads --lba as a signed 64-bit number */
		uint64_t lba = ((uint64_t)rnd() << 32 | rnd()) >> (1 + rnd() % 63);

		switch (rnd() % 8) {
		case 0:
			maxlen = 256;
			break;
		case 1:
			maxlen = (unsigned)(rnd() % (n + 8));
			break;
		case 2: /* the header length bent */
			if (n >= 4)
				b[3] = (uint8_t)(b[3] + rnd() % 9 - 4);
			maxlen = (unsigned)n + rnd() % 16;
			break;
		case 3: /* a group count bent */
			if (n >= 8)
				b[7] = (uint8_t)(b[7] + rnd() % 5 - 2);
			break;
		case 4: /* reserved bytes set */
			if (n >= 2)
				b[rnd() % 2] = (uint8_t)rnd();
			break;
		case 5: /* the transfer cut short */
			xfer = (long)(rnd() % (n + 1));
			break;
		default:
			maxlen = (unsigned)n + rnd() % 32;
			break;
		}
		one(b, n, maxlen, xfer, lba, rnd() & 1);
	}
}

int main(int argc, char **argv)
{
	unsigned count = 600;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s SHIM.so SG_REFERRALS [N]\n", argv[0]);
		return 2;
	}
	shim = argv[1];
	tool = argv[2];
	if (argc > 3)
		count = (unsigned)strtoul(argv[3], NULL, 0);
	if (access(shim, R_OK) || access(tool, X_OK)) {
		fprintf(stderr, "missing shim or sg_referrals\n");
		return 77;
	}
	snprintf(dir, sizeof(dir), "%s/salua-referrals-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(dev, sizeof(dev), "%s/dev", dir);
	snprintf(data_file, sizeof(data_file), "%s/referrals.hex", dir);
	snprintf(log_file, sizeof(log_file), "%s/log", dir);
	snprintf(out_file, sizeof(out_file), "%s/out", dir);
	snprintf(err_file, sizeof(err_file), "%s/err", dir);
	fd = open(dev, O_WRONLY | O_CREAT, 0600); /* the "device" */
	if (fd >= 0)
		close(fd);

	fixed_cases();
	random_cases(count);

	printf("sg_referrals runs %lu: CDB identical and parsed back %lu; "
	       "%lu answers compared exactly (%lu segments, %lu groups; %lu "
	       "ending in a descriptor both call bad); intended differences: "
	       "%lu transfer shorter than the length (sg_referrals decodes "
	       "the zero fill), %lu reserved bytes 0..1 set (sg_referrals "
	       "reads them as length); unexplained %lu\n",
	       n_runs, n_cdb_match, n_exact, n_segs_cmp, n_groups_cmp,
	       n_bad_both, n_resid, n_reserved, n_unexplained);
	T_CASE("no unexplained difference");
	CHECK_EQ(n_unexplained, 0);
	CHECK_EQ(n_cdb_match, n_runs);
	CHECK(n_exact >= n_runs / 2);
	CHECK(n_bad_both >= 10);
	CHECK(n_segs_cmp >= 500);
	unlink(dev);
	unlink(data_file);
	unlink(log_file);
	unlink(out_file);
	unlink(err_file);
	rmdir(dir);
	return t_done("diff.referrals");
}
