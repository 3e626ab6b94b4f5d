/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/selector.h - multipath path selector: which path of one logical
 * unit gets the next I/O, from the paths' ALUA access states (SPC-5
 * §5.16.2.1, Table 355 states; PREF bit of the RTPG descriptor, Table 357).
 *
 * Two halves with different costs:
 *
 *  - The slow path, salua_sel_build(), runs on a state or configuration
 *    change (rare).  It reads the caller's path array and writes a compact,
 *    immutable struct salua_sel_map: the members of the best usable class
 *    in priority order, the nearest path per NUMA node, the current
 *    failover path, and the verdict to give when nothing is usable.  It is
 *    O(n) plus O(nodes x class size) for the NUMA table.
 *
 *  - The hot path, salua_sel_pick*() (one call per I/O), reads only the
 *    map (plus the in-flight counters for queue-depth and service-time,
 *    and the completion-latency averages for latency).  numa, round-robin,
 *    latency and failover are O(1) whatever the path count; queue-depth and
 *    service-time scan the best class only, O(class size), and stop early
 *    at an idle path.  Their opt-in sampled variant (cfg.sample, "power of
 *    two choices") compares two members of the class drawn from the
 *    reader's cursor: O(1), but not exact.
 *
 * Usability: active/optimized first, then active/non-optimized, then (as
 * configured) lba-dependent, then marginal paths (usable, but demoted
 * because their I/O keeps failing; salua_sel_health_io()).  Standby,
 * unavailable and offline paths, paths the administrator (or the host,
 * for a path whose transport failed) disabled, and transitioning paths
 * are never chosen; a
 * transitioning path means "may come back soon", so when nothing is usable
 * the verdict is to queue (bounded in time or in retries, like
 * multipath-tools' no_path_retry) rather than to fail.  The PREF bit breaks
 * ties within a class.
 *
 * Concurrency: the core holds no lock and no atomic.  A selector instance
 * (struct salua_sel) and salua_sel_build() are serialized by the caller;
 * a built map is never written again, so any number of readers may pick
 * from it while the writer builds the next one into other storage.
 * Publishing the map is the caller's job:
 *
 *  - In the Linux kernel, allocate each map together with its slot and
 *    NUMA arrays in one block, build it, publish it with
 *    rcu_assign_pointer() under the writer's lock, and free the previous
 *    block with kfree_rcu() (or after synchronize_rcu()).  Readers pick
 *    between rcu_read_lock() and rcu_read_unlock() on the pointer returned
 *    by rcu_dereference(); the round-robin cursor can live per CPU (or be
 *    an atomic_t), and the in-flight counters are atomic_t/atomic64_t
 *    updated at request start and completion.
 *  - In user space, shims/host/salua_selector_atomic.h publishes the map
 *    through a C11 atomic pointer, reclaims old maps by quiescent states,
 *    and keeps the counters atomic.  It is not part of the freestanding
 *    core.  Such a publisher loads the counters its own way and feeds them
 *    to the pick building blocks below (salua_sel_cursor_start(),
 *    salua_sel_st_first() / salua_sel_st_offer(), salua_sel_draw2() with
 *    salua_sel_qd2_choose() / salua_sel_st2_choose(), salua_sel_lat_draw()
 *    with salua_sel_lat_choose()), which are exactly what salua_sel_pick()
 *    is made of.
 *
 * Anchors: NVMe native multipath iopolicies numa / round-robin /
 * queue-depth (and the proposed latency-based one); dm-multipath's
 * round-robin, queue-length, service-time and historical-service-time
 * selectors; VMware's latency round-robin; multipath-tools' failover with
 * group_by_prio and failback, and its marginal-path detection.
 */
#ifndef SALUA_SELECTOR_H
#define SALUA_SELECTOR_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "referrals.h"

SALUA_BEGIN_DECLS

/* A path index that names no path; also the largest path count + 1. */
#define SALUA_SEL_NO_PATH 0xffffu
/* A path that is attached to no NUMA node (treated as local everywhere). */
#define SALUA_SEL_NO_NODE 0xffffu
/* Default distances when the caller gives neither table nor callback. */
#define SALUA_SEL_LOCAL_DISTANCE 10u
#define SALUA_SEL_REMOTE_DISTANCE 20u
/* Largest relative throughput of a path (dm-service-time's range). */
#define SALUA_SEL_TP_MAX 100u
/* Latency policy: largest weight of a path in the weighted rotation. */
#define SALUA_SEL_LAT_WMAX 16u
/* Latency averages: each sample moves the average by 1/2^this. */
#define SALUA_SEL_LAT_SHIFT 3u

/**
 * enum salua_sel_policy - how a path is chosen within the best class.
 * @SALUA_SEL_NUMA: the path nearest to the submitting NUMA node (distance
 *	ties: preferred, then lower index); cached per node at build. O(1).
 * @SALUA_SEL_ROUND_ROBIN: rotate over the best class, exact rotation for
 *	one cursor. O(1).
 * @SALUA_SEL_QUEUE_DEPTH: fewest in-flight I/Os in the best class; ties
 *	rotate. O(class size), early exit at an idle path.
 * @SALUA_SEL_SERVICE_TIME: least (in-flight bytes + this I/O) divided by
 *	the path's relative throughput, as dm-service-time; ties rotate.
 *	O(class size).
 * @SALUA_SEL_FAILOVER: one path until it is no longer usable, then the
 *	highest-priority usable path (class, then PREF, then lower index).
 *	O(1).
 * @SALUA_SEL_LATENCY: latency-aware: the map holds a rotation over the
 *	best class in which each path appears in proportion to 1 / its
 *	completion-latency average (salua_sel_set_latency(), weights 1 to
 *	SALUA_SEL_LAT_WMAX), and the class's fastest path; a pick takes the
 *	next path of the rotation unless the fastest path's expected wait,
 *	(in-flight + 1) x average, is lower (salua_sel_pick_lat()).  O(1),
 *	integer only.
 */
enum salua_sel_policy {
	SALUA_SEL_NUMA = 0,
	SALUA_SEL_ROUND_ROBIN = 1,
	SALUA_SEL_QUEUE_DEPTH = 2,
	SALUA_SEL_SERVICE_TIME = 3,
	SALUA_SEL_FAILOVER = 4,
	SALUA_SEL_LATENCY = 5
};
#define SALUA_SEL_NPOLICIES 6u

/**
 * enum salua_sel_lbd - where lba-dependent paths rank.
 * @SALUA_SEL_LBD_NEVER: never chosen (the default: the selector does not
 *	know which LBAs a path serves).
 * @SALUA_SEL_LBD_LAST: a class of their own after active/non-optimized.
 * @SALUA_SEL_LBD_AS_ANO: in the active/non-optimized class.
 * @SALUA_SEL_LBD_AS_AO: in the active/optimized class.
 */
enum salua_sel_lbd {
	SALUA_SEL_LBD_NEVER = 0,
	SALUA_SEL_LBD_LAST = 1,
	SALUA_SEL_LBD_AS_ANO = 2,
	SALUA_SEL_LBD_AS_AO = 3
};

/**
 * enum salua_sel_failback - failover policy: when to leave a usable path.
 * @SALUA_SEL_FAILBACK_IMMEDIATE: at each build, move to the
 *	highest-priority usable path if it ranks strictly above the current
 *	one (multipath-tools "failback immediate").
 * @SALUA_SEL_FAILBACK_MANUAL: stay on the current path while it is usable;
 *	salua_sel_failback() requests a move at the next build
 *	("failback manual"; a deferred failback is a timer that calls it).
 */
enum salua_sel_failback {
	SALUA_SEL_FAILBACK_IMMEDIATE = 0,
	SALUA_SEL_FAILBACK_MANUAL = 1
};

/**
 * enum salua_sel_nopath - what to do when no path is usable.
 * @SALUA_SEL_NOPATH_QUEUE_IF_RETURNING: queue while a path may come back
 *	(an enabled path is transitioning, or the caller said so with
 *	salua_sel_set_may_return()), within the bounds; otherwise fail.
 * @SALUA_SEL_NOPATH_QUEUE: queue even when no path is expected back
 *	(dm's queue_if_no_path), within the bounds.
 * @SALUA_SEL_NOPATH_FAIL: always fail (no_path_retry fail).
 */
enum salua_sel_nopath {
	SALUA_SEL_NOPATH_QUEUE_IF_RETURNING = 0,
	SALUA_SEL_NOPATH_QUEUE = 1,
	SALUA_SEL_NOPATH_FAIL = 2
};

/**
 * enum salua_sel_verdict - a pick's answer when it gives no path.
 * @SALUA_SEL_QUEUE: hold the I/O and pick again after the next map.
 * @SALUA_SEL_FAIL: complete the I/O with an error.
 *
 * These are decisions, not error codes: a pick never fails.
 */
enum salua_sel_verdict {
	SALUA_SEL_QUEUE = -1,
	SALUA_SEL_FAIL = -2
};

/**
 * enum salua_sel_class - rank of a path; lower is better.
 * @SALUA_SEL_CLASS_AO: active/optimized (and lba-dependent with AS_AO).
 * @SALUA_SEL_CLASS_ANO: active/non-optimized (and lba-dependent AS_ANO).
 * @SALUA_SEL_CLASS_LBD: lba-dependent with SALUA_SEL_LBD_LAST.
 * @SALUA_SEL_CLASS_MARGINAL: any usable path marked marginal: used only
 *	when no healthy path is usable (multipath-tools' marginal path group).
 * @SALUA_SEL_CLASS_NONE: not usable.
 */
enum salua_sel_class {
	SALUA_SEL_CLASS_AO = 0,
	SALUA_SEL_CLASS_ANO = 1,
	SALUA_SEL_CLASS_LBD = 2,
	SALUA_SEL_CLASS_MARGINAL = 3,
	SALUA_SEL_CLASS_NONE = 4
};

/**
 * struct salua_sel_path - one path as the selector sees it (caller-owned
 *	array, written only through the salua_sel_set_*() calls).
 * @state: ALUA access state nibble (enum salua_state).
 * @pref: PREF bit of the path's target port group (SPC-5 Table 357).
 * @enabled: administrative flag; a disabled path is never chosen.
 * @tp: relative throughput 0..100 for service-time (default 1).
 * @node: NUMA node of the path, or SALUA_SEL_NO_NODE.
 * @marginal: demoted below every healthy usable path (salua_sel_health_io()
 *	decides; salua_sel_set_marginal() records).
 * @reserved: zero.
 * @lat: completion-latency average in the caller's unit (microseconds in
 *	the user-space host), 0 = not measured yet; the latency policy's
 *	weights at build.
 */
struct salua_sel_path {
	uint8_t state;
	uint8_t pref;
	uint8_t enabled;
	uint8_t tp;
	uint16_t node;
	uint8_t marginal;
	uint8_t reserved;
	uint32_t lat;
};

/**
 * struct salua_sel_cfg - selector configuration.
 * @policy: enum salua_sel_policy.
 * @lbd: enum salua_sel_lbd.
 * @failback: enum salua_sel_failback (failover policy only).
 * @nopath: enum salua_sel_nopath.
 * @queue_ms: stop queueing this many ms after the last usable path went
 *	away; 0 = no time bound.
 * @queue_retries: stop queueing after this many salua_sel_tick() calls
 *	(checker intervals, as no_path_retry N); 0 = no retry bound.  With
 *	both bounds 0, queueing is unbounded.
 * @nnodes: number of NUMA nodes (0..0xfffe); the map's NUMA table needs
 *	this many entries.
 * @sample: 0 (default): queue-depth and service-time are exact (least
 *	load over the whole best class, O(class size)).  1: they compare
 *	two distinct members drawn pseudo-randomly from the reader's cursor
 *	and take the less loaded ("power of two choices",
 *	salua_sel_pick_qd2() / salua_sel_pick_st2()): O(1) at any path
 *	count, but the pick is only the better of two, not the least of all;
 *	under steady load the spread stays small (the balls-into-bins
 *	result), yet a single idle path among many busy ones is found only
 *	when it is drawn.  Other policies ignore it.
 * @distance: optional @nnodes x @nnodes row-major distance table
 *	(distance[from * nnodes + to], as an ACPI SLIT), read only at build.
 * @distance_fn: optional callback giving the distance from node @from
 *	(submitter) to node @to (path); overrides @distance; called only at
 *	build, never on the hot path.
 * @distance_ctx: passed to @distance_fn.
 *
 * A zero-filled struct is valid: NUMA policy, lba-dependent never, failback
 * immediate, queue while a path may return, no bounds, no nodes, exact
 * queue-depth and service-time.
 */
struct salua_sel_cfg {
	uint8_t policy;
	uint8_t lbd;
	uint8_t failback;
	uint8_t nopath;
	uint32_t queue_ms;
	uint32_t queue_retries;
	uint16_t nnodes;
	uint8_t sample;
	const uint8_t *distance;
	unsigned (*distance_fn)(void *ctx, unsigned from, unsigned to);
	void *distance_ctx;
};

/**
 * struct salua_sel - one selector per logical unit (caller-owned; calls on
 *	one instance are serialized by the caller).
 * @cfg: configuration (copied at init).
 * @path: the caller's path array.
 * @npaths: its length.
 * @gen: generation of the last map built.
 * @fo: current failover path, or SALUA_SEL_NO_PATH.
 * @fo_release: a manual failback was requested.
 * @may_return: the caller expects a path back (salua_sel_set_may_return).
 * @waiting: a no-path episode is running.
 * @expired: its queueing bound has run out.
 * @tries: salua_sel_tick() calls during the episode.
 * @since_ms: when the episode started.
 */
struct salua_sel {
	struct salua_sel_cfg cfg;
	struct salua_sel_path *path;
	uint32_t npaths;
	uint32_t gen;
	uint16_t fo;
	uint8_t fo_release;
	uint8_t may_return;
	uint8_t waiting;
	uint8_t expired;
	uint32_t tries;
	uint64_t since_ms;
};

/**
 * struct salua_sel_slot - one member of the best class in a map.
 * @path: path index.
 * @tp: the path's relative throughput when the map was built.
 * @pref: the path's PREF bit when the map was built.
 */
struct salua_sel_slot {
	uint16_t path;
	uint8_t tp;
	uint8_t pref;
};

/**
 * struct salua_sel_map - immutable result of salua_sel_build().
 * @slot: caller storage; the first @n entries are the best class, preferred
 *	paths first, then by index.
 * @numa: caller storage; entry v is the pick for submitting node v.
 * @wheel: optional caller storage for the latency policy's weighted
 *	rotation (salua_sel_map_set_wheel()): path indexes, each member of
 *	the best class as often as its weight.
 * @slot_cap: capacity of @slot (must be >= the path count).
 * @numa_cap: capacity of @numa (must be >= cfg.nnodes).
 * @wheel_cap: capacity of @wheel; weights are capped at @wheel_cap / @n
 *	(and SALUA_SEL_LAT_WMAX); with less than one entry per member the
 *	rotation is the plain class order.
 * @wheel_n: entries of the rotation (0: rotate over @slot).
 * @n: members of the best class; 0 when nothing is usable.
 * @gen: build generation (increases by one per build of one selector).
 * @npaths: path count of the selector when built.
 * @nnodes: valid entries of @numa.
 * @fo: failover path (valid when @n > 0).
 * @fast: latency policy: the member with the lowest latency average
 *	(valid when @n > 0).
 * @tp_max: largest @tp in the class (service-time early exit).
 * @verdict: enum salua_sel_verdict to give when @n is 0.
 * @policy: enum salua_sel_policy of the selector when built.
 * @cls: enum salua_sel_class of the best class.
 * @sample: cfg.sample when built (salua_sel_pick() uses the sampled
 *	queue-depth / service-time picks when set).
 *
 * A reader may use a map for as long as its publisher guarantees it is
 * not rebuilt; nothing in it changes after salua_sel_build() returns.
 */
struct salua_sel_map {
	struct salua_sel_slot *slot;
	uint16_t *numa;
	uint16_t *wheel;
	uint32_t slot_cap;
	uint32_t numa_cap;
	uint32_t wheel_cap;
	uint32_t wheel_n;
	uint32_t n;
	uint32_t gen;
	uint16_t npaths;
	uint16_t nnodes;
	uint16_t fo;
	uint16_t fast;
	uint8_t tp_max;
	int8_t verdict;
	uint8_t policy;
	uint8_t cls;
	uint8_t sample;
};

/**
 * struct salua_sel_cursor - a reader's rotation position (round-robin and
 *	the tie rotation of queue-depth and service-time), or the state of
 *	its sampler (cfg.sample).
 * @next: slot index to start from, or sampler state; any value is safe
 *	(out of range wraps).
 *
 * Keep one per reader (per thread or per CPU): it is plain memory.  With
 * one cursor the rotation over a class is exact.
 */
struct salua_sel_cursor {
	uint32_t next;
};

/**
 * struct salua_sel_load - the caller's in-flight counters and latency
 *	averages, one slot per path index (queue-depth reads @ios,
 *	service-time @bytes, latency @ios and @lat).
 * @ios: in-flight I/O count per path.
 * @bytes: in-flight bytes per path.
 * @lat: completion-latency average per path (salua_sel_lat_ewma()), in
 *	the unit given to salua_sel_set_latency(); NULL: the latency policy
 *	follows its weighted rotation alone.
 */
struct salua_sel_load {
	uint32_t *ios;
	uint64_t *bytes;
	uint32_t *lat;
};

/**
 * salua_sel_init() - set up a selector over the caller's path array.
 * @sel: selector to initialize (may be zero-filled or stale).
 * @cfg: configuration; copied.
 * @paths: caller array of @npaths paths; every path is reset to
 *	transitioning (state not yet known: I/O queues rather than fails),
 *	not preferred, enabled, throughput 1, no node.
 * @npaths: number of paths, 0..0xfffe.
 *
 * Context: any; no allocation.
 * Return: 0, or -SALUA_EINVAL for a NULL pointer, a value of @cfg out of
 * range (cfg.sample above 1 included), or too many paths or nodes.
 */
SALUA_API int salua_sel_init(struct salua_sel *sel,
			     const struct salua_sel_cfg *cfg,
			     struct salua_sel_path *paths, unsigned npaths);

/**
 * salua_sel_map_init() - attach caller storage to a map.
 * @map: map to initialize (empty: verdict fail, no path).
 * @slots: array of at least the path count.
 * @nslots: its capacity.
 * @numa: array of at least cfg.nnodes entries (may be NULL if 0).
 * @nnuma: its capacity.
 *
 * Context: any.
 * Return: 0, or -SALUA_EINVAL for a NULL @map or a NULL array with a
 * non-zero capacity.
 */
SALUA_API int salua_sel_map_init(struct salua_sel_map *map,
				 struct salua_sel_slot *slots, unsigned nslots,
				 uint16_t *numa, unsigned nnuma);

/**
 * salua_sel_map_set_wheel() - attach storage for the latency rotation.
 * @map: map (after salua_sel_map_init()).
 * @wheel: array of path indexes; SALUA_SEL_LAT_WMAX x the path count
 *	entries give every weight its full range.
 * @cap: its capacity; 0 detaches (the latency policy then rotates over
 *	the class with equal weights).
 *
 * Context: before the map is built; not while readers use it.
 * Return: 0, or -SALUA_EINVAL for a NULL @map or a NULL @wheel with a
 * non-zero @cap.
 */
SALUA_API int salua_sel_map_set_wheel(struct salua_sel_map *map,
				      uint16_t *wheel, unsigned cap);

/**
 * salua_sel_set_state() - record a path's new access state and PREF bit.
 * @sel: selector.
 * @idx: path index.
 * @state: access state (SPC-5 Table 355); bits other than the low nibble
 *	are ignored, so the raw RTPG descriptor byte 0 may be passed.
 * @pref: PREF bit.
 *
 * This is what an engine's per-path state-change notification calls.  The
 * published map is unchanged until the next salua_sel_build().
 *
 * Context: serialized with other calls on @sel.
 * Return: 1 if the path changed (rebuild the map), 0 if not, -SALUA_EINVAL
 * for a bad index or a reserved state value.
 */
SALUA_API int salua_sel_set_state(struct salua_sel *sel, unsigned idx,
				  unsigned state, bool pref);

/**
 * salua_sel_set_enabled() - administratively enable or disable a path.
 * @sel: selector.
 * @idx: path index.
 * @on: true to enable.
 *
 * Context: serialized with other calls on @sel.
 * Return: 1 if changed, 0 if not, -SALUA_EINVAL for a bad index.
 */
SALUA_API int salua_sel_set_enabled(struct salua_sel *sel, unsigned idx,
				    bool on);

/**
 * salua_sel_set_node() - set the NUMA node of a path.
 * @sel: selector.
 * @idx: path index.
 * @node: node number, or SALUA_SEL_NO_NODE.
 *
 * Context: serialized with other calls on @sel.
 * Return: 1 if changed, 0 if not, -SALUA_EINVAL for a bad index.
 */
SALUA_API int salua_sel_set_node(struct salua_sel *sel, unsigned idx,
				 unsigned node);

/**
 * salua_sel_set_tp() - set the relative throughput of a path.
 * @sel: selector.
 * @idx: path index.
 * @tp: 0..100, as dm-service-time's per-path argument (0: use only when
 *	every candidate is 0).
 *
 * Context: serialized with other calls on @sel.
 * Return: 1 if changed, 0 if not, -SALUA_EINVAL for a bad index or @tp.
 */
SALUA_API int salua_sel_set_tp(struct salua_sel *sel, unsigned idx,
			       unsigned tp);

/**
 * salua_sel_set_latency() - record a path's completion-latency average.
 * @sel: selector.
 * @idx: path index.
 * @lat: average (salua_sel_lat_ewma()), any unit as long as every path
 *	uses the same; 0 = not measured (weighted as the fastest, so the
 *	path gets I/O and a first sample).
 *
 * The latency policy's weights are computed from these at the next build;
 * a host re-weights every so often (the user-space host: every
 * reweight_ms), not per I/O.
 *
 * Context: serialized with other calls on @sel.
 * Return: 1 if changed, 0 if not, -SALUA_EINVAL for a bad index.
 */
SALUA_API int salua_sel_set_latency(struct salua_sel *sel, unsigned idx,
				    uint32_t lat);

/**
 * salua_sel_set_marginal() - demote a path below every healthy one.
 * @sel: selector.
 * @idx: path index.
 * @on: true while the path is marginal (salua_sel_health_demoted()).
 *
 * Context: serialized with other calls on @sel.
 * Return: 1 if changed, 0 if not, -SALUA_EINVAL for a bad index.
 */
SALUA_API int salua_sel_set_marginal(struct salua_sel *sel, unsigned idx,
				     bool on);

/**
 * salua_sel_set_policy() - switch policy (takes effect at the next build).
 * @sel: selector.
 * @policy: enum salua_sel_policy.
 *
 * Context: serialized with other calls on @sel.
 * Return: 1 if changed, 0 if not, -SALUA_EINVAL for an unknown policy.
 */
SALUA_API int salua_sel_set_policy(struct salua_sel *sel, unsigned policy);

/**
 * salua_sel_set_may_return() - say whether a path is expected back.
 * @sel: selector.
 * @on: true while the caller knows a path is recovering (reconnecting,
 *	being activated) even though no path reports transitioning.
 *
 * Context: serialized with other calls on @sel.
 * Return: 1 if changed, 0 if not.
 */
SALUA_API int salua_sel_set_may_return(struct salua_sel *sel, bool on);

/**
 * salua_sel_rearm() - start the no-path bound again.
 * @sel: selector.
 *
 * Once the bound of a no-path episode has run out, every map says FAIL
 * until a path is usable.  Call this when news arrives that a path may
 * serve again (a failed path answered its checker, a path entered
 * TRANSITIONING): the next build queues again, with a fresh bound, as
 * multipathd re-enables queueing when it reinstates a path.
 *
 * Context: serialized with other calls on @sel.
 * Return: 1 if an expired episode was rearmed (rebuild the map), else 0.
 */
SALUA_API int salua_sel_rearm(struct salua_sel *sel);

/**
 * salua_sel_failback() - leave the current failover path at next build.
 * @sel: selector.
 *
 * For SALUA_SEL_FAILBACK_MANUAL: the next salua_sel_build() moves to the
 * highest-priority usable path.
 *
 * Context: serialized with other calls on @sel.
 */
SALUA_API void salua_sel_failback(struct salua_sel *sel);

/**
 * salua_sel_build() - rebuild the immutable path map.
 * @sel: selector.
 * @map: map with storage attached (salua_sel_map_init()); must not be one
 *	readers may still be using.
 * @now_ms: monotonic time in ms, used to bound queueing.
 *
 * Classifies every path, keeps the best non-empty class in priority order
 * (preferred first, then by index), fills the per-node NUMA table, moves
 * the failover path as the failback policy says, and decides the verdict
 * for when nothing is usable.  O(n + nnodes x class size); no allocation.
 *
 * Context: serialized with other calls on @sel.
 * Return: 0, -SALUA_EINVAL for NULL pointers, -SALUA_ENOSPC if the map's
 * slot array is shorter than the path count or its NUMA array shorter
 * than cfg.nnodes (the map is then left unchanged).
 */
SALUA_API int salua_sel_build(struct salua_sel *sel, struct salua_sel_map *map,
			      uint64_t now_ms);

/**
 * salua_sel_tick() - count one recheck while queueing with no path.
 * @sel: selector.
 * @now_ms: monotonic time in ms.
 *
 * Call once per checker interval (and when a queue_ms timer fires) while
 * the published map's verdict is SALUA_SEL_QUEUE.
 *
 * Context: serialized with other calls on @sel.
 * Return: 1 if the queueing bound has run out and the map must be rebuilt
 * (its verdict becomes SALUA_SEL_FAIL), else 0.
 */
SALUA_API int salua_sel_tick(struct salua_sel *sel, uint64_t now_ms);

/**
 * salua_sel_map_usable() - is a path a legal pick of this map?
 * @map: built map.
 * @idx: path index.
 *
 * O(class size); for checks and tests, not the hot path.
 *
 * Context: any reader of @map.
 * Return: true if @idx is in the best class or is the failover path.
 */
SALUA_API bool salua_sel_map_usable(const struct salua_sel_map *map,
				    unsigned idx);

/**
 * struct salua_sel_health_cfg - marginal-path detection: a path whose
 *	checker (TEST UNIT READY) succeeds but whose I/O keeps failing or
 *	timing out is demoted for a while, then probed back.
 * @window_ms: failures count within this window from the first one.
 * @demote_ms: first demotion period; each relapse on probation doubles it.
 * @demote_max_ms: cap of the doubling.
 * @errors: failures within @window_ms that make a path marginal; 0 turns
 *	detection off.
 * @probe_ios: I/Os that must succeed on probation before the path is
 *	healthy again (0 counts as 1); one failure on probation demotes it
 *	again.
 *
 * In the spirit of multipath-tools' marginal_path_* and san_path_err_*
 * options.  A zero-filled struct disables detection;
 * salua_sel_health_config_default() gives the defaults.
 */
struct salua_sel_health_cfg {
	uint32_t window_ms;
	uint32_t demote_ms;
	uint32_t demote_max_ms;
	uint16_t errors;
	uint16_t probe_ios;
};

/**
 * enum salua_sel_health_state - where a path stands.
 * @SALUA_SEL_HEALTHY: counted normally.
 * @SALUA_SEL_MARGINAL: demoted (salua_sel_set_marginal()) until the
 *	demotion ends (salua_sel_health_due()).
 * @SALUA_SEL_PROBATION: back in its class; the next I/Os decide.
 */
enum salua_sel_health_state {
	SALUA_SEL_HEALTHY = 0,
	SALUA_SEL_MARGINAL = 1,
	SALUA_SEL_PROBATION = 2
};

/**
 * struct salua_sel_health - one path's tracker (zero-filled = healthy).
 * @at_ms: HEALTHY: start of the current error window; MARGINAL: end of
 *	the demotion.
 * @demote_ms: the next demotion's length (0 = cfg.demote_ms).
 * @errs: failures in the window.
 * @oks: successes on probation.
 * @state: enum salua_sel_health_state.
 * @demotions: times the path was demoted (wraps).
 */
struct salua_sel_health {
	uint64_t at_ms;
	uint32_t demote_ms;
	uint16_t errs;
	uint16_t oks;
	uint8_t state;
	uint8_t reserved[3];
	uint32_t demotions;
};

/**
 * salua_sel_health_config_default() - 4 failures within 10 s demote a
 *	path for 5 s, doubling up to 60 s on relapse; 16 good I/Os on
 *	probation restore it.
 * @c: out.
 *
 * Context: any.
 */
SALUA_API void salua_sel_health_config_default(struct salua_sel_health_cfg *c);

/**
 * salua_sel_health_io() - account one I/O completion on a path.
 * @cfg: detection config.
 * @h: the path's tracker.
 * @ok: the I/O succeeded on this path; false for a transport failure, a
 *	timeout or another error that says the path (not the data or the
 *	LU state) is bad.
 * @now_ms: monotonic time.
 *
 * HEALTHY: the cfg.errors-th failure within cfg.window_ms demotes the
 * path (MARGINAL).  MARGINAL: completions of I/O sent before the
 * demotion are ignored.  PROBATION: a failure demotes it again for twice
 * as long (up to cfg.demote_max_ms); cfg.probe_ios successes make it
 * HEALTHY and reset the period.
 *
 * Context: serialized per tracker; pure apart from @h.
 * Return: 1 if the state changed (call salua_sel_set_marginal() with
 * salua_sel_health_demoted() and rebuild), 0 if not.
 */
SALUA_API int salua_sel_health_io(const struct salua_sel_health_cfg *cfg,
				  struct salua_sel_health *h, bool ok,
				  uint64_t now_ms);

/**
 * salua_sel_health_tick() - end a demotion that is due.
 * @cfg: detection config.
 * @h: the path's tracker.
 * @now_ms: monotonic time.
 *
 * Call at salua_sel_health_due() (early or late is fine).
 *
 * Context: serialized per tracker.
 * Return: 1 if the path went from MARGINAL to PROBATION (un-mark it and
 * rebuild), 0 if not.
 */
SALUA_API int salua_sel_health_tick(const struct salua_sel_health_cfg *cfg,
				    struct salua_sel_health *h,
				    uint64_t now_ms);

/**
 * salua_sel_health_demoted() - is the path marginal right now?
 * @h: tracker.
 *
 * Return: true in MARGINAL.
 */
SALUA_INLINE bool salua_sel_health_demoted(const struct salua_sel_health *h)
{
	return h->state == SALUA_SEL_MARGINAL;
}

/**
 * salua_sel_health_due() - when salua_sel_health_tick() has work.
 * @h: tracker.
 *
 * Return: the end of the demotion in MARGINAL, else ~0 (never).
 */
SALUA_INLINE uint64_t salua_sel_health_due(const struct salua_sel_health *h)
{
	return h->state == SALUA_SEL_MARGINAL ? h->at_ms : ~(uint64_t)0;
}

/**
 * salua_sel_class_of() - rank of a path under a configuration.
 * @cfg: configuration (its @lbd decides where lba-dependent ranks).
 * @p: path.
 *
 * Context: any.
 * Return: enum salua_sel_class; SALUA_SEL_CLASS_MARGINAL for a usable
 * path marked marginal; SALUA_SEL_CLASS_NONE for disabled, standby,
 * unavailable, offline, transitioning and reserved states.
 */
SALUA_INLINE unsigned salua__sel_class_raw(const struct salua_sel_cfg *cfg,
					  const struct salua_sel_path *p)
{
	if (!p->enabled)
		return SALUA_SEL_CLASS_NONE;
	switch ((enum salua_state)(p->state & SALUA_STATE_MASK)) {
	case SALUA_STATE_AO:
		return SALUA_SEL_CLASS_AO;
	case SALUA_STATE_ANO:
		return SALUA_SEL_CLASS_ANO;
	case SALUA_STATE_LBA_DEPENDENT:
		switch ((enum salua_sel_lbd)cfg->lbd) {
		case SALUA_SEL_LBD_AS_AO:
			return SALUA_SEL_CLASS_AO;
		case SALUA_SEL_LBD_AS_ANO:
			return SALUA_SEL_CLASS_ANO;
		case SALUA_SEL_LBD_LAST:
			return SALUA_SEL_CLASS_LBD;
		case SALUA_SEL_LBD_NEVER:
			return SALUA_SEL_CLASS_NONE;
		}
		return SALUA_SEL_CLASS_NONE;
	case SALUA_STATE_STANDBY:
	case SALUA_STATE_UNAVAILABLE:
	case SALUA_STATE_OFFLINE:
	case SALUA_STATE_TRANSITIONING:
		return SALUA_SEL_CLASS_NONE;
	}
	return SALUA_SEL_CLASS_NONE;
}

SALUA_INLINE unsigned salua_sel_class_of(const struct salua_sel_cfg *cfg,
					 const struct salua_sel_path *p)
{
	unsigned c = salua__sel_class_raw(cfg, p);

	return p->marginal && c != SALUA_SEL_CLASS_NONE
		       ? (unsigned)SALUA_SEL_CLASS_MARGINAL
		       : c;
}

/**
 * salua_sel_pick_failover() - failover pick.
 * @map: published map.
 *
 * Context: any reader of @map; O(1).
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
SALUA_INLINE int salua_sel_pick_failover(const struct salua_sel_map *map)
{
	return map->n ? (int)map->fo : (int)map->verdict;
}

/**
 * salua_sel_pick_numa() - nearest usable path for a submitting node.
 * @map: published map.
 * @node: NUMA node of the submitter; a node outside the table gets the
 *	class's first path.
 *
 * Context: any reader of @map; O(1).
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
SALUA_INLINE int salua_sel_pick_numa(const struct salua_sel_map *map,
				     unsigned node)
{
	if (!map->n)
		return map->verdict;
	if (node < map->nnodes)
		return map->numa[node];
	return map->slot[0].path;
}

/*
 * Pick building blocks.  salua_sel_pick_*() below are made of these; a
 * publisher that keeps its counters elsewhere (atomics, per-CPU sums:
 * shims/host/salua_selector_atomic.h) loads them its own way and feeds
 * them to the same blocks, so every publisher picks exactly as the core.
 */

/**
 * salua_sel_cursor_start() - the slot a rotating pick or scan starts at.
 * @map: published map.
 * @cur: the reader's cursor; moves one slot on.
 * @st: out: the slot (index into @map->slot), the cursor wrapped into the
 *	class.
 *
 * Context: any reader of @map; O(1).
 * Return: true, or false for an empty class (the map's verdict is then
 * the answer).
 */
SALUA_INLINE bool salua_sel_cursor_start(const struct salua_sel_map *map,
				   struct salua_sel_cursor *cur, uint32_t *st)
{
	uint32_t i = cur->next;

	if (i >= map->n) {
		if (!map->n)
			return false;
		i = 0;
	}
	cur->next = i + 1;
	*st = i;
	return true;
}

/**
 * salua_sel_pick_rr() - next path of the best class in rotation.
 * @map: published map.
 * @cur: the reader's cursor.
 *
 * Context: any reader of @map; @cur is the reader's own; O(1), no
 * division.
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
SALUA_INLINE int salua_sel_pick_rr(const struct salua_sel_map *map,
				   struct salua_sel_cursor *cur)
{
	uint32_t i;

	if (!salua_sel_cursor_start(map, cur, &i))
		return map->verdict;
	return map->slot[i].path;
}

/*
 * Least in-flight count over the first @n slots.  Four independent minima
 * keep the loop free of branches and of one long dependency chain.  A full
 * block of 16 is written out with constant offsets from one pointer: the
 * loop is bound by instruction count, and per-element index arithmetic
 * cost a quarter of the pick at 64 paths.  It stops after a block that
 * found an idle path.
 */
SALUA_INLINE uint32_t salua__sel_qd_min(const struct salua_sel_slot *s,
					const uint32_t *ios, uint32_t n)
{
	const struct salua_sel_slot *e = s + n;
	uint32_t a0 = ~0u, a1 = ~0u, a2 = ~0u, a3 = ~0u, x;

	while (s != e) {
		if (e - s >= 16) {
			x = ios[s[0].path];  a0 = x < a0 ? x : a0;
			x = ios[s[1].path];  a1 = x < a1 ? x : a1;
			x = ios[s[2].path];  a2 = x < a2 ? x : a2;
			x = ios[s[3].path];  a3 = x < a3 ? x : a3;
			x = ios[s[4].path];  a0 = x < a0 ? x : a0;
			x = ios[s[5].path];  a1 = x < a1 ? x : a1;
			x = ios[s[6].path];  a2 = x < a2 ? x : a2;
			x = ios[s[7].path];  a3 = x < a3 ? x : a3;
			x = ios[s[8].path];  a0 = x < a0 ? x : a0;
			x = ios[s[9].path];  a1 = x < a1 ? x : a1;
			x = ios[s[10].path]; a2 = x < a2 ? x : a2;
			x = ios[s[11].path]; a3 = x < a3 ? x : a3;
			x = ios[s[12].path]; a0 = x < a0 ? x : a0;
			x = ios[s[13].path]; a1 = x < a1 ? x : a1;
			x = ios[s[14].path]; a2 = x < a2 ? x : a2;
			x = ios[s[15].path]; a3 = x < a3 ? x : a3;
			s += 16;
		} else {
			for (; s != e; s++) {
				x = ios[s->path];
				a0 = x < a0 ? x : a0;
			}
		}
		a0 = a1 < a0 ? a1 : a0;
		a2 = a3 < a2 ? a3 : a2;
		a0 = a2 < a0 ? a2 : a0;
		if (!a0)
			break;
	}
	return a0;
}

/**
 * salua_sel_pick_qd() - path of the best class with fewest in-flight I/Os.
 * @map: published map.
 * @cur: the reader's cursor: the search for a least-loaded path starts one
 *	slot further each pick, so ties rotate (dm queue-length moves its
 *	pick to the tail).
 * @ios: in-flight I/O count per path index.
 *
 * Two passes: the least count over the class (stops early at an idle
 * path), then the first slot with that count in circular order from the
 * cursor.  If a counter moves between the passes (another thread) the
 * cursor's slot is taken.
 *
 * Context: any reader of @map; O(class size).
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
SALUA_INLINE int salua_sel_pick_qd(const struct salua_sel_map *map,
				   struct salua_sel_cursor *cur,
				   const uint32_t *ios)
{
	const struct salua_sel_slot *s = map->slot;
	uint32_t n = map->n, st, i, lo;

	if (!salua_sel_cursor_start(map, cur, &st))
		return map->verdict;
	lo = salua__sel_qd_min(s, ios, n);
	for (i = st; i < n; i++)
		if (ios[s[i].path] == lo)
			return s[i].path;
	for (i = 0; i < st; i++)
		if (ios[s[i].path] == lo)
			return s[i].path;
	return s[st].path;
}

/**
 * salua_sel_st_less() - dm-service-time's comparison of two paths.
 * @sa: in-flight bytes of path a plus the incoming I/O.
 * @ta: relative throughput of a (0..100).
 * @sb: same for path b.
 * @tb: relative throughput of b.
 *
 * a is better when sa/ta < sb/tb, compared by cross-multiplication; equal
 * throughput compares bytes; equal bytes or a zero throughput prefers the
 * larger throughput.  Sizes are scaled down first when the product could
 * overflow.
 *
 * Context: any.
 * Return: true if a is strictly better than b.
 */
SALUA_INLINE bool salua_sel_st_less(uint64_t sa, unsigned ta, uint64_t sb,
				    unsigned tb)
{
	/*
	 * With both throughputs non-zero, not both sizes zero and no
	 * overflow, the rules below reduce to one cross-multiplication.
	 */
	if (ta && tb && (sa | sb) && !((sa | sb) >> 57))
		return sa * tb < sb * ta;
	if (ta == tb)
		return sa < sb;
	if (sa == sb || !ta || !tb)
		return ta > tb;
	/* tp <= 100 < 2^7, so sizes below 2^57 cannot overflow. */
	if ((sa | sb) >> 57) {
		sa >>= 7;
		sb >>= 7;
	}
	return sa * tb < sb * ta;
}

/* In-flight bytes of a path plus the I/O being placed, saturating. */
SALUA_INLINE uint64_t salua__sel_st_cost(uint64_t raw, uint64_t nbytes)
{
	return raw + nbytes < raw ? ~(uint64_t)0 : raw + nbytes;
}

/**
 * struct salua_sel_st_scan - a service-time scan in progress.
 * @cost: in-flight bytes plus the I/O of the best slot so far.
 * @tp: that slot's relative throughput.
 * @slot: that slot (index into the map's @slot); the pick is its path.
 */
struct salua_sel_st_scan {
	uint64_t cost;
	unsigned tp;
	uint32_t slot;
};

/**
 * salua_sel_st_first() - start a service-time scan.
 * @b: the scan.
 * @map: published map.
 * @st: the first slot (salua_sel_cursor_start()).
 * @raw: in-flight bytes of that slot's path, as the caller loaded them.
 * @nbytes: size of the I/O being placed.
 *
 * Context: any reader of @map.
 * Return: true when that path is idle with the class's largest
 * throughput: nothing beats it, the scan is over.
 */
SALUA_INLINE bool salua_sel_st_first(struct salua_sel_st_scan *b,
				      const struct salua_sel_map *map,
				      uint32_t st, uint64_t raw,
				      uint64_t nbytes)
{
	b->slot = st;
	b->cost = salua__sel_st_cost(raw, nbytes);
	b->tp = map->slot[st].tp;
	return !raw && b->tp == map->tp_max;
}

/**
 * salua_sel_st_offer() - offer the next slot to a service-time scan.
 * @b: the scan.
 * @map: published map.
 * @i: slot, in circular order after the first.
 * @raw: in-flight bytes of its path.
 * @nbytes: size of the I/O being placed.
 *
 * Selects rather than branches: which path wins is unpredictable.
 *
 * Context: any reader of @map.
 * Return: true once the best is an idle path of the largest throughput,
 * which cannot be beaten: stop.
 */
SALUA_INLINE bool salua_sel_st_offer(struct salua_sel_st_scan *b,
				      const struct salua_sel_map *map,
				      uint32_t i, uint64_t raw,
				      uint64_t nbytes)
{
	uint64_t v = salua__sel_st_cost(raw, nbytes);
	unsigned t = map->slot[i].tp;
	bool upd = salua_sel_st_less(v, t, b->cost, b->tp);

	b->cost = upd ? v : b->cost;
	b->tp = upd ? t : b->tp;
	b->slot = upd ? i : b->slot;
	return b->cost == nbytes && b->tp == map->tp_max;
}

/**
 * salua_sel_pick_st() - service-time pick over the best class.
 * @map: published map.
 * @cur: the reader's cursor (tie rotation, as salua_sel_pick_qd()).
 * @bytes: in-flight bytes per path index.
 * @nbytes: size of the I/O being placed.
 *
 * Context: any reader of @map; O(class size), stops at an idle path of
 * the class's largest throughput.
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
SALUA_INLINE int salua_sel_pick_st(const struct salua_sel_map *map,
				   struct salua_sel_cursor *cur,
				   const uint64_t *bytes, uint64_t nbytes)
{
	const struct salua_sel_slot *s = map->slot;
	uint32_t n = map->n, st, i, k;
	struct salua_sel_st_scan b;

	if (!salua_sel_cursor_start(map, cur, &st))
		return map->verdict;
	if (salua_sel_st_first(&b, map, st, bytes[s[st].path], nbytes))
		return s[st].path;
	for (k = 1, i = st + 1; k < n; k++, i++) {
		if (i == n)
			i = 0;
		if (salua_sel_st_offer(&b, map, i, bytes[s[i].path], nbytes))
			break;
	}
	return s[b.slot].path;
}

/*
 * Two distinct slots of @n (>= 2) from the reader's cursor, used as the
 * state of a 32-bit linear congruential generator (Numerical Recipes'
 * constants; full period mod 2^32).  The high bits are scaled to the range
 * by a multiply, never a division.
 */
SALUA_INLINE void salua__sel_two(struct salua_sel_cursor *cur, uint32_t n,
				 uint32_t *a, uint32_t *b)
{
	uint32_t x = cur->next * 1664525u + 1013904223u;
	uint32_t y = x * 1664525u + 1013904223u;

	cur->next = y;
	*a = (uint32_t)(((uint64_t)x * n) >> 32);
	*b = (uint32_t)(((uint64_t)y * (n - 1u)) >> 32);
	if (*b >= *a)
		(*b)++;
}

/**
 * salua_sel_draw2() - the draw of a sampled (cfg.sample) pick.
 * @map: published map.
 * @cur: the reader's cursor (sampler state).
 * @a: out: first slot drawn.
 * @b: out: second slot, distinct from @a.
 * @pick: out, when false is returned: the class's one path, or the map's
 *	verdict.
 *
 * Context: any reader of @map; O(1), no division.
 * Return: true when two slots were drawn (compare them with
 * salua_sel_qd2_choose() or salua_sel_st2_choose()).
 */
SALUA_INLINE bool salua_sel_draw2(const struct salua_sel_map *map,
				   struct salua_sel_cursor *cur, uint32_t *a,
				   uint32_t *b, int *pick)
{
	if (map->n < 2) {
		*pick = map->n ? (int)map->slot[0].path : (int)map->verdict;
		return false;
	}
	salua__sel_two(cur, map->n, a, b);
	return true;
}

/**
 * salua_sel_qd2_choose() - sampled queue-depth: the less loaded of two.
 * @map: published map.
 * @a: first slot drawn.
 * @b: second slot drawn.
 * @ia: in-flight I/Os of @a's path.
 * @ib: in-flight I/Os of @b's path.
 *
 * Return: @b's path only when strictly less loaded, else @a's.
 */
SALUA_INLINE int salua_sel_qd2_choose(const struct salua_sel_map *map,
				   uint32_t a, uint32_t b, uint32_t ia,
				   uint32_t ib)
{
	return ib < ia ? map->slot[b].path : map->slot[a].path;
}

/**
 * salua_sel_st2_choose() - sampled service-time: the better of two.
 * @map: published map.
 * @a: first slot drawn.
 * @b: second slot drawn.
 * @va: in-flight bytes of @a's path.
 * @vb: in-flight bytes of @b's path.
 * @nbytes: size of the I/O being placed.
 *
 * Return: @b's path only when strictly better by salua_sel_st_less(),
 * else @a's.
 */
SALUA_INLINE int salua_sel_st2_choose(const struct salua_sel_map *map,
				   uint32_t a, uint32_t b, uint64_t va,
				   uint64_t vb, uint64_t nbytes)
{
	va = salua__sel_st_cost(va, nbytes);
	vb = salua__sel_st_cost(vb, nbytes);
	return salua_sel_st_less(vb, map->slot[b].tp, va, map->slot[a].tp)
		       ? map->slot[b].path
		       : map->slot[a].path;
}

/**
 * salua_sel_pick_qd2() - sampled queue-depth: the less loaded of two.
 * @map: published map.
 * @cur: the reader's cursor, here the state of its sampler (any value is
 *	valid).
 * @ios: in-flight I/O count per path index.
 *
 * Draws two distinct members of the best class and returns the one with
 * fewer in-flight I/Os (the first drawn on a tie): "power of two choices"
 * (Mitzenmacher).  Not exact: the least-loaded member is returned only
 * when it is drawn.  Chosen with cfg.sample; salua_sel_pick_qd() is the
 * exact default.
 *
 * Context: any reader of @map; O(1) at any class size, no division.
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
SALUA_INLINE int salua_sel_pick_qd2(const struct salua_sel_map *map,
				    struct salua_sel_cursor *cur,
				    const uint32_t *ios)
{
	uint32_t a, b;
	int pick;

	if (!salua_sel_draw2(map, cur, &a, &b, &pick))
		return pick;
	return salua_sel_qd2_choose(map, a, b, ios[map->slot[a].path],
				 ios[map->slot[b].path]);
}

/**
 * salua_sel_pick_st2() - sampled service-time: the better of two.
 * @map: published map.
 * @cur: the reader's cursor (sampler state, as salua_sel_pick_qd2()).
 * @bytes: in-flight bytes per path index.
 * @nbytes: size of the I/O being placed.
 *
 * Draws two distinct members of the best class and returns the better by
 * salua_sel_st_less() (the first drawn unless the second is strictly
 * better).  Not exact, as salua_sel_pick_qd2().
 *
 * Context: any reader of @map; O(1) at any class size, no division.
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
SALUA_INLINE int salua_sel_pick_st2(const struct salua_sel_map *map,
				    struct salua_sel_cursor *cur,
				    const uint64_t *bytes, uint64_t nbytes)
{
	uint32_t a, b;
	int pick;

	if (!salua_sel_draw2(map, cur, &a, &b, &pick))
		return pick;
	return salua_sel_st2_choose(map, a, b, bytes[map->slot[a].path],
				 bytes[map->slot[b].path], nbytes);
}

/**
 * salua_sel_lat_draw() - the two candidates of a latency pick.
 * @map: published map.
 * @cur: the reader's cursor: its position in the weighted rotation.
 * @a: out: path index, the next of the weighted rotation (the plain class
 *	order when the map has no rotation storage).
 * @b: out: path index, the class's fastest path (@map->fast).
 * @pick: out, when false is returned: @a (the two are the same path), or
 *	the map's verdict for an empty class.
 *
 * Context: any reader of @map; O(1).
 * Return: true when @a and @b differ: compare them with
 * salua_sel_lat_choose().
 */
SALUA_INLINE bool salua_sel_lat_draw(const struct salua_sel_map *map,
				     struct salua_sel_cursor *cur,
				     uint32_t *a, uint32_t *b, int *pick)
{
	uint32_t n = map->wheel_n ? map->wheel_n : map->n;
	uint32_t i = cur->next;

	if (!map->n) {
		*pick = map->verdict;
		return false;
	}
	if (i >= n)
		i = 0;
	cur->next = i + 1;
	*a = map->wheel_n ? map->wheel[i] : map->slot[i].path;
	*b = map->fast;
	if (*a == *b) {
		*pick = (int)*a;
		return false;
	}
	return true;
}

/**
 * salua_sel_lat_choose() - the candidate with the shorter expected wait.
 * @a: rotation candidate (path index).
 * @ia: its in-flight I/Os.
 * @la: its latency average.
 * @b: the fastest path.
 * @ib: its in-flight I/Os.
 * @lb: its latency average.
 *
 * The expected wait of a path is (in-flight + 1) x average, as
 * dm-historical-service-time estimates it; the fastest path takes the I/O
 * only when strictly shorter, so the rotation keeps every path sampled in
 * proportion to its weight while the fastest absorbs the load it can.
 * Integer only; 64-bit products, no division.
 *
 * Return: @b when its wait is strictly shorter, else @a.
 */
SALUA_INLINE int salua_sel_lat_choose(uint32_t a, uint32_t ia, uint32_t la,
				      uint32_t b, uint32_t ib, uint32_t lb)
{
	uint64_t ca = ((uint64_t)ia + 1u) * la;
	uint64_t cb = ((uint64_t)ib + 1u) * lb;

	return cb < ca ? (int)b : (int)a;
}

/**
 * salua_sel_pick_lat() - latency-aware pick (SALUA_SEL_LATENCY).
 * @map: published map.
 * @cur: the reader's cursor (position in the weighted rotation).
 * @ios: in-flight I/O count per path index.
 * @lat: latency average per path index, or NULL (the rotation alone).
 *
 * The next path of the weighted rotation (weights 1 / latency, fixed at
 * build), unless the class's fastest path has the shorter expected wait
 * (salua_sel_lat_choose()).  With one slow path among fast ones the slow
 * path keeps a trickle of I/O (its weight) and so a fresh average, and
 * the fast paths take the rest as far as their queues allow.
 *
 * Context: any reader of @map; O(1), no division.
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
SALUA_INLINE int salua_sel_pick_lat(const struct salua_sel_map *map,
				    struct salua_sel_cursor *cur,
				    const uint32_t *ios, const uint32_t *lat)
{
	uint32_t a, b;
	int pick;

	if (!salua_sel_lat_draw(map, cur, &a, &b, &pick))
		return pick;
	if (!lat)
		return (int)a;
	return salua_sel_lat_choose(a, ios[a], lat[a], b, ios[b], lat[b]);
}

/**
 * salua_sel_lat_ewma() - fold one completion latency into an average.
 * @avg: the path's average, 0 before the first sample.
 * @sample: this I/O's latency (same unit; 0 counts as 1).
 *
 * Exponentially weighted: each sample moves the average by
 * 1/2^SALUA_SEL_LAT_SHIFT of the difference (rounded away from the old
 * value, so a step change is always followed).  Shifts only.
 *
 * Context: any; pure.
 * Return: the new average, >= 1.
 */
SALUA_INLINE uint32_t salua_sel_lat_ewma(uint32_t avg, uint32_t sample)
{
	uint64_t d;

	if (!sample)
		sample = 1;
	if (!avg)
		return sample;
	if (sample >= avg) {
		d = (uint64_t)sample - avg;
		return avg + (uint32_t)((d + (1u << SALUA_SEL_LAT_SHIFT) - 1u) >>
					SALUA_SEL_LAT_SHIFT);
	}
	d = (uint64_t)avg - sample;
	return avg - (uint32_t)((d + (1u << SALUA_SEL_LAT_SHIFT) - 1u) >>
				SALUA_SEL_LAT_SHIFT);
}

/**
 * salua_sel_lat_age() - move a stale average half way to @floor.
 * @avg: average of a path that completed no I/O for a while.
 * @floor: the class's lowest average.
 *
 * A path the latency policy starves keeps its old (high) average; aging
 * it on each re-weight lets it win a pick again after a few periods, so
 * it is measured anew ("probed back") instead of being judged forever by
 * one bad moment.
 *
 * Context: any; pure.
 * Return: the aged average (unchanged when not above @floor).
 */
SALUA_INLINE uint32_t salua_sel_lat_age(uint32_t avg, uint32_t floor)
{
	return avg > floor ? floor + ((avg - floor) >> 1) : avg;
}

/**
 * salua_sel_pick() - pick by the map's policy.
 * @map: published map.
 * @cur: the reader's cursor (round-robin, queue-depth, service-time,
 *	latency).
 * @node: submitting NUMA node (numa).
 * @load: in-flight counters (queue-depth, service-time, latency) and
 *	latency averages (latency); may be NULL for the other policies.
 * @nbytes: size of the I/O (service-time).
 *
 * queue-depth and service-time take the sampled picks when the map was
 * built with cfg.sample set.
 *
 * Context: any reader of @map.
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
SALUA_INLINE int salua_sel_pick(const struct salua_sel_map *map,
				struct salua_sel_cursor *cur, unsigned node,
				const struct salua_sel_load *load,
				uint64_t nbytes)
{
	switch ((enum salua_sel_policy)map->policy) {
	case SALUA_SEL_NUMA:
		return salua_sel_pick_numa(map, node);
	case SALUA_SEL_ROUND_ROBIN:
		return salua_sel_pick_rr(map, cur);
	case SALUA_SEL_QUEUE_DEPTH:
		if (map->sample)
			return salua_sel_pick_qd2(map, cur, load->ios);
		return salua_sel_pick_qd(map, cur, load->ios);
	case SALUA_SEL_SERVICE_TIME:
		if (map->sample)
			return salua_sel_pick_st2(map, cur, load->bytes, nbytes);
		return salua_sel_pick_st(map, cur, load->bytes, nbytes);
	case SALUA_SEL_FAILOVER:
		return salua_sel_pick_failover(map);
	case SALUA_SEL_LATENCY:
		return salua_sel_pick_lat(map, cur, load->ios, load->lat);
	}
	return salua_sel_pick_failover(map);
}

/**
 * salua_sel_io_start() - account an I/O sent on a path.
 * @load: the caller's counters.
 * @idx: path index the pick returned.
 * @nbytes: I/O size.
 *
 * Plain arithmetic: single-threaded users or callers that serialize; the
 * user-space publisher has atomic versions.
 *
 * Context: caller-serialized.
 */
SALUA_INLINE void salua_sel_io_start(const struct salua_sel_load *load,
				     unsigned idx, uint64_t nbytes)
{
	load->ios[idx]++;
	load->bytes[idx] += nbytes;
}

/**
 * salua_sel_io_end() - account an I/O completed on a path.
 * @load: the caller's counters.
 * @idx: path index the I/O was sent on.
 * @nbytes: I/O size given to salua_sel_io_start().
 *
 * Counters never go below zero.
 *
 * Context: caller-serialized.
 */
SALUA_INLINE void salua_sel_io_end(const struct salua_sel_load *load,
				   unsigned idx, uint64_t nbytes)
{
	if (load->ios[idx])
		load->ios[idx]--;
	load->bytes[idx] = load->bytes[idx] > nbytes ?
				   load->bytes[idx] - nbytes : 0;
}

/**
 * salua_sel_pick_lba() - pick for an I/O at @lba when paths are logical
 *	block dependent (SPC-5 §5.16.2.4.6; the groups' states per LBA range
 *	come from REPORT REFERRALS, referrals.h).
 * @map: published map; lba-dependent paths are in it only when the
 *	selector's cfg.lbd is not SALUA_SEL_LBD_NEVER.
 * @lm: the logical unit's user data segments (salua_lba_map_load()), or
 *	NULL.
 * @path_tpg: target port group of each path index (VPD 0x83).
 * @lba: first block of the I/O.
 * @cur: the reader's cursor.
 *
 * Among the members of the best class, starting at the cursor: a member
 * whose group is active/optimized for the segment holding @lba wins at
 * once; else the first active/non-optimized one; else the first member
 * whose group the segment does not list; members whose group is standby,
 * unavailable or transitioning for it are skipped.  When no member is left
 * (no map, @lba in no segment, or every member skipped), the round-robin
 * pick is returned: the target then refuses with a referral in the sense
 * data, and the host reloads its map.
 *
 * Context: any reader of @map and @lm; O(class size + log segments +
 * groups per segment for each member).
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
SALUA_API int salua_sel_pick_lba(const struct salua_sel_map *map,
				 const struct salua_lba_map *lm,
				 const uint16_t *path_tpg, uint64_t lba,
				 struct salua_sel_cursor *cur);

#if !defined(SALUA_NO_STRINGS)
/**
 * salua_sel_policy_name() - name of a policy as NVMe's sysfs iopolicy and
 *	dm's selector names spell it.
 * @policy: enum salua_sel_policy.
 *
 * Return: "numa", "round-robin", "queue-depth", "service-time",
 * "failover", "latency", or "?"; never NULL.
 */
SALUA_INLINE const char *salua_sel_policy_name(unsigned policy)
{
	switch (policy) {
	case SALUA_SEL_NUMA: return "numa";
	case SALUA_SEL_ROUND_ROBIN: return "round-robin";
	case SALUA_SEL_QUEUE_DEPTH: return "queue-depth";
	case SALUA_SEL_SERVICE_TIME: return "service-time";
	case SALUA_SEL_FAILOVER: return "failover";
	case SALUA_SEL_LATENCY: return "latency";
	default: return "?";
	}
}
#endif

SALUA_END_DECLS

#endif /* SALUA_SELECTOR_H */

#if (defined(SALUA_IMPLEMENTATION) || defined(SALUA_STATIC)) && \
	!defined(SALUA_SELECTOR_IMPL_DONE)
#define SALUA_SELECTOR_IMPL_DONE

SALUA_BEGIN_DECLS

SALUA_API int salua_sel_init(struct salua_sel *sel,
			     const struct salua_sel_cfg *cfg,
			     struct salua_sel_path *paths, unsigned npaths)
{
	unsigned i;

	if (!sel || !cfg || (!paths && npaths))
		return -SALUA_EINVAL;
	if (cfg->policy >= SALUA_SEL_NPOLICIES ||
	    cfg->lbd > SALUA_SEL_LBD_AS_AO ||
	    cfg->failback > SALUA_SEL_FAILBACK_MANUAL ||
	    cfg->nopath > SALUA_SEL_NOPATH_FAIL || cfg->sample > 1 ||
	    npaths >= SALUA_SEL_NO_PATH || cfg->nnodes >= SALUA_SEL_NO_NODE)
		return -SALUA_EINVAL;
	memset(sel, 0, sizeof(*sel));
	sel->cfg = *cfg;
	sel->path = paths;
	sel->npaths = npaths;
	sel->fo = SALUA_SEL_NO_PATH;
	for (i = 0; i < npaths; i++) {
		paths[i].state = SALUA_STATE_TRANSITIONING;
		paths[i].pref = 0;
		paths[i].enabled = 1;
		paths[i].tp = 1;
		paths[i].node = SALUA_SEL_NO_NODE;
		paths[i].marginal = 0;
		paths[i].reserved = 0;
		paths[i].lat = 0;
	}
	return 0;
}

SALUA_API int salua_sel_map_init(struct salua_sel_map *map,
				 struct salua_sel_slot *slots, unsigned nslots,
				 uint16_t *numa, unsigned nnuma)
{
	if (!map || (!slots && nslots) || (!numa && nnuma))
		return -SALUA_EINVAL;
	memset(map, 0, sizeof(*map));
	map->slot = slots;
	map->numa = numa;
	map->slot_cap = nslots;
	map->numa_cap = nnuma;
	map->fo = SALUA_SEL_NO_PATH;
	map->verdict = SALUA_SEL_FAIL;
	return 0;
}

SALUA_API int salua_sel_map_set_wheel(struct salua_sel_map *map,
				      uint16_t *wheel, unsigned cap)
{
	if (!map || (!wheel && cap))
		return -SALUA_EINVAL;
	map->wheel = wheel;
	map->wheel_cap = cap;
	map->wheel_n = 0;
	return 0;
}

SALUA_API int salua_sel_set_state(struct salua_sel *sel, unsigned idx,
				  unsigned state, bool pref)
{
	struct salua_sel_path *p;
	uint8_t s = (uint8_t)(state & SALUA_STATE_MASK);

	if (!sel || idx >= sel->npaths)
		return -SALUA_EINVAL;
	if (!salua_state_valid(s))
		return -SALUA_EINVAL;
	p = &sel->path[idx];
	if (p->state == s && p->pref == (uint8_t)pref)
		return 0;
	p->state = s;
	p->pref = (uint8_t)pref;
	return 1;
}

SALUA_API int salua_sel_set_enabled(struct salua_sel *sel, unsigned idx,
				    bool on)
{
	if (!sel || idx >= sel->npaths)
		return -SALUA_EINVAL;
	if (sel->path[idx].enabled == (uint8_t)on)
		return 0;
	sel->path[idx].enabled = (uint8_t)on;
	return 1;
}

SALUA_API int salua_sel_set_node(struct salua_sel *sel, unsigned idx,
				 unsigned node)
{
	if (!sel || idx >= sel->npaths || node > SALUA_SEL_NO_NODE)
		return -SALUA_EINVAL;
	if (sel->path[idx].node == node)
		return 0;
	sel->path[idx].node = (uint16_t)node;
	return 1;
}

SALUA_API int salua_sel_set_tp(struct salua_sel *sel, unsigned idx,
			       unsigned tp)
{
	if (!sel || idx >= sel->npaths || tp > SALUA_SEL_TP_MAX)
		return -SALUA_EINVAL;
	if (sel->path[idx].tp == tp)
		return 0;
	sel->path[idx].tp = (uint8_t)tp;
	return 1;
}

SALUA_API int salua_sel_set_latency(struct salua_sel *sel, unsigned idx,
				    uint32_t lat)
{
	if (!sel || idx >= sel->npaths)
		return -SALUA_EINVAL;
	if (sel->path[idx].lat == lat)
		return 0;
	sel->path[idx].lat = lat;
	return 1;
}

SALUA_API int salua_sel_set_marginal(struct salua_sel *sel, unsigned idx,
				     bool on)
{
	if (!sel || idx >= sel->npaths)
		return -SALUA_EINVAL;
	if (sel->path[idx].marginal == (uint8_t)on)
		return 0;
	sel->path[idx].marginal = (uint8_t)on;
	return 1;
}

SALUA_API int salua_sel_set_policy(struct salua_sel *sel, unsigned policy)
{
	if (!sel || policy >= SALUA_SEL_NPOLICIES)
		return -SALUA_EINVAL;
	if (sel->cfg.policy == policy)
		return 0;
	sel->cfg.policy = (uint8_t)policy;
	return 1;
}

SALUA_API int salua_sel_set_may_return(struct salua_sel *sel, bool on)
{
	if (!sel || sel->may_return == (uint8_t)on)
		return 0;
	sel->may_return = (uint8_t)on;
	return 1;
}

SALUA_API int salua_sel_rearm(struct salua_sel *sel)
{
	if (!sel || !sel->expired)
		return 0;
	sel->waiting = 0;
	sel->expired = 0;
	return 1;
}

SALUA_API void salua_sel_failback(struct salua_sel *sel)
{
	if (sel)
		sel->fo_release = 1;
}

static unsigned salua__sel_distance(const struct salua_sel_cfg *cfg,
				    unsigned from, unsigned to)
{
	if (to >= cfg->nnodes)
		return SALUA_SEL_LOCAL_DISTANCE;
	if (cfg->distance_fn)
		return cfg->distance_fn(cfg->distance_ctx, from, to);
	if (cfg->distance)
		return cfg->distance[from * cfg->nnodes + to];
	return from == to ? SALUA_SEL_LOCAL_DISTANCE
			  : SALUA_SEL_REMOTE_DISTANCE;
}

/*
 * Latency policy: weights 1..W from the averages (W x fastest / own,
 * rounded, by multiplication: no division of 64-bit values), the fastest
 * member, and the rotation: W rounds, member k appearing in round r when
 * floor(r * w_k / W) steps, so each member appears w_k times, spread over
 * the rotation.  O(W x n).
 */
static void salua__sel_build_lat(const struct salua_sel *sel,
				 struct salua_sel_map *map, uint32_t n)
{
	uint32_t k, r, lmin = 0, w, W = SALUA_SEL_LAT_WMAX, m = 0;
	uint16_t fast = map->slot[0].path;

	for (k = 0; k < n; k++) {
		uint32_t l = sel->path[map->slot[k].path].lat;

		if (l && (!lmin || l < lmin))
			lmin = l;
	}
	for (k = 0; k < n; k++) {
		uint32_t l = sel->path[map->slot[k].path].lat;

		if (!l || l == lmin) {
			fast = map->slot[k].path;
			break;
		}
	}
	map->fast = fast;
	map->wheel_n = 0;
	if (map->wheel_cap / n < W)
		W = map->wheel_cap / n;
	if (W == 0)
		return;
	for (r = 0; r < W; r++) {
		for (k = 0; k < n; k++) {
			uint32_t l = sel->path[map->slot[k].path].lat;

			w = W;
			if (l && lmin)
				while (w > 1 && (uint64_t)w * l >
						       (uint64_t)W * lmin + l / 2u)
					w--;
			if ((r + 1u) * w / W != r * w / W)
				map->wheel[m++] = map->slot[k].path;
		}
	}
	map->wheel_n = m;
}

static bool salua__sel_bound_hit(const struct salua_sel *sel, uint64_t now)
{
	if (sel->cfg.queue_ms && now - sel->since_ms >= sel->cfg.queue_ms)
		return true;
	return sel->cfg.queue_retries && sel->tries >= sel->cfg.queue_retries;
}

SALUA_API int salua_sel_build(struct salua_sel *sel, struct salua_sel_map *map,
			      uint64_t now_ms)
{
	const struct salua_sel_cfg *cfg;
	unsigned i, v, cls, best = SALUA_SEL_CLASS_NONE, pass;
	uint32_t n = 0;
	bool returning = false;
	uint8_t tp_max = 0;

	if (!sel || !map)
		return -SALUA_EINVAL;
	cfg = &sel->cfg;
	if (map->slot_cap < sel->npaths || map->numa_cap < cfg->nnodes)
		return -SALUA_ENOSPC;

	for (i = 0; i < sel->npaths; i++) {
		const struct salua_sel_path *p = &sel->path[i];

		cls = salua_sel_class_of(cfg, p);
		if (cls < best)
			best = cls;
		if (p->enabled && (p->state & SALUA_STATE_MASK) ==
					  SALUA_STATE_TRANSITIONING)
			returning = true;
	}
	/* Two stable passes: preferred paths first, each pass by index. */
	for (pass = 0; pass < 2 && best != SALUA_SEL_CLASS_NONE; pass++) {
		for (i = 0; i < sel->npaths; i++) {
			const struct salua_sel_path *p = &sel->path[i];

			if ((unsigned)(p->pref == 0) != pass ||
			    salua_sel_class_of(cfg, p) != best)
				continue;
			map->slot[n].path = (uint16_t)i;
			map->slot[n].tp = p->tp;
			map->slot[n].pref = p->pref;
			if (p->tp > tp_max)
				tp_max = p->tp;
			n++;
		}
	}

	for (v = 0; v < cfg->nnodes && n; v++) {
		unsigned bd = 0, d;
		uint32_t k, bk = 0;

		for (k = 0; k < n; k++) {
			d = salua__sel_distance(
				cfg, v, sel->path[map->slot[k].path].node);
			if (k == 0 || d < bd) {
				bd = d;
				bk = k;
			}
		}
		map->numa[v] = map->slot[bk].path;
	}

	/* Failover: stay while usable unless failback says move. */
	if (!n) {
		sel->fo = SALUA_SEL_NO_PATH;
	} else if (sel->fo >= sel->npaths || sel->fo_release ||
		   salua_sel_class_of(cfg, &sel->path[sel->fo]) ==
			   SALUA_SEL_CLASS_NONE) {
		sel->fo = map->slot[0].path;
	} else if (cfg->failback == SALUA_SEL_FAILBACK_IMMEDIATE) {
		const struct salua_sel_path *cp = &sel->path[sel->fo];

		if (salua_sel_class_of(cfg, cp) != best ||
		    (cp->pref == 0 && map->slot[0].pref))
			sel->fo = map->slot[0].path;
	}
	sel->fo_release = 0;

	if (n) {
		sel->waiting = 0;
		sel->expired = 0;
		map->verdict = SALUA_SEL_QUEUE;
	} else if (cfg->nopath == SALUA_SEL_NOPATH_FAIL ||
		   (cfg->nopath == SALUA_SEL_NOPATH_QUEUE_IF_RETURNING &&
		    !returning && !sel->may_return)) {
		sel->waiting = 0;
		sel->expired = 0;
		map->verdict = SALUA_SEL_FAIL;
	} else {
		if (!sel->waiting) {
			sel->waiting = 1;
			sel->expired = 0;
			sel->tries = 0;
			sel->since_ms = now_ms;
		}
		if (salua__sel_bound_hit(sel, now_ms))
			sel->expired = 1;
		map->verdict = sel->expired ? SALUA_SEL_FAIL : SALUA_SEL_QUEUE;
	}

	map->fast = SALUA_SEL_NO_PATH;
	map->wheel_n = 0;
	if (n && cfg->policy == SALUA_SEL_LATENCY)
		salua__sel_build_lat(sel, map, n);
	map->n = n;
	map->tp_max = tp_max;
	map->fo = sel->fo;
	map->npaths = (uint16_t)sel->npaths;
	map->nnodes = n ? cfg->nnodes : 0;
	map->policy = cfg->policy;
	map->cls = (uint8_t)best;
	map->sample = cfg->sample;
	map->gen = ++sel->gen;
	return 0;
}

SALUA_API void salua_sel_health_config_default(struct salua_sel_health_cfg *c)
{
	c->window_ms = 10000u;
	c->demote_ms = 5000u;
	c->demote_max_ms = 60000u;
	c->errors = 4u;
	c->probe_ios = 16u;
}

static void salua__sel_demote(const struct salua_sel_health_cfg *cfg,
			      struct salua_sel_health *h, uint64_t now_ms)
{
	if (!h->demote_ms)
		h->demote_ms = cfg->demote_ms ? cfg->demote_ms : 1u;
	h->state = SALUA_SEL_MARGINAL;
	h->at_ms = now_ms + h->demote_ms;
	h->errs = 0;
	h->oks = 0;
	h->demotions++;
}

SALUA_API int salua_sel_health_io(const struct salua_sel_health_cfg *cfg,
				  struct salua_sel_health *h, bool ok,
				  uint64_t now_ms)
{
	if (!cfg || !h || !cfg->errors)
		return 0;
	switch ((enum salua_sel_health_state)h->state) {
	case SALUA_SEL_MARGINAL:
		return 0;
	case SALUA_SEL_PROBATION:
		if (!ok) {
			/* Relapse: twice as long, capped. */
			uint32_t d = h->demote_ms ? h->demote_ms : cfg->demote_ms;

			d = d > cfg->demote_max_ms / 2u ? cfg->demote_max_ms
							: d * 2u;
			h->demote_ms = d ? d : 1u;
			salua__sel_demote(cfg, h, now_ms);
			return 1;
		}
		if (++h->oks < (cfg->probe_ios ? cfg->probe_ios : 1u))
			return 0;
		h->state = SALUA_SEL_HEALTHY;
		h->demote_ms = 0;
		h->errs = 0;
		h->oks = 0;
		return 1;
	case SALUA_SEL_HEALTHY:
		break;
	}
	if (ok)
		return 0;
	if (!h->errs || now_ms - h->at_ms >= cfg->window_ms) {
		h->errs = 0;
		h->at_ms = now_ms;
	}
	if (++h->errs < cfg->errors)
		return 0;
	salua__sel_demote(cfg, h, now_ms);
	return 1;
}

SALUA_API int salua_sel_health_tick(const struct salua_sel_health_cfg *cfg,
				    struct salua_sel_health *h,
				    uint64_t now_ms)
{
	(void)cfg;
	if (!h || h->state != SALUA_SEL_MARGINAL || now_ms < h->at_ms)
		return 0;
	h->state = SALUA_SEL_PROBATION;
	h->oks = 0;
	return 1;
}

SALUA_API int salua_sel_tick(struct salua_sel *sel, uint64_t now_ms)
{
	if (!sel || !sel->waiting || sel->expired)
		return 0;
	sel->tries++;
	return salua__sel_bound_hit(sel, now_ms) ? 1 : 0;
}

SALUA_API bool salua_sel_map_usable(const struct salua_sel_map *map,
				    unsigned idx)
{
	uint32_t k;

	if (!map || !map->n)
		return false;
	if (idx == map->fo)
		return true;
	for (k = 0; k < map->n; k++)
		if (map->slot[k].path == idx)
			return true;
	return false;
}

SALUA_API int salua_sel_pick_lba(const struct salua_sel_map *map,
				 const struct salua_lba_map *lm,
				 const uint16_t *path_tpg, uint64_t lba,
				 struct salua_sel_cursor *cur)
{
	uint32_t start = 0, i, k, best_i = 0;
	unsigned best = 3, r;
	long seg;
	int st;

	if (!map->n)
		return map->verdict;
	seg = lm && path_tpg ? salua_lba_map_find(lm, lba) : -1;
	if (seg < 0)
		return salua_sel_pick_rr(map, cur);
	/* map->n > 0: the cursor always gives a start */
	(void)salua_sel_cursor_start(map, cur, &start);
	for (k = 0; k < map->n && best; k++) {
		i = start + k < map->n ? start + k : start + k - map->n;
		st = salua_lba_map_seg_state(lm, seg,
					     path_tpg[map->slot[i].path]);
		if (st == SALUA_STATE_AO)
			r = 0;
		else if (st == SALUA_STATE_ANO)
			r = 1;
		else if (st < 0)
			r = 2;
		else
			continue;
		if (r < best) {
			best = r;
			best_i = i;
		}
	}
	return map->slot[best < 3 ? best_i : start].path;
}

SALUA_END_DECLS

#endif
