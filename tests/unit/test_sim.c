/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The simulated array (shims/target/sim): every answer is decoded with the core's
 * initiator-side decoders and checked value by value; the gating table,
 * UNIT ATTENTION queues, transition timing, STPG validation, every fault
 * kind and the scenario parser's errors.
 */
#include "salua_sim.h"
#include "salua_test.h"

static struct salua_sim S;
static uint8_t din[4096];
static struct salua_sim_result R;

static int run(unsigned port, unsigned lun, const uint8_t *cdb, size_t len,
	       const uint8_t *dout, size_t dlen, size_t cap)
{
	memset(din, 0xee, sizeof(din));
	return salua_sim_command(&S, port, lun, cdb, len, dout, dlen, din, cap,
				 &R);
}

static int tur(unsigned port, unsigned lun)
{
	uint8_t c[6];

	salua_cdb_tur(c, sizeof(c));
	return run(port, lun, c, 6, NULL, 0, 0);
}

static int rtpg(unsigned port, unsigned lun, unsigned pdf, uint32_t alloc)
{
	uint8_t c[12];

	salua_cdb_rtpg(c, sizeof(c), pdf, alloc);
	return run(port, lun, c, 12, NULL, 0, alloc < sizeof(din) ? alloc
								  : sizeof(din));
}

static int stpg(unsigned port, unsigned lun, const struct salua_stpg_desc *d,
		size_t n)
{
	uint8_t c[12], p[64];
	int len = salua_stpg_encode(p, sizeof(p), d, n);

	salua_cdb_stpg(c, sizeof(c), (uint32_t)len);
	return run(port, lun, c, 12, p, (size_t)len, 0);
}

static int inq(unsigned port, unsigned lun, bool evpd, uint8_t page,
	       uint16_t alloc)
{
	uint8_t c[6];

	salua_cdb_inquiry(c, sizeof(c), evpd, page, alloc);
	return run(port, lun, c, 6, NULL, 0, alloc);
}

/* Sense key << 16 | ASC << 8 | ASCQ of the last CHECK CONDITION, else -1. */
static long sk(void)
{
	struct salua_sense sn;

	if (R.fault != SALUA_SIM_FAULT_NONE ||
	    R.status != SALUA_STATUS_CHECK_CONDITION ||
	    salua_sense_normalize(R.sense, R.sense_len, &sn) != 0)
		return -1;
	return (long)sn.key << 16 | salua_sense_asc(&sn);
}

#define UA_2A06 0x62a06L
#define NR(x) (0x20000L | (x))
#define IR(x) (0x50000L | (x))

static void init_default(void)
{
	struct salua_sim_config c;

	salua_sim_config_default(&c);
	CHECK_EQ(salua_sim_init(&S, &c), 0);
}

/* Decode the last RTPG answer; fill states/status of groups 1..n. */
static int rtpg_decode(enum salua_rtpg_format f, struct salua_rtpg_info *info,
		       struct salua_tpg_desc *d, unsigned max)
{
	struct salua_rtpg_iter it;
	unsigned n = 0;

	if (salua_rtpg_parse(din, R.data_len, f, info, &it))
		return -1;
	while (n < max && salua_rtpg_next(&it, &d[n]) == 1)
		n++;
	return (int)n;
}

static void test_config(void)
{
	struct salua_sim_config c;

	T_CASE("config defaults and init validation");
	salua_sim_config_default(&c);
	CHECK_EQ(c.luns, 1);
	CHECK_EQ(c.ports, 2);
	CHECK_EQ(c.groups, 2);
	CHECK_EQ(c.supported, 0xcf);
	CHECK_EQ(c.initial_state[0], SALUA_STATE_AO);
	CHECK_EQ(c.initial_state[1], SALUA_STATE_STANDBY);
	c.luns = 0;
	CHECK_EQ(salua_sim_init(&S, &c), -SALUA_EINVAL);
	c.luns = SALUA_SIM_MAX_LUNS + 1;
	CHECK_EQ(salua_sim_init(&S, &c), -SALUA_EINVAL);
	c.luns = 1;
	c.initial_state[1] = 7;
	CHECK_EQ(salua_sim_init(&S, &c), -SALUA_EINVAL);
	salua_sim_config_default(&c);
	c.ports = 4;
	CHECK_EQ(salua_sim_init(&S, &c), 0);
	CHECK_EQ(salua_sim_group_of_port(&S, 0), 0);
	CHECK_EQ(salua_sim_group_of_port(&S, 1), 0);
	CHECK_EQ(salua_sim_group_of_port(&S, 2), 1);
	CHECK_EQ(salua_sim_group_of_port(&S, 3), 1);
	CHECK_EQ(salua_sim_group_of_port(&S, 4), 0xff);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_STANDBY);
	CHECK_EQ(salua_sim_path_state(&S, 3, 0), SALUA_STATE_STANDBY);
	CHECK_EQ(salua_sim_next_deadline(&S), UINT64_MAX);
	CHECK_EQ(tur(4, 0), -SALUA_EINVAL);
}

