/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - inspect SCSI ALUA data with the salua library.
 *
 * main() parses the command line (cli.c, from the table in cli_table.c)
 * and runs one subcommand, each in its own file: cmd_decode.c,
 * cmd_probe.c, cmd_watch.c, cmd_set_state.c, cmd_io.c.  Device access (SG_IO,
 * iSCSI, the simulator) lives in dev*.c.
 */
#include "cli.h"
#include "probe.h"

int main(int argc, char **argv)
{
	struct probe_cli cli;
	char msg[256];
	int rc;

	rc = probe_cli_parse(argc, argv, &cli, msg, sizeof(msg));
	probe_jstyle = cli.jstyle;
	probe_out_init(cli.json, cli.watch,
		       cli.mode ? probe_cli_mode_name(cli.mode) : NULL);
	if (rc == PROBE_EXIT_USAGE) {
		rc = probe_usage_error("%s", msg);
	} else if (rc != PROBE_EXIT_OK) {
		rc = probe_fail(rc, "enomem", "%s", msg);
	} else if (cli.help) {
		probe_cli_help(stdout);
		rc = probe_flush_stdout(PROBE_EXIT_OK);
	} else if (cli.version) {
		printf("alua_probe (salua) %s\n", probe_cli_version());
		rc = probe_flush_stdout(PROBE_EXIT_OK);
	} else {
		switch (cli.mode) {
		case PROBE_M_DECODE:
			rc = probe_cmd_decode(&cli);
			break;
		case PROBE_M_WATCH:
			rc = probe_cmd_watch(&cli);
			break;
		case PROBE_M_SET_STATE:
			rc = probe_cmd_set_state(&cli);
			break;
		case PROBE_M_IO:
			rc = probe_cmd_io(&cli);
			break;
		default:
			rc = probe_cmd_probe(&cli);
			break;
		}
	}
	probe_cli_free(&cli);
	return rc;
}
