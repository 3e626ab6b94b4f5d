/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_lu.h - the user-space host's logical unit: the one place in user
 * space where the engine, the selector and the transports are wired
 * together (DESIGN.md §1).
 *
 * A struct salua_lu owns, for one logical unit:
 *   - its paths, each with a transport (salua_transport.h);
 *   - one engine (engine.h): its commands go to the named path's
 *     transport, its timer is a loop timer, its clock the loop's clock;
 *   - one selector and its published map (salua_selector_atomic.h): every
 *     engine notify updates the path's state and republishes the map;
 *   - the I/O path: salua_lu_submit() picks a path per I/O, accounts it
 *     (in-flight count, bytes, completion latency), and sends every
 *     completion through the core's disposition: retry, delayed retry
 *     while transitioning, requeue, fail over, fail; with no usable path
 *     the I/O waits, bounded by time (cfg.sel.queue_ms) or by checker
 *     intervals (cfg.sel.queue_retries, as no_path_retry N), and fails
 *     with a clear error (SALUA_LU_NOPATH) once the bound has passed;
 *   - a path checker: TEST UNIT READY on paths whose transport failed or
 *     that lost the LU (05/25/00), reinstating them when they answer;
 *   - marginal-path demotion (salua_sel_health_*): a path that answers its
 *     checker but keeps failing I/O is demoted for a while, then probed
 *     back; latency averages re-weighted periodically (latency policy);
 *   - explicit activation (STPG) of a standby path when nothing is usable
 *     and the array supports it.
 *
 * Everything runs in the thread of the loop (salua_loop.h) the LU was
 * created on: submit, completions, timers, events.  Other threads may
 * pick from the published map through salua_lu_pub() with a reader slot
 * of their own (cfg.extra_readers).
 *
 * User space, C11 (atomics); allocates at creation and per engine
 * command, never per I/O.
 */
#ifndef SALUA_LU_H
#define SALUA_LU_H

#include <stdbool.h>
#include <stdint.h>

#include "salua/salua.h"
#include "salua_loop.h"
#include "salua_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SALUA_LU_SENSE_MAX 96u
#define SALUA_LU_WHY_MAX 256u
#define SALUA_LU_NAME_MAX 128u

struct salua_lu;
struct salua_selpub;
struct salua_lu_event;

/**
 * struct salua_lu_config - everything tunable; salua_lu_config_default().
 * @engine: the engine's config (cmd_timeout_ms also bounds checker TURs).
 * @sel: the selector's: policy, no-path policy and bounds (queue_ms,
 *	queue_retries counted in checker intervals).
 * @prep: retry delay while transitioning.
 * @health: marginal-path detection (errors 0 turns it off).
 * @check_ms: path checker period: TURs to failed paths, one no-path
 *	retry tick, demotion ends.
 * @check_all: the checker sends TEST UNIT READY to every path each
 *	period, not only to failed ones, and hands news in their sense (a
 *	UNIT ATTENTION, a new NOT READY) to the engine: state changes are
 *	seen without I/O (alua_probe --watch; multipathd's checker).
 * @reweight_ms: latency policy: how often the averages become weights.
 * @io_timeout_ms: per-attempt timeout of an I/O that gives none.
 * @io_deadline_ms: an I/O fails (SALUA_LU_RETRIES) when this much time
 *	passed outside the no-path queue; 0 = (max_retries + 1) x timeout,
 *	as Linux bounds a request.
 * @requeue_delay_ms: after 3 immediate requeues / failovers of one I/O,
 *	each further one waits this long.
 * @max_retries: retries of one I/O on errors that are retried (ABORTED
 *	COMMAND, UNIT ATTENTION, becoming ready).
 * @auto_activate: when nothing is usable and a path's group is standby or
 *	unavailable, activate it (STPG) if the array supports explicit ALUA.
 * @extra_readers: reader slots for other threads (salua_lu_pub()).
 * @on_event: optional; every event (struct salua_lu_event), from the
 *	loop thread.
 * @event_ctx: for @on_event.
 */
struct salua_lu_config {
	struct salua_engine_config engine;
	struct salua_sel_cfg sel;
	struct salua_prep_config prep;
	struct salua_sel_health_cfg health;
	uint32_t check_ms;
	bool check_all;
	uint32_t reweight_ms;
	uint32_t io_timeout_ms;
	uint32_t io_deadline_ms;
	uint32_t requeue_delay_ms;
	uint8_t max_retries;
	bool auto_activate;
	unsigned extra_readers;
	void (*on_event)(void *ctx, const struct salua_lu_event *ev);
	void *event_ctx;
};

