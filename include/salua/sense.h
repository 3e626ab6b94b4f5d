/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/sense.h - sense data (SPC-5 §4.4): normalize fixed (0x70/0x71) and
 * descriptor (0x72/0x73) format, find descriptors, build sense for a target.
 */
#ifndef SALUA_SENSE_H
#define SALUA_SENSE_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"

SALUA_BEGIN_DECLS

/* Response codes (SPC-5 Table 47). */
#define SALUA_SENSE_FIXED_CURRENT 0x70u
#define SALUA_SENSE_FIXED_DEFERRED 0x71u
#define SALUA_SENSE_DESC_CURRENT 0x72u
#define SALUA_SENSE_DESC_DEFERRED 0x73u

/* Sense data descriptor types (SPC-5 Table 52). */
#define SALUA_SDESC_INFORMATION 0x00u
#define SALUA_SDESC_COMMAND_SPECIFIC 0x01u
#define SALUA_SDESC_SENSE_KEY_SPECIFIC 0x02u
#define SALUA_SDESC_FRU 0x03u
#define SALUA_SDESC_UDS_REFERRAL 0x0bu /* user data segment referral */

/* Largest sense buffer a builder writes (fixed 18, descriptor 8+12+8). */
#define SALUA_SENSE_MAX_BUILD 32u

/* Fixed format (SPC-5 §4.4.3). */
#define SALUA_SENSE_FIXED_LEN 18u
#define SALUA_SENSE_VALID 0x80u /* fixed byte 0, information descriptor byte 2 */
#define SALUA_SENSE_FILEMARK 0x80u /* fixed byte 2 */
#define SALUA_SENSE_EOM 0x40u      /* fixed byte 2 */
#define SALUA_SENSE_ILI 0x20u      /* fixed byte 2 */
#define SALUA_SENSE_SDAT_OVFL 0x80u       /* descriptor byte 4 */
#define SALUA_SENSE_FIXED_SDAT_OVFL 0x10u /* fixed byte 2 */
#define SALUA_SENSE_KEY_MASK 0x0fu
/* Descriptor format header (SPC-5 §4.4.2). */
#define SALUA_SENSE_DESC_HDR_LEN 8u

/* Sense-key-specific bytes (SPC-5 §4.4.2.2, sense key specific data). */
#define SALUA_SKS_SKSV 0x80u /* byte 0: the other bits are valid */
#define SALUA_SKS_CD 0x40u   /* field pointer: 1 = CDB, 0 = parameter data */
#define SALUA_SKS_BPV 0x08u  /* field pointer: BIT POINTER is valid */
#define SALUA_SKS_BIT_MASK 0x07u

/**
 * struct salua_sense - sense data reduced to the fields ALUA needs.
 * @response_code: byte 0 & 0x7f (0x70..0x73).
 * @descriptor: true for descriptor format (0x72/0x73).
 * @deferred: true for deferred errors (0x71/0x73).
 * @key: SENSE KEY (SPC-5 Table 51); always present when
 *	salua_sense_normalize() returned 0.
 * @asc: ADDITIONAL SENSE CODE, valid only if @has_asc.
 * @ascq: ADDITIONAL SENSE CODE QUALIFIER, valid only if @has_asc.
 * @has_asc: both ASC and ASCQ arrived (fixed format: bytes 12 and 13 lie
 *	inside both the received bytes and 8 + ADDITIONAL SENSE LENGTH;
 *	descriptor format: bytes 2 and 3 arrived).
 * @has_info: @information is valid (VALID bit in fixed format; an
 *	Information descriptor with VALID set in descriptor format).
 * @information: INFORMATION field (fixed: 32 bits, bytes 3..6).
 * @has_sks: @sks is valid (SKSV set).
 * @sks: the three sense-key-specific bytes (byte 15..17 of fixed format,
 *	byte 4..6 of the descriptor), SKSV bit included.
 * @sdat_ovfl: SDAT_OVFL: the device server had more sense data than fit.
 * @truncated: fewer bytes arrived than the header announces (8 +
 *	ADDITIONAL SENSE LENGTH), or the 8-byte header itself is incomplete.
 * @add_len: ADDITIONAL SENSE LENGTH (byte 7); 0 when byte 7 did not arrive.
 * @desc: descriptor format: first descriptor byte (zero-copy view into the
 *	caller's buffer); NULL for fixed format or when no descriptor byte
 *	arrived.
 * @desc_len: bytes of descriptors that arrived and lie inside the
 *	ADDITIONAL SENSE LENGTH.
 * @len: bytes of sense data that are meaningful: min(received,
 *	8 + ADDITIONAL SENSE LENGTH) once the header arrived, else received.
 */
