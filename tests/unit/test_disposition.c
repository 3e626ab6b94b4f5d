/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/disposition.h: one table row per case of the sense → disposition
 * mapping for ordinary I/O (Linux alua_check_sense + NOT READY 04/0B/0C/12
 * + BUSY / TASK SET FULL + ILLEGAL REQUEST 25/00 as a disconnected path),
 * for the engine's own RTPG/STPG/TUR, for a path checker's TUR, and the
 * prep decision per access state.  Every row is checked with fixed-format
 * and descriptor-format sense.
 */
#include "salua/salua.h"
#include "salua_test.h"

#define CC SALUA_STATUS_CHECK_CONDITION
#define NR SALUA_SK_NOT_READY
#define UA SALUA_SK_UNIT_ATTENTION
#define IR SALUA_SK_ILLEGAL_REQUEST
#define T_ SALUA_ACT_TRANSITIONING
#define R_ SALUA_ACT_RESCAN
#define P_ SALUA_ACT_PATH_STATE
#define D_ SALUA_ACT_DISCONNECTED

struct io_row {
	const char *what;
	uint8_t status, key;
	uint16_t asc; /* 0xffff: no sense at all */
	enum salua_disposition disp;
	uint8_t actions, state;
};

static const struct io_row io_rows[] = {
	/* Linux alua_check_sense (ALUA-FACTS §1.2) */
	{ "NR 04/0A transitioning", CC, NR, 0x040a, SALUA_DISP_DELAYED_RETRY, T_ | P_, SALUA_STATE_TRANSITIONING },
	{ "UA 04/0A transitioning (2024)", CC, UA, 0x040a, SALUA_DISP_DELAYED_RETRY, T_ | P_, SALUA_STATE_TRANSITIONING },
	{ "UA 29/00 power on/reset", CC, UA, 0x2900, SALUA_DISP_REQUEUE, R_, 0 },
	{ "UA 29/04 internal reset", CC, UA, 0x2904, SALUA_DISP_REQUEUE, 0, 0 },
	{ "UA 2A/01 mode params", CC, UA, 0x2a01, SALUA_DISP_REQUEUE, 0, 0 },
	{ "UA 2A/06 ALUA state changed", CC, UA, 0x2a06, SALUA_DISP_REQUEUE, R_, 0 },
	{ "UA 2A/07 implicit transition failed", CC, UA, 0x2a07, SALUA_DISP_REQUEUE, R_, 0 },
	{ "UA 3F/03 inquiry changed", CC, UA, 0x3f03, SALUA_DISP_REQUEUE, 0, 0 },
	{ "UA 3F/0E luns changed", CC, UA, 0x3f0e, SALUA_DISP_REQUEUE, 0, 0 },
	{ "UA other (3F/01) not handled", CC, UA, 0x3f01, SALUA_DISP_NOT_HANDLED, 0, 0 },
	/* extensions */
	{ "UA 29/01 power on", CC, UA, 0x2901, SALUA_DISP_REQUEUE, R_, 0 },
	{ "UA 29/02 bus reset", CC, UA, 0x2902, SALUA_DISP_REQUEUE, R_, 0 },
	{ "UA 29/03 BDR", CC, UA, 0x2903, SALUA_DISP_REQUEUE, R_, 0 },
	{ "NR 04/0B standby port", CC, NR, 0x040b, SALUA_DISP_FAILOVER, R_ | P_, SALUA_STATE_STANDBY },
	{ "NR 04/0C unavailable port", CC, NR, 0x040c, SALUA_DISP_FAILOVER, R_ | P_, SALUA_STATE_UNAVAILABLE },
	{ "NR 04/12 offline port", CC, NR, 0x0412, SALUA_DISP_FAILOVER, R_ | P_, SALUA_STATE_OFFLINE },
	{ "NR 04/01 becoming ready: not ALUA", CC, NR, 0x0401, SALUA_DISP_NOT_HANDLED, 0, 0 },
	{ "MEDIUM ERROR not handled", CC, SALUA_SK_MEDIUM_ERROR, 0x1100, SALUA_DISP_NOT_HANDLED, 0, 0 },
	{ "ILLEGAL REQUEST 04/0A is not ALUA", CC, IR, 0x040a, SALUA_DISP_NOT_HANDLED, 0, 0 },
	{ "IR 25/00 LU not supported: path disconnected", CC, IR, 0x2500, SALUA_DISP_FAILOVER, D_, 0 },
	{ "IR 25/01 is not 25/00", CC, IR, 0x2501, SALUA_DISP_NOT_HANDLED, 0, 0 },
	{ "IR 24/00 invalid field: not handled", CC, IR, 0x2400, SALUA_DISP_NOT_HANDLED, 0, 0 },
	{ "BUSY", SALUA_STATUS_BUSY, 0, 0xffff, SALUA_DISP_REQUEUE, 0, 0 },
	{ "TASK SET FULL", SALUA_STATUS_TASK_SET_FULL, 0, 0xffff, SALUA_DISP_REQUEUE, 0, 0 },
	{ "GOOD", SALUA_STATUS_GOOD, 0, 0xffff, SALUA_DISP_NOT_HANDLED, 0, 0 },
	{ "RESERVATION CONFLICT", SALUA_STATUS_RESERVATION_CONFLICT, 0, 0xffff, SALUA_DISP_NOT_HANDLED, 0, 0 },
	{ "CHECK CONDITION without sense", CC, 0, 0xffff, SALUA_DISP_NOT_HANDLED, 0, 0 },
};

