/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Engine test harness: a fake clock, an ops table for struct salua_engine
 * that routes submit() either to a scripted fake array (this file) or to
 * the simulated array (shims/target/sim, when EH_WITH_SIM is defined), with the
 * completion delivered inside submit() (synchronous, as SG_IO) or queued
 * for now + latency (asynchronous, as the kernel or libiscsi).  A dropped
 * command completes with SALUA_XFER_TIMEOUT at now + command timeout.
 *
 * It also records what the engine did (every submit, every notify, every
 * activation completion) and checks two invariants continuously: at most
 * one RTPG in flight per LU, no timer armed while the engine is idle, no
 * cancel of a timer that is not armed while the engine works, and every
 * log event well formed (eh_ev_ok()).  The path slots and the RTPG buffer
 * each end right before a PROT_NONE page, so an engine reading or writing
 * one slot or byte past them faults (the test arrays have no spare slots).
 *
 * The engine runs with SALUA_ENGINE_F_LOG_STATE: every SALUA_EV_STATE must
 * start where the previous one ended, and the engine's state must be the
 * last one logged whenever the harness looks (so no state change escapes
 * salua__next()).  These events are kept out of the test's log record;
 * with $SALUA_FSM_TRACE set, every transition seen (FROM CAUSE TO) is
 * appended to that file at exit (tests/fsm/engine_fsm.py checks them
 * against docs/engine.md's transition table).
 */
#ifndef SALUA_ENGINE_HARNESS_H
#define SALUA_ENGINE_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "salua/salua.h"
#if defined(EH_WITH_SIM)
#include "salua_sim.h"
#endif

#define EH_FN static __attribute__((unused))
#define EH_MAX_PATHS 8
#define EH_BUF 4096
#define EH_QUEUE 16
#define EH_LOG 512
#define EH_ACTS 64
#define EH_SCRIPT 32
#define EH_GROUPS 8
#define EH_EVLOG 256

/* A canned answer from the fake array. */
struct eh_resp {
	enum salua_xfer xfer;
	bool drop;   /* never completes: timeout */
	uint8_t status;
	uint8_t sense[32];
	uint8_t sense_len;
	uint32_t latency_ms;
};

struct eh_pending {
	bool used;
	bool aborted; /* path removed meanwhile: completes with transport error */
	uint64_t at;
	uint32_t tag;
	unsigned path;
	enum salua_cmd_kind kind;
	struct salua_engine_completion c;
	uint8_t sense[32];
	uint8_t data[EH_BUF];
	uint32_t data_len;
	uint8_t *din;
	uint8_t cdb1;
};

struct eh_sub {
	uint64_t at;
	unsigned path;
	enum salua_cmd_kind kind;
	uint8_t cdb[12];
	uint8_t dout[16];
	uint32_t dout_len, din_len, tag;
	unsigned fallbacks; /* EXT_FALLBACK events logged before it */
};

/* Fake array: groups with states, ports 1:1 with paths (port p in grp[p]). */
struct eh_fake {
	unsigned ngroups;
	uint16_t id[EH_GROUPS];
	uint8_t state[EH_GROUPS];
	bool pref[EH_GROUPS];
	uint8_t sup;
	uint8_t itt;          /* implicit transition time (ext header byte 5) */
	bool ext_refuse;      /* ILLEGAL REQUEST on extended header */
	bool ext_ignore;      /* answer classic even when ext is asked */
	unsigned pad_groups;  /* phantom groups making the data grow */
	uint8_t port_group[EH_MAX_PATHS];
	/* scripted answers, consumed first, per kind (-1 = any) */
	struct { int kind; int path; struct eh_resp r; } script[EH_SCRIPT];
	unsigned nscript;
	uint32_t latency_ms;
	unsigned stpg_seen;
	uint16_t stpg_last_id;
	uint8_t stpg_last_state;
	unsigned stpg_last_n;
};

struct eh;

struct eh_act {
	struct salua_activation a;
	unsigned calls;
	int result;
	uint64_t at;     /* when it was requested */
	unsigned path;
	struct eh *h;
};

struct eh {
	struct salua_engine e;
	struct salua_engine_path *paths; /* npaths, then a guard page */
	unsigned npaths;
	struct salua_engine_ops ops;
	uint8_t *buf;                    /* buf_cap, then a guard page */
	size_t buf_cap;
	uint64_t now;
	uint64_t timer_at;
	bool timer_armed;
	unsigned cancels;
	bool async;
	bool verbose;
	struct eh_pending q[EH_QUEUE];
	struct eh_sub log[EH_LOG];
	unsigned nlog;          /* total submits (log wraps) */
	unsigned inflight_rtpg; /* not counting aborted */
	unsigned max_inflight_rtpg;
	unsigned violations;    /* invariant breaches seen */
	bool present[EH_MAX_PATHS];
	unsigned port[EH_MAX_PATHS];
	/* notify record */
	unsigned notifies;
	uint8_t st[EH_MAX_PATHS];
	bool pref[EH_MAX_PATHS];
	uint8_t sup[EH_MAX_PATHS];
	bool known[EH_MAX_PATHS];
	uint64_t last_notify_at;
	struct eh_act acts[EH_ACTS];
	unsigned nacts;
	struct eh_fake fake;
#if defined(EH_WITH_SIM)
	struct salua_sim *sim;
	unsigned lun;
#endif
	char lastlog[128];
	unsigned logs;
	unsigned ev_count[SALUA_EV_STATE + 1]; /* events logged, per code */
	unsigned fsm_state;  /* the last SALUA_EV_STATE's "to" */
	unsigned fsm_events; /* SALUA_EV_STATE events seen */
	uint32_t last_tag;   /* of the last command submitted */
	/* optional: called when an activation completes */
	void (*act_hook)(struct eh *h, struct eh_act *a);
	/* every log event (ring of EH_EVLOG), with the time it was logged */
	struct salua_engine_log ev[EH_EVLOG];
	uint64_t ev_at[EH_EVLOG];
	/* sequence numbers for ordering checks (property test) */
	unsigned long seq;
	unsigned long last_rtpg_seq;
	/* optional hooks around every delivered completion */
	void (*pre)(struct eh *h, const struct eh_pending *p);
	void (*post)(struct eh *h, const struct eh_pending *p, int rc);
};

/* Transitions seen by this process, for $SALUA_FSM_TRACE. */
static unsigned long eh_fsm_seen[SALUA_ES_COUNT][SALUA_EC_COUNT][SALUA_ES_COUNT];
static int eh_fsm_registered;

static void eh_fsm_dump(void)
{
	const char *fn = getenv("SALUA_FSM_TRACE");
	unsigned a, c, b;
	FILE *f;

	if (!fn || !*fn || !(f = fopen(fn, "a")))
		return;
	for (a = 0; a < SALUA_ES_COUNT; a++)
		for (c = 0; c < SALUA_EC_COUNT; c++)
			for (b = 0; b < SALUA_ES_COUNT; b++)
				if (eh_fsm_seen[a][c][b])
					fprintf(f, "%s %s %s %lu\n",
						salua_engine_state_name(a),
						salua_engine_cause_name(c),
						salua_engine_state_name(b),
						eh_fsm_seen[a][c][b]);
	fclose(f);
}

/* A SALUA_EV_STATE: it starts where the last one ended. */
EH_FN void eh_fsm_event(struct eh *h, const struct salua_engine_log *ev)
{
	if (ev->path != SALUA_ENGINE_NO_PATH || ev->a >= SALUA_ES_COUNT ||
	    ev->b >= SALUA_ES_COUNT || ev->c >= SALUA_EC_COUNT ||
	    ev->a != h->fsm_state) {
		h->violations++;
		return;
	}
	h->fsm_state = ev->b;
	h->fsm_events++;
	eh_fsm_seen[ev->a][ev->c][ev->b]++;
	if (!eh_fsm_registered) {
		eh_fsm_registered = 1;
		atexit(eh_fsm_dump);
	}
}

/* The engine is in the state its log says (when it logs states). */
EH_FN void eh_fsm_check(struct eh *h)
{
	if ((h->e.cfg.flags & SALUA_ENGINE_F_LOG_STATE) &&
	    salua_engine_state(&h->e) != h->fsm_state)
		h->violations++;
}

/* Waiting for the timer to start a command. */
EH_FN bool eh_waiting(struct eh *h)
{
	enum salua_engine_state st = salua_engine_state(&h->e);

	return st == SALUA_ES_WAIT_RTPG || st == SALUA_ES_WAIT_STPG ||
	       st == SALUA_ES_WAIT_TUR;
}

EH_FN uint64_t eh_now_op(void *ctx)
{
	return ((struct eh *)ctx)->now;
}

EH_FN void eh_arm_op(void *ctx, uint64_t at)
{
	struct eh *h = (struct eh *)ctx;

	h->timer_at = at;
	h->timer_armed = true;
}

EH_FN void eh_cancel_op(void *ctx)
{
	struct eh *h = (struct eh *)ctx;

	/* Disarming what is not armed, with work going on: a stale deadline
	 * (shutdown, and an engine going idle, may cancel unconditionally). */
	if (!h->timer_armed && !salua_engine_idle(&h->e))
		h->violations++;
	h->cancels++;
	h->timer_armed = false;
}

EH_FN void eh_notify_op(void *ctx, unsigned path, uint8_t state, bool pref,
			uint8_t supported)
{
	struct eh *h = (struct eh *)ctx;

	if (path >= EH_MAX_PATHS) {
		h->violations++;
		return;
	}
	h->notifies++;
	h->st[path] = state;
	h->pref[path] = pref;
	h->sup[path] = supported;
	h->known[path] = true;
	h->last_notify_at = h->now;
	if (h->verbose)
		printf("  [%6llu] notify path %u state %s%s\n",
		       (unsigned long long)h->now, path, salua_state_abbrev(state),
		       pref ? " pref" : "");
}

/*
 * Is @ev well formed?  Its path is a slot, or NO_PATH for the LU-wide
 * events; the arguments the event does not document are 0 (engine.h,
 * enum salua_engine_event).
 */
EH_FN bool eh_ev_ok(const struct salua_engine_log *ev)
{
	bool lu = ev->code == SALUA_EV_TRANSITION_START ||
		  ev->code == SALUA_EV_TRANSITION_END ||
		  ev->code == SALUA_EV_TRANSITION_TIMEOUT ||
		  ev->code == SALUA_EV_STALE;

	if (ev->code < SALUA_EV_SUBMIT || ev->code > SALUA_EV_IDENTITY)
		return false;
	if (lu ? ev->path != SALUA_ENGINE_NO_PATH : ev->path >= EH_MAX_PATHS)
		return false;
	switch (ev->code) {
	case SALUA_EV_SUBMIT:
		return ev->a <= SALUA_CMD_TUR &&
		       (ev->a == SALUA_CMD_RTPG ? ev->c >= SALUA_ENGINE_MIN_BUF
						: ev->c == 0);
	case SALUA_EV_GROUP:
		return (ev->b & ~0x8fu) == 0 && ev->c <= 0xffu;
	case SALUA_EV_EXT_FALLBACK:
		return ev->a <= 1 && ev->b == 0 && ev->c == 0;
	case SALUA_EV_RESIZE:
		return ev->a >= ev->b && ev->c == 0;
	case SALUA_EV_TRUNCATED:
		return ev->a > ev->b && ev->c == 0;
	case SALUA_EV_SIBLING:
		return ev->a == ev->path && ev->a != ev->b && ev->c == 0;
	case SALUA_EV_CMD_ERROR:
		return ev->a <= SALUA_CMD_TUR &&
		       ((ev->b >> 8) ? (ev->b & 0xffu) == 0 && ev->c == 0
				     : ev->b != SALUA_STATUS_GOOD);
	case SALUA_EV_ACTIVATED:
		return ev->a <= SALUA_ACTIVATE_DEFERRED && ev->b == 0 &&
		       ev->c == 0;
	case SALUA_EV_IDENTITY:
		return ev->a != 0 && ev->b == 0 && ev->c == 0;
	default:
		return ev->b == 0 && ev->c == 0;
	}
}

EH_FN void eh_log_op(void *ctx, const struct salua_engine_log *ev)
{
	struct eh *h = (struct eh *)ctx;

	if (ev->code == SALUA_EV_STATE) {
		eh_fsm_event(h, ev);
		return;
	}
	if (!eh_ev_ok(ev))
		h->violations++;
	else
		h->ev_count[ev->code]++;
	salua_engine_log_format(ev, h->lastlog, sizeof(h->lastlog));
	h->ev[h->logs % EH_EVLOG] = *ev;
	h->ev_at[h->logs % EH_EVLOG] = h->now;
	h->logs++;
	if (h->verbose)
		printf("  [%6llu] %s\n", (unsigned long long)h->now, h->lastlog);
}

/* ---- the fake array ------------------------------------------------- */

EH_FN void eh_fake_default(struct eh_fake *f)
{
	unsigned i;

	memset(f, 0, sizeof(*f));
	f->ngroups = 2;
	f->id[0] = 0x0100;
	f->id[1] = 0x0200;
	f->state[0] = SALUA_STATE_AO;
	f->state[1] = SALUA_STATE_STANDBY;
	f->pref[0] = true;
	f->sup = 0xcf;
	for (i = 0; i < EH_MAX_PATHS; i++)
		f->port_group[i] = (uint8_t)(i & 1u);
}

EH_FN void eh_script(struct eh *h, int kind, int path, const struct eh_resp *r)
{
	if (h->fake.nscript < EH_SCRIPT) {
		h->fake.script[h->fake.nscript].kind = kind;
		h->fake.script[h->fake.nscript].path = path;
		h->fake.script[h->fake.nscript].r = *r;
		h->fake.nscript++;
	}
}

EH_FN struct eh_resp eh_check(uint8_t key, uint16_t asc)
{
	struct eh_resp r;

	memset(&r, 0, sizeof(r));
	r.status = SALUA_STATUS_CHECK_CONDITION;
	r.sense_len = (uint8_t)salua_sense_build_fixed(
		r.sense, sizeof(r.sense), key, (uint8_t)(asc >> 8), (uint8_t)asc);
	return r;
}

EH_FN struct eh_resp eh_xfer(enum salua_xfer x)
{
	struct eh_resp r;

	memset(&r, 0, sizeof(r));
	r.xfer = x;
	return r;
}

EH_FN struct eh_resp eh_status(uint8_t status)
{
	struct eh_resp r;

	memset(&r, 0, sizeof(r));
	r.status = status;
	return r;
}

/* Execute @cmd on the fake array; data goes to @din (cap @din_cap). */
EH_FN void eh_fake_exec(struct eh *h, unsigned path,
			const struct salua_engine_cmd *cmd, uint8_t *din,
			uint32_t din_cap, struct eh_resp *r, uint32_t *data_len)
{
	struct eh_fake *f = &h->fake;
	unsigned i;

	*data_len = 0;
	for (i = 0; i < f->nscript; i++) {
		if ((f->script[i].kind < 0 || f->script[i].kind == (int)cmd->kind) &&
		    (f->script[i].path < 0 || f->script[i].path == (int)path)) {
			*r = f->script[i].r;
			memmove(&f->script[i], &f->script[i + 1],
				(f->nscript - i - 1) * sizeof(f->script[0]));
			f->nscript--;
			if (!r->latency_ms)
				r->latency_ms = f->latency_ms;
			return;
		}
	}
	memset(r, 0, sizeof(*r));
	r->latency_ms = f->latency_ms;
	switch (cmd->kind) {
	case SALUA_CMD_TUR:
		if (f->state[f->port_group[path]] == SALUA_STATE_TRANSITIONING)
			*r = eh_check(SALUA_SK_NOT_READY, 0x040a);
		r->latency_ms = f->latency_ms;
		return;
	case SALUA_CMD_STPG: {
		struct salua_stpg_desc d[4];
		size_t n = 4;

		f->stpg_seen++;
		if (salua_stpg_decode(cmd->dout, cmd->dout_len, 0, d, &n) < 0) {
			*r = eh_check(SALUA_SK_ILLEGAL_REQUEST, 0x2600);
			return;
		}
		f->stpg_last_n = (unsigned)n;
		f->stpg_last_id = d[0].id;
		f->stpg_last_state = d[0].state;
		for (i = 0; i < f->ngroups; i++) {
			if (f->id[i] == d[0].id)
				f->state[i] = d[0].state;
			else if (d[0].state == SALUA_STATE_AO &&
				 f->state[i] == SALUA_STATE_AO)
				f->state[i] = SALUA_STATE_STANDBY;
		}
		return;
	}
	case SALUA_CMD_RTPG:
	default: {
		static struct salua_tpg_entry g[EH_GROUPS + 1024];
		uint16_t ports[EH_GROUPS][EH_MAX_PATHS];
		uint8_t nports[EH_GROUPS];
		bool ext = (cmd->cdb[1] & 0xe0u) == 0x20u;
		unsigned n = 0, k;
		int rc;

		if (ext && f->ext_refuse) {
			*r = eh_check(SALUA_SK_ILLEGAL_REQUEST, 0x2400);
			return;
		}
		memset(nports, 0, sizeof(nports));
		for (k = 0; k < EH_MAX_PATHS; k++) {
			unsigned gi = f->port_group[k];
			ports[gi][nports[gi]++] = (uint16_t)(k + 1);
		}
		for (i = 0; i < f->ngroups; i++, n++) {
			memset(&g[n], 0, sizeof(g[n]));
			g[n].tpg_id = f->id[i];
			g[n].state = f->state[i];
			g[n].pref = f->pref[i];
			g[n].supported = f->sup;
			g[n].nports = nports[i];
			g[n].ports = ports[i];
		}
		for (i = 0; i < f->pad_groups && n < SALUA_ARRAY_SIZE(g); i++, n++) {
			memset(&g[n], 0, sizeof(g[n]));
			g[n].tpg_id = (uint16_t)(0x1000 + i);
			g[n].state = SALUA_STATE_UNAVAILABLE;
			g[n].supported = f->sup;
		}
		rc = salua_rtpg_encode(din, din_cap,
				       ext && !f->ext_ignore ? SALUA_RTPG_EXTENDED
							     : SALUA_RTPG_CLASSIC,
				       f->itt, g, n);
		*data_len = rc > 0 ? (uint32_t)rc : 0;
		return;
	}
	}
}

/* ---- ops: submit ------------------------------------------------------ */

EH_FN void eh_record(struct eh *h, unsigned path,
		     const struct salua_engine_cmd *cmd)
{
	struct eh_sub *s = &h->log[h->nlog % EH_LOG];

	s->at = h->now;
	s->path = path;
	s->kind = cmd->kind;
	memcpy(s->cdb, cmd->cdb, sizeof(s->cdb));
	s->dout_len = cmd->dout_len;
	memset(s->dout, 0, sizeof(s->dout));
	if (cmd->dout && cmd->dout_len <= sizeof(s->dout))
		memcpy(s->dout, cmd->dout, cmd->dout_len);
	s->din_len = cmd->din_len;
	s->tag = cmd->tag;
	s->fallbacks = h->ev_count[SALUA_EV_EXT_FALLBACK];
	h->nlog++;
}

EH_FN const struct eh_sub *eh_last(const struct eh *h, unsigned back)
{
	if (back >= h->nlog || back >= EH_LOG)
		return NULL;
	return &h->log[(h->nlog - 1 - back) % EH_LOG];
}

/*
 * Complete queued command @p: free its slot, advance the clock to its
 * time, copy its data in (an aborted one fails with a transport error
 * instead) and hand it to the engine between the pre and post hooks.
 */
EH_FN void eh_deliver(struct eh *h, struct eh_pending *p)
{
	struct eh_pending done = *p;
	int rc;

	p->used = false;
	done.c.sense = done.c.sense_len ? done.sense : NULL;
	if (done.at > h->now)
		h->now = done.at;
	if (done.aborted) {
		memset(&done.c, 0, sizeof(done.c));
		done.c.xfer = SALUA_XFER_TRANSPORT;
	} else {
		if (done.din && done.data_len)
			memcpy(done.din, done.data, done.data_len);
		if (done.kind == SALUA_CMD_RTPG && h->inflight_rtpg)
			h->inflight_rtpg--;
	}
	if (h->pre)
		h->pre(h, &done);
	rc = salua_engine_complete(&h->e, done.tag, &done.c);
	if (h->post)
		h->post(h, &done, rc);
}

EH_FN int eh_submit_op(void *ctx, unsigned path,
		       const struct salua_engine_cmd *cmd)
{
	struct eh *h = (struct eh *)ctx;
	struct eh_pending *p = NULL;
	struct eh_resp r;
	uint32_t data_len = 0, cap;
	unsigned i;

	if (path >= h->npaths || !h->present[path])
		h->violations++; /* the engine must not use a removed path */
	/* Tags count up by one per command (from 1 after an init). */
	if (cmd->tag != h->last_tag + 1u && cmd->tag != 1u)
		h->violations++;
	h->last_tag = cmd->tag;
	if (cmd->din_len > h->buf_cap || cmd->din_len > SALUA_RTPG_MAX_ALLOC ||
	    (cmd->din && cmd->din != h->buf))
		h->violations++; /* data-in only into the caller's buffer */
	eh_record(h, path, cmd);
	if (h->verbose)
		printf("  [%6llu] submit %s path %u tag %u\n",
		       (unsigned long long)h->now,
		       cmd->kind == SALUA_CMD_RTPG ? "RTPG" :
		       cmd->kind == SALUA_CMD_STPG ? "STPG" : "TUR",
		       path, cmd->tag);
	if (cmd->kind == SALUA_CMD_RTPG) {
		h->last_rtpg_seq = ++h->seq;
		h->inflight_rtpg++;
		if (h->inflight_rtpg > h->max_inflight_rtpg)
			h->max_inflight_rtpg = h->inflight_rtpg;
		if (h->inflight_rtpg > 1)
			h->violations++;
	}
	for (i = 0; i < EH_QUEUE; i++)
		if (!h->q[i].used) {
			p = &h->q[i];
			break;
		}
	if (!p) {
		h->violations++;
		return -1;
	}
	memset(p, 0, offsetof(struct eh_pending, data));
	p->used = true;
	p->tag = cmd->tag;
	p->path = path;
	p->kind = cmd->kind;
	p->din = cmd->din;
	p->cdb1 = cmd->cdb[1];
	cap = cmd->din_len < EH_BUF ? cmd->din_len : EH_BUF;
#if defined(EH_WITH_SIM)
	if (h->sim) {
		struct salua_sim_result sr;

		salua_sim_set_time(h->sim, h->now);
		memset(&sr, 0, sizeof(sr));
		if (salua_sim_command(h->sim, h->port[path], h->lun, cmd->cdb,
				      cmd->cdb_len, cmd->dout, cmd->dout_len,
				      p->data, cap, &sr) < 0)
			h->violations++;
		memset(&r, 0, sizeof(r));
		r.drop = sr.fault == SALUA_SIM_FAULT_DROP;
		r.xfer = sr.fault == SALUA_SIM_FAULT_TRANSPORT
				 ? SALUA_XFER_TRANSPORT
				 : SALUA_XFER_OK;
		r.status = sr.status;
		r.sense_len = sr.sense_len;
		memcpy(r.sense, sr.sense, sizeof(r.sense));
		r.latency_ms = sr.latency_ms;
		data_len = sr.data_len;
		if (r.latency_ms >= cmd->timeout_ms)
			r.drop = true;
	} else
#endif
	{
		eh_fake_exec(h, path, cmd, p->data, cap, &r, &data_len);
	}
	p->data_len = data_len;
	p->c.xfer = r.drop ? SALUA_XFER_TIMEOUT : r.xfer;
	p->c.status = r.status;
	memcpy(p->sense, r.sense, sizeof(p->sense));
	p->c.sense = r.sense_len ? p->sense : NULL;
	p->c.sense_len = r.sense_len;
	p->c.data_len = data_len;
	p->at = h->now + (r.drop ? cmd->timeout_ms : r.latency_ms);
	/* SG_IO: the call blocks until the command is done. */
	if (!h->async)
		eh_deliver(h, p);
	return 0;
}

/* ---- an ops table that does nothing (init tests) ----------------------- */

EH_FN int eh_nop_submit(void *ctx, unsigned path,
			const struct salua_engine_cmd *cmd)
{
	(void)ctx;
	(void)path;
	(void)cmd;
	return 0;
}

EH_FN void eh_nop_arm(void *ctx, uint64_t at)
{
	(void)ctx;
	(void)at;
}

EH_FN void eh_nop_cancel(void *ctx)
{
	(void)ctx;
}

EH_FN uint64_t eh_nop_now(void *ctx)
{
	(void)ctx;
	return 1;
}

/* The required members only, each doing nothing. */
EH_FN void eh_nop_ops(struct salua_engine_ops *o)
{
	memset(o, 0, sizeof(*o));
	o->submit = eh_nop_submit;
	o->arm = eh_nop_arm;
	o->cancel = eh_nop_cancel;
	o->now = eh_nop_now;
}

/* ---- setup and the event loop --------------------------------------- */

/*
 * @len bytes ending right before a PROT_NONE page, one mapping per
 * (harness, what) pair and reused by every eh_init() of that harness.
 */
EH_FN void *eh_guarded(const struct eh *h, unsigned what, size_t len)
{
	static struct { const struct eh *h; unsigned what; uint8_t *p; } map[32];
	static unsigned nmap;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data = (len + page - 1) / page * page;
	uint8_t *base;
	unsigned i;

	for (i = 0; i < nmap; i++)
		if (map[i].h == h && map[i].what == what)
			return map[i].p;
	base = (uint8_t *)mmap(NULL, data + page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED || mprotect(base + data, page, PROT_NONE)) {
		perror("eh_guarded");
		abort();
	}
	if (nmap < sizeof(map) / sizeof(map[0])) {
		map[nmap].h = h;
		map[nmap].what = what;
		map[nmap].p = base + data - len;
		nmap++;
	}
	return base + data - len;
}

/*
 * Set up @h with @npaths (1..EH_MAX_PATHS) path slots, the last of them
 * right before the guard page, and an RTPG buffer of @buf_cap (8..EH_BUF)
 * bytes, also ending at a guard page.
 */
EH_FN void eh_init_n(struct eh *h, const struct salua_engine_config *cfg,
		     bool async, unsigned npaths, size_t buf_cap)
{
	struct salua_engine_config c;
	int rc;

	memset(h, 0, sizeof(*h));
	h->paths = (struct salua_engine_path *)eh_guarded(
			   h, 0, EH_MAX_PATHS * sizeof(struct salua_engine_path)) +
		   (EH_MAX_PATHS - npaths);
	h->buf = (uint8_t *)eh_guarded(h, 1, EH_BUF) + (EH_BUF - buf_cap);
	memset(h->buf, 0, buf_cap);
	h->npaths = npaths;
	h->async = async;
	h->buf_cap = buf_cap;
	h->ops.submit = eh_submit_op;
	h->ops.arm = eh_arm_op;
	h->ops.cancel = eh_cancel_op;
	h->ops.now = eh_now_op;
	h->ops.notify = eh_notify_op;
	h->ops.log = eh_log_op;
	h->now = 1000;
	eh_fake_default(&h->fake);
	if (cfg)
		c = *cfg;
	else
		salua_engine_config_default(&c);
	c.flags = (uint8_t)(c.flags | SALUA_ENGINE_F_LOG_STATE);
	rc = salua_engine_init(&h->e, &c, &h->ops, h, h->paths, npaths,
			       h->buf, h->buf_cap);
	if (rc)
		h->violations++;
}

EH_FN void eh_init(struct eh *h, const struct salua_engine_config *cfg,
		   bool async)
{
	eh_init_n(h, cfg, async, EH_MAX_PATHS, EH_BUF);
}

#if defined(EH_WITH_SIM)
EH_FN void eh_use_sim(struct eh *h, struct salua_sim *s, unsigned lun)
{
	h->sim = s;
	h->lun = lun;
	salua_sim_set_time(s, h->now);
}
#endif

/* Add path @path through target port @port (rel port port+1). */
EH_FN int eh_add(struct eh *h, unsigned path, unsigned port)
{
	uint16_t tpg;

	h->present[path] = true;
	h->port[path] = port;
#if defined(EH_WITH_SIM)
	if (h->sim)
		tpg = (uint16_t)(salua_sim_group_of_port(h->sim, port) + 1u);
	else
#endif
		tpg = h->fake.id[h->fake.port_group[port]];
	return salua_engine_add_path(&h->e, path, (uint16_t)(port + 1u), tpg,
				     true);
}

/* The device behind @path is gone: the transport aborts what it had sent. */
EH_FN void eh_abort_path(struct eh *h, unsigned path)
{
	unsigned i;

	h->present[path] = false;
	h->known[path] = false;
	for (i = 0; i < EH_QUEUE; i++)
		if (h->q[i].used && h->q[i].path == path && !h->q[i].aborted) {
			h->q[i].aborted = true;
			if (h->q[i].kind == SALUA_CMD_RTPG && h->inflight_rtpg)
				h->inflight_rtpg--;
		}
}

EH_FN int eh_remove(struct eh *h, unsigned path)
{
	eh_abort_path(h, path);
	return salua_engine_remove_path(&h->e, path);
}

EH_FN void eh_check_idle(struct eh *h)
{
	if (salua_engine_state(&h->e) == SALUA_ES_IDLE && h->timer_armed)
		h->violations++;
	eh_fsm_check(h);
}

/* Earliest pending completion, or NULL. */
EH_FN struct eh_pending *eh_next_pending(struct eh *h)
{
	struct eh_pending *best = NULL;
	unsigned i;

	for (i = 0; i < EH_QUEUE; i++)
		if (h->q[i].used && (!best || h->q[i].at < best->at))
			best = &h->q[i];
	return best;
}

/* Deliver one event due at or before @until; return false if none. */
EH_FN bool eh_step(struct eh *h, uint64_t until)
{
	struct eh_pending *p = eh_next_pending(h);
	uint64_t tp = p ? p->at : UINT64_MAX;
	uint64_t tt = h->timer_armed ? h->timer_at : UINT64_MAX;

	if (tp > until && tt > until)
		return false;
	if (tp <= tt) {
		eh_deliver(h, p);
	} else {
		if (tt > h->now)
			h->now = tt;
		h->timer_armed = false;
		salua_engine_timer(&h->e);
	}
#if defined(EH_WITH_SIM)
	if (h->sim)
		salua_sim_set_time(h->sim, h->now);
#endif
	eh_check_idle(h);
	return true;
}

EH_FN void eh_run_until(struct eh *h, uint64_t t)
{
	unsigned guard = 0;

	while (eh_step(h, t) && ++guard < 1000000u)
		;
	if (t > h->now)
		h->now = t;
#if defined(EH_WITH_SIM)
	if (h->sim)
		salua_sim_set_time(h->sim, h->now);
#endif
}

EH_FN void eh_run_for(struct eh *h, uint64_t ms)
{
	eh_run_until(h, h->now + ms);
}

/* Run until the engine is idle (or @limit ms pass). Return true if idle. */
EH_FN bool eh_settle(struct eh *h, uint64_t limit)
{
	uint64_t end = h->now + limit;

	while (!salua_engine_idle(&h->e) || eh_next_pending(h)) {
		if (!eh_step(h, end))
			return false;
	}
	return true;
}

EH_FN void eh_act_done(void *arg, int result)
{
	struct eh_act *a = (struct eh_act *)arg;

	a->calls++;
	a->result = result;
	if (a->h && a->h->act_hook)
		a->h->act_hook(a->h, a);
}

EH_FN struct eh_act *eh_activate(struct eh *h, unsigned path)
{
	struct eh_act *a = &h->acts[h->nacts++ % EH_ACTS];

	memset(a, 0, sizeof(*a));
	a->result = -1;
	a->at = h->now;
	a->path = path;
	a->h = h;
	salua_engine_activate(&h->e, path, &a->a, eh_act_done, a);
	return a;
}

/* Feed an ordinary command's sense to the engine (as check_sense would). */
EH_FN struct salua_verdict eh_sense(struct eh *h, unsigned path, uint8_t key,
				    uint16_t asc)
{
	struct eh_resp r = eh_check(key, asc);

	return salua_engine_sense(&h->e, path, r.status, r.sense, r.sense_len);
}

#if defined(EH_WITH_SIM)
/* One ordinary READ(10) on @path through the sim; sense goes to the engine. */
EH_FN struct salua_verdict eh_sim_io(struct eh *h, unsigned path)
{
	static const uint8_t cdb[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	uint8_t data[512];
	struct salua_sim_result sr;

	salua_sim_set_time(h->sim, h->now);
	memset(&sr, 0, sizeof(sr));
	(void)salua_sim_command(h->sim, h->port[path], h->lun, cdb, sizeof(cdb),
				NULL, 0, data, sizeof(data), &sr);
	return salua_engine_sense(&h->e, path, sr.status,
				  sr.sense_len ? sr.sense : NULL, sr.sense_len);
}
#endif

/* The n-th (0-based) log event with @code since event index @from. */
EH_FN const struct salua_engine_log *eh_ev(const struct eh *h, unsigned from,
					   unsigned code, unsigned n)
{
	unsigned i;

	if (h->logs > EH_EVLOG && from < h->logs - EH_EVLOG)
		from = h->logs - EH_EVLOG;
	for (i = from; i < h->logs; i++)
		if (h->ev[i % EH_EVLOG].code == code && n-- == 0)
			return &h->ev[i % EH_EVLOG];
	return NULL;
}

/* Log events with @code since event index @from. */
EH_FN unsigned eh_nev(const struct eh *h, unsigned from, unsigned code)
{
	unsigned n = 0;

	while (eh_ev(h, from, code, n))
		n++;
	return n;
}

/* Count submits of @kind in the log since index @from. */
EH_FN unsigned eh_count(const struct eh *h, unsigned from, int kind)
{
	unsigned i, n = 0;

	for (i = from; i < h->nlog; i++)
		if (kind < 0 || (int)h->log[i % EH_LOG].kind == kind)
			n++;
	return n;
}

#endif /* SALUA_ENGINE_HARNESS_H */