struct salua_sense {
	uint8_t response_code;
	bool descriptor;
	bool deferred;
	uint8_t key;
	uint8_t asc;
	uint8_t ascq;
	bool has_asc;
	bool has_info;
	uint64_t information;
	bool has_sks;
	uint8_t sks[3];
	bool sdat_ovfl;
	bool truncated;
	uint8_t add_len;
	const uint8_t *desc;
	size_t desc_len;
	size_t len;
};

/**
 * struct salua_sense_spec - what salua_sense_build() puts into sense data.
 * @descriptor: descriptor format (0x72/0x73) instead of fixed (0x70/0x71).
 * @deferred: a deferred error (0x71/0x73) instead of a current one.
 * @key: SENSE KEY, 0..15.
 * @asc: ADDITIONAL SENSE CODE.
 * @ascq: ADDITIONAL SENSE CODE QUALIFIER.
 * @has_info: set the INFORMATION field and its VALID bit (fixed format
 *	holds 32 bits; descriptor format adds an Information descriptor).
 * @information: INFORMATION value.
 * @has_sks: set the sense-key-specific bytes (fixed bytes 15..17, or a
 *	Sense key specific descriptor); @sks[0] must carry SKSV.
 * @sks: sense-key-specific bytes, e.g. from salua_sks_field_pointer().
 *
 * A zero-filled spec builds fixed, current NO SENSE 00/00.
 */
struct salua_sense_spec {
	bool descriptor;
	bool deferred;
	uint8_t key;
	uint8_t asc;
	uint8_t ascq;
	bool has_info;
	uint64_t information;
	bool has_sks;
	uint8_t sks[3];
};

/**
 * salua_sense_asc() - ASC/ASCQ as one 16-bit value (SALUA_ASC_* constants).
 * @s: normalized sense.
 *
 * Return: asc << 8 | ascq, or 0xffff when they did not arrive.
 */
SALUA_INLINE uint16_t salua_sense_asc(const struct salua_sense *s)
{
	return (uint16_t)(s->has_asc ? SALUA_ASCQ(s->asc, s->ascq) : 0xffffu);
}

/**
 * salua_sks_field_pointer() - sense-key-specific FIELD POINTER bytes.
 * @sks: out: three bytes (SKSV set).
 * @in_cdb: C/D: true if the field is in the CDB, false if in parameter data.
 * @byte: index of the byte holding the field in error.
 * @bit: most significant bit of the field in error (0..7), or a negative
 *	value when the whole byte is meant (BPV = 0).
 *
 * For ILLEGAL REQUEST with INVALID FIELD IN CDB or INVALID FIELD IN
 * PARAMETER LIST (SPC-5 §4.4.2.2, field pointer sense key specific data).
 *
 * Context: any.
 */
SALUA_INLINE void salua_sks_field_pointer(uint8_t sks[3], bool in_cdb,
					  uint16_t byte, int bit)
{
	sks[0] = (uint8_t)(SALUA_SKS_SKSV | (in_cdb ? SALUA_SKS_CD : 0u));
	if (bit >= 0)
		sks[0] = (uint8_t)(sks[0] | SALUA_SKS_BPV |
				   ((unsigned)bit & SALUA_SKS_BIT_MASK));
	salua_put_be16(sks + 1, byte);
}

