/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_transport.h - the one interface every user-space transport
 * implements: send a CDB down one path (one I_T_L nexus), with data in or
 * out and a timeout, and report how it ended.
 *
 * A transport is a struct salua_transport: an ops table (what this kind of
 * transport can do) and a context (this path).  The host layer
 * (shims/host/salua_lu.h) routes the engine's own commands and every I/O
 * through it and never looks behind it.  Implementations:
 *
 *   shims/transport/sgio   SG_IO on /dev/sg* and /dev/sd*: completes
 *                          inside submit (synchronous)
 *   shims/transport/iscsi  libiscsi: completes later, from service()
 *   shims/transport/sim    the simulated array: completes later, at the
 *                          virtual or real time its link model says
 *   shims/transport/null   the template for a new transport
 *
 * Completion models.  A transport may call done() before submit() returns
 * (SG_IO blocks until the device answers) or later, from its service()
 * (an event loop calls it when the transport's fd is ready or its
 * deadline passes).  A caller must handle both; the host layer does.
 *
 * What comes back is what the path said, in its own terms: the SCSI status
 * and sense when the command was delivered, and otherwise xfer TRANSPORT
 * or TIMEOUT plus the transport's own result code (@native), which only
 * that transport's describe() interprets: SG_IO's host/driver status,
 * libiscsi's task status, the simulator's fault kind.  No transport
 * invents another one's codes.
 *
 * User space, C99; not part of the freestanding core.
 */
#ifndef SALUA_TRANSPORT_H
#define SALUA_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "salua/salua.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest sense a transport hands back (SPC: 252 bytes). */
#define SALUA_XPORT_SENSE_MAX 252u

/**
 * struct salua_clock - monotonic time for a transport that needs it (the
 *	simulator's link model) and for the host's timers.
 * @now_us: REQUIRED.  Microseconds on a monotonic scale that never goes
 *	back.  Context: any.  The host layer's loop supplies a real clock
 *	(CLOCK_MONOTONIC) or a fake one that tests and fuzzers advance.
 * @ctx: passed to @now_us.
 */
struct salua_clock {
	uint64_t (*now_us)(void *ctx);
	void *ctx;
};

/* Data direction of a command. */
enum salua_xport_dir {
	SALUA_XPORT_NONE = 0,
	SALUA_XPORT_IN = 1,  /* device to host: INQUIRY, RTPG, READ */
	SALUA_XPORT_OUT = 2  /* host to device: STPG list, WRITE */
};

/**
 * struct salua_xport_cmd - one command for one path.
 * @cdb: CDB bytes; copied by submit() (need not outlive the call).
 * @cdb_len: 6..16.
 * @dir: enum salua_xport_dir.
 * @data: data-in buffer (written up to @data_len) or data-out bytes; must
 *	stay valid until done() has run (a transport may send or fill it
 *	later).  NULL with SALUA_XPORT_NONE.
 * @data_len: the allocation / transfer length in bytes.
 * @timeout_ms: command timeout; 0 = the transport's default.  The
 *	transport enforces it and completes with SALUA_XFER_TIMEOUT.
 */
struct salua_xport_cmd {
	const uint8_t *cdb;
	uint8_t cdb_len;
	uint8_t dir;
	void *data;
	uint32_t data_len;
	uint32_t timeout_ms;
};

/**
 * struct salua_xport_result - how a command ended.
 * @xfer: enum salua_xfer (engine.h): SALUA_XFER_OK when @status is a SCSI
 *	status the device returned; SALUA_XFER_TIMEOUT when the timeout
 *	expired; SALUA_XFER_TRANSPORT when the path failed otherwise (no
 *	connection, host adapter error).
 * @status: SCSI status (SAM-6 §5.3.1), valid with SALUA_XFER_OK.
 * @sense: sense bytes as the device sent them, or NULL; valid only during
 *	done().
 * @sense_len: bytes at @sense (0 without sense).
 * @data_len: data bytes actually transferred (data-in: received, never
 *	more than the command's @data_len; data-out: sent).
 * @resid: the residual the transport reported (a length field to check
 *	against, not a trusted count).
 * @native: the transport's own result code, 0 when it has nothing to say;
 *	meaningful only to this transport's describe().
 */
struct salua_xport_result {
	enum salua_xfer xfer;
	uint8_t status;
	const uint8_t *sense;
	uint32_t sense_len;
	uint32_t data_len;
	uint32_t resid;
	int32_t native;
};

/**
 * typedef salua_xport_done_fn - completion callback.
 * @arg: the caller's argument from submit().
 * @r: the outcome; valid only during the call.
 *
 * Called exactly once per accepted command: from inside submit()
 * (synchronous transports), from service(), or from close().  It may
 * submit new commands to the same transport.
 */
