/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_selector_atomic.h - user-space publisher for the path selector:
 * many threads pick while one thread updates, with C11 atomics.
 *
 * This is a shim, not part of the freestanding core: it needs C11
 * <stdatomic.h> (and <sched.h> on POSIX for the writer's back-off), so it
 * lives under shims/ and is kept out of the C99/C++ portability checks.
 * The kernel equivalent is RCU; see the comment at the top of
 * salua/selector.h.
 *
 * Scheme (quiescent-state based reclamation, as liburcu-qsbr):
 *
 *  - The published map is an atomic pointer; a pick is one acquire load of
 *    it plus the core's O(1) pick, with no store to shared memory.
 *  - Each reader thread owns a struct salua_selpub_reader (its own cache
 *    line): it goes online once, then announces a quiescent state
 *    (salua_selpub_quiescent()) every so often *between* picks, when it
 *    holds no map pointer; a thread that stops picking goes offline.
 *  - The single writer builds the next map into spare storage, publishes
 *    it, and waits until every online reader has announced a quiescent
 *    state since (salua_selpub_synchronize()); the previous map is then
 *    free for the next build.  Two maps per selector suffice.
 *  - In-flight counters for queue-depth and service-time are caller-owned
 *    atomic arrays, updated with relaxed read-modify-writes at I/O start
 *    and end; picks read them with relaxed loads (a slightly stale count
 *    only changes which path is least loaded, never correctness).  When
 *    one thread does every start and end (an event loop) the _1w variants
 *    update them with a relaxed load and store: no locked instruction.
 *  - Every pick is the core's public pick building blocks (selector.h:
 *    salua_sel_cursor_start(), salua_sel_st_first() / _offer(),
 *    salua_sel_draw2() with salua_sel_qd2_choose() / _st2_choose(),
 *    salua_sel_lat_draw() with salua_sel_lat_choose()) fed with relaxed
 *    atomic loads, so the same cursor and counter values give the same
 *    path as salua_sel_pick(), sampled (cfg.sample) and latency picks
 *    included.  No core internal (salua__*) is used.
 *  - Latency averages (latency policy) are caller-owned atomic arrays like
 *    the counters; salua_selpub_lat_sample() folds a completion in.
 *  - Round-robin uses the reader's own cursor (exact rotation per reader,
 *    no shared cache line), or with salua_selpub_pick_rr_shared() one
 *    shared atomic counter for a global rotation.
 *
 * Writers (salua_sel_set_*, salua_selpub_update) are serialized by the
 * caller.  No locks.
 */
#ifndef SALUA_SELECTOR_ATOMIC_H
#define SALUA_SELECTOR_ATOMIC_H

#if !defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L || \
	defined(__STDC_NO_ATOMICS__)
#error "salua_selector_atomic.h needs C11 with <stdatomic.h>"
#endif

#include <stdatomic.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sched.h>
#define SALUA_SELPUB_RELAX() ((void)sched_yield())
#else
#define SALUA_SELPUB_RELAX() ((void)0)
#endif

#include "salua/selector.h"

#define SALUA_SELPUB_CACHELINE 64

/**
 * struct salua_selpub_reader - one picking thread's slot.
 * @ctr: 0 while offline, else the grace period last seen.
 * @cur: the thread's rotation cursor (plain: only this thread uses it).
 */
struct salua_selpub_reader {
	_Alignas(SALUA_SELPUB_CACHELINE) _Atomic uint64_t ctr;
	struct salua_sel_cursor cur;
};

/**
 * struct salua_selpub - the published map of one selector.
 * @map: current map (NULL before the first publish: picks fail).
 * @gp: grace-period counter, starts at 1.
 * @rr: shared round-robin counter (salua_selpub_pick_rr_shared()).
 * @rd: caller array of reader slots.
 * @nrd: its length.
 * @ios: caller array of in-flight I/O counters, one per path.
 * @bytes: caller array of in-flight byte counters, one per path.
 * @lat: caller array of latency averages, one per path, or NULL (the
 *	latency policy then follows its rotation alone).
 * @npaths: length of @ios, @bytes and @lat.
 */
