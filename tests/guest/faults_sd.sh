# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh) for guest.faults_sd@debug: scsi_debug's own
# fault knobs aimed at the salua handler's commands while verified I/O runs
# on a dm-multipath device over the three scsi_debug paths (host0
# active/optimized, host1 active/non-optimized, host2 standby; "1 salua",
# queue_if_no_path, one path group per path).  salua_dh is loaded with
# cmd_timeout=2 (RTPG/STPG/TUR time out after 2 s); the sd devices get a
# 3 s command timeout.  The RTPGs are asked for with "activate" through
# dh_state (the engine answers it with an RTPG first) and path rescans.
# scsi_debug's knobs are global (every command of every path, the I/O's
# too), so to hit the handler's commands for sure a fault is switched on
# for every command (every_nth=1) for a short window around one activate:
#   timeout window    opts=4 (TIMEOUT), 3.5 s: the RTPG is never answered
#                     on the first path and on its sibling; the engine
#                     moves to the next sibling once the window is over
#                     and the activation still ends well;
#   transport window  opts=16 (TRANSPORT_ERR), 1 s: the RTPG gets ABORTED
#                     COMMAND 4B/03 (retried at once by the engine);
#   random faults     PHASE seconds of triggers with every 7th command
#                     dropped (opts=4), then with every 5th answered
#                     ABORTED COMMAND (opts=16), then every 4th refused
#                     by the host (opts=0x8000, HOST_BUSY), ndelay 200 us;
#   delay             delay=1250 jiffies (5 s, beyond cmd_timeout) on
#                     every command for one activate.
# After each step the faults are switched off and every dm path is
# reinstated (what multipathd would do).  Checks: the RTPGs timed out /
# got ABORTED COMMAND and the engine retried on a sibling; every
# activation completed; afterwards a rescan brings back the right states
# on all three paths; salua_vio saw no I/O error and no mismatch; teardown
# detaches and rmmod succeeds.  The harness checks the kernel reports and
# kmemleak (nothing of ours leaked).
PHASE=${PHASE:-12}
fails=0
ok() { echo "FAULTS ok   $*"; }
bad() { echo "FAULTS FAIL $*"; fails=$((fails + 1)); }
now() { cut -d' ' -f1 /proc/uptime | cut -d. -f1; }
export DM_DISABLE_UDEV=1
P=/sys/bus/pseudo/drivers/scsi_debug
S=/sys/class/scsi_device

echo /bin/false > /proc/sys/kernel/modprobe 2>/dev/null
modprobe scsi_mod && modprobe sd_mod && insmod /salua_dh.ko cmd_timeout=2 || { bad "insmod"; exit 1; }
modprobe dm_mod && modprobe dm_multipath && modprobe dm_round_robin || { bad "dm modules"; exit 1; }
modprobe scsi_debug vpd_use_hostno=0 add_host=3 num_tgts=1 dev_size_mb=16 ||
	{ bad "modprobe scsi_debug"; exit 1; }
i=0
while [ "$(ls /sys/class/scsi_disk | wc -l)" -lt 3 ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
devs=$(ls $S)
set -- $devs
[ $# -eq 3 ] || { bad "want 3 scsi_debug paths, have: $devs"; exit 1; }
blk() { ls $S/$1/device/block; }
want_state() { case $(( ${1%%:*} % 3 )) in 0) echo active/optimized ;; 1) echo active/non-optimized ;; *) echo standby ;; esac; }
table="0 $(cat /sys/block/$(blk $1)/size) multipath 1 queue_if_no_path 1 salua 3 1"
for d in $devs; do
	echo 3 > $S/$d/device/timeout
	table="$table round-robin 0 1 1 $(cat /sys/block/$(blk $d)/dev) 1"
done
dmsetup create mp --noudevsync --table "$table" || { bad "dmsetup create"; exit 1; }
dmsetup mknodes
for d in $devs; do echo "$d: $(cat $S/$d/device/dh_state) $(cat $S/$d/device/access_state)"; done
# niced (busybox has renice, not nice): the I/O must not starve the triggers
sh -c 'renice -n 19 -p $$ >/dev/null; exec "$@"' - salua_vio -b 4096 -s 4M -j 2 -S /tmp/vio-stop /dev/mapper/mp > /tmp/vio.log 2>&1 &
vio=$!
sleep 2

