/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Shared bits of the fuzz targets.  Each target is one translation unit
 * that compiles the whole core privately (SALUA_STATIC), so libFuzzer's
 * coverage instrumentation and llvm-cov see the header code, and defines
 * LLVMFuzzerTestOneInput().  The same file links either with libFuzzer
 * (clang -fsanitize=fuzzer) or with replay.c (any compiler).
 *
 * FUZZ_CHECK() aborts: a failed property is a crash to libFuzzer and a
 * failing corpus file to the replay driver.
 */
#ifndef SALUA_FUZZ_H
#define SALUA_FUZZ_H

#define SALUA_STATIC
#include "salua/salua.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#ifdef __cplusplus
}
#endif

#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed\n",      \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

/*
 * A byte source over the fuzz input for the structured targets: reads past
 * the end give zeros, so every input is a valid program.
 */
struct fz {
	const uint8_t *p;
	size_t n;
	size_t off;
};

static __attribute__((unused)) void fz_init(struct fz *f, const uint8_t *p,
					    size_t n)
{
	f->p = p;
	f->n = n;
	f->off = 0;
}

static __attribute__((unused)) size_t fz_left(const struct fz *f)
{
	return f->n - f->off;
}

static __attribute__((unused)) uint8_t fz_u8(struct fz *f)
{
	return f->off < f->n ? f->p[f->off++] : 0u;
}

static __attribute__((unused)) uint16_t fz_u16(struct fz *f)
{
	uint16_t hi = fz_u8(f);

	return (uint16_t)((hi << 8) | fz_u8(f));
}

static __attribute__((unused)) uint32_t fz_u32(struct fz *f)
{
	uint32_t hi = fz_u16(f);

	return (hi << 16) | fz_u16(f);
}

/* Up to @max bytes as a zero-copy view of the input; *@len gets the count. */
static __attribute__((unused)) const uint8_t *fz_bytes(struct fz *f,
						       size_t want,
						       size_t *len)
{
	const uint8_t *p = f->p + f->off;

	if (want > fz_left(f))
		want = fz_left(f);
	f->off += want;
	*len = want;
	return p;
}

#endif /* SALUA_FUZZ_H */
