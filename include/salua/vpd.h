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
#define SALUA_VPD83_P_UTF8 0x0400u     /* UTF-8 code set, bytes that are
					  not valid UTF-8 (RFC 3629) */
#define SALUA_VPD83_P_ALL 0x07ffu

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
 * salua_utf8_seq() - the UTF-8 sequence at the start of @p (SCSI name
 * strings and the UTF-8 code set, SPC-5 §4.3.3).
 * @p: bytes; @p[0] is read when @n > 0.
 * @n: bytes available.
 * @cp: out: the code point when a sequence is returned.
 *
 * RFC 3629 Table 3: shortest form only, no surrogates (U+D800..U+DFFF),
 * nothing above U+10FFFF, and the whole sequence within @n bytes.
 *
 * Context: any; pure.
 * Return: the sequence's length (1..4), or 0 when @p does not start a
 * valid one (or @n is 0).
 */
SALUA_INLINE size_t salua_utf8_seq(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint8_t c, lo = 0x80, hi = 0xbf;
	size_t len, i;
	uint32_t v;

	if (!n)
		return 0;
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1fu;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0fu;
		if (c == 0xe0)
			lo = 0xa0; /* no overlong form */
		else if (c == 0xed)
			hi = 0x9f; /* no surrogate */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07u;
		if (c == 0xf0)
			lo = 0x90; /* no overlong form */
		else if (c == 0xf4)
			hi = 0x8f; /* nothing above U+10FFFF */
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
		v = v << 6 | (p[i] & 0x3fu);
	}
	*cp = v;
	return len;
}

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
 * UUID TYPE 1; types 0xb..0xf reserved.  A designator in the UTF-8 code
 * set must be valid UTF-8 (RFC 3629; a SCSI name string up to its NUL).  The 16-bit identifier of a port,
 * group or LU group designator is read only when its length is exactly 4.
 *
 * Context: any.
 * Return: @d->problems.
 */
SALUA_API uint16_t salua_vpd83_check(struct salua_vpd83_desig *d);

/*
 * Where the Linux kernel's reading of page 0x83 departs from SPC-5 (struct
 * salua_vpd83_ids @quirks).  The kernel functions are scsi_vpd_lun_id()
 * with designator_prio() and scsi_vpd_tpg_id() (drivers/scsi/scsi_lib.c;
 * the same in Debian's 6.1 and 6.12): salua follows them and sets a bit
 * for every rule it applied that SPC-5 would not.  docs/differences-vpd.md
 * has the rule table.
 */
#define SALUA_VPD83_Q_NAA_LENGTH 0x0001u  /* an NAA LU designator ranked by
					     its NAA value although its
					     length is wrong for it */
#define SALUA_VPD83_Q_NAA_NO_TEXT 0x0002u /* ... with a length neither 8
					     nor 16: taken as candidate,
					     but no text written for it */
#define SALUA_VPD83_Q_NAA2_IGNORED 0x0004u /* NAA 2 (IEEE Extended) gets no
					      rank in the kernel */
#define SALUA_VPD83_Q_NAA4_RANKED 0x0008u /* NAA 4 (reserved) ranked 4 */
#define SALUA_VPD83_Q_SHORTER_SKIPPED 0x0010u /* a T10 or SCSI name LU
						 designator of rank >= the
						 candidate's skipped for
						 being shorter than it */
#define SALUA_VPD83_Q_NAME_DEMOTED 0x0020u /* SCSI name longer than the id
					      buffer ranked 2 */
#define SALUA_VPD83_Q_RAW 0x0040u        /* the name is a SCSI name string
					    copied raw: NUL padding or
					    control characters included */
#define SALUA_VPD83_Q_CODE_SET 0x0080u   /* the name's designator has a
					    code set its type forbids */
#define SALUA_VPD83_Q_OVERRUN 0x0100u    /* a designator reaches past PAGE
					    LENGTH; the kernel's walk read
					    nothing outside the page */
#define SALUA_VPD83_Q_PORT_ASSOC 0x0200u /* port or group designator with
					    an association other than
					    target port */
#define SALUA_VPD83_Q_PORT_CODE_SET 0x0400u /* ... code set not binary */
#define SALUA_VPD83_Q_PORT_LENGTH 0x0800u /* ... length not 4: bytes 6..7
					     read anyway */
#define SALUA_VPD83_Q_PORT_REPEAT 0x1000u /* more than one of a kind: the
					     last one wins */
#define SALUA_VPD83_Q_ALL 0x1fffu

/* The kernel's id buffer for the sysfs wwid attribute (PAGE_SIZE). */
#define SALUA_VPD83_KERNEL_ID_LEN 4096u

