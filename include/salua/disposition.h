/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/disposition.h - what to do with a command that came back with a
 * non-GOOD status: ordinary I/O (the check_sense side of a multipath
 * driver), the engine's own RTPG / STPG / TEST UNIT READY, and the prep
 * decision for a path in a given access state (SPC-5 §5.16.2).
 *
 * All functions here are pure: no state, no I/O.  They take sense already
 * reduced by salua_sense_normalize() (sense.h).
 */
#ifndef SALUA_DISPOSITION_H
#define SALUA_DISPOSITION_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "sense.h"

SALUA_BEGIN_DECLS

/**
 * enum salua_disposition - what the caller does with an ordinary command.
 * @SALUA_DISP_NOT_HANDLED: ALUA has no opinion; use the normal error
 *	handling (Linux SCSI_RETURN_NOT_HANDLED).  Also returned for GOOD.
 * @SALUA_DISP_RETRY: retry on the same path at once; counts as a retry
 *	(NEEDS_RETRY).
 * @SALUA_DISP_DELAYED_RETRY: the LU is in an ALUA transition: retry on the
 *	same path after the prep delay (salua_prep_config.retry_delay_ms,
 *	1000 ms by default as Linux's ALUA_TRANSITION_REPREP_DELAY).  Not a
 *	path failure (SPC-5 §5.16.2.6).
 * @SALUA_DISP_REQUEUE: requeue without counting a retry; the condition
 *	(a unit attention, a busy target) is already gone or will clear by
 *	itself (ADD_TO_MLQUEUE).
 * @SALUA_DISP_FAILOVER: this path cannot serve the command (its port group
 *	is standby, unavailable or offline): send it down another path.
 * @SALUA_DISP_FAIL: fail the command.  Not produced by the tables below
 *	(they leave real errors to the caller); reserved for callers that map
 *	their own errors into this enum.
 */
enum salua_disposition {
	SALUA_DISP_NOT_HANDLED = 0,
	SALUA_DISP_RETRY = 1,
	SALUA_DISP_DELAYED_RETRY = 2,
	SALUA_DISP_REQUEUE = 3,
	SALUA_DISP_FAILOVER = 4,
	SALUA_DISP_FAIL = 5
};

/*
 * Action bits of struct salua_verdict.  SALUA_ACT_TRANSITIONING: mark the
 * path's port group TRANSITIONING and make sure an RTPG is on its way (a
 * poll already scheduled is enough).  SALUA_ACT_RESCAN: run a fresh RTPG
 * (forced; coalesced by the engine).  SALUA_ACT_PATH_STATE: the sense
 * itself names the access state of the path's group (@state is valid).
 * SALUA_ACT_DISCONNECTED: this path no longer reaches the logical unit
 * (LOGICAL UNIT NOT SUPPORTED: the LU was unmapped from this port, SPC-5
 * §4.5.4 / Table 50): take the path out of service until a path checker
 * finds the LU through it again (multipath-tools' PATH_DISCONNECTED).
 */
#define SALUA_ACT_TRANSITIONING 0x01u
#define SALUA_ACT_RESCAN 0x02u
#define SALUA_ACT_PATH_STATE 0x04u
#define SALUA_ACT_DISCONNECTED 0x08u

/**
 * struct salua_verdict - disposition of one completed ordinary command.
 * @disp: enum salua_disposition.
 * @actions: SALUA_ACT_* bits for the per-LU engine (salua_engine_sense()).
 * @state: with SALUA_ACT_PATH_STATE, the access state the sense implies
 *	for the path's group (T for 04/0A, S for 04/0B, U for 04/0C, O for
 *	04/12); 0 otherwise.
 * @sense: SALUA_VSENSE_* bits: what the decision knew of the sense.
 *	salua_io_disposition() leaves it 0 (its caller holds the normalized
 *	sense); salua_engine_sense(), which gets the raw bytes, fills it.
 */
struct salua_verdict {
	enum salua_disposition disp;
	uint8_t actions;
	uint8_t state;
	uint8_t sense;
};

