/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/referrals.h - logical block dependent ALUA: REPORT REFERRALS
 * parameter data (SBC-4, REPORT REFERRALS command) and the user data
 * segment referral sense data descriptor (SPC-5 Table 52, type 0Bh), both
 * sides, plus an LBA map a host or a target builds from them.
 *
 * Both carry the same user data segment referral descriptors: an LBA range
 * [FIRST, LAST] and, per target port group, the asymmetric access state
 * the group has for that range.  A logical unit whose groups report the
 * LBA dependent state (SALUA_STATE_LBA_DEPENDENT) serves each range only
 * through the groups that are active for it.
 *
 * The decoder is truncation-safe like RTPG (tpg.h): only descriptors
 * whose 20 bytes and all their target port group descriptors lie inside
 * both the bytes received and the length the header announces are
 * returned; a cut one sets @truncated, and @needed is the allocation
 * length to retry with.
 */
#ifndef SALUA_REFERRALS_H
#define SALUA_REFERRALS_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"
#include "sense.h"

SALUA_BEGIN_DECLS

/* REPORT REFERRALS parameter data (SBC-4): 4-byte header, descriptors. */
#define SALUA_REFERRALS_HDR_LEN 4u
/* A user data segment referral descriptor without its group list. */
#define SALUA_UDS_DESC_LEN 20u
/* One target port group descriptor inside it. */
#define SALUA_UDS_TPG_LEN 4u
/* User data segment referral sense descriptor: 4 header bytes. */
#define SALUA_UDS_SENSE_HDR_LEN 4u
#define SALUA_UDS_NOT_ALL_R 0x01u /* sense descriptor byte 2 */

/*
 * Problems of one decoded segment (struct salua_uds_desc @problems); the
 * walk goes on.  RANGE: FIRST USER DATA SEGMENT LBA above LAST.  ORDER:
 * it starts at or before the end of the previous segment (overlap or not
 * ascending).  STATE: a group is given a reserved state or LBA dependent,
 * which cannot be the state of a range.
 */
#define SALUA_UDS_P_RANGE 0x1u
#define SALUA_UDS_P_ORDER 0x2u
#define SALUA_UDS_P_STATE 0x4u
#define SALUA_UDS_P_ALL 0x7u

/**
 * struct salua_uds_desc - one user data segment referral descriptor.
 * @off: offset of its first byte in the data given to the parser.
 * @first_lba: FIRST USER DATA SEGMENT LBA.
 * @last_lba: LAST USER DATA SEGMENT LBA.
 * @ntpg: NUMBER OF TARGET PORT GROUP DESCRIPTORS.
 * @tpgs: zero-copy view of @ntpg 4-byte descriptors (all received); read
 *	them with salua_uds_desc_tpg().
 * @problems: SALUA_UDS_P_* bits.
 */
struct salua_uds_desc {
	size_t off;
	uint64_t first_lba;
	uint64_t last_lba;
	uint8_t ntpg;
	const uint8_t *tpgs;
	uint8_t problems;
};

/**
 * salua_uds_desc_tpg() - target port group @i of a segment.
 * @d: descriptor from salua_referrals_next().
 * @i: 0-based index, < @d->ntpg.
 * @state: out: ASYMMETRIC ACCESS STATE (byte 0 bits 3:0); 0 on error.
 * @tpg_id: out: TARGET PORT GROUP (bytes 2..3); 0 on error.
 *
 * Context: any.
 * Return: 0, or -SALUA_EINVAL for @i out of range (or a NULL pointer).
 */
SALUA_INLINE int salua_uds_desc_tpg(const struct salua_uds_desc *d,
				    unsigned i, uint8_t *state,
				    uint16_t *tpg_id)
{
	const uint8_t *t;

	if (!state || !tpg_id)
		return -SALUA_EINVAL;
	*state = 0;
	*tpg_id = 0;
	if (!d || i >= d->ntpg || !d->tpgs)
		return -SALUA_EINVAL;
	t = d->tpgs + SALUA_UDS_TPG_LEN * i;
	*state = (uint8_t)(t[0] & SALUA_STATE_MASK);
	*tpg_id = salua_get_be16(t + 2);
	return 0;
}

/**
 * salua_uds_desc_len() - bytes of a descriptor with @ntpg groups.
 * @ntpg: NUMBER OF TARGET PORT GROUP DESCRIPTORS.
 *
 * Return: 20 + 4 * @ntpg.
 */
