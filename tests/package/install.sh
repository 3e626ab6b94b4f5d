#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# package.install SRC OUT ROOT: unpack every .deb of OUT/debs, with the
# Debian packages they depend on for building (libiscsi-dev, libiscsi7),
# into the fresh directory ROOT with `dpkg --root` (no maintainer scripts:
# --unpack), then
#  1. every path `dpkg --root ROOT -L PKG` names exists under ROOT;
#  2. a consumer project (tests/package/consumer) builds with
#     find_package(salua VERSION EXACT COMPONENTS ...) from ROOT only, and
#     runs;
#  3. the same program builds with `pkg-config --cflags --libs` of the
#     salua-*.pc files under ROOT (PKG_CONFIG_SYSROOT_DIR=ROOT) and runs.
set -euo pipefail
src=$1 out=$2 root=$3
here=$(cd "$(dirname "$0")" && pwd)
ver=$(cat "$src/VERSION")
rm -rf "$root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/dl"
: > "$root/var/lib/dpkg/status"
: > "$root/var/lib/dpkg/available"

mapfile -t debs < <(grep -v -- '-dbgsym_' "$out/debs")
# Build-time dependencies of libsalua-dev's iscsi component, from Debian.
(cd "$root/dl" && apt-get -q -o APT::Sandbox::User=root download libiscsi-dev libiscsi7 >/dev/null)
dpkg --root="$root" --force-not-root --force-depends --unpack \
	"$root"/dl/*.deb "${debs[@]}" > "$root/dpkg.log"

fail=0
n=0
for d in "${debs[@]}"; do
	p=$(dpkg-deb -f "$d" Package)
	while read -r f; do
		[ "$f" = "/." ] && continue
		n=$((n + 1))
		# --unpack leaves a conffile as FILE.dpkg-new until configured.
		if [ ! -e "$root$f" ] && [ ! -L "$root$f" ] && [ ! -e "$root$f.dpkg-new" ]; then
			echo "FAIL: $p: dpkg -L lists $f, not under the root"
			fail=1
		fi
	done < <(dpkg --root="$root" -L "$p")
done
echo "1. $n paths listed by dpkg -L, all present: $([ $fail -eq 0 ] && echo yes || echo no)"

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
export PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_LIBDIR=$root/usr/lib/$multiarch/pkgconfig:$root/usr/share/pkgconfig
comps=$(cd "$root/usr/lib/$multiarch/pkgconfig" && ls salua-*.pc | sed 's/^salua-//; s/\.pc$//' | sort | tr '\n' ' ')
echo "components installed: $comps"
for c in sgio iscsi sim transport simx null host; do
	case " $comps " in *" $c "*) ;; *) echo "FAIL: component $c not installed"; fail=1 ;; esac
done

cmake -S "$here/consumer" -B "$root/consumer" -DCMAKE_PREFIX_PATH="$root/usr" \
	-DCMAKE_FIND_ROOT_PATH="$root" -DSALUA_EXPECT_VERSION="$ver" \
	-DSALUA_COMPONENTS="$(echo $comps | tr ' ' ';')" > "$root/consumer.log" 2>&1 ||
	{ cat "$root/consumer.log"; echo "FAIL: cmake consumer configure"; exit 1; }
cmake --build "$root/consumer" >> "$root/consumer.log" 2>&1 ||
	{ cat "$root/consumer.log"; echo "FAIL: cmake consumer build"; exit 1; }
# Nothing of the build tree or the source tree was used.
if grep -rqs -e "$src/include" -e "$src/shims" "$root/consumer/CMakeCache.txt" "$root/consumer/CMakeFiles"; then
	echo "FAIL: the consumer build saw the source tree"
	fail=1
fi
"$root/consumer/salua_consumer" || { echo "FAIL: cmake consumer run"; fail=1; }
echo "2. find_package(salua $ver EXACT COMPONENTS $comps): built and ran"

pcs=$(for c in $comps; do printf 'salua-%s ' "$c"; done)
# shellcheck disable=SC2046
cc -std=c99 -Wall -Werror -o "$root/pc_consumer" "$here/consumer/main.c" \
	$(for c in $comps; do printf -- '-DHAVE_%s ' "$(echo "$c" | tr a-z A-Z)"; done) \
	$(pkg-config --cflags $pcs) $(pkg-config --libs --static $pcs) ||
	{ echo "FAIL: pkg-config consumer build"; exit 1; }
"$root/pc_consumer" || { echo "FAIL: pkg-config consumer run"; fail=1; }
echo "3. pkg-config --cflags --libs $pcs: built and ran"
exit $fail
