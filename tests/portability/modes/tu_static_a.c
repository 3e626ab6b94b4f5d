/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* SALUA_STATIC: private definitions, umbrella included twice. */
#define SALUA_STATIC
#include "salua/salua.h"
#include "salua/salua.h"
#include "modes.h"
#include "modes_checks.h"

int tu_static_a(int *ngroups)
{
	return modes_run("static_a", ngroups);
}
