/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Is a path still the same logical unit (salua/identity.h), and the
 * engine's use of it on rescan (salua_engine_rescan_path()): a path that
 * now leads to another LU is removed, its activation completes REMOVED, a
 * command in flight on it moves to a sibling, and the other paths keep
 * being served; a path that is the same (or cannot be told) stays.  Both
 * completion modes.
 */
#include "salua/salua.h"
#include "salua_test.h"
#include "engine_harness.h"
#include "vectors.h"

/* A page 0x83 with an NAA-6 LU name @naa6 (8 + 8 hex), a T10 id, port. */
static size_t page(uint8_t *b, size_t cap, const char *naa6, const char *t10,
		   uint16_t rel)
{
	static uint8_t v_naa[16], v_t10[32], v_rel[4];
	struct salua_vpd83_desig d[3];
	size_t n = 0;
	int len;

	if (naa6) {
		t_hex(naa6, v_naa, sizeof(v_naa));
		salua_vpd83_desig_set(&d[n++], SALUA_DESIG_NAA,
				      SALUA_CODESET_BINARY, SALUA_ASSOC_LU,
				      v_naa, 16);
	}
	if (t10) {
		memcpy(v_t10, t10, strlen(t10));
		salua_vpd83_desig_set(&d[n++], SALUA_DESIG_T10,
				      SALUA_CODESET_ASCII, SALUA_ASSOC_LU,
				      v_t10, (uint8_t)strlen(t10));
	}
	salua_vpd83_port_id_value(v_rel, rel);
	salua_vpd83_desig_set(&d[n++], SALUA_DESIG_REL_PORT,
			      SALUA_CODESET_BINARY, SALUA_ASSOC_TARGET_PORT,
			      v_rel, 4);
	len = salua_vpd83_encode(b, cap, 0, d, n);
	CHECK(len > 0 && (size_t)len <= cap);
	return (size_t)len;
}

static size_t serial(uint8_t *b, size_t cap, const char *sn)
{
	int len = salua_vpd80_encode(b, cap, 0, sn, strlen(sn));

	CHECK(len > 0);
	return (size_t)len;
}

#define LU_A "6001405d1a2b3c4d5e6f708192a3b4c5"
#define LU_B "6001405d1a2b3c4d5e6f708192a3b4c6"

