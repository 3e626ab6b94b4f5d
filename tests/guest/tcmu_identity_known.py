#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Write tests/guest/tcmu_identity.known from a tcmu_identity console log.

usage: tcmu_identity_known.py CONSOLE_LOG > tests/guest/tcmu_identity.known
Each "diff" page becomes one line, with a rough class as a comment (for the
reader; the check uses only the names).  Run it after a decoder change and
review the diff of the known file: it should only lose lines.
"""
import re
import sys


def klass(kind, name, k, s):
    if kind == "RTPG":
        if s.startswith("no-group"):
            return "we find no complete descriptor for the path's group; the kernel reads one"
        return "the kernel applies another descriptor for the group (last wins)"
    kq, sq = k.startswith("'"), s.startswith("'")
    if kq and sq and k.replace("\\x00", "") == s:
        return "name string: the kernel keeps its NUL padding (id length = DESIGNATOR LENGTH)"
    if kq and sq and k[1:5] == "t10." and s[1:5] == "t10.":
        return "T10 rendering: the kernel's %pE escapes, ours \\xHH"
    if "naa2" in name or "naa4" in name:
        return "NAA 2 / NAA 4 ranking (the kernel ranks nibble 4, we rank 2)"
    if kq and not sq:
        return "the kernel names the LU from a designator we do not rank"
    if sq and not kq:
        return "we name the LU, the kernel gives no name"
    return "both name it, from different designators"


rows = []
with open(sys.argv[1], errors="replace") as f:
    for line in f:
        m = re.match(r"^(VPD|RTPG) (\S+) diff kernel=(.*?) salua=(.*?)( page=\S+)?$", line.rstrip())
        if m:
            rows.append((m.group(1), m.group(2), klass(m.group(1), m.group(2), m.group(3), m.group(4))))
print("# Known differences between the kernel (scsi_vpd_lun_id / scsi_dh_alua)")
print("# and salua on the pages of tests/guest/tcmu_oracle.c; checked by")
print("# check_tcmu_identity.py.  Regenerate with tcmu_identity_known.py.")
for cls in sorted(set(r[2] for r in rows)):
    n = sum(1 for r in rows if r[2] == cls)
    print("\n# %s (%d)" % (cls, n))
    for r in rows:
        if r[2] == cls:
            print("%s %s" % (r[0], r[1]))