/**
 * salua_sense_normalize() - decode sense data of either format.
 * @buf: sense bytes as received.
 * @len: number of bytes received (not the ADDITIONAL SENSE LENGTH claim).
 * @out: result; zeroed first.
 *
 * Accepts response codes 0x70..0x73 (SPC-5 §4.4.1, Table 47); bit 7 of
 * byte 0 (VALID in fixed format) is not part of the code.  Fields beyond
 * @len, or beyond the ADDITIONAL SENSE LENGTH, are reported absent rather
 * than read.  In descriptor format the Information (type 0) and Sense key
 * specific (type 2) descriptors fill @information and @sks.
 *
 * Context: any; pure.
 * Return: 0, -SALUA_EINVAL (NULL @out, or NULL @buf with @len > 0),
 * -SALUA_ETRUNC (@len < 1, or too short to hold the sense key: 3 bytes
 * fixed, 2 bytes descriptor), -SALUA_EPAGE (response code not 0x70..0x73).
 */
SALUA_API int salua_sense_normalize(const uint8_t *buf, size_t len,
				    struct salua_sense *out);

/**
 * salua_sense_find_desc() - find a descriptor in descriptor-format sense.
 * @s: normalized descriptor-format sense.
 * @type: DESCRIPTOR TYPE to look for (SALUA_SDESC_*; SPC-5 Table 52).
 * @d: out: first byte of the descriptor (its type byte).
 * @dlen: out: whole descriptor length (2 + ADDITIONAL LENGTH).
 *
 * Walks only descriptors that fit entirely in @s->desc_len; the first
 * descriptor of @type wins.
 *
 * Return: 0, -SALUA_ENOENT (absent, or fixed format), -SALUA_ETRUNC (a
 * descriptor before it is cut by the end of the received bytes while the
 * header announces more), -SALUA_EMALFORMED (a descriptor before it
 * overruns the ADDITIONAL SENSE LENGTH), -SALUA_EINVAL.
 */
SALUA_API int salua_sense_find_desc(const struct salua_sense *s, uint8_t type,
				    const uint8_t **d, size_t *dlen);

/*
 * How much of a sense data descriptor is there (struct salua_sense_desc
 * @status).  COMPLETE: all 2 + ADDITIONAL LENGTH bytes arrived.  CUT: the
 * received bytes end inside it while the header announces more (a short
 * allocation length; normal, retry with a larger one).  OVERRUN: it reaches
 * past 8 + ADDITIONAL SENSE LENGTH, or fewer than the 2 header bytes are
 * left inside it: the sense data contradict themselves (malformed).
 */
#define SALUA_SDESC_ST_COMPLETE 0u
#define SALUA_SDESC_ST_CUT 1u
#define SALUA_SDESC_ST_OVERRUN 2u

/**
 * struct salua_sense_desc - one descriptor of descriptor-format sense
 *	(SPC-5 §4.4.2.1: DESCRIPTOR TYPE, ADDITIONAL LENGTH, then the rest).
 * @p: its first byte (the type) in the caller's buffer.
 * @off: its offset in the sense data (the first descriptor is at 8).
 * @len: the length it claims, 2 + ADDITIONAL LENGTH; 0 when its
 *	ADDITIONAL LENGTH byte is not there.
 * @avail: bytes of it present: received and inside 8 + ADDITIONAL SENSE
 *	LENGTH (== @len when complete).
 * @type: DESCRIPTOR TYPE (SPC-5 Table 52); valid when @avail >= 1.
 * @status: SALUA_SDESC_ST_COMPLETE, _CUT or _OVERRUN.
 */
struct salua_sense_desc {
	const uint8_t *p;
	size_t off;
	size_t len;
	size_t avail;
	uint8_t type;
	uint8_t status;
};

/**
 * struct salua_sense_desc_iter - a walk over the descriptors of normalized
 *	descriptor-format sense (salua_sense_desc_first()).
 * @s: the sense (its @desc, @desc_len, @add_len, @truncated).
 * @off: offset of the next descriptor in @s->desc.
 * @done: the walk has ended.
 */
struct salua_sense_desc_iter {
	const struct salua_sense *s;
	size_t off;
	bool done;
};

