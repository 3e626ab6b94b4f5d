# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh) for guest.stress_dm@debug: the salua handler
# under dm-multipath while everything around it moves.
#
# LIO: NLU fileio LUs, each behind two tcm_loop targets of its own (two
# SCSI hosts = two paths per LU), its own ALUA groups gA (id 16, path A)
# and gB (id 32, path B), implicit+explicit.  One dm-multipath device per
# LU ("1 salua", odd LUs "2 salua 1" = set_params, queue_if_no_path, one
# path group per path), salua_vio (verified O_DIRECT I/O) on every dm device.  For DUR seconds a loop cycles through:
#   flip     every LU's groups swap AO/standby in configfs, no delay
#   flip-td  the same with a 1 s LIO transition (transitioning on both)
#   delete   one path's SCSI device deleted, re-added by a host scan, the
#            dm table reloaded with the new device
#   activate "echo activate > dh_state" on a standby path (STPG)
#   rescan   "echo 1 > rescan" on both paths of an LU
# and reinstates the failed dm paths after each step (what multipathd
# would do).  Every step runs at least once, however slow the guest.
# Then: groups back to gA AO, all I/O stopped and checked (no error, no
# mismatch), access_state checked, dm devices removed, SCSI devices
# deleted (= detach) and rmmod salua_dh.  The harness adds: no lockdep /
# KASAN / KFENCE / ODEBUG / hung-task report, no leak of ours (kmemleak).
NLU=${NLU:-4}
DUR=${DUR:-90}
fails=0
ok() { echo "STRESS ok   $*"; }
bad() { echo "STRESS FAIL $*"; fails=$((fails + 1)); }
# Few forks: a fork+exec costs 0.1-1 s in a KASAN+lockdep guest under TCG,
# so the loop reads sysfs with the shell's own `read` and caches names.
now() { local u r; read u r < /proc/uptime; echo ${u%%.*}; }
rd() { local v; read v < "$1"; echo "$v"; }	# rd FILE: its first line
export DM_DISABLE_UDEV=1

echo /bin/false > /proc/sys/kernel/modprobe 2>/dev/null
modprobe scsi_mod && modprobe sd_mod && insmod /salua_dh.ko || { bad "insmod"; exit 1; }
for m in dm_mod dm_multipath dm_round_robin configfs target_core_mod target_core_file tcm_loop; do
	modprobe $m || { bad "modprobe $m"; exit 1; }
done
grep -q " /sys/kernel/config " /proc/mounts || mount -t configfs configfs /sys/kernel/config
C=/sys/kernel/config/target

