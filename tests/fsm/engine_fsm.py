#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Tie docs/engine.md's transition table to the engine.

The table (between the "fsm-table" markers) has one row per transition of
the engine's state machine: FROM, CAUSE, TO (names as
salua_engine_state_name() / salua_engine_cause_name() spell them), when it
happens, and the test that covers it.  Every engine test binary built on
tests/lib/engine_harness.h records the transitions it drives when
$SALUA_FSM_TRACE names a file (the harness checks that each one starts
where the last ended and that the engine is where its log says).

  engine_fsm.py --doc docs/engine.md --test NAME=BINARY ...      check
  engine_fsm.py --doc docs/engine.md --test NAME=BINARY ... --write

check fails when a row's transition is not driven by the test it names,
when a test drives a transition the table does not list, when a row names
a test not given, or when the diagram (between the "fsm-diagram" markers)
is not the one drawn from the table.  --write redraws the diagram and
prints a row for every transition missing from the table (with the tests
that drive it), for a developer to fill in.
"""
import argparse
import os
import subprocess
import sys
import tempfile

TABLE = ("<!-- fsm-table begin -->", "<!-- fsm-table end -->")
DIAGRAM = ("<!-- fsm-diagram begin (engine_fsm.py --write) -->",
           "<!-- fsm-diagram end -->")


def section(text, marks):
    a = text.find(marks[0])
    b = text.find(marks[1])
    if a < 0 or b < a:
        sys.exit("engine_fsm: %s ... %s not found" % marks)
    return a + len(marks[0]), b


def parse_table(text):
    a, b = section(text, TABLE)
    rows = []
    for line in text[a:b].splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        if cells[0].lower() == "from":
            continue
        if len(cells) != 5:
            sys.exit("engine_fsm: table row with %d cells: %s"
                     % (len(cells), line))
        rows.append(tuple(cells))
    return rows


def diagram(rows):
    edges = {}
    for frm, cause, to, _, _ in rows:
        edges.setdefault((frm, to), []).append(cause)
    out = ["```mermaid", "stateDiagram-v2", "    [*] --> IDLE"]
    for (frm, to), causes in edges.items():
        out.append("    %s --> %s: %s" % (frm, to, ", ".join(causes)))
    out.append("```")
    return "\n" + "\n".join(out) + "\n"


def trace(binary):
    fd, fn = tempfile.mkstemp(prefix="fsm.")
    os.close(fd)
    try:
        env = dict(os.environ, SALUA_FSM_TRACE=fn)
        r = subprocess.run([binary], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.STDOUT, timeout=600)
        if r.returncode:
            sys.exit("engine_fsm: %s failed (exit %d)" % (binary, r.returncode))
        seen = {}
        with open(fn) as f:
            for line in f:
                frm, cause, to, n = line.split()
                seen[(frm, cause, to)] = seen.get((frm, cause, to), 0) + int(n)
        return seen
    finally:
        os.unlink(fn)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--doc", required=True)
    ap.add_argument("--test", action="append", default=[],
                    metavar="NAME=BINARY")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()

    with open(args.doc) as f:
        text = f.read()
    rows = parse_table(text)
    tests = dict(t.split("=", 1) for t in args.test)
    seen = {name: trace(binary) for name, binary in tests.items()}
    errors = []

    listed = set()
    for frm, cause, to, when, test in rows:
        key = (frm, cause, to)
        if key in listed:
            errors.append("row %s %s %s listed twice" % key)
        listed.add(key)
        if not when:
            errors.append("row %s %s %s: no 'when'" % key)
        if test not in seen:
            errors.append("row %s %s %s names %r, not a traced test"
                          % (key + (test,)))
        elif key not in seen[test]:
            errors.append("row %s %s %s: %s never drives it"
                          % (key + (test,)))
    driven = {}
    for name, s in seen.items():
        for key in s:
            driven.setdefault(key, []).append(name)
    missing = sorted(set(driven) - listed)
    for key in missing:
        errors.append("%s %s %s is driven by %s but not in the table"
                      % (key + (", ".join(sorted(driven[key])),)))

    want = diagram(rows)
    a, b = section(text, DIAGRAM)
    if args.write:
        text = text[:a] + want + text[b:]
        with open(args.doc, "w") as f:
            f.write(text)
        for key in missing:
            print("| %s | %s | %s | ? | %s |"
                  % (key + (min(driven[key], key=lambda n: (
                      n.endswith("_prop"), seen[n][key])),)))
        return 0
    if text[a:b] != want:
        errors.append("the diagram is not the one drawn from the table: "
                      "run engine_fsm.py ... --write")
    for name, s in sorted(seen.items()):
        if name.endswith("_prop"):
            left = sorted(listed - set(s))
            print("engine_fsm: %s drives %d of the %d; not: %s"
                  % (name, len(listed) - len(left), len(listed),
                     "; ".join(" ".join(k) for k in left) or "none"))
    for e in errors:
        print("engine_fsm: " + e)
    print("engine_fsm: %d transitions in the table, %d driven by %d tests, "
          "%d errors" % (len(rows), len(driven), len(seen), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