/**
 * salua_vpd83_find_port() - relative target port and target port group of
 * the port that answered, as the Linux kernel reads them.
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @port: result; zero-filled first.
 *
 * The rules of the kernel's scsi_vpd_tpg_id(): every relative target port
 * (type 4) and target port group (type 5) designator counts, whatever its
 * association, code set or length; the identifier is bytes 6..7 of the
 * descriptor (bytes 2..3 of the designator, or beyond it when the length
 * is under 4); the last one of each type wins.  Where the kernel's walk
 * would read a byte outside the page (a descriptor header, or bytes 6..7,
 * past 4 + PAGE LENGTH), its answer depends on memory it does not own, so
 * this returns -SALUA_EMALFORMED instead.  A page cut by the transfer
 * gives -SALUA_ETRUNC (the kernel always reads the whole page).  The
 * SPC-5 reading is salua_vpd83_find_port_strict(); the quirks applied are
 * reported by salua_vpd83_summary().
 *
 * Context: any.
 * Return: SALUA_VPD83_FOUND_* bits (0 when neither is present);
 * -SALUA_ETRUNC, -SALUA_EMALFORMED (then @port holds what was found
 * before), or the errors of salua_vpd_page_decode().
 */
SALUA_API int salua_vpd83_find_port(const void *buf, size_t len,
				    struct salua_vpd83_port *port);

/**
 * salua_vpd83_find_port_strict() - relative target port and target port
 * group of the port that answered, read as SPC-5 defines them.
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @port: result; zero-filled first.
 *
 * Considers only designators with association target port, binary code
 * set and length 4 (SPC-5 §7.7.6.5, §7.7.6.6; as sg_stpg does).  The first
 * matching designator of each type wins.  Every descriptor is
 * bounds-checked as salua_vpd83_next() does.
 *
 * Context: any.
 * Return: SALUA_VPD83_FOUND_* bits; or a walk error of salua_vpd83_next(),
 * in which case @port still holds what was found before the bad descriptor.
 */
SALUA_API int salua_vpd83_find_port_strict(const void *buf, size_t len,
					   struct salua_vpd83_port *port);

/**
 * salua_vpd83_lu_prio() - a designator's rank as the kernel names a LU.
 * @d: decoded designator (header fields and @value).
 *
 * The Linux kernel's designator_prio(): association LU and a non-zero
 * length, then SCSI name string 9, NAA 6 8, EUI-64 16-byte 7, EUI-64
 * 12-byte 6, NAA 5 5, NAA 4 4, EUI-64 8-byte 3, NAA 3 and T10 vendor ID 1
 * (2, a SCSI name too long for the id buffer, is decided by the walk).  An
 * NAA designator is ranked by its NAA value alone, whatever its length;
 * NAA 2 gets no rank and the reserved NAA 4 gets 4 (quirks
 * SALUA_VPD83_Q_NAA2_IGNORED, _NAA4_RANKED).
 *
 * Context: any.
 * Return: 1..9, or 0 when @d cannot name the logical unit.
 */
SALUA_API int salua_vpd83_lu_prio(const struct salua_vpd83_desig *d);

/**
 * salua_vpd83_lu_prio_strict() - a designator's rank as a logical unit
 * name under SPC-5.
 * @d: designator checked by salua_vpd83_check().
 *
 * The kernel's order with SPC-5's NAA values: SCSI name string 9, NAA 6
 * 8, EUI-64 16-byte 7, EUI-64 12-byte 6, NAA 5 5, NAA 2 (IEEE Extended) 4,
 * EUI-64 8-byte 3, NAA 3 and T10 vendor ID 1; only designators with
 * association LU and no SALUA_VPD83_P_* problem count.
 *
 * Context: any.
 * Return: 1..9, or 0.
 */
SALUA_API int salua_vpd83_lu_prio_strict(const struct salua_vpd83_desig *d);

/**
 * salua_vpd83_render() - text form of a naming designator, for display.
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
 * NUL-terminated when @cap > 0, truncated if need be.  The kernel's
 * spelling of the same designator is salua_vpd83_render_kernel().
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
 * salua_vpd83_render_kernel() - the text the Linux kernel writes for a
 * naming designator (scsi_vpd_lun_id()).
 * @d: NAA (length 8 or 16), EUI-64 (8, 12 or 16), T10 vendor ID or SCSI
 *	name string designator.
 * @buf: output; may be NULL when @cap is 0.
 * @cap: capacity of @buf, NUL included.
 * @needed: if not NULL, set to the text's length + 1.
 *
 * "naa." / "eui." and the designator in lowercase hex ("%*phN"); "t10."
 * and the designator through the kernel's "%*pE" (bytes the kernel's
 * isprint() accepts, 0x20..0x7e and 0xa0..0xff, as they are; \n \r \t \v
 * \f \a \e and NUL as two-character escapes; every other byte as "\ooo");
 * a SCSI name string copied raw, all DESIGNATOR LENGTH bytes, NUL padding
 * and control characters included.  The text may therefore hold NULs: use
 * the returned length, not strlen().  A NUL is always written after it
 * when it fits.
 *
 * Context: any.
 * Return: the text's length; -SALUA_ENOSPC (with *@needed);
 * -SALUA_ENOTSUP for another type or an NAA/EUI-64 length the kernel
 * writes nothing for; -SALUA_EINVAL.
 */
