/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe --watch: the engine on every logical unit, TEST UNIT READY on
 * each path every interval, and every state change printed as it happens
 * (text with timestamps, or JSON Lines).
 */
#include "cli.h"
#include "dev.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

struct wlu {
	struct pd_run run;
	uint64_t next_poll;
	uint16_t *last_sense; /* per path: key<<12 | asc<<4... shown last */
};

static bool watch_json;

static void print_change(struct pd_run *r, unsigned path)
{
	struct pd_path *p = &r->c->paths[r->map[path]];
	uint8_t old = p->status_code; /* old state, see op_notify() */
	char ts[32];
	uint64_t now = pd_lu_now(r->c, r->lu);

	if (watch_json) {
		struct jw w;

		jw_init_compact(&w, stdout);
		jw_head(&w, "state-change", false, NULL);
		jw_key(&w, "time_ms");
		jw_uint(&w, now - 1000u);
		jw_key(&w, "device");
		jw_str(&w, p->dev);
		jw_key(&w, "lu_name");
		jw_str(&w, p->lu_name[0] ? p->lu_name : NULL);
		jw_key(&w, "tpg_id");
		if (p->have_tpg)
			jw_uint(&w, p->tpg);
		else
			jw_null(&w);
		jw_key(&w, "old_state_name");
		jw_str(&w, old == 0xffu ? NULL : salua_state_name(old));
		jw_key(&w, "state");
		jw_uint(&w, p->state);
		jw_key(&w, "state_name");
		jw_str(&w, salua_state_name(p->state));
		jw_key(&w, "preferred");
		jw_bool(&w, p->pref);
		jw_obj_end(&w);
		jw_finish(&w);
	} else {
		pd_watch_time(r->c, ts, sizeof(ts), now);
		printf("%s %-12s tpg 0x%04x  %s -> %s%s\n", ts, p->dev, p->tpg,
		       old == 0xffu ? "(unknown)" : salua_state_name(old),
		       salua_state_name(p->state), p->pref ? " (PREF)" : "");
	}
	fflush(stdout);
}

static void print_selector(struct pd_ctx *c, struct pd_lu *lu)
{
	struct pd_picks sel[SALUA_SEL_NPOLICIES];
	char ts[32];
	unsigned pol;

	if (watch_json)
		return;
	pd_selector(c, lu, sel);
	pd_watch_time(c, ts, sizeof(ts), pd_lu_now(c, lu));
	printf("%s selector:", ts);
	for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
		printf("%s %s ", pol ? " |" : "", salua_sel_policy_name(pol));
		pd_put_picks(stdout, c, &sel[pol]);
	}
	pd_picks_free(sel);
	putchar('\n');
	fflush(stdout);
}

static void poll_paths(struct pd_ctx *c, struct wlu *w)
{
	struct pd_run *r = &w->run;
	unsigned i;
	uint8_t cdb[6];

	salua_cdb_tur(cdb, sizeof(cdb));
	for (i = 0; i < r->n; i++) {
		struct pd_path *p = &c->paths[r->map[i]];
		struct salua_sense s;
		struct pd_res res;
		uint16_t code = 0;
		char d[160], ts[32];

		if (pd_exec(c, p, cdb, sizeof(cdb), SALUA_SGIO_NONE, NULL, 0,
			    10000u, &res) < 0 || res.xfer != SALUA_XFER_OK)
			continue;
		if (res.status == SALUA_STATUS_CHECK_CONDITION &&
		    salua_sense_normalize(res.sense, res.sense_len, &s) == 0) {
			code = (uint16_t)((unsigned)s.key << 12 |
					  (s.has_asc ? (unsigned)s.asc << 4 |
							       (s.ascq & 0x0fu) :
						       0u));
			if (s.key == SALUA_SK_UNIT_ATTENTION ||
			    code != w->last_sense[i]) {
				pd_describe_sense(res.sense, res.sense_len, d,
						  sizeof(d));
				if (!watch_json) {
					pd_watch_time(c, ts, sizeof(ts),
						      pd_lu_now(c, r->lu));
					printf("%s %-12s TUR: %s\n", ts, p->dev,
					       d);
					fflush(stdout);
				}
			}
		}
		/* The engine hears news, not the same NOT READY every poll. */
		if (code && (code >> 12 == SALUA_SK_UNIT_ATTENTION ||
			     code != w->last_sense[i]))
			salua_engine_sense(&r->e, i, res.status,
					   res.sense_len ? res.sense : NULL,
					   res.sense_len);
		w->last_sense[i] = code;
	}
}

