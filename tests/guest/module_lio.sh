# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh): the salua device handler against LIO through
# tcm_loop: one fileio LU behind two loopback targets (two SCSI hosts =
# two paths), target port groups tgA (id 16, path A) and tgB (id 32,
# path B), both implicit+explicit ALUA.
#   1. attach: A active/optimized, B standby;
#   2. "echo activate > dh_state" on B sends STPG; both paths follow;
#   3. configfs failover (tgA -> standby) with I/O running on A reaches
#      access_state through UNIT ATTENTION -> check_sense -> engine, no
#      activate involved; failback with a 1.5 s LIO transition delay shows
#      "transitioning" first;
#   4. both devices deleted while the engine is polling a transition, then
#      rmmod: no use-after-free, no leaked work (dmesg checked by the
#      harness).
fails=0
ok() { echo "MODTEST ok   $*"; }
bad() { echo "MODTEST FAIL $*"; fails=$((fails + 1)); }
cs() { cut -d' ' -f1 /proc/uptime | tr -d .; }	# centiseconds
st() { cat /sys/class/scsi_device/$1/device/access_state; }
# wait_state DEV STATE TENTHS
wait_state() {
	i=0
	while [ "$(st $1)" != "$2" ] && [ $i -lt $3 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(st $1)" = "$2" ]
}

echo /bin/false > /proc/sys/kernel/modprobe 2>/dev/null
modprobe scsi_mod && modprobe sd_mod && insmod /salua_dh.ko || { bad "insmod"; exit 1; }
modprobe configfs && modprobe target_core_mod && modprobe target_core_file && modprobe tcm_loop ||
	{ bad "LIO modules"; exit 1; }
grep -q " /sys/kernel/config " /proc/mounts || mount -t configfs configfs /sys/kernel/config
C=/sys/kernel/config/target
dd if=/dev/zero of=/tmp/lun0.img bs=1M count=16 2>/dev/null
D=$C/core/fileio_0/lun0
mkdir -p $D
echo "fd_dev_name=/tmp/lun0.img,fd_dev_size=16777216" > $D/control
echo 6001405a1b2c3d4e > $D/wwn/vpd_unit_serial
echo 1 > $D/enable || { bad "backstore"; exit 1; }
mkgrp() {	# NAME ID STATE
	mkdir $D/alua/$1
	echo $2 > $D/alua/$1/tg_pt_gp_id
	echo 3 > $D/alua/$1/alua_access_type
	echo $3 > $D/alua/$1/alua_access_state
}
mkgrp tgA 16 0
mkgrp tgB 32 2
# mkport N GROUP: a loopback target = a SCSI host; prints the new device.
mkport() {
	T=$C/loopback/naa.50014050000000a$1/tpgt_1
	before=$(ls /sys/class/scsi_device 2>/dev/null)
	mkdir -p $T
	echo naa.50014050000000b$1 > $T/nexus
	mkdir $T/lun/lun_0
	ln -s $D $T/lun/lun_0/port0
	echo $2 > $T/lun/lun_0/alua_tg_pt_gp
	i=0
	while [ $i -lt 100 ]; do
		for d in $(ls /sys/class/scsi_device); do
			echo "$before" | grep -qx "$d" || { echo $d; return 0; }
		done
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
dA=$(mkport 1 tgA) || { bad "port A"; exit 1; }
dB=$(mkport 2 tgB) || { bad "port B"; exit 1; }
echo "paths: A=$dA B=$dB"
for d in $dA $dB; do
	i=0
	while [ ! -e /sys/class/scsi_device/$d/device/block ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	# The scan saw the default group; re-read VPD 0x83 after alua_tg_pt_gp.
	echo 1 > /sys/class/scsi_device/$d/device/rescan
done
bA=$(ls /sys/class/scsi_device/$dA/device/block)
bB=$(ls /sys/class/scsi_device/$dB/device/block)
echo "disks: A=$bA B=$bB"

# 1. attach.
for d in $dA $dB; do
	echo salua > /sys/class/scsi_device/$d/device/dh_state && ok "$d attach" || bad "$d attach"
done
[ $fails -eq 0 ] || { ls /sys/class/scsi_device/$dA/device/; hexdump -C /sys/class/scsi_device/$dA/device/vpd_pg83; hexdump -C /sys/class/scsi_device/$dA/device/inquiry 2>/dev/null | head -3; dmesg | grep -i 'salua\|tcm\|target' | tail -20; exit 1; }
[ "$(st $dA)" = active/optimized ] && ok "A $(st $dA)" || bad "A '$(st $dA)', want active/optimized"
[ "$(st $dB)" = standby ] && ok "B $(st $dB)" || bad "B '$(st $dB)', want standby"
dd if=/dev/$bB of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null &&
	bad "B read went through on standby" || ok "B read fails fast on standby"

# 2. explicit activation of B through the kernel's dh_state "activate".
t0=$(cs)
echo activate > /sys/class/scsi_device/$dB/device/dh_state && ok "activate B accepted" || bad "activate B"
if wait_state $dB active/optimized 100; then
	ok "B active/optimized after activate ($(( ($(cs) - t0) * 10 )) ms)"
else
	bad "B '$(st $dB)' after activate"
fi
dmesg | grep -qi 'salua: .*stpg submitted' && ok "STPG sent: $(dmesg | grep -i 'stpg submitted' | tail -1)" ||
	bad "no STPG in dmesg"
echo "tgA $(cat $D/alua/tgA/alua_access_state) tgB $(cat $D/alua/tgB/alua_access_state) (LIO's view)"
want=$(cat $D/alua/tgA/alua_access_state)
case $want in 0) want=active/optimized ;; 1) want=active/non-optimized ;; 2) want=standby ;; *) want=? ;; esac
wait_state $dA "$want" 50 && ok "A follows the same RTPG: $(st $dA)" || bad "A '$(st $dA)', LIO says $want"
dd if=/dev/$bB of=/dev/null bs=4096 count=16 iflag=direct 2>/dev/null && ok "B read after activate" ||
	bad "B read after activate"