static void test_compare(void)
{
	uint8_t a83[128], b83[128], a80[64], b80[64];
	struct salua_ident a, b;
	unsigned why;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.vpd83 = a83;
	b.vpd83 = b83;

	T_CASE("same name, same serial: SAME (port may change)");
	a.vpd83_len = page(a83, sizeof(a83), LU_A, "VENDOR01LUN0", 1);
	b.vpd83_len = page(b83, sizeof(b83), LU_A, "VENDOR01LUN0", 2);
	a.vpd80 = a80;
	b.vpd80 = b80;
	a.vpd80_len = serial(a80, sizeof(a80), "  SN0001");
	b.vpd80_len = serial(b80, sizeof(b80), "SN0001  ");
	CHECK_EQ(salua_ident_compare(&a, &b, &why), SALUA_IDENT_SAME);
	CHECK_EQ(why, SALUA_IDENT_CMP_NAME | SALUA_IDENT_CMP_DESIG |
			      SALUA_IDENT_CMP_SERIAL);

	T_CASE("another NAA-6: DIFFERENT (name and designator)");
	b.vpd83_len = page(b83, sizeof(b83), LU_B, "VENDOR01LUN0", 1);
	CHECK_EQ(salua_ident_compare(&a, &b, &why), SALUA_IDENT_DIFFERENT);
	CHECK(why & SALUA_IDENT_DIFF_NAME);
	CHECK(why & SALUA_IDENT_DIFF_DESIG);

	T_CASE("same page, another serial: DIFFERENT");
	b.vpd83_len = page(b83, sizeof(b83), LU_A, "VENDOR01LUN0", 1);
	b.vpd80_len = serial(b80, sizeof(b80), "SN0002");
	CHECK_EQ(salua_ident_compare(&a, &b, &why), SALUA_IDENT_DIFFERENT);
	CHECK_EQ(why & ~(unsigned)(SALUA_IDENT_CMP_NAME |
				   SALUA_IDENT_CMP_DESIG |
				   SALUA_IDENT_CMP_SERIAL),
		 SALUA_IDENT_DIFF_SERIAL);

	T_CASE("a designator added by firmware proves nothing: SAME");
	b.vpd80_len = serial(b80, sizeof(b80), "SN0001");
	a.vpd83_len = page(a83, sizeof(a83), NULL, "VENDOR01LUN0", 1);
	b.vpd83_len = page(b83, sizeof(b83), LU_A, "VENDOR01LUN0", 1);
	/* the kernel name changes (t10 -> naa) but the T10 id agrees */
	CHECK_EQ(salua_ident_compare(&a, &b, &why), SALUA_IDENT_DIFFERENT);
	CHECK(why & SALUA_IDENT_DIFF_NAME);
	CHECK(!(why & SALUA_IDENT_DIFF_DESIG));

	T_CASE("only a T10 id on both, different: DIFFERENT");
	a.vpd80 = b.vpd80 = NULL;
	a.vpd83_len = page(a83, sizeof(a83), NULL, "VENDOR01LUN0", 1);
	b.vpd83_len = page(b83, sizeof(b83), NULL, "VENDOR01LUN1", 1);
	CHECK_EQ(salua_ident_compare(&a, &b, &why), SALUA_IDENT_DIFFERENT);

	T_CASE("nothing to compare: UNKNOWN");
	a.vpd83_len = page(a83, sizeof(a83), NULL, NULL, 1);
	b.vpd83_len = page(b83, sizeof(b83), NULL, NULL, 1);
	CHECK_EQ(salua_ident_compare(&a, &b, &why), SALUA_IDENT_UNKNOWN);
	CHECK_EQ(why, 0);
	a.vpd83 = NULL;
	b.vpd83_len = page(b83, sizeof(b83), LU_B, NULL, 1);
	CHECK_EQ(salua_ident_compare(&a, &b, &why), SALUA_IDENT_UNKNOWN);

	T_CASE("a cut or malformed page is left out");
	a.vpd83 = a83;
	a.vpd83_len = page(a83, sizeof(a83), LU_A, NULL, 1);
	CHECK_EQ(salua_ident_compare(&a, &b, NULL), SALUA_IDENT_DIFFERENT);
	b.vpd83_len -= 3; /* cut: nothing compared */
	CHECK_EQ(salua_ident_compare(&a, &b, NULL), SALUA_IDENT_UNKNOWN);
	CHECK_EQ(salua_ident_compare(NULL, &b, NULL), -SALUA_EINVAL);
}

