/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * bench.h - a tiny benchmark harness shared by the benchmarks in bench/ (user space only).
 *
 *  - bench_now_ns(): monotonic clock in ns.
 *  - bench_measure(): calibrates an iteration count so one run lasts at
 *    least a few ms, repeats the run, and returns the median ns per
 *    operation (the median resists the noise of a shared machine).
 *  - bench_machine(): one paragraph describing CPU, cores, kernel,
 *    compiler and flags, printed above every table so numbers can be
 *    compared honestly.
 *  - bench_row()/bench_rule(): fixed-width Markdown table printing.
 *  - BENCH_BARRIER(): compiler barrier placed in every timed loop so the
 *    work of one iteration cannot be hoisted out of it.
 */
#ifndef SALUA_BENCH_H
#define SALUA_BENCH_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>

#if defined(__GNUC__) || defined(__clang__)
#define BENCH_BARRIER() __asm__ __volatile__("" ::: "memory")
#define BENCH_UNUSED __attribute__((unused))
#else
#define BENCH_BARRIER() ((void)0)
#define BENCH_UNUSED
#endif

#ifndef BENCH_REPS
#define BENCH_REPS 21
#endif
#ifndef BENCH_MIN_RUN_NS
#define BENCH_MIN_RUN_NS 500000ull /* 0.5 ms: most runs fit in one time slice */
#endif

/* A benchmark body: run @iters operations, return something to sink. */
typedef uint64_t (*bench_fn)(void *ctx, uint64_t iters);

static volatile uint64_t bench_sink;

static BENCH_UNUSED uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int bench__cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of @n values (sorts @v in place). */
static BENCH_UNUSED double bench_median(double *v, unsigned n)
{
	if (!n)
		return 0.0;
	qsort(v, n, sizeof(*v), bench__cmp_double);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Iteration count so that one run of @fn lasts >= BENCH_MIN_RUN_NS. */
static BENCH_UNUSED uint64_t bench_calibrate(bench_fn fn, void *ctx)
{
	uint64_t iters = 1000;

	for (;;) {
		uint64_t t0 = bench_now_ns();

		bench_sink += fn(ctx, iters);
		if (bench_now_ns() - t0 >= BENCH_MIN_RUN_NS || iters >= (1ull << 32))
			return iters;
		iters *= 2;
	}
}

/* Median ns per operation of @reps runs of @iters operations each. */
static BENCH_UNUSED double bench_run(bench_fn fn, void *ctx, uint64_t iters,
				     unsigned reps)
{
	double v[64];
	unsigned r;

	if (reps > 64)
		reps = 64;
	for (r = 0; r < reps; r++) {
		uint64_t t0 = bench_now_ns();

		bench_sink += fn(ctx, iters);
		v[r] = (double)(bench_now_ns() - t0) / (double)iters;
	}
	return bench_median(v, reps);
}

/* Calibrate, then median of BENCH_REPS runs: ns per operation. */
static BENCH_UNUSED double bench_measure(bench_fn fn, void *ctx)
{
	return bench_run(fn, ctx, bench_calibrate(fn, ctx), BENCH_REPS);
}

/* CPU model, online cores, kernel, compiler, flags: one Markdown block. */
static BENCH_UNUSED void bench_machine(FILE *out, const char *flags)
{
	char line[256], model[256] = "unknown";
	struct utsname u;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char *c = strchr(line, ':');

			if (!strncmp(line, "model name", 10) && c) {
				snprintf(model, sizeof(model), "%s", c + 2);
				model[strcspn(model, "\n")] = 0;
				break;
			}
		}
		fclose(f);
	}
	if (uname(&u) != 0)
		memset(&u, 0, sizeof(u));
	fprintf(out, "- CPU: %s, %ld online core(s)\n", model,
		sysconf(_SC_NPROCESSORS_ONLN));
	fprintf(out, "- OS: %s %s %s\n", u.sysname, u.release, u.machine);
#if defined(__VERSION__)
	fprintf(out, "- Compiler: %s%s, flags: %s\n",
#if defined(__clang__)
		"clang ",
#else
		"gcc ",
#endif
		__VERSION__, flags ? flags : "?");
#endif
	fprintf(out, "- Method: median of %d runs of >= %llu us each\n",
		BENCH_REPS, (unsigned long long)(BENCH_MIN_RUN_NS / 1000));
}

/* One table row: cells separated by " | ", Markdown style. */
static BENCH_UNUSED void bench_row(FILE *out, unsigned ncells, ...)
{
	va_list ap;
	unsigned i;

	va_start(ap, ncells);
	fputs("|", out);
	for (i = 0; i < ncells; i++)
		fprintf(out, " %s |", va_arg(ap, const char *));
	fputs("\n", out);
	va_end(ap);
}

/* The Markdown separator row under a header of @ncells cells. */
static BENCH_UNUSED void bench_rule(FILE *out, unsigned ncells)
{
	unsigned i;

	fputs("|", out);
	for (i = 0; i < ncells; i++)
		fputs("---|", out);
	fputs("\n", out);
}

#endif /* SALUA_BENCH_H */
