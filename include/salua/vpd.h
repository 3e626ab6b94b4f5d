/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/vpd.h - Vital Product Data pages used for ALUA (SPC-5 §7.7):
 * the common page header, Supported VPD Pages (0x00), Unit Serial Number
 * (0x80) and Device Identification (0x83, SPC-5 §7.7.6).
 *
 * Initiator side: decoders give zero-copy views into the caller's buffer;
 * the 0x83 designators come from an iterator that checks every length
 * against both the PAGE LENGTH claim and the bytes actually received.
 * Helpers find the addressed port's relative target port and target port
 * group, and pick the logical unit name in the Linux kernel's order.
 *
 * Target side: builders for the three pages that honour an allocation
 * length (never write past it, always return the full length).
 */
#ifndef SALUA_VPD_H
#define SALUA_VPD_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"

SALUA_BEGIN_DECLS

/* VPD page header (SPC-5 §7.7.2): 4 bytes, then PAGE LENGTH bytes. */
#define SALUA_VPD_HDR_LEN 4u
#define SALUA_VPD_PQ_SHIFT 5
#define SALUA_VPD_PDT_MASK 0x1fu
#define SALUA_VPD_MAX_PAGE_LEN 0xffffu

/* Designation descriptor header (SPC-5 §7.7.6.1). */
#define SALUA_DESIG_HDR_LEN 4u
#define SALUA_DESIG_PROTO_SHIFT 4
#define SALUA_DESIG_CODESET_MASK 0x0fu
#define SALUA_DESIG_PIV 0x80u
#define SALUA_DESIG_ASSOC_SHIFT 4
#define SALUA_DESIG_ASSOC_MASK 0x30u
#define SALUA_DESIG_TYPE_MASK 0x0fu
#define SALUA_ASSOC_RESERVED 0x3u

/* NAA field values (SPC-5 §7.7.6.6): the designator's first nibble. */
#define SALUA_NAA_IEEE_EXT 0x2u     /* 8 bytes */
#define SALUA_NAA_LOCAL 0x3u        /* 8 bytes */
#define SALUA_NAA_IEEE_REG 0x5u     /* 8 bytes */
#define SALUA_NAA_IEEE_REG_EXT 0x6u /* 16 bytes */

/*
 * Problems found in a designator that is present and fits the page
 * (struct salua_vpd83_desig.problems).  Any bit set means the designator
 * is invalid; the walk goes on.  A descriptor that does not fit the page is
 * a malformed page instead (an error from salua_vpd83_next()).
 */
#define SALUA_VPD83_P_LENGTH 0x0001u   /* length wrong for the type */
#define SALUA_VPD83_P_CODE_SET 0x0002u /* code set reserved or not the
					  one the type requires */
#define SALUA_VPD83_P_ASSOC 0x0004u    /* association reserved (3) or not
					  the one the type requires */
#define SALUA_VPD83_P_TYPE 0x0008u     /* reserved designator type */
#define SALUA_VPD83_P_NAA 0x0010u      /* reserved NAA value, or no byte
					  to hold it */
#define SALUA_VPD83_P_UUID_TYPE 0x0020u /* UUID TYPE is not 1 */
#define SALUA_VPD83_P_NAME_MULT4 0x0040u /* SCSI name length % 4 != 0 */
#define SALUA_VPD83_P_NAME_NUL 0x0080u /* SCSI name not NUL-terminated */
#define SALUA_VPD83_P_NAME_PAD 0x0100u /* non-NUL byte after the NUL */
#define SALUA_VPD83_P_CHARS 0x0200u    /* ASCII designator with a byte
					  outside 0x20..0x7e, or UTF-8 one
					  with a control character */
#define SALUA_VPD83_P_ALL 0x03ffu

/**
 * struct salua_vpd_page - a received VPD page (SPC-5 §7.7.2).
 * @p: byte 0 of the page in the caller's buffer.
 * @len: bytes usable: min(received, 4 + PAGE LENGTH).
 * @page_len: PAGE LENGTH as claimed (bytes 2..3).
 * @pq: PERIPHERAL QUALIFIER (byte 0 bits 7:5).
 * @pdt: PERIPHERAL DEVICE TYPE (byte 0 bits 4:0).
 * @page: PAGE CODE (byte 1).
 * @truncated: fewer bytes arrived than 4 + PAGE LENGTH; the caller may
 *	re-issue INQUIRY with an allocation length of 4 + @page_len.
 */
struct salua_vpd_page {
	const uint8_t *p;
	size_t len;
	uint16_t page_len;
	uint8_t pq;
	uint8_t pdt;
	uint8_t page;
	bool truncated;
};

/**
 * struct salua_vpd83_desig - one designation descriptor (SPC-5 §7.7.6.1).
 * @off: offset of the descriptor's first header byte in the page (the
 *	page header is at 0, the first descriptor at 4).
 * @proto: PROTOCOL IDENTIFIER (byte 0 bits 7:4, SPC-5 Table 477); it has a
 *	meaning only when @piv is set and @assoc is target port or target
 *	device.
 * @code_set: CODE SET (byte 0 bits 3:0, SPC-5 Table 589).
 * @piv: PIV (byte 1 bit 7).
 * @assoc: ASSOCIATION (byte 1 bits 5:4, SPC-5 Table 590).
 * @type: DESIGNATOR TYPE (byte 1 bits 3:0, SPC-5 Table 591).
 * @len: DESIGNATOR LENGTH (byte 3); the descriptor is 4 + @len bytes.
 * @value: first designator byte in the caller's buffer; all @len bytes
 *	were received and lie inside the page.
 * @problems: SALUA_VPD83_P_* bits; 0 when the designator is valid for its
 *	type.
 * @naa: NAA field (first nibble) for an NAA designator with @len >= 1.
 * @uuid_type: UUID TYPE (first nibble) for a UUID designator with
 *	@len >= 1.
 * @has_id: @id holds a 16-bit identifier: relative target port, target
 *	port group or logical unit group designator of length exactly 4.
 * @id: that identifier (designator bytes 2..3).
 *
 * The builder salua_vpd83_encode() reads @proto, @code_set, @piv, @assoc,
 * @type, @len and @value and ignores the rest.
 */
struct salua_vpd83_desig {
	size_t off;
	const uint8_t *value;
	uint16_t problems;
	uint16_t id;
	uint8_t proto;
	uint8_t code_set;
	uint8_t assoc;
	uint8_t type;
	uint8_t len;
	uint8_t naa;
	uint8_t uuid_type;
	bool piv;
	bool has_id;
};

