/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - the command line: one table of options (cli_table.c) drives
 * getopt_long (cli.c), --help and the man page (cli_doc.c).
 *
 * Adding an option: one entry in probe_cli_opts[] (cli_table.c) and, for a
 * value, one member of struct probe_cli that the entry names with
 * offsetof().  Its kind decides how the value is parsed and checked
 * (numbers by probe_parse_u64/probe_parse_ms with the entry's range), its
 * modes where it is accepted, its help and man text what --help and
 * alua_probe.8 say; run the "alua_probe_man" target to rewrite the
 * generated parts of the man page (the test probe.manpage_sync fails until
 * you do).  No parsing code to write unless the kind is new.
 */
#ifndef ALUA_PROBE_CLI_H
#define ALUA_PROBE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Modes: what one run does.  "decode" as the first argument selects
 * DECODE; otherwise an option with .selects picks the mode, PROBE if none.
 */
enum probe_mode {
	PROBE_M_DECODE = 1u << 0,
	PROBE_M_PROBE = 1u << 1,
	PROBE_M_WATCH = 1u << 2,
	PROBE_M_SET_STATE = 1u << 3,
	PROBE_M_IO = 1u << 4,
};
#define PROBE_M_DEVICES \
	(PROBE_M_PROBE | PROBE_M_WATCH | PROBE_M_SET_STATE | PROBE_M_IO)
#define PROBE_M_ALL (PROBE_M_DECODE | PROBE_M_DEVICES)

/* How an option's value is parsed, and the member type it writes. */
enum probe_opt_kind {
	PROBE_K_FLAG,  /* bool, set to true */
	PROBE_K_STR,   /* const char *, non-empty */
	PROBE_K_UINT,  /* uint64_t in [min, max] (probe_parse_u64) */
	PROBE_K_MS,    /* uint64_t milliseconds in [min, max]: "1.5", "250ms" */
	PROBE_K_ENUM,  /* int: the .value of the matching probe_opt_choice */
	PROBE_K_JSON,  /* bool json + struct probe_json_style: --json[=JO] */
	PROBE_K_HELP,  /* print --help, exit 0 */
	PROBE_K_VERSION /* print the version, exit 0 */
};

/* Documentation sections, in the order --help and the man page use. */
enum probe_opt_section {
	PROBE_S_COMMON,
	PROBE_S_DEVICES,
	PROBE_S_WATCH,
	PROBE_S_SET_STATE,
	PROBE_S_IO,
	PROBE_S_DECODE,
	PROBE_S_COUNT
};

/*
 * struct probe_opt_choice - one accepted word of a PROBE_K_ENUM option.
 * @name: the word.
 * @value: stored value; several words may share one.
 * @doc: listed in --help and the man page (the other words are aliases).
 */
struct probe_opt_choice {
	const char *name;
	int value;
	bool doc;
};

/*
 * struct probe_opt - one option.
 * @name: long name without "--".
 * @shrt: short letter, 0 for none.
 * @kind: enum probe_opt_kind.
 * @meta: argument name in --help/man ("S", "FILE"); NULL for flags.
 * @modes: PROBE_M_* where the option is accepted.
 * @selects: the mode this option selects (0: none).
 * @excl: exclusion group: at most one option of a non-zero group.
 * @alias_of: long name of the documented option this one duplicates
 *	(same member, same checks); an alias is not listed separately.
 * @off: offsetof(struct probe_cli, member) written by the option.
 * @min: smallest value (PROBE_K_UINT; milliseconds for PROBE_K_MS).
 * @max: largest value, likewise.
 * @def: default, applied before parsing (same unit), 0 for none.
 * @choices: PROBE_K_ENUM words, NULL-terminated.
 * @section: where --help and the man page list it.
 * @help: --help text, plain, one sentence or two (wrapped by the printer).
 * @man: man page paragraph in roff; NULL to use @help.
 */
struct probe_opt {
	const char *name;
	char shrt;
	enum probe_opt_kind kind;
	const char *meta;
	unsigned modes;
	unsigned selects;
	unsigned excl;
	const char *alias_of;
	size_t off;
	uint64_t min, max, def;
	const struct probe_opt_choice *choices;
	enum probe_opt_section section;
	const char *help;
	const char *man;
};

/*
 * struct probe_mode_doc - one mode for the usage lines and the checks.
 * @mode: PROBE_M_*.
 * @name: as "command" in JSON errors ("probe", "watch", ...).
 * @synopsis: usage line after "alua_probe " in the --help spelling:
 *	[optional], A | B, WORD... for repeatable operands.
 * @requires: long names of options the mode cannot run without, or NULL.
 * @operands: DEVICE operands accepted.
 */
struct probe_mode_doc {
	unsigned mode;
	const char *name;
	const char *synopsis;
	const char *const *requires;
	bool operands;
};

/* A line of a documented list: devices, environment, exit statuses. */
struct probe_doc_item {
	const char *tag;  /* "/dev/sgN", "LIBISCSI_DEBUG", "3" */
	const char *help; /* plain text for --help */
	const char *man;  /* roff for the man page; NULL to use @help */
};

/* sg3_utils' --json=JO control letters as far as alua_probe honours them. */
struct probe_json_style {
	bool single_line; /* 'p' off: the object on one line */
	bool packed;      /* 'k': no spaces in single-line output */
	unsigned indent;  /* '0'/'2', '3', '4', '8': spaces per pretty level */
};

#define PROBE_MAX_OPTS 64u

/*
 * struct probe_cli - the parsed command line.  Members written by table
 * entries are named in the comments by their option.
 */
struct probe_cli {
	unsigned mode;          /* PROBE_M_* */
	bool given[PROBE_MAX_OPTS]; /* per probe_cli_opts[] index */
	/* common */
	bool json;              /* --json */
	struct probe_json_style jstyle; /* --json=JO */
	bool verbose;           /* -v */
	bool help, version;
	uint64_t timeout_ms;    /* --timeout, 0 = per-command defaults */
	/* devices */
	bool hex;               /* --hex (device mode) */
	bool watch;             /* --watch */
	uint64_t interval_ms;   /* --interval */
	uint64_t duration_ms;   /* --duration */
	uint64_t speed;         /* --speed */
	int set_state;          /* --set-state: SALUA_STATE_* */
	const char *device;     /* --device */
	const char **operands;  /* DEVICE..., argv order */
	unsigned noperands;
	/* io */
	bool io;                /* --io */
	int rw;                 /* --rw: enum salua_iogen_rw */
	int policy;             /* --policy: enum salua_sel_policy */
	uint64_t iodepth;       /* --iodepth */
	uint64_t bs;            /* --bs */
	uint64_t offset;        /* --offset (blocks) */
	uint64_t size;          /* --size (bytes) */
	uint64_t queue_ms;      /* --queue */
	const char *timeline;   /* --timeline */
	/* decode */
	int type;               /* --type: enum probe_type */
	const char *inhex;      /* --inhex / --hex FILE */
	const char *raw;        /* --raw */
};

extern const struct probe_opt probe_cli_opts[];
extern const unsigned probe_cli_nopts;
extern const struct probe_mode_doc probe_cli_modes[];
extern const unsigned probe_cli_nmodes;
extern const struct probe_doc_item probe_cli_devices[];
extern const struct probe_doc_item probe_cli_env[];
extern const struct probe_doc_item probe_cli_exit[];
/* A closing note per section (.tag unused), or NULLs. */
extern const struct probe_doc_item probe_cli_notes[PROBE_S_COUNT];
extern const char probe_cli_about[];
extern const char *const probe_cli_section_title[PROBE_S_COUNT];

/* cli.c */
/*
 * probe_cli_parse() - parse argv into @c.  Returns PROBE_EXIT_OK, or
 * PROBE_EXIT_USAGE with the first problem in @msg (one line, no prefix).
 * @c->json is set as far as argv said so, even on error, so the caller
 * can report in the requested form.
 */
int probe_cli_parse(int argc, char **argv, struct probe_cli *c, char *msg,
		    size_t cap);
void probe_cli_free(struct probe_cli *c);
const char *probe_cli_mode_name(unsigned mode);
const struct probe_opt *probe_cli_find(const char *name, unsigned modes);
bool probe_cli_given(const struct probe_cli *c, const char *name);
int probe_parse_json_opts(const char *jo, struct probe_json_style *st,
			  char *msg, size_t cap);

/* cli_doc.c: --help, and the generated parts of alua_probe.8. */
void probe_cli_help(FILE *f);
int probe_cli_man_region(FILE *f, const char *region);
const char *probe_cli_version(void);

#endif /* ALUA_PROBE_CLI_H */