/**
 * salua_lu_config_default() - engine and prep defaults, numa policy,
 *	queue while a path may come back for at most 30 s, marginal
 *	detection on (salua_sel_health_config_default()), checker 1 s,
 *	re-weight 1 s, I/O timeout 30 s, requeue delay 10 ms, 5 retries,
 *	auto-activation on.
 * @c: out.
 */
void salua_lu_config_default(struct salua_lu_config *c);

/**
 * struct salua_lu_path_desc - one path to add.
 * @name: for messages and reports ("/dev/sg1", "sim:p0/l0"); copied.
 * @xport: its transport; the LU drives and finally closes it.
 * @rel_port: relative target port from VPD 0x83.
 * @tpg: target port group from VPD 0x83 (with @has_tpg).
 * @has_tpg: VPD 0x83 named the group.
 * @node: NUMA node of the path, or SALUA_SEL_NO_NODE.
 * @keep_open: the LU never closes this transport (the caller does); the
 *	caller then makes sure nothing is in flight on it when the LU is
 *	freed or the path removed (a synchronous transport, or an idle LU).
 */
struct salua_lu_path_desc {
	const char *name;
	struct salua_transport xport;
	uint16_t rel_port;
	uint16_t tpg;
	bool has_tpg;
	unsigned node;
	bool keep_open;
};

/**
 * enum salua_lu_result - how an I/O ended.
 * @SALUA_LU_OK: GOOD (or CONDITION MET).
 * @SALUA_LU_STATUS: the device answered with an error the host does not
 *	retry (status and sense in the I/O).
 * @SALUA_LU_NOPATH: no usable path, and the no-path bound passed (or no
 *	path could come back).
 * @SALUA_LU_RETRIES: retries exhausted or the I/O deadline passed.
 * @SALUA_LU_INVALID: the request was malformed.
 * @SALUA_LU_SHUTDOWN: the LU was freed first.
 */
enum salua_lu_result {
	SALUA_LU_OK = 0,
	SALUA_LU_STATUS = 1,
	SALUA_LU_NOPATH = 2,
	SALUA_LU_RETRIES = 3,
	SALUA_LU_INVALID = 4,
	SALUA_LU_SHUTDOWN = 5
};

struct salua_lu_io;
typedef void (*salua_lu_done_fn)(struct salua_lu_io *io);

/**
 * struct salua_lu_io - one I/O (caller storage, valid until @done ran).
 * @cdb: CDB; read at every attempt, so it must stay valid until @done.
 * @cdb_len: 6..16.
 * @dir: enum salua_xport_dir.
 * @data: data buffer (valid until @done).
 * @len: its length (transfer / allocation length).
 * @timeout_ms: per-attempt timeout; 0 = cfg.io_timeout_ms.
 * @done: REQUIRED; called once, from the loop thread.
 * @priv: the caller's.
 * @result: enum salua_lu_result.
 * @status: last SCSI status (SALUA_LU_OK / _STATUS).
 * @sense: last sense received, @sense_len bytes.
 * @data_len: bytes transferred by the successful attempt.
 * @path: path of the last attempt (SALUA_SEL_NO_PATH: never sent).
 * @attempts: commands sent for this I/O.
 * @retries: retries on retried errors.
 * @failovers: moves to another path (path failure, standby...).
 * @requeues: requeues (BUSY, UNIT ATTENTION).
 * @submit_us: when salua_lu_submit() took it.
 * @done_us: when it completed.
 * @queued_us: total time it waited with no usable path.
 * @why: for a failure, one line saying why (paths and their states).
 */
struct salua_lu_io {
	const uint8_t *cdb;
	uint8_t cdb_len;
	uint8_t dir;
	void *data;
	uint32_t len;
	uint32_t timeout_ms;
	salua_lu_done_fn done;
	void *priv;

	enum salua_lu_result result;
	uint8_t status;
	uint8_t sense_len;
	uint8_t sense[SALUA_LU_SENSE_MAX];
	uint32_t data_len;
	uint16_t path;
	uint16_t attempts, retries, failovers, requeues;
	uint64_t submit_us, done_us, queued_us;
	char why[SALUA_LU_WHY_MAX];

	/* private */
	struct salua_lu *lu_;
	struct salua_lu_io *next_;
	struct salua_lu_io *all_prev_, *all_next_;
	struct salua_timer tm_;
	uint64_t start_us_, wait_start_us_;
	uint8_t where_;
	uint8_t fast_;
};

