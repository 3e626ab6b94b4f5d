# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh): the native multipath head (salua multipath=on)
# over LIO through tcm_loop, every scenario under the verified-I/O load.
# /etc/mpath.conf may set NP (paths, half in each of the groups tgA/tgB;
# default 2), LIO_TYPE (alua_access_type: 3 implicit+explicit, default;
# 1 implicit only), DELAY_MS (LIO transition delay, default 1000), TMO
# (no_path_timeout, s, default 5), GAP (how long paths are gone in the
# "short" scenarios, s, default 1), SCSI_DEBUG=1 (then tests/guest/
# mpath_sd.sh runs in the same boot), UNLOAD_WAITING=1 (unload while heads
# wait for their paths), ALWAYS=1 (then mpath_always.sh: multipath=always).
#   interface  head on the 2nd path; paths/lu_name/iopolicy/no_path_timeout;
#              members held exclusively (slaves/holders, O_EXCL busy); PR
#              ioctls and SG_IO refused; iopolicy switches under load
#   failover   configfs tgA->S, tgB->AO (and back) under load, without and
#              with a DELAY_MS transition; round-robin spread over AO
#   stpg       (explicit) alua_probe --set-state on a path (STPG), back
#   readd      an AO path deleted under load and scanned back
#   unavail    both groups unavailable for GAP s (less than the timeout)
#   gone_short every path deleted for GAP s, then scanned back: the
#              head must have a path again within the timeout
#   gone_long  every path deleted for longer: I/O fails after the timeout,
#              the head goes; scanned back: a new head
. /mpath_lib.sh
[ -f /etc/mpath.conf ] && . /etc/mpath.conf
NP=${NP:-2} LIO_TYPE=${LIO_TYPE:-3} DELAY_MS=${DELAY_MS:-1000} TMO=${TMO:-5} GAP=${GAP:-1}
TMO=$((TMO * SLOW))

echo /bin/false > /proc/sys/kernel/modprobe 2>/dev/null
modprobe scsi_mod && modprobe sd_mod && modprobe sg || { bad "modules"; exit 1; }
insmod /salua_dh.ko multipath=on iopolicy=round-robin no_path_timeout=$TMO ||
	{ bad "insmod multipath=on"; exit 1; }
grep -q "^on$" /sys/module/salua_dh/parameters/multipath &&
	ok "multipath=on" || bad "multipath parameter '$(cat /sys/module/salua_dh/parameters/multipath)'"
lio_setup $NP || { bad "LIO setup"; exit 1; }
echo "paths: tgA:$PATHS_A tgB:$PATHS_B"
H=$(wait_head $LIO_LU 100) || { bad "no head for $LIO_LU"; dmesg | tail -30; exit 1; }
wait_paths $H $NP 100 && ok "$H: $NP paths" || bad "$H: $(npaths $H) paths, want $NP"
A1=$(set -- $PATHS_A; echo $1)
B1=$(set -- $PATHS_B; echo $1)
for d in $PATHS_A; do
	wait_pstate $H $(sd_of $d) active/optimized 100 || bad "$d not AO: $(pstate $H $(sd_of $d))"
done
for d in $PATHS_B; do
	wait_pstate $H $(sd_of $d) standby 100 || bad "$d not standby: $(pstate $H $(sd_of $d))"
done

# ---- interface ----
echo "--- /sys/block/$H/salua/paths"; cat /sys/block/$H/salua/paths
awk 'NF != 4 || $1 !~ /^[0-9]+:[0-9]+:[0-9]+:[0-9]+$/ || $2 !~ /^sd[a-z]+$/ ||
	$4 !~ /^[01]$/ { exit 1 }' /sys/block/$H/salua/paths &&
	ok "paths: H:C:T:L sdX ACCESS_STATE PREF" || bad "paths format"
[ "$(cat /sys/block/$H/salua/lu_name)" = $LIO_LU ] && ok "lu_name $LIO_LU" || bad "lu_name"
[ "$(cat /sys/block/$H/salua/no_path_timeout)" = $TMO ] && ok "no_path_timeout $TMO" ||
	bad "no_path_timeout '$(cat /sys/block/$H/salua/no_path_timeout)'"
[ "$(ls /sys/block/$H/slaves | wc -l)" = $NP ] && ok "slaves: $(ls /sys/block/$H/slaves | tr '\n' ' ')" ||
	bad "slaves: $(ls /sys/block/$H/slaves)"
