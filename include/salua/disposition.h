/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua/disposition.h - placeholder; being written. */
#ifndef SALUA_DISPOSITION_H
#define SALUA_DISPOSITION_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"

#endif /* SALUA_DISPOSITION_H */
