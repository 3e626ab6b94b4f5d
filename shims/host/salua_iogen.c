/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua_iogen.c - verified I/O load through a LU (see salua_iogen.h). */
#include "salua_iogen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR_LEN 32u
static const uint8_t magic[8] = { 'S', 'A', 'L', 'U', 'A', 'I', 'O', '1' };

struct unit {
	uint32_t gen;    /* last generation written (0: never) */
	uint32_t alt;    /* with @uncertain: the generation that may be there */
	bool uncertain;
	bool busy;
};

#define RETRY_PAUSE_US 100000u /* after an error, before this slot goes on */

struct slot {
	struct salua_lu_io io;
	struct salua_timer tm;
	struct salua_iogen *g;
	uint8_t cdb[10];
	uint8_t *buf;
	uint32_t unit;
	uint32_t gen;
	bool write;
	bool busy;
};

struct salua_iogen {
	struct salua_lu *lu;
	struct salua_iogen_cfg cfg;
	struct salua_iogen_stats st;
	struct unit *u;
	uint32_t nunits;
	uint32_t unit_blocks;
	struct slot *slots;
	uint32_t gen;
	uint32_t rnd;
	uint32_t fill_next;    /* verify: units written in the first pass */
	uint64_t issued;
	unsigned inflight;
	unsigned pausing;      /* slots waiting after an error */
	bool started, stopped;
	uint64_t last_done_us;
};

static uint32_t xs(uint32_t *s)
{
	uint32_t x = *s ? *s : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static void put64(uint8_t *p, uint64_t v)
{
	salua_put_be32(p, (uint32_t)(v >> 32));
	salua_put_be32(p + 4, (uint32_t)v);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)salua_get_be32(p) << 32 | salua_get_be32(p + 4);
}

/* The body of block @lba at generation @gen, after its header. */
static void body(uint8_t *b, uint32_t bsz, uint64_t lba, uint32_t gen,
		 uint32_t seed)
{
	uint32_t s = (uint32_t)lba * 2654435761u ^ gen * 40503u ^ seed, i;

	for (i = HDR_LEN; i + 4u <= bsz; i += 4u)
		salua_put_be32(b + i, xs(&s));
}

static void fill_block(uint8_t *b, uint32_t bsz, uint64_t lba, uint32_t gen,
		       uint32_t seed)
{
	memset(b, 0, HDR_LEN);
	memcpy(b, magic, sizeof(magic));
	put64(b + 8, lba);
	salua_put_be32(b + 16, gen);
	salua_put_be32(b + 20, seed);
	body(b, bsz, lba, gen, seed);
}

/* Does block @b hold block @lba at generation @gen intact? */
static bool block_is(const uint8_t *b, uint8_t *scratch, uint32_t bsz,
		     uint64_t lba, uint32_t gen, uint32_t seed)
{
	fill_block(scratch, bsz, lba, gen, seed);
	return memcmp(b, scratch, bsz) == 0;
}

static void pause_end(struct salua_timer *t);

struct salua_iogen *salua_iogen_new(struct salua_lu *lu,
				    const struct salua_iogen_cfg *cfg)
{
	struct salua_iogen *g;
	unsigned i, np;

	if (!lu || !cfg)
		return NULL;
	g = (struct salua_iogen *)calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->lu = lu;
	g->cfg = *cfg;
	if (!g->cfg.block_size)
		g->cfg.block_size = 512u;
	if (!g->cfg.bs)
		g->cfg.bs = 4096u;
	if (!g->cfg.iodepth)
		g->cfg.iodepth = 8u;
	if (!g->cfg.blocks)
		g->cfg.blocks = 2048u;
	if (g->cfg.block_size < HDR_LEN + 4u || g->cfg.bs % g->cfg.block_size ||
	    g->cfg.rw > SALUA_IOGEN_VERIFY)
		goto fail;
	g->unit_blocks = g->cfg.bs / g->cfg.block_size;
	if (g->unit_blocks > 0xffffu)
		goto fail;
	g->nunits = g->cfg.blocks / g->unit_blocks;
	if (!g->nunits)
		goto fail;
	/* More I/Os than units could not all find a free unit. */
	if (g->cfg.iodepth > g->nunits)
		g->cfg.iodepth = g->nunits;
	g->rnd = g->cfg.seed ? g->cfg.seed : 1u;
	g->u = (struct unit *)calloc(g->nunits, sizeof(*g->u));
	g->slots = (struct slot *)calloc(g->cfg.iodepth, sizeof(*g->slots));
	np = salua_lu_npaths(lu);
	g->st.npaths = np;
	g->st.path_ios = (uint64_t *)calloc(np ? np : 1u, sizeof(uint64_t));
	if (!g->u || !g->slots || !g->st.path_ios)
		goto fail;
	for (i = 0; i < g->cfg.iodepth; i++) {
		/* The I/O buffer, then a block of scratch for comparisons. */
		g->slots[i].buf = (uint8_t *)malloc(g->cfg.bs + g->cfg.block_size);
		if (!g->slots[i].buf)
			goto fail;
		g->slots[i].g = g;
		salua_timer_init(&g->slots[i].tm, pause_end, &g->slots[i]);
	}
	return g;
fail:
	salua_iogen_free(g);
	return NULL;
}

