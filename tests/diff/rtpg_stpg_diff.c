/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Differential test: salua's RTPG decoder and RTPG/STPG encoders against
 * sg3_utils' own sg_rtpg and sg_stpg, run on a fake device through the
 * sgio_preload.so SG_IO shim (the tools have no --inhex).
 *
 * For every buffer sg_rtpg -d [-e] prints, each field of every group our
 * decoder reports complete is compared with sg_rtpg's text; group counts
 * must match exactly unless our decoder flags truncation (sg_rtpg decodes
 * zero fill past the received bytes and cut groups: docs/differences-tpg.md).
 * sg_stpg's CDB and parameter list are compared byte for byte with
 * salua_cdb_stpg() + salua_stpg_encode(), and its list is fed back into
 * salua_stpg_decode().
 *
 * Usage: rtpg_stpg_diff SHIM.so SG_RTPG SG_STPG [N_RANDOM]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "salua/cdb.h"
#include "salua/tpg.h"
#include "salua_test.h"
#include "vectors.h"
#include "shim_tool.h"

#define SG_BUF 1024u /* sg_rtpg 1.46's internal response buffer */
#define MAXG 512

struct sg_group {
	unsigned tpg, pref, fmt, state, sup[7], status, vendor, count, nlisted;
	unsigned ports[256];
};

struct sg_out {
	int rc;
	bool has_itt, bad_ext, too_long;
	unsigned itt;
	unsigned ngroups;
	struct sg_group g[MAXG];
};

static char *shim, *sg_rtpg_path, *sg_stpg_path;
static char opt_d[] = "-d", opt_e[] = "-e", opt_l[] = "-l", opt_t[] = "-t",
	opt_s[] = "-s";
static char dir[256], dev[300], rtpg_file[300], log_file[300], out_file[300],
	err_file[300];

/* figures for the report */
static unsigned long n_runs, n_groups_cmp, n_fields_cmp, n_exact,
	n_diff_trunc, n_diff_classic_to_e, n_diff_toolong, n_diff_hdr_outside,
	n_stpg_runs, n_stpg_match,
	n_stpg_rejected;

static uint32_t rng_state = 0x9e3779b9u;
static uint32_t rnd(void)
{
	return t_xorshift32(&rng_state);
}

/* Run @argv with the shim serving the RTPG file; exit status. */
static int run(char *const argv[], const char *xfer)
{
	static char e_rtpg[400], e_xfer[64];
	const char *env[3] = { e_rtpg, NULL, NULL };

	snprintf(e_rtpg, sizeof(e_rtpg), "SALUA_SHIM_RTPG=%s", rtpg_file);
	if (xfer) {
		snprintf(e_xfer, sizeof(e_xfer), "SALUA_SHIM_RTPG_XFER=%s", xfer);
		env[1] = e_xfer;
	}
	return shim_run(shim, argv, env, log_file, out_file, err_file);
}

static void parse_sg_rtpg(struct sg_out *o)
{
	char *text = shim_slurp(out_file), *line, *save = NULL;
	struct sg_group *g = NULL;
	unsigned a, b, c;

	o->ngroups = 0;
	o->has_itt = false;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "  Implicit transition time: %u", &a) == 1) {
			o->has_itt = true;
			o->itt = a;
		} else if (sscanf(line, "  target port group id : 0x%x , Pref=%u, Rtpg_fmt=%u",
				  &a, &b, &c) == 3) {
			if (o->ngroups >= MAXG) {
				g = NULL;
				continue;
			}
			g = &o->g[o->ngroups++];
			memset(g, 0, sizeof(*g));
			g->tpg = a;
			g->pref = b;
			g->fmt = c;
		} else if (!g) {
			continue;
		} else if (sscanf(line, "    target port group asymmetric access state : 0x%x",
				  &a) == 1) {
			g->state = a;
		} else if (sscanf(line, "    T_SUP : %u, O_SUP : %u, LBD_SUP : %u, U_SUP : %u, "
					"S_SUP : %u, AN_SUP : %u, AO_SUP : %u",
				  &g->sup[0], &g->sup[1], &g->sup[2], &g->sup[3],
				  &g->sup[4], &g->sup[5], &g->sup[6]) == 7) {
		} else if (sscanf(line, "    status code : 0x%x", &a) == 1) {
			g->status = a;
		} else if (sscanf(line, "    vendor unique status : 0x%x", &a) == 1) {
			g->vendor = a;
		} else if (sscanf(line, "    target port count : %x", &a) == 1) {
			g->count = a;
		} else if (sscanf(line, "      0x%x", &a) == 1) {
			if (g->nlisted < 256)
				g->ports[g->nlisted] = a;
			g->nlisted++;
		}
	}
	text = shim_slurp(err_file);
	o->bad_ext = strstr(text, "invalid extended header format") != NULL;
	o->too_long = strstr(text, "too long for internal buffer") != NULL;
}

