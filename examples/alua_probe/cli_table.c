/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - THE option table, and the other lists --help and the man
 * page print (modes, device names, environment, exit statuses).  How to add
 * an option: see cli.h.  Man text is roff: \- for a minus, \fB..\fR bold,
 * \fI..\fR italic; a line starting with "." is a request.
 */
#include "cli.h"
#include "probe.h"

#define OFF(m) offsetof(struct probe_cli, m)
#define SEC 1000u
#define DAY (86400u * SEC)

static const struct probe_opt_choice rws[] = {
	{ "verify", 2, true },
	{ "read", 0, true },
	{ "write", 1, true },
	{ NULL, 0, false }
};

/* Values: enum salua_sel_policy. */
static const struct probe_opt_choice policies[] = {
	{ "numa", 0, true },
	{ "round-robin", 1, true },
	{ "queue-depth", 2, true },
	{ "service-time", 3, true },
	{ "failover", 4, true },
	{ "latency", 5, true },
	{ NULL, 0, false }
};

static const struct probe_opt_choice types[] = {
	{ "inquiry", PROBE_T_INQUIRY, true },
	{ "vpd83", PROBE_T_VPD83, true },
	{ "rtpg", PROBE_T_RTPG, true },
	{ "stpg", PROBE_T_STPG, true },
	{ "sense", PROBE_T_SENSE, true },
	{ "referrals", PROBE_T_REFERRALS, true },
	{ NULL, 0, false }
};

/* sg_stpg's tokens and sysfs' access_state spellings are accepted too. */
static const struct probe_opt_choice states[] = {
	{ "ao", SALUA_STATE_AO, true },
	{ "active/optimized", SALUA_STATE_AO, false },
	{ "active_optimized", SALUA_STATE_AO, false },
	{ "ano", SALUA_STATE_ANO, true },
	{ "an", SALUA_STATE_ANO, false },
	{ "active/non-optimized", SALUA_STATE_ANO, false },
	{ "active_nonoptimized", SALUA_STATE_ANO, false },
	{ "standby", SALUA_STATE_STANDBY, true },
	{ "s", SALUA_STATE_STANDBY, false },
	{ "sb", SALUA_STATE_STANDBY, false },
	{ "unavailable", SALUA_STATE_UNAVAILABLE, true },
	{ "u", SALUA_STATE_UNAVAILABLE, false },
	{ "un", SALUA_STATE_UNAVAILABLE, false },
	{ "offline", SALUA_STATE_OFFLINE, true },
	{ "o", SALUA_STATE_OFFLINE, false },
	{ "of", SALUA_STATE_OFFLINE, false },
	{ NULL, 0, false }
};

