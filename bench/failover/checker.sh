#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Path-checker benchmark (not a test): RTPGs per minute that the handlers
# send when a checker polls standby paths (bench/failover/checker_guest.sh).
#
#   bench/failover/checker.sh [--build-dir DIR] [--kv KV] [--luns N]
#                             [--paths N] [--every S] [--duration S]
#                             [--ko FILE --label NAME]
#
# --ko/--label: measure another build of the module (e.g. one from before
# the fix) in a separate boot, labelled NAME.  Default: 64 LUs x 4 standby
# paths, a TUR every 5 s for 60 s, salua and scsi_dh_alua.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bdir=$top/build kv= luns=64 paths=4 every=5 dur=60 ko= label=
while [ $# -gt 0 ]; do
	case $1 in
	--build-dir) bdir=$2; shift 2 ;;
	--kv) kv=$2; shift 2 ;;
	--luns) luns=$2; shift 2 ;;
	--paths) paths=$2; shift 2 ;;
	--every) every=$2; shift 2 ;;
	--duration) dur=$2; shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	--label) label=$2; shift 2 ;;
	*) echo "checker.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
cmake --build "$bdir" -j2 --target salua_vio salua_kmod >/dev/null
[ -n "$kv" ] || kv=$(sed -n 's/^SALUA_KERNELS:STRING=//p' "$bdir/CMakeCache.txt" | cut -d';' -f1)
tag=$(echo "$kv" | grep -Eo '^[0-9]+\.[0-9]+')
handlers="salua alua"
if [ -n "$ko" ]; then handlers=salua; else ko=$bdir/shims/linux/kbuild-$tag/salua_dh.ko; fi
work=$(mktemp -d /tmp/salua-checker.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf 'LUNS=%s\nPATHS=%s\nEVERY=%s\nDURATION=%s\nHANDLERS="%s"\n' "$luns" "$paths" "$every" "$dur" "$handlers" > "$work/bench.env"
"$top/tests/guest/run-guest.sh" --kv "$kv" --script "$here/checker_guest.sh" \
	--file "$top/tests/guest/dm_lib.sh:/dm_lib.sh" --file "$ko:/salua_dh.ko" \
	--file "$work/bench.env:/bench.env" --bin "$bdir/tests/guest-bin/salua_vio" \
	--modules "tcm_loop target_core_file target_core_mod configfs sd_mod scsi_dh_alua" \
	--mem 2048 --timeout $((600 + 2 * dur)) --work "$work/guest" --log "$work/log" >/dev/null ||
	{ echo "checker.sh: guest run failed" >&2; tail -30 "$work/log" >&2; exit 1; }
echo "== kernel $kv ($(nproc) host CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
grep -a '^CHECKER ' "$work/log" | sed "s/handler=salua /handler=${label:-salua} /"
