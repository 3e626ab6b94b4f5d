#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Build the libFuzzer targets with clang and run one of them.
#
#   fuzz/run.sh TARGET [SECONDS]      fuzz TARGET for SECONDS (default 60)
#   fuzz/run.sh --list                the targets
#   fuzz/run.sh --minimize TARGET     rewrite fuzz/corpus/TARGET as a
#                                     -merge=1 of itself plus new finds
# Options (before TARGET):
#   --build DIR   clang build directory (default $SALUA_FUZZ_BUILD or
#                 build-fuzz at the top of the tree)
#   --no-build    use the binaries already in the build directory
#   --work DIR    scratch corpus and crash artifacts (default DIR/work)
#   --fork N      libFuzzer -fork=N (long runs on N cores)
#   --merge       after the run, merge what it found into fuzz/corpus
#
# New inputs go to WORK/corpus/TARGET, never into the repository unless
# --merge or --minimize is given.  A crash leaves WORK/TARGET-crash-*: add
# it as fuzz/corpus/TARGET/regression_<what> once fixed.  The last line
# is a summary: execs, execs/s, coverage, corpus size.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${SALUA_FUZZ_BUILD:-$root/build-fuzz}
work=""
do_build=1
fork=0
merge=0
minimize=0
clang=${SALUA_FUZZ_CC:-$(command -v clang-14 || command -v clang || true)}

usage() { sed -n '4,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--no-build) do_build=0; shift ;;
	--work) work=$2; shift 2 ;;
	--fork) fork=$2; shift 2 ;;
	--merge) merge=1; shift ;;
	--minimize) minimize=1; shift ;;
	--list)
		for f in "$here"/fuzz_*.c; do
			n=${f##*/fuzz_}; echo "${n%.c}"
		done
		exit 0 ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
target=$1
seconds=${2:-60}
[ -f "$here/fuzz_$target.c" ] || { echo "run.sh: no target $target" >&2; exit 2; }
work=${work:-$build/work}

if [ "$do_build" = 1 ]; then
	[ -n "$clang" ] || { echo "run.sh: clang not found" >&2; exit 77; }
	cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER="$clang" \
		-DSALUA_FUZZ_MODE=libfuzzer >/dev/null
	cmake --build "$build" --target "fuzz_$target" -j2 >/dev/null
fi
bin=$build/fuzz_$target
[ -x "$bin" ] || { echo "run.sh: $bin not built" >&2; exit 77; }

seeds=$here/corpus/$target
scratch=$work/corpus/$target
mkdir -p "$scratch" "$work/artifacts" "$seeds"
log=$work/$target.log

# Structured inputs (engine, selector, round trips) want room.
opts=(-max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
      -artifact_prefix="$work/artifacts/$target-")

if [ "$minimize" = 1 ]; then
	tmp=$(mktemp -d)
	# -use_counters=0: keep inputs that add edges, not hit-count buckets,
	# so the corpus in the tree stays at tens of files.
	"$bin" "${opts[@]}" -use_counters=0 -merge=1 "$tmp" "$seeds" "$scratch" \
		>"$log" 2>&1
	# Keep names of inputs already in the repository; name new ones
	# by content; regression files always stay.
	declare -A keep=()
	for f in "$tmp"/*; do
		[ -e "$f" ] || continue
		keep[$(sha1sum <"$f" | cut -c1-40)]=$f
	done
	for f in "$seeds"/*; do
		[ -e "$f" ] || continue
		h=$(sha1sum <"$f" | cut -c1-40)
		case ${f##*/} in
		regression_*) unset "keep[$h]" ;;
		*) if [ -n "${keep[$h]:-}" ]; then unset "keep[$h]"; else rm -f "$f"; fi ;;
		esac
	done
	for h in "${!keep[@]}"; do
		cp "${keep[$h]}" "$seeds/cov_${h:0:16}"
	done
	rm -rf "$tmp"
	echo "fuzz.$target: corpus $(find "$seeds" -type f | wc -l) files," \
		"$(du -sk "$seeds" | cut -f1) KiB"
	exit 0
fi

[ "$fork" -gt 0 ] && opts+=(-fork="$fork" -ignore_crashes=0)
set +e
"$bin" "${opts[@]}" -max_total_time="$seconds" "$scratch" "$seeds" >"$log" 2>&1
rc=$?
set -e
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -E '^#[0-9]+.*(DONE|INITED|NEW|REDUCE|pulse)' "$log" | tail -1 |
	sed -n 's/.* cov: \([0-9]*\).* ft: \([0-9]*\).*/\1 edges, \2 features/p')
if [ "$rc" != 0 ]; then
	grep -E 'FUZZ_CHECK|ERROR: |runtime error|SUMMARY|Test unit written' "$log" | head -20 >&2
	echo "fuzz.$target: FAILED (exit $rc) after ${execs:-?} execs; log $log" >&2
	exit 1
fi
if [ "$merge" = 1 ]; then
	"$0" --no-build --build "$build" --work "$work" --minimize "$target"
fi
echo "fuzz.$target: ${execs:-?} execs in ${seconds} s, ${rate:-?} execs/s," \
	"${cov:-coverage ?}, scratch corpus $(find "$scratch" -type f | wc -l) files"
