// SPDX-License-Identifier: GPL-2.0-only
/*
 * salua_dh - a SCSI device handler for ALUA (SPC-5 §5.16) built on the
 * portable salua core (include/salua/, private-static build mode).
 *
 * One struct salua_lu per logical unit (keyed by the LU name from VPD page
 * 0x83), shared by every scsi_device that is a path to it; it owns one
 * sans-I/O struct salua_engine.  The engine's ops are bound here:
 *   submit  -> the command is parked in the LU and run from a work item on
 *              a WQ_MEM_RECLAIM workqueue through the SCSI mid-layer
 *              (salua_dh_exec(): scsi_execute() before 6.4,
 *              scsi_execute_cmd() since), completion fed back under the
 *              LU lock;
 *   arm     -> one delayed_work per LU;
 *   notify  -> sdev->access_state (state | PREF 0x80), so the kernel's own
 *              access_state / preferred_path attributes show our states.
 *
 * Locking: lu->lock (spinlock, irqsave) serialises every engine call:
 * check_sense may run in softirq or hardirq completion context.  The
 * global LU list is under salua_lu_mutex (attach/detach only).
 *
 * Lifetime: lu->kref counts attached paths plus one per parked command.
 * Detach of the last path marks the LU dead and shuts its engine down
 * (salua_engine_shutdown) under the lock.  The last put queues lu->free_work on our workqueue, which cancels the
 * timer and command work synchronously before freeing; module exit
 * destroys the workqueue, which drains it.  Activation callbacks are
 * collected under the lock and called after it is dropped, exactly once.
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
#include <linux/ratelimit.h>
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

#include "salua_dh.h"

#define SALUA_DH_NAME "salua"
#define SALUA_DH_MAX_PATHS 16u
#define SALUA_DH_RTPG_BUF 4096u
#define SALUA_DH_LU_NAME 256u
#define SALUA_DH_VPD_MAX 1024u

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

static unsigned int attach_wait_ms = 10000;
module_param(attach_wait_ms, uint, 0644);
MODULE_PARM_DESC(attach_wait_ms,
		 "how long attach waits for the first RTPG so access_state is valid when it returns (default 10000)");

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

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest,
		 "run the core's codec vectors and selector checks at load; the load fails if any check fails");

struct salua_lu;

/* Per scsi_device: sdev->handler_data. */
struct salua_dh {
	struct salua_lu *lu;
	struct scsi_device *sdev;
	unsigned int slot;
	u16 rel_port, tpg;	/* from VPD 0x83, to re-add the path */
	bool has_tpg;
};

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
	unsigned int nslots;

	struct salua_engine eng;
	struct salua_engine_path paths[SALUA_DH_MAX_PATHS];
	struct scsi_device *sdev[SALUA_DH_MAX_PATHS];
	unsigned long gone;		/* slots whose device is being deleted */
	unsigned long offline;		/* slots out of the engine while offline */
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

	char name[SALUA_DH_LU_NAME];
};

static DEFINE_RATELIMIT_STATE(salua_sense_rs, 5 * HZ, 10);
static LIST_HEAD(salua_lu_list);
static DEFINE_MUTEX(salua_lu_mutex);
static struct workqueue_struct *salua_wq;

static const char *salua_dh_result_name(int r)
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
static int salua_dh_result_to_dh(int r)
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

static void salua_lu_lock(struct salua_lu *lu, unsigned long *flags)
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
			k->fn(k->data, salua_dh_result_to_dh(k->result));
		kfree(k);
		k = next;
	}
}