static int check_log_cdb(const uint8_t *want, size_t n)
{
	char expect[128];
	size_t i, k = 0;

	k += (size_t)snprintf(expect + k, sizeof(expect) - k, "CDB");
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(expect + k, sizeof(expect) - k, " %02x", want[i]);
	return strstr(shim_slurp(log_file), expect) != NULL;
}

/*
 * Run sg_rtpg -d [-e] on @buf (@len bytes on the "device", @xfer cut) and
 * compare.  @tab, when given, is the table the buffer was encoded from.
 */
static void diff_rtpg(const char *what, const uint8_t *buf, size_t len,
		      bool ext, size_t xfer, const struct salua_tpg_entry *tab,
		      size_t ntab)
{
	static struct sg_out o;
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	char xs[32];
	char *argv_e[] = {sg_rtpg_path, opt_d, opt_e, dev, NULL};
	char *argv_c[] = {sg_rtpg_path, opt_d, dev, NULL};
	uint8_t cdb[12];
	size_t recv, k;
	unsigned i;
	int rc;
	bool ok = true;
	unsigned long before = t_fail;

	T_CASE(what);
	shim_write_hex(rtpg_file, buf, len);
	recv = len;
	if (xfer < recv)
		recv = xfer;
	if (recv > SG_BUF)
		recv = SG_BUF;
	snprintf(xs, sizeof(xs), "%zu", xfer);
	o.rc = run(ext ? argv_e : argv_c, xfer < len ? xs : NULL);
	n_runs++;
	parse_sg_rtpg(&o);
	CHECK_EQ(o.rc, 0);
	salua_cdb_rtpg(cdb, sizeof(cdb), ext ? SALUA_RTPG_PDF_EXTENDED : SALUA_RTPG_PDF_CLASSIC,
		       SG_BUF);
	CHECK(check_log_cdb(cdb, sizeof(cdb)));

	rc = salua_rtpg_parse(buf, recv, ext ? SALUA_RTPG_EXTENDED : SALUA_RTPG_CLASSIC,
			      &info, &it);
	if (recv >= 4)
		CHECK_EQ(o.too_long, (uint64_t)salua_get_be32(buf) + 4 > SG_BUF);
	if (o.too_long)
		n_diff_toolong++;
	if (ext && recv >= 5 && info.format == SALUA_RTPG_CLASSIC &&
	    salua_get_be32(buf) == 0 && (buf[4] & 0x70) == 0x10) {
		/* byte 4 lies outside RETURN DATA LENGTH: we do not read it */
		CHECK_EQ(o.ngroups, 0);
		CHECK_EQ(info.ngroups, 0);
		n_diff_hdr_outside++;
		return;
	}
	if (ext && recv >= 4 && info.format == SALUA_RTPG_CLASSIC) {
		/* a classic answer to an extended request: sg_rtpg gives up */
		CHECK(o.bad_ext);
		CHECK_EQ(o.ngroups, 0);
		n_diff_classic_to_e++;
		if (rc == 0)
			return;
	}
	if (rc != 0) {
		/* header cut: nothing to compare but the absence of groups */
		CHECK_EQ(rc, -SALUA_ETRUNC);
		return;
	}
	CHECK(!o.bad_ext);
	if (info.format == SALUA_RTPG_EXTENDED) {
		CHECK(o.has_itt);
		CHECK_EQ(o.itt, info.implicit_transition_time);
	} else {
		CHECK(!o.has_itt);
	}
	if (info.truncated) {
		CHECK(o.ngroups >= info.ngroups);
		n_diff_trunc++;
	} else {
		CHECK_EQ(o.ngroups, info.ngroups);
	}
	k = 0;
	while (salua_rtpg_next(&it, &d) == 1) {
		struct sg_group *g = &o.g[k];
		static const uint8_t bits[7] = {0x80, 0x40, 0x10, 0x08, 0x04, 0x02, 0x01};

		if (k >= o.ngroups) {
			ok = false;
			break;
		}
		CHECK_EQ(g->tpg, d.tpg_id);
		CHECK_EQ(g->pref, d.pref);
		CHECK_EQ(g->fmt, (d.byte0 >> 4) & 7);
		CHECK_EQ(g->state, d.state);
		for (i = 0; i < 7; i++)
			CHECK_EQ(g->sup[i], (d.supported & bits[i]) != 0);
		CHECK_EQ(g->status, d.status);
		CHECK_EQ(g->vendor, d.vendor);
		CHECK_EQ(g->count, d.port_count);
		CHECK_EQ(g->nlisted, d.port_count);
		for (i = 0; i < d.port_count && i < 256; i++)
			CHECK_EQ(g->ports[i], salua_tpg_desc_port(&d, i));
		n_fields_cmp += 11u + d.port_count;
		if (tab) {
			/* target side: sg_rtpg sees exactly the table we encoded */
			CHECK(k < ntab);
			if (k < ntab) {
				CHECK_EQ(g->tpg, tab[k].tpg_id);
				CHECK_EQ(g->state, tab[k].state);
				CHECK_EQ(g->pref, tab[k].pref);
				CHECK_EQ(g->status, tab[k].status);
				CHECK_EQ(g->vendor, tab[k].vendor);
				CHECK_EQ(g->count, tab[k].nports);
				for (i = 0; i < tab[k].nports && i < g->nlisted; i++)
					CHECK_EQ(g->ports[i], tab[k].ports[i]);
			}
		}
		k++;
		n_groups_cmp++;
	}
	CHECK(ok);
	CHECK_EQ(k, info.ngroups);
	if (t_fail == before && !info.truncated)
		n_exact++;
	if (t_fail != before)
		fprintf(stderr, "  (case %s: len %zu xfer %zu ext %d)\n", what, len, xfer, ext);
}