/**
 * struct salua_vpd83_iter - a walk over the designators of page 0x83.
 * @pg: the page header.
 * @off: offset of the next descriptor; after an error, the offset of the
 *	descriptor (or stray bytes) that caused it.
 * @err: 0, or the sticky error the walk stopped with.
 */
struct salua_vpd83_iter {
	struct salua_vpd_page pg;
	size_t off;
	int err;
};

/**
 * struct salua_vpd83_port - where the addressed target port sits.
 * @rel_port: RELATIVE TARGET PORT IDENTIFIER, if @has_rel_port.
 * @tpg: TARGET PORT GROUP, if @has_tpg.
 * @has_rel_port: a relative target port designator was found.
 * @has_tpg: a target port group designator was found.
 */
struct salua_vpd83_port {
	uint16_t rel_port;
	uint16_t tpg;
	bool has_rel_port;
	bool has_tpg;
};

/* salua_vpd83_find_port() return bits. */
#define SALUA_VPD83_FOUND_REL_PORT 0x1
#define SALUA_VPD83_FOUND_TPG 0x2

/**
 * salua_vpd_page_decode() - check and decode a VPD page header.
 * @buf: the bytes received in answer to INQUIRY with EVPD=1.
 * @len: number of bytes received (not the allocation length).
 * @page: expected PAGE CODE, or -1 to accept any.
 * @pg: result; the page's bytes are min(@len, 4 + PAGE LENGTH).
 *
 * SPC-5 §7.7.2 (VPD page format): byte 0 peripheral qualifier and device
 * type, byte 1 page code, bytes 2..3 PAGE LENGTH.  A short page is not an
 * error here: @pg->truncated says so and later decoders report the
 * structure it cut.
 *
 * Context: any; no side effects besides @pg.
 * Return: 0; -SALUA_EINVAL for NULL @pg or @buf with @len > 0;
 * -SALUA_ETRUNC when fewer than 4 bytes arrived; -SALUA_EPAGE when the
 * page code is not @page.
 */
SALUA_API int salua_vpd_page_decode(const void *buf, size_t len, int page,
				    struct salua_vpd_page *pg);

/**
 * salua_vpd00_decode() - decode the Supported VPD Pages page (0x00).
 * @buf: received bytes.
 * @len: number of bytes received.
 * @pg: result; the list is @pg->p + 4, @pg->len - 4 page codes.
 *
 * SPC-5 "Supported VPD pages" VPD page: a list of page codes in ascending
 * order.
 *
 * Context: any.
 * Return: number of page codes in the list (>= 0), or the errors of
 * salua_vpd_page_decode(); -SALUA_EMALFORMED when the list is not in
 * strictly ascending order.
 */
SALUA_API int salua_vpd00_decode(const void *buf, size_t len,
				 struct salua_vpd_page *pg);

/**
 * salua_vpd_supports() - does a decoded page 0x00 list @page?
 * @pg00: page decoded by salua_vpd00_decode().
 * @page: page code looked for.
 *
 * Context: any.
 * Return: true if @page is in the list (page 0x00 itself is always
 * listed by a conforming device).
 */
SALUA_INLINE bool salua_vpd_supports(const struct salua_vpd_page *pg00,
				     uint8_t page)
{
	size_t i;

	if (!pg00 || !pg00->p || pg00->len < SALUA_VPD_HDR_LEN)
		return false;
	for (i = SALUA_VPD_HDR_LEN; i < pg00->len; i++)
		if (pg00->p[i] == page)
			return true;
	return false;
}

/**
 * salua_vpd80_serial() - zero-copy view of the Unit Serial Number (0x80).
 * @buf: received bytes.
 * @len: number of bytes received.
 * @sn: set to the first PRODUCT SERIAL NUMBER byte (in @buf).
 * @sn_len: set to its length (PAGE LENGTH); not NUL-terminated.
 *
 * SPC-5 "Unit Serial Number" VPD page: right-aligned ASCII; the view is
 * returned as received, without trimming.
 *
 * Context: any.
 * Return: 0; -SALUA_ETRUNC when fewer than 4 + PAGE LENGTH bytes arrived
 * (a partial serial number is never returned); other errors of
 * salua_vpd_page_decode().
 */
SALUA_API int salua_vpd80_serial(const void *buf, size_t len,
				 const uint8_t **sn, size_t *sn_len);

/**
 * salua_vpd83_iter_init() - start a walk over page 0x83.
 * @it: iterator to set up.
 * @buf: received bytes.
 * @len: number of bytes received.
 *
 * Context: any.
 * Return: 0, or the errors of salua_vpd_page_decode() for page 0x83.
 */
SALUA_API int salua_vpd83_iter_init(struct salua_vpd83_iter *it,
				    const void *buf, size_t len);

/**
 * salua_vpd83_next() - the next designation descriptor.
 * @it: iterator from salua_vpd83_iter_init().
 * @d: result, valid when 1 is returned.
 *
 * SPC-5 §7.7.6.1: each descriptor is a 4-byte header plus DESIGNATOR
 * LENGTH bytes.  A descriptor whose header or designator does not fit the
 * page stops the walk; @it->off then holds its offset.  When the page was
 * cut short (fewer bytes received than PAGE LENGTH claims) and the
 * descriptor would fit the claimed page, the walk stops with
 * -SALUA_ETRUNC instead, as it does when the received bytes end on a
 * descriptor boundary before the claimed end.  A descriptor that fits but
 * breaks its type's rules is returned with @d->problems set.
 *
 * Context: any.
 * Return: 1 with @d filled; 0 at the end of the page; -SALUA_EMALFORMED
 * when a descriptor overruns the PAGE LENGTH (or fewer than 4 bytes are
 * left for a header); -SALUA_ETRUNC as above; -SALUA_EINVAL for NULL
 * arguments.  Errors are sticky.
 */
SALUA_API int salua_vpd83_next(struct salua_vpd83_iter *it,
			       struct salua_vpd83_desig *d);

