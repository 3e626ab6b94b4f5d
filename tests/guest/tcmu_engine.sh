# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Guest script (busybox sh): engine scenarios through the real kernel, three
# hosts side by side on the same simulated arrays (salua-target):
#   salua  our kernel handler (salua_dh.ko);
#   alua   the kernel's scsi_dh_alua;
#   probe  alua_probe --watch over SG_IO (no kernel handler).
# Each scenario uses three LUs of one array, LU k+0 for salua, k+1 for
# alua, k+2 for probe, and applies the same scenario lines to all three at
# the same moment.  The kernel handlers see unit attentions through a TUR
# path checker (as multipathd's, every 0.5 s, the probe's own polling
# interval) and, where the scenario says so, through verified I/O on a
# dm-multipath map.  Arrays: X implicit+explicit, W the same for the
# no-answer scenario alone (its SCSI error handling stalls every LU behind
# the same SCSI host), Y implicit only, Z the RTPG quirks one after the
# other.  All raw data is printed in sections for
# tests/guest/check_tcmu_engine.py, which computes what each host did.
C=/sys/kernel/config/target
fails=0
bad() { echo "ENGTEST FAIL $*"; fails=$((fails + 1)); }
ok() { echo "ENGTEST ok   $*"; }
ms() { read up idle < /proc/uptime; up=${up%.*}${up#*.}; echo ${up}0; }	# ~CLOCK_MONOTONIC
sec() { n=$1; shift; echo "=== BEGIN $n"; "$@" 2>&1; echo "=== END $n rc=$?"; }
mark() { echo "ENGTEST t=$(ms) $*"; }
DUR=${ENG_DUR:-90}

echo /bin/false > /proc/sys/kernel/modprobe
for m in configfs target_core_mod target_core_user uio tcm_loop sg dm-mod dm-multipath dm-round-robin; do
	modprobe $m || { bad "modprobe $m"; exit 1; }
done
grep -q " /sys/kernel/config " /proc/mounts || mount -t configfs configfs /sys/kernel/config
insmod /salua_dh.ko cmd_timeout=10 standby_poll_secs=5 || { bad "insmod salua_dh"; exit 1; }
find $C | sort > /tmp/cfg.before

# Arrays.  cmd-timeout 90: a dropped command ends with the initiator's
# timeout, not TCMU's (scsi_dh_alua waits 60 s for an RTPG).
common=ports=2,groups=2,itt=20,transition=2s,cmd-timeout=90,log-io=0
start() {	# NAME SPEC
	salua-target $2,$common,log=/tmp/$1.log,control=/tmp/$1.ctl > /tmp/$1.out 2>&1 &
	echo $! > /tmp/$1.pid
}
ARRAYS="X W Y Z"
start X luns=24,tpgs=3,lu-base=0
start W luns=3,tpgs=3,lu-base=3000
start Y luns=6,tpgs=1,lu-base=1000
start Z luns=3,tpgs=3,lu-base=2000
for a in $ARRAYS; do
	i=0
	while ! grep -q '^ready' /tmp/$a.out && [ $i -lt 900 ]; do sleep 0.1; i=$((i + 1)); done
	grep -q '^ready' /tmp/$a.out && ok "array $a ready" ||
		{ cat /tmp/$a.out; bad "array $a not ready"; exit 1; }
done
mark "arrays ready"

# Scenarios: NAME ARRAY FIRST_LU IO FINAL(p0,p1) ACTIVATE
cat > /tmp/scen <<'EOS'
failover X 0 1 standby,active/optimized 0
failback X 3 1 active/optimized,standby 0
long-transition X 6 0 standby,active/optimized 0
transition-timeout X 9 0 active/optimized,standby 0
busy X 12 0 standby,active/optimized 0
task-set-full X 15 0 standby,active/optimized 0
ua-storm X 18 0 active/optimized,standby 0
explicit-activate X 21 0 standby,active/optimized 1
no-answer W 0 1 standby,active/optimized 0
implicit-failover Y 0 1 standby,active/optimized 0
implicit-activate Y 3 0 active/optimized,standby 1
quirks Z 0 0 standby,active/optimized 0
EOS
# Scenario lines: LUS = the three LUs, @ = each LU on its own line.
lines() {
	case $1 in
	failover|implicit-failover) echo "lun LUS group 0 state s"; echo "lun LUS group 1 state ao" ;;
	failback) lines failover
		echo "at 12s lun LUS group 1 state s"; echo "at 12s lun LUS group 0 state ao" ;;
	long-transition) echo "lun LUS group 0 state s transition 15s"
		echo "lun LUS group 1 state ao transition 15s" ;;
	transition-timeout) echo "lun LUS group 0 state t"; echo "lun LUS group 1 state t"
		echo "at 40s lun LUS group 0 state ao transition 0"
		echo "at 40s lun LUS group 1 state s transition 0" ;;
	busy) echo "fault port * lun @ op rtpg busy 3"; lines failover ;;
	task-set-full) echo "fault port * lun @ op rtpg task-set-full 3"; lines failover ;;
	no-answer) echo "fault port * lun @ op rtpg drop 1"; lines failover ;;
	ua-storm) echo "ua lun LUS" ;;
	quirks) echo "fault rtpg-pad 40"; echo "ua lun LUS"
		echo "at 8s fault rtpg-pad 0"; echo "at 8s quirk lio-short-rdl on"; echo "at 8s ua lun LUS"
		echo "at 16s quirk lio-short-rdl off"; echo "at 16s fault ext-hdr illegal"
		echo "at 16s ua lun LUS"
		echo "at 24s fault ext-hdr illegal-00"; echo "at 24s ua lun LUS"
		echo "at 32s fault ext-hdr normal"
		echo "at 32s lun LUS group 0 state s"; echo "at 32s lun LUS group 1 state ao" ;;
	esac
}

