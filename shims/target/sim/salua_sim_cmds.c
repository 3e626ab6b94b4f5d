/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_sim_cmds.c - the sim's command set, built on the core's target-side
 * codecs: salua_cdb_parse() for the ALUA CDBs, salua_inquiry_encode(),
 * salua_rtpg_encode(), salua_stpg_decode() and salua_sense_build*().
 */
#include <stdio.h>

#include "salua_sim_int.h"

/* A fictitious IEEE company ID: the sim must not claim a real vendor's. */
#define SIM_OUI 0x5a1a00u
#define SIM_VENDOR "SALUA"
#define SIM_PRODUCT "SIM ARRAY"
#define SIM_REVISION "0.1"
#define SIM_TARGET_NAME "iqn.2026-11.org.salua:sim"
#define SIM_VERSION_SPC5 7u
#define SIM_ASC_LBA_OUT_OF_RANGE 0x2100u
#define SIM_ASC_NONE 0x0000u

static void good(struct salua_sim_result *r, size_t n)
{
	r->status = SALUA_STATUS_GOOD;
	r->sense_len = 0;
	r->data_len = (uint32_t)n;
}

/* ILLEGAL REQUEST with a field pointer (SPC-5 §4.4.2.2). */
static void illegal(struct salua_sim *s, struct salua_sim_result *r,
		    uint16_t ascq, bool in_cdb, int byte, int bit)
{
	struct salua_sense_spec sp;
	int n;

	if (byte < 0) {
		salua_sim__check(s, r, SALUA_SK_ILLEGAL_REQUEST, ascq);
		return;
	}
	memset(&sp, 0, sizeof(sp));
	sp.descriptor = s->cfg.descriptor_sense;
	sp.key = SALUA_SK_ILLEGAL_REQUEST;
	sp.asc = (uint8_t)(ascq >> 8);
	sp.ascq = (uint8_t)ascq;
	sp.has_sks = true;
	salua_sks_field_pointer(sp.sks, in_cdb, (uint16_t)byte, bit);
	n = salua_sense_build(r->sense, sizeof(r->sense), &sp);
	r->status = SALUA_STATUS_CHECK_CONDITION;
	r->data_len = 0;
	r->sense_len = (uint8_t)(n > 0 ? n : 0);
}

/* A CDB the core's parser rejected: its own sense, field pointer included. */
static void bad_cdb(struct salua_sim *s, const struct salua_cdb *pc,
		    struct salua_sim_result *r)
{
	int n = salua_cdb_build_sense(pc, s->cfg.descriptor_sense, r->sense,
				      sizeof(r->sense));

	r->status = SALUA_STATUS_CHECK_CONDITION;
	r->data_len = 0;
	if (n > 0) {
		r->sense_len = (uint8_t)n;
		return;
	}
	salua_sim__check(s, r, SALUA_SK_ILLEGAL_REQUEST,
			 SALUA_ASC_INVALID_FIELD_IN_CDB);
}

static size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Copy a fully built response, cut at the allocation length. */
static void reply(struct salua_sim_result *r, const struct salua_sim_cmd *c,
		  const uint8_t *buf, size_t len, size_t alloc)
{
	size_t n = min_sz(min_sz(len, alloc), c->din_cap);

	if (n)
		memcpy(c->din, buf, n);
	good(r, n);
}

/* ---- identification: INQUIRY and VPD ------------------------------------ */

static void serial_of(const struct salua_sim *s, unsigned lun, char out[20])
{
	snprintf(out, 20, "SALUASIM%04lu",
		 (unsigned long)lun + s->cfg.lu_id_base);
}

static void std_inquiry(struct salua_sim *s, const struct salua_sim_cmd *c,
			struct salua_sim_result *r, size_t alloc, bool absent)
{
	struct salua_inquiry q;
	int n;

