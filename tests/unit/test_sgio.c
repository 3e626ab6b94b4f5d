/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * shims/transport/sgio: sysfs discovery on a fake sysfs tree (layout as Linux 6.1
 * shows it for scsi_debug), error messages naming the device, and the
 * host/driver status mapping.  The SG_IO path itself runs in the guest
 * tests (tests/guest), since the host has no SCSI stack.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "salua_sgio.h"
#include "salua_test.h"

static char root[256];

static void put(const char *rel, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void mk(const char *rel)
{
	char p[512], *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	}
	mkdir(p, 0755);
}

static void ln(const char *target_rel, const char *link_rel)
{
	char t[512], l[512];

	snprintf(t, sizeof(t), "%s/%s", root, target_rel);
	snprintf(l, sizeof(l), "%s/%s", root, link_rel);
	if (symlink(t, l) != 0)
		perror("symlink");
}

/* One scsi_device H:0:0:0 with its sg and sd nodes. */
static void fake_dev(unsigned h, const char *sg, const char *sd,
		     const char *state)
{
	char d[200], x[260], y[320];

	snprintf(d, sizeof(d),
		 "devices/pseudo_0/adapter0/host%u/target%u:0:0/%u:0:0:0", h, h,
		 h);
	mk(d);
	snprintf(x, sizeof(x), "%s/vendor", d);
	put(x, "Linux   \n");
	snprintf(x, sizeof(x), "%s/model", d);
	put(x, "scsi_debug      \n");
	snprintf(x, sizeof(x), "%s/rev", d);
	put(x, "0191\n");
	snprintf(x, sizeof(x), "%s/type", d);
	put(x, "0\n");
	if (state) {
		snprintf(x, sizeof(x), "%s/access_state", d);
		put(x, state);
		snprintf(x, sizeof(x), "%s/dh_state", d);
		put(x, "alua\n");
	}
	snprintf(x, sizeof(x), "%s/scsi_generic/%s", d, sg);
	mk(x);
	snprintf(x, sizeof(x), "%s/block/%s", d, sd);
	mk(x);
	snprintf(x, sizeof(x), "class/scsi_device/%u:0:0:0", h);
	mk(x);
	snprintf(y, sizeof(y), "%s/device", x);
	ln(d, y);
	snprintf(x, sizeof(x), "class/scsi_generic/%s", sg);
	mk(x);
	snprintf(y, sizeof(y), "%s/device", x);
	ln(d, y);
	snprintf(x, sizeof(x), "class/block/%s", sd);
	mk(x);
	snprintf(y, sizeof(y), "%s/device", x);
	ln(d, y);
}

