/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_vpd83_summary(), salua_vpd83_find_port(), salua_vpd83_lu_desig()
 * and salua_vpd83_lu_name() against a model of the Linux kernel's
 * scsi_vpd_lun_id() / scsi_vpd_tpg_id(); the _strict() readings against
 * the eager public walk (salua/vpd.h).
 *
 * Checked: (1) exact answers on scsi_debug's page; (2) on every vector,
 * every truncation of it, and 20 000 random pages (random headers,
 * lengths, NAA nibbles, characters, lying PAGE LENGTHs), the kernel name
 * byte for byte, the rank, port and group, for three id buffer sizes;
 * (3) the returned LU designator carries exactly the problems
 * salua_vpd83_check() finds.  Inputs sit before a PROT_NONE page.
 */
#include "salua/vpd.h"
#include "salua_test.h"
#include "guard.h"
#include "vectors.h"

/*
 * A model of the kernel's scsi_vpd_lun_id() and scsi_vpd_tpg_id()
 * (drivers/scsi/scsi_lib.c, Debian 6.1 and 6.12, which read the same),
 * written from their text statement by statement: a literal loop over the
 * page with the kernel's own variables (cur_id_prio, cur_id_size as u8,
 * id_size, the id buffer of id_len bytes memset to 0), every byte read
 * through kb(), which flags a read at or past the page end (where the
 * kernel reads memory it does not own).  The library's one-pass scan is
 * compared with it; the model is deliberately naive.
 */
struct kpage {
	const uint8_t *p;
	size_t end; /* 4 + PAGE LENGTH */
	bool oob;
};

static uint8_t kb(struct kpage *k, size_t i)
{
	if (i >= k->end) {
		k->oob = true;
		return 0;
	}
	return k->p[i];
}

/* designator_prio() */
static unsigned kprio(struct kpage *k, size_t d)
{
	if (kb(k, d + 1) & 0x30)
		return 0;
	if (kb(k, d + 3) == 0)
		return 0;
	switch (kb(k, d + 1) & 0xf) {
	case 8: return 9;
	case 3:
		switch (kb(k, d + 4) >> 4) {
		case 6: return 8;
		case 5: return 5;
		case 4: return 4;
		case 3: return 1;
		default: return 0;
		}
	case 2:
		switch (kb(k, d + 3)) {
		case 16: return 7;
		case 12: return 6;
		case 8: return 3;
		default: return 0;
		}
	case 1: return 1;
	default: return 0;
	}
}

/* snprintf(id, id_len, ...) of the text in @t (length @n). */
static int kput(char *id, size_t id_len, const char *t, size_t n)
{
	size_t c = n < id_len - 1 ? n : id_len - 1;

	memcpy(id, t, c);
	id[c] = '\0';
	return (int)n;
}

/* "%*pE" of @n bytes at @d: lib/string_helpers.c, ESCAPE_ANY_NP. */
static size_t kpe(struct kpage *k, size_t d, size_t n, char *t)
{
	static const char sp[] = "\n\r\t\v\f";
	static const char spc[] = "nrtvf";
	size_t i, o = 0;
	const char *q;

	for (i = 0; i < n; i++) {
		uint8_t c = kb(k, d + i);

		if ((c >= 0x20 && c <= 0x7e) || c >= 0xa0) { /* isprint() */
			t[o++] = (char)c;
		} else if (c && (q = strchr(sp, c)) != NULL) {
			t[o++] = '\\';
			t[o++] = spc[q - sp];
		} else if (c == 7 || c == 0x1b) {
			t[o++] = '\\';
			t[o++] = c == 7 ? 'a' : 'e';
		} else if (c == 0) {
			t[o++] = '\\';
			t[o++] = '0';
		} else {
			o += (size_t)sprintf(t + o, "\\%03o", c);
		}
	}
	return o;
}

static size_t khex(struct kpage *k, const char *pfx, size_t d, size_t n,
		   char *t)
{
	size_t i, o = (size_t)sprintf(t, "%s", pfx);

	for (i = 0; i < n; i++)
		o += (size_t)sprintf(t + o, "%02x", kb(k, d + i));
	return o;
}