# One table of every path (no per-lookup forks: TCG makes them slow):
# ARRAY LUN PORT H:C:T:L sgN
: > /tmp/paths
for a in $ARRAYS; do
	while read h l p tpg; do
		[ -n "$tpg" ] || continue
		for g in /sys/class/scsi_device/$h/device/scsi_generic/*; do :; done
		echo "$a $l $p $h ${g##*/}" >> /tmp/paths
	done < /tmp/$a.out
done
# Rows: NAME ARRAY LUN HOST H0 H1 SG0 SG1 IO FINAL ACTIVATE
awk 'NR == FNR { d[$1 " " $2 " " $3] = $4; s[$1 " " $2 " " $3] = $5; next }
     { for (h = 0; h < 3; h++) { l = $3 + h; k = $2 " " l
	 print $1, $2, l, (h == 0 ? "salua" : h == 1 ? "alua" : "probe"),
	       d[k " 0"], d[k " 1"], s[k " 0"], s[k " 1"], $4, $5, $6 } }' \
	/tmp/paths /tmp/scen > /tmp/rows
sec map cat /tmp/rows

# Handlers: salua first, then scsi_dh_alua (loaded after the scan, so it
# attaches only where asked), none on the probe's LUs.
while read name arr l host h0 h1 s0 s1 io final act; do
	[ $host = salua ] || continue
	for d in $h0 $h1; do
		echo salua > /sys/class/scsi_device/$d/device/dh_state || bad "attach salua to $d"
	done
done < /tmp/rows
modprobe scsi_dh_alua || bad "modprobe scsi_dh_alua"
while read name arr l host h0 h1 s0 s1 io final act; do
	[ $host = alua ] || continue
	for d in $h0 $h1; do
		echo alua > /sys/class/scsi_device/$d/device/dh_state || bad "attach alua to $d"
		# 6.12's scsi_dh_alua reads RTPG on the next rescan only
		echo 1 > /sys/class/scsi_device/$d/device/rescan
	done
