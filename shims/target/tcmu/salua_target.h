/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_target.h - salua-target: the simulated ALUA array (shims/target/sim)
 * served to the Linux kernel through TCMU (target_core_user), one TCMU
 * device per (LU, port) path, each port a tcm_loop SCSI host and optionally
 * an iSCSI portal.  Internal to shims/target/tcmu; see docs/target.md.
 *
 * Threads: the main thread builds and removes the LIO configfs objects and
 * waits for signals; one serving thread owns the sim, the rings and the
 * data stores (configfs symlinks block in the kernel's scan while the
 * serving thread answers the scan's commands).
 */
#ifndef SALUA_TARGET_H
#define SALUA_TARGET_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "salua_sim.h"

#define ST_CFG "/sys/kernel/config/target"
#define ST_RUN_DIR "/run/salua-target"
/* WWN prefixes: tcm_loop target ports, their initiator ports. */
#define ST_WWN_TARGET "naa.5a1a5a1a"
#define ST_WWN_INIT "naa.5a1a5a1b"
#define ST_IQN "iqn.2026-11.org.salua:target."
#define ST_DEV_PREFIX "salua_"
#define ST_LU_BYTES ((uint64_t)(SALUA_SIM_LAST_LBA + 1u) * SALUA_SIM_BLOCK_SIZE)
#define ST_MAX_CDB 260
#define ST_MAX_IOV 4096
#define ST_SENSE_MAX 96

/* Options (docs/target.md); the sim's own keys go to salua_sim_open(). */
struct st_opts {
	char sim_spec[256];
	char scenario[PATH_MAX];
	char vpd83[PATH_MAX], rtpg[PATH_MAX], inquiry[PATH_MAX];
	char log[PATH_MAX], control[PATH_MAX];
	char iscsi[64];
	bool loop;
	bool log_io;
	unsigned cmd_timeout_s;
	unsigned data_area_mb;
	unsigned max_sectors;
	unsigned scan_timeout_s;
};

/* A captured page served verbatim; reloaded when the file changes. */
struct st_page {
	const char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	uint8_t buf[65536];
	size_t len;
	bool ok;
};

/* One TCMU device: the path (lun, port). */
struct st_dev {
	unsigned lun, port;
	char name[64];        /* configfs device directory */
	char config[64];      /* dev_config, also in the uio name */
	int fd;               /* /dev/uioN, -1 when closed */
	uint8_t *map;
	size_t map_len;
	uint32_t cmdr_off, cmdr_size;
	uint32_t rd;          /* next ring entry to read */
	unsigned out;         /* commands read and not completed */
	bool kick;            /* completions written since the last kick */
	bool broken;          /* the ring lied: stop reading it */
};

/* A command that completes later (latency) or never (dropped). */
struct st_held {
	struct st_dev *dev;
	uint16_t id;
	uint64_t due;         /* ms since start; UINT64_MAX: until aborted */
	uint8_t status;
	uint8_t sense_len;
	uint8_t sense[ST_SENSE_MAX];
	uint32_t read_len;
};

/* The journal of configfs objects created, removed in reverse order. */
enum st_jkind { ST_J_DIR, ST_J_LINK, ST_J_NEXUS, ST_J_ENABLE, ST_J_FABRIC };
struct st_jent {
	enum st_jkind kind;
	char path[PATH_MAX];
};
struct st_journal {
	struct st_jent *e;
	size_t n, cap;
};

struct st_target {
	struct st_opts o;
	struct salua_sim *sim;
	unsigned luns, ports;
	unsigned hba;                 /* core/user_<hba>, also the instance */
	struct st_dev *dev;           /* [lun * ports + port] */
	uint8_t **store;              /* per LU, ST_LU_BYTES, lazily backed */
	struct st_journal jfab, jback;
	struct st_journal *jport;     /* [port]: that port's tcm_loop host */
	char pidfile[PATH_MAX];

	/* serving thread */
	pthread_t thr;
	bool thr_up;
	pthread_mutex_t lock;         /* guards sim and holds against main */
	int ep, stopfd, ctlfd;
	volatile int stop;
	bool draining;                /* teardown: no more holds or faults */
	uint64_t t0_ns;
	struct st_held *held;
	size_t nheld, capheld;
	uint8_t *buf;                 /* data bounce buffer */
	size_t bufcap;
	char ctlbuf[4096];
	size_t ctllen;
	unsigned long ncmds, nctl;
	FILE *log;
	struct st_page pg83, pgrtpg, pginq;
};

/* salua_target_ring.c */
int st_ring_open(struct st_dev *d, const char *uio);
void st_ring_close(struct st_dev *d);
void st_ring_poll(struct st_target *t, struct st_dev *d);
void st_ring_complete(struct st_dev *d, uint16_t id, uint8_t status,
		      const uint8_t *sense, size_t sense_len,
		      uint32_t read_len);
void st_ring_kick(struct st_dev *d);

/* salua_target_serve.c */
uint64_t st_now(const struct st_target *t);
void st_exec(struct st_target *t, struct st_dev *d, uint16_t id,
	     const uint8_t *cdb, size_t cdb_len, const struct iovec *iov,
	     unsigned niov);
void st_tmr(struct st_target *t, struct st_dev *d, unsigned type,
	    const uint16_t *ids, unsigned n);
int st_serve_start(struct st_target *t);
int st_serve_add(struct st_target *t, struct st_dev *d);
void st_serve_stop(struct st_target *t);
void st_drain(struct st_target *t);
int st_control_line(struct st_target *t, char *line);
int st_load_scenario(struct st_target *t, const char *arg);
void st_log(struct st_target *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* salua_target_lio.c */
int st_lio_setup(struct st_target *t);
int st_lio_paths(struct st_target *t, FILE *out);
int st_lio_teardown_fabric(struct st_target *t);
int st_lio_relink(struct st_target *t);
int st_lio_teardown_backstore(struct st_target *t);
int st_lio_cleanup_stale(FILE *out);

/* small helpers shared by the files */
int st_read_file(const char *path, char *buf, size_t cap);
int st_write_file(const char *path, const char *val);
size_t st_cdb_len(const uint8_t *cdb, size_t avail);

#endif /* SALUA_TARGET_H */
