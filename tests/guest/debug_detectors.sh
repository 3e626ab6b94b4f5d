# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Guest script (busybox sh) for guest.debug_detectors@debug: load the
# test-only module /salua_kfaults.ko once per fault (and its twin
# /salua_kfaults_b.ko once).  Order matters:
# lockdep switches itself off after its first report and a KASAN report
# switches lockdep off too, so lockdep goes first and the memory errors
# last.  Prints "DETECT ok|FAIL step"; the host side
# (debug_detectors_test.sh) checks what the harness reported.
fails=0
step() {	# step NAME insmod-args...
	n=$1; shift
	if insmod /salua_kfaults.ko "$@" && rmmod salua_kfaults; then
		echo "DETECT ok   $n"
	else
		echo "DETECT FAIL $n"; fails=$((fails + 1))
	fi
}
step lockdep fault=lockdep
step sleep fault=sleep
step odebug fault=odebug
step list fault=list
echo 2 > /proc/sys/kernel/hung_task_timeout_secs
step hang fault=hang hang_secs=8
echo 60 > /proc/sys/kernel/hung_task_timeout_secs
step kfence fault=kfence
step kasan fault=kasan
# Leaks: one by a module still loaded at the scan (attributed by name),
# then one by a module unloaded before the scan (attributed by the address
# range it had: nothing is loaded after it, so nothing takes its place).
if insmod /salua_kfaults_b.ko fault=leak leak_size=3000; then
	echo "DETECT ok   leak-loaded"
else
	echo "DETECT FAIL leak-loaded"; fails=$((fails + 1))
fi
step leak-unloaded fault=leak leak_size=1234
exit $fails