	memset(&q, 0, sizeof(q));
	q.pq = absent ? 3u : 0u;
	q.pdt = absent ? 0x1fu : 0u;
	q.version = SIM_VERSION_SPC5;
	q.rdf = SALUA_INQ_RDF_SPC;
	q.tpgs = (s->cfg.implicit ? (int)SALUA_TPGS_IMPLICIT : 0) |
		 (s->cfg.explicit_alua ? (int)SALUA_TPGS_EXPLICIT : 0);
	q.multip = s->cfg.ports > 1;
	q.cmdque = true;
	q.vendor = (const uint8_t *)SIM_VENDOR;
	q.vendor_len = sizeof(SIM_VENDOR) - 1;
	q.product = (const uint8_t *)SIM_PRODUCT;
	q.product_len = sizeof(SIM_PRODUCT) - 1;
	q.revision = (const uint8_t *)SIM_REVISION;
	q.revision_len = sizeof(SIM_REVISION) - 1;
	n = salua_inquiry_encode(&q, c->din, min_sz(alloc, c->din_cap));
	if (n < 0) {
		salua_sim__check(s, r, SALUA_SK_HARDWARE_ERROR, SIM_ASC_NONE);
		return;
	}
	good(r, (size_t)n);
}

/* Page 0x83 for (port, lun), through the core's salua_vpd83_encode(). */
static int vpd83(const struct salua_sim *s, unsigned port, unsigned lun,
		 uint8_t *buf, size_t cap)
{
	struct salua_vpd83_desig d[6];
	uint8_t naa6[16], t10[32], rtp[4], tpg[4], naa5[8], name[32];
	char serial[20];
	size_t n;

	/* NAA-6 IEEE Registered Extended: OUI, "SIM", extension = LU + 1. */
	memset(naa6, 0, sizeof(naa6));
	naa6[0] = (uint8_t)(0x60u | ((SIM_OUI >> 20) & 0xfu));
	naa6[1] = (uint8_t)(SIM_OUI >> 12);
	naa6[2] = (uint8_t)(SIM_OUI >> 4);
	naa6[3] = (uint8_t)((SIM_OUI & 0xfu) << 4);
	salua_put_be32(naa6 + 4, 0x0053494du);
	salua_put_be64(naa6 + 8, (uint64_t)lun + 1u + s->cfg.lu_id_base);
	salua_vpd83_desig_set(&d[0], SALUA_DESIG_NAA, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_LU, naa6, 16);

	/* T10 vendor identification: vendor padded to 8, then the serial. */
	memset(t10, ' ', 8);
	memcpy(t10, SIM_VENDOR, sizeof(SIM_VENDOR) - 1);
	serial_of(s, lun, serial);
	n = strlen(serial);
	memcpy(t10 + 8, serial, n);
	salua_vpd83_desig_set(&d[1], SALUA_DESIG_T10, SALUA_CODESET_ASCII,
			      SALUA_ASSOC_LU, t10, (uint8_t)(8 + n));

	salua_vpd83_port_id_value(rtp, (uint16_t)(port + 1u));
	salua_vpd83_desig_set(&d[2], SALUA_DESIG_REL_PORT,
			      SALUA_CODESET_BINARY, SALUA_ASSOC_TARGET_PORT,
			      rtp, 4);
	salua_vpd83_port_id_value(tpg, (uint16_t)(s->port_group[port] + 1u));
	salua_vpd83_desig_set(&d[3], SALUA_DESIG_TPG, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_TARGET_PORT, tpg, 4);

	/* Target port NAA-5: OUI, vendor specific id 0x100 + port index. */
	salua_put_be64(naa5, (uint64_t)0x5u << 60 | (uint64_t)SIM_OUI << 36 |
				     (0x100u + port));
	salua_vpd83_desig_set(&d[4], SALUA_DESIG_NAA, SALUA_CODESET_BINARY,
			      SALUA_ASSOC_TARGET_PORT, naa5, 8);

	/* Target device name: NUL-terminated, padded to a multiple of 4. */
	memset(name, 0, sizeof(name));
	n = sizeof(SIM_TARGET_NAME) - 1;
	memcpy(name, SIM_TARGET_NAME, n);
	salua_vpd83_desig_set(&d[5], SALUA_DESIG_SCSI_NAME, SALUA_CODESET_UTF8,
			      SALUA_ASSOC_TARGET_DEVICE, name,
			      (uint8_t)((n + 4u) & ~(size_t)3u));

	return salua_vpd83_encode(buf, cap, 0, d, SALUA_ARRAY_SIZE(d));
}

