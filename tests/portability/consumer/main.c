/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Consumer of an installed salua: runs the build-mode checks once. */
#include <salua/salua.h>
#include "modes_checks.h"

int main(void)
{
	int groups = 0;
	int fails = modes_run("consumer", &groups);

	printf("consumer (salua %s): %d check group(s), %d failure(s)\n",
	       SALUA_VERSION_STRING, groups, fails);
	return fails ? 1 : 0;
}
