# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the dm-multipath guest scripts (busybox sh), sourced as
# /dm_lib.sh: LIO set-up, dm tables, verified I/O around a scenario, SCSI
# command counts from the scsi:scsi_dispatch_cmd_start tracepoint, and one
# "DMT-RESULT" line per scenario for tests/guest/check_dm.py.
#
# Result line (key=value, one per scenario and handler):
#   DMT-RESULT test=T scen=S handler=H ios= errors= mismatches= hung=
#     max_pause_us= pause_us= event_us= trans_ms= rtpg= stpg= tur=
#     dm_fail= bad_fail= paths=<dev:dmstate:access,...> lio=<g:state,...>
#     pg=<active pg> extra=...
# pause_us is the longest gap between completions that overlaps the
# event (mark) time; trans_ms the target's transition time in the
# scenario; rtpg/stpg/tur the commands the host sent to the LU's devices
# during the scenario; dm_fail the "Failing path" events of that map;
# bad_fail the paths dm failed although their group was AO/ANO at the end
# (not counting $DM_MANUAL, the paths the scenario failed on purpose).

C=/sys/kernel/config/target
T=/sys/kernel/tracing
DM_VERBOSE=${DM_VERBOSE:-0}

say() { echo "DMT $*"; }
die() { echo "DMT-FATAL $*"; exit 1; }
now_us() { salua_vio mark | cut -d' ' -f2; }
ms_sleep() { usleep $(($1 * 1000)); }

dm_modules() {
	modprobe sd_mod && modprobe dm-mod && modprobe dm-multipath &&
		modprobe dm-round-robin || die "modprobe dm"
}

# The tracepoint that counts RTPG (a3), STPG (a4) and TUR (00) per LUN.
trace_setup() {
	grep -q " $T " /proc/mounts || mount -t tracefs nodev $T || die "tracefs"
	echo 4096 > $T/buffer_size_kb
	# salua_vio's clock (CLOCK_MONOTONIC): trace_mark windows by time.
	echo mono > $T/trace_clock || die "trace_clock mono"
	echo 'opcode == 0xa3 || opcode == 0xa4 || opcode == 0' \
		> $T/events/scsi/scsi_dispatch_cmd_start/filter || die "trace filter"
	echo 1 > $T/events/scsi/scsi_dispatch_cmd_start/enable || die "trace enable"
	echo > $T/trace
}

trace_clear() { echo > $T/trace; TRACE_SINCE=0; }

# trace_mark US: count only commands dispatched from time US on (without
# clearing the buffer: scenarios running side by side each keep theirs).
trace_mark() { TRACE_SINCE=$1; }

# trace_count OPNAME LUN [HOSTS]: commands since the last clear / mark.
trace_count() {
	awk -v t=${TRACE_SINCE:-0} '!/^#/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) {
			if (substr($i, 1, length($i) - 1) * 1000000 >= t) print; break
		} }' $T/trace | grep " lun=$2 " |
		{ if [ -n "$3" ]; then grep -E " host_no=($3) "; else cat; fi; } |
		grep -c "cmnd=($1"
}

# ---- LIO -------------------------------------------------------------

lio_modules() {
	modprobe target_core_mod && modprobe target_core_file &&
		modprobe tcm_loop || die "modprobe LIO"
	grep -q " /sys/kernel/config " /proc/mounts ||
		mount -t configfs configfs /sys/kernel/config || die "configfs"
	[ -d $C ] || die "no $C"
}

