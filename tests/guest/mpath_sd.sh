# SPDX-License-Identifier: GPL-2.0-only
# Sourced by mpath_lio.sh (SCSI_DEBUG=1), after its LIO scenarios: the
# head over scsi_debug, implicit ALUA only.  Six hosts share one LU (one
# RAM store); the state of a host's group is host_no mod 3: active/
# optimized, active/non-optimized, standby.
#   sd_spread   round-robin: I/O on both AO paths, none on ANO or standby
#   sd_lose_ao  both AO paths deleted under load: I/O goes on through the
#               ANO paths without an error
before=$(ls /sys/class/scsi_device)
modprobe scsi_debug vpd_use_hostno=0 add_host=6 num_tgts=1 delay=0 ||
	{ bad "scsi_debug"; return; }
SD_AO= SD_ANO= SD_S=
i=0
while [ $i -lt 100 ]; do
	n=0
	for d in $(ls /sys/class/scsi_device); do
		echo "$before" | grep -qx "$d" || n=$((n + 1))
	done
	[ $n -ge 6 ] && break
	sleep 0.1
	i=$((i + 1))
done
for d in $(ls /sys/class/scsi_device); do
	echo "$before" | grep -qx "$d" && continue
	case $(( ${d%%:*} % 3 )) in
	0) SD_AO="$SD_AO $d" ;;
	1) SD_ANO="$SD_ANO $d" ;;
	2) SD_S="$SD_S $d" ;;
	esac
done
echo "scsi_debug: AO:$SD_AO ANO:$SD_ANO S:$SD_S"
SH=
i=0
while [ -z "$SH" ] && [ $i -lt 100 ]; do
	for f in /sys/block/salua*/salua/lu_name; do
		[ -e "$f" ] && [ "$(cat $f)" != "$LIO_LU" ] && { f=${f#/sys/block/}; SH=${f%%/*}; }
	done
	[ -n "$SH" ] || sleep 0.1
	i=$((i + 1))
done
[ -n "$SH" ] || { bad "no head for scsi_debug"; return; }
SD_LU=$(cat /sys/block/$SH/salua/lu_name)
wait_paths $SH 6 100 && ok "scsi_debug: $SH for $SD_LU, 6 paths" || bad "$SH: $(npaths $SH) paths"
for x in "$SD_AO active/optimized" "$SD_ANO active/non-optimized" "$SD_S standby"; do
	set -- $x
	st=$3
	for d in $1 $2; do
		wait_pstate $SH $(sd_of $d) $st 100 || bad "$d: $(pstate $SH $(sd_of $d)), want $st"
	done
done
cat /sys/block/$SH/salua/paths
echo round-robin > /sys/block/$SH/salua/iopolicy

for d in $SD_AO $SD_ANO $SD_S; do eval "s0_$(sd_of $d)=$(dstat $(sd_of $d))"; done
vio_start sd_spread /dev/$SH
sleep 2.5
vio_stop sd_spread
scen sd_spread serve
tot=0
for d in $SD_AO $SD_ANO $SD_S; do
	s=$(sd_of $d); eval "n=\$((\$(dstat $s) - \$s0_$s))"; eval "n_$s=$n"; tot=$((tot + n))
done
for d in $SD_AO; do
	s=$(sd_of $d); eval "n=\$n_$s"
	[ $((n * 100 / tot)) -ge 25 ] && ok "sd_spread: AO $s $n of $tot I/Os" ||
		bad "sd_spread: AO $s only $n of $tot I/Os"
done
for d in $SD_ANO $SD_S; do
	s=$(sd_of $d); eval "n=\$n_$s"
	[ "$n" = 0 ] && ok "sd_spread: $s ($(pstate $SH $s)) no I/O" || bad "sd_spread: $s $n I/Os"
done

for d in $SD_ANO; do eval "s0_$(sd_of $d)=$(dstat $(sd_of $d))"; done
vio_start sd_lose_ao /dev/$SH
sleep 1
for d in $SD_AO; do sdev_del $d; done
wait_paths $SH 4 50 || bad "sd_lose_ao: $(npaths $SH) paths"
sleep 1.5
vio_stop sd_lose_ao
scen sd_lose_ao serve
for d in $SD_ANO; do
	s=$(sd_of $d); eval "n=\$((\$(dstat $s) - \$s0_$s))"
	[ "$n" -gt 0 ] && ok "sd_lose_ao: ANO $s took $n I/Os" || bad "sd_lose_ao: ANO $s no I/O"
done
echo 0 > /sys/block/$SH/salua/no_path_timeout
