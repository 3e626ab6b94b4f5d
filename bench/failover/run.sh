#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Failover benchmark (not a test): the I/O pause across ALUA failovers under
# dm-multipath, salua against the kernel's scsi_dh_alua in the same guest
# boot and kernel, and the overshoot (the pause beyond the target's own
# transition), with every command the host sent to the LU during the pause.
# LIO over tcm_loop in a QEMU guest; bench/failover/guest.sh does the runs.
#
#   bench/failover/run.sh [--build-dir DIR] [--kv KV]... [--reps N] [--qd N]
#                         [--scens "failover failback trans5s"] [--params P]
#
# --kv: Debian kernels to boot (default: each kernel CMake registered: 6.1
# and 6.12); --params: salua_dh module parameters.  Prints one table per
# kernel: median and max pause and overshoot per scenario and handler, the
# commands, and salua's overshoot as a fraction of scsi_dh_alua's; each
# cell's last run leaves its I/O timeline and events in BUILD/timelines
# (dm-SCEN-6_1.HANDLER.tl[.events]; bench/timeline/pictures.sh BUILD
# draws them).  Timing
# under TCG: run on a quiet machine; say in any report what else ran.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bdir=$top/build reps=5 qd=2 scens="failover failback trans5s" params= kvs=()
while [ $# -gt 0 ]; do
	case $1 in
	--build-dir) bdir=$2; shift 2 ;;
	--kv) kvs+=("$2"); shift 2 ;;
	--reps) reps=$2; shift 2 ;;
	--qd) qd=$2; shift 2 ;;
	--scens) scens=$2; shift 2 ;;
	--params) params=$2; shift 2 ;;
	*) echo "failover/run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
cmake --build "$bdir" -j2 --target salua_vio salua_kmod >/dev/null
if [ ${#kvs[@]} -eq 0 ]; then
	kvs=($(sed -n 's/^SALUA_KERNELS:STRING=//p' "$bdir/CMakeCache.txt" | tr ';' ' '))
fi
work=$(mktemp -d /tmp/salua-failover.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf 'REPS=%s\nQD=%s\nSCENS="%s"\nSALUA_PARAMS="%s"\n' "$reps" "$qd" "$scens" "$params" > "$work/bench.env"
for kv in "${kvs[@]}"; do
	tag=$(echo "$kv" | grep -Eo '^[0-9]+\.[0-9]+')
	ko=$bdir/shims/linux/kbuild-$tag/salua_dh.ko
	log=$work/$tag.log
	"$top/tests/guest/run-guest.sh" --kv "$kv" --script "$here/guest.sh" \
		--file "$top/tests/guest/dm_lib.sh:/dm_lib.sh" --file "$ko:/salua_dh.ko" \
		--file "$work/bench.env:/bench.env" \
		--bin "$bdir/tests/guest-bin/salua_vio" --bin "$(command -v dmsetup)" \
		--modules "tcm_loop target_core_file target_core_mod configfs sd_mod dm-multipath dm-round-robin scsi_dh_alua" \
		--timeout $((300 + reps * 120)) --work "$work/guest-$tag" --log "$log" >/dev/null ||
		{ echo "failover/run.sh: guest run on $kv failed; log: $log" >&2; tail -40 "$log" >&2; exit 1; }
	echo "== kernel $kv, QD $qd, $reps runs per cell (TCG guest; $(nproc) host CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
	grep -a '^BENCH ' "$log" | python3 "$here/table.py"
	# Timelines of each cell's last run: bench/timeline/pictures.sh draws
	# BUILD/timelines/dm-SCEN-6_1.HANDLER.tl side by side.
	mkdir -p "$bdir/timelines"
	awk -v dir="$bdir/timelines" -v tag="$(echo "$tag" | tr . _)" '
		/^TL-BEGIN / { f = $2; sub(/\./, "-" tag ".", f); f = dir "/" f; printf "" > f; next }
		/^TL-END/ { if (f) close(f); f = ""; next }
		f && !/^\[ *[0-9]+\.[0-9]+\]/ { sub(/\r$/, ""); print >> f }' "$log"
	for sc in $scens; do
		echo "dm-multipath on LIO, Debian $kv (TCG guest): $sc, verified I/O (salua_vio), salua vs alua (= scsi_dh_alua)" \
			> "$bdir/timelines/dm-$sc-$(echo "$tag" | tr . _).title"
	done
	echo "timelines: $bdir/timelines/dm-*-$(echo "$tag" | tr . _).*"
done
