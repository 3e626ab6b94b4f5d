/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua_sim.h - an in-process simulated ALUA array (SPC-5 §5.16).
 *
 * N logical units x M target ports x K target port groups, on a virtual
 * clock the caller advances.  Each (port, lun) pair is one path (one I_T_L
 * nexus of a single initiator).  Every port belongs to exactly one target
 * port group; every LU keeps its own access state per group, so LUs can
 * move between groups independently (an "LU group move").
 *
 * The sim answers commands the way a target would, using only the core's
 * target-side codecs: INQUIRY (standard, VPD 0x00/0x80/0x83), REPORT
 * TARGET PORT GROUPS, SET TARGET PORT GROUPS, TEST UNIT READY, REQUEST
 * SENSE, REPORT LUNS, READ CAPACITY(10), READ(10), WRITE(10) (on an
 * optional caller-owned backing store per LU).  Commands are gated per
 * access state with the core's table (salua/target.h); every state change
 * queues UNIT ATTENTION 2A/06 on each I_T nexus twice (entering and
 * leaving TRANSITIONING).  A line-based scenario language schedules changes and
 * faults.  See docs/sim.md.
 *
 * User space, C99, no allocation: the caller owns struct salua_sim (about
 * 30 KiB with the default maxima).  Not thread-safe: serialize calls per
 * instance.  Deterministic: no randomness, no wall clock.
 */
#ifndef SALUA_SIM_H
#define SALUA_SIM_H

#include "salua/salua.h"

SALUA_BEGIN_DECLS

#ifndef SALUA_SIM_MAX_LUNS
#define SALUA_SIM_MAX_LUNS 64
#endif
#ifndef SALUA_SIM_MAX_PORTS
#define SALUA_SIM_MAX_PORTS 16
#endif
#ifndef SALUA_SIM_MAX_GROUPS
#define SALUA_SIM_MAX_GROUPS 8
#endif
/* Pending UNIT ATTENTIONs kept per I_T nexus. */
#ifndef SALUA_SIM_UA_DEPTH
#define SALUA_SIM_UA_DEPTH 8
#endif
/* Scheduled scenario events. */
#ifndef SALUA_SIM_MAX_EVENTS
#define SALUA_SIM_MAX_EVENTS 64
#endif
/* Simultaneously armed per-command faults. */
#ifndef SALUA_SIM_MAX_FAULTS
#define SALUA_SIM_MAX_FAULTS 16
#endif
/* Phantom groups the rtpg-pad fault may add. */
#define SALUA_SIM_MAX_PAD_GROUPS 64

/* Opcodes the sim implements besides those in proto.h. */
#define SALUA_SIM_OP_READ_CAPACITY10 0x25u
#define SALUA_SIM_OP_READ10 0x28u
#define SALUA_SIM_OP_WRITE10 0x2au
#define SALUA_SIM_OP_REPORT_LUNS 0xa0u
#define SALUA_SIM_BLOCK_SIZE 512u
#define SALUA_SIM_LAST_LBA 0xffffu /* 32 MiB per LU */

/**
 * struct salua_sim_config - shape and behaviour of the array.
 * @luns: logical units, 1..SALUA_SIM_MAX_LUNS.
 * @ports: target ports, 1..SALUA_SIM_MAX_PORTS.  Port p has relative
 *	target port identifier p + 1.
 * @groups: target port groups, 1..SALUA_SIM_MAX_GROUPS.  Group g has
 *	TARGET PORT GROUP identifier g + 1; port p starts in group
 *	p * groups / ports (contiguous blocks, like controllers).
 * @implicit: TPGS bit 0 (implicit ALUA) in standard INQUIRY.
 * @explicit_alua: TPGS bit 1; without it STPG is rejected as an invalid
 *	opcode (ILLEGAL REQUEST 20/00, as LIO does).
 * @supported: SALUA_SUP_* bits reported in every RTPG descriptor and
 *	enforced for STPG and scripted target states.
 * @implicit_transition_secs: RTPG extended header byte 5.
 * @transition_ms: default time spent in TRANSITIONING, for STPG and for
 *	scenario lines without "transition".
 * @latency_ms: reported latency of every command.
 * @nonop_delay_ms: extra latency of commands on an active/non-optimized
 *	path (LIO's nonop_delay_msecs; default 0).
 * @initial_state: per group, the state every LU starts in.
 * @pref_mask: bit g set = group g reports PREF.
 * @stpg_demote_state: when STPG makes a group active/optimized, the other
 *	active/optimized groups of that LU not named in the list go to this
 *	state (default STANDBY).
 * @descriptor_sense: build descriptor-format sense (0x72) instead of fixed.
 * @power_on_ua: queue 29/00 on every nexus at init (off by default).
 * @ua_group_ports_only: queue 2A/06 only on the ports of the changed
 *	group (what LIO does) instead of every port of the LU (SPC-5).
 * @lu_id_base: added to the LU index in the LU's names (NAA extension,
 *	serial number), so two arrays in one host name different LUs.
 */
