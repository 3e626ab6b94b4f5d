#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# salua-target's iSCSI portals reached from the host over libiscsi
# (alua_probe iscsi://...): QEMU user networking forwards 127.0.0.1:P1/P2
# to the guest's 10.0.2.15:3260/3261, port 0 / port 1 of the array.
#  1. both portals: one LU, two paths, relative ports 1 and 2 in TPG 1
#     (active/optimized, PREF) and TPG 2 (standby) - the sim's layout;
#  2. a failover written to the control FIFO (the guest applies it when
#     the host signals) is seen over iSCSI: TPG 1 standby, TPG 2 A/O;
#  3. SIGTERM removes the iSCSI target: configfs as before.
# Usage: tcmu_iscsi.sh ALUA_PROBE SALUA_TARGET WORK
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" != --during ] && [ "${1:-}" != --guest ]; then
	PROBE=$1 TARGET=$2 WORK=$3
	free_port() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
	P1=
	for b in 13270 13272 13274 13276 13278; do
		if free_port $b && free_port $((b + 1)); then P1=$b P2=$((b + 1)); break; fi
	done
	[ -n "$P1" ] || { echo "no free port pair in 13270-13279"; exit 1; }
	rm -rf "$WORK/share"
	sed -n '/^#GUEST-BEGIN/,/^#GUEST-END/p' "$0" > "$WORK.guest.sh"
	exec bash "$here/run-guest.sh" --script "$WORK.guest.sh" \
		--modules "configfs target_core_mod target_core_user uio iscsi_target_mod crc32c_generic" \
		--bin "$TARGET" --hostfwd "$P1:3260" --hostfwd "$P2:3261" \
		--timeout 150 --work "$WORK" \
		--during "bash $here/tcmu_iscsi.sh --during $PROBE $P1 $P2"
fi
shift
PROBE=$1 P1=$2 P2=$3 LOG=$4 SHARE=$5
IQN=iqn.2026-11.org.salua:target.1
fails=0
ok() { echo "ISCSITEST ok   $*"; }
bad() { echo "ISCSITEST FAIL $*"; fails=$((fails + 1)); }
states() {	# print "tpg state pref" per path, from alua_probe --json
	timeout 60 "$PROBE" --json "iscsi://127.0.0.1:$P1/$IQN/0" "iscsi://127.0.0.1:$P2/$IQN/0" |
	python3 -c '
import json, sys
j = json.load(sys.stdin)
for lu in j["logical_units"]:
    for p in sorted(lu["paths"], key=lambda p: p["relative_port"]):
        print(lu["lu_name"], p["relative_port"], p["tpg_id"], p["state_name"], p["preferred"])'
}
s=$(states)
echo "$s"
[ "$(echo "$s" | wc -l)" = 2 ] && [ "$(echo "$s" | cut -d' ' -f1 | sort -u | wc -l)" = 1 ] &&
	ok "one LU, two paths over iSCSI" || bad "LUs/paths: $s"
echo "$s" | grep -q "^naa.65a1a0000053494d0000000000000001 1 1 active/optimized True$" &&
	echo "$s" | grep -q " 2 2 standby False$" && ok "port 1: TPG 1 A/O PREF, port 2: TPG 2 standby" ||
	bad "states: $s"
: > "$SHARE/failover"
i=0
while [ ! -e "$SHARE/failover-done" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
s=$(states)
echo "$s"
echo "$s" | grep -q " 1 1 standby True$" && echo "$s" | grep -q " 2 2 active/optimized False$" &&
	ok "failover seen over iSCSI" || bad "after failover: $s"
exit $fails

#GUEST-BEGIN
# (guest side, busybox sh)
C=/sys/kernel/config/target
for m in configfs target_core_mod target_core_user uio crc32c_generic iscsi_target_mod; do modprobe $m || exit 1; done
grep -q " /sys/kernel/config " /proc/mounts || mount -t configfs configfs /sys/kernel/config
find $C | sort > /tmp/cfg.before
salua-target luns=1,ports=2,loop=0,iscsi=10.0.2.15:3260,transition=0,control=/tmp/ctl > /tmp/out 2>&1 &
pid=$!
i=0
while ! grep -q '^ready' /tmp/out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
cat /tmp/out
grep -q '^ready' /tmp/out || exit 1
salua-ready
salua-wait 60 failover || exit 1
printf 'lun 0 group 0 state s transition 0\nlun 0 group 1 state ao transition 0\n' > /tmp/ctl
sleep 0.5
salua-signal failover-done
salua-wait 100 host-done
kill -TERM $pid
wait $pid
rc=$?
cat /tmp/out
find $C | sort > /tmp/cfg.after
diff /tmp/cfg.before /tmp/cfg.after || { echo "configfs objects left"; exit 1; }
[ $rc = 0 ] && grep -q '^stopped$' /tmp/out
#GUEST-END