static int mk_sense(struct salua_sense *s, bool desc, uint8_t key,
		    uint16_t asc)
{
	uint8_t b[SALUA_SENSE_MAX_BUILD];
	int n;

	n = desc ? salua_sense_build_desc(b, sizeof(b), key,
					  (uint8_t)(asc >> 8), (uint8_t)asc)
		 : salua_sense_build_fixed(b, sizeof(b), key,
					   (uint8_t)(asc >> 8), (uint8_t)asc);
	if (n < 0)
		return n;
	return salua_sense_normalize(b, (size_t)n, s);
}

struct cmd_row {
	const char *what;
	enum salua_cmd_kind kind;
	bool ext;
	uint8_t status, key;
	uint16_t asc;
	enum salua_cmd_verdict v;
};

static const struct cmd_row cmd_rows[] = {
	{ "RTPG GOOD", SALUA_CMD_RTPG, true, 0, 0, 0xffff, SALUA_CV_DONE },
	{ "RTPG ext ILLEGAL 24/00 -> fallback", SALUA_CMD_RTPG, true, CC, IR, 0x2400, SALUA_CV_EXT_FALLBACK },
	{ "RTPG ext ILLEGAL ASC 00 -> fallback", SALUA_CMD_RTPG, true, CC, IR, 0x0000, SALUA_CV_EXT_FALLBACK },
	{ "RTPG ext ILLEGAL 20/00 -> fallback", SALUA_CMD_RTPG, true, CC, IR, 0x2000, SALUA_CV_EXT_FALLBACK },
	{ "RTPG classic ILLEGAL -> fail", SALUA_CMD_RTPG, false, CC, IR, 0x2000, SALUA_CV_FAIL },
	{ "RTPG ext IR 25/00 -> sibling, not fallback", SALUA_CMD_RTPG, true, CC, IR, 0x2500, SALUA_CV_SIBLING },
	{ "RTPG classic IR 25/00 -> sibling", SALUA_CMD_RTPG, false, CC, IR, 0x2500, SALUA_CV_SIBLING },
	{ "STPG IR 25/00 -> sibling", SALUA_CMD_STPG, false, CC, IR, 0x2500, SALUA_CV_SIBLING },
	{ "TUR IR 25/00 -> done (the RTPG will tell)", SALUA_CMD_TUR, false, CC, IR, 0x2500, SALUA_CV_DONE },
	{ "RTPG NR 04/0A", SALUA_CMD_RTPG, true, CC, NR, 0x040a, SALUA_CV_TRANSITIONING },
	{ "RTPG UA 04/0A", SALUA_CMD_RTPG, true, CC, UA, 0x040a, SALUA_CV_TRANSITIONING },
	{ "RTPG UA 2A/06 -> retry", SALUA_CMD_RTPG, true, CC, UA, 0x2a06, SALUA_CV_RETRY },
	{ "RTPG UA 29/00 -> retry", SALUA_CMD_RTPG, false, CC, UA, 0x2900, SALUA_CV_RETRY },
	{ "RTPG ABORTED -> retry", SALUA_CMD_RTPG, false, CC, SALUA_SK_ABORTED_COMMAND, 0x4700, SALUA_CV_RETRY },
	{ "RTPG BUSY -> delayed", SALUA_CMD_RTPG, false, SALUA_STATUS_BUSY, 0, 0xffff, SALUA_CV_RETRY_DELAYED },
	{ "RTPG TSF -> delayed", SALUA_CMD_RTPG, false, SALUA_STATUS_TASK_SET_FULL, 0, 0xffff, SALUA_CV_RETRY_DELAYED },
	{ "RTPG NR 04/01 -> delayed", SALUA_CMD_RTPG, false, CC, NR, 0x0401, SALUA_CV_RETRY_DELAYED },
	{ "RTPG NR 04/0C -> sibling", SALUA_CMD_RTPG, false, CC, NR, 0x040c, SALUA_CV_SIBLING },
	{ "RTPG NR 04/0B -> sibling", SALUA_CMD_RTPG, false, CC, NR, 0x040b, SALUA_CV_SIBLING },
	{ "RTPG RECOVERED -> done", SALUA_CMD_RTPG, false, CC, SALUA_SK_RECOVERED_ERROR, 0x1700, SALUA_CV_DONE },
	{ "RTPG HW error -> fail", SALUA_CMD_RTPG, false, CC, SALUA_SK_HARDWARE_ERROR, 0x4400, SALUA_CV_FAIL },
	{ "RTPG CC no sense -> fail", SALUA_CMD_RTPG, false, CC, 0, 0xffff, SALUA_CV_FAIL },
	{ "RTPG RESERVATION CONFLICT -> fail", SALUA_CMD_RTPG, false, SALUA_STATUS_RESERVATION_CONFLICT, 0, 0xffff, SALUA_CV_FAIL },
	{ "STPG GOOD", SALUA_CMD_STPG, false, 0, 0, 0xffff, SALUA_CV_DONE },
	{ "STPG ILLEGAL (unsupported) -> fail", SALUA_CMD_STPG, true, CC, IR, 0x2000, SALUA_CV_FAIL },
	{ "STPG ABORTED 67/0A -> retry", SALUA_CMD_STPG, false, CC, SALUA_SK_ABORTED_COMMAND, 0x670a, SALUA_CV_RETRY },
	{ "STPG HW 67/0A -> fail", SALUA_CMD_STPG, false, CC, SALUA_SK_HARDWARE_ERROR, 0x670a, SALUA_CV_FAIL },
	{ "STPG UA -> retry", SALUA_CMD_STPG, false, CC, UA, 0x2a06, SALUA_CV_RETRY },
	{ "STPG NR 04/0A", SALUA_CMD_STPG, false, CC, NR, 0x040a, SALUA_CV_TRANSITIONING },
	{ "TUR GOOD", SALUA_CMD_TUR, false, 0, 0, 0xffff, SALUA_CV_DONE },
	{ "TUR NR 04/0A", SALUA_CMD_TUR, false, CC, NR, 0x040a, SALUA_CV_TRANSITIONING },
	{ "TUR UA 04/0A", SALUA_CMD_TUR, false, CC, UA, 0x040a, SALUA_CV_TRANSITIONING },
	{ "TUR NR 04/0B -> done (ask RTPG)", SALUA_CMD_TUR, false, CC, NR, 0x040b, SALUA_CV_DONE },
	{ "TUR UA 2A/06 -> done (ask RTPG)", SALUA_CMD_TUR, false, CC, UA, 0x2a06, SALUA_CV_DONE },
	{ "TUR BUSY -> done", SALUA_CMD_TUR, false, SALUA_STATUS_BUSY, 0, 0xffff, SALUA_CV_DONE },
};