struct salua_sim_config {
	unsigned luns, ports, groups;
	bool implicit, explicit_alua;
	uint8_t supported;
	uint8_t implicit_transition_secs;
	uint32_t transition_ms;
	uint32_t latency_ms;
	uint32_t nonop_delay_ms;
	uint8_t initial_state[SALUA_SIM_MAX_GROUPS];
	uint8_t pref_mask;
	uint8_t stpg_demote_state;
	bool descriptor_sense;
	bool power_on_ua;
	bool ua_group_ports_only;
	uint32_t lu_id_base;
};

/* How a command ended, below the SCSI level. */
enum salua_sim_fault {
	SALUA_SIM_FAULT_NONE = 0,
	SALUA_SIM_FAULT_DROP,      /* never completes: the caller's timeout applies */
	SALUA_SIM_FAULT_TRANSPORT  /* completes with a transport error, no SCSI status */
};

/**
 * struct salua_sim_result - completion of one command.
 * @status: SCSI status (SALUA_STATUS_*); meaningless unless @fault is NONE.
 * @sense: sense data with CHECK CONDITION.
 * @sense_len: bytes of @sense (0 without CHECK CONDITION).
 * @data_len: bytes of data-in written to din (what a residual would say).
 * @latency_ms: how long the command took in virtual time.
 * @fault: transport-level outcome.
 */
struct salua_sim_result {
	uint8_t status;
	uint8_t sense[32];
	uint8_t sense_len;
	uint32_t data_len;
	uint32_t latency_ms;
	enum salua_sim_fault fault;
};

/**
 * enum salua_sim_inj - fault and quirk kinds for salua_sim_inject().
 * @SALUA_SIM_INJ_DROP: next @count matching commands never complete.
 * @SALUA_SIM_INJ_TRANSPORT: ... complete with a transport error.
 * @SALUA_SIM_INJ_BUSY: ... complete with status BUSY.
 * @SALUA_SIM_INJ_SLOW: ... take @value ms (a timeout for the caller).
 * @SALUA_SIM_INJ_EXT_HDR: from now on, RTPG with the extended-header
 *	format behaves per @value (enum salua_sim_ext_hdr).
 * @SALUA_SIM_INJ_RTPG_PAD: RTPG reports @value phantom groups (no ports,
 *	UNAVAILABLE, ids 0x100 + i) after the real ones, so the data outgrows
 *	small allocation lengths.  0 turns it off.
 * @SALUA_SIM_INJ_RTPG_OVERCLAIM: RETURN DATA LENGTH claims @value bytes
 *	more than the target ever sends (a lying target).  0 turns it off.
 * @SALUA_SIM_INJ_LIO_SHORT_RDL: @value != 0 enables LIO's quirk: with the
 *	extended header, RETURN DATA LENGTH omits header bytes 4..7 and the
 *	transfer is cut at RETURN DATA LENGTH + 4.
 * @SALUA_SIM_INJ_LIO_SKIP_GROUP: @value != 0 enables LIO's truncation: a
 *	group that does not fit the allocation length is skipped whole (later
 *	smaller ones may still be written), RETURN DATA LENGTH still counts
 *	it, and the transfer is zero-filled up to min(allocation length, full
 *	length).
 * @SALUA_SIM_INJ_CLEAR: disarm every per-command fault and quirk.
 * @SALUA_SIM_INJ_TASK_SET_FULL: next @count matching commands complete
 *	with status TASK SET FULL (SAM-6 §5.3), nothing else done.
 */
