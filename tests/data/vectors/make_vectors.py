#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Regression vectors for issue #16, in ../shared/vectors style.

Writes, next to this script: vectors.json, <kind>/<name>.hex and
README.md.  Every vector is built here from the standards' layouts (no
capture is copied); each names the class of decoder mistake it pins, the
expected decode in words, the exit status and a subset of the
`alua_probe decode --json` object that must hold (tests/probe/cli_test.py
checks both).  VPD 0x83 vectors also carry "wwid": the bytes the Linux
kernel's sysfs wwid attribute holds for the page (scsi_vpd_lun_id(), the
rule ids of docs/differences-vpd.md), hex, or null when the kernel has no
id; a guest test can compare them with the kernel itself.

Run it after changing a vector; commit its output.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
vectors = []


def add(kind, name, data, status, cls, desc, expect, exit_status,
        expect_json, wwid=False):
    v = {"kind": kind, "name": name, "data": data.hex(), "status": status,
         "prov": "built", "class": cls, "desc": desc, "expect": expect,
         "exit": exit_status, "expect_json": expect_json}
    if wwid is not False:
        v["wwid"] = None if wwid is None else wwid.hex()
    vectors.append(v)


# ---- builders ----------------------------------------------------------

def fixed_sense(key, asc, ascq, info=None, sks=None):
    b = bytearray(18)
    b[0] = 0x70
    b[2] = key
    if info is not None:
        b[0] |= 0x80
        b[3:7] = info.to_bytes(4, "big")
    b[7] = 10
    b[12], b[13] = asc, ascq
    if sks:
        b[15:18] = sks
    return bytes(b)


def desc_sense(key, asc, ascq, descs, add_len=None):
    body = b"".join(descs)
    n = len(body) if add_len is None else add_len
    return bytes([0x72, key, asc, ascq, 0, 0, 0, n]) + body


def info_desc(v):
    return bytes([0, 10, 0x80, 0]) + v.to_bytes(8, "big")


def sks_desc(b0, b1, b2):
    return bytes([2, 6, 0, 0, b0, b1, b2, 0])


def uds_seg(first, last, groups):
    b = bytes([0, 0, 0, len(groups)]) + first.to_bytes(8, "big") + \
        last.to_bytes(8, "big")
    for state, tpg in groups:
        b += bytes([state, 0]) + tpg.to_bytes(2, "big")
    return b


def uds_desc(not_all_r, segs):
    body = b"".join(segs)
    return bytes([0x0b, 2 + len(body), 1 if not_all_r else 0, 0]) + body


def inquiry(vendor, product, rev, tpgs=1, add_len=31):
    b = bytearray(36)
    b[0] = 0
    b[2] = 6
    b[3] = 2
    b[4] = add_len
    b[5] = tpgs << 4
    b[7] = 2
    b[8:16] = vendor.ljust(8, b" ")[:8]
    b[16:32] = product.ljust(16, b" ")[:16]
    b[32:36] = rev.ljust(4, b" ")[:4]
    return bytes(b)


def desig(code_set, assoc, dtype, value, piv=0, proto=0):
    return bytes([proto << 4 | code_set, piv << 7 | assoc << 4 | dtype, 0,
                  len(value)]) + value


def page83(*ds, page_len=None):
    body = b"".join(ds)
    n = len(body) if page_len is None else page_len
    return bytes([0, 0x83]) + n.to_bytes(2, "big") + body


def referrals(*segs, desc_len=None):
    body = b"".join(segs)
    n = len(body) if desc_len is None else desc_len
    return bytes([0, 0]) + n.to_bytes(2, "big") + body


BIN, ASC, UTF = 1, 2, 3
LU, TP, TD = 0, 1, 2
T10, EUI, NAA, RTP, TPG, NAME = 1, 2, 3, 4, 5, 8
NAA6 = bytes.fromhex("6001405d1a2b3c4d5e6f708192a3b4c5")
NAA5 = bytes.fromhex("5000c5003011cb2b")
NAA3 = bytes.fromhex("3333333000000001")
NAA2 = bytes.fromhex("2001001b32a1b2c3")
EUI8 = bytes.fromhex("0011223344556677")
RTP1 = desig(BIN, TP, RTP, bytes([0, 0, 0, 1]), 1, 6)
TPG2 = desig(BIN, TP, TPG, bytes([0, 0, 0, 2]), 1, 6)


def naa_name(v):
    return b"naa." + v.hex().encode()


