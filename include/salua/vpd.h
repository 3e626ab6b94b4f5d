/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua/vpd.h - placeholder; being written. */
#ifndef SALUA_VPD_H
#define SALUA_VPD_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"

#endif /* SALUA_VPD_H */
