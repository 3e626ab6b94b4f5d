# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Guest script (busybox sh) for bench/e2e/run.sh: scsi_debug with 2 hosts x
# 4 LUNs (8 sg devices, 2 paths to each of 4 LUs), then, interleaved rep by
# rep, the wall time of `alua_probe --json` (all devices, one process) and
# of sg_inq + sg_vpd -p di + sg_rtpg -d for every device (3 processes per
# device); also a dynamically linked alua_probe (as installed, with
# libiscsi) when present as alua_probe_dyn.  Prints "E2E ..." lines for the host.
modprobe sg && modprobe sd_mod &&
	modprobe scsi_debug vpd_use_hostno=0 add_host=2 num_tgts=1 max_luns=4 ||
	exit 1
i=0
while [ ! -e /dev/sg7 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
devs=$(ls /dev/sg* | sort)
n=$(echo $devs | wc -w)
reps=${E2E_REPS:-15}
sg3() {
	for d in $devs; do
		sg_inq "$d" >/dev/null || return 1
		sg_vpd -p di "$d" >/dev/null || return 1
		sg_rtpg -d "$d" >/dev/null || return 1
	done
}
# One validation pass (and warm caches): every command must succeed.
alua_probe --json >/tmp/probe.json || { echo "E2E-FAIL alua_probe rc=$?"; exit 1; }
sg3 || { echo "E2E-FAIL sg3_utils"; exit 1; }
echo "E2E devices=$n probe_devices=$(grep -o '/dev/sg[0-9]*' /tmp/probe.json | sort -u | wc -l) reps=$reps"
r=0
while [ $r -lt $reps ]; do
	t0=$(nsclock)
	alua_probe --json >/dev/null
	t1=$(nsclock)
	sg3
	t2=$(nsclock)
	dyn=
	if command -v alua_probe_dyn >/dev/null; then
		alua_probe_dyn --json >/dev/null
		dyn=" dyn_ns=$(($(nsclock) - t2))"
	fi
	echo "E2E rep=$r probe_ns=$((t1 - t0)) sg3_ns=$((t2 - t1))$dyn"
	r=$((r + 1))
done
exit 0