SALUA_INLINE size_t salua_uds_desc_len(unsigned ntpg)
{
	return SALUA_UDS_DESC_LEN + SALUA_UDS_TPG_LEN * (size_t)ntpg;
}

/**
 * struct salua_referrals_info - what the received referral data hold.
 * @desc_length: the descriptor bytes announced: REPORT REFERRALS' USER
 *	DATA SEGMENT REFERRAL DESCRIPTOR LENGTH, or a sense descriptor's
 *	ADDITIONAL LENGTH - 2.
 * @not_all_r: sense descriptor only: NOT_ALL_R (not every segment of the
 *	logical unit is described).
 * @received: bytes the parser was given.
 * @needed: REPORT REFERRALS only: the allocation length that holds the
 *	whole parameter data (4 + @desc_length).
 * @truncated: fewer bytes were received than announced; only complete
 *	descriptors are returned.
 * @overrun: the announced bytes do not hold whole descriptors (one
 *	reaches past them, or fewer than 20 bytes are left): malformed.
 * @nsegs: complete descriptors inside the received, announced bytes.
 * @complete_len: offset just past the last complete one.
 * @bad_off: with @overrun, offset of the descriptor that does not fit.
 */
struct salua_referrals_info {
	uint16_t desc_length;
	bool not_all_r;
	size_t received;
	uint32_t needed;
	bool truncated;
	bool overrun;
	size_t nsegs;
	size_t complete_len;
	size_t bad_off;
};

/**
 * struct salua_referrals_iter - walks the complete descriptors.
 * @p: data given to the parser.
 * @off: offset of the next descriptor.
 * @end: offset past the last complete descriptor.
 * @prev_last: LAST LBA of the previous segment (order check).
 * @started: a segment was returned.
 */
struct salua_referrals_iter {
	const uint8_t *p;
	size_t off;
	size_t end;
	uint64_t prev_last;
	bool started;
};

/**
 * salua_referrals_parse() - decode REPORT REFERRALS parameter data.
 * @buf: parameter data as received.
 * @len: bytes received (after residual).
 * @info: out.
 * @it: out, optional: iterator at the first descriptor.
 *
 * SBC-4 REPORT REFERRALS parameter data: bytes 0..1 reserved, bytes 2..3
 * USER DATA SEGMENT REFERRAL DESCRIPTOR LENGTH, then the descriptors.
 * Only bytes inside both @len and 4 + that length are decoded; a
 * descriptor counts only when its 20 bytes and all its group descriptors
 * lie inside that limit.
 *
 * Context: any; pure.
 * Return: 0; -SALUA_ETRUNC when fewer than 4 bytes arrived (@info->needed
 * is then unknown: retry with at least 4); -SALUA_EINVAL for a NULL @info
 * or NULL @buf with @len > 0.
 */
SALUA_API int salua_referrals_parse(const uint8_t *buf, size_t len,
				    struct salua_referrals_info *info,
				    struct salua_referrals_iter *it);

/**
 * salua_referrals_sense_parse() - decode a user data segment referral
 * sense data descriptor (SPC-5 Table 52, 0Bh).
 * @d: the descriptor from salua_sense_desc_next() (complete, or cut: the
 *	segments that arrived whole are still returned).
 * @info: out: @not_all_r, @desc_length (ADDITIONAL LENGTH - 2),
 *	@truncated (descriptor cut), @overrun.
 * @it: out, optional: iterator; descriptor offsets in struct
 *	salua_uds_desc are relative to the sense descriptor's first byte.
 *
 * Context: any; pure.
 * Return: 0; -SALUA_ENOENT when @d is not of type 0Bh; -SALUA_ETRUNC when
 * its 4-byte header did not arrive; -SALUA_EMALFORMED when ADDITIONAL
 * LENGTH is under 2; -SALUA_EINVAL.
 */
SALUA_API int salua_referrals_sense_parse(const struct salua_sense_desc *d,
					  struct salua_referrals_info *info,
					  struct salua_referrals_iter *it);

/**
 * salua_referrals_next() - next complete segment.
 * @it: iterator from salua_referrals_parse() or
 *	salua_referrals_sense_parse().
 * @d: out; @d->problems compares it with the previous segment.
 *
 * Context: any.
 * Return: 1 when @d was filled, 0 at the end.
 */