# lio_lu NAME PRODUCT: a 16 MiB fileio LU with groups gp_a (16, AO,
# preferred) and gp_b (32, standby), implicit+explicit.
lio_lu() {
	b=$C/core/fileio_0/$1
	mkdir -p $b || die "mkdir $b"
	echo "fd_dev_name=/tmp/$1.img,fd_dev_size=16777216" > $b/control || die "control"
	echo 1 > $b/enable || die "enable $1"
	# Distinct unit serials give each LU its own NAA name.
	echo "5a1ua$(printf %s "$1" | od -An -tx1 | tr -d ' \n')" > $b/wwn/vpd_unit_serial
	[ -z "$2" ] || echo -n "$2" > $b/wwn/product_id
	for g in a:16:0:1 b:32:2:0; do
		n=${g%%:*}; r=${g#*:}; id=${r%%:*}; r=${r#*:}; st=${r%%:*}; pref=${r#*:}
		mkdir $b/alua/gp_$n || die "mkdir gp_$n"
		echo $id > $b/alua/gp_$n/tg_pt_gp_id
		echo 3 > $b/alua/gp_$n/alua_access_type
		echo $st > $b/alua/gp_$n/alua_access_state
		echo $pref > $b/alua/gp_$n/preferred
	done
}

# lio_targets: two tcm_loop targets, one per group (a, b), with their
# I_T nexus (it must exist before any LUN, or the scan fails).
lio_targets() {
	for i in 1 2; do
		tp=$C/loopback/naa.500140500000000$i/tpgt_1
		mkdir -p $tp || die "mkdir $tp"
		echo naa.50014050000000a$i > $tp/nexus || die "nexus"
	done
}

# lio_add_lun L NAME: LU NAME as LUN L through both targets, waits for its
# two disks.
lio_add_lun() {
	i=1
	for n in a b; do
		tp=$C/loopback/naa.500140500000000$i/tpgt_1
		mkdir -p $tp/lun/lun_$1
		ln -s $C/core/fileio_0/$2 $tp/lun/lun_$1/$2 || die "link $2"
		echo gp_$n > $tp/lun/lun_$1/alua_tg_pt_gp || die "alua_tg_pt_gp"
		i=$((i + 1))
	done
	wl=$1
	wait_for 10 '[ -n "$(lio_dev $wl a)" ]' && wait_for 10 '[ -n "$(lio_dev $wl b)" ]' ||
		die "LUN $1 ($2) did not appear"
}

# lio_ports NAME...: both targets, LU i of the list as LUN i.
lio_ports() {
	lio_targets
	l=0
	for lu in "$@"; do
		lio_add_lun $l $lu
		l=$((l + 1))
	done
}

# lio_dev LUN GROUP(a|b): the sd name of that LUN through that group's port.
lio_dev() {
	for d in /sys/class/scsi_device/*:*:*:$1; do
		[ -d $d/device/block ] || continue
		hctl=${d##*/}
		if [ "$(lio_group_of_host ${hctl%%:*})" = "$2" ]; then
			ls $d/device/block; return
		fi
	done
}

lio_group_of_host() {
	first=
	for x in /sys/class/scsi_host/host*; do
		case $(cat $x/proc_name) in
		tcm_loop*) n=${x##*host}; [ -n "$first" ] && [ "$first" -le "$n" ] || first=$n ;;
		esac
	done
	[ "$1" = "$first" ] && echo a || echo b
}

lio_state() { cat $C/core/fileio_0/$1/alua/gp_$2/alua_access_state; }

# lio_delay LU MS: the transition delay of both groups (also STPG's).
lio_delay() {
	for g in a b; do echo $2 > $C/core/fileio_0/$1/alua/gp_$g/trans_delay_msecs; done
}

# lio_set LU DELAY_MS A_STATE B_STATE: an implicit transition of both
# groups, as an array does it: the group that becomes active/optimized
# enters TRANSITIONING first, then the other one leaves A/O, so there is
# never a moment with no group A/O or transitioning (each configfs write
# blocks for the delay; LIO shows 15 while a group transitions).
# LIO_TE=FILE: FILE.start gets the time (us) just before the first write,
# FILE the time it returned (the target's own transition is over).
lio_set() {
	lio_delay $1 $2
	g=$C/core/fileio_0/$1/alua
	if [ "$4" = 0 ]; then first=b fs=$4 second=a ss=$3; else first=a fs=$3 second=b ss=$4; fi
	[ -z "${LIO_TE:-}" ] || now_us > $LIO_TE.start
	( echo $fs > $g/gp_$first/alua_access_state
	  [ -z "${LIO_TE:-}" ] || now_us > $LIO_TE ) &
	pf=$!
	if [ "$2" != 0 ]; then
		n=0
		while [ "$(cat $g/gp_$first/alua_access_state)" != 15 ] && [ $n -lt 100 ]; do
			usleep 2000; n=$((n + 1))
		done
	else
		wait $pf
	fi
	echo $ss > $g/gp_$second/alua_access_state &
	wait $pf $!
}

