// SPDX-License-Identifier: GPL-2.0-only
/*
 * salua_lu - the kernel side of the salua core, shared by the device
 * handler (salua_dh_main.c) and the native multipath head
 * (salua_mpath.c): one registry of logical units and one binding of the
 * portable engine (include/salua/engine.h) per LU.  Interface: salua_lu.h.
 *
 * One struct salua_lu per logical unit (keyed by the LU name from VPD page
 * 0x83), shared by every scsi_device that is a path to it; it owns one
 * sans-I/O struct salua_engine.  The engine's ops are bound here:
 *   submit  -> the command is parked in the LU and run from a work item on
 *              a WQ_MEM_RECLAIM workqueue through the SCSI mid-layer
 *              (salua_lu_exec(): scsi_execute() before 6.4,
 *              scsi_execute_cmd() since), completion fed back under the
 *              LU lock;
 *   arm     -> one delayed_work per LU;
 *   notify  -> sdev->access_state (state | PREF 0x80), so the kernel's own
 *              access_state / preferred_path attributes show our states,
 *              and the LU's client (a multipath head), if one is bound.
 *
 * Locking: lu->lock (spinlock, irqsave) serialises every engine call:
 * sense may arrive in softirq or hardirq completion context.  The
 * registry is under salua_lu_mutex (join/leave/bind only).
 *
 * Lifetime: lu->kref counts joined paths, one per parked command, and one
 * per other holder (salua_lu_get()).  The last path's leave marks the LU
 * dead and shuts its engine down (salua_engine_shutdown) under the lock,
 * unless a client is bound: then the LU waits for a returning path until
 * the client unbinds.  The last put queues lu->free_work on our workqueue,
 * which cancels the timer and command work synchronously before freeing;
 * salua_lu_exit() destroys the workqueue, which drains it.  Activation
 * callbacks are collected under the lock and called after it is dropped,
 * exactly once.
 *
 * Paths without ALUA (native multipath, multipath=always) join as plain
 * slots: never added to the engine, always active/optimized.
 */
#define pr_fmt(fmt) "salua: " fmt

#include <linux/module.h>
#include <linux/version.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/kref.h>
#include <linux/workqueue.h>
#include <linux/jiffies.h>
#include <linux/wait.h>
#include <linux/rcupdate.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_dh.h>
#include <scsi/scsi_eh.h>
#include <scsi/scsi_proto.h>

#define SALUA_STATIC
#include <salua/salua.h>

#include "salua_lu.h"

#define SALUA_LU_RTPG_BUF 4096u
#define SALUA_LU_VPD_MAX 1024u

static unsigned int transition_tmo = SALUA_ENGINE_TRANSITION_S;
module_param(transition_tmo, uint, 0644);
MODULE_PARM_DESC(transition_tmo,
		 "default ALUA transition timeout in seconds when the target gives none (1-255, default 255)");

static bool optimize_stpg;
module_param(optimize_stpg, bool, 0644);
MODULE_PARM_DESC(optimize_stpg,
		 "skip STPG on an active/non-optimized, non-preferred path of an implicit+explicit LU (default 0)");

static unsigned int cmd_timeout = SALUA_ENGINE_CMD_TIMEOUT_MS / 1000u;
module_param(cmd_timeout, uint, 0644);
MODULE_PARM_DESC(cmd_timeout,
		 "RTPG/STPG/TUR command timeout in seconds, separate from the transition timeout (default 30)");

static bool park_transitioning = true;
module_param(park_transitioning, bool, 0644);
MODULE_PARM_DESC(park_transitioning,
		 "I/O answered 04/0A (transitioning) is parked by the SCSI layer at once (not retried five times), the LU is polled every 100 ms while it waits, and it is released the moment the transition ends (default 1; 0 = retry at once, as scsi_dh_alua)");

static int array_hold_secs = -1;
module_param(array_hold_secs, int, 0644);
MODULE_PARM_DESC(array_hold_secs,
		 "after the array itself made a port group active/optimized, do not STPG another group while that group stays active/optimized and reachable: -1 = no time limit (default), N = at most N seconds (max 3600), 0 = always STPG, as scsi_dh_alua");

static unsigned int standby_poll_secs = 30;
module_param(standby_poll_secs, uint, 0644);
MODULE_PARM_DESC(standby_poll_secs,
		 "after a transition timeout left no usable path, send an RTPG this often to notice recovery (seconds, 0 = off, max 3600, default 30)");

/* A pending activation; completed exactly once via the LU's done list. */
struct salua_kact {
	struct salua_activation a;
	struct salua_kact *next_done;
	struct salua_lu *lu;
	struct scsi_device *sdev;
	activate_complete fn;
	void *data;
	int result;
};

struct salua_lu {
	struct list_head node;		/* salua_lu_list, under salua_lu_mutex */
	struct kref kref;
	spinlock_t lock;
	bool dead;			/* no paths left: no new work */
	bool named;			/* keyed by a VPD 0x83 LU name */
	unsigned int nslots;
	unsigned long plain;		/* slots of paths without ALUA */

	/* The multipath head bound to this LU (salua_lu_bind()), or NULL. */
	const struct salua_lu_client_ops *client;
	void *client_ctx;

