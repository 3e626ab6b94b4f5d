/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/target.h - the target side's access-state gate: which commands a
 * target port in each asymmetric access state lets through (SPC-5 §5.16.2,
 * primary and secondary target port asymmetric access states; the logical
 * block dependent state through the user data segments of referrals.h).
 *
 * A device server calls salua_target_gate() before running a command
 * received through a port; a non-zero answer is the ASC/ASCQ of the CHECK
 * CONDITION, sense key NOT READY, it returns instead.
 */
#ifndef SALUA_TARGET_H
#define SALUA_TARGET_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"
#include "cdb.h"
#include "referrals.h"

SALUA_BEGIN_DECLS

/**
 * struct salua_gate_lba - what the logical block dependent state needs.
 * @map: the logical unit's user data segments (salua_lba_map_load(), or
 *	filled by the target itself); NULL: no map, every block is served.
 * @tpg_id: the target port group of the port the command came through.
 */
struct salua_gate_lba {
	const struct salua_lba_map *map;
	uint16_t tpg_id;
};

/**
 * salua_target_gate() - may a command run on a port in a given state?
 * @state: the port's asymmetric access state (bits above the nibble are
 *	ignored, so an RTPG descriptor byte 0 may be passed).
 * @cdb: the CDB as received.
 * @cdb_len: its length.
 * @lba: for the LBA dependent state, the map and the port's group; may be
 *	NULL (then that state lets everything through).
 * @seg: out, optional: for an LBA dependent refusal, the index in
 *	@lba->map of the segment that decided it (-1 when the blocks lie in
 *	no segment), so the target can add a user data segment referral
 *	descriptor (salua_referrals_build_sense()); -1 otherwise.
 *
 * The table (SPC-5 §5.16.2.4.2 to §5.16.2.4.7; "buffer" means READ BUFFER
 * and WRITE BUFFER in an echo buffer mode, MODE 0Ah, and READ BUFFER's echo
 * buffer descriptor mode 0Bh):
 *
 * ============== ========================================== ==========
 * state          allowed                                    otherwise
 * ============== ========================================== ==========
 * active/opt.    every command                              -
 * active/non-opt every command                              -
 * standby        INQUIRY, LOG SELECT, LOG SENSE, MODE        NOT READY
 *                SELECT(6/10), MODE SENSE(6/10), REPORT      04/0B
 *                LUNS, RECEIVE DIAGNOSTIC RESULTS, SEND
 *                DIAGNOSTIC, REPORT TARGET PORT GROUPS, SET
 *                TARGET PORT GROUPS, REQUEST SENSE,
 *                PERSISTENT RESERVE IN/OUT, buffer; and for
 *                block devices (SBC-4) READ CAPACITY(10/16)
 *                and REPORT REFERRALS
 * unavailable    INQUIRY, REPORT LUNS, REPORT TARGET PORT    NOT READY
 *                GROUPS, SET TARGET PORT GROUPS, REQUEST     04/0C
 *                SENSE, buffer, REPORT REFERRALS
 * transitioning  INQUIRY, REPORT LUNS, REPORT TARGET PORT    NOT READY
 *                GROUPS, REQUEST SENSE, buffer, REPORT       04/0A
 *                REFERRALS
 * offline        nothing (a secondary state of the port)     NOT READY
 *                                                            04/12
 * LBA dependent  every command that addresses no block       per range:
 *                (salua_cdb_lba_range()); a block command     S 04/0B,
 *                when the port's group is active/optimized    U 04/0C,
 *                or active/non-optimized for every block it   T 04/0A
 *                addresses
 * reserved       nothing                                    NOT READY
 *                                                            04/00
 * ============== ========================================== ==========
 *
 * Where LIO differs: it lets READ BUFFER and WRITE BUFFER through in every
 * mode, not REPORT REFERRALS in standby, unavailable or transitioning, and
 * refuses every command of a reserved state with INVALID FIELD IN CDB
 * (docs/differences-target.md).  In the LBA dependent state a block that
 * no segment holds counts as unavailable, as in LIO; so does a segment
 * that does not list the port's group, and a group transitioning for a
 * segment answers 04/0A (LIO lets both through).  A CDB too short to know the command (an empty
 * one, or a block command cut before its LBA) is left to the command's
 * own parser: 0.
 *
 * Context: any; pure.
 * Return: 0 when the command may run; else SALUA_ASCQ() of the NOT READY
 * answer: SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION, _STANDBY, _UNAVAILABLE,
 * SALUA_ASC_LU_NOT_READY_OFFLINE or
 * SALUA_ASC_LU_NOT_READY_CAUSE_NOT_REPORTABLE.
 */
