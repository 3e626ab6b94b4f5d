/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_iscsi.h - an iSCSI transport for salua over libiscsi.
 *
 * One struct salua_iscsi is one iSCSI session (one connection) to one
 * logical unit, i.e. one path: an I_T_L nexus through the target portal in
 * the URL.  Several portals of one target are several paths to one LU;
 * group them by the LU name from VPD page 0x83 as for SCSI devices.
 *
 * URLs are parsed by libiscsi itself (iscsi_parse_full_url()), exactly as
 * its own tools take them:
 *
 *   iscsi://[user[%password]@]host[:port]/target-iqn/lun
 *
 * Commands are asynchronous: salua_iscsi_submit() queues a CDB and returns;
 * the completion callback runs later, from salua_iscsi_service() (or the
 * salua_iscsi_poll() helper), which is driven by the caller's poll loop
 * through salua_iscsi_fd() / salua_iscsi_events() /
 * salua_iscsi_timeout_ms().  This is the "completion after submit()"
 * model of the salua engine (engine.h).  salua_iscsi_exec() is the
 * synchronous convenience built on the same path.
 *
 * What the target sent is passed through unchanged: the SCSI status, the
 * raw sense bytes (libiscsi keeps them in the data-in buffer behind a
 * 2-byte SenseLength; its own parsed struct scsi_sense is not used, since
 * 1.19's descriptor parser mis-strides) and the residual.
 *
 * Failures: a lost connection, a target that stops answering within the
 * command timeout, or a login that does not finish within the timeout end
 * the session: every command in flight completes with SALUA_XFER_TRANSPORT
 * or SALUA_XFER_TIMEOUT, salua_iscsi_error() says why, and the object
 * accepts no more commands until salua_iscsi_reopen().  libiscsi's
 * automatic reconnect is turned off: reconnecting is the caller's choice.
 *
 * User space (POSIX poll), not part of the freestanding core.
 */
#ifndef SALUA_ISCSI_H
#define SALUA_ISCSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "salua/salua.h"
#include "salua_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SALUA_ISCSI_ERR_MAX 256u
#define SALUA_ISCSI_SENSE_MAX 252u   /* SPC: at most 252 sense bytes */
#define SALUA_ISCSI_MAX_INFLIGHT 64u
#define SALUA_ISCSI_RECONNECT_MS 1000u /* transport: reopen at most this often */
#define SALUA_ISCSI_DEFAULT_TIMEOUT_MS 10000u
#define SALUA_ISCSI_INITIATOR "iqn.2026-11.org.salua:initiator"

struct iscsi_context;
struct scsi_task;
struct salua_iscsi;

/* Data direction of a command. */
enum salua_iscsi_dir {
	SALUA_ISCSI_NONE = 0,
	SALUA_ISCSI_IN = 1,  /* target to initiator (INQUIRY, RTPG) */
	SALUA_ISCSI_OUT = 2  /* initiator to target (STPG parameter list) */
};

/* Session state. */
enum salua_iscsi_state {
	SALUA_ISCSI_CLOSED = 0,
	SALUA_ISCSI_READY = 1,   /* logged in, accepts commands */
	SALUA_ISCSI_FAILED = 2   /* lost; salua_iscsi_error() says why */
};

/**
 * struct salua_iscsi_req - one command.
 * @cdb: CDB bytes (6..16).
 * @cdb_len: their number.
 * @dir: enum salua_iscsi_dir.
 * @data: data-in buffer (written on completion) or data-out bytes; kept
 *	by pointer until the completion callback has run.
 * @data_len: its length (the allocation length for IN).
 * @timeout_ms: command timeout, 0 = the session's default.
 */
struct salua_iscsi_req {
	const uint8_t *cdb;
	size_t cdb_len;
	enum salua_iscsi_dir dir;
	void *data;
	uint32_t data_len;
	uint32_t timeout_ms;
};

/**
 * struct salua_iscsi_resp - how a command ended.
 * @xfer: enum salua_xfer (engine.h): OK when @status is valid, TIMEOUT
 *	when the target did not answer within the timeout, TRANSPORT when
 *	the connection was lost, refused or closed.
 * @status: SCSI status (SAM-6 §5.3.1), valid with SALUA_XFER_OK.
 * @lib_status: libiscsi's task status (SCSI status, or its
 *	SCSI_STATUS_ERROR / TIMEOUT / CANCELLED codes), -1 if none.
 * @sense: raw sense bytes as the target sent them.
 * @sense_len: their number (0 without sense).
 * @data_len: data-in bytes placed in the request's buffer.
 * @residual: the target's residual count (iSCSI SCSI Response).
 * @overflow: the residual is an overflow (the target had more data than
 *	the allocation length); otherwise an underflow or none.
 * @tag: the tag given to salua_iscsi_submit().
 */
struct salua_iscsi_resp {
	enum salua_xfer xfer;
	uint8_t status;
	int lib_status;
	uint8_t sense[SALUA_ISCSI_SENSE_MAX];
	size_t sense_len;
	uint32_t data_len;
	uint32_t residual;
	bool overflow;
	uint32_t tag;
};

typedef void (*salua_iscsi_done_fn)(struct salua_iscsi *s, void *arg,
				    const struct salua_iscsi_resp *r);

/* One command slot (internal). */
struct salua_iscsi_slot {
	struct salua_iscsi *owner;
	struct scsi_task *task;
	salua_iscsi_done_fn done;
	void *arg;
	uint8_t *din;
	uint32_t din_len;
	uint32_t tag;
	uint32_t timeout_ms;
	uint64_t deadline;
	bool busy;       /* the caller is waiting for this completion */
	bool completed;  /* @resp is final, delivery pending */
	struct salua_iscsi_resp resp;
	salua_xport_done_fn xdone; /* submitted through salua_iscsi_ops */
	void *xarg;
};

/**
 * struct salua_iscsi - one session to one LU (one path).
 * @ctx: libiscsi context, NULL when closed or failed.
 * @url: the URL without its password (for messages).
 * @portal: host:port from the URL.
 * @target: target IQN from the URL.
 * @lun: LUN from the URL.
 * @timeout_ms: default command and login timeout.
 * @state: enum salua_iscsi_state.
 * @err: last error, "" if none.
 * @slots: commands in flight.
 */
struct salua_iscsi {
	struct iscsi_context *ctx;
	char url[1024];
	char full_url[512];
	char portal[256];
	char target[256];
	char initiator[224];
	int lun;
	uint32_t timeout_ms;
	enum salua_iscsi_state state;
	bool closing;    /* libiscsi is being torn down by us */
	bool lost;       /* libiscsi reported the connection lost */
	char err[SALUA_ISCSI_ERR_MAX];
	uint64_t last_reopen_ms;
	struct salua_iscsi_slot slots[SALUA_ISCSI_MAX_INFLIGHT];
};

/*
 * salua_iscsi_ops - this session as a struct salua_transport (name
 * "iscsi"; ctx = the struct salua_iscsi).  Asynchronous: completions come
 * from service(), which the host's loop calls on fd activity and at the
 * nearest command deadline.  @native is libiscsi's task status (its
 * SCSI_STATUS_TIMEOUT / ERROR / CANCELLED codes), or -1 when the session
 * failed; describe() names it and adds the session's error text.  A
 * session that failed is reopened by the next submit (at most every
 * SALUA_ISCSI_RECONNECT_MS; the login blocks up to the session timeout),
 * so a path checker's TEST UNIT READY finds a target that came back.
 */
extern const struct salua_transport_ops salua_iscsi_ops;

/* Point @t at session @s. */
void salua_iscsi_transport(struct salua_iscsi *s, struct salua_transport *t);

/**
 * salua_iscsi_open() - parse @url, connect and log in (no TEST UNIT READY).
 * @s: session storage (overwritten).
 * @url: iscsi://[user[%password]@]host[:port]/target-iqn/lun
 * @initiator: initiator IQN, or NULL for SALUA_ISCSI_INITIATOR.
 * @timeout_ms: bound on the TCP connect plus login, and the default
 *	command timeout; 0 = SALUA_ISCSI_DEFAULT_TIMEOUT_MS.
 *
 * Logging in without libiscsi's post-login TEST UNIT READY makes a port
 * in ALUA standby (NOT READY 04/0B) reachable.  CHAP: user/password from
 * the URL (or LIBISCSI_CHAP_USERNAME / _PASSWORD, as libiscsi does).
 *
 * Return: 0; -EINVAL (bad URL), -ECONNREFUSED / -EHOSTUNREACH / -EIO
 * (connect or login failed), -ETIMEDOUT, -ENOMEM.  salua_iscsi_error()
 * has the text.
 */
int salua_iscsi_open(struct salua_iscsi *s, const char *url,
		     const char *initiator, uint32_t timeout_ms);

/**
 * salua_iscsi_reopen() - log in again with the URL of the last open.
 * @s: session (any state: commands in flight complete as TRANSPORT).
 *
 * Return: as salua_iscsi_open().
 */
int salua_iscsi_reopen(struct salua_iscsi *s);

/**
 * salua_iscsi_close() - end the session; commands in flight complete with
 * SALUA_XFER_TRANSPORT before this returns.  Safe on a zeroed or closed
 * struct.
 * @s: session.
 */
void salua_iscsi_close(struct salua_iscsi *s);

/**
 * salua_iscsi_submit() - queue one command.
 * @s: a READY session.
 * @rq: the command (the CDB is copied; see @data for data buffers).
 * @tag: returned in the response.
 * @done: completion callback, called exactly once from
 *	salua_iscsi_service() / salua_iscsi_poll() / salua_iscsi_close(),
 *	never from inside this call.
 * @arg: passed to @done.
 *
 * Return: 0 (queued), -EINVAL, -ENOTCONN (session not ready), -EBUSY
 * (SALUA_ISCSI_MAX_INFLIGHT in flight), -ENOMEM.
 */
int salua_iscsi_submit(struct salua_iscsi *s, const struct salua_iscsi_req *rq,
		       uint32_t tag, salua_iscsi_done_fn done, void *arg);

/* The socket to poll, or -1; events (POLLIN/POLLOUT) to poll it for. */
int salua_iscsi_fd(const struct salua_iscsi *s);
short salua_iscsi_events(const struct salua_iscsi *s);

/**
 * salua_iscsi_timeout_ms() - how long the caller may wait before calling
 * salua_iscsi_service() again, for the nearest command deadline.
 * @s: session.
 * @now_ms: salua_iscsi_now_ms().
 *
 * Return: milliseconds, or -1 when nothing is in flight.
 */
int salua_iscsi_timeout_ms(const struct salua_iscsi *s, uint64_t now_ms);

/**
 * salua_iscsi_service() - process socket events and expired deadlines.
 * @s: session.
 * @revents: poll() revents for salua_iscsi_fd(), 0 for a timer tick.
 *
 * Completion callbacks run from here.
 * Return: 0, or -ENOTCONN once the session has failed (the callbacks of
 * its commands have run).
 */
int salua_iscsi_service(struct salua_iscsi *s, short revents);

/**
 * salua_iscsi_poll() - one poll() round over several sessions.
 * @v: sessions (NULL entries and closed sessions are skipped).
 * @n: their number (at most 64).
 * @max_wait_ms: upper bound on the wait; -1 = until the nearest command
 *	deadline (or forever if nothing is in flight).
 *
 * Return: number of sessions serviced, or -errno from poll().
 */
int salua_iscsi_poll(struct salua_iscsi *const *v, size_t n, int max_wait_ms);

/**
 * salua_iscsi_exec() - submit one command and wait for it.
 * @s: session.
 * @rq: command.
 * @r: response.
 *
 * Return: 0 when @r is filled (look at @r->xfer), or a submit error.
 */
int salua_iscsi_exec(struct salua_iscsi *s, const struct salua_iscsi_req *rq,
		     struct salua_iscsi_resp *r);

/* Commands in flight. */
unsigned salua_iscsi_inflight(const struct salua_iscsi *s);

/* Last error text ("" if none). */
const char *salua_iscsi_error(const struct salua_iscsi *s);

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t salua_iscsi_now_ms(void);

/* libiscsi's name for the status (incl. its transport codes). */
const char *salua_iscsi_status_name(int lib_status);

#ifdef __cplusplus
}
#endif

#endif /* SALUA_ISCSI_H */