struct salua_selpub {
	_Alignas(SALUA_SELPUB_CACHELINE) _Atomic(struct salua_sel_map *) map;
	_Atomic uint64_t gp;
	_Alignas(SALUA_SELPUB_CACHELINE) _Atomic uint32_t rr;
	_Alignas(SALUA_SELPUB_CACHELINE) struct salua_selpub_reader *rd;
	unsigned nrd;
	_Atomic uint32_t *ios;
	_Atomic uint64_t *bytes;
	_Atomic uint32_t *lat;
	unsigned npaths;
};

/**
 * salua_selpub_init() - set up a publisher (nothing published yet).
 * @pub: publisher.
 * @rd: reader slots, one per picking thread.
 * @nrd: number of slots.
 * @ios: in-flight I/O counters, @npaths entries.
 * @bytes: in-flight byte counters, @npaths entries.
 * @npaths: path count of the selector.
 *
 * Context: before any reader or writer uses @pub.
 */
static inline void salua_selpub_init(struct salua_selpub *pub,
				     struct salua_selpub_reader *rd,
				     unsigned nrd, _Atomic uint32_t *ios,
				     _Atomic uint64_t *bytes, unsigned npaths)
{
	unsigned i;

	atomic_init(&pub->map, NULL);
	atomic_init(&pub->gp, 1);
	atomic_init(&pub->rr, 0);
	pub->rd = rd;
	pub->nrd = nrd;
	pub->ios = ios;
	pub->bytes = bytes;
	pub->lat = NULL;
	pub->npaths = npaths;
	for (i = 0; i < nrd; i++) {
		atomic_init(&rd[i].ctr, 0);
		rd[i].cur.next = 0;
	}
	for (i = 0; i < npaths; i++) {
		atomic_init(&ios[i], 0);
		atomic_init(&bytes[i], 0);
	}
}

/**
 * salua_selpub_set_lat() - attach latency averages (latency policy).
 * @pub: publisher.
 * @lat: @pub->npaths averages, zeroed here; NULL detaches.
 *
 * Context: before readers pick with the latency policy.
 */
static inline void salua_selpub_set_lat(struct salua_selpub *pub,
					_Atomic uint32_t *lat)
{
	unsigned i;

	pub->lat = lat;
	for (i = 0; lat && i < pub->npaths; i++)
		atomic_init(&lat[i], 0);
}

/**
 * salua_selpub_online() - a reader thread starts picking.
 * @pub: publisher.
 * @r: the thread's slot.
 *
 * Context: reader thread, holding no map.
 */
static inline void salua_selpub_online(struct salua_selpub *pub,
				       struct salua_selpub_reader *r)
{
	atomic_store(&r->ctr, atomic_load(&pub->gp));
	/*
	 * Seq-cst store then seq-cst load: either the writer's scan sees us
	 * online, or we already see its newer map.
	 */
	(void)atomic_load(&pub->map);
}

/**
 * salua_selpub_quiescent() - a reader holds no map pointer right now.
 * @pub: publisher.
 * @r: the thread's slot.
 *
 * Call between picks, every few hundred picks or per batch: its cost (one
 * store to the thread's own line) is amortized, and the writer's
 * synchronize waits for it.
 *
 * Context: reader thread, online, holding no map.
 */
static inline void salua_selpub_quiescent(struct salua_selpub *pub,
					  struct salua_selpub_reader *r)
{
	atomic_store_explicit(&r->ctr,
			      atomic_load_explicit(&pub->gp,
						   memory_order_acquire),
			      memory_order_release);
}

/**
 * salua_selpub_offline() - a reader thread stops picking for a while.
 * @pub: publisher (unused; symmetry).
 * @r: the thread's slot.
 *
 * Context: reader thread, holding no map.
 */
static inline void salua_selpub_offline(struct salua_selpub *pub,
					struct salua_selpub_reader *r)
{
	(void)pub;
	atomic_store_explicit(&r->ctr, 0, memory_order_release);
}

/**
 * salua_selpub_map() - the current map, valid until the caller's next
 *	quiescent state.
 * @pub: publisher.
 *
 * Return: the map, or NULL before the first publish.
 */
static inline const struct salua_sel_map *
salua_selpub_map(struct salua_selpub *pub)
{
	return atomic_load_explicit(&pub->map, memory_order_acquire);
}

