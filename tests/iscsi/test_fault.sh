#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Faults while the engine polls (iscsi_drive engine: asynchronous
# completions from the shim's poll loop), under ASan/LeakSanitizer when
# the driver given is the sanitized one:
#  1. istgt killed (connection lost): every path fails, clear error, exit 3
#     within the command timeout;
#  2. tgtd stopped (SIGSTOP: the target stops answering): the command
#     timeout (3 s) ends the session, clear error, exit 3, no hang;
#  3. alua_probe against the stopped target: login timeout, exit 3;
#  4. alua_probe against a closed port: connection refused, exit 3.
. "$(dirname "$0")/lib.sh"
PROBE=$1 DRIVE=$2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=23}
ms() { date +%s%3N; }

# 1. kill -9 the target while the engine polls (tgtd: RTPG refused, so
#    the engine re-polls; TURs go out every 200 ms).
start_tgtd 13290 1290
K_PID=$TGTD_PID
UK=iscsi://127.0.0.1:13290/$TGT_IQN/1
( sleep 1.5; ms > "$WORK/t0"; kill -9 "$K_PID" ) &
timeout 30 "$DRIVE" engine --duration 20000 --interval 200 "$UK" > "$WORK/kill.txt" 2>&1; rc=$?
dt=$(( $(ms) - $(cat "$WORK/t0" 2>/dev/null || ms) ))
cat "$WORK/kill.txt"
echo "killed tgtd: driver ended after $dt ms (rc $rc)"
[ $rc -eq 3 ] && ok "engine driver exit 3 after the target was killed" || bad "exit $rc, want 3"
[ $dt -lt 4000 ] && ok "ended within the command timeout ($dt ms)" || bad "took $dt ms"
expect_re "$WORK/kill.txt" '^error: all 1 paths failed after [0-9]+ ms: iscsi://127.0.0.1:13290/.*connection to 127.0.0.1:13290 lost' "clear error: connection lost"
expect_re "$WORK/kill.txt" '^async_completions=[1-9]' "completions arrived after submit returned"
if grep -q 'ERROR: \(Address\|Leak\)Sanitizer' "$WORK/kill.txt"; then bad "sanitizer report"; else ok "no sanitizer report"; fi

start_tgtd 13292 1292
U=iscsi://127.0.0.1:13292/$TGT_IQN/1
( sleep 1.5; ms > "$WORK/t1"; kill -STOP "$TGTD_PID" ) &
timeout 30 "$DRIVE" engine --duration 20000 --interval 200 "$U" > "$WORK/stop.txt" 2>&1; rc=$?
dt=$(( $(ms) - $(cat "$WORK/t1" 2>/dev/null || ms) ))
cat "$WORK/stop.txt"
echo "stopped tgtd: driver ended after $dt ms (rc $rc)"
[ $rc -eq 3 ] && ok "engine driver exit 3 when the target stops answering" || bad "exit $rc, want 3"
[ $dt -ge 2500 ] && [ $dt -lt 5000 ] && ok "ended by the 3 s command timeout ($dt ms)" || bad "took $dt ms"
expect_re "$WORK/stop.txt" 'no answer from 127.0.0.1:13292 within 3000 ms; session closed' "clear error: no answer within the timeout"
if grep -q 'ERROR: \(Address\|Leak\)Sanitizer' "$WORK/stop.txt"; then bad "sanitizer report"; else ok "no sanitizer report"; fi

t0=$(ms)
SALUA_ISCSI_TIMEOUT_MS=1500 timeout 30 "$PROBE" "$U" > "$WORK/probe_stop.txt" 2>&1; rc=$?
dt=$(( $(ms) - t0 ))
cat "$WORK/probe_stop.txt"
[ $rc -eq 3 ] && ok "alua_probe exit 3 on a target that does not answer" || bad "alua_probe exit $rc, want 3"
[ $dt -lt 4000 ] && ok "within the 1.5 s login timeout ($dt ms)" || bad "took $dt ms"
expect_re "$WORK/probe_stop.txt" 'did not complete the login within 1500 ms' "clear error: login timeout"
kill -CONT "$TGTD_PID"

timeout 30 "$PROBE" "iscsi://127.0.0.1:13298/$TGT_IQN/1" > "$WORK/probe_refused.txt" 2>&1; rc=$?
cat "$WORK/probe_refused.txt"
[ $rc -eq 3 ] && ok "alua_probe exit 3 on a closed port" || bad "exit $rc, want 3"
expect_re "$WORK/probe_refused.txt" 'cannot connect to 127.0.0.1:13298: .*Connection refused' "clear error: connection refused"
timeout 30 "$PROBE" "iscsi://127.0.0.1:13292/iqn.2026-11.org.salua.tgt:nosuch/1" > "$WORK/probe_nosuch.txt" 2>&1; rc=$?
cat "$WORK/probe_nosuch.txt"
[ $rc -eq 3 ] && ok "alua_probe exit 3 on an unknown target" || bad "exit $rc, want 3"
expect_re "$WORK/probe_nosuch.txt" 'login failed' "clear error: login failed"
finish
