/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The per-LU engine (engine.h) driven by a sequence of events read from
 * the input: path add/remove, rescans, I/O sense, activations, clock
 * steps, timer firings (due or spurious), and completions of the commands
 * it submitted with arbitrary transport result, status, sense and data
 * (raw bytes or well-formed RTPG data), delivered later or inside
 * submit() as SG_IO does.  After every event the invariants hold:
 *   - at most one RTPG in flight (commands on removed paths aside);
 *   - no timer armed while the engine is idle;
 *   - submit() only on paths in use, with CDBs the target-side parser
 *     accepts, data-in inside the caller's buffer, a valid STPG list;
 *   - notify() only for paths in use, with a defined access state;
 *   - an activation's done() never runs twice, and never FAILED unless an
 *     STPG was answered after it was requested;
 *   - with standby_poll_ms set, never idle after a transition timeout
 *     while no used path is AO / ANO / LBD (the slow re-poll is due);
 *   - salua_engine_shutdown() completes every pending activation with
 *     REMOVED before it returns and leaves no timer; afterwards nothing is
 *     submitted, armed or notified, every completion is stale, add/remove
 *     return -SALUA_ESTATE and activate completes at once with REMOVED.
 * At the end the array turns healthy and the engine must settle: idle,
 * every activation completed exactly once.  Data-in bytes past what the
 * "target" sent are poisoned for ASan during the completion; the path
 * slots are an allocation of their own.  Before the engine starts, init
 * must refuse each invalid argument alone (an op missing, a bad config
 * value, no slots, too many, no buffer, one too small).
 */
#include "fuzz.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FZ_ASAN 1
#endif
#if defined(FZ_ASAN)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define NP 6      /* path slots */
#define NQ 32     /* commands the "transport" holds */
#define NACT 8    /* activation storage */
#define MAX_DEPTH 4

struct pend {
	bool used;
	bool abandoned; /* its path was removed after submit */
	uint32_t tag;
	unsigned path;
	enum salua_cmd_kind kind;
	bool ext;
	uint8_t *din;
	uint32_t din_len;
};

struct act {
	struct salua_activation a;
	unsigned path;
	unsigned calls;
	int result;
	bool busy;
	unsigned stpg0; /* STPG answers before it was requested */
};

struct world {
	struct salua_engine e;
	struct salua_engine_path *slots; /* NP, allocated alone */
	struct salua_engine_ops ops;
	uint8_t *buf;
	size_t buf_cap;
	uint64_t now;
	uint64_t timer_at;
	bool armed;
	unsigned fsm; /* the last SALUA_EV_STATE's "to" */
	bool used[NP];
	uint16_t rel_port[NP], tpg[NP];
	bool has_tpg[NP];
	struct pend q[NQ];
	struct act acts[NACT];
	struct fz *f;
	bool sync;       /* complete inside submit() */
	bool fail_next;  /* the next submit() is refused */
	bool healthy;    /* drain phase: the array answers well */
	bool shut;       /* salua_engine_shutdown() was called */
	unsigned depth;
	unsigned in_cb;  /* inside a callback of ours */
	unsigned stpg_answers; /* STPGs the engine took an answer of */
};

static struct world *cur; /* for act_done() */

static void complete_one(struct world *w, unsigned i);

/* FUZZ_ENGINE_TRACE=1 in the environment prints what happens. */
static int trace = -1;
#define TRACE(...)                                                             \
	do {                                                                   \
		if (trace > 0)                                                 \
			fprintf(stderr, __VA_ARGS__);                          \
	} while (0)

static unsigned rtpg_in_flight(const struct world *w)
{
	unsigned i, n = 0;

	for (i = 0; i < NQ; i++)
		if (w->q[i].used && !w->q[i].abandoned &&
		    w->q[i].kind == SALUA_CMD_RTPG)
			n++;
	return n;
}

