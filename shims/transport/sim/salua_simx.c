/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua_simx.c - the simulated array as a transport (see salua_simx.h). */
#include "salua_simx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t now_us(const struct salua_simx *p)
{
	return p->clock->now_us(p->clock->ctx);
}

static void sync_sim(struct salua_simx *p, uint64_t t)
{
	salua_sim_set_time(p->sim, t / 1000u);
}

/* Deliver pending entry @i (removed from the queue first). */
static void deliver(struct salua_simx *p, unsigned i)
{
	struct salua_simx_pending e = p->q[i];

	p->q[i] = p->q[--p->nq];
	e.r.sense = e.r.sense_len ? e.sense : NULL;
	e.done(e.arg, &e.r);
}

static int simx_submit(void *t, const struct salua_xport_cmd *cmd,
		       salua_xport_done_fn done, void *arg)
{
	struct salua_simx *p = (struct salua_simx *)t;
	struct salua_simx_pending *e;
	struct salua_sim_result sr;
	uint64_t now, at, tmo, xfer_us;
	uint32_t bytes;
	int rc;

	if (!cmd || !done || !cmd->cdb || cmd->cdb_len < 6 ||
	    cmd->cdb_len > 16 || (cmd->dir != SALUA_XPORT_NONE && !cmd->data))
		return -EINVAL;
	if (p->nq >= p->qcap)
		return -EBUSY;
	now = now_us(p);
	sync_sim(p, now);
	tmo = 1000u * (uint64_t)(cmd->timeout_ms ? cmd->timeout_ms
						 : SALUA_SIMX_TIMEOUT_MS);
	e = &p->q[p->nq];
	memset(e, 0, sizeof(*e));
	e->done = done;
	e->arg = arg;
	e->seq = ++p->seq;
	p->ncmds++;
	at = now + p->link.delay_us;
	if (p->down || (p->link.fail_every &&
			p->ncmds % p->link.fail_every == 0)) {
		e->r.xfer = SALUA_XFER_TRANSPORT;
		e->r.native = p->down ? SALUA_SIMX_DOWN : SALUA_SIMX_FLAKY;
		e->r.resid = cmd->data_len;
		goto queue;
	}
	memset(&sr, 0, sizeof(sr));
	rc = salua_sim_command(
		p->sim, p->port, p->lun, cmd->cdb, cmd->cdb_len,
		cmd->dir == SALUA_XPORT_OUT ? (const uint8_t *)cmd->data : NULL,
		cmd->dir == SALUA_XPORT_OUT ? cmd->data_len : 0,
		cmd->dir == SALUA_XPORT_IN ? (uint8_t *)cmd->data : NULL,
		cmd->dir == SALUA_XPORT_IN ? cmd->data_len : 0, &sr);
	if (rc < 0)
		return -EINVAL;
	switch (sr.fault) {
	case SALUA_SIM_FAULT_DROP:
		e->r.xfer = SALUA_XFER_TIMEOUT;
		e->r.native = SALUA_SIMX_DROPPED;
		e->r.resid = cmd->data_len;
		at = now + tmo;
		goto queue;
	case SALUA_SIM_FAULT_TRANSPORT:
		e->r.xfer = SALUA_XFER_TRANSPORT;
		e->r.native = SALUA_SIMX_XPORT;
		e->r.resid = cmd->data_len;
		goto queue;
	case SALUA_SIM_FAULT_NONE:
		break;
	}
	e->r.xfer = SALUA_XFER_OK;
	e->r.status = sr.status;
	e->r.sense_len = sr.sense_len < sizeof(e->sense) ? sr.sense_len
							 : (uint32_t)sizeof(e->sense);
	memcpy(e->sense, sr.sense, e->r.sense_len);
	bytes = cmd->dir == SALUA_XPORT_IN ? sr.data_len
		: cmd->dir == SALUA_XPORT_OUT ? cmd->data_len : 0;
	e->r.data_len = cmd->dir == SALUA_XPORT_IN ? sr.data_len : bytes;
	e->r.resid = cmd->dir == SALUA_XPORT_IN ? cmd->data_len - sr.data_len
						: 0;
	/* FIFO link: wait for it, hold it for the command and its data. */
	xfer_us = p->link.mib_s ? (uint64_t)bytes * 1000000u /
					  ((uint64_t)p->link.mib_s << 20)
				: 0;
	at = (p->link_free_us > now ? p->link_free_us : now) + p->link.svc_us +
	     xfer_us;
	p->link_free_us = at;
	at += p->link.delay_us + 1000u * (uint64_t)sr.latency_ms;
	/* An answer at the timeout is too late, as a dead path's. */
	if (at - now >= tmo) {
		e->r.xfer = SALUA_XFER_TIMEOUT;
		e->r.native = SALUA_SIMX_SLOW;
		e->r.sense_len = 0;
		at = now + tmo;
	}
queue:
	/* Time passes for every answer, so a fake clock always advances. */
	e->at_us = at > now ? at : now + 1u;
	p->nq++;
	if (p->link.sync)
		deliver(p, p->nq - 1);
	return 0;
}

