/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe decode: bytes captured earlier (sg3_utils' --inhex text or
 * binary) through the same decoders the library uses on a live device.
 */
#include "cli.h"
#include "probe.h"

#include <stdlib.h>

static const char *const type_names[] = {
	"inquiry", "vpd83", "rtpg", "stpg", "sense", "referrals"
};

const char *probe_type_name(enum probe_type t)
{
	return type_names[t];
}

int probe_cmd_decode(const struct probe_cli *cli)
{
	struct probe_err err = { NULL, "", -1 };
	enum probe_type t = (enum probe_type)cli->type;
	const char *path = cli->raw ? cli->raw : cli->inhex ? cli->inhex : "-";
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	rc = probe_read_input(path, cli->raw == NULL, &buf, &len, &err);
	if (rc != PROBE_EXIT_OK) {
		fprintf(stderr, "alua_probe: %s\n", err.message);
		if (cli->json)
			probe_json(t, NULL, 0, &err, stdout);
		return rc;
	}
	if (cli->json)
		rc = probe_json(t, buf, len, NULL, stdout);
	else
		rc = probe_plain(t, buf, len, stdout);
	free(buf);
	return probe_flush_stdout(rc);
}
