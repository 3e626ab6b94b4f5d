/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Sense data (SPC-5 §4.4): normalize whatever arrived, walk every
 * descriptor type, take the I/O and command dispositions of it under
 * several statuses, and rebuild the decoded sense: build -> normalize must
 * give back key, ASC/ASCQ, deferred, INFORMATION and the SKS bytes.  The
 * descriptor walk that reports cut and overrunning descriptors tiles the
 * descriptor bytes and agrees with salua_sense_find_desc(); user data
 * segment referral descriptors decode inside their bytes; the engine's
 * verdict says truncated exactly when the sense was.
 */
#include "fuzz.h"

static void check_verdict(struct salua_verdict v)
{
	FUZZ_CHECK((unsigned)v.disp <= SALUA_DISP_FAIL);
	FUZZ_CHECK((v.actions & ~(SALUA_ACT_TRANSITIONING | SALUA_ACT_RESCAN |
				  SALUA_ACT_PATH_STATE |
				  SALUA_ACT_DISCONNECTED)) == 0);
	/* LOGICAL UNIT NOT SUPPORTED: the path is gone, try another one. */
	if (v.actions & SALUA_ACT_DISCONNECTED)
		FUZZ_CHECK(v.disp == SALUA_DISP_FAILOVER &&
			   !(v.actions & SALUA_ACT_PATH_STATE));
	if (v.actions & SALUA_ACT_PATH_STATE)
		FUZZ_CHECK(v.state == SALUA_STATE_TRANSITIONING ||
			   v.state == SALUA_STATE_STANDBY ||
			   v.state == SALUA_STATE_UNAVAILABLE ||
			   v.state == SALUA_STATE_OFFLINE);
	else
		FUZZ_CHECK(v.state == 0);
	FUZZ_CHECK(salua_disposition_name(v.disp)[0] != '?');
}

static void dispositions(const struct salua_sense *s)
{
	static const uint8_t statuses[] = {
		SALUA_STATUS_GOOD, SALUA_STATUS_CHECK_CONDITION,
		SALUA_STATUS_BUSY, SALUA_STATUS_TASK_SET_FULL, 0xff
	};
	size_t i;
	int k;

	for (i = 0; i < sizeof(statuses); i++) {
		check_verdict(salua_io_disposition(statuses[i], s));
		for (k = SALUA_CMD_RTPG; k <= SALUA_CMD_TUR; k++) {
			enum salua_cmd_verdict cv;

			cv = salua_cmd_disposition((enum salua_cmd_kind)k,
						   false, statuses[i], s);
			FUZZ_CHECK((unsigned)cv <= SALUA_CV_FAIL);
			cv = salua_cmd_disposition((enum salua_cmd_kind)k,
						   true, statuses[i], s);
			FUZZ_CHECK((unsigned)cv <= SALUA_CV_FAIL);
			/* Only an extended-header RTPG can fall back. */
			if (k != SALUA_CMD_RTPG)
				FUZZ_CHECK(cv != SALUA_CV_EXT_FALLBACK);
		}
	}
	/* Deferred sense is never acted on. */
	if (s && s->deferred)
		FUZZ_CHECK(salua_io_disposition(SALUA_STATUS_CHECK_CONDITION, s)
				   .disp == SALUA_DISP_NOT_HANDLED);
}

static void rebuild(const struct salua_sense *s)
{
	struct salua_sense_spec sp;
	struct salua_sense r;
	uint8_t b[SALUA_SENSE_MAX_BUILD];
	int n;

	memset(&sp, 0, sizeof(sp));
	sp.descriptor = s->descriptor;
	sp.deferred = s->deferred;
	sp.key = s->key;
	sp.asc = s->asc;
	sp.ascq = s->ascq;
	sp.has_info = s->has_info;
	sp.information = s->information;
	sp.has_sks = s->has_sks;
	memcpy(sp.sks, s->sks, 3);
	n = salua_sense_build(b, sizeof(b), &sp);
	if (!s->descriptor && s->information > 0xffffffffu) {
		FUZZ_CHECK(n == -SALUA_EINVAL);
		return;
	}
	FUZZ_CHECK(n > 0 && (size_t)n <= sizeof(b));
	/* One byte short: refused, nothing written. */
	FUZZ_CHECK(salua_sense_build(b, (size_t)n - 1u, &sp) == -SALUA_ENOSPC);
	FUZZ_CHECK(salua_sense_normalize(b, (size_t)n, &r) == 0);
	FUZZ_CHECK(!r.truncated && r.len == (size_t)n);
	FUZZ_CHECK(r.descriptor == s->descriptor && r.deferred == s->deferred);
	FUZZ_CHECK(r.key == s->key && r.has_asc);
	if (s->has_asc)
		FUZZ_CHECK(r.asc == s->asc && r.ascq == s->ascq);
	FUZZ_CHECK(r.has_info == s->has_info);
	if (s->has_info)
		FUZZ_CHECK(r.information == s->information);
	FUZZ_CHECK(r.has_sks == s->has_sks);
	if (s->has_sks)
		FUZZ_CHECK(memcmp(r.sks, s->sks, 3) == 0);
}

