/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua_transport.c - helpers shared by every transport's users. */
#include "salua_transport.h"

#include <stdio.h>

static const char *status_name(uint8_t s)
{
	switch (s) {
	case SALUA_STATUS_GOOD: return "GOOD";
	case SALUA_STATUS_CHECK_CONDITION: return "CHECK CONDITION";
	case SALUA_STATUS_CONDITION_MET: return "CONDITION MET";
	case SALUA_STATUS_BUSY: return "BUSY";
	case SALUA_STATUS_RESERVATION_CONFLICT: return "RESERVATION CONFLICT";
	case SALUA_STATUS_TASK_SET_FULL: return "TASK SET FULL";
	case SALUA_STATUS_ACA_ACTIVE: return "ACA ACTIVE";
	case SALUA_STATUS_TASK_ABORTED: return "TASK ABORTED";
	default: return "status";
	}
}

const char *salua_xport_text(const struct salua_transport *t,
			     const struct salua_xport_result *r, char *buf,
			     size_t cap)
{
	char nat[96];
	struct salua_sense s;

	if (!cap)
		return buf;
	if (r->xfer != SALUA_XFER_OK) {
		nat[0] = '\0';
		if (t)
			salua_xport_describe(t, r->native, nat, sizeof(nat));
		snprintf(buf, cap, "%s%s%s%s",
			 r->xfer == SALUA_XFER_TIMEOUT ? "timeout"
						       : "transport failure",
			 nat[0] ? " (" : "", nat, nat[0] ? ")" : "");
		return buf;
	}
	if (r->status == SALUA_STATUS_CHECK_CONDITION && r->sense_len &&
	    salua_sense_normalize(r->sense, r->sense_len, &s) == 0) {
		if (s.has_asc)
			snprintf(buf, cap, "CHECK CONDITION %s %02x/%02x %s",
				 salua_sense_key_name(s.key), s.asc, s.ascq,
				 salua_asc_name(s.asc, s.ascq));
		else
			snprintf(buf, cap, "CHECK CONDITION %s",
				 salua_sense_key_name(s.key));
		return buf;
	}
	snprintf(buf, cap, "%s (0x%02x)", status_name(r->status), r->status);
	return buf;
}