done < /tmp/rows
mark "handlers attached"
modprobe sd_mod || bad "modprobe sd_mod"
# sd probes every path (partition tables...): let it finish first.
for d in /sys/class/scsi_device/*; do
	i=0
	while [ ! -e $d/device/block ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
done
sleep 2
mark "sd probes done"

# dm-multipath over the I/O LUs (two path groups, one path each) and
# salua_vio on each; a minimal path checker reinstates a failed path once
# its handler shows it active again (what multipathd does by priority).
export DM_DISABLE_UDEV=1
: > /tmp/mps
while read name arr l host h0 h1 s0 s1 io final act; do
	[ $io = 1 ] && [ $host != probe ] || continue
	for f in /sys/class/scsi_device/$h0/device/block/*/dev; do read a < $f; done
	for f in /sys/class/scsi_device/$h1/device/block/*/dev; do read b < $f; done
	read sz < /sys/dev/block/$a/size
	mp=mp$arr$l
	dmsetup create $mp --noudevsync --table "0 $sz multipath 1 queue_if_no_path 1 $host 2 1 round-robin 0 1 1 $a 1 round-robin 0 1 1 $b 1" ||
		bad "dmsetup create $mp"
	echo "$mp $name $host $a $b" >> /tmp/mps
done < /tmp/rows
dmsetup mknodes
checker() {
	while [ ! -e /tmp/stop ]; do
		while read mp name h a b; do
			for p in $(dmsetup status $mp 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "F" && $i ~ /:/) print $i }'); do
				read st < /sys/dev/block/$p/device/access_state
				case $st in active/*)
					dmsetup message $mp 0 reinstate_path $p && echo "CHECKER $(ms) $mp reinstate $p" ;;
				esac
			done
		done < /tmp/mps
		sleep 0.5
	done
}
checker > /tmp/checker.out 2>&1 &
while read mp name h a b; do
	salua_vio -b 4096 -s 4194304 -S /tmp/stop /dev/mapper/$mp > /tmp/vio.$mp 2>&1 &
done < /tmp/mps

# The scenario lines, per array, written in one go at the start.
for a in $ARRAYS; do : > /tmp/$a.lines; done
while read name arr lu io final act; do
	lines $name | while read -r line; do
		line=$(echo "$line" | sed "s/LUS/$lu-$((lu + 2))/")
		case $line in
		*@*) for l in $lu $((lu + 1)) $((lu + 2)); do echo "$line" | sed "s/@/$l/"; done ;;
		*) echo "$line" ;;
		esac
	done >> /tmp/$arr.lines
done < /tmp/scen

# Observers: the kernel handlers' access_state (watch), a TUR checker per
# kernel LU, one alua_probe per probe LU (a command it waits for stalls
# only its own LU).
kdevs=
: > /tmp/pstarts
ppids=
while read name arr l host h0 h1 s0 s1 io final act; do
	case $host in
	probe)
		echo "probe-start $arr $l $(ms)" >> /tmp/pstarts
		alua_probe --watch --json --interval 0.5 --duration $((DUR + 8)) \
			/dev/$s0 /dev/$s1 > /tmp/probe.$arr$l 2>&1 &
		ppids="$ppids $!" ;;
	*)
		kdevs="$kdevs $h0 $h1"
		tcmu_oracle tur 500 $((DUR + 8)) /dev/$s0 /dev/$s1 > /tmp/tur.$arr$l 2>&1 &
		ppids="$ppids $!" ;;
	esac
done < /tmp/rows
tcmu_oracle watch $((DUR + 8)) $kdevs > /tmp/watch.out 2>&1 &
ppids="$ppids $!"
sleep 3

# Go: one write per array, then the activations (kernel: dh_state
# "activate" on the standby path; alua_probe: --set-state ao there).
S=$(ms)
for a in $ARRAYS; do cat /tmp/$a.lines > /tmp/$a.ctl; done
while read name arr l host h0 h1 s0 s1 io final act; do
	[ $act = 1 ] || continue
	case $host in
	probe)
		alua_probe --set-state ao --device /dev/$s1 /dev/$s0 /dev/$s1 > /tmp/set.$name 2>&1
		echo "ENGTEST set-state $name exit $?" ;;
	*)
		echo activate > /sys/class/scsi_device/$h1/device/dh_state ||
			echo "ENGTEST note: activate $h1 refused" ;;
	esac
done < /tmp/rows
mark "scenarios started at $S"
sleep $DUR
touch /tmp/stop
for p in $ppids; do wait $p; done
mark "observers done"
for a in $ARRAYS; do
	n=$(grep -c "^control [0-9]* ok" /tmp/$a.out)
	e=$(grep -c "^control [0-9]* error" /tmp/$a.out)
	[ $e = 0 ] && ok "array $a took $n control lines" || { grep -v '^[0-9]' /tmp/$a.out; bad "array $a: $e control errors"; }
done

echo "=== BEGIN meta"
echo "start $S"
cat /tmp/pstarts
for a in $ARRAYS; do echo "log-start $a $(sed -n 's/^.* start monotonic_ms=\([0-9]*\).*/\1/p' /tmp/$a.log)"; done
echo "=== END meta rc=0"
for a in $ARRAYS; do sec log-$a grep -v ' cmd [0-9]* [0-9]* \(read\|write\) ' /tmp/$a.log; done
sec watch cat /tmp/watch.out
sec probe sh -c 'cat /tmp/probe.*'
sec tur sh -c 'cat /tmp/tur.*'
sec checker cat /tmp/checker.out
while read mp name h a b; do
	i=0
	while ! grep -q '^VIO ' /tmp/vio.$mp && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	sec vio-$mp cat /tmp/vio.$mp
done < /tmp/mps
sec dmesg-handlers sh -c "dmesg | grep -i 'alua\|salua' | grep -v 'rtpg submitted\|tur submitted\|Detached\|detached\|attached' | tail -400"
mark "teardown"

# Teardown: maps, then the arrays (SIGTERM), and nothing may be left.
while read mp name h a b; do dmsetup remove $mp || bad "dmsetup remove $mp"; done < /tmp/mps
for a in $ARRAYS; do kill -TERM $(cat /tmp/$a.pid); done
for a in $ARRAYS; do
	pid=$(cat /tmp/$a.pid)
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	grep -q '^stopped$' /tmp/$a.out && ok "array $a stopped" || { tail -5 /tmp/$a.out; bad "array $a did not stop cleanly"; }
done
find $C | sort > /tmp/cfg.after
diff /tmp/cfg.before /tmp/cfg.after && ok "configfs as before" || bad "configfs objects left"
[ -z "$(ls /sys/class/scsi_device)" ] && ok "SCSI devices gone" || bad "devices left"
i=0
while ! rmmod salua_dh 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^salua_dh ' /proc/modules && bad "rmmod salua_dh" || ok "rmmod salua_dh"
mark "done"
echo "ENGTEST done fails=$fails"
[ $fails = 0 ]
