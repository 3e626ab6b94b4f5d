/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Default mode: declarations only, single headers before the umbrella. */
#include "all_headers.h"
#include "salua/salua.h"
#include "modes.h"
#include "modes_checks.h"

int tu_decl(int *ngroups)
{
	return modes_run("decl", ngroups);
}
