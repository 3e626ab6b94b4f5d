#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# unit.kernel_reports: the guest harness's report classifier
# (kernel-reports.sh) on synthetic console logs written in the kernel's
# formats: each class is recognised, a line seen twice counts once, a
# clean log passes, and kmemleak leaks are attributed to our modules only
# when a backtrace frame is in one (resolved, or an unresolved address in
# the range an unloaded module of ours occupied; range edges and a carry
# across the 32-bit halves of the address).  The real detectors are
# exercised by guest.debug_detectors@debug.
set -u
here=$(cd "$(dirname "$0")" && pwd)
kr=$here/kernel-reports.sh
t=$(mktemp -d /tmp/salua-kr.XXXXXX)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
check() {	# check NAME WANT_RC EXPECTED_CLASSES... < log
	local name=$1 want=$2; shift 2
	cat > "$t/log"
	"$kr" "$t/log" > "$t/out" 2> "$t/err"
	local rc=$? got
	got=$(cut -d: -f1 "$t/out" | tr '\n' ' ' | sed 's/ $//')
	if [ "$rc" = "$want" ] && [ "$got" = "$*" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: rc $rc (want $want), classes '$got' (want '$*')"
		sed 's/^/    /' "$t/out" "$t/err"
	fi
}

check clean 0 <<'L'
SALUA-GUEST-START 6.1.192-salua-debug
MODTEST ok   insmod
SALUA-GUEST: rc=0
SALUA-DMESG-BEGIN
[    0.000000] Linux version 6.1.192-salua-debug
[    3.100000] salua: salua_dh loaded
SALUA-DMESG-END
L

check classes 1 lockdep kasan kfence atomic-sleep odebug odebug list hung-task rcu-stall warning oops lockdep <<'L'
[   10.000001] WARNING: possible circular locking dependency detected
[   10.000002] BUG: KASAN: use-after-free in kf_uaf+0x1/0x2 [salua_kfaults]
[   10.000003] BUG: KFENCE: use-after-free read in kf_uaf+0x1/0x2 [salua_kfaults]
[   10.000004] BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274
[   10.000005] WARNING: CPU: 1 PID: 90 at lib/debugobjects.c:505 debug_print_object+0x1/0x2
[   10.000006] ODEBUG: free active (active state 0) object: 00000000 object type: timer_list hint: kf_timer_fn+0x0/0x10 [salua_kfaults]
[   10.000007] list_add double add: new=ffff1, prev=ffff2, next=ffff1.
[   10.000008] INFO: task insmod:95 blocked for more than 2 seconds.
[   10.000009] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
[   10.000010] WARNING: CPU: 0 PID: 1 at drivers/scsi/foo.c:12 foo+0x1/0x2
[   10.000011] general protection fault, probably for non-canonical address 0xdffffc0000000000
[   10.000012] INFO: trying to register non-static key.
L

check dedupe 1 lockdep <<'L'
[   10.000001] WARNING: inconsistent lock state
SALUA-DMESG-BEGIN
[   10.000001] WARNING: inconsistent lock state
SALUA-DMESG-END
L

check trace-only 1 trace <<'L'
[    5.0] Call Trace:
[    5.0]  <TASK>
L

check explained-trace 1 kasan <<'L'
[    5.0] BUG: KASAN: slab-out-of-bounds in foo+0x1/0x2
[    5.0] Call Trace:
L

check kmemleak-off 1 kmemleak-off <<'L'
SALUA-KMEMLEAK-BEGIN
SALUA-KMEMLEAK: unavailable (cannot write /sys/kernel/debug/kmemleak)
SALUA-KMEMLEAK-END
L

# Leaks: loaded module (resolved frame), unloaded module (range), others.
check leak-loaded 1 kmemleak <<'L'
SALUA-KMEMLEAK-BEGIN
unreferenced object 0xffff888004a1b000 (size 1234):
  comm "insmod", pid 85, jiffies 4294893600
  hex dump (first 32 bytes):
    5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a  ZZZZZZZZZZZZZZZZ
  backtrace:
    [<00000000a1b2c3d4>] __kmem_cache_alloc_node+0x1d1/0x2f0
    [<00000000a1b2c3d5>] kmalloc_trace+0x26/0x60
    [<(____ptrval____)>] kf_leak+0x1e/0x40 [salua_kfaults]
    [<00000000a1b2c3d7>] do_one_initcall+0x9c/0x310
unreferenced object 0xffff888004a1c000 (size 64):
  comm "swapper/0", pid 1, jiffies 4294893000
  backtrace:
    [<00000000a1b2c3d8>] kmalloc_trace+0x26/0x60
    [<00000000a1b2c3d9>] acpi_foo+0x1e/0x40
SALUA-KMEMLEAK-END
L
grep -q 'size 1234.*kf_leak+0x1e/0x40 \[salua_kfaults\]' "$t/out" && grep -q '1 leak(s) not attributed' "$t/err" &&
	pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL leak-loaded text"; cat "$t/out" "$t/err"; }

# salua_dh occupied [0xffffffffc0200000, +0x9000); scsi_debug's range does
# not count; a frame at base+size is outside, base+size-1 inside.
unl='SALUA-UNLOADED salua_dh 36864 0 - Live 0xffffffffc0200000 (O)
SALUA-UNLOADED scsi_debug 200704 0 - Live 0xffffffffc0300000'
leak() {	# leak FRAME
	printf '%s\nSALUA-KMEMLEAK-BEGIN\nunreferenced object 0xffff888004a1b000 (size 40):\n  comm "kworker/0:1", pid 7, jiffies 1\n  backtrace:\n    [<000000001>] kmalloc_trace+0x26/0x60\n    [<000000002>] %s\nSALUA-KMEMLEAK-END\n' "$unl" "$1"
}
check leak-unloaded 1 kmemleak < <(leak 0xffffffffc0200010)
grep -q 'in salua_dh, since unloaded' "$t/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL leak-unloaded text"; cat "$t/out"; }
check leak-last-byte 1 kmemleak < <(leak 0xffffffffc0208fff)
check leak-past-end 0 < <(leak 0xffffffffc0209000)
check leak-before-base 0 < <(leak 0xffffffffc01fffff)
check leak-other-module 0 < <(leak 0xffffffffc0300010)
# A range crossing a 32-bit boundary of the low half.
check leak-carry-outside 0 < <(printf 'SALUA-UNLOADED salua_x 8192 0 - Live 0xfffffffffffff000\nSALUA-KMEMLEAK-BEGIN\nunreferenced object 0x1 (size 8):\n  backtrace:\n    [<1>] 0x10000000000000ff\nSALUA-KMEMLEAK-END\n')
check leak-carry-inside 1 kmemleak < <(printf 'SALUA-UNLOADED salua_x 8192 0 - Live 0x00000000fffff000\nSALUA-KMEMLEAK-BEGIN\nunreferenced object 0x1 (size 8):\n  backtrace:\n    [<1>] 0x00000001000000ff\nSALUA-KMEMLEAK-END\n')

echo "kernel_reports: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