struct tur_row {
	const char *what;
	uint8_t status, key;
	uint16_t asc;
	enum salua_path_check v;
};

static const struct tur_row tur_rows[] = {
	{ "GOOD: up", 0, 0, 0xffff, SALUA_PC_UP },
	{ "BUSY: up", SALUA_STATUS_BUSY, 0, 0xffff, SALUA_PC_UP },
	{ "RESERVATION CONFLICT: up", SALUA_STATUS_RESERVATION_CONFLICT, 0, 0xffff, SALUA_PC_UP },
	{ "CC without sense: up", CC, 0, 0xffff, SALUA_PC_UP },
	{ "NR 04/0B: ghost", CC, NR, 0x040b, SALUA_PC_GHOST },
	{ "NR 04/0C: ghost", CC, NR, 0x040c, SALUA_PC_GHOST },
	{ "NR 04/12: ghost", CC, NR, 0x0412, SALUA_PC_GHOST },
	{ "NR 04/0A: transitioning", CC, NR, 0x040a, SALUA_PC_TRANSITIONING },
	{ "UA 04/0A: transitioning", CC, UA, 0x040a, SALUA_PC_TRANSITIONING },
	{ "UA 2A/06: retry", CC, UA, 0x2a06, SALUA_PC_RETRY },
	{ "UA 29/00: retry", CC, UA, 0x2900, SALUA_PC_RETRY },
	{ "NR 04/01: down", CC, NR, 0x0401, SALUA_PC_DOWN },
	{ "NR 3A/00 no medium: down", CC, NR, 0x3a00, SALUA_PC_DOWN },
	{ "HW error: down", CC, SALUA_SK_HARDWARE_ERROR, 0x4400, SALUA_PC_DOWN },
	{ "MEDIUM error: down", CC, SALUA_SK_MEDIUM_ERROR, 0x1100, SALUA_PC_DOWN },
	{ "IR 25/00: disconnected", CC, IR, 0x2500, SALUA_PC_DISCONNECTED },
	{ "IR 20/00: up (the LU answered)", CC, IR, 0x2000, SALUA_PC_UP },
	{ "ABORTED: up", CC, SALUA_SK_ABORTED_COMMAND, 0x4700, SALUA_PC_UP },
};

