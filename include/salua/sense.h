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

/* Largest sense buffer a builder writes (fixed 18, descriptor 8+12+8). */
#define SALUA_SENSE_MAX_BUILD 32u

/**
 * struct salua_sense - sense data reduced to the fields ALUA needs.
 * @response_code: byte 0 & 0x7f (0x70..0x73).
 * @descriptor: true for descriptor format (0x72/0x73).
 * @deferred: true for deferred errors (0x71/0x73).
 * @key: SENSE KEY, 0 when the bytes holding it did not arrive.
 * @asc: ADDITIONAL SENSE CODE, valid only if @has_asc.
 * @ascq: ADDITIONAL SENSE CODE QUALIFIER, valid only if @has_asc.
 * @has_asc: both ASC and ASCQ arrived (inside the additional length).
 * @has_info: @information is valid (VALID bit in fixed format; an
 *	Information descriptor with VALID set in descriptor format).
 * @information: INFORMATION field.
 * @has_sks: @sks is valid (SKSV set).
 * @sks: the three sense-key-specific bytes (byte 15..17 of fixed format,
 *	byte 4..6 of the descriptor), SKSV bit included.
 * @desc: descriptor format: first descriptor byte (zero-copy view into the
 *	caller's buffer); NULL for fixed format.
 * @desc_len: bytes of descriptors that arrived and lie inside the
 *	ADDITIONAL SENSE LENGTH.
 * @len: bytes of sense data that are meaningful: min(received,
 *	8 + ADDITIONAL SENSE LENGTH) once the header arrived.
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
	const uint8_t *desc;
	size_t desc_len;
	size_t len;
};

/**
 * salua_sense_asc() - ASC/ASCQ as one 16-bit value (SALUA_ASC_* constants).
 * @s: normalized sense.
 *
 * Return: asc << 8 | ascq, or 0xffff when they did not arrive.
 */
SALUA_INLINE uint16_t salua_sense_asc(const struct salua_sense *s)
{
	return s->has_asc ? SALUA_ASCQ(s->asc, s->ascq) : (uint16_t)0xffffu;
}

/**
 * salua_sense_normalize() - decode sense data of either format.
 * @buf: sense bytes as received.
 * @len: number of bytes received (not the ADDITIONAL SENSE LENGTH claim).
 * @out: result; zeroed first.
 *
 * Accepts response codes 0x70..0x73.  Fields beyond @len, or beyond the
 * ADDITIONAL SENSE LENGTH, are reported absent rather than read.
 *
 * Context: any; pure.
 * Return: 0, -SALUA_EINVAL (NULL @out), -SALUA_ETRUNC (@len < 1, or too
 * short to hold the sense key), -SALUA_EPAGE (response code not 0x70..0x73).
 */
SALUA_API int salua_sense_normalize(const uint8_t *buf, size_t len,
				    struct salua_sense *out);

/**
 * salua_sense_find_desc() - find a descriptor in descriptor-format sense.
 * @s: normalized descriptor-format sense.
 * @type: DESCRIPTOR TYPE to look for (SALUA_SDESC_*).
 * @d: out: first byte of the descriptor (its type byte).
 * @dlen: out: whole descriptor length (2 + ADDITIONAL LENGTH).
 *
 * Walks only descriptors that fit entirely in @s->desc_len.
 *
 * Return: 0, -SALUA_ENOENT (absent, or fixed format), -SALUA_EMALFORMED (a
 * descriptor before it overruns the area), -SALUA_EINVAL.
 */
SALUA_API int salua_sense_find_desc(const struct salua_sense *s, uint8_t type,
				    const uint8_t **d, size_t *dlen);

/**
 * salua_sense_build_fixed() - build fixed-format sense (0x70, 18 bytes).
 * @buf: output.
 * @cap: capacity of @buf; at most 18 bytes are written.
 * @key: sense key.
 * @asc: additional sense code.
 * @ascq: additional sense code qualifier.
 *
 * Return: bytes written (18), or -SALUA_ENOSPC when @cap < 18.
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
 * Return: bytes written (8), or -SALUA_ENOSPC.
 */
SALUA_API int salua_sense_build_desc(uint8_t *buf, size_t cap, uint8_t key,
				     uint8_t asc, uint8_t ascq);

#if !defined(SALUA_NO_STRINGS)
/**
 * salua_sense_key_name() - name of a sense key ("NOT READY", ...).
 * @key: sense key 0..15.
 *
 * Return: static string; never NULL.
 */
SALUA_API const char *salua_sense_key_name(unsigned key);

/**
 * salua_asc_name() - text for an ASC/ASCQ pair of the ALUA-relevant set.
 * @asc: additional sense code.
 * @ascq: additional sense code qualifier.
 *
 * Return: static string (sg3_utils / SPC wording), or NULL when the pair is
 * not in the table.
 */
SALUA_API const char *salua_asc_name(uint8_t asc, uint8_t ascq);
#endif

SALUA_END_DECLS

#endif /* SALUA_SENSE_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_SENSE_IMPL_DONE)
#define SALUA_SENSE_IMPL_DONE
/* implementation goes here */
#endif
