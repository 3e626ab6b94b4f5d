#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# guest.debug_detectors@debug: the harness must catch each kind of bug the
# debug kernel can report.  Boots the debug kernel once with the test-only
# module salua_kfaults (tests/guest/kfaults), loaded once per fault by
# debug_detectors.sh, and requires that run-guest.sh
#   - fails the run (exit 1) although the guest script itself passed, and
#   - names each class: lockdep, atomic-sleep, odebug, list, hung-task
#     (the task is "busybox": insmod is a prologue shell function that runs
#     busybox's applet),
#     kfence, kasan, and kmemleak twice (the leak of salua_kfaults_b,
#     loaded at the scan, by name; the leak of salua_kfaults, unloaded
#     before it, by the address range it occupied), with the reports that
#     name a function naming the module.
#   debug_detectors_test.sh WORKDIR KFAULTS_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=$1 kf=$2
mkdir -p "$work"
for m in salua_kfaults salua_kfaults_b; do
	[ -f "$kf/$m.ko" ] || { echo "debug_detectors: $kf/$m.ko not built (fixture debugkernel.build)"; exit 1; }
done
bash "$here/run-guest.sh" --script "$here/debug_detectors.sh" \
	--file "$kf/salua_kfaults.ko:/salua_kfaults.ko" --file "$kf/salua_kfaults_b.ko:/salua_kfaults_b.ko" \
	--timeout 150 --work "$work" 2> "$work/harness.err"
rc=$?
cat "$work/harness.err"
[ $rc -ne 77 ] || exit 77
fails=0
ok() { echo "DETECTORS ok   $*"; }
bad() { echo "DETECTORS FAIL $*"; fails=$((fails + 1)); }
[ $rc -eq 1 ] && ok "run-guest.sh failed the run (exit $rc)" || bad "run-guest.sh exit $rc, want 1"
grep -q '^DETECT FAIL' "$work/console.log" && bad "guest steps: $(grep '^DETECT FAIL' "$work/console.log" | tr '\n' ' ')"
[ "$(grep -c '^DETECT ok' "$work/console.log")" -eq 9 ] && ok "9 guest steps ran" || bad "guest steps ran: $(grep -c '^DETECT ok' "$work/console.log"), want 9"
grep -q 'SALUA-GUEST: rc=0' "$work/console.log" && ok "guest script passed" || bad "guest script did not pass"
r() { grep "kernel report: $1: " "$work/harness.err"; }
want() {	# want CLASS [REGEX]
	if r "$1" | grep -qE -- "${2:-.}"; then ok "$1: $(r "$1" | grep -E -- "${2:-.}" | head -1 | sed 's/.*kernel report: //')"
	else bad "no '$1' report${2:+ matching '$2'}"; fi
}
want lockdep 'possible circular locking dependency'
want atomic-sleep 'sleeping function called from invalid context'
want odebug 'ODEBUG: free active .*timer_list.*salua_kfaults'
want list 'list_add double add'
want hung-task 'INFO: task (insmod|busybox):[0-9]+ blocked for more than 2 seconds'
want kfence 'BUG: KFENCE: use-after-free read in kf_uaf.*salua_kfaults'
want kasan 'BUG: KASAN: (slab-)?use-after-free in kf_uaf.*salua_kfaults'
want kmemleak 'allocated at kf_leak\+0x[0-9a-f]+/0x[0-9a-f]+ \[salua_kfaults_b\]'
want kmemleak 'allocated at 0xffffffff[0-9a-f]+ \(in salua_kfaults, since unloaded\)'
echo "DETECTORS done fails=$fails"
[ $fails -eq 0 ]
