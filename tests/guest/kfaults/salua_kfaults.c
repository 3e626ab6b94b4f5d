// SPDX-License-Identifier: GPL-2.0-only
/*
 * salua_kfaults - a deliberately broken module, for tests only (never
 * part of the shipped handler).  Loading it with fault=NAME commits one
 * bug so guest.debug_detectors@debug can check that the guest harness
 * notices each class of report of the debug kernel
 * (scripts/debug-kernel.config, tests/guest/kernel-reports.sh):
 *
 *   lockdep  AB-BA order on two mutexes        -> lockdep circular dependency
 *   sleep    GFP_KERNEL allocation under a spinlock
 *                                              -> sleeping function called from
 *                                                 invalid context
 *   odebug   kfree() of an armed timer         -> ODEBUG free active
 *   list     the same entry list_add()ed twice -> list_add double add
 *   hang     TASK_UNINTERRUPTIBLE for hang_secs -> hung task (the guest
 *                                                 lowers hung_task_timeout_secs)
 *   leak     8 x kmalloc(leak_size) never freed -> kmemleak, attributed here
 *   kfence   read after free of a KFENCE-sampled object -> KFENCE use-after-free
 *   kasan    read after free of a slab object  -> KASAN use-after-free
 *
 * Each fault runs from a normal (not __init) function so its frames still
 * resolve to this module after the init text is freed.  The load
 * succeeds, so the module stays loaded until rmmod.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/delay.h>
#include <linux/kfence.h>
#include <linux/string.h>

static char *fault = "";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "lockdep|sleep|odebug|list|hang|leak|kfence|kasan");
static unsigned int hang_secs = 6;
module_param(hang_secs, uint, 0444);
static unsigned int leak_size = 1234;
module_param(leak_size, uint, 0444);

static DEFINE_MUTEX(kf_a);
static DEFINE_MUTEX(kf_b);
static DEFINE_SPINLOCK(kf_lock);
static void *kf_sink;

static noinline void kf_lockdep(void)
{
	mutex_lock(&kf_a);
	mutex_lock(&kf_b);
	mutex_unlock(&kf_b);
	mutex_unlock(&kf_a);
	mutex_lock(&kf_b);
	mutex_lock(&kf_a);	/* B then A: the reverse order */
	mutex_unlock(&kf_a);
	mutex_unlock(&kf_b);
}

static noinline void kf_sleep(void)
{
	void *p;

	spin_lock(&kf_lock);
	p = kmalloc(16, GFP_KERNEL);	/* may sleep: not under a spinlock */
	spin_unlock(&kf_lock);
	kfree(p);
}

struct kf_timer {
	struct timer_list t;
};

static void kf_timer_fn(struct timer_list *t)
{
}

static noinline void kf_odebug(void)
{
	struct kf_timer *k = kzalloc(sizeof(*k), GFP_KERNEL);

	if (!k)
		return;
	timer_setup(&k->t, kf_timer_fn, 0);
	mod_timer(&k->t, jiffies + 60 * HZ);
	kfree(k);	/* still armed: debugobjects fixes it up and warns */
}

static noinline void kf_list(void)
{
	LIST_HEAD(head);
	struct list_head e;

	list_add(&e, &head);
	list_add(&e, &head);	/* refused and reported by DEBUG_LIST */
}

static noinline void kf_hang(void)
{
	schedule_timeout_uninterruptible(hang_secs * HZ);
}

/*
 * Several objects: a stale copy of the last pointer may survive in this
 * task's (cached, scanned) stack and hide that one from kmemleak.
 */
static noinline void kf_leak(void)
{
	int i;

	for (i = 0; i < 8; i++) {
		void *p = kmalloc(leak_size, GFP_KERNEL);

		OPTIMIZER_HIDE_VAR(p);
		if (p)
			memset(p, 0x5a, leak_size);
		/* the only pointer is dropped here */
	}
}

/* A freed object read back: KFENCE when sampled, else KASAN. */
static noinline int kf_uaf(bool want_kfence)
{
	unsigned long end = jiffies + 30 * HZ;
	char *p;

	do {
		p = kmalloc(32, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		if (is_kfence_address(p) == want_kfence)
			break;
		kfree(p);
		p = NULL;
		if (want_kfence)
			schedule_timeout_uninterruptible(1);
	} while (time_before(jiffies, end));
	if (!p)
		return -EAGAIN;
	kfree(p);
	OPTIMIZER_HIDE_VAR(p);
	kf_sink = (void *)(unsigned long)READ_ONCE(p[8]);
	return 0;
}

static int __init kf_init(void)
{
	if (!strcmp(fault, "lockdep"))
		kf_lockdep();
	else if (!strcmp(fault, "sleep"))
		kf_sleep();
	else if (!strcmp(fault, "odebug"))
		kf_odebug();
	else if (!strcmp(fault, "list"))
		kf_list();
	else if (!strcmp(fault, "hang"))
		kf_hang();
	else if (!strcmp(fault, "leak"))
		kf_leak();
	else if (!strcmp(fault, "kfence"))
		return kf_uaf(true);
	else if (!strcmp(fault, "kasan"))
		return kf_uaf(false);
	else if (fault[0])
		return -EINVAL;
	return 0;
}

static void __exit kf_exit(void)
{
}

module_init(kf_init);
module_exit(kf_exit);
MODULE_DESCRIPTION("salua test only: commits one bug per load for the debug-kernel detector test");
MODULE_LICENSE("GPL");
