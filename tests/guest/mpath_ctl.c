// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * mpath_ctl - guest-side checks of a native multipath head that busybox
 * cannot do (tests/guest/mpath_*.sh):
 *
 *   mpath_ctl pr DEV     every persistent-reservation ioctl (IOC_PR_*) is
 *                        refused with EOPNOTSUPP; exit 0 when all are
 *   mpath_ctl sgio DEV   SG_IO (INQUIRY) is refused with ENOTTY
 *   mpath_ctl excl DEV   an exclusive open (O_EXCL) fails with EBUSY
 *                        (DEV is held by a head)
 *   mpath_ctl open DEV   an exclusive open succeeds (DEV is free again)
 *   mpath_ctl stalls STOPFILE MIN_US
 *                        until STOPFILE exists, wake every millisecond at
 *                        real-time priority (SCHED_FIFO) and print
 *                        "STALL from_us to_us" (CLOCK_MONOTONIC, as
 *                        salua_vio) for every gap of MIN_US or more: the
 *                        times the guest did not run at all (the host did
 *                        not schedule its virtual CPU), for benchmarks
 *
 * One line per check: "MPCTL <check> <errno name> ok|FAIL".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/pr.h>
#include <scsi/sg.h>

static const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOTTY: return "ENOTTY";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case ENXIO: return "ENXIO";
	case EIO: return "EIO";
	default: return strerror(e);
	}
}

static int check(const char *what, int rc, int want)
{
	int e = rc < 0 ? errno : 0;
	int ok = want ? (rc < 0 && e == want) : rc >= 0;

	printf("MPCTL %s %s %s\n", what, ename(e), ok ? "ok" : "FAIL");
	return ok ? 0 : 1;
}

static int pr(const char *dev)
{
	struct pr_registration reg = { .old_key = 0, .new_key = 0x1234 };
	struct pr_reservation res = { .key = 0x1234, .type = PR_WRITE_EXCLUSIVE };
	struct pr_preempt pre = { .old_key = 0x1234, .new_key = 0x5678,
				  .type = PR_WRITE_EXCLUSIVE };
	struct pr_clear clr = { .key = 0x1234 };
	int fd = open(dev, O_RDWR), bad = 0;

	if (fd < 0) {
		perror(dev);
		return 2;
	}
	bad |= check("IOC_PR_REGISTER", ioctl(fd, IOC_PR_REGISTER, &reg),
		     EOPNOTSUPP);
	bad |= check("IOC_PR_RESERVE", ioctl(fd, IOC_PR_RESERVE, &res),
		     EOPNOTSUPP);
	bad |= check("IOC_PR_RELEASE", ioctl(fd, IOC_PR_RELEASE, &res),
		     EOPNOTSUPP);
	bad |= check("IOC_PR_PREEMPT", ioctl(fd, IOC_PR_PREEMPT, &pre),
		     EOPNOTSUPP);
	bad |= check("IOC_PR_PREEMPT_ABORT",
		     ioctl(fd, IOC_PR_PREEMPT_ABORT, &pre), EOPNOTSUPP);
	bad |= check("IOC_PR_CLEAR", ioctl(fd, IOC_PR_CLEAR, &clr), EOPNOTSUPP);
	close(fd);
	return bad;
}

static int sgio(const char *dev)
{
	unsigned char cdb[6] = { 0x12, 0, 0, 0, 96, 0 }, buf[96], sense[32];
	struct sg_io_hdr h;
	int fd = open(dev, O_RDWR), bad;

	if (fd < 0) {
		perror(dev);
		return 2;
	}
	memset(&h, 0, sizeof(h));
	h.interface_id = 'S';
	h.dxfer_direction = SG_DXFER_FROM_DEV;
	h.cmd_len = sizeof(cdb);
	h.cmdp = cdb;
	h.dxferp = buf;
	h.dxfer_len = sizeof(buf);
	h.sbp = sense;
	h.mx_sb_len = sizeof(sense);
	h.timeout = 5000;
	bad = check("SG_IO", ioctl(fd, SG_IO, &h), ENOTTY);
	close(fd);
	return bad;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int stalls(const char *stop, const char *min)
{
	struct sched_param sp = { .sched_priority = 50 };
	struct timespec ms = { 0, 1000000 };
	uint64_t lim = strtoull(min, NULL, 10), prev, t, n = 0;

	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		perror("mpath_ctl: SCHED_FIFO (gaps may be guest scheduling)");
	prev = now_us();
	/* The stop file is looked at every 64 wake-ups. */
	while (n++ % 64 || access(stop, F_OK) != 0) {
		nanosleep(&ms, NULL);
		t = now_us();
		if (t - prev >= lim) {
			printf("STALL %llu %llu\n", (unsigned long long)prev,
			       (unsigned long long)t);
			fflush(stdout);
		}
		prev = t;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int fd, r;

	if (argc == 4 && !strcmp(argv[1], "stalls"))
		return stalls(argv[2], argv[3]);
	if (argc != 3) {
		fprintf(stderr, "usage: mpath_ctl pr|sgio|excl|open DEV | stalls STOPFILE MIN_US\n");
		return 2;
	}
	if (!strcmp(argv[1], "pr"))
		return pr(argv[2]);
	if (!strcmp(argv[1], "sgio"))
		return sgio(argv[2]);
	if (!strcmp(argv[1], "excl") || !strcmp(argv[1], "open")) {
		fd = open(argv[2], O_RDONLY | O_EXCL);
		r = check(argv[1][0] == 'e' ? "O_EXCL-held" : "O_EXCL-free", fd,
			  argv[1][0] == 'e' ? EBUSY : 0);
		if (fd >= 0)
			close(fd);
		return r;
	}
	fprintf(stderr, "mpath_ctl: unknown check '%s'\n", argv[1]);
	return 2;
}