/* Random raw parameter data, reserved bits included. */
static size_t gen_raw(uint8_t *b, size_t cap, bool ext)
{
	size_t off = ext ? 8 : 4, ng, i, k;
	uint32_t r = rnd();

	ng = (r % 8 == 0) ? rnd() % 40 : rnd() % 10;
	memset(b, 0, 8);
	if (ext) {
		b[4] = (uint8_t)(0x10 | (rnd() & 0x8f));
		b[5] = (uint8_t)rnd();
		b[6] = (uint8_t)rnd();
		b[7] = (uint8_t)rnd();
	}
	for (i = 0; i < ng; i++) {
		unsigned cnt;
		uint32_t q = rnd();

		if (q % 10 == 0)
			cnt = 0;
		else if (q % 10 == 1)
			cnt = rnd() % 256;
		else
			cnt = rnd() % 6;
		if (off + 8 + 4 * cnt > cap)
			break;
		for (k = 0; k < 8; k++)
			b[off + k] = (uint8_t)rnd();
		if (q % 3 == 0) /* mostly valid-looking states */
			b[off] = (uint8_t)((b[off] & 0x80) | (rnd() % 5));
		b[off + 7] = (uint8_t)cnt;
		off += 8;
		for (k = 0; k < 4 * cnt; k++)
			b[off + k] = (uint8_t)rnd();
		off += 4 * cnt;
	}
	salua_put_be32(b, (uint32_t)(off - 4));
	return off;
}

static void gen_table(struct salua_tpg_entry *g, size_t *ng, uint16_t (*ports)[16])
{
	size_t i, k;

	*ng = rnd() % 12;
	for (i = 0; i < *ng; i++) {
		uint32_t r = rnd();
		static const uint8_t st[7] = {0, 1, 2, 3, 4, 0xe, 0xf};

		g[i].tpg_id = (uint16_t)rnd();
		g[i].state = st[r % 7];
		g[i].pref = (r >> 8) & 1;
		g[i].supported = (uint8_t)(r >> 16) & SALUA_SUP_ALL;
		g[i].status = (uint8_t)((r >> 24) % 3);
		g[i].vendor = (uint8_t)rnd();
		g[i].nports = (uint8_t)(rnd() % 16);
		for (k = 0; k < g[i].nports; k++)
			ports[i][k] = (uint16_t)rnd();
		g[i].ports = ports[i];
	}
}