/**
 * salua_sense_desc_first() - start a walk over every descriptor.
 * @it: iterator to set up.
 * @s: normalized sense; fixed format gives an empty walk.
 *
 * Context: any.
 */
SALUA_INLINE void salua_sense_desc_first(struct salua_sense_desc_iter *it,
					 const struct salua_sense *s)
{
	it->s = s;
	it->off = 0;
	it->done = !s || !s->descriptor || !s->desc;
}

/**
 * salua_sense_desc_next() - the next descriptor, whole or not.
 * @it: iterator from salua_sense_desc_first().
 * @d: result, valid when 1 is returned.
 *
 * Unlike salua_sense_find_desc(), which only sees whole descriptors, this
 * walk also returns the last one when it is cut short (SALUA_SDESC_ST_CUT,
 * the received bytes end inside it) or overruns ADDITIONAL SENSE LENGTH
 * (SALUA_SDESC_ST_OVERRUN), so a caller can say what it lost.  Such a
 * descriptor ends the walk.  Nothing is read outside @d->avail bytes.
 * Descriptors wholly missing from a cut transfer are not returned: the
 * sense's @truncated says they were announced.
 *
 * Context: any.
 * Return: 1 with @d filled; 0 at the end.
 */
SALUA_API int salua_sense_desc_next(struct salua_sense_desc_iter *it,
				    struct salua_sense_desc *d);

#if !defined(SALUA_NO_STRINGS)
/**
 * salua_sense_desc_name() - name of a sense data descriptor type.
 * @type: DESCRIPTOR TYPE (SPC-5 Table 52).
 *
 * Return: "information", "command-specific", "sense-key-specific", "fru",
 * ..., "vendor-specific" (0x80..0xff), "reserved"; never NULL.
 */
SALUA_API const char *salua_sense_desc_name(uint8_t type);
#endif

/**
 * salua_sense_build() - build sense data for a target (SPC-5 §4.4).
 * @buf: output.
 * @cap: capacity of @buf; nothing is written past it.
 * @spec: what to build.
 *
 * Fixed format is 18 bytes (ADDITIONAL SENSE LENGTH 10).  Descriptor format
 * is the 8-byte header, then an Information descriptor (12 bytes) if
 * @spec->has_info, then a Sense key specific descriptor (8 bytes) if
 * @spec->has_sks.
 *
 * Context: any.
 * Return: bytes written, -SALUA_ENOSPC when @cap is smaller than that (then
 * nothing is written), -SALUA_EINVAL (NULL pointer, key > 15, fixed-format
 * INFORMATION above 32 bits, SKS without SKSV).
 */
SALUA_API int salua_sense_build(uint8_t *buf, size_t cap,
				const struct salua_sense_spec *spec);

/**
 * salua_sense_build_fixed() - build fixed-format sense (0x70, 18 bytes).
 * @buf: output.
 * @cap: capacity of @buf; at most 18 bytes are written.
 * @key: sense key.
 * @asc: additional sense code.
 * @ascq: additional sense code qualifier.
 *
 * Return: bytes written (18), -SALUA_ENOSPC when @cap < 18, -SALUA_EINVAL
 * (NULL @buf, @key > 15).
 */
SALUA_API int salua_sense_build_fixed(uint8_t *buf, size_t cap, uint8_t key,
				      uint8_t asc, uint8_t ascq);

/**
 * salua_sense_build_desc() - build descriptor-format sense (0x72, 8 bytes
 * with no descriptors).
 * @buf: output.
 * @cap: capacity of @buf; at most 8 bytes are written.
 * @key: sense key.
 * @asc: additional sense code.
 * @ascq: additional sense code qualifier.
 *
 * Return: bytes written (8), -SALUA_ENOSPC, -SALUA_EINVAL.
 */
SALUA_API int salua_sense_build_desc(uint8_t *buf, size_t cap, uint8_t key,
				     uint8_t asc, uint8_t ascq);