static void test_inquiry(void)
{
	struct salua_sim_config c;
	struct salua_inquiry q;
	struct salua_vpd_page pg;
	struct salua_vpd83_port pt;
	struct salua_vpd83_iter it;
	struct salua_vpd83_desig d;
	const uint8_t *sn;
	size_t snl;
	char name[64];
	unsigned n;

	T_CASE("standard INQUIRY");
	init_default();
	CHECK_EQ(inq(0, 0, false, 0, 96), 0);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(R.data_len, 36);
	CHECK_EQ(salua_inquiry_decode(din, R.data_len, &q), 0);
	CHECK_EQ(q.pq, 0);
	CHECK_EQ(q.pdt, 0);
	CHECK_EQ(q.tpgs, 3);
	CHECK_EQ(q.version, 7);
	CHECK(q.multip);
	CHECK_MEM(q.vendor, "SALUA   ", 8);
	CHECK_MEM(q.product, "SIM ARRAY       ", 16);
	CHECK_MEM(q.revision, "0.1 ", 4);
	CHECK_EQ(din[5], 0x30);
	CHECK_EQ(inq(0, 0, false, 0, 5), 0);
	CHECK_EQ(R.data_len, 5);
	CHECK_EQ(din[4], 31);
	CHECK_EQ(din[5], 0xee);

	T_CASE("TPGS follows the configuration");
	salua_sim_config_default(&c);
	c.explicit_alua = false;
	salua_sim_init(&S, &c);
	inq(1, 0, false, 0, 36);
	CHECK_EQ(salua_inquiry_tpgs(din, R.data_len), 1);
	c.explicit_alua = true;
	c.implicit = false;
	salua_sim_init(&S, &c);
	inq(1, 0, false, 0, 36);
	CHECK_EQ(salua_inquiry_tpgs(din, R.data_len), 2);

	T_CASE("absent LU: PQ 3 for INQUIRY, 25/00 otherwise");
	init_default();
	inq(0, 3, false, 0, 36);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(din[0], 0x7f);
	tur(0, 3);
	CHECK_EQ(sk(), IR(SALUA_ASC_LU_NOT_SUPPORTED));

	T_CASE("VPD 0x00 and 0x80");
	inq(0, 0, true, 0x00, 64);
	CHECK_EQ(R.data_len, 7);
	CHECK_MEM(din, "\x00\x00\x00\x03\x00\x80\x83", 7);
	CHECK_EQ(salua_vpd00_decode(din, R.data_len, &pg), 3);
	CHECK_EQ(pg.len, 7);
	salua_sim_config_default(&c);
	c.luns = 3;
	salua_sim_init(&S, &c);
	inq(1, 2, true, 0x80, 64);
	CHECK_EQ(salua_vpd80_serial(din, R.data_len, &sn, &snl), 0);
	CHECK_EQ(snl, 12);
	CHECK_MEM(sn, "SALUASIM0002", 12);
	inq(0, 0, true, 0x81, 64);
	CHECK_EQ(sk(), IR(SALUA_ASC_INVALID_FIELD_IN_CDB));

	T_CASE("VPD 0x83: LU name unique per LU, port and group per path");
	c.ports = 4;
	salua_sim_init(&S, &c);
	inq(3, 1, true, 0x83, 255);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(salua_get_be16(din + 2) + 4, R.data_len);
	CHECK_EQ(salua_vpd83_find_port(din, R.data_len, &pt),
		 SALUA_VPD83_FOUND_REL_PORT | SALUA_VPD83_FOUND_TPG);
	CHECK_EQ(pt.rel_port, 4);
	CHECK_EQ(pt.tpg, 2);
	CHECK(salua_vpd83_lu_name(din, R.data_len, name, sizeof(name),
				  NULL) > 0);
	CHECK_STR(name, "naa.65a1a0000053494d0000000000000002");
	CHECK_EQ(salua_vpd83_iter_init(&it, din, R.data_len), 0);
	n = 0;
	while (salua_vpd83_next(&it, &d) == 1) {
		CHECK_EQ(salua_vpd83_check(&d), 0);
		n++;
	}
	CHECK_EQ(n, 6);
	inq(0, 0, true, 0x83, 255);
	salua_vpd83_find_port(din, R.data_len, &pt);
	CHECK_EQ(pt.rel_port, 1);
	CHECK_EQ(pt.tpg, 1);
	salua_vpd83_lu_name(din, R.data_len, name, sizeof(name), NULL);
	CHECK_STR(name, "naa.65a1a0000053494d0000000000000001");
	inq(0, 0, true, 0x83, 10);
	CHECK_EQ(R.data_len, 10);
	CHECK_EQ(din[10], 0xee);
}

static void test_rtpg(void)
{
	static const uint8_t ext[] = {
		0x00, 0x00, 0x00, 0x1c, 0x10, 0x3c, 0x00, 0x00, /* header */
		0x80, 0xcf, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, /* PREF|AO */
		0x00, 0x00, 0x00, 0x01,
		0x02, 0xcf, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, /* S */
		0x00, 0x00, 0x00, 0x02,
	};
	struct salua_rtpg_info info;
	struct salua_tpg_desc d[4];

	T_CASE("RTPG extended header, byte-exact");
	init_default();
	CHECK_EQ(rtpg(0, 0, 1, 128), 0);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(R.data_len, sizeof(ext));
	CHECK_MEM(din, ext, sizeof(ext));
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 4), 2);
	CHECK_EQ(info.format, SALUA_RTPG_EXTENDED);
	CHECK_EQ(info.implicit_transition_time, 60);
	CHECK_EQ(info.return_data_length, 28);
	CHECK(!info.truncated);
	CHECK_EQ(d[0].tpg_id, 1);
	CHECK(d[0].pref);
	CHECK_EQ(d[0].state, SALUA_STATE_AO);
	CHECK_EQ(d[0].supported, 0xcf);
	CHECK_EQ(d[0].status, 0);
	CHECK_EQ(d[0].port_count, 1);
	CHECK_EQ(salua_tpg_desc_port(&d[0], 0), 1);
	CHECK_EQ(d[1].tpg_id, 2);
	CHECK(!d[1].pref);
	CHECK_EQ(d[1].state, SALUA_STATE_STANDBY);
	CHECK_EQ(salua_tpg_desc_port(&d[1], 0), 2);

	T_CASE("RTPG classic header");
	rtpg(1, 0, 0, 128);
	CHECK_EQ(R.data_len, 28);
	CHECK_EQ(salua_get_be32(din), 24);
	CHECK_MEM(din + 4, ext + 8, 24);

	T_CASE("RTPG truncated by small allocation lengths, RDL kept");
	rtpg(0, 0, 1, 20);
	CHECK_EQ(R.data_len, 20);
	CHECK_EQ(din[20], 0xee);
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 4), 1);
	CHECK_EQ(info.return_data_length, 28);
	CHECK_EQ(info.needed, 32);
	CHECK(info.truncated);
	rtpg(0, 0, 1, 16);
	CHECK_EQ(R.data_len, 16);
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 4), 0);
	CHECK(info.truncated);
	rtpg(0, 0, 1, 3);
	CHECK_EQ(R.data_len, 3);
	CHECK_MEM(din, ext, 3);
	CHECK_EQ(din[3], 0xee);
	rtpg(0, 0, 1, 0);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(R.data_len, 0);

	T_CASE("RTPG with reserved PARAMETER DATA FORMAT");
	rtpg(0, 0, 2, 128);
	CHECK_EQ(sk(), IR(SALUA_ASC_INVALID_FIELD_IN_CDB));

	T_CASE("RTPG with many ports per group");
	{
		struct salua_sim_config c;

		salua_sim_config_default(&c);
		c.ports = 16;
		c.groups = 4;
		c.luns = 2;
		salua_sim_init(&S, &c);
		rtpg(5, 1, 1, 4096);
		CHECK_EQ(R.data_len, 8 + 4 * (8 + 4 * 4));
		CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 4), 4);
		CHECK_EQ(d[3].tpg_id, 4);
		CHECK_EQ(d[3].port_count, 4);
		CHECK_EQ(salua_tpg_desc_port(&d[3], 0), 13);
		CHECK_EQ(salua_tpg_desc_port(&d[3], 3), 16);
		CHECK_EQ(d[2].state, SALUA_STATE_STANDBY);
	}
}

