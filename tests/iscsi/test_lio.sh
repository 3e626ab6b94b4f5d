#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# LIO in a QEMU guest (lio_guest.sh), reached from the host over libiscsi:
# QEMU user networking forwards 127.0.0.1:P1/P2 (13260/13261 unless taken
# or SALUA_LIO_PORTS="P1 P2") to the guest's two portals, one TPGT and one
# ALUA group each.  While the guest is up (run-guest.sh --during) this
# script, re-run as `test_lio.sh --during ...`, asserts:
#  1. one LU, two paths, groups 16 (active/optimized, PREF) / 32 (standby);
#  2. the standby portal alone logs in and probes (no TUR at login);
#  3. --set-state ao through the standby portal: STPG over iSCSI, group 32
#     active/optimized, status "altered by STPG";
#  4. configfs failover (gp_a -> standby, trans_delay_msecs 2500) seen over
#     iSCSI by alua_probe --watch and by the engine driver as UNIT
#     ATTENTION 2A/06, transitioning, then standby; meanwhile alua_probe
#     --io (verified I/O through the host layer over both portals): zero
#     errors, zero mismatches, I/O on both paths;
#  4b. configfs failback (gp_a -> active/optimized, gp_b -> standby) under
#     alua_probe --io again: zero errors, zero mismatches;
#  5. guest powered off while the ASan engine driver polls: clear error,
#     exit 3, no sanitizer report.
# Usage: test_lio.sh ALUA_PROBE ISCSI_DRIVE ISCSI_DRIVE_ASAN
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" != --during ]; then
	PROBE=$1 DRIVE=$2 ASAN=${3:-$2}
	free_port() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
	if [ -n "${SALUA_LIO_PORTS:-}" ]; then
		set -- $SALUA_LIO_PORTS
		P1=$1 P2=$2
	else
		P1=
		for b in 13260 13262 13264 13266 13268; do
			if free_port $b && free_port $((b + 1)); then
				P1=$b P2=$((b + 1))
				break
			fi
		done
		[ -n "$P1" ] || { echo "no free port pair in 13260-13269"; exit 1; }
	fi
	echo "LIO portals forwarded from 127.0.0.1:$P1 and 127.0.0.1:$P2"
	exec bash "$here/../guest/run-guest.sh" --script "$here/lio_guest.sh" \
		--modules "target_core_mod target_core_file iscsi_target_mod crc32c_generic" \
		--hostfwd "$P1:3260" --hostfwd "$P2:3261" --timeout 170 --mem 512 \
		--during "bash $here/test_lio.sh --during $PROBE $DRIVE $ASAN $P1 $P2"
fi