	struct salua_engine eng;
	struct salua_engine_path paths[SALUA_LU_MAX_PATHS];
	struct scsi_device *sdev[SALUA_LU_MAX_PATHS];
	unsigned long gone;		/* slots whose device is being deleted */
	unsigned long offline;		/* slots out of the engine while offline */
	struct {			/* from VPD 0x83, to re-add the path */
		u16 rel_port, tpg;
		bool has_tpg;
	} port[SALUA_LU_MAX_PATHS];
	u8 *rtpg_buf;

	/* The parked command (the engine has at most one in flight). */
	bool cmd_pending;
	int exec_slot;			/* slot our command runs on, -1 = none */
	unsigned int cmd_path;
	struct salua_engine_cmd cmd;
	u8 *dout_buf;

	struct salua_kact *done_head;	/* activations to complete */
	wait_queue_head_t waitq;	/* attach waits for the first state */

	struct work_struct cmd_work;
	struct delayed_work timer_work;
	struct work_struct free_work;

	char name[SALUA_LU_NAME_LEN];
};

static LIST_HEAD(salua_lu_list);
static DEFINE_MUTEX(salua_lu_mutex);
static struct workqueue_struct *salua_wq;

static const char *salua_lu_result_name(int r)
{
	switch (r) {
	case SALUA_ACTIVATE_OK: return "ok";
	case SALUA_ACTIVATE_IO: return "io-error";
	case SALUA_ACTIVATE_TIMEOUT: return "transition-timeout";
	case SALUA_ACTIVATE_REMOVED: return "path-removed";
	case SALUA_ACTIVATE_NOTSUP: return "not-supported";
	case SALUA_ACTIVATE_OFFLINE: return "offline";
	case SALUA_ACTIVATE_FAILED: return "failed";
	case SALUA_ACTIVATE_DEFERRED: return "deferred";
	default: return "?";
	}
}

/*
 * enum salua_activate_result -> SCSI_DH_* for the activate callback.
 * dm-mpath's pg_init_done() keeps the path only for OK (and for RETRY /
 * IMM_RETRY within pg_init_retries, DEV_TEMP_BUSY bypassing the whole
 * priority group); every other code fails the path.  The engine answers
 * OK whenever the path can carry I/O, so each non-OK result below names a
 * path that cannot (docs/kernel-module.md "Activation and dm-multipath").
 */
static int salua_lu_result_to_dh(int r)
{
	switch (r) {
	case SALUA_ACTIVATE_OK: return SCSI_DH_OK;
	case SALUA_ACTIVATE_TIMEOUT: return SCSI_DH_TIMED_OUT;
	case SALUA_ACTIVATE_REMOVED: return SCSI_DH_NOTCONN;
	case SALUA_ACTIVATE_NOTSUP: return SCSI_DH_NOSYS;
	case SALUA_ACTIVATE_DEFERRED: return SCSI_DH_NOSYS;
	case SALUA_ACTIVATE_OFFLINE: return SCSI_DH_DEV_OFFLINED;
	case SALUA_ACTIVATE_FAILED: return SCSI_DH_DEV_FAILED;
	case SALUA_ACTIVATE_IO:
	default: return SCSI_DH_IO;
	}
}

void salua_lu_lock(struct salua_lu *lu, unsigned long *flags)
	__acquires(&lu->lock)
{
	spin_lock_irqsave(&lu->lock, *flags);
}

/*
 * Drop the LU lock, then complete the activations the engine finished
 * while it was held: callers' callbacks may take their own locks or call
 * back into us, so never under lu->lock.
 */
static struct salua_kact *salua_lu_unlock_take(struct salua_lu *lu,
						unsigned long flags)
	__releases(&lu->lock)
{
	struct salua_kact *k = lu->done_head;

	lu->done_head = NULL;
	spin_unlock_irqrestore(&lu->lock, flags);
	return k;
}

static void salua_run_done(struct salua_kact *k)
{
	while (k) {
		struct salua_kact *next = k->next_done;

		if (k->fn)
			k->fn(k->data, salua_lu_result_to_dh(k->result));
		kfree(k);
		k = next;
	}
}

void salua_lu_unlock(struct salua_lu *lu, unsigned long flags)
	__releases(&lu->lock)
{
	salua_run_done(salua_lu_unlock_take(lu, flags));
}

/*
 * One passthrough command through the mid-layer, on either API:
 * scsi_execute() (direction as DMA_*, failfast in flags) until 6.3,
 * scsi_execute_cmd() (REQ_OP_DRV_IN/OUT | failfast in opf, the rest in
 * struct scsi_exec_args) from 6.4, where scsi_execute() is gone.
 * Returns the SCSI result (status | host byte << 16) or a negative errno.
 */
static int salua_lu_exec(struct scsi_device *sdev, const u8 *cdb, int dir,
			 void *buf, unsigned int len, u8 *sense,
			 unsigned int sense_len, unsigned int timeout,
			 int retries, bool failfast, int *resid)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	blk_opf_t opf = dir == DMA_TO_DEVICE ? REQ_OP_DRV_OUT : REQ_OP_DRV_IN;
	const struct scsi_exec_args args = {
		.sense = sense,
		.sense_len = sense ? sense_len : 0,
		.resid = resid,
	};

	if (failfast)
		opf |= REQ_FAILFAST_DEV | REQ_FAILFAST_TRANSPORT |
		       REQ_FAILFAST_DRIVER;
	return scsi_execute_cmd(sdev, cdb, opf, buf, len, (int)timeout,
				retries, &args);