static void test_gating(void)
{
	static const uint8_t states[] = {
		SALUA_STATE_AO,		 SALUA_STATE_ANO,
		SALUA_STATE_LBA_DEPENDENT, SALUA_STATE_STANDBY,
		SALUA_STATE_UNAVAILABLE, SALUA_STATE_TRANSITIONING,
		SALUA_STATE_OFFLINE,
	};
	/* TUR READ10 WRITE10 RDCAP10 MODESENSE6 INQ REPLUNS REQSENSE RTPG STPG */
	static const uint8_t ops[][2] = {
		{ 0x00, 0 }, { 0x28, 0 }, { 0x2a, 0 }, { 0x25, 0 },
		{ 0x1a, 0 }, { 0x12, 0 }, { 0xa0, 0 }, { 0x03, 0 },
		{ 0xa3, 0x0a }, { 0xa4, 0x0a },
	};
	static const uint16_t want[][10] = {
		{ 0 }, { 0 }, { 0 },
		{ 0x040b, 0x040b, 0x040b, 0, 0, 0, 0, 0, 0, 0 },
		{ 0x040c, 0x040c, 0x040c, 0x040c, 0x040c, 0, 0, 0, 0, 0 },
		{ 0x040a, 0x040a, 0x040a, 0x040a, 0x040a, 0, 0, 0, 0, 0x040a },
		{ 0x0412, 0x0412, 0x0412, 0x0412, 0x0412, 0x0412, 0x0412,
		  0x0412, 0x0412, 0x0412 },
	};
	unsigned i, j;
	uint8_t cdb[16];

	T_CASE("gate: LIO's table, every state x representative opcodes");
	for (i = 0; i < SALUA_ARRAY_SIZE(states); i++)
		for (j = 0; j < SALUA_ARRAY_SIZE(ops); j++) {
			memset(cdb, 0, sizeof(cdb));
			cdb[0] = ops[j][0];
			cdb[1] = ops[j][1];
			if (salua_sim_gate(states[i], cdb, 12) != want[i][j]) {
				fprintf(stderr, "state %u op 0x%02x: 0x%04x\n",
					states[i], ops[j][0],
					salua_sim_gate(states[i], cdb, 12));
				CHECK(0);
			} else {
				CHECK(1);
			}
		}
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = 0xa3;
	cdb[1] = 0x0c; /* REPORT SUPPORTED OPCODES: not RTPG */
	CHECK_EQ(salua_sim_gate(SALUA_STATE_TRANSITIONING, cdb, 12), 0x040a);
	cdb[0] = 0x9e;
	cdb[1] = 0x10;
	CHECK_EQ(salua_sim_gate(SALUA_STATE_STANDBY, cdb, 16), 0);
	CHECK_EQ(salua_sim_gate(SALUA_STATE_UNAVAILABLE, cdb, 16), 0x040c);

	T_CASE("gate through commands, per path state");
	init_default();
	CHECK_EQ(tur(0, 0), 0);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	tur(1, 0);
	CHECK_EQ(sk(), NR(SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY));
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = 0x25;
	run(1, 0, cdb, 10, NULL, 0, 8);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(R.data_len, 8);
	CHECK_EQ(salua_get_be32(din), SALUA_SIM_LAST_LBA);
	CHECK_EQ(salua_get_be32(din + 4), 512);
	cdb[0] = 0x1a;
	run(1, 0, cdb, 6, NULL, 0, 64);
	CHECK_EQ(sk(), IR(SALUA_ASC_INVALID_OPCODE));
	salua_sim_set_state(&S, 0, 1, SALUA_STATE_UNAVAILABLE, 0);
	tur(1, 0); /* UA x2 first */
	tur(1, 0);
	tur(1, 0);
	CHECK_EQ(sk(), NR(SALUA_ASC_LU_NOT_ACCESSIBLE_UNAVAILABLE));
	salua_sim_set_state(&S, 0, 1, SALUA_STATE_OFFLINE, 0);
	tur(1, 0);
	tur(1, 0);
	inq(1, 0, false, 0, 36);
	CHECK_EQ(sk(), NR(SALUA_ASC_LU_NOT_READY_OFFLINE));
	salua_sim_set_state(&S, 0, 1, SALUA_STATE_TRANSITIONING, 0);
	tur(1, 0);
	tur(1, 0);
	CHECK_EQ(sk(), NR(SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION));
	rtpg(1, 0, 1, 128);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);

	T_CASE("READ(10), WRITE(10) on an active path");
	while (salua_sim_ua_pending(&S, 0, 0))
		tur(0, 0);
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = 0x28;
	cdb[8] = 2;
	run(0, 0, cdb, 10, NULL, 0, sizeof(din));
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(R.data_len, 1024);
	CHECK_EQ(din[0], 0);
	CHECK_EQ(din[1023], 0);
	CHECK_EQ(din[1024], 0xee);
	cdb[0] = 0x2a;
	run(0, 0, cdb, 10, din, 1024, 0);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	salua_put_be32(cdb + 2, SALUA_SIM_LAST_LBA);
	run(0, 0, cdb, 10, din, 1024, 0);
	CHECK_EQ(sk(), IR(0x2100));

	T_CASE("active/non-optimized adds nonop delay");
	{
		struct salua_sim_config c;

		salua_sim_config_default(&c);
		c.initial_state[1] = SALUA_STATE_ANO;
		c.latency_ms = 3;
		c.nonop_delay_ms = 100;
		salua_sim_init(&S, &c);
		tur(1, 0);
		CHECK_EQ(R.status, SALUA_STATUS_GOOD);
		CHECK_EQ(R.latency_ms, 103);
		tur(0, 0);
		CHECK_EQ(R.latency_ms, 3);
	}
}

static void test_ua(void)
{
	struct salua_sim_config c;
	uint8_t cdb[12];
	struct salua_sense sn;
	unsigned i;

	T_CASE("UA queued on entering and on leaving transitioning");
	init_default();
	CHECK_EQ(salua_sim_set_state(&S, 0, 0, SALUA_STATE_STANDBY, 1000), 0);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_TRANSITIONING);
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 0), 1);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 1);
	salua_sim_set_time(&S, 1000);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_STANDBY);
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 0), 2);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 2);

	T_CASE("INQUIRY and REPORT LUNS do not clear a UA");
	inq(0, 0, false, 0, 36);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = 0xa0;
	salua_put_be32(cdb + 6, 64);
	run(0, 0, cdb, 12, NULL, 0, 64);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(R.data_len, 16);
	CHECK_MEM(din, "\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00", 10);
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 0), 2);

	T_CASE("each UA is reported once, then the gate answers");
	tur(0, 0);
	CHECK_EQ(sk(), UA_2A06);
	CHECK_EQ(R.sense[0], 0x70);
	tur(0, 0);
	CHECK_EQ(sk(), UA_2A06);
	tur(0, 0);
	CHECK_EQ(sk(), NR(SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY));
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 0), 0);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 2);

	T_CASE("REQUEST SENSE returns and clears the UA");
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = 0x03;
	cdb[4] = 252;
	run(1, 0, cdb, 6, NULL, 0, 252);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(R.data_len, 18);
	CHECK_EQ(salua_sense_normalize(din, R.data_len, &sn), 0);
	CHECK_EQ(sn.key, SALUA_SK_UNIT_ATTENTION);
	CHECK_EQ(salua_sense_asc(&sn), 0x2a06);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 1);
	cdb[1] = 1; /* DESC */
	run(1, 0, cdb, 6, NULL, 0, 252);
	CHECK_EQ(din[0], 0x72);
	run(1, 0, cdb, 6, NULL, 0, 252); /* no UA left: the path's state */
	CHECK_EQ(salua_sense_normalize(din, R.data_len, &sn), 0);
	CHECK_EQ(sn.key, SALUA_SK_NOT_READY);
	CHECK_EQ(salua_sense_asc(&sn), 0x040b);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 0);
	salua_sim_set_state(&S, 0, 0, SALUA_STATE_STANDBY, 0); /* no-op */
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 0);

	T_CASE("an immediate change still queues two UAs");
	salua_sim_set_state(&S, 0, 1, SALUA_STATE_AO, 0);
	run(1, 0, cdb, 6, NULL, 0, 252);
	CHECK_EQ(salua_sense_normalize(din, R.data_len, &sn), 0);
	CHECK_EQ(sn.key, SALUA_SK_UNIT_ATTENTION);
	tur(1, 0);
	run(1, 0, cdb, 6, NULL, 0, 252); /* active path, nothing pending */
	CHECK_EQ(salua_sense_normalize(din, R.data_len, &sn), 0);
	CHECK_EQ(sn.key, SALUA_SK_NO_SENSE);
	CHECK_EQ(salua_sense_asc(&sn), 0);
	salua_sim_set_state(&S, 0, 1, SALUA_STATE_ANO, 0);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_ANO);
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 0), 4); /* two changes */
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 2);

	T_CASE("UA only on the changed group's ports (LIO scope)");
	salua_sim_config_default(&c);
	c.ua_group_ports_only = true;
	c.luns = 2;
	salua_sim_init(&S, &c);
	salua_sim_set_state(&S, 1, 1, SALUA_STATE_AO, 0);
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 1), 0);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 1), 2);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 0);

	T_CASE("power-on UA and overflow keeps the most important");
	salua_sim_config_default(&c);
	c.power_on_ua = true;
	c.descriptor_sense = true;
	salua_sim_init(&S, &c);
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 0), 1);
	for (i = 0; i < 6; i++)
		salua_sim_set_state(&S, 0, 1,
				    i & 1 ? SALUA_STATE_STANDBY
					  : SALUA_STATE_ANO, 0);
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 0), SALUA_SIM_UA_DEPTH);
	tur(0, 0);
	CHECK_EQ(R.sense[0], 0x72);
	CHECK_EQ(sk(), 0x62900L);
	for (i = 1; i < SALUA_SIM_UA_DEPTH; i++) {
		tur(0, 0);
		CHECK_EQ(sk(), UA_2A06);
	}
	tur(0, 0);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
}