/* salua_sel_pick_qd()'s two passes over relaxed atomic counters. */
static inline int salua_selpub__qd(const struct salua_sel_map *m,
				   struct salua_sel_cursor *cur,
				   _Atomic uint32_t *ios)
{
	const struct salua_sel_slot *s = m->slot;
	uint32_t n = m->n, st, i, e, x, lo = ~0u, a1 = ~0u;

	if (!salua_sel_cursor_start(m, cur, &st))
		return m->verdict;
	/* The least count; stop after a block that found an idle path. */
	for (i = 0; i < n && lo; i = e) {
		e = n - i > 16 ? i + 16 : n;
		for (; i + 2 <= e; i += 2) {
			x = atomic_load_explicit(&ios[s[i].path],
						 memory_order_relaxed);
			lo = x < lo ? x : lo;
			x = atomic_load_explicit(&ios[s[i + 1].path],
						 memory_order_relaxed);
			a1 = x < a1 ? x : a1;
		}
		if (i < e) {
			x = atomic_load_explicit(&ios[s[i].path],
						 memory_order_relaxed);
			lo = x < lo ? x : lo;
		}
		lo = a1 < lo ? a1 : lo;
	}
	for (i = st; i < n; i++)
		if (atomic_load_explicit(&ios[s[i].path],
					 memory_order_relaxed) == lo)
			return s[i].path;
	for (i = 0; i < st; i++)
		if (atomic_load_explicit(&ios[s[i].path],
					 memory_order_relaxed) == lo)
			return s[i].path;
	return s[st].path;
}

/* salua_sel_pick_st() over relaxed atomic counters. */
static inline int salua_selpub__st(const struct salua_sel_map *m,
				   struct salua_sel_cursor *cur,
				   _Atomic uint64_t *bytes, uint64_t nbytes)
{
	const struct salua_sel_slot *s = m->slot;
	uint32_t n = m->n, st, i, k;
	struct salua_sel_st_scan b;

	if (!salua_sel_cursor_start(m, cur, &st))
		return m->verdict;
	if (salua_sel_st_first(&b, m, st,
				atomic_load_explicit(&bytes[s[st].path],
						     memory_order_relaxed),
				nbytes))
		return s[st].path;
	for (k = 1, i = st + 1; k < n; k++, i++) {
		if (i == n)
			i = 0;
		if (salua_sel_st_offer(&b, m, i,
					atomic_load_explicit(&bytes[s[i].path],
							     memory_order_relaxed),
					nbytes))
			break;
	}
	return s[b.slot].path;
}

/* salua_sel_pick_qd2() over relaxed atomic counters. */
static inline int salua_selpub__qd2(const struct salua_sel_map *m,
				    struct salua_sel_cursor *cur,
				    _Atomic uint32_t *ios)
{
	uint32_t a, b;
	int pick;

	if (!salua_sel_draw2(m, cur, &a, &b, &pick))
		return pick;
	return salua_sel_qd2_choose(
		m, a, b,
		atomic_load_explicit(&ios[m->slot[a].path], memory_order_relaxed),
		atomic_load_explicit(&ios[m->slot[b].path], memory_order_relaxed));
}

/* salua_sel_pick_st2() over relaxed atomic counters. */
static inline int salua_selpub__st2(const struct salua_sel_map *m,
				    struct salua_sel_cursor *cur,
				    _Atomic uint64_t *bytes, uint64_t nbytes)
{
	uint32_t a, b;
	int pick;

	if (!salua_sel_draw2(m, cur, &a, &b, &pick))
		return pick;
	return salua_sel_st2_choose(
		m, a, b,
		atomic_load_explicit(&bytes[m->slot[a].path], memory_order_relaxed),
		atomic_load_explicit(&bytes[m->slot[b].path], memory_order_relaxed),
		nbytes);
}

/* salua_sel_pick_lat() over relaxed atomic counters and averages. */
static inline int salua_selpub__lat(const struct salua_sel_map *m,
				    struct salua_sel_cursor *cur,
				    _Atomic uint32_t *ios,
				    _Atomic uint32_t *lat)
{
	uint32_t a, b;
	int pick;

	if (!salua_sel_lat_draw(m, cur, &a, &b, &pick))
		return pick;
	if (!lat)
		return (int)a;
	return salua_sel_lat_choose(
		a, atomic_load_explicit(&ios[a], memory_order_relaxed),
		atomic_load_explicit(&lat[a], memory_order_relaxed), b,
		atomic_load_explicit(&ios[b], memory_order_relaxed),
		atomic_load_explicit(&lat[b], memory_order_relaxed));
}

