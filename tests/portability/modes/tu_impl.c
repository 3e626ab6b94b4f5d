/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The one implementation TU: declarations first (umbrella), then the
 * implementation in the same TU (umbrella again, then every header once
 * more, which must all be no-ops).
 */
#include "salua/salua.h"
#define SALUA_IMPLEMENTATION
#include "salua/salua.h"
#include "salua/salua.h"
#include "all_headers.h"
#include "modes.h"
#include "modes_checks.h"

int tu_impl(int *ngroups)
{
	return modes_run("impl", ngroups);
}
