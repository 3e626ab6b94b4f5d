/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/cdb.h - the CDBs ALUA uses, both sides: build INQUIRY, REPORT
 * TARGET PORT GROUPS, SET TARGET PORT GROUPS, TEST UNIT READY and REPORT
 * REFERRALS for an initiator; parse and validate them for a target, with
 * the field pointer a target needs for its ILLEGAL REQUEST sense; find the
 * LBA range of a block command (for LBA dependent gating).
 */
#ifndef SALUA_CDB_H
#define SALUA_CDB_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"
#include "sense.h"

SALUA_BEGIN_DECLS

/* INQUIRY CDB byte 1 (SPC-5 §6.7.1). */
#define SALUA_INQ_EVPD 0x01u
#define SALUA_INQ_CMDDT 0x02u /* obsolete; must be zero */

/*
 * CONTROL byte (SAM-6 §5.2): bits 7:6 vendor specific, 5:3 reserved,
 * 2 NACA, 1:0 obsolete.  A target without ACA support rejects NACA = 1.
 */
#define SALUA_CONTROL_NACA 0x04u
#define SALUA_CONTROL_CHECKED 0x3fu

/**
 * struct salua_cdb - a parsed CDB.
 * @opcode: OPERATION CODE (byte 0).
 * @cdb_len: length of the CDB for @opcode (6 or 12), 0 if unknown.
 * @service_action: SERVICE ACTION (byte 1 bits 4:0) of MAINTENANCE IN/OUT.
 * @pdf: RTPG PARAMETER DATA FORMAT (byte 1 bits 7:5): 0 classic, 1
 *	extended.
 * @evpd: INQUIRY EVPD bit.
 * @page: INQUIRY PAGE CODE.
 * @one_seg: REPORT REFERRALS ONE_SEG bit.
 * @lba: REPORT REFERRALS LOGICAL BLOCK ADDRESS.
 * @alloc_len: ALLOCATION LENGTH (INQUIRY 16 bits, RTPG and REPORT
 *	REFERRALS 32 bits).
 * @param_len: STPG PARAMETER LIST LENGTH.
 * @control: the CONTROL byte.
 * @err_asc: on a parse error that a target reports as CHECK CONDITION:
 *	the ASC/ASCQ to use with ILLEGAL REQUEST (SALUA_ASC_INVALID_OPCODE
 *	or SALUA_ASC_INVALID_FIELD_IN_CDB); 0 otherwise.
 * @err_byte: byte of the CDB holding the field in error.
 * @err_bit: most significant bit of that field, or -1 for the whole byte.
 * @err_has_field: @err_byte/@err_bit are meaningful (a field pointer can be
 *	reported); false when the CDB was too short.
 */
struct salua_cdb {
	uint8_t opcode;
	uint8_t cdb_len;
	uint8_t service_action;
	uint8_t pdf;
	bool evpd;
	uint8_t page;
	bool one_seg;
	uint64_t lba;
	uint32_t alloc_len;
	uint32_t param_len;
	uint8_t control;
	uint16_t err_asc;
	uint8_t err_byte;
	int8_t err_bit;
	bool err_has_field;
};

/**
 * salua_cdb_len() - CDB length implied by an operation code's group.
 * @opcode: OPERATION CODE.
 *
 * SPC-5 §4.2.5.1: group 0 is 6 bytes, groups 1 and 2 are 10, group 4 is
 * 16, group 5 is 12; group 3 (variable length) and the vendor-specific
 * groups 6 and 7 give 0.
 *
 * Context: any.
 * Return: 6, 10, 12, 16 or 0.
 */
SALUA_INLINE unsigned salua_cdb_len(uint8_t opcode)
{
	switch (opcode >> 5) {
	case 0: return 6u;
	case 1:
	case 2: return 10u;
	case 4: return 16u;
	case 5: return 12u;
	default: return 0u;
	}
}

