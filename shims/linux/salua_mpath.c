// SPDX-License-Identifier: GPL-2.0-only
/*
 * salua_mpath - native SCSI multipath on the portable core: one head block
 * device per logical unit (/dev/saluaN), every bio cloned to the path the
 * core selector (include/salua/selector.h) picks.
 *
 * Paths.  A class interface on the SCSI devices sees every scsi_device
 * come and go (hot plug, scan, "echo 1 > device/delete", host removal).
 * With multipath=on a disk with ALUA (TPGS != 0) gets the salua handler
 * attached (it is the per-path hook: sense, prep, rescan) and becomes a
 * path of its LU in the shared registry (salua_lu.h): one LU object and
 * one engine per LU for the handler and the head alike.  The LU name from
 * VPD page 0x83 is the key; a path without one is never multipathed.  The
 * head is created when the LU's second path is ready (multipath=always:
 * its first); each member's sd disk is then held open exclusively with
 * the head as holder (holders/ and slaves/ links in sysfs).
 *
 * I/O.  The selector's immutable map is published with RCU and rebuilt in
 * a work item whenever the engine reports a path state (the LU's client
 * callback), a path fails, joins or leaves, or iopolicy changes.  Each
 * bio gets a context from a mempool holding an embedded clone; the pick
 * (O(1) for numa, round-robin, failover; O(class) for queue-depth,
 * service-time and latency over per-path in-flight counters and
 * completion-latency averages) happens under
 * rcu_read_lock, the clone goes to the path's sd disk with
 * REQ_FAILFAST_DEV | REQ_FAILFAST_TRANSPORT.  A clone that ends with a path error
 * (blk_path_error()) disables its path for a back-off (100 ms doubling to
 * 2 s, or until the engine reports a usable state for it), asks the
 * engine for a rescan and sends the bio again through the next map.  With
 * no usable path the bio waits on the head's requeue list; it is sent
 * again as soon as a new map has a usable path and fails when the
 * no-path timeout (the selector's queue bound) runs out.
 *
 * Removal.  A path that goes is unpublished at once; its sd disk is closed
 * once its clones have drained.  The head stays for no_path_timeout after
 * its last path went (I/O queued meanwhile), so a returning path rejoins
 * it; then it is deleted.
 *
 * Locking (lockdep-clean on two CPUs by design):
 *   salua_mp_mutex   membership and head lifetime (process context; never
 *                    taken by sysfs handlers, which del_gendisk waits for)
 *   LU lock          (spinlock, irqsave; salua_lu.h) the selector, the
 *                    member table, the failed mask: taken from completion
 *                    context on path errors and by the engine's callbacks
 *   h->rq_lock       (spinlock, irqsave) the requeue list; never nested
 *                    with the LU lock
 *   RCU              the published map and the path objects it names; a
 *                    path is freed only after a grace period and after
 *                    its in-flight count reached zero.
 */
#define pr_fmt(fmt) "salua: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mempool.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <linux/percpu.h>
#include <linux/atomic.h>
#include <linux/idr.h>
#include <linux/wait.h>
#include <linux/jiffies.h>
#include <linux/ratelimit.h>
#include <linux/topology.h>
#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/pr.h>
#include <scsi/scsi.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>
#include <scsi/scsi_dh.h>
#include <scsi/scsi_driver.h>
#include <scsi/scsi_ioctl.h>
#include <scsi/sg.h>

#define SALUA_STATIC
#include <salua/selector.h>

#include "salua_lu.h"
#include "salua_kcompat.h"

#define SALUA_MP_MAX SALUA_LU_MAX_PATHS
#define SALUA_MP_BACKOFF_MIN_MS 100u
#define SALUA_MP_BACKOFF_MAX_MS 2000u
#define SALUA_MP_PROBE_MIN_MS 100u
#define SALUA_MP_PROBE_MAX_MS 5000u
#define SALUA_MP_IO_POOL 64
/*
 * While bios wait for a path, the head asks the engine for an RTPG this
 * often (the engine coalesces): the end of a transition or a group coming
 * back is seen within one interval, not at the engine's next adaptive
 * re-poll (up to 2 s).  After the first SALUA_MP_WAIT_FAST_MS of a wait
 * the interval grows to SALUA_MP_WAIT_SLOW_MS.
 */
#define SALUA_MP_WAIT_POLL_MS 25u
#define SALUA_MP_WAIT_FAST_MS 3000u
#define SALUA_MP_WAIT_SLOW_MS 250u
/*
 * A READ or WRITE that meets NOT READY 04/0A (transitioning) is put back
 * in its path's requeue list by the SCSI mid-layer for a whole second
 * (scsi_lib.c, ALUA_TRANSITION_REPREP_DELAY), whatever its failfast flags.
 * The head kicks that list when the path's state changes, and every
 * SALUA_MP_KICK_MS while the path cannot serve and has clones on it: each held
 * clone is prepared again at once and either goes (usable state) or comes
 * back to the head (the handler fails a failfast request on a
 * transitioning or standby path).
 */
#define SALUA_MP_KICK_MS 25u

enum { SALUA_MP_OFF, SALUA_MP_ON, SALUA_MP_ALWAYS };
static const char *const salua_mp_modes[] = {
	[SALUA_MP_OFF] = "off",
	[SALUA_MP_ON] = "on",
	[SALUA_MP_ALWAYS] = "always",
};
static int salua_mp_mode = SALUA_MP_OFF;

static int salua_mp_mode_set(const char *val, const struct kernel_param *kp)
{
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(salua_mp_modes); i++) {
		if (sysfs_streq(val, salua_mp_modes[i])) {
			*(int *)kp->arg = i;
			return 0;
		}
	}
	return -EINVAL;
}

static int salua_mp_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", salua_mp_modes[*(int *)kp->arg]);
}

static const struct kernel_param_ops salua_mp_mode_ops = {
	.set = salua_mp_mode_set,
	.get = salua_mp_mode_get,
};
module_param_cb(multipath, &salua_mp_mode_ops, &salua_mp_mode, 0444);
MODULE_PARM_DESC(multipath,
		 "native multipath head devices /dev/saluaN: off (default), on (an LU with ALUA and a VPD 0x83 name, from its second path), always (every LU with a name, from its first path)");

static int salua_mp_policy = SALUA_SEL_NUMA;

static int salua_mp_policy_parse(const char *val)
{
	unsigned int i;

	for (i = 0; i < SALUA_SEL_NPOLICIES; i++)
		if (sysfs_streq(val, salua_sel_policy_name(i)))
			return (int)i;
	return -EINVAL;
}

static int salua_mp_policy_set(const char *val, const struct kernel_param *kp)
{
	int p = salua_mp_policy_parse(val);

	if (p < 0)
		return p;
	*(int *)kp->arg = p;
	return 0;
}

static int salua_mp_policy_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  salua_sel_policy_name((unsigned int)*(int *)kp->arg));
}

static const struct kernel_param_ops salua_mp_policy_ops = {
	.set = salua_mp_policy_set,
	.get = salua_mp_policy_get,
};
module_param_cb(iopolicy, &salua_mp_policy_ops, &salua_mp_policy, 0644);
MODULE_PARM_DESC(iopolicy,
		 "path selection of new heads: numa (default), round-robin, queue-depth, service-time, failover, latency; per head in /sys/block/saluaN/salua/iopolicy");

static unsigned int no_path_timeout = 30;
module_param(no_path_timeout, uint, 0644);
MODULE_PARM_DESC(no_path_timeout,
		 "seconds I/O waits while no path can serve it, and a head stays after its last path went (0 = fail at once; max 86400; default 30); per head in /sys/block/saluaN/salua/no_path_timeout");

struct salua_mp_head;

/* A scsi_device the head knows: candidate, member, or going. */
struct salua_mp_path {
	struct list_head node;		/* salua_mp_paths, under salua_mp_mutex */
	struct scsi_device *sdev;	/* sdev_gendev reference */
	struct salua_lu *lu;		/* reference, once the handler attached */
	unsigned int slot;		/* the path's slot in the LU */
	struct salua_mp_head *head;	/* member of (under salua_mp_mutex) */
	struct salua_bdev bdev;		/* the sd disk, held while a member */
	dev_t devt;
	bool ready;			/* lu and devt known */
	bool gone;			/* remove_dev seen */
	bool busy_told;			/* "in use" logged once */
	bool plain;			/* joined without ALUA (always) */
	unsigned int probe_ms;
	unsigned int backoff_ms;	/* next failure's back-off */
	atomic_t inflight;
	atomic64_t inflight_bytes;
	u32 lat_us;			/* latency policy: completion average */
	atomic64_t ios, errors;
	struct delayed_work probe_work;	/* salua_mp_probe_wq */
	struct delayed_work retry_work;	/* salua_mp_io_wq: end of back-off */
	struct work_struct release_work; /* salua_mp_wq */
	char name[BDEVNAME_SIZE];	/* sdX */
	char hctl[48];
};

