/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Uses one function of every installed salua library, so each one must
 * be found, linked and work: the core decodes a sense buffer; the sim
 * answers an INQUIRY; sgio and iscsi name their status codes.
 */
#include <stdio.h>
#include <string.h>
#include "salua/salua.h"
#ifdef HAVE_SIM
#include "salua_sim.h"
#endif
#ifdef HAVE_SGIO
#include "salua_sgio.h"
#endif
#ifdef HAVE_ISCSI
#include "salua_iscsi.h"
#endif

int main(void)
{
	static const unsigned char ua[18] = { 0x70, 0, 0x06, 0, 0, 0, 0, 10,
					      0, 0, 0, 0, 0x2a, 0x06 };
	struct salua_sense s;
	int fails = 0;

	if (salua_sense_normalize(ua, sizeof(ua), &s) < 0 || s.asc != 0x2a)
		fails++;
	printf("core: sense 6/%02x/%02x\n", s.asc, s.ascq);
#ifdef HAVE_SGIO
	printf("sgio: %s\n", salua_sgio_host_name(0));
#endif
#ifdef HAVE_ISCSI
	printf("iscsi: %s\n", salua_iscsi_status_name(0));
#endif
#ifdef HAVE_SIM
	{
		static struct salua_sim sim;

		if (salua_sim_open(&sim, "luns=1,ports=2") < 0)
			fails++;
		printf("sim: group of port 0: %u\n", salua_sim_group_of_port(&sim, 0));
	}
#endif
	return fails ? 1 : 0;
}
