/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The one translation unit of the compiled salua library (libsalua). */
#define SALUA_IMPLEMENTATION
#include "salua/salua.h"