/**
 * enum salua_lu_event_kind - what happened (struct salua_lu_event).
 * @SALUA_LU_EV_STATE: a path's access state changed: @a new state, @b old
 *	state (0xff: unknown), @c PREF.
 * @SALUA_LU_EV_ENGINE: an engine log event (@log).
 * @SALUA_LU_EV_SENSE: an I/O or checker command came back with sense:
 *	@a key << 16 | asc << 8 | ascq, @b SCSI status.
 * @SALUA_LU_EV_PATH_DOWN: a path's transport failed: @text says how.
 * @SALUA_LU_EV_PATH_UP: a failed path answered its checker again.
 * @SALUA_LU_EV_DISCONNECTED: the LU is not mapped to this port (25/00).
 * @SALUA_LU_EV_MARGINAL: a path was demoted: @a demotion in ms.
 * @SALUA_LU_EV_PROBATION: its demotion ended; I/O probes it.
 * @SALUA_LU_EV_HEALTHY: it passed probation.
 * @SALUA_LU_EV_QUEUE_START: no usable path: I/O waits from now.
 * @SALUA_LU_EV_QUEUE_END: a path is usable again: @a ms waited.
 * @SALUA_LU_EV_NOPATH: the no-path bound passed: @a I/Os failed, @text.
 * @SALUA_LU_EV_ACTIVATE: activation (STPG) of path @path started.
 * @SALUA_LU_EV_ACTIVATED: it ended: @a enum salua_activate_result.
 * @SALUA_LU_EV_MAP: a new map: @a usable paths, @b generation, @c policy.
 * @SALUA_LU_EV_COMMAND: one of the engine's commands completed on @path:
 *	@a enum salua_cmd_kind, @b xfer << 8 | SCSI status, @c data bytes
 *	received; @data / @sense with their lengths; @text the outcome.
 * @SALUA_LU_EV_CHECK: a checker TEST UNIT READY brought news (a UNIT
 *	ATTENTION, a different sense than last time): @a key << 16 |
 *	asc << 8 | ascq, @b SCSI status.
 */
enum salua_lu_event_kind {
	SALUA_LU_EV_STATE = 1,
	SALUA_LU_EV_ENGINE,
	SALUA_LU_EV_SENSE,
	SALUA_LU_EV_PATH_DOWN,
	SALUA_LU_EV_PATH_UP,
	SALUA_LU_EV_DISCONNECTED,
	SALUA_LU_EV_MARGINAL,
	SALUA_LU_EV_PROBATION,
	SALUA_LU_EV_HEALTHY,
	SALUA_LU_EV_QUEUE_START,
	SALUA_LU_EV_QUEUE_END,
	SALUA_LU_EV_NOPATH,
	SALUA_LU_EV_ACTIVATE,
	SALUA_LU_EV_ACTIVATED,
	SALUA_LU_EV_MAP,
	SALUA_LU_EV_COMMAND,
	SALUA_LU_EV_CHECK
};

/**
 * struct salua_lu_event - one event.
 * @lu: the LU.
 * @t_us: loop time.
 * @kind: enum salua_lu_event_kind.
 * @path: path index, or SALUA_SEL_NO_PATH.
 * @a: see the kind.
 * @b: see the kind.
 * @c: see the kind.
 * @text: optional text (valid during the callback).
 * @log: SALUA_LU_EV_ENGINE: the engine's event.
 * @data: SALUA_LU_EV_COMMAND: data-in received (@c bytes).
 * @sense: sense bytes, or NULL.
 * @sense_len: bytes at @sense.
 */
struct salua_lu_event {
	struct salua_lu *lu;
	uint64_t t_us;
	uint16_t kind;
	uint16_t path;
	uint32_t a, b, c;
	const char *text;
	const struct salua_engine_log *log;
	const uint8_t *data;
	const uint8_t *sense;
	uint32_t sense_len;
};

/**
 * struct salua_lu_path_info - a path's view for reports.
 * @name: its name.
 * @state: access state (valid with @known).
 * @known: the engine has learned it.
 * @pref: PREF bit.
 * @failed: transport failed; the checker is probing it.
 * @disconnected: the LU is not mapped to its port (25/00).
 * @health: enum salua_sel_health_state.
 * @inflight: I/Os in flight on it.
 * @lat_us: completion-latency average (0: none yet).
 * @ios: I/Os completed on it (any outcome).
 * @good: of which GOOD.
 * @errors: path-level failures (transport, timeout, aborted).
 * @bytes: bytes of the GOOD ones.
 * @demotions: times it was demoted.
 * @why: last failure text ("" if none).
 */
