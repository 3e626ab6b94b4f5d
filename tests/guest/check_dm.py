#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host-side check of the dm-multipath guest runs (tests/guest/dm_*.sh).

Reads the DMT-RESULT lines (tests/guest/dm_lib.sh), prints one table with
both handlers side by side (salua and the kernel's scsi_dh_alua, same boot,
same kernel) and asserts, for salua only, what every scenario must show:
no I/O error, no mismatch, no hung I/O, no path failed by dm while its
group could carry I/O, and the scenario's final dm and access states.
scsi_dh_alua's rows are measured and printed, not asserted.

    check_dm.py TEST LOG      (run-guest.sh --check appends LOG)
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guestlib import check, done  # noqa: E402


def results(path):
    rows = []
    with open(path, errors="replace") as f:
        for line in f:
            i = line.find("DMT-RESULT ")
            if i < 0:
                continue
            kv = dict(re.findall(r"(\w+)=(\S*)", line[i + 11:]))
            rows.append(kv)
    return rows


def paths(row):
    """[(dev, dmstate, access)] in table order."""
    out = []
    for p in row.get("paths", "").split(","):
        if p.count(":") == 2:
            out.append(tuple(p.split(":")))
    return out


def lio(row):
    return dict(x.split(":") for x in row.get("lio", "").split(",") if ":" in x)


def num(row, k):
    try:
        return int(row.get(k, ""))
    except ValueError:
        return -1


# Per scenario: what salua's run must end with.
#   pg: active priority group; lio: LIO group states (0 AO, 2 S);
#   active: indexes (0-based, table order) of paths dm must have active;
#   min_pause_ms: the pause must cover at least the target's transition.
EXPECT = {
    ("dm_lio", "switch_group"): dict(pg=2, lio={"b": "0"}, active=[1], stpg=True),
    ("dm_lio", "failover"): dict(pg=2, lio={"a": "2", "b": "0"}, active=[1]),
    ("dm_lio", "failback"): dict(pg=1, lio={"a": "0", "b": "2"}, active=[0]),
    ("dm_lio", "trans5s"): dict(pg=2, lio={"a": "2", "b": "0"}, active=[1],
                                min_pause_ms=4900),
    ("dm_lio", "delete"): dict(pg=1, lio={"a": "0"}, active=[0, 1]),
    ("dm_lio", "checker"): dict(pg=1, lio={"a": "0", "b": "2"}, active=[0, 1],
                                rtpg_max=0),
    ("dm_sd", "ano_only"): dict(pg=2, active=[1]),
    ("dm_sd", "switch_standby"): dict(pg=2, active=[1]),
    ("dm_sd", "return"): dict(pg=1, active=[0, 1, 2]),
    ("dm_sd", "params"): dict(pg=1, active=[0, 1, 2]),
}


# Lines the guest must have printed, per test (regular expressions).
REQUIRED = {
    "mpathd": ["DMT modprobe.d: scsi_dh_alua not loaded while salua.conf is installed",
               "DMT udev rule: salua_dh loaded on demand"],
    "dm_lio": [r"DMT salua checker: TUR devices=1 rounds=(1\d|2\d) good=0 standby=\1 "],
    "dm_sd": ["DMT salua: salua_dh loaded by the table",
              "DMT salua: set_params optimize_stpg 1 seen",
              "DMT alias: alias scsi_dh_salua salua_dh"],
}


def mpathd(rows):
    """multipathd rounds: salua's half rounds all clean (the array's own
    failover never undone, no STPG), no I/O error; both handlers counted."""
    clean, total = {}, {}
    for r in rows:
        h, s = r.get("handler", ""), r.get("scen", "")
        total[h] = total.get(h, 0) + 1
        clean[h] = clean.get(h, 0) + (1 if r.get("clean") == "1" else 0)
        if not h.startswith("salua"):
            continue
        what = "mpathd/%s %s" % (s, h)
        check(num(r, "ios") > 0, what + ": I/O ran")
        check(num(r, "errors") == 0, what + ": no I/O error")
        check(num(r, "mismatches") == 0, what + ": no mismatch")
        check(num(r, "hung") == 0, what + ": no hung I/O")
        # Bounded: I/O went on again inside the half round (the longest
        # gap between completions is shorter than the time it ran).
        check(0 <= num(r, "pause_us") < num(r, "settle_ms") * 1000,
              what + ": longest pause %s us < the half round (%s ms)" %
              (r.get("pause_us"), r.get("settle_ms")))
        check(r.get("clean") == "1", what + ": clean (LIO %s, STPG %s)" %
              (r.get("lio"), r.get("stpg")))
        # The path the array made AO must carry I/O; the other may be
        # failed (standby), never the AO one.
        ao = "b" if s.endswith("fo") else "a"
        ps = dict(p.split("=", 1) for p in r.get("paths", "").split(",") if "=" in p)
        check(ps.get(ao, "::").split(":")[1] == "A",
              what + ": path %s (AO) active in dm (%s)" % (ao, r.get("paths")))
    print("clean half rounds: " + ", ".join(
        "%s %d/%d" % (h, clean[h], total[h]) for h in sorted(total)))
    print("longest pause (ms): " + ", ".join(
        "%s %.0f" % (h, max(num(r, "pause_us") for r in rows
                            if r.get("handler") == h) / 1e3)
        for h in sorted(total)))
    for h in ("salua_alua", "salua_sysfs"):
        check(total.get(h, 0) >= 8, "%s: at least 8 half rounds (%d)" % (h, total.get(h, 0)))
        check(clean.get(h, 0) == total.get(h, 0), "%s: every half round clean" % h)