sdA=$(sd_of $A1)
[ "$(ls /sys/block/$sdA/holders)" = $H ] && ok "$sdA holder $H" || bad "$sdA holders: $(ls /sys/block/$sdA/holders)"
mpath_ctl excl /dev/$sdA && ok "$sdA held exclusively" || bad "$sdA not held exclusively"
mpath_ctl pr /dev/$H && ok "PR ioctls refused" || bad "PR ioctls"
mpath_ctl sgio /dev/$H && ok "SG_IO refused" || bad "SG_IO"
dmesg | grep -q "persistent reservations are refused on the multipath head" &&
	ok "PR refusal explained in the log" || bad "no PR message"
for p in numa queue-depth service-time failover latency round-robin; do
	echo $p > /sys/block/$H/salua/iopolicy
	[ "$(cat /sys/block/$H/salua/iopolicy)" = $p ] || bad "iopolicy $p"
done
echo bogus > /sys/block/$H/salua/iopolicy 2>/dev/null && bad "iopolicy bogus accepted" ||
	ok "iopolicy: 6 policies, bogus refused"

# Round-robin spread over the AO paths only, and policy switches under load.
for d in $PATHS_A $PATHS_B; do eval "s0_$(sd_of $d)=$(dstat $(sd_of $d))"; done
vio_start policies /dev/$H
sleep 1.5
for p in queue-depth service-time latency numa failover round-robin; do
	echo $p > /sys/block/$H/salua/iopolicy
	sleep 0.3
done
sleep 1
vio_stop policies
scen policies serve
echo $(cat /sys/block/$H/salua/path_stats)
tot=0
for d in $PATHS_A $PATHS_B; do
	s=$(sd_of $d); eval "n=\$((\$(dstat $s) - \$s0_$s))"; eval "n_$s=$n"; tot=$((tot + n))
done
for d in $PATHS_B; do
	s=$(sd_of $d); eval "n=\$n_$s"
	[ "$n" = 0 ] && ok "standby $s: no I/O" || bad "standby $s: $n I/Os"
done
if [ $NP -ge 4 ]; then
	for d in $PATHS_A; do
		s=$(sd_of $d); eval "n=\$n_$s"
		[ $((n * 100 / tot)) -ge 25 ] && ok "AO $s: $n of $tot I/Os" ||
			bad "AO $s: only $n of $tot I/Os"
	done
fi

# ---- failover and failback through configfs ----
failover() {	# NAME: tgA->S tgB->AO, then back, in parallel like an array
	vio_start $1 /dev/$H
	sleep 1
	lio_state tgA 2 & w1=$!
	lio_state tgB 0 & w2=$!
	wait $w1 $w2
	wait_pstate $H $(sd_of $B1) active/optimized 50 || bad "$1: B $(pstate $H $(sd_of $B1))"
	sleep 1
	vio_stop $1
	scen $1 serve
	vio_start $1_back /dev/$H
	sleep 1
	lio_state tgA 0 & w1=$!
	lio_state tgB 2 & w2=$!
	wait $w1 $w2
	wait_pstate $H $(sd_of $A1) active/optimized 50 || bad "$1_back: A $(pstate $H $(sd_of $A1))"
	sleep 1
	vio_stop $1_back
	scen $1_back serve
}
failover failover
lio_delay tgA $DELAY_MS
lio_delay tgB $DELAY_MS
failover failover_${DELAY_MS}ms
lio_delay tgA 0
lio_delay tgB 0

# ---- explicit: STPG from alua_probe on a path ----
if [ $LIO_TYPE = 3 ]; then
	vio_start stpg /dev/$H
	sleep 1
	alua_probe --set-state ao --device /dev/$(sg_of $B1) > /tmp/stpg.txt 2>&1 ||
		bad "STPG ao: $(cat /tmp/stpg.txt)"
	alua_probe --set-state standby --device /dev/$(sg_of $A1) >> /tmp/stpg.txt 2>&1 ||
		bad "STPG standby: $(cat /tmp/stpg.txt)"
	wait_pstate $H $(sd_of $A1) standby 50 && wait_pstate $H $(sd_of $B1) active/optimized 50 ||
		bad "stpg: A $(pstate $H $(sd_of $A1)) B $(pstate $H $(sd_of $B1))"
	sleep 1
	vio_stop stpg
	scen stpg serve
	vio_start stpg_back /dev/$H
	sleep 1
	alua_probe --set-state ao --device /dev/$(sg_of $A1) > /tmp/stpg.txt 2>&1 &&
	alua_probe --set-state standby --device /dev/$(sg_of $B1) >> /tmp/stpg.txt 2>&1 ||
		bad "STPG back: $(cat /tmp/stpg.txt)"
	wait_pstate $H $(sd_of $A1) active/optimized 50 || bad "stpg_back: A $(pstate $H $(sd_of $A1))"
	sleep 1
	vio_stop stpg_back
	scen stpg_back serve