static void fixed_cases(void)
{
	uint8_t b[128];
	size_t n;

	n = t_load_hex(b, sizeof(b), "%s/%s", SALUA_VECTORS_DIR,
		       "rtpg/rtpg_sg3utils_testcode_dummy.hex");
	CHECK_EQ(n, 32);
	diff_rtpg("vector rtpg_sg3utils_testcode_dummy", b, n, false, n, NULL, 0);
	diff_rtpg("vector, sg_rtpg -e (classic answer)", b, n, true, n, NULL, 0);

	n = t_hex("00 00 00 18 02 0f 03 00 00 00 00 01 00 00 00 01 "
		  "03 08 03 80 00 00 00 01 00 00 00 02", b, sizeof(b));
	diff_rtpg("scsi_debug", b, n, false, n, NULL, 0);
	diff_rtpg("scsi_debug, sg_rtpg -e", b, n, true, n, NULL, 0);

	n = t_hex("00 00 00 1c 80 03 00 01 00 02 00 01 00 00 00 01 "
		  "80 03 00 02 00 02 00 02 00 00 00 02 00 00 00 03", b, sizeof(b));
	diff_rtpg("istgt", b, n, false, n, NULL, 0);
	diff_rtpg("istgt cut at 16", b, n, false, 16, NULL, 0);

	/* LIO 6.1: extended, RDL without the extended header, 4 bytes short */
	n = t_hex("00 00 00 1c 10 3c 00 00 "
		  "80 cf 00 10 00 01 00 02 00 00 00 01 00 00 00 02 "
		  "02 cf 00 20 00 00 00 01 00 00 00 03", b, sizeof(b));
	diff_rtpg("LIO extended-header quirk", b, n, true, 32, NULL, 0);
	salua_put_be32(b, 32);
	diff_rtpg("extended header, correct", b, n, true, n, NULL, 0);

	/* every captured answer under tests/data/rtpg, both requests */
	{
		DIR *dp = opendir(SALUA_TEST_DATA_DIR "/rtpg");
		struct dirent *e;
		static char names[64][256];
		unsigned nf = 0;

		while (dp && (e = readdir(dp)) != NULL && nf < 64) {
			size_t l = strlen(e->d_name);

			if (l > 4 && strcmp(e->d_name + l - 4, ".hex") == 0)
				snprintf(names[nf++], sizeof(names[0]), "%s", e->d_name);
		}
		if (dp)
			closedir(dp);
		CHECK(nf >= 5);
		while (nf--) {
			n = t_load_hex(b, sizeof(b), "%s/rtpg/%s",
				       SALUA_TEST_DATA_DIR, names[nf]);
			diff_rtpg(names[nf], b, n, false, n, NULL, 0);
			diff_rtpg(names[nf], b, n, true, n, NULL, 0);
		}
	}
}

static void random_cases(unsigned count)
{
	static uint8_t b[65536];
	static struct salua_tpg_entry tab[16];
	static uint16_t ports[16][16];
	unsigned i;
	char name[64];

	for (i = 0; i < count; i++) {
		bool ext = rnd() & 1;
		size_t n, xfer;
		uint32_t r = rnd();

		snprintf(name, sizeof(name), "random #%u", i);
		if (r % 5 == 0) {
			size_t ng;
			int len;

			gen_table(tab, &ng, ports);
			len = salua_rtpg_encode(b, sizeof(b),
						ext ? SALUA_RTPG_EXTENDED : SALUA_RTPG_CLASSIC,
						(uint8_t)rnd(), tab, ng);
			CHECK(len > 0);
			diff_rtpg(name, b, (size_t)len, ext, (size_t)len, tab, ng);
			continue;
		}
		n = gen_raw(b, sizeof(b), ext);
		xfer = n;
		if (r % 7 == 1) /* target cuts the transfer */
			xfer = rnd() % (n + 1);
		if (r % 11 == 2 && n >= 8) /* RETURN DATA LENGTH under-counts */
			salua_put_be32(b, salua_get_be32(b) - 4);
		if (r % 13 == 3) /* RETURN DATA LENGTH over-counts */
			salua_put_be32(b, salua_get_be32(b) + 1 + rnd() % 64);
		/* now and then ask sg_rtpg for the other format */
		diff_rtpg(name, b, n, (r % 9 == 4) ? !ext : ext, xfer, NULL, 0);
	}
}