#if !defined(SALUA_NO_STRINGS)
/**
 * salua_sense_key_name() - name of a sense key, as sg3_utils prints it.
 * @key: sense key 0..15 (SPC-5 Table 51).
 *
 * Return: static string ("No Sense", "Not Ready", "Unit Attention", ...),
 * "Reserved" for @key > 15; never NULL.
 */
SALUA_API const char *salua_sense_key_name(unsigned key);

/**
 * salua_asc_name() - text for an ASC/ASCQ pair of the ALUA-relevant set.
 * @asc: additional sense code.
 * @ascq: additional sense code qualifier.
 *
 * Covers every SALUA_ASC_* of proto.h plus the neighbours a multipath
 * initiator meets (not ready causes, resets, parameter changes, medium
 * not present...).  Text as sg3_utils' sg_get_asc_ascq_str() gives it,
 * without its "Additional sense: " prefix (SPC-5 Annex F.2 wording).
 *
 * Return: static string, or NULL when the pair is not in the table.
 */
SALUA_API const char *salua_asc_name(uint8_t asc, uint8_t ascq);
#endif

SALUA_END_DECLS

#endif /* SALUA_SENSE_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_SENSE_IMPL_DONE)
#define SALUA_SENSE_IMPL_DONE
SALUA_BEGIN_DECLS

/*
 * Information (type 0) and sense key specific (type 2) descriptors: the
 * first of each type, as salua_sense_find_desc() finds it, in one walk
 * that stops where find_desc would (a descriptor cut or overrunning).
 */
SALUA_INLINE void salua__sense_desc_fields(struct salua_sense *s)
{
	const uint8_t *d = s->desc;
	size_t off = 0, left, n;
	bool info = false, sks = false;

	while (off < s->desc_len && !(info && sks)) {
		left = s->desc_len - off;
		if (left < 2)
			return;
		n = 2u + (size_t)d[off + 1];
		if (n > left)
			return;
		if (d[off] == SALUA_SDESC_INFORMATION && !info) {
			info = true;
			if (n >= 12 && (d[off + 2] & SALUA_SENSE_VALID)) {
				s->has_info = true;
				s->information = salua_get_be64(d + off + 4);
			}
		} else if (d[off] == SALUA_SDESC_SENSE_KEY_SPECIFIC && !sks) {
			sks = true;
			if (n >= 7 && (d[off + 4] & SALUA_SKS_SKSV)) {
				s->has_sks = true;
				memcpy(s->sks, d + off + 4, 3);
			}
		}
		off += n;
	}
}

SALUA_API int salua_sense_normalize(const uint8_t *buf, size_t len,
				    struct salua_sense *out)
{
	uint8_t rc;
	size_t mlen;

	if (!out)
		return -SALUA_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!buf && len)
		return -SALUA_EINVAL;
	if (len < 1)
		return -SALUA_ETRUNC;
	rc = (uint8_t)(buf[0] & 0x7fu);
	if ((unsigned)rc - SALUA_SENSE_FIXED_CURRENT > 3u)
		return -SALUA_EPAGE;
	out->response_code = rc;
	/* 0x70..0x73: bit 1 is descriptor format, bit 0 deferred. */
	out->descriptor = (rc & 2u) != 0;
	out->deferred = (rc & 1u) != 0;

	mlen = len;
	if (len >= 8) {
		size_t full = (size_t)buf[7] + 8u;

		out->add_len = buf[7];
		if (full < mlen)
			mlen = full;
		out->truncated = len < full;
	} else {
		out->truncated = true;
	}
	out->len = mlen;

	if (out->descriptor) {
		if (len < 2)
			return -SALUA_ETRUNC;
		out->key = (uint8_t)(buf[1] & SALUA_SENSE_KEY_MASK);
		if (len >= 4) {
			out->asc = buf[2];
			out->ascq = buf[3];
			out->has_asc = true;
		}
		if (len >= 5)
			out->sdat_ovfl = (buf[4] & SALUA_SENSE_SDAT_OVFL) != 0;
		if (mlen > SALUA_SENSE_DESC_HDR_LEN) {
			out->desc = buf + SALUA_SENSE_DESC_HDR_LEN;
			out->desc_len = mlen - SALUA_SENSE_DESC_HDR_LEN;
			salua__sense_desc_fields(out);
		}
		return 0;
	}

	if (len < 3)
		return -SALUA_ETRUNC;
	out->key = (uint8_t)(buf[2] & SALUA_SENSE_KEY_MASK);
	out->sdat_ovfl = (buf[2] & SALUA_SENSE_FIXED_SDAT_OVFL) != 0;
	if (len >= 7 && (buf[0] & SALUA_SENSE_VALID)) {
		out->has_info = true;
		out->information = salua_get_be32(buf + 3);
	}
	if (mlen >= 14) {
		out->asc = buf[12];
		out->ascq = buf[13];
		out->has_asc = true;
	}
	if (mlen >= 18 && (buf[15] & SALUA_SKS_SKSV)) {
		out->has_sks = true;
		memcpy(out->sks, buf + 15, 3);
	}
	return 0;
}

