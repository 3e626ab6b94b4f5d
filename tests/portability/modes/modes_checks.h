/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Checks run from every translation unit of the build-mode programs (and
 * the install consumers), compiled in that unit's build mode.  Include it
 * after the salua headers.  MODES_HAVE_SENSE / MODES_HAVE_RTPG are set by
 * the driver when the implementation defines those functions, so the test
 * keeps working while the core is being filled in.
 */
#ifndef MODES_CHECKS_H
#define MODES_CHECKS_H

#include <stdio.h>
#include <string.h>

#define M_CHECK(tu, cond)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s: %s:%d: CHECK(%s) failed\n", tu,   \
				__FILE__, __LINE__, #cond);                    \
			fails++;                                               \
		}                                                              \
	} while (0)

/* Returns the number of failed checks; *nchecked counts groups run. */
static int modes_run(const char *tu, int *ngroups)
{
	int fails = 0;
	static const uint8_t be[4] = { 0x12, 0x34, 0x56, 0x78 };

	M_CHECK(tu, strcmp(salua_strerror(-SALUA_ETRUNC), "truncated input") == 0);
	M_CHECK(tu, strcmp(salua_strerror(0), "success") == 0);
	M_CHECK(tu, salua_get_be32(be) == 0x12345678u);
	M_CHECK(tu, salua_get_be16(be + 2) == 0x5678u);
	M_CHECK(tu, strcmp(salua_state_name(1), "active/non-optimized") == 0);
	*ngroups = 1;

#if defined(MODES_HAVE_SENSE)
	{
		/* NOT READY, 04/0B: LU not accessible, target port in standby. */
		static const uint8_t fixed[18] = {
			0x70, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00,
			0x00, 0x00, 0x00, 0x04, 0x0b, 0x00, 0x00, 0x00, 0x00
		};
		/* UNIT ATTENTION, 2A/06: asymmetric access state changed. */
		static const uint8_t desc[8] = { 0x72, 0x06, 0x2a, 0x06,
						 0x00, 0x00, 0x00, 0x00 };
		struct salua_sense s;

		M_CHECK(tu, salua_sense_normalize(fixed, sizeof(fixed), &s) == 0);
		M_CHECK(tu, s.key == 0x02 && s.has_asc && s.asc == 0x04 &&
			    s.ascq == 0x0b && !s.descriptor);
		M_CHECK(tu, salua_sense_normalize(desc, sizeof(desc), &s) == 0);
		M_CHECK(tu, s.key == 0x06 && s.has_asc && s.asc == 0x2a &&
			    s.ascq == 0x06 && s.descriptor);
		M_CHECK(tu, salua_sense_normalize(fixed, 0, &s) ==
			    -SALUA_ETRUNC);
		(*ngroups)++;
	}
#endif

#if defined(MODES_HAVE_RTPG)
	{
		/* shared/vectors/rtpg/rtpg_sg3utils_testcode_dummy.hex */
		static const uint8_t rtpg[32] = {
			0x00, 0x00, 0x00, 0x1c, 0x80, 0x03, 0x00, 0x01,
			0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01,
			0x00, 0x00, 0x00, 0x02, 0x01, 0x03, 0x00, 0x02,
			0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03
		};
		struct salua_rtpg_info info;
		struct salua_rtpg_iter it;
		struct salua_tpg_desc d;

		M_CHECK(tu, salua_rtpg_parse(rtpg, sizeof(rtpg), SALUA_RTPG_AUTO,
					     &info, &it) == 0);
		M_CHECK(tu, info.format == SALUA_RTPG_CLASSIC);
		M_CHECK(tu, info.return_data_length == 28u && info.needed == 32u);
		M_CHECK(tu, info.ngroups == 2u && !info.truncated);
		M_CHECK(tu, salua_rtpg_next(&it, &d) == 1);
		M_CHECK(tu, d.tpg_id == 1u && d.pref && d.state == 0u &&
			    d.supported == 0x03u && d.status == 0x02u &&
			    d.port_count == 2u);
		M_CHECK(tu, d.port_count == 2u && salua_tpg_desc_port(&d, 0) == 1u &&
			    salua_tpg_desc_port(&d, 1) == 2u);
		M_CHECK(tu, salua_rtpg_next(&it, &d) == 1);
		M_CHECK(tu, d.tpg_id == 2u && !d.pref && d.state == 1u &&
			    d.port_count == 1u);
		M_CHECK(tu, d.port_count == 1u && salua_tpg_desc_port(&d, 0) == 3u);
		M_CHECK(tu, salua_rtpg_next(&it, &d) == 0);
		/* Cut inside the second group: one complete group only. */
		M_CHECK(tu, salua_rtpg_parse(rtpg, 20, SALUA_RTPG_AUTO, &info,
					     &it) == 0);
		M_CHECK(tu, info.ngroups == 1u && info.truncated);
		(*ngroups)++;
	}
#endif
	return fails;
}

#endif /* MODES_CHECKS_H */