SALUA_API int salua_referrals_next(struct salua_referrals_iter *it,
				   struct salua_uds_desc *d);

/**
 * struct salua_uds_tpg - one group's state for a segment (encoder input
 *	and LBA map entry).
 * @tpg_id: TARGET PORT GROUP.
 * @state: ASYMMETRIC ACCESS STATE for the segment (AO, ANO, S, U...).
 */
struct salua_uds_tpg {
	uint16_t tpg_id;
	uint8_t state;
};

/**
 * struct salua_uds_entry - one segment as a target encodes it.
 * @first_lba: first LBA of the range.
 * @last_lba: last LBA (>= @first_lba).
 * @ntpg: entries in @tpgs (<= 255).
 * @tpgs: the groups and their states for the range.
 */
struct salua_uds_entry {
	uint64_t first_lba;
	uint64_t last_lba;
	uint8_t ntpg;
	const struct salua_uds_tpg *tpgs;
};

/**
 * salua_referrals_encode() - target side: REPORT REFERRALS parameter data.
 * @buf: output; may be NULL when @alloc_len is 0 (size query).
 * @alloc_len: ALLOCATION LENGTH (and capacity of @buf): nothing is written
 *	at or past it.
 * @segs: segments, in ascending LBA order.
 * @n: number of @segs.
 *
 * The header announces every segment; the bytes written stop exactly at
 * @alloc_len, even inside a descriptor (SPC-5 §4.2.5.6), unlike LIO which
 * ignores ONE_SEG and the starting LBA but also writes every segment.
 * Choosing the segments (from the CDB's LBA, ONE_SEG) is the caller's.
 *
 * Context: any; pure.
 * Return: bytes written (min(@alloc_len, full length)); -SALUA_EINVAL for
 * NULL pointers, a segment with @first_lba > @last_lba or a state above
 * 15, or a descriptor length above 65535 in total.
 */
SALUA_API int salua_referrals_encode(uint8_t *buf, size_t alloc_len,
				     const struct salua_uds_entry *segs,
				     size_t n);

/**
 * salua_referrals_encoded_len() - full length of that parameter data.
 * @segs: segments (only @ntpg is read, and validity as for the encoder).
 * @n: number of @segs.
 *
 * Context: any; pure.
 * Return: 4 + the descriptors' bytes; -SALUA_EINVAL as the encoder.
 */
SALUA_API int salua_referrals_encoded_len(const struct salua_uds_entry *segs,
					  size_t n);

/**
 * salua_referrals_build_sense() - descriptor-format sense carrying a user
 * data segment referral descriptor (what a target answers when an LBA
 * dependent command reaches a range its port does not serve).
 * @buf: output.
 * @cap: capacity; nothing is written past it.
 * @key: sense key (NOT READY for 04/0B, 04/0C, 04/0A).
 * @asc: ADDITIONAL SENSE CODE.
 * @ascq: ADDITIONAL SENSE CODE QUALIFIER.
 * @not_all_r: NOT_ALL_R: @segs does not describe every segment.
 * @segs: segments to report.
 * @n: number of @segs.
 *
 * Current descriptor-format sense (0x72): the 8-byte header, then the 0Bh
 * descriptor.  Sense data hold at most 252 bytes after the header (and a
 * descriptor at most 257): a list that does not fit is refused.
 *
 * Context: any; pure.
 * Return: bytes written; -SALUA_ENOSPC (@cap too small, nothing written);
 * -SALUA_EINVAL (NULL pointers, key > 15, invalid segments, too many
 * segments for one descriptor).
 */
SALUA_API int salua_referrals_build_sense(uint8_t *buf, size_t cap,
					  uint8_t key, uint8_t asc,
					  uint8_t ascq, bool not_all_r,
					  const struct salua_uds_entry *segs,
					  size_t n);

/**
 * struct salua_lba_seg - one segment of an LBA map.
 * @first: first LBA.
 * @last: last LBA.
 * @tpg: index of its first group in the map's group array.
 * @ntpg: its number of groups.
 */
struct salua_lba_seg {
	uint64_t first;
	uint64_t last;
	uint32_t tpg;
	uint8_t ntpg;
};

