/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - device probing (SG_IO devices and the simulated array):
 * declarations private to dev*.c and the device subcommands (cmd_*.c).
 */
#ifndef ALUA_PROBE_DEV_H
#define ALUA_PROBE_DEV_H

#include "probe.h"
#include "salua_loop.h"
#include "salua_lu.h"
#include "salua_sgio.h"
#include "salua_sim.h"
#include "salua_simx.h"

/* Exit statuses added for device probing (see --help, alua_probe.8). */
#define PROBE_EXIT_NODEV 4   /* no SCSI device found / device unusable */
#define PROBE_EXIT_REFUSED 5 /* the target refused STPG (unsupported) */

#define PD_MAX_SIMS 8u
#define PD_INQ_LEN 96u
#define PD_VPD_MAX 4096u
#define PD_RTPG_MAX 8192u
#define PD_INQUIRY_TMO_MS 10000u /* INQUIRY, TEST UNIT READY */

enum pd_kind { PD_SGIO, PD_SIM, PD_ISCSI };

struct salua_iscsi;

struct pd_sim {
	struct salua_sim sim;
	char spec[256];
	char scenario[64];   /* loaded after @delay_ms of loop time */
	uint64_t delay_ms;
	uint64_t link_us;    /* link= : every path's round trip (simx link) */
	bool link_given;
	bool scenario_loaded;
	unsigned index;
	struct salua_timer tm; /* loads the scenario */
	struct salua_loop *loop;
};

/* Result of one command, whatever the transport. */
struct pd_res {
	enum salua_xfer xfer;
	uint8_t status;
	uint8_t sense[SALUA_XPORT_SENSE_MAX];
	size_t sense_len;
	uint32_t data_len;
	char what[160]; /* the outcome in the transport's words */
};

struct pd_path {
	enum pd_kind kind;
	char dev[128];   /* /dev/sg0, sim:p0/l0 */
	char blk[32];    /* sda, "" */
	char hctl[48];
	struct salua_sgio io;
	struct salua_sgio_info sys;
	bool have_sys;
	struct pd_sim *sim;
	struct salua_iscsi *isc; /* iscsi:// session (dev_iscsi.c) */
	struct salua_simx *simx; /* a sim path's transport */
	struct salua_transport x; /* every command goes through this */
	struct salua_transport vx; /* -v: x, each command traced (the LU's) */
	unsigned port, lun;
	/* INQUIRY / VPD 0x83 */
	uint8_t inq[PD_INQ_LEN];
	size_t inq_len;
	struct salua_inquiry inqd;
	bool inq_ok;
	uint8_t vpd83[PD_VPD_MAX];
	size_t vpd83_len;
	bool vpd83_ok;
	char lu_name[PROBE_LU_NAME_MAX];
	struct salua_vpd83_port port_info;
	/* the path's own RTPG (last good answer through this path) */
	uint8_t rtpg[PD_RTPG_MAX];
	size_t rtpg_len;
	bool rtpg_ok;
	/* engine's view */
	bool known;
	uint8_t state, supported, status_code;
	bool pref;
	uint16_t tpg;
	bool have_tpg;
	char err[SALUA_SGIO_ERR_MAX];
	bool timed_out;  /* @err is a command timeout */
	unsigned lu;
};

struct pd_lu {
	char name[PROBE_LU_NAME_MAX];
	unsigned *paths; /* indexes into the global path array */
	unsigned n;
	int tpgs;
	bool alua;       /* TPGS != 0 or a TPG designator */
};

struct pd_ctx {
	bool json, hex, verbose;
	struct pd_path *paths; /* grows (new_path): no limit but memory */
	unsigned npaths, cap_paths;
	struct pd_lu *lus;
	unsigned nlus;
	struct pd_sim *sims[PD_MAX_SIMS];
	unsigned nsims;
	bool watch;
	bool io;             /* --io: sims get 1 ms links unless link= */
	uint32_t timeout_ms; /* --timeout: every command's limit, 0 = defaults */
	/*
	 * One loop drives every path: a fake clock when only simulated
	 * arrays are probed (instant), simulated time at --speed when they
	 * are watched or loaded, real time as soon as a real device is in.
	 */
	struct salua_loop *loop;
	uint64_t start_us;
	unsigned speed;
};

/* dev.c */
int pd_add_device(struct pd_ctx *c, const char *arg, struct probe_err *err);
int pd_add_all(struct pd_ctx *c, struct probe_err *err);
/*
 * The loop and every path's transport (after the paths are added):
 * @speed for simulated time (watch, io); @instant: nothing but simulated
 * arrays and no wish to watch them in time (probe, set-state).
 */
int pd_start(struct pd_ctx *c, unsigned speed, bool instant,
	     struct probe_err *err);
/* One command, waited for (the loop runs meanwhile). */
int pd_exec(struct pd_ctx *c, struct pd_path *p, const uint8_t *cdb,
	    size_t cdb_len, enum salua_xport_dir dir, void *buf, uint32_t len,
	    uint32_t timeout_ms, struct pd_res *r);