static uint64_t simx_deadline(void *t)
{
	struct salua_simx *p = (struct salua_simx *)t;
	uint64_t best = UINT64_MAX;
	unsigned i;

	for (i = 0; i < p->nq; i++)
		if (p->q[i].at_us < best)
			best = p->q[i].at_us;
	return best;
}

/*
 * The earliest entry due at @now and submitted up to @seq (ties:
 * submission order), or nq if none.
 */
static unsigned next_due(const struct salua_simx *p, uint64_t now,
			 uint64_t seq)
{
	unsigned i, best = p->nq;

	for (i = 0; i < p->nq; i++)
		if (p->q[i].at_us <= now && p->q[i].seq <= seq &&
		    (best == p->nq || p->q[i].at_us < p->q[best].at_us ||
		     (p->q[i].at_us == p->q[best].at_us &&
		      p->q[i].seq < p->q[best].seq)))
			best = i;
	return best;
}

static void simx_service(void *t, short revents)
{
	struct salua_simx *p = (struct salua_simx *)t;
	uint64_t now = now_us(p), seq = p->seq;
	unsigned i;

	(void)revents;
	sync_sim(p, now);
	/* Only what was queued before: a completion that resubmits at once
	 * does not keep this call going. */
	while ((i = next_due(p, now, seq)) < p->nq)
		deliver(p, i);
}

static unsigned simx_inflight(void *t)
{
	return ((struct salua_simx *)t)->nq;
}

static size_t simx_describe(void *t, int32_t native, char *buf, size_t cap)
{
	static const char *const txt[] = {
		"", "dropped by the simulated array",
		"transport error injected by the simulated array",
		"flaky link", "answer after the command timeout", "link down",
		"path closed"
	};
	const char *s = native >= 0 && native < (int32_t)(sizeof(txt) /
							     sizeof(txt[0]))
				? txt[native]
				: "?";
	int n;

	(void)t;
	if (!cap)
		return 0;
	n = snprintf(buf, cap, "%s", s);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static void simx_close_op(void *t)
{
	struct salua_simx *p = (struct salua_simx *)t;

	while (p->nq) {
		p->q[0].r.xfer = SALUA_XFER_TRANSPORT;
		p->q[0].r.native = SALUA_SIMX_CLOSED;
		p->q[0].r.sense_len = 0;
		deliver(p, 0);
	}
}

const struct salua_transport_ops salua_simx_ops = {
	.name = "sim",
	.submit = simx_submit,
	.deadline_us = simx_deadline,
	.service = simx_service,
	.inflight = simx_inflight,
	.describe = simx_describe,
	.close = simx_close_op,
};

int salua_simx_open(struct salua_simx *p, struct salua_sim *sim,
		    const struct salua_clock *clock, unsigned port,
		    unsigned lun, const struct salua_simx_link *link,
		    struct salua_transport *t)
{
	if (!p || !sim || !clock || !clock->now_us || !t)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->q = (struct salua_simx_pending *)calloc(SALUA_SIMX_QUEUE,
						   sizeof(*p->q));
	if (!p->q)
		return -ENOMEM;
	p->qcap = SALUA_SIMX_QUEUE;
	p->sim = sim;
	p->clock = clock;
	p->port = port;
	p->lun = lun;
	if (link)
		p->link = *link;
	t->ops = &salua_simx_ops;
	t->ctx = p;
	return 0;
}

void salua_simx_set_link(struct salua_simx *p,
			 const struct salua_simx_link *link)
{
	memset(&p->link, 0, sizeof(p->link));
	if (link)
		p->link = *link;
}

void salua_simx_set_lun(struct salua_simx *p, unsigned lun)
{
	p->lun = lun;
}

void salua_simx_set_down(struct salua_simx *p, bool down)
{
	p->down = down;
}

void salua_simx_close(struct salua_simx *p)
{
	if (!p || !p->q)
		return;
	simx_close_op(p);
	free(p->q);
	p->q = NULL;
	p->qcap = 0;
}
