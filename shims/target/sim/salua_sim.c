/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_sim.c - the simulated array: state model, UNIT ATTENTIONs, gating,
 * faults and the command dispatcher.  The scenario language is in
 * salua_sim_scenario.c.
 */
#include "salua_sim.h"
#include "salua_sim_int.h"

void salua_sim_config_default(struct salua_sim_config *c)
{
	unsigned g;

	memset(c, 0, sizeof(*c));
	c->luns = 1;
	c->ports = 2;
	c->groups = 2;
	c->implicit = true;
	c->explicit_alua = true;
	c->supported = SALUA_SUP_AO | SALUA_SUP_ANO | SALUA_SUP_S |
		       SALUA_SUP_U | SALUA_SUP_O | SALUA_SUP_T;
	c->implicit_transition_secs = 60;
	c->transition_ms = 2000;
	c->latency_ms = 0;
	c->nonop_delay_ms = 0;
	c->initial_state[0] = SALUA_STATE_AO;
	for (g = 1; g < SALUA_SIM_MAX_GROUPS; g++)
		c->initial_state[g] = SALUA_STATE_STANDBY;
	c->pref_mask = 0x01;
	c->stpg_demote_state = SALUA_STATE_STANDBY;
}

int salua_sim_init(struct salua_sim *s, const struct salua_sim_config *c)
{
	unsigned l, g, p;

	if (!s || !c)
		return -SALUA_EINVAL;
	if (c->luns < 1 || c->luns > SALUA_SIM_MAX_LUNS || c->ports < 1 ||
	    c->ports > SALUA_SIM_MAX_PORTS || c->groups < 1 ||
	    c->groups > SALUA_SIM_MAX_GROUPS)
		return -SALUA_EINVAL;
	for (g = 0; g < c->groups; g++)
		if (!salua_state_valid(c->initial_state[g]))
			return -SALUA_EINVAL;
	if (!salua_state_valid(c->stpg_demote_state) ||
	    c->stpg_demote_state == SALUA_STATE_TRANSITIONING)
		return -SALUA_EINVAL;

	memset(s, 0, sizeof(*s));
	s->cfg = *c;
	for (p = 0; p < c->ports; p++)
		s->port_group[p] = (uint8_t)(p * c->groups / c->ports);
	for (l = 0; l < c->luns; l++) {
		for (g = 0; g < c->groups; g++) {
			struct salua_sim__grp *gr = &s->grp[l][g];

			gr->state = c->initial_state[g];
			gr->target = gr->state;
			gr->pref = (c->pref_mask >> g) & 1u;
			gr->excl_port = -1;
		}
	}
	if (c->power_on_ua)
		for (p = 0; p < c->ports; p++)
			for (l = 0; l < c->luns; l++)
				salua_sim__ua_push(s, p, l,
						   SALUA_ASC_POWER_ON_RESET);
	return 0;
}

int salua_sim_set_store(struct salua_sim *s, unsigned lun, uint8_t *store,
			size_t len)
{
	if (!s || lun >= SALUA_SIM_MAX_LUNS)
		return -SALUA_EINVAL;
	s->store[lun] = store;
	s->store_len[lun] = store ? len : 0;
	return 0;
}

uint64_t salua_sim_now(const struct salua_sim *s)
{
	return s->now;
}

/* ---- UNIT ATTENTION queues -------------------------------------------- */

/* Higher is more important; used only when a queue overflows. */
static unsigned ua_rank(uint16_t ascq)
{
	switch (ascq) {
	case SALUA_ASC_POWER_ON_RESET: return 4;
	case SALUA_ASC_IMPLICIT_TRANSITION_FAILED: return 3;
	case SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED: return 2;
	default: return 1;
	}
}

void salua_sim__ua_push(struct salua_sim *s, unsigned port, unsigned lun,
			uint16_t ascq)
{
	struct salua_sim__ua *u = &s->ua[port][lun];
	unsigned i, low = 0;

	if (u->n < SALUA_SIM_UA_DEPTH) {
		u->q[u->n++] = ascq;
		return;
	}
	/* Full: evict the oldest of the least important, if less than this. */
	for (i = 1; i < u->n; i++)
		if (ua_rank(u->q[i]) < ua_rank(u->q[low]))
			low = i;
	if (ua_rank(u->q[low]) >= ua_rank(ascq))
		return;
	memmove(&u->q[low], &u->q[low + 1],
		(size_t)(u->n - low - 1) * sizeof(u->q[0]));
	u->q[u->n - 1] = ascq;
}

static bool ua_pop(struct salua_sim *s, unsigned port, unsigned lun,
		   uint16_t *ascq)
{
	struct salua_sim__ua *u = &s->ua[port][lun];

	if (!u->n)
		return false;
	*ascq = u->q[0];
	u->n--;
	memmove(&u->q[0], &u->q[1], (size_t)u->n * sizeof(u->q[0]));
	return true;
}