# --- LIO: NLU backstores with two groups each, two loopback targets -------
k=0
while [ $k -lt $NLU ]; do
	D=$C/core/fileio_0/lu$k
	dd if=/dev/zero of=/tmp/lu$k.img bs=1M count=16 2>/dev/null
	mkdir -p $D
	echo "fd_dev_name=/tmp/lu$k.img,fd_dev_size=16777216" > $D/control
	echo 6001405a1b2c3d4$k > $D/wwn/vpd_unit_serial
	echo 1 > $D/enable || { bad "backstore $k"; exit 1; }
	for g in gA:16:0 gB:32:2; do
		n=${g%%:*}; r=${g#*:}
		mkdir $D/alua/$n
		echo ${r%%:*} > $D/alua/$n/tg_pt_gp_id
		echo 3 > $D/alua/$n/alua_access_type
		echo ${r#*:} > $D/alua/$n/alua_access_state
	done
	k=$((k + 1))
done
# One loopback target (= one SCSI host) per path of each LU, the LU as its
# LUN 0: a host scan re-adds a deleted device (tcm_loop's hosts take no
# LUN above 0 from a scan).
tgt() { echo $C/loopback/naa.50014050000000$1$2/tpgt_1; }	# tgt a|b LU
k=0
while [ $k -lt $NLU ]; do
	for p in a:gA b:gB; do
		T=$(tgt ${p%%:*} $k)
		mkdir -p $T
		echo naa.50014051000000${p%%:*}$k > $T/nexus	# before the LUN
		mkdir $T/lun/lun_0
		ln -s $C/core/fileio_0/lu$k $T/lun/lun_0/port0
		echo ${p#*:} > $T/lun/lun_0/alua_tg_pt_gp
	done
	k=$((k + 1))
done
# path X of LU k is the SCSI device "H:0:T:0" of its target (cached in
# sd_X_k by remember, with its block device's MAJ:MIN in mm_X_k)
sdev() { eval echo \$sd_$1_$2; }
S=/sys/class/scsi_device
blk() { ls $S/$1/device/block 2>/dev/null; }
wait_blk() {	# wait_blk SDEV: until it has a block device (20 s)
	local i=0
	while [ -z "$(blk $1)" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	[ -n "$(blk $1)" ]
}
majmin() { rd /sys/block/$(blk $1)/dev; }
remember() {	# remember X k: path X of LU k's device name and MAJ:MIN
	local t
	if [ $1 = A ]; then t=$(tgt a $2); else t=$(tgt b $2); fi
	eval sd_$1_$2=$(rd $t/address):0
	eval mm_$1_$2=$(majmin $(sdev $1 $2) 2>/dev/null)
}
k=0
while [ $k -lt $NLU ]; do
	for p in A B; do
		remember $p $k
		d=$(sdev $p $k)
		wait_blk $d || { bad "no disk for LU $k path $p ($d)"; exit 1; }
		remember $p $k
		# The scan ran before alua_tg_pt_gp was set: re-read VPD 0x83.
		echo 1 > $S/$d/device/rescan
	done
	k=$((k + 1))
done

# --- dm-multipath, one device per LU --------------------------------------
table() {	# table LU: both paths, handler salua, one group per path;
	# odd LUs "2 salua 1": set_params (optimize_stpg) at every table load
	local a b h="1 salua"
	eval a=\$mm_A_$1 b=\$mm_B_$1
	[ $(($1 % 2)) -eq 0 ] || h="2 salua 1"
	echo "0 $(cat /sys/block/$(blk $(sdev A $1))/size) multipath 1 queue_if_no_path $h 2 1 round-robin 0 1 1 $a 1 round-robin 0 1 1 $b 1"
}
k=0
while [ $k -lt $NLU ]; do
	dmsetup create mp$k --noudevsync --table "$(table $k)" || { bad "dmsetup create mp$k"; exit 1; }
	k=$((k + 1))
done
dmsetup mknodes
k=0
while [ $k -lt $NLU ]; do
	echo "mp$k: A $(sdev A $k) $(cat $S/$(sdev A $k)/device/access_state)," \
	     "B $(sdev B $k) $(cat $S/$(sdev B $k)/device/access_state), dh $(cat $S/$(sdev A $k)/device/dh_state)"
	# niced (busybox has renice, not nice): the I/O fills both vCPUs
	# otherwise and starves the loop below
	sh -c 'renice -n 19 -p $$ >/dev/null; exec "$@"' - salua_vio -b 4096 -s 4M -j 2 -S /tmp/vio-stop /dev/mapper/mp$k > /tmp/vio$k.log 2>&1 &
	eval vio$k=$!
	k=$((k + 1))
done

reinstate() {	# every failed path ("MAJ:MIN F" in dmsetup status) of every map
	# (one map: no "NAME:" prefix)
	dmsetup status | awk '{ n = $1; if (!sub(/:$/, "", n)) n = "mp0"
		for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+:[0-9]+$/ && $(i + 1) == "F") print n, $i }' |
	while read m p; do dmsetup message $m 0 reinstate_path $p 2>/dev/null; done
}
flip() {	# flip DELAY_MS: swap AO/standby of every LU's gA and gB
	local pids= k=0 D a g na nb
	while [ $k -lt $NLU ]; do
		D=$C/core/fileio_0/lu$k/alua
		a=$(rd $D/gA/alua_access_state)
		for g in gA gB; do echo $1 > $D/$g/trans_delay_msecs; done
		if [ "$a" = 0 ]; then na=2 nb=0; else na=0 nb=2; fi
		echo $na > $D/gA/alua_access_state & pids="$pids $!"
		echo $nb > $D/gB/alua_access_state & pids="$pids $!"
		k=$((k + 1))
	done
	wait $pids
}
n_flip=0 n_flip_td=0 n_del=0 n_act=0 n_rescan=0 round=0
t_end=$(( $(now) + DUR ))
while [ $(now) -lt $t_end ] || [ $round -lt 5 ]; do
	k=$((round % NLU))
	t_r=$(now)
	case $((round % 5)) in
	0) flip 0; n_flip=$((n_flip + 1)) ;;
	1) flip 1000; n_flip_td=$((n_flip_td + 1)) ;;
	2)	# delete one path (alternating A and B), re-add it, reload the map
		if [ $(( (round / 5) % 2 )) -eq 0 ]; then p=A; else p=B; fi
		d=$(sdev $p $k)
		echo 1 > $S/$d/device/delete
		# The old device may still be going away: scan until it is back.
		for i in 1 2 3 4 5 6 7 8 9 10; do
			echo "- - -" > /sys/class/scsi_host/host${d%%:*}/scan
			[ -n "$(blk $d)" ] && break
			sleep 2
		done
		if wait_blk $d; then
			remember $p $k
			echo 1 > $S/$d/device/rescan
			dmsetup reload mp$k --noudevsync --table "$(table $k)" &&
				dmsetup resume mp$k --noudevsync || bad "reload mp$k after re-adding $d"
			n_del=$((n_del + 1))
		else
			bad "round $round: $d did not come back"
		fi ;;
	3)	# activate (STPG) the standby path of LU k
		for p in A B; do
			d=$(sdev $p $k)
			[ "$(rd $S/$d/device/access_state)" = standby ] || continue
			echo activate > $S/$d/device/dh_state || bad "round $round: activate $d"
			n_act=$((n_act + 1))
			break
		done ;;
	4)	for p in A B; do echo 1 > $S/$(sdev $p $k)/device/rescan; done
		n_rescan=$((n_rescan + 1)) ;;
	esac
	t_a=$(now)
	sleep 1
	reinstate
	echo "round $round: step $((round % 5)) LU $k ${t_a}-${t_r}s, reinstate $(( $(now) - t_a - 1 ))s"
	round=$((round + 1))
