/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_target_serve.c - the serving thread: every command from every ring
 * goes through salua_sim_command() for its (port, LU), at the sim time that
 * equals wall-clock milliseconds since start; then the LU's data store
 * (READ/WRITE(10)) and the verbatim pages (vpd83= rtpg= inquiry=) fill in
 * what the sim only models.  Faults: DROP holds the command until the
 * initiator aborts it (TMR notification) or the kernel's cmd_time_out has
 * failed it; TRANSPORT (no such thing on tcm_loop) becomes ABORTED COMMAND
 * 0B/47/00; latency (SLOW, latency=, nonop=) holds the completion.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "salua_target.h"

#define OP_WRITE6 0x0au
#define OP_READ6 0x08u
#define OP_MODE_SELECT6 0x15u
#define OP_SEND_DIAG 0x1du
#define OP_WRITE_VERIFY 0x2eu
#define OP_WRITE_BUFFER 0x3bu
#define OP_WRITE_SAME 0x41u
#define OP_UNMAP 0x42u
#define OP_LOG_SELECT 0x4cu
#define OP_MODE_SELECT10 0x55u
#define OP_PR_OUT 0x5fu
#define OP_WRITE16 0x8au
#define OP_CAW 0x89u
#define OP_WRITE_SAME16 0x93u
#define OP_WRITE12 0xaau
#define OP_READ12 0xa8u
#define OP_READ16 0x88u

uint64_t st_now(const struct st_target *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec -
		t->t0_ns) / 1000000u;
}

void st_log(struct st_target *t, const char *fmt, ...)
{
	va_list ap;

	if (!t->log)
		return;
	fprintf(t->log, "%llu ", (unsigned long long)st_now(t));
	va_start(ap, fmt);
	vfprintf(t->log, fmt, ap);
	va_end(ap);
	fputc('\n', t->log);
}

/* Commands whose buffer carries data to the target. */
static bool data_out(const uint8_t *cdb)
{
	switch (cdb[0]) {
	case OP_WRITE6:
	case SALUA_SIM_OP_WRITE10:
	case OP_WRITE12:
	case OP_WRITE16:
	case OP_WRITE_VERIFY:
	case OP_WRITE_BUFFER:
	case OP_WRITE_SAME:
	case OP_WRITE_SAME16:
	case OP_UNMAP:
	case OP_CAW:
	case OP_MODE_SELECT6:
	case OP_MODE_SELECT10:
	case OP_LOG_SELECT:
	case OP_SEND_DIAG:
	case OP_PR_OUT:
	case SALUA_OP_MAINTENANCE_OUT:
		return true;
	default:
		return false;
	}
}

static size_t iov_total(const struct iovec *iov, unsigned n)
{
	size_t s = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		s += iov[i].iov_len;
	return s;
}

static void gather(const struct st_dev *d, const struct iovec *iov,
		   unsigned n, uint8_t *buf, size_t len)
{
	unsigned i;
	size_t o = 0, k;

	for (i = 0; i < n && o < len; i++, o += k) {
		k = iov[i].iov_len < len - o ? iov[i].iov_len : len - o;
		memcpy(buf + o, d->map + (uintptr_t)iov[i].iov_base, k);
	}
}

static void scatter(struct st_dev *d, const struct iovec *iov, unsigned n,
		    const uint8_t *buf, size_t len)
{
	unsigned i;
	size_t o = 0, k;

	for (i = 0; i < n && o < len; i++, o += k) {
		k = iov[i].iov_len < len - o ? iov[i].iov_len : len - o;
		memcpy(d->map + (uintptr_t)iov[i].iov_base, buf + o, k);
	}
}

static int grow(struct st_target *t, size_t need)
{
	uint8_t *b;

	if (need <= t->bufcap)
		return 0;
	b = realloc(t->buf, need);
	if (!b)
		return -1;
	t->buf = b;
	t->bufcap = need;
	return 0;
}