/* After a transition timeout, no used path usable: the re-poll must run. */
static bool standby_poll_due(const struct world *w)
{
	unsigned i;
	bool any = false;

	if (!w->e.cfg.standby_poll_ms || w->e.trans != SALUA__TR_EXPIRED)
		return false;
	for (i = 0; i < NP; i++) {
		uint8_t st = 0xff;
		int rc;

		if (!w->used[i])
			continue;
		any = true;
		rc = salua_engine_path_get(&w->e, i, &st, NULL, NULL);
		if (rc == 1 && (st == SALUA_STATE_AO || st == SALUA_STATE_ANO ||
				st == SALUA_STATE_LBA_DEPENDENT))
			return false;
	}
	return any;
}

static void invariants(struct world *w)
{
	unsigned i;

	FUZZ_CHECK(rtpg_in_flight(w) <= 1);
	FUZZ_CHECK(salua_engine_state(&w->e) == w->fsm);
	if (salua_engine_idle(&w->e))
		FUZZ_CHECK(!w->armed);
	for (i = 0; i < NP; i++) {
		uint8_t st = 0xff, sup = 0;
		bool pref = false;
		int rc = salua_engine_path_get(&w->e, i, &st, &pref, &sup);

		if (!w->used[i]) {
			FUZZ_CHECK(rc == -SALUA_ENOENT);
			continue;
		}
		FUZZ_CHECK(rc == 0 || rc == 1);
		if (rc == 1)
			FUZZ_CHECK(st <= SALUA_STATE_MASK);
	}
	FUZZ_CHECK(salua_engine_path_get(&w->e, NP, NULL, NULL, NULL) < 0);
	for (i = 0; i < NACT; i++)
		FUZZ_CHECK(w->acts[i].calls <= 1);
	if (w->shut)
		FUZZ_CHECK(salua_engine_idle(&w->e) && !w->armed);
	else if (salua_engine_idle(&w->e))
		FUZZ_CHECK(!standby_poll_due(w));
}

static uint64_t op_now(void *ctx)
{
	return ((struct world *)ctx)->now;
}

static void op_arm(void *ctx, uint64_t at)
{
	struct world *w = (struct world *)ctx;

	FUZZ_CHECK(!w->shut);
	w->armed = true;
	w->timer_at = at;
}

static void op_cancel(void *ctx)
{
	((struct world *)ctx)->armed = false;
}

static void op_notify(void *ctx, unsigned path, uint8_t state, bool pref,
		      uint8_t supported)
{
	struct world *w = (struct world *)ctx;

	(void)pref;
	(void)supported;
	FUZZ_CHECK(!w->shut);
	FUZZ_CHECK(path < NP && w->used[path]);
	FUZZ_CHECK(state <= SALUA_STATE_MASK);
}

static void op_log(void *ctx, const struct salua_engine_log *ev)
{
	char small[12], line[160];
	size_t n;

	if (ev->code == SALUA_EV_STATE) {
		struct world *w = (struct world *)ctx;

		/* Each transition starts where the last one ended. */
		FUZZ_CHECK(ev->a == w->fsm && ev->b < SALUA_ES_COUNT &&
			   ev->c < SALUA_EC_COUNT);
		w->fsm = ev->b;
	} else {
		FUZZ_CHECK(ev->code >= SALUA_EV_SUBMIT &&
			   ev->code <= SALUA_EV_STALE);
	}
	n = salua_engine_log_format(ev, line, sizeof(line));
	FUZZ_CHECK(n < sizeof(line) && strlen(line) == n);
	TRACE("    log: %s\n", line);
	n = salua_engine_log_format(ev, small, sizeof(small));
	FUZZ_CHECK(n < sizeof(small) && strlen(small) == n);
}

