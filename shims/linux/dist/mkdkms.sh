#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Assemble the DKMS source tree of the salua handler:
#   mkdkms.sh DESTDIR [VERSION]
# creates DESTDIR/salua-VERSION/ (VERSION: the top-level VERSION file) with
# dkms.conf, Kbuild, Makefile, the handler's sources, VERSION and
# include/salua/.
# A package installs that directory as /usr/src/salua-VERSION; then
#   dkms add -m salua -v VERSION && dkms build ... && dkms install ...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
dest=${1:?usage: mkdkms.sh DESTDIR [VERSION]}
ver=${2:-$(head -n 1 "$top/VERSION")}
[ -n "$ver" ] || { echo "mkdkms.sh: no version" >&2; exit 1; }
d=$dest/salua-$ver
rm -rf "$d"
mkdir -p "$d/include/salua"
cp "$top"/shims/linux/Kbuild "$top"/shims/linux/Makefile "$top"/shims/linux/*.c \
   "$top"/shims/linux/*.h "$d/"
cp "$top"/include/salua/*.h "$d/include/salua/"
echo "$ver" > "$d/VERSION"
sed "s/#MODULE_VERSION#/$ver/" "$here/dkms.conf" > "$d/dkms.conf"
echo "$d"