unsigned salua_sim_ua_pending(const struct salua_sim *s, unsigned port,
			      unsigned lun)
{
	if (port >= s->cfg.ports || lun >= s->cfg.luns)
		return 0;
	return s->ua[port][lun].n;
}

/* 2A/06 for a change of @group of @lun, on every nexus it concerns. */
static void ua_state_changed(struct salua_sim *s, unsigned lun, unsigned group)
{
	unsigned p;

	for (p = 0; p < s->cfg.ports; p++) {
		if (s->cfg.ua_group_ports_only && s->port_group[p] != group)
			continue;
		/* An explicit change spares the nexus that sent the STPG. */
		if (s->grp[lun][group].excl_port == (int)p)
			continue;
		salua_sim__ua_push(s, p, lun,
				   SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED);
	}
}

/* ---- state model -------------------------------------------------------- */

static void begin_change(struct salua_sim *s, unsigned lun, unsigned group,
			 uint8_t state, uint32_t ms, uint8_t status)
{
	struct salua_sim__grp *g = &s->grp[lun][group];

	if (!g->pending && g->state == state)
		return;
	g->status = status;
	g->excl_port = (int8_t)(s->stpg_active ? (int)s->stpg_port : -1);
	if (state == SALUA_STATE_TRANSITIONING) {
		g->pending = false;
		g->target = state;
		if (g->state != state) {
			g->state = state;
			ua_state_changed(s, lun, group);
		}
		return;
	}
	if (g->state != SALUA_STATE_TRANSITIONING) {
		g->state = SALUA_STATE_TRANSITIONING;
		ua_state_changed(s, lun, group);
	}
	g->target = state;
	if (ms) {
		g->pending = true;
		g->due = s->now + ms;
		return;
	}
	g->pending = false;
	g->state = state;
	ua_state_changed(s, lun, group);
}

int salua_sim__change(struct salua_sim *s, unsigned lun, unsigned group,
		      uint8_t state, uint32_t ms, uint8_t status)
{
	if (lun >= s->cfg.luns || group >= s->cfg.groups ||
	    !salua_state_valid(state))
		return -SALUA_EINVAL;
	if (!(s->cfg.supported & salua_state_sup_bit(state)))
		return -SALUA_ENOTSUP;
	begin_change(s, lun, group, state, ms, status);
	return 0;
}

int salua_sim_set_state(struct salua_sim *s, unsigned lun, unsigned group,
			uint8_t state, uint32_t transition_ms)
{
	if (!s)
		return -SALUA_EINVAL;
	return salua_sim__change(s, lun, group, state, transition_ms,
				 SALUA_TPG_STATUS_BY_IMPLICIT);
}

int salua_sim_queue_ua(struct salua_sim *s, int lun, int port, uint16_t ascq)
{
	unsigned l, p;

	if (!s || lun < -1 || lun >= (int)s->cfg.luns || port < -1 ||
	    port >= (int)s->cfg.ports)
		return -SALUA_EINVAL;
	for (l = 0; l < s->cfg.luns; l++) {
		if (lun >= 0 && l != (unsigned)lun)
			continue;
		for (p = 0; p < s->cfg.ports; p++)
			if (port < 0 || p == (unsigned)port)
				salua_sim__ua_push(s, p, l, ascq);
	}
	return 0;
}

int salua_sim_set_pref(struct salua_sim *s, unsigned lun, unsigned group,
		       bool pref)
{
	if (!s || lun >= s->cfg.luns || group >= s->cfg.groups)
		return -SALUA_EINVAL;
	s->grp[lun][group].pref = pref;
	return 0;
}

int salua_sim_set_port_group(struct salua_sim *s, unsigned port,
			     unsigned group)
{
	if (!s || port >= s->cfg.ports || group >= s->cfg.groups)
		return -SALUA_EINVAL;
	s->port_group[port] = (uint8_t)group;
	return 0;
}

const struct salua_sim_config *salua_sim_get_config(const struct salua_sim *s)
{
	return &s->cfg;
}

uint8_t salua_sim_group_of_port(const struct salua_sim *s, unsigned port)
{
	if (!s || port >= s->cfg.ports)
		return 0xff;
	return s->port_group[port];
}

uint8_t salua_sim_state(const struct salua_sim *s, unsigned lun,
			unsigned group)
{
	if (!s || lun >= s->cfg.luns || group >= s->cfg.groups)
		return 0xff;
	return s->grp[lun][group].state;
}

