# SPDX-License-Identifier: GPL-2.0-only
# Sourced by mpath_lio.sh (ALWAYS=1) after its teardown unloaded the
# module: multipath=always gives a head to every LU with a VPD 0x83 name
# from its first path, with or without ALUA.
#   always_plain  a scsi_debug host with vpd_use_hostno=1 (TPGS 0, its own
#                 LU name): a head with one plain path, active/optimized
#   always_alua1  one LIO path scanned back: a head with that one path
insmod /salua_dh.ko multipath=always no_path_timeout=0 || { bad "insmod multipath=always"; return; }
grep -q "^always$" /sys/module/salua_dh/parameters/multipath && ok "multipath=always" ||
	bad "multipath parameter '$(cat /sys/module/salua_dh/parameters/multipath)'"
before=$(ls /sys/block)
echo 1 > /sys/bus/pseudo/drivers/scsi_debug/vpd_use_hostno
echo 1 > /sys/bus/pseudo/drivers/scsi_debug/add_host
i=0 PH=
while [ -z "$PH" ] && [ $i -lt $((100 * SLOW)) ]; do
	for b in $(ls /sys/block | grep salua); do
		echo "$before" | grep -qx $b || PH=$b
	done
	[ -n "$PH" ] || sleep 0.1
	i=$((i + 1))
done
if [ -n "$PH" ] && wait_paths $PH 1 100; then
	ok "always: $PH for $(cat /sys/block/$PH/salua/lu_name) (no ALUA), 1 path"
	cat /sys/block/$PH/salua/paths
	[ "$(awk '{ print $3 }' /sys/block/$PH/salua/paths)" = active/optimized ] &&
		ok "always: the plain path is active/optimized" || bad "always: plain path state"
	[ "$(cat /sys/class/scsi_device/$(awk '{ print $1 }' /sys/block/$PH/salua/paths)/device/dh_state)" != salua ] &&
		ok "always: no handler on the plain path" || bad "always: handler attached to a TPGS 0 path"
	vio_start always_plain /dev/$PH
	sleep 1.5
	vio_stop always_plain
	scen always_plain serve
else
	bad "always: no head for the scsi_debug LU without ALUA"
fi
host_scan $A1
H3=$(wait_head $LIO_LU 100) && wait_paths $H3 1 100 &&
	ok "always: $H3 for $LIO_LU with its one path" || bad "always: no head for one LIO path"
if [ -n "$H3" ]; then
	wait_pstate $H3 $(sd_of $A1) active/optimized 100 || bad "always: $A1 $(pstate $H3 $(sd_of $A1))"
	vio_start always_alua1 /dev/$H3
	sleep 1.5
	vio_stop always_alua1
	scen always_alua1 serve
fi
teardown always