/**
 * salua_cdb_inquiry() - build an INQUIRY CDB (SPC-5 §6.7.1).
 * @buf: output; 6 bytes are written.
 * @cap: capacity of @buf.
 * @evpd: request a VPD page.
 * @page: VPD page code; must be 0 when @evpd is false.
 * @alloc_len: ALLOCATION LENGTH (bytes 3..4).
 *
 * Context: any.
 * Return: 6, -SALUA_ENOSPC (@cap < 6), -SALUA_EINVAL (NULL @buf, or a page
 * code without @evpd).
 */
SALUA_INLINE int salua_cdb_inquiry(uint8_t *buf, size_t cap, bool evpd,
				   uint8_t page, uint16_t alloc_len)
{
	if (!buf || (!evpd && page))
		return -SALUA_EINVAL;
	if (cap < SALUA_CDB6_LEN)
		return -SALUA_ENOSPC;
	buf[0] = SALUA_OP_INQUIRY;
	buf[1] = evpd ? SALUA_INQ_EVPD : 0u;
	buf[2] = page;
	salua_put_be16(buf + 3, alloc_len);
	buf[5] = 0;
	return SALUA_CDB6_LEN;
}

/**
 * salua_cdb_rtpg() - build a REPORT TARGET PORT GROUPS CDB (SPC-5 §6.36).
 * @buf: output; 12 bytes are written.
 * @cap: capacity of @buf.
 * @pdf: PARAMETER DATA FORMAT: SALUA_RTPG_PDF_CLASSIC or
 *	SALUA_RTPG_PDF_EXTENDED (0..7 accepted; 2..7 are reserved).
 * @alloc_len: ALLOCATION LENGTH (bytes 6..9).
 *
 * Context: any.
 * Return: 12, -SALUA_ENOSPC, -SALUA_EINVAL (NULL @buf, @pdf > 7).
 */
SALUA_INLINE int salua_cdb_rtpg(uint8_t *buf, size_t cap, unsigned pdf,
				uint32_t alloc_len)
{
	if (!buf || pdf > 7u)
		return -SALUA_EINVAL;
	if (cap < SALUA_CDB12_LEN)
		return -SALUA_ENOSPC;
	memset(buf, 0, SALUA_CDB12_LEN);
	buf[0] = SALUA_OP_MAINTENANCE_IN;
	buf[1] = (uint8_t)((pdf << SALUA_RTPG_PDF_SHIFT) | SALUA_SA_REPORT_TPGS);
	salua_put_be32(buf + 6, alloc_len);
	return SALUA_CDB12_LEN;
}

/**
 * salua_cdb_stpg() - build a SET TARGET PORT GROUPS CDB (SPC-5 §6.49).
 * @buf: output; 12 bytes are written.
 * @cap: capacity of @buf.
 * @param_len: PARAMETER LIST LENGTH (bytes 6..9).
 *
 * Context: any.
 * Return: 12, -SALUA_ENOSPC, -SALUA_EINVAL (NULL @buf).
 */
SALUA_INLINE int salua_cdb_stpg(uint8_t *buf, size_t cap, uint32_t param_len)
{
	if (!buf)
		return -SALUA_EINVAL;
	if (cap < SALUA_CDB12_LEN)
		return -SALUA_ENOSPC;
	memset(buf, 0, SALUA_CDB12_LEN);
	buf[0] = SALUA_OP_MAINTENANCE_OUT;
	buf[1] = SALUA_SA_SET_TPGS;
	salua_put_be32(buf + 6, param_len);
	return SALUA_CDB12_LEN;
}

/**
 * salua_cdb_tur() - build a TEST UNIT READY CDB (SPC-5 §6.47).
 * @buf: output; 6 zero bytes are written.
 * @cap: capacity of @buf.
 *
 * Context: any.
 * Return: 6, -SALUA_ENOSPC, -SALUA_EINVAL (NULL @buf).
 */
SALUA_INLINE int salua_cdb_tur(uint8_t *buf, size_t cap)
{
	if (!buf)
		return -SALUA_EINVAL;
	if (cap < SALUA_CDB6_LEN)
		return -SALUA_ENOSPC;
	memset(buf, 0, SALUA_CDB6_LEN);
	return SALUA_CDB6_LEN;
}