nact=$(dmesg | grep -c 'activate requested')

# 3. configfs failover with I/O running on A: UA 2A/06 -> check_sense.
io_loop() { while :; do dd if=/dev/$1 of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null; sleep 0.05; done; }
io_loop $bA & pA=$!
io_loop $bB & pB=$!
sleep 0.3
t0=$(cs)
echo 2 > $D/alua/tgA/alua_access_state
if wait_state $dA standby 100; then
	ok "configfs tgA->standby reached A's access_state in $(( ($(cs) - t0) * 10 )) ms"
else
	bad "A '$(st $dA)' after configfs standby"
fi
dmesg | grep -q 'Asymmetric access state changed\|2a/06\|ua\b' ; true
[ "$(dmesg | grep -c 'activate requested')" = "$nact" ] && ok "no activate involved" || bad "an activate ran"
dmesg | grep -q "sd $dA: salua: .*sense 6/2a/06: requeue, rescan" &&
	ok "UA seen by check_sense: $(dmesg | grep "sd $dA: salua: .*sense 6/2a/06" | tail -1)" ||
	bad "no UA 2A/06 through check_sense on A"
[ "$(st $dB)" = active/optimized ] && ok "B still active/optimized" || bad "B '$(st $dB)'"

# Failback with a LIO transition delay: tgA -> AO, tgB -> standby.
echo 1500 > $D/alua/tgA/trans_delay_msecs
echo 1500 > $D/alua/tgB/trans_delay_msecs
t0=$(cs)
echo 2 > $D/alua/tgB/alua_access_state & w1=$!
echo 0 > $D/alua/tgA/alua_access_state & w2=$!
seen=0
i=0
while [ $i -lt 150 ]; do
	[ "$(st $dA)" = transitioning ] || [ "$(st $dB)" = transitioning ] && seen=1
	[ "$(st $dA)" = active/optimized ] && [ "$(st $dB)" = standby ] && break
	sleep 0.1; i=$((i + 1))
done
wait $w1 $w2
if [ "$(st $dA)" = active/optimized ] && [ "$(st $dB)" = standby ]; then
	ok "failback A active/optimized, B standby in $(( ($(cs) - t0) * 10 )) ms (transitioning seen: $seen)"
else
	bad "failback: A '$(st $dA)' B '$(st $dB)'"
fi
kill $pA $pB 2>/dev/null
wait $pA $pB 2>/dev/null

# 4. Teardown in the middle of a transition: timers and commands pending.
echo 3000 > $D/alua/tgA/trans_delay_msecs
io_loop $bA & pA=$!
echo 1 > $D/alua/tgA/alua_access_state & w1=$!
sleep 0.5
echo "before delete: A '$(st $dA)' B '$(st $dB)'"
kill $pA 2>/dev/null
echo 1 > /sys/class/scsi_device/$dA/device/delete
echo 1 > /sys/class/scsi_device/$dB/device/delete
wait $pA $w1 2>/dev/null
i=0
while ! rmmod salua_dh 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^salua_dh ' /proc/modules && bad "rmmod salua_dh" || ok "rmmod salua_dh during a transition"

echo "MODTEST done fails=$fails"
echo "--- salua dmesg"
dmesg | grep -i 'salua' | grep -v 'taints\|verification'
[ $fails -eq 0 ]