/**
 * salua_vpd83_check() - per-type validation of one designator.
 * @d: designator with @proto .. @value filled (as salua_vpd83_next()
 *	does); @problems, @naa, @uuid_type, @has_id and @id are set.
 *
 * Rules (SPC-5 §7.7.6.2..§7.7.6.11): T10 vendor ID: ASCII, >= 8 bytes;
 * EUI-64: binary, 8, 12 or 16 bytes; NAA: binary, 8 bytes for NAA 2, 3
 * and 5, 16 bytes for NAA 6, other NAA values reserved; relative target
 * port and target port group: binary, target port association, 4 bytes;
 * logical unit group: binary, LU association, 4 bytes; MD5: binary, LU
 * association, 16 bytes; SCSI name string: UTF-8, length a multiple of 4,
 * NUL-terminated, only NULs after the terminator; UUID: binary, 18 bytes,
 * UUID TYPE 1; types 0xb..0xf reserved.  The 16-bit identifier of a port,
 * group or LU group designator is read only when its length is exactly 4.
 *
 * Context: any.
 * Return: @d->problems.
 */
SALUA_API uint16_t salua_vpd83_check(struct salua_vpd83_desig *d);

/**
 * salua_vpd83_find_port() - relative target port and target port group of
 * the port that answered.
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @port: result; zero-filled first.
 *
 * Considers only designators with association target port, binary code
 * set and length 4 (as sg_stpg does; unlike the kernel's
 * scsi_vpd_tpg_id(), which checks neither and reads bytes 6..7 of short
 * designators).  The first matching designator of each type wins.  That
 * filter is all salua_vpd83_check() asks of these two types, so other
 * designators are only bounds-checked (as salua_vpd83_next() does).
 *
 * Context: any.
 * Return: SALUA_VPD83_FOUND_* bits (0 when neither is present); or a walk
 * error of salua_vpd83_next(), in which case @port still holds what was
 * found before the bad descriptor.
 */
SALUA_API int salua_vpd83_find_port(const void *buf, size_t len,
				    struct salua_vpd83_port *port);

/**
 * salua_vpd83_lu_prio() - a designator's rank as a logical unit name.
 * @d: decoded designator.
 *
 * The Linux kernel's order (scsi_vpd_lun_id(), designator_prio()): SCSI
 * name string 9, NAA 6 8, EUI-64 16-byte 7, EUI-64 12-byte 6, NAA 5 5,
 * NAA 2 4, EUI-64 8-byte 3, (truncated SCSI name string 2, decided by the
 * caller), NAA 3 and T10 vendor ID 1.  Only association LU with a
 * non-zero length counts; an NAA or EUI-64 designator must have the
 * length its kind requires.
 *
 * Context: any.
 * Return: 1..9, or 0 when @d cannot name the logical unit.
 */
SALUA_API int salua_vpd83_lu_prio(const struct salua_vpd83_desig *d);

/**
 * salua_vpd83_render() - text form of a naming designator.
 * @d: NAA, EUI-64, T10 vendor ID or SCSI name string designator.
 * @buf: output; may be NULL when @cap is 0.
 * @cap: capacity of @buf in bytes, NUL included.
 * @needed: if not NULL, set to the size the whole text needs, NUL
 *	included.
 *
 * Forms: "naa." and "eui." followed by the designator in lowercase hex;
 * "t10." followed by the designator with every byte outside 0x20..0x7e
 * and the backslash written as "\xHH"; a SCSI name string as it is, up to
 * its first NUL, with bytes below 0x20, 0x7f and the backslash written as
 * "\xHH" (UTF-8 bytes from 0x80 are kept).  The output is always
 * NUL-terminated when @cap > 0, truncated if need be.
 *
 * Context: any.
 * Return: length of the text without the NUL; -SALUA_ENOSPC when it did
 * not fit (*@needed tells the size to use); -SALUA_ENOTSUP for other
 * designator types; -SALUA_EINVAL for a NULL @d or a NULL @buf with
 * @cap > 0.
 */
SALUA_API int salua_vpd83_render(const struct salua_vpd83_desig *d,
				 char *buf, size_t cap, size_t *needed);

/**
 * salua_vpd83_lu_desig() - pick the logical unit name designator.
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @name_cap: size of the buffer the name will be rendered into; a SCSI
 *	name string whose text does not fit drops to rank 2, as the kernel
 *	does with an id buffer too small for it.  0 means no limit.
 * @out: the chosen designator.
 *
 * Ranks by salua_vpd83_lu_prio(); on equal rank the later designator wins
 * (as in the kernel).  The whole page must walk cleanly (every descriptor
 * bounds-checked as salua_vpd83_next() does); the rank needs only the
 * header and NAA value, so only the chosen designator gets the full type
 * check of salua_vpd83_check() (@out->problems).
 *
 * Context: any.
 * Return: the winning rank (1..9); -SALUA_ENOENT when no designator can
 * name the LU; a walk error of salua_vpd83_next().
 */
SALUA_API int salua_vpd83_lu_desig(const void *buf, size_t len,
				   size_t name_cap,
				   struct salua_vpd83_desig *out);

/**
 * salua_vpd83_lu_name() - the logical unit name as text.
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @name: output buffer; may be NULL when @cap is 0.
 * @cap: capacity of @name, NUL included.
 * @needed: if not NULL, set to the size the name needs, NUL included.
 *
 * salua_vpd83_lu_desig() with @name_cap = @cap, then
 * salua_vpd83_render().  A size query (@cap 0) sets no limit, so the size
 * it reports is that of the name a large enough buffer gets.  Gives what Linux shows as the device's wwid
 * (e.g. "naa.5000c5003011cb2b"), except where docs/differences-vpd.md
 * says otherwise.
 *
 * Context: any.
 * Return: length of the name; -SALUA_ENOSPC (with *@needed) when @cap is
 * too small; the errors of salua_vpd83_lu_desig().
 */
SALUA_API int salua_vpd83_lu_name(const void *buf, size_t len, char *name,
				  size_t cap, size_t *needed);

/**
 * struct salua_vpd83_ids - what a multipath host needs from page 0x83.
 * @port: relative target port and target port group, as
 *	salua_vpd83_find_port() gives them.
 * @lu: the logical unit name designator, as salua_vpd83_lu_desig() gives
 *	it (@lu.problems filled by salua_vpd83_check()); zeroed when
 *	@lu_prio is 0.
 * @lu_prio: its rank (1..9, salua_vpd83_lu_prio()), 0 when none.
 * @ndesig: designators walked.
 */
struct salua_vpd83_ids {
	struct salua_vpd83_port port;
	struct salua_vpd83_desig lu;
	int lu_prio;
	unsigned ndesig;
};

/* salua_vpd83_summary() return bit, beside SALUA_VPD83_FOUND_*. */
#define SALUA_VPD83_FOUND_LU 0x4

