#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Failover pictures for BENCHMARKS.md and README (docs/img/*.svg).
#
#   bash bench/timeline/pictures.sh BUILD_DIR [DATA_DIR]
#
# The simulated array's pictures are made here: alua_probe --io through the
# failover and failback scenarios on simulated time (--speed 1000), one I/O
# line per completion and the events beside them, drawn by plot_timeline.py.
# Timelines other runs left in DATA_DIR (default BUILD_DIR/timelines; the
# guest benchmarks: NAME.tl + NAME.tl.events, or runs to compare as
# NAME.LABEL.tl + NAME.LABEL.tl.events) are drawn too, one picture per NAME,
# titled by NAME.title when there is one.
set -euo pipefail
build=${1:?usage: pictures.sh BUILD_DIR [DATA_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/../.." && pwd)/docs/img
data=${2:-$build/timelines}
probe=$build/examples/alua_probe
plot=$here/plot_timeline.py
[ -x "$probe" ] || { echo "pictures.sh: no $probe (build first)" >&2; exit 2; }
command -v gnuplot >/dev/null || { echo "pictures.sh: gnuplot missing (apt-get install gnuplot-nox)" >&2; exit 2; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# failover: at 2 s the A/O group goes through 2 s of TRANSITIONING to
# standby, the other group to A/O; failback: the same, then back at 32 s.
for sc in failover:1.5:5.5 failback:31.5:35.5; do
	IFS=: read -r name from to <<<"$sc"
	"$probe" --io --duration "$((${to%.*} + 1))" --speed 1000 --timeline "$tmp/$name.tl" \
		"sim:luns=1,ports=2,groups=2,scenario=$name" >"$tmp/$name.txt"
	python3 "$plot" --io "sim=$tmp/$name.tl" --events "sim=$tmp/$name.tl.events" \
		--from "$from" --to "$to" --out "$out/sim-$name.svg" \
		--title "alua_probe --io on the simulated array: $name (verified I/O, iodepth 8)"
	grep -E "I/Os .* errors" "$tmp/$name.txt" | sed "s/^/  sim-$name: /"
done

title() { if [ -r "$data/$1.title" ]; then cat "$data/$1.title"; else echo "$1"; fi; }
shopt -s nullglob
declare -A drawn
for ev in "$data"/*.tl.events; do
	base=${ev%.tl.events}
	name=$(basename "$base")
	case $name in *.*) continue ;; esac # a LABEL run: drawn with its NAME
	args=(--io "$base.tl" --events "$ev")
	python3 "$plot" "${args[@]}" --out "$out/$name.svg" --title "$(title "$name")"
	drawn[$name]=1
done
# NAME.LABEL.tl runs side by side, e.g. dm-failover.salua / .scsi_dh_alua
for first in "$data"/*.*.tl; do
	name=$(basename "$first"); name=${name%%.*}
	[ -n "${drawn[$name]:-}" ] && continue
	drawn[$name]=1
	args=()
	for tl in "$data"/"$name".*.tl; do
		lab=$(basename "$tl" .tl); lab=${lab#"$name".}
		args+=(--io "$lab=$tl")
		[ -e "$tl.events" ] && args+=(--events "$lab=$tl.events")
	done
	python3 "$plot" "${args[@]}" --out "$out/$name.svg" --title "$(title "$name")"
done