/**
 * struct salua_lba_map - the referrals of one logical unit, sorted and
 *	checked, for lookups by LBA (caller-owned storage).
 * @seg: segment array (ascending, not overlapping).
 * @nseg: segments in use.
 * @seg_cap: capacity of @seg.
 * @tpg: group array shared by the segments.
 * @ntpg: entries in use.
 * @tpg_cap: capacity of @tpg.
 * @not_all_r: the source said not every segment is listed.
 */
struct salua_lba_map {
	struct salua_lba_seg *seg;
	size_t nseg;
	size_t seg_cap;
	struct salua_uds_tpg *tpg;
	size_t ntpg;
	size_t tpg_cap;
	bool not_all_r;
};

/**
 * salua_lba_map_init() - attach caller storage to an empty map.
 * @m: map.
 * @seg: segment storage (may be NULL with @seg_cap 0).
 * @seg_cap: its capacity.
 * @tpg: group storage.
 * @tpg_cap: its capacity.
 *
 * Context: any.
 * Return: 0, or -SALUA_EINVAL for a NULL @m or NULL storage with a
 * capacity.
 */
SALUA_API int salua_lba_map_init(struct salua_lba_map *m,
				 struct salua_lba_seg *seg, size_t seg_cap,
				 struct salua_uds_tpg *tpg, size_t tpg_cap);

/**
 * salua_lba_map_load() - fill a map from REPORT REFERRALS parameter data.
 * @m: map with storage attached; emptied first.
 * @buf: parameter data as received.
 * @len: bytes received.
 * @nseg: out, optional: segments needed (also on -SALUA_ENOSPC).
 * @ntpg: out, optional: group entries needed.
 *
 * All of the data must have arrived (a cut answer: -SALUA_ETRUNC, retry
 * with the needed allocation length) and be well-formed: descriptors that
 * tile the announced length, ranges with FIRST <= LAST in strictly
 * ascending order without overlap, defined states other than LBA
 * dependent.  A lookup structure built from half an answer would send I/O
 * down a path that does not serve it.
 *
 * Context: any; pure apart from @m.
 * Return: number of segments; -SALUA_ETRUNC, -SALUA_EMALFORMED,
 * -SALUA_ENOSPC (storage too small, @m left empty), -SALUA_EINVAL.
 */
SALUA_API int salua_lba_map_load(struct salua_lba_map *m, const uint8_t *buf,
				 size_t len, size_t *nseg, size_t *ntpg);

/**
 * salua_lba_map_find() - the segment holding an LBA.
 * @m: map.
 * @lba: logical block address.
 *
 * Binary search, O(log segments).
 *
 * Context: any reader of @m.
 * Return: segment index, or -SALUA_ENOENT when no segment holds @lba.
 */
SALUA_API long salua_lba_map_find(const struct salua_lba_map *m,
				  uint64_t lba);

/**
 * salua_lba_map_seg_state() - a group's state in one segment.
 * @m: map.
 * @seg: segment index (salua_lba_map_find()).
 * @tpg_id: target port group.
 *
 * Context: any reader of @m; O(groups of the segment).
 * Return: the state, or -SALUA_ENOENT when the segment does not list
 * @tpg_id; -SALUA_EINVAL for a bad index.
 */
SALUA_API int salua_lba_map_seg_state(const struct salua_lba_map *m,
				      long seg, uint16_t tpg_id);

/**
 * salua_lba_map_state() - a group's state for an LBA.
 * @m: map.
 * @lba: logical block address.
 * @tpg_id: target port group.
 *
 * Context: any reader of @m; O(log segments + groups of the segment).
 * Return: the state (SALUA_STATE_*), or -SALUA_ENOENT when no segment
 * holds @lba or the segment does not list @tpg_id.
 */
SALUA_API int salua_lba_map_state(const struct salua_lba_map *m, uint64_t lba,
				  uint16_t tpg_id);

/**
 * salua_lba_map_range_state() - a group's state for a range of blocks.
 * @m: map.
 * @lba: first block.
 * @nblocks: number of blocks (0 is taken as 1, the LBA alone).
 * @tpg_id: target port group.
 * @seg: out, optional: index of the segment that decided the answer (the
 *	first one in the least accessible state), or -1 when none.
 *
 * The least accessible state the group has anywhere in the range, in the
 * order unavailable, standby, transitioning, active/non-optimized,
 * active/optimized; a block that no segment holds, or a segment that does
 * not list the group, counts as unavailable (as LIO decides).
 *
 * Context: any reader of @m; O(segments touched + log segments).
 * Return: a state; -SALUA_EINVAL for a NULL @m or a range past 2^64.
 */
