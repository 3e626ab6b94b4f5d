/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - iscsi:// devices: one iSCSI session (shims/transport/iscsi) per
 * URL, one path each.  Several portals of one target give several paths
 * that pd_group() joins into one LU by the LU name from VPD 0x83.
 *
 * The session is a struct salua_transport (salua_iscsi_ops): commands
 * complete asynchronously, from alua_probe's loop (dev.c pd_exec(), the
 * LU's engine and I/O).
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