enum salua_sim_inj {
	SALUA_SIM_INJ_DROP = 1,
	SALUA_SIM_INJ_TRANSPORT,
	SALUA_SIM_INJ_BUSY,
	SALUA_SIM_INJ_SLOW,
	SALUA_SIM_INJ_EXT_HDR,
	SALUA_SIM_INJ_RTPG_PAD,
	SALUA_SIM_INJ_RTPG_OVERCLAIM,
	SALUA_SIM_INJ_LIO_SHORT_RDL,
	SALUA_SIM_INJ_CLEAR,
	SALUA_SIM_INJ_LIO_SKIP_GROUP,
	SALUA_SIM_INJ_TASK_SET_FULL
};

/* Extended-header behaviour (SALUA_SIM_INJ_EXT_HDR values). */
enum salua_sim_ext_hdr {
	SALUA_SIM_EXT_NORMAL = 0,    /* honour the PARAMETER DATA FORMAT */
	SALUA_SIM_EXT_ILLEGAL = 1,   /* ILLEGAL REQUEST 24/00 */
	SALUA_SIM_EXT_ILLEGAL_00 = 2,/* ILLEGAL REQUEST 00/00 (arrays Linux met) */
	SALUA_SIM_EXT_IGNORE = 3     /* answer classic, as scsi_debug does */
};

/**
 * struct salua_sim_fault_spec - one fault to arm.
 * @kind: what to inject.
 * @port: port index, or -1 for every port (per-command kinds).
 * @lun: LU index, or -1 for every LU (per-command kinds).
 * @opcode: only commands with this operation code, or -1 for any.
 * @count: number of matching commands affected (per-command kinds).
 * @value: kind-specific value (see enum salua_sim_inj).
 */
struct salua_sim_fault_spec {
	enum salua_sim_inj kind;
	int port;
	int lun;
	int opcode;
	uint32_t count;
	uint32_t value;
};

/* Internal records; fields are not API. */
struct salua_sim__grp {
	uint8_t state;   /* current state as reported */
	uint8_t target;  /* state after the pending transition */
	uint8_t status;  /* RTPG STATUS CODE */
	bool pref;
	bool pending;
	int8_t excl_port; /* nexus (port, this LU) spared the UAs; -1 none */
	uint64_t due;     /* when the pending transition ends */
};

struct salua_sim__ua {
	uint16_t q[SALUA_SIM_UA_DEPTH]; /* ASC << 8 | ASCQ, oldest first */
	uint8_t n;
};

struct salua_sim__fault {
	struct salua_sim_fault_spec spec;
	uint32_t left;
};

struct salua_sim__event {
	uint64_t at;
	uint8_t kind;
	uint8_t lun_lo, lun_hi, lun_step, grp_lo, grp_hi;
	uint8_t state;     /* 0xff: no state change */
	uint8_t pref;      /* 0 unchanged, 1 set, 2 clear */
	bool has_transition;
	uint32_t transition_ms;
	struct salua_sim_fault_spec fault;
};

/**
 * struct salua_sim - one simulated array.  Caller-owned; initialize with
 * salua_sim_init().  All fields are private.
 */
struct salua_sim {
	struct salua_sim_config cfg;
	uint64_t now;
	uint8_t port_group[SALUA_SIM_MAX_PORTS];
	struct salua_sim__grp grp[SALUA_SIM_MAX_LUNS][SALUA_SIM_MAX_GROUPS];
	struct salua_sim__ua ua[SALUA_SIM_MAX_PORTS][SALUA_SIM_MAX_LUNS];
	struct salua_sim__fault faults[SALUA_SIM_MAX_FAULTS];
	struct salua_sim__event ev[SALUA_SIM_MAX_EVENTS];
	unsigned nev;
	uint8_t ext_hdr;      /* enum salua_sim_ext_hdr */
	bool lio_short_rdl;
	bool lio_skip_group;
	uint32_t rtpg_pad;
	uint32_t rtpg_overclaim;
	unsigned stpg_port;   /* sender of the STPG being applied */
	bool stpg_active;
	unsigned long ncommands;
	unsigned err_line;
	char err[128];
	uint8_t *store[SALUA_SIM_MAX_LUNS];     /* salua_sim_set_store() */
	size_t store_len[SALUA_SIM_MAX_LUNS];
};

/**
 * salua_sim_config_default() - 1 LU, 2 ports, 2 groups, implicit and
 * explicit ALUA, group 0 active/optimized (PREF) and group 1 standby,
 * supported 0xcf (T O U S AN AO, LIO's default), implicit transition time
 * 60 s, 2000 ms transitions, 0 ms latency, fixed-format sense.
 * @c: out.
 */