void salua_iogen_free(struct salua_iogen *g)
{
	unsigned i;

	if (!g)
		return;
	for (i = 0; g->slots && i < g->cfg.iodepth; i++)
		free(g->slots[i].buf);
	free(g->slots);
	free(g->u);
	free(g->st.path_ios);
	free(g);
}

const char *salua_iogen_rw_name(unsigned rw)
{
	switch (rw) {
	case SALUA_IOGEN_READ: return "read";
	case SALUA_IOGEN_WRITE: return "write";
	case SALUA_IOGEN_VERIFY: return "verify";
	default: return NULL;
	}
}

static bool want_more(const struct salua_iogen *g, uint64_t now)
{
	if (g->stopped)
		return false;
	if (g->cfg.max_ios && g->issued >= g->cfg.max_ios)
		return false;
	if (g->cfg.duration_us && now - g->st.start_us >= g->cfg.duration_us)
		return false;
	return true;
}

/* A free unit: the first pass of verify in order, else at random. */
static bool pick_unit(struct salua_iogen *g, uint32_t *out)
{
	uint32_t k, u;

	if (g->cfg.rw == SALUA_IOGEN_VERIFY && g->fill_next < g->nunits) {
		for (u = g->fill_next; u < g->nunits && g->u[u].busy; u++)
			;
		if (u < g->nunits) {
			if (u == g->fill_next)
				g->fill_next++;
			*out = u;
			return true;
		}
	}
	for (k = 0; k < 64u; k++) {
		u = xs(&g->rnd) % g->nunits;
		if (!g->u[u].busy) {
			*out = u;
			return true;
		}
	}
	for (u = 0; u < g->nunits; u++)
		if (!g->u[u].busy) {
			*out = u;
			return true;
		}
	return false;
}

static void io_done(struct salua_lu_io *io);

static bool issue(struct salua_iogen *g, struct slot *s)
{
	uint32_t u, i, bsz = g->cfg.block_size;
	uint64_t lba;
	bool w;

	if (!pick_unit(g, &u))
		return false;
	switch (g->cfg.rw) {
	case SALUA_IOGEN_READ:
		w = false;
		break;
	case SALUA_IOGEN_WRITE:
		w = true;
		break;
	default:
		/* Unwritten (first pass) or uncertain: write; else 50/50. */
		w = !g->u[u].gen || g->u[u].uncertain || (xs(&g->rnd) & 1u);
		break;
	}
	lba = g->cfg.lba0 + (uint64_t)u * g->unit_blocks;
	s->unit = u;
	s->write = w;
	s->busy = true;
	g->u[u].busy = true;
	memset(&s->io, 0, sizeof(s->io));
	memset(s->cdb, 0, sizeof(s->cdb));
	s->cdb[0] = w ? 0x2au : 0x28u;
	salua_put_be32(s->cdb + 2, (uint32_t)lba);
	salua_put_be16(s->cdb + 7, (uint16_t)g->unit_blocks);
	if (w) {
		s->gen = ++g->gen;
		for (i = 0; i < g->unit_blocks; i++)
			fill_block(s->buf + (size_t)i * bsz, bsz, lba + i,
				   s->gen, g->cfg.seed);
	} else {
		memset(s->buf, 0, g->cfg.bs);
	}
	s->io.cdb = s->cdb;
	s->io.cdb_len = 10;
	s->io.dir = w ? SALUA_XPORT_OUT : SALUA_XPORT_IN;
	s->io.data = s->buf;
	s->io.len = g->cfg.bs;
	s->io.timeout_ms = g->cfg.timeout_ms;
	s->io.done = io_done;
	s->io.priv = s;
	g->issued++;
	g->inflight++;
	if (salua_lu_submit(g->lu, &s->io) < 0) {
		g->inflight--;
		g->u[u].busy = false;
		s->busy = false;
		return false;
	}
	return true;
}

/* Check a read of unit @s->unit; return true when it matches. */
static bool verify(struct salua_iogen *g, struct slot *s, char *why,
		   size_t cap)
{
	struct unit *u = &g->u[s->unit];
	uint32_t bsz = g->cfg.block_size, i, seen = 0;
	uint64_t lba = g->cfg.lba0 + (uint64_t)s->unit * g->unit_blocks;
	uint8_t *scratch = s->buf + g->cfg.bs;
	bool same_gen = true;

	for (i = 0; i < g->unit_blocks; i++) {
		const uint8_t *b = s->buf + (size_t)i * bsz;
		uint32_t bg = salua_get_be32(b + 16);

		if (memcmp(b, magic, sizeof(magic)) != 0) {
			if (!u->gen && !u->uncertain)
				continue; /* never written by us: anything */
			snprintf(why, cap, "lba %llu: no data header (expected generation %u)",
				 (unsigned long long)(lba + i), u->gen);
			return false;
		}
		if (get64(b + 8) != lba + i) {
			snprintf(why, cap, "lba %llu: block carries lba %llu",
				 (unsigned long long)(lba + i),
				 (unsigned long long)get64(b + 8));
			return false;
		}
		if (u->gen || u->uncertain) {
			if (bg != u->gen && !(u->uncertain && bg == u->alt)) {
				snprintf(why, cap, "lba %llu: generation %u, expected %u%s",
					 (unsigned long long)(lba + i), bg, u->gen,
					 u->uncertain ? " or the failed write's" : "");
				return false;
			}
		}
		if (!block_is(b, scratch, bsz, lba + i, bg,
			      salua_get_be32(b + 20))) {
			snprintf(why, cap, "lba %llu: body differs from generation %u",
				 (unsigned long long)(lba + i), bg);
			return false;
		}
		if (i && bg != seen)
			same_gen = false;
		seen = bg;
	}
	/* A read settles what a failed write left open. */
	if (u->uncertain && same_gen && seen) {
		u->gen = seen;
		u->uncertain = false;
	}
	return true;
}

