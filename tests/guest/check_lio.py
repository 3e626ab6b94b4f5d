#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Host-side assertions on the LIO guest run (tests/guest/lio.sh).

One fileio LU behind two tcm_loop targets: group 16 (gp_a, active/optimized,
PREF) and group 32 (gp_b, standby), implicit + explicit ALUA (TPGS=3).
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guestlib import sections, js, check, done  # noqa: E402

S = sections(sys.argv[1])


def lu_of(name):
    j = js(S.get(name, ("", -1))[0])
    lus = j["logical_units"] if j else []
    check(len(lus) == 1, "%s: one LU (got %d)" % (name, len(lus)))
    check(bool(lus) and str(lus[0]["lu_name"]).startswith("naa.6001405"),
          "%s: LU name is LIO's NAA: %s" % (name, lus[0]["lu_name"] if lus else None))
    return lus[0] if lus else None


def by_tpg(lu):
    return dict((p["tpg_id"], p) for p in lu["paths"]) if lu else {}


lu = lu_of("probe_json")
if lu:
    check(lu["tpgs"] == 3 and lu["tpgs_name"] == "implicit+explicit", "TPGS=3")
    check(len(lu["paths"]) == 2, "two paths (two tcm_loop hosts)")
    check(lu["vendor"] == "LIO-ORG", "vendor LIO-ORG: " + str(lu["vendor"]))
    p = by_tpg(lu)
    check(sorted(p) == [16, 32], "paths in groups 16 and 32: %s" % sorted(p))
    if 16 in p and 32 in p:
        check(p[16]["state_name"] == "active/optimized" and p[16]["preferred"],
              "group 16 active/optimized, PREF")
        check(p[32]["state_name"] == "standby" and not p[32]["preferred"],
              "group 32 standby")
        check(p[16]["supported"] == p[32]["supported"] == 0xcf,
              "supported 0xcf (T O U S AN AO)")
        check(lu["selector"]["failover"] == [p[16]["device"].split("/")[-1]],
              "failover picks the AO path")
    g = dict((x["tpg_id"], x) for x in lu["groups"])
    check(16 in g and 32 in g, "both groups decoded despite LIO's short RTPG")
    check(all(x["error"] is None for x in lu["paths"]), "no path errors")

t, rc = S.get("probe_text", ("", -1))
check(rc == 0 and "TPGS 3 (implicit+explicit)" in t, "text report")

for sg in ("sg0", "sg1"):
    t, rc = S.get("sg_rtpg_" + sg, ("", -1))
    theirs = set((int(a, 16), int(b, 16)) for a, b in re.findall(
        r"target port group id : 0x([0-9a-f]+).*?asymmetric access state : 0x([0-9a-f]+)",
        t, re.S))
    check(rc == 0 and (16, 0) in theirs and (32, 2) in theirs,
          "%s: sg_rtpg agrees: %s" % (sg, sorted(theirs)))

t, rc = S.get("set_state", ("", -1))
check(rc == 0 and "STPG /dev/sg" in t and "0x0020 -> active/optimized" in t,
      "--set-state ao on the standby path: exit 0: " + t[:200])
lu = lu_of("after_set")
p = by_tpg(lu)
check(32 in p and p[32]["state_name"] == "active/optimized" and p[32]["status_code"] == 1,
      "group 32 now active/optimized, status 'altered by STPG'")

t, _ = S.get("watch", ("", -1))
sbdev = S.get("standby_dev", ("", -1))[0].strip()
lines = t.splitlines()
ao_dev = [d for d in ("/dev/sg0", "/dev/sg1") if d != sbdev]
ao_dev = ao_dev[0] if ao_dev else "?"
ua = [l for l in lines if "TUR:" in l and "2a/06" in l]
tr = [l for l in lines if ao_dev in l and "-> transitioning" in l]
st = [l for l in lines if ao_dev in l and "transitioning -> standby" in l]
check(len(ua) >= 1, "watch: UNIT ATTENTION 2A/06 seen by TUR")
check(len(tr) == 1, "watch: %s active/optimized -> transitioning" % ao_dev)
check(len(st) == 1, "watch: %s transitioning -> standby" % ao_dev)
if tr and st:
    t0 = float(re.search(r"\[\+\s*([\d.]+)s\]", tr[0]).group(1))
    t1 = float(re.search(r"\[\+\s*([\d.]+)s\]", st[0]).group(1))
    check(1.5 <= t1 - t0 <= 6.0,
          "transitioning lasted %.3f s (trans_delay_msecs 2500)" % (t1 - t0))
check("final state:" in t, "watch ends by itself with a final report")

c, _ = S.get("configfs", ("", -1))
check("gp_a 2" in c, "configfs: gp_a standby")
lu = lu_of("final_json")
p = by_tpg(lu)
check(16 in p and p[16]["state_name"] == "standby", "final: group 16 standby")
check(32 in p and p[32]["state_name"] == "active/optimized",
      "final: group 32 active/optimized")
if lu and 32 in p:
    check(lu["selector"]["failover"] == [p[32]["device"].split("/")[-1]],
          "final: failover picks the group 32 path")
# Verified I/O over SG_IO through the host layer, across a failback and a
# failover made through configfs.
j = js(S.get("io", ("", -1))[0])
lus = j["logical_units"] if j else []
io = lus[0].get("io") if len(lus) == 1 else None
check(io is not None, "--io over SG_IO ran on the LU: %s" % S.get("io_err", ("", -1))[0][:300])
if io:
    print("io over SG_IO: ios=%d errors=%d mismatches=%d max_pause_ms=%d kib_s=%d paths=%s" % (
        io["ios"], io["errors"], io["mismatches"], io["max_pause_ms"], io["kib_s"],
        [(p["device"], p["ios"]) for p in io["paths"]]))
    check(io["ios"] > 50, "--io: I/O completed (%d)" % io["ios"])
    check(io["errors"] == 0 and io["mismatches"] == 0,
          "--io across failback and failover: zero errors, zero mismatches (%s)"
          % io["first_error"])
    check(all(p["ios"] > 0 for p in io["paths"]) and len(io["paths"]) == 2,
          "--io: both paths carried I/O")
cfg = S.get("io_err", ("", -1))[0]
check("failback done: gp_a 0 gp_b 2" in cfg and "failover done: gp_a 2 gp_b 0" in cfg,
      "configfs failback and failover happened during --io: " + cfg[-200:])
tlt = S.get("io_timeline", ("", -1))[0]
check(re.search(r"state /dev/sg\d+: active/optimized -> transitioning", tlt) is not None,
      "--io --timeline events show the transitions")
done("guest.lio")