void salua_sim_config_default(struct salua_sim_config *c);

/**
 * salua_sim_init() - reset @s to the power-on state described by @c.
 * @s: sim (any contents).
 * @c: configuration; copied.
 *
 * Return: 0, or -SALUA_EINVAL for counts out of range or a bad state.
 */
int salua_sim_init(struct salua_sim *s, const struct salua_sim_config *c);

/**
 * salua_sim_open() - configure, initialize and script a sim from a spec.
 * @s: sim.
 * @spec: comma-separated key=value list, e.g. "luns=4,ports=4" or
 *	"scenario=failover" (an optional leading "sim:" is skipped).  Keys:
 *	luns, ports, groups, implicit (0/1), explicit (0/1), supported (hex
 *	or decimal SALUA_SUP_* bits), itt (implicit transition seconds),
 *	transition (ms, or with s/m suffix), latency (ms), nonop (ms),
 *	sense (fixed|desc), power-on-ua (0/1), ua-scope (all|group),
 *	tpgs (0..3: bit 0 implicit, bit 1 explicit, as in INQUIRY byte 5),
 *	lu-base (lu_id_base),
 *	scenario (a built-in name).  Unset keys keep
 *	salua_sim_config_default()'s values.  NULL or "" gives the default.
 *
 * Return: 0; -SALUA_EMALFORMED for an unknown key or bad value (see
 * salua_sim_error()); the errors of salua_sim_init() and
 * salua_sim_load_scenario().
 */
int salua_sim_open(struct salua_sim *s, const char *spec);

/**
 * salua_sim_command() - execute one command as the target would, at the
 * sim's current virtual time.
 * @s: sim.
 * @port: port index (the path's target port).
 * @lun: LU index (a LU >= luns answers as "not present").
 * @cdb: CDB.
 * @cdb_len: its length.
 * @dout: data-out (STPG parameter list, WRITE data), may be NULL.
 * @dout_len: its length.
 * @din: data-in buffer, may be NULL when @din_cap is 0.
 * @din_cap: capacity of @din; the transfer is min(allocation length, @din_cap).
 * @r: out: completion.
 *
 * Order of checks: transport faults and BUSY, then a pending UNIT
 * ATTENTION (not for INQUIRY, REPORT LUNS, REQUEST SENSE), then the
 * access-state gate, then the command itself.
 *
 * Return: 0 when @r describes a completion (including a dropped one), or
 * -SALUA_EINVAL for a bad port or NULL arguments.
 */
int salua_sim_command(struct salua_sim *s, unsigned port, unsigned lun,
		      const uint8_t *cdb, size_t cdb_len, const uint8_t *dout,
		      size_t dout_len, uint8_t *din, size_t din_cap,
		      struct salua_sim_result *r);

/**
 * salua_sim_set_store() - give LU @lun a backing store, so that WRITE(10)
 *	keeps data and READ(10) returns it (verified I/O through the sim).
 * @s: sim.
 * @lun: LU index.
 * @store: caller-owned bytes (block n at offset n * 512), or NULL to
 *	detach: reads return zeros and writes are accepted and dropped (the
 *	default).  Blocks past @len behave the same way.
 * @len: bytes at @store.
 *
 * salua_sim_init() detaches every store.
 *
 * Return: 0, or -SALUA_EINVAL for a bad LU index or NULL @s.
 */
int salua_sim_set_store(struct salua_sim *s, unsigned lun, uint8_t *store,
			size_t len);

/**
 * salua_sim_set_time() - advance the virtual clock to @now_ms, applying
 * every transition end and scenario event due on the way, in time order.
 * A time earlier than the current one is ignored.
 */
void salua_sim_set_time(struct salua_sim *s, uint64_t now_ms);

/* Current virtual time in ms. */
uint64_t salua_sim_now(const struct salua_sim *s);

/* Next scheduled change (transition end or scenario event), UINT64_MAX if none. */
uint64_t salua_sim_next_deadline(const struct salua_sim *s);

/**
 * salua_sim_set_state() - implicit state change of group @group of LU @lun.
 * @state: target state (SALUA_STATE_*, must be in the supported set).
 * @transition_ms: time in TRANSITIONING; 0 changes at once.
 *
 * Either way 2A/06 is queued twice on each nexus: on entering and on
 * leaving TRANSITIONING.  A change to the current state with nothing
 * pending does nothing.  STATUS CODE becomes 2 (implicit).
 *
 * Return: 0, -SALUA_EINVAL (index out of range, reserved state),
 * -SALUA_ENOTSUP (state not supported).
 */