/* REPORT REFERRALS CDB byte 14 (SBC-4). */
#define SALUA_REFERRALS_ONE_SEG 0x01u

/**
 * salua_cdb_report_referrals() - build a REPORT REFERRALS CDB (SBC-4;
 * SERVICE ACTION IN(16), service action 13h).
 * @buf: output; 16 bytes are written.
 * @cap: capacity of @buf.
 * @lba: LOGICAL BLOCK ADDRESS (bytes 2..9): the first segment of interest.
 * @alloc_len: ALLOCATION LENGTH (bytes 10..13).
 * @one_seg: ONE_SEG (byte 14 bit 0): only the segment holding @lba.
 *
 * Context: any.
 * Return: 16, -SALUA_ENOSPC, -SALUA_EINVAL (NULL @buf).
 */
SALUA_INLINE int salua_cdb_report_referrals(uint8_t *buf, size_t cap,
					    uint64_t lba, uint32_t alloc_len,
					    bool one_seg)
{
	if (!buf)
		return -SALUA_EINVAL;
	if (cap < SALUA_CDB16_LEN)
		return -SALUA_ENOSPC;
	memset(buf, 0, SALUA_CDB16_LEN);
	buf[0] = SALUA_OP_SERVICE_ACTION_IN16;
	buf[1] = SALUA_SAI_REPORT_REFERRALS;
	salua_put_be64(buf + 2, lba);
	salua_put_be32(buf + 10, alloc_len);
	buf[14] = one_seg ? SALUA_REFERRALS_ONE_SEG : 0u;
	return SALUA_CDB16_LEN;
}

/**
 * salua_cdb_lba_range() - the blocks a block command addresses.
 * @cdb: CDB bytes.
 * @len: bytes of @cdb.
 * @lba: out: LOGICAL BLOCK ADDRESS.
 * @nblocks: out: TRANSFER LENGTH / NUMBER OF LOGICAL BLOCKS in blocks
 *	(READ(6) / WRITE(6) 0 means 256; elsewhere 0 stays 0: no block, or
 *	"to the last LBA" for SYNCHRONIZE CACHE and WRITE SAME).
 *
 * Knows READ and WRITE (6, 10, 12, 16), WRITE AND VERIFY and VERIFY (10,
 * 12, 16), PRE-FETCH, SYNCHRONIZE CACHE and WRITE SAME (10, 16), ORWRITE
 * (16) and COMPARE AND WRITE (SBC-4 §5): the commands a device server in
 * the LBA dependent state checks against its user data segments.
 *
 * Context: any; pure.
 * Return: 1 with @lba and @nblocks; 0 for a command that addresses no
 * block (or is not known); -SALUA_ETRUNC when @len is shorter than the
 * command's CDB; -SALUA_EINVAL for NULL pointers.
 */
SALUA_API int salua_cdb_lba_range(const uint8_t *cdb, size_t len,
				  uint64_t *lba, uint32_t *nblocks);

/**
 * salua_cdb_parse() - parse and validate an ALUA-relevant CDB (target side).
 * @cdb: CDB bytes as received.
 * @len: bytes received; may exceed the CDB length (the extra bytes are
 *	ignored, as transports pad CDBs to 16 bytes).
 * @out: result; zeroed first.
 *
 * Knows TEST UNIT READY, INQUIRY (SPC-5 §6.7.1), REPORT TARGET PORT GROUPS
 * (MAINTENANCE IN 0x0a, §6.36), SET TARGET PORT GROUPS (MAINTENANCE OUT
 * 0x0a, §6.49) and REPORT REFERRALS (SERVICE ACTION IN(16) 0x13, SBC-4;
 * byte 1 bits 7:5 and byte 14 bits 7:1 reserved).  Checks, lowest byte
 * first: the CDB length; the service
 * action; reserved bits and bytes; CMDDT; a PAGE CODE with EVPD = 0;
 * a reserved PARAMETER DATA FORMAT; CONTROL bits 5:0 (reserved, NACA,
 * obsolete).  On every error but -SALUA_EINVAL, @out names the ASC and
 * the field pointer (see salua_cdb_build_sense()); the fields decoded
 * before the error are filled in.
 *
 * Context: any; pure.
 * Return: 0; -SALUA_EINVAL (NULL pointer); -SALUA_ETRUNC (@len shorter
 * than the CDB, or 0); -SALUA_ENOTSUP (unknown operation code, ASC 20/00;
 * or MAINTENANCE IN/OUT or SERVICE ACTION IN(16) with another service
 * action, ASC 24/00 pointing at byte 1 bit 4: @out->service_action tells
 * which, for a target that implements others); -SALUA_EMALFORMED (a field that must be zero or
 * must hold a defined value does not, ASC 24/00).
 */
