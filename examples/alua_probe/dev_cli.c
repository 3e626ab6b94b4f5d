/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - device mode: "alua_probe [options] [DEVICE...]", with
 * --set-state (STPG) and --watch (engine + TEST UNIT READY polling).
 */
#include "dev.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int dev_usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "alua_probe: %s", msg);
	if (arg)
		fprintf(stderr, " '%s'", arg);
	fputs("\nTry 'alua_probe --help' for more information.\n", stderr);
	return PROBE_EXIT_USAGE;
}

/* "2", "0.5", "1.25" seconds (or "250ms") to milliseconds. */
static bool parse_secs(const char *s, uint64_t *ms)
{
	uint64_t whole = 0, frac = 0, scale = 1000;
	const char *p = s;

	if (!*p)
		return false;
	if (strlen(p) > 2 && strcmp(p + strlen(p) - 2, "ms") == 0) {
		for (; *p >= '0' && *p <= '9'; p++)
			whole = whole * 10u + (uint64_t)(*p - '0');
		*ms = whole;
		return p != s && strcmp(p, "ms") == 0;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		whole = whole * 10u + (uint64_t)(*p - '0');
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			scale /= 10u;
			frac += (uint64_t)(*p - '0') * scale;
		}
	}
	if (*p == 's')
		p++;
	if (*p || p == s || whole > 86400u * 365u)
		return false;
	*ms = whole * 1000u + frac;
	return true;
}

static bool parse_state(const char *s, uint8_t *st)
{
	static const struct {
		const char *a, *b, *c;
		uint8_t st;
	} t[] = {
		{ "ao", "active/optimized", "active_optimized", SALUA_STATE_AO },
		{ "ano", "active/non-optimized", "active_nonoptimized",
		  SALUA_STATE_ANO },
		{ "s", "standby", "sb", SALUA_STATE_STANDBY },
		{ "u", "unavailable", "un", SALUA_STATE_UNAVAILABLE },
		{ "o", "offline", "of", SALUA_STATE_OFFLINE },
	};
	unsigned i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strcmp(s, t[i].a) == 0 || strcmp(s, t[i].b) == 0 ||
		    strcmp(s, t[i].c) == 0) {
			*st = t[i].st;
			return true;
		}
	}
	return false;
}

static void reset_view(struct pd_ctx *c, struct pd_lu *lu)
{
	unsigned i;

	for (i = 0; i < lu->n; i++) {
		struct pd_path *p = &c->paths[lu->paths[i]];

		p->known = false;
		p->rtpg_ok = false;
		p->err[0] = '\0';
	}
}

static bool lu_transitioning(struct pd_ctx *c, const struct pd_lu *lu)
{
	unsigned i;

	for (i = 0; i < lu->n; i++) {
		const struct pd_path *p = &c->paths[lu->paths[i]];

		if (p->known && p->state == SALUA_STATE_TRANSITIONING)
			return true;
	}
	return false;
}

static void sleep_ms(uint64_t ms)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ms / 1000u);
	ts.tv_nsec = (long)(ms % 1000u) * 1000000L;
	nanosleep(&ts, NULL);
}

static struct pd_path *find_path(struct pd_ctx *c, const char *dev)
{
	unsigned i;

	for (i = 0; i < c->npaths; i++) {
		struct pd_path *p = &c->paths[i];
		char blk[48];

		snprintf(blk, sizeof(blk), "/dev/%s", p->blk);
		if (strcmp(p->dev, dev) == 0 ||
		    (p->blk[0] && strcmp(blk, dev) == 0))
			return p;
	}
	return NULL;
}