static void check_cmd(struct world *w, unsigned path,
		      const struct salua_engine_cmd *cmd)
{
	struct salua_cdb c;

	FUZZ_CHECK(path < NP && w->used[path]);
	FUZZ_CHECK(cmd->cdb_len == 6 || cmd->cdb_len == 12);
	/* The engine's CDBs pass the target-side parser. */
	FUZZ_CHECK(salua_cdb_parse(cmd->cdb, cmd->cdb_len, &c) == 0);
	switch (cmd->kind) {
	case SALUA_CMD_RTPG:
		FUZZ_CHECK(c.opcode == SALUA_OP_MAINTENANCE_IN);
		FUZZ_CHECK(cmd->din == w->buf && cmd->din_len >= 4 &&
			   cmd->din_len <= w->buf_cap);
		FUZZ_CHECK(c.alloc_len == cmd->din_len);
		break;
	case SALUA_CMD_STPG: {
		struct salua_stpg_desc d[4];
		size_t n = 4;

		FUZZ_CHECK(c.opcode == SALUA_OP_MAINTENANCE_OUT);
		FUZZ_CHECK(cmd->dout && c.param_len == cmd->dout_len);
		FUZZ_CHECK(salua_stpg_decode(cmd->dout, cmd->dout_len, 0, d,
					     &n) == 0 && n >= 1);
		/* Only explicit ALUA sends STPG. */
		FUZZ_CHECK(w->e.cfg.tpgs & SALUA_TPGS_EXPLICIT);
		break;
	}
	case SALUA_CMD_TUR:
		FUZZ_CHECK(c.opcode == SALUA_OP_TEST_UNIT_READY);
		break;
	default:
		FUZZ_CHECK(0);
	}
}

static int op_submit(void *ctx, unsigned path,
		     const struct salua_engine_cmd *cmd)
{
	struct world *w = (struct world *)ctx;
	unsigned i;

	FUZZ_CHECK(!w->shut);
	check_cmd(w, path, cmd);
	/* The buffer now belongs to this command (a completion of the last
	 * one may still be on the stack, with its tail poisoned). */
	UNPOISON(w->buf, w->buf_cap);
	TRACE("  [%llu] submit kind %d path %u tag %u din_len %u\n",
	      (unsigned long long)w->now, (int)cmd->kind, path, cmd->tag,
	      cmd->din_len);
	if (w->fail_next && !w->healthy) {
		w->fail_next = false;
		return -1;
	}
	for (i = 0; i < NQ && w->q[i].used; i++)
		;
	if (i == NQ) { /* make room: the oldest abandoned one completes */
		for (i = 0; i < NQ && !w->q[i].abandoned; i++)
			;
		FUZZ_CHECK(i < NQ); /* else the engine floods the transport */
		complete_one(w, i);
	}
	w->q[i].used = true;
	w->q[i].abandoned = false;
	w->q[i].tag = cmd->tag;
	w->q[i].path = path;
	w->q[i].kind = cmd->kind;
	w->q[i].ext = cmd->kind == SALUA_CMD_RTPG &&
		      (cmd->cdb[1] & SALUA_RTPG_PDF_MASK) != 0;
	w->q[i].din = cmd->din;
	w->q[i].din_len = cmd->din_len;
	if (cmd->kind == SALUA_CMD_RTPG)
		FUZZ_CHECK(rtpg_in_flight(w) <= 1);
	if (w->sync && w->depth < MAX_DEPTH) {
		w->depth++;
		complete_one(w, i);
		w->depth--;
	}
	return 0;
}

static void act_done(void *arg, int result)
{
	struct act *a = (struct act *)arg;

	a->calls++;
	a->result = result;
	FUZZ_CHECK(a->calls == 1);
	/* FAILED means "STPG done, still not active": an STPG was answered. */
	if (result == SALUA_ACTIVATE_FAILED)
		FUZZ_CHECK(cur->stpg_answers > a->stpg0);
	FUZZ_CHECK(result >= SALUA_ACTIVATE_OK &&
		   result <= SALUA_ACTIVATE_DEFERRED);
}