/* The published selector map, the path objects it may name, and storage. */
struct salua_mp_map {
	struct rcu_head rcu;
	struct salua_sel_map m;
	struct salua_mp_path *path[SALUA_MP_MAX];
	struct salua_sel_slot slot[SALUA_MP_MAX];
	u16 numa[];
};

struct salua_mp_head {
	struct list_head node;		/* salua_mp_heads, under salua_mp_mutex */
	struct salua_lu *lu;		/* reference; bound as the LU's client */
	struct gendisk *disk;
	int index;
	bool live;			/* disk added */
	bool dying;			/* being deleted: every bio fails */
	bool unlisted;			/* taken by module exit (salua_mp_mutex) */
	unsigned int nmembers;		/* under salua_mp_mutex */
	unsigned int releasing;		/* members draining, same */

	/* Under the LU lock. */
	struct salua_sel sel;
	struct salua_sel_path spath[SALUA_MP_MAX];
	struct salua_mp_path *member[SALUA_MP_MAX];
	unsigned long failed;		/* slots in failure back-off */
	unsigned long kickable;		/* members whose queue may be kicked */
	unsigned long kick;		/* members whose state just changed */
	bool dirty;			/* the map must be rebuilt */

	struct salua_mp_map __rcu *map;
	struct salua_sel_cursor __percpu *cursor;
	mempool_t *io_pool;

	spinlock_t rq_lock;
	struct list_head rq;		/* struct salua_mp_io waiting for a path */
	unsigned long timeout;		/* no-path timeout in jiffies */

	struct delayed_work work;	/* rebuild + requeue (salua_mp_io_wq) */
	struct delayed_work expire_work; /* no-path bound (salua_mp_io_wq) */
	struct delayed_work poll_work;	/* RTPG while bios wait (same) */
	struct delayed_work kick_work;	/* re-prepare held clones (same) */
	struct delayed_work remove_work; /* delayed removal (salua_mp_wq) */
	struct work_struct scan_work;	/* partition scan (salua_mp_wq) */

	atomic64_t requeued;		/* bios sent again after a path error */
	atomic64_t queued;		/* bios that waited for a path */
	atomic64_t nopath_failed;	/* bios failed: no path within the bound */
};

/* One bio of the head: the clone is re-initialised for every attempt. */
struct salua_mp_io {
	struct list_head node;
	struct bio *orig;
	struct salua_mp_head *head;
	struct salua_mp_path *path;
	unsigned long start;
	unsigned long acct;		/* bio_start_io_acct(), when stats */
	u64 issued_ns;			/* latency policy: clone sent, else 0 */
	unsigned int nbytes;
	unsigned int tries;
	bool waited;
	bool stats;
	struct bio clone;		/* last: struct bio ends in an array */
};

static DEFINE_MUTEX(salua_mp_mutex);
static LIST_HEAD(salua_mp_paths);
static LIST_HEAD(salua_mp_heads);
static DEFINE_IDA(salua_mp_ida);
static DECLARE_WAIT_QUEUE_HEAD(salua_mp_drain_wq);
static struct kmem_cache *salua_mp_io_cache;
static struct workqueue_struct *salua_mp_wq;	/* release, removal, scan */
/*
 * Probes one at a time: each handler attach then finds the engine idle,
 * and the engine asks through the new path (scsi_debug, for one, answers
 * RTPG with the asking port's groups only).
 */
static struct workqueue_struct *salua_mp_probe_wq;
static struct workqueue_struct *salua_mp_io_wq;	/* map, requeue (reclaim) */
static bool salua_mp_registered;

static u64 salua_mp_now(void)
{
	return jiffies64_to_msecs(get_jiffies_64());
}

static unsigned int salua_mp_distance(void *ctx, unsigned int from,
				      unsigned int to)
{
	return (unsigned int)node_distance((int)from, (int)to);
}

/* ---- the map ---- */

static struct salua_mp_map *salua_mp_map_alloc(gfp_t gfp)
{
	struct salua_mp_map *m;

	m = kzalloc(struct_size(m, numa, nr_node_ids), gfp);
	if (m)
		salua_sel_map_init(&m->m, m->slot, SALUA_MP_MAX, m->numa,
				   nr_node_ids);
	return m;
}

/*
 * Build and publish a new map from the selector.  Process context;
 * serialised by the LU lock (two rebuilders publish two successive maps).
 * Returns false when no memory was available (the old map stays).
 */
static bool salua_mp_publish(struct salua_mp_head *h)
{
	struct salua_mp_map *nm, *old;
	unsigned long flags, delay = 0;
	bool arm = false;
	u64 now;

	nm = salua_mp_map_alloc(GFP_NOIO);
	if (!nm) {
		/* Try again shortly; the old map stays in force. */
		mod_delayed_work(salua_mp_io_wq, &h->work, HZ / 100);
		return false;
	}
	salua_lu_lock(h->lu, &flags);
	now = salua_mp_now();
	h->dirty = false;
	salua_sel_build(&h->sel, &nm->m, now);
	memcpy(nm->path, h->member, sizeof(nm->path));
	old = rcu_replace_pointer(h->map, nm, true);
	if (!nm->m.n && nm->m.verdict == SALUA_SEL_QUEUE &&
	    h->sel.cfg.queue_ms) {
		u64 end = h->sel.since_ms + h->sel.cfg.queue_ms;

		arm = true;
		if (end > now)
			delay = msecs_to_jiffies((unsigned int)min_t(u64,
						 end - now, UINT_MAX));
	}
	salua_lu_unlock(h->lu, flags);
	pr_debug("%s: map %u: %u paths (class %u), %s\n",
		 h->disk ? h->disk->disk_name : "?", nm->m.gen, nm->m.n,
		 nm->m.cls, nm->m.n ? "-" :
		 nm->m.verdict == SALUA_SEL_QUEUE ? "queue" : "fail");
	kfree_rcu(old, rcu);
	if (arm)
		mod_delayed_work(salua_mp_io_wq, &h->expire_work, delay + 1);
	else
		cancel_delayed_work(&h->expire_work);
	return true;
}

/* Publish, then let the work send what waits through the new map. */
static void salua_mp_rebuild(struct salua_mp_head *h)
{
	if (salua_mp_publish(h))
		mod_delayed_work(salua_mp_io_wq, &h->work, 0);
}

/* Under the LU lock: the map must change; the work rebuilds it. */
static void salua_mp_dirty_locked(struct salua_mp_head *h)
{
	h->dirty = true;
	mod_delayed_work(salua_mp_io_wq, &h->work, 0);
}

/* ---- the I/O path ---- */

/* The context goes back to the pool before the bio completes. */
static void salua_mp_io_end(struct salua_mp_io *io, blk_status_t st)
{
	struct bio *orig = io->orig;
	unsigned long acct = io->acct;
	bool stats = io->stats;

	mempool_free(io, io->head->io_pool);
	if (stats)
		bio_end_io_acct(orig, acct);
	orig->bi_status = st;
	bio_endio(orig);
}

/* May @io wait (longer) for a path?  Within the no-path timeout. */
static bool salua_mp_io_expired(const struct salua_mp_head *h,
				const struct salua_mp_io *io)
{
	return !h->timeout || time_after(jiffies, io->start + h->timeout);
}

/*
 * May @io be sent again after a path error?  Within the timeout, and in
 * any case once per possible path (a zero timeout still fails over).
 */
static bool salua_mp_io_retry(const struct salua_mp_head *h,
			      const struct salua_mp_io *io)
{
	return io->tries < SALUA_MP_MAX || !salua_mp_io_expired(h, io);
}

static void salua_mp_path_put_io(struct salua_mp_path *p, unsigned int nbytes)
{
	atomic64_sub(nbytes, &p->inflight_bytes);
	/* After this the path may be freed (its release waits for zero). */
	if (atomic_dec_and_test(&p->inflight) &&
	    wq_has_sleeper(&salua_mp_drain_wq))
		wake_up_all(&salua_mp_drain_wq);
}

