#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Host-side assertions on the scsi_debug guest run (tests/guest/scsi_debug.sh).

scsi_debug vpd_use_hostno=0 add_host=3 (Debian 6.1, ALUA-FACTS.md §2): one LU
naa.33333330000007d0 on every host; host H's port is relative port 1 in TPG
0x(H+1)00 in state H mod 3; TPG 0x(H+1)80 is unavailable; TPGS=1; no STPG.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guestlib import sections, js, check, done  # noqa: E402

S = sections(sys.argv[1])
NAMES = {0: "active/optimized", 1: "active/non-optimized", 2: "standby",
         3: "unavailable"}

sg_of = {}
for h in range(3):
    t, _ = S.get("map%d" % h, ("", 1))
    m = re.search(r"sg (sg\d+)", t)
    check(m is not None, "host %d has an sg node" % h)
    if m:
        sg_of[h] = m.group(1)

t, rc = S.get("probe_json", ("", -1))
j = js(t)
check(rc == 0 and j is not None, "alua_probe --json exits 0 with JSON")
lus = j["logical_units"] if j else []
check(len(lus) == 1, "one LU for the three hosts (got %d)" % len(lus))
if lus:
    lu = lus[0]
    check(lu["lu_name"] == "naa.33333330000007d0", "LU name " + str(lu["lu_name"]))
    check(lu["vendor"] == "Linux" and lu["product"] == "scsi_debug",
          "vendor/product")
    check(lu["tpgs"] == 1 and lu["tpgs_name"] == "implicit", "TPGS 1 implicit")
    check(len(lu["paths"]) == 3, "three paths")
    for p in lu["paths"]:
        h = int(p["hctl"].split(":")[0])
        check(p["device"] == "/dev/" + sg_of.get(h, "?"),
              "%s is host %d's sg node" % (p["device"], h))
        check(p["relative_port"] == 1, "%s relative port 1" % p["device"])
        check(p["tpg_id"] == (h + 1) * 0x100,
              "%s tpg 0x%x" % (p["device"], p["tpg_id"] or 0))
        check(p["state"] == h % 3 and p["state_name"] == NAMES[h % 3],
              "%s state %s (host %d)" % (p["device"], p["state_name"], h))
        check(p["supported"] == 0x0f and p["preferred"] is False,
              "%s supported 0x0f, not preferred" % p["device"])
        check(p["block_device"] is not None and p["error"] is None,
              "%s has a block device, no error" % p["device"])
    groups = {g["tpg_id"]: g for g in lu["groups"]}
    for h in range(3):
        a, u = (h + 1) * 0x100, (h + 1) * 0x100 + 0x80
        check(a in groups and groups[a]["state"] == h % 3 and
              groups[a]["ports"] == [1], "group 0x%x state %d port 1" % (a, h % 3))
        check(u in groups and groups[u]["state"] == 3 and
              groups[u]["supported"] == 0x08 and groups[u]["ports"] == [2],
              "group 0x%x unavailable, port 2" % u)
    sel = lu["selector"]
    check(sel["failover"] == [sg_of.get(0)] and sel["numa"] == [sg_of.get(0)],
          "selector picks host 0's AO path: " + str(sel))

t, rc = S.get("probe_text", ("", -1))
check(rc == 0 and "LU naa.33333330000007d0" in t and "TPGS 1 (implicit)" in t,
      "text report header")

t, rc = S.get("probe_hex", ("", -1))
check(rc == 0 and re.search(r"cdb a3 [02]a", t) is not None and "rtpg" in t, "--hex -v shows CDBs and raw RTPG")

# SG_IO through the sd nodes gives the same LU and states.
j = js(S.get("probe_sd", ("", -1))[0])
sd = j["logical_units"] if j else []
check(len(sd) == 1 and sd[0]["lu_name"] == "naa.33333330000007d0" and
      sorted((p["hctl"], p["state"]) for p in sd[0]["paths"]) ==
      [("0:0:0:0", 0), ("1:0:0:0", 1), ("2:0:0:0", 2)] and
      all(p["device"].startswith("/dev/sd") for p in sd[0]["paths"]),
      "/dev/sdX nodes: same LU, same states")