# ---- truncated sense ----------------------------------------------------

full = desc_sense(1, 3, 2, [info_desc(0x11223344556677bb),
                            sks_desc(0x80, 1, 1),
                            uds_desc(True, [uds_seg(0x1000, 0x1fff,
                                                    [(2, 0x1234)])])])
add("sense", "sense_desc_cut_inside_referral", full[:50], "truncated",
    "truncated-sense",
    "Descriptor sense (information, sense-key-specific, user data segment "
    "referral) cut by a 50-byte allocation length inside the referral "
    "descriptor.",
    "key 1 03/02; truncated: 50 of %d bytes; descriptors information "
    "(complete), sense-key-specific (complete), user data segment referral "
    "cut (22 of 28 bytes, no complete segment)" % len(full), 0,
    {"error": None, "truncated": True, "received": 50,
     "additional_sense_length": len(full) - 8,
     "descriptors": [{"offset": 8, "status": "complete"},
                     {"offset": 20, "status": "complete"},
                     {"offset": 28, "type": 11, "status": "cut",
                      "received": 22, "length": 28,
                      "referral": {"not_all_r": True, "truncated": True,
                                   "segments": []}}]})
add("sense", "sense_desc_referral_whole", full, "valid", "referrals",
    "The same sense whole: the referral names TPG 0x1234 standby for LBAs "
    "0x1000..0x1fff.",
    "referral: NOT_ALL_R 1, LBA 0x1000..0x1fff TPG 0x1234 standby", 0,
    {"error": None, "truncated": False,
     "descriptors": [{}, {}, {"referral": {"segments": [
         {"offset": 32, "first_lba": 0x1000, "last_lba": 0x1fff,
          "problems": [], "groups": [{"tpg_id": 0x1234, "state": 2}]}]}}]})
fx = fixed_sense(2, 4, 0x0a, info=0x1234)
add("sense", "sense_fixed_cut_before_asc", fx[:12], "truncated",
    "truncated-sense",
    "Fixed sense NOT READY 04/0A cut at 12 bytes: the ASC has not arrived.",
    "key 2; ASC/ASCQ absent (null); truncated: 12 of 18", 0,
    {"error": None, "truncated": True, "sense_key": 2, "asc": None,
     "ascq": None, "information": 0x1234, "descriptors": []})
add("sense", "sense_fixed_cut_before_sks", fx[:15], "truncated",
    "truncated-sense",
    "Fixed sense cut at 15: ASC/ASCQ arrived, the sense-key-specific bytes "
    "not.",
    "04/0A present; sense_key_specific null; truncated", 0,
    {"error": None, "truncated": True, "asc": 4, "ascq": 0x0a,
     "sense_key_specific": None})
add("sense", "sense_desc_header_cut", desc_sense(6, 0x2a, 6,
                                                  [info_desc(1)])[:6],
    "truncated", "truncated-sense",
    "Descriptor sense UA 2A/06 cut at 6 bytes, inside the 8-byte header.",
    "key 6 2A/06; additional_sense_length null; truncated; no descriptor", 0,
    {"error": None, "truncated": True, "asc": 0x2a,
     "additional_sense_length": None, "descriptors": []})
add("sense", "sense_desc_overrun", desc_sense(6, 0x2a, 6, [info_desc(1)],
                                              add_len=6),
    "malformed", "truncated-sense",
    "ADDITIONAL SENSE LENGTH 6, but the information descriptor it holds "
    "needs 12: the descriptor overruns the sense data's own length (all 20 "
    "bytes arrived).",
    "error emalformed at offset 8 (descriptor overruns ADDITIONAL SENSE "
    "LENGTH); key 6 2A/06 still reported", 1,
    {"error": {"code": "emalformed", "offset": 8}, "truncated": False,
     "asc": 0x2a, "descriptors": [{"offset": 8, "status": "overrun",
                                   "length": 12, "received": 6}]})
add("sense", "sense_desc_stray_byte", desc_sense(
    5, 0x24, 0, [sks_desc(0xc0, 0, 2), b"\x80"]), "malformed",
    "truncated-sense",
    "A sense-key-specific descriptor and one stray byte inside ADDITIONAL "
    "SENSE LENGTH: no room for a descriptor header.",
    "error emalformed at offset 16; the complete descriptor still listed", 1,
    {"error": {"code": "emalformed", "offset": 16},
     "sense_key_specific": "c00002",
     "descriptors": [{"status": "complete"},
                     {"offset": 16, "status": "overrun", "length": None}]})

