/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The multipath selector (selector.h) driven by operations read from the
 * input: state / PREF / enable / node / throughput / policy / latency /
 * marginal changes, map builds (two maps, alternately published, with a
 * latency rotation of any capacity), ticks while queueing, clock steps,
 * picks under every policy, in-flight counter and latency-average
 * updates.  Each build: the latency rotation holds only members of the
 * best class, each 1..SALUA_SEL_LAT_WMAX times, and the fastest member has
 * the lowest average.  For every pick, judged against a snapshot of the
 * paths taken when the published map was built:
 *   - a path is returned only if one was usable, and it is usable: in the
 *     best class (or the failover path, which is usable), enabled;
 *   - no path is returned only when none was usable, with a verdict that
 *     follows the no-path policy;
 *   - numa: no class member is nearer; queue-depth: none has fewer
 *     in-flight I/Os; service-time: none is strictly better by
 *     salua_sel_st_less(); round-robin: n picks visit the class once each;
 *     latency: the fastest member, or a member whose expected wait is not
 *     longer than the fastest's.
 */
#include "fuzz.h"

#define NPATH 12
#define NNODE 4

struct snap {
	struct salua_sel_path p[NPATH];
	unsigned best; /* best class present, SALUA_SEL_CLASS_NONE if none */
	bool transitioning;
	bool may_return;
	bool built;
};

static unsigned dist(const uint8_t *d, unsigned nn, unsigned from,
		     unsigned to)
{
	if (to == SALUA_SEL_NO_NODE || from >= nn || to >= nn)
		return SALUA_SEL_LOCAL_DISTANCE;
	return d[from * nn + to];
}

static const uint32_t *live_lat; /* the load's latency averages */