/*
 * struct salua_verdict @sense bits.  TRUNCATED: the sense data arrived cut
 * (fewer bytes than 8 + ADDITIONAL SENSE LENGTH, or not even the header),
 * so fields the decision looks at may be missing (then it says
 * NOT_HANDLED); a caller may fetch the rest with REQUEST SENSE.  INVALID:
 * sense bytes were given but are not sense data (response code outside
 * 0x70..0x73) and were ignored.
 */
#define SALUA_VSENSE_TRUNCATED 0x01u
#define SALUA_VSENSE_INVALID 0x02u

/**
 * salua_io_disposition() - disposition of an ordinary (non-ALUA) command.
 * @status: SCSI status byte (SAM-6 §5.3.1).
 * @sense: normalized sense for CHECK CONDITION, or NULL when none arrived.
 *
 * Covers Linux's alua_check_sense table (04/0A under NOT READY and UNIT
 * ATTENTION; UA 29/00, 29/04, 2A/01, 2A/06, 2A/07, 3F/03, 3F/0E), plus:
 * UA 29/01..29/03 (power on, bus reset, device reset: a reset may hide a
 * transition, as for 29/00) → REQUEUE + RESCAN; NOT READY 04/0B, 04/0C,
 * 04/12 (this port is standby / unavailable / offline, SPC-5 §5.16.2.4-7)
 * → FAILOVER + RESCAN + PATH_STATE; ILLEGAL REQUEST 25/00 (LOGICAL UNIT
 * NOT SUPPORTED: the LU is gone from this port, not from the array) →
 * FAILOVER + DISCONNECTED; status BUSY and TASK SET FULL → REQUEUE.
 * Deferred sense is never acted on.
 *
 * Context: any; pure.
 * Return: the verdict; {NOT_HANDLED, 0, 0} for anything else, GOOD included.
 */
SALUA_API struct salua_verdict
salua_io_disposition(uint8_t status, const struct salua_sense *sense);

/**
 * enum salua_cmd_kind - the engine's own commands.
 * @SALUA_CMD_RTPG: REPORT TARGET PORT GROUPS (SPC-5 §6.36).
 * @SALUA_CMD_STPG: SET TARGET PORT GROUPS (SPC-5 §6.49).
 * @SALUA_CMD_TUR: TEST UNIT READY (SPC-5 §6.47), the pre-check while a
 *	group is transitioning.
 */
enum salua_cmd_kind {
	SALUA_CMD_RTPG = 0,
	SALUA_CMD_STPG = 1,
	SALUA_CMD_TUR = 2
};

/**
 * enum salua_cmd_verdict - what the engine does after one of its commands.
 * @SALUA_CV_DONE: use the result (GOOD, CONDITION MET, RECOVERED ERROR; for
 *	TUR anything that is not a transition: go on to the RTPG).
 * @SALUA_CV_EXT_FALLBACK: RTPG with the extended header refused with
 *	ILLEGAL REQUEST (any ASC: some arrays answer ASC 00): re-issue with
 *	the classic header and remember.
 * @SALUA_CV_TRANSITIONING: 04/0A (NOT READY or UNIT ATTENTION): the path's
 *	group is transitioning; do not parse data.
 * @SALUA_CV_RETRY: retry on the same path at once (UNIT ATTENTION,
 *	ABORTED COMMAND), bounded.
 * @SALUA_CV_RETRY_DELAYED: retry on the same path after a short delay
 *	(BUSY, TASK SET FULL, NOT READY 04/01 becoming ready), bounded.
 * @SALUA_CV_SIBLING: this path cannot answer (other NOT READY, e.g. a port
 *	that refuses RTPG in standby; ILLEGAL REQUEST 25/00, the LU is not
 *	mapped to this port): try another path of the LU.
 * @SALUA_CV_FAIL: give up this run.
 */
enum salua_cmd_verdict {
	SALUA_CV_DONE = 0,
	SALUA_CV_EXT_FALLBACK = 1,
	SALUA_CV_TRANSITIONING = 2,
	SALUA_CV_RETRY = 3,
	SALUA_CV_RETRY_DELAYED = 4,
	SALUA_CV_SIBLING = 5,
	SALUA_CV_FAIL = 6
};