/* A well-formed RTPG answer naming the groups of the paths in use. */
static uint32_t good_rtpg(struct world *w, struct pend *p, bool random)
{
	struct salua_tpg_entry g[NP + 1];
	uint16_t ports[NP + 1][NP];
	size_t n = 0, k;
	unsigned i;
	int rc;

	for (i = 0; i < NP; i++) {
		uint16_t id;

		if (!w->used[i] && !(random && (fz_u8(w->f) & 1)))
			continue;
		id = w->has_tpg[i] ? w->tpg[i] : (uint16_t)(0x8000u | i);
		for (k = 0; k < n && g[k].tpg_id != id; k++)
			;
		if (k == n) {
			memset(&g[n], 0, sizeof(g[n]));
			g[n].tpg_id = id;
			g[n].ports = ports[n];
			if (random) {
				uint8_t b = fz_u8(w->f);

				g[n].state = (uint8_t)(b & 0x0fu);
				g[n].pref = (b & 0x80u) != 0;
				g[n].supported = fz_u8(w->f);
				g[n].status = (uint8_t)(fz_u8(w->f) & 3u);
			} else {
				g[n].state = SALUA_STATE_AO;
				g[n].supported = SALUA_SUP_ALL;
			}
			n++;
		}
		ports[k][g[k].nports++] = w->rel_port[i];
	}
	rc = salua_rtpg_encode(p->din, p->din_len,
			       p->ext && !(random && (fz_u8(w->f) & 1)) ?
				       SALUA_RTPG_EXTENDED :
				       SALUA_RTPG_CLASSIC,
			       random ? fz_u8(w->f) : 0, g, n);
	FUZZ_CHECK(rc >= 0);
	return (uint32_t)rc;
}

static void complete_one(struct world *w, unsigned i)
{
	struct pend p = w->q[i];
	struct salua_engine_completion c;
	uint8_t sense[64];
	uint32_t wrote = 0;
	unsigned answer;
	int rc;

	w->q[i].used = false;
	memset(&c, 0, sizeof(c));
	if (w->healthy) {
		c.xfer = SALUA_XFER_OK;
		c.status = SALUA_STATUS_GOOD;
		if (p.kind == SALUA_CMD_RTPG)
			wrote = c.data_len = good_rtpg(w, &p, false);
	} else {
		uint8_t how = fz_u8(w->f);
		size_t sl;

		c.xfer = (enum salua_xfer)(how % 3u == 0 ? (how >> 2) % 3u : 0u);
		c.status = (how & 0x08u) ? SALUA_STATUS_CHECK_CONDITION :
			   (how & 0x10u) ? fz_u8(w->f) : SALUA_STATUS_GOOD;
		if (c.status == SALUA_STATUS_CHECK_CONDITION) {
			if (how & 0x20u) {
				const uint8_t *s = fz_bytes(w->f,
							    fz_u8(w->f) % 40u,
							    &sl);
				if (sl)
					memcpy(sense, s, sl);
				c.sense_len = sl;
			} else {
				uint8_t k = fz_u8(w->f);

				rc = salua_sense_build_fixed(
					sense, sizeof(sense),
					(uint8_t)(k & 0x0fu), fz_u8(w->f),
					fz_u8(w->f));
				FUZZ_CHECK(rc == 18);
				if (k & 0x80u) /* the same in descriptor format */
					rc = salua_sense_build_desc(
						sense, sizeof(sense),
						(uint8_t)(k & 0x0fu), sense[12],
						sense[13]);
				FUZZ_CHECK(rc > 0);
				c.sense_len = (size_t)rc;
			}
			c.sense = sense;
		}
		if (p.kind == SALUA_CMD_RTPG && p.din) {
			if (how & 0x40u) {
				wrote = good_rtpg(w, &p, true);
			} else {
				const uint8_t *d = fz_bytes(w->f, fz_u16(w->f),
							    &sl);

				wrote = (uint32_t)(sl < p.din_len ? sl :
								    p.din_len);
				if (wrote)
					memcpy(p.din, d, wrote);
			}
			/* The residual may be a lie, in both directions. */
			c.data_len = (how & 0x80u) ? fz_u32(w->f) : wrote;
			/* What the transport claims arrived may be read
			 * (stale bytes included), up to the allocation. */
			wrote = c.data_len < p.din_len ? c.data_len :
							 p.din_len;
		}
	}
	TRACE("  [%llu] complete tag %u path %u%s xfer %d status 0x%02x "
	      "sense %zu data %u (wrote %u)\n",
	      (unsigned long long)w->now, p.tag, p.path,
	      p.abandoned ? " (abandoned)" : "", (int)c.xfer, c.status,
	      c.sense_len, c.data_len, wrote);
	if (p.din && w->buf_cap > wrote)
		POISON(p.din + wrote, w->buf_cap - wrote);
	/* Counted first: the RTPG after it may run inside this call (sync). */
	answer = p.kind == SALUA_CMD_STPG && c.xfer == SALUA_XFER_OK;
	w->stpg_answers += answer;
	rc = salua_engine_complete(&w->e, p.tag, &c);
	if (p.din)
		UNPOISON(p.din, w->buf_cap);
	FUZZ_CHECK(rc == 0 || rc == -SALUA_ENOENT);
	if (rc != 0)
		w->stpg_answers -= answer; /* stale: the engine ignored it */
	if (p.abandoned || w->shut)
		FUZZ_CHECK(rc == -SALUA_ENOENT);
}