const struct probe_opt probe_cli_opts[] = {
	/* ---- every mode ---- */
	{ .name = "json", .shrt = 'j', .kind = PROBE_K_JSON, .meta = "JO",
	  .modes = PROBE_M_ALL, .off = OFF(json), .section = PROBE_S_COMMON,
	  .help = "print JSON instead of text: one object, or with --watch one "
		  "compact object per line (JSON Lines); errors too are JSON "
		  "objects.  JO: sg3_utils' control letters (p: pretty, -p: "
		  "one line, k: packed, 2/3/4/8: indent); the short form is "
		  "-j=JO",
	  .man = "Print JSON instead of text (see\n"
		 ".BR \"JSON OUTPUT\" ).\n"
		 "Every object has a\n"
		 ".B schema_version\n"
		 "member; every error is reported as an object with an\n"
		 ".B error\n"
		 "member, also usage errors (an object of type\n"
		 ".BR error ).\n"
		 "With\n"
		 ".BR \\-\\-watch ,\n"
		 "a stream in JSON Lines form: one compact JSON object per "
		 "line.\n"
		 ".IP\n"
		 ".I JO\n"
		 "is accepted as sg3_utils 1.48 spells it: control letters "
		 "in any order, each boolean one negated by a preceding\n"
		 ".BR \\- ,\n"
		 ".B !\n"
		 "or\n"
		 ".BR ~ ,\n"
		 "and a leading\n"
		 ".B =\n"
		 "ignored; the short form takes it only as\n"
		 ".BI \\-j= JO\n"
		 ".RB ( \\-jH\n"
		 "is\n"
		 ".B \\-j\n"
		 "with\n"
		 ".BR \\-H ).\n"
		 "Honoured:\n"
		 ".B p\n"
		 "(pretty\\-print, the default;\n"
		 ".B \\-p\n"
		 "puts each object on one line),\n"
		 ".B k\n"
		 "(with\n"
		 ".BR \\-p :\n"
		 "no spaces),\n"
		 ".BR 0 \", \" 2 \", \" 3 \", \" 4 \" and \" 8\n"
		 "(spaces per indentation level; 2 by default, where sg3_utils "
		 "uses 4).\n"
		 "Accepted and ignored, because alua_probe's objects already "
		 "carry what they ask for or have no such part:\n"
		 ".B e\n"
		 "(the exit status is the process's and an error object's),\n"
		 ".B h\n"
		 "(numbers are always integers),\n"
		 ".B l\n"
		 "(the lead\\-in is\n"
		 ".BR schema_version ),\n"
		 ".BR n \", \" s \", \" o \", \" v \", \" g \", \" q \", \" y \" and \" z .\n"
		 "Any other character is a usage error.\n"
		 "The environment variable\n"
		 ".B SG3_UTILS_JSON_OPTS\n"
		 "is not read.\n"
		 "The\n"
		 ".B \\-\\-watch\n"
		 "stream is always packed, one object per line." },
	{ .name = "help", .shrt = 'h', .kind = PROBE_K_HELP,
	  .modes = PROBE_M_ALL, .off = OFF(help), .section = PROBE_S_COMMON,
	  .help = "print this help and exit" },
	{ .name = "version", .shrt = 'V', .kind = PROBE_K_VERSION,
	  .modes = PROBE_M_ALL, .off = OFF(version), .section = PROBE_S_COMMON,
	  .help = "print the version and exit" },

	/* ---- devices: probe, watch, set-state ---- */
	{ .name = "hex", .shrt = 'H', .kind = PROBE_K_FLAG,
	  .modes = PROBE_M_DEVICES, .off = OFF(hex), .section = PROBE_S_DEVICES,
	  .help = "also show the raw INQUIRY, VPD 0x83 and RTPG bytes",
	  .man = "Also print the raw INQUIRY, VPD 0x83 and RTPG responses\n"
		 "(exactly the bytes received) in hex." },
	{ .name = "verbose", .shrt = 'v', .kind = PROBE_K_FLAG,
	  .modes = PROBE_M_DEVICES, .off = OFF(verbose),
	  .section = PROBE_S_DEVICES,
	  .help = "show every CDB, data-out and sense on stderr, and the "
		  "engine's events and state changes",
	  .man = "Print every CDB, data\\-out buffer, status and sense on "
		 "standard error, and the engine's events, state changes "
		 "included (docs/engine.md, \"State machine\"), on "
		 "standard output." },
	{ .name = "timeout", .kind = PROBE_K_MS, .meta = "S",
	  .modes = PROBE_M_DEVICES, .off = OFF(timeout_ms), .min = 100u,
	  .max = DAY, .section = PROBE_S_DEVICES,
	  .help = "time limit in seconds for every command sent (SG_IO, "
		  "iSCSI login and commands, sim: latency) instead of the "
		  "per-command defaults, so a dead path ends the run",
	  .man = "Time limit for every command sent to a device, instead of "
		 "the per\\-command defaults (10 s for INQUIRY and TEST UNIT "
		 "READY, the engine's RTPG timeout, 30 s for SET TARGET PORT "
		 "GROUPS), and for the iSCSI connection and login; also "
		 "bounds the wait for a transition after\n"
		 ".BR \\-\\-set\\-state .\n"
		 "A command that times out fails its path (exit status 3) "
		 "and the run goes on, so a dead path cannot hang it.\n"
		 "Through SG_IO the limit is the kernel's: on\n"
		 ".I /dev/sdX\n"
		 "the kernel raises a limit below 7 s to 7 s, and its error "
		 "handling after a timeout takes the time the transport "
		 "needs; on\n"
		 ".I /dev/sgN\n"
		 "the limit is used as given.\n"
		 "On\n"
		 ".B sim:\n"
		 "devices a command whose simulated latency reaches the limit "
		 "times out." },

	/* ---- --watch ---- */
	{ .name = "watch", .shrt = 'w', .kind = PROBE_K_FLAG,
	  .modes = PROBE_M_WATCH | PROBE_M_IO, .selects = PROBE_M_WATCH,
	  .excl = 2,
	  .off = OFF(watch), .section = PROBE_S_WATCH,
	  .help = "run the engine, poll each path with TEST UNIT READY and "
		  "print every state change with a timestamp",
	  .man = "Run the engine on every logical unit, send TEST UNIT READY "
		 "on each path every interval (user space only; opt\\-in) so "
		 "UNIT ATTENTIONs are seen, and print each state change, UNIT "
		 "ATTENTION, engine command and selector change with a "
		 "timestamp\n"
		 ".RB ( [+ S.mmm s]\n"
		 "since the start; simulated time for\n"
		 ".B sim:\n"
		 "devices) until interrupted, then the final report.\n"
		 "With\n"
		 ".BR \\-\\-json ,\n"
		 "one object of type\n"
		 ".B state\\-change\n"
		 "per line and per change, with members\n"
		 ".BR type ,\n"
		 ".BR schema_version ,\n"
		 ".BR time_ms ,\n"
		 ".BR device ,\n"
		 ".BR lu_name ,\n"
		 ".BR tpg_id ,\n"
		 ".BR old_state_name ,\n"
		 ".BR state ,\n"
		 ".B state_name\n"
		 "and\n"
		 ".BR preferred ;\n"
		 "no final report follows.\n"
		 "With\n"
		 ".BR \\-\\-io ,\n"
		 "the same lines interleaved with the I/O's own events." },
	{ .name = "interval", .kind = PROBE_K_MS, .meta = "S",
	  .modes = PROBE_M_WATCH | PROBE_M_IO, .off = OFF(interval_ms),
	  .min = 10u, .max = DAY, .def = SEC, .section = PROBE_S_WATCH,
	  .help = "polling interval in seconds (with --io: the path "
		  "checker's)" },
	{ .name = "duration", .kind = PROBE_K_MS, .meta = "S",
	  .modes = PROBE_M_WATCH | PROBE_M_IO, .off = OFF(duration_ms),
	  .min = 1u, .max = 365u * (uint64_t)DAY, .section = PROBE_S_WATCH,
	  .help = "stop after S seconds (simulated seconds for sim:); "
		  "without it, run until interrupted (--io: 10 s)",
	  .man = "Stop watching (or issuing I/O) after\n"
		 ".I S\n"
		 "seconds (simulated seconds for\n"
		 ".B sim:\n"
		 "devices); without it, watch until interrupted, and run\n"
		 ".B \\-\\-io\n"
		 "for 10 s." },
	{ .name = "speed", .kind = PROBE_K_UINT, .meta = "N",
	  .modes = PROBE_M_WATCH | PROBE_M_IO, .off = OFF(speed), .min = 1u,
	  .max = 1000u, .def = 1u, .section = PROBE_S_WATCH,
	  .help = "run simulated time N times faster than real time" },

	/* ---- --set-state ---- */
	{ .name = "set-state", .kind = PROBE_K_ENUM, .meta = "STATE",
	  .modes = PROBE_M_SET_STATE, .selects = PROBE_M_SET_STATE, .excl = 2,
	  .off = OFF(set_state), .choices = states,
	  .section = PROBE_S_SET_STATE,
	  .help = "send SET TARGET PORT GROUPS for the group of --device DEV, "
		  "then show the new state",
	  .man = "Send SET TARGET PORT GROUPS for the target port group of\n"
		 ".I DEV\n"
		 "(its own group from VPD 0x83, or from the RTPG port list), "
		 "then show the new state, waiting out a transition.\n"
		 "The aliases of sg_stpg\n"
		 ".RB ( an ,\n"
		 ".BR s ,\n"
		 ".BR u ,\n"
		 ".BR o )\n"
		 "and the kernel's access_state names are accepted too.\n"
		 "A target without explicit ALUA answers ILLEGAL REQUEST; "
		 "this is reported clearly with exit status 5.\n"
		 "Block devices are opened read\\-only (a writable open of\n"
		 ".I /dev/sdX\n"
		 "makes udev process a change event when it is closed); "
		 "nothing is lost: the kernel's SG_IO filter passes SET "
		 "TARGET PORT GROUPS (MAINTENANCE OUT, which shares its "
		 "opcode with the CD\\-ROM command REPORT KEY on the "
		 "filter's read\\-only list) and REPORT TARGET PORT GROUPS "
		 "on a read\\-only descriptor for anyone who may open the "
		 "node, root or not.\n"
		 ".I /dev/sgN\n"
		 "nodes are opened read\\-write when permitted." },
	{ .name = "device", .kind = PROBE_K_STR, .meta = "DEV",
	  .modes = PROBE_M_SET_STATE, .off = OFF(device),
	  .section = PROBE_S_SET_STATE,
	  .help = "the path whose group --set-state changes (probed if not "
		  "among the DEVICEs)",
	  .man = "The path whose target port group\n"
		 ".B \\-\\-set\\-state\n"
		 "changes; it is probed with the\n"
		 ".IR DEVICE s,\n"
		 "or alone (with its logical unit's other paths for\n"
		 ".BR sim: )\n"
		 "when none is given." },

	/* ---- --io ---- */
	{ .name = "io", .kind = PROBE_K_FLAG, .modes = PROBE_M_IO,
	  .selects = PROBE_M_IO, .off = OFF(io), .section = PROBE_S_IO,
	  .help = "send verified READ/WRITE through each logical unit: the "
		  "selector picks the path of every I/O, errors go through "
		  "the disposition, I/O waits while no path is usable; "
		  "prints I/Os, errors, mismatches, each path's share and the "
		  "longest pause; write and verify overwrite the region",
	  .man = "Run a small verified load through each logical unit with "
		 "the salua host layer: every I/O's path is picked by the "
		 "selector\n"
		 ".RB ( \\-\\-policy ),\n"
		 "every error goes through the disposition (retry, delayed "
		 "retry while transitioning, requeue, fail over), I/O waits "
		 "while no path is usable (at most\n"
		 ".BR \\-\\-queue ),\n"
		 "a path whose I/O keeps failing is demoted, and a standby "
		 "group is activated when nothing else can serve.\n"
		 "Written blocks carry their LBA and a generation number; "
		 "every read is compared with what was written.\n"
		 "At the end each logical unit's I/Os, errors, mismatches, "
		 "MiB/s, longest pause and the share of each path are printed "
		 "(exit status 3 on any error or mismatch).\n"
		 ".B write\n"
		 "and\n"
		 ".B verify\n"
		 "overwrite the region\n"
		 ".RB ( \\-\\-offset ,\n"
		 ".BR \\-\\-size );\n"
		 "use them on scratch logical units only.\n"
		 "On\n"
		 ".B sim:\n"
		 "arrays no device is needed.\n"
		 "With\n"
		 ".BR \\-\\-json ,\n"
		 "an object of type\n"
		 ".B io\n"
		 "with the probe's logical units, each with an\n"
		 ".B io\n"
		 "member\n"
		 ".RB ( ios ,\n"
		 ".BR reads ,\n"
		 ".BR writes ,\n"
		 ".BR errors ,\n"
		 ".BR mismatches ,\n"
		 ".BR max_pause_ms ,\n"
		 ".BR mib_s ,\n"
		 ".BR first_error ,\n"
		 "and\n"
		 ".B paths\n"
		 "with each path's\n"
		 ".B device\n"
		 "and\n"
		 ".BR ios )." },
	{ .name = "rw", .kind = PROBE_K_ENUM, .meta = "MODE",
	  .modes = PROBE_M_IO, .off = OFF(rw), .choices = rws,
	  .section = PROBE_S_IO,
	  .help = "verify: write every block, then reads checked against it "
		  "mixed with rewrites (the default); read: reads only, each "
		  "block that carries a header checked for its LBA; write: "
		  "writes only" },
	{ .name = "policy", .kind = PROBE_K_ENUM, .meta = "POLICY",
	  .modes = PROBE_M_IO, .off = OFF(policy), .choices = policies,
	  .section = PROBE_S_IO,
	  .help = "the selector policy (default service-time, as "
		  "dm-multipath's)" },
	{ .name = "iodepth", .kind = PROBE_K_UINT, .meta = "N",
	  .modes = PROBE_M_IO, .off = OFF(iodepth), .min = 1u, .max = 1024u,
	  .def = 8u, .section = PROBE_S_IO,
	  .help = "I/Os kept in flight per logical unit" },
	{ .name = "bs", .kind = PROBE_K_UINT, .meta = "BYTES",
	  .modes = PROBE_M_IO, .off = OFF(bs), .min = 512u,
	  .max = 1048576u, .def = 4096u, .section = PROBE_S_IO,
	  .help = "bytes per I/O, a multiple of the logical block size" },
	{ .name = "offset", .kind = PROBE_K_UINT, .meta = "LBA",
	  .modes = PROBE_M_IO, .off = OFF(offset), .min = 0u,
	  .max = 0xffffffffu, .section = PROBE_S_IO,
	  .help = "first block of the region" },
	{ .name = "size", .kind = PROBE_K_UINT, .meta = "BYTES",
	  .modes = PROBE_M_IO, .off = OFF(size), .min = 4096u,
	  .max = 1u << 30, .def = 8u << 20, .section = PROBE_S_IO,
	  .help = "bytes of the region; it must fit the logical unit" },
	{ .name = "queue", .kind = PROBE_K_MS, .meta = "S",
	  .modes = PROBE_M_IO, .off = OFF(queue_ms), .min = 0u, .max = DAY,
	  .def = 30u * SEC, .section = PROBE_S_IO,
	  .help = "while no path is usable, hold I/O at most S seconds "
		  "(as no_path_retry; 0: fail at once)" },
	{ .name = "timeline", .kind = PROBE_K_STR, .meta = "FILE",
	  .modes = PROBE_M_IO, .off = OFF(timeline), .section = PROBE_S_IO,
	  .help = "write one line per I/O to FILE (t_done_us op block "
		  "lat_us status path) and the events (state changes, UNIT "
		  "ATTENTIONs, commands, path events) to FILE.events (t_us "
		  "kind text), on one clock",
	  .man = "Write one line per completed I/O to\n"
		 ".I FILE\n"
		 "\\(em\n"
		 ".IR t_done_us \" \" op \" \" block \" \" lat_us \" \" status \" \" path ,\n"
		 "the format of salua_vio's timeline\n"
		 "(op R or W, block the I/O's index in the region, status\n"
		 ".BR ok ,\n"
		 ".B mismatch\n"
		 "or\n"
		 ".BI err= RESULT )\n"
		 "\\(em and the events to\n"
		 ".IB FILE .events\n"
		 "as\n"
		 ".IR t_us \" \" kind \" \" text\n"
		 "with kind\n"
		 ".BR state ,\n"
		 ".BR ua ,\n"
		 ".B cmd\n"
		 "(the engine's RTPG, STPG and TEST UNIT READY) or\n"
		 ".B mark\n"
		 "(path failed or reinstated, demoted, queueing started or "
		 "ended, activation), both on the same clock (microseconds; "
		 "simulated for\n"
		 ".BR sim: )." },

	/* ---- decode ---- */
	{ .name = "type", .shrt = 't', .kind = PROBE_K_ENUM, .meta = "TYPE",
	  .modes = PROBE_M_DECODE, .off = OFF(type), .choices = types,
	  .section = PROBE_S_DECODE,
	  .help = "what the bytes are: standard INQUIRY data, the Device "
		  "Identification VPD page, REPORT TARGET PORT GROUPS data, a "
		  "SET TARGET PORT GROUPS parameter list, fixed or "
		  "descriptor sense data, or REPORT REFERRALS data",
	  .man = "What the bytes are:\n"
		 ".B inquiry\n"
		 "(standard INQUIRY data),\n"
		 ".B vpd83\n"
		 "(Device Identification VPD page, including its 4\\-byte "
		 "header),\n"
		 ".B rtpg\n"
		 "(REPORT TARGET PORT GROUPS parameter data, classic or "
		 "extended header, recognised from byte 4),\n"
		 ".B stpg\n"
		 "(SET TARGET PORT GROUPS parameter list),\n"
		 ".B sense\n"
		 "(sense data in fixed or descriptor format) or\n"
		 ".B referrals\n"
		 "(REPORT REFERRALS parameter data: user data segments and "
		 "the state of each target port group for them)." },
	{ .name = "inhex", .shrt = 'I', .kind = PROBE_K_STR, .meta = "FILE",
	  .modes = PROBE_M_DECODE, .excl = 1, .off = OFF(inhex),
	  .section = PROBE_S_DECODE,
	  .help = "read hex bytes, as sg3_utils' --inhex (--hex FILE is the "
		  "same); the default, from standard input",
	  .man = "Read the bytes as hexadecimal text, the format of the\n"
		 ".B \\-\\-inhex\n"
		 "option of sg3_utils: bytes of one or two hex digits "
		 "separated by white space or commas, or runs of digit pairs "
		 "without separators; an optional\n"
		 ".B 0x\n"
		 "prefix per token; a\n"
		 ".B #\n"
		 "starts a comment that ends with the line.\n"
		 "The offset column of\n"
		 ".B \\-H\n"
		 "style dumps is not recognised; use\n"
		 ".B \\-HHH\n"
		 "output or remove the column first.\n"
		 ".BI \\-\\-hex \" FILE\"\n"
		 "is a synonym.\n"
		 "This is the default, reading standard input, when neither\n"
		 ".B \\-\\-inhex\n"
		 "nor\n"
		 ".B \\-\\-raw\n"
		 "is given." },
	{ .name = "hex", .kind = PROBE_K_STR, .meta = "FILE",
	  .modes = PROBE_M_DECODE, .excl = 1, .alias_of = "inhex",
	  .off = OFF(inhex), .section = PROBE_S_DECODE },
	{ .name = "raw", .shrt = 'r', .kind = PROBE_K_STR, .meta = "FILE",
	  .modes = PROBE_M_DECODE, .excl = 1, .off = OFF(raw),
	  .section = PROBE_S_DECODE,
	  .help = "read binary bytes",
	  .man = "Read the bytes as binary." },
};
const unsigned probe_cli_nopts =
	sizeof(probe_cli_opts) / sizeof(probe_cli_opts[0]);

