#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# unit.salua_vio: the load generator on a plain file.
#   test_vio.sh SALUA_VIO WORKDIR
# Checks: a clean run exits 0 with every I/O verified and no mismatch; the
# timeline has one line per I/O; a corrupted read (--inject-mismatch) is
# counted and exits 1; --final-verify re-reads every block; `mark` prints
# the clock; --pace; `tur` counts answers; bad usage exits 2.
vio=$1 work=$2
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
field() { awk -v k="$1" '$1 == "VIO" { for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) print substr($i, length(k) + 2) }' "$2"; }
mkdir -p "$work" && rm -f "$work"/*
img=$work/disk.img
truncate -s 4M "$img" || exit 1
d=
"$vio" -n 5 -s 64k "$img" >/dev/null 2>&1 || d=--buffered   # no O_DIRECT here

"$vio" $d -n 200 -j 2 -s 1M -t "$work/tl" "$img" >"$work/out1" 2>&1
rc=$?
ios=$(field ios "$work/out1")
[ $rc -eq 0 ] && [ "$(field mismatches "$work/out1")" = 0 ] &&
	[ "$(field errors "$work/out1")" = 0 ] && [ "$ios" = 800 ] &&
	ok "clean run: 800 I/Os, rc 0" || bad "clean run: rc $rc: $(cat "$work/out1")"
n=$(grep -vc '^#' "$work/tl")
[ "$n" = "$ios" ] && ok "timeline: $n lines" || bad "timeline has $n lines for $ios I/Os"
grep -v '^#' "$work/tl" | awk 'NF != 5 || ($2 != "W" && $2 != "R") || $5 !~ /^ok/ { bad = 1 } END { exit bad }' &&
	ok "timeline lines are 't op block lat status'" || bad "timeline format"
[ "$(grep -c '^VIO-PAUSE ' "$work/out1")" -ge 1 ] && ok "longest pauses listed" ||
	bad "no VIO-PAUSE lines"

"$vio" $d -n 30 -s 256k --inject-mismatch 5 --seed 7 "$img" >"$work/out2" 2>&1
rc=$?
[ $rc -eq 1 ] && [ "$(field mismatches "$work/out2")" = 1 ] &&
	grep -q 'MISMATCH block 4: want generation 1, found generation 1 with a damaged body' "$work/out2" &&
	ok "injected corruption: 1 mismatch, rc 1" || bad "injection: rc $rc: $(cat "$work/out2")"

"$vio" $d -n 40 -s 64k --random --final-verify "$img" >"$work/out3" 2>&1
rc=$?
r=$(field reads "$work/out3")
[ $rc -eq 0 ] && [ "$r" -gt 40 ] && ok "final verify: $r reads for 40 writes" ||
	bad "final verify: rc $rc: $(cat "$work/out3")"

"$vio" mark failover 3 | grep -Eq '^MARK [0-9]+ failover 3$' && ok "mark" || bad "mark"
"$vio" -x "$img" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "unknown option: rc 2" || bad "unknown option: rc $rc"
"$vio" $d -s 8M "$img" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "region past the end: rc 2" || bad "region past the end: rc $rc"
"$vio" $d -b 1000 "$img" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "block size not a multiple of 512: rc 2" || bad "bs 1000: rc $rc"
"$vio" $d -n 20 -s 64k --pace 1000 "$img" >"$work/out4" 2>&1
rc=$?
[ $rc -eq 0 ] && [ "$(field writes "$work/out4")" = 20 ] && ok "--pace: 20 paced rounds" ||
	bad "--pace: rc $rc: $(cat "$work/out4")"
# tur: SG_IO on a regular file fails (ENOTTY): counted as "other", rc 0.
"$vio" tur -i 0.05 -d 0.12 "$img" >"$work/out5" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -Eq '^TUR devices=1 rounds=[0-9]+ good=0 standby=0 transitioning=0 other=[1-9]' "$work/out5" &&
	ok "tur: a failing device counted as other" || bad "tur: rc $rc: $(cat "$work/out5")"
"$vio" tur -i 1 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "tur without a device: rc 2" || bad "tur without a device: rc $rc"
"$vio" tur /nonexistent >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "tur on a missing device: rc 2" || bad "tur missing device: rc $rc"
echo "unit.salua_vio: $fails failed"
[ $fails -eq 0 ]
