/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_target_lio.c - the LIO configfs side of salua-target.
 *
 *   core/user_<n>/                      one TCMU HBA per instance (n)
 *   core/user_<n>/salua_l<L>_p<P>       one TCMU device per path, ALUA
 *                                       passed through (alua_support 0)
 *   loopback/naa.5a1a5a1a<n><P>/tpgt_1  one tcm_loop SCSI host per port,
 *                                       nexus naa.5a1a5a1b<n><P>,
 *                                       lun_<L> -> salua_l<L>_p<P>
 *   iscsi/iqn.2026-11.org.salua:target.<n>/tpgt_<P+1>
 *                                       optional: portal ADDR:PORT+P,
 *                                       lun_<L> -> salua_l<L>_p<P>
 *
 * Every object created is journalled; teardown walks the journal backwards
 * (links, LUN directories, nexus, TPGs, targets; then the TCMU devices and
 * the HBA).  --cleanup removes what a killed instance left behind, found by
 * these names, skipping instances whose pid file names a live process.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "salua_target.h"

/* snprintf for paths: a cut path is an error, not a silent truncation. */
static int pf(char *out, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int pf(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int st_read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return (int)n;
}

int st_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(val);
	ssize_t n;
	int e;

	if (fd < 0)
		return -1;
	n = write(fd, val, len);
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)len ? 0 : -1;
}

static int jadd(struct st_journal *j, enum st_jkind k, const char *path)
{
	if (j->n == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 256;
		struct st_jent *e = realloc(j->e, cap * sizeof(*e));

		if (!e)
			return -1;
		j->e = e;
		j->cap = cap;
	}
	j->e[j->n].kind = k;
	snprintf(j->e[j->n].path, sizeof(j->e[j->n].path), "%s", path);
	j->n++;
	return 0;
}

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "salua-target: %s %s: %s\n", what, path,
		strerror(errno));
	return -1;
}

static int mkd(struct st_journal *j, const char *path)
{
	if (mkdir(path, 0755) < 0)
		return fail("mkdir", path);
	return jadd(j, ST_J_DIR, path);
}