/**
 * salua_vpd83_summary() - relative port, target port group and logical
 * unit name of page 0x83 in one walk.
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @name_cap: as for salua_vpd83_lu_desig().
 * @s: result; zero-filled first.
 *
 * The answers of salua_vpd83_find_port() and salua_vpd83_lu_desig() (same
 * @name_cap) from a single walk.  Every descriptor is bounds-checked as
 * salua_vpd83_next() does (header and designator inside both the bytes
 * received and the PAGE LENGTH; the same errors).  Per-type validation
 * (SPC-5 §7.7.6, salua_vpd83_check()) covers what is returned: port and
 * group designators are taken only with association target port, binary
 * code set and length 4, which is all their type requires; the chosen LU
 * name designator is checked in full and @s->lu.problems says what is
 * wrong with it.  Designators not returned are not type-checked (walk
 * them with salua_vpd83_next() for that).
 *
 * Context: any.
 * Return: SALUA_VPD83_FOUND_* bits (REL_PORT, TPG, LU), 0 when none; a
 * walk error of salua_vpd83_next(), in which case @s->port holds what was
 * found before the bad descriptor and no LU name is returned;
 * -SALUA_EINVAL for a NULL @s.
 */
SALUA_API int salua_vpd83_summary(const void *buf, size_t len,
				  size_t name_cap,
				  struct salua_vpd83_ids *s);

/**
 * salua_vpd00_encode() - build a Supported VPD Pages page (0x00).
 * @buf: output; may be NULL when @cap is 0.
 * @cap: allocation length: at most @cap bytes are written.
 * @periph: byte 0 (peripheral qualifier << 5 | device type).
 * @pages: page codes, strictly ascending (SPC-5 requires it).
 * @n: number of page codes.
 *
 * Context: any.
 * Return: full page length (4 + @n), which may exceed @cap;
 * -SALUA_EINVAL for NULL pointers with non-zero sizes, @n > 65535 or a
 * list not strictly ascending.
 */
SALUA_API int salua_vpd00_encode(uint8_t *buf, size_t cap, uint8_t periph,
				 const uint8_t *pages, size_t n);

/**
 * salua_vpd80_encode() - build a Unit Serial Number page (0x80).
 * @buf: output; may be NULL when @cap is 0.
 * @cap: allocation length.
 * @periph: byte 0.
 * @sn: serial number bytes (ASCII, copied as given).
 * @sn_len: their number (<= 65535).
 *
 * Context: any.
 * Return: full page length (4 + @sn_len); -SALUA_EINVAL as for
 * salua_vpd00_encode().
 */
SALUA_API int salua_vpd80_encode(uint8_t *buf, size_t cap, uint8_t periph,
				 const void *sn, size_t sn_len);

/**
 * salua_vpd83_encode() - build a Device Identification page (0x83).
 * @buf: output; may be NULL when @cap is 0.
 * @cap: allocation length.
 * @periph: byte 0.
 * @d: designators in page order; each gives @proto, @code_set, @piv,
 *	@assoc, @type, @len and @value.
 * @n: number of designators.
 *
 * SPC-5 §7.7.6.  Fields are written as given (no per-type validation, so
 * a test target can serve malformed pages); salua_vpd83_check() tells
 * whether a designator is valid.
 *
 * Context: any.
 * Return: full page length, which may exceed @cap; -SALUA_EINVAL when a
 * field does not fit its bits, a value pointer is NULL with a non-zero
 * length, or the page would exceed 4 + 65535 bytes.
 */
SALUA_API int salua_vpd83_encode(uint8_t *buf, size_t cap, uint8_t periph,
				 const struct salua_vpd83_desig *d, size_t n);

/**
 * salua_vpd83_desig_set() - fill the header fields of a designator.
 * @d: designator to fill (everything else is cleared).
 * @type: DESIGNATOR TYPE.
 * @code_set: CODE SET.
 * @assoc: ASSOCIATION.
 * @value: designator bytes (not copied).
 * @len: their number.
 *
 * Context: any.
 */
SALUA_INLINE void salua_vpd83_desig_set(struct salua_vpd83_desig *d,
					uint8_t type, uint8_t code_set,
					uint8_t assoc, const uint8_t *value,
					uint8_t len)
{
	memset(d, 0, sizeof(*d));
	d->type = type;
	d->code_set = code_set;
	d->assoc = assoc;
	d->value = value;
	d->len = len;
}

/**
 * salua_vpd83_port_id_value() - the 4 value bytes of a relative target
 * port, target port group or logical unit group designator.
 * @v: 4-byte output.
 * @id: the identifier (bytes 2..3; bytes 0..1 reserved/obsolete, zero).
 *
 * Context: any.
 */
SALUA_INLINE void salua_vpd83_port_id_value(uint8_t v[4], uint16_t id)
{
	v[0] = 0;
	v[1] = 0;
	salua_put_be16(v + 2, id);
}

#if !defined(SALUA_NO_STRINGS)
/**
 * salua_vpd83_problem_name() - short name of one SALUA_VPD83_P_* bit.
 * @bit: a single problem bit.
 *
 * Context: any.
 * Return: "length", "code-set", ... ; "unknown" for anything else.
 */
SALUA_API const char *salua_vpd83_problem_name(uint16_t bit);
#endif

SALUA_END_DECLS

#endif /* SALUA_VPD_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_VPD_IMPL_DONE)
#define SALUA_VPD_IMPL_DONE

SALUA_BEGIN_DECLS

SALUA_API int salua_vpd_page_decode(const void *buf, size_t len, int page,
				    struct salua_vpd_page *pg)
{
	const uint8_t *p = (const uint8_t *)buf;
	size_t full;

	if (!pg || (!p && len))
		return -SALUA_EINVAL;
	memset(pg, 0, sizeof(*pg));
	if (len < SALUA_VPD_HDR_LEN)
		return -SALUA_ETRUNC;
	if (page >= 0 && p[1] != (unsigned)page)
		return -SALUA_EPAGE;
	pg->p = p;
	pg->pq = (uint8_t)(p[0] >> SALUA_VPD_PQ_SHIFT);
	pg->pdt = (uint8_t)(p[0] & SALUA_VPD_PDT_MASK);
	pg->page = p[1];
	pg->page_len = salua_get_be16(p + 2);
	full = SALUA_VPD_HDR_LEN + (size_t)pg->page_len;
	pg->truncated = len < full;
	pg->len = len < full ? len : full;
	return 0;
}

