/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe --set-state STATE --device DEV: SET TARGET PORT GROUPS (SPC-5
 * §6.49) for DEV's own target port group, then the report showing it,
 * after waiting out a transition.
 */
#include "cli.h"
#include "dev.h"

#include <string.h>

#define STPG_TIMEOUT_MS 30000u
#define TRANSITION_WAIT_MS 30000u

static void json_refusal(const struct pd_path *p, uint8_t st,
			 const struct probe_err *e)
{
	struct jw w;

	jw_init(&w, stdout);
	jw_head(&w, "set-state", true, e);
	jw_key(&w, "device");
	jw_str(&w, p->dev);
	jw_key(&w, "tpg_id");
	jw_uint(&w, p->tpg);
	jw_key(&w, "state");
	jw_uint(&w, st);
	jw_obj_end(&w);
	jw_finish(&w);
}

static int set_state(struct pd_ctx *c, uint8_t st, const char *dev)
{
	struct pd_path *p = pd_find_path(c, dev);
	struct pd_lu *lu;
	struct salua_stpg_desc d;
	uint8_t param[SALUA_STPG_HDR_LEN + SALUA_STPG_DESC_LEN], cdb[12];
	struct probe_err e;
	struct pd_res r;
	char why[200];
	uint64_t waited;
	int plen, tries;

	if (!p)
		return probe_usage_error(
			"--device %s: not among the probed devices", dev);
	lu = &c->lus[p->lu];
	if (!p->have_tpg && p->err[0]) {
		/* the path did not answer: that, not the group, is the news */
		pd_path_error(p, &e);
		return probe_fail(PROBE_EXIT_IO, e.code, "%s (cannot send STPG)",
				  e.message);
	}
	if (!p->have_tpg)
		return probe_fail(PROBE_EXIT_REFUSED, "enoent",
				  "%s: target port group unknown (no TPG designator in VPD 0x83 and no RTPG answer): cannot send STPG",
				  p->dev);
	d.state = st;
	d.id = p->tpg;
	plen = salua_stpg_encode(param, sizeof(param), &d, 1);
	if (plen < 0 || salua_cdb_stpg(cdb, sizeof(cdb), (uint32_t)plen) < 0)
		return probe_fail(PROBE_EXIT_IO, "einval",
				  "cannot build SET TARGET PORT GROUPS");
	if (!c->json)
		printf("STPG %s: target port group 0x%04x -> %s\n", p->dev,
		       p->tpg, salua_state_name(st));
	/* A UNIT ATTENTION may be pending on the nexus: send again. */
	for (tries = 0; tries < 3; tries++) {
		struct salua_sense ss;

		if (pd_exec(c, p, cdb, 12, SALUA_XPORT_OUT, param,
			    (uint32_t)plen, STPG_TIMEOUT_MS, &r) < 0)
			return probe_fail(PROBE_EXIT_IO, "eio", "%s", p->err);
		if (r.xfer != SALUA_XFER_OK ||
		    r.status != SALUA_STATUS_CHECK_CONDITION)
			break;
		if (salua_sense_normalize(r.sense, r.sense_len, &ss) != 0 ||
		    ss.key != SALUA_SK_UNIT_ATTENTION)
			break;
	}
	if (r.xfer != SALUA_XFER_OK)
		return probe_fail(PROBE_EXIT_IO,
				  r.xfer == SALUA_XFER_TIMEOUT ? "etimedout" : "eio",
				  "%s: SET TARGET PORT GROUPS %s (%s)", p->dev,
				  r.xfer == SALUA_XFER_TIMEOUT ?
					  "timed out" :
					  "failed at transport level",
				  r.what);
	if (r.status != SALUA_STATUS_GOOD) {
		struct salua_sense s;
		bool notsup = false;

		pd_describe_sense(r.sense, r.sense_len, why, sizeof(why));
		if (salua_sense_normalize(r.sense, r.sense_len, &s) == 0 &&
		    s.key == SALUA_SK_ILLEGAL_REQUEST && s.has_asc &&
		    s.asc == 0x20u)
			notsup = true;
		if (notsup)
			fprintf(stderr,
				"alua_probe: %s: the target does not support SET TARGET PORT GROUPS (TPGS=%d, %s; %s)\n",
				p->dev, lu->tpgs, pd_tpgs_name(lu->tpgs), why);
		else
			fprintf(stderr,
				"alua_probe: %s: SET TARGET PORT GROUPS refused: status 0x%02x (%s)\n",
				p->dev, r.status, why);
		if (c->json) {
			e.code = notsup ? "enotsup" : "erefused";
			e.offset = -1;
			snprintf(e.message, sizeof(e.message), "%s", why);
			json_refusal(p, st, &e);
		}
		return PROBE_EXIT_REFUSED;
	}
	/* Show the new state; wait out a transition, within --timeout. */
	for (waited = 0;; waited += 100u) {
		pd_reset_view(c, lu);
		pd_probe_lu(c, lu);
		if (!pd_lu_transitioning(c, lu) ||
		    waited >= (c->timeout_ms ? c->timeout_ms : TRANSITION_WAIT_MS))
			break;
		/* 100 ms on the loop's clock (simulated arrays: at once). */
		salua_loop_run_until(c->loop,
				     salua_loop_now(c->loop) + 100000u);
	}
	return PROBE_EXIT_OK;
}

int probe_cmd_set_state(const struct probe_cli *cli)
{
	struct pd_ctx c;
	int rc;

	rc = pd_setup(&c, cli);
	if (rc != PROBE_EXIT_OK)
		return rc;
	rc = set_state(&c, (uint8_t)cli->set_state, cli->device);
	if (rc != PROBE_EXIT_OK) {
		pd_free(&c);
		return probe_flush_stdout(rc);
	}
	return pd_report_and_finish(&c);
}
