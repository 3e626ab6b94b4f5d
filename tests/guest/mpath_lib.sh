# SPDX-License-Identifier: GPL-2.0-only
# Shared by the native multipath guest scripts (tests/guest/mpath_*.sh,
# busybox sh): checks, heads by LU name, LIO over tcm_loop, scsi_debug,
# and scenarios run under the verified-I/O load (salua_vio: O_DIRECT
# writes read back and compared; errors, mismatches, longest pause).
#
# A scenario prints one line for the host (tests/guest/check_mpath.py):
#   MPATH-SCEN name=N expect=serve|nopath ios=.. errors=.. mismatches=..
#              max_pause_us=.. first_err_us=.. result=ok|FAIL
# expect=serve: some path could serve the whole time (or came back within
# the no-path timeout): zero errors and zero mismatches.  expect=nopath:
# none could for longer than the timeout: errors, but none before the
# timeout, and never a mismatch.
fails=0
# A debug kernel (lockdep, KASAN) runs guest scripts 2-3x slower: every
# wait below, and the scripts' timeouts, scale by SLOW.
SLOW=1
[ -e /proc/lockdep ] && SLOW=3
ok() { echo "MPT ok   $*"; }
bad() { echo "MPT FAIL $*"; fails=$((fails + 1)); }
now_us() { salua_vio mark | cut -d' ' -f2; }	# salua_vio's clock
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'; }