static void check_pick(const struct salua_sel *sel,
		       const struct salua_sel_map *m, const struct snap *s,
		       int r, const uint8_t *d, unsigned node,
		       const uint32_t *ios, const uint64_t *bytes,
		       uint64_t nbytes)
{
	unsigned cls, i;

	if (s->best == SALUA_SEL_CLASS_NONE) {
		FUZZ_CHECK(r == SALUA_SEL_QUEUE || r == SALUA_SEL_FAIL);
		FUZZ_CHECK(m->n == 0);
		if (sel->cfg.nopath == SALUA_SEL_NOPATH_FAIL)
			FUZZ_CHECK(r == SALUA_SEL_FAIL);
		if (sel->cfg.nopath == SALUA_SEL_NOPATH_QUEUE_IF_RETURNING &&
		    !s->transitioning && !s->may_return)
			FUZZ_CHECK(r == SALUA_SEL_FAIL);
		return;
	}
	FUZZ_CHECK(r >= 0 && r < NPATH);
	cls = salua_sel_class_of(&sel->cfg, &s->p[r]);
	FUZZ_CHECK(cls != SALUA_SEL_CLASS_NONE && s->p[r].enabled);
	FUZZ_CHECK(salua_sel_map_usable(m, (unsigned)r));
	if (m->policy == SALUA_SEL_FAILOVER)
		return;
	FUZZ_CHECK(cls == s->best);
	if (m->policy == SALUA_SEL_LATENCY && live_lat && r != m->fast)
		FUZZ_CHECK(((uint64_t)ios[r] + 1u) * live_lat[r] <=
			   ((uint64_t)ios[m->fast] + 1u) * live_lat[m->fast]);
	for (i = 0; i < NPATH; i++) {
		if (salua_sel_class_of(&sel->cfg, &s->p[i]) != s->best)
			continue;
		switch (m->policy) {
		case SALUA_SEL_NUMA:
			if (node < m->nnodes)
				FUZZ_CHECK(dist(d, m->nnodes, node,
						s->p[r].node) <=
					   dist(d, m->nnodes, node,
						s->p[i].node));
			break;
		case SALUA_SEL_QUEUE_DEPTH:
			FUZZ_CHECK(ios[r] <= ios[i]);
			break;
		case SALUA_SEL_SERVICE_TIME: {
			uint64_t vi = bytes[i] + nbytes, vr = bytes[r] + nbytes;

			if (vi < bytes[i])
				vi = ~(uint64_t)0;
			if (vr < bytes[r])
				vr = ~(uint64_t)0;
			FUZZ_CHECK(!salua_sel_st_less(vi, s->p[i].tp, vr,
						      s->p[r].tp));
			break;
		}
		default:
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct salua_sel_path paths[NPATH];
	static struct salua_sel_slot slots[2][NPATH];
	static uint16_t numa[2][NNODE];
	static struct salua_sel_map maps[2];
	static struct snap snaps[2];
	static uint32_t ios[NPATH];
	static uint64_t bytes[NPATH];
	static uint32_t lat[NPATH];
	static uint16_t wheel[2][NPATH * SALUA_SEL_LAT_WMAX];
	struct salua_sel_load load = { ios, bytes, lat };
	struct salua_sel_cursor cur = { 0 };
	struct salua_sel_cfg cfg;
	struct salua_sel sel;
	uint8_t d[NNODE * NNODE];
	unsigned npaths, pub = 0, i, steps;
	uint64_t now = 0;
	struct fz f;
	uint8_t b;

	fz_init(&f, data, size);
	memset(&cfg, 0, sizeof(cfg));
	memset(ios, 0, sizeof(ios));
	memset(bytes, 0, sizeof(bytes));
	memset(lat, 0, sizeof(lat));
	memset(snaps, 0, sizeof(snaps));
	live_lat = lat;
	b = fz_u8(&f);
	cfg.policy = (uint8_t)(b % SALUA_SEL_NPOLICIES);
	cfg.lbd = (uint8_t)((b >> 3) & 3u);
	cfg.failback = (uint8_t)((b >> 5) & 1u);
	cfg.nopath = (uint8_t)((b >> 6) % 3u);
	cfg.queue_ms = fz_u8(&f);
	cfg.queue_retries = fz_u8(&f) & 7u;
	cfg.nnodes = (uint16_t)(fz_u8(&f) % (NNODE + 1));
	{
		size_t got;
		const uint8_t *src = fz_bytes(&f, sizeof(d), &got);

		memset(d, 0, sizeof(d));
		if (got)
			memcpy(d, src, got);
	}
	if (cfg.nnodes)
		cfg.distance = d;
	npaths = 1u + fz_u8(&f) % NPATH;
	FUZZ_CHECK(salua_sel_init(&sel, &cfg, paths, npaths) == 0);
	for (i = 0; i < 2; i++) {
		FUZZ_CHECK(salua_sel_map_init(&maps[i], slots[i], NPATH,
					      numa[i], NNODE) == 0);
		FUZZ_CHECK(salua_sel_map_set_wheel(
				   &maps[i], wheel[i],
				   fz_u8(&f) % (NPATH * SALUA_SEL_LAT_WMAX + 1u)) ==
			   0);
	}

	for (steps = 0; fz_left(&f) > 0 && steps < 4096; steps++) {
		uint8_t op = fz_u8(&f), a = fz_u8(&f);
		unsigned idx = a % (npaths + 1u); /* one past the end too */
		int rc;

		switch (op % 16u) {
		case 0:
		case 1: {
			unsigned st = fz_u8(&f) & 0x8fu;

			rc = salua_sel_set_state(&sel, idx, st, (a & 0x80u) != 0);
			if (idx >= npaths || !salua_state_sup_bit(
						     (uint8_t)(st & 0x0fu)))
				FUZZ_CHECK(rc == -SALUA_EINVAL);
			else
				FUZZ_CHECK(rc == 0 || rc == 1);
			break;
		}
		case 2:
			rc = salua_sel_set_enabled(&sel, idx, (a & 0x80u) != 0);
			FUZZ_CHECK(idx < npaths ? rc >= 0 : rc == -SALUA_EINVAL);
			break;
		case 3:
			rc = salua_sel_set_node(&sel, idx,
						(a & 0x80u) ? SALUA_SEL_NO_NODE :
							      (a >> 4) % NNODE);
			FUZZ_CHECK(idx < npaths ? rc >= 0 : rc == -SALUA_EINVAL);
			break;
		case 4:
			rc = salua_sel_set_tp(&sel, idx, fz_u8(&f) % 120u);
			FUZZ_CHECK(rc >= -SALUA_EINVAL);
			break;
		case 5:
			rc = salua_sel_set_policy(&sel, a % 7u);
			FUZZ_CHECK(a % 7u < SALUA_SEL_NPOLICIES ? rc >= 0 :
								  rc == -SALUA_EINVAL);
			break;
		case 6:
			FUZZ_CHECK(salua_sel_set_may_return(&sel, a & 1u) >= 0);
			break;
		case 7:
			salua_sel_failback(&sel);
			break;
		case 8: /* build into the unpublished map, then publish */
		case 9: {
			unsigned o = pub ^ 1u;
			struct snap *s = &snaps[o];

			FUZZ_CHECK(salua_sel_build(&sel, &maps[o], now) == 0);
			memset(s, 0, sizeof(*s));
			memcpy(s->p, paths, sizeof(paths[0]) * npaths);
			s->best = SALUA_SEL_CLASS_NONE;
			for (i = 0; i < npaths; i++) {
				unsigned c = salua_sel_class_of(&sel.cfg,
								&paths[i]);

				if (c < s->best)
					s->best = c;
				if (paths[i].enabled &&
				    (paths[i].state & 0x0fu) ==
					    SALUA_STATE_TRANSITIONING)
					s->transitioning = true;
			}
			for (; i < NPATH; i++)
				s->p[i].enabled = 0;
			s->built = true;
			s->may_return = sel.may_return != 0;
			FUZZ_CHECK(maps[o].npaths == npaths);
			FUZZ_CHECK((maps[o].n == 0) ==
				   (s->best == SALUA_SEL_CLASS_NONE));
			if (maps[o].n)
				FUZZ_CHECK(maps[o].cls == s->best);
			if (maps[o].n && sel.cfg.policy == SALUA_SEL_LATENCY) {
				const struct salua_sel_map *m = &maps[o];
				unsigned cnt[NPATH], k;
				uint32_t lf = paths[m->fast].lat;

				FUZZ_CHECK(m->fast < npaths &&
					   salua_sel_class_of(&sel.cfg,
							      &paths[m->fast]) ==
						   s->best);
				memset(cnt, 0, sizeof(cnt));
				FUZZ_CHECK(m->wheel_n <= m->wheel_cap);
				for (k = 0; k < m->wheel_n; k++) {
					FUZZ_CHECK(m->wheel[k] < npaths);
					cnt[m->wheel[k]]++;
				}
				for (k = 0; k < m->n; k++) {
					unsigned pi = m->slot[k].path;

					if (m->wheel_n)
						FUZZ_CHECK(cnt[pi] >= 1 &&
							   cnt[pi] <=
								   SALUA_SEL_LAT_WMAX);
					cnt[pi] = 0;
					if (lf && paths[pi].lat)
						FUZZ_CHECK(lf <= paths[pi].lat);
				}
				for (k = 0; k < NPATH; k++)
					FUZZ_CHECK(cnt[k] == 0);
			}
			pub = o;
			break;
		}
		case 10:
			now += fz_u8(&f);
			FUZZ_CHECK(salua_sel_tick(&sel, now) >= 0);
			break;
		case 11: { /* picks from the published map */
			const struct salua_sel_map *m = &maps[pub];
			unsigned node = a % (NNODE + 1u);
			uint64_t nb = (uint64_t)fz_u16(&f) << (a & 31u);
			int r;

			if (!snaps[pub].built)
				break;
			r = salua_sel_pick(m, &cur, node, &load, nb);
			check_pick(&sel, m, &snaps[pub], r, d, node, ios, bytes,
				   nb);
			if (r >= 0 && (a & 0x40u))
				salua_sel_io_start(&load, (unsigned)r, nb);
			break;
		}
		case 13: /* latency: a weight input, or a live average */
			if (idx < npaths) {
				uint32_t v = fz_u32(&f) >> (a & 31u);

				if (a & 0x40u)
					lat[idx] = salua_sel_lat_ewma(lat[idx], v);
				else
					FUZZ_CHECK(salua_sel_set_latency(&sel, idx,
									 v) >= 0);
			} else {
				FUZZ_CHECK(salua_sel_set_latency(&sel, idx, 1) ==
					   -SALUA_EINVAL);
			}
			break;
		case 14:
			rc = salua_sel_set_marginal(&sel, idx, (a & 0x80u) != 0);
			FUZZ_CHECK(idx < npaths ? rc >= 0 : rc == -SALUA_EINVAL);
			break;
		case 12: /* counters move: completions and new I/O */
			if (idx < npaths) {
				uint64_t nb = fz_u16(&f);

				if (a & 0x80u)
					salua_sel_io_start(&load, idx, nb);
				else
					salua_sel_io_end(&load, idx, nb);
			}
			break;
		default: { /* a fresh cursor visits the class once each */
			const struct salua_sel_map *m = &maps[pub];
			struct salua_sel_cursor c2 = { fz_u32(&f) };
			unsigned seen[NPATH], k;
			int r;

			if (!snaps[pub].built || m->policy != SALUA_SEL_ROUND_ROBIN ||
			    !m->n)
				break;
			memset(seen, 0, sizeof(seen));
			for (k = 0; k < m->n; k++) {
				r = salua_sel_pick_rr(m, &c2);
				check_pick(&sel, m, &snaps[pub], r, d, 0, ios,
					   bytes, 0);
				seen[r]++;
			}
			for (k = 0; k < NPATH; k++)
				FUZZ_CHECK(seen[k] <= 1);
			break;
		}
		}
	}
	return 0;
}
