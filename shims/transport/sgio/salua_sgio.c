/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_sgio.c - SG_IO transport and sysfs discovery (see salua_sgio.h).
 */
#include "salua_sgio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include <scsi/sg.h>

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static void seterr(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (!err || !cap)
		return;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

static const char *sysroot_or_default(const char *s)
{
	return s && *s ? s : "/sys";
}

int salua_sgio_open(struct salua_sgio *d, const char *path, char *err,
		    size_t errcap)
{
	struct stat st;
	int fd, ver = 0, e;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if (!path || !*path) {
		seterr(err, errcap, "empty device name");
		return -EINVAL;
	}
	snprintf(d->path, sizeof(d->path), "%s", path);
	/*
	 * Read-only first: closing a block device opened for writing makes
	 * udev (its "watch" rule) synthesise a change event and re-probe the
	 * disk.  SG_IO on a read-only descriptor passes every command with
	 * CAP_SYS_RAWIO, and without it the "read-safe" ones of
	 * scsi_cmd_allowed(), which include INQUIRY, TEST UNIT READY and
	 * both MAINTENANCE IN (RTPG) and MAINTENANCE OUT (STPG): 0xa3/0xa4
	 * are also the CD-ROM SEND KEY/REPORT KEY opcodes on that list.  So
	 * the ALUA commands work read-only for anyone who can open the node
	 * (checked in the guest test, 6.1 and 6.12).  Writes (WRITE, MODE
	 * SELECT) need a writable descriptor without CAP_SYS_RAWIO; sg
	 * filters only read-only descriptors, so a character node is
	 * reopened read-write when permitted.
	 */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		seterr(err, errcap, "%s: cannot open: %s", path, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) != 0) {
		e = errno;
		close(fd);
		seterr(err, errcap, "%s: cannot stat: %s", path, strerror(e));
		return -e;
	}
	if (S_ISCHR(st.st_mode)) {
		int rw = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);

		if (rw >= 0) {
			close(fd);
			fd = rw;
		}
	}
	if (S_ISCHR(st.st_mode) && ioctl(fd, SG_GET_VERSION_NUM, &ver) == 0 &&
	    ver >= 30000) {
		d->is_sg = true;
	} else if (!S_ISBLK(st.st_mode)) {
		close(fd);
		seterr(err, errcap,
		       "%s: not a SCSI generic (sg) or SCSI block device",
		       path);
		return -ENOTTY;
	}
	d->fd = fd;
	return 0;
}

void salua_sgio_close(struct salua_sgio *d)
{
	if (d && d->fd >= 0) {
		close(d->fd);
		d->fd = -1;
	}
}

/* Linux host byte values (include/scsi/scsi_status.h, DID_*). */
static const char *const host_names[] = {
	"DID_OK", "DID_NO_CONNECT", "DID_BUS_BUSY", "DID_TIME_OUT",
	"DID_BAD_TARGET", "DID_ABORT", "DID_PARITY", "DID_ERROR",
	"DID_RESET", "DID_BAD_INTR", "DID_PASSTHROUGH", "DID_SOFT_ERROR",
	"DID_IMM_RETRY", "DID_REQUEUE", "DID_TRANSPORT_DISRUPTED",
	"DID_TRANSPORT_FAILFAST", "DID_TARGET_FAILURE", "DID_NEXUS_FAILURE",
	"DID_ALLOC_FAILURE", "DID_MEDIUM_ERROR", "DID_TRANSPORT_MARGINAL"
};

const char *salua_sgio_host_name(unsigned host_status)
{
	if (host_status < sizeof(host_names) / sizeof(host_names[0]))
		return host_names[host_status];
	return "DID_?";
}

enum salua_xfer salua_sgio_xfer_of(unsigned host_status,
				   unsigned driver_status)
{
	unsigned drv = driver_status & 0x0fu; /* suggestion bits are history */

	if (host_status == 0x03u /* DID_TIME_OUT */ ||
	    drv == 0x06u /* DRIVER_TIMEOUT */)
		return SALUA_XFER_TIMEOUT;
	if (host_status != 0u)
		return SALUA_XFER_TRANSPORT;
	/* DRIVER_OK 0 and DRIVER_SENSE 8 carry a valid SCSI status. */
	if (drv != 0u && drv != 0x08u)
		return SALUA_XFER_TRANSPORT;
	return SALUA_XFER_OK;
}