/**
 * salua_selpub_pick_map() - pick from a map the caller already loaded.
 * @pub: publisher (counters).
 * @m: map from salua_selpub_map().
 * @r: the calling thread's slot (cursor).
 * @node: submitting NUMA node.
 * @nbytes: I/O size (service-time).
 *
 * Same policy dispatch as salua_sel_pick(), including the sampled
 * queue-depth / service-time picks of a map built with cfg.sample.
 *
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
static inline int salua_selpub_pick_map(struct salua_selpub *pub,
					const struct salua_sel_map *m,
					struct salua_selpub_reader *r,
					unsigned node, uint64_t nbytes)
{
	if (!m)
		return SALUA_SEL_FAIL;
	switch ((enum salua_sel_policy)m->policy) {
	case SALUA_SEL_NUMA:
		return salua_sel_pick_numa(m, node);
	case SALUA_SEL_ROUND_ROBIN:
		return salua_sel_pick_rr(m, &r->cur);
	case SALUA_SEL_QUEUE_DEPTH:
		if (m->sample)
			return salua_selpub__qd2(m, &r->cur, pub->ios);
		return salua_selpub__qd(m, &r->cur, pub->ios);
	case SALUA_SEL_SERVICE_TIME:
		if (m->sample)
			return salua_selpub__st2(m, &r->cur, pub->bytes,
						 nbytes);
		return salua_selpub__st(m, &r->cur, pub->bytes, nbytes);
	case SALUA_SEL_FAILOVER:
		return salua_sel_pick_failover(m);
	case SALUA_SEL_LATENCY:
		return salua_selpub__lat(m, &r->cur, pub->ios, pub->lat);
	}
	return salua_sel_pick_failover(m);
}

/**
 * salua_selpub_pick() - pick from the current map.
 * @pub: publisher.
 * @r: the calling thread's slot (online).
 * @node: submitting NUMA node.
 * @nbytes: I/O size (service-time).
 *
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
static inline int salua_selpub_pick(struct salua_selpub *pub,
				    struct salua_selpub_reader *r,
				    unsigned node, uint64_t nbytes)
{
	return salua_selpub_pick_map(pub, salua_selpub_map(pub), r, node,
				     nbytes);
}

/**
 * salua_selpub_pick_rr_shared() - round-robin over one shared counter
 *	(global rotation across threads; costs a contended atomic add).
 * @pub: publisher.
 * @m: map from salua_selpub_map().
 *
 * Exact rotation while the class is stable, except at the 2^32 counter
 * wrap when the class size is not a power of two.
 *
 * Return: path index, or SALUA_SEL_QUEUE / SALUA_SEL_FAIL.
 */
static inline int salua_selpub_pick_rr_shared(struct salua_selpub *pub,
					      const struct salua_sel_map *m)
{
	uint32_t x;

	if (!m)
		return SALUA_SEL_FAIL;
	if (!m->n)
		return m->verdict;
	x = atomic_fetch_add_explicit(&pub->rr, 1, memory_order_relaxed);
	return m->slot[x % m->n].path;
}

/**
 * salua_selpub_io_start() - account an I/O sent on a path.
 * @pub: publisher.
 * @idx: path index.
 * @nbytes: I/O size.
 */
static inline void salua_selpub_io_start(struct salua_selpub *pub,
					 unsigned idx, uint64_t nbytes)
{
	atomic_fetch_add_explicit(&pub->ios[idx], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&pub->bytes[idx], nbytes,
				  memory_order_relaxed);
}

/**
 * salua_selpub_io_end() - account an I/O completed on a path.
 * @pub: publisher.
 * @idx: path index it was sent on.
 * @nbytes: size given to salua_selpub_io_start().
 */
static inline void salua_selpub_io_end(struct salua_selpub *pub,
				       unsigned idx, uint64_t nbytes)
{
	atomic_fetch_sub_explicit(&pub->ios[idx], 1, memory_order_relaxed);
	atomic_fetch_sub_explicit(&pub->bytes[idx], nbytes,
				  memory_order_relaxed);
}

/**
 * salua_selpub_io_start_1w() - salua_selpub_io_start() for a single
 *	writer: only the calling thread ever starts or ends I/O on @pub
 *	(readers in other threads only load).  Relaxed load and store, no
 *	locked read-modify-write.
 * @pub: publisher.
 * @idx: path index.
 * @nbytes: I/O size.
 */
