/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * tcmu_oracle - the Linux kernel as an independent oracle for LU identity
 * and access state.  Runs in a guest next to salua-target (docs/target.md).
 *
 *   tcmu_oracle vpd83 SERVED.hex H:C:T:L [--kasan] [VECTOR.hex...]
 *	For each page (the public vectors, then a generated set): write it
 *	to SERVED.hex (salua-target serves it as VPD 0x83, vpd83=), make the
 *	kernel re-read it (`echo 1 > rescan`), read back the kernel's copy
 *	(vpd_pg83) and its name for the LU (wwid), and compare that name byte
 *	for byte with salua_vpd83_lu_name() on the very bytes the kernel
 *	holds.
 *   tcmu_oracle watch SECONDS H:C:T:L...
 *	Every 50 ms, each device's access_state and preferred_path; prints
 *	"W <CLOCK_MONOTONIC ms> H:C:T:L STATE PREF" for the first reading and
 *	for each change (how the kernel handlers' view moves in a scenario).
 *   tcmu_oracle tur INTERVAL_MS SECONDS /dev/sgN...
 *	A path checker as multipathd's "tur": TEST UNIT READY on each device
 *	every INTERVAL_MS (so unit attentions reach the handlers without I/O).
 *   tcmu_oracle burst /dev/sgN...
 *	One TEST UNIT READY on every device at the same moment (sg's
 *	asynchronous write/read interface): how a unit attention on every
 *	I_T nexus reaches the handlers when I/O runs on every path.
 *   tcmu_oracle rtpg SERVED.hex H:C:T:L TPG LOG [--kasan] [VECTOR.hex...]
 *	The same for REPORT TARGET PORT GROUPS (rtpg=): scsi_dh_alua attached
 *	to the device re-reads RTPG on rescan; its access_state and
 *	preferred_path are compared with our decode (salua_rtpg_parse) of the
 *	bytes it received, for the path's group TPG.  LOG is salua-target's
 *	log, used to see the kernel's RTPG answered.
 *
 * One line per page: "VPD|RTPG NAME same|diff|oob|stale ...", then a
 * summary.  "oob": the kernel's own walk of this page reads past its
 * buffer (modelled below from its documented behaviour), so its answer
 * depends on memory after the page: listed, never compared, and not
 * served at all with --kasan (KASAN would stop the test).  "stale": the
 * kernel's copy is not what it should hold after the rescan.
 */
#define SALUA_IMPLEMENTATION
#include "salua/salua.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAXPG 2048

struct page {
	char name[80];
	uint8_t b[MAXPG];
	size_t len;
};

static const char *served;
static char sysdev[256];
static bool kasan;
static unsigned n_same, n_diff, n_oob, n_stale, n_pages;

/* ---- small helpers ------------------------------------------------------ */

static void msleep(unsigned ms)
{
	struct timespec ts = { ms / 1000u, (long)(ms % 1000u) * 1000000L };

	nanosleep(&ts, NULL);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int read_raw(const char *attr, uint8_t *buf, size_t cap, int *err)
{
	char p[512];
	int fd;
	ssize_t n, tot = 0;

	snprintf(p, sizeof(p), "%s/%s", sysdev, attr);
	fd = open(p, O_RDONLY);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	while ((size_t)tot < cap && (n = read(fd, buf + tot, cap - (size_t)tot)) > 0)
		tot += n;
	*err = n < 0 ? errno : 0;
	close(fd);
	return n < 0 && !tot ? -1 : (int)tot;
}

static int write_attr(const char *attr, const char *v)
{
	char p[512];
	int fd, rc;

	snprintf(p, sizeof(p), "%s/%s", sysdev, attr);
	fd = open(p, O_WRONLY);
	if (fd < 0)
		return -1;
	rc = write(fd, v, strlen(v)) == (ssize_t)strlen(v) ? 0 : -1;
	close(fd);
	return rc;
}

/* Atomically replace the served page (salua-target re-reads on change). */
static int serve(const struct page *pg)
{
	char tmp[512];
	FILE *f;
	size_t i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", served);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	for (i = 0; i < pg->len; i++)
		fprintf(f, "%02x%c", pg->b[i], (i % 16 == 15) ? '\n' : ' ');
	fputc('\n', f);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, served);
}

static void esc(const uint8_t *b, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < cap; i++) {
		if (b[i] >= 0x21 && b[i] < 0x7f && b[i] != '\\')
			out[o++] = (char)b[i];
		else
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", b[i]);
	}
	out[o] = '\0';
}

static void hex(const uint8_t *b, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 3 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x", b[i]);
	out[o] = '\0';
}