struct kres {
	int lun_rc;      /* id_size, or -SALUA_ENOENT, -SALUA_EMALFORMED */
	char id[4096];
	int tpg_rc;      /* FOUND bits or -SALUA_EMALFORMED */
	struct salua_vpd83_port port;
};

static void kernel_model(const uint8_t *p, size_t n, size_t id_len,
			 struct kres *r)
{
	struct kpage k;
	unsigned cur_id_prio = 0, prio;
	uint8_t cur_id_size = 0;
	int id_size = -1; /* -EINVAL */
	size_t d;
	static char t[2048];

	memset(r, 0, sizeof(*r));
	(void)n; /* the caller checked that the whole page arrived */
	k.p = p;
	k.end = 4u + salua_get_be16(p + 2);
	k.oob = false;
	memset(r->id, 0, id_len);
	for (d = 4; d < k.end; d += kb(&k, d + 3) + 4u) {
		prio = kprio(&k, d);
		if (prio == 0 || cur_id_prio > prio)
			continue;
		switch (kb(&k, d + 1) & 0xf) {
		case 0x1:
			if (cur_id_size > kb(&k, d + 3))
				break;
			cur_id_prio = prio;
			cur_id_size = kb(&k, d + 3);
			if (cur_id_size + 4u > id_len)
				cur_id_size = (uint8_t)(id_len - 4);
			memcpy(t, "t10.", 4);
			id_size = kput(r->id, id_len, t,
				       4 + kpe(&k, d + 4, cur_id_size, t + 4));
			break;
		case 0x2:
			cur_id_prio = prio;
			cur_id_size = kb(&k, d + 3);
			if (cur_id_size == 8 || cur_id_size == 12 ||
			    cur_id_size == 16)
				id_size = kput(r->id, id_len, t,
					       khex(&k, "eui.", d + 4,
						    cur_id_size, t));
			break;
		case 0x3:
			cur_id_prio = prio;
			cur_id_size = kb(&k, d + 3);
			if (cur_id_size == 8 || cur_id_size == 16)
				id_size = kput(r->id, id_len, t,
					       khex(&k, "naa.", d + 4,
						    cur_id_size, t));
			break;
		case 0x8:
			if (cur_id_size > kb(&k, d + 3))
				break;
			if (kb(&k, d + 3) > id_len) {
				prio = 2;
				if (cur_id_prio > prio)
					break;
			}
			cur_id_prio = prio;
			cur_id_size = kb(&k, d + 3);
			id_size = kb(&k, d + 3);
			if (cur_id_size >= id_len)
				cur_id_size = (uint8_t)(id_len - 1);
			for (size_t i = 0; i < cur_id_size; i++)
				r->id[i] = (char)kb(&k, d + 4 + i);
			break;
		default:
			break;
		}
	}
	r->lun_rc = k.oob ? -SALUA_EMALFORMED :
		    id_size < 0 ? -SALUA_ENOENT : id_size;

	k.oob = false;
	for (d = 4; d < k.end; d += kb(&k, d + 3) + 4u) {
		switch (kb(&k, d + 1) & 0xf) {
		case 0x4:
			r->port.has_rel_port = true;
			r->port.rel_port = (uint16_t)(kb(&k, d + 6) << 8 |
						      kb(&k, d + 7));
			r->tpg_rc |= SALUA_VPD83_FOUND_REL_PORT;
			break;
		case 0x5:
			r->port.has_tpg = true;
			r->port.tpg = (uint16_t)(kb(&k, d + 6) << 8 |
						 kb(&k, d + 7));
			r->tpg_rc |= SALUA_VPD83_FOUND_TPG;
			break;
		default:
			break;
		}
	}
	if (k.oob)
		r->tpg_rc = -SALUA_EMALFORMED;
}

/* The SPC-5 reading, from the eager public walk (salua_vpd83_next()). */
struct ref {
	int port_rc, lu_rc;
	struct salua_vpd83_port port;
	struct salua_vpd83_desig lu;
};