uint8_t salua_sim_path_state(const struct salua_sim *s, unsigned port,
			     unsigned lun)
{
	if (!s || port >= s->cfg.ports || lun >= s->cfg.luns)
		return 0xff;
	return s->grp[lun][s->port_group[port]].state;
}

/* Earliest pending transition end, UINT64_MAX if none. */
static uint64_t next_transition(const struct salua_sim *s, unsigned *lun,
				unsigned *group)
{
	uint64_t best = UINT64_MAX;
	unsigned l, g;

	for (l = 0; l < s->cfg.luns; l++)
		for (g = 0; g < s->cfg.groups; g++)
			if (s->grp[l][g].pending && s->grp[l][g].due < best) {
				best = s->grp[l][g].due;
				*lun = l;
				*group = g;
			}
	return best;
}

uint64_t salua_sim_next_deadline(const struct salua_sim *s)
{
	unsigned l = 0, g = 0;
	uint64_t t = next_transition(s, &l, &g);

	if (s->nev && s->ev[0].at < t)
		t = s->ev[0].at;
	return t;
}

void salua_sim_set_time(struct salua_sim *s, uint64_t now_ms)
{
	if (now_ms < s->now)
		return;
	for (;;) {
		unsigned l = 0, g = 0;
		uint64_t tt = next_transition(s, &l, &g);
		uint64_t te = s->nev ? s->ev[0].at : UINT64_MAX;

		if (tt > now_ms && te > now_ms)
			break;
		if (tt <= te) {
			struct salua_sim__grp *gr = &s->grp[l][g];

			s->now = tt;
			gr->pending = false;
			gr->state = gr->target;
			ua_state_changed(s, l, g);
		} else {
			s->now = te;
			salua_sim__run_event(s);
		}
	}
	s->now = now_ms;
}

/* ---- faults ------------------------------------------------------------- */

int salua_sim_inject(struct salua_sim *s, const struct salua_sim_fault_spec *f)
{
	unsigned i;

	if (!s || !f)
		return -SALUA_EINVAL;
	switch (f->kind) {
	case SALUA_SIM_INJ_DROP:
	case SALUA_SIM_INJ_TRANSPORT:
	case SALUA_SIM_INJ_BUSY:
	case SALUA_SIM_INJ_TASK_SET_FULL:
	case SALUA_SIM_INJ_SLOW:
		if (f->port >= (int)s->cfg.ports || f->port < -1 ||
		    f->lun >= (int)s->cfg.luns || f->lun < -1 ||
		    f->opcode > 0xff || f->opcode < -1)
			return -SALUA_EINVAL;
		for (i = 0; i < SALUA_SIM_MAX_FAULTS; i++) {
			if (s->faults[i].left)
				continue;
			s->faults[i].spec = *f;
			s->faults[i].left = f->count;
			return 0;
		}
		return -SALUA_ENOSPC;
	case SALUA_SIM_INJ_EXT_HDR:
		if (f->value > SALUA_SIM_EXT_IGNORE)
			return -SALUA_EINVAL;
		s->ext_hdr = (uint8_t)f->value;
		return 0;
	case SALUA_SIM_INJ_RTPG_PAD:
		if (f->value > SALUA_SIM_MAX_PAD_GROUPS)
			return -SALUA_EINVAL;
		s->rtpg_pad = f->value;
		return 0;
	case SALUA_SIM_INJ_RTPG_OVERCLAIM:
		s->rtpg_overclaim = f->value;
		return 0;
	case SALUA_SIM_INJ_LIO_SHORT_RDL:
		s->lio_short_rdl = f->value != 0;
		return 0;
	case SALUA_SIM_INJ_LIO_SKIP_GROUP:
		s->lio_skip_group = f->value != 0;
		return 0;
	case SALUA_SIM_INJ_CLEAR:
		memset(s->faults, 0, sizeof(s->faults));
		s->ext_hdr = SALUA_SIM_EXT_NORMAL;
		s->rtpg_pad = 0;
		s->rtpg_overclaim = 0;
		s->lio_short_rdl = false;
		s->lio_skip_group = false;
		return 0;
	default:
		return -SALUA_EINVAL;
	}
}

/* The first armed fault matching this command, consumed; NULL if none. */
static const struct salua_sim_fault_spec *
take_fault(struct salua_sim *s, unsigned port, unsigned lun, uint8_t op)
{
	unsigned i;

	for (i = 0; i < SALUA_SIM_MAX_FAULTS; i++) {
		struct salua_sim__fault *f = &s->faults[i];

		if (!f->left)
			continue;
		if (f->spec.port >= 0 && (unsigned)f->spec.port != port)
			continue;
		if (f->spec.lun >= 0 && (unsigned)f->spec.lun != lun)
			continue;
		if (f->spec.opcode >= 0 && (unsigned)f->spec.opcode != op)
			continue;
		f->left--;
		return &f->spec;
	}
	return NULL;
}

