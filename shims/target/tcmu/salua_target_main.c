/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua-target - serve the simulated ALUA array to the Linux kernel
 * through TCMU.  docs/target.md; run `salua-target --help`.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "salua_target.h"

static struct salua_sim the_sim;

static void usage(FILE *f)
{
	fprintf(f,
"usage: salua-target [KEY=VALUE[,KEY=VALUE...]]...\n"
"       salua-target --cleanup\n"
"\n"
"Serves the simulated ALUA array (alua_probe's sim:) to this kernel through\n"
"TCMU: one tcm_loop SCSI host per port, one TCMU device per (LU, port).\n"
"Needs root, configfs on /sys/kernel/config and the modules\n"
"target_core_user, uio and tcm_loop (iscsi_target_mod for iscsi=).\n"
"Prints 'ready', then 'H:C:T:L LUN PORT TPG' per path; serves until\n"
"SIGTERM or SIGINT, then removes everything it created.\n"
"\n"
"The array (as in alua_probe sim:): luns ports groups tpgs implicit\n"
"explicit supported itt transition latency nonop sense power-on-ua\n"
"ua-scope.  salua-target's own keys:\n"
"  scenario=NAME|FILE  built-in scenario or scenario file, started at\n"
"                      'ready' (times are wall-clock from then on)\n"
"  control=FIFO        create FIFO; each line written to it is scenario\n"
"                      text run at once, 'load NAME|FILE' or 'stats';\n"
"                      each line is acknowledged on stdout\n"
"  vpd83=FILE.hex rtpg=FILE.hex inquiry=FILE.hex\n"
"                      serve these captured bytes instead of the sim's\n"
"                      VPD 0x83 / RTPG / standard INQUIRY data (re-read\n"
"                      when the file changes)\n"
"  log=FILE            one line per command, TMR and control line; times\n"
"                      in ms from the first line's CLOCK_MONOTONIC ms\n"
"  log-io=0|1          also log READ/WRITE (default 1)\n"
"  loop=0|1            tcm_loop hosts (default 1)\n"
"  iscsi=ADDR:PORT     also an iSCSI target, port P at ADDR:PORT+P\n"
"  cmd-timeout=S       TCMU cmd_time_out (default 30; 0 = none)\n"
"  data-area-mb=N      TCMU data area per path (default 8)\n"
"  max-sectors=N       hw_max_sectors (default 128)\n"
"  scan-timeout=S      wait for the kernel's scan (default 60)\n"
"SIGUSR1 prints statistics; SIGUSR2 removes the tcm_loop ports and makes\n"
"them again (the kernel scans every path anew; the array keeps its state)\n"
"and prints 'ready' and the paths again.\n"
"--cleanup removes what a killed salua-target left in configfs.\n");
}

