#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# package.build: scripts/package.sh SRC OUT; OUT/debs lists the .deb files.
set -euo pipefail
src=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
bash "$src/scripts/package.sh" "$out" > "$out/package.log"
# The interface: the last lines are the .deb paths, one per line.
grep -E '\.deb$' "$out/package.log" > "$out/debs"
cat "$out/debs"
for p in libsalua-dev salua-tools salua-dkms; do
	grep -q "/${p}_[^/]*\.deb$" "$out/debs" || { echo "FAIL: no $p package"; exit 1; }
done
while read -r d; do
	[ -s "$d" ] || { echo "FAIL: $d listed but missing"; exit 1; }
	v=$(dpkg-deb -f "$d" Version)
	[ "$v" = "$(cat "$src/VERSION")" ] || { echo "FAIL: $d has version $v, VERSION says $(cat "$src/VERSION")"; exit 1; }
done < "$out/debs"
echo "package.build: $(wc -l < "$out/debs") packages, version $(cat "$src/VERSION")"