static void inquiry(struct salua_sim *s, const struct salua_sim_cmd *c,
		    const struct salua_cdb *pc, struct salua_sim_result *r)
{
	static const uint8_t pages[] = { SALUA_VPD_SUPPORTED_PAGES,
					  SALUA_VPD_UNIT_SERIAL,
					  SALUA_VPD_DEVICE_ID };
	size_t cap = min_sz(pc->alloc_len, c->din_cap);
	char serial[20];
	int n;

	if (!pc->evpd) {
		std_inquiry(s, c, r, pc->alloc_len, false);
		return;
	}
	switch (pc->page) {
	case SALUA_VPD_SUPPORTED_PAGES:
		n = salua_vpd00_encode(c->din, cap, 0, pages,
				       SALUA_ARRAY_SIZE(pages));
		break;
	case SALUA_VPD_UNIT_SERIAL:
		serial_of(s, c->lun, serial);
		n = salua_vpd80_encode(c->din, cap, 0, serial, strlen(serial));
		break;
	case SALUA_VPD_DEVICE_ID:
		n = vpd83(s, c->port, c->lun, c->din, cap);
		break;
	default:
		illegal(s, r, SALUA_ASC_INVALID_FIELD_IN_CDB, true, 2, -1);
		return;
	}
	if (n < 0) {
		salua_sim__check(s, r, SALUA_SK_HARDWARE_ERROR, SIM_ASC_NONE);
		return;
	}
	/* The encoders return the full length; the transfer stops at cap. */
	good(r, min_sz((size_t)n, cap));
}

/* ---- REPORT / SET TARGET PORT GROUPS ------------------------------------ */

/* Header bytes 0..3 rewritten after encoding, cut at what was written. */
static void put_rdl(uint8_t *din, size_t written, uint32_t rdl)
{
	uint8_t h[4];

	salua_put_be32(h, rdl);
	if (written)
		memcpy(din, h, min_sz(written, 4));
}

/*
 * LIO's truncation (target_emulate_report_target_port_groups): a group that
 * does not fit is left out whole while RETURN DATA LENGTH still counts it;
 * the transfer runs to min(cap, full length), zero-filled after the last
 * group written.
 */
static int lio_skip_encode(const struct salua_sim *s, uint8_t *din,
			   size_t cap, enum salua_rtpg_format fmt,
			   struct salua_tpg_entry *e, unsigned ne,
			   size_t total)
{
	size_t off = fmt == SALUA_RTPG_EXTENDED ? SALUA_RTPG_HDR_EXTENDED
						: SALUA_RTPG_HDR_CLASSIC;
	size_t out = min_sz(cap, total);
	unsigned i, k = 0;
	int n;

	for (i = 0; i < ne; i++) {
		size_t len = SALUA_RTPG_DESC_LEN +
			     SALUA_RTPG_PORT_LEN * (size_t)e[i].nports;

		if (off + len > cap)
			continue;
		e[k++] = e[i];
		off += len;
	}
	if (out)
		memset(din, 0, out);
	n = salua_rtpg_encode(din, min_sz(off, cap), fmt,
			      s->cfg.implicit_transition_secs, e, k);
	return n < 0 ? n : (int)out;
}

