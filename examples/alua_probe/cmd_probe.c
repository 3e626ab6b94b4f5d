/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe [DEVICE...]: the ALUA picture of each logical unit, as text
 * or one JSON object.
 */
#include "cli.h"
#include "dev.h"

int probe_cmd_probe(const struct probe_cli *cli)
{
	struct pd_ctx c;
	struct probe_err e;
	const struct pd_path *bad;
	int rc;

	rc = pd_setup(&c, cli);
	if (rc != PROBE_EXIT_OK) {
		pd_free(&c);
		return rc;
	}
	bad = pd_unidentified(&c);
	if (bad)
		pd_path_error(bad, &e);
	if (c.json)
		pd_report_json(&c, stdout, bad ? &e : NULL);
	else
		pd_report_text(&c, stdout);
	return pd_finish(&c, PROBE_EXIT_OK, c.json);
}
