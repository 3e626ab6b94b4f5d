/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - inspect SCSI ALUA data with the salua library.
 *
 *   alua_probe decode --type TYPE [--inhex FILE | --raw FILE] [--json]
 *   alua_probe [--json] [--hex] [-v] [--watch ...] [--set-state ...] [DEVICE...]
 *
 * Subcommands are dispatched from main(); device probing (SG_IO, the
 * simulator) lives in dev*.c.
 */
#include "probe.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
	"inquiry", "vpd83", "rtpg", "stpg", "sense"
};

const char *probe_type_name(enum probe_type t)
{
	return type_names[t];
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: alua_probe decode --type TYPE [--inhex FILE | --raw FILE] [--json]\n"
		"       alua_probe [--json] [--hex] [-v] [DEVICE...]\n"
		"       alua_probe --set-state STATE --device DEV [--json] [-v]\n"
		"       alua_probe --watch [--interval S] [--duration S] [--speed N] [DEVICE...]\n"
		"       alua_probe --help | --version\n"
		"\n"
		"Decode SCSI ALUA data offline, or probe devices, with the salua library.\n"
		"\n"
		"DEVICE is /dev/sgN, /dev/sdX, or sim:[KEY=VALUE,...] (the built-in\n"
		"simulated array: luns, ports, groups, explicit, itt, transition,\n"
		"scenario=failover|failback|long-transition|flap|lu-group-move,\n"
		"delay=S before the scenario starts; default 2s with --watch).  With no\n"
		"DEVICE every SCSI device in /sys/class/scsi_device is probed.  Paths are\n"
		"grouped into logical units by LU name (VPD 0x83); each LU shows its\n"
		"paths' ports, groups, states and the path each selector policy picks.\n"
		"\n"
		"  -j, --json         one JSON object (--watch: one per line, per change)\n"
		"  -H, --hex          also show the raw INQUIRY, VPD 0x83 and RTPG bytes\n"
		"  -v, --verbose      show every CDB, data-out and sense on stderr\n"
		"      --set-state STATE --device DEV\n"
		"                     SET TARGET PORT GROUPS for DEV's own group (STATE:\n"
		"                     ao, ano, standby, unavailable, offline), then show it\n"
		"  -w, --watch        run the engine, poll each path with TEST UNIT READY and\n"
		"                     print every state change with a timestamp\n"
		"      --interval S   polling interval in seconds (default 1)\n"
		"      --duration S   stop after S seconds (simulated seconds for sim:)\n"
		"      --speed N      run simulated time N times faster (default 1)\n"
		"\n"
		"decode options:\n"
		"  -t, --type TYPE    inquiry (standard INQUIRY data), vpd83 (Device\n"
		"                     Identification VPD page), rtpg (REPORT TARGET PORT\n"
		"                     GROUPS data), stpg (SET TARGET PORT GROUPS parameter\n"
		"                     list) or sense (fixed or descriptor sense data)\n"
		"  -I, --inhex FILE   read hex bytes, as sg3_utils' --inhex (default: stdin)\n"
		"      --hex FILE     same as --inhex\n"
		"  -r, --raw FILE     read binary bytes\n"
		"  -j, --json         print one JSON object instead of text\n"
		"  -h, --help         print this help and exit\n"
		"  -V, --version      print the version and exit\n"
		"\n"
		"FILE may be - for standard input.  Input is limited to %u bytes.\n"
		"\n"
		"Exit status:\n"
		"  0  the data decoded (a truncated RTPG response with complete groups\n"
		"     counts as decoded; it is flagged as truncated)\n"
		"  1  the data are malformed or too short (bad hex, too large, or\n"
		"     rejected by the decoder)\n"
		"  2  usage error\n"
		"  3  I/O error (file cannot be opened or read; SG_IO failed)\n"
		"  4  no SCSI device found, or DEVICE is not a SCSI device\n"
		"  5  the target refused SET TARGET PORT GROUPS (not supported)\n",
		PROBE_MAX_INPUT);
}

