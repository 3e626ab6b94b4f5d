# SPDX-License-Identifier: GPL-2.0-only
# Guest half of bench/failover/checker.sh (busybox sh): RTPGs caused by a
# path checker.  LUNS LIO LUs, each seen through PATHS tcm_loop ports that
# are all in its standby group (its active/optimized group has no port
# here), the handler attached to every path; then `salua_vio tur` sends a
# TEST UNIT READY to every path every EVERY seconds for DURATION seconds
# (multipathd's tur checker; each answer is NOT READY 04/0B and passes
# through the handler's check_sense), while the scsi_dispatch_cmd_start
# tracepoint counts the RTPGs the host sends.  HANDLERS in turn, each on its
# own LUs and ports ("salua" attached through dh_state; "alua" loaded
# before its LUs are scanned, so it attaches itself as it does on a
# system that uses it).  One line per handler:
#   CHECKER handler= luns= paths= every_s= duration_s= turs= standby= rtpg= rtpg_per_min=
#           rtpg_per_10s=N,N,... (when they were sent)
. /dm_lib.sh
[ ! -f /bench.env ] || . /bench.env
LUNS=${LUNS:-64} PATHS=${PATHS:-4} EVERY=${EVERY:-5} DURATION=${DURATION:-60}
HANDLERS=${HANDLERS:-"salua alua"}

modprobe sd_mod
lio_modules
trace_setup
insmod /salua_dh.ko || die "insmod"
t=10
for h in $HANDLERS; do
	[ $h = alua ] && { modprobe scsi_dh_alua || die "scsi_dh_alua"; }
	case $h in salua) k=s ;; *) k=a ;; esac
	l=0
	while [ $l -lt $LUNS ]; do
		lio_lu ck$k$l
		l=$((l + 1))
	done
	before=$(ls /sys/class/scsi_disk | wc -l)
	p=0
	while [ $p -lt $PATHS ]; do
		tp=$C/loopback/naa.50014050000000$((t + p))/tpgt_1
		mkdir -p $tp && echo naa.5001405000000a$((t + p)) > $tp/nexus || die "target"
		l=0
		while [ $l -lt $LUNS ]; do
			mkdir -p $tp/lun/lun_$l
			ln -s $C/core/fileio_0/ck$k$l $tp/lun/lun_$l/x || die "link"
			echo gp_b > $tp/lun/lun_$l/alua_tg_pt_gp
			l=$((l + 1))
		done
		p=$((p + 1))
	done
	want=$((before + LUNS * PATHS))
	wait_for 300 '[ "$(ls /sys/class/scsi_disk | wc -l)" -ge $want ]' || die "disks: $(ls /sys/class/scsi_disk | wc -l) of $want"
	# This handler's disks: those on its ports (hosts), by vendor/product.
	devs= hosts=
	for x in /sys/class/scsi_host/host*; do
		n=${x##*host}
		[ $n -ge ${hmin:-0} ] || continue
		case $(cat $x/proc_name) in tcm_loop*) hosts="$hosts${hosts:+|}$n" ;; esac
	done
	for d in /sys/class/scsi_device/*; do
		hn=${d##*/}; hn=${hn%%:*}
		echo "|$hosts|" | grep -q "|$hn|" || continue
		b=$(ls $d/device/block 2>/dev/null) || continue
		[ $h = salua ] && printf salua > $d/device/dh_state
		devs="$devs /dev/$b"
	done
	n=$(echo $devs | wc -w)
	st=$(for x in $devs; do cat /sys/block/${x#/dev/}/device/dh_state; done | sort | uniq -c | tr '\n' ' ')
	say "$h: $n paths, dh_state: $st"
	# Start when the attach-time RTPGs are over (3 s without one).
	q=0
	while [ $q -lt 40 ]; do
		echo > $T/trace
		sleep 3
		grep -q "cmnd=(MAINTENANCE_IN" $T/trace || break
		q=$((q + 1))
	done
	say "$h: quiet after $((q * 3)) s"
	echo > $T/trace
	t0=$(now_us)
	out=$(salua_vio tur -i $EVERY -d $DURATION $devs)
	grep -v '^#' $T/trace | grep -E " host_no=($hosts) " | grep "cmnd=(MAINTENANCE_IN" > /tmp/rtpg.$h
	r=$(wc -l < /tmp/rtpg.$h)
	# When they went: RTPGs per 10 s of the run (mono trace clock).
	by10=$(awk -v t0=$t0 -v n=$(( (DURATION + 9) / 10 )) '{
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = substr($i, 1, length($i) - 1) * 1000000; break }
		b = int((t - t0) / 10000000); if (b < 0) b = 0; if (b >= n) b = n - 1; c[b]++
	} END { for (b = 0; b < n; b++) printf "%s%d", b ? "," : "", c[b] }' /tmp/rtpg.$h)
	turs=$(echo "$out" | sed -n 's/.* rounds=\([0-9]*\).*/\1/p')
	sb=$(echo "$out" | sed -n 's/.* standby=\([0-9]*\).*/\1/p')
	echo "CHECKER handler=$h luns=$LUNS paths=$PATHS every_s=$EVERY duration_s=$DURATION turs=$((turs * n)) standby=$sb rtpg=$r rtpg_per_min=$((r * 60 / DURATION)) rtpg_per_10s=$by10"
	head -3 /tmp/rtpg.$h
	echo "$out"
	hmin=$(( $(ls -d /sys/class/scsi_host/host* | sed 's/.*host//' | sort -n | tail -1) + 1 ))
	t=$((t + PATHS))
done
say "done"
exit 0
