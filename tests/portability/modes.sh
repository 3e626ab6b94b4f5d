#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# modes.sh CC INCDIR OUTDIR
# Build the build-mode program from several TUs (one SALUA_IMPLEMENTATION TU
# that includes the declarations first, default-mode TUs, two SALUA_STATIC
# TUs, C++ TUs in default and static mode), link it and run it.
set -euo pipefail
. "$(dirname "$0")/common.sh"

cc=$1 inc=$2 out=$3
cxx=$(cxx_of "$cc")
src=$(cd "$(dirname "$0")/modes" && pwd)
need "$cc" "$cxx" nm
mkdir -p "$out"

{
	echo "/* generated: every public header, alphabetically */"
	for h in "$inc"/salua/*.h; do
		echo "#include \"salua/$(basename "$h")\""
	done
} >"$out/all_headers.h"

cflags=(-std=c99 -pedantic-errors "${SALUA_CWARN[@]}" -O2 -I"$inc" -I"$out" -I"$src")
cxxflags=(-std=c++11 -pedantic-errors "${SALUA_CXXWARN[@]}" -O2 -I"$inc" -I"$out" -I"$src")

run "$cc" "${cflags[@]}" -c "$src/tu_impl.c" -o "$out/tu_impl.o"
have=$(have_flags "$out/tu_impl.o")
echo "implemented checks:${have:- none beyond the inline helpers}"
# shellcheck disable=SC2086
run "$cc" "${cflags[@]}" $have -c "$src/tu_impl.c" -o "$out/tu_impl.o"
for t in tu_decl tu_static_a tu_static_b main; do
	# shellcheck disable=SC2086
	run "$cc" "${cflags[@]}" $have -c "$src/$t.c" -o "$out/$t.o"
done
for t in tu_cxx_decl tu_cxx_static; do
	# shellcheck disable=SC2086
	run "$cxx" "${cxxflags[@]}" $have -c "$src/$t.cpp" -o "$out/$t.o"
done

# Static-mode objects must not export any salua symbol.
for t in tu_static_a tu_static_b tu_cxx_static tu_decl tu_cxx_decl; do
	bad=$(nm --defined-only -g "$out/$t.o" | awk '{print $NF}' | grep -i salua || true)
	if [ -n "$bad" ]; then
		echo "FAIL: $t.o exports: $bad"
		exit 1
	fi
done

run "$cxx" -o "$out/modes" "$out"/tu_*.o "$out/main.o"
run "$out/modes"
