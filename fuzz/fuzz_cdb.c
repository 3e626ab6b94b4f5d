/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Target-side CDB parser (INQUIRY, RTPG, STPG, TEST UNIT READY, REPORT
 * REFERRALS).  An accepted CDB rebuilt with the initiator-side builders gives back the
 * same bytes (CONTROL aside); a rejected one yields ILLEGAL REQUEST sense
 * in both formats whose field pointer names a byte inside the CDB.
 */
#include "fuzz.h"

static void accepted(const uint8_t *cdb, const struct salua_cdb *c)
{
	uint8_t b[SALUA_CDB16_LEN];
	int n;

	FUZZ_CHECK(c->err_asc == 0 && !c->err_has_field);
	FUZZ_CHECK((c->control & SALUA_CONTROL_CHECKED) == 0);
	FUZZ_CHECK(c->control == cdb[c->cdb_len - 1]);
	switch (c->opcode) {
	case SALUA_OP_TEST_UNIT_READY:
		n = salua_cdb_tur(b, sizeof(b));
		break;
	case SALUA_OP_INQUIRY:
		FUZZ_CHECK(c->alloc_len <= 0xffffu);
		n = salua_cdb_inquiry(b, sizeof(b), c->evpd, c->page,
				      (uint16_t)c->alloc_len);
		break;
	case SALUA_OP_MAINTENANCE_IN:
		FUZZ_CHECK(c->service_action == SALUA_SA_REPORT_TPGS);
		FUZZ_CHECK(c->pdf <= SALUA_RTPG_PDF_EXTENDED);
		n = salua_cdb_rtpg(b, sizeof(b), c->pdf, c->alloc_len);
		break;
	case SALUA_OP_MAINTENANCE_OUT:
		FUZZ_CHECK(c->service_action == SALUA_SA_SET_TPGS);
		n = salua_cdb_stpg(b, sizeof(b), c->param_len);
		break;
	case SALUA_OP_SERVICE_ACTION_IN16:
		FUZZ_CHECK(c->service_action == SALUA_SAI_REPORT_REFERRALS);
		n = salua_cdb_report_referrals(b, sizeof(b), c->lba,
					       c->alloc_len, c->one_seg);
		break;
	default:
		FUZZ_CHECK(0);
		return;
	}
	FUZZ_CHECK(n == (int)c->cdb_len);
	FUZZ_CHECK(memcmp(b, cdb, c->cdb_len - 1u) == 0);
	FUZZ_CHECK(b[c->cdb_len - 1] == 0);
	/* The rebuilt CDB parses to the same fields. */
	{
		struct salua_cdb r;

		FUZZ_CHECK(salua_cdb_parse(b, (size_t)n, &r) == 0);
		FUZZ_CHECK(r.opcode == c->opcode && r.evpd == c->evpd);
		FUZZ_CHECK(r.page == c->page && r.alloc_len == c->alloc_len);
		FUZZ_CHECK(r.param_len == c->param_len && r.pdf == c->pdf);
		FUZZ_CHECK(r.lba == c->lba && r.one_seg == c->one_seg);
	}
}

static void rejected(int rc, const struct salua_cdb *c, size_t len)
{
	uint8_t b[SALUA_SENSE_MAX_BUILD];
	struct salua_sense s;
	int desc, n;

	FUZZ_CHECK(rc == -SALUA_ETRUNC || rc == -SALUA_ENOTSUP ||
		   rc == -SALUA_EMALFORMED);
	FUZZ_CHECK(c->err_asc == SALUA_ASC_INVALID_OPCODE ||
		   c->err_asc == SALUA_ASC_INVALID_FIELD_IN_CDB);
	if (rc == -SALUA_ETRUNC)
		FUZZ_CHECK(!c->err_has_field);
	if (c->err_has_field) {
		FUZZ_CHECK(c->err_bit >= -1 && c->err_bit <= 7);
		FUZZ_CHECK(c->err_byte < len);
		if (c->cdb_len)
			FUZZ_CHECK(c->err_byte < c->cdb_len);
	}
	for (desc = 0; desc < 2; desc++) {
		n = salua_cdb_build_sense(c, desc != 0, b, sizeof(b));
		FUZZ_CHECK(n > 0);
		FUZZ_CHECK(salua_sense_normalize(b, (size_t)n, &s) == 0);
		FUZZ_CHECK(s.key == SALUA_SK_ILLEGAL_REQUEST && s.has_asc);
		FUZZ_CHECK(salua_sense_asc(&s) == c->err_asc);
		FUZZ_CHECK(s.has_sks == c->err_has_field);
		if (s.has_sks) {
			FUZZ_CHECK((s.sks[0] & SALUA_SKS_CD) != 0);
			FUZZ_CHECK(salua_get_be16(s.sks + 1) == c->err_byte);
			if (c->err_bit >= 0)
				FUZZ_CHECK((s.sks[0] & (SALUA_SKS_BPV |
							SALUA_SKS_BIT_MASK)) ==
					   (SALUA_SKS_BPV | (unsigned)c->err_bit));
			else
				FUZZ_CHECK(!(s.sks[0] & SALUA_SKS_BPV));
		}
		FUZZ_CHECK(salua_cdb_build_sense(c, desc != 0, b,
						 (size_t)n - 1u) ==
			   -SALUA_ENOSPC);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct salua_cdb c;
	int rc;

	rc = salua_cdb_parse(data, size, &c);
	if (size)
		FUZZ_CHECK(c.opcode == data[0]);
	if (c.cdb_len)
		FUZZ_CHECK(c.cdb_len == salua_cdb_len(c.opcode) ||
			   c.opcode == SALUA_OP_INQUIRY ||
			   c.opcode == SALUA_OP_TEST_UNIT_READY);
	if (rc == 0)
		accepted(data, &c);
	else
		rejected(rc, &c, size);
	return 0;
}