/* salua_sense_desc_next(): every descriptor byte once, statuses right. */
static void walk(const uint8_t *data, const struct salua_sense *s)
{
	struct salua_sense_desc_iter it;
	struct salua_sense_desc d;
	struct salua_referrals_info info;
	struct salua_referrals_iter rit;
	struct salua_uds_desc u;
	const uint8_t *fd;
	size_t fl, sum = 0, n;
	bool last = false;
	int rc;

	salua_sense_desc_first(&it, s);
	while (salua_sense_desc_next(&it, &d) == 1) {
		FUZZ_CHECK(!last);
		FUZZ_CHECK(d.p == data + d.off && d.off == 8u + sum);
		FUZZ_CHECK(d.avail >= 1 && d.off + d.avail <= s->len);
		FUZZ_CHECK(d.type == d.p[0]);
		sum += d.avail;
		if (d.status == SALUA_SDESC_ST_COMPLETE) {
			FUZZ_CHECK(d.len == d.avail && d.len == 2u + d.p[1]);
			/* find_desc sees the first of each type alike */
			FUZZ_CHECK(salua_sense_find_desc(s, d.type, &fd,
							 &fl) == 0);
			FUZZ_CHECK(fd <= d.p);
		} else {
			last = true;
			FUZZ_CHECK(d.avail < (d.len ? d.len : 2u));
			if (d.status == SALUA_SDESC_ST_CUT)
				FUZZ_CHECK(s->truncated);
			else
				FUZZ_CHECK(d.status == SALUA_SDESC_ST_OVERRUN);
		}
		rc = salua_referrals_sense_parse(&d, &info, &rit);
		if (d.type != SALUA_SDESC_UDS_REFERRAL) {
			FUZZ_CHECK(rc == -SALUA_ENOENT);
			continue;
		}
		if (rc < 0) {
			FUZZ_CHECK(rc == -SALUA_ETRUNC || rc == -SALUA_EMALFORMED);
			continue;
		}
		n = 0;
		while (salua_referrals_next(&rit, &u) == 1) {
			FUZZ_CHECK(u.off >= 4 && u.off + 20u + 4u * u.ntpg <=
							d.avail);
			FUZZ_CHECK(u.tpgs == d.p + u.off + 20);
			n++;
		}
		FUZZ_CHECK(n == info.nsegs && info.complete_len <= d.avail);
		if (info.complete_len < d.avail && !info.overrun)
			FUZZ_CHECK(info.truncated);
	}
	FUZZ_CHECK(sum == (s->descriptor ? s->desc_len : 0u));
}

/* The engine passes truncation on in its verdict. */
static void engine_verdict(const uint8_t *data, size_t size, int rc,
			   const struct salua_sense *s)
{
	struct salua_verdict v;

	v = salua_engine_sense(NULL, 0, SALUA_STATUS_CHECK_CONDITION, data,
			       size);
	if (!size)
		FUZZ_CHECK(v.sense == 0);
	else if (rc == 0)
		FUZZ_CHECK(v.sense == (s->truncated ? SALUA_VSENSE_TRUNCATED :
						      0u));
	else
		FUZZ_CHECK(v.sense == (rc == -SALUA_ETRUNC ?
					       SALUA_VSENSE_TRUNCATED :
					       SALUA_VSENSE_INVALID));
	if (rc == 0) {
		struct salua_verdict w =
			salua_io_disposition(SALUA_STATUS_CHECK_CONDITION, s);

		FUZZ_CHECK(w.disp == v.disp && w.actions == v.actions &&
			   w.state == v.state);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct salua_sense s;
	const uint8_t *d;
	size_t dl;
	unsigned t;
	int rc;

	rc = salua_sense_normalize(data, size, &s);
	engine_verdict(data, size, rc, &s);
	if (rc != 0) {
		FUZZ_CHECK(rc == -SALUA_ETRUNC || rc == -SALUA_EPAGE);
		dispositions(NULL);
		return 0;
	}
	walk(data, &s);
	FUZZ_CHECK(s.len <= size && s.key <= 15);
	FUZZ_CHECK(salua_sense_key_name(s.key) != NULL);
	if (s.has_asc)
		(void)salua_asc_name(s.asc, s.ascq);
	FUZZ_CHECK(salua_sense_asc(&s) ==
		   (s.has_asc ? (uint16_t)(s.asc << 8 | s.ascq) : 0xffffu));
	if (s.desc) {
		FUZZ_CHECK(s.descriptor);
		FUZZ_CHECK(s.desc == data + SALUA_SENSE_DESC_HDR_LEN);
		FUZZ_CHECK(s.desc_len + SALUA_SENSE_DESC_HDR_LEN == s.len);
	}
	for (t = 0; t < 256; t++) {
		rc = salua_sense_find_desc(&s, (uint8_t)t, &d, &dl);
		if (rc == 0) {
			FUZZ_CHECK(d >= s.desc && dl >= 2);
			FUZZ_CHECK((size_t)(d - s.desc) + dl <= s.desc_len);
			FUZZ_CHECK(d[0] == t && dl == 2u + d[1]);
		} else {
			FUZZ_CHECK(rc == -SALUA_ENOENT || rc == -SALUA_ETRUNC ||
				   rc == -SALUA_EMALFORMED);
		}
		/* Past the first two types only types present matter. */
		if (t == 3 && !s.desc)
			break;
	}
	dispositions(&s);
	rebuild(&s);
	return 0;
}