# ---- partial INQUIRY fields --------------------------------------------

inq = inquiry(b"LIO-ORG", b"block0", b"4.0", tpgs=3)
for cut, field in ((15, "vendor"), (20, "product"), (34, "revision")):
    exp = {"error": None, "truncated": True, "partial_fields": [field],
           field: None, "received": cut, "additional_length": 31}
    if field != "vendor":
        exp["vendor"] = "LIO-ORG"
    add("inquiry", "inq_cut_inside_" + field, inq[:cut], "truncated",
        "partial-inquiry",
        "Standard INQUIRY cut at %d bytes, inside %s: the bytes that "
        "arrived are not the field." % (cut, field.upper()),
        "%s null (not wholly received), partial_fields [%s], truncated"
        % (field, field), 0, exp)
short = bytearray(inquiry(b"ACME", b"SHORT-ANSWER", b"0001",
                          add_len=20)) + b"junk padding"
add("inquiry", "inq_additional_length_cuts_product", bytes(short),
    "valid", "partial-inquiry",
    "ADDITIONAL LENGTH 20 (25 bytes) while 48 arrived: PRODUCT ends beyond "
    "the response; the padding after byte 25 is not data.",
    "vendor ACME; product null (cut by the device's own length); revision "
    "null; truncated (a field cut)", 0,
    {"error": None, "vendor": "ACME", "product": None, "revision": None,
     "partial_fields": ["product"], "truncated": True})
uv = "Ünïcode".encode()[:8]
add("inquiry", "inq_vendor_utf8", inquiry(uv, b"DISK", b"1"), "valid",
    "utf8",
    "VENDOR holds 8 bytes of UTF-8 (outside SPC's ASCII, but a reader must "
    "see the characters, not one code point per byte).",
    "vendor \"%s\" as UTF-8, invalid_utf8 false" % uv.decode(), 0,
    {"error": None, "vendor": uv.decode(), "invalid_utf8": False})
add("inquiry", "inq_vendor_latin1", inquiry(b"ACME\xe9", b"DISK", b"1"),
    "valid", "utf8",
    "VENDOR with a Latin-1 e-acute (0xe9), not UTF-8.",
    "vendor \"ACME\\udce9\" (the byte as a lone surrogate), invalid_utf8 "
    "true", 0,
    {"error": None, "vendor": "ACME\udce9", "invalid_utf8": True})

# ---- UTF-8 in SCSI name strings ----------------------------------------

name = "iqn.2026-01.org.example:lün0".encode()
name += b"\0" * (4 - len(name) % 4)
add("vpd83", "vpd83_name_utf8", page83(desig(UTF, LU, NAME, name), RTP1,
                                       TPG2),
    "valid", "utf8",
    "A SCSI name string with a UTF-8 code set: 'l', U+00FC, 'n' (bytes c3 "
    "bc), NUL padded.",
    "value_text \"iqn.2026-01.org.example:lün0\" as UTF-8; lu_name the same "
    "with its 3 NULs (the kernel copies the padding)", 0,
    {"error": None, "invalid_utf8": False,
     "designators": [{"value_text": "iqn.2026-01.org.example:lün0",
                      "value_text_invalid_utf8": False, "problems": []},
                     {}, {}],
     "lu_name": "iqn.2026-01.org.example:lün0\u0000\u0000\u0000",
     "lu_name_strict": "iqn.2026-01.org.example:lün0",
     "quirks": ["raw-name"], "relative_port": 1, "tpg_id": 2},
    wwid=name)
bad = b"iqn.x:l\xfcn0\0\0"
add("vpd83", "vpd83_name_invalid_utf8", page83(desig(UTF, LU, NAME, bad),
                                               desig(BIN, LU, NAA, NAA5)),
    "malformed", "utf8",
    "A SCSI name string in the UTF-8 code set holding Latin-1 0xfc.",
    "value_text \"iqn.x:l\\udcfcn0\", problems [utf8], error emalformed at 4; "
    "the kernel still names the LU by it (rank 9)", 1,
    {"error": {"code": "emalformed", "offset": 4}, "invalid_utf8": True,
     "designators": [{"value_text": "iqn.x:l\udcfcn0",
                      "value_text_invalid_utf8": True,
                      "problems": ["utf8"]}, {}],
     "lu_name_rank": 9, "lu_name_strict": "naa." + NAA5.hex()},
    wwid=bad)

# ---- designator problems -------------------------------------------------