const char *const probe_cli_section_title[PROBE_S_COUNT] = {
	"Options", "Device options", "Watch options", "Set-state options",
	"I/O options", "Decode options"
};

const struct probe_doc_item probe_cli_notes[PROBE_S_COUNT] = {
	[PROBE_S_DECODE] = {
		NULL,
		"FILE may be - for standard input.  Input is limited to 1048576 "
		"bytes.",
		"A\n"
		".I FILE\n"
		"of\n"
		".B \\-\n"
		"means standard input.\n"
		"At most 1048576 bytes (1 MiB) of data are accepted; longer "
		"input is an error." },
};

static const char *const req_decode[] = { "type", NULL };
static const char *const req_set_state[] = { "set-state", "device", NULL };

const struct probe_mode_doc probe_cli_modes[] = {
	{ PROBE_M_DECODE, "decode",
	  "decode --type TYPE [--inhex FILE | --raw FILE] [--json[=JO]]",
	  req_decode, false },
	{ PROBE_M_PROBE, "probe",
	  "[--json[=JO]] [--hex] [-v] [--timeout S] [DEVICE...]", NULL, true },
	{ PROBE_M_SET_STATE, "set-state",
	  "--set-state STATE --device DEV [--json[=JO]] [-v] [--timeout S] "
	  "[DEVICE...]",
	  req_set_state, true },
	{ PROBE_M_WATCH, "watch",
	  "--watch [--interval S] [--duration S] [--speed N] [--json[=JO]] "
	  "[DEVICE...]",
	  NULL, true },
	{ PROBE_M_IO, "io",
	  "--io [--rw read|write|verify] [--policy POLICY] [--duration S] "
	  "[--iodepth N] [--bs BYTES] [--offset LBA] [--size BYTES] "
	  "[--queue S] [--timeline FILE] [--watch] [--json[=JO]] "
	  "[DEVICE...]",
	  NULL, true },
};
const unsigned probe_cli_nmodes =
	sizeof(probe_cli_modes) / sizeof(probe_cli_modes[0]);