int pd_cmd_set_state(struct pd_ctx *c, const char *state, const char *dev)
{
	struct pd_path *p = find_path(c, dev);
	struct pd_lu *lu;
	struct salua_stpg_desc d;
	uint8_t param[SALUA_STPG_HDR_LEN + SALUA_STPG_DESC_LEN], cdb[12];
	struct pd_res r;
	char why[200];
	uint8_t st;
	int plen, tries;

	if (!parse_state(state, &st))
		return dev_usage_error(
			"--set-state: unknown state (ao, ano, standby, unavailable, offline)",
			state);
	if (!p) {
		fprintf(stderr, "alua_probe: --device %s: not among the probed devices\n",
			dev);
		return PROBE_EXIT_USAGE;
	}
	lu = &c->lus[p->lu];
	if (!p->have_tpg) {
		fprintf(stderr,
			"alua_probe: %s: target port group unknown (no TPG designator in VPD 0x83 and no RTPG answer): cannot send STPG\n",
			p->dev);
		return PROBE_EXIT_REFUSED;
	}
	d.state = st;
	d.id = p->tpg;
	plen = salua_stpg_encode(param, sizeof(param), &d, 1);
	if (plen < 0 || salua_cdb_stpg(cdb, sizeof(cdb), (uint32_t)plen) < 0)
		return PROBE_EXIT_IO;
	if (!c->json)
		printf("STPG %s: target port group 0x%04x -> %s\n", p->dev,
		       p->tpg, salua_state_name(st));
	/* A UNIT ATTENTION may be pending on the nexus: send again. */
	for (tries = 0; tries < 3; tries++) {
		if (pd_exec(c, p, cdb, 12, SALUA_SGIO_OUT, param,
			    (uint32_t)plen, 30000u, &r) < 0) {
			fprintf(stderr, "alua_probe: %s\n", p->err);
			return PROBE_EXIT_IO;
		}
		if (r.xfer != SALUA_XFER_OK || r.status != SALUA_STATUS_CHECK_CONDITION)
			break;
		{
			struct salua_sense ss;

			if (salua_sense_normalize(r.sense, r.sense_len, &ss) !=
				    0 ||
			    ss.key != SALUA_SK_UNIT_ATTENTION)
				break;
		}
	}
	if (r.xfer != SALUA_XFER_OK) {
		fprintf(stderr,
			"alua_probe: %s: SET TARGET PORT GROUPS failed at transport level (%s)\n",
			p->dev, salua_sgio_host_name(r.host_status));
		return PROBE_EXIT_IO;
	}
	if (r.status != SALUA_STATUS_GOOD) {
		struct salua_sense s;
		bool notsup = false;

		pd_describe_sense(r.sense, r.sense_len, why, sizeof(why));
		if (salua_sense_normalize(r.sense, r.sense_len, &s) == 0 &&
		    s.key == SALUA_SK_ILLEGAL_REQUEST && s.has_asc &&
		    s.asc == 0x20u)
			notsup = true;
		if (notsup)
			fprintf(stderr,
				"alua_probe: %s: the target does not support SET TARGET PORT GROUPS (TPGS=%d, %s; %s)\n",
				p->dev, lu->tpgs, pd_tpgs_name(lu->tpgs), why);
		else
			fprintf(stderr,
				"alua_probe: %s: SET TARGET PORT GROUPS refused: status 0x%02x (%s)\n",
				p->dev, r.status, why);
		if (c->json) {
			struct jw w;

			jw_init(&w, stdout);
			jw_obj(&w);
			jw_key(&w, "type");
			jw_str(&w, "set-state");
			jw_key(&w, "error");
			jw_obj(&w);
			jw_key(&w, "code");
			jw_str(&w, notsup ? "enotsup" : "erefused");
			jw_key(&w, "message");
			jw_str(&w, why);
			jw_key(&w, "offset");
			jw_null(&w);
			jw_obj_end(&w);
			jw_key(&w, "device");
			jw_str(&w, p->dev);
			jw_key(&w, "tpg_id");
			jw_uint(&w, p->tpg);
			jw_key(&w, "state");
			jw_uint(&w, st);
			jw_obj_end(&w);
			jw_finish(&w);
		}
		return PROBE_EXIT_REFUSED;
	}
	/* Show the new state; wait out a transition (at most ~30 s). */
	for (tries = 0; tries < 300; tries++) {
		reset_view(c, lu);
		pd_probe_lu(c, lu);
		if (!lu_transitioning(c, lu))
			break;
		if (pd_lu_sim(c, lu))
			pd_sim_advance(pd_lu_sim(c, lu),
				       salua_sim_now(&pd_lu_sim(c, lu)->sim) +
					       100u);
		else
			sleep_ms(100);
	}
	return PROBE_EXIT_OK;
}