/* Reload a verbatim page when its file changed (new inode, size or time). */
static bool page_get(struct st_page *p)
{
	struct stat st;
	int fd;
	ssize_t n;
	char *txt;
	size_t i, len = 0;
	int hi = -1;

	if (!p->path || !p->path[0])
		return false;
	if (stat(p->path, &st) < 0) {
		p->ok = false;
		return false;
	}
	if (p->ok && st.st_dev == p->dev && st.st_ino == p->ino &&
	    st.st_size == p->size && st.st_mtim.tv_sec == p->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == p->mtime.tv_nsec)
		return true;
	p->ok = false;
	if (st.st_size > (off_t)(4 * sizeof(p->buf) + 65536))
		return false; /* hex text of more than a 64 KiB page */
	txt = malloc((size_t)st.st_size + 1);
	if (!txt)
		return false;
	fd = open(p->path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, txt, (size_t)st.st_size);
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		free(txt);
		return false;
	}
	/* Hex bytes; whitespace and '#' comments to the end of a line. */
	for (i = 0; i < (size_t)n; i++) {
		char c = txt[i];
		int v;

		if (c == '#') {
			while (i < (size_t)n && txt[i] != '\n')
				i++;
			continue;
		}
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (len == sizeof(p->buf))
			break;
		p->buf[len++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	free(txt);
	p->len = len;
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	p->size = st.st_size;
	p->mtime = st.st_mtim;
	p->ok = true;
	return true;
}

/* Replace the sim's data with a verbatim page, cut at the allocation length. */
static void serve_page(struct st_page *p, uint32_t alloc, size_t cap,
		       uint8_t *din, struct salua_sim_result *r)
{
	size_t n = p->len;

	if (n > alloc)
		n = alloc;
	if (n > cap)
		n = cap;
	memcpy(din, p->buf, n);
	r->data_len = (uint32_t)n;
}

static void verbatim(struct st_target *t, const uint8_t *cdb, size_t cdb_len,
		     uint8_t *din, size_t cap, struct salua_sim_result *r)
{
	struct salua_cdb pc;

	if (r->fault != SALUA_SIM_FAULT_NONE || r->status != SALUA_STATUS_GOOD)
		return;
	if (cdb[0] != SALUA_OP_INQUIRY && cdb[0] != SALUA_OP_MAINTENANCE_IN)
		return;
	if (salua_cdb_parse(cdb, cdb_len, &pc) != 0)
		return;
	if (pc.opcode == SALUA_OP_INQUIRY && !pc.evpd && page_get(&t->pginq))
		serve_page(&t->pginq, pc.alloc_len, cap, din, r);
	else if (pc.opcode == SALUA_OP_INQUIRY && pc.evpd &&
		 pc.page == SALUA_VPD_DEVICE_ID && page_get(&t->pg83))
		serve_page(&t->pg83, pc.alloc_len, cap, din, r);
	else if (pc.opcode == SALUA_OP_MAINTENANCE_IN &&
		 page_get(&t->pgrtpg))
		serve_page(&t->pgrtpg, pc.alloc_len, cap, din, r);
}

/* READ(10) / WRITE(10) that the sim accepted: the LU's own bytes. */
static void store_io(struct st_target *t, const struct st_dev *d,
		     const uint8_t *cdb, size_t cdb_len, uint8_t *buf,
		     size_t buflen, struct salua_sim_result *r)
{
	uint8_t *lu = t->store[d->lun];
	uint64_t off;
	size_t n;

	if (r->fault != SALUA_SIM_FAULT_NONE || r->status != SALUA_STATUS_GOOD ||
	    cdb_len < 10 || !lu)
		return;
	off = (uint64_t)salua_get_be32(cdb + 2) * SALUA_SIM_BLOCK_SIZE;
	n = (size_t)salua_get_be16(cdb + 7) * SALUA_SIM_BLOCK_SIZE;
	if (off > ST_LU_BYTES || n > ST_LU_BYTES - off)
		return; /* the sim already answered LBA OUT OF RANGE */
	if (n > buflen)
		n = buflen;
	if (cdb[0] == SALUA_SIM_OP_WRITE10) {
		memcpy(lu + off, buf, n);
	} else {
		memcpy(buf, lu + off, n);
		r->data_len = (uint32_t)n;
	}
}

static const char *op_name(const uint8_t *cdb, size_t len)
{
	switch (cdb[0]) {
	case SALUA_OP_TEST_UNIT_READY: return "tur";
	case SALUA_OP_REQUEST_SENSE: return "request-sense";
	case SALUA_OP_INQUIRY:
		if (len > 2 && (cdb[1] & 1u))
			return cdb[2] == 0x83 ? "inquiry-83" :
			       cdb[2] == 0x80 ? "inquiry-80" :
			       cdb[2] == 0x00 ? "inquiry-00" : "inquiry-vpd";
		return "inquiry";
	case SALUA_OP_MAINTENANCE_IN:
		if (len > 1 && (cdb[1] & SALUA_SA_MASK) == SALUA_SA_REPORT_TPGS)
			return len > 1 && (cdb[1] >> 5) == 1 ? "rtpg-ext"
							     : "rtpg";
		return "maint-in";
	case SALUA_OP_MAINTENANCE_OUT:
		return len > 1 && (cdb[1] & SALUA_SA_MASK) == SALUA_SA_SET_TPGS
			       ? "stpg" : "maint-out";
	case SALUA_SIM_OP_READ10: return "read";
	case SALUA_SIM_OP_WRITE10: return "write";
	case SALUA_SIM_OP_READ_CAPACITY10: return "read-capacity";
	case SALUA_SIM_OP_REPORT_LUNS: return "report-luns";
	default: return "other";
	}
}

static int hold(struct st_target *t, const struct st_held *h)
{
	if (t->nheld == t->capheld) {
		size_t cap = t->capheld ? 2 * t->capheld : 64;
		struct st_held *n = realloc(t->held, cap * sizeof(*n));

		if (!n)
			return -1;
		t->held = n;
		t->capheld = cap;
	}
	t->held[t->nheld++] = *h;
	return 0;
}

static void complete_held(struct st_target *t, size_t i)
{
	struct st_held h = t->held[i];

	t->held[i] = t->held[--t->nheld];
	st_ring_complete(h.dev, h.id, h.status, h.sense, h.sense_len,
			 h.read_len);
}

void st_exec(struct st_target *t, struct st_dev *d, uint16_t id,
	     const uint8_t *cdb, size_t cdb_len, const struct iovec *iov,
	     unsigned niov)
{
	struct salua_sim_result r;
	struct st_held h;
	size_t total = iov_total(iov, niov), dlen = 0, cap = 0;
	uint64_t now = st_now(t);
	bool out = cdb_len && data_out(cdb);
	int rc;

	t->ncmds++;
	memset(&h, 0, sizeof(h));
	h.dev = d;
	h.id = id;
	if (!cdb_len || grow(t, total ? total : 1) < 0) {
		/* No memory for the data: the initiator retries BUSY. */
		st_ring_complete(d, id, SALUA_STATUS_BUSY, NULL, 0, 0);
		return;
	}
	salua_sim_set_time(t->sim, now);
	if (out) {
		gather(d, iov, niov, t->buf, total);
		dlen = total;
	} else {
		cap = total;
	}
	rc = salua_sim_command(t->sim, d->port, d->lun, cdb, cdb_len,
			       out ? t->buf : NULL, dlen,
			       out ? NULL : t->buf, cap, &r);
	if (rc < 0) {
		memset(&r, 0, sizeof(r));
		r.status = SALUA_STATUS_CHECK_CONDITION;
		r.sense_len = (uint8_t)salua_sense_build_fixed(
			r.sense, sizeof(r.sense), SALUA_SK_HARDWARE_ERROR, 0, 0);
	}
	if (t->draining && r.fault == SALUA_SIM_FAULT_DROP) {
		r.fault = SALUA_SIM_FAULT_NONE;
		r.status = SALUA_STATUS_BUSY;
	}
	if (!out)
		verbatim(t, cdb, cdb_len, t->buf, cap, &r);
	if (cdb[0] == SALUA_SIM_OP_READ10 || cdb[0] == SALUA_SIM_OP_WRITE10)
		store_io(t, d, cdb, cdb_len, t->buf, total, &r);

	h.status = r.status;
	switch (r.fault) {
	case SALUA_SIM_FAULT_DROP:
		h.due = UINT64_MAX;
		break;
	case SALUA_SIM_FAULT_TRANSPORT:
		/* tcm_loop has no transport to fail: the nearest SCSI answer. */
		h.status = SALUA_STATUS_CHECK_CONDITION;
		h.sense_len = (uint8_t)salua_sense_build_fixed(
			h.sense, sizeof(h.sense), SALUA_SK_ABORTED_COMMAND,
			0x47, 0x00);
		h.due = now;
		break;
	case SALUA_SIM_FAULT_NONE:
	default:
		h.sense_len = r.sense_len;
		memcpy(h.sense, r.sense, r.sense_len);
		h.due = t->draining ? now : now + r.latency_ms;
		break;
	}
	if (!out && r.fault == SALUA_SIM_FAULT_NONE &&
	    r.status == SALUA_STATUS_GOOD && total) {
		if (!r.data_len) {
			/* read_len 0 means "all": zeros, never stale data */
			memset(t->buf, 0, total);
			scatter(d, iov, niov, t->buf, total);
		} else {
			scatter(d, iov, niov, t->buf, r.data_len);
		}
		h.read_len = r.data_len;
	}
	if (t->log && (t->o.log_io || (cdb[0] != SALUA_SIM_OP_READ10 &&
				       cdb[0] != SALUA_SIM_OP_WRITE10))) {
		char sense[16] = "-";
		struct salua_sense sn;

		if (h.sense_len &&
		    salua_sense_normalize(h.sense, h.sense_len, &sn) == 0)
			snprintf(sense, sizeof(sense), "%x/%02x/%02x", sn.key,
				 sn.asc, sn.ascq);
		st_log(t, "cmd %u %u %s %02x st=%02x sense=%s len=%u buf=%zu%s",
		       d->lun, d->port, op_name(cdb, cdb_len), cdb[0], h.status,
		       sense, h.read_len, total,
		       r.fault == SALUA_SIM_FAULT_DROP ? " drop" :
		       h.due > now ? " late" : "");
	}
	if (h.due <= now) {
		st_ring_complete(d, id, h.status, h.sense, h.sense_len,
				 h.read_len);
		return;
	}
	if (hold(t, &h) < 0)
		st_ring_complete(d, id, SALUA_STATUS_BUSY, NULL, 0, 0);
}

void st_tmr(struct st_target *t, struct st_dev *d, unsigned type,
	    const uint16_t *ids, unsigned n)
{
	unsigned k;
	size_t i;

	st_log(t, "tmr %u %u type=%u cmds=%u", d->lun, d->port, type, n);
	for (k = 0; k < n; k++) {
		for (i = 0; i < t->nheld; i++) {
			if (t->held[i].dev != d || t->held[i].id != ids[k])
				continue;
			/* Aborted: the target core ignores what we answer. */
			t->held[i].status = SALUA_STATUS_TASK_ABORTED;
			t->held[i].sense_len = 0;
			t->held[i].read_len = 0;
			complete_held(t, i);
			break;
		}
	}
}

/* Due holds; a dropped command goes back once the kernel's cmd_time_out
 * has failed it (so its ring slot is freed), never before. */
static uint64_t release_due(struct st_target *t, uint64_t now)
{
	uint64_t next = UINT64_MAX, lim;
	size_t i = 0;

	lim = (uint64_t)t->o.cmd_timeout_s * 1000u + 2000u;
	while (i < t->nheld) {
		struct st_held *h = &t->held[i];

		if (h->due == UINT64_MAX && t->o.cmd_timeout_s &&
		    !t->draining) {
			/* first seen: convert into a release time */
			h->due = now + lim;
			h->status = SALUA_STATUS_TASK_ABORTED;
		}
		if (h->due == UINT64_MAX && t->draining)
			h->due = now;
		if (h->due <= now) {
			complete_held(t, i);
			continue;
		}
		if (h->due < next)
			next = h->due;
		i++;
	}
	return next;
}

int st_load_scenario(struct st_target *t, const char *arg)
{
	char *txt = NULL;
	const char *text = arg;
	int rc;

	if (!salua_sim_builtin(arg)) {
		FILE *f = fopen(arg, "re");
		long n;

		if (!f) {
			fprintf(stderr, "salua-target: scenario '%s': not a "
				"built-in and not a readable file\n", arg);
			return -1;
		}
		if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
		    fseek(f, 0, SEEK_SET) == 0 && (txt = malloc((size_t)n + 1)))
			txt[fread(txt, 1, (size_t)n, f)] = '\0';
		fclose(f);
		if (!txt)
			return -1;
		text = txt;
	}
	salua_sim_set_time(t->sim, st_now(t));
	rc = salua_sim_load_scenario(t->sim, text);
	free(txt);
	if (rc < 0) {
		fprintf(stderr, "salua-target: scenario '%s': %s\n", arg,
			salua_sim_error(t->sim)[0] ? salua_sim_error(t->sim)
						   : salua_strerror(rc));
		return -1;
	}
	st_log(t, "scenario %s: %d events", arg, rc);
	return 0;
}