struct prep_row {
	uint8_t state;
	enum salua_prep def, hold, standby_ok;
};

static const struct prep_row prep_rows[] = {
	{ SALUA_STATE_AO, SALUA_PREP_ALLOW, SALUA_PREP_ALLOW, SALUA_PREP_ALLOW },
	{ SALUA_STATE_ANO, SALUA_PREP_ALLOW, SALUA_PREP_ALLOW, SALUA_PREP_ALLOW },
	{ SALUA_STATE_LBA_DEPENDENT, SALUA_PREP_ALLOW, SALUA_PREP_ALLOW, SALUA_PREP_ALLOW },
	{ SALUA_STATE_TRANSITIONING, SALUA_PREP_ALLOW, SALUA_PREP_DELAY, SALUA_PREP_ALLOW },
	{ SALUA_STATE_STANDBY, SALUA_PREP_FAIL_FAST, SALUA_PREP_FAIL_FAST, SALUA_PREP_ALLOW },
	{ SALUA_STATE_UNAVAILABLE, SALUA_PREP_FAIL_FAST, SALUA_PREP_FAIL_FAST, SALUA_PREP_ALLOW },
	{ SALUA_STATE_OFFLINE, SALUA_PREP_FAIL_FAST, SALUA_PREP_FAIL_FAST, SALUA_PREP_FAIL_FAST },
	{ 0x7, SALUA_PREP_FAIL_FAST, SALUA_PREP_FAIL_FAST, SALUA_PREP_FAIL_FAST },
	{ 0x80 | SALUA_STATE_AO, SALUA_PREP_ALLOW, SALUA_PREP_ALLOW, SALUA_PREP_ALLOW },
};