reinstate() { local d; for d in $devs; do dmsetup message mp 0 reinstate_path $(cat /sys/block/$(blk $d)/dev) 2>/dev/null; done; }
# knob NAME VALUE.  scsi_debug refuses a delay/ndelay change while any
# command is queued (EBUSY); with slow commands always in flight, suspend
# the dm device (in-flight I/O drains, new I/O waits) around the change.
knob() {
	local i=0 j
	until echo $2 > $P/$1 2>/dev/null; do
		i=$((i + 1))
		if [ $i -eq 20 ]; then
			dmsetup suspend --noflush mp --noudevsync	# keep queued I/O queued
			j=0
			until echo $2 > $P/$1 2>/dev/null; do
				j=$((j + 1))
				[ $j -lt 200 ] || { dmsetup resume mp --noudevsync; bad "cannot set $1=$2"; return 1; }
				sleep 0.05
			done
			dmsetup resume mp --noudevsync
			return 0
		fi
		sleep 0.05
	done
}
ntrig=0
count() { dmesg | grep -c "$1"; }
# triggers: PHASE seconds of RTPG triggers, one per 0.5 s: "activate" on
# each path in turn, every other one a path rescan (VPD pages + RTPG).
# A rescan holds the device's lock through its VPD reads and sd's
# revalidation, which wait out every dropped command: a path whose last
# rescan has not returned gets an activate instead, so rescans never queue
# up behind each other (a writer waiting > 60 s is a hung-task report on
# the debug kernel).
triggers() {
	local t0=$(now) n=0 tp= d i rp
	while [ $(( $(now) - t0 )) -lt $PHASE ]; do
		set -- $devs
		i=$(( n % 3 ))
		eval d=\${$(( i + 1 ))}
		eval rp=\${rescan_pid$i:-}
		if [ $((n % 2)) -eq 1 ] && ! { [ -n "$rp" ] && kill -0 "$rp" 2>/dev/null; }; then
			echo 1 > $S/$d/device/rescan &
			eval rescan_pid$i=$!
		else
			echo activate > $S/$d/device/dh_state &
		fi
		tp="$tp $!"
		n=$((n + 1))
		sleep 0.5
		reinstate
	done
	wait $tp
	ntrig=$((ntrig + n))
}
# activate_wait DEV: one activate; wait (60 s) until it has completed.
activate_wait() {
	local before=$(count 'activate done') i=0
	echo activate > $S/$1/device/dh_state
	while [ "$(count 'activate done')" -le "$before" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(count 'activate done')" -gt "$before" ] && echo "  $(dmesg | grep 'activate done' | tail -1)" ||
		bad "activate on $1 never completed"
}
faults_off() { knob every_nth 0; knob opts 0; knob ndelay 0; knob delay 1; reinstate; }
report() {
	echo "after $1: $(count 'rtpg timed out') RTPG timeouts, $(count 'rtpg status 0x02 asc 0x4b03') RTPG ABORTED COMMANDs," \
	     "$(count 'failed, retrying on path') sibling retries, $(count 'activate done') activations done"
}
set -- $devs
first=$1

# 1. timeout window: every command dropped for 3.5 s around one activate.
t=$(count 'rtpg timed out') r=$(count 'failed, retrying on path')
knob opts 4; knob every_nth 1
echo activate > $S/$first/device/dh_state &
sleep 3.5
faults_off
wait $!
activate_wait $first
report "timeout window"
[ $(( $(count 'rtpg timed out') - t )) -ge 1 ] && ok "an RTPG timed out in the window" || bad "no RTPG timed out in the window"
[ $(( $(count 'failed, retrying on path') - r )) -ge 1 ] && ok "the engine retried on a sibling path" ||
	bad "no sibling retry after the timeout"

# 2. transport window: every command answered ABORTED COMMAND for 1 s.
a=$(count 'rtpg status 0x02 asc 0x4b03')
knob opts 16; knob every_nth 1
echo activate > $S/$first/device/dh_state &
sleep 1
faults_off
wait $!
activate_wait $first
report "transport window"
[ $(( $(count 'rtpg status 0x02 asc 0x4b03') - a )) -ge 1 ] && ok "an RTPG got ABORTED COMMAND in the window" ||
	bad "no RTPG got ABORTED COMMAND in the window"

# 3. random faults with triggers.
knob ndelay 200000; knob opts 4; knob every_nth 7
triggers; faults_off; report "random timeouts"
knob ndelay 200000; knob opts 16; knob every_nth 5
triggers; faults_off; report "random transport errors"
knob ndelay 200000; knob opts 0x8000; knob every_nth 4
triggers; faults_off; report "random host busy"

# 4. every command delayed 5 s for one activate: beyond cmd_timeout=2
# (the block layer rounds a request's deadline up to a whole second, so a
# 2 s timeout fires after 2-3 s); the sd I/O waits (10 s timeout).
t=$(count 'rtpg timed out')
for d in $devs; do echo 10 > $S/$d/device/timeout; done
knob delay 1250
echo "delay $(cat $P/delay) jiffies"
activate_wait $first
faults_off
for d in $devs; do echo 3 > $S/$d/device/timeout; done
report "delay"
[ $(( $(count 'rtpg timed out') - t )) -ge 1 ] && ok "an RTPG timed out under the delay" || bad "no RTPG timed out under the delay"

# Recovery: faults off; one rescan per path re-reads the truth.
for d in $devs; do echo 1 > $S/$d/device/rescan; done
for d in $devs; do
	w=$(want_state $d)
	i=0
	while [ "$(cat $S/$d/device/access_state)" != "$w" ] && [ $i -lt 50 ]; do
		echo 1 > $S/$d/device/rescan; sleep 0.2; i=$((i + 1))
	done
	s=$(cat $S/$d/device/access_state)
	[ "$s" = "$w" ] && ok "$d $s after the faults" || bad "$d '$s' after the faults, want $w"
done
reinstate
sleep 2
: > /tmp/vio-stop
wait $vio
rc=$?
line=$(grep '^VIO ' /tmp/vio.log | tail -1)
echo "$line"
grep '^VIO-PAUSE' /tmp/vio.log | head -3
set -- $(echo "$line" | tr ' =' '\n ' | awk 'NF == 2 { print $2 }')
if [ $rc -eq 0 ] && [ "${4:-x}" = 0 ] && [ "${7:-x}" = 0 ] && [ "${8:-x}" = 0 ] && [ "${1:-0}" -gt 0 ]; then
	ok "dm I/O: $1 I/Os, no error, no mismatch, longest pause $(( ${9:-0} / 1000 )) ms"
else
	bad "dm I/O: salua_vio exit $rc: $line"
fi
dmsetup status mp

dmsetup remove mp --noudevsync || bad "dmsetup remove"
for d in $devs; do echo 1 > $S/$d/device/delete; done
i=0
while ! rmmod salua_dh 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^salua_dh ' /proc/modules && bad "rmmod salua_dh" || ok "rmmod salua_dh"
echo "FAULTS done fails=$fails"
[ $fails -eq 0 ]
