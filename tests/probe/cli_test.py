#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""CLI tests of `alua_probe decode`: golden output, exit codes, input forms.

Usage: cli_test.py PROBE VECTORS_DIR DATA_DIR [--update]

Golden files live in DATA_DIR/golden/<name>.json (compared as parsed JSON)
and <name>.txt (compared byte for byte).  Inputs are the public vectors
(VECTORS_DIR/vectors.json) and DATA_DIR/inputs/<type>_*.hex.  --update
rewrites the golden files from the current program; review the diff.
"""
import json
import re
import os
import subprocess
import sys
import tempfile

PROBE, VECTORS, DATA = sys.argv[1], sys.argv[2], sys.argv[3]
UPDATE = "--update" in sys.argv[4:]
GOLDEN = os.path.join(DATA, "golden")
KIND_TYPE = {"inquiry": "inquiry", "vpd83": "vpd83", "rtpg": "rtpg",
             "sense": "sense", "stpg": "stpg"}
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def run(args, stdin=None):
    p = subprocess.run([PROBE] + args, input=stdin, capture_output=True,
                       timeout=20)
    return p.returncode, p.stdout, p.stderr


def cases():
    """(name, type, hex path, bytes, vector entry or None)"""
    out = []
    with open(os.path.join(VECTORS, "vectors.json")) as f:
        for v in json.load(f):
            if v["kind"] not in KIND_TYPE:
                continue
            path = os.path.join(VECTORS, v["kind"], v["name"] + ".hex")
            out.append((v["name"], KIND_TYPE[v["kind"]], path,
                        bytes.fromhex(v["data"]), v))
    idir = os.path.join(DATA, "inputs")
    for fn in sorted(os.listdir(idir)):
        if fn.endswith(".hex"):
            name = fn[:-4]
            typ = name.split("_")[0]
            with open(os.path.join(idir, fn)) as f:
                data = bytes.fromhex(" ".join(
                    l for l in f.read().splitlines() if not l.startswith("#")))
            out.append((name, typ, os.path.join(idir, fn), data, None))
    return out


def golden(name, ext, content):
    path = os.path.join(GOLDEN, name + ext)
    if UPDATE:
        with open(path, "wb") as f:
            f.write(content)
        return None
    with open(path, "rb") as f:
        return f.read()


def test_goldens():
    for name, typ, path, data, vec in cases():
        rc, out, err = run(["decode", "--type", typ, "--inhex", path, "--json"])
        try:
            got = json.loads(out)
        except ValueError as e:
            check(False, "%s: --json output is not JSON (%s)" % (name, e))
            continue
        check(list(got)[:2] == ["type", "error"],
              "%s: 'type' and 'error' come first" % name)
        check(got["type"] == typ, "%s: type" % name)
        check(rc == (0 if got["error"] is None else 1),
              "%s: exit %d matches error %r" % (name, rc, got["error"]))
        if got["error"] is not None:
            check(set(got["error"]) == {"code", "message", "offset"},
                  "%s: error object members" % name)
        if vec is not None:
            # The vector's own verdict: malformed <=> an error object.
            check((vec["status"] == "malformed") == (got["error"] is not None),
                  "%s: status %s vs error %r" % (name, vec["status"],
                                                  got["error"]))
        check(all(type(x) is not float for x in walk(got)),
              "%s: every number is an integer" % name)
        check(got.get("schema_version") == 1, "%s: schema_version 1" % name)
        want = golden(name, ".json", out)
        if want is not None:
            # schema_version is checked above; goldens hold the contents
            w = json.loads(want)
            w.pop("schema_version", None)
            g = dict(got)
            g.pop("schema_version", None)
            check(w == g, "%s: JSON differs from golden" % name)
        rc2, txt, _ = run(["decode", "--type", typ, "--inhex", path])
        check(rc2 == rc, "%s: plain exit %d == json exit %d" % (name, rc2, rc))
        want = golden(name, ".txt", txt)
        if want is not None:
            check(want == txt, "%s: text differs from golden:\n%s" %
                  (name, txt.decode(errors="replace")))
        # Same bytes as binary, through --raw FILE and --raw - (stdin).
        with tempfile.NamedTemporaryFile(suffix=".bin") as tf:
            tf.write(data)
            tf.flush()
            rc3, out3, _ = run(["decode", "-t", typ, "-r", tf.name, "-j"])
            check(rc3 == rc and out3 == out, "%s: --raw FILE same as --inhex" % name)
        rc4, out4, _ = run(["decode", "-t", typ, "--raw=-", "--json"], stdin=data)
        check(rc4 == rc and out4 == out, "%s: --raw - (stdin) same" % name)
        with open(path, "rb") as f:
            hx = f.read()
        rc5, out5, _ = run(["decode", "--type=" + typ, "-j"], stdin=hx)
        check(rc5 == rc and out5 == out, "%s: hex on stdin by default" % name)


def jload(b):
    """One JSON object from bytes, or None."""
    try:
        o = json.loads(b)
    except ValueError:
        return None
    return o if isinstance(o, dict) else None


def walk(o):
    if isinstance(o, dict):
        for v in o.values():
            yield from walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from walk(v)
    else:
        yield o


def test_exact_values():
    """A few decodes spelled out here, independent of the golden files."""
    v = os.path.join(VECTORS, "rtpg", "rtpg_sg3utils_testcode_dummy.hex")
    rc, out, _ = run(["decode", "-t", "rtpg", "-I", v, "-j"])
    check(rc == 0 and json.loads(out) == {
        "type": "rtpg", "error": None, "schema_version": 1,
        "format": "classic",
        "return_data_length": 28, "implicit_transition_time": None,
        "truncated": False, "groups": [
            {"tpg_id": 1, "state": 0, "state_name": "active/optimized",
             "preferred": True, "supported": 3, "status_code": 2,
             "vendor_specific": 0, "port_count": 2, "ports": [1, 2]},
            {"tpg_id": 2, "state": 1, "state_name": "active/non-optimized",
             "preferred": False, "supported": 3, "status_code": 0,
             "vendor_specific": 0, "port_count": 1, "ports": [3]}]},
          "rtpg dummy: exact JSON")
    i = os.path.join(DATA, "inputs")
    rc, out, _ = run(["decode", "-t", "rtpg", "-I",
                      os.path.join(i, "rtpg_truncated.hex"), "-j"])
    j = json.loads(out)
    check(rc == 0 and j["error"] is None and j["truncated"] is True and
          [g["tpg_id"] for g in j["groups"]] == [1],
          "truncated RTPG: exit 0, truncated, only the complete group")
    rc, txt, _ = run(["decode", "-t", "rtpg", "-I",
                      os.path.join(i, "rtpg_truncated.hex")])
    check(rc == 0 and b"\nwarning: truncated: 24 of 32 bytes" in txt,
          "truncated RTPG: warning line in text mode")
    rc, out, _ = run(["decode", "-t", "rtpg", "-I",
                      os.path.join(i, "rtpg_extended_itt60.hex"), "-j"])
    j = json.loads(out)
    check(j["format"] == "extended" and j["implicit_transition_time"] == 60 and
          j["groups"][0]["state"] == 15 and j["groups"][0]["preferred"] and
          j["groups"][0]["supported"] == 0xdf and j["groups"][0]["ports"] == [7, 8],
          "extended RTPG: format, transition time, group")
    rc, out, _ = run(["decode", "-t", "stpg", "-I",
                      os.path.join(i, "stpg_sg_stpg_bug_states.hex"), "-j"])
    j = json.loads(out)
    check(rc == 1 and j["error"]["code"] == "enotsup" and
          j["error"]["offset"] == 20 and j["descriptors"] == [],
          "STPG asking for transitioning: enotsup at offset 20")
    v = os.path.join(VECTORS, "vpd83", "vpd83_sg3_ctrl_char_in_strings.hex")
    rc, out, _ = run(["decode", "-t", "vpd83", "-I", v, "-j"])
    j = json.loads(out)
    check(rc == 0 and b"ABC    \\u000aXYZ123456789" in out and
          j["designators"][1]["value_text"] == "ABC    \nXYZ123456789",
          "control character escaped as \\u000a in JSON")
    check(j["lu_name"] == "naa.6122334455667788aabbccddeeffeedd" and
          j["relative_port"] == 2 and j["tpg_id"] == 3,
          "vpd83: lu_name, relative_port, tpg_id")
    rc, txt, _ = run(["decode", "-t", "vpd83", "-I", v])
    check(b'"ABC    \\x0aXYZ123456789"' in txt, "text mode escapes LF as \\x0a")
    rc, out, _ = run(["decode", "-t", "inquiry", "-I",
                      os.path.join(i, "inquiry_tpgs_both_escaped.hex"), "-j"])
    check(b'"vendor": "AC\\u0001ME\\u00e9"' in out and
          b'"product": "\\"BACK\\\\SLASH\\""' in out,
          "inquiry: control, non-ASCII, quote and backslash escaped")
    j = json.loads(out)
    check(j["tpgs"] == 3 and j["peripheral_device_type"] == 12 and
          j["revision"] == "1.0", "inquiry: tpgs, pdt, trimmed revision")
    v = os.path.join(VECTORS, "sense", "sense_sg3_descriptor_many.hex")
    rc, out, _ = run(["decode", "-t", "sense", "-I", v, "-j"])
    j = json.loads(out)
    check(j["format"] == "descriptor" and j["sense_key"] == 1 and
          j["asc"] == 3 and j["ascq"] == 2 and
          j["information"] == 0x11223344556677bb,
          "descriptor sense: key, asc, ascq, 64-bit information")


def test_hex_forms():
    ref = bytes.fromhex("00000000000001020200 0101".replace(" ", ""))
    forms = [
        b"00 00 00 00 00 00 01 02 02 00 01 01\n",
        b"00,00,00,00,00,00,01,02,02,00,01,01",
        b"0x00 0x00 0x00 0x00 0X00 0x00 0x01 0x02 0x02 0x00 0x01 0x01",
        b"# comment line\n000000000000010202000101  # trailing comment\n",
        b"0 0 0 0 0 0 1 2 2 0 1 1",
        b"\t00 00 00 00\r\n00 00 01 02\r\n02 00 01 01\r\n",
    ]
    rc0, want, _ = run(["decode", "-t", "stpg", "-r", "-", "-j"], stdin=ref)
    check(rc0 == 0, "stpg reference decodes")
    for f in forms:
        rc, out, _ = run(["decode", "-t", "stpg", "-j"], stdin=f)
        check(rc == 0 and out == want, "hex form %r" % f[:40])
    for bad, what in [(b"00 0g", "unexpected character 'g'"),
                      (b"000", "odd number of hex digits"),
                      (b"00 0x", '"0x" without digits'),
                      (b"00\n 1x", "unexpected character 'x'")]:
        rc, out, err = run(["decode", "-t", "stpg", "-j"], stdin=bad)
        j = json.loads(out)
        check(rc == 1 and j["error"]["code"] == "emalformed" and
              what in j["error"]["message"] and j["error"]["offset"] is None
              and j["descriptors"] == [] and what.encode() in err,
              "bad hex %r: exit 1, emalformed, %s" % (bad, what))
    # Size limit: exactly 1 MiB is read, one byte more is refused.
    big = bytes(1024 * 1024)
    rc, out, _ = run(["decode", "-t", "rtpg", "--raw", "-", "-j"], stdin=big)
    j = json.loads(out)
    check(rc == 0 and j["return_data_length"] == 0 and j["groups"] == [],
          "1 MiB raw input accepted")
    rc, out, err = run(["decode", "-t", "rtpg", "--raw", "-", "-j"],
                       stdin=big + b"\0")
    j = json.loads(out)
    check(rc == 1 and j["error"]["code"] == "enospc" and
          j["format"] is None and j["groups"] == [],
          "1 MiB + 1 byte refused: exit 1, enospc")
    rc, out, _ = run(["decode", "-t", "rtpg", "-j"], stdin=b"00 " * (1024 * 1024 + 1))
    check(rc == 1 and json.loads(out)["error"]["code"] == "enospc",
          "hex input over 1 MiB refused")


def test_empty_inputs():
    for typ in KIND_TYPE.values():
        rc, out, _ = run(["decode", "-t", typ, "-r", "-", "-j"], stdin=b"")
        j = json.loads(out)
        check(rc == 1 and j["error"]["code"] == "etrunc" and
              j["error"]["offset"] == 0, "%s: empty input is etrunc" % typ)
        rc, txt, _ = run(["decode", "-t", typ, "-r", "-"], stdin=b"")
        check(rc == 1 and txt.startswith(b"error: ") and b"(etrunc" in txt,
              "%s: empty input, text error line" % typ)


def test_usage_and_io():
    usage = [["decode"], ["decode", "--type"], ["decode", "-t", "bogus"],
             ["decode", "-t", "rtpg", "--bogus"], ["decode", "-t", "rtpg", "x"],
             ["decode", "-t", "rtpg", "-I", "a", "-r", "b"],
             ["decode", "-t", "rtpg", "-t", "sense"],
             ["decode", "-t", "rtpg", "--inhex"], ["decode", "-t", "rtpg", "-I", ""],
             ["--bogus"]]
    for a in usage:
        rc, out, err = run(a)
        check(rc == 2 and out == b"" and err != b"",
              "usage error %r: exit 2, nothing on stdout" % a)
        # With --json (wherever it is): one error object on stdout.
        rc, out, err = run(a[:1] + ["--json"] + a[1:])
        j = jload(out)
        check(rc == 2 and j and j["type"] == "error" and
              j["error"]["code"] == "eusage" and j["exit_status"] == 2 and
              j["error"]["message"].encode() in err,
              "usage error %r --json: exit 2, error object %r" % (a, out))
    rc, out, err = run(["/nonexistent/sgX"])
    check(rc == 4 and out == b"" and b"/nonexistent/sgX" in err,
          "missing device node: exit 4, message names the device")
    rc, out, err = run(["--json", "sim:"])
    check(rc == 0 and b'"state_name": "active/optimized"' in out,
          "sim: probes the simulated array")
    for a in (["--help"], ["-h"], ["decode", "--help"]):
        rc, out, _ = run(a)
        check(rc == 0 and out.startswith(b"Usage: alua_probe decode") and
              b"Exit status:" in out, "%r prints usage with exit status" % a)
    rc, out, _ = run(["--version"])
    check(rc == 0 and out.startswith(b"alua_probe (salua) "), "--version")
    missing = "/nonexistent/alua_probe_input.hex"
    rc, out, err = run(["decode", "-t", "vpd83", "-I", missing, "-j"])
    j = json.loads(out)
    check(rc == 3 and j["type"] == "vpd83" and j["error"]["code"] == "eio" and
          j["designators"] == [] and j["page_length"] is None and
          missing.encode() in err, "missing file: exit 3, eio, JSON printed")
    rc, out, err = run(["decode", "-t", "sense", "-r", missing])
    check(rc == 3 and out == b"" and missing.encode() in err,
          "missing file, text mode: exit 3, message on stderr")
    rc, out, err = run(["decode", "-t", "sense", "-r", "/"])
    check(rc == 3, "reading a directory: exit 3")


def test_mutations():
    """Cut and bit-flipped copies of every input: exit 0 or 1, and always
    one JSON object with the same members as the unmutated report."""
    import random
    rnd = random.Random(0x5a1a)
    n = 0
    for name, typ, path, data, _ in cases():
        rc, out, _ = run(["decode", "-t", typ, "-r", "-", "-j"], stdin=data)
        keys = list(json.loads(out))
        for k in range(12):
            b = bytearray(data)
            if k % 3 == 0 and b:
                b = b[:rnd.randrange(len(b))]
            for _ in range(rnd.randrange(1, 4)):
                if b:
                    b[rnd.randrange(len(b))] ^= 1 << rnd.randrange(8)
            rc, out, err = run(["decode", "-t", typ, "-r", "-", "-j"],
                               stdin=bytes(b))
            try:
                j = json.loads(out)
                ok = (rc in (0, 1) and list(j) == keys and
                      (rc == 0) == (j["error"] is None) and not err.strip(b"\n")
                      .startswith(b"==") and b"runtime error" not in err)
            except ValueError:
                ok = False
            n += 1
            check(ok, "%s mutation %d (%s): rc %d, %r" % (name, k, bytes(b).hex(),
                                                        rc, err[:200]))
    check(n > 0, "mutations ran")


def test_sim_devices():
    """Device mode on the built-in simulated array (no SCSI stack needed)."""
    rc, out, err = run(["--json", "sim:luns=2,ports=4"])
    j = json.loads(out) if rc == 0 else {}
    lus = j.get("logical_units", [])
    check(rc == 0 and len(lus) == 2 and
          [len(l["paths"]) for l in lus] == [4, 4], "sim: 2 LUs x 4 paths")
    if lus:
        p = lus[0]["paths"]
        check([x["tpg_id"] for x in p] == [1, 1, 2, 2] and
              [x["state_name"] for x in p] ==
              ["active/optimized"] * 2 + ["standby"] * 2 and
              [x["relative_port"] for x in p] == [1, 2, 3, 4] and
              [x["preferred"] for x in p] == [True, True, False, False] and
              all(x["supported"] == 0xcf and x["status_code"] == 0 for x in p),
              "sim paths: groups, states, ports, PREF, supported")
        check(lus[0]["tpgs"] == 3 and lus[0]["vendor"] == "SALUA",
              "sim LU TPGS 3")
        sel = lus[0]["selector"]
        check(sel["failover"] == ["sim:p0/l0"] and
              sel["round-robin"] == ["sim:p0/l0", "sim:p1/l0"],
              "selector picks: %r" % sel)
    rc, out, err = run(["sim:"])
    check(rc == 0 and out.startswith(b"LU naa.") and
          b"TPGS 3 (implicit+explicit)" in out and b"selector: numa" in out,
          "sim: text report")
    rc, out, err = run(["sim:", "--set-state", "ao", "--device", "sim:p1/l0"])
    check(rc == 0 and b"sim:p1/l0 - " in out and
          re.search(rb"sim:p1/l0 .*active/optimized .*by-stpg", out) is not None,
          "--set-state ao on the standby port: %r" % out[-300:])
    rc, out, err = run(["sim:explicit=0", "--set-state", "ao",
                        "--device", "sim:p1/l0"])
    check(rc == 5 and b"does not support SET TARGET PORT GROUPS" in err,
          "--set-state without explicit ALUA: exit 5")
    rc, out, err = run(["sim:", "--set-state", "bogus", "--device", "sim:p1/l0"])
    check(rc == 2, "--set-state bogus: usage error")
    rc, out, err = run(["sim:scenario=nope"])
    check(rc == 2 and b"unknown scenario" in err, "unknown scenario: usage error")
    rc, out, err = run(["sim:scenario=failover", "--watch", "--duration", "6",
                        "--speed", "10", "--interval", "0.1"])
    t = out.decode()
    check(rc == 0 and "sim:p0/l0    tpg 0x0001  active/optimized -> transitioning" in t
          and "sim:p0/l0    tpg 0x0001  transitioning -> standby" in t
          and "sim:p1/l0    tpg 0x0002  transitioning -> active/optimized" in t
          and "2a/06" in t and "final state:" in t,
          "--watch sees the failover through UA and TRANSITIONING")
    m = re.findall(r"\[\+\s*([\d.]+)s\] sim:p0/l0 +tpg 0x0001  (\S+) -> (\S+)", t)
    check(len(m) == 2 and 1.9 <= float(m[1][0]) - float(m[0][0]) <= 3.5,
          "transition seen for about 2 simulated seconds: %r" % m)
    rc, out, err = run(["--json", "sim:scenario=failover", "--watch",
                        "--duration", "6", "--speed", "50"])
    lines = out.decode().split("\n") if rc == 0 else []
    # JSON Lines: every line one complete object, output ends with a newline
    objs = []
    for ln in lines[:-1]:
        try:
            objs.append(json.loads(ln))
        except ValueError:
            objs.append(None)
    check(rc == 0 and len(lines) >= 2 and lines[-1] == "" and
          all(isinstance(o, dict) for o in objs) and
          [(o["type"], o["device"], o["old_state_name"], o["state_name"],
            o["tpg_id"]) for o in objs] ==
          [("state-change", "sim:p0/l0", "active/optimized", "transitioning", 1),
           ("state-change", "sim:p1/l0", "standby", "transitioning", 2),
           ("state-change", "sim:p0/l0", "transitioning", "standby", 1),
           ("state-change", "sim:p1/l0", "transitioning", "active/optimized", 2)],
          "--watch --json: one compact object per line, one per change: %r"
          % out[:200])


test_goldens()
if not UPDATE:
    test_sim_devices()
    test_mutations()
    test_exact_values()
    test_hex_forms()
    test_empty_inputs()
    test_usage_and_io()
print("probe.cli: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
