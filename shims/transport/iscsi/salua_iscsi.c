// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * salua_iscsi.c - iSCSI transport over libiscsi (see salua_iscsi.h).
 *
 * libiscsi calls our task callbacks from inside iscsi_service() and
 * iscsi_destroy_context().  They only record the outcome; tasks are freed
 * and the caller's callbacks run after libiscsi has returned, so a caller
 * may submit, close or reopen from its completion callback.
 */
#include "salua_iscsi.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>

uint64_t salua_iscsi_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void set_err(struct salua_iscsi *s, const char *fmt, ...)
{
	va_list ap;

	char *r, *w;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	/* Some libiscsi messages end in a newline: keep ours one line. */
	for (r = w = s->err; *r; r++)
		if (*r != '\n')
			*w++ = *r;
	*w = '\0';
}

const char *salua_iscsi_status_name(int st)
{
	switch (st) {
	case SCSI_STATUS_GOOD: return "GOOD";
	case SCSI_STATUS_CHECK_CONDITION: return "CHECK CONDITION";
	case SCSI_STATUS_CONDITION_MET: return "CONDITION MET";
	case SCSI_STATUS_BUSY: return "BUSY";
	case SCSI_STATUS_RESERVATION_CONFLICT: return "RESERVATION CONFLICT";
	case SCSI_STATUS_TASK_SET_FULL: return "TASK SET FULL";
	case SCSI_STATUS_ACA_ACTIVE: return "ACA ACTIVE";
	case SCSI_STATUS_TASK_ABORTED: return "TASK ABORTED";
	case SCSI_STATUS_REDIRECT: return "REDIRECT";
	case SCSI_STATUS_CANCELLED: return "CANCELLED";
	case SCSI_STATUS_ERROR: return "ERROR";
	case SCSI_STATUS_TIMEOUT: return "TIMEOUT";
	default: return "unknown";
	}
}

static uint32_t tmo(const struct salua_iscsi *s, uint32_t ms)
{
	if (ms)
		return ms;
	return s->timeout_ms ? s->timeout_ms : SALUA_ISCSI_DEFAULT_TIMEOUT_MS;
}

/* ---- connect and login --------------------------------------------- */

struct login_wait {
	int phase;   /* 0 connecting, 1 logging in, 2 done, -1 failed */
	struct salua_iscsi *s;
};

static void login_cb(struct iscsi_context *ctx, int status, void *data,
		     void *priv)
{
	struct login_wait *w = (struct login_wait *)priv;

	(void)data;
	if (status == SCSI_STATUS_GOOD) {
		w->phase = 2;
		return;
	}
	set_err(w->s, "%s: login failed: %s", w->s->url, iscsi_get_error(ctx));
	w->phase = -1;
}

static void connect_cb(struct iscsi_context *ctx, int status, void *data,
		       void *priv)
{
	struct login_wait *w = (struct login_wait *)priv;

	(void)data;
	if (status != SCSI_STATUS_GOOD) {
		set_err(w->s, "%s: cannot connect to %s: %s", w->s->url,
			w->s->portal, iscsi_get_error(ctx));
		w->phase = -1;
		return;
	}
	w->phase = 1;
	/* Plain login: no TEST UNIT READY, so a standby port works. */
	if (iscsi_login_async(ctx, login_cb, w) != 0) {
		set_err(w->s, "%s: login failed: %s", w->s->url,
			iscsi_get_error(ctx));
		w->phase = -1;
	}
}

static int errno_of(const char *msg)
{
	if (strstr(msg, "refused"))
		return -ECONNREFUSED;
	if (strstr(msg, "unreachable"))
		return -EHOSTUNREACH;
	return -EIO;
}

static void drop_ctx(struct salua_iscsi *s)
{
	struct iscsi_context *ctx = s->ctx;

	if (!ctx)
		return;
	s->closing = true;
	s->ctx = NULL;
	iscsi_destroy_context(ctx);
	s->closing = false;
}

