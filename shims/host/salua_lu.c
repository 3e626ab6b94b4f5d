/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_lu.c - the user-space host's logical unit (see salua_lu.h).
 *
 * Re-entrancy: a transport may complete inside submit, the engine calls
 * notify from inside its own entry points, and a completion may lead to a
 * new submit.  So nothing here acts on an I/O directly from a callback:
 * every entry point (submit, transport completion, timer) runs between
 * lu_enter() and lu_leave(), and the outermost lu_leave() drains three
 * queues: I/O ready to (re)send, I/O completed (the caller's done), and a
 * pending activation.  No call into the engine happens from inside an
 * engine callback, and recursion depth stays constant.
 */
#include "salua_lu.h"
#include "salua_selector_atomic.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LU_FAST_REQUEUES 3u
#define LU_RTPG_BUF 8192u

enum { W_NONE = 0, W_READY, W_WAIT, W_TIMER, W_SENT, W_DONE };

struct lu_path {
	char name[SALUA_LU_NAME_MAX];
	struct salua_transport x;
	bool used, failed, disconnected, tur_busy, keep_open;
	uint32_t last_tur;      /* check_all: key<<16|asc<<8|ascq last seen */
	bool known, pref;
	uint8_t state;
	uint16_t rel_port, tpg;
	bool has_tpg;
	struct salua_sel_health health;
	uint64_t act_fail_us;   /* last failed activation through it, 0 never */
	uint32_t inflight;
	uint64_t ios, good, errors, bytes;
	uint64_t done_since_reweight;
	char why[SALUA_LU_WHY_MAX];
};

struct lu_ecmd {
	struct salua_lu *lu;
	unsigned path;
	unsigned kind;
	uint32_t tag;
	uint8_t *din;     /* the engine's buffer */
	uint32_t din_len;
	uint8_t buf[];    /* bounce: the transport writes here */
};

struct lu_list {
	struct salua_lu_io *head, *tail;
	unsigned n;
};

struct salua_lu {
	char name[SALUA_LU_NAME_MAX];
	struct salua_loop *loop;
	struct salua_lu_config cfg;
	unsigned cap, n;
	struct lu_path *p;

	struct salua_engine e;
	struct salua_engine_path *eslots;
	uint8_t ebuf[LU_RTPG_BUF];
	struct salua_engine_ops eops;
	struct salua_timer etimer;

	struct salua_sel sel;
	struct salua_sel_path *spaths;
	struct salua_sel_map maps[2];
	struct salua_sel_map *spare;
	struct salua_sel_slot *slots;
	uint16_t *wheel;
	struct salua_selpub pub;
	struct salua_selpub_reader *rd;
	_Atomic uint32_t *ios;
	_Atomic uint64_t *bytes;
	_Atomic uint32_t *lat;

	struct lu_list ready, wait, done;
	struct salua_lu_io *all; /* every I/O not yet completed */
	unsigned inflight;      /* submitted, not completed */
	unsigned depth, in_submit;
	struct salua_timer done_tm;
	bool queueing;
	bool expired;           /* the no-path bound passed; none usable since */
	uint64_t queue_since;
	uint64_t expired_at;
	struct salua_timer check_tm, bound_tm, reweight_tm;

	uint64_t deadline_us;    /* an I/O's time outside the no-path queue */
	struct salua_activation act;
	bool activating, want_activate;
	uint16_t act_path;
	uint64_t act_next_us;   /* no new activation before */
};

/* ---- small helpers ------------------------------------------------- */

static uint64_t now_us(const struct salua_lu *lu)
{
	return salua_loop_now(lu->loop);
}

static uint64_t now_ms(const struct salua_lu *lu)
{
	return now_us(lu) / 1000u;
}

static void list_push(struct lu_list *l, struct salua_lu_io *io)
{
	io->next_ = NULL;
	if (l->tail)
		l->tail->next_ = io;
	else
		l->head = io;
	l->tail = io;
	l->n++;
}

static struct salua_lu_io *list_pop(struct lu_list *l)
{
	struct salua_lu_io *io = l->head;

	if (!io)
		return NULL;
	l->head = io->next_;
	if (!l->head)
		l->tail = NULL;
	l->n--;
	io->next_ = NULL;
	return io;
}

static void emit(struct salua_lu *lu, unsigned kind, unsigned path,
		 uint32_t a, uint32_t b, uint32_t c, const char *text)
{
	struct salua_lu_event ev;

	if (!lu->cfg.on_event)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.lu = lu;
	ev.t_us = now_us(lu);
	ev.kind = (uint16_t)kind;
	ev.path = (uint16_t)path;
	ev.a = a;
	ev.b = b;
	ev.c = c;
	ev.text = text;
	lu->cfg.on_event(lu->cfg.event_ctx, &ev);
}

static void lu_drain(struct salua_lu *lu);

static void lu_enter(struct salua_lu *lu)
{
	lu->depth++;
}

static void lu_leave(struct salua_lu *lu)
{
	if (lu->depth == 1)
		lu_drain(lu);
	lu->depth--;
}

/* One line: each path's name and state, for no-path errors. */
static void describe_paths(const struct salua_lu *lu, char *buf, size_t cap)
{
	size_t o = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < lu->n && o + 1 < cap; i++) {
		const struct lu_path *p = &lu->p[i];
		int k;

		if (!p->used)
			continue;
		k = snprintf(buf + o, cap - o, "%s%s %s%s%s%s%s%s", o ? ", " : "",
			     p->name,
			     p->known ? salua_state_name(p->state) : "unknown",
			     p->failed ? (p->disconnected ? " (LU not mapped"
							 : " (failed")
				       : "",
			     p->failed && p->why[0] ? ": " : "",
			     p->failed ? p->why : "",
			     p->failed ? ")" : "",
			     p->health.state == SALUA_SEL_MARGINAL
				     ? " (marginal)"
				     : "");
		if (k < 0)
			break;
		o += (size_t)k < cap - o ? (size_t)k : cap - o - 1;
	}
}

/* ---- map publication ------------------------------------------------ */

static const struct salua_sel_map *cur_map(const struct salua_lu *lu)
{
	return atomic_load_explicit(&lu->pub.map, memory_order_acquire);
}

/*
 * The path an activation would make usable, or SALUA_SEL_NO_PATH.  None
 * while a group is transitioning: the array is moving by itself, and the
 * engine's transition timeout says when to stop waiting for it.
 */
static unsigned act_candidate(const struct salua_lu *lu)
{
	unsigned i, best = SALUA_SEL_NO_PATH;

	if (!lu->cfg.auto_activate || !(lu->e.cfg.tpgs & SALUA_TPGS_EXPLICIT))
		return SALUA_SEL_NO_PATH;
	for (i = 0; i < lu->n; i++)
		if (lu->p[i].used && !lu->p[i].failed && lu->p[i].known &&
		    lu->p[i].state == SALUA_STATE_TRANSITIONING)
			return SALUA_SEL_NO_PATH;
	for (i = 0; i < lu->n; i++) {
		const struct lu_path *p = &lu->p[i];

		if (!p->used || p->failed || !p->known ||
		    (p->state != SALUA_STATE_STANDBY &&
		     p->state != SALUA_STATE_UNAVAILABLE))
			continue;
		/* The path whose activation failed longest ago (or never),
		 * then PREF: a group that is stuck is not tried forever. */
		if (best == SALUA_SEL_NO_PATH ||
		    p->act_fail_us < lu->p[best].act_fail_us ||
		    (p->act_fail_us == lu->p[best].act_fail_us && p->pref &&
		     !lu->p[best].pref))
			best = i;
	}
	return best;
}

/*
 * A path may come back: an activation runs or can be tried, or a path
 * whose transport failed is being probed (a LU unmapped from a port is
 * not expected back).
 */
