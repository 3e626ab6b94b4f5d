# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh): dm-multipath built with dmsetup over scsi_debug
# (implicit ALUA only, no STPG; vpd_use_hostno=0 add_host=3: host 0 AO,
# host 1 ANO, host 2 standby), one path per priority group in that order,
# verified I/O through each scenario.  The handlers are never loaded by
# hand: the table's "1 salua" / "1 alua" loads them through
# request_module("scsi_dh_<name>"), with kmod's modprobe and depmod in the
# guest and salua_dh.ko installed under /lib/modules/$(uname -r)/updates
# (MODULE_ALIAS scsi_dh_salua).  salua on LUN 0, scsi_dh_alua on LUN 1,
# same boot.  Scenarios:
#   ano_only        the AO path fails: dm activates the PG whose only path
#                   is ANO (pg_init must succeed, I/O carries on)
#   switch_standby  switch_group to the standby path's PG: it cannot be
#                   activated (implicit only), dm falls back, no I/O lost
#   return          the paths are reinstated, switch_group back to AO
#   params          the table reloaded with "2 salua 1" (set_params:
#                   optimize STPG), I/O carries on
. /dm_lib.sh

# A real module set-up: kmod's depmod, and its modprobe as the kernel's
# helper (busybox's applets come first in PATH: call them by path).
mkdir -p /sbin
ln -sf /usr/bin/kmod /sbin/modprobe
ln -sf /usr/bin/kmod /sbin/depmod
KV=$(uname -r)
mkdir -p /lib/modules/$KV/updates
cp /salua_dh.ko /lib/modules/$KV/updates/salua_dh.ko
/sbin/depmod -a || die "depmod"
grep -q "^alias scsi_dh_salua salua_dh$" /lib/modules/$KV/modules.alias ||
	die "no scsi_dh_salua alias after depmod"
say "alias: $(grep scsi_dh_salua /lib/modules/$KV/modules.alias)"
echo /sbin/modprobe > /proc/sys/kernel/modprobe

dm_modules
trace_setup
modprobe scsi_debug vpd_use_hostno=0 add_host=3 num_tgts=1 max_luns=2 dev_size_mb=32 ||
	die "modprobe scsi_debug"
wait_for 20 '[ "$(ls /sys/class/scsi_disk | wc -l)" -ge 6 ]' || die "scsi_debug disks"
grep -q '^salua_dh ' /proc/modules && die "salua_dh loaded before any table named it"

# sd_dev HOST LUN: the sd name of that path.
sd_dev() { ls /sys/class/scsi_device/$1:0:0:$2/device/block; }

scenarios() {
	h=$1 lun=$2 hw=$3
	map=mp_$h
	P0=$(sd_dev 0 $lun) P1=$(sd_dev 1 $lun) P2=$(sd_dev 2 $lun)
	dm_create $map "$hw" $P0 $P1 $P2
	grep -q "^$4 " /proc/modules && say "$h: $4 loaded by the table" ||
		die "$h: $4 not loaded by '$hw'"
	say "$h: map $map $P0 $P1 $P2 dh_state $(cat /sys/block/$P0/device/dh_state) states $(access_of $P0) $(access_of $P1) $(access_of $P2)"
	M0=$(majmin $P0) M1=$(majmin $P1) M2=$(majmin $P2)
	active() { [ "$(dm_active_pg $map)" = $1 ]; }
	dm_fail_base=$(dmesg | grep -c "$(dm_majmin $map): Failing path")

	# ano_only: the AO path fails; the ANO-only PG must take over.
	io_start $map
	trace_clear
	ev=$(now_us)
	dm_msg $map "fail_path $M0"
	DM_MANUAL=$M0
	wait_for 20 active 2 || say "$h ano_only: PG 2 not active"
	io_stop
	result dm_sd ano_only $h $map "" $lun $ev 0

	# switch_standby: the standby path's PG cannot be activated.
	io_start $map
	trace_clear
	ev=$(now_us)
	dm_msg $map "switch_group 3"
	sleep 2
	wait_for 20 active 2 || say "$h switch_standby: PG 2 not active again"
	io_stop
	result dm_sd switch_standby $h $map "" $lun $ev 0

	# return: everything reinstated, back to the AO path.
	dm_msg $map "reinstate_path $M0"
	dm_msg $map "reinstate_path $M2"
	DM_MANUAL=
	io_start $map
	trace_clear
	ev=$(now_us)
	dm_msg $map "switch_group 1"
	wait_for 20 active 1 || say "$h return: PG 1 not active"
	io_stop
	result dm_sd return $h $map "" $lun $ev 0

	# params: handler arguments through set_params.
	io_start $map
	trace_clear
	ev=$(now_us)
	dm_reload $map "$5" $P0 $P1 $P2 || say "$h params: reload failed"
	wait_for 20 active 1 || say "$h params: PG 1 not active"
	io_stop
	result dm_sd params $h $map "" $lun $ev 0 "table=$(dmsetup table $map | awk '{print $6"_"$7"_"$8}')"
	DM_DISABLE_UDEV=1 dmsetup remove --noudevsync $map || say "$h: dmsetup remove failed"
}

IO_OFF=0 scenarios salua 0 "1 salua" salua_dh "2 salua 1"
dmesg | grep -q "salua: .*optimize_stpg 1" && say "salua: set_params optimize_stpg 1 seen" ||
	say "salua: set_params not seen"
IO_OFF=16M scenarios alua 1 "1 alua" scsi_dh_alua "2 alua 1"
say "done"
dmesg | grep -E "salua|alua|device-mapper: multipath" | tail -80
exit 0