SALUA_API int salua_lba_map_range_state(const struct salua_lba_map *m,
					uint64_t lba, uint64_t nblocks,
					uint16_t tpg_id, long *seg);

SALUA_END_DECLS

#endif /* SALUA_REFERRALS_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_REFERRALS_IMPL_DONE)
#define SALUA_REFERRALS_IMPL_DONE
SALUA_BEGIN_DECLS

/*
 * Count the complete descriptors in [@start, @limit) of @p; @announced is
 * the end the header announces (@limit <= it).  Fills the counts of @info.
 */
SALUA_INLINE void salua__uds_count(const uint8_t *p, size_t start,
				   size_t limit, size_t announced,
				   struct salua_referrals_info *info)
{
	size_t off = start, dl;

	while (limit - off >= SALUA_UDS_DESC_LEN) {
		dl = salua_uds_desc_len(p[off + 3u]);
		if (dl > limit - off)
			break;
		off += dl;
		info->nsegs++;
	}
	info->complete_len = off;
	if (off == limit)
		return;
	/*
	 * Something is left before @limit: a descriptor that does not fit.
	 * If it would fit the announced length the transfer cut it;
	 * otherwise the data contradict their own length.
	 */
	if (limit - off >= 4u)
		dl = salua_uds_desc_len(p[off + 3u]);
	else
		dl = SALUA_UDS_DESC_LEN;
	if (announced - off < dl) {
		info->overrun = true;
		info->bad_off = off;
	} else {
		info->truncated = true;
	}
}

SALUA_INLINE void salua__uds_iter(struct salua_referrals_iter *it,
				  const uint8_t *p, size_t off, size_t end)
{
	it->p = p;
	it->off = off;
	it->end = end;
	it->prev_last = 0;
	it->started = false;
}

SALUA_API int salua_referrals_parse(const uint8_t *buf, size_t len,
				    struct salua_referrals_info *info,
				    struct salua_referrals_iter *it)
{
	size_t announced, limit;

	if (!info || (!buf && len))
		return -SALUA_EINVAL;
	memset(info, 0, sizeof(*info));
	info->received = len;
	if (it)
		salua__uds_iter(it, buf, 0, 0);
	if (len < SALUA_REFERRALS_HDR_LEN) {
		info->truncated = true;
		return -SALUA_ETRUNC;
	}
	info->desc_length = salua_get_be16(buf + 2);
	announced = SALUA_REFERRALS_HDR_LEN + (size_t)info->desc_length;
	info->needed = (uint32_t)announced;
	limit = len < announced ? len : announced;
	if (len < announced)
		info->truncated = true;
	salua__uds_count(buf, SALUA_REFERRALS_HDR_LEN, limit, announced, info);
	if (it)
		salua__uds_iter(it, buf, SALUA_REFERRALS_HDR_LEN,
				info->complete_len);
	return 0;
}

SALUA_API int salua_referrals_sense_parse(const struct salua_sense_desc *d,
					  struct salua_referrals_info *info,
					  struct salua_referrals_iter *it)
{
	size_t announced;

	if (!d || !info || (!d->p && d->avail))
		return -SALUA_EINVAL;
	memset(info, 0, sizeof(*info));
	info->received = d->avail;
	if (it)
		salua__uds_iter(it, d->p, 0, 0);
	if (d->avail < 1 || d->type != SALUA_SDESC_UDS_REFERRAL)
		return d->avail ? -SALUA_ENOENT : -SALUA_ETRUNC;
	if (d->avail < SALUA_UDS_SENSE_HDR_LEN) {
		info->truncated = true;
		return -SALUA_ETRUNC;
	}
	if (d->len < SALUA_UDS_SENSE_HDR_LEN)
		return -SALUA_EMALFORMED;
	info->desc_length = (uint16_t)(d->len - SALUA_UDS_SENSE_HDR_LEN);
	info->not_all_r = (d->p[2] & SALUA_UDS_NOT_ALL_R) != 0;
	announced = d->len;
	info->needed = (uint32_t)announced;
	salua__uds_count(d->p, SALUA_UDS_SENSE_HDR_LEN, d->avail, announced,
			 info);
	/* the sense data themselves cut it, or it overruns their length */
	if (d->status == SALUA_SDESC_ST_CUT)
		info->truncated = true;
	else if (d->status == SALUA_SDESC_ST_OVERRUN && !info->overrun) {
		info->overrun = true;
		info->bad_off = info->complete_len;
		info->truncated = false;
	}
	if (it)
		salua__uds_iter(it, d->p, SALUA_UDS_SENSE_HDR_LEN,
				info->complete_len);
	return 0;
}

