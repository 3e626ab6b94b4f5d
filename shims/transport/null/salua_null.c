/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_null.c - the null transport (see salua_null.h): the template for
 * a new transport.  Each op below says what a real transport does there.
 */
#include "salua_null.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * submit: validate the command, take a copy of the CDB, start it and
 * return 0; or return -errno and never call @done.  A synchronous
 * transport (SG_IO) runs the command here and calls @done before
 * returning; an asynchronous one (libiscsi) queues it and calls @done
 * later from service().  @cmd->data must not be touched after @done.
 */
static int null_submit(void *t, const struct salua_xport_cmd *cmd,
		       salua_xport_done_fn done, void *arg)
{
	struct salua_null *n = (struct salua_null *)t;
	struct salua_xport_result r;

	if (!cmd || !done || !cmd->cdb || cmd->cdb_len < 6 ||
	    cmd->cdb_len > 16)
		return -EINVAL;
	if (n->closed)
		return -ENOTCONN;
	n->submitted++;
	memset(&r, 0, sizeof(r));
	r.xfer = SALUA_XFER_TRANSPORT;    /* no SCSI status came back */
	r.resid = cmd->data_len;          /* nothing was transferred */
	r.native = SALUA_NULL_NATIVE;     /* this transport's own code */
	done(arg, &r);
	return 0;
}

/*
 * fd / events / deadline_us / service: an asynchronous transport exposes
 * its socket and the poll events it waits for, the time its next command
 * timeout expires, and a service() that reads answers and completes
 * commands.  The null transport completes everything inside submit, so
 * it needs none of them (the ops stay NULL).
 */

/* inflight: commands accepted and not completed; always 0 here. */
static unsigned null_inflight(void *t)
{
	(void)t;
	return 0;
}

/*
 * describe: text for this transport's @native codes: SG_IO names its
 * DID_* / DRIVER_* status, libiscsi its task status.
 */
static size_t null_describe(void *t, int32_t native, char *buf, size_t cap)
{
	int k;

	(void)t;
	if (!cap)
		return 0;
	k = snprintf(buf, cap, "%s",
		     native == SALUA_NULL_NATIVE ? "null transport: no device"
						 : "?");
	return k < 0 ? 0 : (size_t)k < cap ? (size_t)k : cap - 1;
}

/*
 * close: complete every command in flight with SALUA_XFER_TRANSPORT, then
 * release the path (socket, fd); no completion may come afterwards.
 */
static void null_close(void *t)
{
	((struct salua_null *)t)->closed = true;
}

const struct salua_transport_ops salua_null_ops = {
	.name = "null",
	.submit = null_submit,
	.inflight = null_inflight,
	.describe = null_describe,
	.close = null_close,
};

int salua_null_open(struct salua_null *n, struct salua_transport *t)
{
	memset(n, 0, sizeof(*n));
	t->ops = &salua_null_ops;
	t->ctx = n;
	return 0;
}
