#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# istgt on 127.0.0.1 with two portal groups: alua_probe shows one LU with
# two paths (RTPG probed although INQUIRY says TPGS=0), the decoded groups
# and PREF bits; a 16-byte allocation length gets a truncated answer that
# keeps the full RETURN DATA LENGTH; STPG is accepted; verified I/O
# through both portals (alua_probe --io): no error, no mismatch.
. "$(dirname "$0")/lib.sh"
PROBE=$1 DRIVE=$2
start_istgt 13270 13271 13279
U1=iscsi://127.0.0.1:13270/$ISTGT_IQN/0
U2=iscsi://127.0.0.1:13271/$ISTGT_IQN/0

timeout 30 "$PROBE" "$U1" "$U2" > "$WORK/probe.txt" 2>&1; rc=$?
cat "$WORK/probe.txt"
[ $rc -eq 0 ] && ok "alua_probe exit 0" || bad "alua_probe exit $rc"
expect_re "$WORK/probe.txt" '^LU t10\.FreeBSD iSCSI DISK +10000001' "one LU, named from the T10 designator"
expect_re "$WORK/probe.txt" 'TPGS 0 \(none\)  2 paths' "TPGS=0 and two paths"
expect_re "$WORK/probe.txt" "^  $U1 +- +127\.0\.0\.1:13270 1 +0x0001 active/optimized yes  tolusNA +implicit" "path 1: port 1, group 1, AO, PREF"
expect_re "$WORK/probe.txt" "^  $U2 +- +127\.0\.0\.1:13271 2 +0x0002 active/optimized yes  tolusNA +implicit" "path 2: port 2, group 2, AO, PREF"

timeout 30 "$PROBE" --json "$U1" "$U2" > "$WORK/probe.json" 2>&1
python3 - "$WORK/probe.json" > "$WORK/json.txt" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
lus = j["logical_units"]
print("lus=%d" % len(lus))
lu = lus[0]
print("paths=%d" % len(lu["paths"]))
for p in lu["paths"]:
    print("path %s rel %d tpg %d state %s pref %s" % (p["hctl"], p["relative_port"], p["tpg_id"], p["state_name"], p["preferred"]))
for g in lu["groups"]:
    print("group %d %s pref %s sup %d status %d ports %s" % (g["tpg_id"], g["state_name"], g["preferred"], g["supported"], g["status_code"], g["ports"]))
PY
cat "$WORK/json.txt"
expect_line "$WORK/json.txt" "lus=1"
expect_line "$WORK/json.txt" "paths=2"
expect_line "$WORK/json.txt" "path 127.0.0.1:13270 rel 1 tpg 1 state active/optimized pref True"
expect_line "$WORK/json.txt" "path 127.0.0.1:13271 rel 2 tpg 2 state active/optimized pref True"
expect_line "$WORK/json.txt" "group 1 active/optimized pref True sup 3 status 2 ports [1]"
expect_line "$WORK/json.txt" "group 2 active/optimized pref True sup 3 status 2 ports [2]"

timeout 30 "$DRIVE" cmds "$U2" > "$WORK/cmds.txt" 2>&1
cat "$WORK/cmds.txt"
expect_line "$WORK/cmds.txt" "inquiry.tpgs=0"
expect_line "$WORK/cmds.txt" "vpd83.rel_port=1:2"
expect_line "$WORK/cmds.txt" "vpd83.tpg=1:2"
expect_line "$WORK/cmds.txt" "rtpg.xfer=0"
expect_line "$WORK/cmds.txt" "rtpg.status=0x00"
expect_line "$WORK/cmds.txt" "rtpg.raw=00 00 00 18 80 03 00 01 00 02 00 01 00 00 00 01 80 03 00 02 00 02 00 01 00 00 00 02"
expect_line "$WORK/cmds.txt" "rtpg.data_len=28"
expect_line "$WORK/cmds.txt" "rtpg.residual=996"
expect_line "$WORK/cmds.txt" "rtpg.group=tpg 1 state active/optimized pref 1 sup 0x03 status 2 ports 1"
expect_line "$WORK/cmds.txt" "rtpg.group=tpg 2 state active/optimized pref 1 sup 0x03 status 2 ports 2"
expect_line "$WORK/cmds.txt" "rtpg.truncated=0"
expect_line "$WORK/cmds.txt" "rtpg16.data_len=16"
expect_line "$WORK/cmds.txt" "rtpg16.raw=00 00 00 18 80 03 00 01 00 02 00 01 00 00 00 01"
expect_line "$WORK/cmds.txt" "rtpg16.return_data_length=24"
expect_line "$WORK/cmds.txt" "rtpg16.truncated=1"
expect_line "$WORK/cmds.txt" "rtpg16.group=tpg 1 state active/optimized pref 1 sup 0x03 status 2 ports 1"
expect_line "$WORK/cmds.txt" "stpg.status=0x00"

# Verified I/O through both portals (TPGS 0, but RTPG says both active).
timeout 60 "$PROBE" --io --json --duration 3 --size 4194304 "$U1" "$U2" > "$WORK/io.json" 2> "$WORK/io.err"; rc=$?
cat "$WORK/io.err"
io_check "$WORK/io.json" istgt "$U1" "$U2" > "$WORK/io.txt" 2>&1
cat "$WORK/io.txt"
[ $rc -eq 0 ] && ok "--io exit 0" || bad "--io exit $rc"
expect_line "$WORK/io.txt" "istgt: io ok=1"
finish