p = page83(desig(BIN, LU, NAA, NAA5 + b"\0\0\0\0"),
           desig(BIN, LU, EUI, EUI8[:6]),
           desig(BIN, TP, RTP, b"\0\x01"),
           desig(BIN, TP, TPG, b"\0\0\0\x07"))
add("vpd83", "vpd83_impossible_lengths", p, "malformed",
    "designator-problems",
    "NAA-5 of 12 bytes, EUI-64 of 6, relative port of 2 (then a valid "
    "TPG): every designator fits the page, three break their type's length.",
    "all 4 designators listed with problems; error emalformed at offset 4 "
    "(the first); exit 1.  Kernel: NAA-5 ranked 5 but 12 bytes write no "
    "text (no wwid); the relative port is read from descriptor bytes 6..7, "
    "which are the next header's first two (0x0115)", 1,
    {"error": {"code": "emalformed", "offset": 4},
     "designators": [{"offset": 4, "problems": ["length"]},
                     {"offset": 20, "problems": ["length"]},
                     {"offset": 30, "problems": ["length"]},
                     {"offset": 36, "problems": []}],
     "lu_name": None, "quirks": ["naa-length", "naa-no-text",
                                 "port-length"],
     "relative_port": 0x0115, "tpg_id": 7, "relative_port_strict": None,
     "tpg_id_strict": 7},
    wwid=None)

# ---- the kernel's LU name -------------------------------------------------

add("vpd83", "vpd83_kernel_naa2_vs_eui8",
    page83(desig(BIN, LU, NAA, NAA2), desig(BIN, LU, EUI, EUI8)), "valid",
    "lu-name-kernel",
    "NAA-2 (IEEE Extended) then EUI-64/8 (K3: the kernel ranks NAA value 4, "
    "not 2).",
    "lu_name eui.%s (rank 3); lu_name_strict naa.%s" % (EUI8.hex(),
                                                        NAA2.hex()), 0,
    {"error": None, "lu_name": "eui." + EUI8.hex(), "lu_name_rank": 3,
     "lu_name_strict": "naa." + NAA2.hex(), "quirks": ["naa2-ignored"]},
    wwid=b"eui." + EUI8.hex().encode())
naa6_8 = NAA6[:8]
add("vpd83", "vpd83_kernel_naa6_8_bytes",
    page83(desig(BIN, LU, NAA, NAA5), desig(BIN, LU, NAA, naa6_8)),
    "malformed", "lu-name-kernel",
    "NAA-5 then an NAA-6 of 8 bytes (K4: ranked 8 by its value, printed "
    "with its 8 bytes).",
    "lu_name naa.%s (rank 8); error: the NAA-6 length" % naa6_8.hex(), 1,
    {"error": {"code": "emalformed", "offset": 16},
     "lu_name": "naa." + naa6_8.hex(), "lu_name_rank": 8,
     "lu_name_strict": "naa." + NAA5.hex(), "quirks": ["naa-length"]},
    wwid=b"naa." + naa6_8.hex().encode())
t10 = b"VENDOR01S1"
add("vpd83", "vpd83_kernel_naa_no_text",
    page83(desig(ASC, LU, T10, t10), desig(BIN, LU, NAA, NAA6[:12])),
    "malformed", "lu-name-kernel",
    "T10 id then an NAA-6 of 12 bytes (K9: it becomes the candidate but the "
    "kernel writes no text for 12 bytes, so the id stays the T10 one).",
    "lu_name t10.VENDOR01S1 (rank 1), quirks naa-length, naa-no-text", 1,
    {"error": {"code": "emalformed", "offset": 18},
     "lu_name": "t10.VENDOR01S1", "lu_name_rank": 1,
     "quirks": ["naa-length", "naa-no-text"]},
    wwid=b"t10.VENDOR01S1")
add("vpd83", "vpd83_kernel_shorter_name_skipped",
    page83(desig(BIN, LU, NAA, NAA6), desig(UTF, LU, NAME, b"iqn.x:a\0")),
    "valid", "lu-name-kernel",
    "NAA-6 (16 bytes) then an 8-byte SCSI name (K6: a name shorter than the "
    "current candidate is skipped despite its rank 9).",
    "lu_name naa.%s; lu_name_strict iqn.x:a" % NAA6.hex(), 0,
    {"error": None, "lu_name": "naa." + NAA6.hex(), "lu_name_rank": 8,
     "lu_name_strict": "iqn.x:a", "quirks": ["shorter-skipped"]},
    wwid=b"naa." + NAA6.hex().encode())