/* Per-path load snapshot for the policies that read it (<= 16 paths). */
static int salua_mp_pick(struct salua_mp_head *h,
			 const struct salua_mp_map *map, unsigned int nbytes)
{
	const struct salua_sel_map *m = &map->m;
	u32 ios[SALUA_MP_MAX];
	u64 bytes[SALUA_MP_MAX];
	u32 lat[SALUA_MP_MAX];
	struct salua_sel_load load = { .ios = ios, .bytes = bytes };
	struct salua_sel_cursor *cur;
	unsigned int k, i;
	int r;

	switch (m->policy) {
	case SALUA_SEL_NUMA:
		return salua_sel_pick_numa(m, (unsigned int)numa_node_id());
	case SALUA_SEL_FAILOVER:
		return salua_sel_pick_failover(m);
	case SALUA_SEL_QUEUE_DEPTH:
		for (k = 0; k < m->n; k++) {
			i = m->slot[k].path;
			ios[i] = (u32)atomic_read(&map->path[i]->inflight);
		}
		break;
	case SALUA_SEL_SERVICE_TIME:
		for (k = 0; k < m->n; k++) {
			i = m->slot[k].path;
			bytes[i] = (u64)atomic64_read(
				&map->path[i]->inflight_bytes);
		}
		break;
	case SALUA_SEL_LATENCY:
		/*
		 * The core's two-candidate choice, (in-flight + 1) x average,
		 * on the live averages; the rotation itself is unweighted (no
		 * wheel storage in the map).
		 */
		for (k = 0; k < m->n; k++) {
			i = m->slot[k].path;
			ios[i] = (u32)atomic_read(&map->path[i]->inflight);
			lat[i] = READ_ONCE(map->path[i]->lat_us);
		}
		load.lat = lat;
		break;
	default:
		break;
	}
	cur = get_cpu_ptr(h->cursor);
	r = salua_sel_pick(m, cur, (unsigned int)numa_node_id(), &load, nbytes);
	put_cpu_ptr(h->cursor);
	return r;
}

static void salua_mp_clone_end(struct bio *clone);

static void salua_mp_issue(struct salua_mp_io *io, struct salua_mp_path *p)
{
	io->path = p;
	io->tries++;
	if (bio_init_clone(p->bdev.bdev, &io->clone, io->orig, GFP_NOIO)) {
		unsigned int nbytes = io->nbytes;

		salua_mp_io_end(io, BLK_STS_RESOURCE);
		salua_mp_path_put_io(p, nbytes);
		return;
	}
	/*
	 * Path trouble comes back here at once, to be retried through the
	 * map: no mid-layer retries of timeouts or retryable sense on this
	 * path, and the handler's prep fails a transitioning path instead of
	 * sending the clone into 04/0A (UNIT ATTENTIONs are still retried
	 * below; a clone that met 04/0A is kicked, SALUA_MP_KICK_MS).
	 */
	io->clone.bi_opf |= REQ_FAILFAST_DEV | REQ_FAILFAST_TRANSPORT;
	io->clone.bi_end_io = salua_mp_clone_end;
	io->clone.bi_private = io;
	atomic64_inc(&p->ios);
	submit_bio_noacct(&io->clone);
}

static void salua_mp_dispatch(struct salua_mp_head *h, struct salua_mp_io *io)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 5);
	struct salua_mp_map *map;
	struct salua_mp_path *p;
	unsigned long flags;
	int idx;

	rcu_read_lock();
	if (unlikely(READ_ONCE(h->dying))) {
		rcu_read_unlock();
		salua_mp_io_end(io, BLK_STS_IOERR);
		return;
	}
	map = rcu_dereference(h->map);
	idx = salua_mp_pick(h, map, io->nbytes);
	if (likely(idx >= 0) && map->path[idx]) {
		p = map->path[idx];
		atomic_inc(&p->inflight);
		atomic64_add(io->nbytes, &p->inflight_bytes);
		io->issued_ns = map->m.policy == SALUA_SEL_LATENCY ?
				ktime_get_ns() : 0;
		rcu_read_unlock();
		salua_mp_issue(io, p);
		return;
	}
	if (idx != SALUA_SEL_FAIL && !salua_mp_io_expired(h, io)) {
		if (!io->waited) {
			io->waited = true;
			atomic64_inc(&h->queued);
		}
		spin_lock_irqsave(&h->rq_lock, flags);
		list_add_tail(&io->node, &h->rq);
		spin_unlock_irqrestore(&h->rq_lock, flags);
		/*
		 * The work publishes a map before it takes the list: if a new
		 * map appeared since our pick, that run may have missed us.
		 */
		if (rcu_dereference(h->map) != map)
			mod_delayed_work(salua_mp_io_wq, &h->work, 0);
		else if (!delayed_work_pending(&h->poll_work))
			queue_delayed_work(salua_mp_io_wq, &h->poll_work, 0);
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();
	atomic64_inc(&h->nopath_failed);
	if (__ratelimit(&rs))
		pr_warn("%s: no usable path within %u s: failing I/O\n",
			h->disk->disk_name, jiffies_to_msecs(h->timeout) / 1000);
	salua_mp_io_end(io, BLK_STS_IOERR);
}

/* Take the path out of the selector for a back-off; ask for an RTPG. */
static void salua_mp_path_failed(struct salua_mp_head *h,
				 struct salua_mp_path *p, blk_status_t st)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 10);
	unsigned int ms = 0;
	unsigned long flags;

	salua_lu_lock(h->lu, &flags);
	if (h->member[p->slot] == p && !test_bit(p->slot, &h->failed)) {
		__set_bit(p->slot, &h->failed);
		salua_sel_set_enabled(&h->sel, p->slot, false);
		salua_mp_dirty_locked(h);
		ms = p->backoff_ms;
		p->backoff_ms = min(ms * 2, SALUA_MP_BACKOFF_MAX_MS);
		mod_delayed_work(salua_mp_io_wq, &p->retry_work,
				 msecs_to_jiffies(ms));
		salua_lu_rescan_locked(h->lu);
	}
	salua_lu_unlock(h->lu, flags);
	if (ms && __ratelimit(&rs))
		pr_info("%s: path %s failed (status %d), I/O goes on through the others; back in %u ms or on a usable ALUA state\n",
			h->disk->disk_name, p->name, blk_status_to_errno(st), ms);
}

static void salua_mp_requeue(struct salua_mp_head *h, struct salua_mp_io *io)
{
	unsigned long flags;

	atomic64_inc(&h->requeued);
	spin_lock_irqsave(&h->rq_lock, flags);
	list_add_tail(&io->node, &h->rq);
	spin_unlock_irqrestore(&h->rq_lock, flags);
	mod_delayed_work(salua_mp_io_wq, &h->work, 0);
}

/* Completion context (softirq or hardirq). */
static void salua_mp_clone_end(struct bio *clone)
{
	struct salua_mp_io *io = clone->bi_private;
	struct salua_mp_path *p = io->path;
	struct salua_mp_head *h = io->head;
	blk_status_t st = clone->bi_status;
	unsigned int nbytes = io->nbytes;

	bio_uninit(clone);
	if (unlikely(st)) {
		atomic64_inc(&p->errors);
		if (blk_path_error(st)) {
			salua_mp_path_failed(h, p, st);
			if (salua_mp_io_retry(h, io)) {
				salua_mp_requeue(h, io);
				goto put;
			}
		}
	} else {
		if (io->issued_ns) {
			/* A lost update between two completions is harmless. */
			u64 us = div_u64(ktime_get_ns() - io->issued_ns, 1000);

			WRITE_ONCE(p->lat_us, salua_sel_lat_ewma(
				READ_ONCE(p->lat_us), (u32)min_t(u64, us, U32_MAX)));
		}
		if (unlikely(READ_ONCE(p->backoff_ms) !=
			     SALUA_MP_BACKOFF_MIN_MS))
			WRITE_ONCE(p->backoff_ms, SALUA_MP_BACKOFF_MIN_MS);
	}
	salua_mp_io_end(io, st);
put:
	/*
	 * Last: a member with clones in flight keeps its head (and the
	 * pool) alive; once its count is zero both may go.
	 */
	salua_mp_path_put_io(p, nbytes);
}