static int load_hex(const char *path, struct page *pg)
{
	FILE *f = fopen(path, "r");
	const char *base = strrchr(path, '/');
	int c, hi = -1, v;

	if (!f)
		return -1;
	pg->len = 0;
	while ((c = fgetc(f)) != EOF) {
		if (c == '#') {
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			if (pg->len < MAXPG)
				pg->b[pg->len++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	fclose(f);
	snprintf(pg->name, sizeof(pg->name), "vector:%s",
		 base ? base + 1 : path);
	return 0;
}

/* Deterministic generator (the page set is the same on every run). */
static uint32_t rnd_state = 0x5a1a2026u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* ---- the kernel's walk of page 0x83, modelled only for how far it reads */

static unsigned kprio(const uint8_t *d)
{
	if (d[1] & 0x30 || !d[3])
		return 0;
	switch (d[1] & 0xfu) {
	case 8: return 9;
	case 3:
		switch (d[4] >> 4) {
		case 6: return 8;
		case 5: return 5;
		case 4: return 4;
		case 3: return 1;
		default: return 0;
		}
	case 2:
		return d[3] == 16 ? 7 : d[3] == 12 ? 6 : d[3] == 8 ? 3 : 0;
	case 1: return 1;
	default: return 0;
	}
}

/*
 * How far scsi_vpd_lun_id() reads into the page buffer of @len bytes
 * (drivers/scsi/scsi_lib.c, same in 6.1 and 6.12): it walks descriptors
 * while the start is below len, without checking that a header or a body
 * fits.  Returns the end of the furthest byte read; > len means it reads
 * past the buffer.  The id buffer is PAGE_SIZE.
 */
static size_t kernel_reach(const uint8_t *b, size_t len)
{
	enum { IDLEN = 4096 };
	static uint8_t pad[70000 + 600];
	size_t off = 4, reach = len, n;
	unsigned cur_prio = 0, cur_size = 0, prio;

	memset(pad, 0, sizeof(pad));
	memcpy(pad, b, len);
	while (off < len) {
		const uint8_t *d = pad + off;

		if (off + 4 > reach)
			reach = off + 4;
		if (!(d[1] & 0x30) && d[3] && (d[1] & 0xfu) == 3 &&
		    off + 5 > reach)
			reach = off + 5;
		prio = kprio(d);
		if (prio && cur_prio <= prio) {
			n = 0;
			switch (d[1] & 0xfu) {
			case 1:
				if (cur_size > d[3])
					break;
				cur_prio = prio;
				cur_size = d[3];
				n = cur_size + 4u > IDLEN ? IDLEN - 4u : cur_size;
				break;
			case 2:
			case 3:
				cur_prio = prio;
				cur_size = d[3];
				if (cur_size == 8 || cur_size == 16 ||
				    ((d[1] & 0xfu) == 2 && cur_size == 12))
					n = cur_size;
				break;
			case 8:
				if (cur_size > d[3])
					break;
				cur_prio = prio;
				cur_size = d[3];
				n = cur_size;
				break;
			default:
				break;
			}
			if (n && off + 4 + n > reach)
				reach = off + 4 + n;
		}
		off += (size_t)d[3] + 4u;
		if (off >= sizeof(pad) - 260)
			break;
	}
	return reach;
}

/* What the kernel keeps after INQUIRY EVPD 0x83 answered with @pg:
 * 4 + PAGE LENGTH bytes, zero-filled past what was sent; nothing when the
 * page code is wrong or PAGE LENGTH is 0 (scsi_vpd_inquiry() -EIO). */
static bool kernel_copy(const struct page *pg, uint8_t *out, size_t *len)
{
	size_t claim;

	if (pg->len < 4 || pg->b[1] != 0x83)
		return false;
	claim = 4u + salua_get_be16(pg->b + 2);
	if (claim == 4)
		return false;
	memset(out, 0, claim);
	memcpy(out, pg->b, pg->len < claim ? pg->len : claim);
	*len = claim;
	return true;
}

/* ---- VPD 0x83: one page ---------------------------------------------------- */

static uint8_t kcur[70000];
static size_t kcur_len;
static bool kcur_ok;

static void vpd_one(const struct page *pg)
{
	static uint8_t want[70000], kpg[70000], wwid[8192];
	char kesc[1200], sesc[1200], name[4096], hx[4200];
	size_t wlen = 0;
	bool fresh;
	int klen, wl, kerr, werr, rc;
	const char *verdict;

	n_pages++;
	fresh = kernel_copy(pg, want, &wlen);
	if (!fresh) {
		memcpy(want, kcur, kcur_len);
		wlen = kcur_len;
	}
	if (fresh && kernel_reach(want, wlen) > wlen) {
		hex(pg->b, pg->len, hx, sizeof(hx));
		printf("VPD %s oob reach=%zu len=%zu%s page=%s\n", pg->name,
		       kernel_reach(want, wlen), wlen,
		       kasan ? " (not served: KASAN)" : "", hx);
		n_oob++;
		if (kasan)
			return;
	}
	if (serve(pg) < 0 || write_attr("rescan", "1") < 0) {
		printf("VPD %s error serving or rescanning: %s\n", pg->name,
		       strerror(errno));
		n_stale++;
		return;
	}
	klen = read_raw("vpd_pg83", kpg, sizeof(kpg), &kerr);
	wl = read_raw("wwid", wwid, sizeof(wwid), &werr);
	if (fresh && kernel_reach(want, wlen) > wlen) {
		/* Listed above; remember what the kernel holds now. */
		if (klen > 0) {
			memcpy(kcur, kpg, (size_t)klen);
			kcur_len = (size_t)klen;
		}
		esc(wwid, wl > 0 ? (size_t)wl : 0, kesc, sizeof(kesc));
		printf("VPD %s oob-kernel-said wwid=%s\n", pg->name,
		       wl >= 0 ? kesc : strerror(werr));
		return;
	}
	if (klen < 0 || (size_t)klen != wlen || memcmp(kpg, want, wlen)) {
		hex(kpg, klen > 0 ? (size_t)klen : 0, hx, sizeof(hx));
		printf("VPD %s stale kernel holds %d bytes: %s\n", pg->name,
		       klen, hx);
		n_stale++;
		if (klen > 0) {
			memcpy(kcur, kpg, (size_t)klen);
			kcur_len = (size_t)klen;
		}
		return;
	}
	memcpy(kcur, kpg, (size_t)klen);
	kcur_len = (size_t)klen;
	kcur_ok = true;
	/* The kernel's attribute: the id (its length as the kernel says), '\n'. */
	if (wl > 0 && wwid[wl - 1] == '\n')
		wl--;
	rc = salua_vpd83_lu_name(kpg, (size_t)klen, name, sizeof(name), NULL);
	if (wl < 0 && rc < 0)
		verdict = "same";
	else if (wl >= 0 && rc >= 0 && (size_t)wl == (size_t)rc &&
		 !memcmp(wwid, name, (size_t)rc))
		verdict = "same";
	else
		verdict = "diff";
	if (*verdict == 's')
		n_same++;
	else
		n_diff++;
	esc(wwid, wl > 0 ? (size_t)wl : 0, kesc, sizeof(kesc));
	esc((const uint8_t *)name, rc > 0 ? (size_t)rc : 0, sesc, sizeof(sesc));
	hex(pg->b, pg->len, hx, sizeof(hx));
	printf("VPD %s %s kernel=%s%s salua=%s%s", pg->name, verdict,
	       wl >= 0 ? "'" : "", wl >= 0 ? kesc : strerror(werr),
	       rc >= 0 ? "'" : "", rc >= 0 ? sesc : salua_errname(rc));
	if (*verdict == 'd')
		printf(" page=%s", hx);
	printf("\n");
}

/* ---- the generated VPD 0x83 set ------------------------------------------ */

struct dz {
	uint8_t b[260];
	size_t len;
	char tag[40];
};

static void mk(struct dz *z, const char *tag, uint8_t b0, uint8_t b1,
	       const uint8_t *id, size_t n, int len_field)
{
	z->b[0] = b0;
	z->b[1] = b1;
	z->b[2] = 0;
	z->b[3] = (uint8_t)(len_field >= 0 ? len_field : (int)n);
	if (n)
		memcpy(z->b + 4, id, n);
	z->len = 4 + n;
	snprintf(z->tag, sizeof(z->tag), "%s", tag);
}

/* b0: protocol id << 4 | code set; b1: PIV << 7 | assoc << 4 | type */
#define B1(assoc, type) (uint8_t)((assoc) << 4 | (type))

static void fill(uint8_t *v, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = (uint8_t)((seed >> (8 * (i % 4))) + i * 37u + 11u);
}

static void page_of(struct page *pg, const char *name, struct dz *const *z,
		    unsigned nz)
{
	size_t o = 4;
	unsigned i;

	pg->b[0] = 0;
	pg->b[1] = 0x83;
	for (i = 0; i < nz; i++) {
		memcpy(pg->b + o, z[i]->b, z[i]->len);
		o += z[i]->len;
	}
	salua_put_be16(pg->b + 2, (uint16_t)(o - 4));
	pg->len = o;
	snprintf(pg->name, sizeof(pg->name), "%s", name);
}

static struct dz pool[600];
static unsigned npool;

static struct dz *add(void)
{
	return &pool[npool++];
}

static void build_pool(void)
{
	static const uint8_t naa_nib[] = { 0x2, 0x3, 0x4, 0x5, 0x6, 0x1, 0xe };
	static const uint8_t naa_len[] = { 8, 16, 4, 12, 15, 20 };
	static const uint8_t eui_len[] = { 8, 12, 16, 4, 10, 20 };
	static const uint8_t t10_len[] = { 1, 7, 8, 9, 20, 28, 40, 64, 120, 255 };
	uint8_t v[255];
	char tag[40];
	unsigned i, j, a, k;

	npool = 0;
	for (i = 0; i < sizeof(naa_nib); i++)
		for (j = 0; j < sizeof(naa_len); j++) {
			fill(v, naa_len[j], 0x1000u * i + j);
			v[0] = (uint8_t)(naa_nib[i] << 4 | (v[0] & 0xf));
			snprintf(tag, sizeof(tag), "naa%x/%u", naa_nib[i],
				 naa_len[j]);
			mk(add(), tag, 0x01, B1(0, 3), v, naa_len[j], -1);
		}
	for (j = 0; j < sizeof(eui_len); j++) {
		fill(v, eui_len[j], 0x2000u + j);
		snprintf(tag, sizeof(tag), "eui/%u", eui_len[j]);
		mk(add(), tag, 0x01, B1(0, 2), v, eui_len[j], -1);
	}
	for (j = 0; j < sizeof(t10_len); j++) {
		for (k = 0; k < t10_len[j]; k++)
			v[k] = (uint8_t)('A' + (k * 7 + j) % 26);
		memcpy(v, "SALUA   ", t10_len[j] < 8 ? t10_len[j] : 8);
		snprintf(tag, sizeof(tag), "t10/%u", t10_len[j]);
		mk(add(), tag, 0x02, B1(0, 1), v, t10_len[j], -1);
	}
	/* T10 with a control character, a backslash, a byte >= 0x80, spaces. */
	memcpy(v, "VEN\nDOR SER\\AL\x80\x7f  \x01", 19);
	mk(add(), "t10/odd-bytes", 0x02, B1(0, 1), v, 19, -1);
	memcpy(v, "        ", 8);
	mk(add(), "t10/spaces", 0x02, B1(0, 1), v, 8, -1);
	/* SCSI name strings of every length, text without a NUL. */
	for (j = 1; j <= 255; j++) {
		for (k = 0; k < j; k++)
			v[k] = (uint8_t)"iqn.2026-11.org.salua:lu-name.0123456789abcdefghij"[k % 50];
		snprintf(tag, sizeof(tag), "name/%u", j);
		mk(add(), tag, 0x03, B1(0, 8), v, j, -1);
	}
	/* ...and NUL-terminated, padded to a multiple of 4 (SPC-5 7.7.6.11). */
	for (j = 1; j <= 60; j++) {
		size_t n = (j + 4u) & ~3u;

		memset(v, 0, n);
		for (k = 0; k < j; k++)
			v[k] = (uint8_t)"naa.60014055a1a0000000000000000001ABCDEFGHIJKLMNOPQRSTUVWXYZ"[k % 60];
		snprintf(tag, sizeof(tag), "name-nul/%u", j);
		mk(add(), tag, 0x03, B1(0, 8), v, n, -1);
	}
	memset(v, 0, 8);
	mk(add(), "name/empty", 0x03, B1(0, 8), v, 8, -1);
	memcpy(v, "eui.\x01\x1f\xc3\xa9\\\x7f\x00\x00", 12);
	mk(add(), "name/ctl-utf8", 0x03, B1(0, 8), v, 12, -1);
	memcpy(v, "iqn.x\0iqn.y\0\0\0", 12);
	mk(add(), "name/embedded-nul", 0x03, B1(0, 8), v, 12, -1);
	/* Other types, and LU designators under other associations. */
	for (i = 0; i < 16; i++) {
		if (i == 1 || i == 2 || i == 3 || i == 8)
			continue;
		fill(v, 16, 0x3000u + i);
		snprintf(tag, sizeof(tag), "type%x/16", i);
		mk(add(), tag, 0x01, B1(0, i), v, 16, -1);
	}
	for (a = 1; a < 4; a++) {
		fill(v, 16, 0x4000u + a);
		v[0] = 0x61;
		snprintf(tag, sizeof(tag), "naa6/assoc%u", a);
		mk(add(), tag, 0x01, B1(a, 3), v, 16, -1);
		for (k = 0; k < 12; k++)
			v[k] = (uint8_t)"iqn.assoc.xx"[k];
		snprintf(tag, sizeof(tag), "name/assoc%u", a);
		mk(add(), tag, 0x03, B1(a, 8), v, 12, -1);
	}
	/* PIV set and a protocol identifier; binary NAA with code set ASCII. */
	fill(v, 16, 0x5000u);
	v[0] = 0x62;
	mk(add(), "naa6/piv-sas", 0x61, (uint8_t)(0x80 | B1(0, 3)), v, 16, -1);
	mk(add(), "naa6/codeset-ascii", 0x02, B1(0, 3), v, 16, -1);
	mk(add(), "naa6/len0", 0x01, B1(0, 3), v, 0, -1);
}

static struct dz *find(const char *tag)
{
	unsigned i;

	for (i = 0; i < npool; i++)
		if (!strcmp(pool[i].tag, tag))
			return &pool[i];
	fprintf(stderr, "tcmu_oracle: no designator '%s'\n", tag);
	exit(2);
}

static unsigned gen_vpd(void)
{
	static const char *const rank[] = {
		"name/12", "name/40", "name-nul/20", "naa6/16", "eui/16",
		"eui/12", "naa5/8", "naa4/8", "naa2/8", "eui/8", "naa3/8",
		"t10/9", "t10/28", "naa6/8", "eui/10", "naa1/8", "type0/16",
		"name/assoc2", "naa6/assoc1",
	};
	struct page pg;
	struct dz *z[6], *base[3];
	unsigned i, j, k, n = 0;
	char nm[80];

	build_pool();
	/* Every candidate alone. */
	for (i = 0; i < npool; i++) {
		z[0] = &pool[i];
		snprintf(nm, sizeof(nm), "gen:one:%s", pool[i].tag);
		page_of(&pg, nm, z, 1);
		vpd_one(&pg);
		n++;
	}
	/* Every ordered pair of the ranking representatives. */
	for (i = 0; i < SALUA_ARRAY_SIZE(rank); i++)
		for (j = 0; j < SALUA_ARRAY_SIZE(rank); j++) {
			if (i == j)
				continue;
			z[0] = find(rank[i]);
			z[1] = find(rank[j]);
			snprintf(nm, sizeof(nm), "gen:pair:%s+%s", rank[i],
				 rank[j]);
			page_of(&pg, nm, z, 2);
			vpd_one(&pg);
			n++;
		}
	/* Random mixes of 2..6 designators from the whole pool. */
	for (i = 0; i < 150; i++) {
		unsigned nz = 2 + rnd() % 5;
		size_t tot = 4;

		for (k = 0; k < nz; k++) {
			z[k] = &pool[rnd() % npool];
			tot += z[k]->len;
		}
		if (tot > 1000)
			nz = 2;
		snprintf(nm, sizeof(nm), "gen:mix:%u", i);
		page_of(&pg, nm, z, nz);
		vpd_one(&pg);
		n++;
	}
	/* Wrong lengths around a three-designator page. */
	base[0] = find("t10/28");
	base[1] = find("naa6/16");
	base[2] = find("name-nul/20");
	page_of(&pg, "", base, 3);
	{
		struct page p0 = pg, w;
		int d;
		size_t cut;

		for (d = -8; d <= 8; d++) {
			if (!d)
				continue;
			w = p0;
			salua_put_be16(w.b + 2, (uint16_t)((int)(p0.len - 4) + d));
			snprintf(w.name, sizeof(w.name), "gen:pagelen%+d", d);
			vpd_one(&w);
			n++;
		}
		for (cut = 5; cut < p0.len; cut += 3) {
			w = p0;
			w.len = cut; /* PAGE LENGTH claims the whole page */
			snprintf(w.name, sizeof(w.name), "gen:short-transfer:%zu",
				 cut);
			vpd_one(&w);
			n++;
		}
		for (d = 1; d <= 3; d++) {
			w = p0;
			memset(w.b + w.len, 0, (size_t)d);
			w.len += (size_t)d;
			salua_put_be16(w.b + 2, (uint16_t)(w.len - 4));
			snprintf(w.name, sizeof(w.name), "gen:stray-bytes:%d", d);
			vpd_one(&w);
			n++;
		}
		w = p0;
		w.b[4 + base[0]->len + 3] = 200; /* NAA-6 length past the page */
		snprintf(w.name, sizeof(w.name), "gen:desig-overruns");
		vpd_one(&w);
		n++;
		w = p0;
		salua_put_be16(w.b + 2, 0);
		snprintf(w.name, sizeof(w.name), "gen:pagelen0");
		vpd_one(&w);
		n++;
		w = p0;
		w.b[1] = 0x80;
		snprintf(w.name, sizeof(w.name), "gen:wrong-page-code");
		vpd_one(&w);
		n++;
	}
	return n;
}

/* ---- RTPG ----------------------------------------------------------------- */

static const char *logpath;
static unsigned path_tpg;

/* RTPGs salua-target has answered so far (its log: "cmd L P rtpg..."). */
static unsigned rtpg_count(void)
{
	FILE *f = fopen(logpath, "r");
	char line[512];
	unsigned n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " rtpg") && strstr(line, " cmd "))
			n++;
	fclose(f);
	return n;
}

/* What scsi_dh_alua's alua_rtpg() holds: it asks for 128 bytes, then for
 * RETURN DATA LENGTH + 4 if that is more; its buffer is that size, zeroed
 * past what arrived.  Returns the buffer size; *got = bytes received. */
static size_t rtpg_kernel_buf(const struct page *pg, uint8_t *buf,
			      size_t *got, size_t *claim)
{
	size_t alloc = 128, n;
	uint8_t hdr[4] = { 0, 0, 0, 0 };

	memcpy(hdr, pg->b, pg->len < 4 ? pg->len : 4);
	*claim = (size_t)salua_get_be32(hdr) + 4u;
	if (*claim > alloc)
		alloc = *claim;
	n = pg->len < alloc ? pg->len : alloc;
	if (alloc > 70000)
		alloc = 70000;
	memset(buf, 0, alloc);
	memcpy(buf, pg->b, n);
	*got = n;
	return alloc;
}

/* How far alua_rtpg()'s descriptor loop reads (k < len, desc[7]). */
static size_t rtpg_kernel_reach(const uint8_t *b, size_t claim)
{
	size_t k = (b[4] & 0x70) == 0x10 ? 8 : 4, reach = 0;

	while (k < claim) {
		if (k + 8 > reach)
			reach = k + 8;
		k += 8u + 4u * b[k + 7];
		if (k > 70000 - 300)
			break;
	}
	return reach;
}

static void rtpg_one(const struct page *pg)
{
	static uint8_t kb[70000];
	char kst[64], kpref[8], hx[600], ours[64];
	size_t bufsz, got, claim, reach;
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	unsigned before, cnt, stable;
	uint64_t t0;
	int kerr, n, rc;
	bool found = false, opref = false;
	uint8_t ost = 0;

	n_pages++;
	bufsz = rtpg_kernel_buf(pg, kb, &got, &claim);
	reach = rtpg_kernel_reach(kb, claim);
	hex(pg->b, pg->len, hx, sizeof(hx));
	if (reach > bufsz) {
		printf("RTPG %s oob reach=%zu buffer=%zu%s page=%s\n", pg->name,
		       reach, bufsz, kasan ? " (not served: KASAN)" : "", hx);
		n_oob++;
		if (kasan)
			return;
	}
	before = rtpg_count();
	if (serve(pg) < 0 || write_attr("rescan", "1") < 0) {
		printf("RTPG %s error serving or rescanning\n", pg->name);
		n_stale++;
		return;
	}
	/* Answered, then quiet for 150 ms: the kernel has applied it. */
	t0 = now_ms();
	cnt = before;
	stable = 0;
	while (now_ms() - t0 < 5000) {
		unsigned c = rtpg_count();

		if (c != cnt) {
			cnt = c;
			stable = 0;
		} else if (c > before && ++stable >= 15) {
			break;
		}
		msleep(10);
	}
	if (cnt == before) {
		printf("RTPG %s stale: no RTPG after the rescan\n", pg->name);
		n_stale++;
		return;
	}
	n = read_raw("access_state", (uint8_t *)kst, sizeof(kst) - 1, &kerr);
	kst[n > 0 ? n : 0] = '\0';
	if (n > 0 && kst[n - 1] == '\n')
		kst[n - 1] = '\0';
	n = read_raw("preferred_path", (uint8_t *)kpref, sizeof(kpref) - 1,
		     &kerr);
	kpref[n > 0 ? n : 0] = '\0';
	if (n > 0 && kpref[n - 1] == '\n')
		kpref[n - 1] = '\0';
	if (reach > bufsz) {
		printf("RTPG %s oob-kernel-said %s pref=%s\n", pg->name, kst,
		       kpref);
		return;
	}
	/* Ours: the bytes the kernel received, as our engine would ask. */
	rc = salua_rtpg_parse(kb, got, SALUA_RTPG_EXTENDED, &info, &it);
	if (rc == 0)
		while (salua_rtpg_next(&it, &d) == 1)
			if (d.tpg_id == path_tpg && !found) {
				found = true;
				ost = d.state;
				opref = d.pref;
			}
	if (rc < 0)
		snprintf(ours, sizeof(ours), "%s", salua_errname(rc));
	else if (!found)
		snprintf(ours, sizeof(ours), "no-group-%u", path_tpg);
	else
		/* the kernel prints "unknown" where we say "reserved" */
		snprintf(ours, sizeof(ours), "%s pref=%d",
			 strcmp(salua_state_name(ost), "reserved")
				 ? salua_state_name(ost) : "unknown",
			 opref ? 1 : 0);
	{
		char ks[96];
		bool same;

		snprintf(ks, sizeof(ks), "%s pref=%s", kst, kpref);
		same = !strcmp(ks, ours);
		if (same)
			n_same++;
		else
			n_diff++;
		printf("RTPG %s %s kernel=%s salua=%s%s%s\n", pg->name,
		       same ? "same" : "diff", ks, ours,
		       same ? "" : " page=", same ? "" : hx);
	}
}

static size_t put_desc(uint8_t *b, uint8_t st, bool pref, uint8_t sup,
		       uint16_t id, uint8_t status, unsigned nports,
		       int count_field)
{
	unsigned i;

	b[0] = (uint8_t)((pref ? 0x80 : 0) | (st & 0x0f));
	b[1] = sup;
	salua_put_be16(b + 2, id);
	b[4] = 0;
	b[5] = status;
	b[6] = 0;
	b[7] = (uint8_t)(count_field >= 0 ? count_field : (int)nports);
	for (i = 0; i < nports; i++) {
		memset(b + 8 + 4 * i, 0, 4);
		salua_put_be16(b + 10 + 4 * i, (uint16_t)(i + 1));
	}
	return 8 + 4 * (size_t)nports;
}

/* Header + descriptors; RETURN DATA LENGTH covers them (or @rdl >= 0). */
static void rtpg_page(struct page *pg, const char *name, bool ext,
		      uint8_t itt, const uint8_t *descs, size_t dlen, long rdl)
{
	size_t h = ext ? 8 : 4;

	memset(pg->b, 0, h);
	if (ext) {
		pg->b[4] = 0x10;
		pg->b[5] = itt;
	}
	memcpy(pg->b + h, descs, dlen);
	pg->len = h + dlen;
	salua_put_be32(pg->b, (uint32_t)(rdl >= 0 ? (size_t)rdl : pg->len - 4));
	snprintf(pg->name, sizeof(pg->name), "%s", name);
}

static unsigned gen_rtpg(void)
{
	static const uint8_t sups[] = { 0xcf, 0x8f, 0x03, 0x01 };
	uint8_t d[1200];
	struct page pg;
	char nm[80];
	unsigned st, e, i, n = 0;
	size_t o;

	/* The path's group alone: every state value, PREF, both headers. */
	for (e = 0; e < 2; e++)
		for (st = 0; st < 16; st++)
			for (i = 0; i < 2; i++) {
				o = put_desc(d, (uint8_t)st, i, 0xcf,
					     (uint16_t)path_tpg, 2, 1, -1);
				snprintf(nm, sizeof(nm), "gen:%s:state%x%s",
					 e ? "ext" : "classic", st,
					 i ? ":pref" : "");
				rtpg_page(&pg, nm, e, 0, d, o, -1);
				rtpg_one(&pg);
				n++;
			}
	/* Reserved bits in byte 0, other supported sets. */
	for (i = 0; i < SALUA_ARRAY_SIZE(sups); i++) {
		o = put_desc(d, 1, false, sups[i], (uint16_t)path_tpg, 0, 1, -1);
		d[0] |= 0x70;
		snprintf(nm, sizeof(nm), "gen:reserved-bits:sup%02x", sups[i]);
		rtpg_page(&pg, nm, true, 0, d, o, -1);
		rtpg_one(&pg);
		n++;
	}
	/* Two groups in both orders; the same group twice (last wins?). */
	for (st = 0; st < 4; st++) {
		o = put_desc(d, (uint8_t)st, false, 0xcf, (uint16_t)path_tpg,
			     0, 1, -1);
		o += put_desc(d + o, 2, true, 0xcf, (uint16_t)(path_tpg + 1),
			      0, 1, -1);
		snprintf(nm, sizeof(nm), "gen:two:ours-first:state%u", st);
		rtpg_page(&pg, nm, true, 0, d, o, -1);
		rtpg_one(&pg);
		o = put_desc(d, 2, true, 0xcf, (uint16_t)(path_tpg + 1), 0, 2,
			     -1);
		o += put_desc(d + o, (uint8_t)st, false, 0xcf,
			      (uint16_t)path_tpg, 0, 1, -1);
		snprintf(nm, sizeof(nm), "gen:two:ours-second:state%u", st);
		rtpg_page(&pg, nm, true, 0, d, o, -1);
		rtpg_one(&pg);
		o = put_desc(d, (uint8_t)st, false, 0xcf, (uint16_t)path_tpg,
			     0, 1, -1);
		o += put_desc(d + o, 3, false, 0xcf, (uint16_t)path_tpg, 0, 1,
			      -1);
		snprintf(nm, sizeof(nm), "gen:duplicate:state%u-then-u", st);
		rtpg_page(&pg, nm, true, 0, d, o, -1);
		rtpg_one(&pg);
		n += 3;
	}
	/* Our group missing. */
	o = put_desc(d, 2, false, 0xcf, (uint16_t)(path_tpg + 5), 0, 1, -1);
	rtpg_page(&pg, "gen:missing", true, 0, d, o, -1);
	rtpg_one(&pg);
	n++;
	/* Longer than 128 bytes (the kernel asks again), ours first / last. */
	for (e = 0; e < 2; e++) {
		o = 0;
		if (!e)
			o += put_desc(d, 1, true, 0xcf, (uint16_t)path_tpg, 0, 1,
				      -1);
		for (i = 0; i < 12; i++)
			o += put_desc(d + o, 3, false, 0xcf,
				      (uint16_t)(0x100 + i), 0, 3, -1);
		if (e)
			o += put_desc(d + o, 1, true, 0xcf, (uint16_t)path_tpg,
				      0, 1, -1);
		snprintf(nm, sizeof(nm), "gen:long:ours-%s", e ? "last" : "first");
		rtpg_page(&pg, nm, true, 0, d, o, -1);
		rtpg_one(&pg);
		n++;
	}
	/* RETURN DATA LENGTH claiming more, or less, than is there. */
	{
		static const int deltas[] = { 4, 8, 12, 100, -4, -8, -12 };

		for (i = 0; i < SALUA_ARRAY_SIZE(deltas); i++) {
			o = put_desc(d, 2, false, 0xcf, (uint16_t)(path_tpg + 1),
				     0, 1, -1);
			o += put_desc(d + o, 1, true, 0xcf, (uint16_t)path_tpg,
				      0, 1, -1);
			snprintf(nm, sizeof(nm), "gen:rdl%+d", deltas[i]);
			rtpg_page(&pg, nm, true, 0, d, o,
				  (long)(o + 4) + deltas[i]);
			rtpg_one(&pg);
			n++;
		}
	}
	/* A port count running past the data; short transfers. */
	o = put_desc(d, 1, false, 0xcf, (uint16_t)path_tpg, 0, 1, 9);
	rtpg_page(&pg, "gen:port-count-overruns", true, 0, d, o, -1);
	rtpg_one(&pg);
	n++;
	o = put_desc(d, 2, false, 0xcf, (uint16_t)(path_tpg + 1), 0, 1, -1);
	o += put_desc(d + o, 1, true, 0xcf, (uint16_t)path_tpg, 0, 1, -1);
	for (i = 9; i < 8 + o; i += 5) {
		rtpg_page(&pg, "", true, 0, d, o, -1);
		pg.len = i; /* RETURN DATA LENGTH still claims everything */
		snprintf(pg.name, sizeof(pg.name), "gen:short-transfer:%u", i);
		rtpg_one(&pg);
		n++;
	}
	/* Format nibbles other than 0 and 1 in byte 4. */
	for (i = 2; i < 8; i += 2) {
		o = put_desc(d, 1, false, 0xcf, (uint16_t)path_tpg, 0, 1, -1);
		rtpg_page(&pg, "", true, 0, d, o, -1);
		pg.b[4] = (uint8_t)(i << 4);
		snprintf(pg.name, sizeof(pg.name), "gen:format%u", i);
		rtpg_one(&pg);
		n++;
	}
	/* Back to a plain AO answer. */
	o = put_desc(d, 0, true, 0xcf, (uint16_t)path_tpg, 0, 1, -1);
	rtpg_page(&pg, "gen:final-ao", true, 0, d, o, -1);
	rtpg_one(&pg);
	return n + 1;
}

static int watch(int argc, char **argv)
{
	enum { MAXW = 4096 };
	static char last[MAXW][48];
	double secs = atof(argv[2]);
	uint64_t end = now_ms() + (uint64_t)(secs * 1000.0);
	int i, n = argc - 3, err;

	if (n > MAXW || secs <= 0) {
		fprintf(stderr, "tcmu_oracle watch: at most %d devices\n", MAXW);
		return 2;
	}
	for (i = 0; i < n; i++)
		last[i][0] = '\0';
	do {
		for (i = 0; i < n; i++) {
			char st[40], pr[8], cur[48];
			int k;

			snprintf(sysdev, sizeof(sysdev),
				 "/sys/class/scsi_device/%s/device", argv[3 + i]);
			k = read_raw("access_state", (uint8_t *)st, sizeof(st) - 1,
				     &err);
			st[k > 0 ? k : 0] = '\0';
			if (k > 0 && st[k - 1] == '\n')
				st[k - 1] = '\0';
			k = read_raw("preferred_path", (uint8_t *)pr,
				     sizeof(pr) - 1, &err);
			pr[k > 0 ? k : 0] = '\0';
			if (k > 0 && pr[k - 1] == '\n')
				pr[k - 1] = '\0';
			snprintf(cur, sizeof(cur), "%s %s", st[0] ? st : "-",
				 pr[0] ? pr : "-");
			if (strcmp(cur, last[i])) {
				printf("W %llu %s %s\n",
				       (unsigned long long)now_ms(), argv[3 + i],
				       cur);
				snprintf(last[i], sizeof(last[i]), "%s", cur);
			}
		}
		msleep(50);
	} while (now_ms() < end);
	printf("W-END %llu\n", (unsigned long long)now_ms());
	return 0;
}

static int tur(int argc, char **argv)
{
	enum { MAXT = 4096 };
	static int fd[MAXT];
	unsigned ival = (unsigned)atoi(argv[2]);
	uint64_t end = now_ms() + (uint64_t)(atof(argv[3]) * 1000.0);
	unsigned long sent = 0, cc = 0;
	int i, n = argc - 4;

	{	/* one descriptor per path: more than the default 1024 */
		struct rlimit rl;

		if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	if (n > MAXT || !ival) {
		fprintf(stderr, "tcmu_oracle tur: at most %d devices, interval > 0\n",
			MAXT);
		return 2;
	}
	for (i = 0; i < n; i++) {
		fd[i] = open(argv[4 + i], O_RDWR | O_NONBLOCK);
		if (fd[i] < 0)
			fprintf(stderr, "tcmu_oracle tur: %s: %s\n", argv[4 + i],
				strerror(errno));
	}
	do { /* at least one pass */
		uint64_t t = now_ms();

		for (i = 0; i < n; i++) {
			uint8_t cdb[6] = { 0 }, sense[32];
			struct sg_io_hdr h;

			if (fd[i] < 0)
				continue;
			memset(&h, 0, sizeof(h));
			h.interface_id = 'S';
			h.dxfer_direction = SG_DXFER_NONE;
			h.cmdp = cdb;
			h.cmd_len = sizeof(cdb);
			h.sbp = sense;
			h.mx_sb_len = sizeof(sense);
			h.timeout = 30000;
			if (ioctl(fd[i], SG_IO, &h) == 0) {
				sent++;
				cc += h.status == 2;
			}
		}
		if (now_ms() < end && now_ms() - t < ival)
			msleep(ival - (unsigned)(now_ms() - t));
	} while (now_ms() < end);
	printf("TUR sent=%lu check-conditions=%lu\n", sent, cc);
	return 0;
}

static int burst(int argc, char **argv)
{
	enum { MAXB = 4096 };
	static int fd[MAXB];
	static struct sg_io_hdr h[MAXB];
	static uint8_t cdb[MAXB][6], sense[MAXB][32];
	int i, n = argc - 2, sent = 0, done = 0, cc = 0;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (n > MAXB)
		return 2;
	for (i = 0; i < n; i++) {
		fd[i] = open(argv[2 + i], O_RDWR);
		if (fd[i] < 0)
			fprintf(stderr, "tcmu_oracle burst: %s: %s\n", argv[2 + i],
				strerror(errno));
	}
	for (i = 0; i < n; i++) {
		if (fd[i] < 0)
			continue;
		memset(&h[i], 0, sizeof(h[i]));
		memset(cdb[i], 0, sizeof(cdb[i]));
		h[i].interface_id = 'S';
		h[i].dxfer_direction = SG_DXFER_NONE;
		h[i].cmdp = cdb[i];
		h[i].cmd_len = 6;
		h[i].sbp = sense[i];
		h[i].mx_sb_len = sizeof(sense[i]);
		h[i].timeout = 30000;
		if (write(fd[i], &h[i], sizeof(h[i])) == (ssize_t)sizeof(h[i]))
			sent++;
		else
			fprintf(stderr, "tcmu_oracle burst: %s: write: %s\n",
				argv[2 + i], strerror(errno));
	}
	for (i = 0; i < n; i++) {
		if (fd[i] < 0)
			continue;
		if (read(fd[i], &h[i], sizeof(h[i])) == (ssize_t)sizeof(h[i])) {
			done++;
			cc += h[i].status == 2;
		}
		close(fd[i]);
	}
	printf("BURST devices=%d sent=%d completed=%d check-conditions=%d\n", n,
	       sent, done, cc);
	return sent == n && done == n ? 0 : 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: tcmu_oracle vpd83 SERVED H:C:T:L [--kasan] [HEX...]\n"
			"       tcmu_oracle watch SECONDS H:C:T:L...\n"
			"       tcmu_oracle tur INTERVAL_MS SECONDS /dev/sgN...\n"
			"       tcmu_oracle burst /dev/sgN...\n"
			"       tcmu_oracle rtpg SERVED H:C:T:L TPG LOG [--kasan] [HEX...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct page pg;
	int i, first;
	bool vpd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && !strcmp(argv[1], "watch"))
		return watch(argc, argv);
	if (argc >= 5 && !strcmp(argv[1], "tur"))
		return tur(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "burst"))
		return burst(argc, argv);
	if (argc < 4)
		return usage();
	vpd = !strcmp(argv[1], "vpd83");
	if (!vpd && (strcmp(argv[1], "rtpg") || argc < 6))
		return usage();
	served = argv[2];
	snprintf(sysdev, sizeof(sysdev), "/sys/class/scsi_device/%s/device",
		 argv[3]);
	first = vpd ? 4 : 6;
	if (!vpd) {
		path_tpg = (unsigned)strtoul(argv[4], NULL, 0);
		logpath = argv[5];
	}
	if (first < argc && !strcmp(argv[first], "--kasan")) {
		kasan = true;
		first++;
	}
	if (vpd) {
		int err, k = read_raw("vpd_pg83", kcur, sizeof(kcur), &err);

		kcur_len = k > 0 ? (size_t)k : 0;
	}
	for (i = first; i < argc; i++) {
		if (load_hex(argv[i], &pg) < 0) {
			fprintf(stderr, "tcmu_oracle: %s: %s\n", argv[i],
				strerror(errno));
			return 2;
		}
		if (vpd)
			vpd_one(&pg);
		else
			rtpg_one(&pg);
	}
	if (vpd)
		gen_vpd();
	else
		gen_rtpg();
	printf("%s-SUMMARY pages=%u same=%u diff=%u oob=%u stale=%u\n",
	       vpd ? "VPD" : "RTPG", n_pages, n_same, n_diff, n_oob, n_stale);
	return 0;
}
