/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/tpg.h - REPORT TARGET PORT GROUPS parameter data (SPC-5 §6.36) and
 * SET TARGET PORT GROUPS parameter list (SPC-5 §6.49), both sides.
 */
#ifndef SALUA_TPG_H
#define SALUA_TPG_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"

SALUA_BEGIN_DECLS

#define SALUA_RTPG_HDR_CLASSIC 4u  /* RETURN DATA LENGTH only */
#define SALUA_RTPG_HDR_EXTENDED 8u /* + format byte + implicit transition time */
#define SALUA_RTPG_DESC_LEN 8u     /* descriptor without its port list */
#define SALUA_RTPG_PORT_LEN 4u     /* one target port descriptor */
#define SALUA_RTPG_FMT_MASK 0x70u  /* header byte 4 bits 6:4 */
#define SALUA_RTPG_FMT_EXT 0x10u
/* Largest parameter data the initiator side asks for (engine's cap). */
#define SALUA_RTPG_MAX_ALLOC 65536u

#define SALUA_STPG_HDR_LEN 4u
#define SALUA_STPG_DESC_LEN 4u

/**
 * enum salua_rtpg_format - which header the parameter data carries.
 * @SALUA_RTPG_AUTO: decoder only: decide from header byte 4 (bits 6:4 ==
 *	001b means extended, as Linux does).  Use when the request is unknown.
 * @SALUA_RTPG_CLASSIC: length-only header (PARAMETER DATA FORMAT 000b).
 * @SALUA_RTPG_EXTENDED: extended header (PARAMETER DATA FORMAT 001b).  A
 *	decoder told "extended was requested" still checks byte 4, because
 *	targets such as scsi_debug ignore the request and answer classic.
 */
enum salua_rtpg_format {
	SALUA_RTPG_AUTO = -1,
	SALUA_RTPG_CLASSIC = 0,
	SALUA_RTPG_EXTENDED = 1
};

/**
 * struct salua_rtpg_info - RTPG header and what the received bytes hold.
 * @format: SALUA_RTPG_CLASSIC or SALUA_RTPG_EXTENDED as decoded.
 * @return_data_length: RETURN DATA LENGTH field (bytes 0..3).
 * @implicit_transition_time: seconds (extended header byte 5), 0 for
 *	classic or when the target does not say.
 * @hdr_len: 4 or 8: where descriptors start.
 * @received: bytes the decoder was given.
 * @needed: allocation length that would hold the whole parameter data
 *	(return_data_length + 4), saturated at UINT32_MAX.
 * @truncated: the received bytes end before the data the header announces,
 *	or a group is cut; only complete groups are reported.  Truncated with
 *	@needed <= @received means the target contradicts itself (LIO 6.1's
 *	short extended answer): a larger allocation length will not help.
 * @ngroups: number of complete descriptors inside the received bytes.
 * @complete_len: offset just past the last complete descriptor.
 */
struct salua_rtpg_info {
	enum salua_rtpg_format format;
	uint32_t return_data_length;
	uint8_t implicit_transition_time;
	uint8_t hdr_len;
	size_t received;
	uint32_t needed;
	bool truncated;
	size_t ngroups;
	size_t complete_len;
};

/**
 * struct salua_tpg_desc - one target port group descriptor (SPC-5 Table 357).
 * @pref: PREF bit.
 * @state: ASYMMETRIC ACCESS STATE (low nibble of byte 0).
 * @byte0: byte 0 as received (PREF, reserved bits 6:4, state).
 * @supported: byte 1, SALUA_SUP_* bits (T O LBD U S AN AO).
 * @tpg_id: TARGET PORT GROUP.
 * @status: STATUS CODE (SALUA_TPG_STATUS_*).
 * @vendor: VENDOR SPECIFIC byte.
 * @port_count: TARGET PORT COUNT.
 * @ports: zero-copy view of @port_count 4-byte port descriptors; read
 *	with salua_tpg_desc_port().
 */
struct salua_tpg_desc {
	bool pref;
	uint8_t state;
	uint8_t byte0;
	uint8_t supported;
	uint16_t tpg_id;
	uint8_t status;
	uint8_t vendor;
	uint8_t port_count;
	const uint8_t *ports;
};

