/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe --watch: the host layer's LU (engine, selector, checker) on
 * every logical unit, TEST UNIT READY on each path every interval, and
 * every state change printed as it happens (text with timestamps, or JSON
 * Lines).  cmd_io.c reuses it for --io --watch.
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

static bool watch_json;

static void print_change(struct pd_host *h, unsigned path, uint8_t old)
{
	struct pd_ctx *c = h->c;
	struct pd_path *p = &c->paths[h->map[path]];
	uint64_t now = pd_now_ms(c);
	char ts[32];

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
		pd_watch_time(c, ts, sizeof(ts), now);
		printf("%s %-12s tpg 0x%04x  %s -> %s%s\n", ts, p->dev, p->tpg,
		       old == 0xffu ? "(unknown)" : salua_state_name(old),
		       salua_state_name(p->state), p->pref ? " (PREF)" : "");
	}
	fflush(stdout);
}

void probe_watch_selector(struct pd_ctx *c, struct pd_lu *lu)
{
	struct pd_picks sel[SALUA_SEL_NPOLICIES];
	char ts[32];
	unsigned pol;

	if (watch_json)
		return;
	pd_selector(c, lu, sel);
	pd_watch_time(c, ts, sizeof(ts), pd_now_ms(c));
	printf("%s selector:", ts);
	for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++) {
		printf("%s %s ", pol ? " |" : "", salua_sel_policy_name(pol));
		pd_put_picks(stdout, c, &sel[pol]);
	}
	pd_picks_free(sel);
	putchar('\n');
	fflush(stdout);
}

/* A checker TUR that brought news (a UNIT ATTENTION, a new NOT READY). */
static void print_check(struct pd_host *h, const struct salua_lu_event *e)
{
	struct pd_ctx *c = h->c;
	char d[160], ts[32];

	if (e->kind != SALUA_LU_EV_CHECK || watch_json || e->path >= h->n)
		return;
	pd_describe_sense(e->sense, e->sense_len, d, sizeof(d));
	pd_watch_time(c, ts, sizeof(ts), pd_now_ms(c));
	printf("%s %-12s TUR: %s\n", ts, c->paths[h->map[e->path]].dev, d);
	fflush(stdout);
}

/*
 * The host layer's LU over every path of each ALUA logical unit, its
 * checker sending TEST UNIT READY on each path every interval (news in the
 * sense goes to the engine), no activation, no I/O.
 */
struct pd_host *probe_watch_open(struct pd_ctx *c, struct pd_lu *lu,
				 uint64_t interval_ms,
				 const struct salua_lu_config *base)
{
	struct salua_lu_config lc;
	struct pd_host *h;

	if (base)
		lc = *base;
	else
		salua_lu_config_default(&lc);
	lc.check_all = true;
	lc.check_ms = (uint32_t)interval_ms;
	if (!base) {
		lc.auto_activate = false;
		lc.health.errors = 0;
	}
	h = pd_lu_open(c, lu, lu->paths, lu->n, &lc);
	if (!h)
		return NULL;
	watch_json = c->json;
	h->on_change = print_change;
	h->on_event = print_check;
	h->log_events = !c->json;
	return h;
}

static int watch(struct pd_ctx *c, uint64_t interval_ms, uint64_t duration_ms,
		 unsigned speed)
{
	struct pd_host **w;
	uint64_t end;
	struct sigaction sa;
	unsigned l, nw = 0;

	watch_json = c->json;
	w = (struct pd_host **)calloc(c->nlus ? c->nlus : 1, sizeof(*w));
	if (!w)
		return PROBE_EXIT_IO;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (l = 0; l < c->nlus; l++) {
		if (!c->lus[l].alua)
			continue;
		w[l] = probe_watch_open(c, &c->lus[l], interval_ms, NULL);
		if (w[l])
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
	end = duration_ms ? salua_loop_now(c->loop) + 1000u * duration_ms
			  : UINT64_MAX;
	while (!stop_flag && salua_loop_now(c->loop) < end) {
		if (salua_loop_run_once(c->loop, end) < 0)
			break;
		for (l = 0; l < c->nlus; l++) {
			if (w[l] && w[l]->changes) {
				w[l]->changes = 0;
				probe_watch_selector(c, &c->lus[l]);
			}
		}
	}
	for (l = 0; l < c->nlus; l++)
		pd_lu_close(w[l]);
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