static unsigned pick_pending(struct world *w, uint8_t b)
{
	unsigned i, k;

	for (k = 0; k < NQ; k++) {
		i = (b + k) % NQ;
		if (w->q[i].used)
			return i;
	}
	return NQ;
}

/* LU teardown; a second call must change nothing. */
static void lu_shutdown(struct world *w)
{
	bool pending[NACT];
	unsigned i;

	for (i = 0; i < NACT; i++)
		pending[i] = w->acts[i].busy && !w->acts[i].calls;
	if (!w->shut)
		for (i = 0; i < NQ; i++)
			if (w->q[i].used)
				w->q[i].abandoned = true;
	salua_engine_shutdown(&w->e);
	w->shut = true;
	FUZZ_CHECK(salua_engine_idle(&w->e) && !w->armed);
	for (i = 0; i < NACT; i++)
		if (pending[i])
			FUZZ_CHECK(w->acts[i].calls == 1 &&
				   w->acts[i].result == SALUA_ACTIVATE_REMOVED);
}

static void event(struct world *w)
{
	uint8_t op = fz_u8(w->f), b = fz_u8(w->f);
	unsigned path = b % NP, i;
	bool pending[NACT];
	int rc;

	TRACE("event %u b 0x%02x\n", op % 12u, b);
	switch (op % 12u) {
	case 0: /* path appears */
		if (w->shut) {
			FUZZ_CHECK(salua_engine_add_path(&w->e, path, 1, 1,
							 true) ==
				   -SALUA_ESTATE);
			break;
		}
		if (w->used[path]) {
			FUZZ_CHECK(salua_engine_add_path(&w->e, path, 1, 1,
							 true) ==
				   -SALUA_EBUSY);
			break;
		}
		w->rel_port[path] = (uint16_t)(1u + (b >> 4));
		w->tpg[path] = (uint16_t)(fz_u8(w->f) & 3u);
		w->has_tpg[path] = (b & 0x08u) == 0;
		w->used[path] = true;
		rc = salua_engine_add_path(&w->e, path, w->rel_port[path],
					   w->tpg[path], w->has_tpg[path]);
		FUZZ_CHECK(rc == 0);
		break;
	case 1: /* path goes away; its pending activations end REMOVED */
		for (i = 0; i < NACT; i++)
			pending[i] = w->acts[i].busy && !w->acts[i].calls &&
				     w->acts[i].path == path;
		/* Abandoned before the call: the re-issue happens inside. */
		for (i = 0; i < NQ; i++)
			if (w->used[path] && w->q[i].used &&
			    w->q[i].path == path)
				w->q[i].abandoned = true;
		rc = salua_engine_remove_path(&w->e, path);
		if (w->shut) {
			FUZZ_CHECK(rc == -SALUA_ESTATE);
			break;
		}
		FUZZ_CHECK(rc == (w->used[path] ? 0 : -SALUA_ENOENT));
		if (rc == 0) {
			w->used[path] = false;
			for (i = 0; i < NACT; i++)
				if (pending[i])
					FUZZ_CHECK(w->acts[i].calls == 1 &&
						   w->acts[i].result ==
						     SALUA_ACTIVATE_REMOVED);
		}
		break;
	case 2:
		salua_engine_rescan(&w->e);
		break;
	case 3: /* the timer fires when due */
		if (w->armed) {
			if (w->now < w->timer_at)
				w->now = w->timer_at;
			w->armed = false;
			salua_engine_timer(&w->e);
		}
		break;
	case 4: /* an early, late or spurious fire: a one-shot timer that
		 * fired is no longer armed, so the engine must re-arm if it
		 * still needs one (or hang, which the drain below catches) */
		w->armed = false;
		salua_engine_timer(&w->e);
		break;
	case 5:
		w->now += fz_u16(w->f);
		break;
	case 6:
	case 7: /* a completion */
		i = pick_pending(w, b);
		if (i < NQ)
			complete_one(w, i);
		break;
	case 8: { /* sense on an ordinary command */
		const uint8_t *s;
		size_t sl;
		struct salua_verdict v;

		s = fz_bytes(w->f, fz_u8(w->f) % 32u, &sl);
		v = salua_engine_sense(&w->e, path,
				       (b & 0x80u) ? fz_u8(w->f) :
						     SALUA_STATUS_CHECK_CONDITION,
				       sl ? s : NULL, sl);
		FUZZ_CHECK((unsigned)v.disp <= SALUA_DISP_FAIL);
		if (b & 0x40u) /* host I/O waits for the transition */
			salua_engine_io_waiting(&w->e);
		break;
	}
	case 9: { /* activate */
		struct act *a = NULL;

		for (i = 0; i < NACT; i++)
			if (!w->acts[i].busy || w->acts[i].calls) {
				a = &w->acts[i];
				break;
			}
		if (!a)
			break;
		memset(a, 0, sizeof(*a));
		a->busy = true;
		a->path = (b & 0x80u) ? b % (NP + 2u) : path;
		a->stpg0 = w->stpg_answers;
		salua_engine_activate(&w->e, a->path, &a->a, act_done, a);
		if (w->shut)
			FUZZ_CHECK(a->calls == 1 &&
				   a->result == SALUA_ACTIVATE_REMOVED);
		break;
	}
	case 10:
		if ((b & 0xf0u) == 0xf0u) { /* the LU goes away */
			lu_shutdown(w);
			break;
		}
		w->sync = (b & 1) != 0;
		w->fail_next = (b & 2) != 0;
		break;
	default: { /* completion with a stale or unknown tag */
		struct salua_engine_completion c;

		uint32_t tag = fz_u32(w->f);

		for (i = 0; i < NQ; i++)
			if (w->q[i].used && w->q[i].tag == tag)
				break;
		if (i < NQ) { /* a live tag: an ordinary completion */
			complete_one(w, i);
			break;
		}
		memset(&c, 0, sizeof(c));
		FUZZ_CHECK(salua_engine_complete(&w->e, tag, &c) ==
			   -SALUA_ENOENT);
		break;
	}
	}
}

