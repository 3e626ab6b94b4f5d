#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Host-side analysis of tests/guest/tcmu_scale.sh (256 LUs x 4 paths, a
UA storm on every I_T nexus; A = our handler, B = scsi_dh_alua).

Per phase: RTPGs each LU got from the storm on (min / median / max / mean,
and how many LUs got exactly one), time from the storm to the last RTPG,
kernel CPU time (system + irq + softirq, /proc/stat) and
salua-target's own CPU time over the window.  Checks what must hold: every
path was hit (burst), every LU re-read its state at least once, and the
states are what the array says (half active/optimized, half standby).
usage: check_tcmu_scale.py CONSOLE_LOG
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guestlib import sections, check, done  # noqa: E402

S = sections(sys.argv[1])
HZ = 100.0  # USER_HZ of /proc/stat
LUNS, PORTS = 256, 4
out = {}
for ph, handler in (("A", "salua"), ("B", "alua")):
    text = S.get(ph, ("", -1))[0].splitlines()
    check(bool(text), "phase %s (%s) ran" % (ph, handler))
    if not text:
        continue
    kv = {}
    per_lu = {}
    go = None
    for line in text:
        f = line.split()
        if not f:
            continue
        if f[0] in ("storm", "cpu0", "cpu1", "target_cpu", "log_start"):
            kv[f[0]] = f[1:]
        elif f[0] == "BURST":
            kv["burst"] = dict(x.split("=") for x in f[1:])
        elif f[0] == "states":
            kv["states"] = " ".join(f[1:])
        elif len(f) > 2 and f[1] == "control":
            go = int(f[0])
        elif len(f) == 6 and go is not None:
            t, lun, name = int(f[0]), int(f[1]), f[3]
            if name.startswith("rtpg"):
                per_lu[lun] = per_lu.get(lun, 0) + 1
                kv["last_rtpg"] = t
    b = kv.get("burst", {})
    check(b.get("sent") == str(LUNS * PORTS) and b.get("completed") == str(LUNS * PORTS),
          "%s: one TEST UNIT READY on each of %d paths (%s)" % (ph, LUNS * PORTS, b))
    counts = sorted(per_lu.get(lun, 0) for lun in range(LUNS))
    check(counts and counts[0] >= 1,
          "%s: every LU re-read its state (fewest RTPGs: %s)" % (ph, counts[0] if counts else None))
    st = kv.get("states", "")
    check("%d active/optimized" % (LUNS * 2) in st and "%d standby" % (LUNS * 2) in st,
          "%s: states as the array says: %s" % (ph, st))
    c0 = [float(x) for x in kv.get("cpu0", ["0"] * 3)]
    c1 = [float(x) for x in kv.get("cpu1", ["0"] * 3)]
    tc = [float(x) for x in kv.get("target_cpu", ["0", "0"])]
    storm = int(kv.get("storm", ["0"])[0])
    settle = (int(kv.get("log_start", ["0"])[0]) + kv.get("last_rtpg", 0)) - storm
    window = (int(kv.get("storm", ["0", "0", "0", "0", "0"])[4]) - storm) / 1000.0
    tot = sum(counts)
    out[ph] = (handler, counts, tot, settle,
               (c1[1] - c0[1] + c1[2] - c0[2]) / HZ, (tc[1] - tc[0]) / HZ, window)

print("%-6s %-6s %6s %4s %6s %4s %7s %9s %10s %10s" % (
    "phase", "host", "rtpg", "min", "median", "max", "one/LU", "settle_ms",
    "kernel_s", "target_s"))
for ph, (h, counts, tot, settle, ks, ts, win) in sorted(out.items()):
    print("%-6s %-6s %6d %4d %6d %4d %7d %9d %10.2f %10.2f" % (
        ph, h, tot, counts[0], counts[len(counts) // 2], counts[-1],
        sum(1 for c in counts if c == 1), settle, ks, ts))
    print("       %s: %.2f RTPGs per LU per storm (%d LUs x %d paths); CPU over a %.1f s window"
          % (h, tot / float(LUNS), LUNS, PORTS, win))
done("tcmu_scale")