static void io_done(struct salua_lu_io *io)
{
	struct slot *s = (struct slot *)io->priv;
	struct salua_iogen *g = s->g;
	struct salua_iogen_stats *st = &g->st;
	struct unit *u = &g->u[s->unit];
	struct salua_iogen_rec rec;
	uint64_t now = io->done_us;
	bool mismatch = false;
	char why[160];

	g->inflight--;
	st->ios++;
	if (s->write)
		st->writes++;
	else
		st->reads++;
	if (now - g->last_done_us > st->max_pause_us) {
		st->max_pause_us = now - g->last_done_us;
		st->max_pause_at_us = now;
	}
	g->last_done_us = now;
	st->end_us = now;
	st->lat_sum_us += now - io->submit_us;
	if (now - io->submit_us > st->lat_max_us)
		st->lat_max_us = now - io->submit_us;
	if (io->result == SALUA_LU_OK) {
		st->bytes += io->len;
		if (io->path < st->npaths)
			st->path_ios[io->path]++;
		if (s->write) {
			u->gen = s->gen;
			u->uncertain = false;
		} else if (!verify(g, s, why, sizeof(why))) {
			mismatch = true;
			if (!st->mismatches) {
				struct salua_lu_path_info pi;

				if (salua_lu_path_info(g->lu, io->path, &pi) < 0)
					pi.name = "?";
				snprintf(st->first_mismatch,
					 sizeof(st->first_mismatch),
					 "%.160s (read through %.128s)", why,
					 pi.name);
			}
			st->mismatches++;
		}
	} else {
		if (!st->errors)
			snprintf(st->first_error, sizeof(st->first_error),
				 "%s %.128s: %s: %.255s", s->write ? "WRITE" : "READ",
				 salua_lu_name(g->lu),
				 salua_lu_result_name(io->result), io->why);
		st->errors++;
		if (s->write) {
			/* The device may or may not have written it: either the
			 * last certain generation or this one from now on (an
			 * earlier failed write is superseded by this one). */
			u->alt = s->gen;
			u->uncertain = true;
		}
	}
	u->busy = false;
	s->busy = false;
	if (g->cfg.on_io) {
		rec.t_us = now;
		rec.lat_us = now - io->submit_us;
		rec.lba = g->cfg.lba0 + (uint64_t)s->unit * g->unit_blocks;
		rec.path = io->path;
		rec.write = s->write;
		rec.result = (uint8_t)io->result;
		rec.mismatch = mismatch;
		g->cfg.on_io(g->cfg.ctx, &rec);
	}
	if (!want_more(g, now))
		return;
	if (io->result != SALUA_LU_OK) {
		/* A failing LU fails at once: do not spin on it. */
		g->pausing++;
		salua_timer_arm(salua_lu_loop(g->lu), &s->tm, now + RETRY_PAUSE_US);
		return;
	}
	(void)issue(g, s);
}

static void pause_end(struct salua_timer *t)
{
	struct slot *s = (struct slot *)t->arg;
	struct salua_iogen *g = s->g;

	g->pausing--;
	if (want_more(g, salua_loop_now(salua_lu_loop(g->lu))))
		(void)issue(g, s);
}

int salua_iogen_start(struct salua_iogen *g)
{
	uint64_t now;
	unsigned i;

	if (!g || g->started)
		return -EINVAL;
	g->started = true;
	now = salua_loop_now(salua_lu_loop(g->lu));
	g->st.start_us = g->last_done_us = g->st.end_us = now;
	for (i = 0; i < g->cfg.iodepth && want_more(g, now); i++)
		if (!issue(g, &g->slots[i]))
			break;
	return 0;
}

void salua_iogen_stop(struct salua_iogen *g)
{
	unsigned i;

	g->stopped = true;
	for (i = 0; i < g->cfg.iodepth; i++) {
		if (salua_timer_armed(&g->slots[i].tm)) {
			salua_timer_cancel(salua_lu_loop(g->lu), &g->slots[i].tm);
			g->pausing--;
		}
	}
}

bool salua_iogen_running(const struct salua_iogen *g)
{
	return g->inflight > 0 || g->pausing > 0;
}

const struct salua_iogen_stats *salua_iogen_stats(const struct salua_iogen *g)
{
	return &g->st;
}