/* One control line: "load FILE|BUILTIN", "stats", or scenario text. */
int st_control_line(struct st_target *t, char *line)
{
	int rc = 0;

	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#')
		return 0;
	t->nctl++;
	if (strncmp(line, "load ", 5) == 0) {
		rc = st_load_scenario(t, line + 5);
	} else if (strcmp(line, "stats") == 0) {
		printf("stats commands=%lu held=%zu\n", t->ncmds, t->nheld);
	} else {
		salua_sim_set_time(t->sim, st_now(t));
		rc = salua_sim_load_scenario(t->sim, line);
		if (rc < 0)
			fprintf(stderr, "salua-target: control: %s\n",
				salua_sim_error(t->sim));
		rc = rc < 0 ? -1 : 0;
	}
	st_log(t, "control %s: %s", rc ? "error" : "ok", line);
	printf("control %lu %s\n", t->nctl, rc ? "error" : "ok");
	fflush(stdout);
	return rc;
}

static void control_read(struct st_target *t)
{
	ssize_t n;
	char *nl;

	for (;;) {
		n = read(t->ctlfd, t->ctlbuf + t->ctllen,
			 sizeof(t->ctlbuf) - 1 - t->ctllen);
		if (n <= 0)
			return;
		t->ctllen += (size_t)n;
		t->ctlbuf[t->ctllen] = '\0';
		while ((nl = strchr(t->ctlbuf, '\n')) != NULL) {
			size_t used = (size_t)(nl - t->ctlbuf) + 1;

			*nl = '\0';
			st_control_line(t, t->ctlbuf);
			memmove(t->ctlbuf, t->ctlbuf + used, t->ctllen - used);
			t->ctllen -= used;
			t->ctlbuf[t->ctllen] = '\0';
		}
		if (t->ctllen == sizeof(t->ctlbuf) - 1) {
			fprintf(stderr, "salua-target: control line too long\n");
			t->ctllen = 0;
		}
	}
}