SALUA_API int salua_vpd83_render_kernel(const struct salua_vpd83_desig *d,
					char *buf, size_t cap,
					size_t *needed);

/**
 * salua_vpd83_lu_desig() - the designator the Linux kernel names the LU by.
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @id_len: the kernel's id buffer size to follow (scsi_dh_alua uses 256,
 *	the sysfs wwid SALUA_VPD83_KERNEL_ID_LEN); 0 means the latter.  It
 *	matters only for a SCSI name string longer than it (ranked 2) and a
 *	T10 vendor ID longer than @id_len - 4 (the kernel then compares with
 *	the cut length).
 * @out: the designator whose text is the name (salua_vpd83_check() run on
 *	it, so @out->problems says what SPC-5 thinks of it).
 *
 * Walks the page exactly as scsi_vpd_lun_id() does (6.1 and 6.12 read the
 * same) and returns the designator whose text the kernel wrote last, the
 * one its id holds at the end.  See salua_vpd83_summary() for the rules
 * and the quirks they imply.
 *
 * Context: any.
 * Return: the rank it was taken with (1..9); -SALUA_ENOENT when the kernel
 * would have no id (its -EINVAL); -SALUA_ETRUNC when the page was cut by
 * the transfer; -SALUA_EMALFORMED when the kernel's walk would read
 * outside the page; the errors of salua_vpd_page_decode().
 */
SALUA_API int salua_vpd83_lu_desig(const void *buf, size_t len,
				   size_t id_len,
				   struct salua_vpd83_desig *out);

/**
 * salua_vpd83_lu_name() - the logical unit name as the Linux kernel shows
 * it in sysfs (the "wwid" attribute, without its newline).
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @name: output buffer; may be NULL when @cap is 0.
 * @cap: capacity of @name, NUL included.
 * @needed: if not NULL, set to the size the name needs, NUL included.
 *
 * salua_vpd83_lu_desig() with the wwid's id buffer
 * (SALUA_VPD83_KERNEL_ID_LEN), then salua_vpd83_render_kernel(): the same
 * bytes as the kernel's scsi_vpd_lun_id() on the same page, e.g.
 * "naa.5000c5003011cb2b".  A SCSI name string comes out raw, with its NUL
 * padding (the return value counts it) and any control character: escape
 * before printing.  @cap never changes which designator is chosen.
 *
 * Context: any.
 * Return: length of the name (the kernel's return value); -SALUA_ENOSPC
 * (with *@needed) when @cap is too small; the errors of
 * salua_vpd83_lu_desig().
 */
SALUA_API int salua_vpd83_lu_name(const void *buf, size_t len, char *name,
				  size_t cap, size_t *needed);

/**
 * salua_vpd83_lu_name_strict() - the logical unit name read as SPC-5
 * defines designators.
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @name: output buffer; may be NULL when @cap is 0.
 * @cap: capacity of @name, NUL included.
 * @needed: if not NULL, set to the size the name needs, NUL included.
 *
 * The kernel's ranking without its quirks: only designators without a
 * SALUA_VPD83_P_* problem count (salua_vpd83_lu_prio_strict()), a later
 * designator of equal rank wins, and the text is salua_vpd83_render()'s
 * (escaped, a SCSI name up to its NUL).  The whole page must walk cleanly.
 * Use it where an identity must not rest on a malformed designator (and to
 * see where the kernel's name departs from the standard's).
 *
 * Context: any.
 * Return: length of the name; -SALUA_ENOENT; -SALUA_ENOSPC (with
 * *@needed); a walk error of salua_vpd83_next().
 */
SALUA_API int salua_vpd83_lu_name_strict(const void *buf, size_t len,
					 char *name, size_t cap,
					 size_t *needed);

/**
 * struct salua_vpd83_ids - what a multipath host needs from page 0x83.
 * @port: relative target port and target port group, as
 *	salua_vpd83_find_port() gives them (the kernel's reading).
 * @lu: the logical unit name designator, as salua_vpd83_lu_desig() gives
 *	it (@lu.problems filled by salua_vpd83_check()); zeroed when
 *	@lu_prio is 0.
 * @lu_prio: the rank it was taken with (1..9), 0 when none.
 * @ndesig: designators walked.
 * @quirks: SALUA_VPD83_Q_* bits: the kernel rules that were applied
 *	where SPC-5 reads the page otherwise (also for designators that in
 *	the end did not give the name).
 */
struct salua_vpd83_ids {
	struct salua_vpd83_port port;
	struct salua_vpd83_desig lu;
	int lu_prio;
	unsigned ndesig;
	uint16_t quirks;
};

/* salua_vpd83_summary() return bit, beside SALUA_VPD83_FOUND_*. */
#define SALUA_VPD83_FOUND_LU 0x4