/* ---- gating -------------------------------------------------------------- */

/*
 * The core's table (salua/target.h, SPC-5 §5.16.2.4); LBA dependent without
 * an LBA map lets every command through.
 */
uint16_t salua_sim_gate(uint8_t state, const uint8_t *cdb, size_t cdb_len)
{
	return salua_target_gate(state, cdb, cdb_len, NULL, NULL);
}

/* ---- command dispatch --------------------------------------------------- */

void salua_sim__check(struct salua_sim *s, struct salua_sim_result *r,
		      uint8_t key, uint16_t ascq)
{
	int n;

	r->status = SALUA_STATUS_CHECK_CONDITION;
	r->data_len = 0;
	if (s->cfg.descriptor_sense)
		n = salua_sense_build_desc(r->sense, sizeof(r->sense), key,
					   (uint8_t)(ascq >> 8), (uint8_t)ascq);
	else
		n = salua_sense_build_fixed(r->sense, sizeof(r->sense), key,
					    (uint8_t)(ascq >> 8), (uint8_t)ascq);
	r->sense_len = (uint8_t)(n > 0 ? n : 0);
}

static bool reports_ua(uint8_t op)
{
	return op != SALUA_OP_INQUIRY && op != SALUA_SIM_OP_REPORT_LUNS &&
	       op != SALUA_OP_REQUEST_SENSE;
}

int salua_sim_command(struct salua_sim *s, unsigned port, unsigned lun,
		      const uint8_t *cdb, size_t cdb_len, const uint8_t *dout,
		      size_t dout_len, uint8_t *din, size_t din_cap,
		      struct salua_sim_result *r)
{
	const struct salua_sim_fault_spec *f;
	struct salua_sim_cmd c;
	uint16_t ascq;
	uint8_t state;

	if (!s || !r || !cdb || !cdb_len || port >= s->cfg.ports ||
	    (!din && din_cap) || (!dout && dout_len))
		return -SALUA_EINVAL;
	memset(r, 0, sizeof(*r));
	s->ncommands++;
	r->latency_ms = s->cfg.latency_ms;

	f = take_fault(s, port, lun, cdb[0]);
	if (f) {
		switch (f->kind) {
		case SALUA_SIM_INJ_DROP:
			r->fault = SALUA_SIM_FAULT_DROP;
			r->latency_ms = UINT32_MAX;
			return 0;
		case SALUA_SIM_INJ_TRANSPORT:
			r->fault = SALUA_SIM_FAULT_TRANSPORT;
			return 0;
		case SALUA_SIM_INJ_BUSY:
			r->status = SALUA_STATUS_BUSY;
			return 0;
		case SALUA_SIM_INJ_TASK_SET_FULL:
			r->status = SALUA_STATUS_TASK_SET_FULL;
			return 0;
		case SALUA_SIM_INJ_SLOW:
			r->latency_ms = f->value;
			break;
		case SALUA_SIM_INJ_EXT_HDR:
		case SALUA_SIM_INJ_RTPG_PAD:
		case SALUA_SIM_INJ_RTPG_OVERCLAIM:
		case SALUA_SIM_INJ_LIO_SHORT_RDL:
		case SALUA_SIM_INJ_LIO_SKIP_GROUP:
		case SALUA_SIM_INJ_CLEAR:
		default:
			break;
		}
	}

	memset(&c, 0, sizeof(c));
	c.port = port;
	c.lun = lun;
	c.cdb = cdb;
	c.cdb_len = cdb_len;
	c.dout = dout;
	c.dout_len = dout_len;
	c.din = din;
	c.din_cap = din_cap;

	if (lun >= s->cfg.luns) {
		salua_sim__exec_absent_lun(s, &c, r);
		return 0;
	}
	if (reports_ua(cdb[0]) && ua_pop(s, port, lun, &ascq)) {
		salua_sim__check(s, r, SALUA_SK_UNIT_ATTENTION, ascq);
		return 0;
	}
	state = s->grp[lun][s->port_group[port]].state;
	ascq = salua_sim_gate(state, cdb, cdb_len);
	if (ascq) {
		salua_sim__check(s, r, SALUA_SK_NOT_READY, ascq);
		return 0;
	}
	if (state == SALUA_STATE_ANO)
		r->latency_ms += s->cfg.nonop_delay_ms;
	salua_sim__exec(s, &c, r);
	return 0;
}

/* REQUEST SENSE needs the UA queue and the gate; the rest is in cmds. */
bool salua_sim__take_ua(struct salua_sim *s, unsigned port, unsigned lun,
			uint16_t *ascq)
{
	return ua_pop(s, port, lun, ascq);
}
