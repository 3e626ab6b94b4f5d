/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * salua_kcompat.h - the block-layer and driver-model calls whose form
 * differs between the kernels the module supports (Debian 12's 6.1 and
 * bookworm-backports' 6.12), each guarded by the version that changed it.
 * Nothing here decides anything: one spelling per kernel.
 */
#ifndef SALUA_KCOMPAT_H
#define SALUA_KCOMPAT_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/fs.h>

/*
 * The native multipath head is built where its block-layer calls are
 * known and tested: 6.1 (Debian 12) and 6.11+ (6.12 from backports).  In
 * between, bdev opening and queue limits changed shape three times; there
 * the module is the device handler alone and multipath= says so.
 */
#if (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0) && \
     LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)) || \
	LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define SALUA_HAVE_MPATH 1
#else
#define SALUA_HAVE_MPATH 0
#endif
#define SALUA_NEW_BLOCK (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0))

/*
 * Open mode of block_device_operations (6.5: blk_mode_t replaces
 * fmode_t in open/release/ioctl; release loses its mode).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
typedef blk_mode_t salua_bmode_t;
#define SALUA_OPEN_ARGS struct gendisk *disk, blk_mode_t mode
#define SALUA_OPEN_DISK(d) (d)
#define SALUA_RELEASE_ARGS struct gendisk *disk
#else
typedef fmode_t salua_bmode_t;
#define SALUA_OPEN_ARGS struct block_device *bdev, fmode_t mode
#define SALUA_OPEN_DISK(b) ((b)->bd_disk)
#define SALUA_RELEASE_ARGS struct gendisk *disk, fmode_t mode
#endif

/* class_interface add_dev/remove_dev (6.4: the interface argument went). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define SALUA_CLASS_INTF_ARGS struct device *dev
#else
#define SALUA_CLASS_INTF_ARGS struct device *dev, struct class_interface *intf
#endif

/**
 * struct salua_bdev - a block device held open exclusively.
 * @bdev: the device.
 * @file: 6.11+: the open file that holds it.
 */
struct salua_bdev {
	struct block_device *bdev;
#if SALUA_NEW_BLOCK
	struct file *file;
#endif
};

/*
 * Read + write, exclusive with @holder: mounts, dm, md and other
 * exclusive openers get -EBUSY.  The new kernels also asks to refuse every other
 * writer (BLK_OPEN_RESTRICT_WRITES), which the kernel enforces when booted
 * with bdev_allow_write_mounted=0.
 */
static inline int salua_bdev_open(struct salua_bdev *b, dev_t devt,
				  void *holder)
{
#if SALUA_NEW_BLOCK
	struct file *f = bdev_file_open_by_dev(devt, BLK_OPEN_READ |
					       BLK_OPEN_WRITE |
					       BLK_OPEN_RESTRICT_WRITES,
					       holder, NULL);

	if (IS_ERR(f))
		return PTR_ERR(f);
	b->file = f;
	b->bdev = file_bdev(f);
	return 0;
#else
	struct block_device *bdev = blkdev_get_by_dev(devt, FMODE_READ |
						      FMODE_WRITE | FMODE_EXCL,
						      holder);

	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	b->bdev = bdev;
	return 0;
#endif
}

static inline void salua_bdev_close(struct salua_bdev *b)
{
#if SALUA_NEW_BLOCK
	bdev_fput(b->file);
#else
	blkdev_put(b->bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
#endif
	b->bdev = NULL;
}

/*
 * A bio-based disk whose limits are stacked from its members' queues
 * (@q[0..n-1]): 6.11+ takes the limits at allocation; 6.1 sets them on the
 * queue before add_disk (as dm does).  Neither NOWAIT nor POLL: the submit
 * path may sleep in a mempool and polls nothing.  Write cache and FUA are
 * inherited so flushes reach the paths; I/O statistics are on (iostat).
 */
static inline struct gendisk *salua_alloc_stacked_disk(
	struct request_queue *const *q, unsigned int n, int node)
{
	struct gendisk *disk;
	unsigned int i;
#if SALUA_NEW_BLOCK
	struct queue_limits lim;

	blk_set_stacking_limits(&lim);
	for (i = 0; i < n; i++)
		blk_stack_limits(&lim, &q[i]->limits, 0);
	lim.features &= ~(BLK_FEAT_NOWAIT | BLK_FEAT_POLL);
	lim.features |= BLK_FEAT_IO_STAT;
	disk = blk_alloc_disk(&lim, node);
	return IS_ERR(disk) ? NULL : disk;
#else
	bool wc = false, fua = false, nonrot = true;

	disk = blk_alloc_disk(node);
	if (!disk)
		return NULL;
	blk_set_stacking_limits(&disk->queue->limits);
	for (i = 0; i < n; i++) {
		blk_stack_limits(&disk->queue->limits, &q[i]->limits, 0);
		wc |= test_bit(QUEUE_FLAG_WC, &q[i]->queue_flags);
		fua |= test_bit(QUEUE_FLAG_FUA, &q[i]->queue_flags);
		nonrot &= blk_queue_nonrot(q[i]);
	}
	blk_queue_write_cache(disk->queue, wc, fua);
	blk_queue_flag_set(QUEUE_FLAG_IO_STAT, disk->queue);
	if (nonrot)
		blk_queue_flag_set(QUEUE_FLAG_NONROT, disk->queue);
	return disk;
#endif
}

/* Does a later member's queue fit a head built from others? */
static inline bool salua_queue_fits(struct request_queue *head,
				    struct request_queue *q)
{
	if (queue_logical_block_size(q) > queue_logical_block_size(head))
		return false;
	if (queue_dma_alignment(q) > queue_dma_alignment(head))
		return false;
	/* A write cache the head does not know of would never be flushed. */
#if SALUA_NEW_BLOCK
	if ((q->limits.features & BLK_FEAT_WRITE_CACHE) &&
	    !(head->limits.features & BLK_FEAT_WRITE_CACHE))
		return false;
#else
	if (test_bit(QUEUE_FLAG_WC, &q->queue_flags) &&
	    !test_bit(QUEUE_FLAG_WC, &head->queue_flags))
		return false;
#endif
	return true;
}

#endif /* SALUA_KCOMPAT_H */