int salua_sim_set_state(struct salua_sim *s, unsigned lun, unsigned group,
			uint8_t state, uint32_t transition_ms);

/**
 * salua_sim_queue_ua() - queue a UNIT ATTENTION without changing anything
 * (a "UA storm": SAM-6 §5.14; e.g. 2A/06 on every I_T nexus at once).
 * @lun: LU index, or -1 for every LU.
 * @port: port index, or -1 for every port.
 * @ascq: ASC << 8 | ASCQ, e.g. SALUA_ASC_ASYMMETRIC_ACCESS_STATE_CHANGED.
 *
 * Each nexus queue keeps its overflow rule (docs/sim.md).
 * Return: 0 or -SALUA_EINVAL (index out of range).
 */
int salua_sim_queue_ua(struct salua_sim *s, int lun, int port, uint16_t ascq);

/* Set or clear the PREF bit of @group for @lun.  Return: 0 or -SALUA_EINVAL. */
int salua_sim_set_pref(struct salua_sim *s, unsigned lun, unsigned group,
		       bool pref);

/* Move @port into @group.  Return: 0 or -SALUA_EINVAL. */
int salua_sim_set_port_group(struct salua_sim *s, unsigned port,
			     unsigned group);

/**
 * salua_sim_load_scenario() - parse and schedule a scenario.
 * @text: scenario text, or the name of a built-in: "failover",
 *	"failback", "long-transition", "flap", "lu-group-move".
 *
 * Times are relative to the current virtual time; events due now are
 * applied before returning.  Nothing is scheduled when a line is bad.
 *
 * Return: number of events scheduled, or -SALUA_EMALFORMED (syntax or a
 * value out of range; see salua_sim_error()), -SALUA_ENOSPC (too many
 * events), -SALUA_EINVAL (NULL).
 */
int salua_sim_load_scenario(struct salua_sim *s, const char *text);

/* Text of the last scenario error, "" if none ("line 3: unknown state 'x'"). */
const char *salua_sim_error(const struct salua_sim *s);

/* Line number of the last scenario error, 0 if none. */
unsigned salua_sim_error_line(const struct salua_sim *s);

/* Text of a built-in scenario, NULL for an unknown name. */
const char *salua_sim_builtin(const char *name);

/* Name of built-in scenario @i (0-based), NULL past the last one. */
const char *salua_sim_builtin_name(unsigned i);

/**
 * salua_sim_inject() - arm a fault or switch a quirk.
 * Return: 0, -SALUA_EINVAL (bad spec), -SALUA_ENOSPC (too many armed faults).
 */
int salua_sim_inject(struct salua_sim *s, const struct salua_sim_fault_spec *f);

/* The configuration @s runs with (luns, ports, groups, ...). */
const struct salua_sim_config *salua_sim_get_config(const struct salua_sim *s);

/* Group index of @port (0xff for a bad port). */
uint8_t salua_sim_group_of_port(const struct salua_sim *s, unsigned port);

/* Current state of @group for @lun (0xff for bad indexes). */
uint8_t salua_sim_state(const struct salua_sim *s, unsigned lun,
			unsigned group);

/* Access state of the path (port, lun): its group's state. */
uint8_t salua_sim_path_state(const struct salua_sim *s, unsigned port,
			     unsigned lun);

/* Pending UNIT ATTENTIONs on nexus (port, lun). */
unsigned salua_sim_ua_pending(const struct salua_sim *s, unsigned port,
			      unsigned lun);

/**
 * salua_sim_gate() - the access-state gate: salua_target_gate() of the core
 *	(salua/target.h) without an LBA map.
 * @state: access state of the path.
 * @cdb: CDB as received.
 * @cdb_len: its length (>= 1).
 *
 * Return: 0 when the command may run, else the ASC/ASCQ of the NOT READY
 * answer (0x040a, 0x040b, 0x040c, 0x0412 or 0x0400).
 */
uint16_t salua_sim_gate(uint8_t state, const uint8_t *cdb, size_t cdb_len);

SALUA_END_DECLS

#endif /* SALUA_SIM_H */