/**
 * salua_tpg_desc_port() - relative target port identifier of one port.
 * @d: descriptor from salua_rtpg_next().
 * @i: 0-based index, must be < @d->port_count (the iterator has already
 *	checked that all @d->port_count port descriptors were received).
 *
 * SPC-5 Table 360: bytes 2..3 of each 4-byte target port descriptor.
 *
 * Context: any; pure.
 * Return: the RELATIVE TARGET PORT IDENTIFIER, or 0 if @i is out of range.
 */
SALUA_INLINE uint16_t salua_tpg_desc_port(const struct salua_tpg_desc *d,
					  unsigned i)
{
	if (i >= d->port_count || !d->ports)
		return 0;
	return salua_get_be16(d->ports + 4u * i + 2u);
}

/**
 * salua_rtpg_desc_len() - bytes a descriptor with @port_count ports takes.
 * @port_count: TARGET PORT COUNT.
 *
 * Return: 8 + 4 * @port_count (SPC-5 Table 357).
 */
SALUA_INLINE size_t salua_rtpg_desc_len(unsigned port_count)
{
	return SALUA_RTPG_DESC_LEN + SALUA_RTPG_PORT_LEN * (size_t)port_count;
}

/**
 * struct salua_rtpg_iter - walks complete descriptors of received RTPG data.
 * @cur: bounded cursor over min(received, header-announced) bytes; its
 *	offset starts at the first descriptor.
 */
struct salua_rtpg_iter {
	struct salua_cursor cur;
};

/**
 * salua_rtpg_parse() - decode the RTPG header and count complete groups.
 * @buf: parameter data as received.
 * @len: bytes actually received (after residual).
 * @requested: format asked for in the CDB, or SALUA_RTPG_AUTO.
 * @info: out.
 * @it: out, optional: iterator positioned at the first descriptor.
 *
 * SPC-5 §6.36.2, Tables 354/355.  The header format is classic when
 * @requested is SALUA_RTPG_CLASSIC; otherwise it is extended exactly when
 * byte 4 bits 6:4 are 001b (a target may answer classic to a request for
 * the extended header, as scsi_debug does).
 *
 * Only bytes inside both @len and RETURN DATA LENGTH + 4 are decoded: a
 * descriptor counts only when its 8 bytes and all 4 * TARGET PORT COUNT
 * port bytes lie inside that limit.  A cut descriptor, or fewer received
 * bytes than announced, sets @info->truncated; @info->needed is the
 * allocation length to retry with.  Targets that under-count (LIO 6.1
 * leaves the 4 extended-header bytes out of RETURN DATA LENGTH and cuts
 * the transfer to match) therefore lose the last port bytes: only the
 * complete groups before them are reported.
 *
 * With only the 4-byte length received, the result is a classic, empty
 * and (if RETURN DATA LENGTH > 0) truncated decode, so the caller can
 * still read @info->needed.
 *
 * Context: any; pure.
 * Return: 0; -SALUA_ETRUNC if fewer than 4 bytes, or an extended header
 * cut before byte 8, arrived (@info is still filled as far as possible);
 * -SALUA_EINVAL for NULL @info or NULL @buf with @len > 0, or an unknown
 * @requested value.
 */
SALUA_API int salua_rtpg_parse(const uint8_t *buf, size_t len,
			       enum salua_rtpg_format requested,
			       struct salua_rtpg_info *info,
			       struct salua_rtpg_iter *it);

/**
 * salua_rtpg_next() - next complete descriptor.
 * @it: iterator from salua_rtpg_parse().
 * @d: out.
 *
 * Context: any.
 * Return: 1 when @d was filled, 0 at the end (including a cut descriptor).
 */
SALUA_API int salua_rtpg_next(struct salua_rtpg_iter *it,
			      struct salua_tpg_desc *d);

/**
 * struct salua_tpg_entry - one group, as a target encodes it.
 * @tpg_id: TARGET PORT GROUP.
 * @state: access state (SALUA_STATE_*).
 * @pref: PREF bit.
 * @supported: SALUA_SUP_* bits.
 * @status: STATUS CODE.
 * @vendor: VENDOR SPECIFIC.
 * @nports: number of entries in @ports (<= 255).
 * @ports: relative target port identifiers.
 */
struct salua_tpg_entry {
	uint16_t tpg_id;
	uint8_t state;
	bool pref;
	uint8_t supported;
	uint8_t status;
	uint8_t vendor;
	uint8_t nports;
	const uint16_t *ports;
};