SALUA_API int salua_sense_find_desc(const struct salua_sense *s, uint8_t type,
				    const uint8_t **d, size_t *dlen)
{
	size_t off = 0;

	if (!s || !d || !dlen)
		return -SALUA_EINVAL;
	if (!s->descriptor || !s->desc)
		return -SALUA_ENOENT;
	while (off < s->desc_len) {
		size_t left = s->desc_len - off;
		size_t n;

		if (left < 2)
			return s->truncated ? -SALUA_ETRUNC : -SALUA_EMALFORMED;
		n = 2u + (size_t)s->desc[off + 1];
		if (n > left)
			return s->truncated ? -SALUA_ETRUNC : -SALUA_EMALFORMED;
		if (s->desc[off] == type) {
			*d = s->desc + off;
			*dlen = n;
			return 0;
		}
		off += n;
	}
	return -SALUA_ENOENT;
}

SALUA_API int salua_sense_desc_next(struct salua_sense_desc_iter *it,
				    struct salua_sense_desc *d)
{
	const struct salua_sense *s;
	size_t claimed, have, left, n;

	if (!it || !d || it->done)
		return 0;
	s = it->s;
	/* desc_len: descriptor bytes present; add_len: bytes announced */
	have = s->desc_len;
	claimed = s->add_len;
	if (it->off >= have) {
		it->done = true;
		return 0;
	}
	left = have - it->off;
	memset(d, 0, sizeof(*d));
	d->p = s->desc + it->off;
	d->off = SALUA_SENSE_DESC_HDR_LEN + it->off;
	d->type = d->p[0];
	if (left < 2) {
		/* One byte: cut by the transfer, or a stray byte (malformed). */
		d->avail = left;
		d->status = (uint8_t)(it->off + 2u <= claimed ?
					      SALUA_SDESC_ST_CUT :
					      SALUA_SDESC_ST_OVERRUN);
		it->done = true;
		return 1;
	}
	n = 2u + (size_t)d->p[1];
	d->len = n;
	if (it->off + n > claimed) {
		d->avail = left < n ? left : n;
		d->status = SALUA_SDESC_ST_OVERRUN;
		it->done = true;
		return 1;
	}
	if (n > left) {
		d->avail = left;
		d->status = SALUA_SDESC_ST_CUT;
		it->done = true;
		return 1;
	}
	d->avail = n;
	d->status = SALUA_SDESC_ST_COMPLETE;
	it->off += n;
	return 1;
}