add("vpd83", "vpd83_kernel_t10_escapes",
    page83(desig(ASC, LU, T10, b"ABC\tDEF\x01\x7f\xe9Z")), "malformed",
    "lu-name-kernel",
    "A T10 id with a TAB, 0x01, DEL and 0xe9 (K8: the kernel's %pE writes "
    "\\t, \\001, \\177 and 0xe9 raw).",
    "lu_name t10.ABC\\tDEF\\001\\177<e9>Z", 1,
    {"error": {"code": "emalformed", "offset": 4},
     "lu_name": "t10.ABC\\tDEF\\001\\177\udce9Z", "lu_name_strict": None},
    wwid=b"t10.ABC\\tDEF\\001\\177\xe9Z")
add("vpd83", "vpd83_kernel_port_tolerance",
    page83(desig(ASC, TP, RTP, b"\0\0\0\x05"), desig(BIN, TP, TPG,
                                                      b"\0\0\0\x07"),
           desig(BIN, LU, TPG, b"\0\0\0\x09"), desig(BIN, LU, NAA, NAA5)),
    "malformed", "lu-name-kernel",
    "An ASCII-coded relative port, a TPG, then a TPG with LU association (P1, "
    "P3: the kernel takes any association and code set, the last wins).",
    "relative_port 5, tpg_id 9 (kernel); relative_port_strict null, "
    "tpg_id_strict 7", 1,
    {"error": {"code": "emalformed", "offset": 4}, "relative_port": 5,
     "tpg_id": 9, "relative_port_strict": None, "tpg_id_strict": 7,
     "quirks": ["port-association", "port-code-set", "port-repeat"],
     "lu_name": "naa." + NAA5.hex()},
    wwid=b"naa." + NAA5.hex().encode())
add("vpd83", "vpd83_kernel_reads_outside",
    page83(desig(BIN, LU, NAA, NAA5), desig(BIN, TP, TPG, b"\x07")),
    "malformed", "lu-name-kernel",
    "A 1-byte TPG designator at the end (P4: the kernel reads bytes 6..7 "
    "past the page; the LU name walk stays inside).",
    "tpg_id null (the kernel would read outside the page); lu_name "
    "naa.%s" % NAA5.hex(), 1,
    {"error": {"code": "emalformed", "offset": 16}, "tpg_id": None,
     "relative_port": None, "lu_name": "naa." + NAA5.hex()},
    wwid=b"naa." + NAA5.hex().encode())

# ---- legacy SCSI-2 page 0x83 ---------------------------------------------

leg = bytes.fromhex("6006016012345678") + bytes.fromhex("9abcdef012345678")
add("vpd83", "vpd83_legacy_scsi2_naa6", bytes([0, 0x83, 0, 16]) + leg,
    "valid", "legacy-vpd83",
    "SCSI-2 layout: 16 bytes of NAA-6 right after the header (byte 6 = 0x01 "
    "is not zero, and byte 7 = 0x60 overruns the page as a length).",
    "format scsi-2, one NAA designator 6006016012345678..., legacy_id "
    "36006016012345678...; lu_name null (the kernel's walk names nothing)",
    0,
    {"error": None, "format": "scsi-2", "lu_name": None,
     "legacy_id": "3" + leg.hex(),
     "designators": [{"offset": 4, "designator_type": 3, "length": 16,
                      "value_hex": leg.hex(), "problems": []}]},
    wwid=None)
spc = page83(desig(BIN, LU, NAA, NAA5))
spc = spc[:6] + b"\x01" + spc[7:]  # reserved byte set, still walks
add("vpd83", "vpd83_reserved_byte_not_legacy", spc, "valid",
    "legacy-vpd83",
    "An SPC page whose first designator has its reserved byte 2 set: udev "
    "and sg_inq would call it SCSI-2; it walks cleanly, so it is not.",
    "format spc, lu_name naa.%s" % NAA5.hex(), 0,
    {"error": None, "format": "spc", "lu_name": "naa." + NAA5.hex(),
     "legacy_id": None},
    wwid=b"naa." + NAA5.hex().encode())

# ---- REPORT REFERRALS -------------------------------------------------------

ref = referrals(uds_seg(0, 0x3ff, [(0, 1), (2, 2)]),
                uds_seg(0x400, 0x7ff, [(2, 1), (0, 2)]),
                uds_seg(0x800, 0xffffffffffffffff, [(1, 1), (1, 2)]))
