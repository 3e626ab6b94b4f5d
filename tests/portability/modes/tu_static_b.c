/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* SALUA_STATIC in a second TU of the same program: no symbol clashes. */
#define SALUA_STATIC
#include "all_headers.h"
#include "salua/salua.h"
#include "modes.h"
#include "modes_checks.h"

int tu_static_b(int *ngroups)
{
	return modes_run("static_b", ngroups);
}
