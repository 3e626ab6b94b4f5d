/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_simx.h - the simulated array (shims/target/sim) as a transport: one
 * struct salua_simx per path (a target port and a LU of one sim), each
 * behind a link with its own model.
 *
 * The array answers at once (salua_sim_command() at submit time, on the
 * state the sim has at that moment); the link decides when the answer
 * arrives: a FIFO server per link (svc_us per command plus the data at
 * mib_s) followed by a fixed propagation delay (delay_us), plus whatever
 * latency the array reports (its SLOW fault, nonop delay).  A command
 * whose answer would arrive after its timeout completes with
 * SALUA_XFER_TIMEOUT at the timeout; so does one the array drops.
 * Completions come from service() at their time on the given clock (a
 * fake clock makes the whole thing a deterministic discrete-event
 * simulation), or inside submit() with link.sync (as SG_IO).
 *
 * Time: the sim's virtual clock is the transport clock in milliseconds;
 * each submit and service first moves the sim to the current time.
 *
 * Link faults a path can have besides the array's own: down (every
 * command fails at the transport level, as a pulled cable) and flaky
 * (every fail_every-th command fails so, the rest work: a marginal path).
 *
 * User space, C99; allocates its pending-completion queue.
 */
#ifndef SALUA_SIMX_H
#define SALUA_SIMX_H

#include "salua_sim.h"
#include "salua_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SALUA_SIMX_QUEUE 256u           /* commands in flight per path */
#define SALUA_SIMX_TIMEOUT_MS 30000u    /* default command timeout */

/* @native codes of this transport (salua_xport_result). */
enum salua_simx_native {
	SALUA_SIMX_OK = 0,
	SALUA_SIMX_DROPPED = 1,    /* the array never answered (its DROP fault) */
	SALUA_SIMX_XPORT = 2,      /* the array's TRANSPORT fault */
	SALUA_SIMX_FLAKY = 3,      /* the link's fail_every */
	SALUA_SIMX_SLOW = 4,       /* the answer came after the timeout */
	SALUA_SIMX_DOWN = 5,       /* the link is down */
	SALUA_SIMX_CLOSED = 6      /* the path was closed with commands in flight */
};

/**
 * struct salua_simx_link - how one path's link behaves.
 * @delay_us: fixed latency added to every command (propagation; e.g.
 *	30000 for a path 30 ms away).
 * @svc_us: per-command service time of the link (one command at a time).
 * @mib_s: link bandwidth for data in MiB/s; 0 = unlimited.
 * @fail_every: every this-many-th command on the path fails at the
 *	transport level; 0 = never.
 * @sync: complete inside submit(), ignoring time (as SG_IO does).
 */
struct salua_simx_link {
	uint32_t delay_us;
	uint32_t svc_us;
	uint32_t mib_s;
	uint32_t fail_every;
	bool sync;
};

struct salua_simx_pending {
	uint64_t at_us;
	uint64_t seq;
	salua_xport_done_fn done;
	void *arg;
	struct salua_xport_result r;
	uint8_t sense[32];
};

/**
 * struct salua_simx - one path into a simulated array.  Fields are
 *	private; use the functions below.
 */
struct salua_simx {
	struct salua_sim *sim;
	const struct salua_clock *clock;
	unsigned port, lun;
	struct salua_simx_link link;
	bool down;
	uint64_t link_free_us;
	uint64_t ncmds, seq;
	struct salua_simx_pending *q;
	unsigned nq, qcap;
};

/* The ops table (name "sim"). */
extern const struct salua_transport_ops salua_simx_ops;

/**
 * salua_simx_open() - a path through @port to @lun of @sim.
 * @p: path storage.
 * @sim: the array (shared by its paths; serialize as the sim requires).
 * @clock: time source (the host loop's clock).
 * @port: target port index.
 * @lun: LU index.
 * @link: link model, or NULL for an ideal link (no delay, asynchronous).
 * @t: out: the transport ({&salua_simx_ops, @p}).
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
int salua_simx_open(struct salua_simx *p, struct salua_sim *sim,
		    const struct salua_clock *clock, unsigned port,
		    unsigned lun, const struct salua_simx_link *link,
		    struct salua_transport *t);

/* Change the link model (takes effect for the next command). */
void salua_simx_set_link(struct salua_simx *p,
			 const struct salua_simx_link *link);

/*
 * Point the path at another LU index: one past the array's LUs makes the
 * port answer ILLEGAL REQUEST 25/00 (LOGICAL UNIT NOT SUPPORTED), as a LU
 * unmapped from a port does; the old index maps it back.
 */
void salua_simx_set_lun(struct salua_simx *p, unsigned lun);

/* Take the link down (true) or up: while down every command fails. */
void salua_simx_set_down(struct salua_simx *p, bool down);

/* Free the queue after completing what is pending (as ops->close). */
void salua_simx_close(struct salua_simx *p);

#ifdef __cplusplus
}
#endif

#endif /* SALUA_SIMX_H */
