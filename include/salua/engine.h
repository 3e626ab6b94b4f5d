/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/engine.h - the per-LU ALUA rescan / transition / activation engine.
 *
 * One struct salua_engine per logical unit, shared by all its paths (I_T
 * nexuses, each mapped to a relative target port and a target port group
 * from VPD page 0x83).  The engine is sans-I/O: the caller feeds it events
 * (path added/removed, rescan requested, sense seen on a path, command
 * completed, timer fired, activate requested) and it acts through an ops
 * table (submit a CDB on a path, arm/cancel its one timer, read the clock,
 * notify a path's state change, log).  See docs/engine.md.
 *
 * Behaviour (SPC-5 §5.16, §6.36, §6.49; Linux scsi_dh_alua where right):
 *  - at most one command (RTPG, STPG or TUR) in flight per LU; rescans
 *    requested meanwhile coalesce into exactly one follow-up RTPG that
 *    starts after them;
 *  - the first RTPG runs after a short delay (first_delay_ms);
 *  - one RTPG result updates every path whose group appears in it (state,
 *    PREF, supported states); paths whose group is absent keep their state;
 *  - while a group of the LU is TRANSITIONING the LU is re-polled (TUR
 *    pre-check, then RTPG) on an adaptive (default) or fixed schedule until
 *    it leaves the state or the transition timeout (target's implicit
 *    transition time, else 255 s) expires; on expiry the groups still
 *    transitioning are set to STANDBY (terminal) and waiting activations
 *    complete with SALUA_ACTIVATE_TIMEOUT;
 *  - extended header first, classic after any ILLEGAL REQUEST or an
 *    extended answer shorter than its descriptors, remembered;
 *  - RETURN DATA LENGTH beyond the allocation length: re-issue with the
 *    needed length, capped at min(buffer, 64 KiB), at most max_resizes
 *    times; only complete descriptors are ever applied;
 *  - transport failure or a path that cannot answer: retry through a
 *    sibling path of the LU;
 *  - activate: RTPG, then STPG naming only the path's own group when
 *    needed, then RTPG; every activation completes exactly once.
 *
 * Callers serialize all calls on one engine.  The engine commits its next
 * state before calling submit(), so a completion delivered from inside
 * submit() (SG_IO) works as well as one delivered later (kernel, libiscsi).
 */
#ifndef SALUA_ENGINE_H
#define SALUA_ENGINE_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"
#include "sense.h"
#include "tpg.h"
#include "cdb.h"
#include "disposition.h"
#include "identity.h"

SALUA_BEGIN_DECLS

#define SALUA_ENGINE_NO_PATH 0xffffu
#define SALUA_ENGINE_MAX_PATHS 0xfffeu
#define SALUA_ENGINE_MIN_BUF 8u /* an RTPG header */

/* Defaults (struct salua_engine_config). */
#define SALUA_ENGINE_FIRST_DELAY_MS 5u     /* Linux ALUA_RTPG_DELAY_MSECS */
#define SALUA_ENGINE_POLL_MIN_MS 100u      /* adaptive: first re-poll */
#define SALUA_ENGINE_POLL_MAX_MS 2000u     /* cap; Linux's fixed interval */
#define SALUA_ENGINE_CMD_TIMEOUT_MS 30000u /* per command, not transition */
#define SALUA_ENGINE_TRANSITION_S 255u     /* Linux since 2026 */
#define SALUA_ENGINE_INITIAL_ALLOC 128u    /* Linux ALUA_RTPG_SIZE */
#define SALUA_ENGINE_MAX_RETRIES 5u
#define SALUA_ENGINE_MAX_RESIZES 2u
#define SALUA_ENGINE_STANDBY_POLL_MS 0u    /* off; see standby_poll_ms */
#define SALUA_ENGINE_ARRAY_HOLD_MS 0u      /* off (Linux); see array_hold_ms */
#define SALUA_ENGINE_HOLD_FOREVER 0xffffffffu /* array_hold_ms: no time limit */

/* Config flags. */
#define SALUA_ENGINE_F_TUR_PRECHECK 0x01u  /* TUR before RTPG while T */
#define SALUA_ENGINE_F_OPTIMIZE_STPG 0x02u /* Linux optimize_stpg */
#define SALUA_ENGINE_F_LOG_STATE 0x04u     /* log SALUA_EV_STATE */

/**
 * enum salua_poll_mode - re-poll schedule while transitioning.
 * @SALUA_POLL_ADAPTIVE: poll_min_ms, doubling up to poll_max_ms (default):
 *	a short transition is seen sooner, a long one costs no more commands.
 * @SALUA_POLL_FIXED: every poll_max_ms (Linux: 2 s).
 */
enum salua_poll_mode {
	SALUA_POLL_ADAPTIVE = 0,
	SALUA_POLL_FIXED = 1
};

/**
 * struct salua_engine_config - tunables; salua_engine_config_default().
 * @first_delay_ms: delay before the first RTPG of a run.
 * @poll_min_ms: adaptive schedule: first re-poll interval; also the delay
 *	before retrying after BUSY / TASK SET FULL.
 * @poll_max_ms: adaptive cap, and the fixed interval.
 * @cmd_timeout_ms: timeout put in every command (the transport enforces it
 *	and completes with SALUA_XFER_TIMEOUT); independent of the transition
 *	timeout; must not be 0.
 * @initial_alloc: first RTPG allocation length (clamped to the buffer).
 * @transition_s: transition timeout when the target gives none (0 in the
 *	extended header, or the classic header); must not be 0.
 * @standby_poll_ms: after a transition timeout, while no path of the LU is
 *	AO, ANO or LBD (all S/U/O or unknown), send an RTPG this often so a
 *	late recovery is seen without new I/O, activate or rescan (hosts
 *	whose prep fails I/O on S/U paths get no sense to learn it from).
 *	0 = off (default): the engine then goes idle after the timeout.
 *	While it runs the engine is not idle.  Suggested: 10000-60000.
 * @array_hold_ms: after the array itself made a group active/optimized
 *	(an RTPG shows it become AO without an STPG of ours naming it), for
 *	this long, and only while a path of that group is still AO, an
 *	activation does not move A/O away from it: a standby/unavailable
 *	path's activation completes with SALUA_ACTIVATE_DEFERRED and an ANO
 *	path's with OK, without STPG.  0 = off (default): STPG whenever the
 *	path's own state asks for it, as Linux does.  SALUA_ENGINE_HOLD_FOREVER:
 *	no time limit, the hold ends when the group stops being AO or its
 *	last path is removed.  For hosts whose path checkers fail the path
 *	the array is just making active (multipathd's TUR checker takes 04/0A
 *	as "down") and then keep activating the one it left.
 * @poll_mode: enum salua_poll_mode.
 * @max_retries: retries of one command after UA / BUSY / bad data.
 * @max_resizes: RTPG re-issues with a larger allocation length per run.
 * @tpgs: TPGS field from standard INQUIRY (SALUA_TPGS_*): explicit
 *	support gates STPG, implicit support the optimize-STPG shortcut.
 * @flags: SALUA_ENGINE_F_*.
 */
struct salua_engine_config {
	uint32_t first_delay_ms;
	uint32_t poll_min_ms;
	uint32_t poll_max_ms;
	uint32_t cmd_timeout_ms;
	uint32_t initial_alloc;
	uint32_t standby_poll_ms;
	uint32_t array_hold_ms;
	uint16_t transition_s;
	uint8_t poll_mode;
	uint8_t max_retries;
	uint8_t max_resizes;
	uint8_t tpgs;
	uint8_t flags;
};

/* struct salua_engine_path flags. */
#define SALUA_PATH_USED 0x01u
#define SALUA_PATH_HAS_TPG 0x02u
#define SALUA_PATH_KNOWN 0x04u  /* state learned */
#define SALUA_PATH_PREF 0x08u
#define SALUA_PATH_DISABLED 0x10u /* failed during the current run */

/**
 * struct salua_engine_path - one caller-provided path slot (8 bytes).
 * @rel_port: RELATIVE TARGET PORT IDENTIFIER from VPD 0x83.
 * @tpg_id: TARGET PORT GROUP from VPD 0x83 (valid with SALUA_PATH_HAS_TPG;
 *	without it the group is learned from an RTPG port list).
 * @state: access state (valid with SALUA_PATH_KNOWN).
 * @supported: SALUA_SUP_* bits from the last RTPG naming the group.
 * @flags: SALUA_PATH_*.
 * @gen: bumped on every add and remove.
 *
 * Read with salua_engine_path_get(); the engine owns the contents.
 */
struct salua_engine_path {
	uint16_t rel_port;
	uint16_t tpg_id;
	uint8_t state;
	uint8_t supported;
	uint8_t flags;
	uint8_t gen;
};

/**
 * struct salua_engine_cmd - a command for ops->submit().
 * @tag: identifies this command in salua_engine_complete().
 * @kind: RTPG, STPG or TUR.
 * @cdb: the CDB (valid only during submit(): copy it).
 * @cdb_len: 6 or 12.
 * @dout: data-out (STPG parameter list), or NULL; stays valid until the
 *	command completes or the engine is re-initialised.
 * @dout_len: bytes of @dout.
 * @din: data-in buffer (the caller's RTPG buffer), or NULL.  The engine
 *	has one buffer and re-issues into it: once a command is abandoned
 *	(salua_engine_remove_path() of its path, salua_engine_shutdown(), a
 *	completion that returned -SALUA_ENOENT) the transport must no longer
 *	write to @din for it.  A transport whose late completions may still
 *	DMA or copy data must bounce them through its own buffer, or abort
 *	and wait for the old command before it reuses the path.
 * @din_len: bytes the target may write to @din (the allocation length).
 * @timeout_ms: command timeout.
 */
struct salua_engine_cmd {
	uint32_t tag;
	enum salua_cmd_kind kind;
	uint8_t cdb[SALUA_CDB12_LEN];
	uint8_t cdb_len;
	const uint8_t *dout;
	uint32_t dout_len;
	uint8_t *din;
	uint32_t din_len;
	uint32_t timeout_ms;
};

/**
 * enum salua_xfer - how a command ended at the transport level.
 * @SALUA_XFER_OK: delivered; the SCSI status (and sense) are valid.
 * @SALUA_XFER_TRANSPORT: no SCSI status: the path failed (DID_NO_CONNECT,
 *	iSCSI connection loss...).  The engine retries through a sibling.
 * @SALUA_XFER_TIMEOUT: the command timed out (cmd_timeout_ms); handled as a
 *	transport failure of that path.
 */
enum salua_xfer {
	SALUA_XFER_OK = 0,
	SALUA_XFER_TRANSPORT = 1,
	SALUA_XFER_TIMEOUT = 2
};

/**
 * struct salua_engine_completion - the outcome of one submitted command.
 * @xfer: enum salua_xfer.
 * @status: SCSI status (SAM-6 §5.3.1) when @xfer is SALUA_XFER_OK.
 * @sense: sense bytes, or NULL.
 * @sense_len: bytes of @sense received.
 * @data_len: bytes of data-in actually received (allocation length minus
 *	residual); never trusted beyond @din_len.
 */
struct salua_engine_completion {
	enum salua_xfer xfer;
	uint8_t status;
	const uint8_t *sense;
	size_t sense_len;
	uint32_t data_len;
};

/**
 * enum salua_engine_event - log event codes (struct salua_engine_log).
 * @SALUA_EV_SUBMIT: a command was submitted: @a kind, @b tag, @c alloc.
 * @SALUA_EV_GROUP: a group changed: @a tpg id, @b state | PREF<<7,
 *	@c supported bits.
 * @SALUA_EV_EXT_FALLBACK: classic RTPG from now on; @a why: 0 = the
 *	extended header was refused (ILLEGAL REQUEST), 1 = the extended answer
 *	was shorter than its own descriptors (RETURN DATA LENGTH not counting
 *	the extended header, as LIO does).
 * @SALUA_EV_RESIZE: RTPG re-issued: @a needed length, @b new allocation.
 * @SALUA_EV_TRUNCATED: data larger than the cap/buffer: @a needed, @b got.
 * @SALUA_EV_TRANSITION_START: @a timeout in seconds.
 * @SALUA_EV_TRANSITION_END: @a milliseconds spent transitioning.
 * @SALUA_EV_TRANSITION_TIMEOUT: @a timeout in seconds; groups -> STANDBY.
 * @SALUA_EV_SIBLING: retry through another path: @a from, @b to.
 * @SALUA_EV_CMD_ERROR: @a kind, @b xfer<<8 | status, @c ASC/ASCQ.
 * @SALUA_EV_ACTIVATED: an activation completed: @a result.
 * @SALUA_EV_STALE: a completion for a superseded command: @a tag.
 * @SALUA_EV_IDENTITY: salua_engine_rescan_path() found that the path now
 *	leads to another logical unit and removed it: @a the
 *	salua_ident_compare() bits.
 * @SALUA_EV_STATE: a transition changed the run state or re-armed its
 *	timer (only with SALUA_ENGINE_F_LOG_STATE): @a from, @b to (enum
 *	salua_engine_state), @c why (enum salua_engine_cause).
 */
enum salua_engine_event {
	SALUA_EV_SUBMIT = 1,
	SALUA_EV_GROUP,
	SALUA_EV_EXT_FALLBACK,
	SALUA_EV_RESIZE,
	SALUA_EV_TRUNCATED,
	SALUA_EV_TRANSITION_START,
	SALUA_EV_TRANSITION_END,
	SALUA_EV_TRANSITION_TIMEOUT,
	SALUA_EV_SIBLING,
	SALUA_EV_CMD_ERROR,
	SALUA_EV_ACTIVATED,
	SALUA_EV_STALE,
	SALUA_EV_IDENTITY,
	SALUA_EV_STATE
};

/**
 * struct salua_engine_log - one log event, no formatting in the core.
 * @code: enum salua_engine_event.
 * @path: path index concerned, or SALUA_ENGINE_NO_PATH.
 * @a: first argument (see the event).
 * @b: second argument.
 * @c: third argument.
 */
struct salua_engine_log {
	uint16_t code;
	uint16_t path;
	uint32_t a, b, c;
};

/**
 * struct salua_engine_ops - what the engine needs from its environment.
 * @submit: REQUIRED.  Send @cmd on path @path.  Context: called from any
 *	engine entry point.  The completion is reported with
 *	salua_engine_complete(e, cmd->tag, ...), either before submit returns
 *	(synchronous transports such as SG_IO) or later.  Return 0 if the
 *	command was accepted (its completion will come), negative if it could
 *	not be sent (treated as a transport failure of @path, no completion
 *	may follow).
 * @arm: REQUIRED.  Arm the engine's single timer for absolute time
 *	@deadline_ms (ops->now() scale), replacing any earlier deadline; when
 *	it fires call salua_engine_timer().  Firing late or early is
 *	tolerated.  Return: none.
 * @cancel: REQUIRED.  Disarm the timer (a fire already racing may still
 *	arrive; the engine ignores it).  Return: none.
 * @now: REQUIRED.  Monotonic time in milliseconds (64-bit, never wraps).
 * @notify: optional.  Path @path changed (or got its first) state:
 *	@state SALUA_STATE_*, @pref PREF bit, @supported SALUA_SUP_* bits.
 *	The multipath selector consumes these.
 * @log: optional.  One event; format with salua_engine_log_format().
 *
 * No callback (@submit, @notify, @log, activation done) may call into the
 * same engine, except @submit calling salua_engine_complete() for the
 * command it was given.
 */
struct salua_engine_ops {
	int (*submit)(void *ctx, unsigned path,
		      const struct salua_engine_cmd *cmd);
	void (*arm)(void *ctx, uint64_t deadline_ms);
	void (*cancel)(void *ctx);
	uint64_t (*now)(void *ctx);
	void (*notify)(void *ctx, unsigned path, uint8_t state, bool pref,
		       uint8_t supported);
	void (*log)(void *ctx, const struct salua_engine_log *ev);
};

/**
 * enum salua_activate_result - value passed to an activation's done().
 * @SALUA_ACTIVATE_OK: the path can carry I/O: AO, LBA-dependent, or ANO
 *	(no STPG needed or possible, or the array kept it ANO).
 * @SALUA_ACTIVATE_IO: the state could not be read (all paths failed,
 *	RTPG refused, retries exhausted).
 * @SALUA_ACTIVATE_TIMEOUT: the transition timeout expired.
 * @SALUA_ACTIVATE_REMOVED: the path was removed (or never added).
 * @SALUA_ACTIVATE_NOTSUP: standby/unavailable and cannot be activated (no
 *	explicit ALUA, no TPG id, STPG refused), or a reserved state.
 * @SALUA_ACTIVATE_OFFLINE: the group is offline.
 * @SALUA_ACTIVATE_FAILED: STPG done, but the path is still standby or
 *	unavailable.
 * @SALUA_ACTIVATE_DEFERRED: standby/unavailable, and not activated because
 *	the array itself made another group A/O less than array_hold_ms ago
 *	and that group is still A/O (struct salua_engine_config).
 *
 * Only OK means the path can carry I/O; every other result says it cannot
 * (docs/kernel-module.md maps them to dm-multipath's SCSI_DH_* codes).
 */
enum salua_activate_result {
	SALUA_ACTIVATE_OK = 0,
	SALUA_ACTIVATE_IO = 1,
	SALUA_ACTIVATE_TIMEOUT = 2,
	SALUA_ACTIVATE_REMOVED = 3,
	SALUA_ACTIVATE_NOTSUP = 4,
	SALUA_ACTIVATE_OFFLINE = 5,
	SALUA_ACTIVATE_FAILED = 6,
	SALUA_ACTIVATE_DEFERRED = 7
};

typedef void (*salua_activate_fn)(void *arg, int result);

/**
 * struct salua_activation - caller-owned storage for one pending activate.
 * @next: list link (engine-private).
 * @done: called exactly once with an enum salua_activate_result.
 * @arg: passed to @done.
 * @path: the path to activate.
 * @flags: engine-private.
 *
 * Must stay valid until @done has been called.
 */
struct salua_activation {
	struct salua_activation *next;
	salua_activate_fn done;
	void *arg;
	uint16_t path;
	uint8_t flags;
};

/**
 * struct salua_engine_counters - what the engine has done, for tests and
 * benchmarks.  All counters wrap at 2^32.
 * @rtpg: RTPGs submitted.
 * @stpg: STPGs submitted.
 * @tur: TURs submitted.
 * @retries: command re-issues after UA, BUSY, bad data.
 * @resizes: RTPG re-issues with a larger allocation length.
 * @ext_fallbacks: extended-header fallbacks.
 * @siblings: re-issues through a sibling path.
 * @stale: completions ignored as stale.
 * @transitions: transition windows opened.
 * @timeouts: transition timeouts.
 * @rescans: rescan requests (forced or from sense).
 * @coalesced: rescan requests absorbed by an RTPG already due.
 * @identity_drops: paths removed by salua_engine_rescan_path() because
 *	they lead to another logical unit.
 */
struct salua_engine_counters {
	uint32_t rtpg, stpg, tur, retries, resizes, ext_fallbacks, siblings,
		stale, transitions, timeouts, rescans, coalesced,
		identity_drops;
};

/**
 * enum salua_engine_state - where the engine's run stands (docs/engine.md
 *	"State machine"): one command at a time, waiting for the timer
 *	(WAIT_*), chosen (DUE_*) or in flight on one path.  The transition
 *	window and the pending work (a rescan owed, the activations) are
 *	separate dimensions.  Read it with salua_engine_state(); log its
 *	changes with SALUA_ENGINE_F_LOG_STATE.
 * @SALUA_ES_IDLE: nothing scheduled, no timer.
 * @SALUA_ES_WAIT_RTPG: the timer starts an RTPG (first delay, coalesced
 *	follow-up, re-poll, delayed retry, standby poll).
 * @SALUA_ES_WAIT_STPG: the timer starts the STPG again (delayed retry).
 * @SALUA_ES_WAIT_TUR: the timer starts a TUR (re-poll pre-check).
 * @SALUA_ES_DUE_RTPG: an RTPG is chosen; the submit loop sends it before
 *	the engine returns (seen from outside only by ops->submit() and by
 *	the log of that transition).
 * @SALUA_ES_DUE_STPG: an STPG is chosen.
 * @SALUA_ES_DUE_TUR: a TUR is chosen.
 * @SALUA_ES_RTPG: an RTPG in flight (cur_path, tag).
 * @SALUA_ES_STPG: an STPG in flight.
 * @SALUA_ES_TUR: a TUR in flight.
 * @SALUA_ES_COUNT: number of states.
 */
enum salua_engine_state {
	SALUA_ES_IDLE = 0,
	SALUA_ES_WAIT_RTPG,
	SALUA_ES_WAIT_STPG,
	SALUA_ES_WAIT_TUR,
	SALUA_ES_DUE_RTPG,
	SALUA_ES_DUE_STPG,
	SALUA_ES_DUE_TUR,
	SALUA_ES_RTPG,
	SALUA_ES_STPG,
	SALUA_ES_TUR,
	SALUA_ES_COUNT
};

/**
 * enum salua_engine_cause - what moves the engine from one state to the
 *	next (the events of docs/engine.md's transition table).
 * @SALUA_EC_REQUEST: a rescan is owed (add_path, rescan, sense, activate,
 *	rescan_path).
 * @SALUA_EC_TIMER: the timer came due in a WAIT state.
 * @SALUA_EC_SUBMIT: the submit loop sends the DUE command.
 * @SALUA_EC_ANSWER: a good RTPG answer was applied, or the command
 *	reported a transition: decide what comes next.
 * @SALUA_EC_REREAD: an RTPG at once on the same path: after an STPG, after
 *	a TUR that did not report a transition, with the classic header or a
 *	larger allocation length.
 * @SALUA_EC_RETRY: a retryable answer: the same command at once.
 * @SALUA_EC_RETRY_LATER: a retryable answer (BUSY, ...): the same command
 *	after poll_min_ms.
 * @SALUA_EC_PATH_FAILED: the path failed the command (transport error,
 *	timeout, submit refused, NOT READY): another path.
 * @SALUA_EC_REFUSED: the RTPG was refused.
 * @SALUA_EC_STILL_T: a TUR answered "still transitioning" (an RTPG
 *	follows when the window ended while the TUR was out).
 * @SALUA_EC_DEADLINE: the transition window expired with a group still
 *	transitioning.
 * @SALUA_EC_PATH_GONE: a path was removed, not the last one.
 * @SALUA_EC_NO_PATH: the last path was removed.
 * @SALUA_EC_SHUTDOWN: salua_engine_shutdown().
 * @SALUA_EC_COUNT: number of causes.
 */
enum salua_engine_cause {
	SALUA_EC_REQUEST = 0,
	SALUA_EC_TIMER,
	SALUA_EC_SUBMIT,
	SALUA_EC_ANSWER,
	SALUA_EC_REREAD,
	SALUA_EC_RETRY,
	SALUA_EC_RETRY_LATER,
	SALUA_EC_PATH_FAILED,
	SALUA_EC_REFUSED,
	SALUA_EC_STILL_T,
	SALUA_EC_DEADLINE,
	SALUA_EC_PATH_GONE,
	SALUA_EC_NO_PATH,
	SALUA_EC_SHUTDOWN,
	SALUA_EC_COUNT
};

/* The transition window (field trans), a dimension apart from the state. */
#define SALUA__TR_NONE 0u
#define SALUA__TR_ACTIVE 1u  /* some group TRANSITIONING, deadline trans_end */
#define SALUA__TR_EXPIRED 2u /* timed out: T reads as STANDBY until news */

/**
 * struct salua_engine - one logical unit.  Opaque: every field is private.
 * A zero-filled struct followed by salua_engine_init() is a valid start.
 */
struct salua_engine {
	const struct salua_engine_ops *ops;
	void *ctx;
	struct salua_engine_path *paths;
	uint8_t *buf;
	struct salua_activation *act_head, *act_tail;
	uint64_t timer_at;    /* armed deadline, 0 = not armed */
	uint64_t trans_start; /* transition window start */
	uint64_t trans_end;   /* transition window expiry */
	uint64_t array_ao_at; /* the array last made array_ao_tpg A/O */
	struct salua_engine_config cfg;
	struct salua_engine_counters cnt;
	uint32_t buf_cap;
	uint32_t alloc_len; /* allocation length of the next RTPG */
	uint32_t tag;
	uint32_t poll_ms;    /* next re-poll interval */
	uint32_t rescan_seq; /* rescan requests so far */
	uint32_t rtpg_seq;   /* rescan_seq when the last RTPG was submitted */
	uint16_t npaths;
	uint16_t cur_path;   /* path of the DUE / in-flight command, last used */
	uint16_t trans_s;    /* current transition timeout, seconds */
	uint16_t stpg_tpg;
	uint16_t array_ao_tpg;
	uint8_t state;       /* enum salua_engine_state */
	uint8_t flags;       /* SALUA__EF_* */
	uint8_t trans;       /* SALUA__TR_* */
	uint8_t retries;
	uint8_t resizes;
	uint8_t in_submit;
	uint8_t stpg_buf[SALUA_STPG_HDR_LEN + SALUA_STPG_DESC_LEN];
};

SALUA_STATIC_ASSERT(sizeof(struct salua_engine_path) <= 64, path_slot_size);
SALUA_STATIC_ASSERT(sizeof(void *) > 8 || sizeof(struct salua_engine) <= 256,
		    engine_size);

/**
 * salua_engine_config_default() - fill @c with the defaults.
 * @c: config.
 *
 * first 5 ms, adaptive 100 ms doubling to 2000 ms, command timeout 30 s,
 * transition default 255 s, initial allocation 128, 5 retries, 2 resizes,
 * TPGS both, TUR pre-check on, optimize-STPG off.
 *
 * Context: any.
 */
SALUA_API void salua_engine_config_default(struct salua_engine_config *c);

/**
 * salua_engine_init() - set up an engine for one logical unit.
 * @e: engine storage (contents overwritten).
 * @cfg: tunables, or NULL for the defaults (copied).
 * @ops: environment (kept by pointer); submit, arm, cancel, now required.
 * @ctx: passed to every op.
 * @paths: caller's path slot array (zeroed here).
 * @npaths: capacity of @paths, <= SALUA_ENGINE_MAX_PATHS.
 * @buf: caller's RTPG data-in buffer.
 * @buf_cap: its size, >= 8; more than 64 KiB is never used.
 *
 * Context: any; no ops are called.
 * Return: 0, or -SALUA_EINVAL for a missing required op, a buffer under
 * 8 bytes, too many paths, or a config with poll_min_ms 0, poll_max_ms <
 * poll_min_ms, an unknown poll_mode, transition_s 0 or cmd_timeout_ms 0.
 */
SALUA_API int salua_engine_init(struct salua_engine *e,
				const struct salua_engine_config *cfg,
				const struct salua_engine_ops *ops, void *ctx,
				struct salua_engine_path *paths, size_t npaths,
				uint8_t *buf, size_t buf_cap);

/**
 * salua_engine_add_path() - a path to the LU appeared.
 * @e: engine.
 * @path: slot index < capacity.
 * @rel_port: relative target port (VPD 0x83 designator type 4).
 * @tpg_id: target port group (VPD 0x83 designator type 5).
 * @has_tpg: false if VPD 0x83 had no TPG designator: the group is then
 *	learned from RTPG port lists by @rel_port.
 *
 * Copies the state of a known sibling in the same group at once, then
 * requests a rescan.
 *
 * Return: 0, -SALUA_EINVAL (bad index), -SALUA_EBUSY (slot in use).
 */
SALUA_API int salua_engine_add_path(struct salua_engine *e, unsigned path,
				    uint16_t rel_port, uint16_t tpg_id,
				    bool has_tpg);

/**
 * salua_engine_remove_path() - a path went away.
 * @e: engine.
 * @path: slot index.
 *
 * A command in flight on @path is abandoned (its completion will be
 * recognised as stale) and re-issued through a sibling, possibly before
 * this returns and into the same data-in buffer: the caller must make
 * sure the abandoned command writes nothing more into it (see struct
 * salua_engine_cmd @din).  Activations of @path complete with
 * SALUA_ACTIVATE_REMOVED before this returns.
 *
 * Return: 0, -SALUA_EINVAL (bad index), -SALUA_ENOENT (slot unused).
 */
SALUA_API int salua_engine_remove_path(struct salua_engine *e, unsigned path);

/**
 * salua_engine_shutdown() - stop the engine for good (LU going away).
 * @e: engine.
 *
 * Completes every pending activation with SALUA_ACTIVATE_REMOVED (each
 * exactly once, before this returns), abandons the command in flight (its
 * completion will be refused as stale; see struct salua_engine_cmd @din
 * for the buffer) and calls ops->cancel().  Afterwards the engine is idle
 * and every call but salua_engine_path_get() is a no-op: add_path and
 * remove_path return -SALUA_ESTATE, complete returns -SALUA_ENOENT, rescan
 * and timer do nothing, sense only returns its verdict, activate completes
 * at once with SALUA_ACTIVATE_REMOVED.  A second shutdown does nothing;
 * salua_engine_init() starts afresh.
 *
 * Context: not from inside an engine callback (ops, activation done()):
 * call it from the caller's own context, serialized like every other call.
 */
SALUA_API void salua_engine_shutdown(struct salua_engine *e);

/**
 * salua_engine_rescan() - request a fresh RTPG (UA 2A/06, admin request).
 * @e: engine.
 *
 * Coalesced: however many requests arrive while one is due or in flight,
 * exactly one RTPG starts after the last of them.  A re-poll scheduled
 * later than first_delay_ms is pulled in.
 */
SALUA_API void salua_engine_rescan(struct salua_engine *e);

/**
 * salua_engine_rescan_path() - a path came back (reconnect, rescan): drop
 * it if it now leads to another logical unit, then rescan.
 * @e: engine.
 * @path: the path (slot index).
 * @before: the path's VPD 0x80 / 0x83 answers from when it was added (or
 *	last checked); the caller keeps them.
 * @after: its answers now.
 *
 * salua_ident_compare(@before, @after).  DIFFERENT: the path is removed as
 * by salua_engine_remove_path() (a command in flight on it is re-issued
 * through a sibling, its activations complete with SALUA_ACTIVATE_REMOVED)
 * and SALUA_EV_IDENTITY is logged; the caller then treats the device as a
 * new logical unit.  SAME or UNKNOWN: the path stays.  Either way, while
 * paths remain, a rescan is requested as by salua_engine_rescan().  The
 * path's relative port and group are not re-read: a host that sees them
 * change removes and re-adds the path.
 *
 * Context: as every engine call (serialized; not from a callback).
 * Return: the enum salua_ident_verdict; -SALUA_EINVAL (bad index, NULL
 * answers), -SALUA_ENOENT (slot unused), -SALUA_ESTATE (after shutdown).
 */
SALUA_API int salua_engine_rescan_path(struct salua_engine *e, unsigned path,
				       const struct salua_ident *before,
				       const struct salua_ident *after);

/**
 * salua_engine_sense() - feed the result of an ordinary command on a path.
 * @e: engine.
 * @path: path the command went through.
 * @status: SCSI status.
 * @sense: sense bytes, or NULL.
 * @sense_len: bytes of @sense.
 *
 * Applies salua_io_disposition(): 04/0A marks the path's group
 * TRANSITIONING (and opens the transition window), 04/0B/0C/12 set the
 * group's state, rescan actions request a rescan.  A 04/0B/0C/12 that only
 * repeats the path's known state requests nothing: path checkers poll
 * standby ports, and each poll would otherwise cost an RTPG.
 *
 * Return: the verdict, for the caller's retry / failover decision; its
 * SALUA_ACT_RESCAN bit is cleared when no rescan was requested for the
 * reason above; its @sense bits say when the sense arrived cut
 * (SALUA_VSENSE_TRUNCATED: the verdict rests on what arrived; too few
 * bytes for the sense key count as no sense) or was not sense data at all
 * (SALUA_VSENSE_INVALID: decided as if no sense had come).
 */
SALUA_API struct salua_verdict salua_engine_sense(struct salua_engine *e,
						  unsigned path,
						  uint8_t status,
						  const uint8_t *sense,
						  size_t sense_len);

/**
 * salua_engine_complete() - a submitted command finished.
 * @e: engine.
 * @tag: the command's tag.
 * @c: outcome.
 *
 * May be called from inside ops->submit().  Completions with a tag that
 * is not the one in flight (path removed, superseded) are ignored.
 *
 * Return: 0, or -SALUA_ENOENT for a stale tag.
 */
SALUA_API int salua_engine_complete(struct salua_engine *e, uint32_t tag,
				    const struct salua_engine_completion *c);

/**
 * salua_engine_timer() - the timer armed through ops->arm() fired.
 * @e: engine.
 */
SALUA_API void salua_engine_timer(struct salua_engine *e);

/**
 * salua_engine_activate() - make @path usable (explicit ALUA, dm-mpath's
 * pg_init).
 * @e: engine.
 * @path: path index.
 * @a: caller-owned storage, valid until @done runs.
 * @done: completion callback; called exactly once with an enum
 *	salua_activate_result, possibly before this function returns.
 * @arg: passed to @done.
 *
 * Runs RTPG, then STPG (A/O for the path's own group only) when the state
 * needs it and the array allows it, then RTPG again, and completes with
 * what that RTPG says (docs/engine.md "Activate"): AO and LBA-dependent
 * OK; ANO OK, after an STPG unless optimize-STPG (no PREF, implicit
 * support) or array_hold_ms spares it or the array cannot take one (no
 * explicit TPGS, no TPG id); S/U/T STPG, else NOTSUP (cannot), DEFERRED
 * (array_hold_ms) or FAILED (STPG without effect); O OFFLINE; reserved
 * NOTSUP.  While any group of the LU is transitioning it waits.
 */
SALUA_API void salua_engine_activate(struct salua_engine *e, unsigned path,
				     struct salua_activation *a,
				     salua_activate_fn done, void *arg);

/**
 * salua_engine_io_waiting() - host I/O waits for the end of a transition.
 * @e: engine.
 *
 * While a transition window is open, re-poll every poll_min_ms (instead of
 * the adaptive or fixed schedule) until it closes: a host that parks I/O
 * answered 04/0A (Linux requeues it for a second) can release it as soon as
 * the engine sees the group leave TRANSITIONING.  A poll already scheduled
 * later is pulled in.  Without an open window it does nothing.
 */
SALUA_API void salua_engine_io_waiting(struct salua_engine *e);

/**
 * salua_engine_set_flags() - change config flags of a running engine.
 * @e: engine.
 * @mask: SALUA_ENGINE_F_* bits to change.
 * @value: their new values.
 *
 * For per-LU settings that arrive after the engine started (Linux
 * set_params: "1 <optimize_stpg>").  Decisions taken from now on use them.
 */
SALUA_API void salua_engine_set_flags(struct salua_engine *e, uint8_t mask,
				      uint8_t value);

/**
 * salua_engine_path_get() - a path's current view.
 * @e: engine.
 * @path: path index.
 * @state: out, optional: access state.
 * @pref: out, optional: PREF.
 * @supported: out, optional: supported-state bits.
 *
 * Return: 1 if the state is known, 0 if not yet, -SALUA_EINVAL / ENOENT.
 */
SALUA_API int salua_engine_path_get(const struct salua_engine *e,
				    unsigned path, uint8_t *state, bool *pref,
				    uint8_t *supported);

/* Counters (struct salua_engine_counters). */
SALUA_INLINE const struct salua_engine_counters *
salua_engine_get_counters(const struct salua_engine *e)
{
	return &e->cnt;
}

/* True when nothing is in flight, nothing scheduled, no timer armed. */
SALUA_INLINE bool salua_engine_idle(const struct salua_engine *e)
{
	return e->state == SALUA_ES_IDLE && e->timer_at == 0u;
}

/* The run state (enum salua_engine_state). */
SALUA_INLINE enum salua_engine_state
salua_engine_state(const struct salua_engine *e)
{
	return (enum salua_engine_state)e->state;
}

/* True while a transition window is open (some group TRANSITIONING). */
SALUA_INLINE bool salua_engine_transitioning(const struct salua_engine *e)
{
	return e->trans == SALUA__TR_ACTIVE;
}

#if !defined(SALUA_NO_STRINGS)
/**
 * salua_engine_log_format() - format a log event as one line of text.
 * @ev: event.
 * @buf: output, always NUL-terminated when @cap > 0.
 * @cap: capacity of @buf.
 *
 * SALUA_EV_GROUP reads as Linux's line, e.g.
 * "port group 0x0100 state S supports tolUSNA".
 *
 * Return: length written (without NUL), truncated to @cap - 1.
 */
SALUA_API size_t salua_engine_log_format(const struct salua_engine_log *ev,
					 char *buf, size_t cap);

/**
 * salua_engine_state_name() - name of a state, as docs/engine.md spells it.
 * @st: enum salua_engine_state.
 *
 * Return: e.g. "WAIT_TUR"; "?" for a value out of range.
 */
SALUA_API const char *salua_engine_state_name(unsigned st);

/**
 * salua_engine_cause_name() - name of a cause, as docs/engine.md spells it.
 * @ev: enum salua_engine_cause.
 *
 * Return: e.g. "STILL_T"; "?" for a value out of range.
 */
SALUA_API const char *salua_engine_cause_name(unsigned ev);
#endif

SALUA_END_DECLS

#endif /* SALUA_ENGINE_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_ENGINE_IMPL_DONE)
#define SALUA_ENGINE_IMPL_DONE

SALUA_BEGIN_DECLS

/* Engine flags. */
#define SALUA__EF_EXT_UNSUPP 0x01u
#define SALUA__EF_FORCE_RTPG 0x02u /* next poll must be an RTPG, not a TUR */
#define SALUA__EF_SHUTDOWN 0x04u
#define SALUA__EF_STPG_OURS 0x08u /* stpg_tpg was named by our STPG */
#define SALUA__EF_ARRAY_AO 0x10u  /* array_ao_tpg / array_ao_at valid */
#define SALUA__EF_HURRY 0x20u     /* host I/O waits: poll every poll_min_ms */

/* Activation flags. */
#define SALUA__AF_STPG_SENT 0x01u    /* an STPG for its group was submitted */
#define SALUA__AF_STPG_REFUSED 0x02u /* ... and refused */
#define SALUA__AF_STPG_WAIT 0x04u    /* waits for the STPG of stpg_tpg */

/* ---- the state machine (docs/engine.md "State machine") ------------- */

/* The phase of a state: what the engine does with its one command. */
#define SALUA__P_IDLE 0u
#define SALUA__P_WAIT 1u /* the timer starts the command */
#define SALUA__P_DUE 2u  /* chosen: the submit loop sends it next */
#define SALUA__P_SENT 3u /* in flight on cur_path, tagged */

/* Each state's phase and command (enum salua_cmd_kind; IDLE: unused). */
static const uint8_t salua__st_phase[SALUA_ES_COUNT] = {
	SALUA__P_IDLE,
	SALUA__P_WAIT, SALUA__P_WAIT, SALUA__P_WAIT,
	SALUA__P_DUE, SALUA__P_DUE, SALUA__P_DUE,
	SALUA__P_SENT, SALUA__P_SENT, SALUA__P_SENT
};
static const uint8_t salua__st_cmd[SALUA_ES_COUNT] = {
	SALUA_CMD_RTPG,
	SALUA_CMD_RTPG, SALUA_CMD_STPG, SALUA_CMD_TUR,
	SALUA_CMD_RTPG, SALUA_CMD_STPG, SALUA_CMD_TUR,
	SALUA_CMD_RTPG, SALUA_CMD_STPG, SALUA_CMD_TUR
};
/* The state of [phase - 1][command]. */
static const uint8_t salua__st_of[3][3] = {
	{ SALUA_ES_WAIT_RTPG, SALUA_ES_WAIT_STPG, SALUA_ES_WAIT_TUR },
	{ SALUA_ES_DUE_RTPG, SALUA_ES_DUE_STPG, SALUA_ES_DUE_TUR },
	{ SALUA_ES_RTPG, SALUA_ES_STPG, SALUA_ES_TUR }
};

SALUA_INLINE unsigned salua__phase(const struct salua_engine *e)
{
	return salua__st_phase[e->state];
}

SALUA_INLINE void salua__log(struct salua_engine *e, unsigned code,
			     unsigned path, uint32_t a, uint32_t b, uint32_t c)
{
	struct salua_engine_log ev;

	if (!e->ops->log)
		return;
	ev.code = (uint16_t)code;
	ev.path = (uint16_t)path;
	ev.a = a;
	ev.b = b;
	ev.c = c;
	e->ops->log(e->ctx, &ev);
}

SALUA_INLINE void salua__arm(struct salua_engine *e, uint64_t at)
{
	if (at == 0)
		at = 1; /* 0 means "not armed" */
	e->timer_at = at;
	e->ops->arm(e->ctx, at);
}

SALUA_INLINE void salua__disarm(struct salua_engine *e)
{
	if (e->timer_at) {
		e->timer_at = 0;
		e->ops->cancel(e->ctx);
	}
}

SALUA_INLINE bool salua__usable(const struct salua_engine *e, unsigned i)
{
	return i < e->npaths &&
	       (e->paths[i].flags & (SALUA_PATH_USED | SALUA_PATH_DISABLED)) ==
		       SALUA_PATH_USED;
}

/*
 * A usable path, @prefer (a slot index: cur_path) first, then the next
 * ones in ring order.
 */
SALUA_INLINE unsigned salua__pick(const struct salua_engine *e,
				  unsigned prefer)
{
	unsigned k, i;

	for (k = 0; k < e->npaths; k++) {
		i = prefer + k;
		if (i >= e->npaths)
			i -= e->npaths;
		if (salua__usable(e, i))
			return i;
	}
	return SALUA_ENGINE_NO_PATH;
}

SALUA_INLINE void salua__clear_disabled(struct salua_engine *e)
{
	unsigned i;

	for (i = 0; i < e->npaths; i++)
		e->paths[i].flags = (uint8_t)(e->paths[i].flags &
					      ~SALUA_PATH_DISABLED);
}

SALUA_INLINE bool salua__any_path(const struct salua_engine *e)
{
	unsigned i;

	for (i = 0; i < e->npaths; i++)
		if (e->paths[i].flags & SALUA_PATH_USED)
			return true;
	return false;
}

/* Set path @i's view; notify when it changed. */
static void salua__set_path(struct salua_engine *e, unsigned i, uint8_t state,
			    bool pref, uint8_t supported)
{
	struct salua_engine_path *p = &e->paths[i];
	uint8_t nf = (uint8_t)((p->flags & ~SALUA_PATH_PREF) | SALUA_PATH_KNOWN |
			       (pref ? SALUA_PATH_PREF : 0u));

	state &= SALUA_STATE_MASK;
	if ((p->flags & SALUA_PATH_KNOWN) && p->state == state &&
	    p->flags == nf && p->supported == supported)
		return;
	p->state = state;
	p->supported = supported;
	p->flags = nf;
	if (e->ops->notify)
		e->ops->notify(e->ctx, i, state, pref, supported);
}

/* Set the state of every path in @path's group (or @path alone). */
static void salua__set_group_state(struct salua_engine *e, unsigned path,
				   uint8_t state)
{
	const struct salua_engine_path *p = &e->paths[path];
	unsigned i;

	for (i = 0; i < e->npaths; i++) {
		const struct salua_engine_path *q = &e->paths[i];

		if (!(q->flags & SALUA_PATH_USED))
			continue;
		if (i == path ||
		    ((p->flags & SALUA_PATH_HAS_TPG) &&
		     (q->flags & SALUA_PATH_HAS_TPG) && q->tpg_id == p->tpg_id))
			salua__set_path(e, i, state,
					(q->flags & SALUA_PATH_PREF) != 0,
					q->supported);
	}
}

SALUA_INLINE uint32_t salua__trans_ms(const struct salua_engine *e)
{
	return (uint32_t)e->trans_s * 1000u;
}

static void salua__open_window(struct salua_engine *e, uint64_t now)
{
	if (e->trans != SALUA__TR_NONE)
		return;
	e->trans = SALUA__TR_ACTIVE;
	e->flags = (uint8_t)(e->flags & ~SALUA__EF_HURRY);
	e->trans_start = now;
	e->trans_end = now + salua__trans_ms(e);
	e->poll_ms = e->cfg.poll_mode == SALUA_POLL_FIXED ? e->cfg.poll_max_ms
							   : e->cfg.poll_min_ms;
	e->cnt.transitions++;
	salua__log(e, SALUA_EV_TRANSITION_START, SALUA_ENGINE_NO_PATH,
		   e->trans_s, 0, 0);
	/* Opened by sense while a command is out: the timeout still holds. */
	if (salua__phase(e) == SALUA__P_SENT ||
	    (e->timer_at && e->timer_at > e->trans_end))
		salua__arm(e, e->trans_end);
}

static void salua__close_window(struct salua_engine *e, uint64_t now)
{
	e->flags = (uint8_t)(e->flags & ~SALUA__EF_HURRY);
	if (e->trans == SALUA__TR_ACTIVE)
		salua__log(e, SALUA_EV_TRANSITION_END, SALUA_ENGINE_NO_PATH,
			   (uint32_t)(now - e->trans_start), 0, 0);
	e->trans = SALUA__TR_NONE;
}

static void salua__finish_activation(struct salua_engine *e,
				     struct salua_activation *a, int result)
{
	salua__log(e, SALUA_EV_ACTIVATED, a->path, (uint32_t)result, 0, 0);
	a->next = NULL;
	a->done(a->arg, result);
}

/* Complete activations matching @path (or all with NO_PATH). */
static void salua__fail_activations(struct salua_engine *e, unsigned path,
				    int result)
{
	struct salua_activation **pp = &e->act_head, *a;

	e->act_tail = NULL;
	while ((a = *pp) != NULL) {
		if (path == SALUA_ENGINE_NO_PATH || a->path == path) {
			*pp = a->next;
			salua__finish_activation(e, a, result);
		} else {
			e->act_tail = a;
			pp = &a->next;
		}
	}
}

/*
 * Did the array itself make another group than @path's A/O less than
 * array_hold_ms ago, and is a path of that group still A/O?
 */
static bool salua__array_holds(const struct salua_engine *e, unsigned path)
{
	const struct salua_engine_path *p = &e->paths[path];
	unsigned i;

	if (!e->cfg.array_hold_ms || !(e->flags & SALUA__EF_ARRAY_AO) ||
	    (e->cfg.array_hold_ms != SALUA_ENGINE_HOLD_FOREVER &&
	     e->ops->now(e->ctx) - e->array_ao_at >= e->cfg.array_hold_ms) ||
	    ((p->flags & SALUA_PATH_HAS_TPG) && p->tpg_id == e->array_ao_tpg))
		return false;
	for (i = 0; i < e->npaths; i++) {
		const struct salua_engine_path *q = &e->paths[i];

		if ((q->flags & (SALUA_PATH_USED | SALUA_PATH_HAS_TPG |
				 SALUA_PATH_KNOWN)) ==
			    (SALUA_PATH_USED | SALUA_PATH_HAS_TPG |
			     SALUA_PATH_KNOWN) &&
		    q->tpg_id == e->array_ao_tpg && q->state == SALUA_STATE_AO)
			return true;
	}
	return false;
}

/*
 * The activation decision: -1 = STPG needed, else a final result.  A path
 * that can carry I/O (AO, LBD, ANO) is never refused: OK.  Linux's table
 * for when to send the STPG (alua_stpg), then what the RTPG says.
 */
static int salua__activation_decide(const struct salua_engine *e,
				    const struct salua_activation *a)
{
	const struct salua_engine_path *p = &e->paths[a->path];
	bool can_stpg = (e->cfg.tpgs & SALUA_TPGS_EXPLICIT) &&
			(p->flags & SALUA_PATH_HAS_TPG);

	if (!(p->flags & SALUA_PATH_KNOWN))
		return SALUA_ACTIVATE_IO;
	switch (p->state) {
	case SALUA_STATE_AO:
	case SALUA_STATE_LBA_DEPENDENT:
		return SALUA_ACTIVATE_OK;
	case SALUA_STATE_ANO:
		if ((a->flags & SALUA__AF_STPG_SENT) || !can_stpg ||
		    ((e->cfg.flags & SALUA_ENGINE_F_OPTIMIZE_STPG) &&
		     !(p->flags & SALUA_PATH_PREF) &&
		     (e->cfg.tpgs & SALUA_TPGS_IMPLICIT)) ||
		    salua__array_holds(e, a->path))
			return SALUA_ACTIVATE_OK;
		return -1;
	case SALUA_STATE_STANDBY:
	case SALUA_STATE_UNAVAILABLE:
	case SALUA_STATE_TRANSITIONING:
		if (a->flags & SALUA__AF_STPG_SENT)
			return (a->flags & SALUA__AF_STPG_REFUSED)
				       ? SALUA_ACTIVATE_NOTSUP
				       : SALUA_ACTIVATE_FAILED;
		if (!can_stpg)
			return SALUA_ACTIVATE_NOTSUP;
		if (salua__array_holds(e, a->path))
			return SALUA_ACTIVATE_DEFERRED;
		return -1;
	case SALUA_STATE_OFFLINE:
		return SALUA_ACTIVATE_OFFLINE;
	default:
		return SALUA_ACTIVATE_NOTSUP;
	}
}

/*
 * After a good RTPG with no transition: complete what is decided; return
 * the path to send an STPG on, or NO_PATH.  The activations of that
 * path's group wait for it (AF_STPG_WAIT); salua__kick() marks them
 * AF_STPG_SENT when it submits the STPG.
 */
static unsigned salua__settle(struct salua_engine *e)
{
	struct salua_activation **pp = &e->act_head, *a, *b;
	unsigned stpg = SALUA_ENGINE_NO_PATH;
	int r;

	e->act_tail = NULL;
	while ((a = *pp) != NULL) {
		r = salua__activation_decide(e, a);
		if (r >= 0) {
			*pp = a->next;
			salua__finish_activation(e, a, r);
			continue;
		}
		/* (A removed path's activations completed at its removal.) */
		if (stpg == SALUA_ENGINE_NO_PATH) {
			stpg = a->path;
			e->stpg_tpg = e->paths[stpg].tpg_id;
		}
		e->act_tail = a;
		pp = &a->next;
	}
	if (stpg == SALUA_ENGINE_NO_PATH)
		return stpg;
	for (b = e->act_head; b; b = b->next)
		if ((e->paths[b->path].flags & SALUA_PATH_HAS_TPG) &&
		    e->paths[b->path].tpg_id == e->stpg_tpg)
			b->flags = (uint8_t)(b->flags | SALUA__AF_STPG_WAIT);
	return stpg;
}

SALUA_INLINE bool salua__need_rtpg(const struct salua_engine *e)
{
	return e->rescan_seq != e->rtpg_seq;
}

/* Choose @cmd, to be sent on @path by the submit loop. */
SALUA_INLINE void salua__due(struct salua_engine *e, unsigned cmd,
			     unsigned path)
{
	e->state = salua__st_of[SALUA__P_DUE - 1u][cmd];
	e->cur_path = (uint16_t)path;
}

/* Wait for the timer, armed for @at, to start @cmd. */
SALUA_INLINE void salua__wait(struct salua_engine *e, unsigned cmd,
			      uint64_t at)
{
	e->state = salua__st_of[SALUA__P_WAIT - 1u][cmd];
	salua__arm(e, at);
}

SALUA_INLINE void salua__idle(struct salua_engine *e)
{
	e->state = SALUA_ES_IDLE;
	salua__disarm(e);
}

/*
 * After a transition timeout with nothing usable left, the paths were set
 * to STANDBY by the engine, not by the target: keep asking slowly.
 */
static bool salua__standby_poll_due(const struct salua_engine *e)
{
	unsigned i;
	bool any = false;

	if (!e->cfg.standby_poll_ms || e->trans != SALUA__TR_EXPIRED)
		return false;
	for (i = 0; i < e->npaths; i++) {
		const struct salua_engine_path *p = &e->paths[i];

		if (!(p->flags & SALUA_PATH_USED))
			continue;
		any = true;
		if (!(p->flags & SALUA_PATH_KNOWN))
			continue;
		switch (p->state) {
		case SALUA_STATE_AO:
		case SALUA_STATE_ANO:
		case SALUA_STATE_LBA_DEPENDENT:
			return false;
		default:
			break;
		}
	}
	return any;
}

/*
 * End of a run (never inside an open transition window: see
 * salua__give_up()): idle, or the coalesced follow-up RTPG, which starts
 * after first_delay_ms like the first one, so a burst of unit attentions
 * costs one RTPG per window, not one per command latency.
 */
static void salua__finish(struct salua_engine *e, bool failed, uint64_t now)
{
	unsigned p;

	salua__clear_disabled(e);
	e->retries = 0;
	e->resizes = 0;
	e->flags = (uint8_t)(e->flags & ~SALUA__EF_FORCE_RTPG);
	if (failed)
		salua__fail_activations(e, SALUA_ENGINE_NO_PATH,
					SALUA_ACTIVATE_IO);
	p = salua__pick(e, e->cur_path);
	if (salua__need_rtpg(e) && p != SALUA_ENGINE_NO_PATH) {
		/* After a failure no hot loop: come back later. */
		salua__wait(e, SALUA_CMD_RTPG,
			    now + (failed ? e->cfg.poll_max_ms
					  : e->cfg.first_delay_ms));
		return;
	}
	if (salua__standby_poll_due(e)) {
		salua__wait(e, SALUA_CMD_RTPG, now + e->cfg.standby_poll_ms);
		return;
	}
	salua__idle(e);
}

/* Schedule the next re-poll while transitioning. */
static void salua__poll(struct salua_engine *e, uint64_t now)
{
	uint64_t at = now + e->poll_ms; /* poll_min_ms under HURRY */
	uint32_t next;

	if (at > e->trans_end)
		at = e->trans_end;
	if (e->flags & SALUA__EF_HURRY) {
		next = e->cfg.poll_min_ms;
	} else if (e->cfg.poll_mode == SALUA_POLL_FIXED) {
		next = e->cfg.poll_max_ms;
	} else {
		next = e->poll_ms * 2u;
		if (next > e->cfg.poll_max_ms || next < e->poll_ms)
			next = e->cfg.poll_max_ms;
	}
	e->poll_ms = next;
	salua__clear_disabled(e);
	e->retries = 0;
	salua__wait(e,
		    (e->cfg.flags & SALUA_ENGINE_F_TUR_PRECHECK) &&
				    !(e->flags & SALUA__EF_FORCE_RTPG)
			    ? SALUA_CMD_TUR
			    : SALUA_CMD_RTPG,
		    at);
}

/* Transition timeout: the terminal state is STANDBY (see docs). */
static void salua__expire(struct salua_engine *e)
{
	unsigned i;

	for (i = 0; i < e->npaths; i++) {
		struct salua_engine_path *p = &e->paths[i];

		if ((p->flags & (SALUA_PATH_USED | SALUA_PATH_KNOWN)) ==
			    (SALUA_PATH_USED | SALUA_PATH_KNOWN) &&
		    p->state == SALUA_STATE_TRANSITIONING)
			salua__set_path(e, i, SALUA_STATE_STANDBY,
					(p->flags & SALUA_PATH_PREF) != 0,
					p->supported);
	}
	e->trans = SALUA__TR_EXPIRED;
	e->flags = (uint8_t)(e->flags & ~SALUA__EF_HURRY);
	e->cnt.timeouts++;
	salua__log(e, SALUA_EV_TRANSITION_TIMEOUT, SALUA_ENGINE_NO_PATH,
		   e->trans_s, 0, 0);
	salua__fail_activations(e, SALUA_ENGINE_NO_PATH,
				SALUA_ACTIVATE_TIMEOUT);
}

/* Is any used path (group) of the LU transitioning? */
SALUA_INLINE bool salua__any_transitioning(const struct salua_engine *e)
{
	unsigned i;

	for (i = 0; i < e->npaths; i++)
		if ((e->paths[i].flags & (SALUA_PATH_USED | SALUA_PATH_KNOWN)) ==
			    (SALUA_PATH_USED | SALUA_PATH_KNOWN) &&
		    e->paths[i].state == SALUA_STATE_TRANSITIONING)
			return true;
	return false;
}

/*
 * The STPG of @cmd (if it is one) is given up without an answer: unknown
 * whether it ran, so its activations are decided again after an RTPG
 * instead of being judged as if it had (FAILED).
 */
SALUA_INLINE void salua__stpg_lost(struct salua_engine *e, unsigned cmd)
{
	struct salua_activation *a;

	if (cmd == SALUA_CMD_STPG)
		for (a = e->act_head; a; a = a->next)
			a->flags = 0;
}

/*
 * The run cannot go on (no usable path, retries spent, the command
 * refused): the STPG of @cmd, if it is one, is lost; inside a transition
 * window poll again (activations wait for its end, its deadline still
 * decides), else end the run as failed.
 */
static void salua__give_up(struct salua_engine *e, unsigned cmd, uint64_t now)
{
	salua__stpg_lost(e, cmd);
	if (e->trans == SALUA__TR_ACTIVE) {
		salua__poll(e, now);
		return;
	}
	salua__finish(e, true, now);
}

/*
 * The command that does the job of @cmd again on another path: an STPG
 * again; an RTPG for an RTPG, and for a TUR (the RTPG answers what the TUR
 * asked, and more).
 */
SALUA_INLINE unsigned salua__redo(unsigned cmd)
{
	return cmd == SALUA_CMD_STPG ? SALUA_CMD_STPG : SALUA_CMD_RTPG;
}

/* Does a pending activation still wait for the STPG of stpg_tpg? */
SALUA_INLINE bool salua__stpg_wanted(const struct salua_engine *e)
{
	const struct salua_activation *a;

	for (a = e->act_head; a; a = a->next)
		if (a->flags & SALUA__AF_STPG_WAIT)
			return true;
	return false;
}

/* A good RTPG or a transition report: decide what comes next. */
static void salua__decide(struct salua_engine *e, uint64_t now)
{
	unsigned p;

	e->retries = 0; /* an answer, good or "transitioning": a new budget */
	if (e->trans == SALUA__TR_ACTIVE && salua__any_transitioning(e)) {
		if (now >= e->trans_end) {
			salua__expire(e);
			salua__finish(e, false, now);
			return;
		}
		if (salua__need_rtpg(e)) {
			salua__wait(e, SALUA_CMD_RTPG,
				    now + e->cfg.first_delay_ms);
			return;
		}
		salua__poll(e, now);
		return;
	}
	if (e->trans == SALUA__TR_ACTIVE)
		salua__close_window(e, now);
	if (salua__need_rtpg(e) &&
	    salua__pick(e, e->cur_path) != SALUA_ENGINE_NO_PATH) {
		salua__wait(e, SALUA_CMD_RTPG, now + e->cfg.first_delay_ms);
		return;
	}
	/* The run's sibling retries are over: every path may carry the STPG. */
	salua__clear_disabled(e);
	p = salua__settle(e);
	if (p != SALUA_ENGINE_NO_PATH)
		salua__due(e, SALUA_CMD_STPG, p);
	else
		salua__finish(e, false, now);
}

static int salua__complete(struct salua_engine *e, uint32_t tag,
			   const struct salua_engine_completion *c);

/**
 * salua__next() - the engine's transition function.
 * @e: engine.
 * @ev: what happened (enum salua_engine_cause).
 * @now: ops->now().
 *
 * Every change of e->state is decided here, from the state and @ev (and
 * the guards named in docs/engine.md's transition table, which lists
 * every transition and the test that covers it); with
 * SALUA_ENGINE_F_LOG_STATE each one is logged as SALUA_EV_STATE.  The
 * helpers that enter a state (salua__due/wait/idle, and through them
 * salua__decide, __give_up, __finish, __poll) are called from here only.
 * ANSWER decides (salua__decide); RETRY, RETRY_LATER, PATH_FAILED,
 * REFUSED and TIMER without a path give up (salua__give_up: re-poll or
 * fail); DEADLINE in a WAIT state finishes the run (salua__finish).
 */
SALUA_INLINE void salua__next(struct salua_engine *e, unsigned ev,
			     uint64_t now)
{
	unsigned from = e->state, cmd = salua__st_cmd[from], p;
	uint64_t armed = e->timer_at, at;

	switch (ev) {
	case SALUA_EC_REQUEST: /* rescan_seq has moved */
		switch (salua__phase(e)) {
		case SALUA__P_IDLE:
			if (salua__any_path(e))
				salua__wait(e, SALUA_CMD_RTPG,
					    now + e->cfg.first_delay_ms);
			break;
		case SALUA__P_WAIT:
			e->cnt.coalesced++;
			e->flags = (uint8_t)(e->flags | SALUA__EF_FORCE_RTPG);
			/* A due STPG retry stays: an RTPG follows every STPG. */
			if (cmd == SALUA_CMD_TUR)
				e->state = SALUA_ES_WAIT_RTPG;
			at = now + e->cfg.first_delay_ms;
			if (at < e->timer_at)
				salua__arm(e, at);
			break;
		default:
			/* Chosen or in flight: its end starts one follow-up. */
			e->cnt.coalesced++;
			break;
		}
		break;
	case SALUA_EC_TIMER:
		/* Outside the window a TUR asks nothing: confirm by RTPG. */
		if (cmd == SALUA_CMD_TUR && e->trans != SALUA__TR_ACTIVE)
			cmd = SALUA_CMD_RTPG;
		p = salua__pick(e, e->cur_path);
		if (p == SALUA_ENGINE_NO_PATH)
			salua__give_up(e, cmd, now);
		else
			salua__due(e, cmd, p);
		break;
	case SALUA_EC_SUBMIT: /* every DUE state names a usable path */
		/*
		 * The activations that asked for the STPG are gone (path removed
		 * while a retry was due): naming their group now would move A/O
		 * away from the paths still in use.
		 */
		if (cmd == SALUA_CMD_STPG && !salua__stpg_wanted(e))
			cmd = SALUA_CMD_RTPG;
		e->state = salua__st_of[SALUA__P_SENT - 1u][cmd];
		/* The transition timeout does not wait for a slow command. */
		if (e->trans == SALUA__TR_ACTIVE)
			salua__arm(e, e->trans_end);
		else
			salua__disarm(e);
		break;
	case SALUA_EC_ANSWER:
		salua__decide(e, now);
		break;
	case SALUA_EC_REREAD:
		salua__due(e, SALUA_CMD_RTPG, e->cur_path);
		break;
	case SALUA_EC_RETRY:
	case SALUA_EC_RETRY_LATER:
		if (e->retries >= e->cfg.max_retries) {
			salua__give_up(e, cmd, now);
			break;
		}
		e->retries++;
		e->cnt.retries++;
		if (ev == SALUA_EC_RETRY) {
			salua__due(e, cmd, e->cur_path);
			break;
		}
		at = now + e->cfg.poll_min_ms;
		if (e->trans == SALUA__TR_ACTIVE && at > e->trans_end)
			at = e->trans_end;
		salua__wait(e, cmd, at);
		break;
	case SALUA_EC_PATH_FAILED:
		/* Disabled for the run: the pick goes on in ring order. */
		cmd = salua__redo(cmd);
		e->paths[e->cur_path].flags = (uint8_t)(
			e->paths[e->cur_path].flags | SALUA_PATH_DISABLED);
		p = salua__pick(e, e->cur_path);
		if (p == SALUA_ENGINE_NO_PATH) {
			salua__give_up(e, cmd, now);
		} else {
			e->cnt.siblings++;
			salua__log(e, SALUA_EV_SIBLING, e->cur_path,
				   e->cur_path, p, 0);
			e->retries = 0;
			salua__due(e, cmd, p);
		}
		break;
	case SALUA_EC_REFUSED:
		salua__give_up(e, cmd, now);
		break;
	case SALUA_EC_STILL_T:
		/*
		 * The window ended while the TUR was out (salua__complete()
		 * expires or closes it first): an RTPG reads what is left.
		 */
		if (e->trans != SALUA__TR_ACTIVE)
			salua__due(e, SALUA_CMD_RTPG, e->cur_path);
		else
			salua__poll(e, now);
		break;
	case SALUA_EC_DEADLINE:
		/* A command in flight: its answer decides what comes next. */
		salua__expire(e);
		if (salua__phase(e) == SALUA__P_WAIT)
			salua__finish(e, false, now);
		break;
	case SALUA_EC_PATH_GONE:
		if (salua__phase(e) == SALUA__P_SENT) {
			/*
			 * Its answer is stale (it is not awaited any more): read
			 * the states again on the next path in ring order.
			 */
			salua__stpg_lost(e, salua__redo(cmd));
			e->rtpg_seq = e->rescan_seq - 1u; /* an RTPG is owed */
			p = salua__pick(e, e->cur_path);
			if (p == SALUA_ENGINE_NO_PATH)
				salua__give_up(e, SALUA_CMD_RTPG, now);
			else
				salua__due(e, SALUA_CMD_RTPG, p);
		} else if (from == SALUA_ES_IDLE && salua__standby_poll_due(e)) {
			/* The last usable path left after a timeout. */
			salua__wait(e, SALUA_CMD_RTPG,
				    now + e->cfg.standby_poll_ms);
		}
		break;
	case SALUA_EC_NO_PATH:
	case SALUA_EC_SHUTDOWN:
		/* Nothing left to talk to: drop everything (answers stale). */
		e->trans = SALUA__TR_NONE;
		e->state = SALUA_ES_IDLE;
		if (ev == SALUA_EC_NO_PATH) {
			salua__disarm(e);
		} else {
			e->timer_at = 0;
			e->ops->cancel(e->ctx);
		}
		break;
	}
	if ((e->cfg.flags & SALUA_ENGINE_F_LOG_STATE) &&
	    (e->state != from || e->timer_at != armed))
		salua__log(e, SALUA_EV_STATE, SALUA_ENGINE_NO_PATH, from,
			   e->state, ev);
}

/*
 * Group @tpg went A/O: the array's own doing unless our STPG named it
 * (array_hold_ms).
 */
static void salua__became_ao(struct salua_engine *e, uint16_t tpg,
			     uint64_t now)
{
	if ((e->flags & SALUA__EF_STPG_OURS) && e->stpg_tpg == tpg) {
		e->flags = (uint8_t)(e->flags & ~SALUA__EF_STPG_OURS);
		return;
	}
	e->flags = (uint8_t)(e->flags | SALUA__EF_ARRAY_AO);
	e->array_ao_tpg = tpg;
	e->array_ao_at = now;
}

/* Apply complete descriptors of a good RTPG to every path. */
static void salua__apply(struct salua_engine *e, const struct salua_rtpg_info *info,
			 struct salua_rtpg_iter *it, uint64_t now)
{
	struct salua_tpg_desc d;
	unsigned i, k;
	uint16_t tmo;
	bool raw_t = false, to_ao;

	tmo = info->format == SALUA_RTPG_EXTENDED && info->implicit_transition_time
		      ? (uint16_t)info->implicit_transition_time
		      : e->cfg.transition_s;
	if (tmo != e->trans_s) {
		e->trans_s = tmo;
		if (e->trans == SALUA__TR_ACTIVE)
			e->trans_end = e->trans_start + salua__trans_ms(e);
	}
	while (salua_rtpg_next(it, &d) == 1) {
		to_ao = false;
		for (i = 0; i < e->npaths; i++) {
			struct salua_engine_path *p = &e->paths[i];
			uint8_t st = d.state;

			if (!(p->flags & SALUA_PATH_USED))
				continue;
			if (!(p->flags & SALUA_PATH_HAS_TPG)) {
				for (k = 0; k < d.port_count; k++)
					if (salua_tpg_desc_port(&d, k) ==
					    p->rel_port)
						break;
				if (k == d.port_count)
					continue;
				p->tpg_id = d.tpg_id;
				p->flags = (uint8_t)(p->flags |
						     SALUA_PATH_HAS_TPG);
			} else if (p->tpg_id != d.tpg_id) {
				continue;
			}
			if (st == SALUA_STATE_TRANSITIONING) {
				raw_t = true;
				if (e->trans == SALUA__TR_EXPIRED)
					st = SALUA_STATE_STANDBY;
			}
			if (st == SALUA_STATE_AO &&
			    (p->flags & SALUA_PATH_KNOWN) &&
			    p->state != SALUA_STATE_AO)
				to_ao = true;
			if (!(p->flags & SALUA_PATH_KNOWN) || p->state != st ||
			    ((p->flags & SALUA_PATH_PREF) != 0) != d.pref ||
			    p->supported != d.supported)
				salua__log(e, SALUA_EV_GROUP, i, d.tpg_id,
					   (uint32_t)(st | (d.pref ? 0x80u : 0u)),
					   d.supported);
			salua__set_path(e, i, st, d.pref, d.supported);
		}
		if (to_ao)
			salua__became_ao(e, d.tpg_id, now);
	}
	if (salua__any_transitioning(e)) {
		salua__open_window(e, now);
	} else if (e->trans == SALUA__TR_EXPIRED && !raw_t) {
		/* Left the transition after all: the window is over. */
		e->trans = SALUA__TR_NONE;
	}
}

static void salua__rtpg_done(struct salua_engine *e,
			     const struct salua_engine_completion *c,
			     const struct salua_sense *s, uint64_t now)
{
	bool ext = !(e->flags & SALUA__EF_EXT_UNSUPP);
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	enum salua_cmd_verdict v;
	uint32_t got, cap, want;

	v = salua_cmd_disposition(SALUA_CMD_RTPG, ext, c->status, s);
	switch (v) {
	case SALUA_CV_DONE:
		break;
	case SALUA_CV_EXT_FALLBACK:
		e->flags = (uint8_t)(e->flags | SALUA__EF_EXT_UNSUPP);
		e->cnt.ext_fallbacks++;
		salua__log(e, SALUA_EV_EXT_FALLBACK, e->cur_path, 0, 0, 0);
		salua__next(e, SALUA_EC_REREAD, now);
		return;
	case SALUA_CV_TRANSITIONING:
		if (e->trans != SALUA__TR_EXPIRED) {
			salua__set_group_state(e, e->cur_path,
					       SALUA_STATE_TRANSITIONING);
			salua__open_window(e, now);
		}
		salua__next(e, SALUA_EC_ANSWER, now);
		return;
	case SALUA_CV_RETRY:
		salua__next(e, SALUA_EC_RETRY, now);
		return;
	case SALUA_CV_RETRY_DELAYED:
		salua__next(e, SALUA_EC_RETRY_LATER, now);
		return;
	case SALUA_CV_SIBLING:
		salua__next(e, SALUA_EC_PATH_FAILED, now);
		return;
	case SALUA_CV_FAIL:
	default:
		salua__next(e, SALUA_EC_REFUSED, now);
		return;
	}
	got = c->data_len < e->alloc_len ? c->data_len : e->alloc_len;
	if (salua_rtpg_parse(e->buf, got,
			     ext ? SALUA_RTPG_EXTENDED : SALUA_RTPG_CLASSIC,
			     &info, &it) < 0) {
		salua__next(e, SALUA_EC_RETRY, now);
		return;
	}
	if (info.truncated && info.needed <= got && ext &&
	    info.format == SALUA_RTPG_EXTENDED) {
		/*
		 * The target cut its own answer short (LIO leaves the extended
		 * header out of RETURN DATA LENGTH): its classic answer is
		 * whole, so use that from now on.
		 */
		e->flags = (uint8_t)(e->flags | SALUA__EF_EXT_UNSUPP);
		e->cnt.ext_fallbacks++;
		salua__log(e, SALUA_EV_EXT_FALLBACK, e->cur_path, 1, 0, 0);
		salua__next(e, SALUA_EC_REREAD, now);
		return;
	}
	if (info.needed > e->alloc_len) {
		cap = e->buf_cap < SALUA_RTPG_MAX_ALLOC ? e->buf_cap
							: SALUA_RTPG_MAX_ALLOC;
		want = info.needed < cap ? info.needed : cap;
		if (want > e->alloc_len && e->resizes < e->cfg.max_resizes) {
			e->resizes++;
			e->cnt.resizes++;
			salua__log(e, SALUA_EV_RESIZE, e->cur_path, info.needed,
				   want, 0);
			e->alloc_len = want;
			salua__next(e, SALUA_EC_REREAD, now);
			return;
		}
		salua__log(e, SALUA_EV_TRUNCATED, e->cur_path, info.needed,
			   got, 0);
	}
	e->resizes = 0;
	salua__apply(e, &info, &it, now);
	salua__next(e, SALUA_EC_ANSWER, now);
}

static void salua__tur_done(struct salua_engine *e,
			    const struct salua_engine_completion *c,
			    const struct salua_sense *s, uint64_t now)
{
	salua__next(e,
		    salua_cmd_disposition(SALUA_CMD_TUR, false, c->status, s) ==
					    SALUA_CV_TRANSITIONING &&
				    !salua__need_rtpg(e)
			    ? SALUA_EC_STILL_T
			    : SALUA_EC_REREAD,
		    now);
}

static void salua__stpg_done(struct salua_engine *e,
			     const struct salua_engine_completion *c,
			     const struct salua_sense *s, uint64_t now)
{
	struct salua_activation *a;

	switch (salua_cmd_disposition(SALUA_CMD_STPG, false, c->status, s)) {
	case SALUA_CV_RETRY:
		salua__next(e, SALUA_EC_RETRY, now);
		return;
	case SALUA_CV_RETRY_DELAYED:
		salua__next(e, SALUA_EC_RETRY_LATER, now);
		return;
	case SALUA_CV_SIBLING:
		salua__next(e, SALUA_EC_PATH_FAILED, now);
		return;
	case SALUA_CV_FAIL:
		for (a = e->act_head; a; a = a->next)
			if (a->flags & SALUA__AF_STPG_SENT)
				a->flags = (uint8_t)(a->flags |
						     SALUA__AF_STPG_REFUSED);
		break;
	case SALUA_CV_DONE:
	case SALUA_CV_EXT_FALLBACK:
	case SALUA_CV_TRANSITIONING:
	default:
		break;
	}
	/* Re-read the states after every STPG, whatever it returned. */
	e->retries = 0;
	salua__next(e, SALUA_EC_REREAD, now);
}

/* The submit loop: send what is DUE (a synchronous answer may choose more). */
static void salua__kick(struct salua_engine *e)
{
	struct salua_engine_cmd cmd;
	struct salua_engine_completion fail;
	uint32_t tag;
	int rc;

	if (e->in_submit || (e->flags & SALUA__EF_SHUTDOWN))
		return;
	while (salua__phase(e) == SALUA__P_DUE) {
		salua__next(e, SALUA_EC_SUBMIT, 0); /* always to in flight */
		memset(&cmd, 0, sizeof(cmd));
		cmd.timeout_ms = e->cfg.cmd_timeout_ms;
		cmd.kind = (enum salua_cmd_kind)salua__st_cmd[e->state];
		switch (cmd.kind) {
		case SALUA_CMD_STPG: {
			struct salua_stpg_desc d;
			struct salua_activation *a;

			for (a = e->act_head; a; a = a->next)
				if (a->flags & SALUA__AF_STPG_WAIT)
					a->flags = (uint8_t)(a->flags |
							     SALUA__AF_STPG_SENT);
			d.state = SALUA_STATE_AO;
			d.id = e->stpg_tpg;
			e->flags = (uint8_t)(e->flags | SALUA__EF_STPG_OURS);
			cmd.dout_len = (uint32_t)salua_stpg_encode(
				e->stpg_buf, sizeof(e->stpg_buf), &d, 1);
			cmd.dout = e->stpg_buf;
			cmd.cdb_len = (uint8_t)salua_cdb_stpg(
				cmd.cdb, sizeof(cmd.cdb), cmd.dout_len);
			e->cnt.stpg++;
			break;
		}
		case SALUA_CMD_TUR:
			cmd.cdb_len =
				(uint8_t)salua_cdb_tur(cmd.cdb, sizeof(cmd.cdb));
			e->cnt.tur++;
			break;
		case SALUA_CMD_RTPG:
		default:
			cmd.din = e->buf;
			cmd.din_len = e->alloc_len;
			cmd.cdb_len = (uint8_t)salua_cdb_rtpg(
				cmd.cdb, sizeof(cmd.cdb),
				(e->flags & SALUA__EF_EXT_UNSUPP)
					? SALUA_RTPG_PDF_CLASSIC
					: SALUA_RTPG_PDF_EXTENDED,
				e->alloc_len);
			e->rtpg_seq = e->rescan_seq;
			e->flags = (uint8_t)(e->flags & ~SALUA__EF_FORCE_RTPG);
			e->cnt.rtpg++;
			break;
		}
		tag = ++e->tag;
		cmd.tag = tag;
		salua__log(e, SALUA_EV_SUBMIT, e->cur_path, (uint32_t)cmd.kind,
			   tag, cmd.din_len);
		e->in_submit = 1;
		rc = e->ops->submit(e->ctx, e->cur_path, &cmd);
		e->in_submit = 0;
		if (rc < 0 && salua__phase(e) == SALUA__P_SENT && e->tag == tag) {
			memset(&fail, 0, sizeof(fail));
			fail.xfer = SALUA_XFER_TRANSPORT;
			(void)salua__complete(e, tag, &fail);
		}
	}
}

SALUA_API void salua_engine_config_default(struct salua_engine_config *c)
{
	c->first_delay_ms = SALUA_ENGINE_FIRST_DELAY_MS;
	c->poll_min_ms = SALUA_ENGINE_POLL_MIN_MS;
	c->poll_max_ms = SALUA_ENGINE_POLL_MAX_MS;
	c->cmd_timeout_ms = SALUA_ENGINE_CMD_TIMEOUT_MS;
	c->initial_alloc = SALUA_ENGINE_INITIAL_ALLOC;
	c->standby_poll_ms = SALUA_ENGINE_STANDBY_POLL_MS;
	c->array_hold_ms = SALUA_ENGINE_ARRAY_HOLD_MS;
	c->transition_s = SALUA_ENGINE_TRANSITION_S;
	c->poll_mode = SALUA_POLL_ADAPTIVE;
	c->max_retries = SALUA_ENGINE_MAX_RETRIES;
	c->max_resizes = SALUA_ENGINE_MAX_RESIZES;
	c->tpgs = SALUA_TPGS_BOTH;
	c->flags = SALUA_ENGINE_F_TUR_PRECHECK;
}

SALUA_API int salua_engine_init(struct salua_engine *e,
				const struct salua_engine_config *cfg,
				const struct salua_engine_ops *ops, void *ctx,
				struct salua_engine_path *paths, size_t npaths,
				uint8_t *buf, size_t buf_cap)
{
	if (!e || !ops || !ops->submit || !ops->arm || !ops->cancel ||
	    !ops->now || (!paths && npaths) ||
	    npaths > SALUA_ENGINE_MAX_PATHS || !buf ||
	    buf_cap < SALUA_ENGINE_MIN_BUF)
		return -SALUA_EINVAL;
	memset(e, 0, sizeof(*e));
	if (cfg)
		e->cfg = *cfg;
	else
		salua_engine_config_default(&e->cfg);
	/* transition_s 0 would expire every transition at once. */
	if (e->cfg.poll_min_ms == 0 || e->cfg.poll_max_ms < e->cfg.poll_min_ms ||
	    e->cfg.poll_mode > SALUA_POLL_FIXED || e->cfg.transition_s == 0 ||
	    e->cfg.cmd_timeout_ms == 0)
		return -SALUA_EINVAL;
	e->ops = ops;
	e->ctx = ctx;
	e->paths = paths;
	e->npaths = (uint16_t)npaths;
	if (npaths)
		memset(paths, 0, npaths * sizeof(*paths));
	e->buf = buf;
	e->buf_cap = buf_cap > SALUA_RTPG_MAX_ALLOC ? SALUA_RTPG_MAX_ALLOC
						    : (uint32_t)buf_cap;
	e->alloc_len = e->cfg.initial_alloc;
	if (e->alloc_len < SALUA_ENGINE_MIN_BUF)
		e->alloc_len = SALUA_ENGINE_MIN_BUF;
	if (e->alloc_len > e->buf_cap)
		e->alloc_len = e->buf_cap;
	e->trans_s = e->cfg.transition_s;
	return 0;
}

/*
 * Request a run; @soft (04/0A seen): while transitioning, the re-poll
 * already due or the command in flight satisfies it.  Counting it as a
 * rescan while a command is out would chain an RTPG after every poll
 * (first_delay_ms apart) whenever the target's own 04/0A answers are also
 * fed through salua_engine_sense() (Linux 6.1 check_sense does that).
 */
static void salua__request(struct salua_engine *e, bool soft)
{
	if (e->flags & SALUA__EF_SHUTDOWN)
		return;
	e->cnt.rescans++;
	if (soft && e->state != SALUA_ES_IDLE &&
	    e->trans == SALUA__TR_ACTIVE) {
		e->cnt.coalesced++;
		return;
	}
	if (!soft && e->trans == SALUA__TR_EXPIRED)
		e->trans = SALUA__TR_NONE; /* a new report may reopen it */
	e->rescan_seq++;
	/* The time is needed only to arm the timer (idle or waiting). */
	salua__next(e, SALUA_EC_REQUEST,
		    salua__phase(e) <= SALUA__P_WAIT ? e->ops->now(e->ctx) : 0);
}

SALUA_API void salua_engine_rescan(struct salua_engine *e)
{
	salua__request(e, false);
}

SALUA_API int salua_engine_add_path(struct salua_engine *e, unsigned path,
				    uint16_t rel_port, uint16_t tpg_id,
				    bool has_tpg)
{
	struct salua_engine_path *p;
	unsigned i;

	if (!e || path >= e->npaths)
		return -SALUA_EINVAL;
	if (e->flags & SALUA__EF_SHUTDOWN)
		return -SALUA_ESTATE;
	p = &e->paths[path];
	if (p->flags & SALUA_PATH_USED)
		return -SALUA_EBUSY;
	p->rel_port = rel_port;
	p->tpg_id = has_tpg ? tpg_id : 0u;
	p->state = 0;
	p->supported = 0;
	p->flags = (uint8_t)(SALUA_PATH_USED |
			     (has_tpg ? SALUA_PATH_HAS_TPG : 0u));
	p->gen++;
	for (i = 0; has_tpg && i < e->npaths; i++) {
		const struct salua_engine_path *q = &e->paths[i];

		if (i != path &&
		    (q->flags & (SALUA_PATH_USED | SALUA_PATH_HAS_TPG |
				 SALUA_PATH_KNOWN)) ==
			    (SALUA_PATH_USED | SALUA_PATH_HAS_TPG |
			     SALUA_PATH_KNOWN) &&
		    q->tpg_id == tpg_id) {
			salua__set_path(e, path, q->state,
					(q->flags & SALUA_PATH_PREF) != 0,
					q->supported);
			break;
		}
	}
	/*
	 * Nothing known about the new path: ask through it, since some
	 * targets (scsi_debug) report only the groups of the asking port.
	 */
	if (!(p->flags & SALUA_PATH_KNOWN) && e->state == SALUA_ES_IDLE)
		e->cur_path = (uint16_t)path;
	salua__request(e, false);
	salua__kick(e);
	return 0;
}

SALUA_API int salua_engine_remove_path(struct salua_engine *e, unsigned path)
{
	if (!e || path >= e->npaths)
		return -SALUA_EINVAL;
	if (e->flags & SALUA__EF_SHUTDOWN)
		return -SALUA_ESTATE;
	if (!(e->paths[path].flags & SALUA_PATH_USED))
		return -SALUA_ENOENT;
	e->paths[path].flags = 0;
	e->paths[path].gen++;
	salua__fail_activations(e, path, SALUA_ACTIVATE_REMOVED);
	if (!salua__any_path(e)) {
		salua__next(e, SALUA_EC_NO_PATH, 0);
		return 0;
	}
	if (salua__phase(e) == SALUA__P_SENT && e->cur_path != path)
		return 0; /* the command in flight goes on */
	salua__next(e, SALUA_EC_PATH_GONE, e->ops->now(e->ctx));
	salua__kick(e);
	return 0;
}

SALUA_API void salua_engine_shutdown(struct salua_engine *e)
{
	if (!e || !e->ops || (e->flags & SALUA__EF_SHUTDOWN))
		return;
	/* Committed before any callback runs: done() sees a dead engine. */
	e->flags = (uint8_t)(e->flags | SALUA__EF_SHUTDOWN);
	salua__next(e, SALUA_EC_SHUTDOWN, 0);
	salua__fail_activations(e, SALUA_ENGINE_NO_PATH,
				SALUA_ACTIVATE_REMOVED);
}

SALUA_API int salua_engine_rescan_path(struct salua_engine *e, unsigned path,
				       const struct salua_ident *before,
				       const struct salua_ident *after)
{
	unsigned why = 0;
	int v;

	if (!e || path >= e->npaths || !before || !after)
		return -SALUA_EINVAL;
	if (e->flags & SALUA__EF_SHUTDOWN)
		return -SALUA_ESTATE;
	if (!(e->paths[path].flags & SALUA_PATH_USED))
		return -SALUA_ENOENT;
	v = salua_ident_compare(before, after, &why);
	if (v == SALUA_IDENT_DIFFERENT) {
		e->cnt.identity_drops++;
		salua__log(e, SALUA_EV_IDENTITY, path, why, 0, 0);
		salua_engine_remove_path(e, path);
	}
	if (salua__any_path(e))
		salua__request(e, false);
	return v;
}

SALUA_API struct salua_verdict salua_engine_sense(struct salua_engine *e,
						  unsigned path,
						  uint8_t status,
						  const uint8_t *sense,
						  size_t sense_len)
{
	struct salua_sense s;
	struct salua_verdict v;
	int rc = sense && sense_len ?
			 salua_sense_normalize(sense, sense_len, &s) :
			 -SALUA_ENOENT;

	v = salua_io_disposition(status, rc == 0 ? &s : NULL);
	if ((rc == 0 && s.truncated) || rc == -SALUA_ETRUNC)
		v.sense = SALUA_VSENSE_TRUNCATED;
	else if (rc < 0 && rc != -SALUA_ENOENT)
		v.sense = SALUA_VSENSE_INVALID;
	if (!e || path >= e->npaths || (e->flags & SALUA__EF_SHUTDOWN) ||
	    !(e->paths[path].flags & SALUA_PATH_USED))
		return v;
	if ((v.actions & SALUA_ACT_PATH_STATE) &&
	    v.state != SALUA_STATE_TRANSITIONING &&
	    (e->paths[path].flags & SALUA_PATH_KNOWN) &&
	    e->paths[path].state == v.state) {
		/*
		 * Nothing new (a path checker polling a standby port: every
		 * TUR answers 04/0B): no RTPG for it.
		 */
		v.actions = (uint8_t)(v.actions & ~SALUA_ACT_RESCAN);
	} else if (v.actions & SALUA_ACT_PATH_STATE) {
		if (v.state == SALUA_STATE_TRANSITIONING) {
			if (e->trans != SALUA__TR_EXPIRED) {
				salua__set_group_state(e, path, v.state);
				salua__open_window(e, e->ops->now(e->ctx));
			}
		} else {
			salua__set_group_state(e, path, v.state);
		}
	}
	if (v.actions & SALUA_ACT_RESCAN)
		salua__request(e, false);
	else if (v.actions & SALUA_ACT_TRANSITIONING)
		salua__request(e, true);
	salua__kick(e);
	return v;
}

static int salua__complete(struct salua_engine *e, uint32_t tag,
			   const struct salua_engine_completion *c)
{
	struct salua_sense s;
	const struct salua_sense *sp = NULL;
	unsigned kind;
	uint64_t now;

	if (salua__phase(e) != SALUA__P_SENT || tag != e->tag) {
		e->cnt.stale++;
		salua__log(e, SALUA_EV_STALE, SALUA_ENGINE_NO_PATH, tag, 0, 0);
		return -SALUA_ENOENT;
	}
	kind = salua__st_cmd[e->state];
	now = e->ops->now(e->ctx);
	/*
	 * A synchronous transport blocked past the transition timeout (the
	 * timer could not fire meanwhile): expire first, then use the answer.
	 */
	if (e->trans == SALUA__TR_ACTIVE && now >= e->trans_end) {
		if (salua__any_transitioning(e))
			salua__next(e, SALUA_EC_DEADLINE, now);
		else
			salua__close_window(e, now);
	}
	if (c->xfer != SALUA_XFER_OK) {
		salua__log(e, SALUA_EV_CMD_ERROR, e->cur_path, kind,
			   (uint32_t)c->xfer << 8, 0);
		salua__next(e, SALUA_EC_PATH_FAILED, now);
		return 0;
	}
	if (c->sense && c->sense_len &&
	    salua_sense_normalize(c->sense, c->sense_len, &s) == 0)
		sp = &s;
	if (c->status != SALUA_STATUS_GOOD)
		salua__log(e, SALUA_EV_CMD_ERROR, e->cur_path, kind,
			   c->status, sp ? salua_sense_asc(sp) : 0xffffu);
	switch (kind) {
	case SALUA_CMD_STPG:
		salua__stpg_done(e, c, sp, now);
		break;
	case SALUA_CMD_TUR:
		salua__tur_done(e, c, sp, now);
		break;
	case SALUA_CMD_RTPG:
	default:
		salua__rtpg_done(e, c, sp, now);
		break;
	}
	return 0;
}

SALUA_API int salua_engine_complete(struct salua_engine *e, uint32_t tag,
				    const struct salua_engine_completion *c)
{
	int rc;

	if (!e || !c)
		return -SALUA_EINVAL;
	rc = salua__complete(e, tag, c);
	salua__kick(e);
	return rc;
}

SALUA_API void salua_engine_timer(struct salua_engine *e)
{
	uint64_t now;

	if (!e || e->timer_at == 0)
		return;
	now = e->ops->now(e->ctx);
	if (now < e->timer_at) {
		e->ops->arm(e->ctx, e->timer_at);
		return;
	}
	e->timer_at = 0;
	if (e->trans == SALUA__TR_ACTIVE && now >= e->trans_end) {
		/* The paths that were transitioning may have been removed. */
		if (salua__any_transitioning(e)) {
			salua__next(e, SALUA_EC_DEADLINE, now);
			salua__kick(e);
			return;
		}
		salua__close_window(e, now);
	}
	if (salua__phase(e) == SALUA__P_WAIT) {
		salua__next(e, SALUA_EC_TIMER, now);
		salua__kick(e);
	}
}

SALUA_API void salua_engine_activate(struct salua_engine *e, unsigned path,
				     struct salua_activation *a,
				     salua_activate_fn done, void *arg)
{
	if (!a || !done)
		return;
	a->next = NULL;
	a->done = done;
	a->arg = arg;
	a->path = (uint16_t)path;
	a->flags = 0;
	if (!e || path >= e->npaths || (e->flags & SALUA__EF_SHUTDOWN) ||
	    !(e->paths[path].flags & SALUA_PATH_USED)) {
		done(arg, SALUA_ACTIVATE_REMOVED);
		return;
	}
	if (e->act_tail)
		e->act_tail->next = a;
	else
		e->act_head = a;
	e->act_tail = a;
	salua__request(e, false);
	salua__kick(e);
}

SALUA_API void salua_engine_io_waiting(struct salua_engine *e)
{
	uint64_t at;

	if (!e || (e->flags & (SALUA__EF_SHUTDOWN | SALUA__EF_HURRY)) ||
	    e->trans != SALUA__TR_ACTIVE)
		return;
	e->flags = (uint8_t)(e->flags | SALUA__EF_HURRY);
	e->poll_ms = e->cfg.poll_min_ms;
	if (e->state == SALUA_ES_WAIT_RTPG || e->state == SALUA_ES_WAIT_TUR) {
		at = e->ops->now(e->ctx) + e->cfg.poll_min_ms;
		if (at < e->timer_at)
			salua__arm(e, at);
	}
}

SALUA_API void salua_engine_set_flags(struct salua_engine *e, uint8_t mask,
				      uint8_t value)
{
	if (e)
		e->cfg.flags = (uint8_t)((e->cfg.flags & ~mask) | (value & mask));
}

SALUA_API int salua_engine_path_get(const struct salua_engine *e,
				    unsigned path, uint8_t *state, bool *pref,
				    uint8_t *supported)
{
	const struct salua_engine_path *p;

	if (!e || path >= e->npaths)
		return -SALUA_EINVAL;
	p = &e->paths[path];
	if (!(p->flags & SALUA_PATH_USED))
		return -SALUA_ENOENT;
	if (state)
		*state = p->state;
	if (pref)
		*pref = (p->flags & SALUA_PATH_PREF) != 0;
	if (supported)
		*supported = p->supported;
	return (p->flags & SALUA_PATH_KNOWN) ? 1 : 0;
}

#if !defined(SALUA_NO_STRINGS)
struct salua__out {
	char *p;
	size_t cap, n;
};

SALUA_INLINE void salua__putc(struct salua__out *o, char c)
{
	if (o->n + 1u < o->cap)
		o->p[o->n++] = c;
}

SALUA_INLINE void salua__puts(struct salua__out *o, const char *s)
{
	while (*s)
		salua__putc(o, *s++);
}

static void salua__putu(struct salua__out *o, uint32_t v)
{
	char t[10];
	unsigned n = 0;

	do {
		t[n++] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v);
	while (n)
		salua__putc(o, t[--n]);
}

static void salua__putx(struct salua__out *o, uint32_t v, unsigned digits)
{
	static const char hex[] = "0123456789abcdef";

	salua__puts(o, "0x");
	while (digits--)
		salua__putc(o, hex[(v >> (4u * digits)) & 0xfu]);
}

SALUA_INLINE char salua__state_letter(unsigned s)
{
	switch (s & SALUA_STATE_MASK) {
	case SALUA_STATE_AO: return 'A';
	case SALUA_STATE_ANO: return 'N';
	case SALUA_STATE_STANDBY: return 'S';
	case SALUA_STATE_UNAVAILABLE: return 'U';
	case SALUA_STATE_LBA_DEPENDENT: return 'L';
	case SALUA_STATE_OFFLINE: return 'O';
	case SALUA_STATE_TRANSITIONING: return 'T';
	default: return 'X';
	}
}

SALUA_API const char *salua_engine_state_name(unsigned st)
{
	static const char *const names[SALUA_ES_COUNT] = {
		"IDLE", "WAIT_RTPG", "WAIT_STPG", "WAIT_TUR", "DUE_RTPG",
		"DUE_STPG", "DUE_TUR", "RTPG", "STPG", "TUR"
	};

	return st < SALUA_ES_COUNT ? names[st] : "?";
}

SALUA_API const char *salua_engine_cause_name(unsigned ev)
{
	static const char *const names[SALUA_EC_COUNT] = {
		"REQUEST", "TIMER", "SUBMIT", "ANSWER", "REREAD", "RETRY",
		"RETRY_LATER", "PATH_FAILED", "REFUSED", "STILL_T", "DEADLINE",
		"PATH_GONE", "NO_PATH", "SHUTDOWN"
	};

	return ev < SALUA_EC_COUNT ? names[ev] : "?";
}

SALUA_API size_t salua_engine_log_format(const struct salua_engine_log *ev,
					 char *buf, size_t cap)
{
	static const char letters[] = "tolusna";
	static const uint8_t bits[] = { SALUA_SUP_T, SALUA_SUP_O, SALUA_SUP_LBD,
					SALUA_SUP_U, SALUA_SUP_S, SALUA_SUP_ANO,
					SALUA_SUP_AO };
	static const char *const kinds[] = { "rtpg", "stpg", "tur" };
	struct salua__out o;
	unsigned i;

	o.p = buf;
	o.cap = buf ? cap : 0;
	o.n = 0;
	if (!ev) {
		if (o.cap)
			buf[0] = '\0';
		return 0;
	}
	switch (ev->code) {
	case SALUA_EV_SUBMIT:
		salua__puts(&o, ev->a < 3u ? kinds[ev->a] : "?");
		salua__puts(&o, " submitted on path ");
		salua__putu(&o, ev->path);
		salua__puts(&o, " tag ");
		salua__putu(&o, ev->b);
		if (ev->a == SALUA_CMD_RTPG) {
			salua__puts(&o, " alloc ");
			salua__putu(&o, ev->c);
		}
		break;
	case SALUA_EV_GROUP:
		salua__puts(&o, "port group ");
		salua__putx(&o, ev->a, 4);
		salua__puts(&o, " state ");
		salua__putc(&o, salua__state_letter(ev->b));
		if (ev->b & 0x80u)
			salua__puts(&o, " preferred");
		salua__puts(&o, " supports ");
		for (i = 0; i < sizeof(bits); i++)
			salua__putc(&o, (ev->c & bits[i])
						? (char)(letters[i] - 'a' + 'A')
						: letters[i]);
		break;
	case SALUA_EV_EXT_FALLBACK:
		salua__puts(&o, ev->a == 1u
					? "extended answer shorter than its "
					  "descriptors (RETURN DATA LENGTH), "
					  "using classic RTPG"
					: "extended header refused, using "
					  "classic RTPG");
		break;
	case SALUA_EV_RESIZE:
		salua__puts(&o, "rtpg needs ");
		salua__putu(&o, ev->a);
		salua__puts(&o, " bytes, re-issuing with ");
		salua__putu(&o, ev->b);
		break;
	case SALUA_EV_TRUNCATED:
		salua__puts(&o, "rtpg data truncated: needs ");
		salua__putu(&o, ev->a);
		salua__puts(&o, " bytes, got ");
		salua__putu(&o, ev->b);
		break;
	case SALUA_EV_TRANSITION_START:
		salua__puts(&o, "transitioning, timeout ");
		salua__putu(&o, ev->a);
		salua__puts(&o, " s");
		break;
	case SALUA_EV_TRANSITION_END:
		salua__puts(&o, "transition ended after ");
		salua__putu(&o, ev->a);
		salua__puts(&o, " ms");
		break;
	case SALUA_EV_TRANSITION_TIMEOUT:
		salua__puts(&o, "transition timed out after ");
		salua__putu(&o, ev->a);
		salua__puts(&o, " s, groups set to standby");
		break;
	case SALUA_EV_SIBLING:
		salua__puts(&o, "path ");
		salua__putu(&o, ev->a);
		salua__puts(&o, " failed, retrying on path ");
		salua__putu(&o, ev->b);
		break;
	case SALUA_EV_CMD_ERROR:
		salua__puts(&o, ev->a < 3u ? kinds[ev->a] : "?");
		if (ev->b >> 8) {
			salua__puts(&o, ev->b >> 8 == SALUA_XFER_TIMEOUT
						? " timed out"
						: " transport error");
		} else {
			salua__puts(&o, " status ");
			salua__putx(&o, ev->b, 2);
			salua__puts(&o, " asc ");
			salua__putx(&o, ev->c, 4);
		}
		salua__puts(&o, " on path ");
		salua__putu(&o, ev->path);
		break;
	case SALUA_EV_ACTIVATED:
		salua__puts(&o, "activation of path ");
		salua__putu(&o, ev->path);
		salua__puts(&o, " done: ");
		salua__putu(&o, ev->a);
		break;
	case SALUA_EV_STALE:
		salua__puts(&o, "stale completion tag ");
		salua__putu(&o, ev->a);
		break;
	case SALUA_EV_IDENTITY:
		salua__puts(&o, "path ");
		salua__putu(&o, ev->path);
		salua__puts(&o, " leads to another logical unit: removed");
		break;
	case SALUA_EV_STATE:
		salua__puts(&o, "state ");
		salua__puts(&o, salua_engine_state_name(ev->a));
		salua__puts(&o, " -> ");
		salua__puts(&o, salua_engine_state_name(ev->b));
		salua__puts(&o, " (");
		salua__puts(&o, salua_engine_cause_name(ev->c));
		salua__putc(&o, ')');
		break;
	default:
		salua__puts(&o, "event ");
		salua__putu(&o, ev->code);
		break;
	}
	if (o.cap)
		buf[o.n] = '\0';
	return o.n;
}
#endif

SALUA_END_DECLS

#endif