static int wr(const char *dir, const char *attr, const char *val)
{
	char p[PATH_MAX];

	pf(p, sizeof(p), "%s/%s", dir, attr);
	if (st_write_file(p, val) < 0) {
		fprintf(stderr, "salua-target: write '%s' to %s: %s\n", val, p,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* The uio device whose name is "tcm-user/<hba>/<dev>/<config>".  Minors
 * are handed out lowest first, so look from the last one found before
 * walking the whole class (1024 paths would make that quadratic). */
static int uio_is(const char *want, const char *uio)
{
	char p[PATH_MAX], name[256];

	return pf(p, sizeof(p), "/sys/class/uio/%s/name", uio) == 0 &&
	       st_read_file(p, name, sizeof(name)) >= 0 && !strcmp(name, want);
}

static int find_uio(const struct st_target *t, const struct st_dev *d,
		    char *uio, size_t cap)
{
	static unsigned hint;
	char want[256], n[32];
	struct dirent *de;
	unsigned k;
	DIR *dir;
	int rc = -1;

	snprintf(want, sizeof(want), "tcm-user/%u/%s/%s", t->hba, d->name,
		 d->config);
	for (k = hint; k < hint + 8; k++) {
		snprintf(n, sizeof(n), "uio%u", k);
		if (uio_is(want, n)) {
			hint = k + 1;
			return pf(uio, cap, "%s", n);
		}
	}
	dir = opendir("/sys/class/uio");
	if (!dir)
		return -1;
	while ((de = readdir(dir)) != NULL) {
		if (strncmp(de->d_name, "uio", 3) || !uio_is(want, de->d_name))
			continue;
		rc = pf(uio, cap, "%s", de->d_name);
		hint = (unsigned)strtoul(de->d_name + 3, NULL, 10) + 1;
		break;
	}
	closedir(dir);
	return rc;
}

static int make_dev(struct st_target *t, struct st_dev *d)
{
	char dir[PATH_MAX], v[256], uio[64];

	snprintf(d->name, sizeof(d->name), ST_DEV_PREFIX "l%u_p%u", d->lun,
		 d->port);
	snprintf(d->config, sizeof(d->config), "salua/%u/%u/%u", t->hba,
		 d->lun, d->port);
	pf(dir, sizeof(dir), ST_CFG "/core/user_%u/%s", t->hba, d->name);
	if (mkd(&t->jback, dir) < 0)
		return -1;
	/* One 1 MiB ring per path: the kernel vmallocs it whole. */
	pf(v, sizeof(v),
		 "dev_config=%s,dev_size=%llu,cmd_ring_size_mb=1,"
		 "max_data_area_mb=%u,hw_max_sectors=%u,hw_block_size=%u",
		 d->config, (unsigned long long)ST_LU_BYTES, t->o.data_area_mb,
		 t->o.max_sectors, SALUA_SIM_BLOCK_SIZE);
	if (wr(dir, "control", v) < 0)
		return -1;
	/* ALUA is the handler's (TRANSPORT_FLAG_PASSTHROUGH_ALUA). */
	if (wr(dir, "attrib/alua_support", "0") < 0)
		return -1;
	pf(v, sizeof(v), "%u", t->o.cmd_timeout_s);
	if (wr(dir, "attrib/cmd_time_out", v) < 0 ||
	    wr(dir, "attrib/tmr_notification", "1") < 0)
		return -1;
	if (wr(dir, "enable", "1") < 0)
		return -1;
	if (find_uio(t, d, uio, sizeof(uio)) < 0) {
		fprintf(stderr, "salua-target: no uio device for %s\n",
			d->config);
		return -1;
	}
	if (st_ring_open(d, uio) < 0)
		return -1;
	if (st_serve_add(t, d) < 0)
		return fail("epoll add", uio);
	return 0;
}

static void wwn(char *out, size_t cap, const char *prefix, unsigned hba,
		unsigned port)
{
	snprintf(out, cap, "%s%04x%04x", prefix, hba & 0xffffu, port);
}

/* The fabric's directory (loopback, iscsi) registers it on first mkdir.
 * Whichever salua-target made it leaves a marker; at teardown any instance
 * removes it when the marker is there and no target is left inside, so
 * several instances leave configfs as they found it. */
static int fabric_dir(struct st_target *t, const char *fab)
{
	char p[PATH_MAX], m[PATH_MAX];
	struct stat st;
	int fd;

	if (pf(p, sizeof(p), ST_CFG "/%s", fab) < 0 ||
	    pf(m, sizeof(m), ST_RUN_DIR "/fabric-%s", fab) < 0)
		return -1;
	if (stat(p, &st) < 0) {
		if (mkdir(p, 0755) < 0) {
			fprintf(stderr, "salua-target: mkdir %s: %s (is the %s "
				"module loaded?)\n", p, strerror(errno),
				strcmp(fab, "loopback") ? "iscsi_target_mod"
							: "tcm_loop");
			return -1;
		}
		fd = open(m, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
	}
	return jadd(&t->jfab, ST_J_FABRIC, p);
}

static int make_loop_port(struct st_target *t, unsigned p)
{
	struct st_journal *j = &t->jport[p];
	char tgt[PATH_MAX], tpg[PATH_MAX], lun[PATH_MAX], lnk[PATH_MAX];
	char w[64], dev[PATH_MAX];
	unsigned l;

	wwn(w, sizeof(w), ST_WWN_TARGET, t->hba, p);
	pf(tgt, sizeof(tgt), ST_CFG "/loopback/%s", w);
	pf(tpg, sizeof(tpg), "%s/tpgt_1", tgt);
	if (mkd(j, tgt) < 0 || mkd(j, tpg) < 0)
		return -1;
	/* The I_T nexus before any LUN, or the scan fails (GUEST-NOTES). */
	wwn(w, sizeof(w), ST_WWN_INIT, t->hba, p);
	if (wr(tpg, "nexus", w) < 0)
		return -1;
	pf(lnk, sizeof(lnk), "%s/nexus", tpg);
	if (jadd(j, ST_J_NEXUS, lnk) < 0)
		return -1;
	for (l = 0; l < t->luns; l++) {
		struct st_dev *d = &t->dev[l * t->ports + p];

		pf(lun, sizeof(lun), "%s/lun/lun_%u", tpg, l);
		if (mkd(j, lun) < 0)
			return -1;
		pf(dev, sizeof(dev), ST_CFG "/core/user_%u/%s", t->hba,
			 d->name);
		pf(lnk, sizeof(lnk), "%s/salua", lun);
		/* Blocks in the kernel's scan, answered by the serving thread. */
		if (symlink(dev, lnk) < 0)
			return fail("link", lnk);
		if (jadd(j, ST_J_LINK, lnk) < 0)
			return -1;
	}
	return 0;
}

/* Ports are independent SCSI hosts: build (and remove) them in parallel,
 * one thread each; the kernel's scan and removal wait on RCU grace periods
 * and on our serving thread, not only on the CPU. */
struct port_job {
	struct st_target *t;
	unsigned p;
	bool teardown;
	int rc;
};

static int undo(struct st_journal *j);

static void *port_thread(void *arg)
{
	struct port_job *job = arg;

	job->rc = job->teardown ? undo(&job->t->jport[job->p])
				: make_loop_port(job->t, job->p);
	return NULL;
}

static int all_ports(struct st_target *t, bool teardown)
{
	struct port_job job[SALUA_SIM_MAX_PORTS];
	pthread_t th[SALUA_SIM_MAX_PORTS];
	bool up[SALUA_SIM_MAX_PORTS];
	unsigned p;
	int rc = 0;

	for (p = 0; p < t->ports; p++) {
		job[p].t = t;
		job[p].p = p;
		job[p].teardown = teardown;
		job[p].rc = 0;
		up[p] = pthread_create(&th[p], NULL, port_thread, &job[p]) == 0;
		if (!up[p])
			port_thread(&job[p]);
	}
	for (p = 0; p < t->ports; p++) {
		if (up[p])
			pthread_join(th[p], NULL);
		if (job[p].rc < 0)
			rc = -1;
	}
	return rc;
}

static int make_iscsi(struct st_target *t)
{
	char tgt[PATH_MAX], tpg[PATH_MAX], lun[PATH_MAX], lnk[PATH_MAX];
	char dev[PATH_MAX], np[PATH_MAX], addr[64], *colon;
	unsigned long base;
	unsigned p, l;

	pf(addr, sizeof(addr), "%s", t->o.iscsi);
	colon = strrchr(addr, ':');
	if (!colon || !colon[1])
		return fprintf(stderr, "salua-target: iscsi=ADDR:PORT\n"), -1;
	*colon = '\0';
	base = strtoul(colon + 1, NULL, 10);
	if (!base || base + t->ports > 65536)
		return fprintf(stderr, "salua-target: bad iSCSI port\n"), -1;
	pf(tgt, sizeof(tgt), ST_CFG "/iscsi/" ST_IQN "%u", t->hba);
	if (mkd(&t->jfab, tgt) < 0)
		return -1;
	for (p = 0; p < t->ports; p++) {
		pf(tpg, sizeof(tpg), "%s/tpgt_%u", tgt, p + 1);
		if (mkd(&t->jfab, tpg) < 0)
			return -1;
		for (l = 0; l < t->luns; l++) {
			struct st_dev *d = &t->dev[l * t->ports + p];

			pf(lun, sizeof(lun), "%s/lun/lun_%u", tpg, l);
			if (mkd(&t->jfab, lun) < 0)
				return -1;
			pf(dev, sizeof(dev), ST_CFG "/core/user_%u/%s",
				 t->hba, d->name);
			pf(lnk, sizeof(lnk), "%s/salua", lun);
			if (symlink(dev, lnk) < 0)
				return fail("link", lnk);
			if (jadd(&t->jfab, ST_J_LINK, lnk) < 0)
				return -1;
		}
		pf(np, sizeof(np), "%s/np/%s:%lu", tpg, addr, base + p);
		if (mkd(&t->jfab, np) < 0)
			return -1;
		if (wr(tpg, "attrib/authentication", "0") < 0 ||
		    wr(tpg, "attrib/generate_node_acls", "1") < 0 ||
		    wr(tpg, "attrib/cache_dynamic_acls", "1") < 0 ||
		    wr(tpg, "attrib/demo_mode_write_protect", "0") < 0 ||
		    wr(tpg, "enable", "1") < 0)
			return -1;
		pf(lnk, sizeof(lnk), "%s/enable", tpg);
		if (jadd(&t->jfab, ST_J_ENABLE, lnk) < 0)
			return -1;
	}
	return 0;
}

int st_lio_setup(struct st_target *t)
{
	char p[PATH_MAX], v[32];
	struct stat st;
	unsigned n, i;

	if (stat(ST_CFG "/core", &st) < 0) {
		fprintf(stderr, "salua-target: %s missing: mount configfs on "
			"/sys/kernel/config and load target_core_mod, "
			"target_core_user, uio and tcm_loop\n", ST_CFG "/core");
		return -1;
	}
	for (n = 1; n < 1000; n++) {
		pf(p, sizeof(p), ST_CFG "/core/user_%u", n);
		if (mkdir(p, 0755) == 0)
			break;
		if (errno != EEXIST)
			return fail("mkdir", p);
	}
	if (n == 1000)
		return fprintf(stderr, "salua-target: no free user_N HBA\n"), -1;
	t->hba = n;
	if (jadd(&t->jback, ST_J_DIR, p) < 0)
		return -1;
	mkdir(ST_RUN_DIR, 0755);
	snprintf(t->pidfile, sizeof(t->pidfile), ST_RUN_DIR "/%u.pid", n);
	pf(v, sizeof(v), "%ld\n", (long)getpid());
	if (st_write_file(t->pidfile, v) < 0) {
		int fd = open(t->pidfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			      0644);

		if (fd < 0 || write(fd, v, strlen(v)) < 0)
			t->pidfile[0] = '\0';
		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < t->luns * t->ports; i++)
		if (make_dev(t, &t->dev[i]) < 0)
			return -1;
	st_log(t, "setup: %u TCMU devices", t->luns * t->ports);
	if (t->o.loop) {
		t->jport = calloc(t->ports, sizeof(*t->jport));
		if (!t->jport || fabric_dir(t, "loopback") < 0 ||
		    all_ports(t, false) < 0)
			return -1;
	}
	if (t->o.iscsi[0] &&
	    (fabric_dir(t, "iscsi") < 0 || make_iscsi(t) < 0))
		return -1;
	st_log(t, "setup: ports linked");
	return 0;
}

/* "ready", then H:C:T:L LUN PORT TPG for each tcm_loop path. */
int st_lio_paths(struct st_target *t, FILE *out)
{
	char p[PATH_MAX], addr[64], w[64];
	unsigned port, l, waited = 0;
	struct stat st;

	if (!t->o.loop) {
		fprintf(out, "ready\n");
		return 0;
	}
	for (port = 0; port < t->ports; port++) {
		wwn(w, sizeof(w), ST_WWN_TARGET, t->hba, port);
		pf(p, sizeof(p), ST_CFG "/loopback/%s/tpgt_1/address", w);
		if (st_read_file(p, addr, sizeof(addr)) <= 0)
			return fail("read", p);
		for (l = 0; l < t->luns; l++) {
			pf(p, sizeof(p), "/sys/class/scsi_device/%s:%u",
				 addr, l);
			while (stat(p, &st) < 0 &&
			       waited < t->o.scan_timeout_s * 10u) {
				usleep(100000);
				waited++;
			}
			if (stat(p, &st) < 0) {
				fprintf(stderr, "salua-target: the kernel did "
					"not add %s (see dmesg)\n", p);
				return -1;
			}
		}
	}
	fprintf(out, "ready\n");
	for (port = 0; port < t->ports; port++) {
		wwn(w, sizeof(w), ST_WWN_TARGET, t->hba, port);
		pf(p, sizeof(p), ST_CFG "/loopback/%s/tpgt_1/address", w);
		st_read_file(p, addr, sizeof(addr));
		for (l = 0; l < t->luns; l++)
			fprintf(out, "%s:%u %u %u %u\n", addr, l, l, port,
				salua_sim_group_of_port(t->sim, port) + 1u);
	}
	fflush(out);
	return 0;
}

/* Remove a fabric directory a salua-target made, once it is empty. */
static int fabric_undo(const char *path)
{
	char m[PATH_MAX];
	struct stat st;
	const char *fab = strrchr(path, '/') + 1;
	DIR *d;
	struct dirent *de;
	bool empty = true;

	if (pf(m, sizeof(m), ST_RUN_DIR "/fabric-%s", fab) < 0 ||
	    stat(m, &st) < 0)
		return 0; /* not ours */
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (de->d_type == DT_DIR && de->d_name[0] != '.' &&
		    strcmp(de->d_name, "discovery_auth"))
			empty = false; /* someone's target */
	closedir(d);
	if (!empty)
		return 0;
	if (rmdir(path) < 0)
		return errno == ENOENT || errno == EBUSY ? 0 : -1;
	unlink(m);
	return 0;
}

static int undo(struct st_journal *j)
{
	int bad = 0;

	while (j->n) {
		struct st_jent *e = &j->e[--j->n];
		int rc = 0;

		switch (e->kind) {
		case ST_J_DIR:
			rc = rmdir(e->path);
			break;
		case ST_J_FABRIC:
			rc = fabric_undo(e->path);
			break;
		case ST_J_LINK:
			rc = unlink(e->path);
			break;
		case ST_J_NEXUS:
			rc = st_write_file(e->path, "NULL");
			break;
		case ST_J_ENABLE:
			rc = st_write_file(e->path, "0");
			break;
		}
		if (rc < 0 && errno != ENOENT) {
			fprintf(stderr, "salua-target: remove %s: %s\n",
				e->path, strerror(errno));
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

/* SIGHUP: remove the tcm_loop ports and make them again; the kernel
 * removes every path and scans it anew (e.g. with another handler loaded).
 * The TCMU devices, the array and its state stay. */
int st_lio_relink(struct st_target *t)
{
	if (!t->o.loop || !t->jport)
		return 0;
	if (all_ports(t, true) < 0)
		return -1;
	st_log(t, "relink: ports removed");
	if (all_ports(t, false) < 0)
		return -1;
	st_log(t, "relink: ports linked");
	return 0;
}

int st_lio_teardown_fabric(struct st_target *t)
{
	int rc = t->jport && all_ports(t, true) < 0 ? -1 : 0;

	if (undo(&t->jfab) < 0)
		rc = -1;

	st_log(t, "teardown: ports removed");
	return rc;
}

int st_lio_teardown_backstore(struct st_target *t)
{
	unsigned i;
	int rc;

	for (i = 0; t->dev && i < t->luns * t->ports; i++)
		st_ring_close(&t->dev[i]);
	st_log(t, "teardown: rings closed");
	rc = undo(&t->jback);
	st_log(t, "teardown: TCMU devices removed");
	if (t->pidfile[0])
		unlink(t->pidfile);
	return rc;
}

/* ---- --cleanup: what killed instances left behind ---------------------- */

static bool live(unsigned n)
{
	char p[PATH_MAX], v[32], comm[64];
	long pid;

	pf(p, sizeof(p), ST_RUN_DIR "/%u.pid", n);
	if (st_read_file(p, v, sizeof(v)) <= 0)
		return false;
	pid = strtol(v, NULL, 10);
	if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) < 0)
		return false;
	pf(p, sizeof(p), "/proc/%ld/comm", pid);
	return st_read_file(p, comm, sizeof(comm)) > 0 &&
	       strcmp(comm, "salua-target") == 0;
}

static int rm_links_in(const char *dir)
{
	char p[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);
	int bad = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		pf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode) && unlink(p) < 0)
			bad = fail("unlink", p);
	}
	closedir(d);
	return bad;
}

/* Remove each lun_N (links first) and portal under a TPG, then the TPG. */
static int rm_tpg(const char *tpg, bool loop)
{
	char p[PATH_MAX], q[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int bad = 0;

	pf(p, sizeof(p), "%s/enable", tpg);
	if (!loop)
		st_write_file(p, "0");
	pf(p, sizeof(p), "%s/lun", tpg);
	if ((d = opendir(p)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, "lun_", 4))
				continue;
			pf(q, sizeof(q), "%s/lun/%s", tpg, de->d_name);
			bad |= rm_links_in(q);
			if (rmdir(q) < 0)
				bad = fail("rmdir", q);
		}
		closedir(d);
	}
	pf(p, sizeof(p), "%s/np", tpg);
	if ((d = opendir(p)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			pf(q, sizeof(q), "%s/np/%s", tpg, de->d_name);
			if (rmdir(q) < 0)
				bad = fail("rmdir", q);
		}
		closedir(d);
	}
	if (loop) {
		pf(p, sizeof(p), "%s/nexus", tpg);
		st_write_file(p, "NULL");
	}
	if (rmdir(tpg) < 0)
		bad = fail("rmdir", tpg);
	return bad;
}

static int rm_target(const char *tgt, bool loop)
{
	char p[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(tgt);
	int bad = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "tpgt_", 5))
			continue;
		pf(p, sizeof(p), "%s/%s", tgt, de->d_name);
		bad |= rm_tpg(p, loop);
	}
	closedir(d);
	if (rmdir(tgt) < 0)
		bad = fail("rmdir", tgt);
	return bad;
}

