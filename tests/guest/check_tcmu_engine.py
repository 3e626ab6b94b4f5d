#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Host-side analysis of tests/guest/tcmu_engine.sh.

For every scenario and host (salua = our kernel handler, alua = the
kernel's scsi_dh_alua, probe = alua_probe --watch over SG_IO) it computes,
from salua-target's command log, the handlers' access_state timeline, the
probe's JSON lines and salua_vio's summary:
  commands the host sent to the array after the scenario started,
  time until both paths showed the scenario's final states for good,
  errors, mismatches and the longest pause seen by I/O (dm-multipath).
Prints one table (docs/target.md quotes it) and checks what must hold
whatever the timing: every host reaches the final states, no I/O error or
mismatch, the faults reached the kernel (aborts for the dropped RTPG, a
larger allocation after rtpg-pad, a classic RTPG after ILLEGAL REQUEST on
the extended header), STPG only where the array is explicit.
usage: check_tcmu_engine.py CONSOLE_LOG
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guestlib import sections, check, done  # noqa: E402

S = sections(sys.argv[1])


def sec(name):
    return S.get(name, ("", -1))[0].splitlines()


meta, pstart = {}, {}
for line in sec("meta"):
    f = line.split()
    if f and f[0] == "log-start":
        meta["log-" + f[1]] = int(f[2]) if len(f) > 2 and f[2] else 0
    elif f and f[0] == "probe-start" and len(f) == 4:
        pstart[(f[1], int(f[2]))] = int(f[3])
    elif len(f) == 2:
        meta[f[0]] = int(f[1])
t0 = meta.get("start", 0)

rows = []   # scenario, array, lun, host, d0, d1, sg0, sg1, io, final, act
for line in sec("map"):
    f = line.split()
    if len(f) == 11:
        rows.append(dict(name=f[0], arr=f[1], lun=int(f[2]), host=f[3], d=(f[4], f[5]),
                         sg=(f[6], f[7]), io=f[8] == "1",
                         final=tuple(f[9].split(",")), act=f[10] == "1"))
check(len(rows) == 36, "map: 12 scenarios x 3 hosts (%d rows)" % len(rows))

# salua-target logs: per (array, lun) the commands after the start.
cmds = {}
for arr in "XWYZ":
    base = meta.get("log-" + arr, 0)
    for line in sec("log-" + arr):
        f = line.split()
        if len(f) > 2 and f[1] == "control":
            meta.setdefault("go-" + arr, base + int(f[0]))
    for line in sec("log-" + arr):
        f = line.split()
        if len(f) < 5 or f[1] not in ("cmd", "tmr"):
            continue
        t = base + int(f[0])
        go = meta.get("go-" + arr, t0)
        if t < go:
            continue
        key = (arr, int(f[2]))
        ent = dict(t=t - go, kind=f[1])
        if f[1] == "cmd":
            ent.update(name=f[4], st=f[6][3:], sense=f[7][6:],
                       buf=int(f[9][4:]) if len(f) > 9 and f[9].startswith("buf=") else 0,
                       drop="drop" in f[10:])
        cmds.setdefault(key, []).append(ent)

# Handlers' access_state timelines (hctl -> [(t, state)]).
tl = {}
for line in sec("watch"):
    f = line.split()
    if len(f) >= 4 and f[0] == "W":
        tl.setdefault(f[2], []).append((int(f[1]), f[3]))

# alua_probe: JSON state changes per /dev/sgN, time from its own start;
# the state before the first change is that change's old state.
ptl = {}
sgstart = {}
for r in rows:
    if r["host"] == "probe":
        for sg in r["sg"]:
            sgstart[sg] = pstart.get((r["arr"], r["lun"]), t0)
for line in sec("probe"):
    line = line.strip()
    if not line.startswith("{"):
        continue
    try:
        j = json.loads(line)
    except ValueError:
        continue
    if j.get("type") == "state-change":
        dev = os.path.basename(j["device"])
        t = sgstart.get(dev, 0) + int(j["time_ms"])
        if dev not in ptl:
            ptl[dev] = [(-10 ** 9, j.get("old_state_name"))]
        ptl[dev].append((t, j["state_name"]))

vio = {}
for name in S:
    if name.startswith("vio-"):
        for line in sec(name):
            if line.startswith("VIO "):
                vio[name[4:]] = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)


def final_time(series0, series1, want, go):
    """First t >= 0 (ms after go) from which both paths show the final
    states for good."""
    ev = sorted([(t - go, 0, s) for t, s in series0] + [(t - go, 1, s) for t, s in series1])
    cur, since = [None, None], None
    for t, i, s in ev:
        cur[i] = s
        ok = cur[0] == want[0] and cur[1] == want[1]
        if ok and since is None:
            since = max(t, 0)
        elif not ok:
            since = None
    return since