/* init refuses each invalid argument alone (derived, no input consumed). */
static void init_refusals(struct world *w, const struct salua_engine_config *cfg)
{
	struct salua_engine_ops o;
	struct salua_engine_config c;
	unsigned k;

	for (k = 0; k < 4; k++) {
		o = w->ops;
		if (k == 0)
			o.submit = NULL;
		else if (k == 1)
			o.arm = NULL;
		else if (k == 2)
			o.cancel = NULL;
		else
			o.now = NULL;
		FUZZ_CHECK(salua_engine_init(&w->e, cfg, &o, w, w->slots, NP,
					     w->buf, w->buf_cap) ==
			   -SALUA_EINVAL);
	}
	for (k = 0; k < 5; k++) {
		c = *cfg;
		if (k == 0)
			c.poll_min_ms = 0;
		else if (k == 1)
			c.poll_max_ms = c.poll_min_ms - 1u;
		else if (k == 2)
			c.poll_mode = 2;
		else if (k == 3)
			c.transition_s = 0;
		else
			c.cmd_timeout_ms = 0;
		FUZZ_CHECK(salua_engine_init(&w->e, &c, &w->ops, w, w->slots,
					     NP, w->buf, w->buf_cap) ==
			   -SALUA_EINVAL);
	}
	FUZZ_CHECK(salua_engine_init(&w->e, cfg, &w->ops, w, NULL, NP, w->buf,
				     w->buf_cap) == -SALUA_EINVAL);
	FUZZ_CHECK(salua_engine_init(&w->e, cfg, &w->ops, w, w->slots,
				     SALUA_ENGINE_MAX_PATHS + 1u, w->buf,
				     w->buf_cap) == -SALUA_EINVAL);
	FUZZ_CHECK(salua_engine_init(&w->e, cfg, &w->ops, w, w->slots, NP,
				     NULL, w->buf_cap) == -SALUA_EINVAL);
	FUZZ_CHECK(salua_engine_init(&w->e, cfg, &w->ops, w, w->slots, NP,
				     w->buf, SALUA_ENGINE_MIN_BUF - 1u) ==
		   -SALUA_EINVAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct world w;
	struct salua_engine_config cfg;
	struct fz f;
	uint8_t b;
	unsigned i, steps;

	if (trace < 0)
		trace = getenv("FUZZ_ENGINE_TRACE") != NULL;
	fz_init(&f, data, size);
	memset(&w, 0, sizeof(w));
	cur = &w;
	w.f = &f;
	w.ops.submit = op_submit;
	w.ops.arm = op_arm;
	w.ops.cancel = op_cancel;
	w.ops.now = op_now;
	w.ops.notify = op_notify;
	w.ops.log = op_log;
	w.now = 1000;

	salua_engine_config_default(&cfg);
	b = fz_u8(&f);
	cfg.tpgs = (uint8_t)(b & 3u);
	cfg.flags = (uint8_t)(((b >> 2) & 3u) | SALUA_ENGINE_F_LOG_STATE);
	cfg.poll_mode = (uint8_t)((b >> 4) & 1u);
	/* The slow re-poll after a transition timeout: off, or 100-400 ms. */
	cfg.standby_poll_ms = (b & 0x20u) ? 100u * (1u + ((b >> 6) & 3u)) : 0u;
	cfg.max_retries = (uint8_t)(fz_u8(&f) % 8u);
	b = fz_u8(&f);
	cfg.max_resizes = (uint8_t)(b % 4u);
	/* The array hold: off, or 1-4 s (same byte: the corpus keeps its meaning). */
	cfg.array_hold_ms = (b & 4u) ? 1000u * (1u + (b >> 3) % 4u) : 0u;
	cfg.transition_s = (uint16_t)(1u + fz_u8(&f) % 60u);
	cfg.initial_alloc = 4u + fz_u8(&f);
	w.buf_cap = 8u + (size_t)fz_u8(&f) * 4u;
	w.buf = (uint8_t *)malloc(w.buf_cap);
	FUZZ_CHECK(w.buf != NULL);
	/* exactly NP slots: ASan sees a slot read past the array */
	w.slots = (struct salua_engine_path *)malloc(NP * sizeof(*w.slots));
	FUZZ_CHECK(w.slots != NULL);
	init_refusals(&w, &cfg);
	FUZZ_CHECK(salua_engine_init(&w.e, &cfg, &w.ops, &w, w.slots, NP,
				     w.buf, w.buf_cap) == 0);
	invariants(&w);

	for (steps = 0; fz_left(&f) > 0 && steps < 4096; steps++) {
		event(&w);
		invariants(&w);
	}

	/* The array turns healthy: everything must settle. */
	w.healthy = true;
	w.sync = false;
	for (steps = 0; steps < 10000; steps++) {
		i = pick_pending(&w, 0);
		if (i < NQ) {
			complete_one(&w, i);
		} else if (w.armed) {
			if (w.now < w.timer_at)
				w.now = w.timer_at;
			w.armed = false;
			salua_engine_timer(&w.e);
		} else {
			break;
		}
		invariants(&w);
	}
	FUZZ_CHECK(salua_engine_idle(&w.e) && !w.armed);
	for (i = 0; i < NACT; i++)
		if (w.acts[i].busy)
			FUZZ_CHECK(w.acts[i].calls == 1);
	free(w.buf);
	free(w.slots);
	return 0;
}