int salua_sgio_exec(struct salua_sgio *d, const struct salua_sgio_req *rq,
		    struct salua_sgio_resp *rs, char *err, size_t errcap)
{
	struct sg_io_hdr h;
	int e;
	int32_t resid;

	memset(rs, 0, sizeof(*rs));
	if (!d || d->fd < 0 || !rq || !rq->cdb || rq->cdb_len < 6 ||
	    rq->cdb_len > 16 || (rq->dir != SALUA_SGIO_NONE && !rq->data)) {
		seterr(err, errcap, "%s: invalid SG_IO request",
		       d ? d->path : "?");
		return -EINVAL;
	}
	memset(&h, 0, sizeof(h));
	h.interface_id = 'S';
	h.cmdp = (unsigned char *)(uintptr_t)rq->cdb;
	h.cmd_len = (unsigned char)rq->cdb_len;
	switch (rq->dir) {
	case SALUA_SGIO_IN:
		h.dxfer_direction = SG_DXFER_FROM_DEV;
		break;
	case SALUA_SGIO_OUT:
		h.dxfer_direction = SG_DXFER_TO_DEV;
		break;
	case SALUA_SGIO_NONE:
	default:
		h.dxfer_direction = SG_DXFER_NONE;
		break;
	}
	if (rq->dir != SALUA_SGIO_NONE) {
		h.dxferp = rq->data;
		h.dxfer_len = rq->data_len;
	}
	h.sbp = rs->sense;
	h.mx_sb_len = (unsigned char)sizeof(rs->sense);
	h.timeout = rq->timeout_ms ? rq->timeout_ms :
				     SALUA_SGIO_DEFAULT_TIMEOUT_MS;
	if (rq->dir == SALUA_SGIO_IN && rq->data && rq->data_len)
		memset(rq->data, 0, rq->data_len);
	if (ioctl(d->fd, SG_IO, &h) < 0) {
		e = errno;
		if (e == ENOTTY || e == EINVAL)
			seterr(err, errcap,
			       "%s: SG_IO ioctl refused: %s (not a SCSI device?)",
			       d->path, strerror(e));
		else
			seterr(err, errcap, "%s: SG_IO ioctl failed: %s",
			       d->path, strerror(e));
		return -e;
	}
	rs->status = (uint8_t)(h.status & 0xffu);
	rs->host_status = h.host_status;
	rs->driver_status = h.driver_status;
	rs->sense_len = h.sb_len_wr <= sizeof(rs->sense) ? h.sb_len_wr :
				(uint8_t)sizeof(rs->sense);
	rs->duration_ms = h.duration;
	resid = h.resid;
	rs->resid = resid;
	if (rq->dir == SALUA_SGIO_IN) {
		if (resid < 0)
			resid = 0;
		rs->data_len = (uint32_t)resid >= rq->data_len ?
				       0 : rq->data_len - (uint32_t)resid;
	}
	rs->xfer = salua_sgio_xfer_of(h.host_status, h.driver_status);
	return 0;
}

/* ---- sysfs ---------------------------------------------------------- */

int salua_sgio_read_attr(const char *dir, const char *name, char *buf,
			 size_t cap)
{
	char p[PATH_MAX];
	FILE *f;
	size_t n;

	if (!cap)
		return -EINVAL;
	buf[0] = '\0';
	if (snprintf(p, sizeof(p), "%s/%s", dir, name) >= (int)sizeof(p))
		return -ENAMETOOLONG;
	f = fopen(p, "re");
	if (!f)
		return -errno;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' ' ||
		     buf[n - 1] == '\t' || buf[n - 1] == '\0'))
		buf[--n] = '\0';
	return (int)n;
}

/* First entry name of directory @dir (skipping dot entries). */
static void first_entry(const char *dir, char *out, size_t cap)
{
	DIR *dp = opendir(dir);
	struct dirent *de;

	out[0] = '\0';
	if (!dp)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		/* a name longer than @cap is cut (and then matches nothing) */
		if (snprintf(out, cap, "%s", de->d_name) < 0)
			out[0] = '\0';
		break;
	}
	closedir(dp);
}