SALUA_API int salua_cdb_parse(const uint8_t *cdb, size_t len,
			      struct salua_cdb *out);

/**
 * salua_cdb_build_sense() - ILLEGAL REQUEST sense for a rejected CDB.
 * @c: the struct salua_cdb filled by a failed salua_cdb_parse().
 * @descriptor: build descriptor format instead of fixed.
 * @buf: output.
 * @cap: capacity of @buf (SALUA_SENSE_MAX_BUILD always suffices).
 *
 * Sense key ILLEGAL REQUEST, @c->err_asc, and a sense-key-specific field
 * pointer (C/D = 1) when @c->err_has_field.
 *
 * Context: any.
 * Return: bytes written; -SALUA_EINVAL (NULL pointer, or @c holds no
 * error); -SALUA_ENOSPC.
 */
SALUA_API int salua_cdb_build_sense(const struct salua_cdb *c, bool descriptor,
				    uint8_t *buf, size_t cap);

SALUA_END_DECLS

#endif /* SALUA_CDB_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_CDB_IMPL_DONE)
#define SALUA_CDB_IMPL_DONE
SALUA_BEGIN_DECLS

/* Record the field a target reports in its field pointer. */
SALUA_INLINE int salua__cdb_bad(struct salua_cdb *c, int err, uint16_t asc,
				unsigned byte, int bit)
{
	c->err_asc = asc;
	c->err_byte = (uint8_t)byte;
	c->err_bit = (int8_t)bit;
	c->err_has_field = true;
	return err;
}

/* Highest set bit of a nonzero byte: where the field pointer points. */
SALUA_INLINE int salua__cdb_msb(unsigned v)
{
	int b = 7;

	while (b > 0 && !(v & (1u << b)))
		b--;
	return b;
}

/* Bytes [from, to) must be zero. */
SALUA_INLINE int salua__cdb_zero(struct salua_cdb *c, const uint8_t *cdb,
				 unsigned from, unsigned to)
{
	unsigned i;

	for (i = from; i < to; i++)
		if (cdb[i])
			return salua__cdb_bad(c, -SALUA_EMALFORMED,
					      SALUA_ASC_INVALID_FIELD_IN_CDB, i,
					      salua__cdb_msb(cdb[i]));
	return 0;
}

SALUA_INLINE int salua__cdb_control(struct salua_cdb *c, const uint8_t *cdb,
				    unsigned at)
{
	c->control = cdb[at];
	if (cdb[at] & SALUA_CONTROL_CHECKED)
		return salua__cdb_bad(c, -SALUA_EMALFORMED,
				      SALUA_ASC_INVALID_FIELD_IN_CDB, at,
				      salua__cdb_msb(cdb[at] &
						     SALUA_CONTROL_CHECKED));
	return 0;
}

SALUA_API int salua_cdb_parse(const uint8_t *cdb, size_t len,
			      struct salua_cdb *out)
{
	int rc;