static void salua_mp_submit_bio(struct bio *bio)
{
	struct salua_mp_head *h = bio->bi_bdev->bd_disk->private_data;
	struct salua_mp_io *io;

	io = mempool_alloc(h->io_pool, GFP_NOIO);
	io->orig = bio;
	io->head = h;
	io->path = NULL;
	io->start = jiffies;
	io->stats = blk_queue_io_stat(h->disk->queue);
	if (io->stats)
		io->acct = bio_start_io_acct(bio);
	io->nbytes = bio->bi_iter.bi_size;
	io->tries = 0;
	io->waited = false;
	INIT_LIST_HEAD(&io->node);
	salua_mp_dispatch(h, io);
}

static void salua_mp_run_queue(struct salua_mp_head *h)
{
	struct salua_mp_io *io, *n;
	unsigned long flags;
	LIST_HEAD(list);

	spin_lock_irqsave(&h->rq_lock, flags);
	list_splice_init(&h->rq, &list);
	spin_unlock_irqrestore(&h->rq_lock, flags);
	list_for_each_entry_safe(io, n, &list, node) {
		list_del_init(&io->node);
		salua_mp_dispatch(h, io);
	}
}

static void salua_mp_work(struct work_struct *work)
{
	struct salua_mp_head *h = container_of(to_delayed_work(work),
					       struct salua_mp_head, work);
	unsigned long flags;
	bool dirty;

	salua_lu_lock(h->lu, &flags);
	dirty = h->dirty;
	salua_lu_unlock(h->lu, flags);
	if (dirty && !salua_mp_publish(h))
		return;
	salua_mp_run_queue(h);
}

/* The no-path bound ran out: the rebuilt map fails what waits. */
static void salua_mp_expire_work(struct work_struct *work)
{
	struct salua_mp_head *h = container_of(to_delayed_work(work),
					       struct salua_mp_head,
					       expire_work);
	unsigned long flags;

	salua_lu_lock(h->lu, &flags);
	salua_sel_tick(&h->sel, salua_mp_now());
	salua_mp_dirty_locked(h);
	salua_lu_unlock(h->lu, flags);
}

/* Bios wait and no path serves: ask for an RTPG, again and again. */
static void salua_mp_poll_work(struct work_struct *work)
{
	struct salua_mp_head *h = container_of(to_delayed_work(work),
					       struct salua_mp_head, poll_work);
	unsigned int ms = SALUA_MP_WAIT_POLL_MS;
	unsigned long flags;
	bool waiting;

	spin_lock_irqsave(&h->rq_lock, flags);
	waiting = !list_empty(&h->rq);
	spin_unlock_irqrestore(&h->rq_lock, flags);
	rcu_read_lock();
	waiting = waiting && !rcu_dereference(h->map)->m.n;
	rcu_read_unlock();
	if (!waiting)
		return;
	pr_debug("%s: bios wait: rescan\n", h->disk->disk_name);
	salua_lu_lock(h->lu, &flags);
	salua_lu_rescan_locked(h->lu);
	if (h->sel.waiting &&
	    salua_mp_now() - h->sel.since_ms > SALUA_MP_WAIT_FAST_MS)
		ms = SALUA_MP_WAIT_SLOW_MS;
	salua_lu_unlock(h->lu, flags);
	queue_delayed_work(salua_mp_io_wq, &h->poll_work, msecs_to_jiffies(ms));
}

/* Can a path in this ALUA state serve I/O (the selector's classes)? */
static bool salua_mp_usable(u8 state)
{
	switch (state & SALUA_STATE_MASK) {
	case SALUA_STATE_AO:
	case SALUA_STATE_ANO:
	case SALUA_STATE_LBA_DEPENDENT:
		return true;
	default:
		return false;
	}
}

/* Re-prepare the clones the mid-layer holds (SALUA_MP_KICK_MS). */
static void salua_mp_kick_work(struct work_struct *work)
{
	struct salua_mp_head *h = container_of(to_delayed_work(work),
					       struct salua_mp_head, kick_work);
	unsigned long flags;
	unsigned int i;
	bool again = false;

	salua_lu_lock(h->lu, &flags);
	for (i = 0; i < SALUA_MP_MAX; i++) {
		struct salua_mp_path *p = h->member[i];
		bool held;

		if (!p || !test_bit(i, &h->kickable))
			continue;
		/*
		 * Clones on a path that cannot serve them now: some may sit
		 * in the requeue list for the mid-layer's second (an 04/0A
		 * that came after the state change we kicked for).
		 */
		held = atomic_read(&p->inflight) &&
		       (test_bit(i, &h->failed) ||
			!salua_mp_usable(h->spath[i].state));
		/* Under the LU lock: remove_dev has not let the queue go. */
		if (__test_and_clear_bit(i, &h->kick) || held)
			blk_mq_kick_requeue_list(bdev_get_queue(p->bdev.bdev));
		again |= held;
	}
	salua_lu_unlock(h->lu, flags);
	if (again)
		mod_delayed_work(salua_mp_io_wq, &h->kick_work,
				 msecs_to_jiffies(SALUA_MP_KICK_MS));
}

/* A failed path's back-off is over: offer it to the selector again. */
static void salua_mp_retry_work(struct work_struct *work)
{
	struct salua_mp_path *p = container_of(to_delayed_work(work),
					       struct salua_mp_path,
					       retry_work);
	struct salua_mp_head *h = READ_ONCE(p->head);
	unsigned long flags;

	if (!h)
		return;
	salua_lu_lock(h->lu, &flags);
	if (h->member[p->slot] == p && test_bit(p->slot, &h->failed)) {
		__clear_bit(p->slot, &h->failed);
		salua_sel_set_enabled(&h->sel, p->slot, true);
		salua_mp_dirty_locked(h);
	}
	salua_lu_unlock(h->lu, flags);
}

/* The LU's client callback: LU lock held, any context. */
static void salua_mp_lu_state(void *ctx, unsigned int slot, u8 state,
			      bool pref)
{
	struct salua_mp_head *h = ctx;
	bool usable = salua_mp_usable(state);

	if (slot >= SALUA_MP_MAX)
		return;
	if (salua_sel_set_state(&h->sel, slot, state, pref) > 0) {
		salua_mp_dirty_locked(h);
		/*
		 * After the completion that told us (it requeues its clone
		 * with the mid-layer's delay once check_sense has returned).
		 */
		__set_bit(slot, &h->kick);
		mod_delayed_work(salua_mp_io_wq, &h->kick_work, 1);
	}
	/* The engine says the path serves: no need to sit out a back-off. */
	if (usable && h->member[slot] && test_bit(slot, &h->failed)) {
		__clear_bit(slot, &h->failed);
		salua_sel_set_enabled(&h->sel, slot, true);
		salua_mp_dirty_locked(h);
	}
}

static const struct salua_lu_client_ops salua_mp_client = {
	.state = salua_mp_lu_state,
};

/* ---- block device operations ---- */

static int salua_mp_pr_refuse(struct block_device *bdev)
{
	pr_warn_ratelimited("%s: persistent reservations are refused on the multipath head: a registration belongs to one I_T nexus (path), and the head would spread it over several; reserve through dm-multipath with mpathpersist, or on a path\n",
			    bdev->bd_disk->disk_name);
	return -EOPNOTSUPP;
}

static int salua_mp_pr_register(struct block_device *bdev, u64 old_key,
				u64 new_key, u32 flags)
{
	return salua_mp_pr_refuse(bdev);
}

static int salua_mp_pr_reserve(struct block_device *bdev, u64 key,
			       enum pr_type type, u32 flags)
{
	return salua_mp_pr_refuse(bdev);
}

static int salua_mp_pr_release(struct block_device *bdev, u64 key,
			       enum pr_type type)
{
	return salua_mp_pr_refuse(bdev);
}

static int salua_mp_pr_preempt(struct block_device *bdev, u64 old, u64 new,
			       enum pr_type type, bool abort)
{
	return salua_mp_pr_refuse(bdev);
}

static int salua_mp_pr_clear(struct block_device *bdev, u64 key)
{
	return salua_mp_pr_refuse(bdev);
}

static const struct pr_ops salua_mp_pr_ops = {
	.pr_register = salua_mp_pr_register,
	.pr_reserve = salua_mp_pr_reserve,
	.pr_release = salua_mp_pr_release,
	.pr_preempt = salua_mp_pr_preempt,
	.pr_clear = salua_mp_pr_clear,
};

