/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe_mangen - keep alua_probe.8 in step with the option table.
 *
 *   alua_probe_mangen --check PAGE    exit 1 (with a diff hint) if stale
 *   alua_probe_mangen --write PAGE    rewrite the generated regions
 *
 * A region is the text between the lines
 *   .\" BEGIN GENERATED NAME ...
 *   .\" END GENERATED NAME
 * and NAME is one of probe_cli_man_region()'s (cli_doc.c).  The .TH line's
 * fourth field becomes "salua VERSION".  Everything else is prose, edited
 * by hand.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEGIN ".\\\" BEGIN GENERATED "
#define END ".\\\" END GENERATED "

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096u + 1u > cap) {
			char *nb;

			cap = cap ? 2u * cap : 65536u;
			nb = (char *)realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, 4096u, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The page with every region regenerated, into @out; 0 or -1. */
static int regenerate(const char *in, FILE *out, unsigned *nregions)
{
	const char *p = in;
	char ver[64];

	snprintf(ver, sizeof(ver), "\"salua %s\"", probe_cli_version());
	*nregions = 0;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) + 1u : strlen(p);

		if (strncmp(p, ".TH ", 4) == 0) {
			/* .TH NAME SECTION "DATE" "SOURCE" "MANUAL" */
			const char *q[4];
			const char *c = p;
			unsigned k = 0;

			for (; c < p + n && k < 4u; c++)
				if (*c == '"')
					q[k++] = c;
			if (k < 4u)
				return -1;
			fwrite(p, 1, (size_t)(q[2] - p), out);
			fputs(ver, out);
			fwrite(q[3] + 1, 1, (size_t)(p + n - q[3] - 1), out);
			p += n;
			continue;
		}
		fwrite(p, 1, n, out);
		if (strncmp(p, BEGIN, strlen(BEGIN)) == 0) {
			char name[32], end[64];
			const char *e;
			size_t k = strcspn(p + strlen(BEGIN), " \n");

			if (k >= sizeof(name))
				return -1;
			memcpy(name, p + strlen(BEGIN), k);
			name[k] = '\0';
			snprintf(end, sizeof(end), "\n%s%s\n", END, name);
			e = strstr(p, end);
			if (!e || probe_cli_man_region(out, name) < 0) {
				fprintf(stderr, "alua_probe_mangen: region '%s': %s\n",
					name, e ? "unknown" : "no END line");
				return -1;
			}
			(*nregions)++;
			p = e + 1;
			continue;
		}
		p += n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char *old, *neu = NULL;
	size_t olen, nlen = 0;
	unsigned nreg;
	FILE *mf;
	int rc;

	if (argc != 3 || (strcmp(argv[1], "--check") && strcmp(argv[1], "--write"))) {
		fprintf(stderr, "usage: alua_probe_mangen --check|--write PAGE\n");
		return 2;
	}
	old = slurp(argv[2], &olen);
	if (!old) {
		perror(argv[2]);
		return 2;
	}
	mf = open_memstream(&neu, &nlen);
	if (!mf)
		return 2;
	rc = regenerate(old, mf, &nreg);
	fclose(mf);
	if (rc < 0 || nreg == 0) {
		fprintf(stderr, "alua_probe_mangen: %s: %s\n", argv[2],
			rc < 0 ? "bad generated region" : "no generated region");
		return 2;
	}
	if (olen == nlen && memcmp(old, neu, olen) == 0) {
		rc = 0;
	} else if (strcmp(argv[1], "--write") == 0) {
		FILE *f = fopen(argv[2], "wb");

		rc = !f || fwrite(neu, 1, nlen, f) != nlen || fclose(f) != 0;
		if (rc)
			perror(argv[2]);
		else
			fprintf(stderr, "alua_probe_mangen: %s rewritten\n",
				argv[2]);
	} else {
		fprintf(stderr,
			"alua_probe_mangen: %s is out of date with the option table (cli_table.c): run 'cmake --build BUILD --target alua_probe_man' and commit the result\n",
			argv[2]);
		rc = 1;
	}
	free(old);
	free(neu);
	return rc;
}