	if (!out)
		return -SALUA_EINVAL;
	memset(out, 0, sizeof(*out));
	out->err_bit = -1;
	if (!cdb && len)
		return -SALUA_EINVAL;
	if (len < 1) {
		out->err_asc = SALUA_ASC_INVALID_OPCODE;
		return -SALUA_ETRUNC;
	}
	out->opcode = cdb[0];
	switch (cdb[0]) {
	case SALUA_OP_TEST_UNIT_READY:
	case SALUA_OP_INQUIRY:
		out->cdb_len = SALUA_CDB6_LEN;
		break;
	case SALUA_OP_MAINTENANCE_IN:
	case SALUA_OP_MAINTENANCE_OUT:
		out->cdb_len = SALUA_CDB12_LEN;
		break;
	case SALUA_OP_SERVICE_ACTION_IN16:
		out->cdb_len = SALUA_CDB16_LEN;
		break;
	default:
		return salua__cdb_bad(out, -SALUA_ENOTSUP,
				      SALUA_ASC_INVALID_OPCODE, 0, -1);
	}
	if (len < out->cdb_len) {
		out->err_asc = SALUA_ASC_INVALID_FIELD_IN_CDB;
		return -SALUA_ETRUNC;
	}

	switch (cdb[0]) {
	case SALUA_OP_TEST_UNIT_READY:
		rc = salua__cdb_zero(out, cdb, 1, 5);
		if (rc)
			return rc;
		return salua__cdb_control(out, cdb, 5);
	case SALUA_OP_INQUIRY:
		out->evpd = (cdb[1] & SALUA_INQ_EVPD) != 0;
		if (cdb[1] & ~SALUA_INQ_EVPD & 0xffu)
			return salua__cdb_bad(out, -SALUA_EMALFORMED,
					      SALUA_ASC_INVALID_FIELD_IN_CDB, 1,
					      salua__cdb_msb(cdb[1] & 0xfeu));
		out->page = cdb[2];
		out->alloc_len = salua_get_be16(cdb + 3);
		if (!out->evpd && cdb[2])
			return salua__cdb_bad(out, -SALUA_EMALFORMED,
					      SALUA_ASC_INVALID_FIELD_IN_CDB, 2,
					      -1);
		return salua__cdb_control(out, cdb, 5);
	case SALUA_OP_SERVICE_ACTION_IN16:
		out->service_action = (uint8_t)(cdb[1] & SALUA_SA_MASK);
		if (out->service_action != SALUA_SAI_REPORT_REFERRALS)
			return salua__cdb_bad(out, -SALUA_ENOTSUP,
					      SALUA_ASC_INVALID_FIELD_IN_CDB, 1,
					      4);
		out->lba = salua_get_be64(cdb + 2);
		out->alloc_len = salua_get_be32(cdb + 10);
		out->one_seg = (cdb[14] & SALUA_REFERRALS_ONE_SEG) != 0;
		if (cdb[1] & ~SALUA_SA_MASK & 0xffu)
			return salua__cdb_bad(out, -SALUA_EMALFORMED,
					      SALUA_ASC_INVALID_FIELD_IN_CDB, 1,
					      salua__cdb_msb(cdb[1] & 0xe0u));
		if (cdb[14] & 0xfeu)
			return salua__cdb_bad(out, -SALUA_EMALFORMED,
					      SALUA_ASC_INVALID_FIELD_IN_CDB, 14,
					      salua__cdb_msb(cdb[14] & 0xfeu));
		return salua__cdb_control(out, cdb, 15);
	default:
		break;
	}

	/* MAINTENANCE IN / OUT: service action first, then the rest. */
	out->service_action = (uint8_t)(cdb[1] & SALUA_SA_MASK);
	if (out->service_action != SALUA_SA_REPORT_TPGS)
		return salua__cdb_bad(out, -SALUA_ENOTSUP,
				      SALUA_ASC_INVALID_FIELD_IN_CDB, 1, 4);
	if (cdb[0] == SALUA_OP_MAINTENANCE_IN) {
		out->pdf = (uint8_t)((cdb[1] & SALUA_RTPG_PDF_MASK) >>
				     SALUA_RTPG_PDF_SHIFT);
		out->alloc_len = salua_get_be32(cdb + 6);
		if (out->pdf > SALUA_RTPG_PDF_EXTENDED)
			return salua__cdb_bad(out, -SALUA_EMALFORMED,
					      SALUA_ASC_INVALID_FIELD_IN_CDB, 1,
					      7);
	} else {
		out->param_len = salua_get_be32(cdb + 6);
		if (cdb[1] & SALUA_RTPG_PDF_MASK)
			return salua__cdb_bad(out, -SALUA_EMALFORMED,
					      SALUA_ASC_INVALID_FIELD_IN_CDB, 1,
					      salua__cdb_msb(cdb[1] &
							     SALUA_RTPG_PDF_MASK));
	}
	rc = salua__cdb_zero(out, cdb, 2, 6);
	if (!rc)
		rc = salua__cdb_zero(out, cdb, 10, 11);
	if (!rc)
		rc = salua__cdb_control(out, cdb, 11);
	return rc;
}

