# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh): dm-multipath built with dmsetup over LIO
# (tcm_loop, one fileio LU per handler, groups gp_a AO / gp_b standby,
# implicit+explicit, one path per group), verified I/O through each
# scenario, first with salua ("2 salua 0": set_params), then with the
# kernel's scsi_dh_alua on a second LU in the same boot.  Scenarios:
#   switch_group  dmsetup switch_group to the standby group: activate, STPG
#   failover      the array fails over by itself, 1 s transition
#   failback      the failed path is reinstated, the array fails back (1 s)
#   trans5s       array failover with a 5 s transition
#   delete        the active path's device is deleted under I/O, then
#                 re-added (rescan, table reload)
# One DMT-RESULT line each (tests/guest/dm_lib.sh); check_dm.py asserts.
. /dm_lib.sh

dm_modules
lio_modules
trace_setup
echo 1 > /proc/sys/kernel/printk_ratelimit_burst 2>/dev/null
insmod /salua_dh.ko || die "insmod salua_dh.ko"
lio_lu lu1 SALUA-LU
lio_lu lu2 KALUA-LU
lio_ports lu1 lu2

scenarios() {
	h=$1 lu=$2 lun=$3 hw=$4
	map=mp_$h
	A=$(lio_dev $lun a) B=$(lio_dev $lun b)
	[ -n "$A" ] && [ -n "$B" ] || die "$h: no devices for LUN $lun"
	dm_create $map "$hw" $A $B
	say "$h: map $map A=$A B=$B dh_state $(cat /sys/block/$A/device/dh_state) $(cat /sys/block/$B/device/dh_state)"
	AM=$(majmin $A) BM=$(majmin $B)
	active() { [ "$(dm_active_pg $map)" = $1 ] && dm_paths $map | grep -q "$2:A"; }
	dm_fail_base=$(dmesg | grep -c "$(dm_majmin $map): Failing path")

	# switch_group: activate the standby group (STPG), then back.
	io_start $map
	trace_clear
	ev=$(now_us)
	dm_msg $map "switch_group 2"
	wait_for 20 active 2 $BM || say "$h switch_group: PG 2 not active"
	wait_for 20 [ "$(access_of $B)" = active/optimized ] || say "$h switch_group: B not AO"
	io_stop
	result dm_lio switch_group $h $map $lu $lun $ev 0
	say "$h: back to group 1"
	dm_msg $map "switch_group 1"
	io_start $map
	wait_for 20 active 1 $AM || say "$h: PG 1 not active"
	say "$h: gp_b -> standby"
	lio_set $lu 0 0 2
	rescan_dev $B
	wait_for 10 [ "$(access_of $B)" = standby ] || say "$h: B not standby"
	io_stop

	# failover: the array moves A/O to gp_b with a 1 s transition.
	io_start $map
	trace_clear
	ev=$(now_us)
	lio_set $lu 1000 2 0
	wait_for 20 active 2 $BM || say "$h failover: PG 2 not active"
	io_stop
	result dm_lio failover $h $map $lu $lun $ev 1000

	# failback: the failed path comes back, then the array fails back.
	dm_msg $map "reinstate_path $AM"
	io_start $map
	trace_clear
	ev=$(now_us)
	lio_set $lu 1000 0 2
	wait_for 20 active 1 $AM || say "$h failback: PG 1 not active"
	io_stop
	result dm_lio failback $h $map $lu $lun $ev 1000

	# trans5s: a 5 s transition.
	dm_msg $map "reinstate_path $BM"
	io_start $map
	trace_clear
	ev=$(now_us)
	lio_set $lu 5000 2 0
	wait_for 20 active 2 $BM || say "$h trans5s: PG 2 not active"
	io_stop
	result dm_lio trans5s $h $map $lu $lun $ev 5000

	# delete: the active path's device goes away under I/O, comes back.
	dm_msg $map "reinstate_path $AM"
	lio_delay $lu 0
	hb=$(basename $(readlink /sys/block/$B/device)); hb=${hb%%:*}
	io_start $map
	trace_clear
	ev=$(now_us)
	echo 1 > /sys/block/$B/device/delete
	wait_for 20 active 1 $AM || say "$h delete: PG 1 not active"
	sleep 1
	readd $lun b $hb || say "$h delete: $B not back"
	B=$(lio_dev $lun b)
	dm_reload $map "$hw" $A $B
	sleep 1
	io_stop
	result dm_lio delete $h $map $lu $lun $ev 0 "readded=$B:$(cat /sys/block/$B/device/dh_state)"
	DM_DISABLE_UDEV=1 dmsetup remove --noudevsync $map || say "$h: dmsetup remove failed"
}

scenarios salua lu1 0 "2 salua 0"
# The kernel's handler on the second LU: loaded only now, so it never
# attached to the first LU's devices.
modprobe scsi_dh_alua || die "modprobe scsi_dh_alua"
scenarios alua lu2 1 "1 alua"
say "done"
dmesg | grep -E "salua|alua|device-mapper: multipath" | tail -150
exit 0