static void salua_lu_unlock(struct salua_lu *lu, unsigned long flags)
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
static int salua_dh_exec(struct scsi_device *sdev, const u8 *cdb, int dir,
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

	if (lu->dead || path >= SALUA_DH_MAX_PATHS || !lu->sdev[path])
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

	if (path >= SALUA_DH_MAX_PATHS || !lu->sdev[path])
		return;
	sdev = lu->sdev[path];
	old = sdev->access_state;
	WRITE_ONCE(sdev->access_state,
		   (state & SCSI_ACCESS_STATE_MASK) |
			   (pref ? SCSI_ACCESS_STATE_PREFERRED : 0));
	/*
	 * The transition is over for this path: I/O the SCSI layer parked on
	 * a 04/0A (ALUA_TRANSITION_REPREP_DELAY, 1 s) goes again now.
	 */
	if ((old & SCSI_ACCESS_STATE_MASK) == SCSI_ACCESS_STATE_TRANSITIONING &&
	    (state & SCSI_ACCESS_STATE_MASK) != SCSI_ACCESS_STATE_TRANSITIONING)
		blk_mq_kick_requeue_list(sdev->request_queue);
	if (old != sdev->access_state)
		sdev_printk(KERN_INFO, sdev,
			    "salua: %s: access state %s%s (supports 0x%02x)\n",
			    lu->name, salua_state_name(state),
			    pref ? ", preferred" : "", supported);
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
		    k->lu->name, salua_dh_result_name(result));
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

static void salua_lu_put(struct salua_lu *lu)
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
	res = salua_dh_exec(sdev, cmd.cdb, dir, buf, len, sense, sizeof(sense),
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
static int salua_dh_vpd83(struct scsi_device *sdev, u8 **out)
{
	struct scsi_vpd *vpd;
	unsigned int len = 0;
	u8 *buf;

	buf = kzalloc(SALUA_DH_VPD_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	rcu_read_lock();
	vpd = rcu_dereference(sdev->vpd_pg83);
	if (vpd && vpd->len > 0) {
		len = min_t(unsigned int, (unsigned int)vpd->len,
			    SALUA_DH_VPD_MAX);
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
				  SALUA_DH_VPD_MAX);
		res = salua_dh_exec(sdev, cdb, DMA_FROM_DEVICE, buf,
				    SALUA_DH_VPD_MAX, NULL, 0, 30 * HZ, 3,
				    false, &resid);
		if (res || resid < 0 || resid >= (int)SALUA_DH_VPD_MAX) {
			kfree(buf);
			return -ENXIO;
		}
		len = SALUA_DH_VPD_MAX - (unsigned int)resid;
	}
	*out = buf;
	return (int)len;
}

struct salua_dh_ident {
	char name[SALUA_DH_LU_NAME];
	struct salua_vpd83_port port;
	int tpgs;
};

static int salua_dh_identify(struct scsi_device *sdev,
			     struct salua_dh_ident *id)
{
	struct salua_inquiry inq;
	u8 *vpd = NULL;
	int len, r;

	memset(id, 0, sizeof(*id));
	if (!sdev->inquiry ||
	    salua_inquiry_decode(sdev->inquiry, sdev->inquiry_len, &inq) < 0)
		return SCSI_DH_DEV_UNSUPP;
	id->tpgs = inq.tpgs;
	if (inq.tpgs == SALUA_TPGS_NONE) {
		sdev_printk(KERN_INFO, sdev, "salua: no ALUA (TPGS=0)\n");
		return SCSI_DH_DEV_UNSUPP;
	}
	len = salua_dh_vpd83(sdev, &vpd);
	if (len < 0) {
		sdev_printk(KERN_INFO, sdev, "salua: no VPD page 0x83 (%d)\n",
			    len);
		return SCSI_DH_DEV_UNSUPP;
	}
	r = salua_vpd83_find_port(vpd, (size_t)len, &id->port);
	if (r < 0 || !(id->port.has_rel_port || id->port.has_tpg)) {
		sdev_printk(KERN_INFO, sdev,
			    "salua: no target port designators in VPD 0x83 (%d)\n",
			    r);
		kfree(vpd);
		return SCSI_DH_DEV_UNSUPP;
	}
	/* No usable LU name: the path gets a private LU, never shared. */
	if (salua_vpd83_lu_name(vpd, (size_t)len, id->name, sizeof(id->name),
				NULL) < 0)
		id->name[0] = '\0';
	kfree(vpd);
	return SCSI_DH_OK;
}

static struct salua_lu *salua_lu_alloc(const struct salua_dh_ident *id,
				       const char *fallback)
{
	struct salua_engine_config cfg;
	struct salua_lu *lu;

	lu = kzalloc(sizeof(*lu), GFP_KERNEL);
	if (!lu)
		return NULL;
	lu->rtpg_buf = kzalloc(SALUA_DH_RTPG_BUF, GFP_KERNEL);
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
			      SALUA_DH_MAX_PATHS, lu->rtpg_buf,
			      SALUA_DH_RTPG_BUF) < 0) {
		kfree(lu->rtpg_buf);
		kfree(lu->dout_buf);
		kfree(lu);
		return NULL;
	}
	return lu;
}

