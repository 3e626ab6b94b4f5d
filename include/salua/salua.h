/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * salua/salua.h - umbrella header for the salua ALUA core.
 *
 * Portable, freestanding, header-only SCSI ALUA (SPC-5 §5.16): codecs for
 * INQUIRY, VPD 0x00/0x80/0x83, REPORT/SET TARGET PORT GROUPS, REPORT
 * REFERRALS and sense data; the target's access-state gate; LU identity
 * checks; sense disposition; the per-LU rescan engine; the path selector.
 * See port.h for the build modes.
 */
#ifndef SALUA_SALUA_H
#define SALUA_SALUA_H

#define SALUA_VERSION_MAJOR 0
#define SALUA_VERSION_MINOR 1
#define SALUA_VERSION_PATCH 0
#define SALUA_VERSION_STRING "0.1.0"

#endif /* SALUA_SALUA_H */

#include "port.h"
#include "errors.h"
#include "wire.h"
#include "proto.h"
#include "cdb.h"
#include "inquiry.h"
#include "vpd.h"
#include "tpg.h"
#include "sense.h"
#include "referrals.h"
#include "target.h"
#include "identity.h"
#include "disposition.h"
#include "engine.h"
#include "selector.h"
