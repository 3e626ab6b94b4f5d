#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# install.sh CMAKE GENERATOR SRCDIR OUTDIR
# Build and `cmake --install` salua into OUTDIR/prefix, then build and run
#  - a CMake consumer (find_package(salua)): salua::headers with its own
#    SALUA_IMPLEMENTATION TU, and salua::salua linked;
#  - pkg-config consumers: `pkg-config --cflags --libs salua` (linked) and
#    `--cflags` only with an implementation TU (header-only).
set -euo pipefail
. "$(dirname "$0")/common.sh"

cmake=$1 gen=$2 src=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
need cc pkg-config nm
rm -rf "$out"
mkdir -p "$out"
prefix=$out/prefix

run "$cmake" -G "$gen" -S "$src" -B "$out/build" -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_INSTALL_PREFIX="$prefix" -DSALUA_BUILD_TESTS=OFF \
	-DSALUA_BUILD_EXAMPLES=OFF
run "$cmake" --build "$out/build" -j2
run "$cmake" --install "$out/build"
echo "installed files:"
(cd "$prefix" && find . -type f | sort | sed 's/^/  /')

lib=$(find "$prefix" -name libsalua.a | head -1)
pc=$(find "$prefix" -name salua.pc | head -1)
cfg=$(find "$prefix" -name saluaConfig.cmake | head -1)
for f in "$lib" "$pc" "$cfg" "$prefix/include/salua/salua.h"; do
	if [ -z "$f" ] || [ ! -f "$f" ]; then
		echo "FAIL: missing installed file ($f)"
		exit 1
	fi
done
have=$(have_flags "$lib")
echo "implemented checks:${have:- none beyond the inline helpers}"

# --- CMake consumer --------------------------------------------------------
# shellcheck disable=SC2086
defs=$(echo $have | sed 's/-D//g; s/ /;/g')
run "$cmake" -G "$gen" -S "$here/consumer" -B "$out/consumer" \
	-DCMAKE_PREFIX_PATH="$prefix" -DSALUA_CONSUMER_DEFS="$defs" \
	-DSALUA_EXPECT_VERSION="$(cat "$src/VERSION")"
run "$cmake" --build "$out/consumer" -j2
run "$out/consumer/consumer_headers"
run "$out/consumer/consumer_linked"

# --- pkg-config consumers --------------------------------------------------
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
cflags=$(pkg-config --cflags salua)
libs=$(pkg-config --libs salua)
echo "pkg-config: cflags '$cflags' libs '$libs'"
case $cflags in *"$prefix"*) ;; *)
	echo "FAIL: pkg-config --cflags does not point into the prefix"
	exit 1 ;;
esac
# shellcheck disable=SC2086
run cc -std=c99 -pedantic-errors "${SALUA_CWARN[@]}" $have -I"$here/modes" \
	"$here/consumer/main.c" $cflags $libs -o "$out/pc_linked"
run "$out/pc_linked"
# shellcheck disable=SC2086
run cc -std=c99 -pedantic-errors "${SALUA_CWARN[@]}" $have -I"$here/modes" \
	"$here/consumer/main.c" "$here/consumer/impl.c" $cflags -o "$out/pc_headers"
run "$out/pc_headers"
echo "OK: install + 4 consumers"