static bool may_return(const struct salua_lu *lu)
{
	unsigned i;

	if (lu->activating || act_candidate(lu) != SALUA_SEL_NO_PATH)
		return true;
	for (i = 0; i < lu->n; i++)
		if (lu->p[i].used && lu->p[i].failed && !lu->p[i].disconnected)
			return true;
	return false;
}

static void finish(struct salua_lu *lu, struct salua_lu_io *io,
		   enum salua_lu_result r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void finish(struct salua_lu *lu, struct salua_lu_io *io,
		   enum salua_lu_result r, const char *fmt, ...)
{
	va_list ap;

	io->result = r;
	io->done_us = now_us(lu);
	io->why[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(io->why, sizeof(io->why), fmt, ap);
		va_end(ap);
	}
	io->where_ = W_DONE;
	list_push(&lu->done, io);
}

/* A GOOD completion at @t: no text, no clock read. */
static void finish_ok(struct salua_lu *lu, struct salua_lu_io *io,
		      uint64_t t)
{
	io->result = SALUA_LU_OK;
	io->done_us = t;
	io->why[0] = '\0';
	io->where_ = W_DONE;
	list_push(&lu->done, io);
}

static void want_activation(struct salua_lu *lu);
static void arm_check(struct salua_lu *lu);

static void rebuild(struct salua_lu *lu)
{
	const struct salua_sel_map *m;
	uint64_t t = now_us(lu);
	int err = 0;

	(void)salua_sel_set_may_return(&lu->sel, may_return(lu));
	salua_selpub_offline(&lu->pub, &lu->rd[0]);
	lu->spare = salua_selpub_update(&lu->pub, &lu->sel, lu->spare,
					t / 1000u, &err);
	salua_selpub_online(&lu->pub, &lu->rd[0]);
	m = cur_map(lu);
	emit(lu, SALUA_LU_EV_MAP, SALUA_SEL_NO_PATH, m->n, m->gen, m->policy,
	     NULL);
	if (m->n) {
		lu->expired = false;
		if (lu->queueing) {
			lu->queueing = false;
			salua_timer_cancel(lu->loop, &lu->bound_tm);
			emit(lu, SALUA_LU_EV_QUEUE_END, SALUA_SEL_NO_PATH,
			     (uint32_t)((t - lu->queue_since) / 1000u), 0, 0,
			     NULL);
		}
		while (lu->wait.head) {
			struct salua_lu_io *io = list_pop(&lu->wait);

			io->queued_us += t - io->wait_start_us_;
			io->where_ = W_READY;
			list_push(&lu->ready, io);
		}
		return;
	}
	if (m->verdict == SALUA_SEL_QUEUE) {
		lu->expired = false;
		if (!lu->queueing) {
			lu->queueing = true;
			lu->queue_since = t;
			emit(lu, SALUA_LU_EV_QUEUE_START, SALUA_SEL_NO_PATH, 0, 0,
			     0, NULL);
			if (lu->cfg.sel.queue_ms)
				salua_timer_arm(lu->loop, &lu->bound_tm,
						t + 1000u * (uint64_t)
							    lu->cfg.sel.queue_ms);
		}
		/* Checker ticks count no_path_retry and retry activation. */
		arm_check(lu);
		want_activation(lu);
		return;
	}
	/* Verdict FAIL: every waiting I/O fails with the reason. */
	if (lu->wait.head) {
		char paths[SALUA_LU_WHY_MAX];
		unsigned cnt = lu->wait.n;
		uint64_t waited = lu->queueing ? t - lu->queue_since : 0;

		describe_paths(lu, paths, sizeof(paths));
		while (lu->wait.head) {
			struct salua_lu_io *io = list_pop(&lu->wait);

			io->queued_us += t - io->wait_start_us_;
			finish(lu, io, SALUA_LU_NOPATH,
			       "no usable path to %s after %llu ms without one (bound: %s%u ms, %u checks): %s",
			       lu->name, (unsigned long long)(waited / 1000u),
			       lu->cfg.sel.nopath == SALUA_SEL_NOPATH_FAIL
				       ? "no queueing, "
				       : "",
			       lu->cfg.sel.queue_ms, lu->cfg.sel.queue_retries,
			       paths);
		}
		emit(lu, SALUA_LU_EV_NOPATH, SALUA_SEL_NO_PATH, cnt, 0, 0, paths);
	}
	if (lu->sel.expired && !lu->expired) {
		lu->expired = true;
		lu->expired_at = t;
	}
	if (lu->queueing) {
		lu->queueing = false;
		salua_timer_cancel(lu->loop, &lu->bound_tm);
	}
	/* Nothing usable and I/O fails: the checker polls every path for
	 * the array's news meanwhile. */
	arm_check(lu);
	want_activation(lu);
}

static void bound_fire(struct salua_timer *t)
{
	struct salua_lu *lu = (struct salua_lu *)t->arg;

	lu_enter(lu);
	rebuild(lu);
	lu_leave(lu);
}

/* ---- activation ----------------------------------------------------- */

static void want_activation(struct salua_lu *lu)
{
	if (!lu->activating && act_candidate(lu) != SALUA_SEL_NO_PATH)
		lu->want_activate = true;
}

static void act_done(void *arg, int result)
{
	struct salua_lu *lu = (struct salua_lu *)arg;

	lu->activating = false;
	if (result != SALUA_ACTIVATE_OK) {
		lu->act_next_us = now_us(lu) + 1000u * (uint64_t)lu->cfg.check_ms;
		if (lu->act_path < lu->n)
			lu->p[lu->act_path].act_fail_us = now_us(lu);
	}
	emit(lu, SALUA_LU_EV_ACTIVATED, lu->act_path, (uint32_t)result, 0, 0,
	     NULL);
	rebuild(lu);
}

/* Called from lu_drain only (never inside an engine callback). */
static void maybe_activate(struct salua_lu *lu)
{
	const struct salua_sel_map *m = cur_map(lu);
	unsigned best;

	lu->want_activate = false;
	if (lu->activating || m->n || now_us(lu) < lu->act_next_us)
		return;
	best = act_candidate(lu);
	if (best == SALUA_SEL_NO_PATH)
		return;
	lu->activating = true;
	lu->act_path = (uint16_t)best;
	emit(lu, SALUA_LU_EV_ACTIVATE, best, 0, 0, 0, NULL);
	(void)salua_sel_set_may_return(&lu->sel, true);
	salua_engine_activate(&lu->e, best, &lu->act, act_done, lu);
}

/* ---- path failure and the checker ----------------------------------- */

static void arm_check(struct salua_lu *lu)
{
	if (!salua_timer_armed(&lu->check_tm))
		salua_timer_arm(lu->loop, &lu->check_tm,
				now_us(lu) + 1000u * (uint64_t)lu->cfg.check_ms);
}

static void path_failed(struct salua_lu *lu, unsigned i, bool disconnected,
			const char *why)
{
	struct lu_path *p = &lu->p[i];

	snprintf(p->why, sizeof(p->why), "%s", why);
	if (p->failed && p->disconnected == disconnected)
		return;
	p->failed = true;
	p->disconnected = disconnected;
	emit(lu, disconnected ? SALUA_LU_EV_DISCONNECTED : SALUA_LU_EV_PATH_DOWN,
	     i, 0, 0, 0, why);
	(void)salua_sel_set_enabled(&lu->sel, i, false);
	arm_check(lu);
	rebuild(lu);
}

static void path_health(struct salua_lu *lu, unsigned i, bool ok)
{
	struct lu_path *p = &lu->p[i];
	uint64_t t = now_ms(lu);

	if (salua_sel_health_io(&lu->cfg.health, &p->health, ok, t) != 1)
		return;
	if (salua_sel_health_demoted(&p->health)) {
		emit(lu, SALUA_LU_EV_MARGINAL, i,
		     (uint32_t)(p->health.at_ms - t), 0, 0, NULL);
		arm_check(lu);
	} else {
		emit(lu, SALUA_LU_EV_HEALTHY, i, 0, 0, 0, NULL);
	}
	if (salua_sel_set_marginal(&lu->sel, i,
				   salua_sel_health_demoted(&p->health)) == 1)
		rebuild(lu);
}

struct lu_tur {
	struct salua_lu *lu;
	unsigned path;
	bool all;       /* a poll of every path, not a failed-path probe */
	unsigned tries; /* UNIT ATTENTION answers retried at once so far */
};

/* UNIT ATTENTIONs a checker TUR retries at once (multipath-tools' tur). */
#define LU_TUR_UA_RETRIES 3u

static void tur_done(void *arg, const struct salua_xport_result *r);

/* Send a checker TEST UNIT READY to path @i.  Return: 0 or -errno. */
static int tur_send(struct salua_lu *lu, unsigned i, bool all, unsigned tries)
{
	static const uint8_t tur[6] = { 0, 0, 0, 0, 0, 0 };
	struct lu_path *p = &lu->p[i];
	struct salua_xport_cmd c;
	struct lu_tur *tc = (struct lu_tur *)malloc(sizeof(*tc));

	if (!tc)
		return -ENOMEM;
	tc->lu = lu;
	tc->path = i;
	tc->all = all;
	tc->tries = tries;
	memset(&c, 0, sizeof(c));
	c.cdb = tur;
	c.cdb_len = 6;
	c.timeout_ms = lu->cfg.engine.cmd_timeout_ms < lu->cfg.io_timeout_ms
			       ? lu->cfg.engine.cmd_timeout_ms
			       : lu->cfg.io_timeout_ms;
	p->tur_busy = true;
	if (salua_xport_submit(&p->x, &c, tur_done, tc) < 0) {
		p->tur_busy = false;
		free(tc);
		return -EIO;
	}
	return 0;
}

static void tur_done(void *arg, const struct salua_xport_result *r)
{
	struct lu_tur *tc = (struct lu_tur *)arg;
	struct salua_lu *lu = tc->lu;
	struct lu_path *p = &lu->p[tc->path];
	struct salua_sense s;
	enum salua_path_check v = SALUA_PC_DOWN;
	char txt[160];

	lu_enter(lu);
	p->tur_busy = false;
	if (r->xfer == SALUA_XFER_OK)
		v = salua_tur_disposition(
			r->status,
			r->sense_len &&
					salua_sense_normalize(r->sense, r->sense_len,
							      &s) == 0
				? &s
				: NULL);
	if ((lu->cfg.check_all || tc->all) && p->used &&
	    r->xfer == SALUA_XFER_OK) {
		uint32_t code = 0;

		if (r->status == SALUA_STATUS_CHECK_CONDITION && r->sense_len &&
		    salua_sense_normalize(r->sense, r->sense_len, &s) == 0)
			code = (uint32_t)s.key << 16 | (uint32_t)s.asc << 8 |
			       s.ascq;
		/* The engine hears news, not the same NOT READY each time. */
		if (code && ((code >> 16) == SALUA_SK_UNIT_ATTENTION ||
			     code != p->last_tur)) {
			struct salua_lu_event e;

			if (lu->cfg.on_event) {
				memset(&e, 0, sizeof(e));
				e.lu = lu;
				e.t_us = now_us(lu);
				e.kind = SALUA_LU_EV_CHECK;
				e.path = (uint16_t)tc->path;
				e.a = code;
				e.b = r->status;
				e.sense = r->sense;
				e.sense_len = r->sense_len;
				lu->cfg.on_event(lu->cfg.event_ctx, &e);
			}
			(void)salua_engine_sense(&lu->e, tc->path, r->status,
						 r->sense, r->sense_len);
		}
		p->last_tur = code;
	}
	/* A healthy path polled (check_all, no usable path) that does not
	 * answer is as failed as one whose I/O failed. */
	if (p->used && !p->failed) {
		if (r->xfer != SALUA_XFER_OK) {
			char ftxt[200];

			salua_xport_text(&p->x, r, txt, sizeof(txt));
			snprintf(ftxt, sizeof(ftxt), "checker: %s", txt);
			path_failed(lu, tc->path, false, ftxt);
		} else if (v == SALUA_PC_DISCONNECTED) {
			path_failed(lu, tc->path, true,
				    "LOGICAL UNIT NOT SUPPORTED (05/25/00): the LU is not mapped to this port");
		}
	} else if (p->used && p->failed) {
		switch (v) {
		case SALUA_PC_UP:
		case SALUA_PC_GHOST:
		case SALUA_PC_TRANSITIONING:
			p->failed = false;
			p->disconnected = false;
			p->why[0] = '\0';
			emit(lu, SALUA_LU_EV_PATH_UP, tc->path, 0, 0, 0, NULL);
			(void)salua_sel_set_enabled(&lu->sel, tc->path, true);
			/* A path is back: queue again if the bound had run
			 * out (multipathd re-enables queueing on reinstate). */
			(void)salua_sel_rearm(&lu->sel);
			salua_engine_rescan(&lu->e);
			rebuild(lu);
			break;
		case SALUA_PC_DISCONNECTED:
			path_failed(lu, tc->path, true,
				    "LOGICAL UNIT NOT SUPPORTED (05/25/00): the LU is not mapped to this port");
			break;
		case SALUA_PC_RETRY:
		case SALUA_PC_DOWN:
			salua_xport_text(&p->x, r, txt, sizeof(txt));
			snprintf(p->why, sizeof(p->why), "checker: %s", txt);
			/* A UNIT ATTENTION says the path answers: ask again
			 * at once rather than a check interval later. */
			if (v == SALUA_PC_RETRY &&
			    r->status == SALUA_STATUS_CHECK_CONDITION &&
			    tc->tries < LU_TUR_UA_RETRIES && !p->tur_busy)
				(void)tur_send(lu, tc->path, tc->all,
					       tc->tries + 1u);
			break;
		}
	}
	free(tc);
	lu_leave(lu);
}

static void check_fire(struct salua_timer *t)
{
	struct salua_lu *lu = (struct salua_lu *)t->arg;
	uint64_t ms = now_ms(lu);
	bool again = false, nopath;
	unsigned i;

	lu_enter(lu);
	nopath = !cur_map(lu)->n;
	for (i = 0; i < lu->n; i++) {
		struct lu_path *p = &lu->p[i];

		if (!p->used)
			continue;
		if (p->health.state == SALUA_SEL_MARGINAL) {
			again = true;
			if (salua_sel_health_tick(&lu->cfg.health, &p->health,
						  ms) == 1) {
				emit(lu, SALUA_LU_EV_PROBATION, i, 0, 0, 0, NULL);
				if (salua_sel_set_marginal(&lu->sel, i, false) == 1)
					rebuild(lu);
			}
		}
		/*
		 * Failed paths are probed; every path is polled with
		 * check_all, and while no path is usable (whether I/O waits
		 * or fails): the news of a group coming back (its UNIT
		 * ATTENTION) should not wait for the engine's next re-poll,
		 * which an array with only implicit ALUA and every group
		 * standby or unavailable may never bring.
		 */
		if (p->failed || lu->cfg.check_all || nopath) {
			again = true;
			if (!p->tur_busy)
				(void)tur_send(lu, i, !p->failed, 0);
		}
	}
	if (lu->sel.waiting && salua_sel_tick(&lu->sel, ms) == 1)
		rebuild(lu);
	if (lu->sel.waiting || lu->cfg.check_all || nopath)
		again = true;
	if (!cur_map(lu)->n)
		want_activation(lu);
	if (again)
		arm_check(lu);
	lu_leave(lu);
}

/* Latency policy: averages become weights; stale ones age. */
static void reweight_fire(struct salua_timer *t)
{
	struct salua_lu *lu = (struct salua_lu *)t->arg;
	uint32_t lo = 0;
	unsigned i;
	bool changed = false;

	lu_enter(lu);
	for (i = 0; i < lu->n; i++) {
		uint32_t v = atomic_load_explicit(&lu->lat[i],
						  memory_order_relaxed);

		if (lu->p[i].used && v && (!lo || v < lo))
			lo = v;
	}
	for (i = 0; i < lu->n; i++) {
		struct lu_path *p = &lu->p[i];
		uint32_t v = atomic_load_explicit(&lu->lat[i],
						  memory_order_relaxed);

		if (!p->used)
			continue;
		if (!p->done_since_reweight && v > lo) {
			v = salua_sel_lat_age(v, lo);
			atomic_store_explicit(&lu->lat[i], v,
					      memory_order_relaxed);
		}
		p->done_since_reweight = 0;
		if (salua_sel_set_latency(&lu->sel, i, v) == 1)
			changed = true;
	}
	if (changed && lu->sel.cfg.policy == SALUA_SEL_LATENCY)
		rebuild(lu);
	salua_timer_arm(lu->loop, &lu->reweight_tm,
			now_us(lu) + 1000u * (uint64_t)lu->cfg.reweight_ms);
	lu_leave(lu);
}

/* ---- the engine's ops --------------------------------------------- */

static void ecmd_done(void *arg, const struct salua_xport_result *r)
{
	struct lu_ecmd *c = (struct lu_ecmd *)arg;
	struct salua_lu *lu = c->lu;
	struct salua_engine_completion ec;
	uint32_t n = r->data_len < c->din_len ? r->data_len : c->din_len;

	lu_enter(lu);
	/* The engine retries through a sibling; the checker probes this. */
	if (r->xfer != SALUA_XFER_OK && c->path < lu->n && lu->p[c->path].used) {
		char txt[160], why[200];

		salua_xport_text(&lu->p[c->path].x, r, txt, sizeof(txt));
		snprintf(why, sizeof(why), "engine command: %s", txt);
		path_failed(lu, c->path, false, why);
	}
	/* A stale command's data would land in a buffer the engine may be
	 * reusing: the engine tells us by refusing the tag, after which
	 * nothing of it is read.  Copy only what arrived. */
	if (c->din && n)
		memcpy(c->din, c->buf, n);
	if (lu->cfg.on_event && c->path < lu->n) {
		struct salua_lu_event e;
		char txt[160];

		memset(&e, 0, sizeof(e));
		e.lu = lu;
		e.t_us = now_us(lu);
		e.kind = SALUA_LU_EV_COMMAND;
		e.path = (uint16_t)c->path;
		e.a = c->kind;
		e.b = (uint32_t)r->xfer << 8 | r->status;
		e.c = c->din ? n : 0;
		e.data = c->din ? c->buf : NULL;
		e.sense = r->sense_len ? r->sense : NULL;
		e.sense_len = r->sense_len;
		e.text = salua_xport_text(&lu->p[c->path].x, r, txt, sizeof(txt));
		lu->cfg.on_event(lu->cfg.event_ctx, &e);
	}
	memset(&ec, 0, sizeof(ec));
	ec.xfer = r->xfer;
	ec.status = r->status;
	ec.sense = r->sense_len ? r->sense : NULL;
	ec.sense_len = r->sense_len;
	ec.data_len = c->din ? n : 0;
	(void)salua_engine_complete(&lu->e, c->tag, &ec);
	free(c);
	lu_leave(lu);
}

static int op_submit(void *ctx, unsigned path,
		     const struct salua_engine_cmd *cmd)
{
	struct salua_lu *lu = (struct salua_lu *)ctx;
	struct lu_path *p;
	struct salua_xport_cmd xc;
	struct lu_ecmd *c;
	uint32_t blen = cmd->din ? cmd->din_len : cmd->dout_len;
	int rc;

	if (path >= lu->n || !lu->p[path].used)
		return -1;
	p = &lu->p[path];
	c = (struct lu_ecmd *)malloc(sizeof(*c) + blen);
	if (!c)
		return -1;
	c->lu = lu;
	c->path = path;
	c->kind = cmd->kind;
	c->tag = cmd->tag;
	c->din = cmd->din;
	c->din_len = cmd->din ? cmd->din_len : 0;
	memset(&xc, 0, sizeof(xc));
	xc.cdb = cmd->cdb;
	xc.cdb_len = cmd->cdb_len;
	xc.timeout_ms = cmd->timeout_ms;
	if (cmd->din) {
		xc.dir = SALUA_XPORT_IN;
		xc.data = c->buf;
		xc.data_len = cmd->din_len;
	} else if (cmd->dout && cmd->dout_len) {
		memcpy(c->buf, cmd->dout, cmd->dout_len);
		xc.dir = SALUA_XPORT_OUT;
		xc.data = c->buf;
		xc.data_len = cmd->dout_len;
	}
	rc = salua_xport_submit(&p->x, &xc, ecmd_done, c);
	if (rc < 0) {
		char why[200];

		free(c);
		/* The engine tries a sibling; the checker probes this one. */
		snprintf(why, sizeof(why), "engine command: %s: submit failed: %s",
			 p->x.ops->name,
			 salua_xport_error(&p->x)[0] ? salua_xport_error(&p->x)
						     : strerror(-rc));
		path_failed(lu, path, false, why);
		return -1;
	}
	return 0;
}

static void etimer_fire(struct salua_timer *t)
{
	struct salua_lu *lu = (struct salua_lu *)t->arg;

	lu_enter(lu);
	salua_engine_timer(&lu->e);
	lu_leave(lu);
}

static void op_arm(void *ctx, uint64_t deadline_ms)
{
	struct salua_lu *lu = (struct salua_lu *)ctx;

	salua_timer_arm(lu->loop, &lu->etimer, deadline_ms * 1000u);
}

static void op_cancel(void *ctx)
{
	struct salua_lu *lu = (struct salua_lu *)ctx;

	salua_timer_cancel(lu->loop, &lu->etimer);
}

static uint64_t op_now(void *ctx)
{
	return now_ms((struct salua_lu *)ctx);
}

static void op_notify(void *ctx, unsigned path, uint8_t state, bool pref,
		      uint8_t supported)
{
	struct salua_lu *lu = (struct salua_lu *)ctx;
	struct lu_path *p;
	uint8_t old;

	(void)supported;
	if (path >= lu->n)
		return;
	p = &lu->p[path];
	old = p->known ? p->state : 0xffu;
	if (old != state || p->pref != pref) {
		p->known = true;
		p->state = state;
		p->pref = pref;
		emit(lu, SALUA_LU_EV_STATE, path, state, old, pref, NULL);
	}
	/* A path starts a transition: it may serve soon, so the no-path
	 * bound starts again rather than failing what comes meanwhile. */
	if (state == SALUA_STATE_TRANSITIONING && old != state)
		(void)salua_sel_rearm(&lu->sel);
	if (salua_sel_set_state(&lu->sel, path, state, pref) == 1)
		rebuild(lu);
}

static void op_log(void *ctx, const struct salua_engine_log *ev)
{
	struct salua_lu *lu = (struct salua_lu *)ctx;
	struct salua_lu_event e;

	if (!lu->cfg.on_event)
		return;
	memset(&e, 0, sizeof(e));
	e.lu = lu;
	e.t_us = now_us(lu);
	e.kind = SALUA_LU_EV_ENGINE;
	e.path = ev->path;
	e.log = ev;
	lu->cfg.on_event(lu->cfg.event_ctx, &e);
}

/* ---- the I/O path --------------------------------------------------- */

static void io_done(void *arg, const struct salua_xport_result *r);

/* Hold @io for @ms, then pick again. */
static void io_later(struct salua_lu *lu, struct salua_lu_io *io,
		     uint32_t ms)
{
	io->where_ = W_TIMER;
	salua_timer_arm(lu->loop, &io->tm_, now_us(lu) + 1000u * (uint64_t)ms);
}

static void io_timer_fire(struct salua_timer *t)
{
	struct salua_lu_io *io = (struct salua_lu_io *)t->arg;
	struct salua_lu *lu = io->lu_;

	lu_enter(lu);
	io->where_ = W_READY;
	list_push(&lu->ready, io);
	lu_leave(lu);
}

/* Again at once, or after the requeue delay once it keeps coming back. */
static void io_again(struct salua_lu *lu, struct salua_lu_io *io)
{
	if (++io->fast_ <= LU_FAST_REQUEUES || !lu->cfg.requeue_delay_ms) {
		io->where_ = W_READY;
		list_push(&lu->ready, io);
		return;
	}
	io_later(lu, io, lu->cfg.requeue_delay_ms);
}

static uint64_t io_deadline_us(const struct salua_lu *lu)
{
	return lu->deadline_us;
}

static void dispatch(struct salua_lu *lu, struct salua_lu_io *io)
{
	const struct salua_sel_map *m = cur_map(lu);
	uint64_t t = now_us(lu);
	struct salua_xport_cmd c;
	struct lu_path *p;
	int pick, rc;

	if (t - io->submit_us - io->queued_us > io_deadline_us(lu)) {
		finish(lu, io, SALUA_LU_RETRIES,
		       "I/O to %s gave up after %u attempts over %llu ms (deadline %llu ms); last path %s",
		       lu->name, io->attempts,
		       (unsigned long long)((t - io->submit_us) / 1000u),
		       (unsigned long long)(io_deadline_us(lu) / 1000u),
		       io->path < lu->n ? lu->p[io->path].name : "none");
		return;
	}
	pick = salua_selpub_pick_map(&lu->pub, m, &lu->rd[0], 0, io->len);
	if (pick == SALUA_SEL_QUEUE) {
		io->where_ = W_WAIT;
		io->wait_start_us_ = t;
		list_push(&lu->wait, io);
		return;
	}
	if (pick < 0) {
		char paths[SALUA_LU_WHY_MAX];

		describe_paths(lu, paths, sizeof(paths));
		if (lu->expired)
			/* As dm after no_path_retry: fail until a path is
			 * usable again. */
			finish(lu, io, SALUA_LU_NOPATH,
			       "no usable path to %s: the no-path bound (%u ms, %u checks) passed %llu ms ago, none usable since: %s",
			       lu->name, lu->cfg.sel.queue_ms,
			       lu->cfg.sel.queue_retries,
			       (unsigned long long)((t - lu->expired_at) /
						    1000u),
			       paths);
		else
			finish(lu, io, SALUA_LU_NOPATH,
			       "no usable path to %s and none expected back%s: %s",
			       lu->name,
			       lu->cfg.sel.nopath == SALUA_SEL_NOPATH_FAIL
				       ? " (no queueing configured)"
				       : "",
			       paths);
		return;
	}
	p = &lu->p[pick];
	/*
	 * The prep decision (salua_prep_decide()) is ALLOW for every state a
	 * map holds (AO, ANO, LBA-dependent): transitioning, standby,
	 * unavailable and offline paths are never picked.  Only holding I/O
	 * for a transitioning path would delay, and such a path is not here.
	 */
	io->path = (uint16_t)pick;
	io->attempts++;
	io->start_us_ = t;
	io->where_ = W_SENT;
	p->inflight++;
	salua_selpub_io_start_1w(&lu->pub, (unsigned)pick, io->len);
	memset(&c, 0, sizeof(c));
	c.cdb = io->cdb;
	c.cdb_len = io->cdb_len;
	c.dir = io->dir;
	c.data = io->data;
	c.data_len = io->len;
	c.timeout_ms = io->timeout_ms ? io->timeout_ms : lu->cfg.io_timeout_ms;
	rc = salua_xport_submit(&p->x, &c, io_done, io);
	if (rc < 0) {
		char why[96];

		p->inflight--;
		salua_selpub_io_end_1w(&lu->pub, (unsigned)pick, io->len);
		if (rc == -EBUSY) {
			io_later(lu, io, 1);
			return;
		}
		snprintf(why, sizeof(why), "%s: submit failed: %s",
			 p->x.ops->name, strerror(-rc));
		path_failed(lu, (unsigned)pick, false, why);
		io->failovers++;
		io_again(lu, io);
	}
}

static uint32_t lat_sample(uint64_t us)
{
	return us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static void io_done(void *arg, const struct salua_xport_result *r)
{
	struct salua_lu_io *io = (struct salua_lu_io *)arg;
	struct salua_lu *lu = io->lu_;
	unsigned pi = io->path;
	struct lu_path *p = &lu->p[pi];
	struct salua_verdict v;
	struct salua_sense s;
	bool have_sense = false;
	uint64_t t;
	char txt[160];

	lu_enter(lu);
	t = now_us(lu);
	p->inflight--;
	salua_selpub_io_end_1w(&lu->pub, pi, io->len);
	(void)salua_selpub_lat_sample(&lu->pub, pi,
				      lat_sample(t - io->start_us_));
	p->done_since_reweight++;
	p->ios++;
	if (r->xfer != SALUA_XFER_OK) {
		p->errors++;
		salua_xport_text(&p->x, r, txt, sizeof(txt));
		path_health(lu, pi, false);
		path_failed(lu, pi, false, txt);
		io->failovers++;
		io_again(lu, io);
		goto out;
	}
	io->status = r->status;
	io->sense_len = (uint8_t)(r->sense_len < SALUA_LU_SENSE_MAX
					  ? r->sense_len
					  : SALUA_LU_SENSE_MAX);
	if (io->sense_len)
		memcpy(io->sense, r->sense, io->sense_len);
	if (r->status == SALUA_STATUS_GOOD ||
	    r->status == SALUA_STATUS_CONDITION_MET) {
		p->good++;
		p->bytes += r->data_len;
		if (lu->cfg.health.errors &&
		    p->health.state != SALUA_SEL_HEALTHY)
			path_health(lu, pi, true);
		io->data_len = r->data_len;
		finish_ok(lu, io, t);
		goto out;
	}
	if (r->sense_len && salua_sense_normalize(r->sense, r->sense_len, &s) == 0) {
		have_sense = true;
		emit(lu, SALUA_LU_EV_SENSE, pi,
		     (uint32_t)s.key << 16 | (uint32_t)s.asc << 8 | s.ascq,
		     r->status, 0, NULL);
	}
	v = salua_engine_sense(&lu->e, pi, r->status,
			       r->sense_len ? r->sense : NULL, r->sense_len);
	switch (v.disp) {
	case SALUA_DISP_FAILOVER:
		if (v.actions & SALUA_ACT_DISCONNECTED)
			path_failed(lu, pi, true,
				    "LOGICAL UNIT NOT SUPPORTED (05/25/00): the LU is not mapped to this port");
		io->failovers++;
		io_again(lu, io);
		goto out;
	case SALUA_DISP_REQUEUE:
		io->requeues++;
		io_again(lu, io);
		goto out;
	case SALUA_DISP_DELAYED_RETRY:
		io->retries++;
		/* Another path may serve it now; else wait out the delay. */
		if (cur_map(lu)->n && !salua_sel_map_usable(cur_map(lu), pi))
			io_again(lu, io);
		else
			io_later(lu, io, lu->cfg.prep.retry_delay_ms);
		goto out;
	case SALUA_DISP_RETRY:
		if (++io->retries > lu->cfg.max_retries)
			break;
		io_again(lu, io);
		goto out;
	case SALUA_DISP_NOT_HANDLED:
		/* The errors any SCSI host retries (Linux scsi_check_sense). */
		if (have_sense && (s.key == SALUA_SK_ABORTED_COMMAND ||
				   s.key == SALUA_SK_UNIT_ATTENTION)) {
			if (s.key == SALUA_SK_ABORTED_COMMAND) {
				p->errors++;
				path_health(lu, pi, false);
			}
			if (++io->retries > lu->cfg.max_retries)
				break;
			io_again(lu, io);
			goto out;
		}
		if (have_sense && s.key == SALUA_SK_NOT_READY &&
		    salua_sense_asc(&s) == 0x0401u) {
			if (++io->retries > lu->cfg.max_retries)
				break;
			io_later(lu, io, lu->cfg.prep.retry_delay_ms);
			goto out;
		}
		break;
	case SALUA_DISP_FAIL:
		break;
	}
	salua_xport_text(&p->x, r, txt, sizeof(txt));
	finish(lu, io, SALUA_LU_STATUS, "%s answered %s%s", p->name, txt,
	       io->retries > lu->cfg.max_retries ? " (retries exhausted)" : "");
out:
	lu_leave(lu);
}

static void all_del(struct salua_lu *lu, struct salua_lu_io *io)
{
	if (io->all_prev_)
		io->all_prev_->all_next_ = io->all_next_;
	else
		lu->all = io->all_next_;
	if (io->all_next_)
		io->all_next_->all_prev_ = io->all_prev_;
	io->all_prev_ = io->all_next_ = NULL;
}

static void lu_drain(struct salua_lu *lu)
{
	for (;;) {
		struct salua_lu_io *io;

		if (lu->want_activate) {
			maybe_activate(lu);
			continue;
		}
		if ((io = list_pop(&lu->ready)) != NULL) {
			dispatch(lu, io);
			continue;
		}
		if (!lu->in_submit && (io = list_pop(&lu->done)) != NULL) {
			all_del(lu, io);
			lu->inflight--;
			io->done(io);
			continue;
		}
		break;
	}
}

int salua_lu_submit(struct salua_lu *lu, struct salua_lu_io *io)
{
	if (!lu || !io || !io->done || !io->cdb || io->cdb_len < 6 ||
	    io->cdb_len > 16 || io->dir > SALUA_XPORT_OUT ||
	    (io->dir != SALUA_XPORT_NONE && !io->data))
		return -EINVAL;
	io->lu_ = lu;
	io->result = SALUA_LU_OK;
	io->status = 0;
	io->sense_len = 0;
	io->data_len = 0;
	io->path = SALUA_SEL_NO_PATH;
	io->attempts = io->retries = io->failovers = io->requeues = 0;
	io->submit_us = now_us(lu);
	io->done_us = 0;
	io->queued_us = 0;
	io->why[0] = '\0';
	io->fast_ = 0;
	salua_timer_init(&io->tm_, io_timer_fire, io);
	io->all_prev_ = NULL;
	io->all_next_ = lu->all;
	if (lu->all)
		lu->all->all_prev_ = io;
	lu->all = io;
	lu_enter(lu);
	lu->in_submit++;
	lu->inflight++;
	io->where_ = W_READY;
	list_push(&lu->ready, io);
	lu_leave(lu);
	lu->in_submit--;
	/* Sent (or failed) already; done() runs from the loop, never here. */
	if (lu->done.head && !lu->in_submit && !lu->depth)
		salua_timer_arm(lu->loop, &lu->done_tm, now_us(lu));
	return 0;
}

static void done_fire(struct salua_timer *t)
{
	struct salua_lu *lu = (struct salua_lu *)t->arg;

	lu_enter(lu);
	lu_leave(lu);
}

/* ---- creation ------------------------------------------------------- */

void salua_lu_config_default(struct salua_lu_config *c)
{
	memset(c, 0, sizeof(*c));
	salua_engine_config_default(&c->engine);
	c->sel.policy = SALUA_SEL_NUMA;
	c->sel.nopath = SALUA_SEL_NOPATH_QUEUE_IF_RETURNING;
	c->sel.queue_ms = 30000u;
	salua_prep_config_default(&c->prep);
	salua_sel_health_config_default(&c->health);
	c->check_ms = 1000u;
	c->reweight_ms = 1000u;
	c->io_timeout_ms = 30000u;
	c->requeue_delay_ms = 10u;
	c->max_retries = 5u;
	c->auto_activate = true;
}

/* The LU's storage (salua_lu_new()'s allocations); NULLs are fine. */
static void lu_release(struct salua_lu *lu)
{
	free(lu->p);
	free(lu->eslots);
	free(lu->spaths);
	free(lu->slots);
	free(lu->wheel);
	free(lu->rd);
	free((void *)(uintptr_t)lu->ios);
	free((void *)(uintptr_t)lu->bytes);
	free((void *)(uintptr_t)lu->lat);
	free(lu);
}

struct salua_lu *salua_lu_new(struct salua_loop *loop, const char *name,
			      const struct salua_lu_config *cfg,
			      unsigned max_paths, unsigned tpgs)
{
	struct salua_lu *lu;
	unsigned nrd, i;

	if (!loop || !max_paths || max_paths > SALUA_ENGINE_MAX_PATHS)
		return NULL;
	lu = (struct salua_lu *)calloc(1, sizeof(*lu));
	if (!lu)
		return NULL;
	if (cfg)
		lu->cfg = *cfg;
	else
		salua_lu_config_default(&lu->cfg);
	if (!lu->cfg.check_ms)
		lu->cfg.check_ms = 1000u;
	if (!lu->cfg.reweight_ms)
		lu->cfg.reweight_ms = 1000u;
	if (!lu->cfg.io_timeout_ms)
		lu->cfg.io_timeout_ms = 30000u;
	lu->deadline_us = 1000u * (lu->cfg.io_deadline_ms
					   ? (uint64_t)lu->cfg.io_deadline_ms
					   : (uint64_t)(lu->cfg.max_retries + 1u) *
						     lu->cfg.io_timeout_ms);
	snprintf(lu->name, sizeof(lu->name), "%s", name && *name ? name : "LU");
	lu->loop = loop;
	lu->cap = max_paths;
	nrd = 1u + lu->cfg.extra_readers;
	lu->p = (struct lu_path *)calloc(max_paths, sizeof(*lu->p));
	lu->eslots = (struct salua_engine_path *)calloc(max_paths,
							sizeof(*lu->eslots));
	lu->spaths = (struct salua_sel_path *)calloc(max_paths,
						     sizeof(*lu->spaths));
	lu->slots = (struct salua_sel_slot *)calloc(2u * max_paths,
						    sizeof(*lu->slots));
	lu->wheel = (uint16_t *)calloc(2u * max_paths * SALUA_SEL_LAT_WMAX,
				       sizeof(*lu->wheel));
	lu->rd = (struct salua_selpub_reader *)aligned_alloc(
		SALUA_SELPUB_CACHELINE,
		((nrd * sizeof(*lu->rd) + SALUA_SELPUB_CACHELINE - 1u) /
		 SALUA_SELPUB_CACHELINE) * SALUA_SELPUB_CACHELINE);
	lu->ios = (_Atomic uint32_t *)calloc(max_paths, sizeof(*lu->ios));
	lu->bytes = (_Atomic uint64_t *)calloc(max_paths, sizeof(*lu->bytes));
	lu->lat = (_Atomic uint32_t *)calloc(max_paths, sizeof(*lu->lat));
	if (!lu->p || !lu->eslots || !lu->spaths || !lu->slots || !lu->wheel ||
	    !lu->rd || !lu->ios || !lu->bytes || !lu->lat)
		goto fail;
	lu->cfg.engine.tpgs = (uint8_t)tpgs;
	lu->eops.submit = op_submit;
	lu->eops.arm = op_arm;
	lu->eops.cancel = op_cancel;
	lu->eops.now = op_now;
	lu->eops.notify = op_notify;
	lu->eops.log = op_log;
	salua_timer_init(&lu->etimer, etimer_fire, lu);
	salua_timer_init(&lu->check_tm, check_fire, lu);
	salua_timer_init(&lu->bound_tm, bound_fire, lu);
	salua_timer_init(&lu->reweight_tm, reweight_fire, lu);
	salua_timer_init(&lu->done_tm, done_fire, lu);
	if (salua_engine_init(&lu->e, &lu->cfg.engine, &lu->eops, lu,
			      lu->eslots, max_paths, lu->ebuf,
			      sizeof(lu->ebuf)) < 0)
		goto fail;
	/* Slots exist for every path; unused ones stay disabled. */
	if (salua_sel_init(&lu->sel, &lu->cfg.sel, lu->spaths, max_paths) < 0)
		goto fail;
	for (i = 0; i < max_paths; i++)
		(void)salua_sel_set_enabled(&lu->sel, i, false);
	for (i = 0; i < 2; i++) {
		if (salua_sel_map_init(&lu->maps[i], lu->slots + i * max_paths,
				       max_paths, NULL, 0) < 0 ||
		    salua_sel_map_set_wheel(&lu->maps[i],
					    lu->wheel + i * max_paths *
								SALUA_SEL_LAT_WMAX,
					    max_paths * SALUA_SEL_LAT_WMAX) < 0)
			goto fail;
	}
	memset(lu->rd, 0, nrd * sizeof(*lu->rd));
	salua_selpub_init(&lu->pub, lu->rd, nrd, lu->ios, lu->bytes, max_paths);
	salua_selpub_set_lat(&lu->pub, lu->lat);
	salua_selpub_online(&lu->pub, &lu->rd[0]);
	lu->spare = &lu->maps[0];
	rebuild(lu);
	lu->spare = &lu->maps[1];
	salua_timer_arm(loop, &lu->reweight_tm,
			now_us(lu) + 1000u * (uint64_t)lu->cfg.reweight_ms);
	/* Checking every path: the first round right away. */
	if (lu->cfg.check_all)
		salua_timer_arm(loop, &lu->check_tm, now_us(lu));
	return lu;
fail:
	lu_release(lu);
	return NULL;
}

int salua_lu_add_path(struct salua_lu *lu,
		      const struct salua_lu_path_desc *d)
{
	struct lu_path *p;
	unsigned i;
	int rc;

	if (!lu || !d || !d->xport.ops || !d->xport.ops->submit)
		return -EINVAL;
	if (lu->n >= lu->cap)
		return -ENOSPC;
	i = lu->n;
	p = &lu->p[i];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", d->name ? d->name : "?");
	p->x = d->xport;
	p->rel_port = d->rel_port;
	p->tpg = d->tpg;
	p->has_tpg = d->has_tpg;
	p->keep_open = d->keep_open;
	if (salua_loop_add_transport(lu->loop, &p->x) < 0)
		return -ENOMEM;
	p->used = true;
	lu->n++;
	lu_enter(lu);
	(void)salua_sel_set_node(&lu->sel, i, d->node);
	(void)salua_sel_set_enabled(&lu->sel, i, true);
	/* No ALUA (TPGS 0): every path serves until an RTPG says more. */
	if (!lu->e.cfg.tpgs) {
		p->known = true;
		p->state = SALUA_STATE_AO;
		(void)salua_sel_set_state(&lu->sel, i, SALUA_STATE_AO, false);
	}
	rc = salua_engine_add_path(&lu->e, i, d->rel_port, d->tpg, d->has_tpg);
	rebuild(lu);
	lu_leave(lu);
	return rc < 0 ? -EINVAL : (int)i;
}

int salua_lu_remove_path(struct salua_lu *lu, unsigned idx)
{
	struct lu_path *p;

	if (!lu || idx >= lu->n || !lu->p[idx].used)
		return -EINVAL;
	p = &lu->p[idx];
	lu_enter(lu);
	p->used = false;
	(void)salua_sel_set_enabled(&lu->sel, idx, false);
	(void)salua_engine_remove_path(&lu->e, idx);
	rebuild(lu);
	if (p->x.ops->close && !p->keep_open)
		p->x.ops->close(p->x.ctx);
	salua_loop_remove_transport(lu->loop, p->x.ctx);
	lu_leave(lu);
	return 0;
}

void salua_lu_free(struct salua_lu *lu)
{
	struct salua_lu_io *io;
	unsigned i;

	if (!lu)
		return;
	lu_enter(lu);
	for (i = 0; i < lu->n; i++) {
		struct lu_path *p = &lu->p[i];

		if (p->x.ops && p->x.ops->close && !p->keep_open)
			p->x.ops->close(p->x.ctx);
		if (p->x.ops)
			salua_loop_remove_transport(lu->loop, p->x.ctx);
		p->used = false;
	}
	salua_engine_shutdown(&lu->e);
	/* What was sent completed in close(); whatever is held (ready,
	 * waiting for a path, waiting for a delay) completes now. */
	while ((io = list_pop(&lu->wait)) != NULL)
		finish(lu, io, SALUA_LU_SHUTDOWN, "LU %s freed", lu->name);
	while ((io = list_pop(&lu->ready)) != NULL)
		finish(lu, io, SALUA_LU_SHUTDOWN, "LU %s freed", lu->name);
	for (io = lu->all; io; io = io->all_next_) {
		if (io->where_ == W_TIMER) {
			salua_timer_cancel(lu->loop, &io->tm_);
			finish(lu, io, SALUA_LU_SHUTDOWN, "LU %s freed",
			       lu->name);
		}
	}
	lu->want_activate = false;
	while ((io = list_pop(&lu->done)) != NULL) {
		all_del(lu, io);
		lu->inflight--;
		io->done(io);
	}
	lu->depth--;
	salua_timer_cancel(lu->loop, &lu->done_tm);
	salua_timer_cancel(lu->loop, &lu->etimer);
	salua_timer_cancel(lu->loop, &lu->check_tm);
	salua_timer_cancel(lu->loop, &lu->bound_tm);
	salua_timer_cancel(lu->loop, &lu->reweight_tm);
	salua_selpub_offline(&lu->pub, &lu->rd[0]);
	lu_release(lu);
}

void salua_lu_rescan(struct salua_lu *lu)
{
	lu_enter(lu);
	salua_engine_rescan(&lu->e);
	lu_leave(lu);
}

int salua_lu_set_policy(struct salua_lu *lu, unsigned policy)
{
	if (!lu || policy >= SALUA_SEL_NPOLICIES)
		return -EINVAL;
	lu_enter(lu);
	lu->cfg.sel.policy = (uint8_t)policy;
	if (salua_sel_set_policy(&lu->sel, policy) == 1)
		rebuild(lu);
	lu_leave(lu);
	return 0;
}

unsigned salua_lu_npaths(const struct salua_lu *lu)
{
	return lu->n;
}

int salua_lu_path_info(const struct salua_lu *lu, unsigned idx,
		       struct salua_lu_path_info *o)
{
	const struct lu_path *p;

	if (!lu || idx >= lu->n || !o)
		return -EINVAL;
	p = &lu->p[idx];
	memset(o, 0, sizeof(*o));
	o->name = p->name;
	o->state = p->state;
	o->known = p->known;
	o->pref = p->pref;
	o->failed = p->failed;
	o->disconnected = p->disconnected;
	o->health = p->health.state;
	o->inflight = p->inflight;
	o->lat_us = atomic_load_explicit(&lu->lat[idx], memory_order_relaxed);
	o->ios = p->ios;
	o->good = p->good;
	o->errors = p->errors;
	o->bytes = p->bytes;
	o->demotions = p->health.demotions;
	o->why = p->why;
	return 0;
}

const char *salua_lu_name(const struct salua_lu *lu)
{
	return lu->name;
}

struct salua_loop *salua_lu_loop(const struct salua_lu *lu)
{
	return lu->loop;
}

unsigned salua_lu_inflight(const struct salua_lu *lu)
{
	return lu->inflight;
}

unsigned salua_lu_waiting(const struct salua_lu *lu)
{
	return lu->wait.n;
}

const struct salua_engine *salua_lu_engine(const struct salua_lu *lu)
{
	return &lu->e;
}

bool salua_lu_engine_idle(const struct salua_lu *lu)
{
	return salua_engine_idle(&lu->e);
}

const struct salua_sel_map *salua_lu_map(const struct salua_lu *lu)
{
	return cur_map(lu);
}

struct salua_selpub *salua_lu_pub(struct salua_lu *lu)
{
	return &lu->pub;
}

const char *salua_lu_event_name(unsigned kind)
{
	switch (kind) {
	case SALUA_LU_EV_STATE: return "state";
	case SALUA_LU_EV_ENGINE: return "engine";
	case SALUA_LU_EV_SENSE: return "sense";
	case SALUA_LU_EV_PATH_DOWN: return "path-down";
	case SALUA_LU_EV_PATH_UP: return "path-up";
	case SALUA_LU_EV_DISCONNECTED: return "disconnected";
	case SALUA_LU_EV_MARGINAL: return "marginal";
	case SALUA_LU_EV_PROBATION: return "probation";
	case SALUA_LU_EV_HEALTHY: return "healthy";
	case SALUA_LU_EV_QUEUE_START: return "queue-start";
	case SALUA_LU_EV_QUEUE_END: return "queue-end";
	case SALUA_LU_EV_NOPATH: return "no-path";
	case SALUA_LU_EV_ACTIVATE: return "activate";
	case SALUA_LU_EV_ACTIVATED: return "activated";
	case SALUA_LU_EV_MAP: return "map";
	case SALUA_LU_EV_COMMAND: return "command";
	case SALUA_LU_EV_CHECK: return "check";
	default: return "?";
	}
}

const char *salua_lu_result_name(enum salua_lu_result r)
{
	switch (r) {
	case SALUA_LU_OK: return "ok";
	case SALUA_LU_STATUS: return "status";
	case SALUA_LU_NOPATH: return "no-path";
	case SALUA_LU_RETRIES: return "retries";
	case SALUA_LU_INVALID: return "invalid";
	case SALUA_LU_SHUTDOWN: return "shutdown";
	}
	return "?";
}

static const char *act_name(uint32_t r)
{
	switch (r) {
	case SALUA_ACTIVATE_OK: return "ok";
	case SALUA_ACTIVATE_IO: return "I/O error";
	case SALUA_ACTIVATE_TIMEOUT: return "transition timeout";
	case SALUA_ACTIVATE_REMOVED: return "path removed";
	case SALUA_ACTIVATE_NOTSUP: return "not supported";
	case SALUA_ACTIVATE_OFFLINE: return "offline";
	case SALUA_ACTIVATE_FAILED: return "still not active";
	case SALUA_ACTIVATE_DEFERRED: return "deferred (the array just moved)";
	default: return "?";
	}
}

const char *salua_lu_event_format(const struct salua_lu_event *ev, char *buf,
				  size_t cap)
{
	const char *pn = ev->lu && ev->path < ev->lu->n ? ev->lu->p[ev->path].name
							: "";
	char line[200];

	if (!cap)
		return buf;
	switch (ev->kind) {
	case SALUA_LU_EV_STATE:
		snprintf(buf, cap, "%s: %s -> %s%s", pn,
			 ev->b == 0xffu ? "(unknown)"
					: salua_state_name((uint8_t)ev->b),
			 salua_state_name((uint8_t)ev->a), ev->c ? " (PREF)" : "");
		break;
	case SALUA_LU_EV_ENGINE:
		salua_engine_log_format(ev->log, line, sizeof(line));
		snprintf(buf, cap, "engine: %s%s%s", line, pn[0] ? " via " : "",
			 pn);
		break;
	case SALUA_LU_EV_SENSE:
		snprintf(buf, cap, "%s: sense %s %02x/%02x %s", pn,
			 salua_sense_key_name(ev->a >> 16),
			 (ev->a >> 8) & 0xffu, ev->a & 0xffu,
			 salua_asc_name((uint8_t)(ev->a >> 8), (uint8_t)ev->a));
		break;
	case SALUA_LU_EV_PATH_DOWN:
	case SALUA_LU_EV_DISCONNECTED:
		snprintf(buf, cap, "%s: %s: %s", pn,
			 ev->kind == SALUA_LU_EV_PATH_DOWN ? "path failed"
							   : "disconnected",
			 ev->text ? ev->text : "");
		break;
	case SALUA_LU_EV_PATH_UP:
		snprintf(buf, cap, "%s: path reinstated", pn);
		break;
	case SALUA_LU_EV_MARGINAL:
		snprintf(buf, cap, "%s: marginal, demoted for %u ms", pn, ev->a);
		break;
	case SALUA_LU_EV_PROBATION:
		snprintf(buf, cap, "%s: probation", pn);
		break;
	case SALUA_LU_EV_HEALTHY:
		snprintf(buf, cap, "%s: healthy again", pn);
		break;
	case SALUA_LU_EV_QUEUE_START:
		snprintf(buf, cap, "no usable path: I/O queues");
		break;
	case SALUA_LU_EV_QUEUE_END:
		snprintf(buf, cap, "path usable again after %u ms", ev->a);
		break;
	case SALUA_LU_EV_NOPATH:
		snprintf(buf, cap, "no-path bound passed: %u I/O failed (%s)",
			 ev->a, ev->text ? ev->text : "");
		break;
	case SALUA_LU_EV_ACTIVATE:
		snprintf(buf, cap, "%s: activating (STPG)", pn);
		break;
	case SALUA_LU_EV_ACTIVATED:
		snprintf(buf, cap, "%s: activation %s", pn, act_name(ev->a));
		break;
	case SALUA_LU_EV_MAP:
		snprintf(buf, cap, "map %u: %u usable path%s (%s)", ev->b, ev->a,
			 ev->a == 1 ? "" : "s", salua_sel_policy_name(ev->c));
		break;
	case SALUA_LU_EV_COMMAND:
		snprintf(buf, cap, "%s: %s %s", pn,
			 ev->a == SALUA_CMD_RTPG ? "RTPG"
			 : ev->a == SALUA_CMD_STPG ? "STPG"
						   : "TUR",
			 ev->text ? ev->text : "");
		break;
	case SALUA_LU_EV_CHECK:
		snprintf(buf, cap, "%s: TUR: %s %02x/%02x %s", pn,
			 salua_sense_key_name(ev->a >> 16),
			 (ev->a >> 8) & 0xffu, ev->a & 0xffu,
			 salua_asc_name((uint8_t)(ev->a >> 8), (uint8_t)ev->a));
		break;
	default:
		snprintf(buf, cap, "event %u", ev->kind);
		break;
	}
	return buf;
}
