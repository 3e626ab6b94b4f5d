#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# header.sh CC STD HEADER INCDIR OUTDIR
# Compile a TU that includes only HEADER, in each build mode (declarations,
# SALUA_IMPLEMENTATION, SALUA_STATIC), with the full warning list and
# -Werror.  CC is gcc or clang; STD is c99, gnu11 or cxx11 (then the
# matching C++ compiler is used).
set -euo pipefail
. "$(dirname "$0")/common.sh"

cc=$1 std=$2 hdr=$3 inc=$4 out=$5
name=$(basename "$hdr")
mkdir -p "$out"

case $std in
c99)   comp=$cc; flags=(-x c -std=c99 -pedantic-errors "${SALUA_CWARN[@]}"); ext=c ;;
gnu11) comp=$cc; flags=(-x c -std=gnu11 -pedantic-errors "${SALUA_CWARN[@]}"); ext=c ;;
cxx11) comp=$(cxx_of "$cc"); flags=(-x c++ -std=c++11 -pedantic-errors "${SALUA_CXXWARN[@]}"); ext=cpp ;;
*) echo "unknown std $std" >&2; exit 2 ;;
esac
need "$comp" nm

tu=$out/alone.$ext
printf '/* only %s */\n#include "salua/%s"\n' "$name" "$name" >"$tu"

for mode in "" -DSALUA_IMPLEMENTATION -DSALUA_STATIC; do
	run "$comp" "${flags[@]}" -O2 -I"$inc" $mode -c "$tu" -o "$out/alone.o"
	# In declaration and static modes nothing may be exported.
	if [ "$mode" != -DSALUA_IMPLEMENTATION ]; then
		ext_syms=$(nm --defined-only -g "$out/alone.o" | awk '{print $NF}')
		if [ -n "$ext_syms" ]; then
			echo "FAIL: ${mode:-declarations} mode exports: $ext_syms"
			exit 1
		fi
	fi
done
echo "OK: $name alone, $std, $comp, 3 modes"