int main(void)
{
	struct salua_sense s;
	struct salua_verdict v;
	struct salua_prep_config cfg;
	uint32_t delay;
	size_t i;
	int f;

	for (i = 0; i < SALUA_ARRAY_SIZE(io_rows); i++) {
		const struct io_row *r = &io_rows[i];

		for (f = 0; f < 2; f++) {
			const struct salua_sense *sp = NULL;

			T_CASE(r->what);
			if (r->asc != 0xffff) {
				CHECK_EQ(mk_sense(&s, f != 0, r->key, r->asc), 0);
				sp = &s;
			}
			v = salua_io_disposition(r->status, sp);
			CHECK_EQ(v.disp, r->disp);
			CHECK_EQ(v.actions, r->actions);
			CHECK_EQ(v.state, r->state);
		}
	}

	T_CASE("deferred 2A/06 is not acted on");
	{
		uint8_t b[18];
		CHECK_EQ(salua_sense_build_fixed(b, sizeof(b), UA, 0x2a, 0x06), 18);
		b[0] = 0x71;
		CHECK_EQ(salua_sense_normalize(b, sizeof(b), &s), 0);
		v = salua_io_disposition(CC, &s);
		CHECK_EQ(v.disp, SALUA_DISP_NOT_HANDLED);
		CHECK_EQ(v.actions, 0);
	}
	T_CASE("truncated fixed sense without ASC is not acted on");
	{
		uint8_t b[18];
		CHECK_EQ(salua_sense_build_fixed(b, sizeof(b), NR, 0x04, 0x0a), 18);
		CHECK_EQ(salua_sense_normalize(b, 8, &s), 0);
		v = salua_io_disposition(CC, &s);
		CHECK_EQ(v.disp, SALUA_DISP_NOT_HANDLED);
	}

	for (i = 0; i < SALUA_ARRAY_SIZE(cmd_rows); i++) {
		const struct cmd_row *r = &cmd_rows[i];

		for (f = 0; f < 2; f++) {
			const struct salua_sense *sp = NULL;

			T_CASE(r->what);
			if (r->asc != 0xffff) {
				CHECK_EQ(mk_sense(&s, f != 0, r->key, r->asc), 0);
				sp = &s;
			}
			CHECK_EQ(salua_cmd_disposition(r->kind, r->ext,
						       r->status, sp),
				 r->v);
		}
	}

	for (i = 0; i < SALUA_ARRAY_SIZE(prep_rows); i++) {
		const struct prep_row *r = &prep_rows[i];

		T_CASE("prep defaults (Linux since 2022)");
		delay = 99;
		CHECK_EQ(salua_prep_decide(r->state, NULL, &delay), r->def);
		CHECK_EQ(delay, 0);
		T_CASE("prep hold transitioning 250 ms");
		salua_prep_config_default(&cfg);
		cfg.hold_transitioning = true;
		cfg.retry_delay_ms = 250;
		CHECK_EQ(salua_prep_decide(r->state, &cfg, &delay), r->hold);
		CHECK_EQ(delay, r->hold == SALUA_PREP_DELAY ? 250u : 0u);
		T_CASE("prep allow standby");
		salua_prep_config_default(&cfg);
		cfg.allow_standby = true;
		CHECK_EQ(salua_prep_decide(r->state, &cfg, NULL), r->standby_ok);
	}
	T_CASE("prep defaults");
	salua_prep_config_default(&cfg);
	CHECK_EQ(cfg.retry_delay_ms, 1000);
	CHECK(!cfg.hold_transitioning);
	CHECK(!cfg.allow_standby);
	T_CASE("hold with zero delay allows");
	cfg.hold_transitioning = true;
	cfg.retry_delay_ms = 0;
	CHECK_EQ(salua_prep_decide(SALUA_STATE_TRANSITIONING, &cfg, &delay),
		 SALUA_PREP_ALLOW);

	{
		struct salua_sense sn;
		size_t ti;
		int tf;

		for (ti = 0; ti < SALUA_ARRAY_SIZE(tur_rows); ti++) {
			const struct tur_row *r = &tur_rows[ti];

			T_CASE(r->what);
			for (tf = 0; tf < 2; tf++) {
				if (r->asc == 0xffff) {
					CHECK_EQ(salua_tur_disposition(r->status, NULL),
						 r->v);
					continue;
				}
				CHECK_EQ(mk_sense(&sn, tf != 0, r->key, r->asc), 0);
				CHECK_EQ(salua_tur_disposition(r->status, &sn), r->v);
			}
		}
		T_CASE("TUR: deferred sense is not about this command");
		CHECK_EQ(mk_sense(&sn, false, IR, 0x2500), 0);
		sn.deferred = true;
		CHECK_EQ(salua_tur_disposition(CC, &sn), SALUA_PC_UP);
	}

	T_CASE("names");
	CHECK_STR(salua_disposition_name(SALUA_DISP_DELAYED_RETRY), "delayed-retry");
	CHECK_STR(salua_disposition_name(SALUA_DISP_FAILOVER), "failover");
	CHECK_STR(salua_disposition_name(SALUA_DISP_NOT_HANDLED), "not-handled");

	return t_done("disposition");
}