/* Instance number from a name "<prefix><hex4 inst>..." or "<iqn><dec>". */
static int cleanup_fabric(const char *fab, const char *prefix, bool hex,
			  bool loop, FILE *out)
{
	char p[PATH_MAX];
	struct dirent *de;
	size_t pl = strlen(prefix);
	DIR *d;
	int bad = 0;

	pf(p, sizeof(p), ST_CFG "/%s", fab);
	d = opendir(p);
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char num[8];
		unsigned n;

		if (strncmp(de->d_name, prefix, pl))
			continue;
		if (hex) {
			pf(num, sizeof(num), "%.4s", de->d_name + pl);
			n = (unsigned)strtoul(num, NULL, 16);
		} else {
			n = (unsigned)strtoul(de->d_name + pl, NULL, 10);
		}
		if (live(n))
			continue;
		pf(p, sizeof(p), ST_CFG "/%s/%s", fab, de->d_name);
		bad |= rm_target(p, loop);
		fprintf(out, "removed %s\n", p);
	}
	closedir(d);
	return bad;
}

int st_lio_cleanup_stale(FILE *out)
{
	char p[PATH_MAX], q[PATH_MAX];
	struct dirent *de, *de2;
	DIR *d, *d2;
	int bad = 0;

	bad |= cleanup_fabric("loopback", ST_WWN_TARGET, true, true, out);
	bad |= cleanup_fabric("iscsi", ST_IQN, false, false, out);
	bad |= fabric_undo(ST_CFG "/loopback") < 0;
	bad |= fabric_undo(ST_CFG "/iscsi") < 0;
	d = opendir(ST_CFG "/core");
	if (!d)
		return bad ? -1 : 0;
	while ((de = readdir(d)) != NULL) {
		unsigned n, ours = 0, other = 0;
		struct stat st;
		bool had_pid;

		if (strncmp(de->d_name, "user_", 5))
			continue;
		n = (unsigned)strtoul(de->d_name + 5, NULL, 10);
		if (live(n))
			continue;
		pf(q, sizeof(q), ST_RUN_DIR "/%u.pid", n);
		had_pid = stat(q, &st) == 0;
		pf(p, sizeof(p), ST_CFG "/core/%s", de->d_name);
		if (!(d2 = opendir(p)))
			continue;
		while ((de2 = readdir(d2)) != NULL) {
			if (de2->d_name[0] == '.' || !strcmp(de2->d_name, "hba_info") ||
			    !strcmp(de2->d_name, "hba_mode"))
				continue;
			if (strncmp(de2->d_name, ST_DEV_PREFIX,
				    strlen(ST_DEV_PREFIX))) {
				other++;
				continue;
			}
			pf(q, sizeof(q), "%s/%s", p, de2->d_name);
			if (rmdir(q) < 0)
				bad = fail("rmdir", q);
			else
				ours++;
		}
		closedir(d2);
		/* An empty HBA is ours only if our pid file names it. */
		if (!other && (ours || had_pid) && rmdir(p) == 0)
			fprintf(out, "removed %s (%u devices)\n", p, ours);
		pf(q, sizeof(q), ST_RUN_DIR "/%u.pid", n);
		if (!other)
			unlink(q);
	}
	closedir(d);
	return bad ? -1 : 0;
}