SALUA_API int salua_sense_build(uint8_t *buf, size_t cap,
				const struct salua_sense_spec *spec)
{
	size_t need;
	uint8_t rc;

	if (!buf || !spec || spec->key > SALUA_SENSE_KEY_MASK)
		return -SALUA_EINVAL;
	if (spec->has_sks && !(spec->sks[0] & SALUA_SKS_SKSV))
		return -SALUA_EINVAL;
	if (!spec->descriptor) {
		if (spec->has_info && spec->information > 0xffffffffu)
			return -SALUA_EINVAL;
		if (cap < SALUA_SENSE_FIXED_LEN)
			return -SALUA_ENOSPC;
		memset(buf, 0, SALUA_SENSE_FIXED_LEN);
		rc = spec->deferred ? SALUA_SENSE_FIXED_DEFERRED :
				      SALUA_SENSE_FIXED_CURRENT;
		buf[0] = rc;
		buf[2] = spec->key;
		if (spec->has_info) {
			buf[0] = (uint8_t)(rc | SALUA_SENSE_VALID);
			salua_put_be32(buf + 3, (uint32_t)spec->information);
		}
		buf[7] = (uint8_t)(SALUA_SENSE_FIXED_LEN - 8u);
		buf[12] = spec->asc;
		buf[13] = spec->ascq;
		if (spec->has_sks)
			memcpy(buf + 15, spec->sks, 3);
		return (int)SALUA_SENSE_FIXED_LEN;
	}

	need = SALUA_SENSE_DESC_HDR_LEN + (spec->has_info ? 12u : 0u) +
	       (spec->has_sks ? 8u : 0u);
	if (cap < need)
		return -SALUA_ENOSPC;
	memset(buf, 0, need);
	buf[0] = spec->deferred ? SALUA_SENSE_DESC_DEFERRED :
				  SALUA_SENSE_DESC_CURRENT;
	buf[1] = spec->key;
	buf[2] = spec->asc;
	buf[3] = spec->ascq;
	buf[7] = (uint8_t)(need - SALUA_SENSE_DESC_HDR_LEN);
	need = SALUA_SENSE_DESC_HDR_LEN;
	if (spec->has_info) {
		buf[need] = SALUA_SDESC_INFORMATION;
		buf[need + 1] = 0x0a;
		buf[need + 2] = SALUA_SENSE_VALID;
		salua_put_be64(buf + need + 4, spec->information);
		need += 12;
	}
	if (spec->has_sks) {
		buf[need] = SALUA_SDESC_SENSE_KEY_SPECIFIC;
		buf[need + 1] = 0x06;
		memcpy(buf + need + 4, spec->sks, 3);
		need += 8;
	}
	return (int)need;
}

SALUA_API int salua_sense_build_fixed(uint8_t *buf, size_t cap, uint8_t key,
				      uint8_t asc, uint8_t ascq)
{
	struct salua_sense_spec sp;

	memset(&sp, 0, sizeof(sp));
	sp.key = key;
	sp.asc = asc;
	sp.ascq = ascq;
	return salua_sense_build(buf, cap, &sp);
}

SALUA_API int salua_sense_build_desc(uint8_t *buf, size_t cap, uint8_t key,
				     uint8_t asc, uint8_t ascq)
{
	struct salua_sense_spec sp;

	memset(&sp, 0, sizeof(sp));
	sp.descriptor = true;
	sp.key = key;
	sp.asc = asc;
	sp.ascq = ascq;
	return salua_sense_build(buf, cap, &sp);
}

#if !defined(SALUA_NO_STRINGS)
SALUA_API const char *salua_sense_key_name(unsigned key)
{
	static const char *const names[16] = {
		"No Sense",	   "Recovered Error", "Not Ready",
		"Medium Error",	   "Hardware Error",  "Illegal Request",
		"Unit Attention",  "Data Protect",    "Blank Check",
		"Vendor specific(9)", "Copy Aborted", "Aborted Command",
		"Equal",	   "Volume Overflow", "Miscompare",
		"Completed"
	};

	return key < 16u ? names[key] : "Reserved";
}

SALUA_API const char *salua_sense_desc_name(uint8_t type)
{
	static const char *const n[] = {
		"information", "command-specific", "sense-key-specific", "fru",
		"stream-commands", "block-commands", "osd-object-identification",
		"osd-response-integrity-check", "osd-attribute-identification",
		"ata-status-return", "another-progress-indication",
		"user-data-segment-referral", "forwarded-sense-data",
		"direct-access-block-device", "device-designation",
		"microcode-activation-time-too-long"
	};

	if (type >= 0x80u)
		return "vendor-specific";
	return type < SALUA_ARRAY_SIZE(n) ? n[type] : "reserved";
}