# ---- dm --------------------------------------------------------------

majmin() { cat /sys/block/$1/dev; }
sectors() { cat /sys/block/$1/size; }

# dm_create NAME "HW" DEV... : one path per priority group, in order.
dm_create() {
	name=$1 hw=$2; shift 2
	n=$#
	tbl="0 $(sectors $1) multipath 1 queue_if_no_path $hw $n 1"
	for d in "$@"; do
		tbl="$tbl round-robin 0 1 1 $(majmin $d) 1"
	done
	DM_DISABLE_UDEV=1 dmsetup create $name --noudevsync --table "$tbl" || die "dmsetup create $name: $tbl"
	DM_DISABLE_UDEV=1 dmsetup mknodes $name >/dev/null 2>&1
	[ -b /dev/mapper/$name ] || die "no /dev/mapper/$name"
}

dm_reload() {
	name=$1 hw=$2; shift 2
	tbl="0 $(sectors $1) multipath 1 queue_if_no_path $hw $# 1"
	for d in "$@"; do
		tbl="$tbl round-robin 0 1 1 $(majmin $d) 1"
	done
	DM_DISABLE_UDEV=1 dmsetup suspend --noflush --noudevsync $name &&
	DM_DISABLE_UDEV=1 dmsetup reload $name --noudevsync --table "$tbl" &&
	DM_DISABLE_UDEV=1 dmsetup resume --noudevsync $name || die "reload $name"
}

dm_msg() { DM_DISABLE_UDEV=1 dmsetup message $1 0 "$2"; }

# "254:0": how dm-mpath names the map in its kernel messages.
dm_majmin() { dmsetup info -c --noheadings -o major,minor $1 | tr -d ' '; }

# dmsetup status of a multipath map, one line per path:
#   PG PGSTATE(A active, E enabled, D bypassed) MAJ:MIN A|F FAILCOUNT
dm_status() {
	dmsetup status $1 | awk '{
		i = 4; i += $i + 1; i += $i + 1
		npg = $i; i += 2
		for (g = 1; g <= npg; g++) {
			st = $i; i++
			i += $i + 1
			np = $i; na = $(i + 1); i += 2
			for (p = 1; p <= np; p++) {
				print g, st, $i, $(i + 1), $(i + 2)
				i += 3 + na
			}
		}
	}'
}

# "8:16:A 8:32:F": each path and its dm state, in table order.
dm_paths() { dm_status $1 | awk '{ printf "%s:%s ", $3, $4 }'; }

# The active priority group (1-based), 0 if none is.
dm_active_pg() { dm_status $1 | awk '$2 == "A" { print $1; f = 1; exit } END { if (!f) print 0 }'; }

dev_of_majmin() {
	for b in /sys/block/sd*; do
		[ "$(cat $b/dev)" = "$1" ] && { echo ${b##*/}; return; }
	done
	echo gone
}

access_of() {
	if [ -e /sys/block/$1/device/access_state ]; then
		cat /sys/block/$1/device/access_state
	else
		echo none
	fi
}

# rescan_dev DEV: make the handler re-read the states (VPD, RTPG).
rescan_dev() { echo 1 > /sys/block/$1/device/rescan; }

# readd LUN GROUP HOST LU: bring a deleted path back: rescan its host (LUN
# 0), or, since tcm_loop's hosts refuse scanning LUNs above max_lun,
# unlink and relink the LUN in configfs (tcm_loop adds the device itself).
readd() {
	wl=$1 wg=$2
	echo "- - -" > /sys/class/scsi_host/host$3/scan
	wait_for 3 '[ -n "$(lio_dev $wl $wg)" ]' && return 0
	case $2 in a) i=1 ;; *) i=2 ;; esac
	tl=$C/loopback/naa.500140500000000$i/tpgt_1/lun/lun_$1
	rm -f $tl/$4
	ln -s $C/core/fileio_0/$4 $tl/$4 || return 1
	# The relinked LUN is back in the default group: put it in its own,
	# and let the host re-read VPD 0x83.
	echo gp_$2 > $tl/alua_tg_pt_gp
	wait_for 20 '[ -n "$(lio_dev $wl $wg)" ]' || return 1
	rescan_dev $(lio_dev $wl $wg)
}