struct salua_lu_path_info {
	const char *name;
	uint8_t state;
	bool known, pref, failed, disconnected;
	uint8_t health;
	uint32_t inflight;
	uint32_t lat_us;
	uint64_t ios, good, errors, bytes;
	uint32_t demotions;
	const char *why;
};

/**
 * salua_lu_new() - create a LU on @loop.
 * @loop: the loop that drives it (and its clock).
 * @name: the LU's name for messages (LU name from VPD 0x83); copied.
 * @cfg: config, or NULL for salua_lu_config_default(); copied.
 * @max_paths: path slots (1..SALUA_ENGINE_MAX_PATHS).
 * @tpgs: TPGS field of standard INQUIRY (gates STPG).
 *
 * Return: the LU, or NULL (-EINVAL / -ENOMEM in errno terms; out of
 * memory or a config the engine or selector refuses).
 */
struct salua_lu *salua_lu_new(struct salua_loop *loop, const char *name,
			      const struct salua_lu_config *cfg,
			      unsigned max_paths, unsigned tpgs);

/**
 * salua_lu_add_path() - add a path; the engine learns its state at once
 *	if a sibling in its group knows it, else with the next RTPG.
 * @lu: LU.
 * @d: the path.
 *
 * Return: the path index, or -EINVAL (bad descriptor), -ENOSPC (all
 * @max_paths slots in use: never dropped silently), -ENOMEM.
 */
int salua_lu_add_path(struct salua_lu *lu,
		      const struct salua_lu_path_desc *d);

/**
 * salua_lu_remove_path() - take a path away: its transport is closed (I/O
 *	in flight on it completes as a transport failure and fails over).
 * @lu: LU.
 * @idx: path index.
 *
 * Return: 0, -EINVAL.
 */
int salua_lu_remove_path(struct salua_lu *lu, unsigned idx);

/**
 * salua_lu_submit() - send one I/O down the LU.
 * @lu: LU.
 * @io: the I/O (request fields set; @done required).
 *
 * Never completes the I/O before returning: @done runs later from the
 * loop (even for a synchronous transport or an immediate failure).
 *
 * Return: 0, or -EINVAL for a malformed request (nothing queued).
 */
int salua_lu_submit(struct salua_lu *lu, struct salua_lu_io *io);

/* Free the LU: I/O still held completes with SALUA_LU_SHUTDOWN first. */
void salua_lu_free(struct salua_lu *lu);

/* Ask the engine for a fresh RTPG. */
void salua_lu_rescan(struct salua_lu *lu);

/**
 * salua_lu_set_policy() - switch the selector policy (republishes).
 * @lu: LU.
 * @policy: enum salua_sel_policy.
 * Return: 0 or -EINVAL.
 */
int salua_lu_set_policy(struct salua_lu *lu, unsigned policy);

/* Paths added so far (indexes 0..n-1, removed ones included). */
unsigned salua_lu_npaths(const struct salua_lu *lu);

/* A path's view.  Return: 0, or -EINVAL for a bad index. */
int salua_lu_path_info(const struct salua_lu *lu, unsigned idx,
		       struct salua_lu_path_info *out);

/* Is the engine idle (nothing in flight, nothing scheduled)? */
bool salua_lu_engine_idle(const struct salua_lu *lu);

/* The LU's name. */
const char *salua_lu_name(const struct salua_lu *lu);

/* The loop the LU runs on. */
struct salua_loop *salua_lu_loop(const struct salua_lu *lu);

/* I/O submitted and not yet completed; of which waiting with no path. */
unsigned salua_lu_inflight(const struct salua_lu *lu);
unsigned salua_lu_waiting(const struct salua_lu *lu);

/* The engine (read-only use: counters, path states). */
const struct salua_engine *salua_lu_engine(const struct salua_lu *lu);

/* The currently published map. */
const struct salua_sel_map *salua_lu_map(const struct salua_lu *lu);

/**
 * salua_lu_pub() - the publisher, for picks from other threads: reader
 *	slot k (1..cfg.extra_readers) is &salua_lu_pub(lu)->rd[k].
 */
struct salua_selpub *salua_lu_pub(struct salua_lu *lu);

/* Name of an event kind ("state", "path-down", ...). */
const char *salua_lu_event_name(unsigned kind);

/* Name of a result ("ok", "status", "no-path", ...). */
const char *salua_lu_result_name(enum salua_lu_result r);

/**
 * salua_lu_event_format() - one line of text for an event.
 * @ev: event.
 * @buf: output, always NUL-terminated when @cap > 0.
 * @cap: its capacity.
 * Return: @buf.
 */
const char *salua_lu_event_format(const struct salua_lu_event *ev, char *buf,
				  size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* SALUA_LU_H */