shift
PROBE=$1 DRIVE=$2 ASAN=$3 P1=$4 P2=$5 LOG=$6 SHARE=$7
. "$here/lib.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=23}
export SALUA_ISCSI_TIMEOUT_MS=${SALUA_ISCSI_TIMEOUT_MS:-15000}
ms() { date +%s%3N; }
IQN=iqn.2026-11.org.salua.lio:disk1
U1=iscsi://127.0.0.1:$P1/$IQN/0
U2=iscsi://127.0.0.1:$P2/$IQN/0
# wait_share NAME SECS
wait_share() {
	i=0
	while [ ! -e "$SHARE/$1" ] && [ $i -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
	[ -e "$SHARE/$1" ]
}

summary() {
	python3 - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
lus = j["logical_units"]
print("lus=%d" % len(lus))
for lu in lus:
    print("lu=%s tpgs=%s paths=%d" % (lu["lu_name"], lu["tpgs"], len(lu["paths"])))
    for p in lu["paths"]:
        print("path %s rel %d tpg %d state %s pref %s" % (p["hctl"], p["relative_port"],
              p["tpg_id"], p["state_name"], p["preferred"]))
    for g in lu["groups"]:
        print("group %d %s pref %s sup 0x%02x status %d ports %s" % (g["tpg_id"],
              g["state_name"], g["preferred"], g["supported"], g["status_code"], g["ports"]))
PY
}

# 1. Both portals: one LU, two paths, the groups.
timeout 60 "$PROBE" "$U1" "$U2" > "$WORK/probe.txt" 2>&1; rc=$?
cat "$WORK/probe.txt"
[ $rc -eq 0 ] && ok "alua_probe through both portals: exit 0" || bad "alua_probe exit $rc"
expect_re "$WORK/probe.txt" 'TPGS 3 \(implicit\+explicit\)  2 paths' "TPGS 3, two paths"
timeout 60 "$PROBE" --json "$U1" "$U2" > "$WORK/probe.json" 2>&1
summary "$WORK/probe.json" > "$WORK/sum1.txt" 2>&1
cat "$WORK/sum1.txt"
expect_line "$WORK/sum1.txt" "lus=1"
expect_re "$WORK/sum1.txt" '^lu=naa\.6001405[0-9a-f]{25} ' "LU named by LIO's NAA (IEEE OUI 00:14:05)"
expect_line "$WORK/sum1.txt" "path 127.0.0.1:$P1 rel 1 tpg 16 state active/optimized pref True"
expect_line "$WORK/sum1.txt" "path 127.0.0.1:$P2 rel 2 tpg 32 state standby pref False"
expect_line "$WORK/sum1.txt" "group 16 active/optimized pref True sup 0xcf status 0 ports [1]"
expect_line "$WORK/sum1.txt" "group 32 standby pref False sup 0xcf status 2 ports [2]"

# 2. The standby portal alone.
timeout 60 "$PROBE" "$U2" > "$WORK/standby.txt" 2>&1; rc=$?
cat "$WORK/standby.txt"
[ $rc -eq 0 ] && ok "login and probe through the standby portal alone" || bad "standby portal: exit $rc"
expect_re "$WORK/standby.txt" "127\.0\.0\.1:$P2 +2 +0x0020 standby" "standby portal: group 32 standby"

# 3. STPG over iSCSI through the standby portal.
timeout 60 "$PROBE" --set-state ao --device "$U2" "$U1" "$U2" > "$WORK/stpg.txt" 2>&1; rc=$?
cat "$WORK/stpg.txt"
[ $rc -eq 0 ] && ok "--set-state ao through $U2: exit 0" || bad "--set-state exit $rc"
expect_re "$WORK/stpg.txt" '0x0020 -> active/optimized' "STPG reported: 0x0020 -> active/optimized"
timeout 60 "$PROBE" --json "$U1" "$U2" > "$WORK/after.json" 2>&1
summary "$WORK/after.json" > "$WORK/sum2.txt" 2>&1
cat "$WORK/sum2.txt"
expect_line "$WORK/sum2.txt" "path 127.0.0.1:$P2 rel 2 tpg 32 state active/optimized pref False"
expect_line "$WORK/sum2.txt" "group 32 active/optimized pref False sup 0xcf status 1 ports [2]"
expect_line "$WORK/sum2.txt" "group 16 active/optimized pref True sup 0xcf status 0 ports [1]"

# io_summary JSON TIMELINE: the --io figures of the run, one line each.
io_summary() {
	python3 - "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for lu in j["logical_units"]:
    io = lu.get("io") or {}
    print("io lu=%s skipped=%s ios=%s errors=%s mismatches=%s max_pause_ms=%s kib_s=%s" % (
        lu["lu_name"], lu["skipped"], io.get("ios"), io.get("errors"),
        io.get("mismatches"), io.get("max_pause_ms"), io.get("kib_s")))
    for p in io.get("paths", []):
        print("io path %s ios=%d" % (p["device"].split("/")[2], p["ios"]))
    print("io first_error=%s" % io.get("first_error"))
n = sum(1 for ln in open(sys.argv[2]) if not ln.startswith("#"))
print("io timeline_lines=%d" % n)
PY
}

# 4. configfs failover of group 16, seen through UNIT ATTENTION over iSCSI,
#    with verified I/O through the host layer over both portals.
# Its own initiator name: LIO keeps UNIT ATTENTIONs per initiator (demo-mode
# ACL), and the busy --io session would take the ones --watch and the engine
# driver look for.
SALUA_ISCSI_INITIATOR=iqn.2026-11.org.salua:io \
timeout 90 "$PROBE" --io --json --duration 14 --queue 60 --interval 0.5 \
	--timeline "$WORK/io1.tl" "$U1" "$U2" > "$WORK/io1.json" 2> "$WORK/io1.err" &
iopid=$!; PIDS="$PIDS $iopid"
timeout 60 "$PROBE" --watch --interval 0.2 --duration 12 "$U1" "$U2" > "$WORK/watch.txt" 2>&1 &
wpid=$!; PIDS="$PIDS $wpid"
timeout 60 "$DRIVE" engine --duration 12000 --interval 200 "$U1" "$U2" > "$WORK/engine.txt" 2>&1 &
epid=$!; PIDS="$PIDS $epid"
sleep 3
: > "$SHARE/failover"
wait_share failover-done 30 && ok "guest changed gp_a through configfs" || bad "no failover-done from the guest"
wait $wpid; wrc=$?
wait $epid; erc=$?
wait $iopid; iorc=$?
cat "$WORK/watch.txt" "$WORK/engine.txt" "$WORK/io1.err"
[ $wrc -eq 0 ] && ok "--watch exit 0" || bad "--watch exit $wrc"
[ $erc -eq 0 ] && ok "engine driver exit 0" || bad "engine driver exit $erc"
io_summary "$WORK/io1.json" "$WORK/io1.tl" > "$WORK/io1.txt" 2>&1
cat "$WORK/io1.txt"
[ $iorc -eq 0 ] && ok "--io through the failover: exit 0" || bad "--io (failover) exit $iorc"
expect_re "$WORK/io1.txt" '^io lu=naa\.[0-9a-f]+ skipped=None ios=[1-9][0-9]* errors=0 mismatches=0 ' "--io through the failover: zero errors, zero mismatches"
expect_re "$WORK/io1.txt" "^io path 127\.0\.0\.1:$P1 ios=[1-9]" "--io: I/O through $P1 (before the failover)"
expect_re "$WORK/io1.txt" "^io path 127\.0\.0\.1:$P2 ios=[1-9]" "--io: I/O through $P2"
expect_re "$WORK/io1.txt" '^io timeline_lines=[1-9]' "--io --timeline written"
# The UNIT ATTENTION goes to whichever command reaches the nexus first;
# when that is not --watch's TUR, its TUR sees NOT READY 04/0A instead.
expect_re "$WORK/watch.txt" "127\.0\.0\.1:$P1.*TUR:.*(2a/06|04/0a)" "watch: TUR through $U1 sees UNIT ATTENTION 2A/06 or NOT READY 04/0A"
expect_re "$WORK/watch.txt" "$U1.*active/optimized -> transitioning" "watch: group 16 active/optimized -> transitioning"
expect_re "$WORK/watch.txt" "$U1.*transitioning -> standby" "watch: group 16 transitioning -> standby"
# The same for the engine driver, which also polls with RTPG (LIO reports
# no UNIT ATTENTION to an RTPG): on a slow guest (the debug kernel) the
# RTPG may see the transition before its TUR does.
expect_re "$WORK/engine.txt" "path 0 127\.0\.0\.1:$P1: (TUR|engine command) UNIT ATTENTION 2a/06|tur status 0x02 asc 0x040a on path 0" "engine: UNIT ATTENTION 2A/06 or NOT READY 04/0A on path 0"
ttr=$(sed -n "s/^\[+ *\([0-9.]*\)s\] .*active\/optimized -> transitioning.*/\1/p" "$WORK/watch.txt" | head -1)
tsb=$(sed -n "s/^\[+ *\([0-9.]*\)s\] .*transitioning -> standby.*/\1/p" "$WORK/watch.txt" | head -1)
ms_tr=$(awk -v a="${ttr:-0}" -v b="${tsb:-0}" 'BEGIN { printf "%d", (b - a) * 1000 }')
[ "$ms_tr" -ge 1500 ] && [ "$ms_tr" -le 6000 ] && ok "watch: transitioning lasted $ms_tr ms (trans_delay_msecs 2500)" ||
	bad "watch: transitioning lasted $ms_tr ms, want 1500..6000"
expect_re "$WORK/engine.txt" "path 0 127\.0\.0\.1:$P1: transitioning" "engine: path 0 transitioning"
expect_re "$WORK/engine.txt" "path 0 127\.0\.0\.1:$P1: standby pref 1" "engine: path 0 standby, PREF kept"
timeout 60 "$PROBE" --json "$U1" "$U2" > "$WORK/final.json" 2>&1
summary "$WORK/final.json" > "$WORK/sum3.txt" 2>&1
cat "$WORK/sum3.txt"
expect_line "$WORK/sum3.txt" "path 127.0.0.1:$P1 rel 1 tpg 16 state standby pref True"
expect_line "$WORK/sum3.txt" "path 127.0.0.1:$P2 rel 2 tpg 32 state active/optimized pref False"

# 4b. configfs failback (gp_a -> active/optimized, gp_b -> standby) under
#     verified I/O.
SALUA_ISCSI_INITIATOR=iqn.2026-11.org.salua:io \
timeout 90 "$PROBE" --io --json --duration 14 --queue 60 --interval 0.5 \
	--timeline "$WORK/io2.tl" "$U1" "$U2" > "$WORK/io2.json" 2> "$WORK/io2.err" &
iopid=$!; PIDS="$PIDS $iopid"
sleep 3
: > "$SHARE/failback"
wait_share failback-done 30 && ok "guest failed back through configfs" || bad "no failback-done from the guest"
wait $iopid; iorc=$?
cat "$WORK/io2.err"
io_summary "$WORK/io2.json" "$WORK/io2.tl" > "$WORK/io2.txt" 2>&1
cat "$WORK/io2.txt"
[ $iorc -eq 0 ] && ok "--io through the failback: exit 0" || bad "--io (failback) exit $iorc"
expect_re "$WORK/io2.txt" '^io lu=naa\.[0-9a-f]+ skipped=None ios=[1-9][0-9]* errors=0 mismatches=0 ' "--io through the failback: zero errors, zero mismatches"
expect_re "$WORK/io2.txt" "^io path 127\.0\.0\.1:$P1 ios=[1-9]" "--io: I/O through $P1 (after the failback)"
expect_re "$WORK/io2.txt" "^io path 127\.0\.0\.1:$P2 ios=[1-9]" "--io: I/O through $P2 (before the failback)"
timeout 60 "$PROBE" --json "$U1" "$U2" > "$WORK/final2.json" 2>&1
summary "$WORK/final2.json" > "$WORK/sum4.txt" 2>&1
cat "$WORK/sum4.txt"
expect_line "$WORK/sum4.txt" "path 127.0.0.1:$P1 rel 1 tpg 16 state active/optimized pref True"
expect_line "$WORK/sum4.txt" "path 127.0.0.1:$P2 rel 2 tpg 32 state standby pref False"

# 5. Power the guest off while the engine polls.
timeout 60 "$ASAN" engine --duration 60000 --interval 200 "$U1" "$U2" > "$WORK/off.txt" 2>&1 &
apid=$!; PIDS="$PIDS $apid"
sleep 4
t0=$(ms)
: > "$SHARE/poweroff"
wait $apid; rc=$?
dt=$(( $(ms) - t0 ))
cat "$WORK/off.txt"
echo "guest powered off: engine driver ended $dt ms after the request (rc $rc)"
[ $rc -eq 3 ] && ok "engine driver exit 3 after the guest powered off" || bad "exit $rc, want 3"
[ $dt -lt 20000 ] && ok "ended $dt ms after the poweroff request" || bad "took $dt ms"
expect_re "$WORK/off.txt" "^error: all 2 paths failed after [0-9]+ ms: .*(connection to 127\.0\.0\.1:($P1|$P2) lost|no answer from)" "clear error when the guest is gone"
if grep -q 'Sanitizer\|runtime error' "$WORK/off.txt"; then bad "sanitizer report"; else ok "no sanitizer report"; fi
finish
