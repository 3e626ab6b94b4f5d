/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_sgio.h - Linux SG_IO transport and sysfs discovery for salua.
 *
 * Transport: the v3 sg_io_hdr interface of the SG_IO ioctl, which both the
 * SCSI generic driver (/dev/sgN) and the SCSI disk driver (/dev/sdX)
 * accept.  One call sends one CDB and returns SCSI status, sense, host and
 * driver status and the residual, so decoders are given exactly the bytes
 * the device transferred (allocation length minus residual).  Completions
 * are synchronous: the call returns when the command has finished, which
 * is what the engine calls "completion inside submit()".
 *
 * Discovery: SCSI devices are listed from sysfs (class/scsi_device), with
 * their H:C:T:L, sg and sd names, vendor, model, revision, peripheral type
 * and, when a device handler is attached, the kernel's access_state.  The
 * sysfs root is a parameter so the parsing can be tested on a fake tree.
 *
 * User space, Linux only; not part of the freestanding core.
 */
#ifndef SALUA_SGIO_H
#define SALUA_SGIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "salua/salua.h"
#include "salua_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SALUA_SGIO_SENSE_MAX 64u
#define SALUA_SGIO_ERR_MAX 256u
#define SALUA_SGIO_DEFAULT_TIMEOUT_MS 30000u

/* Data direction of a command. */
enum salua_sgio_dir {
	SALUA_SGIO_NONE = 0,
	SALUA_SGIO_IN = 1,  /* device to host (INQUIRY, RTPG) */
	SALUA_SGIO_OUT = 2  /* host to device (STPG parameter list) */
};

/**
 * struct salua_sgio - one open device.
 * @fd: file descriptor, -1 when closed.
 * @path: the name it was opened with (for messages).
 * @is_sg: the node is a SCSI generic (character) device.
 * @err: the last failed submit through salua_sgio_ops ("" if none).
 */
struct salua_sgio {
	int fd;
	char path[128];
	bool is_sg;
	char err[SALUA_SGIO_ERR_MAX]; /* the transport's last error */
};

/**
 * struct salua_sgio_req - one command.
 * @cdb: CDB bytes (6..16).
 * @cdb_len: their number.
 * @dir: enum salua_sgio_dir.
 * @data: data buffer for IN or OUT, NULL for NONE.
 * @data_len: its length (the allocation length for IN).
 * @timeout_ms: command timeout, 0 = SALUA_SGIO_DEFAULT_TIMEOUT_MS.
 */
struct salua_sgio_req {
	const uint8_t *cdb;
	size_t cdb_len;
	enum salua_sgio_dir dir;
	void *data;
	uint32_t data_len;
	uint32_t timeout_ms;
};

/**
 * struct salua_sgio_resp - how the command ended.
 * @xfer: enum salua_xfer (engine.h): OK when a SCSI status is valid,
 *	TIMEOUT for host DID_TIME_OUT or driver DRIVER_TIMEOUT, TRANSPORT
 *	for every other host or driver failure.
 * @status: SCSI status (SAM-6), valid with SALUA_XFER_OK.
 * @host_status: the HBA driver's DID_* code.
 * @driver_status: the mid-layer's DRIVER_* code.
 * @sense: sense bytes written by the device.
 * @sense_len: their number (0 when none).
 * @resid: residual count reported by the driver.
 * @data_len: bytes actually transferred: data_len - resid, clamped to
 *	0..data_len.
 * @duration_ms: as measured by the driver.
 */
struct salua_sgio_resp {
	enum salua_xfer xfer;
	uint8_t status;
	uint16_t host_status;
	uint16_t driver_status;
	uint8_t sense[SALUA_SGIO_SENSE_MAX];
	uint8_t sense_len;
	int32_t resid;
	uint32_t data_len;
	uint32_t duration_ms;
};

/**
 * salua_sgio_open() - open a /dev/sgN or /dev/sdX node for SG_IO.
 * @d: out.
 * @path: device node.
 * @err: out: a message naming the device when the call fails.
 * @errcap: its capacity.
 *
 * Opens non-blocking: a block device (sd) read-only, so that closing it
 * does not make udev re-probe the disk (a writable open does; the kernel
 * passes INQUIRY, TUR, RTPG and STPG on a read-only descriptor), an sg
 * node read-write when permitted (sg filters the commands of a read-only
 * descriptor), else read-only; checks that the node answers
 * SG_GET_VERSION_NUM (sg) or is a block device.
 *
 * Return: 0 or -errno.
 */