SALUA_API int salua_referrals_next(struct salua_referrals_iter *it,
				   struct salua_uds_desc *d)
{
	const uint8_t *p;
	size_t dl;
	unsigned i;

	if (!it || !d || !it->p || it->end - it->off < SALUA_UDS_DESC_LEN ||
	    it->off >= it->end)
		return 0;
	p = it->p + it->off;
	dl = salua_uds_desc_len(p[3]);
	if (dl > it->end - it->off)
		return 0;
	d->off = it->off;
	d->ntpg = p[3];
	d->first_lba = salua_get_be64(p + 4);
	d->last_lba = salua_get_be64(p + 12);
	d->tpgs = p + SALUA_UDS_DESC_LEN;
	d->problems = 0;
	if (d->first_lba > d->last_lba)
		d->problems |= SALUA_UDS_P_RANGE;
	if (it->started && d->first_lba <= it->prev_last)
		d->problems |= SALUA_UDS_P_ORDER;
	for (i = 0; i < d->ntpg; i++) {
		unsigned s = d->tpgs[SALUA_UDS_TPG_LEN * i] & SALUA_STATE_MASK;

		if (!salua_state_valid(s) || s == SALUA_STATE_LBA_DEPENDENT)
			d->problems |= SALUA_UDS_P_STATE;
	}
	it->prev_last = d->last_lba;
	it->started = true;
	it->off += dl;
	return 1;
}

/* Validate @segs and return the descriptor bytes they take (or -EINVAL). */
SALUA_INLINE long salua__uds_check(const struct salua_uds_entry *segs,
				   size_t n)
{
	size_t i, total = 0;
	unsigned k;

	if (!segs && n)
		return -SALUA_EINVAL;
	for (i = 0; i < n; i++) {
		if (segs[i].first_lba > segs[i].last_lba ||
		    (!segs[i].tpgs && segs[i].ntpg))
			return -SALUA_EINVAL;
		for (k = 0; k < segs[i].ntpg; k++)
			if (segs[i].tpgs[k].state > SALUA_STATE_MASK)
				return -SALUA_EINVAL;
		total += salua_uds_desc_len(segs[i].ntpg);
		if (total > 0xffffu)
			return -SALUA_EINVAL;
	}
	return (long)total;
}

/* Store @n bytes at @off of an output limited to @cap. */
SALUA_INLINE void salua__uds_put(uint8_t *buf, size_t cap, size_t off,
				 const uint8_t *src, size_t n)
{
	if (off >= cap)
		return;
	if (n > cap - off)
		n = cap - off;
	memcpy(buf + off, src, n);
}

/* Write the descriptors of @segs at @off, clipped at @cap. */
SALUA_INLINE size_t salua__uds_emit(uint8_t *buf, size_t cap, size_t off,
				    const struct salua_uds_entry *segs,
				    size_t n)
{
	uint8_t h[SALUA_UDS_DESC_LEN];
	size_t i;
	unsigned k;

	for (i = 0; i < n; i++) {
		memset(h, 0, sizeof(h));
		h[3] = segs[i].ntpg;
		salua_put_be64(h + 4, segs[i].first_lba);
		salua_put_be64(h + 12, segs[i].last_lba);
		salua__uds_put(buf, cap, off, h, sizeof(h));
		off += SALUA_UDS_DESC_LEN;
		for (k = 0; k < segs[i].ntpg; k++) {
			memset(h, 0, SALUA_UDS_TPG_LEN);
			h[0] = (uint8_t)(segs[i].tpgs[k].state &
					 SALUA_STATE_MASK);
			salua_put_be16(h + 2, segs[i].tpgs[k].tpg_id);
			salua__uds_put(buf, cap, off, h, SALUA_UDS_TPG_LEN);
			off += SALUA_UDS_TPG_LEN;
		}
	}
	return off;
}

