/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua_sim_int.h - shared between the sim's source files; not installed. */
#ifndef SALUA_SIM_INT_H
#define SALUA_SIM_INT_H

#include "salua_sim.h"

/* One command in flight. */
struct salua_sim_cmd {
	unsigned port, lun;
	const uint8_t *cdb;
	size_t cdb_len;
	const uint8_t *dout;
	size_t dout_len;
	uint8_t *din;
	size_t din_cap;
};

/* Scenario event kinds (struct salua_sim__event.kind). */
#define SALUA_SIM__EV_STATE 1u
#define SALUA_SIM__EV_FAULT 2u
#define SALUA_SIM__EV_PORT_GROUP 3u
#define SALUA_SIM__EV_UA 4u /* fault.port, fault.value = ASC << 8 | ASCQ */

void salua_sim__ua_push(struct salua_sim *s, unsigned port, unsigned lun,
			uint16_t ascq);
bool salua_sim__take_ua(struct salua_sim *s, unsigned port, unsigned lun,
			uint16_t *ascq);
int salua_sim__change(struct salua_sim *s, unsigned lun, unsigned group,
		      uint8_t state, uint32_t ms, uint8_t status);
void salua_sim__check(struct salua_sim *s, struct salua_sim_result *r,
		      uint8_t key, uint16_t ascq);
void salua_sim__exec(struct salua_sim *s, const struct salua_sim_cmd *c,
		     struct salua_sim_result *r);
void salua_sim__exec_absent_lun(struct salua_sim *s,
				const struct salua_sim_cmd *c,
				struct salua_sim_result *r);
void salua_sim__run_event(struct salua_sim *s);

#endif /* SALUA_SIM_INT_H */