# Agreement with sg3_utils on each device.
for h, sg in sorted(sg_of.items()):
    ours = js(S.get("probe_" + sg, ("", -1))[0])
    p = ours["logical_units"][0]["paths"][0] if ours else None
    t, rc = S.get("sg_inq_" + sg, ("", -1))
    m = re.search(r"TPGS=(\d)", t)
    check(rc == 0 and m and p and int(m.group(1)) == p["tpgs"],
          "%s: sg_inq TPGS agrees" % sg)
    t, rc = S.get("sg_vpd_" + sg, ("", -1))
    m = re.search(r"Target port group: 0x([0-9a-f]+)", t)
    check(rc == 0 and m and p and int(m.group(1), 16) == p["tpg_id"],
          "%s: sg_vpd -p di target port group agrees" % sg)
    m = re.search(r"Relative target port: 0x([0-9a-f]+)", t)
    check(m and p and int(m.group(1), 16) == p["relative_port"],
          "%s: sg_vpd -p di relative port agrees" % sg)
    check("0x33333330000007d0" in t, "%s: sg_vpd shows the NAA" % sg)
    t, rc = S.get("sg_rtpg_" + sg, ("", -1))
    theirs = [(int(a, 16), int(b, 16)) for a, b in re.findall(
        r"target port group id : 0x([0-9a-f]+).*?asymmetric access state : 0x([0-9a-f]+)",
        t, re.S)]
    mine = [(g["tpg_id"], g["state"]) for g in ours["logical_units"][0]["groups"]] if ours else []
    check(rc == 0 and theirs and theirs == mine,
          "%s: sg_rtpg groups/states %s == ours %s" % (sg, theirs, mine))

t, rc = S.get("stpg", ("", -1))
check(rc == 5 and "does not support SET TARGET PORT GROUPS" in t and
      "/dev/" in t, "--set-state: STPG unsupported, exit 5: " + t[-200:])
t, rc = S.get("stpg_json", ("", -1))
j = js(t)
check(rc == 5 and j and j["error"]["code"] == "enotsup", "--json --set-state error object")

# STPG through /dev/sdb, opened read-only, reaches the target (which
# refuses: no explicit ALUA), as root and as uid 1000 (the kernel's SG_IO
# filter counts MAINTENANCE OUT, opcode 0xa4 = REPORT KEY, as read-safe).
for sec_name, who in (("stpg_sd", "root"), ("stpg_sd_user", "uid 1000")):
    t, rc = S.get(sec_name, ("", -1))
    check(rc == 5 and "/dev/sdb: the target does not support SET TARGET PORT GROUPS" in t
          and "Operation not permitted" not in t,
          "STPG via read-only /dev/sdb reaches the target as %s: %s" % (who, t[-200:]))

# /dev/mapper/NAME and /dev/dm-N: the map's three paths, one LU.
t, rc = S.get("dm_table", ("", -1))
if rc == 0:
    j = js(S.get("dm_probe", ("", -1))[0])
    lus = j["logical_units"] if j else []
    check(len(lus) == 1 and lus[0]["lu_name"] == "naa.33333330000007d0" and
          sorted(p["device"] for p in lus[0]["paths"]) ==
          ["/dev/sda", "/dev/sdb", "/dev/sdc"],
          "/dev/mapper/salua_mp: its three paths, one LU: %s" %
          [p["device"] for p in (lus[0]["paths"] if lus else [])])
    t2, rc2 = S.get("dm_probe", ("", -1))
    check("/dev/mapper/salua_mp: members /dev/sda /dev/sdb /dev/sdc" in t2,
          "-v lists the members")
    t2, rc2 = S.get("dm_probe_dmN", ("", -1))
    check(rc2 == 0 and "3 paths" in t2, "/dev/dm-N: the same three paths")
else:
    check(False, "dmsetup created the map: " + t[-200:])

# The kernel's scsi_dh_alua view agrees with ours.
t, _ = S.get("access_state", ("", -1))
kern = dict((l.split()[0], l.split()[1]) for l in t.splitlines() if len(l.split()) >= 2)
j = js(S.get("probe_dh", ("", -1))[0])
for p in (j["logical_units"][0]["paths"] if j else []):
    check(kern.get(p["hctl"]) == p["state_name"] == p["kernel_access_state"],
          "%s: kernel access_state %s == ours %s" % (p["hctl"], kern.get(p["hctl"]),
                                                     p["state_name"]))
check(j is not None and len(kern) == 3, "access_state read for 3 devices")
# A dead path (scsi_debug drops every command) ends with a clear error
# within --timeout and the kernel's error handling.
t, rc = S.get("dead_path", ("", -1))
try:  # the report, then the error line on stderr
    j = json.JSONDecoder().raw_decode(t[t.find("{"):])[0]
except ValueError:
    j = None
check(rc == 3 and j and j["error"] and j["error"]["code"] == "etimedout" and
      "timed out after 1000 ms" in j["error"]["message"],
      "dead path, --timeout 1: exit 3, etimedout: " + t[-300:])
secs = S.get("dead_path_secs", ("", -1))[0].strip()
check(secs.isdigit() and int(secs) <= 30,
      "dead path: the run ends in %s s (bound 30 s)" % secs)
done("guest.scsi_debug")
