/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The target's access-state gate (salua/target.h) against the SPC-5 table
 * written out here independently, one row per command and one column per
 * state (SPC-5 §5.16.2.4.2..7: active/optimized, active/non-optimized,
 * standby, unavailable, offline; §5.16.2.5 transitioning; the echo buffer
 * modes of READ/WRITE BUFFER; SBC-4's READ CAPACITY in standby and REPORT
 * REFERRALS), then every opcode and service action for the states that
 * refuse by default, and the LBA dependent state through an LBA map.
 */
#include "salua/salua.h"
#include "salua_test.h"

#define Y 0u
#define S SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY
#define U SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE
#define T SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION
#define O SALUA_ASC_LU_NOT_READY_OFFLINE

struct gate_row {
	const char *name;
	uint8_t cdb[16];
	size_t len;
	/* expected for AO, ANO, S, U, T, O */
	uint16_t want[6];
};

static const struct gate_row rows[] = {
	{ "INQUIRY", { 0x12 }, 6, { Y, Y, Y, Y, Y, O } },
	{ "REPORT LUNS", { 0xa0 }, 12, { Y, Y, Y, Y, Y, O } },
	{ "REQUEST SENSE", { 0x03 }, 6, { Y, Y, Y, Y, Y, O } },
	{ "RTPG", { 0xa3, 0x0a }, 12, { Y, Y, Y, Y, Y, O } },
	{ "RTPG (extended)", { 0xa3, 0x2a }, 12, { Y, Y, Y, Y, Y, O } },
	{ "STPG", { 0xa4, 0x0a }, 12, { Y, Y, Y, Y, T, O } },
	{ "LOG SELECT", { 0x4c }, 10, { Y, Y, Y, U, T, O } },
	{ "LOG SENSE", { 0x4d }, 10, { Y, Y, Y, U, T, O } },
	{ "MODE SELECT(6)", { 0x15 }, 6, { Y, Y, Y, U, T, O } },
	{ "MODE SENSE(6)", { 0x1a }, 6, { Y, Y, Y, U, T, O } },
	{ "MODE SELECT(10)", { 0x55 }, 10, { Y, Y, Y, U, T, O } },
	{ "MODE SENSE(10)", { 0x5a }, 10, { Y, Y, Y, U, T, O } },
	{ "RECEIVE DIAGNOSTIC", { 0x1c }, 6, { Y, Y, Y, U, T, O } },
	{ "SEND DIAGNOSTIC", { 0x1d }, 6, { Y, Y, Y, U, T, O } },
	{ "PERSISTENT RESERVE IN", { 0x5e }, 10, { Y, Y, Y, U, T, O } },
	{ "PERSISTENT RESERVE OUT", { 0x5f }, 10, { Y, Y, Y, U, T, O } },
	{ "READ CAPACITY(10)", { 0x25 }, 10, { Y, Y, Y, U, T, O } },
	{ "READ CAPACITY(16)", { 0x9e, 0x10 }, 16, { Y, Y, Y, U, T, O } },
	{ "REPORT REFERRALS", { 0x9e, 0x13 }, 16, { Y, Y, Y, Y, Y, O } },
	{ "READ BUFFER echo", { 0x3c, 0x0a }, 10, { Y, Y, Y, Y, Y, O } },
	{ "READ BUFFER echo descriptor", { 0x3c, 0x0b }, 10,
	  { Y, Y, Y, Y, Y, O } },
	{ "WRITE BUFFER echo", { 0x3b, 0x0a }, 10, { Y, Y, Y, Y, Y, O } },
	{ "READ BUFFER data mode", { 0x3c, 0x02 }, 10, { Y, Y, S, U, T, O } },
	{ "WRITE BUFFER download microcode", { 0x3b, 0x05 }, 10,
	  { Y, Y, S, U, T, O } },
	{ "WRITE BUFFER echo descriptor (no such mode)", { 0x3b, 0x0b }, 10,
	  { Y, Y, S, U, T, O } },
	{ "TEST UNIT READY", { 0x00 }, 6, { Y, Y, S, U, T, O } },
	{ "READ(10)", { 0x28 }, 10, { Y, Y, S, U, T, O } },
	{ "WRITE(16)", { 0x8a }, 16, { Y, Y, S, U, T, O } },
	{ "MAINTENANCE IN other", { 0xa3, 0x0c }, 12, { Y, Y, S, U, T, O } },
	{ "MAINTENANCE OUT other", { 0xa4, 0x06 }, 12, { Y, Y, S, U, T, O } },
	{ "SERVICE ACTION IN(16) other", { 0x9e, 0x12 }, 16,
	  { Y, Y, S, U, T, O } },
	{ "MAINTENANCE IN, no service action byte", { 0xa3 }, 1,
	  { Y, Y, S, U, T, O } },
};

static const uint8_t states[6] = {
	SALUA_STATE_AO, SALUA_STATE_ANO, SALUA_STATE_STANDBY,
	SALUA_STATE_UNAVAILABLE, SALUA_STATE_TRANSITIONING, SALUA_STATE_OFFLINE
};

static void test_table(void)
{
	size_t i, k;
	long seg;

	for (i = 0; i < SALUA_ARRAY_SIZE(rows); i++) {
		T_CASE(rows[i].name);
		for (k = 0; k < 6; k++) {
			seg = 7;
			CHECK_EQ(salua_target_gate(states[k], rows[i].cdb,
						   rows[i].len, NULL, &seg),
				 rows[i].want[k]);
			CHECK_EQ(seg, -1);
			/* PREF and reserved bits of an RTPG byte 0 ignored */
			CHECK_EQ(salua_target_gate((uint8_t)(states[k] | 0x80u),
						   rows[i].cdb, rows[i].len,
						   NULL, NULL),
				 rows[i].want[k]);
		}
	}
}