/* ---- --watch ------------------------------------------------------- */

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
		jw_obj(&w);
		jw_key(&w, "type");
		jw_str(&w, "state-change");
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
	char sel[SALUA_SEL_NPOLICIES][160], ts[32];
	unsigned pol;

	if (watch_json)
		return;
	pd_selector(c, lu, sel);
	pd_watch_time(c, ts, sizeof(ts), pd_lu_now(c, lu));
	printf("%s selector:", ts);
	for (pol = 0; pol < SALUA_SEL_NPOLICIES; pol++)
		printf("%s %s %s", pol ? " |" : "", salua_sel_policy_name(pol),
		       sel[pol]);
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

int pd_cmd_watch(struct pd_ctx *c, uint64_t interval_ms, uint64_t duration_ms,
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
			sleep_ms(wait ? wait : 1u);
	}
	for (l = 0; l < c->nlus; l++) {
		pd_run_fini(&w[l].run);
		free(w[l].last_sense);
	}
	free(w);
	if (!c->json) {
		printf("\nfinal state:\n");
		for (l = 0; l < c->nlus; l++) {
			reset_view(c, &c->lus[l]);
			pd_probe_lu(c, &c->lus[l]);
		}
		pd_report_text(c, stdout);
	}
	return PROBE_EXIT_OK;
}

/* ---- entry --------------------------------------------------------- */