int main(void)
{
	struct salua_sgio_info in[8], one;
	struct salua_sgio d;
	struct salua_sgio_req rq;
	struct salua_sgio_resp rs;
	uint8_t cdb[6] = { 0 };
	char err[SALUA_SGIO_ERR_MAX], cmd[300];
	size_t n = 99;
	int rc;

	snprintf(root, sizeof(root), "/tmp/salua-sgio-test.%ld", (long)getpid());
	mkdir(root, 0755);
	/* Created out of order; 10 must sort after 2 (numeric, not text). */
	fake_dev(10, "sg3", "sdd", NULL);
	fake_dev(2, "sg0", "sda", "standby\n");
	fake_dev(0, "sg1", "sdb", "active/optimized\n");
	fake_dev(1, "sg2", "sdc", "active/non-optimized\n");
	mk("class/scsi_device/not-a-device");

	T_CASE("scan: every device, sorted by H:C:T:L, attributes trimmed");
	rc = salua_sgio_scan(root, in, 8, &n);
	CHECK_EQ(rc, 0);
	CHECK_EQ(n, 4);
	CHECK_STR(in[0].hctl, "0:0:0:0");
	CHECK_STR(in[1].hctl, "1:0:0:0");
	CHECK_STR(in[2].hctl, "2:0:0:0");
	CHECK_STR(in[3].hctl, "10:0:0:0");
	CHECK_EQ(in[3].host, 10);
	CHECK_STR(in[0].sg, "sg1");
	CHECK_STR(in[0].sd, "sdb");
	CHECK_STR(in[2].sg, "sg0");
	CHECK_STR(in[0].vendor, "Linux");
	CHECK_STR(in[0].model, "scsi_debug");
	CHECK_STR(in[0].rev, "0191");
	CHECK_EQ(in[0].type, 0);
	CHECK_STR(in[0].access_state, "active/optimized");
	CHECK_STR(in[1].access_state, "active/non-optimized");
	CHECK_STR(in[0].dh_state, "alua");
	CHECK_STR(in[3].access_state, "");

	T_CASE("scan: a short array gets the first devices and -ENOSPC");
	rc = salua_sgio_scan(root, in, 2, &n);
	CHECK_EQ(rc, -ENOSPC);
	CHECK_EQ(n, 4);

	T_CASE("scan: no class/scsi_device is zero devices, not an error");
	rc = salua_sgio_scan("/nonexistent-sysfs", in, 8, &n);
	CHECK_EQ(rc, 0);
	CHECK_EQ(n, 0);

	T_CASE("lookup by sg and sd name");
	rc = salua_sgio_lookup(root, "/dev/sg0", &one, err, sizeof(err));
	CHECK_EQ(rc, 0);
	CHECK_STR(one.hctl, "2:0:0:0");
	CHECK_STR(one.sd, "sda");
	CHECK_STR(one.access_state, "standby");
	rc = salua_sgio_lookup(root, "sdb", &one, err, sizeof(err));
	CHECK_EQ(rc, 0);
	CHECK_STR(one.hctl, "0:0:0:0");
	CHECK_STR(one.sg, "sg1");

	T_CASE("lookup of an unknown node names it");
	rc = salua_sgio_lookup(root, "/dev/sg7", &one, err, sizeof(err));
	CHECK_EQ(rc, -ENOENT);
	CHECK(strstr(err, "/dev/sg7: not a SCSI device") == err);

	T_CASE("open errors name the device");
	rc = salua_sgio_open(&d, "/nonexistent/sg9", err, sizeof(err));
	CHECK_EQ(rc, -ENOENT);
	CHECK_STR(err, "/nonexistent/sg9: cannot open: No such file or directory");
	CHECK_EQ(d.fd, -1);
	rc = salua_sgio_open(&d, "/dev/null", err, sizeof(err));
	CHECK_EQ(rc, -ENOTTY);
	CHECK_STR(err, "/dev/null: not a SCSI generic (sg) or SCSI block device");
	rc = salua_sgio_open(&d, "", err, sizeof(err));
	CHECK_EQ(rc, -EINVAL);

	T_CASE("a block device is opened read-only (no udev change event)");
	{
		/* Any loop device will do: only the open mode is checked. */
		static const char *const blk[] = { "/dev/loop0", "/dev/loop1",
						   "/dev/loop7", "/dev/vda" };
		unsigned i;

		for (i = 0; i < sizeof(blk) / sizeof(blk[0]); i++) {
			struct stat st;

			if (stat(blk[i], &st) != 0 || !S_ISBLK(st.st_mode) ||
			    salua_sgio_open(&d, blk[i], err, sizeof(err)) != 0)
				continue;
			CHECK(!d.is_sg);
			CHECK_EQ(fcntl(d.fd, F_GETFL) & O_ACCMODE, O_RDONLY);
			salua_sgio_close(&d);
			break;
		}
		if (i == sizeof(blk) / sizeof(blk[0]))
			printf("note: no openable block device here; open mode not checked\n");
	}

	T_CASE("exec refuses a closed device and bad requests");
	memset(&rq, 0, sizeof(rq));
	rq.cdb = cdb;
	rq.cdb_len = sizeof(cdb);
	CHECK_EQ(salua_sgio_exec(&d, &rq, &rs, err, sizeof(err)), -EINVAL);
	rq.cdb_len = 3;
	CHECK_EQ(salua_sgio_exec(&d, &rq, &rs, err, sizeof(err)), -EINVAL);
	salua_sgio_close(&d);

	T_CASE("host and driver status -> enum salua_xfer");
	CHECK_EQ(salua_sgio_xfer_of(0, 0), SALUA_XFER_OK);
	CHECK_EQ(salua_sgio_xfer_of(0, 0x08), SALUA_XFER_OK);   /* DRIVER_SENSE */
	CHECK_EQ(salua_sgio_xfer_of(0, 0x18), SALUA_XFER_OK);   /* + suggestion */
	CHECK_EQ(salua_sgio_xfer_of(3, 0), SALUA_XFER_TIMEOUT); /* DID_TIME_OUT */
	CHECK_EQ(salua_sgio_xfer_of(0, 0x06), SALUA_XFER_TIMEOUT);
	CHECK_EQ(salua_sgio_xfer_of(1, 0), SALUA_XFER_TRANSPORT); /* NO_CONNECT */
	CHECK_EQ(salua_sgio_xfer_of(0x0e, 0), SALUA_XFER_TRANSPORT);
	CHECK_EQ(salua_sgio_xfer_of(0, 0x04), SALUA_XFER_TRANSPORT); /* ERROR */
	CHECK_STR(salua_sgio_host_name(1), "DID_NO_CONNECT");
	CHECK_STR(salua_sgio_host_name(0x0e), "DID_TRANSPORT_DISRUPTED");
	CHECK_STR(salua_sgio_host_name(99), "DID_?");

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return t_done("sgio");
}