static bool salua_dh_known(struct salua_lu *lu, unsigned int slot)
{
	unsigned long flags;
	bool known;

	spin_lock_irqsave(&lu->lock, flags);
	known = salua_engine_path_get(&lu->eng, slot, NULL, NULL, NULL) == 1 ||
		salua_engine_idle(&lu->eng);
	spin_unlock_irqrestore(&lu->lock, flags);
	return known;
}

/* ---- scsi_device_handler ---- */

static int salua_dh_attach(struct scsi_device *sdev)
{
	struct salua_dh_ident *id;
	struct salua_lu *lu = NULL, *it;
	struct salua_dh *h;
	unsigned long flags;
	unsigned int slot;
	char fallback[32];
	int err;

	id = kmalloc(sizeof(*id), GFP_KERNEL);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!id || !h) {
		err = SCSI_DH_NOMEM;
		goto out_free;
	}
	err = salua_dh_identify(sdev, id);
	if (err != SCSI_DH_OK)
		goto out_free;
	snprintf(fallback, sizeof(fallback), "private-%s",
		 dev_name(&sdev->sdev_gendev));

	mutex_lock(&salua_lu_mutex);
	if (id->name[0]) {
		list_for_each_entry(it, &salua_lu_list, node) {
			if (!strcmp(it->name, id->name) &&
			    it->nslots < SALUA_DH_MAX_PATHS) {
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
			err = SCSI_DH_NOMEM;
			goto out_free;
		}
		if (id->name[0])
			list_add_tail(&lu->node, &salua_lu_list);
	}
	salua_lu_lock(lu, &flags);
	for (slot = 0; slot < SALUA_DH_MAX_PATHS; slot++)
		if (!lu->sdev[slot])
			break;
	lu->sdev[slot] = sdev;
	__clear_bit(slot, &lu->gone);
	__clear_bit(slot, &lu->offline);
	lu->nslots++;
	/* Until the first RTPG answers: I/O allowed, sysfs says so. */
	sdev->access_state = SCSI_ACCESS_STATE_TRANSITIONING;
	h->lu = lu;
	h->sdev = sdev;
	h->slot = slot;
	h->rel_port = id->port.rel_port;
	h->tpg = id->port.tpg;
	h->has_tpg = id->port.has_tpg;
	sdev->handler_data = h;
	salua_engine_add_path(&lu->eng, slot, id->port.rel_port, id->port.tpg,
			      id->port.has_tpg);
	salua_lu_unlock(lu, flags);
	mutex_unlock(&salua_lu_mutex);

	sdev_printk(KERN_INFO, sdev,
		    "salua: attached: LU %s path %u rel port %u tpg 0x%04x%s tpgs %d\n",
		    lu->name, slot, id->port.rel_port, id->port.tpg,
		    id->port.has_tpg ? "" : " (learned from RTPG)", id->tpgs);
	kfree(id);

	/* So that access_state is meaningful when "echo salua > dh_state" returns. */
	if (attach_wait_ms &&
	    !wait_event_timeout(lu->waitq, salua_dh_known(lu, slot),
				msecs_to_jiffies(attach_wait_ms)))
		sdev_printk(KERN_INFO, sdev,
			    "salua: access state not known yet\n");
	return SCSI_DH_OK;

out_free:
	kfree(id);
	kfree(h);
	return err;
}