/**
 * salua_rtpg_encode() - target side: build RTPG parameter data.
 * @buf: output.
 * @alloc_len: ALLOCATION LENGTH from the CDB (and capacity of @buf):
 *	nothing is written at or past it.
 * @format: SALUA_RTPG_CLASSIC or SALUA_RTPG_EXTENDED.
 * @implicit_transition_time: extended header byte 5.
 * @groups: groups to report, in order.
 * @ngroups: number of @groups.
 *
 * RETURN DATA LENGTH always covers every group and, with the extended
 * header, the 4 extra header bytes: it counts every byte after itself
 * (SPC-5 §6.36.2).  The data written stops exactly at @alloc_len, even in
 * the middle of the header or a descriptor, as SPC-5 §4.2.5.6 says for
 * allocation lengths; unlike LIO no group is skipped.  @buf may be NULL
 * when @alloc_len is 0 (size query: see salua_rtpg_encoded_len()).
 *
 * Context: any; pure.
 * Return: bytes written (min(alloc_len, full length)); -SALUA_EINVAL for a
 * bad argument (unknown @format, state > 0xf, NULL ports with nports > 0,
 * NULL @groups with @ngroups > 0, or a full length above INT32_MAX).
 */
SALUA_API int salua_rtpg_encode(uint8_t *buf, size_t alloc_len,
				enum salua_rtpg_format format,
				uint8_t implicit_transition_time,
				const struct salua_tpg_entry *groups,
				size_t ngroups);

/**
 * salua_rtpg_encoded_len() - full length of the RTPG parameter data.
 * @format: SALUA_RTPG_CLASSIC or SALUA_RTPG_EXTENDED.
 * @groups: groups (only @nports is read).
 * @ngroups: number of @groups.
 *
 * Context: any; pure.
 * Return: header + sum of 8 + 4 * nports, i.e. RETURN DATA LENGTH + 4;
 * -SALUA_EINVAL as salua_rtpg_encode().
 */
SALUA_API int salua_rtpg_encoded_len(enum salua_rtpg_format format,
				     const struct salua_tpg_entry *groups,
				     size_t ngroups);

/**
 * salua_rtpg_supported_str() - supported-state bits as "TOLUSNA" letters.
 * @supported: descriptor byte 1 (SALUA_SUP_*).
 * @buf: output, NUL-terminated.
 * @cap: capacity of @buf; at least 8.
 *
 * The letters are those of the Linux kernel's ALUA log line, in its order
 * T(ransitioning) O(ffline) L(BA dependent) U(navailable) S(tandby)
 * N (active/non-optimized) A (active/optimized), upper case when the bit
 * is set: scsi_debug's 0x0f gives "tolUSNA".  The reserved bit 0x20 is
 * not shown.
 *
 * Context: any.
 * Return: 7 (characters written before the NUL); -SALUA_ENOSPC if @cap < 8
 * (then nothing is written), -SALUA_EINVAL for NULL @buf.
 */
SALUA_API int salua_rtpg_supported_str(uint8_t supported, char *buf,
				       size_t cap);

/**
 * struct salua_stpg_desc - one SET TARGET PORT GROUPS descriptor.
 * @state: ASYMMETRIC ACCESS STATE requested.
 * @id: target port group id, or relative target port id for OFFLINE.
 */
struct salua_stpg_desc {
	uint8_t state;
	uint16_t id;
};

/**
 * salua_stpg_encode() - initiator side: build the STPG parameter list.
 * @buf: output.
 * @cap: capacity of @buf.
 * @d: descriptors.
 * @n: number of descriptors.
 *
 * SPC-5 §6.49, Tables 467/468: a 4-byte reserved header, then per
 * descriptor byte 0 = state, bytes 2..3 = group id (or the relative target
 * port for OFFLINE).  The CDB's PARAMETER LIST LENGTH is the return value.
 * LBA dependent is accepted as LIO does; sg_stpg only offers ao/an/s/u/o.
 *
 * Context: any; pure.
 * Return: parameter list length (4 + 4n); -SALUA_ENOSPC if @cap is smaller
 * (nothing written); -SALUA_EINVAL for a state STPG cannot request
 * (transitioning, reserved), NULL pointers, or a length above INT32_MAX.
 */
