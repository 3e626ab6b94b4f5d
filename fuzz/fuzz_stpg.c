/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * SET TARGET PORT GROUPS parameter list (SPC-5 §6.49), target side.  Byte
 * 0 of the input is the target's supported-states mask; the rest is the
 * list as received.  Every accepted descriptor requests a state STPG can
 * ask for and the target supports; decode -> encode gives the received
 * bytes back with reserved fields cleared; capacity errors report counts.
 */
#include "fuzz.h"

#define MAX_DESC 4096

static struct salua_stpg_desc d[MAX_DESC], r[MAX_DESC];
static uint8_t enc[SALUA_STPG_HDR_LEN + MAX_DESC * SALUA_STPG_DESC_LEN];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *list = data + (size ? 1 : 0);
	size_t len = size ? size - 1 : 0, n = MAX_DESC, m, i;
	uint8_t sup = size ? data[0] : 0;
	int rc, w;

	rc = salua_stpg_decode(list, len, sup, d, &n);
	if (len < SALUA_STPG_HDR_LEN) {
		FUZZ_CHECK(rc == -SALUA_ETRUNC);
		return 0;
	}
	if ((len - SALUA_STPG_HDR_LEN) % SALUA_STPG_DESC_LEN) {
		FUZZ_CHECK(rc == -SALUA_EMALFORMED);
		return 0;
	}
	m = (len - SALUA_STPG_HDR_LEN) / SALUA_STPG_DESC_LEN;
	if (m > MAX_DESC) {
		FUZZ_CHECK(rc == -SALUA_ENOSPC || rc == -SALUA_ENOTSUP);
		return 0;
	}
	if (rc == -SALUA_ENOTSUP) {
		uint8_t s;

		FUZZ_CHECK(n < m);
		s = (uint8_t)(list[SALUA_STPG_HDR_LEN + 4u * n] & 0x0fu);
		FUZZ_CHECK(s == SALUA_STATE_TRANSITIONING ||
			   salua_state_sup_bit(s) == 0 ||
			   (sup && !(sup & salua_state_sup_bit(s))));
		return 0;
	}
	FUZZ_CHECK(rc == 0 && n == m);
	for (i = 0; i < n; i++) {
		const uint8_t *p = list + SALUA_STPG_HDR_LEN + 4u * i;

		FUZZ_CHECK(d[i].state == (p[0] & 0x0fu));
		FUZZ_CHECK(d[i].id == salua_get_be16(p + 2));
		FUZZ_CHECK(d[i].state != SALUA_STATE_TRANSITIONING);
		FUZZ_CHECK(salua_state_sup_bit(d[i].state) != 0);
		if (sup)
			FUZZ_CHECK(sup & salua_state_sup_bit(d[i].state));
	}
	/* A caller array one short: ENOSPC with the count, nothing lost. */
	if (n) {
		m = n - 1;
		FUZZ_CHECK(salua_stpg_decode(list, len, sup, r, &m) ==
			   -SALUA_ENOSPC);
		FUZZ_CHECK(m == n);
	}
	w = salua_stpg_encode(enc, sizeof(enc), d, n);
	FUZZ_CHECK(w == (int)len);
	for (i = 0; i < SALUA_STPG_HDR_LEN; i++)
		FUZZ_CHECK(enc[i] == 0);
	for (i = SALUA_STPG_HDR_LEN; i < len; i += 4) {
		FUZZ_CHECK(enc[i] == (list[i] & 0x0fu) && enc[i + 1] == 0);
		FUZZ_CHECK(enc[i + 2] == list[i + 2] &&
			   enc[i + 3] == list[i + 3]);
	}
	FUZZ_CHECK(salua_stpg_encode(enc, (size_t)w - 1u, d, n) ==
		   -SALUA_ENOSPC);
	m = MAX_DESC;
	FUZZ_CHECK(salua_stpg_decode(enc, (size_t)w, sup, r, &m) == 0);
	FUZZ_CHECK(m == n);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(r[i].state == d[i].state && r[i].id == d[i].id);
	return 0;
}