static void strict_reference(const uint8_t *p, size_t n, struct ref *r)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	int rc, prio, best = 0, found = 0;

	memset(r, 0, sizeof(*r));
	rc = salua_vpd83_iter_init(&it, p, n);
	if (rc < 0) {
		r->port_rc = r->lu_rc = rc;
		return;
	}
	while ((rc = salua_vpd83_next(&it, &d)) > 0) {
		if (d.assoc == SALUA_ASSOC_TARGET_PORT &&
		    d.code_set == SALUA_CODESET_BINARY && d.len == 4) {
			if (d.type == SALUA_DESIG_REL_PORT &&
			    !r->port.has_rel_port) {
				r->port.has_rel_port = true;
				r->port.rel_port = d.id;
				found |= SALUA_VPD83_FOUND_REL_PORT;
			} else if (d.type == SALUA_DESIG_TPG && !r->port.has_tpg) {
				r->port.has_tpg = true;
				r->port.tpg = d.id;
				found |= SALUA_VPD83_FOUND_TPG;
			}
		}
		prio = salua_vpd83_lu_prio_strict(&d);
		if (prio == 9 && d.value[0] == 0)
			prio = 0;
		if (prio && prio >= best) {
			best = prio;
			r->lu = d;
		}
	}
	r->port_rc = rc < 0 ? rc : found;
	r->lu_rc = rc < 0 ? rc : best ? best : -SALUA_ENOENT;
}

static void check_port(const struct salua_vpd83_port *a,
		       const struct salua_vpd83_port *b)
{
	CHECK_EQ(a->has_rel_port, b->has_rel_port);
	CHECK_EQ(a->rel_port, b->rel_port);
	CHECK_EQ(a->has_tpg, b->has_tpg);
	CHECK_EQ(a->tpg, b->tpg);
}

static unsigned long n_named, n_quirky, n_oob, n_cut;

/* find_port, lu_desig, lu_name and summary against the kernel model. */
static void compare(const uint8_t *p, size_t n)
{
	static const size_t ids[3] = { 0, 21, 40 };
	static struct kres kr;
	struct salua_vpd83_port port;
	struct salua_vpd83_desig d, chk;
	struct salua_vpd83_ids s;
	static char name[4200], sname[1100];
	size_t need;
	struct ref r;
	unsigned k;
	int rc, want;
	bool cut = n < 4 || n < 4u + salua_get_be16(p + 2);

	/* The SPC-5 reading against the eager walk. */
	strict_reference(p, n, &r);
	CHECK_EQ(salua_vpd83_find_port_strict(p, n, &port), r.port_rc);
	check_port(&port, &r.port);
	rc = salua_vpd83_lu_name_strict(p, n, sname, sizeof(sname), NULL);
	if (r.lu_rc > 0) {
		CHECK_EQ(salua_vpd83_render(&r.lu, name, sizeof(name), NULL),
			 rc);
		CHECK_STR(sname, name);
	} else {
		CHECK_EQ(rc, r.lu_rc);
	}

	if (cut) {
		/* the kernel always has the whole page */
		n_cut++;
		CHECK_EQ(salua_vpd83_find_port(p, n, &port),
			 n < 4 ? -SALUA_ETRUNC : -SALUA_ETRUNC);
		CHECK_EQ(salua_vpd83_lu_name(p, n, name, sizeof(name), NULL),
			 -SALUA_ETRUNC);
		return;
	}
	for (k = 0; k < 3; k++) {
		size_t id_len = ids[k] ? ids[k] : SALUA_VPD83_KERNEL_ID_LEN;

		kernel_model(p, n, id_len, &kr);
		if (k == 0) {
			CHECK_EQ(salua_vpd83_find_port(p, n, &port),
				 kr.tpg_rc);
			if (kr.tpg_rc >= 0)
				check_port(&port, &kr.port);
			rc = salua_vpd83_lu_name(p, n, name, sizeof(name),
						 &need);
			CHECK_EQ(rc, kr.lun_rc);
			if (rc >= 0) {
				CHECK_EQ(need, (size_t)rc + 1);
				CHECK_MEM(name, kr.id, (size_t)rc);
				n_named++;
			}
			if (kr.lun_rc == -SALUA_EMALFORMED ||
			    kr.tpg_rc == -SALUA_EMALFORMED)
				n_oob++;
		}
		rc = salua_vpd83_lu_desig(p, n, ids[k], &d);
		if (kr.lun_rc < 0) {
			CHECK_EQ(rc, kr.lun_rc);
		} else {
			CHECK(rc >= 1 && rc <= 9);
			/*
			 * The designator's kernel text is the model's id
			 * (cut by the model's id buffer for small ones).
			 */
			want = salua_vpd83_render_kernel(&d, name,
							 sizeof(name), NULL);
			/*
			 * Except a T10 vendor ID longer than id_len - 4,
			 * which the kernel renders from its first
			 * id_len - 4 bytes only (documented limitation:
			 * never with the wwid's 4096).
			 */
			if (!(d.type == SALUA_DESIG_T10 &&
			      d.len + 4u > id_len)) {
				CHECK_EQ(want, kr.lun_rc);
				if (want > 0 && (size_t)want < id_len)
					CHECK_MEM(name, kr.id, (size_t)want);
			}
			chk = d;
			CHECK_EQ(salua_vpd83_check(&chk), d.problems);
		}
		rc = salua_vpd83_summary(p, n, ids[k], &s);
		if (kr.lun_rc == -SALUA_EMALFORMED ||
		    kr.tpg_rc == -SALUA_EMALFORMED) {
			CHECK_EQ(rc, -SALUA_EMALFORMED);
			CHECK_EQ(s.lu_prio, 0);
			continue;
		}
		CHECK_EQ(rc, kr.tpg_rc | (kr.lun_rc >= 0 ?
					  SALUA_VPD83_FOUND_LU : 0));
		check_port(&s.port, &kr.port);
		if (kr.lun_rc >= 0) {
			CHECK(s.lu.value == d.value);
			CHECK_EQ(s.lu_prio, salua_vpd83_lu_desig(p, n, ids[k],
								 &d));
		}
		if (s.quirks)
			n_quirky++;
	}
}