const char probe_cli_about[] =
	"Decode SCSI ALUA data offline, or probe devices, with the salua "
	"library.  With no DEVICE every SCSI device in /sys/class/scsi_device "
	"is probed.  Paths are grouped into logical units by LU name (VPD "
	"0x83); each LU shows its paths' ports, groups, states and the path "
	"each selector policy picks.";

const struct probe_doc_item probe_cli_devices[] = {
	{ "/dev/sgN, /dev/sdX",
	  "a SCSI generic or SCSI disk node (SG_IO); disks are opened "
	  "read-only",
	  ".I /dev/sgN\n"
	  "or\n"
	  ".IR /dev/sdX :\n"
	  "a SCSI generic or SCSI disk node, driven through the SG_IO "
	  "ioctl.\n"
	  "Block devices are opened read\\-only (see\n"
	  ".BR \\-\\-set\\-state )." },
	{ "/dev/mapper/NAME, /dev/dm-N",
	  "a device-mapper map (dm-multipath): its member paths, from sysfs "
	  "slaves/",
	  ".I /dev/mapper/NAME\n"
	  "or\n"
	  ".IR /dev/dm\\-N :\n"
	  "a device\\-mapper map such as a dm\\-multipath device; it "
	  "stands for its member paths, read from\n"
	  ".IR /sys/block/dm\\-N/slaves/ .\n"
	  "A member that is itself a map is expanded in turn, a partition "
	  "stands for its disk;\n"
	  ".B \\-v\n"
	  "lists the members.\n"
	  ".B SALUA_SYSFS\n"
	  "moves\n"
	  ".I /sys\n"
	  "(for tests)." },
	{ "sim:[KEY=VALUE,...]",
	  "the built-in simulated array: luns=N, ports=N, groups=N, "
	  "explicit=0|1, implicit=0|1, supported=N, itt=S, transition=MS, "
	  "latency=MS, nonop=MS, sense=fixed|desc, ua-scope=all|group, "
	  "power-on-ua=0|1, "
	  "scenario=failover|failback|long-transition|flap|lu-group-move, "
	  "delay=S before the scenario starts (default 2 with --watch and "
	  "--io, else 0), and link=S, every path's round trip (default "
	  "0.001 with --io, else 0)",
	  ".BI sim: KEY=VALUE,...\n"
	  "is the built\\-in simulated array:\n"
	  ".BI luns= N ,\n"
	  ".BI ports= N ,\n"
	  ".BI groups= N ,\n"
	  ".BR explicit=0 | 1 ,\n"
	  ".BR implicit=0 | 1 ,\n"
	  ".BI supported= N ,\n"
	  ".BI itt= S ,\n"
	  ".BI transition= MS ,\n"
	  ".BI latency= MS ,\n"
	  ".BI nonop= MS ,\n"
	  ".BR sense=fixed | desc ,\n"
	  ".BR ua\\-scope=all | group ,\n"
	  ".BR power\\-on\\-ua=0 | 1 ,\n"
	  ".BR scenario=failover | failback | long\\-transition | flap | "
	  "lu\\-group\\-move ,\n"
	  "and\n"
	  ".BI delay= S ,\n"
	  "the time before the scenario starts (seconds, or with a unit:\n"
	  ".BR ms ,\n"
	  ".BR s ,\n"
	  ".BR m ;\n"
	  "2 s by default with\n"
	  ".B \\-\\-watch\n"
	  "and\n"
	  ".BR \\-\\-io ,\n"
	  "else 0), and\n"
	  ".BI link= S ,\n"
	  "the round trip of every path's link (1 ms by default with\n"
	  ".BR \\-\\-io ,\n"
	  "else 0).\n"
	  "Two\n"
	  ".B sim\n"
	  "arguments are two arrays\n"
	  ".RB ( sim1: ...)." },
	{ "iscsi://[USER[%PASSWORD]@]HOST[:PORT]/TARGET-IQN/LUN[?ARGS]",
	  "an iSCSI logical unit through libiscsi, one session per URL: two "
	  "portals of a target are two paths; ARGS: header_digest=crc32c|none, "
	  "target_user=NAME&target_password=SECRET (mutual CHAP); an IPv6 HOST "
	  "in brackets; CHAP also from the environment (below)",
	  ".BI iscsi:// \\fR[\\fIUSER\\fR[\\fB%\\fIPASSWORD\\fR]\\fB@\\fR]"
	  "\\fIHOST\\fR[\\fB:\\fIPORT\\fR]\\fB/\\fITARGET\\-IQN\\fB/\\fILUN"
	  "\\fR[\\fB?\\fIARGS\\fR]\n"
	  "is an iSCSI logical unit reached with libiscsi, one session per "
	  "URL, as libiscsi's own tools take it: two portals of one target "
	  "give two paths of one logical unit.\n"
	  ".I HOST\n"
	  "may be an IPv6 address in brackets;\n"
	  ".I PORT\n"
	  "defaults to 3260;\n"
	  ".I USER\n"
	  "and\n"
	  ".I PASSWORD\n"
	  "are the initiator's CHAP credentials (visible in the process "
	  "list: prefer the environment variables below);\n"
	  ".I TARGET\\-IQN\n"
	  "may be percent\\-encoded.\n"
	  ".I ARGS\n"
	  "are\n"
	  ".BR & \\-separated:\n"
	  ".BR header_digest=crc32c | none ,\n"
	  ".BI target_user= NAME\n"
	  "and\n"
	  ".BI target_password= SECRET\n"
	  "(mutual CHAP, which needs the initiator's CHAP too).\n"
	  "Quote the URL in a shell." },
	{ NULL, NULL, NULL }
};

