#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Set up (scripts/setup.sh), configure, build and run every test with ctest.
#   bash scripts/test.sh                  # everything
#   bash scripts/test.sh -L unit          # a subset: any ctest arguments
#   bash scripts/test.sh -L 'unit|differential' -j1
# Labels: README.md "Test labels" (ctest --print-labels lists them).
# Environment: SALUA_BUILD_DIR (default build), SALUA_BUILD_TYPE (Debug),
# SALUA_JOBS (2), SALUA_DEBUG_ALL (ON: every guest test also on the debug
# kernel, not only the subset marked DEBUG; OFF: back to the subset).
# Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

build=${SALUA_BUILD_DIR:-build}
jobs=${SALUA_JOBS:-2}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${SALUA_BUILD_TYPE:-Debug}" \
	${SALUA_DEBUG_ALL:+-DSALUA_DEBUG_ALL="$SALUA_DEBUG_ALL"}
cmake --build "$build" -j"$jobs"

# ctest prints the pass/fail summary; its status is the script's status.
exec ctest --test-dir "$build" --output-on-failure -j"$jobs" "$@"
