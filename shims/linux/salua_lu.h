/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * salua_lu.h - the kernel side of the core, shared by the device handler
 * and the native multipath head (salua_mpath.c): one registry of logical
 * units (by LU name from VPD page 0x83) and one engine binding per LU.
 *
 * The seeds' "core ALUA driver" split, as a source split in one module
 * (docs/native-multipath.md says why): salua_lu.c holds the registry and
 * the engine binding; the handler (salua_dh_main.c) makes a scsi_device a
 * path of its LU (attach) and feeds the LU's engine (sense, rescan,
 * activate); the head (salua_mpath.c) is a client of the LU that receives
 * every path state the engine learns, asks for rescans, and joins paths
 * without ALUA itself (multipath=always).  No second copy of the registry
 * or of the engine wiring exists.
 *
 * Locking: the LU lock is a spinlock taken with irqsave (sense arrives in
 * completion context).  Client callbacks run under it.
 */
#ifndef SALUA_LU_H
#define SALUA_LU_H

#include <linux/types.h>

struct scsi_device;
struct salua_lu;

/* Path slots per LU (engine path indexes 0..SALUA_LU_MAX_PATHS-1). */
#define SALUA_LU_MAX_PATHS 16u
#define SALUA_LU_NAME_LEN 256u

/**
 * struct salua_lu_ident - a scsi_device as the registry keys it.
 * @name: LU name from VPD 0x83 (naa./eui./t10./name string), or "".
 * @tpgs: TPGS field of the standard INQUIRY (0: no ALUA).
 * @rel_port: RELATIVE TARGET PORT IDENTIFIER (with @has_rel_port).
 * @tpg: TARGET PORT GROUP (with @has_tpg).
 * @has_rel_port: VPD 0x83 had a relative target port designator.
 * @has_tpg: VPD 0x83 had a target port group designator.
 */
struct salua_lu_ident {
	char name[SALUA_LU_NAME_LEN];
	int tpgs;
	u16 rel_port;
	u16 tpg;
	bool has_rel_port;
	bool has_tpg;
};

/**
 * salua_lu_init() - module init: the registry's workqueue.
 *
 * Return: 0 or -ENOMEM.
 */
int salua_lu_init(void);

/**
 * salua_lu_exit() - module exit: drains the workqueue (every LU freed).
 */
void salua_lu_exit(void);

/**
 * salua_lu_params() - the engine's module parameters as one line of text.
 *
 * Context: module init (one static buffer).
 */
const char *salua_lu_params(void);

/**
 * salua_lu_identify() - read a device's identity (INQUIRY, VPD 0x83).
 * @sdev: the device.
 * @id: out.
 * @need_alua: refuse a device without TPGS.
 *
 * Context: process (may send INQUIRY when the page is not cached).
 * Return: 0, -ENODEV (no ALUA with @need_alua, no VPD 0x83, ALUA without
 * target port designators), -ENOMEM.
 */
int salua_lu_identify(struct scsi_device *sdev, struct salua_lu_ident *id,
		      bool need_alua);

/**
 * salua_lu_join() - make @sdev a path of the LU named in @id.
 * @sdev: the device.
 * @id: from salua_lu_identify().
 * @slot: out: the path's slot.
 *
 * Finds or creates the LU (a device without a name gets a private LU); an
 * ALUA path is added to the LU's engine (its access_state reads
 * transitioning until the first RTPG answers), a path without ALUA
 * (@id->tpgs 0, named only) joins as a plain slot, always
 * active/optimized.
 *
 * Context: process.
 * Return: the LU with the path's reference, or ERR_PTR(-ENOMEM /
 * -ENODEV).
 */
struct salua_lu *salua_lu_join(struct scsi_device *sdev,
			       const struct salua_lu_ident *id,
			       unsigned int *slot);