static int salua_mp_ioctl(struct block_device *bdev, salua_bmode_t mode,
			  unsigned int cmd, unsigned long arg)
{
	if (cmd == SG_IO || cmd == SCSI_IOCTL_SEND_COMMAND)
		pr_warn_ratelimited("%s: SCSI pass-through is not forwarded by the multipath head (a command such as PERSISTENT RESERVE OUT belongs to one path): address a path listed in /sys/block/%s/salua/paths\n",
				    bdev->bd_disk->disk_name,
				    bdev->bd_disk->disk_name);
	return -ENOTTY;
}

static void salua_mp_free_disk(struct gendisk *disk);

static const struct block_device_operations salua_mp_fops = {
	.owner = THIS_MODULE,
	.submit_bio = salua_mp_submit_bio,
	.ioctl = salua_mp_ioctl,
	.pr_ops = &salua_mp_pr_ops,
	.free_disk = salua_mp_free_disk,
};

/* ---- sysfs: /sys/block/saluaN/salua/ ---- */

static struct salua_mp_head *salua_mp_dev_head(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

static ssize_t iopolicy_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	struct salua_mp_head *h = salua_mp_dev_head(dev);
	unsigned long flags;
	unsigned int pol;

	salua_lu_lock(h->lu, &flags);
	pol = h->sel.cfg.policy;
	salua_lu_unlock(h->lu, flags);
	return sysfs_emit(buf, "%s\n", salua_sel_policy_name(pol));
}

static ssize_t iopolicy_store(struct device *dev, struct device_attribute *a,
			      const char *buf, size_t len)
{
	struct salua_mp_head *h = salua_mp_dev_head(dev);
	int pol = salua_mp_policy_parse(buf);
	unsigned long flags;

	if (pol < 0)
		return pol;
	salua_lu_lock(h->lu, &flags);
	if (salua_sel_set_policy(&h->sel, (unsigned int)pol) > 0)
		h->dirty = true;
	salua_lu_unlock(h->lu, flags);
	/* In force when the write returns. */
	salua_mp_rebuild(h);
	return (ssize_t)len;
}
static DEVICE_ATTR_RW(iopolicy);

static ssize_t lu_name_show(struct device *dev, struct device_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  salua_lu_name(salua_mp_dev_head(dev)->lu));
}
static DEVICE_ATTR_RO(lu_name);

/* One line per member, written by @line under the LU lock. */
static ssize_t salua_mp_show_members(struct device *dev, char *buf,
				     int (*line)(struct salua_mp_head *h,
						 unsigned int i, char *buf,
						 int len))
{
	struct salua_mp_head *h = salua_mp_dev_head(dev);
	unsigned long flags;
	unsigned int i;
	int len = 0;

	salua_lu_lock(h->lu, &flags);
	for (i = 0; i < SALUA_MP_MAX; i++)
		if (h->member[i])
			len += line(h, i, buf, len);
	salua_lu_unlock(h->lu, flags);
	return len;
}

/* H:C:T:L sdX ACCESS_STATE PREF */
static int salua_mp_path_line(struct salua_mp_head *h, unsigned int i,
			      char *buf, int len)
{
	const struct salua_mp_path *p = h->member[i];

	return sysfs_emit_at(buf, len, "%s %s %s %u\n", p->hctl, p->name,
			     salua_state_name(h->spath[i].state),
			     h->spath[i].pref);
}

static ssize_t paths_show(struct device *dev, struct device_attribute *a,
			  char *buf)
{
	return salua_mp_show_members(dev, buf, salua_mp_path_line);
}
static DEVICE_ATTR_RO(paths);

/* sdX ios errors inflight failed */
static int salua_mp_stats_line(struct salua_mp_head *h, unsigned int i,
			       char *buf, int len)
{
	struct salua_mp_path *p = h->member[i];

	return sysfs_emit_at(buf, len, "%s %lld %lld %d %d\n", p->name,
			     (long long)atomic64_read(&p->ios),
			     (long long)atomic64_read(&p->errors),
			     atomic_read(&p->inflight),
			     test_bit(i, &h->failed) ? 1 : 0);
}

static ssize_t path_stats_show(struct device *dev,
			       struct device_attribute *a, char *buf)
{
	return salua_mp_show_members(dev, buf, salua_mp_stats_line);
}
static DEVICE_ATTR_RO(path_stats);

static ssize_t stats_show(struct device *dev, struct device_attribute *a,
			  char *buf)
{
	struct salua_mp_head *h = salua_mp_dev_head(dev);

	return sysfs_emit(buf, "requeued %lld queued %lld nopath_failed %lld\n",
			  (long long)atomic64_read(&h->requeued),
			  (long long)atomic64_read(&h->queued),
			  (long long)atomic64_read(&h->nopath_failed));
}
static DEVICE_ATTR_RO(stats);

static void salua_mp_set_timeout_locked(struct salua_mp_head *h,
					unsigned int secs)
{
	/* The selector's bound: 0 there means "unbounded", here "fail". */
	h->sel.cfg.queue_ms = secs * 1000u;
	h->sel.cfg.nopath = secs ? SALUA_SEL_NOPATH_QUEUE : SALUA_SEL_NOPATH_FAIL;
	h->timeout = secs * (unsigned long)HZ;
}

static ssize_t no_path_timeout_show(struct device *dev,
				    struct device_attribute *a, char *buf)
{
	struct salua_mp_head *h = salua_mp_dev_head(dev);

	return sysfs_emit(buf, "%u\n",
			  jiffies_to_msecs(READ_ONCE(h->timeout)) / 1000u);
}

static ssize_t no_path_timeout_store(struct device *dev,
				     struct device_attribute *a,
				     const char *buf, size_t len)
{
	struct salua_mp_head *h = salua_mp_dev_head(dev);
	unsigned long flags;
	unsigned int secs;
	int r;

	r = kstrtouint(buf, 10, &secs);
	if (r)
		return r;
	if (secs > 86400)
		return -ERANGE;
	salua_lu_lock(h->lu, &flags);
	salua_mp_set_timeout_locked(h, secs);
	h->dirty = true;
	salua_lu_unlock(h->lu, flags);
	salua_mp_rebuild(h);
	return (ssize_t)len;
}
static DEVICE_ATTR_RW(no_path_timeout);

static struct attribute *salua_mp_attrs[] = {
	&dev_attr_iopolicy.attr,
	&dev_attr_lu_name.attr,
	&dev_attr_paths.attr,
	&dev_attr_path_stats.attr,
	&dev_attr_stats.attr,
	&dev_attr_no_path_timeout.attr,
	NULL,
};

static const struct attribute_group salua_mp_attr_group = {
	.name = "salua",
	.attrs = salua_mp_attrs,
};

static const struct attribute_group *salua_mp_attr_groups[] = {
	&salua_mp_attr_group,
	NULL,
};

/* ---- heads and members (salua_mp_mutex) ---- */

static struct salua_mp_head *salua_mp_head_of(struct salua_lu *lu)
{
	struct salua_mp_head *h;

	lockdep_assert_held(&salua_mp_mutex);
	list_for_each_entry(h, &salua_mp_heads, node)
		if (h->lu == lu)
			return h;
	return NULL;
}

static void salua_mp_free_disk(struct gendisk *disk)
{
	struct salua_mp_head *h = disk->private_data;

	mempool_destroy(h->io_pool);
	free_percpu(h->cursor);
	kfree(rcu_dereference_protected(h->map, true));
	if (h->index >= 0)
		ida_free(&salua_mp_ida, h->index);
	kfree(h);
}

static int salua_mp_path_node(const struct salua_mp_path *p)
{
	struct device *d = p->sdev->host->dma_dev;

	return d ? dev_to_node(d) : NUMA_NO_NODE;
}

/* Make @p a member (lu lock): selector slot on, its current state. */
static void salua_mp_publish_member(struct salua_mp_head *h,
				    struct salua_mp_path *p)
{
	int nd = salua_mp_path_node(p);
	unsigned long flags;
	bool pref = false;
	u8 state = SALUA_STATE_TRANSITIONING;

	salua_lu_lock(h->lu, &flags);
	salua_sel_set_node(&h->sel, p->slot, nd == NUMA_NO_NODE ?
			   SALUA_SEL_NO_NODE : (unsigned int)nd);
	h->member[p->slot] = p;
	WRITE_ONCE(p->head, h);
	__clear_bit(p->slot, &h->failed);
	if (salua_lu_state_locked(h->lu, p->slot, &state, &pref) != 1) {
		state = SALUA_STATE_TRANSITIONING;
		pref = false;
	}
	salua_sel_set_state(&h->sel, p->slot, state, pref);
	salua_sel_set_enabled(&h->sel, p->slot, true);
	__set_bit(p->slot, &h->kickable);
	h->dirty = true;
	salua_lu_unlock(h->lu, flags);
}