SALUA_API int salua_stpg_encode(uint8_t *buf, size_t cap,
				const struct salua_stpg_desc *d, size_t n);

/**
 * salua_stpg_decode() - target side: decode and validate an STPG list.
 * @buf: parameter data received.
 * @len: bytes received (PARAMETER LIST LENGTH honoured by the caller).
 * @supported: SALUA_SUP_* states this target supports; 0 skips the check.
 * @d: out array.
 * @n: in: capacity of @d; out: descriptors decoded (or needed with ENOSPC).
 *
 * Rejects TRANSITIONING and reserved states, states not in @supported,
 * and a length that is not 4 + 4k (SPC-5 §6.49).  OFFLINE descriptors
 * carry a relative target port in @id, the others a group id.  Every
 * descriptor is validated before any is stored, so a target can answer
 * INVALID FIELD IN PARAMETER LIST (26/00) for ENOTSUP and PARAMETER LIST
 * LENGTH ERROR (1A/00) for ETRUNC/EMALFORMED without side effects.
 * Reserved bits (byte 0 bits 7:4, byte 1, header) are ignored.
 *
 * Context: any; pure.
 * Return: 0; -SALUA_ETRUNC (< 4 bytes), -SALUA_EMALFORMED (partial
 * descriptor), -SALUA_ENOTSUP (unsupported or invalid state; @n is then
 * the index of the offending descriptor), -SALUA_ENOSPC (@n is then the
 * number of descriptors), -SALUA_EINVAL for NULL pointers.
 */
SALUA_API int salua_stpg_decode(const uint8_t *buf, size_t len,
				uint8_t supported, struct salua_stpg_desc *d,
				size_t *n);

SALUA_END_DECLS

#endif /* SALUA_TPG_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_TPG_IMPL_DONE)
#define SALUA_TPG_IMPL_DONE
#define SALUA__TPG_LEN_MAX 0x7fffffffu

SALUA_API int salua_rtpg_parse(const uint8_t *buf, size_t len,
			       enum salua_rtpg_format requested,
			       struct salua_rtpg_info *info,
			       struct salua_rtpg_iter *it)
{
	uint32_t rdl;
	size_t limit, off;

	if (!info || (!buf && len) ||
	    (requested != SALUA_RTPG_AUTO && requested != SALUA_RTPG_CLASSIC &&
	     requested != SALUA_RTPG_EXTENDED))
		return -SALUA_EINVAL;
	memset(info, 0, sizeof(*info));
	info->format = SALUA_RTPG_CLASSIC;
	info->hdr_len = (uint8_t)SALUA_RTPG_HDR_CLASSIC;
	info->received = len;
	if (it)
		salua_cursor_init(&it->cur, buf, 0);
	if (len < SALUA_RTPG_HDR_CLASSIC) {
		info->truncated = true;
		info->complete_len = 0;
		return -SALUA_ETRUNC;
	}
	rdl = salua_get_be32(buf);
	info->return_data_length = rdl;
	info->needed = rdl > 0xffffffffu - 4u ? 0xffffffffu : rdl + 4u;
	/* min(len, rdl + 4), computed in 64 bits for a 32-bit size_t */
	limit = (uint64_t)rdl + 4u < (uint64_t)len ? (size_t)rdl + 4u : len;
	info->truncated = (uint64_t)len < (uint64_t)rdl + 4u;

	if (requested != SALUA_RTPG_CLASSIC && limit > 4u &&
	    (buf[4] & SALUA_RTPG_FMT_MASK) == SALUA_RTPG_FMT_EXT) {
		info->format = SALUA_RTPG_EXTENDED;
		info->hdr_len = (uint8_t)SALUA_RTPG_HDR_EXTENDED;
		if (limit > 5u)
			info->implicit_transition_time = buf[5];
		if (limit < SALUA_RTPG_HDR_EXTENDED) {
			info->truncated = true;
			info->complete_len = 0;
			return -SALUA_ETRUNC;
		}
	}

	off = info->hdr_len;
	while (limit - off >= SALUA_RTPG_DESC_LEN) {
		size_t dl = salua_rtpg_desc_len(buf[off + 7u]);

		if (dl > limit - off)
			break;
		off += dl;
		info->ngroups++;
	}
	if (off != limit)
		info->truncated = true;
	info->complete_len = off;
	if (it) {
		salua_cursor_init(&it->cur, buf, off);
		it->cur.off = info->hdr_len;
	}
	return 0;
}