# ---- heads ----
# head_of LU: the saluaN whose lu_name is LU.
head_of() {
	for f in /sys/block/salua*/salua/lu_name; do
		[ -e "$f" ] || continue
		if [ "$(cat "$f")" = "$1" ]; then
			f=${f#/sys/block/}
			echo "${f%%/*}"
			return 0
		fi
	done
	return 1
}
# wait_head LU TENTHS: prints the head once it exists.
wait_head() {
	i=0
	while [ $i -lt $(($2 * SLOW)) ]; do
		head_of "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
npaths() { wc -l < /sys/block/$1/salua/paths 2>/dev/null || echo 0; }
# wait_paths HEAD N TENTHS
wait_paths() {
	i=0
	while [ "$(npaths $1)" != "$2" ] && [ $i -lt $(($3 * SLOW)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(npaths $1)" = "$2" ]
}
# pstate HEAD sdX: the path's ACCESS_STATE in the head's paths file.
pstate() { awk -v d="$2" '$2 == d { print $3 }' /sys/block/$1/salua/paths; }
# wait_pstate HEAD sdX STATE TENTHS
wait_pstate() {
	i=0
	while [ "$(pstate $1 $2)" != "$3" ] && [ $i -lt $(($4 * SLOW)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(pstate $1 $2)" = "$3" ]
}
# The sd disk and sg device of H:C:T:L.
sd_of() { ls /sys/class/scsi_device/$1/device/block 2>/dev/null; }
sg_of() { ls /sys/class/scsi_device/$1/device/scsi_generic 2>/dev/null; }
# Completed reads + writes of a disk (/sys/block/sdX/stat fields 1 and 5).
dstat() { awk '{ print $1 + $5 }' /sys/block/$1/stat; }

# teardown WHAT [waiting]: delete every SCSI device, then unload the
# module; the heads go with their paths (their no_path_timeout set to 0
# first), or with "waiting" the module is unloaded while they still wait
# for their paths (module exit deletes them).
teardown() {
	[ "$2" = waiting ] ||
		for f in /sys/block/salua*/salua/no_path_timeout; do
			[ -e $f ] && echo 0 > $f
		done
	for d in $(ls /sys/class/scsi_device); do sdev_del $d; done
	if [ "$2" = waiting ]; then
		ls /sys/block | grep -q salua &&
			ok "$1: heads wait: $(ls /sys/block | grep salua | tr '\n' ' ')" ||
			bad "$1: no head waiting for its paths"
	else
		i=0
		while ls /sys/block | grep -q salua && [ $i -lt $((50 * SLOW)) ]; do
			sleep 0.1
			i=$((i + 1))
		done
		ls /sys/block | grep -q salua && bad "$1: heads left: $(ls /sys/block)" ||
			ok "$1: heads gone with their paths"
	fi
	i=0
	while ! rmmod salua_dh 2>/dev/null && [ $i -lt $((50 * SLOW)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q '^salua_dh ' /proc/modules && bad "$1: rmmod salua_dh" || ok "$1: rmmod salua_dh"
	ls /sys/block | grep -q salua && bad "$1: heads after rmmod: $(ls /sys/block)" ||
		ok "$1: no head after rmmod"
}

# ---- the verified-I/O load ----
VIO_ARGS=${VIO_ARGS:--j 4 -b 4096 -s 4194304}
# vio_start NAME DEV: salua_vio in the background until vio_stop NAME.
vio_start() {
	rm -f /tmp/stop.$1 /tmp/vio.$1 /tmp/tl.$1
	salua_vio $VIO_ARGS -S /tmp/stop.$1 -t /tmp/tl.$1 $2 > /tmp/vio.$1 2>&1 &
	echo $! > /tmp/pid.$1
	i=0
	while ! grep -q '^VIO-START' /tmp/vio.$1 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
vio_stop() {
	: > /tmp/stop.$1
	wait $(cat /tmp/pid.$1) 2>/dev/null
}
vfield() {
	awk -v k="$2" '$1 == "VIO" { for (i = 2; i <= NF; i++) {
		split($i, a, "="); if (a[1] == k) v = a[2] } } END { print v }' /tmp/vio.$1
}
# scen NAME serve|nopath [T0_US TMO_S]: judge and report the run NAME.
scen() {
	n=$1 exp=$2
	e=$(vfield $n errors) m=$(vfield $n mismatches) io=$(vfield $n ios)
	p=$(vfield $n max_pause_us) hung=$(vfield $n hung)
	[ -n "$e" ] || { bad "$n: no VIO result: $(tail -3 /tmp/vio.$n)"; return; }
	fe=$(awk '!/^#/ && $5 !~ /^ok/ { print $1; exit }' /tmp/tl.$n)
	after=-
	[ -n "$fe" ] && [ -n "$3" ] && after=$((fe - $3))
	res=ok
	if [ "$exp" = serve ]; then
		[ "$e" = 0 ] && [ "$m" = 0 ] && [ "$hung" = 0 ] || res=FAIL
	else
		# Errors, none before the timeout (100 ms of slack for the
		# clocks), no mismatch.
		[ "$e" != 0 ] && [ "$m" = 0 ] && [ "$after" != - ] &&
			[ "$after" -ge $(($4 * 1000000 - 100000)) ] || res=FAIL
	fi
	[ "$io" -gt 0 ] 2>/dev/null || res=FAIL
	echo "MPATH-SCEN name=$n expect=$exp ios=$io errors=$e mismatches=$m max_pause_us=$p first_err_us=$after result=$res"
	if [ $res = ok ]; then
		ok "$n: $io I/Os, $e errors, $m mismatches, longest pause $((p / 1000)) ms"
	else
		bad "$n ($exp): $io I/Os, $e errors, $m mismatches, first error after $after us"
		cat /tmp/vio.$n
	fi
}

# ---- LIO over tcm_loop ----
C=/sys/kernel/config/target
D=$C/core/fileio_0/lun0
# lio_setup NPATHS TYPE: one 32 MiB fileio LU, groups tgA (id 16, AO) and
# tgB (id 32, standby) with alua_access_type TYPE (1 implicit, 3 both);
# the first half of the NPATHS loopback ports in tgA, the rest in tgB.
# Sets LIO_LU (LU name) and PATHS_A / PATHS_B (H:C:T:L lists).
lio_setup() {
	np=$1
	modprobe configfs && modprobe target_core_mod &&
		modprobe target_core_file && modprobe tcm_loop || return 1
	grep -q " /sys/kernel/config " /proc/mounts ||
		mount -t configfs configfs /sys/kernel/config
	dd if=/dev/zero of=/tmp/lun0.img bs=1M count=32 2>/dev/null
	mkdir -p $D
	echo "fd_dev_name=/tmp/lun0.img,fd_dev_size=33554432" > $D/control
	echo 6001405a1b2c3d4e > $D/wwn/vpd_unit_serial
	echo 1 > $D/enable || return 1
	for g in "tgA 16 0" "tgB 32 2"; do
		set -- $g
		mkdir $D/alua/$1
		echo $2 > $D/alua/$1/tg_pt_gp_id
		echo $LIO_TYPE > $D/alua/$1/alua_access_type
		echo $3 > $D/alua/$1/alua_access_state
	done
	PATHS_A= PATHS_B=
	k=1
	while [ $k -le $np ]; do
		grp=tgA
		[ $k -gt $((np / 2)) ] && grp=tgB
		T=$C/loopback/naa.50014050000000a$k/tpgt_1
		before=$(ls /sys/class/scsi_device 2>/dev/null)
		mkdir -p $T
		echo naa.50014050000000b$k > $T/nexus
		mkdir $T/lun/lun_0
		ln -s $D $T/lun/lun_0/port0
		echo $grp > $T/lun/lun_0/alua_tg_pt_gp
		dev=
		i=0
		while [ -z "$dev" ] && [ $i -lt 100 ]; do
			for d in $(ls /sys/class/scsi_device); do
				echo "$before" | grep -qx "$d" || dev=$d
			done
			[ -n "$dev" ] || sleep 0.1
			i=$((i + 1))
		done
		[ -n "$dev" ] || return 1
		if [ $grp = tgA ]; then PATHS_A="$PATHS_A $dev"; else PATHS_B="$PATHS_B $dev"; fi
		k=$((k + 1))
	done
	# The scan saw the default group; re-read VPD 0x83 (the handler
	# re-keys each path to its group).
	for d in $PATHS_A $PATHS_B; do
		i=0
		while [ -z "$(sd_of $d)" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		echo 1 > /sys/class/scsi_device/$d/device/rescan
	done
	LIO_LU=naa.60014056001405a1b2c3d4e000000000
}
# lio_state GROUP STATE (0 AO, 1 ANO, 2 S, 3 U): a configfs transition;
# returns when LIO has finished it (after trans_delay_msecs).
lio_state() { echo $2 > $D/alua/$1/alua_access_state; }
lio_delay() { echo $2 > $D/alua/$1/trans_delay_msecs; }
# host_scan H:C:T:L: scan its host again (brings a deleted LUN back).
host_scan() { echo "- - -" > /sys/class/scsi_host/host${1%%:*}/scan; }
sdev_del() { echo 1 > /sys/class/scsi_device/$1/device/delete; }
