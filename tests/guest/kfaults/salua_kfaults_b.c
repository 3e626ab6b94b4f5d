// SPDX-License-Identifier: GPL-2.0-only
/* The same test-only module under a second name (see Kbuild). */
#include "salua_kfaults.c"
