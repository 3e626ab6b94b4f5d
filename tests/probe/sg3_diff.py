#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Differential test: `alua_probe decode --json` against Debian's sg3_utils.

Usage: sg3_diff.py PROBE VECTORS_DIR DATA_DIR [-v]

For every vector of a matching kind (the public vectors, the decoder
regression vectors in DATA_DIR/../vectors and DATA_DIR/inputs/*.hex) run
  vpd83:   sg_vpd --inhex=F --page=di   and   sg_inq --inhex=F -u
  inquiry: sg_inq --inhex=F
  sense:   sg_decode_sense --file=F     (1.46 has no --inhex)
parse their text, and compare field by field with alua_probe's JSON.
sg_rtpg/sg_stpg have no offline input (USERSPACE-FACTS.md §0), so rtpg and
stpg are covered by the golden files of cli_test.py instead.

Differences we intend are listed in INTENDED with the reason; any other
difference fails the test.  The report says what agreed and what differed.
"""
import json
import os
import re
import subprocess
import sys

PROBE, VECTORS, DATA = sys.argv[1], sys.argv[2], sys.argv[3]
VERBOSE = "-v" in sys.argv[4:]

# (vector, field) -> why we differ from sg3_utils on purpose.
INTENDED = {
    ("vpd83_emc_symmetrix_legacy_no_desc_header", "designators"):
        "sg_vpd shows nothing for the SCSI-2 layout (title only, exit 0); "
        "we decode its bare NAA identifier as sg_inq and udev do (the "
        "'udev LUN_NAA' field, sg_inq's reading, agrees)",
    ("vpd83_sg3_all_designator_types", "error"):
        "the 40-byte iqn SCSI name string has no NUL terminator (SPC-5 "
        "requires one); sg_vpd prints it, we list it with its problem and "
        "make the first invalid designator the error (exit 1)",
    ("vpd83_sg3_ctrl_char_in_strings", "error"):
        "the T10 vendor id carries an LF, not printable ASCII as SPC-5 "
        "requires; sg_vpd prints it raw, we list every designator and make "
        "the first invalid one the error (exit 1)",
    ("vpd83_sg3_ctrl_char_in_strings", "designator 2 printed raw"):
        "sg_vpd prints the LF inside the T10 vendor id raw (splitting the "
        "line); we escape it (\\u000a in JSON, \\x0a in text)",
    ("vpd83_sg3_ctrl_char_in_strings", "designator 12 printed raw"):
        "sg_vpd prints the LF inside the SCSI name string raw; we escape it",
    ("vpd83_sg3_ctrl_char_in_strings", "udev TARGET_NAME"):
        "sg_inq -u exports the name up to the raw LF and then a stray line "
        "'boo' (udev export injection); we keep the whole value, escaped",
    ("vpd83_sg3_name_len_not_mult4", "designator 1 printed raw"):
        "sg_vpd prints the LF raw; we escape it",
    ("vpd83_sg3_name_len_not_mult4", "udev LUN_NAME"):
        "sg_inq -u exports 'SCSI_IDENT_LUN_NAME=iqn.2026-05.sg3' and then "
        "the injected line 'X_SG3_PROBE=1'; we keep one escaped value",
    ("vpd83_empty", "error"):
        "sg_vpd 1.46 warns 'short designator around offset -1' (three "
        "times) on a page with no designators; we decode it as an empty "
        "list with lu_name null (SPC-5 wants an LU designator, but that is "
        "the caller's policy, not a decoding error)",
    # The decoder regression vectors (tests/data/vectors, issue #16).
    ("sense_desc_stray_byte", "error"):
        "one byte inside ADDITIONAL SENSE LENGTH after the last descriptor "
        "cannot hold a descriptor header; sg_decode_sense ignores it, we "
        "make it the error with its offset (docs/differences-sense.md)",
    ("inq_cut_inside_vendor", "vendor"):
        "15 bytes arrived: VENDOR (bytes 8..15) lacks its last byte; "
        "sg_inq prints the 7 bytes it got, we print null and list the "
        "field in partial_fields (a prefix is not the field)",
    ("inq_cut_inside_product", "product"):
        "20 bytes arrived: sg_inq prints PRODUCT's first 4 bytes, we null "
        "the partial field",
    ("inq_cut_inside_revision", "revision"):
        "34 bytes arrived: sg_inq prints REVISION's first 2 bytes, we null "
        "the partial field",
    ("inq_additional_length_cuts_product", "product"):
        "ADDITIONAL LENGTH 20 ends the response at byte 25; sg_inq prints "
        "the bytes beyond it (the allocation's padding), we take the "
        "device's own length and null the field it cuts",
    ("inq_additional_length_cuts_product", "revision"):
        "the same: REVISION lies wholly beyond the response's own length",
    ("vpd83_name_invalid_utf8", "error"):
        "a UTF-8 code set designator whose bytes are not UTF-8: sg_vpd "
        "prints them, we flag problem 'utf8' and make it the error",
    ("vpd83_impossible_lengths", "error"):
        "NAA of 12 bytes, EUI-64 of 6, relative port of 2: sg_vpd prints "
        "a warning line for each and exits 0; a designator problem is our "
        "error (first one, offset 4), every designator still listed",
    ("vpd83_impossible_lengths", "designator 1 value"):
        "sg_vpd prints only a warning naming the NAA length 0xc; we give "
        "the 12 bytes with problem 'length'",
    ("vpd83_impossible_lengths", "designator 2 value"):
        "sg_vpd prints its warning and a hex dump; we give the 6 bytes "
        "with problem 'length'",
    ("vpd83_kernel_naa6_8_bytes", "error"):
        "an NAA-6 (Registered Extended) of 8 bytes breaks its length; "
        "sg_vpd warns and exits 0, we make it the error",
    ("vpd83_kernel_naa6_8_bytes", "designator 2 value"):
        "sg_vpd prints a warning naming length 8; we give the bytes with "
        "problem 'length' (and the kernel names the LU by them)",
    ("vpd83_kernel_naa_no_text", "error"):
        "an NAA-6 of 12 bytes: our error, sg_vpd's warning",
    ("vpd83_kernel_naa_no_text", "designator 2 value"):
        "sg_vpd prints a warning naming length 0xc; we give the bytes",
    ("vpd83_kernel_t10_escapes", "error"):
        "a T10 vendor id carrying TAB, 0x01 and DEL is not printable ASCII "
        "(SPC-5 4.3.1); sg_vpd prints it raw, we flag 'characters' and "
        "make it the error",
    ("vpd83_kernel_t10_escapes", "designator 1 printed raw"):
        "sg_vpd writes the TAB and 0x01 raw; we escape them",
    ("vpd83_kernel_port_tolerance", "error"):
        "an ASCII-coded relative port and a TPG designator with LU "
        "association break SPC-5 table 516; sg_vpd warns, we make the "
        "first the error (the kernel reads both anyway: relative_port, "
        "tpg_id)",
    ("vpd83_kernel_port_tolerance", "designator 3 value"):
        "sg_vpd replaces the value by a warning and a hex dump; we give "
        "the group 9 with problem 'association'",
    ("vpd83_kernel_reads_outside", "error"):
        "a 1-byte TPG designator: sg_vpd warns, we make it the error",
    ("vpd83_legacy_scsi2_naa6", "designators"):
        "the SCSI-2 layout: sg_vpd shows nothing; we decode the bare NAA "
        "identifier (udev's and sg_inq's reading: 'udev LUN_NAA' agrees)",
    ("vpd83_reserved_byte_not_legacy", "designators"):
        "a reserved byte 2 set in the first designator makes sg_vpd and "
        "sg_inq take the page as SCSI-2 (nothing shown; the whole page as "
        "one NAA); the SPC walk of it is clean, so we decode it as SPC "
        "(docs/differences-vpd.md, legacy pages)",
    ("vpd83_reserved_byte_not_legacy", "udev LUN_NAA"):
        "the same: sg_inq -u exports the page's bytes 4.. as the NAA",
    ("inquiry_short_5", "tpgs"):
        "sg_inq prints TPGS=0 for a byte it never received (zero-filled "
        "buffer); we say null (unknown)",
}

TYPES = {"vendor specific [0x0]": 0, "T10 vendor identification": 1,
         "EUI-64 based": 2, "NAA": 3, "Relative target port": 4,
         "Target port group": 5, "Logical unit group": 6,
         "MD5 logical unit identifier": 7, "SCSI name string": 8,
         "Protocol specific port identifier": 9, "UUID identifier": 10}
CODE_SETS = {"Binary": 1, "ASCII": 2, "UTF-8": 3}
ASSOCS = {"Addressed logical unit:": 0, "Target port:": 1,
          "Target device that contains addressed lu:": 2,
          "Reserved [0x3]:": 3}
TRANSPORTS = [("Fibre Channel", 0), ("SCSI Parallel", 1), ("Serial Storage", 2),
              ("IEEE 1394", 3), ("SCSI RDMA", 4), ("Internet SCSI", 5),
              ("Serial Attached SCSI", 6), ("Automation/Drive", 7),
              ("AT Attachment", 8), ("USB Attached SCSI", 9),
              ("SCSI over PCI Express", 10), ("PCIe", 11), ("No specific", 15)]

agreed, intended_seen, unexpected = [], [], []


def sh(args):
    p = subprocess.run(args, capture_output=True, timeout=20)
    return p.returncode, p.stdout, p.stderr


def probe(typ, path):
    rc, out, _ = sh([PROBE, "decode", "--type", typ, "--inhex", path, "--json"])
    return rc, json.loads(out)


def compare(name, field, ours, theirs):
    key = (name, field)
    if ours == theirs:
        agreed.append(key)
        if key in INTENDED:
            unexpected.append((name, field, "listed as intended but agrees"))
    elif key in INTENDED:
        intended_seen.append((name, field, ours, theirs))
    else:
        unexpected.append((name, field, "ours %r, sg3 %r" % (ours, theirs)))


def lat1(s):
    """A JSON string of ours back to the bytes it came from: valid UTF-8
    as UTF-8, a byte that was not UTF-8 as \\udcXX (surrogateescape)."""
    return None if s is None else s.encode("utf-8", "surrogateescape")


def parse_sg_vpd(out):
    recs, assoc, cur = [], None, None
    for raw in out.split(b"\n"):
        line = raw.decode("latin-1")
        s = line.strip()
        if s in ASSOCS:
            assoc = ASSOCS[s]
            continue
        m = re.match(r"\s+designator type: (.*),  code set: (.*)$", line)
        if m:
            t, c = m.group(1), m.group(2)
            r = re.match(r"Reserved \[0x([0-9a-f]+)\]", t)
            rc = re.match(r"Reserved \[0x([0-9a-f]+)\]", c)
            cur = {"association": assoc,
                   "designator_type": int(r.group(1), 16) if r else TYPES.get(t),
                   "code_set": int(rc.group(1), 16) if rc else CODE_SETS.get(c),
                   "transport": None, "body": []}
            recs.append(cur)
            continue
        if cur is None:
            continue
        m = re.match(r"\s+transport: (.*)$", line)
        if m:
            cur["transport"] = next((v for k, v in TRANSPORTS
                                     if m.group(1).startswith(k)), m.group(1))
            continue
        cur["body"].append(raw)
    return recs


def sg_value(rec, d):
    """What sg_vpd shows as the designator's value, in our JSON's terms."""
    body = [b.decode("latin-1") for b in rec["body"]]
    text = "\n".join(b.strip() for b in body if b.strip())
    t = rec["designator_type"]
    if t in (2, 3):
        m = re.search(r"0x([0-9a-f]+)", text)
        return m.group(1) if m else text, d["value_hex"]
    if t in (4, 5, 6) and d["length"] == 4 and d["code_set"] == 1:
        m = re.search(r": 0x([0-9a-f]+)", text)
        return (int(m.group(1), 16) if m else text), int(d["value_hex"][4:], 16)
    if t == 1:
        body_b = list(rec["body"])
        while body_b and body_b[-1] == b"":
            body_b.pop()  # the blank end of sg_vpd's output, not the value
        raw = b"\n".join(body_b)
        m = re.search(rb"vendor id: (.{8})\n\s*vendor specific: (.*)$", raw, re.S)
        sg = (m.group(1) + m.group(2)).rstrip(b" ") if m else raw
        return sg, lat1(d["value_text"]).rstrip(b" ")
    if t == 8:
        raw = b"\n".join(rec["body"])
        m = re.search(rb"SCSI name string:\n\s*(.*)$", raw, re.S)
        return (m.group(1).rstrip(b"\n") if m else raw), lat1(d["value_text"])
    if t in (0, 7):
        hexs = ""
        for b in body:
            if re.match(r"^[0-9a-f]{2} ", b):
                hexs += b[:49].replace(" ", "")
        return hexs, d["value_hex"]
    if t == 10:
        m = re.search(r"UUID: ([0-9a-f-]+)", text)
        return (m.group(1).replace("-", "") if m else text), d["value_hex"][4:]
    if t == 9:
        v = bytes.fromhex(d["value_hex"])
        if d["protocol_identifier"] == 9:
            m = re.findall(r": 0x([0-9a-f]+)", text)
            return [int(x, 16) for x in m], [v[0] & 0x7f, v[2]]
        if d["protocol_identifier"] == 10:
            m = re.search(r"bus number: 0x([0-9a-f]+)", text)
            return (int(m.group(1), 16) if m else text), v[0]
    return None, None


def check_vpd83(name, path):
    rc, j = probe("vpd83", path)
    src, out, err = sh(["sg_vpd", "--inhex=" + path, "--page=di"])
    _, plain, _ = sh([PROBE, "decode", "--type", "vpd83", "--inhex", path])
    title_ok = out.startswith(b"Device Identification VPD page:")
    recs = parse_sg_vpd(out) if title_ok else []
    sg_error = bool(err.strip()) or not title_ok
    compare(name, "error", j["error"] is not None, sg_error)
    ours = sorted(j["designators"], key=lambda d: d["association"])
    compare(name, "designators", len(ours), len(recs))
    for i, (d, r) in enumerate(zip(ours, recs)):
        n = j["designators"].index(d) + 1
        tag = "designator %d" % n
        for f in ("association", "designator_type", "code_set"):
            compare(name, "%s %s" % (tag, f), d[f], r[f])
        proto = d["protocol_identifier"] if d["piv"] and d["association"] in (1, 2) else None
        compare(name, tag + " transport", proto, r["transport"])
        sgv, ourv = sg_value(r, d)
        if sgv is not None:
            compare(name, tag + " value", ourv, sgv)
        if isinstance(sgv, bytes) and re.search(rb"[\x00-\x1f]", ourv or b""):
            # Same bytes; does the text output carry the control byte raw?
            line = [l for l in plain.split(b"\n")
                    if re.match(rb"\s*%d\s" % n, l)]
            compare(name, tag + " printed raw",
                    bool(line) and re.search(rb"[\x00-\x1f]", line[0]) is not None,
                    re.search(rb"[\x00-\x09\x0b-\x1f]|\n", sgv) is not None)
    # sg_inq -u: udev-style export of the same page.
    urc, uout, _ = sh(["sg_inq", "--inhex=" + path, "-u"])
    exp = {}
    for line in uout.split(b"\n"):
        k, _, v = line.partition(b"=")
        if k.startswith(b"SCSI_IDENT_"):
            exp.setdefault(k.decode()[11:], []).append(v)
    if j["error"] is None:
        rp = exp.get("PORT_RELATIVE")
        compare(name, "udev PORT_RELATIVE", j["relative_port"],
                int(rp[0]) if rp else None)
        tg = exp.get("PORT_TARGET_PORT_GROUP")
        compare(name, "udev TARGET_PORT_GROUP", j["tpg_id"],
                int(tg[0], 16) if tg else None)
    names = [lat1(d["value_text"]) for d in j["designators"]
             if d["designator_type"] == 8 and d["association"] == 2]
    if names or "TARGET_NAME" in exp:
        compare(name, "udev TARGET_NAME", names, exp.get("TARGET_NAME", []))
    names = [lat1(d["value_text"]) for d in j["designators"]
             if d["designator_type"] == 8 and d["association"] == 0]
    if names or "LUN_NAME" in exp:
        compare(name, "udev LUN_NAME", names, exp.get("LUN_NAME", []))
    naa = [d["value_hex"] for d in j["designators"]
           if d["designator_type"] == 3 and d["association"] == 0]
    sg_naa = [v.decode() for k, vs in exp.items() if k.startswith("LUN_NAA")
              for v in vs]
    if naa or sg_naa:
        compare(name, "udev LUN_NAA", sorted(naa), sorted(sg_naa))


def check_inquiry(name, path):
    rc, j = probe("inquiry", path)
    src, out, _ = sh(["sg_inq", "--inhex=" + path])
    txt = out.decode("latin-1")
    m = re.search(r"PQual=(\d+)\s+PDT=(\d+)", txt)
    compare(name, "peripheral_qualifier", j["peripheral_qualifier"],
            int(m.group(1)) if m else None)
    compare(name, "peripheral_device_type", j["peripheral_device_type"],
            int(m.group(2)) if m else None)
    m = re.search(r"TPGS=(\d)", txt)
    compare(name, "tpgs", j["tpgs"], int(m.group(1)) if m else None)
    for f, label in (("vendor", b"Vendor identification"),
                     ("product", b"Product identification"),
                     ("revision", b"Product revision level")):
        m = re.search(b" " + label + b": (.*)\n", out)
        sg = m.group(1).rstrip(b" ") if m else None
        # sg_inq's word for a field that did not arrive at all
        compare(name, f, lat1(j[f]), None if sg == b"<none>" else sg)


def check_sense(name, path):
    rc, j = probe("sense", path)
    src, out, _ = sh(["sg_decode_sense", "--file=" + path])
    txt = out.decode("latin-1")
    m = re.match(r"(Fixed|Descriptor) format, (current|<<<deferred>>>); "
                 r"Sense key: (.*)", txt)
    ok = m is not None and "too short" not in txt
    compare(name, "error", j["error"] is not None, not ok)
    if not ok or j["error"] is not None:
        return
    compare(name, "format", j["format"], m.group(1).lower())
    compare(name, "deferred", j["deferred"], m.group(2) != "current")
    compare(name, "sense_key_name", j["sense_key_name"].lower(),
            m.group(3).strip().lower())
    a = re.search(r"Additional sense: (.*)", txt)
    if j["additional_sense"] is not None:
        compare(name, "additional_sense", j["additional_sense"].lower(),
                a.group(1).strip().lower() if a else None)
    i = re.search(r"(?:Info fld|Information)[=:] ?0x([0-9a-f]+)", txt)
    compare(name, "information", j["information"],
            int(i.group(1), 16) if i else None)


def inputs():
    own = os.path.normpath(os.path.join(DATA, "..", "vectors"))
    for vdir in (VECTORS, own):
        with open(os.path.join(vdir, "vectors.json")) as f:
            for v in json.load(f):
                yield v["name"], v["kind"], os.path.join(vdir, v["kind"],
                                                         v["name"] + ".hex")
    idir = os.path.join(DATA, "inputs")
    for fn in sorted(os.listdir(idir)):
        if fn.endswith(".hex"):
            yield fn[:-4], fn.split("_")[0], os.path.join(idir, fn)


CHECKS = {"vpd83": check_vpd83, "inquiry": check_inquiry, "sense": check_sense}
counted = {}
for name, kind, path in inputs():
    if kind in CHECKS:
        CHECKS[kind](name, path)
        counted[kind] = counted.get(kind, 0) + 1

print("compared: %s" % ", ".join("%d %s" % (n, k) for k, n in sorted(counted.items())))
print("agreed: %d fields" % len(agreed))
if VERBOSE:
    for n, f in agreed:
        print("  agree  %s: %s" % (n, f))
print("intended differences: %d" % len(intended_seen))
for n, f, o, t in intended_seen:
    print("  %s: %s\n    ours %r, sg3 %r\n    why: %s" % (n, f, o, t, INTENDED[(n, f)]))
missing = [k for k in INTENDED if k not in {(n, f) for n, f, _, _ in intended_seen}]
for n, f in missing:
    unexpected.append((n, f, "intended difference not observed"))
print("unexpected differences: %d" % len(unexpected))
for n, f, why in unexpected:
    print("FAIL: %s: %s: %s" % (n, f, why))
print("probe.sg3: %d passed, %d failed" % (len(agreed) + len(intended_seen),
                                          len(unexpected)))
sys.exit(1 if unexpected else 0)
