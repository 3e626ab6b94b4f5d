/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* C++, default mode: calls the C implementation through extern "C". */
#include "salua/salua.h"
#include "modes.h"
#include "modes_checks.h"

int tu_cxx_decl(int *ngroups)
{
	return modes_run("cxx_decl", ngroups);
}