static void rtpg(struct salua_sim *s, const struct salua_sim_cmd *c,
		 const struct salua_cdb *pc, struct salua_sim_result *r)
{
	struct salua_tpg_entry e[SALUA_SIM_MAX_GROUPS + SALUA_SIM_MAX_PAD_GROUPS];
	uint16_t ports[SALUA_SIM_MAX_GROUPS][SALUA_SIM_MAX_PORTS];
	enum salua_rtpg_format fmt = SALUA_RTPG_CLASSIC;
	unsigned g, p, ne = 0;
	size_t cap = min_sz(pc->alloc_len, c->din_cap);
	uint32_t rdl;
	int n, total;

	if (pc->pdf == SALUA_RTPG_PDF_EXTENDED) {
		switch (s->ext_hdr) {
		case SALUA_SIM_EXT_ILLEGAL:
			illegal(s, r, SALUA_ASC_INVALID_FIELD_IN_CDB, true, 1, 7);
			return;
		case SALUA_SIM_EXT_ILLEGAL_00:
			salua_sim__check(s, r, SALUA_SK_ILLEGAL_REQUEST,
					 SIM_ASC_NONE);
			return;
		case SALUA_SIM_EXT_IGNORE:
			break;
		default:
			fmt = SALUA_RTPG_EXTENDED;
			break;
		}
	}
	for (g = 0; g < s->cfg.groups; g++, ne++) {
		const struct salua_sim__grp *gr = &s->grp[c->lun][g];
		unsigned np = 0;

		for (p = 0; p < s->cfg.ports; p++)
			if (s->port_group[p] == g)
				ports[g][np++] = (uint16_t)(p + 1u);
		memset(&e[ne], 0, sizeof(e[ne]));
		e[ne].tpg_id = (uint16_t)(g + 1u);
		e[ne].state = gr->state;
		e[ne].pref = gr->pref;
		e[ne].supported = s->cfg.supported;
		e[ne].status = gr->status;
		e[ne].nports = (uint8_t)np;
		e[ne].ports = ports[g];
	}
	for (g = 0; g < s->rtpg_pad; g++, ne++) {
		memset(&e[ne], 0, sizeof(e[ne]));
		e[ne].tpg_id = (uint16_t)(0x100u + g);
		e[ne].state = SALUA_STATE_UNAVAILABLE;
		e[ne].supported = SALUA_SUP_U;
	}
	total = salua_rtpg_encoded_len(fmt, e, ne);
	if (total >= 0 && s->lio_skip_group)
		n = lio_skip_encode(s, c->din, cap, fmt, e, ne, (size_t)total);
	else
		n = salua_rtpg_encode(c->din, cap, fmt,
				      s->cfg.implicit_transition_secs, e, ne);
	if (n < 0 || total < 0) {
		salua_sim__check(s, r, SALUA_SK_HARDWARE_ERROR, SIM_ASC_NONE);
		return;
	}
	rdl = (uint32_t)total - 4u;
	good(r, (size_t)n);
	if (s->lio_short_rdl && fmt == SALUA_RTPG_EXTENDED) {
		/* LIO counts descriptors only and completes RDL + 4 bytes. */
		rdl -= 4u;
		if (r->data_len > rdl + 4u)
			r->data_len = rdl + 4u;
	}
	rdl += s->rtpg_overclaim;
	put_rdl(c->din, (size_t)n, rdl);
}

static void stpg(struct salua_sim *s, const struct salua_sim_cmd *c,
		 const struct salua_cdb *pc, struct salua_sim_result *r)
{
	struct salua_stpg_desc d[SALUA_SIM_MAX_GROUPS + SALUA_SIM_MAX_PORTS];
	bool named[SALUA_SIM_MAX_GROUPS];
	size_t len = min_sz(pc->param_len, c->dout_len), n = SALUA_ARRAY_SIZE(d);
	unsigned i, g;
	int rc;

	if (!s->cfg.explicit_alua) {
		illegal(s, r, SALUA_ASC_INVALID_OPCODE, true, 0, -1);
		return;
	}
	if (!pc->param_len) {
		good(r, 0); /* SPC-5 §6.49: not an error, nothing changes */
		return;
	}
	rc = salua_stpg_decode(c->dout, len, s->cfg.supported, d, &n);
	if (rc == -SALUA_ENOTSUP) {
		illegal(s, r, SALUA_ASC_INVALID_FIELD_IN_PARAM_LIST, false,
			(int)(SALUA_STPG_HDR_LEN + SALUA_STPG_DESC_LEN * n), 3);
		return;
	}
	if (rc) {
		salua_sim__check(s, r, SALUA_SK_ILLEGAL_REQUEST,
				 SALUA_ASC_PARAM_LIST_LENGTH_ERROR);
		return;
	}
	/* Validate every descriptor before changing anything. */
	memset(named, 0, sizeof(named));
	for (i = 0; i < n; i++) {
		bool ok = d[i].state == SALUA_STATE_OFFLINE
				  ? d[i].id >= 1 && d[i].id <= s->cfg.ports
				  : d[i].id >= 1 && d[i].id <= s->cfg.groups;

		if (!ok) {
			illegal(s, r, SALUA_ASC_INVALID_FIELD_IN_PARAM_LIST,
				false, (int)(SALUA_STPG_HDR_LEN +
					     SALUA_STPG_DESC_LEN * i + 2), -1);
			return;
		}
		if (d[i].state != SALUA_STATE_OFFLINE)
			named[d[i].id - 1u] = true;
	}
	s->stpg_active = true;
	s->stpg_port = c->port;
	for (i = 0; i < n; i++) {
		g = d[i].state == SALUA_STATE_OFFLINE
			    ? s->port_group[d[i].id - 1u]
			    : d[i].id - 1u;
		salua_sim__change(s, c->lun, g, d[i].state,
				  s->cfg.transition_ms,
				  SALUA_TPG_STATUS_BY_STPG);
		if (d[i].state != SALUA_STATE_AO)
			continue;
		/* Active/passive: one optimized group per LU. */
		for (g = 0; g < s->cfg.groups; g++) {
			const struct salua_sim__grp *o = &s->grp[c->lun][g];
			uint8_t eff = o->pending ? o->target : o->state;

			if (named[g] || eff != SALUA_STATE_AO)
				continue;
			salua_sim__change(s, c->lun, g,
					  s->cfg.stpg_demote_state,
					  s->cfg.transition_ms,
					  SALUA_TPG_STATUS_BY_STPG);
		}
	}
	s->stpg_active = false;
	good(r, 0);
}

