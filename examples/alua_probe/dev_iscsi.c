/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - iscsi:// devices: one iSCSI session (shims/transport/iscsi) per
 * URL, one path each.  Several portals of one target give several paths
 * that pd_group() joins into one LU by the LU name from VPD 0x83.
 *
 * The shim is asynchronous; alua_probe's engine runs with synchronous
 * completions, so a command here is submitted and the session is polled
 * until its completion arrives or the command timeout ends the session.
 */
#include "dev.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#ifdef SALUA_PROBE_ISCSI
#include "salua_iscsi.h"

static void copy_trunc(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = cap - 1u;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * Connect + login bound, and the cap of every command's timeout: --timeout,
 * else SALUA_ISCSI_TIMEOUT_MS, else 10 s.  False for a bad variable.
 */
static bool session_timeout_ms(uint32_t timeout_ms, uint32_t *out,
			       struct probe_err *err)
{
	const char *v = getenv("SALUA_ISCSI_TIMEOUT_MS");
	char why[96];
	uint64_t n = 10000u;

	if (!timeout_ms && v &&
	    !probe_parse_u64(v, 100u, 600000u, &n, why, sizeof(why))) {
		err->code = "eusage";
		snprintf(err->message, sizeof(err->message),
			 "SALUA_ISCSI_TIMEOUT_MS '%.32s': %s", v, why);
		return false;
	}
	*out = timeout_ms ? timeout_ms : (uint32_t)n;
	return true;
}

int pd_iscsi_open(struct pd_path *p, const char *url, uint32_t timeout_ms,
		  struct probe_err *err)
{
	struct salua_iscsi *s;
	uint32_t tmo;
	int rc;

	if (!session_timeout_ms(timeout_ms, &tmo, err))
		return PROBE_EXIT_USAGE;

	/* A write to a reset connection must be an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	s = (struct salua_iscsi *)calloc(1, sizeof(*s));
	if (!s) {
		err->code = "enomem";
		snprintf(err->message, sizeof(err->message), "out of memory");
		return PROBE_EXIT_IO;
	}
	rc = salua_iscsi_open(s, url, getenv("SALUA_ISCSI_INITIATOR"),
			      tmo);
	if (rc < 0) {
		err->code = rc == -EINVAL ? "einval" :
			    rc == -ETIMEDOUT ? "etimedout" : "eio";
		copy_trunc(err->message, sizeof(err->message),
			   salua_iscsi_error(s));
		free(s);
		return rc == -EINVAL ? PROBE_EXIT_USAGE : PROBE_EXIT_IO;
	}
	p->isc = s;
	copy_trunc(p->dev, sizeof(p->dev), s->url);
	copy_trunc(p->hctl, sizeof(p->hctl), s->portal);
	p->lun = (unsigned)s->lun;
	return PROBE_EXIT_OK;
}

int pd_iscsi_exec(struct pd_path *p, const uint8_t *cdb, size_t cdb_len,
		  enum salua_sgio_dir dir, void *buf, uint32_t len,
		  uint32_t timeout_ms, struct pd_res *r)
{
	struct salua_iscsi_req rq;
	struct salua_iscsi_resp rs;
	int rc;

	if (!p->isc)
		return -ENOTCONN;
	memset(&rq, 0, sizeof(rq));
	rq.cdb = cdb;
	rq.cdb_len = cdb_len;
	rq.dir = dir == SALUA_SGIO_IN ? SALUA_ISCSI_IN :
		 dir == SALUA_SGIO_OUT ? SALUA_ISCSI_OUT : SALUA_ISCSI_NONE;
	rq.data = buf;
	rq.data_len = dir == SALUA_SGIO_NONE ? 0 : len;
	rq.timeout_ms = timeout_ms > p->isc->timeout_ms ? p->isc->timeout_ms :
							    timeout_ms;
	rc = salua_iscsi_exec(p->isc, &rq, &rs);
	if (rc < 0) {
		copy_trunc(p->err, sizeof(p->err),
			   salua_iscsi_error(p->isc)[0] ?
				   salua_iscsi_error(p->isc) :
				   "iSCSI session not ready");
		return rc;
	}
	r->xfer = rs.xfer;
	r->status = rs.status;
	r->sense_len = rs.sense_len < sizeof(r->sense) ? rs.sense_len :
							  sizeof(r->sense);
	memcpy(r->sense, rs.sense, r->sense_len);
	r->data_len = rs.data_len;
	/* Linux host byte names for the report: DID_NO_CONNECT, DID_TIME_OUT. */
	if (rs.xfer != SALUA_XFER_OK) {
		r->host_status = rs.xfer == SALUA_XFER_TIMEOUT ? 3u : 1u;
		copy_trunc(p->err, sizeof(p->err), salua_iscsi_error(p->isc));
	}
	return 0;
}

bool pd_iscsi_failed(const struct pd_path *p)
{
	return p->isc && p->isc->state != SALUA_ISCSI_READY;
}

void pd_iscsi_close(struct pd_path *p)
{
	if (!p->isc)
		return;
	salua_iscsi_close(p->isc);
	free(p->isc);
	p->isc = NULL;
}

#else /* !SALUA_PROBE_ISCSI */

int pd_iscsi_open(struct pd_path *p, const char *url, uint32_t timeout_ms,
		  struct probe_err *err)
{
	(void)p;
	(void)timeout_ms;
	err->code = "enotsup";
	snprintf(err->message, sizeof(err->message),
		 "%s: this alua_probe was built without libiscsi (install libiscsi-dev and rebuild)",
		 url);
	return PROBE_EXIT_USAGE;
}

int pd_iscsi_exec(struct pd_path *p, const uint8_t *cdb, size_t cdb_len,
		  enum salua_sgio_dir dir, void *buf, uint32_t len,
		  uint32_t timeout_ms, struct pd_res *r)
{
	(void)p; (void)cdb; (void)cdb_len; (void)dir; (void)buf; (void)len;
	(void)timeout_ms; (void)r;
	return -ENOTCONN;
}

bool pd_iscsi_failed(const struct pd_path *p)
{
	(void)p;
	return false;
}

void pd_iscsi_close(struct pd_path *p)
{
	(void)p;
}

#endif
