# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Guest script (busybox sh): scale on the real stack.  salua-target serves
# 256 LUs x 4 ports (1024 paths, groups 1 and 2 with two ports each); a UA
# storm (2A/06 on every I_T nexus at once) is delivered by one TEST UNIT
# READY per path, all sent at the same moment (as I/O on every path would
# meet it), and we count the RTPGs each LU gets while the handlers settle.  Phase A: our handler on every path; phase B: scsi_dh_alua.
# Kernel CPU time (/proc/stat) and salua-target's own CPU time are taken
# over the storm.  tests/guest/check_tcmu_scale.py reads the sections.
C=/sys/kernel/config/target
fails=0
bad() { echo "SCALETEST FAIL $*"; fails=$((fails + 1)); }
ok() { echo "SCALETEST ok   $*"; }
ms() { read up idle < /proc/uptime; up=${up%.*}${up#*.}; echo ${up}0; }
mark() { echo "SCALETEST t=$(ms) $*"; }
LUNS=${SCALE_LUNS:-256}
PORTS=4

echo /bin/false > /proc/sys/kernel/modprobe
for m in configfs target_core_mod target_core_user uio tcm_loop sg; do
	modprobe $m || { bad "modprobe $m"; exit 1; }
done
grep -q " /sys/kernel/config " /proc/mounts || mount -t configfs configfs /sys/kernel/config
insmod /salua_dh.ko cmd_timeout=10 || { bad "insmod salua_dh"; exit 1; }
find $C | sort > /tmp/cfg.before

# cpu: "user system softirq+irq" jiffies summed over CPUs (USER_HZ).
cpu() { awk '$1 == "cpu" { print $2 + $3, $4, $7 + $8 }' /proc/stat; }
pcpu() { awk '{ print $14 + $15 }' /proc/$1/stat; }

# ready N: wait for the Nth "ready" from salua-target
ready() {
	i=0
	while [ $(grep -c '^ready' /tmp/t.out) -lt $1 ] && kill -0 $pid 2>/dev/null && [ $i -lt 3000 ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ $(grep -c '^ready' /tmp/t.out) -ge $1 ]
}

phase() {	# NAME HANDLER: the paths of the last "ready" list
	name=$1 h=$2
	awk '/^ready/ { n = 0; delete p; next } NF == 4 { p[n++] = $0 } END { for (i = 0; i < n; i++) print p[i] }' \
		/tmp/t.out | sort -n -k2,2 -k3,3 > /tmp/$name.paths
	n=$(wc -l < /tmp/$name.paths)
	[ $n = $((LUNS * PORTS)) ] && ok "$name: $n paths" || bad "$name: $n paths"
	sgs=
	while read hctl l p tpg; do
		if [ $h = salua ]; then
			echo salua > /sys/class/scsi_device/$hctl/device/dh_state || bad "attach $hctl"
		fi
		for g in /sys/class/scsi_device/$hctl/device/scsi_generic/*; do :; done
		sgs="$sgs /dev/${g##*/}"
	done < /tmp/$name.paths
	mark "$name: handlers attached"
	na=0
	for d in /sys/class/scsi_device/*; do
		read st < $d/device/access_state 2>/dev/null && na=$((na + 1))
	done
	[ $na = $n ] && ok "$name: $na paths with $h's access_state" || bad "$name: $na of $n paths attached"
	sleep 3	# let attach-time RTPGs finish
	c0=$(cpu) p0=$(pcpu $pid) s=$(ms)
	k=$(grep -c '^control' /tmp/t.out)
	echo "ua lun *" > /tmp/t.ctl
	i=0
	while [ $(grep -c '^control' /tmp/t.out) = $k ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	tcmu_oracle burst $sgs > /tmp/$name.tur
	t1=$(ms)
	# settle: no new RTPG in the log for 3 s
	last=0 same=0
	while [ $same -lt 30 ]; do
		c=$(grep -c ' rtpg' /tmp/t.log)
		[ "$c" = "$last" ] && same=$((same + 1)) || same=0
		last=$c
		sleep 0.1
	done
	c1=$(cpu) p1=$(pcpu $pid) e=$(ms)
	mark "$name: storm over"
	echo "=== BEGIN $name"
	echo "storm $s sweep_end $t1 settled $e"
	echo "cpu0 $c0"
	echo "cpu1 $c1"
	echo "target_cpu $p0 $p1"
	echo "log_start $(sed -n 's/^.* start monotonic_ms=\([0-9]*\).*/\1/p' /tmp/t.log)"
	cat /tmp/$name.tur
	# RTPG and TUR lines from the storm on (the check counts per LU)
	awk -v from=$((s - $(sed -n 's/^.* start monotonic_ms=\([0-9]*\).*/\1/p' /tmp/t.log))) \
	    '$1 >= from && $2 == "cmd" && ($5 ~ /^rtpg/ || $5 == "tur") { print $1, $3, $4, $5, $7, $8 }
	     $1 >= from && $2 == "control" { print }' /tmp/t.log
	echo "states $(cat /sys/class/scsi_device/*/device/access_state | sort | uniq -c | tr '\n' ' ')"
	echo "=== END $name rc=0"
}

# One array for both phases: 256 LUs x 4 ports, ports 0-1 in group 1, 2-3
# in group 2, implicit ALUA only (no STPG); 1 MiB data area per path.
mark "start"
salua-target luns=$LUNS,ports=$PORTS,groups=2,tpgs=1,itt=20,cmd-timeout=30,data-area-mb=1,log-io=0,log=/tmp/t.log,control=/tmp/t.ctl > /tmp/t.out 2>&1 &
pid=$!
ready 1 || { tail /tmp/t.out; bad "not ready"; exit 1; }
mark "ready"
phase A salua
# B: the same array, every path scanned anew with scsi_dh_alua loaded (it
# attaches itself during the scan); our handler detaches as paths go.
modprobe scsi_dh_alua || bad "modprobe scsi_dh_alua"
kill -USR2 $pid
ready 2 || { tail /tmp/t.out; bad "relink: not ready"; exit 1; }
mark "relinked"
phase B alua
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 1800 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^stopped$' /tmp/t.out && ok "stopped" || { tail -3 /tmp/t.out; bad "stop"; }
mark "removed"
grep 'setup:\|teardown:\|relink:\| ready$\| start ' /tmp/t.log
[ -z "$(ls /sys/class/scsi_device)" ] && ok "devices gone" || bad "devices left"
find $C | sort > /tmp/cfg.after
diff /tmp/cfg.before /tmp/cfg.after && ok "configfs as before" || bad "configfs objects left"
i=0
while ! rmmod salua_dh 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^salua_dh ' /proc/modules && bad "rmmod salua_dh" || ok "rmmod salua_dh"
echo "SCALETEST done fails=$fails"
[ $fails = 0 ]
