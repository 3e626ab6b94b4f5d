/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * salua_lu.h - the kernel side of the core, shared by the device handler
 * and the native multipath head (salua_mpath.c): one registry of logical
 * units (by LU name from VPD page 0x83) and one engine binding per LU.
 *
 * The seeds' "core ALUA driver" split, in one module: the handler makes a
 * scsi_device a path of its LU (attach) and feeds the LU's engine (sense,
 * rescan, activate); the head is a client of the LU that receives every
 * path state the engine learns and asks for rescans.  No second copy of
 * the registry or of the engine wiring exists.
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
 * salua_lu_get_sdev() - the LU a path belongs to.
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