SALUA_API int salua_rtpg_next(struct salua_rtpg_iter *it,
			      struct salua_tpg_desc *d)
{
	struct salua_cursor *c;
	const uint8_t *p;
	size_t dl;

	if (!it || !d)
		return 0;
	c = &it->cur;
	if (!c->p || !salua_cursor_has(c, SALUA_RTPG_DESC_LEN))
		return 0;
	p = c->p + c->off;
	dl = salua_rtpg_desc_len(p[7]);
	if (!salua_cursor_has(c, dl))
		return 0;
	d->byte0 = p[0];
	d->pref = (p[0] & SALUA_STATE_PREF) != 0;
	d->state = (uint8_t)(p[0] & SALUA_STATE_MASK);
	d->supported = p[1];
	d->tpg_id = salua_get_be16(p + 2);
	d->status = p[5];
	d->vendor = p[6];
	d->port_count = p[7];
	d->ports = p + SALUA_RTPG_DESC_LEN;
	c->off += dl;
	return 1;
}

SALUA_MAYBE_UNUSED static int salua__rtpg_check(enum salua_rtpg_format format,
			     const struct salua_tpg_entry *groups,
			     size_t ngroups, size_t *total)
{
	size_t i, t;

	if (format != SALUA_RTPG_CLASSIC && format != SALUA_RTPG_EXTENDED)
		return -SALUA_EINVAL;
	if (!groups && ngroups)
		return -SALUA_EINVAL;
	t = format == SALUA_RTPG_EXTENDED ? SALUA_RTPG_HDR_EXTENDED
					  : SALUA_RTPG_HDR_CLASSIC;
	for (i = 0; i < ngroups; i++) {
		size_t dl = salua_rtpg_desc_len(groups[i].nports);

		if (groups[i].state > SALUA_STATE_MASK ||
		    (groups[i].nports && !groups[i].ports))
			return -SALUA_EINVAL;
		if (dl > SALUA__TPG_LEN_MAX - t)
			return -SALUA_EINVAL;
		t += dl;
	}
	*total = t;
	return 0;
}

SALUA_API int salua_rtpg_encoded_len(enum salua_rtpg_format format,
				     const struct salua_tpg_entry *groups,
				     size_t ngroups)
{
	size_t total = 0;
	int rc = salua__rtpg_check(format, groups, ngroups, &total);

	return rc ? rc : (int)total;
}

/* Copy the part of @src[0..n) that lies below @cap when placed at @off. */
SALUA_MAYBE_UNUSED static void salua__tpg_emit(uint8_t *buf, size_t cap, size_t off,
			const uint8_t *src, size_t n)
{
	if (off >= cap)
		return;
	if (n > cap - off)
		n = cap - off;
	memcpy(buf + off, src, n);
}

SALUA_API int salua_rtpg_encode(uint8_t *buf, size_t alloc_len,
				enum salua_rtpg_format format,
				uint8_t implicit_transition_time,
				const struct salua_tpg_entry *groups,
				size_t ngroups)
{
	uint8_t tmp[SALUA_RTPG_HDR_EXTENDED];
	size_t total = 0, off, i, out;
	int rc;

	rc = salua__rtpg_check(format, groups, ngroups, &total);
	if (rc)
		return rc;
	if (!buf && alloc_len)
		return -SALUA_EINVAL;
	out = alloc_len < total ? alloc_len : total;

	memset(tmp, 0, sizeof(tmp));
	salua_put_be32(tmp, (uint32_t)(total - 4u));
	if (format == SALUA_RTPG_EXTENDED) {
		tmp[4] = (uint8_t)SALUA_RTPG_FMT_EXT;
		tmp[5] = implicit_transition_time;
	}
	off = format == SALUA_RTPG_EXTENDED ? SALUA_RTPG_HDR_EXTENDED
					    : SALUA_RTPG_HDR_CLASSIC;
	salua__tpg_emit(buf, out, 0, tmp, off);

	for (i = 0; i < ngroups && off < out; i++) {
		const struct salua_tpg_entry *g = &groups[i];
		unsigned k;

		memset(tmp, 0, sizeof(tmp));
		tmp[0] = (uint8_t)((g->pref ? SALUA_STATE_PREF : 0u) |
				   (g->state & SALUA_STATE_MASK));
		tmp[1] = g->supported;
		salua_put_be16(tmp + 2, g->tpg_id);
		tmp[5] = g->status;
		tmp[6] = g->vendor;
		tmp[7] = g->nports;
		salua__tpg_emit(buf, out, off, tmp, SALUA_RTPG_DESC_LEN);
		off += SALUA_RTPG_DESC_LEN;
		for (k = 0; k < g->nports && off < out; k++) {
			memset(tmp, 0, SALUA_RTPG_PORT_LEN);
			salua_put_be16(tmp + 2, g->ports[k]);
			salua__tpg_emit(buf, out, off, tmp, SALUA_RTPG_PORT_LEN);
			off += SALUA_RTPG_PORT_LEN;
		}
	}
	return (int)out;
}

