#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# kernel-reports.sh LOG [--ours REGEX]
#
# The guest harness's failure detection (tests/guest/run-guest.sh): reads a
# guest console log and prints one line per kernel report, "CLASS: text",
# then exits 1 if there was any (0 if none).  Classes:
#   lockdep       lockdep and PROVE_RCU reports ("WARNING: possible circular
#                 locking dependency", "inconsistent lock state", "suspicious
#                 RCU usage", invalid wait context, non-static key, lockdep
#                 running out of entries ...)
#   kasan         "BUG: KASAN: ..."
#   kfence        "BUG: KFENCE: ..."
#   atomic-sleep  "BUG: sleeping function called from invalid context",
#                 scheduling while atomic, smp_processor_id() in preemptible
#   odebug        DEBUG_OBJECTS ("ODEBUG: free active ...")
#   list          DEBUG_LIST corruption
#   hung-task     "INFO: task X blocked for more than N seconds"
#   rcu-stall     RCU CPU stall reports
#   kmemleak      a leak attributed to one of our modules (below)
#   kmemleak-off  the guest asked for a leak scan and could not run it
#   warning       any other WARN ("WARNING: CPU: N PID: ...")
#   oops          any other BUG:, Oops, general protection fault, panic, UBSAN
#   trace         a "Call Trace:" none of the above explains
#
# Where it looks: the whole console log (the kernel's messages printed
# live, the kernel log dumped between SALUA-DMESG-BEGIN/END, a panic);
# each report line is counted once however often it appears.  The leak
# scan that the guest's /init runs once at the end on a kernel with
# kmemleak sits between SALUA-KMEMLEAK-BEGIN/END.
#
# Attributing leaks: kmemleak records each object's allocation backtrace.
# A leak is ours when a frame of that backtrace is in one of our modules
# (names matching REGEX, default "salua[A-Za-z0-9_]*"): either resolved
# ("func+0x12/0x40 [salua_dh]": the module is still loaded), or an address
# kallsyms could no longer resolve ("0xffffffffc0201234": the module is
# gone) that lies inside the range one of our modules occupied when it was
# unloaded: the guest script's rmmod / modprobe -r (shell functions that
# run-guest.sh puts in front of it) record each module's /proc/modules line
# (name, size, base) before unloading it, printed as "SALUA-UNLOADED name
# size refs users state base" lines in the scan section.  Leaks with no frame of ours
# are counted and shown, not failed: the kernel itself and other drivers
# have known kmemleak false positives.
set -euo pipefail

log=${1:?usage: kernel-reports.sh LOG [--ours REGEX]}
shift
ours='salua[A-Za-z0-9_]*'
while [ $# -gt 0 ]; do
	case $1 in
	--ours) ours=$2; shift 2 ;;
	*) echo "kernel-reports.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -r "$log" ] || { echo "kernel-reports.sh: cannot read $log" >&2; exit 2; }