static void test_transitions(void)
{
	struct salua_rtpg_info info;
	struct salua_tpg_desc d[4];

	T_CASE("transition completes exactly at its deadline");
	init_default();
	salua_sim_set_time(&S, 500);
	salua_sim_set_state(&S, 0, 0, SALUA_STATE_STANDBY, 2000);
	salua_sim_set_state(&S, 0, 1, SALUA_STATE_AO, 3000);
	CHECK_EQ(salua_sim_next_deadline(&S), 2500);
	salua_sim_set_time(&S, 2499);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_TRANSITIONING);
	salua_sim_set_time(&S, 2500);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_STANDBY);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_TRANSITIONING);
	CHECK_EQ(salua_sim_next_deadline(&S), 3500);
	salua_sim_set_time(&S, 100); /* going back is ignored */
	CHECK_EQ(salua_sim_now(&S), 2500);
	salua_sim_set_time(&S, 10000);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_AO);
	CHECK_EQ(salua_sim_next_deadline(&S), UINT64_MAX);
	rtpg(0, 0, 1, 128);
	tur(0, 0); /* RTPG reported a UA first */
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 4), -1);
	while (salua_sim_ua_pending(&S, 0, 0))
		tur(0, 0);
	rtpg(0, 0, 1, 128);
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 4), 2);
	CHECK_EQ(d[0].state, SALUA_STATE_STANDBY);
	CHECK_EQ(d[0].status, SALUA_TPG_STATUS_BY_IMPLICIT);
	CHECK_EQ(d[1].state, SALUA_STATE_AO);
	CHECK_EQ(d[1].status, SALUA_TPG_STATUS_BY_IMPLICIT);

	T_CASE("set_state validation");
	CHECK_EQ(salua_sim_set_state(&S, 1, 0, SALUA_STATE_AO, 0),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_sim_set_state(&S, 0, 2, SALUA_STATE_AO, 0),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_sim_set_state(&S, 0, 0, 5, 0), -SALUA_EINVAL);
	CHECK_EQ(salua_sim_set_state(&S, 0, 0, SALUA_STATE_LBA_DEPENDENT, 0),
		 -SALUA_ENOTSUP);

	T_CASE("a new change overrides a pending one");
	salua_sim_set_state(&S, 0, 0, SALUA_STATE_AO, 5000);
	salua_sim_set_state(&S, 0, 0, SALUA_STATE_UNAVAILABLE, 1000);
	CHECK_EQ(salua_sim_next_deadline(&S), 11000);
	salua_sim_set_time(&S, 20000);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_UNAVAILABLE);
}

static void test_stpg(void)
{
	struct salua_sim_config c;
	struct salua_stpg_desc d[2];
	struct salua_rtpg_info info;
	struct salua_tpg_desc g[4];
	struct salua_sense sn;
	uint8_t cdb[12], p[16];

	T_CASE("STPG: explicit failover through the standby path");
	init_default();
	d[0].state = SALUA_STATE_AO;
	d[0].id = 2;
	CHECK_EQ(stpg(1, 0, d, 1), 0);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_TRANSITIONING);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_TRANSITIONING);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 0); /* sender spared */
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 0), 2);
	CHECK_EQ(salua_sim_next_deadline(&S), 2000);
	salua_sim_set_time(&S, 2000);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_AO);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_STANDBY);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 0);
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 0), 4);
	rtpg(1, 0, 1, 128);
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, g, 4), 2);
	CHECK_EQ(g[0].status, SALUA_TPG_STATUS_BY_STPG);
	CHECK_EQ(g[1].status, SALUA_TPG_STATUS_BY_STPG);
	CHECK_EQ(g[1].state, SALUA_STATE_AO);
	CHECK(g[0].pref); /* PREF does not move with the state */

	T_CASE("STPG validation errors");
	d[0].state = SALUA_STATE_LBA_DEPENDENT;
	d[0].id = 1;
	stpg(1, 0, d, 1);
	CHECK_EQ(sk(), IR(SALUA_ASC_INVALID_FIELD_IN_PARAM_LIST));
	CHECK_EQ(salua_sense_normalize(R.sense, R.sense_len, &sn), 0);
	CHECK(sn.has_sks);
	CHECK_EQ(sn.sks[0], 0x8b); /* SKSV, C/D 0, BPV, bit 3 */
	CHECK_EQ(salua_get_be16(sn.sks + 1), 4);
	d[0].state = SALUA_STATE_AO;
	d[0].id = 3;
	stpg(1, 0, d, 1);
	CHECK_EQ(sk(), IR(SALUA_ASC_INVALID_FIELD_IN_PARAM_LIST));
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_STANDBY);
	memset(p, 0, sizeof(p));
	p[4] = SALUA_STATE_TRANSITIONING;
	p[7] = 1;
	salua_cdb_stpg(cdb, sizeof(cdb), 8);
	run(1, 0, cdb, 12, p, 8, 0);
	CHECK_EQ(sk(), IR(SALUA_ASC_INVALID_FIELD_IN_PARAM_LIST));
	salua_cdb_stpg(cdb, sizeof(cdb), 6);
	run(1, 0, cdb, 12, p, 6, 0);
	CHECK_EQ(sk(), IR(SALUA_ASC_PARAM_LIST_LENGTH_ERROR));
	salua_cdb_stpg(cdb, sizeof(cdb), 0);
	run(1, 0, cdb, 12, NULL, 0, 0);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	salua_cdb_stpg(cdb, sizeof(cdb), 8); /* list announced, none sent */
	run(1, 0, cdb, 12, NULL, 0, 0);
	CHECK_EQ(sk(), IR(SALUA_ASC_PARAM_LIST_LENGTH_ERROR));
	salua_cdb_stpg(cdb, sizeof(cdb), 8);
	cdb[1] |= 0x20;
	run(1, 0, cdb, 12, p, 8, 0);
	CHECK_EQ(sk(), IR(SALUA_ASC_INVALID_FIELD_IN_CDB));

	T_CASE("STPG gated while transitioning");
	while (salua_sim_ua_pending(&S, 0, 0))
		tur(0, 0);
	d[0].state = SALUA_STATE_AO;
	d[0].id = 1;
	stpg(0, 0, d, 1);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	stpg(0, 0, d, 1);
	CHECK_EQ(sk(), NR(SALUA_ASC_LU_NOT_ACCESSIBLE_TRANSITION));

	T_CASE("STPG OFFLINE names a relative port");
	salua_sim_set_time(&S, 100000);
	while (salua_sim_ua_pending(&S, 0, 0))
		tur(0, 0);
	d[0].state = SALUA_STATE_OFFLINE;
	d[0].id = 2;
	stpg(0, 0, d, 1);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	salua_sim_set_time(&S, 200000);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_OFFLINE);

	T_CASE("STPG without explicit ALUA: invalid opcode");
	salua_sim_config_default(&c);
	c.explicit_alua = false;
	salua_sim_init(&S, &c);
	d[0].state = SALUA_STATE_AO;
	d[0].id = 2;
	stpg(1, 0, d, 1);
	CHECK_EQ(sk(), IR(SALUA_ASC_INVALID_OPCODE));
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_STANDBY);
}