/**
 * salua_cmd_disposition() - disposition of the engine's RTPG/STPG/TUR.
 * @kind: which command.
 * @ext: for RTPG: the extended header was requested (CDB byte 1 PARAMETER
 *	DATA FORMAT 001b); ignored otherwise.
 * @status: SCSI status byte.
 * @sense: normalized sense, or NULL.
 *
 * Separate from salua_io_disposition() because the same sense means other
 * things here: ILLEGAL REQUEST on an extended-header RTPG is a format
 * fallback, a UNIT ATTENTION on RTPG is simply retried (the UA is consumed
 * by that command), and a TUR only asks "still transitioning?".
 *
 * Context: any; pure.
 * Return: an enum salua_cmd_verdict.
 */
SALUA_API enum salua_cmd_verdict
salua_cmd_disposition(enum salua_cmd_kind kind, bool ext, uint8_t status,
		      const struct salua_sense *sense);

/**
 * enum salua_path_check - what a path checker's TEST UNIT READY says about
 *	the path (multipath-tools' tur checker states).
 * @SALUA_PC_UP: the LU answers through this path (GOOD, RESERVATION
 *	CONFLICT, BUSY, any other sense not listed below).
 * @SALUA_PC_GHOST: NOT READY 04/0B, 04/0C or 04/12: reachable, its group is
 *	standby / unavailable / offline (PATH_GHOST).
 * @SALUA_PC_TRANSITIONING: NOT READY or UNIT ATTENTION 04/0A
 *	(PATH_PENDING "transitioning", multipath-tools 0.9.5).
 * @SALUA_PC_RETRY: UNIT ATTENTION other than 04/0A: send the TUR again
 *	(the UA is consumed).
 * @SALUA_PC_DOWN: another NOT READY, or a MEDIUM / HARDWARE ERROR.
 * @SALUA_PC_DISCONNECTED: ILLEGAL REQUEST 25/00: the LU is not mapped to
 *	this port (PATH_DISCONNECTED).
 */
enum salua_path_check {
	SALUA_PC_UP = 0,
	SALUA_PC_GHOST = 1,
	SALUA_PC_TRANSITIONING = 2,
	SALUA_PC_RETRY = 3,
	SALUA_PC_DOWN = 4,
	SALUA_PC_DISCONNECTED = 5
};

/**
 * salua_tur_disposition() - judge a path by its TEST UNIT READY.
 * @status: SCSI status of the TUR (it was delivered: a transport failure
 *	or timeout is the caller's "down").
 * @sense: normalized sense, or NULL.
 *
 * Deferred sense is not about this command and counts as UP.
 *
 * Context: any; pure.
 * Return: an enum salua_path_check.
 */
SALUA_API enum salua_path_check
salua_tur_disposition(uint8_t status, const struct salua_sense *sense);

/**
 * enum salua_prep - may an I/O go down a path now?
 * @SALUA_PREP_ALLOW: send it.
 * @SALUA_PREP_DELAY: hold it for the delay returned, then ask again.
 * @SALUA_PREP_FAIL_FAST: do not send it on this path (fail it quietly so
 *	the multipath layer picks another path).
 */
enum salua_prep {
	SALUA_PREP_ALLOW = 0,
	SALUA_PREP_DELAY = 1,
	SALUA_PREP_FAIL_FAST = 2
};

/**
 * struct salua_prep_config - prep and retry policy.
 * @retry_delay_ms: delay for SALUA_DISP_DELAYED_RETRY and for
 *	SALUA_PREP_DELAY (default 1000 ms).
 * @hold_transitioning: false (default, Linux since 2022): I/O goes to a
 *	TRANSITIONING path and a 04/0A answer is retried after
 *	@retry_delay_ms; true: hold I/O for @retry_delay_ms before sending.
 * @allow_standby: true lets I/O through on STANDBY and UNAVAILABLE paths
 *	(arrays that serve some I/O there); default false, fail fast.
 */