/* ---- the rest of the command set ---------------------------------------- */

static void request_sense(struct salua_sim *s, const struct salua_sim_cmd *c,
			  struct salua_sim_result *r)
{
	uint8_t b[SALUA_SENSE_MAX_BUILD];
	uint16_t ascq = SIM_ASC_NONE;
	uint8_t key = SALUA_SK_NO_SENSE, st;
	bool desc = c->cdb_len > 1 && (c->cdb[1] & 1u);
	size_t alloc = c->cdb_len > 4 ? c->cdb[4] : 0;
	int n;

	if (salua_sim__take_ua(s, c->port, c->lun, &ascq)) {
		key = SALUA_SK_UNIT_ATTENTION;
	} else {
		st = s->grp[c->lun][s->port_group[c->port]].state;
		ascq = salua_sim_gate(st, (const uint8_t *)"\x00", 1);
		if (ascq)
			key = SALUA_SK_NOT_READY;
	}
	n = desc ? salua_sense_build_desc(b, sizeof(b), key,
					  (uint8_t)(ascq >> 8), (uint8_t)ascq)
		 : salua_sense_build_fixed(b, sizeof(b), key,
					   (uint8_t)(ascq >> 8), (uint8_t)ascq);
	reply(r, c, b, n > 0 ? (size_t)n : 0, alloc);
}

static void report_luns(struct salua_sim *s, const struct salua_sim_cmd *c,
			struct salua_sim_result *r)
{
	uint8_t b[8 + 8 * SALUA_SIM_MAX_LUNS];
	unsigned l;

	if (c->cdb_len < 12) {
		illegal(s, r, SALUA_ASC_INVALID_FIELD_IN_CDB, true, 0, -1);
		return;
	}
	memset(b, 0, sizeof(b));
	salua_put_be32(b, 8u * s->cfg.luns);
	for (l = 0; l < s->cfg.luns; l++)
		b[8 + 8 * l + 1] = (uint8_t)l; /* peripheral addressing */
	reply(r, c, b, 8 + 8 * (size_t)s->cfg.luns, salua_get_be32(c->cdb + 6));
}

static void read_capacity(struct salua_sim *s, const struct salua_sim_cmd *c,
			  struct salua_sim_result *r)
{
	uint8_t b[8];

	(void)s;
	salua_put_be32(b, SALUA_SIM_LAST_LBA);
	salua_put_be32(b + 4, SALUA_SIM_BLOCK_SIZE);
	reply(r, c, b, sizeof(b), sizeof(b));
}

static void rw10(struct salua_sim *s, const struct salua_sim_cmd *c,
		 struct salua_sim_result *r)
{
	uint32_t lba, blocks;
	size_t n, off, slen;
	uint8_t *st;

