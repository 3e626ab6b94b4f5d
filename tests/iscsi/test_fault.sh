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
#  4. alua_probe against a closed port: connection refused, exit 3;
#  5. istgt (two portals = two paths) killed while the engine polls, once
#     it is logged in on both: both paths fail, exit 3, within the timeout;
#  6. istgt killed during the login (istgt answers a login after ~1 s);
#  7. istgt stopped (SIGSTOP) while the engine polls: 3 s command timeout.
# The kills wait for the driver's first state line instead of a fixed
# sleep: istgt takes ~1.0 s per login, so a fixed delay can land in the
# login instead of the polling.
. "$(dirname "$0")/lib.sh"
PROBE=$1 DRIVE=$2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=23}
ms() { date +%s%3N; }
# wait_re FILE REGEX SECS: until FILE has a line matching REGEX.
wait_re() {
	i=0
	while ! grep -qE -- "$2" "$1" 2>/dev/null && [ $i -lt $(($3 * 20)) ]; do
		sleep 0.05; i=$((i + 1))
	done
	grep -qE -- "$2" "$1" 2>/dev/null
}
no_san() {
	if grep -q 'Sanitizer\|runtime error' "$1"; then bad "sanitizer report ($1)"; else ok "no sanitizer report"; fi
}

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
no_san "$WORK/kill.txt"

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
no_san "$WORK/stop.txt"

t0=$(ms)
SALUA_ISCSI_TIMEOUT_MS=1500 timeout 30 "$PROBE" "$U" > "$WORK/probe_stop.txt" 2>&1; rc=$?
dt=$(( $(ms) - t0 ))
cat "$WORK/probe_stop.txt"
[ $rc -eq 3 ] && ok "alua_probe exit 3 on a target that does not answer" || bad "alua_probe exit $rc, want 3"
[ $dt -lt 4000 ] && ok "within the 1.5 s login timeout ($dt ms)" || bad "took $dt ms"
expect_re "$WORK/probe_stop.txt" 'did not complete the login within 1500 ms' "clear error: login timeout"
# --timeout bounds the login too, and wins over the variable; with --json
# the error is an object (etimedout).
t0=$(ms)
SALUA_ISCSI_TIMEOUT_MS=20000 timeout 30 "$PROBE" --json --timeout 1.2 "$U" \
	> "$WORK/probe_stop_t.json" 2> "$WORK/probe_stop_t.err"; rc=$?
dt=$(( $(ms) - t0 ))
cat "$WORK/probe_stop_t.json" "$WORK/probe_stop_t.err"
[ $rc -eq 3 ] && ok "--timeout 1.2: exit 3" || bad "--timeout 1.2: exit $rc, want 3"
[ $dt -lt 3500 ] && ok "--timeout 1.2: ended in $dt ms" || bad "--timeout 1.2 took $dt ms"
expect_re "$WORK/probe_stop_t.err" 'did not complete the login within 1200 ms' "--timeout: login timeout message"
expect_re "$WORK/probe_stop_t.json" '"code": "etimedout"' "--timeout --json: error object etimedout"
SALUA_ISCSI_TIMEOUT_MS=abc timeout 30 "$PROBE" "$U" > "$WORK/probe_badenv.txt" 2>&1; rc=$?
[ $rc -eq 2 ] && ok "SALUA_ISCSI_TIMEOUT_MS=abc: usage error" || bad "bad variable: exit $rc, want 2"
expect_re "$WORK/probe_badenv.txt" "SALUA_ISCSI_TIMEOUT_MS 'abc': not a number" "bad variable: clear error"
kill -CONT "$TGTD_PID"

timeout 30 "$PROBE" "iscsi://127.0.0.1:13298/$TGT_IQN/1" > "$WORK/probe_refused.txt" 2>&1; rc=$?
cat "$WORK/probe_refused.txt"
[ $rc -eq 3 ] && ok "alua_probe exit 3 on a closed port" || bad "exit $rc, want 3"
expect_re "$WORK/probe_refused.txt" 'cannot connect to 127.0.0.1:13298: .*Connection refused' "clear error: connection refused"
timeout 30 "$PROBE" "iscsi://127.0.0.1:13292/iqn.2026-11.org.salua.tgt:nosuch/1" > "$WORK/probe_nosuch.txt" 2>&1; rc=$?
cat "$WORK/probe_nosuch.txt"
[ $rc -eq 3 ] && ok "alua_probe exit 3 on an unknown target" || bad "exit $rc, want 3"
expect_re "$WORK/probe_nosuch.txt" 'login failed' "clear error: login failed"