struct salua_prep_config {
	uint32_t retry_delay_ms;
	bool hold_transitioning;
	bool allow_standby;
};

#define SALUA_PREP_DEFAULT_DELAY_MS 1000u

/**
 * salua_prep_config_default() - fill @c with the defaults above.
 * @c: config to fill.
 *
 * Context: any.
 */
SALUA_INLINE void salua_prep_config_default(struct salua_prep_config *c)
{
	c->retry_delay_ms = SALUA_PREP_DEFAULT_DELAY_MS;
	c->hold_transitioning = false;
	c->allow_standby = false;
}

/**
 * salua_prep_decide() - prep decision for an I/O on a path.
 * @state: the path's access state (PREF and reserved bits ignored).
 * @cfg: policy, or NULL for the defaults.
 * @delay_ms: out, optional: the delay when SALUA_PREP_DELAY is returned,
 *	else 0.
 *
 * AO, ANO and LBA-dependent allow (the device server checks LBA-dependent
 * per block); TRANSITIONING allows (or delays with @hold_transitioning);
 * STANDBY, UNAVAILABLE, OFFLINE and reserved values fail fast (SPC-5
 * §5.16.2.4-8).
 *
 * Context: any; pure.
 * Return: an enum salua_prep.
 */
SALUA_API enum salua_prep salua_prep_decide(uint8_t state,
					    const struct salua_prep_config *cfg,
					    uint32_t *delay_ms);

#if !defined(SALUA_NO_STRINGS)
/**
 * salua_disposition_name() - stable token for a disposition.
 * @d: an enum salua_disposition.
 *
 * Return: "not-handled", "retry", "delayed-retry", "requeue", "failover",
 * "fail", or "?".
 */
SALUA_API const char *salua_disposition_name(enum salua_disposition d);
#endif

SALUA_END_DECLS

#endif /* SALUA_DISPOSITION_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_DISPOSITION_IMPL_DONE)
#define SALUA_DISPOSITION_IMPL_DONE

SALUA_BEGIN_DECLS

SALUA_INLINE struct salua_verdict salua__verdict(enum salua_disposition d,
						 unsigned actions,
						 unsigned state)
{
	struct salua_verdict v;

	v.disp = d;
	v.actions = (uint8_t)actions;
	v.state = (uint8_t)state;
	v.sense = 0;
	return v;
}

/* ASC and ASCQ bytes of a SALUA_ASC_* constant (asc << 8 | ascq). */
#define SALUA__ASC_OF(x) ((x) >> 8)
#define SALUA__ASCQ_OF(x) ((x) & 0xffu)

SALUA_STATIC_ASSERT(SALUA__ASC_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY) ==
			    SALUA__ASC_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION) &&
		    SALUA__ASC_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE) ==
			    SALUA__ASC_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION) &&
		    SALUA__ASC_OF(SALUA_ASC_LU_NOT_READY_OFFLINE) ==
			    SALUA__ASC_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION),
		    disp_asc_04);
SALUA_STATIC_ASSERT(SALUA__ASC_OF(SALUA_ASC_DEVICE_INTERNAL_RESET) ==
			    SALUA__ASC_OF(SALUA_ASC_POWER_ON_RESET) &&
		    SALUA__ASC_OF(SALUA_ASC_MODE_PARAMETERS_CHANGED) ==
			    SALUA__ASC_OF(SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED) &&
		    SALUA__ASC_OF(SALUA_ASC_IMPLICIT_TRANSITION_FAILED) ==
			    SALUA__ASC_OF(SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED) &&
		    SALUA__ASC_OF(SALUA_ASC_REPORTED_LUNS_CHANGED) ==
			    SALUA__ASC_OF(SALUA_ASC_INQUIRY_DATA_CHANGED),
		    disp_asc_groups);

