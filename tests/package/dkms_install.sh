#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# package.dkms SRC OUT WORK KV...: salua-dkms installed as an administrator
# installs it, with `dpkg -i`, then built for each Debian kernel KV the way
# Debian's kernel hook does it (`dkms autoinstall -k KV`).  It all happens
# in a private mount namespace with throw-away overlays on /usr, /etc and
# /var, so the host (and the other tests reading /lib/modules) never see
# it.  Checks: dpkg -i succeeds; `dkms status` says installed for every KV;
# each module has vermagic KV, version VERSION and alias scsi_dh_salua;
# depmod resolves the alias; the modprobe.d file and udev rule are in
# place; `dpkg --purge` removes the modules and the DKMS tree.  Each
# module is copied to WORK/KV/salua_dh.ko for guest.pkg_dkms_load@K, which
# boots it.
set -uo pipefail
src=$1 out=$2 work=$3
shift 3
if [ -z "${SALUA_PKG_NS:-}" ]; then
	command -v unshare >/dev/null && unshare --mount true 2>/dev/null ||
		{ echo "SKIP: no mount namespaces here"; exit 77; }
	rm -rf "$work" && mkdir -p "$work"
	exec env SALUA_PKG_NS=1 unshare --mount --propagation private bash "$0" "$src" "$out" "$work" "$@"
fi
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
for d in /usr /etc /var; do
	o=$work/ovl$(echo "$d" | tr / _)
	mkdir -p "$o/up" "$o/work"
	mount -t overlay overlay -o "lowerdir=$d,upperdir=$o/up,workdir=$o/work" "$d" ||
		{ echo "SKIP: cannot overlay $d"; exit 77; }
done
ok "private overlays on /usr /etc /var"

ver=$(head -n 1 "$src/VERSION")
deb=$(grep '/salua-dkms_[^/]*\.deb$' "$out/debs")
[ -n "$deb" ] || { echo "FAIL no salua-dkms package"; exit 1; }
if dpkg -i "$deb" > "$work/dpkg-i.log" 2>&1; then ok "dpkg -i $(basename "$deb")"; else
	cat "$work/dpkg-i.log"; bad "dpkg -i"; fi
[ -f /etc/modprobe.d/salua.conf ] && ok "/etc/modprobe.d/salua.conf" || bad "no modprobe.d file"
[ -f /lib/udev/rules.d/40-salua.rules ] && ok "udev rule" || bad "no udev rule"
[ -f "/usr/src/salua-$ver/dkms.conf" ] && grep -q "PACKAGE_VERSION=\"$ver\"" "/usr/src/salua-$ver/dkms.conf" &&
	ok "/usr/src/salua-$ver/dkms.conf, version $ver" || bad "dkms.conf missing or without version $ver"

for kv in "$@"; do
	if dkms autoinstall -k "$kv" > "$work/autoinstall-$kv.log" 2>&1; then ok "dkms autoinstall -k $kv"; else
		tail -30 "$work/autoinstall-$kv.log"; bad "dkms autoinstall -k $kv"; fi
	st=$(dkms status -m salua -v "$ver" -k "$kv" 2>/dev/null)
	case $st in *installed*) ok "dkms status: $st" ;; *) bad "dkms status for $kv: '$st'" ;; esac
	m=$(ls /lib/modules/"$kv"/updates/dkms/salua_dh.ko* 2>/dev/null | head -1)
	if [ -z "$m" ]; then bad "no module under /lib/modules/$kv/updates/dkms"; continue; fi
	mkdir -p "$work/$kv"
	case $m in
	*.xz) xz -dc "$m" > "$work/$kv/salua_dh.ko" ;;
	*.zst) zstd -qdc "$m" > "$work/$kv/salua_dh.ko" ;;
	*) cp "$m" "$work/$kv/salua_dh.ko" ;;
	esac
	vm=$(modinfo -F vermagic "$work/$kv/salua_dh.ko" | cut -d' ' -f1)
	mv=$(modinfo -F version "$work/$kv/salua_dh.ko")
	al=$(modinfo -F alias "$work/$kv/salua_dh.ko")
	[ "$vm" = "$kv" ] && ok "$kv: vermagic $vm" || bad "$kv: vermagic '$vm'"
	[ "$mv" = "$ver" ] && ok "$kv: modinfo version $mv" || bad "$kv: modinfo version '$mv', VERSION says $ver"
	[ "$al" = scsi_dh_salua ] && ok "$kv: alias $al" || bad "$kv: alias '$al'"
	modprobe -S "$kv" --show-depends scsi_dh_salua 2>/dev/null | grep -q "updates/dkms/salua_dh" &&
		ok "$kv: modprobe resolves scsi_dh_salua to the DKMS module" || bad "$kv: scsi_dh_salua not resolved"
done

if dpkg --purge salua-dkms > "$work/dpkg-purge.log" 2>&1; then ok "dpkg --purge salua-dkms"; else
	cat "$work/dpkg-purge.log"; bad "dpkg --purge"; fi
for kv in "$@"; do
	ls /lib/modules/"$kv"/updates/dkms/salua_dh.ko* >/dev/null 2>&1 &&
		bad "$kv: module left after purge" || ok "$kv: module removed by purge"
done
[ -e "/usr/src/salua-$ver" ] && bad "/usr/src/salua-$ver left" || ok "/usr/src/salua-$ver removed"
[ -z "$(dkms status -m salua 2>/dev/null)" ] && ok "dkms status empty" || bad "dkms still knows salua"
echo "package.dkms: $fails failed"
exit $((fails > 0))