static int num(const char *k, const char *v, unsigned long max,
	       unsigned *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || n > max) {
		fprintf(stderr, "salua-target: bad %s '%s'\n", k, v);
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

static int copy(char *dst, size_t cap, const char *k, const char *v)
{
	if (strlen(v) >= cap || !*v) {
		fprintf(stderr, "salua-target: bad %s '%s'\n", k, v);
		return -1;
	}
	strcpy(dst, v);
	return 0;
}

static int option(struct st_opts *o, char *kv)
{
	char *v = strchr(kv, '=');
	unsigned b;
	size_t n;

	if (!v) {
		fprintf(stderr, "salua-target: '%s' is not KEY=VALUE\n", kv);
		return -1;
	}
	*v++ = '\0';
	if (!strcmp(kv, "scenario"))
		return copy(o->scenario, sizeof(o->scenario), kv, v);
	if (!strcmp(kv, "control"))
		return copy(o->control, sizeof(o->control), kv, v);
	if (!strcmp(kv, "vpd83"))
		return copy(o->vpd83, sizeof(o->vpd83), kv, v);
	if (!strcmp(kv, "rtpg"))
		return copy(o->rtpg, sizeof(o->rtpg), kv, v);
	if (!strcmp(kv, "inquiry"))
		return copy(o->inquiry, sizeof(o->inquiry), kv, v);
	if (!strcmp(kv, "log"))
		return copy(o->log, sizeof(o->log), kv, v);
	if (!strcmp(kv, "iscsi"))
		return copy(o->iscsi, sizeof(o->iscsi), kv, v);
	if (!strcmp(kv, "log-io")) {
		if (num(kv, v, 1, &b) < 0)
			return -1;
		o->log_io = b;
		return 0;
	}
	if (!strcmp(kv, "loop")) {
		if (num(kv, v, 1, &b) < 0)
			return -1;
		o->loop = b;
		return 0;
	}
	if (!strcmp(kv, "cmd-timeout"))
		return num(kv, v, 3600, &o->cmd_timeout_s);
	if (!strcmp(kv, "data-area-mb"))
		return num(kv, v, 1024, &o->data_area_mb) < 0 ||
		       !o->data_area_mb ? -1 : 0;
	if (!strcmp(kv, "max-sectors"))
		return num(kv, v, 65535, &o->max_sectors) < 0 ||
		       !o->max_sectors ? -1 : 0;
	if (!strcmp(kv, "scan-timeout"))
		return num(kv, v, 3600, &o->scan_timeout_s);
	/* The sim's own key: checked by salua_sim_open(). */
	n = strlen(o->sim_spec);
	if (n + strlen(kv) + strlen(v) + 3 > sizeof(o->sim_spec)) {
		fprintf(stderr, "salua-target: array options too long\n");
		return -1;
	}
	snprintf(o->sim_spec + n, sizeof(o->sim_spec) - n, "%s%s=%s",
		 n ? "," : "", kv, v);
	return 0;
}

static int parse(struct st_opts *o, int argc, char **argv)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->loop = true;
	o->log_io = true;
	o->cmd_timeout_s = 30;
	o->data_area_mb = 8;
	o->max_sectors = 128;
	o->scan_timeout_s = 60;
	for (i = 1; i < argc; i++) {
		char *a = argv[i], *tok, *save = NULL;

		if (!strncmp(a, "sim:", 4))
			a += 4;
		for (tok = strtok_r(a, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			if (option(o, tok) < 0)
				return -1;
	}
	return 0;
}

static int open_log_and_control(struct st_target *t)
{
	if (t->o.log[0]) {
		t->log = fopen(t->o.log, "we");
		if (!t->log) {
			fprintf(stderr, "salua-target: log %s: %s\n", t->o.log,
				strerror(errno));
			return -1;
		}
	}
	t->ctlfd = -1;
	if (t->o.control[0]) {
		unlink(t->o.control);
		if (mkfifo(t->o.control, 0600) < 0) {
			fprintf(stderr, "salua-target: mkfifo %s: %s\n",
				t->o.control, strerror(errno));
			return -1;
		}
		/* O_RDWR: never EOF when a writer closes. */
		t->ctlfd = open(t->o.control, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (t->ctlfd < 0) {
			fprintf(stderr, "salua-target: open %s: %s\n",
				t->o.control, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int init(struct st_target *t)
{
	const struct salua_sim_config *c;
	unsigned i, l, p;
	struct timespec ts;

	if (salua_sim_open(&the_sim, t->o.sim_spec) < 0) {
		fprintf(stderr, "salua-target: %s\n", salua_sim_error(&the_sim));
		return -1;
	}
	t->sim = &the_sim;
	c = salua_sim_get_config(t->sim);
	t->luns = c->luns;
	t->ports = c->ports;
	t->dev = calloc((size_t)t->luns * t->ports, sizeof(*t->dev));
	t->store = calloc(t->luns, sizeof(*t->store));
	if (!t->dev || !t->store)
		return -1;
	for (l = 0; l < t->luns; l++) {
		/* Untouched pages read as zeros and cost nothing. */
		void *m = mmap(NULL, ST_LU_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			       0);

		if (m == MAP_FAILED)
			return -1;
		t->store[l] = m;
		for (p = 0; p < t->ports; p++) {
			i = l * t->ports + p;
			t->dev[i].lun = l;
			t->dev[i].port = p;
			t->dev[i].fd = -1;
		}
	}
	t->pg83.path = t->o.vpd83;
	t->pgrtpg.path = t->o.rtpg;
	t->pginq.path = t->o.inquiry;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t->t0_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	pthread_mutex_init(&t->lock, NULL);
	return 0;
}

static int log_start(struct st_target *t)
{
	if (t->log)
		st_log(t, "start monotonic_ms=%llu pid=%ld",
		       (unsigned long long)(t->t0_ns / 1000000u),
		       (long)getpid());
	return 0;
}

static int teardown(struct st_target *t)
{
	int rc = 0;

	if (t->thr_up)
		st_drain(t);
	if (st_lio_teardown_fabric(t) < 0)
		rc = -1;
	st_serve_stop(t);
	if (st_lio_teardown_backstore(t) < 0)
		rc = -1;
	if (t->ctlfd >= 0) {
		close(t->ctlfd);
		unlink(t->o.control);
	}
	if (t->log) {
		st_log(t, "stopped");
		fclose(t->log);
		t->log = NULL;
	}
	return rc;
}

int main(int argc, char **argv)
{
	static struct st_target T;
	struct st_target *t = &T;
	sigset_t set;
	int sig, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--cleanup"))
		return st_lio_cleanup_stale(stdout) < 0 ? 1 : 0;
	if (parse(&t->o, argc, argv) < 0) {
		usage(stderr);
		return 2;
	}
	if (init(t) < 0)
		return 2;
	/* One uio descriptor per path: 256 x 4 needs more than 1024. */
	{
		struct rlimit rl;

		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	t->ep = t->stopfd = -1;
	if (open_log_and_control(t) < 0 || log_start(t) < 0 ||
	    st_serve_start(t) < 0) {
		fprintf(stderr, "salua-target: cannot start serving\n");
		teardown(t);
		return 1;
	}
	if (st_lio_setup(t) < 0 || st_lio_paths(t, stdout) < 0) {
		fprintf(stderr, "salua-target: setup failed; removing what was "
			"created\n");
		teardown(t);
		return 1;
	}
	if (t->o.scenario[0]) {
		pthread_mutex_lock(&t->lock);
		rc = st_load_scenario(t, t->o.scenario);
		pthread_mutex_unlock(&t->lock);
		if (rc < 0) {
			teardown(t);
			return 1;
		}
	}
	st_log(t, "ready");
	for (;;) {
		sig = 0;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGUSR2) {
			if (st_lio_relink(t) < 0 || st_lio_paths(t, stdout) < 0) {
				fprintf(stderr, "salua-target: relink failed\n");
				break;
			}
			continue;
		}
		if (sig == SIGUSR1) {
			pthread_mutex_lock(&t->lock);
			printf("stats commands=%lu held=%zu\n", t->ncmds,
			       t->nheld);
			pthread_mutex_unlock(&t->lock);
			continue;
		}
		break;
	}
	rc = teardown(t);
	printf("stopped%s\n", rc ? " (some objects could not be removed)" : "");
	return rc ? 1 : 0;
}
