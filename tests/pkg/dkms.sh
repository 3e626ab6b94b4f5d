#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# pkg.dkms@K: the salua DKMS package as an administrator uses it, for one
# kernel:  dkms add / build / install / status / uninstall / remove,
#   dkms.sh KV WORKDIR
# with the DKMS source tree from shims/linux/dist/mkdkms.sh.  The host is
# left untouched: private --sourcetree, --dkmstree and --installtree,
# --no-depmod (depmod runs on the private tree), and a private
# /var/lib/dkms (a tmpfs in a mount namespace: dkms signs modules with a
# key it creates there).  Checks: the module is installed for KV, carries
# vermagic KV and alias scsi_dh_salua, depmod resolves the alias
# (modprobe --show-depends scsi_dh_salua), status says installed, and
# uninstall + remove leave nothing behind.
set -u
kv=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
command -v dkms >/dev/null || { echo "SKIP: dkms not installed"; exit 77; }
[ -e "/lib/modules/$kv/build/Makefile" ] || { echo "SKIP: no headers for $kv"; exit 77; }

if [ -z "${SALUA_DKMS_NS:-}" ] && command -v unshare >/dev/null &&
	[ -d /var/lib/dkms ] && unshare --mount true 2>/dev/null; then
	exec env SALUA_DKMS_NS=1 unshare --mount sh -c \
		'mount -t tmpfs salua-dkms /var/lib/dkms && exec sh "$0" "$@"' "$0" "$@"
fi
[ -n "${SALUA_DKMS_NS:-}" ] && ok "private /var/lib/dkms (mount namespace)" ||
	echo "note: no mount namespace: /var/lib/dkms may get dkms's signing key"

before=$(ls -la "/lib/modules/$kv" 2>/dev/null | md5sum)
rm -rf "$work"
mkdir -p "$work/src" "$work/tree" "$work/root/lib/modules/$kv"
src=$("$top/shims/linux/dist/mkdkms.sh" "$work/src") || { bad "mkdkms.sh"; exit 1; }
ver=${src##*/salua-}
o="-m salua -v $ver -k $kv --sourcetree $work/src --dkmstree $work/tree"

t0=$(date +%s)
dkms add $o >"$work/add.log" 2>&1 && ok "dkms add" || bad "dkms add: $(tail -3 "$work/add.log")"
dkms build $o >"$work/build.log" 2>&1 && ok "dkms build ($(($(date +%s) - t0)) s)" ||
	{ bad "dkms build: $(tail -5 "$work/build.log")"; cat "$work/tree/salua/$ver/build/make.log" 2>/dev/null | tail -20; }
dkms install $o --installtree "$work/root/lib/modules" --no-depmod >"$work/install.log" 2>&1 &&
	ok "dkms install" || bad "dkms install: $(tail -5 "$work/install.log")"
ko=$(ls "$work/root/lib/modules/$kv/updates/dkms/"salua_dh.ko* 2>/dev/null | head -1)
[ -n "$ko" ] && ok "installed: ${ko#$work/root}" || bad "no salua_dh.ko under updates/dkms"
if [ -n "$ko" ]; then
	[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$kv" ] && ok "vermagic $kv" ||
		bad "vermagic $(modinfo -F vermagic "$ko")"
	modinfo -F alias "$ko" | grep -qx scsi_dh_salua && ok "alias scsi_dh_salua" ||
		bad "alias: $(modinfo -F alias "$ko")"
	# depmod on the private tree, with the kernel's own symbols.
	if depmod -b "$work/root" -e -E "/lib/modules/$kv/build/Module.symvers" "$kv" 2>"$work/depmod.err"; then
		grep -q "^alias scsi_dh_salua salua_dh$" "$work/root/lib/modules/$kv/modules.alias" &&
			ok "depmod: alias scsi_dh_salua salua_dh" || bad "modules.alias has no scsi_dh_salua"
		modprobe -d "$work/root" -S "$kv" --show-depends scsi_dh_salua 2>&1 |
			grep -q "updates/dkms/salua_dh.ko" && ok "modprobe scsi_dh_salua resolves to salua_dh" ||
			bad "modprobe --show-depends scsi_dh_salua"
	else
		bad "depmod: $(cat "$work/depmod.err")"
	fi
fi
dkms status -m salua -v $ver -k $kv --dkmstree "$work/tree" --installtree "$work/root/lib/modules" 2>&1 |
	tee "$work/status.log" | grep -q "^salua/$ver, $kv, .*: installed" && ok "dkms status: $(grep "^salua/" "$work/status.log")" ||
	bad "dkms status: $(cat "$work/status.log")"
dkms uninstall $o --installtree "$work/root/lib/modules" --no-depmod >"$work/uninstall.log" 2>&1 &&
	ok "dkms uninstall" || bad "dkms uninstall: $(tail -3 "$work/uninstall.log")"
[ -z "$(ls "$work/root/lib/modules/$kv/updates/dkms/"salua_dh.ko* 2>/dev/null)" ] &&
	ok "uninstall removed the module" || bad "module still installed"
dkms remove $o --installtree "$work/root/lib/modules" --no-depmod >"$work/remove.log" 2>&1 &&
	ok "dkms remove" || bad "dkms remove: $(tail -3 "$work/remove.log")"
[ ! -e "$work/tree/salua/$ver" ] && ok "remove cleaned the DKMS tree" || bad "DKMS tree left"
[ "$(ls -la "/lib/modules/$kv" 2>/dev/null | md5sum)" = "$before" ] &&
	ok "host /lib/modules/$kv unchanged" || bad "host /lib/modules/$kv changed"
echo "pkg.dkms $kv: $fails failed"
[ $fails -eq 0 ]