/**
 * salua_vpd83_summary() - relative port, target port group and logical
 * unit name of page 0x83 in one walk, as the Linux kernel reads them.
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @id_len: as for salua_vpd83_lu_desig() (0: the sysfs wwid's 4096).
 * @s: result; zero-filled first.
 *
 * The answers of salua_vpd83_find_port() and salua_vpd83_lu_desig() from
 * a single walk that reads the bytes scsi_vpd_lun_id() and
 * scsi_vpd_tpg_id() read, in their order.  The LU name rules
 * (docs/differences-vpd.md, rule table): only association LU with a
 * non-zero length; rank by salua_vpd83_lu_prio(); a designator ranked
 * below the current candidate is skipped; a T10 vendor ID or SCSI name
 * string shorter than the current candidate (whatever its type) is
 * skipped too; otherwise it becomes the candidate, the later one winning
 * ties; an NAA candidate whose length is neither 8 nor 16 writes no text,
 * so the name stays the previous candidate's.  Code set, PIV and the
 * designator's contents are never looked at.
 *
 * Context: any.
 * Return: SALUA_VPD83_FOUND_* bits (REL_PORT, TPG, LU), 0 when none;
 * -SALUA_ETRUNC (page cut by the transfer), -SALUA_EMALFORMED (the
 * kernel's walk would read outside the page), with @s->port and @s->quirks
 * holding what was found before; -SALUA_EINVAL for a NULL @s.
 */
SALUA_API int salua_vpd83_summary(const void *buf, size_t len,
				  size_t id_len,
				  struct salua_vpd83_ids *s);

/**
 * salua_vpd83_legacy() - recognise and decode the SCSI-2 layout of page
 * 0x83 (one bare identifier, no designation descriptor header).
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @d: out: the identifier as an NAA designator with association LU and
 *	binary code set, @value the PAGE LENGTH bytes after the header,
 *	@off 4 (salua_vpd83_check() run on it).
 *
 * Some SCSI-2 era arrays (EMC Symmetrix) answer page 0x83 with a bare
 * NAA identifier after the page header.  As udev's scsi_id and sg_inq
 * decide, such a page has a non-zero byte 6, which SPC-2 and later
 * reserve (byte 2 of the first designation descriptor); unlike them, a
 * page that also walks cleanly as SPC-2 designators is not taken for
 * legacy.  udev (ID_SERIAL) and multipath-tools (since the 0.15 series,
 * "WWID detection for legacy devices") name such a LU "3" followed by the
 * identifier in hex; the kernel's wwid applies its ordinary walk
 * (salua_vpd83_lu_name()), which for the EMC layout names nothing.
 *
 * Context: any.
 * Return: 1 and @d for a legacy page; 0 when the page is not one;
 * -SALUA_ETRUNC when it is cut by the transfer; the errors of
 * salua_vpd_page_decode().
 */
SALUA_API int salua_vpd83_legacy(const void *buf, size_t len,
				 struct salua_vpd83_desig *d);

/**
 * salua_vpd83_first_problem() - the first designator with a problem.
 * @buf: received page 0x83.
 * @len: number of bytes received.
 * @d: out: that designator, or where the walk failed (@d->off) on error.
 *
 * For a decoder that must say "malformed" with an offset: walks with
 * salua_vpd83_next() and stops at the first designator whose
 * salua_vpd83_check() found a problem.
 *
 * Context: any.
 * Return: 1 with @d (its @problems non-zero); 0 when every designator is
 * valid; a walk error of salua_vpd83_next() (@d->off is the offset of the
 * descriptor that could not be walked).
 */
SALUA_API int salua_vpd83_first_problem(const void *buf, size_t len,
					struct salua_vpd83_desig *d);

#if !defined(SALUA_NO_STRINGS)
/**
 * salua_vpd83_quirk_name() - short name of one SALUA_VPD83_Q_* bit.
 * @bit: a single quirk bit.
 *
 * Context: any.
 * Return: "naa-length", "naa-no-text", ... ; "unknown" for anything else.
 */
SALUA_API const char *salua_vpd83_quirk_name(uint16_t bit);
#endif

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

/*
 * Whether @p[0..n) is valid UTF-8 (RFC 3629 Table 3: shortest form, no
 * surrogates, at most U+10FFFF).
 */
SALUA_INLINE bool salua__utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = salua_utf8_seq(p + i, n - i, &cp);
		if (!k)
			return false;
		i += k;
	}
	return true;
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
	if (d->code_set == SALUA_CODESET_UTF8) {
		for (nul = 0; d->type == SALUA_DESIG_SCSI_NAME && nul < d->len &&
			      v[nul];
		     nul++)
			;
		if (!salua__utf8_valid(v, d->type == SALUA_DESIG_SCSI_NAME ?
					      nul : d->len))
			pr |= SALUA_VPD83_P_UTF8;
	}
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
 * The kernel's designator_prio() on the descriptor @h at page offset @off,
 * with the bytes it reads checked against @end: d[1], d[3] and, for an
 * LU-associated NAA designator of non-zero length, d[4].  Returns the rank
 * (0..9), or -1 when the kernel would read d[4] outside the page.
 */
