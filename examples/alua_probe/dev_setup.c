/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - what the device subcommands (probe, watch, set-state)
 * share: turning the DEVICE operands into identified, grouped and probed
 * paths, the end-of-run check, and small helpers.
 */
#include "cli.h"
#include "dev.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The sysfs mount point: SALUA_SYSFS (tests use a fake tree), or /sys. */
const char *pd_sysfs(void)
{
	const char *s = getenv("SALUA_SYSFS");

	return s && *s ? s : "/sys";
}

void pd_sleep_ms(uint64_t ms)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ms / 1000u);
	ts.tv_nsec = (long)(ms % 1000u) * 1000000L;
	nanosleep(&ts, NULL);
}

struct pd_path *pd_find_path(struct pd_ctx *c, const char *dev)
{
	unsigned i;

	for (i = 0; i < c->npaths; i++) {
		struct pd_path *p = &c->paths[i];
		char blk[48];

		snprintf(blk, sizeof(blk), "/dev/%s", p->blk);
		if (strcmp(p->dev, dev) == 0 ||
		    (p->blk[0] && strcmp(blk, dev) == 0))
			return p;
	}
	return NULL;
}

/* Forget what the engine said about @lu's paths before probing again. */
void pd_reset_view(struct pd_ctx *c, struct pd_lu *lu)
{
	unsigned i;

	for (i = 0; i < lu->n; i++) {
		struct pd_path *p = &c->paths[lu->paths[i]];

		p->known = false;
		p->rtpg_ok = false;
		p->err[0] = '\0';
	}
}

bool pd_lu_transitioning(struct pd_ctx *c, const struct pd_lu *lu)
{
	unsigned i;

	for (i = 0; i < lu->n; i++) {
		const struct pd_path *p = &c->paths[lu->paths[i]];

		if (p->known && p->state == SALUA_STATE_TRANSITIONING)
			return true;
	}
	return false;
}

/* One DEVICE operand; a device-mapper map adds its member paths. */
static int add(struct pd_ctx *c, const char *dev)
{
	struct probe_err err;
	char **m;
	unsigned n, i;
	int rc;

	memset(&err, 0, sizeof(err));
	err.offset = -1; /* no byte offset in a device error */
	rc = pd_dm_expand(dev, &m, &n, &err);
	if (rc == PROBE_EXIT_OK && n == 0)
		rc = pd_add_device(c, dev, &err);
	if (n && c->verbose) {
		fprintf(stderr, "alua_probe: %s: members", dev);
		for (i = 0; i < n; i++)
			fprintf(stderr, " %s", m[i]);
		fputc('\n', stderr);
	}
	for (i = 0; i < n && rc == PROBE_EXIT_OK; i++) {
		if (!pd_find_path(c, m[i]))
			rc = pd_add_device(c, m[i], &err);
	}
	pd_dm_free(m, n);
	if (rc != PROBE_EXIT_OK)
		return probe_fail_err(rc, &err);
	return PROBE_EXIT_OK;
}

static int setup(struct pd_ctx *c, const struct probe_cli *cli)
{
	struct probe_err err;
	unsigned l;
	int rc;

	memset(c, 0, sizeof(*c));
	memset(&err, 0, sizeof(err));
	err.offset = -1; /* no byte offset in a device error */
	c->json = cli->json;
	c->hex = cli->hex;
	c->verbose = cli->verbose;
	/* Watched or loaded, a sim's scenario starts after 2 s. */
	c->watch = cli->mode == PROBE_M_WATCH || cli->mode == PROBE_M_IO;
	c->io = cli->mode == PROBE_M_IO;
	c->timeout_ms = (uint32_t)cli->timeout_ms;
	if (cli->device && pd_is_dm(cli->device))
		return probe_usage_error(
			"--device %s: a device-mapper map; name one of its paths (alua_probe %s lists them)",
			cli->device, cli->device);
	for (l = 0; l < cli->noperands; l++) {
		rc = add(c, cli->operands[l]);
		if (rc != PROBE_EXIT_OK)
			return rc;
	}
	/* --device alone: probe everything so the whole LU is shown. */
	if (cli->device && cli->noperands == 0 &&
	    strncmp(cli->device, "sim", 3) == 0) {
		rc = add(c, cli->device);
		if (rc != PROBE_EXIT_OK)
			return rc;
	} else if (cli->noperands == 0) {
		rc = pd_add_all(c, &err);
		if (rc != PROBE_EXIT_OK && !(rc == PROBE_EXIT_NODEV && cli->device))
			return probe_fail_err(rc, &err);
	}
	if (cli->device && !pd_find_path(c, cli->device)) {
		rc = add(c, cli->device);
		if (rc != PROBE_EXIT_OK)
			return rc;
	}
	/* Probe and set-state look at simulated arrays without waiting;
	 * watch and io let their time run (at --speed). */
	rc = pd_start(c, (unsigned)cli->speed,
		      cli->mode == PROBE_M_PROBE || cli->mode == PROBE_M_SET_STATE,
		      &err);
	if (rc != PROBE_EXIT_OK)
		return probe_fail_err(rc, &err);
	for (l = 0; l < c->npaths; l++)
		pd_identify(c, &c->paths[l]);
	if (pd_group(c) != PROBE_EXIT_OK)
		return probe_fail(PROBE_EXIT_IO, "enomem", "out of memory");
	for (l = 0; l < c->nlus; l++)
		pd_probe_lu(c, &c->lus[l]);
	return PROBE_EXIT_OK;
}

/*
 * The DEVICE operands (or every SCSI device) as identified, grouped and
 * probed paths in @c.  On failure the error is reported and @c is freed.
 */
int pd_setup(struct pd_ctx *c, const struct probe_cli *cli)
{
	int rc = setup(c, cli);

	if (rc != PROBE_EXIT_OK)
		pd_free(c);
	return rc;
}

const struct pd_path *pd_unidentified(const struct pd_ctx *c)
{
	unsigned l;

	for (l = 0; l < c->npaths; l++)
		if (!c->paths[l].inq_ok && c->paths[l].err[0])
			return &c->paths[l];
	return NULL;
}

void pd_path_error(const struct pd_path *p, struct probe_err *e)
{
	e->code = p->timed_out ? "etimedout" : "eio";
	e->offset = -1;
	snprintf(e->message, sizeof(e->message), "%s", p->err);
}

/*
 * End of a device run: a path that could not even be identified makes it
 * an I/O error (exit 3), said on stderr, and as a JSON error object unless
 * @reported (the JSON report already carries it).  Frees @c.
 */
int pd_finish(struct pd_ctx *c, int rc, bool reported)
{
	const struct pd_path *p = pd_unidentified(c);
	struct probe_err e;

	if (rc == PROBE_EXIT_OK && p) {
		pd_path_error(p, &e);
		if (reported)
			fprintf(stderr, "alua_probe: %s\n", e.message);
		else
			probe_fail_err(PROBE_EXIT_IO, &e);
		rc = PROBE_EXIT_IO;
	}
	rc = probe_flush_stdout(rc);
	pd_free(c);
	return rc;
}

/* The report, text or JSON (with a failed path as its error), then the
 * end of the run; frees @c.  probe and a successful set-state end so. */
int pd_report_and_finish(struct pd_ctx *c)
{
	const struct pd_path *bad = pd_unidentified(c);
	struct probe_err e;

	if (bad)
		pd_path_error(bad, &e);
	if (c->json)
		pd_report_json(c, stdout, bad ? &e : NULL);
	else
		pd_report_text(c, stdout);
	return pd_finish(c, PROBE_EXIT_OK, c->json);
}