static void salua_dh_detach(struct scsi_device *sdev)
{
	struct salua_dh *h = sdev->handler_data;
	struct salua_kact *done;
	struct salua_lu *lu;
	unsigned long flags;

	if (!h)
		return;
	lu = h->lu;
	mutex_lock(&salua_lu_mutex);
	salua_lu_lock(lu, &flags);
	/* Abandons its command, completes its activations (REMOVED). */
	if (!__test_and_clear_bit(h->slot, &lu->gone) &&
	    !__test_and_clear_bit(h->slot, &lu->offline))
		salua_engine_remove_path(&lu->eng, h->slot);
	lu->sdev[h->slot] = NULL;
	if (--lu->nslots == 0) {
		lu->dead = true;
		list_del_init(&lu->node);
		/*
		 * Last path: the engine stops for good (timer cancelled, a
		 * command still out goes stale, any activation left completes
		 * with REMOVED onto done_head, run below outside our locks).
		 */
		salua_engine_shutdown(&lu->eng);
	}
	sdev->handler_data = NULL;
	done = salua_lu_unlock_take(lu, flags);
	mutex_unlock(&salua_lu_mutex);
	/* The "removed" callbacks, like every other, under none of our locks. */
	salua_run_done(done);
	sdev_printk(KERN_INFO, sdev, "salua: detached from LU %s\n", lu->name);
	kfree(h);
	salua_lu_put(lu);
}

/*
 * The sense arrives normalised (struct scsi_sense_hdr); rebuild fixed
 * format sense so the core's table sees exactly what it sees elsewhere.
 */
static enum scsi_disposition salua_dh_check_sense(struct scsi_device *sdev,
						  struct scsi_sense_hdr *sshdr)
{
	struct salua_dh *h = sdev->handler_data;
	struct salua_verdict v;
	unsigned long flags;
	u8 sb[18];
	bool deferred = sshdr->response_code == 0x71 ||
			sshdr->response_code == 0x73;

	if (!h)
		return SCSI_RETURN_NOT_HANDLED;
	if (salua_sense_build_fixed(sb, sizeof(sb), sshdr->sense_key,
				    sshdr->asc, sshdr->ascq) < 0)
		return SCSI_RETURN_NOT_HANDLED;
	if (deferred)
		sb[0] = 0x71;
	salua_lu_lock(h->lu, &flags);
	v = salua_engine_sense(&h->lu->eng, h->slot, SAM_STAT_CHECK_CONDITION,
			       sb, sizeof(sb));
	/*
	 * A 04/0A on someone else's command (not our own RTPG/TUR poll on
	 * this path): it waits for the transition, so poll fast.
	 */
	if (park_transitioning && v.disp == SALUA_DISP_DELAYED_RETRY &&
	    READ_ONCE(h->lu->exec_slot) != (int)h->slot)
		salua_engine_io_waiting(&h->lu->eng);
	salua_lu_unlock(h->lu, flags);
	/* Quiet when the sense only repeats the known state (path checkers). */
	if ((v.actions & (SALUA_ACT_RESCAN | SALUA_ACT_TRANSITIONING)) &&
	    __ratelimit(&salua_sense_rs))
		sdev_printk(KERN_INFO, sdev,
			    "salua: %s: sense %x/%02x/%02x: %s%s%s\n",
			    h->lu->name, sshdr->sense_key, sshdr->asc,
			    sshdr->ascq, salua_disposition_name(v.disp),
			    (v.actions & SALUA_ACT_RESCAN) ? ", rescan" : "",
			    (v.actions & SALUA_ACT_TRANSITIONING) ?
				    ", transitioning" : "");

	switch (v.disp) {
	case SALUA_DISP_DELAYED_RETRY:
		/*
		 * SUCCESS: scsi_io_completion() requeues a 04/0A command after
		 * ALUA_TRANSITION_REPREP_DELAY (1 s) instead of burning its
		 * retries at once; salua_op_notify() releases it early.
		 */
		return park_transitioning ? SUCCESS : NEEDS_RETRY;
	case SALUA_DISP_RETRY:
		return NEEDS_RETRY;
	case SALUA_DISP_REQUEUE:
		return ADD_TO_MLQUEUE;
	case SALUA_DISP_FAILOVER:
	case SALUA_DISP_FAIL:
		return SUCCESS;
	case SALUA_DISP_NOT_HANDLED:
	default:
		return SCSI_RETURN_NOT_HANDLED;
	}
}