SALUA_API int salua_vpd00_decode(const void *buf, size_t len,
				 struct salua_vpd_page *pg)
{
	size_t i;
	int rc = salua_vpd_page_decode(buf, len, SALUA_VPD_SUPPORTED_PAGES, pg);

	if (rc < 0)
		return rc;
	for (i = SALUA_VPD_HDR_LEN + 1; i < pg->len; i++)
		if (pg->p[i] <= pg->p[i - 1])
			return -SALUA_EMALFORMED;
	return (int)(pg->len - SALUA_VPD_HDR_LEN);
}

SALUA_API int salua_vpd80_serial(const void *buf, size_t len,
				 const uint8_t **sn, size_t *sn_len)
{
	struct salua_vpd_page pg;
	int rc;

	if (!sn || !sn_len)
		return -SALUA_EINVAL;
	*sn = NULL;
	*sn_len = 0;
	rc = salua_vpd_page_decode(buf, len, SALUA_VPD_UNIT_SERIAL, &pg);
	if (rc < 0)
		return rc;
	if (pg.truncated)
		return -SALUA_ETRUNC;
	*sn = pg.p + SALUA_VPD_HDR_LEN;
	*sn_len = pg.len - SALUA_VPD_HDR_LEN;
	return 0;
}

SALUA_API int salua_vpd83_iter_init(struct salua_vpd83_iter *it,
				    const void *buf, size_t len)
{
	int rc;

	if (!it)
		return -SALUA_EINVAL;
	rc = salua_vpd_page_decode(buf, len, SALUA_VPD_DEVICE_ID, &it->pg);
	it->off = SALUA_VPD_HDR_LEN;
	it->err = rc < 0 ? rc : 0;
	return rc;
}

/*
 * The structure at [off, off + n) does not fit the usable bytes: was the
 * page cut short before it (ETRUNC), or does it overrun PAGE LENGTH itself?
 */
SALUA_INLINE int salua__vpd_cut(const struct salua_vpd_page *pg, size_t off,
				size_t n)
{
	if (pg->truncated &&
	    off + n <= SALUA_VPD_HDR_LEN + (size_t)pg->page_len)
		return -SALUA_ETRUNC;
	return -SALUA_EMALFORMED;
}

SALUA_API uint16_t salua_vpd83_check(struct salua_vpd83_desig *d)
{
	uint16_t pr = 0;
	uint8_t want_cs = 0, want_assoc = 0xff;
	size_t i, nul;
	const uint8_t *v = d->value;

	d->has_id = false;
	d->id = 0;
	d->naa = 0;
	d->uuid_type = 0;
	if (d->assoc == SALUA_ASSOC_RESERVED)
		pr |= SALUA_VPD83_P_ASSOC;
	if (d->code_set != SALUA_CODESET_BINARY &&
	    d->code_set != SALUA_CODESET_ASCII &&
	    d->code_set != SALUA_CODESET_UTF8)
		pr |= SALUA_VPD83_P_CODE_SET;

	switch (d->type) {
	case SALUA_DESIG_VENDOR:
		break;
	case SALUA_DESIG_T10:
		want_cs = SALUA_CODESET_ASCII;
		if (d->len < 8)
			pr |= SALUA_VPD83_P_LENGTH;
		break;
	case SALUA_DESIG_EUI64:
		want_cs = SALUA_CODESET_BINARY;
		if (d->len != 8 && d->len != 12 && d->len != 16)
			pr |= SALUA_VPD83_P_LENGTH;
		break;
	case SALUA_DESIG_NAA:
		want_cs = SALUA_CODESET_BINARY;
		if (d->len < 1) {
			pr |= SALUA_VPD83_P_NAA | SALUA_VPD83_P_LENGTH;
			break;
		}
		d->naa = (uint8_t)(v[0] >> 4);
		switch (d->naa) {
		case SALUA_NAA_IEEE_EXT:
		case SALUA_NAA_LOCAL:
		case SALUA_NAA_IEEE_REG:
			if (d->len != 8)
				pr |= SALUA_VPD83_P_LENGTH;
			break;
		case SALUA_NAA_IEEE_REG_EXT:
			if (d->len != 16)
				pr |= SALUA_VPD83_P_LENGTH;
			break;
		default:
			pr |= SALUA_VPD83_P_NAA;
			break;
		}
		break;
	case SALUA_DESIG_REL_PORT:
	case SALUA_DESIG_TPG:
	case SALUA_DESIG_LU_GROUP:
		want_cs = SALUA_CODESET_BINARY;
		want_assoc = (uint8_t)(d->type == SALUA_DESIG_LU_GROUP ?
					       SALUA_ASSOC_LU :
					       SALUA_ASSOC_TARGET_PORT);
		/* Bytes 2..3 exist only when the length says so. */
		if (d->len != 4) {
			pr |= SALUA_VPD83_P_LENGTH;
			break;
		}
		d->has_id = true;
		d->id = salua_get_be16(v + 2);
		break;
	case SALUA_DESIG_MD5:
		want_cs = SALUA_CODESET_BINARY;
		want_assoc = SALUA_ASSOC_LU;
		if (d->len != 16)
			pr |= SALUA_VPD83_P_LENGTH;
		break;
	case SALUA_DESIG_SCSI_NAME:
		want_cs = SALUA_CODESET_UTF8;
		if (d->len % 4 != 0)
			pr |= SALUA_VPD83_P_NAME_MULT4;
		for (nul = 0; nul < d->len && v[nul] != 0; nul++)
			if (v[nul] < 0x20 || v[nul] == 0x7f)
				pr |= SALUA_VPD83_P_CHARS;
		if (nul == d->len)
			pr |= SALUA_VPD83_P_NAME_NUL;
		for (i = nul; i < d->len; i++)
			if (v[i] != 0)
				pr |= SALUA_VPD83_P_NAME_PAD;
		break;
	case SALUA_DESIG_PROTO_PORT:
		want_cs = SALUA_CODESET_BINARY;
		break;
	case SALUA_DESIG_UUID:
		want_cs = SALUA_CODESET_BINARY;
		if (d->len >= 1) {
			d->uuid_type = (uint8_t)(v[0] >> 4);
			if (d->uuid_type != 1)
				pr |= SALUA_VPD83_P_UUID_TYPE;
		}
		if (d->len != 18)
			pr |= SALUA_VPD83_P_LENGTH;
		break;
	default:
		pr |= SALUA_VPD83_P_TYPE;
		break;
	}
	if (want_cs && d->code_set != want_cs)
		pr |= SALUA_VPD83_P_CODE_SET;
	if (want_assoc != 0xff && d->assoc != want_assoc)
		pr |= SALUA_VPD83_P_ASSOC;
	if (d->code_set == SALUA_CODESET_ASCII &&
	    d->type != SALUA_DESIG_SCSI_NAME)
		for (i = 0; i < d->len; i++)
			if (v[i] < 0x20 || v[i] > 0x7e)
				pr |= SALUA_VPD83_P_CHARS;
	d->problems = pr;
	return pr;
}