# wait_for SECS 'COMMAND': until COMMAND succeeds (0.1 s steps).  COMMAND
# is evaluated afresh each time: single-quote what must be re-expanded.
wait_for() {
	n=$(($1 * 10)); shift
	while [ $n -gt 0 ]; do
		eval "$*" && return 0
		sleep 0.1; n=$((n - 1))
	done
	return 1
}

# ---- verified I/O around a scenario ---------------------------------

# io_start DEV: salua_vio in the background on /dev/mapper/DEV.
# VIO: file prefix of the run (scenarios side by side set their own).
io_start() {
	V=${VIO:-/tmp/vio}
	rm -f $V.stop $V.out
	salua_vio -j 2 -o ${IO_OFF:-0} -s 4M -S $V.stop /dev/mapper/$1 > $V.out 2>&1 &
	vio_pid=$!
	wait_for 10 grep -q VIO-START $V.out || die "salua_vio did not start: $(cat $V.out)"
	sleep 0.5
}

io_stop() {
	sleep 0.5
	: > ${VIO:-/tmp/vio}.stop
	wait $vio_pid
}

vio_field() { awk -v k="$1" '$1 == "VIO" { for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) print substr($i, length(k) + 2) }' ${VIO:-/tmp/vio}.out; }

# The longest pause that began within 3 s after time $1 (us) and ended
# after it: the scenario's own (the event is marked just before the
# action, which takes a few ms to start under TCG).
pause_at() {
	awk -v t="$1" '$1 == "VIO-PAUSE" && $4 >= t - 100000 && $4 <= t + 3000000 && $5 >= t { if ($3 > m) m = $3 } END { print m + 0 }' ${VIO:-/tmp/vio}.out
}

# result TEST SCEN HANDLER MAP LU LUN EVENT_US TRANS_MS [extra]
result() {
	t=$1 s=$2 h=$3 map=$4 lu=$5 lun=$6 ev=$7 tr=$8 extra=$9
	paths= bad=0
	for p in $(dm_paths $map); do
		mm=${p%:*} st=${p##*:}
		d=$(dev_of_majmin $mm)
		a=$(access_of $d)
		paths="$paths$d:$st:$(echo $a | tr / _),"
		# DM_MANUAL: paths the scenario failed on purpose (fail_path).
		case " $DM_MANUAL " in *" $mm "*) continue ;; esac
		if [ "$st" = F ] && [ "$d" != gone ]; then
			g=$(lio_group_of_dev $d)
			if [ -n "$lu" ] && [ -n "$g" ]; then
				case $(lio_state $lu $g) in 0|1) bad=$((bad + 1)) ;; esac
			elif [ "$a" = active/optimized ] || [ "$a" = active/non-optimized ]; then
				bad=$((bad + 1))
			fi
		fi
	done
	lio=
	[ -z "$lu" ] || lio="a:$(lio_state $lu a),b:$(lio_state $lu b)"
	nf=$(dmesg | grep -c "$(dm_majmin $map): Failing path")
	fails=$((nf - ${dm_fail_base:-0}))
	dm_fail_base=$nf
	echo "DMT-RESULT test=$t scen=$s handler=$h ios=$(vio_field ios) errors=$(vio_field errors) mismatches=$(vio_field mismatches) hung=$(vio_field hung) max_pause_us=$(vio_field max_pause_us) pause_us=$(pause_at $ev) event_us=$ev trans_ms=$tr rtpg=$(trace_count MAINTENANCE_IN $lun) stpg=$(trace_count MAINTENANCE_OUT $lun) tur=$(trace_count TEST_UNIT_READY $lun) dm_fail=$fails bad_fail=$bad paths=$paths lio=$lio pg=$(dm_active_pg $map) extra=$extra"
	[ "$DM_VERBOSE" = 0 ] || dmsetup status $map
}

lio_group_of_dev() {
	[ -e /sys/block/$1/device ] || return
	hctl=$(basename $(readlink /sys/block/$1/device))
	lio_group_of_host ${hctl%%:*}
}