SALUA_API uint16_t salua_target_gate(uint8_t state, const uint8_t *cdb,
				     size_t cdb_len,
				     const struct salua_gate_lba *lba,
				     long *seg);

SALUA_END_DECLS

#endif /* SALUA_TARGET_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_TARGET_IMPL_DONE)
#define SALUA_TARGET_IMPL_DONE
SALUA_BEGIN_DECLS

/* Service action of a CDB of the given opcode, or 0xff if too short. */
SALUA_INLINE unsigned salua__gate_sa(const uint8_t *cdb, size_t len)
{
	return len > 1 ? (unsigned)(cdb[1] & SALUA_SA_MASK) : 0xffu;
}

/* READ BUFFER / WRITE BUFFER in an echo buffer mode. */
SALUA_INLINE bool salua__gate_echo(const uint8_t *cdb, size_t len)
{
	unsigned mode = salua__gate_sa(cdb, len) & SALUA_BUFFER_MODE_MASK;

	if (len < 2)
		return false;
	if (mode == SALUA_BUFFER_MODE_ECHO)
		return true;
	return cdb[0] == SALUA_OP_READ_BUFFER &&
	       mode == SALUA_BUFFER_MODE_ECHO_DESC;
}

/* Bits of the commands the table names (one per row entry). */
#define SALUA__G_INQUIRY 0x0001u
#define SALUA__G_REPORT_LUNS 0x0002u
#define SALUA__G_RTPG 0x0004u
#define SALUA__G_STPG 0x0008u
#define SALUA__G_REQUEST_SENSE 0x0010u
#define SALUA__G_BUFFER 0x0020u
#define SALUA__G_REFERRALS 0x0040u
#define SALUA__G_LOG 0x0080u
#define SALUA__G_MODE 0x0100u
#define SALUA__G_DIAG 0x0200u
#define SALUA__G_PR 0x0400u
#define SALUA__G_READ_CAPACITY 0x0800u

/* The table's class of @cdb: one SALUA__G_* bit, 0 for anything else. */
SALUA_INLINE unsigned salua__gate_class(const uint8_t *cdb, size_t len)
{
	switch (cdb[0]) {
	case SALUA_OP_INQUIRY: return SALUA__G_INQUIRY;
	case SALUA_OP_REPORT_LUNS: return SALUA__G_REPORT_LUNS;
	case SALUA_OP_REQUEST_SENSE: return SALUA__G_REQUEST_SENSE;
	case SALUA_OP_LOG_SELECT:
	case SALUA_OP_LOG_SENSE: return SALUA__G_LOG;
	case SALUA_OP_MODE_SELECT6:
	case SALUA_OP_MODE_SENSE6:
	case SALUA_OP_MODE_SELECT10:
	case SALUA_OP_MODE_SENSE10: return SALUA__G_MODE;
	case SALUA_OP_RECEIVE_DIAGNOSTIC:
	case SALUA_OP_SEND_DIAGNOSTIC: return SALUA__G_DIAG;
	case SALUA_OP_PR_IN:
	case SALUA_OP_PR_OUT: return SALUA__G_PR;
	case SALUA_OP_READ_CAPACITY10: return SALUA__G_READ_CAPACITY;
	case SALUA_OP_READ_BUFFER:
	case SALUA_OP_WRITE_BUFFER:
		return salua__gate_echo(cdb, len) ? SALUA__G_BUFFER : 0u;
	case SALUA_OP_MAINTENANCE_IN:
		return salua__gate_sa(cdb, len) == SALUA_SA_REPORT_TPGS ?
			       SALUA__G_RTPG : 0u;
	case SALUA_OP_MAINTENANCE_OUT:
		return salua__gate_sa(cdb, len) == SALUA_SA_SET_TPGS ?
			       SALUA__G_STPG : 0u;
	case SALUA_OP_SERVICE_ACTION_IN16:
		switch (salua__gate_sa(cdb, len)) {
		case SALUA_SAI_READ_CAPACITY16: return SALUA__G_READ_CAPACITY;
		case SALUA_SAI_REPORT_REFERRALS: return SALUA__G_REFERRALS;
		default: return 0u;
		}
	default:
		return 0u;
	}
}