static int do_open(struct salua_iscsi *s)
{
	struct iscsi_url *u;
	struct login_wait w;
	uint64_t end;
	int rc;

	s->ctx = iscsi_create_context(s->initiator);
	if (!s->ctx) {
		set_err(s, "%s: cannot create an iSCSI context", s->url);
		return -ENOMEM;
	}
	u = iscsi_parse_full_url(s->ctx, s->full_url);
	if (!u) {
		set_err(s, "%s: %s", s->url, iscsi_get_error(s->ctx));
		drop_ctx(s);
		return -EINVAL;
	}
	snprintf(s->portal, sizeof(s->portal), "%s", u->portal);
	snprintf(s->target, sizeof(s->target), "%s", u->target);
	s->lun = u->lun;
	snprintf(s->url, sizeof(s->url), "iscsi://%s%s%s/%s/%d", u->user,
		 u->user[0] ? "@" : "", u->portal, u->target, u->lun);
	rc = iscsi_set_targetname(s->ctx, u->target) ||
	     iscsi_set_session_type(s->ctx, ISCSI_SESSION_NORMAL) ||
	     (u->user[0] && iscsi_set_initiator_username_pwd(
				    s->ctx, u->user, u->passwd)) ||
	     (u->target_user[0] && iscsi_set_target_username_pwd(
					   s->ctx, u->target_user,
					   u->target_passwd));
	iscsi_destroy_url(u);
	if (rc) {
		set_err(s, "%s: %s", s->url, iscsi_get_error(s->ctx));
		drop_ctx(s);
		return -EINVAL;
	}
	iscsi_set_noautoreconnect(s->ctx, 1);

	w.phase = 0;
	w.s = s;
	if (iscsi_connect_async(s->ctx, s->portal, connect_cb, &w) != 0) {
		set_err(s, "%s: cannot connect to %s: %s", s->url, s->portal,
			iscsi_get_error(s->ctx));
		rc = errno_of(s->err);
		drop_ctx(s);
		return rc;
	}
	end = salua_iscsi_now_ms() + tmo(s, 0);
	while (w.phase == 0 || w.phase == 1) {
		struct pollfd pfd;
		uint64_t now = salua_iscsi_now_ms();
		int n;

		if (now >= end) {
			set_err(s, "%s: %s did not %s within %u ms", s->url,
				s->portal,
				w.phase ? "complete the login" : "accept the connection",
				(unsigned)tmo(s, 0));
			drop_ctx(s);
			return -ETIMEDOUT;
		}
		pfd.fd = iscsi_get_fd(s->ctx);
		pfd.events = (short)iscsi_which_events(s->ctx);
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)(end - now < 100u ? end - now : 100u));
		if (n < 0 && errno != EINTR) {
			set_err(s, "%s: poll: %s", s->url, strerror(errno));
			drop_ctx(s);
			return -EIO;
		}
		if (iscsi_service(s->ctx, n > 0 ? pfd.revents : 0) < 0 &&
		    w.phase >= 0 && w.phase != 2) {
			set_err(s, w.phase ?
				"%s: connection to %s lost during the login: %s" :
				"%s: cannot connect to %s: %s", s->url,
				s->portal, iscsi_get_error(s->ctx));
			w.phase = -1;
		}
	}
	if (w.phase < 0) {
		rc = errno_of(s->err);
		drop_ctx(s);
		return rc;
	}
	s->state = SALUA_ISCSI_READY;
	s->err[0] = '\0';
	return 0;
}

int salua_iscsi_open(struct salua_iscsi *s, const char *url,
		     const char *initiator, uint32_t timeout_ms)
{
	memset(s, 0, sizeof(*s));
	if (!url || strncmp(url, "iscsi://", 8) != 0 ||
	    strlen(url) >= sizeof(s->full_url)) {
		set_err(s, "%s: not an iscsi:// URL (iscsi://[user[%%password]@]host[:port]/target-iqn/lun)",
			url ? url : "(null)");
		return -EINVAL;
	}
	snprintf(s->full_url, sizeof(s->full_url), "%s", url);
	/* Until parsed, show the URL up to any user part only. */
	snprintf(s->url, sizeof(s->url), "%s", strchr(url + 8, '@') ?
					       "iscsi://(user)@..." : url);
	snprintf(s->initiator, sizeof(s->initiator), "%s",
		 initiator ? initiator : SALUA_ISCSI_INITIATOR);
	s->timeout_ms = timeout_ms ? timeout_ms : SALUA_ISCSI_DEFAULT_TIMEOUT_MS;
	return do_open(s);
}

/* ---- commands --------------------------------------------------------- */

