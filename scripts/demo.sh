#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Set up, build alua_probe, and run it: offline decode of shipped captures,
# then the built-in simulated array through an implicit failover.
#   bash scripts/demo.sh
# Environment: SALUA_BUILD_DIR (default build).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

build=${SALUA_BUILD_DIR:-build}
echo "demo.sh: building alua_probe in $build/"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${SALUA_BUILD_TYPE:-Debug}" >/dev/null
cmake --build "$build" --target alua_probe -j"${SALUA_JOBS:-2}" >/dev/null

probe=$build/examples/alua_probe
if [ ! -x "$probe" ]; then
	echo "demo.sh: $probe was not built" >&2
	exit 1
fi

# The first capture found of each kind: shipped test data first, then the
# public vectors beside the repository.
first() {
	local f
	for f in "$@"; do
		if [ -f "$f" ]; then
			echo "$f"
			return 0
		fi
	done
	return 1
}
shopt -s nullglob
rtpg=$(first tests/data/rtpg/*.hex tests/data/probe/*rtpg*.hex \
	../shared/vectors/rtpg/*.hex) || rtpg=
vpd83=$(first tests/data/vpd/vpd83_scsi_debug.hex tests/data/vpd/*.hex) || vpd83=

status=0
for pair in "rtpg:$rtpg" "vpd83:$vpd83"; do
	type=${pair%%:*} file=${pair#*:}
	if [ -z "$file" ]; then
		echo "demo.sh: no $type capture found; skipping"
		continue
	fi
	echo
	echo "\$ $probe decode --type $type --inhex $file"
	"$probe" decode --type "$type" --inhex "$file" || status=$?
done
# The whole mechanism on the built-in simulated array: initial state, an
# implicit failover (UNIT ATTENTION, TRANSITIONING, re-polls), final state
# and the selector's picks.  Simulated time runs 2x; 12 simulated seconds.
echo
echo "\$ $probe sim:scenario=failover --watch --interval 0.5 --duration 12 --speed 2"
"$probe" sim:scenario=failover --watch --interval 0.5 --duration 12 --speed 2 || status=$?
exit $status