#else
	/*
	 * The scsi_execute() macro checks sizeof(sense) at compile time,
	 * which a pointer cannot pass: the same contract, checked here.
	 */
	if (WARN_ON_ONCE(sense && sense_len != SCSI_SENSE_BUFFERSIZE))
		return -EINVAL;
	return __scsi_execute(sdev, cdb, dir, buf, len, sense, NULL,
			      (int)timeout, retries,
			      failfast ? REQ_FAILFAST_DEV |
						 REQ_FAILFAST_TRANSPORT |
						 REQ_FAILFAST_DRIVER : 0,
			      0, resid);
#endif
}

/* ---- engine ops (all called with lu->lock held) ---- */

static u64 salua_op_now(void *ctx)
{
	return jiffies64_to_msecs(get_jiffies_64());
}

static int salua_op_submit(void *ctx, unsigned int path,
			   const struct salua_engine_cmd *cmd)
{
	struct salua_lu *lu = ctx;

	if (lu->dead || path >= SALUA_LU_MAX_PATHS || !lu->sdev[path])
		return -ENODEV;
	if (cmd->dout_len > SALUA_STPG_HDR_LEN + SALUA_STPG_DESC_LEN)
		return -EINVAL;
	/* A parked command not yet run is superseded: its tag goes stale. */
	if (!lu->cmd_pending) {
		kref_get(&lu->kref);
		lu->cmd_pending = true;
	}
	lu->cmd = *cmd;
	lu->cmd_path = path;
	if (cmd->dout && cmd->dout_len)
		memcpy(lu->dout_buf, cmd->dout, cmd->dout_len);
	queue_work(salua_wq, &lu->cmd_work);
	return 0;
}

static void salua_op_arm(void *ctx, u64 deadline_ms)
{
	struct salua_lu *lu = ctx;
	u64 now = salua_op_now(ctx);
	unsigned long delay = 0;

	if (lu->dead)
		return;
	if (deadline_ms > now)
		delay = msecs_to_jiffies((unsigned int)min_t(u64,
					 deadline_ms - now, UINT_MAX));
	mod_delayed_work(salua_wq, &lu->timer_work, delay);
}

static void salua_op_cancel(void *ctx)
{
	struct salua_lu *lu = ctx;

	/* Not _sync: we hold the lock the timer work takes. */
	cancel_delayed_work(&lu->timer_work);
}

static void salua_op_notify(void *ctx, unsigned int path, u8 state,
			    bool pref, u8 supported)
{
	struct salua_lu *lu = ctx;
	struct scsi_device *sdev;
	unsigned char old;

	if (path >= SALUA_LU_MAX_PATHS || !lu->sdev[path])
		return;
	sdev = lu->sdev[path];
	old = sdev->access_state;
	WRITE_ONCE(sdev->access_state,
		   (state & SCSI_ACCESS_STATE_MASK) |
			   (pref ? SCSI_ACCESS_STATE_PREFERRED : 0));
	if (old != sdev->access_state)
		sdev_printk(KERN_INFO, sdev,
			    "salua: %s: access state %s%s (supports 0x%02x)\n",
			    lu->name, salua_state_name(state),
			    pref ? ", preferred" : "", supported);
	/*
	 * The transition is over for this path: I/O the SCSI layer parked on
	 * a 04/0A (ALUA_TRANSITION_REPREP_DELAY, 1 s) goes again now.
	 */
	if ((old & SCSI_ACCESS_STATE_MASK) == SCSI_ACCESS_STATE_TRANSITIONING &&
	    (state & SCSI_ACCESS_STATE_MASK) != SCSI_ACCESS_STATE_TRANSITIONING)
		blk_mq_kick_requeue_list(sdev->request_queue);
	if (lu->client)
		lu->client->state(lu->client_ctx, path, state, pref);
	wake_up_all(&lu->waitq);
}

static void salua_op_log(void *ctx, const struct salua_engine_log *ev)
{
	struct salua_lu *lu = ctx;
	char line[96];

	salua_engine_log_format(ev, line, sizeof(line));
	switch (ev->code) {
	case SALUA_EV_SUBMIT:
		if (ev->a == SALUA_CMD_STPG)
			pr_info("%s: %s\n", lu->name, line);
		else
			pr_debug("%s: %s\n", lu->name, line);
		break;
	case SALUA_EV_STALE:
		pr_debug("%s: %s\n", lu->name, line);
		break;
	default:
		pr_info("%s: %s\n", lu->name, line);
		break;
	}
}

static const struct salua_engine_ops salua_ops = {
	.submit = salua_op_submit,
	.arm = salua_op_arm,
	.cancel = salua_op_cancel,
	.now = salua_op_now,
	.notify = salua_op_notify,
	.log = salua_op_log,
};

