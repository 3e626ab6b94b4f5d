/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - internal declarations shared by the program's files.
 *
 * The program uses only the public salua API ("salua/salua.h"); this
 * header is private to examples/alua_probe.
 */
#ifndef ALUA_PROBE_H
#define ALUA_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "salua/salua.h"

#if defined(__GNUC__) || defined(__clang__)
#define PROBE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PROBE_PRINTF(f, a)
#endif

/* Exit statuses (documented in --help and alua_probe.8). */
#define PROBE_EXIT_OK 0
#define PROBE_EXIT_DECODE 1
#define PROBE_EXIT_USAGE 2
#define PROBE_EXIT_IO 3

/* Largest input accepted, in decoded bytes (SPC data is at most 64 KiB). */
#define PROBE_MAX_INPUT (1024u * 1024u)

enum probe_type {
	PROBE_T_INQUIRY,
	PROBE_T_VPD83,
	PROBE_T_RTPG,
	PROBE_T_STPG,
	PROBE_T_SENSE,
	PROBE_T_REFERRALS
};

/*
 * struct probe_err - why input could not be read or decoded.
 * @code: salua_errname() name, or "eio" for an operating-system error.
 * @message: human text.
 * @offset: byte offset in the data where decoding failed, or -1 (JSON
 *	null) when there is no such offset.
 */
struct probe_err {
	const char *code;
	char message[256];
	long offset;
};

/* input.c */
int probe_read_input(const char *path, bool hex, uint8_t **buf, size_t *len,
		     struct probe_err *err);
int probe_parse_hex(FILE *f, uint8_t *out, size_t cap, size_t *len,
		    struct probe_err *err);

/* num.c: the one number parser (range and end checked, no overflow). */
bool probe_parse_u64(const char *s, uint64_t min, uint64_t max,
		     uint64_t *out, char *why, size_t cap);
/* A duration; a bare number counts @unit_ms, "ms", "s", "m" say theirs. */
bool probe_parse_ms(const char *s, uint64_t unit_ms, uint64_t min,
		    uint64_t max, uint64_t *out, char *why, size_t cap);
void probe_fmt_secs(char *buf, size_t cap, uint64_t ms);

/*
 * json.c: a small streaming JSON writer.  Every top-level object carries
 * "schema_version" (jw_head); the layout of each type is described in
 * examples/alua_probe/alua_probe.schema.json.  Adding a member is
 * compatible; removing or changing one bumps the version.
 */
#define PROBE_JSON_SCHEMA_VERSION 1u
#define JW_MAX_DEPTH 16
struct jw {
	FILE *f;
	int depth;
	bool first[JW_MAX_DEPTH];
	bool inl[JW_MAX_DEPTH];
	bool after_key;
	bool compact; /* whole value on one line (JSON Lines, --json=-p) */
	bool spaced;  /* compact with a space after ',' and ':' */
	unsigned indent_w;
};
struct probe_json_style;
extern struct probe_json_style probe_jstyle;
void jw_head(struct jw *w, const char *type, bool with_error,
	     const struct probe_err *e);
