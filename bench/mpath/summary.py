#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Summarise bench/mpath guest logs: medians, ratios against the single
path measured in the same phase, failover pauses; markdown on stdout,
summary rows for bench/run.sh with --rows.

  summary.py [--rows FILE] [--load L] TAG=LOG...
"""
import argparse
import re
import statistics as stt

ap = argparse.ArgumentParser()
ap.add_argument("--rows", default="/dev/null")
ap.add_argument("--load", default="?")
ap.add_argument("logs", nargs="+")
a = ap.parse_args()

MP = ["head", "head_numa", "dm_salua", "dm_alua"]
NAMES = {"head": "native head, round-robin", "head_numa": "native head, numa (one path)",
         "dm_salua": "dm-multipath + salua", "dm_alua": "dm-multipath + scsi_dh_alua"}
BASE = {"head_numa": "head"}


def kv(line):
    return dict(f.split("=", 1) for f in line.split()[2:] if "=" in f)


out, rows = [], []
out.append("## Native multipath in a QEMU guest (LIO, 4 paths: 2 active/optimized, 2 standby)\n")
out.append("- Same guest boot, same LIO LU, same load (salua_vio: O_DIRECT 4 KiB "
           "write + read-back, QD = threads); each multipath run interleaved "
           "with a run on one path's sd disk in the same phase; median of the "
           "runs; TCG, so only ratios mean anything")
out.append("- Host load average at the end: %s (2 cores shared with other work)\n" % a.load)
for spec in a.logs:
    tag, log = spec.split("=", 1)
    io, fo = {}, {}
    for line in open(log, errors="replace"):
        line = line.strip()
        if line.startswith("BENCH io "):
            d = kv(line)
            if "ios" not in d or int(d.get("errors", 1)):
                continue
            ios, us, busy = int(d["ios"]), int(d["elapsed_us"]), int(d["busy_ticks"])
            io.setdefault((d["name"], d["qd"]), []).append(
                (ios * 1e6 / us, busy * 1e6 / int(d["hz"]) / ios))
        elif line.startswith("BENCH fo "):
            d = kv(line)
            fo.setdefault(d["name"], []).append(d)
    out.append("### Kernel %s\n" % tag)
    out.append("| device | QD | IOPS (median) | vs single path | CPU us/IO | vs single path | runs |")
    out.append("|---|---|---|---|---|---|---|")
    ratio = {}
    for name in MP:
        for qd in ("1", "32"):
            m, s = io.get((name, qd)), io.get(("single_" + BASE.get(name, name), qd))
            if not m or not s:
                continue
            mi, si = stt.median(x[0] for x in m), stt.median(x[0] for x in s)
            mc, sc = stt.median(x[1] for x in m), stt.median(x[1] for x in s)
            ratio[(name, qd)] = (mi / si, mc / sc)
            if name not in BASE:
                out.append("| single path (%s phase) | %s | %.0f | 1.00 | %.1f | 1.00 | %d |" % (name, qd, si, sc, len(s)))
            out.append("| %s | %s | %.0f | %.3f | %.1f | %.3f | %d |" % (NAMES[name], qd, mi, mi / si, mc, mc / sc, len(m)))
    out.append("")
    out.append("Failover: LIO's transition is t1 - t0, from the start of the first "
               "configfs write to the return of the last (LIO returns once the "
               "group's new state is set; each write timed in its own shell); the "
               "pause is the longest gap between two I/O completions.\n")
    out.append("A run marked * had a host stall inside its I/O pause (a real-time "
               "thread in the guest that wakes every millisecond saw a gap of "
               "50 ms or more: the host did not run the guest): its figure says "
               "nothing about the multipath layer and the worst case leaves it out.\n")
    out.append("| device | pause ms (each run) | transition ms (each run) | pause - transition ms (each run) | worst (runs without a stall) | errors | mismatches |")
    out.append("|---|---|---|---|---|---|---|")
    pauses = {}

    def stalled(r):
        a = int(r["max_pause_at_us"])
        b = a + int(r["max_pause_us"])
        for st in r.get("host_stalls", "none").split(","):
            if "-" in st:
                x, y = (int(v) for v in st.split("-"))
                if x < b and y > a:
                    return True
        return False
    for name in MP:
        runs = fo.get(name, [])
        if not runs:
            continue
        p = [int(r["max_pause_us"]) / 1000.0 for r in runs]
        t = [(int(r["t1_us"]) - int(r["t0_us"])) / 1000.0 for r in runs]
        st = [stalled(r) for r in runs]
        over = [x - y for x, y in zip(p, t)]
        clean = [o for o, s_ in zip(over, st) if not s_]
        worst = max(clean) if clean else None
        pauses[name] = (max(p), worst)
        out.append("| %s | %s | %s | %s | %s | %d | %d |" % (
            NAMES[name], ", ".join("%.0f%s" % (x, "*" if s_ else "") for x, s_ in zip(p, st)),
            ", ".join("%.0f" % x for x in t), ", ".join("%+.0f" % x for x in over),
            "%+.0f (%d of %d)" % (worst, len(clean), len(runs)) if clean else "-",
            sum(int(r["errors"]) for r in runs),
            sum(int(r["mismatches"]) for r in runs)))
    out.append("")
    for qd in ("1", "32"):
        if ("head_numa", qd) in ratio:
            h1 = ratio[("head_numa", qd)][0]
            rows.append("| native multipath (%s) | IOPS QD%s, head on one path (numa) / that path alone (same phase) | %.3f | 1 | - | >= 0.95 | %s |" % (
                tag, qd, h1, "yes" if h1 >= 0.95 else "**no**"))
        if ("head", qd) in ratio:
            h = ratio[("head", qd)][0]
            rows.append("| native multipath (%s) | IOPS QD%s, head round-robin over 2 paths / one path alone (same phase) | %.3f | 1 | - | - | - |" % (
                tag, qd, h))
            for dm in ("dm_salua", "dm_alua"):
                if (dm, qd) in ratio:
                    d = ratio[(dm, qd)][0]
                    rows.append("| native multipath (%s) | IOPS QD%s, head vs %s (each / its single path) | %.3f | %.3f | %.2fx | >= 1x | %s |" % (
                        tag, qd, NAMES[dm], h, d, h / d, "yes" if h >= d else "**no**"))
            c = ratio[("head", qd)][1]
            rows.append("| native multipath (%s) | CPU per I/O QD%s, head / single path | %.3f | 1 | - | - | - |" % (tag, qd, c))
    if "head" in pauses and pauses["head"][1] is not None:
        mx, over = pauses["head"]
        peer = " / ".join("%s %+.0f" % (NAMES[d], pauses[d][1]) for d in ("dm_salua", "dm_alua")
                          if d in pauses and pauses[d][1] is not None)
        rows.append("| native multipath (%s) | I/O pause across a 1 s configfs failover minus LIO's transition time (worst run without a host stall, ms) | %+.0f | %s | - | <= +50 | %s |" % (
            tag, over, peer or "-", "yes" if over <= 50 else "**no**"))
print("\n".join(out))
with open(a.rows, "a") as f:
    for r in rows:
        f.write(r + "\n")