/**
 * salua_lu_leave() - the path in @slot goes; drops the path's reference.
 * @lu: the LU.
 * @slot: the path's slot.
 * @sdev: the device (for the log).
 *
 * Its command is abandoned and its activations complete (REMOVED).  The
 * last path shuts the engine down unless a client is bound.
 *
 * Context: process.
 */
void salua_lu_leave(struct salua_lu *lu, unsigned int slot,
		    struct scsi_device *sdev);

/**
 * salua_lu_wait_known() - wait until the path's state is known (or the
 * engine gave up for now).
 * @lu: the LU.
 * @slot: the path.
 * @ms: at most this long; 0: do not wait.
 *
 * Context: process.
 * Return: false when @ms passed first.
 */
bool salua_lu_wait_known(struct salua_lu *lu, unsigned int slot,
			 unsigned int ms);

/**
 * salua_lu_sense() - sense seen on an I/O of a path (fixed format).
 * @lu: the LU.
 * @slot: the path.
 * @sb: sense bytes.
 * @len: their number.
 * @actions: out: SALUA_ACT_* of the verdict.
 *
 * A 04/0A on a command other than the LU's own poll on that path tells
 * the engine that I/O waits (salua_engine_io_waiting()) when
 * park_transitioning is set.
 *
 * Context: any (completion context).
 * Return: the verdict's enum salua_disposition.
 */
int salua_lu_sense(struct salua_lu *lu, unsigned int slot, const u8 *sb,
		   size_t len, unsigned int *actions);

/**
 * salua_lu_park_transitioning() - the park_transitioning module parameter.
 *
 * Return: true when a 04/0A on host I/O is to be parked by the SCSI layer
 * (check_sense answers SUCCESS) rather than retried at once.
 */
bool salua_lu_park_transitioning(void);

/**
 * salua_lu_own_cmd() - is the LU's own command (RTPG, STPG, TUR poll)
 * running on @slot now?
 * @lu: the LU.
 * @slot: the path.
 *
 * check_sense() then completes the command with its sense (the engine reads
 * it) instead of requeueing it: a requeued command waits for a queue run
 * that nobody makes once dm-multipath has failed the path and multipathd
 * waits for our activation (seen under guest.mpathd: 255 s, until the
 * transition timeout). Other I/O on the path in the same moment is
 * retried by scsi_io_completion() all the same.
 *
 * Context: any.
 */
bool salua_lu_own_cmd(struct salua_lu *lu, unsigned int slot);

/**
 * salua_lu_activate() - make the path usable (explicit ALUA); @fn gets a
 * SCSI_DH_* code exactly once, under none of our locks.
 * @lu: the LU.
 * @slot: the path.
 * @sdev: the device (for the log).
 * @fn: completion (scsi_dh's activate_complete), may be NULL.
 * @data: passed to @fn.
 *
 * Context: process or softirq (dm-mpath's pg_init); no sleeping.
 */
void salua_lu_activate(struct salua_lu *lu, unsigned int slot,
		       struct scsi_device *sdev, void (*fn)(void *, int),
		       void *data);

/**
 * salua_lu_set_optimize() - the LU's optimize-STPG flag (set_params).
 * @lu: the LU.
 * @on: skip STPG on a non-preferred ANO path of an implicit+explicit LU.
 */
void salua_lu_set_optimize(struct salua_lu *lu, bool on);

/**
 * salua_lu_path_rescan() - VPD 0x83 was read again: re-key a path that
 * moved to another port or group, else ask for an RTPG.
 * @lu: the LU.
 * @slot: the path.
 * @sdev: the device (for the log).
 * @id: its new identity, or NULL when it could not be read.
 *
 * Context: process.
 */
void salua_lu_path_rescan(struct salua_lu *lu, unsigned int slot,
			  struct scsi_device *sdev,
			  const struct salua_lu_ident *id);