SALUA_API int salua_referrals_encoded_len(const struct salua_uds_entry *segs,
					  size_t n)
{
	long t = salua__uds_check(segs, n);

	return t < 0 ? (int)t : (int)(SALUA_REFERRALS_HDR_LEN + (size_t)t);
}

SALUA_API int salua_referrals_encode(uint8_t *buf, size_t alloc_len,
				     const struct salua_uds_entry *segs,
				     size_t n)
{
	uint8_t h[SALUA_REFERRALS_HDR_LEN];
	long t = salua__uds_check(segs, n);
	size_t total, out;

	if (t < 0)
		return (int)t;
	if (!buf && alloc_len)
		return -SALUA_EINVAL;
	total = SALUA_REFERRALS_HDR_LEN + (size_t)t;
	out = alloc_len < total ? alloc_len : total;
	memset(h, 0, sizeof(h));
	salua_put_be16(h + 2, (uint16_t)t);
	salua__uds_put(buf, out, 0, h, sizeof(h));
	salua__uds_emit(buf, out, SALUA_REFERRALS_HDR_LEN, segs, n);
	return (int)out;
}

SALUA_API int salua_referrals_build_sense(uint8_t *buf, size_t cap,
					  uint8_t key, uint8_t asc,
					  uint8_t ascq, bool not_all_r,
					  const struct salua_uds_entry *segs,
					  size_t n)
{
	long t = salua__uds_check(segs, n);
	size_t dlen, total;

	if (t < 0 || !buf || key > SALUA_SENSE_KEY_MASK)
		return -SALUA_EINVAL;
	/* ADDITIONAL LENGTH and ADDITIONAL SENSE LENGTH are one byte each */
	dlen = SALUA_UDS_SENSE_HDR_LEN + (size_t)t;
	if (dlen - 2u > 0xffu || dlen > 0xffu)
		return -SALUA_EINVAL;
	total = SALUA_SENSE_DESC_HDR_LEN + dlen;
	if (cap < total)
		return -SALUA_ENOSPC;
	memset(buf, 0, total);
	buf[0] = SALUA_SENSE_DESC_CURRENT;
	buf[1] = key;
	buf[2] = asc;
	buf[3] = ascq;
	buf[7] = (uint8_t)dlen;
	buf[8] = SALUA_SDESC_UDS_REFERRAL;
	buf[9] = (uint8_t)(dlen - 2u);
	buf[10] = not_all_r ? SALUA_UDS_NOT_ALL_R : 0u;
	salua__uds_emit(buf, total,
			SALUA_SENSE_DESC_HDR_LEN + SALUA_UDS_SENSE_HDR_LEN,
			segs, n);
	return (int)total;
}

SALUA_API int salua_lba_map_init(struct salua_lba_map *m,
				 struct salua_lba_seg *seg, size_t seg_cap,
				 struct salua_uds_tpg *tpg, size_t tpg_cap)
{
	if (!m || (!seg && seg_cap) || (!tpg && tpg_cap))
		return -SALUA_EINVAL;
	memset(m, 0, sizeof(*m));
	m->seg = seg;
	m->seg_cap = seg_cap;
	m->tpg = tpg;
	m->tpg_cap = tpg_cap;
	return 0;
}

SALUA_API int salua_lba_map_load(struct salua_lba_map *m, const uint8_t *buf,
				 size_t len, size_t *nseg, size_t *ntpg)
{
	struct salua_referrals_info info;
	struct salua_referrals_iter it;
	struct salua_uds_desc d;
	size_t ns = 0, nt = 0;
	unsigned k;
	int rc;

	if (!m)
		return -SALUA_EINVAL;
	m->nseg = 0;
	m->ntpg = 0;
	m->not_all_r = false;
	rc = salua_referrals_parse(buf, len, &info, &it);
	if (rc < 0)
		return rc;
	if (info.overrun)
		return -SALUA_EMALFORMED;
	if (info.truncated)
		return -SALUA_ETRUNC;
	/* First pass: validate and count. */
	while (salua_referrals_next(&it, &d) == 1) {
		if (d.problems)
			return -SALUA_EMALFORMED;
		ns++;
		nt += d.ntpg;
	}
	if (nseg)
		*nseg = ns;
	if (ntpg)
		*ntpg = nt;
	if (ns > m->seg_cap || nt > m->tpg_cap)
		return -SALUA_ENOSPC;
	salua_referrals_parse(buf, len, &info, &it);
	while (salua_referrals_next(&it, &d) == 1) {
		struct salua_lba_seg *s = &m->seg[m->nseg++];

		s->first = d.first_lba;
		s->last = d.last_lba;
		s->tpg = (uint32_t)m->ntpg;
		s->ntpg = d.ntpg;
		for (k = 0; k < d.ntpg; k++) {
			struct salua_uds_tpg *g = &m->tpg[m->ntpg++];

			salua_uds_desc_tpg(&d, k, &g->state, &g->tpg_id);
		}
	}
	return (int)m->nseg;
}