SALUA_API struct salua_verdict
salua_io_disposition(uint8_t status, const struct salua_sense *sense)
{
	uint8_t asc, ascq;

	switch (status) {
	case SALUA_STATUS_BUSY:
	case SALUA_STATUS_TASK_SET_FULL:
		return salua__verdict(SALUA_DISP_REQUEUE, 0, 0);
	case SALUA_STATUS_CHECK_CONDITION:
		break;
	default:
		return salua__verdict(SALUA_DISP_NOT_HANDLED, 0, 0);
	}
	if (!sense || sense->deferred || !sense->has_asc)
		return salua__verdict(SALUA_DISP_NOT_HANDLED, 0, 0);
	/*
	 * ASC, then ASCQ, one byte each: reading the two bytes as one 16-bit
	 * value just after salua_sense_normalize() stored them one by one
	 * defeats store-to-load forwarding on x86 (about 3 ns a call).
	 */
	asc = sense->asc;
	ascq = sense->ascq;
	if (sense->key == SALUA_SK_ILLEGAL_REQUEST) {
		if (asc == SALUA__ASC_OF(SALUA_ASC_LU_NOT_SUPPORTED) &&
		    ascq == SALUA__ASCQ_OF(SALUA_ASC_LU_NOT_SUPPORTED))
			return salua__verdict(SALUA_DISP_FAILOVER,
					      SALUA_ACT_DISCONNECTED, 0);
		return salua__verdict(SALUA_DISP_NOT_HANDLED, 0, 0);
	}
	if (sense->key == SALUA_SK_NOT_READY) {
		if (asc != SALUA__ASC_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION))
			return salua__verdict(SALUA_DISP_NOT_HANDLED, 0, 0);
		switch (ascq) {
		case SALUA__ASCQ_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION):
			return salua__verdict(SALUA_DISP_DELAYED_RETRY,
					      SALUA_ACT_TRANSITIONING |
						      SALUA_ACT_PATH_STATE,
					      SALUA_STATE_TRANSITIONING);
		case SALUA__ASCQ_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY):
			return salua__verdict(SALUA_DISP_FAILOVER,
					      SALUA_ACT_RESCAN |
						      SALUA_ACT_PATH_STATE,
					      SALUA_STATE_STANDBY);
		case SALUA__ASCQ_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE):
			return salua__verdict(SALUA_DISP_FAILOVER,
					      SALUA_ACT_RESCAN |
						      SALUA_ACT_PATH_STATE,
					      SALUA_STATE_UNAVAILABLE);
		case SALUA__ASCQ_OF(SALUA_ASC_LU_NOT_READY_OFFLINE):
			return salua__verdict(SALUA_DISP_FAILOVER,
					      SALUA_ACT_RESCAN |
						      SALUA_ACT_PATH_STATE,
					      SALUA_STATE_OFFLINE);
		default:
			return salua__verdict(SALUA_DISP_NOT_HANDLED, 0, 0);
		}
	}
	if (sense->key != SALUA_SK_UNIT_ATTENTION)
		return salua__verdict(SALUA_DISP_NOT_HANDLED, 0, 0);
	switch (asc) {
	case SALUA__ASC_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION):
		/* Linux 2024 (04/0A as a UA): same as under NOT READY. */
		if (ascq == SALUA__ASCQ_OF(SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION))
			return salua__verdict(SALUA_DISP_DELAYED_RETRY,
					      SALUA_ACT_TRANSITIONING |
						      SALUA_ACT_PATH_STATE,
					      SALUA_STATE_TRANSITIONING);
		break;
	case SALUA__ASC_OF(SALUA_ASC_POWER_ON_RESET):
		switch (ascq) {
		case SALUA__ASCQ_OF(SALUA_ASC_POWER_ON_RESET):
		case 0x01u: /* power on occurred */
		case 0x02u: /* SCSI bus reset occurred */
		case 0x03u: /* bus device reset function occurred */
			return salua__verdict(SALUA_DISP_REQUEUE,
					      SALUA_ACT_RESCAN, 0);
		case SALUA__ASCQ_OF(SALUA_ASC_DEVICE_INTERNAL_RESET):
			return salua__verdict(SALUA_DISP_REQUEUE, 0, 0);
		default:
			break;
		}
		break;
	case SALUA__ASC_OF(SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED):
		switch (ascq) {
		case SALUA__ASCQ_OF(SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED):
		case SALUA__ASCQ_OF(SALUA_ASC_IMPLICIT_TRANSITION_FAILED):
			return salua__verdict(SALUA_DISP_REQUEUE,
					      SALUA_ACT_RESCAN, 0);
		case SALUA__ASCQ_OF(SALUA_ASC_MODE_PARAMETERS_CHANGED):
			return salua__verdict(SALUA_DISP_REQUEUE, 0, 0);
		default:
			break;
		}
		break;
	case SALUA__ASC_OF(SALUA_ASC_INQUIRY_DATA_CHANGED):
		if (ascq == SALUA__ASCQ_OF(SALUA_ASC_INQUIRY_DATA_CHANGED) ||
		    ascq == SALUA__ASCQ_OF(SALUA_ASC_REPORTED_LUNS_CHANGED))
			return salua__verdict(SALUA_DISP_REQUEUE, 0, 0);
		break;
	default:
		break;
	}
	return salua__verdict(SALUA_DISP_NOT_HANDLED, 0, 0);
}