static void *serve(void *arg)
{
	struct st_target *t = arg;
	struct epoll_event ev[64];
	unsigned i, n = t->luns * t->ports;

	for (;;) {
		uint64_t now, next, dl;
		int k, j, tmo;

		pthread_mutex_lock(&t->lock);
		now = st_now(t);
		salua_sim_set_time(t->sim, now);
		next = release_due(t, now);
		dl = salua_sim_next_deadline(t->sim);
		if (dl < next)
			next = dl;
		for (i = 0; i < n; i++)
			st_ring_kick(&t->dev[i]);
		if (t->log)
			fflush(t->log);
		pthread_mutex_unlock(&t->lock);
		if (t->stop)
			break;
		tmo = next == UINT64_MAX ? -1 :
		      next <= now ? 0 :
		      next - now > 60000u ? 60000 : (int)(next - now);
		k = epoll_wait(t->ep, ev, 64, tmo);
		if (k < 0 && errno != EINTR) {
			fprintf(stderr, "salua-target: epoll_wait: %s\n",
				strerror(errno));
			break;
		}
		pthread_mutex_lock(&t->lock);
		for (j = 0; j < k; j++) {
			uint64_t tag = ev[j].data.u64;
			uint32_t cnt;

			if (tag == UINT64_MAX - 1) {
				control_read(t);
				continue;
			}
			if (tag == UINT64_MAX)
				continue; /* stop: checked above */
			if (tag >= n)
				continue;
			/* uio: reading the event count re-arms the poll */
			if (read(t->dev[tag].fd, &cnt, sizeof(cnt)) < 0 &&
			    errno != EAGAIN)
				continue;
			st_ring_poll(t, &t->dev[tag]);
		}
		pthread_mutex_unlock(&t->lock);
	}
	return NULL;
}