static bool salua_mp_name_clash(struct salua_mp_path *p,
				struct salua_mp_path *q)
{
	struct scsi_device *a = p->sdev, *b = q->sdev;

	/* One LU appears once per SCSI target: two LUNs means a shared id. */
	return a->host == b->host && a->channel == b->channel &&
	       a->id == b->id;
}

/*
 * Open @p's disk for head @h (exclusive, @h the holder); 0 or -errno:
 * -EBUSY when someone else holds it, -ENXIO / -ENODEV while sd is still
 * adding it (or already deleting it).
 */
static int salua_mp_open_member(struct salua_mp_head *h,
				struct salua_mp_path *p)
{
	int r = salua_bdev_open(&p->bdev, p->devt, h);

	if (r == -EBUSY && !p->busy_told) {
		p->busy_told = true;
		pr_warn("%s: %s is in use (mounted, or another holder): not a path of the head until it is free\n",
			salua_lu_name(p->lu), p->name);
	}
	else if (r && r != -ENXIO && r != -ENODEV)
		pr_warn("%s: cannot open %s (%d): not a path of the head\n",
			salua_lu_name(p->lu), p->name, r);
	return r;
}

/* A later path joins a live head. */
static int salua_mp_member_add(struct salua_mp_head *h,
			       struct salua_mp_path *p)
{
	struct request_queue *q;
	sector_t cap;
	int r;

	lockdep_assert_held(&salua_mp_mutex);
	if (h->member[p->slot])
		return -EBUSY;
	r = salua_mp_open_member(h, p);
	if (r)
		return r;
	q = bdev_get_queue(p->bdev.bdev);
	cap = bdev_nr_sectors(p->bdev.bdev);
	if (!salua_queue_fits(h->disk->queue, q) ||
	    cap < get_capacity(h->disk)) {
		pr_warn("%s: %s does not fit the head (block size, alignment, write cache or capacity %llu < %llu sectors): not a path\n",
			h->disk->disk_name, p->name, (unsigned long long)cap,
			(unsigned long long)get_capacity(h->disk));
		salua_bdev_close(&p->bdev);
		return -EINVAL;
	}
	if (bd_link_disk_holder(p->bdev.bdev, h->disk))
		pr_info("%s: no holder link for %s\n", h->disk->disk_name,
			p->name);
	salua_mp_publish_member(h, p);
	h->nmembers++;
	cancel_delayed_work(&h->remove_work);
	salua_mp_rebuild(h);
	pr_info("%s: path %s (%s) added, %u paths\n", h->disk->disk_name,
		p->name, p->hctl, h->nmembers);
	return 0;
}

static void salua_mp_scan_work(struct work_struct *work)
{
	struct salua_mp_head *h = container_of(work, struct salua_mp_head,
					       scan_work);

	if (!test_and_clear_bit(GD_SUPPRESS_PART_SCAN, &h->disk->state))
		return;
	mutex_lock(&h->disk->open_mutex);
	bdev_disk_changed(h->disk, false);
	mutex_unlock(&h->disk->open_mutex);
}

static void salua_mp_remove_work(struct work_struct *work);
static void salua_mp_probe_later(struct salua_mp_path *p, int r);

/*
 * A head for @lu over the ready paths @ps[0..n-1] (all of @lu, none a
 * member).  Paths whose disk cannot be held stay candidates; with mode
 * "on" the head needs two that can.
 */
static int salua_mp_head_create(struct salua_lu *lu, struct salua_mp_path **ps,
				unsigned int n)
{
	struct request_queue *qs[SALUA_MP_MAX];
	struct salua_mp_path *ok[SALUA_MP_MAX];
	struct salua_sel_cfg cfg = {};
	struct salua_mp_head *h;
	struct gendisk *disk;
	unsigned int i, m = 0, need;
	sector_t cap = 0;
	int r, node = NUMA_NO_NODE, busy = 0;

	lockdep_assert_held(&salua_mp_mutex);
	need = salua_mp_mode == SALUA_MP_ALWAYS ? 1 : 2;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->index = -1;
	h->lu = lu;
	INIT_LIST_HEAD(&h->node);
	INIT_LIST_HEAD(&h->rq);
	spin_lock_init(&h->rq_lock);
	INIT_DELAYED_WORK(&h->work, salua_mp_work);
	INIT_DELAYED_WORK(&h->expire_work, salua_mp_expire_work);
	INIT_DELAYED_WORK(&h->poll_work, salua_mp_poll_work);
	INIT_DELAYED_WORK(&h->kick_work, salua_mp_kick_work);
	INIT_DELAYED_WORK(&h->remove_work, salua_mp_remove_work);
	INIT_WORK(&h->scan_work, salua_mp_scan_work);
	atomic64_set(&h->requeued, 0);
	atomic64_set(&h->queued, 0);
	atomic64_set(&h->nopath_failed, 0);

	for (i = 0; i < n && m < SALUA_MP_MAX; i++) {
		r = salua_mp_open_member(h, ps[i]);
		if (r) {
			/* In use: wait long; not added yet: try again soon. */
			if (!busy || r != -EBUSY)
				busy = r;
			salua_mp_probe_later(ps[i], r);
			continue;
		}
		ok[m] = ps[i];
		qs[m] = bdev_get_queue(ps[i]->bdev.bdev);
		if (!m || bdev_nr_sectors(ps[i]->bdev.bdev) < cap)
			cap = bdev_nr_sectors(ps[i]->bdev.bdev);
		m++;
	}
	r = busy == -EBUSY ? -EBUSY : -EAGAIN;
	if (m < need)
		goto out_close;

	r = -ENOMEM;
	h->cursor = alloc_percpu(struct salua_sel_cursor);
	h->io_pool = mempool_create_slab_pool(SALUA_MP_IO_POOL,
					      salua_mp_io_cache);
	RCU_INIT_POINTER(h->map, salua_mp_map_alloc(GFP_KERNEL));
	if (!h->cursor || !h->io_pool || !rcu_access_pointer(h->map))
		goto out_free;
	r = ida_alloc(&salua_mp_ida, GFP_KERNEL);
	if (r < 0)
		goto out_free;
	h->index = r;

	cfg.policy = (u8)READ_ONCE(salua_mp_policy);
	cfg.lbd = SALUA_SEL_LBD_LAST;
	cfg.failback = SALUA_SEL_FAILBACK_IMMEDIATE;
	cfg.nnodes = (u16)nr_node_ids;
	cfg.distance_fn = salua_mp_distance;
	r = salua_sel_init(&h->sel, &cfg, h->spath, SALUA_MP_MAX);
	if (r) {
		r = -EINVAL;
		goto out_free;
	}
	for (i = 0; i < SALUA_MP_MAX; i++)
		salua_sel_set_enabled(&h->sel, i, false);
	salua_mp_set_timeout_locked(h, min(READ_ONCE(no_path_timeout), 86400u));
	node = salua_mp_path_node(ok[0]);

	r = -ENOMEM;
	disk = salua_alloc_stacked_disk(qs, m, node);
	if (!disk)
		goto out_free;
	h->disk = disk;
	disk->fops = &salua_mp_fops;
	disk->private_data = h;
	snprintf(disk->disk_name, DISK_NAME_LEN, "salua%d", h->index);
	/* No partition scan inside add_disk: it would wait for a path here. */
	set_bit(GD_SUPPRESS_PART_SCAN, &disk->state);
	set_capacity(disk, cap);
	/* From here the disk owns h: free_disk frees it. */

	r = salua_lu_bind(lu, &salua_mp_client, h);
	if (r)
		goto out_put_disk;
	salua_lu_get(lu);
	for (i = 0; i < m; i++)
		salua_mp_publish_member(h, ok[i]);
	h->nmembers = m;
	salua_mp_rebuild(h);

	r = device_add_disk(NULL, disk, salua_mp_attr_groups);
	if (r)
		goto out_unbind;
	h->live = true;
	for (i = 0; i < m; i++)
		if (bd_link_disk_holder(ok[i]->bdev.bdev, disk))
			pr_info("%s: no holder link for %s\n",
				disk->disk_name, ok[i]->name);
	list_add_tail(&h->node, &salua_mp_heads);
	queue_work(salua_mp_wq, &h->scan_work);
	pr_info("%s: multipath head for LU %s, %u paths, iopolicy %s, no_path_timeout %u s\n",
		disk->disk_name, salua_lu_name(lu), m,
		salua_sel_policy_name(h->sel.cfg.policy),
		jiffies_to_msecs(h->timeout) / 1000);
	return 0;

out_unbind:
	salua_lu_unbind(lu);
	salua_lu_put(lu);
	for (i = 0; i < m; i++) {
		ok[i]->head = NULL;
		salua_bdev_close(&ok[i]->bdev);
	}
	cancel_delayed_work_sync(&h->work);
	cancel_delayed_work_sync(&h->expire_work);
	cancel_delayed_work_sync(&h->poll_work);
	cancel_delayed_work_sync(&h->kick_work);
	put_disk(disk);
	return r;
out_put_disk:
	for (i = 0; i < m; i++)
		salua_bdev_close(&ok[i]->bdev);
	put_disk(disk);
	return r;
out_free:
	mempool_destroy(h->io_pool);
	free_percpu(h->cursor);
	kfree(rcu_dereference_protected(h->map, true));
	if (h->index >= 0)
		ida_free(&salua_mp_ida, h->index);
out_close:
	for (i = 0; i < m; i++)
		salua_bdev_close(&ok[i]->bdev);
	kfree(h);
	return r;
}