static int watch(struct pd_ctx *c, uint64_t interval_ms, uint64_t duration_ms,
		 unsigned speed)
{
	struct wlu *w;
	uint64_t start = pd_mono_ms(), base[PD_MAX_SIMS];
	uint64_t virt = 0, virt_next = 0; /* simulated ms since start */
	struct sigaction sa;
	unsigned l, i, nw = 0;

	watch_json = c->json;
	w = (struct wlu *)calloc(c->nlus ? c->nlus : 1, sizeof(*w));
	if (!w)
		return PROBE_EXIT_IO;
	for (i = 0; i < c->nsims; i++)
		base[i] = salua_sim_now(&c->sims[i]->sim);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (l = 0; l < c->nlus; l++) {
		struct pd_lu *lu = &c->lus[l];

		if (!lu->alua)
			continue;
		w[l].last_sense = (uint16_t *)calloc(lu->n, sizeof(uint16_t));
		if (!w[l].last_sense ||
		    pd_run_init(&w[l].run, c, lu, lu->paths, lu->n) < 0)
			continue;
		w[l].run.on_notify = print_change;
		w[l].run.log_events = !c->json;
		w[l].next_poll = pd_lu_now(c, lu);
		nw++;
	}
	if (!c->json) {
		printf("watching %u logical unit%s: TEST UNIT READY every %llu ms%s",
		       nw, nw == 1 ? "" : "s",
		       (unsigned long long)interval_ms,
		       duration_ms ? "" : "; Ctrl-C to stop");
		if (duration_ms)
			printf(" for %llu.%03llu s",
			       (unsigned long long)(duration_ms / 1000u),
			       (unsigned long long)(duration_ms % 1000u));
		if (c->nsims)
			printf("; simulated time at %ux", speed);
		printf("\n");
		fflush(stdout);
	}
	while (!stop_flag) {
		uint64_t real = pd_mono_ms() - start, wait = interval_ms;
		uint64_t target = real * speed;

		/*
		 * Simulated time follows real time x speed but never jumps over
		 * an event (a poll, an engine deadline, a scheduled change of
		 * the array): a process stalled by a busy machine catches up
		 * event by event and shows the same sequence as an idle one.
		 */
		virt = virt_next > virt && virt_next < target ? virt_next : target;
		if (duration_ms && (c->nsims ? virt >= duration_ms :
					       real >= duration_ms))
			break;
		for (i = 0; i < c->nsims; i++)
			pd_sim_advance(c->sims[i], base[i] + virt);
		virt_next = UINT64_MAX;
		for (l = 0; l < c->nlus; l++) {
			struct pd_lu *lu = &c->lus[l];
			struct pd_run *r = &w[l].run;
			uint64_t now, next;
			unsigned sp = pd_lu_sim(c, lu) ? speed : 1u;

			if (!r->slots)
				continue;
			now = pd_lu_now(c, lu);
			if (now >= w[l].next_poll) {
				poll_paths(c, &w[l]);
				w[l].next_poll = now + interval_ms;
				if (r->changes == 0 && salua_engine_idle(&r->e) &&
				    !r->armed)
					w[l].next_poll = now + interval_ms;
			}
			if (r->armed && r->deadline <= now) {
				r->armed = false;
				salua_engine_timer(&r->e);
			}
			if (r->changes) {
				r->changes = 0;
				print_selector(c, lu);
			}
			now = pd_lu_now(c, lu);
			next = w[l].next_poll;
			if (r->armed && r->deadline < next)
				next = r->deadline;
			if (sp != 1u && next > now && virt + (next - now) < virt_next)
				virt_next = virt + (next - now);
			next = next > now ? (next - now) / sp : 0;
			if (next < wait)
				wait = next;
		}
		for (i = 0; i < c->nsims; i++) {
			uint64_t snow = salua_sim_now(&c->sims[i]->sim);
			uint64_t d = c->sims[i]->scenario_loaded ?
					     salua_sim_next_deadline(&c->sims[i]->sim) :
					     c->sims[i]->delay_ms;

			if (d != UINT64_MAX && d > snow && virt + (d - snow) < virt_next)
				virt_next = virt + (d - snow);
		}
		if (c->nsims && virt_next != UINT64_MAX && (virt_next - virt) / speed < wait)
			wait = (virt_next - virt) / speed;
		if (c->nsims && virt < target)
			wait = 0; /* catching up */
		if (duration_ms) {
			uint64_t left_virt = duration_ms > virt ? duration_ms - virt : 0;
			uint64_t left = c->nsims ? left_virt / speed :
						   (duration_ms > real ?
							    duration_ms - real :
							    0);

			if (left < wait)
				wait = left;
		}
		if (wait || !(c->nsims && virt < target))
			pd_sleep_ms(wait ? wait : 1u);
	}
	for (l = 0; l < c->nlus; l++) {
		pd_run_fini(&w[l].run);
		free(w[l].last_sense);
	}
	free(w);
	if (!c->json) {
		printf("\nfinal state:\n");
		for (l = 0; l < c->nlus; l++) {
			pd_reset_view(c, &c->lus[l]);
			pd_probe_lu(c, &c->lus[l]);
		}
		pd_report_text(c, stdout);
	}
	return PROBE_EXIT_OK;
}

int probe_cmd_watch(const struct probe_cli *cli)
{
	struct pd_ctx c;
	int rc;

	rc = pd_setup(&c, cli);
	if (rc != PROBE_EXIT_OK)
		return rc;
	if (!c.json) {
		pd_report_text(&c, stdout);
		putchar('\n');
	}
	rc = watch(&c, cli->interval_ms, cli->duration_ms,
		   (unsigned)cli->speed);
	return pd_finish(&c, rc, false);
}