static blk_status_t salua_dh_prep_fn(struct scsi_device *sdev,
				     struct request *req)
{
	struct salua_dh *h = sdev->handler_data;
	struct salua_prep_config pc;
	u8 state;

	if (!h)
		return BLK_STS_OK;
	state = READ_ONCE(sdev->access_state) & SCSI_ACCESS_STATE_MASK;
	salua_prep_config_default(&pc);
	switch (salua_prep_decide(state, &pc, NULL)) {
	case SALUA_PREP_ALLOW:
		return BLK_STS_OK;
	case SALUA_PREP_DELAY:
		return BLK_STS_RESOURCE;
	case SALUA_PREP_FAIL_FAST:
	default:
		req->rq_flags |= RQF_QUIET;
		return BLK_STS_IOERR;
	}
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

	for (i = 0; i < SALUA_DH_MAX_PATHS; i++) {
		struct scsi_device *sd = lu->sdev[i];
		struct salua_dh *h;

		if (!sd || test_bit(i, &lu->gone))
			continue;
		h = sd->handler_data;
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
			if (!h || !__test_and_clear_bit(i, &lu->offline))
				break;
			salua_engine_add_path(&lu->eng, i, h->rel_port, h->tpg,
					      h->has_tpg);
			sdev_printk(KERN_INFO, sd, "salua: %s: path %u is back\n",
				    lu->name, i);
			break;
		default:
			break;
		}
	}
}

static int salua_dh_activate(struct scsi_device *sdev, activate_complete fn,
			     void *data)
{
	struct salua_dh *h = sdev->handler_data;
	struct salua_kact *k;
	unsigned long flags;

	if (!h) {
		if (fn)
			fn(data, SCSI_DH_NOSYS);
		return 0;
	}
	k = kzalloc(sizeof(*k), GFP_NOIO);
	if (!k) {
		if (fn)
			fn(data, SCSI_DH_NOMEM);
		return 0;
	}
	k->fn = fn;
	k->data = data;
	k->lu = h->lu;
	k->sdev = sdev;
	sdev_printk(KERN_INFO, sdev, "salua: %s: activate requested\n",
		    h->lu->name);
	salua_lu_lock(h->lu, &flags);
	salua_lu_sweep(h->lu);
	salua_engine_activate(&h->lu->eng, h->slot, &k->a, salua_act_done, k);
	salua_lu_unlock(h->lu, flags);
	return 0;
}

/*
 * dm-multipath's hardware handler arguments ("2 salua 1" in a table,
 * hardware_handler "2 salua 1" in multipath.conf) arrive as "1\0<0|1>\0":
 * the count, then each argument.  Like scsi_dh_alua, one argument:
 * optimize STPG (skip STPG on a non-preferred ANO path of an
 * implicit+explicit LU), here for the whole LU.
 */
static int salua_dh_set_params(struct scsi_device *sdev, const char *params)
{
	struct salua_dh *h = sdev->handler_data;
	unsigned int argc, optimize;
	const char *p = params;
	unsigned long flags;

	if (!h || !params || sscanf(params, "%u", &argc) != 1 || argc != 1)
		return -EINVAL;
	p += strlen(p) + 1;
	if (sscanf(p, "%u", &optimize) != 1 || optimize > 1)
		return -EINVAL;
	salua_lu_lock(h->lu, &flags);
	salua_engine_set_flags(&h->lu->eng, SALUA_ENGINE_F_OPTIMIZE_STPG,
			       optimize ? SALUA_ENGINE_F_OPTIMIZE_STPG : 0);
	salua_lu_unlock(h->lu, flags);
	sdev_printk(KERN_INFO, sdev, "salua: %s: optimize_stpg %u\n",
		    h->lu->name, optimize);
	return 0;
}

/*
 * scsi_rescan_device() has just re-read the VPD pages: a path may have
 * moved to another target port group (LIO's alua_tg_pt_gp, array
 * reconfiguration), so re-key it before asking for a fresh RTPG.  A
 * changed LU name is only reported: the path stays with its LU.
 */
