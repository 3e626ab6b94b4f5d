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
 *	or a group is cut; only complete groups are reported.
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

/* Relative target port identifier of port @i (0-based) of @d. */
SALUA_INLINE uint16_t salua_tpg_desc_port(const struct salua_tpg_desc *d,
					  unsigned i)
{
	return salua_get_be16(d->ports + 4u * i + 2u);
}

/**
 * struct salua_rtpg_iter - walks complete descriptors of received RTPG data.
 * @cur: bounded cursor over min(received, header-announced) bytes.
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
 * Only bytes inside both @len and RETURN DATA LENGTH + 4 are decoded.
 * A cut descriptor sets @info->truncated and is not reported.
 *
 * Context: any; pure.
 * Return: 0; -SALUA_ETRUNC if the header itself did not arrive;
 * -SALUA_EINVAL for NULL pointers.
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
 * RETURN DATA LENGTH always covers every group (SPC-5 §6.36.2); the data
 * written stops at @alloc_len (a group that does not fit is cut, as the
 * standard's truncation rule says).
 *
 * Return: bytes written (min(alloc_len, full length)); -SALUA_EINVAL for a
 * bad argument (state > 0xf, NULL ports with nports > 0).
 */
SALUA_API int salua_rtpg_encode(uint8_t *buf, size_t alloc_len,
				enum salua_rtpg_format format,
				uint8_t implicit_transition_time,
				const struct salua_tpg_entry *groups,
				size_t ngroups);

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
 * Return: parameter list length (4 + 4n), -SALUA_ENOSPC, -SALUA_EINVAL for
 * a state STPG cannot request (transitioning, reserved).
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
 * carry a relative target port in @id, the others a group id.
 *
 * Return: 0; -SALUA_ETRUNC (< 4 bytes), -SALUA_EMALFORMED (partial
 * descriptor), -SALUA_ENOTSUP (unsupported or invalid state; @n is then
 * the index of the offending descriptor), -SALUA_ENOSPC.
 */
SALUA_API int salua_stpg_decode(const uint8_t *buf, size_t len,
				uint8_t supported, struct salua_stpg_desc *d,
				size_t *n);

SALUA_END_DECLS

#endif /* SALUA_TPG_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_TPG_IMPL_DONE)
#define SALUA_TPG_IMPL_DONE
/* implementation goes here */
#endif