const struct probe_doc_item probe_cli_env[] = {
	{ "LIBISCSI_CHAP_USERNAME, LIBISCSI_CHAP_PASSWORD",
	  "the initiator's CHAP name and secret for iscsi:// devices (a "
	  "USER%PASSWORD in the URL wins)",
	  NULL },
	{ "LIBISCSI_CHAP_TARGET_USERNAME, LIBISCSI_CHAP_TARGET_PASSWORD",
	  "the target's CHAP name and secret for mutual CHAP (the URL's "
	  "target_user and target_password win)",
	  NULL },
	{ "LIBISCSI_DEBUG",
	  "libiscsi's log level; its messages go to standard error", NULL },
	{ "LIBISCSI_TCP_USER_TIMEOUT, LIBISCSI_TCP_KEEPIDLE, "
	  "LIBISCSI_TCP_KEEPINTVL, LIBISCSI_TCP_KEEPCNT, LIBISCSI_TCP_SYNCNT",
	  "TCP socket options libiscsi sets on each connection "
	  "(TCP_USER_TIMEOUT in milliseconds, the keepalive times in "
	  "seconds)",
	  NULL },
	{ "LIBISCSI_BIND_INTERFACES",
	  "comma-separated network interfaces libiscsi binds its connections "
	  "to",
	  NULL },
	{ "SALUA_SYSFS",
	  "where sysfs is mounted, /sys by default (tests point it at a fake "
	  "tree)",
	  NULL },
	{ "SALUA_ISCSI_INITIATOR",
	  "the initiator IQN alua_probe logs in with", NULL },
	{ "SALUA_ISCSI_TIMEOUT_MS",
	  "connection, login and default command time limit for iscsi:// "
	  "devices in milliseconds, 100..600000 (default 10000); --timeout "
	  "wins",
	  NULL },
	{ NULL, NULL, NULL }
};