SALUA_API enum salua_cmd_verdict
salua_cmd_disposition(enum salua_cmd_kind kind, bool ext, uint8_t status,
		      const struct salua_sense *sense)
{
	uint16_t asc;

	switch (status) {
	case SALUA_STATUS_GOOD:
	case SALUA_STATUS_CONDITION_MET:
		return SALUA_CV_DONE;
	case SALUA_STATUS_BUSY:
	case SALUA_STATUS_TASK_SET_FULL:
		return kind == SALUA_CMD_TUR ? SALUA_CV_DONE
					     : SALUA_CV_RETRY_DELAYED;
	case SALUA_STATUS_CHECK_CONDITION:
		break;
	default:
		return kind == SALUA_CMD_TUR ? SALUA_CV_DONE : SALUA_CV_FAIL;
	}
	if (!sense)
		return kind == SALUA_CMD_TUR ? SALUA_CV_DONE : SALUA_CV_FAIL;
	asc = salua_sense_asc(sense);
	/* The LU is gone from this port: no format fallback, ask another. */
	if (sense->key == SALUA_SK_ILLEGAL_REQUEST &&
	    asc == SALUA_ASC_LU_NOT_SUPPORTED && kind != SALUA_CMD_TUR)
		return SALUA_CV_SIBLING;
	if ((sense->key == SALUA_SK_NOT_READY ||
	     sense->key == SALUA_SK_UNIT_ATTENTION) &&
	    asc == SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION)
		return SALUA_CV_TRANSITIONING;
	/* TUR only asks "still transitioning?"; the RTPG tells the rest. */
	if (kind == SALUA_CMD_TUR)
		return SALUA_CV_DONE;
	switch (sense->key) {
	case SALUA_SK_NO_SENSE:
	case SALUA_SK_RECOVERED_ERROR:
		return SALUA_CV_DONE;
	case SALUA_SK_ILLEGAL_REQUEST:
		return kind == SALUA_CMD_RTPG && ext ? SALUA_CV_EXT_FALLBACK
						     : SALUA_CV_FAIL;
	case SALUA_SK_UNIT_ATTENTION:
	case SALUA_SK_ABORTED_COMMAND:
		return SALUA_CV_RETRY;
	case SALUA_SK_NOT_READY:
		if (asc == 0x0401u) /* becoming ready */
			return SALUA_CV_RETRY_DELAYED;
		return SALUA_CV_SIBLING;
	case SALUA_SK_MEDIUM_ERROR:
	case SALUA_SK_HARDWARE_ERROR:
	case SALUA_SK_DATA_PROTECT:
	case SALUA_SK_BLANK_CHECK:
	case SALUA_SK_VENDOR_SPECIFIC:
	case SALUA_SK_COPY_ABORTED:
	case SALUA_SK_VOLUME_OVERFLOW:
	case SALUA_SK_MISCOMPARE:
	case SALUA_SK_COMPLETED:
	default:
		return SALUA_CV_FAIL;
	}
}

