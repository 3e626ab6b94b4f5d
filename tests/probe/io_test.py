#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""alua_probe --io on the built-in simulated array (test probe.io).

Usage: io_test.py ALUA_PROBE SCHEMA_JSON JSONSCHEMA_LITE_DIR

Checks, all on simulated time (--speed 1000, no device needed):
  - every policy through the failover scenario: exit 0, zero errors, zero
    mismatches, I/O on the first path before and on the second after, a
    pause of about the 2 s transition, the JSON valid against the schema;
  - --rw read / write / verify do what they say;
  - --queue bounds the wait with no usable path: the I/O fails with the
    no-path text, not before the bound, exit 3;
  - --timeline FILE: one line per I/O in salua_vio's format plus FILE.events
    with state / ua / cmd / mark lines, on one clock; bench/timeline/
    plot_timeline.py draws them;
  - --watch interleaves state changes and I/O progress; --watch --json gives
    JSON Lines ending with one io object per LU;
  - usage errors: --io with --set-state, bad --rw, --bs not a multiple of
    the block size, a region larger than the LU.
"""
import json
import os
import re
import subprocess
import sys
import shutil
import tempfile

PROBE, SCHEMA, LIBDIR = sys.argv[1], sys.argv[2], sys.argv[3]
PLOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "bench", "timeline", "plot_timeline.py")
sys.path.insert(0, LIBDIR)
import jsonschema_lite  # noqa: E402

SCH = json.load(open(SCHEMA))
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)


def run(args, timeout=120):
    p = subprocess.run([PROBE] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def valid(obj, what):
    errs = jsonschema_lite.validate(obj, SCH)
    check(not errs, "%s: schema: %r" % (what, errs[:3]))


POLICIES = ["numa", "round-robin", "queue-depth", "service-time",
            "failover", "latency"]


def test_policies():
    for pol in POLICIES:
        rc, out, err = run(["--json", "sim:scenario=failover", "--io",
                            "--policy", pol, "--duration", "8",
                            "--speed", "1000"])
        what = "failover under --io --policy " + pol
        try:
            j = json.loads(out)
        except ValueError:
            check(False, "%s: JSON: %r %r" % (what, out[:200], err[:200]))
            continue
        valid(j, what)
        lu = j["logical_units"][0]
        io = lu["io"]
        check(rc == 0 and j["error"] is None, "%s: exit %d" % (what, rc))
        check(io["ios"] > 1000 and io["errors"] == 0 and
              io["mismatches"] == 0,
              "%s: ios %d errors %d mismatches %d (%s)" %
              (what, io["ios"], io["errors"], io["mismatches"],
               io["first_error"]))
        shares = {p["device"]: p["ios"] for p in io["paths"]}
        check(shares.get("sim:p0/l0", 0) > 0 and shares.get("sim:p1/l0", 0) > 0,
              "%s: both paths carried I/O: %r" % (what, shares))
        # The 2 s transition, plus at most a checker interval.
        check(1900 <= io["max_pause_ms"] <= 3500,
              "%s: longest pause %d ms" % (what, io["max_pause_ms"]))
        check(lu["policy"] == pol and lu["rw"] == "verify",
              "%s: policy and rw reported" % what)


def test_rw():
    for rw in ("read", "write", "verify"):
        rc, out, err = run(["--json", "sim:", "--io", "--rw", rw,
                            "--duration", "2", "--speed", "1000"])
        io = json.loads(out)["logical_units"][0]["io"] if rc == 0 else {}
        if rw == "read":
            ok = io.get("reads", 0) > 0 and io.get("writes", 1) == 0
        elif rw == "write":
            ok = io.get("writes", 0) > 0 and io.get("reads", 1) == 0
        else:
            ok = io.get("writes", 0) > 0 and io.get("reads", 0) > 0
        check(rc == 0 and ok, "--rw %s: %r" % (rw, io))


def test_nopath_bound():
    # long-transition: both groups transitioning for 200 s; the engine
    # gives up after the implicit transition time (itt=5) and the array
    # keeps answering TRANSITIONING, so nothing can serve for long.
    rc, out, err = run(["--json", "sim:scenario=long-transition,itt=5",
                        "--io", "--queue", "3", "--duration", "12",
                        "--speed", "1000"])
    j = json.loads(out) if out else {}
    valid(j, "--queue 3")
    io = j["logical_units"][0]["io"] if j else {}
    check(rc == 3 and j.get("error") and j["error"]["code"] == "eio",
          "--queue 3 with no usable path: exit 3 (%d)" % rc)
    check(io.get("errors", 0) > 0 and io.get("mismatches", 1) == 0 and
          "no usable path to naa." in (io.get("first_error") or "") and
          "bound: 3000 ms" in io["first_error"],
          "--queue 3: the I/O fails with the no-path text: %r" %
          io.get("first_error"))
    # Stalled at the 2 s mark; nothing completes before the 3 s bound.
    check(io.get("max_pause_ms", 0) >= 3000,
          "--queue 3: no failure before the bound (pause %r)" %
          io.get("max_pause_ms"))


def test_timeline():
    d = tempfile.mkdtemp()
    tl = os.path.join(d, "tl.txt")
    rc, out, err = run(["sim:scenario=failover", "--io", "--duration", "6",
                        "--speed", "1000", "--timeline", tl])
    check(rc == 0, "--timeline: exit %d %r" % (rc, err[-200:]))
    lines = [ln for ln in open(tl) if not ln.startswith("#")]
    pat = re.compile(r"^(\d+) ([RW]) (\d+) (\d+) (ok|mismatch|err=\S+) (\S+)$")
    bad = [ln for ln in lines if not pat.match(ln.rstrip("\n"))]
    check(lines and not bad, "--timeline lines match 't op block lat "
          "status path': %d lines, bad %r" % (len(lines), bad[:2]))
    ev = [ln.rstrip("\n") for ln in open(tl + ".events")
          if not ln.startswith("#")]
    kinds = {ln.split(" ")[1] for ln in ev}
    check({"state", "ua", "cmd"} <= kinds and kinds <= {"state", "ua", "cmd", "mark"},
          "FILE.events kinds: %r" % kinds)
    t_io = [int(ln.split(" ")[0]) for ln in lines]
    t_st = [int(ln.split(" ")[0]) for ln in ev if " state " in ln]
    # One clock: the state changes fall inside the I/O's span.
    check(t_io and t_st and min(t_io) <= min(t_st) <= max(t_io),
          "one clock for I/O and events: io %r..%r, states %r" %
          (t_io[:1], t_io[-1:], t_st[:2]))
    # The failover's pause is in the timeline: a ~2 s gap.
    gaps = [b - a for a, b in zip(sorted(t_io), sorted(t_io)[1:])]
    check(gaps and 1900000 <= max(gaps) <= 3500000,
          "timeline shows the pause: %r us" % (max(gaps) if gaps else None))
    plot_timeline(tl)


def plot_timeline(tl):
    """bench/timeline/plot_timeline.py draws that timeline (with gnuplot):
    state changes labelled, repeated sense folded into one '(xN)' label."""
    if not shutil.which("gnuplot"):
        print("SKIP plot_timeline.py: no gnuplot")
        return
    svg = tl + ".svg"
    r = subprocess.run([sys.executable, PLOT, "--io", tl, "--events",
                        tl + ".events", "--out", svg, "--title", "t"],
                       capture_output=True, text=True, timeout=60)
    check(r.returncode == 0 and r.stdout.strip() == svg,
          "plot_timeline.py: exit %d %r" % (r.returncode, r.stderr[-200:]))
    text = open(svg).read() if os.path.exists(svg) else ""
    check("<svg" in text and "active/optimized -> transitioning" in text and
          "standby -> transitioning" in text,
          "plot_timeline.py: SVG with the state labels")
    check(re.search(r"\(x\d+\)", text) is not None,
          "plot_timeline.py: repeats folded into one (xN) label")


def test_watch():
    rc, out, err = run(["sim:scenario=failover", "--io", "--watch",
                        "--duration", "6", "--speed", "1000"])
    check(rc == 0 and "active/optimized -> transitioning" in out and
          re.search(r"io naa\.\S+: \d+ I/Os \(\+\d+\)", out) and
          "0 errors, 0 mismatches" in out,
          "--io --watch: state changes and I/O progress: %r" % out[-300:])
    rc, out, err = run(["--json", "sim:scenario=failover", "--io", "--watch",
                        "--duration", "6", "--speed", "1000"])
    objs = [json.loads(ln) for ln in out.split("\n") if ln]
    for o in objs:
        valid(o, "--io --watch --json line")
    check(rc == 0 and len(objs) >= 5 and objs[-1]["type"] == "io" and
          objs[0]["type"] == "state-change" and
          objs[-1]["io"]["errors"] == 0,
          "--io --watch --json: JSON Lines ending with the io object")


def test_usage():
    for args, msg in (
            (["sim:", "--io", "--set-state", "ao", "--device", "sim:p1/l0"],
             "'--set-state' cannot be used with --io"),
            (["sim:", "--io", "--rw", "bogus"], "--rw"),
            (["sim:", "--rw", "read"], "needs --io"),
            (["sim:", "--io", "--iodepth", "0"], "out of range")):
        rc, out, err = run(args)
        check(rc == 2 and msg in err, "%r: usage error %r: %r" % (args, msg, err))
    rc, out, err = run(["sim:", "--io", "--bs", "1000", "--duration", "1"])
    check(rc == 3 and "not a multiple of the block size 512" in err,
          "--bs 1000: %r" % err)
    rc, out, err = run(["sim:", "--io", "--size", "67108864", "--duration", "1"])
    check(rc == 3 and "does not fit" in err, "--size 64 MiB: %r" % err)


test_policies()
test_rw()
test_nopath_bound()
test_timeline()
test_watch()
test_usage()
print("probe.io: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
