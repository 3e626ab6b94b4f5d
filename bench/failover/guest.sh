# SPDX-License-Identifier: GPL-2.0-only
# Guest half of bench/failover/run.sh (busybox sh): I/O pause across ALUA
# failovers under dm-multipath (dmsetup maps over LIO, one path per group),
# salua and the kernel's scsi_dh_alua in the same boot, alternating, REPS
# times each.  Per run one "BENCH" line:
#   BENCH handler= scen= rep= trans_us= pause_us= over_us= cmds= io= rtpg= stpg= tur= errors= mismatches=
# trans_us: the target's transition, from the configfs write that puts the
# new A/O group in TRANSITIONING to its return (LIO sets the new state,
# then the write returns; the old group's write starts a few ms later);
# pause_us: the longest gap between I/O completions that began before both
# writes returned; over_us: from the end of the target's transition to the
# first completion after the pause (the overshoot); cmds: every
# command the host dispatched to the LU during the pause (tracepoint
# scsi_dispatch_cmd_start, trace_clock mono = salua_vio's clock), split
# into I/O and the handlers' RTPG / STPG / TUR.
. /dm_lib.sh
[ ! -f /bench.env ] || . /bench.env
REPS=${REPS:-3}
QD=${QD:-2}
SCENS=${SCENS:-"failover failback trans5s"}

dm_modules
lio_modules
grep -q " $T " /proc/mounts || mount -t tracefs nodev $T || die "tracefs"
echo mono > $T/trace_clock || die "trace_clock mono"
echo 8192 > $T/buffer_size_kb
echo 1 > $T/events/scsi/scsi_dispatch_cmd_start/enable || die "trace enable"
insmod /salua_dh.ko ${SALUA_PARAMS:-} || die "insmod"
lio_lu lu1 SALUA-LU
lio_lu lu2 KALUA-LU
lio_ports lu1 lu2
mkmap() {	# HANDLER LUN
	a=$(lio_dev $2 a) b=$(lio_dev $2 b)
	dm_create mp_$1 "1 $1" $a $b
	eval A_$1=$a B_$1=$b
}
mkmap salua 0
modprobe scsi_dh_alua || die "scsi_dh_alua"
mkmap alua 1

# The longest gap (start end) between completions that began in [$1, $2]
# (I/O may resume before the configfs writes return: the new group's
# transition ends first).
gap_in() {
	awk -v a=$1 -v b=$2 '!/^#/ { if (p && p >= a && p <= b && $1 - p > m) { m = $1 - p; s = p; e = $1 } p = $1 }
		END { if (m) print s, e }' /tmp/tl
}

# Commands to LUN $1 dispatched in [$2, $3] us: "cmds io rtpg stpg tur".
cmds_in() {
	awk -v l=$1 -v a=$2 -v b=$3 '!/^#/ && index($0, " lun=" l " ") {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = substr($i, 1, length($i) - 1) * 1000000; break }
		if (t < a || t > b) next
		n++
		if (index($0, "MAINTENANCE_IN")) r++
		else if (index($0, "MAINTENANCE_OUT")) s++
		else if (index($0, "TEST_UNIT_READY")) u++
		else io++
	} END { printf "%d %d %d %d %d", n, io, r, s, u }' $T/trace
}

# timeline NAME LUN T0 TE: salua_vio's timeline from 1 s before the event
# to 2 s after the transition, and an events file (`t_us kind text`: the
# commands the host sent to the LU but I/O, the transition as marks),
# between TL-BEGIN/TL-END lines on the console.
timeline() {
	a=$(($3 - 1000000)) b=$(($4 + 2000000))
	echo "TL-BEGIN $1.tl"
	awk -v a=$a -v b=$b '/^#/ || ($1 >= a && $1 <= b)' /tmp/tl
	echo "TL-END"
	echo "TL-BEGIN $1.tl.events"
	echo "$3 mark transition start"
	echo "$4 mark transition end (target)"
	awk -v l=$2 -v a=$a -v b=$b '!/^#/ && index($0, " lun=" l " ") {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = substr($i, 1, length($i) - 1) * 1000000; break }
		if (t < a || t > b) next
		if (index($0, "MAINTENANCE_IN")) n = "RTPG"
		else if (index($0, "MAINTENANCE_OUT")) n = "STPG"
		else if (index($0, "TEST_UNIT_READY")) n = "TUR"
		else next
		h = $0; sub(/.*host_no=/, "", h); sub(/ .*/, "", h)
		printf "%d cmd %s host %s\n", t, n, h
	}' $T/trace
	echo "TL-END"
}

run() {	# HANDLER LU LUN SCEN REP
	h=$1 lu=$2 lun=$3 sc=$4
	map=mp_$h
	eval A=\$A_$h B=\$B_$h
	AM=$(majmin $A) BM=$(majmin $B)
	lio_delay $lu 0
	# Start from gp_a AO, gp_b standby, dm on group 1, both paths usable.
	[ "$(lio_state $lu a)" = 0 ] && [ "$(lio_state $lu b)" = 2 ] || lio_set $lu 0 0 2
	dm_msg $map "reinstate_path $AM"; dm_msg $map "reinstate_path $BM"
	dm_msg $map "switch_group 1"
	rescan_dev $A; rescan_dev $B
	case $sc in failback) lio_set $lu 0 2 0; dm_msg $map "switch_group 2" ;; esac
	sleep 0.5
	rm -f /tmp/vio.stop
	salua_vio -j $QD -s 4M -S /tmp/vio.stop -t /tmp/tl /dev/mapper/$map > /tmp/vio.out 2>&1 &
	vp=$!
	sleep 1
	echo > $T/trace
	case $sc in
	failover) d=1000 from=0 to=2 ;;
	failback) d=1000 from=2 to=0 ;;
	trans5s) d=5000 from=0 to=2 ;;
	esac
	# te: when the write that ends the new A/O group's transition
	# returned (lio_set's LIO_TE), t1: both groups' writes returned.
	LIO_TE=/tmp/te
	if [ $to = 2 ]; then lio_set $lu $d 2 0; else lio_set $lu $d 0 2; fi
	LIO_TE=
	t0=$(cat /tmp/te.start)
	t1=$(now_us) te=$(cat /tmp/te)
	sleep 2
	: > /tmp/vio.stop
	wait $vp
	g=$(gap_in $((t0 - 100000)) $t1)
	gs=${g% *} ge=${g#* }
	[ -n "$g" ] || { gs=$t1 ge=$t1; }
	# The last run of each cell: its timeline and events for
	# bench/timeline/plot_timeline.py (run.sh writes them to BUILD/timelines).
	[ "$5" != "$REPS" ] || timeline dm-$sc.$h $lun $t0 $te
	# over: the first completion after the pause, past the end of the
	# target's transition (te).
	echo "BENCH handler=$h scen=$sc rep=$5 trans_us=$((te - t0)) pause_us=$((ge - gs)) over_us=$((ge - te)) $(cmds_in $lun $gs $ge | awk '{ printf "cmds=%s io=%s rtpg=%s stpg=%s tur=%s", $1, $2, $3, $4, $5 }') errors=$(vio_field errors) mismatches=$(vio_field mismatches)"
}

r=1
while [ $r -le $REPS ]; do
	for sc in $SCENS; do
		run salua lu1 0 $sc $r
		run alua lu2 1 $sc $r
	done
	r=$((r + 1))
done
say "done"
exit 0
