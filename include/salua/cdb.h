/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua/cdb.h - placeholder; being written. */
#ifndef SALUA_CDB_H
#define SALUA_CDB_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"

#endif /* SALUA_CDB_H */