done
echo "STRESS loop: rounds=$round flips=$n_flip flips_with_delay=$n_flip_td deletes=$n_del activates=$n_act rescans=$n_rescan"

# --- settle: gA active/optimized everywhere, then stop and check the I/O --
k=0
while [ $k -lt $NLU ]; do
	D=$C/core/fileio_0/lu$k/alua
	echo 0 > $D/gA/trans_delay_msecs; echo 0 > $D/gB/trans_delay_msecs
	echo 2 > $D/gB/alua_access_state; echo 0 > $D/gA/alua_access_state
	k=$((k + 1))
done
reinstate
sleep 3
reinstate
sleep 2
: > /tmp/vio-stop
k=0 ios=0 maxp=0
while [ $k -lt $NLU ]; do
	eval wait \$vio$k
	rc=$?
	line=$(grep '^VIO ' /tmp/vio$k.log | tail -1)
	echo "mp$k: $line"
	set -- $(echo "$line" | tr ' =' '\n ' | awk 'NF == 2 { print $2 }')
	# ios writes reads errors werr rerr mismatches hung max_pause_us ...
	if [ $rc -eq 0 ] && [ "${4:-x}" = 0 ] && [ "${7:-x}" = 0 ] && [ "${8:-x}" = 0 ] && [ "${1:-0}" -gt 0 ]; then
		ok "mp$k: $1 I/Os, no error, no mismatch, longest pause $(( ${9:-0} / 1000 )) ms"
	else
		bad "mp$k: salua_vio exit $rc: $line"
		tail -5 /tmp/vio$k.log
	fi
	ios=$((ios + ${1:-0}))
	[ "${9:-0}" -gt $maxp ] && maxp=${9:-0}
	k=$((k + 1))
done
echo "STRESS io: ios=$ios max_pause_ms=$((maxp / 1000))"
k=0
while [ $k -lt $NLU ]; do
	a=$(cat $S/$(sdev A $k)/device/access_state) b=$(cat $S/$(sdev B $k)/device/access_state)
	# The last write reached the engine by UA or by the I/O that saw it.
	i=0
	while { [ "$a" != active/optimized ] || [ "$b" != standby ]; } && [ $i -lt 50 ]; do
		for p in A B; do echo 1 > $S/$(sdev $p $k)/device/rescan; done
		sleep 0.2; i=$((i + 1))
		a=$(cat $S/$(sdev A $k)/device/access_state) b=$(cat $S/$(sdev B $k)/device/access_state)
	done
	[ "$a" = active/optimized ] && [ "$b" = standby ] && ok "mp$k: A $a, B $b" || bad "mp$k: A '$a' B '$b'"
	k=$((k + 1))
done
dmsetup status

# --- teardown: maps, devices (= detach), module ---------------------------
k=0
while [ $k -lt $NLU ]; do dmsetup remove mp$k --noudevsync || bad "dmsetup remove mp$k"; k=$((k + 1)); done
for d in $(ls $S); do echo 1 > $S/$d/device/delete; done
i=0
while ! rmmod salua_dh 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q '^salua_dh ' /proc/modules && bad "rmmod salua_dh" || ok "rmmod salua_dh"
sp=$(dmesg | grep -c ': optimize_stpg 1$')
[ "$sp" -ge $((NLU / 2)) ] && ok "set_params: $sp" || bad "set_params: $sp, want >= $((NLU / 2))"
att=$(dmesg | grep -c 'salua: attached') det=$(dmesg | grep -c 'salua: detached')
[ "$att" -eq "$det" ] && ok "$att attaches, $det detaches" || bad "$att attaches, $det detaches"
echo "STRESS done fails=$fails"
[ $fails -eq 0 ]
