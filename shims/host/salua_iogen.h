/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_iogen.h - a small verified I/O load through a LU (fio-like):
 * READ(10) / WRITE(10) of known data at a fixed queue depth, each
 * completion checked.
 *
 * Data: every 512-byte block written carries a header (magic "SALUAIO1",
 * its LBA, a generation number, the seed) and a body derived from them,
 * so a read can tell the block it expected from a stale one (older
 * generation), a misplaced one (wrong LBA) or garbage.  The generator
 * remembers the generation of every unit it wrote; a write that failed
 * leaves its unit "either old or new" until the next write, as a real
 * device may or may not have written it.  Two I/Os never touch one unit
 * at the same time.
 *
 *   read    reads only; a block that carries a header must carry its own
 *           LBA (data written earlier by any run is checked that far)
 *   write   writes only
 *   verify  writes every unit once, then a random mix of reads (each
 *           compared with what was written) and rewrites
 *
 * Counted: I/Os, errors (any I/O that did not end SALUA_LU_OK, with the
 * first error's text), mismatches, the longest pause (longest time with
 * I/O outstanding and none completing), latency, and completions per path.
 *
 * User space, C99.  Runs on the LU's loop; no threads.
 */
#ifndef SALUA_IOGEN_H
#define SALUA_IOGEN_H

#include <stdbool.h>
#include <stdint.h>

#include "salua_lu.h"

#ifdef __cplusplus
extern "C" {
#endif

enum salua_iogen_rw {
	SALUA_IOGEN_READ = 0,
	SALUA_IOGEN_WRITE = 1,
	SALUA_IOGEN_VERIFY = 2
};

/**
 * struct salua_iogen_rec - one completed I/O (for a timeline).
 * @t_us: completion time (loop clock).
 * @lat_us: from submit to completion (failovers and queueing included).
 * @lba: first block.
 * @path: path of the last attempt (SALUA_SEL_NO_PATH: never sent).
 * @write: a write (else a read).
 * @result: enum salua_lu_result.
 * @mismatch: a read whose data was not what was written.
 */
struct salua_iogen_rec {
	uint64_t t_us;
	uint64_t lat_us;
	uint64_t lba;
	uint16_t path;
	bool write;
	uint8_t result;
	bool mismatch;
};

/**
 * struct salua_iogen_cfg - the load.
 * @rw: enum salua_iogen_rw.
 * @bs: bytes per I/O, a multiple of @block_size (default 4096).
 * @block_size: the device's logical block size (default 512).
 * @iodepth: I/Os kept in flight (default 8).
 * @lba0: first block of the region used.
 * @blocks: region size in blocks (default 2048).
 * @duration_us: stop issuing after this long (0: only @max_ios bounds).
 * @max_ios: stop issuing after this many (0: only @duration_us bounds).
 * @seed: for the pattern and the choices.
 * @timeout_ms: per-attempt timeout (0: the LU's).
 * @on_io: optional, called for every completion.
 * @ctx: for @on_io.
 */
struct salua_iogen_cfg {
	uint8_t rw;
	uint32_t bs;
	uint32_t block_size;
	uint32_t iodepth;
	uint64_t lba0;
	uint32_t blocks;
	uint64_t duration_us;
	uint64_t max_ios;
	uint32_t seed;
	uint32_t timeout_ms;
	void (*on_io)(void *ctx, const struct salua_iogen_rec *r);
	void *ctx;
};

/**
 * struct salua_iogen_stats - what happened.
 * @ios: I/Os completed.
 * @reads: of which reads.
 * @writes: of which writes.
 * @errors: completed with a result other than SALUA_LU_OK.
 * @mismatches: reads whose data was not what was written.
 * @bytes: bytes moved by successful I/Os.
 * @max_pause_us: longest time with I/O outstanding and none completing.
 * @max_pause_at_us: when that pause ended (loop clock).
 * @lat_sum_us: sum of latencies (mean = sum / ios).
 * @lat_max_us: largest latency.
 * @start_us: when the load started.
 * @end_us: when the last I/O completed.
 * @npaths: entries of @path_ios.
 * @path_ios: successful I/Os per path index.
 * @first_error: text of the first error ("" if none).
 * @first_mismatch: text of the first mismatch ("" if none).
 */
struct salua_iogen_stats {
	uint64_t ios, reads, writes, errors, mismatches, bytes;
	uint64_t max_pause_us, max_pause_at_us;
	uint64_t lat_sum_us, lat_max_us;
	uint64_t start_us, end_us;
	unsigned npaths;
	uint64_t *path_ios;
	char first_error[SALUA_LU_WHY_MAX + 192];
	char first_mismatch[384];
};

struct salua_iogen;

/**
 * salua_iogen_new() - a load for @lu.
 * @lu: the LU (and its loop).
 * @cfg: the load; copied.  Defaults fill zero fields.
 *
 * Return: the generator, or NULL (bad config: @bs not a multiple of the
 * block size, region smaller than one I/O; out of memory).
 */
struct salua_iogen *salua_iogen_new(struct salua_lu *lu,
				    const struct salua_iogen_cfg *cfg);

/* Start: submit the first @iodepth I/Os.  Return: 0 or -errno. */
int salua_iogen_start(struct salua_iogen *g);

/* Stop issuing new I/O (what is in flight completes). */
void salua_iogen_stop(struct salua_iogen *g);

/* True while I/O is in flight or still to be issued. */
bool salua_iogen_running(const struct salua_iogen *g);

/* The figures so far. */
const struct salua_iogen_stats *salua_iogen_stats(const struct salua_iogen *g);

/* Free (only when not running). */
void salua_iogen_free(struct salua_iogen *g);

/* "read", "write", "verify"; NULL for another value. */
const char *salua_iogen_rw_name(unsigned rw);

#ifdef __cplusplus
}
#endif

#endif /* SALUA_IOGEN_H */