static void test_engine(bool async)
{
	uint8_t a83[128], b83[128];
	struct salua_ident same, before, other;
	struct eh h;
	struct eh_act *act;
	unsigned n0;
	uint32_t r0;

	T_CASE(async ? "engine, async: a remapped path is dropped" :
		       "engine, sync: a remapped path is dropped");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = async ? 10 : 0;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 10000));
	memset(&before, 0, sizeof(before));
	before.vpd83 = a83;
	before.vpd83_len = page(a83, sizeof(a83), LU_A, "VENDOR01LUN0", 2);
	same = before;
	other = before;
	other.vpd83 = b83;
	other.vpd83_len = page(b83, sizeof(b83), LU_B, "VENDOR01LUN7", 2);

	/* Same LU: the path stays and a rescan runs. */
	n0 = h.nlog;
	CHECK_EQ(salua_engine_rescan_path(&h.e, 1, &before, &same),
		 SALUA_IDENT_SAME);
	CHECK(eh_settle(&h, 10000));
	CHECK_EQ(eh_count(&h, n0, SALUA_CMD_RTPG), 1);
	CHECK_EQ(salua_engine_path_get(&h.e, 1, NULL, NULL, NULL), 1);
	CHECK_EQ(salua_engine_get_counters(&h.e)->identity_drops, 0);

	/* Another LU behind path 1 while an activation waits on it. */
	h.fake.state[1] = SALUA_STATE_STANDBY;
	act = eh_activate(&h, 1);
	CHECK_EQ(salua_engine_rescan_path(&h.e, 1, &before, &other),
		 SALUA_IDENT_DIFFERENT);
	CHECK_EQ(act->calls, 1);
	CHECK_EQ(act->result, SALUA_ACTIVATE_REMOVED);
	CHECK_EQ(salua_engine_path_get(&h.e, 1, NULL, NULL, NULL),
		 -SALUA_ENOENT);
	CHECK_EQ(salua_engine_get_counters(&h.e)->identity_drops, 1);
	{
		struct salua_engine_log ev = { SALUA_EV_IDENTITY, 1, 0x33, 0,
					       0 };
		char line[96];

		salua_engine_log_format(&ev, line, sizeof(line));
		CHECK_STR(line,
			  "path 1 leads to another logical unit: removed");
	}
	h.present[1] = false;
	n0 = h.nlog;
	CHECK(eh_settle(&h, 10000));
	/* the remaining path is rescanned, and only through path 0 */
	CHECK(eh_count(&h, n0, SALUA_CMD_RTPG) >= 1);
	CHECK_EQ(salua_engine_path_get(&h.e, 0, NULL, NULL, NULL), 1);
	CHECK_EQ(h.violations, 0);

	/* Errors: unused slot, bad index, NULL answers; none asks an RTPG. */
	r0 = salua_engine_get_counters(&h.e)->rescans;
	CHECK_EQ(salua_engine_rescan_path(&h.e, 1, &before, &same),
		 -SALUA_ENOENT);
	CHECK_EQ(salua_engine_rescan_path(&h.e, EH_MAX_PATHS, &before, &same),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_engine_rescan_path(&h.e, 0, NULL, &same),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_engine_rescan_path(&h.e, 0, &before, NULL),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_engine_rescan_path(NULL, 0, &before, &same),
		 -SALUA_EINVAL);
	CHECK_EQ(salua_engine_get_counters(&h.e)->rescans, r0);
	/* UNKNOWN keeps the path */
	memset(&other, 0, sizeof(other));
	CHECK_EQ(salua_engine_rescan_path(&h.e, 0, &before, &other),
		 SALUA_IDENT_UNKNOWN);
	CHECK_EQ(salua_engine_path_get(&h.e, 0, NULL, NULL, NULL), 1);
	CHECK(eh_settle(&h, 10000));
	salua_engine_shutdown(&h.e);
	CHECK_EQ(salua_engine_rescan_path(&h.e, 0, &before, &same),
		 -SALUA_ESTATE);
}

/* A command in flight on the path that turns out to be another LU. */
static void test_engine_inflight(void)
{
	uint8_t a83[128], b83[128];
	struct salua_ident before, other;
	const struct eh_sub *sub;
	struct eh h;
	unsigned n0, p, q;

	T_CASE("engine, async: the RTPG in flight on it moves to a sibling");
	eh_init(&h, NULL, true);
	h.fake.latency_ms = 50;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	CHECK(eh_settle(&h, 10000));
	memset(&before, 0, sizeof(before));
	before.vpd83 = a83;
	before.vpd83_len = page(a83, sizeof(a83), LU_A, NULL, 2);
	other = before;
	other.vpd83 = b83;
	other.vpd83_len = page(b83, sizeof(b83), LU_B, NULL, 2);
	n0 = h.nlog;
	salua_engine_rescan(&h.e);
	eh_run_for(&h, 10); /* submitted at +5 ms, completes at +55 */
	CHECK_EQ(h.nlog, n0 + 1);
	sub = eh_last(&h, 0);
	p = sub->path;
	q = 1u - p;
	CHECK_EQ(h.inflight_rtpg, 1);
	/* the host learns the device changed and aborts what it had sent */
	eh_abort_path(&h, p);
	CHECK_EQ(salua_engine_rescan_path(&h.e, p, &before, &other),
		 SALUA_IDENT_DIFFERENT);
	CHECK(eh_settle(&h, 10000));
	/* re-issued through the sibling; one RTPG in flight at a time */
	CHECK(h.nlog >= n0 + 2);
	CHECK_EQ(eh_last(&h, 0)->path, q);
	CHECK_EQ(h.max_inflight_rtpg, 1);
	CHECK_EQ(h.violations, 0);
	CHECK_EQ(salua_engine_path_get(&h.e, q, NULL, NULL, NULL), 1);
	CHECK_EQ(salua_engine_path_get(&h.e, p, NULL, NULL, NULL),
		 -SALUA_ENOENT);
}