void jw_init(struct jw *w, FILE *f);
void jw_init_compact(struct jw *w, FILE *f);
void jw_obj(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr(struct jw *w, bool inline_items);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *k);
void jw_uint(struct jw *w, uint64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
void jw_uint_or_null(struct jw *w, bool have, uint64_t v);
void jw_bool_or_null(struct jw *w, bool have, bool v);
void jw_str(struct jw *w, const char *s);
void jw_bytes(struct jw *w, const uint8_t *p, size_t n);
/* Device bytes as a string; true when some byte was not UTF-8 (\udcXX). */
bool jw_text(struct jw *w, const uint8_t *p, size_t n);
void jw_hex(struct jw *w, const uint8_t *p, size_t n);
void jw_finish(struct jw *w);
void jw_error(struct jw *w, const struct probe_err *e);

/* text helpers shared by the printers (json.c) */
size_t probe_trim_len(const uint8_t *p, size_t n);
void probe_put_escaped(FILE *f, const uint8_t *p, size_t n);
void probe_put_hex(FILE *f, const uint8_t *p, size_t n);

/*
 * decode.c: run the core decoders and turn their return codes into a
 * probe_err with an offset.  Each returns a PROBE_EXIT_* status; the
 * result struct is filled as far as decoding got.
 */
struct probe_rtpg {
	bool have_info;
	struct salua_rtpg_info info;
	struct salua_rtpg_iter it; /* first descriptor; copy before walking */
};
int probe_decode_rtpg(const uint8_t *buf, size_t len, struct probe_rtpg *r,
		      struct probe_err *err);

struct probe_stpg {
	struct salua_stpg_desc *d; /* malloc()ed; free with free() */
	size_t n;
};
int probe_decode_stpg(const uint8_t *buf, size_t len, struct probe_stpg *r,
		      struct probe_err *err);

/*
 * struct probe_sense - sense data as far as they arrived.
 * @received: bytes given.
 * @cut: the descriptor-format sense ends inside a descriptor (its status
 *	in the walk is SALUA_SDESC_ST_CUT).
 */
struct probe_sense {
	bool ok;
	struct salua_sense s;
	size_t received;
	bool cut;
};
int probe_decode_sense(const uint8_t *buf, size_t len, struct probe_sense *r,
		       struct probe_err *err);

struct probe_inquiry {
	bool ok;
	struct salua_inquiry inq;
	size_t received;
};
int probe_decode_inquiry(const uint8_t *buf, size_t len,
			 struct probe_inquiry *r, struct probe_err *err);

/*
 * struct probe_vpd83 - page 0x83 as far as it could be walked.
 * @have_page: the page header decoded.
 * @legacy: the page is in the SCSI-2 layout (salua_vpd83_legacy()); @d then
 *	holds its one identifier.
 * @d: designators in page order (malloc()ed), @n of them; after a walk
 *	error, the ones before the bad descriptor.
 * @lu_name: the logical unit name exactly as the kernel's wwid has it
 *	(bytes, may hold NULs), @lu_len of them; @lu_rc the rank (> 0) or the
 *	error of salua_vpd83_lu_desig().
 * @lu_strict: the SPC-5 reading (salua_vpd83_lu_name_strict()), "" when
 *	@lu_strict_rc < 0.
 * @port: relative target port / target port group as the kernel reads
 *	them, valid when @port_rc >= 0; @port_strict as SPC-5 (and sg_stpg).
 * @quirks: SALUA_VPD83_Q_* bits of the kernel's reading.
 */
#define PROBE_LU_NAME_MAX 1100u /* "t10." + 255 bytes as "\ooo" */
struct probe_vpd83 {
	bool have_page;
	bool legacy;
	struct salua_vpd_page pg;
	struct salua_vpd83_desig *d;
	size_t n;
	char lu_name[PROBE_LU_NAME_MAX];
	size_t lu_len;
	int lu_rc;
	char lu_strict[PROBE_LU_NAME_MAX];
	int lu_strict_rc;
	struct salua_vpd83_port port;
	int port_rc;
	struct salua_vpd83_port port_strict;
	int port_strict_rc;
	uint16_t quirks;
};
int probe_decode_vpd83(const uint8_t *buf, size_t len, struct probe_vpd83 *r,
		       struct probe_err *err);
void probe_vpd83_free(struct probe_vpd83 *r);

/*
 * struct probe_referrals - REPORT REFERRALS parameter data.
 * @have_info: the 4-byte header arrived.
 * @it: iterator at the first complete segment (copy before walking).
 */
struct probe_referrals {
	bool have_info;
	struct salua_referrals_info info;
	struct salua_referrals_iter it;
};
int probe_decode_referrals(const uint8_t *buf, size_t len,
			   struct probe_referrals *r, struct probe_err *err);

/* Short names used by both reports. */
const char *probe_assoc_name(unsigned a);
const char *probe_codeset_name(unsigned c);
const char *probe_desig_type_name(unsigned t);
const char *probe_proto_name(unsigned p);
const char *probe_pdt_name(unsigned pdt);
const char *probe_rtpg_format_name(enum salua_rtpg_format format);
const char *probe_sdesc_status_name(unsigned status);
const char *probe_uds_problem_name(unsigned bit);
size_t probe_desig_text_len(const struct salua_vpd83_desig *d);

/* report_json.c / report_plain.c: each returns a PROBE_EXIT_* status. */
int probe_json(enum probe_type t, const uint8_t *buf, size_t len,
	       const struct probe_err *in_err, FILE *f);
int probe_plain(enum probe_type t, const uint8_t *buf, size_t len, FILE *f);
const char *probe_type_name(enum probe_type t);
/* Members of one RTPG descriptor, shared with the device report. */
void probe_json_tpg_desc(struct jw *w, const struct salua_tpg_desc *d);

/*
 * out.c: errors, reported once for every subcommand: "alua_probe: MSG" on
 * stderr and, with --json, an object of type "error" on stdout.  Each
 * returns @exit_status (PROBE_EXIT_USAGE for probe_usage_error).
 */
void probe_out_init(bool json, bool lines, const char *command);
bool probe_out_json(void);
void probe_json_error(int exit_status, const struct probe_err *e);
int probe_fail_err(int exit_status, const struct probe_err *e);
PROBE_PRINTF(3, 4)
int probe_fail(int exit_status, const char *code, const char *fmt, ...);
PROBE_PRINTF(1, 2)
int probe_usage_error(const char *fmt, ...);
/* @rc, or PROBE_EXIT_IO when standard output could not be written. */
int probe_flush_stdout(int rc);

/* One file per subcommand; each returns a PROBE_EXIT_* status. */
struct probe_cli;
int probe_cmd_decode(const struct probe_cli *cli);  /* cmd_decode.c */
int probe_cmd_probe(const struct probe_cli *cli);   /* cmd_probe.c */
int probe_cmd_watch(const struct probe_cli *cli);   /* cmd_watch.c */
int probe_cmd_io(const struct probe_cli *cli);      /* cmd_io.c */
int probe_cmd_set_state(const struct probe_cli *cli); /* cmd_set_state.c */

#endif /* ALUA_PROBE_H */