typedef void (*salua_xport_done_fn)(void *arg,
				    const struct salua_xport_result *r);

/**
 * struct salua_transport_ops - one kind of transport, as libusb's backend
 *	ops: every member says whether it is required, in which context it
 *	runs and what it returns.  Fill with designated initializers.
 *
 * @name: REQUIRED.  Short name ("sgio", "iscsi", "sim", "null") for
 *	messages.
 *
 * @submit: REQUIRED.  Send @cmd on this path.  Context: the caller's
 *	thread (the host's event loop); may block for the command's duration
 *	(SG_IO) but should not block otherwise.  @done is called exactly once
 *	if and only if 0 is returned, possibly before submit() returns.
 *	Return: 0 accepted; -EINVAL (bad command), -EBUSY (the transport's
 *	queue is full: retry after a completion), -ENOTCONN (the path is
 *	down: treat as a transport failure of the path), other -errno.
 *
 * @fd: OPTIONAL.  A file descriptor to poll for this transport's
 *	completions, or -1 (none now).  Context: event loop.  Return: fd.
 *
 * @events: OPTIONAL (REQUIRED with @fd).  poll() events to wait for on
 *	@fd (POLLIN, POLLOUT).
 *
 * @deadline_us: OPTIONAL.  When service() must run next even without fd
 *	activity (a command timeout, a simulated completion), on the clock
 *	the transport was given; UINT64_MAX if nothing is pending.
 *
 * @service: OPTIONAL (REQUIRED with @fd or @deadline_us).  Process fd
 *	events (@revents from poll(), 0 for a timer tick) and expired
 *	deadlines; completions run from here.  Context: event loop.
 *
 * @inflight: OPTIONAL.  Commands accepted and not yet completed.
 *
 * @describe: OPTIONAL.  Text for a @native result code of this transport
 *	("DID_NO_CONNECT", "connection lost", "dropped by the simulator")
 *	into @buf (always NUL-terminated when @cap > 0).  Return: length.
 *
 * @error: OPTIONAL.  Text of the last error this path had (a refused
 *	submit, a lost session), "" if none; valid until the next call into
 *	the transport.
 *
 * @close: OPTIONAL.  Tear the path down: every command in flight
 *	completes with SALUA_XFER_TRANSPORT before close() returns; no
 *	completion comes after.  The transport's storage stays the caller's.
 */
struct salua_transport_ops {
	const char *name;
	int (*submit)(void *t, const struct salua_xport_cmd *cmd,
		      salua_xport_done_fn done, void *arg);
	int (*fd)(void *t);
	short (*events)(void *t);
	uint64_t (*deadline_us)(void *t);
	void (*service)(void *t, short revents);
	unsigned (*inflight)(void *t);
	size_t (*describe)(void *t, int32_t native, char *buf, size_t cap);
	const char *(*error)(void *t);
	void (*close)(void *t);
};

/**
 * struct salua_transport - one path's transport.
 * @ops: what this kind of transport does.
 * @ctx: this path (passed as @t to every op).
 */
struct salua_transport {
	const struct salua_transport_ops *ops;
	void *ctx;
};

/* Convenience wrappers; each checks that the optional op exists. */
static inline int salua_xport_submit(const struct salua_transport *t,
				     const struct salua_xport_cmd *cmd,
				     salua_xport_done_fn done, void *arg)
{
	return t->ops->submit(t->ctx, cmd, done, arg);
}

static inline int salua_xport_fd(const struct salua_transport *t)
{
	return t->ops->fd ? t->ops->fd(t->ctx) : -1;
}

static inline uint64_t salua_xport_deadline(const struct salua_transport *t)
{
	return t->ops->deadline_us ? t->ops->deadline_us(t->ctx) : UINT64_MAX;
}

static inline size_t salua_xport_describe(const struct salua_transport *t,
					  int32_t native, char *buf,
					  size_t cap)
{
	if (t->ops->describe)
		return t->ops->describe(t->ctx, native, buf, cap);
	if (cap)
		buf[0] = '\0';
	return 0;
}

static inline const char *salua_xport_error(const struct salua_transport *t)
{
	const char *e = t->ops->error ? t->ops->error(t->ctx) : NULL;

	return e ? e : "";
}

/**
 * salua_xport_text() - one line for a result: "GOOD", "CHECK CONDITION
 *	NOT READY 04/0b ...", "timeout (DID_TIME_OUT)".
 * @t: the transport that produced @r (for describe()).
 * @r: result.
 * @buf: output, always NUL-terminated when @cap > 0.
 * @cap: its capacity.
 *
 * Return: @buf.
 */
const char *salua_xport_text(const struct salua_transport *t,
			     const struct salua_xport_result *r, char *buf,
			     size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* SALUA_TRANSPORT_H */
