/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* C++, SALUA_STATIC: the implementation compiled as C++. */
#define SALUA_STATIC
#include "salua/salua.h"
#include "all_headers.h"
#include "modes.h"
#include "modes_checks.h"

int tu_cxx_static(int *ngroups)
{
	return modes_run("cxx_static", ngroups);
}
