#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# nested.sh KIND CMAKE GENERATOR SRCDIR OUTDIR VECTORS_DIR
# Configure the whole project again in OUTDIR with a different toolchain or
# flags, build only the executables of the selected tests, and run them with
# ctest.  KIND:
#   m32      -m32 (cmake/toolchain-m32.cmake), label unit
#   s390x    big-endian s390x cross build + UBSan, run under qemu-s390x,
#            label unit
#   sanitize -DSALUA_SANITIZE=ON (ASan+UBSan), labels unit and differential,
#            alua_probe included
#   release-gcc, release-clang
#            the whole project (core, shims, examples, tests) built as
#            Release (-O3, where gcc's flow-based warnings such as
#            -Wmaybe-uninitialized and -Wformat-truncation appear) with that
#            compiler and -Werror; nothing is run
set -euo pipefail
. "$(dirname "$0")/common.sh"

kind=$1 cmake=$2 gen=$3 src=$4 out=$5 vectors=$6
ctest=$(dirname "$cmake")/ctest
[ -x "$ctest" ] || ctest=ctest
need python3

ubsan="-fsanitize=undefined -fno-sanitize-recover=all"
args=(-G "$gen" -S "$src" -B "$out" -DCMAKE_BUILD_TYPE=Debug
	-DSALUA_BUILD_TESTS=ON -DSALUA_BUILD_EXAMPLES=OFF -DSALUA_NESTED_BUILD=ON
	-DSALUA_VECTORS_DIR="$vectors")
case $kind in
m32)
	need gcc g++
	mkdir -p "$out"
	echo 'int main(void){return 0;}' >"$out/m32probe.c"
	gcc -m32 "$out/m32probe.c" -o "$out/m32probe" 2>/dev/null || {
		echo "SKIP: gcc -m32 cannot link (install gcc-12-multilib)"
		exit 77
	}
	args+=(-DCMAKE_TOOLCHAIN_FILE="$src/cmake/toolchain-m32.cmake")
	labels=unit
	;;
s390x)
	need s390x-linux-gnu-gcc s390x-linux-gnu-g++ qemu-s390x
	args+=(-DCMAKE_TOOLCHAIN_FILE="$src/cmake/toolchain-s390x.cmake"
		-DCMAKE_C_FLAGS="$ubsan" -DCMAKE_CXX_FLAGS="$ubsan"
		-DCMAKE_EXE_LINKER_FLAGS="$ubsan")
	labels=unit
	;;
release-gcc | release-clang)
	cc=${kind#release-}
	need "$cc" "$(cxx_of "$cc")"
	args+=(-DCMAKE_BUILD_TYPE=Release -DSALUA_BUILD_EXAMPLES=ON
		-DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$(cxx_of "$cc")")
	run "$cmake" "${args[@]}"
	run "$cmake" --build "$out" -j2
	echo "OK: Release build of everything with $cc"
	exit 0
	;;
sanitize)
	# alua_probe too: its CLI and sg3_utils cross-check carry these labels.
	args+=(-DSALUA_SANITIZE=ON -DSALUA_BUILD_EXAMPLES=ON)
	labels='unit|differential'
	;;
*)
	echo "unknown kind $kind" >&2
	exit 2
	;;
esac

run "$cmake" "${args[@]}"

# The executables behind the selected tests: ctest names the tests, the
# generated CTestTestfile.cmake files give their commands; the first word
# inside the nested build tree is the target's executable.
names=$("$ctest" --test-dir "$out" -N -L "$labels" |
	sed -n 's/^ *Test *#[0-9]*: //p')
# shellcheck disable=SC2086 # one argument per test name
targets=$(python3 - "$out" $names <<'PY'
import os, re, sys
out = os.path.realpath(sys.argv[1])
want = set(sys.argv[2:])
cmds = {}
for root, _, files in os.walk(out):
    if "CTestTestfile.cmake" in files:
        text = open(os.path.join(root, "CTestTestfile.cmake")).read()
        for m in re.finditer(r'add_test\(\[=\[(.*?)\]=\] (.*)\)\s*$', text, re.M):
            cmds[m.group(1)] = re.findall(r'"([^"]*)"', m.group(2))
names = set()
for t in want:
    for w in cmds.get(t, []):
        if os.path.realpath(w).startswith(out + os.sep):
            names.add(os.path.basename(w))
            break
print(" ".join(sorted(names)))
PY
)
if [ -z "$targets" ]; then
	echo "FAIL: no tests labelled '$labels' in the nested build"
	exit 1
fi
echo "targets: $targets"
# shellcheck disable=SC2086
run "$cmake" --build "$out" -j2 --target $targets

if [ "$kind" = s390x ]; then
	# Prove the binaries really are big-endian s390x.
	first=$(find "$out" -type f -name "${targets%% *}" | head -1)
	file "$first" 2>/dev/null | grep -q 'IBM S/390' ||
		readelf -h "$first" | grep -q 'IBM S/390' || {
			echo "FAIL: $first is not an s390x binary"
			exit 1
		}
	echo "checked: $first is an IBM S/390 (big-endian) ELF"
fi

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
# Emulated s390x runs every instruction through qemu: a tenth of the long
# randomized loops (t_scaled() in tests/lib/salua_test.h) and more time.
tmo=120
if [ "$kind" = s390x ]; then
	export SALUA_TEST_SCALE=10
	tmo=300
fi
run "$ctest" --test-dir "$out" -L "$labels" --output-on-failure -j2 --timeout $tmo
