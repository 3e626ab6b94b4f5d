#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# package.lintian EXPECTED OUT: lintian on every .deb OUT/debs lists.  Fails
# on any error, on a warning EXPECTED does not list (as "PACKAGE: TAG"), and
# on an EXPECTED line lintian no longer reports (the file stays true).
set -euo pipefail
expected=$1 out=$2
mapfile -t debs < "$out/debs"
lintian --tag-display-limit 0 "${debs[@]}" > "$out/lintian.txt" 2>&1 || true
cat "$out/lintian.txt"
fail=0
if grep -q '^E: ' "$out/lintian.txt"; then
	echo "FAIL: lintian errors"
	fail=1
fi
# "W: pkg: tag [context]" -> "pkg: tag"
sed -n 's/^W: \([^:]*\): \([^ ]*\).*/\1: \2/p' "$out/lintian.txt" | sort -u > "$out/warnings"
grep -vE '^\s*(#|$)' "$expected" | sed 's/\s*#.*//; s/\s*$//' | sort -u > "$out/expected"
unlisted=$(comm -23 "$out/warnings" "$out/expected")
stale=$(comm -13 "$out/warnings" "$out/expected")
if [ -n "$unlisted" ]; then
	echo "FAIL: warnings not justified in $expected:"
	echo "$unlisted" | sed 's/^/  /'
	fail=1
fi
if [ -n "$stale" ]; then
	echo "FAIL: $expected lists warnings lintian no longer gives:"
	echo "$stale" | sed 's/^/  /'
	fail=1
fi
echo "package.lintian: ${#debs[@]} packages, $(wc -l < "$out/warnings") justified warnings, errors: $(grep -c '^E: ' "$out/lintian.txt" || true)"
exit $fail