static const char *tok(uint8_t s, uint32_t r)
{
	static char num[8];

	if (r & 1) {
		snprintf(num, sizeof(num), "%u", s);
		return num;
	}
	switch (s) {
	case 0: return "ao";
	case 1: return "an";
	case 2: return "s";
	case 3: return "u";
	default: return "o";
	}
}

static void stpg_case(const struct salua_stpg_desc *d, size_t n, bool offline)
{
	char tp[512], stl[256], dout[512], cdbl[64];
	char *argv[6];
	uint8_t want[64], cdb[12];
	int len, rc;
	size_t i, k1 = 0, k2 = 0;
	char *log;
	struct salua_stpg_desc back[16];
	size_t nb = 16;

	T_CASE("sg_stpg parameter list");
	for (i = 0; i < n; i++) {
		uint32_t r = rnd();

		k1 += (size_t)snprintf(tp + k1, sizeof(tp) - k1, "%s%s", i ? "," : "",
				       "");
		if (r & 2)
			k1 += (size_t)snprintf(tp + k1, sizeof(tp) - k1, "0x%x", d[i].id);
		else
			k1 += (size_t)snprintf(tp + k1, sizeof(tp) - k1, "%u", d[i].id);
		if (!offline)
			k2 += (size_t)snprintf(stl + k2, sizeof(stl) - k2, "%s%s",
					       i ? "," : "", tok(d[i].state, r >> 8));
	}
	argv[0] = sg_stpg_path;
	if (offline) {
		argv[1] = opt_l;
		argv[2] = opt_t;
		argv[3] = tp;
		argv[4] = dev;
		argv[5] = NULL;
	} else {
		static char tpo[520], sto[270];

		snprintf(tpo, sizeof(tpo), "--tp=%s", tp);
		snprintf(sto, sizeof(sto), "--state=%s", stl);
		argv[1] = tpo;
		argv[2] = sto;
		argv[3] = dev;
		argv[4] = NULL;
	}
	rc = run(argv, NULL);
	n_stpg_runs++;
	CHECK_EQ(rc, 0);
	len = salua_stpg_encode(want, sizeof(want), d, n);
	CHECK_EQ(len, 4 + 4 * (int)n);
	salua_cdb_stpg(cdb, sizeof(cdb), (uint32_t)len);
	k1 = 0;
	k1 += (size_t)snprintf(cdbl + k1, sizeof(cdbl) - k1, "CDB");
	for (i = 0; i < 12; i++)
		k1 += (size_t)snprintf(cdbl + k1, sizeof(cdbl) - k1, " %02x", cdb[i]);
	k2 = (size_t)snprintf(dout, sizeof(dout), "DOUT");
	for (i = 0; i < (size_t)len; i++)
		k2 += (size_t)snprintf(dout + k2, sizeof(dout) - k2, " %02x", want[i]);
	strcat(dout, "\n");
	strcat(cdbl, "\n");
	log = shim_slurp(log_file);
	CHECK(strstr(log, cdbl) == log);
	CHECK(strstr(log, dout) != NULL);
	if (strstr(log, cdbl) == log && strstr(log, dout))
		n_stpg_match++;
	else
		fprintf(stderr, "  want %s  and %s  got  %s", cdbl, dout, log);
	CHECK_EQ(salua_stpg_decode(want, (size_t)len, 0, back, &nb), 0);
	CHECK_EQ(nb, n);
	for (i = 0; i < n && i < nb; i++) {
		CHECK_EQ(back[i].state, d[i].state);
		CHECK_EQ(back[i].id, d[i].id);
	}
}

