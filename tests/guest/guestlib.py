# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Helpers for host-side checks of a guest console log (run-guest.sh)."""
import json
import re
import sys

failed = 0
passed = 0


def sections(path):
    """{name: (text, rc)} from '=== BEGIN name' ... '=== END name rc=N'."""
    out, cur, buf = {}, None, []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("=== BEGIN "):
                cur, buf = line[10:].strip(), []
            elif line.startswith("=== END ") and cur is not None:
                m = re.search(r"rc=(\d+)", line)
                out[cur] = ("\n".join(buf), int(m.group(1)) if m else -1)
                cur = None
            elif cur is not None and not re.match(r"^\[\s*\d+\.\d+\] ", line):
                buf.append(line)
    return out


def js(text):
    """First JSON object in @text (stderr lines may precede it)."""
    i = text.find("{")
    return json.loads(text[i:]) if i >= 0 else None


def check(cond, what):
    global failed, passed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)


def done(name):
    print("%s: %d passed, %d failed" % (name, passed, failed))
    sys.exit(1 if failed else 0)