/* Header fields of the descriptor @h at page offset @off (it fits). */
SALUA_INLINE void salua__vpd83_fill(struct salua_vpd83_desig *d,
				    const uint8_t *h, size_t off)
{
	d->off = off;
	d->proto = (uint8_t)(h[0] >> SALUA_DESIG_PROTO_SHIFT);
	d->code_set = (uint8_t)(h[0] & SALUA_DESIG_CODESET_MASK);
	d->piv = (h[1] & SALUA_DESIG_PIV) != 0;
	d->assoc = (uint8_t)((h[1] & SALUA_DESIG_ASSOC_MASK) >>
			     SALUA_DESIG_ASSOC_SHIFT);
	d->type = (uint8_t)(h[1] & SALUA_DESIG_TYPE_MASK);
	d->len = h[3];
	d->value = h + SALUA_DESIG_HDR_LEN;
}

/*
 * The walk of salua_vpd83_next() without the per-type check: bounds and
 * header fields only (@d->problems .. @d->id are left as they were).
 */
SALUA_INLINE int salua__vpd83_step(struct salua_vpd83_iter *it,
				   struct salua_vpd83_desig *d)
{
	const struct salua_vpd_page *pg = &it->pg;
	const uint8_t *h;
	size_t left, dlen;
	int rc;

	/* Every return but the last is <= 0 (errors are negative). */
	if (it->err)
		return it->err < 0 ? it->err : -SALUA_EINVAL;
	if (it->off >= pg->len) {
		if (!pg->truncated)
			return 0;
		it->err = -SALUA_ETRUNC;
		return -SALUA_ETRUNC;
	}
	left = pg->len - it->off;
	if (left < SALUA_DESIG_HDR_LEN) {
		rc = salua__vpd_cut(pg, it->off, SALUA_DESIG_HDR_LEN);
		it->err = rc;
		return rc;
	}
	h = pg->p + it->off;
	dlen = h[3];
	if (dlen > left - SALUA_DESIG_HDR_LEN) {
		rc = salua__vpd_cut(pg, it->off, SALUA_DESIG_HDR_LEN + dlen);
		it->err = rc;
		return rc;
	}
	salua__vpd83_fill(d, h, it->off);
	it->off += SALUA_DESIG_HDR_LEN + dlen;
	return 1;
}

SALUA_API int salua_vpd83_next(struct salua_vpd83_iter *it,
			       struct salua_vpd83_desig *d)
{
	int rc;

	if (!it || !d)
		return -SALUA_EINVAL;
	rc = salua__vpd83_step(it, d);
	if (rc > 0)
		salua_vpd83_check(d);
	return rc;
}

/*
 * salua_vpd83_lu_prio() of a designator after salua_vpd83_check(), from
 * the header and first byte alone: the rank depends on association, type,
 * length and NAA value, never on the character or code-set checks, so the
 * walks rank unchecked designators and check only the winner.
 */
SALUA_INLINE int salua__vpd83_lu_rank(const uint8_t *h)
{
	unsigned len = h[3];

	if ((h[1] & SALUA_DESIG_ASSOC_MASK) !=
		    SALUA_ASSOC_LU << SALUA_DESIG_ASSOC_SHIFT ||
	    len == 0)
		return 0;
	switch (h[1] & SALUA_DESIG_TYPE_MASK) {
	case SALUA_DESIG_SCSI_NAME:
		return 9;
	case SALUA_DESIG_NAA:
		switch (h[4] >> 4) {
		case SALUA_NAA_IEEE_REG_EXT: return len == 16 ? 8 : 0;
		case SALUA_NAA_IEEE_REG: return len == 8 ? 5 : 0;
		case SALUA_NAA_IEEE_EXT: return len == 8 ? 4 : 0;
		case SALUA_NAA_LOCAL: return len == 8 ? 1 : 0;
		default: return 0;
		}
	case SALUA_DESIG_EUI64:
		switch (len) {
		case 16: return 7;
		case 12: return 6;
		case 8: return 3;
		default: return 0;
		}
	case SALUA_DESIG_T10:
		return 1;
	default:
		return 0;
	}
}

/*
 * Rank of the descriptor @h (at page offset @off, fitting the page) as the
 * LU name under @name_cap (an empty SCSI name string names nothing, one
 * too long for @name_cap drops to 2); 0: it cannot be one.
 */
SALUA_INLINE int salua__vpd83_lu_cand(const uint8_t *h, size_t off,
				      size_t name_cap)
{
	struct salua_vpd83_desig d;
	size_t need = 0;
	int prio = salua__vpd83_lu_rank(h);

	if (prio == 9) {
		memset(&d, 0, sizeof(d));
		salua__vpd83_fill(&d, h, off);
		salua_vpd83_render(&d, NULL, 0, &need);
		if (need <= 1)
			return 0;
		if (name_cap && need > name_cap)
			prio = 2;
	}
	return prio;
}

/*
 * One walk for find_port, lu_desig and summary, over raw headers: the
 * bounds checks and errors of salua__vpd83_step(); relative port and TPG
 * taken with association target port, binary code set and length 4 (all
 * that salua_vpd83_check() asks of these types); with @lu, the offset of
 * the best LU name candidate in *@lu_off (0: none) and its rank in
 * @s->lu_prio.  Returns the FOUND_* bits or the walk error.
 */
SALUA_INLINE int salua__vpd83_scan(const struct salua_vpd_page *pg,
				   size_t name_cap, bool lu,
				   struct salua_vpd83_ids *s, size_t *lu_off)
{
	const uint8_t *p = pg->p, *h;
	size_t off = SALUA_VPD_HDR_LEN, end = pg->len, left, dlen;
	unsigned ndesig = 0;
	int found = 0, best = 0, prio;

