/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * alua_probe - a device-mapper argument (/dev/mapper/NAME, /dev/dm-N, or a
 * link to one) stands for its member paths: the entries of sysfs
 * block/dm-N/slaves/, a member map expanded in turn, a partition replaced
 * by its disk.  SG_IO does not pass through a map, and the paths are what
 * ALUA is about.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include "dev.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DM_DEPTH_MAX 8u

struct names {
	char **v;
	unsigned n, cap;
};

static bool is_dm_name(const char *s)
{
	if (strncmp(s, "dm-", 3) != 0 || !s[3])
		return false;
	for (s += 3; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int add_name(struct names *ns, const char *s)
{
	unsigned i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], s) == 0)
			return 0;
	if (ns->n == ns->cap) {
		unsigned nc = ns->cap ? 2u * ns->cap : 8u;
		char **nv = (char **)realloc(ns->v, nc * sizeof(*nv));

		if (!nv)
			return -1;
		ns->v = nv;
		ns->cap = nc;
	}
	ns->v[ns->n] = (char *)malloc(strlen(s) + 1u);
	if (!ns->v[ns->n])
		return -1;
	strcpy(ns->v[ns->n++], s);
	return 0;
}

static void free_names(struct names *ns)
{
	unsigned i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

/* sdb < sdc < sdaa: shorter names first, then by bytes. */
static int cmp_name(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

/* "dm-N" of the map called @name (sysfs block/dm-N/dm/name). */
static bool dm_by_name(const char *name, char *out, size_t cap)
{
	char path[PATH_MAX], buf[256];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "%s/block", pd_sysfs());
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (de = readdir(d)) != NULL) {
		FILE *f;

		if (!is_dm_name(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/block/%s/dm/name", pd_sysfs(),
			 de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f)) {
			buf[strcspn(buf, "\n")] = '\0';
			if (strcmp(buf, name) == 0) {
				snprintf(out, cap, "%.31s", de->d_name);
				found = true;
			}
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

/* A partition's disk ("sdb1" -> "sdb"); @name itself otherwise. */
static void whole_disk(const char *name, char *out, size_t cap)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct stat st;
	char *slash;

	snprintf(out, cap, "%s", name);
	snprintf(path, sizeof(path), "%s/class/block/%s/partition", pd_sysfs(),
		 name);
	if (stat(path, &st) != 0)
		return;
	snprintf(path, sizeof(path), "%s/class/block/%s", pd_sysfs(), name);
	if (!realpath(path, real))
		return;
	slash = strrchr(real, '/');
	if (!slash)
		return;
	*slash = '\0';
	slash = strrchr(real, '/');
	if (slash)
		snprintf(out, cap, "%s", slash + 1);
}

static int members(const char *dm, unsigned depth, struct names *out,
		   struct probe_err *err)
{
	char path[PATH_MAX], disk[NAME_MAX + 1];
	struct names here = { NULL, 0, 0 };
	struct dirent *de;
	unsigned i;
	DIR *d;
	int rc = PROBE_EXIT_OK;

	if (depth > DM_DEPTH_MAX) {
		err->code = "einval";
		snprintf(err->message, sizeof(err->message),
			 "%s: device-mapper maps nested more than %u deep",
			 dm, DM_DEPTH_MAX);
		return PROBE_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/block/%s/slaves", pd_sysfs(), dm);
	d = opendir(path);
	if (!d) {
		err->code = "enodev";
		snprintf(err->message, sizeof(err->message),
			 "%s: no device-mapper map (%.200s: cannot read)", dm,
			 path);
		return PROBE_EXIT_NODEV;
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && add_name(&here, de->d_name) < 0)
			rc = PROBE_EXIT_IO;
	closedir(d);
	if (here.n)
		qsort(here.v, here.n, sizeof(*here.v), cmp_name);
	for (i = 0; i < here.n && rc == PROBE_EXIT_OK; i++) {
		if (is_dm_name(here.v[i])) {
			rc = members(here.v[i], depth + 1u, out, err);
			continue;
		}
		whole_disk(here.v[i], disk, sizeof(disk));
		snprintf(path, sizeof(path), "/dev/%.*s", NAME_MAX, disk);
		if (add_name(out, path) < 0)
			rc = PROBE_EXIT_IO;
	}
	free_names(&here);
	if (rc == PROBE_EXIT_IO) {
		err->code = "enomem";
		snprintf(err->message, sizeof(err->message), "out of memory");
	}
	return rc;
}

/*
 * Whether @arg names a device-mapper map: "/dev/mapper/NAME" (looked up by
 * name in sysfs), "/dev/dm-N", or a link resolving to /dev/dm-N.  @dm gets
 * "dm-N".  A /dev/mapper name without a map is an error (-1, @err set).
 */
static int dm_of(const char *arg, char *dm, size_t cap, struct probe_err *err)
{
	char real[PATH_MAX];
	const char *base;

	if (strncmp(arg, "/dev/mapper/", 12) == 0) {
		if (dm_by_name(arg + 12, dm, cap))
			return 1;
		err->code = "enodev";
		snprintf(err->message, sizeof(err->message),
			 "%s: no device-mapper map named '%s' (%s/block/dm-*/dm/name)",
			 arg, arg + 12, pd_sysfs());
		return -1;
	}
	base = strrchr(arg, '/');
	if (strncmp(arg, "/dev/", 5) == 0 && base && is_dm_name(base + 1)) {
		snprintf(dm, cap, "%s", base + 1);
		return 1;
	}
	if (realpath(arg, real) && strncmp(real, "/dev/", 5) == 0 &&
	    (base = strrchr(real, '/')) != NULL && is_dm_name(base + 1)) {
		snprintf(dm, cap, "%s", base + 1);
		return 1;
	}
	return 0;
}

bool pd_is_dm(const char *arg)
{
	struct probe_err err;
	char dm[32];

	return dm_of(arg, dm, sizeof(dm), &err) != 0;
}

int pd_dm_expand(const char *arg, char ***paths, unsigned *n,
		 struct probe_err *err)
{
	struct names out = { NULL, 0, 0 };
	char dm[64];
	int rc;

	*paths = NULL;
	*n = 0;
	rc = dm_of(arg, dm, sizeof(dm), err);
	if (rc < 0)
		return PROBE_EXIT_NODEV;
	if (rc == 0)
		return PROBE_EXIT_OK;
	rc = members(dm, 0, &out, err);
	if (rc == PROBE_EXIT_OK && out.n == 0) {
		err->code = "enodev";
		snprintf(err->message, sizeof(err->message),
			 "%s (%s): the map has no member devices", arg, dm);
		rc = PROBE_EXIT_NODEV;
	}
	if (rc != PROBE_EXIT_OK) {
		free_names(&out);
		return rc;
	}
	*paths = out.v;
	*n = out.n;
	return PROBE_EXIT_OK;
}

void pd_dm_free(char **paths, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