/* Run the callbacks of every finished command; free their tasks. */
static void deliver(struct salua_iscsi *s)
{
	unsigned i;

	for (i = 0; i < SALUA_ISCSI_MAX_INFLIGHT; i++) {
		struct salua_iscsi_slot *sl = &s->slots[i];
		struct salua_iscsi_resp r;
		salua_iscsi_done_fn done;
		void *arg;

		if (!sl->busy || !sl->completed)
			continue;
		if (sl->task) {
			scsi_free_scsi_task(sl->task);
			sl->task = NULL;
		}
		r = sl->resp;
		done = sl->done;
		arg = sl->arg;
		sl->busy = false;
		sl->completed = false;
		if (sl->xdone) {
			struct salua_xport_result xr;
			salua_xport_done_fn xd = sl->xdone;

			memset(&xr, 0, sizeof(xr));
			xr.xfer = r.xfer;
			xr.status = r.status;
			xr.sense = r.sense_len ? r.sense : NULL;
			xr.sense_len = (uint32_t)r.sense_len;
			xr.data_len = r.data_len;
			xr.resid = r.residual;
			xr.native = r.xfer == SALUA_XFER_OK ? 0 : r.lib_status;
			sl->xdone = NULL;
			xd(sl->xarg, &xr);
			continue;
		}
		done(s, arg, &r);
	}
}

static void task_cb(struct iscsi_context *ctx, int status, void *data,
		    void *priv)
{
	struct salua_iscsi_slot *sl = (struct salua_iscsi_slot *)priv;
	struct salua_iscsi *s = sl->owner;
	struct scsi_task *t = sl->task;
	struct salua_iscsi_resp *r = &sl->resp;

	(void)ctx;
	(void)data;
	if (!sl->busy || sl->completed)
		return;
	memset(r, 0, sizeof(*r));
	r->tag = sl->tag;
	r->lib_status = status;
	sl->completed = true;
	if (s->closing || status == SCSI_STATUS_CANCELLED ||
	    status == SCSI_STATUS_ERROR || status == SCSI_STATUS_TIMEOUT ||
	    status == SCSI_STATUS_REDIRECT || status < 0 || status > 0xff) {
		r->xfer = status == SCSI_STATUS_TIMEOUT ? SALUA_XFER_TIMEOUT :
							  SALUA_XFER_TRANSPORT;
		if (!s->closing) {
			/* libiscsi cancels everything when the link drops. */
			s->lost = true;
		}
		return;
	}
	r->xfer = SALUA_XFER_OK;
	r->status = (uint8_t)status;
	if (!t)
		return;
	r->residual = (uint32_t)t->residual;
	r->overflow = t->residual_status == SCSI_RESIDUAL_OVERFLOW;
	if (status == SCSI_STATUS_CHECK_CONDITION) {
		/* Raw sense: 2-byte SenseLength, then the sense bytes. */
		if (t->datain.data && t->datain.size >= 2) {
			size_t have = (size_t)t->datain.size - 2u;
			size_t n = ((size_t)t->datain.data[0] << 8) |
				   t->datain.data[1];

			if (n > have)
				n = have;
			if (n > sizeof(r->sense))
				n = sizeof(r->sense);
			memcpy(r->sense, t->datain.data + 2, n);
			r->sense_len = n;
		}
		return;
	}
	if (sl->din && t->datain.data && t->datain.size > 0) {
		uint32_t n = (uint32_t)t->datain.size;

		if (n > sl->din_len)
			n = sl->din_len;
		memcpy(sl->din, t->datain.data, n);
		r->data_len = n;
	}
}

/*
 * End the session: tear libiscsi down (its callbacks only mark our
 * slots), then complete every command still owed to the caller.
 */
static void fail_session(struct salua_iscsi *s, enum salua_xfer why,
			 uint64_t now)
{
	unsigned i;

	drop_ctx(s);
	s->state = s->state == SALUA_ISCSI_CLOSED ? SALUA_ISCSI_CLOSED :
						     SALUA_ISCSI_FAILED;
	s->lost = false;
	for (i = 0; i < SALUA_ISCSI_MAX_INFLIGHT; i++) {
		struct salua_iscsi_slot *sl = &s->slots[i];

		if (sl->task) {
			scsi_free_scsi_task(sl->task);
			sl->task = NULL;
		}
		if (!sl->busy)
			continue;
		if (!sl->completed || sl->resp.xfer == SALUA_XFER_OK ||
		    sl->resp.lib_status == SCSI_STATUS_CANCELLED) {
			if (sl->completed && sl->resp.xfer == SALUA_XFER_OK)
				continue; /* answered before the failure */
			memset(&sl->resp, 0, sizeof(sl->resp));
			sl->resp.tag = sl->tag;
			sl->resp.lib_status = -1;
			sl->resp.xfer = why == SALUA_XFER_TIMEOUT &&
						sl->deadline <= now ?
						SALUA_XFER_TIMEOUT :
						SALUA_XFER_TRANSPORT;
			sl->completed = true;
		}
	}
	deliver(s);
}

