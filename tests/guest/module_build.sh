#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# guest.module_build@K: build shims/linux with Kbuild W=1 against one
# kernel's build tree; fails on any warning or error.
#   module_build.sh WORKDIR SRCDIR KDIR INCLUDEDIR
d=$1/kmod-w1
rm -rf "$d" && mkdir -p "$d" && cp "$2"/Kbuild "$2"/*.c "$2"/*.h "$d"/ || exit 1
make -C "$3" M="$d" SALUA_INCLUDE="$4" W=1 modules >"$d/build.log" 2>&1
rc=$?
cat "$d/build.log"
[ $rc -eq 0 ] && ! grep -E 'warning:|error:' "$d/build.log"
