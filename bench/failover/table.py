#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Table of bench/failover/guest.sh's BENCH lines (stdin): per scenario and
handler the median / max pause and overshoot (ms), the median commands
sent during the pause (all, I/O, RTPG, STPG, TUR), errors, and salua's
median overshoot as a fraction of scsi_dh_alua's."""
import re
import statistics
import sys

rows = [dict(re.findall(r"(\w+)=(\S+)", l)) for l in sys.stdin if l.startswith("BENCH ")]
cells = {}
for r in rows:
    cells.setdefault((r["scen"], r["handler"]), []).append(r)


def med(rs, k):
    return statistics.median(int(r[k]) for r in rs)


print("%-9s %-6s %3s %8s %8s %8s %8s %6s %5s %5s %5s %5s %4s" %
      ("scenario", "hndlr", "n", "pause", "max", "over", "max", "cmds", "io",
       "rtpg", "stpg", "tur", "err"))
scens = []
for (s, h) in cells:
    if s not in scens:
        scens.append(s)
for s in scens:
    over = {}
    for h in ("salua", "alua"):
        rs = cells.get((s, h), [])
        if not rs:
            continue
        over[h] = med(rs, "over_us")
        print("%-9s %-6s %3d %8.0f %8.0f %8.0f %8.0f %6.0f %5.0f %5.0f %5.0f %5.0f %4d" % (
            s, h, len(rs), med(rs, "pause_us") / 1e3,
            max(int(r["pause_us"]) for r in rs) / 1e3, over[h] / 1e3,
            max(int(r["over_us"]) for r in rs) / 1e3, med(rs, "cmds"),
            med(rs, "io"), med(rs, "rtpg"), med(rs, "stpg"), med(rs, "tur"),
            sum(int(r["errors"]) + int(r["mismatches"]) for r in rs)))
    if "salua" in over and "alua" in over and over["alua"] > 0:
        print("%-9s salua overshoot / scsi_dh_alua's: %.2f" % (s, over["salua"] / over["alua"]))