SALUA_API const char *salua_asc_name(uint8_t asc, uint8_t ascq)
{
	/* Sorted by ASC/ASCQ; SPC-5 Annex F.2 with sg3_utils' capitals. */
	static const struct {
		uint16_t code;
		const char *text;
	} tab[] = {
		{ 0x0000, "No additional sense information" },
		{ 0x0016, "operation in progress" },
		{ 0x0100, "No index/sector signal" },
		{ 0x0302, "Excessive write errors" },
		{ 0x0400, "Logical unit not ready, cause not reportable" },
		{ 0x0401, "Logical unit is in process of becoming ready" },
		{ 0x0402, "Logical unit not ready, initializing command required" },
		{ 0x0403, "Logical unit not ready, manual intervention required" },
		{ 0x0404, "Logical unit not ready, format in progress" },
		{ 0x0407, "Logical unit not ready, operation in progress" },
		{ 0x0409, "Logical unit not ready, self-test in progress" },
		{ 0x040a, "Logical unit not accessible, asymmetric access state transition" },
		{ 0x040b, "Logical unit not accessible, target port in standby state" },
		{ 0x040c, "Logical unit not accessible, target port in unavailable state" },
		{ 0x0411, "Logical unit not ready, notify (enable spinup) required" },
		{ 0x0412, "Logical unit not ready, offline" },
		{ 0x0500, "Logical unit does not respond to selection" },
		{ 0x0800, "Logical unit communication failure" },
		{ 0x1a00, "Parameter list length error" },
		{ 0x2000, "Invalid command operation code" },
		{ 0x2400, "Invalid field in cdb" },
		{ 0x2500, "Logical unit not supported" },
		{ 0x2600, "Invalid field in parameter list" },
		{ 0x2601, "Parameter not supported" },
		{ 0x2602, "Parameter value invalid" },
		{ 0x2604, "Invalid release of persistent reservation" },
		{ 0x2700, "Write protected" },
		{ 0x2800, "Not ready to ready change, medium may have changed" },
		{ 0x2900, "Power on, reset, or bus device reset occurred" },
		{ 0x2901, "Power on occurred" },
		{ 0x2902, "SCSI bus reset occurred" },
		{ 0x2903, "Bus device reset function occurred" },
		{ 0x2904, "Device internal reset" },
		{ 0x2907, "I_T nexus loss occurred" },
		{ 0x2a00, "Parameters changed" },
		{ 0x2a01, "Mode parameters changed" },
		{ 0x2a02, "Log parameters changed" },
		{ 0x2a03, "Reservations preempted" },
		{ 0x2a06, "Asymmetric access state changed" },
		{ 0x2a07, "Implicit asymmetric access state transition failed" },
		{ 0x2a09, "Capacity data has changed" },
		{ 0x2c00, "Command sequence error" },
		{ 0x2f00, "Commands cleared by another initiator" },
		{ 0x3a00, "Medium not present" },
		{ 0x3a01, "Medium not present - tray closed" },
		{ 0x3a02, "Medium not present - tray open" },
		{ 0x3e01, "Logical unit failure" },
		{ 0x3f00, "Target operating conditions have changed" },
		{ 0x3f01, "Microcode has been changed" },
		{ 0x3f03, "Inquiry data has changed" },
		{ 0x3f05, "Device identifier changed" },
		{ 0x3f0e, "Reported luns data has changed" },
		{ 0x4400, "Internal target failure" },
		{ 0x5500, "System resource failure" },
		{ 0x670a, "Set target port groups command failed" },
		{ 0x6800, "Logical unit not configured" }
	};
	uint16_t code = SALUA_ASCQ(asc, ascq);
	size_t lo = 0, hi = SALUA_ARRAY_SIZE(tab);

	while (lo < hi) {
		size_t mid = lo + ((hi - lo) >> 1);

		if (tab[mid].code == code)
			return tab[mid].text;
		if (tab[mid].code < code)
			lo = mid + 1u;
		else
			hi = mid;
	}
	return NULL;
}
#endif

SALUA_END_DECLS

#endif
