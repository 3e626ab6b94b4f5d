#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Host-side check of tests/guest/tcmu_identity.sh (the kernel as an oracle).

Every page tcmu_oracle served is "same" (the kernel's wwid / access_state
equals our decode of the bytes the kernel holds), "diff", "oob" (the
kernel's own walk reads past its buffer: listed, not compared) or "stale"
(the kernel did not take the new page on rescan).  Fails on any stale page,
on a difference not listed in tcmu_identity.known, and on a listed one that
now matches (so the list only shrinks: zero differences is the goal).
usage: check_tcmu_identity.py KNOWN_FILE CONSOLE_LOG (run-guest.sh --check adds the log)
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guestlib import check, done  # noqa: E402

known_file, log = sys.argv[1], sys.argv[2]
known = set()
with open(known_file) as f:
    for line in f:
        line = line.split("#", 1)[0].strip()
        if line:
            known.add(line)

verdict, summary = {}, {}
with open(log, errors="replace") as f:
    for line in f:
        m = re.match(r"^(VPD|RTPG) (\S+) (same|diff|oob|stale)\b", line)
        if m:
            verdict[(m.group(1), m.group(2))] = m.group(3)
        m = re.match(r"^(VPD|RTPG)-SUMMARY (.*)$", line)
        if m:
            summary[m.group(1)] = dict(kv.split("=") for kv in m.group(2).split())

for kind, least in (("VPD", 900), ("RTPG", 100)):
    s = summary.get(kind)
    check(s is not None, "%s summary line present" % kind)
    if not s:
        continue
    pages = int(s["pages"])
    check(pages >= least, "%s: %d pages compared (at least %d)" % (kind, pages, least))
    check(int(s["stale"]) == 0, "%s: the kernel re-read every page on rescan (stale=%s)"
          % (kind, s["stale"]))
    diffs = sorted(n for (k, n), v in verdict.items() if k == kind and v == "diff")
    new = [n for n in diffs if "%s %s" % (kind, n) not in known]
    # a listed page that ran and matched; pages not run (no public
    # vectors in this checkout) are not held against the list
    gone = sorted(n for (k, n) in (x.split(" ", 1) for x in known)
                  if k == kind and verdict.get((kind, n)) in ("same", "oob"))
    for n in new:
        print("NEW DIFFERENCE: %s %s" % (kind, n))
    for n in gone:
        print("NOW %s (remove from %s): %s %s" % (verdict.get((kind, n), "not run").upper(),
              os.path.basename(known_file), kind, n))
    check(not new, "%s: no difference outside the known list (%d new)" % (kind, len(new)))
    check(not gone, "%s: every listed difference still differs (%d gone)" % (kind, len(gone)))
    print("%s oracle: %d pages, %s same, %d differences (%d listed), %s kernel-oob"
          % (kind, pages, s["same"], len(diffs), len(diffs) - len(new), s["oob"]))
done("tcmu_identity")