static void inject(enum salua_sim_inj k, int port, int op, uint32_t count,
		   uint32_t value)
{
	struct salua_sim_fault_spec f;

	memset(&f, 0, sizeof(f));
	f.kind = k;
	f.port = port;
	f.lun = -1;
	f.opcode = op;
	f.count = count;
	f.value = value;
	CHECK_EQ(salua_sim_inject(&S, &f), 0);
}

static void test_faults(void)
{
	struct salua_rtpg_info info;
	struct salua_tpg_desc d[80];
	struct salua_sim_fault_spec f;

	T_CASE("drop, transport, busy, slow");
	init_default();
	inject(SALUA_SIM_INJ_DROP, 0, -1, 2, 0);
	tur(0, 0);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_DROP);
	tur(1, 0);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_NONE);
	tur(0, 0);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_DROP);
	tur(0, 0);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_NONE);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	inject(SALUA_SIM_INJ_TRANSPORT, -1, -1, 1, 0);
	tur(1, 0);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_TRANSPORT);
	inject(SALUA_SIM_INJ_BUSY, -1, -1, 1, 0);
	tur(0, 0);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_NONE);
	CHECK_EQ(R.status, SALUA_STATUS_BUSY);
	CHECK_EQ(R.sense_len, 0);
	inject(SALUA_SIM_INJ_SLOW, 0, -1, 1, 300000);
	tur(0, 0);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(R.latency_ms, 300000);
	tur(0, 0);
	CHECK_EQ(R.latency_ms, 0);
	inject(SALUA_SIM_INJ_TASK_SET_FULL, 0, -1, 2, 0);
	tur(0, 0);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_NONE);
	CHECK_EQ(R.status, SALUA_STATUS_TASK_SET_FULL);
	CHECK_EQ(R.sense_len, 0);
	tur(1, 0); /* other port: its own answer (standby) */
	CHECK_EQ(sk(), NR(SALUA_ASC_LU_NOT_ACCESSIBLE_STANDBY));
	tur(0, 0);
	CHECK_EQ(R.status, SALUA_STATUS_TASK_SET_FULL);
	tur(0, 0);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);

	T_CASE("a fault filtered by opcode, and a BUSY keeps the UA");
	inject(SALUA_SIM_INJ_DROP, -1, 0xa3, 1, 0);
	tur(0, 0);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_NONE);
	rtpg(0, 0, 1, 128);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_DROP);
	salua_sim_set_state(&S, 0, 1, SALUA_STATE_ANO, 0);
	inject(SALUA_SIM_INJ_BUSY, 1, -1, 1, 0);
	tur(1, 0);
	CHECK_EQ(R.status, SALUA_STATUS_BUSY);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 2);
	memset(&f, 0, sizeof(f));
	f.kind = SALUA_SIM_INJ_DROP;
	f.port = 2;
	f.lun = -1;
	f.opcode = -1;
	CHECK_EQ(salua_sim_inject(&S, &f), -SALUA_EINVAL);
	f.kind = (enum salua_sim_inj)99;
	CHECK_EQ(salua_sim_inject(&S, &f), -SALUA_EINVAL);

	T_CASE("extended header: illegal 24/00, illegal 00/00, ignored");
	init_default();
	inject(SALUA_SIM_INJ_EXT_HDR, -1, -1, 0, SALUA_SIM_EXT_ILLEGAL);
	rtpg(0, 0, 1, 128);
	CHECK_EQ(sk(), IR(SALUA_ASC_INVALID_FIELD_IN_CDB));
	rtpg(0, 0, 0, 128);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(R.data_len, 28);
	inject(SALUA_SIM_INJ_EXT_HDR, -1, -1, 0, SALUA_SIM_EXT_ILLEGAL_00);
	rtpg(0, 0, 1, 128);
	CHECK_EQ(sk(), IR(0x0000));
	inject(SALUA_SIM_INJ_EXT_HDR, -1, -1, 0, SALUA_SIM_EXT_IGNORE);
	rtpg(0, 0, 1, 128);
	CHECK_EQ(R.data_len, 28);
	CHECK_EQ(salua_get_be32(din), 24);
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 4), 2);
	CHECK_EQ(info.format, SALUA_RTPG_CLASSIC);

	T_CASE("RTPG longer than the allocation length (phantom groups)");
	inject(SALUA_SIM_INJ_CLEAR, -1, -1, 0, 0);
	inject(SALUA_SIM_INJ_RTPG_PAD, -1, -1, 0, 20);
	rtpg(0, 0, 1, 128);
	CHECK_EQ(R.data_len, 128);
	CHECK_EQ(salua_get_be32(din), 8 + 24 + 20 * 8 - 4);
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 80), 14);
	CHECK(info.truncated);
	CHECK_EQ(info.needed, 192);
	rtpg(0, 0, 1, info.needed);
	CHECK_EQ(R.data_len, 192);
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 80), 22);
	CHECK(!info.truncated);
	CHECK_EQ(d[2].tpg_id, 0x100);
	CHECK_EQ(d[2].state, SALUA_STATE_UNAVAILABLE);
	CHECK_EQ(d[21].tpg_id, 0x113);

	T_CASE("RETURN DATA LENGTH overclaims");
	inject(SALUA_SIM_INJ_CLEAR, -1, -1, 0, 0);
	inject(SALUA_SIM_INJ_RTPG_OVERCLAIM, -1, -1, 0, 100);
	rtpg(0, 0, 1, 4096);
	CHECK_EQ(R.data_len, 32);
	CHECK_EQ(salua_get_be32(din), 128);
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 4), 2);
	CHECK(info.truncated);

	T_CASE("LIO short RETURN DATA LENGTH with the extended header");
	inject(SALUA_SIM_INJ_CLEAR, -1, -1, 0, 0);
	inject(SALUA_SIM_INJ_LIO_SHORT_RDL, -1, -1, 0, 1);
	rtpg(0, 0, 1, 128);
	CHECK_EQ(salua_get_be32(din), 24);
	CHECK_EQ(R.data_len, 28);
	CHECK_EQ(din[4], 0x10);
	rtpg(0, 0, 0, 128);
	CHECK_EQ(salua_get_be32(din), 24);
	CHECK_EQ(R.data_len, 28);
	rtpg(0, 0, 1, 2);
	CHECK_EQ(R.data_len, 2);
	CHECK_EQ(din[1], 0);
	CHECK_EQ(din[2], 0xee);

	T_CASE("LIO skips a group that does not fit, still counts it");
	{
		struct salua_sim_config c;

		salua_sim_config_default(&c);
		c.ports = 3;
		c.groups = 2; /* group 1: ports 1, 2 (16 bytes); group 2: 12 */
		salua_sim_init(&S, &c);
		CHECK_EQ(salua_sim_load_scenario(&S, "quirk lio-skip-group on"),
			 1);
		rtpg(0, 0, 1, 22); /* group 1 (8 + 16) does not fit, 2 does */
		CHECK_EQ(R.data_len, 22);
		CHECK_EQ(salua_get_be32(din), 8 + 16 + 12 - 4);
		CHECK_EQ(salua_get_be16(din + 8 + 2), 2);
		CHECK_EQ(salua_get_be16(din + 8 + 8 + 2), 3);
		CHECK_EQ(din[20], 0); /* zero fill */
		CHECK_EQ(din[21], 0);
		CHECK_EQ(din[22], 0xee);
		rtpg(0, 0, 1, 128);
		CHECK_EQ(R.data_len, 36);
		CHECK_EQ(salua_get_be16(din + 8 + 2), 1);
		CHECK_EQ(salua_get_be16(din + 8 + 16 + 2), 2);
		rtpg(0, 0, 1, 10); /* nothing fits: zeros after the header */
		CHECK_EQ(R.data_len, 10);
		CHECK_EQ(din[4], 0x10);
		CHECK_EQ(din[8], 0);
		CHECK_EQ(din[9], 0);
	}
}

