# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Guest script (busybox sh): LIO with one fileio LU exported through two
# tcm_loop targets (two local SCSI hosts), one per ALUA group, explicit +
# implicit ALUA; at the end verified I/O through the host layer (SG_IO)
# across a failback and a failover.  Prints sections for
# tests/guest/check_lio.py.
sec() { n=$1; shift; echo "=== BEGIN $n"; "$@" 2>&1; echo "=== END $n rc=$?"; }
set -u
C=/sys/kernel/config/target
B=$C/core/fileio_0/lu0

modprobe sg && modprobe sd_mod && modprobe target_core_mod &&
	modprobe target_core_file && modprobe tcm_loop || exit 1
grep -q " /sys/kernel/config " /proc/mounts ||
	mount -t configfs configfs /sys/kernel/config || exit 1
[ -d $C ] || { echo "no $C"; exit 1; }
mkdir -p $B || exit 1
echo "fd_dev_name=/tmp/lu0.img,fd_dev_size=16777216" > $B/control || exit 1
echo 1 > $B/enable || exit 1
# A unit serial gives the LU an NAA name (else only a T10 vendor id).
echo 5a1ua0000000001 > $B/wwn/vpd_unit_serial || exit 1
for g in a:16:0:1 b:32:2:0; do
	n=${g%%:*}; r=${g#*:}; id=${r%%:*}; r=${r#*:}; st=${r%%:*}; pref=${r#*:}
	mkdir $B/alua/gp_$n || exit 1
	echo $id > $B/alua/gp_$n/tg_pt_gp_id
	echo 3 > $B/alua/gp_$n/alua_access_type
	echo $st > $B/alua/gp_$n/alua_access_state
	echo $pref > $B/alua/gp_$n/preferred
done
i=1
for n in a b; do
	W=naa.500140500000000$i
	T=$C/loopback/$W/tpgt_1
	mkdir -p $T || exit 1
	# The I_T nexus must exist before the LUN, or the scan fails.
	echo naa.50014050000000a$i > $T/nexus || exit 1
	mkdir -p $T/lun/lun_0
	ln -s $B $T/lun/lun_0/lu0 || exit 1
	echo gp_$n > $T/lun/lun_0/alua_tg_pt_gp || exit 1
	i=$((i + 1))
done
i=0
while [ $(ls /sys/class/scsi_generic 2>/dev/null | wc -l) -lt 2 ] && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
sleep 0.5
for h in /sys/class/scsi_device/*; do
	echo "=== BEGIN map"
	echo "$(basename $h) $(ls $h/device/scsi_generic) $(cat $h/device/model)"
	echo "=== END map rc=0"
done
sec probe_json alua_probe --json
sec probe_text alua_probe --hex
sec probe_verbose alua_probe -v /dev/sg0
for d in /dev/sg0 /dev/sg1; do
	sec "sg_rtpg_${d#/dev/}" sg_rtpg -d "$d"
	sec "sg_rtpg_ext_${d#/dev/}" sg_rtpg -d -e "$d"
done
# The standby path is the host of the second target (gp_b, id 32).
sb=$(alua_probe | awk '$5 == "0x0020" { print $1 }')
echo "=== BEGIN standby_dev"; echo "$sb"; echo "=== END standby_dev rc=0"
sec set_state alua_probe --set-state ao --device "$sb"
sec after_set alua_probe --json
# Failover from configfs, slowed down by trans_delay_msecs, seen by --watch.
echo 2500 > $B/alua/gp_a/trans_delay_msecs
echo 2500 > $B/alua/gp_b/trans_delay_msecs
alua_probe --watch --interval 0.2 --duration 9 > /tmp/watch.txt 2>&1 &
wp=$!
sleep 2
(echo 2 > $B/alua/gp_a/alua_access_state; echo "configfs write done rc=$?" > /tmp/cfg.txt) &
wait $wp
echo "=== BEGIN watch"; cat /tmp/watch.txt; echo "=== END watch rc=0"
sleep 0.5
echo "=== BEGIN configfs"
cat /tmp/cfg.txt
for n in a b; do echo "gp_$n $(cat $B/alua/gp_$n/alua_access_state)"; done
echo "=== END configfs rc=0"
sec final_json alua_probe --json
# Verified I/O through the host layer over SG_IO (alua_probe --io): a
# failback (gp_a -> active/optimized, then gp_b -> standby; each configfs
# write waits out its 2.5 s transition) and a failover back, under load.
alua_probe --io --json --duration 20 --queue 60 --interval 0.5 \
	--timeline /tmp/io.tl /dev/sg0 /dev/sg1 > /tmp/io.json 2> /tmp/io.err &
ip=$!
(
	sleep 3
	echo 0 > $B/alua/gp_a/alua_access_state
	echo 2 > $B/alua/gp_b/alua_access_state
	echo "failback done: gp_a $(cat $B/alua/gp_a/alua_access_state) gp_b $(cat $B/alua/gp_b/alua_access_state)"
	sleep 3
	echo 0 > $B/alua/gp_b/alua_access_state
	echo 2 > $B/alua/gp_a/alua_access_state
	echo "failover done: gp_a $(cat $B/alua/gp_a/alua_access_state) gp_b $(cat $B/alua/gp_b/alua_access_state)"
) > /tmp/io_cfg.txt 2>&1 &
wait $ip
echo "=== BEGIN io"; cat /tmp/io.json; echo "=== END io rc=$?"
echo "=== BEGIN io_err"; cat /tmp/io.err /tmp/io_cfg.txt; echo "=== END io_err rc=0"
echo "=== BEGIN io_timeline"; grep -c . /tmp/io.tl; grep ' state \| mark ' /tmp/io.tl.events; echo "=== END io_timeline rc=0"
exit 0