	if (c->cdb_len < 10) {
		illegal(s, r, SALUA_ASC_INVALID_FIELD_IN_CDB, true, 0, -1);
		return;
	}
	lba = salua_get_be32(c->cdb + 2);
	blocks = salua_get_be16(c->cdb + 7);
	if (lba > SALUA_SIM_LAST_LBA ||
	    blocks > SALUA_SIM_LAST_LBA + 1u - lba) {
		illegal(s, r, SIM_ASC_LBA_OUT_OF_RANGE, true, 2, -1);
		return;
	}
	st = c->lun < SALUA_SIM_MAX_LUNS ? s->store[c->lun] : NULL;
	slen = st ? s->store_len[c->lun] : 0;
	off = (size_t)lba * SALUA_SIM_BLOCK_SIZE;
	if (c->cdb[0] == SALUA_SIM_OP_WRITE10) {
		/* Keep what fits the store; the rest is accepted and dropped. */
		n = min_sz((size_t)blocks * SALUA_SIM_BLOCK_SIZE, c->dout_len);
		if (st && off < slen)
			memcpy(st + off, c->dout, min_sz(n, slen - off));
		good(r, 0);
		return;
	}
	n = min_sz((size_t)blocks * SALUA_SIM_BLOCK_SIZE, c->din_cap);
	if (n)
		memset(c->din, 0, n);
	if (st && off < slen)
		memcpy(c->din, st + off, min_sz(n, slen - off));
	good(r, n);
}

void salua_sim__exec(struct salua_sim *s, const struct salua_sim_cmd *c,
		     struct salua_sim_result *r)
{
	struct salua_cdb pc;
	int rc;

	switch (c->cdb[0]) {
	case SALUA_OP_TEST_UNIT_READY:
	case SALUA_OP_INQUIRY:
	case SALUA_OP_MAINTENANCE_IN:
	case SALUA_OP_MAINTENANCE_OUT:
		break;
	case SALUA_OP_REQUEST_SENSE:
		request_sense(s, c, r);
		return;
	case SALUA_SIM_OP_REPORT_LUNS:
		report_luns(s, c, r);
		return;
	case SALUA_SIM_OP_READ_CAPACITY10:
		read_capacity(s, c, r);
		return;
	case SALUA_SIM_OP_READ10:
	case SALUA_SIM_OP_WRITE10:
		rw10(s, c, r);
		return;
	default:
		illegal(s, r, SALUA_ASC_INVALID_OPCODE, true, 0, -1);
		return;
	}
	if (c->cdb[0] == SALUA_OP_MAINTENANCE_OUT && !s->cfg.explicit_alua) {
		/* LIO: STPG without explicit ALUA is an unsupported opcode. */
		illegal(s, r, SALUA_ASC_INVALID_OPCODE, true, 0, -1);
		return;
	}
	rc = salua_cdb_parse(c->cdb, c->cdb_len, &pc);
	if (rc) {
		bad_cdb(s, &pc, r);
		return;
	}
	switch (pc.opcode) {
	case SALUA_OP_INQUIRY:
		inquiry(s, c, &pc, r);
		break;
	case SALUA_OP_MAINTENANCE_IN:
		rtpg(s, c, &pc, r);
		break;
	case SALUA_OP_MAINTENANCE_OUT:
		stpg(s, c, &pc, r);
		break;
	default:
		good(r, 0);
		break;
	}
}

void salua_sim__exec_absent_lun(struct salua_sim *s,
				const struct salua_sim_cmd *c,
				struct salua_sim_result *r)
{
	struct salua_cdb pc;

	if (c->cdb[0] == SALUA_OP_INQUIRY &&
	    salua_cdb_parse(c->cdb, c->cdb_len, &pc) == 0 && !pc.evpd) {
		std_inquiry(s, c, r, pc.alloc_len, true);
		return;
	}
	if (c->cdb[0] == SALUA_SIM_OP_REPORT_LUNS) {
		report_luns(s, c, r);
		return;
	}
	salua_sim__check(s, r, SALUA_SK_ILLEGAL_REQUEST,
			 SALUA_ASC_LU_NOT_SUPPORTED);
}