	*lu_off = 0;
	while (off < end) {
		left = end - off;
		if (left < SALUA_DESIG_HDR_LEN) {
			s->ndesig = ndesig;
			return salua__vpd_cut(pg, off, SALUA_DESIG_HDR_LEN);
		}
		h = p + off;
		dlen = h[3];
		if (dlen > left - SALUA_DESIG_HDR_LEN) {
			s->ndesig = ndesig;
			return salua__vpd_cut(pg, off, SALUA_DESIG_HDR_LEN + dlen);
		}
		ndesig++;
		if ((h[1] & SALUA_DESIG_ASSOC_MASK) ==
		    SALUA_ASSOC_TARGET_PORT << SALUA_DESIG_ASSOC_SHIFT) {
			if ((h[0] & SALUA_DESIG_CODESET_MASK) ==
				    SALUA_CODESET_BINARY &&
			    dlen == 4) {
				unsigned type = h[1] & SALUA_DESIG_TYPE_MASK;

				if (type == SALUA_DESIG_REL_PORT &&
				    !(found & SALUA_VPD83_FOUND_REL_PORT)) {
					s->port.has_rel_port = true;
					s->port.rel_port = salua_get_be16(h + 6);
					found |= SALUA_VPD83_FOUND_REL_PORT;
				} else if (type == SALUA_DESIG_TPG &&
					   !(found & SALUA_VPD83_FOUND_TPG)) {
					s->port.has_tpg = true;
					s->port.tpg = salua_get_be16(h + 6);
					found |= SALUA_VPD83_FOUND_TPG;
				}
			}
		} else if (lu) {
			prio = salua__vpd83_lu_cand(h, off, name_cap);
			if (prio && prio >= best) {
				best = prio;
				*lu_off = off;
			}
		}
		off += SALUA_DESIG_HDR_LEN + dlen;
	}
	s->ndesig = ndesig;
	if (pg->truncated)
		return -SALUA_ETRUNC;
	s->lu_prio = best;
	return found;
}

SALUA_API int salua_vpd83_find_port(const void *buf, size_t len,
				    struct salua_vpd83_port *port)
{
	struct salua_vpd_page pg;
	struct salua_vpd83_ids s;
	size_t lu_off;
	int rc;

	if (!port)
		return -SALUA_EINVAL;
	memset(port, 0, sizeof(*port));
	rc = salua_vpd_page_decode(buf, len, SALUA_VPD_DEVICE_ID, &pg);
	if (rc < 0)
		return rc;
	memset(&s, 0, sizeof(s));
	rc = salua__vpd83_scan(&pg, 0, false, &s, &lu_off);
	*port = s.port;
	return rc;
}

SALUA_API int salua_vpd83_lu_prio(const struct salua_vpd83_desig *d)
{
	if (!d || d->assoc != SALUA_ASSOC_LU || d->len == 0)
		return 0;
	switch (d->type) {
	case SALUA_DESIG_SCSI_NAME:
		return 9;
	case SALUA_DESIG_NAA:
		if (d->problems & (SALUA_VPD83_P_NAA | SALUA_VPD83_P_LENGTH))
			return 0;
		switch (d->naa) {
		case SALUA_NAA_IEEE_REG_EXT: return 8;
		case SALUA_NAA_IEEE_REG: return 5;
		case SALUA_NAA_IEEE_EXT: return 4;
		case SALUA_NAA_LOCAL: return 1;
		default: return 0;
		}
	case SALUA_DESIG_EUI64:
		switch (d->len) {
		case 16: return 7;
		case 12: return 6;
		case 8: return 3;
		default: return 0;
		}
	case SALUA_DESIG_T10:
		return 1;
	default:
		return 0;
	}
}

SALUA_INLINE void salua__emit(char *buf, size_t cap, size_t *pos, char c)
{
	if (*pos + 1 < cap)
		buf[*pos] = c;
	(*pos)++;
}

SALUA_INLINE void salua__emit_hex(char *buf, size_t cap, size_t *pos,
				  uint8_t b)
{
	static const char hex[] = "0123456789abcdef";

	salua__emit(buf, cap, pos, hex[b >> 4]);
	salua__emit(buf, cap, pos, hex[b & 0xf]);
}

SALUA_INLINE void salua__emit_esc(char *buf, size_t cap, size_t *pos,
				  uint8_t b)
{
	salua__emit(buf, cap, pos, '\\');
	salua__emit(buf, cap, pos, 'x');
	salua__emit_hex(buf, cap, pos, b);
}

SALUA_API int salua_vpd83_render(const struct salua_vpd83_desig *d,
				 char *buf, size_t cap, size_t *needed)
{
	size_t pos = 0, i, end;
	const char *pfx;
	uint8_t b;

	if (!d || (!buf && cap) || (!d->value && d->len))
		return -SALUA_EINVAL;
	switch (d->type) {
	case SALUA_DESIG_NAA: pfx = "naa."; break;
	case SALUA_DESIG_EUI64: pfx = "eui."; break;
	case SALUA_DESIG_T10: pfx = "t10."; break;
	case SALUA_DESIG_SCSI_NAME: pfx = ""; break;
	default: return -SALUA_ENOTSUP;
	}
	for (; *pfx; pfx++)
		salua__emit(buf, cap, &pos, *pfx);
	end = d->len;
	if (d->type == SALUA_DESIG_SCSI_NAME)
		for (end = 0; end < d->len && d->value[end]; end++)
			;
	for (i = 0; i < end; i++) {
		b = d->value[i];
		switch (d->type) {
		case SALUA_DESIG_T10:
			if (b < 0x20 || b > 0x7e || b == '\\')
				salua__emit_esc(buf, cap, &pos, b);
			else
				salua__emit(buf, cap, &pos, (char)b);
			break;
		case SALUA_DESIG_SCSI_NAME:
			if (b < 0x20 || b == 0x7f || b == '\\')
				salua__emit_esc(buf, cap, &pos, b);
			else
				salua__emit(buf, cap, &pos, (char)b);
			break;
		default:
			salua__emit_hex(buf, cap, &pos, b);
			break;
		}
	}
	if (cap)
		buf[pos < cap ? pos : cap - 1] = '\0';
	if (needed)
		*needed = pos + 1;
	if (pos + 1 > cap)
		return -SALUA_ENOSPC;
	return (int)pos;
}

SALUA_API int salua_vpd83_lu_desig(const void *buf, size_t len,
				   size_t name_cap,
				   struct salua_vpd83_desig *out)
{
	struct salua_vpd83_ids s;
	int rc;

	if (!out)
		return -SALUA_EINVAL;
	rc = salua_vpd83_summary(buf, len, name_cap, &s);
	*out = s.lu;
	if (rc < 0)
		return rc;
	return s.lu_prio ? s.lu_prio : -SALUA_ENOENT;
}