/* Called by the engine under lu->lock: park it for salua_lu_unlock(). */
static void salua_act_done(void *arg, int result)
{
	struct salua_kact *k = arg;
	struct salua_kact **pp = &k->lu->done_head;

	k->result = result;
	k->next_done = NULL;
	while (*pp)
		pp = &(*pp)->next_done;
	*pp = k;
	sdev_printk(KERN_INFO, k->sdev, "salua: %s: activate done: %s\n",
		    k->lu->name, salua_lu_result_name(result));
}

/* ---- work items ---- */

static void salua_lu_free_work(struct work_struct *work)
{
	struct salua_lu *lu = container_of(work, struct salua_lu, free_work);

	cancel_delayed_work_sync(&lu->timer_work);
	cancel_work_sync(&lu->cmd_work);
	kfree(lu->dout_buf);
	kfree(lu->rtpg_buf);
	kfree(lu);
}

static void salua_lu_release(struct kref *kref)
{
	struct salua_lu *lu = container_of(kref, struct salua_lu, kref);

	/* Possibly from our own cmd_work: never wait for it here. */
	queue_work(salua_wq, &lu->free_work);
}

void salua_lu_put(struct salua_lu *lu)
{
	kref_put(&lu->kref, salua_lu_release);
}

static void salua_cmd_work(struct work_struct *work)
{
	struct salua_lu *lu = container_of(work, struct salua_lu, cmd_work);
	unsigned char sense[SCSI_SENSE_BUFFERSIZE];
	struct salua_engine_completion c;
	struct salua_engine_cmd cmd;
	struct scsi_device *sdev;
	unsigned long flags;
	int dir, res, resid = 0;
	void *buf = NULL;
	unsigned int len = 0, cmd_path;

	salua_lu_lock(lu, &flags);
	if (!lu->cmd_pending) {
		salua_lu_unlock(lu, flags);
		return;
	}
	cmd = lu->cmd;
	cmd_path = lu->cmd_path;
	sdev = lu->sdev[cmd_path];
	lu->cmd_pending = false;
	/* Fails, without touching the refcount, once removal has begun. */
	if (sdev && scsi_device_get(sdev))
		sdev = NULL;
	salua_lu_unlock(lu, flags);

	if (!sdev) {
		memset(&c, 0, sizeof(c));
		c.xfer = SALUA_XFER_TRANSPORT;
		salua_lu_lock(lu, &flags);
		salua_engine_complete(&lu->eng, cmd.tag, &c);
		salua_lu_unlock(lu, flags);
		wake_up_all(&lu->waitq);
		salua_lu_put(lu);
		return;
	}

	if (cmd.din && cmd.din_len) {
		dir = DMA_FROM_DEVICE;
		buf = cmd.din;	/* lu->rtpg_buf: kmalloc'd, one command at a time */
		len = cmd.din_len;
	} else if (cmd.dout && cmd.dout_len) {
		dir = DMA_TO_DEVICE;
		buf = lu->dout_buf;
		len = cmd.dout_len;
	} else {
		dir = DMA_NONE;
	}
	memset(sense, 0, sizeof(sense));
	WRITE_ONCE(lu->exec_slot, (int)cmd_path);
	res = salua_lu_exec(sdev, cmd.cdb, dir, buf, len, sense, sizeof(sense),
			    msecs_to_jiffies(cmd.timeout_ms), 0, true, &resid);
	WRITE_ONCE(lu->exec_slot, -1);

	memset(&c, 0, sizeof(c));
	if (res < 0) {
		c.xfer = SALUA_XFER_TRANSPORT;
	} else if (host_byte(res) == DID_TIME_OUT) {
		c.xfer = SALUA_XFER_TIMEOUT;
	} else if (host_byte(res) != DID_OK) {
		c.xfer = SALUA_XFER_TRANSPORT;
	} else {
		c.xfer = SALUA_XFER_OK;
		c.status = (u8)(res & 0xff);
		if (c.status == SAM_STAT_CHECK_CONDITION) {
			c.sense = sense;
			c.sense_len = sizeof(sense);
		}
		if (resid >= 0 && (unsigned int)resid <= len)
			c.data_len = len - (unsigned int)resid;
	}

	salua_lu_lock(lu, &flags);
	salua_engine_complete(&lu->eng, cmd.tag, &c);
	salua_lu_unlock(lu, flags);
	/*
	 * A run that failed (RTPG refused, every path down) leaves the engine
	 * idle without any notify(): attach is waiting for exactly that.
	 */
	wake_up_all(&lu->waitq);

	/* May be the last reference: detach runs from here, outside our lock. */
	scsi_device_put(sdev);
	salua_lu_put(lu);
}

static void salua_timer_work(struct work_struct *work)
{
	struct salua_lu *lu = container_of(to_delayed_work(work),
					   struct salua_lu, timer_work);
	unsigned long flags;

	salua_lu_lock(lu, &flags);
	if (!lu->dead)
		salua_engine_timer(&lu->eng);
	salua_lu_unlock(lu, flags);
	wake_up_all(&lu->waitq);	/* may have gone idle: see salua_cmd_work */
}

/* ---- VPD / identity ---- */