void pd_identify(struct pd_ctx *c, struct pd_path *p);
int pd_group(struct pd_ctx *c);
void pd_free(struct pd_ctx *c);
/* Loop time in ms (it starts at 1000: "[+0.000s]"). */
uint64_t pd_now_ms(struct pd_ctx *c);
struct pd_sim *pd_lu_sim(struct pd_ctx *c, const struct pd_lu *lu);
void pd_describe_sense(const uint8_t *sense, size_t len, char *buf,
		       size_t cap);

/*
 * pd_lu_open() - the host layer's LU over @n paths of @lu (global path
 * indexes in @map): the one engine wiring alua_probe uses.  @cfg NULL:
 * defaults; its on_event is pd_lu_event() unless the caller set one, and
 * event_ctx then the returned struct pd_host.
 */
struct pd_host {
	struct pd_ctx *c;
	struct pd_lu *lu;
	struct salua_lu *slu;
	unsigned *map;     /* LU path index -> global path index */
	unsigned n;
	unsigned good_rtpg;    /* RTPGs completed with GOOD */
	unsigned changes;      /* state changes since the caller last looked */
	bool log_events;       /* print engine events (watch) */
	void (*on_change)(struct pd_host *h, unsigned path, uint8_t old);
	void (*on_event)(struct pd_host *h, const struct salua_lu_event *e);
	void *priv;
};
struct pd_host *pd_lu_open(struct pd_ctx *c, struct pd_lu *lu,
			   unsigned *map, unsigned n,
			   const struct salua_lu_config *cfg);
void pd_lu_close(struct pd_host *h);
void pd_lu_event(void *ctx, const struct salua_lu_event *e);
void pd_probe_lu(struct pd_ctx *c, struct pd_lu *lu);
void pd_watch_time(struct pd_ctx *c, char *buf, size_t cap, uint64_t now);

/*
 * struct pd_picks - what one selector policy does for an LU.
 * @verdict: 0 with @path[0..@n) below, SALUA_SEL_QUEUE or SALUA_SEL_FAIL
 *	when no path is usable, 1 when not computed (out of memory).
 * @path: global path indexes, distinct, in pick order (malloc()ed).
 */
struct pd_picks {
	int verdict;
	unsigned n;
	unsigned *path;
};
/* Picks per policy ("numa" ... "failover"); free with pd_picks_free(). */
void pd_selector(struct pd_ctx *c, const struct pd_lu *lu,
		 struct pd_picks out[SALUA_SEL_NPOLICIES]);
void pd_picks_free(struct pd_picks out[SALUA_SEL_NPOLICIES]);
void pd_put_picks(FILE *f, const struct pd_ctx *c, const struct pd_picks *pk);
const char *pd_short_dev(const struct pd_path *p);

/* dev_iscsi.c: iscsi:// devices (shims/transport/iscsi) */
int pd_iscsi_open(struct pd_path *p, const char *url, uint32_t timeout_ms,
		  struct probe_err *err);
bool pd_iscsi_failed(const struct pd_path *p);
void pd_iscsi_close(struct pd_path *p);

/* dev_report.c */
void pd_report_text(struct pd_ctx *c, FILE *f);
void pd_report_json(struct pd_ctx *c, FILE *f, const struct probe_err *e);
const char *pd_state_short(uint8_t state);
const char *pd_tpgs_name(int tpgs);

/* dev_dm.c: /dev/mapper/NAME, /dev/dm-N -> member paths (sysfs slaves/) */
bool pd_is_dm(const char *arg);
/* *@n = 0 when @arg is not a map; else the members ("/dev/sdb", ...). */
int pd_dm_expand(const char *arg, char ***paths, unsigned *n,
		 struct probe_err *err);
void pd_dm_free(char **paths, unsigned n);

/* dev_setup.c: shared by the device subcommands (cmd_*.c) */
struct probe_cli;
int pd_setup(struct pd_ctx *c, const struct probe_cli *cli);
int pd_finish(struct pd_ctx *c, int rc, bool reported);
int pd_report_and_finish(struct pd_ctx *c);
const struct pd_path *pd_unidentified(const struct pd_ctx *c);
void pd_path_error(const struct pd_path *p, struct probe_err *e);
struct pd_path *pd_find_path(struct pd_ctx *c, const char *dev);
const char *pd_sysfs(void);
void pd_reset_view(struct pd_ctx *c, struct pd_lu *lu);
bool pd_lu_transitioning(struct pd_ctx *c, const struct pd_lu *lu);
void pd_sleep_ms(uint64_t ms);

/* cmd_watch.c, shared with cmd_io.c */
struct pd_host *probe_watch_open(struct pd_ctx *c, struct pd_lu *lu,
				 uint64_t interval_ms,
				 const struct salua_lu_config *base);
void probe_watch_selector(struct pd_ctx *c, struct pd_lu *lu);

#endif /* ALUA_PROBE_DEV_H */