def main():
    want_test, log = sys.argv[1], sys.argv[2]
    rows = results(log)
    text = open(log, errors="replace").read()
    check("DMT-FATAL" not in text,
          "no fatal step: " + "; ".join(re.findall(r"DMT-FATAL[^\n]*", text)))
    check("DMT done" in text, "the guest script ran to its end")
    check(rows, "DMT-RESULT lines present")
    for line in REQUIRED.get(want_test, []):
        check(re.search(line, text) is not None, "guest printed '%s'" % line)

    hdr = ("%-8s %-14s %-6s %7s %4s %4s %4s %8s %8s %4s %4s %4s %4s %3s  %s" %
           ("test", "scenario", "hndlr", "ios", "err", "mism", "hung",
            "pause", "over", "RTPG", "STPG", "TUR", "fail", "pg", "paths"))
    print(hdr)
    for r in rows:
        pause = num(r, "pause_us") / 1000.0
        tr = num(r, "trans_ms")
        over = "%8.0f" % (pause - tr) if tr > 0 else "%8s" % "-"
        print("%-8s %-14s %-6s %7s %4s %4s %4s %8.0f %s %4s %4s %4s %4s %3s  %s" %
              (r.get("test"), r.get("scen"), r.get("handler"), r.get("ios"),
               r.get("errors"), r.get("mismatches"), r.get("hung"), pause, over,
               r.get("rtpg"), r.get("stpg"), r.get("tur"), r.get("dm_fail"),
               r.get("pg"), r.get("paths")))

    if want_test == "mpathd":
        mpathd(rows)
        done("check_dm mpathd")
    seen = set()
    for r in rows:
        if r.get("handler") != "salua":
            continue
        t, s = r.get("test"), r.get("scen")
        if want_test and t != want_test:
            continue
        seen.add(s)
        what = "%s/%s salua" % (t, s)
        check(num(r, "ios") > 0, what + ": I/O ran")
        check(num(r, "errors") == 0, what + ": no I/O error (%s)" % r.get("errors"))
        check(num(r, "mismatches") == 0, what + ": no mismatch")
        check(num(r, "hung") == 0, what + ": no hung I/O")
        check(num(r, "bad_fail") == 0,
              what + ": no path failed while it could carry I/O (%s)" % r.get("paths"))
        e = EXPECT.get((t, s))
        if not e:
            continue
        check(num(r, "pg") == e["pg"], what + ": active PG %s, want %d" %
              (r.get("pg"), e["pg"]))
        ps = paths(r)
        for i in e.get("active", []):
            check(i < len(ps) and ps[i][1] == "A",
                  what + ": path %d active in dm (%s)" % (i, r.get("paths")))
        for g, st in e.get("lio", {}).items():
            check(lio(r).get(g) == st, what + ": LIO group %s state %s, want %s" %
                  (g, lio(r).get(g), st))
        if e.get("stpg"):
            check(num(r, "stpg") >= 1, what + ": an STPG was sent")
        if "rtpg_max" in e:
            check(num(r, "rtpg") <= e["rtpg_max"],
                  what + ": %s RTPGs, at most %d" % (r.get("rtpg"), e["rtpg_max"]))
        if "min_pause_ms" in e:
            check(num(r, "pause_us") >= e["min_pause_ms"] * 1000,
                  what + ": the pause covers the transition (%s us)" % r.get("pause_us"))
    for (t, s) in EXPECT:
        if want_test == t:
            check(s in seen, "%s/%s: salua result present" % (t, s))
    done("check_dm " + (want_test or ""))


if __name__ == "__main__":
    main()