static void test_scenario(void)
{
	struct salua_sim_config c;
	int rc;

	T_CASE("scenario from the issue text");
	init_default();
	rc = salua_sim_load_scenario(&S,
		"# t=0 implicit failover of LU 0\n"
		"at 0ms lun * group 0 state s transition 2000ms\n"
		"at 0ms lun * group 1 state ao transition 2000ms\n"
		"at 10s fault port 0 drop 3          # dropped\n"
		"at 10s fault port * busy 1\n"
		"at 20s fault ext-hdr illegal\n"
		"at 30s quirk lio-short-rdl on\n");
	CHECK_EQ(rc, 6);
	CHECK_STR(salua_sim_error(&S), "");
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_TRANSITIONING);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_TRANSITIONING);
	CHECK_EQ(salua_sim_next_deadline(&S), 2000);
	salua_sim_set_time(&S, 2000);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_STANDBY);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_AO);
	CHECK_EQ(salua_sim_next_deadline(&S), 10000);
	while (salua_sim_ua_pending(&S, 0, 0))
		tur(0, 0);
	salua_sim_set_time(&S, 10000);
	tur(0, 0);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_DROP);
	tur(1, 0); /* port 1: busy (it still has its UAs) */
	CHECK_EQ(R.status, SALUA_STATUS_BUSY);
	salua_sim_set_time(&S, 25000);
	rtpg(1, 0, 1, 128);
	CHECK_EQ(sk(), UA_2A06);
	while (salua_sim_ua_pending(&S, 1, 0))
		tur(1, 0);
	rtpg(1, 0, 1, 128);
	CHECK_EQ(sk(), IR(SALUA_ASC_INVALID_FIELD_IN_CDB));
	salua_sim_set_time(&S, 30000);
	rtpg(1, 0, 0, 128);
	CHECK_EQ(R.status, SALUA_STATUS_GOOD);
	CHECK_EQ(salua_sim_next_deadline(&S), UINT64_MAX);

	T_CASE("times are relative to the load, events keep text order");
	salua_sim_set_time(&S, 50000);
	CHECK_EQ(salua_sim_load_scenario(&S,
		"at 1s lun 0 group 0 state ao transition 0\n"
		"at 1s lun 0 group 0 state u transition 0\n"
		"lun 0 group 1 pref on\n"), 3);
	CHECK_EQ(salua_sim_next_deadline(&S), 51000);
	salua_sim_set_time(&S, 51000);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_UNAVAILABLE);
	rtpg(1, 0, 0, 128);
	rtpg(1, 0, 0, 128);
	while (R.status != SALUA_STATUS_GOOD)
		rtpg(1, 0, 0, 128);
	CHECK_EQ(din[4 + 12], 0x80 | SALUA_STATE_AO);

	T_CASE("scenario parse errors carry the line number");
	init_default();
	CHECK_EQ(salua_sim_load_scenario(&S, "lun * group 0 state s\n"
					     "\n"
					     "lun * group 0 state zz\n"),
		 -SALUA_EMALFORMED);
	CHECK_EQ(salua_sim_error_line(&S), 3);
	CHECK_STR(salua_sim_error(&S), "line 3: unknown state 'zz'");
	CHECK_EQ(salua_sim_next_deadline(&S), UINT64_MAX); /* nothing applied */
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_AO);
	CHECK_EQ(salua_sim_load_scenario(&S, "at 5x lun 0 group 0 state s"),
		 -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S),
		  "line 1: unknown time unit in '5x' (ms, s, m)");
	CHECK_EQ(salua_sim_load_scenario(&S, "lun 1 group 0 state s"),
		 -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S), "line 1: lun 1 out of range (luns=1)");
	CHECK_EQ(salua_sim_load_scenario(&S, "# ok\nlun 0 group 0 state lbd"),
		 -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S),
		  "line 2: state 'lbd' not in the supported set 0xcf");
	CHECK_EQ(salua_sim_load_scenario(&S, "explode now"), -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S),
		  "line 1: unknown action 'explode' (lun, port, fault, ua, quirk)");
	CHECK_EQ(salua_sim_load_scenario(&S, "lun 0 group 0"),
		 -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S),
		  "line 1: nothing to change (state or pref)");
	CHECK_EQ(salua_sim_load_scenario(&S, "fault port 0 drop"),
		 -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S),
		  "line 1: expected a number after 'drop', got 'end of line'");
	CHECK_EQ(salua_sim_load_scenario(&S, "fault port 3 busy 1"),
		 -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S), "line 1: port 3 out of range (ports=2)");
	CHECK_EQ(salua_sim_load_scenario(&S, "fault ext-hdr maybe"),
		 -SALUA_EMALFORMED);
	CHECK_EQ(salua_sim_load_scenario(&S, "quirk lio-short-rdl perhaps"),
		 -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S), "line 1: expected on or off");
	CHECK_EQ(salua_sim_load_scenario(&S, "at 99999999999 lun 0 group 0 "
					     "state s"),
		 -SALUA_EMALFORMED);
	CHECK_EQ(salua_sim_load_scenario(&S, "no-such-builtin"),
		 -SALUA_EMALFORMED);
	CHECK_EQ(salua_sim_load_scenario(&S, NULL), -SALUA_EINVAL);
	{
		static char big[64 * 40];
		unsigned i;
		size_t o = 0;

		for (i = 0; i < SALUA_SIM_MAX_EVENTS + 1; i++)
			o += (size_t)snprintf(big + o, sizeof(big) - o,
					      "at %us lun 0 group 0 state s\n",
					      i + 1);
		CHECK_EQ(salua_sim_load_scenario(&S, big), -SALUA_ENOSPC);
		CHECK_EQ(salua_sim_next_deadline(&S), UINT64_MAX);
	}

	T_CASE("fault lines with lun and op filters, port moves");
	salua_sim_config_default(&c);
	c.luns = 2;
	salua_sim_init(&S, &c);
	CHECK_EQ(salua_sim_load_scenario(&S,
		"fault port 1 lun 1 op rtpg transport 2\n"
		"fault port * slow 1 5s op tur\n"
		"port 1 group 0\n"), 3);
	tur(1, 0);
	CHECK_EQ(R.latency_ms, 5000);
	rtpg(1, 0, 1, 64);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_NONE);
	rtpg(1, 1, 1, 64);
	CHECK_EQ(R.fault, SALUA_SIM_FAULT_TRANSPORT);
	CHECK_EQ(salua_sim_group_of_port(&S, 1), 0);
	CHECK_EQ(salua_sim_path_state(&S, 1, 0), SALUA_STATE_AO);

	T_CASE("task-set-full lines; ua lines queue a UA, nothing changes");
	salua_sim_config_default(&c);
	c.luns = 3;
	c.ports = 4;
	salua_sim_init(&S, &c);
	CHECK_EQ(salua_sim_load_scenario(&S,
		"fault port 2 lun 1 qfull 1\n"
		"fault port * op rtpg task-set-full 1\n"
		"ua lun *\n"
		"at 1s ua lun 1 port 3 sense 29/00\n"
		"at 2s ua lun even sense 2A/07\n"), 5);
	for (rc = 0; rc < 4; rc++) {
		CHECK_EQ(salua_sim_ua_pending(&S, (unsigned)rc, 0), 1);
		CHECK_EQ(salua_sim_ua_pending(&S, (unsigned)rc, 2), 1);
	}
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_AO); /* unchanged */
	tur(2, 1);
	CHECK_EQ(R.status, SALUA_STATUS_TASK_SET_FULL);
	CHECK_EQ(salua_sim_ua_pending(&S, 2, 1), 1); /* still queued */
	rtpg(0, 0, 0, 64);
	CHECK_EQ(R.status, SALUA_STATUS_TASK_SET_FULL);
	tur(2, 1);
	CHECK_EQ(sk(), UA_2A06);
	salua_sim_set_time(&S, 1000);
	CHECK_EQ(salua_sim_ua_pending(&S, 3, 1), 2);
	CHECK_EQ(salua_sim_ua_pending(&S, 2, 1), 0);
	tur(3, 1);
	CHECK_EQ(sk(), UA_2A06);
	tur(3, 1);
	CHECK_EQ(sk(), 0x62900L);
	salua_sim_set_time(&S, 2000);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 0), 2);
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 1), 1); /* odd: only 'ua lun *' */
	CHECK_EQ(salua_sim_ua_pending(&S, 1, 2), 2);
	CHECK_EQ(salua_sim_queue_ua(&S, -1, -1, 0x2a06), 0);
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 1), 2);
	CHECK_EQ(salua_sim_ua_pending(&S, 2, 1), 1);
	CHECK_EQ(salua_sim_queue_ua(&S, 3, -1, 0x2a06), -SALUA_EINVAL);
	CHECK_EQ(salua_sim_queue_ua(&S, 0, 4, 0x2a06), -SALUA_EINVAL);
	CHECK_EQ(salua_sim_queue_ua(&S, -2, 0, 0x2a06), -SALUA_EINVAL);
	CHECK_EQ(salua_sim_load_scenario(&S, "ua lun 0 sense 2a"),
		 -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S), "line 1: expected ASC/ASCQ in hex "
				       "after 'sense', e.g. 2a/06");
	CHECK_EQ(salua_sim_load_scenario(&S, "ua lun 0 sense 2a/6x"),
		 -SALUA_EMALFORMED);
	CHECK_EQ(salua_sim_load_scenario(&S, "ua port 0"), -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S), "line 1: expected 'lun' after 'ua'");
	CHECK_EQ(salua_sim_load_scenario(&S, "ua lun 0 port 4"),
		 -SALUA_EMALFORMED);
	CHECK_EQ(salua_sim_load_scenario(&S, "ua lun 0 now"), -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S), "line 1: unknown word 'now'");
}