const struct probe_doc_item probe_cli_exit[] = {
	{ "0", "success; data cut short by a small allocation length (RTPG, "
	       "REPORT REFERRALS, sense, INQUIRY) count as decoded, flagged "
	       "as truncated",
	  "Success.\n"
	  "A REPORT TARGET PORT GROUPS or REPORT REFERRALS response, sense "
	  "data or standard INQUIRY data cut short by a small allocation "
	  "length still count as decoded: that is a normal outcome, what "
	  "arrived whole is reported,\n"
	  ".B truncated\n"
	  "is true, the parts that were cut are listed or\n"
	  ".BR null ,\n"
	  "and the text output prints a warning line." },
	{ "1", "the data are malformed or too short (bad hex, too large, or "
	       "rejected by the decoder, an invalid designator included)",
	  "The data are malformed or too short (the decoder rejected them, "
	  "the hex text is invalid, or the input is larger than 1 MiB).\n"
	  "An invalid designator in VPD page 0x83, a sense descriptor that "
	  "overruns ADDITIONAL SENSE LENGTH and an impossible user data "
	  "segment are malformed data too; everything decodable is still "
	  "reported.\n"
	  "With\n"
	  ".B \\-\\-json\n"
	  "the object is printed with its\n"
	  ".B error\n"
	  "member set." },
	{ "2", "usage error",
	  "Usage error: unknown option, subcommand, type or state, a value "
	  "out of range or with trailing characters, an option given twice "
	  "or outside its mode, or a missing argument.\n"
	  "Nothing is printed on standard output, except with\n"
	  ".BR \\-\\-json :\n"
	  "an object of type\n"
	  ".B error\n"
	  "with code\n"
	  ".BR eusage ." },
	{ "3", "I/O error (file cannot be opened or read; a command failed or "
	       "timed out)",
	  "I/O error: the file cannot be opened or read, or a command to a "
	  "device failed or timed out (the message names the device).\n"
	  "With\n"
	  ".B \\-\\-json\n"
	  "the error is an object (code\n"
	  ".B eio\n"
	  "or\n"
	  ".BR etimedout );\n"
	  "a device report is still printed, with the failed path's\n"
	  ".B error\n"
	  "and the report's\n"
	  ".B error\n"
	  "set." },
	{ "4", "no SCSI device found, or DEVICE is not a SCSI device",
	  "No SCSI device found, or\n"
	  ".I DEVICE\n"
	  "is not a SCSI device." },
	{ "5", "the target refused SET TARGET PORT GROUPS (not supported)",
	  "The target refused SET TARGET PORT GROUPS (not supported, or the "
	  "state is not allowed)." },
	{ NULL, NULL, NULL }
};