int salua_iscsi_submit(struct salua_iscsi *s, const struct salua_iscsi_req *rq,
		       uint32_t tag, salua_iscsi_done_fn done, void *arg)
{
	struct salua_iscsi_slot *sl = NULL;
	struct iscsi_data d, *dp = NULL;
	unsigned char cdb[16];
	int dir = SCSI_XFER_NONE;
	int xlen = 0;
	unsigned i;

	if (!s || !rq || !done || !rq->cdb || rq->cdb_len < 6 ||
	    rq->cdb_len > sizeof(cdb) ||
	    (rq->dir != SALUA_ISCSI_NONE && !rq->data && rq->data_len) ||
	    rq->data_len > 0x7fffffffu)
		return -EINVAL;
	if (s->state != SALUA_ISCSI_READY || !s->ctx)
		return -ENOTCONN;
	for (i = 0; i < SALUA_ISCSI_MAX_INFLIGHT && !sl; i++)
		if (!s->slots[i].busy)
			sl = &s->slots[i];
	if (!sl)
		return -EBUSY;
	memcpy(cdb, rq->cdb, rq->cdb_len);
	if (rq->dir == SALUA_ISCSI_IN) {
		dir = SCSI_XFER_READ;
		xlen = (int)rq->data_len;
	} else if (rq->dir == SALUA_ISCSI_OUT) {
		dir = SCSI_XFER_WRITE;
		xlen = (int)rq->data_len;
	}
	memset(sl, 0, sizeof(*sl));
	sl->owner = s;
	sl->task = scsi_create_task((int)rq->cdb_len, cdb, dir, xlen);
	if (!sl->task)
		return -ENOMEM;
	sl->done = done;
	sl->arg = arg;
	sl->tag = tag;
	sl->din = rq->dir == SALUA_ISCSI_IN ? (uint8_t *)rq->data : NULL;
	sl->din_len = rq->dir == SALUA_ISCSI_IN ? rq->data_len : 0;
	sl->timeout_ms = tmo(s, rq->timeout_ms);
	sl->deadline = salua_iscsi_now_ms() + sl->timeout_ms;
	if (rq->dir == SALUA_ISCSI_OUT && rq->data_len) {
		/* libiscsi sends from our buffer: the caller keeps it valid
		 * until the completion (struct salua_iscsi_req @data). */
		d.size = rq->data_len;
		d.data = (unsigned char *)rq->data;
		dp = &d;
	}
	sl->busy = true;
	if (iscsi_scsi_command_async(s->ctx, s->lun, sl->task, task_cb, dp,
				     sl) != 0) {
		set_err(s, "%s: cannot queue the command: %s", s->url,
			iscsi_get_error(s->ctx));
		scsi_free_scsi_task(sl->task);
		sl->task = NULL;
		sl->busy = false;
		return -ENOMEM;
	}
	return 0;
}

unsigned salua_iscsi_inflight(const struct salua_iscsi *s)
{
	unsigned i, n = 0;

	for (i = 0; i < SALUA_ISCSI_MAX_INFLIGHT; i++)
		n += s->slots[i].busy ? 1u : 0u;
	return n;
}

int salua_iscsi_fd(const struct salua_iscsi *s)
{
	return s->ctx && s->state == SALUA_ISCSI_READY ? iscsi_get_fd(s->ctx) :
							 -1;
}

short salua_iscsi_events(const struct salua_iscsi *s)
{
	return s->ctx && s->state == SALUA_ISCSI_READY ?
		       (short)iscsi_which_events(s->ctx) :
		       0;
}

int salua_iscsi_timeout_ms(const struct salua_iscsi *s, uint64_t now)
{
	uint64_t best = 0;
	bool any = false;
	unsigned i;

	for (i = 0; i < SALUA_ISCSI_MAX_INFLIGHT; i++) {
		const struct salua_iscsi_slot *sl = &s->slots[i];

		if (!sl->busy)
			continue;
		if (!any || sl->deadline < best)
			best = sl->deadline;
		any = true;
	}
	if (!any)
		return -1;
	if (best <= now)
		return 0;
	return best - now > 0x7fffffffu ? 0x7fffffff : (int)(best - now);
}

