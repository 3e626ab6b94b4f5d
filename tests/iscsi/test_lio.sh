#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# LIO in a QEMU guest reached over iSCSI through user-network hostfwd
# (127.0.0.1:13260/13261 -> the guest's two portals, one per ALUA group).
# Needs the guest harness (tests/guest) to boot a guest that configures
# LIO's iSCSI fabric; until it offers that, this test is skipped.
. "$(dirname "$0")/lib.sh"
HARNESS="$(dirname "$0")/../guest/run_lio_iscsi.sh"
[ -x "$HARNESS" ] || skip "guest harness for LIO over iSCSI ($HARNESS) not available"
PROBE=$1
"$HARNESS" start 13260 13261 || skip "guest did not start"
PIDS="$PIDS $(cat "${LIO_GUEST_PIDFILE:-/dev/null}" 2>/dev/null)"
IQN=${LIO_IQN:-iqn.2026-11.org.salua.lio:disk1}
U1=iscsi://127.0.0.1:13260/$IQN/0
U2=iscsi://127.0.0.1:13261/$IQN/0
timeout 60 "$PROBE" --json "$U1" "$U2" > "$WORK/probe.json" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "alua_probe through both portals (one of them standby)" || bad "exit $rc"
"$HARNESS" stop
finish