int st_serve_start(struct st_target *t)
{
	struct epoll_event e;

	t->ep = epoll_create1(EPOLL_CLOEXEC);
	t->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->ep < 0 || t->stopfd < 0)
		return -1;
	memset(&e, 0, sizeof(e));
	e.events = EPOLLIN;
	e.data.u64 = UINT64_MAX;
	if (epoll_ctl(t->ep, EPOLL_CTL_ADD, t->stopfd, &e) < 0)
		return -1;
	if (t->ctlfd >= 0) {
		e.data.u64 = UINT64_MAX - 1;
		if (epoll_ctl(t->ep, EPOLL_CTL_ADD, t->ctlfd, &e) < 0)
			return -1;
	}
	if (pthread_create(&t->thr, NULL, serve, t) != 0)
		return -1;
	t->thr_up = true;
	return 0;
}

/* Called by the main thread once a device's ring is open. */
int st_serve_add(struct st_target *t, struct st_dev *d)
{
	struct epoll_event e;

	memset(&e, 0, sizeof(e));
	e.events = EPOLLIN;
	e.data.u64 = (uint64_t)(d - t->dev);
	return epoll_ctl(t->ep, EPOLL_CTL_ADD, d->fd, &e);
}

/* Teardown begins: release every held command, hold nothing more. */
void st_drain(struct st_target *t)
{
	struct salua_sim_fault_spec f;
	unsigned i;

	pthread_mutex_lock(&t->lock);
	t->draining = true;
	memset(&f, 0, sizeof(f));
	f.kind = SALUA_SIM_INJ_CLEAR;
	salua_sim_inject(t->sim, &f);
	while (t->nheld)
		complete_held(t, 0);
	for (i = 0; i < t->luns * t->ports; i++)
		st_ring_kick(&t->dev[i]);
	pthread_mutex_unlock(&t->lock);
}

void st_serve_stop(struct st_target *t)
{
	uint64_t one = 1;

	if (!t->thr_up)
		return;
	t->stop = 1;
	if (write(t->stopfd, &one, sizeof(one)) < 0)
		perror("salua-target: stop");
	pthread_join(t->thr, NULL);
	t->thr_up = false;
}