static bool parse_hctl(const char *s, struct salua_sgio_info *in)
{
	unsigned long long l;
	unsigned h, c, t;
	char tail;

	if (sscanf(s, "%u:%u:%u:%llu%c", &h, &c, &t, &l, &tail) != 4)
		return false;
	in->host = h;
	in->channel = c;
	in->target = t;
	in->lun = l;
	snprintf(in->hctl, sizeof(in->hctl), "%u:%u:%u:%llu", h, c, t, l);
	return true;
}

/* Fill @in from the scsi_device directory @dev (…/H:C:T:L). */
static void fill_info(const char *dev, struct salua_sgio_info *in)
{
	char p[PATH_MAX], v[32];

	snprintf(p, sizeof(p), "%s/scsi_generic", dev);
	first_entry(p, in->sg, sizeof(in->sg));
	snprintf(p, sizeof(p), "%s/block", dev);
	first_entry(p, in->sd, sizeof(in->sd));
	salua_sgio_read_attr(dev, "vendor", in->vendor, sizeof(in->vendor));
	salua_sgio_read_attr(dev, "model", in->model, sizeof(in->model));
	salua_sgio_read_attr(dev, "rev", in->rev, sizeof(in->rev));
	in->type = -1;
	if (salua_sgio_read_attr(dev, "type", v, sizeof(v)) > 0)
		in->type = atoi(v);
	salua_sgio_read_attr(dev, "access_state", in->access_state,
			     sizeof(in->access_state));
	salua_sgio_read_attr(dev, "dh_state", in->dh_state,
			     sizeof(in->dh_state));
}

static int cmp_info(const void *a, const void *b)
{
	const struct salua_sgio_info *x = (const struct salua_sgio_info *)a;
	const struct salua_sgio_info *y = (const struct salua_sgio_info *)b;

	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	if (x->channel != y->channel)
		return x->channel < y->channel ? -1 : 1;
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	if (x->lun != y->lun)
		return x->lun < y->lun ? -1 : 1;
	return 0;
}

int salua_sgio_scan(const char *sysroot, struct salua_sgio_info *out,
		    size_t cap, size_t *n)
{
	char dir[PATH_MAX / 2], dev[PATH_MAX];
	struct salua_sgio_info in;
	struct dirent *de;
	size_t k = 0;
	DIR *dp;
	int e;

	*n = 0;
	snprintf(dir, sizeof(dir), "%s/class/scsi_device",
		 sysroot_or_default(sysroot));
	dp = opendir(dir);
	if (!dp) {
		e = errno;
		return e == ENOENT ? 0 : -e;
	}
	while ((de = readdir(dp)) != NULL) {
		memset(&in, 0, sizeof(in));
		if (!parse_hctl(de->d_name, &in))
			continue;
		if (snprintf(dev, sizeof(dev), "%s/%s/device", dir,
			     de->d_name) >= (int)sizeof(dev))
			continue;
		fill_info(dev, &in);
		if (k < cap)
			out[k] = in;
		k++;
	}
	closedir(dp);
	qsort(out, k < cap ? k : cap, sizeof(*out), cmp_info);
	*n = k;
	return k > cap ? -ENOSPC : 0;
}

/* Resolve @link and return its last path component in @out. */
static int link_base(const char *link, char *out, size_t cap)
{
	char real[PATH_MAX];
	const char *b;

	if (!realpath(link, real))
		return -errno;
	b = strrchr(real, '/');
	if (snprintf(out, cap, "%s", b ? b + 1 : real) < 0)
		out[0] = '\0';
	return 0;
}

int salua_sgio_lookup(const char *sysroot, const char *devpath,
		      struct salua_sgio_info *out, char *err, size_t errcap)
{
	const char *root = sysroot_or_default(sysroot);
	char cand[PATH_MAX], hctl[64];
	const char *base;
	struct stat st;
	int rc = -ENOENT;