SALUA_API int salua_vpd83_summary(const void *buf, size_t len,
				  size_t name_cap,
				  struct salua_vpd83_ids *s)
{
	struct salua_vpd_page pg;
	size_t lu_off;
	int rc;

	if (!s)
		return -SALUA_EINVAL;
	memset(s, 0, sizeof(*s));
	rc = salua_vpd_page_decode(buf, len, SALUA_VPD_DEVICE_ID, &pg);
	if (rc < 0)
		return rc;
	rc = salua__vpd83_scan(&pg, name_cap, true, s, &lu_off);
	if (rc < 0)
		return rc;
	if (s->lu_prio) {
		/* The one designator returned gets the full type check. */
		salua__vpd83_fill(&s->lu, pg.p + lu_off, lu_off);
		salua_vpd83_check(&s->lu);
		rc |= SALUA_VPD83_FOUND_LU;
	}
	return rc;
}

SALUA_API int salua_vpd83_lu_name(const void *buf, size_t len, char *name,
				  size_t cap, size_t *needed)
{
	struct salua_vpd83_desig d;
	int rc;

	if (needed)
		*needed = 0;
	if (!name && cap)
		return -SALUA_EINVAL;
	if (cap)
		name[0] = '\0';
	rc = salua_vpd83_lu_desig(buf, len, cap, &d);
	if (rc < 0)
		return rc;
	return salua_vpd83_render(&d, name, cap, needed);
}

/* Store @n bytes at @off of an output limited to @cap (allocation length). */
SALUA_INLINE void salua__put_bytes(uint8_t *buf, size_t cap, size_t off,
				   const uint8_t *src, size_t n)
{
	if (off >= cap || n == 0)
		return;
	if (n > cap - off)
		n = cap - off;
	memcpy(buf + off, src, n);
}

SALUA_INLINE void salua__vpd_put_hdr(uint8_t *buf, size_t cap,
				     uint8_t periph, uint8_t page,
				     size_t page_len)
{
	uint8_t h[SALUA_VPD_HDR_LEN];

	h[0] = periph;
	h[1] = page;
	salua_put_be16(h + 2, (uint16_t)page_len);
	salua__put_bytes(buf, cap, 0, h, sizeof(h));
}

SALUA_API int salua_vpd00_encode(uint8_t *buf, size_t cap, uint8_t periph,
				 const uint8_t *pages, size_t n)
{
	size_t i;

	if ((!buf && cap) || (!pages && n) || n > SALUA_VPD_MAX_PAGE_LEN)
		return -SALUA_EINVAL;
	for (i = 1; i < n; i++)
		if (pages[i] <= pages[i - 1])
			return -SALUA_EINVAL;
	salua__vpd_put_hdr(buf, cap, periph, SALUA_VPD_SUPPORTED_PAGES, n);
	salua__put_bytes(buf, cap, SALUA_VPD_HDR_LEN, pages, n);
	return (int)(SALUA_VPD_HDR_LEN + n);
}

SALUA_API int salua_vpd80_encode(uint8_t *buf, size_t cap, uint8_t periph,
				 const void *sn, size_t sn_len)
{
	if ((!buf && cap) || (!sn && sn_len) ||
	    sn_len > SALUA_VPD_MAX_PAGE_LEN)
		return -SALUA_EINVAL;
	salua__vpd_put_hdr(buf, cap, periph, SALUA_VPD_UNIT_SERIAL, sn_len);
	salua__put_bytes(buf, cap, SALUA_VPD_HDR_LEN, (const uint8_t *)sn,
			 sn_len);
	return (int)(SALUA_VPD_HDR_LEN + sn_len);
}

SALUA_API int salua_vpd83_encode(uint8_t *buf, size_t cap, uint8_t periph,
				 const struct salua_vpd83_desig *d, size_t n)
{
	size_t i, total = 0, off;
	uint8_t h[SALUA_DESIG_HDR_LEN];

	if ((!buf && cap) || (!d && n))
		return -SALUA_EINVAL;
	for (i = 0; i < n; i++) {
		if (d[i].proto > 0xf || d[i].code_set > 0xf ||
		    d[i].assoc > 0x3 || d[i].type > 0xf ||
		    (!d[i].value && d[i].len))
			return -SALUA_EINVAL;
		total += SALUA_DESIG_HDR_LEN + (size_t)d[i].len;
		if (total > SALUA_VPD_MAX_PAGE_LEN)
			return -SALUA_EINVAL;
	}
	salua__vpd_put_hdr(buf, cap, periph, SALUA_VPD_DEVICE_ID, total);
	off = SALUA_VPD_HDR_LEN;
	for (i = 0; i < n; i++) {
		h[0] = (uint8_t)(d[i].proto << SALUA_DESIG_PROTO_SHIFT |
				 d[i].code_set);
		h[1] = (uint8_t)((d[i].piv ? SALUA_DESIG_PIV : 0u) |
				 (unsigned)d[i].assoc << SALUA_DESIG_ASSOC_SHIFT |
				 d[i].type);
		h[2] = 0;
		h[3] = d[i].len;
		salua__put_bytes(buf, cap, off, h, sizeof(h));
		salua__put_bytes(buf, cap, off + SALUA_DESIG_HDR_LEN,
				 d[i].value, d[i].len);
		off += SALUA_DESIG_HDR_LEN + (size_t)d[i].len;
	}
	return (int)(SALUA_VPD_HDR_LEN + total);
}

#if !defined(SALUA_NO_STRINGS)
SALUA_API const char *salua_vpd83_problem_name(uint16_t bit)
{
	switch (bit) {
	case SALUA_VPD83_P_LENGTH: return "length";
	case SALUA_VPD83_P_CODE_SET: return "code-set";
	case SALUA_VPD83_P_ASSOC: return "association";
	case SALUA_VPD83_P_TYPE: return "reserved-type";
	case SALUA_VPD83_P_NAA: return "naa";
	case SALUA_VPD83_P_UUID_TYPE: return "uuid-type";
	case SALUA_VPD83_P_NAME_MULT4: return "name-not-multiple-of-4";
	case SALUA_VPD83_P_NAME_NUL: return "name-not-nul-terminated";
	case SALUA_VPD83_P_NAME_PAD: return "name-bad-padding";
	case SALUA_VPD83_P_CHARS: return "characters";
	default: return "unknown";
	}
}
#endif

SALUA_END_DECLS

#endif /* SALUA_VPD_IMPL_DONE */
