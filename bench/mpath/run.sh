#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Native multipath benchmark in a QEMU guest (bench/mpath/guest.sh): the
# head device against dm-multipath (round-robin; with the salua handler
# and with the kernel's scsi_dh_alua) and a single path, on the same LIO
# LU with the same load: IOPS and guest CPU per I/O at QD 1 and 32 as
# ratios (TCG absolute numbers mean nothing), and the longest I/O pause
# across a configfs failover with a 1 s transition.
#
#   bench/mpath/run.sh [--build-dir DIR] [--no-build] [--rows FILE]
#                      [--kernels "6.1 6.12"] [--reps N] [--dur S] [--fo N]
#
# Exit 77 when the guest cannot run here (the last line says why).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bdir=$top/build-bench rows= build=1 kernels="6.1 6.12" reps=3 dur=3 fo=3
while [ $# -gt 0 ]; do
	case $1 in
	--build-dir) bdir=$2; shift 2 ;;
	--rows) rows=$2; shift 2 ;;
	--no-build) build=; shift ;;
	--kernels) kernels=$2; shift 2 ;;
	--reps) reps=$2; shift 2 ;;
	--dur) dur=$2; shift 2 ;;
	--fo) fo=$2; shift 2 ;;
	*) echo "mpath/run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
skip() { echo "mpath: $*"; exit 77; }
command -v dmsetup >/dev/null || skip "dmsetup not installed"
if [ -n "$build" ]; then
	if [ ! -f "$bdir/CMakeCache.txt" ]; then
		cmake -S "$top" -B "$bdir" -DCMAKE_BUILD_TYPE=Release >/dev/null
	fi
	cmake --build "$bdir" -j2 --target salua_vio mpath_ctl salua_kmod >/dev/null 2>&1 ||
		skip "salua_vio, mpath_ctl or the kernel module not buildable here"
fi
vio=$bdir/tests/guest-bin/salua_vio ctl=$bdir/tests/guest-bin/mpath_ctl
[ -x "$vio" ] && [ -x "$ctl" ] || skip "no $vio or $ctl"

work=$(mktemp -d /tmp/salua-mpath-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf 'BENCH_DUR=%s\nBENCH_REPS=%s\nBENCH_FO=%s\n' "$dur" "$reps" "$fo" > "$work/bench.conf"
logs=()
for tag in $kernels; do
	ko=$bdir/shims/linux/kbuild-$tag/salua_dh.ko
	case $tag in
	6.1) kv=$(ls /lib/modules | grep -E '^6\.1\.0-[0-9]+-amd64$' | sort -V | tail -1) ;;
	*) kv=$(ls /lib/modules | grep -E "^${tag//./\\.}\.[0-9]+.*-amd64$" | sort -V | tail -1) ;;
	esac
	[ -n "$kv" ] && [ -f "$ko" ] || skip "kernel $tag or its module not available"
	mkdir -p "$work/share-$tag"
	st=0
	"$top/tests/guest/run-guest.sh" --kv "$kv" --script "$here/guest.sh" \
		--modules "scsi_mod sd_mod sg tcm_loop target_core_file target_core_mod configfs dm_mod dm_multipath dm_round_robin scsi_dh_alua" \
		--file "$ko:/salua_dh.ko" --file "$top/tests/guest/mpath_lib.sh:/mpath_lib.sh" \
		--file "$work/bench.conf:/etc/bench.conf" \
		--bin "$vio" --bin "$ctl" --bin "$(command -v dmsetup)" \
		--share "$work/share-$tag" \
		--timeout 1200 --work "$work/guest-$tag" --log "$work/$tag.log" \
		>"$work/run-$tag.out" 2>&1 || st=$?
	[ $st -ne 77 ] || skip "$(tail -n 1 "$work/run-$tag.out")"
	if [ $st -ne 0 ] || ! grep -q '^BENCH done' "$work/$tag.log"; then
		cat "$work/run-$tag.out" >&2
		grep -a 'BENCH' "$work/$tag.log" >&2 || true
		echo "mpath: guest run on $tag failed (exit $st)" >&2
		exit 1
	fi
	logs+=("$tag=$work/$tag.log")
done
python3 "$here/summary.py" --rows "${rows:-/dev/null}" --load "$(cut -d' ' -f1-3 /proc/loadavg)" "${logs[@]}"
