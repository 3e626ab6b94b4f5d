/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_loop.h - the host's event loop: one clock, timers, and the
 * transports' file descriptors and deadlines.
 *
 * The clock is injectable: a real loop reads CLOCK_MONOTONIC and sleeps in
 * poll(); a fake loop keeps its own time and jumps straight to the next
 * event, so a test or a fuzzer runs minutes of failover in microseconds,
 * deterministically; a scaled loop keeps its own time too, but lets it
 * run at N times real time (a simulated array watched at 10x), moving
 * from event to event so that a process that falls behind catches up
 * through the same sequence of events an idle machine would show.  Everything the host does happens in calls made
 * from salua_loop_run*(): timer callbacks and transport completions.
 *
 * Single-threaded: every call on a loop and on the objects driven by it
 * comes from one thread.
 *
 * User space (POSIX poll), C99.
 */
#ifndef SALUA_LOOP_H
#define SALUA_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "salua_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

struct salua_loop;
struct salua_timer;

typedef void (*salua_timer_fn)(struct salua_timer *t);

/**
 * struct salua_timer - a one-shot timer (caller storage).
 * @at_us: when it fires (valid while armed).
 * @fn: called once when it fires; may re-arm it.
 * @arg: for @fn.
 * @slot: loop-private (0 = not armed).
 */
struct salua_timer {
	uint64_t at_us;
	salua_timer_fn fn;
	void *arg;
	unsigned slot;
};

/**
 * salua_loop_new() - a loop.
 * @fake: true: a fake clock starting at @start_us that only moves when
 *	the loop jumps to the next event or salua_loop_set_time() is
 *	called; false: CLOCK_MONOTONIC (@start_us ignored).
 * @start_us: the fake clock's start (use >= 1000000 so that no deadline
 *	computed from it is 0).
 *
 * Return: the loop, or NULL when out of memory.
 */
struct salua_loop *salua_loop_new(bool fake, uint64_t start_us);

/**
 * salua_loop_new_scaled() - a loop whose clock runs @speed times faster
 *	than CLOCK_MONOTONIC, starting at 1 s; it never passes an event
 *	without handling it.  @speed 1 is real time with that guarantee.
 * @speed: 1..1000000.
 *
 * Return: the loop, or NULL.
 */
struct salua_loop *salua_loop_new_scaled(unsigned speed);

/* Free the loop (timers and transports stay the caller's). */
void salua_loop_free(struct salua_loop *l);

/* The loop's clock, for transports that need time. */
const struct salua_clock *salua_loop_clock(struct salua_loop *l);

/* Current time in microseconds. */
uint64_t salua_loop_now(struct salua_loop *l);

/* True for a fake clock (scaled clocks are not fake: they wait). */
bool salua_loop_fake(const struct salua_loop *l);

/* Fake clock only: move time forward to @t_us (never back). */
void salua_loop_set_time(struct salua_loop *l, uint64_t t_us);

/* Prepare a timer (not armed). */
void salua_timer_init(struct salua_timer *t, salua_timer_fn fn, void *arg);

/* Arm (or re-arm) @t for @at_us.  Return: 0 or -ENOMEM. */
int salua_timer_arm(struct salua_loop *l, struct salua_timer *t,
		    uint64_t at_us);

/* Disarm @t (no effect when not armed). */
void salua_timer_cancel(struct salua_loop *l, struct salua_timer *t);

/* True while armed. */
static inline bool salua_timer_armed(const struct salua_timer *t)
{
	return t->slot != 0;
}

/**
 * salua_loop_add_transport() - drive a transport's fd and deadline.
 * @l: loop.
 * @t: transport (copied; its ctx must stay valid until removed).
 *
 * Transports with neither fd, deadline nor service (synchronous ones)
 * need not be added.
 *
 * Return: 0 or -ENOMEM.
 */
int salua_loop_add_transport(struct salua_loop *l,
			     const struct salua_transport *t);

/* Stop driving the transport whose ctx is @ctx. */
void salua_loop_remove_transport(struct salua_loop *l, const void *ctx);

/**
 * salua_loop_run_once() - handle what is due, or wait for the next event.
 * @l: loop.
 * @until_us: never wait past this time.
 *
 * Fires due timers and services due or ready transports.  If nothing was
 * due: waits (real clock: poll(); fake clock: jumps) until the next timer,
 * transport deadline, fd event or @until_us, whichever is first.
 *
 * Return: events handled (> 0), 0 after a wait, or -1 when nothing can
 * ever happen (no timer, no deadline, no fd) and @until_us is UINT64_MAX.
 */
int salua_loop_run_once(struct salua_loop *l, uint64_t until_us);

/**
 * salua_loop_run_until() - run until the clock reaches @t_us.
 * @l: loop.
 * @t_us: end time.
 *
 * Return: 0, or -1 if the loop went idle for good (only with a fake clock
 * and @t_us UINT64_MAX).
 */
int salua_loop_run_until(struct salua_loop *l, uint64_t t_us);

/**
 * salua_loop_run_while() - run while @cond returns true, at most until
 *	@t_us.
 * @l: loop.
 * @cond: checked before each step.
 * @ctx: for @cond.
 * @t_us: deadline.
 *
 * Return: 1 when @cond became false, 0 at the deadline, -1 when idle for
 * good.
 */
int salua_loop_run_while(struct salua_loop *l, bool (*cond)(void *ctx),
			 void *ctx, uint64_t t_us);

#ifdef __cplusplus
}
#endif

#endif /* SALUA_LOOP_H */
