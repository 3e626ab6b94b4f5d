#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Line and branch coverage of the core (include/salua/*.h) reached by the
# corpus in fuzz/corpus: every target's replay driver is built with clang
# -fprofile-instr-generate -fcoverage-mapping, run over its corpus, and
# the profiles are merged and reported with llvm-cov.
#
#   fuzz/coverage.sh [--build DIR] [--html DIR] [--corpus-extra DIR]
#
#   --build DIR         build directory (default build-fuzz-cov)
#   --html DIR          also write an HTML report there
#   --corpus-extra DIR  also replay DIR/<target>/ (e.g. a run.sh scratch
#                       corpus, build-fuzz/work/corpus)
# Environment: SALUA_FUZZ_CC, LLVM_PROFDATA, LLVM_COV (default the -14
# tools when present).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$root/build-fuzz-cov
html=""
extra=""
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--html) html=$2; shift 2 ;;
	--corpus-extra) extra=$2; shift 2 ;;
	*) sed -n '4,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done
pick() { for t in "$@"; do command -v "$t" && return 0; done; return 1; }
cc=${SALUA_FUZZ_CC:-$(pick clang-14 clang)} || { echo "coverage.sh: no clang" >&2; exit 77; }
profdata=${LLVM_PROFDATA:-$(pick llvm-profdata-14 llvm-profdata)} || { echo "coverage.sh: no llvm-profdata" >&2; exit 77; }
cov=${LLVM_COV:-$(pick llvm-cov-14 llvm-cov)} || { echo "coverage.sh: no llvm-cov" >&2; exit 77; }

cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER="$cc" \
	-DSALUA_FUZZ_MODE=coverage >/dev/null
cmake --build "$build" -j2 >/dev/null
prof=$build/profiles
rm -rf "$prof"
mkdir -p "$prof"
objs=()
for src in "$here"/fuzz_*.c; do
	t=${src##*/fuzz_}
	t=${t%.c}
	dirs=("$here/corpus/$t")
	[ -n "$extra" ] && [ -d "$extra/$t" ] && dirs+=("$extra/$t")
	LLVM_PROFILE_FILE="$prof/$t.profraw" "$build/cov_$t" "${dirs[@]}" >/dev/null
	objs+=(-object "$build/cov_$t")
done
"$profdata" merge -sparse "$prof"/*.profraw -o "$prof/all.profdata"
# The first -object is given as the binary argument.
args=("${objs[@]:1}" -instr-profile="$prof/all.profdata")
headers=("$root"/include/salua/*.h)
echo "== per-file coverage of include/salua (all fuzz corpora replayed)"
"$cov" report "${objs[1]}" "${args[@]}" "${headers[@]}" |
	sed "s|$root/||"
if [ -n "$html" ]; then
	"$cov" show "${objs[1]}" "${args[@]}" -format=html \
		-show-branches=count -output-dir="$html" "${headers[@]}"
	echo "HTML report: $html/index.html"
fi
