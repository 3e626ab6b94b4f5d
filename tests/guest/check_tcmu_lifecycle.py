#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Host-side check of tests/guest/tcmu_lifecycle.sh: salua-target's "ready"
lines against what the kernel and alua_probe see over SG_IO.

luns=3,ports=3,groups=2: port p is in group p*2/3 (TPG 1, 1, 2), relative
port p+1; one LU per sim LU, named naa.65a1a0000053494d + LU index + 1, on
three paths; the scenario file moves LU 1 to group 2 a second after ready.
usage: check_tcmu_lifecycle.py CONSOLE_LOG
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guestlib import sections, js, check, done  # noqa: E402

S = sections(sys.argv[1])
ready = S.get("ready", ("", -1))[0].splitlines()
check(bool(ready) and ready[0] == "ready", "first line 'ready'")
paths = {}
for line in ready[1:]:
    f = line.split()
    if len(f) == 4:
        paths[f[0]] = (int(f[1]), int(f[2]), int(f[3]))
check(len(paths) == 9, "one line per path: 3 LUs x 3 ports (%d)" % len(paths))
check(sorted(paths.values()) == sorted((l, p, (p * 2 // 3) + 1) for l in range(3) for p in range(3)),
      "LUN PORT TPG as the sim's layout: %s" % sorted(paths.values()))


def name(lun):
    return "naa.65a1a0000053494d%016x" % (lun + 1)


wwid = {}
for line in S.get("wwids", ("", -1))[0].splitlines():
    f = line.split()
    if len(f) == 2:
        wwid[f[0]] = f[1]
for h, (lun, port, tpg) in paths.items():
    check(wwid.get(h) == name(lun), "%s: the kernel's wwid %s is LU %d's name" % (h, wwid.get(h), lun))


def lus(section):
    j = js(S.get(section, ("", -1))[0])
    return dict((lu["lu_name"], lu) for lu in (j or {}).get("logical_units", []))


L = lus("probe")
check(len(L) == 3, "alua_probe: three LUs (%d)" % len(L))
for lun in range(3):
    lu = L.get(name(lun))
    check(lu is not None and len(lu["paths"]) == 3, "LU %d: three paths" % lun)
    if not lu:
        continue
    check(lu["vendor"] == "SALUA" and lu["tpgs"] == 3, "LU %d: SALUA, TPGS 3" % lun)
    for p in lu["paths"]:
        want = paths.get(p["hctl"])
        check(want is not None and p["relative_port"] == want[1] + 1 and p["tpg_id"] == want[2],
              "LU %d %s: relative port %s TPG %s as printed %s"
              % (lun, p["hctl"], p["relative_port"], p["tpg_id"], want))
        if lun != 1:  # LU 1 runs the scenario from 1 s after ready on
            check(p["state_name"] == ("active/optimized" if p["tpg_id"] == 1 else "standby"),
                  "LU %d %s: %s" % (lun, p["hctl"], p["state_name"]))

L = lus("after_scenario")
lu = L.get(name(1))
check(lu is not None, "after the scenario: LU 1 still there")
if lu:
    st = dict((p["tpg_id"], p["state_name"]) for p in lu["paths"])
    check(st == {1: "standby", 2: "active/optimized"},
          "scenario=FILE on wall-clock time: LU 1 group 1 standby, group 2 active/optimized: %s" % st)
lu = L.get(name(0))
if lu:
    st = dict((p["tpg_id"], p["state_name"]) for p in lu["paths"])
    check(st == {1: "active/optimized", 2: "standby"}, "LU 0 untouched: %s" % st)
log = S.get("log_scenario", ("", -1))[0]
check("scenario /tmp/scen: 2 events" in log, "the scenario file was loaded at ready")
done("tcmu_lifecycle")