static void test_builtins(void)
{
	struct salua_sim_config c;
	struct salua_rtpg_info info;
	struct salua_tpg_desc d[4];

	T_CASE("built-in scenarios");
	CHECK(salua_sim_builtin("failover") != NULL);
	CHECK(salua_sim_builtin("nope") == NULL);
	CHECK_STR(salua_sim_builtin_name(0), "failover");
	CHECK_STR(salua_sim_builtin_name(4), "lu-group-move");
	CHECK(salua_sim_builtin_name(5) == NULL);
	init_default();
	CHECK_EQ(salua_sim_load_scenario(&S, "failover"), 2);
	salua_sim_set_time(&S, 2000);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_STANDBY);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_AO);

	init_default();
	CHECK_EQ(salua_sim_load_scenario(&S, "failback"), 4);
	salua_sim_set_time(&S, 31999);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_TRANSITIONING);
	salua_sim_set_time(&S, 32000);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_AO);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_STANDBY);

	init_default();
	CHECK_EQ(salua_sim_load_scenario(&S, "long-transition"), 2);
	CHECK_EQ(salua_sim_next_deadline(&S), 200000);
	salua_sim_set_time(&S, 199999);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_TRANSITIONING);
	salua_sim_set_time(&S, 200000);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_AO);

	init_default();
	CHECK_EQ(salua_sim_load_scenario(&S, "flap"), 12);
	salua_sim_set_time(&S, 15000);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_AO);
	salua_sim_set_time(&S, 55000);
	CHECK_EQ(salua_sim_state(&S, 0, 0), SALUA_STATE_AO);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_STANDBY);
	CHECK_EQ(salua_sim_ua_pending(&S, 0, 0), SALUA_SIM_UA_DEPTH);

	salua_sim_config_default(&c);
	c.luns = 4;
	c.ports = 4;
	salua_sim_init(&S, &c);
	CHECK_EQ(salua_sim_load_scenario(&S, "lu-group-move"), 2);
	salua_sim_set_time(&S, 2000);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_AO);
	CHECK_EQ(salua_sim_state(&S, 2, 1), SALUA_STATE_AO);
	CHECK_EQ(salua_sim_state(&S, 1, 1), SALUA_STATE_STANDBY);
	CHECK_EQ(salua_sim_state(&S, 3, 0), SALUA_STATE_AO);
	CHECK_EQ(salua_sim_ua_pending(&S, 3, 1), 0);
	CHECK_EQ(salua_sim_ua_pending(&S, 3, 2), 4);
	while (salua_sim_ua_pending(&S, 2, 2))
		tur(2, 2);
	rtpg(2, 2, 1, 128);
	CHECK_EQ(rtpg_decode(SALUA_RTPG_EXTENDED, &info, d, 4), 2);
	CHECK(!d[0].pref);
	CHECK(d[1].pref);
	CHECK_EQ(d[1].state, SALUA_STATE_AO);
	CHECK_EQ(d[1].port_count, 2);
	CHECK_EQ(salua_tpg_desc_port(&d[1], 1), 4);

	salua_sim_config_default(&c);
	c.groups = 1;
	c.ports = 1;
	salua_sim_init(&S, &c);
	CHECK_EQ(salua_sim_load_scenario(&S, "failover"), -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S),
		  "line 4: group 1 out of range (groups=1)");
}