int salua_iscsi_service(struct salua_iscsi *s, short revents)
{
	uint64_t now;
	unsigned i;

	if (s->state != SALUA_ISCSI_READY || !s->ctx) {
		deliver(s);
		return -ENOTCONN;
	}
	if (revents & (POLLERR | POLLHUP | POLLNVAL)) {
		(void)iscsi_service(s->ctx, revents);
		set_err(s, "%s: connection to %s lost (%s)", s->url, s->portal,
			iscsi_get_error(s->ctx));
		fail_session(s, SALUA_XFER_TRANSPORT, salua_iscsi_now_ms());
		return -ENOTCONN;
	}
	if (iscsi_service(s->ctx, revents) < 0 || s->lost) {
		set_err(s, "%s: connection to %s lost (%s)", s->url, s->portal,
			iscsi_get_error(s->ctx));
		fail_session(s, SALUA_XFER_TRANSPORT, salua_iscsi_now_ms());
		return -ENOTCONN;
	}
	now = salua_iscsi_now_ms();
	for (i = 0; i < SALUA_ISCSI_MAX_INFLIGHT; i++) {
		const struct salua_iscsi_slot *sl = &s->slots[i];

		if (sl->busy && !sl->completed && sl->deadline <= now) {
			/* No per-task abort here: the session is unusable. */
			set_err(s, "%s: no answer from %s within %u ms; session closed",
				s->url, s->portal, (unsigned)sl->timeout_ms);
			fail_session(s, SALUA_XFER_TIMEOUT, now);
			return -ENOTCONN;
		}
	}
	deliver(s);
	return 0;
}

int salua_iscsi_poll(struct salua_iscsi *const *v, size_t n, int max_wait_ms)
{
	struct pollfd pfd[64];
	size_t map[64], k = 0, i;
	uint64_t now = salua_iscsi_now_ms();
	int wait = max_wait_ms, rc, done = 0;

	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++) {
		int t;

		if (!v[i] || v[i]->state != SALUA_ISCSI_READY)
			continue;
		t = salua_iscsi_timeout_ms(v[i], now);
		if (t >= 0 && (wait < 0 || t < wait))
			wait = t;
		pfd[k].fd = salua_iscsi_fd(v[i]);
		pfd[k].events = salua_iscsi_events(v[i]);
		pfd[k].revents = 0;
		map[k++] = i;
	}
	if (k == 0)
		return 0;
	rc = poll(pfd, (nfds_t)k, wait);
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < k; i++) {
		(void)salua_iscsi_service(v[map[i]], pfd[i].revents);
		done++;
	}
	return done;
}

struct exec_wait {
	struct salua_iscsi_resp *r;
	bool done;
};

static void exec_done(struct salua_iscsi *s, void *arg,
		      const struct salua_iscsi_resp *r)
{
	struct exec_wait *w = (struct exec_wait *)arg;

	(void)s;
	*w->r = *r;
	w->done = true;
}

int salua_iscsi_exec(struct salua_iscsi *s, const struct salua_iscsi_req *rq,
		     struct salua_iscsi_resp *r)
{
	struct exec_wait w;
	struct salua_iscsi *v[1];
	int rc;

	w.r = r;
	w.done = false;
	rc = salua_iscsi_submit(s, rq, 0, exec_done, &w);
	if (rc < 0)
		return rc;
	v[0] = s;
	while (!w.done) {
		if (s->state != SALUA_ISCSI_READY)
			(void)salua_iscsi_service(s, 0);
		else if (salua_iscsi_poll(v, 1, -1) < 0)
			(void)salua_iscsi_service(s, 0);
	}
	return 0;
}

void salua_iscsi_close(struct salua_iscsi *s)
{
	if (!s)
		return;
	if (s->ctx || salua_iscsi_inflight(s)) {
		if (!s->err[0] && salua_iscsi_inflight(s))
			set_err(s, "%s: session closed", s->url);
		s->state = SALUA_ISCSI_CLOSED;
		fail_session(s, SALUA_XFER_TRANSPORT, salua_iscsi_now_ms());
	}
	s->state = SALUA_ISCSI_CLOSED;
}

int salua_iscsi_reopen(struct salua_iscsi *s)
{
	salua_iscsi_close(s);
	s->err[0] = '\0';
	return do_open(s);
}

const char *salua_iscsi_error(const struct salua_iscsi *s)
{
	return s->err;
}

/* ---- the session as a struct salua_transport ----------------------- */

static void xport_unused_done(struct salua_iscsi *s, void *arg,
			      const struct salua_iscsi_resp *r)
{
	(void)s;
	(void)arg;
	(void)r;
}