/* Copy of the kernel's cached VPD page 0x83, read again if not cached. */
static int salua_lu_vpd83(struct scsi_device *sdev, u8 **out)
{
	struct scsi_vpd *vpd;
	unsigned int len = 0;
	u8 *buf;

	buf = kzalloc(SALUA_LU_VPD_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	rcu_read_lock();
	vpd = rcu_dereference(sdev->vpd_pg83);
	if (vpd && vpd->len > 0) {
		len = min_t(unsigned int, (unsigned int)vpd->len,
			    SALUA_LU_VPD_MAX);
		memcpy(buf, vpd->data, len);
	}
	rcu_read_unlock();
	/*
	 * Not cached: the mid-layer skipped VPD for this device (tcm_loop
	 * LUNs on 6.1 have no vpd_pg83).  Ask ourselves; the core decodes
	 * only the bytes that arrived.
	 */
	if (!len) {
		u8 cdb[SALUA_CDB6_LEN];
		int res, resid = 0;

		salua_cdb_inquiry(cdb, sizeof(cdb), true, 0x83,
				  SALUA_LU_VPD_MAX);
		res = salua_lu_exec(sdev, cdb, DMA_FROM_DEVICE, buf,
				    SALUA_LU_VPD_MAX, NULL, 0, 30 * HZ, 3,
				    false, &resid);
		if (res || resid < 0 || resid >= (int)SALUA_LU_VPD_MAX) {
			kfree(buf);
			return -ENXIO;
		}
		len = SALUA_LU_VPD_MAX - (unsigned int)resid;
	}
	*out = buf;
	return (int)len;
}

/*
 * The identity of @sdev as the registry keys it: TPGS from the standard
 * INQUIRY, LU name and target port from VPD 0x83.  With @need_alua a
 * device without TPGS or without target port designators is refused.
 */
int salua_lu_identify(struct scsi_device *sdev, struct salua_lu_ident *id,
		      bool need_alua)
{
	struct salua_vpd83_port port;
	struct salua_inquiry inq;
	u8 *vpd = NULL;
	int len, r;

	memset(id, 0, sizeof(*id));
	if (!sdev->inquiry ||
	    salua_inquiry_decode(sdev->inquiry, sdev->inquiry_len, &inq) < 0)
		return -ENODEV;
	id->tpgs = inq.tpgs;
	if (inq.tpgs == SALUA_TPGS_NONE && need_alua) {
		sdev_printk(KERN_INFO, sdev, "salua: no ALUA (TPGS=0)\n");
		return -ENODEV;
	}
	len = salua_lu_vpd83(sdev, &vpd);
	if (len < 0) {
		sdev_printk(KERN_INFO, sdev, "salua: no VPD page 0x83 (%d)\n",
			    len);
		return len == -ENOMEM ? -ENOMEM : -ENODEV;
	}
	r = salua_vpd83_find_port(vpd, (size_t)len, &port);
	if (inq.tpgs != SALUA_TPGS_NONE &&
	    (r < 0 || !(port.has_rel_port || port.has_tpg))) {
		sdev_printk(KERN_INFO, sdev,
			    "salua: no target port designators in VPD 0x83 (%d)\n",
			    r);
		kfree(vpd);
		return -ENODEV;
	}
	if (r >= 0) {
		id->rel_port = port.rel_port;
		id->tpg = port.tpg;
		id->has_rel_port = port.has_rel_port;
		id->has_tpg = port.has_tpg;
	}
	/* No usable LU name: the path gets a private LU, never shared. */
	if (salua_vpd83_lu_name(vpd, (size_t)len, id->name, sizeof(id->name),
				NULL) < 0)
		id->name[0] = '\0';
	kfree(vpd);
	return 0;
}

static struct salua_lu *salua_lu_alloc(const struct salua_lu_ident *id,
				       const char *fallback)
{
	struct salua_engine_config cfg;
	struct salua_lu *lu;

	lu = kzalloc(sizeof(*lu), GFP_KERNEL);
	if (!lu)
		return NULL;
	lu->rtpg_buf = kzalloc(SALUA_LU_RTPG_BUF, GFP_KERNEL);
	lu->dout_buf = kzalloc(SALUA_STPG_HDR_LEN + SALUA_STPG_DESC_LEN,
			       GFP_KERNEL);
	if (!lu->rtpg_buf || !lu->dout_buf) {
		kfree(lu->rtpg_buf);
		kfree(lu->dout_buf);
		kfree(lu);
		return NULL;
	}
	kref_init(&lu->kref);
	spin_lock_init(&lu->lock);
	lu->exec_slot = -1;
	init_waitqueue_head(&lu->waitq);
	INIT_WORK(&lu->cmd_work, salua_cmd_work);
	INIT_DELAYED_WORK(&lu->timer_work, salua_timer_work);
	INIT_WORK(&lu->free_work, salua_lu_free_work);
	INIT_LIST_HEAD(&lu->node);
	strscpy(lu->name, id->name[0] ? id->name : fallback, sizeof(lu->name));
	lu->named = id->name[0] != '\0';

	salua_engine_config_default(&cfg);
	cfg.transition_s = (u16)clamp_t(unsigned int, transition_tmo, 1, 255);
	cfg.cmd_timeout_ms = clamp_t(unsigned int, cmd_timeout, 1, 3600) * 1000u;
	/*
	 * prep_fn fails I/O on standby paths, so after a transition timeout
	 * (paths set to standby by the engine) no sense would ever tell us
	 * the target recovered: poll slowly instead.
	 */
	cfg.standby_poll_ms = min_t(unsigned int, standby_poll_secs, 3600) *
			      1000u;
	cfg.array_hold_ms = array_hold_secs < 0 ? SALUA_ENGINE_HOLD_FOREVER :
			    (u32)min(array_hold_secs, 3600) * 1000u;
	cfg.tpgs = (u8)id->tpgs;
	if (optimize_stpg)
		cfg.flags |= SALUA_ENGINE_F_OPTIMIZE_STPG;
	if (salua_engine_init(&lu->eng, &cfg, &salua_ops, lu, lu->paths,
			      SALUA_LU_MAX_PATHS, lu->rtpg_buf,
			      SALUA_LU_RTPG_BUF) < 0) {
		kfree(lu->rtpg_buf);
		kfree(lu->dout_buf);
		kfree(lu);
		return NULL;
	}
	return lu;
}

static bool salua_lu_known(struct salua_lu *lu, unsigned int slot)
{
	unsigned long flags;
	bool known;

	spin_lock_irqsave(&lu->lock, flags);
	known = test_bit(slot, &lu->plain) ||
		salua_engine_path_get(&lu->eng, slot, NULL, NULL, NULL) == 1 ||
		salua_engine_idle(&lu->eng);
	spin_unlock_irqrestore(&lu->lock, flags);
	return known;
}

/*
 * No path left (and no client): out of the registry, and the engine stops
 * for good (timer cancelled, a command still out goes stale, any
 * activation left completes with REMOVED onto done_head, run by the
 * caller after unlocking).  Under salua_lu_mutex and the LU lock.
 */
static void salua_lu_retire_locked(struct salua_lu *lu)
{
	lu->dead = true;
	list_del_init(&lu->node);
	salua_engine_shutdown(&lu->eng);
}

struct salua_lu *salua_lu_join(struct scsi_device *sdev,
			       const struct salua_lu_ident *id,
			       unsigned int *slotp)
{
	bool plain = id->tpgs == SALUA_TPGS_NONE;
	struct salua_lu *lu = NULL, *it;
	unsigned long flags;
	unsigned int slot;
	char fallback[32];

	/* A private LU without ALUA would be an LU without anything to do. */
	if (plain && !id->name[0])
		return ERR_PTR(-ENODEV);
	snprintf(fallback, sizeof(fallback), "private-%s",
		 dev_name(&sdev->sdev_gendev));
	mutex_lock(&salua_lu_mutex);
	if (id->name[0]) {
		list_for_each_entry(it, &salua_lu_list, node) {
			if (!strcmp(it->name, id->name) &&
			    it->nslots < SALUA_LU_MAX_PATHS) {
				lu = it;
				kref_get(&lu->kref);
				break;
			}
		}
	}
	if (!lu) {
		lu = salua_lu_alloc(id, fallback);
		if (!lu) {
			mutex_unlock(&salua_lu_mutex);
			return ERR_PTR(-ENOMEM);
		}
		if (id->name[0])
			list_add_tail(&lu->node, &salua_lu_list);
	}
	salua_lu_lock(lu, &flags);
	for (slot = 0; slot < SALUA_LU_MAX_PATHS; slot++)
		if (!lu->sdev[slot])
			break;
	lu->sdev[slot] = sdev;
	__clear_bit(slot, &lu->gone);
	__clear_bit(slot, &lu->offline);
	lu->port[slot].rel_port = id->rel_port;
	lu->port[slot].tpg = id->tpg;
	lu->port[slot].has_tpg = id->has_tpg;
	lu->nslots++;
	if (plain) {
		__set_bit(slot, &lu->plain);
	} else {
		__clear_bit(slot, &lu->plain);
		/* Until the first RTPG answers: I/O allowed, sysfs says so. */
		sdev->access_state = SCSI_ACCESS_STATE_TRANSITIONING;
		salua_engine_add_path(&lu->eng, slot, id->rel_port, id->tpg,
				      id->has_tpg);
	}
	salua_lu_unlock(lu, flags);
	mutex_unlock(&salua_lu_mutex);

	if (plain)
		sdev_printk(KERN_INFO, sdev,
			    "salua: joined: LU %s path %u without ALUA\n",
			    lu->name, slot);
	else
		sdev_printk(KERN_INFO, sdev,
			    "salua: attached: LU %s path %u rel port %u tpg 0x%04x%s tpgs %d\n",
			    lu->name, slot, id->rel_port, id->tpg,
			    id->has_tpg ? "" : " (learned from RTPG)",
			    id->tpgs);
	*slotp = slot;
	return lu;
}

void salua_lu_leave(struct salua_lu *lu, unsigned int slot,
		    struct scsi_device *sdev)
{
	struct salua_kact *done;
	unsigned long flags;

	mutex_lock(&salua_lu_mutex);
	salua_lu_lock(lu, &flags);
	/* Abandons its command, completes its activations (REMOVED). */
	if (!__test_and_clear_bit(slot, &lu->plain) &&
	    !__test_and_clear_bit(slot, &lu->gone) &&
	    !__test_and_clear_bit(slot, &lu->offline))
		salua_engine_remove_path(&lu->eng, slot);
	lu->sdev[slot] = NULL;
	/* A bound head keeps the LU (and its engine) for a returning path. */
	if (--lu->nslots == 0 && !lu->client)
		salua_lu_retire_locked(lu);
	done = salua_lu_unlock_take(lu, flags);
	mutex_unlock(&salua_lu_mutex);
	/* The "removed" callbacks, like every other, under none of our locks. */
	salua_run_done(done);
	sdev_printk(KERN_INFO, sdev, "salua: detached from LU %s\n", lu->name);
	salua_lu_put(lu);
}

bool salua_lu_wait_known(struct salua_lu *lu, unsigned int slot,
			 unsigned int ms)
{
	return !ms || wait_event_timeout(lu->waitq, salua_lu_known(lu, slot),
					 msecs_to_jiffies(ms));
}

int salua_lu_sense(struct salua_lu *lu, unsigned int slot, const u8 *sb,
		   size_t len, unsigned int *actions)
{
	struct salua_verdict v;
	unsigned long flags;

	salua_lu_lock(lu, &flags);
	v = salua_engine_sense(&lu->eng, slot, SAM_STAT_CHECK_CONDITION, sb,
			       len);
	/*
	 * A 04/0A on someone else's command (not our own RTPG/TUR poll on
	 * this path): it waits for the transition, so poll fast.
	 */
	if (park_transitioning && v.disp == SALUA_DISP_DELAYED_RETRY &&
	    READ_ONCE(lu->exec_slot) != (int)slot)
		salua_engine_io_waiting(&lu->eng);
	salua_lu_unlock(lu, flags);
	*actions = v.actions;
	return (int)v.disp;
}

bool salua_lu_park_transitioning(void)
{
	return READ_ONCE(park_transitioning);
}

bool salua_lu_own_cmd(struct salua_lu *lu, unsigned int slot)
{
	return READ_ONCE(lu->exec_slot) == (int)slot;
}

/*
 * Paths the host cannot use leave the engine, so that no decision counts
 * on them (array_hold_secs keeps A/O with a group only while a path of it
 * is still there): a device being deleted for good (it stays attached until
 * its last reference goes; dm-mpath holds one until its table is
 * reloaded), an offline or transport-offline one until it runs again.
 * Under the LU lock; called before each activation.
 */
static void salua_lu_sweep(struct salua_lu *lu)
{
	unsigned int i;

	for (i = 0; i < SALUA_LU_MAX_PATHS; i++) {
		struct scsi_device *sd = lu->sdev[i];

		/* Paths without ALUA are not in the engine. */
		if (!sd || test_bit(i, &lu->gone) || test_bit(i, &lu->plain))
			continue;
		switch (READ_ONCE(sd->sdev_state)) {
		case SDEV_CANCEL:
		case SDEV_DEL:
			__set_bit(i, &lu->gone);
			if (!__test_and_clear_bit(i, &lu->offline))
				salua_engine_remove_path(&lu->eng, i);
			sdev_printk(KERN_INFO, sd,
				    "salua: %s: path %u is being deleted\n",
				    lu->name, i);
			break;
		case SDEV_OFFLINE:
		case SDEV_TRANSPORT_OFFLINE:
			if (__test_and_set_bit(i, &lu->offline))
				break;
			salua_engine_remove_path(&lu->eng, i);
			sdev_printk(KERN_INFO, sd, "salua: %s: path %u is offline\n",
				    lu->name, i);
			break;
		case SDEV_RUNNING:
			if (!__test_and_clear_bit(i, &lu->offline))
				break;
			salua_engine_add_path(&lu->eng, i, lu->port[i].rel_port,
					      lu->port[i].tpg,
					      lu->port[i].has_tpg);
			sdev_printk(KERN_INFO, sd, "salua: %s: path %u is back\n",
				    lu->name, i);
			break;
		default:
			break;
		}
	}
}

void salua_lu_activate(struct salua_lu *lu, unsigned int slot,
		       struct scsi_device *sdev, void (*fn)(void *, int),
		       void *data)
{
	struct salua_kact *k;
	unsigned long flags;

	k = kzalloc(sizeof(*k), GFP_NOIO);
	if (!k) {
		if (fn)
			fn(data, SCSI_DH_NOMEM);
		return;
	}
	k->fn = fn;
	k->data = data;
	k->lu = lu;
	k->sdev = sdev;
	sdev_printk(KERN_INFO, sdev, "salua: %s: activate requested\n",
		    lu->name);
	salua_lu_lock(lu, &flags);
	salua_lu_sweep(lu);
	salua_engine_activate(&lu->eng, slot, &k->a, salua_act_done, k);
	salua_lu_unlock(lu, flags);
}

void salua_lu_set_optimize(struct salua_lu *lu, bool on)
{
	unsigned long flags;

	salua_lu_lock(lu, &flags);
	salua_engine_set_flags(&lu->eng, SALUA_ENGINE_F_OPTIMIZE_STPG,
			       on ? SALUA_ENGINE_F_OPTIMIZE_STPG : 0);
	salua_lu_unlock(lu, flags);
}

/*
 * VPD page 0x83 was just read again (scsi_rescan_device()): a path may
 * have moved to another target port group (LIO's alua_tg_pt_gp, array
 * reconfiguration), so re-key it before asking for a fresh RTPG.  A
 * changed LU name is only reported: the path stays with its LU.
 */
void salua_lu_path_rescan(struct salua_lu *lu, unsigned int slot,
			  struct scsi_device *sdev,
			  const struct salua_lu_ident *id)
{
	struct salua_engine_path p;
	unsigned long flags;
	bool moved = false;

	salua_lu_lock(lu, &flags);
	if (test_bit(slot, &lu->gone) || test_bit(slot, &lu->offline) ||
	    test_bit(slot, &lu->plain)) {
		/* Out of the engine (deleted, offline: salua_lu_sweep()), or no ALUA. */
		salua_lu_unlock(lu, flags);
		return;
	}
	p = lu->paths[slot];
	if (id && (p.rel_port != id->rel_port ||
		   !!(p.flags & SALUA_PATH_HAS_TPG) != id->has_tpg ||
		   (id->has_tpg && p.tpg_id != id->tpg))) {
		salua_engine_remove_path(&lu->eng, slot);
		salua_engine_add_path(&lu->eng, slot, id->rel_port, id->tpg,
				      id->has_tpg);
		lu->port[slot].rel_port = id->rel_port;
		lu->port[slot].tpg = id->tpg;
		lu->port[slot].has_tpg = id->has_tpg;
		moved = true;
	} else {
		salua_engine_rescan(&lu->eng);
	}
	salua_lu_unlock(lu, flags);
	if (moved)
		sdev_printk(KERN_INFO, sdev,
			    "salua: %s: path moved to rel port %u tpg 0x%04x\n",
			    lu->name, id->rel_port, id->tpg);
	if (id && id->name[0] && strcmp(id->name, lu->name))
		sdev_printk(KERN_WARNING, sdev,
			    "salua: LU name changed to %s; still grouped with %s\n",
			    id->name, lu->name);
}

/* ---- the LU as its client (the multipath head) sees it ---- */

void salua_lu_get(struct salua_lu *lu)
{
	kref_get(&lu->kref);
}

const char *salua_lu_name(const struct salua_lu *lu)
{
	return lu->name;
}

bool salua_lu_shared(const struct salua_lu *lu)
{
	return lu->named;
}

int salua_lu_bind(struct salua_lu *lu, const struct salua_lu_client_ops *ops,
		  void *ctx)
{
	unsigned long flags;
	int r = 0;

	mutex_lock(&salua_lu_mutex);
	salua_lu_lock(lu, &flags);
	if (lu->dead)
		r = -ENODEV;
	else if (lu->client)
		r = -EBUSY;
	else {
		lu->client_ctx = ctx;
		lu->client = ops;
	}
	salua_lu_unlock(lu, flags);
	mutex_unlock(&salua_lu_mutex);
	return r;
}

void salua_lu_unbind(struct salua_lu *lu)
{
	struct salua_kact *done;
	unsigned long flags;

	mutex_lock(&salua_lu_mutex);
	salua_lu_lock(lu, &flags);
	lu->client = NULL;
	lu->client_ctx = NULL;
	/* The paths left while bound: the LU goes now. */
	if (!lu->nslots && !lu->dead)
		salua_lu_retire_locked(lu);
	done = salua_lu_unlock_take(lu, flags);
	mutex_unlock(&salua_lu_mutex);
	salua_run_done(done);
}

int salua_lu_state_locked(struct salua_lu *lu, unsigned int slot, u8 *state,
			  bool *pref)
{
	if (slot >= SALUA_LU_MAX_PATHS || !lu->sdev[slot])
		return -ENOENT;
	if (test_bit(slot, &lu->plain)) {
		/* No ALUA: every port serves the LU. */
		*state = SALUA_STATE_AO;
		*pref = false;
		return 1;
	}
	return salua_engine_path_get(&lu->eng, slot, state, pref, NULL);
}

void salua_lu_rescan_locked(struct salua_lu *lu)
{
	if (!lu->dead)
		salua_engine_rescan(&lu->eng);
}

int salua_lu_init(void)
{
	salua_wq = alloc_workqueue("salua", WQ_MEM_RECLAIM, 0);
	return salua_wq ? 0 : -ENOMEM;
}

void salua_lu_exit(void)
{
	/* Drains free_work (and anything it cancels) before the text goes. */
	destroy_workqueue(salua_wq);
}

/* The engine's module parameters, for the load message (init only). */
const char *salua_lu_params(void)
{
	static char buf[160];

	snprintf(buf, sizeof(buf),
		 "transition_tmo %us, cmd_timeout %us, standby_poll_secs %u, array_hold_secs %d, optimize_stpg %d",
		 transition_tmo, cmd_timeout, standby_poll_secs,
		 array_hold_secs, optimize_stpg);
	return buf;
}
