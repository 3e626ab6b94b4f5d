#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Build the Debian packages (libsalua-dev, salua-tools, salua-dkms) from
# this tree with dpkg-buildpackage, installing what that needs first
# (scripts/setup.sh).  The last lines of the output are the paths of the
# .deb files made, one per line.
#
#   bash scripts/package.sh [OUTDIR]     # default: build-deb/
#
# The tree is copied (tracked and untracked-but-not-ignored files) into a
# staging directory, so the checkout stays clean and uncommitted edits are
# packaged as they are.  debian/changelog is written there from VERSION,
# the one place the version lives, dated by the last commit (reproducible).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

bash scripts/setup.sh >&2

ver=$(head -n 1 VERSION)
[[ $ver =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "package.sh: VERSION '$ver' is not MAJOR.MINOR.PATCH" >&2; exit 1; }
out=$(realpath -m "${1:-build-deb}")
mkdir -p "$out"
stage=$(mktemp -d /tmp/salua-pkg.XXXXXX)
trap 'rm -rf "$stage"' EXIT
src=$stage/salua-$ver
mkdir -p "$src"

if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar -C "$top" --null -T - -cf - | tar -C "$src" -xf -
	date=$(git -C "$top" log -1 --format=%cD 2>/dev/null || date -R)
else
	tar -C "$top" --exclude='./build*' --exclude='./.git' -cf - . | tar -C "$src" -xf -
	date=$(date -R)
fi

cat > "$src/debian/changelog" <<EOF
salua ($ver) unstable; urgency=medium

  * Release $ver (see the project's git history).

 -- salua project <salua@salua.example.org>  $date
EOF

(cd "$src" && dpkg-buildpackage -us -uc -b -j"${SALUA_JOBS:-2}") >&2

debs=()
for f in "$stage"/*.deb; do
	mv -f "$f" "$out/"
	debs+=("$out/$(basename "$f")")
done
for f in "$stage"/*.buildinfo "$stage"/*.changes; do
	[ -e "$f" ] && mv -f "$f" "$out/"
done
[ ${#debs[@]} -gt 0 ] || { echo "package.sh: no .deb was made" >&2; exit 1; }
printf '%s\n' "${debs[@]}"