awk -v ours="$ours" '
function strip(s) {
	sub(/\r$/, "", s)
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "", s)	# printk time
	sub(/^\[ *[A-Z][0-9]+\] /, "", s)	# caller id, if any
	return s
}
function hex2num(h,    i, c, n) {
	n = 0
	for (i = 1; i <= length(h); i++) {
		c = index("0123456789abcdef", substr(h, i, 1)) - 1
		if (c < 0) return -1
		n = n * 16 + c
	}
	return n
}
# A 64-bit address as two exact 32-bit halves (awk numbers are doubles).
function split64(h, v) {
	h = tolower(h)
	sub(/^0x/, "", h)
	while (length(h) < 16) h = "0" h
	v["hi"] = hex2num(substr(h, 1, 8))
	v["lo"] = hex2num(substr(h, 9, 8))
	return v["hi"] >= 0 && v["lo"] >= 0 && length(h) == 16
}
function le64(ahi, alo, bhi, blo) { return ahi < bhi || (ahi == bhi && alo <= blo) }
function report(cls, text) {
	if ((cls SUBSEP text) in seen) return
	seen[cls, text] = 1
	out[++nout] = cls ": " text
}
function classify(s,    cls) {
	cls = ""
	if (s ~ /BUG: KASAN: /) cls = "kasan"
	else if (s ~ /BUG: KFENCE: /) cls = "kfence"
	else if (s ~ /BUG: sleeping function called from invalid context/ ||
		 s ~ /BUG: scheduling while atomic/ ||
		 s ~ /BUG: workqueue leaked lock or atomic/ ||
		 s ~ /BUG: using (smp_processor_id|__this_cpu_[a-z_]+)\(\) in preemptible/ ||
		 s ~ /BUG: assuming atomic context/) cls = "atomic-sleep"
	else if (s ~ /ODEBUG: /) cls = "odebug"
	else if (s ~ /list_(add|del) corruption|list_add double add/) cls = "list"
	else if (s ~ /INFO: task .* blocked for more than [0-9]+ seconds/) cls = "hung-task"
	else if (s ~ /rcu: INFO: .* detected stalls|self-detected stall on CPU/) cls = "rcu-stall"
	else if (s ~ /^WARNING: / && s !~ /^WARNING: CPU: /) cls = "lockdep"
	else if (s ~ /BUG: Invalid wait context|BUG: MAX_LOCKDEP|BUG: MAX_STACK_TRACE_ENTRIES|BUG: key [0-9a-f]+ has not been registered|BUG: looking up invalid subclass|INFO: trying to register non-static key|DEBUG_LOCKS_WARN_ON|BUG: held lock freed|BUG: bad unlock balance/) cls = "lockdep"
	else if (s ~ /WARNING: CPU: .* at lib\/debugobjects\.c/) cls = "odebug"
	else if (s ~ /WARNING: CPU: .* at lib\/list_debug\.c/) cls = "list"
	else if (s ~ /WARNING: CPU: .* at kernel\/locking\//) cls = "lockdep"
	else if (s ~ /WARNING: CPU: /) cls = "warning"
	else if (s ~ /BUG: |kernel BUG at|Oops|general protection fault|Kernel panic|UBSAN: /) cls = "oops"
	return cls
}
# Pass 1: where the dmesg dump is, and the ranges of unloaded modules.
FNR == NR {
	s = strip($0)
	if (s ~ /^SALUA-UNLOADED /) {
		# SALUA-UNLOADED name size refs users state base [taints]
		n = split(s, f, /[ \t]+/)
		if (f[2] ~ ("^(" ours ")$") && n >= 7 && split64(f[7], v) && f[3] > 0) {
			nr++
			bhi[nr] = v["hi"]; blo[nr] = v["lo"]
			elo = v["lo"] + f[3]
			ehi[nr] = v["hi"] + int(elo / 4294967296)
			elo_[nr] = elo % 4294967296
			rname[nr] = f[2]
		}
	}
	next
}
{
	s = strip($0)
	if (s == "SALUA-KMEMLEAK-BEGIN") { in_leak = 1; next }
	if (s == "SALUA-KMEMLEAK-END") { in_leak = 0; flush_leak(); next }
	if (in_leak) {
		if (s ~ /^SALUA-KMEMLEAK: unavailable/) { report("kmemleak-off", s); next }
		if (s ~ /^unreferenced object /) { flush_leak(); obj = s; mine = ""; next }
		if (obj != "" && s ~ /^ *\[<[^>]*>\] /) {
			fr = s
			sub(/^ *\[<[^>]*>\] /, "", fr)
			if (mine == "" && fr ~ ("\\[(" ours ")\\]$")) mine = fr
			else if (mine == "" && fr ~ /^0x[0-9a-f]+$/ && split64(fr, v)) {
				for (i = 1; i <= nr; i++)
					if (le64(bhi[i], blo[i], v["hi"], v["lo"]) &&
					    !le64(ehi[i], elo_[i], v["hi"], v["lo"])) {
						mine = fr " (in " rname[i] ", since unloaded)"
						break
					}
			}
		}
		next
	}
	if (s ~ /Call Trace:/) { traces++; next }
	cls = classify(s)
	if (cls != "") { report(cls, s); explained++ }
}
function flush_leak() {
	if (obj == "") return
	if (mine != "") report("kmemleak", obj " allocated at " mine)
	else other_leaks++
	obj = ""; mine = ""
}
END {
	if (traces && !explained) report("trace", traces " call trace(s) with no report line")
	for (i = 1; i <= nout; i++) print out[i]
	if (other_leaks)
		print "kmemleak: " other_leaks " leak(s) not attributed to " ours " (not a failure)" > "/dev/stderr"
	exit (nout > 0) ? 1 : 0
}
' "$log" "$log"