SALUA_INLINE int salua__vpd83_kprio(const uint8_t *h, size_t off, size_t end)
{
	if ((h[1] & SALUA_DESIG_ASSOC_MASK) || h[3] == 0)
		return 0;
	switch (h[1] & SALUA_DESIG_TYPE_MASK) {
	case SALUA_DESIG_SCSI_NAME:
		return 9;
	case SALUA_DESIG_NAA:
		if (off + SALUA_DESIG_HDR_LEN >= end)
			return -1;
		switch (h[4] >> 4) {
		case SALUA_NAA_IEEE_REG_EXT: return 8;
		case SALUA_NAA_IEEE_REG: return 5;
		case 4u: return 4; /* the kernel's "NAA extended" */
		case SALUA_NAA_LOCAL: return 1;
		default: return 0;
		}
	case SALUA_DESIG_EUI64:
		switch (h[3]) {
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

/* Expected DESIGNATOR LENGTH of an NAA designator, 0 for reserved NAA. */
SALUA_INLINE unsigned salua__naa_len(unsigned naa)
{
	switch (naa) {
	case SALUA_NAA_IEEE_EXT:
	case SALUA_NAA_LOCAL:
	case SALUA_NAA_IEEE_REG:
		return 8;
	case SALUA_NAA_IEEE_REG_EXT:
		return 16;
	default:
		return 0;
	}
}

/* Does a SCSI name string hold bytes a C string or a log mangles? */
SALUA_INLINE bool salua__vpd83_raw(const uint8_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] < 0x20 || v[i] == 0x7f)
			return true;
	return false;
}

/*
 * One walk doing what scsi_vpd_lun_id() and scsi_vpd_tpg_id() do (6.1 and
 * 6.12 are the same here), over the usable bytes of @pg.  Port and group
 * with @port: every type 4 / 5 descriptor, bytes 6..7, the last one wins.
 * LU name with @lu: the kernel's candidate state (cur_id_prio, cur_id_size) and the
 * offset of the descriptor whose text the id holds (*@lu_off, 0: none) and
 * its rank (@s->lu_prio).  Every byte the kernel reads is checked against
 * the page end first: -SALUA_EMALFORMED when one lies outside.  A page cut
 * by the transfer is -SALUA_ETRUNC at once, since the kernel has it whole.
 */
SALUA_INLINE int salua__vpd83_scan(const struct salua_vpd_page *pg,
				   size_t id_len, bool port, bool lu,
				   struct salua_vpd83_ids *s, size_t *lu_off)
{
	const uint8_t *p = pg->p, *h;
	size_t off = SALUA_VPD_HDR_LEN, end = pg->len, dlen, body;
	unsigned ndesig = 0, type, cur_prio = 0, cur_size = 0, naa;
	int found = 0, prio;
	uint16_t q = 0;

	*lu_off = 0;
	if (pg->truncated)
		return -SALUA_ETRUNC;
	while (off < end) {
		/* d[1] and d[3]: read for every descriptor */
		if (end - off < SALUA_DESIG_HDR_LEN)
			goto outside;
		h = p + off;
		dlen = h[3];
		type = h[1] & SALUA_DESIG_TYPE_MASK;
		ndesig++;
		if (port && (type == SALUA_DESIG_REL_PORT ||
			     type == SALUA_DESIG_TPG)) {
			if (end - off < 8u)
				goto outside;
			if ((h[1] & SALUA_DESIG_ASSOC_MASK) !=
			    SALUA_ASSOC_TARGET_PORT << SALUA_DESIG_ASSOC_SHIFT)
				q |= SALUA_VPD83_Q_PORT_ASSOC;
			if ((h[0] & SALUA_DESIG_CODESET_MASK) !=
			    SALUA_CODESET_BINARY)
				q |= SALUA_VPD83_Q_PORT_CODE_SET;
			if (dlen != 4)
				q |= SALUA_VPD83_Q_PORT_LENGTH;
			if (type == SALUA_DESIG_REL_PORT) {
				if (found & SALUA_VPD83_FOUND_REL_PORT)
					q |= SALUA_VPD83_Q_PORT_REPEAT;
				s->port.has_rel_port = true;
				s->port.rel_port = salua_get_be16(h + 6);
				found |= SALUA_VPD83_FOUND_REL_PORT;
			} else {
				if (found & SALUA_VPD83_FOUND_TPG)
					q |= SALUA_VPD83_Q_PORT_REPEAT;
				s->port.has_tpg = true;
				s->port.tpg = salua_get_be16(h + 6);
				found |= SALUA_VPD83_FOUND_TPG;
			}
		}
		if (!lu)
			goto next;
		prio = salua__vpd83_kprio(h, off, end);
		if (prio < 0)
			goto outside;
		if (type == SALUA_DESIG_NAA && prio >= 0 &&
		    !(h[1] & SALUA_DESIG_ASSOC_MASK) && dlen) {
			naa = h[4] >> 4u;
			if (naa == SALUA_NAA_IEEE_EXT)
				q |= SALUA_VPD83_Q_NAA2_IGNORED;
			else if (naa == 4u)
				q |= SALUA_VPD83_Q_NAA4_RANKED;
		}
		if (prio == 0 || cur_prio > (unsigned)prio)
			goto next;
		body = 0; /* designator bytes the kernel reads for the text */
		switch (type) {
		case SALUA_DESIG_T10:
			if (cur_size > dlen) {
				q |= SALUA_VPD83_Q_SHORTER_SKIPPED;
				goto next;
			}
			cur_size = (unsigned)dlen;
			if (dlen + 4u > id_len)
				cur_size = (uint8_t)(id_len - 4u);
			body = cur_size;
			break;
		case SALUA_DESIG_EUI64:
			cur_size = (unsigned)dlen;
			body = dlen;
			break;
		case SALUA_DESIG_NAA:
			cur_size = (unsigned)dlen;
			naa = h[4] >> 4u;
			if (dlen != salua__naa_len(naa))
				q |= SALUA_VPD83_Q_NAA_LENGTH;
			if (dlen == 8 || dlen == 16)
				body = dlen;
			else
				q |= SALUA_VPD83_Q_NAA_NO_TEXT;
			break;
		default: /* SCSI name string */
			if (cur_size > dlen) {
				q |= SALUA_VPD83_Q_SHORTER_SKIPPED;
				goto next;
			}
			if (dlen > id_len) {
				prio = 2;
				q |= SALUA_VPD83_Q_NAME_DEMOTED;
				if (cur_prio > 2u)
					goto next;
			}
			cur_size = (unsigned)dlen;
			body = dlen < id_len ? dlen : id_len - 1u;
			if (cur_size >= id_len)
				cur_size = (uint8_t)(id_len - 1u);
			break;
		}
		cur_prio = (unsigned)prio;
		if (body > end - off - SALUA_DESIG_HDR_LEN)
			goto outside;
		if (body || type == SALUA_DESIG_SCSI_NAME) {
			/* the kernel writes this designator's text */
			*lu_off = off;
			s->lu_prio = prio;
		}
next:
		if (dlen > end - off - SALUA_DESIG_HDR_LEN)
			q |= SALUA_VPD83_Q_OVERRUN;
		off += SALUA_DESIG_HDR_LEN + dlen;
	}
	s->ndesig = ndesig;
	s->quirks = q;
	return found;
outside:
	s->ndesig = ndesig;
	s->quirks = q;
	s->lu_prio = 0;
	*lu_off = 0;
	return -SALUA_EMALFORMED;
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
	rc = salua__vpd83_scan(&pg, SALUA_VPD83_KERNEL_ID_LEN, true, false, &s,
			       &lu_off);
	*port = s.port;
	return rc;
}

/*
 * The SPC-5 walk: bounds as salua_vpd83_next(); relative port and TPG with
 * association target port, binary code set and length 4 (all that
 * salua_vpd83_check() asks of these types), the first one wins.
 */
SALUA_API int salua_vpd83_find_port_strict(const void *buf, size_t len,
					   struct salua_vpd83_port *port)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	int rc, found = 0;

	if (!port)
		return -SALUA_EINVAL;
	memset(port, 0, sizeof(*port));
	rc = salua_vpd83_iter_init(&it, buf, len);
	if (rc < 0)
		return rc;
	while ((rc = salua__vpd83_step(&it, &d)) == 1) {
		if (d.assoc != SALUA_ASSOC_TARGET_PORT ||
		    d.code_set != SALUA_CODESET_BINARY || d.len != 4)
			continue;
		if (d.type == SALUA_DESIG_REL_PORT &&
		    !(found & SALUA_VPD83_FOUND_REL_PORT)) {
			port->has_rel_port = true;
			port->rel_port = salua_get_be16(d.value + 2);
			found |= SALUA_VPD83_FOUND_REL_PORT;
		} else if (d.type == SALUA_DESIG_TPG &&
			   !(found & SALUA_VPD83_FOUND_TPG)) {
			port->has_tpg = true;
			port->tpg = salua_get_be16(d.value + 2);
			found |= SALUA_VPD83_FOUND_TPG;
		}
	}
	return rc < 0 ? rc : found;
}

