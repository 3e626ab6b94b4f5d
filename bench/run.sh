#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Every salua benchmark, one summary table, then each benchmark's details.
#
#   bench/run.sh [--build-dir DIR] [--no-build] [--no-e2e] [--no-mpath] [-q]
#                [--out FILE]
#
#   --build-dir DIR  build tree (default: build-bench next to this repo's
#                    top directory; configured as Release if new).  The
#                    benchmarks are built with -O2 whatever the build type.
#   --no-build       use the binaries already in DIR/bench.
#   --no-e2e         skip the end-to-end row (it boots a QEMU guest on
#                    scsi_debug, about 1-3 minutes under TCG).
#   --no-mpath       skip the native multipath rows (bench/mpath/run.sh: a
#                    guest per kernel, 6.1 and 6.12, about 4 minutes each).
#   -q               smoke run: fewer sizes and repetitions.
#   --out FILE       also write everything to FILE.
#
# Benchmarks measure, tests assert: nothing here fails on a slow machine.
# The exit status is 0 when every benchmark ran and its results agreed
# with the peer's (bench_codecs checks that before timing).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bdir=$top/build-bench build=1 e2e=1 mpath=1 quick= out=
while [ $# -gt 0 ]; do
	case $1 in
	--build-dir) bdir=$2; shift 2 ;;
	--no-build) build=; shift ;;
	--no-e2e) e2e=; shift ;;
	--no-mpath) mpath=; shift ;;
	-q) quick=-q; shift ;;
	--out) out=$2; shift 2 ;;
	*) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
if [ -n "$out" ]; then
	exec > >(tee "$out") 2>&1
fi

if [ -n "$build" ]; then
	if [ ! -f "$bdir/CMakeCache.txt" ]; then
		cmake -S "$top" -B "$bdir" -DCMAKE_BUILD_TYPE=Release >/dev/null
	fi
	cmake --build "$bdir" -j2 --target bench_selector bench_codecs \
		bench_engine bench_host >/dev/null
fi

tmp=$(mktemp -d /tmp/salua-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
rows=$tmp/rows.md
: >"$rows"
rc=0
load0=$(cut -d' ' -f1-3 /proc/loadavg)

run() { # name, args...
	local n=$1
	shift
	if [ -x "$bdir/bench/$n" ]; then
		"$bdir/bench/$n" "$@" >"$tmp/$n.md" 2>&1 || {
			echo "run.sh: $n failed (exit $?)" >&2
			rc=1
		}
	else
		echo "run.sh: $bdir/bench/$n not built" >&2
		rc=1
	fi
}

run bench_codecs $quick --rows "$rows"
run bench_engine $quick --rows "$rows"
run bench_selector $quick
run bench_host $quick --rows "$rows"

# Selector summary rows from its table (policy | paths | class | ours 1T |
# naive 1T | naive/ours 1T | ...).
if [ -f "$tmp/bench_selector.md" ]; then
	awk -F'|' '
	function t(s) { gsub(/^ +| +$/, "", s); return s }
	t($2) == "round-robin" && t($3) == "1024" {
		printf "| selector | round-robin pick, 1024 paths (ns/op; naive scan as peer) | %s | %s | %s | <= 5 ns, >= 10x | %s |\n",
			t($5), t($6), t($7), (t($5) + 0 <= 5 && t($7) + 0 >= 10) ? "yes" : "**no**" }
	t($2) == "queue-depth" && t($3) == "64" {
		printf "| selector | queue-depth pick, 64 paths (ns/op; naive scan as peer) | %s | %s | %s | <= 20 ns | %s |\n",
			t($5), t($6), t($7), (t($5) + 0 <= 20) ? "yes" : "**no**" }
	t($2) == "queue-depth" && t($3) == "1024" {
		printf "| selector | queue-depth pick, 1024 paths (ns/op; naive scan as peer) | %s | %s | %s | >= 10x | %s |\n",
			t($5), t($6), t($7), (t($7) + 0 >= 10) ? "yes" : "**no**" }
	' "$tmp/bench_selector.md" >>"$rows"
fi

# guest_rows NAME CASE: bench/NAME/run.sh (a QEMU guest) adds its rows;
# exit 77 (cannot run here) gives a "skipped" row instead.
guest_rows() {
	local flags=() st=0
	[ -n "$build" ] || flags=(--no-build)
	"$here/$1/run.sh" --build-dir "$bdir" --rows "$rows" "${flags[@]}" \
		>"$tmp/$1.md" 2>&1 || st=$?
	if [ $st -eq 77 ]; then
		echo "| $2 | skipped: $(tail -n 1 "$tmp/$1.md") | - | - | - | - |" >>"$rows"
	elif [ $st -ne 0 ]; then
		echo "run.sh: $1 run failed (exit $st)" >&2
		rc=1
	fi
}
[ -z "$e2e" ] || guest_rows e2e "end to end | alua_probe --json vs sg_inq + sg_vpd + sg_rtpg (QEMU guest)"
[ -z "$mpath" ] || guest_rows mpath "native multipath | head vs dm-multipath vs one path (QEMU guest)"
load1=$(cut -d' ' -f1-3 /proc/loadavg)

echo "# salua benchmarks"
echo
sed -n '/^- CPU:/,/^- Compiler:/p' "$tmp/bench_codecs.md" 2>/dev/null | head -n 3
echo "- Load average (1/5/15 min) before: $load0; after: $load1 ($(nproc) online cores shared with other work)"
echo "- Ratios are peer / ours (> 1: ours faster); absolute times on a shared machine are indicative only"
echo
echo "| benchmark | case | ours | peer | peer/ours | target | met |"
echo "|---|---|---|---|---|---|---|"
cat "$rows"
echo
for n in bench_codecs bench_engine bench_selector bench_host e2e mpath; do
	if [ -f "$tmp/$n.md" ]; then
		echo
		cat "$tmp/$n.md"
	fi
done
exit $rc