int probe_devices_main(int argc, char **argv)
{
	struct pd_ctx c;
	struct probe_err err;
	const char *set_state = NULL, *device = NULL, **devs;
	uint64_t interval = 1000u, duration = 0, v;
	unsigned speed = 1, ndevs = 0, l;
	int i, rc = PROBE_EXIT_OK;

	memset(&c, 0, sizeof(c));
	memset(&err, 0, sizeof(err));
	c.t0_ms = pd_mono_ms();
	devs = (const char **)calloc((size_t)argc + 1u, sizeof(*devs));
	c.paths = (struct pd_path *)calloc(PD_MAX_PATHS, sizeof(*c.paths));
	if (!devs || !c.paths) {
		free(devs);
		free(c.paths);
		fprintf(stderr, "alua_probe: out of memory\n");
		return PROBE_EXIT_IO;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;

#define VAL(name)                                                            \
	(strcmp(a, name) == 0 ? (i + 1 < argc ? (val = argv[++i]) : NULL) :  \
	 strncmp(a, name "=", sizeof(name)) == 0 ? (val = a + sizeof(name)) : \
						   NULL)
		if (strcmp(a, "--json") == 0 || strcmp(a, "-j") == 0) {
			c.json = true;
		} else if (strcmp(a, "--hex") == 0 || strcmp(a, "-H") == 0) {
			c.hex = true;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			c.verbose = true;
		} else if (strcmp(a, "--watch") == 0 || strcmp(a, "-w") == 0) {
			c.watch = true;
		} else if (strncmp(a, "--set-state", 11) == 0 &&
			   (a[11] == '\0' || a[11] == '=')) {
			if (!VAL("--set-state"))
				goto needs;
			set_state = val;
		} else if (strncmp(a, "--device", 8) == 0 &&
			   (a[8] == '\0' || a[8] == '=')) {
			if (!VAL("--device"))
				goto needs;
			device = val;
		} else if (strncmp(a, "--interval", 10) == 0 &&
			   (a[10] == '\0' || a[10] == '=')) {
			if (!VAL("--interval"))
				goto needs;
			if (!parse_secs(val, &interval) || interval < 10u) {
				rc = dev_usage_error("bad --interval (seconds, at least 0.01)",
						     val);
				goto out;
			}
		} else if (strncmp(a, "--duration", 10) == 0 &&
			   (a[10] == '\0' || a[10] == '=')) {
			if (!VAL("--duration"))
				goto needs;
			if (!parse_secs(val, &duration)) {
				rc = dev_usage_error("bad --duration (seconds)", val);
				goto out;
			}
		} else if (strncmp(a, "--speed", 7) == 0 &&
			   (a[7] == '\0' || a[7] == '=')) {
			if (!VAL("--speed"))
				goto needs;
			v = (uint64_t)strtoull(val, NULL, 10);
			if (v < 1u || v > 1000u) {
				rc = dev_usage_error("bad --speed (1..1000)", val);
				goto out;
			}
			speed = (unsigned)v;
		} else if (a[0] == '-' && a[1] != '\0') {
			rc = dev_usage_error("unknown option", a);
			goto out;
		} else {
			devs[ndevs++] = a;
		}
		continue;
needs:
		rc = dev_usage_error("option needs a value:", a);
		goto out;
#undef VAL
	}
	if (set_state && c.watch) {
		rc = dev_usage_error("--set-state and --watch exclude each other",
				     NULL);
		goto out;
	}
	if ((set_state != NULL) != (device != NULL)) {
		rc = dev_usage_error("--set-state STATE needs --device DEV (and the reverse)",
				     NULL);
		goto out;
	}
	/* --device alone: probe everything so the whole LU is shown. */
	if (device && ndevs == 0 && strncmp(device, "sim", 3) == 0)
		devs[ndevs++] = device;
	for (l = 0; l < ndevs; l++) {
		rc = pd_add_device(&c, devs[l], &err);
		if (rc != PROBE_EXIT_OK) {
			fprintf(stderr, "alua_probe: %s\n", err.message);
			goto out;
		}
	}
	if (ndevs == 0) {
		rc = pd_add_all(&c, &err);
		if (rc == PROBE_EXIT_NODEV && device) {
			rc = PROBE_EXIT_OK;
		} else if (rc != PROBE_EXIT_OK) {
			fprintf(stderr, "alua_probe: %s\n", err.message);
			goto out;
		}
	}
	if (device && !find_path(&c, device)) {
		rc = pd_add_device(&c, device, &err);
		if (rc != PROBE_EXIT_OK) {
			fprintf(stderr, "alua_probe: %s\n", err.message);
			goto out;
		}
	}
	for (l = 0; l < c.npaths; l++)
		pd_identify(&c, &c.paths[l]);
	rc = pd_group(&c);
	if (rc != PROBE_EXIT_OK)
		goto out;
	for (l = 0; l < c.nlus; l++)
		pd_probe_lu(&c, &c.lus[l]);
	if (set_state) {
		rc = pd_cmd_set_state(&c, set_state, device);
		if (rc != PROBE_EXIT_OK)
			goto out;
	}
	if (c.json && !c.watch)
		pd_report_json(&c, stdout);
	else if (!c.json)
		pd_report_text(&c, stdout);
	if (c.watch) {
		if (!c.json)
			putchar('\n');
		rc = pd_cmd_watch(&c, interval, duration, speed);
	}
	for (l = 0; l < c.npaths && rc == PROBE_EXIT_OK; l++) {
		/* Any path that could not even be identified: I/O error. */
		if (!c.paths[l].inq_ok && c.paths[l].err[0]) {
			fprintf(stderr, "alua_probe: %s\n", c.paths[l].err);
			rc = PROBE_EXIT_IO;
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "alua_probe: write error on standard output\n");
		rc = PROBE_EXIT_IO;
	}
out:
	pd_free(&c);
	free(devs);
	return rc;
}
