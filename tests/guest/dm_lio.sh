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
#   checker       20 TURs on the standby path (a path checker's 04/0B
#                 answers) send no RTPG
# One DMT-RESULT line each (tests/guest/dm_lib.sh); check_dm.py asserts.
#
# One boot, the two handlers side by side: salua's trans5s and delete run
# first, alone (scsi_dh_alua, once loaded, attaches itself to every device
# added later, so salua's re-added path must come back before it loads);
# then salua's other scenarios and all of scsi_dh_alua's run at the same
# time, each on its own LU, map, load generator and trace window.
. /dm_lib.sh

dm_modules
lio_modules
trace_setup
echo 1 > /proc/sys/kernel/printk_ratelimit_burst 2>/dev/null
insmod /salua_dh.ko || die "insmod salua_dh.ko"
lio_lu lu1 SALUA-LU
lio_lu lu2 KALUA-LU
lio_ports lu1 lu2

# mkmap HANDLER LU LUN HW: the map and its path variables.
mkmap() {
	h=$1 lu=$2 lun=$3 hw=$4
	map=mp_$h
	A=$(lio_dev $lun a) B=$(lio_dev $lun b)
	[ -n "$A" ] && [ -n "$B" ] || die "$h: no devices for LUN $lun"
	dm_create $map "$hw" $A $B
	say "$h: map $map A=$A B=$B dh_state $(cat /sys/block/$A/device/dh_state) $(cat /sys/block/$B/device/dh_state)"
	AM=$(majmin $A) BM=$(majmin $B)
	VIO=/tmp/vio_$h
	dm_fail_base=$(dmesg | grep -c "$(dm_majmin $map): Failing path")
}
active() { [ "$(dm_active_pg $map)" = $1 ] && dm_paths $map | grep -q "$2:A"; }

# begin: I/O running, the scenario's event time and trace window.
begin() {
	io_start $map
	ev=$(now_us)
	trace_mark $ev
}

# switch_group: activate the standby group (STPG), then back.
sc_switch_group() {
	begin
	dm_msg $map "switch_group 2"
	wait_for 20 active 2 $BM || say "$h switch_group: PG 2 not active"
	wait_for 20 '[ "$(access_of $B)" = active/optimized ]' || say "$h switch_group: B not AO"
	io_stop
	result dm_lio switch_group $h $map $lu $lun $ev 0
	say "$h: back to group 1"
	dm_msg $map "switch_group 1"
	io_start $map
	wait_for 20 active 1 $AM || say "$h: PG 1 not active"
	io_stop
}

# to_a: gp_a AO, gp_b standby, as the host sees it.
to_a() {
	lio_delay $lu 0
	lio_set $lu 0 0 2
	rescan_dev $B
	wait_for 10 '[ "$(access_of $B)" = standby ]' || say "$h: B not standby"
}

# failover: the array moves A/O to gp_b with a 1 s transition.
sc_failover() {
	begin
	lio_set $lu 1000 2 0
	wait_for 20 active 2 $BM || say "$h failover: PG 2 not active"
	io_stop
	result dm_lio failover $h $map $lu $lun $ev 1000
}

# failback: the failed path comes back, then the array fails back.
sc_failback() {
	dm_msg $map "reinstate_path $AM"
	begin
	lio_set $lu 1000 0 2
	wait_for 20 active 1 $AM || say "$h failback: PG 1 not active"
	io_stop
	result dm_lio failback $h $map $lu $lun $ev 1000
}

# trans5s: a 5 s transition to gp_b.
sc_trans5s() {
	dm_msg $map "reinstate_path $BM"
	begin
	lio_set $lu 5000 2 0
	wait_for 20 active 2 $BM || say "$h trans5s: PG 2 not active"
	io_stop
	result dm_lio trans5s $h $map $lu $lun $ev 5000
}

# delete: the active path's device goes away under I/O, comes back.
sc_delete() {
	dm_msg $map "reinstate_path $AM"
	lio_delay $lu 0
	hb=$(basename $(readlink /sys/block/$B/device)); hb=${hb%%:*}
	begin
	echo 1 > /sys/block/$B/device/delete
	wait_for 20 active 1 $AM || say "$h delete: PG 1 not active"
	sleep 1
	readd $lun b $hb $lu || say "$h delete: $B not back"
	B=$(lio_dev $lun b)
	dm_reload $map "$hw" $A $B
	BM=$(majmin $B)
	sleep 1
	io_stop
	result dm_lio delete $h $map $lu $lun $ev 0 "readded=$B:$(cat /sys/block/$B/device/dh_state)"
}

# checker: a path checker's TURs on the standby path (NOT READY 04/0B
# each) must not make the handler send RTPGs.
sc_checker() {
	to_a
	dm_msg $map "switch_group 1"
	dm_msg $map "reinstate_path $BM"
	sleep 1
	begin
	say "$h checker: $(salua_vio tur -i 0.2 -d 4 /dev/$B)"
	io_stop
	result dm_lio checker $h $map $lu $lun $ev 0
}

# part NAME CMD...: CMD in the background, its output to /tmp/part.NAME.
part() {
	n=$1; shift
	( "$@" ) > /tmp/part.$n 2>&1 &
	eval part_$n=\$!
}

mkmap salua lu1 0 "2 salua 0"
sc_trans5s
sc_delete
# The kernel's handler on the second LU: loaded only now, so it never
# attached to the first LU's devices.
modprobe scsi_dh_alua || die "modprobe scsi_dh_alua"
part salua eval 'to_a; sc_switch_group; to_a; sc_failover; sc_failback; sc_checker'
part alua eval 'mkmap alua lu2 1 "1 alua"; sc_switch_group; to_a; sc_failover; sc_failback; sc_trans5s; sc_delete; sc_checker'
wait $part_salua; rs=$?
wait $part_alua; ra=$?
cat /tmp/part.salua /tmp/part.alua
[ $rs = 0 ] && [ $ra = 0 ] || die "a scenario part failed (salua $rs, alua $ra)"
for h in salua alua; do
	DM_DISABLE_UDEV=1 dmsetup remove --noudevsync mp_$h || say "$h: dmsetup remove failed"
done
say "done"
dmesg | grep -E "salua|alua|device-mapper: multipath" | tail -150
exit 0