static void test_scsi_debug(void)
{
	uint8_t raw[512];
	struct salua_vpd83_ids s;
	struct guard g;
	const uint8_t *p;
	size_t n;

	T_CASE("summary: scsi_debug page, exact answer");
	n = t_load_hex(raw, sizeof(raw), "%s/vpd/vpd83_scsi_debug.hex",
		       SALUA_TEST_DATA_DIR);
	p = guard_place(&g, raw, n);
	CHECK_EQ(salua_vpd83_summary(p, n, 0, &s),
		 SALUA_VPD83_FOUND_REL_PORT | SALUA_VPD83_FOUND_TPG |
			 SALUA_VPD83_FOUND_LU);
	CHECK_EQ(s.port.has_rel_port, true);
	CHECK_EQ(s.port.rel_port, 1);
	CHECK_EQ(s.port.has_tpg, true);
	CHECK_EQ(s.port.tpg, 0x100);
	CHECK_EQ(s.lu_prio, 1); /* NAA 3, later than the T10 id (both 1) */
	CHECK_EQ(s.lu.off, 36);
	CHECK_EQ(s.lu.type, SALUA_DESIG_NAA);
	CHECK_EQ(s.lu.naa, SALUA_NAA_LOCAL);
	CHECK_EQ(s.lu.len, 8);
	CHECK_EQ(s.lu.problems, 0);
	CHECK_EQ(s.ndesig, 7);
	CHECK_MEM(s.lu.value, "\x33\x33\x33\x30\x00\x00\x07\xd0", 8);

	T_CASE("summary: a cut page tells nothing (the kernel reads it whole)");
	CHECK_EQ(salua_vpd83_summary(p, 70, 0, &s), -SALUA_ETRUNC);
	CHECK_EQ(s.port.has_rel_port, false);
	CHECK_EQ(s.port.has_tpg, false);
	CHECK_EQ(s.lu_prio, 0);
	CHECK(s.lu.value == NULL);

	T_CASE("summary: NULL result, bad page");
	CHECK_EQ(salua_vpd83_summary(p, n, 0, NULL), -SALUA_EINVAL);
	CHECK_EQ(salua_vpd83_summary(p, 3, 0, &s), -SALUA_ETRUNC);
	CHECK_EQ(salua_vpd83_summary(NULL, 5, 0, &s), -SALUA_EINVAL);
	guard_free(&g);
}

