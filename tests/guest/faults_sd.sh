# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh) for guest.faults_sd@debug: scsi_debug's own
# fault knobs aimed at the salua handler's commands while verified I/O runs
# on a dm-multipath device over the three scsi_debug paths (host0
# active/optimized, host1 active/non-optimized, host2 standby; "1 salua",
# queue_if_no_path, one path group per path).  salua_dh is loaded with
# cmd_timeout=2 (RTPG/STPG/TUR time out after 2 s); the sd devices get a
# 3 s command timeout.  Phases, each PHASE seconds of triggers every 0.5 s
# ("activate" through dh_state on each path in turn, which the engine
# answers with an RTPG; in two phases also a path rescan), every dm path
# reinstated after each:
#   timeouts   opts=4 (TIMEOUT) every_nth=4, ndelay 200 us: every 4th
#              command is never answered (abort, DID_TIME_OUT), until an
#              RTPG of the handler was one of them
#   transport  opts=16 (TRANSPORT_ERR) every_nth=5: ABORTED COMMAND 4B/03,
#              until an RTPG got it (the engine retries it at once)
#   busy       opts=0x8000 (HOST_BUSY) every_nth=4: the host refuses
#   delay      delay=3 s on every command: an RTPG times out on every
#              path in turn (sibling retries exhausted)
# Checks: the handler's RTPGs did time out / fail and it retried on a
# sibling path; after the faults stop a rescan brings back the right
# states on all three paths; salua_vio saw no I/O error and no mismatch;
# teardown detaches and rmmod succeeds.  The harness checks the kernel
# reports and kmemleak (nothing of ours leaked).
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
salua_vio -b 4096 -s 4M -j 2 -S /tmp/vio-stop /dev/mapper/mp > /tmp/vio.log 2>&1 &
vio=$!
sleep 2

reinstate() { for d in $devs; do dmsetup message mp 0 reinstate_path $(cat /sys/block/$(blk $d)/dev) 2>/dev/null; done; }
# knob NAME VALUE.  scsi_debug refuses a delay/ndelay change while any
# command is queued (EBUSY); with slow commands always in flight, suspend
# the dm device (in-flight I/O drains, new I/O waits) around the change.
knob() {
	i=0
	until echo $2 > $P/$1 2>/dev/null; do
		i=$((i + 1))
		if [ $i -eq 20 ]; then
			dmsetup suspend mp --noudevsync
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
# triggers MODE [PATTERN N]: RTPG triggers, one per 0.5 s, for PHASE
# seconds and, with PATTERN, until the handler logged N more lines
# matching it (at most 4 x PHASE): the fault must have hit its commands.
# MODE activate: "activate" on each path in turn (the engine answers it
# with an RTPG; no VPD INQUIRY, which a dropped command would hold for
# 30 s x 4 tries); mixed: every other trigger a path rescan (VPD + RTPG).
triggers() {
	mode=$1 pat=$2 want=${3:-0}
	t0=$(now) n=0 tp= base=0
	[ -z "$pat" ] || base=$(count "$pat")
	while :; do
		el=$(( $(now) - t0 ))
		got=0
		[ -z "$pat" ] || got=$(( $(count "$pat") - base ))
		[ $el -ge $((4 * PHASE)) ] && break
		[ $el -ge $PHASE ] && [ $got -ge $want ] && break
		set -- $devs
		eval d=\${$(( n % 3 + 1 ))}
		if [ "$mode" = mixed ] && [ $((n % 2)) -eq 1 ]; then
			echo 1 > $S/$d/device/rescan &
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
phase() {	# phase NAME: after the triggers, faults off, paths back
	knob every_nth 0; knob opts 0; knob ndelay 0; knob delay 1
	reinstate
	echo "phase $1: triggers so far $ntrig; handler: $(count 'rtpg timed out') RTPG timeouts," \
	     "$(count 'rtpg transport error') transport errors, $(count 'rtpg status') RTPG check conditions," \
	     "$(count 'failed, retrying on path') sibling retries"
}

knob ndelay 200000; knob opts 4; knob every_nth 4
triggers activate 'rtpg timed out' 1; phase timeouts
knob opts 16; knob every_nth 5
triggers mixed 'rtpg status 0x02 asc 0x4b03' 1; phase transport
knob opts 0x8000; knob every_nth 4
triggers mixed; phase busy
knob delay 750	# 3 s at HZ=250, beyond cmd_timeout=2: every path times out
triggers activate 'rtpg timed out' 3; phase delay

[ "$(count 'rtpg timed out')" -ge 4 ] && ok "RTPGs timed out: $(count 'rtpg timed out')" ||
	bad "RTPG timeouts: $(count 'rtpg timed out'), want >= 4"
[ "$(count 'rtpg status 0x02 asc 0x4b03')" -gt 0 ] && ok "RTPGs got ABORTED COMMAND: $(count 'rtpg status 0x02 asc 0x4b03')" ||
	bad "no RTPG got ABORTED COMMAND"
[ "$(count 'failed, retrying on path')" -gt 0 ] && ok "sibling retries: $(count 'failed, retrying on path')" ||
	bad "no sibling retry"

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
