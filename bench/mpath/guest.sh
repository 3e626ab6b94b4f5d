# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh) for bench/mpath/run.sh: one LIO LU (fileio on
# tmpfs, implicit+explicit ALUA) behind four tcm_loop paths, tgA (2 paths,
# active/optimized) and tgB (2, standby); the same load (salua_vio:
# O_DIRECT 4 KiB writes read back and compared, QD = threads) on
#   single    one path's sd disk (the baseline, measured in every phase,
#             run for run interleaved with the phase's multipath device)
#   dm_salua  dm-multipath, round-robin over tgA's paths (switch every I/O),
#             tgB a second path group, queue_if_no_path, handler salua
#   dm_alua   the same with the kernel's scsi_dh_alua
#   head      the native head (multipath=on, iopolicy round-robin)
# IOPS and guest CPU time per I/O (/proc/stat busy ticks) at QD 1 and 32,
# then the longest I/O pause across a configfs failover (tgA -> standby,
# tgB -> active/optimized, both with a BENCH_DELAY_MS transition) on each
# multipath device, with the time LIO took for it (t0: the first configfs
# write started, t1: the last returned; LIO returns once the new state is
# set).  The head is measured with round-robin and with numa (one path).
# A real-time sentinel (mpath_ctl stalls) runs beside each failover: its
# gaps of 50 ms or more are host stalls (the guest not run at all), listed
# with the run.
# One "BENCH ..." line per run for the host.
. /mpath_lib.sh
NP=4 LIO_TYPE=3
[ -f /etc/bench.conf ] && . /etc/bench.conf
DUR=${BENCH_DUR:-3} REPS=${BENCH_REPS:-3} FO=${BENCH_FO:-3}
DELAY=${BENCH_DELAY_MS:-1000}

busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# run_io NAME DEV QD: one timed run, one BENCH line.
run_io() {
	b0=$(busy)
	salua_vio -j $3 -b 4096 -s 4194304 -d $DUR $2 > /tmp/b.out 2>&1
	b1=$(busy)
	ios=$(awk '$1 == "VIO" { for (i = 2; i <= NF; i++) { split($i, a, "=");
		if (a[1] == "ios" || a[1] == "elapsed_us" || a[1] == "errors")
			printf "%s=%s ", a[1], a[2] } }' /tmp/b.out)
	echo "BENCH io name=$1 qd=$3 ${ios}busy_ticks=$((b1 - b0)) hz=100"
}
# perf NAME DEV [HOOK]: single and NAME interleaved, REPS times per QD;
# HOOK NAME runs before each NAME run (the head switches its policy).
perf() {
	for qd in 1 32; do
		r=0
		while [ $r -lt $REPS ]; do
			run_io single_$1 /dev/$SINGLE $qd
			[ -z "$3" ] || $3 $1
			run_io $1 $2 $qd
			if [ -n "$3" ]; then
				$3 ${1}_numa
				run_io ${1}_numa $2 $qd
			fi
			r=$((r + 1))
		done
	done
}
# failover NAME DEV RESTORE: FO times a configfs failover under load,
# then RESTORE (a shell function) puts tgA back in front, unmeasured.
failover() {
	lio_delay tgA $DELAY
	lio_delay tgB $DELAY
	k=0
	while [ $k -lt $FO ]; do
		# The sentinel: a real-time thread that wakes every millisecond;
		# its gaps are the times the host did not run this guest at all
		# (TCG on a loaded machine), which no pause may be blamed on.
		rm -f /tmp/stop.sent
		mpath_ctl stalls /tmp/stop.sent 50000 > /tmp/stalls.txt & sp=$!
		vio_start fo $2
		sleep 1
		# Each configfs write returns when LIO has set its group's new
		# state: the transition is from the first write to the last
		# return (each timed in its own shell, no wait() in between).
		(a=$(now_us); lio_state tgA 2; echo "$a $(now_us)" > /tmp/tr.A) & w1=$!
		(b=$(now_us); lio_state tgB 0; echo "$b $(now_us)" > /tmp/tr.B) & w2=$!
		wait $w1 $w2
		t0=$(cat /tmp/tr.A /tmp/tr.B | awk 'NR == 1 || $1 < m { m = $1 } END { print m }')
		t1=$(cat /tmp/tr.A /tmp/tr.B | awk '$2 > m { m = $2 } END { print m }')
		sleep 1.5
		vio_stop fo
		: > /tmp/stop.sent
		wait $sp
		stalls=$(awk '$1 == "STALL" { printf "%s%s-%s", n++ ? "," : "", $2, $3 }' /tmp/stalls.txt)
		echo "BENCH fo name=$1 rep=$k delay_ms=$DELAY t0_us=$t0 t1_us=$t1 errors=$(vfield fo errors) mismatches=$(vfield fo mismatches) max_pause_us=$(vfield fo max_pause_us) max_pause_at_us=$(vfield fo max_pause_at_us) host_stalls=${stalls:-none}"
		[ -d /host ] && cp /tmp/tl.fo /host/tl.$1.$k 2>/dev/null
		lio_delay tgA 0
		lio_delay tgB 0
		lio_state tgA 0 & w1=$!
		lio_state tgB 2 & w2=$!
		wait $w1 $w2
		$3
		lio_delay tgA $DELAY
		lio_delay tgB $DELAY
		sleep 1
		k=$((k + 1))
	done
	lio_delay tgA 0
	lio_delay tgB 0
}
mm() { cat /sys/block/$(sd_of $1)/dev; }
dm_table() {	# HANDLER
	sz=$(cat /sys/block/$SINGLE/size)
	set -- $PATHS_A $PATHS_B
	echo "0 $sz multipath 1 queue_if_no_path 1 $HW 2 1 round-robin 0 2 1 $(mm $1) 1 $(mm $2) 1 round-robin 0 2 1 $(mm $3) 1 $(mm $4) 1"
}
dm_restore() {	# reinstate every path, back to path group 1
	for d in $PATHS_A $PATHS_B; do
		dmsetup message mp 0 reinstate_path $(mm $d) 2>/dev/null
	done
	dmsetup message mp 0 switch_group 1
	sleep 0.5
}
head_restore() {
	wait_pstate $HEAD $(sd_of $(set -- $PATHS_A; echo $1)) active/optimized 50
}
deleteall() {
	for d in $(ls /sys/class/scsi_device); do sdev_del $d; done
	sleep 0.5
}
scanall() {
	for d in $PATHS_A $PATHS_B; do host_scan $d; done
	for d in $PATHS_A $PATHS_B; do
		i=0
		while [ -z "$(sd_of $d)" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	done
}
export DM_DISABLE_UDEV=1

echo /bin/false > /proc/sys/kernel/modprobe 2>/dev/null
modprobe scsi_mod && modprobe sd_mod && modprobe sg && modprobe dm_mod &&
	modprobe dm_multipath && modprobe dm_round_robin || { echo "BENCH-FAIL modules"; exit 1; }
mkdir -p /dev/mapper

# ---- phase 1: dm-multipath with the salua handler ----
insmod /salua_dh.ko || { echo "BENCH-FAIL insmod"; exit 1; }
lio_setup $NP || { echo "BENCH-FAIL LIO"; exit 1; }
for d in $PATHS_A $PATHS_B; do
	echo salua > /sys/class/scsi_device/$d/device/dh_state
done
SINGLE=$(sd_of $(set -- $PATHS_A; echo $1))
HW=salua
dmsetup create mp --noudevsync --table "$(dm_table)" && dmsetup mknodes ||
	{ echo "BENCH-FAIL dmsetup salua"; exit 1; }
dmsetup table mp
perf dm_salua /dev/mapper/mp
failover dm_salua /dev/mapper/mp dm_restore
dmsetup remove mp

# ---- phase 2: dm-multipath with scsi_dh_alua ----
deleteall
rmmod salua_dh || { echo "BENCH-FAIL rmmod salua_dh"; exit 1; }
modprobe scsi_dh_alua || { echo "BENCH-FAIL scsi_dh_alua"; exit 1; }
scanall
for d in $PATHS_A $PATHS_B; do
	# 6.12's alua sends no RTPG at attach: a rescan makes it read states.
	echo 1 > /sys/class/scsi_device/$d/device/rescan
done
sleep 1
for d in $PATHS_A $PATHS_B; do
	echo "$d $(cat /sys/class/scsi_device/$d/device/dh_state) $(cat /sys/class/scsi_device/$d/device/access_state)"
done
SINGLE=$(sd_of $(set -- $PATHS_A; echo $1))
HW=alua
dmsetup create mp --noudevsync --table "$(dm_table)" && dmsetup mknodes ||
	{ echo "BENCH-FAIL dmsetup alua"; exit 1; }
perf dm_alua /dev/mapper/mp
failover dm_alua /dev/mapper/mp dm_restore
dmsetup remove mp
deleteall
rmmod scsi_dh_alua

# ---- phase 3: the native head ----
insmod /salua_dh.ko multipath=on iopolicy=round-robin no_path_timeout=30 ||
	{ echo "BENCH-FAIL insmod multipath=on"; exit 1; }
scanall
for d in $PATHS_A $PATHS_B; do echo 1 > /sys/class/scsi_device/$d/device/rescan; done
HEAD=$(wait_head $LIO_LU 100) && wait_paths $HEAD 4 100 || { echo "BENCH-FAIL head"; exit 1; }
for d in $PATHS_A; do wait_pstate $HEAD $(sd_of $d) active/optimized 100; done
cat /sys/block/$HEAD/salua/paths
SINGLE=$(sd_of $(set -- $PATHS_A; echo $1))
# The head twice: round-robin over both AO paths (as dm), and numa (one
# path, like the single-path baseline: the head's own cost).
policy() {
	case $1 in
	*_numa) echo numa > /sys/block/$HEAD/salua/iopolicy ;;
	*) echo round-robin > /sys/block/$HEAD/salua/iopolicy ;;
	esac
}
perf head /dev/$HEAD policy
echo round-robin > /sys/block/$HEAD/salua/iopolicy
failover head /dev/$HEAD head_restore
cat /sys/block/$HEAD/salua/stats
echo "BENCH done"
