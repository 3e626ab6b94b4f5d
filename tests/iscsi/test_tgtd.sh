#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# tgtd on 127.0.0.1: no ALUA at all.  RTPG -> ILLEGAL REQUEST 24/00 and
# STPG -> 20/00 with the raw sense passed through; alua_probe names the
# LU from VPD 0x83 (T10 designator with NUL padding) and --set-state
# reports "not supported" with exit status 5.
. "$(dirname "$0")/lib.sh"
PROBE=$1 DRIVE=$2
start_tgtd 13280 1280
U=iscsi://127.0.0.1:13280/$TGT_IQN/1

timeout 30 "$DRIVE" cmds "$U" > "$WORK/cmds.txt" 2>&1
cat "$WORK/cmds.txt"
expect_line "$WORK/cmds.txt" "inquiry.tpgs=0"
expect_line "$WORK/cmds.txt" "vpd83.rel_port=0:0"
expect_line "$WORK/cmds.txt" "vpd83.tpg=0:0"
expect_line "$WORK/cmds.txt" "rtpg.xfer=0"
expect_line "$WORK/cmds.txt" "rtpg.status=0x02"
expect_line "$WORK/cmds.txt" "rtpg.sense=5/24/00 Invalid field in cdb"
expect_line "$WORK/cmds.txt" "stpg.status=0x02"
expect_line "$WORK/cmds.txt" "stpg.sense=5/20/00 Invalid command operation code"
expect_re "$WORK/cmds.txt" '^vpd83\.raw=.* 02 01 00 24 49 45 54 20 20 20 20 20 30 30 30 31 30 30 30 31 00 00' "T10 designator: length 36, 'IET     00010001' then NUL padding"
expect_line "$WORK/cmds.txt" "sense.raw=70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00"
expect_line "$WORK/cmds.txt" "sense.raw=70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00"
# The raw page through alua_probe's decoder: the T10 designator's NUL
# padding is not part of its text.
sed -n 's/^vpd83\.raw=//p' "$WORK/cmds.txt" > "$WORK/vpd83.hex"
"$PROBE" decode --type vpd83 --inhex "$WORK/vpd83.hex" > "$WORK/vpd83.txt" 2>&1
cat "$WORK/vpd83.txt"
expect_re "$WORK/vpd83.txt" 'IET     00010001' "T10 vendor id + identifier decoded"
if grep -q 'IET     00010001\\x00\|IET     00010001\\0' "$WORK/vpd83.txt"; then bad "NUL padding shown"; else ok "NUL padding not shown"; fi

timeout 30 "$PROBE" "$U" > "$WORK/probe.txt" 2>&1; rc=$?
cat "$WORK/probe.txt"
[ $rc -eq 0 ] && ok "alua_probe exit 0" || bad "alua_probe exit $rc"
timeout 30 "$PROBE" --json "$U" > "$WORK/probe.json" 2>&1
python3 - "$WORK/probe.json" > "$WORK/json.txt" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
lu = j["logical_units"][0]
print("lu_name=[%s]" % lu["lu_name"])
print("alua=%s tpgs=%d paths=%d" % (lu["alua"], lu["tpgs"], len(lu["paths"])))
PY
cat "$WORK/json.txt"
expect_line "$WORK/json.txt" "alua=False tpgs=0 paths=1"
expect_line "$WORK/json.txt" "lu_name=[naa.60000000000000000e00000000010001]"
expect_re "$WORK/probe.txt" '^  no ALUA: TPGS 0 and no target port group designator' "plain report: no ALUA"

timeout 30 "$PROBE" --set-state ao --device "$U" > "$WORK/set.txt" 2>&1; rc=$?
cat "$WORK/set.txt"
[ $rc -eq 5 ] && ok "--set-state exit 5 (refused)" || bad "--set-state exit $rc, want 5"

# Verified I/O on a LU without ALUA: the host layer takes its one path as
# active/optimized.
timeout 60 "$PROBE" --io --json --duration 3 --size 4194304 "$U" > "$WORK/io.json" 2> "$WORK/io.err"; rc=$?
cat "$WORK/io.err"
io_check "$WORK/io.json" tgtd "$U" > "$WORK/io.txt" 2>&1
cat "$WORK/io.txt"
[ $rc -eq 0 ] && ok "--io exit 0" || bad "--io exit $rc"
expect_line "$WORK/io.txt" "tgtd: io ok=1"
finish