static void test_vectors(void)
{
	static const char *const names[] = {
		"vpd83_seagate_sas_hdd", "vpd83_scsi_debug", "vpd83_emc_dmx",
		"vpd83_sg3_all_designator_types",
		"vpd83_sg3_ctrl_char_in_strings",
		"vpd83_emc_symmetrix_legacy_no_desc_header",
		"vpd83_sg3_name_len_not_mult4"
	};
	uint8_t raw[512];
	struct guard g;
	size_t i, n, cut;

	T_CASE("every vector, every truncation: equal to the kernel model");
	for (i = 0; i < SALUA_ARRAY_SIZE(names); i++) {
		n = t_load_hex(raw, sizeof(raw), "%s/vpd/%s.hex",
			       SALUA_TEST_DATA_DIR, names[i]);
		for (cut = 0; cut <= n; cut++) {
			const uint8_t *p = guard_place(&g, raw, cut);

			compare(p, cut);
			guard_free(&g);
		}
	}
}

/* A random page of up to 12 designators with plausible and odd headers. */
static size_t random_page(uint8_t *b, size_t cap, uint64_t *st)
{
	static const uint8_t lens[] = { 0, 1, 3, 4, 8, 12, 16, 18, 20, 24 };
	size_t off = 4, nd = (size_t)(t_splitmix64(st) % 13u), i, k;

	b[0] = 0;
	b[1] = 0x83;
	for (i = 0; i < nd; i++) {
		uint64_t r = t_splitmix64(st);
		uint8_t len = (r & 7u) == 7u ? (uint8_t)(r >> 56) % 40u :
					       lens[(r >> 3) % sizeof(lens)];
		uint8_t type = (uint8_t)((r >> 8) % 10u);

		if (off + 4u + len > cap)
			break;
		b[off] = (uint8_t)((r >> 12) & 0x3u); /* code set 0..3 */
		if ((r >> 14) & 1u)
			b[off] = (uint8_t)((r >> 16) & 0xffu);
		b[off + 1] = (uint8_t)(((r >> 24) & 0x30u) | type |
				       ((r >> 30) & 0x80u));
		b[off + 2] = 0;
		b[off + 3] = len;
		for (k = 0; k < len; k++) {
			uint64_t c = t_splitmix64(st);

			/* Mostly printable, some NULs and controls. */
			b[off + 4 + k] = (uint8_t)((c & 3u) == 0 ? c >> 8 :
						    (c & 7u) == 1 ? 0 :
						    0x20u + (c >> 8) % 0x5fu);
		}
		if (len && (r >> 40) & 1u) /* an NAA / UUID nibble */
			b[off + 4] = (uint8_t)(((r >> 41) & 0xfu) << 4 |
					       (b[off + 4] & 0xfu));
		off += 4u + len;
	}
	/* Sometimes a stray tail, sometimes a lying PAGE LENGTH. */
	salua_put_be16(b + 2, (uint16_t)(off - 4));
	if ((nd & 3u) == 3u && off + 2 <= cap) {
		b[off] = 0x01;
		b[off + 1] = 0x03;
		off += 2;
		salua_put_be16(b + 2, (uint16_t)(off - 4));
	}
	if ((nd % 5u) == 4u)
		salua_put_be16(b + 2, (uint16_t)(off + 6));
	return off;
}

static void test_random(void)
{
	uint8_t b[600];
	struct guard g;
	uint64_t st = 19;
	unsigned i;

	T_CASE("20000 random pages: equal to the kernel model");
	for (i = 0; i < 20000; i++) {
		size_t n = random_page(b, sizeof(b), &st);
		const uint8_t *p = guard_place(&g, b, n);

		compare(p, n);
		if (n > 4)
			compare(p, n - (size_t)(t_splitmix64(&st) % n));
		guard_free(&g);
	}
}

int main(void)
{
	test_scsi_debug();
	test_vectors();
	test_random();
	printf("vpd_summary: %lu pages named, %lu with kernel quirks, "
	       "%lu where the kernel would read outside the page, %lu cut\n",
	       n_named, n_quirky, n_oob, n_cut);
	return t_done("vpd_summary");
}