	memset(out, 0, sizeof(*out));
	base = strrchr(devpath, '/');
	base = base ? base + 1 : devpath;
	/* By name first: /dev/sgN and /dev/sdX (also works on a fake tree). */
	if (strncmp(base, "sg", 2) == 0)
		snprintf(cand, sizeof(cand), "%s/class/scsi_generic/%s/device",
			 root, base);
	else
		snprintf(cand, sizeof(cand), "%s/class/block/%s/device", root,
			 base);
	rc = link_base(cand, hctl, sizeof(hctl));
	if ((rc != 0 || !parse_hctl(hctl, out)) && stat(devpath, &st) == 0 &&
	    (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
		/* Any other node: through its device number. */
		snprintf(cand, sizeof(cand), "%s/dev/%s/%u:%u/device", root,
			 S_ISCHR(st.st_mode) ? "char" : "block",
			 major(st.st_rdev), minor(st.st_rdev));
		rc = link_base(cand, hctl, sizeof(hctl));
	}
	if (rc != 0 || !parse_hctl(hctl, out)) {
		seterr(err, errcap, "%s: not a SCSI device known to sysfs (%s)",
		       devpath, root);
		return -ENOENT;
	}
	fill_info(cand, out);
	return 0;
}

/* ---- the device as a struct salua_transport ------------------------ */

static int xport_submit(void *t, const struct salua_xport_cmd *cmd,
			salua_xport_done_fn done, void *arg)
{
	struct salua_sgio *d = (struct salua_sgio *)t;
	struct salua_sgio_req rq;
	struct salua_sgio_resp rs;
	struct salua_xport_result r;
	int rc;

	if (!cmd || !done)
		return -EINVAL;
	if (d->fd < 0) {
		snprintf(d->err, sizeof(d->err), "%s: not open", d->path);
		return -ENOTCONN;
	}
	memset(&rq, 0, sizeof(rq));
	rq.cdb = cmd->cdb;
	rq.cdb_len = cmd->cdb_len;
	rq.dir = cmd->dir == SALUA_XPORT_IN    ? SALUA_SGIO_IN
		 : cmd->dir == SALUA_XPORT_OUT ? SALUA_SGIO_OUT
					       : SALUA_SGIO_NONE;
	rq.data = cmd->data;
	rq.data_len = cmd->data_len;
	rq.timeout_ms = cmd->timeout_ms;
	rc = salua_sgio_exec(d, &rq, &rs, d->err, sizeof(d->err));
	if (rc < 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.xfer = rs.xfer;
	r.status = rs.status;
	r.sense = rs.sense_len ? rs.sense : NULL;
	r.sense_len = rs.sense_len;
	r.data_len = cmd->dir == SALUA_XPORT_OUT
			     ? (rs.resid > 0 && (uint32_t)rs.resid <= cmd->data_len
					? cmd->data_len - (uint32_t)rs.resid
					: cmd->data_len)
			     : rs.data_len;
	r.resid = rs.resid > 0 ? (uint32_t)rs.resid : 0u;
	r.native = (int32_t)((unsigned)rs.host_status << 8 |
			     (rs.driver_status & 0xffu));
	done(arg, &r);
	return 0;
}

static unsigned xport_inflight(void *t)
{
	(void)t;
	return 0; /* completes inside submit */
}

static size_t xport_describe(void *t, int32_t native, char *buf, size_t cap)
{
	unsigned host = ((unsigned)native >> 8) & 0xffffu;
	unsigned drv = (unsigned)native & 0xffu;
	int n;

	(void)t;
	if (!cap)
		return 0;
	if (drv)
		n = snprintf(buf, cap, "%s, driver status 0x%02x",
			     salua_sgio_host_name(host), drv);
	else
		n = snprintf(buf, cap, "%s", salua_sgio_host_name(host));
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static const char *xport_error(void *t)
{
	return ((const struct salua_sgio *)t)->err;
}

static void xport_close(void *t)
{
	salua_sgio_close((struct salua_sgio *)t);
}

const struct salua_transport_ops salua_sgio_ops = {
	.name = "sgio",
	.submit = xport_submit,
	.inflight = xport_inflight,
	.describe = xport_describe,
	.error = xport_error,
	.close = xport_close,
};

void salua_sgio_transport(struct salua_sgio *d, struct salua_transport *t)
{
	t->ops = &salua_sgio_ops;
	t->ctx = d;
}
