/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua/engine.h - placeholder; being written. */
#ifndef SALUA_ENGINE_H
#define SALUA_ENGINE_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"

#endif /* SALUA_ENGINE_H */
