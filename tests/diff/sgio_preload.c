/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * sgio_preload.so - an LD_PRELOAD fake SCSI device for sg3_utils' tools.
 *
 * sg_rtpg and sg_stpg (sg3_utils 1.46) have no --inhex option.  Given a
 * regular file as DEVICE they still issue ioctl(fd, SG_IO, ...) with a v3
 * header; this library answers that ioctl for regular files only (every
 * other ioctl and device goes to the real libc) so the tools decode bytes
 * of our choosing and show the bytes they send.
 *
 * Environment (all optional):
 *   SALUA_SHIM_LOG        append "CDB <hex>" per command and "DOUT <hex>"
 *                         per data-out transfer to this file
 *   SALUA_SHIM_RTPG       hex file: REPORT TARGET PORT GROUPS parameter data
 *   SALUA_SHIM_RTPG_XFER  transfer at most this many RTPG bytes (resid set),
 *                         to model a target that cuts its answer short
 *   SALUA_SHIM_RTPG_SENSE hex sense bytes: RTPG ends in CHECK CONDITION
 *   SALUA_SHIM_STPG_SENSE hex sense bytes: STPG ends in CHECK CONDITION
 *   SALUA_SHIM_INQ        hex file: standard INQUIRY data
 *   SALUA_SHIM_VPD83      hex file: VPD page 0x83
 *   SALUA_SHIM_TPG, SALUA_SHIM_RTP  ids for the built-in VPD 0x83
 *   SALUA_SHIM_REFERRALS  hex file: REPORT REFERRALS parameter data
 *   SALUA_SHIM_REFERRALS_XFER  transfer at most this many of those bytes
 * Hex files: pairs of hex digits; anything else is skipped, '#' starts a
 * comment.  Unknown commands get ILLEGAL REQUEST, INVALID COMMAND OPCODE.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <scsi/sg.h>

#define SHIM_MAX 65536

typedef int (*ioctl_fn)(int, unsigned long, ...);

int ioctl(int fd, unsigned long req, ...);