SALUA_API long salua_lba_map_find(const struct salua_lba_map *m,
				  uint64_t lba)
{
	size_t lo = 0, hi;

	if (!m || !m->seg)
		return -SALUA_ENOENT;
	hi = m->nseg;
	while (lo < hi) {
		size_t mid = lo + ((hi - lo) >> 1);

		if (m->seg[mid].last < lba)
			lo = mid + 1u;
		else
			hi = mid;
	}
	if (lo < m->nseg && m->seg[lo].first <= lba)
		return (long)lo;
	return -SALUA_ENOENT;
}

/* State of @tpg_id in segment @i, or -ENOENT. */
SALUA_INLINE int salua__lba_seg_state(const struct salua_lba_map *m,
				      size_t i, uint16_t tpg_id)
{
	const struct salua_lba_seg *s = &m->seg[i];
	unsigned k;

	for (k = 0; k < s->ntpg; k++)
		if (m->tpg[s->tpg + k].tpg_id == tpg_id)
			return m->tpg[s->tpg + k].state;
	return -SALUA_ENOENT;
}

SALUA_API int salua_lba_map_seg_state(const struct salua_lba_map *m,
				      long seg, uint16_t tpg_id)
{
	if (!m || seg < 0 || (size_t)seg >= m->nseg)
		return -SALUA_EINVAL;
	return salua__lba_seg_state(m, (size_t)seg, tpg_id);
}

SALUA_API int salua_lba_map_state(const struct salua_lba_map *m, uint64_t lba,
				  uint16_t tpg_id)
{
	long i = salua_lba_map_find(m, lba);

	return i < 0 ? (int)i : salua__lba_seg_state(m, (size_t)i, tpg_id);
}

/* Rank for "least accessible": higher is worse. */
SALUA_INLINE unsigned salua__lba_badness(unsigned s)
{
	switch (s) {
	case SALUA_STATE_AO: return 0;
	case SALUA_STATE_ANO: return 1;
	case SALUA_STATE_TRANSITIONING: return 2;
	case SALUA_STATE_STANDBY: return 3;
	default: return 4; /* unavailable, offline, reserved, unknown */
	}
}

SALUA_API int salua_lba_map_range_state(const struct salua_lba_map *m,
					uint64_t lba, uint64_t nblocks,
					uint16_t tpg_id, long *seg)
{
	uint64_t last, cur;
	unsigned worst = 0, b;
	int st = SALUA_STATE_AO, s;
	long i, at = -1;

	if (seg)
		*seg = -1;
	if (!m)
		return -SALUA_EINVAL;
	if (nblocks == 0)
		nblocks = 1;
	if (nblocks - 1u > ~(uint64_t)0 - lba)
		return -SALUA_EINVAL;
	last = lba + (nblocks - 1u);
	cur = lba;
	for (;;) {
		i = salua_lba_map_find(m, cur);
		if (i < 0) {
			/* no segment holds @cur: unavailable (as LIO) */
			if (seg)
				*seg = -1;
			return SALUA_STATE_UNAVAILABLE;
		}
		s = salua__lba_seg_state(m, (size_t)i, tpg_id);
		if (s < 0)
			s = SALUA_STATE_UNAVAILABLE;
		b = salua__lba_badness((unsigned)s);
		if (at < 0 || b > worst) {
			worst = b;
			st = s;
			at = i;
		}
		if (m->seg[i].last >= last || worst == 4u)
			break;
		cur = m->seg[i].last + 1u;
	}
	if (seg)
		*seg = at;
	return st;
}

SALUA_END_DECLS
#endif
