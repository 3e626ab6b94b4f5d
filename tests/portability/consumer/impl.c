/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The consumer's one implementation TU (header-only use). */
#define SALUA_IMPLEMENTATION
#include <salua/salua.h>