/* Every opcode / service action: only the table's commands get through. */
static void test_all_opcodes(void)
{
	uint8_t cdb[16];
	unsigned op, sa, k, allowed;
	uint16_t r;

	T_CASE("every opcode and service action");
	memset(cdb, 0, sizeof(cdb));
	for (op = 0; op < 256; op++) {
		for (sa = 0; sa < 32; sa++) {
			cdb[0] = (uint8_t)op;
			cdb[1] = (uint8_t)sa;
			for (k = 0; k < 6; k++) {
				r = salua_target_gate(states[k], cdb, 16, NULL,
						      NULL);
				if (k < 2) {
					CHECK_EQ(r, 0);
					continue;
				}
				if (k == 5) {
					CHECK_EQ(r, O);
					continue;
				}
				allowed = 0;
				switch (op) {
				case 0x12: case 0xa0: case 0x03:
					allowed = 1;
					break;
				case 0xa3:
					allowed = sa == 0x0a;
					break;
				case 0x3c:
					allowed = sa == 0x0a || sa == 0x0b;
					break;
				case 0x3b:
					allowed = sa == 0x0a;
					break;
				case 0x9e:
					allowed = sa == 0x13 ||
						  (k == 2 && sa == 0x10);
					break;
				case 0xa4:
					allowed = sa == 0x0a && k != 4;
					break;
				case 0x4c: case 0x4d: case 0x15: case 0x1a:
				case 0x55: case 0x5a: case 0x1c: case 0x1d:
				case 0x5e: case 0x5f: case 0x25:
					allowed = k == 2;
					break;
				default:
					break;
				}
				CHECK_EQ(r, allowed ? 0u :
					 k == 2 ? S : k == 3 ? U : T);
			}
		}
	}
	T_CASE("reserved states and empty CDBs");
	cdb[0] = 0x12;
	for (k = 5; k < 0xe; k++)
		CHECK_EQ(salua_target_gate((uint8_t)k, cdb, 6, NULL, NULL),
			 SALUA_ASC_LU_NOT_READY_CAUSE_NOT_REPORTABLE);
	CHECK_EQ(salua_target_gate(SALUA_STATE_STANDBY, NULL, 6, NULL, NULL),
		 0);
	CHECK_EQ(salua_target_gate(SALUA_STATE_STANDBY, cdb, 0, NULL, NULL), 0);
}

static void test_lba_dependent(void)
{
	static const struct salua_uds_tpg a[] = {
		{ 1, SALUA_STATE_AO }, { 2, SALUA_STATE_STANDBY }
	};
	static const struct salua_uds_tpg b[] = {
		{ 1, SALUA_STATE_UNAVAILABLE }, { 2, SALUA_STATE_ANO }
	};
	static const struct salua_uds_tpg c[] = {
		{ 1, SALUA_STATE_TRANSITIONING }, { 2, SALUA_STATE_AO }
	};
	static const struct salua_uds_entry segs[] = {
		{ 0, 99, 2, a }, { 100, 199, 2, b }, { 300, 399, 2, c }
	};
	struct salua_lba_seg sg[3];
	struct salua_uds_tpg tg[6];
	struct salua_lba_map m;
	struct salua_gate_lba g1 = { &m, 1 }, g2 = { &m, 2 }, g9 = { &m, 9 },
			      none = { NULL, 1 };
	uint8_t buf[128];
	/* READ(10) LBA 90, 20 blocks: segments 0 and 1 */
	uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 90, 0, 0, 20, 0 };
	uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	uint8_t tur[6] = { 0 };
	long seg;
	int n;

	T_CASE("LBA dependent: blocks against the segments");
	salua_lba_map_init(&m, sg, 3, tg, 6);
	n = salua_referrals_encode(buf, sizeof(buf), segs, 3);
	CHECK_EQ(salua_lba_map_load(&m, buf, (size_t)n, NULL, NULL), 3);
	/* group 1: AO for 90..99, U for 100..109 */
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, rd, 10, &g1,
				   &seg), U);
	CHECK_EQ(seg, 1);
	/* group 2: S for 90..99 */
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, rd, 10, &g2,
				   &seg), S);
	CHECK_EQ(seg, 0);
	rd[5] = 0;
	rd[8] = 10; /* LBA 0..9 */
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, rd, 10, &g1,
				   &seg), 0);
	CHECK_EQ(seg, -1);
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, rd, 10, &g9,
				   &seg), U); /* group not listed */
	rd[5] = 150;
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, rd, 10, &g2,
				   &seg), 0); /* ANO */
	rd[4] = 1;
	rd[5] = 0x40; /* LBA 320 */
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, rd, 10, &g1,
				   &seg), T);
	CHECK_EQ(seg, 2);
	rd[4] = 0;
	rd[5] = 250; /* the hole 200..299 */
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, rd, 10, &g2,
				   &seg), U);
	CHECK_EQ(seg, -1);
	T_CASE("LBA dependent: what addresses no block, and no map");
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, inq, 6, &g1,
				   &seg), 0);
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, tur, 6, &g1,
				   &seg), 0);
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, rd, 10, &none,
				   &seg), 0);
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, rd, 10, NULL,
				   &seg), 0);
	/* a block command cut before its LBA is the command's parser's */
	CHECK_EQ(salua_target_gate(SALUA_STATE_LBA_DEPENDENT, rd, 5, &g1,
				   &seg), 0);
}

int main(void)
{
	test_table();
	test_all_opcodes();
	test_lba_dependent();
	return t_done("target_gate");
}