hdr = "%-19s %-5s %5s %5s %5s %5s %4s %9s %6s %10s" % (
    "scenario", "host", "rtpg", "stpg", "tur", "other", "tmr", "final_ms", "io_err", "pause_ms")
print(hdr)
print("-" * len(hdr))
res = {}
for r in rows:
    c = cmds.get((r["arr"], r["lun"]), [])
    n = lambda k: sum(1 for e in c if e["kind"] == "cmd" and e["name"].startswith(k))  # noqa: E731
    other = sum(1 for e in c if e["kind"] == "cmd" and not re.match(r"rtpg|stpg|tur", e["name"]))
    tmr = sum(1 for e in c if e["kind"] == "tmr")
    go = meta.get("go-" + r["arr"], t0)
    if r["host"] == "probe":
        # alua_probe prints changes only: no line = the array's first states
        first = [(-10 ** 9, "active/optimized")], [(-10 ** 9, "standby")]
        ft = final_time(ptl.get(r["sg"][0], first[0]), ptl.get(r["sg"][1], first[1]),
                        r["final"], go)
    else:
        ft = final_time(tl.get(r["d"][0], []), tl.get(r["d"][1], []), r["final"], go)
    mp = "mp%s%d" % (r["arr"], r["lun"])
    v = vio.get(mp)
    if r["host"] == "probe":
        series = [ptl.get(sg, []) for sg in r["sg"]]
    else:
        series = [tl.get(d, []) for d in r["d"]]
    res[(r["name"], r["host"])] = dict(rtpg=n("rtpg"), stpg=n("stpg"), tur=n("tur"),
                                       final=ft, tmr=tmr, cmds=c, vio=v, row=r,
                                       series=[[(t - go, st) for t, st in x] for x in series])
    print("%-19s %-5s %5d %5d %5d %5d %4d %9s %6s %10s" % (
        r["name"], r["host"], n("rtpg"), n("stpg"), n("tur"), other, tmr,
        "never" if ft is None else ft,
        "-" if not v else v.get("errors"),
        "-" if not v else "%.0f" % (int(v.get("max_pause_us", 0)) / 1000.0)))

for (name, host), x in sorted(res.items()):
    r = x["row"]
    check(x["final"] is not None,
          "%s/%s: both paths reach %s" % (name, host, ",".join(r["final"])))
    if x["vio"] is not None:
        check(x["vio"].get("mismatches") == "0", "%s/%s: no I/O mismatch (%s)" % (name, host, x["vio"]))
        check(x["vio"].get("errors") == "0", "%s/%s: no I/O error under queue_if_no_path" % (name, host))
        check(int(x["vio"].get("ios", 0)) > 0, "%s/%s: I/O ran" % (name, host))
    elif r["io"] and host != "probe":
        check(False, "%s/%s: salua_vio result present" % (name, host))
    if name == "no-answer":
        check(any(e.get("drop") for e in x["cmds"]), "%s/%s: an RTPG was dropped" % (name, host))
        if host != "probe":
            check(x["tmr"] >= 1, "%s/%s: the initiator timed out and aborted it (TMR)" % (name, host))
    if name in ("busy", "task-set-full"):
        st = "08" if name == "busy" else "28"
        check(sum(1 for e in x["cmds"] if e.get("st") == st) >= 1,
              "%s/%s: the status reached the host" % (name, host))
    if name == "explicit-activate":
        check(x["stpg"] >= 1, "%s/%s: STPG sent on the explicit array" % (name, host))
    if name == "implicit-activate" and host != "probe":
        check(x["stpg"] == 0, "%s/%s: no STPG to an implicit-only array" % (name, host))
    if name == "quirks":
        c = x["cmds"]
        pad = [e for e in c if e["kind"] == "cmd" and e["name"].startswith("rtpg") and e["t"] < 8000]
        check(any(e["buf"] > 128 for e in pad),
              "%s/%s: rtpg-pad: asked again with more than 128 bytes (%s)"
              % (name, host, [e["buf"] for e in pad]))
        # pad, LIO's short RETURN DATA LENGTH, ILLEGAL REQUEST on the
        # extended header: no host may decode a state the array never had
        wrong = [(t, st) for x in x["series"] for t, st in x
                 if 0 <= t < 31000 and st not in ("active/optimized", "standby")]
        check(not wrong, "%s/%s: no wrong state during the quirks (%s)" % (name, host, wrong[:4]))
        ext = [e for e in c if e["kind"] == "cmd" and e["name"].startswith("rtpg") and 16000 <= e["t"] < 32000]
        check(any(e["name"] == "rtpg" for e in ext),
              "%s/%s: ext-hdr illegal: fell back to the classic header (%s)"
              % (name, host, [(e["name"], e["st"]) for e in ext]))
done("tcmu_engine")
