#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Draw an I/O timeline through a failover as SVG, with gnuplot.

  plot_timeline.py --io FILE [--io FILE ...] [--events FILE] --out OUT.svg
                   [--title TEXT] [--bin-ms 10] [--from S] [--to S]

--io      per-I/O completions, one per line:
              t_done_us op block lat_us status [path]
          (salua_vio --timeline, alua_probe --io --timeline); '#' lines are
          comments.  Several --io files (e.g. one per handler, same clock
          origin each) are drawn one above the other, each with its label
          given as LABEL=FILE.
--out     OUT.svg (OUT.png for a raster copy, gnuplot's pngcairo)
--events  what happened meanwhile, one per line:
              t_us kind text...
          kind: state (ALUA state change), ua (unit attention), cmd
          (a command the engine sent: RTPG, STPG, TUR), mark (anything
          else, e.g. "configfs: tgA standby").  `salua_vio mark` lines
          ("MARK t_us text") are accepted as kind mark.  For several --io
          files give LABEL=FILE here too.

The top panel is I/O completions per --bin-ms (default 10 ms); the bottom
one the slowest I/O's latency per bin (log scale; every failed I/O in red).  Events are
vertical lines; those of the --label kinds (default state,mark) are also
labelled, in rows chosen so that labels do not overlap.  An event that
repeats the one before it (same kind and text within 100 ms) is drawn once,
its label counting the repeats.  Time 0 is the first completion of each run.
"""
import argparse
import os
import subprocess
import sys
import tempfile

KIND_COLOUR = {"state": "#1f77b4", "ua": "#d62728", "cmd": "#2ca02c", "mark": "#7f7f7f"}


def labelled(arg):
    if "=" in arg and not os.path.exists(arg):
        lab, path = arg.split("=", 1)
        return lab, path
    return os.path.basename(arg), arg


def read_io(path):
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            p = line.split()
            if len(p) < 5:
                sys.exit(f"{path}:{n}: expected 't_done_us op block lat_us status [path]'")
            try:
                t, lat = int(p[0]), int(p[3])
            except ValueError:
                sys.exit(f"{path}:{n}: t_done_us and lat_us must be integers")
            rows.append((t, lat, p[4], p[5] if len(p) > 5 else "-"))
    if not rows:
        sys.exit(f"{path}: no I/O lines")
    rows.sort()
    return rows


def read_events(path):
    ev = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            p = line.split(None, 2)
            if p[0] == "MARK":
                kind, rest = "mark", line.split(None, 2)[1:]
                t, text = int(rest[0]), rest[1] if len(rest) > 1 else ""
            else:
                if len(p) < 2:
                    sys.exit(f"{path}:{n}: expected 't_us kind text'")
                t, kind = int(p[0]), p[1]
                text = p[2] if len(p) > 2 else ""
                if kind not in KIND_COLOUR:
                    sys.exit(f"{path}:{n}: kind '{kind}' is not one of {', '.join(KIND_COLOUR)}")
            ev.append((t, kind, text))
    return ev


def collapse(ev, window_us=100000):
    """Fold repeats of the previous same (kind, text) within window_us."""
    out, last = [], {}
    for t, kind, text in ev:
        k = (kind, text)
        if k in last and t - out[last[k]][0] <= window_us and last[k] == len(out) - 1:
            t0, kd, tx, n = out[last[k]]
            out[last[k]] = (t0, kd, tx, n + 1)
            continue
        last[k] = len(out)
        out.append((t, kind, text, 1))
    return out


def place_labels(ev, x_lo, x_hi, width_px=1000, char_px=5.5, rows=5):
    """Row per label so that no two labels in a row overlap; ALUA state
    changes are placed first, so they are the last to be left out."""
    span = max(x_hi - x_lo, 1e-9)
    taken = [[] for _ in range(rows)]
    placed = []
    order = sorted(ev, key=lambda e: (e[2] != KIND_COLOUR["state"], e[0]))
    for x, text, colour in order:
        end = x + (len(text) * char_px + 8) * span / width_px
        row = next((r for r in range(rows)
                    if all(end < a or x > b for a, b in taken[r])), None)
        if row is None:
            continue  # no room: the line alone is drawn
        taken[row].append((x, end))
        placed.append((x, row, text, colour))
    return placed


def gp_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--io", action="append", required=True)
    ap.add_argument("--events", action="append", default=[])
    ap.add_argument("--out", required=True)
    ap.add_argument("--title", default="I/O through a failover")
    ap.add_argument("--bin-ms", type=float, default=10.0)
    ap.add_argument("--from", dest="t_from", type=float)
    ap.add_argument("--to", dest="t_to", type=float)
    ap.add_argument("--label", default="state,mark",
                    help="event kinds that get a text label (comma-separated)")
    a = ap.parse_args()
    label_kinds = set(x for x in a.label.split(",") if x)

    runs = [labelled(x) for x in a.io]
    evs = dict(labelled(x) for x in a.events)
    if len(runs) == 1 and len(a.events) == 1:
        evs = {runs[0][0]: labelled(a.events[0])[1]}
    tmp = tempfile.mkdtemp(prefix="salua-plot.")
    script = [
        (f"set terminal svg size 1100,{330 * len(runs) + 60} dynamic font 'sans,11' background '#ffffff'"
         if not a.out.endswith(".png") else
         f"set terminal pngcairo size 1100,{330 * len(runs) + 60} font 'sans,10'"),
        f"set output {gp_quote(a.out)}",
        "set termoption noenhanced",
        f"set multiplot layout {2 * len(runs)},1 title {gp_quote(a.title)}",
        "set grid ytics lc rgb '#dddddd'",
        "set key off",
        "set lmargin 10",
        "set rmargin 4",
    ]
    for i, (lab, path) in enumerate(runs):
        rows = read_io(path)
        t0 = rows[0][0]
        ev = read_events(evs[lab]) if lab in evs else []
        bin_us = int(a.bin_ms * 1000)
        counts = {}
        for t, _, _, _ in rows:
            counts[(t - t0) // bin_us] = counts.get((t - t0) // bin_us, 0) + 1
        last = (rows[-1][0] - t0) // bin_us
        thr = os.path.join(tmp, f"thr{i}.dat")
        with open(thr, "w") as f:
            for b in range(0, last + 1):
                f.write(f"{b * a.bin_ms / 1000:.4f} {counts.get(b, 0)}\n")
        lat_ok = os.path.join(tmp, f"lat{i}.dat")
        lat_bad = os.path.join(tmp, f"bad{i}.dat")
        # Per bin the slowest good I/O (a picture stays small whatever the
        # I/O count); every failed I/O is drawn.
        worst = {}
        with open(lat_bad, "w") as fb:
            for t, lat, st, _ in rows:
                if st in ("ok", "0"):
                    b = (t - t0) // bin_us
                    if worst.get(b, (0, 0))[1] < lat:
                        worst[b] = (t, lat)
                else:
                    fb.write(f"{(t - t0) / 1e6:.6f} {max(lat, 1) / 1000:.3f}\n")
        with open(lat_ok, "w") as fo:
            for b in sorted(worst):
                t, lat = worst[b]
                fo.write(f"{(t - t0) / 1e6:.6f} {max(lat, 1) / 1000:.3f}\n")
        xr = "set xrange [%s:%s]" % ("" if a.t_from is None else a.t_from, "" if a.t_to is None else a.t_to)
        arrows, to_label = [], []
        x_lo = a.t_from if a.t_from is not None else 0.0
        x_hi = a.t_to if a.t_to is not None else (rows[-1][0] - t0) / 1e6
        for t, kind, text, n in collapse(ev):
            x = (t - t0) / 1e6
            if x < x_lo or x > x_hi:
                continue
            arrows.append(f"set arrow from {x:.6f}, graph 0 to {x:.6f}, graph 1 nohead lc rgb '{KIND_COLOUR[kind]}' dt 2")
            if kind in label_kinds:
                text = text[:56] + (f" (x{n})" if n > 1 else "")
                to_label.append((x, text, KIND_COLOUR[kind]))
        labels = [f"set label {gp_quote(text)} at {x:.6f}, graph {0.95 - 0.09 * row:.2f} "
                  f"left offset 0.3,0 font 'sans,9' tc rgb '{colour}' front"
                  for x, row, text, colour in place_labels(to_label, x_lo, x_hi)]
        key = "; ".join(
            f"set label {gp_quote(name)} at screen {0.01 + 0.12 * k:.2f}, screen 0.985 "
            f"tc rgb '{KIND_COLOUR[kind]}' font 'sans,9'"
            for k, (kind, name) in enumerate((("state", "| ALUA state"), ("ua", "| unit attention"),
                                              ("cmd", "| command sent"), ("mark", "| test step"))))
        script += [xr, "unset arrow", "unset label"] + ([key] if i == 0 else []) + arrows + labels + [
            f"set ylabel 'I/Os per {a.bin_ms:g} ms'",
            "set xlabel ''",
            "unset logscale y",
            # the upper half is left to the labels
            f"set yrange [0:{2 * max(counts.values())}]",
            f"set title {gp_quote(lab)}",
            f"plot {gp_quote(thr)} using 1:2 with steps lw 1.5 lc rgb '#333333'",
            "set title ''",
            "unset label",
            "set ylabel 'max latency (ms)'",
            "set xlabel 'time (s)'",
            "set logscale y",
            "set autoscale y",
            f"plot {gp_quote(lat_ok)} using 1:2 with points pt 7 ps 0.25 lc rgb '#1f77b4', "
            f"{gp_quote(lat_bad)} using 1:2 with points pt 7 ps 0.5 lc rgb '#d62728'",
        ]
    script.append("unset multiplot")
    gp = os.path.join(tmp, "plot.gp")
    with open(gp, "w") as f:
        f.write("\n".join(script) + "\n")
    r = subprocess.run(["gnuplot", gp], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("gnuplot failed:\n" + r.stderr)
    print(a.out)


if __name__ == "__main__":
    main()