SALUA_API int salua_vpd83_lu_prio(const struct salua_vpd83_desig *d)
{
	uint8_t h[SALUA_DESIG_HDR_LEN + 1];

	if (!d || (!d->value && d->len))
		return 0;
	h[0] = 0;
	h[1] = (uint8_t)((unsigned)d->assoc << SALUA_DESIG_ASSOC_SHIFT |
			 (d->type & SALUA_DESIG_TYPE_MASK));
	h[2] = 0;
	h[3] = d->len;
	h[4] = d->len ? d->value[0] : 0u;
	return salua__vpd83_kprio(h, 0, sizeof(h) + 1u);
}

SALUA_API int salua_vpd83_lu_prio_strict(const struct salua_vpd83_desig *d)
{
	if (!d || d->assoc != SALUA_ASSOC_LU || d->len == 0 || d->problems)
		return 0;
	switch (d->type) {
	case SALUA_DESIG_SCSI_NAME:
		return 9;
	case SALUA_DESIG_NAA:
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

/* NUL-terminate at min(pos, cap - 1); report the size; ENOSPC if cut. */
SALUA_INLINE int salua__emit_end(char *buf, size_t cap, size_t pos,
				 size_t *needed)
{
	if (cap)
		buf[pos < cap ? pos : cap - 1] = '\0';
	if (needed)
		*needed = pos + 1;
	if (pos + 1 > cap)
		return -SALUA_ENOSPC;
	return (int)pos;
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
	return salua__emit_end(buf, cap, pos, needed);
}

/*
 * One byte through the kernel's "%pE" (string_escape_mem() with
 * ESCAPE_ANY_NP): the kernel's isprint() (lib/ctype.c: 0x20..0x7e and
 * 0xa0..0xff) passes through; then the space class, the special class
 * (\a, \e; '\\' and '"' are printable), NUL, and octal for the rest.
 */
SALUA_INLINE void salua__emit_kesc(char *buf, size_t cap, size_t *pos,
				   uint8_t b)
{
	char c = 0;

	if ((b >= 0x20 && b <= 0x7e) || b >= 0xa0) {
		salua__emit(buf, cap, pos, (char)b);
		return;
	}
	switch (b) {
	case '\n': c = 'n'; break;
	case '\r': c = 'r'; break;
	case '\t': c = 't'; break;
	case '\v': c = 'v'; break;
	case '\f': c = 'f'; break;
	case 0x07: c = 'a'; break;
	case 0x1b: c = 'e'; break;
	case 0x00: c = '0'; break;
	default: break;
	}
	salua__emit(buf, cap, pos, '\\');
	if (c) {
		salua__emit(buf, cap, pos, c);
		return;
	}
	salua__emit(buf, cap, pos, (char)('0' + ((b >> 6) & 7u)));
	salua__emit(buf, cap, pos, (char)('0' + ((b >> 3) & 7u)));
	salua__emit(buf, cap, pos, (char)('0' + (b & 7u)));
}

SALUA_API int salua_vpd83_render_kernel(const struct salua_vpd83_desig *d,
					char *buf, size_t cap,
					size_t *needed)
{
	size_t pos = 0, i;
	const char *pfx = "";

	if (!d || (!buf && cap) || (!d->value && d->len))
		return -SALUA_EINVAL;
	switch (d->type) {
	case SALUA_DESIG_NAA:
		if (d->len != 8 && d->len != 16)
			return -SALUA_ENOTSUP;
		pfx = "naa.";
		break;
	case SALUA_DESIG_EUI64:
		if (d->len != 8 && d->len != 12 && d->len != 16)
			return -SALUA_ENOTSUP;
		pfx = "eui.";
		break;
	case SALUA_DESIG_T10:
		pfx = "t10.";
		break;
	case SALUA_DESIG_SCSI_NAME:
		break;
	default:
		return -SALUA_ENOTSUP;
	}
	for (; *pfx; pfx++)
		salua__emit(buf, cap, &pos, *pfx);
	for (i = 0; i < d->len; i++) {
		switch (d->type) {
		case SALUA_DESIG_T10:
			salua__emit_kesc(buf, cap, &pos, d->value[i]);
			break;
		case SALUA_DESIG_SCSI_NAME:
			salua__emit(buf, cap, &pos, (char)d->value[i]);
			break;
		default:
			salua__emit_hex(buf, cap, &pos, d->value[i]);
			break;
		}
	}
	return salua__emit_end(buf, cap, pos, needed);
}

SALUA_INLINE int salua__vpd83_summary(const void *buf, size_t len,
				      size_t id_len, bool want_port,
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
	/* the kernel refuses id buffers under 21 bytes (-EINVAL) */
	if (!id_len)
		id_len = SALUA_VPD83_KERNEL_ID_LEN;
	if (id_len < 21u)
		return -SALUA_EINVAL;
	rc = salua__vpd83_scan(&pg, id_len, want_port, true, s, &lu_off);
	if (rc < 0)
		return rc;
	if (s->lu_prio) {
		/* The one designator returned gets the full type check. */
		salua__vpd83_fill(&s->lu, pg.p + lu_off, lu_off);
		salua_vpd83_check(&s->lu);
		if (s->lu.problems & SALUA_VPD83_P_CODE_SET)
			s->quirks |= SALUA_VPD83_Q_CODE_SET;
		if (s->lu.type == SALUA_DESIG_SCSI_NAME &&
		    salua__vpd83_raw(s->lu.value, s->lu.len))
			s->quirks |= SALUA_VPD83_Q_RAW;
		rc |= SALUA_VPD83_FOUND_LU;
	}
	return rc;
}

SALUA_API int salua_vpd83_summary(const void *buf, size_t len,
				  size_t id_len,
				  struct salua_vpd83_ids *s)
{
	return salua__vpd83_summary(buf, len, id_len, true, s);
}

SALUA_API int salua_vpd83_lu_desig(const void *buf, size_t len,
				   size_t id_len,
				   struct salua_vpd83_desig *out)
{
	struct salua_vpd83_ids s;
	int rc;

	if (!out)
		return -SALUA_EINVAL;
	rc = salua__vpd83_summary(buf, len, id_len, false, &s);
	*out = s.lu;
	if (rc < 0)
		return rc;
	return s.lu_prio ? s.lu_prio : -SALUA_ENOENT;
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
	rc = salua_vpd83_lu_desig(buf, len, SALUA_VPD83_KERNEL_ID_LEN, &d);
	if (rc < 0)
		return rc;
	return salua_vpd83_render_kernel(&d, name, cap, needed);
}

SALUA_API int salua_vpd83_lu_name_strict(const void *buf, size_t len,
					 char *name, size_t cap,
					 size_t *needed)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d, best;
	int rc, prio, top = 0;

	if (needed)
		*needed = 0;
	if (!name && cap)
		return -SALUA_EINVAL;
	if (cap)
		name[0] = '\0';
	rc = salua_vpd83_iter_init(&it, buf, len);
	if (rc < 0)
		return rc;
	memset(&best, 0, sizeof(best));
	while ((rc = salua_vpd83_next(&it, &d)) == 1) {
		prio = salua_vpd83_lu_prio_strict(&d);
		/* an empty SCSI name string (NUL first) names nothing */
		if (prio == 9 && d.value[0] == 0)
			prio = 0;
		if (prio && prio >= top) {
			top = prio;
			best = d;
		}
	}
	if (rc < 0)
		return rc;
	if (!top)
		return -SALUA_ENOENT;
	return salua_vpd83_render(&best, name, cap, needed);
}

SALUA_API int salua_vpd83_legacy(const void *buf, size_t len,
				 struct salua_vpd83_desig *d)
{
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig x;
	int rc;

	if (!d)
		return -SALUA_EINVAL;
	memset(d, 0, sizeof(*d));
	rc = salua_vpd83_iter_init(&it, buf, len);
	if (rc < 0)
		return rc;
	if (it.pg.len < SALUA_VPD_HDR_LEN + 3u)
		return it.pg.truncated ? -SALUA_ETRUNC : 0;
	if (it.pg.p[6] == 0)
		return 0;
	while ((rc = salua__vpd83_step(&it, &x)) == 1)
		;
	if (rc == 0)
		return 0; /* walks cleanly as SPC-2 designators */
	if (it.pg.truncated)
		return -SALUA_ETRUNC;
	d->off = SALUA_VPD_HDR_LEN;
	d->value = it.pg.p + SALUA_VPD_HDR_LEN;
	d->len = (uint8_t)(it.pg.len - SALUA_VPD_HDR_LEN > 0xffu ?
				   0xffu : it.pg.len - SALUA_VPD_HDR_LEN);
	d->type = SALUA_DESIG_NAA;
	d->code_set = SALUA_CODESET_BINARY;
	d->assoc = SALUA_ASSOC_LU;
	salua_vpd83_check(d);
	return 1;
}

SALUA_API int salua_vpd83_first_problem(const void *buf, size_t len,
					struct salua_vpd83_desig *d)
{
	struct salua_vpd83_iter it;
	int rc;

	if (!d)
		return -SALUA_EINVAL;
	memset(d, 0, sizeof(*d));
	rc = salua_vpd83_iter_init(&it, buf, len);
	if (rc < 0)
		return rc;
	while ((rc = salua_vpd83_next(&it, d)) == 1)
		if (d->problems)
			return 1;
	if (rc < 0) {
		memset(d, 0, sizeof(*d));
		d->off = it.off;
	}
	return rc;
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
SALUA_API const char *salua_vpd83_quirk_name(uint16_t bit)
{
	switch (bit) {
	case SALUA_VPD83_Q_NAA_LENGTH: return "naa-length";
	case SALUA_VPD83_Q_NAA_NO_TEXT: return "naa-no-text";
	case SALUA_VPD83_Q_NAA2_IGNORED: return "naa2-ignored";
	case SALUA_VPD83_Q_NAA4_RANKED: return "naa4-ranked";
	case SALUA_VPD83_Q_SHORTER_SKIPPED: return "shorter-skipped";
	case SALUA_VPD83_Q_NAME_DEMOTED: return "name-demoted";
	case SALUA_VPD83_Q_RAW: return "raw-name";
	case SALUA_VPD83_Q_CODE_SET: return "code-set";
	case SALUA_VPD83_Q_OVERRUN: return "overrun";
	case SALUA_VPD83_Q_PORT_ASSOC: return "port-association";
	case SALUA_VPD83_Q_PORT_CODE_SET: return "port-code-set";
	case SALUA_VPD83_Q_PORT_LENGTH: return "port-length";
	case SALUA_VPD83_Q_PORT_REPEAT: return "port-repeat";
	default: return "unknown";
	}
}

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
	case SALUA_VPD83_P_UTF8: return "utf8";
	default: return "unknown";
	}
}
#endif

SALUA_END_DECLS

#endif /* SALUA_VPD_IMPL_DONE */