int salua_sgio_open(struct salua_sgio *d, const char *path, char *err,
		    size_t errcap);

/* Close @d (safe on a closed or never opened one after memset -1 fd). */
void salua_sgio_close(struct salua_sgio *d);

/*
 * salua_sgio_ops - an open device as a struct salua_transport (name
 * "sgio"; ctx = the struct salua_sgio).  Synchronous: submit() runs the
 * SG_IO ioctl and calls done() before it returns.  @native is the HBA's
 * host status << 8 | the driver status (DID_* / DRIVER_*), which
 * describe() names; an ioctl that fails is a submit() error (-errno).
 * close() closes the file descriptor.
 */
extern const struct salua_transport_ops salua_sgio_ops;

/* Point @t at device @d. */
void salua_sgio_transport(struct salua_sgio *d, struct salua_transport *t);

/**
 * salua_sgio_exec() - send one command and wait for it.
 * @d: open device.
 * @rq: the command.
 * @rs: out: the completion (zeroed first).
 * @err: out: message when the ioctl itself fails.
 * @errcap: its capacity.
 *
 * Return: 0 when @rs describes a completion (which may be a transport
 * failure, see @rs->xfer), -errno when the ioctl failed (nothing was
 * sent or the kernel refused it; @err says why, naming the device).
 */
int salua_sgio_exec(struct salua_sgio *d, const struct salua_sgio_req *rq,
		    struct salua_sgio_resp *rs, char *err, size_t errcap);

/**
 * salua_sgio_xfer_of() - map host and driver status to enum salua_xfer.
 * @host_status: DID_* code.
 * @driver_status: DRIVER_* code (DRIVER_SENSE alone is not a failure).
 *
 * Return: SALUA_XFER_OK, SALUA_XFER_TIMEOUT or SALUA_XFER_TRANSPORT.
 */
enum salua_xfer salua_sgio_xfer_of(unsigned host_status,
				   unsigned driver_status);

/* Name of a DID_* host status ("DID_NO_CONNECT"), "DID_?" if unknown. */
const char *salua_sgio_host_name(unsigned host_status);

/**
 * struct salua_sgio_info - one SCSI device as sysfs describes it.
 * @host: host number (H).
 * @channel: channel (C).
 * @target: target id (T).
 * @lun: LUN (L).
 * @hctl: "H:C:T:L".
 * @sg: SCSI generic node name ("sg0"), "" if none.
 * @sd: block node name ("sda"), "" if none.
 * @vendor: INQUIRY vendor as sysfs shows it, trailing spaces removed.
 * @model: INQUIRY product.
 * @rev: INQUIRY revision.
 * @type: peripheral device type, -1 if unknown.
 * @access_state: the kernel's access_state attribute ("" if absent).
 * @dh_state: the attached device handler ("" if absent).
 */
struct salua_sgio_info {
	unsigned host, channel, target;
	uint64_t lun;
	char hctl[48];
	char sg[32];
	char sd[32];
	char vendor[16];
	char model[24];
	char rev[8];
	int type;
	char access_state[32];
	char dh_state[32];
};

/**
 * salua_sgio_scan() - list the SCSI devices known to sysfs.
 * @sysroot: sysfs mount point, NULL for "/sys".
 * @out: array.
 * @cap: its capacity.
 * @n: out: devices found (may exceed @cap; only @cap are stored).
 *
 * Sorted by host, channel, target, LUN.  A system without SCSI devices
 * (no class/scsi_device) gives 0 devices, not an error.
 *
 * Return: 0, -ENOSPC when more than @cap devices exist (the first @cap
 * are stored), -errno when the directory cannot be read.
 */
int salua_sgio_scan(const char *sysroot, struct salua_sgio_info *out,
		    size_t cap, size_t *n);

/**
 * salua_sgio_lookup() - the sysfs record of a device node.
 * @sysroot: sysfs mount point, NULL for "/sys".
 * @devpath: "/dev/sg3", "/dev/sda", "sg3", or any node (symlinks such as
 *	/dev/disk/by-id/... are resolved through the node's device number).
 * @out: result.
 * @err: message when not found.
 * @errcap: its capacity.
 *
 * Return: 0, -ENOENT (not a SCSI device), -errno.
 */
int salua_sgio_lookup(const char *sysroot, const char *devpath,
		      struct salua_sgio_info *out, char *err, size_t errcap);

/* Read sysfs attribute @dir/@name into @buf, trailing whitespace cut. */
int salua_sgio_read_attr(const char *dir, const char *name, char *buf,
			 size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* SALUA_SGIO_H */