static void salua_dh_rescan(struct scsi_device *sdev)
{
	struct salua_dh *h = sdev->handler_data;
	struct salua_dh_ident *id;
	struct salua_engine_path p;
	struct salua_lu *lu;
	unsigned long flags;
	bool moved = false;

	if (!h)
		return;
	lu = h->lu;
	id = kmalloc(sizeof(*id), GFP_KERNEL);
	if (id && salua_dh_identify(sdev, id) != SCSI_DH_OK) {
		kfree(id);
		id = NULL;
	}
	salua_lu_lock(lu, &flags);
	if (test_bit(h->slot, &lu->gone) || test_bit(h->slot, &lu->offline)) {
		/* Out of the engine (deleted, offline): see salua_lu_sweep(). */
		salua_lu_unlock(lu, flags);
		kfree(id);
		return;
	}
	p = lu->paths[h->slot];
	if (id && (p.rel_port != id->port.rel_port ||
		   !!(p.flags & SALUA_PATH_HAS_TPG) != id->port.has_tpg ||
		   (id->port.has_tpg && p.tpg_id != id->port.tpg))) {
		salua_engine_remove_path(&lu->eng, h->slot);
		salua_engine_add_path(&lu->eng, h->slot, id->port.rel_port,
				      id->port.tpg, id->port.has_tpg);
		h->rel_port = id->port.rel_port;
		h->tpg = id->port.tpg;
		h->has_tpg = id->port.has_tpg;
		moved = true;
	} else {
		salua_engine_rescan(&lu->eng);
	}
	salua_lu_unlock(lu, flags);
	if (moved)
		sdev_printk(KERN_INFO, sdev,
			    "salua: %s: path moved to rel port %u tpg 0x%04x\n",
			    lu->name, id->port.rel_port, id->port.tpg);
	if (id && id->name[0] && strcmp(id->name, lu->name))
		sdev_printk(KERN_WARNING, sdev,
			    "salua: LU name changed to %s; still grouped with %s\n",
			    id->name, lu->name);
	kfree(id);
}

static struct scsi_device_handler salua_dh = {
	.name = SALUA_DH_NAME,
	.module = THIS_MODULE,
	.attach = salua_dh_attach,
	.detach = salua_dh_detach,
	.check_sense = salua_dh_check_sense,
	.prep_fn = salua_dh_prep_fn,
	.activate = salua_dh_activate,
	.rescan = salua_dh_rescan,
	.set_params = salua_dh_set_params,
};

static int __init salua_dh_init(void)
{
	int r;

	if (selftest) {
		struct salua_selftest_result res;

		salua_dh_selftest(&res);
		pr_info("selftest: %u passed, %u failed\n", res.passed,
			res.failed);
		if (res.failed)
			return -EINVAL;
	}
	salua_wq = alloc_workqueue("salua", WQ_MEM_RECLAIM, 0);
	if (!salua_wq)
		return -ENOMEM;
	r = scsi_register_device_handler(&salua_dh);
	if (r) {
		destroy_workqueue(salua_wq);
		return r;
	}
	pr_info("salua_dh loaded (transition_tmo %us, cmd_timeout %us, standby_poll_secs %u, array_hold_secs %d, optimize_stpg %d)\n",
		transition_tmo, cmd_timeout, standby_poll_secs, array_hold_secs,
		optimize_stpg);
	return 0;
}

static void __exit salua_dh_exit(void)
{
	scsi_unregister_device_handler(&salua_dh);
	/* Drains free_work (and anything it cancels) before the text goes. */
	destroy_workqueue(salua_wq);
	pr_info("salua_dh unloaded\n");
}

module_init(salua_dh_init);
module_exit(salua_dh_exit);

MODULE_DESCRIPTION("ALUA device handler built on the portable salua core");
MODULE_AUTHOR("salua project");
MODULE_LICENSE("GPL");
MODULE_VERSION(SALUA_VERSION_STR);
/*
 * dm-multipath and dh_state find a handler by name and load it with
 * request_module("scsi_dh_<name>"): hardware_handler "1 salua" loads us.
 */
MODULE_ALIAS("scsi_dh_" SALUA_DH_NAME);