static int xport_submit(void *t, const struct salua_xport_cmd *cmd,
			salua_xport_done_fn done, void *arg)
{
	struct salua_iscsi *s = (struct salua_iscsi *)t;
	struct salua_iscsi_req rq;
	unsigned i;
	int rc;

	if (!cmd || !done)
		return -EINVAL;
	if (s->state == SALUA_ISCSI_FAILED &&
	    salua_iscsi_now_ms() - s->last_reopen_ms >= SALUA_ISCSI_RECONNECT_MS) {
		char first[SALUA_ISCSI_ERR_MAX];

		/* Keep why the session ended in front of why it stays down. */
		snprintf(first, sizeof(first), "%s", s->err);
		if (strstr(first, "; reconnecting: "))
			*strstr(first, "; reconnecting: ") = '\0';
		s->last_reopen_ms = salua_iscsi_now_ms();
		if (salua_iscsi_reopen(s) < 0 && first[0] &&
		    !strstr(s->err, first)) {
			char now[SALUA_ISCSI_ERR_MAX];

			snprintf(now, sizeof(now), "%s", s->err);
			set_err(s, "%.150s; reconnecting: %.100s", first, now);
		}
	}
	memset(&rq, 0, sizeof(rq));
	rq.cdb = cmd->cdb;
	rq.cdb_len = cmd->cdb_len;
	rq.dir = cmd->dir == SALUA_XPORT_IN    ? SALUA_ISCSI_IN
		 : cmd->dir == SALUA_XPORT_OUT ? SALUA_ISCSI_OUT
					       : SALUA_ISCSI_NONE;
	rq.data = cmd->data;
	rq.data_len = cmd->data_len;
	rq.timeout_ms = cmd->timeout_ms;
	rc = salua_iscsi_submit(s, &rq, 0, xport_unused_done, NULL);
	if (rc < 0)
		return rc;
	/* The slot just taken is the busy one without a completion owner. */
	for (i = 0; i < SALUA_ISCSI_MAX_INFLIGHT; i++) {
		struct salua_iscsi_slot *sl = &s->slots[i];

		if (sl->busy && sl->done == xport_unused_done && !sl->xdone) {
			sl->xdone = done;
			sl->xarg = arg;
			break;
		}
	}
	return 0;
}

static int xport_fd(void *t)
{
	return salua_iscsi_fd((const struct salua_iscsi *)t);
}

static short xport_events(void *t)
{
	return salua_iscsi_events((const struct salua_iscsi *)t);
}

/* On the caller's clock, which the loop gives us only as "now". */
static uint64_t xport_deadline(void *t)
{
	const struct salua_iscsi *s = (const struct salua_iscsi *)t;
	int ms = salua_iscsi_timeout_ms(s, salua_iscsi_now_ms());
	struct timespec ts;

	if (ms < 0)
		return UINT64_MAX;
	/* The loop's real clock is CLOCK_MONOTONIC in microseconds too. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u +
	       (uint64_t)ms * 1000u;
}

static void xport_service(void *t, short revents)
{
	(void)salua_iscsi_service((struct salua_iscsi *)t, revents);
}

static unsigned xport_inflight(void *t)
{
	return salua_iscsi_inflight((const struct salua_iscsi *)t);
}

static size_t xport_describe(void *t, int32_t native, char *buf, size_t cap)
{
	const struct salua_iscsi *s = (const struct salua_iscsi *)t;
	int n;

	if (!cap)
		return 0;
	if (native == -1)
		n = snprintf(buf, cap, "%s", s->err[0] ? s->err : "session failed");
	else
		n = snprintf(buf, cap, "libiscsi %s%s%s",
			     salua_iscsi_status_name(native),
			     s->err[0] ? "; " : "", s->err);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static const char *xport_error(void *t)
{
	return salua_iscsi_error((const struct salua_iscsi *)t);
}

static void xport_close(void *t)
{
	salua_iscsi_close((struct salua_iscsi *)t);
}

const struct salua_transport_ops salua_iscsi_ops = {
	.name = "iscsi",
	.submit = xport_submit,
	.fd = xport_fd,
	.events = xport_events,
	.deadline_us = xport_deadline,
	.service = xport_service,
	.inflight = xport_inflight,
	.describe = xport_describe,
	.error = xport_error,
	.close = xport_close,
};

void salua_iscsi_transport(struct salua_iscsi *s, struct salua_transport *t)
{
	t->ops = &salua_iscsi_ops;
	t->ctx = s;
}
