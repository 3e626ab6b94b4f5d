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
	int rc;

	rc = pd_setup(&c, cli);
	return rc != PROBE_EXIT_OK ? rc : pd_report_and_finish(&c);
}