/* No member left and the delay over: delete the head (salua_mp_mutex). */
static void salua_mp_head_destroy(struct salua_mp_head *h)
{
	struct salua_mp_io *io, *n;
	unsigned long flags;
	LIST_HEAD(list);

	lockdep_assert_held(&salua_mp_mutex);
	list_del_init(&h->node);
	WRITE_ONCE(h->dying, true);
	/* No state callback, no rebuild after this. */
	salua_lu_unbind(h->lu);
	/* Every dispatch that saw !dying has queued its bio by now. */
	synchronize_rcu();
	cancel_delayed_work_sync(&h->expire_work);
	cancel_delayed_work_sync(&h->work);
	cancel_delayed_work_sync(&h->poll_work);
	cancel_delayed_work_sync(&h->kick_work);
	spin_lock_irqsave(&h->rq_lock, flags);
	list_splice_init(&h->rq, &list);
	spin_unlock_irqrestore(&h->rq_lock, flags);
	list_for_each_entry_safe(io, n, &list, node) {
		list_del_init(&io->node);
		atomic64_inc(&h->nopath_failed);
		salua_mp_io_end(io, BLK_STS_IOERR);
	}
	cancel_work_sync(&h->scan_work);
	pr_info("%s: no path to LU %s: head removed\n", h->disk->disk_name,
		salua_lu_name(h->lu));
	del_gendisk(h->disk);
	salua_lu_put(h->lu);
	put_disk(h->disk);
}

static void salua_mp_remove_work(struct work_struct *work)
{
	struct salua_mp_head *h = container_of(to_delayed_work(work),
					       struct salua_mp_head,
					       remove_work);

	mutex_lock(&salua_mp_mutex);
	if (h->nmembers || h->unlisted) {
		mutex_unlock(&salua_mp_mutex);
		return;
	}
	if (h->releasing) {
		/* A member is still draining its clones. */
		queue_delayed_work(salua_mp_wq, &h->remove_work, HZ / 10);
		mutex_unlock(&salua_mp_mutex);
		return;
	}
	salua_mp_head_destroy(h);
	mutex_unlock(&salua_mp_mutex);
}

/* ---- paths: discovery and removal ---- */

struct salua_mp_found {
	dev_t devt;
	char name[BDEVNAME_SIZE];
};

/* The sd disk of a scsi_device: its child device of class "block". */
static int salua_mp_find_disk(struct device *dev, void *data)
{
	struct salua_mp_found *f = data;

	if (dev->class && !strcmp(dev->class->name, "block") && dev->devt) {
		f->devt = dev->devt;
		strscpy(f->name, dev_name(dev), sizeof(f->name));
		return 1;
	}
	return 0;
}

/*
 * A path that could not join now (its disk in use: -EBUSY; still being
 * added by sd: -EAGAIN, -ENXIO, -ENODEV) probes again later.
 */
static void salua_mp_probe_later(struct salua_mp_path *p, int r)
{
	if (r == -EBUSY)
		p->probe_ms = SALUA_MP_PROBE_MAX_MS;
	else if (r == -EAGAIN || r == -ENXIO || r == -ENODEV)
		p->probe_ms = min(p->probe_ms * 2, SALUA_MP_PROBE_MAX_MS);
	else
		return;
	queue_delayed_work(salua_mp_probe_wq, &p->probe_work,
			   msecs_to_jiffies(p->probe_ms));
}

/* A ready path: join the LU's head, or create it when it is time. */
static void salua_mp_place(struct salua_mp_path *p)
{
	struct salua_mp_path *ps[SALUA_MP_MAX], *q;
	struct salua_mp_head *h;
	unsigned int n = 0;
	int r;

	lockdep_assert_held(&salua_mp_mutex);
	list_for_each_entry(q, &salua_mp_paths, node) {
		if (q != p && q->ready && q->lu == p->lu &&
		    salua_mp_name_clash(p, q)) {
			pr_warn("%s and %s (one SCSI target) report the same LU name %s: it is not unique, no multipath for it\n",
				p->hctl, q->hctl, salua_lu_name(p->lu));
			return;
		}
	}
	h = salua_mp_head_of(p->lu);
	if (h) {
		r = salua_mp_member_add(h, p);
	} else {
		list_for_each_entry(q, &salua_mp_paths, node)
			if (q->ready && !q->gone && !q->head &&
			    q->lu == p->lu && n < SALUA_MP_MAX)
				ps[n++] = q;
		/* Mode on: the LU's second path creates it. */
		if (n < (salua_mp_mode == SALUA_MP_ALWAYS ? 1u : 2u))
			return;
		/* Each path that could not be opened probes again itself. */
		salua_mp_head_create(p->lu, ps, n);
		return;
	}
	salua_mp_probe_later(p, r);
}

/*
 * multipath=always, a disk without ALUA: the head makes it a plain path
 * of its LU itself (no handler, no engine; always active/optimized).
 */
static void salua_mp_join_plain(struct salua_mp_path *p)
{
	struct salua_lu_ident *id;
	struct salua_lu *lu;
	unsigned int slot;

	id = kmalloc(sizeof(*id), GFP_KERNEL);
	if (!id)
		return;
	if (salua_lu_identify(p->sdev, id, false) || !id->name[0]) {
		sdev_printk(KERN_INFO, p->sdev,
			    "salua: no LU name in VPD page 0x83: not a multipath path\n");
		kfree(id);
		return;
	}
	lu = salua_lu_join(p->sdev, id, &slot);
	kfree(id);
	if (IS_ERR(lu))
		return;
	mutex_lock(&salua_mp_mutex);
	p->lu = lu;
	p->slot = slot;
	p->plain = true;
	mutex_unlock(&salua_mp_mutex);
}

static void salua_mp_probe_work(struct work_struct *work)
{
	struct salua_mp_path *p = container_of(to_delayed_work(work),
					       struct salua_mp_path,
					       probe_work);
	struct scsi_device *sdev = p->sdev;
	struct salua_mp_found f = {};
	struct salua_lu *lu;
	unsigned int slot;
	int r;

	if (READ_ONCE(p->gone) || p->head)
		return;
	if (!p->lu) {
		if (!sdev->handler) {
			/* The per-path ALUA hook: sense, prep, rescan. */
			r = scsi_dh_attach(sdev->request_queue, "salua");
			if (r == -ENODEV && salua_mp_mode == SALUA_MP_ALWAYS) {
				salua_mp_join_plain(p);
				goto disk;
			}
			if (r == -ENODEV) {
				sdev_printk(KERN_INFO, sdev,
					    "salua: no ALUA: not a multipath path\n");
				return;
			}
			if (r && r != -EBUSY) {
				sdev_printk(KERN_INFO, sdev,
					    "salua: handler attach failed (%d): not a multipath path\n",
					    r);
				return;
			}
		}
		lu = salua_lu_get_sdev(sdev, &slot);
		if (!lu) {
			sdev_printk(KERN_INFO, sdev,
				    "salua: device handler %s attached: native multipath needs salua\n",
				    sdev->handler ? sdev->handler->name : "?");
			return;
		}
		if (!salua_lu_shared(lu)) {
			sdev_printk(KERN_INFO, sdev,
				    "salua: no LU name in VPD page 0x83: not a multipath path\n");
			salua_lu_put(lu);
			return;
		}
		mutex_lock(&salua_mp_mutex);
		p->lu = lu;
		p->slot = slot;
		mutex_unlock(&salua_mp_mutex);
	}
disk:
	if (!p->lu)
		return;
	/* sd probes asynchronously: its disk may not exist yet. */
	device_for_each_child(&sdev->sdev_gendev, &f, salua_mp_find_disk);
	if (!f.devt) {
		queue_delayed_work(salua_mp_probe_wq, &p->probe_work,
				   msecs_to_jiffies(p->probe_ms));
		p->probe_ms = min(p->probe_ms * 2, SALUA_MP_PROBE_MAX_MS);
		return;
	}
	mutex_lock(&salua_mp_mutex);
	if (!p->gone && !p->head) {
		p->devt = f.devt;
		strscpy(p->name, f.name, sizeof(p->name));
		p->ready = true;
		salua_mp_place(p);
	}
	mutex_unlock(&salua_mp_mutex);
}

