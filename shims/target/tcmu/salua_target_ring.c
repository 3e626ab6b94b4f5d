/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_target_ring.c - the TCMU command ring of one device
 * (<linux/target_core_user.h>, "Ring Design").
 *
 * The kernel appends entries at mailbox cmd_head and signals through the uio
 * device; we read them in order (rd) and complete commands in any order
 * (TCMU_MAILBOX_FLAG_CAP_OOOC): a completion is written into the entry at
 * cmd_tail, whatever command that entry carried, with the completed
 * command's cmd_id, then cmd_tail moves past it.  So every entry is copied
 * out when read.  Every offset and length the kernel writes is checked
 * against the mapping before use; a ring that breaks a rule is not read
 * again (the kernel's own cmd_time_out then fails its commands).
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

/* <linux/uio.h> redefines glibc's struct iovec: keep glibc's. */
#define __LINUX_UIO_H
#include <linux/target_core_user.h>

#include "salua_target.h"

#define ENT_HDR_LEN ((uint32_t)sizeof(struct tcmu_cmd_entry_hdr))
#define REQ_IOV_OFF offsetof(struct tcmu_cmd_entry, req.iov)

size_t st_cdb_len(const uint8_t *cdb, size_t avail)
{
	size_t n;

	if (!avail)
		return 0;
	switch (cdb[0] >> 5) { /* SPC-5 §4.2.5.1, Table 6: group code */
	case 0:
		n = 6;
		break;
	case 1:
	case 2:
		n = 10;
		break;
	case 4:
		n = 16;
		break;
	case 5:
		n = 12;
		break;
	case 3:
		/* 0x7f variable length: ADDITIONAL CDB LENGTH in byte 7 */
		n = cdb[0] == 0x7f && avail > 7 ? 8u + cdb[7] : 10u;
		break;
	default:
		n = 10; /* vendor specific: the kernel's COMMAND_SIZE */
		break;
	}
	return n <= avail ? n : avail;
}

static int read_hex_size(const char *path, size_t *out)
{
	char b[64], *end;
	unsigned long long v;

	if (st_read_file(path, b, sizeof(b)) < 0)
		return -1;
	errno = 0;
	v = strtoull(b, &end, 0);
	if (errno || end == b || v == 0 || v > SIZE_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

int st_ring_open(struct st_dev *d, const char *uio)
{
	char p[PATH_MAX];
	const struct tcmu_mailbox *mb;
	size_t len;

	snprintf(p, sizeof(p), "/sys/class/uio/%s/maps/map0/size", uio);
	if (read_hex_size(p, &len) < 0) {
		fprintf(stderr, "salua-target: %s: cannot read the map size\n",
			uio);
		return -1;
	}
	snprintf(p, sizeof(p), "/dev/%s", uio);
	d->fd = open(p, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		fprintf(stderr, "salua-target: open %s: %s\n", p,
			strerror(errno));
		return -1;
	}
	d->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, 0);
	if (d->map == MAP_FAILED) {
		fprintf(stderr, "salua-target: mmap %s (%zu bytes): %s\n", p,
			len, strerror(errno));
		d->map = NULL;
		close(d->fd);
		d->fd = -1;
		return -1;
	}
	d->map_len = len;
	mb = (const struct tcmu_mailbox *)(void *)d->map;
	if (mb->version != TCMU_MAILBOX_VERSION ||
	    !(mb->flags & TCMU_MAILBOX_FLAG_CAP_OOOC) ||
	    mb->cmdr_off < sizeof(*mb) || mb->cmdr_size < 4096 ||
	    (size_t)mb->cmdr_off + mb->cmdr_size > len ||
	    mb->cmdr_size % TCMU_OP_ALIGN_SIZE) {
		fprintf(stderr, "salua-target: %s: unexpected mailbox (version"
			" %u, flags 0x%x, ring %u+%u, map %zu)\n", p,
			mb->version, mb->flags, mb->cmdr_off, mb->cmdr_size,
			len);
		st_ring_close(d);
		return -1;
	}
	d->cmdr_off = mb->cmdr_off;
	d->cmdr_size = mb->cmdr_size;
	d->rd = __atomic_load_n(&mb->cmd_tail, __ATOMIC_ACQUIRE);
	d->out = 0;
	d->broken = false;
	return 0;
}

void st_ring_close(struct st_dev *d)
{
	if (d->map)
		munmap(d->map, d->map_len);
	d->map = NULL;
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

static struct tcmu_mailbox *mbox(struct st_dev *d)
{
	return (struct tcmu_mailbox *)(void *)d->map;
}

static uint8_t *entry(struct st_dev *d, uint32_t off)
{
	return d->map + d->cmdr_off + off;
}

static void broken(struct st_target *t, struct st_dev *d, const char *why,
		   uint32_t off)
{
	d->broken = true;
	fprintf(stderr, "salua-target: %s: ring entry at %u: %s; no longer "
		"read (the kernel's cmd_time_out fails its commands)\n",
		d->name, off, why);
	st_log(t, "%s ring broken at %u: %s", d->name, off, why);
}

/* A command entry: copy the CDB and the iovecs out, then execute. */
static void read_cmd(struct st_target *t, struct st_dev *d, uint32_t off,
		     uint32_t len)
{
	const uint8_t *e = entry(d, off);
	struct tcmu_cmd_entry_hdr h;
	uint32_t iov_cnt, bidi, dif, i;
	uint64_t cdb_off, ntot;
	static struct iovec iov[ST_MAX_IOV];
	uint8_t cdb[ST_MAX_CDB];
	size_t cdb_len, avail;

	if (len < REQ_IOV_OFF) {
		broken(t, d, "command entry shorter than its header", off);
		return;
	}
	memcpy(&h, e, sizeof(h));
	memcpy(&iov_cnt, e + offsetof(struct tcmu_cmd_entry, req.iov_cnt), 4);
	memcpy(&bidi, e + offsetof(struct tcmu_cmd_entry, req.iov_bidi_cnt), 4);
	memcpy(&dif, e + offsetof(struct tcmu_cmd_entry, req.iov_dif_cnt), 4);
	memcpy(&cdb_off, e + offsetof(struct tcmu_cmd_entry, req.cdb_off), 8);
	ntot = (uint64_t)iov_cnt + bidi + dif;
	if (ntot > ST_MAX_IOV ||
	    REQ_IOV_OFF + ntot * sizeof(struct iovec) > len) {
		broken(t, d, "iovec count past the entry", off);
		return;
	}
	if (cdb_off >= d->map_len) {
		broken(t, d, "CDB offset past the mapping", off);
		return;
	}
	avail = d->map_len - (size_t)cdb_off;
	if (avail > ST_MAX_CDB)
		avail = ST_MAX_CDB;
	cdb_len = st_cdb_len(d->map + cdb_off, avail);
	memcpy(cdb, d->map + cdb_off, cdb_len);
	for (i = 0; i < iov_cnt; i++) {
		struct iovec v;
		uintptr_t base;

		memcpy(&v, e + REQ_IOV_OFF + i * sizeof(v), sizeof(v));
		base = (uintptr_t)v.iov_base;
		if (base > d->map_len || v.iov_len > d->map_len - base) {
			broken(t, d, "iovec past the mapping", off);
			return;
		}
		iov[i] = v;
	}
	d->out++;
	/* Bidirectional and DIF buffers are not used by any command we serve. */
	st_exec(t, d, h.cmd_id, cdb, cdb_len, iov, iov_cnt);
}

static void read_tmr(struct st_target *t, struct st_dev *d, uint32_t off,
		     uint32_t len)
{
	const uint8_t *e = entry(d, off);
	uint16_t ids[256] = { 0 };
	uint32_t cnt, i, n;
	uint8_t type;

	if (len < sizeof(struct tcmu_tmr_entry)) {
		broken(t, d, "TMR entry shorter than its header", off);
		return;
	}
	type = e[offsetof(struct tcmu_tmr_entry, tmr_type)];
	memcpy(&cnt, e + offsetof(struct tcmu_tmr_entry, cmd_cnt), 4);
	if (cnt > (len - sizeof(struct tcmu_tmr_entry)) / 2) {
		broken(t, d, "TMR id count past the entry", off);
		return;
	}
	for (i = 0; i < cnt; i += n) {
		n = cnt - i < 256 ? cnt - i : 256;
		memcpy(ids, e + sizeof(struct tcmu_tmr_entry) + 2u * i, 2u * n);
		st_tmr(t, d, type, ids, n);
	}
	if (!cnt)
		st_tmr(t, d, type, NULL, 0);
}

void st_ring_poll(struct st_target *t, struct st_dev *d)
{
	struct tcmu_mailbox *mb = mbox(d);
	uint32_t head;

	if (d->fd < 0 || d->broken)
		return;
	head = __atomic_load_n(&mb->cmd_head, __ATOMIC_ACQUIRE);
	if (head >= d->cmdr_size || head % TCMU_OP_ALIGN_SIZE) {
		broken(t, d, "cmd_head outside the ring", head);
		return;
	}
	while (d->rd != head && !d->broken) {
		uint32_t off = d->rd, lo, len;
		const uint8_t *e = entry(d, off);

		if (d->cmdr_size - off < ENT_HDR_LEN) {
			broken(t, d, "entry header past the ring end", off);
			return;
		}
		memcpy(&lo, e, 4);
		len = tcmu_hdr_get_len(lo);
		/* Entries never wrap: the kernel pads to the ring's end. */
		if (len < ENT_HDR_LEN || len % TCMU_OP_ALIGN_SIZE ||
		    len > d->cmdr_size - off) {
			broken(t, d, "entry length", off);
			return;
		}
		/* Past it before executing: a completion may reuse the slot. */
		d->rd = (off + len) % d->cmdr_size;
		switch (tcmu_hdr_get_op(lo)) {
		case TCMU_OP_PAD:
			break;
		case TCMU_OP_CMD:
			read_cmd(t, d, off, len);
			break;
		case TCMU_OP_TMR:
			read_tmr(t, d, off, len);
			break;
		default:
			broken(t, d, "unknown entry opcode", off);
			return;
		}
	}
}

void st_ring_complete(struct st_dev *d, uint16_t id, uint8_t status,
		      const uint8_t *sense, size_t sense_len,
		      uint32_t read_len)
{
	struct tcmu_mailbox *mb = mbox(d);
	uint32_t tail = mb->cmd_tail, lo, len;
	struct tcmu_cmd_entry_hdr h;
	uint8_t *e;

	if (d->fd < 0 || !d->out)
		return;
	/* Skip the PAD and TMR entries at the tail: they were read already. */
	for (;;) {
		e = entry(d, tail);
		memcpy(&lo, e, 4);
		len = tcmu_hdr_get_len(lo);
		if (tail == d->rd || len < ENT_HDR_LEN ||
		    len > d->cmdr_size - tail)
			return; /* cannot happen while d->out > 0 */
		if (tcmu_hdr_get_op(lo) == TCMU_OP_CMD)
			break;
		tail = (tail + len) % d->cmdr_size;
		__atomic_store_n(&mb->cmd_tail, tail, __ATOMIC_RELEASE);
	}
	memcpy(&h, e, sizeof(h));
	h.cmd_id = id;
	h.uflags = read_len ? TCMU_UFLAG_READ_LEN : 0;
	memcpy(e, &h, sizeof(h));
	e[offsetof(struct tcmu_cmd_entry, rsp.scsi_status)] = status;
	memcpy(e + offsetof(struct tcmu_cmd_entry, rsp.read_len), &read_len, 4);
	if (sense_len > TCMU_SENSE_BUFFERSIZE)
		sense_len = TCMU_SENSE_BUFFERSIZE;
	memset(e + offsetof(struct tcmu_cmd_entry, rsp.sense_buffer), 0,
	       TCMU_SENSE_BUFFERSIZE);
	if (sense_len)
		memcpy(e + offsetof(struct tcmu_cmd_entry, rsp.sense_buffer),
		       sense, sense_len);
	__atomic_store_n(&mb->cmd_tail, (tail + len) % d->cmdr_size,
			 __ATOMIC_RELEASE);
	d->out--;
	d->kick = true;
}

void st_ring_kick(struct st_dev *d)
{
	uint32_t one = 1;

	if (!d->kick || d->fd < 0)
		return;
	d->kick = false;
	/* A write to the uio fd runs tcmu_irqcontrol(): completions are taken. */
	if (write(d->fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		fprintf(stderr, "salua-target: %s: kick: %s\n", d->name,
			strerror(errno));
}