/* Prints "alua_probe: MSG 'ARG' NOTE" (ARG, NOTE optional); returns 2. */
static int usage_error(const char *msg, const char *arg, const char *note)
{
	fprintf(stderr, "alua_probe: %s", msg);
	if (arg)
		fprintf(stderr, " '%s'", arg);
	if (note)
		fprintf(stderr, " %s", note);
	fputs("\nTry 'alua_probe --help' for more information.\n", stderr);
	return PROBE_EXIT_USAGE;
}

static bool parse_type(const char *s, enum probe_type *t)
{
	unsigned i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		if (strcmp(s, type_names[i]) == 0) {
			*t = (enum probe_type)i;
			return true;
		}
	}
	return false;
}

/*
 * Matches "--name VALUE", "--name=VALUE" and, when @shrt is set, "-x VALUE"
 * and "-xVALUE".  Returns 1 with *val set, 0 when @argv[*i] is another
 * option, -1 when the value is missing.
 */
static int opt_value(char **argv, int argc, int *i, const char *name,
		     char shrt, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, "--", 2) == 0 && strncmp(a + 2, name, n) == 0) {
		if (a[2 + n] == '=') {
			*val = a + 3 + n;
			return 1;
		}
		if (a[2 + n] != '\0')
			return 0;
	} else if (shrt && a[0] == '-' && a[1] == shrt) {
		if (a[2] != '\0') {
			*val = a + 2;
			return 1;
		}
	} else {
		return 0;
	}
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

static int cmd_decode(int argc, char **argv)
{
	const char *type = NULL, *path = NULL, *val;
	bool json = false, hex = true, have_input = false;
	struct probe_err err = { NULL, "", -1 };
	enum probe_type t = PROBE_T_INQUIRY;
	uint8_t *buf = NULL;
	size_t len = 0;
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--json") == 0 || strcmp(a, "-j") == 0) {
			json = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return PROBE_EXIT_OK;
		} else if ((rc = opt_value(argv, argc, &i, "type", 't',
					   &val)) != 0) {
			if (rc < 0)
				return usage_error("option", a,
						   "needs a value");
			if (type)
				return usage_error("--type given twice", NULL, NULL);
			type = val;
		} else if ((rc = opt_value(argv, argc, &i, "inhex", 'I',
					   &val)) != 0 ||
			   (rc = opt_value(argv, argc, &i, "hex", 0, &val)) !=
				   0 ||
			   (rc = opt_value(argv, argc, &i, "raw", 'r', &val)) !=
				   0) {
			if (rc < 0)
				return usage_error("option", a,
						   "needs a value");
			if (have_input)
				return usage_error(
					"only one of --inhex, --hex, --raw may be given",
					NULL, NULL);
			have_input = true;
			hex = strncmp(a, "--raw", 5) != 0 &&
			      strncmp(a, "-r", 2) != 0;
			path = val;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option", a, NULL);
		} else {
			return usage_error("unexpected argument", a, NULL);
		}
	}
	if (!type)
		return usage_error("decode needs --type TYPE", NULL, NULL);
	if (!parse_type(type, &t))
		return usage_error("unknown type", type,
				   "(inquiry, vpd83, rtpg, stpg, sense)");
	if (!path)
		path = "-";
	if (*path == '\0')
		return usage_error("empty file name", NULL, NULL);

	rc = probe_read_input(path, hex, &buf, &len, &err);
	if (rc != PROBE_EXIT_OK) {
		fprintf(stderr, "alua_probe: %s\n", err.message);
		if (json)
			probe_json(t, NULL, 0, &err, stdout);
		return rc;
	}
	if (json)
		rc = probe_json(t, buf, len, NULL, stdout);
	else
		rc = probe_plain(t, buf, len, stdout);
	free(buf);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "alua_probe: write error on standard output\n");
		return PROBE_EXIT_IO;
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "decode") == 0)
		return cmd_decode(argc - 1, argv + 1);
	if (argc < 2)
		return probe_devices_main(argc, argv);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return PROBE_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("alua_probe (salua) %s\n", SALUA_VERSION_STRING);
		return PROBE_EXIT_OK;
	}
	return probe_devices_main(argc, argv);
}