static size_t parse_hex(const char *t, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *t; t++) {
		int v;

		if (*t == '#') {
			while (*t && *t != '\n')
				t++;
			if (!*t)
				break;
			continue;
		}
		if (*t >= '0' && *t <= '9')
			v = *t - '0';
		else if (*t >= 'a' && *t <= 'f')
			v = *t - 'a' + 10;
		else if (*t >= 'A' && *t <= 'F')
			v = *t - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			if (n < cap)
				out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

/* Bytes from the hex file named by environment variable @var; -1 if unset. */
static long load_hex_env(const char *var, uint8_t *out, size_t cap)
{
	static char text[4 * SHIM_MAX];
	const char *path = getenv(var);
	FILE *f;
	size_t n;

	if (!path || !*path)
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return (long)parse_hex(text, out, cap);
}

static void log_hex(const char *tag, const uint8_t *p, size_t n)
{
	const char *path = getenv("SALUA_SHIM_LOG");
	FILE *f;
	size_t i;

	if (!path || !*path)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%s", tag);
	for (i = 0; i < n; i++)
		fprintf(f, " %02x", p[i]);
	fprintf(f, "\n");
	fclose(f);
}

static unsigned env_uint(const char *var, unsigned dflt)
{
	const char *s = getenv(var);

	return s && *s ? (unsigned)strtoul(s, NULL, 0) : dflt;
}

static void set_sense(sg_io_hdr_t *h, const uint8_t *sense, size_t n)
{
	size_t m = n < h->mx_sb_len ? n : h->mx_sb_len;

	h->status = 0x02;
	h->masked_status = 0x01;
	h->driver_status = 0x08; /* DRIVER_SENSE */
	h->info |= SG_INFO_CHECK;
	if (h->sbp && m)
		memcpy(h->sbp, sense, m);
	h->sb_len_wr = (unsigned char)m;
	h->resid = (int)h->dxfer_len;
}

static void check_condition(sg_io_hdr_t *h, uint8_t key, uint8_t asc,
			    uint8_t ascq)
{
	uint8_t s[18];

	memset(s, 0, sizeof(s));
	s[0] = 0x70;
	s[2] = key;
	s[7] = 10;
	s[12] = asc;
	s[13] = ascq;
	set_sense(h, s, sizeof(s));
}

static void data_in(sg_io_hdr_t *h, const uint8_t *d, size_t n, size_t alloc)
{
	size_t m = n;

	if (m > alloc)
		m = alloc;
	if (m > h->dxfer_len)
		m = h->dxfer_len;
	if (h->dxferp && m)
		memcpy(h->dxferp, d, m);
	h->resid = (int)(h->dxfer_len - m);
}

static size_t default_inquiry(uint8_t *b)
{
	memset(b, ' ', 36);
	b[0] = 0x00;
	b[1] = 0x00;
	b[2] = 0x06;
	b[3] = 0x02;
	b[4] = 31;
	b[5] = 0x30; /* TPGS = 11b */
	b[6] = 0x10;
	b[7] = 0x02;
	memcpy(b + 8, "SALUA   ", 8);
	memcpy(b + 16, "SGIO PRELOAD    ", 16);
	memcpy(b + 32, "0001", 4);
	return 36;
}

static size_t default_vpd83(uint8_t *b)
{
	unsigned tpg = env_uint("SALUA_SHIM_TPG", 0x101);
	unsigned rtp = env_uint("SALUA_SHIM_RTP", 2);
	static const uint8_t naa[8] = {0x60, 0x01, 0x40, 0x5a, 0x1a, 0x00, 0x00, 0x01};
	size_t n = 4;

	memset(b, 0, 64);
	b[1] = 0x83;
	b[n++] = 0x01; b[n++] = 0x03; b[n++] = 0; b[n++] = 8; /* NAA, LU */
	memcpy(b + n, naa, 8);
	n += 8;
	b[n++] = 0x01; b[n++] = 0x14; b[n++] = 0; b[n++] = 4; /* RTP */
	b[n++] = 0; b[n++] = 0;
	b[n++] = (uint8_t)(rtp >> 8); b[n++] = (uint8_t)rtp;
	b[n++] = 0x01; b[n++] = 0x15; b[n++] = 0; b[n++] = 4; /* TPG */
	b[n++] = 0; b[n++] = 0;
	b[n++] = (uint8_t)(tpg >> 8); b[n++] = (uint8_t)tpg;
	b[3] = (uint8_t)(n - 4);
	return n;
}

static uint8_t resp[SHIM_MAX];

static void answer(sg_io_hdr_t *h)
{
	const uint8_t *cdb = h->cmdp;
	long n;
	uint8_t sense[252];

	h->status = 0;
	h->masked_status = 0;
	h->msg_status = 0;
	h->host_status = 0;
	h->driver_status = 0;
	h->sb_len_wr = 0;
	h->resid = 0;
	h->duration = 0;
	h->info = 0;
	log_hex("CDB", cdb, h->cmd_len);

	switch (cdb[0]) {
	case 0x00: /* TEST UNIT READY */
		return;
	case 0x12: { /* INQUIRY */
		size_t alloc = (size_t)cdb[3] << 8 | cdb[4];

		if (!(cdb[1] & 1)) {
			n = load_hex_env("SALUA_SHIM_INQ", resp, sizeof(resp));
			if (n < 0)
				n = (long)default_inquiry(resp);
		} else if (cdb[2] == 0x83) {
			n = load_hex_env("SALUA_SHIM_VPD83", resp, sizeof(resp));
			if (n < 0)
				n = (long)default_vpd83(resp);
		} else if (cdb[2] == 0x00) {
			static const uint8_t sup[7] = {0, 0, 0, 3, 0x00, 0x80, 0x83};
			memcpy(resp, sup, sizeof(sup));
			n = (long)sizeof(sup);
		} else {
			check_condition(h, 0x05, 0x24, 0x00);
			return;
		}
		data_in(h, resp, (size_t)n, alloc);
		return;
	}
	case 0xa3: /* MAINTENANCE IN */
		if ((cdb[1] & 0x1f) == 0x0a) {
			size_t alloc = (size_t)cdb[6] << 24 | (size_t)cdb[7] << 16 |
				       (size_t)cdb[8] << 8 | cdb[9];
			const char *x = getenv("SALUA_SHIM_RTPG_XFER");

			n = load_hex_env("SALUA_SHIM_RTPG_SENSE", sense, sizeof(sense));
			if (n > 0) {
				set_sense(h, sense, (size_t)n);
				return;
			}
			n = load_hex_env("SALUA_SHIM_RTPG", resp, sizeof(resp));
			if (n < 0) {
				check_condition(h, 0x05, 0x20, 0x00);
				return;
			}
			if (x && *x && strtoul(x, NULL, 0) < alloc)
				alloc = strtoul(x, NULL, 0);
			data_in(h, resp, (size_t)n, alloc);
			return;
		}
		break;
	case 0x9e: /* SERVICE ACTION IN(16) */
		if ((cdb[1] & 0x1f) == 0x13 && h->cmd_len >= 16) {
			/* REPORT REFERRALS (SBC-4) */
			size_t alloc = (size_t)cdb[10] << 24 |
				       (size_t)cdb[11] << 16 |
				       (size_t)cdb[12] << 8 | cdb[13];
			const char *x = getenv("SALUA_SHIM_REFERRALS_XFER");

			n = load_hex_env("SALUA_SHIM_REFERRALS", resp, sizeof(resp));
			if (n < 0)
				break;
			if (x && *x && strtoul(x, NULL, 0) < alloc)
				alloc = strtoul(x, NULL, 0);
			data_in(h, resp, (size_t)n, alloc);
			return;
		}
		break;
	case 0xa4: /* MAINTENANCE OUT */
		if ((cdb[1] & 0x1f) == 0x0a) {
			if (h->dxfer_direction == SG_DXFER_TO_DEV && h->dxferp)
				log_hex("DOUT", (const uint8_t *)h->dxferp,
					h->dxfer_len);
			n = load_hex_env("SALUA_SHIM_STPG_SENSE", sense, sizeof(sense));
			if (n > 0)
				set_sense(h, sense, (size_t)n);
			return;
		}
		break;
	default:
		break;
	}
	check_condition(h, 0x05, 0x20, 0x00);
}

int ioctl(int fd, unsigned long req, ...)
{
	static ioctl_fn real;
	va_list ap;
	void *arg;
	struct stat st;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == SG_IO && arg && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		sg_io_hdr_t *h = (sg_io_hdr_t *)arg;

		if (h->interface_id != 'S' || h->iovec_count || !h->cmdp ||
		    h->cmd_len < 6) {
			errno = EINVAL;
			return -1;
		}
		answer(h);
		return 0;
	}
	if (!real) {
		*(void **)(&real) = dlsym(RTLD_NEXT, "ioctl");
		if (!real) {
			errno = ENOSYS;
			return -1;
		}
	}
	return real(fd, req, arg);
}