fi

# ---- an AO path deleted under load, scanned back (with 4 paths the
# other AO path serves meanwhile; with 2, I/O waits for it) ----
vio_start readd /dev/$H
sleep 1
sdev_del $A1
wait_paths $H $((NP - 1)) 50 || bad "readd: $(npaths $H) paths after delete"
sleep 0.5
host_scan $A1
wait_paths $H $NP 100 || bad "readd: $(npaths $H) paths after the scan"
wait_pstate $H $(sd_of $A1) active/optimized 50 || bad "readd: $A1 $(pstate $H $(sd_of $A1))"
sleep 1
vio_stop readd
scen readd serve
[ "$(ls /sys/block/$H/slaves | wc -l)" = $NP ] && ok "readd: slaves back" || bad "readd: slaves $(ls /sys/block/$H/slaves)"

# ---- every group unavailable for less than the timeout ----
vio_start unavail /dev/$H
sleep 1
lio_state tgA 3 & w1=$!
lio_state tgB 3 & w2=$!
wait $w1 $w2
sleep $GAP
lio_state tgA 0 & w1=$!
lio_state tgB 2 & w2=$!
wait $w1 $w2
wait_pstate $H $(sd_of $A1) active/optimized 50 || bad "unavail: A $(pstate $H $(sd_of $A1))"
sleep 1
vio_stop unavail
scen unavail serve

# ---- every path gone for less than the timeout ----
vio_start gone_short /dev/$H
sleep 1
for d in $PATHS_A $PATHS_B; do sdev_del $d; done
wait_paths $H 0 50 || bad "gone_short: $(npaths $H) paths left"
sleep $GAP
for d in $PATHS_A $PATHS_B; do host_scan $d; done
wait_paths $H $NP 100 || bad "gone_short: $(npaths $H) paths after the scan"
wait_pstate $H $(sd_of $A1) active/optimized 50 || bad "gone_short: A $(pstate $H $(sd_of $A1))"
sleep 1
vio_stop gone_short
scen gone_short serve
[ "$(head_of $LIO_LU)" = $H ] && ok "gone_short: same head $H" || bad "gone_short: head $(head_of $LIO_LU)"

# ---- every path gone for longer than the timeout ----
vio_start gone_long /dev/$H
sleep 1
t0=$(now_us)
for d in $PATHS_A $PATHS_B; do sdev_del $d; done
sleep $((TMO + SLOW))
[ -e /sys/block/$H ] && bad "gone_long: $H still there" || ok "gone_long: $H removed"
vio_stop gone_long
scen gone_long nopath $t0 $TMO
for d in $PATHS_A $PATHS_B; do host_scan $d; done
H2=$(wait_head $LIO_LU 100) && wait_paths $H2 $NP 100 && ok "gone_long: new head $H2, $NP paths" ||
	bad "gone_long: no new head"
vio_start after /dev/$H2
sleep 1.5
vio_stop after
scen after serve

# ---- mpath_sd.sh: scsi_debug in the same boot ----
[ "${SCSI_DEBUG:-0}" = 1 ] && . /mpath_sd.sh

# ---- teardown: heads go with their paths, the module unloads ----
# UNLOAD_WAITING=1: unload while the heads still wait out their timeout.
if [ "${UNLOAD_WAITING:-0}" = 1 ]; then teardown on waiting; else teardown on; fi

# ---- mpath_always.sh: multipath=always in the same boot ----
[ "${ALWAYS:-0}" = 1 ] && . /mpath_always.sh

echo "MPT done fails=$fails"
dmesg | grep -i 'salua[0-9]*:' | grep -v 'taints\|verification' | tail -60
[ $fails -eq 0 ]