add("referrals", "referrals_three_segments", ref, "valid", "referrals",
    "Three user data segments, two groups each (LIO's layout).",
    "segments 0..0x3ff (TPG 1 AO, 2 S), 0x400..0x7ff (1 S, 2 AO), "
    "0x800..max (both ANO)", 0,
    {"error": None, "truncated": False, "descriptor_length": len(ref) - 4,
     "segments": [{"first_lba": 0, "last_lba": 0x3ff,
                   "groups": [{"tpg_id": 1, "state": 0},
                              {"tpg_id": 2, "state": 2}]},
                  {"first_lba": 0x400}, {"first_lba": 0x800,
                                         "last_lba": 0xffffffffffffffff}]})
add("referrals", "referrals_cut", ref[:40], "truncated", "referrals",
    "The same data cut by a 40-byte allocation length, inside the second "
    "segment.",
    "truncated, needed %d, only the first segment" % len(ref), 0,
    {"error": None, "truncated": True, "needed": len(ref),
     "segments": [{"first_lba": 0}]})
add("referrals", "referrals_overrun", referrals(
    uds_seg(0, 9, [(0, 1)]), desc_len=22), "malformed", "referrals",
    "USER DATA SEGMENT REFERRAL DESCRIPTOR LENGTH 22, one descriptor of 24.",
    "error emalformed at offset 4", 1,
    {"error": {"code": "emalformed", "offset": 4}, "segments": []})
add("referrals", "referrals_unordered", referrals(
    uds_seg(100, 199, [(0, 1)]), uds_seg(0, 99, [(0, 2)])), "malformed",
    "referrals",
    "Two segments in descending LBA order.",
    "both listed; the second has problem order; error at its offset 28", 1,
    {"error": {"code": "emalformed", "offset": 28},
     "segments": [{"problems": []}, {"problems": ["order"]}]})
add("referrals", "referrals_header_cut", bytes([0, 0, 0]), "truncated",
    "referrals", "Three bytes: the header is not complete.",
    "error etrunc (nothing to decode), exit 1", 1,
    {"error": {"code": "etrunc"}, "descriptor_length": None,
     "segments": []})


def write():
    for v in vectors:
        d = os.path.join(HERE, v["kind"])
        os.makedirs(d, exist_ok=True)
        data = bytes.fromhex(v["data"])
        with open(os.path.join(d, v["name"] + ".hex"), "w") as f:
            for i in range(0, len(data), 16):
                f.write(" ".join("%02x" % b for b in data[i:i + 16]) + "\n")
    with open(os.path.join(HERE, "vectors.json"), "w") as f:
        json.dump(vectors, f, indent=1, ensure_ascii=True)
        f.write("\n")
    with open(os.path.join(HERE, "README.md"), "w") as f:
        f.write("<!-- SPDX-License-Identifier: GPL-2.0-only OR "
                "BSD-2-Clause -->\n")
        f.write("# Decoder regression vectors (issue #16)\n\n")
        f.write("Generated by `make_vectors.py` (edit it, not this file), "
                "in the style of\n`../shared/vectors`: one `<kind>/<name>.hex` "
                "per vector, `vectors.json` with\nthe expected decode.  Each "
                "pins a class of mistake a decoder made or could\nmake; "
                "`tests/probe/cli_test.py` runs `alua_probe decode --json` on "
                "each and\nchecks `exit` and `expect_json` (a subset of the "
                "object: lists match item by\nitem, `{}` matches anything); "
                "VPD vectors carry `wwid`, the kernel's sysfs\nwwid bytes "
                "(hex; null: the kernel has none).  Provenance: built here "
                "from\nthe SPC-5 / SBC-4 layouts, no capture copied.\n\n")
        for v in vectors:
            f.write("### %s\n\n" % v["name"])
            f.write("* file: `%s/%s.hex` (%d bytes); class: **%s**; status: "
                    "**%s**; exit %d\n" % (v["kind"], v["name"],
                                            len(v["data"]) // 2, v["class"],
                                            v["status"], v["exit"]))
            f.write("* what: %s\n" % v["desc"])
            f.write("* expected: %s\n" % v["expect"])
            if "wwid" in v:
                f.write("* kernel wwid: %s\n" % (
                    "none" if v["wwid"] is None else
                    "`" + bytes.fromhex(v["wwid"]).decode(
                        "latin-1").encode("unicode_escape").decode() + "`"))
            f.write("\n")


write()