/**
 * struct salua_lu_client_ops - what an LU tells its client (the head).
 * @state: path @slot has a new (or its first) ALUA access state @state
 *	(SALUA_STATE_*) and PREF bit @pref.  Context: the LU lock held, any
 *	context (process, softirq or hardirq completion); must not sleep or
 *	call back into the LU.
 */
struct salua_lu_client_ops {
	void (*state)(void *ctx, unsigned int slot, u8 state, bool pref);
};

/**
 * salua_lu_get_sdev() - the LU a handler path belongs to (salua_dh_main.c).
 * @sdev: a scsi_device the salua handler is attached to.
 * @slot: out: the path's slot in the LU.
 *
 * Context: process.
 * Return: the LU with a reference (salua_lu_put()), or NULL when the
 * salua handler is not attached to @sdev.
 */
struct salua_lu *salua_lu_get_sdev(struct scsi_device *sdev,
				   unsigned int *slot);

/**
 * salua_lu_get() - take another reference.
 * @lu: the LU (the caller holds one).
 */
void salua_lu_get(struct salua_lu *lu);

/**
 * salua_lu_put() - drop a reference (salua_lu_get_sdev(), salua_lu_get()).
 * @lu: the LU.
 *
 * Context: any (the last reference frees from a work item).
 */
void salua_lu_put(struct salua_lu *lu);

/**
 * salua_lu_name() - the LU name (naa./eui./t10./name string).
 * @lu: the LU.
 *
 * Return: the name; stable for the LU's lifetime.
 */
const char *salua_lu_name(const struct salua_lu *lu);

/**
 * salua_lu_shared() - is the LU keyed by a name from VPD page 0x83?
 * @lu: the LU.
 *
 * Return: false for a private LU (a path without a usable LU name).
 */
bool salua_lu_shared(const struct salua_lu *lu);

/**
 * salua_lu_bind() - become the LU's client.
 * @lu: the LU (a reference held by the caller for as long as bound).
 * @ops: callbacks.
 * @ctx: passed to them.
 *
 * While a client is bound the LU stays registered after its last path
 * detaches, so a path of the same LU that comes back finds it (and the
 * client) again.
 *
 * Context: process.
 * Return: 0, -EBUSY when another client is bound, -ENODEV when the LU is
 * already gone.
 */
int salua_lu_bind(struct salua_lu *lu, const struct salua_lu_client_ops *ops,
		  void *ctx);

/**
 * salua_lu_unbind() - stop being the client; an LU without paths goes.
 * @lu: the LU.
 *
 * After it returns no callback runs any more.
 *
 * Context: process.
 */
void salua_lu_unbind(struct salua_lu *lu);

/**
 * salua_lu_lock() - take the LU lock (spinlock, irqsave).
 * @lu: the LU.
 * @flags: out: saved interrupt state for salua_lu_unlock().
 */
void salua_lu_lock(struct salua_lu *lu, unsigned long *flags);

/**
 * salua_lu_unlock() - drop the LU lock; runs what the engine finished
 * while it was held (activation callbacks) after dropping it.
 * @lu: the LU.
 * @flags: from salua_lu_lock().
 */
void salua_lu_unlock(struct salua_lu *lu, unsigned long flags);

/**
 * salua_lu_state_locked() - a path's state as the engine knows it.
 * @lu: the LU (lock held).
 * @slot: path slot.
 * @state: out: SALUA_STATE_*.
 * @pref: out: PREF bit.
 *
 * Return: 1 known, 0 not yet, negative when @slot is not a path.
 */
int salua_lu_state_locked(struct salua_lu *lu, unsigned int slot, u8 *state,
			  bool *pref);

/**
 * salua_lu_rescan_locked() - ask the engine for a fresh RTPG (coalesced).
 * @lu: the LU (lock held).
 */
void salua_lu_rescan_locked(struct salua_lu *lu);

/* Native multipath (salua_mpath.c): module init / exit hooks. */
int salua_mpath_init(void);
void salua_mpath_exit(void);

#endif /* SALUA_LU_H */
