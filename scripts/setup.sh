#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Install the Debian 12 packages that salua's build and tests need.
# Idempotent: when every package is already installed, apt is not touched.
# Must run as root (or through sudo) the first time; later runs only check.
set -euo pipefail

# Packages the current build and tests use.  Add one per line.
PKGS=(
	build-essential
	cmake
	pkg-config
	python3
	man-db                # probe.manpage lints alua_probe.8 with man --warnings
	clang                 # portability tests (second compiler)
	llvm                  # llvm-symbolizer for sanitizer reports
	libclang-rt-14-dev    # clang sanitizer + libFuzzer runtimes (only a Recommends)
	gcc-12-multilib       # -m32 tests; plain gcc-multilib conflicts with the s390x cross gcc
	g++-12-multilib
	gcc-s390x-linux-gnu   # big-endian tests
	g++-s390x-linux-gnu
	libc6-dev-s390x-cross # only a Recommends of gcc-s390x-linux-gnu
	qemu-user             # runs the s390x test binaries (qemu-s390x)
	libsgutils2-dev       # differential tests against sg3_utils' decoders
	sg3-utils
	qemu-system-x86       # guest tests: Debian's kernel under QEMU/TCG
	linux-image-amd64     # the guest kernel (and its scsi_debug, LIO, tcm_loop modules)
	linux-headers-amd64   # builds shims/linux against that kernel
	busybox-static        # the guest's userland
	cpio                  # initramfs
	kmod                  # modprobe --show-depends, depmod for the guest
	xz-utils              # unpacks vmlinuz into a faster-booting vmlinux
	libiscsi-dev          # shims/transport/iscsi, alua_probe iscsi:// devices
	libiscsi-bin          # iscsi-inq etc. (manual checks)
	tgt                   # iscsi tests: tgtd on loopback (no ALUA)
	istgt                 # iscsi tests: istgt on loopback (RTPG/STPG)
	linux-source-6.1      # the debug kernel (scripts/debug-kernel.sh) is built from it
	flex                  # ... with these kernel build tools
	bison
	libelf-dev
	bc
	dmsetup               # dm-multipath tests in the guest
	multipath-tools       # multipathd in the guest
	udev                  # systemd-udevd and the rules multipathd needs in the guest
	sg3-utils-udev        # 55-scsi-sg3_id / 58-scsi-sg3_symlink rules
	dkms                  # the DKMS package of the kernel module
	lintian               # .deb checks
	debhelper             # .deb builds (scripts/package.sh)
	dh-dkms               # ... of the salua-dkms package
	gnuplot-nox           # failover timeline pictures
	fio                   # a second I/O load for the benchmarks
)

# The second kernel we support: bookworm-backports' 6.12 (GUEST-NOTES.md).
# Installed by its versioned names so linux-libc-dev and the rest stay 6.1.
BPO_LIST=/etc/apt/sources.list.d/bookworm-backports.list
BPO_LINE='deb http://deb.debian.org/debian bookworm-backports main'

# linux-image-6.12.*+deb12-amd64 with its headers, whatever the newest is.
have_bpo_kernel() {
	ls /lib/modules 2>/dev/null | grep -q '^6\.12\..*-amd64$' &&
		ls -d /lib/modules/6.12.*-amd64/build/ >/dev/null 2>&1
}

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ] && have_bpo_kernel; then
	echo "setup.sh: all ${#PKGS[@]} packages and the 6.12 kernel present"
	exit 0
fi

echo "setup.sh: installing: ${missing[*]}$(have_bpo_kernel || echo " + the 6.12 kernel")"
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "setup.sh: need root to install packages" >&2
		exit 1
	}
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# The guests boot from our own initramfs: skip Debian's (~30 s per kernel).
export INITRD=No
if ! grep -qsF "$BPO_LINE" "$BPO_LIST"; then
	echo "$BPO_LINE" | $SUDO tee "$BPO_LIST" >/dev/null
fi
$SUDO apt-get update -q
if [ ${#missing[@]} -gt 0 ]; then
	$SUDO -E apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if ! have_bpo_kernel; then
	# The versioned image linux-image-amd64 from backports points at.
	img=$(apt-cache depends -t bookworm-backports linux-image-amd64 |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.12\./ { print $2; exit }')
	[ -n "$img" ] || { echo "setup.sh: no 6.12 kernel in bookworm-backports" >&2; exit 1; }
	$SUDO -E apt-get install -y -q --no-install-recommends "$img" "${img/image/headers}"
fi
