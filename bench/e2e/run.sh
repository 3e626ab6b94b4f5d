#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# End-to-end benchmark in a QEMU guest on scsi_debug (tests/guest/
# run-guest.sh): wall time of `alua_probe --json` for all devices vs
# sg_inq + sg_vpd -p di + sg_rtpg -d for the same devices (whole
# processes), median of the per-rep times, and their ratio.
#
#   bench/e2e/run.sh [--build-dir DIR] [--no-build] [--rows FILE] [--reps N]
#
# --no-build uses DIR/tests/guest-bin/alua_probe and DIR/examples/alua_probe
# as they are (the CMake `bench` target builds them first).
#
# Exit 77 when the guest cannot run here (no QEMU, kernel, busybox-static,
# sg3_utils or alua_probe); the last line says why.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bdir=$top/build-bench rows= reps=15 build=1
while [ $# -gt 0 ]; do
	case $1 in
	--build-dir) bdir=$2; shift 2 ;;
	--rows) rows=$2; shift 2 ;;
	--reps) reps=$2; shift 2 ;;
	--no-build) build=; shift ;;
	*) echo "e2e/run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
skip() { echo "e2e: $*"; exit 77; }

for t in sg_inq sg_vpd sg_rtpg; do
	command -v $t >/dev/null || skip "$t not installed"
done
if [ -n "$build" ]; then
	if [ ! -f "$bdir/CMakeCache.txt" ]; then
		cmake -S "$top" -B "$bdir" -DCMAKE_BUILD_TYPE=Release >/dev/null
	fi
	cmake --build "$bdir" -j2 --target alua_probe_static >/dev/null 2>&1 ||
		skip "alua_probe_static not buildable (tests off or no static libc)"
	cmake --build "$bdir" -j2 --target alua_probe >/dev/null 2>&1 || true
fi
probe=$bdir/tests/guest-bin/alua_probe
[ -x "$probe" ] || skip "no $probe"

work=$(mktemp -d /tmp/salua-e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -static -o "$work/nsclock" "$here/nsclock.c" ||
	skip "cannot link a static helper"
sed "s/\${E2E_REPS:-15}/$reps/" "$here/guest.sh" >"$work/guest.sh"
# The installed form too: dynamically linked (libc, libiscsi...).
dynbin=()
if [ -x "$bdir/examples/alua_probe" ]; then
	cp "$bdir/examples/alua_probe" "$work/alua_probe_dyn"
	dynbin=(--bin "$work/alua_probe_dyn")
fi

st=0
"$top/tests/guest/run-guest.sh" --script "$work/guest.sh" \
	--modules "scsi_debug sg sd_mod" \
	--bin "$probe" --bin "$work/nsclock" "${dynbin[@]}" \
	--bin "$(command -v sg_inq)" --bin "$(command -v sg_vpd)" \
	--bin "$(command -v sg_rtpg)" \
	--timeout 900 --work "$work/guest" --log "$work/guest.log" \
	>"$work/run.out" 2>&1 || st=$?
if [ $st -eq 77 ]; then
	skip "$(tail -n 1 "$work/run.out")"
fi
if [ $st -ne 0 ]; then
	cat "$work/run.out" >&2
	grep E2E "$work/guest.log" >&2 || true
	echo "e2e: guest run failed (exit $st)" >&2
	exit 1
fi

grep -a '^E2E' "$work/guest.log" | tr -d '\r' >"$work/e2e.txt"
python3 - "$work/e2e.txt" "${rows:-/dev/null}" "$reps" <<'PY'
import re, statistics, sys
lines = open(sys.argv[1]).read().split("\n")
head = next(l for l in lines if l.startswith("E2E devices="))
dev = int(re.search(r"devices=(\d+)", head).group(1))
pdev = int(re.search(r"probe_devices=(\d+)", head).group(1))
reps = [l for l in lines if l.startswith("E2E rep=")]
p = [int(re.search(r"probe_ns=(\d+)", l).group(1)) for l in reps]
s = [int(re.search(r"sg3_ns=(\d+)", l).group(1)) for l in reps]
d = [int(m.group(1)) for m in (re.search(r"dyn_ns=(\d+)", l) for l in reps) if m]
mp, ms = statistics.median(p) / 1e6, statistics.median(s) / 1e6
ratio = ms / mp
print("## End to end in a QEMU guest (scsi_debug, whole processes)\n")
print("- Guest: Debian kernel under QEMU TCG (tests/guest/run-guest.sh), "
      "scsi_debug add_host=2 max_luns=4: %d sg devices (alua_probe "
      "reported %d)" % (dev, pdev))
print("- Per rep, interleaved: `alua_probe --json` (one process, all "
      "devices) then `sg_inq`, `sg_vpd -p di`, `sg_rtpg -d` per device "
      "(%d processes); median of %d reps\n" % (3 * dev, len(reps)))
print("| what | median wall ms | min | max |")
print("|---|---|---|---|")
print("| alua_probe --json (all %d devices) | %.1f | %.1f | %.1f |"
      % (dev, mp, min(p) / 1e6, max(p) / 1e6))
print("| sg_inq + sg_vpd -p di + sg_rtpg -d x %d | %.1f | %.1f | %.1f |"
      % (dev, ms, min(s) / 1e6, max(s) / 1e6))
if d:
    md = statistics.median(d) / 1e6
    print("| alua_probe --json, dynamically linked (libc, libiscsi, ...) | "
          "%.1f | %.1f | %.1f |" % (md, min(d) / 1e6, max(d) / 1e6))
print("\nRatio sg3_utils / alua_probe: %.1fx (static alua_probe)" % ratio)
if d:
    print("Ratio sg3_utils / alua_probe: %.1fx (dynamic alua_probe)" % (ms / md))
with open(sys.argv[2], "a") as f:
    f.write("| end to end | QEMU guest, scsi_debug %d devices: alua_probe "
            "--json vs sg_inq + sg_vpd -p di + sg_rtpg -d (median wall ms, "
            "%d reps) | %.1f | %.1f | %.1fx | - | - |\n"
            % (dev, len(reps), mp, ms, ratio))
    if d:
        f.write("| end to end | same, alua_probe dynamically linked (libc, "
                "libiscsi, ...) | %.1f | %.1f | %.1fx | - | - |\n"
                % (md, ms, ms / md))
PY