static void test_open(void)
{
	T_CASE("salua_sim_open() specs");
	CHECK_EQ(salua_sim_open(&S, "sim:luns=4,ports=4"), 0);
	CHECK_EQ(S.cfg.luns, 4);
	CHECK_EQ(S.cfg.ports, 4);
	CHECK_EQ(salua_sim_group_of_port(&S, 2), 1);
	CHECK_EQ(salua_sim_open(&S, NULL), 0);
	CHECK_EQ(S.cfg.luns, 1);
	CHECK_EQ(salua_sim_open(&S, "sim:scenario=failover,transition=5s"), 0);
	CHECK_EQ(S.cfg.transition_ms, 5000);
	CHECK_EQ(salua_sim_state(&S, 0, 1), SALUA_STATE_TRANSITIONING);
	CHECK_EQ(salua_sim_next_deadline(&S), 2000);
	CHECK_EQ(salua_sim_open(&S, "groups=3,ports=6,sense=desc,ua-scope=group,"
				    "itt=10,supported=0xdf,explicit=0"), 0);
	CHECK(S.cfg.descriptor_sense);
	CHECK(S.cfg.ua_group_ports_only);
	CHECK_EQ(S.cfg.implicit_transition_secs, 10);
	CHECK_EQ(S.cfg.supported, 0xdf);
	CHECK(!S.cfg.explicit_alua);
	CHECK_EQ(salua_sim_open(&S, "luns=0"), -SALUA_EINVAL);
	CHECK_EQ(salua_sim_open(&S, "color=blue"), -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S), "sim spec: bad color 'blue'");
	CHECK_EQ(salua_sim_open(&S, "scenario=nope"), -SALUA_EMALFORMED);
	CHECK_STR(salua_sim_error(&S), "sim spec: bad scenario 'nope'");
	CHECK_EQ(salua_sim_open(&S, "explicit=2"), -SALUA_EMALFORMED);
	CHECK_EQ(salua_sim_open(&S, "tpgs=1"), 0);
	CHECK(S.cfg.implicit && !S.cfg.explicit_alua);
	CHECK_EQ(salua_sim_open(&S, "tpgs=2"), 0);
	CHECK(!S.cfg.implicit && S.cfg.explicit_alua);
	CHECK_EQ(salua_sim_open(&S, "tpgs=0"), 0);
	CHECK(!S.cfg.implicit && !S.cfg.explicit_alua);
	CHECK_EQ(salua_sim_open(&S, "tpgs=4"), -SALUA_EMALFORMED);
	CHECK_EQ(salua_sim_open(&S, "luns=2,lu-base=1000"), 0);
	CHECK_EQ(salua_sim_get_config(&S)->lu_id_base, 1000);
	{
		char name[64];

		inq(0, 1, true, 0x83, 255);
		CHECK(salua_vpd83_lu_name(din, R.data_len, name, sizeof(name),
					  NULL) > 0);
		CHECK_STR(name, "naa.65a1a0000053494d00000000000003ea");
		inq(0, 1, true, 0x80, 255);
		CHECK_EQ(R.data_len, 4 + 12);
		CHECK(memcmp(din + 4, "SALUASIM1001", 12) == 0);
	}
	CHECK_EQ(salua_sim_open(&S, "lu-base=16777216"), -SALUA_EMALFORMED);
	CHECK_EQ(salua_sim_open(&S, "luns"), -SALUA_EMALFORMED);
}

/* Deterministic LCG: the sim must stay in bounds whatever it is sent. */
static uint32_t lcg_state = 12345u;

static uint32_t lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state >> 8;
}

static void test_robustness(void)
{
	static const uint8_t ops[] = { 0x00, 0x03, 0x12, 0x25, 0x28, 0x2a,
				       0xa0, 0xa3, 0xa4, 0x1a, 0x9e, 0xff };
	struct salua_sim_config c;
	uint8_t cdb[16], dout[64];
	char text[512];
	unsigned i, k, bad = 0;

	T_CASE("random CDBs and parameter lists stay in bounds");
	salua_sim_config_default(&c);
	c.luns = 3;
	c.ports = 3;
	c.groups = 3;
	salua_sim_init(&S, &c);
	for (i = 0; i < 20000; i++) {
		size_t len = 1 + lcg() % 16, dlen = lcg() % 64,
		       cap = lcg() % 300;

		for (k = 0; k < 16; k++)
			cdb[k] = (uint8_t)lcg();
		for (k = 0; k < 64; k++)
			dout[k] = (uint8_t)(lcg() % 3 ? lcg() % 4 : lcg());
		cdb[0] = ops[lcg() % SALUA_ARRAY_SIZE(ops)];
		if (lcg() % 2 && cdb[0] >= 0xa3 && cdb[0] <= 0xa4) {
			cdb[1] = (uint8_t)((lcg() % 3) << 5 | 0x0a);
			memset(cdb + 2, 0, 4);
			cdb[10] = cdb[11] = 0;
			salua_put_be32(cdb + 6, lcg() % 300);
		}
		if (lcg() % 50 == 0)
			salua_sim_set_state(&S, lcg() % 3, lcg() % 3,
					    (uint8_t)(lcg() % 4), lcg() % 3000);
		salua_sim_set_time(&S, salua_sim_now(&S) + lcg() % 100);
		if (run(lcg() % 3, lcg() % 4, cdb, len, dout, dlen, cap) ||
		    R.data_len > cap || R.sense_len > sizeof(R.sense) ||
		    (cap < sizeof(din) && din[cap] != 0xee))
			bad++;
	}
	CHECK_EQ(bad, 0);

	T_CASE("mutated scenarios never crash and leave nothing half-loaded");
	for (i = 0; i < 3000; i++) {
		static const char *const names[] = { "failover", "failback",
						     "flap", "lu-group-move" };
		const char *b = salua_sim_builtin(names[i % 4]);
		size_t n = strlen(b) < sizeof(text) - 1 ? strlen(b)
							: sizeof(text) - 1;
		int rc;

		memcpy(text, b, n);
		text[n] = 0;
		for (k = 0; k < 3; k++)
			text[lcg() % n] = "0123456789 *-#\nsaxz"[lcg() % 19];
		salua_sim_init(&S, &c);
		rc = salua_sim_load_scenario(&S, text);
		if (rc < 0 && (salua_sim_next_deadline(&S) != UINT64_MAX ||
			       salua_sim_error_line(&S) == 0))
			bad++;
		if (rc >= 0 && salua_sim_error(&S)[0])
			bad++;
	}
	CHECK_EQ(bad, 0);
}

int main(void)
{
	test_config();
	test_inquiry();
	test_rtpg();
	test_gating();
	test_ua();
	test_transitions();
	test_stpg();
	test_faults();
	test_scenario();
	test_builtins();
	test_open();
	test_robustness();
	return t_done("sim");
}
