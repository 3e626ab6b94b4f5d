#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# freestanding.sh CC SRCDIR OUTDIR [EXTRA_FLAGS...]
# Compile src/salua.c (the whole core in implementation mode) with
# -ffreestanding, with and without -fno-builtin, at -O0/-O2/-Os, and with
# SALUA_NO_STRINGS, then check the object with nm:
#  - no undefined symbol other than memcpy, memset, memcmp (with -m32 this
#    also catches 64-bit division helpers such as __udivdi3);
#  - no writable data (.data/.bss): the core has no global mutable state.
# A fourth variant builds in firmware mode
# (SALUA_CONFIG_HEADER) with -nostdinc and only the compiler's own
# freestanding headers (<stddef.h>, <stdint.h>, <stdbool.h>) on the path,
# which proves the core includes no hosted header.
set -euo pipefail
. "$(dirname "$0")/common.sh"

cc=$1 srcdir=$2 out=$3
shift 3
extra=("$@")
need "$cc" nm objdump
mkdir -p "$out"

# _GLOBAL_OFFSET_TABLE_ is the linker-provided PIC base on i386.
rdir=$("$cc" "${extra[@]}" -print-file-name=include)
if [ ! -f "$rdir/stdint.h" ]; then
	echo "FAIL: no freestanding headers in '$rdir'"
	exit 1
fi
cat >"$out/fw_config.h" <<'CFG'
/* A firmware's SALUA_CONFIG_HEADER: C99 freestanding headers only. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
CFG

allowed='^(memcpy|memset|memcmp|_GLOBAL_OFFSET_TABLE_)$'
n=0
for opt in -O0 -O2 -Os; do
	for fb in "" -fno-builtin -DSALUA_NO_STRINGS fwconfig; do
		obj=$out/salua$opt$fb.o
		var=()
		if [ -n "$fb" ] && [ "$fb" != fwconfig ]; then
			var=("$fb")
		elif [ "$fb" = fwconfig ]; then
			var=(-nostdinc -isystem "$rdir" -I"$out"
				-DSALUA_CONFIG_HEADER='"fw_config.h"')
		fi
		# shellcheck disable=SC2086
		run "$cc" -std=c99 -pedantic-errors "${SALUA_CWARN[@]}" \
			-ffreestanding -fno-stack-protector $opt "${var[@]}" \
			"${extra[@]}" -I"$srcdir/include" -c "$srcdir/src/salua.c" \
			-o "$obj"
		undef=$(nm -u "$obj" | awk '{print $NF}')
		bad=$(grep -Ev "$allowed" <<<"$undef" || true)
		echo "  undefined: ${undef//$'\n'/ }"
		if [ -n "$bad" ]; then
			echo "FAIL: $obj references: ${bad//$'\n'/ }"
			exit 1
		fi
		# Writable sections with content; .data.rel.ro (const pointer
		# tables under PIC) is read-only after relocation.
		data=$(objdump -h "$obj" | awk '$2 ~ /^\.(data|bss|sdata|sbss)/ &&
			$2 !~ /^\.data\.rel\.ro/ &&
			$3 !~ /^0+$/ {print $2}')
		if [ -n "$data" ]; then
			echo "FAIL: $obj has writable data in: ${data//$'\n'/ }"
			nm --defined-only "$obj" | grep -E ' [BbDdGgSsVv] ' || true
			exit 1
		fi
		defined=$(nm --defined-only -g "$obj" | grep -c ' T ' || true)
		echo "  $defined global functions, no writable data"
		n=$((n + 1))
	done
done
echo "OK: $n freestanding builds of src/salua.c with $cc ${extra[*]}"
