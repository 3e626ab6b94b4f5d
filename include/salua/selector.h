/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua/selector.h - placeholder; being written. */
#ifndef SALUA_SELECTOR_H
#define SALUA_SELECTOR_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"

#endif /* SALUA_SELECTOR_H */
