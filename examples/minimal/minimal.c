/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The README's API example, built and run by the tests (unit.readme_example)
 * so it cannot rot: decode a VPD 0x83 page and an RTPG answer as a host
 * would, with nothing but the public API.
 */
#define SALUA_IMPLEMENTATION
#include "salua/salua.h"

#include <stdio.h>

int main(void)
{
	/* scsi_debug's answers (ALUA-FACTS.md §2): page 0x83, then RTPG. */
	static const uint8_t vpd83[] = {
		0x00, 0x83, 0x00, 0x1c,
		0x01, 0x03, 0x00, 0x08, 0x33, 0x33, 0x33, 0x30, 0x00, 0x00, 0x07, 0xd0,
		0x61, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,
		0x61, 0x95, 0x00, 0x04, 0x00, 0x00, 0x03, 0x00,
	};
	static const uint8_t rtpg[] = {
		0x00, 0x00, 0x00, 0x18,
		0x02, 0x0f, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
		0x03, 0x08, 0x03, 0x80, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
	};
	char name[64];
	struct salua_vpd83_port port;
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it;
	struct salua_tpg_desc d;
	int rc;

	rc = salua_vpd83_lu_name(vpd83, sizeof(vpd83), name, sizeof(name), NULL);
	if (rc < 0) {
		fprintf(stderr, "vpd 0x83: %s\n", salua_strerror(rc));
		return 1;
	}
	salua_vpd83_find_port(vpd83, sizeof(vpd83), &port);
	printf("LU %s, relative port %u, TPG 0x%04x\n", name,
	       (unsigned)port.rel_port, (unsigned)port.tpg);

	/* len = bytes actually received, never the length field's claim. */
	rc = salua_rtpg_parse(rtpg, sizeof(rtpg), SALUA_RTPG_EXTENDED, &info, &it);
	if (rc < 0) {
		fprintf(stderr, "rtpg: %s\n", salua_strerror(rc));
		return 1;
	}
	while (salua_rtpg_next(&it, &d) == 1)
		printf("  TPG 0x%04x %-20s pref=%d ports=%u%s\n",
		       (unsigned)d.tpg_id, salua_state_name(d.state), d.pref,
		       (unsigned)d.port_count, d.tpg_id == port.tpg ? "  <- this path" : "");
	if (info.truncated)
		printf("  truncated: re-issue with allocation length %u\n",
		       (unsigned)info.needed);
	return 0;
}