static void stpg_cases(void)
{
	struct salua_stpg_desc d[12];
	static const uint8_t st[5] = {0, 1, 2, 3, 0xe};
	unsigned it;
	size_t i, n, nb;
	uint8_t b[128];
	char *argv[4];
	struct salua_stpg_desc back[16];
	char *log, *p;

	d[0].state = 0;
	d[0].id = 0x102;
	d[1].state = 2;
	d[1].id = 0x101;
	stpg_case(d, 2, false); /* --tp=0x102,0x101 --state=ao,s */
	for (it = 0; it < 60; it++) {
		n = 1 + rnd() % 8;
		for (i = 0; i < n; i++) {
			d[i].state = st[rnd() % 5];
			d[i].id = (uint16_t)rnd();
		}
		stpg_case(d, n, false);
	}
	for (it = 0; it < 10; it++) {
		n = 1 + rnd() % 4;
		for (i = 0; i < n; i++) {
			d[i].state = SALUA_STATE_OFFLINE;
			d[i].id = (uint16_t)rnd();
		}
		stpg_case(d, n, true);
	}

	/*
	 * sg_stpg's automatic mode copies every group's current state into
	 * its list, OFFLINE and TRANSITIONING included; a target must reject
	 * that list (SPC-5 §6.49), and our decoder does.
	 */
	T_CASE("sg_stpg -s sends transitioning: decoder rejects");
	n = t_hex("00 00 00 2c 00 07 01 01 00 00 00 01 00 00 00 02 "
		  "01 07 01 02 00 00 00 00 02 07 01 03 00 00 00 00 "
		  "0e 47 01 04 00 00 00 00 0f c7 01 05 00 00 00 00", b, sizeof(b));
	shim_write_hex(rtpg_file, b, n);
	argv[0] = sg_stpg_path;
	argv[1] = opt_s;
	argv[2] = dev;
	argv[3] = NULL;
	run(argv, NULL);
	n_stpg_runs++;
	log = shim_slurp(log_file);
	p = strstr(log, "DOUT");
	CHECK(p != NULL);
	if (p) {
		n = t_hex(p + 4, b, sizeof(b));
		CHECK_EQ(n, 24);
		nb = 16;
		CHECK_EQ(salua_stpg_decode(b, n, SALUA_SUP_ALL, back, &nb), -SALUA_ENOTSUP);
		CHECK_EQ(nb, 4);
		CHECK_EQ(b[4 + 4 * 4], SALUA_STATE_TRANSITIONING);
		n_stpg_rejected++;
	}
}

int main(int argc, char **argv)
{
	unsigned count = 1000;
	int fd;

	if (argc < 4) {
		fprintf(stderr, "usage: %s SHIM.so SG_RTPG SG_STPG [N]\n", argv[0]);
		return 2;
	}
	shim = argv[1];
	sg_rtpg_path = argv[2];
	sg_stpg_path = argv[3];
	if (argc > 4)
		count = (unsigned)strtoul(argv[4], NULL, 0);
	if (access(shim, R_OK) || access(sg_rtpg_path, X_OK) || access(sg_stpg_path, X_OK)) {
		fprintf(stderr, "missing shim or sg3_utils tools\n");
		return 77;
	}
	snprintf(dir, sizeof(dir), "%s/salua-rtpg-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(dev, sizeof(dev), "%s/dev", dir);
	snprintf(rtpg_file, sizeof(rtpg_file), "%s/rtpg.hex", dir);
	snprintf(log_file, sizeof(log_file), "%s/log", dir);
	snprintf(out_file, sizeof(out_file), "%s/out", dir);
	snprintf(err_file, sizeof(err_file), "%s/err", dir);
	fd = open(dev, O_WRONLY | O_CREAT, 0600); /* the "device": a regular file */
	if (fd >= 0)
		close(fd);

	fixed_cases();
	random_cases(count);
	stpg_cases();

	printf("sg_rtpg runs %lu: %lu groups / %lu fields compared, %lu exact "
	       "whole-answer matches; intended differences: %lu truncated "
	       "(sg_rtpg decodes past received bytes), %lu classic answers to -e, "
	       "%lu longer than sg_rtpg's 1024-byte buffer, %lu extended "
	       "byte 4 outside RETURN DATA LENGTH\n",
	       n_runs, n_groups_cmp, n_fields_cmp, n_exact, n_diff_trunc,
	       n_diff_classic_to_e, n_diff_toolong, n_diff_hdr_outside);
	printf("sg_stpg runs %lu: %lu CDB + parameter list pairs byte-identical "
	       "to salua_cdb_stpg() + salua_stpg_encode(); %lu sg_stpg list "
	       "rejected by salua_stpg_decode (transitioning)\n",
	       n_stpg_runs, n_stpg_match, n_stpg_rejected);
	unlink(dev);
	unlink(rtpg_file);
	unlink(log_file);
	unlink(out_file);
	unlink(err_file);
	rmdir(dir);
	return t_done("diff.rtpg_stpg");
}
