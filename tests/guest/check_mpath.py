#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Host-side check of a native multipath guest run (tests/guest/mpath_lio.sh).

The guest judges each scenario itself (MPATH-SCEN ... result=ok|FAIL); here
we make sure every scenario named with --expect ran, none failed, and the
guest said "MPT done fails=0"; then print the scenario table (errors,
mismatches, longest pause) and, with --table FILE, write it there too.

  check_mpath.py --expect a,b,c [--table FILE] CONSOLE_LOG
"""
import argparse
import re
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--expect", required=True)
ap.add_argument("--table")
ap.add_argument("log")
a = ap.parse_args()

text = open(a.log, errors="replace").read()
kernel = re.search(r"SALUA-GUEST-START (\S+)", text)
kernel = kernel.group(1) if kernel else "?"
rows = {}
for m in re.finditer(r"^MPATH-SCEN (.*)$", text, re.M):
    kv = dict(f.split("=", 1) for f in m.group(1).split() if "=" in f)
    rows[kv["name"]] = kv
bad = []
for name in a.expect.split(","):
    if name not in rows:
        bad.append("scenario %s did not run" % name)
    elif rows[name].get("result") != "ok":
        bad.append("scenario %s: %s" % (name, rows[name]))
if not re.search(r"^MPT done fails=0$", text, re.M):
    bad.append("the guest counted failed checks: " +
               "; ".join(re.findall(r"^MPT FAIL (.*)$", text, re.M)[:10]))

lines = ["| kernel | scenario | expect | I/Os | errors | mismatches | longest pause ms | first error after ms |",
         "|---|---|---|---|---|---|---|---|"]
for name, r in rows.items():
    fe = r.get("first_err_us", "-")
    lines.append("| %s | %s | %s | %s | %s | %s | %.0f | %s |" % (
        kernel, name, r.get("expect"), r.get("ios"), r.get("errors"),
        r.get("mismatches"), int(r.get("max_pause_us") or 0) / 1000.0,
        "-" if fe in ("-", "") else "%.0f" % (int(fe) / 1000.0)))
print("\n".join(lines))
if a.table:
    with open(a.table, "w") as f:
        f.write("\n".join(lines) + "\n")
for b in bad:
    print("check_mpath: FAIL: " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