SALUA_API int salua_cdb_lba_range(const uint8_t *cdb, size_t len,
				  uint64_t *lba, uint32_t *nblocks)
{
	size_t need;

	if (!cdb || !lba || !nblocks)
		return -SALUA_EINVAL;
	*lba = 0;
	*nblocks = 0;
	if (len < 1)
		return -SALUA_ETRUNC;
	switch (cdb[0]) {
	case SALUA_OP_READ6:
	case SALUA_OP_WRITE6:
		need = SALUA_CDB6_LEN;
		break;
	case SALUA_OP_READ10:
	case SALUA_OP_WRITE10:
	case SALUA_OP_WRITE_VERIFY10:
	case SALUA_OP_VERIFY10:
	case SALUA_OP_PRE_FETCH10:
	case SALUA_OP_SYNC_CACHE10:
	case SALUA_OP_WRITE_SAME10:
		need = SALUA_CDB10_LEN;
		break;
	case SALUA_OP_READ12:
	case SALUA_OP_WRITE12:
	case SALUA_OP_WRITE_VERIFY12:
	case SALUA_OP_VERIFY12:
		need = SALUA_CDB12_LEN;
		break;
	case SALUA_OP_READ16:
	case SALUA_OP_WRITE16:
	case SALUA_OP_ORWRITE16:
	case SALUA_OP_WRITE_VERIFY16:
	case SALUA_OP_VERIFY16:
	case SALUA_OP_PRE_FETCH16:
	case SALUA_OP_SYNC_CACHE16:
	case SALUA_OP_WRITE_SAME16:
	case SALUA_OP_COMPARE_AND_WRITE:
		need = SALUA_CDB16_LEN;
		break;
	default:
		return 0;
	}
	if (len < need)
		return -SALUA_ETRUNC;
	switch (need) {
	case SALUA_CDB6_LEN:
		*lba = salua_get_be24(cdb + 1) & 0x1fffffu;
		*nblocks = cdb[4] ? cdb[4] : 256u;
		break;
	case SALUA_CDB10_LEN:
		*lba = salua_get_be32(cdb + 2);
		*nblocks = salua_get_be16(cdb + 7);
		break;
	case SALUA_CDB12_LEN:
		*lba = salua_get_be32(cdb + 2);
		*nblocks = salua_get_be32(cdb + 6);
		break;
	default:
		*lba = salua_get_be64(cdb + 2);
		*nblocks = cdb[0] == SALUA_OP_COMPARE_AND_WRITE ?
				   cdb[13] :
				   salua_get_be32(cdb + 10);
		break;
	}
	return 1;
}

SALUA_API int salua_cdb_build_sense(const struct salua_cdb *c, bool descriptor,
				    uint8_t *buf, size_t cap)
{
	struct salua_sense_spec sp;

	if (!c || !buf || !c->err_asc)
		return -SALUA_EINVAL;
	memset(&sp, 0, sizeof(sp));
	sp.descriptor = descriptor;
	sp.key = SALUA_SK_ILLEGAL_REQUEST;
	sp.asc = (uint8_t)(c->err_asc >> 8);
	sp.ascq = (uint8_t)c->err_asc;
	if (c->err_has_field) {
		sp.has_sks = true;
		salua_sks_field_pointer(sp.sks, true, c->err_byte, c->err_bit);
	}
	return salua_sense_build(buf, cap, &sp);
}

SALUA_END_DECLS
#endif
