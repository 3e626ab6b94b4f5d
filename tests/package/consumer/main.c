/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Uses one function of every installed salua library, so each one must
 * be found, linked and work: the core decodes a sense buffer; the sim
 * answers an INQUIRY; sgio and iscsi name their status codes; the null
 * transport completes a TEST UNIT READY through the transport interface;
 * the sim transport reaches the sim through it; the host layer's fake
 * clock loop runs.
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
#ifdef HAVE_NULL
#include "salua_null.h"
#endif
#ifdef HAVE_SIMX
#include "salua_simx.h"
#endif
#ifdef HAVE_HOST
#include "salua_loop.h"
#endif

#ifdef HAVE_SIMX
/* A clock that moves 1 ms per reading. */
static uint64_t tick_us(void *ctx)
{
	static uint64_t t;

	(void)ctx;
	return t += 1000;
}
#endif

#if defined(HAVE_NULL) || defined(HAVE_SIMX)
static void tur_done(void *arg, const struct salua_xport_result *r)
{
	*(int *)arg = r->xfer == SALUA_XFER_OK ? r->status : 0x100;
}

/*
 * TEST UNIT READY through @t: the SCSI status, 0x100 for a transport
 * failure, -1 if refused or not completed.
 */
static int tur(const struct salua_transport *t)
{
	static const uint8_t cdb[6] = { 0 };
	struct salua_xport_cmd c = { cdb, 6, SALUA_XPORT_NONE, NULL, 0, 0 };
	int st = -1;

	if (salua_xport_submit(t, &c, tur_done, &st) < 0)
		return -1;
	if (t->ops->service)
		t->ops->service(t->ctx, 0);
	return st;
}
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
#ifdef HAVE_SIMX
		{
			static struct salua_simx px;
			static const struct salua_clock clk = { tick_us, NULL };
			struct salua_transport t;

			if (salua_simx_open(&px, &sim, &clk, 0, 0, NULL, &t) < 0)
				fails++;
			else {
				int st = tur(&t);

				printf("simx: TEST UNIT READY status %d\n", st);
				if (st < 0 || st > 0xff)
					fails++;
				salua_simx_close(&px);
			}
		}
#endif
	}
#endif
#ifdef HAVE_NULL
	{
		struct salua_null n;
		struct salua_transport t;
		int st;

		salua_null_open(&n, &t);
		st = tur(&t);
		printf("null: TEST UNIT READY: %s (%s)\n",
		       st == 0x100 ? "transport failure" : "?", t.ops->name);
		if (st != 0x100) /* "no device": a transport failure */
			fails++;
	}
#endif
#ifdef HAVE_HOST
	{
		struct salua_loop *l = salua_loop_new(true, 1000);

		if (!l || salua_loop_now(l) != 1000)
			fails++;
		printf("host: fake loop at %llu us\n",
		       l ? (unsigned long long)salua_loop_now(l) : 0ULL);
		salua_loop_free(l);
	}
#endif
	return fails ? 1 : 0;
}
