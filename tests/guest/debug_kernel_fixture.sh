#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# debugkernel.build: the CTest fixture (salua_debug_kernel) every
# guest.*@debug test requires.  Builds the debug kernel or finds it in the
# cache (scripts/debug-kernel.sh), then builds against its build tree
# our module (shims/linux, with W=1; guest.module_build@debug fails on any
# warning) and the test-only module tests/guest/kfaults.
#   debug_kernel_fixture.sh EXPECTED_DIR SOURCE_DIR KO_DIR KFAULTS_DIR
set -euo pipefail
want=$1 src=$2 kb=$3 kf=$4

t0=$(date +%s)
dir=$(bash "$src/scripts/debug-kernel.sh" | tail -1)
if [ "$dir" != "$want" ]; then
	echo "debugkernel.build: the debug kernel is now $dir but CMake was configured" >&2
	echo "  for $want (config fragment, compiler or source changed): re-run cmake" >&2
	exit 1
fi
t1=$(date +%s)
echo "debug kernel: $dir ($(cat "$dir/KV"), $((t1 - t0)) s)"

build() {	# build OUTDIR SRCDIR FILES...
	local out=$1 from=$2; shift 2
	rm -rf "$out" && mkdir -p "$out"
	for f in "$@"; do cp "$from/$f" "$out/"; done
	make -C "$dir/build" M="$out" SALUA_INCLUDE="$src/include" W=1 modules \
		>"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; return 1; }
	grep -E 'warning:' "$out/build.log" >&2 || true
}
build "$kb" "$src/shims/linux" $(cd "$src/shims/linux" && ls Kbuild *.c *.h)
build "$kf" "$src/tests/guest/kfaults" Kbuild salua_kfaults.c salua_kfaults_b.c
ls -l "$kb/salua_dh.ko" "$kf"/salua_kfaults*.ko
echo "debugkernel.build: modules built in $(( $(date +%s) - t1 )) s"