#define SALUA__G_TRANSITIONING                                                 \
	(SALUA__G_INQUIRY | SALUA__G_REPORT_LUNS | SALUA__G_RTPG |            \
	 SALUA__G_REQUEST_SENSE | SALUA__G_BUFFER | SALUA__G_REFERRALS)
#define SALUA__G_UNAVAILABLE (SALUA__G_TRANSITIONING | SALUA__G_STPG)
#define SALUA__G_STANDBY                                                       \
	(SALUA__G_UNAVAILABLE | SALUA__G_LOG | SALUA__G_MODE |                \
	 SALUA__G_DIAG | SALUA__G_PR | SALUA__G_READ_CAPACITY)

/* LBA dependent: the block command's range against the segments. */
SALUA_INLINE uint16_t salua__gate_lbd(const uint8_t *cdb, size_t len,
				      const struct salua_gate_lba *lba,
				      long *seg)
{
	uint64_t first;
	uint32_t n;
	int st;

	if (!lba || !lba->map || salua_cdb_lba_range(cdb, len, &first, &n) != 1)
		return 0;
	st = salua_lba_map_range_state(lba->map, first, n, lba->tpg_id, seg);
	switch (st) {
	case SALUA_STATE_AO:
	case SALUA_STATE_ANO:
		if (seg)
			*seg = -1;
		return 0;
	case SALUA_STATE_STANDBY:
		return SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY;
	case SALUA_STATE_TRANSITIONING:
		return SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION;
	default:
		return SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE;
	}
}

SALUA_API uint16_t salua_target_gate(uint8_t state, const uint8_t *cdb,
				     size_t cdb_len,
				     const struct salua_gate_lba *lba,
				     long *seg)
{
	unsigned cls;

	if (seg)
		*seg = -1;
	if (!cdb || !cdb_len)
		return 0;
	cls = salua__gate_class(cdb, cdb_len);
	switch (state & SALUA_STATE_MASK) {
	case SALUA_STATE_AO:
	case SALUA_STATE_ANO:
		return 0;
	case SALUA_STATE_LBA_DEPENDENT:
		return salua__gate_lbd(cdb, cdb_len, lba, seg);
	case SALUA_STATE_STANDBY:
		return (cls & SALUA__G_STANDBY) ?
			       0u : SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY;
	case SALUA_STATE_UNAVAILABLE:
		return (cls & SALUA__G_UNAVAILABLE) ?
			       0u : SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE;
	case SALUA_STATE_TRANSITIONING:
		return (cls & SALUA__G_TRANSITIONING) ?
			       0u : SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION;
	case SALUA_STATE_OFFLINE:
		return SALUA_ASC_LU_NOT_READY_OFFLINE;
	default:
		return SALUA_ASC_LU_NOT_READY_CAUSE_NOT_REPORTABLE;
	}
}

SALUA_END_DECLS
#endif
