/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua_loop.c - clock, timers and transport polling (see salua_loop.h). */
#include "salua_loop.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct salua_loop {
	struct salua_clock clock;
	bool fake;
	unsigned speed;         /* scaled: fake_now follows real time x speed */
	uint64_t real_base;     /* scaled: real time at the start */
	uint64_t fake_now;
	/* timers: a binary min-heap on at_us (ties: arming order) */
	struct salua_timer **heap;
	uint64_t *heap_seq;
	unsigned nheap, heap_cap;
	uint64_t seq;
	/* transports */
	struct salua_transport *src;
	unsigned nsrc, src_cap;
	struct pollfd *pfd;
	unsigned *pidx;
};

static uint64_t real_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t fake_now(void *ctx)
{
	return ((struct salua_loop *)ctx)->fake_now;
}

struct salua_loop *salua_loop_new(bool fake, uint64_t start_us)
{
	struct salua_loop *l = (struct salua_loop *)calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->fake = fake;
	l->fake_now = start_us;
	l->clock.now_us = fake ? fake_now : real_now;
	l->clock.ctx = l;
	return l;
}

struct salua_loop *salua_loop_new_scaled(unsigned speed)
{
	struct salua_loop *l;

	if (!speed || speed > 1000000u)
		return NULL;
	l = salua_loop_new(true, 1000000u);
	if (!l)
		return NULL;
	l->fake = false;
	l->speed = speed;
	l->real_base = real_now(NULL);
	return l;
}

/* Scaled: the time real time allows now. */
static uint64_t scaled_target(const struct salua_loop *l)
{
	return 1000000u + (real_now(NULL) - l->real_base) * l->speed;
}

void salua_loop_free(struct salua_loop *l)
{
	unsigned i;

	if (!l)
		return;
	for (i = 0; i < l->nheap; i++)
		l->heap[i]->slot = 0;
	free(l->heap);
	free(l->heap_seq);
	free(l->src);
	free(l->pfd);
	free(l->pidx);
	free(l);
}

const struct salua_clock *salua_loop_clock(struct salua_loop *l)
{
	return &l->clock;
}

uint64_t salua_loop_now(struct salua_loop *l)
{
	return l->clock.now_us(l->clock.ctx);
}

bool salua_loop_fake(const struct salua_loop *l)
{
	return l->fake;
}

void salua_loop_set_time(struct salua_loop *l, uint64_t t_us)
{
	if (l->fake && t_us > l->fake_now)
		l->fake_now = t_us;
}

void salua_timer_init(struct salua_timer *t, salua_timer_fn fn, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->arg = arg;
}

/* ---- heap --------------------------------------------------------- */

static bool before(const struct salua_loop *l, unsigned a, unsigned b)
{
	return l->heap[a]->at_us < l->heap[b]->at_us ||
	       (l->heap[a]->at_us == l->heap[b]->at_us &&
		l->heap_seq[a] < l->heap_seq[b]);
}

static void swap(struct salua_loop *l, unsigned a, unsigned b)
{
	struct salua_timer *t = l->heap[a];
	uint64_t s = l->heap_seq[a];

	l->heap[a] = l->heap[b];
	l->heap_seq[a] = l->heap_seq[b];
	l->heap[b] = t;
	l->heap_seq[b] = s;
	l->heap[a]->slot = a + 1u;
	l->heap[b]->slot = b + 1u;
}

static void sift_up(struct salua_loop *l, unsigned i)
{
	while (i && before(l, i, (i - 1u) / 2u)) {
		swap(l, i, (i - 1u) / 2u);
		i = (i - 1u) / 2u;
	}
}

static void sift_down(struct salua_loop *l, unsigned i)
{
	for (;;) {
		unsigned c = 2u * i + 1u, m = i;

		if (c < l->nheap && before(l, c, m))
			m = c;
		if (c + 1u < l->nheap && before(l, c + 1u, m))
			m = c + 1u;
		if (m == i)
			return;
		swap(l, i, m);
		i = m;
	}
}

static void heap_remove(struct salua_loop *l, unsigned i)
{
	l->heap[i]->slot = 0;
	l->nheap--;
	if (i == l->nheap)
		return;
	l->heap[i] = l->heap[l->nheap];
	l->heap_seq[i] = l->heap_seq[l->nheap];
	l->heap[i]->slot = i + 1u;
	sift_down(l, i);
	sift_up(l, i);
}

