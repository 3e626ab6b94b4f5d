# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Guest script (busybox sh): scsi_debug with three hosts = three paths to
# one LU.  Prints sections for tests/guest/check_scsi_debug.py.
sec() { n=$1; shift; echo "=== BEGIN $n"; "$@" 2>&1; echo "=== END $n rc=$?"; }

modprobe sg && modprobe sd_mod &&
	modprobe scsi_debug vpd_use_hostno=0 add_host=3 num_tgts=1 || exit 1
i=0
while [ ! -e /dev/sg2 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
sec devices ls /sys/class/scsi_device
for h in 0 1 2; do
	echo "=== BEGIN map$h"
	echo "sg $(ls /sys/class/scsi_device/$h:0:0:0/device/scsi_generic)"
	echo "=== END map$h rc=0"
done
sec probe_json alua_probe --json
sec probe_text alua_probe
sec probe_hex alua_probe --hex -v /dev/sg0
sec probe_sd alua_probe --json /dev/sda /dev/sdb /dev/sdc
for d in /dev/sg0 /dev/sg1 /dev/sg2; do
	b=${d#/dev/}
	sec "sg_inq_$b" sg_inq "$d"
	sec "sg_vpd_$b" sg_vpd -p di "$d"
	sec "sg_rtpg_$b" sg_rtpg -d "$d"
	sec "probe_$b" alua_probe --json "$d"
done
sec stpg alua_probe --set-state ao --device /dev/sg1
sec stpg_json alua_probe --json --set-state standby --device /dev/sg0
# STPG through a disk node, which alua_probe opens read-only: the kernel's
# SG_IO filter passes MAINTENANCE OUT (0xa4 = REPORT KEY, "read-safe"),
# for root and for any user who may open the node; scsi_debug then
# refuses it (05/20/00).
sec stpg_sd alua_probe --set-state ao --device /dev/sdb /dev/sdb
chmod 666 /dev/sdb
echo "root:x:0:0:root:/:/bin/sh" >> /etc/passwd
echo "probe:x:1000:1000:probe:/tmp:/bin/sh" >> /etc/passwd
printf 'root:x:0:\nprobe:x:1000:\n' >> /etc/group
sec stpg_sd_user su probe -c "alua_probe --set-state ao --device /dev/sdb /dev/sdb"
chmod 600 /dev/sdb
# A dm-multipath map over the three paths stands for them.
if modprobe dm_multipath && modprobe dm_round_robin &&
	command -v dmsetup >/dev/null; then
	t="0 $(cat /sys/block/sda/size) multipath 0 0 1 1 round-robin 0 3 1"
	for b in sda sdb sdc; do t="$t $(cat /sys/block/$b/dev) 1"; done
	DM_DISABLE_UDEV=1 dmsetup create salua_mp --noudevsync --table "$t" &&
		dmsetup mknodes
	sec dm_table dmsetup table salua_mp
	sec dm_probe alua_probe --json -v /dev/mapper/salua_mp
	dm=$(cd /sys/block && ls -d dm-* | head -1)
	sec dm_probe_dmN alua_probe /dev/$dm
	DM_DISABLE_UDEV=1 dmsetup remove --noudevsync salua_mp
fi
# The kernel's own handler, attached after the scan.
# On 6.12 (unlike 6.1) attaching through dh_state sends no RTPG:
# alua_rtpg_queue() needs sdev->handler_data, which is set only after
# attach returns, so access_state keeps its initial active/optimized until
# something queues an RTPG.  A rescan does (alua_rescan -> alua_check_vpd).
modprobe scsi_dh_alua || exit 1
for h in 0 1 2; do echo alua > /sys/class/scsi_device/$h:0:0:0/device/dh_state; done
for h in 0 1 2; do echo 1 > /sys/class/scsi_device/$h:0:0:0/device/rescan; done
sleep 1
echo "=== BEGIN access_state"
for h in 0 1 2; do
	echo "$h:0:0:0 $(cat /sys/class/scsi_device/$h:0:0:0/device/access_state) $(cat /sys/class/scsi_device/$h:0:0:0/device/dh_state)"
done
echo "=== END access_state rc=0"
sec probe_dh alua_probe --json
sec probe_dh_text alua_probe
# A dead path: scsi_debug ignores every command (every_nth 1, opts 4 =
# SDEBUG_OPT_TIMEOUT); --timeout 1 ends the run with a clear error.
P=/sys/bus/pseudo/drivers/scsi_debug
echo 1 > $P/every_nth && echo 4 > $P/opts
t0=$(date +%s)
sec dead_path alua_probe --json --timeout 1 /dev/sg0
echo "=== BEGIN dead_path_secs"; echo $(($(date +%s) - t0)); echo "=== END dead_path_secs rc=0"
echo 0 > $P/opts && echo 0 > $P/every_nth
exit 0