SALUA_API enum salua_path_check
salua_tur_disposition(uint8_t status, const struct salua_sense *sense)
{
	uint16_t asc;

	if (status != SALUA_STATUS_CHECK_CONDITION || !sense ||
	    sense->deferred)
		return SALUA_PC_UP;
	asc = sense->has_asc ? salua_sense_asc(sense) : 0u;
	switch (sense->key) {
	case SALUA_SK_NOT_READY:
		switch (asc) {
		case SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION:
			return SALUA_PC_TRANSITIONING;
		case SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY:
		case SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE:
		case SALUA_ASC_LU_NOT_READY_OFFLINE:
			return SALUA_PC_GHOST;
		default:
			return SALUA_PC_DOWN;
		}
	case SALUA_SK_UNIT_ATTENTION:
		return asc == SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION
			       ? SALUA_PC_TRANSITIONING
			       : SALUA_PC_RETRY;
	case SALUA_SK_ILLEGAL_REQUEST:
		return asc == SALUA_ASC_LU_NOT_SUPPORTED ? SALUA_PC_DISCONNECTED
							 : SALUA_PC_UP;
	case SALUA_SK_MEDIUM_ERROR:
	case SALUA_SK_HARDWARE_ERROR:
		return SALUA_PC_DOWN;
	case SALUA_SK_NO_SENSE:
	case SALUA_SK_RECOVERED_ERROR:
	case SALUA_SK_DATA_PROTECT:
	case SALUA_SK_BLANK_CHECK:
	case SALUA_SK_VENDOR_SPECIFIC:
	case SALUA_SK_COPY_ABORTED:
	case SALUA_SK_ABORTED_COMMAND:
	case SALUA_SK_VOLUME_OVERFLOW:
	case SALUA_SK_MISCOMPARE:
	case SALUA_SK_COMPLETED:
	default:
		return SALUA_PC_UP;
	}
}

SALUA_API enum salua_prep salua_prep_decide(uint8_t state,
					    const struct salua_prep_config *cfg,
					    uint32_t *delay_ms)
{
	struct salua_prep_config def;
	enum salua_prep r;

	if (!cfg) {
		salua_prep_config_default(&def);
		cfg = &def;
	}
	switch (state & SALUA_STATE_MASK) {
	case SALUA_STATE_AO:
	case SALUA_STATE_ANO:
	case SALUA_STATE_LBA_DEPENDENT:
		r = SALUA_PREP_ALLOW;
		break;
	case SALUA_STATE_TRANSITIONING:
		r = cfg->hold_transitioning && cfg->retry_delay_ms
			    ? SALUA_PREP_DELAY
			    : SALUA_PREP_ALLOW;
		break;
	case SALUA_STATE_STANDBY:
	case SALUA_STATE_UNAVAILABLE:
		r = cfg->allow_standby ? SALUA_PREP_ALLOW
				       : SALUA_PREP_FAIL_FAST;
		break;
	case SALUA_STATE_OFFLINE:
	default:
		r = SALUA_PREP_FAIL_FAST;
		break;
	}
	if (delay_ms)
		*delay_ms = r == SALUA_PREP_DELAY ? cfg->retry_delay_ms : 0;
	return r;
}

#if !defined(SALUA_NO_STRINGS)
SALUA_API const char *salua_disposition_name(enum salua_disposition d)
{
	switch (d) {
	case SALUA_DISP_NOT_HANDLED: return "not-handled";
	case SALUA_DISP_RETRY: return "retry";
	case SALUA_DISP_DELAYED_RETRY: return "delayed-retry";
	case SALUA_DISP_REQUEUE: return "requeue";
	case SALUA_DISP_FAILOVER: return "failover";
	case SALUA_DISP_FAIL: return "fail";
	default: return "?";
	}
}
#endif

SALUA_END_DECLS

#endif
