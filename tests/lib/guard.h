/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Guard-page placement for decoder tests: the input is copied so that its
 * last byte is the last byte of a readable page followed by a PROT_NONE
 * page, so any read past the end faults (as picohttpparser's tests do).
 */
#ifndef SALUA_TEST_GUARD_H
#define SALUA_TEST_GUARD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct guard {
	uint8_t *base;
	size_t map_len;
	size_t page;
};

/* Copy @len bytes of @data to end right before the guard page. */
static __attribute__((unused)) const uint8_t *guard_place(struct guard *g, const void *data,
				  size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data_pages = (len + page - 1) / page;
	if (data_pages == 0)
		data_pages = 1;
	g->page = page;
	g->map_len = (data_pages + 1) * page;
	g->base = (uint8_t *)mmap(NULL, g->map_len, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->base == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	if (mprotect(g->base + data_pages * page, page, PROT_NONE) != 0) {
		perror("mprotect");
		exit(2);
	}
	uint8_t *dst = g->base + data_pages * page - len;
	if (len)
		memcpy(dst, data, len);
	return dst;
}

static __attribute__((unused)) void guard_free(struct guard *g)
{
	munmap(g->base, g->map_len);
	g->base = NULL;
}

#endif
