# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh): 20 x (8 on the debug kernel) (insmod
# salua_dh, scan, attach to the three scsi_debug paths, I/O on every path
# plus a rescan in flight, delete the devices = detach, rmmod salua_dh).
# The kernel has no sysfs detach since 4.5, so detach happens when a
# device goes away; rmmod only succeeds once every device is detached.
# The harness fails the test on any WARNING/BUG/Oops in the kernel log
# (and, on the debug kernel, any lockdep/KASAN/... report or leak of
# ours).  On the debug kernel (/proc/lockdep) 8 cycles: each costs ~10 s
# there and the kmemleak scan after them must fit the timeout; lockdep
# learns every lock chain and kmemleak sees a per-cycle leak in the first.
N=${N:-20}
[ ! -e /proc/lockdep ] || N=8
fails=0
ok() { echo "MODTEST ok   $*"; }
bad() { echo "MODTEST FAIL $*"; fails=$((fails + 1)); }
io_loop() { while :; do dd if=/dev/$1 of=/dev/null bs=4096 count=4 iflag=direct 2>/dev/null; done; }
ndisks() { ls /sys/class/scsi_disk 2>/dev/null | wc -l; }

echo /bin/false > /proc/sys/kernel/modprobe 2>/dev/null
modprobe scsi_mod && modprobe sd_mod &&
	modprobe scsi_debug vpd_use_hostno=0 add_host=3 num_tgts=1 dev_size_mb=8 ||
	{ bad "modprobe scsi_debug"; exit 1; }
hosts=$(ls /sys/class/scsi_host)
c=1
while [ $c -le $N ]; do
	insmod /salua_dh.ko || { bad "cycle $c insmod"; break; }
	for h in $hosts; do echo "- - -" > /sys/class/scsi_host/$h/scan; done
	i=0
	while [ "$(ndisks)" -lt 3 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	pids=
	states=
	for d in $(ls /sys/class/scsi_device); do
		s=/sys/class/scsi_device/$d/device
		echo salua > $s/dh_state || bad "cycle $c attach $d"
		states="$states $(cat $s/access_state)"
		io_loop $(ls $s/block) & pids="$pids $!"
	done
	sleep 0.2
	for d in $(ls /sys/class/scsi_device); do
		echo 1 > /sys/class/scsi_device/$d/device/rescan &
	done
	sleep 0.1
	for d in $(ls /sys/class/scsi_device); do
		echo 1 > /sys/class/scsi_device/$d/device/delete
	done
	kill $pids 2>/dev/null
	wait
	i=0
	while ! rmmod salua_dh 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if grep -q '^salua_dh ' /proc/modules; then
		bad "cycle $c rmmod"
		break
	fi
	echo "cycle $c:$states"
	c=$((c + 1))
done
att=$(dmesg | grep -c 'salua: attached')
det=$(dmesg | grep -c 'salua: detached')
[ $att -eq $((3 * N)) ] && ok "$att attaches" || bad "$att attaches, want $((3 * N))"
[ $det -eq $att ] && ok "$det detaches" || bad "$det detaches, want $att"
[ "$(dmesg | grep -c 'salua_dh unloaded')" -eq $N ] && ok "$N rmmods" || bad "rmmod count"
echo "MODTEST done fails=$fails"
dmesg | grep -i salua | grep -v taints | grep -v verification | tail -12
[ $fails -eq 0 ]
