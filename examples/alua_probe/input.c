/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - input readers: sg3_utils-style hex text and raw binary.
 *
 * Hex text, as sg3_utils' --inhex takes it: bytes written as one or two
 * hex digits separated by whitespace or commas, or runs of digit pairs
 * with no separator ("00830048..."); an optional 0x prefix per token;
 * '#' starts a comment that runs to the end of the line.  Offset columns
 * of sg3_utils' -H dumps are not recognised: use -HHH output.
 */
#include "probe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

PROBE_PRINTF(3, 4)
static void set_err(struct probe_err *err, const char *code, const char *fmt,
		    ...)
{
	va_list ap;

	err->code = code;
	err->offset = -1;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Ends the current token: a token of one digit is one byte, otherwise it
 * must be whole digit pairs (already emitted pair by pair).
 */
static int end_token(uint8_t *out, size_t cap, size_t *len, size_t ndig,
		     int pending, unsigned line, unsigned col,
		     struct probe_err *err)
{
	if (ndig == 1) {
		if (*len >= cap) {
			set_err(err, "enospc", "input exceeds %zu bytes", cap);
			return PROBE_EXIT_DECODE;
		}
		out[(*len)++] = (uint8_t)pending;
	} else if (ndig % 2u) {
		set_err(err, "emalformed",
			"line %u, column %u: odd number of hex digits", line,
			col);
		return PROBE_EXIT_DECODE;
	}
	return PROBE_EXIT_OK;
}

int probe_parse_hex(FILE *f, uint8_t *out, size_t cap, size_t *len,
		    struct probe_err *err)
{
	unsigned line = 1, col = 0, tok_line = 1, tok_col = 0;
	size_t ndig = 0;
	int pending = 0, c, rc;
	bool comment = false, prefix_ok = false;

	*len = 0;
	for (;;) {
		c = getc(f);
		col++;
		if (c == EOF || c == '\n' || c == ' ' || c == '\t' ||
		    c == '\r' || c == ',' || c == '\f' || c == '\v' ||
		    (c == '#' && !comment)) {
			if (prefix_ok && ndig == 0) {
				set_err(err, "emalformed",
					"line %u, column %u: \"0x\" without digits",
					tok_line, tok_col);
				return PROBE_EXIT_DECODE;
			}
			if (ndig) {
				rc = end_token(out, cap, len, ndig, pending,
					       tok_line, tok_col, err);
				if (rc)
					return rc;
				ndig = 0;
			}
			prefix_ok = false;
			if (c == EOF)
				break;
			if (c == '#')
				comment = true;
			if (c == '\n') {
				comment = false;
				line++;
				col = 0;
			}
			continue;
		}
		if (comment)
			continue;
		if (ndig == 0 && !prefix_ok) {
			tok_line = line;
			tok_col = col;
		}
		if ((c == 'x' || c == 'X') && ndig == 1 && pending == 0 &&
		    !prefix_ok) {
			/* "0x" prefix: forget the 0 and continue the token */
			ndig = 0;
			prefix_ok = true;
			continue;
		}
		if (hexval(c) < 0) {
			if (c >= 0x20 && c < 0x7f)
				set_err(err, "emalformed",
					"line %u, column %u: unexpected character '%c'",
					line, col, c);
			else
				set_err(err, "emalformed",
					"line %u, column %u: unexpected byte 0x%02x",
					line, col, (unsigned)c & 0xffu);
			return PROBE_EXIT_DECODE;
		}
		if (ndig % 2u == 0) {
			pending = hexval(c);
		} else {
			if (*len >= cap) {
				set_err(err, "enospc",
					"input exceeds %zu bytes", cap);
				return PROBE_EXIT_DECODE;
			}
			out[(*len)++] = (uint8_t)(pending << 4 | hexval(c));
		}
		ndig++;
	}
	if (ferror(f)) {
		set_err(err, "eio", "read error: %s", strerror(errno));
		return PROBE_EXIT_IO;
	}
	return PROBE_EXIT_OK;
}

static int read_raw(FILE *f, uint8_t *out, size_t cap, size_t *len,
		    struct probe_err *err)
{
	size_t n = fread(out, 1, cap, f);

	if (ferror(f)) {
		set_err(err, "eio", "read error: %s", strerror(errno));
		return PROBE_EXIT_IO;
	}
	if (n == cap && getc(f) != EOF) {
		set_err(err, "enospc", "input exceeds %zu bytes", cap);
		return PROBE_EXIT_DECODE;
	}
	*len = n;
	return PROBE_EXIT_OK;
}

int probe_read_input(const char *path, bool hex, uint8_t **buf, size_t *len,
		     struct probe_err *err)
{
	FILE *f;
	uint8_t *out;
	int rc;

	*buf = NULL;
	*len = 0;
	/* one spare byte so a decoder bug reading one past len is not UB */
	out = malloc(PROBE_MAX_INPUT + 1u);
	if (!out) {
		set_err(err, "eio", "out of memory");
		return PROBE_EXIT_IO;
	}
	if (strcmp(path, "-") == 0) {
		f = stdin;
	} else {
		f = fopen(path, hex ? "r" : "rb");
		if (!f) {
			set_err(err, "eio", "%s: %s", path, strerror(errno));
			free(out);
			return PROBE_EXIT_IO;
		}
	}
	if (hex)
		rc = probe_parse_hex(f, out, PROBE_MAX_INPUT, len, err);
	else
		rc = read_raw(f, out, PROBE_MAX_INPUT, len, err);
	if (f != stdin)
		fclose(f);
	if (rc) {
		free(out);
		*len = 0;
		return rc;
	}
	*buf = out;
	return PROBE_EXIT_OK;
}
