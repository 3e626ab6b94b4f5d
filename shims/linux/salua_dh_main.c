// SPDX-License-Identifier: GPL-2.0-only
/*
 * salua_dh - a SCSI device handler for ALUA (SPC-5 §5.16) built on the
 * portable salua core (include/salua/, private-static build mode).
 *
 * The callbacks the SCSI mid-layer calls for each attached scsi_device:
 * attach / detach make it a path of its LU and take it out again,
 * check_sense feeds the LU's engine, prep_fn turns the path's access state
 * into allow / delay / fail fast, activate and set_params serve
 * dm-multipath, rescan re-keys the path.  The LU registry and the engine
 * binding they use are salua_lu.c's (salua_lu.h), shared with the native
 * multipath head (salua_mpath.c).
 *
 * sdev->handler_data is under salua_dh_mutex (attach, detach, and
 * salua_lu_get_sdev() for the head).
 */
#define pr_fmt(fmt) "salua: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mutex.h>
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
#include "salua_lu.h"

#define SALUA_DH_NAME "salua"

static unsigned int attach_wait_ms = 10000;
module_param(attach_wait_ms, uint, 0644);
MODULE_PARM_DESC(attach_wait_ms,
		 "how long attach waits for the first RTPG so access_state is valid when it returns (default 10000)");

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest,
		 "run the core's codec vectors and selector checks at load; the load fails if any check fails");

/* Per scsi_device: sdev->handler_data. */
struct salua_dh {
	struct salua_lu *lu;
	struct scsi_device *sdev;
	unsigned int slot;
};

static DEFINE_RATELIMIT_STATE(salua_sense_rs, 5 * HZ, 10);
static DEFINE_MUTEX(salua_dh_mutex);
static struct scsi_device_handler salua_dh;

/* ---- scsi_device_handler ---- */

static int salua_dh_attach(struct scsi_device *sdev)
{
	struct salua_lu_ident *id;
	struct salua_lu *lu;
	struct salua_dh *h;
	unsigned int slot;
	int err;

	id = kmalloc(sizeof(*id), GFP_KERNEL);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!id || !h) {
		err = SCSI_DH_NOMEM;
		goto out_free;
	}
	err = salua_lu_identify(sdev, id, true);
	if (err) {
		err = err == -ENOMEM ? SCSI_DH_NOMEM : SCSI_DH_DEV_UNSUPP;
		goto out_free;
	}
	lu = salua_lu_join(sdev, id, &slot);
	if (IS_ERR(lu)) {
		err = PTR_ERR(lu) == -ENOMEM ? SCSI_DH_NOMEM : SCSI_DH_DEV_UNSUPP;
		goto out_free;
	}
	kfree(id);
	h->lu = lu;
	h->sdev = sdev;
	h->slot = slot;
	mutex_lock(&salua_dh_mutex);
	sdev->handler_data = h;
	mutex_unlock(&salua_dh_mutex);

	/* So that access_state is meaningful when "echo salua > dh_state" returns. */
	if (!salua_lu_wait_known(lu, slot, attach_wait_ms))
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

	if (!h)
		return;
	mutex_lock(&salua_dh_mutex);
	sdev->handler_data = NULL;
	mutex_unlock(&salua_dh_mutex);
	salua_lu_leave(h->lu, h->slot, sdev);
	kfree(h);
}

/*
 * The sense arrives normalised (struct scsi_sense_hdr); rebuild fixed
 * format sense so the core's table sees exactly what it sees elsewhere.
 */
static enum scsi_disposition salua_dh_check_sense(struct scsi_device *sdev,
						  struct scsi_sense_hdr *sshdr)
{
	struct salua_dh *h = sdev->handler_data;
	unsigned int actions;
	u8 sb[18];
	int disp;
	bool deferred = sshdr->response_code == 0x71 ||
			sshdr->response_code == 0x73;

	if (!h)
		return SCSI_RETURN_NOT_HANDLED;
	if (salua_sense_build_fixed(sb, sizeof(sb), sshdr->sense_key,
				    sshdr->asc, sshdr->ascq) < 0)
		return SCSI_RETURN_NOT_HANDLED;
	if (deferred)
		sb[0] = 0x71;
	disp = salua_lu_sense(h->lu, h->slot, sb, sizeof(sb), &actions);
	/* Quiet when the sense only repeats the known state (path checkers). */
	if ((actions & (SALUA_ACT_RESCAN | SALUA_ACT_TRANSITIONING)) &&
	    __ratelimit(&salua_sense_rs))
		sdev_printk(KERN_INFO, sdev,
			    "salua: %s: sense %x/%02x/%02x: %s%s%s\n",
			    salua_lu_name(h->lu), sshdr->sense_key, sshdr->asc,
			    sshdr->ascq, salua_disposition_name((unsigned int)disp),
			    (actions & SALUA_ACT_RESCAN) ? ", rescan" : "",
			    (actions & SALUA_ACT_TRANSITIONING) ?
				    ", transitioning" : "");