SALUA_API int salua_rtpg_supported_str(uint8_t supported, char *buf,
				       size_t cap)
{
	static const char up[] = "TOLUSNA", lo[] = "tolusna";
	static const uint8_t bit[7] = {SALUA_SUP_T,   SALUA_SUP_O,
				       SALUA_SUP_LBD, SALUA_SUP_U,
				       SALUA_SUP_S,   SALUA_SUP_ANO,
				       SALUA_SUP_AO};
	unsigned i;

	if (!buf)
		return -SALUA_EINVAL;
	if (cap < 8u)
		return -SALUA_ENOSPC;
	for (i = 0; i < 7u; i++)
		buf[i] = (supported & bit[i]) ? up[i] : lo[i];
	buf[7] = '\0';
	return 7;
}

SALUA_MAYBE_UNUSED static bool salua__stpg_state_ok(unsigned s)
{
	return s != SALUA_STATE_TRANSITIONING && salua_state_valid(s);
}

SALUA_API int salua_stpg_encode(uint8_t *buf, size_t cap,
				const struct salua_stpg_desc *d, size_t n)
{
	size_t i, need;

	if ((!d && n) || (!buf && cap))
		return -SALUA_EINVAL;
	if (n > (SALUA__TPG_LEN_MAX - SALUA_STPG_HDR_LEN) / SALUA_STPG_DESC_LEN)
		return -SALUA_EINVAL;
	for (i = 0; i < n; i++)
		if (!salua__stpg_state_ok(d[i].state))
			return -SALUA_EINVAL;
	need = SALUA_STPG_HDR_LEN + SALUA_STPG_DESC_LEN * n;
	if (cap < need)
		return -SALUA_ENOSPC;
	memset(buf, 0, need);
	for (i = 0; i < n; i++) {
		uint8_t *p = buf + SALUA_STPG_HDR_LEN + SALUA_STPG_DESC_LEN * i;

		p[0] = d[i].state;
		salua_put_be16(p + 2, d[i].id);
	}
	return (int)need;
}

SALUA_API int salua_stpg_decode(const uint8_t *buf, size_t len,
				uint8_t supported, struct salua_stpg_desc *d,
				size_t *n)
{
	size_t i, count;

	if (!n || (!buf && len) || (!d && *n))
		return -SALUA_EINVAL;
	if (len < SALUA_STPG_HDR_LEN)
		return -SALUA_ETRUNC;
	if ((len - SALUA_STPG_HDR_LEN) & (SALUA_STPG_DESC_LEN - 1u))
		return -SALUA_EMALFORMED;
	count = (len - SALUA_STPG_HDR_LEN) >> 2;
	for (i = 0; i < count; i++) {
		unsigned s = buf[SALUA_STPG_HDR_LEN + 4u * i] & SALUA_STATE_MASK;

		if (!salua__stpg_state_ok(s) ||
		    (supported && !(supported & salua_state_sup_bit(s)))) {
			*n = i;
			return -SALUA_ENOTSUP;
		}
	}
	if (count > *n) {
		*n = count;
		return -SALUA_ENOSPC;
	}
	for (i = 0; i < count; i++) {
		const uint8_t *p = buf + SALUA_STPG_HDR_LEN + 4u * i;

		d[i].state = (uint8_t)(p[0] & SALUA_STATE_MASK);
		d[i].id = salua_get_be16(p + 2);
	}
	*n = count;
	return 0;
}
#endif