int salua_timer_arm(struct salua_loop *l, struct salua_timer *t,
		    uint64_t at_us)
{
	if (t->slot)
		heap_remove(l, t->slot - 1u);
	if (l->nheap == l->heap_cap) {
		unsigned cap = l->heap_cap ? 2u * l->heap_cap : 64u;
		struct salua_timer **h = (struct salua_timer **)realloc(
			l->heap, cap * sizeof(*h));
		uint64_t *s;

		if (!h)
			return -ENOMEM;
		l->heap = h;
		s = (uint64_t *)realloc(l->heap_seq, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		l->heap_seq = s;
		l->heap_cap = cap;
	}
	t->at_us = at_us;
	l->heap[l->nheap] = t;
	l->heap_seq[l->nheap] = ++l->seq;
	t->slot = ++l->nheap;
	sift_up(l, l->nheap - 1u);
	return 0;
}

void salua_timer_cancel(struct salua_loop *l, struct salua_timer *t)
{
	if (t && t->slot)
		heap_remove(l, t->slot - 1u);
}

/* ---- transports --------------------------------------------------- */

int salua_loop_add_transport(struct salua_loop *l,
			     const struct salua_transport *t)
{
	if (!t->ops->service)
		return 0;
	if (l->nsrc == l->src_cap) {
		unsigned cap = l->src_cap ? 2u * l->src_cap : 16u;
		struct salua_transport *s = (struct salua_transport *)realloc(
			l->src, cap * sizeof(*s));
		struct pollfd *p;
		unsigned *pi;

		if (!s)
			return -ENOMEM;
		l->src = s;
		p = (struct pollfd *)realloc(l->pfd, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		l->pfd = p;
		pi = (unsigned *)realloc(l->pidx, cap * sizeof(*pi));
		if (!pi)
			return -ENOMEM;
		l->pidx = pi;
		l->src_cap = cap;
	}
	l->src[l->nsrc++] = *t;
	return 0;
}

void salua_loop_remove_transport(struct salua_loop *l, const void *ctx)
{
	unsigned i;

	for (i = 0; i < l->nsrc; i++) {
		if (l->src[i].ctx == ctx) {
			memmove(&l->src[i], &l->src[i + 1],
				(l->nsrc - i - 1u) * sizeof(l->src[0]));
			l->nsrc--;
			return;
		}
	}
}

/* ---- running ------------------------------------------------------ */

/* Fire due timers and service due transports; return how many. */
static int run_due(struct salua_loop *l)
{
	uint64_t now = salua_loop_now(l), seq = l->seq;
	unsigned i;
	int n = 0;

	/* Timers armed while firing wait for the next round (no livelock). */
	while (l->nheap && l->heap[0]->at_us <= now && l->heap_seq[0] <= seq) {
		struct salua_timer *t = l->heap[0];

		heap_remove(l, 0);
		t->fn(t);
		n++;
	}
	for (i = 0; i < l->nsrc; i++) {
		const struct salua_transport *t = &l->src[i];

		if (salua_xport_deadline(t) <= now) {
			t->ops->service(t->ctx, 0);
			n++;
		}
	}
	return n;
}

static uint64_t next_event(struct salua_loop *l)
{
	uint64_t next = l->nheap ? l->heap[0]->at_us : UINT64_MAX;
	unsigned i;

	for (i = 0; i < l->nsrc; i++) {
		uint64_t d = salua_xport_deadline(&l->src[i]);

		if (d < next)
			next = d;
	}
	return next;
}

int salua_loop_run_once(struct salua_loop *l, uint64_t until_us)
{
	uint64_t now, next;
	unsigned i, np = 0;
	int n = run_due(l), rc, wait_ms;

	if (n)
		return n;
	now = salua_loop_now(l);
	next = next_event(l);
	if (until_us < next)
		next = until_us;
	if (l->fake) {
		/* A fake loop has no fds to wait on: answers come by time. */
		if (next == UINT64_MAX)
			return -1;
		if (next > l->fake_now)
			l->fake_now = next;
		return 0;
	}
	if (l->speed) {
		uint64_t target = scaled_target(l);

		/* Behind real time: jump to the next event, no further. */
		if (next != UINT64_MAX && next <= target) {
			if (next > l->fake_now)
				l->fake_now = next;
			return 0;
		}
		/* Wait in real time for what is left, then move on as far
		 * as real time allows (never past the event). */
		now = target;
	}
	for (i = 0; i < l->nsrc; i++) {
		int fd = salua_xport_fd(&l->src[i]);

		if (fd < 0)
			continue;
		l->pfd[np].fd = fd;
		l->pfd[np].events = l->src[i].ops->events
					    ? l->src[i].ops->events(l->src[i].ctx)
					    : POLLIN;
		l->pfd[np].revents = 0;
		l->pidx[np++] = i;
	}
	if (next == UINT64_MAX && !np)
		return -1;
	if (next == UINT64_MAX)
		wait_ms = -1;
	else if (next <= now)
		wait_ms = 0;
	else if ((next - now + 999u) / 1000u > (uint64_t)INT_MAX)
		wait_ms = INT_MAX;
	else
		wait_ms = (int)((next - now + 999u) / 1000u);
	if (l->speed && next != UINT64_MAX) {
		uint64_t us = (next - now) / l->speed + 1u;

		if (!np) {
			/* Nothing to poll: sleep to the microsecond. */
			struct timespec ts;

			ts.tv_sec = (time_t)(us / 1000000u);
			ts.tv_nsec = (long)(us % 1000000u) * 1000L;
			nanosleep(&ts, NULL);
			wait_ms = -2;
		} else {
			wait_ms = us / 1000u >= (uint64_t)INT_MAX
					  ? INT_MAX
					  : (int)(us / 1000u) + 1;
		}
	}
	rc = wait_ms == -2 ? 0 : poll(l->pfd, np, wait_ms);
	if (l->speed) {
		uint64_t target = scaled_target(l);

		if (target > next)
			target = next;
		if (target > l->fake_now)
			l->fake_now = target;
	}
	if (rc <= 0)
		return 0;
	n = 0;
	for (i = 0; i < np; i++) {
		unsigned k = l->pidx[i];

		if (l->pfd[i].revents && k < l->nsrc) {
			l->src[k].ops->service(l->src[k].ctx, l->pfd[i].revents);
			n++;
		}
	}
	return n;
}

int salua_loop_run_until(struct salua_loop *l, uint64_t t_us)
{
	while (salua_loop_now(l) < t_us)
		if (salua_loop_run_once(l, t_us) < 0)
			return -1;
	/* What is due exactly at the end runs too. */
	while (run_due(l) > 0)
		;
	return 0;
}

int salua_loop_run_while(struct salua_loop *l, bool (*cond)(void *ctx),
			 void *ctx, uint64_t t_us)
{
	while (cond(ctx)) {
		if (salua_loop_now(l) >= t_us)
			return 0;
		if (salua_loop_run_once(l, t_us) < 0)
			return -1;
	}
	return 1;
}
