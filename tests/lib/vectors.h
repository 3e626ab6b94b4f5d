/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Test inputs shared by the unit and differential tests: hex vector files
 * (SALUA_VECTORS_DIR, SALUA_TEST_DATA_DIR) and the two deterministic
 * generators the randomized tests use.  Include after salua_test.h.
 */
#ifndef SALUA_TEST_VECTORS_H
#define SALUA_TEST_VECTORS_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "salua_test.h"

#if defined(__GNUC__) || defined(__clang__)
#define T_VEC_UNUSED __attribute__((unused))
#define T_VEC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define T_VEC_UNUSED
#define T_VEC_PRINTF(f, a)
#endif

static T_VEC_UNUSED T_VEC_PRINTF(3, 4) size_t
t_load_hex(uint8_t *out, size_t cap, const char *fmt, ...);

/*
 * Bytes of the hex file whose path is @fmt (printf-style), parsed with
 * t_hex().  A missing, unreadable or oversized file, or one holding more
 * than @cap bytes, ends the test with status 2: a vector that silently
 * went missing must not read as an empty input.
 */
static size_t t_load_hex(uint8_t *out, size_t cap, const char *fmt, ...)
{
	static char text[65536];
	char path[1024];
	va_list ap;
	size_t n;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	if (n == sizeof(text) - 1 && fgetc(f) != EOF) {
		fprintf(stderr, "%s: larger than %zu bytes of text\n", path,
			sizeof(text) - 1);
		exit(2);
	}
	fclose(f);
	text[n] = '\0';
	n = t_hex(text, out, cap);
	if (n > cap) {
		fprintf(stderr, "%s: %zu bytes, buffer holds %zu\n", path, n,
			cap);
		exit(2);
	}
	return n;
}

/* splitmix64 step on @state: any seed, including 0, is fine. */
static T_VEC_UNUSED uint64_t t_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* xorshift32 step on @state (13, 17, 5); the seed must not be 0. */
static T_VEC_UNUSED uint32_t t_xorshift32(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

#endif
