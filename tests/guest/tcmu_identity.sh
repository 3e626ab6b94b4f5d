# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Guest script (busybox sh): the kernel as an oracle for LU identity and
# access state (tests/guest/tcmu_oracle.c, checked by check_tcmu_identity.py).
#   A. salua-target serves VPD 0x83 from a file; tcmu_oracle swaps the page,
#      rescans and compares the kernel's wwid with salua_vpd83_lu_name().
#   B. the same with RTPG under scsi_dh_alua: access_state and
#      preferred_path against our decode.
# Each phase ends with SIGTERM and checks that nothing is left in configfs.
C=/sys/kernel/config/target
fails=0
bad() { echo "IDTEST FAIL $*"; fails=$((fails + 1)); }
ok() { echo "IDTEST ok   $*"; }
echo /bin/false > /proc/sys/kernel/modprobe
for m in configfs target_core_mod target_core_user uio tcm_loop sg; do
	modprobe $m || { bad "modprobe $m"; exit 1; }
done
grep -q " /sys/kernel/config " /proc/mounts || mount -t configfs configfs /sys/kernel/config
kasan=
grep -qw kasan_report /proc/kallsyms && kasan=--kasan
vec83=$(ls /vectors/vpd83/*.hex 2>/dev/null)
vecrt=$(ls /vectors/rtpg/*.hex 2>/dev/null)

# start OUT ARGS: salua-target in the background until "ready" + paths.
start() {
	out=$1; shift
	find $C | sort > /tmp/cfg.before
	salua-target "$@" > $out 2>&1 &
	pid=$!
	i=0
	while ! grep -q '^ready' $out && kill -0 $pid 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1; i=$((i + 1))
	done
	grep -q '^ready' $out || { cat $out; bad "salua-target $* not ready"; return 1; }
	ok "salua-target $* ready in $((i / 10)).$((i % 10)) s"
}
stop() {
	kill -TERM $pid
	wait $pid
	rc=$?
	[ $rc = 0 ] && grep -q '^stopped$' $1 && ok "SIGTERM: exit 0, stopped" || { cat $1; bad "stop rc=$rc"; }
	find $C | sort > /tmp/cfg.after
	diff /tmp/cfg.before /tmp/cfg.after > /tmp/cfg.diff && ok "configfs as before" ||
		{ cat /tmp/cfg.diff; bad "configfs objects left"; }
	[ -z "$(ls /sys/class/scsi_device)" ] && ok "SCSI devices gone" || bad "devices left: $(ls /sys/class/scsi_device)"
}

# A. VPD 0x83
if start /tmp/a.out luns=1,ports=1,vpd83=/tmp/p83.hex; then
	hctl=$(sed -n 2p /tmp/a.out | cut -d' ' -f1)
	t0=$(cut -d' ' -f1 /proc/uptime)
	tcmu_oracle vpd83 /tmp/p83.hex $hctl $kasan $vec83 || bad "tcmu_oracle vpd83"
	echo "IDTEST vpd83 phase took $(awk "BEGIN{print $(cut -d' ' -f1 /proc/uptime) - $t0}") s"
	stop /tmp/a.out
fi

# B. RTPG under scsi_dh_alua (loaded before the scan: it attaches itself)
modprobe scsi_dh_alua || bad "modprobe scsi_dh_alua"
if start /tmp/b.out luns=1,ports=1,tpgs=1,rtpg=/tmp/rtpg.hex,log=/tmp/b.log; then
	set -- $(sed -n 2p /tmp/b.out)
	hctl=$1 tpg=$4
	st=$(cat /sys/class/scsi_device/$hctl/device/access_state 2>/dev/null)
	[ "$st" = active/optimized ] && ok "scsi_dh_alua attached: $st" || bad "access_state '$st'"
	t0=$(cut -d' ' -f1 /proc/uptime)
	tcmu_oracle rtpg /tmp/rtpg.hex $hctl $tpg /tmp/b.log $kasan $vecrt || bad "tcmu_oracle rtpg"
	echo "IDTEST rtpg phase took $(awk "BEGIN{print $(cut -d' ' -f1 /proc/uptime) - $t0}") s"
	stop /tmp/b.out
fi
echo "IDTEST done fails=$fails"
[ $fails = 0 ]