/*
 * rescan_path() on a path that stays is a forced rescan, as
 * salua_engine_rescan(): in a transition window, a TUR poll that is due
 * becomes an RTPG first_delay_ms later.  On another LU it logs
 * SALUA_EV_IDENTITY on that path with salua_ident_compare()'s bits.
 */
static void test_engine_forced(bool async)
{
	uint8_t a83[128], b83[128];
	struct salua_ident before, other;
	const struct salua_engine_log *ev;
	struct eh h;
	unsigned lat = async ? 10 : 0, n0, l0, why = 0;

	T_CASE(async ? "engine, async: SAME while a TUR poll is due: an RTPG 5 ms later" :
		       "engine, sync: SAME while a TUR poll is due: an RTPG 5 ms later");
	eh_init(&h, NULL, async);
	h.fake.latency_ms = lat;
	h.fake.state[0] = SALUA_STATE_TRANSITIONING;
	CHECK_EQ(eh_add(&h, 0, 0), 0);
	CHECK_EQ(eh_add(&h, 1, 1), 0);
	eh_run_for(&h, 5 + lat);
	CHECK(salua_engine_transitioning(&h.e));
	CHECK(h.timer_armed);
	CHECK(h.timer_at > h.now + 5);        /* the poll, later */
	memset(&before, 0, sizeof(before));
	before.vpd83 = a83;
	before.vpd83_len = page(a83, sizeof(a83), LU_A, NULL, 2);
	other = before;
	other.vpd83 = b83;
	other.vpd83_len = page(b83, sizeof(b83), LU_B, NULL, 2);
	n0 = h.nlog;
	CHECK_EQ(salua_engine_rescan_path(&h.e, 1, &before, &before),
		 SALUA_IDENT_SAME);
	CHECK_EQ(h.timer_at, h.now + 5);
	eh_run_until(&h, h.now + 5);
	CHECK_EQ(h.nlog - n0, 1);
	CHECK_EQ(eh_last(&h, 0)->kind, SALUA_CMD_RTPG);

	T_CASE(async ? "engine, async: DIFFERENT logs SALUA_EV_IDENTITY with the bits" :
		       "engine, sync: DIFFERENT logs SALUA_EV_IDENTITY with the bits");
	CHECK_EQ(salua_ident_compare(&before, &other, &why),
		 SALUA_IDENT_DIFFERENT);
	CHECK(why != 0);
	l0 = h.logs;
	h.present[1] = false;
	CHECK_EQ(salua_engine_rescan_path(&h.e, 1, &before, &other),
		 SALUA_IDENT_DIFFERENT);
	CHECK_EQ(eh_nev(&h, l0, SALUA_EV_IDENTITY), 1);
	ev = eh_ev(&h, l0, SALUA_EV_IDENTITY, 0);
	CHECK(ev != NULL);
	if (ev) {
		CHECK_EQ(ev->path, 1);
		CHECK_EQ(ev->a, why);
	}
	h.fake.state[0] = SALUA_STATE_AO;
	CHECK(eh_settle(&h, 100000));
	CHECK_EQ(h.violations, 0);
}

int main(void)
{
	test_compare();
	test_engine(false);
	test_engine(true);
	test_engine_inflight();
	test_engine_forced(false);
	test_engine_forced(true);
	return t_done("identity");
}
