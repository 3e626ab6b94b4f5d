/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* salua/inquiry.h - placeholder; being written. */
#ifndef SALUA_INQUIRY_H
#define SALUA_INQUIRY_H

#include "port.h"
#include "errors.h"
#include "proto.h"
#include "wire.h"

#endif /* SALUA_INQUIRY_H */
