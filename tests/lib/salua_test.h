/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Minimal test harness: CHECK macros that count and report, and a summary
 * line "N passed, N failed" that CI reads.  One binary per test file.
 */
#ifndef SALUA_TEST_H
#define SALUA_TEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long t_pass, t_fail;
static const char *t_case = "";

/*
 * n scaled by $SALUA_TEST_SCALE percent (default 100, at least 1): the
 * long randomized loops run fewer rounds where every instruction is
 * emulated (portability.s390x sets 10), never fewer than one.
 */
static inline unsigned long t_scaled(unsigned long n)
{
	const char *e = getenv("SALUA_TEST_SCALE");
	unsigned long pct = e && *e ? strtoul(e, NULL, 10) : 100ul;
	unsigned long r = pct >= 100ul ? n : n / 100ul * pct;

	return r ? r : 1ul;
}

#define T_CASE(name) (t_case = (name))

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (cond) {                                                    \
			t_pass++;                                              \
		} else {                                                       \
			t_fail++;                                              \
			fprintf(stderr, "%s:%d: [%s] CHECK(%s) failed\n",      \
				__FILE__, __LINE__, t_case, #cond);            \
		}                                                              \
	} while (0)

#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b);        \
		if (t_a_ == t_b_) {                                            \
			t_pass++;                                              \
		} else {                                                       \
			t_fail++;                                              \
			fprintf(stderr,                                        \
				"%s:%d: [%s] %s == %s failed: %lld != %lld\n", \
				__FILE__, __LINE__, t_case, #a, #b, t_a_,      \
				t_b_);                                         \
		}                                                              \
	} while (0)

#define CHECK_STR(a, b)                                                        \
	do {                                                                   \
		const char *t_a_ = (a), *t_b_ = (b);                           \
		if (t_a_ && t_b_ && strcmp(t_a_, t_b_) == 0) {                 \
			t_pass++;                                              \
		} else {                                                       \
			t_fail++;                                              \
			fprintf(stderr,                                        \
				"%s:%d: [%s] %s == %s failed: \"%s\" != "      \
				"\"%s\"\n",                                    \
				__FILE__, __LINE__, t_case, #a, #b,            \
				t_a_ ? t_a_ : "(null)",                        \
				t_b_ ? t_b_ : "(null)");                       \
		}                                                              \
	} while (0)

#define CHECK_MEM(a, b, n)                                                     \
	do {                                                                   \
		if (memcmp((a), (b), (n)) == 0) {                              \
			t_pass++;                                              \
		} else {                                                       \
			t_fail++;                                              \
			fprintf(stderr, "%s:%d: [%s] memcmp(%s, %s) failed\n", \
				__FILE__, __LINE__, t_case, #a, #b);           \
		}                                                              \
	} while (0)

/* Print the summary and return the process exit status. */
static __attribute__((unused)) int t_done(const char *suite)
{
	printf("%s: %lu passed, %lu failed\n", suite, t_pass, t_fail);
	return t_fail ? 1 : 0;
}

/* Parse hex text ("00 83 00 48 ..." or "008300...") into @out. */
static __attribute__((unused)) size_t t_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (; *hex; hex++) {
		int v;
		char c = *hex;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			if (n < cap)
				out[n] = (uint8_t)(hi << 4 | v);
			n++;
			hi = -1;
		}
	}
	return n;
}

#endif