static void salua_mp_release_work(struct work_struct *work)
{
	struct salua_mp_path *p = container_of(work, struct salua_mp_path,
					       release_work);
	struct salua_mp_head *h;
	unsigned long flags;

	cancel_delayed_work_sync(&p->probe_work);
	mutex_lock(&salua_mp_mutex);
	h = p->head;
	if (h) {
		salua_lu_lock(h->lu, &flags);
		h->member[p->slot] = NULL;
		__clear_bit(p->slot, &h->failed);
		__clear_bit(p->slot, &h->kickable);
		salua_sel_set_enabled(&h->sel, p->slot, false);
		h->dirty = true;
		salua_lu_unlock(h->lu, flags);
		salua_mp_rebuild(h);
		h->nmembers--;
		h->releasing++;
		pr_info("%s: path %s (%s) removed, %u paths left\n",
			h->disk->disk_name, p->name, p->hctl, h->nmembers);
		if (!h->nmembers)
			queue_delayed_work(salua_mp_wq, &h->remove_work,
					   h->timeout);
	}
	mutex_unlock(&salua_mp_mutex);
	if (h) {
		/* No pick reaches p after this; then wait for its clones. */
		synchronize_rcu();
		cancel_delayed_work_sync(&p->retry_work);
		wait_event(salua_mp_drain_wq, !atomic_read(&p->inflight));
		bd_unlink_disk_holder(p->bdev.bdev, h->disk);
		salua_bdev_close(&p->bdev);
		mutex_lock(&salua_mp_mutex);
		h->releasing--;
		mutex_unlock(&salua_mp_mutex);
	}
	if (p->plain)
		salua_lu_leave(p->lu, p->slot, p->sdev);
	else if (p->lu)
		salua_lu_put(p->lu);
	put_device(&p->sdev->sdev_gendev);
	kfree(p);
}

static int salua_mp_add_dev(SALUA_CLASS_INTF_ARGS)
{
	struct scsi_device *sdev = to_scsi_device(dev->parent);
	struct salua_mp_path *p;

	if (sdev->type != TYPE_DISK)
		return 0;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (!get_device(&sdev->sdev_gendev)) {
		kfree(p);
		return -ENODEV;
	}
	p->sdev = sdev;
	p->probe_ms = SALUA_MP_PROBE_MIN_MS;
	p->backoff_ms = SALUA_MP_BACKOFF_MIN_MS;
	atomic_set(&p->inflight, 0);
	atomic64_set(&p->inflight_bytes, 0);
	atomic64_set(&p->ios, 0);
	atomic64_set(&p->errors, 0);
	INIT_DELAYED_WORK(&p->probe_work, salua_mp_probe_work);
	INIT_DELAYED_WORK(&p->retry_work, salua_mp_retry_work);
	INIT_WORK(&p->release_work, salua_mp_release_work);
	snprintf(p->hctl, sizeof(p->hctl), "%u:%u:%u:%llu",
		 sdev->host->host_no, sdev->channel, sdev->id,
		 (unsigned long long)sdev->lun);
	strscpy(p->name, "?", sizeof(p->name));
	mutex_lock(&salua_mp_mutex);
	list_add_tail(&p->node, &salua_mp_paths);
	mutex_unlock(&salua_mp_mutex);
	queue_delayed_work(salua_mp_probe_wq, &p->probe_work, 0);
	return 0;
}

static void salua_mp_remove_dev(SALUA_CLASS_INTF_ARGS)
{
	struct scsi_device *sdev = to_scsi_device(dev->parent);
	struct salua_mp_path *p, *found = NULL;

	mutex_lock(&salua_mp_mutex);
	list_for_each_entry(p, &salua_mp_paths, node) {
		if (p->sdev == sdev && !p->gone) {
			found = p;
			break;
		}
	}
	if (found) {
		found->gone = true;
		found->ready = false;
		list_del_init(&found->node);
		if (found->head) {
			struct salua_mp_head *h = found->head;
			unsigned long flags;

			/* The mid-layer destroys the queue after we return. */
			salua_lu_lock(h->lu, &flags);
			__clear_bit(found->slot, &h->kickable);
			salua_lu_unlock(h->lu, flags);
		}
		queue_work(salua_mp_wq, &found->release_work);
	}
	mutex_unlock(&salua_mp_mutex);
}

static struct class_interface salua_mp_interface = {
	.add_dev = salua_mp_add_dev,
	.remove_dev = salua_mp_remove_dev,
};

int salua_mpath_init(void)
{
	int r;

	if (salua_mp_mode == SALUA_MP_OFF)
		return 0;
	if (!SALUA_HAVE_MPATH) {
		pr_warn("multipath=%s: native multipath is built for 6.1 and 6.11+ kernels only; device handler only\n",
			salua_mp_modes[salua_mp_mode]);
		return 0;
	}
	salua_mp_io_cache = KMEM_CACHE(salua_mp_io, 0);
	salua_mp_wq = alloc_workqueue("salua_mp", 0, 0);
	salua_mp_probe_wq = alloc_ordered_workqueue("salua_mp_probe", 0);
	/* Map, requeue, polls: latency is failover time, so high priority. */
	salua_mp_io_wq = alloc_workqueue("salua_mp_io",
					 WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!salua_mp_io_cache || !salua_mp_wq || !salua_mp_probe_wq ||
	    !salua_mp_io_wq) {
		r = -ENOMEM;
		goto out;
	}
	r = scsi_register_interface(&salua_mp_interface);
	if (r)
		goto out;
	salua_mp_registered = true;
	pr_info("native multipath %s (iopolicy %s, no_path_timeout %u s)\n",
		salua_mp_modes[salua_mp_mode],
		salua_sel_policy_name((unsigned int)salua_mp_policy),
		no_path_timeout);
	return 0;
out:
	if (salua_mp_io_wq)
		destroy_workqueue(salua_mp_io_wq);
	if (salua_mp_probe_wq)
		destroy_workqueue(salua_mp_probe_wq);
	if (salua_mp_wq)
		destroy_workqueue(salua_mp_wq);
	kmem_cache_destroy(salua_mp_io_cache);
	return r;
}

void salua_mpath_exit(void)
{
	struct salua_mp_head *h, *n;
	LIST_HEAD(heads);

	if (!salua_mp_registered)
		return;
	/* remove_dev for every device: each path is released. */
	scsi_unregister_interface(&salua_mp_interface);
	flush_workqueue(salua_mp_wq);
	/* Taken first: a remove_work that runs now leaves them to us. */
	mutex_lock(&salua_mp_mutex);
	list_for_each_entry(h, &salua_mp_heads, node)
		h->unlisted = true;
	list_splice_init(&salua_mp_heads, &heads);
	mutex_unlock(&salua_mp_mutex);
	list_for_each_entry_safe(h, n, &heads, node) {
		cancel_delayed_work_sync(&h->remove_work);
		mutex_lock(&salua_mp_mutex);
		salua_mp_head_destroy(h);
		mutex_unlock(&salua_mp_mutex);
	}
	destroy_workqueue(salua_mp_probe_wq);
	destroy_workqueue(salua_mp_wq);
	destroy_workqueue(salua_mp_io_wq);
	kmem_cache_destroy(salua_mp_io_cache);
	salua_mp_registered = false;
}
