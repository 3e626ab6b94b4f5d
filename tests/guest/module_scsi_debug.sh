# SPDX-License-Identifier: GPL-2.0-only
# Guest script (busybox sh) for the salua device handler against scsi_debug
# (three hosts = three paths to one LU, scsi_dh_alua never loaded):
#   1. selftest=1 passes in the kernel;
#   2. attach "salua" to every device through dh_state;
#   3. access_state follows scsi_debug's rule host_no mod 3
#      (active/optimized, active/non-optimized, standby);
#   4. dd with O_DIRECT succeeds on the AO and ANO paths and fails fast on
#      the standby path.
# Prints "MODTEST ok|FAIL ..." lines; exits non-zero on any failure.
fails=0
ok() { echo "MODTEST ok   $*"; }
bad() { echo "MODTEST FAIL $*"; fails=$((fails + 1)); }
ms() { cut -d' ' -f1 /proc/uptime | tr -d .; }	# centiseconds

[ -e /proc/modules ] && grep -q '^scsi_dh_alua ' /proc/modules && bad "scsi_dh_alua is loaded"
# Never let the kernel auto-load scsi_dh_alua for TPGS devices.
echo /bin/false > /proc/sys/kernel/modprobe 2>/dev/null

modprobe scsi_mod
# 1. The core's checks inside the kernel.
if insmod /salua_dh.ko selftest=1; then
	ok "insmod selftest=1: $(dmesg | grep 'selftest:' | tail -1)"
else
	bad "insmod selftest=1 refused: $(dmesg | grep 'selftest' | tail -5)"
	exit 1
fi
dmesg | grep -q 'salua: selftest: [0-9]* passed, 0 failed' && ok "selftest count" ||
	bad "selftest count"

modprobe sd_mod && modprobe scsi_debug vpd_use_hostno=0 add_host=3 num_tgts=1 dev_size_mb=8 ||
	{ bad "modprobe scsi_debug"; exit 1; }
i=0
while [ "$(ls /sys/class/scsi_disk 2>/dev/null | wc -l)" -lt 3 ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
devs=$(ls /sys/class/scsi_device | tr "\n" " ")
echo "devices: $devs"

# 2./3. attach and access_state.
for d in $devs; do
	s=/sys/class/scsi_device/$d/device
	t0=$(ms)
	if echo salua > $s/dh_state; then
		ok "$d attach ($(( ($(ms) - t0) * 10 )) ms)"
	else
		bad "$d attach"
	fi
	[ "$(cat $s/dh_state)" = salua ] && ok "$d dh_state salua" || bad "$d dh_state $(cat $s/dh_state)"
	h=${d%%:*}
	case $((h % 3)) in
	0) want=active/optimized ;;
	1) want=active/non-optimized ;;
	2) want=standby ;;
	esac
	got=$(cat $s/access_state)
	[ "$got" = "$want" ] && ok "$d access_state $got (host $h mod 3)" ||
		bad "$d access_state '$got', want '$want'"
	echo "$d preferred_path $(cat $s/preferred_path)"
done

# 4. direct I/O per path.
for d in $devs; do
	s=/sys/class/scsi_device/$d/device
	b=$(ls $s/block)
	st=$(cat $s/access_state)
	t0=$(ms)
	if dd if=/dev/$b of=/dev/null bs=4096 count=64 iflag=direct 2>/tmp/dd.err; then
		r=0
	else
		r=1
	fi
	el=$(( ($(ms) - t0) * 10 ))
	case $st in
	standby)
		if [ $r -ne 0 ] && [ $el -lt 2000 ]; then
			ok "$d ($b, $st) dd failed fast in $el ms: $(tail -1 /tmp/dd.err)"
		else
			bad "$d ($b, $st) dd rc=$r in $el ms"
		fi ;;
	*)
		[ $r -eq 0 ] && ok "$d ($b, $st) dd read 256 KiB in $el ms" ||
			bad "$d ($b, $st) dd failed: $(cat /tmp/dd.err)"
		;;
	esac
	t0=$(ms)
	if dd if=/dev/zero of=/dev/$b bs=4096 count=16 oflag=direct 2>/tmp/dd.err; then r=0; else r=1; fi
	case $st in
	standby) [ $r -ne 0 ] && ok "$d write refused on standby" || bad "$d write went through on standby" ;;
	*) [ $r -eq 0 ] && ok "$d write ok" || bad "$d write failed: $(cat /tmp/dd.err)" ;;
	esac
done

# The handler pins its module while attached.
rmmod salua_dh 2>/dev/null && bad "rmmod succeeded while attached" || ok "rmmod refused while attached"

echo "MODTEST done fails=$fails"
echo "--- salua dmesg"
dmesg | grep -i 'salua' | head -40
[ $fails -eq 0 ]