# 5. istgt, two paths, killed while the engine polls.
start_istgt 13280 13281 13289
I1=iscsi://127.0.0.1:13280/$ISTGT_IQN/0
I2=iscsi://127.0.0.1:13281/$ISTGT_IQN/0
timeout 30 "$DRIVE" engine --duration 20000 --interval 200 "$I1" "$I2" > "$WORK/ikill.txt" 2>&1 &
dpid=$!
if wait_re "$WORK/ikill.txt" '^\[ *[0-9]+ ms\] path 1 127\.0\.0\.1:13281: active/optimized' 15; then
	ok "engine logged in on both istgt portals"
else
	bad "engine did not reach istgt"
fi
sleep 0.5
t0=$(ms)
kill -9 "$ISTGT_PID"
wait $dpid; rc=$?
dt=$(( $(ms) - t0 ))
cat "$WORK/ikill.txt"
echo "killed istgt: driver ended after $dt ms (rc $rc)"
[ $rc -eq 3 ] && ok "istgt killed: exit 3" || bad "istgt killed: exit $rc, want 3"
[ $dt -lt 4000 ] && ok "istgt killed: ended within the command timeout ($dt ms)" || bad "took $dt ms"
expect_re "$WORK/ikill.txt" '^error: all 2 paths failed after [0-9]+ ms: iscsi://127\.0\.0\.1:1328[01]/.*connection to 127\.0\.0\.1:1328[01] lost' "istgt killed: clear error, both paths lost"
no_san "$WORK/ikill.txt"

# 6. istgt killed during the login (before its ~1 s login answer).
start_istgt 13282 13283 13288
I3=iscsi://127.0.0.1:13282/$ISTGT_IQN/0
( sleep 0.4; kill -9 "$ISTGT_PID" ) &
t0=$(ms)
timeout 30 "$DRIVE" engine --duration 5000 --interval 200 "$I3" > "$WORK/ilogin.txt" 2>&1; rc=$?
dt=$(( $(ms) - t0 ))
cat "$WORK/ilogin.txt"
[ $rc -eq 3 ] && ok "istgt killed during the login: exit 3 ($dt ms)" || bad "exit $rc, want 3"
expect_re "$WORK/ilogin.txt" '^error: iscsi://127\.0\.0\.1:13282/.*(lost during the login|cannot connect)' "clear error: connection lost during the login"
no_san "$WORK/ilogin.txt"

# 7. istgt stopped (SIGSTOP) while the engine polls.
start_istgt 13284 13285 13287
I4=iscsi://127.0.0.1:13284/$ISTGT_IQN/0
timeout 30 "$DRIVE" engine --duration 20000 --interval 200 "$I4" > "$WORK/istop.txt" 2>&1 &
dpid=$!
wait_re "$WORK/istop.txt" '^\[ *[0-9]+ ms\] path 0 127\.0\.0\.1:13284: active/optimized' 15 ||
	bad "engine did not reach istgt"
sleep 0.5
t0=$(ms)
kill -STOP "$ISTGT_PID"
wait $dpid; rc=$?
dt=$(( $(ms) - t0 ))
kill -CONT "$ISTGT_PID"
cat "$WORK/istop.txt"
echo "stopped istgt: driver ended after $dt ms (rc $rc)"
[ $rc -eq 3 ] && ok "istgt stopped: exit 3" || bad "exit $rc, want 3"
[ $dt -ge 2500 ] && [ $dt -lt 5000 ] && ok "istgt stopped: ended by the 3 s command timeout ($dt ms)" || bad "took $dt ms"
expect_re "$WORK/istop.txt" 'no answer from 127\.0\.0\.1:13284 within 3000 ms; session closed' "istgt stopped: clear error"
no_san "$WORK/istop.txt"
finish