static inline void salua_selpub_io_start_1w(struct salua_selpub *pub,
					    unsigned idx, uint64_t nbytes)
{
	atomic_store_explicit(&pub->ios[idx],
			      atomic_load_explicit(&pub->ios[idx],
						   memory_order_relaxed) + 1u,
			      memory_order_relaxed);
	atomic_store_explicit(&pub->bytes[idx],
			      atomic_load_explicit(&pub->bytes[idx],
						   memory_order_relaxed) + nbytes,
			      memory_order_relaxed);
}

/**
 * salua_selpub_io_end_1w() - salua_selpub_io_end() for a single writer.
 * @pub: publisher.
 * @idx: path index it was sent on.
 * @nbytes: size given to salua_selpub_io_start_1w().
 */
static inline void salua_selpub_io_end_1w(struct salua_selpub *pub,
					  unsigned idx, uint64_t nbytes)
{
	atomic_store_explicit(&pub->ios[idx],
			      atomic_load_explicit(&pub->ios[idx],
						   memory_order_relaxed) - 1u,
			      memory_order_relaxed);
	atomic_store_explicit(&pub->bytes[idx],
			      atomic_load_explicit(&pub->bytes[idx],
						   memory_order_relaxed) - nbytes,
			      memory_order_relaxed);
}

/**
 * salua_selpub_lat_sample() - fold a completion latency into a path's
 *	average (salua_sel_lat_ewma()); a lost update between two
 *	completing threads only drops one sample.
 * @pub: publisher (with averages attached).
 * @idx: path index.
 * @sample: the I/O's latency.
 *
 * Return: the new average.
 */
static inline uint32_t salua_selpub_lat_sample(struct salua_selpub *pub,
					       unsigned idx, uint32_t sample)
{
	uint32_t v = salua_sel_lat_ewma(
		atomic_load_explicit(&pub->lat[idx], memory_order_relaxed),
		sample);

	atomic_store_explicit(&pub->lat[idx], v, memory_order_relaxed);
	return v;
}

/**
 * salua_selpub_publish() - make a built map current.
 * @pub: publisher.
 * @m: built map.
 *
 * Context: the writer.
 * Return: the previous map (NULL the first time); do not rebuild it before
 * salua_selpub_synchronize() returns.
 */
static inline struct salua_sel_map *
salua_selpub_publish(struct salua_selpub *pub, struct salua_sel_map *m)
{
	return atomic_exchange(&pub->map, m);
}

/**
 * salua_selpub_synchronize() - wait until no reader can hold a map
 *	published before the last salua_selpub_publish().
 * @pub: publisher.
 *
 * Spins (yielding) until each online reader has announced a quiescent
 * state or gone offline.
 *
 * Context: the writer; never from a reader thread that is online.
 */
static inline void salua_selpub_synchronize(struct salua_selpub *pub)
{
	uint64_t g = atomic_fetch_add(&pub->gp, 1) + 1;
	unsigned i;

	for (i = 0; i < pub->nrd; i++) {
		for (;;) {
			uint64_t c = atomic_load(&pub->rd[i].ctr);

			if (c == 0 || c >= g)
				break;
			SALUA_SELPUB_RELAX();
		}
	}
}

/**
 * salua_selpub_update() - build, publish and reclaim in one call.
 * @pub: publisher.
 * @sel: the selector (writer-owned).
 * @spare: a map no reader uses (the one returned by the previous update,
 *	or a fresh one); rebuilt here.
 * @now_ms: monotonic time for salua_sel_build().
 * @err: optional out: salua_sel_build()'s return.
 *
 * Context: the writer.
 * Return: the map that is now free (the previously published one), or
 * @spare itself if the build failed (nothing was published).
 */
static inline struct salua_sel_map *
salua_selpub_update(struct salua_selpub *pub, struct salua_sel *sel,
		    struct salua_sel_map *spare, uint64_t now_ms, int *err)
{
	struct salua_sel_map *old;
	int e = salua_sel_build(sel, spare, now_ms);

	if (err)
		*err = e;
	if (e)
		return spare;
	old = salua_selpub_publish(pub, spare);
	salua_selpub_synchronize(pub);
	return old;
}

#endif /* SALUA_SELECTOR_ATOMIC_H */