	/* Our own RTPG/STPG/TUR completes with its sense, never requeued. */
	if (salua_lu_own_cmd(h->lu, h->slot) &&
	    (disp == SALUA_DISP_REQUEUE || disp == SALUA_DISP_DELAYED_RETRY))
		return SUCCESS;

	switch (disp) {
	case SALUA_DISP_DELAYED_RETRY:
		/*
		 * SUCCESS: scsi_io_completion() requeues a 04/0A command after
		 * ALUA_TRANSITION_REPREP_DELAY (1 s) instead of burning its
		 * retries at once; the LU's notify releases it early.
		 */
		return salua_lu_park_transitioning() ? SUCCESS : NEEDS_RETRY;
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
	/*
	 * A failfast request (a native multipath head's clone, readahead) on
	 * a transitioning path goes back up at once: the head waits for the
	 * transition with every path in view.  Sent, it would meet NOT READY
	 * 04/0A and sit in this queue for the mid-layer's one-second
	 * re-prepare delay (ALUA_TRANSITION_REPREP_DELAY).
	 */
	if (state == SCSI_ACCESS_STATE_TRANSITIONING &&
	    (req->cmd_flags & REQ_FAILFAST_DEV)) {
		req->rq_flags |= RQF_QUIET;
		return BLK_STS_TRANSPORT;
	}
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

static int salua_dh_activate(struct scsi_device *sdev, activate_complete fn,
			     void *data)
{
	struct salua_dh *h = sdev->handler_data;

	if (!h) {
		if (fn)
			fn(data, SCSI_DH_NOSYS);
		return 0;
	}
	salua_lu_activate(h->lu, h->slot, sdev, fn, data);
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

	if (!h || !params || sscanf(params, "%u", &argc) != 1 || argc != 1)
		return -EINVAL;
	p += strlen(p) + 1;
	if (sscanf(p, "%u", &optimize) != 1 || optimize > 1)
		return -EINVAL;
	salua_lu_set_optimize(h->lu, optimize);
	sdev_printk(KERN_INFO, sdev, "salua: %s: optimize_stpg %u\n",
		    salua_lu_name(h->lu), optimize);
	return 0;
}

/* scsi_rescan_device() has just re-read the VPD pages. */
static void salua_dh_rescan(struct scsi_device *sdev)
{
	struct salua_dh *h = sdev->handler_data;
	struct salua_lu_ident *id;

	if (!h)
		return;
	id = kmalloc(sizeof(*id), GFP_KERNEL);
	if (id && salua_lu_identify(sdev, id, true)) {
		kfree(id);
		id = NULL;
	}
	salua_lu_path_rescan(h->lu, h->slot, sdev, id);
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

/* ---- the LU a handler path belongs to (salua_lu.h) ---- */

struct salua_lu *salua_lu_get_sdev(struct scsi_device *sdev,
				   unsigned int *slot)
{
	struct salua_lu *lu = NULL;
	struct salua_dh *h;

	mutex_lock(&salua_dh_mutex);
	h = sdev->handler == &salua_dh ? sdev->handler_data : NULL;
	if (h) {
		lu = h->lu;
		salua_lu_get(lu);
		*slot = h->slot;
	}
	mutex_unlock(&salua_dh_mutex);
	return lu;
}

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
	r = salua_lu_init();
	if (r)
		return r;
	r = scsi_register_device_handler(&salua_dh);
	if (r) {
		salua_lu_exit();
		return r;
	}
	r = salua_mpath_init();
	if (r) {
		scsi_unregister_device_handler(&salua_dh);
		salua_lu_exit();
		return r;
	}
	pr_info("salua_dh loaded (%s)\n", salua_lu_params());
	return 0;
}

static void __exit salua_dh_exit(void)
{
	salua_mpath_exit();
	scsi_unregister_device_handler(&salua_dh);
	salua_lu_exit();
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
